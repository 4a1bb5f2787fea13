"""Why the contrast check misses axe-core's violations: each miss sorted by its cause.

    python benchmarks/contrast_misses.py [--part dev] [--crops DIR] [--only ID]

For every axe violation on a clean real-page shot (``benchmarks/realpages``) that no place
of an AA finding covers (matched as ``bench_contrast_real.py`` matches), the pipeline is
replayed stage by stage on that element's box and the first stage that loses it is named:

- not detected: no detector box covers a third of it;
- icons: its detector box was dropped as a row of icons or a lone shape;
- unmeasured: its line's colours were not measured (gradient, no ink);
- merged: its line is measured together with other elements and the finding's place
  matches one of those (the line's colours may be the other element's);
- colour: our measured ratio passes the bar axe applies (fg/bg printed beside axe's);
- size: our ratio is below 4.5 but we applied the large-text 3:1 bar (or the reverse);
- approx: below the bar but within APPROX_MARGIN of it with no fully covered pixel;
- noted: failing, but made a placeholder or inactive note;
- dropped: failing, but in no finding (read as no words, or grouped away).

``--crops`` saves each miss's crop (axe box in red, our line in blue) named by cause.
Detector boxes are cached under /tmp (keyed by the shot's path and size) while tuning
measurement; pass ``--fresh`` after changing detection.
"""

from __future__ import annotations

import argparse
import hashlib
import pickle
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_contrast_real import _match, _on_screen, _overlap, not_judged  # noqa: E402

from benchmarks.realpages import load_set  # noqa: E402
from benchmarks.realpages.dom import load_dom  # noqa: E402
from uireview.checks.colours import hex_colour  # noqa: E402
from uireview.checks.contrast import APPROX_MARGIN, check, measure  # noqa: E402
from uireview.findings import Box  # noqa: E402
from uireview.screen import Screen  # noqa: E402
from uireview.screen.text import detect_boxes, measure_line  # noqa: E402

CACHE = Path("/tmp/contrast_misses_boxes")


def _boxes(png: Path, rgb: np.ndarray, fresh: bool) -> list[Box]:
    CACHE.mkdir(exist_ok=True)
    name = f"{png.resolve()}:{png.stat().st_size}".encode()
    key = CACHE / (hashlib.sha1(name).hexdigest()[:16] + ".pkl")
    if key.exists() and not fresh:
        return pickle.loads(key.read_bytes())
    boxes = detect_boxes(rgb)
    key.write_bytes(pickle.dumps(boxes))
    return boxes


def _covers(b: Box, t) -> bool:
    theirs = (t.box[2] - t.box[0]) * (t.box[3] - t.box[1])
    return _overlap(b, t.box) >= min(b.area, theirs) / 3


def _hex(c) -> str:
    return hex_colour(tuple(c)) if c is not None else "-"


def _crop(folder: Path, tag: str, rgb: np.ndarray, t, ours: Box | None) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    h, w = rgb.shape[:2]
    x0, y0, x1, y1 = (int(v) for v in t.box)
    pad = max(16, 2 * (y1 - y0))
    c = Box(x0 - 3 * pad, y0 - pad, x1 + 3 * pad, y1 + pad).clamp(w, h)
    img = Image.fromarray(rgb[c.y0 : c.y1, c.x0 : c.x1]).convert("RGB")
    d = ImageDraw.Draw(img)
    d.rectangle((x0 - c.x0 - 1, y0 - c.y0 - 1, x1 - c.x0, y1 - c.y0), outline="red")
    if ours is not None:
        d.rectangle(
            (ours.x0 - c.x0 - 2, ours.y0 - c.y0 - 2, ours.x1 - c.x0 + 1, ours.y1 - c.y0 + 1),
            outline="blue",
        )
    img = img.resize((img.width * 2, img.height * 2), Image.NEAREST)
    img.save(folder / f"{tag}.png")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--part", default="dev")
    parser.add_argument("--crops", type=Path)
    parser.add_argument("--only", default="")
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    samples = [
        s
        for s in load_set(part=args.part, widths=("desktop",), render=False)
        if s.kind is None and args.only in s.page_id
    ]
    causes: Counter[str] = Counter()
    by_cause: dict[str, list[str]] = defaultdict(list)
    total = tp = 0
    false: list[str] = []
    for s in samples:
        rgb = np.asarray(Image.open(s.png).convert("RGB"))
        h, w = rgb.shape[:2]
        truth = [t for t in s.contrast if _on_screen(t, w, h)]
        boxes = _boxes(s.png, rgb, args.fresh)
        every = [r for b in boxes for r in measure_line(rgb, b)]
        regions = [r for r in every if not r.icons]
        screen = Screen(rgb)
        screen.__dict__["text_regions"] = regions  # the cached property, from cached boxes
        findings = check(screen)
        measured = measure(regions)
        covered = set()
        places: list[tuple[Box, str]] = []
        dom = load_dom(s)
        for f in findings:
            for b in (f.box, *f.related):
                places.append((b, f.rule))
                if f.rule == "contrast.aa":
                    t = _match(b, truth)
                    if t is not None and t.verdict == "violation":
                        covered.add(id(t))
                        tp += 1
                    elif (t is not None and t.verdict == "pass") or (
                        t is None and not_judged(b, f.text, dom) is None
                    ):
                        on = "no element" if t is None else f"pass {t.ratio} {t.text[:30]!r}"
                        false.append(f"{s.page_id}: FP {list(b)} {f.title[:60]} on {on}")
        for t in truth:
            if t.verdict != "violation":
                continue
            total += 1
            if id(t) in covered:
                continue
            need = 3.0 if t.large else 4.5
            ours = None
            det = [b for b in boxes if _covers(b, t)]
            ms = [m for m in measured if any(_covers(p, t) for p in m.parts)]
            if not det:
                cause = "not detected"
            elif not any(_covers(r.box, t) for r in regions):
                cause = "icons"
                ours = det[0]
            elif not any(m.ratio is not None for m in ms):
                cause = "unmeasured " + (ms[0].reason if ms else "?")
                ours = ms[0].box if ms else det[0]
            else:
                m = min((m for m in ms if m.ratio is not None), key=lambda m: m.ratio)
                ours = m.box
                aa_here = [(b, r) for b, r in places if _covers(b, t)]
                if m.ratio >= need:
                    cause = "colour"
                elif m.ratio >= m.required:
                    cause = "size"
                elif m.approx and m.ratio >= APPROX_MARGIN * m.required:
                    cause = "approx"
                elif any(r == "contrast.aa" for _, r in aa_here):
                    cause = "merged"
                elif any(r in ("contrast.placeholder", "contrast.inactive") for _, r in aa_here):
                    cause = "noted"
                else:
                    cause = "dropped"
                ours_txt = (
                    f" ours {m.ratio:.2f} {_hex(m.fg)} on {_hex(m.bg)} req {m.required} "
                    f"font {m.font_px} bold {m.bold} large {m.large} approx {m.approx} "
                    f"box {list(m.box)}"
                )
            causes[cause] += 1
            line = f"{s.page_id}: axe {t.ratio} {t.fg} on {t.bg} large {t.large} {t.text[:40]!r}"
            if (
                ours is not None
                and cause not in ("not detected", "icons")
                and not cause.startswith("unmeasured")
            ):
                line += ours_txt
            by_cause[cause].append(line)
            if args.crops:
                tag = f"{cause.replace(' ', '_')}_{len(by_cause[cause]):02d}_" + s.page_id.replace(
                    ":", "_"
                ).replace("/", "_")
                _crop(args.crops, tag, rgb, t, ours)
    for cause, n in causes.most_common():
        print(f"== {cause}: {n}")
        for line in by_cause[cause]:
            print("  " + line)
    print(f"== false places (on a pass, or on no element where axe judges): {len(false)}")
    for line in false:
        print("  " + line)
    share = tp / max(tp + len(false), 1)
    print(f"precision over text axe judges {share:.3f} ({tp} on violations, {len(false)} false)")
    missed = sum(causes.values())
    print(f"missed {missed} of {total} violations (recall {1 - missed / max(total, 1):.3f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
