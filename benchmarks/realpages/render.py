"""Render each page clean and with one planted defect; cache PNGs and truth on disk.

For a page at a width: the clean shot with axe-core's colour-contrast results and the main
heading's box, then one fresh load per defect kind, planted by ``plant.js``. The faded text
is kept only when axe-core, run again on the planted page, calls that element a violation.
Outputs live in ``benchmarks/.cache/realpages/shots/<VERSION>/<page>@<width>/``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from benchmarks.realpages.browser import Browser, axe_path
from benchmarks.realpages.pages import WIDTHS, Page
from benchmarks.realpages.templates import CACHE

KINDS = ("heading_shrunk", "odd_gap", "off_column", "faded_text")
PLANT_JS = Path(__file__).with_name("plant.js")
# bump when planting or rendering changes so stale shots are not reused
VERSION = "v1-" + hashlib.sha1(PLANT_JS.read_bytes()).hexdigest()[:8]
SHOTS = CACHE / "shots" / VERSION

# Per-template CSS: icon fonts come from CDNs we block; their ligature names ("weekend",
# "person") would render as words. Keep the icon's slot, hide the word.
TEMPLATE_CSS = {
    "material": ".material-icons, .material-icons-round, .material-symbols-rounded "
    "{ color: transparent !important; width: 1em; overflow: hidden; display: inline-block; }",
}

# Per-template DOM marks, made before planting: tabler-ui's two top bars (logo and user, then
# the menu) are ``div.header``, which plant.js's navigation selectors do not name; marked as
# navigation, no defect is planted in them and they count as nav regions. An attribute only:
# nothing moves on screen. (Here rather than in plant.js, whose hash keys every cached shot.)
TEMPLATE_JS = {
    "tabler": "document.querySelectorAll('div.header')"
    ".forEach(e => e.setAttribute('role', 'navigation'))",
}

_AXE = """
async (scope) => {
  const root = scope ? document.querySelector(scope) : document;
  const res = await axe.run(root, {runOnly: {type: 'rule', values: ['color-contrast']},
                                   resultTypes: ['violations', 'passes', 'incomplete']});
  const out = [];
  const sel = (el) => {  // a selector that finds this element again after a reload
    const parts = [];
    for (let e = el; e && e.nodeType === 1 && e !== document.documentElement; e = e.parentElement) {
      let i = 1; for (let s = e.previousElementSibling; s; s = s.previousElementSibling) i++;
      parts.unshift(`${e.tagName.toLowerCase()}:nth-child(${i})`);
    }
    return 'html > ' + parts.join(' > ');
  };
  for (const [verdict, list] of [['violation', res.violations], ['pass', res.passes],
                                 ['incomplete', res.incomplete]]) {
    for (const rule of list) for (const node of rule.nodes) {
      if (node.target.length !== 1) continue;  // inside a shadow root or frame
      const el = document.querySelector(node.target[0]);
      if (!el) continue;
      const range = document.createRange(); range.selectNodeContents(el);
      const r = range.getBoundingClientRect();
      if (r.width <= 0 || r.height <= 0 || r.right <= 0 || r.bottom <= 0 ||
          r.left >= innerWidth || r.top >= innerHeight) continue;
      const d = (node.any[0] || node.all[0] || node.none[0] || {}).data || {};
      const s = getComputedStyle(el);
      const px = parseFloat(s.fontSize), bold = parseInt(s.fontWeight) >= 700;
      out.push({sel: sel(el), text: (el.innerText || '').trim().slice(0, 80), verdict,
                fg: d.fgColor || null, bg: d.bgColor || null, ratio: d.contrastRatio ?? null,
                large: px >= 24 || (bold && px >= 18.66), box: [r.left, r.top, r.right, r.bottom]});
    }
  }
  return out;
}
"""


def _seed(*parts: str) -> int:
    return int.from_bytes(hashlib.sha1("|".join(parts).encode()).digest()[:4], "big")


def _prepare(browser: Browser, page: Page, size):
    tab = browser.open(page.template, page.path, size)
    if page.template in TEMPLATE_CSS:
        tab.add_style_tag(content=TEMPLATE_CSS[page.template])
    if page.template in TEMPLATE_JS:
        tab.evaluate(TEMPLATE_JS[page.template])
    tab.add_script_tag(path=str(PLANT_JS))
    tab.add_script_tag(path=str(axe_path()))
    return tab


def render_page(browser: Browser, page: Page, width: str) -> Path:
    """Render one page at one width (all variants) unless cached; return its folder."""
    size = WIDTHS[width]
    out = SHOTS / f"{page.slug}@{width}"
    meta_file = out / "meta.json"
    if meta_file.exists():
        return out
    out.mkdir(parents=True, exist_ok=True)
    tab = _prepare(browser, page, size)
    axe = tab.evaluate(_AXE, None)
    title = tab.evaluate("window.__rp.title()")
    tab.screenshot(path=str(out / "clean.png"))
    meta = {"page": page.id, "width": width, "size": size, "title": title, "axe": axe}
    meta["defects"] = {}
    passes = [a for a in axe if a["verdict"] == "pass" and a["fg"] and a["bg"]]
    for kind in KINDS:
        tab = _prepare(browser, page, size)
        truth = tab.evaluate(
            "([k, s, p]) => window.__rp.plant(k, s, p)", [kind, _seed(page.id, width, kind), passes]
        )
        if truth and kind == "faded_text":
            check = tab.evaluate(_AXE, truth["sel"])
            mine = [a for a in check if a["sel"] == truth["sel"]]
            truth["axe"] = mine[0] if mine else None
            if not mine or mine[0]["verdict"] != "violation":
                truth = None
        if truth:
            tab.screenshot(path=str(out / f"{kind}.png"))
        meta["defects"][kind] = truth
    meta_file.write_text(json.dumps(meta, indent=1))
    return out
