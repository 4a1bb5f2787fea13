"""A folder diff's report: index.html to look at, report.json and junit.xml for CI systems.

index.html opens from disk with no outside request: CSS and JavaScript are inline and allowed
by their hashes in a strict Content-Security-Policy, images are the report's own copies, and
nothing is loaded from elsewhere. Every name is escaped (file names come from the folders);
region boxes are placed by the script from data attributes, since the policy forbids inline
style attributes.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from uireview.compare.batch import STATUSES, PairResult, PixelLimit
from uireview.compare.options import DiffOptions


@dataclass(frozen=True)
class ReportInfo:
    """What the run was: folders, options and gate, shard, the run's own time."""

    before_dir: str
    after_dir: str
    options: DiffOptions
    ignore: tuple = ()
    limit: PixelLimit | None = None
    shard: tuple[int, int] | None = None
    seconds: float = 0.0


def summary(results: Sequence[PairResult], limit: PixelLimit | None) -> dict[str, int]:
    counts = Counter(r.status for r in results)
    out = {s: counts.get(s, 0) for s in STATUSES}
    out["failed"] = sum(r.failed(limit) for r in results)
    return out


def pair_json(r: PairResult, limit: PixelLimit | None) -> dict:
    return {
        "name": r.name,
        "status": r.status,
        "mismatch_pixels": r.mismatch_pixels,
        "window_pixels": r.window_pixels,
        "regions": [{"box": list(g.box), "pixels": g.pixels, "kind": g.kind} for g in r.regions],
        "shifts": [{"y": s.y, "dy": s.dy, "height": s.height} for s in r.shifts],
        "size_before": list(r.size_before) if r.size_before else None,
        "size_after": list(r.size_after) if r.size_after else None,
        "counted_pixels": r.counted_pixels,
        "failed": r.failed(limit),
        "error": r.error,
        "files": dict(r.files),
    }


def report_json(results: Sequence[PairResult], info: ReportInfo) -> dict:
    return {
        "before": info.before_dir,
        "after": info.after_dir,
        "options": info.options.to_json(),
        "ignore": [list(b) for b in info.ignore],
        "fail_on_pixels": str(info.limit) if info.limit else None,
        "shard": f"{info.shard[0]}/{info.shard[1]}" if info.shard else None,
        "seconds": round(info.seconds, 3),
        "summary": summary(results, info.limit),
        "pairs": [pair_json(r, info.limit) for r in results],
    }


# --- junit --------------------------------------------------------------------------------------

_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Text XML 1.0 can hold (a file name may carry control characters)."""
    return _XML_BAD.sub("\ufffd", text)


def junit_xml(results: Sequence[PairResult], info: ReportInfo) -> bytes:
    """One testcase per relative path: failed over the limit, an error for unreadable files,
    skipped for screenshots only one folder has."""
    counts = summary(results, info.limit)
    suite_attrs = {
        "name": "uireview diff",
        "tests": str(len(results)),
        "failures": str(counts["failed"]),
        "errors": str(counts["error"]),
        "skipped": str(counts["new"] + counts["deleted"]),
        "time": f"{info.seconds:.3f}",
    }
    root = ET.Element("testsuites", suite_attrs)
    suite = ET.SubElement(root, "testsuite", suite_attrs)
    for r in results:
        case = ET.SubElement(
            suite,
            "testcase",
            {"classname": "uireview.diff", "name": xml_text(r.name), "time": f"{r.seconds:.3f}"},
        )
        if r.status == "error":
            ET.SubElement(case, "error", {"message": xml_text(r.error or "unreadable")})
        elif r.status in ("new", "deleted"):
            why = "new: no before image" if r.status == "new" else "deleted: no after image"
            ET.SubElement(case, "skipped", {"message": why})
        elif r.failed(info.limit):
            assert info.limit is not None and r.counted_pixels is not None
            allowed = info.limit.allowed(r.counted_pixels)
            message = f"{r.mismatch_pixels:,} px differ, over the limit of {allowed:,.0f} px"
            if info.limit.percent is not None:
                message += f" ({info.limit})"
            fail = ET.SubElement(case, "failure", {"message": message, "type": "pixels"})
            fail.text = "\n".join(
                f"{n}. {g.kind} {list(g.box)}: {g.pixels:,} px" for n, g in enumerate(r.regions, 1)
            )
        if r.status == "changed" and not r.failed(info.limit):
            out = ET.SubElement(case, "system-out")
            out.text = f"{r.mismatch_pixels:,} px differ ({len(r.regions)} regions)"
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


# --- html -----------------------------------------------------------------------------------------

BASE_CSS = """
:root{color-scheme:light;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif}
body{margin:0;background:#f6f7f9;color:#111827}
header{position:sticky;top:0;z-index:5;background:#fff;border-bottom:1px solid #e5e7eb;
padding:12px 20px;display:flex;gap:20px;align-items:center;flex-wrap:wrap}
h1{font-size:18px;margin:0}
.counts{display:flex;gap:10px;flex-wrap:wrap;margin:0;padding:0;list-style:none}
.counts li{padding:2px 10px;border-radius:999px;background:#eef2f7}
.counts .changed{background:#fee2e2}.counts .failed{background:#dc2626;color:#fff}
.counts .new{background:#dcfce7}.counts .deleted{background:#fef3c7}
main{padding:16px 20px;max-width:1800px;margin:0 auto}
.pair{background:#fff;border:1px solid #e5e7eb;border-radius:8px;margin:0 0 16px;padding:12px}
.pair h2{font-size:15px;margin:0 0 6px;word-break:break-all}
.pair.failed{border-color:#dc2626}
.badge{font-size:12px;padding:1px 8px;border-radius:999px;background:#eef2f7;margin-left:8px}
.failed .badge.gate{background:#dc2626;color:#fff}
.meta{color:#4b5563;margin:0 0 8px}
.views{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:10px}
figure{margin:0}figcaption{color:#4b5563;font-size:12px;margin-bottom:4px}
.frame{position:relative;border:1px solid #e5e7eb;background:#fff;line-height:0}
.frame img{width:100%;height:auto;display:block}
.overlay .after{opacity:.25}.overlay .mask{position:absolute;left:0;top:0}
.box{position:absolute;border:2px solid #d97706;box-sizing:border-box;pointer-events:none}
.box b{position:absolute;left:-2px;top:-18px;background:#d97706;color:#fff;font:11px/16px
system-ui,sans-serif;padding:0 5px;border-radius:3px}
.box.inserted{border-color:#16a34a}.box.inserted b{background:#16a34a}
.box.moved{border-style:dashed;border-color:#6b7280}.box.moved b{background:#6b7280}
.slider{margin-top:10px;max-width:960px}.slider .frame{overflow:hidden}
.slider .top{position:absolute;left:0;top:0}
.slider input{width:100%}
ol.regions{margin:6px 0 0;padding-left:22px;color:#374151}
.simple{display:flex;gap:12px;align-items:baseline;padding:6px 12px}
.simple h2{margin:0}
.single{max-width:33%}
body.only-changed .pair.unchanged{display:none}
.error{color:#b91c1c}
"""

BASE_JS = """
(function(){
  var d=document;
  function place(el){
    var f=el.closest('.frame'),w=+f.dataset.w,h=+f.dataset.h,b=el.dataset.box.split(',');
    el.style.left=(100*b[0]/w)+'%';el.style.top=(100*b[1]/h)+'%';
    el.style.width=(100*(b[2]-b[0])/w)+'%';el.style.height=(100*(b[3]-b[1])/h)+'%';
  }
  d.querySelectorAll('.box').forEach(place);
  d.querySelectorAll('.slider').forEach(function(s){
    var top=s.querySelector('.top'),r=s.querySelector('input');
    function set(){top.style.clipPath='inset(0 0 0 '+r.value+'%)';}
    r.addEventListener('input',set);set();
  });
  var only=d.getElementById('only-changed');
  function filter(){d.body.classList.toggle('only-changed',only.checked);}
  only.addEventListener('change',filter);filter();
})();
"""


def _hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"


def csp(css: str, js: str) -> str:
    """The page's policy: nothing but its own inline CSS and JS (by hash) and its own images
    ('self' over http, file: when opened from disk)."""
    return (
        f"default-src 'none'; img-src 'self' file:; style-src {_hash(css)}; "
        f"script-src {_hash(js)}; base-uri 'none'; form-action 'none'"
    )


def html_page(title: str, header: str, main: str, *, css: str = BASE_CSS, js: str = BASE_JS) -> str:
    """A whole offline report page around already escaped ``header`` and ``main`` HTML.

    The script places every ``.box[data-box]`` inside its ``.frame[data-w][data-h]``, drives
    ``.slider`` ranges, and hides ``.pair.unchanged`` while ``#only-changed`` is checked.
    """
    return (
        "<!doctype html>\n<html lang=en><head><meta charset=utf-8>"
        f'<meta http-equiv="Content-Security-Policy" content="{esc(csp(css, js))}">'
        '<meta name="referrer" content="no-referrer">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{esc(title)}</title><style>{css}</style></head><body>"
        f"<header>{header}</header><main>{main}</main>"
        f"<script>{js}</script></body></html>\n"
    )


def esc(text: object) -> str:
    """Text for HTML content or a quoted attribute."""
    return html.escape(str(text), quote=True)


def src(rel: str) -> str:
    """A report-relative file path as an escaped URL (names come from the folders)."""
    return esc(quote(rel))


def img(url: str, cls: str = "") -> str:
    klass = f' class="{cls}"' if cls else ""
    return f'<img{klass} src="{url}" loading="lazy" decoding="async" alt="">'


def boxes(marks) -> str:
    """Numbered boxes (kind, box) placed by the page's script over a frame."""
    return "".join(
        f'<i class="box {esc(kind)}" data-box="{",".join(str(int(v)) for v in box)}"><b>{n}</b></i>'
        for n, (kind, box) in enumerate(marks, 1)
    )


def frame(size, inner: str, cls: str = "") -> str:
    w, h = size
    return f'<div class="frame {cls}" data-w="{int(w)}" data-h="{int(h)}">{inner}</div>'


def _changed(r: PairResult, limit: PixelLimit | None) -> str:
    before, after, diff = (src(r.files[k]) for k in ("before", "after", "diff"))
    failed = r.failed(limit)
    (wb, hb), (wa, ha) = r.size_before or (0, 0), r.size_after or (0, 0)
    size = f"{wb}x{hb}" if (wb, hb) == (wa, ha) else f"{wb}x{hb} &rarr; {wa}x{ha}"
    gate = ""
    if limit is not None:
        gate = f'<span class="badge gate">{"over" if failed else "within"} {esc(limit)}</span>'
    shifts = "".join(
        f"; rows from y={s.y} moved {'down' if s.dy > 0 else 'up'} {abs(s.dy)} px" for s in r.shifts
    )
    regions = "".join(
        f"<li>{esc(g.kind)} at ({g.box.x0}, {g.box.y0}), {g.box.x1 - g.box.x0}x"
        f"{g.box.y1 - g.box.y0} px: {g.pixels:,} px</li>"
        for g in r.regions
    )
    marks = boxes((g.kind, g.box) for g in r.regions)
    return (
        f'<section class="pair changed{" failed" if failed else ""}">'
        f"<h2>{esc(r.name)}{gate}</h2>"
        f'<p class="meta">{r.mismatch_pixels:,} px differ &middot; {size}{esc(shifts)}</p>'
        '<div class="views">'
        f"<figure><figcaption>before</figcaption>"
        f"{frame((wb, hb), img(before))}</figure>"
        f"<figure><figcaption>after</figcaption>"
        f"{frame((wa, ha), img(after) + marks)}</figure>"
        f"<figure><figcaption>overlay: changed pixels (red darker, blue lighter)</figcaption>"
        + frame(
            (wa, ha),
            img(after, "after") + img(diff, "mask") + marks,
            "overlay",
        )
        + "</figure></div>"
        '<div class="slider"><figcaption>slider: before | after</figcaption>'
        + frame(
            (wa, ha),
            img(before) + img(after, "top") + marks,
        )
        + f'<input type="range" min="0" max="100" value="50" aria-label="before / after '
        f'{esc(r.name)}"></div>'
        f'<ol class="regions">{regions}</ol></section>'
    )


def _single(r: PairResult) -> str:
    side = "after" if r.status == "new" else "before"
    size = r.size_after if r.status == "new" else r.size_before
    w, h = size or (0, 0)
    url = src(r.files[side])
    return (
        f'<section class="pair {r.status}"><h2>{esc(r.name)}<span class="badge">{r.status}'
        f'</span></h2><p class="meta">{w}x{h}, only in the {side} folder</p>'
        f'<div class="single">'
        f"{frame((w, h), img(url))}</div></section>"
    )


def _simple(r: PairResult) -> str:
    text = "unchanged" if r.status == "unchanged" else f"cannot read: {r.error}"
    cls = "" if r.status == "unchanged" else ' class="error"'
    return (
        f'<section class="pair simple {r.status}"><h2>{esc(r.name)}</h2>'
        f"<span{cls}>{esc(text)}</span></section>"
    )


def index_html(results: Sequence[PairResult], info: ReportInfo) -> str:
    counts = summary(results, info.limit)
    items = "".join(
        f'<li class="{k}">{k} {v:,}</li>'
        for k, v in counts.items()
        if v or k in ("changed", "unchanged", "new", "deleted")
    )
    if info.limit is None:
        items = items.replace('<li class="failed">failed 0</li>', "")
    # changed first (failed ones at the top), then new, deleted, errors, unchanged
    order = {"changed": 0, "new": 1, "deleted": 2, "error": 3, "unchanged": 4}
    ranked = sorted(results, key=lambda r: (order[r.status], not r.failed(info.limit), r.name))
    body = []
    for r in ranked:
        if r.status == "changed":
            body.append(_changed(r, info.limit))
        elif r.status in ("new", "deleted"):
            body.append(_single(r))
        else:
            body.append(_simple(r))
    shard = f", shard {info.shard[0]}/{info.shard[1]}" if info.shard else ""
    title = f"Screenshot diff: {info.before_dir} \u2192 {info.after_dir}"
    header = (
        f"<h1>{esc(title)}</h1><ul class=counts>{items}</ul>"
        '<label><input type="checkbox" id="only-changed" checked> changed only</label>'
        f'<span class="meta">{len(results):,} screenshots{esc(shard)}, '
        f"{info.seconds:.1f} s</span>"
    )
    return html_page(title, header, "".join(body) or "<p>No screenshots found.</p>")


def write_report(out_dir: Path, results: Sequence[PairResult], info: ReportInfo) -> None:
    """index.html, report.json and junit.xml in ``out_dir`` (the images are there already)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(json.dumps(report_json(results, info), indent=1) + "\n")
    (out / "junit.xml").write_bytes(junit_xml(results, info))
    (out / "index.html").write_text(index_html(results, info), encoding="utf-8")
