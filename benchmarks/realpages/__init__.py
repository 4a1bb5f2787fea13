"""Real published template pages with one planted defect each, for the check benchmarks.

    from benchmarks.realpages import load_set
    for s in load_set(part="dev", widths=("desktop", "phone")):
        s.page_id, s.width, s.kind, s.png, s.box, s.contrast

``kind`` is None for the clean shot (its ``contrast`` holds axe-core's per-element results)
or one of ``KINDS``; ``box`` is the changed element's box in screenshot pixels. Missing
shots are rendered on first use (Debian Chromium, offline) and cached on disk; see
``templates.py`` (what is rendered), ``pages.py`` (which pages, the split) and ``plant.js``
(how each defect is made).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.realpages.pages import PAGES, WIDTHS, Page, pages
from benchmarks.realpages.render import KINDS, SHOTS, render_page

Box = tuple[float, float, float, float]  # (x0, y0, x1, y1), screenshot pixels


@dataclass(frozen=True)
class AxeResult:
    """axe-core's color-contrast verdict for one element of a clean page."""

    text: str
    fg: str | None
    bg: str | None
    ratio: float | None
    verdict: str  # "pass", "violation" or "incomplete"
    box: Box
    large: bool


@dataclass(frozen=True)
class Sample:
    page_id: str
    width: str  # "desktop" or "phone"
    kind: str | None  # None: the clean shot
    png: Path
    box: Box | None  # the changed element (None for clean shots)
    gap: Box | None = None  # odd_gap only: the space whose size changed
    detail: dict = field(default_factory=dict)
    title: Box | None = None  # the page's main heading as planted/judged
    nav: tuple[Box, ...] = ()  # navigation regions (sidebar, top bar, breadcrumbs)
    contrast: tuple[AxeResult, ...] = ()  # clean shots only
    part: str = "dev"


def box_of(v) -> Box | None:
    """A box as stored in a shot's meta.json (a list, or null)."""
    return None if v is None else tuple(float(x) for x in v)  # type: ignore[return-value]


def shot_fields(page: Page, meta: dict, width: str | None = None) -> dict:
    """The Sample fields every shot of one page and width shares, from its meta.json."""
    t = meta.get("title") or {}
    return dict(
        page_id=page.id,
        width=width or meta["width"],
        title=box_of(t.get("title")),
        nav=tuple(box_of(b) for b in t.get("nav", [])),
        part=page.part,
    )


def _samples(page: Page, folder: Path) -> Iterator[Sample]:
    meta = json.loads((folder / "meta.json").read_text())
    common = shot_fields(page, meta)
    yield Sample(
        kind=None,
        png=folder / "clean.png",
        box=None,
        contrast=tuple(
            AxeResult(
                a["text"], a["fg"], a["bg"], a["ratio"], a["verdict"], box_of(a["box"]), a["large"]
            )
            for a in meta["axe"]
        ),
        **common,
    )
    for kind in KINDS:
        t = meta["defects"].get(kind)
        if t:
            yield Sample(
                kind=kind,
                png=folder / f"{kind}.png",
                box=box_of(t["box"]),
                gap=box_of(t.get("gap")),
                detail=t.get("detail", {}),
                **common,
            )


def load_set(
    part: str = "dev",
    widths=("desktop", "phone"),
    kinds=None,
    render: bool = True,
    templates=None,
) -> Iterator[Sample]:
    """Samples of one part ("dev", "heldout", "all"); renders what is not cached yet.

    ``templates``: only the pages of these template keys (all when None).
    """
    todo = [
        (p, w) for p in pages(part) if templates is None or p.template in templates for w in widths
    ]
    browser = None
    try:
        for page, width in todo:
            folder = SHOTS / f"{page.slug}@{width}"
            if not (folder / "meta.json").exists():
                if not render:
                    continue
                if browser is None:
                    from benchmarks.realpages.browser import Browser

                    browser = Browser().__enter__()
                render_page(browser, page, width)
            for s in _samples(page, folder):
                if kinds is None or s.kind in kinds:
                    yield s
    finally:
        if browser is not None:
            browser.__exit__(None, None, None)


__all__ = ["KINDS", "PAGES", "WIDTHS", "AxeResult", "Sample", "load_set", "pages"]
