"""How often compare() explains a planted change the way a designer would, on synthetic pages.

For every layout x theme x seed of ``tests/screens.py`` (1440x900), three planted changes:

- banner: 47 px inserted at the top of the fixed-height screen over a page whose bottom 60
  rows are blank; explained = one "inserted" region at rows 0-47, nothing deleted or changed.
- banner, full: the same over the page as drawn (content pushed off the bottom).
- sideways: everything right of the sidebar (or the whole page) moved 40 px right;
  explained = one shift with dx 40 and changed regions under 10% of the page.

Prints, per change, explained / planted and the ratio (1.00 = every one explained).

    python benchmarks/bench_diff_explain.py [--seeds 4]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.screens import LAYOUTS, THEMES, render_dashboard  # noqa: E402
from tests.test_diff_explains import _blank_bottom, _shifted, _with_banner  # noqa: E402
from uireview.compare.diff import compare  # noqa: E402

CHANGED = {"changed", "added", "removed", "reflowed"}


def _banner_explained(before: np.ndarray) -> bool:
    result = compare(before, _with_banner(before, 0, 47))
    kinds = [r.kind for r in result.regions]
    inserted = [r for r in result.regions if r.kind == "inserted"]
    return (
        len(inserted) == 1
        and (inserted[0].box.y0, inserted[0].box.y1) == (0, 47)
        and not (set(kinds) - {"inserted", "moved"})
    )


def _sideways_explained(page: np.ndarray, layout: str) -> bool:
    bg = tuple(int(v) for v in page[-1, -1])
    before = page.copy()
    before[:, -60:] = bg  # room on the right, so nothing is pushed off the screen
    after = _shifted(before, 241 if layout == "sidebar" else 0, 40, bg)
    result = compare(before, after)
    left = sum(r.box.area for r in result.regions if r.kind in CHANGED)
    return [s.dx for s in result.shifts if s.dx] == [40] and left < 0.1 * page[..., 0].size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=4)
    args = parser.parse_args()
    tally = {"banner": [0, 0], "banner, full": [0, 0], "sideways": [0, 0]}
    for layout in LAYOUTS:
        for theme in THEMES:
            for seed in range(args.seeds):
                img, _ = render_dashboard(layout, theme, seed=seed)
                page = np.asarray(img.convert("RGBA")).copy()
                for name, ok in (
                    ("banner", _banner_explained(_blank_bottom(page, 60))),
                    ("banner, full", _banner_explained(page)),
                    ("sideways", _sideways_explained(page, layout)),
                ):
                    tally[name][0] += ok
                    tally[name][1] += 1
                    if not ok:
                        print(f"  not explained: {name} on {layout}/{theme}/seed {seed}")
    for name, (good, total) in tally.items():
        print(f"{name:14s} {good}/{total} explained  ratio {good / total:.2f}")


if __name__ == "__main__":
    main()
