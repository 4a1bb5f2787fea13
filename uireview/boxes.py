"""Boxes in the pixels of the image they belong to, and the one rule for reading them from text.

No pydantic or numpy here: the diff command imports this on its fast path.
"""

from __future__ import annotations

import re
from typing import NamedTuple


class Box(NamedTuple):
    """A half-open rectangle x0 <= x < x1, y0 <= y < y1, in the pixels of its own image.

    A NamedTuple so it serialises as ``[x0, y0, x1, y1]``, the CLI's JSON shape.
    """

    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    @property
    def height(self) -> int:
        return self.y1 - self.y0

    @property
    def area(self) -> int:
        return max(0, self.width) * max(0, self.height)

    @property
    def center(self) -> tuple[float, float]:
        return ((self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2)

    def union(self, other: Box) -> Box:
        return Box(
            min(self.x0, other.x0),
            min(self.y0, other.y0),
            max(self.x1, other.x1),
            max(self.y1, other.y1),
        )

    def intersection(self, other: Box) -> Box | None:
        box = Box(
            max(self.x0, other.x0),
            max(self.y0, other.y0),
            min(self.x1, other.x1),
            min(self.y1, other.y1),
        )
        return box if box.width > 0 and box.height > 0 else None

    def clamp(self, width: int, height: int) -> Box:
        """The part of this box inside a width x height image."""
        return Box(
            min(max(self.x0, 0), width),
            min(max(self.y0, 0), height),
            min(max(self.x1, 0), width),
            min(max(self.y1, 0), height),
        )

    def scale(self, factor: float) -> Box:
        return Box(
            round(self.x0 * factor),
            round(self.y0 * factor),
            round(self.x1 * factor),
            round(self.y1 * factor),
        )


def parse_box(text: str) -> Box:
    """A box from ``"x0,y0,x1,y1"`` (any separators), or ValueError with a sentence to show.

    The one rule for the Compare page's ignore list and the CLI's ``--ignore``: four whole
    numbers, none negative, x1 greater than x0 and y1 greater than y0.
    """
    numbers = re.findall(r"-?\d+(?:\.\d+)?", text)
    if len(numbers) != 4 or any("." in n for n in numbers):
        raise ValueError(f"“{text.strip()[:40]}” needs four whole numbers: x0, y0, x1, y1.")
    x0, y0, x1, y1 = (int(n) for n in numbers)
    if min(x0, y0, x1, y1) < 0:
        raise ValueError(f"“{text.strip()[:40]}” has a negative number; boxes start at 0, 0.")
    if x1 <= x0 or y1 <= y0:
        raise ValueError(
            f"“{text.strip()[:40]}” is empty: x1 must be greater than x0 and y1 greater than y0."
        )
    return Box(x0, y0, x1, y1)


def parse_boxes(text: str) -> tuple[list[Box], list[str]]:
    """One box per line (blank lines and ``#`` comments skipped), and a sentence per bad line."""
    boxes: list[Box] = []
    problems: list[str] = []
    for n, line in enumerate((text or "").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            boxes.append(parse_box(line))
        except ValueError as exc:
            problems.append(f"Line {n}: {exc}")
    return boxes, problems


def format_boxes(boxes: list[Box]) -> str:
    """The text ``parse_boxes`` reads back: one ``x0,y0,x1,y1`` per line."""
    return "\n".join(f"{b.x0},{b.y0},{b.x1},{b.y1}" for b in boxes)
