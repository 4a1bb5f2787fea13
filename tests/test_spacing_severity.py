"""Spacing and alignment say "minor" only when several true siblings agree; a finding the
check is not sure of is "info"."""

import numpy as np
from PIL import Image, ImageDraw

from tests.realpage_shapes import text
from uireview.checks.spacing import check
from uireview.screen import Screen


def _page(size=(1200, 800), bg=(245, 247, 251)):
    img = Image.new("RGB", size, bg)
    return img, ImageDraw.Draw(img)


def _card(d, box, title="Card title"):
    d.rectangle(box, fill=(255, 255, 255), outline=(222, 226, 230))
    text(d, (box[0] + 16, box[1] + 16), title, 15)
    text(d, (box[0] + 16, box[1] + 44), "Some quick example text", 13)


def _near_misses(img):
    return [f for f in check(Screen(np.asarray(img))) if f.rule == "alignment.near_miss"]


def test_a_card_moved_off_a_column_of_two_same_width_cards_is_minor():
    # moved, not resized: both its edges miss the column by the same 5 px
    img, d = _page()
    for k, dx in enumerate((0, 0, 5)):
        y = 40 + k * 140
        _card(d, (100 + dx, y, 500 + dx, y + 120))
    (f,) = _near_misses(img)
    assert f.severity == "minor"
    assert abs(f.metrics["miss_px"]) == 5


def test_a_narrower_card_a_few_px_off_two_siblings_is_only_info():
    # one edge off and the card is a different width: sized to its content, or a slip;
    # two siblings are not enough to say which
    img, d = _page()
    _card(d, (100, 40, 500, 160))
    _card(d, (100, 180, 500, 300))
    _card(d, (105, 320, 420, 440))
    assert all(f.severity == "info" for f in _near_misses(img))


def test_an_input_moved_off_the_column_its_labels_keep_is_found():
    img, d = _page(bg=(255, 255, 255))
    for k, dx in enumerate((0, -6)):
        y = 60 + k * 90
        text(d, (101, y), "Email" if k == 0 else "Password", 13)
        d.rectangle((100 + dx, y + 22, 500 + dx, y + 60), outline=(206, 212, 218))
    (f,) = _near_misses(img)
    assert f.severity == "minor"
    assert f.box.x0 == 94


def _centred_card(d, x, width_of_line):
    d.rectangle((x, 40, x + 240, 260), fill=(255, 255, 255))
    d.ellipse((x + 100, 70, x + 140, 110), fill=(220, 224, 230))
    half = width_of_line // 2
    d.rectangle((x + 120 - half, 140, x + 120 + half, 146), fill=(220, 224, 230))
    d.rectangle((x + 70, 190, x + 170, 220), fill=(231, 231, 255))


def test_centred_content_of_different_widths_is_not_a_padding_mismatch():
    img, d = _page()
    for k, w in enumerate((120, 120, 84, 120)):
        _centred_card(d, 40 + k * 270, w)
    found = [f for f in check(Screen(np.asarray(img))) if f.rule == "spacing.padding"]
    assert found == []
