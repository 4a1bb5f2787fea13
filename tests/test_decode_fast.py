"""The diff's fast PNG decoders (libdeflate with the compiled unfilter, and libspng) are
invisible: Pillow's pixels, Pillow's refusals.

Every colour type, bit depth, transparency, interlace and row filter of PNG, and every file of
the hostile corpus, decodes to the same pixels or is refused with the same sentence as through
Pillow alone, by each fast decoder.
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
        m.setattr(decode, "_without_pillow", lambda data: None)
        return _outcome(path, data)


@pytest.fixture(params=["unfiltered", "libspng"])
def fast_decoder(request, monkeypatch) -> str:
    """Which fast decoder takes the plain PNGs in this test (libspng: the compiled one off)."""
    if request.param == "libspng":
        monkeypatch.setattr(decode, "_unfiltered", lambda data: None)
    else:
        pytest.importorskip("deflate")
        pytest.importorskip("uireview.compare._kernel", reason="bash scripts/test.sh builds it")
    return request.param


def _same(a: tuple[str, object], b: tuple[str, object]) -> bool:
    if a[0] != b[0]:
        return False
    if a[0] == "pixels":
        return np.array_equal(a[1], b[1]) and a[1].shape == b[1].shape  # type: ignore[union-attr]
    return a[1] == b[1]


@pytest.mark.parametrize(("name", "data"), KINDS, ids=[name for name, _ in KINDS])
def test_every_png_kind_decodes_to_pillows_pixels_and_most_without_pillow(
    tmp_path, monkeypatch, fast_decoder, name, data
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
def test_every_hostile_file_gets_the_outcome_pillow_alone_gives_it(
    tmp_path, monkeypatch, fast_decoder, case
):
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


def test_without_a_fast_decoder_installed_pillow_decodes_the_same_pixels(tmp_path, monkeypatch):
    data = _rgb_png()
    path = tmp_path / "shot.png"
    path.write_bytes(data)
    with_fast = _outcome(path, data)
    monkeypatch.setitem(sys.modules, "pyspng", None)  # import pyspng now raises ImportError
    assert decode.fast(data) is decode._importable("deflate")  # the compiled one still is
    monkeypatch.setitem(sys.modules, "deflate", None)
    assert not decode.fast(data)
    assert _same(_outcome(path, data), with_fast)


def _filtered_png(samples: np.ndarray, colour: int, kinds: list[int], chunks: int = 3) -> bytes:
    """An 8-bit PNG whose row y uses filter kinds[y % len(kinds)], its data in several IDATs."""
    h, w, channels = samples.shape
    img = samples.astype(np.int64).reshape(h, w * channels)
    rows = []
    for y in range(h):
        x = img[y]
        up = img[y - 1] if y else np.zeros_like(x)
        left = np.concatenate([np.zeros(channels, np.int64), x[:-channels]])
        corner = np.concatenate([np.zeros(channels, np.int64), up[:-channels]])
        pa, pb, pc = abs(up - corner), abs(left - corner), abs(left + up - 2 * corner)
        paeth = np.where((pa <= pb) & (pa <= pc), left, np.where(pb <= pc, up, corner))
        kind = kinds[y % len(kinds)]
        prediction = [0, left, up, (left + up) // 2, paeth][kind]
        rows.append(bytes([kind]) + ((x - prediction) % 256).astype(np.uint8).tobytes())
    stream = zlib.compress(b"".join(rows))
    step = -(-len(stream) // chunks)
    header = struct.pack(">IIBBBBB", w, h, 8, colour, 0, 0, 0)
    idat = b"".join(chunk(b"IDAT", stream[i : i + step]) for i in range(0, len(stream), step))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + idat + chunk(b"IEND", b"")


def _screen_like(channels: int, seed: int = 1) -> np.ndarray:
    """Gradients, flat panels and noise: every branch of the Paeth predictor gets taken."""
    rng = np.random.default_rng(seed)
    h, w = 29, 41
    ys, xs = np.mgrid[0:h, 0:w]
    img = np.stack([(xs * 7 + ys * c * 3) % 256 for c in range(1, channels + 1)], axis=-1)
    img[5:15, 10:30] = rng.integers(0, 256, channels)
    img[18:] = rng.integers(0, 256, (h - 18, w, channels))
    return img.astype(np.uint8)


@pytest.mark.parametrize("colour", [2, 6], ids=["rgb8", "rgba8"])
def test_every_row_filter_is_undone_to_pillows_pixels(tmp_path, colour):
    pytest.importorskip("deflate")
    pytest.importorskip("uireview.compare._kernel", reason="bash scripts/test.sh builds it")
    samples = _screen_like(3 if colour == 2 else 4)
    for filters in ([0, 1, 2, 3, 4], [4], [3], [1, 2], [2, 4, 0]):
        data = _filtered_png(samples, colour, filters)
        path = tmp_path / "filtered.png"
        path.write_bytes(data)
        with Image.open(path) as im:
            want = np.asarray(im.convert("RGBA"))
        got = decode._unfiltered(data)
        assert got is not None, filters
        assert np.array_equal(got, want), filters
        assert np.array_equal(got[..., : samples.shape[2]], samples), filters


def test_data_that_is_not_what_the_header_promises_is_left_to_the_other_decoders():
    pytest.importorskip("deflate")
    pytest.importorskip("uireview.compare._kernel", reason="bash scripts/test.sh builds it")
    samples = _screen_like(3)
    good = _filtered_png(samples, 2, [0, 1, 2, 3, 4], chunks=1)
    assert decode._unfiltered(good) is not None
    h, w = samples.shape[:2]
    header = good[:33]
    rows = zlib.decompress(good[41 : good.index(b"IEND") - 8])

    def with_stream(raw: bytes) -> bytes:
        return header + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")

    unknown_filter = bytes([5]) + rows[1:]
    idat_at = good.index(b"IDAT") - 4
    split_idat = _filtered_png(samples, 2, [0], chunks=2)
    second = split_idat.index(b"IDAT", split_idat.index(b"IDAT") + 4) - 4
    bad_crc = bytearray(good)
    bad_crc[good.index(b"IEND") - 5] ^= 1  # the last byte of IDAT's CRC
    for label, data in {
        "a row with an unknown filter type": with_stream(unknown_filter),
        "rows cut short": with_stream(rows[:-1]),
        "more rows than the height": with_stream(rows + rows[: 3 * w + 1]),
        "a broken deflate stream": header + chunk(b"IDAT", b"x\x9c\xff\xff") + good[-12:],
        "an IDAT whose CRC is wrong": bytes(bad_crc),
        "image data split by another chunk": split_idat[:second]
        + chunk(b"tEXt", b"a\x00b")
        + split_idat[second:],
    }.items():
        assert idat_at > 0
        assert decode._unfiltered(data) is None, label
    assert h > 1
