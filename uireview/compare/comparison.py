"""A comparison of two screenshots as a review: the exact diff's findings, then the model's
explanation and rating of each changed region (when a key is set).

The diff itself is ``compare.diff`` (pydantic-free, for the CLI's fast path); this module
turns it into a ``Review`` and is reached through ``pipeline``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np

from uireview.boxes import Box
from uireview.compare.options import DiffOptions
from uireview.critique import (
    NO_KEY_NOTICE,
    ModelPart,
    ModelRequest,
    ProgressCallback,
    TextCallback,
    ask_model,
    noop,
    whole_screen_notice,
)
from uireview.findings import ChangedRegion, Comparison, Finding, Review, RowShift
from uireview.grounding import Grounding
from uireview.images import LoadedImage
from uireview.presets import get_preset
from uireview.provider import Provider
from uireview.screen import Screen
from uireview.settings import Settings

RATINGS = ("intended", "regression", "unclear")
DEFAULT_DIFF_OPTIONS = DiffOptions()


def _region_marks(image: LoadedImage, boxes: dict[str, Box], index: int) -> Grounding:
    from PIL import Image

    from uireview.grounding import draw_marks

    overlay = draw_marks(Image.fromarray(image.rgb), boxes) if boxes else Image.fromarray(image.rgb)
    return Grounding(index, "marks", dict(boxes), overlay)


def _rated(finding: Finding) -> Finding:
    """Move a leading "regression:" (or intended/unclear) from the title into metrics."""
    head, sep, rest = finding.title.partition(":")
    rating = head.strip().lower()
    if sep and rating in RATINGS and rest.strip():
        severity = "major" if rating == "regression" else finding.severity
        return finding.model_copy(
            update={
                "title": rest.strip(),
                "severity": severity,
                "metrics": {**finding.metrics, "rating": rating},
                "evidence": f"rated {rating}"
                + (f"; {finding.evidence}" if finding.evidence else ""),
            }
        )
    return finding


def compare(
    before: LoadedImage,
    after: LoadedImage,
    *,
    settings: Settings,
    options: DiffOptions = DEFAULT_DIFF_OPTIONS,
    ignore: Sequence[Box] = (),
    ignore_before: Sequence[Box] = (),
    note: str = "",
    use_model: bool = True,
    provider: Provider | None = None,
    on_text: TextCallback = noop,
    on_progress: ProgressCallback = noop,
) -> Review:
    """Diff two screenshots exactly, then ask the model to explain and rate each region.

    ``ignore`` boxes are in the after image's pixels, ``ignore_before`` in the before one's.
    """
    from uireview.compare import diff

    started = time.perf_counter()
    on_progress("Comparing pixels")
    result = _diff(before.rgba, after.rgba, options, ignore, ignore_before)
    # Each region's first words, so its finding says which content changed.
    words = diff.region_words(result, before.rgba, after.rgba)
    measured = diff.diff_findings(result, image=1, words=words)
    timings = {"diff": time.perf_counter() - started}
    comparison = Comparison(
        options=options,
        ignore=list(ignore),
        ignore_before=list(ignore_before),
        mismatch_pixels=result.mismatch_pixels,
        window_pixels=result.window_pixels,
        regions=[
            ChangedRegion(
                box=r.box, pixels=r.pixels, kind=r.kind, frame=r.frame, counterpart=r.counterpart
            )
            for r in result.regions
        ],
        shifts=[
            RowShift(y=s.y, dy=s.dy, height=s.height, dx=s.dx, box=s.box) for s in result.shifts
        ],
        size_before=result.size_before,
        size_after=result.size_after,
    )
    extra: dict = {}
    notices: list[str] = []
    part = ModelPart([], [])
    numbered = list(enumerate(result.regions, 1))
    if use_model and settings.has_key and numbered:
        chosen = get_preset("diff")
        # each region marked on both images where it has a place there, in that image's pixels
        on_before = {str(n): _in_frame(r, "before") for n, r in numbered}
        on_after = {str(n): _in_frame(r, "after") for n, r in numbered}
        groundings = [
            _region_marks(before, {k: v for k, v in on_before.items() if v}, 0),
            _region_marks(after, {k: v for k, v in on_after.items() if v}, 1),
        ]
        lines = [_region_line(n, r) for n, r in numbered]
        lines += [
            f"Shift: before rows {s.y}-{s.y + s.height} moved {s.dy:+d} px down, {s.dx:+d} px "
            f"right (AFTER box {list(s.box) if s.box else 'none'})"
            for s in result.shifts
        ]
        context = [
            f.model_copy(update={"title": line}) for f, line in zip(measured, lines, strict=False)
        ]
        request = ModelRequest(
            [before, after],
            [Screen(before.rgb, 0, before.name), Screen(after.rgb, 1, after.name)],
            chosen,
            note,
            context,
            groundings=groundings,
            pin_image=1,
        )
        part = ask_model(request, provider or Provider(settings), on_text, on_progress)
        timings.update(part.timings)
        extra.update(part.sent)
        regions = dict(numbered)
        part.findings = [_on_region_image(_rated(f), regions) for f in part.findings]
    elif use_model and not settings.has_key:
        notices.append(NO_KEY_NOTICE)
    elif use_model and not numbered:
        notices.append("No changed regions, so there was nothing to ask the model about.")
    if result.size_before != result.size_after:
        notices.append(
            f"The images differ in size ({result.size_before[0]}x{result.size_before[1]} before, "
            f"{result.size_after[0]}x{result.size_after[1]} after); their overlap was compared."
        )
    timings["total"] = time.perf_counter() - started
    findings = measured + part.findings
    placed = whole_screen_notice(findings, part.model or settings.model)
    return Review(
        kind="compare",
        preset="diff",
        note=note,
        images=[before.info(), after.info()],
        findings=findings,
        model=part.model
        or (settings.model if use_model and settings.has_key and numbered else None),
        usage=part.usage,
        raw_reply=part.raw,
        notices=notices + part.notices + ([placed] if placed else []),
        timings={k: round(v, 4) for k, v in timings.items()},
        settings={"base_url": settings.public_base_url, "model": settings.model},
        comparison=comparison,
        extra=extra,
        error=part.error,
        partial=part.partial,
    )


def _in_frame(region, frame: str) -> Box | None:
    """A region's box on the image ``frame`` names: its own box there, else its counterpart."""
    return region.box if region.frame == frame else region.counterpart


def _region_line(n: int, r) -> str:
    other = "before" if r.frame == "after" else "after"
    line = f"Region {n}: {r.kind}, {r.pixels:,} px changed, box {list(r.box)} in the "
    line += f"{r.frame.upper()} image"
    if r.counterpart is not None:
        line += f" (at {list(r.counterpart)} in the {other.upper()} image)"
    return line


def _on_region_image(finding: Finding, regions: dict) -> Finding:
    """A model finding about one region only the before image shows (deleted rows) goes on the
    before image, boxed there; the marks it named are pinned to the after image otherwise."""
    regions_named = [regions.get(int(m)) for m in finding.marks if m.isdigit()]
    if len(regions_named) == 1 and regions_named[0] is not None:
        region = regions_named[0]
        if region.frame == "before":
            return finding.model_copy(update={"image": 0, "box": region.box})
    return finding


def _diff(
    before: np.ndarray,
    after: np.ndarray,
    options: DiffOptions,
    ignore: Sequence[Box],
    ignore_before: Sequence[Box] = (),
):
    from uireview.compare import diff

    return diff.compare(
        before,
        after,
        threshold=options.threshold,
        include_aa=options.include_aa,
        metric=options.metric,
        checkerboard=options.checkerboard,
        window_size=options.window,
        ignore=list(ignore),
        ignore_before=list(ignore_before),
    )


def comparison_overlay(review: Review, before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """The diff overlay of a comparison (red: darker after, blue: lighter), as RGBA pixels.

    Measured again from the two images with the options the comparison was saved with: a
    saved comparison keeps its figures, not the per-pixel result the overlay draws.
    """
    from uireview.compare import diff

    details = review.comparison or Comparison()
    result = _diff(before, after, details.options, details.ignore, details.ignore_before)
    return diff.overlay(after, result)


def parse_ignored(text: str) -> tuple[list[Box], list[Box], list[str]]:
    """The Compare page's ignored areas: (after boxes, before boxes, problems to show)."""
    from uireview.compare.ignored import parse_ignored as parse

    return parse(text)


def format_ignored(after: Sequence[Box], before: Sequence[Box] = ()) -> str:
    from uireview.compare.ignored import format_ignored as fmt

    return fmt(list(after), list(before))


def comparison_gate(review: Review, limit: str):
    """The pass/fail verdict of a comparison against ``limit`` ("500" px or "0.1%"), or
    ValueError with a sentence to show."""
    from uireview.compare.gate import parse_gate

    details = review.comparison or Comparison()
    return parse_gate(limit).judge(details.mismatch_pixels, details.compared_pixels)
