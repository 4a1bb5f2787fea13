"""Spacing and alignment findings say what they are about: the element by its words, and
what it is measured against."""

import numpy as np
from PIL import Image, ImageDraw

from tests.realpage_shapes import text
from uireview.checks.spacing import check
from uireview.checks.spacing.words import gap_title, near_miss_title, quote, relation
from uireview.findings import Box, Finding
from uireview.screen import Screen

HEADINGS = ["Total users", "Recent Activity", "Storage used", "Weekly sales"]


def _stacked_cards(shift_x: int = 0, extra_gap: int = 0):
    img = Image.new("RGB", (900, 900), (245, 247, 251))
    d = ImageDraw.Draw(img)
    y = 40
    for k, heading in enumerate(HEADINGS):
        x = 60 + (shift_x if k == 1 else 0)
        d.rectangle((x, y, x + 500, y + 150), fill=(255, 255, 255), outline=(220, 224, 230))
        text(d, (x + 20, y + 20), heading, 18, True)
        text(d, (x + 20, y + 60), "2,500 this week", 14)
        y += 150 + 24 + (extra_gap if k == 1 else 0)
    return img


def test_a_card_off_its_column_is_named_by_its_heading_against_the_cards_beside_it():
    (f,) = [
        f
        for f in check(Screen(np.asarray(_stacked_cards(shift_x=5))))
        if f.rule == "alignment.near_miss"
    ]
    assert f.title.startswith("The card “Recent Activity”: left edge 5 px off the cards")
    assert f.title.endswith("above and below it")


def test_an_uneven_gap_names_the_cards_on_both_sides():
    fs = check(Screen(np.asarray(_stacked_cards(extra_gap=16))))
    (f,) = [f for f in fs if f.rule == "spacing.gap_rhythm"]
    assert f.title == "Uneven gap between cards “Recent Activity” and “Storage used”"


def _miss(**kw) -> Finding:
    base = dict(
        source="measured",
        category="alignment",
        severity="minor",
        title="t",
        rule="alignment.near_miss",
        box=Box(100, 300, 400, 400),
        related=[Box(96, 100, 400, 200), Box(96, 120, 400, 260)],
        metrics={"edge": "left", "miss_px": 4, "element": "input"},
    )
    return Finding(**{**base, **kw})


def test_an_unread_element_is_named_by_its_place():
    f = _miss(place="card “Billing”")
    assert (
        near_miss_title(f)
        == "A field in the card “Billing”: left edge 4 px off the fields above it"
    )


def test_a_top_edge_is_measured_against_the_row_beside_it():
    assert relation(Box(100, 0, 200, 50), [Box(0, 0, 90, 50)], "top") == "to its left"
    assert relation(Box(100, 0, 200, 50), [Box(0, 0, 90, 50), Box(210, 0, 300, 50)], "top") == (
        "beside it"
    )


def test_long_words_are_cut_and_a_gap_with_one_name_says_which_side():
    assert (
        quote("  Sign   in with your company account please ")
        == "“Sign in with your company accou…”"
    )
    f = _miss(rule="spacing.gap_rhythm", metrics={"kind": "card", "gap_px": 40})
    assert gap_title(f, [None, "Storage"]) == "Uneven gap before the card “Storage”"
