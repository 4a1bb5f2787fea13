"""Screenshot files to RGBA pixels, by the fastest decoder that gives Pillow's exact pixels.

Measured on dashboard PNGs (CPU ms per decode, 1440x900 / 3840x2160, benchmarks/bench_decode.py):
Pillow 12 / 111 (with its RGBX copy), OpenCV 11 / 92, libspng through pyspng-seunglab 9 / 62,
imagecodecs 15 / 96 once the alpha channel is added (it returns RGB; a 26 MB wheel too).
libspng is used for the screenshots CI produces (8-bit RGB or RGBA PNGs without a transparent
colour key), where its pixels equal Pillow's; every other file (palette, grey, 16-bit, JPEG,
WebP) and any file libspng refuses goes to Pillow, so pixels and error sentences stay Pillow's.
"""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

_PNG = b"\x89PNG\r\n\x1a\n"
# Larger frames go to Pillow, whose decompression-bomb rule then applies as before.
_FAST_MAX_PIXELS = 1 << 26


def _plain_png(data: bytes) -> bool:
    """Whether a PNG is 8-bit RGB/RGBA without a tRNS chunk (the case libspng decodes here)."""
    if not data.startswith(_PNG) or data[12:16] != b"IHDR" or len(data) < 33:
        return False
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    if depth != 8 or colour not in (2, 6) or width * height > _FAST_MAX_PIXELS:
        return False
    at = 33  # chunks up to the first IDAT: a tRNS there would give RGB a colour key
    while at + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[at : at + 8])
        if kind == b"IDAT":
            return True
        if kind == b"tRNS":
            return False
        at += 12 + length
    return False


def _spng(data: bytes) -> np.ndarray | None:
    try:
        import pyspng
    except ImportError:  # optional: Pillow decodes everything too, only slower
        return None
    try:
        return pyspng.load(data, format="RGBA")
    except Exception:  # damaged or unusual: Pillow decides and words the error
        return None


def _pillow(path: str) -> np.ndarray:
    import numpy as np
    from PIL import Image, ImageFile

    with Image.open(path) as im:  # by path: Pillow's messages name the file
        block = ImageFile.MAXBLOCK
        # tobytes() fills blocks of ImageFile.MAXBLOCK bytes and joins them: one block for the
        # whole frame saves a copy (~20-40 ms for a 4K frame); put back for whoever saves next
        ImageFile.MAXBLOCK = max(block, im.width * im.height * 4)
        try:
            # (not with a tRNS colour key, which convert("RGBA") turns into alpha 0)
            if im.mode == "RGB" and im.format == "PNG" and "transparency" not in im.info:
                # Pillow holds RGB as 4 bytes a pixel, the 4th set to 255 by its PNG unpackers,
                # so "RGBX" bytes are RGBA already: a plain copy, where convert("RGBA") costs a
                # pass per pixel (~60 ms for a 4K frame).
                raw = im.tobytes("raw", "RGBX")
            else:
                raw = (im if im.mode == "RGBA" else im.convert("RGBA")).tobytes()
        finally:
            ImageFile.MAXBLOCK = block
        return np.frombuffer(raw, np.uint8).reshape(im.height, im.width, 4)


def decode_rgba(path: str, data: bytes | None = None) -> np.ndarray:
    """An image file's pixels as a (height, width, 4) uint8 RGBA array, equal to Pillow's
    ``convert("RGBA")``. Raises OSError (missing, unreadable) or Pillow's error (not an image).

    ``data``: the file's bytes when the caller has read them already.
    """
    if data is None:
        with open(path, "rb") as f:
            data = f.read()
    if _plain_png(data):
        pixels = _spng(data)
        if pixels is not None:
            return pixels
    return _pillow(path)
