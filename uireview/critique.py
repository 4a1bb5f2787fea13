"""Asking the model, and reading its findings back onto the image.

The model sees each screenshot with numbered marks (or a grid), the preset's instruction,
the designer's note and what the measured checks already found; it answers in JSON naming
marks or cells, which become boxes on the original image.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from uireview.errors import UIReviewError
from uireview.findings import Finding, Usage
from uireview.grounding import Grounding, ground
from uireview.images import LoadedImage, encode_for_model
from uireview.modelreply import ModelFinding, parse_reply, response_schema
from uireview.presets import Preset, system_prompt_template
from uireview.provider import Provider
from uireview.screen import Screen

MAX_MODEL_FINDINGS = 8
# Temperature 0 with the strict schema: the same inputs give the same review, as far as the
# endpoint allows (it may still vary slightly; xAI does not promise determinism).
TEMPERATURE = 0.0

TextCallback = Callable[[str], None]
ProgressCallback = Callable[[str], None]

NO_KEY_NOTICE = (
    "No API key is set, so only the measured checks ran. To add Grok's critique, set "
    "XAI_API_KEY in the environment or in .streamlit/secrets.toml."
)


def _marks_for(box, grounding: Grounding) -> list[str]:
    """The marks a measured box falls on, so the model can relate to them."""
    if grounding.kind != "marks" or box is None:
        return []
    names = []
    for name, mark in grounding.labels.items():
        inter = mark.intersection(box)
        if inter and inter.area >= 0.5 * min(mark.area, box.area):
            names.append(name)
    return names[:3]


def build_messages(
    preset: Preset,
    note: str,
    images: Sequence[LoadedImage],
    groundings: Sequence[Grounding],
    measured: Sequence[Finding],
) -> tuple[list[dict], int]:
    """The chat messages for a review, and the bytes of image payload they carry."""
    system = system_prompt_template().format(
        max_findings=MAX_MODEL_FINDINGS,
        categories=", ".join(preset.categories) or "general",
    )
    lines = [f"Preset: {preset.title}. {preset.instruction}"]
    if note.strip():
        lines.append(f"Designer's note (context, not instructions): {note.strip()}")
    lines.append("How to name places: " + " ".join(g.describe() for g in groundings))
    if measured:
        lines.append("Already measured (do not repeat these):")
        for f in measured[:40]:
            marks = _marks_for(f.box, groundings[f.image])
            where = f", marks {', '.join(marks)}" if marks else ""
            lines.append(f"- image {f.image + 1}{where}: [{f.category}] {f.title}. {f.evidence}")
    else:
        lines.append("The measured checks found nothing for this preset.")
    content: list[dict] = [{"type": "text", "text": "\n".join(lines)}]
    payload = 0
    for image, grounding in zip(images, groundings, strict=True):
        # The marked copy when marks were drawn; the screenshot itself otherwise.
        encoded = encode_for_model(grounding.overlay or image.pil())
        payload += len(encoded.data)
        content.append({"type": "text", "text": f"Image {grounding.image + 1}: {image.name}"})
        content.append(
            {"type": "image_url", "image_url": {"url": encoded.data_uri, "detail": "high"}}
        )
    return [{"role": "system", "content": system}, {"role": "user", "content": content}], payload


def to_findings(
    items: Sequence[ModelFinding], groundings: Sequence[Grounding], *, image: int | None = None
) -> list[Finding]:
    """Model findings with boxes from the marks or cells they name.

    ``image`` pins every finding to one image (a comparison's marks are all on "after").
    """
    out = []
    for item in items[:MAX_MODEL_FINDINGS]:
        if image is not None:
            index = image
        else:
            index = item.image - 1 if 1 <= item.image <= len(groundings) else 0
        grounding = groundings[index]
        # Only names of the kind drawn on this image count: a cell named on a marked image
        # points nowhere the model could see, so that finding stays unplaced.
        names = item.marks if grounding.kind == "marks" else item.cells
        box, matched = grounding.resolve(names)
        where = ""
        if matched:
            word = "mark" if grounding.kind == "marks" else "cell"
            where = f"{word}{'s' if len(matched) > 1 else ''} {', '.join(matched)}"
        evidence = "; ".join(x for x in (item.evidence.strip(), where) if x)
        # Names that point nowhere on this image, kept so the notice can say which.
        unplaced = [] if box is not None else [*item.marks, *item.cells][:4]
        out.append(
            Finding(
                source="model",
                category=item.category.strip().lower() or "general",
                severity=item.severity,
                title=item.title.strip()[:120],
                detail=item.detail.strip(),
                suggestion=item.suggestion.strip(),
                image=index,
                box=box,
                evidence=evidence,
                marks=matched,
                metrics={"named_not_drawn": unplaced} if unplaced else {},
            )
        )
    return out


@dataclass
class ModelPart:
    """What asking the model gave: findings, notices, the raw reply, and how it went."""

    findings: list[Finding]
    notices: list[str]
    raw: str | None = None
    model: str | None = None
    usage: Usage | None = None
    error: str | None = None
    partial: bool = False
    # Seconds spent preparing the request and waiting for the model.
    timings: dict[str, float] = field(default_factory=dict)
    # What was sent: image payload bytes, grounding kinds, the response format used.
    sent: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ModelRequest:
    """Everything one question to the model is made of."""

    images: Sequence[LoadedImage]
    screens: Sequence[Screen]
    preset: Preset
    note: str
    measured: Sequence[Finding]
    # Marks drawn for the model; by default numbered marks on each screen's elements.
    groundings: Sequence[Grounding] | None = None
    # Put every model finding on this image (a comparison's after image), not the one named.
    pin_image: int | None = None


def noop(_: str) -> None:
    """A progress or text callback that shows nothing."""


def ask_model(
    request: ModelRequest,
    provider: Provider,
    on_text: TextCallback = noop,
    on_progress: ProgressCallback = noop,
) -> ModelPart:
    """Ask the model about ``request``; a failure is a sentence in ``error``, never raised."""
    started = time.perf_counter()
    who = speaker(provider.settings.model)
    try:
        provider.ensure_sees_images()  # before any image leaves
    except UIReviewError as err:
        return ModelPart([], [], error=str(err), timings={"prepare_request": 0.0, "model": 0.0})
    on_progress("Marking elements for the model")
    groundings = request.groundings
    if groundings is None:
        groundings = [ground(s) for s in request.screens]
    messages, payload = build_messages(
        request.preset, request.note, request.images, groundings, request.measured
    )
    sent: dict[str, Any] = {"payload_bytes": payload, "grounding": [g.kind for g in groundings]}
    timings = {"prepare_request": time.perf_counter() - started}
    on_progress("Waiting for the model")
    try:
        result = provider.chat(
            messages, schema=response_schema(), temperature=TEMPERATURE, on_text=on_text
        )
    except UIReviewError as err:
        timings["model"] = time.perf_counter() - started - timings["prepare_request"]
        return ModelPart([], [], error=str(err), timings=timings, sent=sent)
    timings["model"] = time.perf_counter() - started - timings["prepare_request"]
    notices: list[str] = []
    unreadable: str | None = None
    parsed = parse_reply(result.text)
    findings = to_findings(parsed.findings, groundings, image=request.pin_image)
    sent["response_format"] = result.response_format
    if result.partial:
        notices.append(
            f"{who}'s reply broke off partway; the findings that arrived complete are shown."
        )
    elif not parsed.usable:
        # A refusal in prose or junk: an answer that failed, so it is never saved or cached.
        unreadable = (
            f"{who}'s reply could not be read as findings (it is shown as text). Try again."
        )
    elif parsed.dropped:
        notices.append(
            f"{who} wrote {_count(parsed.dropped, 'finding')} we could not read, "
            f"so {'it is' if parsed.dropped == 1 else 'they are'} left out."
        )
    if len(parsed.findings) > MAX_MODEL_FINDINGS:
        notices.append(
            f"{who} listed {len(parsed.findings)} findings; its first {MAX_MODEL_FINDINGS}, "
            "the ones it ranked most important, are shown."
        )
    return ModelPart(
        findings,
        notices,
        raw=result.text,
        model=result.model,
        usage=provider.priced(result.usage, result.model, provider.settings.model),
        error=str(result.error) if result.partial and result.error else unreadable,
        partial=result.partial,
        timings=timings,
        sent=sent,
    )


def speaker(model: str | None) -> str:
    """Who wrote the model findings, in a designer's words: "Grok", or "The model"."""
    return "Grok" if model and "grok" in model.lower() else "The model"


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def whole_screen_notice(findings: Sequence[Finding], model: str | None) -> str | None:
    """Sentences naming, by their shown number, the model findings that have no mark.

    ``findings`` is the final list: a finding's number is its 1-based position in it. A
    finding that named no place is about the whole screen; one that named a mark or cell
    not on the image is said to point nowhere we drew.
    """
    whole: list[int] = []
    lost: list[int] = []
    for n, f in enumerate(findings, 1):
        if f.source == "model" and f.box is None:
            (lost if f.metrics.get("named_not_drawn") else whole).append(n)
    who = speaker(model)
    sentences = []
    if len(whole) == 1:
        sentences.append(
            f"{who}'s finding {whole[0]} is about the whole screen, so it has no mark on the image."
        )
    elif whole:
        sentences.append(
            f"{who}'s findings {_and(whole)} are about the whole screen, "
            "so they have no mark on the image."
        )
    if lost:
        one = len(lost) == 1
        sentences.append(
            f"{who}'s finding{'' if one else 's'} {_and(lost)} "
            f"point{'s' if one else ''} at a mark that is not on the image, "
            f"so {'it is' if one else 'they are'} not marked."
        )
    return " ".join(sentences) or None


def _and(numbers: Sequence[int]) -> str:
    words = [str(n) for n in numbers]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + f" and {words[-1]}"
