"""Grounding: names the model can read on the image, mapped back to boxes."""

import numpy as np
import pytest

from uireview.findings import Box
from uireview.grounding import Grounding, column_name, grid_cells, ground, normalise_name
from uireview.screen import Screen


def test_grid_cells_cover_the_image_without_gaps():
    cells = grid_cells(1440, 900)
    assert cells["A1"] == Box(0, 0, 180, 180)
    assert "H5" in cells and "I1" not in cells
    covered = np.zeros((900, 1440), bool)
    for box in cells.values():
        covered[box.y0 : box.y1, box.x0 : box.x1] = True
    assert covered.all()


def test_column_names_go_past_z():
    assert [column_name(i) for i in (0, 25, 26, 27)] == ["A", "Z", "AA", "AB"]


@pytest.mark.parametrize(
    "raw,kind,want",
    [
        ("M3", "marks", "3"),
        ("#12", "marks", "12"),
        ("mark 7", "marks", "7"),
        ("B1", "marks", None),
        ("b2", "grid", "B2"),
        ("cell C10", "grid", "C10"),
        ("nowhere", "grid", None),
    ],
)
def test_names_are_normalised(raw, kind, want):
    assert normalise_name(raw, kind) == want


def test_resolve_unions_named_marks_and_ignores_unknown_ones():
    g = Grounding(0, "marks", {"1": Box(0, 0, 10, 10), "2": Box(20, 20, 30, 40)})
    assert g.resolve(["M1", "2", "99"]) == (Box(0, 0, 30, 40), ["1", "2"])
    assert g.resolve(["99"]) == (None, [])


def test_a_blank_screen_falls_back_to_the_grid_and_keeps_the_size():
    screen = Screen(np.full((500, 800, 3), 255, np.uint8))
    g = ground(screen)
    assert g.kind == "grid"
    assert g.overlay.size == (800, 500)
    # The overlay differs from the screenshot (labels drawn) but the user's copy is untouched.
    assert (np.asarray(g.overlay) != 255).any()
    assert (screen.rgb == 255).all()


def test_highlighting_a_finding_keeps_all_its_places_bright():
    from PIL import Image

    from uireview.annotate import annotate
    from uireview.findings import Finding

    img = Image.new("RGB", (400, 300), "white")
    f = Finding(
        source="measured",
        category="contrast",
        severity="major",
        title="t",
        box=Box(10, 10, 60, 40),
        related=[Box(200, 200, 260, 240)],
    )
    out = np.asarray(annotate(img, [(1, f)], highlight=1))
    assert (out[220, 230] == 255).all()  # inside the related place: not dimmed
    assert (out[150, 150] < 200).all()  # elsewhere: dimmed
