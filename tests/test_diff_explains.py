"""The diff explains real changes: insertions on fixed-height screens, sideways moves, ignored
areas in either frame, every box on the image it is drawn on. Rendered pairs (tests/screens.py)
and pages of two published versions of an npm template, rendered offline (tests/templates.py).
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from tests.screens import render_dashboard
from uireview.compare.diff import compare, diff_findings
from uireview.findings import Box

SB = "startbootstrap-sb-admin"


def _rgba(img: Image.Image) -> np.ndarray:
    return np.asarray(img.convert("RGBA")).copy()


def _with_banner(page: np.ndarray, at: int, height: int) -> np.ndarray:
    """The page with a banner of ``height`` rows inserted at row ``at``, on a screen of fixed
    height: the bottom ``height`` rows are pushed off the screen."""
    banner = Image.new("RGBA", (page.shape[1], height), (254, 243, 199, 255))
    ImageDraw.Draw(banner).text((24, height // 3), "Scheduled maintenance tonight", fill="black")
    out = np.concatenate([page[:at], np.asarray(banner), page[at:]])
    return np.ascontiguousarray(out[: page.shape[0]])


def _shifted(page: np.ndarray, x0: int, dx: int, bg: tuple[int, ...]) -> np.ndarray:
    """Columns from x0 on moved dx px right (the ones pushed past the edge dropped)."""
    out = page.copy()
    out[:, x0 + dx :] = page[:, x0 : page.shape[1] - dx]
    out[:, x0 : x0 + dx] = bg
    return out


def _every_box_inside_its_image(result, findings, before: np.ndarray, after: np.ndarray):
    sizes = {0: before.shape[1::-1], 1: after.shape[1::-1]}
    frames = {"before": sizes[0], "after": sizes[1]}
    for r in result.regions:
        w, h = frames[r.frame]
        assert r.box.clamp(w, h) == r.box, r
        if r.counterpart is not None:
            w, h = frames["before" if r.frame == "after" else "after"]
            assert r.counterpart.clamp(w, h) == r.counterpart, r
    for f in findings:
        if f.box is not None:
            w, h = sizes[f.image]
            assert Box(*f.box).clamp(w, h) == f.box, f


def _blank_bottom(page: np.ndarray, rows: int) -> np.ndarray:
    """The page with its bottom rows painted in its background (a screen not filled to the end)."""
    out = page.copy()
    out[-rows:] = page[-1, 0]
    return out


# --- rendered pairs -----------------------------------------------------------------------------


@pytest.mark.parametrize("layout", ["cards", "sidebar", "topnav"])
def test_banner_at_the_top_of_a_fixed_screen_is_one_insertion_and_nothing_else(layout):
    img, truth = render_dashboard(layout, seed=3)
    before = _blank_bottom(_rgba(img), 60)
    after = _with_banner(before, 0, 47)
    result = compare(before, after)
    kinds = [r.kind for r in result.regions]
    assert kinds.count("inserted") == 1, result.regions
    assert "deleted" not in kinds
    assert not {"changed", "added", "removed", "reflowed"} & set(kinds), result.regions
    (inserted,) = [r for r in result.regions if r.kind == "inserted"]
    assert inserted.frame == "after" and inserted.box.y0 == 0 and inserted.box.y1 == 47
    assert [s.dy for s in result.shifts] == [47]


def test_banner_under_the_header_of_a_fixed_screen_is_one_insertion():
    img, truth = render_dashboard("cards", seed=5)
    before = _blank_bottom(_rgba(img), 60)
    after = _with_banner(before, truth.cards[0].y0 - 8, 47)
    result = compare(before, after)
    kinds = [r.kind for r in result.regions]
    assert kinds.count("inserted") == 1 and "deleted" not in kinds, result.regions
    assert not {"changed", "added", "removed"} & set(kinds), result.regions


def test_content_moved_sideways_is_one_shift_with_dx_and_little_left_changed():
    img, truth = render_dashboard("sidebar", seed=1)
    before = _rgba(img)
    nav = 240
    bg = tuple(int(v) for v in before[-1, -1])
    # a content block that does not reach the right edge, so nothing is pushed off the screen
    before[:, -60:] = bg
    after = _shifted(before, nav + 1, 40, bg)
    result = compare(before, after)
    sideways = [s for s in result.shifts if s.dx]
    assert [(s.dx, s.dy) for s in sideways] == [(40, 0)], result.shifts
    assert sideways[0].box is not None and sideways[0].box.x0 >= nav
    page = before.shape[0] * before.shape[1]
    left = sum(r.box.area for r in result.regions if r.kind in ("changed", "added", "removed"))
    assert left < 0.1 * page
    titles = [f.title for f in diff_findings(result)]
    assert any("moved right 40 px" in t for t in titles), titles


def test_an_edit_inside_a_block_that_moved_sideways_is_still_found_there():
    img, truth = render_dashboard("sidebar", seed=1)
    before = _rgba(img)
    bg = tuple(int(v) for v in before[-1, -1])
    before[:, -60:] = bg
    after = _shifted(before, 241, 40, bg)
    card = truth.cards[-1]
    after[card.y0 + 10 : card.y0 + 30, card.x0 + 60 : card.x0 + 120] = (220, 38, 38, 255)
    result = compare(before, after)
    assert [s.dx for s in result.shifts if s.dx] == [40]
    hits = [r for r in result.regions if r.kind not in ("moved",)]
    spot = Box(card.x0 + 60, card.y0 + 10, card.x0 + 120, card.y0 + 30)
    assert any(r.box.intersection(spot) for r in hits), result.regions


def test_an_ignore_box_over_an_inserted_banner_leaves_no_region_or_finding_inside_it():
    img, truth = render_dashboard("cards", seed=3)
    before = _blank_bottom(_rgba(img), 60)
    after = _with_banner(before, 0, 47)
    ignore = Box(0, 0, after.shape[1], 47)
    result = compare(before, after, ignore=[ignore])
    assert "inserted" not in [r.kind for r in result.regions]
    for r in result.regions:
        if r.frame == "after":
            assert r.box.intersection(ignore) is None, r
    for f in diff_findings(result):
        if f.box is not None and f.image == 1:
            assert Box(*f.box).intersection(ignore) is None, f


def test_an_ignore_box_on_the_before_image_removes_a_deleted_block():
    img, truth = render_dashboard("cards", seed=3)
    after = _blank_bottom(_rgba(img), 60)
    before = _with_banner(after, 0, 47)  # the banner is gone in the after image
    plain = compare(before, after)
    (deleted,) = [r for r in plain.regions if r.kind == "deleted"]
    assert deleted.frame == "before" and deleted.box.y0 == 0 and deleted.box.y1 == 47
    result = compare(before, after, ignore_before=[Box(0, 0, before.shape[1], 47)])
    assert "deleted" not in [r.kind for r in result.regions]
    assert result.mismatch_pixels < plain.mismatch_pixels


def test_images_of_different_heights_keep_every_box_inside_the_image_it_is_drawn_on():
    img, truth = render_dashboard("cards", seed=2, size=(1440, 900))
    before = _rgba(img)
    after = np.concatenate([before[:200], np.asarray(Image.new("RGBA", (1440, 292), "#fde68a")),
                            before[200:]])  # fmt: skip
    after[700:720, 300:500] = (30, 30, 30, 255)
    result = compare(before, after)
    findings = diff_findings(result)
    _every_box_inside_its_image(result, findings, before, after)
    assert [s.dy for s in result.shifts] == [292]
    text = " ".join(f.detail for f in findings)
    assert "(after, " in text and "(before, " in text


# --- real pages: two published versions of startbootstrap-sb-admin, rendered offline ----------


def _sb(version: str, page: str, **kwargs) -> np.ndarray:
    from tests.templates import render

    return render(SB, version, f"dist/{page}", **kwargs)


_BANNER_JS = """() => {
  const b = document.createElement('div');
  b.textContent = 'Scheduled maintenance tonight';
  b.style.cssText = 'height:47px;line-height:47px;padding:0 24px;background:#fef3c7;color:#78350f';
  document.body.prepend(b);
}"""


@pytest.mark.browser
def test_real_page_banner_at_the_top_of_a_fixed_screen_is_one_insertion():
    before = _sb("7.0.7", "401.html")
    after = _sb("7.0.7", "401.html", script=_BANNER_JS)
    result = compare(before, after)
    kinds = [r.kind for r in result.regions]
    assert kinds.count("inserted") == 1 and "deleted" not in kinds, result.regions
    (inserted,) = [r for r in result.regions if r.kind == "inserted"]
    assert inserted.box.y0 == 0 and inserted.box.y1 == 47
    below = [r for r in result.regions if r.kind in ("changed", "added", "removed")]
    assert not below, below


@pytest.mark.browser
def test_real_page_content_moved_sideways_by_40_px_is_one_shift():
    js = "() => { document.querySelector('main').style.cssText = 'position:relative;left:40px'; }"
    before = _sb("7.0.7", "401.html")
    after = _sb("7.0.7", "401.html", script=js)
    result = compare(before, after)
    sideways = [s for s in result.shifts if s.dx]
    assert [s.dx for s in sideways] == [40], result.shifts
    page = after.shape[0] * after.shape[1]
    left = sum(r.box.area for r in result.regions if r.kind in ("changed", "added", "removed"))
    assert left < 0.1 * page, result.regions


@pytest.mark.browser
def test_real_version_pair_of_different_heights_keeps_boxes_in_their_own_image():
    before = _sb("6.0.2", "layout-static.html", full_page=True)
    after = _sb("7.0.7", "layout-static.html", full_page=True)
    assert before.shape[0] != after.shape[0]
    result = compare(before, after)
    findings = diff_findings(result)
    _every_box_inside_its_image(result, findings, before, after)
    assert result.regions


@pytest.mark.browser
def test_real_version_pair_ignore_box_over_an_inserted_region_removes_it():
    before = _sb("6.0.2", "layout-static.html", full_page=True)
    after = _sb("7.0.7", "layout-static.html", full_page=True, script=_BANNER_JS)
    plain = compare(before, after)
    inserted = [r for r in plain.regions if r.kind == "inserted"]
    assert inserted, plain.regions
    target = max(inserted, key=lambda r: r.box.area).box
    result = compare(before, after, ignore=[target])
    for r in result.regions:
        if r.frame == "after":
            assert not (r.box.intersection(target) == r.box), r  # nothing inside it
    assert target not in [r.box for r in result.regions]
    assert result.mismatch_pixels < plain.mismatch_pixels


_WIDER_SIDEBAR_JS = """() => {
  const s = document.createElement('style');
  s.textContent = '#layoutSidenav #layoutSidenav_nav{flex-basis:265px!important;'
    + 'width:265px!important} .sb-nav-fixed #layoutSidenav #layoutSidenav_content'
    + '{padding-left:265px!important}';
  document.head.append(s);
}"""


@pytest.mark.browser
def test_real_page_sidebar_40_px_wider_is_one_reflowed_block_not_a_page_of_changes():
    before = _sb("7.0.7", "tables.html")
    after = _sb("7.0.7", "tables.html", script=_WIDER_SIDEBAR_JS)
    result = compare(before, after)
    assert [s.dx for s in result.shifts if s.dx] == [40], result.shifts
    (block,) = [r for r in result.regions if r.kind == "reflowed"]
    assert block.box.x0 >= 200 and block.box.y0 >= 56  # the content, not the sidebar or top bar
    assert block.box.area > 0.5 * after.shape[0] * after.shape[1]
    others = [r for r in result.regions if r is not block]
    assert sum(r.box.area for r in others) < 0.02 * after.shape[0] * after.shape[1], others
    (finding,) = [f for f in diff_findings(result) if f.rule == "diff.reflowed"]
    assert "(after, " in finding.detail and "(before, " in finding.detail


def test_a_move_inside_an_ignored_area_is_not_reported():
    img, truth = render_dashboard("cards", seed=3)
    before = _blank_bottom(_rgba(img), 60)
    after = _with_banner(before, 0, 47)
    everything = Box(0, 0, after.shape[1], after.shape[0])
    result = compare(before, after, ignore=[everything])
    assert result.mismatch_pixels == 0 and result.regions == [] and result.shifts == []


@pytest.mark.browser
def test_real_page_banner_ignored_leaves_only_the_move_below_it():
    before = _sb("7.0.7", "401.html")
    after = _sb("7.0.7", "401.html", script=_BANNER_JS)
    result = compare(before, after, ignore=[Box(0, 0, after.shape[1], 47)])
    # the footer's small text moved with the rest, though the band was picked without the banner
    assert [r.kind for r in result.regions] == ["moved"], result.regions
    assert [(s.dy, s.dx) for s in result.shifts] == [(47, 0)]
