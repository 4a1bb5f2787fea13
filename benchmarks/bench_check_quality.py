"""Detection rate of the measured checks on pages with one planted defect.

Two sets:
- synthetic (default): our own renderer's layouts x themes x seeds. Every finding on a
  clean page counts as a false positive; recall per planted defect type.
- real (``--real dev,heldout``): published HTML templates rendered offline in Chromium with
  one defect planted in the DOM (benchmarks/realpages). Per part, width and defect kind:
  recall printed both ways (sure: a non-info finding of the right rule touching the changed
  element, what the goals use; any sev: info findings count too), false non-info
spacing/alignment/hierarchy findings per clean page,
  and where the hierarchy check placed the page title (on the real title, on a sidebar or
  nav element, elsewhere). The held-out part is never used for tuning.

    python benchmarks/bench_check_quality.py [--seeds 4] [--first-seed 100]
        [--checks spacing,hierarchy,contrast]
    python benchmarks/bench_check_quality.py --real dev,heldout [--widths desktop,phone]
        [--kinds heading_shrunk,odd_gap (or a prefix: heading)] [--show-false 20] [--show-missed]
        [--templates tabler,black (only these templates' pages)]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.screens import DEFECTS, LAYOUTS, THEMES, render_screen  # noqa: E402
from uireview.checks import get_check  # noqa: E402

# which rules count as finding each defect; spatial defects also need the boxes to touch
RULES = {
    "odd_gap": {"spacing.gap_rhythm"},
    "off_column": {"alignment.near_miss", "spacing.gap_rhythm"},
    "padding_mismatch": {"spacing.padding"},
    "heading_shrunk": {"hierarchy.flat", "hierarchy.heading"},
    "equal_buttons": {"hierarchy.primary_action"},
    "competing_heading": {"hierarchy.focus"},
}
PAGE_LEVEL = {"heading_shrunk"}
# screen sizes cycle with the seed: the page scales, so gaps and fonts change with it
SIZES = ((1440, 900), (1280, 800), (1920, 1080))


def _touches(finding, defect) -> bool:
    boxes = [b for b in [finding.box, *finding.related] if b is not None]
    return any(b.intersection(defect.box) is not None for b in boxes)


def hits(finding, defect) -> bool:
    if finding.rule not in RULES[defect.kind]:
        return False
    return defect.kind in PAGE_LEVEL or _touches(finding, defect)


def run(seeds: int, checks: list[str], first_seed: int = 0):
    fns = {name: get_check(name) for name in checks}
    clean_pages = 0
    clean_fp: Counter = Counter()
    clean_rules: Counter = Counter()
    found: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    extra: Counter = Counter()
    by_rule: dict[str, Counter] = defaultdict(Counter)
    t0 = time.perf_counter()
    for layout in LAYOUTS:
        for theme in THEMES:
            for seed in range(first_seed, first_seed + seeds):
                size = SIZES[seed % len(SIZES)]
                screen, _ = render_screen(layout, theme, seed, size=size)
                clean_pages += 1
                for name, fn in fns.items():
                    fs = fn(screen)
                    clean_fp[name] += len(fs)
                    clean_rules.update(f.rule for f in fs)
                for kind in DEFECTS:
                    screen, truth = render_screen(layout, theme, seed, [kind], size=size)
                    planted = [d for d in truth.defects if d.kind == kind]
                    if not planted:
                        continue  # this layout has no place for this defect
                    fs = [f for fn in fns.values() for f in fn(screen)]
                    ok = any(hits(f, d) for f in fs for d in planted)
                    found[kind][0] += ok
                    found[kind][1] += 1
                    for f in fs:
                        if any(hits(f, d) for d in planted):
                            by_rule[kind][f.rule] += 1
                        else:
                            extra[kind] += 1
    dt = time.perf_counter() - t0
    print(
        f"checks: {', '.join(checks)}; {clean_pages} clean pages "
        f"({len(LAYOUTS)} layouts x {len(THEMES)} themes x seeds {first_seed}-"
        f"{first_seed + seeds - 1}; sizes {', '.join(f'{w}x{h}' for w, h in SIZES)}), {dt:.0f} s"
    )
    print("\nfalse positives on clean pages")
    for name in checks:
        print(f"  {name:<10} {clean_fp[name] / clean_pages:5.2f} findings/page")
    if clean_rules:
        print("  by rule:", dict(clean_rules))
    print("\nrecall per planted defect (one defect per page)")
    print(f"  {'defect':<18}{'found':>8}{'pages':>7}{'recall':>8}{'other findings/page':>22}")
    for kind in DEFECTS:
        k, n = found[kind]
        if n:
            print(
                f"  {kind:<18}{k:>8}{n:>7}{k / n:>8.0%}{extra[kind] / n:>22.2f}"
                f"   via {dict(by_rule[kind])}"
            )


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=4)
    ap.add_argument("--checks", default="spacing,hierarchy")
    # the checks were tuned on seeds 0-19: report on seeds they have not seen
    ap.add_argument("--first-seed", type=int, default=100)
    ap.add_argument("--real", default="", help="real-page parts to run: dev,heldout")
    ap.add_argument("--widths", default="desktop,phone")
    ap.add_argument("--show-false", type=int, default=0, help="list this many false findings")
    ap.add_argument("--show-missed", action="store_true", help="list missed defects")
    ap.add_argument("--kinds", default="", help="real-page defect kinds to run (default all)")
    ap.add_argument("--templates", default="", help="real-page templates to run (default all)")
    a = ap.parse_args()
    if a.real:
        from benchmarks.realpages import KINDS
        from benchmarks.realpages.quality import run_real

        # a kind may be named by its start ("heading" for heading_shrunk)
        kinds = (
            [k for k in KINDS if any(k.startswith(w) for w in a.kinds.split(","))]
            if a.kinds
            else None
        )
        templates = a.templates.split(",") if a.templates else None
        for part in a.real.split(","):
            run_real(part, a.widths.split(","), a.show_false, a.show_missed, kinds, templates)
    else:
        run(a.seeds, a.checks.split(","), a.first_seed)


if __name__ == "__main__":
    main()
