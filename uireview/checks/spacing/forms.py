"""A form's fields as elements: an input with its label above (and help text below), so
a form's rhythm is measured from field to field."""

from __future__ import annotations

from typing import NamedTuple

from uireview.checks.spacing.siblings import covers, overlap
from uireview.findings import Box
from uireview.screen.elements import Element


class Form(NamedTuple):
    """The elements with a form's fields added (see ``with_fields``)."""

    elements: list[Element]
    witnesses: frozenset[int]  # blocks after the fields: they witness the rhythm
    # fields ending in a help line: the gap after one runs from ink to ink (the help line's
    # descenders to the next label's capitals), wider than from an input's edge by two
    # line paddings, so it is not compared with the others
    helped: set[int]


def with_fields(elements: list[Element]) -> Form:
    """The elements plus one "field" per input with its label above (and help text below),
    and the indices of the form's other blocks added as fields (see ``_form_followers``).

    A form's rhythm is kept between whole fields: the space from one field's input (or
    help line) to the next field's label. Between two inputs there is always a label, so
    input-to-input gaps are never empty and are not compared.
    """
    out = list(elements)
    texts = [i for i, e in enumerate(elements) if e.kind == "text"]
    bare: list[Element] = []  # inputs without a label above (a floating label inside)
    helped: set[int] = set()  # fields that end in a help line
    for e in elements:
        b = e.box
        # an input group (a field with an add-on such as "@example.com") reads as a card
        # (an input with an icon in it can read as a wide button: its label above says)
        input_like = e.kind in ("card", "button") and b.height <= 72 and b.width > 3 * b.height
        if e.kind != "input" and not input_like:
            continue

        def beside(t: int, above: bool, e: Element = e, b: Box = b) -> bool:
            tb = elements[t].box
            if elements[t].parent != e.parent or abs(tb.x0 - b.x0) > 6 or tb.x1 > b.x1 + 4:
                return False
            gap = b.y0 - tb.y1 if above else tb.y0 - b.y1
            return 0 <= gap <= max(16, 2 * tb.height)

        label = [t for t in texts if beside(t, True)]
        if not label:
            # a label left of it makes a horizontal form's row, whose height the label
            # sets (a wrapped label grows it): those inputs' gaps are not the rhythm
            left = [
                t
                for t in texts
                if elements[t].box.x1 <= b.x0
                and overlap(elements[t].box.y0, elements[t].box.y1, b.y0, b.y1) > 0
            ]
            if e.kind == "input" and not left:
                bare.append(e)
            continue
        above = max((elements[t].box for t in label), key=lambda x: x.y1)
        box = b.union(above)
        # help text hugs its input closer than the label does; the next field's label does not
        below = [
            elements[t].box
            for t in texts
            if beside(t, False) and elements[t].box.y0 - b.y1 < min(10, b.y0 - above.y1)
        ]
        if below:
            box = box.union(min(below, key=lambda x: x.y0))
            helped.add(len(out))
        out.append(Element(box, "field", e.depth, e.parent))
    followers = _form_followers(elements, out[len(elements) :], "field")
    witnesses = frozenset(range(len(out), len(out) + len(followers)))
    # inputs whose label sits inside them are boxes like the blocks after them: full members
    return Form(out + followers + _form_followers(elements, bare, "input"), witnesses, helped)


def _form_followers(elements: list[Element], fields: list[Element], kind: str) -> list[Element]:
    """The other blocks of a form's column, as ``kind``: a checkbox with its label, a button,
    starting at the left edge of two or more fields (a form keeps one rhythm from field to
    checkbox to button)."""
    inside = [f.box for f in fields]
    out = []
    for e in elements:
        b = e.box
        col = [f for f in fields if f.parent == e.parent and abs(f.box.x0 - b.x0) <= 6]
        if len(col) < 2 or any(covers(f, b) or f.intersection(b) for f in inside):
            continue
        if e.kind == "button" and b.height <= 72:
            out.append(Element(b, kind, e.depth, e.parent))
        elif e.kind in ("card", "input") and max(b.width, b.height) <= 28:
            # a checkbox: with the label right of it
            label = [
                t.box
                for t in elements
                if t.kind == "text"
                and t.parent == e.parent
                and 0 <= t.box.x0 - b.x1 <= 16
                and overlap(t.box.y0, t.box.y1, b.y0, b.y1) > 0.5 * t.box.height
            ]
            box = b.union(label[0]) if label else b
            out.append(Element(box, kind, e.depth, e.parent))
    return out
