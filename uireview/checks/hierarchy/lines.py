"""Text lines as the hierarchy check sees them: box, font size, stroke weight, colour.

Sizes come from ``screen.text_regions`` (``uireview.screen.text``): the em size from the
cap and x-heights and the stem width, both measured from the glyphs' coverage. A detected
line split by colour ("Forms/" grey, "Vertical Layouts" dark) is joined back into one line
here, its size that of its widest part and its weight the width-weighted mean stem. Where
text.py could not measure a region (a gradient behind white text), a coarser measure from
the ink's extent stands in (``measure_line``).

``weight`` is the stem width over the em size: regular text is about 0.09-0.11, semibold
and bold 0.13-0.17. ``caps`` marks a line without lowercase (its x-height reaches its cap
height): figures such as "$84,520" and labels such as "TOTAL ORDERS".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import numpy as np

from uireview.findings import Box
from uireview.screen import Screen
from uireview.screen.text import CAP_EM, TextRegion

# sizes within this ratio are one level
LEVEL_STEP = 1.12
# a line whose x-height is this share of its cap height has no lowercase letters
CAPS_SHARE = 0.88


@dataclass
class Line:
    box: Box
    size: float  # em size, px
    weight: float  # stem width / em
    colour: tuple[int, int, int]
    contrast: float  # max channel distance between ink and background
    caps: bool = False  # no lowercase: a figure or a label in capitals
    background: tuple[int, int, int] | None = None  # the surface it sits on, when flat

    @property
    def px(self) -> int:
        return round(self.size)


@dataclass(frozen=True)
class Body:
    """The body text: the size level most of the text width is set in, and its weight."""

    size: float
    weight: float
    salience: float
    saturation: float = 0.0


def saturation(colour: tuple[int, int, int]) -> float:
    """How colourful a text colour is, 0 (grey) to 1."""
    return (max(colour) - min(colour)) / 255


def measure_line(rgb: np.ndarray, box: Box) -> Line | None:
    """Size, weight and colour of one text line from its pixels, without text.py's metrics.

    The size is the ink's ascender-to-baseline height (descenders and commas are sparse
    rows and are left out) over the usual cap height share of the em; the weight the mean
    stroke width (2 x ink / outline pixels) over the size.
    """
    crop = rgb[box.y0 : box.y1, box.x0 : box.x1].astype(np.int16)
    if crop.shape[0] < 4 or crop.shape[1] < 4:
        return None
    edge = np.concatenate([crop[0], crop[-1], crop[:, 0], crop[:, -1]])
    bg = np.median(edge, axis=0)
    dist = np.abs(crop - bg).max(axis=2)
    peak = dist.max()
    if peak < 24:
        return None
    ink = dist > 0.45 * peak
    rows = ink.sum(axis=1)
    filled = np.nonzero(rows >= 0.25 * rows.max())[0]
    top = np.nonzero(rows)[0][0]
    cap = int(filled[-1] - top + 1)
    if cap < 4:
        return None
    inner = ink[1:-1, 1:-1] & ink[:-2, 1:-1] & ink[2:, 1:-1] & ink[1:-1, :-2] & ink[1:-1, 2:]
    outline = max(int(ink.sum() - inner.sum()), 1)
    stroke = 2 * ink.sum() / outline
    colour = cast(tuple[int, int, int], tuple(int(v) for v in np.median(crop[ink], axis=0)))
    size = cap / CAP_EM
    # the outline measure reads about 1.6x the stem width that text.py measures
    return Line(box, size, float(stroke / size / 1.6), colour, float(peak))


def _same_row(a: Box, b: Box) -> bool:
    """Whether two text boxes share a row (detection pads boxes, so a sliver does not count)."""
    return min(a.y1, b.y1) - max(a.y0, b.y0) > 0.5 * min(a.height, b.height)


def _join(regions: list[TextRegion]) -> list[list[TextRegion]]:
    """Regions on one row, a word space apart, grouped into lines (detectors give either)."""
    out: list[list[TextRegion]] = []
    boxes: list[Box] = []
    for r in sorted(regions, key=lambda r: (r.box.y0, r.box.x0)):
        b = r.box
        for k, o in enumerate(boxes):
            close = -0.5 * b.height <= b.x0 - o.x1 <= 0.8 * min(o.height, b.height)
            similar = 0.75 <= b.height / max(o.height, 1) <= 1.33
            if close and similar and _same_row(o, b):
                boxes[k] = o.union(b)
                out[k].append(r)
                break
        else:
            boxes.append(b)
            out.append([r])
    return out


def _from_regions(rgb: np.ndarray, parts: list[TextRegion]) -> Line | None:
    box = parts[0].box
    for p in parts[1:]:
        box = box.union(p.box)
    measured = [p for p in parts if p.font_px and p.stroke_px and p.cap_height]
    if not measured:
        return measure_line(rgb, box)
    widest = max(measured, key=lambda p: p.box.width)
    size = float(widest.font_px or 0)
    width = sum(p.box.width for p in measured)
    weight = sum(p.box.width * (p.stroke_px or 0) / (p.font_px or 1) for p in measured) / width
    caps = all((p.x_height or 0) >= CAPS_SHARE * (p.cap_height or 1) for p in measured)
    fg, bg = widest.fg or (0, 0, 0), widest.bg or (255, 255, 255)
    contrast = float(max(abs(a - b) for a, b in zip(fg, bg, strict=True)))
    return Line(box, size, float(weight), fg, contrast, caps, widest.bg)


def text_lines(screen: Screen) -> list[Line]:
    """The screen's text lines with their measured size and weight.

    Detection sometimes reads a bar chart as a tall line of text; boxes mostly covered by an
    element that is an image are left out.
    """
    # a blob of ink run together across the page is not a chart that text could be part of
    images = [
        e.box
        for e in screen.elements
        if e.kind == "image" and e.box.area < 0.25 * screen.width * screen.height
    ]

    def chart(box: Box) -> bool:
        # a line of text is wide; a chart read as text is about as tall as it is wide
        covered = max(((box.intersection(im) or Box(0, 0, 0, 0)).area for im in images), default=0)
        return box.width < 2 * box.height and covered > 0.6 * box.area

    regions = [r for r in screen.text_regions if not chart(r.box)]
    lines = [_from_regions(screen.rgb, parts) for parts in _join(regions)]
    return [ln for ln in lines if ln is not None and ln.size >= 4]


def levels(lines: list[Line]) -> list[tuple[float, float]]:
    """Size levels (median size, share of text width), smallest first."""
    lines = sorted(lines, key=lambda ln: ln.size)
    groups: list[list[Line]] = []
    for ln in lines:
        if groups and ln.size <= groups[-1][0].size * LEVEL_STEP:
            groups[-1].append(ln)
        else:
            groups.append([ln])
    total = sum(ln.box.width for ln in lines) or 1
    return [
        (float(np.median([ln.size for ln in g])), sum(ln.box.width for ln in g) / total)
        for g in groups
    ]


def salience(ln: Line) -> float:
    """How strongly a line draws the eye: size, stroke weight, contrast and colour."""
    heavy = (max(ln.weight, 0.02) / 0.1) ** 0.5
    return ln.size * heavy * (0.4 + 0.6 * ln.contrast / 255) * (1 + 0.3 * saturation(ln.colour))


def body_of(lines: list[Line]) -> Body:
    """The body text's size level, weight and salience (zeros with no text)."""
    if not lines:
        return Body(0.0, 0.1, 0.0, 0.0)
    size = max(levels(lines), key=lambda lv: lv[1])[0]
    body = [ln for ln in lines if abs(ln.size - size) <= size * (LEVEL_STEP - 1)]
    weight = float(np.median([ln.weight for ln in body]))
    return Body(
        size,
        weight,
        float(np.median([salience(ln) for ln in body])),
        float(np.median([saturation(ln.colour) for ln in body])),
    )


def body_size(lines: list[Line]) -> float:
    """The size level most of the text width is set in (0 with no text)."""
    return body_of(lines).size
