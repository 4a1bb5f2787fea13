import numpy as np
import pytest
from PIL import Image, ImageDraw

from tests.screens import LAYOUTS, THEMES, render_screen
from uireview.checks.spacing import MAX_FINDINGS, check
from uireview.findings import Box
from uireview.screen import Screen


def _touch(finding, box) -> bool:
    return any(b.intersection(box) for b in [finding.box, *finding.related])


def test_one_odd_card_gap_is_flagged_with_both_values():
    screen, truth = render_screen("cards", "light", seed=0, defects=["odd_gap"])
    (defect,) = truth.defects
    found = [f for f in check(screen) if f.rule == "spacing.gap_rhythm"]
    assert len(found) == 1
    f = found[0]
    assert f.metrics["gap_px"] == defect.metrics["gap_px"]
    assert f.metrics["expected_px"] == defect.metrics["expected_px"]
    assert f"gap {defect.metrics['gap_px']} px" in f.evidence
    assert f"{defect.metrics['expected_px']} px" in f.evidence
    assert f.box == defect.box
    assert sorted(f.related) == sorted(defect.related)
    assert f.category == "spacing"


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("theme", THEMES)
def test_clean_card_grid_has_no_spacing_findings(layout, theme):
    for seed in (5, 6):
        screen, _ = render_screen(layout, theme, seed)
        assert check(screen) == []


def test_card_four_px_off_its_column_is_one_near_miss_naming_the_miss():
    for seed in range(4):
        screen, truth = render_screen("cards", "dark", seed, defects=["off_column"])
        (defect,) = truth.defects
        findings = check(screen)
        near = [f for f in findings if f.rule == "alignment.near_miss"]
        assert len(near) == 1, [f.evidence for f in findings]
        assert near[0].box == defect.box
        assert abs(near[0].metrics["miss_px"]) == abs(defect.metrics["offset_px"])
        # the two uneven gaps the shift makes are explained by the one finding
        assert not [f for f in findings if f.rule == "spacing.gap_rhythm"]


def test_form_field_off_its_column_is_a_near_miss():
    screen, truth = render_screen("form", "light", seed=1, defects=["off_column"])
    (defect,) = truth.defects
    near = [f for f in check(screen) if f.rule == "alignment.near_miss"]
    assert near and near[0].box == defect.box and near[0].category == "alignment"


def test_uneven_field_gap_in_a_form_is_flagged():
    screen, truth = render_screen("form", "dark", seed=2, defects=["odd_gap"])
    (defect,) = truth.defects
    found = [f for f in check(screen) if f.rule == "spacing.gap_rhythm"]
    assert len(found) == 1 and _touch(found[0], defect.box)
    assert (
        found[0].metrics["gap_px"] - found[0].metrics["expected_px"] == defect.metrics["extra_px"]
    )


def test_card_with_extra_padding_is_flagged_with_both_paddings():
    screen, truth = render_screen("cards", "light", seed=3, defects=["padding_mismatch"])
    (defect,) = truth.defects
    found = [f for f in check(screen) if f.rule == "spacing.padding"]
    assert len(found) == 1
    f = found[0]
    assert f.box == defect.box
    assert f.metrics["padding_px"] - f.metrics["expected_px"] == 8
    assert f.related


def _row(gaps):
    """One row of bordered cards with the given gaps between them."""
    img = Image.new("RGB", (1300, 300), (246, 246, 246))
    d = ImageDraw.Draw(img)
    x = 20
    for gap in [*gaps, 0]:
        d.rectangle((x, 40, x + 119, 199), fill=(255, 255, 255), outline=(210, 210, 210))
        d.text((x + 16, 56), "Card", fill=(20, 20, 20), font_size=16)
        x += 120 + gap
    return Screen(np.asarray(img))


def test_gap_off_the_4px_grid_is_reported_when_the_rest_sit_on_it():
    findings = check(_row([24] * 6 + [26]))
    assert [f.rule for f in findings] == ["spacing.off_grid"]
    assert findings[0].metrics["gap_px"] == 26
    assert findings[0].metrics["expected_px"] in (24, 28)
    assert "26 px" in findings[0].evidence


def test_equal_gaps_off_the_grid_are_not_flagged_as_rhythm():
    assert check(_row([21] * 7)) == []


def test_findings_are_capped():
    img = Image.new("RGB", (1400, 1400), (246, 246, 246))
    d = ImageDraw.Draw(img)
    # a 6x6 grid whose every other gap is off: far more candidates than the cap
    for r in range(6):
        for c in range(6):
            x = 20 + c * 220 + (c % 2) * 9
            y = 20 + r * 220 + (r % 2) * 9
            d.rectangle((x, y, x + 179, y + 179), fill=(255, 255, 255), outline=(200, 200, 200))
            d.text((x + 16, y + 16), "Card", fill=(0, 0, 0), font_size=16)
    assert len(check(Screen(np.asarray(img)))) <= MAX_FINDINGS


def test_a_2x_screenshot_is_judged_in_its_own_pixels():
    # at 2x, rounded corners leave bigger slivers and glyph bearings double: still quiet
    for layout in ("cards", "table"):
        screen, _ = render_screen(layout, "light", seed=9, size=(2880, 1800))
        assert check(screen) == [], layout
    screen, truth = render_screen("cards", "dark", seed=9, defects=["odd_gap"], size=(2880, 1800))
    (defect,) = truth.defects
    found = [f for f in check(screen) if f.rule == "spacing.gap_rhythm"]
    assert len(found) == 1 and found[0].metrics["gap_px"] == defect.metrics["gap_px"]


def _page(size=(1200, 800)):
    img = Image.new("RGB", size, (255, 255, 255))
    return img, ImageDraw.Draw(img)


def _button(d, x, y, w, label="Save"):
    from tests.realpage_shapes import text

    d.rounded_rectangle((x, y, x + w, y + 36), radius=6, fill=(26, 187, 156))
    text(d, (x + 14, y + 10), label, 13, fill=(255, 255, 255))
    return x + w


def test_a_gap_holding_a_paragraph_is_not_an_uneven_gap():
    from tests.realpage_shapes import text

    img, d = _page()
    x = 40
    for label in ("One", "Two", "Three", "Four"):
        x = _button(d, x, 60, 80, label) + 8
    text(d, (x + 8, 70), "or read the guide", 13)  # a paragraph in the run of buttons
    x += 150
    for label in ("Five", "Six", "Seven", "Eight"):
        x = _button(d, x, 60, 80, label) + 8
    found = [f for f in check(Screen(np.asarray(img))) if f.rule == "spacing.gap_rhythm"]
    assert found == []


def test_buttons_sized_to_their_labels_are_not_a_column():
    img, d = _page()
    for i, (w, label) in enumerate(
        [(80, "Save"), (86, "Share"), (120, "Export all"), (84, "Print")]
    ):
        _button(d, 40, 60 + i * 52, w, label)
    found = [f for f in check(Screen(np.asarray(img))) if f.rule == "alignment.near_miss"]
    assert found == []


def test_odd_gap_among_equal_card_gaps_is_found_beside_a_dark_sidebar():
    from tests.realpage_shapes import admin_page, card

    img, d, _, x = admin_page()
    gaps = [24, 24, 33]
    left, boxes = x, []
    for g in [0, *gaps]:
        left += g
        boxes.append(Box(left, 140, left + 260, 240))
        left += 260
    for b in boxes:
        card(d, b)
    found = [f for f in check(Screen(np.asarray(img))) if f.rule == "spacing.gap_rhythm"]
    assert len(found) == 1
    f = found[0]
    assert f.box.intersection(Box(boxes[2].x1, 140, boxes[3].x0, 240)) is not None
    assert f.metrics["gap_px"] - f.metrics["expected_px"] == 9


def test_three_cards_with_two_different_gaps_are_flagged_naming_both():
    img, d = _page()
    from tests.realpage_shapes import card

    card(d, Box(40, 60, 340, 160))
    card(d, Box(356, 60, 656, 160))  # 16 px
    card(d, Box(696, 60, 996, 160))  # 40 px
    (f,) = [f for f in check(Screen(np.asarray(img))) if f.rule == "spacing.gap_rhythm"]
    small, large = sorted(f.metrics["gaps_px"])
    assert large - small == 24  # Pillow's outline adds its own pixel to each measured gap
    assert f"{small} px" in f.detail and f"{large} px" in f.detail


def test_form_fields_keep_one_rhythm_from_input_to_next_label():
    from tests.realpage_shapes import text

    img, d = _page()
    y, field_boxes = 60, []
    for i, name in enumerate(["Full name", "Company", "Email", "Phone"]):
        y += 16 if i == 3 else 0  # the last field sits 16 px lower
        text(d, (40, y), name.upper(), 11)
        d.rectangle((40, y + 22, 540, y + 60), outline=(217, 222, 227), fill=(255, 255, 255))
        text(d, (54, y + 34), "Type here", 13, fill=(160, 166, 175))
        field_boxes.append(Box(40, y, 541, y + 61))
        y += 84
    found = [f for f in check(Screen(np.asarray(img))) if f.rule == "spacing.gap_rhythm"]
    assert len(found) == 1 and found[0].metrics["kind"] == "field"
    # the gap from the third field's input to the fourth field's label (ink, not text box)
    assert found[0].box.y0 >= field_boxes[2].y1 - 2 and found[0].box.y1 <= field_boxes[3].y0 + 6
