"""More planted variants of the dev pages only: other widths and other planting seeds.

The main set plants one odd gap per page and width, so a gap rule can be fitted to the
few groups that seed happened to pick. Here each dev page is also rendered at more widths
(laptop, tablet, two more phones), and the odd gap is planted with several seeds (other
groups, other positions, other sizes), so a rule that holds only on the groups it was tuned
on shows up as a miss. Held-out pages are never rendered here.

    python -m benchmarks.realpages.variants [--seeds 3] [--widths laptop,tablet]

Shots go to ``benchmarks/.cache/realpages/shots-variants/<VERSION>/<page>@<run>/``:
``clean.png``, ``heading_shrunk.png``, ``odd_gap-<i>.png`` and ``meta.json``. A run is a
width, or a width with a batch of later seeds (``phone~b``: seeds 3-7 at 390 px), kept in a
folder of its own so the folders rendered first are never rewritten.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path

from benchmarks.realpages import Sample, box_of, shot_fields
from benchmarks.realpages.pages import WIDTHS, Page, pages
from benchmarks.realpages.render import VERSION, _prepare, _seed
from benchmarks.realpages.templates import CACHE

EXTRA_WIDTHS = {
    "laptop": (1280, 800),
    "tablet": (768, 1024),
    # phones narrower and wider than the main set's 390 px: cards stack, forms go one column
    "phone360": (360, 800),
    "phone414": (414, 896),
}
SIZES = {**WIDTHS, **EXTRA_WIDTHS}
# later seeds at a width, in their own folder: run -> (width, first seed)
BATCHES = {"phone~b": ("phone", 3)}
RUNS = (*SIZES, *BATCHES)
OUT = CACHE / "shots-variants" / VERSION


def render_variants(browser, page: Page, run: str, seeds: int) -> Path:
    """Render one dev page for one run (a width, or a batch) with ``seeds`` odd-gap plantings,
    unless cached."""
    if page.part != "dev":
        raise ValueError("variants are rendered for dev pages only")
    width, first = BATCHES.get(run, (run, 0))
    out = OUT / f"{page.slug}@{run}"
    meta_file = out / "meta.json"
    if meta_file.exists() and json.loads(meta_file.read_text()).get("seeds", 0) >= seeds:
        return out
    out.mkdir(parents=True, exist_ok=True)
    size = SIZES[width]
    meta: dict = {"page": page.id, "width": width, "size": size, "seeds": seeds, "defects": {}}
    fresh = width in EXTRA_WIDTHS
    if fresh:
        tab = _prepare(browser, page, size)
        meta["title"] = tab.evaluate("window.__rp.title()")
        tab.screenshot(path=str(out / "clean.png"))
        tab = _prepare(browser, page, size)
        truth = tab.evaluate("([k, s]) => window.__rp.plant(k, s, [])", ["heading_shrunk", 0])
        if truth:
            tab.screenshot(path=str(out / "heading_shrunk.png"))
        meta["defects"]["heading_shrunk"] = truth
    for i in range(first, first + seeds):
        tab = _prepare(browser, page, size)
        seed = _seed(page.id, width, "odd_gap", f"variant{i}")
        truth = tab.evaluate("([k, s]) => window.__rp.plant(k, s, [])", ["odd_gap", seed])
        if truth:
            tab.screenshot(path=str(out / f"odd_gap-{i}.png"))
        meta["defects"][f"odd_gap-{i}"] = truth
        if "title" not in meta:
            meta["title"] = tab.evaluate("window.__rp.title()")
    meta_file.write_text(json.dumps(meta, indent=1))
    return out


def load_variants(widths=tuple(SIZES), kinds=None, clean: bool = True) -> Iterator[Sample]:
    """Samples of the rendered variants (dev pages only); what is not rendered is skipped.
    A width's batches of later seeds come with it (their samples say that width)."""
    for page in pages("dev"):
        runs = [r for r in RUNS if BATCHES.get(r, (r,))[0] in widths]
        for run in runs:
            folder = OUT / f"{page.slug}@{run}"
            if not (folder / "meta.json").exists():
                continue
            meta = json.loads((folder / "meta.json").read_text())
            common = shot_fields(page, meta)
            if clean and (folder / "clean.png").exists():
                yield Sample(kind=None, png=folder / "clean.png", box=None, **common)
            for name, truth in meta["defects"].items():
                kind = name.split("-")[0]
                if not truth or (kinds is not None and kind not in kinds):
                    continue
                yield Sample(
                    kind=kind,
                    png=folder / f"{name}.png",
                    box=box_of(truth["box"]),
                    gap=box_of(truth.get("gap")),
                    detail={**truth.get("detail", {}), "variant": f"{run}:{name}"},
                    **common,
                )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--widths", default="laptop,tablet,desktop,phone", help=f"runs: {RUNS}")
    a = ap.parse_args()
    from benchmarks.realpages.browser import Browser

    with Browser() as browser:
        for width in a.widths.split(","):
            for page in pages("dev"):
                render_variants(browser, page, width, a.seeds)
                print(page.id, width, flush=True)


if __name__ == "__main__":
    main()
