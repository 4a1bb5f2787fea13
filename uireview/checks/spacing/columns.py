"""alignment.near_miss across kinds: a left edge 3-6 px off the column that the text and
boxes above and below it share.

``alignment`` compares like with like (cards with cards, body text with body text). A page's
content column is set by all of them at once: the page title starts where the cards below it
start, a section heading where the paragraph under it starts, a label where its field starts.
A title, a lone card or one line of a list that slipped has no like sibling to miss, but it
misses that shared edge.

Text is measured by its ink, which starts a little after where the glyph box starts (the
first letter's side bearing: more for a large heading, none for a "T" or an "A"). So each
element's edge is a range of where its layout edge can be: a box's is its left side, a text
line's runs from its ink back by its largest bearing. Elements whose ranges meet share an
edge; one whose range misses the shared range of two or more others by 2-6 px is off.
"""

from __future__ import annotations

import cv2
import numpy as np

from uireview.checks.spacing.alignment import NEAR_MISS_PX, next_to
from uireview.checks.spacing.siblings import (
    Candidate,
    aligned_otherwise,
    density_of,
    kind_of,
    overlap,
)
from uireview.checks.spacing.words import NOUN
from uireview.findings import Finding
from uireview.screen import Screen
from uireview.screen.elements import Element

KINDS = ("text", "card", "input", "button")
# a glyph's left side bearing as a share of the line's ink height (about 0.1 em; a line's
# ink runs from ascender to descender, about 1.1 em)
BEARING = 0.12
MAX_BEARING_PX = 3
# boxes smaller than this (icon tiles, avatars, badges) round their corners or hold a glyph:
# their edge is not where a column's content starts, in CSS px
MIN_BOX_PX = 48
# a text line this many times the body text's ink height is a heading (a heading with no
# descender is shorter in ink than its type size says)
HEADING = 1.2
# the most a shadow or a border reaches past a box's fill, in CSS px
MAX_RIM_PX = 4
# two edges this close (in CSS px, past their ranges) are one edge
SLACK_PX = 0
# a "line" this many times the body text's height may be an avatar with a name beside it
TALL = 1.8
# how far up or down another element still shares an edge with this one, in CSS px
REACH_PX = 96
# the least miss past the bearings still called a miss, in CSS px
MIN_MISS_PX = 1.5


def _range(rgb: np.ndarray, e: Element, density: float) -> tuple[float, float]:
    """Where this element's layout edge can be: (leftmost, rightmost)."""
    x = e.box.x0
    if e.kind != "text":
        first, last = _rim(rgb, e, density)
        return (x + first, x + last)
    bearing = BEARING * (e.line_height or e.box.height)
    return (x - min(max(density, bearing), MAX_BEARING_PX * density), x)


def _rim(rgb: np.ndarray, e: Element, density: float) -> tuple[int, int]:
    """Where a box's layout edge can be, in px in from its measured left edge: (first, last).

    The edge is measured where the box first differs from what it sits on; a border or a
    soft shadow can reach a few px (up to ``MAX_RIM_PX``) past its fill. A shadow fades, one
    px to the next, and is not the layout: the edge is where the fill starts. A border (or a
    focus ring) is one colour across and is: the edge lies anywhere from it to the fill.
    """
    if e.fill is None:
        return (0, 0)
    reach = round(MAX_RIM_PX * density)
    b = e.box
    rows = [b.y0 + (b.y1 - b.y0) * k // 4 for k in (1, 2, 3)]
    strip = rgb[rows, b.x0 : min(b.x0 + reach + 1, b.x1)].astype(int)
    fill = np.abs(strip - np.array(e.fill)).max(axis=2) <= 6
    if not fill.any(axis=1).all():
        return (0, 0)
    rim = max(int(np.argmax(r)) for r in fill)
    if rim >= 2 and b.x0 >= 1:
        steps = np.abs(np.diff(strip[:, :rim], axis=1)).max(axis=2)
        outside = rgb[rows, b.x0 - 1].astype(int)[:, None, :]
        faint = np.abs(strip[:, :rim] - outside).max(axis=2) <= 16
        if (steps >= 3).all() and faint.all():
            # a shadow: each px darker than the one before, none far from the page behind
            return (rim, rim)
    return (0, rim)


def _member(e: Element, density: float) -> bool:
    """Whether this element can stand in a column: text lines and boxes wider than an icon."""
    if kind_of(e, density) not in KINDS:
        return False
    if e.kind == "text":
        # a speck or a lone glyph is not a line that starts the column
        # (a block of short lines, a name on two, is as wide as its lines)
        # (not a stack of pills read as lines: no line of body text is that tall)
        short = e.lines > 1 and 0 < e.line_height <= 20 * density
        tall = e.line_height if short else e.box.height
        return e.box.width >= max(2 * tall, 12 * density) and e.box.height >= 6 * density
    return e.box.width >= MIN_BOX_PX * density


def _avatar_led(rgb: np.ndarray, e: Element, body: float) -> bool:
    """Whether a tall "line" starts with a blob as tall as itself (an avatar, an icon tile
    beside a name): its edge is the blob's, which sits where the design puts avatars."""
    if e.kind != "text" or not body or e.box.height < TALL * body:
        return False
    b = e.box
    crop = np.ascontiguousarray(rgb[b.y0 : b.y1, b.x0 : min(b.x1, b.x0 + 2 * b.height)])
    flat = crop.reshape(-1, 3)
    colours, counts = np.unique(flat, axis=0, return_counts=True)
    ink = (np.abs(crop.astype(int) - colours[np.argmax(counts)]).max(axis=2) > 24).view(np.uint8)
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if n < 2:
        return False
    first = 1 + int(np.argmin(stats[1:, cv2.CC_STAT_LEFT]))
    w, h = stats[first, cv2.CC_STAT_WIDTH], stats[first, cv2.CC_STAT_HEIGHT]
    return bool(h >= 0.9 * b.height and w >= 0.8 * h)


def _distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Signed distance from range b to range a: > 0 when a lies right of b, 0 when they meet."""
    if a[0] > b[1]:
        return a[0] - b[1]
    if b[0] > a[1]:
        return a[1] - b[0]
    return 0.0


def column_findings(
    screen: Screen, elements: list[Element], found: list[Candidate]
) -> list[Candidate]:
    """``found`` (near misses among like siblings) with the near misses against columns of
    mixed kinds added; a sure one replaces an unsure finding (or a twin's) on the same
    element."""
    # a twin (two same-size boxes) does not say which of the two moved; a column does
    sure = {i for c in found if c.finding.severity != "info" and not c.twin for i in c.elements}
    mine = _column_candidates(screen, elements, sure)
    ours = {i for c in mine if c.finding.severity != "info" for i in c.elements}
    theirs = {i for c in found for i in c.elements}
    kept = [c for c in found if not (c.elements & ours)]
    return kept + [c for c in mine if c.finding.severity != "info" or not (c.elements & theirs)]


def _column_candidates(screen: Screen, elements: list[Element], taken: set[int]) -> list[Candidate]:
    """Near misses of an element against a column of other kinds (``taken``: already found)."""
    density = density_of(elements)
    widest = NEAR_MISS_PX * density
    least = MIN_MISS_PX * density
    slack = SLACK_PX * density
    body = body_height(elements)
    out = []
    for members in _groups(elements).values():
        idx = [i for i in members if _member(elements[i], density)]
        idx = [i for i in idx if not _avatar_led(screen.rgb, elements[i], body)]
        idx = _one_per_cell(elements, idx)
        if len(idx) < 3:
            continue
        ranges = {i: _range(screen.rgb, elements[i], density) for i in idx}
        rules = [j for j in members if elements[j].kind in ("row", "divider")]
        for i in idx:
            if i in taken or _on_rule(elements, i, ranges[i], rules, density):
                continue
            a = elements[i].box
            above_below = [
                j
                for j in idx
                if j != i and overlap(a.y0, a.y1, elements[j].box.y0, elements[j].box.y1) <= 0
            ]
            if aligned_otherwise(elements, i, above_below, slack):
                continue
            stacked = [j for j in above_below if abs(_distance(ranges[i], ranges[j])) <= widest + 1]
            # someone close shares this element's edge: it is a column of its own (far up or
            # down the page, another block may start there by chance)
            close = [j for j in stacked if _apart(a, elements[j].box) <= REACH_PX * density]
            if any(abs(_distance(ranges[i], ranges[j])) <= slack for j in close):
                continue
            column = _shared(stacked, ranges, slack)
            if len(column) < 2 or not next_to(elements, i, column, "left", density):
                continue
            # boxes against boxes are ``alignment``'s to judge (a top bar wider by design)
            if all(elements[k].kind != "text" for k in (i, *column)):
                continue
            lo = max(ranges[j][0] for j in column)
            hi = min(ranges[j][1] for j in column)
            miss = _distance(ranges[i], (lo - slack, max(lo, hi) + slack))
            if abs(miss) < least or abs(miss) > widest:
                continue
            # how far it is off, said from the middle of where each edge can be
            off = sum(ranges[i]) / 2 - (lo + max(lo, hi)) / 2
            out.append(_candidate(screen, elements, i, column, off, density))
            taken.add(i)
    return out


def _on_rule(elements, i, edge: tuple[float, float], rules: list[int], density: float) -> bool:
    """Whether a box starts where a table's rows or divider lines just above or below it
    start (a button under a table, on the table's edge, not on its cells' text)."""
    if elements[i].kind == "text":
        return False
    a = elements[i].box
    return any(
        edge[0] - 1 <= elements[j].box.x0 <= edge[1] + 1
        and _apart(a, elements[j].box) <= REACH_PX * density
        for j in rules
    )


def _one_per_cell(elements: list[Element], idx: list[int]) -> list[int]:
    """The members less the lines set under another line of one table cell (a name on two
    lines beside an avatar): the cell's text is one member, led by its first line, or its
    own lines would make a column of their own when the cell slips."""
    out = []
    for i in idx:
        e = elements[i]
        row = e.parent is not None and elements[e.parent].kind == "row"
        above = [
            j
            for j in idx
            if j != i
            and row
            and elements[j].kind == "text" == e.kind
            and elements[j].parent == e.parent
            and abs(elements[j].box.x0 - e.box.x0) <= 2
            and 0 <= e.box.y0 - elements[j].box.y1 <= 1.5 * max(e.line_height, 1)
        ]
        if not above:
            out.append(i)
    return out


def _apart(a, b) -> int:
    """The vertical space between two boxes (0 when they overlap)."""
    return max(0, b.y0 - a.y1, a.y0 - b.y1)


def _groups(elements: list[Element]) -> dict:
    """Element indices by the container they are laid out in: a table row (read from its
    divider lines, not drawn) lays its cells out in its own container's column."""
    groups: dict = {}
    for i, e in enumerate(elements):
        parent = e.parent
        while parent is not None and elements[parent].kind == "row":
            parent = elements[parent].parent
        groups.setdefault(parent, []).append(i)
    return groups


def _shared(near: list[int], ranges, slack: float) -> list[int]:
    """The largest set of these elements whose edge ranges all meet (within ``slack``)."""
    best: list[int] = []
    for x in sorted({r for j in near for r in ranges[j]}):
        here = [j for j in near if ranges[j][0] - slack <= x <= ranges[j][1] + slack]
        if len(here) > len(best):
            best = here
    return best


def body_height(elements: list[Element]) -> float:
    """The ink height of the page's body text: the median over its text lines."""
    heights = sorted(e.line_height for e in elements if e.kind == "text" and e.line_height)
    return float(heights[len(heights) // 2]) if heights else 0.0


def _noun(e: Element, body: float) -> str:
    """What a designer calls it: a text line taller than the body text is a heading."""
    if e.kind == "text" and body and e.line_height >= HEADING * body:
        return "heading"
    return e.kind


def _column_words(elements, column) -> str:
    """ "text column", "cards", "cards and text", "content column" (more kinds): what the
    column is made of."""
    nouns = []
    for kind in sorted({elements[j].kind for j in column}, key=lambda k: k == "text"):
        many = NOUN.get(kind, ("element", "elements"))[1]
        if many not in nouns:
            nouns.append(many)
    if nouns == ["text"]:
        return "text column"
    return " and ".join(nouns) if len(nouns) <= 2 else "content column"


def _candidate(screen, elements, i, column, miss, density) -> Candidate:
    e = elements[i]
    # sure when several agree on the edge: two lines can share one by chance (on the dev
    # pages, two above and below it added false findings and no planted shift)
    sure = len(column) >= 3
    px = max(1, round(abs(miss) / density))
    signed = px if miss > 0 else -px
    edge = min(elements[j].box.x0 for j in column)
    words = _column_words(elements, column)
    noun = _noun(e, body_height(elements))
    f = Finding(
        source="measured",
        category="alignment",
        severity="minor" if sure else "info",
        title=f"Left edge {px} px {'right' if miss > 0 else 'left'} of the {words}",
        detail=(
            f"This {noun}'s left edge is at {e.box.x0} px; the {words} around it "
            f"({len(column)} elements) start at {edge} px."
        ),
        suggestion=f"Move it {px} px {'left' if miss > 0 else 'right'} to line up.",
        image=screen.index,
        box=e.box,
        related=[elements[j].box for j in column[:4]],
        evidence=f"left edge {e.box.x0} px; {len(column)} elements of the {words} at {edge} px",
        metrics={
            "edge": "left",
            "edge_px": e.box.x0,
            "expected_px": edge,
            "miss_px": signed,
            "element": noun,
            "column_of": words,
            "column": len(column),
        },
        rule="alignment.near_miss",
    )
    return Candidate(0.6 + px / 10 + 0.05 * len(column), f, {i})
