"""The one entry the pages and the CLI call: ``review(...)`` and ``compare(...)``, and their
``*_and_keep`` forms that answer from the store or save before showing.

Data flows one way: images -> measured checks -> grounding -> provider -> findings. Measured
findings always come back; the model adds judgement on top when a key is set (see
``critique``), and a model failure is reported on the review (``error``) without losing the
measured part.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Literal

import numpy as np

from uireview import __version__
from uireview.annotate import annotate, hatch, pin_boxes, shown_size
from uireview.catalogue import ModelChoice
from uireview.checks import get_check
from uireview.compare.options import DiffOptions
from uireview.costs import Estimate, estimate
from uireview.critique import ModelPart, ModelRequest, ask_model, whole_screen_notice
from uireview.errors import UIReviewError
from uireview.findings import (
    SEVERITY_ORDER,
    Box,
    ChangedRegion,
    Comparison,
    Finding,
    ImageInfo,
    Review,
    RowShift,
)
from uireview.grounding import Grounding
from uireview.images import MAX_IMAGES, LoadedImage, check_count, load_image
from uireview.inert import break_autolinks
from uireview.modelreply import whole_items
from uireview.presets import Preset, get_preset, review_presets, system_prompt_template
from uireview.provider import Provider
from uireview.screen import Screen
from uireview.settings import Settings
from uireview.store import Store, url_from_settings

log = logging.getLogger(__name__)

NO_KEY_NOTICE = (
    "No API key is set, so only the measured checks ran. To add Grok's critique, set "
    "XAI_API_KEY in the environment or in .streamlit/secrets.toml."
)

TextCallback = Callable[[str], None]
ProgressCallback = Callable[[str], None]
__all__ = [
    "MAX_IMAGES",
    "DiffOptions",
    "LoadedImage",
    "Outcome",
    "Store",
    "annotate",
    "break_autolinks",
    "choose_model",
    "compare",
    "compare_and_keep",
    "comparison_overlay",
    "estimate_review",
    "export",
    "hatch",
    "is_review_id",
    "load_image",
    "open_review",
    "open_store",
    "pin_boxes",
    "price",
    "review",
    "review_and_keep",
    "shown_size",
    "review_presets",
    "store_url",
    "whole_items",
]


def _noop(_: str) -> None:
    pass


def choose_model(settings: Settings, provider: Provider | None = None) -> ModelChoice:
    """The model a review will use here, with a one-line notice when we chose it.

    XAI_MODEL unset and the default not offered: the newest listed model that takes images.
    An explicit XAI_MODEL is kept; ``problem`` then says what the endpoint lacks. A model
    list that cannot be fetched leaves the settings as they are, with why in ``problem``.
    """
    if not settings.has_key:
        return ModelChoice(settings)
    try:
        return (provider or Provider(settings)).choose_model()
    except UIReviewError as err:
        log.info("model list unavailable (%s); keeping %s", type(err).__name__, settings.model)
        return ModelChoice(settings, problem=err)


def estimate_review(
    sizes: Sequence[tuple[int, int]],
    note: str,
    settings: Settings,
    provider: Provider | None = None,
) -> Estimate:
    """Tokens (and cost, at the listed or configured prices) a review will use, roughly."""
    prices = (provider or Provider(settings)).prices(settings.model) if settings.has_key else None
    return estimate(sizes, note, prices=prices)


def run_checks(screens: Sequence[Screen], preset: Preset) -> tuple[list[Finding], list[str]]:
    """Measured findings for every screen, and a notice for any check that failed."""
    findings: list[Finding] = []
    notices: list[str] = []
    for screen in screens:
        for name in preset.checks:
            try:
                found = get_check(name)(screen)
            except Exception as exc:  # one broken check must not take the others with it
                log.warning("check %s failed on image %d: %r", name, screen.index, exc)
                log.debug("check failure", exc_info=True)
                notices.append(
                    f"The {name} check could not run on image {screen.index + 1}; "
                    "its other results are shown."
                )
                continue
            findings.extend(f.model_copy(update={"image": screen.index}) for f in found)
    return findings, notices


def order_findings(findings: list[Finding]) -> list[Finding]:
    """One list: categories by their most serious finding; measured first within a category.

    The position (1-based) is the number drawn on the image and shown in the list.
    """

    def rank(f: Finding) -> tuple[int, int]:
        return (0 if f.source == "measured" else 1, SEVERITY_ORDER.get(f.severity, 9))

    best: dict[str, tuple[int, int]] = {}
    for f in findings:
        best[f.category] = min(best.get(f.category, (9, 9)), rank(f))
    return sorted(findings, key=lambda f: (best[f.category], f.category, rank(f)))


def _info(image: LoadedImage) -> ImageInfo:
    return ImageInfo(
        name=image.name,
        width=image.width,
        height=image.height,
        mime=image.mime,
        sha256=image.sha256,
        bytes=len(image.data),
    )


def review(
    images: Sequence[LoadedImage],
    preset: str,
    *,
    settings: Settings,
    note: str = "",
    use_model: bool = True,
    provider: Provider | None = None,
    on_text: TextCallback = _noop,
    on_progress: ProgressCallback = _noop,
) -> Review:
    """Review 1-10 screenshots: measured checks, then the model's critique when a key is set."""
    check_count(len(images))
    chosen = get_preset(preset)
    started = time.perf_counter()
    timings: dict[str, float] = {}
    extra: dict = {}
    screens = [Screen(img.rgb, i, img.name) for i, img in enumerate(images)]

    on_progress("Measuring " + ", ".join(chosen.checks) if chosen.checks else "Preparing")
    measured, notices = run_checks(screens, chosen)
    timings["checks"] = time.perf_counter() - started

    part = ModelPart([], [])
    if use_model and settings.has_key:
        part = ask_model(
            ModelRequest(images, screens, chosen, note, measured),
            provider or Provider(settings),
            on_text,
            on_progress,
        )
        timings.update(part.timings)
        extra.update(part.sent)
    elif use_model:
        notices.append(NO_KEY_NOTICE)
    timings["total"] = time.perf_counter() - started
    findings = order_findings(measured + part.findings)
    placed = whole_screen_notice(findings, part.model or settings.model)
    return Review(
        preset=chosen.name,
        note=note,
        images=[_info(i) for i in images],
        findings=findings,
        model=part.model or (settings.model if use_model and settings.has_key else None),
        usage=part.usage,
        raw_reply=part.raw,
        notices=notices + part.notices + ([placed] if placed else []),
        timings={k: round(v, 4) for k, v in timings.items()},
        settings={
            "base_url": settings.base_url,
            "model": settings.model,
            "checks": list(chosen.checks),
        },
        extra=extra,
        error=part.error,
        partial=part.partial,
    )


def request_key_for(
    images: Sequence[LoadedImage], preset: str, note: str, settings: Settings, use_model: bool
) -> str:
    """What names a review for the cache: image bytes, preset, note, model, and the prompt."""
    from uireview.store.requestkey import request_key

    chosen = get_preset(preset)
    prompt = "\n".join((system_prompt_template(), chosen.instruction, ",".join(chosen.checks)))
    return request_key(
        [img.data for img in images],
        preset,
        note.strip(),
        settings.model if use_model and settings.has_key else "",
        {
            "base_url": settings.base_url if use_model and settings.has_key else "",
            "prompt_sha256": hashlib.sha256(prompt.encode()).hexdigest(),
            "engine": __version__,
        },
    )


@dataclass
class Outcome:
    """A review as shown, its decoded images, and the owner's delete token (shown once)."""

    review: Review
    delete_token: str | None = None
    # The screenshots, decoded once: the page draws them and the exports embed them.
    images: list[LoadedImage] = field(default_factory=list)


def _keep(
    store: Store,
    key: str,
    images: Sequence[LoadedImage],
    run_again: bool,
    run,
    keep_days: float = 0.0,
    uses_model: bool = True,
) -> Outcome:
    """Answer from the store when the same request was saved, else run and save before showing.

    Only model answers are served from the store: they cost money and time. Measured-only
    results are cheap and always recomputed, so an improved check is never hidden by an old
    answer. A result whose model part failed or broke off is shown but not saved: nothing
    half-done lands in the store, and trying again is not answered from the cache.
    """
    if uses_model and not run_again:
        cached = store.find_cached(key)
        if cached is not None:
            return Outcome(cached, images=list(images))
    result = run()
    if result.error or result.partial:
        return Outcome(result, images=list(images))
    expires = store.now() + timedelta(days=keep_days) if keep_days > 0 else None
    saved = store.save(result, [img.data for img in images], request_key=key, expires_at=expires)
    return Outcome(saved.review, saved.delete_token, list(images))


def review_and_keep(
    images: Sequence[LoadedImage],
    preset: str,
    *,
    settings: Settings,
    store: Store,
    note: str = "",
    use_model: bool = True,
    run_again: bool = False,
    provider: Provider | None = None,
    on_text: TextCallback = _noop,
    on_progress: ProgressCallback = _noop,
) -> Outcome:
    """``review`` answered from the store when identical, else saved before it is shown."""
    check_count(len(images))
    key = request_key_for(images, preset, note, settings, use_model)
    return _keep(
        store,
        key,
        images,
        run_again,
        lambda: review(
            images,
            preset,
            settings=settings,
            note=note,
            use_model=use_model,
            provider=provider,
            on_text=on_text,
            on_progress=on_progress,
        ),
        settings.keep_days,
        use_model and settings.has_key,
    )


# --- comparing two screenshots ------------------------------------------------------------

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
    note: str = "",
    use_model: bool = True,
    provider: Provider | None = None,
    on_text: TextCallback = _noop,
    on_progress: ProgressCallback = _noop,
) -> Review:
    """Diff two screenshots exactly, then ask the model to explain and rate each region."""
    from uireview.compare import diff

    started = time.perf_counter()
    on_progress("Comparing pixels")
    result = _diff(before.rgba, after.rgba, options, ignore)
    measured = diff.diff_findings(result, image=1)
    timings = {"diff": time.perf_counter() - started}
    comparison = Comparison(
        options=options,
        ignore=list(ignore),
        mismatch_pixels=result.mismatch_pixels,
        window_pixels=result.window_pixels,
        regions=[ChangedRegion(box=r.box, pixels=r.pixels, kind=r.kind) for r in result.regions],
        shifts=[RowShift(y=s.y, dy=s.dy, height=s.height) for s in result.shifts],
        size_before=result.size_before,
        size_after=result.size_after,
    )
    extra: dict = {}
    notices: list[str] = []
    part = ModelPart([], [])
    regions = {str(n): r.box for n, r in enumerate(result.regions, 1)}
    if use_model and settings.has_key and regions:
        chosen = get_preset("diff")
        groundings = [_region_marks(before, {}, 0), _region_marks(after, regions, 1)]
        lines = [
            f"Region {n}: {r.kind}, {r.pixels:,} px changed, box {list(r.box)} in the AFTER image"
            for n, r in enumerate(result.regions, 1)
        ]
        lines += [f"Shift: content below y={s.y} moved {s.dy:+d} px" for s in result.shifts]
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
        part.findings = [_rated(f) for f in part.findings]
    elif use_model and not settings.has_key:
        notices.append(NO_KEY_NOTICE)
    elif use_model and not regions:
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
        images=[_info(before), _info(after)],
        findings=findings,
        model=part.model
        or (settings.model if use_model and settings.has_key and regions else None),
        usage=part.usage,
        raw_reply=part.raw,
        notices=notices + part.notices + ([placed] if placed else []),
        timings={k: round(v, 4) for k, v in timings.items()},
        settings={"base_url": settings.base_url, "model": settings.model},
        comparison=comparison,
        extra=extra,
        error=part.error,
        partial=part.partial,
    )


def _diff(before: np.ndarray, after: np.ndarray, options: DiffOptions, ignore: Sequence[Box]):
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
    )


def comparison_overlay(review: Review, before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """The diff overlay of a comparison (red: darker after, blue: lighter), as RGBA pixels.

    Measured again from the two images with the options the comparison was saved with: a
    saved comparison keeps its figures, not the per-pixel result the overlay draws.
    """
    from uireview.compare import diff

    details = review.comparison or Comparison()
    result = _diff(before, after, details.options, details.ignore)
    return diff.overlay(after, result)


def compare_and_keep(
    before: LoadedImage,
    after: LoadedImage,
    *,
    settings: Settings,
    store: Store,
    options: DiffOptions = DEFAULT_DIFF_OPTIONS,
    ignore: Sequence[Box] = (),
    note: str = "",
    use_model: bool = True,
    run_again: bool = False,
    provider: Provider | None = None,
    on_text: TextCallback = _noop,
    on_progress: ProgressCallback = _noop,
) -> Outcome:
    """``compare`` answered from the store when identical, else saved before it is shown."""
    from uireview.store.requestkey import request_key

    live = use_model and settings.has_key
    key = request_key(
        [before.data, after.data],
        "diff",
        note.strip(),
        settings.model if live else "",
        {
            "base_url": settings.base_url if live else "",
            "ignore": [list(b) for b in ignore],
            "options": options.to_json(),
            "engine": __version__,
        },
    )
    return _keep(
        store,
        key,
        [before, after],
        run_again,
        lambda: compare(
            before,
            after,
            settings=settings,
            options=options,
            ignore=ignore,
            note=note,
            use_model=use_model,
            provider=provider,
            on_text=on_text,
            on_progress=on_progress,
        ),
        settings.keep_days,
        live,
    )


# --- what the pages draw and open -----------------------------------------------------------
# Pages and components reach the engine only through this module (and the types in
# findings, errors and settings): the drawing pieces imported above (annotate, hatch,
# load_image, break_autolinks, whole_items, review_presets) and these.

ExportFormat = Literal["md", "json", "png", "html"]


def store_url(settings: Settings) -> str:
    """The database URL the settings name (SQLite in the data folder unless one is set)."""
    return url_from_settings(settings)


def open_store(settings: Settings) -> Store:
    """The review store the settings name, its schema brought up to date."""
    return Store.open(store_url(settings))


def is_review_id(value: object) -> bool:
    """Whether ``value`` has the shape of a review id (checked before any query)."""
    from uireview.store import is_valid_id

    return is_valid_id(value)


def open_review(store: Store, review_id: str) -> Outcome | None:
    """A saved review with its images decoded, or None for a bad, unknown or expired id."""
    if not is_review_id(review_id):
        return None
    review = store.load(review_id)
    if review is None:
        return None
    decoded: list[LoadedImage] = []
    for info in review.images:
        data = store.image(info.sha256)
        if data is None:  # an image removed under a review: show the findings without it
            return Outcome(review)
        decoded.append(load_image(data, info.name))
    return Outcome(review, images=decoded)


def export(review: Review, images: Sequence[LoadedImage | bytes], fmt: ExportFormat) -> bytes:
    """The review as a file: Markdown checklist, JSON, annotated PNG or one offline HTML."""
    from uireview import export as exports

    if fmt == "md":
        return exports.to_markdown(review).encode()
    if fmt == "json":
        return exports.to_json(review).encode()
    if fmt == "png":
        return exports.to_png(review, images)
    return exports.to_html(review, images).encode()


def price(review: Review, settings: Settings) -> float | None:
    """What the review's model call cost in USD, when the prices are known."""
    from uireview.costs import price as usage_price

    return usage_price(review.usage, settings)
