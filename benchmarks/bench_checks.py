"""Speed of the measured checks on 1440x900 and 3840x2160 synthetic dashboards.

Times text detection (shared through ``screen.text_regions``) and element detection
(shared through ``screen.elements``) once each, then each check on the warm screen, best of
``--repeat`` runs on a fresh Screen each time. Prints seconds per stage, the total, and the
4K / 1440 time ratio against the pixel ratio (6.4x): at or under 1.0 of it means the checks
grow no worse than linearly with pixels.

    python benchmarks/bench_checks.py [--repeat 3] [--layout cards]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.screens import render_dashboard  # noqa: E402
from uireview.checks import CHECK_NAMES, get_check  # noqa: E402
from uireview.screen import Screen  # noqa: E402

SIZES = ((1440, 900), (3840, 2160))


def _checks():
    out = {}
    for name in CHECK_NAMES:
        try:
            out[name] = get_check(name)
        except ImportError as e:  # a check another engineer has not landed yet
            print(f"({name} skipped: {e})")
    return out


def time_one(rgb: np.ndarray, checks, repeat: int) -> dict[str, float]:
    best: dict[str, float] = {}
    for _ in range(repeat):
        screen = Screen(rgb)
        t = {}
        t0 = time.perf_counter()
        _ = screen.text_regions
        t["text detection (shared)"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        _ = screen.elements
        t["elements (shared)"] = time.perf_counter() - t0
        for name, fn in checks.items():
            t0 = time.perf_counter()
            fn(screen)
            t[name] = time.perf_counter() - t0
        for k, v in t.items():
            best[k] = min(best.get(k, v), v)
    return best


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--layout", default="cards")
    a = ap.parse_args()
    checks = _checks()
    # warm the OCR model and imports so the first size does not pay for loading them
    time_one(np.asarray(render_dashboard(a.layout, size=SIZES[0])[0]), checks, 1)
    results = {}
    for size in SIZES:
        img, _ = render_dashboard(a.layout, "light", seed=0, size=size)
        results[size] = time_one(np.asarray(img.convert("RGB")), checks, a.repeat)
    stages = list(results[SIZES[0]])
    w = max(len(s) for s in stages) + 2
    print(f"{'stage':<{w}}" + "".join(f"{f'{x}x{y} s':>14}" for x, y in SIZES) + f"{'ratio':>9}")
    for s in stages:
        a1, a2 = results[SIZES[0]][s], results[SIZES[1]][s]
        print(f"{s:<{w}}{a1:>14.3f}{a2:>14.3f}{a2 / a1:>8.1f}x")
    for label, keys in (
        ("checks (elements + checks)", [s for s in stages if "text" not in s]),
        ("all (with text detection)", stages),
    ):
        a1 = sum(results[SIZES[0]][k] for k in keys)
        a2 = sum(results[SIZES[1]][k] for k in keys)
        print(f"{label:<{w}}{a1:>14.3f}{a2:>14.3f}{a2 / a1:>8.1f}x")
    px = (SIZES[1][0] * SIZES[1][1]) / (SIZES[0][0] * SIZES[0][1])
    print(f"pixel ratio {px:.1f}x")


if __name__ == "__main__":
    main()
