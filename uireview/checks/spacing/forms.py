"""A form's fields as elements: an input with its label above (and help text below), so
a form's rhythm is measured from field to field."""

from __future__ import annotations

from typing import NamedTuple

from uireview.checks.spacing.siblings import covers, overlap
from uireview.findings import Box
from uireview.screen.elements import Element

# the tallest box a label may head as a field's control (a textarea of a few rows)
MAX_CONTROL_PX = 160


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
    # a field's control may be any box a label heads: an input, an input group (a field
    # with an add-on such as "@example.com") or a textarea read as a card, a segmented
    # control read as a card or a button. Wider than tall (a tile, a chart is not one).
    controls = [e for e in elements if _control(e)]
    # a horizontal form's rows first: there the line above a control is the row above's
    # help line, not this control's label
    rows = _rows(elements, texts, controls)
    for e, row in rows.items():
        if row is None:
            continue
        if row[1]:
            helped.add(len(out))
        out.append(Element(row[0], "field", e.depth, e.parent))
    for e in controls:
        if e in rows:
            continue
        b = e.box

        def beside(t: int, e: Element = e, b: Box = b) -> bool:
            tb = elements[t].box
            if elements[t].parent != e.parent or abs(tb.x0 - b.x0) > 6 or tb.x1 > b.x1 + 4:
                return False
            return 0 <= b.y0 - tb.y1 <= max(16, 2 * tb.height)

        # over a box that is not an input, only a one-line label makes it a field (a
        # paragraph over a card is content)
        label = [t for t in texts if beside(t) and (e.kind == "input" or elements[t].lines == 1)]
        if not label:
            # a label left of it makes a horizontal form's row, whose height the label
            # sets (a wrapped label grows it): made a field above when the form has others
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
        help_line = _help_line(elements, texts, e, above)
        if help_line is not None:
            box = box.union(help_line)
            helped.add(len(out))
        out.append(Element(box, "field", e.depth, e.parent))
    followers = _form_followers(elements, out[len(elements) :], "field")
    witnesses = frozenset(range(len(out), len(out) + len(followers)))
    # inputs whose label sits inside them are boxes like the blocks after them: full members
    return Form(out + followers + _form_followers(elements, bare, "input"), witnesses, helped)


def _control(e: Element) -> bool:
    b = e.box
    boxed = e.kind in ("card", "button") and b.height <= MAX_CONTROL_PX
    return e.kind == "input" or (boxed and b.width >= 1.5 * b.height)


def _rows(
    elements: list[Element], texts: list[int], controls: list[Element]
) -> dict[Element, tuple[Box, bool] | None]:
    """A horizontal form's fields: each row a label with its control right of it (and the
    control's help line), when two or more rows share both the labels' and the controls'
    left edges (a form's two columns; one input beside a word is not a form).

    Maps each such control to its row's box and whether the row ends in a help line (None:
    a row of the form, but no field). The row's box is the label's and the control's union.
    """
    beside: list[tuple[Element, Box, int]] = []
    for e in controls:
        b = e.box
        if e.kind != "input" and b.width < 4 * b.height:
            continue  # a button beside a list item's words is not a field (an input group is)
        # the label starts at its control's top or sits centred on it, left of it
        left = [
            t
            for t in texts
            if elements[t].parent == e.parent
            and elements[t].box.x1 <= b.x0
            and b.y0 - 4 <= elements[t].box.y0 <= b.center[1]
        ]
        if left:
            label = max(left, key=lambda t: elements[t].box.x1)
            beside.append((e, *_wrapped(elements, texts, label)))
    # a label that wraps ("PHONE" over "NO") makes its row as tall as the label's line
    # boxes, which ink does not show (14 px below the control on sneat's form): such a row
    # is no field, and the gaps around it are not judged
    wraps = {e for e, lb, lines in beside if lines > 1}
    out: dict[Element, tuple[Box, bool] | None] = {}
    for e, lb, _ in beside:
        b = e.box
        alike = [
            o
            for o, u, _ in beside
            if o.parent == e.parent and abs(o.box.x0 - b.x0) <= 4 and abs(u.x0 - lb.x0) <= 4
        ]
        if len(alike) < 2:
            continue
        if e in wraps:
            out[e] = None
            continue
        box = b.union(lb)
        help_line = _help_line(elements, texts, e, lb)
        if help_line is not None:
            box = box.union(help_line)
        out[e] = (box, help_line is not None)
    return out


def _wrapped(elements: list[Element], texts: list[int], t: int) -> tuple[Box, int]:
    """A label with the lines it wraps onto below ("PHONE" over "NO"), and its line count:
    the lines at its indent, each under the last by no more than its own height (and a bit)."""
    line, lines = elements[t].box, elements[t].lines
    for k in sorted(texts, key=lambda k: elements[k].box.y0):
        tb = elements[k].box
        if abs(tb.x0 - line.x0) <= 4 and 0 <= tb.y0 - line.y1 <= max(4, 1.2 * tb.height):
            line, lines = line.union(tb), lines + elements[k].lines
    return line, lines


def _help_line(elements: list[Element], texts: list[int], e: Element, label: Box) -> Box | None:
    """The help line under a field's control: text starting in the control's column just
    below it, nearer to the control than to whatever comes after it (the next field's label
    is nearer to its own input: proximity says which field a line belongs to)."""
    b = e.box
    under = [
        t
        for t in texts
        if elements[t].parent == e.parent
        and b.x0 - 6 <= elements[t].box.x0 < b.x0 + 0.5 * b.width
        and 0 <= elements[t].box.y0 - b.y1 <= max(12, b.y0 - label.y1)
    ]
    if not under:
        return None
    line = min((elements[t].box for t in under), key=lambda x: x.y0)
    after = [
        o.box.y0 - line.y1
        for o in elements
        if o.parent == e.parent
        and o.kind != "row"
        and o.box.y0 >= line.y1
        and overlap(o.box.x0, o.box.x1, line.x0, line.x1) > 0
    ]
    if after and min(after) <= line.y0 - b.y1:
        return None  # nearer to what follows: the next field's label
    return line


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
