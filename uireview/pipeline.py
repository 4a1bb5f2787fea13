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
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Literal

from uireview import __version__
from uireview.annotate import (
    DISMISSED_COLOUR,
    SEVERITY_COLOUR,
    annotate,
    hatch,
    pin_boxes,
    shown_size,
)
from uireview.catalogue import ModelChoice
from uireview.checks import get_check
from uireview.checks.coverage import nothing_found_message
from uireview.compare.comparison import (
    DEFAULT_DIFF_OPTIONS,
    compare,
    comparison_gate,
    comparison_overlay,
    format_ignored,
    parse_ignored,
)
from uireview.compare.options import DiffOptions
from uireview.costs import Estimate, estimate
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
from uireview.errors import StorageFailed, UIReviewError
from uireview.findings import (
    SEVERITY_ORDER,
    Box,
    Finding,
    Review,
)
from uireview.images import MAX_IMAGES, LoadedImage, check_count, load_image
from uireview.inert import break_autolinks
from uireview.loop import Baseline, against_baseline, gate_failures, loop_counts
from uireview.modelreply import whole_items
from uireview.presets import Preset, get_preset, review_presets, system_prompt_template
from uireview.provider import Provider
from uireview.screen import Screen
from uireview.settings import Settings
from uireview.store import Store, url_from_settings
from uireview.store.failures import STORAGE_ERRORS, UnavailableStore
from uireview.store.failures import unavailable as unavailable_store
from uireview.workload import BUDGET, check_review_pixels

log = logging.getLogger(__name__)

__all__ = [
    "Baseline",
    "DISMISSED_COLOUR",
    "DiffOptions",
    "LoadedImage",
    "MAX_IMAGES",
    "Outcome",
    "SEVERITY_COLOUR",
    "STORAGE_ERRORS",
    "Store",
    "UnavailableStore",
    "annotate",
    "break_autolinks",
    "choose_model",
    "compare",
    "compare_and_keep",
    "comparison_gate",
    "comparison_overlay",
    "default_baseline",
    "estimate_review",
    "export",
    "format_ignored",
    "gate_failures",
    "hatch",
    "is_review_id",
    "load_baseline",
    "load_image",
    "loop_counts",
    "nothing_found_message",
    "open_review",
    "open_store",
    "parse_ignored",
    "pin_boxes",
    "price",
    "resolved_overlay",
    "review",
    "review_and_keep",
    "review_presets",
    "shown_size",
    "store_url",
    "unavailable_store",
    "whole_items",
]


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


def review(
    images: Sequence[LoadedImage],
    preset: str,
    *,
    settings: Settings,
    note: str = "",
    use_model: bool = True,
    provider: Provider | None = None,
    on_text: TextCallback = noop,
    on_progress: ProgressCallback = noop,
    baseline: Baseline | None = None,
) -> Review:
    """Review 1-10 screenshots: measured checks, then the model's critique when a key is set.

    With a ``baseline`` (an earlier review of the same screen), each finding is marked new or
    persisting and the baseline's findings no longer found are listed as resolved.
    """
    check_count(len(images))
    chosen = get_preset(preset)
    started = time.perf_counter()
    timings: dict[str, float] = {}
    extra: dict = {}
    screens = [Screen(img.rgb, i, img.name) for i, img in enumerate(images)]

    sizes = [(img.width, img.height) for img in images]
    check_review_pixels(sizes)
    on_progress("Measuring " + ", ".join(chosen.checks) if chosen.checks else "Preparing")
    with BUDGET.hold(sum(w * h for w, h in sizes)):  # see uireview.workload
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
    result = Review(
        preset=chosen.name,
        note=note,
        images=[i.info() for i in images],
        findings=findings,
        model=part.model or (settings.model if use_model and settings.has_key else None),
        usage=part.usage,
        raw_reply=part.raw,
        notices=notices + part.notices + ([placed] if placed else []),
        timings={k: round(v, 4) for k, v in timings.items()},
        settings={
            "base_url": settings.public_base_url,
            "model": settings.model,
            "checks": list(chosen.checks),
        },
        extra=extra,
        error=part.error,
        partial=part.partial,
    )
    if baseline is not None:
        on_progress("Matching findings with the baseline")
        loop_started = time.perf_counter()
        result = against_baseline(result, baseline, [img.rgb for img in images])
        timings["baseline"] = time.perf_counter() - loop_started
    timings["total"] = time.perf_counter() - started
    result.timings = {k: round(v, 4) for k, v in timings.items()}
    return result


def load_baseline(store: Store, review_id: str) -> Baseline:
    """A saved review (with its owner's dismissals) and its pixels, to compare a new one with.

    Raises BaselineNotFound for an unknown, expired or deleted id or lost images.
    """
    from uireview.errors import BaselineNotFound

    found = store.load(review_id) if isinstance(review_id, str) else None
    if found is None:
        raise BaselineNotFound()
    try:
        blobs = store.images_for(found)
    except LookupError as exc:
        raise BaselineNotFound(f"The baseline's images are no longer stored ({exc}).") from exc
    pixels = [load_image(b, info.name).rgb for b, info in zip(blobs, found.images, strict=True)]
    return Baseline(found, pixels)


def resolved_overlay(review: Review, pixels, image: int = 0, *, on_baseline: bool = False):
    """The screenshot (RGB array) of image ``image`` with the review's resolved findings struck
    through: on the baseline's pixels where they were, or on the new ones, moved as matched."""
    from PIL import Image

    from uireview.loop_draw import moves_from, strike_resolved

    mine = [f for f in review.resolved if f.image == image]
    moves = [] if on_baseline else moves_from(review.extra, image)
    return strike_resolved(Image.fromarray(pixels), mine, moves)


def default_baseline(
    store: Store, name: str, *, exclude: str | None = None, sha256: str | None = None
) -> str | None:
    """The last saved review of a screenshot with this file name, the usual baseline.

    With ``sha256`` (the new screenshot's), reviews of those very pixels are skipped: the same
    image again is a rerun (one History entry), not a next version.
    """
    return store.latest_named(name, kind="review", before=exclude, other_than=sha256)


def request_key_for(
    images: Sequence[LoadedImage],
    preset: str,
    note: str,
    settings: Settings,
    use_model: bool,
    baseline: str | None = None,
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
            "base_url": settings.public_base_url if use_model and settings.has_key else "",
            "prompt_sha256": hashlib.sha256(prompt.encode()).hexdigest(),
            "engine": __version__,
            # The same screenshot against another baseline is another answer.
            **({"baseline": baseline} if baseline else {}),
        },
    )


@dataclass
class Outcome:
    """A review as shown, its decoded images, and the owner's delete token (shown once).

    ``not_saved`` says why a finished review could not be saved (a full or read-only disk):
    the review is complete and shown; the page offers it as a download instead.
    """

    review: Review
    delete_token: str | None = None
    # The screenshots, decoded once: the page draws them and the exports embed them.
    images: list[LoadedImage] = field(default_factory=list)
    not_saved: str | None = None


def worth_keeping(result: Review) -> bool:
    """Whether a result may be saved as a request's answer and served again from the store.

    Only a complete answer is: a failed, refused, unreadable or cut-off model part is shown
    with its notice and a retry, and asking again must really ask again.
    """
    return not result.error and not result.partial


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
    answer; when the result is the one already saved for this request, that entry moves to
    now instead of History gaining a copy (``run_again`` saves a copy). A result whose model
    part failed or broke off is shown but not saved (see ``worth_keeping``). A store that
    cannot write loses nothing: the result comes back with ``not_saved`` and a notice.
    """
    if uses_model and not run_again:
        try:
            cached = store.find_cached(key)
        except Exception as exc:  # a broken store must not stop a review; it just won't cache
            log.warning("cache look-up failed: %s", type(exc).__name__)
            cached = None
        if cached is not None and worth_keeping(cached):
            return Outcome(cached, images=list(images))
    entry = None
    if not uses_model and not run_again:
        try:
            entry = store.entry_for(key)
        except Exception as exc:  # as above: an unreadable store only loses the de-duplication
            log.warning("history look-up failed: %s", type(exc).__name__)
    result = run()
    if not worth_keeping(result):
        return Outcome(result, images=list(images))
    if entry is not None:
        saved_before = store.load(entry)
        if saved_before is not None and _same_findings(saved_before, result):
            touched = store.touch(entry)
            if touched is not None:
                return Outcome(touched, images=list(images))
    expires = store.now() + timedelta(days=keep_days) if keep_days > 0 else None
    try:
        saved = store.save(
            result, [img.data for img in images], request_key=key, expires_at=expires
        )
    except StorageFailed as exc:
        return Outcome(result, images=list(images), not_saved=str(exc))
    return Outcome(saved.review, saved.delete_token, list(images))


def _same_findings(a: Review, b: Review) -> bool:
    """Equal results, ignoring what the owner added since (dismissals, ratings)."""

    def plain(r: Review) -> list:
        owner = {"dismissed", "rating"}
        return [
            [f.model_dump(mode="json", exclude=owner) for f in fs]
            for fs in (r.findings, r.resolved, r.dismissed)
        ]

    return plain(a) == plain(b) and a.baseline == b.baseline


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
    on_text: TextCallback = noop,
    on_progress: ProgressCallback = noop,
    baseline: str | None = None,
) -> Outcome:
    """``review`` answered from the store when identical, else saved before it is shown.

    ``baseline`` is the id of a saved review to compare with (BaselineNotFound if unknown).
    """
    check_count(len(images))
    base = load_baseline(store, baseline) if baseline else None
    key = request_key_for(images, preset, note, settings, use_model, baseline)
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
            baseline=base,
        ),
        settings.keep_days,
        use_model and settings.has_key,
    )


def compare_and_keep(
    before: LoadedImage,
    after: LoadedImage,
    *,
    settings: Settings,
    store: Store,
    options: DiffOptions = DEFAULT_DIFF_OPTIONS,
    ignore: Sequence[Box] = (),
    ignore_before: Sequence[Box] = (),
    note: str = "",
    use_model: bool = True,
    run_again: bool = False,
    provider: Provider | None = None,
    on_text: TextCallback = noop,
    on_progress: ProgressCallback = noop,
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
            "base_url": settings.public_base_url if live else "",
            "ignore": [list(b) for b in ignore],
            "options": options.to_json(),
            "engine": __version__,
            # only when given, so comparisons saved before it existed keep their keys
            **({"ignore_before": [list(b) for b in ignore_before]} if ignore_before else {}),
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
            ignore_before=ignore_before,
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
