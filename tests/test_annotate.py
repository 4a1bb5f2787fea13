"""Pins on the annotated image: beside the text they mark, none hiding another, numbers AA."""

import io

import numpy as np
import pytest
from PIL import Image, ImageDraw

from uireview.annotate import (
    SEVERITY_COLOUR,
    annotate,
    pin_boxes,
    pin_radius,
    place_pins,
    ring_reach,
)
from uireview.drawing import font
from uireview.findings import Box, Finding
from uireview.ink import Ink, ink_of


def _finding(box: Box, severity: str = "major") -> Finding:
    return Finding(source="measured", category="contrast", severity=severity, title="t", box=box)


def _crowded(pitch: int = 34) -> list[tuple[int, Box]]:
    # A dense table: 8 rows x 4 columns of short labels, like a sidebar menu.
    boxes, n = [], 0
    for row in range(8):
        for col in range(4):
            n += 1
            x, y = 60 + col * 150, 40 + row * pitch
            boxes.append((n, Box(x, y, x + 90, y + 22)))
    return boxes


@pytest.mark.parametrize("pitch", [34, 24])  # 24: rows closer than a pin is wide
def test_no_pin_overlaps_another_on_a_crowded_screen(pitch):
    boxes = _crowded(pitch)
    radius = 14
    spots = place_pins(boxes, radius, (800, 400))
    assert set(spots) == {n for n, _ in boxes}
    centres = np.array(list(spots.values()))
    gaps = np.sqrt(((centres[:, None, :] - centres[None, :, :]) ** 2).sum(-1))
    np.fill_diagonal(gaps, np.inf)
    assert gaps.min() >= 2 * radius, f"two pins overlap: centres {gaps.min():.1f} px apart"


def test_a_pin_sits_beside_its_text_not_on_it():
    boxes = _crowded()
    radius = 14
    for n, box in boxes:
        cx, cy = place_pins(boxes, radius, (800, 400))[n]
        inside_x = box.x0 <= cx <= box.x1
        inside_y = box.y0 <= cy <= box.y1
        assert not (inside_x and inside_y), f"pin {n} is drawn on its own text"
        # ...and near it: within a few pin widths, so the short leader reads as a link.
        nx, ny = min(max(cx, box.x0), box.x1), min(max(cy, box.y0), box.y1)
        assert np.hypot(cx - nx, cy - ny) <= 6 * radius, f"pin {n} is far from its text"


def test_a_lone_pin_goes_left_of_the_text_level_with_its_first_line():
    (cx, cy) = place_pins([(1, Box(200, 100, 320, 124))], 12, (800, 400))[1]
    assert cx < 200 and 100 <= cy <= 124


def test_pins_stay_inside_the_image_at_its_edges():
    boxes = [(1, Box(0, 0, 80, 20)), (2, Box(720, 380, 800, 400))]
    for cx, cy in place_pins(boxes, 12, (800, 400)).values():
        assert 12 <= cx <= 800 - 12 and 12 <= cy <= 400 - 12


def test_the_drawn_pin_is_joined_to_its_box_by_a_leader():
    img = Image.new("RGB", (600, 300), "white")
    box = Box(300, 140, 420, 164)
    out = np.asarray(annotate(img, [(1, _finding(box))], size=20))
    major = np.array(SEVERITY_COLOUR["major"])
    drawn = np.abs(out.astype(int) - major).sum(-1) < 40
    left_of_box = drawn[:, :300]
    assert left_of_box.sum() > 200, "the pin is drawn beside the box"
    # Between the pin's white rim and the box, every column has the leader in it.
    cols = np.where(left_of_box.any(axis=0))[0]
    rim = cols[np.argmax(np.diff(cols) > 1)] if np.any(np.diff(cols) > 1) else cols.max()
    leader = left_of_box[:, rim + 4 : 300]
    assert leader.shape[1] >= 3 and leader.any(axis=0).all()


def test_pin_boxes_cover_each_mark_and_its_pin():
    numbered = [(n, _finding(b)) for n, b in _crowded()]
    spots = pin_boxes(Image.new("RGB", (800, 400), "white"), numbered)
    for n, f in numbered:
        joined = spots[n]
        assert joined.union(f.box) == joined  # the box is inside
        assert joined.area > f.box.area  # and the pin widened it


def test_pin_numbers_pass_aa_by_our_own_contrast_check():
    from uireview import pipeline
    from uireview.images import load_image
    from uireview.settings import Settings

    # A blank light page and a blank dark one, marked: the only text is the pins' numbers.
    for bg in ("#ffffff", "#111827"):
        img = Image.new("RGB", (1200, 700), bg)
        numbered = [
            (i + 1, _finding(Box(100 + (i % 4) * 250, 100 + (i // 4) * 200, 220 + (i % 4) * 250,
                                 130 + (i // 4) * 200), sev))
            for i, sev in enumerate(["critical", "major", "minor", "info"] * 3)
        ]  # fmt: skip
        out = annotate(img, numbered, size=28)
        buf = io.BytesIO()
        out.save(buf, "PNG")
        review = pipeline.review(
            [load_image(buf.getvalue(), "pins.png")],
            "contrast",
            settings=Settings(api_key=""),
            use_model=False,
        )
        failing = [f.title for f in review.findings if f.severity != "info"]
        assert failing == [], f"pin numbers below AA on {bg}: {failing}"


def test_one_radius_fits_the_longest_number():
    draw = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    assert pin_radius(draw, 20, 120) > pin_radius(draw, 20, 9)


def test_the_zoom_box_of_a_finding_with_several_places_holds_them_all():
    f = _finding(Box(100, 100, 160, 120)).model_copy(update={"related": [Box(500, 300, 560, 320)]})
    joined = pin_boxes(Image.new("RGB", (800, 400), "white"), [(1, f)])[1]
    assert joined.x0 <= 100 and joined.y0 <= 100 and joined.x1 >= 560 and joined.y1 >= 320


def _label(img: Image.Image, box: Box, text: str = "Pending requests") -> None:
    ImageDraw.Draw(img).text((box.x0 + 2, box.y0 + 1), text, fill=(30, 30, 30))


@pytest.mark.parametrize("highlight", [None, 1])
def test_the_text_a_mark_is_about_stays_as_it_was_under_its_ring(highlight):
    # A short label's box: a selected mark's ring once covered it all (Pillow draws a
    # rectangle's width inwards), hiding the very words the finding names.
    img = Image.new("RGB", (600, 300), (241, 245, 249))
    box = Box(300, 140, 400, 154)
    _label(img, box)
    out = annotate(img, [(1, _finding(box))], highlight=highlight, size=25)
    inside = (slice(box.y0, box.y1), slice(box.x0, box.x1))
    assert np.array_equal(np.asarray(out)[inside], np.asarray(img)[inside])
    # ...and the ring is there, just outside, in the finding's colour.
    major = np.array(SEVERITY_COLOUR["major"])
    ring = np.asarray(out)[box.y0 - 12 : box.y1 + 12, box.x0 - 12 : box.x1 + 12].astype(int)
    assert (np.abs(ring - major).sum(-1) < 40).sum() > 2 * (box.width + box.height)


def test_a_dismissed_finding_is_not_pinned_on_the_image():
    img = Image.new("RGB", (600, 300), "white")
    kept, gone = Box(60, 60, 160, 80), Box(360, 200, 460, 220)
    dismissed = _finding(gone).model_copy(update={"dismissed": "by design"})
    out = np.asarray(annotate(img, [(1, _finding(kept)), (2, dismissed)], size=20))
    around = (slice(gone.y0 - 60, gone.y1 + 60), slice(gone.x0 - 60, gone.x1 + 60))
    assert (out[around] == 255).all(), "the dismissed finding left a mark"
    assert not (out[40:100, 0:200] == 255).all(), "the open finding is still marked"
    assert set(
        pin_boxes(Image.new("RGB", (600, 300), "white"), [(1, _finding(kept)), (2, dismissed)])
    ) == {1}


def test_a_dismissed_finding_shows_muted_only_while_selected():
    from uireview.annotate import DISMISSED_COLOUR

    img = Image.new("RGB", (600, 300), "white")
    kept, gone = Box(60, 60, 160, 80), Box(360, 200, 460, 220)
    numbered = [(1, _finding(kept)), (2, _finding(gone).model_copy(update={"dismissed": "false"}))]
    out = np.asarray(annotate(img, numbered, highlight=2, size=20)).astype(int)
    around = out[gone.y0 - 60 : gone.y1 + 60, gone.x0 - 60 : gone.x1 + 60]
    assert (np.abs(around - np.array(DISMISSED_COLOUR)).sum(-1) < 30).sum() > 200
    major = np.abs(around - np.array(SEVERITY_COLOUR["major"])).sum(-1) < 30
    assert not major.any(), "a dismissed finding is drawn in its severity's colour"
    # Showing it moves no other pin: the open mark's zoom box is the same as without it.
    assert (
        pin_boxes(Image.new("RGB", (600, 300), "white"), numbered, 20, highlight=2)[1]
        == pin_boxes(Image.new("RGB", (600, 300), "white"), numbered, 20)[1]
    )
    assert 2 in pin_boxes(Image.new("RGB", (600, 300), "white"), numbered, 20, highlight=2)


def _words(img: Image.Image, xy: tuple[int, int], text: str, size: int = 20) -> Box:
    """Draw ``text`` dark at ``xy`` and return the box of its ink."""
    draw = ImageDraw.Draw(img)
    draw.text(xy, text, font=font(size), fill=(40, 40, 40))
    x0, y0, x1, y1 = draw.textbbox(xy, text, font=font(size))
    return Box(int(x0), int(y0), int(x1), int(y1))


def _square_hits(centre: tuple[float, float], r: float, box: Box) -> bool:
    cx, cy = centre
    return cx + r > box.x0 and cx - r < box.x1 and cy + r > box.y0 and cy - r < box.y1


def test_busy_pixels_are_found_on_text_and_not_on_flat_or_graded_surfaces():
    ramp = np.tile(np.linspace(200, 255, 400).astype(np.uint8), (100, 1))
    img = Image.fromarray(np.stack([ramp] * 3, axis=-1))  # a soft gradient, like a card's
    words = _words(img, (20, 40), "Gentelella Alela!")
    ink = Ink(img)
    assert ink.share(words.x0, words.y0, words.x1, words.y1) > 0.15
    assert ink.share(250, 0, 400, 100) == 0.0  # gradient alone
    assert ink.cover((words.x0 + 20, (words.y0 + words.y1) / 2), 10) == 1.0
    assert ink.cover((320, 50), 10) == 0.0


def test_a_pin_moves_off_words_nobody_marked_to_a_free_spot_nearby():
    # A logo's name sits just left of the marked label, where a pin would go on a blank page.
    img = Image.new("RGB", (600, 300), "white")
    logo = _words(img, (120, 140), "Gentelella")
    label = _words(img, (logo.x1 + 14, 140), "Revenue")
    radius = 15
    blank = place_pins([(1, label)], radius, img.size)[1]
    assert _square_hits(blank, radius, logo), "the test needs the usual spot to be on the logo"
    spot = place_pins([(1, label)], radius, img.size, ink=Ink(img))[1]
    assert not _square_hits(spot, radius, logo), f"pin at {spot} covers the logo {logo}"
    assert not _square_hits(spot, radius, label), "the pin covers its own text"
    nx, ny = min(max(spot[0], label.x0), label.x1), min(max(spot[1], label.y0), label.y1)
    assert np.hypot(spot[0] - nx, spot[1] - ny) <= 3 * radius, "the leader got long"


def test_the_annotated_image_leaves_unmarked_words_as_they_were():
    img = Image.new("RGB", (600, 300), "white")
    logo = _words(img, (120, 140), "Gentelella")
    label = _words(img, (logo.x1 + 14, 140), "Revenue")
    numbered = [(1, _finding(label))]
    out = annotate(img, numbered, size=20)
    before = np.asarray(img)[logo.y0 : logo.y1, logo.x0 : logo.x1]
    after = np.asarray(out)[logo.y0 : logo.y1, logo.x0 : logo.x1]
    assert (before == after).all(), "a mark was drawn over the unmarked logo"
    # The viewer zooms to where the pin was really drawn: the same layout, off the logo too.
    joined = pin_boxes(img, numbered, 20)[1]
    assert joined.x0 >= logo.x1 - 2 or joined.y1 <= logo.y0 or joined.y0 >= logo.y1


def test_on_a_page_of_text_a_pin_still_stays_close_and_off_other_pins():
    img = Image.new("RGB", (700, 400), "white")
    lines = [
        _words(img, (20, 20 + 26 * row), "Lorem ipsum dolor sit amet " * 3) for row in range(14)
    ]
    boxes = [(n, lines[row]) for n, row in enumerate((3, 4, 5, 9), 1)]
    radius = 12
    spots = place_pins(boxes, radius, img.size, ink=Ink(img))
    for n, box in boxes:
        cx, cy = spots[n]
        nx, ny = min(max(cx, box.x0), box.x1), min(max(cy, box.y0), box.y1)
        assert np.hypot(cx - nx, cy - ny) <= 6 * radius, f"pin {n} is far from its text"
    centres = np.array(list(spots.values()))
    gaps = np.sqrt(((centres[:, None, :] - centres[None, :, :]) ** 2).sum(-1))
    np.fill_diagonal(gaps, np.inf)
    assert gaps.min() >= 2 * radius


def test_the_ink_map_is_kept_for_the_same_pixels_and_redone_for_new_ones():
    img = Image.new("RGB", (300, 100), "white")
    first = ink_of(img)
    assert ink_of(img.copy()) is first  # a rerun draws the same screenshot again
    _words(img, (10, 40), "Changed")
    again = ink_of(img)
    assert again is not first and again.share(0, 0, 300, 100) > 0.0


def test_a_selected_regions_ring_does_not_run_over_another_pin():
    # A wide selected region just under a small one: its thick ring passes where the small
    # one's pin goes; the pin must stay whole, on top of every line.
    img = Image.new("RGB", (600, 200), "white")
    small, wide = Box(40, 10, 100, 30), Box(0, 34, 600, 200)  # no room above the small one
    numbered = [(1, _finding(small, "minor")), (2, _finding(wide, "major"))]
    shown = np.asarray(annotate(img, numbered, size=20, highlight=2)).astype(int)
    radius = pin_radius(ImageDraw.Draw(img), 20, 2)
    cx, cy = place_pins([(1, small), (2, wide)], radius, img.size, ink=ink_of(img))[1]
    ring_top = wide.y0 - ring_reach(2 * max(2, 20 // 8))
    assert cy + radius - 3 > ring_top + 2, "the test needs the pin to reach the ring"
    yy, xx = np.mgrid[0:200, 0:600]
    disc = (xx - cx) ** 2 + (yy - cy) ** 2 < (radius - 3) ** 2
    major = np.abs(shown - np.array(SEVERITY_COLOUR["major"])).sum(-1) < 60
    assert not (disc & major).any(), "the selected ring is drawn over pin 1"
