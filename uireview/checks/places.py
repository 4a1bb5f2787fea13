"""Where a line is on the screen, in the words a designer uses: "sidebar", "top bar",
"card “Earnings (Monthly)”", "chart axis", "top of the page".

Read from the surface the text sits on: the connected area of the line's background colour
(a flood fill from around the line, so glyphs are holes, not walls). A surface along the
left edge, tall and narrow, is a sidebar; along the top, wide and low, a top bar; a closed
surface smaller than the screen is a card, named after its first line of text (read from
the pixels only for the line a finding quotes). Text on the page's own background is named
by its position. Chart axes are runs of short, evenly spaced labels beside non-text ink.

A card's surface stops at a divider (the rule under its header, between its rows): it is
followed up through the dividers to the card's heading. A surface around one line only (a
list row, an alert, a cell) is an item, placed by what it sits in. A column of labels whose
rows go on in text to their right is a table's column, not a value axis.

Judged by eye on 30 dev findings (``benchmarks/bench_contrast_real.py --places``, the
random.seed(12) sample of its files), 2026-12-01: 19/30 right before the divider, item
and table-column rules, 24/30 after. Still wrong: a striped table's rows (each stripe a
surface of its own), a chart's tick label named "card title", text on the page outside any
card (a footer line, a breadcrumb, a tab row starting a card) named "main area", a
filter bar named after its first select.

Why not ``uireview.screen.elements``: on published templates, cards drawn with soft shadows
and sidebars joined to the top bar are not closed rectangles, so the element tree misses
them; the surface under the text is there either way, and costs a few milliseconds per line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from uireview.findings import Box

# A surface along the top no taller than this share of the screen (and this many pixels) is
# a bar; one along a side no wider than this share is a sidebar.
BAR_SHARE, BAR_PX = 0.2, 160
SIDE_SHARE = 0.35
# A panel this share of the screen's width off its left edge still runs along it.
FLOAT_MARGIN = 0.03
# Channel step a shaded surface may change by from one pixel to the next.
GRADIENT_STEP = 2
# A card heading quoted in a place name is cut to this many characters.
HEADING_CHARS = 40
# Channel tolerance of the flood fill: the surface is one flat colour (PNG screenshots).
FILL_TOLERANCE = 3
# Dividers a card's surface is followed up through to its heading (a table's row rules).
MAX_DIVIDERS = 12
# How far right of a column's label (in label heights) the next cell of its row may start.
ROW_REACH = 12


@dataclass(frozen=True)
class Place:
    """A named place: the words, and the box the words describe (the crop to show)."""

    name: str
    box: Box


def quoted(text: str) -> str:
    """Words in curly quotes, cut to ``HEADING_CHARS``: how a place or a title quotes text."""
    text = " ".join(text.split())
    if len(text) > HEADING_CHARS:
        text = text[: HEADING_CHARS - 1].rstrip() + "…"
    return f"“{text}”"


def _same_words(a: str, b: str | None) -> bool:
    return b is not None and "".join(a.split()).lower() == "".join(b.split()).lower()


def _neutral(c: tuple[int, int, int]) -> bool:
    """Whether a colour is white, grey or black (channels within 24 levels)."""
    return max(c) - min(c) <= 24


@dataclass(frozen=True)
class _Surface:
    box: Box  # bounding box of the connected surface
    row: tuple[int, int]  # its extent along the line's middle row (x0, x1)
    column: tuple[int, int]  # its extent along the line's middle column (y0, y1)
    seed: tuple[int, int] = (0, 0)  # a pixel of it (x, y)


class Namer:
    """Names places on one screen; reads each card's heading at most once.

    ``lines`` are the screen's text line boxes (card headings are found among them);
    ``read`` turns boxes into their words (None where nothing readable is there) and is
    called only for the heading of a card a quoted line sits in.
    """

    def __init__(
        self,
        rgb: np.ndarray,
        lines: list[Box],
        read: Callable[[list[Box]], list[str | None]],
    ):
        self.rgb = rgb
        self.height, self.width = rgb.shape[:2]
        self.lines = lines
        self._read = read
        self._headings: dict[Box, str | None] = {}
        self._image: np.ndarray | None = None
        self._filled: list[np.ndarray] = []  # kept alive here, so their ids stay theirs
        self._extents: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._surfaces: dict[tuple[Box, tuple[int, int, int]], _Surface | None] = {}

    def surface(self, box: Box, bg: tuple[int, int, int]) -> _Surface | None:
        """The connected area of colour ``bg`` around ``box``, or None if none touches it."""
        # Kept: the placeholder, control and place questions ask about one line several
        # times (on 14 dev shots, 2379 asks for 639 lines), and the answer cannot change,
        # since a fill once made is the first found for its seed.
        key = (box, (int(bg[0]), int(bg[1]), int(bg[2])))
        if key not in self._surfaces:
            self._surfaces[key] = self._surface(box, bg)
        return self._surfaces[key]

    def _surface(self, box: Box, bg: tuple[int, int, int]) -> _Surface | None:
        h, w = self.height, self.width
        pad = max(2, box.height // 4)
        ring = Box(box.x0 - pad, box.y0 - pad, box.x1 + pad, box.y1 + pad).clamp(w, h)
        crop = self.rgb[ring.y0 : ring.y1, ring.x0 : ring.x1].astype(np.int16)
        near = np.abs(crop - np.array(bg, np.int16)).max(axis=2) <= FILL_TOLERANCE
        ys, xs = np.nonzero(near)
        if len(ys) == 0:
            return None
        seed = (int(xs[0]) + ring.x0, int(ys[0]) + ring.y0)
        filled = self._fill(seed)
        rows, cols = self._extent(filled)
        # Along the line's own rows and columns, through its glyphs (they are holes).
        band = filled[box.y0 : box.y1].any(axis=0)
        stripe = filled[:, box.x0 : box.x1].any(axis=1)
        xr = np.flatnonzero(band) if band.any() else cols
        yr = np.flatnonzero(stripe) if stripe.any() else rows
        return _Surface(
            Box(int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1),
            (int(xr[0]), int(xr[-1]) + 1),
            (int(yr[0]), int(yr[-1]) + 1),
            seed,
        )

    def _extent(self, filled: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The rows and the columns a filled surface covers (kept: many lines share one)."""
        key = id(filled)
        if key not in self._extents:
            self._extents[key] = (
                np.flatnonzero(filled.any(axis=1)),
                np.flatnonzero(filled.any(axis=0)),
            )
        return self._extents[key]

    def _fill(self, seed: tuple[int, int]) -> np.ndarray:
        """The flood-filled surface holding pixel ``seed``; each surface is filled once."""
        x, y = seed
        for filled in self._filled:
            if filled[y, x]:
                return filled
        if self._image is None:  # OpenCV's flood fill wants a writable image
            self._image = np.array(self.rgb, order="C")
        h, w = self.height, self.width
        mask = np.zeros((h + 2, w + 2), np.uint8)
        t = (FILL_TOLERANCE,) * 3
        flags = 4 | cv2.FLOODFILL_MASK_ONLY | cv2.FLOODFILL_FIXED_RANGE | (255 << 8)
        cv2.floodFill(self._image, mask, seed, 0, t, t, flags)
        filled = mask[1:-1, 1:-1] > 0
        self._filled.append(filled)
        return filled

    def _gradient_sidebar(self, s: _Surface) -> Box | None:
        """The sidebar a surface is part of when that sidebar is shaded (a gradient breaks the
        flat-colour fill into bands, each taken for a card): followed pixel to pixel instead,
        a panel along the left edge nearly the screen's height."""
        w, h = self.width, self.height
        if s.box.x0 > FLOAT_MARGIN * w or s.box.x1 > SIDE_SHARE * w:
            return None
        if self._image is None:
            self._image = np.array(self.rgb, order="C")
        mask = np.zeros((h + 2, w + 2), np.uint8)
        step = (GRADIENT_STEP,) * 3
        cv2.floodFill(
            self._image, mask, s.seed, 0, step, step, 4 | cv2.FLOODFILL_MASK_ONLY | (255 << 8)
        )
        ys, xs = np.nonzero(mask[1:-1, 1:-1])
        panel = Box(int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)
        if panel.x0 <= FLOAT_MARGIN * w and panel.x1 <= SIDE_SHARE * w and panel.height >= 0.8 * h:
            return panel
        return None

    def is_input(self, box: Box, bg: tuple[int, int, int] | None) -> bool:
        """Whether the line sits at the start of a text field: a closed surface of a neutral
        colour (white, grey) a few lines tall and many wide, the text near its left edge (a
        button centres its label), not a row of a list (see ``_stacked``)."""
        if bg is None:
            return False
        s = self.surface(box, bg)
        if s is None:
            return False
        b = s.box
        closed = b.x0 > 0 and b.y0 > 0 and b.x1 < self.width and b.y1 < self.height
        line = max(box.height, 1)
        # A text area is taller: its first line sits at its top.
        top = box.y0 - b.y0 <= 1.2 * line and b.height <= 8 * line
        return (
            closed
            and (b.height <= 2.3 * line or top)
            and b.width >= 5 * line
            and box.x0 - b.x0 <= 2.5 * line
            # Left-aligned, or long enough to fill the field (a button's label has room).
            and ((b.x1 - box.x1) > 2.5 * (box.x0 - b.x0) or box.width >= 0.75 * b.width)
            and _neutral(bg)
            and not self._stacked(b)
        )

    def control(self, box: Box, bg: tuple[int, int, int]) -> tuple[int, int, int] | None:
        """The page colour around the control the line sits on (a button or a field: a small
        closed surface a few lines tall), or None when the line is not on one."""
        found = self.control_surface(box, bg)
        return None if found is None else found[1]

    def control_surface(
        self,
        box: Box,
        bg: tuple[int, int, int],
        gap: int = 3,
    ) -> tuple[Box, tuple[int, int, int]] | None:
        """The control the line sits on (its surface's box) and the page colour ``gap`` px
        around it, or None when the line is not on one (see ``control``)."""
        s = self.surface(box, bg)
        if s is None:
            return None
        b, line = s.box, max(box.height, 1)
        h, w = self.height, self.width
        if not (b.x0 > 3 and b.y0 > 3 and b.x1 < w - 3 and b.y1 < h - 3):
            return None
        if b.height > 3.5 * line or b.width > 0.5 * w or b.height < box.height:
            return None
        return b, self._ring_colour(b, gap)

    def _ring_colour(self, b: Box, gap: int = 3) -> tuple[int, int, int]:
        """The commonest colour of the ring ``gap`` px outside a closed surface (3: past a
        border; farther: past a glow around it)."""
        h, w = self.height, self.width
        y0, y1 = max(b.y0 - gap, 0), min(b.y1 + gap - 1, h - 1)
        x0, x1 = max(b.x0 - gap, 0), min(b.x1 + gap - 1, w - 1)
        ring = np.concatenate(
            [
                self.rgb[y0, b.x0 : b.x1],
                self.rgb[y1, b.x0 : b.x1],
                self.rgb[b.y0 : b.y1, x0],
                self.rgb[b.y0 : b.y1, x1],
            ]
        ).astype(np.int32)
        packed = (ring[:, 0] << 16) | (ring[:, 1] << 8) | ring[:, 2]
        values, counts = np.unique(packed, return_counts=True)
        top = int(values[counts.argmax()])
        return (top >> 16) & 255, (top >> 8) & 255, top & 255

    def _stacked(self, b: Box) -> bool:
        """Whether the surface is a row of a list or table: its side border runs on past its
        top or bottom into the next row (a field's border turns a corner and stops)."""
        h, w = self.height, self.width

        def px(y: int, x: int) -> np.ndarray:
            return self.rgb[min(max(y, 0), h - 1), min(max(x, 0), w - 1)].astype(np.int16)

        def same(a: np.ndarray, c: np.ndarray) -> bool:
            return bool(np.abs(a - c).max() <= FILL_TOLERANCE)

        mid = (b.y0 + b.y1) // 2
        for x, out in ((b.x0 - 1, -1), (b.x1, 1)):
            edge = px(mid, x)
            # A border: unlike the surface inside it and the page beyond it.
            if same(edge, px(mid, x - out)) or same(edge, px(mid, x + out)):
                continue
            if any(0 <= y < h and same(px(y, x), edge) for y in (b.y0 - 4, b.y1 + 3)):
                return True
        return False

    def _top_line(self, card: Box) -> Box | None:
        inside = [
            b
            for b in self.lines
            if card.x0 <= b.center[0] < card.x1 and card.y0 <= b.center[1] < card.y1
        ]
        return min(inside, key=lambda b: (b.y0, b.x0)) if inside else None

    def heading(self, card: Box) -> str | None:
        """A card's heading: its first text line, as read from the pixels."""
        if card not in self._headings:
            top = self._top_line(card)
            self._headings[card] = None if top is None else self._read([top])[0]
        return self._headings[card]

    def name(
        self,
        box: Box,
        bg: tuple[int, int, int] | None,
        own_text: str | None = None,
        read_heading: bool = True,
    ) -> Place:
        """The place of the line in ``box`` on background ``bg``. ``own_text``: the line's
        own words, so a card is not named after the very line a finding quotes;
        ``read_heading`` False names a card without reading its heading (unless read)."""
        w, h = self.width, self.height
        s = None if bg is None else self.surface(box, bg)
        # A line on a control of its own (a button, pill, badge, tab, a menu item's
        # highlight) is placed by what the control sits on: "card “Buttons”", "sidebar".
        for _ in range(2):
            if s is None or not (self._is_control(s.box, box) or self._item(s.box, box)):
                break
            b = s.box
            ring = Box(b.x0 - 3, b.y0 - 3, b.x1 + 3, b.y1 + 3).clamp(w, h)
            outer = self.control(box, bg) if bg is not None else None
            if outer is None:
                break
            around = self.surface(ring, outer)
            if around is None or around.box == b:
                break
            box, s = b, around
        if s is not None:
            x0, x1 = s.row
            y0, y1 = s.column
            bar = min(BAR_PX, BAR_SHARE * h)
            # Along the left edge: the sidebar, also its own header or footer panel.
            if x0 <= 1 and x1 <= SIDE_SHARE * w and (y1 - y0 >= 0.5 * h or y1 >= h - 1):
                return Place("sidebar", Box(x0, y0, x1, y1))
            # A floating sidebar (a rounded panel a margin off the edges, as Material's): near
            # the left edge and nearly the screen's height.
            if x0 <= FLOAT_MARGIN * w and x1 <= SIDE_SHARE * w and y1 - y0 >= 0.8 * h:
                return Place("sidebar", Box(x0, y0, x1, y1))
            panel = self._gradient_sidebar(s)
            if panel is not None:
                return Place("sidebar", panel)
            if x1 >= w - 1 and x0 >= (1 - SIDE_SHARE) * w and y1 - y0 >= 0.5 * h:
                return Place("right sidebar", Box(x0, y0, x1, y1))
            if y0 <= 1 and y1 <= bar and x1 - x0 >= 0.6 * w:
                return Place("top bar", Box(x0, y0, x1, y1))
            # A floating top bar: a wide, low surface a few pixels from the top.
            if y0 <= 0.03 * h and y1 <= bar and x1 - x0 >= 0.5 * w:
                return Place("top bar", Box(x0, y0, x1, y1))
            if y1 >= h - 1 and y0 >= h - min(BAR_PX, BAR_SHARE * h) and x1 - x0 >= 0.6 * w:
                return Place("footer", Box(x0, y0, x1, y1))
            b = s.box
            # A card the screenshot cuts off at its foot is closed on its other three sides.
            closed = b.x0 > 0 and b.y0 > 0 and b.x1 < w
            if closed and b.area < 0.5 * w * h and b.height > 1.5 * box.height:
                return self._card(box, self._whole_card(b, s.seed), own_text, read_heading)
        return Place(self._by_position(box), box)

    def _is_control(self, surface: Box, line: Box) -> bool:
        """Whether a surface is a control around one line: closed, at most 3.5 lines tall,
        at most a third of the screen wide."""
        w, h = self.width, self.height
        closed = surface.x0 > 3 and surface.y0 > 3 and surface.x1 < w - 3 and surface.y1 < h - 3
        return closed and surface.height <= 3.5 * max(line.height, 1) and surface.width <= w / 3

    def _item(self, surface: Box, line: Box) -> bool:
        """Whether a surface is one item around one line (a list row, an alert, a table
        cell): closed, at most 3.5 lines tall and half the screen wide, and no other line
        in it. Placed by what it sits in, as a control is, not named as a card."""
        w, h = self.width, self.height
        closed = surface.x0 > 3 and surface.y0 > 3 and surface.x1 < w - 3 and surface.y1 < h - 3
        if not closed or surface.height > 3.5 * max(line.height, 1) or surface.width > w / 2:
            return False
        return not any(
            surface.x0 <= b.center[0] < surface.x1
            and surface.y0 <= b.center[1] < surface.y1
            and b.intersection(line) is None
            for b in self.lines
        )

    def _whole_card(self, card: Box, seed: tuple[int, int]) -> Box:
        """A card whose surface stops at a divider (a 1-3 px rule between its header and its
        body, or between its rows) grown up through its dividers to the card's top, so the
        card is named after its heading, not a section's first line."""
        colour = self.rgb[seed[1], seed[0]].astype(np.int16)

        def same(y: int, x: int) -> bool:
            return bool(np.abs(self.rgb[y, x].astype(np.int16) - colour).max() <= FILL_TOLERANCE)

        for _ in range(MAX_DIVIDERS):
            # Probed a tenth in from each side: a card's edges may be tinted by its
            # shadow, its rounded corners or a scrollbar.
            inset = max(2, card.width // 10)
            xs = (card.x0 + inset, (card.x0 + card.x1) // 2, card.x1 - 1 - inset)
            above = [y for y in range(card.y0 - 2, card.y0 - 5, -1) if y >= 0]
            row = next((y for y in above if all(same(y, x) for x in xs)), None)
            if row is None:
                # A table's header row of a fill of its own ("ORDER  CUSTOMER  ITEMS" on
                # grey) between the rows and the card's heading: crossed, so a row is named
                # after the card, not taken for a card of its own.
                header = self._header_above(card)
                if header is None:
                    break
                card = header.union(card)
                continue
            filled = self._fill((xs[1], row))
            rows, cols = self._extent(filled)
            upper = Box(int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1)
            # The same card: as wide, and ending at the divider.
            if abs(upper.x0 - card.x0) > 4 or abs(upper.x1 - card.x1) > 4 or upper.y1 > card.y0:
                break
            card = upper.union(card)
        return card

    def _header_above(self, card: Box) -> Box | None:
        """The band right above ``card`` that is one row of text on a fill of its own, as
        wide as the card (a table's header row), or None. A thin rule (a divider) between
        them is stepped over."""
        inset = max(2, card.width // 10)  # as in _whole_card
        xs = (card.x0 + inset, (card.x0 + card.x1) // 2, card.x1 - 1 - inset)

        def colour(y: int) -> np.ndarray:
            return self.rgb[y, xs[1]].astype(np.int16)

        y = card.y0 - 1
        rule = 0  # rows of the divider's colour right above the card
        while y - rule >= 0 and rule <= 3 and np.abs(colour(y - rule) - colour(y)).max() <= 0:
            rule += 1
        if rule <= 3:
            y -= rule
        if y < 0 or any(
            np.abs(self.rgb[y, x].astype(np.int16) - colour(y)).max() > FILL_TOLERANCE for x in xs
        ):
            return None
        rows, cols = self._extent(self._fill((xs[1], y)))
        band = Box(int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1)
        if abs(band.x0 - card.x0) > 4 or abs(band.x1 - card.x1) > 4 or band.y1 > card.y0:
            return None
        inside = [
            b
            for b in self.lines
            if band.x0 <= b.center[0] < band.x1 and band.y0 <= b.center[1] < band.y1
        ]
        if not inside or max(b.y0 for b in inside) >= min(b.y1 for b in inside):
            return None  # not one row of text
        return band if band.height <= 3.5 * max(b.height for b in inside) else None

    def _card(self, box: Box, card: Box, own_text: str | None, read_heading: bool) -> Place:
        if self._top_line(card) == box:
            if card.height <= 3.5 * max(box.height, 1) and card.width <= self.width / 3:
                # A field or button pressed against the screen's edge (too near it for
                # the control hop): it is no card, so it is placed by where it is.
                return Place(self._by_position(box), box)
            return Place("card title", card)  # the line is the card's heading: no read
        if not read_heading and card not in self._headings:
            return Place("card", card)
        heading = self.heading(card)
        if heading and _same_words(heading, own_text):
            return Place("card title", card)
        if heading:
            return Place(f"card {quoted(heading)}", card)
        return Place("card", card)

    def _by_position(self, box: Box) -> str:
        cx, cy = box.center
        if cy < 0.12 * self.height:
            return "top of the page"
        if cy > 0.9 * self.height:
            return "bottom of the page"
        if cx < 0.2 * self.width:
            return "left side of the page"
        return "main area"


def _commonest(crop: np.ndarray) -> np.ndarray:
    """The commonest colour of an (h, w, 3) int16 crop: its background."""
    flat = crop.reshape(-1, 3)
    packed = (flat[:, 0].astype(np.int32) << 16) | (flat[:, 1] << 8) | flat[:, 2]
    values, counts = np.unique(packed, return_counts=True)
    top = int(values[counts.argmax()])
    return np.array([(top >> 16) & 255, (top >> 8) & 255, top & 255], np.int16)


def _has_chart_ink(rgb: np.ndarray, span: Box, horizontal: bool, text: list[Box]) -> bool:
    """Whether there is non-text ink beside a run of labels: a chart's bars, lines or grid.

    For a row of labels, the band above it (a category axis sits under its chart); for a
    column, the band to its right. Ink is what differs from the labels' own background
    outside any text line.
    """
    h, w = rgb.shape[:2]
    reach = 6 * span.height
    area = (
        Box(span.x0, span.y0 - reach, span.x1, span.y0)
        if horizontal
        else Box(span.x1, span.y0, span.x1 + reach * 2, span.y1)
    ).clamp(w, h)
    if area.area <= 0:
        return False
    crop = rgb[area.y0 : area.y1, area.x0 : area.x1].astype(np.int16)
    # The background is the commonest colour; every third pixel each way finds it at a
    # ninth of the cost (a column's band can be a third of the screen).
    ink = np.abs(crop - _commonest(crop[::3, ::3])).max(axis=2) > 12
    for t in text:
        if t.height > 2 * span.height:
            continue  # the detector sometimes boxes a chart itself as one tall "line"
        i = t.intersection(area)
        if i is not None:
            ink[i.y0 - area.y0 : i.y1 - area.y0, i.x0 - area.x0 : i.x1 - area.x0] = False
    return float(ink.mean()) >= 0.01


def axis_groups(boxes: list[Box], rgb: np.ndarray, text: list[Box]) -> list[list[int]]:
    """Groups of line boxes (indices) that look like a chart's axis labels.

    Axis labels are short lines of one size, four or more in a row (a category axis) or a
    column aligned on the right (a value axis), evenly spaced, with non-text ink (the chart)
    above the row or beside the column. ``text`` is every text line on the screen.
    """
    short = [i for i, b in enumerate(boxes) if b.width <= 4 * b.height and b.height >= 4]
    used: set[int] = set()
    out: list[list[int]] = []
    tried: set[tuple[bool, tuple[int, ...]]] = set()  # each member of a group finds it again
    for horizontal in (True, False):
        for i in short:
            if i in used:
                continue
            a = boxes[i]

            def mate(j: int, a: Box = a, horizontal: bool = horizontal) -> bool:
                b = boxes[j]
                if j in used or not 0.6 <= b.height / a.height <= 1.67:
                    return False
                if horizontal:
                    return abs(b.center[1] - a.center[1]) <= 0.3 * a.height
                return abs(b.x1 - a.x1) <= 4  # value axes align their numbers right

            mates = [j for j in short if mate(j)]
            if len(mates) < 4:
                continue
            key = (lambda j: boxes[j].center[0]) if horizontal else (lambda j: boxes[j].center[1])
            mates.sort(key=key)
            steps = [key(q) - key(p) for p, q in zip(mates, mates[1:], strict=False)]
            if min(steps) <= 0 or max(steps) > 1.25 * min(steps):
                continue  # not evenly spaced: a table column or a list, not an axis
            if (horizontal, tuple(mates)) in tried:
                continue
            tried.add((horizontal, tuple(mates)))
            if not horizontal and _in_rows([boxes[j] for j in mates], text):
                continue  # a table's column: its rows go on in text to its right
            span = boxes[mates[0]]
            for j in mates[1:]:
                span = span.union(boxes[j])
            if not _has_chart_ink(rgb, span, horizontal, text):
                continue
            if _crossed(rgb, span, text, horizontal):
                continue  # a calendar's or a table's cells: their borders run through
            used.update(mates)
            out.append(mates)
    return out


def _crossed(rgb: np.ndarray, span: Box, text: list[Box], horizontal: bool) -> bool:
    """Whether lines or fills run through a run of labels, between them: a calendar's
    weekday header or a table's, whose cell borders cross it, a calendar day's events, or
    chips round each label. A chart's labels sit on clear ground beside it (its grid stops
    at the axis)."""
    h, w = rgb.shape[:2]
    band = span.clamp(w, h)
    if band.area <= 0:
        return False
    crop = rgb[band.y0 : band.y1, band.x0 : band.x1].astype(np.int16)
    ink = np.abs(crop - _commonest(crop)).max(axis=2) > 12
    for t in text:
        i = t.intersection(band)
        if i is not None:  # a line's box and a pixel round it (anti-aliased edges)
            ink[
                max(i.y0 - band.y0 - 1, 0) : i.y1 - band.y0 + 1,
                max(i.x0 - band.x0 - 1, 0) : i.x1 - band.x0 + 1,
            ] = False
    # A border crosses the whole band: across a row of labels a column of ink from its top
    # to its bottom, across a column of labels a row of ink from side to side.
    return bool(ink.all(axis=0 if horizontal else 1).any()) or float(ink.mean()) >= 0.05


def _in_rows(column: list[Box], text: list[Box]) -> bool:
    """Whether most labels of a column have another text line beside them on their row
    (within ``ROW_REACH`` line heights), as a table's cells do; a value axis has its chart
    beside it, not words."""
    beside = 0
    for b in column:
        beside += any(
            b.x1 <= t.x0 <= b.x1 + ROW_REACH * b.height
            and abs(t.center[1] - b.center[1]) <= 0.3 * b.height
            and 0.6 <= t.height / max(b.height, 1) <= 1.67
            for t in text
        )
    return beside * 2 > len(column)


_NUMBER = re.compile(r"^[^\d\-+]*([\-+]?\d[\d,]*(?:\.\d+)?)\s*([kKmM%]?)\W*$")


def _number(text: str | None) -> float | None:
    """The value of a label such as "$180", "2,500", "40%", "1.5k"; None if it is no number."""
    m = _NUMBER.match((text or "").replace(" ", ""))
    if m is None:
        return None
    value = float(m.group(1).replace(",", ""))
    return value * {"k": 1e3, "m": 1e6}.get(m.group(2).lower(), 1.0)


def steps_evenly(texts: list[str | None]) -> bool | None:
    """Whether labels read top to bottom step by one amount, as a value axis's ticks do
    (0, 50, 100 ...); False for numbers that do not (a column of invoice amounts), None when
    they are not all numbers (a category axis names things; nothing to tell)."""
    read = [_number(t) for t in texts]
    values = [v for v in read if v is not None]
    if len(read) < 3 or len(values) < len(read):
        return None
    steps = [b - a for a, b in zip(values, values[1:], strict=False)]
    top = max(abs(v) for v in values)
    return all(abs(d - steps[0]) <= 0.01 * top for d in steps) and steps[0] != 0
