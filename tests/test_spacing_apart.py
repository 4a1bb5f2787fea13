"""Elements sized or placed apart on purpose are not flagged as slips: a top bar wider than
the cards below it, badges on some rows of a list only."""

import numpy as np
from PIL import Image, ImageDraw

from tests.realpage_shapes import text
from uireview.checks.spacing import check
from uireview.screen import Screen


def _sure(img, rule):
    return [f for f in check(Screen(np.asarray(img))) if f.rule == rule and f.severity != "info"]


def test_a_top_bar_two_px_wider_than_the_cards_below_is_not_a_near_miss():
    img = Image.new("RGB", (1440, 900), (245, 245, 249))
    d = ImageDraw.Draw(img)
    d.rectangle((284, 10, 1415, 75), fill=(255, 255, 255))
    text(d, (330, 32), "Search...", 15, fill=(160, 170, 180))
    text(d, (1290, 32), "Star", 15, fill=(105, 108, 255))
    d.ellipse((1344, 22, 1384, 62), fill=(165, 166, 255))
    for y0, y1, x1 in ((100, 280, 1029), (310, 686, 1029), (710, 890, 645)):
        d.rectangle((286, y0, x1, y1), fill=(255, 255, 255))
        text(d, (310, y0 + 24), "Congratulations John", 18)
    assert _sure(img, "alignment.near_miss") == []


def test_the_same_card_moved_three_px_is_still_a_near_miss():
    img = Image.new("RGB", (1440, 900), (245, 245, 249))
    d = ImageDraw.Draw(img)
    for k, (y0, y1) in enumerate(((40, 200), (230, 390), (420, 580), (610, 770))):
        x = 289 if k == 2 else 286
        d.rectangle((x, y0, x + 743, y1), fill=(255, 255, 255))
        text(d, (x + 24, y0 + 24), "Congratulations John", 18)
    (f,) = _sure(img, "alignment.near_miss")
    assert f.metrics["miss_px"] == 3


def test_a_badge_between_two_list_groups_is_not_an_uneven_gap():
    img = Image.new("RGB", (390, 844), (245, 245, 249))
    d = ImageDraw.Draw(img)
    d.rectangle((16, 180, 374, 843), fill=(255, 255, 255))
    for y0, y1 in ((286, 499), (604, 760)):
        d.rectangle((40, y0, 344, y1), outline=(217, 222, 227), fill=(255, 255, 255))
        for k in range((y1 - y0) // 42):
            text(d, (56, y0 + 12 + 42 * k), "Souffle pastry pie ice", 15)
    # a numbered badge 74 px under the first group and 9 px over the second
    d.rectangle((307, 573, 328, 595), fill=(105, 108, 255))
    text(d, (313, 577), "5", 12, fill=(255, 255, 255))
    assert _sure(img, "spacing.gap_rhythm") == []
