"""Time the contrast check on a 1440x900 dashboard and on a 3840x2160 (dpr 2) capture.

    python benchmarks/contrast_timing.py [--runs 5]
    python benchmarks/contrast_timing.py --real [--runs 3] [--every 1]

Renders one benchmark page in Debian's Chromium at each size, then times, warm (the
detector loaded once before), detection and the whole check from a fresh ``Screen``.
Prints the best and median of the runs: the best is the figure on an idle machine; the
process CPU time (both cores) shows the work done even when other jobs share the cores.

``--real``: the dev part's 1440x900 real-page shots (``benchmarks/realpages``, rendered
already), each checked ``--runs`` times; of each shot the run with the quickest check is
kept, split into detection, measuring the lines (the rest of ``detect_text``), waiting for
words (the check's own thread in its reader: lines it started reading ahead run on the
text threads meanwhile) and the rest (grouping, places, fixes), beside the text detector
run alone just before it, with the check's CPU time (all threads). Then each shot's reads
are replayed in the recogniser session ``read_lines`` uses (one thread) and in RapidOCR's
own (its default threads), one line after another, and all of a shot's lines at once on
``READ_THREADS`` threads of the one-thread session, in rotating order, to show what the
thread counts cost and that the words read are the same.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
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
    text.read_lines(shots[0][1], [text.Box(0, 0, 60, 20)])  # and the recogniser
    spent = dict(read=0.0, measure=0.0, detect=0.0)
    depth = dict.fromkeys(spent, 0)
    reads: list[tuple[np.ndarray, list]] = []

    def timed(fn, stage):
        # Only the outermost call counts: detect_boxes calls itself once it knows the dpr.
        # Each of these runs on the check's own thread (lines are measured and read on the
        # text threads inside them), so their times add up to the check's.
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
            if regions:  # list.append is atomic: safe from the text threads
                reads.append((rgb, list(regions)))
            return fn(rgb, regions)

        return run

    def measuring(rgb, dpr=None):
        # detect_text is detection, then measuring the lines: measuring is the rest of it.
        before = spent["detect"]
        t0 = time.perf_counter()
        try:
            return detect_text(rgb, dpr)
        finally:
            spent["measure"] += time.perf_counter() - t0 - (spent["detect"] - before)

    detect, detect_text, read_lines = text.detect_boxes, text.detect_text, text.read_lines
    asking = contrast._Reader.__call__
    # (alone, detection, measuring, waiting for words, whole check, CPU, detector alone CPU)
    rows = []
    replays = []  # per shot: the lines it read
    try:
        # read_soon calls text.read_lines, the check's reader its own import of it.
        contrast.read_lines = text.read_lines = recording(read_lines)  # type: ignore[misc]
        contrast._Reader.__call__ = timed(asking, "read")  # type: ignore[method-assign]
        text.detect_text = measuring
        text.detect_boxes = timed(detect, "detect")
        for page_id, rgb in shots:
            best = None
            for _ in range(runs):
                t0, c0 = time.perf_counter(), time.process_time()
                detect(rgb)
                alone = time.perf_counter() - t0
                alone_cpu = time.process_time() - c0
                spent.update(read=0.0, measure=0.0, detect=0.0)
                del reads[:]
                t0, c0 = time.perf_counter(), time.process_time()
                check(Screen(rgb))
                whole = time.perf_counter() - t0
                cpu = time.process_time() - c0
                row = (alone, spent["detect"], spent["measure"], spent["read"], whole, cpu)
                row += (alone_cpu,)
                if best is None or whole < best[4]:
                    best = row
                    made = list(reads)
            assert best is not None
            rows.append(best)
            replays.append(made)
            a, d, m, r, w, c, ac = best
            print(
                f"{page_id[:48]:48s} alone {a * 1000:5.0f} ms; check {w * 1000:5.0f} ms "
                f"({w / a:.2f}x; CPU {c * 1000:5.0f} ms, {c / ac:.2f}x): detection "
                f"{d * 1000:5.0f}, measuring {m * 1000:4.0f}, waiting for words "
                f"{r * 1000:4.0f} ({sum(len(x) for _, x in made)} lines read), "
                f"rest {(w - d - m - r) * 1000:4.0f}"
            )
    finally:
        contrast.read_lines = text.read_lines = read_lines  # type: ignore[misc]
        text.detect_text, text.detect_boxes = detect_text, detect
        contrast._Reader.__call__ = asking  # type: ignore[method-assign]
    v = np.array(rows)
    ratio = v[:, 4] / v[:, 0]
    med = lambda x: float(np.median(x)) * 1000  # noqa: E731
    print(
        f"{len(rows)} shots, best of {runs}: whole check / detector alone median "
        f"{np.median(ratio):.2f}x, max {ratio.max():.2f}x; medians: detector alone "
        f"{med(v[:, 0]):.0f} ms, check {med(v[:, 4]):.0f} ms = detection {med(v[:, 1]):.0f} + "
        f"measuring {med(v[:, 2]):.0f} + waiting for words {med(v[:, 3]):.0f} + rest "
        f"{med(v[:, 4] - v[:, 1] - v[:, 2] - v[:, 3]):.0f} ms; CPU (all threads): detector "
        f"alone {med(v[:, 6]):.0f} ms, check {med(v[:, 5]):.0f} ms, median ratio "
        f"{np.median(v[:, 5] / v[:, 6]):.2f}x"
    )
    # The recogniser's session: one thread (what read_lines uses) against RapidOCR's own,
    # each read one after another, and the one-thread session with a shot's reads on
    # READ_THREADS threads at once.
    recogniser = text._recogniser
    one, default = recogniser(), text._engine().text_rec.session
    ways = [("one thread", one, False), ("RapidOCR default", default, False)]
    ways.append((f"{text.READ_THREADS} threads of one-thread calls", one, True))
    pool = ThreadPoolExecutor(text.READ_THREADS)
    took = dict.fromkeys([w[0] for w in ways], 0.0)
    differ = lines = 0
    try:
        for k, made in enumerate(replays):
            words = {}
            for name, session, together in ways[k % 3 :] + ways[: k % 3]:
                text._recogniser = lambda session=session: session
                t0 = time.perf_counter()
                if together:
                    done = pool.map(lambda call: read_lines(*call), made)
                else:
                    done = (read_lines(rgb, regions) for rgb, regions in made)
                got = [r for readings in done for r in readings]
                took[name] += time.perf_counter() - t0
                words[name] = [r.text for r in got]
            differ += sum(len(set(w)) > 1 for w in zip(*words.values(), strict=True))
            lines += len(words[ways[0][0]])
    finally:
        text._recogniser = recogniser
    print(
        f"the same {lines} reads: "
        + ", ".join(f"{name} {t:.2f} s" for name, t in took.items())
        + f"; lines read differently: {differ}"
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
