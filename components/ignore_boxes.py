"""Ignore regions typed as text: one ``x0,y0,x1,y1`` per line, in the after image's pixels."""

from __future__ import annotations

import re

from uireview.findings import Box


def parse_boxes(text: str) -> tuple[list[Box], list[str]]:
    """Boxes from ``text``, and one sentence for each line that is not a box."""
    boxes, problems = [], []
    for n, line in enumerate((text or "").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        numbers = re.findall(r"-?\d+", line)
        if len(numbers) != 4:
            problems.append(f"Line {n} (“{line[:40]}”) needs four numbers: x0, y0, x1, y1.")
            continue
        x0, y0, x1, y1 = (int(v) for v in numbers)
        if x1 <= x0 or y1 <= y0:
            problems.append(f"Line {n}: x1 must be greater than x0 and y1 greater than y0.")
            continue
        boxes.append(Box(max(0, x0), max(0, y0), x1, y1))
    return boxes, problems


def format_boxes(boxes: list[Box]) -> str:
    return "\n".join(f"{b.x0},{b.y0},{b.x1},{b.y1}" for b in boxes)
