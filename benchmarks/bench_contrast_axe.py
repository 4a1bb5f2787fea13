"""How well the pixel-only contrast check agrees with axe-core's DOM-based color-contrast rule.

    npm install --prefix benchmarks        # once: installs the pinned axe-core
    python benchmarks/bench_contrast_axe.py [--pages 16] [--seed 7] [--dpr 1]

Seeded pages (``contrast_pages.py``: light and dark themes, coloured cards, pills, gradient
cards, 11-32 px text in four families, regular and bold, label + value lines in two colours,
and non-text decoys such as icons and sparklines) are rendered in Debian's
Chromium; axe-core, run in the page with only ``color-contrast``, gives each text
element's verdict and ratio. Our check sees only the screenshot. Each of our text lines is
matched to the element whose text box it overlaps most.

Prints, over elements axe could judge (its "incomplete", i.e. gradients, are left out):
- precision: of our AA findings, the share on elements axe says fail AA (a finding on no
  element, or on a passing one, is a false alarm);
- recall: of elements axe says fail AA, the share we flagged;
- mean absolute ratio error: our ratio against axe's, over every element we measured;
plus how often we declined to measure, and timings.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from contrast_pages import pages  # noqa: E402
from contrast_render import Renderer, axe_available  # noqa: E402

from uireview.checks.contrast import check, measure  # noqa: E402
from uireview.findings import Box  # noqa: E402
from uireview.screen import Screen  # noqa: E402
from uireview.screen.text import detect_text  # noqa: E402


def _overlap(a: Box, b: tuple[float, float, float, float]) -> float:
    w = min(a.x1, b[2]) - max(a.x0, b[0])
    h = min(a.y1, b[3]) - max(a.y0, b[1])
    return max(0.0, w) * max(0.0, h)


def _match(box: Box, truth) -> object | None:
    """The element whose text box overlaps ``box`` most (at least a third of the smaller)."""
    best, best_area = None, 0.0
    for t in truth:
        area = _overlap(box, t.box)
        smaller = min(box.area, (t.box[2] - t.box[0]) * (t.box[3] - t.box[1]))
        if area > best_area and area >= smaller / 3:
            best, best_area = t, area
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=16)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--dpr", type=float, default=1.0)
    parser.add_argument("-v", "--verbose", action="store_true", help="list every disagreement")
    args = parser.parse_args()
    if not axe_available():
        print("axe-core is missing: run `npm install --prefix benchmarks` first", file=sys.stderr)
        return 2

    tp = fp = fn = 0
    errors = []
    judged = unmeasured_judged = incomplete = flagged_incomplete = 0
    check_seconds = []
    pixels = 0
    started = time.perf_counter()
    with Renderer(dpr=args.dpr) as renderer:
        for name, html, specs in pages(args.pages, seed=args.seed):
            rgb, truth = renderer.render(html)
            screen = Screen(rgb)
            t0 = time.perf_counter()
            findings = [f for f in check(screen, dpr=args.dpr) if f.rule == "contrast.aa"]
            check_seconds.append(time.perf_counter() - t0)
            pixels += rgb.shape[0] * rgb.shape[1]

            flagged: set[int] = set()
            # A finding covers every place its colour pair occurs: box plus related.
            places = [(f, box) for f in findings for box in (f.box, *f.related)]
            for f, box in places:
                t = _match(box, truth)
                if t is None:
                    fp += 1
                    if args.verbose:
                        print(f"{name}: FP on no element {box} {f.evidence}")
                elif t.kind not in ("violation", "pass"):
                    flagged_incomplete += 1  # axe could not judge it: neither right nor wrong
                elif t.kind == "violation":
                    flagged.add(t.id)
                else:
                    fp += 1
                    if args.verbose:
                        s = specs[t.id]
                        print(
                            f"{name}: FP #{t.id} axe {t.ratio} ours {f.evidence} "
                            f"{s.size}px {s.weight} {s.font} {s.color} on {s.background} "
                            f"est {f.metrics['font_px']}px bold={f.metrics['bold']}"
                        )
            tp += len(flagged)
            measured: dict[int, float | None] = {}
            regions = screen.text_regions if args.dpr <= 1 else detect_text(rgb, args.dpr)
            for m in measure(regions, args.dpr):
                t = _match(m.box, truth)
                if t is not None:
                    measured.setdefault(t.id, m.ratio)
            for t in truth:
                if t.kind == "incomplete":
                    incomplete += 1
                    continue
                if t.kind not in ("violation", "pass"):
                    continue
                judged += 1
                ours = measured.get(t.id)
                if ours is None:
                    unmeasured_judged += 1
                else:
                    errors.append(abs(ours - t.ratio))
                if t.kind == "violation" and t.id not in flagged:
                    fn += 1
                    if args.verbose:
                        s = specs[t.id]
                        print(
                            f"{name}: FN #{t.id} axe {t.ratio} (needs {t.required}) ours "
                            f"{ours and round(ours, 2)} {s.size}px {s.weight} {s.font} "
                            f"{s.color} on {s.background}"
                        )

    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    mae = sum(errors) / len(errors) if errors else float("nan")
    print(
        f"pages {args.pages} (seed {args.seed}, dpr {args.dpr:g}), text elements axe judged: "
        f"{judged} ({tp + fn} fail AA), axe incomplete (gradients): {incomplete}"
    )
    print(f"precision {precision:.3f}  ({tp} true, {fp} false alarms)")
    print(f"recall    {recall:.3f}  ({tp} of {tp + fn} AA failures found)")
    print(
        f"ratio mean abs error {mae:.3f}  over {len(errors)} measured elements; "
        f"declined to measure {unmeasured_judged} judged elements"
    )
    print(f"findings on axe-incomplete (gradient) elements: {flagged_incomplete} of {incomplete}")
    mp = pixels / len(check_seconds) / 1e6
    print(
        f"check time per page {sum(check_seconds) / len(check_seconds):.3f} s "
        f"(mean {mp:.2f} Mpx); total {time.perf_counter() - started:.0f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
