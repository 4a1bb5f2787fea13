import numpy as np
import pytest
from PIL import Image, ImageDraw

from tests.screens import render_screen
from uireview.findings import Box
from uireview.screen import Screen
from uireview.screen.elements import detect_elements, mark_elements


def _iou(a, b) -> float:
    inter = a.intersection(b)
    return inter.area / (a.area + b.area - inter.area) if inter else 0.0


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_card_of_a_grid_is_found_as_a_card(theme):
    screen, truth = render_screen("cards", theme, seed=2)
    cards = [e.box for e in screen.elements if e.kind == "card"]
    for want in truth.cards:
        assert max(_iou(want, got) for got in cards) > 0.97, want


def test_header_buttons_are_buttons_and_the_primary_has_the_accent_fill():
    screen, truth = render_screen("cards", "light", seed=3)
    buttons = [e for e in screen.elements if e.kind == "button"]
    primary = max(buttons, key=lambda e: _iou(e.box, truth.primary_button))
    assert _iou(primary.box, truth.primary_button) > 0.95
    fill = np.asarray(primary.fill)
    assert fill.max() - fill.min() > 80  # the saturated accent, not white


def test_elements_come_in_reading_order_with_parents_first():
    screen, truth = render_screen("sidebar", "dark", seed=1)
    els = screen.elements
    for i, e in enumerate(els):
        if e.parent is not None:
            assert e.parent < i
            assert els[e.parent].box.intersection(e.box) == e.box
    top = [e for e in els if e.parent is None and e.kind == "card"]
    assert len(top) == len(truth.cards)
    for a, b in zip(top, top[1:], strict=False):
        assert b.box.y0 > a.box.y0 + 4 or (abs(b.box.y0 - a.box.y0) <= 4 and b.box.x0 > a.box.x0)
    assert els[0].kind == "panel"  # the sidebar is read before the main area


def test_form_inputs_are_inputs_and_body_lines_join_into_one_block():
    screen, _ = render_screen("form", "light", seed=0)
    assert sum(e.kind == "input" for e in screen.elements) == 5
    screen, _ = render_screen("cards", "light", seed=0)
    assert any(e.kind == "text" and e.lines == 2 for e in screen.elements)


def test_a_dashboard_gives_a_few_dozen_elements_and_at_most_40_marks():
    screen, _ = render_screen("table", "light", seed=4)
    assert 15 <= len(screen.elements) <= 150
    marks = mark_elements(screen, limit=40)
    assert 10 <= len(marks) <= 40
    for i, a in enumerate(marks):
        for b in marks[i + 1 :]:
            assert a.box.intersection(b.box) is None
    assert all(m.kind != "divider" for m in marks)


def test_blank_image_has_no_elements():
    screen = Screen(np.full((200, 300, 3), 250, np.uint8))
    assert detect_elements(screen) == []


def test_a_single_bordered_box_is_one_card_with_its_text_inside():
    img = Image.new("RGB", (400, 300), (255, 255, 255))
    d = ImageDraw.Draw(img)
    d.rectangle((40, 40, 339, 239), outline=(200, 200, 200))
    d.text((60, 60), "Hello cards", fill=(0, 0, 0), font_size=18)
    els = detect_elements(Screen(np.asarray(img)))
    assert els[0].kind == "card" and els[0].box == (40, 40, 340, 240)
    assert [e.kind for e in els[1:]] == ["text"] and els[1].parent == 0


def test_table_rows_between_divider_lines_hold_their_cells():
    screen, _ = render_screen("table", "light", seed=4)
    els = screen.elements
    rows = [i for i, e in enumerate(els) if e.kind == "row"]
    assert len(rows) >= 8
    for r in rows:
        cells = [e for e in els if e.parent == r]
        assert len(cells) == 5 and all(c.kind == "text" for c in cells)
    # marks open the table into rows, not into 60 loose cells
    kinds = [m.kind for m in mark_elements(screen, limit=40)]
    assert "row" in kinds and len(kinds) <= 40


def test_a_photo_is_one_image_not_a_nest_of_cards():
    rng = np.random.default_rng(0)
    img, _ = render_screen("cards", "light", seed=2)
    rgb = np.array(img.rgb)
    rgb[300:600, 100:700] = rng.integers(0, 256, (300, 600, 3), dtype=np.uint8)
    els = detect_elements(Screen(rgb))
    photo = [e for e in els if e.box.intersection(Box(100, 300, 700, 600))]
    assert any(e.kind == "image" and e.box.area > 0.8 * 300 * 600 for e in photo)
    assert len(els) < 80


def test_cards_are_found_on_a_page_lined_by_a_dark_sidebar_and_top_bar():
    # the screen's edge is mostly side bar and top bar: the cards sit on the grey content
    from tests.realpage_shapes import admin_page, card

    img, d, _, x = admin_page()
    boxes = [Box(x + i * 296, 140, x + i * 296 + 272, 240) for i in range(4)]
    for b in boxes:
        card(d, b)
    # long panels run off the bottom of the screen: white lines most of the screen's edge
    d.rectangle((x, 520, 1439, 899), fill=(255, 255, 255))
    found = [e.box for e in detect_elements(Screen(np.asarray(img))) if e.kind == "card"]
    for b in boxes:
        assert any(_iou(b, f) > 0.9 for f in found), b
