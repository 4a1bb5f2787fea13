"""Numbered pins and boxes drawn on a copy of the screenshot, legible on light and dark UIs."""

from __future__ import annotations

from collections.abc import Sequence

from PIL import Image, ImageDraw

from uireview.drawing import label_size, pin
from uireview.findings import Box, Finding

SEVERITY_COLOUR: dict[str, tuple[int, int, int]] = {
    "critical": (220, 38, 38),
    "major": (234, 88, 12),
    "minor": (37, 99, 235),
    "info": (82, 82, 91),
}


def _outline(draw: ImageDraw.ImageDraw, box: Box, colour, width: int) -> None:
    # A white halo under the coloured line: the colour reads on light UIs, the halo on dark.
    rect = (box.x0, box.y0, max(box.x0, box.x1 - 1), max(box.y0, box.y1 - 1))
    draw.rectangle(rect, outline=(255, 255, 255), width=width + 2)
    inner = (rect[0] + 1, rect[1] + 1, max(rect[0] + 1, rect[2] - 1), max(rect[1] + 1, rect[3] - 1))
    draw.rectangle(inner, outline=colour, width=width)


def annotate(
    image: Image.Image,
    numbered: Sequence[tuple[int, Finding]],
    *,
    highlight: int | None = None,
) -> Image.Image:
    """``image`` with each finding's box and number drawn; ``highlight`` dims all but one."""
    out = image.convert("RGB").copy()
    w, h = out.size
    size = label_size(max(w, h)) * 5 // 4
    line = max(2, size // 8)
    if highlight is not None:
        target = next((f for n, f in numbered if n == highlight and f.box), None)
        if target is not None:
            shade = Image.new("RGBA", out.size, (15, 23, 42, 140))
            clear = ImageDraw.Draw(shade)
            for box in (target.box, *target.related):  # every place the finding names
                clear.rectangle(box, fill=(0, 0, 0, 0))
            out.paste(shade, (0, 0), shade)
    draw = ImageDraw.Draw(out)
    # Draw the highlighted finding last so its pin is on top.
    order = sorted(numbered, key=lambda nf: nf[0] == highlight)
    for number, finding in order:
        if finding.box is None:
            continue
        box = finding.box.clamp(w, h)
        faded = highlight is not None and number != highlight
        colour = SEVERITY_COLOUR.get(finding.severity, SEVERITY_COLOUR["info"])
        if faded:
            colour = tuple((c + 2 * 200) // 3 for c in colour)
        # An info note may span many places; draw them only when it is the one selected.
        if finding.severity != "info" or number == highlight:
            for related in finding.related:
                _outline(draw, related.clamp(w, h), colour, max(1, line // 2))
        _outline(draw, box, colour, line * (2 if number == highlight else 1))
        pin(draw, (box.x0, box.y0), str(number), size, colour, bounds=(w, h))
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
