"""Visual hierarchy: text size levels, the page title against the body, the primary action.

Text lines come from ``screen.text_regions``. Each line's size is measured from its pixels as
the height from the top of its ink to its baseline (descenders and commas are sparse rows and
are left out), so "14 px" here is the ascender height of the line, about 0.75 of the font
size. Weight is the mean stroke width (2 x ink / outline pixels) relative to that size.

Rules:
  hierarchy.flat            fewer than two size levels, or the largest text < 1.25 x the body
  hierarchy.heading         the page title (the first line alone on its row in the top
                            quarter, outside panels and buttons; past a breadcrumb) is
                            < 1.25 x the body and not bolder
  hierarchy.primary_action  two or more buttons in one group are filled alike, so none reads
                            as the primary action
  hierarchy.focus           two separate texts share the top salience (size x weight x
                            contrast x colour): competing focal points

Options: ``MIN_RATIO`` (1.25), ``LEVEL_STEP`` (sizes within 12% are one level).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import numpy as np

from uireview.findings import Box, Finding
from uireview.screen import Screen
from uireview.screen.elements import Element

MIN_RATIO = 1.25
LEVEL_STEP = 1.12
BOLDER = 1.2
MAX_FINDINGS = 8
# texts whose salience is within this share of the top one compete for the eye
FOCUS_SHARE = 0.88
# only headings this many times the body size compete (smaller ones are card titles, labels)
FOCUS_MIN_RATIO = 1.5


@dataclass
class Line:
    box: Box
    size: int  # ascender-to-baseline height of the ink, px
    weight: float  # stroke width / size
    colour: tuple[int, int, int]
    contrast: float  # max channel distance between ink and background


def measure_line(rgb: np.ndarray, box: Box) -> Line | None:
    """Size, weight and colour of one text line from its pixels."""
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
    size = int(filled[-1] - top + 1)
    if size < 4:
        return None
    inner = ink[1:-1, 1:-1] & ink[:-2, 1:-1] & ink[2:, 1:-1] & ink[1:-1, :-2] & ink[1:-1, 2:]
    outline = max(int(ink.sum() - inner.sum()), 1)
    stroke = 2 * ink.sum() / outline
    colour = cast(tuple[int, int, int], tuple(int(v) for v in np.median(crop[ink], axis=0)))
    return Line(box, size, float(stroke / size), colour, float(peak))


def _levels(lines: list[Line]) -> list[tuple[int, float]]:
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
        (int(np.median([ln.size for ln in g])), sum(ln.box.width for ln in g) / total)
        for g in groups
    ]


def _same_row(a: Box, b: Box) -> bool:
    """Whether two text boxes share a row (detection pads boxes, so a sliver does not count)."""
    return min(a.y1, b.y1) - max(a.y0, b.y0) > 0.5 * min(a.height, b.height)


def _inside(box: Box, outer: Box) -> bool:
    cx, cy = box.center
    return outer.x0 <= cx < outer.x1 and outer.y0 <= cy < outer.y1


def _longest_run(flags: np.ndarray) -> int:
    """Length of the longest run of True values in a 1-d boolean array."""
    padded = np.concatenate([[False], flags, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return int((edges[1::2] - edges[::2]).max()) if len(edges) else 0


def _edge_bars(rgb: np.ndarray) -> tuple[int, int]:
    """Right edge of a side bar and bottom edge of a top bar, from the pixels (0: none).

    A bar's border is one unbroken colour change at one x (or y) along almost the whole
    screen's height (or the content's width); cards never draw one that long, because the
    gaps between them break it.
    """
    h, w = rgb.shape[:2]
    img = rgb.astype(np.int16)
    step = np.abs(img[:, 2:] - img[:, :-2]).max(axis=2) > 6
    side = 0
    for x in range(int(0.04 * w), int(0.35 * w)):
        if step[:, x].mean() >= 0.8 and _longest_run(step[:, x]) >= 0.8 * h:
            side = x + 2
            break
    step = np.abs(img[2:, side:] - img[:-2, side:]).max(axis=2) > 6
    for y in range(int(0.03 * h), int(0.12 * h)):
        if step[y].mean() >= 0.85 and _longest_run(step[y]) >= 0.85 * (w - side):
            return side, y + 2
    return side, 0


def content_area(rgb: np.ndarray, elements: list[Element]) -> Box:
    """The screen without its side navigation and top bar, where a page's own title sits.

    A side bar is a container at the left edge, most of the screen tall and under a third
    of it wide, or a border that long (see ``_edge_bars``); a top bar a container at the
    top edge, most of the screen wide and short, or such a border.
    """
    height, width = rgb.shape[:2]
    x0, y0 = _edge_bars(rgb)
    boxes = [e.box for e in elements if e.kind in ("panel", "card") and e.depth == 0]
    for b in boxes:
        if b.x0 <= 0.03 * width and b.height >= 0.6 * height and b.width <= 0.35 * width:
            x0 = max(x0, b.x1)
    for b in boxes:
        wide = b.width >= 0.5 * (width - x0) and b.x1 > x0
        if b.y0 <= 0.03 * height and wide and b.height <= 0.15 * height:
            y0 = max(y0, b.y1)
    return Box(x0, y0, width, height)


def _page_title(
    lines: list[Line], elements: list[Element], rgb: np.ndarray, body: int | None = None
) -> Line | None:
    """The line a designer would call the page title, or None when there is no such line.

    It sits at the top of the content area (not in the side navigation or the top bar):
    the most salient line above the first large card, or, when the page starts with
    cards, in the first card's header. Text inside buttons, inputs and badges is not a
    title; icons read as text (about as wide as tall) are not either.
    """
    height = rgb.shape[0]
    body = body or body_size(lines)
    area = content_area(rgb, elements)
    excluded = [e.box for e in elements if e.kind in ("button", "input")]
    cands = [
        ln
        for ln in lines
        if _inside(ln.box, area)
        and ln.box.y0 < area.y0 + 0.35 * (area.y1 - area.y0)
        and ln.box.width >= 2 * ln.box.height
        and not any(_inside(ln.box, b) for b in excluded)
    ]
    if not cands:
        return None
    big = [
        e.box
        for e in elements
        if e.kind in ("card", "panel")
        and _inside(e.box, area)
        and e.box.width >= min(120, 0.3 * area.width)
        and e.box.height >= 48
    ]
    first = min((b.y0 for b in big), default=height)
    band = [ln for ln in cands if ln.box.y1 <= first + 2]
    if not band:
        header = min((b for b in big if b.y0 == first), key=lambda b: b.x0)
        band = [ln for ln in cands if _inside(ln.box, header) and ln.box.y0 < header.y0 + 80]
    body_lines = [ln for ln in lines if abs(ln.size - body) <= body * (LEVEL_STEP - 1)]
    body_sal = float(np.median([_salience(ln) for ln in body_lines])) if body_lines else 0.0
    body_weight = float(np.median([ln.weight for ln in body_lines])) if body_lines else 0.1
    if band:
        top = max(_salience(ln) for ln in band)
        # of lines about as salient, the first one down the page leads
        lead = min((ln for ln in band if _salience(ln) >= 0.9 * top), key=lambda ln: ln.box.y0)
        if lead.size >= MIN_RATIO * body or lead.weight >= BOLDER * body_weight:
            return lead
    # nothing up there stands out: the title, if any, is the first line at least as strong
    # as the body text (an eyebrow line just above a larger one gives way to it)
    strong = sorted(
        (ln for ln in cands if _salience(ln) >= 0.9 * body_sal), key=lambda ln: ln.box.y0
    )
    if not strong:
        return None
    first_line = strong[0]
    for ln in strong[1:2]:
        if (
            ln.box.y0 - first_line.box.y1 <= 2.5 * first_line.box.height
            and ln.size > first_line.size
        ):
            return ln
    return first_line


def page_title(screen: Screen) -> Box | None:
    """The box of the line the hierarchy check takes for the page title, if any."""
    title = _page_title(text_lines(screen), screen.elements, screen.rgb)
    return title.box if title is not None else None


def body_size(lines: list[Line]) -> int:
    """The size level most of the text width is set in (0 with no text)."""
    if not lines:
        return 0
    return max(_levels(lines), key=lambda lv: lv[1])[0]


def _finding(screen, **kw) -> Finding:
    return Finding(source="measured", category="hierarchy", image=screen.index, **kw)


def _text_findings(screen: Screen, lines: list[Line], elements) -> list[tuple[float, Finding]]:
    out: list[tuple[float, Finding]] = []
    if len(lines) < 4:
        return out
    levels = _levels(lines)
    body = max(levels, key=lambda lv: lv[1])[0]
    body_lines = [ln for ln in lines if abs(ln.size - body) <= body * (LEVEL_STEP - 1)]
    body_weight = float(np.median([ln.weight for ln in body_lines])) if body_lines else 0.1
    largest = max(lines, key=lambda ln: (ln.size, ln.weight))
    sizes = [lv[0] for lv in levels]
    ratio = largest.size / body
    metrics = {
        "levels": sizes,
        "heading_px": largest.size,
        "body_px": body,
        "ratio": round(ratio, 2),
    }
    title = _page_title(lines, elements, screen.rgb, body)
    if len(levels) < 2 or ratio < MIN_RATIO:
        # point at what should lead: the page title when there is one
        lead = title if title is not None else largest
        out.append(
            (
                2.0,
                _finding(
                    screen,
                    severity="major",
                    title="Flat hierarchy: no text stands out",
                    detail=(
                        f"The largest text is {largest.size} px against {body} px body text "
                        f"({ratio:.2f}x); text sizes form {len(levels)} level(s)."
                    ),
                    suggestion="Make the main heading at least 1.5x the body size, or bolder.",
                    box=lead.box,
                    related=[largest.box] if lead is not largest else [],
                    evidence=f"levels {sizes} px; largest {largest.size} px vs body {body} px",
                    metrics=metrics,
                    rule="hierarchy.flat",
                ),
            )
        )
        return out
    if title is not None:
        t_ratio = title.size / body
        w_ratio = title.weight / max(body_weight, 1e-6)
        if t_ratio < MIN_RATIO and w_ratio < BOLDER:
            # stroke width tells bold from regular only roughly: a title a little heavier
            # than the body may be bold at body size, a choice rather than a slip
            sure = w_ratio < 1.0
            out.append(
                (
                    1.8 if sure else 0.3,
                    _finding(
                        screen,
                        severity="major" if sure else "info",
                        title="The page title looks like body text",
                        detail=(
                            f"The title is {title.size} px and as heavy as the {body} px body "
                            f"({t_ratio:.2f}x); elsewhere text reaches {largest.size} px, so "
                            "the title does not lead."
                        ),
                        suggestion=f"Set the title at {round(body * 1.75)} px or more "
                        "(ascender height) and semibold.",
                        box=title.box,
                        related=[largest.box],
                        evidence=f"title {title.size} px, body {body} px, ratio {t_ratio:.2f}",
                        metrics={
                            **metrics,
                            "title_px": title.size,
                            "title_ratio": round(t_ratio, 2),
                            "weight_ratio": round(w_ratio, 2),
                        },
                        rule="hierarchy.heading",
                    ),
                )
            )
    return out


def _emphasis(e: Element, background) -> float:
    """How loudly a button's fill stands off its background (0 for an outline button)."""
    fill = np.asarray(e.fill or background, float)
    bg = np.asarray(background, float)
    dist = np.abs(fill - bg).max()
    sat = (fill.max() - fill.min()) / 255
    return float(dist / 255 + sat)


def _button_findings(screen: Screen, elements: list[Element]) -> list[tuple[float, Finding]]:
    out = []
    buttons = [i for i, e in enumerate(elements) if e.kind == "button"]
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
        equal = [i for i in g if emph[i] >= 0.85 * emph[first]]
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


def _salience(ln: Line) -> float:
    """How strongly a line draws the eye: size, stroke weight, contrast and colour."""
    r, g, b = ln.colour
    saturation = (max(r, g, b) - min(r, g, b)) / 255
    return ln.size * (1 + ln.weight) * (0.4 + 0.6 * ln.contrast / 255) * (1 + 0.3 * saturation)


def _focus_findings(screen: Screen, lines: list[Line], body: int) -> list[tuple[float, Finding]]:
    """Two separate headings of one size and weight, each alone, both 1.5x the body or more.

    Only real text blocks take part: lines inside buttons, inputs and badges, and icons read
    as text (about as wide as tall) do not. A set of equal items (KPI values in a row, card
    titles down one column) is one pattern, not competing focal points.
    """
    if len(lines) < 4:
        return []
    excluded = [e.box for e in screen.elements if e.kind in ("button", "input")]
    words = [
        ln
        for ln in lines
        if ln.box.width >= 3 * ln.size
        and ln.size >= FOCUS_MIN_RATIO * body
        and not any(_inside(ln.box, b) for b in excluded)
    ]
    if len(words) < 2:
        return []
    top = max(_salience(ln) for ln in words)
    lead = [ln for ln in words if _salience(ln) >= FOCUS_SHARE * top]
    if len(lead) != 2:
        # one lead; or three and more alike: a repeated component, not two rival leads
        return []
    # one row, or one column edge, makes a set
    for a in lead:
        for b in lead:
            if a is not b and (_same_row(a.box, b.box) or abs(a.box.x0 - b.box.x0) <= 3):
                return []
    lead.sort(key=lambda ln: (ln.box.y0, ln.box.x0))
    a, b = lead[0], lead[1]
    sizes = [ln.size for ln in lead]
    # the sentence says they share the size: it must be true
    if max(sizes) > LEVEL_STEP * min(sizes):
        return []
    weights = [ln.weight for ln in lead]
    if max(weights) > BOLDER * min(weights):
        return []
    return [
        (
            1.0,
            _finding(
                screen,
                severity="minor",
                title="Competing focal points",
                detail=(
                    f"{len(lead)} separate headings share the top size "
                    f"({' and '.join(f'{n} px' for n in sizes)}, body {body} px) and weight, "
                    "so the eye has no single place to start."
                ),
                suggestion="Let one element lead: shrink or lighten the others.",
                box=a.box,
                related=[ln.box for ln in lead[1:4]],
                evidence=f"{len(lead)} headings within {1 - FOCUS_SHARE:.0%} of the top salience "
                f"(size x weight x contrast); sizes {sizes} px",
                metrics={
                    "sizes_px": sizes,
                    "body_px": body,
                    "salience": [round(_salience(ln), 1) for ln in lead],
                },
                rule="hierarchy.focus",
            ),
        )
    ]


def _join_words(boxes: list[Box]) -> list[Box]:
    """Word boxes on one row, a word space apart, into line boxes (detectors give either)."""
    out: list[Box] = []
    for b in sorted(boxes, key=lambda b: (b.y0, b.x0)):
        for k, o in enumerate(out):
            close = -0.5 * b.height <= b.x0 - o.x1 <= 0.8 * min(o.height, b.height)
            similar = 0.75 <= b.height / max(o.height, 1) <= 1.33
            if close and similar and _same_row(o, b):
                out[k] = o.union(b)
                break
        else:
            out.append(b)
    return out


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

    boxes = [r.box for r in screen.text_regions if not chart(r.box)]
    lines = [measure_line(screen.rgb, b) for b in _join_words(boxes)]
    return [ln for ln in lines if ln is not None]


def check(screen: Screen) -> list[Finding]:
    """Hierarchy findings for one screen, most significant first (at most 8)."""
    lines = text_lines(screen)
    elements = screen.elements
    found = _text_findings(screen, lines, elements)
    found += _button_findings(screen, elements)
    found += _focus_findings(screen, lines, body_size(lines))
    found.sort(key=lambda sf: -sf[0])
    return [f for _, f in found[:MAX_FINDINGS]]
