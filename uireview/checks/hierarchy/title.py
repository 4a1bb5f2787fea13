"""Where the page's title is: the first line of words at the top of the content area.

A designer looks for the title where the page's own content starts: past the side
navigation and the top bar, at the top, on the left of its row. Not every line there is a
title, and the ones that are not are left out by what they look like:

- a figure or a label in capitals ("$84,520", "TOTAL ORDERS", "SHOP": no lowercase);
- an icon or a logo's mark read as text (about as wide as tall), or a wordmark led by a
  mark (a logo: "[S] sneat");
- a button's or an input's label;
- a caption: text clearly smaller than the body text.

The first such line is the title unless a stronger line (larger or bolder) follows right
under it: then the first was a breadcrumb or an eyebrow, and the stronger one is the title.
That keeps the title found when it has been set at body size (the defect this check is for):
it is still the first line of the content.
"""

from __future__ import annotations

import numpy as np

from uireview.checks.hierarchy.lines import LEVEL_STEP, Body, Line
from uireview.findings import Box
from uireview.screen.elements import Element

# the title sits in this top share of the content area (a hero illustration or a short
# page's centred card can push it to just under the middle of the fold's upper half)
TOP_SHARE = 0.45
# a line under this share of the body size is a caption or a note, not a title (the body
# level is the one with the most text, which on a page of large samples is large itself)
CAPTION = 0.8
# a line this much bolder than the one above it reads as a heading under an eyebrow
BOLDER = 1.2
# an eyebrow or breadcrumb is at most this many of its line heights from the title
EYEBROW_GAP = 1.5
# a title line is at least this many times as wide as tall (an icon read as text is about
# square; a short word at body size, "Inbox", is under twice its padded height)
MIN_ASPECT = 1.6
# how far left of a line (in its heights) a logo's mark or a menu icon is looked for
MARK_REACH = 2.5
# ... and how far at most, when the mark runs out of that reach
MARK_FAR = 4.0
# a top bar ends within this top share of the screen; a side bar's border starts there
BAR_TOP = 0.12


def _inside(box: Box, outer: Box) -> bool:
    cx, cy = box.center
    return outer.x0 <= cx < outer.x1 and outer.y0 <= cy < outer.y1


def _longest_run(flags: np.ndarray) -> tuple[int, int]:
    """Start and length of the longest run of True values in a 1-d boolean array."""
    padded = np.concatenate([[False], flags, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    if not len(edges):
        return 0, 0
    lengths = edges[1::2] - edges[::2]
    k = int(lengths.argmax())
    return int(edges[::2][k]), int(lengths[k])


def _edge_bars(rgb: np.ndarray) -> tuple[int, int]:
    """Right edge of a side bar and bottom edge of a top bar, from the pixels (0: none).

    A bar's border is one unbroken colour change at one x (or y) along almost the whole
    screen's height (or the content's width); cards never draw one that long, because the
    gaps between them break it. A side bar's border starts at the top, or under a top bar
    (``BAR_TOP``): one tall card's edge, the only card of a narrow page, starts under the
    page's title and runs to the bottom too.
    """
    h, w = rgb.shape[:2]
    img = rgb.astype(np.int16)
    step = np.abs(img[:, 2:] - img[:, :-2]).max(axis=2) > 6
    side = 0
    for x in range(int(0.04 * w), int(0.35 * w)):
        start, length = _longest_run(step[:, x])
        if step[:, x].mean() >= 0.8 and length >= 0.8 * h and start <= BAR_TOP * h:
            side = x + 2
            break
    step = np.abs(img[2:, side:] - img[:-2, side:]).max(axis=2) > 6
    for y in range(int(0.03 * h), int(BAR_TOP * h)):
        if step[y].mean() >= 0.85 and _longest_run(step[y])[1] >= 0.85 * (w - side):
            return side, y + 2
    return side, 0


def content_area(rgb: np.ndarray, elements: list[Element]) -> Box:
    """The screen without its side navigation and top bar, where a page's own title sits.

    A side bar is a container at the left edge, most of the screen tall and under a third
    of it wide, or a border that long (see ``_edge_bars``); a top bar a container at the
    top edge, most of the screen wide and short, or such a border.
    """
    height, width = rgb.shape[:2]
    x0, y0 = _edge_bars(rgb)
    boxes = [e.box for e in elements if e.kind in ("panel", "card") and e.depth == 0]
    for b in boxes:
        if b.x0 <= 0.03 * width and b.height >= 0.6 * height and b.width <= 0.35 * width:
            x0 = max(x0, b.x1)
    for b in boxes:
        wide = b.width >= 0.5 * (width - x0) and b.x1 > x0
        if b.y0 <= 0.03 * height and wide and b.height <= 0.15 * height:
            y0 = max(y0, b.y1)
    return Box(x0, y0, width, height)


def led_by_mark(rgb: np.ndarray, box: Box, text: list[Box], left: int = 0) -> bool:
    """Whether a graphic about the line's height sits just left of it: a logo's mark, or an
    icon leading a menu item. Ink there that is not text, filling a fair share of a square
    the line's height, one small gap away, and whole (background all round: a panel's edge
    running into the square, or the surface under the line, is not a mark). ``left``: the
    content area's left edge."""
    h, w = rgb.shape[:2]
    size = box.height
    # a logo's mark is often taller than its wordmark's line (a 32 px tile by 16 px type):
    # look two line heights and a gap to the left, so the whole mark fits in; a mark cut
    # by that reach (a wider gap, a shorter line on a narrow phone) is looked at again
    # further left, and is not a mark only if it still runs out of the wider square
    for reach in (MARK_REACH, MARK_FAR):
        area = Box(max(box.x0 - int(reach * size), left), box.y0, box.x0 - 1, box.y1)
        area = area.clamp(w, h)
        if area.width < 0.5 * size:
            return False
        crop = rgb[area.y0 : area.y1, area.x0 : area.x1].astype(np.int16)
        ring = rgb[max(box.y0 - 2, 0) : box.y1 + 2, box.x0 : box.x0 + 3].reshape(-1, 3)
        edge = np.concatenate([crop[0], crop[-1], ring.astype(np.int16)])
        bg = np.median(edge, axis=0)
        ink = np.abs(crop - bg).max(axis=2) > 40
        for t in text:
            i = t.intersection(area)
            if i is not None and t != box:
                ink[i.y0 - area.y0 : i.y1 - area.y0, i.x0 - area.x0 : i.x1 - area.x0] = False
        cols = np.flatnonzero(ink.any(axis=0))
        rows = np.flatnonzero(ink.any(axis=1))
        if len(cols) < 0.4 * size or len(rows) < 0.6 * size:
            return False
        # whole: a gap on both sides (the surface under the line, such as a floating
        # bar's edge, runs up to it; a mark cut by the reach runs out of the square)
        if cols[0] > 0 and cols[-1] < area.width - 1:
            return float(ink.mean()) >= 0.12
        if area.x0 <= left:
            return False
    return False


def _beside(a: Box, b: Box) -> bool:
    """Whether two lines overlap vertically by a third of the shorter one (padded boxes of
    consecutive lines touch, so a sliver does not count)."""
    return min(a.y1, b.y1) - max(a.y0, b.y0) > 0.3 * min(a.height, b.height)


def _same_surface(a: Line, b: Line) -> bool:
    """Whether two lines sit on one flat colour (a card's heading is not the page's)."""
    if a.background is None or b.background is None:
        return True
    return max(abs(p - q) for p, q in zip(a.background, b.background, strict=True)) <= 8


def _stronger(a: Line, b: Line) -> bool:
    """Whether line ``a`` reads as a heading next to line ``b`` (a size step up, or bolder)."""
    return a.size >= LEVEL_STEP * b.size or (
        a.size >= b.size / LEVEL_STEP and a.weight >= BOLDER * b.weight
    )


def find_title(lines: list[Line], elements: list[Element], rgb: np.ndarray, body: Body):
    """The line a designer would call the page title, or None when there is no such line."""
    area = content_area(rgb, elements)
    excluded = [e.box for e in elements if e.kind in ("button", "input")]
    boxes = [ln.box for ln in lines]
    top = area.y0 + TOP_SHARE * area.height
    cands = [
        ln
        for ln in lines
        if _inside(ln.box, area)
        and ln.box.y0 < top
        and ln.box.width >= MIN_ASPECT * ln.box.height
        and not ln.caps
        and ln.size >= CAPTION * body.size
        and not any(_inside(ln.box, b) for b in excluded)
        and not led_by_mark(rgb, ln.box, boxes, area.x0)
    ]
    if not cands:
        return None
    top_line = min(cands, key=lambda ln: ln.box.y0)
    # the first row: lines beside the topmost one (a title may sit a little lower than a
    # smaller button label on its right)
    first = min((ln for ln in cands if _beside(ln.box, top_line.box)), key=lambda ln: ln.box.x0)
    # a breadcrumb or an eyebrow over the title gives way to it
    for _ in range(2):
        below = [
            ln
            for ln in cands
            if 0 <= ln.box.y0 - first.box.y1 <= EYEBROW_GAP * first.box.height
            and ln.box.x0 < first.box.x1
            and first.box.x0 < ln.box.x1 + first.box.height
            and _same_surface(ln, first)
        ]
        if not below:
            break
        nxt = min(below, key=lambda ln: ln.box.y0)
        if not _stronger(nxt, first):
            break
        first = nxt
    return first


def title_block(lines: list[Line], title: Line) -> list[Line]:
    """The title and the lines it wraps onto: of its size level, stacked right above or
    under it on its surface, overlapping it across."""
    block = [title]
    for ln in sorted(lines, key=lambda ln: abs(ln.box.y0 - title.box.y0)):
        if ln is title or not (
            ln.size <= LEVEL_STEP * title.size and title.size <= LEVEL_STEP * ln.size
        ):
            continue
        near = any(
            -EYEBROW_GAP * b.box.height <= ln.box.y0 - b.box.y1 <= EYEBROW_GAP * b.box.height
            or -EYEBROW_GAP * b.box.height <= b.box.y0 - ln.box.y1 <= EYEBROW_GAP * b.box.height
            for b in block
        )
        across = ln.box.x0 < title.box.x1 and title.box.x0 < ln.box.x1
        if near and across and _same_surface(ln, title) and not _beside(ln.box, title.box):
            block.append(ln)
    return block
