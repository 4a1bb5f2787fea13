"""What the DOM knows about a clean shot beyond axe-core's verdicts, and a disabled variant.

    from benchmarks.realpages.dom import load_dom
    dom = load_dom(sample)   # for a clean Sample of benchmarks.realpages.load_set

An addition to the real-page set that leaves its shots untouched (they are keyed by
``plant.js``'s hash; this lives in ``shots-dom/<VERSION>/`` beside them). Per page and width:

- ``dom.json``: canvases, SVG text (box, fill, size), words in ``::before``/``::after``,
  empty fields showing a placeholder
  (box, placeholder colour) and controls the template itself disables, read from a fresh
  load of the clean page (``same_pixels``: the share of pixels equal to ``clean.png``, so a
  page that renders differently each load is known);
- ``disabled.png`` and its truth: the same page with a few visible buttons and fields made
  ``disabled`` (``dom.js``), and axe-core's results on it, so the benchmark can confirm axe
  exempts them (WCAG 1.4.3 does not apply to inactive components) and count what our check
  says about them.

Text on a canvas or in SVG is not judged by axe-core (no DOM text node it evaluates), so a
contrast finding there is neither right nor wrong by axe's word: the benchmark reports such
findings apart, with the colours from the DOM where they exist (SVG fill).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from benchmarks.realpages import Sample
from benchmarks.realpages.pages import PAGES, WIDTHS, Page
from benchmarks.realpages.render import _AXE, SHOTS, _prepare, _seed
from benchmarks.realpages.templates import CACHE

DOM_JS = Path(__file__).with_name("dom.js")
DOM_VERSION = "d1-" + hashlib.sha1(DOM_JS.read_bytes()).hexdigest()[:8]
DOM_SHOTS = CACHE / "shots-dom" / SHOTS.name / DOM_VERSION
# Controls disabled per page in the disabled variant.
DISABLE_MOST = 4

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Dom:
    canvas: tuple[Box, ...]
    svg_text: tuple[dict, ...]  # {box, text, fill, opacity, font_px}
    pseudo: tuple[dict, ...]  # words in ::before / ::after: {box of the element, text, colour}
    placeholders: tuple[dict, ...]  # {box, text, colour}
    fields: tuple[dict, ...]  # {box, sel, tag, type, disabled, value}
    disabled: tuple[dict, ...]  # controls the template disables: {box, sel, text}
    same_pixels: float  # share of the fresh load's pixels equal to clean.png
    planted_png: Path | None  # the disabled variant, when the page has controls to disable
    planted: tuple[dict, ...]  # {sel, box, tag, text, axe: [verdicts of it on the planted page]}


def _page(sample: Sample) -> Page:
    return next(p for p in PAGES if p.id == sample.page_id)


def _folder(page: Page, width: str) -> Path:
    return DOM_SHOTS / f"{page.slug}@{width}"


def _render(browser, page: Page, width: str) -> None:
    size = WIDTHS[width]
    out = _folder(page, width)
    out.mkdir(parents=True, exist_ok=True)
    tab = _prepare(browser, page, size)
    tab.add_script_tag(path=str(DOM_JS))
    survey = tab.evaluate("window.__rpdom.survey()")
    tab.screenshot(path=str(out / "fresh.png"))
    clean = np.asarray(Image.open(SHOTS / f"{page.slug}@{width}" / "clean.png").convert("RGB"))
    fresh = np.asarray(Image.open(out / "fresh.png").convert("RGB"))
    same = float((clean == fresh).all(axis=2).mean()) if clean.shape == fresh.shape else 0.0
    (out / "fresh.png").unlink()
    survey["same_pixels"] = same

    tab = _prepare(browser, page, size)
    tab.add_script_tag(path=str(DOM_JS))
    seed = _seed(page.id, width, "disabled")
    planted = tab.evaluate("([s, n]) => window.__rpdom.disable(s, n)", [seed, DISABLE_MOST])
    if planted:
        axe = tab.evaluate(_AXE, None)
        for p in planted:
            p["axe"] = [a["verdict"] for a in axe if a["sel"] == p["sel"]]
        tab.screenshot(path=str(out / "disabled.png"))
    survey["planted"] = planted
    (out / "dom.json").write_text(json.dumps(survey, indent=1))


def load_dom(sample: Sample, render: bool = True) -> Dom | None:
    """The DOM facts of a clean sample's page (rendered on first use), or None if absent."""
    page = _page(sample)
    folder = _folder(page, sample.width)
    meta = folder / "dom.json"
    if not meta.exists():
        if not render:
            return None
        from benchmarks.realpages.browser import Browser

        with Browser() as browser:
            _render(browser, page, sample.width)
    d = json.loads(meta.read_text())
    png = folder / "disabled.png"
    return Dom(
        canvas=tuple(tuple(b) for b in d["canvas"]),  # type: ignore[misc]
        svg_text=tuple(d["svg_text"]),
        pseudo=tuple(d["pseudo"]),
        placeholders=tuple(d["placeholders"]),
        fields=tuple(d["fields"]),
        disabled=tuple(d["disabled"]),
        same_pixels=d["same_pixels"],
        planted_png=png if png.exists() else None,
        planted=tuple(d["planted"] or ()),
    )


def render_all(samples: list[Sample]) -> None:
    """Render the DOM facts of every clean sample not cached yet, in one browser."""
    todo = [s for s in samples if not (_folder(_page(s), s.width) / "dom.json").exists()]
    if not todo:
        return
    from benchmarks.realpages.browser import Browser

    with Browser() as browser:
        for s in todo:
            _render(browser, _page(s), s.width)
