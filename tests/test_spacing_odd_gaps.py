"""The odd gap among like blocks, on shapes the first rules missed: a horizontal form (labels
left of their fields, a help line under one) and a stack of alerts of one size where one is
drawn as a dark gradient."""

import numpy as np
from PIL import Image, ImageDraw

from tests.realpage_shapes import text
from uireview.checks.spacing import check
from uireview.findings import Box
from uireview.screen import Screen

LABELS = ["NAME", "COMPANY", "EMAIL", "PHONE", "MESSAGE"]


def _rhythm(img):
    return [f for f in check(Screen(np.asarray(img))) if f.rule == "spacing.gap_rhythm"]


def _horizontal_form(gaps, wrap: str = ""):
    """Five rows, each a label left of a 38 px input; the email row has a help line under
    its input. ``gaps[k]`` is the space after row k, from its lowest ink. The label ``wrap``
    is set on two lines ("PHONE" over "NO")."""
    img = Image.new("RGB", (900, 560), (255, 255, 255))
    d = ImageDraw.Draw(img)
    y, rows = 40, []
    for k, label in enumerate(LABELS):
        if label == wrap:  # two lines inside the control's height, as sneat sets them
            text(d, (40, y + 6), label, 11, fill=(86, 106, 127))
            text(d, (40, y + 21), "NO", 11, fill=(86, 106, 127))
        else:
            text(d, (40, y + 12), label, 11, fill=(86, 106, 127))
        d.rectangle((200, y, 820, y + 37), outline=(206, 212, 218), fill=(255, 255, 255))
        text(d, (214, y + 11), f"{label.title()} here", 14, fill=(160, 166, 175))
        bottom = y + 38
        if label == "EMAIL":
            help_box = text(d, (200, y + 44), "You can use letters, numbers & periods", 11)
            bottom = help_box.y1
        rows.append((y, bottom))
        if k < len(gaps):
            y = bottom + gaps[k]
    return img, rows


def test_an_odd_gap_after_a_horizontal_form_row_with_a_help_line_is_found():
    # the row's help line stands between its input and the next one: the gap is the rows'
    img, rows = _horizontal_form([16, 16, 28, 16])
    found = _rhythm(img)
    assert len(found) == 1, [f.evidence for f in found]
    f = found[0]
    assert f.metrics["expected_px"] == 16 and f.metrics["gap_px"] >= 26
    # the empty band under the email row's help line, across the label column too
    assert f.box.intersection(Box(40, rows[2][1], 820, rows[3][0])) is not None
    assert f.box.x0 < 200


def test_a_horizontal_form_on_its_rhythm_is_quiet():
    img, _ = _horizontal_form([16, 16, 16, 16])
    assert _rhythm(img) == []


def test_a_row_whose_label_wraps_is_not_measured_from_its_ink():
    # the wrapped label's line boxes reach 14 px below its control: the row's gap looks
    # 30 px from ink where the form keeps 16 px, and nothing says where the row ends
    img, _ = _horizontal_form([16, 16, 16, 30], wrap="PHONE")
    assert _rhythm(img) == []


def _alerts(gaps, dark: int):
    """A column of 360 x 56 alerts; alert ``dark`` is a dark gradient, the rest pale fills."""
    img = Image.new("RGB", (600, 560), (255, 255, 255))
    d = ImageDraw.Draw(img)
    fills = [(214, 245, 252), (232, 250, 223), (255, 224, 219), (255, 242, 214), (232, 234, 237)]
    y, boxes = 40, []
    for k, fill in enumerate(fills):
        if k == dark:
            for row in range(56):  # a gradient, as material's secondary alert draws it
                c = 60 + row
                d.line((40, y + row, 399, y + row), fill=(c, c + 6, c + 18))
            text(d, (60, y + 19), "A simple secondary alert", 14, fill=(255, 255, 255))
        else:
            d.rounded_rectangle((40, y, 399, y + 55), radius=6, fill=fill)
            text(d, (60, y + 19), "A simple alert, check it out", 14, fill=(60, 70, 80))
        boxes.append(Box(40, y, 400, y + 56))
        if k < len(gaps):
            y += 56 + gaps[k]
    return img, boxes


def test_an_odd_gap_next_to_an_alert_drawn_as_a_gradient_is_found():
    img, boxes = _alerts([16, 16, 35, 16], dark=3)
    found = _rhythm(img)
    assert len(found) == 1, [f.evidence for f in found]
    f = found[0]
    assert f.box.intersection(Box(40, boxes[2].y1, 400, boxes[3].y0)) is not None
    assert "35 px" in f.evidence


def test_a_stack_of_alerts_with_a_gradient_one_on_its_rhythm_is_quiet():
    img, _ = _alerts([16, 16, 16, 16], dark=3)
    assert _rhythm(img) == []


def _mixed_alerts(gaps):
    """A column of 280 px alerts, one line (53 px) and two lines (76 px) in turn: a box with
    one line of text reads as an input or a button, one with two as a card."""
    img = Image.new("RGB", (600, 620), (255, 255, 255))
    d = ImageDraw.Draw(img)
    fills = [(255, 224, 219), (255, 242, 214), (214, 245, 252), (232, 250, 223), (232, 234, 237)]
    y, boxes = 40, []
    for k, fill in enumerate(fills):
        h = 53 if k % 2 == 0 else 76
        edge = tuple(c - 30 for c in fill)
        d.rounded_rectangle((40, y, 319, y + h - 1), radius=6, fill=fill, outline=edge)
        text(d, (56, y + 18), "This is an alert, check it", 14, fill=(200, 60, 40))
        if h == 76:
            text(d, (56, y + 42), "out!", 14, fill=(200, 60, 40))
        boxes.append(Box(40, y, 320, y + h))
        if k < len(gaps):
            y += h + gaps[k]
    return img, boxes


def test_an_odd_gap_in_a_stack_of_one_line_and_two_line_alerts_is_found():
    img, boxes = _mixed_alerts([16, 16, 16, 34])
    found = _rhythm(img)
    assert len(found) == 1, [f.evidence for f in found]
    assert found[0].box.intersection(Box(40, boxes[3].y1, 320, boxes[4].y0)) is not None
    assert found[0].metrics["gap_px"] == 34 and found[0].metrics["expected_px"] == 16


def test_a_stack_of_one_line_and_two_line_alerts_on_its_rhythm_is_quiet():
    img, _ = _mixed_alerts([16, 16, 16, 16])
    assert _rhythm(img) == []


def _card_column(gaps):
    img = Image.new("RGB", (600, 900), (245, 247, 251))
    d = ImageDraw.Draw(img)
    y = 30
    for k in range(len(gaps) + 1):
        d.rounded_rectangle(
            (40, y, 439, y + 89), radius=8, fill=(255, 255, 255), outline=(220, 224, 230)
        )
        text(d, (56, y + 16), f"Project {k + 1}", 14, True)
        text(d, (56, y + 44), "Due in three days", 13, fill=(98, 109, 125))
        y += 90 + (gaps[k] if k < len(gaps) else 0)
    return img


def test_gaps_that_alternate_between_two_values_are_a_pattern_not_a_sure_defect():
    # cards paired in rows that stacked on a phone: 16 px inside a pair, 28 px between pairs
    found = _rhythm(_card_column([16, 28, 16, 28, 16]))
    assert found and all(f.severity == "info" for f in found)


def test_one_gap_off_a_column_of_equal_gaps_is_still_sure():
    found = _rhythm(_card_column([16, 16, 28, 16, 16]))
    assert len(found) == 1 and found[0].severity != "info"
    assert found[0].metrics["gap_px"] == 28 and found[0].metrics["expected_px"] == 16
