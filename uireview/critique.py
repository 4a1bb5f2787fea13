"""Asking the model, and reading its findings back onto the image.

The model sees each screenshot with numbered marks (or a grid), the preset's instruction,
the designer's note and what the measured checks already found; it answers in JSON naming
marks or cells, which become boxes on the original image.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from uireview.errors import UIReviewError
from uireview.findings import Finding
from uireview.grounding import Grounding, ground
from uireview.images import LoadedImage, encode_for_model
from uireview.modelreply import ModelFinding, parse_reply
from uireview.presets import Preset, system_prompt_template
from uireview.provider import Provider
from uireview.screen import Screen

MAX_MODEL_FINDINGS = 8

TextCallback = Callable[[str], None]
ProgressCallback = Callable[[str], None]


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
        encoded = encode_for_model(grounding.overlay)
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
            )
        )
    return out


@dataclass
class ModelPart:
    findings: list[Finding]
    notices: list[str]
    raw: str | None = None
    model: str | None = None
    usage: object | None = None
    error: str | None = None
    partial: bool = False


def ask_model(
    images: Sequence[LoadedImage],
    screens: Sequence[Screen],
    preset: Preset,
    note: str,
    measured: Sequence[Finding],
    provider: Provider,
    on_text: TextCallback,
    on_progress: ProgressCallback,
    timings: dict[str, float],
    extra: dict,
    groundings: Sequence[Grounding] | None = None,
    pin_image: int | None = None,
) -> ModelPart:
    started = time.perf_counter()
    on_progress("Marking elements for the model")
    if groundings is None:
        groundings = [ground(s) for s in screens]
    messages, payload = build_messages(preset, note, images, groundings, measured)
    extra["payload_bytes"] = payload
    extra["grounding"] = [g.kind for g in groundings]
    timings["prepare_request"] = time.perf_counter() - started
    on_progress("Waiting for the model")
    try:
        result = provider.chat(messages, json_mode=True, on_text=on_text)
    except UIReviewError as err:
        return ModelPart([], [], error=str(err))
    finally:
        timings["model"] = time.perf_counter() - started - timings["prepare_request"]
    notices: list[str] = []
    unreadable: str | None = None
    parsed = parse_reply(result.text)
    findings = to_findings(parsed.findings, groundings, image=pin_image)
    if result.partial:
        notices.append(
            "The model's reply broke off partway; the findings that arrived whole are shown."
        )
    elif not parsed.usable:
        # A refusal in prose or junk: an answer that failed, so it is never saved or cached.
        unreadable = (
            "The model's reply could not be read as findings (it is shown as text). Try again."
        )
    elif parsed.dropped:
        notices.append(f"{parsed.dropped} of the model's findings were malformed and left out.")
    if len(parsed.findings) > MAX_MODEL_FINDINGS:
        notices.append(
            f"The model listed {len(parsed.findings)} findings; "
            f"the first {MAX_MODEL_FINDINGS} are kept."
        )
    unplaced = sum(1 for f in findings if f.box is None)
    if unplaced:
        notices.append(
            f"{unplaced} model finding(s) named no mark we drew, so they are not pinned."
        )
    return ModelPart(
        findings,
        notices,
        raw=result.text,
        model=result.model,
        usage=result.usage,
        error=str(result.error) if result.partial and result.error else unreadable,
        partial=result.partial,
    )
