import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from tests.screens import LAYOUTS, render_screen
from uireview.checks.hierarchy import check, measure_line
from uireview.findings import Box
from uireview.screen import Screen

_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans{}.ttf"


def _font(size, bold=False):
    return ImageFont.truetype(_FONT.format("-Bold" if bold else ""), size)


def test_heading_shrunk_to_body_size_is_flat_hierarchy():
    for layout in LAYOUTS:
        screen, truth = render_screen(layout, "light", seed=1, defects=["heading_shrunk"])
        title = truth.defects[0].box
        found = [f for f in check(screen) if f.rule in ("hierarchy.heading", "hierarchy.flat")]
        assert len(found) == 1, layout
        f = found[0]
        assert f.box.intersection(title) is not None
        ratio = f.metrics.get("title_ratio", f.metrics["ratio"])
        assert ratio < 1.25
        assert f.metrics["body_px"] > 0 and f.category == "hierarchy"


@pytest.mark.parametrize("layout", LAYOUTS)
def test_clean_page_has_no_hierarchy_findings(layout):
    for theme in ("light", "dark"):
        screen, _ = render_screen(layout, theme, seed=7)
        assert check(screen) == [], (layout, theme)


def test_page_of_one_text_size_is_flat_with_one_level():
    img = Image.new("RGB", (900, 600), (255, 255, 255))
    d = ImageDraw.Draw(img)
    for i in range(8):
        d.text(
            (40, 40 + i * 60), "Quarterly revenue report line", fill=(30, 30, 30), font=_font(16)
        )
    (f,) = check(Screen(np.asarray(img)))
    assert f.rule == "hierarchy.flat" and f.severity == "major"
    assert len(f.metrics["levels"]) == 1 and f.metrics["ratio"] < 1.25


def test_two_filled_buttons_side_by_side_have_no_primary():
    screen, truth = render_screen("form", "dark", seed=3, defects=["equal_buttons"])
    found = [f for f in check(screen) if f.rule == "hierarchy.primary_action"]
    cancel = [d.box for d in truth.defects if d.kind == "equal_buttons"]
    assert found and all(any(f.box == c or c in f.related for c in cancel) for f in found)
    assert found[0].metrics["buttons"] == 2


def test_a_filled_button_beside_an_outline_one_is_a_clear_primary():
    screen, _ = render_screen("form", "light", seed=3)
    assert [f for f in check(screen) if f.rule == "hierarchy.primary_action"] == []


def test_measured_size_grows_with_font_size_and_bold_is_heavier():
    img = Image.new("RGB", (900, 400), (250, 250, 250))
    d = ImageDraw.Draw(img)
    rgb_boxes = []
    for i, (size, bold) in enumerate([(14, False), (20, False), (28, False), (28, True)]):
        y = 20 + i * 90
        d.text((20, y), "Billing and revenue", fill=(20, 20, 20), font=_font(size, bold))
        x0, y0, x1, y1 = d.textbbox((20, y), "Billing and revenue", font=_font(size, bold))
        rgb_boxes.append(Box(x0 - 3, y0 - 3, x1 + 3, y1 + 3))
    lines = [measure_line(np.asarray(img), b) for b in rgb_boxes]
    assert lines[0].size < lines[1].size < lines[2].size
    assert abs(lines[2].size - lines[3].size) <= 1
    assert lines[3].weight > 1.3 * lines[2].weight
    # the size is the em size, read from the ascender height (fonts differ by about 10%)
    assert 0.9 * 28 <= lines[2].size <= 1.12 * 28


def test_two_lone_headlines_of_equal_size_compete():
    img = Image.new("RGB", (1200, 800), (255, 255, 255))
    d = ImageDraw.Draw(img)
    d.text((40, 40), "Welcome back", fill=(20, 20, 20), font=_font(36, True))
    d.text((600, 400), "Big sale today", fill=(20, 20, 20), font=_font(36, True))
    for i in range(6):
        d.text((40, 140 + i * 36), "Body copy for the page", fill=(60, 60, 60), font=_font(15))
    found = [f for f in check(Screen(np.asarray(img))) if f.rule == "hierarchy.focus"]
    assert len(found) == 1 and len(found[0].metrics["sizes_px"]) == 2


def test_card_title_set_as_large_as_the_page_title_is_a_competing_focal_point():
    screen, truth = render_screen("cards", "light", seed=2, defects=["competing_heading"])
    (defect,) = truth.defects
    found = [f for f in check(screen) if f.rule == "hierarchy.focus"]
    assert len(found) == 1
    boxes = [found[0].box, *found[0].related]
    assert any(b.intersection(defect.box) for b in boxes)
    assert any(b.intersection(truth.headings[0]) for b in boxes)


def test_a_breadcrumb_above_a_large_title_is_not_taken_for_the_title():
    img = Image.new("RGB", (1200, 800), (255, 255, 255))
    d = ImageDraw.Draw(img)
    d.text((40, 24), "Home / Reports / Revenue", fill=(90, 90, 90), font=_font(13))
    d.text((40, 56), "Revenue overview", fill=(20, 20, 20), font=_font(32, True))
    for i in range(8):
        d.text((40, 140 + i * 40), "Body copy for the page", fill=(60, 60, 60), font=_font(15))
        d.text((600, 140 + i * 40), "More body copy here", fill=(60, 60, 60), font=_font(15))
    assert check(Screen(np.asarray(img))) == []


def _admin(title_px=28, title_bold=True):
    from tests.realpage_shapes import admin_page, card, text

    img, d, title, x = admin_page(title_px=title_px, title_bold=title_bold)
    for i in range(3):
        card(d, Box(x + i * 392, 140, x + i * 392 + 368, 240), "Total users")
    for i in range(8):
        text(d, (x, 280 + i * 32), "Orders shipped to customers this week", 14)
        text(d, (x + 600, 280 + i * 32), "Refunds and disputes settled", 14)
    return img, title


def test_page_title_is_found_in_the_content_area_not_on_a_sidebar_label():
    from uireview.checks.hierarchy import page_title

    img, title = _admin()
    screen = Screen(np.asarray(img))
    found = page_title(screen)
    assert found is not None and found.intersection(title) is not None
    assert [f for f in check(screen) if f.rule.startswith("hierarchy.")] == []


def test_title_at_body_size_beside_a_dark_sidebar_is_flagged_on_the_title():
    img, title = _admin(title_px=14, title_bold=False)
    rules = ("hierarchy.heading", "hierarchy.flat")
    found = [f for f in check(Screen(np.asarray(img))) if f.rule in rules]
    assert len(found) == 1 and found[0].severity == "major"
    assert found[0].box.intersection(title) is not None


def test_competing_focal_points_never_pairs_a_title_with_a_small_legend_or_icon():
    img = Image.new("RGB", (1200, 800), (255, 255, 255))
    d = ImageDraw.Draw(img)
    d.text((40, 40), "Revenue overview", fill=(20, 20, 20), font=_font(30, True))
    d.text((700, 420), "Sessions", fill=(20, 20, 20), font=_font(11, True))  # a legend
    d.polygon([(900, 100), (930, 100), (915, 74)], fill=(230, 160, 0))  # a warning icon
    for i in range(6):
        d.text((40, 140 + i * 36), "Body copy for the page", fill=(60, 60, 60), font=_font(15))
    assert [f for f in check(Screen(np.asarray(img))) if f.rule == "hierarchy.focus"] == []


def test_competing_focal_points_say_the_sizes_they_measured():
    img = Image.new("RGB", (1200, 800), (255, 255, 255))
    d = ImageDraw.Draw(img)
    d.text((40, 40), "Welcome back", fill=(20, 20, 20), font=_font(36, True))
    d.text((600, 400), "Big sale today", fill=(20, 20, 20), font=_font(34, True))
    for i in range(6):
        d.text((40, 140 + i * 36), "Body copy for the page", fill=(60, 60, 60), font=_font(15))
    (f,) = [f for f in check(Screen(np.asarray(img))) if f.rule == "hierarchy.focus"]
    a, b = f.metrics["sizes_px"]
    assert max(a, b) <= 1.12 * min(a, b)
    assert f"{a} px" in f.detail and f"{b} px" in f.detail
    # and it names the two headings it means
    assert f.title == "Competing focal points: “Welcome back” and “Big sale today”"


def test_flat_page_points_at_the_title_not_the_largest_text():
    img = Image.new("RGB", (900, 600), (255, 255, 255))
    d = ImageDraw.Draw(img)
    d.text((40, 40), "Team settings page", fill=(30, 30, 30), font=_font(16))
    for i in range(7):
        d.text(
            (40, 100 + i * 60), "Quarterly revenue report line", fill=(30, 30, 30), font=_font(16)
        )
    d.text((500, 520), "Role", fill=(30, 30, 30), font=_font(17))
    (f,) = [f for f in check(Screen(np.asarray(img))) if f.rule == "hierarchy.flat"]
    assert f.box.y0 < 70  # the title line at the top, not the "Role" label below
