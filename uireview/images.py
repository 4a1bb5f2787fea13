"""Decode, validate, normalise and encode screenshots.

The limits are xAI's: at most 10 images a message, 20 MiB an image, long edge resized past
8,192 px. Uploads may be PNG, JPEG, WebP or still GIF; what reaches api.x.ai is only PNG or
JPEG (xAI no longer lists WebP and GIF), re-encoded as PNG, losslessly, for UI shots.
Rejecting here gives the designer a sentence they can act on instead of a 400 from the API.
"""

from __future__ import annotations

import base64
import hashlib
import io
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from uireview.errors import BadImage

# The size limits and decode sentences are shared with the diff, which must not import Pillow
# to check them (compare/decode.py): written once in uireview/limits.py.
from uireview.limits import (  # noqa: F401  (part of this module's interface)
    MAX_PIXELS,
    MAX_SIDE,
    bomb_refusal,
    check_size,
    decode_failure,
)

if TYPE_CHECKING:
    from uireview.findings import ImageInfo

MAX_IMAGES = 10
MAX_BYTES = 20 * 1024 * 1024
MAX_EDGE = 8192
FORMAT_MIME = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp", "GIF": "image/gif"}
# What each kind of endpoint takes as image input.
XAI_MIMES = frozenset({"image/png", "image/jpeg"})
ANY_MIMES = frozenset(FORMAT_MIME.values())
# Leading bytes of the formats we take: a file that starts like one but does not open is
# damaged, not "not an image" (a cut download, a bad checksum).
_SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"GIF87a": "GIF",
    b"GIF89a": "GIF",
}
_SENDABLE_MODES = ("RGB", "RGBA", "L", "P", "LA")


def _signature(data: bytes) -> str | None:
    for magic, fmt in _SIGNATURES.items():
        if data.startswith(magic):
            return fmt
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WebP"
    return None


def _article(word: str) -> str:
    return "an" if word[:1].upper() in "AEIOU" else "a"


def safe_name(name: str) -> str:
    """A display name without folders or control characters (shown escaped anyway).

    A slash right after "<" closes a tag in the name ("</script>"), not a folder: cutting
    there showed "report\n<script>x</script>.png" as "script>.png". Line breaks and tabs
    become spaces; other control characters go.
    """
    base = re.split(r"\\|(?<!<)/", name or "")[-1]
    base = re.sub(r"[\r\n\t\v\f]+", " ", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    return " ".join(base.split())[:120] or "image"


@dataclass(frozen=True, eq=False)
class LoadedImage:
    """One validated upload: its original bytes and its pixels as the user sees them."""

    name: str
    data: bytes
    mime: str
    # HxWx3 (opaque) or HxWx4 uint8, EXIF orientation applied. An opaque image is kept as
    # RGB only: its RGBA form is made when something asks (the diff), which saves 256 MB on a
    # 64 MP review.
    pixels: np.ndarray
    reencode: bool  # the original bytes cannot be sent as they are (rotated, CMYK, 16-bit...)

    @property
    def width(self) -> int:
        return int(self.pixels.shape[1])

    @property
    def height(self) -> int:
        return int(self.pixels.shape[0])

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def info(self) -> ImageInfo:
        """What a review keeps about this image."""
        from uireview.findings import ImageInfo  # pydantic stays off the diff's import path

        return ImageInfo(
            name=self.name,
            width=self.width,
            height=self.height,
            mime=self.mime,
            sha256=self.sha256,
            bytes=len(self.data),
        )

    @cached_property
    def rgba(self) -> np.ndarray:
        """HxWx4 uint8 pixels."""
        if self.pixels.shape[2] == 4:
            return self.pixels
        rgba = np.empty(self.pixels.shape[:2] + (4,), dtype=np.uint8)
        rgba[..., :3] = self.pixels
        rgba[..., 3] = 255
        return rgba

    @cached_property
    def rgb(self) -> np.ndarray:
        """Pixels composited on white, what measured checks read."""
        if self.pixels.shape[2] == 3:
            return self.pixels
        if bool((self.pixels[..., 3] == 255).all()):
            return np.ascontiguousarray(self.pixels[..., :3])
        alpha = self.pixels[..., 3:4].astype(np.uint16)
        rgb = (self.pixels[..., :3].astype(np.uint16) * alpha + 255 * (255 - alpha) + 127) // 255
        return rgb.astype(np.uint8)

    def pil(self) -> Image.Image:
        return Image.fromarray(self.rgb)


def load_image(data: bytes, name: str = "image") -> LoadedImage:
    """Decode and validate one upload, or raise ``BadImage`` with what to do about it."""
    name = safe_name(name)
    if not data:
        raise BadImage(
            f"“{name}” is empty (0 bytes). Export the screenshot again and re-upload it."
        )
    if len(data) > MAX_BYTES:
        mib = math.ceil(len(data) / 1024 / 1024 * 10) / 10  # never "20.0 MiB" for 20 MiB + 1 B
        raise BadImage(
            f"“{name}” is {mib:.1f} MiB; the limit is 20 MiB. Export it as PNG at a smaller "
            "size, or as JPEG."
        )
    try:
        # No warnings filter: catch_warnings swaps the process-wide filter list, and threads
        # decoding at once (batch runs) raced on it. check_size below is the bomb check, on
        # the declared size before any decode: MAX_PIXELS is under Pillow's warning level, and
        # past twice that level Pillow's open() raises DecompressionBombError itself.
        img: Image.Image = Image.open(io.BytesIO(data))
        fmt = img.format
        if fmt not in FORMAT_MIME:
            kind = f"{_article(fmt)} {fmt} image" if fmt else "not an image we can read"
            raise BadImage(f"“{name}” is {kind}. Upload a PNG, JPEG, WebP or GIF screenshot.")
        check_size(name, *img.size)
        if getattr(img, "is_animated", False) and getattr(img, "n_frames", 1) > 1:
            raise BadImage(
                f"“{name}” is animated. Upload a still screenshot (export one frame as PNG)."
            )
        img.load()
        orientation = img.getexif().get(0x0112, 1)
        reencode = orientation not in (1, None) or img.mode not in _SENDABLE_MODES
        if orientation not in (1, None):
            img = ImageOps.exif_transpose(img)
        pixels = _to_pixels(img)
    except BadImage:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise bomb_refusal(name, exc) from None
    except (UnidentifiedImageError, SyntaxError):
        if fmt := _signature(data):
            raise BadImage(
                f"“{name}” starts like a {fmt} file but could not be decoded; "
                "the file may be cut off or damaged. Export it again."
            ) from None
        raise BadImage(
            f"“{name}” is not an image we can read. Upload a PNG, JPEG, WebP or GIF screenshot."
        ) from None
    except (OSError, ValueError, EOFError, MemoryError) as exc:
        raise decode_failure(name, exc) from None
    if pixels.shape[0] < 8 or pixels.shape[1] < 8:
        raise BadImage(
            f"“{name}” is only {pixels.shape[1]} x {pixels.shape[0]} px; upload a real screenshot."
        )
    return LoadedImage(name, data, FORMAT_MIME[fmt], np.ascontiguousarray(pixels), reencode)


def _to_pixels(img: Image.Image) -> np.ndarray:
    """HxWx3 for opaque RGB, else HxWx4."""
    # Pillow's convert("RGBA") from RGB takes ~180 ms on a 4K frame and most screenshots
    # are plain RGB: they stay RGB (LoadedImage.rgba fills an alpha plane when asked).
    if img.mode in ("RGBA", "RGB"):
        return np.asarray(img)
    if img.mode.startswith("I;16") or img.mode == "I":
        # 16-bit grey (PNG): Pillow's convert clips every value over 255 to white, so a
        # black-to-white ramp would come out almost all white. Keep the top 8 bits instead.
        grey = (np.asarray(img).astype(np.uint32) >> 8).clip(0, 255).astype(np.uint8)
        img = Image.fromarray(grey)
    return np.asarray(img.convert("RGBA"))


def check_count(count: int) -> None:
    """Raise ``BadImage`` when a request would carry more images than the API takes."""
    if count > MAX_IMAGES:
        raise BadImage(
            f"{count} images were given; a review takes at most {MAX_IMAGES}. "
            "Remove some and review the rest."
        )
    if count < 1:
        raise BadImage("Upload at least one screenshot to review.")


@dataclass(frozen=True)
class EncodedImage:
    """An image ready for the provider: a data URI with its true MIME type."""

    mime: str
    data: bytes
    width: int
    height: int

    @property
    def data_uri(self) -> str:
        return f"data:{self.mime};base64,{base64.b64encode(self.data).decode('ascii')}"


def cap_edge(img: Image.Image, max_edge: int = MAX_EDGE) -> Image.Image:
    """Scale down so the long edge is at most ``max_edge``; the API would do it anyway."""
    long_edge = max(img.size)
    if long_edge <= max_edge:
        return img
    factor = max_edge / long_edge
    size = (max(1, round(img.width * factor)), max(1, round(img.height * factor)))
    return img.resize(size, Image.Resampling.LANCZOS)


def looks_like_photo(img: Image.Image) -> bool:
    """True when the image has photo-like colour variety, where JPEG is far smaller.

    UI screenshots reuse a few hundred colours and compress well (and stay sharp) as PNG;
    photos and gradients have tens of thousands and do not.
    """
    sample = img.convert("RGB")
    sample.thumbnail((256, 256))
    colours = sample.getcolors(maxcolors=4096)
    return colours is None  # more than 4096 distinct colours in a 256 px thumbnail


def encode_for_model(img: Image.Image) -> EncodedImage:
    """Encode a (possibly annotated) screenshot for the API: PNG for UI, JPEG for photos.

    Always PNG or JPEG, so every endpoint takes it, api.x.ai included.
    """
    img = cap_edge(img)
    buf = io.BytesIO()
    if looks_like_photo(img):
        img.convert("RGB").save(buf, "JPEG", quality=90, optimize=True)
        mime = "image/jpeg"
    else:
        # compress_level 3: within a few percent of level 6 on UI shots, at a third of the time.
        img.save(buf, "PNG", compress_level=3)
        mime = "image/png"
    data = buf.getvalue()
    if len(data) > MAX_BYTES:  # a huge noisy PNG: JPEG always fits
        buf = io.BytesIO()
        img.convert("RGB").save(buf, "JPEG", quality=85)
        data, mime = buf.getvalue(), "image/jpeg"
    return EncodedImage(mime, data, img.width, img.height)


def encode_original(image: LoadedImage, accepts: frozenset[str] = ANY_MIMES) -> EncodedImage:
    """The upload as sent: its own bytes when ``accepts`` has its type, else re-encoded.

    With ``XAI_MIMES`` a WebP or GIF screenshot becomes a PNG of the same pixels.
    """
    if image.mime in accepts and not image.reencode and max(image.width, image.height) <= MAX_EDGE:
        return EncodedImage(image.mime, image.data, image.width, image.height)
    return encode_for_model(Image.fromarray(image.rgba))
