"""The loop drawn on a screenshot: resolved findings struck through, where they were.

Green, with a line struck across the box and a tag "was N" (the baseline's number), so a
resolved finding never reads as an open one; on the new image the box is moved through the
pixel diff's shifts, as matching moved it.
"""

from __future__ import annotations

from collections.abc import Sequence

from PIL import Image, ImageDraw

from uireview.drawing import label_size, tag
from uireview.findings import Finding
from uireview.loop import Move, move_box

RESOLVED = (22, 163, 74)


def strike_resolved(
    image: Image.Image, resolved: Sequence[Finding], moves: Sequence[Move] = ()
) -> Image.Image:
    """``image`` with each resolved finding's box struck through and tagged "was N"."""
    out = image.convert("RGB").copy()
    draw = ImageDraw.Draw(out)
    w, h = out.size
    size = label_size(max(w, h))
    line = max(2, size // 8)
    for finding in resolved:
        if finding.box is None:
            continue
        box = move_box(finding.box, moves).clamp(w, h)
        if not box.area:
            continue
        rect = (box.x0, box.y0, max(box.x0, box.x1 - 1), max(box.y0, box.y1 - 1))
        draw.rectangle(rect, outline=(255, 255, 255), width=line + 2)
        draw.rectangle(rect, outline=RESOLVED, width=line)
        draw.line((rect[0], rect[3], rect[2], rect[1]), fill=RESOLVED, width=line)
        number = finding.previous.get("number")
        label = f"was {number}" if number else "resolved"
        tag(draw, (box.x0, box.y0 - size - size // 2), label, size, RESOLVED, bounds=(w, h))
    return out


def moves_from(extra: dict, image: int) -> list[Move]:
    """The moves a review kept for one image (``extra["baseline_moves"]``)."""
    raw = (extra.get("baseline_moves") or {}).get(str(image)) or []
    return [
        Move(int(m["y"]), int(m["dy"]), int(m.get("height", 0)), str(m.get("axis", "y")))
        for m in raw
    ]
