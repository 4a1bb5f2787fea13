"""Visual hierarchy: text size levels, the page title against the body, the primary action.

Text lines and their sizes come from ``lines.py`` (em size and stem weight measured from
the glyphs, see there); the page title is found by ``title.py``; the button rule lives in
``buttons.py``. Sizes are em sizes in image pixels (CSS px at a device pixel ratio of 1).

Rules:
  hierarchy.flat            fewer than two size levels, or the largest text < 1.25 x the body,
                            and the title is not bold either
  hierarchy.heading         the page title (the first line of words at the top of the
                            content area) does not lead: not bold, and its strength (size
                            ratio to the body x square root of the weight ratio x colour)
                            under 1.3; "major" under 1.25, where it reads as body text
  hierarchy.primary_action  two or more buttons in one group are filled alike, so none reads
                            as the primary action
  hierarchy.focus           two separate headings of about one size and weight, both 1.5 x
                            the body or more, each the top salience: competing focal points

Options: ``MIN_RATIO`` (1.25), ``LEADS`` (1.3), ``SURE_STRENGTH`` (1.25), ``LEVEL_STEP``
(sizes within 12% are one level).
"""

from __future__ import annotations

from uireview.checks.hierarchy import words
from uireview.checks.hierarchy.buttons import button_findings
from uireview.checks.hierarchy.lines import (
    LEVEL_STEP,
    Body,
    Line,
    _same_row,
    body_of,
    body_size,
    levels,
    measure_line,
    salience,
    saturation,
    text_lines,
)
from uireview.checks.hierarchy.title import content_area, find_title, title_block
from uireview.findings import Box, Finding
from uireview.screen import Screen

__all__ = ["body_size", "check", "content_area", "measure_line", "page_title", "text_lines"]

MIN_RATIO = 1.25
# A title's strength against the body: size ratio x square root of the weight ratio x a
# colour term. Under SURE_STRENGTH (the size rule, MIN_RATIO, with weight and colour counted)
# it reads as body text; up to LEADS the measure's error (cap heights are whole pixels,
# about 10% at body sizes) leaves it open, so the finding is "info".
SURE_STRENGTH = MIN_RATIO
LEADS = 1.3
# a title this much heavier than the body is bold: a heading at body size, by choice
BOLDER = 1.2
MAX_FINDINGS = 8
# a "body" with this share of the text set smaller than it is large type, not the body
UNDER_BODY = 0.5
# texts whose salience is within this share of the top one compete for the eye
FOCUS_SHARE = 0.88
# only headings this many times the body size compete (smaller ones are card titles, labels)
FOCUS_MIN_RATIO = 1.5


def page_title(screen: Screen) -> Box | None:
    """The box of the line the hierarchy check takes for the page title, if any."""
    lines = text_lines(screen)
    title = find_title(lines, screen.elements, screen.rgb, body_of(lines))
    return title.box if title is not None else None


def _finding(screen: Screen, **kw) -> Finding:
    return Finding(source="measured", category="hierarchy", image=screen.index, **kw)


def _inside(box: Box, outer: Box) -> bool:
    cx, cy = box.center
    return outer.x0 <= cx < outer.x1 and outer.y0 <= cy < outer.y1


def _text_findings(screen: Screen, lines: list[Line], body: Body) -> list[tuple[float, Finding]]:
    out: list[tuple[float, Finding]] = []
    if len(lines) < 4 or body.size <= 0:
        return out
    title = find_title(lines, screen.elements, screen.rgb, body)
    if title is not None and abs(title.size - body.size) <= body.size * (LEVEL_STEP - 1):
        # the title is judged against the other text: on a sparse screen its own lines
        # (wrapped over two) can be the level with the most ink and pass for the body
        # (a shrunk title's own paragraph under it is body text: the title's lines must
        # hold most of the level for the level to be the title's)
        block = title_block(lines, title)
        rest = [ln for ln in lines if not any(ln is b for b in block)]
        level = [ln for ln in lines if abs(ln.size - body.size) <= body.size * (LEVEL_STEP - 1)]
        own = sum(b.box.width for b in block) / max(sum(ln.box.width for ln in level), 1)
        if rest and own >= 0.5:
            body = body_of(rest)
    lv = levels(lines)
    largest = max(lines, key=lambda ln: (ln.size, ln.weight))
    sizes = [round(s) for s, _ in lv]
    ratio = largest.size / body.size
    metrics = {
        "levels": sizes,
        "heading_px": largest.px,
        "body_px": round(body.size),
        "ratio": round(ratio, 2),
    }
    # a title in bold at about body size leads by weight: the page is not flat
    bold_title = (
        title is not None
        and title.weight >= BOLDER * body.weight
        and title.size >= body.size / LEVEL_STEP
    )
    # most of the text set a level or more under the "body": the level with the most ink
    # width is large type (a page of type samples, a title wrapped over two lines on a
    # sparse phone screen), not the body, so the page is not shown to be flat
    under = sum(share for size, share in lv if size * LEVEL_STEP < body.size)
    if (len(lv) < 2 or ratio < MIN_RATIO) and not bold_title and under < UNDER_BODY:
        # point at what should lead: the page title when there is one
        # without a title, the largest words (not a figure such as "$1,234") should lead
        words = [ln for ln in lines if not ln.caps] or lines
        lead = title if title is not None else max(words, key=lambda ln: (ln.size, ln.weight))
        out.append(
            (
                2.0,
                _finding(
                    screen,
                    severity="major",
                    title="Flat hierarchy: no text stands out",
                    detail=(
                        f"The largest text is {largest.px} px against {body.size:.0f} px body "
                        f"text ({ratio:.2f}x); text sizes form {len(lv)} level(s)."
                    ),
                    suggestion="Make the main heading at least 1.5x the body size, or bolder.",
                    box=lead.box,
                    related=[largest.box] if lead is not largest else [],
                    evidence=f"levels {sizes} px; largest {largest.px} px vs body "
                    f"{body.size:.0f} px",
                    metrics=metrics,
                    rule="hierarchy.flat",
                ),
            )
        )
        return out
    if title is None:
        return out
    t_ratio = title.size / body.size
    w_ratio = title.weight / max(body.weight, 1e-6)
    # size, weight and colour trade off: a slightly larger title set lighter than the body
    # does not lead either (the eye weighs stroke roughly as the square root); a title in
    # the brand colour over grey body text stands out more than its size says
    colour = (1 + 0.3 * saturation(title.colour)) / (1 + 0.3 * body.saturation)
    strength = t_ratio * w_ratio**0.5 * colour
    if w_ratio >= BOLDER or strength >= LEADS:
        return out
    # cap heights are whole pixels, a step of about 10% at body sizes: just under the bar
    # the title may be a modest heading by choice
    sure = strength < SURE_STRENGTH
    out.append(
        (
            1.8 if sure else 0.3,
            _finding(
                screen,
                severity="major" if sure else "info",
                title="The page title looks like body text",
                detail=_title_detail(title, body, largest, t_ratio, w_ratio),
                suggestion=f"Set the title at {round(body.size * 1.5)} px or more, or semibold.",
                box=title.box,
                related=[largest.box] if largest is not title else [],
                evidence=f"title {title.px} px, body {body.size:.0f} px, ratio {t_ratio:.2f}; "
                f"weight {w_ratio:.2f}x the body; strength {strength:.2f}",
                metrics={
                    **metrics,
                    "title_px": title.px,
                    "title_ratio": round(t_ratio, 2),
                    "weight_ratio": round(w_ratio, 2),
                    "strength": round(strength, 2),
                },
                rule="hierarchy.heading",
            ),
        )
    )
    return out


def _title_detail(title: Line, body: Body, largest: Line, t_ratio: float, w_ratio: float) -> str:
    """What the numbers say about the title, in words that match them."""
    if w_ratio < 0.95:
        weight = "lighter than the body"
    elif w_ratio < 1.05:
        weight = "the body's weight"
    else:
        weight = "barely bolder than the body"
    out = (
        f"The title is {title.px} px against {body.size:.0f} px body text ({t_ratio:.2f}x) "
        f"and set {weight}, so it does not stand out as the page's title"
    )
    if largest is not title and largest.px > title.px:
        out += f"; elsewhere text reaches {largest.px} px"
    return out + "."


def _focus_findings(screen: Screen, lines: list[Line], body: Body) -> list[tuple[float, Finding]]:
    """Two separate headings of one size and weight, each alone, both 1.5x the body or more.

    Only real text blocks take part: lines inside buttons, inputs and badges, figures and
    labels in capitals, and icons read as text (about as wide as tall) do not. A set of
    equal items (KPI values in a row, card titles down one column) is one pattern, not
    competing focal points.
    """
    if len(lines) < 4 or body.size <= 0:
        return []
    excluded = [e.box for e in screen.elements if e.kind in ("button", "input")]
    words = [
        ln
        for ln in lines
        if ln.box.width >= 3 * ln.box.height
        and not ln.caps
        and ln.size >= FOCUS_MIN_RATIO * body.size
        and not any(_inside(ln.box, b) for b in excluded)
    ]
    if len(words) < 2:
        return []
    top = max(salience(ln) for ln in words)
    lead = [ln for ln in words if salience(ln) >= FOCUS_SHARE * top]
    if len(lead) != 2:
        # one lead; or three and more alike: a repeated component, not two rival leads
        return []
    # one row, or one column edge, makes a set
    a, b = sorted(lead, key=lambda ln: (ln.box.y0, ln.box.x0))
    if _same_row(a.box, b.box) or abs(a.box.x0 - b.box.x0) <= 3:
        return []
    # the sentence says they are alike in size and weight: it must be true
    if max(a.size, b.size) > LEVEL_STEP * min(a.size, b.size):
        return []
    if max(a.weight, b.weight) > BOLDER * min(a.weight, b.weight):
        return []
    sizes = [a.px, b.px]
    return [
        (
            1.0,
            _finding(
                screen,
                severity="minor",
                title="Competing focal points",
                detail=(
                    f"Two separate headings are set alike ({sizes[0]} px and {sizes[1]} px, "
                    f"body {body.size:.0f} px, the same weight), so the eye has no single "
                    "place to start."
                ),
                suggestion="Let one element lead: shrink or lighten the other.",
                box=a.box,
                related=[b.box],
                evidence=f"2 headings within {1 - FOCUS_SHARE:.0%} of the top salience "
                f"(size x weight x contrast); sizes {sizes} px",
                metrics={
                    "sizes_px": sizes,
                    "body_px": round(body.size),
                    "salience": [round(salience(ln), 1) for ln in (a, b)],
                },
                rule="hierarchy.focus",
            ),
        )
    ]


def check(screen: Screen) -> list[Finding]:
    """Hierarchy findings for one screen, most significant first (at most 8)."""
    lines = text_lines(screen)
    body = body_of(lines)
    found = _text_findings(screen, lines, body)
    found += button_findings(screen, screen.elements)
    found += _focus_findings(screen, lines, body)
    found.sort(key=lambda sf: -sf[0])
    return words.name(screen, [f for _, f in found[:MAX_FINDINGS]])
