"""What a spacing or alignment finding is about, in words: the place it is in ("card
“Basic Layout”", "sidebar", "main area") and, for an element off its column, the words on
it. Used by ``spacing.check`` on the findings it keeps (at most ``MAX_FINDINGS``), so
the text recogniser reads a few lines per screen, not every line.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable

import numpy as np

from uireview.checks.places import Namer
from uireview.findings import Box, Finding
from uireview.screen import Screen
from uireview.screen.elements import Element


def common_colour(pixels: np.ndarray) -> tuple[int, int, int] | None:
    if pixels.size == 0:
        return None
    flat = pixels.reshape(-1, 3)
    values, counts = np.unique(flat, axis=0, return_counts=True)
    c = values[int(np.argmax(counts))]
    return (int(c[0]), int(c[1]), int(c[2]))


def _around(rgb: np.ndarray, box: Box, pad: int = 3) -> tuple[int, int, int] | None:
    """The colour just outside a box: the surface the element sits on."""
    h, w = rgb.shape[:2]
    outer = Box(box.x0 - pad, box.y0 - pad, box.x1 + pad, box.y1 + pad).clamp(w, h)
    crop = rgb[outer.y0 : outer.y1, outer.x0 : outer.x1]
    keep = np.ones(crop.shape[:2], bool)
    keep[box.y0 - outer.y0 : box.y1 - outer.y0, box.x0 - outer.x0 : box.x1 - outer.x0] = False
    return common_colour(crop[keep])


def line_box(ink: Box, w: int, h: int) -> Box:
    """A text element's ink box grown to the line the recogniser expects: an ink box is
    cap height only, and reads as a line too long for its height (cut short)."""
    pad = max(2, ink.height // 3)
    return Box(ink.x0 - 2, ink.y0 - pad, ink.x1 + 2, ink.y1 + pad).clamp(w, h)


def first_text_line(elements: list[Element], box: Box) -> Box | None:
    """The first line of text the element in ``box`` is or holds (a card's heading)."""
    inside = [
        e.box
        for e in elements
        if e.kind == "text" and e.box.intersection(box) == e.box and e.box.height >= 6
    ]
    return min(inside, key=lambda b: (b.y0, b.x0)) if inside else None


LineReader = Callable[[list[Box]], list[str | None]]


def line_region(screen: Screen, box: Box):
    """The line to read in ``box``, with the font size measured on the screen's text
    regions it meets: the recogniser's word gaps are judged in ems, and a heading's box
    can be too tight to guess its em from (it read "We lcome bac k" at 36 px)."""
    from uireview.screen.text import TextRegion

    sizes = [
        r.font_px
        for r in screen.text_regions
        if r.font_px is not None and r.box.intersection(box) is not None
    ]
    return TextRegion(box, font_px=statistics.median(sizes) if sizes else None)


def line_reader(screen: Screen) -> LineReader:
    """Reads line boxes' words from the pixels, each box once however often it is asked."""
    from uireview.screen.text import read_lines

    cache: dict[Box, str | None] = {}

    def read(boxes: list[Box]) -> list[str | None]:
        todo = [b for b in dict.fromkeys(boxes) if b not in cache]
        lines = [line_region(screen, b) for b in todo]
        for b, r in zip(todo, read_lines(screen.rgb, lines), strict=True):
            cache[b] = r.text if r.is_text else None
        return [cache[b] for b in boxes]

    return read


def name(
    screen: Screen,
    elements: list[Element],
    findings: list[Finding],
    read: LineReader | None = None,
) -> list[Finding]:
    """The findings with ``place`` (and, for a moved element with words, ``text``) set.

    ``read``: a ``line_reader`` to share, so a line other titles quote is read once."""
    if not findings:
        return findings
    read = read or line_reader(screen)
    h, w = screen.rgb.shape[:2]
    lines = [line_box(e.box, w, h) for e in elements if e.kind == "text"]
    namer = Namer(screen.rgb, lines, read)
    out = []
    for f in findings:
        if f.box is None:
            out.append(f)
            continue
        box = f.box.clamp(w, h)
        words = None
        if f.rule == "alignment.near_miss":
            bg = _around(screen.rgb, box)
            line = first_text_line(elements, box)
            words = read([line_box(line, w, h)])[0] if line is not None else None
        else:
            # a gap is empty: its own colour is the surface it opens onto
            bg = common_colour(screen.rgb[box.y0 : box.y1, box.x0 : box.x1])
        place = namer.name(box, bg, words).name if bg is not None else None
        out.append(f.model_copy(update={"place": place, "text": words}))
    return out
