"""The measured checks scored on the real-page set (used by bench_check_quality.py --real).

Recall is printed both ways per defect kind and width: counting only non-info findings (the
check is sure; the issue's goals use this one) and counting findings of any severity.
"""

from __future__ import annotations

import hashlib
import pickle
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
from PIL import Image

from benchmarks.realpages import KINDS, Sample, load_set
from benchmarks.realpages.templates import CACHE
from uireview.checks import get_check
from uireview.findings import Box
from uireview.screen import Screen

# which rules count as finding each planted defect; the finding must also touch the truth
RULES = {
    "heading_shrunk": {"hierarchy.flat", "hierarchy.heading"},
    "odd_gap": {"spacing.gap_rhythm"},
    "off_column": {"alignment.near_miss", "spacing.gap_rhythm"},
    "faded_text": {"contrast.aa", "contrast.aa_large"},
}
CHECKS_FOR = {
    "heading_shrunk": ("hierarchy",),
    "odd_gap": ("spacing",),
    "off_column": ("spacing",),
    "faded_text": ("contrast",),
}
# false findings on clean pages are counted for these checks (contrast is judged against
# axe-core by bench_contrast_axe.py)
CLEAN_CHECKS = ("spacing", "hierarchy")
TEXT_CACHE = CACHE / "text"
# text detection lives in uireview/screen/text.py: a change there must not reuse old boxes
_TEXT_VERSION = hashlib.sha1(
    (Path(__file__).resolve().parents[2] / "uireview" / "screen" / "text.py").read_bytes()
).hexdigest()[:8]


def screen_of(png: Path) -> Screen:
    """The sample's Screen, with text detection cached on disk (it is not what we tune)."""
    data = png.read_bytes()
    rgb = np.asarray(Image.open(png).convert("RGB"))
    screen = Screen(rgb, name=png.name)
    key = TEXT_CACHE / f"{hashlib.sha1(data).hexdigest()}-{_TEXT_VERSION}.pkl"
    if key.exists():
        screen.__dict__["text_regions"] = pickle.loads(key.read_bytes())
    else:
        TEXT_CACHE.mkdir(parents=True, exist_ok=True)
        key.write_bytes(pickle.dumps(screen.text_regions))
    return screen


def _b(v) -> Box:
    return Box(int(v[0]), int(v[1]), int(np.ceil(v[2])), int(np.ceil(v[3])))


def _grow(b: Box, px: int) -> Box:
    return Box(b.x0 - px, b.y0 - px, b.x1 + px, b.y1 + px)


def hits(finding, s: Sample) -> bool:
    if finding.rule not in RULES[s.kind]:
        return False
    truth = [_grow(_b(s.box), 3)] + ([_grow(_b(s.gap), 3)] if s.gap else [])
    boxes = [b for b in [finding.box, *finding.related] if b is not None]
    if s.kind == "odd_gap":
        # the uneven gap itself must be the finding's box
        boxes = boxes[:1]
    return any(b.intersection(t) is not None for b in boxes for t in truth)


def _inside(box: Box, outer: Box) -> bool:
    cx, cy = box.center
    return outer.x0 <= cx < outer.x1 and outer.y0 <= cy < outer.y1


def title_place(screen: Screen, s: Sample) -> str:
    """Where the hierarchy check puts the page title: "title", "nav", "other" or "none"."""
    from uireview.checks.hierarchy import page_title

    found = page_title(screen)
    if found is None:
        return "none"
    if s.title is not None and found.intersection(_grow(_b(s.title), 2)):
        return "title"
    if any(_inside(found, _b(n)) for n in s.nav):
        return "nav"
    return "other"


def run_real(
    part: str,
    widths: list[str],
    show_false: int = 0,
    show_missed: bool = False,
    kinds=None,
    templates=None,
):
    fns = {name: get_check(name) for name in ("spacing", "hierarchy", "contrast")}
    t0 = time.perf_counter()
    clean: Counter = Counter()  # pages per width
    false: dict[str, Counter] = defaultdict(Counter)  # width -> rule -> count
    places: dict[str, Counter] = defaultdict(Counter)
    found: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    false_list, missed = [], []
    wanted = None if kinds is None else {None, *kinds}
    for s in load_set(part=part, widths=tuple(widths), kinds=wanted, templates=templates):
        screen = screen_of(s.png)
        if s.kind is None:
            clean[s.width] += 1
            places[s.width][title_place(screen, s)] += 1
            for name in CLEAN_CHECKS:
                for f in fns[name](screen):
                    if f.severity != "info":
                        false[s.width][f.rule] += 1
                        false_list.append((s.page_id, s.width, f))
            continue
        fs = [f for name in CHECKS_FOR[s.kind] for f in fns[name](screen)]
        strict = any(hits(f, s) and f.severity != "info" for f in fs)
        loose = any(hits(f, s) for f in fs)
        cell = found[(s.kind, s.width)]
        cell[0] += strict
        cell[1] += loose
        cell[2] += 1
        if not strict:
            missed.append((s.page_id, s.width, s.kind, s.detail, [(f.rule, f.title) for f in fs]))
    dt = time.perf_counter() - t0
    only = f" of {','.join(templates)}" if templates else ""
    print(f"\n=== real pages{only}, part {part}: {sum(clean.values())} clean shots, {dt:.0f} s ===")
    # two recalls: "sure" counts only non-info findings (a check that is sure: what the
    # goal of issue 13 uses); "any sev" also counts info findings (seen, but not claimed)
    print("  recall: sure = a non-info finding hits the defect (the goal); any sev = info too")
    print(
        f"  {'defect':<16}{'width':<9}{'shots':>6}{'sure':>6}{'recall':>8}{'any':>6}{'any sev':>9}"
    )
    for kind in KINDS:
        for w in [*widths, "all"]:
            cells = [found[(kind, x)] for x in (widths if w == "all" else [w])]
            k, loose, n = (sum(c[i] for c in cells) for i in range(3))
            if n:
                print(f"  {kind:<16}{w:<9}{n:>6}{k:>6}{k / n:>8.0%}{loose:>6}{loose / n:>9.0%}")
    print("  false non-info findings per clean page (spacing, alignment, hierarchy)")
    for w in widths:
        n = clean[w] or 1
        total = sum(false[w].values())
        print(f"    {w:<8} {total / n:5.2f}  ({total} on {clean[w]} pages) {dict(false[w])}")
    print("  page title placed on: " + "; ".join(f"{w} {dict(places[w])}" for w in widths))
    nav = sum(places[w]["nav"] for w in widths)
    print(f"  page title on a sidebar/nav element: {nav} of {sum(clean.values())} clean shots")
    for page_id, w, f in false_list[:show_false]:
        print(f"    FALSE {page_id} {w}: [{f.severity}] {f.rule} {f.title} | {f.evidence}")
    if show_missed:
        for m in missed:
            print(f"    MISSED {m[0]} {m[1]} {m[2]} {m[3]} -> {m[4][:4]}")
