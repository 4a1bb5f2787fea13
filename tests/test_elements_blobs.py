"""Cards that touch something else on the page: a decoration, a banner, their own shadow."""

import numpy as np
from PIL import Image, ImageDraw

from tests.realpage_shapes import text
from uireview.findings import Box
from uireview.screen import Screen
from uireview.screen.elements import detect_elements


def _cards(img) -> list[Box]:
    return [e.box for e in detect_elements(Screen(np.asarray(img))) if e.kind in ("card", "panel")]


def _near(a: Box, b: Box, px: int = 2) -> bool:
    return all(abs(u - v) <= px for u, v in zip(a, b, strict=True))


def _login_card(d, box: Box) -> None:
    d.rectangle(box, fill=(255, 255, 255))
    text(d, (box.x0 + 24, box.y0 + 24), "Welcome back", 20, True)
    text(d, (box.x0 + 24, box.y0 + 64), "Please sign in to your account", 13)
    d.rectangle((box.x0 + 24, box.y0 + 100, box.x1 - 24, box.y0 + 138), outline=(210, 214, 220))


def test_a_card_touching_a_dotted_decoration_is_still_a_card():
    img = Image.new("RGB", (900, 600), (245, 245, 249))
    d = ImageDraw.Draw(img)
    # the dots run under the card's corner, so the card and the dots are one blob of ink
    for x in range(60, 200, 10):
        for y in range(380, 520, 10):
            d.rectangle((x, y, x + 4, y + 4), fill=(195, 196, 255))
    card = Box(100, 80, 500, 420)
    _login_card(d, card)
    assert any(_near(b, card) for b in _cards(img)), _cards(img)


def test_a_card_with_a_soft_shadow_on_a_coloured_page_is_a_card():
    bg = (13, 110, 253)
    img = Image.new("RGB", (900, 600), bg)
    d = ImageDraw.Draw(img)
    card = Box(200, 60, 700, 460)
    # a blurred shadow: 30 rings darkening towards the card, heavier below it
    for r in range(30, 0, -1):
        k = (30 - r) / 30 * 0.12  # at most 31 levels darker, as SB Admin's login card
        shade = tuple(int(c * (1 - k)) for c in bg)
        d.rectangle((card.x0 - r, card.y0 - r // 2, card.x1 + r, card.y1 + r), fill=shade)
    _login_card(d, card)
    found = _cards(img)
    assert any(_near(b, card) for b in found), found
    # and what is left of the shadow is not read as an image over the card
    els = detect_elements(Screen(np.asarray(img)))
    assert not [e for e in els if e.kind == "image" and e.box.intersection(card)]


def test_a_card_overlapping_a_banner_is_found_below_it():
    img = Image.new("RGB", (1200, 800), (240, 242, 245))
    d = ImageDraw.Draw(img)
    d.rectangle((100, 60, 1100, 360), fill=(232, 125, 164))  # the profile's banner
    card = Box(140, 300, 1060, 760)
    _login_card(d, card)
    assert any(_near(b, card) for b in _cards(img)), _cards(img)


def test_a_buttons_glow_is_not_part_of_its_box():
    img = Image.new("RGB", (600, 200), (255, 255, 255))
    d = ImageDraw.Draw(img)
    # a coloured glow below and right of the button, the way Sneat draws its buttons
    d.rectangle((42, 62, 164, 102), fill=(214, 215, 255))
    d.rectangle((40, 60, 160, 98), fill=(105, 108, 255))
    text(d, (78, 70), "Send", 14, fill=(255, 255, 255))
    (button,) = [e for e in detect_elements(Screen(np.asarray(img))) if e.kind == "button"]
    assert button.box == Box(40, 60, 161, 99)
