"""Synthetic UI screenshots with planted defects, for tests and benchmarks.

``render_dashboard(layout, theme, seed, defects)`` draws a plausible page with Pillow and
returns the image with its ``Truth``: where the cards, headings and buttons are and where
each planted defect sits. Every value on a clean page sits on a 4 px grid, gaps between
siblings are equal and paddings match, so anything a check reports on a clean page is a
false positive.

Layouts: "cards" (KPI row + card grid), "sidebar" (nav column + cards), "topnav" (a nav bar
over cards), "table" (summary cards + data table), "form" (a centred form card); card and
column counts, gaps, paddings, radii, borders and accent colours vary with the seed.
Themes: "light", "dark". ``size`` scales the page (2560x1600 is the 1440x900 page at 2x).

Defects (at most a few per page; each is recorded in ``Truth.defects``):
  odd_gap          one gap between siblings differs from the others (e.g. 24 -> 33 px)
  off_column       one element sits 3-6 px off the column its siblings share
  padding_mismatch one card's content is inset 8 px more than its siblings'
  heading_shrunk   the page title is drawn at body size and weight
  equal_buttons    the secondary button is filled like the primary one
  competing_heading one card's title is set as large and bold as the page title
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from uireview.findings import Box

LAYOUTS = ("cards", "sidebar", "topnav", "table", "form")
THEMES = ("light", "dark")
DEFECTS = (
    "odd_gap",
    "off_column",
    "padding_mismatch",
    "heading_shrunk",
    "equal_buttons",
    "competing_heading",
)

_FONT_DIR = "/usr/share/fonts/truetype/dejavu/"
_WORDS = (
    "revenue orders users sessions churn growth billing invoices active weekly region "
    "pipeline forecast conversion retention refunds support tickets latency uptime teams "
    "projects budget campaign traffic signups accounts plans export status owner updated"
).split()


@dataclass
class Defect:
    kind: str
    box: Box  # the element (or gap) a finding should point at
    related: list[Box] = field(default_factory=list)
    metrics: dict = field(default_factory=dict)


@dataclass
class Truth:
    layout: str
    theme: str
    seed: int
    width: int
    height: int
    cards: list[Box] = field(default_factory=list)
    headings: list[Box] = field(default_factory=list)
    body_lines: list[Box] = field(default_factory=list)
    buttons: list[Box] = field(default_factory=list)
    primary_button: Box | None = None
    defects: list[Defect] = field(default_factory=list)
    gap_px: int = 0
    padding_px: int = 0


@lru_cache(maxsize=64)
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    try:
        return ImageFont.truetype(_FONT_DIR + name, size)
    except OSError:  # another machine without DejaVu: Pillow's bundled font still scales
        return ImageFont.load_default(size=size)


def _palette(theme: str, rng: random.Random) -> dict:
    accents = [(37, 99, 235), (124, 58, 237), (5, 150, 105), (219, 39, 119), (234, 88, 12)]
    accent = rng.choice(accents)
    if theme == "dark":
        return dict(
            bg=(17, 19, 24),
            card=(31, 34, 42),
            border=(48, 52, 64),
            nav=(24, 26, 33),
            text=(236, 238, 242),
            muted=(150, 156, 170),
            accent=accent,
            on_accent=(255, 255, 255),
            line=(44, 48, 58),
            input=(24, 26, 33),
        )
    return dict(
        bg=(244, 245, 248),
        card=(255, 255, 255),
        border=(224, 227, 233),
        nav=(255, 255, 255),
        text=(17, 24, 39),
        muted=(100, 108, 124),
        accent=accent,
        on_accent=(255, 255, 255),
        line=(232, 234, 239),
        input=(255, 255, 255),
    )


class _Page:
    """Drawing helpers that record what they draw into the truth."""

    def __init__(self, width, height, theme, seed, scale):
        self.rng = random.Random(seed)
        self.s = scale
        self.pal = _palette(theme, self.rng)
        self.img = Image.new("RGB", (width, height), self.pal["bg"])
        self.draw = ImageDraw.Draw(self.img)
        self.truth = Truth("", theme, seed, width, height)
        self.radius = self.rng.choice([0, 4, 8])
        self.bordered = theme == "light" and self.rng.random() < 0.7
        self.title_px = 28

    def px(self, v: float) -> int:
        return int(round(v * self.s))

    def words(self, n: int) -> str:
        return " ".join(self.rng.choice(_WORDS) for _ in range(n)).capitalize()

    def text(self, x, y, s, size, bold=False, color=None) -> Box:
        font = _font(self.px(size), bold)
        self.draw.text((x, y), s, font=font, fill=color or self.pal["text"], anchor="lt")
        return Box(*self.draw.textbbox((x, y), s, font=font, anchor="lt"))

    def rect(self, box: Box, fill, outline=None):
        r = self.px(self.radius)
        self.draw.rounded_rectangle(
            (box.x0, box.y0, box.x1 - 1, box.y1 - 1),
            radius=r,
            fill=fill,
            outline=outline,
            width=max(1, self.px(1)) if outline else 0,
        )

    def card(self, box: Box):
        self.rect(box, self.pal["card"], self.pal["border"] if self.bordered else None)
        self.truth.cards.append(box)

    def button(self, x1, y, label, filled) -> Box:
        """A button whose right edge is x1; returns its box."""
        font = _font(self.px(14), True)
        tw = int(self.draw.textlength(label, font=font))
        box = Box(x1 - tw - self.px(32), y, x1, y + self.px(40))
        if filled:
            self.rect(box, self.pal["accent"])
            color = self.pal["on_accent"]
        else:
            self.rect(
                box, self.pal["card"], self.pal["border"] if self.bordered else self.pal["muted"]
            )
            color = self.pal["text"]
        self.draw.text(
            ((box.x0 + box.x1) // 2, (box.y0 + box.y1) // 2),
            label,
            font=font,
            fill=color,
            anchor="mm",
        )
        self.truth.buttons.append(box)
        return box


def _header(p: _Page, x0: int, x1: int, y: int, defects) -> int:
    """Title, subtitle and the Export / New button pair; returns the y below the header."""
    if "heading_shrunk" in defects:
        title = p.text(x0, y, p.words(2), 14, bold=False)
        p.truth.defects.append(Defect("heading_shrunk", title))
    else:
        p.title_px = p.rng.choice([28, 32])
        title = p.text(x0, y, p.words(2), p.title_px, bold=True)
    p.truth.headings.append(title)
    sub = p.text(x0, title.y1 + p.px(8), p.words(6).lower().capitalize(), 14, color=p.pal["muted"])
    p.truth.body_lines.append(sub)
    primary = p.button(x1, y, "New report", filled=True)
    p.truth.primary_button = primary
    second = p.button(primary.x0 - p.px(12), y, "Export", filled="equal_buttons" in defects)
    if "equal_buttons" in defects:
        p.truth.defects.append(Defect("equal_buttons", second, [primary]))
    return max(sub.y1, primary.y1) + p.px(32)


def _card_row(p, x0, x1, y, n, h, gap, pad, kind, defects, row_index) -> list[Box]:
    """n equal cards between x0 and x1; applies odd_gap / off_column / padding defects."""
    w = (x1 - x0 - gap * (n - 1)) // n
    boxes = [Box(x0 + i * (w + gap), y, x0 + i * (w + gap) + w, y + h) for i in range(n)]
    # the last card takes the pixels integer division left over, so the row ends on x1
    boxes[-1] = Box(boxes[-1].x0, y, x1, y + h)
    rng = p.rng
    if "odd_gap" in defects and row_index == 0:
        i = rng.randrange(n - 1)
        delta = rng.choice([-8, -6, 6, 9, 12]) if gap >= 16 else rng.choice([6, 9])
        delta = p.px(delta)
        boxes = boxes[: i + 1] + [
            Box(b.x0 + delta, b.y0, b.x1 + delta, b.y1) for b in boxes[i + 1 :]
        ]
        # keep the row inside its column: shrink the last card by the shift
        last = boxes[-1]
        boxes[-1] = Box(last.x0, last.y0, last.x1 - delta, last.y1)
        gap_box = Box(boxes[i].x1, y, boxes[i + 1].x0, y + h)
        p.truth.defects.append(
            Defect(
                "odd_gap",
                gap_box,
                [boxes[i], boxes[i + 1]],
                {"gap_px": gap + delta, "expected_px": gap},
            )
        )
    if "off_column" in defects and row_index == 1:
        i = rng.randrange(n)
        d = p.px(rng.choice([3, 4, 5, 6])) * rng.choice([-1, 1])
        b = boxes[i]
        boxes[i] = Box(b.x0 + d, b.y0, b.x1 + d, b.y1)
        p.truth.defects.append(Defect("off_column", boxes[i], [b], {"offset_px": d}))
    pad_card = None
    pad_row = 0 if p.truth.layout == "table" else 1
    if "padding_mismatch" in defects and row_index == pad_row:
        pad_card = rng.randrange(n)
    loud = -1
    if "competing_heading" in defects and row_index == 1 and kind == "card":
        loud = rng.randrange(n)
    for i, b in enumerate(boxes):
        p.card(b)
        extra = p.px(8) if i == pad_card else 0
        content = _card_content(p, b, pad + extra, kind, p.title_px if i == loud else 16)
        if i == loud:
            title = p.truth.headings[-1]
            p.truth.defects.append(Defect("competing_heading", title, [p.truth.headings[0]]))
        if i == pad_card:
            p.truth.defects.append(
                Defect(
                    "padding_mismatch",
                    b,
                    [boxes[(i + 1) % n]],
                    {"padding_px": pad + extra, "expected_px": pad, "content": content},
                )
            )
    return boxes


def _card_content(p: _Page, b: Box, pad: int, kind: str, title_px: int = 16) -> Box:
    x, y = b.x0 + pad, b.y0 + pad
    if kind == "kpi":
        a = p.text(x, y, p.words(1), 13, color=p.pal["muted"])
        v = p.text(
            x, a.y1 + p.px(8), f"{p.rng.randint(10, 990)},{p.rng.randint(100, 999)}", 24, bold=True
        )
        delta = p.text(
            x,
            v.y1 + p.px(8),
            f"+{p.rng.randint(1, 30)}.{p.rng.randint(0, 9)}%",
            12,
            color=(22, 163, 74),
        )
        return a.union(delta)
    t = p.text(x, y, p.words(2), title_px, bold=True)
    p.truth.headings.append(t)
    if p.rng.random() < 0.4:
        # a status badge at the top right: a small pill, not a button
        font = _font(p.px(12), True)
        label = p.rng.choice(["New", "Live", "Beta", "+12%"])
        tw = int(p.draw.textlength(label, font=font))
        pill = Box(b.x1 - pad - tw - p.px(16), y, b.x1 - pad, y + p.px(20))
        tint = tuple((c + 3 * k) // 4 for c, k in zip(p.pal["accent"], p.pal["card"], strict=True))
        p.draw.rounded_rectangle(
            (pill.x0, pill.y0, pill.x1 - 1, pill.y1 - 1), radius=p.px(10), fill=tint
        )
        p.draw.text(
            ((pill.x0 + pill.x1) // 2, (pill.y0 + pill.y1) // 2),
            label,
            font=font,
            fill=p.pal["accent"],
            anchor="mm",
        )
    yy = t.y1 + p.px(12)
    box = t
    room = b.x1 - pad - x
    for _ in range(2):
        words = p.words(p.rng.randint(3, 5)).lower().split()
        # a line that would run out of its card loses words, as a real layout would wrap
        while len(words) > 1 and p.draw.textlength(" ".join(words), font=_font(p.px(14))) > room:
            words.pop()
        ln = p.text(x, yy, " ".join(words), 14, color=p.pal["muted"])
        p.truth.body_lines.append(ln)
        box = box.union(ln)
        yy = ln.y1 + p.px(6)
    # a small bar chart: an "image" region
    chart_h = b.y1 - pad - (yy + p.px(12))
    if chart_h > p.px(40):
        cx, cy1 = x, b.y1 - pad
        bars = p.rng.randint(6, 10)
        bw = p.px(12)
        for k in range(bars):
            hh = int(chart_h * p.rng.uniform(0.3, 1.0))
            p.draw.rectangle(
                (cx + k * (bw + p.px(6)), cy1 - hh, cx + k * (bw + p.px(6)) + bw - 1, cy1 - 1),
                fill=p.pal["accent"],
            )
        box = box.union(Box(cx, cy1 - chart_h, cx + bars * (bw + p.px(6)), cy1))
    return box


def _cards(p, x0, x1, y, defects, columns=3, kpis=4):
    gap = p.truth.gap_px
    pad = p.truth.padding_px
    kpi = _card_row(p, x0, x1, y, kpis, p.px(112), gap, pad, "kpi", defects, 0)
    y = kpi[0].y1 + gap
    h = (p.truth.height - p.px(32) - y - gap) // 2
    _card_row(p, x0, x1, y, columns, h, gap, pad, "card", defects, 1)
    _card_row(p, x0, x1, y + h + gap, columns, h, gap, pad, "card", (), 2)


def _table(p, x0, x1, y, defects):
    gap, pad = p.truth.gap_px, p.truth.padding_px
    kpi = _card_row(p, x0, x1, y, 3, p.px(112), gap, pad, "kpi", defects, 0)
    y = kpi[0].y1 + gap
    table = Box(x0, y, x1, p.truth.height - p.px(32))
    p.card(table)
    cols = 5
    cw = (table.width - 2 * pad) // cols
    row_h = p.px(44)
    ry = table.y0 + pad
    for c in range(cols):
        p.text(table.x0 + pad + c * cw, ry + p.px(14), p.words(1).upper(), 12, True, p.pal["muted"])
    ry += row_h
    shifted = p.rng.randrange(2, 8) if "off_column" in defects else -1
    r = 0
    while ry + row_h <= table.y1 - pad:
        p.draw.line((table.x0 + 1, ry, table.x1 - 2, ry), fill=p.pal["line"], width=max(1, p.px(1)))
        for c in range(cols):
            d = p.px(5) if (r == shifted and c == 0) else 0
            label = p.words(1) if c < 3 else f"{p.rng.randint(1, 999)}.{p.rng.randint(10, 99)}"
            b = p.text(table.x0 + pad + c * cw + d, ry + p.px(14), label, 14)
            if d:
                p.truth.defects.append(Defect("off_column", b, [], {"offset_px": d}))
        ry += row_h
        r += 1


def _form(p, x0, x1, y, defects):
    w = p.px(640)
    cx = (x0 + x1) // 2
    pad = p.px(32)
    gap = p.truth.gap_px
    n = 5
    field_h = p.px(22 + 8 + 40)
    buttons_h = p.px(40)
    top = y
    card = Box(
        cx - w // 2,
        top,
        cx + w // 2,
        top + pad * 2 + p.px(40) + n * field_h + (n - 1) * gap + gap + p.px(24) + buttons_h,
    )
    if "odd_gap" in defects:
        card = Box(card.x0, card.y0, card.x1, card.y1 + p.px(12))
    p.card(card)
    fx = card.x0 + pad
    t = p.text(fx, card.y0 + pad, p.words(2), 20, bold=True)
    p.truth.headings.append(t)
    fy = card.y0 + pad + p.px(40) + p.px(8)
    odd = p.rng.randrange(1, n) if "odd_gap" in defects else -1
    shift = p.rng.randrange(n) if "off_column" in defects else -1
    prev = None
    for i in range(n):
        if i == odd:
            extra = p.px(p.rng.choice([8, 12]))
            fy += extra
        lab = p.text(fx, fy, p.words(1), 14, bold=True)
        d = p.px(p.rng.choice([4, 5, 6])) if i == shift else 0
        inp = Box(fx + d, fy + p.px(22), card.x1 - pad + d, fy + p.px(22 + 40))
        p.rect(inp, p.pal["input"], p.pal["border"] if p.pal["bg"][0] > 128 else p.pal["muted"])
        p.text(inp.x0 + p.px(12), inp.y0 + p.px(13), p.words(2).lower(), 14, color=p.pal["muted"])
        if i == odd and prev is not None:
            g = Box(fx, prev.y1, card.x1 - pad, lab.y0)
            p.truth.defects.append(Defect("odd_gap", g, [prev, lab], {"extra_px": extra}))
        if d:
            p.truth.defects.append(Defect("off_column", inp, [lab], {"offset_px": d}))
        prev = inp
        fy += field_h + gap
    by = card.y1 - pad - buttons_h
    save = p.button(card.x1 - pad, by, "Save", filled=True)
    cancel = p.button(save.x0 - p.px(12), by, "Cancel", filled="equal_buttons" in defects)
    if "equal_buttons" in defects:
        p.truth.defects.append(Defect("equal_buttons", cancel, [save]))


def render_dashboard(
    layout: str = "cards",
    theme: str = "light",
    seed: int = 0,
    defects: tuple[str, ...] | list[str] = (),
    size: tuple[int, int] = (1440, 900),
) -> tuple[Image.Image, Truth]:
    """A synthetic page and its truth; ``defects`` names the planted defects (see module doc)."""
    width, height = size
    scale = min(width / 1440, height / 900)
    p = _Page(width, height, theme, seed, scale)
    p.truth.layout = layout
    p.truth.gap_px = p.px(p.rng.choice([16, 20, 24, 32]))
    p.truth.padding_px = p.px(p.rng.choice([16, 20, 24]))
    defects = tuple(defects)
    margin = p.px(32)
    x0, x1 = margin, width - margin
    if layout == "sidebar":
        nav = Box(0, 0, p.px(240), height)
        p.draw.rectangle((0, 0, nav.x1 - 1, height - 1), fill=p.pal["nav"])
        p.draw.line((nav.x1 - 1, 0, nav.x1 - 1, height), fill=p.pal["border"])
        p.text(p.px(24), p.px(28), "Acme", 20, bold=True)
        for i in range(7):
            y = p.px(88 + i * 44)
            if i == 1:
                p.rect(Box(p.px(12), y - p.px(10), nav.x1 - p.px(12), y + p.px(30)), p.pal["bg"])
            p.text(p.px(24), y, p.words(1), 14, color=p.pal["text"] if i == 1 else p.pal["muted"])
        x0 = nav.x1 + margin
    top = margin
    if layout == "topnav":
        bar = Box(0, 0, width, p.px(64))
        p.draw.rectangle((0, 0, width - 1, bar.y1 - 1), fill=p.pal["nav"])
        p.draw.line((0, bar.y1 - 1, width, bar.y1 - 1), fill=p.pal["border"])
        p.text(x0, p.px(22), "Acme", 20, bold=True)
        lx = x0 + p.px(120)
        for i in range(5):
            link = p.text(lx, p.px(25), p.words(1), 14, color=p.pal["text" if i == 0 else "muted"])
            lx = link.x1 + p.px(28)
        r = p.px(16)
        cx, cy = x1 - r, bar.y1 // 2
        p.draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=p.pal["accent"])
        top = bar.y1 + margin
    if layout == "form":
        # the form page's heading is the form's own title; the page header stays
        y = _header(p, x0, x1, top, defects)
        _form(p, x0, x1, y, defects)
    else:
        y = _header(p, x0, x1, top, defects)
        if layout == "table":
            _table(p, x0, x1, y, defects)
        else:
            wide = layout in ("cards", "topnav")
            columns = p.rng.choice([2, 3, 3, 4] if wide else [2, 2, 3])
            kpis = p.rng.choice([3, 4, 4, 5] if wide else [3, 4])
            _cards(p, x0, x1, y, defects, columns=columns, kpis=kpis)
    return p.img, p.truth


def render_screen(*args, **kwargs):
    """``render_dashboard`` as a ``Screen`` (for checks) plus its truth."""
    import numpy as np

    from uireview.screen import Screen

    img, truth = render_dashboard(*args, **kwargs)
    return Screen(np.asarray(img.convert("RGB"))), truth
