"""What the spacing rules share: sibling groups, element kinds, the guessed pixel density,
and the candidate a rule proposes before the findings are ranked."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from uireview.findings import Box, Finding
from uireview.screen.elements import Element


@dataclass
class Candidate:
    significance: float
    finding: Finding
    elements: set[int] = field(default_factory=set)
    # a near miss against a single same-size sibling: which of the two is off is only
    # clear when this one's gaps are uneven too
    twin: bool = False


def siblings(elements: list[Element], across_rows: bool = False) -> dict:
    """Element indices grouped by parent; ``across_rows`` pools the cells of a table's rows."""
    groups: dict = {}
    for i, e in enumerate(elements):
        parent = e.parent
        key: int | tuple[str, int | None] | None = parent
        if across_rows and parent is not None and elements[parent].kind == "row":
            key = ("rows", elements[parent].parent)
        groups.setdefault(key, []).append(i)
    return groups


def kind_of(e: Element, density: float) -> str:
    """The element's kind among its siblings: a coloured stat card with one label reads as
    a button, but no button is that tall."""
    if e.kind == "button" and e.box.height > 56 * density:
        return "card"
    return e.kind


def aligned_otherwise(elements, i, stacked, slack) -> bool:
    """Whether the element lines up by its right edge or its centre with others above or below
    it (figures set right, a centred heading): its left edge follows its width.

    Two must share its right edge: one is chance (names in a table column, a moved field
    whose focus ring puts its right edge back on its neighbour's)."""
    a = elements[i].box
    # only what is above or below it: a cell of the next column may end anywhere
    stacked = [
        j
        for j in stacked
        if overlap(a.x0, a.x1, elements[j].box.x0, elements[j].box.x1) > 0
        and overlap(a.y0, a.y1, elements[j].box.y0, elements[j].box.y1) <= 0
    ]
    right = sum(1 for j in stacked if abs(elements[j].box.x1 - a.x1) <= slack)
    centre = sum(1 for j in stacked if abs(elements[j].box.center[0] - a.center[0]) <= slack)
    # short words in a left-aligned column share a centre by chance: most must share it
    centred = centre >= max(2, len(stacked) / 2)
    return right >= 2 or centred


def overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return min(a1, b1) - max(a0, b0)


def covers(outer: Box, inner: Box) -> bool:
    return (
        outer.x0 <= inner.x0
        and outer.y0 <= inner.y0
        and inner.x1 <= outer.x1
        and (inner.y1 <= outer.y1)
    )


def mode(values: list[int], tolerance: int = 1) -> tuple[int, int]:
    """The most shared value (within +-tolerance) and how many values share it."""
    best, best_n = values[0], 0
    for v in sorted(set(values)):
        n = sum(1 for w in values if abs(w - v) <= tolerance)
        if n > best_n:
            best, best_n = v, n
    return best, best_n


def density_of(elements: list[Element]) -> float:
    """Device pixels per CSS pixel, guessed from text: the taller quarter of text lines is
    about 14 px of ink at 1x (14 px type with ascenders and descenders)."""
    heights = [e.line_height for e in elements if e.kind == "text" and e.line_height]
    if len(heights) < 3:
        return 1.0
    return float(min(3.0, max(1.0, np.percentile(heights, 75) / 14)))
