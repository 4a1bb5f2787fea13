"""The primary action: two or more buttons side by side filled alike, so none leads.

Alike is as loud against the background and in the same colour.
"""

from __future__ import annotations

from typing import cast

import numpy as np

from uireview.findings import Finding
from uireview.screen import Screen
from uireview.screen.elements import Element

# the tallest box that is a button (a label and its padding)
MAX_HEIGHT = 72
# fills within this channel distance are one colour
SAME_FILL = 40


def _same_fill(a, b) -> bool:
    if a is None or b is None:
        return False
    return max(abs(int(p) - int(q)) for p, q in zip(a, b, strict=True)) <= SAME_FILL


def _same_height(a: Element, b: Element) -> bool:
    return abs(a.box.height - b.box.height) <= max(2, 0.1 * b.box.height)


def _finding(screen: Screen, **kw) -> Finding:
    return Finding(source="measured", category="hierarchy", image=screen.index, **kw)


def _emphasis(e: Element, background) -> float:
    """How loudly a button's fill stands off its background (0 for an outline button)."""
    fill = np.asarray(e.fill or background, float)
    bg = np.asarray(background, float)
    dist = np.abs(fill - bg).max()
    sat = (fill.max() - fill.min()) / 255
    return float(dist / 255 + sat)


def button_findings(screen: Screen, elements: list[Element]) -> list[tuple[float, Finding]]:
    out = []
    # a filled box taller than a button holds more than a label: a coloured card
    buttons = [
        i for i, e in enumerate(elements) if e.kind == "button" and e.box.height <= MAX_HEIGHT
    ]
    groups: list[list[int]] = []
    for i in sorted(buttons, key=lambda i: (elements[i].parent or -1, elements[i].box.x0)):
        b = elements[i].box
        if groups:
            last = elements[groups[-1][-1]]
            near = 0 <= b.x0 - last.box.x1 <= 3 * b.height
            same_row = abs(last.box.y0 - b.y0) <= 4 and last.parent == elements[i].parent
            if near and same_row:
                groups[-1].append(i)
                continue
        groups.append([i])
    for g in groups:
        if len(g) < 2:
            continue
        parent = elements[g[0]].parent
        # a parent without a flat fill (an image, a gradient) has no colour to stand off
        background = (elements[parent].fill if parent is not None else None) or _page_bg(screen)
        emph = {i: _emphasis(elements[i], background) for i in g}
        loud = sorted(g, key=lambda i: -emph[i])
        first, second = loud[0], loud[1]
        if emph[second] < 0.3 or emph[second] < 0.85 * emph[first]:
            continue
        # filled alike: as loud, in the same colour and of one size (a row of differently
        # coloured buttons is a set of distinct actions, or a catalogue of styles; small,
        # default and large side by side are a catalogue of sizes)
        equal = [
            i
            for i in g
            if emph[i] >= 0.85 * emph[first]
            and _same_fill(elements[i].fill, elements[first].fill)
            and _same_height(elements[i], elements[first])
        ]
        if len(equal) < 2:
            continue
        out.append(
            (
                1.5,
                _finding(
                    screen,
                    severity="major",
                    title=f"{len(equal)} buttons look equally primary",
                    detail=(
                        f"{len(equal)} buttons side by side are filled alike "
                        f"(emphasis {', '.join(f'{emph[i]:.2f}' for i in equal)}), so none "
                        "reads as the main action."
                    ),
                    suggestion="Keep one filled button for the main action; make the others "
                    "outline or text buttons.",
                    box=elements[equal[0]].box,
                    related=[elements[i].box for i in equal[1:]],
                    evidence=f"{len(equal)} filled buttons with emphasis within 15%",
                    metrics={"buttons": len(equal), "emphasis": [round(emph[i], 2) for i in g]},
                    rule="hierarchy.primary_action",
                ),
            )
        )
    return out


def _page_bg(screen: Screen) -> tuple[int, int, int]:
    edge = np.concatenate([screen.rgb[0], screen.rgb[-1]])
    return cast(tuple[int, int, int], tuple(int(v) for v in np.median(edge, axis=0)))
