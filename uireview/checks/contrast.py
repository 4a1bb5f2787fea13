"""Text contrast against WCAG 2.x, measured from a screenshot's pixels (no DOM).

For every text line ``uireview.screen.text`` finds, its text and background colours and
font size come from the pixels; the WCAG 2.x contrast ratio is compared with AA (4.5:1,
or 3:1 for large text: 24 CSS px, or 18.66 CSS px bold) and AAA (7:1, or 4.5:1 large).

Precision first: a designer stops reading a tool that cries wolf, so

- text on a gradient or image gets no ratio at all (one info finding lists it);
- when the size estimate is too close to the large-text boundary to tell, the lenient
  threshold applies (a miss is cheaper than a false alarm), and the metrics say so; a
  ratio that is only a lower bound (no fully covered pixel) and within 5 % of the bar is
  not failed either;
- pieces of one line with the same colours are one finding, not several;
- a line the recogniser reads as no words (an icon, a legend dot) is not text.

A finding is one style, not one measured colour: anti-aliasing makes one CSS colour
measure as several nearby ones (#858796 as #9294a1, #8f909e ...), so failing lines whose
text and background colours are within ``SAME_STYLE`` of each other (OKLab distance) and
that fail the same way (same bar, same polarity) are one finding with every place, the
worst ratio and the range. Labels along a chart's axis are one finding.

Each finding names its text (the words of its worst line, read by the recogniser in the
rapidocr wheel; only the quoted lines are read, which keeps the cost small) and its place
(``uireview.checks.places``). Its fix keeps polarity and hue and is computed to pass
(``uireview.checks.colours.fix_contrast``).

Severity of an AA miss, by the share of the required ratio reached: under 60 % critical,
under 85 % major, else minor (4.5:1 text: < 2.7 critical, < 3.83 major). AAA misses and the
unmeasured note are info.

Options: ``dpr`` (device pixel ratio of the screenshot, 1 by default: CSS px = image px /
dpr) and ``aaa`` (also note AAA misses as info findings).
"""

from __future__ import annotations

import math
import re
from concurrent.futures import Future
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from uireview.checks.colours import (
    Fix,
    contrast_ratio,
    distance,
    fix_contrast,
    hex_colour,
    relative_luminance,
)
from uireview.checks.inactive import (
    INACTIVE_REASON,
    at_field_start,
    inactive_lines,
    looks_like_placeholder,
    prompts_after_icons,
    reads_as_placeholder,
    trails_off,
)
from uireview.checks.places import Namer, Place, axis_groups, steps_evenly
from uireview.findings import Box, Finding, Severity
from uireview.screen import Screen
from uireview.screen.text import (
    ELEMENT_GAP,
    Colour,
    Reading,
    TextRegion,
    detect_text,
    read_lines,
    read_soon,
    size_from_words,
)

__all__ = ["check", "contrast_ratio", "fix_contrast", "hex_colour", "measure", "relative_luminance"]

AA_NORMAL, AA_LARGE = 4.5, 3.0
AAA_NORMAL, AAA_LARGE = 7.0, 4.5
LARGE_PX = 24.0  # 18 pt
LARGE_BOLD_PX = 18.66  # 14 pt bold

# Two measured lines are one style when both their text colours and their background
# colours are this close (OKLab distance x100). Chosen from the spread anti-aliasing causes
# on real pages (`benchmarks/bench_contrast_real.py --spread`, 28 dev pages, every two
# lines of one axe colour pair): text colours p50 0.0, p90 5.2, p95 7.7; backgrounds p95
# 0.0, so their bound only absorbs noise (JPEG screenshots).
SAME_STYLE = 8.0
SAME_STYLE_BG = 3.0
# A ratio from a line with no fully covered pixel is a lower bound (its text colour is a
# blend); within this share of the bar it is too close to call, and, as with the size
# class, the lenient reading wins.
APPROX_MARGIN = 0.95
# Lines read per finding before it gives up looking for words (the rest are icons).
READ_TRIES = 3
# A name worth quoting has a word of three letters or a figure in it.
_WORDY = re.compile(r"[^\W\d_]{3}|\d")
# Lines of one style in text fields read to tell placeholders ("Search…") from values.
PLACEHOLDER_READS = 2
# Lines of the "not measured" note read to leave out shapes (the rest are listed unread).
UNMEASURED_READS = 2


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


# The checks below only see measured lines (``ratio`` set, and so ``fg`` and ``bg``); these
# accessors say so to the type checker.
def _fg(m: Measurement) -> Colour:
    assert m.fg is not None
    return m.fg


def _bg(m: Measurement) -> Colour:
    assert m.bg is not None
    return m.bg


def _ratio(m: Measurement) -> float:
    assert m.ratio is not None
    return m.ratio


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
        span: tuple[float, float] | None = None
        if region.font_px_range is not None:
            span = (region.font_px_range[0] / dpr, region.font_px_range[1] / dpr)
        # colours_known: both colours are set.
        assert region.fg is not None and region.bg is not None
        ratio = contrast_ratio(region.fg, region.bg)
        m = Measurement(
            box=region.box,
            fg=region.fg,
            bg=region.bg,
            ratio=ratio,
            font_px=font,
            bold=region.bold,
            large=size_class(span, region.bold),
            approx=not region.fg_exact,
            parts=[region.box],
        )
        for other in out:
            # Lines one above another are not one line: the cheap test first (most pairs).
            if other.box.y1 <= m.box.y0 or other.box.y0 >= m.box.y1:
                continue
            if other.ratio is not None and _same_line(other, m, dpr):
                other.box = other.box.union(m.box)
                other.parts.append(m.box)
                # The line's weakest piece decides; sizes agree within a line.
                if ratio < other.ratio:
                    other.fg, other.ratio, other.approx = m.fg, m.ratio, m.approx
                break
        else:
            out.append(m)
    return out


def _same_line(a: Measurement, b: Measurement, dpr: float = 1.0) -> bool:
    """Whether two detector boxes are pieces of one text (the detector cut it at a word
    space): side by side, the same colours, no wider apart than elements are
    (``ELEMENT_GAP``: two links in a row stay two places)."""
    overlap = min(a.box.y1, b.box.y1) - max(a.box.y0, b.box.y0)
    if overlap < 0.6 * min(a.box.height, b.box.height):
        return False
    gap = max(a.box.x0, b.box.x0) - min(a.box.x1, b.box.x1)
    ems = [m.font_px * dpr for m in (a, b) if m.font_px]
    em = max(ems) if ems else 0.7 * max(a.box.height, b.box.height)
    if gap >= ELEMENT_GAP * em:
        return False
    close = lambda p, q: max(abs(x - y) for x, y in zip(p, q, strict=True)) <= 12  # noqa: E731
    return close(a.fg, b.fg) and close(a.bg, b.bg)


@dataclass
class _Line:
    """A failing line on its way into a finding: its measurement, words and place."""

    m: Measurement
    reading: Reading | None = None
    place: Place | None = None

    @property
    def text(self) -> str | None:
        return self.reading.text if self.reading is not None and self.reading.is_text else None


class _Reader:
    """Reads line words for one screen, each box once however often it is asked.

    ``ahead`` starts reading lines on the recogniser's threads (``read_soon``) and returns
    at once; asking for one of them later waits for its words. A line read ahead is read
    on its own, so it reads as it would when asked alone (not as in a batch: see
    ``read_lines``).
    """

    def __init__(self, rgb: np.ndarray):
        self.rgb = rgb
        self._done: dict[Box, Reading] = {}
        self._soon: dict[Box, Future[Reading]] = {}

    def ahead(self, items: list[TextRegion | Box]) -> None:
        for item in items:
            key = _key(item)
            if key not in self._done and key not in self._soon:
                self._soon[key] = read_soon(self.rgb, item)

    def __call__(self, items: list[TextRegion | Box]) -> list[Reading]:
        todo = [i for i in items if _key(i) not in self._done and _key(i) not in self._soon]
        for item, reading in zip(todo, read_lines(self.rgb, todo), strict=True):
            self._done[_key(item)] = reading
        for item in items:
            if _key(item) in self._soon:
                self._done[_key(item)] = self._soon.pop(_key(item)).result()
        return [self._done[_key(i)] for i in items]


def _key(item: TextRegion | Box) -> Box:
    return item.box if isinstance(item, TextRegion) else item


def _uneven_column(group: list[Measurement], read, region_of) -> bool:
    """Whether an axis group is a column (one above another) of numbers that do not step
    evenly, so no value axis (see ``places.steps_evenly``)."""
    ordered = sorted(group, key=lambda m: m.box.y0)
    if len({round(m.box.center[1]) for m in ordered}) < len(ordered):
        return False  # labels side by side: a category axis
    k = (len(ordered) - 1) // 2  # three labels evenly apart in the column, as ticks are
    picked = [ordered[0], ordered[k], ordered[2 * k]]
    readings = read([region_of(m) for m in picked])
    return steps_evenly([r.text if r.is_text else None for r in readings]) is False


# Grouping asks every pair of failing lines which is lighter: each colour's luminance once.
_luminance = lru_cache(maxsize=4096)(relative_luminance)


def _light(m: Measurement) -> bool:
    return _luminance(_fg(m)) > _luminance(_bg(m))


def _same_style(a: Measurement, b: Measurement) -> bool:
    return (
        a.required == b.required
        and _light(a) == _light(b)
        and distance(_fg(a), _fg(b)) <= SAME_STYLE
        and distance(_bg(a), _bg(b)) <= SAME_STYLE_BG
    )


def group_styles(lines: list[Measurement]) -> list[list[Measurement]]:
    """Failing lines in groups of one style, worst first within each group.

    A line joins a group when it is the same style as one of its members and within twice
    the threshold of the group's first (worst) line, so a chain of small steps cannot join
    two styles a designer would call different.
    """
    groups: list[list[Measurement]] = []
    for m in sorted(lines, key=_ratio):
        for g in groups:
            first = g[0]
            if (
                any(_same_style(m, o) for o in g)
                and distance(_fg(m), _fg(first)) <= 2 * SAME_STYLE
                and distance(_bg(m), _bg(first)) <= 2 * SAME_STYLE_BG
            ):
                g.append(m)
                break
        else:
            groups.append([m])
    return groups


def _whole_line(m: Measurement, by_box: dict[Box, TextRegion]) -> Box:
    """The detector's line ``m`` is a colour of (a placeholder and the "⌘K" chip after it
    are one line of a field), else ``m``'s own box."""
    region = by_box.get(m.parts[0]) if m.parts else None
    return region.line if region is not None and region.line is not None else m.box


def _fails(m: Measurement, required: float) -> bool:
    """Below ``required``, unless only a lower bound that is too close to the bar to call."""
    ratio = _ratio(m)
    return ratio < required and not (m.approx and ratio >= APPROX_MARGIN * required)


def _settle_sizes(measured: list[Measurement], by_box: dict[Box, TextRegion], read, dpr: float):
    """Read the lines whose verdict hangs on an unknown size class, and settle it.

    A line of one height (capitals and digits, or lowercase without ascenders) can be
    read at two sizes, so the lenient bar applies; where that decides the verdict (a
    ratio between the large-text and the normal bar, as "-2%" at 3.68:1) its words say
    which height it is (``size_from_words``). Only those lines are read.
    """
    unsure = [
        m
        for m in measured
        if m.ratio is not None
        and m.large is None
        and _fails(m, AA_NORMAL)
        and not _fails(m, AA_LARGE)
        and m.parts
        and m.parts[0] in by_box
    ]
    if not unsure:
        return
    regions = [by_box[m.parts[0]] for m in unsure]
    for m, region, reading in zip(unsure, regions, read(regions), strict=True):
        if not reading.is_text:
            continue
        span = size_from_words(region, reading.text)
        if span is not None:
            m.large = size_class((span[0] / dpr, span[1] / dpr), m.bold)
            m.font_px = (span[0] + span[1]) / 2 / dpr


def check(screen: Screen, *, dpr: float = 1.0, aaa: bool = True) -> list[Finding]:
    """Findings for text below WCAG AA (and, as info, AAA); one info note for unmeasured text."""
    # With a known retina dpr, detection runs at CSS resolution (four times faster at
    # dpr 2) instead of sharing the Screen's regions, whose detector guesses the scale.
    regions = screen.text_regions if dpr == 1 else detect_text(screen.rgb, dpr)
    read = _Reader(screen.rgb)
    by_box = {r.box: r for r in regions}

    def region_of(m: Measurement) -> TextRegion | Box:
        # The region keeps its measured background, which places word gaps; a merged
        # line's box is read as a plain box.
        return by_box.get(m.box, m.box)

    measured = measure(regions, dpr)
    _settle_sizes(measured, by_box, read, dpr)
    failing: list[Measurement] = []
    below_aaa: list[Measurement] = []
    unmeasured: list[Measurement] = []
    for m in measured:
        if m.ratio is None:
            if m.reason == "gradient or image background":
                unmeasured.append(m)
        elif _fails(m, m.required):
            failing.append(m)
        elif aaa and m.ratio < m.required_aaa:
            below_aaa.append(m)
    if not failing and not below_aaa and not unmeasured:
        return []

    def read_boxes(boxes: list[Box]) -> list[str | None]:
        # A measured region knows its font size, which sets the word gap; a bare box guesses.
        items: list[TextRegion | Box] = [by_box.get(b, b) for b in boxes]
        return [r.text if r.is_text else None for r in read(items)]

    namer = Namer(screen.rgb, [r.box for r in regions], read_boxes)

    findings: list[Finding] = []
    axes = axis_groups([m.box for m in failing], screen.rgb, [r.box for r in regions])
    # A column of numbers beside other ink can be a list of amounts, not a value axis: read
    # three of them (cached; the group's name is one of them) and keep it an axis only if
    # they step evenly, or are not numbers at all.
    axes = [g for g in axes if not _uneven_column([failing[i] for i in g], read, region_of)]
    on_axis = {i for g in axes for i in g}
    # (lines, True: chart axis, False: text, None: placeholders, "inactive": disabled)
    groups: list[tuple[list[Measurement], bool | str | None]] = [
        (sorted((failing[i] for i in g), key=_ratio), True) for g in axes
    ]
    rest = [m for i, m in enumerate(failing) if i not in on_axis]
    # Text at the start of a field is a placeholder: shown only while the field is empty,
    # and left out by axe-core and most audits, so it is noted, not failed.
    # A form styles every placeholder alike, so one that reads as a prompt ("e.g. Acme",
    # "Search…") makes its whole style in fields placeholders ("John Doe", "25000"), with
    # at most PLACEHOLDER_READS reads per style.
    # Without a prompt to read, the look of one decides: faint grey text at the start of
    # a field (a value is set in the body colour; a placeholder is greyed out).
    fields = [m for m in rest if at_field_start(namer, _whole_line(m, by_box), m.bg)]
    hints = []
    for style in group_styles(fields):
        if all(looks_like_placeholder(m) for m in style):
            hints += style
            continue
        tried = style[:PLACEHOLDER_READS]
        if any(reads_as_placeholder(r) for r in read([region_of(m) for m in tried])):
            hints += style

    def read_m(ms: list[Measurement]) -> list[Reading]:
        return read([region_of(m) for m in ms])

    # A search bar's prompt with no field drawn around it ("Search…" after a magnifier).
    hints += prompts_after_icons([m for m in rest if m not in hints], namer.rgb, read_m)
    rest = [m for m in rest if m not in hints]
    # The lines a finding will most likely quote are read on the recogniser's threads
    # while the controls below are worked out: each style's worst line (most are the words
    # its finding shows) and the lowest AAA line. Only now: a line is read ahead on its
    # own, and the reads above read several lines in one batch, which pads each line to
    # the widest (the words can differ by a character), so none of theirs is taken ahead.
    # The unmeasured lines are read in one batch at the end, so not ahead either.
    read.ahead(
        [region_of(g[0]) for g, _ in groups]
        + [region_of(g[0]) for g in group_styles(rest) + group_styles(hints)]
        + [region_of(m) for m in sorted(below_aaa, key=_ratio)[:1]]
    )
    # A control drawn as a faded copy of another one on the screen (text and surface both
    # blended towards the page by one opacity, as `disabled` styles do) is inactive:
    # WCAG 1.4.3 exempts it and axe-core skips it, so it is noted, not failed.
    shown = [m for m in measured if m.ratio is not None]
    inactive = inactive_lines(rest, namer, shown)
    rest = [m for m in rest if m not in inactive]
    groups += [(g, False) for g in group_styles(rest)]
    groups += [(g, None) for g in group_styles(hints)]
    groups += [(g, "inactive") for g in group_styles(inactive)]
    # Every group's worst line is read below, each on its own (the styles the control cue
    # split have new worst lines): the ones not read yet go on two threads.
    read.ahead([region_of(g[0]) for g, _ in groups])
    late: list[Measurement] = []  # lines that read as a placeholder ("Search...")
    while groups:
        group, axis = groups.pop(0)
        lines = [_Line(m) for m in group]
        # The worst line that reads as words speaks for the group; lines that read as no
        # words are shapes, not text, and leave the finding.
        # A reading with no word or figure in it ("ma #K", a shortcut chip) names the group
        # only if no other line tried reads better.
        speaker = fallback = None
        for line in list(lines[:READ_TRIES]):
            (line.reading,) = read([region_of(line.m)])
            if axis is False and trails_off(line.reading):
                late.append(line.m)  # a prompt with an ellipsis: a placeholder
                lines.remove(line)
                continue
            if line.reading.is_text and (_WORDY.search(line.reading.text) or len(lines) == 1):
                speaker = line
                break
            if line.reading.is_text:
                fallback = fallback or line
                continue
            lines.remove(line)
        speaker = speaker or fallback
        if not groups and late:
            groups = [(g, None) for g in group_styles(late)]
            late = []
        if speaker is None:
            continue
        for line in lines:
            line.place = (
                Place("chart axis", line.m.box)
                if axis is True
                else namer.name(line.m.box, line.m.bg, line.text, read_heading=line is speaker)
            )
        note = "placeholder" if axis is None else "inactive" if axis == "inactive" else None
        findings.append(_aa_finding(screen, speaker, lines, axis is True, note=note))
    findings.sort(key=lambda f: (f.severity == "info", f.metrics["ratio"]))
    if below_aaa:
        (reading,) = read([region_of(min(below_aaa, key=_ratio))])
        findings.append(_aaa_note(screen, below_aaa, reading.text if reading.is_text else None))
    if unmeasured:
        unread = _unmeasured_note(screen, unmeasured, read, region_of)
        if unread is not None:
            findings.append(unread)
    return findings


def _unmeasured_note(screen: Screen, lines: list[Measurement], read, region_of) -> Finding | None:
    """One info note for text on gradients or images, leaving out shapes that read as no words."""
    readings = read([region_of(m) for m in lines[:UNMEASURED_READS]])
    kept = [(m, r) for m, r in zip(lines, readings, strict=False) if r.is_text]
    kept += [(m, None) for m in lines[UNMEASURED_READS:]]
    if not kept:
        return None
    n = len(kept)
    words = [r.text for _, r in kept if r is not None]
    quoted = ", ".join(f"“{w}”" for w in words[:3]) + (" …" if len(words) > 3 else "")
    return Finding(
        source="measured",
        category="contrast",
        severity="info",
        title=f"Contrast not measured for {n} text line{'s' if n > 1 else ''}"
        + (f": {quoted}" if quoted else ""),
        detail="The background behind this text is a gradient or an image, so no "
        "single contrast ratio describes it.",
        suggestion="Check the lightest and darkest parts of the background behind "
        "the text, or put the text on a solid surface.",
        image=screen.index,
        box=kept[0][0].box,
        related=[m.box for m, _ in kept[1:]],
        evidence="background is not one colour",
        rule="contrast.unmeasured",
        text=words[0] if words else None,
    )


def _severity(ratio: float, required: float, rule: str) -> Severity:
    if rule == "contrast.aaa":
        return "info"
    share = ratio / required
    return "critical" if share < 0.6 else "major" if share < 0.85 else "minor"


def _floor2(ratio: float) -> float:
    # Truncated, as axe-core does, so a ratio just under the bar never reads as meeting it.
    return math.floor(ratio * 100) / 100


def _aaa_note(screen: Screen, lines: list[Measurement], words: str | None = None) -> Finding:
    """One info finding for every line that passes AA but not AAA; ``words`` are the lowest
    line's, read from the pixels, so the note says which text it is about."""
    worst = min(lines, key=_ratio)
    lowest = _floor2(_ratio(worst))
    n = len(lines)
    if words:
        quoted = f"“{words}”" + (f" and {n - 1} more line{'s' if n > 2 else ''}" if n > 1 else "")
        title = f"{quoted}: {lowest:.2f}:1 passes AA but not AAA ({worst.required_aaa:g}:1)"
    elif n > 1:
        title = f"{n} text lines pass AA but not AAA"
    else:
        title = f"Text contrast {lowest:.2f}:1 passes AA but not AAA ({worst.required_aaa:g}:1)"
    return Finding(
        source="measured",
        category="contrast",
        severity="info",
        title=title,
        detail=f"The lowest is {lowest:.2f}:1 ({hex_colour(_fg(worst))} on "
        f"{hex_colour(_bg(worst))}). AAA asks 7:1 for normal text and 4.5:1 for large text.",
        suggestion="Only if you aim for AAA: darken secondary text, starting with the lowest.",
        image=screen.index,
        box=worst.box,
        related=[m.box for m in lines if m is not worst],
        text=words,
        evidence=f"{n} line{'s' if n > 1 else ''} between {lowest:.2f}:1 and the AAA bar",
        metrics={
            "lines": n,
            "ratio": lowest,
            "required": worst.required_aaa,
            "fg": hex_colour(_fg(worst)),
            "bg": hex_colour(_bg(worst)),
            "large": worst.large,
        },
        rule="contrast.aaa",
    )


def _truest(lines: list[Measurement]) -> Measurement:
    """The line whose measured colours are likeliest the style's own: exactly measured if
    any is, and farthest from its background (anti-aliasing only blends towards it)."""
    exact = [m for m in lines if not m.approx] or lines
    return max(exact, key=_ratio)


def group_fix(lines: list[Measurement], required: float) -> Fix | None:
    """One fix for every line of a style: computed from the style's truest colours and
    checked against every line's background, so it passes wherever the style is used.

    The truest text colour is the one farthest from its background (anti-aliasing only
    blends text towards the background), among exactly measured lines when there are any.
    """
    base = _truest(lines)
    # The surface nearest the text in luminance is the hardest one to pass on.
    base_fg = _fg(base)
    hardest = _bg(min(lines, key=lambda m: contrast_ratio(base_fg, _bg(m))))
    target = required
    for _ in range(6):
        fix = fix_contrast(base_fg, hardest, target)
        if fix is None:
            return None
        worst = _worst_ratio(fix, base_fg, lines)
        if worst >= required:
            return Fix(fix.fg, fix.bg, worst, fix.light_text)
        target += required - worst + 0.01
    return None


def _worst_ratio(fix: Fix, fg: Colour, lines: list[Measurement]) -> float:
    text = fix.fg or fg
    return min(contrast_ratio(text, fix.bg or _bg(m)) for m in lines)


def _fix_sentence(fix: Fix | None, required: float, light: bool) -> str:
    if fix is None:
        return f"No colour of this hue reaches {required:g}:1 here; choose another text colour."
    new = f"{fix.ratio:.2f}:1"
    if fix.fg is not None and fix.bg is None:
        way = "Lighten" if light else "Darken"
        return f"{way} the text to {hex_colour(fix.fg)} ({new}), same hue."
    if fix.bg is not None and fix.fg is None:
        way = "Darken" if light else "Lighten"
        reason = "no lighter text" if light else "no darker text"
        return (
            f"{way} the background to {hex_colour(fix.bg)} ({new}), same hue: "
            f"{reason} of this hue reaches {required:g}:1 on it."
        )
    # A fix changes at least one colour, so here it changes both.
    assert fix.fg is not None and fix.bg is not None
    return (
        f"Use {hex_colour(fix.fg)} text on a background of {hex_colour(fix.bg)} ({new}): "
        "neither change alone is enough."
    )


def _aa_finding(
    screen: Screen, speaker: _Line, lines: list[_Line], axis: bool, note: str | None = None
) -> Finding:
    """The finding for one failing style: ``speaker`` is its quoted line, ``lines`` all places.

    ``note``: "placeholder" (placeholder text in empty fields) or "inactive" (a control
    that looks disabled): an info note with the reason, not a failure.
    """
    placeholder = note == "placeholder"
    ms = [line.m for line in lines]
    worst = min(ms, key=_ratio)
    required = worst.required
    low, high = _floor2(_ratio(worst)), _floor2(max(_ratio(m) for m in ms))
    # The colours said are the style's truest (anti-aliasing only blends text towards its
    # background), the ones a designer finds in the CSS; the ratio is the worst measured.
    true = _truest(ms)
    fg, bg = hex_colour(_fg(true)), hex_colour(_bg(true))
    light = _light(worst)
    # Size near the large-text limit: it is judged by the lenient bar (not sure, so not
    # overstated), but the fix aims at the normal bar, so it passes whatever the size is.
    target = AA_NORMAL if worst.large is None and not placeholder and not note else required
    fix = group_fix(ms, target)
    n = len(lines)
    quote = f"“{speaker.text}”"
    if axis:
        subject = f"Chart axis labels ({quote}{' …' if n > 1 else ''})"
    else:
        subject = quote + (f" and {n - 1} more place{'s' if n > 2 else ''}" if n > 1 else "")
    spread = f" (up to {high:.2f}:1)" if high > low else ""
    needs = f"needs {required:g}:1"
    if target != required:
        needs = f"needs {target:g}:1 ({required:g}:1 if it is large text)"
    title = f"{subject}: {low:.2f}:1{spread}, {needs}"
    if placeholder:
        title = f"Placeholder {subject}: {low:.2f}:1{spread}, below {required:g}:1"
    elif note == "inactive":
        title = f"Looks disabled: {subject}: {low:.2f}:1{spread}, below {required:g}:1"

    m = worst
    if m.font_px is None:
        size = "text"
    else:
        weight = "bold" if m.bold else "regular"
        size = f"about {m.font_px:.0f} px {weight} text"
    kind = "large" if m.large else "normal"
    approx = (
        " (no pixel is fully text-coloured, so the true ratio may be a little higher)"
        if m.approx
        else ""
    )
    names = []
    for line in lines:
        if line.place is not None and line.place.name not in names:
            names.append(line.place.name)
    where = f" In {', '.join(names[:4])}{' and more' if len(names) > 4 else ''}." if names else ""
    asks = f"WCAG 2.x AA asks {required:g}:1 for {kind} text."
    if m.large is None:
        asks = (
            f"WCAG 2.x AA asks {AA_LARGE:g}:1 for large text and {AA_NORMAL:g}:1 for normal;"
            " this size is too near the limit to tell from pixels, so it is held to the"
            f" lenient bar{' and the fix aims at the other' if target != required else ''}."
        )
    detail = f"{fg} on {bg}, {size}{approx}. {asks}" + where
    if placeholder:
        detail += (
            " This looks like placeholder text at the start of an empty field: it goes"
            " away once someone types and axe-core does not check it, so it is noted, not"
            " failed. If it carries instructions, put them in a label that stays."
        )
    elif note == "inactive":
        detail += " " + INACTIVE_REASON
    metrics = {
        "ratio": low,
        "ratio_max": high,
        "required": required,
        "fix_target": target,
        "fg": fg,
        "bg": bg,
        "font_px": None if m.font_px is None else round(m.font_px, 1),
        "bold": m.bold,
        "large": m.large,
        "approx": m.approx,
        "places": n,
        "light_text": light,
        "place_names": names,
    }
    if fix is not None:
        if fix.fg is not None:
            metrics["suggested_fg"] = hex_colour(fix.fg)
        if fix.bg is not None:
            metrics["suggested_bg"] = hex_colour(fix.bg)
        metrics["fixed_ratio"] = _floor2(fix.ratio)
    if speaker.place is not None:
        # The area the place name describes, for a crop beside the finding.
        metrics["place_box"] = list(speaker.place.box)
    speaker_m = speaker.m
    return Finding(
        source="measured",
        category="contrast",
        severity="info" if note else _severity(_ratio(m), required, "contrast.aa"),
        title=title,
        detail=detail,
        suggestion=_fix_sentence(fix, target, light),
        image=screen.index,
        box=speaker_m.box,
        # The other places of this style (each a whole line; a line's pieces are in box).
        related=[line.m.box for line in lines if line is not speaker],
        evidence=f"{low:.2f}:1{spread}, {needs}" + (f"; same style in {n} places" if n > 1 else ""),
        metrics=metrics,
        rule=f"contrast.{note}" if note else "contrast.aa",
        text=speaker.text,
        place=speaker.place.name if speaker.place else None,
    )
