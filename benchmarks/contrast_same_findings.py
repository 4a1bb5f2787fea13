"""Whether a change to the contrast check left its findings as they were, on every dev shot.

    python benchmarks/contrast_same_findings.py --save before.json   # before the change
    python benchmarks/contrast_same_findings.py --against before.json

Runs ``contrast.check`` over every dev desktop shot of the real-page set (the clean shot
and each planted variant, ``benchmarks/realpages``, rendered already) and writes or compares
every finding in full (title, place, text, ratios, fixes, boxes, detail): a speed change
must not change what a designer is told. Prints each shot whose findings differ and exits 1
when any does.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.realpages import load_set  # noqa: E402
from uireview.checks.contrast import check  # noqa: E402
from uireview.screen import Screen  # noqa: E402


def findings_by_shot(every: int = 1, only: str = "") -> dict[str, list[dict]]:
    """Every dev desktop shot's contrast findings, dumped in full, keyed by shot."""
    samples = list(load_set(part="dev", widths=("desktop",), render=False))[::every]
    out = {}
    for s in samples:
        key = f"{s.page_id}:{s.kind or 'clean'}"
        if only not in key:
            continue
        rgb = np.asarray(Image.open(s.png).convert("RGB"))
        out[key] = [f.model_dump(mode="json") for f in check(Screen(rgb))]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--save", type=Path, help="write the findings here")
    parser.add_argument("--against", type=Path, help="compare with findings saved before")
    parser.add_argument("--every", type=int, default=1, help="every n-th shot only")
    parser.add_argument("--only", default="", help="only shots whose key contains this")
    args = parser.parse_args()
    now = findings_by_shot(args.every, args.only)
    n = sum(len(v) for v in now.values())
    if args.save:
        args.save.write_text(json.dumps(now, indent=1, ensure_ascii=False))
        print(f"{len(now)} shots, {n} findings saved to {args.save}")
    if args.against:
        before = json.loads(args.against.read_text())
        if args.only or args.every > 1:
            before = {k: v for k, v in before.items() if k in now}
        differ = [k for k in sorted(set(before) | set(now)) if before.get(k) != now.get(k)]
        for k in differ:
            old = {f["title"] for f in before.get(k, [])}
            new = {f["title"] for f in now.get(k, [])}
            print(f"DIFFERS {k}: only before {sorted(old - new)}; only now {sorted(new - old)}")
        print(
            f"{len(now)} shots, {n} findings: "
            + ("identical" if not differ else f"{len(differ)} shots differ")
        )
        return 1 if differ else 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
