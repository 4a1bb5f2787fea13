"""A review as one annotated PNG: the screenshots stacked, a legend of every finding below."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

from PIL import Image, ImageDraw

from uireview.annotate import DISMISSED_COLOUR, SEVERITY_COLOUR
from uireview.drawing import font
from uireview.export.pictures import annotated_images
from uireview.export.words import (
    cost_line,
    date_words,
    dismissed_findings,
    findings_line,
    loop_line,
    naming,
    one_line,
    status_words,
    where,
)
from uireview.findings import Finding, Review
from uireview.images import LoadedImage
from uireview.loop_draw import RESOLVED

# Pixels the whole PNG may have; ten tall screenshots stacked would otherwise need gigabytes.
PNG_MAX_PIXELS = 40_000_000

_INK = (15, 23, 42)
_MUTED = (71, 85, 105)
_RULE = (226, 232, 240)
_PANEL = (248, 250, 252)
_GUTTER = (226, 232, 240)  # beside an image narrower than the widest


def _wrap(text: str, size: int, width: int) -> list[str]:
    """Greedy word wrap to ``width`` pixels; a word longer than a line is cut by characters."""
    face = font(size)
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if face.getlength(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while face.getlength(word) > width and len(word) > 1:
            cut = len(word) - 1
            while cut > 1 and face.getlength(word[:cut]) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line or not lines:
        lines.append(line)
    return lines


def _legend_entries(review: Review) -> list[tuple[str, Finding, str]]:
    """(label, finding, kind) for the PNG's legend: the open findings by number, then the
    ones resolved since the baseline ("was 3") and the dismissed ones, each marked so."""
    rows = [(f"{n}.", f, "open") for n, f in enumerate(review.findings, 1) if not f.dismissed]
    for f in review.resolved:
        was = f.previous.get("number")
        rows.append((f"was {was}" if was else "-", f, "resolved"))
    rows += [(f"{n}." if n else "-", f, "dismissed") for n, f in dismissed_findings(review)]
    return rows


def _fit(pictures: list[Image.Image]) -> list[Image.Image]:
    total = sum(p.width * p.height for p in pictures)
    if total <= PNG_MAX_PIXELS:
        return pictures
    factor = math.sqrt(PNG_MAX_PIXELS / total)
    return [
        p.resize(
            (max(1, round(p.width * factor)), max(1, round(p.height * factor))),
            Image.Resampling.LANCZOS,
        )
        for p in pictures
    ]


def to_png(review: Review, images: Sequence[bytes | LoadedImage]) -> bytes:
    """The screenshots with numbered marks, stacked, and a legend of every finding below."""
    pictures = _fit(annotated_images(review, images))
    width = max([720, *(p.width for p in pictures)])
    size = max(15, min(30, round(width / 64)))  # legend text: ~20 px on a 1280 px screenshot
    small = max(13, size * 4 // 5)
    pad = size
    line_h = round(size * 1.4)
    small_h = round(small * 1.4)
    caption_h = round(size * 2.2)

    # Lay out the legend first so the canvas height is known.
    number_w = round(font(size).getlength(f"{max(1, len(review.findings))}.")) + size // 2
    number_w = (
        max(number_w, round(font(size).getlength("was 00")) + size // 2)
        if (review.resolved)
        else number_w
    )
    dot = round(size * 0.7)
    text_x = pad + dot + size // 2 + number_w
    text_w = width - text_x - pad
    rows = []
    for label, f, kind in _legend_entries(review):
        title = _wrap(one_line(f.title) or "Untitled", size, text_w)
        tags = [f.severity, one_line(f.category), f.source]
        if image := where(f, review):
            tags.append(image)
        if f.box is None and kind == "open":
            tags.append("whole screen")
        if named := naming(f):
            tags.insert(0, named)
        tags.append("resolved" if kind == "resolved" else status_words(f))
        meta = _wrap(" · ".join(t for t in tags if t), small, text_w)
        rows.append((label, f, kind, title, meta))
    sub = [line for line in (loop_line(review), cost_line(review)) if line]
    if loop_line(review):
        sub[0] = f"Against baseline {review.baseline}: {sub[0]}"
    sub = [w for line in sub for w in _wrap(line, small, width - 2 * pad)]
    legend_h = pad + line_h + len(sub) * small_h + pad // 2  # heading
    legend_h += sum(len(t) * line_h + len(m) * small_h + pad // 2 for *_, t, m in rows)
    legend_h += (line_h if not rows else 0) + pad

    height = sum(caption_h + p.height for p in pictures) + legend_h
    canvas = Image.new("RGB", (width, height), _GUTTER)
    draw = ImageDraw.Draw(canvas)
    y = 0
    for index, (picture, info) in enumerate(zip(pictures, review.images, strict=True)):
        draw.rectangle((0, y, width, y + caption_h - 1), fill=_PANEL)
        draw.line((0, y + caption_h - 1, width, y + caption_h - 1), fill=_RULE)
        label = f"{index + 1}/{len(pictures)}  " if len(pictures) > 1 else ""
        # "x", not "×": Pillow's bundled font has no multiplication sign.
        caption = f"{label}{one_line(info.name)}  ·  {info.width} x {info.height}"
        caption = _wrap(caption, size, width - 2 * pad)[0]
        draw.text((pad, y + caption_h // 2), caption, font=font(size), fill=_INK, anchor="lm")
        y += caption_h
        canvas.paste(picture, (0, y))
        y += picture.height

    draw.rectangle((0, y, width, height), fill=_PANEL)
    draw.line((0, y, width, y), fill=_RULE, width=2)
    y += pad
    heading = f"{findings_line(review)}  ·  {review.preset}  ·  {date_words(review)}"
    draw.text((pad, y), _wrap(heading, size, width - 2 * pad)[0], font=font(size), fill=_INK)
    y += line_h
    for text in sub:
        draw.text((pad, y + small_h // 2), text, font=font(small), fill=_MUTED, anchor="lm")
        y += small_h
    y += pad // 2
    if not rows:
        draw.text((pad, y), "No findings.", font=font(size), fill=_MUTED)
    for label, f, kind, title, meta in rows:
        colour = {"resolved": RESOLVED, "dismissed": DISMISSED_COLOUR}.get(
            kind, SEVERITY_COLOUR.get(f.severity, SEVERITY_COLOUR["info"])
        )
        ink = _INK if kind == "open" else _MUTED
        cy = y + line_h // 2
        draw.ellipse((pad, cy - dot // 2, pad + dot, cy + dot // 2), fill=colour)
        num_x = pad + dot + size // 2
        draw.text((num_x, cy), label, font=font(size), fill=ink, anchor="lm")
        for i, text in enumerate(title):
            draw.text((text_x, y + line_h // 2), text, font=font(size), fill=ink, anchor="lm")
            if kind == "resolved" and i == 0:  # struck through, as on the page
                x1 = text_x + font(size).getlength(text)
                draw.line((text_x, y + line_h // 2, x1, y + line_h // 2), fill=ink, width=2)
            y += line_h
        for text in meta:
            draw.text((text_x, y + small_h // 2), text, font=font(small), fill=_MUTED, anchor="lm")
            y += small_h
        y += pad // 2

    buf = io.BytesIO()
    canvas.save(buf, "PNG", optimize=False)
    return buf.getvalue()
