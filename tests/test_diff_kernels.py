"""The compiled pixelmatch kernel (_kernel.c) is the one in use, and it gives exactly what the
numpy kernel gives: counts, which pixels, which are darker, anti-aliasing, windows, images."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

import uireview.compare.pixelmatch as pm
from uireview.findings import Box


def test_the_compiled_kernel_is_built_and_in_use():
    # scripts/test.sh builds it in place (python3 setup.py build_ext --inplace)
    assert pm.KERNEL == "compiled", "the compiled kernel is not built: run bash scripts/test.sh"
    assert pm._compiled is not None


@pytest.fixture
def compiled():
    if pm._compiled is None:
        pytest.skip("the compiled kernel is not built (bash scripts/test.sh builds it)")
    return pm._compiled


def test_compiled_tables_are_the_python_tables_bit_for_bit(compiled):
    lin, cbrt = compiled.tables()
    assert np.frombuffer(lin, np.uint64).tolist() == pm._tables()[0].view(np.uint64).tolist()
    assert np.frombuffer(cbrt, np.uint64).tolist() == pm._tables()[1].view(np.uint64).tolist()


def _page(rng: np.random.Generator, w: int, h: int, translucent: bool) -> np.ndarray:
    """A small UI-like picture: flat panels, anti-aliased text and shapes, some noise."""
    im = Image.new("RGBA", (w, h), tuple(int(v) for v in rng.integers(200, 256, 3)) + (255,))
    d = ImageDraw.Draw(im)
    for _ in range(6):
        x0, y0 = int(rng.integers(0, w - 8)), int(rng.integers(0, h - 8))
        box = [x0, y0, x0 + int(rng.integers(4, w // 2)), y0 + int(rng.integers(4, h // 2))]
        fill = tuple(int(v) for v in rng.integers(0, 256, 3)) + (255,)
        d.rounded_rectangle(box, int(rng.integers(0, 6)), fill=fill)
    for _ in range(4):
        xy = (int(rng.integers(0, w - 20)), int(rng.integers(0, h - 10)))
        fill = tuple(int(v) for v in rng.integers(0, 256, 3)) + (255,)
        d.text(xy, "Revenue 1,284", fill=fill, font_size=int(rng.integers(8, 16)))
    d.ellipse([2, 2, w // 3, h // 3], outline=(20, 20, 20, 255), width=2)
    px = np.array(im)
    if translucent:
        px[..., 3] = np.where(rng.random((h, w)) < 0.3, rng.integers(0, 256, (h, w)), 255)
    return px


def _changed(rng: np.random.Generator, img: np.ndarray, translucent: bool) -> np.ndarray:
    """The picture with edits: a moved panel, recoloured text, single-pixel noise, the edges."""
    h, w = img.shape[:2]
    out = img.copy()
    y, x = int(rng.integers(0, h - 10)), int(rng.integers(0, w - 10))
    out[y : y + 8, x : x + 9] = img[max(y - 2, 0) : max(y - 2, 0) + 8, x : x + 9]
    spots = rng.integers(0, h * w, 40)
    flat = out.reshape(-1, 4)
    flat[spots, :3] = rng.integers(0, 256, (40, 3))
    out[0, :, :3] = 255 - out[0, :, :3]  # the frame's edges, where neighbourhoods are cut
    out[:, -1, :3] //= 2
    # faint changes over a block: near the threshold, where every rounding step counts
    y, x = int(rng.integers(0, h // 2)), int(rng.integers(0, w // 2))
    block = out[y : y + h // 2, x : x + w // 2].astype(np.int64)
    block[..., :3] += rng.integers(-12, 13, block[..., :3].shape)
    if translucent:
        block[..., 3] += rng.integers(-40, 41, block[..., 3].shape)
        flat[spots[:20], 3] = rng.integers(0, 256, 20)
    out[y : y + h // 2, x : x + w // 2] = np.clip(block, 0, 255)
    return out


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("metric", ["oklab", "yiq"])
def test_compiled_and_numpy_kernels_agree_on_every_output(compiled, monkeypatch, seed, metric):
    rng = np.random.default_rng(seed)
    w, h = int(rng.integers(20, 120)), int(rng.integers(20, 90))
    translucent = seed % 3 == 0
    a = _page(rng, w, h, translucent)
    b = _changed(rng, a, translucent)
    options = {
        "metric": metric,
        "threshold": float(rng.choice([0.0, 0.05, 0.1, 0.3])),
        "include_aa": seed % 4 == 1,
        "checkerboard": seed % 2 == 0,
        "alpha": float(rng.choice([0.1, 0.5, 1.0])),
        "diff_color_alt": (0, 200, 0) if seed % 3 == 1 else None,
        "diff_mask": seed % 5 == 2,
        "window_size": [None, 3, 7.5, 1000][seed % 4],
        "ignore": [Box(1, 1, w // 3, h // 2)] if seed % 3 == 2 else None,
        "output": True,
    }
    got = pm.pixelmatch(a, b, **options)
    monkeypatch.setattr(pm, "_compiled", None)
    want = pm.pixelmatch(a, b, **options)
    assert got.mismatch_pixels == want.mismatch_pixels
    assert got.window_pixels == want.window_pixels
    assert got.diff_index.tolist() == want.diff_index.tolist()
    assert got.diff_darker.tolist() == want.diff_darker.tolist()
    assert got.aa_index.tolist() == want.aa_index.tolist()
    assert want.raw_changed is not None and got.raw_changed is not None
    assert got.raw_changed.tolist() == want.raw_changed.tolist()
    assert got.diff_image is not None and want.diff_image is not None
    assert np.array_equal(got.diff_image, want.diff_image)


def test_kernels_agree_when_nothing_or_everything_differs(compiled, monkeypatch):
    rng = np.random.default_rng(3)
    a = rng.integers(0, 256, (33, 47, 4), dtype=np.uint8)
    results = []
    for use in (compiled, None):
        monkeypatch.setattr(pm, "_compiled", use)
        same = pm.pixelmatch(a, a.copy(), output=True, window_size=4)
        noise = pm.pixelmatch(a, 255 - a, output=True, metric="yiq")
        results.append((same, noise))
    (c_same, c_noise), (n_same, n_noise) = results
    assert c_same.mismatch_pixels == n_same.mismatch_pixels == 0
    assert c_same.window_pixels == n_same.window_pixels == 0
    assert c_noise.mismatch_pixels == n_noise.mismatch_pixels > 0
    assert np.array_equal(c_same.diff_image, n_same.diff_image)
    assert np.array_equal(c_noise.diff_image, n_noise.diff_image)
