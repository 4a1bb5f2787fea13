"""A folder of screenshot pairs: our one-process batch with its report against one peer process
per pair, in one run (~1-2 minutes).

    python benchmarks/bench_batch.py [--pairs 100] [--size 1440x900] [--reps 3]

The pairs: rendered dashboards (benchmarks/bench_diff.py's), every after image with its own
edits (a moved chart tail, a KPI, a status, one random box; every tenth with a banner that
pushes the page down), in nested folders; none is byte-identical, so nothing is skipped by
our "same file" shortcut. Measured, whole processes, wall and CPU (user+sys of the children):

- ours: `python -m uireview diff BEFORE AFTER --report OUT` (every core, writes index.html,
  report.json, junit.xml and the images the page shows);
- odiff 4.5 and the native blazediff 3.5.0, one process per pair as a CI loop runs them, one
  after another, writing a diff image (what one looks at), and also without writing one;
- odiff's own batch mode (`--server`, every pair on stdin to one process), for scale.

The goal (issue 18) is ours <= 0.8x odiff's one-process-per-pair total (aim 0.5x); our ratio
to blazediff, the fastest peer, is printed too. Counts: ours against pixelmatch 8.0.0 and
7.2.0 (node, one process for all pairs) on every pair.
Peers: `npm install --prefix benchmarks`. Missing peers are skipped with that hint.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import ImageDraw

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

from bench_diff import _children_cpu, render_dashboard  # noqa: E402

NODE_MODULES = HERE / "node_modules"
ODIFF = NODE_MODULES / "odiff-bin" / "bin" / "odiff"
BLAZEDIFF = NODE_MODULES / "@blazediff" / "bin-linux-x64" / "blazediff"
COUNTS_SCRIPT = HERE / "diff_counts.mjs"


def make_pairs(root: Path, n: int, width: int, height: int) -> list[str]:
    """n before/after pairs under root/before and root/after; returns their relative paths."""
    base_before = render_dashboard(width, height, after=False)
    base_after = render_dashboard(width, height, after=True)
    banner = render_dashboard(width, height, after=True, banner=True)
    rng = np.random.default_rng(18)
    names = []
    for i in range(n):
        name = f"page{i // 10:02d}/w{width}/shot{i:03d}.png"
        after = (banner if i % 10 == 9 else base_after).copy()
        d = ImageDraw.Draw(after)
        x, y = int(rng.integers(240, width - 200)), int(rng.integers(80, height - 60))
        w, h = int(rng.integers(20, 160)), int(rng.integers(8, 50))
        colour = tuple(int(v) for v in rng.integers(0, 255, 3))
        d.rectangle([x, y, x + w, y + h], fill=colour)
        for side, im in (("before", base_before), ("after", after)):
            path = root / side / name
            path.parent.mkdir(parents=True, exist_ok=True)
            im.save(path)
        names.append(name)
    return names


def timed(fn) -> tuple[float, float]:
    """Wall and children's CPU seconds of one call."""
    c, w = _children_cpu(), time.perf_counter()
    fn()
    return time.perf_counter() - w, _children_cpu() - c


def best_of(fn, reps: int, warm: bool = False) -> tuple[float, float]:
    """Median wall and CPU over reps runs (after a warm-up run if ``warm``)."""
    if warm:
        fn()
    runs = [timed(fn) for _ in range(reps)]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def per_pair(cmd_for, names, ok=(0, 1, 22)) -> None:
    """One process per pair, one after another; odiff exits 22 and blazediff 1 on a diff."""
    for name in names:
        proc = subprocess.run(cmd_for(name), capture_output=True)
        if proc.returncode not in ok:
            raise RuntimeError(
                f"{cmd_for(name)[0]} exited {proc.returncode}: {proc.stderr[-300:]!r}"
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=100)
    parser.add_argument("--size", default="1440x900")
    parser.add_argument("--reps", type=int, default=2)
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    node = shutil.which("node")
    rows: dict[str, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        began = time.perf_counter()
        names = make_pairs(root, args.pairs, width, height)
        print(f"{len(names)} pairs of {args.size} rendered ({time.perf_counter() - began:.0f} s)")
        before, after, out = root / "before", root / "after", root / "out"
        diffs = root / "peer-diffs"

        def ours():
            shutil.rmtree(out, ignore_errors=True)
            cmd = [sys.executable, "-m", "uireview", "diff", str(before), str(after),
                   "--report", str(out)]  # fmt: skip
            proc = subprocess.run(cmd, capture_output=True, cwd=REPO)
            if proc.returncode != 0:
                raise RuntimeError(f"ours exited {proc.returncode}: {proc.stderr[-300:]!r}")

        # warm: the first run also fills the file cache for the peers after it
        rows["ours: batch + report"] = best_of(ours, args.reps, warm=True)

        def out_path(name: str) -> str:
            path = diffs / name
            path.parent.mkdir(parents=True, exist_ok=True)
            return str(path)

        peers = {
            "odiff, diff image": (ODIFF, lambda n: [str(ODIFF), str(before / n), str(after / n),
                                                    out_path(n), "--aa"]),
            "odiff, no image": (ODIFF, lambda n: [str(ODIFF), str(before / n), str(after / n),
                                                  "--aa"]),
            "blazediff, diff image": (BLAZEDIFF, lambda n: [str(BLAZEDIFF), str(before / n),
                                                            str(after / n), out_path(n), "-a"]),
            "blazediff, no image": (BLAZEDIFF, lambda n: [str(BLAZEDIFF), str(before / n),
                                                          str(after / n), "-a"]),
        }  # fmt: skip
        for label, (binary, cmd_for) in peers.items():
            if not binary.exists():
                print(f"skip {label}: not installed; run `npm install --prefix benchmarks`")
                continue
            rows[label] = best_of(lambda c=cmd_for: per_pair(c, names), args.reps)
            print(f"{label}: done ({time.perf_counter() - began:.0f} s)", flush=True)

        if ODIFF.exists():
            # odiff's own batch mode: one process reading every pair as JSON on stdin
            def odiff_server():
                lines = "".join(
                    json.dumps({"requestId": i, "base": str(before / n), "compare": str(after / n),
                                "output": out_path(n), "options": {"antialiasing": True}}) + "\n"
                    for i, n in enumerate(names)
                )  # fmt: skip
                proc = subprocess.run([str(ODIFF), "--server"], input=lines, capture_output=True,
                                      text=True)  # fmt: skip
                answers = [json.loads(x) for x in proc.stdout.splitlines()[1:]]
                if len(answers) != len(names):
                    raise RuntimeError(f"odiff --server answered {len(answers)} of {len(names)}")

            rows["odiff --server, one process"] = best_of(odiff_server, args.reps)
            print(f"odiff --server: done ({time.perf_counter() - began:.0f} s)", flush=True)

        report = json.loads((out / "report.json").read_text())
        ours_counts = {p["name"]: p["mismatch_pixels"] for p in report["pairs"]}
        if node and (NODE_MODULES / "pm7").is_dir():
            listing = root / "pairs.json"
            listing.write_text(json.dumps([[str(before / n), str(after / n)] for n in names]))
            res = subprocess.run([node, str(COUNTS_SCRIPT), str(listing)], capture_output=True,
                                 text=True, cwd=HERE, check=True)  # fmt: skip
            theirs = json.loads(res.stdout)
            # ours is pixelmatch 8.0.0 (the default metric); 7.2.0 checked through --metric yiq
            same8 = sum(ours_counts[n] == t["pm8"] for n, t in zip(names, theirs, strict=True))
            out7 = root / "out7"
            cmd = [sys.executable, "-m", "uireview", "diff", str(before), str(after),
                   "--report", str(out7), "--metric", "yiq"]  # fmt: skip
            subprocess.run(cmd, capture_output=True, cwd=REPO, check=True)
            yiq = {p["name"]: p["mismatch_pixels"] for p in
                   json.loads((out7 / "report.json").read_text())["pairs"]}  # fmt: skip
            same7 = sum(yiq[n] == t["pm7"] for n, t in zip(names, theirs, strict=True))
            print(f"counts: pixelmatch 8.0.0 equal on {same8}/{len(names)} pairs, "
                  f"7.2.0 (--metric yiq) equal on {same7}/{len(names)}")  # fmt: skip
        else:
            print("skip count check: node or pixelmatch not installed")

    print(f"\n{len(names)} pairs of {args.size}, median of {args.reps} runs, total seconds "
          "wall / CPU (user+sys):")  # fmt: skip
    for label, (wall, cpu) in rows.items():
        print(
            f"  {label:>24}: {wall:7.2f} / {cpu:7.2f}   ({1000 * wall / len(names):.1f} ms a pair)"
        )
    ours_wall, ours_cpu = rows["ours: batch + report"]
    print("\nratios ours/peer (lower is better for us), wall | CPU:")
    verdict = None
    for label, (wall, cpu) in rows.items():
        if label.startswith("ours"):
            continue
        goal = " (goal <= 0.8, aim 0.5)" if label == "odiff, diff image" else ""
        print(f"  ours vs {label}{goal}: {ours_wall / wall:.2f} | {ours_cpu / cpu:.2f}")
        if goal:
            verdict = (ours_wall / wall <= 0.8, ours_cpu / cpu <= 0.8)
    if verdict is not None:
        word = {True: "MET", False: "not met"}
        print(f"summary: batch vs odiff per pair: wall {word[verdict[0]]}, CPU {word[verdict[1]]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
