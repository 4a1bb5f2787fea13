"""Cards with soft shadows on a light grey page beside a white side bar (sneat's shape):
the edge of the screen is mostly white, yet the cards sit on the grey."""

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from tests.realpage_shapes import text
from uireview.findings import Box
from uireview.screen import Screen
from uireview.screen.elements import detect_elements

GREY = (245, 245, 249)


def _sneat_page(cards: list[Box], floating: Box | None = None) -> Image.Image:
    img = Image.new("RGB", (1440, 900), GREY)
    shadow = Image.new("L", img.size, 0)
    ds = ImageDraw.Draw(shadow)
    for b in cards:
        ds.rounded_rectangle((b.x0 - 2, b.y0, b.x1 + 2, b.y1 + 4), radius=8, fill=40)
    shadow = shadow.filter(ImageFilter.GaussianBlur(5))
    dark = Image.new("RGB", img.size, (67, 89, 113))
    img = Image.composite(dark, img, shadow.point(lambda v: v // 3))
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, 259, 899), fill=(255, 255, 255))  # the white side bar
    for k, item in enumerate(["Dashboard", "Layouts", "Cards", "User interface", "Forms"]):
        text(d, (60, 100 + 42 * k), item, 15, fill=(105, 122, 141))
    for b in cards:
        d.rounded_rectangle(b, radius=6, fill=(255, 255, 255))
        text(d, (b.x0 + 24, b.y0 + 24), "Basic Buttons", 18, fill=(86, 106, 127))
        for k in range(4):
            x = b.x0 + 24 + 110 * k
            d.rounded_rectangle((x, b.y0 + 100, x + 96, b.y0 + 140), radius=6, fill=(105, 108, 255))
            text(d, (x + 20, b.y0 + 110), "Primary", 14, fill=(255, 255, 255))
    if floating is not None:
        d.rounded_rectangle(floating, radius=6, fill=(255, 62, 29))
        text(d, (floating.x0 + 20, floating.y0 + 10), "Upgrade to Pro", 15, fill=(255, 255, 255))
    return img


def _cards(img) -> list[Box]:
    els = detect_elements(Screen(np.asarray(img)))
    return [e.box for e in els if e.kind == "card" and e.depth == 0]


def _near(a: Box, b: Box, px: int = 3) -> bool:
    return all(abs(u - v) <= px for u, v in zip(a, b, strict=True))


def test_soft_shadowed_cards_beside_a_white_sidebar_are_cards_on_the_grey():
    cards = [Box(286, 180, 1414, 477), Box(286, 501, 1414, 797)]
    found = _cards(_sneat_page(cards))
    for b in cards:
        assert any(_near(f, b) for f in found), (b, found)


def test_a_floating_button_over_a_cards_corner_does_not_hide_the_card():
    # on a phone the button covers 40% of the card's bottom edge and reaches the next card
    cards = [Box(286, 180, 1414, 560), Box(286, 584, 1414, 860)]
    found = _cards(_sneat_page(cards, floating=Box(900, 540, 1400, 600)))
    assert any(f.x0 == 286 and abs(f.y0 - 180) <= 3 and f.y1 >= 556 for f in found), found


def test_buttons_inside_a_soft_card_are_its_children():
    img = _sneat_page([Box(286, 180, 1414, 477)])
    els = detect_elements(Screen(np.asarray(img)))
    (card,) = [i for i, e in enumerate(els) if e.kind == "card" and e.depth == 0]
    buttons = [e for e in els if e.kind == "button" and e.parent == card]
    assert len(buttons) == 4


def test_stat_cards_with_an_icon_tile_over_their_top_edge_are_cards():
    # material dashboard's shape: the tile sticks out above the card and joins the cards'
    # shadows into one blob with them
    img = Image.new("RGB", (390, 844), (240, 242, 245))
    shadow = Image.new("L", img.size, 0)
    ds = ImageDraw.Draw(shadow)
    boxes = [Box(12, 161 + 162 * k, 378, 299 + 162 * k) for k in range(4)]
    for b in boxes:
        ds.rounded_rectangle((b.x0 - 4, b.y0 - 2, b.x1 + 4, b.y1 + 12), radius=12, fill=90)
    img = Image.composite(
        Image.new("RGB", img.size, (52, 71, 103)),
        img,
        shadow.filter(ImageFilter.GaussianBlur(8)).point(lambda v: v // 4),
    )
    d = ImageDraw.Draw(img)
    for k, b in enumerate(boxes):
        d.rounded_rectangle(b, radius=12, fill=(255, 255, 255))
        d.rounded_rectangle(
            (b.x0 + 16, b.y0 - 16, b.x0 + 80, b.y0 + 48), radius=8, fill=(40, 40, 45)
        )
        text(d, (b.x1 - 110, b.y0 + 16), "Today's Money", 14, fill=(123, 128, 154))
        text(d, (b.x1 - 70, b.y0 + 38), f"${k + 5}3k", 20, True)
        text(d, (b.x0 + 16, b.y0 + 100), "+55% than last week", 15, fill=(123, 128, 154))
    found = _cards(img)
    assert sum(any(_near(f, b, 4) for f in found) for b in boxes) >= 3, found
    # the tile's top, above its card, is the card's: nothing of it is left in the gaps
    els = detect_elements(Screen(np.asarray(img)))
    for a, b in zip(boxes, boxes[1:], strict=False):
        gap = Box(a.x0, a.y1 + 1, a.x1, b.y0 - 1)
        assert not [e for e in els if e.depth == 0 and e.box.intersection(gap)], gap
