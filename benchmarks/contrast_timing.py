"""Time the contrast check on a 1440x900 dashboard and on a 3840x2160 (dpr 2) capture.

    python benchmarks/contrast_timing.py [--runs 5]
    python benchmarks/contrast_timing.py --real [--runs 3] [--every 1]

Renders one benchmark page in Debian's Chromium at each size, then times, warm (the
detector loaded once before), detection and the whole check from a fresh ``Screen``.
Prints the best and median of the runs: the best is the figure on an idle machine; the
process CPU time (both cores) shows the work done even when other jobs share the cores.

``--real``: the dev part's 1440x900 real-page shots (``benchmarks/realpages``, rendered
already), each checked ``--runs`` times; of each shot the run with the quickest check is
kept, split into detection, measuring the lines (``measure_line``), reading words
(``read_lines``) and the rest (grouping, places, fixes), beside the text detector run
alone just before it. Then each shot's reads are replayed in the recogniser session
``read_lines`` uses (one thread) and in RapidOCR's own (its default threads), in
alternating order, to show what the session's thread count costs and that the words read
are the same.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from contrast_pages import make_page  # noqa: E402
from contrast_render import Renderer  # noqa: E402

from uireview.checks.contrast import check  # noqa: E402
from uireview.screen import Screen  # noqa: E402
from uireview.screen.text import detect_boxes  # noqa: E402


def _real(runs: int, every: int) -> int:
    import numpy as np
    from PIL import Image

    import uireview.checks.contrast as contrast
    import uireview.screen.text as text
    from benchmarks.realpages import load_set

    samples = [
        s for s in load_set(part="dev", widths=("desktop",), render=False) if s.kind is None
    ][::every]
    shots = [(s.page_id, np.asarray(Image.open(s.png).convert("RGB"))) for s in samples]
    shots = [(p, rgb) for p, rgb in shots if rgb.shape[:2] == (900, 1440)]
    if not shots:
        print("no real pages: render them with benchmarks/realpages first", file=sys.stderr)
        return 2
    detect_boxes(shots[0][1])  # load the model outside the timings
    spent: dict[str, float] = {}
    reads: list[tuple[np.ndarray, list]] = []

    spent.update(read=0.0, measure=0.0, detect=0.0)
    depth = dict.fromkeys(spent, 0)

    def timed(fn, stage):
        # Only the outermost call counts: detect_boxes calls itself once it knows the dpr.
        def run(*a, **k):
            depth[stage] += 1
            t0 = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                depth[stage] -= 1
                if depth[stage] == 0:
                    spent[stage] += time.perf_counter() - t0

        return run

    def recording(fn):
        def run(rgb, regions):
            reads.append((rgb, list(regions)))
            return fn(rgb, regions)

        return run

    read_lines, measure_line, detect = text.read_lines, text.measure_line, text.detect_boxes
    rows = []  # (alone, detection, measuring, reading, whole check)
    replays = []  # per shot: the reads it made
    try:
        contrast.read_lines = text.read_lines = timed(recording(read_lines), "read")
        text.measure_line = timed(measure_line, "measure")
        text.detect_boxes = timed(detect, "detect")
        for page_id, rgb in shots:
            best = None
            for _ in range(runs):
                t0 = time.perf_counter()
                detect(rgb)
                alone = time.perf_counter() - t0
                spent.update(read=0.0, measure=0.0, detect=0.0)
                del reads[:]
                t0 = time.perf_counter()
                check(Screen(rgb))
                whole = time.perf_counter() - t0
                row = (alone, spent["detect"], spent["measure"], spent["read"], whole)
                if best is None or whole < best[-1]:
                    best = row
                    made = list(reads)
            assert best is not None
            rows.append(best)
            replays.append(made)
            a, d, m, r, w = best
            print(
                f"{page_id[:48]:48s} alone {a * 1000:5.0f} ms; check {w * 1000:5.0f} ms "
                f"({w / a:.2f}x): detection {d * 1000:5.0f}, measuring {m * 1000:4.0f}, "
                f"reading {r * 1000:4.0f} ({sum(len(x) for _, x in made)} lines), rest "
                f"{(w - d - m - r) * 1000:4.0f}"
            )
    finally:
        contrast.read_lines = text.read_lines = read_lines
        text.measure_line, text.detect_boxes = measure_line, detect
    v = np.array(rows)
    ratio = v[:, 4] / v[:, 0]
    med = lambda x: float(np.median(x)) * 1000  # noqa: E731
    print(
        f"{len(rows)} shots, best of {runs}: whole check / detector alone median "
        f"{np.median(ratio):.2f}x, max {ratio.max():.2f}x; medians: detector alone "
        f"{med(v[:, 0]):.0f} ms, check {med(v[:, 4]):.0f} ms = detection {med(v[:, 1]):.0f} + "
        f"measuring {med(v[:, 2]):.0f} + reading {med(v[:, 3]):.0f} + rest "
        f"{med(v[:, 4] - v[:, 1] - v[:, 2] - v[:, 3]):.0f} ms"
    )
    # The recogniser's session: one thread (what read_lines uses) against RapidOCR's own.
    recogniser = text._recogniser
    one, default = recogniser(), text._engine().text_rec.session
    took = {"one thread": 0.0, "RapidOCR default": 0.0}
    differ = lines = 0
    try:
        for k, made in enumerate(replays):
            order = [("one thread", one), ("RapidOCR default", default)]
            words = {}
            for name, session in order if k % 2 == 0 else order[::-1]:
                text._recogniser = lambda session=session: session
                t0 = time.perf_counter()
                words[name] = [r.text for rgb, regions in made for r in read_lines(rgb, regions)]
                took[name] += time.perf_counter() - t0
            differ += sum(a != b for a, b in zip(*words.values(), strict=True))
            lines += len(words["one thread"])
    finally:
        text._recogniser = recogniser
    print(
        f"the same {lines} reads: one thread {took['one thread']:.2f} s, RapidOCR's default "
        f"threads {took['RapidOCR default']:.2f} s; words differing: {differ}"
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=None, help="5, or 3 with --real")
    parser.add_argument("--real", action="store_true", help="the dev real-page shots, by stage")
    parser.add_argument("--every", type=int, default=1, help="with --real: every n-th shot")
    args = parser.parse_args()
    if args.real:
        return _real(args.runs or 3, args.every)
    args.runs = args.runs or 5
    shots = []
    for width, height, dpr in [(1440, 900, 1.0), (1920, 1080, 2.0)]:
        html, _ = make_page(11, "light", width=width)
        with Renderer(width=width, height=height, dpr=dpr) as renderer:
            rgb, _ = renderer.render(html)
        shots.append((rgb[: int(height * dpr)], dpr))
    detect_boxes(shots[0][0])  # load the model outside the timings
    for rgb, dpr in shots:
        det, full, det1, cpu, full_res = [], [], [], [], []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            boxes = detect_boxes(rgb, dpr)
            det.append(time.perf_counter() - t0)
            t0, c0 = time.perf_counter(), time.process_time()
            findings = check(Screen(rgb), dpr=dpr)
            full.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
            if dpr > 1:  # the same capture with its dpr unknown, and forced to full size
                t0 = time.perf_counter()
                auto = detect_boxes(rgb)
                det1.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                detect_boxes(rgb, 1.0)
                full_res.append(time.perf_counter() - t0)
        h, w = rgb.shape[:2]
        print(
            f"{w}x{h} (dpr {dpr:g}): {len(boxes)} text boxes, {len(findings)} findings; "
            f"detection best {min(det):.3f} s median {statistics.median(det):.3f} s; "
            f"whole check best {min(full):.3f} s median {statistics.median(full):.3f} s "
            f"(CPU time, all threads: best {min(cpu):.3f} s)"
        )
        if det1:
            print(
                f"  dpr unknown (half size tried first): {len(auto)} boxes, best "
                f"{min(det1):.3f} s; forced full resolution: best {min(full_res):.3f} s"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
