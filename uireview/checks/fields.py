"""Where a text field and an icon are, read from the pixels around one text line.

A placeholder is text at the start of an input box: a rectangle of input height, bordered
or filled apart from the page, its text near the left edge, often after a search or
filter icon. ``uireview.checks.places.Namer.is_input`` finds a field by flood-filling the
line's background; that fill leaks out of a field drawn in the page's own colour with a
one-pixel border (gentelella's "Filter cards…" on its kanban board: the border's rounded
corners blend into the page), and an icon before the text pushes the text past where a
left-aligned value would start. ``field_around`` instead walks out from the line to the
field's four edges and checks each is one straight line; ``icon_before`` finds the glyph
a field or a bar puts before its prompt.
"""

from __future__ import annotations

import cv2
import numpy as np

from uireview.findings import Box

__all__ = ["button_box", "field_around", "icon_before", "ring_colour"]

# A pixel is the field's own fill within this many levels per channel of the line's
# background; an edge (a border, or the page around a filled field) is one colour within
# twice that along its length.
FILL_LEVELS = 6
# A field is this many of its text's heights tall (the letters' own rows, ascender to
# descender: inputs are 2.3-3.5 of them; a text area's first line is not looked for
# here), and at least this many wide.
FIELD_HEIGHT = (1.5, 4.0)
FIELD_WIDTH = 8.0
# Left-aligned: this many times the room after the text as before it; or the text fills
# this share of the field's width.
LEFT_ALIGNED = 1.5
FILLS = 0.8
# Its text, or the icon before it, starts within this many text heights of its left edge.
INSET = 2.5
# A field's fill is white or grey: channels within this many levels.
NEUTRAL = 24
# A button's fill is walked through anything this close to it (a compositing seam).
SEAM_LEVELS = 16
# Rounded corners: this share of the field's height at each end of an edge is not checked.
CORNER = 0.3
# An icon is a blob of ink this many line heights wide and tall at most, this far at most
# before the text, with clear space before it.
ICON_SIZE = 2.2
ICON_GAP = 1.6


def _near(px: np.ndarray, colour: np.ndarray, levels: int) -> np.ndarray:
    return np.abs(px.astype(np.int16) - colour).max(axis=-1) <= levels


def _one_colour(px: np.ndarray) -> bool:
    """Whether a run of pixels is one colour (a straight border or a plain page)."""
    if len(px) == 0:
        return False
    median = np.median(px.reshape(-1, 3), axis=0).astype(np.int16)
    return bool(_near(px, median, 2 * FILL_LEVELS).all())


def _edge_row(rgb: np.ndarray, box: Box, bg: np.ndarray, step: int, reach: int) -> int | None:
    """The first row above (``step`` -1) or below (+1) the line that is not its background,
    the same along the line's width (a straight edge), within ``reach`` rows."""
    h = rgb.shape[0]
    xs = np.linspace(box.x0, box.x1 - 1, 7).round().astype(int)
    if step < 0:
        ys = np.arange(box.y0 - 1, max(box.y0 - 1 - reach, -1), -1)
    else:
        ys = np.arange(box.y1, min(box.y1 + reach, h))
    if len(ys) == 0:
        return None
    off = ~_near(rgb[ys][:, xs], bg, FILL_LEVELS)  # rows out from the line, by column
    if not off.any(axis=0).all():
        return None  # some column runs on in the fill: no edge within reach
    found = off.argmax(axis=0)
    if found.max() - found.min() > 1:
        return None  # not a straight edge: a glyph or a shape beside the line
    return int(ys[found.max()])


def field_around(rgb: np.ndarray, box: Box, bg: tuple[int, int, int]) -> Box | None:
    """The field (its edges' box) whose start the text line ``box`` sits at, or None.

    A field here: a rectangle of the line's background, ``FIELD_HEIGHT`` lines tall and
    ``FIELD_WIDTH`` wide, each edge one straight run of one colour (a border, or the page
    around a filled field), the text left-aligned, it or the icon before it within
    ``INSET`` of the left edge, and not a row of a list or table (a side border running
    on past the corners). Sizes are in text heights (``glyph_height``).
    """
    h, w = rgb.shape[:2]
    if max(bg) - min(bg) > NEUTRAL:
        return None  # fields are white or grey; a tinted box is an alert or a badge
    line = glyph_height(rgb, box, bg)
    fill = np.array(bg, np.int16)
    reach = int(FIELD_HEIGHT[1] * line)
    top = _edge_row(rgb, box, fill, -1, reach)
    bottom = _edge_row(rgb, box, fill, 1, reach)
    if top is None or bottom is None:
        return None
    height = bottom - top + 1
    if not FIELD_HEIGHT[0] * line <= height <= FIELD_HEIGHT[1] * line:
        return None
    # The left and right edges: the nearest columns, before the icon (if any) and after
    # the text, that are one straight run of one colour over the field's height (its
    # rounded corners left out).
    corner = max(2, int(CORNER * height))
    rows = slice(top + corner, bottom - corner + 1)
    icon = icon_before(rgb, box, bg)
    start = (icon.x0 if icon is not None else box.x0) - 1
    stop = max(int(start - INSET * line), 0)
    left = _first_edge(rgb[rows, stop : start + 1][:, ::-1], fill)
    right = _first_edge(rgb[rows, box.x1 :], fill)
    if left is None or right is None:
        return None
    field = Box(start - left, top, box.x1 + right + 1, bottom + 1)
    if field.width < FIELD_WIDTH * line:
        return None
    # A value or a placeholder is left-aligned, with more room after it than before it
    # even past an icon (a button centres its label), unless it fills the field.
    after, before = field.x1 - box.x1, box.x0 - field.x0
    if after <= LEFT_ALIGNED * before and box.width < FILLS * field.width:
        return None
    span = slice(field.x0 + corner, field.x1 - corner)
    edges = [rgb[top, span], rgb[bottom, span], rgb[rows, field.x0], rgb[rows, field.x1 - 1]]
    if any(_near(e, fill, FILL_LEVELS).any() or not _one_colour(e) for e in edges):
        return None
    # One colour all round: a border, or the page around a filled field. A list row with
    # dividers above and below and the card's own colour at its sides is no field.
    colours = np.array([np.median(e, axis=0) for e in edges])
    if np.ptp(colours, axis=0).max() > 2 * FILL_LEVELS:
        return None
    if _stacked(rgb, field):
        return None
    return field


def button_box(rgb: np.ndarray, box: Box, bg: tuple[int, int, int]) -> Box | None:
    """The solid surface a label sits on (a button), walked out from the label, or None.

    ``Namer.surface`` flood-fills at a tight tolerance, so a one-row seam Chromium leaves
    across a translucent button (a faded floating button: 13 levels off) cuts the button
    in two. Here the walk goes along the rows just above and below the label and the
    columns just before and after it, through anything within ``SEAM_LEVELS`` of its fill.
    """
    h, w = rgb.shape[:2]
    fill = np.array(bg, np.int16)
    rows = [box.y0 - 2, box.y1 + 1]
    cols = [box.x0 - 3, box.x1 + 2]
    if min(rows) < 0 or max(rows) >= h or min(cols) < 0 or max(cols) >= w:
        return None

    def run(line: np.ndarray, start: int, step: int) -> int:
        inside = _near(line, fill, SEAM_LEVELS)
        i = start
        while 0 <= i + step < len(line) and inside[i + step]:
            i += step
        return i

    if not all(_near(rgb[y, x], fill, SEAM_LEVELS) for y in rows for x in cols):
        return None
    x0 = max(run(rgb[y], box.x0, -1) for y in rows)
    x1 = min(run(rgb[y], box.x1, 1) for y in rows) + 1
    y0 = max(run(rgb[:, x], box.y0, -1) for x in cols)
    y1 = min(run(rgb[:, x], box.y1, 1) for x in cols) + 1
    if x0 == 0 or y0 == 0 or x1 == w or y1 == h:
        return None
    return Box(x0, y0, x1, y1)


def ring_colour(rgb: np.ndarray, b: Box, gap: int = 3) -> tuple[int, int, int]:
    """The commonest colour of the ring ``gap`` px outside a surface (3: past a border;
    farther: past a glow around it)."""
    h, w = rgb.shape[:2]
    y0, y1 = max(b.y0 - gap, 0), min(b.y1 + gap - 1, h - 1)
    x0, x1 = max(b.x0 - gap, 0), min(b.x1 + gap - 1, w - 1)
    ring = np.concatenate(
        [rgb[y0, b.x0 : b.x1], rgb[y1, b.x0 : b.x1], rgb[b.y0 : b.y1, x0], rgb[b.y0 : b.y1, x1]]
    ).astype(np.int32)
    packed = (ring[:, 0] << 16) | (ring[:, 1] << 8) | ring[:, 2]
    values, counts = np.unique(packed, return_counts=True)
    top = int(values[counts.argmax()])
    return (top >> 16) & 255, (top >> 8) & 255, top & 255


def _first_edge(block: np.ndarray, fill: np.ndarray) -> int | None:
    """The index of the first column of ``block`` (rows by columns) that is an edge: no
    pixel of the fill, one colour top to bottom."""
    if block.shape[1] == 0:
        return None
    px = block.astype(np.int16)
    unfilled = (np.abs(px - fill).max(axis=2) > FILL_LEVELS).all(axis=0)
    flat = (px.max(axis=0) - px.min(axis=0)).max(axis=1) <= 2 * FILL_LEVELS
    found = np.flatnonzero(unfilled & flat)
    return int(found[0]) if len(found) else None


def _stacked(rgb: np.ndarray, field: Box) -> bool:
    """Whether the field's side border runs on past its top or bottom (a list or table
    row, not a field: a field's border turns its corner and stops)."""
    h = rgb.shape[0]
    mid = (field.y0 + field.y1) // 2
    for x, out in ((field.x0, -1), (field.x1 - 1, 1)):
        edge = rgb[mid, x].astype(np.int16)
        beyond = rgb[mid, min(max(x + 2 * out, 0), rgb.shape[1] - 1)]
        if _near(beyond, edge, FILL_LEVELS):
            continue  # no border line: the side is the page itself (a filled field)
        for y in (field.y0 - 4, field.y1 + 3):
            if 0 <= y < h and _near(rgb[y, x], edge, FILL_LEVELS):
                return True
    return False


def icon_before(rgb: np.ndarray, box: Box, bg: tuple[int, int, int], limit: int = 0) -> Box | None:
    """The icon just before a text line (a search or filter glyph), or None.

    A connected blob of ink on the line's background (with any pieces of it within a
    pixel or two: a magnifier's handle), at most ``ICON_SIZE`` text heights wide and tall,
    ending at most ``ICON_GAP`` text heights before the text, with clear background before
    it (so it is no word of the same line) and clear of the rows above and below (so it is
    no border or divider); ``limit``: no farther left than this x.
    """
    line = glyph_height(rgb, box, bg)
    pad = line
    y0, y1 = max(box.y0 - pad, 0), min(box.y1 + pad, rgb.shape[0])
    x0 = max(box.x0 - int((ICON_GAP + ICON_SIZE) * line) - 4, limit, 0)
    if box.x0 - x0 < 4:
        return None
    ink = (~_near(rgb[y0:y1, x0 : box.x0 - 1], np.array(bg, np.int16), FILL_LEVELS)).astype(
        np.uint8
    )
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    size = ICON_SIZE * line
    blobs = [
        Box(int(x), int(y), int(x + bw), int(y + bh))
        for x, y, bw, bh, _ in stats[1:n]
        # Clear of the window's top and bottom rows, and no bigger than an icon: a field's
        # border around the icon is a blob of its own.
        if y > 0 and y + bh < ink.shape[0] and bw <= size and bh <= size
    ]
    mid = (box.y0 + box.y1) / 2 - y0
    near = [b for b in blobs if b.y0 <= mid <= b.y1]
    if not near:
        return None
    icon = max(near, key=lambda b: b.x1)
    for b in sorted(blobs, key=lambda b: -b.x1):
        touches = b.x1 >= icon.x0 - 2 and b.x0 <= icon.x1 + 2
        if b is not icon and touches and b.y1 >= icon.y0 - 2 and b.y0 <= icon.y1 + 2:
            icon = Box(
                min(icon.x0, b.x0), min(icon.y0, b.y0), max(icon.x1, b.x1), max(icon.y1, b.y1)
            )
    gap = ink.shape[1] - icon.x1
    if not 1 <= gap <= ICON_GAP * line:
        return None  # touching the text (a letter of it) or too far to lead it
    if icon.x0 < 3 or ink[icon.y0 : icon.y1, icon.x0 - 3 : icon.x0].any():
        return None  # no clear space before it: more text or a shape, not a lone icon
    if not (0.4 * line <= icon.width <= size and 0.5 * line <= icon.height <= size):
        return None
    return Box(x0 + icon.x0, y0 + icon.y0, x0 + icon.x1, y0 + icon.y1)


def glyph_height(rgb: np.ndarray, box: Box, bg: tuple[int, int, int]) -> int:
    """How many rows of the line's box hold ink (the detector's box has some margin; the
    field and the icon are sized against the letters themselves)."""
    crop = rgb[box.y0 : box.y1, box.x0 : box.x1]
    rows = np.flatnonzero((~_near(crop, np.array(bg, np.int16), FILL_LEVELS)).any(axis=1))
    return int(rows[-1] - rows[0] + 1) if len(rows) else max(box.height, 1)
