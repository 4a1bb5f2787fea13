"""Two image_comparison sliders for tests/test_image_comparison.py.

1. Same-size pair, divider starting at 30 %, a script-injection attempt as the first label.
   The "before" page has a blue background, the "after" page an orange one, and a transparent
   band across the top of "after", so a screenshot shows which image covers which column.
   A "Swap images" toggle reruns the script with the two images swapped under the same key,
   which updates the mounted slider in place (new data, same element).
2. Different sizes (480x300 vs 320x240) to show the letterbox caption.
"""

import streamlit as st
from PIL import Image, ImageDraw

from components.image_comparison import image_comparison

HOSTILE_LABEL = "</script><img src=x onerror=alert(1)>"
BEFORE_BG = (214, 228, 255)
AFTER_BG = (255, 224, 196)


def mock_page(size, background, accent, transparent_band=False):
    """A tiny dashboard: header bar, three cards, a button; optional transparent top band."""
    w, h = size
    img = Image.new("RGBA", size, (*background, 255))
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 0, w, 36), fill=(*accent, 255))
    card_w = (w - 4 * 16) // 3
    for i in range(3):
        x0 = 16 + i * (card_w + 16)
        draw.rounded_rectangle((x0, 56, x0 + card_w, 140), radius=8, fill=(255, 255, 255, 255))
        draw.rectangle((x0 + 12, 72, x0 + card_w - 24, 80), fill=(120, 130, 150, 255))
    draw.rounded_rectangle((16, h - 56, 136, h - 20), radius=6, fill=(*accent, 255))
    if transparent_band:
        draw.rectangle((0, 150, w, 190), fill=(0, 0, 0, 0))
    return img


st.title("Slider demo")
blue = mock_page((480, 300), BEFORE_BG, (40, 80, 200))
orange = mock_page((480, 300), AFTER_BG, (220, 110, 30), transparent_band=True)
swap = st.toggle("Swap images", key="swap")
image_comparison(
    orange if swap else blue,
    blue if swap else orange,
    label1=HOSTILE_LABEL,
    label2="After",
    starting_position=30,
    key="same_size",
)
image_comparison(
    mock_page((480, 300), BEFORE_BG, (40, 80, 200)),
    mock_page((320, 240), AFTER_BG, (220, 110, 30)),
    key="different_size",
)
st.write("done")
