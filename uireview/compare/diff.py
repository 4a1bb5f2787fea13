"""Before/after screenshot diff: pixelmatch counts, shift-aware regions, an overlay, findings.

``compare`` reports pixelmatch's own count (no shift handling) and then explains it: the
before image is laid onto the after image's pixels through vertical and sideways shifts
(``align``), so an inserted banner reads as "47 px inserted (after, y=40)" plus "content
below moved down 47 px", and moved content is diffed against its match so only real changes
remain (``regions``). Every box is in the frame of the image it is drawn on, with its
counterpart in the other image; ignored areas, given in either image's frame, count nowhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial

import numpy as np

from uireview.boxes import Box
from uireview.compare.align import Plan, Shift, align_columns, align_rows, counterpart, remap
from uireview.compare.describe import diff_finding_fields, diff_findings, region_words
from uireview.compare.overlay import overlay
from uireview.compare.pixelmatch import RGB, MatchResult, Metric, ignore_mask, pixelmatch
from uireview.compare.regions import (
    Frame,
    Region,
    _label,  # noqa: F401  (tests reach the grid labelling through here)
    content_box,
    group,
    outside,
)

__all__ = [
    "DiffResult",
    "Region",
    "Shift",
    "compare",
    "diff_finding_fields",
    "diff_findings",
    "region_words",
    "overlay",
]


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

    @property
    def compared_pixels(self) -> int:
        """Pixels pixelmatch compared: the overlap of the two images."""
        (wb, hb), (wa, ha) = self.size_before, self.size_after
        return min(wb, wa) * min(hb, ha)

    def to_json(self) -> dict:
        """The CLI's JSON shape (findings added by the caller)."""
        return {
            "mismatch_pixels": self.mismatch_pixels,
            "window_pixels": self.window_pixels,
            "regions": [
                {
                    "box": list(r.box),
                    "pixels": r.pixels,
                    "kind": r.kind,
                    "frame": r.frame,
                    "counterpart": list(r.counterpart) if r.counterpart else None,
                }
                for r in self.regions
            ],
            "shifts": [
                {"y": s.y, "dy": s.dy, "dx": s.dx, "box": list(s.box) if s.box else None}
                for s in self.shifts
            ],
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


def _union(*masks: np.ndarray | None) -> np.ndarray | None:
    present = [m for m in masks if m is not None]
    if not present:
        return None
    out = present[0].copy()
    for m in present[1:]:
        out |= m
    return out


def _crop(mask: np.ndarray | None, w: int, h: int | None = None) -> np.ndarray | None:
    return None if mask is None else np.ascontiguousarray(mask[:h, :w])


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
    ignore_before: Sequence[Box] | None = None,
    shifts: bool = True,
    min_pixels: int = 4,
    max_regions: int = 12,
    output: bool = False,
    diff_color: RGB = (255, 0, 0),
    diff_color_alt: RGB | None = None,
) -> DiffResult:
    """Diff two screenshots: pixelmatch's count plus regions, shifts and size change.

    Images of different sizes are compared on their overlap. ``ignore`` boxes are in the after
    image's pixels, ``ignore_before`` ones in the before image's; both count nowhere (not in
    the count, not in any region). ``output`` keeps pixelmatch's diff image of the overlap.
    """
    a = _rgba(before)
    b = _rgba(after)
    (hb, wb), (ha, wa) = a.shape[:2], b.shape[:2]
    w, h = min(wb, wa), min(hb, ha)
    match = partial(
        pixelmatch,
        threshold=threshold,
        include_aa=include_aa,
        metric=metric,
        checkerboard=checkerboard,
    )
    after_boxes, before_boxes = list(ignore or ()), list(ignore_before or ())
    mask_b = ignore_mask(after_boxes or None, wa, ha)
    mask_a = ignore_mask(before_boxes or None, wb, hb)
    # unshifted, pixel (x, y) of one image meets (x, y) of the other: either frame's box counts
    base = match(
        a[:h, :w],
        b[:h, :w],
        window_size=window_size,
        ignore=_union(_crop(mask_a, w, h), _crop(mask_b, w, h)),
        output=output,
        diff_color=diff_color,
        diff_color_alt=diff_color_alt,
    )

    plan = Plan.identity(hb, ha, w)
    if ha > hb:  # rows only the after image has, unless alignment says otherwise
        plan.inserted.append((hb, ha))
    found: list[Shift] = []
    residual = base
    remapped = a[:h, :w]
    after_w = b[:, :w]
    if shifts and (base.mismatch_pixels or ha != hb):
        # pixelmatch's scan covered the overlap: valid here while the heights agree
        same_frame = ha == hb
        raw = base.raw_changed if same_frame else None
        plan = align_rows(a[:, :w], after_w, base.diff_index, raw) or plan
        if plan.shifts:
            remapped = remap(a[:, :w], after_w, plan)
        elif ha <= hb:  # rows in place: no copy
            remapped = a[:ha, :w]
        else:
            remapped = np.concatenate([a[:, :w], after_w[hb:]])
        ignored = _union(
            _crop(mask_b, w),
            None if mask_a is None else remap(mask_a[:, :w], np.zeros((ha, w), bool), plan),
        )
        # ...and for the columns while no row moved (remapped is then the before overlap)
        unmoved = same_frame and not plan.shifts
        sideways = align_columns(remapped, after_w, plan, ignored, raw if unmoved else None)
        if sideways:
            remapped = remap(a[:, :w], after_w, plan)
            if mask_a is not None:
                ignored = _union(
                    _crop(mask_b, w), remap(mask_a[:, :w], np.zeros((ha, w), bool), plan)
                )
        found = plan.shifts + sideways
        if found:
            residual = match(remapped, after_w, ignore=ignored)
        else:
            remapped = a[:h, :w]

    index = residual.diff_index
    if residual.width != wa:  # back to the after image's flat indices
        index = (index // residual.width) * wa + index % residual.width
    changed = [
        Region(r.box, r.pixels, r.kind, "after", counterpart(plan, r.box, (wb, hb)))
        for r in group(index, wa, ha, min_pixels, max_regions, remapped, b)
    ]
    regions, reflowed = _reflowed(changed, found, plan, (wb, hb))
    regions += _rows_only_one_side_has(a, b, plan, mask_a, mask_b)
    regions += [
        _moved(s, base, residual, (wb, hb))
        for s in found
        if s.box is not None and s not in reflowed
    ]
    regions = _outside_ignored(regions, after_boxes, before_boxes)
    # a move wholly inside an ignored area is not reported either (it was still undone)
    found = [s for s in found if s.box is None or outside(s.box, after_boxes) is not None]
    regions.sort(key=_reading_order)
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


def _reading_order(r: Region) -> tuple[int, int]:
    """Top to bottom as the after image reads: a before-frame region sits at its counterpart."""
    box = r.box if r.frame == "after" or r.counterpart is None else r.counterpart
    return box.y0, box.x0


def _rows_only_one_side_has(
    a: np.ndarray,
    b: np.ndarray,
    plan: Plan,
    mask_a: np.ndarray | None,
    mask_b: np.ndarray | None,
) -> list[Region]:
    """Inserted rows boxed on the after image, deleted ones on the before image; rows of bare
    background (slack a move leaves or takes) are neither."""
    out: list[Region] = []
    hb, ha = a.shape[0], b.shape[0]
    for j1, j2 in plan.inserted:
        found = content_box(b, Box(plan.x0, j1, plan.x1, j2), mask_b)
        if found is None:
            continue
        above = plan.rows[:j1][(plan.rows[:j1] >= 0)]
        i = min(int(above.max()) + 1 if len(above) else 0, hb - 1)
        box = found[0]
        out.append(Region(box, found[1], "inserted", "after", Box(box.x0, i, box.x1, i + 1)))
    out += _columns_only_one_side_has(a, b, mask_a, mask_b)
    for i1, i2, j in plan.deleted:
        found = content_box(a, Box(plan.x0, i1, plan.x1, i2), mask_a)
        if found is None:
            continue
        box, j = found[0], min(j, ha - 1)
        out.append(Region(box, found[1], "deleted", "before", Box(box.x0, j, box.x1, j + 1)))
    return out


def _columns_only_one_side_has(
    a: np.ndarray, b: np.ndarray, mask_a: np.ndarray | None, mask_b: np.ndarray | None
) -> list[Region]:
    """A wider image's extra columns, boxed where they hold more than a stretch of the column
    beside them (as rows are, with the image turned on its side)."""
    wb, wa = a.shape[1], b.shape[1]
    if wa == wb:
        return []
    frame: Frame = "after" if wa > wb else "before"
    img, mask = (b, mask_b) if wa > wb else (a, mask_a)
    kind = "inserted" if wa > wb else "deleted"
    side = content_box(
        img.transpose(1, 0, 2),
        Box(0, min(wa, wb), img.shape[0], max(wa, wb)),
        None if mask is None else mask.T,
    )
    if side is None:
        return []
    (y0, x0, y1, x1), pixels = side
    edge = min(wa, wb) - 1
    other = a if frame == "after" else b
    place = Box(edge, y0, edge + 1, y1).clamp(other.shape[1], other.shape[0])
    return [Region(Box(x0, y0, x1, y1), pixels, kind, frame, place if place.area else None)]


def _inside(m: MatchResult, box: Box) -> int:
    ys, xs = m.diff_index // m.width, m.diff_index % m.width
    return int(((ys >= box.y0) & (ys < box.y1) & (xs >= box.x0) & (xs < box.x1)).sum())


def _moved(s: Shift, base: MatchResult, residual: MatchResult, before_size) -> Region:
    """A moved block's pixels: those the plain diff flags there and the shifted one does not."""
    assert s.box is not None
    wb, hb = before_size
    source = Box(s.box.x0 - s.dx, s.y, s.box.x1 - s.dx, s.y + s.height).clamp(wb, hb)
    pixels = max(_inside(base, s.box) - _inside(residual, s.box), 0)
    return Region(s.box, pixels, "moved", "after", source if source.area else None)


def _reflowed(
    changed: list[Region], found: list[Shift], plan: Plan, before_size
) -> tuple[list[Region], list[Shift]]:
    """Inside a block that moved sideways, changes left over mean its content also reflowed
    (narrower columns, rewrapped text): one region for the block (instead of its "moved" one
    and one per leftover), and the shifts that got one.

    Leftovers on the block's rows just beside it count too: text that rewrapped reaches past
    the columns that matched.
    """
    out = list(changed)
    reflowed = []
    for s in found:
        if not s.dx or s.box is None:
            continue
        rows = Box(0, s.box.y0, 1 << 30, s.box.y1)
        inner = [r for r in out if r.box.intersection(rows) is not None]
        pixels = sum(r.pixels for r in inner)
        if len(inner) < 2 and pixels < 0.01 * s.box.area:
            continue
        out = [r for r in out if r not in inner]
        box = s.box
        for r in inner:
            box = box.union(r.box)
        out.append(Region(box, pixels, "reflowed", "after", counterpart(plan, box, before_size)))
        reflowed.append(s)
    return out, reflowed


def _outside_ignored(
    regions: list[Region], after_boxes: list[Box], before_boxes: list[Box]
) -> list[Region]:
    """Each region trimmed by the ignored boxes of its own frame; one they cover is gone.

    (Their pixels, and those of the other frame's boxes mapped through the shifts, are already
    out of every count; this keeps a moved or inserted block's box off an ignored area.)
    """
    out = []
    for r in regions:
        box = outside(r.box, after_boxes if r.frame == "after" else before_boxes)
        if box is not None:
            out.append(Region(box, r.pixels, r.kind, r.frame, r.counterpart))
    return out
