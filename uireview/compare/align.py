"""Shift alignment: which before pixel each after pixel is compared with.

Rows of the changed column band are hashed and aligned like a text diff (BackstopJS
"diverged", happo's lcs-image-diff), so an inserted banner reads as rows inserted plus content
below moved down. Then bands of rows that still differ are aligned by columns: a block whose
content moved sideways (a sidebar that widens, a container that re-centres) is found by the
offset most of its distinct columns agree on, and compared at its new place.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

import numpy as np

from uireview.boxes import Box
from uireview.compare.pixelmatch import changed_pixels

__all__ = ["Plan", "Shift", "align_columns", "align_rows", "counterpart", "remap"]


@dataclass(frozen=True)
class Shift:
    """Content from before row ``y`` moved by ``dy`` rows (positive: down) and ``dx`` columns
    (positive: right), over ``height`` before rows; ``box`` is where it is in the after image.
    """

    y: int
    dy: int
    height: int = 0
    dx: int = 0
    box: Box | None = None


@dataclass
class Plan:
    """How the before image is laid onto the after image's pixels.

    Inside the column band x0..x1, after row j is compared with before row ``rows[j]``; -1 means
    no before row (inserted rows, compared with themselves). Outside the band rows stay in place.
    ``blocks`` move sideways after that: (after box, dx), the box's pixels compared with the
    ones dx columns to the left.
    """

    x0: int
    x1: int
    rows: np.ndarray
    before_height: int
    shifts: list[Shift] = field(default_factory=list)
    inserted: list[tuple[int, int]] = field(default_factory=list)  # after rows j1..j2
    deleted: list[tuple[int, int, int]] = field(default_factory=list)  # before i1..i2, after j
    blocks: list[tuple[Box, int]] = field(default_factory=list)

    @classmethod
    def identity(cls, before_height: int, after_height: int, width: int) -> Plan:
        rows = np.arange(after_height)
        rows[rows >= before_height] = -1
        return cls(0, width, rows, before_height)

    def row_of(self, j: int, x: int) -> int:
        if self.x0 <= x < self.x1:
            return int(self.rows[j])
        return j if j < self.before_height else -1


def remap(src: np.ndarray, fallback: np.ndarray, plan: Plan) -> np.ndarray:
    """``src`` (before image, or a before-frame mask) laid onto the after image's pixels;
    pixels with no before counterpart take ``fallback``'s value (the after image itself)."""
    out = fallback.copy()
    h = fallback.shape[0]
    ident = np.arange(h)
    ok = ident < min(plan.before_height, src.shape[0])
    out[ok, : plan.x0] = src[ident[ok], : plan.x0]
    out[ok, plan.x1 :] = src[ident[ok], plan.x1 :]
    ok = plan.rows >= 0
    out[ok, plan.x0 : plan.x1] = src[plan.rows[ok], plan.x0 : plan.x1]
    vertical = out.copy() if plan.blocks else out
    w = out.shape[1]
    for box, dx in plan.blocks:
        rows = slice(box.y0, box.y1)
        out[rows, box.x0 : box.x1] = vertical[rows, box.x0 - dx : box.x1 - dx]
        # The columns the block left are what was beside it before, stretched: a margin or a
        # sidebar that widened by the move, the way inserted rows compare with themselves.
        if dx > 0 and box.x0 - dx > 0:
            out[rows, box.x0 - dx : box.x0] = vertical[rows, box.x0 - dx - 1 : box.x0 - dx]
        elif dx < 0 and box.x1 - dx < w:
            out[rows, box.x1 : box.x1 - dx] = vertical[rows, box.x1 - dx : box.x1 - dx + 1]
    return out


def counterpart(plan: Plan, box: Box, before_size: tuple[int, int]) -> Box | None:
    """Where an after-image box's content came from in the before image, or None (inserted)."""
    wb, hb = before_size
    inside = box.x0 < plan.x1 and box.x1 > plan.x0
    rows = plan.rows[box.y0 : box.y1] if inside else np.arange(box.y0, box.y1)
    rows = rows[(rows >= 0) & (rows < hb)]
    if not len(rows):
        return None
    dx = 0
    for block, bdx in plan.blocks:
        if block.intersection(box) is not None:
            dx = bdx
            break
    mapped = Box(box.x0 - dx, int(rows.min()), box.x1 - dx, int(rows.max()) + 1).clamp(wb, hb)
    return mapped if mapped.area else None


# --- rows -------------------------------------------------------------------------------------


def _band(diff_index: np.ndarray, w: int) -> tuple[int, int]:
    """The column band rows are hashed over: the runs of changed columns (split at 8+ unchanged
    ones) from the first to the last that hold a tenth as many changes as the busiest run.

    A sidebar that stays put (or nearly: a new highlight) next to content that moves down would
    make no full row match, so its columns are left out; the gutters between columns of cards
    that all moved are kept in.
    """
    cols = np.bincount(diff_index % w, minlength=w) if len(diff_index) else None
    if cols is None or not cols.any():
        return 0, w
    changed = cols > 0
    edges = np.flatnonzero(np.diff(np.r_[0, changed.astype(np.int8), 0]))
    starts, ends = edges[0::2], edges[1::2]
    # merge runs separated by fewer than 8 unchanged columns
    groups = [[starts[0], ends[0]]]
    for s, e in zip(starts[1:], ends[1:], strict=True):
        if s - groups[-1][1] < 8:
            groups[-1][1] = e
        else:
            groups.append([s, e])
    sums = [int(cols[g[0] : g[1]].sum()) for g in groups]
    busy = [g for g, n in zip(groups, sums, strict=True) if n * 10 >= max(sums)]
    return int(busy[0][0]), int(busy[-1][1])


def _hashes(lines: np.ndarray) -> np.ndarray:
    """One 64-bit hash per row of a (n, k) array of 32-bit pixel words."""
    # Odd 64-bit weights from SplitMix64 of the column number: numpy.random would cost the
    # diff command ~12 ms of import for the same purpose.
    w = np.arange(1, lines.shape[1] + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    w = (w ^ (w >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    w = (w ^ (w >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    weights = (w ^ (w >> np.uint64(31))) | np.uint64(1)
    return (lines.astype(np.uint64) * weights).sum(axis=1, dtype=np.uint64)


def _words(img: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(img).view(np.uint32)[..., 0]


def align_rows(
    a: np.ndarray, b: np.ndarray, diff_index: np.ndarray, changed: np.ndarray | None = None
) -> Plan | None:
    """Align rows of the changed band; None if nothing moved vertically.

    ``a`` and ``b`` have the same width; ``diff_index`` is pixelmatch's changed pixels over
    their overlap, as flat indices at that width; ``changed``, when known, every pixel of the
    overlap whose words differ (pixelmatch's ``raw_changed``).
    """
    w = b.shape[1]
    x0, x1 = _band(diff_index, w)
    h_after = b.shape[0]
    # Rows above the first change are equal in place; below the last one too when the heights
    # match. A move leaves most rows in between changed, so scattered edits skip the alignment.
    # (raw 32-bit rows, not pixelmatch's: a faint banner can sit under the threshold)
    common = min(a.shape[0], h_after)
    changed_rows = _differing_rows(a[:common], b[:common], x0, x1, changed)
    if a.shape[0] == h_after:
        if not len(changed_rows):
            return None
        top, bottom = int(changed_rows[0]), int(changed_rows[-1]) + 1
        if len(changed_rows) < 0.2 * (bottom - top):
            return None
    else:
        top = int(changed_rows[0]) if len(changed_rows) else common
        bottom = None
    ra = _hashes(_words(a[top:bottom, x0:x1])).tolist()
    rb = _hashes(_words(b[top:bottom, x0:x1])).tolist()
    ops = [
        (tag, i1 + top, i2 + top, j1 + top, j2 + top)
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(
            None, ra, rb, autojunk=False
        ).get_opcodes()
    ]
    ra = [0] * top + ra  # indexed by before row below
    # runs of equal blocks with the same offset; uniform rows (blank background) match
    # anywhere, so a run needs some distinct content to prove a move
    runs: list[list] = []
    for tag, i1, i2, j1, _j2 in ops:
        dy = j1 - i1
        if tag != "equal" or dy == 0:
            continue
        distinct = len(set(ra[i1:i2])) > 1
        if runs and runs[-1][1] == dy:  # same move, interrupted by real changes
            runs[-1][2] = i2
            runs[-1][3] |= distinct
        else:
            runs.append([i1, dy, i2, distinct])
    moves = [(y, dy, end - y) for y, dy, end, distinct in runs if distinct]
    if not moves:
        return None

    plan = Plan.identity(a.shape[0], h_after, w)
    plan.x0, plan.x1 = x0, x1
    # after rows from j to the bottom that are all bare (one colour across the band): content
    # "deleted" above them was pushed off the bottom of a fixed-height screen, the bare rows
    # having matched the before image's bare rows below it
    band_b = _words(b[:, x0:x1])
    bare = (band_b == band_b[:, :1]).all(axis=1)
    bare_tail = np.r_[np.logical_and.accumulate(bare[::-1])[::-1], True]
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            plan.rows[j1:j2] = np.arange(i1, i2)
        elif tag == "insert":
            plan.rows[j1:j2] = -1
            plan.inserted.append((j1, j2))
        elif tag == "delete":
            if not bare_tail[j1]:  # else pushed below the bottom edge by a move down
                plan.deleted.append((i1, i2, j1))
        else:  # replace: compare row for row; surplus after rows are inserted
            n = min(i2 - i1, j2 - j1)
            plan.rows[j1 : j1 + n] = np.arange(i1, i1 + n)
            if j2 - j1 > n:
                plan.rows[j1 + n : j2] = -1
                plan.inserted.append((j1 + n, j2))
    _widen(a, b, plan)
    x0, x1 = plan.x0, plan.x1
    for y, dy, height in moves:
        box = Box(x0, y + dy, x1, min(y + dy + height, h_after))
        plan.shifts.append(Shift(y, dy, height, 0, box if box.height > 0 else None))
    return plan


def _widen(a: np.ndarray, b: np.ndarray, plan: Plan) -> None:
    """Take the columns left and right of the band into it when they match better moved with
    it than in place: the band is picked by where pixelmatch counted most, and a line of small
    text beside a big change (a footer's copyright) moved too."""
    j = np.flatnonzero((plan.rows >= 0) & (np.arange(len(plan.rows)) < a.shape[0]))
    if not len(j):
        return
    src = plan.rows[j]
    for s0, s1 in ((0, plan.x0), (plan.x1, b.shape[1])):
        if s1 <= s0:
            continue
        after = _words(b[j, s0:s1])
        moved = int((_words(a[src, s0:s1]) != after).sum())
        still = int((_words(a[j, s0:s1]) != after).sum())
        if moved < still:
            plan.x0, plan.x1 = min(plan.x0, s0), max(plan.x1, s1)


# --- columns ----------------------------------------------------------------------------------

_MIN_COLUMNS = 16  # distinct columns that must agree on an offset before a block counts as moved


def align_columns(
    remapped: np.ndarray,
    b: np.ndarray,
    plan: Plan,
    ignored: np.ndarray | None,
    changed: np.ndarray | None = None,
) -> list[Shift]:
    """Find blocks that moved sideways in the rows that still differ; adds them to ``plan``.

    Rows are cut into bands at rows that no longer differ; in each band the columns are hashed,
    and every distinct after column votes for the offsets at which the same column is found in
    the (vertically remapped) before image. The winning offset must beat staying in place and
    must at least halve the differing pixels of the block it spans. ``changed``: the pixels
    where ``remapped`` and ``b`` differ, when the caller knows them already.
    """
    h, w = b.shape[:2]
    words_a, words_b = _words(remapped), _words(b)
    # Only the rows where something differs are compared pixel by pixel (most rows do not):
    # ``differ`` holds those rows, in order, ``some`` their row numbers.
    some = _differing_rows(remapped, b, changed=changed)
    differ = words_a[some] != words_b[some]
    if ignored is not None:
        differ &= ~ignored[some]
    # Bands are rows whose differences touch detail (text, edges) on either side. A row that
    # differs only inside long runs of one colour (a sidebar that widens crosses the space
    # between text lines) cuts bands: one band over the whole page would need every column to
    # match top to bottom, rewrapped text included.
    at = np.flatnonzero(differ)
    detail = _in_short_run(words_a[some], at) | _in_short_run(words_b[some], at)
    rows = np.zeros(h, dtype=bool)
    rows[some[at[detail] // w]] = True  # (repeats set the same row: no np.unique, no numpy.ma)
    edges = np.flatnonzero(np.diff(np.r_[0, rows.astype(np.int8), 0]))
    bands: list[tuple[Box, int | None]] = []
    for y0, y1 in zip(edges[0::2].tolist(), edges[1::2].tolist(), strict=True):
        first = int(np.searchsorted(some, y0))  # band rows all differ: consecutive in ``some``
        block = _sideways(remapped[y0:y1], b[y0:y1], differ[first : first + y1 - y0])
        if block is None:
            bands.append((Box(0, y0, w, y1), None))
        else:
            c0, c1, dx = block
            bands.append((Box(c0, y0, c1, y1), dx))
            plan.blocks.append((Box(c0, y0, c1, y1), dx))
    return _merged(bands, plan)


def _differing_rows(
    a: np.ndarray,
    b: np.ndarray,
    x0: int = 0,
    x1: int | None = None,
    changed: np.ndarray | None = None,
) -> np.ndarray:
    """Row numbers (sorted) where two images of one shape differ in columns x0..x1, from the
    flat indices of their differing pixels (``changed``, else pixelmatch's memcmp scan)."""
    h, w = a.shape[:2]
    if changed is None:
        flat_a = np.ascontiguousarray(a).view(np.uint32).ravel()
        flat_b = np.ascontiguousarray(b).view(np.uint32).ravel()
        changed = changed_pixels(flat_a, flat_b)
    index = changed
    if x0 > 0 or (x1 is not None and x1 < w):
        xs = index % w
        index = index[(xs >= x0) & (xs < (w if x1 is None else x1))]
    return np.flatnonzero(np.bincount(index // w, minlength=h))


def _in_short_run(words: np.ndarray, at: np.ndarray, short: int = 16) -> np.ndarray:
    """Whether the pixels at flat indices ``at`` of (rows, w) ``words`` are in a run of one
    colour along their row shorter than ``short``."""
    flat = words.ravel()
    starts = np.ones(flat.shape, dtype=bool)
    starts[1:] = flat[1:] != flat[:-1]
    starts[:: words.shape[1]] = True  # every row starts a run
    pos = np.flatnonzero(starts)
    run = np.searchsorted(pos, at, side="right") - 1
    ends = np.append(pos, len(flat))
    return (ends[run + 1] - pos[run]) < short


def _edges(words: np.ndarray) -> np.ndarray:
    """Per column: whether it differs from the column on its left or on its right."""
    step = (words[:, 1:] != words[:, :-1]).any(axis=0)
    return np.r_[step, False] | np.r_[False, step]


def _sideways(src: np.ndarray, dst: np.ndarray, differ: np.ndarray):
    """(first column, end column, dx) of the block of this band that moved sideways, or None."""
    w = dst.shape[1]
    if differ.sum() < 2 * _MIN_COLUMNS:
        return None
    words_a, words_b = _words(src), _words(dst)
    ha, hb = _hashes(words_a.T), _hashes(words_b.T)
    # a column like both its neighbours (blank margin, a plain sidebar crossing a colour edge)
    # matches anywhere along that stretch: it proves nothing
    distinct_a, distinct_b = _edges(words_a), _edges(words_b)
    where: dict[int, list[int]] = {}
    for x in np.flatnonzero(distinct_a).tolist():
        where.setdefault(int(ha[x]), []).append(x)
    votes: dict[int, int] = {}
    for x in np.flatnonzero(distinct_b).tolist():
        for p in where.get(int(hb[x]), ())[:8]:
            votes[x - p] = votes.get(x - p, 0) + 1
    moved = {dx: n for dx, n in votes.items() if dx != 0}
    if not moved:
        return None
    dx = max(moved, key=lambda d: (moved[d], -abs(d)))
    if moved[dx] < _MIN_COLUMNS or moved[dx] <= votes.get(0, 0):
        return None
    lo, hi = max(0, dx), min(w, w + dx)  # after columns whose source column is in the image
    # the block: the run of columns equal at dx (gaps under 8 columns, real edits, allowed)
    # holding the most distinct columns
    cols = np.arange(lo, hi)
    same = ha[cols - dx] == hb[cols]
    edges = np.flatnonzero(np.diff(np.r_[0, same.astype(np.int8), 0]))
    runs: list[list[int]] = []
    for s, e in zip(edges[0::2].tolist(), edges[1::2].tolist(), strict=True):
        if runs and s - runs[-1][1] < 8:
            runs[-1][1] = e
        else:
            runs.append([s, e])
    proof = same & distinct_b[cols]
    hits = proof.astype(np.int64).cumsum()
    s, e = max(runs, key=lambda r: hits[r[1] - 1] - (hits[r[0] - 1] if r[0] else 0))
    # from its first to its last distinct column: plain columns next to it match anywhere
    inside = np.flatnonzero(proof[s:e]) + s
    c0, c1 = int(cols[inside[0]]), int(cols[inside[-1]]) + 1
    before_count = int(differ[:, c0:c1].sum())
    after_count = int((words_a[:, c0 - dx : c1 - dx] != words_b[:, c0:c1]).sum())
    if after_count > 0.9 * before_count:  # (a block that also reflowed improves less)
        return None
    return c0, c1, dx


def _merged(bands: list[tuple[Box, int | None]], plan: Plan) -> list[Shift]:
    """One shift per sideways move: neighbouring bands with the same dx (only rows that do not
    differ between them, e.g. blank rows between cards) are one block, and so are one or two
    bands that found no move between bands of the block (lines that rewrapped)."""
    shifts: list[Shift] = []
    boxes: list[tuple[Box, int | None]] = []
    for n, (box, dx) in enumerate(bands):
        if boxes and dx is not None and boxes[-1][1] == dx:
            boxes[-1] = (boxes[-1][0].union(box), dx)
        elif (
            boxes
            and boxes[-1][1] is not None
            and any(later == boxes[-1][1] for _, later in bands[n + 1 : n + 3])
        ):
            # a line that did not match (rewrapped) inside a block moving on: part of it
            boxes[-1] = (
                boxes[-1][0].union(Box(boxes[-1][0].x0, box.y0, boxes[-1][0].x1, box.y1)),
                boxes[-1][1],
            )
        else:
            boxes.append((box, dx))
    for box, dx in boxes:
        if dx is None:
            continue
        # rows between its bands (one-colour rows, a table's rule lines, a line too small to
        # vote) move with the block
        y = box.y0
        own = [b for b, bdx in bands if bdx == dx and box.y0 <= b.y0 < box.y1]
        for band in [*own, Box(0, box.y1, 0, 0)]:
            if band.y0 > y:
                plan.blocks.append((Box(box.x0, y, box.x1, band.y0), dx))
            y = max(y, band.y1)
        y = plan.row_of(box.y0, box.x0 - dx)
        y = box.y0 if y < 0 else y
        shifts.append(Shift(y, box.y0 - y, box.height, dx, box))
    return shifts
