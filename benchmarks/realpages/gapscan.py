"""Odd-gap recall per template and width over the dev pages and all their variants, fast.

The loop for tuning ``spacing.gap_rhythm``: the detected elements of each shot are cached
on disk (keyed by the shot and by ``uireview/screen/elements.py``, so a change there is not
served stale boxes), and the spacing candidates are ranked as ``spacing.check`` ranks them
but not named (naming reads text; it changes no rule, box or severity). A hit is what
``bench_check_quality --real`` counts: a non-info ``spacing.gap_rhythm`` finding whose box
touches the planted gap. Clean shots give ``spacing.check``'s false non-info findings
(spacing and alignment; hierarchy's are counted by ``breakdown.py`` and
``bench_check_quality``). Dev pages only.

    python -m benchmarks.realpages.gapscan [--widths desktop,phone,...] [--list misses.txt]
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import pickle
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
from PIL import Image

import uireview.checks.spacing as sp
from benchmarks.realpages import load_set
from benchmarks.realpages.breakdown import TEMPLATES
from benchmarks.realpages.quality import hits
from benchmarks.realpages.templates import CACHE
from benchmarks.realpages.variants import SIZES, load_variants
from uireview.checks.spacing.siblings import Candidate
from uireview.findings import Finding
from uireview.screen import Screen

_ELEMENTS = Path(sp.__file__).resolve().parents[2] / "screen" / "elements.py"
ELEMENTS_CACHE = CACHE / "elements" / hashlib.sha1(_ELEMENTS.read_bytes()).hexdigest()[:8]


def screen_of(png: Path) -> Screen:
    """The shot's Screen with its elements cached on disk."""
    data = png.read_bytes()
    screen = Screen(np.asarray(Image.open(png).convert("RGB")), name=png.name)
    key = ELEMENTS_CACHE / f"{hashlib.sha1(data).hexdigest()}.pkl"
    if key.exists():
        screen.__dict__["elements"] = pickle.loads(key.read_bytes())
    else:
        ELEMENTS_CACHE.mkdir(parents=True, exist_ok=True)
        key.write_bytes(pickle.dumps(screen.elements))
    return screen


def spacing_findings(screen: Screen) -> list[Finding]:
    """``spacing.check`` up to the ranking, without naming the findings."""
    elements, witnesses, helped = sp.with_fields(screen.elements)
    gaps = sp.gaps_of(elements)
    gap_c = sp.gap_findings(screen, elements, gaps, witnesses, helped)
    align_c = sp.column_findings(screen, elements, sp.alignment_findings(screen, elements))
    uneven = {tuple(sorted(c.elements)) for c in gap_c}
    gap_c, align_c = sp.explain_shifts(gap_c, align_c, elements, gaps)
    pad_c = sp.padding_findings(screen, elements)
    moved = {i for c in align_c for i in c.elements}
    flagged = {
        (g.a, g.b)
        for g in gaps
        if tuple(sorted((g.a, g.b))) in uneven or g.a in moved or g.b in moved
    }
    grid_c = sp.grid_findings(screen, elements, gaps, flagged)
    list_c = [
        Candidate(s, f) for s, f in sp.pitch.findings(screen, elements, sp.siblings(elements))
    ]
    ranked = sorted(gap_c + align_c + pad_c + grid_c + list_c, key=lambda c: -c.significance)
    return [c.finding for c in ranked[: sp.MAX_FINDINGS]]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--widths", default=",".join(SIZES))
    ap.add_argument("--list", default="", help="write every miss and false finding here")
    a = ap.parse_args()
    widths = a.widths.split(",")
    t0 = time.perf_counter()
    samples = itertools.chain(
        load_set(
            "dev",
            widths=tuple(w for w in widths if w in ("desktop", "phone")),
            kinds={None, "odd_gap"},
            render=False,
        ),
        load_variants(widths=tuple(widths), kinds={"odd_gap"}),
    )
    cells: dict[tuple, Counter] = defaultdict(Counter)
    false: Counter = Counter()
    clean: Counter = Counter()
    notes = []
    for s in samples:
        fs = spacing_findings(screen_of(s.png))
        if s.kind is None:
            clean[s.width] += 1
            for f in fs:
                if f.severity != "info":
                    false[s.width] += 1
                    notes.append(f"FALSE {s.png} {f.rule} [{f.severity}] {f.evidence}")
            continue
        sure = any(hits(f, s) and f.severity != "info" for f in fs)
        out = "sure" if sure else "info" if any(hits(f, s) for f in fs) else "miss"
        run = s.detail.get("variant", "main:").split(":")[0]
        for key in ((s.page_id.split(":")[0], s.width), ("all", s.width), ("run", run)):
            cells[key][out] += 1
        if out != "sure":
            notes.append(f"{out.upper()} {s.png} box={s.box} gap={s.gap} {s.detail}")
    print(f"odd_gap on dev pages and variants: sure/shots (info), {time.perf_counter() - t0:.0f} s")
    for tpl in (*TEMPLATES, "all"):
        row = []
        for w in widths:
            c = cells[(tpl, w)]
            n = sum(c.values())
            row.append(f"{w} {c['sure']}/{n} ({c['info']})" if n else f"{w} -")
        print(f"  {tpl:<11}" + "".join(f"{r:<20}" for r in row))
    runs = {r: f"{c['sure']}/{sum(c.values())}" for (k, r), c in cells.items() if k == "run"}
    print(f"  per run: {runs}")
    print("false non-info spacing/alignment findings / clean shots")
    print("  " + "  ".join(f"{w} {false[w]}/{clean[w]}" for w in widths if clean[w]))
    if a.list:
        Path(a.list).write_text("\n".join(notes) + "\n")


if __name__ == "__main__":
    main()
