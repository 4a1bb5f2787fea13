"""Where the hierarchy check finds the page title, and how it judges it, on page shapes the
real templates have: KPI figures, logos, breadcrumbs, card headings under the title."""

import numpy as np
from PIL import Image, ImageDraw

from tests.realpage_shapes import PAGE_BG, admin_page, card, font, text
from uireview.checks.hierarchy import check, page_title
from uireview.findings import Box
from uireview.screen import Screen

TITLE_RULES = ("hierarchy.heading", "hierarchy.flat")


def _body(d: ImageDraw.ImageDraw, x: int, y: int, rows: int = 8) -> None:
    for i in range(rows):
        text(d, (x, y + i * 32), "Orders shipped to customers this week", 14)
        text(d, (x + 600, y + i * 32), "Refunds and disputes settled", 14)


def _kpi_page(title_px: int, title_bold: bool):
    """A dashboard whose first card row holds large figures beside the title."""
    img, d, title, x = admin_page(title_px=title_px, title_bold=title_bold)
    for i in range(3):
        box = Box(x + i * 392, 140, x + i * 392 + 368, 240)
        d.rounded_rectangle(box, radius=8, fill=(255, 255, 255), outline=(228, 231, 236))
        text(d, (box.x0 + 16, box.y0 + 14), "TOTAL ORDERS", 11, fill=(98, 109, 125))
        text(d, (box.x0 + 16, box.y0 + 36), f"${i + 1}4,520", 30, True)
    _body(d, x, 280)
    return img, title


def test_figures_in_the_first_card_row_are_not_taken_for_the_title():
    img, title = _kpi_page(title_px=28, title_bold=True)
    found = page_title(Screen(np.asarray(img)))
    assert found is not None and found.intersection(title) is not None


def test_title_set_at_body_size_above_large_figures_is_flagged_on_the_title():
    img, title = _kpi_page(title_px=14, title_bold=False)
    found = [f for f in check(Screen(np.asarray(img))) if f.rule in TITLE_RULES]
    assert len(found) == 1 and found[0].severity == "major"
    assert found[0].box.intersection(title) is not None


def _logo_page(title_px: int):
    """A sign-in card: a logo (a mark and a wordmark) above the form's heading."""
    img = Image.new("RGB", (1000, 760), PAGE_BG)
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((300, 80, 700, 700), radius=8, fill=(255, 255, 255))
    d.ellipse((420, 118, 450, 148), fill=(105, 108, 255))  # the logo's mark
    text(d, (460, 116), "acme", 28, True, fill=(80, 90, 110))
    title = text(d, (330, 190), "Welcome back to Acme", title_px)
    for i in range(10):
        text(d, (330, 240 + i * 40), "Sign in to your account and start", 15, fill=(90, 100, 115))
    return img, title


def test_a_logo_led_by_its_mark_is_not_the_title():
    img, title = _logo_page(title_px=22)
    found = page_title(Screen(np.asarray(img)))
    assert found is not None and found.intersection(title) is not None


def test_heading_under_a_logo_set_at_body_size_is_flagged():
    img, title = _logo_page(title_px=15)
    found = [f for f in check(Screen(np.asarray(img))) if f.rule in TITLE_RULES]
    assert len(found) == 1 and found[0].severity == "major"
    assert found[0].box.intersection(title) is not None


def test_a_bold_card_heading_below_a_shrunk_title_does_not_take_its_place():
    img, d, title, x = admin_page(title_px=14, title_bold=False)
    box = Box(x, 130, x + 700, 420)
    d.rounded_rectangle(box, radius=8, fill=(255, 255, 255), outline=(228, 231, 236))
    text(d, (x + 16, 146), "New project", 16, True)
    _body(d, x + 16, 190, rows=6)
    found = [f for f in check(Screen(np.asarray(img))) if f.rule in TITLE_RULES]
    assert len(found) == 1 and found[0].box.intersection(title) is not None


def test_a_bold_title_at_body_size_is_a_choice_not_a_defect():
    img, d, title, x = admin_page(title_px=15, title_bold=True)
    for i in range(3):
        card(d, Box(x + i * 392, 140, x + i * 392 + 368, 240), "Total users")
    _body(d, x, 280)
    assert [f for f in check(Screen(np.asarray(img))) if f.rule in TITLE_RULES] == []


def _buttons(fills) -> Screen:
    img = Image.new("RGB", (900, 400), (255, 255, 255))
    d = ImageDraw.Draw(img)
    x = 40
    for label, fill in fills:
        w = int(d.textlength(label, font=font(15))) + 40
        d.rounded_rectangle((x, 200, x + w, 240), radius=6, fill=fill)
        d.text((x + 20, 211), label, fill=(255, 255, 255), font=font(15))
        x += w + 12
    return Screen(np.asarray(img))


def test_two_buttons_filled_in_one_colour_look_equally_primary():
    found = check(_buttons([("Save", (13, 110, 253)), ("Publish", (13, 110, 253))]))
    assert [f.rule for f in found].count("hierarchy.primary_action") == 1


def test_buttons_in_different_colours_are_distinct_actions_not_rival_primaries():
    found = check(_buttons([("Primary", (105, 108, 255)), ("Warning", (255, 171, 0))]))
    assert [f for f in found if f.rule == "hierarchy.primary_action"] == []


def test_the_title_finding_says_the_numbers_it_measured():
    img, title = _kpi_page(title_px=14, title_bold=False)
    (f,) = [f for f in check(Screen(np.asarray(img))) if f.rule == "hierarchy.heading"]
    m = f.metrics
    assert f"{m['title_px']} px against {m['body_px']} px" in f.detail
    assert f"({m['title_ratio']:.2f}x)" in f.detail
    # the figures are larger than the title: the sentence names the largest text's size
    assert m["heading_px"] > m["title_px"] and f"reaches {m['heading_px']} px" in f.detail


def test_the_title_finding_quotes_the_title_it_means_and_says_where_it_is():
    img, title = _kpi_page(title_px=14, title_bold=False)
    (f,) = [f for f in check(Screen(np.asarray(img))) if f.rule == "hierarchy.heading"]
    assert f.text == "Dashboard"
    assert f.title == "The page title “Dashboard” looks like body text"
    assert f.place == "top of the page"


def test_one_button_in_three_sizes_is_a_catalogue_not_rival_primaries():
    img = Image.new("RGB", (900, 400), (255, 255, 255))
    d = ImageDraw.Draw(img)
    x = 40
    for label, h in (("Small", 28), ("Default", 34), ("Large", 42)):
        w = int(d.textlength(label, font=font(14))) + 32
        d.rounded_rectangle((x, 200 - h // 2, x + w, 200 + h // 2), radius=4, fill=(38, 185, 154))
        d.text((x + 16, 192), label, fill=(255, 255, 255), font=font(14))
        x += w + 8
    found = check(Screen(np.asarray(img)))
    assert [f for f in found if f.rule == "hierarchy.primary_action"] == []


def test_a_short_title_set_at_body_size_is_still_the_title():
    # "Files" at 14 px is under twice as wide as its line is tall, yet no icon
    img, d, dashboard, x = admin_page(title_px=14, title_bold=False)
    d.rectangle(dashboard, fill=PAGE_BG)
    title = text(d, (x, 80), "Files", 14)
    _body(d, x, 140)
    found = [f for f in check(Screen(np.asarray(img))) if f.rule in TITLE_RULES]
    assert len(found) == 1 and found[0].severity == "major"
    assert found[0].box.intersection(title) is not None


def _tile_logo_page(title_px: int):
    """A sign-in card whose logo is a 32 px tile beside a 16 px wordmark (taller than its
    line, and 10 px left of it), above the form's heading."""
    img = Image.new("RGB", (1000, 760), PAGE_BG)
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((300, 80, 700, 700), radius=8, fill=(255, 255, 255))
    d.rounded_rectangle((330, 110, 362, 142), radius=6, fill=(26, 187, 156))  # the mark
    text(d, (341, 116), "G", 16, True, fill=(255, 255, 255))
    text(d, (372, 116), "Gentle", 17, True)
    title = text(d, (330, 170), "Welcome back", title_px)
    for i in range(10):
        text(d, (330, 220 + i * 40), "Sign in to continue to your work", 13, fill=(90, 100, 115))
    return img, title


def test_a_wordmark_beside_a_tile_taller_than_its_line_is_not_the_title():
    img, title = _tile_logo_page(title_px=14)
    found = page_title(Screen(np.asarray(img)))
    assert found is not None and found.intersection(title) is not None


def test_a_title_under_a_tall_illustration_is_still_found():
    # a short page: an illustration fills the top, the title and its line sit under it,
    # about 40% down the screen
    img = Image.new("RGB", (390, 844), PAGE_BG)
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, 389, 60), fill=(255, 255, 255))
    d.line((0, 60, 389, 60), fill=(228, 231, 236))
    d.rectangle((40, 90, 350, 320), fill=(255, 255, 255), outline=(220, 222, 230))
    for i in range(5):
        d.rectangle((60, 110 + i * 40, 330, 122 + i * 40), fill=(232, 234, 240))
    title = text(d, (120, 350), "Layout container", 15, fill=(86, 106, 127))
    for i in range(6):
        text(d, (20, 390 + i * 26), "Container layout sets a max width here", 15)
    found = page_title(Screen(np.asarray(img)))
    assert found is not None and found.intersection(title) is not None


def _one_card_page(title_px: int, title_bold: bool):
    """A small laptop screen whose side bar has slid away: a breadcrumb and the title at
    the top left, a top row of links on the right, and one tall card from under the title
    to the bottom of the screen (its left edge is as long as a side bar's border)."""
    img = Image.new("RGB", (1024, 768), PAGE_BG)
    d = ImageDraw.Draw(img)
    text(d, (40, 17), "Pages  /  Notifications", 14, fill=(123, 128, 154))
    title = text(d, (40, 40), "Notifications", title_px, title_bold)
    for x, label in ((700, "Online builder"), (830, "Star"), (935, "Sign In")):
        text(d, (x, 29), label, 15, fill=(123, 128, 154))
    d.rounded_rectangle((183, 123, 840, 800), radius=8, fill=(255, 255, 255))
    text(d, (199, 142), "Alerts", 20, True)
    for i in range(8):
        text(d, (215, 220 + i * 66), "A simple alert with an example link. Give it a click.", 14)
    return img, title


def test_one_tall_card_edge_is_not_taken_for_a_side_bar():
    img, title = _one_card_page(title_px=16, title_bold=True)
    found = page_title(Screen(np.asarray(img)))
    assert found is not None and found.intersection(title) is not None


def test_a_shrunk_title_left_of_one_tall_card_is_flagged_where_it_is_not_on_the_links():
    # at body size the title no longer outranks its breadcrumb, which the finding may pin;
    # either way it is at the top left, not on the links right of the card's edge
    img, title = _one_card_page(title_px=14, title_bold=False)
    found = [f for f in check(Screen(np.asarray(img))) if f.rule in TITLE_RULES]
    assert len(found) == 1 and found[0].severity == "major"
    assert found[0].box.x0 < 183 and found[0].box.y1 <= title.y1 + 4


def test_a_wordmark_further_from_its_tile_on_a_narrow_phone_is_not_the_title():
    # on a 360 px phone the wordmark's line is short (15 px type) and the 32 px tile sits
    # 12 px left of it: the tile runs past two and a half line heights, yet it is a mark
    img = Image.new("RGB", (360, 800), PAGE_BG)
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((20, 120, 340, 700), radius=8, fill=(255, 255, 255))
    d.rounded_rectangle((44, 150, 76, 182), radius=6, fill=(26, 187, 156))  # the mark
    text(d, (54, 156), "G", 16, True, fill=(255, 255, 255))
    text(d, (88, 157), "Gentelella", 15, True)
    title = text(d, (44, 210), "Welcome back", 14)
    for i in range(10):
        text(d, (44, 250 + i * 36), "Sign in to continue to your work", 12, fill=(90, 100, 115))
    found = page_title(Screen(np.asarray(img)))
    assert found is not None and found.intersection(title) is not None


def _sparse_phone(title_px: int, title_bold: bool):
    """A sparse phone screen: a title wrapped over two lines, then two cards with a
    heading, a few small notes and a pager, so the title's two lines are the widest level."""
    img = Image.new("RGB", (390, 844), PAGE_BG)
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, 389, 60), fill=(255, 255, 255))
    d.line((0, 60, 389, 60), fill=(228, 231, 236))
    title = text(d, (16, 100), "UI elements / Pagination", title_px, title_bold)
    text(d, (16, 100 + round(1.4 * title_px)), "and breadcrumbs", title_px, title_bold)
    for i, y in enumerate((200, 480)):
        d.rounded_rectangle((16, y, 374, y + 240), radius=8, fill=(255, 255, 255))
        text(d, (36, y + 20), ("Basic", "Outline")[i], 18)
        text(d, (36, y + 70), "Small size", 12, fill=(150, 160, 175))
        text(d, (36, y + 120), "Default", 12, fill=(150, 160, 175))
        text(d, (36, y + 170), "1  2  3  4  5", 14)
    return img, title


def test_a_title_wrapped_over_two_lines_on_a_sparse_phone_is_not_taken_for_the_body():
    img, _ = _sparse_phone(title_px=22, title_bold=True)
    assert [f for f in check(Screen(np.asarray(img))) if f.rule in TITLE_RULES] == []


def test_a_shrunk_title_over_its_paragraph_is_judged_against_that_paragraph():
    # the paragraph under the title shares its size: it is body text, not the title's
    # second line, so the title is still judged against it (and found at body size)
    img, d, title, x = admin_page(title_px=14, title_bold=False)
    for i in range(3):
        text(d, (x, 110 + i * 22), "You have done 72% more sales today than last week", 14)
    for i in range(6):
        text(d, (x, 220 + i * 40), "Orders shipped", 12, fill=(98, 109, 125))
        text(d, (x + 300, 220 + i * 40), "Refunds settled", 12, fill=(98, 109, 125))
    found = [f for f in check(Screen(np.asarray(img))) if f.rule in TITLE_RULES]
    assert len(found) == 1 and found[0].severity == "major"
    assert found[0].box.intersection(title) is not None
