"""Our pixelmatch against pixelmatch's own fixtures: every oracle case, exact counts and images."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.kernels import kernel  # noqa: F401  (the fixture below)
from uireview.compare.pixelmatch import _CHUNK, _tables, _v8_cbrt, changed_pixels, pixelmatch
from uireview.findings import Box

# every test here runs through both kernels: the compiled one and numpy's
pytestmark = pytest.mark.usefixtures("kernel")

# /work/shared next to the main checkout; a worktree under /work/wt/<name> is one level deeper
ORACLES = next(
    (
        p / "shared" / "oracles" / "pixelmatch"
        for p in Path(__file__).resolve().parents[2:4]
        if (p / "shared" / "oracles" / "pixelmatch").is_dir()
    ),
    Path(__file__).resolve().parents[2] / "shared" / "oracles" / "pixelmatch",
)

_OPTION_NAMES = {
    "threshold": "threshold",
    "includeAA": "include_aa",
    "checkerboard": "checkerboard",
    "alpha": "alpha",
    "diffMask": "diff_mask",
    "windowSize": "window_size",
}
_COLOUR_NAMES = {"aaColor": "aa_color", "diffColor": "diff_color", "diffColorAlt": "diff_color_alt"}


@cache
def _load(name: str) -> np.ndarray:
    with Image.open(ORACLES / name) as im:
        return np.asarray(im.convert("RGBA"))


def _options(js: dict) -> dict:
    kwargs = {}
    for js_name, name in _OPTION_NAMES.items():
        if js.get(js_name) is not None:
            kwargs[name] = js[js_name]
    for js_name, name in _COLOUR_NAMES.items():
        if js_name in js:
            kwargs[name] = tuple(js[js_name])
    if "ignoreBox" in js:
        kwargs["ignore"] = [Box(*js["ignoreBox"])]
    return kwargs


def _cases() -> list:
    """(id, a, b, metric, options, expected count, expected diff image or None)."""
    if not ORACLES.is_dir():
        return []
    out = []

    def add(source, i, case, metric, expected, image=None, extra=None):
        if expected is None:
            return
        options = dict(case["options"], **(extra or {}))
        name = (
            f"{source}[{i}]-{case['a']}-{case['b']}-{metric}-{json.dumps(options, sort_keys=True)}"
        )
        out.append(pytest.param(case["a"], case["b"], metric, options, expected, image, id=name))

    for i, c in enumerate(json.loads((ORACLES / "cases.json").read_text())["cases"]):
        add("cases", i, c, "yiq", c["expected"])
    for i, c in enumerate(json.loads((ORACLES / "cases-v8.json").read_text())["cases"]):
        image = c.get("diff_image")
        add("v8", i, c, "oklab", c["expected_v8_0_0"], image)
        add("v8", i, c, "yiq", c["expected_v7_2_0"], image and image.replace("v8.0.0", "v7.2.0"))
    extra = json.loads((ORACLES / "cases-extra.json").read_text())
    for group in ("test_cases", "matrix"):
        for i, c in enumerate(extra[group]):
            add(group, i, c, "yiq", c["expected_v7_2_0"], c.get("diff_image"))
            # 6.0.0 blended on white, which 7.2.0 reproduces with checkerboard off
            white = c.get("expected_v6_0_0_white_blend")
            add(group, i, c, "yiq", white, None, {"checkerboard": False})
    return out


CASES = _cases()


def test_oracle_fixtures_are_present():
    assert len(CASES) > 150, f"pixelmatch oracles missing under {ORACLES}"


@pytest.mark.parametrize(("a", "b", "metric", "options", "expected", "image"), CASES)
def test_count_and_diff_image_equal_pixelmatch(a, b, metric, options, expected, image):
    result = pixelmatch(
        _load(a), _load(b), metric=metric, output=image is not None, **_options(options)
    )
    count = result.window_pixels if "windowSize" in options else result.mismatch_pixels
    assert count == expected
    if image is not None:
        want = _load(image)
        wrong = np.argwhere((want != result.diff_image).any(axis=2))
        assert len(wrong) == 0, f"{len(wrong)} pixels differ, first at (y, x) {wrong[:3].tolist()}"


def test_v8_tables_reproduce_node_math_not_libm():
    # Spot values printed by node 20 (V8's fdlibm): libm differs from them in the last bit.
    assert _tables()[0][18].hex() == "0x1.8c6a94031b562p-8"  # libm pow: ...561p-8
    x = float.fromhex("0x1.577d49b22d0e6p-10")
    assert float(_v8_cbrt(np.array([x]))[0]).hex() == "0x1.c036856c014abp-4"  # libm: ...4aap-4


def test_ignored_pixels_count_nowhere_and_draw_as_unchanged():
    a = np.full((20, 30, 4), 255, np.uint8)
    b = a.copy()
    b[2:6, 2:6, :3] = 0
    b[10:14, 20:24, :3] = 0
    full = pixelmatch(a, b, output=True)
    masked = pixelmatch(a, b, ignore=[Box(0, 0, 10, 10)], output=True)
    assert full.mismatch_pixels == 32
    assert masked.mismatch_pixels == 16
    assert (masked.diff_image[2:6, 2:6, :3] > 200).all()


def test_window_counts_the_densest_window_only():
    a = np.full((50, 50, 4), 255, np.uint8)
    b = a.copy()
    b[5:9, 5:9, :3] = 0  # 16 px together
    b[30, 10:40:3, :3] = 0  # 10 scattered pixels
    result = pixelmatch(a, b, window_size=5)
    assert result.mismatch_pixels == 26
    assert result.window_pixels == 16


def test_rejects_images_of_different_sizes():
    with pytest.raises(ValueError, match="sizes differ"):
        pixelmatch(np.zeros((4, 4, 4), np.uint8), np.zeros((5, 4, 4), np.uint8))


def test_changed_pixels_are_found_in_every_step_of_a_large_frame():
    rng = np.random.default_rng(5)
    a = rng.integers(0, 256, (700, 400, 4), dtype=np.uint8)
    b = a.copy()
    n = 700 * 400
    assert n > 4 * _CHUNK
    flat = b.reshape(-1, 4)
    spots = [0, _CHUNK - 1, _CHUNK, 2 * _CHUNK + 17, n - 1]
    for i in spots:
        flat[i, i % 4] ^= 1  # one bit of one channel
    a32, b32 = a.reshape(-1).view(np.uint32), b.reshape(-1).view(np.uint32)
    assert changed_pixels(a32, b32).tolist() == spots
    assert changed_pixels(a32, a32.copy()).tolist() == []
