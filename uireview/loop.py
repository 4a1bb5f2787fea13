"""The design loop: a review against its baseline (an earlier review of the same screen).

Each finding of the new review is matched with at most one finding of the baseline:

- **rule**: measured findings match only the same ``rule`` ("contrast.aa"); model findings
  the same category, and similar titles when either has no box;
- **place**: the baseline's boxes are moved through the pixel diff's vertical shifts
  (``uireview.compare.diff``) onto the new image, then must overlap a box of the new finding
  (any of box + related, so a finding "in 3 places" may name another place first) or sit
  within a line height of it;
- **words**: when both findings carry the text read from the pixels, equal words match even
  where the place could not be followed, and different words never match;
- **measured values** are not required to be equal: a faded label that got a little darker
  but still fails is ``persisting``, and ``previous`` keeps the baseline's figures (ratio).

Pairs are taken best first (overlap, then words), so each baseline finding is used once.
Unmatched new findings are ``new``; unmatched baseline findings are ``resolved``; a match
with a finding the owner dismissed (or that was carried as dismissed) moves the new finding
to ``Review.dismissed`` with the same reason. Baseline findings the new review did not look
for (another preset's checks, Grok's findings in a measured-only run) are neither.

Moves: vertical shifts from the pixel diff; when there are none, the diff of the transposed
images gives sideways shifts; a screenshot at another density (same aspect, e.g. a 2x export)
scales the boxes instead.

Where it still fails (known): a block moved both down and sideways, or reflowed (cards
wrapping to another row) is not followed, so its findings come out new + resolved unless
both sides carry ``text``; the checks do not fill ``text`` yet. A shift moves every box whose
centre row is in it, also boxes outside the diff's changed column band (a sidebar beside a
moved main column), which then match only if still within a line height. Grok's findings
match only by category plus similar titles (half the words shared) or overlapping boxes
with some shared words: a reworded finding about the same thing becomes new + resolved.
Two findings of one rule in one place (the same label flagged twice) pair by overlap only.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from uireview.findings import SEVERITY_ORDER, Box, Finding, Review

# How far (px, after moving through shifts) two boxes may be apart and still be one place,
# at least; tall boxes allow their own height.
_NEAR_PX = 24
_TITLE_SIMILAR = 0.5
_PREVIOUS_METRICS = ("ratio", "required", "fg", "bg", "gap", "expected", "delta")


@dataclass(frozen=True)
class Move:
    """Rows from ``y`` (baseline image) moved by ``dy`` px over ``height`` rows (0: to the end).

    With ``axis="x"`` the same for columns: columns from ``y`` moved right by ``dy``.
    """

    y: int
    dy: int
    height: int = 0
    axis: str = "y"


@dataclass
class Baseline:
    """An earlier review and its images' pixels (RGB arrays, in the review's order)."""

    review: Review
    pixels: list[np.ndarray] = field(default_factory=list)


@dataclass
class LoopResult:
    findings: list[Finding]
    resolved: list[Finding]
    dismissed: list[Finding]
    # Baseline findings this review could not have found again (another preset's checks,
    # or Grok's findings in a measured-only run): neither resolved nor persisting.
    unchecked: list[Finding] = field(default_factory=list)


def moves_between(before: np.ndarray, after: np.ndarray) -> list[Move]:
    """The vertical moves the pixel diff finds from ``before`` to ``after`` (RGB or RGBA)."""
    from uireview.compare import diff

    def shifts(a: np.ndarray, b: np.ndarray):
        return diff.compare(a, b, max_regions=1, min_pixels=1 << 30).shifts

    found: list[Move] = []
    for s in shifts(before, after):
        if s.dy:
            found.append(Move(s.y, s.dy, s.height))
        if s.dx:  # a block moved sideways: its columns, in the before image, move by dx
            x0, width = (s.box.x0 - s.dx, s.box.width) if s.box is not None else (0, 0)
            found.append(Move(x0, s.dx, width, "x"))
    if not found and before.shape == after.shape:
        # A move the diff does not report as a shift (e.g. the whole page sideways) may
        # still show as rows of the transposed images.
        found = [
            Move(s.y, s.dy, s.height, "x")
            for s in shifts(before.transpose(1, 0, 2), after.transpose(1, 0, 2))
        ]
    return found


def _moved(v: float, moves: Sequence[Move], axis: str) -> float:
    for m in moves:
        if m.axis == axis and m.y <= v and (m.height <= 0 or v < m.y + m.height):
            return v + m.dy
    return v


def move_box(box: Box, moves: Sequence[Move]) -> Box:
    """``box`` from the baseline image placed on the new one: moved by the shift its centre
    is in (a box keeps its size; only whole blocks move)."""
    if not moves:
        return box
    cx, cy = box.center
    dx = round(_moved(cx, moves, "x") - cx)
    dy = round(_moved(cy, moves, "y") - cy)
    return Box(box.x0 + dx, box.y0 + dy, box.x1 + dx, box.y1 + dy)


def _boxes(f: Finding) -> list[Box]:
    # Box(*b): a finding built with model_copy may hold plain tuples.
    return [Box(*b) for b in ([f.box] if f.box else []) + list(f.related)]


def _place_score(old: Finding, new: Finding, moves: Sequence[Move]) -> float | None:
    """Best overlap (IoU 0..1) of the two findings' places; 0.01 when only near; None if apart."""
    old_boxes = [move_box(b, moves) for b in _boxes(old)]
    new_boxes = _boxes(new)
    if not old_boxes and not new_boxes:
        return 0.5  # both about the whole screen
    if not old_boxes or not new_boxes:
        return None
    best: float | None = None
    for a in old_boxes:
        for b in new_boxes:
            inter = a.intersection(b)
            if inter is not None:
                iou = inter.area / (a.area + b.area - inter.area)
                best = max(best or 0.0, 0.01 + iou)
                continue
            (ax, ay), (bx, by) = a.center, b.center
            reach = max(_NEAR_PX, a.height, b.height)
            same_columns = min(a.x1, b.x1) > max(a.x0, b.x0)
            if same_columns and abs(ay - by) <= reach and abs(ax - bx) <= max(a.width, b.width):
                best = max(best or 0.0, 0.01)
    return best


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.casefold()))


def _title_similarity(a: str, b: str) -> float:
    wa, wb = _words(a), _words(b)
    return len(wa & wb) / len(wa | wb) if wa and wb else 0.0


def _same_text(a: str | None, b: str | None) -> bool | None:
    """True/False when both carry words read from the pixels; None when either does not."""
    if not a or not b:
        return None
    # Recognition is not exact: a label cut at the screen's edge reads "Synced 5 min ag", and
    # one misread letter must not make a new finding. Near-equal word lists are the same text.
    x, y = " ".join(sorted(_words(a))), " ".join(sorted(_words(b)))
    return x == y or difflib.SequenceMatcher(None, x, y).ratio() >= 0.85


def match_score(old: Finding, new: Finding, moves: Sequence[Move] = ()) -> float | None:
    """How well ``new`` is ``old`` seen again (higher is better), or None for no match."""
    if old.image != new.image or old.source != new.source:
        return None
    if old.source == "measured":
        if old.rule != new.rule:
            return None
    elif old.category.casefold() != new.category.casefold():
        return None
    words = _same_text(old.text, new.text)
    if words is False:
        return None
    place = _place_score(old, new, moves)
    if old.source == "model":
        similar = _title_similarity(old.title, new.title)
        # A model's boxes are rough and its titles vary: either the words agree, or the
        # place does and the titles are not about different things.
        if similar >= _TITLE_SIMILAR:
            return (place or 0.0) + similar
        if place is None or place < 0.2 or similar == 0.0:
            return None
        return place + similar
    if place is None:
        return 0.005 if words else None
    return place + (1.0 if words else 0.0)


def _scaled(f: Finding, factor: float) -> Finding:
    if factor == 1.0:
        return f
    return f.model_copy(
        update={
            "box": Box(*f.box).scale(factor) if f.box else None,
            "related": [Box(*b).scale(factor) for b in f.related],
        }
    )


def _density(old: np.ndarray, new: np.ndarray) -> float | None:
    """The factor when ``new`` is ``old`` at another pixel density (same aspect), else None."""
    (ho, wo), (hn, wn) = old.shape[:2], new.shape[:2]
    fx, fy = wn / wo, hn / ho
    if abs(fx - fy) <= 0.01 * fx and abs(fx - 1) > 0.05:
        return fx
    return None


def _previous(number: int, old: Finding) -> dict:
    keep = {k: old.metrics[k] for k in _PREVIOUS_METRICS if k in old.metrics}
    return {"number": number, "severity": old.severity, **keep}


def match(
    baseline: Review,
    findings: Sequence[Finding],
    moves_by_image: dict[int, list[Move]] | None = None,
    checked: Callable[[Finding], bool] | None = None,
    scales: dict[int, float] | None = None,
) -> LoopResult:
    """Mark ``findings`` new/persisting against ``baseline``; list what was resolved.

    ``moves_by_image`` holds the vertical moves from each baseline image to the new one;
    ``checked`` says whether the new review looked for a baseline finding at all (default:
    yes), so a finding of a check that did not run is not called resolved. ``scales`` holds
    a factor per image when the new screenshot is the baseline's at another pixel density.
    """
    moves_by_image = moves_by_image or {}
    checked = checked or (lambda _f: True)
    # (number in the baseline or 0 for a carried dismissal, finding)
    everything: list[tuple[int, Finding]] = list(enumerate(baseline.findings, 1))
    everything += [(0, f) for f in baseline.dismissed]
    pool = [(n, f) for n, f in everything if checked(f)]
    unchecked = [f for _, f in everything if not checked(f)]
    scales = scales or {}
    placed = [_scaled(f, scales.get(f.image, 1.0)) for _, f in pool]
    pairs: list[tuple[float, int, int]] = []
    for j, new in enumerate(findings):
        for i, old in enumerate(placed):
            score = match_score(old, new, moves_by_image.get(new.image, []))
            if score is not None:
                pairs.append((score, i, j))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    used_old: set[int] = set()
    matched: dict[int, int] = {}
    for _, i, j in pairs:
        if i in used_old or j in matched:
            continue
        used_old.add(i)
        matched[j] = i

    out: list[Finding] = []
    dismissed: list[Finding] = []
    for j, new in enumerate(findings):
        if j not in matched:
            out.append(new.model_copy(update={"status": "new", "previous": {}}))
            continue
        number, old = pool[matched[j]]
        marked = new.model_copy(update={"status": "persisting", "previous": _previous(number, old)})
        if old.dismissed:
            dismissed.append(marked.model_copy(update={"dismissed": old.dismissed}))
        else:
            out.append(marked)
    resolved = [
        old.model_copy(update={"previous": {"number": number}})
        for i, (number, old) in enumerate(pool)
        if i not in used_old and not old.dismissed
    ]
    # A dismissal the new review could not check is carried on as it was.
    dismissed += [f for f in unchecked if f.dismissed]
    return LoopResult(out, resolved, dismissed, [f for f in unchecked if not f.dismissed])


def checked_by(review: Review, baseline: Review) -> Callable[[Finding], bool]:
    """Whether ``review`` looked for what a baseline finding is about: Grok's findings need a
    model answer; measured ones a check of that name (or all of the baseline's checks)."""
    new_checks = set(review.settings.get("checks") or ())
    old_checks = set(baseline.settings.get("checks") or ())
    same_checks = bool(old_checks) and old_checks <= new_checks

    def checked(f: Finding) -> bool:
        if f.source == "model":
            return review.model is not None and not review.error
        return same_checks or f.category in new_checks or f.rule.split(".")[0] in new_checks

    return checked


def against_baseline(
    review: Review, baseline: Baseline, new_pixels: Sequence[np.ndarray]
) -> Review:
    """``review`` with statuses, ``resolved`` and carried ``dismissed`` filled in."""
    moves: dict[int, list[Move]] = {}
    scales: dict[int, float] = {}
    for index, (old, new) in enumerate(zip(baseline.pixels, new_pixels, strict=False)):
        if (factor := _density(old, new)) is not None:
            scales[index] = factor  # a 2x export of a 1x screen: boxes scale, nothing moved
        elif old.shape != new.shape or not np.array_equal(old, new):
            moves[index] = moves_between(old, new)
    result = match(
        baseline.review, review.findings, moves, checked_by(review, baseline.review), scales
    )
    extra = dict(review.extra)
    notices = list(review.notices)
    if result.unchecked:
        n = len(result.unchecked)
        notices.append(
            f"{n} finding{'s' if n > 1 else ''} of the earlier review {'were' if n > 1 else 'was'} "
            "not looked for this time (another preset, or no Grok), so "
            f"{'they are' if n > 1 else 'it is'} neither resolved nor persisting."
        )
        extra["baseline_unchecked"] = n
    if any(moves.values()):
        extra["baseline_moves"] = {
            str(i): [
                {
                    "y": m.y,
                    "dy": m.dy,
                    "height": m.height,
                    **({"axis": "x"} if m.axis == "x" else {}),
                }
                for m in ms
            ]
            for i, ms in moves.items()
            if ms
        }
    return review.model_copy(
        update={
            "baseline": baseline.review.id,
            "findings": result.findings,
            "resolved": result.resolved,
            "dismissed": result.dismissed,
            "extra": extra,
            "notices": notices,
        }
    )


GATE_SEVERITIES = ("critical", "major", "minor")


def gate_failures(review: Review, fail_on: str) -> list[Finding]:
    """The findings that fail a gate at ``fail_on`` or above: open ones, only new ones when the
    review has a baseline."""
    limit = SEVERITY_ORDER[fail_on]
    return [
        f
        for f in review.open_findings()
        if SEVERITY_ORDER.get(f.severity, 9) <= limit
        and (review.baseline is None or f.status == "new")
    ]


def loop_counts(review: Review) -> dict[str, int]:
    """new / persisting / resolved / dismissed, for history and summaries."""
    open_ = review.open_findings()
    return {
        "new": sum(1 for f in open_ if f.status == "new"),
        "persisting": sum(1 for f in open_ if f.status == "persisting"),
        "resolved": len(review.resolved),
        "dismissed": len(review.dismissed) + len(review.findings) - len(open_),
    }
