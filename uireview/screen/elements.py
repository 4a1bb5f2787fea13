"""UI elements from pixels: cards, panels, buttons, inputs, text blocks, images.

The page is read as nested flat-coloured containers. At each level the background colour is
the most common colour of the region; pixels that differ from it by more than ``TOLERANCE``
form connected components. A component whose outline is a rectangle (filled, or a thin ring)
is a container and is read again inside, against its own fill. Everything else is ink: glyphs,
icons, chart bars. Ink is grouped into lines by closing gaps narrower than the typical glyph
height (so letters join into words and lines, and bars into one chart), and lines of one size
stacked closely join into text blocks.

Options (module constants):
  TOLERANCE      max channel difference still counted as background (white cards on #F4F5F8
                 differ by 11, so this stays small)
  MIN_CONTAINER  smallest container side in pixels
  MAX_DEPTH      how deep containers nest
  MIN_FLAT       share of a container's inside that must be its fill colour; below it the
                 container is a photo or gradient and is one "image"

Hand-written on numpy/scipy/OpenCV because no library segments flat UI screenshots; OCR
boxes are not used here so spacing does not pay for text detection.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import cv2
import numpy as np
from scipy import ndimage

from uireview.findings import Box

if TYPE_CHECKING:
    from uireview.screen import Screen

TOLERANCE = 6
MIN_CONTAINER = 16
MAX_DEPTH = 4
MIN_FLAT = 0.3

CONTAINER_KINDS = ("panel", "card", "button", "input", "row")


@dataclass(frozen=True)
class Element:
    """One UI element: its box in image pixels and what it looks like.

    kind: "panel" (touches the screen edge), "card", "button", "input", "row" (a table row
    between divider lines), "text", "image" (charts, icons, photos), "divider".
    ``parent`` is the index of the enclosing container in the list returned by
    ``detect_elements`` (None at the top level); ``depth`` its nesting level; ``fill`` is a
    container's own background colour, or the ink colour of text and images; ``content`` is
    the union of a container's children, from which paddings are measured; ``lines`` and
    ``line_height`` describe a text block (line count, ink height of its first line).
    """

    box: Box
    kind: str
    depth: int = 0
    parent: int | None = None
    fill: tuple[int, int, int] | None = None
    content: Box | None = None
    lines: int = 1  # text: how many lines the block holds
    line_height: int = 0  # text: the median ink height of its lines

    @property
    def is_container(self) -> bool:
        return self.kind in CONTAINER_KINDS


@dataclass
class _Node:
    box: Box
    kind: str
    fill: tuple[int, int, int] | None = None
    children: list[_Node] | None = None
    lines: int = 1
    line_height: int = 0
    count: int = 0  # ink components (glyphs) inside
    solid: float = 0.0  # how many of them are bars: solid rectangles taller than a glyph
    pixels: int = 0  # ink pixels inside


def _dominant_colour(pixels: np.ndarray) -> tuple[int, int, int]:
    """The most common colour of an Nx3 uint8 array (sampled when large)."""
    if len(pixels) > 20000:
        pixels = pixels[:: len(pixels) // 20000]
    packed = (
        pixels[:, 0].astype(np.uint32) << 16 | pixels[:, 1].astype(np.uint32) << 8 | pixels[:, 2]
    )
    values, counts = np.unique(packed, return_counts=True)
    v = int(values[np.argmax(counts)])
    return (v >> 16 & 255, v >> 8 & 255, v & 255)


def _differs(
    rgb: np.ndarray, colour: tuple[int, int, int], tolerance: int = TOLERANCE
) -> np.ndarray:
    d = cv2.absdiff(np.ascontiguousarray(rgb), np.full(rgb.shape, colour, np.uint8))
    return np.maximum(np.maximum(d[..., 0], d[..., 1]), d[..., 2]) > tolerance


# OpenCV's morphology and flood fill are an order of magnitude faster than scipy's on
# full-screen masks, which matters at 4K.
_K3 = np.ones((3, 3), np.uint8)


def _erode(mask: np.ndarray, iterations: int) -> np.ndarray:
    out = cv2.erode(
        mask.view(np.uint8),
        _K3,
        iterations=iterations,
        borderType=cv2.BORDER_CONSTANT,
        borderValue=0,
    )
    return out.view(bool)


def _fill_holes(mask: np.ndarray, cut_off: bool = False) -> np.ndarray:
    """The mask with every region it encloses filled in; ``cut_off``: the bottom edge is the
    screen's, and what the mask encloses down to it (a card below the fold) is enclosed."""
    # padded with outside so the fill reaches every region open to the edge
    outside = np.pad(~mask, 1, constant_values=True).view(np.uint8) * np.uint8(255)
    if cut_off:
        outside[-1, 1:-1] = 0
    cv2.floodFill(outside, None, (0, 0), 0)
    return mask | (outside[1:-1, 1:-1] > 0)


def _is_rectangle(comp: np.ndarray, cut_off: bool = False) -> bool:
    """Whether a component's straight sides are all drawn (a card, button or input outline);
    ``cut_off``: its bottom is the screen's edge, which stands for its bottom side."""
    h, w = comp.shape
    if h < MIN_CONTAINER or w < MIN_CONTAINER:
        return False
    # the middle of each side: rounded corners (radius up to ~20% of the side) are skipped
    ys, xs = slice(h // 5, h - h // 5), slice(w // 5, w - w // 5)
    sides = (comp[0, xs], comp[ys, 0], comp[ys, -1]) + (() if cut_off else (comp[-1, xs],))
    return all(s.size and s.mean() > 0.95 for s in sides)


def _colours(pixels: np.ndarray, k: int) -> list[tuple[int, int, int]]:
    """The k most common colours of an Nx3 uint8 array (sampled when large)."""
    if len(pixels) > 20000:
        pixels = pixels[:: len(pixels) // 20000]
    packed = (
        pixels[:, 0].astype(np.uint32) << 16 | pixels[:, 1].astype(np.uint32) << 8 | pixels[:, 2]
    )
    values, counts = np.unique(packed, return_counts=True)
    top = values[np.argsort(-counts)[:k]]
    return [(int(v) >> 16 & 255, int(v) >> 8 & 255, int(v) & 255) for v in top]


def _encloses(comp: np.ndarray) -> bool:
    """Whether a component holds more area in its holes than it covers (a background round
    cards, not a side bar joined to a top bar)."""
    px = int(comp.sum())
    return int(_fill_holes(comp).sum()) - px > px


def _laid_out(ink: np.ndarray, area: int) -> tuple[float, float] | None:
    """Shares of the region that the rectangles this ink forms cover (cards, bars, panels):
    all of them, and the largest; None when one shapeless blob covers or spans much of the
    region: then the colour is not the background."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink.view(np.uint8), connectivity=8)
    covered = largest = 0
    for i in range(1, n):
        x, y, w, h, px = stats[i]
        if w < MIN_CONTAINER or h < MIN_CONTAINER or w * h < 0.002 * area:
            continue
        if _is_rectangle(labels[y : y + h, x : x + w] == i):
            covered += w * h
            largest = max(largest, w * h)
        elif (
            px > 0.7 * area
            or (px > 0.3 * area and px < 0.9 * w * h)
            or (px > 0.1 * area and _encloses(labels[y : y + h, x : x + w] == i))
        ):
            # a blob covering much of the region, or a content background seen round the
            # cards it holds (sneat's white cards on light grey beside a white sidebar); a
            # dense blob that is not a rectangle is cards joined by what overlaps them (a
            # floating button)
            return None
    return covered / max(area, 1), largest / max(area, 1)


def _background(rgb, region, band, bg, ink):
    """The colour the region's containers sit on.

    The colour lining the edge usually is it, but a page whose edge is mostly a dark sidebar
    and a top bar is lined by them, and the content's own background then reads as one
    shapeless blob of "ink" holding every card. Then the candidate colour (of the edge or of
    the whole region) whose ink falls into rectangles is taken instead.
    """
    area = int(region.sum())
    if _laid_out(ink, area) is not None:
        return bg, ink
    best, best_ink, best_score = bg, ink, 0.0
    cands = _colours(rgb[band if band.any() else region], 3) + _colours(rgb[region], 3)
    for c in dict.fromkeys(cands):
        if c == bg:
            continue
        c_ink = _differs(rgb, c) & region
        shares = _laid_out(c_ink, area)
        # one rectangle filling the region is this colour's outline, not a layout
        if shares is not None and best_score < shares[0] and shares[1] < 0.9:
            best, best_ink, best_score = c, c_ink, shares[0]
    return best, best_ink


def _segment(rgb: np.ndarray, region: np.ndarray, origin: tuple[int, int], depth: int, fold: int):
    """Children of one region (a boolean mask over ``rgb``, which is already cropped);
    ``fold`` is the screen's bottom row, in screen px."""
    # the background is what lines the region's edge: the largest colour inside can be cards
    band = region & ~_erode(region, 3)
    bg = _dominant_colour(rgb[band if band.any() else region])
    ink = _differs(rgb, bg) & region
    if depth <= 1:
        bg, ink = _background(rgb, region, band, bg, ink)
    # a photo or gradient has no flat background: nothing inside it is laid out
    flat = 1 - ink.sum() / max(int(region.sum()), 1)
    if depth > 0 and flat < MIN_FLAT:
        return bg, [], flat
    labels, n = ndimage.label(ink, structure=np.ones((3, 3), bool))
    if n == 0:
        return bg, [], flat
    slices = ndimage.find_objects(labels)
    ox, oy = origin
    containers: list[_Node] = []
    taken = np.zeros(n + 1, bool)
    if depth > 0:
        # a rounded corner leaves slivers of the outside along the inner edge (larger on a 2x
        # screenshot): small ink touching the edge band is not content
        small = 0.2 * min(rgb.shape[0], rgb.shape[1])
        for i in np.unique(labels[band & ink]):
            sl = slices[i - 1]
            if i and max(sl[0].stop - sl[0].start, sl[1].stop - sl[1].start) < small:
                taken[i] = True
    claimed = np.zeros(ink.shape, bool)  # pixels of cards cut out of a larger blob
    for i, sl in enumerate(slices, start=1):
        if sl is None:
            continue
        hh, ww = sl[0].stop - sl[0].start, sl[1].stop - sl[1].start
        if hh < MIN_CONTAINER or ww < MIN_CONTAINER or depth >= MAX_DEPTH:
            continue
        comp = labels[sl] == i
        # a card cut off by the bottom of the screen has no bottom side: its sides run into
        # the fold, which closes it
        cut_off = oy + sl[0].stop >= fold - 3
        big = min(hh, ww) >= 3 * MIN_CONTAINER
        # a card whose shadow or neighbour (a decoration, a banner it overlaps, a floating
        # button) touches it is one blob with them: find the flat rectangles inside (a
        # shadow spread evenly round a card outlines a rectangle too, whose inside is the
        # card, not flat: an "image")
        cut: list[tuple[tuple[slice, slice], np.ndarray, bool]] = []
        if _is_rectangle(comp, cut_off):
            node = _container(rgb, sl, comp, origin, depth, bg, fold)
            if node is None:
                continue  # a filled shape with nothing inside (a chart bar, a swatch): ink
            if node.kind == "image" and big:
                cut = _cards_within(rgb[sl], comp, bg, cut_off, again=True)
            if not cut:
                containers.append(node)
                taken[i] = True
                # whatever this level saw inside the container belongs to the container now
                taken[np.unique(labels[sl][_fill_holes(comp, cut_off)])] = True
                continue
        elif big:
            cut = _cards_within(rgb[sl], comp, bg, cut_off)
        bites: list[np.ndarray] = []
        for rsl, shape, bitten in cut:
            csl = (
                slice(sl[0].start + rsl[0].start, sl[0].start + rsl[0].stop),
                slice(sl[1].start + rsl[1].start, sl[1].start + rsl[1].stop),
            )
            node = _container(rgb, csl, shape, origin, depth, bg, fold)
            if node is None:
                continue
            if bitten and not any(k.kind == "text" for k in node.children or []):
                continue  # a bitten card holds words; a chart's filled area does not
            containers.append(node)
            # and the shadow's fringe with it, or it would read as a frame-shaped image
            claimed[csl] |= shape
            placed = np.zeros(comp.shape, np.uint8)
            placed[rsl] = shape
            near = cv2.dilate(placed, _K3, iterations=6).view(bool)
            # a soft shadow reaches further, in colours close to the background
            soft = cv2.dilate(placed, _K3, iterations=48).view(bool)
            soft &= ~_differs(rgb[sl], bg, 8 * TOLERANCE)
            claimed[sl] |= (near | soft) & comp
            inside = labels[csl][shape]
            taken[np.unique(inside[inside != i])] = True
            if bitten:
                bites.append(placed)
        # what bites a card and pokes out of it (an icon tile over its top edge) is the
        # card's, not an element in the gap beside it
        for placed in bites:
            rest = (comp & ~claimed[sl]).view(np.uint8)
            n_rest, lab_rest, stats_rest, _ = cv2.connectedComponentsWithStats(rest)
            edge = cv2.dilate(placed, _K3, iterations=8).view(bool)  # past the near band
            for j in np.unique(lab_rest[edge & (lab_rest > 0)]):
                if stats_rest[j, 4] < 0.25 * int(placed.sum()):
                    claimed[sl] |= lab_rest == j
    for node in containers:
        if node.kind == "card":
            node.kind = _container_kind(node, bg, rgb.shape, origin, depth)
    # containers inside containers (a ring's contents seen at this level) were re-read inside
    containers = [
        c for c in containers if not any(o is not c and _contains(o.box, c.box) for o in containers)
    ]
    ink_mask = ink & ~taken[labels] & ~claimed
    return bg, _table_rows(containers + _group_ink(rgb, ink_mask, origin)), flat


def _container(rgb, sl, comp, origin, depth, bg, fold) -> _Node | None:
    """The container a rectangular component outlines, read again inside; None for a filled
    shape with nothing inside (a chart bar, a swatch: ink)."""
    ox, oy = origin
    shape = _fill_holes(comp, oy + sl[0].stop >= fold - 3)
    # the inside, away from the outline and its anti-aliased edge
    inner = _erode(shape, 2)
    box = Box(
        int(ox + sl[1].start), int(oy + sl[0].start), int(ox + sl[1].stop), int(oy + sl[0].stop)
    )
    sub = rgb[sl]
    if inner.any():
        fill, kids, inner_flat = _segment(sub, inner, (box.x0, box.y0), depth + 1, fold)
    else:
        fill, kids, inner_flat = bg, [], 1.0
    ring = comp.mean() < 0.5
    if inner_flat < MIN_FLAT:
        return _Node(box, "image", None, None)
    if not kids and not ring:
        return None
    if len(kids) == 1 and kids[0].kind == "card" and _hugs(box, kids[0].box):
        return kids[0]  # a border or a shadow's edge round one card: that card
    if not ring:
        box = _without_shadow(sub, box, fill)
    return _Node(box, "card", fill, kids)


MAX_SHADOW = 8


def _without_shadow(sub: np.ndarray, box: Box, fill) -> Box:
    """A filled box less the shadow drawn past its sides.

    Lines along the box's sides with little of the fill colour in them are shadow (a
    button's coloured glow, a card's drop shadow), at most ``MAX_SHADOW`` px. The frame all
    four sides share is a border and stays: the box is what the designer drew.
    """
    same = ~_differs(sub, fill, 2 * TOLERANCE)
    if same.mean() < 0.5:
        return box  # a gradient: no one fill colour to measure by
    rows, cols = same.mean(axis=1) >= 0.5, same.mean(axis=0) >= 0.5

    def lead(v: np.ndarray) -> int:
        hit = np.flatnonzero(v[: MAX_SHADOW + 1])
        return int(hit[0]) if hit.size else 0

    sides = [lead(rows), lead(rows[::-1]), lead(cols), lead(cols[::-1])]
    # a border runs round all four sides; what one side has beyond it is shadow
    t, b, left, r = (v - min(sides) for v in sides)
    if box.width - left - r < MIN_CONTAINER:
        return box
    if box.height - t - b < MIN_CONTAINER:
        return box
    return Box(box.x0 + left, box.y0 + t, box.x1 - r, box.y1 - b)


def _hugs(outer: Box, inner: Box, px: int = 4) -> bool:
    return (
        inner.x0 - outer.x0 <= px
        and inner.y0 - outer.y0 <= px
        and outer.x1 - inner.x1 <= px
        and outer.y1 - inner.y1 <= px
    )


def _straight(shape: np.ndarray, cut_off: bool = False) -> bool:
    """Whether every side is drawn along most of its length (a floating button may notch it).

    Stricter than ``_is_rectangle``, for shapes cut out of a blob, where two overlapping
    boxes (a banner and the card below it) can pass the looser test."""
    h, w = shape.shape
    ys, xs = slice(h // 10, h - h // 10), slice(w // 10, w - w // 10)
    sides = (shape[0, xs], shape[ys, 0], shape[ys, -1]) + (() if cut_off else (shape[-1, xs],))
    return all(s.size and s.mean() > 0.85 for s in sides)


def _occluded(rgb: np.ndarray, shape: np.ndarray, bg) -> bool:
    """Whether a shape is a rectangle with a bite taken by something drawn over it (a
    floating button across a card's corner): it fills nearly all of its box, and what it
    misses there is not the background (a shape cut by the background is not a card)."""
    if shape.mean() < 0.85:
        return False
    # rounded corners and the soft shadow round what bites show the background a little
    if (~_differs(rgb, bg) & ~shape).mean() >= 0.03:
        return False
    # the bite is one compact piece at most half the box across (a button on a corner),
    # not a wave along a whole side (a chart's filled area under its line)
    n, _, stats, _ = cv2.connectedComponentsWithStats((~shape).view(np.uint8), connectivity=8)
    if n < 2:
        return True
    _x, _y, w, h, px = stats[1 + int(np.argmax(stats[1:, 4]))]
    big = px >= 0.5 * int(stats[1:, 4].sum())
    return bool(big and w <= 0.6 * shape.shape[1] and h <= 0.6 * shape.shape[0])


def _cards_within(
    rgb: np.ndarray, comp: np.ndarray, bg, cut_off: bool = False, again: bool = False
) -> list[tuple[tuple[slice, slice], np.ndarray, bool]]:
    """Flat-filled rectangles inside a component that is not one (slices into ``comp``).

    Tried in turn: the blob read at a coarser tolerance (a soft shadow fades into the
    background, the card does not), then each of its two main colours (a card overlapping a
    banner or touching a decoration of another colour). ``cut_off``: the blob's bottom is the
    screen's; ``again``: the blob was just read as one image, and is not a candidate itself.
    """
    cands: list[tuple[int, tuple[slice, slice], np.ndarray, bool]] = []
    k = np.ones((5, 5), np.uint8)
    masks = [_differs(rgb, bg, 8 * TOLERANCE) & comp]
    masks += [~_differs(rgb, c) & comp for c in _colours(rgb[comp], 2)]
    for mask in masks:
        if mask.sum() < 0.1 * comp.sum():
            continue
        # closed first: a 1 px divider across a card does not cut it in two
        mask = cv2.morphologyEx(mask.view(np.uint8), cv2.MORPH_CLOSE, _K3).view(bool) & comp
        solid = cv2.morphologyEx(_fill_holes(mask, cut_off).view(np.uint8), cv2.MORPH_OPEN, k)
        n, lab, stats, _ = cv2.connectedComponentsWithStats(solid, connectivity=8)
        for j in range(1, n):
            x, y, w, h, _px = stats[j]
            if w < 3 * MIN_CONTAINER or h < 3 * MIN_CONTAINER:
                continue
            if again and w * h >= 0.9 * comp.size:
                # the blob itself, what was just read as one image (a card whose light inner
                # boxes cover most of it): the boxes inside are what to find
                continue
            rsl = (slice(y, y + h), slice(x, x + w))
            shape = lab[rsl] == j
            low = cut_off and y + h >= comp.shape[0]  # its bottom is the screen's
            if _is_rectangle(shape, low) and _straight(shape, low):
                cands.append((int(w * h), rsl, shape, False))
            elif _occluded(rgb[rsl], shape, bg):
                cands.append((int(w * h), rsl, np.ones_like(shape), True))
    # the largest first: what lies inside one (an avatar in a card) is read inside it
    out: list[tuple[tuple[slice, slice], np.ndarray, bool]] = []
    found = np.zeros(comp.shape, bool)
    for _area, rsl, shape, bitten in sorted(cands, key=lambda c: -c[0]):
        if not found[rsl].any():  # one card, seen again in another colour
            out.append((rsl, shape, bitten))
            found[rsl] = True
    return out


def _table_rows(nodes: list[_Node]) -> list[_Node]:
    """Cells between evenly stacked divider lines become rows (a table's)."""
    lines = sorted(
        (n for n in nodes if n.kind == "divider" and n.box.width > 4 * n.box.height),
        key=lambda n: n.box.y0,
    )
    if len(lines) < 2:
        return nodes
    x0 = min(n.box.x0 for n in lines)
    x1 = max(n.box.x1 for n in lines)
    lines = [n for n in lines if n.box.width >= 0.8 * (x1 - x0)]
    if len(lines) < 2:
        return nodes
    pitch = int(np.median(np.diff([n.box.y0 for n in lines])))
    edges = [lines[0].box.y0 - pitch] + [n.box.y0 for n in lines] + [lines[-1].box.y1 + pitch]
    rows: list[_Node] = []
    used: set[int] = set()
    for top, bottom in zip(edges, edges[1:], strict=False):
        cells = [
            n
            for n in nodes
            if n.kind in ("text", "image", "button", "input")
            and x0 <= n.box.x0
            and n.box.x1 <= x1
            and top <= n.box.center[1] < bottom
            and id(n) not in used
        ]
        if len(cells) < 2:
            continue
        used.update(id(c) for c in cells)
        y0 = max(top, min(c.box.y0 for c in cells) - pitch)
        y1 = min(bottom, max(c.box.y1 for c in cells) + pitch)
        rows.append(_Node(Box(x0, y0, x1, y1), "row", None, cells))
    if len(rows) < 3:
        return nodes
    return [n for n in nodes if id(n) not in used] + rows


def _contains(outer: Box, inner: Box) -> bool:
    return (
        outer.x0 <= inner.x0
        and outer.y0 <= inner.y0
        and inner.x1 <= outer.x1
        and inner.y1 <= outer.y1
        and outer != inner
    )


def _container_kind(node: _Node, bg, shape, origin, depth) -> str:
    b = node.box
    h, w = shape[:2]
    ox, oy = origin
    if depth == 0 and (b.x0 - ox <= 0 or b.y0 - oy <= 0 or b.x1 - ox >= w or b.y1 - oy >= h):
        if b.height > h * 0.6 or b.width > w * 0.6:
            return "panel"
    kids = node.children or []
    texts = [k for k in kids if k.kind == "text"]
    if b.height > 96 or b.width < b.height:
        return "card"
    if not kids:
        return "input" if b.width > 3 * b.height else "card"
    if len(kids) > 2 or not texts:
        return "card"
    cx = (min(k.box.x0 for k in kids) + max(k.box.x1 for k in kids)) / 2
    centred = abs(cx - (b.x0 + b.x1) / 2) <= 0.1 * b.width
    # a button centres its label; an input starts its text (or placeholder) at its left
    if not centred and b.width > 3 * b.height and b.height <= 72:
        return "input"
    if b.width > 480:
        return "card"
    return "button"


def _group_ink(rgb: np.ndarray, ink: np.ndarray, origin) -> list[_Node]:
    """Glyphs into lines and lines into text blocks; other ink into images."""
    labels, n = ndimage.label(ink, structure=np.ones((3, 3), bool))
    if n == 0:
        return []
    slices = ndimage.find_objects(labels)
    heights = np.array([s[0].stop - s[0].start for s in slices])
    widths = np.array([s[1].stop - s[1].start for s in slices])
    pixels = np.bincount(labels.ravel(), minlength=n + 1)[1:]
    # glyphs are strokes; chart bars and swatches are solid rectangles
    solidity = pixels / np.maximum(heights * widths, 1)
    # an "l" or an "i" stem is solid too, but no taller than a glyph
    glyph_like = (heights <= 64) & (widths <= 96)
    glyph_h = float(np.median(heights[glyph_like])) if glyph_like.any() else 10.0
    bar = (solidity > 0.9) & (np.maximum(heights, widths) > 2.2 * glyph_h)
    reach = max(3, int(round(1.3 * glyph_h)))
    closed = cv2.dilate(ink.view(np.uint8), np.ones((3, reach), np.uint8)).view(bool)
    groups, m = ndimage.label(closed)
    ox, oy = origin
    lines: list[_Node] = []
    for j, sl in enumerate(ndimage.find_objects(groups), start=1):
        if sl is None:
            continue
        member = (groups[sl] == j) & ink[sl]
        for part in _parts(rgb[sl], member, labels[sl], slices, sl, glyph_h):
            ys, xs = np.nonzero(part)
            if len(ys) < 4 or (np.ptp(ys) < 4 and np.ptp(xs) < 4):
                continue  # a speck: noise, or a rounded corner's anti-aliasing left inside
            box = Box(
                ox + sl[1].start + int(xs.min()),
                oy + sl[0].start + int(ys.min()),
                ox + sl[1].start + int(xs.max()) + 1,
                oy + sl[0].start + int(ys.max()) + 1,
            )
            members = np.unique(labels[sl][part])
            members = members[members > 0]
            colour = _dominant_colour(rgb[sl][part])
            node = _Node(box, "ink", colour, None, 1, box.height)
            node.count, node.pixels = len(members), len(ys)
            node.solid = float(bar[members - 1].sum())
            lines.append(node)
    lines = _join_words(lines)
    for node in lines:
        box = node.box
        bars = node.solid / max(node.count, 1)
        if box.height <= 2 or box.width <= 2:
            node.kind = "divider" if max(box.width, box.height) >= 4 * glyph_h else "image"
        elif box.height > max(4 * glyph_h, 64):
            node.kind = "image"  # no line of text is that tall: a shape, or ink run together
        elif node.count >= 2 and box.width >= 1.2 * box.height and bars < 0.5:
            node.kind = "text"
        elif box.height <= 2 * glyph_h and box.width >= 1.5 * box.height and bars < 0.5:
            node.kind = "text"
        else:
            node.kind = "image"
    return _merge_lines(lines)


def _parts(rgb, member, labels, slices, sl, glyph_h: float) -> list[np.ndarray]:
    """A line's ink less what leads it and is not a word (an avatar, a check mark, a toggle
    set before its label), which is a part of its own; the rest split at blank rows (two
    lines of a name beside one avatar are two lines).

    What leads is told by a gap wider than a word space (0.8 of a glyph's height, and twice
    any other gap in the line) and by looking unlike the words: another colour, or taller.
    """
    ids = np.unique(labels[member])
    ids = ids[ids > 0]
    if len(ids) < 2:
        return [member]
    spans = sorted(
        (slices[k - 1][1].start - sl[1].start, slices[k - 1][1].stop - sl[1].start) for k in ids
    )
    runs = [list(spans[0])]  # the line's ink as runs of overlapping glyph columns
    for x0, x1 in spans[1:]:
        if x0 <= runs[-1][1]:
            runs[-1][1] = max(runs[-1][1], x1)
        else:
            runs.append([x0, x1])
    if len(runs) < 2:
        return [member]
    gaps = [b[0] - a[1] for a, b in zip(runs, runs[1:], strict=False)]
    lead, rest = member.copy(), member.copy()
    lead[:, runs[0][1] :] = False
    rest[:, : runs[1][0]] = False
    # a word space is about half a glyph's height; what sets an icon apart is wider
    wide = gaps[0] >= 0.8 * glyph_h and gaps[0] >= 2 * max(gaps[1:], default=0)
    if gaps[0] < 2:
        return [member]
    lines = _rows_apart(rest)
    # taller than each line beside it (an avatar beside a name set on two lines)
    tallest = max(int(np.ptp(np.flatnonzero(p.any(axis=1)))) + 1 for p in lines)
    taller = np.ptp(np.flatnonzero(lead.any(axis=1))) + 1 >= 1.4 * tallest
    tint = np.abs(
        np.array(_dominant_colour(rgb[lead]), int) - np.array(_dominant_colour(rgb[rest]), int)
    ).max()
    # an avatar (taller, coloured) is told apart even by a narrow gap
    if (wide and (taller or tint > 48)) or (taller and tint > 48):
        return [lead, *lines]
    return [member]


def _rows_apart(mask: np.ndarray) -> list[np.ndarray]:
    """The mask split at its blank rows into lines; a band much shorter than the tallest (an
    "i"'s dot over its stem, an accent) stays with the band below it."""
    rows = np.asarray(mask.any(axis=1)).tolist()
    bands: list[list[int]] = []
    start: int | None = None
    for y, on in enumerate([*rows, False]):
        if on and start is None:
            start = y
        elif not on and start is not None:
            bands.append([start, y])
            start = None
    tallest = max(b - a for a, b in bands)
    merged: list[list[int]] = []
    for band in bands:
        if merged and merged[-1][1] - merged[-1][0] < 0.5 * tallest:
            merged[-1][1] = band[1]  # a dot or an accent: part of the line below it
        else:
            merged.append(band)
    if len(merged) > 1 and merged[-1][1] - merged[-1][0] < 0.5 * tallest:
        last = merged.pop()  # a mark under the last line (a cedilla) joins it
        merged[-1][1] = last[1]
    out = []
    for a, b in merged:
        part = np.zeros_like(mask)
        part[a:b] = mask[a:b]
        out.append(part)
    return out


def _icon_beside(a: _Node, b: _Node) -> bool:
    """Whether one of two pieces is a lone mark of another colour than the other's words (a
    check mark before a feature): an icon, not a word of the line."""
    if a.fill is None or b.fill is None or min(a.count, b.count) != 1 or max(a.count, b.count) < 2:
        return False
    return max(abs(int(x) - int(y)) for x, y in zip(a.fill, b.fill, strict=True)) > 48


def _join_words(nodes: list[_Node]) -> list[_Node]:
    """Join pieces of one line the glyph-sized gap closing missed (words of a large heading)."""
    nodes.sort(key=lambda n: n.box.x0)
    merged = True
    while merged:
        merged = False
        for i, a in enumerate(nodes):
            for b in nodes[i + 1 :]:
                if b.box.x0 - a.box.x1 > 0.7 * max(a.box.height, b.box.height):
                    break
                overlap = min(a.box.y1, b.box.y1) - max(a.box.y0, b.box.y0)
                ha, hb = a.box.height, b.box.height
                if overlap >= 0.6 * min(ha, hb) and 0.6 <= ha / max(hb, 1) <= 1.67:
                    if _icon_beside(a, b):
                        continue
                    a.box = a.box.union(b.box)
                    a.count += b.count
                    a.pixels += b.pixels
                    a.solid += b.solid
                    a.line_height = a.box.height
                    nodes.remove(b)
                    merged = True
                    break
            if merged:
                break
    return nodes


def _merge_lines(lines: list[_Node]) -> list[_Node]:
    """Stack text lines of one size, left-aligned and close together, into blocks."""
    lines.sort(key=lambda n: (n.box.y0, n.box.x0))
    blocks: list[_Node] = []
    for ln in lines:
        if ln.kind == "text":
            for b in reversed(blocks[-6:]):
                if b.kind != "text":
                    continue
                gap = ln.box.y0 - b.box.y1
                lh = b.line_height
                if (
                    0 <= gap <= 0.9 * min(lh, ln.line_height)
                    and abs(ln.box.x0 - b.box.x0) <= 3
                    and 0.8 <= ln.line_height / max(lh, 1) <= 1.25
                ):
                    b.box = b.box.union(ln.box)
                    b.lines += 1
                    break
            else:
                blocks.append(ln)
        else:
            blocks.append(ln)
    return blocks


def _reading_order(nodes: list[_Node]) -> list[_Node]:
    """XY-cut: split at empty horizontal bands into rows, else at empty vertical bands into
    columns (a sidebar before the main area), recursively; left to right, top to bottom."""
    if len(nodes) <= 1:
        return list(nodes)
    for axis in ("y", "x"):
        lo = (lambda n: n.box.y0) if axis == "y" else (lambda n: n.box.x0)
        hi = (lambda n: n.box.y1) if axis == "y" else (lambda n: n.box.x1)
        ordered = sorted(nodes, key=lo)
        groups, end = [[ordered[0]]], hi(ordered[0])
        for n in ordered[1:]:
            if lo(n) >= end:
                groups.append([n])
            else:
                groups[-1].append(n)
            end = max(end, hi(n))
        if len(groups) > 1:
            if axis == "x":
                # peel off only the leftmost column: the rest may still split into rows
                groups = [groups[0], [n for g in groups[1:] for n in g]]
            return [n for g in groups for n in _reading_order(g)]
    return sorted(nodes, key=lambda n: (n.box.y0, n.box.x0))


def detect_elements(screen: Screen) -> list[Element]:
    """UI elements of a screen, parents before children, in reading order."""
    rgb = screen.rgb
    region = np.ones(rgb.shape[:2], bool)
    _, nodes, _ = _segment(rgb, region, (0, 0), 0, rgb.shape[0])
    out: list[Element] = []

    def emit(ns: list[_Node], parent: int | None, depth: int):
        for n in _reading_order(ns):
            kids = n.children or []
            content = None
            if kids:
                content = kids[0].box
                for k in kids[1:]:
                    content = content.union(k.box)
            out.append(
                Element(n.box, n.kind, depth, parent, n.fill, content, n.lines, n.line_height)
            )
            if kids:
                emit(kids, len(out) - 1, depth + 1)

    emit(nodes, None, 0)
    return out


def children_of(elements: list[Element], parent: int | None) -> list[int]:
    """Indices of the elements whose parent is ``parent`` (None: the top level)."""
    return [i for i, e in enumerate(elements) if e.parent == parent]


def mark_elements(screen: Screen, limit: int = 40) -> list[Element]:
    """At most ``limit`` non-overlapping elements worth numbering for the vision model.

    Starts from the top-level elements and opens the largest container into its children
    while the count stays within the limit; buttons and inputs are never opened, dividers
    are never marked. Returned in reading order.
    """
    elements = screen.elements
    kids: dict[int | None, list[int]] = {}
    for i, e in enumerate(elements):
        if e.kind != "divider":
            kids.setdefault(e.parent, []).append(i)
    chosen = list(kids.get(None, []))
    while True:
        openable = [i for i in chosen if elements[i].kind in ("panel", "card") and kids.get(i)]
        openable.sort(key=lambda i: -elements[i].box.area)
        for i in openable:
            if len(chosen) - 1 + len(kids[i]) <= limit:
                chosen.remove(i)
                chosen.extend(kids[i])
                break
        else:
            break
    chosen = chosen[:limit] if len(chosen) > limit else chosen
    return [elements[i] for i in sorted(chosen)]
