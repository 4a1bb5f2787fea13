"""alignment.near_miss: an edge 2-6 px away from a column (or row) edge two or more
siblings share."""

from __future__ import annotations

from uireview.checks.spacing.siblings import (
    Candidate,
    aligned_otherwise,
    covers,
    density_of,
    kind_of,
    mode,
    overlap,
    siblings,
)
from uireview.findings import Box, Finding
from uireview.screen import Screen
from uireview.screen.elements import Element

# the widest miss still called a near miss, in CSS px (scaled by the guessed pixel density)
NEAR_MISS_PX = 6
ALIGN_KINDS = ("card", "input", "button", "panel")


def _edges(e: Element) -> dict[str, int]:
    if e.kind == "text":
        return {"left": e.box.x0}
    return {"left": e.box.x0, "right": e.box.x1, "top": e.box.y0}


def alignment_findings(screen: Screen, elements: list[Element]) -> list[Candidate]:
    out = []
    # a 2x screenshot doubles every miss (6 CSS px is 12 device px) and every side bearing
    density = density_of(elements)
    widest = round(NEAR_MISS_PX * density)
    for members in siblings(elements, across_rows=True).values():
        # true siblings only: cards with cards, buttons with buttons, text with text
        for kind in (*ALIGN_KINDS, "text"):
            cls = "text" if kind == "text" else "box"
            idx = [i for i in members if kind_of(elements[i], density) == kind]
            # two are enough for a pair of same-size boxes (see ``twin``)
            if len(idx) < (2 if cls == "box" else 3):
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
                    # figures set right (or centred lines) start where their width says
                    others = [j for j in values if j != i]
                    if cls == "text" and aligned_otherwise(elements, i, others, exact):
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
                    target, support = mode([values[j] for j in near], exact)
                    column = [j for j in near if abs(values[j] - target) <= exact]
                    # a column of two is enough when the other is the same size (a grid)
                    twin = support == 1 and cls == "box" and _same_size(elements, i, column[0])
                    if (support < 2 and not twin) or not _in_line(elements, i, column, side):
                        continue
                    if not next_to(elements, i, column, side, density):
                        continue
                    seen.add(i)
                    miss = v - target
                    what = "column" if side in ("left", "right") else "row"
                    # sure only when several true siblings agree: three or more share the
                    # edge, or the element's other edge misses the same column by as much
                    # (it moved; a box sized to its content keeps one edge only). Its own
                    # gaps can confirm it too (``shifts``). 2 px against two siblings is as
                    # likely a bearing or a rounding as a slip.
                    moved = cls == "box" and _moved_whole(elements, i, column, side, miss)
                    # a box wider by as much on both sides was sized apart, not slipped; 2 px
                    # against boxes of other sizes only (a top bar over the cards) is as
                    # likely a border or a shadow measured differently
                    widened = cls == "box" and (
                        _moved_whole(elements, i, column, side, -miss)
                        or (
                            abs(miss) <= round(2 * density)
                            and not any(_near_width(elements, i, j) for j in column)
                        )
                    )
                    sure = not widened and (
                        len(column) >= 3 or (moved and abs(miss) > round(2 * density))
                    )
                    # two same-size boxes (a form's inputs) with the labels above them on
                    # the partner's edge: the labels are the column's other members
                    labels = (
                        _labels_on(elements, members, target, round(2 * density))
                        if twin and moved and side == "left"
                        else 0
                    )
                    who = _siblings_word(len(column), labels)
                    f = Finding(
                        source="measured",
                        category="alignment",
                        severity="minor" if sure else "info",
                        title=f"{side.capitalize()} edge misses the {what} by {abs(miss)} px",
                        detail=(
                            f"This {elements[i].kind}'s {side} edge is at {v} px; "
                            f"{who} share the {side} edge at {target} px."
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
                        evidence=f"{side} edge {v} px; {who} at {target} px",
                        metrics={
                            "edge": side,
                            "edge_px": v,
                            "expected_px": target,
                            "miss_px": miss,
                            "element": kind,
                        },
                        rule="alignment.near_miss",
                    )
                    c = Candidate(0.6 + abs(miss) / 10 + 0.05 * len(column), f, {i})
                    c.twin = support < 2 and labels < 2
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
        if e.box.intersection(between) is None or covers(e.box, between):
            continue
        b = e.box
        if side == "left" and b.x0 < edge - slack:
            return True
        if side == "right" and b.x1 > edge + slack:
            return True
        if side == "top" and b.y0 < edge - slack:
            return True
    return False


def next_to(elements, i, column, side, density) -> bool:
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


def _siblings_word(n: int, labels: int) -> str:
    words = f"{n} sibling" + ("s" if n != 1 else "")
    return words + f" and {labels} labels" if labels >= 2 else words


def _labels_on(elements, members, edge: int, slack: int) -> int:
    """How many text lines among the siblings start on this edge (ink up to ``slack`` in)."""
    return sum(
        1 for j in members if elements[j].kind == "text" and 0 <= elements[j].box.x0 - edge <= slack
    )


def _moved_whole(elements, i, column, side, miss) -> bool:
    """Whether element i's opposite edge misses that of every column member of its width by
    the same amount (there is one at least): the element moved, its size kept."""
    if side == "top":
        return False
    other = "right" if side == "left" else "left"
    mine = _edges(elements[i])[other]
    peers = [j for j in column if abs(elements[j].box.width - elements[i].box.width) <= 2]
    return bool(peers) and all(abs(mine - _edges(elements[j])[other] - miss) <= 1 for j in peers)


def _near_width(elements, i, j) -> bool:
    a, b = elements[i].box, elements[j].box
    return abs(a.width - b.width) <= max(4, 0.1 * a.width)


def _same_size(elements, i, j) -> bool:
    # a soft shadow's last row can read as inside the box or not: a pixel either way is one size
    a, b = elements[i].box, elements[j].box
    same = abs(a.width - b.width) <= 1 and abs(a.height - b.height) <= 1
    return elements[i].kind == elements[j].kind and same


def _in_line(elements, i, column, side) -> bool:
    """Whether the column's elements sit above/below (or beside, for a row) element i."""
    a = elements[i].box
    for j in column:
        b = elements[j].box
        if side in ("left", "right") and overlap(a.y0, a.y1, b.y0, b.y1) <= 0:
            return True
        if side == "top" and overlap(a.x0, a.x1, b.x0, b.x1) <= 0:
            return True
    return False
