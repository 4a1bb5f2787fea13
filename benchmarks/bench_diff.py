"""Diff speed against the peers on rendered dashboard pairs, in one run (< 3 minutes).

    python benchmarks/bench_diff.py [--reps 7] [--sizes 1440x900,3840x2160,1440x8000]

Times, on the same PNG pairs: our in-process pixelmatch and compare() on decoded arrays,
pixelmatch 8.0.0's match() under node (decoded with pngjs, warm), blazediff.compare on the
files, odiff's and the blazediff binary's whole process and our CLI's whole process, each also
writing its diff image. Prints median wall and CPU
(user+sys) times, our/peer ratios per size for each aim, and one summary line per clock.
CPU time is the steadier clock on a shared machine; wall time is what a user waits.
Peers: `npm install --prefix benchmarks` (pixelmatch, pngjs, odiff-bin; needs Node.js 20+),
`pip install blazediff==6.0.2`. Missing peers are skipped with that hint.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from uireview.compare.diff import compare  # noqa: E402
from uireview.compare.pixelmatch import KERNEL, pixelmatch  # noqa: E402

NODE_MODULES = HERE / "node_modules"
NODE_SCRIPT = HERE / "diff_pixelmatch.mjs"
ODIFF = NODE_MODULES / "odiff-bin" / "bin" / "odiff"
BLAZEDIFF_BIN = NODE_MODULES / "@blazediff" / "bin-linux-x64" / "blazediff"


def _font(size: int):
    return ImageFont.load_default(size=size)


def render_dashboard(width: int, height: int, *, after: bool, banner: bool = False) -> Image.Image:
    """A light admin dashboard: sidebar, header, KPI cards, chart, table rows.

    after: a few real changes (nav highlight, a KPI value, the chart tail, one status);
    banner: also a new banner under the header that pushes the content down.
    """
    s = width / 1440
    im = Image.new("RGB", (width, height), (245, 247, 250))
    d = ImageDraw.Draw(im)
    side = int(220 * s)
    d.rectangle([0, 0, side, height], fill=(30, 41, 59))
    for i, label in enumerate(["Overview", "Orders", "Customers", "Reports", "Settings"]):
        y = int((90 + 44 * i) * s)
        if i == (1 if after else 0):
            d.rounded_rectangle(
                [int(12 * s), y - 8, side - int(12 * s), y + int(30 * s)], 6, fill=(51, 65, 85)
            )
        d.text((int(32 * s), y), label, fill=(226, 232, 240), font=_font(int(16 * s)))
    top = 0
    if banner:
        # a new banner pushes the page content down
        banner = int(45 * s)
        d.rectangle([side, int(68 * s), width, int(68 * s) + banner], fill=(254, 243, 199))
        d.text(
            (side + int(24 * s), int(80 * s)),
            "Scheduled maintenance on Sunday 02:00 UTC",
            fill=(120, 53, 15),
            font=_font(int(15 * s)),
        )
        top = banner
    d.rectangle([side, 0, width, int(68 * s)], fill=(255, 255, 255))
    d.text(
        (side + int(24 * s), int(22 * s)),
        "Sales dashboard",
        fill=(15, 23, 42),
        font=_font(int(22 * s)),
    )
    d.ellipse(
        [width - int(60 * s), int(16 * s), width - int(24 * s), int(52 * s)], fill=(99, 102, 241)
    )
    card_w = (width - side - int(24 * s) * 5) // 4
    kpis = [("Revenue", "$48,210"), ("Orders", "1,284"), ("Refunds", "23"), ("Conversion", "3.4%")]
    if after:
        kpis[1] = ("Orders", "1,312")
    for i, (name, value) in enumerate(kpis):
        x0 = side + int(24 * s) + i * (card_w + int(24 * s))
        y0 = int(92 * s) + top
        d.rounded_rectangle(
            [x0, y0, x0 + card_w, y0 + int(110 * s)],
            10,
            fill=(255, 255, 255),
            outline=(226, 232, 240),
        )
        d.text(
            (x0 + int(18 * s), y0 + int(18 * s)),
            name,
            fill=(100, 116, 139),
            font=_font(int(14 * s)),
        )
        d.text(
            (x0 + int(18 * s), y0 + int(46 * s)), value, fill=(15, 23, 42), font=_font(int(30 * s))
        )
    cy0 = int(230 * s) + top
    cy1 = cy0 + int(300 * s)
    d.rounded_rectangle(
        [side + int(24 * s), cy0, width - int(24 * s), cy1], 10, fill=(255, 255, 255)
    )
    rng = np.random.default_rng(7)
    pts = np.cumsum(rng.normal(0, 1, 40))
    pts = (pts - pts.min()) / (np.ptp(pts) + 1e-9)
    xs = np.linspace(side + 60 * s, width - 60 * s, len(pts))
    ys = cy1 - 30 * s - pts * (cy1 - cy0 - 80 * s)
    if after:
        ys[-6:] -= 25 * s
    d.line(
        list(zip(xs.tolist(), ys.tolist(), strict=True)),
        fill=(99, 102, 241),
        width=max(2, int(3 * s)),
    )
    row_y = cy1 + int(24 * s)
    row_h = int(40 * s)
    i = 0
    while row_y + row_h < height - int(10 * s):
        fill = (255, 255, 255) if i % 2 == 0 else (248, 250, 252)
        d.rectangle([side + int(24 * s), row_y, width - int(24 * s), row_y + row_h], fill=fill)
        status = "Paid" if i % 3 else "Pending"
        if after and i == 4:
            status = "Refunded"
        d.text(
            (side + int(40 * s), row_y + int(12 * s)),
            f"#10{i:04d}  Customer {i}  ${(i * 37) % 900 + 12}.00",
            fill=(51, 65, 85),
            font=_font(int(14 * s)),
        )
        d.text(
            (width - int(160 * s), row_y + int(12 * s)),
            status,
            fill=(22, 163, 74),
            font=_font(int(14 * s)),
        )
        row_y += row_h
        i += 1
    return im


@dataclass
class Timing:
    """Median wall and CPU (user+sys) milliseconds of one measured thing."""

    wall: float
    cpu: float


def _measure(fn, reps: int, budget_s: float) -> Timing:
    """Warm once, then up to `reps` timed runs (at least 3) within `budget_s` seconds."""
    fn()
    walls, cpus = [], []
    start = time.perf_counter()
    while len(walls) < reps and (len(walls) < 3 or time.perf_counter() - start < budget_s):
        w, c = time.perf_counter(), time.process_time()
        fn()
        cpus.append((time.process_time() - c) * 1000)
        walls.append((time.perf_counter() - w) * 1000)
    return Timing(statistics.median(walls), statistics.median(cpus))


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _process(cmd: list[str], reps: int, budget_s: float, ok=(0,)) -> Timing:
    """A whole process, start to exit: wall, and the CPU of the process (user+sys)."""
    walls, cpus = [], []

    def once():
        c, w = _children_cpu(), time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, cwd=REPO)
        walls.append((time.perf_counter() - w) * 1000)
        cpus.append((_children_cpu() - c) * 1000)
        if proc.returncode not in ok:
            raise RuntimeError(f"{cmd[0]} exited {proc.returncode}: {proc.stderr[-300:]!r}")

    _measure(once, reps, budget_s)
    # _measure's own clocks include the subprocess wait; take the child's numbers, warm-up aside
    return Timing(statistics.median(walls[1:]), statistics.median(cpus[1:]))


# (label, ours, peer, goal, strict): the aim is ours / peer <= goal (< goal when strict)
AIMS = [
    ("pixelmatch() vs pixelmatch 8 match()", "ours: pixelmatch()", "pm8 match()", 0.20, False),
    ("pixelmatch() vs blazediff.compare", "ours: pixelmatch()", "blazediff.compare", 1.0, True),
    ("CLI process vs odiff process", "our CLI process", "odiff process", 1.5, False),
    # no goal of its own: the fastest native peer, for scale (issue 18)
    ("CLI process vs blazediff binary", "our CLI process", "blazediff bin process", None, False),
    # the same three writing their diff image (what a CI job keeps to look at)
    ("CLI + image vs odiff + image", "our CLI + image", "odiff + image", 1.5, False),
    (
        "CLI + image vs blazediff bin + image",
        "our CLI + image",
        "blazediff bin + image",
        None,
        False,
    ),  # fmt: skip
]


def _report(rows: list[dict]) -> None:
    keys = [k for k in rows[0] if k not in ("size", "count", "pm8 count")]
    print("\nmedian ms, wall / CPU (user+sys):")
    print(f"{'size':>10} " + " ".join(f"{k:>22}" for k in keys))
    for r in rows:
        cells = [f"{r[k].wall:>10.1f} / {r[k].cpu:>9.1f}" if k in r else f"{'-':>22}" for k in keys]
        print(f"{r['size']:>10} " + " ".join(cells))
    print("\ncounts: " + "; ".join(
        f"{r['size']} ours {r['count']}"
        + (f" pm8 {r['pm8 count']} ({'equal' if r['count'] == r['pm8 count'] else 'DIFFER'})"
           if "pm8 count" in r else "")
        for r in rows
    ))  # fmt: skip
    print("\nratios ours/peer (lower is better for us), wall | CPU:")
    met = {clock: [] for clock in ("wall", "cpu")}
    for label, ours, peer, goal, strict in AIMS:
        present = [r for r in rows if ours in r and peer in r]
        if not present:
            print(f"  {label}: peer not installed")
            continue
        parts = []
        for r in present:
            wall = r[ours].wall / r[peer].wall
            cpu = r[ours].cpu / r[peer].cpu
            parts.append(f"{r['size']} {wall:.2f} | {cpu:.2f}")
            if goal is None:
                continue
            for clock, ratio in (("wall", wall), ("cpu", cpu)):
                ok = ratio < goal if strict else ratio <= goal
                met[clock].append((label, r["size"], ok))
        aim = "no goal" if goal is None else f"goal {'<' if strict else '<='} {goal:g}"
        print(f"  {label} ({aim}): " + "; ".join(parts))
    for clock in ("cpu", "wall"):
        verdicts = []
        for label, *_ in AIMS:
            results = [ok for name, _, ok in met[clock] if name == label]
            if results:
                word = "MET" if all(results) else "not met"
                verdicts.append(f"{label}: {word} ({sum(results)}/{len(results)} sizes)")
        print(f"summary by {clock.upper()} time: " + "; ".join(verdicts))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--sizes", default="1440x900,3840x2160,1440x8000")
    parser.add_argument(
        "--budget", type=float, default=8.0, help="seconds per measurement beyond 3 runs"
    )
    args = parser.parse_args()
    began = time.perf_counter()
    node = shutil.which("node")
    have_pm = node and (NODE_MODULES / "pixelmatch").is_dir() and (NODE_MODULES / "pngjs").is_dir()
    have_odiff = ODIFF.exists()
    try:
        import blazediff
    except ImportError:
        blazediff = None
    if not node:
        print("skip pixelmatch 8.0.0: node not found; install Node.js 20+")
    elif not have_pm:
        print("skip pixelmatch 8.0.0: not installed; run `npm install --prefix benchmarks`")
    if not have_odiff:
        print("skip odiff: not installed; run `npm install --prefix benchmarks`")
    if blazediff is None:
        print("skip blazediff: not installed; run `pip install blazediff==6.0.2`")
    if not BLAZEDIFF_BIN.exists():
        print("skip the blazediff binary: not installed; run `npm install --prefix benchmarks`")

    # which kernel "ours" is: compiled (_kernel.c, built by scripts/bench.sh) or numpy
    print(f"our kernel: {KERNEL}")
    rows = []
    budget = args.budget
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes.split(","):
            w, h = (int(v) for v in size.split("x"))
            pa, pb = Path(tmp) / f"{size}_a.png", Path(tmp) / f"{size}_b.png"
            render_dashboard(w, h, after=False).save(pa)
            render_dashboard(w, h, after=True).save(pb)
            with Image.open(pa) as ia, Image.open(pb) as ib:
                a, b = np.asarray(ia.convert("RGBA")), np.asarray(ib.convert("RGBA"))
            row = {"size": size, "count": pixelmatch(a, b).mismatch_pixels}
            row["ours: pixelmatch()"] = _measure(
                lambda a=a, b=b: pixelmatch(a, b), args.reps, budget
            )
            row["ours: compare()"] = _measure(lambda a=a, b=b: compare(a, b), args.reps, budget)
            if have_pm:
                out = subprocess.run(
                    [node, str(NODE_SCRIPT), str(pa), str(pb), str(args.reps)],
                    capture_output=True, text=True, cwd=HERE, check=True,
                )  # fmt: skip
                res = json.loads(out.stdout)
                row["pm8 match()"] = Timing(res["ms"], res["cpu_ms"])
                row["pm8 count"] = res["count"]
            if blazediff is not None:
                row["blazediff.compare"] = _measure(
                    lambda pa=pa, pb=pb: blazediff.compare(str(pa), str(pb), antialiasing=True),
                    args.reps,
                    budget,
                )
            reps = max(3, args.reps // 2)
            if have_odiff:
                odiff = [str(ODIFF), str(pa), str(pb), "--aa"]
                row["odiff process"] = _process(odiff, reps, budget, ok=(0, 22))
            if BLAZEDIFF_BIN.exists():
                blaze = [str(BLAZEDIFF_BIN), str(pa), str(pb), "-a"]
                row["blazediff bin process"] = _process(blaze, reps, budget, ok=(0, 1))
            cli = [sys.executable, "-m", "uireview", "diff", str(pa), str(pb), "--json"]
            row["our CLI process"] = _process(cli, reps, budget)
            out = str(Path(tmp) / f"{size}_diff.png")
            if have_odiff:
                odiff = [str(ODIFF), str(pa), str(pb), out, "--aa"]
                row["odiff + image"] = _process(odiff, reps, budget, ok=(0, 22))
            if BLAZEDIFF_BIN.exists():
                blaze = [str(BLAZEDIFF_BIN), str(pa), str(pb), out, "-a"]
                row["blazediff bin + image"] = _process(blaze, reps, budget, ok=(0, 1))
            row["our CLI + image"] = _process([*cli, "--out", out], reps, budget)
            rows.append(row)
            print(f"{size}: done ({time.perf_counter() - began:.0f} s)", flush=True)

    _report(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
