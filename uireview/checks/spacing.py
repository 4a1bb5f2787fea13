"""Spacing and alignment: the gaps, edges and paddings a designer would fix.

Works on ``screen.elements`` (no text detection). Rules, each comparing an element with the
pattern its siblings set, so a page that is consistent gives no findings:

  spacing.gap_rhythm  a gap between like siblings (cards in a row, inputs in a column, table
                      rows) that differs from the gap most of the others share
  alignment.near_miss an edge 2-6 px away from a column (or row) edge two or more siblings share
  spacing.padding     a card whose content is inset differently from its siblings'
  spacing.off_grid    a gap off the 4 px grid when most gaps on the page sit on it
  (and, in ``pitch.py``, spacing.gap_rhythm for lists of unboxed items: one item off the
  list's pitch)

Options (module constants): ``NEAR_MISS_PX`` the widest miss still called a near miss (in
CSS px: scaled by the pixel density guessed from body text),
``MIN_GAP_DEVIATION_PX`` the smallest gap difference reported, ``MAX_FINDINGS``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from uireview.checks import naming, pitch
from uireview.findings import Box, Finding, Severity
from uireview.screen import Screen
from uireview.screen.elements import Element

NEAR_MISS_PX = 6
MIN_GAP_DEVIATION_PX = 3
# a gap this many times the rhythm (plus 16 px) separates groups; it does not break one
MAX_GAP_RATIO = 2.5
MIN_PADDING_DEVIATION_PX = 4
GRID_PX = 4
MAX_FINDINGS = 8

_RHYTHM_KINDS = ("card", "button", "input", "divider", "field")
_ALIGN_KINDS = ("card", "input", "button", "panel")


@dataclass
class _Gap:
    a: int  # element indices, a before b along the axis
    b: int
    axis: str  # "x": side by side, "y": stacked
    px: int
    kind: str
    box: Box
    expected: int | None = None  # the rhythm this gap belongs to, once known


@dataclass
class _Candidate:
    significance: float
    finding: Finding
    elements: set[int] = field(default_factory=set)
    # a near miss against a single same-size sibling: which of the two is off is only
    # clear when this one's gaps are uneven too
    twin: bool = False


def _siblings(elements: list[Element], across_rows: bool = False) -> dict:
    """Element indices grouped by parent; ``across_rows`` pools the cells of a table's rows."""
    groups: dict = {}
    for i, e in enumerate(elements):
        parent = e.parent
        key: int | tuple[str, int | None] | None = parent
        if across_rows and parent is not None and elements[parent].kind == "row":
            key = ("rows", elements[parent].parent)
        groups.setdefault(key, []).append(i)
    return groups


def _kind(e: Element, density: float) -> str:
    """The element's kind among its siblings: a coloured stat card with one label reads as
    a button, but no button is that tall."""
    if e.kind == "button" and e.box.height > 56 * density:
        return "card"
    return e.kind


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return min(a1, b1) - max(a0, b0)


def _gaps(elements: list[Element]) -> list[_Gap]:
    """Gaps between neighbouring siblings of one kind (side by side: also of one height)."""
    out: list[_Gap] = []
    density = _density(elements)
    for members in _siblings(elements).values():
        by_kind: dict[str, list[int]] = {}
        for i in members:
            kind = _kind(elements[i], density)
            if kind in _RHYTHM_KINDS:
                by_kind.setdefault(kind, []).append(i)
        blockers = [i for i in members if elements[i].is_container]
        for kind, idx in by_kind.items():
            if kind == "divider":
                # a table's rules keep a rhythm down the page; dashes of a chart's grid
                # side by side, or its vertical ticks, do not make one
                idx = [
                    i for i in idx if elements[i].box.width >= max(48, 4 * elements[i].box.height)
                ]
                out.extend(_runs(elements, idx, "y", kind, blockers))
                continue
            for axis in ("x", "y"):
                out.extend(_runs(elements, idx, axis, kind, blockers))
    return out


def _runs(elements, idx, axis, kind, blockers) -> list[_Gap]:
    out = []
    key = (lambda i: elements[i].box.x0) if axis == "x" else (lambda i: elements[i].box.y0)
    for i in idx:
        a = elements[i].box
        # the nearest like sibling after this one along the axis, in line with it
        best = None
        for j in idx:
            if j == i:
                continue
            b = elements[j].box
            if axis == "x":
                aligned = _overlap(a.y0, a.y1, b.y0, b.y1) >= 0.5 * min(a.height, b.height)
                same = abs(a.height - b.height) <= max(2, 0.05 * a.height)
                gap = b.x0 - a.x1
            else:
                aligned = _overlap(a.x0, a.x1, b.x0, b.x1) >= 0.5 * min(a.width, b.width)
                same = True  # stacked blocks of different widths still keep one rhythm
                gap = b.y0 - a.y1
            if aligned and same and gap >= 0 and (best is None or gap < best[1]):
                best = (j, gap)
        if best is None:
            continue
        j, gap = best
        b = elements[j].box
        if axis == "x":
            y0, y1 = max(a.y0, b.y0), min(a.y1, b.y1)
            box = Box(a.x1, y0, b.x0, y1)
        else:
            x0, x1 = max(a.x0, b.x0), min(a.x1, b.x1)
            box = Box(x0, a.y1, x1, b.y0)
        # neighbours only: another sibling standing in the gap makes it two gaps, not one;
        # and a gap holding anything (a label, a paragraph, an icon) is not empty space
        if gap > 0 and any(k not in (i, j) and elements[k].box.intersection(box) for k in blockers):
            continue
        if gap > 0 and kind != "divider" and _occupied(elements, box, (i, j)):
            continue
        out.append(_Gap(i, j, axis, gap, kind, box))
    out.sort(key=lambda g: key(g.a))
    return out


def _occupied(elements, gap: Box, pair) -> bool:
    """Whether any element other than the pair (and what holds them) reaches into the gap."""
    for k, e in enumerate(elements):
        if k in pair or e.kind == "row":
            continue
        hit = e.box.intersection(gap)
        # something that spans the whole gap holds the pair (a card, a page-sized blob)
        if hit is not None and not _covers(e.box, gap):
            return True
    return False


def _covers(outer: Box, inner: Box) -> bool:
    return (
        outer.x0 <= inner.x0
        and outer.y0 <= inner.y0
        and inner.x1 <= outer.x1
        and (inner.y1 <= outer.y1)
    )


def _mode(values: list[int], tolerance: int = 1) -> tuple[int, int]:
    """The most shared value (within +-tolerance) and how many values share it."""
    best, best_n = values[0], 0
    for v in sorted(set(values)):
        n = sum(1 for w in values if abs(w - v) <= tolerance)
        if n > best_n:
            best, best_n = v, n
    return best, best_n


def _gap_findings(
    screen: Screen, elements, gaps: list[_Gap], witnesses: frozenset[int] = frozenset()
) -> list[_Candidate]:
    """Gaps off the rhythm their like gaps keep. A gap touching a ``witnesses`` element
    counts towards the rhythm but is not reported (its top is a box, the fields' is ink)."""
    out = []
    # a rhythm is kept among the children of one container (buttons in a toolbar and in a
    # dialog may differ); a container with too few gaps borrows from its other axis, then
    # from like gaps elsewhere on the screen
    pools: dict[tuple, list[_Gap]] = {}
    for g in gaps:
        pools.setdefault((g.kind, g.axis, elements[g.a].parent), []).append(g)
        pools.setdefault((g.kind, g.axis, "screen"), []).append(g)
    modes = {}
    for key, pool in pools.items():
        values = [g.px for g in pool]
        if len(values) >= 3:
            # a field's edges are ink (a label's glyphs), which wobble by a pixel or two
            expected, n = _mode(values, 2 if key[0] == "field" else 1)
            if n >= 2 and n >= 0.6 * len(values):
                modes[key] = (expected, n)
    for (kind, axis, parent), pool in pools.items():
        if parent == "screen":
            continue
        if (kind, axis, parent) in modes:
            expected, n = modes[(kind, axis, parent)]
        else:
            if len(pool) < 2:
                continue
            # too few gaps here to have a rhythm: borrow one that a gap here keeps
            # (16 and 25 px side by side, 16 px everywhere stacked)
            other = modes.get((kind, "y" if axis == "x" else "x", parent)) or modes.get(
                (kind, axis, "screen")
            )
            if other is None:
                out += _pair_finding(screen, elements, pool, kind, axis)
                continue
            expected = other[0]
            local = sum(1 for g in pool if abs(g.px - expected) <= (2 if kind == "field" else 1))
            if not local:
                continue
            n = max(other[1], local)
        for g in pool:
            dev = g.px - expected
            g.expected = expected
            if g.a in witnesses or g.b in witnesses:
                continue
            least = MIN_GAP_DEVIATION_PX + (2 if kind == "field" else 0)
            if abs(dev) < max(least, 0.12 * expected):
                continue
            if g.px > MAX_GAP_RATIO * expected + 16:
                continue  # sections apart, not one rhythm broken
            what = _WHAT
            others = n
            side = "side by side" if axis == "x" else "stacked"
            severity: Severity = "major" if abs(dev) >= 8 else "minor"
            f = Finding(
                source="measured",
                category="spacing",
                severity=severity,
                title=f"Uneven gap between {what[kind]}",
                detail=(
                    f"Two {what[kind]} {side} are {g.px} px apart where the other "
                    f"{others} such gaps on this screen are {expected} px."
                ),
                suggestion=f"Set this gap to {expected} px to keep the rhythm.",
                image=screen.index,
                box=g.box,
                related=[elements[g.a].box, elements[g.b].box],
                evidence=f"gap {g.px} px; the other {others} gaps are {expected} px",
                metrics={"gap_px": g.px, "expected_px": expected, "axis": axis, "kind": kind},
                rule="spacing.gap_rhythm",
            )
            out.append(_Candidate(abs(dev) / max(expected, 4) + 0.5, f, {g.a, g.b}))
    return out


_WHAT = {
    "card": "cards",
    "button": "buttons",
    "input": "fields",
    "divider": "rows",
    "field": "form fields",
}


def _pair_finding(screen: Screen, elements, pool: list[_Gap], kind, axis) -> list[_Candidate]:
    """Three like elements in one row (or column) whose two gaps clearly differ.

    With two gaps and no rhythm elsewhere to compare with, which one is off is the
    designer's call: the finding names both and boxes the stretch that holds them.
    """
    if len(pool) != 2:
        return []
    g1, g2 = sorted(pool, key=lambda g: (g.box.x0, g.box.y0))
    if g1.b != g2.a:
        return []  # not one chain of three
    small, large = sorted((g1.px, g2.px))
    if large - small < max(8, 0.3 * small):
        return []
    side = "side by side" if axis == "x" else "stacked"
    box = g1.box.union(g2.box)
    f = Finding(
        source="measured",
        category="spacing",
        severity="minor",
        title=f"Uneven gaps between {_WHAT[kind]}",
        detail=(
            f"Three {_WHAT[kind]} {side} are {g1.px} px and {g2.px} px apart; like elements "
            "in one row or column usually keep one gap."
        ),
        suggestion=f"Use one gap for both (the page's usual gutter, or {small} px).",
        image=screen.index,
        box=box,
        related=[g1.box, g2.box],
        evidence=f"gaps {g1.px} px and {g2.px} px in one run of three",
        metrics={"gaps_px": [g1.px, g2.px], "axis": axis, "kind": kind},
        rule="spacing.gap_rhythm",
    )
    return [_Candidate(0.5 + (large - small) / max(large, 4), f, {g1.a, g1.b, g2.b})]


def _edges(e: Element) -> dict[str, int]:
    if e.kind == "text":
        return {"left": e.box.x0}
    return {"left": e.box.x0, "right": e.box.x1, "top": e.box.y0}


def _density(elements: list[Element]) -> float:
    """Device pixels per CSS pixel, guessed from text: the taller quarter of text lines is
    about 14 px of ink at 1x (14 px type with ascenders and descenders)."""
    heights = [e.line_height for e in elements if e.kind == "text" and e.line_height]
    if len(heights) < 3:
        return 1.0
    return float(min(3.0, max(1.0, np.percentile(heights, 75) / 14)))


def _alignment_findings(screen: Screen, elements: list[Element]) -> list[_Candidate]:
    out = []
    # a 2x screenshot doubles every miss (6 CSS px is 12 device px) and every side bearing
    density = _density(elements)
    widest = round(NEAR_MISS_PX * density)
    for members in _siblings(elements, across_rows=True).values():
        # true siblings only: cards with cards, buttons with buttons, text with text
        for kind in (*_ALIGN_KINDS, "text"):
            cls = "text" if kind == "text" else "box"
            idx = [i for i in members if _kind(elements[i], density) == kind]
            if len(idx) < 3:
                continue
            # text ink starts 0-2 px after its box, depending on the first glyph
            exact = 0 if cls == "box" else round(2 * density)
            low = 2 if cls == "box" else round(3 * density)
            seen: set[int] = set()
            for side in ("left", "right", "top"):
                raw = {i: _edges(elements[i]).get(side) for i in idx}
                values: dict[int, int] = {i: v for i, v in raw.items() if v is not None}
                for i, v in values.items():
                    if i in seen:
                        continue
                    own = [j for j, w in values.items() if abs(w - v) <= exact]
                    if len(own) > 1:
                        continue
                    # a large glyph's side bearing alone can be 3 px: its miss must be larger
                    lo = low if cls == "box" else max(low, round(0.15 * elements[i].line_height))
                    near = [
                        j
                        for j, w in values.items()
                        if lo <= abs(w - v) <= widest and _like(elements, i, j, side)
                    ]
                    if not near:
                        continue
                    target, support = _mode([values[j] for j in near], exact)
                    column = [j for j in near if abs(values[j] - target) <= exact]
                    # a column of two is enough when the other is the same size (a grid)
                    twin = support == 1 and cls == "box" and _same_size(elements, i, column[0])
                    if (support < 2 and not twin) or not _in_line(elements, i, column, side):
                        continue
                    if not _next_to(elements, i, column, side, density):
                        continue
                    seen.add(i)
                    miss = v - target
                    what = "column" if side in ("left", "right") else "row"
                    # 2 px against two siblings is as likely a bearing or a rounding as a
                    # slip: said, not pressed
                    sure = len(column) >= 3 or abs(miss) > round(2 * density)
                    f = Finding(
                        source="measured",
                        category="alignment",
                        severity="minor" if sure else "info",
                        title=f"{side.capitalize()} edge misses the {what} by {abs(miss)} px",
                        detail=(
                            f"This {elements[i].kind}'s {side} edge is at {v} px; "
                            f"{len(column)} siblings share the {side} edge at {target} px."
                        ),
                        suggestion=f"Move it {abs(miss)} px "
                        + (
                            ("left" if miss > 0 else "right")
                            if side != "top"
                            else ("up" if miss > 0 else "down")
                        )
                        + " to line up.",
                        image=screen.index,
                        box=elements[i].box,
                        related=[elements[j].box for j in column[:4]],
                        evidence=f"{side} edge {v} px; {len(column)} siblings at {target} px",
                        metrics={
                            "edge": side,
                            "edge_px": v,
                            "expected_px": target,
                            "miss_px": miss,
                        },
                        rule="alignment.near_miss",
                    )
                    c = _Candidate(0.6 + abs(miss) / 10 + 0.05 * len(column), f, {i})
                    c.twin = support < 2
                    out.append(c)
    return out


def _like(elements, i, j, side) -> bool:
    """Whether j is a sibling whose edge i should share on this side.

    Elements sized to their content (buttons, labels) line up on the side they start from;
    their far sides only form a column when they are one width (or, for a row's top edge,
    one height). Text only lines up with text of about its size.
    """
    a, b = elements[i], elements[j]
    if a.kind == "text":
        ha, hb = a.line_height or a.box.height, b.line_height or b.box.height
        return 0.8 <= ha / max(hb, 1) <= 1.25
    if side == "right":
        return abs(a.box.width - b.box.width) <= max(4, 0.1 * a.box.width)
    if side == "top":
        return abs(a.box.height - b.box.height) <= max(4, 0.1 * a.box.height)
    return True


def _breaks(elements, between: Box, pair, side: str, edge: int, slack: int) -> bool:
    """Whether something between two column members sticks out past the column's edge
    (a section heading at a lesser indent): the column ends there."""
    for k, e in enumerate(elements):
        # a table's row lines run past its cells' edge without ending the column
        if k in pair or e.kind in ("row", "divider"):
            continue
        if e.box.intersection(between) is None or _covers(e.box, between):
            continue
        b = e.box
        if side == "left" and b.x0 < edge - slack:
            return True
        if side == "right" and b.x1 > edge + slack:
            return True
        if side == "top" and b.y0 < edge - slack:
            return True
    return False


def _next_to(elements, i, column, side, density) -> bool:
    """Whether the nearest member of the column is close to element i, the column unbroken.

    A label far down a sidebar, or a block past a section heading, is not in the column
    that items elsewhere share, even if its edge comes close.
    """
    a = elements[i].box
    reach = 96 * density
    slack = round(NEAR_MISS_PX * density) + 2
    for j in column:
        b = elements[j].box
        if side in ("left", "right"):
            upper, lower = (a, b) if a.y0 <= b.y0 else (b, a)
            between = Box(min(a.x0, b.x0), upper.y1, max(a.x1, b.x1), lower.y0)
        else:
            left, right = (a, b) if a.x0 <= b.x0 else (b, a)
            between = Box(left.x1, min(a.y0, b.y0), right.x0, max(a.y1, b.y1))
        span = between.height if side in ("left", "right") else between.width
        if span > reach:
            continue
        edge = _edges(elements[j])[side]
        if span <= 0 or not _breaks(elements, between, (i, j), side, edge, slack):
            return True
    return False


def _same_size(elements, i, j) -> bool:
    a, b = elements[i].box, elements[j].box
    return elements[i].kind == elements[j].kind and a.width == b.width and a.height == b.height


def _in_line(elements, i, column, side) -> bool:
    """Whether the column's elements sit above/below (or beside, for a row) element i."""
    a = elements[i].box
    for j in column:
        b = elements[j].box
        if side in ("left", "right") and _overlap(a.y0, a.y1, b.y0, b.y1) <= 0:
            return True
        if side == "top" and _overlap(a.x0, a.x1, b.x0, b.x1) <= 0:
            return True
    return False


def _inset(elements: list[Element], i: int) -> Box | None:
    """The box of what a card's padding holds: its children, less the lines and bands that
    run edge to edge (a header's rule, a table) and specks (a photo's texture)."""
    card = elements[i].box
    specks = sum(1 for e in elements if e.parent == i and e.kind == "image" and e.box.area < 400)
    if specks >= 5:
        return None  # a photo behind the content (a credit card's texture): no inset to read
    boxes = [
        e.box
        for e in elements
        if e.parent == i
        and e.kind not in ("divider", "row")
        and e.box.width < 0.9 * card.width
        and e.box.area >= 64
    ]
    if not boxes:
        return None
    out = boxes[0]
    for b in boxes[1:]:
        out = out.union(b)
    return out


def _padding_findings(screen: Screen, elements: list[Element]) -> list[_Candidate]:
    out = []
    # a card the screen's edge cuts is not whole: its height says nothing of its siblings
    insets = {
        i: _inset(elements, i)
        for i, e in enumerate(elements)
        if e.kind == "card" and e.box.y1 < screen.height - 1 and e.box.x1 < screen.width - 1
    }
    for members in _siblings(elements).values():
        cards = [i for i in members if elements[i].kind == "card" and insets.get(i)]
        groups: list[list[int]] = []
        for i in sorted(cards, key=lambda i: elements[i].box.height):
            h = elements[i].box.height
            if groups and abs(elements[groups[-1][0]].box.height - h) <= max(4, 0.05 * h):
                groups[-1].append(i)
            else:
                groups.append([i])
        for group in groups:
            if len(group) < 3:
                continue
            pads: dict[int, tuple[int, int]] = {}
            for i in group:
                content = insets[i]
                assert content is not None  # cards were picked for having content
                pads[i] = (content.x0 - elements[i].box.x0, content.y0 - elements[i].box.y0)
            left, nl = _mode([p[0] for p in pads.values()], 2)
            top, nt = _mode([p[1] for p in pads.values()], 2)
            for i, (pl, pt) in pads.items():
                dl, dt = pl - left, pt - top
                off = [
                    (name, v, want)
                    for name, v, want, d, n in (
                        ("left", pl, left, dl, nl),
                        ("top", pt, top, dt, nt),
                    )
                    if abs(d) >= MIN_PADDING_DEVIATION_PX and n >= 2 and n >= 0.6 * len(group)
                ]
                if not off:
                    continue
                words = ", ".join(f"{name} {v} px (others {want} px)" for name, v, want in off)
                name, v, want = off[0]
                f = Finding(
                    source="measured",
                    category="spacing",
                    severity="minor",
                    title="Padding differs from the sibling cards",
                    detail=f"This card's content is inset {words}.",
                    suggestion=f"Use the same padding as its siblings ({left} px left, "
                    f"{top} px top).",
                    image=screen.index,
                    box=elements[i].box,
                    related=[elements[j].box for j in group if j != i][:4],
                    evidence=f"padding {words}",
                    metrics={
                        "padding_px": v,
                        "expected_px": want,
                        "side": name,
                        "padding_left_px": pl,
                        "padding_top_px": pt,
                    },
                    rule="spacing.padding",
                )
                dev = max(abs(dl), abs(dt))
                out.append(_Candidate(0.5 + dev / 16, f, {i}))
    return out


def _grid_findings(screen: Screen, elements, gaps: list[_Gap], flagged: set) -> list[_Candidate]:
    # judged per kind: a page scaled by 1.2 can put card gaps on the grid and a button gap
    # off it without anyone choosing that. Divider gaps lose the line's pixel, so not those.
    by_kind: dict[str, list[_Gap]] = {}
    for g in gaps:
        if g.px > 0 and g.kind != "divider":
            by_kind.setdefault(g.kind, []).append(g)
    out = []
    for pool in by_kind.values():
        values = [g.px for g in pool]
        on = sum(1 for v in values if v % GRID_PX == 0)
        if len(values) >= 5 and on >= 0.8 * len(values):
            out += _off_grid(screen, elements, pool, flagged, on, len(values))
    return out


def _off_grid(screen, elements, gaps, flagged, on, total) -> list[_Candidate]:
    out = []
    for g in gaps:
        if g.px <= 0 or g.px % GRID_PX == 0 or (g.a, g.b) in flagged:
            continue
        near = GRID_PX * round(g.px / GRID_PX)
        f = Finding(
            source="measured",
            category="spacing",
            severity="info",
            title=f"Gap of {g.px} px is off the {GRID_PX} px grid",
            detail=f"{on} of {total} like gaps on this screen are multiples of {GRID_PX} px.",
            suggestion=f"Use {near} px.",
            image=screen.index,
            box=g.box,
            related=[elements[g.a].box, elements[g.b].box],
            evidence=f"gap {g.px} px; {on} of {total} like gaps sit on the {GRID_PX} px grid",
            metrics={"gap_px": g.px, "expected_px": near, "grid_px": GRID_PX},
            rule="spacing.off_grid",
        )
        out.append(_Candidate(0.2, f, {g.a, g.b}))
    return out


def _resized(c: _Candidate, elements) -> bool:
    """Whether the element was resized rather than moved (so the gap beside it changed): its
    far edge still lines up with the column, or its size differs from its row-mates'."""
    (i,) = c.elements
    e = elements[i].box
    side = c.finding.metrics["edge"]
    far = {"left": lambda b: b.x1, "right": lambda b: b.x0, "top": lambda b: b.y1}[side]
    if any(abs(far(b) - far(e)) <= 1 for b in c.finding.related):
        return True
    # or it is narrower/wider than its row-mates, which share one size: resized, not moved
    me = elements[i]
    mates = [
        o.box
        for k, o in enumerate(elements)
        if k != i
        and o.parent == me.parent
        and o.kind == me.kind
        and _overlap(o.box.y0, o.box.y1, e.y0, e.y1) > 0.5 * e.height
    ]
    widths = [b.width for b in mates]
    shared = len(widths) >= 2 and _mode(widths, 1)[1] >= 2
    return shared and all(abs(w - e.width) > 1 for w in widths)


def _upstream_gap(a: _Candidate, gap_c: list[_Candidate], elements) -> bool:
    """Whether an uneven gap earlier in this element's row (or column) moved it by its miss."""
    (i,) = a.elements
    e = elements[i].box
    m = a.finding.metrics
    for g in gap_c:
        gm, box = g.finding.metrics, g.finding.box
        if "expected_px" not in gm:
            continue  # two gaps that differ, neither known to be the odd one
        if abs((gm["gap_px"] - gm["expected_px"]) - m["miss_px"]) > 1:
            continue
        assert box is not None  # gap findings always carry the gap's box
        if m["edge"] in ("left", "right") and gm["axis"] == "x":
            if box.x1 <= e.x0 and _overlap(box.y0, box.y1, e.y0, e.y1) > 0:
                return True
        if m["edge"] == "top" and gm["axis"] == "y":
            if box.y1 <= e.y0 and _overlap(box.x0, box.x1, e.x0, e.x1) > 0:
                return True
    return False


def _explain_shifts(gap_c: list[_Candidate], align_c: list[_Candidate], elements, gaps):
    """Say each cause once.

    An element moved off its column shows as a near miss plus uneven gaps on both sides:
    keep the near miss. A gap that changed moves everything after it (several near misses by
    the same amount; a neighbour beyond at the usual gap; a neighbour resized): keep the gap.
    """
    keep_gaps = list(gap_c)
    dropped: set[int] = set()
    keep_align = []
    for a in align_c:
        if id(a) in dropped:
            continue
        (i,) = a.elements
        around = [g for g in keep_gaps if i in g.elements and "expected_px" in g.finding.metrics]
        devs = [g.finding.metrics["gap_px"] - g.finding.metrics["expected_px"] for g in around]
        beside = [g for g in gaps if i in (g.a, g.b) and g.expected is not None]
        if not around and _upstream_gap(a, keep_gaps, elements):
            continue
        if a.twin:
            # of two same-size elements in a column, the moved one has a gap off its rhythm
            # (even by less than a gap finding needs)
            if not any(abs(g.px - g.expected) >= 2 for g in beside):
                continue
        elif len(around) == 1:
            m = a.finding.metrics
            same_shift = [
                o
                for o in align_c
                if o is not a
                and o.finding.metrics["edge"] == m["edge"]
                and o.finding.metrics["miss_px"] == m["miss_px"]
            ]
            axis = around[0].finding.metrics["axis"]
            steady = [g for g in beside if g.axis == axis and abs(g.px - g.expected) <= 1]
            if same_shift or steady or _resized(a, elements):
                dropped.update(id(o) for o in same_shift)
                continue
        if len(around) == 1 or (len(around) == 2 and devs[0] * devs[1] < 0):
            for g in around:
                keep_gaps.remove(g)
        shown = [g for g in beside if abs(g.px - g.expected) >= 2]
        if shown:
            listed = " and ".join(f"{g.px} px" for g in shown)
            a.finding.evidence += (
                f"; its gaps are {listed} where the rhythm is {shown[0].expected} px"
            )
        keep_align.append(a)
    return keep_gaps, keep_align


class Form(NamedTuple):
    """The elements with a form's fields added (see ``with_fields``)."""

    elements: list[Element]
    witnesses: frozenset[int]  # blocks after the fields: they witness the rhythm
    # fields ending in a help line: the gap after one runs from ink to ink (the help line's
    # descenders to the next label's capitals), wider than from an input's edge by two
    # line paddings, so it is not compared with the others
    helped: set[int]


def with_fields(elements: list[Element]) -> Form:
    """The elements plus one "field" per input with its label above (and help text below),
    and the indices of the form's other blocks added as fields (see ``_form_followers``).

    A form's rhythm is kept between whole fields: the space from one field's input (or
    help line) to the next field's label. Between two inputs there is always a label, so
    input-to-input gaps are never empty and are not compared.
    """
    out = list(elements)
    texts = [i for i, e in enumerate(elements) if e.kind == "text"]
    bare: list[Element] = []  # inputs without a label above (a floating label inside)
    helped: set[int] = set()  # fields that end in a help line
    for e in elements:
        b = e.box
        # an input group (a field with an add-on such as "@example.com") reads as a card
        # (an input with an icon in it can read as a wide button: its label above says)
        input_like = e.kind in ("card", "button") and b.height <= 72 and b.width > 3 * b.height
        if e.kind != "input" and not input_like:
            continue

        def beside(t: int, above: bool, e: Element = e, b: Box = b) -> bool:
            tb = elements[t].box
            if elements[t].parent != e.parent or abs(tb.x0 - b.x0) > 6 or tb.x1 > b.x1 + 4:
                return False
            gap = b.y0 - tb.y1 if above else tb.y0 - b.y1
            return 0 <= gap <= max(16, 2 * tb.height)

        label = [t for t in texts if beside(t, True)]
        if not label:
            # a label left of it makes a horizontal form's row, whose height the label
            # sets (a wrapped label grows it): those inputs' gaps are not the rhythm
            left = [
                t
                for t in texts
                if elements[t].box.x1 <= b.x0
                and _overlap(elements[t].box.y0, elements[t].box.y1, b.y0, b.y1) > 0
            ]
            if e.kind == "input" and not left:
                bare.append(e)
            continue
        above = max((elements[t].box for t in label), key=lambda x: x.y1)
        box = b.union(above)
        # help text hugs its input closer than the label does; the next field's label does not
        below = [
            elements[t].box
            for t in texts
            if beside(t, False) and elements[t].box.y0 - b.y1 < min(10, b.y0 - above.y1)
        ]
        if below:
            box = box.union(min(below, key=lambda x: x.y0))
            helped.add(len(out))
        out.append(Element(box, "field", e.depth, e.parent))
    followers = _form_followers(elements, out[len(elements) :], "field")
    witnesses = frozenset(range(len(out), len(out) + len(followers)))
    # inputs whose label sits inside them are boxes like the blocks after them: full members
    return Form(out + followers + _form_followers(elements, bare, "input"), witnesses, helped)


def _form_followers(elements: list[Element], fields: list[Element], kind: str) -> list[Element]:
    """The other blocks of a form's column, as ``kind``: a checkbox with its label, a button,
    starting at the left edge of two or more fields (a form keeps one rhythm from field to
    checkbox to button)."""
    inside = [f.box for f in fields]
    out = []
    for e in elements:
        b = e.box
        col = [f for f in fields if f.parent == e.parent and abs(f.box.x0 - b.x0) <= 6]
        if len(col) < 2 or any(_covers(f, b) or f.intersection(b) for f in inside):
            continue
        if e.kind == "button" and b.height <= 72:
            out.append(Element(b, kind, e.depth, e.parent))
        elif e.kind in ("card", "input") and max(b.width, b.height) <= 28:
            # a checkbox: with the label right of it
            label = [
                t.box
                for t in elements
                if t.kind == "text"
                and t.parent == e.parent
                and 0 <= t.box.x0 - b.x1 <= 16
                and _overlap(t.box.y0, t.box.y1, b.y0, b.y1) > 0.5 * t.box.height
            ]
            box = b.union(label[0]) if label else b
            out.append(Element(box, kind, e.depth, e.parent))
    return out


def check(screen: Screen) -> list[Finding]:
    """Spacing and alignment findings for one screen, most significant first (at most 8)."""
    elements, witnesses, helped = with_fields(screen.elements)
    gaps = [g for g in _gaps(elements) if g.a not in helped]
    gap_c = _gap_findings(screen, elements, gaps, witnesses)
    align_c = _alignment_findings(screen, elements)
    uneven = {tuple(sorted(c.elements)) for c in gap_c}
    gap_c, align_c = _explain_shifts(gap_c, align_c, elements, gaps)
    pad_c = _padding_findings(screen, elements)
    moved = {i for c in align_c for i in c.elements}
    flagged_pairs = {
        (g.a, g.b)
        for g in gaps
        if tuple(sorted((g.a, g.b))) in uneven or g.a in moved or g.b in moved
    }
    grid_c = _grid_findings(screen, elements, gaps, flagged_pairs)
    list_c = [
        _Candidate(sig, f) for sig, f in pitch.findings(screen, elements, _siblings(elements))
    ]
    candidates = gap_c + align_c + pad_c + grid_c + list_c
    candidates.sort(key=lambda c: -c.significance)
    return naming.name(screen, elements, [c.finding for c in candidates[:MAX_FINDINGS]])
