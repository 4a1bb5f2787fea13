"""One cause, one finding: an element moved off its column shows as a near miss plus
uneven gaps, a changed gap moves everything after it. Decides which findings say it."""

from __future__ import annotations

from uireview.checks.spacing.siblings import Candidate, mode, overlap


def _resized(c: Candidate, elements) -> bool:
    """Whether the element was resized rather than moved (so the gap beside it changed): its
    far edge still lines up with the column, or its size differs from its row-mates'."""
    (i,) = c.elements
    e = elements[i].box
    side = c.finding.metrics["edge"]
    far = {"left": lambda b: b.x1, "right": lambda b: b.x0, "top": lambda b: b.y1}[side]
    if any(abs(far(b) - far(e)) <= 1 for b in c.finding.related):
        return True
    # or it is narrower/wider than its row-mates, which share one size: resized, not moved
    me = elements[i]
    mates = [
        o.box
        for k, o in enumerate(elements)
        if k != i
        and o.parent == me.parent
        and o.kind == me.kind
        and overlap(o.box.y0, o.box.y1, e.y0, e.y1) > 0.5 * e.height
    ]
    widths = [b.width for b in mates]
    shared = len(widths) >= 2 and mode(widths, 1)[1] >= 2
    return shared and all(abs(w - e.width) > 1 for w in widths)


def _upstream_gap(a: Candidate, gap_c: list[Candidate], elements) -> bool:
    """Whether an uneven gap earlier in this element's row (or column) moved it by its miss."""
    (i,) = a.elements
    e = elements[i].box
    m = a.finding.metrics
    for g in gap_c:
        gm, box = g.finding.metrics, g.finding.box
        if "expected_px" not in gm:
            continue  # two gaps that differ, neither known to be the odd one
        if abs((gm["gap_px"] - gm["expected_px"]) - m["miss_px"]) > 1:
            continue
        assert box is not None  # gap findings always carry the gap's box
        if m["edge"] in ("left", "right") and gm["axis"] == "x":
            if box.x1 <= e.x0 and overlap(box.y0, box.y1, e.y0, e.y1) > 0:
                return True
        if m["edge"] == "top" and gm["axis"] == "y":
            if box.y1 <= e.y0 and overlap(box.x0, box.x1, e.x0, e.x1) > 0:
                return True
    return False


def explain_shifts(gap_c: list[Candidate], align_c: list[Candidate], elements, gaps):
    """Say each cause once.

    An element moved off its column shows as a near miss plus uneven gaps on both sides:
    keep the near miss. A gap that changed moves everything after it (several near misses by
    the same amount; a neighbour beyond at the usual gap; a neighbour resized): keep the gap.
    """
    keep_gaps = list(gap_c)
    dropped: set[int] = set()
    keep_align = []
    for a in align_c:
        if id(a) in dropped:
            continue
        (i,) = a.elements
        around = [g for g in keep_gaps if i in g.elements and "expected_px" in g.finding.metrics]
        devs = [g.finding.metrics["gap_px"] - g.finding.metrics["expected_px"] for g in around]
        beside = [g for g in gaps if i in (g.a, g.b) and g.expected is not None]
        if not around and _upstream_gap(a, keep_gaps, elements):
            continue
        if a.twin:
            # of two same-size elements in a column, the moved one has a gap off its rhythm
            # (even by less than a gap finding needs)
            if not any(abs(g.px - g.expected) >= 2 for g in beside):
                continue
        elif len(around) == 1:
            m = a.finding.metrics
            same_shift = [
                o
                for o in align_c
                if o is not a
                and o.finding.metrics["edge"] == m["edge"]
                and o.finding.metrics["miss_px"] == m["miss_px"]
            ]
            axis = around[0].finding.metrics["axis"]
            steady = [g for g in beside if g.axis == axis and abs(g.px - g.expected) <= 1]
            if same_shift or steady or _resized(a, elements):
                dropped.update(id(o) for o in same_shift)
                continue
        if len(around) == 1 or (len(around) == 2 and devs[0] * devs[1] < 0):
            for g in around:
                keep_gaps.remove(g)
        shown = [g for g in beside if abs(g.px - g.expected) >= 2]
        if shown:
            listed = " and ".join(f"{g.px} px" for g in shown)
            a.finding.evidence += (
                f"; its gaps are {listed} where the rhythm is {shown[0].expected} px"
            )
            # its gaps agree with its edge: two measures say the same
            if a.finding.severity == "info":
                a.finding.severity = "minor"
        keep_align.append(a)
    return keep_gaps, keep_align
