"""The fast decoder gives Pillow's exact pixels; the single diff's process stays light."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from uireview.cli.diff import _finding_json, finding_defaults
from uireview.compare.decode import _plain_png, decode_rgba
from uireview.compare.diff import compare, diff_finding_fields, diff_findings
from uireview.findings import Finding

REPO = Path(__file__).resolve().parents[1]


def _noise(h=37, w=53, channels=3, seed=1) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (h, w, channels), dtype=np.uint8)


def _pillow_rgba(path: Path) -> np.ndarray:
    with Image.open(path) as im:
        return np.asarray(im.convert("RGBA"))


@pytest.mark.parametrize(
    ("name", "fast"),
    [
        ("rgb.png", True),
        ("rgba.png", True),
        ("rgb-colour-key.png", False),
        ("rgb16.png", False),  # 16-bit grey: Pillow clips it, libspng scales it
        ("grey.png", True),
        ("palette.png", True),
        ("photo.jpg", False),
    ],
)
def test_every_kind_of_file_decodes_to_pillows_pixels(tmp_path, name, fast):
    rgb, rgba = Image.fromarray(_noise()), Image.fromarray(_noise(channels=4))
    path = tmp_path / name
    if name == "rgb.png":
        rgb.save(path)
    elif name == "rgba.png":
        rgba.save(path)
    elif name == "rgb-colour-key.png":
        rgb.save(path, transparency=tuple(int(v) for v in np.asarray(rgb)[0, 0]))
    elif name == "rgb16.png":
        Image.fromarray(_noise(channels=1)[..., 0].astype(np.uint16) * 257).save(path)
    elif name == "grey.png":
        rgb.convert("L").save(path)
    elif name == "palette.png":
        rgb.convert("P").save(path)
    else:
        rgb.save(path, quality=90)
    data = path.read_bytes()
    assert _plain_png(data) is fast
    assert np.array_equal(decode_rgba(str(path)), _pillow_rgba(path))


def test_a_damaged_png_raises_pillows_error_naming_the_file(tmp_path):
    path = tmp_path / "cut.png"
    Image.fromarray(_noise()).save(path)
    path.write_bytes(path.read_bytes()[:60])
    with pytest.raises(Exception) as caught:
        decode_rgba(str(path))
    assert "cut.png" in str(caught.value) or "truncated" in str(caught.value).lower()


def test_diff_json_findings_equal_the_models_dump():
    # read from findings.py's source (the diff path imports no pydantic), equal to the model's
    assert list(finding_defaults().items()) == [
        (name, f.default_factory() if f.default_factory else f.default)
        for name, f in Finding.model_fields.items()
        if not f.is_required()
    ]
    a = np.full((120, 200, 4), 255, np.uint8)
    b = a.copy()
    b[20:40, 30:90, :3] = 0
    b2 = np.concatenate([np.full((16, 200, 4), 200, np.uint8), b], axis=0)[:150]
    for after in (b, b2):
        result = compare(a, after)
        fields = diff_finding_fields(result)
        assert fields
        assert [_finding_json(f) for f in fields] == [
            f.model_dump(mode="json") for f in diff_findings(result)
        ]


def test_single_diff_process_imports_no_pydantic_ocr_database_or_pillow(tmp_path):
    a, b = tmp_path / "a.png", tmp_path / "b.png"
    img = _noise(60, 80)
    Image.fromarray(img).save(a)
    img[10:20, 10:20] = 0
    Image.fromarray(img).save(b)
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "uireview", "diff", str(a), str(b), "--json"],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-500:]
    doc = json.loads(proc.stdout)
    assert doc["mismatch_pixels"] == 100 and doc["findings"][0]["rule"].startswith("diff.")
    modules = {line.split("|")[-1].strip() for line in proc.stderr.splitlines()}
    imported = {m.split(".")[0] for m in modules}
    assert not imported & {"pydantic", "sqlalchemy", "rapidocr_onnxruntime", "cv2", "scipy"}
    assert "numpy.random" not in modules  # ~12 ms of import for the row hashes' weights
    # Two screenshot PNGs decode with libdeflate and the compiled unfilter: neither Pillow
    # (~40 ms) nor libspng is imported.
    assert "PIL" not in imported and "deflate" in imported and "pyspng" not in imported
