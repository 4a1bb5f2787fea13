"""Text WCAG 1.4.3 exempts, told from the pixels: inactive (disabled) controls and placeholders.

A disabled control and a placeholder are drawn faint on purpose, and axe-core skips both,
so ``uireview.checks.contrast`` notes them as info with the reason instead of failing them.
Every cue here is read from the screenshot alone:

- a control drawn as a faded copy of another control on the screen (text and surface both
  blended towards the page by one opacity, as ``disabled`` styles do): ``faded_copy``;
- a lone control drawn faded: a solid button whose surface is a vivid colour blended
  towards the page, with its text the page colour or faded alike, or an outline button
  whose border and text are one faded vivid colour (``faded_alone``). A faded colour has
  lost about a third of its chroma, so a colour vivid in its own right is never taken for
  one, and greys never are (a lighter grey is as often a style of its own);
- a text button or link with no surface to fade (``faded_twin``): the same words in the
  same ink lined up with at least two full-strength copies of them (a disabled "PDF" in a
  list of invoices), its text at a kit's disabled opacity of theirs;
- text at the start of a field that reads like a prompt ("Search…", "e.g. Acme",
  "you@company.com"): ``reads_as_placeholder``, ``trails_off``; or, with no prompt to read,
  faint grey text at the start of a field: ``looks_like_placeholder``. The field is the
  fill ``Namer.is_input`` follows or, where that fill leaks into a page of the field's own
  colour or an icon pushes the prompt in, the four straight edges
  ``uireview.checks.fields.field_around`` walks to (``at_field_start``);
- faint grey text just after an icon that reads as a prompt, with no field drawn round it
  (a top bar's "Search…" after its magnifier): ``prompts_after_icons``.

Measured on the dev pages (``benchmarks/bench_contrast_real.py``: 80 controls made
``disabled``, all exempt for axe), 2026-12-01: AA findings on them 34 before the lone
cues, 18 after; recall and precision against axe unchanged (0.879, 0.963) and the same
controls enabled still fail (36). On the grown dev set (42 shots, 126 controls, after
merging main): 59 -> 39, precision 0.957 -> 0.958, recall 0.936 both, still failing while
enabled 60 both. Held out, looked at once to report: 36 -> 27 of 63, precision 0.855 and
recall 0.924 both unchanged.

With the field walk, the icon-led prompts, the faded twins and the seam-tolerant button
walk (same day, dev): AA on disabled controls 39 -> 34 of 126, AA places on the DOM's
placeholders 18 -> 15 (the 15 left are all gentelella's "⌘K" chip inside its search
field, a violation axe reports, not the placeholder: 3 -> 0), recall 0.936 both (1097 of
1172), precision over text axe judges 0.979 -> 0.982. The 34 left, and why pixels alone
cannot tell: gentelella draws every disabled button and field exactly as the enabled one
(25, not one pixel differs; 10 of them are its top search field, where the AA finding is
the "⌘K" chip drawn over it), and so does sneat's disabled pill (1); a faded grey or dark
outline button is a lighter grey outline with no enabled copy in view (sneat's Discard,
"Text 4", Dark: 3); a disabled select turns only its fill grey, its text stays the
body's colour (1); material's disabled text buttons turn grey from pink, a new colour and
not a fade (4).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

import numpy as np

from uireview.checks.colours import contrast_ratio, oklab
from uireview.checks.fields import button_box, field_around, icon_before, ring_colour
from uireview.checks.places import Namer
from uireview.findings import Box
from uireview.screen.text import Colour, Reading

__all__ = [
    "INACTIVE_REASON",
    "at_field_start",
    "faded_copy",
    "faded_twin",
    "inactive_lines",
    "looks_like_placeholder",
    "prompts_after_icons",
    "reads_as_placeholder",
    "trails_off",
]

# A control whose text and surface are another's blended towards the page by one opacity
# in this range looks disabled (Bootstrap fades a disabled button to 0.65), within this
# many levels per channel.
FADED_ALPHA = (0.3, 0.85)
FADED_TOLERANCE = 8
# Text at the start of a field this faint and this grey is a placeholder by its look alone
# (placeholders on the dev pages: 1.6-2.3:1, OKLab chroma up to 0.02).
PLACEHOLDER_RATIO = 3.0
PLACEHOLDER_CHROMA = 0.04
# Bootstrap (and the kits built on it: sb-admin, sneat, material-dashboard) draws a
# disabled control at this opacity; a lone faded control is unfaded by it. What it fades
# from must be this vivid (OKLab chroma; the kits' primary colours are 0.21-0.23, their
# faded copies 0.14-0.16), or the colour is just a pastel.
DISABLED_ALPHA = 0.65
VIVID_CHROMA = 0.18
# A faded colour keeps about that share of its chroma: above this it is a vivid colour of
# its own (sneat's enabled #696cff, 0.21), not a faded one (its disabled #9d9fff, 0.14).
FADED_CHROMA = 0.17
# How far past a control its page colour is looked for when a glow surrounds it.
GLOW_PX = 16
# A button is at most this many of its label's heights tall (as ``Namer.control_surface``).
BUTTON_LINES = 3.5

# A text button's twin: a line whose box is within this many px of its size (the same
# words in the same font; the detector's boxes vary by a pixel or two) and whose ink is
# alike: coverage above INK is ink, and two lines' coverage differs by at most SHAPE_DIFF
# on average (the same words at two sub-pixel offsets: about 0.05; other words of one
# size: 0.2 and more).
TWIN_PX = 3
# Full-strength twins lined up with it that a faded text button needs: a link repeated down
# a list, one of them disabled. One darker copy is not enough (a muted line repeating its
# heading's words: axe-core's own test page has one).
TWINS = 2
# With no surface to fade with it, only the text's own fade tells a disabled text button,
# so it must be an opacity kits give disabled controls: 0.5 (Tailwind) to 0.65
# (Bootstrap, material). A lighter colour at 0.38 of another is a muted colour of its own
# (sneat's class-only "disabled" list item, #c7cdd4 beside #697a8d, which axe judges).
TWIN_ALPHA = (0.45, 0.8)
INK = 0.25
SHAPE_DIFF = 0.1

# Why a finding on such a control is a note: said in its detail.
INACTIVE_REASON = (
    "It is drawn as a disabled control is: faded towards the page, its text and fill"
    " together, beside a full-strength copy of it on this screen (the same button or link"
    " enabled) or at the 0.65 opacity UI kits give disabled controls. WCAG exempts"
    " inactive components and axe-core skips them, so it is noted, not failed. If it is"
    " not disabled, it fails."
)

_PROMPTS = ("e.g", "eg.", "enter ", "search", "type ", "select ", "choose ", "your ", "write ")


class Line(Protocol):
    """A measured text line (``contrast.Measurement``): its box and colours."""

    box: Box
    fg: Colour | None
    bg: Colour | None


L = TypeVar("L", bound=Line)
# Reads the words of measured lines (one Reading per line, cached by the caller).
Reader = Callable[[list[L]], list[Reading]]


def _colours(m: Line) -> tuple[Colour, Colour]:
    assert m.fg is not None and m.bg is not None  # only measured lines get here
    return m.fg, m.bg


def reads_as_placeholder(r: Reading) -> bool:
    """Whether a field's text reads like a prompt or an example, not a value: "Search…",
    "Enter your email", "e.g. Acme", "you@company.com". A lighter colour alone is not
    enough: list rows and alerts share a field's shape."""
    if not r.is_text:
        return False
    text = r.text.strip().lower()
    email = "@" in text and "." in text.split("@")[-1]
    return trails_off(r) or text.startswith(_PROMPTS) or email


def trails_off(r: Reading) -> bool:
    """Whether a line ends in an ellipsis we did not put there: "Search..." is a prompt.

    The recogniser often reads a small ellipsis as one full stop, so a short prompt ending
    in one ("Search.") trails off too."""
    text = r.text.strip()
    if not r.is_text or r.cut:
        return False
    if text.endswith(("...", "…", "..")):
        return True
    short_prompt = len(text.split()) <= 3 and text.lower().startswith(_PROMPTS)
    return short_prompt and text.endswith(".") and text[-2:-1].isalpha()


def looks_like_placeholder(m: Line) -> bool:
    """Faint grey text (below ``PLACEHOLDER_RATIO``, nearly no hue), as browsers and UI kits
    grey out a placeholder; said only of text at the start of a field."""
    fg, bg = _colours(m)
    _, a, b = oklab(fg)
    return contrast_ratio(fg, bg) < PLACEHOLDER_RATIO and math.hypot(a, b) <= PLACEHOLDER_CHROMA


def at_field_start(namer: Namer, box: Box, bg: Colour | None) -> bool:
    """Whether the line sits at the start of a text field: the fill ``Namer.is_input``
    follows, or, where that fill leaks out or an icon leads the text, the four straight
    edges ``field_around`` walks to."""
    if bg is None:
        return False
    return namer.is_input(box, bg) or field_around(namer.rgb, box, bg) is not None


def prompts_after_icons(lines: list[L], rgb: np.ndarray, read: Reader[L]) -> list[L]:
    """The lines that are a search bar's prompt with no field drawn around it: faint grey
    text (``looks_like_placeholder``) just after an icon, that reads as a prompt
    ("Search…"). Faint grey text after an icon that reads as anything else ("2 hours
    ago" after a clock) is not one; only these few lines are read."""
    faint = [m for m in lines if looks_like_placeholder(m)]
    led = [m for m in faint if icon_before(rgb, m.box, _colours(m)[1]) is not None]
    if not led:
        return []
    return [m for m, r in zip(led, read(led), strict=True) if reads_as_placeholder(r)]


def faded_copy(m: Line, namer: Namer, others: list[L]) -> L | None:
    """The line whose control ``m``'s control is a faded copy of, or None.

    ``m`` must sit on a small closed surface (a button or a field); the colour just outside
    that surface is the page ``p``. Another line's control is the original when one opacity
    ``a`` (``FADED_ALPHA``) gives both of ``m``'s colours: surface = p + a (surface' - p)
    and text = p + a (text' - p), each channel within ``FADED_TOLERANCE``. A tinted
    "light" button (faded surface, full-strength text) or a lighter label is no copy.
    """
    fg_m, bg_m = _colours(m)
    found = namer.control(m.box, bg_m)
    if found is None:
        return None
    page = np.array(found, float)
    fg, bg = np.array(fg_m, float), np.array(bg_m, float)
    for o in others:
        if o is m or not 0.75 <= o.box.height / max(m.box.height, 1) <= 1.33:
            continue
        fg_o, bg_o = _colours(o)
        surface = np.array(bg_o, float) - page
        if np.abs(surface).max() <= 2 * FADED_TOLERANCE:
            continue  # drawn on the page itself: no surface to fade
        a = float((bg - page) @ surface / (surface @ surface))
        if not FADED_ALPHA[0] <= a <= FADED_ALPHA[1]:
            continue
        if np.abs(page + a * surface - bg).max() > FADED_TOLERANCE:
            continue
        if np.abs(page + a * (np.array(fg_o, float) - page) - fg).max() <= FADED_TOLERANCE:
            return o
    return None


def _coverage(rgb: np.ndarray, m: Line) -> np.ndarray | None:
    """How much of each pixel of ``m``'s box is text (0 background, 1 text colour),
    cropped to its ink: the shape of its words, whatever their colour."""
    fg_m, bg_m = _colours(m)
    fg, bg = np.array(fg_m, float), np.array(bg_m, float)
    d = fg - bg
    if d @ d == 0:
        return None
    b = m.box
    crop = rgb[b.y0 : b.y1, b.x0 : b.x1].astype(float)
    t = np.clip((crop - bg) @ d / (d @ d), 0.0, 1.0)
    rows, cols = np.flatnonzero((t > INK).any(axis=1)), np.flatnonzero((t > INK).any(axis=0))
    if len(rows) == 0:
        return None
    return t[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]


def same_shape(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether two lines' ink (``_coverage``) is the same words in the same font: the same
    size within a pixel and, at the best of a one-pixel shift, alike pixel for pixel
    (``SHAPE_DIFF``: a mean difference of coverage; anti-aliasing differs a little
    where the two lines sit at different fractions of a pixel)."""
    if abs(a.shape[0] - b.shape[0]) > 1 or abs(a.shape[1] - b.shape[1]) > 1:
        return False
    h, w = min(a.shape[0], b.shape[0]) - 1, min(a.shape[1], b.shape[1]) - 1
    if h < 3 or w < 3:
        return False
    best = min(
        float(np.abs(a[dy : dy + h, dx : dx + w] - b[ey : ey + h, ex : ex + w]).mean())
        for dy in (0, 1)
        for dx in (0, 1)
        for ey in (0, 1)
        for ex in (0, 1)
    )
    return best <= SHAPE_DIFF


def faded_twin(m: L, rgb: np.ndarray, shown: Sequence[L]) -> L | None:
    """A line ``m`` is a faded copy of, with no surface of its own, or None.

    A text button or a link ("PDF" in a list of invoices) drawn in the rows or columns
    around it at least ``TWINS`` times with the same words in the same size (the same
    ink, pixel for pixel: ``same_shape``), lined up with it, on the same background, their
    text at full strength where ``m``'s is blended towards the background by one opacity
    (``TWIN_ALPHA``), as a disabled link button is. A lighter grey of other words, of
    another size, or beside a single darker copy (a muted line under its heading) is a
    style of its own: greys are near blends of one another.
    """
    fg_m, bg_m = _colours(m)
    fg, bg = np.array(fg_m, float), np.array(bg_m, float)
    mine: np.ndarray | None = None
    twins: list[L] = []
    for o in shown:
        if o is m or abs(o.box.width - m.box.width) > TWIN_PX:
            continue
        if abs(o.box.height - m.box.height) > TWIN_PX:
            continue
        if abs(o.box.x0 - m.box.x0) > TWIN_PX and abs(o.box.y0 - m.box.y0) > TWIN_PX:
            continue  # not in its column or its row
        fg_o, bg_o = _colours(o)
        if np.abs(np.array(bg_o, float) - bg).max() > FADED_TOLERANCE:
            continue
        d = np.array(fg_o, float) - bg
        if np.abs(d).max() <= 2 * FADED_TOLERANCE:
            continue
        a = float((fg - bg) @ d / (d @ d))
        if not TWIN_ALPHA[0] <= a <= TWIN_ALPHA[1]:
            continue
        if np.abs(bg + a * d - fg).max() > FADED_TOLERANCE:
            continue
        mine = _coverage(rgb, m) if mine is None else mine
        if mine is None:
            return None
        theirs = _coverage(rgb, o)
        if theirs is not None and same_shape(mine, theirs):
            twins.append(o)
            if len(twins) >= TWINS:
                return twins[0]
    return None


def _in_gamut(c: np.ndarray) -> bool:
    return bool(((c >= -FADED_TOLERANCE) & (c <= 255 + FADED_TOLERANCE)).all())


def _chroma(c: np.ndarray) -> float:
    _, a, b = oklab(tuple(int(v) for v in np.clip(np.round(c), 0, 255)))
    return math.hypot(a, b)


def _fades_from(
    colour: np.ndarray, page: np.ndarray, palette: list[np.ndarray]
) -> np.ndarray | None:
    """The vivid colour ``colour`` is, blended towards ``page``: one on the screen
    (``palette``) at one opacity in ``FADED_ALPHA``, else the one at Bootstrap's
    ``DISABLED_ALPHA``; None if neither is vivid (``VIVID_CHROMA``) or ``colour`` is itself
    too vivid to be a faded one (``FADED_CHROMA``).

    Greys are never faded copies here: a lighter grey is as often a style of its own."""
    if _chroma(colour) > FADED_CHROMA:
        return None
    for c in palette:
        d = c - page
        if np.abs(d).max() <= 2 * FADED_TOLERANCE or _chroma(c) < VIVID_CHROMA:
            continue
        a = float((colour - page) @ d / (d @ d))
        if FADED_ALPHA[0] <= a <= FADED_ALPHA[1]:
            if np.abs(page + a * d - colour).max() <= FADED_TOLERANCE:
                return c
    full = page + (colour - page) / DISABLED_ALPHA
    if _in_gamut(full) and _chroma(full) >= VIVID_CHROMA:
        return full
    return None


def _border(rgb: np.ndarray, b: Box) -> np.ndarray:
    """The colour just outside a surface's left and right edges, at its middle row."""
    h, w = rgb.shape[:2]
    y = (b.y0 + b.y1) // 2
    left = rgb[y, max(b.x0 - 1, 0)].astype(float)
    right = rgb[y, min(b.x1, w - 1)].astype(float)
    return (left + right) / 2


def faded_alone(m: Line, namer: Namer, palette: list[np.ndarray]) -> bool:
    """Whether ``m``'s control is drawn faded though no faded-from copy of it is in view.

    Two shapes, both as ``disabled`` styles draw them (the whole control at one opacity):

    - a solid button whose surface is a colour on the screen, or a vivid colour, blended
      towards the page (``_fades_from``) and whose text is the page colour (white on a
      white page stays white) or fades the same way;
    - an outline button (its surface is the page) whose border and text are one colour,
      faded from a colour on the screen or a vivid one.

    A pastel button with white text that is not disabled looks the same; see the module
    docstring for how often that happens on the dev pages.
    """
    fg_m, bg_m = _colours(m)
    # The page just outside the control, and past a glow around it (a floating button's
    # coloured shadow fades with it).
    for gap in (3, GLOW_PX):
        found = namer.control_surface(m.box, bg_m, gap)
        if found is not None and _faded_on(m, namer.rgb, *found, palette):
            return True
    # A translucent button may be cut in two by a seam where the fill above stops; a
    # floating one's coloured shadow spreads farther than GLOW_PX.
    b = button_box(namer.rgb, m.box, bg_m)
    if b is None or b.height > BUTTON_LINES * m.box.height or b.width > namer.width / 2:
        return False
    gaps = (3, GLOW_PX, 2 * GLOW_PX)
    return any(_faded_on(m, namer.rgb, b, ring_colour(namer.rgb, b, g), palette) for g in gaps)


def _faded_on(m: Line, rgb: np.ndarray, box: Box, outer: Colour, palette: list[np.ndarray]) -> bool:
    fg_m, bg_m = _colours(m)
    page = np.array(outer, float)
    fg, bg = np.array(fg_m, float), np.array(bg_m, float)
    if np.abs(bg - page).max() <= FADED_TOLERANCE:
        border = _border(rgb, box)
        if np.abs(border - fg).max() > 3 * FADED_TOLERANCE:
            return False  # no outline of the text's colour
        return _fades_from(fg, page, palette) is not None
    if _fades_from(bg, page, palette) is None:
        return False
    if np.abs(fg - page).max() <= FADED_TOLERANCE:
        return True
    return _in_gamut(page + (fg - page) / DISABLED_ALPHA)


def _palette(shown: Sequence[Line]) -> list[np.ndarray]:
    """The distinct text and surface colours of the screen's measured lines."""
    out: list[np.ndarray] = []
    for m in shown:
        for c in _colours(m):
            v = np.array(c, float)
            if all(np.abs(v - o).max() > FADED_TOLERANCE for o in out):
                out.append(v)
    return out


def inactive_lines(failing: list[L], namer: Namer, shown: list[L]) -> list[L]:
    """The failing lines that look like inactive controls: WCAG 1.4.3 exempts them and
    axe-core skips them, so they are noted, not failed. ``shown``: every measured line on
    the screen (the enabled controls they may be faded copies of)."""
    palette = _palette(shown)
    return [
        m
        for m in failing
        if faded_copy(m, namer, shown) is not None
        or faded_alone(m, namer, palette)
        or faded_twin(m, namer.rgb, shown) is not None
    ]
