"""Give the model names it can point at, and turn the names it returns into boxes.

Vision models cannot return reliable coordinates, but they can read a label drawn on the
image (set-of-mark prompting). We draw numbered marks on detected elements, or a lettered
grid when too few elements are found; the model names marks or cells; we map them back to
boxes in the original image. The user only ever sees the clean screenshot with our own pins.
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass, field
from typing import Literal

from PIL import Image, ImageDraw

from uireview.drawing import label_size, tag
from uireview.findings import Box
from uireview.screen import Screen

log = logging.getLogger(__name__)

MIN_MARKS = 4  # fewer elements than this and the grid names places better
MAX_MARKS = 40
GRID_COLUMNS = 8
MARK_COLOUR = (124, 58, 237)  # violet: rare in UIs, so marks do not read as content
GRID_COLOUR = (236, 72, 153)


@dataclass
class Grounding:
    """What one image was annotated with for the model, and how to read names back."""

    image: int
    kind: Literal["marks", "grid"]
    labels: dict[str, Box] = field(default_factory=dict)
    overlay: Image.Image | None = None

    def describe(self) -> str:
        if self.kind == "marks":
            return (
                f"Image {self.image + 1}: {len(self.labels)} numbered marks (1-{len(self.labels)})."
            )
        # Cell names are letters then digits ("B3"), as grid_cells() makes them.
        cols = sorted({k.rstrip("0123456789") for k in self.labels})
        rows = max(int(k.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) for k in self.labels)
        return (
            f"Image {self.image + 1}: grid cells {cols[0]}1 to {cols[-1]}{rows} "
            f"(columns A-{cols[-1]}, rows 1-{rows})."
        )

    def resolve(self, names: list[str]) -> tuple[Box | None, list[str]]:
        """The union box of the named marks or cells, and the names that matched."""
        boxes, matched = [], []
        for raw in names:
            key = normalise_name(raw, self.kind)
            if key and key in self.labels:
                boxes.append(self.labels[key])
                matched.append(key)
        if not boxes:
            return None, []
        box = boxes[0]
        for other in boxes[1:]:
            box = box.union(other)
        return box, matched


def normalise_name(raw: object, kind: str) -> str | None:
    """'M3', '#3', 'mark 3' -> '3' for marks; 'b2' -> 'B2' for cells."""
    text = str(raw).strip().upper()
    if kind == "marks":
        # Only mark-shaped names: a cell name such as "B1" must not be read as mark 1.
        m = re.fullmatch(r"(?:M|MARK|#)?\s*#?\s*(\d{1,3})", text)
        return str(int(m.group(1))) if m else None
    m = re.fullmatch(r"(?:CELL\s*)?([A-Z]{1,2})\s*(\d{1,3})", text)
    return f"{m.group(1)}{int(m.group(2))}" if m else None


def column_name(i: int) -> str:
    name = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(65 + r) + name
    return name


def grid_cells(width: int, height: int, columns: int = GRID_COLUMNS) -> dict[str, Box]:
    """Square-ish cells, ``columns`` across, named A1 (top-left), B1, ... row by row."""
    cell = math.ceil(width / columns)
    rows = max(1, math.ceil(height / cell))
    cells = {}
    for r in range(rows):
        for c in range(columns):
            box = Box(c * cell, r * cell, (c + 1) * cell, (r + 1) * cell).clamp(width, height)
            if box.area:
                cells[f"{column_name(c)}{r + 1}"] = box
    return cells


def draw_grid(img: Image.Image, cells: dict[str, Box]) -> Image.Image:
    out = img.convert("RGB").copy()
    layer = Image.new("RGBA", out.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    size = max(10, label_size(max(out.size)) * 3 // 4)
    for name, box in cells.items():
        draw.rectangle(box, outline=GRID_COLOUR + (110,), width=1)
        tag(draw, (box.x0 + 2, box.y0 + 2), name, size, GRID_COLOUR, bounds=out.size)
    out.paste(layer, (0, 0), layer)
    return out


def draw_marks(img: Image.Image, labels: dict[str, Box]) -> Image.Image:
    out = img.convert("RGB").copy()
    draw = ImageDraw.Draw(out)
    size = max(10, label_size(max(out.size)) * 3 // 4)
    for box in labels.values():
        draw.rectangle((box.x0, box.y0, box.x1 - 1, box.y1 - 1), outline=MARK_COLOUR, width=1)
    for name, box in labels.items():
        # The tag sits just above the element's top-left corner so it hides as little as it can.
        tag(draw, (box.x0, box.y0 - size - 2), name, size, MARK_COLOUR, bounds=out.size)
    return out


def ground(screen: Screen, *, use_marks: bool = True) -> Grounding:
    """Numbered marks on the screen's elements, or a grid when too few are found."""
    labels: dict[str, Box] = {}
    if use_marks:
        try:
            from uireview.screen.elements import mark_elements

            elements = mark_elements(screen, limit=MAX_MARKS)
            labels = {str(i + 1): e.box for i, e in enumerate(elements)}
        except Exception as exc:  # element detection is best effort; the grid always works
            log.warning("element detection failed (%r); using the grid", exc)
            log.debug("element detection failure", exc_info=True)
            labels = {}
    base = Image.fromarray(screen.rgb)
    if len(labels) >= MIN_MARKS:
        return Grounding(screen.index, "marks", labels, draw_marks(base, labels))
    cells = grid_cells(screen.width, screen.height)
    return Grounding(screen.index, "grid", cells, draw_grid(base, cells))
