"""Before/after image slider that works offline, on Streamlit's components v2 API.

Same call shape as the PyPI package ``streamlit-image-comparison``::

    image_comparison(img1, img2, label1="Before", label2="After",
                     starting_position=50, width=None, key=None)

Why our own: that package loads juxtapose from an unpinned CDN (blank offline), re-encodes
images as JPEG (alpha lost) and puts labels into JavaScript unescaped. Here the HTML, CSS and
JS are the files next to this module, sent inline; images travel as lossless PNG data URIs;
labels reach the page only through ``textContent``. The browser makes no outside request.

Layout: the first image defines the box (its aspect ratio, and at most its pixel width unless
``width`` is given). A second image of another size is scaled to fit that box keeping its
proportions (letterboxed over a checkerboard), never stretched, and a caption under the slider
says so with both sizes. Transparent pixels show a checkerboard.

Interaction: drag anywhere on the image or the round handle; with the handle focused, the
left/right arrows move it 1 % (Shift: 10 %), Page Up/Down 10 %, Home/End to the ends. The
handle is ``role="slider"`` with ``aria-valuenow`` = the divider's position in percent, i.e.
how much of the *before* image shows. Moving it never reruns the script: nothing is sent
back to Python, and ``image_comparison`` returns ``None``.
"""

from __future__ import annotations

import base64
import io
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

__all__ = ["ImageComparisonError", "ImageLike", "PngImage", "image_comparison", "to_png"]

ImageLike = Image.Image | np.ndarray | bytes | bytearray | memoryview | str | os.PathLike

COMPONENT_NAME = "uireview_image_comparison"
_ASSETS = Path(__file__).parent
# Modes a PNG stores as they are; anything else is converted to RGB(A) first.
_PNG_MODES = {"1", "L", "LA", "I;16", "P", "RGB", "RGBA"}


class ImageComparisonError(ValueError):
    """An input to ``image_comparison`` is not an image it can show; the message says why."""


@dataclass(frozen=True)
class PngImage:
    """One image ready for the browser: a PNG ``data:`` URI and its size in pixels."""

    data_uri: str
    width: int
    height: int


def to_png(image: ImageLike) -> PngImage:
    """Encode an image as a lossless PNG data URI, keeping transparency.

    Accepts a PIL image, a numpy array (H x W, H x W x 1/3/4; uint8, bool, or float in 0..1),
    encoded image bytes, or a path to an image file. PNG bytes and files are sent unchanged;
    everything else is re-encoded as PNG (never JPEG).
    """
    png: bytes | None = None
    if isinstance(image, Image.Image):
        pil = image
    elif isinstance(image, np.ndarray):
        pil = _from_array(image)
    elif isinstance(image, (bytes, bytearray, memoryview)):
        png, pil = _open_bytes(bytes(image), "the image bytes")
    elif isinstance(image, (str, os.PathLike)):
        png, pil = _open_path(image)
    else:
        raise ImageComparisonError(
            f"image_comparison cannot show a {type(image).__name__}; pass a PIL image, "
            "a numpy array, image bytes, or a path to an image file."
        )

    width, height = pil.size
    if width == 0 or height == 0:
        raise ImageComparisonError("The image is empty (0 pixels wide or high); pass another.")
    if png is None:
        png = _encode_png(pil)
    return PngImage(
        data_uri="data:image/png;base64," + base64.b64encode(png).decode("ascii"),
        width=width,
        height=height,
    )


def image_comparison(
    img1: ImageLike,
    img2: ImageLike,
    label1: str = "Before",
    label2: str = "After",
    starting_position: float = 50,
    width: int | None = None,
    key: str | int | None = None,
) -> None:
    """Show two images one over the other with a draggable divider between them.

    ``img1`` (left of the divider) defines the box; ``img2`` is letterboxed into it when its
    size differs, with a caption saying so. ``starting_position`` is the divider's start in
    percent from the left (0-100). ``width`` in pixels fixes the slider's width; ``None``
    fills the column up to the first image's own width. ``key`` keeps the same element
    across reruns when the images change.
    """
    before, after = to_png(img1), to_png(img2)
    label1, label2 = str(label1), str(label2)
    if width is not None and (not isinstance(width, int) or width <= 0):
        raise ImageComparisonError(f"width must be a positive number of pixels, not {width!r}.")
    data: dict[str, Any] = {
        "before": {**_side(before), "label": label1},
        "after": {**_side(after), "label": label2},
        "start": min(100.0, max(0.0, float(starting_position))),
        "fitWidth": width is not None,
        "caption": size_caption(before, after, label1, label2),
    }
    _mount()(data=data, key=key, width="stretch" if width is None else width, height="content")


def size_caption(before: PngImage, after: PngImage, label1: str, label2: str) -> str:
    """The note shown under the slider when the two images differ in size; "" when they match."""
    if (before.width, before.height) == (after.width, after.height):
        return ""
    return (
        f"{label1} is {before.width}×{before.height} px and {label2} is "
        f"{after.width}×{after.height} px: {label2} is scaled to fit {label1}'s frame, "
        "keeping its proportions."
    )


def _side(image: PngImage) -> dict[str, Any]:
    return {"src": image.data_uri, "width": image.width, "height": image.height}


@lru_cache(maxsize=1)
def _mount():
    # Registered on first use rather than at import, so importing this module (for to_png in
    # a unit test, say) needs no Streamlit runtime. Files are read here and sent inline:
    # v2 only serves asset files for installed packages with a manifest.
    import streamlit as st

    return st.components.v2.component(
        COMPONENT_NAME,
        html=(_ASSETS / "slider.html").read_text(encoding="utf-8"),
        css=(_ASSETS / "slider.css").read_text(encoding="utf-8"),
        js=(_ASSETS / "slider.js").read_text(encoding="utf-8"),
    )


def _encode_png(pil: Image.Image) -> bytes:
    if pil.mode not in _PNG_MODES:
        has_alpha = "A" in pil.getbands() or "transparency" in pil.info
        pil = pil.convert("RGBA" if has_alpha else "RGB")
    buffer = io.BytesIO()
    # compress_level 1: these never leave the machine, so speed beats a few percent of size.
    pil.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def _from_array(array: np.ndarray) -> Image.Image:
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[:, :, 0]
    if array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[2] not in (3, 4)):
        raise ImageComparisonError(
            f"A numpy image must be H x W, H x W x 3 (RGB) or H x W x 4 (RGBA); got shape "
            f"{array.shape}."
        )
    if array.dtype == np.bool_:
        array = array.astype(np.uint8) * 255
    elif np.issubdtype(array.dtype, np.floating):
        # Float images are 0..1 by convention (matplotlib, skimage); clip stray values.
        array = (np.clip(array, 0.0, 1.0) * 255).round().astype(np.uint8)
    elif array.dtype != np.uint8:
        raise ImageComparisonError(
            f"A numpy image must be uint8, bool or float in 0..1; got {array.dtype}. "
            "Convert it with array.astype(np.uint8) if its values are 0..255."
        )
    return Image.fromarray(np.ascontiguousarray(array))


def _open_bytes(data: bytes, what: str) -> tuple[bytes | None, Image.Image]:
    try:
        pil = Image.open(io.BytesIO(data))
        pil.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ImageComparisonError(
            f"Could not read {what} as an image ({exc}); pass a PNG, JPEG or WebP file."
        ) from exc
    # A PNG whose pixels need no turning is sent byte for byte; others are re-encoded.
    orientation = pil.getexif().get(0x0112, 1)
    if pil.format == "PNG" and orientation == 1:
        return data, pil
    return None, ImageOps.exif_transpose(pil)


def _open_path(path: str | os.PathLike) -> tuple[bytes | None, Image.Image]:
    text = os.fspath(path)
    if isinstance(text, str) and text.startswith(("http://", "https://")):
        raise ImageComparisonError(
            "image_comparison shows local images only and makes no network requests; "
            "download the image and pass its bytes or a file path."
        )
    try:
        data = Path(text).read_bytes()
    except OSError as exc:
        raise ImageComparisonError(
            f"Could not open the image file {text!r} ({exc.strerror or exc}); check the path."
        ) from exc
    return _open_bytes(data, f"the file {text!r}")
