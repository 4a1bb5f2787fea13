"""A review as one self-contained HTML file that opens offline (no script, no outside request)."""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Sequence

from PIL import Image, ImageDraw

from uireview.annotate import SEVERITY_COLOUR
from uireview.export.pictures import annotated_images, decoded_images
from uireview.export.words import (
    cost_line,
    date_words,
    dismissed_findings,
    loop_line,
    naming,
    one_line,
    open_counts,
    status_words,
    was_label,
)
from uireview.findings import Box, Finding, Review
from uireview.images import LoadedImage

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
    badges = [_badge(f.severity.capitalize(), f.severity), _badge(one_line(f.category))]
    badges.append(_badge(f.source))
    if f.box is None:
        badges.append(_badge("whole screen"))
    if f.status:
        words = status_words(f.model_copy(update={"dismissed": None}))
        badges.append(f'<span class="badge status {_e(f.status)}">{_e(words.capitalize())}</span>')
    parts = [
        f'<li class="finding" id="f{number}" style="--sev:{colour}">',
        f'<div class="head"><span class="num">{number}</span>{"".join(badges)}</div>',
        f"<h3>{_e(one_line(f.title) or 'Untitled')}</h3>",
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
            f"<li><s>{_e(was_label(f))}{_e(one_line(f.title) or 'Untitled')}</s> "
            f'<span class="why">({_e(f.severity)}, {_e(one_line(f.category))})</span></li>'
            for f in review.resolved
        )
        out.append(
            '<section class="sheet" id="resolved"><h2>Resolved since the baseline</h2>'
            f'<ul class="aside">{items}</ul></section>'
        )
    if dismissed := dismissed_findings(review):
        items = "".join(
            f"<li>{_e(f'{n}. ' if n else '')}{_e(one_line(f.title) or 'Untitled')} "
            f'<span class="why">({_e(f.severity)}, {_e(one_line(f.category))}'
            f"{'' if n else ', in the baseline'}) · dismissed: "
            f"{_e(one_line(f.dismissed))}</span></li>"
            for n, f in dismissed
        )
        out.append(
            '<section class="sheet" id="dismissed"><h2>Dismissed '
            '<span class="dim">not counted</span></h2>'
            f'<ul class="aside">{items}</ul></section>'
        )
    return out


def to_html(review: Review, images: Sequence[bytes | LoadedImage]) -> str:
    """One self-contained HTML file that opens offline: data-URI images, inline CSS, no script."""
    decoded = decoded_images(review, images)
    pictures = annotated_images(review, images, decoded)
    # Dismissed findings are not pinned on the images (annotate) and listed apart below.
    numbered = [(n, f) for n, f in enumerate(review.findings, 1) if not f.dismissed]
    kind = "comparison" if review.kind == "compare" else "review"
    title = f"UI {kind} · {review.preset} · {date_words(review)}"

    head = [
        f'<h1>UI {kind} <span class="kind">· {_e(review.preset)}</span></h1>',
        '<p class="meta">',
        f"<span><b>Date</b> {_e(date_words(review))}</span>",
        f"<span><b>Model</b> {_e(review.model or 'none (measured checks only)')}</span>",
        f"<span><b>Images</b> {len(review.images)}</span>",
    ]
    if cost := cost_line(review):
        head.append(f"<span><b>Cost</b> {_e(cost)}</span>")
    if review.id:
        head.append(f"<span><b>Review</b> {_e(review.id)}</span>")
    head.append("</p>")
    counts = [_badge(f"{n} {s}", s) for s, n in open_counts(review).items() if n] or [
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
