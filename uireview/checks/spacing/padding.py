"""spacing.padding: a card whose content is inset differently from its siblings'."""

from __future__ import annotations

from uireview.checks.spacing.siblings import Candidate, mode, siblings
from uireview.findings import Box, Finding
from uireview.screen import Screen
from uireview.screen.elements import Element

MIN_PADDING_DEVIATION_PX = 4
# an inset this many times the usual (plus 16 px) is content placed elsewhere, not padding
MAX_PADDING_RATIO = 2


def _inset(elements: list[Element], i: int) -> Box | None:
    """The box of what a card's padding holds: its children, less the lines and bands that
    run edge to edge (a header's rule, a table) and specks (a photo's texture)."""
    card = elements[i].box
    specks = sum(1 for e in elements if e.parent == i and e.kind == "image" and e.box.area < 400)
    if specks >= 5:
        return None  # a photo behind the content (a credit card's texture): no inset to read
    boxes = [
        e.box
        for e in elements
        if e.parent == i
        and e.kind not in ("divider", "row")
        and e.box.width < 0.9 * card.width
        and e.box.area >= 64
    ]
    if not boxes:
        return None
    out = boxes[0]
    for b in boxes[1:]:
        out = out.union(b)
    return out


def padding_findings(screen: Screen, elements: list[Element]) -> list[Candidate]:
    out = []
    # a card the screen's edge cuts is not whole: its height says nothing of its siblings
    insets = {
        i: _inset(elements, i)
        for i, e in enumerate(elements)
        if e.kind == "card" and e.box.y1 < screen.height - 1 and e.box.x1 < screen.width - 1
    }
    for members in siblings(elements).values():
        cards = [i for i in members if elements[i].kind == "card" and insets.get(i)]
        groups: list[list[int]] = []
        for i in sorted(cards, key=lambda i: elements[i].box.height):
            h = elements[i].box.height
            if groups and abs(elements[groups[-1][0]].box.height - h) <= max(4, 0.05 * h):
                groups[-1].append(i)
            else:
                groups.append([i])
        for group in groups:
            if len(group) < 3:
                continue
            pads: dict[int, tuple[int, int]] = {}
            for i in group:
                content = insets[i]
                assert content is not None  # cards were picked for having content
                pads[i] = (content.x0 - elements[i].box.x0, content.y0 - elements[i].box.y0)
            left, nl = mode([p[0] for p in pads.values()], 2)
            top, nt = mode([p[1] for p in pads.values()], 2)
            for i, (pl, pt) in pads.items():
                dl, dt = pl - left, pt - top
                content = insets[i]
                assert content is not None
                # content centred in its card: the left inset follows the content's width
                if abs((elements[i].box.x1 - content.x1) - pl) <= 2:
                    dl = 0
                off = [
                    (name, v, want)
                    for name, v, want, d, n in (
                        ("left", pl, left, dl, nl),
                        ("top", pt, top, dt, nt),
                    )
                    if abs(d) >= MIN_PADDING_DEVIATION_PX
                    and n >= 2
                    and n >= 0.6 * len(group)
                    # content far beyond the usual inset is placed there (centred, pushed
                    # right), not padded: no padding to compare
                    and v <= MAX_PADDING_RATIO * want + 16
                ]
                if not off:
                    continue
                words = ", ".join(f"{name} {v} px (others {want} px)" for name, v, want in off)
                name, v, want = off[0]
                # said, not pressed, unless three or more siblings agree on the padding
                agree = min(nl if side == "left" else nt for side, _, _ in off)
                f = Finding(
                    source="measured",
                    category="spacing",
                    severity="minor" if agree >= 3 else "info",
                    title="Padding differs from the sibling cards",
                    detail=f"This card's content is inset {words}.",
                    suggestion=f"Use the same padding as its siblings ({left} px left, "
                    f"{top} px top).",
                    image=screen.index,
                    box=elements[i].box,
                    related=[elements[j].box for j in group if j != i][:4],
                    evidence=f"padding {words}",
                    metrics={
                        "padding_px": v,
                        "expected_px": want,
                        "side": name,
                        "padding_left_px": pl,
                        "padding_top_px": pt,
                    },
                    rule="spacing.padding",
                )
                dev = max(abs(dl), abs(dt))
                out.append(Candidate(0.5 + dev / 16, f, {i}))
    return out
