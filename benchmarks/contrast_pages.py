"""Seeded HTML pages with known text colours, sizes and weights, for the contrast benchmark.

Each page is a dashboard-like grid of cards (light and dark themes, coloured cards, pills and
buttons, a few gradient cards that axe-core cannot judge, and non-text decoys: icons,
progress bars, sparklines, dividers), and some lines that carry a second colour
("Revenue $4,210") so one detected line holds two verdicts. Every text element is a nowrap
``<span data-t="N">`` so axe-core's verdict and the text's rendered box pair up by id.
Text colours are drawn so that many ratios fall near the 4.5:1 and 3:1 thresholds, where a
pixel-based tool is most likely to be wrong.
"""

from __future__ import annotations

import colorsys
import html
import random
from dataclasses import dataclass

FONTS = ["DejaVu Sans", "Liberation Sans", "Liberation Serif", "DejaVu Serif"]
SIZES = [11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 28, 30, 32]
WORDS = (
    "revenue orders active users billing settings overview report export filter status "
    "pending shipped delivered archive invoice team members projects storage quota plan "
    "upgrade monthly weekly today yesterday growth churn sessions retention download share "
    "account profile security notifications integrations webhooks tokens history latest "
    "average median total balance payments refunds disputes customers segments campaign "
    "budget spend clicks views conversion funnel cohort region language timezone"
).split()
VALUES = ["$4,210", "12.5%", "Active", "3 days", "+8%", "Paid", "1,024", "Due"]
LABELS = ["NEW", "BETA", "PRO", "LIVE", "SALE", "TODO", "OK"]


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    la, lb = _luminance(a), _luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def hexcolor(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def _hls(h: float, lum: float, s: float) -> tuple[int, int, int]:
    r, g, b = colorsys.hls_to_rgb(h, lum, s)
    return (round(r * 255), round(g * 255), round(b * 255))


def colour_with_ratio(rng: random.Random, bg: tuple[int, int, int], target: float):
    """A random-hue colour whose contrast with bg is close to target (None if out of reach)."""
    h = rng.random()
    s = rng.choice([0.0, 0.0, 0.2, 0.5, 0.8])
    darker = _luminance(bg) > 0.18
    best = None
    lo, hi = 0.0, 1.0
    for _ in range(30):
        mid = (lo + hi) / 2
        c = _hls(h, mid, s)
        r = ratio(c, bg)
        best = c
        # Moving away from bg raises the ratio: towards black if bg is light, white if dark.
        if (r < target) == darker:
            hi = mid
        else:
            lo = mid
    if best is None or abs(ratio(best, bg) - target) > 0.15:
        return None
    return best


def _target_ratio(rng: random.Random) -> float:
    u = rng.random()
    if u < 0.18:
        return rng.uniform(1.25, 2.5)
    if u < 0.58:
        return rng.uniform(2.5, 5.5)
    if u < 0.8:
        return rng.uniform(5.5, 9.0)
    return rng.uniform(9.0, 18.0)


@dataclass
class TextSpec:
    id: int
    text: str
    color: str
    background: str  # the colour painted behind it ("gradient" when it is a gradient)
    size: int
    weight: int
    font: str


THEMES = {
    "light": dict(page=[(255, 255, 255), (248, 249, 251), (243, 244, 246)], lightness=(0.88, 1.0)),
    "dark": dict(page=[(17, 24, 39), (24, 24, 27), (15, 23, 42)], lightness=(0.08, 0.24)),
}


def _card_bg(rng: random.Random, theme: str) -> tuple[int, int, int]:
    lo, hi = THEMES[theme]["lightness"]
    if rng.random() < 0.4:
        return rng.choice(THEMES[theme]["page"])
    return _hls(rng.random(), rng.uniform(lo, hi), rng.uniform(0.1, 0.7))


def _phrase(rng: random.Random, max_chars: int) -> str:
    if rng.random() < 0.06:
        return rng.choice(LABELS)
    words = rng.sample(WORDS, rng.randint(1, 4))
    while len(words) > 1 and len(" ".join(words)) > max_chars:
        words.pop()
    text = " ".join(words)[:max_chars]
    return text[0].upper() + text[1:]


def _decoy(rng: random.Random, bg: tuple[int, int, int]) -> str:
    """Something that is not text but a text detector may take for it: icons, a progress
    bar, a sparkline, a divider. A finding on one of these is a false alarm."""
    colour = hexcolor(_hls(rng.random(), rng.uniform(0.2, 0.8), rng.uniform(0.0, 0.8)))
    kind = rng.choice(["icons", "progress", "sparkline", "divider"])
    if kind == "icons":
        icons = []
        for _ in range(rng.randint(2, 5)):
            size = rng.choice([14, 16, 20, 24])
            shape = rng.choice(
                [
                    f'<circle cx="12" cy="12" r="9" fill="none" stroke="{colour}" '
                    'stroke-width="2"/>',
                    f'<rect x="4" y="4" width="16" height="16" rx="3" fill="{colour}"/>',
                    f'<path d="M4 12l5 5L20 6" fill="none" stroke="{colour}" stroke-width="2"/>',
                    f'<path d="M12 3l9 16H3z" fill="{colour}"/>',
                ]
            )
            icons.append(
                f'<svg width="{size}" height="{size}" viewBox="0 0 24 24" '
                f'style="margin-right:8px">{shape}</svg>'
            )
        return f'<div style="margin:8px 0">{"".join(icons)}</div>'
    if kind == "progress":
        pct = rng.randint(10, 90)
        track = hexcolor(tuple(min(255, max(0, c + rng.choice([-24, 24]))) for c in bg))
        return (
            f'<div style="margin:10px 0;height:6px;border-radius:3px;background:{track}">'
            f'<div style="width:{pct}%;height:6px;border-radius:3px;background:{colour}">'
            "</div></div>"
        )
    if kind == "sparkline":
        points = " ".join(f"{x * 12},{rng.randint(2, 30)}" for x in range(16))
        return (
            '<svg width="190" height="32" style="margin:6px 0;display:block">'
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>'
            "</svg>"
        )
    return f'<hr style="border:0;border-top:1px solid {colour};margin:10px 0">'


def make_page(seed: int, theme: str, width: int = 1280) -> tuple[str, list[TextSpec]]:
    """One HTML page and the specs of its text elements."""
    rng = random.Random(seed)
    # Non-text shapes come from their own generator so the text stays the same with or
    # without them.
    deco = random.Random(seed + 1)
    pair = random.Random(seed + 2)
    page_bg = rng.choice(THEMES[theme]["page"])
    specs: list[TextSpec] = []
    cards = []
    cols = rng.choice([2, 3, 3, 4])
    inner = (width - 48 - 20 * (cols - 1)) / cols - 2 * 24 - 20
    for _ in range(rng.randint(8, 10)):
        gradient = rng.random() < 0.1
        bg = _card_bg(rng, theme)
        bg2 = _card_bg(rng, theme)
        card_style = (
            f"background:linear-gradient(135deg,{hexcolor(bg)},{hexcolor(bg2)})"
            if gradient
            else f"background:{hexcolor(bg)}"
        )
        lines = []
        for _ in range(rng.randint(3, 6)):
            size = rng.choice(SIZES)
            weight = rng.choice([400, 400, 700])
            font = rng.choice(FONTS)
            pill = not gradient and rng.random() < 0.15
            behind = bg
            if pill:
                behind = _card_bg(rng, theme if rng.random() < 0.5 else "light")
            fg = None
            while fg is None:
                fg = colour_with_ratio(rng, behind, _target_ratio(rng))
            spec = TextSpec(
                id=len(specs),
                text=_phrase(rng, max(3, int(inner / (0.62 * size)))),
                color=hexcolor(fg),
                background="gradient" if gradient else hexcolor(behind),
                size=size,
                weight=weight,
                font=font,
            )
            specs.append(spec)
            style = (
                f"color:{spec.color};font-size:{size}px;font-weight:{weight};font-family:'{font}'"
            )
            if pill:
                style += f";background:{hexcolor(behind)};padding:3px 10px;border-radius:6px"
            gap = rng.choice([4, 8, 12])
            value = ""
            room = inner - 0.62 * size * (len(spec.text) + 8)
            if not gradient and not pill and room > 0 and pair.random() < 0.25:
                # A second colour on the same line ("Revenue  $4,210"): one detector box,
                # two verdicts.
                vfg = None
                while vfg is None:
                    vfg = colour_with_ratio(pair, behind, _target_ratio(pair))
                vspec = TextSpec(
                    id=len(specs),
                    text=pair.choice(VALUES),
                    color=hexcolor(vfg),
                    background=hexcolor(behind),
                    size=size,
                    weight=weight,
                    font=font,
                )
                specs.append(vspec)
                vstyle = style.replace(f"color:{spec.color}", f"color:{vspec.color}")
                value = (
                    f' <span data-t="{vspec.id}" style="{vstyle}">{html.escape(vspec.text)}</span>'
                )
            lines.append(
                f'<div style="margin:{gap}px 0"><span data-t="{spec.id}" style="{style}">'
                f"{html.escape(spec.text)}</span>{value}</div>"
            )
        if not gradient:
            lines.insert(deco.randint(0, len(lines)), _decoy(deco, bg))
        pad = rng.choice([12, 16, 24])
        cards.append(
            f'<div class="card" style="{card_style};padding:{pad}px;border-radius:8px">'
            + "".join(lines)
            + "</div>"
        )
    doc = f"""<!doctype html><html><head><meta charset="utf-8"><style>
body{{margin:0;padding:24px;background:{hexcolor(page_bg)};width:{width - 48}px}}
.grid{{display:grid;grid-template-columns:repeat({cols},1fr);gap:20px}}
.card{{overflow:hidden}} span{{white-space:nowrap;line-height:1.3}}
</style></head><body><div class="grid">{"".join(cards)}</div></body></html>"""
    return doc, specs


def pages(count: int, seed: int = 7) -> list[tuple[str, str, list[TextSpec]]]:
    """count pages (name, html, specs), alternating light and dark themes."""
    out = []
    for i in range(count):
        theme = "light" if i % 2 == 0 else "dark"
        doc, specs = make_page(seed * 1000 + i, theme)
        out.append((f"page{i:02d}-{theme}", doc, specs))
    return out
