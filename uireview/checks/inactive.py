"""Text WCAG 1.4.3 exempts, told from the pixels: inactive (disabled) controls and placeholders.

A disabled control and a placeholder are drawn faint on purpose, and axe-core skips both,
so ``uireview.checks.contrast`` notes them as info with the reason instead of failing them.
Every cue here is read from the screenshot alone:

- a control drawn as a faded copy of another control on the screen (text and surface both
  blended towards the page by one opacity, as ``disabled`` styles do): ``faded_copy``;
- text at the start of a field that reads like a prompt ("Search…", "e.g. Acme",
  "you@company.com"): ``reads_as_placeholder``, ``trails_off``; or, with no prompt to read,
  faint grey text at the start of a field: ``looks_like_placeholder``.
"""

from __future__ import annotations

import math
from typing import Protocol, TypeVar

import numpy as np

from uireview.checks.colours import contrast_ratio, oklab
from uireview.checks.places import Namer
from uireview.findings import Box
from uireview.screen.text import Colour, Reading

__all__ = [
    "faded_copy",
    "inactive_lines",
    "looks_like_placeholder",
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

_PROMPTS = ("e.g", "eg.", "enter ", "search", "type ", "select ", "choose ", "your ", "write ")


class Line(Protocol):
    """A measured text line (``contrast.Measurement``): its box and colours."""

    box: Box
    fg: Colour | None
    bg: Colour | None


L = TypeVar("L", bound=Line)


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


def inactive_lines(failing: list[L], namer: Namer, shown: list[L]) -> list[L]:
    """The failing lines that look like inactive controls: WCAG 1.4.3 exempts them and
    axe-core skips them, so they are noted, not failed. ``shown``: every measured line on
    the screen (the enabled controls they may be faded copies of)."""
    return [m for m in failing if faded_copy(m, namer, shown) is not None]
