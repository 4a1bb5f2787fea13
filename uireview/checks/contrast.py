"""Text contrast against WCAG 2.x, measured from a screenshot's pixels (no DOM).

For every text line ``uireview.screen.text`` finds, its text and background colours and
font size come from the pixels; the WCAG 2.x contrast ratio is compared with AA (4.5:1,
or 3:1 for large text: 24 CSS px, or 18.66 CSS px bold) and AAA (7:1, or 4.5:1 large).

Precision first: a designer stops reading a tool that cries wolf, so

- text on a gradient or image gets no ratio at all (one info finding lists it);
- when the size estimate is too close to the large-text boundary to tell, the lenient
  threshold applies (a miss is cheaper than a false alarm), and the metrics say so;
- pieces of one line with the same colours are one finding, not several.

Severity of an AA miss, by the share of the required ratio reached: under 60 % critical,
under 85 % major, else minor (4.5:1 text: < 2.7 critical, < 3.83 major). AAA misses and the
unmeasured note are info.

Options: ``dpr`` (device pixel ratio of the screenshot, 1 by default: CSS px = image px /
dpr) and ``aaa`` (also note AAA misses as info findings).
"""

from __future__ import annotations

import colorsys
import math
from dataclasses import dataclass, field

from uireview.findings import Box, Finding
from uireview.screen import Screen
from uireview.screen.text import Colour, TextRegion, detect_text

AA_NORMAL, AA_LARGE = 4.5, 3.0
AAA_NORMAL, AAA_LARGE = 7.0, 4.5
LARGE_PX = 24.0  # 18 pt
LARGE_BOLD_PX = 18.66  # 14 pt bold


def relative_luminance(rgb: Colour) -> float:
    """WCAG 2.x relative luminance of an sRGB colour (0-255 channels)."""

    def channel(c: int) -> float:
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


def size_class(font_range: tuple[float, float] | None, bold: bool | None) -> bool | None:
    """True if large text, False if normal, None if the plausible sizes straddle the limit.

    ``font_range`` is the (low, high) CSS px size the glyphs are consistent with.
    """
    if font_range is None:
        return None
    limit = LARGE_BOLD_PX if bold else LARGE_PX
    low, high = font_range
    if low >= limit:
        return True
    if high < limit:
        return False
    return None


def passing_colour(fg: Colour, bg: Colour, required: float) -> Colour | None:
    """The text colour nearest to fg in lightness, same hue and saturation, that meets required.

    Searches HLS lightness towards black and towards white and keeps the smaller change;
    None if neither reaches the ratio (then the background has to change).
    """
    h, lum, s = colorsys.rgb_to_hls(*(c / 255 for c in fg))
    best = None
    for end in (0.0, 1.0):
        if contrast_ratio(_hls(h, end, s), bg) < required:
            continue
        lo, hi = lum, end  # lo fails (or is fg), hi passes
        for _ in range(40):
            mid = (lo + hi) / 2
            if contrast_ratio(_hls(h, mid, s), bg) >= required:
                hi = mid
            else:
                lo = mid
        if best is None or abs(hi - lum) < abs(best - lum):
            best = hi
    return None if best is None else _hls(h, best, s)


def _hls(h: float, lum: float, s: float) -> Colour:
    r, g, b = colorsys.hls_to_rgb(h, lum, s)
    return (round(r * 255), round(g * 255), round(b * 255))


@dataclass
class Measurement:
    """The contrast of one text line (several detector boxes of one line are merged)."""

    box: Box
    fg: Colour | None
    bg: Colour | None
    ratio: float | None  # None: could not measure (see reason)
    font_px: float | None = None  # CSS px
    bold: bool | None = None
    large: bool | None = None  # None: too close to the boundary to tell
    approx: bool = False  # no fully covered pixel: the ratio is a lower bound
    reason: str = ""
    parts: list[Box] = field(default_factory=list)

    @property
    def required(self) -> float:
        """AA threshold; the lenient one when the size class is uncertain."""
        return AA_NORMAL if self.large is False else AA_LARGE

    @property
    def required_aaa(self) -> float:
        return AAA_NORMAL if self.large is False else AAA_LARGE


def measure(regions: list[TextRegion], dpr: float = 1.0) -> list[Measurement]:
    """One measurement per text line, merging same-coloured pieces of a line."""
    out: list[Measurement] = []
    for region in regions:
        if not region.colours_known:
            out.append(
                Measurement(region.box, None, None, None, reason=region.unmeasured or "unknown")
            )
            continue
        font = None if region.font_px is None else region.font_px / dpr
        span = None
        if region.font_px_range is not None:
            span = (region.font_px_range[0] / dpr, region.font_px_range[1] / dpr)
        m = Measurement(
            box=region.box,
            fg=region.fg,
            bg=region.bg,
            ratio=contrast_ratio(region.fg, region.bg),
            font_px=font,
            bold=region.bold,
            large=size_class(span, region.bold),
            approx=not region.fg_exact,
            parts=[region.box],
        )
        for other in out:
            if other.ratio is not None and _same_line(other, m):
                other.box = other.box.union(m.box)
                other.parts.append(m.box)
                # The line's weakest piece decides; sizes agree within a line.
                if m.ratio < other.ratio:
                    other.fg, other.ratio, other.approx = m.fg, m.ratio, m.approx
                break
        else:
            out.append(m)
    return out


def _same_line(a: Measurement, b: Measurement) -> bool:
    overlap = min(a.box.y1, b.box.y1) - max(a.box.y0, b.box.y0)
    if overlap < 0.6 * min(a.box.height, b.box.height):
        return False
    gap = max(a.box.x0, b.box.x0) - min(a.box.x1, b.box.x1)
    if gap > 1.5 * max(a.box.height, b.box.height):
        return False
    close = lambda p, q: max(abs(x - y) for x, y in zip(p, q, strict=True)) <= 12  # noqa: E731
    return close(a.fg, b.fg) and close(a.bg, b.bg)


def check(screen: Screen, *, dpr: float = 1.0, aaa: bool = True) -> list[Finding]:
    """Findings for text below WCAG AA (and, as info, AAA); one info note for unmeasured text."""
    findings = []
    unmeasured = []
    # With a known retina dpr, detection runs at CSS resolution (four times faster at
    # dpr 2) instead of sharing the Screen's regions, whose detector guesses the scale.
    regions = screen.text_regions if dpr == 1 else detect_text(screen.rgb, dpr)
    # A designer fixes a colour pair once, so each pair below AA is one finding with every
    # place it occurs; AAA misses are one note. A long list of repeats reads as crying wolf.
    below_aa: dict[tuple, list[Measurement]] = {}
    below_aaa: list[Measurement] = []
    for m in measure(regions, dpr):
        if m.ratio is None:
            if m.reason == "gradient or image background":
                unmeasured.append(m.box)
            continue
        if m.ratio < m.required:
            key = (hex_colour(m.fg), hex_colour(m.bg), m.required)
            below_aa.setdefault(key, []).append(m)
        elif aaa and m.ratio < m.required_aaa:
            below_aaa.append(m)
    for group in below_aa.values():
        worst = min(group, key=lambda m: m.ratio)
        findings.append(_finding(screen, worst, worst.required, "contrast.aa", group))
    findings.sort(key=lambda f: f.metrics["ratio"])
    if below_aaa:
        findings.append(_aaa_note(screen, below_aaa))
    if unmeasured:
        n = len(unmeasured)
        findings.append(
            Finding(
                source="measured",
                category="contrast",
                severity="info",
                title=f"Contrast not measured for {n} text line{'s' if n > 1 else ''}",
                detail="The background behind this text is a gradient or an image, so no "
                "single contrast ratio describes it.",
                suggestion="Check the lightest and darkest parts of the background behind "
                "the text, or put the text on a solid surface.",
                image=screen.index,
                box=unmeasured[0],
                related=unmeasured[1:],
                evidence="background is not one colour",
                rule="contrast.unmeasured",
            )
        )
    return findings


def _severity(ratio: float, required: float, rule: str) -> str:
    if rule == "contrast.aaa":
        return "info"
    share = ratio / required
    return "critical" if share < 0.6 else "major" if share < 0.85 else "minor"


def _aaa_note(screen: Screen, lines: list[Measurement]) -> Finding:
    """One info finding for every line that passes AA but not AAA."""
    if len(lines) == 1:
        return _finding(screen, lines[0], lines[0].required_aaa, "contrast.aaa")
    worst = min(lines, key=lambda m: m.ratio)
    lowest = math.floor(worst.ratio * 100) / 100
    n = len(lines)
    return Finding(
        source="measured",
        category="contrast",
        severity="info",
        title=f"{n} text lines pass AA but not AAA",
        detail=f"The lowest is {lowest:.2f}:1 ({hex_colour(worst.fg)} on "
        f"{hex_colour(worst.bg)}). AAA asks 7:1 for normal text and 4.5:1 for large text.",
        suggestion="Only if you aim for AAA: darken secondary text, starting with the lowest.",
        image=screen.index,
        box=worst.box,
        related=[m.box for m in lines if m is not worst],
        evidence=f"{n} lines between {lowest:.2f}:1 and the AAA bar",
        metrics={"lines": n, "ratio": lowest, "required": worst.required_aaa},
        rule="contrast.aaa",
    )


def _finding(
    screen: Screen,
    m: Measurement,
    required: float,
    rule: str,
    group: list[Measurement] | None = None,
) -> Finding:
    """The finding for ``m``; ``group`` lists every line with the same colours (``m`` included)."""
    places = group or [m]
    level = "AA" if rule == "contrast.aa" else "AAA"
    # Truncated, as axe-core does, so a ratio just under the bar never reads as meeting it.
    ratio = math.floor(m.ratio * 100) / 100
    fg, bg = hex_colour(m.fg), hex_colour(m.bg)
    if m.font_px is None:
        size = "text"
    else:
        weight = "bold" if m.bold else "regular"
        size = f"about {m.font_px:.0f} px {weight} text"
    kind = {True: "large", False: "normal", None: "large (size near the boundary)"}[m.large]
    fix = passing_colour(m.fg, m.bg, required)
    if fix is None:
        suggestion = f"No shade of this hue reaches {required:g}:1 on {bg}; change the background."
    else:
        way = "Darken" if relative_luminance(fix) < relative_luminance(m.fg) else "Lighten"
        suggestion = (
            f"{way} the text to {hex_colour(fix)} ({contrast_ratio(fix, m.bg):.2f}:1), "
            f"same hue, or change the background."
        )
    approx = (
        " (no pixel is fully text-coloured, so the true ratio may be a little higher)"
        if m.approx
        else ""
    )
    metrics = {
        "ratio": ratio,
        "required": required,
        "fg": fg,
        "bg": bg,
        "font_px": None if m.font_px is None else round(m.font_px, 1),
        "bold": m.bold,
        "large": m.large,
        "approx": m.approx,
    }
    if fix is not None:
        metrics["suggested_fg"] = hex_colour(fix)
    n = len(places)
    where = f" in {n} places" if n > 1 else ""
    metrics["places"] = n
    return Finding(
        source="measured",
        category="contrast",
        severity=_severity(m.ratio, required, rule),
        title=f"Text contrast {ratio:.2f}:1 is below {level} ({required:g}:1){where}",
        detail=f"{fg} on {bg}, {size}{approx}. WCAG 2.x {level} asks {required:g}:1 for "
        f"{kind} text.",
        suggestion=suggestion,
        image=screen.index,
        box=m.box,
        # The other places with these colours (each a whole line; a line's pieces are in box).
        related=[p.box for p in places if p is not m],
        evidence=f"{ratio:.2f}:1, needs {required:g}:1"
        + (f"; same colours {n} times" if n > 1 else ""),
        metrics=metrics,
        rule=rule,
    )
