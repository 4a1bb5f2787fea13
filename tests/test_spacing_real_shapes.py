"""Spacing on shapes real templates have: stat cards, floating-label forms, unboxed lists,
glowing buttons."""

import numpy as np
from PIL import Image, ImageDraw

from tests.realpage_shapes import text
from uireview.checks.spacing import check
from uireview.findings import Box
from uireview.screen import Screen


def _page(size=(1200, 800), bg=(255, 255, 255)):
    img = Image.new("RGB", size, bg)
    return img, ImageDraw.Draw(img)


def _rhythm(img):
    return [f for f in check(Screen(np.asarray(img))) if f.rule == "spacing.gap_rhythm"]


def test_an_odd_gap_between_coloured_stat_cards_is_found():
    # a card holding one label reads as a button, one with a footer as a card: one rhythm
    img, d = _page((1440, 400), (245, 247, 251))
    x = 40
    fills = [(13, 110, 253), (255, 193, 7), (25, 135, 84), (220, 53, 69)]
    for k, (gap, fill) in enumerate(zip([24, 24, 42, 0], fills, strict=True)):
        d.rectangle((x, 100, x + 273, 195), fill=fill)
        text(d, (x + 16, 116), "Primary Card", 15, fill=(255, 255, 255))
        if k % 2 == 0:
            text(d, (x + 16, 166), "View Details", 13, fill=(255, 255, 255))
            d.polygon([(x + 250, 166), (x + 256, 172), (x + 250, 178)], fill=(255, 255, 255))
        x += 274 + gap
    (f,) = _rhythm(img)
    assert f.metrics["gap_px"] - f.metrics["expected_px"] == 18
    assert f.box.x0 >= 40 + 3 * 274 + 48 - 1


def _floating_input(d, y, placeholder):
    d.rectangle((40, y, 540, y + 57), outline=(206, 212, 218), fill=(255, 255, 255))
    text(d, (54, y + 20), placeholder, 15)


def test_a_floating_label_form_keeps_one_rhythm_down_to_its_checkbox():
    img, d = _page()
    _floating_input(d, 60, "Email address")
    _floating_input(d, 134, "Password")  # 16 px below
    y = 134 + 58 + 34  # the checkbox 34 px below, where 16 was meant
    d.rectangle((40, y, 56, y + 16), outline=(160, 166, 175), fill=(255, 255, 255))
    text(d, (64, y + 1), "Remember password", 14)
    found = _rhythm(img)
    assert len(found) == 1
    assert found[0].box.intersection(Box(40, 192, 540, y)) is not None


def _invoices(steps):
    img, d = _page((800, 600))
    y = 40
    for k, step in enumerate([*steps, 0]):
        text(d, (40, y), f"March, 0{k + 1}, 2020", 14, True)
        text(d, (40, y + 22), f"#MS-41564{k}", 11, fill=(123, 128, 154))
        text(d, (560, y + 10), "$180", 12, fill=(123, 128, 154))
        text(d, (660, y + 10), "PDF", 12, True)
        y += step
    return img


def test_one_item_of_an_unboxed_list_off_the_lists_pitch_is_an_uneven_gap():
    found = _rhythm(_invoices([65, 78, 65, 65]))
    assert len(found) == 1
    f = found[0]
    assert f.metrics["gap_px"] == 78 and f.metrics["expected_px"] == 65
    # the empty band between the second item (at 105 px) and the third (at 183 px)
    assert 105 + 30 <= f.box.y0 and f.box.y1 <= 183 + 2


def test_an_unboxed_list_on_its_pitch_is_quiet():
    assert _rhythm(_invoices([65, 65, 65, 65])) == []


def test_a_section_heading_between_two_runs_of_a_list_is_not_an_uneven_gap():
    img, d = _page((400, 600))
    y = 40
    for k in range(7):
        if k == 4:
            text(d, (20, y), "ACCOUNT PAGES", 10, True)  # a heading at its own indent
            y += 30
        text(d, (48, y), f"Menu item {k}", 14)
        y += 36
    assert _rhythm(img) == []


def test_equal_gaps_between_glowing_buttons_are_even():
    img, d = _page((1000, 200))
    x = 40
    # a glow right of and below each button, wider on some (it follows the button's colour)
    for label, w, glow in [("Primary", 90, 4), ("Secondary", 110, 1), ("Success", 96, 3)]:
        d.rectangle((x + 2, 62, x + w + glow, 104), fill=(214, 215, 255))
        d.rectangle((x, 60, x + w, 98), fill=(105, 108, 255))
        text(d, (x + 14, 70), label, 14, fill=(255, 255, 255))
        x += w + 1 + 10
    assert check(Screen(np.asarray(img))) == []


def test_a_finding_names_its_place_and_the_words_on_a_moved_element():
    from tests.realpage_shapes import card

    img, d = _page((1400, 800), (245, 247, 251))
    d.rectangle((40, 40, 600, 660), fill=(255, 255, 255), outline=(228, 231, 236))
    text(d, (64, 60), "Team members", 18, True)
    # a gap between the second and third row of sub-cards is 16 px too wide
    y = 110
    for gap in [24, 24, 40, 0]:
        card(d, Box(64, y, 576, y + 90), "Weekly report")
        y += 90 + gap
    found = _rhythm(img)
    assert found and found[0].place == "card “Team members”"
    # an element off its column says what it holds
    img, d = _page((900, 600))
    for k, label in enumerate(["Account", "Security", "Payments", "Notifications"]):
        x = 44 if label == "Payments" else 40  # 4 px right of the column
        d.rectangle((x, 60 + 70 * k, x + 400, 60 + 70 * k + 52), outline=(210, 214, 220))
        text(d, (x + 16, 60 + 70 * k + 18), label, 15)
    (near,) = [f for f in check(Screen(np.asarray(img))) if f.rule == "alignment.near_miss"]
    assert near.text == "Payments"


def _form_with_help(extra: int, after: str = "Email"):
    """Four fields 16 px apart; "Password" has a help line (11 px type in an 18 px line box,
    4 px under its input, as Bootstrap's .form-text sets it); ``extra`` px more after ``after``."""
    img, d = _page()
    y = 60
    for name in ["Email", "Website", "Password", "Age"]:
        text(d, (40, y), name, 13)
        d.rectangle((40, y + 24, 540, y + 62), outline=(217, 222, 227), fill=(255, 255, 255))
        y += 63
        if name == "Password":  # its help line, and the ink-to-ink gap after it
            text(d, (40, y + 4), "Must be at least 8 characters", 11, fill=(115, 135, 156))
            y += 22
        y += 16 + (extra if name == after else 0)
    return img


def test_a_gap_after_a_help_line_may_be_a_few_px_wider_than_after_an_input():
    # ink to ink (help line to label) is wider than edge to ink by the line's padding
    assert _rhythm(_form_with_help(0)) == []


def test_an_odd_gap_in_a_form_with_help_lines_is_found():
    found = _rhythm(_form_with_help(22))
    assert len(found) == 1 and found[0].metrics["kind"] == "field"


def test_an_odd_gap_right_after_a_help_line_is_found():
    (found,) = _rhythm(_form_with_help(12, after="Password"))
    assert found.metrics["kind"] == "field"
    assert found.box.intersection(Box(40, 60 + 3 * 63 + 22, 540, 60 + 3 * 63 + 22 + 16 + 12))


def test_an_odd_gap_among_accordion_items_is_found_whether_they_read_as_cards_or_buttons():
    # an item holding its label and chevron reads as a button, one with a badge too as a
    # card: one size, so one kind and one rhythm
    img, d = _page((600, 500), (245, 245, 249))
    y = 40
    for k, gap in enumerate([11, 11, 34, 11, 0]):
        d.rectangle((16, y, 373, y + 48), fill=(255, 255, 255))
        text(d, (34, y + 16), f"Accordion Item {k + 1}", 14)
        if k % 2:
            text(d, (200, y + 16), "New", 12, fill=(105, 108, 255))
        d.polygon([(346, y + 20), (356, y + 20), (351, y + 28)], fill=(100, 100, 110))
        y += 48 + gap
    kinds = {e.kind for e in Screen(np.asarray(img)).elements if e.parent is None}
    assert kinds == {"button", "card"}
    (f,) = _rhythm(img)
    assert f.metrics["gap_px"] - f.metrics["expected_px"] == 23


def test_a_forms_own_field_gaps_set_its_rhythm_before_the_gap_to_its_button():
    # field to field runs from an input's edge to the next label's ink; field to button
    # from edge to edge, a few px less: the fields' gaps are compared among themselves
    img, d = _page((700, 700))
    y = 40
    for gap in (20, 20, 31, 20):
        text(d, (40, y), "Full name", 12)
        d.rectangle((40, y + 20, 440, y + 58), outline=(206, 212, 218), fill=(255, 255, 255))
        y += 58 + gap
    d.rectangle((40, y - 4, 140, y + 34), fill=(105, 108, 255))
    text(d, (66, y + 8), "Send", 14, fill=(255, 255, 255))
    found = _rhythm(img)
    assert len(found) == 1
    assert found[0].metrics["gap_px"] - found[0].metrics["expected_px"] >= 10


def _mixed_form(extra_before: str = "", extra: int = 18):
    """A project form whose fields are not all inputs: a textarea, a segmented control and a
    tag box, each under a label with a help line 4 px under it, 16 px apart; ``extra`` px
    more above the field or the button named ``extra_before``."""
    img, d = _page((900, 900))
    y, tops = 40, {}
    for name, height, width in [
        ("Project name", 38, 700),
        ("Description", 90, 700),
        ("Visibility", 34, 190),
        ("Tags", 38, 700),
    ]:
        y += extra if name == extra_before else 0
        tops[name] = y
        text(d, (40, y), name, 13)
        d.rectangle((40, y + 22, 40 + width, y + 22 + height), outline=(217, 222, 227))
        if name == "Visibility":
            for k, option in enumerate(["Private", "Team", "Public"]):
                text(d, (52 + 62 * k, y + 31), option, 12)
        y += 22 + height + 1
        text(d, (40, y + 4), f"Help for {name.lower()} goes here", 11, fill=(115, 135, 156))
        y += 22 + 16
    y += extra if extra_before == "button" else 0
    tops["button"] = y
    d.rounded_rectangle((40, y, 120, y + 40), radius=6, fill=(105, 108, 255))  # left edge
    text(d, (58, y + 12), "Create", 14, fill=(255, 255, 255))
    return img, tops


def test_a_form_of_textarea_segmented_control_and_help_lines_keeps_one_rhythm():
    img, _ = _mixed_form()
    assert _rhythm(img) == []


def test_an_odd_gap_above_a_segmented_control_field_is_found():
    img, tops = _mixed_form("Visibility")
    (found,) = _rhythm(img)
    assert found.metrics["kind"] == "field"
    # the gap runs from the description's help line down to the "Visibility" label
    assert found.box.y1 <= tops["Visibility"] + 6 and found.box.y0 >= tops["Description"] + 120


def test_an_odd_gap_above_a_forms_button_is_found():
    img, tops = _mixed_form("button", extra=20)
    found = _rhythm(img)
    assert len(found) == 1 and found[0].box.y1 >= tops["button"] - 2


def _alerts(gaps: list[int]):
    """A stack of alerts 56 px tall, with these gaps under each one in turn."""
    img, d = _page((800, 700), (240, 242, 245))
    y = 30
    for gap in gaps:
        d.rectangle((40, y, 640, y + 56), fill=(255, 255, 255))
        text(d, (60, y + 20), "A simple alert with an example link", 14)
        y += 57 + gap
    return img


def test_an_odd_gap_among_gaps_that_wobble_by_two_px_is_found():
    # alerts whose shadows make some gaps read 18 px among 16: still one rhythm, and the
    # 40 px gap breaks it
    (found,) = _rhythm(_alerts([40, 16, 18, 16, 18, 16, 0]))
    assert found.metrics["gap_px"] - found.metrics["expected_px"] >= 22
    assert found.box.y0 == 30 + 57 and found.box.y1 == 30 + 57 + 40


def test_gaps_that_wobble_by_two_px_are_one_rhythm():
    assert _rhythm(_alerts([16, 18, 16, 18, 16, 18, 0])) == []


def _sign_up(extra: int):
    """Three fields 16 px apart, then a terms checkbox ``16 + extra`` px under the last."""
    img, d = _page((600, 600))
    y = 40
    for name in ["Username", "Email", "Password"]:
        text(d, (40, y), name.upper(), 11)
        d.rectangle((40, y + 22, 350, y + 60), outline=(217, 222, 227), fill=(255, 255, 255))
        y += 61 + 16
    y += extra
    d.rectangle((40, y, 58, y + 18), outline=(160, 166, 175), fill=(255, 255, 255))
    text(d, (66, y + 2), "I agree to privacy policy & terms", 13)
    return img, y


def test_two_field_gaps_that_agree_set_the_rhythm_for_the_checkbox_below():
    img, y = _sign_up(17)
    (found,) = _rhythm(img)
    assert found.box.y1 == y


def test_a_checkbox_as_far_below_as_the_fields_are_apart_is_in_rhythm():
    img, _ = _sign_up(0)
    assert _rhythm(img) == []
