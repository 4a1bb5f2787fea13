"""A corpus of hostile and awkward uploads, generated on the fly (no binaries checked in).

Each :class:`Case` is a file name, a function that makes its bytes, and what must happen
when it is loaded: accepted (``refuse`` is None: ``load_image`` returns) or refused with a
phrase that the one-sentence message must contain.

    for case in CASES: data = case.make(); ...

Bytes are made lazily (and cached) because a few cases are large (over 20 MiB, 30000 px).
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np
from PIL import Image

from tests.imagegen import encode, screenshot

# Phrases of the messages in uireview.images.load_image, named once so tests read well.
EMPTY = "is empty"
NOT_IMAGE = "not an image we can read"
DAMAGED = "cut off or damaged"
TOO_BIG_FILE = "the limit is 20 MiB"
TOO_MANY_PIXELS = "megapixels"
TOO_SMALL = "upload a real screenshot"
TOO_LONG = "longer than any screen capture"
METADATA = "more embedded metadata"
ANIMATED = "is animated"
WRONG_FORMAT = "Upload a PNG, JPEG, WebP or GIF"


@dataclass(frozen=True)
class Case:
    """One hostile upload and its expected outcome."""

    id: str
    filename: str
    build: Callable[[], bytes]
    refuse: str | None = None  # a phrase of the message; None means accepted

    @property
    def accepted(self) -> bool:
        return self.refuse is None

    def make(self) -> bytes:
        return _bytes(self.id)


# --- builders -----------------------------------------------------------------------------


def _shot(width: int = 640, height: int = 400) -> Image.Image:
    return screenshot(width, height)


def _png_chunk(kind: bytes, data: bytes, *, crc: int | None = None) -> bytes:
    body = kind + data
    value = zlib.crc32(body) if crc is None else crc
    return struct.pack(">I", len(data)) + body + struct.pack(">I", value & 0xFFFFFFFF)


def _png_raw(
    width: int,
    height: int,
    *,
    bit_depth: int = 8,
    colour: int = 2,
    row: bytes | None = None,
    rows: int | None = None,
) -> bytes:
    """A PNG written by hand: IHDR, then IDAT of identical rows streamed through zlib.

    ``rows`` writes fewer rows than declared (a header that lies about its data).
    """
    channels = {0: 1, 2: 3, 4: 2, 6: 4, 3: 1}[colour]
    row_bytes = (width * channels * bit_depth + 7) // 8
    row = b"\x00" + (row if row is not None else bytes(row_bytes))
    comp = zlib.compressobj(9)
    parts = []
    block = row * 256
    full, rest = divmod(height if rows is None else rows, 256)
    for _ in range(full):
        parts.append(comp.compress(block))
    parts.append(comp.compress(row * rest))
    parts.append(comp.flush())
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, colour, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", b"".join(parts))
        + _png_chunk(b"IEND", b"")
    )


def bomb_png() -> bytes:
    """A PNG declaring 100000 x 100000 px (10 gigapixels) that is a few hundred bytes."""
    return _png_raw(100_000, 100_000, bit_depth=1, colour=0, rows=16)


def huge_png() -> bytes:
    """An honest 30000 x 30000 px one-bit PNG: a real image, far too big to review."""
    return _png_raw(30_000, 30_000, bit_depth=1, colour=0)


def tall_over_limit_png() -> bytes:
    """1500 x 50000 px (75 MP): over our 64 MP limit, under Pillow's bomb warning."""
    return _png_raw(1500, 50_000, bit_depth=1, colour=0)


def ztxt_bomb_png() -> bytes:
    """A valid picture carrying a compressed text chunk that inflates to 64 MiB."""
    text = zlib.compress(b"A" * (64 * 1024 * 1024), 9)
    chunk = _png_chunk(b"zTXt", b"Comment\x00\x00" + text)
    png = encode(_shot(), "PNG")
    return png[:33] + chunk + png[33:]  # after the signature and IHDR


def icc_15_mb_png() -> bytes:
    """A picture with a 15 MB colour profile (zeros: the file stays small)."""
    profile = zlib.compress(bytes(15 * 1024 * 1024), 9)
    chunk = _png_chunk(b"iCCP", b"Big profile\x00\x00" + profile)
    png = encode(_shot(), "PNG")
    return png[:33] + chunk + png[33:]


def bad_crc_png() -> bytes:
    png = encode(_shot(), "PNG")
    # IHDR's CRC sits at bytes 29..33.
    return png[:29] + b"\xde\xad\xbe\xef" + png[33:]


def corrupt_idat_png() -> bytes:
    png = bytearray(encode(_shot(), "PNG"))
    start = png.find(b"IDAT") + 4
    for i in range(start + 20, min(start + 400, len(png) - 16)):
        png[i] ^= 0x5A  # scramble the deflate stream (its CRC is now wrong too)
    return bytes(png)


def over_20_mib_png() -> bytes:
    """A real PNG of noise (incompressible), 2700 x 2600 RGB: about 21 MiB."""
    rng = np.random.default_rng(7)
    noise = rng.integers(0, 256, (2600, 2700, 3), dtype=np.uint8)
    return encode(Image.fromarray(noise), "PNG", compress_level=0)


def animated_gif() -> bytes:
    frames = [_shot(), _shot().transpose(Image.Transpose.FLIP_LEFT_RIGHT)]
    buf = io.BytesIO()
    frames[0].save(buf, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return buf.getvalue()


def apng() -> bytes:
    frames = [_shot(), _shot().transpose(Image.Transpose.FLIP_LEFT_RIGHT)]
    buf = io.BytesIO()
    frames[0].save(buf, "PNG", save_all=True, append_images=frames[1:], duration=100)
    return buf.getvalue()


def animated_webp() -> bytes:
    frames = [_shot(), _shot().transpose(Image.Transpose.FLIP_LEFT_RIGHT)]
    buf = io.BytesIO()
    frames[0].save(buf, "WEBP", save_all=True, append_images=frames[1:], duration=100)
    return buf.getvalue()


def exif_rotated_jpeg() -> bytes:
    """Stored 640 x 400, with EXIF orientation 6 (rotate 90° clockwise to view): 400 x 640."""
    exif = Image.Exif()
    exif[0x0112] = 6
    return encode(_shot(), "JPEG", quality=90, exif=exif.tobytes())


def cmyk_jpeg() -> bytes:
    return encode(_shot().convert("CMYK"), "JPEG", quality=90)


def png16_gray() -> bytes:
    """16-bit grayscale: a left-to-right ramp from black to white."""
    ramp = np.tile(np.linspace(0, 65535, 640).astype(np.uint16), (400, 1))
    return encode(Image.fromarray(ramp), "PNG")  # uint16 -> mode I;16


def png16_rgb() -> bytes:
    """48-bit RGB, written by hand (Pillow does not save it): mid grey everywhere."""
    return _png_raw(320, 200, bit_depth=16, colour=2, row=b"\x80\x00" * 3 * 320)


def palette_with_transparency() -> bytes:
    img = _shot().convert("P", palette=Image.Palette.ADAPTIVE, colors=64)
    return encode(img, "PNG", transparency=0)


def grayscale() -> bytes:
    return encode(_shot().convert("L"), "PNG")


def gray_alpha() -> bytes:
    return encode(_shot().convert("LA"), "PNG")


def rgba_half_transparent() -> bytes:
    img = _shot().convert("RGBA")
    img.putalpha(128)
    return encode(img, "PNG")


def single_frame_gif() -> bytes:
    return encode(_shot(), "GIF")


def still_webp() -> bytes:
    return encode(_shot(), "WEBP", quality=90)


def progressive_jpeg() -> bytes:
    return encode(_shot(), "JPEG", quality=85, progressive=True)


def wide_strip() -> bytes:
    """12000 x 300: longer than the API's 8192 px edge, accepted and resized when sent."""
    return encode(screenshot(12000, 300), "PNG")


def thin(width: int, height: int) -> Callable[[], bytes]:
    """A flat strip with a row of marks: a few hundred bytes the text detector once scaled
    up to gigabytes (its short side to 736 px)."""

    def build() -> bytes:
        img = Image.new("RGB", (width, height), "#f3f4f6")
        px = np.asarray(img).copy()
        px[height // 4 : max(height // 4 + 1, 3 * height // 4), ::9] = (31, 41, 55)
        return encode(Image.fromarray(px), "PNG")

    return build


def sixty_four_megapixels() -> bytes:
    """8000 x 8000: exactly the pixel limit, a dashboard in the top corner."""
    img = Image.new("RGB", (8000, 8000), "#f5f6f8")
    img.paste(screenshot(1440, 900), (0, 0))
    return encode(img, "PNG", compress_level=1)


def side_over_limit_png() -> bytes:
    """8 x 40000: a side longer than any screen capture (well under 64 MP)."""
    return _png_raw(8, 40_000, bit_depth=1, colour=0)


def tiny(size: tuple[int, int]) -> Callable[[], bytes]:
    return lambda: encode(Image.new("RGB", size, "white"), "PNG")


def _html() -> bytes:
    return b"<!doctype html><html><body><script>alert(1)</script><h1>Not a PNG</h1></body></html>"


def _svg() -> bytes:
    return (
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="800" '
        b'height="500"><script>alert(1)</script><rect width="800" height="500"/></svg>'
    )


def _pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


# A name a browser or OS could send: folders, quotes, HTML and a control character.
HOSTILE_NAME = '..\\..//etc/pass"wd/<img src=x onerror=alert(1)>\'shot\x07".png'

CASES: list[Case] = [
    # Refused, each with its sentence.
    Case("zero_bytes", "empty.png", lambda: b"", EMPTY),
    Case("text_as_png", "notes.png", lambda: b"just some notes, not pixels\n" * 20, NOT_IMAGE),
    Case("html_as_png", "page.png", _html, NOT_IMAGE),
    Case("svg_as_png", "icon.png", _svg, NOT_IMAGE),
    Case("pdf_as_png", "doc.png", _pdf, NOT_IMAGE),
    Case("null_bytes", "nulls.png", lambda: bytes(4096), NOT_IMAGE),
    Case("png_signature_only", "sig.png", lambda: b"\x89PNG\r\n\x1a\n", DAMAGED),
    Case("truncated_png", "cut.png", lambda: encode(_shot(), "PNG")[:3000], DAMAGED),
    Case("truncated_jpeg", "cut.jpg", lambda: encode(_shot(), "JPEG")[:3000], DAMAGED),
    Case("jpeg_header_only", "head.jpg", lambda: encode(_shot(), "JPEG")[:200], DAMAGED),
    Case("png_bad_header_crc", "crc.png", bad_crc_png, DAMAGED),
    Case("png_corrupt_idat", "idat.png", corrupt_idat_png, DAMAGED),
    Case("png_ztxt_bomb", "ztxt.png", ztxt_bomb_png, METADATA),
    Case("png_icc_15_mb", "profiled.png", icc_15_mb_png, METADATA),
    Case("decompression_bomb", "bomb.png", bomb_png, TOO_MANY_PIXELS),
    Case("png_30000_square", "huge.png", huge_png, TOO_MANY_PIXELS),
    Case("png_75_megapixels", "tall.png", tall_over_limit_png, TOO_MANY_PIXELS),
    Case("over_20_mib", "big.png", over_20_mib_png, TOO_BIG_FILE),
    Case("side_over_limit", "ribbon.png", side_over_limit_png, TOO_LONG),
    Case("one_pixel", "dot.png", tiny((1, 1)), TOO_SMALL),
    Case("seven_pixels", "small.png", tiny((7, 7)), TOO_SMALL),
    Case("animated_gif", "anim.gif", animated_gif, ANIMATED),
    Case("apng", "anim.png", apng, ANIMATED),
    Case("animated_webp", "anim.webp", animated_webp, ANIMATED),
    Case("bmp_as_png", "shot.png", lambda: encode(_shot(), "BMP"), WRONG_FORMAT),
    Case("tiff_as_png", "shot.png", lambda: encode(_shot(), "TIFF"), WRONG_FORMAT),
    Case("ico_as_png", "icon.png", lambda: encode(Image.new("RGB", (64, 64)), "ICO"), WRONG_FORMAT),
    # Accepted.
    Case("plain_png", "plain.png", lambda: encode(_shot(), "PNG")),
    Case("cmyk_jpeg", "cmyk.jpg", cmyk_jpeg),
    Case("png_16bit_gray", "deep.png", png16_gray),
    Case("png_16bit_rgb", "deep-rgb.png", png16_rgb),
    Case("palette_transparency", "palette.png", palette_with_transparency),
    Case("exif_rotated_jpeg", "phone.jpg", exif_rotated_jpeg),
    Case("grayscale_png", "gray.png", grayscale),
    Case("gray_alpha_png", "la.png", gray_alpha),
    Case("rgba_half_transparent", "glass.png", rgba_half_transparent),
    Case("single_frame_gif", "still.gif", single_frame_gif),
    Case("still_webp", "still.webp", still_webp),
    Case("progressive_jpeg", "prog.jpg", progressive_jpeg),
    Case("jpeg_garbage_appended", "tail.jpg", lambda: encode(_shot(), "JPEG") + b"GARBAGE" * 500),
    Case("png_garbage_appended", "tail.png", lambda: encode(_shot(), "PNG") + b"\x00junk" * 500),
    Case("png_named_jpg", "actually-png.jpg", lambda: encode(_shot(), "PNG")),
    Case("wide_strip_12000", "strip.png", wide_strip),
    Case("thin_4096x8", "thin-wide.png", thin(4096, 8)),
    Case("thin_20000x8", "ribbon-wide.png", thin(20000, 8)),
    Case("thin_8x20000", "ribbon-tall.png", thin(8, 20000)),
    Case("megapixels_64", "huge-canvas.png", sixty_four_megapixels),
    Case("hostile_file_name", HOSTILE_NAME, lambda: encode(_shot(660, 420), "PNG")),
]

BY_ID = {case.id: case for case in CASES}


@cache
def _bytes(case_id: str) -> bytes:
    return BY_ID[case_id].build()


def eleven_files() -> list[tuple[str, bytes]]:
    """Eleven distinct good screenshots: one more than a review takes."""
    return [(f"shot-{i:02d}.png", encode(screenshot(400 + 8 * i, 300), "PNG")) for i in range(11)]


def many_large_files() -> list[tuple[str, bytes]]:
    """Ten distinct screenshots of about 18 MiB each (noise does not compress): a full batch."""
    rng = np.random.default_rng(15)
    files = []
    for i in range(10):
        noise = rng.integers(0, 256, (2450, 2450, 3), dtype=np.uint8)
        files.append(
            (f"noisy-{i:02d}.png", encode(Image.fromarray(noise), "PNG", compress_level=0))
        )
    return files
