"""Before/after screenshot diff: pixelmatch counts, shift-aware regions, an overlay, findings.

``compare`` reports pixelmatch's own count (no shift handling) and then explains it: rows of
the changed columns are hashed and aligned like a text diff (BackstopJS "diverged", happo's
lcs-image-diff), so an inserted banner reads as "inserted 45 px at y=68" plus "content below
moved down 45 px", and moved content is diffed against its match so only real changes remain.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from uireview.boxes import Box
from uireview.compare.pixelmatch import RGB, MatchResult, Metric, ignore_mask, pixelmatch

if TYPE_CHECKING:  # pydantic stays off the diff command's path (findings.py imports it)
    from uireview.findings import Finding

__all__ = [
    "DiffResult",
    "Region",
    "Shift",
    "compare",
    "diff_finding_fields",
    "diff_findings",
    "overlay",
]


@dataclass(frozen=True)
class Region:
    """A group of changed pixels, boxed in the after image's pixels.

    kind: "changed", "added" (new ink on a plain area), "removed" (ink gone), "inserted"
    (rows that exist only in the after image), "deleted" (rows gone; a 1 px line where they
    were) or "moved" (content that only moved; pixels = pixels the move explains).
    """

    box: Box
    pixels: int
    kind: str


@dataclass(frozen=True)
class Shift:
    """Rows from y (before image) moved by dy px (positive: down), over `height` rows."""

    y: int
    dy: int
    height: int = 0


@dataclass(frozen=True)
class DiffResult:
    mismatch_pixels: int
    window_pixels: int | None
    regions: list[Region]
    shifts: list[Shift]
    size_before: tuple[int, int]
    size_after: tuple[int, int]
    # Pixels still different after shifts are undone, as flat indices into the after image,
    # and whether the after image is darker there; the overlay draws these.
    changed_index: np.ndarray = field(repr=False, default_factory=lambda: np.zeros(0, np.int64))
    changed_darker: np.ndarray = field(repr=False, default_factory=lambda: np.zeros(0, bool))
    diff_image: np.ndarray | None = field(repr=False, default=None)

    def to_json(self) -> dict:
        """The CLI's JSON shape (findings added by the caller)."""
        return {
            "mismatch_pixels": self.mismatch_pixels,
            "window_pixels": self.window_pixels,
            "regions": [
                {"box": list(r.box), "pixels": r.pixels, "kind": r.kind} for r in self.regions
            ],
            "shifts": [{"y": s.y, "dy": s.dy} for s in self.shifts],
            "size_before": list(self.size_before),
            "size_after": list(self.size_after),
        }


def _rgba(img: np.ndarray) -> np.ndarray:
    img = np.asarray(img)
    if img.dtype != np.uint8 or img.ndim != 3 or img.shape[2] not in (3, 4):
        raise ValueError("images must be uint8 arrays of shape (height, width, 3 or 4)")
    if img.shape[2] == 3:
        img = np.concatenate([img, np.full(img.shape[:2] + (1,), 255, np.uint8)], axis=2)
    return np.ascontiguousarray(img)


def compare(
    before: np.ndarray,
    after: np.ndarray,
    *,
    threshold: float = 0.1,
    include_aa: bool = False,
    metric: Metric = "oklab",
    checkerboard: bool = True,
    window_size: float | None = None,
    ignore: Sequence[Box] | None = None,
    shifts: bool = True,
    min_pixels: int = 4,
    max_regions: int = 12,
    output: bool = False,
    diff_color: RGB = (255, 0, 0),
    diff_color_alt: RGB | None = None,
) -> DiffResult:
    """Diff two screenshots: pixelmatch's count plus regions, vertical shifts and size change.

    Images of different sizes are compared on their overlap. ``ignore`` boxes are in the after
    image's pixels and count nowhere. ``output`` keeps pixelmatch's diff image of the overlap.
    """
    a = _rgba(before)
    b = _rgba(after)
    (hb, wb), (ha, wa) = a.shape[:2], b.shape[:2]
    w, h = min(wb, wa), min(hb, ha)
    options = dict(
        threshold=threshold, include_aa=include_aa, metric=metric, checkerboard=checkerboard
    )
    mask_after = ignore_mask(list(ignore) if ignore else None, wa, ha)
    base = pixelmatch(
        a[:h, :w],
        b[:h, :w],
        **options,
        window_size=window_size,
        ignore=None if mask_after is None else mask_after[:h, :w],
        output=output,
        diff_color=diff_color,
        diff_color_alt=diff_color_alt,
    )

    found: list[Shift] = []
    regions: list[Region] = []
    residual: MatchResult | None = None
    if shifts and (base.mismatch_pixels or ha != hb):
        plan = _align(a[:, :w], b[:, :w], base)
        if plan is not None:
            found, remapped, extra = plan
            residual = pixelmatch(remapped, b[:, :w], **options, ignore=_crop(mask_after, w))
            regions.extend(_explained(r, base, residual) if r.kind == "moved" else r for r in extra)
    if residual is None:
        residual = base
        if ha > hb:  # rows only the after image has
            regions.append(Region(Box(0, hb, wa, ha), (ha - hb) * wa, "inserted"))

    index = residual.diff_index
    if residual.width != wa:  # back to the after image's flat indices
        index = (index // residual.width) * wa + index % residual.width
    regions = _group(index, wa, ha, min_pixels, max_regions, a, b) + regions
    regions.sort(key=lambda r: (r.box.y0, r.box.x0))
    return DiffResult(
        mismatch_pixels=base.mismatch_pixels,
        window_pixels=base.window_pixels,
        regions=regions,
        shifts=found,
        size_before=(wb, hb),
        size_after=(wa, ha),
        changed_index=index,
        changed_darker=residual.diff_darker,
        diff_image=base.diff_image,
    )


def _explained(moved: Region, base: MatchResult, residual: MatchResult) -> Region:
    """A moved block's pixels: those the plain diff flags there and the shifted one does not."""

    def inside(m: MatchResult) -> int:
        ys, xs = m.diff_index // m.width, m.diff_index % m.width
        b = moved.box
        return int(((ys >= b.y0) & (ys < b.y1) & (xs >= b.x0) & (xs < b.x1)).sum())

    return Region(moved.box, max(inside(base) - inside(residual), 0), "moved")


def _crop(mask: np.ndarray | None, w: int) -> np.ndarray | None:
    return None if mask is None else np.ascontiguousarray(mask[:, :w])


# --- shifts -------------------------------------------------------------------------------------


def _band(base: MatchResult) -> tuple[int, int]:
    """The column band holding most changes, split from the others at 8+ unchanged columns.

    A sidebar that stays put next to content that moves down would make no full row match, so
    rows are hashed over this band only.
    """
    w = base.width
    cols = np.bincount(base.diff_index % w, minlength=w) if len(base.diff_index) else None
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
    best = max(groups, key=lambda g: cols[g[0] : g[1]].sum())
    return int(best[0]), int(best[1])


def _row_hashes(img: np.ndarray, x0: int, x1: int) -> list[int]:
    rows = np.ascontiguousarray(img[:, x0:x1]).view(np.uint32).reshape(img.shape[0], -1)
    # odd 64-bit weights from SplitMix64 of the column number: numpy.random would cost the
    # diff command ~12 ms of import for the same purpose
    w = (np.arange(1, rows.shape[1] + 1, dtype=np.uint64)) * np.uint64(0x9E3779B97F4A7C15)
    w = (w ^ (w >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    w = (w ^ (w >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    weights = (w ^ (w >> np.uint64(31))) | np.uint64(1)
    return (rows.astype(np.uint64) * weights).sum(axis=1, dtype=np.uint64).tolist()


def _align(a: np.ndarray, b: np.ndarray, base: MatchResult):
    """Align rows of the changed band; None if nothing moved. Returns shifts, the before image
    remapped onto the after image's rows, and the inserted/deleted/moved regions."""
    x0, x1 = _band(base)
    h_after = b.shape[0]
    # Rows above the first change are equal in place; below the last one too when the heights
    # match. A move leaves most rows in between changed, so scattered edits skip the alignment.
    # (raw 32-bit rows, not pixelmatch's: a faint banner can sit under the threshold)
    common = min(a.shape[0], h_after)
    words_a = a[:common, x0:x1].view(np.uint32)[..., 0]
    words_b = b[:common, x0:x1].view(np.uint32)[..., 0]
    changed_rows = np.flatnonzero((words_a != words_b).any(axis=1))
    if a.shape[0] == h_after:
        if not len(changed_rows):
            return None
        top, bottom = int(changed_rows[0]), int(changed_rows[-1]) + 1
        if len(changed_rows) < 0.2 * (bottom - top):
            return None
    else:
        top = int(changed_rows[0]) if len(changed_rows) else common
        bottom = None
    ra = _row_hashes(a[top:bottom] if bottom else a[top:], x0, x1)
    rb = _row_hashes(b[top:bottom] if bottom else b[top:], x0, x1)
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
    shifts = [Shift(y, dy, end - y) for y, dy, end, distinct in runs if distinct]
    if not shifts:
        return None

    # before rows laid on the after image's rows; after rows with no match compare to themselves
    remapped = np.empty_like(b)
    common = min(a.shape[0], h_after)
    remapped[:common] = a[:common]
    if h_after > common:
        remapped[common:] = b[common:]
    regions: list[Region] = []
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            remapped[j1:j2, x0:x1] = a[i1:i2, x0:x1]
        elif tag == "insert":
            remapped[j1:j2, x0:x1] = b[j1:j2, x0:x1]
            regions.append(Region(Box(x0, j1, x1, j2), (j2 - j1) * (x1 - x0), "inserted"))
        elif tag == "delete":
            if j1 >= h_after:  # pushed below the bottom edge by a move down, not deleted
                continue
            y = j1
            regions.append(Region(Box(x0, y, x1, y + 1), (i2 - i1) * (x1 - x0), "deleted"))
        else:  # replace: compare row for row; surplus after rows are inserted
            n = min(i2 - i1, j2 - j1)
            remapped[j1 : j1 + n, x0:x1] = a[i1 : i1 + n, x0:x1]
            if j2 - j1 > n:
                remapped[j1 + n : j2, x0:x1] = b[j1 + n : j2, x0:x1]
                rows = j2 - j1 - n
                regions.append(Region(Box(x0, j1 + n, x1, j2), rows * (x1 - x0), "inserted"))
    for sh in shifts:  # moved blocks in after coordinates; pixels are filled in by compare
        box = Box(x0, sh.y + sh.dy, x1, min(sh.y + sh.dy + sh.height, h_after))
        regions.append(Region(box, 0, "moved"))
    return shifts, remapped, regions


# --- regions ------------------------------------------------------------------------------------

_CELL = 8  # changed pixels are grouped on an 8 x 8 px grid, which also merges near neighbours


def _group(
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
        regions.append(Region(box, int(pixels[k]), _kind(before, after, box)))
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


def _kind(before: np.ndarray, after: np.ndarray, box: Box) -> str:
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


# --- overlay --------------------------------------------------------------------------------


def overlay(
    after: np.ndarray,
    result: DiffResult,
    *,
    fade: float = 0.75,
    darker_color: RGB = (220, 38, 38),
    lighter_color: RGB = (37, 99, 235),
    region_tint: RGB = (22, 163, 74),
) -> np.ndarray:
    """The after image faded towards white, changed pixels in two colours (darker in the after
    image, e.g. added ink: ``darker_color``; lighter, e.g. removed ink: ``lighter_color``), and
    inserted rows tinted. Returns RGBA uint8 of the after image's size."""
    img = _rgba(after)
    h, w = img.shape[:2]
    rgb = img[..., :3].astype(np.float32)
    out = np.empty((h, w, 4), dtype=np.uint8)
    out[..., :3] = (rgb + (255 - rgb) * fade).astype(np.uint8)
    out[..., 3] = 255
    flat = out.reshape(-1, 4)
    for r in result.regions:
        if r.kind == "inserted":
            x0, y0, x1, y1 = r.box.clamp(w, h)
            area = out[y0:y1, x0:x1, :3].astype(np.float32)
            out[y0:y1, x0:x1, :3] = (area * 0.7 + np.array(region_tint) * 0.3).astype(np.uint8)
    idx, darker = result.changed_index, result.changed_darker
    flat[idx[darker]] = (*darker_color, 255)
    flat[idx[~darker]] = (*lighter_color, 255)
    return out


# --- findings -------------------------------------------------------------------------------


def _severity(region: Region, area: int) -> str:
    if region.kind == "moved":
        return "info"
    share = region.pixels / max(area, 1)
    if region.kind in ("inserted", "deleted") or share > 0.01:
        return "major"
    return "minor"


_TITLES = {
    "changed": "Changed area",
    "added": "Added content",
    "removed": "Removed content",
    "inserted": "Inserted rows",
    "deleted": "Deleted rows",
    "moved": "Moved content",
}


def diff_findings(result: DiffResult, *, image: int = 1) -> list[Finding]:
    """Measured findings: one per region (numbered by list order), then shifts and size change.

    Boxes are in the after image's pixels; ``image`` is the after image's position.
    """
    from uireview.findings import Finding

    return [Finding(**fields) for fields in diff_finding_fields(result, image=image)]


def diff_finding_fields(result: DiffResult, *, image: int = 1) -> list[dict[str, Any]]:
    """diff_findings' field values, without building pydantic models (the diff command's path)."""
    area = result.size_after[0] * result.size_after[1]
    findings = []
    for n, r in enumerate(result.regions, start=1):
        b = r.box
        if r.kind == "inserted":
            detail = f"{b.height} px inserted at y={b.y0} (x {b.x0}-{b.x1})."
        elif r.kind == "deleted":
            detail = f"Rows removed above y={b.y0} (x {b.x0}-{b.x1})."
        elif r.kind == "moved":
            detail = f"Content at y={b.y0}-{b.y1} only moved; {r.pixels:,} px differ because of it."
        else:
            detail = f"{b.width}x{b.height} px area at ({b.x0}, {b.y0})."
        evidence = (
            f"{r.pixels:,} px explained by the move"
            if r.kind == "moved"
            else f"{r.pixels:,} px changed"
        )
        findings.append(
            dict(
                source="measured",
                category="diff",
                severity=_severity(r, area),
                title=f"{_TITLES.get(r.kind, 'Changed area')} {n}",
                detail=detail,
                suggestion="Check that this change is intended.",
                image=image,
                box=b,
                evidence=evidence,
                metrics={"pixels": r.pixels, "kind": r.kind},
                rule=f"diff.{r.kind}",
            )
        )
    for s in result.shifts:
        direction = "down" if s.dy > 0 else "up"
        findings.append(
            dict(
                source="measured",
                category="diff",
                severity="info",
                title=f"Content below y={s.y} moved {direction} {abs(s.dy)} px",
                detail=f"Before rows {s.y}-{s.y + s.height} appear {abs(s.dy)} px {direction} "
                "in the after image; they were compared at their new place.",
                image=image,
                evidence=f"{s.height} rows match at an offset of {s.dy:+d} px",
                metrics={"y": s.y, "dy": s.dy, "height": s.height},
                rule="diff.shift",
            )
        )
    if result.size_before != result.size_after:
        (wb, hb), (wa, ha) = result.size_before, result.size_after
        findings.append(
            dict(
                source="measured",
                category="diff",
                severity="minor",
                title=f"Size changed from {wb}x{hb} to {wa}x{ha}",
                detail="Pixels were compared on the overlap of the two images.",
                image=image,
                evidence=f"{wa - wb:+d} px wide, {ha - hb:+d} px tall",
                metrics={"size_before": [wb, hb], "size_after": [wa, ha]},
                rule="diff.size",
            )
        )
    return findings
