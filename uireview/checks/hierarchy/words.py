"""What a hierarchy finding is about, in words: the heading it means, quoted as read from
the pixels ('The page title “Orders” looks like body text'), and the place it is in.

Run on the few findings the check keeps, so the text recogniser reads one or two lines per
screen. A line that does not read as words keeps the finding's own title: the box still
says where.
"""

from __future__ import annotations

from uireview.checks import naming
from uireview.checks.places import Namer, quoted
from uireview.findings import Box, Finding
from uireview.screen import Screen


def _titled(f: Finding, words: list[str | None]) -> str:
    first = words[0]
    if f.rule == "hierarchy.heading" and first:
        return f"The page title {quoted(first)} looks like body text"
    if f.rule == "hierarchy.flat" and first:
        return f"Flat hierarchy: no text stands out, not even {quoted(first)}"
    if f.rule == "hierarchy.focus" and first and len(words) > 1 and words[1]:
        return f"Competing focal points: {quoted(first)} and {quoted(words[1])}"
    return f.title


def name(screen: Screen, findings: list[Finding]) -> list[Finding]:
    """The findings with ``text`` (the heading's words), ``place`` and a title quoting them.

    The primary-action rule is about a group of buttons, not one line: it gets a place only.
    """
    if not findings:
        return findings
    read = naming.line_reader(screen)
    h, w = screen.rgb.shape[:2]
    namer = Namer(screen.rgb, [r.box for r in screen.text_regions], read)
    out = []
    for f in findings:
        if f.box is None:
            out.append(f)
            continue
        box = f.box.clamp(w, h)
        bg = naming.common_colour(screen.rgb[box.y0 : box.y1, box.x0 : box.x1])
        if f.rule == "hierarchy.primary_action":
            place = namer.name(box, bg).name if bg is not None else None
            out.append(f.model_copy(update={"place": place}))
            continue
        lines: list[Box] = [box]
        if f.rule == "hierarchy.focus":
            lines += [b.clamp(w, h) for b in f.related[:1]]
        words = read(lines)
        place = namer.name(box, bg, words[0]).name if bg is not None else None
        out.append(
            f.model_copy(update={"text": words[0], "place": place, "title": _titled(f, words)})
        )
    return out
