"""Titles that say what a spacing or alignment finding is about, in a designer's words.

"Left edge misses the column by 6 px" names neither the element nor what it misses; after
``naming`` has set a finding's place and words, the title becomes "The card “Recent
Activity”: left edge 6 px off the cards above it", and an uneven gap names the two elements
on its sides by their first line of text ("Uneven gap between cards “Orders” and
“Revenue”"). Only the findings a check reports are read (a read is ~50 ms), at most two
lines each.
"""

from __future__ import annotations

from collections.abc import Callable

from uireview.checks.naming import LineReader, first_text_line, line_box
from uireview.findings import Box, Finding
from uireview.screen import Screen
from uireview.screen.elements import Element

# what a designer calls each kind of element, one and many
NOUN = {
    "card": ("card", "cards"),
    "panel": ("panel", "panels"),
    "button": ("button", "buttons"),
    "input": ("field", "fields"),
    "field": ("form field", "form fields"),
    "divider": ("row", "rows"),
    "row": ("row", "rows"),
    "text": ("text", "text"),
    "heading": ("heading", "headings"),
}
MAX_WORDS = 32  # characters quoted from a line; the rest is cut with an ellipsis

Reader = Callable[[Box], str | None]


def quote(words: str | None) -> str | None:
    """The words in curly quotes, cut to ``MAX_WORDS``; None when nothing was read."""
    if not words or not words.strip():
        return None
    w = " ".join(words.split())
    if len(w) > MAX_WORDS:
        w = w[: MAX_WORDS - 1].rstrip() + "…"
    return f"“{w}”"


def relation(box: Box, others: list[Box], side: str) -> str:
    """Where the siblings an element is measured against are: "above it", "below it",
    "above and below it" (a column), "to its left" / "to its right" / "beside it" (a row)."""
    cy, cx = box.center[1], box.center[0]
    if side in ("left", "right"):
        above = any(o.center[1] < cy for o in others)
        below = any(o.center[1] > cy for o in others)
        return "above and below it" if above and below else "above it" if above else "below it"
    left = any(o.center[0] < cx for o in others)
    right = any(o.center[0] > cx for o in others)
    return "beside it" if left and right else "to its left" if left else "to its right"


def near_miss_title(f: Finding) -> str:
    """ "The card “Recent Activity”: left edge 6 px off the cards above it" (or, against a
    column of other kinds, "The heading “Sales”: left edge 4 px right of the text column
    below it")."""
    one, many = NOUN.get(str(f.metrics.get("element", "")), ("element", "elements"))
    words = quote(f.text)
    if words:
        subject = f"The {one} {words}"
    elif f.place:
        subject = f"A {one} in the {f.place}"
    else:
        subject = f"A {one}"
    side = str(f.metrics.get("edge", "left"))
    signed = int(f.metrics.get("miss_px", 0))
    miss = abs(signed)
    where = relation(f.box, f.related, side) if f.box is not None else "near it"
    column = f.metrics.get("column_of")
    if column:
        # a column of mixed kinds ("the cards and text below it"): say which way it is off
        way = "right" if signed > 0 else "left"
        return f"{subject}: {side} edge {miss} px {way} of the {column} {where}"
    return f"{subject}: {side} edge {miss} px off the {many} {where}"


def gap_title(f: Finding, names: list[str | None]) -> str:
    """ "Uneven gap between cards “Orders” and “Revenue”" (or with the place, unread)."""
    _, many = NOUN.get(str(f.metrics.get("kind", "")), ("element", "elements"))
    a, b = (quote(n) for n in names)
    if a and b and a != b:
        return f"Uneven gap between {many} {a} and {b}"
    if a or b:
        return f"Uneven gap {'after' if a else 'before'} the {many[:-1]} {a or b}"
    return f"Uneven gap between {many} in the {f.place}" if f.place else f.title


def reword(screen: Screen, elements: list[Element], findings: list[Finding], read: Reader):
    """The findings with titles that name their elements."""
    out = []
    for f in findings:
        if f.rule == "alignment.near_miss" and f.box is not None:
            f = f.model_copy(update={"title": near_miss_title(f)})
        elif (
            f.rule == "spacing.gap_rhythm"
            and "gap_px" in f.metrics
            and len(f.related) == 2
            and f.metrics.get("kind") in NOUN
        ):
            lines = [first_text_line(elements, b) for b in f.related]
            names = [read(ln) if ln is not None else None for ln in lines]
            f = f.model_copy(update={"title": gap_title(f, names)})
        out.append(f)
    return out


def reader(screen: Screen, read: LineReader) -> Reader:
    """Reads one text element's words (its ink box grown to a line) with ``read``."""
    h, w = screen.rgb.shape[:2]
    return lambda ink: read([line_box(ink, w, h)])[0]
