"""The shell every folder report shares: one offline page, report.json and junit.xml.

The page (index.html) opens from disk with no outside request: its CSS and JavaScript are
inline and allowed by their hashes in a strict Content-Security-Policy, images are the
report's own copies, nothing is loaded from elsewhere. Every name is escaped (file names come
from the folders); boxes over an image are placed by the script from data attributes, since
the policy forbids inline style attributes. The diff report (compare/report.py) and the
review report (review_report.py) fill it with their own sections.

No pydantic or numpy here: the diff command writes its report on its fast path.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from pathlib import Path
from urllib.parse import quote

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


def header(
    title: str, chips: Iterable[tuple[str, str]], filter_label: str, *, checked: bool, meta: str
) -> str:
    """The sticky top of a report: its title, count chips (class, text), the filter that
    hides ``.pair.unchanged`` sections, and a line of facts; every text is escaped here."""
    items = "".join(f'<li class="{esc(k)}">{esc(v)}</li>' for k, v in chips)
    box = '<input type="checkbox" id="only-changed"' + (" checked>" if checked else ">")
    return (
        f"<h1>{esc(title)}</h1><ul class=counts>{items}</ul>"
        f"<label>{box} {esc(filter_label)}</label>"
        f'<span class="meta">{esc(meta)}</span>'
    )


# --- junit ------------------------------------------------------------------------------------

_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Text XML 1.0 can hold (a file name may carry control characters)."""
    return _XML_BAD.sub("\ufffd", text)


def junit_suite(name: str, counts: dict[str, str]) -> tuple[ET.Element, ET.Element]:
    """The <testsuites> root and its one <testsuite>, both with ``counts`` (tests, failures,
    errors, skipped, time) as attributes; add a <testcase> to the suite per screenshot."""
    attrs = {"name": name, **counts}
    root = ET.Element("testsuites", attrs)
    return root, ET.SubElement(root, "testsuite", attrs)


def junit_bytes(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def write_files(out_dir: Path, files: Sequence[tuple[str, str | bytes]]) -> None:
    """Write a report's files (name, text or bytes) into ``out_dir``, creating it."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for name, body in files:
        if isinstance(body, bytes):
            (out / name).write_bytes(body)
        else:
            (out / name).write_text(body, encoding="utf-8")
