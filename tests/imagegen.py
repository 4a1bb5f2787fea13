"""Images the tests make for themselves: screenshots, and files in every format we meet."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw


def screenshot(
    width: int = 800, height: int = 500, *, theme: str = "light", text: str = "Revenue"
) -> Image.Image:
    """A small dashboard-like screen: a header bar, three cards with text."""
    bg, card, ink = (
        ("#f5f6f8", "#ffffff", "#1f2937") if theme == "light" else ("#111827", "#1f2937", "#f3f4f6")
    )
    img = Image.new("RGB", (width, height), bg)
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, width, 56), fill="#4338ca")
    d.text((24, 16), "Acme dashboard", fill="white", font_size=22)
    card_w = (width - 4 * 24) // 3
    for i in range(3):
        x = 24 + i * (card_w + 24)
        d.rounded_rectangle((x, 88, x + card_w, 248), 10, fill=card, outline="#d1d5db")
        d.text((x + 16, 104), f"{text} {i + 1}", fill=ink, font_size=16)
        d.text((x + 16, 136), f"${(i + 1) * 1234:,}", fill=ink, font_size=30)
    return img


def encode(img: Image.Image, fmt: str = "PNG", **params) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **params)
    return buf.getvalue()


def png_bytes(**kwargs) -> bytes:
    return encode(screenshot(**kwargs), "PNG")
