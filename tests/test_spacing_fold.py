"""A card cut off by the bottom of the screen (a phone shot, a pricing card below the fold) is
still a card: its sides run into the fold, and a line of its list that slipped is found."""

import numpy as np
from PIL import Image, ImageDraw

from tests.realpage_shapes import text
from uireview.checks.spacing import check
from uireview.screen import Screen
from uireview.screen.elements import detect_elements

BG = (245, 247, 251)
TEAL = (26, 187, 156)


def _pricing_card(moved: int, badge: bool = True) -> Image.Image:
    """A phone-width page: a white card with a teal border that runs past the bottom edge,
    a badge over its top border, and a feature list."""
    img = Image.new("RGB", (390, 844), BG)
    d = ImageDraw.Draw(img)
    text(d, (12, 24), "Pricing", 22, bold=True)
    d.rectangle((12, 70, 377, 300), fill=(255, 255, 255), outline=(222, 226, 230))
    text(d, (36, 100), "BASIC", 14, bold=True)
    text(d, (36, 130), "$9 per user and month", 22, bold=True)
    top = 340
    d.rectangle((12, top, 377, 900), fill=(255, 255, 255), outline=TEAL, width=2)
    if badge:
        d.rounded_rectangle((250, top - 10, 360, top + 12), radius=10, fill=TEAL)
        text(d, (262, top - 6), "MOST POPULAR", 10, bold=True, fill=(255, 255, 255))
    text(d, (36, top + 30), "PRO", 14, bold=True)
    text(d, (36, top + 60), "$29 per user and month", 22, bold=True)
    features = ["Unlimited users", "100 GB storage", "Priority email support"]
    features += ["Advanced reporting", "SSO via Google and GitHub", "Audit log export"]
    for k, words in enumerate(features):
        dx = moved if k == 4 else 0
        text(d, (36 + dx, top + 120 + 34 * k), words, 14, fill=(98, 109, 125))
    d.rectangle((36, 800, 353, 844), fill=TEAL)
    text(d, (140, 812), "Start 14-day trial", 14, fill=(255, 255, 255))
    return img


def test_a_bordered_card_running_into_the_bottom_of_the_screen_is_a_container():
    elements = detect_elements(Screen(np.asarray(_pricing_card(moved=0))))
    boxes = [e.box for e in elements if e.is_container and e.box.width > 300]
    assert any(abs(b.x0 - 12) <= 2 and abs(b.y0 - 340) <= 2 and b.y1 == 844 for b in boxes)


def test_a_feature_line_slipped_in_a_card_below_the_fold_is_a_near_miss():
    img = _pricing_card(moved=5)
    near = [
        f
        for f in check(Screen(np.asarray(img)))
        if f.rule == "alignment.near_miss" and f.severity != "info"
    ]
    assert len(near) == 1
    assert near[0].box.y0 >= 590 and near[0].box.y1 <= 620
    assert abs(near[0].metrics["miss_px"]) in (4, 5, 6)


def test_the_card_below_the_fold_with_its_list_on_one_edge_is_quiet():
    img = _pricing_card(moved=0)
    assert [f for f in check(Screen(np.asarray(img))) if f.rule == "alignment.near_miss"] == []


def _check_mark(d, x, y):
    d.line((x, y + 5, x + 3, y + 8, x + 9, y), fill=TEAL, width=2)


def test_a_check_mark_before_a_feature_is_not_part_of_the_features_line():
    img = Image.new("RGB", (390, 200), (255, 255, 255))
    d = ImageDraw.Draw(img)
    _check_mark(d, 40, 40)
    words = text(d, (58, 38), "Integrations", 13, fill=(98, 109, 125))
    lines = [e for e in detect_elements(Screen(np.asarray(img))) if e.kind == "text"]
    assert [abs(e.box.x0 - words.x0) <= 1 for e in lines] == [True]


def test_an_avatar_beside_a_name_on_two_lines_leaves_the_name_its_own_lines():
    img = Image.new("RGB", (390, 200), (255, 255, 255))
    d = ImageDraw.Draw(img)
    d.ellipse((74, 40, 98, 64), fill=(66, 153, 225))
    text(d, (80, 46), "AS", 9, bold=True, fill=(255, 255, 255))
    first = text(d, (101, 36), "Anna", 13)
    second = text(d, (101, 55), "Smith", 13)
    lines = [e.box for e in detect_elements(Screen(np.asarray(img))) if e.kind == "text"]
    assert all(b.x0 >= first.x0 - 1 for b in lines)
    assert any(b.intersection(second) for b in lines)


def test_the_boxes_inside_a_shadowed_card_below_the_fold_are_still_found():
    # a white card whose soft shadow runs round it reads as one image; the grey boxes it holds
    # (the lower one cut off by the fold too) are what the near misses are measured on
    img = Image.new("RGB", (900, 600), (240, 242, 245))
    d = ImageDraw.Draw(img)
    text(d, (40, 30), "Billing", 22, bold=True)
    for k in range(8, 0, -1):  # the shadow fades out from the card
        tone = tuple(c - 3 * (9 - k) // 2 for c in (240, 242, 245))
        d.rectangle((40 - k, 100 - k, 700 + k, 700), fill=tone)
    d.rectangle((40, 100, 700, 700), fill=(255, 255, 255))
    text(d, (60, 120), "Billing Information", 16, bold=True)
    # the boxes cover most of the card: inside it, little is the card's own white
    for top in (150, 385):
        d.rectangle((60, top, 680, top + 225), fill=(248, 249, 250))
        text(d, (84, top + 30), "Oliver Liam", 14, bold=True)
        text(d, (84, top + 66), "Company Name: Viking Burrito", 12)
    grey = [
        e.box
        for e in detect_elements(Screen(np.asarray(img)))
        if e.is_container and e.fill == (248, 249, 250)
    ]
    assert any(abs(b.x0 - 60) <= 2 and abs(b.y0 - 150) <= 2 for b in grey)
    assert any(abs(b.x0 - 60) <= 2 and abs(b.y0 - 385) <= 2 for b in grey)


def test_a_two_word_label_in_light_ink_stays_one_line():
    # a word space is not an icon's gap, and an "i"'s dot is not a line of its own
    img = Image.new("RGB", (300, 120), (245, 247, 251))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((40, 40, 160, 72), radius=4, fill=(255, 255, 255), outline=(222, 226, 230))
    words = text(d, (56, 49), "Send invoice", 13, fill=(98, 109, 125))
    lines = [e.box for e in detect_elements(Screen(np.asarray(img))) if e.kind == "text"]
    assert len(lines) == 1 and abs(lines[0].x1 - words.x1) <= 2


def test_a_small_mark_under_the_last_line_beside_an_icon_stays_with_that_line():
    img = Image.new("RGB", (390, 200), (255, 255, 255))
    d = ImageDraw.Draw(img)
    _check_mark(d, 40, 40)
    words = text(d, (58, 38), "Integrations", 13, fill=(98, 109, 125))
    d.line((70, words.y1 + 3, 76, words.y1 + 3), fill=(98, 109, 125))  # a mark below it
    lines = [e.box for e in detect_elements(Screen(np.asarray(img))) if e.kind == "text"]
    assert len(lines) == 1 and abs(lines[0].x0 - words.x0) <= 1
