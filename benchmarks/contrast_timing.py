"""Time the contrast check on a 1440x900 dashboard and on a 3840x2160 (dpr 2) capture.

    python benchmarks/contrast_timing.py [--runs 5]

Renders one benchmark page in Debian's Chromium at each size, then times, warm (the
detector loaded once before), detection and the whole check from a fresh ``Screen``.
Prints the best and median of the runs: the best is the figure on an idle machine; the
process CPU time (both cores) shows the work done even when other jobs share the cores.
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
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
