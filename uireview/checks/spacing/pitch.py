"""The pitch of a list: items drawn as text without a box (an invoice list, a feed).

A list with no borders or cards gives ``spacing.gap_rhythm`` nothing to measure between,
but each item starts with a line of the same style at the same indent (a date, a name). The
distance from one item's first line to the next's is the list's pitch; one item sitting
lower or higher than the pitch says a gap changed. Used by ``spacing.check``.

Only lists whose every step holds items at the same indents are read (so a section
heading between two runs of items ends the comparison), and only when
all steps but one keep one pitch within 1 px (``MIN_STEPS`` of them at least).
"""

from __future__ import annotations

from uireview.findings import Box, Finding
from uireview.screen import Screen
from uireview.screen.elements import Element

MIN_STEPS = 3  # steps that keep the pitch, besides the odd one
MIN_DEVIATION_PX = 6
# a step this many times the pitch (plus 16 px) is a break between lists, not a broken pitch
MAX_RATIO = 2.5


def _heads(elements: list[Element], members: list[int]) -> list[list[int]]:
    """Text lines of one style (indent and ink height within a pixel or two, one line
    count) among siblings, top down."""
    groups: list[list[int]] = []
    for i in sorted(members, key=lambda i: elements[i].box.x0):
        e = elements[i]
        if e.kind != "text" or not e.line_height:
            continue
        for g in groups:
            h = elements[g[0]]
            if (
                abs(h.box.x0 - e.box.x0) <= 2
                and abs(h.line_height - e.line_height) <= 1
                and h.lines == e.lines
            ):
                g.append(i)
                break
        else:
            groups.append([i])
    return [sorted(g, key=lambda i: elements[i].box.y0) for g in groups if len(g) >= 4]


def _step(elements, members, a: Box, b: Box) -> tuple[list[int], Box]:
    """The left edges of the siblings that start between two heads (the first included),
    and the box they fill."""
    edges, box = [], a
    for k in members:
        e = elements[k].box
        if a.y0 <= e.y0 < b.y0 and _overlap_x(e, a, b):
            edges.append(e.x0)
            box = box.union(e)
    return edges, box


def _overlap_x(e: Box, a: Box, b: Box) -> bool:
    # the list's own column band: as wide as the siblings around the heads reach
    return e.x1 > min(a.x0, b.x0) - 480 and e.x0 < max(a.x1, b.x1) + 480


def _hole(elements, members, step: Box, nxt: Box) -> Box | None:
    """The widest empty band across the list between one head and the next: the gap."""
    x0, x1 = min(step.x0, nxt.x0), max(step.x1, nxt.x1)
    spans = sorted(
        (e.box.y0, e.box.y1)
        for k in members
        if (e := elements[k]).box.y1 > step.y0
        and e.box.y0 < nxt.y1
        and e.box.x1 > x0
        and e.box.x0 < x1
    )
    best, reach = None, step.y0
    for y0, y1 in spans:
        if y0 > reach and (best is None or y0 - reach > best[1] - best[0]):
            best = (reach, y0)
        reach = max(reach, y1)
    return None if best is None else Box(x0, best[0], x1, best[1])


def _alike(p: list[int], q: list[int]) -> bool:
    """Whether two steps hold items at the same indents (within 3 px, however many lines
    each wrapped or joined into)."""
    return all(any(abs(x - y) <= 3 for y in q) for x in p) and all(
        any(abs(x - y) <= 3 for y in p) for x in q
    )


def findings(screen: Screen, elements: list[Element], groups: dict) -> list[tuple[float, Finding]]:
    """(significance, finding) for each list whose one step breaks its pitch."""
    out: list[tuple[float, Finding]] = []
    for members in groups.values():
        for heads in _heads(elements, members):
            boxes = [elements[i].box for i in heads]
            # one column: each head below the last, none overlapping
            if any(b.y0 < a.y1 for a, b in zip(boxes, boxes[1:], strict=False)):
                continue
            steps = [b.y0 - a.y0 for a, b in zip(boxes, boxes[1:], strict=False)]
            contents = [
                _step(elements, members, a, b) for a, b in zip(boxes, boxes[1:], strict=False)
            ]
            if not all(_alike(contents[0][0], c[0]) for c in contents[1:]):
                continue  # something else stands in one step: a heading at its own indent
            if any(
                elements[j].kind in ("input", "field")
                and boxes[0].y0 <= elements[j].box.y0
                and elements[j].box.y0 < boxes[-1].y0
                for j in members
            ):
                continue  # a form's labels: its fields keep the rhythm (spacing.gap_rhythm)
            pitch = sorted(steps)[len(steps) // 2]
            keep = [s for s in steps if abs(s - pitch) <= 1]
            odd = [k for k, s in enumerate(steps) if abs(s - pitch) > 1]
            if len(odd) != 1 or len(keep) < MIN_STEPS:
                continue
            k = odd[0]
            dev = steps[k] - pitch
            if abs(dev) < MIN_DEVIATION_PX or steps[k] > MAX_RATIO * pitch + 16:
                continue
            nxt = boxes[k + 1]
            gap = _hole(elements, members, contents[k][1], nxt)
            if gap is None or any(gap.intersection(f.box) for _, f in out if f.box):
                continue  # no empty band (items overlap), or this list's gap is told already
            text = "lower" if dev > 0 else "higher"
            f = Finding(
                source="measured",
                category="spacing",
                severity="minor",
                title="Uneven gap between list items",
                detail=(
                    f"One item of this list sits {abs(dev)} px {text} than the list's pitch: "
                    f"its items start every {pitch} px, this one {steps[k]} px after the last."
                ),
                suggestion=f"Give this item the same spacing as the others ({pitch} px apart).",
                image=screen.index,
                box=gap,
                related=[boxes[k], nxt],
                evidence=f"step {steps[k]} px; the other {len(keep)} steps are {pitch} px",
                metrics={"gap_px": steps[k], "expected_px": pitch, "axis": "y", "kind": "list"},
                rule="spacing.gap_rhythm",
            )
            out.append((0.5 + abs(dev) / max(pitch, 4), f))
    return out
