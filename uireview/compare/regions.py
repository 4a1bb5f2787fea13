"""Changed pixels grouped into boxed regions, each in the frame of the image it is drawn on.

Clusters are found on an 8 x 8 px grid (which also merges near neighbours) and labelled by
hand; a region's kind says whether ink was added, removed or changed there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from uireview.boxes import Box

Frame = Literal["before", "after"]

__all__ = ["Frame", "Region", "content_box", "group", "kind_of", "outside"]


@dataclass(frozen=True)
class Region:
    """A group of changed pixels, boxed in the pixels of the image named by ``frame``.

    kind: "changed", "added" (new ink on a plain area), "removed" (ink gone), "inserted"
    (rows that exist only in the after image), "deleted" (rows only the before image has; boxed
    on the before image), "moved" (content that only moved; pixels = pixels the move explains)
    or "reflowed" (a block that moved sideways and whose content also changed inside it).
    ``counterpart`` is the same place in the other image (mapped through the shifts), if any.
    """

    box: Box
    pixels: int
    kind: str
    frame: Frame = "after"
    counterpart: Box | None = None


_CELL = 8  # changed pixels are grouped on an 8 x 8 px grid, which also merges near neighbours


def group(
    index: np.ndarray,
    width: int,
    height: int,
    min_pixels: int,
    max_regions: int,
    before: np.ndarray,
    after: np.ndarray,
) -> list[Region]:
    """Boxes around clusters of changed pixels: close clusters merged, specks dropped."""
    if not len(index):
        return []
    ys, xs = index // width, index % width
    gh, gw = -(-height // _CELL), -(-width // _CELL)
    cells = np.zeros((gh, gw), dtype=bool)
    cells[ys // _CELL, xs // _CELL] = True
    reach = 1
    grown = _dilate(cells, reach)
    while True:
        labels, count = _label(grown)
        if count <= max_regions or reach >= max(gh, gw):
            break
        # a cross dilated r times is the L1 ball of r; r more makes 2r: grow on from the last
        grown = _dilate(grown, reach)
        reach *= 2
    label = labels[ys // _CELL, xs // _CELL]
    pixels = np.bincount(label, minlength=count + 1)
    order = np.argsort(label, kind="stable")
    bounds = np.searchsorted(label[order], np.arange(1, count + 2))
    regions = []
    for k in range(1, count + 1):
        if pixels[k] < min_pixels:
            continue
        sel = order[bounds[k - 1] : bounds[k]]
        box = Box(
            int(xs[sel].min()), int(ys[sel].min()), int(xs[sel].max()) + 1, int(ys[sel].max()) + 1
        )
        regions.append(Region(box, int(pixels[k]), kind_of(before, after, box)))
    return regions


def _dilate(mask: np.ndarray, steps: int) -> np.ndarray:
    """Grow a bool grid by `steps` cells in the four side directions (L1 distance)."""
    out = mask.copy()
    for _ in range(steps):
        prev = out.copy()
        out[1:] |= prev[:-1]
        out[:-1] |= prev[1:]
        out[:, 1:] |= prev[:, :-1]
        out[:, :-1] |= prev[:, 1:]
    return out


def _label(mask: np.ndarray) -> tuple[np.ndarray, int]:
    """8-connected components of a small bool grid, numbered 1.. in raster order of their first
    cell (as scipy.ndimage.label numbers them); 0 is background.

    By hand because scipy.ndimage costs 0.3 s to import and the grid is small: cells become
    row runs, runs touching a run of the next row (diagonals included) are joined, and labels
    settle by min-propagation with pointer jumping.
    """
    h, w = mask.shape
    padded = np.zeros((h, w + 2), dtype=bool)
    padded[:, 1:-1] = mask
    flat = padded.ravel()
    edges = np.diff(flat.view(np.int8))
    starts = np.flatnonzero(edges == 1) + 1  # flat index of each run's first cell
    ends = np.flatnonzero(edges == -1) + 1  # one past its last cell
    n = len(starts)
    if n == 0:
        return np.zeros(mask.shape, dtype=np.int64), 0
    run_start = np.zeros(flat.shape, dtype=np.int64)
    run_start[starts] = 1
    run_of = np.cumsum(run_start) - 1
    row = starts // (w + 2)
    s, e = starts % (w + 2), ends - row * (w + 2)  # columns in padded coordinates, e exclusive
    # a run of row y+1 touches the runs of row y with start <= its end and end >= its start
    key_s = row * (w + 2) + s
    key_e = row * (w + 2) + e
    above = row - 1
    lo = np.searchsorted(key_e, above * (w + 2) + s, side="left")
    hi = np.searchsorted(key_s, above * (w + 2) + e, side="right")
    counts = np.maximum(hi - lo, 0)
    u = np.repeat(np.arange(n), counts)
    first = np.repeat(lo - np.cumsum(counts) + counts, counts)
    v = first + np.arange(len(u))
    # every root hooks onto the smaller root of each edge, then paths are halved to roots;
    # a component's root ends as its first run, so labels come out in raster order
    parent = np.arange(n)
    while len(u):
        ru, rv = parent[u], parent[v]
        if (ru == rv).all():
            break
        low = np.minimum(ru, rv)
        np.minimum.at(parent, ru, low)
        np.minimum.at(parent, rv, low)
        while True:
            jumped = parent[parent]
            if (jumped == parent).all():
                break
            parent = jumped
    roots, comp = np.unique(parent, return_inverse=True)
    labels = np.where(flat, comp[run_of] + 1, 0).reshape(h, w + 2)[:, 1:-1]
    return labels, len(roots)


def kind_of(before: np.ndarray, after: np.ndarray, box: Box) -> str:
    """ "added" if the before area was plain and the after one has content, "removed" if the
    reverse, else "changed"."""
    if box.y1 > before.shape[0] or box.x1 > before.shape[1]:
        return "changed"

    # a small margin of surroundings, so a solid new block still reads as content on a plain area
    x0, y0 = max(box.x0 - 2, 0), max(box.y0 - 2, 0)
    x1, y1 = min(box.x1 + 2, before.shape[1]), min(box.y1 + 2, before.shape[0])

    was, now = _plain(before, x0, y0, x1, y1), _plain(after, x0, y0, x1, y1)
    if was and not now:
        return "added"
    if now and not was:
        return "removed"
    return "changed"


_LEVELS = np.arange(256, dtype=np.int64)


def _plain(img: np.ndarray, x0: int, y0: int, x1: int, y1: int) -> bool:
    """Whether every RGB channel of the area has a standard deviation under 2.

    From each channel's histogram, in integers: n * sum(v^2) - sum(v)^2 < 4 n^2 is var < 4,
    six times faster than a float std over the crop.
    """
    crop = img[y0:y1, x0:x1]
    n = crop.shape[0] * crop.shape[1]
    for k in range(3 if n else 0):
        counts = np.bincount(crop[..., k].ravel(), minlength=256)
        s1, s2 = int(counts @ _LEVELS), int(counts @ (_LEVELS * _LEVELS))
        if n * s2 - s1 * s1 >= 4 * n * n:
            return False
    return True


def content_box(img: np.ndarray, area: Box, ignored: np.ndarray | None) -> tuple[Box, int] | None:
    """The box around the pixels of ``area`` that are neither ignored nor the same as the row
    just above or just below the area at their column, with their count; None when there are
    none: rows that only stretch their surroundings (blank background, the inside of a card)
    are slack a move leaves or takes, not an insertion or a deletion."""
    x0, y0, x1, y1 = area.clamp(img.shape[1], img.shape[0])
    if x1 <= x0 or y1 <= y0:
        return None
    every = np.ascontiguousarray(img[:, x0:x1]).view(np.uint32)[..., 0]
    words = every[y0:y1]
    ink = np.ones(words.shape, bool)
    for r in (y0 - 1, y1):
        if 0 <= r < img.shape[0]:
            ink &= words != every[r]
    if ignored is not None:
        ink &= ~ignored[y0:y1, x0:x1]
    if not ink.any():
        return None
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    box = Box(x0 + int(cols[0]), y0 + int(rows[0]), x0 + int(cols[-1]) + 1, y0 + int(rows[-1]) + 1)
    return box, int(ink.sum())


def outside(box: Box, ignored: list[Box]) -> Box | None:
    """The part of ``box`` an ignored area does not cover, trimmed where an ignored box spans
    its whole width (rows cut from the top or bottom) or height (columns cut at a side).

    None when nothing is left. An ignored box inside the region leaves the region as it is:
    its pixels were already left out of the count.
    """
    changed = True
    while changed and box.width > 0 and box.height > 0:
        changed = False
        for ig in ignored:
            cut = box.intersection(ig)
            if cut is None:
                continue
            if cut == box:
                return None
            if cut.x0 == box.x0 and cut.x1 == box.x1:  # full width: trim rows
                if cut.y0 == box.y0:
                    box, changed = Box(box.x0, cut.y1, box.x1, box.y1), True
                elif cut.y1 == box.y1:
                    box, changed = Box(box.x0, box.y0, box.x1, cut.y0), True
            elif cut.y0 == box.y0 and cut.y1 == box.y1:  # full height: trim columns
                if cut.x0 == box.x0:
                    box, changed = Box(cut.x1, box.y0, box.x1, box.y1), True
                elif cut.x1 == box.x1:
                    box, changed = Box(box.x0, box.y0, cut.x0, box.y1), True
    return box if box.width > 0 and box.height > 0 else None
