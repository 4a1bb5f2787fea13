"""Numbered pins and boxes drawn on a copy of the screenshot, legible on light and dark UIs."""

from __future__ import annotations

from collections.abc import Sequence

from PIL import Image, ImageDraw

from uireview.drawing import label_size, pin, text_box
from uireview.findings import Box, Finding
from uireview.ink import Ink, ink_of

# Pin fills: white numbers on each reach WCAG AA (4.5:1 or more), so a pin reads as text.
SEVERITY_COLOUR: dict[str, tuple[int, int, int]] = {
    "critical": (185, 28, 28),  # 6.5:1 against white
    "major": (194, 65, 12),  # 5.2:1
    "minor": (29, 78, 216),  # 6.7:1
    "info": (82, 82, 91),  # 7.7:1
}
# What hiding a spot of running text costs a pin, against 4 for each ring further out: a pin
# moves up to two rings (a leader about 4.5 radii long) to keep words nobody marked readable.
INK_COST = 10.0
# A dismissed finding, drawn only while selected: slate, quieter than any severity (4.8:1).
DISMISSED_COLOUR = (100, 116, 139)


def ring_reach(width: int) -> int:
    """How far past its box a mark's ring of line ``width`` reaches (see ``_outline``)."""
    return 1 + width + 2  # a pixel of gap, the line, its halo on both sides


def _outline(draw: ImageDraw.ImageDraw, box: Box, colour, width: int) -> None:
    """A ring drawn around ``box``, never on it: the text a mark is about stays readable.

    The gap keeps the glyphs' anti-aliased edges clear (text boxes are tight); a white halo
    on both sides of the coloured line makes the colour read on light UIs and the halo on
    dark. Pillow draws a rectangle's width inwards, so the ring starts outside the box.
    """
    reach = ring_reach(width)
    outer = (box.x0 - reach, box.y0 - reach, box.x1 - 1 + reach, box.y1 - 1 + reach)
    draw.rectangle(outer, outline=(255, 255, 255), width=width + 2)
    inner = (outer[0] + 1, outer[1] + 1, outer[2] - 1, outer[3] - 1)
    draw.rectangle(inner, outline=colour, width=width)


def pin_radius(draw: ImageDraw.ImageDraw, size: int, count: int) -> int:
    """One radius for every pin of an image: wide enough for its longest number."""
    x0, _, x1, _ = text_box(draw, (0, 0), "8" * len(str(max(1, count))), size)
    return max((x1 - x0) // 2 + size // 3, size * 2 // 3 + 2)


def _circle_hits_box(c: tuple[float, float], r: float, box: Box) -> float:
    """How deep a circle of radius ``r`` at ``c`` reaches into ``box`` (0: not at all)."""
    nx = min(max(c[0], box.x0), box.x1)
    ny = min(max(c[1], box.y0), box.y1)
    gap = ((c[0] - nx) ** 2 + (c[1] - ny) ** 2) ** 0.5
    return (
        max(0.0, r - gap)
        if gap > 0
        else r + min(c[0] - box.x0, box.x1 - c[0], c[1] - box.y0, box.y1 - c[1])
    )


def _candidates(box: Box, r: float, ring: int):
    """Pin centres around ``box``: beside its first line first, then further out."""
    d = r * (1.35 + 1.6 * ring)  # ring 0 leaves a short leader's gap to the box
    top = box.y0 + min(r, box.height / 2)
    mid_x = box.x0 + min(r, box.width / 2)
    yield box.x0 - d, top  # left of the text, level with its first line
    yield mid_x, box.y0 - d  # above its start
    yield box.x1 + d, top  # right of it
    yield mid_x, box.y1 + d  # below its start
    yield box.x0 - d * 0.75, box.y0 - d * 0.75  # diagonals
    yield box.x1 + d * 0.75, box.y0 - d * 0.75
    yield box.x0 - d * 0.75, box.y1 + d * 0.75
    yield box.x1 + d * 0.75, box.y1 + d * 0.75
    # Further along its edges: a gap between words is often there when the start is inked.
    if box.width > 4 * r:
        for x in (box.x0 + box.width / 2, box.x1 - r):
            yield x, box.y0 - d
            yield x, box.y1 + d
    if box.height > 3 * r:
        yield box.x0 - d, box.y0 + box.height / 2
        yield box.x1 + d, box.y0 + box.height / 2


def place_pins(
    boxes: Sequence[tuple[int, Box]],
    radius: float,
    bounds: tuple[int, int],
    avoid: Sequence[Box] = (),
    ink: Ink | None = None,
) -> dict[int, tuple[float, float]]:
    """A centre for each numbered box's pin: beside the box, over no other pin.

    Pins go outside the box they mark (they would hide its first letters), prefer the
    nearest free spot, and avoid covering any other marked box or any box in ``avoid`` (the
    findings' further places); with ``ink`` (the screenshot's busy pixels) they also prefer
    the spot with the least text, icon or line under it, so a pin hides no words nobody
    marked while a clear spot is a ring or two away. A pin never overlaps an earlier one
    while any spot within a few rings is free. Greedy in number order, so the layout is
    stable and reads top to bottom like the list.
    """
    w, h = bounds
    placed: dict[int, tuple[float, float]] = {}
    gap = 2 * radius + max(2.0, radius / 4)  # centre distance two pins need
    for number, box in boxes:
        best, best_cost = None, float("inf")
        for ring in range(6):
            for cx, cy in _candidates(box, radius, ring):
                if not (radius <= cx <= w - radius - 1 and radius <= cy <= h - radius - 1):
                    continue
                if any((cx - px) ** 2 + (cy - py) ** 2 < gap**2 for px, py in placed.values()):
                    continue
                cost = ring * 4.0 + 6.0 * _circle_hits_box((cx, cy), radius, box) / radius
                cost += sum(
                    _circle_hits_box((cx, cy), radius, other) / radius
                    for n, other in boxes
                    if n != number
                )
                cost += sum(_circle_hits_box((cx, cy), radius, other) / radius for other in avoid)
                if ink is not None:
                    cost += INK_COST * ink.cover((cx, cy), radius + 1)  # with its white rim
                if cost < best_cost:
                    best, best_cost = (cx, cy), cost
            if best is not None and best_cost < (ring + 1) * 4.0:
                break  # nothing further out can beat it
        if best is None:  # crowded to the edges: on the box's corner, inside the image
            best = (
                min(max(box.x0 + radius, radius), w - radius - 1),
                min(max(box.y0 + radius, radius), h - radius - 1),
            )
        placed[number] = best
    return placed


def _leader(draw, centre, radius, box: Box, colour, width: int, reach: int) -> None:
    """A short line from the pin's rim to the nearest point of its box's ring."""
    nx = min(max(centre[0], box.x0 - reach), box.x1 - 1 + reach)
    ny = min(max(centre[1], box.y0 - reach), box.y1 - 1 + reach)
    dx, dy = nx - centre[0], ny - centre[1]
    dist = (dx * dx + dy * dy) ** 0.5
    if dist <= radius + 1:
        return
    start = (centre[0] + dx / dist * radius, centre[1] + dy / dist * radius)
    draw.line((start, (nx, ny)), fill=(255, 255, 255), width=width + 2)
    draw.line((start, (nx, ny)), fill=colour, width=width)


def _further_places(marks: Sequence[tuple[int, Finding]], w: int, h: int) -> list[Box]:
    return [r.clamp(w, h) for _, f in marks for r in f.related]


def marks_drawn(
    numbered: Sequence[tuple[int, Finding]], highlight: int | None = None
) -> list[tuple[int, Finding]]:
    """The findings an image shows marks for, in the order their pins are placed.

    A finding the owner dismissed is not pinned: it no longer asks for work, and its pin
    would crowd the open ones. It is drawn (muted) only while it is the one selected ("Show
    #n on image" on its card), placed last so that showing it moves no other pin.
    """
    open_ = [(n, f) for n, f in numbered if f.box is not None and not f.dismissed]
    chosen = [(n, f) for n, f in numbered if f.box is not None and f.dismissed and n == highlight]
    return open_ + chosen


def annotate(
    image: Image.Image,
    numbered: Sequence[tuple[int, Finding]],
    *,
    highlight: int | None = None,
    size: int | None = None,
) -> Image.Image:
    """``image`` with each finding's box and numbered pin drawn; ``highlight`` dims the rest.

    Pins sit beside the text they mark, joined to it by a short leader, and never on top of
    one another (``place_pins``); rings go around the text, never over it. Dismissed findings
    are left off unless highlighted (``marks_drawn``). ``size`` is the pins' font size in
    image pixels (default: legible at full size; see ``shown_size`` for a smaller view).
    """
    out = image.convert("RGB").copy()
    w, h = out.size
    size = size or default_size(w, h)
    line = max(2, size // 8)
    marks = marks_drawn(numbered, highlight)
    if highlight is not None:
        target = next((f for n, f in marks if n == highlight), None)
        if target is not None and target.box is not None:
            shade = Image.new("RGBA", out.size, (15, 23, 42, 140))
            clear = ImageDraw.Draw(shade)
            reach = ring_reach(line * 2)
            for box in (target.box, *target.related):  # every place the finding names
                clear.rectangle(
                    (box.x0 - reach, box.y0 - reach, box.x1 + reach, box.y1 + reach),
                    fill=(0, 0, 0, 0),
                )
            out.paste(shade, (0, 0), shade)
    draw = ImageDraw.Draw(out)
    _, radius, spots = _layout(image, marks, size)
    # Draw the highlighted finding last so its marks are on top; every pin goes on after
    # every ring and leader, so no line (a wide region's ring) runs over a pin's number.
    order = sorted(marks, key=lambda nf: nf[0] == highlight)
    pins = []
    for number, finding in order:
        if finding.box is None:
            continue
        box = finding.box.clamp(w, h)
        chosen = number == highlight
        faded = highlight is not None and not chosen
        colour = (
            DISMISSED_COLOUR
            if finding.dismissed
            else SEVERITY_COLOUR.get(finding.severity, SEVERITY_COLOUR["info"])
        )
        outline = tuple((c + 2 * 200) // 3 for c in colour) if faded else colour
        width = line * (2 if chosen else 1)
        # An info note may span many places; draw them only when it is the one selected.
        if finding.severity != "info" or chosen:
            for related in finding.related:
                _outline(draw, related.clamp(w, h), outline, max(1, line // 2))
        _outline(draw, box, outline, width)
        centre = spots[number]
        _leader(draw, centre, radius, box, outline, max(1, line // 2 + chosen), ring_reach(width))
        pins.append((centre, str(number), colour))
    for centre, text, colour in pins:
        # The pin keeps its full colour even when faded: its white number must stay AA.
        pin(draw, centre, text, size, colour, bounds=(w, h), radius=radius)
    return out


def default_size(w: int, h: int) -> int:
    return label_size(max(w, h)) * 5 // 4


def shown_size(image_size: tuple[int, int], shown_width: int = 640) -> int:
    """Pin font size for an image shown ``shown_width`` px wide: numbers stay 11 px or more."""
    w, h = image_size
    return max(default_size(w, h), min(72, round(11 * w / shown_width)))


def _layout(
    image: Image.Image, marks: Sequence[tuple[int, Finding]], size: int
) -> tuple[list[tuple[int, Box]], float, dict[int, tuple[float, float]]]:
    """The marks' boxes (clamped), the pins' radius and their centres, placed off the ink."""
    w, h = image.size
    draw = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    boxed = [(n, f.box.clamp(w, h)) for n, f in marks if f.box is not None]
    radius = pin_radius(draw, size, max((n for n, _ in boxed), default=1))
    ink = ink_of(image) if boxed else None
    spots = place_pins(boxed, radius, (w, h), _further_places(marks, w, h), ink)
    return boxed, radius, spots


def pin_boxes(
    image: Image.Image,
    numbered: Sequence[tuple[int, Finding]],
    size: int | None = None,
    highlight: int | None = None,
) -> dict[int, Box]:
    """Each mark's box joined with its pin and its other places: what a viewer zooms to.

    The same marks, placed the same way, as ``annotate`` draws on the same ``image`` with
    the same ``highlight`` (pins avoid the image's ink, so it takes the image, not a size).
    """
    w, h = image.size
    size = size or default_size(w, h)
    marks = marks_drawn(numbered, highlight)
    boxed, radius, spots = _layout(image, marks, size)
    related = {n: f.related for n, f in marks}
    reach = ring_reach(2 * max(2, size // 8))
    out = {}
    for n, box in boxed:
        cx, cy = spots[n]
        r = round(radius)
        joined = Box(box.x0 - reach, box.y0 - reach, box.x1 + reach, box.y1 + reach)
        joined = joined.union(Box(round(cx) - r, round(cy) - r, round(cx) + r, round(cy) + r))
        for other in related.get(n, []):
            joined = joined.union(other.clamp(w, h))
        out[n] = joined.clamp(w, h)
    return out


def legend(numbered: Sequence[tuple[int, Finding]]) -> list[str]:
    """One line per finding, for exports that put the legend beside the image."""
    return [f"{n}. [{f.severity}] {f.title}" for n, f in numbered]


def hatch(image: Image.Image, boxes: Sequence[Box], colour=(100, 116, 139)) -> Image.Image:
    """``image`` with ``boxes`` hatched: areas left out of a comparison, still visible beneath."""
    out = image.convert("RGB").copy()
    if not boxes:
        return out
    layer = Image.new("RGBA", out.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    w, h = out.size
    step = max(8, label_size(max(w, h)) // 2)
    for box in boxes:
        b = box.clamp(w, h)
        if not b.area:
            continue
        draw.rectangle(
            (b.x0, b.y0, b.x1 - 1, b.y1 - 1), fill=colour + (40,), outline=colour + (220,), width=2
        )
        tile = Image.new("RGBA", (b.width, b.height), (0, 0, 0, 0))
        tdraw = ImageDraw.Draw(tile)
        for offset in range(-b.height, b.width, step):
            tdraw.line((offset, b.height, offset + b.height, 0), fill=colour + (150,), width=2)
        layer.alpha_composite(tile, (b.x0, b.y0))
    out.paste(layer, (0, 0), layer)
    return out
