"""A stored review as a file to hand on: Markdown checklist, JSON, annotated PNG, offline HTML.

Every export numbers findings by their 1-based position in ``review.findings``, the number
drawn on the image. Text from the model and from uploads (titles, evidence, file names, the
note) is untrusted: Markdown escapes it, HTML runs it through ``html.escape``, and the HTML
file also carries a Content-Security-Policy that forbids scripts and any outside request.
"""

from __future__ import annotations

import base64
import html
import io
import json
import math
import re
from collections.abc import Sequence
from datetime import datetime

from PIL import Image, ImageDraw

from uireview.annotate import DISMISSED_COLOUR, SEVERITY_COLOUR, annotate
from uireview.drawing import font
from uireview.findings import Box, Finding, Review
from uireview.images import LoadedImage, load_image
from uireview.inert import break_autolinks
from uireview.loop import loop_counts
from uireview.loop_draw import RESOLVED

SEVERITIES = ("critical", "major", "minor", "info")
# Pixels the whole PNG may have; ten tall screenshots stacked would otherwise need gigabytes.
PNG_MAX_PIXELS = 40_000_000

# --- shared ------------------------------------------------------------------------------


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def _date(review: Review) -> str:
    if not review.created_at:
        return "not saved"
    try:
        when = datetime.fromisoformat(review.created_at)
    except ValueError:
        return review.created_at
    offset = when.utcoffset()
    zone = "" if offset is None else " UTC" if not offset else when.strftime(" UTC%z")
    return when.strftime("%Y-%m-%d %H:%M") + zone


def _counts(review: Review) -> dict[str, int]:
    """Open findings by severity: a dismissed one no longer counts (as on the page)."""
    return {s: sum(1 for f in review.open_findings() if f.severity == s) for s in SEVERITIES}


def _findings_line(review: Review, *, noun: bool = True) -> str:
    """ "5 findings (1 critical, 4 major) · 2 dismissed": what is open, then what was set aside."""
    total = len(review.open_findings())
    counts = ", ".join(f"{n} {s}" for s, n in _counts(review).items() if n)
    line = f"{total}" + (f" finding{'s' if total != 1 else ''}" if noun else "")
    line += f" ({counts})" if counts else ""
    dismissed = len(review.findings) - total
    return line + (f" · {dismissed} dismissed" if dismissed else "")


def status_words(finding: Finding) -> str:
    """Where a finding is in the design loop: "new", "persisting, was 2.10:1",
    "dismissed: by design"; "" for a review without a baseline and not dismissed."""
    parts = []
    if finding.status == "persisting":
        was, now = finding.previous.get("ratio"), finding.metrics.get("ratio")
        moved = isinstance(was, (int, float)) and isinstance(now, (int, float)) and was != now
        parts.append(f"persisting, was {was:.2f}:1" if moved else "persisting")
    elif finding.status:
        parts.append(finding.status)
    if finding.dismissed:
        parts.append(f"dismissed: {_one_line(finding.dismissed)}")
    return "; ".join(parts)


def loop_line(review: Review) -> str:
    """ "2 new · 3 persisting · 1 resolved · 1 dismissed" against the baseline ("" without)."""
    if not review.baseline:
        return ""
    c = loop_counts(review)
    line = f"{c['new']} new · {c['persisting']} persisting · {c['resolved']} resolved"
    return line + (f" · {c['dismissed']} dismissed" if c["dismissed"] else "")


def cost_line(review: Review) -> str:
    """What the model call cost: "$0.0123 · 1,234 in + 567 out tokens" ("" without a call)."""
    u = review.usage
    if u is None:
        return ""
    tokens = f"{u.prompt_tokens:,} in + {u.completion_tokens:,} out tokens"
    if review.cached:
        tokens += ", answered from saved reviews"
    if u.cost_usd is None:
        return f"price not known · {tokens}"
    return f"${u.cost_usd:.4f} · {tokens}"


def _dismissed(review: Review) -> list[tuple[int | None, Finding]]:
    """Findings set aside: this review's (with their numbers), then the baseline's."""
    mine: list[tuple[int | None, Finding]] = [
        (n, f) for n, f in enumerate(review.findings, 1) if f.dismissed
    ]
    return mine + [(None, f) for f in review.dismissed]


def naming(finding: Finding) -> str:
    """The words and the place of a finding, as a person would look for them on the screen:
    "“Pending requests”, sidebar". Words the title already quotes are not said twice."""
    said = []
    if finding.text and finding.text not in finding.title:
        said.append(f"“{_one_line(finding.text)}”")
    if finding.place:
        said.append(_one_line(finding.place))
    return ", ".join(said)


def _where(finding: Finding, review: Review) -> str:
    if len(review.images) > 1:
        return f"image {finding.image + 1}"
    return ""


def _decoded(review: Review, images: Sequence[bytes | LoadedImage]) -> list[Image.Image]:
    """Each image decoded as the checks saw it (images the page decoded are used as they are)."""
    if len(images) != len(review.images):
        raise ValueError(f"Got {len(images)} image(s) for a review of {len(review.images)}.")
    return [
        (d if isinstance(d, LoadedImage) else load_image(d, i.name)).pil()
        for d, i in zip(images, review.images, strict=True)
    ]


def _annotated(
    review: Review,
    images: Sequence[bytes | LoadedImage],
    decoded: list[Image.Image] | None = None,
) -> list[Image.Image]:
    """Each image decoded as the checks saw it, with its findings' numbered marks drawn."""
    numbered = list(enumerate(review.findings, 1))
    out = []
    for index, picture in enumerate(decoded or _decoded(review, images)):
        mine = [(n, f) for n, f in numbered if f.image == index]
        out.append(annotate(picture, mine))
    return out


# --- Markdown ----------------------------------------------------------------------------

# Inline Markdown (CommonMark + GitHub: emphasis, code, links, images, HTML, entities, tables,
# strikethrough, math) starts with one of these; all are ASCII punctuation, so a backslash
# makes each literal. "." "-" "+" "#" only matter at a line start, which escaped text never is.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]()<>!&|~$])")


def md_text(text: str | None) -> str:
    """Untrusted text as inert Markdown on one line: no links, images, HTML, emphasis or math."""
    return _MD_SPECIAL.sub(r"\\\1", break_autolinks(_one_line(text)))


def _sentence(text: str) -> str:
    return text if text[-1:] in ".!?:;)" else text + "."


def _fence(text: str) -> str:
    """``text`` in a code fence longer than any backtick run inside it, so it cannot close early."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}text\n{text.rstrip()}\n{ticks}"


def _md_tags(f: Finding, review: Review) -> str:
    tags = [f.severity, md_text(f.category), f.source]
    if where := _where(f, review):
        tags.append(where)
    if f.box is None:
        tags.append("whole screen")
    if f.status:
        tags.append(md_text(status_words(f.model_copy(update={"dismissed": None}))))
    return ", ".join(tags)


def to_markdown(review: Review) -> str:
    """The review as a GitHub/Jira-ready checklist, one ``- [ ]`` item per open finding.

    Against a baseline, each item says new or persisting and the resolved ones are listed
    (checked, struck); dismissed findings are listed apart, with their reason, not as work.
    """
    kind = "comparison" if review.kind == "compare" else "review"
    lines = [f"# UI {kind}: {md_text(review.preset)}", ""]
    images = ", ".join(f"{md_text(i.name)} ({i.width}×{i.height})" for i in review.images)
    lines.append(f"- **Date:** {md_text(_date(review))}")
    lines.append(f"- **Images:** {images or 'none'}")
    lines.append(
        f"- **Model:** {md_text(review.model) if review.model else 'none (measured checks only)'}"
    )
    if cost := cost_line(review):
        lines.append(f"- **Cost:** {md_text(cost)}")
    if review.id:
        lines.append(f"- **Review id:** {md_text(review.id)}")
    lines.append(f"- **Findings:** {_findings_line(review, noun=False)}")
    if loop := loop_line(review):
        lines.append(f"- **Against baseline {md_text(review.baseline)}:** {loop}")
    if review.note.strip():
        lines += ["", f"> **Note:** {md_text(review.note)}"]
    for message in [*review.notices, *([review.error] if review.error else [])]:
        lines += ["", f"> {md_text(message)}"]

    lines += ["", "## Findings", ""]
    if not review.open_findings():
        lines.append("No findings." if not review.findings else "No open findings.")
    for number, f in enumerate(review.findings, 1):
        if f.dismissed:
            continue
        item = f"- [ ] **{number}. {md_text(f.title) or 'Untitled'}** ({_md_tags(f, review)})"
        if named := naming(f):
            item += f" — where: {md_text(named)}."
        why = " ".join(_sentence(md_text(t)) for t in (f.evidence, f.detail) if _one_line(t))
        if why:
            item += f" — {why}"
        if _one_line(f.suggestion):
            item += f" Fix: {md_text(f.suggestion)}"
        lines.append(item)

    if review.resolved:
        lines += ["", "## Resolved since the baseline", ""]
        for f in review.resolved:
            lines.append(
                f"- [x] ~~{was_label(f)}{md_text(f.title) or 'Untitled'}~~ "
                f"({f.severity}, {md_text(f.category)})"
            )
    if dismissed := _dismissed(review):
        lines += ["", "## Dismissed (not counted)", ""]
        for n, f in dismissed:
            label = f"{n}. " if n else ""
            origin = "" if n else ", in the baseline"
            lines.append(
                f"- {label}{md_text(f.title) or 'Untitled'} ({f.severity}, "
                f"{md_text(f.category)}{origin}) — dismissed: {md_text(f.dismissed)}"
            )

    if review.raw_reply and not any(f.source == "model" for f in review.findings):
        lines += ["", "## Model reply (not readable as findings)", "", _fence(review.raw_reply)]
    return "\n".join(lines) + "\n"


# --- JSON --------------------------------------------------------------------------------


def to_json(review: Review) -> str:
    """The review as one JSON object: the shape ``python -m uireview review --json`` prints."""
    return json.dumps(review.model_dump(mode="json"), ensure_ascii=False)


# --- PNG ---------------------------------------------------------------------------------

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
    rows += [(f"{n}." if n else "-", f, "dismissed") for n, f in _dismissed(review)]
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
    pictures = _fit(_annotated(review, images))
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
        title = _wrap(_one_line(f.title) or "Untitled", size, text_w)
        tags = [f.severity, _one_line(f.category), f.source]
        if where := _where(f, review):
            tags.append(where)
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
        caption = f"{label}{_one_line(info.name)}  ·  {info.width} x {info.height}"
        caption = _wrap(caption, size, width - 2 * pad)[0]
        draw.text((pad, y + caption_h // 2), caption, font=font(size), fill=_INK, anchor="lm")
        y += caption_h
        canvas.paste(picture, (0, y))
        y += picture.height

    draw.rectangle((0, y, width, height), fill=_PANEL)
    draw.line((0, y, width, y), fill=_RULE, width=2)
    y += pad
    heading = f"{_findings_line(review)}  ·  {review.preset}  ·  {_date(review)}"
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


# --- HTML --------------------------------------------------------------------------------

_BADGE = {  # background, text: the annotation colours, readable as badges
    "critical": ("#fee2e2", "#991b1b"),
    "major": ("#ffedd5", "#9a3412"),
    "minor": ("#dbeafe", "#1e40af"),
    "info": ("#e4e4e7", "#3f3f46"),
}

_CSS = """
*{box-sizing:border-box}
body{margin:0;background:#f1f5f9;color:#0f172a;font:15px/1.55 system-ui,-apple-system,
"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;-webkit-font-smoothing:antialiased}
main{max-width:1440px;margin:0 auto;padding:28px 24px 48px}
header{margin-bottom:20px}
h1{font-size:26px;line-height:1.2;margin:0 0 6px;letter-spacing:-.01em}
h1 .kind{color:#64748b;font-weight:500}
.meta{color:#475569;margin:0;display:flex;flex-wrap:wrap;gap:4px 18px}
.meta b{color:#0f172a;font-weight:600}
.counts{display:flex;flex-wrap:wrap;gap:6px;margin:12px 0 0;padding:0;list-style:none}
.note,.notice{margin:12px 0 0;padding:10px 14px;border-radius:8px;background:#fff;
border:1px solid #e2e8f0;max-width:80ch}
.notice{background:#fffbeb;border-color:#fde68a}
.notice.error{background:#fef2f2;border-color:#fecaca}
.sheet{background:#fff;border:1px solid #e2e8f0;border-radius:12px;padding:18px;
margin-top:18px;box-shadow:0 1px 2px rgba(15,23,42,.05)}
.sheet h2{font-size:16px;margin:0 0 12px;overflow-wrap:anywhere}
.sheet h2 .dim{color:#64748b;font-weight:400;margin-left:6px}
.grid{display:grid;grid-template-columns:minmax(0,3fr) minmax(300px,2fr);gap:20px;
align-items:start}
.grid.solo{grid-template-columns:minmax(0,1fr)}
@media (max-width:900px){.grid{grid-template-columns:minmax(0,1fr)}}
figure{margin:0}
/* the image stays in view beside a long list (it is sticky in the app too) */
.grid:not(.solo) figure{position:sticky;top:12px}
.frame{position:relative;overflow:hidden;border-radius:8px;border:1px solid #e2e8f0;
line-height:0;width:fit-content;max-width:100%}
.frame img{display:block;max-width:100%;height:auto}
.spot{position:absolute;border-radius:3px;transition:box-shadow .12s}
ol.findings{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:10px}
.finding{border:1px solid #e2e8f0;border-left:4px solid var(--sev);border-radius:8px;
padding:10px 14px 12px;background:#fff;transition:background .12s}
.finding:target{outline:2px solid var(--sev);outline-offset:1px}
.head{display:flex;flex-wrap:wrap;align-items:center;gap:6px}
.num{display:inline-grid;place-items:center;min-width:26px;height:26px;padding:0 6px;
border-radius:13px;background:var(--sev);color:#fff;font-weight:700;font-size:13px;
box-shadow:0 0 0 2px #fff,0 0 0 3px var(--sev)}
.badge{display:inline-block;padding:1px 8px;border-radius:999px;font-size:12px;
font-weight:600;background:#f1f5f9;color:#334155;white-space:nowrap}
.finding h3{font-size:15px;line-height:1.35;margin:8px 0 4px;overflow-wrap:anywhere}
.finding p{margin:4px 0 0;color:#334155;overflow-wrap:anywhere}
.finding .evidence{color:#475569;font-size:13.5px}
.finding .fix b,.finding .place b{color:#0f172a}
.finding img.crop{display:block;max-width:100%;height:auto;margin:8px 0 2px;
border:1px solid #e2e8f0;border-radius:6px}
pre.raw{white-space:pre-wrap;overflow-wrap:anywhere;background:#f8fafc;border:1px solid #e2e8f0;
border-radius:8px;padding:12px;font:13px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.counts .badge:not([style]){background:#fff;border:1px solid #cbd5e1}
.badge.status.new{background:#fee2e2;color:#991b1b}
.badge.status.persisting{background:#e2e8f0;color:#334155}
.loop{margin:12px 0 0;padding:10px 14px;border-radius:8px;background:#fff;
border:1px solid #e2e8f0;max-width:80ch}
ul.aside{margin:0;padding-left:20px;color:#334155}ul.aside li{margin:4px 0}
ul.aside s{color:#475569}ul.aside .why{color:#64748b}
p.dim,.dim{color:#64748b}
footer{margin-top:24px;color:#64748b;font-size:13px}
@media print{body{background:#fff}.sheet{box-shadow:none;break-inside:avoid}}
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _badge(text: str, severity: str | None = None) -> str:
    if severity is None:
        return f'<span class="badge">{_e(text)}</span>'
    bg, fg = _BADGE.get(severity, _BADGE["info"])
    return f'<span class="badge" style="background:{bg};color:{fg}">{_e(text)}</span>'


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


# A place crop shows at most this much of the screenshot around the finding (image px).
CROP_MAX = (720, 320)


def place_crop(picture: Image.Image, f: Finding) -> Image.Image | None:
    """The part of the screenshot a named finding is in (its card, bar or row), with the
    finding's line outlined; a place bigger than ``CROP_MAX`` is cut to a window around
    the line. None for a finding without a box or a named place."""
    if f.box is None or not f.place:
        return None
    box = f.box.clamp(picture.width, picture.height)
    if box.width <= 0 or box.height <= 0:
        return None
    raw = f.metrics.get("place_box")
    area = box if not raw or len(raw) != 4 else box.union(Box(*(int(v) for v in raw)))
    margin = max(16, 2 * box.height)
    x0, x1 = area.x0, area.x1
    if x1 - x0 > CROP_MAX[0]:
        x0 = max(x0, min(box.x0 - margin, box.x1 + margin - CROP_MAX[0]))
        x1 = min(area.x1, max(box.x1 + margin, x0 + CROP_MAX[0]))
    y0, y1 = area.y0, area.y1
    if y1 - y0 > CROP_MAX[1]:
        y0 = max(y0, box.y0 - margin)
        y1 = min(area.y1, box.y1 + margin)
    window = Box(x0 - 4, y0 - 4, x1 + 4, y1 + 4).clamp(picture.width, picture.height)
    crop = picture.convert("RGB").crop((window.x0, window.y0, window.x1, window.y1))
    colour = SEVERITY_COLOUR.get(f.severity, SEVERITY_COLOUR["info"])
    ImageDraw.Draw(crop).rectangle(
        (
            box.x0 - window.x0 - 2,
            box.y0 - window.y0 - 2,
            box.x1 - window.x0 + 1,
            box.y1 - window.y0 + 1,
        ),
        outline=colour,
        width=2,
    )
    return crop


def _finding_html(number: int, f: Finding, crop: Image.Image | None = None) -> str:
    colour = _hex(SEVERITY_COLOUR.get(f.severity, SEVERITY_COLOUR["info"]))
    badges = [_badge(f.severity.capitalize(), f.severity), _badge(_one_line(f.category))]
    badges.append(_badge(f.source))
    if f.box is None:
        badges.append(_badge("whole screen"))
    if f.status:
        words = status_words(f.model_copy(update={"dismissed": None}))
        badges.append(f'<span class="badge status {_e(f.status)}">{_e(words.capitalize())}</span>')
    parts = [
        f'<li class="finding" id="f{number}" style="--sev:{colour}">',
        f'<div class="head"><span class="num">{number}</span>{"".join(badges)}</div>',
        f"<h3>{_e(_one_line(f.title) or 'Untitled')}</h3>",
    ]
    if named := naming(f):
        parts.append(f'<p class="place"><b>Where:</b> {_e(named)}</p>')
    if crop is not None:
        parts.append(
            f'<img class="crop" src="{_data_uri(crop)}" width="{crop.width}" '
            f'height="{crop.height}" alt="{_e(f"Where finding {number} is")}">'
        )
    if f.evidence.strip():
        parts.append(f'<p class="evidence">{_e(f.evidence.strip())}</p>')
    if f.detail.strip():
        parts.append(f"<p>{_e(f.detail.strip())}</p>")
    if f.suggestion.strip():
        parts.append(f'<p class="fix"><b>Fix:</b> {_e(f.suggestion.strip())}</p>')
    parts.append("</li>")
    return "".join(parts)


def _spot(number: int, f: Finding, width: int, height: int) -> str:
    if f.box is None:
        return ""
    box = f.box.clamp(width, height)
    if box.width <= 0 or box.height <= 0:
        return ""
    left, top = 100 * box.x0 / width, 100 * box.y0 / height
    w, h = 100 * box.width / width, 100 * box.height / height
    return (
        f'<a class="spot s{number}" href="#f{number}" aria-label="Finding {number}" '
        f'style="left:{left:.3f}%;top:{top:.3f}%;width:{w:.3f}%;height:{h:.3f}%"></a>'
    )


def _hover_css(numbers: list[int]) -> str:
    # Pure CSS (:has), so the file needs no script: hovering a finding spotlights its box on
    # the image, hovering a box tints its finding.
    rules = []
    for n in numbers:
        rules.append(
            f".sheet:has(#f{n}:hover) .s{n},.s{n}:hover{{box-shadow:0 0 0 3px #fff,"
            f"0 0 0 5px var(--sev,#0f172a),0 0 0 100vmax rgba(15,23,42,.45)}}"
            f".sheet:has(.s{n}:hover) #f{n}{{background:#f8fafc}}"
        )
    return "".join(rules)


def _data_uri(picture: Image.Image) -> str:
    buf = io.BytesIO()
    picture.save(buf, "PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _aside_sections(review: Review) -> list[str]:
    """The findings resolved since the baseline and the dismissed ones, listed, not pinned."""
    out = []
    if review.resolved:
        items = "".join(
            f"<li><s>{_e(was_label(f))}{_e(_one_line(f.title) or 'Untitled')}</s> "
            f'<span class="why">({_e(f.severity)}, {_e(_one_line(f.category))})</span></li>'
            for f in review.resolved
        )
        out.append(
            '<section class="sheet" id="resolved"><h2>Resolved since the baseline</h2>'
            f'<ul class="aside">{items}</ul></section>'
        )
    if dismissed := _dismissed(review):
        items = "".join(
            f"<li>{_e(f'{n}. ' if n else '')}{_e(_one_line(f.title) or 'Untitled')} "
            f'<span class="why">({_e(f.severity)}, {_e(_one_line(f.category))}'
            f"{'' if n else ', in the baseline'}) · dismissed: "
            f"{_e(_one_line(f.dismissed))}</span></li>"
            for n, f in dismissed
        )
        out.append(
            '<section class="sheet" id="dismissed"><h2>Dismissed '
            '<span class="dim">not counted</span></h2>'
            f'<ul class="aside">{items}</ul></section>'
        )
    return out


def was_label(f: Finding) -> str:
    """ "was 3. " for a resolved finding that was #3 in the baseline ("" if not known)."""
    was = f.previous.get("number")
    return f"was {was}. " if was else ""


def to_html(review: Review, images: Sequence[bytes | LoadedImage]) -> str:
    """One self-contained HTML file that opens offline: data-URI images, inline CSS, no script."""
    decoded = _decoded(review, images)
    pictures = _annotated(review, images, decoded)
    # Dismissed findings are not pinned on the images (annotate) and listed apart below.
    numbered = [(n, f) for n, f in enumerate(review.findings, 1) if not f.dismissed]
    kind = "comparison" if review.kind == "compare" else "review"
    title = f"UI {kind} · {review.preset} · {_date(review)}"

    head = [
        f'<h1>UI {kind} <span class="kind">· {_e(review.preset)}</span></h1>',
        '<p class="meta">',
        f"<span><b>Date</b> {_e(_date(review))}</span>",
        f"<span><b>Model</b> {_e(review.model or 'none (measured checks only)')}</span>",
        f"<span><b>Images</b> {len(review.images)}</span>",
    ]
    if cost := cost_line(review):
        head.append(f"<span><b>Cost</b> {_e(cost)}</span>")
    if review.id:
        head.append(f"<span><b>Review</b> {_e(review.id)}</span>")
    head.append("</p>")
    counts = [_badge(f"{n} {s}", s) for s, n in _counts(review).items() if n] or [
        _badge("no open findings" if review.findings else "no findings")
    ]
    if dismissed := len(review.findings) - len(review.open_findings()):
        counts.append(_badge(f"{dismissed} dismissed"))
    head.append(f'<ul class="counts"><li>{"</li><li>".join(counts)}</li></ul>')
    if loop := loop_line(review):
        head.append(
            f'<p class="loop"><b>Against baseline</b> {_e(review.baseline)}: {_e(loop)}</p>'
        )
    if review.note.strip():
        head.append(f'<p class="note"><b>Note:</b> {_e(review.note.strip())}</p>')
    head += [f'<p class="notice">{_e(m)}</p>' for m in review.notices]
    if review.error:
        head.append(f'<p class="notice error">{_e(review.error)}</p>')

    sections = []
    hover: list[int] = []
    placed: set[int] = set()
    for index, (picture, info) in enumerate(zip(pictures, review.images, strict=True)):
        mine = [(n, f) for n, f in numbered if f.image == index]
        placed.update(n for n, _ in mine)
        spots = []
        for n, f in mine:
            if f.box is not None and (spot := _spot(n, f, picture.width, picture.height)):
                colour = _hex(SEVERITY_COLOUR.get(f.severity, SEVERITY_COLOUR["info"]))
                spots.append(spot.replace('style="', f'style="--sev:{colour};', 1))
                hover.append(n)
        position = f"Image {index + 1} of {len(pictures)} · " if len(pictures) > 1 else ""
        alt = f"{info.name} with numbered findings"
        items = "".join(_finding_html(n, f, place_crop(decoded[index], f)) for n, f in mine)
        listing = (
            f'<ol class="findings">{items}</ol>'
            if mine
            else '<p class="dim">No findings on this image.</p>'
        )
        sections.append(
            f'<section class="sheet" id="image-{index + 1}">'
            f"<h2>{_e(position)}{_e(info.name)}"
            f'<span class="dim">{info.width}×{info.height}</span></h2>'
            f'<div class="grid"><figure><div class="frame">'
            f'<img src="{_data_uri(picture)}" alt="{_e(alt)}" width="{picture.width}" '
            f'height="{picture.height}">{"".join(spots)}</div></figure>{listing}</div></section>'
        )
    rest = [(n, f) for n, f in numbered if n not in placed]
    if rest or not sections:
        heading = "Findings" if not sections else "Other findings"
        items = "".join(_finding_html(n, f) for n, f in rest)
        body = f'<ol class="findings">{items}</ol>' if rest else "<p>No findings.</p>"
        sections.append(
            f'<section class="sheet"><h2>{heading}</h2>'
            f'<div class="grid solo">{body}</div></section>'
        )
    sections += _aside_sections(review)
    if review.raw_reply and not any(f.source == "model" for f in review.findings):
        sections.append(
            '<section class="sheet"><h2>Model reply (not readable as findings)</h2>'
            f'<pre class="raw">{_e(review.raw_reply)}</pre></section>'
        )

    # The policy makes the file inert even if something slipped past the escaping: no
    # script runs and nothing is fetched; only the inline styles and data: images load.
    csp = (
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
        "base-uri 'none'; form-action 'none'"
    )
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{_e(title)}</title><style>{_CSS}{_hover_css(hover)}</style></head>\n"
        f"<body><main><header>{''.join(head)}</header>\n"
        + "\n".join(sections)
        + "\n<footer>Exported from UI Review. Numbers match the marks on the images.</footer>"
        "</main></body></html>\n"
    )
