"""Places in the words a person uses: cards by their heading, not a section's or an item's."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from uireview.checks.contrast import check
from uireview.screen import Screen

SANS = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _aa(findings):
    return [f for f in findings if f.rule == "contrast.aa"]


def _font(px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(SANS, px)


def test_text_below_a_cards_header_rule_is_placed_in_the_card_named_after_its_heading():
    # Gentelella's cards: a header line, a 1 px rule, then the body with its own labels.
    img = Image.new("RGB", (1000, 600), "#f3f4f6")
    draw = ImageDraw.Draw(img)
    draw.rectangle((300, 100, 700, 450), fill="#ffffff", outline="#e5e7eb")
    draw.text((320, 118), "All states", fill="#111827", font=_font(18))
    draw.line((301, 150, 699, 150), fill="#e5e7eb")
    draw.text((320, 170), "Default", fill="#111827", font=_font(14))
    draw.text((320, 200), "Looks good and valid", fill="#b0b0b0", font=_font(14))
    (f,) = _aa(check(Screen(np.asarray(img))))
    assert f.place == "card “All states”"


def test_a_list_item_is_placed_in_the_card_around_the_list_not_named_as_a_card():
    img = Image.new("RGB", (1000, 600), "#f3f4f6")
    draw = ImageDraw.Draw(img)
    draw.rectangle((200, 80, 800, 500), fill="#ffffff")
    draw.text((230, 100), "List groups", fill="#111827", font=_font(18))
    for i, item in enumerate(["Souffle pastry pie", "Bear claw cake", "Tart tiramisu"]):
        y = 160 + 44 * i
        draw.rectangle((230, y, 600, y + 44), fill="#ffffff", outline="#d9dee3")
        colour = "#c7cdd4" if i == 1 else "#333333"
        draw.text((248, y + 13), item, fill=colour, font=_font(14))
    (f,) = _aa(check(Screen(np.asarray(img))))
    assert f.place == "card “List groups”"


def test_a_table_row_is_placed_in_the_card_around_the_table_past_its_header_row():
    # Gentelella's orders: the card's heading, a grey header row, then white rows between
    # rules, each row as wide as the card. A row is not a card named after its first cell.
    img = Image.new("RGB", (1200, 700), "#f3f4f6")
    draw = ImageDraw.Draw(img)
    draw.rectangle((200, 80, 1000, 560), fill="#ffffff", outline="#e5e7eb")
    draw.text((224, 104), "All orders", fill="#111827", font=_font(18))
    draw.line((201, 160, 999, 160), fill="#eeeff2")
    draw.rectangle((201, 161, 999, 192), fill="#f9fafb")
    for x, label in ((224, "ORDER"), (420, "CUSTOMER"), (700, "TOTAL")):
        draw.text((x, 170), label, fill="#374151", font=_font(12))
    draw.line((201, 193, 999, 193), fill="#e6e7eb")
    for i in range(4):
        y = 194 + 42 * i
        draw.text((224, y + 12), f"#78{41 - i}", fill="#9ca3af" if i == 0 else "#111111",
                  font=_font(14))  # fmt: skip
        draw.text((420, y + 12), "John Doe", fill="#111111", font=_font(14))
        draw.text((700, y + 12), "$245", fill="#111111", font=_font(14))
        draw.line((201, y + 41, 999, y + 41), fill="#e6e7eb")
    (f,) = _aa(check(Screen(np.asarray(img))))
    assert f.text == "#7841" and f.place == "card “All orders”"


def test_a_chip_in_a_card_cut_off_by_the_bottom_of_the_screen_is_placed_in_that_card():
    # The screenshot ends inside the card (its foot is below the fold), and the card's
    # header is tinted at its right edge (a scrollbar's shadow): still the card "Status".
    img = Image.new("RGB", (1200, 500), "#f3f4f6")
    draw = ImageDraw.Draw(img)
    draw.rectangle((600, 250, 1150, 520), fill="#ffffff", outline="#e5e7eb")
    draw.rectangle((1147, 251, 1149, 294), fill="#fbfbfb")
    draw.text((620, 262), "Status", fill="#111827", font=_font(16))
    draw.line((601, 295, 1149, 295), fill="#eeeff2")
    draw.text((620, 320), "Paid", fill="#111111", font=_font(13))
    draw.rounded_rectangle((620, 360, 720, 388), radius=14, fill="#f2fbf9", outline="#a7f3d0")
    draw.text((638, 366), "Tailwind", fill="#a0c8c0", font=_font(13))
    (f,) = _aa(check(Screen(np.asarray(img))))
    assert f.text == "Tailwind" and f.place == "card “Status”"


def test_a_field_against_the_top_edge_of_the_screen_is_not_named_as_a_card():
    # Material's top bar has no fill of its own: its search field starts 2 px below the
    # screenshot's top edge. The field's prompt is at the top of the page, not a card title.
    img = Image.new("RGB", (1440, 900), "#f0f2f5")
    draw = ImageDraw.Draw(img)
    draw.rounded_rectangle((912, 1, 1111, 41), radius=6, fill="#f0f2f5", outline="#d2d6da")
    draw.text((924, 13), "Type here...", fill="#9a9db0", font=_font(15))
    draw.text((40, 200), "Dashboard", fill="#111111", font=_font(20))
    (f,) = [f for f in check(Screen(np.asarray(img))) if "Type here" in (f.text or "")]
    assert f.place == "top of the page"


def test_an_id_column_of_a_table_is_not_a_chart_axis():
    # Order numbers step by one like ticks, but every row goes on in text to their right.
    img = Image.new("RGB", (1000, 500), "#ffffff")
    draw = ImageDraw.Draw(img)
    for i in range(6):
        y = 60 + 44 * i
        draw.text((100, y), f"#78{41 - i}", fill="#34d399", font=_font(13))
        draw.ellipse((200, y - 4, 222, y + 18), fill="#6366f1")
        draw.text((232, y), "John Doe", fill="#111111", font=_font(13))
        draw.text((420, y), "Paid", fill="#111111", font=_font(13))
        draw.line((80, y + 28, 900, y + 28), fill="#eeeeee")
    (f,) = _aa(check(Screen(np.asarray(img))))
    assert f.place != "chart axis" and not f.title.startswith("Chart axis")


def test_a_lines_surface_is_the_same_however_often_and_in_whatever_order_it_is_asked():
    from uireview.checks.places import Namer
    from uireview.findings import Box

    img = Image.new("RGB", (800, 400), "#f3f4f6")
    draw = ImageDraw.Draw(img)
    draw.rectangle((100, 100, 500, 300), fill="#ffffff")
    draw.text((120, 120), "Card heading", fill="#111827", font=_font(16))
    draw.text((120, 330), "Footer line", fill="#111827", font=_font(14))
    rgb = np.asarray(img)
    card_line, page_line = Box(118, 118, 240, 140), Box(118, 328, 220, 348)
    white, grey = (255, 255, 255), (0xF3, 0xF4, 0xF6)
    first = Namer(rgb, [card_line, page_line], lambda boxes: [None] * len(boxes))
    later = Namer(rgb, [card_line, page_line], lambda boxes: [None] * len(boxes))
    asked_first = first.surface(card_line, white)
    later.surface(page_line, grey)
    assert later.surface(card_line, white) == asked_first == first.surface(card_line, white)
    assert asked_first is not None and asked_first.box == Box(100, 100, 501, 301)


def test_a_calendars_weekday_header_is_not_a_chart_axis():
    # Short labels evenly spaced in a row with ink above them look like a category axis,
    # but a calendar's (or a table's) cell borders run through the labels' row: an axis's
    # labels sit on clear ground under their chart. So do a calendar day's events, one
    # under another in equal steps.
    img = Image.new("RGB", (1000, 600), "#ffffff")
    draw = ImageDraw.Draw(img)
    draw.text((60, 40), "April 2026", fill="#111111", font=_font(18))
    draw.rectangle((60, 80, 60 + 7 * 120, 120), fill="#ffffff", outline="#dddddd")
    for i, day in enumerate(["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"]):
        x = 60 + 120 * i
        draw.line((x, 80, x, 560), fill="#dddddd")
        draw.text((x + 45, 94), day, fill="#a8a8a8", font=_font(12))
    for row in range(4):
        y = 120 + 110 * row
        draw.line((60, y, 900, y), fill="#dddddd")
        # Each Monday's event, a tinted chip: a column of equal labels, evenly spaced.
        draw.rectangle((66, y + 30, 174, y + 50), fill="#e8f8f5")
        draw.text((72, y + 34), "Standup 9am", fill="#5fcfb6", font=_font(12))
    findings = _aa(check(Screen(np.asarray(img))))
    assert findings, "the grey weekday labels fail AA"
    for f in findings:
        assert f.place != "chart axis" and not f.title.startswith("Chart axis")
