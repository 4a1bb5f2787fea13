"""Alignment recall on more planted shifts of the dev pages, per template.

The real-page set plants one "off_column" shift per page and width (40 dev shots): too few
to tell a rule that holds from one fitted to a handful of elements. This plants the same
defect again with other seeds (another element of another column, moved 3-6 px the same way,
by ``plant.js``) on the **dev** pages only, and prints recall per template and width, sure
(a non-info ``alignment.near_miss`` or ``spacing.gap_rhythm`` touching the moved element,
what issue 13's goal counts) and of any severity. A rule that holds on three templates and
fails on the fourth shows here. False findings on clean pages are counted by
``bench_check_quality.py --real dev``, on the same clean shots.

    python benchmarks/bench_alignment_seeds.py [--seeds 3] [--show-missed]

Shots are cached in ``benchmarks/.cache/offcol/<plant version>/``; missing ones are rendered
on first use (Debian Chromium, offline), a few minutes for three seeds.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.realpages import Sample, pages  # noqa: E402
from benchmarks.realpages.pages import WIDTHS  # noqa: E402
from benchmarks.realpages.quality import hits, screen_of  # noqa: E402
from benchmarks.realpages.render import SHOTS, VERSION, _prepare, _seed  # noqa: E402
from uireview.checks import get_check  # noqa: E402

WIDE = (12, 9, -6, -6, -8, -6, -9)  # column widths; negative: right-aligned
OUT = Path(__file__).resolve().parent / ".cache" / "offcol" / VERSION


def _render(seeds: int) -> None:
    todo = [
        (p, w, k)
        for p in pages("dev")
        for w in WIDTHS
        for k in range(1, seeds + 1)
        if not (OUT / f"{p.slug}@{w}" / f"s{k}.json").exists()
    ]
    if not todo:
        return
    from benchmarks.realpages.browser import Browser

    print(f"rendering {len(todo)} shots", flush=True)
    with Browser() as browser:
        for page, width, k in todo:
            folder = OUT / f"{page.slug}@{width}"
            folder.mkdir(parents=True, exist_ok=True)
            tab = _prepare(browser, page, WIDTHS[width])
            seed = _seed(page.id, width, "off_column", str(k))
            truth = tab.evaluate("([k, s]) => window.__rp.plant(k, s, [])", ["off_column", seed])
            if truth:
                tab.screenshot(path=str(folder / f"s{k}.png"))
            (folder / f"s{k}.json").write_text(json.dumps(truth))


def samples(seeds: int):
    """Planted shifts on dev pages, the set's own and the extra seeds', one per element."""
    for page in pages("dev"):
        for width in WIDTHS:
            folder = OUT / f"{page.slug}@{width}"
            base = json.loads((SHOTS / f"{page.slug}@{width}" / "meta.json").read_text())
            found = [
                (
                    SHOTS / f"{page.slug}@{width}" / "off_column.png",
                    base["defects"].get("off_column"),
                )
            ]
            found += [
                (folder / f"s{k}.png", json.loads((folder / f"s{k}.json").read_text()))
                for k in range(1, seeds + 1)
            ]
            seen = set()
            for png, truth in found:
                if not truth:
                    continue
                key = tuple(round(v) for v in truth["box"][:2]) + (truth["detail"]["text"],)
                if key in seen:
                    continue  # the same element drawn again
                seen.add(key)
                yield Sample(
                    page_id=page.id,
                    width=width,
                    kind="off_column",
                    png=png,
                    box=tuple(truth["box"]),
                    detail=truth["detail"],
                )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--show-missed", action="store_true")
    a = ap.parse_args()
    _render(a.seeds)
    spacing = get_check("spacing")
    t0 = time.perf_counter()
    cells: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    missed = []
    for s in samples(a.seeds):
        fs = spacing(screen_of(s.png))
        sure = any(hits(f, s) and f.severity != "info" for f in fs)
        seen = any(hits(f, s) for f in fs)
        template = s.page_id.split(":")[0]
        for key in ((template, s.width), (template, "all"), ("all", s.width), ("all", "all")):
            c = cells[key]
            c[0] += sure
            c[1] += seen
            c[2] += 1
        if not sure:
            missed.append((s, [(f.severity, f.title) for f in fs if hits(f, s)]))
    print(f"off_column on dev pages, set + {a.seeds} extra seeds, {time.perf_counter() - t0:.0f} s")
    head = ("template", "width", "shots", "sure", "recall", "any", "any sev")
    print(
        "  "
        + "".join(f"{h:<{w}}" if w > 0 else f"{h:>{-w}}" for h, w in zip(head, WIDE, strict=True))
    )
    for (template, width), (k, seen, n) in sorted(cells.items()):
        print(f"  {template:<12}{width:<9}{n:>6}{k:>6}{k / n:>8.0%}{seen:>6}{seen / n:>9.0%}")
    if a.show_missed:
        for s, fs in missed:
            print(f"    MISSED {s.page_id} {s.width} {s.png.name} {s.detail} {fs[:2]}")


if __name__ == "__main__":
    main()
