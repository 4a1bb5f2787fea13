"""The diff's fast PNG decoder (libspng) is invisible: Pillow's pixels, Pillow's refusals.

Every colour type, bit depth, transparency and interlace of PNG, and every file of the hostile
corpus, decodes to the same pixels or is refused with the same sentence as through Pillow alone.
"""

from __future__ import annotations

import struct
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.hostile import CASES
from tests.pngkinds import chunk, kinds, png
from uireview.compare import decode
from uireview.errors import BadImage

REPO = Path(__file__).resolve().parents[1]
KINDS = kinds()
# What libspng (as pyspng calls it) would get wrong, so Pillow decodes it: tRNS is not applied,
# and Pillow clips 16-bit grey to 8 bits where libspng scales it.
PILLOW_ONLY = {name for name, _ in KINDS if "trns" in name or name.startswith("grey16")}


def _outcome(path: Path, data: bytes) -> tuple[str, object]:
    try:
        with decode.bombs_refused():
            return "pixels", decode.read_screenshot(str(path), data)
    except BadImage as exc:
        return "refused", str(exc)


def _pillow_alone(monkeypatch, path: Path, data: bytes) -> tuple[str, object]:
    with monkeypatch.context() as m:
        m.setattr(decode, "_spng", lambda data: None)
        return _outcome(path, data)


def _same(a: tuple[str, object], b: tuple[str, object]) -> bool:
    if a[0] != b[0]:
        return False
    if a[0] == "pixels":
        return np.array_equal(a[1], b[1]) and a[1].shape == b[1].shape  # type: ignore[union-attr]
    return a[1] == b[1]


@pytest.mark.parametrize(("name", "data"), KINDS, ids=[name for name, _ in KINDS])
def test_every_png_kind_decodes_to_pillows_pixels_and_most_without_pillow(
    tmp_path, monkeypatch, name, data
):
    path = tmp_path / f"{name}.png"
    path.write_bytes(data)
    with Image.open(path) as im:
        want = np.asarray(im.convert("RGBA"))
    assert decode._plain_png(data) is (name not in PILLOW_ONLY)
    kind, pixels = _outcome(path, data)
    assert kind == "pixels" and np.array_equal(pixels, want)
    assert _same(_pillow_alone(monkeypatch, path, data), (kind, pixels))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_every_hostile_file_gets_the_outcome_pillow_alone_gives_it(tmp_path, monkeypatch, case):
    data = case.make()
    size = decode.png_size(data)
    if case.accepted and size and size[0] * size[1] > 20_000_000:
        pytest.skip("a 64-megapixel decode, twice: the size limit has its own tests")
    path = tmp_path / (case.id + Path(case.filename).suffix)
    path.write_bytes(data)
    fast, alone = _outcome(path, data), _pillow_alone(monkeypatch, path, data)
    assert _same(fast, alone), (fast[0], alone[0], fast[1] if fast[0] == "refused" else "")


def _rgb_png(extra: bytes = b"") -> bytes:
    pixels = np.random.default_rng(5).integers(0, 256, (20, 30, 3))
    return png(pixels, colour=2, extra=extra)


def test_files_pillow_refuses_never_take_the_fast_path():
    good = _rgb_png()
    assert decode._plain_png(good)
    body = good[33:]
    broken_chunk = chunk(b"tEXt", b"Title\x00x")[:-4] + b"\x00\x00\x00\x00"  # its CRC is wrong
    big_text = chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"A" * 2_000_000, 9) * 2)
    animated = chunk(b"acTL", struct.pack(">II", 1, 0))
    for label, data in {
        "a broken chunk": good[:33] + broken_chunk + body,
        "compressed text that may inflate past Pillow's cap": good[:33] + big_text + body,
        "an animation": good[:33] + animated + body,
        "no IEND (cut off)": good[:-12],
        "no IDAT": good[:33] + chunk(b"IEND", b""),
        "a size over the limit": good[:16] + struct.pack(">II", 9000, 9000) + good[24:],
    }.items():
        assert not decode._plain_png(data), label


def test_a_size_over_the_limit_is_refused_from_the_header_without_decoding(tmp_path):
    # 40000 x 40000 declared, almost no data: decoding would fail, refusing must not
    header = struct.pack(">IIBBBBB", 40_000, 40_000, 8, 2, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")
    path = tmp_path / "huge.png"
    path.write_bytes(data)
    kind, sentence = _outcome(path, data)
    assert kind == "refused" and "megapixels" in str(sentence) and "huge.png" in str(sentence)


def test_a_cut_off_png_is_refused_as_damaged(tmp_path):
    path = tmp_path / "cut.png"
    path.write_bytes(_rgb_png()[:70])
    kind, sentence = _outcome(path, path.read_bytes())
    assert kind == "refused" and "cut off or damaged" in str(sentence)


def test_without_libspng_installed_pillow_decodes_the_same_pixels(tmp_path, monkeypatch):
    data = _rgb_png()
    path = tmp_path / "shot.png"
    path.write_bytes(data)
    with_spng = _outcome(path, data)
    monkeypatch.setitem(sys.modules, "pyspng", None)  # import pyspng now raises ImportError
    assert not decode.fast(data)
    assert _same(_outcome(path, data), with_spng)
