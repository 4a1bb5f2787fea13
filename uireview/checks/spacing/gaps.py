"""spacing.gap_rhythm: a gap between like siblings (cards in a row, inputs in a column,
table rows) that differs from the gap most of the others share."""

from __future__ import annotations

from dataclasses import dataclass, replace

from uireview.checks.spacing.siblings import (
    Candidate,
    covers,
    density_of,
    kind_of,
    mode,
    overlap,
    siblings,
)
from uireview.findings import Box, Finding, Severity
from uireview.screen import Screen
from uireview.screen.elements import Element

MIN_GAP_DEVIATION_PX = 3
# a gap this many times the rhythm (plus 16 px) separates groups; it does not break one
MAX_GAP_RATIO = 2.5

RHYTHM_KINDS = ("card", "button", "input", "divider", "field")
# boxes whose kind their insides decide (one line of text in a box reads as an input)
BOXED = ("card", "button", "input")
MIN_CARD_PX = 32  # an image read as one of them is at least this tall and twice as wide (1x)
# A gap after a help line runs from ink to ink: the small line's descender room and line
# padding add a few px (3-4 on the templates we measured) that a gap from an input's edge
# lacks. It is compared with the fields' rhythm, allowed this much more.
HELP_SLACK_PX = 6
# A gap to or from a form's other blocks (a checkbox, a button) runs to a box's edge, not to
# a label's ink a few px in, so it is naturally a little shorter than the fields' gaps; it
# is only reported when it is wider than them by this much more than a field gap may be.
WITNESS_SLACK_PX = 3


@dataclass
class Gap:
    a: int  # element indices, a before b along the axis
    b: int
    axis: str  # "x": side by side, "y": stacked
    px: int
    kind: str
    box: Box
    expected: int | None = None  # the rhythm this gap belongs to, once known


def gaps_of(elements: list[Element]) -> list[Gap]:
    """Gaps between neighbouring siblings of one kind (side by side: also of one height)."""
    out: list[Gap] = []
    density = density_of(elements)
    elements = _with_overhangs(elements)
    for members in siblings(elements).values():
        by_kind: dict[str, list[int]] = {}
        # an image the size of a sibling box is one of them (a dark gradient alert among
        # light ones, read as an image), in a stack only: side by side, a chart the size of
        # a card is a card's content whose own faint box was not read, and its gap is not
        # the cards' gutter
        stacked_only: set[int] = set()
        kinds = [kind_of(elements[i], density) for i in members]
        cards = [elements[i].box for i, k in zip(members, kinds, strict=True) if k == "card"]
        fields = [elements[i].box for i, k in zip(members, kinds, strict=True) if k == "field"]
        boxed = [(i, k) for i, k in zip(members, kinds, strict=True) if k in BOXED]
        for i, kind in zip(members, kinds, strict=True):
            if kind == "input" and any(covers(f, elements[i].box) for f in fields):
                continue  # a field's own input: the gap is the field's (``forms``)
            # a box the size of a sibling card is one of them, whatever it holds: a collapsed
            # accordion item holding one label reads as a button, an open one as a card; a
            # dark gradient alert reads as an image between its lighter siblings
            if kind == "button" and any(_same_size(elements[i].box, c) for c in cards):
                kind = "card"
            elif kind in ("button", "input") and any(
                _same_column(elements[i].box, c) for c in cards
            ):
                # a stack of one width: alerts of one line read as buttons or inputs (a box
                # with one line of text), of two lines as cards
                kind = "card"
                stacked_only.add(i)
            elif kind == "image":
                # an icon the size of a small badge is an icon still: an image must be card-sized
                b = elements[i].box
                like = [k for j, k in boxed if _same_size(b, elements[j].box)]
                if like and min(b.width / 2, b.height) >= MIN_CARD_PX * density:
                    kind = like[0]
                    stacked_only.add(i)
            if kind in RHYTHM_KINDS:
                by_kind.setdefault(kind, []).append(i)
        blockers = [i for i in members if elements[i].is_container]
        for kind, idx in by_kind.items():
            if kind == "divider":
                # a table's rules keep a rhythm down the page; dashes of a chart's grid
                # side by side, or its vertical ticks, do not make one
                idx = [
                    i for i in idx if elements[i].box.width >= max(48, 4 * elements[i].box.height)
                ]
                out.extend(_runs(elements, idx, "y", kind, blockers))
                continue
            for axis in ("x", "y"):
                run = [i for i in idx if axis == "y" or i not in stacked_only]
                out.extend(_runs(elements, run, axis, kind, blockers))
    return out


def _with_overhangs(elements: list[Element], most: int = 6) -> list[Element]:
    """The elements, each box grown over what of its children pokes a few px out of it.

    A box whose content reads past it was read too small (a gradient's faint edge): the
    gap runs from its content. Thin lines along its edge (a border, a shadow) do not grow
    it (see ``_edge_line``).
    """
    grown = [e.box for e in elements]
    for e in elements:
        # a table row's box is drawn from its rules' pitch, not from ink
        if e.parent is None or _edge_line(e) or e.kind == "row":
            continue
        p, b = grown[e.parent], e.box
        out = max(p.x0 - b.x0, p.y0 - b.y0, b.x1 - p.x1, b.y1 - p.y1)
        if 0 < out <= most:
            grown[e.parent] = p.union(b)
    return [e if g == e.box else replace(e, box=g) for e, g in zip(elements, grown, strict=True)]


def _edge_line(e: Element) -> bool:
    """A line or band 6 px thin or less: a border or shadow drawn along a box's edge."""
    return min(e.box.width, e.box.height) <= 6


def _same_column(a: Box, b: Box) -> bool:
    """One width at one left edge, one above the other: blocks of one stack."""
    return (
        abs(a.x0 - b.x0) <= 2
        and abs(a.width - b.width) <= 2
        and overlap(a.y0, a.y1, b.y0, b.y1) <= 0
    )


def _same_size(a: Box, b: Box) -> bool:
    return abs(a.width - b.width) <= 2 and abs(a.height - b.height) <= 2


def _runs(elements, idx, axis, kind, blockers) -> list[Gap]:
    out = []
    key = (lambda i: elements[i].box.x0) if axis == "x" else (lambda i: elements[i].box.y0)
    for i in idx:
        a = elements[i].box
        # the nearest like sibling after this one along the axis, in line with it
        best = None
        for j in idx:
            if j == i:
                continue
            b = elements[j].box
            if axis == "x":
                aligned = overlap(a.y0, a.y1, b.y0, b.y1) >= 0.5 * min(a.height, b.height)
                same = abs(a.height - b.height) <= max(2, 0.05 * a.height)
                gap = b.x0 - a.x1
            else:
                aligned = overlap(a.x0, a.x1, b.x0, b.x1) >= 0.5 * min(a.width, b.width)
                same = True  # stacked blocks of different widths still keep one rhythm
                gap = b.y0 - a.y1
            if aligned and same and gap >= 0 and (best is None or gap < best[1]):
                best = (j, gap)
        if best is None:
            continue
        j, gap = best
        b = elements[j].box
        if axis == "x":
            y0, y1 = max(a.y0, b.y0), min(a.y1, b.y1)
            box = Box(a.x1, y0, b.x0, y1)
        else:
            x0, x1 = max(a.x0, b.x0), min(a.x1, b.x1)
            box = Box(x0, a.y1, x1, b.y0)
        # neighbours only: another sibling standing in the gap makes it two gaps, not one;
        # and a gap holding anything (a label, a paragraph, an icon) is not empty space
        if gap > 0 and any(k not in (i, j) and elements[k].box.intersection(box) for k in blockers):
            continue
        if gap > 0 and kind != "divider" and _occupied(elements, box, (i, j)):
            continue
        out.append(Gap(i, j, axis, gap, kind, box))
    out.sort(key=lambda g: key(g.a))
    return out


def _occupied(elements, gap: Box, pair) -> bool:
    """Whether any element other than the pair (and what holds them) reaches into the gap."""
    for k, e in enumerate(elements):
        if k in pair or e.kind == "row":
            continue
        hit = e.box.intersection(gap)
        if hit is None or (e.parent in pair and _edge_line(e)):
            continue
        # something that spans the whole gap holds the pair (a card, a page-sized blob)
        if not covers(e.box, gap):
            return True
    return False


def gap_findings(
    screen: Screen,
    elements,
    gaps: list[Gap],
    witnesses: frozenset[int] = frozenset(),
    helped: frozenset[int] | set[int] = frozenset(),
) -> list[Candidate]:
    """Gaps off the rhythm their like gaps keep. A gap touching a ``witnesses`` element
    (its top is a box, the fields' is ink) or following a ``helped`` field (ink to ink)
    counts towards the rhythm only when the fields alone have none, and is reported only
    when it is off by more than the way it is measured explains (``WITNESS_SLACK_PX``,
    ``HELP_SLACK_PX``)."""

    def plain(g: Gap) -> bool:
        return g.a not in witnesses and g.b not in witnesses and g.a not in helped

    out = []
    # a rhythm is kept among the children of one container (buttons in a toolbar and in a
    # dialog may differ); a container with too few gaps borrows from its other axis, then
    # from like gaps elsewhere on the screen
    pools: dict[tuple, list[Gap]] = {}
    for g in gaps:
        pools.setdefault((g.kind, g.axis, elements[g.a].parent), []).append(g)
        pools.setdefault((g.kind, g.axis, "screen"), []).append(g)
    modes = {}
    witness_only: set[tuple] = set()  # rhythms set by two field gaps: judge the rest only
    for key, pool in pools.items():
        # the fields' own gaps first: a witness's gap runs to a box, theirs to a label's
        # ink, a few px further; witnesses count when the fields alone have no rhythm
        own = [g.px for g in pool if plain(g)]
        # then the fields' gaps with those after help lines (a form where every field has
        # one), then every gap
        field_px = [g.px for g in pool if g.a not in witnesses and g.b not in witnesses]
        for values in (own, field_px, [g.px for g in pool]):
            if len(values) < 3:
                # two field gaps that agree set the rhythm the form's other blocks (its
                # checkbox, its button) are judged against
                judged = [g for g in pool if g.a in witnesses or g.b in witnesses]
                if key[0] == "field" and values is own and len(own) == 2 and judged:
                    if abs(own[0] - own[1]) <= 2:
                        modes[key] = (min(own), 2)
                        witness_only.add(key)
                        break
                continue
            # a field's edges are ink (a label's glyphs), which wobble by a pixel or two
            tolerance = 2 if key[0] == "field" else 1
            expected, n = mode(values, tolerance)
            # a gap a pixel further off still keeps the rhythm (16, 16, 18, 16 px: a
            # shadow's edge): most gaps must, for one that does not to stand out
            keep = sum(1 for v in values if abs(v - expected) <= tolerance + 1)
            if n >= 2 and keep >= 0.6 * len(values):
                modes[key] = (expected, n)
                break
    for (kind, axis, parent), pool in pools.items():
        if parent == "screen":
            continue
        if (kind, axis, parent) in modes:
            expected, n = modes[(kind, axis, parent)]
        else:
            if len(pool) < 2:
                continue
            # too few gaps here to have a rhythm: borrow one that a gap here keeps
            # (16 and 25 px side by side, 16 px everywhere stacked)
            other = modes.get((kind, "y" if axis == "x" else "x", parent)) or modes.get(
                (kind, axis, "screen")
            )
            if other is None:
                # a witness's gap runs to a box, the fields' to a label's ink: compare the
                # fields' own gaps
                fields = [g for g in pool if g.a not in witnesses and g.b not in witnesses]
                if len(fields) > 2:
                    # a third gap after a help line: the two measured alike tell more
                    fields = [g for g in fields if g.a not in helped]
                out += _pair_finding(screen, elements, fields, kind, axis, helped)
                continue
            expected = other[0]
            local = sum(1 for g in pool if abs(g.px - expected) <= (2 if kind == "field" else 1))
            if not local:
                continue
            n = max(other[1], local)
        for g in pool:
            dev = g.px - expected
            g.expected = expected
            least = _least(kind, expected)
            # how far the way this gap is measured lets it differ (see the slacks above)
            if g.a in witnesses or g.b in witnesses:
                low, high = float("inf"), least + WITNESS_SLACK_PX
            elif (kind, axis, parent) in witness_only:
                continue
            elif g.a in helped:
                low, high = least, least + HELP_SLACK_PX
            else:
                low, high = least, least
            if -low < dev < high:
                continue
            slack = high - least if dev > 0 else 0
            if g.px > MAX_GAP_RATIO * expected + 16:
                continue  # sections apart, not one rhythm broken
            what = _WHAT
            others = n
            side = "side by side" if axis == "x" else "stacked"
            severity: Severity = "major" if abs(dev) - slack >= 8 else "minor"
            # two or more gaps off the rhythm by one same amount are a second rhythm (fields
            # paired in rows that stack on a phone: 31, 19, 31, 19 px), not one gap gone
            # wrong: which of the two is meant is the designer's call
            tol = 2 if kind == "field" else 1
            if any(h is not g and abs(h.px - g.px) <= tol for h in pool):
                severity = "info"
            f = Finding(
                source="measured",
                category="spacing",
                severity=severity,
                title=f"Uneven gap between {what[kind]}",
                detail=(
                    f"Two {what[kind]} {side} are {g.px} px apart where the other "
                    f"{others} such gaps on this screen are {expected} px."
                ),
                suggestion=f"Set this gap to {expected} px to keep the rhythm.",
                image=screen.index,
                box=g.box,
                related=[elements[g.a].box, elements[g.b].box],
                evidence=f"gap {g.px} px; the other {others} gaps are {expected} px",
                metrics={"gap_px": g.px, "expected_px": expected, "axis": axis, "kind": kind},
                rule="spacing.gap_rhythm",
            )
            out.append(Candidate(abs(dev) / max(expected, 4) + 0.5, f, {g.a, g.b}))
    return out


def _least(kind: str, expected: int) -> float:
    """The smallest deviation from the rhythm that is reported (a field's label is ink, whose
    edge wobbles by a pixel or two more than a box's)."""
    return max(MIN_GAP_DEVIATION_PX + (2 if kind == "field" else 0), 0.12 * expected)


_WHAT = {
    "card": "cards",
    "button": "buttons",
    "input": "fields",
    "divider": "rows",
    "field": "form fields",
}


def _pair_finding(
    screen: Screen, elements, pool: list[Gap], kind, axis, helped=frozenset()
) -> list[Candidate]:
    """Three like elements in one row (or column) whose two gaps clearly differ.

    With two gaps and no rhythm elsewhere to compare with, which one is off is the
    designer's call: the finding names both and boxes the stretch that holds them.
    """
    if len(pool) != 2:
        return []
    g1, g2 = sorted(pool, key=lambda g: (g.box.x0, g.box.y0))
    if g1.b != g2.a:
        return []  # not one chain of three
    small, large = sorted((g1.px, g2.px))
    # one gap after a help line and one not: ink to ink is a few px wider by itself
    slack = HELP_SLACK_PX if (g1.a in helped) != (g2.a in helped) else 0
    if large - small < max(8, 0.3 * small) + slack:
        return []
    if large > MAX_GAP_RATIO * small + 16:
        return []  # sections apart (a row without its badge between), not one rhythm
    side = "side by side" if axis == "x" else "stacked"
    box = g1.box.union(g2.box)
    f = Finding(
        source="measured",
        category="spacing",
        severity="minor",
        title=f"Uneven gaps between {_WHAT[kind]}",
        detail=(
            f"Three {_WHAT[kind]} {side} are {g1.px} px and {g2.px} px apart; like elements "
            "in one row or column usually keep one gap."
        ),
        suggestion=f"Use one gap for both (the page's usual gutter, or {small} px).",
        image=screen.index,
        box=box,
        related=[g1.box, g2.box],
        evidence=f"gaps {g1.px} px and {g2.px} px in one run of three",
        metrics={"gaps_px": [g1.px, g2.px], "axis": axis, "kind": kind},
        rule="spacing.gap_rhythm",
    )
    return [Candidate(0.5 + (large - small) / max(large, 4), f, {g1.a, g1.b, g2.b})]
