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
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from uireview import __version__
from uireview.checks import get_check
from uireview.critique import ModelPart, ask_model
from uireview.errors import StorageFailed
from uireview.findings import SEVERITY_ORDER, Box, Finding, ImageInfo, Review
from uireview.grounding import Grounding
from uireview.images import LoadedImage, check_count
from uireview.presets import Preset, get_preset, system_prompt_template
from uireview.provider import Provider
from uireview.screen import Screen
from uireview.settings import Settings
from uireview.workload import BUDGET, check_review_pixels

if TYPE_CHECKING:
    from uireview.store import Store

log = logging.getLogger(__name__)

NO_KEY_NOTICE = (
    "No API key is set, so only the measured checks ran. To add Grok's critique, set "
    "XAI_API_KEY in the environment or in .streamlit/secrets.toml."
)

TextCallback = Callable[[str], None]
ProgressCallback = Callable[[str], None]
__all__ = ["DiffOptions", "Outcome", "compare", "compare_and_keep", "review", "review_and_keep"]


def _noop(_: str) -> None:
    pass


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

    sizes = [(img.width, img.height) for img in images]
    check_review_pixels(sizes)
    on_progress("Measuring " + ", ".join(chosen.checks) if chosen.checks else "Preparing")
    with BUDGET.hold(sum(w * h for w, h in sizes)):  # see uireview.workload
        measured, notices = run_checks(screens, chosen)
    timings["checks"] = time.perf_counter() - started

    part = ModelPart([], [])
    if use_model and settings.has_key:
        part = ask_model(
            images,
            screens,
            chosen,
            note,
            measured,
            provider or Provider(settings),
            on_text,
            on_progress,
            timings,
            extra,
        )
    elif use_model:
        notices.append(NO_KEY_NOTICE)
    timings["total"] = time.perf_counter() - started
    return Review(
        preset=chosen.name,
        note=note,
        images=[_info(i) for i in images],
        findings=order_findings(measured + part.findings),
        model=part.model or (settings.model if use_model and settings.has_key else None),
        usage=part.usage,
        raw_reply=part.raw,
        notices=notices + part.notices,
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
            "base_url": settings.public_base_url if use_model and settings.has_key else "",
            "prompt_sha256": hashlib.sha256(prompt.encode()).hexdigest(),
            "engine": __version__,
        },
    )


@dataclass
class Outcome:
    """A review as shown, and the owner's delete token when it was just saved (shown once).

    ``not_saved`` says why a finished review could not be saved (a full or read-only disk):
    the review is complete and shown; the page offers it as a download instead.
    """

    review: Review
    delete_token: str | None = None
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
    answer. A result whose model part failed or broke off is shown but not saved (see
    ``worth_keeping``). A store that cannot write loses nothing: the result comes back with
    ``not_saved`` saying why.
    """
    if uses_model and not run_again:
        try:
            cached = store.find_cached(key)
        except Exception as exc:  # a broken store must not stop a review; it just won't cache
            log.warning("cache look-up failed: %s", type(exc).__name__)
            cached = None
        if cached is not None and worth_keeping(cached):
            return Outcome(cached)
    result = run()
    if not worth_keeping(result):
        return Outcome(result)
    expires = store.now() + timedelta(days=keep_days) if keep_days > 0 else None
    try:
        saved = store.save(
            result, [img.data for img in images], request_key=key, expires_at=expires
        )
    except StorageFailed as exc:
        return Outcome(result, not_saved=str(exc))
    return Outcome(saved.review, saved.delete_token)


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


@dataclass(frozen=True)
class DiffOptions:
    """pixelmatch's options as the Compare page and the CLI expose them."""

    threshold: float = 0.1
    include_aa: bool = False
    metric: str = "oklab"
    checkerboard: bool = True


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
    options: DiffOptions = DiffOptions(),
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
    result = diff.compare(
        before.rgba,
        after.rgba,
        threshold=options.threshold,
        include_aa=options.include_aa,
        metric=options.metric,
        checkerboard=options.checkerboard,
        ignore=list(ignore),
    )
    measured = diff.diff_findings(result, image=1)
    timings = {"diff": time.perf_counter() - started}
    extra = {
        **result.to_json(),
        "ignore": [list(b) for b in ignore],
        "options": {
            "threshold": options.threshold,
            "include_aa": options.include_aa,
            "metric": options.metric,
            "checkerboard": options.checkerboard,
        },
    }
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
        part = ask_model(
            [before, after],
            [Screen(before.rgb, 0, before.name), Screen(after.rgb, 1, after.name)],
            chosen,
            note,
            context,
            provider or Provider(settings),
            on_text,
            on_progress,
            timings,
            extra,
            groundings=groundings,
            pin_image=1,
        )
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
    return Review(
        kind="compare",
        preset="diff",
        note=note,
        images=[_info(before), _info(after)],
        findings=measured + part.findings,
        model=part.model
        or (settings.model if use_model and settings.has_key and regions else None),
        usage=part.usage,
        raw_reply=part.raw,
        notices=notices + part.notices,
        timings={k: round(v, 4) for k, v in timings.items()},
        settings={"base_url": settings.public_base_url, "model": settings.model},
        extra=extra,
        error=part.error,
        partial=part.partial,
    )


def compare_and_keep(
    before: LoadedImage,
    after: LoadedImage,
    *,
    settings: Settings,
    store: Store,
    options: DiffOptions = DiffOptions(),
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
            "base_url": settings.public_base_url if live else "",
            "ignore": [list(b) for b in ignore],
            "options": vars(options),
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
