"""A heading, a lone card or one line of a list that slipped a few px off the column the
text and boxes around it share is a near miss, even with no sibling of its own kind."""

import numpy as np
from PIL import Image, ImageDraw

from tests.realpage_shapes import font, text
from uireview.checks.spacing import check
from uireview.screen import Screen

BG = (245, 247, 251)


def _page(size=(1000, 700)):
    img = Image.new("RGB", size, BG)
    return img, ImageDraw.Draw(img)


def _card(d, x, y, h, title="Monthly revenue"):
    d.rectangle((x, y, x + 420, y + h), fill=(255, 255, 255), outline=(222, 226, 230))
    text(d, (x + 20, y + 20), title, 15)
    text(d, (x + 20, y + 48), "Compared with the same month last year", 13)


def _near_misses(img):
    return [f for f in check(Screen(np.asarray(img))) if f.rule == "alignment.near_miss"]


def _dashboard(heading_dx: int):
    img, d = _page()
    heading = text(d, (100 + heading_dx, 40), "Sales overview", 24, bold=True)
    text(d, (100, 84), "Revenue and orders for the last thirty days", 13)
    _card(d, 100, 120, 110)
    _card(d, 100, 250, 150, "Orders by channel")
    return img, heading


def test_a_heading_a_few_px_right_of_the_cards_and_text_below_it_is_a_near_miss():
    img, heading = _dashboard(heading_dx=5)
    (f,) = _near_misses(img)
    assert f.severity == "minor"
    assert f.box.intersection(heading) is not None
    assert 4 <= f.metrics["miss_px"] <= 6
    assert f.metrics["element"] == "heading"
    assert "px right of the cards and text below it" in f.title


def test_a_heading_on_the_column_of_the_cards_below_it_is_quiet():
    img, _ = _dashboard(heading_dx=0)
    assert _near_misses(img) == []


def _lone_card(subtitle: bool):
    img, d = _page()
    text(d, (100, 40), "Sales overview", 24, bold=True)
    if subtitle:
        text(d, (100, 80), "Revenue and orders for the last thirty days", 13)
    _card(d, 96, 110, 110)
    _card(d, 100, 240, 180, "Orders by channel")
    return img


def test_a_lone_card_between_a_heading_and_a_taller_card_is_found_when_it_slips():
    # no same-size partner: the heading and its subtitle above and the card below set the
    # column
    (f,) = _near_misses(_lone_card(subtitle=True))
    assert f.severity == "minor"
    assert f.box.x0 == 96
    assert f.metrics["miss_px"] == -4


def test_a_slip_against_only_two_others_is_info():
    # two elements can share an edge by chance: the check says what it saw, not sure
    (f,) = _near_misses(_lone_card(subtitle=False))
    assert f.box.x0 == 96
    assert f.severity == "info"


def _timeline(moved: int):
    img, d = _page()
    boxes = []
    for k in range(4):
        y = 60 + 64 * k
        dx = 6 if k == moved else 0
        boxes.append(text(d, (200 + dx, y), f"Order #18324{k} shipped", 14, bold=True))
        text(d, (200, y + 24), f"2{k} DEC 7:20 PM", 11, fill=(120, 128, 140))
    return img, boxes


def test_one_title_of_a_timeline_off_the_dates_and_titles_under_it_is_found():
    # titles and dates differ in size, so neither has enough siblings of its own size
    img, boxes = _timeline(moved=1)
    (f,) = _near_misses(img)
    assert f.severity == "minor"
    assert f.box.intersection(boxes[1]) is not None
    assert f.metrics["miss_px"] == 6


def test_a_timeline_on_its_column_is_quiet():
    img, _ = _timeline(moved=-1)
    assert _near_misses(img) == []


def test_figures_set_right_are_not_a_near_miss_when_a_decimal_point_moves_their_left_edge():
    img, d = _page()
    text(d, (100, 40), "Amount", 13, bold=True)
    for k, figure in enumerate(("125", "125", "12.5", "125")):
        # set right: each figure ends at x = 160
        text(d, (160 - font(13).getlength(figure), 80 + 32 * k), figure, 13)
    assert _near_misses(img) == []


def _soft_card(d, x, y, w, h):
    # a white card with a 2 px soft shadow: its edge reads 2 px left of where its fill starts
    for k, grey in ((2, 238), (1, 232)):
        d.rectangle((x - k, y - k, x + w + k, y + h + k), fill=(grey, grey, 244))
    d.rectangle((x, y, x + w, y + h), fill=(255, 255, 255))
    text(d, (x + 20, y + 20), "Monthly revenue", 15)


def _sales_column(card_x: int):
    """A heading, a line, a soft-shadowed card at ``card_x`` and a line, on the x=100 column."""
    img, d = _page()
    text(d, (100, 40), "Sales overview", 24, bold=True)
    text(d, (100, 84), "Revenue and orders for the last thirty days", 13)
    _soft_card(d, card_x, 120, 420, 110)
    text(d, (100, 260), "Updated five minutes ago", 13)
    return img


def test_a_shadowed_card_on_the_text_column_is_measured_from_its_fill():
    assert _near_misses(_sales_column(100)) == []


def test_the_shadowed_card_four_px_off_the_text_column_is_found():
    (f,) = _near_misses(_sales_column(104))
    assert f.severity == "minor"
    assert f.metrics["miss_px"] == 4


def test_a_heading_over_a_table_is_measured_against_the_cells_below_it():
    # rows read from divider lines are not containers: the heading and the first column's
    # cells share the panel's column
    img, d = _page()
    d.rectangle((60, 20, 700, 600), fill=(255, 255, 255))
    heading = text(d, (95, 50), "BILLED TO", 11, bold=True, fill=(126, 136, 150))
    for k in range(5):
        y = 90 + 44 * k
        text(d, (100, y + 14), f"Customer number {k + 1}", 13)
        text(d, (420, y + 14), f"{k + 3} invoices", 13)
        d.line((80, y + 43, 680, y + 43), fill=(230, 231, 235))
    (f,) = _near_misses(img)
    assert f.box.intersection(heading) is not None
    assert f.severity == "minor"


def test_an_avatar_beside_a_name_is_not_a_line_of_the_text_column():
    # the avatar sits where the design puts avatars, a few px left of the menu's text
    img, d = _page((300, 500))
    for k, item in enumerate(("Inbox", "Kanban", "Files", "Notifications")):
        text(d, (20, 40 + 33 * k), item, 14)
    d.ellipse((16, 200, 48, 232), fill=(26, 179, 148))
    text(d, (58, 203), "Aigars Silkalns", 13, bold=True)
    text(d, (58, 219), "Admin", 11, fill=(120, 128, 140))
    assert [f for f in _near_misses(img) if f.severity != "info"] == []


def _people_table(moved: int):
    """Table rows, each an avatar and a name set on two lines; the third name moved."""
    img, d = _page((500, 420))
    text(d, (64, 30), "NAME", 11, bold=True, fill=(120, 128, 140))
    text(d, (260, 30), "COMPANY", 11, bold=True, fill=(120, 128, 140))
    people = [("John", "Doe"), ("Anna", "Smith"), ("Robert", "Jones"), ("Emily", "Wang")]
    for k, (first, last) in enumerate(people):
        y = 60 + 70 * k
        d.line((20, y, 480, y), fill=(230, 231, 235))
        d.ellipse((30, y + 22, 54, y + 46), fill=(66, 153, 225))
        dx = moved if k == 2 else 0
        text(d, (64 + dx, y + 14), first, 13)
        text(d, (64 + dx, y + 34), last, 13)
        text(d, (260, y + 26), "Acme Corp", 13, fill=(98, 109, 125))
    d.line((20, 340, 480, 340), fill=(230, 231, 235))
    return img


def test_a_name_on_two_lines_that_slipped_off_the_names_column_is_found():
    (f,) = [f for f in _near_misses(_people_table(moved=-5)) if f.severity != "info"]
    assert f.box.y0 >= 200 and f.box.y1 <= 270  # the third row
    assert abs(f.metrics["miss_px"]) in (4, 5, 6)


def test_names_on_two_lines_on_one_column_are_quiet():
    assert [f for f in _near_misses(_people_table(moved=0)) if f.severity != "info"] == []


def test_a_button_under_a_table_on_the_tables_edge_is_quiet():
    # the cells' text is inset by the cells' padding; the button starts where the rows do
    img, d = _page((700, 420))
    for k, (item, note) in enumerate(
        [
            ("Annual subscription", "50 seats"),
            ("Custom theme", "Branded variant"),
            ("Onboarding workshop", "Half-day remote session"),
        ]
    ):
        y = 40 + 80 * k
        d.line((100, y, 650, y), fill=(230, 231, 235))
        text(d, (107, y + 16), item, 14)
        text(d, (107, y + 44), note, 12, fill=(140, 149, 161))
        text(d, (560, y + 16), "$2,499.00", 14)
    d.line((100, 280, 650, 280), fill=(230, 231, 235))
    d.rounded_rectangle(
        (100, 300, 220, 330), radius=4, fill=(255, 255, 255), outline=(210, 214, 220)
    )
    text(d, (122, 308), "Add line item", 12, fill=(120, 128, 140))
    assert [f for f in _near_misses(img) if f.severity != "info"] == []
