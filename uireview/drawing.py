"""Small drawing helpers shared by grounding overlays and annotations."""

from __future__ import annotations

from functools import lru_cache

from PIL import ImageDraw, ImageFont


@lru_cache(maxsize=32)
def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    # Pillow's bundled scalable font: no dependency on fonts installed on the machine.
    return ImageFont.load_default(size=size)


def label_size(long_edge: int) -> int:
    """Label font size for an image: legible to a person and to the model's downscaled view."""
    return max(12, min(48, round(long_edge / 90)))


def text_box(draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, size: int):
    """The (x0, y0, x1, y1) a text drawn at ``xy`` with ``size`` would cover."""
    return draw.textbbox(xy, text, font=font(size))


def tag(
    draw: ImageDraw.ImageDraw,
    xy: tuple[int, int],
    text: str,
    size: int,
    fill: tuple[int, int, int],
    text_fill: tuple[int, int, int] = (255, 255, 255),
    bounds: tuple[int, int] | None = None,
) -> tuple[int, int, int, int]:
    """A filled label with a white rim at ``xy`` (top-left), kept inside ``bounds`` (w, h)."""
    pad = max(2, size // 5)
    x0, y0, x1, y1 = text_box(draw, (0, 0), text, size)
    w, h = x1 - x0 + 2 * pad, y1 - y0 + 2 * pad
    x, y = xy
    if bounds is not None:
        x = min(max(0, x), max(0, bounds[0] - w))
        y = min(max(0, y), max(0, bounds[1] - h))
    rect = (x, y, x + w, y + h)
    # The white rim keeps the tag readable on dark UIs; the fill keeps it readable on light.
    draw.rounded_rectangle(
        rect, radius=max(2, size // 4), fill=fill, outline=(255, 255, 255), width=max(1, size // 12)
    )
    draw.text((x + pad - x0, y + pad - y0), text, font=font(size), fill=text_fill)
    return rect


def pin(
    draw: ImageDraw.ImageDraw,
    center: tuple[float, float],
    text: str,
    size: int,
    fill: tuple[int, int, int],
    bounds: tuple[int, int],
    radius: float | None = None,
) -> tuple[int, int, int, int]:
    """A round numbered pin centred near ``center``, kept inside ``bounds`` (w, h).

    ``radius`` defaults to what ``text`` needs; pass one to make a set of pins the same size.
    """
    if radius is None:
        tx0, ty0, tx1, ty1 = text_box(draw, (0, 0), text, size)
        radius = max((tx1 - tx0) // 2 + size // 3, size * 2 // 3 + 2)
    cx = min(max(center[0], radius + 1), bounds[0] - radius - 2)
    cy = min(max(center[1], radius + 1), bounds[1] - radius - 2)
    rect = (round(cx - radius), round(cy - radius), round(cx + radius), round(cy + radius))
    draw.ellipse(rect, fill=fill, outline=(255, 255, 255), width=max(2, size // 8))
    draw.text((cx, cy), text, font=font(size), fill=(255, 255, 255), anchor="mm")
    return rect
