"""Where the text is, from pixels alone, and what it looks like: colours, size, weight.

Detection uses RapidOCR's DB text detector, whose ONNX model ships inside the
``rapidocr-onnxruntime`` wheel (no download at run time). Only detection runs for every
line: recognition (``read_lines``, the wheel's PP-OCRv4 recogniser) costs about as much
again for a whole page, so it runs only on the few lines a finding quotes.

Each detected line is then measured from its pixels (``measure_region``):

- background: the dominant colour of the box. If the box's edge is not one colour (a
  gradient, a photo, text straddling two surfaces) the colours are not measured at all:
  ``colours_known`` is False and ``fg``/``bg`` are None, never a guess.
- text colour: glyph edges are anti-aliased blends of text and background, so the text
  colour is taken from the pixels farthest from the background (the fully covered ones),
  the most frequent exact colour among them when there is one.
- glyph metrics: each pixel's coverage ("alpha") along the background-to-text colour line
  gives a row profile; its dense band is the x-height, the first inked row the cap or
  ascender line, the band's bottom the baseline. Font size (em, image pixels) comes from
  those heights with typical UI-font proportions; stroke width from horizontal ink runs.
- a line whose glyphs change colour ("Revenue $4,210") is split into one region per
  colour; boxes whose ink is a row of icons or a lone shape are dropped.

Detection resolution: RapidOCR would shrink anything over 2000 px, losing small text on a
4K capture at dpr 1; here images up to ``DETECT_MAX_SIDE`` run at full size, longer ones
in tiles, and big images of unknown dpr try half size first (see ``detect_boxes``).
"""

from __future__ import annotations

import math
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
from scipy import ndimage

from uireview.findings import Box

Colour = tuple[int, int, int]

# Typical proportions of UI fonts (DejaVu, Liberation/Arial, Inter, Roboto, SF, Segoe, Times),
# as fractions of the em: cap/ascender height 0.66-0.76, x-height 0.45-0.55.
CAP_EM = 0.71
X_EM = 0.52
# Stem width / em: regular text is about 0.08-0.10, bold 0.14-0.17.
# Relative error of the size from cap height across fonts (measured on DejaVu and
# Liberation Sans/Serif: standard deviation 6 %).
FONT_SIZE_ERROR = 0.06
# Rows of anti-aliased overshoot that the measured cap and x-heights include.
_OVERSHOOT = 0.5
BOLD_STROKE_EM = 0.125
# The rows above the x-height of a mixed-case line hold at most this share of the ink per
# row of those below (measured on bold "Profit", "Tables": 0.55-0.62; a line of capitals
# or digits has no such step).
X_STEP = 0.65

# Largest side we run detection on. RapidOCR's default (2000) shrinks a 4K screenshot by
# half, which loses 11 px text at device pixel ratio 1; 4096 keeps 4K at full resolution
# and detection time stays linear in the pixel count.
DETECT_MAX_SIDE = 4096


@dataclass(frozen=True)
class TextRegion:
    """A line of text: its box in image pixels, and what its pixels say about it.

    Every measured field is None when it could not be measured; ``fg``/``bg`` are None
    when the background is not a single colour (gradient, image) or no ink was found.
    """

    box: Box
    # Tight box around the glyph ink (excluding anti-aliasing fringe), image pixels.
    ink_box: Box | None = None
    fg: Colour | None = None
    bg: Colour | None = None
    # Cap (or ascender) line to baseline, and x-height, in image pixels.
    cap_height: float | None = None
    x_height: float | None = None
    # Estimated font size (em) in image pixels; divide by the device pixel ratio for CSS px.
    font_px: float | None = None
    # Sizes the glyphs are consistent with (fonts differ in proportions; a line of only
    # capitals or only short lowercase letters can be read either way).
    font_px_range: tuple[float, float] | None = None
    # Median stem width in image pixels, and whether that is bold for the font size.
    stroke_px: float | None = None
    bold: bool | None = None
    # False when no exact, frequent text colour was found (JPEG noise, or small text whose
    # sub-pixel stems never fully cover a pixel): fg is then the farthest blend, so the
    # true text colour is at least that far from bg and a ratio from it is a lower bound.
    fg_exact: bool = True
    # True when the ink is a lone shape or a row of spaced shapes (icons), not glyphs;
    # ``detect_text`` leaves such regions out.
    icons: bool = False
    # Why colours are unknown, when they are: "gradient or image background", "no ink".
    unmeasured: str = ""
    # The detector's whole line when this region is one colour of it ("Revenue" of
    # "Revenue $4,210"), for questions about the line's place (does it fill a field?).
    line: Box | None = None

    @property
    def height(self) -> int:
        return self.box.height

    @property
    def colours_known(self) -> bool:
        return self.fg is not None and self.bg is not None


@lru_cache(maxsize=1)
def _engine():
    # Imported lazily: onnxruntime takes a moment to load and many paths never need it.
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR(max_side_len=DETECT_MAX_SIDE)


@lru_cache(maxsize=1)
def _recogniser():
    """The wheel's recognition model in a session of one thread, for ``read_lines``.

    A line is a small input (48 px high, about 140 px wide): spread over threads, each run
    spends more on handing work out than on the work, and on a busy machine waits for a
    free core. On the dev shots' 491 reads (2 cores) one thread took half the time of
    RapidOCR's default with the machine loaded (28.9 s against 55.0 s) and about as long
    near idle (12.4 s against 13.3 s, twice each), and read every line the same
    (``benchmarks/contrast_timing.py --real`` replays them).
    RapidOCR applies its global thread setting to every model, so the session is made here.
    """
    from pathlib import Path

    import rapidocr_onnxruntime
    from rapidocr_onnxruntime.utils import OrtInferSession

    model = Path(rapidocr_onnxruntime.__file__).parent / "models" / "ch_PP-OCRv4_rec_infer.onnx"
    return OrtInferSession({"model_path": str(model), "intra_op_num_threads": 1})


# Above this many pixels an image of unknown dpr is tried at half size first (4K captures
# are mostly dpr 2), and a line box shorter than this (image px) means small text may
# exist that half size would lose: 11 CSS px text at dpr 2 gives boxes of about 30 px.
AUTO_HALF_PIXELS = 4_000_000
_RETINA_MIN_BOX = 26

# Tiles of a very long screenshot overlap by this much so a line cut by one tile's edge is
# whole in the next.
_OVERLAP = 128


def detect_boxes(rgb: np.ndarray, dpr: float | None = None) -> list[Box]:
    """Text line boxes from RapidOCR's detector, top to bottom, left to right.

    With ``dpr`` > 1 (a retina capture) detection runs at CSS-pixel resolution, where
    the detector sees text at the sizes it was trained on, in 1/dpr^2 of the time; boxes
    come back in image pixels. With ``dpr`` None (unknown), an image over
    ``AUTO_HALF_PIXELS`` is first detected at half size, and that is kept only if every
    line found is tall enough to be a retina capture's; otherwise (small text possible)
    it is detected again at full resolution.

    Work and memory are bounded by the pixels, not the shape (see ``_detect_bounded``):
    big images are cut into overlapping tiles rather than shrunk, so small text keeps its
    pixels, and thin strips are folded into a block.
    """
    h, w = rgb.shape[:2]
    if dpr is None:
        if h * w <= AUTO_HALF_PIXELS:
            return detect_boxes(rgb, 1.0)
        half = detect_boxes(rgb, 2.0)
        if half and min(b.height for b in half) >= _RETINA_MIN_BOX:
            return half
        return detect_boxes(rgb, 1.0)
    if dpr > 1:
        import cv2

        h, w = rgb.shape[:2]
        small = cv2.resize(
            rgb, (max(1, round(w / dpr)), max(1, round(h / dpr))), interpolation=cv2.INTER_AREA
        )
        return [
            Box(
                int(b.x0 * dpr), int(b.y0 * dpr), int(np.ceil(b.x1 * dpr)), int(np.ceil(b.y1 * dpr))
            ).clamp(w, h)
            for b in detect_boxes(small)
        ]
    return _detect_bounded(rgb)


# --- keeping the detector's work bounded by the pixels ------------------------------------
# RapidOCR scales its input so the short side is at least 736 px (the size DB was trained
# at) and its memory grows with what it then runs on: about 190 MB a megapixel on top of the
# model (measured with rapidocr-onnxruntime 1.4.4: a 4096 x 4096 tile peaked at 2.7 GB,
# 4096 x 1024 at 0.9 GB). So a big image is cut into tiles of at most
# ``DETECT_TILE_PIXELS``, and a thin strip, whose short side the detector would scale up
# (an 8 x 4096 strip became 736 x 376,832 and 23 GB), is folded into a block first.
_DET_MIN_SIDE = 736
DETECT_TILE_PIXELS = 2_097_152
# Background rows between the folded pieces of a strip, so lines of two pieces never touch.
_FOLD_GAP = 32


def _detector_pixels(h: int, w: int) -> int:
    """Pixels RapidOCR's detector runs on for an h x w input, after its own upscaling."""
    scale = max(1.0, _DET_MIN_SIDE / max(1, min(h, w)))
    return int(h * w * scale * scale)


def _detect_bounded(rgb: np.ndarray) -> list[Box]:
    """Line boxes at full resolution, with no detector call over ``DETECT_TILE_PIXELS``."""
    h, w = rgb.shape[:2]
    if min(h, w) < _DET_MIN_SIDE and _detector_pixels(h, w) > DETECT_TILE_PIXELS:
        return _detect_folded(rgb)
    return _detect_tiled(rgb)


def _tile_starts(length: int, most: int) -> tuple[list[int], int]:
    """Starts and size of equal tiles of at most ``most`` covering ``length``, overlapping."""
    if length <= most:
        return [0], length
    count = -(-(length - _OVERLAP) // (most - _OVERLAP))
    # A multiple of 32, which the detector would otherwise resize the tile to.
    size = min(length, -(-(-(-(length - _OVERLAP) // count) + _OVERLAP) // 32) * 32)
    return [i * (length - size) // (count - 1) for i in range(count)], size


def _detect_tiled(rgb: np.ndarray) -> list[Box]:
    """Boxes from overlapping tiles; each line is kept from the tile holding its centre."""
    h, w = rgb.shape[:2]
    xs, tw = _tile_starts(w, DETECT_MAX_SIDE)
    most_h = min(DETECT_MAX_SIDE, max(_DET_MIN_SIDE, DETECT_TILE_PIXELS // tw))
    ys, th = _tile_starts(h, most_h)
    boxes = []
    for ty in ys:
        for tx in xs:
            tile = rgb[ty : ty + th, tx : tx + tw]
            result, _ = _engine()(tile, use_det=True, use_cls=False, use_rec=False)
            for quad in result or []:
                qx = [p[0] for p in quad]
                qy = [p[1] for p in quad]
                box = Box(
                    int(min(qx)) + tx,
                    int(min(qy)) + ty,
                    int(round(max(qx))) + tx,
                    int(round(max(qy))) + ty,
                ).clamp(w, h)
                cx, cy = box.center
                keep_x = (tx == 0 or cx >= tx + _OVERLAP / 2) and (
                    tx + tw >= w or cx < tx + tw - _OVERLAP / 2
                )
                keep_y = (ty == 0 or cy >= ty + _OVERLAP / 2) and (
                    ty + th >= h or cy < ty + th - _OVERLAP / 2
                )
                if box.width > 0 and box.height > 0 and keep_x and keep_y:
                    boxes.append(box)
    boxes.sort(key=lambda b: (b.y0, b.x0))
    return boxes


def _detect_folded(rgb: np.ndarray) -> list[Box]:
    """Boxes in a thin strip, found by folding it into overlapping pieces laid side by side.

    A 20000 x 8 strip becomes 26 pieces of 894 x 8 stacked into a 894 x 1040 block: the
    detector then sees about as many pixels as the strip holds, at their own scale.
    """
    h, w = rgb.shape[:2]
    tall = h > w
    side, length = (w, h) if tall else (h, w)
    lane = side + _FOLD_GAP
    piece = min(length, max(_DET_MIN_SIDE, math.isqrt(length * lane)))
    if length <= piece:
        starts = [0]
    else:
        starts = list(range(0, length - _OVERLAP, piece - _OVERLAP))
    edge = np.concatenate([rgb[0], rgb[-1], rgb[:, 0], rgb[:, -1]])
    across = -(-max(len(starts) * lane, _DET_MIN_SIDE) // 32) * 32
    along = -(-max(piece, _DET_MIN_SIDE) // 32) * 32
    block = np.empty((along, across, 3) if tall else (across, along, 3), np.uint8)
    block[:] = np.median(edge, axis=0).astype(np.uint8)
    pad = _FOLD_GAP // 2
    for k, a in enumerate(starts):
        c = k * lane + pad
        if tall:
            part = rgb[a : a + piece]
            block[: part.shape[0], c : c + side] = part
        else:
            part = rgb[:, a : a + piece]
            block[c : c + side, : part.shape[1]] = part
    boxes = []
    for b in _detect_tiled(block):
        # u runs across the pieces (the strip's short side), v along them.
        u0, u1, v0, v1 = (b.x0, b.x1, b.y0, b.y1) if tall else (b.y0, b.y1, b.x0, b.x1)
        k = int((u0 + u1) / 2 // lane)
        if k >= len(starts):
            continue
        a, c = starts[k], k * lane + pad
        held = min(piece, length - a)
        u0, u1 = max(u0 - c, 0), min(u1 - c, side)
        v0, v1 = v0 + a, min(v1, held) + a
        mid = (v0 + v1) / 2
        if u1 <= u0 or v1 <= v0:
            continue
        if (k > 0 and mid < a + _OVERLAP / 2) or (
            k < len(starts) - 1 and mid >= a + held - _OVERLAP / 2
        ):
            continue
        boxes.append(Box(u0, v0, u1, v1) if tall else Box(v0, u0, v1, u1))
    boxes.sort(key=lambda b: (b.y0, b.x0))
    return boxes


def detect_text(rgb: np.ndarray, dpr: float | None = None) -> list[TextRegion]:
    """Text lines in an HxWx3 uint8 image, measured, top to bottom, left to right.

    ``dpr`` only sets the detection resolution (see ``detect_boxes``); measurements are
    always made on the full-resolution pixels and reported in image pixels. Boxes whose
    ink is icons rather than glyphs (the detector's commonest false positive) are dropped.
    """
    boxes = detect_boxes(rgb, dpr)
    # One after another: on two threads measuring took three quarters of the time with the
    # machine loaded but half as long again near idle (GIL: most of it is small numpy calls).
    measured = (measure_line(rgb, box) for box in boxes)
    return [r for regions in measured for r in regions if not r.icons]


def measure_line(rgb: np.ndarray, box: Box) -> list[TextRegion]:
    """The line in ``box``, split where its text changes colour ("Revenue $4,210") and
    where a gap wider than a word space parts two elements ("License    Support").

    The detector boxes a label and its differently coloured value as one line; measured as
    one, the stronger colour would hide the weaker one's contrast. It also boxes a row of
    links, the segments of a switch or the cells of a table row as one line; each is its
    own text to a person (and to axe-core), so each is its own place.
    """
    region = measure_region(rgb, box)
    if not region.colours_known:
        return [region]
    pieces = _apart(rgb, region)
    if len(pieces) < 2:
        return _one_colour_each(rgb, region)
    return [
        replace(r, line=box)
        for piece in pieces
        for r in _one_colour_each(rgb, measure_region(rgb, piece))
    ]


def _one_colour_each(rgb: np.ndarray, region: TextRegion) -> list[TextRegion]:
    """``region`` without an icon of another colour before it, one region per text colour."""
    if not region.colours_known:
        return [region]
    assert region.bg is not None  # colours_known: both colours were measured
    words = _after_icon(rgb, region)
    if words is not None:
        if not words.colours_known:
            return [words]
        region = words  # and the words may still hold two colours ("Search…  ⌘K")
    assert region.bg is not None
    parts = _colour_runs(rgb, region.box, region.bg)
    if len(parts) < 2:
        return [region]
    return [replace(measure_region(rgb, part, clip=True), line=region.box) for part in parts]


def _apart(rgb: np.ndarray, region: TextRegion) -> list[Box]:
    """Pieces of a line parted by gaps of background at least ``ELEMENT_GAP`` em wide, or
    [] when it has none. A word space is a quarter to a third of an em."""
    box, bg = region.box, region.bg
    assert bg is not None
    diff = rgb[box.y0 : box.y1, box.x0 : box.x1].astype(np.int32) - np.array(bg)
    inked = (diff * diff).sum(axis=2).max(axis=0) > _SAME * _SAME  # squares: no roots
    cols = np.flatnonzero(inked)
    if len(cols) == 0:
        return []
    em = region.font_px or 0.7 * box.height
    gaps = [
        (a, b)
        for a, b in _runs(~inked)
        if a > cols[0] and b <= cols[-1] and b - a >= ELEMENT_GAP * em
    ]
    if not gaps:
        return []
    edges = [int(cols[0]), *(v for gap in gaps for v in gap), int(cols[-1]) + 1]
    return [
        Box(box.x0 + max(x0 - 2, 0), box.y0, box.x0 + min(x1 + 2, box.width), box.y1)
        for x0, x1 in zip(edges[::2], edges[1::2], strict=True)
    ]


def _after_icon(rgb: np.ndarray, region: TextRegion) -> TextRegion | None:
    """The words of a line that starts with an icon of another colour ("👤 John Doe" in a
    field, a menu item's glyph), measured without the icon; None when there is none.

    The icon is the ink before the first gap wider than ``ICON_GAP`` em, at most 1.5 em
    wide; it counts only when the words after it measure a distinct colour, since an
    icon in the text's own colour changes no ratio.
    """
    box, bg = region.box, region.bg
    assert bg is not None and region.fg is not None
    diff = rgb[box.y0 : box.y1, box.x0 : box.x1].astype(np.int32) - np.array(bg)
    inked = (diff * diff).sum(axis=2).max(axis=0) > _SAME * _SAME  # squares: no roots
    cols = np.flatnonzero(inked)
    if len(cols) == 0:
        return None
    em = region.font_px or 0.6 * box.height
    gaps = [(a, b) for a, b in _runs(~inked) if a > cols[0] and b < len(inked)]
    wide = [(a, b) for a, b in gaps if b - a >= ICON_GAP * em]
    if not wide:
        return None
    a, b = wide[0]
    if a - cols[0] > 1.5 * em or cols[-1] - b < 1.5 * em:
        return None
    words = measure_region(rgb, Box(box.x0 + b - 1, box.y0, box.x1, box.y1))
    if not words.colours_known or words.icons:
        return None
    assert words.fg is not None
    if max(abs(x - y) for x, y in zip(words.fg, region.fg, strict=True)) <= _DISTINCT:
        return None
    return words


def _colour_runs(rgb: np.ndarray, box: Box, bg: Colour) -> list[Box]:
    """Sub-boxes of a line whose glyphs have distinct solid colours, left to right.

    Each glyph's own colour is the most frequent exact colour among its farthest-from-bg
    pixels (its fully covered core). Consecutive glyphs of one colour make a run; weak runs
    (one thin glyph) join a neighbour; a line left with 2-4 runs, or with text and links
    alternating in two colours, is split. Anything else (one
    colour, colours alternating like a multicolour logo, small text whose glyphs never
    reach a solid core) is left whole: [] means no split.
    """
    crop = rgb[box.y0 : box.y1, box.x0 : box.x1].astype(np.int32)
    base = np.array(bg)
    dist = np.sqrt(((crop - base) ** 2).sum(axis=2))
    ink = dist > _SAME
    pixels = crop[ink]
    if len(pixels) < 20:
        return []
    # Cheap test first: a second colour must show up among the frequent exact colours.
    packed = (pixels[:, 0] << 16) | (pixels[:, 1] << 8) | pixels[:, 2]
    values, counts = np.unique(packed, return_counts=True)
    # A small second colour beside big text ("min" and a green "+8%" after "123.5") has
    # few exact pixels next to the big glyphs' many, so the bar is low.
    frequent = values[counts >= max(6, MINOR_INK * counts.max())]
    rgbs = np.stack([(frequent >> 16) & 255, (frequent >> 8) & 255, frequent & 255], axis=1)
    if len(rgbs) < 2 or np.abs(rgbs[:, None] - rgbs[None]).max(axis=2).max() <= _DISTINCT:
        return []

    glyphs = _glyphs(crop, dist, ink)
    glyphs.sort(key=lambda g: g[0])

    palette: list[np.ndarray] = []
    # Whether each palette colour came from a thin glyph (an "i", "l", "t": stems a pixel
    # or less wide), the only kind whose core can be a blend rather than the text colour.
    from_thin: list[bool] = []
    whos: list[int | None] = []
    for _, _, colour, _, thin, _ in glyphs:
        who = None
        if colour is not None:
            for j, p in enumerate(palette):
                fuller = np.linalg.norm(colour - base) > np.linalg.norm(p - base)
                if _same_ink(colour, p, base, thin=from_thin[j] if fuller else thin):
                    who = j
                    # Keep the fuller colour: the other is its blend with the background.
                    if fuller:
                        palette[j], from_thin[j] = colour, thin
                    break
            else:
                palette.append(colour)
                from_thin.append(thin)
                who = len(palette) - 1
        whos.append(who)
    runs: list[list] = []  # [x0, x1, palette index, glyphs with a solid core, core pixels]
    for (x0, x1, colour, solid, _, far), who in zip(glyphs, whos, strict=True):
        # A glyph with no solid core (small text: the "M" of a link) still tells its colour
        # by the blend its farthest pixel is on, when only one palette colour fits.
        if who is None and len(palette) > 1:
            who = _blend_of(far, palette, base)
            solid = 0
        if runs and (who is None or runs[-1][2] == who):
            runs[-1][1] = max(runs[-1][1], x1)
            runs[-1][3] += colour is not None
            runs[-1][4] += solid
        elif who is not None:
            runs.append([x0, x1, who, int(colour is not None), solid])

    # A lone thin glyph (an "i" or "l" whose sub-pixel stem is one blended shade) is not a
    # colour of its own: it joins its left neighbour (right, at the start of the line). A
    # run as wide as a word is one, even with a single solid core (small text whose
    # letters touch is one component: a link "support"). A paler run that could be a
    # neighbour's blend (an "ng" of 12 px grey at 66 % of the way) stands alone only
    # with a few solid glyphs ("Email Address:" before its value).
    def blend_of_neighbour(i: int) -> bool:
        near = [runs[k] for k in (i - 1, i + 1) if 0 <= k < len(runs)]
        me = palette[runs[i][2]]
        return any(
            np.linalg.norm(me - base) < np.linalg.norm(palette[r[2]] - base)
            and _same_ink(me, palette[r[2]], base, thin=True)
            for r in near
        )

    while len(runs) > 1:
        weak = [
            i
            for i, r in enumerate(runs)
            if (r[3] < 2 and r[4] < 12 and r[1] - r[0] < 1.5 * box.height)
            or r[1] - r[0] < 0.5 * box.height
            or (r[3] < BLEND_RUN and blend_of_neighbour(i))
        ]
        if not weak:
            break
        i = weak[0]
        j = i - 1 if i > 0 else 1
        keep, gone = runs[min(i, j)], runs[max(i, j)]
        strong = runs[j]
        runs[min(i, j)] = [
            min(keep[0], gone[0]),
            max(keep[1], gone[1]),
            strong[2],
            keep[3] + gone[3],
            keep[4] + gone[4],
        ]
        del runs[max(i, j)]
        merged = [runs[0]]
        for r in runs[1:]:
            if r[2] == merged[-1][2]:
                merged[-1] = [merged[-1][0], r[1], r[2], merged[-1][3] + r[3], merged[-1][4] + r[4]]
            else:
                merged.append(r)
        runs = merged
    merged = runs[:1]
    for r in runs[1:]:
        if r[2] == merged[-1][2]:
            merged[-1] = [merged[-1][0], r[1], r[2], merged[-1][3] + r[3], merged[-1][4] + r[4]]
        else:
            merged.append(r)
    runs = merged
    # Up to four runs, or text and links alternating (two colours, up to seven runs);
    # more colours than that alternate like a multicolour logo.
    if not (2 <= len(runs) <= 4 or (len(runs) <= 7 and len({r[2] for r in runs}) == 2)):
        return []
    if any(a[1] > b[0] for a, b in zip(runs, runs[1:], strict=False)):
        return []  # overlapping colours: not a label followed by a value
    return [Box(box.x0 + r[0] - 1, box.y0, box.x0 + r[1] + 1, box.y1) for r in runs]


def _glyphs(crop: np.ndarray, dist: np.ndarray, ink: np.ndarray) -> list[tuple]:
    """Each connected glyph of ``ink``, in label order: (x0, x1, core colour or None, core
    pixel count, thin, farthest pixel).

    A glyph's core is its pixels at least 0.8 of its farthest from the background; its
    colour is the commonest exact colour there (the lowest on a tie) when three pixels or
    more have it; its farthest pixel is the first (row by row) at its farthest distance.
    All glyphs at once: a table row has dozens, and numpy calls per glyph cost more than
    the few pixels each looks at (a third of measuring a table's lines).
    """
    labels, n = ndimage.label(ink, structure=np.ones((3, 3)))
    if n == 0:
        return []
    where = np.flatnonzero(labels)  # row by row, as each glyph's own pixels are taken
    lab, d, px = labels.ravel()[where], dist.ravel()[where], crop.reshape(-1, 3)[where]
    farthest = np.zeros(n + 1)
    np.maximum.at(farthest, lab, d)
    top = farthest[lab]
    at_max = np.flatnonzero(d == top)
    _, first = np.unique(lab[at_max], return_index=True)
    far_px = px[at_max[first]]
    core = d >= 0.8 * top
    packed = (px[core, 0] << 16) | (px[core, 1] << 8) | px[core, 2]
    values, counts = np.unique((lab[core].astype(np.int64) << 24) | packed, return_counts=True)
    owner = values >> 24
    # Per glyph, its commonest core colour: sorted by glyph, then most pixels, then colour.
    lead = np.lexsort((values, -counts, owner))
    lead = lead[np.unique(owner[lead], return_index=True)[1]]
    colours, sizes = (values[lead] & 0xFFFFFF).tolist(), counts[lead].tolist()
    out = []
    for i, sl in enumerate(ndimage.find_objects(labels)):
        if sl is None:
            continue
        colour, c = None, sizes[i]
        if c >= 3:
            v = colours[i]
            colour = np.array([(v >> 16) & 255, (v >> 8) & 255, v & 255])
        thin = sl[1].stop - sl[1].start <= THIN_GLYPH * (sl[0].stop - sl[0].start)
        out.append((sl[1].start, sl[1].stop, colour, c, thin, far_px[i]))
    return out


# Colours closer than this (RGB euclidean) count as the same surface: absorbs JPEG noise
# and dithering while keeping faint text (#eee on #fff is 29 away) distinct.
_SAME = 10.0
# Two text colours on one line are told apart when a channel differs by more than this.
_DISTINCT = 16
# A glyph this narrow (share of its own height) is thin: "i", "l", "t", "1", not "n", "o".
THIN_GLYPH = 0.45
# Share of the way from the background to a text colour that a glyph's core blend keeps,
# at least, when the glyph is thin and when it is not (see ``_same_ink``).
BLEND_THIN = 0.6
BLEND_WIDE = 0.75
# Solid glyphs a paler run that could be a blend of its neighbour needs to be a colour.
BLEND_RUN = 3
# A second colour on a line is looked for when its exact pixels are at least this share of
# the commonest colour's.
MINOR_INK = 0.03
# The text colour is looked for among ink pixels at least this share of the way (from the
# background) of the farthest ones (the 99th percentile).
TEXT_CORE = 0.93
# Channel tolerance for "the same background colour" (PNG is exact; JPEG noise is ~2-4).
_FLAT = 4
# Share of a box two flat colours cover when the text sits on a shape it spills out of
# (the rest is the text's ink and its anti-aliased edges).
SHAPE_COVER = 0.65


def _blend_of(pixel: np.ndarray, palette: list[np.ndarray], bg: np.ndarray) -> int | None:
    """The palette colour ``pixel`` is a blend of with the background, when exactly one is
    near (within 8 levels of the line from ``bg`` to it, at least a third of the way)."""
    fits = []
    for j, p in enumerate(palette):
        d = p - bg
        t = float((pixel - bg) @ d / (d @ d))
        if 0.33 <= t <= 1.1 and float(np.linalg.norm(pixel - bg - t * d)) <= 8.0:
            fits.append(j)
    return fits[0] if len(fits) == 1 else None


def _same_ink(a: np.ndarray, b: np.ndarray, bg: np.ndarray, thin: bool = True) -> bool:
    """Whether two glyph core colours are one text colour.

    Either they are close, or the paler is a blend of the background with the fuller one
    that keeps most of it (a glyph whose stems never fully cover a pixel). How much it
    keeps depends on the paler glyph (``thin``: an "i" or "l" may keep 60 %, a wider glyph
    keeps more: the partial cores of 12 px grey text measure 85-95 % of the way). So a
    paler grey at less than 60 % of the way, like #bcbcbc beside #6c6c6c on white, is a
    colour of its own, and so are wide glyphs at 60-68 % of the way: "Email Address:" in
    #7b809a before a value in #344767.
    """
    if np.abs(a - b).max() <= _DISTINCT:
        return True
    if np.linalg.norm(a - bg) > np.linalg.norm(b - bg):
        a, b = b, a
    d = b - bg
    t = float((a - bg) @ d / (d @ d))
    keeps = BLEND_THIN if thin else BLEND_WIDE
    return t >= keeps and float(np.linalg.norm(a - bg - t * d)) <= 8.0


def measure_region(rgb: np.ndarray, box: Box, clip: bool = False) -> TextRegion:
    """Colours and glyph metrics of the text line in ``box``.

    ``clip``: ``box`` is one colour of a line, so the ink just left and right of it (the
    neighbouring glyphs in another colour, which the padding would take in) is not its
    own and counts as background.
    """
    h, w = rgb.shape[:2]
    pad = max(2, round(box.height * 0.12))
    outer = Box(box.x0 - pad, box.y0 - pad, box.x1 + pad, box.y1 + pad).clamp(w, h)
    crop = rgb[outer.y0 : outer.y1, outer.x0 : outer.x1].astype(np.int32)
    if crop.shape[0] < 4 or crop.shape[1] < 4:
        return TextRegion(box, unmeasured="too small")

    # The text's own box, inside the padded crop.
    inner = (
        slice(box.y0 - outer.y0, box.y1 - outer.y0),
        slice(box.x0 - outer.x0, box.x1 - outer.x0),
    )
    bg = _dominant_colour(crop[inner].reshape(-1, 3))
    if clip:
        crop[:, : inner[1].start] = bg
        crop[:, inner[1].stop :] = bg
    diff = crop - np.array(bg)
    # Squared distances are whole numbers: within _SAME exactly when the square is within
    # _SAME², so the square roots are only taken for the ink below.
    dist2 = (diff * diff).sum(axis=2)
    near = dist2 <= _SAME * _SAME
    # Uniformity is judged tighter than _SAME: a gentle gradient stays within _SAME of its
    # mode for many pixels but no one exact colour runs across the box.
    flat = np.abs(diff[inner]).max(axis=2) <= _FLAT
    if not _uniform(flat) and not _on_a_shape(crop[inner], flat):
        return TextRegion(box, unmeasured="gradient or image background")

    # Ink: pixels unlike the background that do not reach the crop's edge (what reaches the
    # edge is another surface: a pill's outside, a card border, a neighbouring line).
    labels, n = ndimage.label(~near)
    if n == 0:
        return TextRegion(box, unmeasured="no ink")
    keep = np.ones(n + 1, bool)  # by label: 0 is the background, then each ink blob
    keep[0] = False
    keep[np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]])] = False
    ink = keep[labels]
    if ink.sum() < 6:
        return TextRegion(box, unmeasured="no ink")
    fg, exact = _text_colour(crop[ink], np.sqrt(dist2[ink]))
    span = float(np.sqrt(((np.array(fg) - np.array(bg)) ** 2).sum()))
    if span < _SAME * 1.5:
        return TextRegion(box, bg=bg, unmeasured="no ink")

    # Coverage of each pixel along the bg -> fg line, 0 (background) to 1 (text).
    direction = (np.array(fg) - np.array(bg)) / span**2
    alpha = np.zeros(ink.shape)
    alpha[ink] = np.clip((diff[ink] * direction).sum(axis=1), 0.0, 1.0)
    metrics = _glyph_metrics(alpha)
    if metrics is None:
        return TextRegion(box, fg=fg, bg=bg)
    ink_box, cap, xh, stroke, icons = metrics
    ink_box = Box(
        ink_box.x0 + outer.x0, ink_box.y0 + outer.y0, ink_box.x1 + outer.x0, ink_box.y1 + outer.y0
    )
    font, low, high = _font_size(cap, xh)
    bold = None if stroke is None else bool(stroke >= BOLD_STROKE_EM * font)
    return TextRegion(
        box,
        ink_box=ink_box,
        fg=fg,
        bg=bg,
        cap_height=cap,
        x_height=xh,
        font_px=round(font, 1),
        font_px_range=(round(low, 1), round(high, 1)),
        stroke_px=None if stroke is None else round(stroke, 2),
        bold=bold,
        fg_exact=exact,
        icons=icons,
    )


def _uniform(near: np.ndarray) -> bool:
    """Whether one background colour runs across the whole text box.

    The box is cut into 4 x 2 cells; in each, a good share of pixels must be that colour.
    A gradient or photo drifts away from it in some cells; a pill or button whose edge
    falls inside the padded crop does not matter because only the text's own box counts.
    """
    h, w = near.shape
    if h < 2 or w < 4:
        return bool(near.mean() >= 0.3)
    # The cells np.array_split would make (the first ones a pixel longer), counted at once.
    ys = [i * (h // 2) + min(i, h % 2) for i in range(2)]
    xs = [i * (w // 4) + min(i, w % 4) for i in range(4)]
    counts = np.add.reduceat(np.add.reduceat(near.astype(np.int32), ys, axis=0), xs, axis=1)
    sizes = np.outer(np.diff([*ys, h]), np.diff([*xs, w]))
    return bool((4 * counts >= sizes).all())  # every cell at least a quarter that colour


def _on_a_shape(crop: np.ndarray, flat: np.ndarray) -> bool:
    """Whether a box that is not one colour edge to edge is text on a small flat shape
    whose outline it crosses (initials on an avatar circle, a pill): two flat colours
    cover most of it and the text's surface (``flat``) holds its middle. A gradient or a
    photo has no two colours that cover it."""
    h, w = flat.shape
    if h < 4 or w < 4 or flat[h // 4 : h - h // 4, w // 4 : w - w // 4].mean() < 0.35:
        return False
    rest = crop[~flat]
    if len(rest) == 0:
        return True
    other = np.array(_dominant_colour(rest))
    second = np.abs(crop - other).max(axis=2) <= _FLAT
    return bool((flat | second).mean() >= SHAPE_COVER)


def _dominant_colour(pixels: np.ndarray) -> Colour:
    """The most frequent exact colour, refined by the mean of pixels near it."""
    packed = (pixels[:, 0] << 16) | (pixels[:, 1] << 8) | pixels[:, 2]
    values, counts = np.unique(packed, return_counts=True)
    top = int(values[counts.argmax()])
    mode = np.array([(top >> 16) & 255, (top >> 8) & 255, top & 255])
    close = np.abs(pixels - mode).max(axis=1) <= 3
    # With lossless screenshots this is the mode itself; with JPEG it averages the noise.
    r, g, b = (int(round(v)) for v in pixels[close].mean(axis=0))
    return r, g, b


def _text_colour(pixels: np.ndarray, dist: np.ndarray) -> tuple[Colour, bool]:
    """The text colour among ink pixels: the fully covered ones, farthest from the background.

    Also whether it was found as an exact, frequent colour (True) or is the median of the
    farthest pixels (False: JPEG, or small text with no fully covered pixel).
    """
    far = np.percentile(dist, 99)
    # Only the far end: stems of one width at one sub-pixel offset repeat the same partial
    # blend, which can outnumber the few fully covered pixels of small text (light-on-dark
    # #7b8fa3 measured as its 80 % blend #677a8d); a solid shape beside the words (a
    # status dot) is farther down the band than the glyphs' own colour when it is paler.
    top_band = dist >= TEXT_CORE * far
    core = pixels[top_band]
    packed = (core[:, 0] << 16) | (core[:, 1] << 8) | core[:, 2]
    values, first, counts = np.unique(packed, return_index=True, return_counts=True)
    if counts.max() >= max(2, 0.15 * len(core)):
        # Lossless screenshots: the exact colour of fully covered pixels is frequent. Of the
        # frequent ones (a partial blend can be as frequent), the farthest is the text's.
        frequent = counts >= max(2, 0.5 * counts.max())
        top = int(values[frequent][dist[top_band][first[frequent]].argmax()])
        return ((top >> 16) & 255, (top >> 8) & 255, top & 255), True
    r, g, b = (int(round(v)) for v in np.median(core, axis=0))
    return (r, g, b), False


def _glyph_metrics(alpha: np.ndarray):
    """(ink box, cap height, x-height, stroke width, looks like icons) from coverage, or None."""
    rows = alpha.sum(axis=1)
    inked = rows >= 0.5
    if not inked.any():
        return None
    # The line is the run of inked rows holding the most ink (a neighbouring line's
    # fragment would be a separate run).
    runs = _runs(inked)
    y0, y1 = max(runs, key=lambda r: rows[r[0] : r[1]].sum())
    band = rows[y0:y1]
    # x-height band: rows carrying a large share of the ink (every lowercase glyph crosses it).
    dense = band >= 0.35 * np.percentile(band, 90)
    xb0, xb1 = max(_runs(dense), key=lambda r: band[r[0] : r[1]].sum())
    xb0 = _x_height_top(band, xb0, xb1)
    baseline = y0 + xb1
    cap = float(baseline - y0)
    xh = float(xb1 - xb0)
    cols = alpha[y0:y1].sum(axis=0) >= 0.3
    xs = np.flatnonzero(cols)
    ink_box = Box(int(xs[0]), y0, int(xs[-1]) + 1, y1)

    # Stem width: alpha summed over each horizontal run of ink in the x-height band.
    # All rows at once: each row padded with a background column, so runs never join
    # across rows, then summed by cumulative sums between the runs' edges.
    band_alpha = alpha[y0 + xb0 : y0 + xb1]
    padded = np.zeros((band_alpha.shape[0], band_alpha.shape[1] + 1))
    padded[:, 1:] = band_alpha
    flat = padded.ravel()
    on = np.concatenate([flat > 0.1, [False]])
    edges = np.flatnonzero(on[1:] != on[:-1]) + 1
    sums = np.concatenate([[0.0], np.cumsum(np.where(on[:-1], flat, 0.0))])
    widths = sums[edges[1::2]] - sums[edges[::2]]
    stroke = float(np.median(widths)) if len(widths) else None
    return ink_box, cap, xh, stroke, _looks_like_icons(alpha[y0:y1])


def _x_height_top(band: np.ndarray, start: int, end: int) -> int:
    """The x-height line within the dense rows ``start:end`` of a line's row profile.

    In a short bold word full of capitals and ascenders ("Profit", "Tables") the rows above
    the x-height carry over a third of the ink, so the dense band starts at the cap line
    and the line reads as one height (capitals or lowercase, size unknown). There the
    profile steps up where the x-height starts: the rows above it hold well under the ink
    of those below. The step is taken only when it is clear (``X_STEP``), at least two
    rows tall and leaves an x-height of 55-85 % of the cap height, as fonts have; a line
    of one height (capitals, digits, "more") has no such step and keeps its band.
    """
    rows = band[start:end].astype(float)
    n = len(rows)
    if n < 6:
        return start
    best, best_cost = None, None
    for k in range(2, n - 2):
        if not 0.55 <= (n - k) / n <= 0.85:
            continue
        upper, lower = rows[:k], rows[k:]
        cost = float(((upper - upper.mean()) ** 2).sum() + ((lower - lower.mean()) ** 2).sum())
        if best_cost is None or cost < best_cost:
            best, best_cost = k, cost
    if best is None:
        return start
    upper, lower = rows[:best], rows[best:]
    # Every row above the step is light, not only on average: a capital's crossbar row
    # ("E", "F") in a line of capitals would otherwise fake a step.
    if upper.mean() <= X_STEP * lower.mean() and upper.max() <= 0.8 * np.median(lower):
        return start + best
    return start


def _looks_like_icons(line: np.ndarray) -> bool:
    """Whether a line's ink is a lone shape or a row of spaced shapes rather than glyphs.

    Letters sit close: the median gap between neighbouring glyphs is under a quarter of
    the line height (word spaces included), while icons in a toolbar sit half a height or
    more apart. A single square-ish shape is an icon or a lone character, which is too
    short for a contrast verdict (axe-core leaves one-character text undecided too).
    """
    height = line.shape[0]
    labels, n = ndimage.label(line > 0.35, structure=np.ones((3, 3)))
    objects = [s for s in ndimage.find_objects(labels) if s is not None]
    tall = sorted(
        (s[1].start, s[1].stop) for s in objects if s[0].stop - s[0].start >= 0.3 * height
    )
    if not tall:
        return False
    # Small marks between the glyphs (the dots of "v4.2.0", "7:20") fill the gaps they sit
    # in, as letters do; only the tall shapes say where the line starts and ends.
    spans = sorted(
        (s[1].start, s[1].stop)
        for s in objects
        if tall[0][0] <= s[1].start and s[1].stop <= max(t[1] for t in tall)
    )
    gaps, end = [], spans[0][1]
    for start, stop in spans[1:]:
        if start > end:
            gaps.append(start - end)
        end = max(end, stop)
    if not gaps:
        return end - spans[0][0] < 1.6 * height
    return float(np.median(gaps)) > 0.4 * height


def _font_size(cap: float, xh: float) -> tuple[float, float, float]:
    """Em size and its plausible (low, high) range from cap and x-heights (image pixels)."""
    # Measured heights include about half a row of anti-aliased overshoot.
    cap, xh = cap - _OVERSHOOT, xh - _OVERSHOOT
    if cap >= 1.2 * xh:
        # Mixed case: caps or ascenders rise above the x-height band. Cap height varies
        # least across fonts (about +-6 %), so it alone sets the size.
        font = cap / CAP_EM
        return font, font * (1 - FONT_SIZE_ERROR), font * (1 + FONT_SIZE_ERROR)
    # One height only: all capitals, or lowercase without ascenders ("more", "save").
    # The size is reported as capitals (commoner in short UI labels) but the range spans
    # both readings, so a size class is only claimed when both agree.
    return cap / CAP_EM, cap / CAP_EM * (1 - FONT_SIZE_ERROR), cap / X_EM * (1 + FONT_SIZE_ERROR)


# Glyphs that reach the cap or ascender line, and lowercase glyphs that stop at the
# x-height, whatever the font. Letters whose capital looks like their lowercase (c o s u
# v w x z) say nothing, since the recogniser may read either case; so do i and j, whose
# dots rise above the x-height.
_TALL = set("0123456789ABDEFGHIJKLMNPQRTY" + "bdfhklt")
_SHORT = set("aegmnpqr" + "y")


def size_from_words(region: TextRegion, text: str) -> tuple[float, float] | None:
    """The em range (image px) of a line of one height once its words are known, or None.

    A line whose glyphs all share one height is either capitals and digits (that height
    is the cap height) or lowercase without ascenders (the x-height), so its size spans
    both readings (``_font_size``). The words decide: any digit, capital or ascender
    makes it the cap height; only short lowercase letters make it the x-height. Returns
    None when the line was not of one height or the words do not tell.
    """
    if region.cap_height is None or region.x_height is None or region.font_px_range is None:
        return None
    low, high = region.font_px_range
    if high <= low * (1 + FONT_SIZE_ERROR) / (1 - FONT_SIZE_ERROR) * 1.01:
        return None  # mixed case: the size is already known
    cap = region.cap_height - _OVERSHOOT
    letters = [c for c in text if c.isalnum()]
    if not letters:
        return None
    if any(c in _TALL for c in letters):
        font = cap / CAP_EM
    elif all(c in _SHORT or c in "cosuvwxz" for c in letters) and any(c in _SHORT for c in letters):
        font = cap / X_EM
    else:
        return None
    return font * (1 - FONT_SIZE_ERROR), font * (1 + FONT_SIZE_ERROR)


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """Half-open (start, end) runs of True in a 1-D boolean array."""
    padded = np.concatenate([[False], mask, [False]])
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


# --- reading the words -----------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """The words recognised in one line box, and the recogniser's mean confidence (0-1).

    ``cut``: only the line's start was read (``text`` then ends in "…").
    """

    text: str
    score: float
    cut: bool = False

    @property
    def is_text(self) -> bool:
        """Whether the box holds words at all (icons and dots read as nothing or noise)."""
        text = self.text.strip()
        if len(text) == 1 and _is_cjk(text):
            return False  # an icon font's glyph, read as the nearest Chinese character
        return self.score >= 0.5 and any(c.isalnum() for c in text)


# A gap in a line this wide (em) parts two elements (links in a row, a switch's segments,
# table cells); word spaces are 0.25-0.35 em.
ELEMENT_GAP = 0.9
# A gap after a line's first character this wide (em) sets it apart as an icon, not a
# letter: word spaces are about a quarter em, an icon's margin half an em or more.
ICON_GAP = 0.5
# The recogniser's input height, and how many of its input pixels one output column spans.
_REC_HEIGHT = 48
_REC_STRIDE = 8
_REC_BATCH = 6
_REC_MAX_RATIO = 10


def read_lines(rgb: np.ndarray, regions: list[TextRegion | Box]) -> list[Reading]:
    """The words in each region's (or box's) box, recognised from the pixels, in order.

    PP-OCRv4's recogniser was trained mostly on Chinese and drops the spaces between Latin
    words ("Weeklyretention"), so spaces are put back where the line's ink has a gap wider
    than a letter gap (a fifth of the em) between two recognised characters.

    Lines are recognised in batches of up to ``_REC_BATCH`` of similar width (a batch pads
    each line to its widest); more than one batch run on ``READ_THREADS`` threads of the
    one-thread session (see ``_recogniser``: onnxruntime runs concurrent calls of one
    session in their callers' threads, and releases the GIL while it does). A batch reads
    the same on whichever thread it runs.
    """
    if not regions:
        return []
    lines = [r if isinstance(r, TextRegion) else TextRegion(r) for r in regions]
    rec = _engine().text_rec
    h, w = rgb.shape[:2]
    crops, cut = [], []
    for r in lines:
        b = r.box.clamp(w, h)
        # A long line is read from its start only: a title quotes a few words, and the
        # recogniser's cost grows with the width.
        cut.append(b.width > _REC_MAX_RATIO * b.height)
        b = Box(b.x0, b.y0, min(b.x1, b.x0 + _REC_MAX_RATIO * b.height), b.y1)
        crop = rgb[b.y0 : b.y1, b.x0 : b.x1]
        if crop.shape[0] < 4 or crop.shape[1] < 4:
            crop = np.full((8, 8, 3), 255, np.uint8)
        crops.append(np.ascontiguousarray(crop[:, :, ::-1]))  # the model reads BGR
    order = sorted(range(len(crops)), key=lambda i: crops[i].shape[1] / crops[i].shape[0])
    characters = rec.postprocess_op.character
    session = _recogniser()

    def batch_of(chunk: list[int]) -> list[tuple[int, Reading]]:
        # No padding to RapidOCR's 320 px minimum: the cost grows with the width (about
        # 0.3 ms per input column here) and short labels read as well without it.
        widest = max(crops[i].shape[1] / crops[i].shape[0] for i in chunk)
        batch = np.stack([rec.resize_norm_img(crops[i], widest) for i in chunk]).astype(np.float32)
        preds = session(batch)[0]
        done = []
        for i, pred in zip(chunk, preds, strict=True):
            idx, prob = pred.argmax(axis=1), pred.max(axis=1)
            keep = idx != 0
            keep[1:] &= idx[1:] != idx[:-1]
            cols = np.flatnonzero(keep)
            chars = [characters[k] for k in idx[cols]]
            score = float(prob[cols].mean()) if len(cols) else 0.0
            scale = _REC_HEIGHT / crops[i].shape[0]
            xs = [(c + 0.5) * _REC_STRIDE / scale for c in cols]
            text = _with_spaces(chars, xs, crops[i][:, :, ::-1], lines[i])
            if cut[i] and text:
                text = text.rsplit(" ", 1)[0] + "…"  # the last word may be cut through
            done.append((i, Reading(text, score, cut[i])))
        return done

    chunks = [order[k : k + _REC_BATCH] for k in range(0, len(order), _REC_BATCH)]
    batches = map(batch_of, chunks) if len(chunks) == 1 else _pool().map(batch_of, chunks)
    out: dict[int, Reading] = dict(pair for done in batches for pair in done)
    return [out[i] for i in range(len(crops))]


# Threads ``read_lines`` runs batches on and ``read_soon`` reads on: the machine's cores (2
# here), each running a one-thread recogniser call. Unlike spreading one small line over
# threads, whole lines in parallel hand no work out within a call, so a busy core costs
# one line its time only.
READ_THREADS = 2


@lru_cache(maxsize=1)
def _pool() -> ThreadPoolExecutor:
    """The threads lines are measured and read on."""
    return ThreadPoolExecutor(READ_THREADS, thread_name_prefix="text_lines")


def read_soon(rgb: np.ndarray, region: TextRegion | Box) -> Future[Reading]:
    """``read_lines(rgb, [region])[0]``, started now on the recogniser's threads, so a
    caller can go on with other work and take the words when it needs them."""
    _recogniser()  # made once, before two threads could ask for it at once
    return _pool().submit(lambda: read_lines(rgb, [region])[0])


def _with_spaces(chars: list[str], xs: list[float], crop: np.ndarray, region: TextRegion) -> str:
    """The characters joined, with a space wherever the ink between two of them has a word gap."""
    if len(chars) < 2:
        return "".join(chars).strip()
    bg = region.bg
    if bg is None:
        bg = _dominant_colour(crop.reshape(-1, 3).astype(np.int64))
    diff = crop.astype(np.int32) - np.array(bg)
    inked = ((diff * diff).sum(axis=2) > _SAME * _SAME).any(axis=0)  # squares: no roots
    em = region.font_px or crop.shape[0] * 0.6
    gap = max(2.5, 0.2 * em)
    cuts = [
        (a + b) / 2
        for a, b in _runs(~inked)
        if b - a >= gap and a > 0 and b < len(inked)  # inner gaps only
    ]
    # An icon before the words ("Q" for a magnifier, "8" for a person) is one character set
    # apart by more than a word space: the gap after it is wider than ICON_GAP em.
    wide = [(a, b) for a, b in _runs(~inked) if b - a >= ICON_GAP * em and a > 0]
    after = next((j for j in range(1, len(chars)) if chars[j] != " "), None)
    if after is not None and len(chars) - after >= 2 and wide:
        (a, b), first_ink = wide[0], np.flatnonzero(inked)
        # The icon is at most 1.5 em wide, and the gap falls between the first character
        # read and the next.
        if xs[0] < (a + b) / 2 < xs[after] and len(first_ink) and a - first_ink[0] <= 1.5 * em:
            chars, xs = chars[after:], xs[after:]
    text = chars[0]
    for prev, x0, x1, ch in zip(chars, xs, xs[1:], chars[1:], strict=False):
        if ch != " " and prev != " " and any(x0 < c < x1 for c in cuts):
            text += " "
        text += ch
    return _without_icons(" ".join(text.split()))


def _is_cjk(c: str) -> bool:
    return "\u2e80" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" or "\uff00" <= c <= "\uffef"


def _without_icons(text: str) -> str:
    """Drop a leading or trailing icon the recogniser read as one CJK character or symbol
    ("日 Docs"): the model's alphabet is mostly Chinese, so icon fonts land there."""
    words = text.split(" ")
    latin = any(c.isascii() and c.isalnum() for c in text)
    if not latin:
        return text
    while len(words) > 1 and len(words[0]) == 1 and (_is_cjk(words[0]) or not words[0].isalnum()):
        if words[0] in "+-−$€£#@%(":
            break
        words.pop(0)
    while len(words) > 1 and len(words[-1]) == 1 and _is_cjk(words[-1]):
        words.pop()
    return " ".join(words)
