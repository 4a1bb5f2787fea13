"""The dev pages' shrunk main heading at more widths: small and large phones, a small laptop.

The main set has one phone width (390 px), where the sidebar has collapsed into a top bar
and the body text is small; a rule for finding the page title there is fitted to that one
layout. Here every dev page is rendered clean and with its main heading shrunk to body
size and weight (``plant.js``, as in the main set) at 360x800, 414x896 and 1024x768, then
scored as ``breakdown.py`` scores the main set: heading recall per template and width (sure,
info, wrong box, none), false non-info spacing/hierarchy findings on the clean shots, and
where the page title was placed. Held-out pages are never rendered here.

    python -m benchmarks.realpages.narrow [--widths phone360,phone414,laptop1024]
        [--render-only] [--list out.txt]

Shots go to ``benchmarks/.cache/realpages/shots-widths/<VERSION>/<page>@<width>/``:
``clean.png``, ``heading_shrunk.png`` and ``meta.json`` (the title's box and the nav
regions, as the main set's).
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

from benchmarks.realpages import Sample, box_of, shot_fields
from benchmarks.realpages.pages import Page, pages
from benchmarks.realpages.render import VERSION, _prepare
from benchmarks.realpages.templates import CACHE

NARROW = {"phone360": (360, 800), "phone414": (414, 896), "laptop1024": (1024, 768)}
OUT = CACHE / "shots-widths" / VERSION
TEMPLATES = ("gentelella", "material", "sbadmin", "sneat")


def render_width(browser, page: Page, width: str) -> Path:
    """Render one dev page clean and heading-shrunk at one of ``NARROW``, unless cached."""
    if page.part != "dev":
        raise ValueError("extra widths are rendered for dev pages only")
    out = OUT / f"{page.slug}@{width}"
    meta_file = out / "meta.json"
    if meta_file.exists():
        return out
    out.mkdir(parents=True, exist_ok=True)
    size = NARROW[width]
    tab = _prepare(browser, page, size)
    meta: dict = {"page": page.id, "width": width, "size": size}
    meta["title"] = tab.evaluate("window.__rp.title()")
    tab.screenshot(path=str(out / "clean.png"))
    tab = _prepare(browser, page, size)
    truth = tab.evaluate("([k, s]) => window.__rp.plant(k, s, [])", ["heading_shrunk", 0])
    if truth:
        tab.screenshot(path=str(out / "heading_shrunk.png"))
    meta["defects"] = {"heading_shrunk": truth}
    meta_file.write_text(json.dumps(meta, indent=1))
    return out


def load_widths(widths=tuple(NARROW), clean: bool = True) -> Iterator[Sample]:
    """Samples rendered at the extra widths (dev pages only); what is not rendered is skipped."""
    for page in pages("dev"):
        for width in widths:
            folder = OUT / f"{page.slug}@{width}"
            if not (folder / "meta.json").exists():
                continue
            meta = json.loads((folder / "meta.json").read_text())
            common = shot_fields(page, meta, width)
            if clean:
                yield Sample(kind=None, png=folder / "clean.png", box=None, **common)
            truth = meta["defects"].get("heading_shrunk")
            if truth:
                yield Sample(
                    kind="heading_shrunk",
                    png=folder / "heading_shrunk.png",
                    box=box_of(truth["box"]),
                    detail=truth.get("detail", {}),
                    **common,
                )


def score(widths: list[str], listing: str = "") -> None:
    """Heading recall, false findings and title places over the rendered extra widths."""
    from benchmarks.realpages.breakdown import outcome
    from benchmarks.realpages.quality import screen_of, title_place
    from uireview.checks import get_check

    fns = {n: get_check(n) for n in ("spacing", "hierarchy")}
    cells: dict[tuple, Counter] = defaultdict(Counter)
    false: Counter = Counter()
    shots: Counter = Counter()
    places: dict[str, Counter] = defaultdict(Counter)
    notes: list[str] = []
    t0 = time.perf_counter()
    for s in load_widths(tuple(widths)):
        tpl = s.page_id.split(":")[0]
        screen = screen_of(s.png)
        if s.kind is None:
            shots[(tpl, s.width)] += 1
            place = title_place(screen, s)
            places[s.width][place] += 1
            if place != "title":
                notes.append(f"PLACE {place} {s.page_id} {s.width}")
            for fn in fns.values():
                for f in fn(screen):
                    if f.severity != "info":
                        false[(tpl, s.width)] += 1
                        notes.append(f"FALSE {s.page_id} {s.width} {f.rule} {f.evidence}")
            continue
        out = outcome(fns["hierarchy"](screen), s)
        cells[(tpl, s.width)][out] += 1
        if out != "sure":
            notes.append(f"{out.upper()} heading_shrunk {s.page_id} {s.width} {s.detail}")
    print(f"dev pages at extra widths, {time.perf_counter() - t0:.0f} s")
    print("\nheading_shrunk: sure/shots (info, wrong box, none)")
    for tpl in (*TEMPLATES, "all"):
        row = []
        for w in widths:
            c = sum((cells[(t, w)] for t in (TEMPLATES if tpl == "all" else [tpl])), Counter())
            n = sum(c.values())
            row.append(f"{w} {c['sure']}/{n} ({c['info']},{c['wrong box']},{c['none']})")
        print(f"  {tpl:<11}" + "".join(f"{r:<28}" for r in row))
    print("\nfalse non-info spacing/hierarchy findings / clean shots")
    for tpl in (*TEMPLATES, "all"):
        row = []
        for w in widths:
            ts = TEMPLATES if tpl == "all" else [tpl]
            row.append(f"{w} {sum(false[(t, w)] for t in ts)}/{sum(shots[(t, w)] for t in ts)}")
        print(f"  {tpl:<11}" + "".join(f"{r:<20}" for r in row))
    print("  page title placed on: " + "; ".join(f"{w} {dict(places[w])}" for w in widths))
    if listing:
        Path(listing).write_text("\n".join(notes) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--widths", default=",".join(NARROW))
    ap.add_argument("--render-only", action="store_true")
    ap.add_argument("--list", default="", help="write every miss and false finding here")
    a = ap.parse_args()
    widths = a.widths.split(",")
    todo = [
        (p, w)
        for w in widths
        for p in pages("dev")
        if not (OUT / f"{p.slug}@{w}" / "meta.json").exists()
    ]
    if todo:
        from benchmarks.realpages.browser import Browser

        with Browser() as browser:
            for page, width in todo:
                render_width(browser, page, width)
                print("rendered", page.id, width, flush=True)
    if not a.render_only:
        score(widths, a.list)


if __name__ == "__main__":
    main()
