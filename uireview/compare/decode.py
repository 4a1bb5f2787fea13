"""Screenshot files to RGBA pixels, by the fastest decoder that gives Pillow's exact pixels.

Measured on dashboard PNGs (CPU ms per decode, 1440x900 / 3840x2160, benchmarks/bench_decode.py):
Pillow 12 / 111 (with its RGBX copy), OpenCV 11 / 92, libspng through pyspng-seunglab 9 / 62,
imagecodecs 15 / 96 once the alpha channel is added (it returns RGB; a 26 MB wheel too).
Fastest of all, 13 ms at 3840x2160: libdeflate's inflate (the ``deflate`` package, 20x zlib's
speed on screenshots) and the compiled kernel's unfilter (_kernel.c), for the 8-bit RGB and
RGBA PNGs browsers save; libspng takes the other plain PNGs, and all of them where either
piece is missing.

libspng takes the PNGs whose pixels it gives exactly as Pillow's ``convert("RGBA")`` does
(tests/test_decode_fast.py checks every colour type, bit depth, Adam7 and the ancillary chunks):
all but a tRNS colour key or palette alpha (pyspng does not apply tRNS) and 16-bit grey
(Pillow clips it to white). The file's chunks are walked first (headers and CRCs only) so that
it also takes only files Pillow accepts as they are: declared size within the review's limits,
no animation, no oversized metadata, no broken chunk. Everything else (other PNGs, JPEG, WebP,
GIF, and any file libspng refuses) goes to Pillow, so pixels and error sentences stay Pillow's.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from uireview.errors import BadImage
from uireview.limits import MAX_PIXELS, MAX_SIDE, bomb_refusal, check_size, decode_failure

if TYPE_CHECKING:
    import numpy as np

_PNG = b"\x89PNG\r\n\x1a\n"
# Chunks that would make libspng's pixels or outcome differ from Pillow's: transparency it does
# not apply, and animation (Pillow shows the first frame, which may not be the IDAT image).
_PILLOW_ONLY = frozenset({b"tRNS", b"acTL", b"fcTL", b"fdAT"})
# Metadata Pillow inflates under a 1 MB cap per chunk (refusing the file past it). A body
# this short cannot inflate past the cap (deflate expands at most ~1032:1); longer ones go to
# Pillow, which decides.
_METADATA = frozenset({b"tEXt", b"zTXt", b"iTXt", b"iCCP"})
_METADATA_FAST_BYTES = 1000


def png_size(data: bytes) -> tuple[int, int] | None:
    """A PNG's declared width and height from its header; None if it is not a PNG."""
    if len(data) < 24 or not data.startswith(_PNG) or data[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def _plain_png(data: bytes) -> bool:
    """Whether libspng decodes this file to Pillow's exact pixels, and Pillow would accept it."""
    if len(data) < 33 or png_size(data) is None:
        return False
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
        return False  # refused: Pillow's path words the refusal
    if colour == 0 and depth == 16:
        return False
    at, seen_idat = 8, False
    while at + 12 <= len(data):
        length, kind = struct.unpack(">I4s", data[at : at + 8])
        end = at + 12 + length
        if end > len(data) or kind in _PILLOW_ONLY:
            return False
        if kind == b"IEND":
            return seen_idat
        if kind == b"IDAT":
            seen_idat = True  # libspng checks the image data's CRCs itself
        else:
            if kind in _METADATA and length > _METADATA_FAST_BYTES:
                return False
            (crc,) = struct.unpack(">I", data[end - 4 : end])
            if zlib.crc32(data[at + 4 : end - 4]) != crc:
                return False  # Pillow refuses a broken chunk that libspng would skip
        at = end
    return False  # no IEND: cut off


def _unfiltered(data: bytes) -> np.ndarray | None:
    """An 8-bit RGB or RGBA PNG without interlace (what browsers save) decoded here: inflated
    by libdeflate (the ``deflate`` package) and unfiltered by the compiled kernel (_kernel.c).

    Measured on a 3840x2160 screenshot (CPU): 13 ms against libspng's 61 ms, which is mostly
    zlib's inflate. Exact by construction (inflate and the PNG filters are lossless; the
    tests compare with Pillow). None for any other PNG, when either piece is not installed, or
    when the data is not exactly what the header promises: libspng or Pillow then decides.
    """
    if not _unfilterable(data):
        return None
    width, height = struct.unpack(">II", data[16:24])
    colour = data[25]
    try:
        import deflate

        from uireview.compare import _kernel
    except ImportError:
        return None
    parts = _idat(data)
    if parts is None:
        return None
    channels = 3 if colour == 2 else 4
    size = height * (width * channels + 1)  # a filter byte, then the row
    try:
        raw = deflate.zlib_decompress(b"".join(parts), size + 1)  # one more: too long shows
    except deflate.DeflateError:  # damaged stream or checksum
        return None
    if len(raw) != size:
        return None
    import numpy as np

    pixels = np.empty((height, width, 4), np.uint8)
    try:
        _kernel.unfilter(raw, width, height, channels, pixels)
    except ValueError:  # a row with an unknown filter type
        return None
    return pixels


def _idat(data: bytes) -> list[memoryview] | None:
    """The image data chunks' bodies, if they follow each other (as the format requires) and
    their CRCs hold (libspng checks them too); else None."""
    view = memoryview(data)
    parts: list[memoryview] = []
    at, ended = 8, False
    while at + 12 <= len(data):
        length, kind = struct.unpack(">I4s", data[at : at + 8])
        end = at + 12 + length
        if kind == b"IDAT":
            if ended:
                return None
            (crc,) = struct.unpack(">I", data[end - 4 : end])
            if zlib.crc32(view[at + 4 : end - 4]) != crc:
                return None
            parts.append(view[at + 8 : end - 4])
        elif parts:
            ended = True
        at = end
    return parts or None


def _spng(data: bytes) -> np.ndarray | None:
    try:
        import pyspng
    except ImportError:  # optional: Pillow decodes everything too, only slower
        return None
    try:
        return pyspng.load(data, format="RGBA")
    except Exception:  # damaged or unusual: Pillow decides and words the error
        return None


def _pillow(path: str, check: bool = False) -> np.ndarray:
    """Pillow's ``convert("RGBA")`` pixels; ``check``: refuse a declared size over the limits
    before decoding (``BadImage``)."""
    import numpy as np
    from PIL import Image, ImageFile

    with Image.open(path) as im:  # by path: Pillow's messages name the file
        if check:
            check_size(Path(path).name, im.width, im.height)
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
        pixels = _without_pillow(data)
        if pixels is not None:
            return pixels
    return _pillow(path)


def read_bytes(path: str) -> bytes:
    """A screenshot file's bytes; ``BadImage`` with a sentence when it cannot be read."""
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        raise BadImage(f"“{path}” does not exist.") from None
    except IsADirectoryError:
        raise BadImage(f"“{path}” is a folder, not an image file.") from None
    except PermissionError:
        raise BadImage(f"“{path}” cannot be read (permission denied).") from None
    except OSError as exc:
        raise decode_failure(Path(path).name, exc) from None


def _without_pillow(data: bytes) -> np.ndarray | None:
    """A plain PNG's pixels by the fastest decoder here; None when Pillow must decide."""
    pixels = _unfiltered(data)
    return _spng(data) if pixels is None else pixels


def fast(data: bytes) -> bool:
    """Whether ``read_screenshot`` decodes these bytes without Pillow (a decoder installed)."""
    if not _plain_png(data):
        return False
    if _unfilterable(data) and _importable("deflate") and _importable("uireview.compare._kernel"):
        return True
    return _importable("pyspng")


def _unfilterable(data: bytes) -> bool:
    """Whether the header is one ``_unfiltered`` decodes (8-bit RGB or RGBA, no interlace)."""
    depth, colour, compression, filtering, interlace = data[24:29]
    return depth == 8 and colour in (2, 6) and not (compression or filtering or interlace)


def _importable(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    return True


@contextmanager
def bombs_refused() -> Iterator[None]:
    """Pillow's decompression-bomb warning raised as an error, for ``read_screenshot``.

    Warning filters are process-wide: set them once around every decoding thread, not in each.
    ImageFile.MAXBLOCK, which ``_pillow`` raises and puts back, is put back here too: two
    threads doing that in turn can leave it raised.
    """
    import warnings

    from PIL import Image, ImageFile

    block = ImageFile.MAXBLOCK
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield
    finally:
        ImageFile.MAXBLOCK = block


def read_screenshot(path: str, data: bytes | None = None) -> np.ndarray:
    """A screenshot's RGBA pixels for a diff, held to the review's limits and sentences.

    The declared size is checked before decoding (from the PNG header, else from Pillow's
    open). Raises ``BadImage``. Files that go to Pillow need ``bombs_refused()`` around the
    call, or Pillow's decompression-bomb warning is only a warning.
    """
    if data is None:
        data = read_bytes(path)
    name = Path(path).name
    # _plain_png reads the declared size first and leaves any size over the limits to
    # Pillow, whose open() reads only the header: refused there, with the review's sentence
    # (a decompression bomb is worded as one), before anything is decoded.
    if _plain_png(data):
        pixels = _without_pillow(data)
        if pixels is not None:
            return pixels
    from PIL import Image, UnidentifiedImageError

    try:
        return _pillow(path, check=True)
    except BadImage:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise bomb_refusal(name, exc) from None
    except UnidentifiedImageError:
        raise BadImage(
            f"“{name}” is not an image we can read. Upload a PNG, JPEG, WebP or GIF screenshot."
        ) from None
    except FileNotFoundError:
        raise BadImage(f"“{path}” does not exist.") from None
    except (OSError, ValueError, EOFError, SyntaxError, MemoryError) as exc:
        raise decode_failure(name, exc) from None
