"""The diff image file holds exactly pixelmatch's diff image, however it is encoded."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from tests.kernels import each_kernel
from uireview.cli.main import main
from uireview.compare import png
from uireview.compare.diff import compare
from uireview.compare.png import encode_png


def _read(data: bytes) -> tuple[str, np.ndarray]:
    with Image.open(io.BytesIO(data)) as im:
        return im.mode, np.asarray(im.convert("RGBA"))


def _page(edit: bool = False) -> np.ndarray:
    img = np.full((90, 160, 4), 255, np.uint8)
    img[10:30, 10:150, :3] = (30, 41, 59)
    img[40:80, 20:60, :3] = (99, 102, 241)
    if edit:
        img[50:60, 30:90, :3] = (220, 38, 38)
    return img


def test_the_cli_writes_pixelmatchs_diff_image_as_a_small_palette_png(tmp_path, capsys):
    before, after = tmp_path / "a.png", tmp_path / "b.png"
    Image.fromarray(_page()).save(before)
    Image.fromarray(_page(edit=True)).save(after)
    out = tmp_path / "diff.png"
    assert main(["diff", str(before), str(after), "--out", str(out)]) == 0
    mode, pixels = _read(out.read_bytes())
    want = compare(_page(), _page(edit=True), output=True).diff_image
    assert mode == "P" and np.array_equal(pixels, want)


palette_by = each_kernel(
    png, "Which code builds the palette rows: the compiled kernel's or numpy's."
)


@pytest.mark.usefixtures("palette_by")
def test_an_image_of_many_colours_or_with_transparency_keeps_its_pixels_too():
    rng = np.random.default_rng(4)
    many = rng.integers(0, 256, (40, 50, 4), dtype=np.uint8)
    many[..., 3] = 255
    translucent = _page()
    translucent[5:9, 5:9, 3] = 128
    exactly_256 = rng.integers(0, 256, (16, 16, 4), dtype=np.uint8)
    exactly_256[..., 0] = np.arange(256).reshape(16, 16)  # 256 distinct colours
    exactly_256[..., 3] = 255
    cases = ((many, "RGBA"), (translucent, "RGBA"), (_page(edit=True), "P"), (exactly_256, "P"))
    for img, kind in cases:
        mode, pixels = _read(encode_png(img))
        assert mode == kind and np.array_equal(pixels, img)
