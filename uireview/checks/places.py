"""Where a box is on the screen, in the words a designer uses: "sidebar", "top bar",
"card “Earnings (Monthly)”", "table", "button", "chart axis".

Derived from the layout the element detector reads (``uireview.checks.elements``): the
innermost container holding the box, the panels along the screen's edges, and a card's
heading (its first line of text, read from the pixels only when a finding needs it). When
no container holds the box, its position on the screen names it ("top of the page").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from uireview.checks.elements import Element
from uireview.findings import Box

# A panel along the top no taller than this share of the screen is a bar; one along a side
# no wider than this share is a sidebar.
BAR_SHARE = 0.2
SIDE_SHARE = 0.35
# A card heading quoted in a place name is cut to this many characters.
HEADING_CHARS = 40
# Card headings read per screen at most (each is one recogniser run, ~40 ms); cards past
# that are named "card" (the finding's first place always gets its heading).
HEADING_READS = 8


@dataclass(frozen=True)
class Place:
    """A named place: the words, and the box the words describe (the crop to show)."""

    name: str
    box: Box


def _holds(outer: Box, inner: Box) -> bool:
    cx, cy = inner.center
    return outer.x0 <= cx < outer.x1 and outer.y0 <= cy < outer.y1


def _edge_name(e: Element, width: int, height: int) -> str | None:
    """ "sidebar", "top bar", "footer" for a container along the screen's edge, else None."""
    b = e.box
    if b.x0 <= 2 and b.width <= SIDE_SHARE * width and b.height >= 0.5 * height:
        return "sidebar"
    if b.x1 >= width - 2 and b.width <= SIDE_SHARE * width and b.height >= 0.5 * height:
        return "right sidebar"
    if b.y0 <= 2 and b.height <= BAR_SHARE * height and b.width >= 0.6 * width:
        return "top bar"
    if b.y1 >= height - 2 and b.height <= BAR_SHARE * height and b.width >= 0.6 * width:
        return "footer"
    return None


def _same_words(a: str, b: str | None) -> bool:
    return b is not None and "".join(a.split()).lower() == "".join(b.split()).lower()


def _quoted(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > HEADING_CHARS:
        text = text[: HEADING_CHARS - 1].rstrip() + "…"
    return f"“{text}”"


class Namer:
    """Names places on one screen; reads each card's heading at most once.

    ``read`` turns line boxes into their words (or None where nothing readable is there);
    it is only called for the headings of cards a named box sits in.
    """

    def __init__(
        self,
        elements: list[Element],
        width: int,
        height: int,
        read: Callable[[list[Box]], list[str | None]],
    ):
        self.elements = elements
        self.width, self.height = width, height
        self._read = read
        self._headings: dict[int, str | None] = {}
        self.budget = HEADING_READS

    def chain(self, box: Box) -> list[int]:
        """Indices of the containers holding ``box``, innermost first."""
        best: int | None = None
        for i, e in enumerate(self.elements):
            if e.is_container and _holds(e.box, box):
                if best is None or self.elements[best].box.area >= e.box.area:
                    best = i
        out = []
        while best is not None:
            out.append(best)
            best = self.elements[best].parent
        return out

    def heading(self, card: int) -> str | None:
        """The card's heading: its first text line in reading order, as read from pixels."""
        if card not in self._headings:
            lines = [
                e.box
                for e in self.elements
                if e.parent == card and e.kind == "text" and e.box.height >= 6
            ]
            text = None
            if lines:
                top = min(lines, key=lambda b: (b.y0, b.x0))
                # The element box hugs the ink; the recogniser wants a little margin.
                pad = max(2, top.height // 3)
                box = Box(top.x0 - pad, top.y0 - pad, top.x1 + pad, top.y1 + pad)
                (text,) = self._read([box.clamp(self.width, self.height)])
            self._headings[card] = text
        return self._headings[card]

    def name(self, box: Box, own_text: str | None = None, read_heading: bool = True) -> Place:
        """The place ``box`` is in. ``own_text``: the box's own words, so a card is not
        named after the very line the finding quotes when that line is its heading;
        ``read_heading`` False names a card without reading its heading (cheaper), unless
        the heading was read already."""
        chain = self.chain(box)
        edge = next(
            (
                (n, self.elements[i].box)
                for i in chain
                if (n := _edge_name(self.elements[i], self.width, self.height))
            ),
            None,
        )
        inner = self.elements[chain[0]] if chain else None
        if inner is not None and inner.kind in ("card", "row", "button", "input"):
            kind = {"row": "table", "input": "input field"}.get(inner.kind, inner.kind)
            known = chain[0] in self._headings
            if inner.kind == "card" and (known or read_heading or self.budget > 0):
                if not known and not read_heading:
                    self.budget -= 1
                heading = self.heading(chain[0])
                if heading and _same_words(heading, own_text):
                    kind = "card title"
                elif heading:
                    kind = f"card {_quoted(heading)}"
            if inner.kind == "row" or any(self.elements[i].kind == "row" for i in chain):
                kind = "table"
            if edge is not None:
                return Place(f"{kind} in the {edge[0]}", inner.box)
            return Place(kind, inner.box)
        if edge is not None:
            return Place(edge[0], edge[1])
        return Place(self._by_position(box), box)

    def _by_position(self, box: Box) -> str:
        cx, cy = box.center
        if cy < 0.12 * self.height:
            return "top of the page"
        if cy > 0.9 * self.height:
            return "bottom of the page"
        if cx < 0.2 * self.width:
            return "left side of the page"
        return "main area"


def axis_groups(boxes: list[Box], elements: list[Element]) -> list[list[int]]:
    """Groups of line boxes (indices) that look like a chart's axis labels.

    Axis labels are short lines of one size, three or more in a row (a category axis) or a
    column (a value axis, aligned on one edge), evenly spaced, beside a chart: an image
    element at least as wide (row) or tall (column) as the labels span.
    """
    charts = [e.box for e in elements if e.kind == "image" and e.box.area >= 4000]
    if not charts:
        return []
    short = [i for i, b in enumerate(boxes) if b.width <= 8 * b.height and b.height >= 4]
    used: set[int] = set()
    out: list[list[int]] = []
    for horizontal in (True, False):
        for i in short:
            if i in used:
                continue
            a = boxes[i]
            if horizontal:
                mates = [
                    j
                    for j in short
                    if j not in used
                    and abs(boxes[j].center[1] - a.center[1]) <= 0.3 * a.height
                    and 0.75 <= boxes[j].height / a.height <= 1.33
                ]
            else:
                mates = [
                    j
                    for j in short
                    if j not in used
                    and (abs(boxes[j].x1 - a.x1) <= 4 or abs(boxes[j].x0 - a.x0) <= 4)
                    and 0.75 <= boxes[j].height / a.height <= 1.33
                ]
            if len(mates) < 3:
                continue
            key = (lambda j: boxes[j].x0) if horizontal else (lambda j: boxes[j].y0)
            mates.sort(key=key)
            steps = [key(b) - key(a) for a, b in zip(mates, mates[1:], strict=False)]
            if min(steps) <= 0 or max(steps) > 1.6 * min(steps):
                continue  # not evenly spaced: a table column or a list, not an axis
            span = mates[0:1] and boxes[mates[0]]
            for j in mates[1:]:
                span = span.union(boxes[j])
            if not any(_beside(span, c, horizontal) for c in charts):
                continue
            used.update(mates)
            out.append(mates)
    return out


def _beside(labels: Box, chart: Box, horizontal: bool) -> bool:
    """Whether a run of labels sits along a chart's edge (or just inside it)."""
    reach = 3 * labels.height
    if horizontal:
        overlap = min(labels.x1, chart.x1) - max(labels.x0, chart.x0)
        near = chart.y0 - reach <= labels.center[1] <= chart.y1 + reach
        return overlap >= 0.6 * labels.width and near
    overlap = min(labels.y1, chart.y1) - max(labels.y0, chart.y0)
    near = chart.x0 - reach <= labels.center[0] <= chart.x1 + reach
    return overlap >= 0.6 * labels.height and near
