"""Page shapes the real templates have and our synthetic renderer lacks, drawn with Pillow:
a dark side bar with small section labels, a white top bar with a breadcrumb, and content on
a light grey background. Used by the spacing, hierarchy and element tests."""

from __future__ import annotations

from PIL import Image, ImageDraw, ImageFont

from uireview.findings import Box

_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans{}.ttf"
PAGE_BG = (245, 247, 251)
SIDEBAR = (26, 35, 50)


def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(_FONT.format("-Bold" if bold else ""), size)


def text(d: ImageDraw.ImageDraw, xy, words: str, size: int, bold=False, fill=(30, 38, 51)) -> Box:
    d.text(xy, words, fill=fill, font=font(size, bold))
    return Box(*d.textbbox(xy, words, font=font(size, bold)))


def admin_page(size=(1440, 900), title_px: int = 28, title_bold: bool = True):
    """A dashboard frame: dark side bar (240 px), white top bar (56 px), grey content.

    Returns the image, its draw handle, the title's box and the content's left x.
    """
    w, h = size
    img = Image.new("RGB", size, PAGE_BG)
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, 239, h - 1), fill=SIDEBAR)
    d.rectangle((240, 0, w - 1, 55), fill=(255, 255, 255))
    d.line((240, 55, w - 1, 55), fill=(228, 231, 236))
    text(d, (24, 20), "Acme admin", 16, True, fill=(255, 255, 255))
    text(d, (24, 72), "INTERFACE", 10, True, fill=(140, 150, 165))
    for i, item in enumerate(["Dashboard", "Layouts", "Pages", "Charts", "Tables"]):
        text(d, (40, 100 + 36 * i), item, 14, fill=(200, 206, 215))
    text(d, (24, 300), "ADDONS", 10, True, fill=(140, 150, 165))
    text(d, (264, 20), "Home  /  Dashboard", 13, fill=(98, 109, 125))
    title = text(d, (264, 80), "Dashboard", title_px, title_bold)
    return img, d, title, 264


def card(d: ImageDraw.ImageDraw, box: Box, heading: str = "Total users") -> None:
    d.rounded_rectangle(box, radius=8, fill=(255, 255, 255), outline=(228, 231, 236))
    text(d, (box.x0 + 16, box.y0 + 16), heading, 13, fill=(98, 109, 125))
    text(d, (box.x0 + 16, box.y0 + 40), "2,500 this week", 14)
