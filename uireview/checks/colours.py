"""Colour arithmetic for the contrast check: WCAG luminance and ratio, OKLab, and fixes.

OKLab (Björn Ottosson, 2020) is used for "how different do two colours look" (the
distance that groups anti-aliased measurements of one CSS colour) and for "the same hue,
lighter or darker" (OKLCH keeps hue far better than HLS when lightness changes). Written
out here because the formulas are a dozen lines and no installed package has them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

Colour = tuple[int, int, int]


def relative_luminance(rgb: Colour) -> float:
    """WCAG 2.x relative luminance of an sRGB colour (0-255 channels)."""

    def channel(c: float) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: Colour, b: Colour) -> float:
    """WCAG 2.x contrast ratio (1 to 21) between two colours, in either order."""
    la, lb = relative_luminance(a), relative_luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def hex_colour(rgb: Colour) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def _linear(c: float) -> float:
    c = c / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _encode(v: float) -> float:
    v = v * 12.92 if v <= 0.0031308 else 1.055 * v ** (1 / 2.4) - 0.055
    return v * 255


@lru_cache(maxsize=4096)
def oklab(rgb: Colour) -> tuple[float, float, float]:
    """OKLab (L 0-1, a, b) of an sRGB colour (cached: grouping compares every pair)."""
    r, g, b = (_linear(c) for c in rgb)
    l_ = 0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b
    m_ = 0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b
    s_ = 0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b
    l_, m_, s_ = (math.copysign(abs(v) ** (1 / 3), v) for v in (l_, m_, s_))
    return (
        0.2104542553 * l_ + 0.7936177850 * m_ - 0.0040720468 * s_,
        1.9779984951 * l_ - 2.4285922050 * m_ + 0.4505937099 * s_,
        0.0259040371 * l_ + 0.7827717662 * m_ - 0.8086757660 * s_,
    )


def _oklab_to_linear(lab: tuple[float, float, float]) -> tuple[float, float, float]:
    L, a, b = lab
    l_ = (L + 0.3963377774 * a + 0.2158037573 * b) ** 3
    m_ = (L - 0.1055613458 * a - 0.0638541728 * b) ** 3
    s_ = (L - 0.0894841775 * a - 1.2914855480 * b) ** 3
    return (
        4.0767416621 * l_ - 3.3077115913 * m_ + 0.2309699292 * s_,
        -1.2684380046 * l_ + 2.6097574011 * m_ - 0.3413193965 * s_,
        -0.0041960863 * l_ - 0.7034186147 * m_ + 1.7076147010 * s_,
    )


def distance(a: Colour, b: Colour) -> float:
    """Perceptual distance (Euclidean OKLab, x100: about 1 is a just-noticeable difference)."""
    la, lb = oklab(a), oklab(b)
    return 100 * math.dist(la, lb)


def _lch_colour(L: float, chroma: float, hue: float) -> Colour:
    """The sRGB colour of OKLCH (L, C, h), chroma reduced until it fits the sRGB gamut."""

    def at(c: float):
        return _oklab_to_linear((L, c * math.cos(hue), c * math.sin(hue)))

    lin = at(chroma)
    if not all(-1e-6 <= v <= 1 + 1e-6 for v in lin):
        lo, hi = 0.0, chroma  # lo fits, hi does not
        for _ in range(24):
            mid = (lo + hi) / 2
            if all(-1e-6 <= v <= 1 + 1e-6 for v in at(mid)):
                lo = mid
            else:
                hi = mid
        lin = at(lo)
    r, g, b = (min(255, max(0, round(_encode(min(1.0, max(0.0, v)))))) for v in lin)
    return (r, g, b)


def _shift(colour: Colour, towards_light: bool, other: Colour, required: float) -> Colour | None:
    """The colour of ``colour``'s hue nearest it in OKLab lightness, moved the given way,
    whose ratio with ``other`` meets ``required``; None if even the end of the way fails."""
    L, a, b = oklab(colour)
    chroma, hue = math.hypot(a, b), math.atan2(b, a)
    if chroma < 0.004:  # a grey: its "hue" is rounding noise that would tint the fix
        chroma = 0.0
    end = 1.0 if towards_light else 0.0
    if contrast_ratio(_lch_colour(end, chroma, hue), other) < required:
        return None
    lo, hi = L, end  # lo fails (it is the colour itself), hi passes
    for _ in range(30):
        mid = (lo + hi) / 2
        if contrast_ratio(_lch_colour(mid, chroma, hue), other) >= required:
            hi = mid
        else:
            lo = mid
    fix = _lch_colour(hi, chroma, hue)
    # Rounding to 8 bits can land a hair under the bar: step on until it passes.
    step = 0.002 if towards_light else -0.002
    while contrast_ratio(fix, other) < required and 0.0 <= hi <= 1.0:
        hi += step
        fix = _lch_colour(min(1.0, max(0.0, hi)), chroma, hue)
    return fix if contrast_ratio(fix, other) >= required else None


@dataclass(frozen=True)
class Fix:
    """A change of colours that makes text pass: new text colour and/or new surface colour."""

    fg: Colour | None  # None: keep the text colour
    bg: Colour | None  # None: keep the surface colour
    ratio: float  # the ratio with the fix applied
    light_text: bool  # the text is lighter than its surface (and stays so)


def fix_contrast(fg: Colour, bg: Colour, required: float) -> Fix | None:
    """The smallest same-hue change that makes ``fg`` on ``bg`` reach ``required``, keeping
    polarity: light text on a darker surface gets lighter text, or if no lighter text passes,
    a darker surface; dark text gets darker, or a lighter surface. None if nothing passes.
    """
    light = relative_luminance(fg) > relative_luminance(bg)
    text = _shift(fg, light, bg, required)
    if text is not None:
        return Fix(text, None, contrast_ratio(text, bg), light)
    surface = _shift(bg, not light, fg, required)
    if surface is not None:
        return Fix(None, surface, contrast_ratio(fg, surface), light)
    # Neither alone: text at its extreme (white or black, the hue's end) and the surface
    # moved to meet it.
    end = (255, 255, 255) if light else (0, 0, 0)
    surface = _shift(bg, not light, end, required)
    if surface is None:
        return None
    return Fix(end, surface, contrast_ratio(end, surface), light)
