"""Heading and gap recall on the dev pages per template and width, with the near misses.

The dev part of the real-page set plus its variants (``variants.py``: two more widths and
more odd-gap plantings). Per defect kind, template and width: sure hits (a non-info
finding of the right rule on the planted element, as ``bench_check_quality --real``
counts them) and the near misses: found only as info, a finding of the right rule on
another box, nothing. Then false non-info spacing/hierarchy findings on clean shots and
where the page title was placed. Dev pages only: the held-out part is never read here.

    python -m benchmarks.realpages.breakdown [--kinds heading_shrunk,odd_gap] [--no-clean]
        [--no-variants] [--list out.txt] [--templates tabler,black]

Reading a template's row against the others is the honesty check: a rule tuned on three
templates should hold on the fourth.
"""

from __future__ import annotations

import argparse
import itertools
import time
from collections import Counter, defaultdict

from benchmarks.realpages import load_set
from benchmarks.realpages.quality import RULES, hits, screen_of, title_place
from benchmarks.realpages.variants import SIZES, load_variants
from uireview.checks import get_check

CHECK = {"heading_shrunk": "hierarchy", "odd_gap": "spacing"}
TEMPLATES = ("gentelella", "material", "sbadmin", "sneat", "tabler", "black", "nowui")


def outcome(fs, s) -> str:
    """ "sure", "info" (found only as info), "wrong box" (the rule fired elsewhere), "none"."""
    if any(hits(f, s) and f.severity != "info" for f in fs):
        return "sure"
    if any(hits(f, s) for f in fs):
        return "info"
    return "wrong box" if any(f.rule in RULES[s.kind] for f in fs) else "none"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kinds", default="heading_shrunk,odd_gap")
    ap.add_argument("--no-clean", action="store_true")
    ap.add_argument("--no-variants", action="store_true")
    ap.add_argument("--list", default="", help="write every miss and false finding here")
    ap.add_argument("--templates", default="", help="only these templates (default all)")
    a = ap.parse_args()
    templates = tuple(a.templates.split(",")) if a.templates else TEMPLATES
    kinds = set(a.kinds.split(","))
    fns = {n: get_check(n) for n in ("spacing", "hierarchy")}
    cells: dict[tuple, Counter] = defaultdict(Counter)
    false: Counter = Counter()
    pages: Counter = Counter()
    places: Counter = Counter()
    notes: list[str] = []
    t0 = time.perf_counter()
    wanted = kinds if a.no_clean else {None, *kinds}
    samples = load_set("dev", kinds=wanted, render=False)
    if not a.no_variants:
        samples = itertools.chain(samples, load_variants(kinds=kinds, clean=not a.no_clean))
    for s in samples:
        tpl = s.page_id.split(":")[0]
        if tpl not in templates:
            continue
        screen = screen_of(s.png)
        if s.kind is None:
            pages[(tpl, s.width)] += 1
            places[title_place(screen, s)] += 1
            for fn in fns.values():
                for f in fn(screen):
                    if f.severity != "info":
                        false[(tpl, s.width)] += 1
                        notes.append(f"FALSE {s.page_id} {s.width} {f.rule} {f.evidence}")
            continue
        fs = fns[CHECK[s.kind]](screen)
        out = outcome(fs, s)
        cells[(s.kind, tpl, s.width)][out] += 1
        if out != "sure":
            notes.append(f"{out.upper()} {s.kind} {s.page_id} {s.width} {s.detail}")
    print(f"dev pages and their variants, {time.perf_counter() - t0:.0f} s")
    widths = [w for w in SIZES if any(k[2] == w for k in cells) or any(k[1] == w for k in pages)]
    for kind in sorted(kinds):
        print(f"\n{kind}: sure/shots (info, wrong box, none)")
        for tpl in (*templates, "all"):
            row = []
            for w in widths:
                c = sum(
                    (cells[(kind, t, w)] for t in (templates if tpl == "all" else [tpl])),
                    Counter(),
                )
                n = sum(c.values())
                row.append(f"{w} {c['sure']}/{n} ({c['info']},{c['wrong box']},{c['none']})")
            print(f"  {tpl:<11}" + "".join(f"{r:<26}" for r in row))
    if not a.no_clean:
        print("\nfalse non-info spacing/hierarchy findings / clean shots")
        for tpl in templates:
            row = [f"{w} {false[(tpl, w)]}/{pages[(tpl, w)]}" for w in widths]
            print(f"  {tpl:<11}" + "".join(f"{r:<16}" for r in row))
        print(f"  page title placed on: {dict(places)}")
    if a.list:
        with open(a.list, "w") as fh:
            fh.write("\n".join(notes) + "\n")


if __name__ == "__main__":
    main()
