"""Where pins land on real pages: over words nobody marked, or beside the text they mark.

    python benchmarks/bench_pins.py [--part dev] [--limit N]

For each clean desktop shot of the real-page set (``benchmarks/realpages``), the contrast
preset's measured findings (no model) are pinned as the Review page pins them (pin size for
an image shown 640 px wide), once with the pins placed off the screenshot's ink
(``annotate.place_pins(..., ink=...)``, what the app does) and once without (the layout
before). Prints, for each layout:
- over ink: share of pins whose square is mostly ink (``Ink.cover`` >= 0.5) once every
  marked box is blanked out, i.e. pins on words, icons or charts nobody marked;
- ink under a pin: the mean of that cover;
- leader: the mean distance from a pin's centre to its box, in pin radii;
- overlaps: pairs of pins closer than a pin's width (goal 0).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.realpages import load_set  # noqa: E402
from uireview import pipeline  # noqa: E402
from uireview.annotate import _further_places, marks_drawn, pin_radius, place_pins, shown_size  # noqa: E402
from uireview.images import load_image  # noqa: E402
from uireview.ink import Ink  # noqa: E402
from uireview.settings import Settings  # noqa: E402


def _unmarked_ink(image: Image.Image, boxes) -> Ink:
    """The ink map with every marked box painted out: what is left is what nobody marked."""
    out = image.convert("RGB").copy()
    draw = ImageDraw.Draw(out)
    for b in boxes:
        draw.rectangle((b.x0 - 2, b.y0 - 2, b.x1 + 2, b.y1 + 2), fill=(255, 0, 255))
    ink = Ink(out)
    return ink


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--part", default="dev")
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args()
    figures: dict[str, list] = {"with ink": [], "without": []}
    pages = 0
    for sample in load_set(args.part, widths=("desktop",), kinds=[None], render=False):
        if args.limit and pages >= args.limit:
            break
        pages += 1
        data = sample.png.read_bytes()
        review = pipeline.review(
            [load_image(data, "clean.png")],
            "contrast",
            settings=Settings(api_key=""),
            use_model=False,
        )
        image = Image.open(sample.png).convert("RGB")
        w, h = image.size
        marks = marks_drawn([(n, f) for n, f in enumerate(review.findings, 1) if f.image == 0])
        boxed = [(n, f.box.clamp(w, h)) for n, f in marks if f.box is not None]
        if not boxed:
            continue
        size = shown_size(image.size)
        radius = pin_radius(
            ImageDraw.Draw(Image.new("RGB", (1, 1))), size, max(n for n, _ in boxed)
        )
        further = _further_places(marks, w, h)
        blank = _unmarked_ink(image, [b for _, b in boxed] + further)
        for name, ink in (("with ink", Ink(image)), ("without", None)):
            spots = place_pins(boxed, radius, (w, h), further, ink)
            for n, box in boxed:
                cx, cy = spots[n]
                nx, ny = min(max(cx, box.x0), box.x1), min(max(cy, box.y0), box.y1)
                figures[name].append(
                    (blank.cover((cx, cy), radius), np.hypot(cx - nx, cy - ny) / radius)
                )
            centres = np.array(list(spots.values()))
            gaps = np.sqrt(((centres[:, None] - centres[None]) ** 2).sum(-1))
            figures[name].append(
                ("overlaps", int((gaps[np.triu_indices(len(centres), 1)] < 2 * radius).sum()))
            )
    print(f"{pages} clean desktop shots ({args.part})")
    for name, rows in figures.items():
        pins = [r for r in rows if r[0] != "overlaps"]
        overlaps = sum(r[1] for r in rows if r[0] == "overlaps")
        cover = np.array([c for c, _ in pins])
        leader = np.array([d for _, d in pins])
        print(
            f"{name:>9}: {len(pins)} pins · over ink {np.mean(cover >= 0.5):.1%} · "
            f"ink under a pin {cover.mean():.3f} · leader {leader.mean():.2f} radii · "
            f"overlaps {overlaps}"
        )


if __name__ == "__main__":
    main()
