"""A screenshot with many faded labels, each in its own colour pair: a long list of findings."""

from __future__ import annotations

import colorsys

from PIL import Image, ImageDraw

WORDS = (
    "Revenue", "Orders", "Pending requests", "Earnings", "Tasks", "Visitors", "Refunds",
    "Signups", "Invoices", "Bounce rate", "Sessions", "Churn", "Trials", "Upgrades",
    "Tickets", "Returns", "Payouts", "Reviews", "Leads", "Deals",
)  # fmt: skip


def faded_labels(count: int = 16, width: int = 1280, height: int = 800) -> Image.Image:
    """``count`` cards, each a label in a pale tint of its own hue on a light card."""
    img = Image.new("RGB", (width, height), "#ffffff")
    d = ImageDraw.Draw(img)
    cols = 4
    cw, ch = (width - 40) // cols, 150
    for i in range(count):
        x, y = 20 + (i % cols) * cw, 20 + (i // cols) * (ch + 20)
        hue = i / count
        card = tuple(round(c * 255) for c in colorsys.hls_to_rgb(hue, 0.95, 0.6))
        ink = tuple(round(c * 255) for c in colorsys.hls_to_rgb(hue, 0.62, 0.5))
        d.rounded_rectangle((x, y, x + cw - 20, y + ch), 10, fill=card)
        d.text((x + 20, y + 30), WORDS[i % len(WORDS)], fill=ink, font_size=22)
        d.text((x + 20, y + 80), f"{(i + 3) * 1234:,}", fill="#111827", font_size=32)
    return img
