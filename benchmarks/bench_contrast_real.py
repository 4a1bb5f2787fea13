"""Contrast findings on real template pages, judged by axe-core: named, grouped, fixed, right.

    npm install --prefix benchmarks          # once: axe-core
    python benchmarks/bench_contrast_real.py [--part dev] [--widths desktop] [-v] [--spread]

The pages are the real-page set (``benchmarks/realpages``: published npm templates rendered
offline in Debian's Chromium, axe-core's color-contrast verdict, text, colours and box per
element). Our check sees only the clean screenshot. Each place of a finding is matched to
the axe element most like its box (overlap over union).

Prints
- named: share of AA findings that carry ``text`` (words read from the pixels), and share
  whose text matches the axe element under the finding's box (same letters and digits,
  ignoring case and spaces, one contained in the other or 80 % alike);
- placed: share with a ``place``;
- findings per failing colour pair: AA findings that land on a violation, over the distinct
  (fg, bg) pairs of the violations they land on, summed per page; and findings whose places
  span several axe pairs (over-grouping);
- fixes: how many suggested fixes fail (below the bar on our measured colours, or on axe's
  true colours with the fix applied) or flip polarity (light text made dark or the reverse);
- precision / recall against axe (places on violations / all places on judged elements;
  violations covered / violations on screen). Precision is printed two ways: the old
  figure, where a place on no axe element is false, and over text axe judges, where a
  place on no element that the DOM shows is text axe cannot judge (painted on a canvas, SVG
  text, words in CSS ``content``; see ``benchmarks/realpages/dom.py``) is counted apart as
  "not judged". Looked at by eye (2026-12-01, dev): the canvas places are gentelella's
  ECharts axis labels, coloured --text-muted #7e8896 on white (3.59:1) by its chart code,
  and material's Chart.js ticks '#f8f9fa' on its green card (about 2.5:1); the CSS
  content place is gentelella's "MOST POPULAR" ribbon, white on #1abb9c (2.43:1): all
  truly below AA, none a false alarm, none counted as right either. Recall is printed
  a second way too (added 2026-12-01): axe lists nested elements apart (the <p> "(+15%)
  increase in today sales" and its <span> "+15%", two links of one footer line), and a
  place matches one of them, so a violation lying inside a place that matched a violation
  of the same colours is also counted as covered (the headline figure stays the old one);
- placeholders and disabled controls (WCAG exempts both): AA places on the DOM's
  placeholders (goal 0) and notes there, and (added 2026-12-01) how many of those AA
  places are not on an element axe judges a violation: gentelella's "⌘K" chip sits inside
  its search field's box and is a violation axe reports, not the placeholder; on a
  variant of each page with a few controls made ``disabled`` (axe exempts every one), AA
  findings on them (goal 0), notes, and how many of the same controls already fail while
  enabled;
- time: the whole contrast check (detection, measuring, recognition of quoted lines,
  elements, places) over the text detector alone, on the 1440x900 shots;
- ``--places DIR``: every AA finding's shot with its line and place box drawn and its
  place name written, to judge places by eye. Judged 2026-12-01 on 30 dev findings
  (random.seed(12) sample of the files): a place is right when a person pointing at the
  screen would use those words for where the line is (the sidebar, the top bar, the card
  whose heading is quoted, a chart's axis; "main area" or "top of the page" only where no
  container says more). Before the control hop in ``places.py``: 11/30; after: 19/30.
  Still wrong: table rows and list items named as cards, a value column in a table or
  list taken for a chart axis, card sections named by a sub-heading;
- ``--spread``: how far anti-aliasing spreads the measured colours of one axe colour pair
  (OKLab distance x100, percentiles), the figure ``SAME_STYLE`` is chosen from.
"""

from __future__ import annotations

import argparse
import difflib
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.realpages import load_set  # noqa: E402
from benchmarks.realpages.dom import Dom, load_dom, render_all  # noqa: E402
from uireview.checks.colours import contrast_ratio, distance, relative_luminance  # noqa: E402
from uireview.checks.contrast import check, measure  # noqa: E402
from uireview.findings import Box  # noqa: E402
from uireview.screen import Screen  # noqa: E402
from uireview.screen.text import detect_boxes  # noqa: E402


def _rgb(hex_: str) -> tuple[int, int, int]:
    h = hex_.lstrip("#")
    return tuple(int(h[i : i + 2], 16) for i in (0, 2, 4))


def _overlap(a: Box, b) -> float:
    w = min(a.x1, b[2]) - max(a.x0, b[0])
    h = min(a.y1, b[3]) - max(a.y0, b[1])
    return max(0.0, w) * max(0.0, h)


def _match(box: Box, truth):
    """The axe element most like ``box``: highest overlap over union, among those covering at
    least a third of the smaller box (so a span inside a heading matches the span, not the
    heading around it)."""
    best, best_iou = None, 0.0
    for t in truth:
        area = _overlap(box, t.box)
        theirs = (t.box[2] - t.box[0]) * (t.box[3] - t.box[1])
        smaller = min(box.area, theirs)
        if smaller <= 0 or area < smaller / 3:
            continue
        iou = area / (box.area + theirs - area)
        if iou > best_iou:
            best, best_iou = t, iou
    return best


def _area(b) -> float:
    return max(0.0, b[2] - b[0]) * max(0.0, b[3] - b[1])


def _letters(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


def same_text(ours: str | None, axe: str | None) -> bool:
    a, b = _letters(ours or ""), _letters(axe or "")
    if not a or not b:
        return False
    return a in b or b in a or difflib.SequenceMatcher(None, a, b).ratio() >= 0.8


def _inside(box: Box, b, share: float = 0.5) -> bool:
    return box.area > 0 and _overlap(box, b) >= share * box.area


def not_judged(box: Box, text: str | None, dom: Dom | None) -> str | None:
    """Why axe-core cannot judge the text at ``box`` (a place on no axe element), or None.

    axe's color-contrast rule evaluates the DOM's text nodes: words a canvas paints, SVG
    ``<text>`` (no DOM text node it evaluates) and words a stylesheet adds in ``::before``
    / ``::after`` are not judged at all. A finding there is neither right nor wrong by
    axe's word, so it is counted apart instead of as a false alarm.
    """
    if dom is None:
        return None
    if any(_inside(box, c) for c in dom.canvas):
        return "canvas"
    if any(_overlap(box, t["box"]) > 0.3 * box.area for t in dom.svg_text):
        return "svg"
    # A badge's words may stick out of its element's box (a ribbon above a card).
    if any(_inside(box, p["box"]) and same_text(text, p["text"]) for p in dom.pseudo):
        return "css content"
    return None


def _on_screen(t, width: int, height: int) -> bool:
    x0, y0, x1, y1 = t.box
    return x1 - x0 >= 2 and y1 - y0 >= 2 and x0 >= 0 and y0 >= 0 and x1 <= width and y1 <= height


def _save_crop(folder: Path, s, rgb: np.ndarray, box: Box, tag: str) -> None:
    """A crop of ``box`` with some context and the box outlined in red, for looking at."""
    from PIL import ImageDraw

    folder.mkdir(parents=True, exist_ok=True)
    h, w = rgb.shape[:2]
    pad = max(20, 2 * box.height)
    c = Box(box.x0 - 3 * pad, box.y0 - pad, box.x1 + 3 * pad, box.y1 + pad).clamp(w, h)
    img = Image.fromarray(rgb[c.y0 : c.y1, c.x0 : c.x1])
    ImageDraw.Draw(img).rectangle(
        (box.x0 - c.x0 - 1, box.y0 - c.y0 - 1, box.x1 - c.x0, box.y1 - c.y0), outline="red"
    )
    img = img.resize((img.width * 2, img.height * 2), Image.NEAREST)
    img.save(folder / f"{s.page_id.replace(':', '_').replace('/', '_')}_{tag}.png")


def _save_place(folder: Path, s, rgb: np.ndarray, f, n: int) -> None:
    """The whole screenshot, halved, with the finding's line (red) and the box its place
    name describes (blue), and the name written on top: one image per finding."""
    from PIL import ImageDraw

    folder.mkdir(parents=True, exist_ok=True)
    img = Image.fromarray(rgb).convert("RGB")
    draw = ImageDraw.Draw(img)
    pb = f.metrics.get("place_box")
    if pb:
        draw.rectangle(tuple(pb), outline="blue", width=3)
    draw.rectangle((f.box.x0 - 3, f.box.y0 - 3, f.box.x1 + 3, f.box.y1 + 3), outline="red", width=3)
    img = img.resize((img.width // 2, img.height // 2))
    ImageDraw.Draw(img).rectangle((0, 0, img.width, 18), fill="black")
    ImageDraw.Draw(img).text((4, 3), f"#{n} {f.place} | {f.text}", fill="yellow")
    img.save(folder / f"place{n:03d}.png")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--part", default="dev")
    parser.add_argument("--widths", nargs="+", default=["desktop"])
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.add_argument("--spread", action="store_true", help="measure anti-aliasing spread")
    parser.add_argument("--no-render", action="store_true", help="only pages already rendered")
    parser.add_argument("--crops", type=Path, help="save a crop of each false place here")
    parser.add_argument(
        "--only", default="", help="only pages whose id contains this (or one of a,b,c)"
    )
    parser.add_argument(
        "--places", type=Path, help="save each AA finding's place, labelled, to judge by eye"
    )
    args = parser.parse_args()

    samples = [
        s
        for s in load_set(part=args.part, widths=tuple(args.widths), render=not args.no_render)
        if s.kind is None and any(o in s.page_id for o in args.only.split(","))
    ]
    if not samples:
        print("no real pages: render them with benchmarks/realpages first", file=sys.stderr)
        return 2
    render_all(samples)  # the DOM facts beside the shots (canvas, SVG text, placeholders)
    detect_boxes(np.zeros((64, 64, 3), np.uint8))  # load the model outside the timings

    n_findings = named = name_match = name_judged = placed = 0
    tp_places = fp_places = canvas = 0
    unjudged: dict[str, int] = defaultdict(int)
    unjudged_seen: list[tuple] = []  # (sample, box, finding, why) to look at
    on_placeholder = on_placeholder_text = placeholder_notes = 0
    planted = planted_aa = planted_noted = planted_clean_aa = 0
    covered_total = violations_total = covered_inside = 0
    pair_findings = pair_count = mixed = 0
    fix_total = fix_fail_ours = fix_fail_axe = fix_flip = 0
    ratios_time: list[float] = []
    spread_fg: list[float] = []
    spread_bg: list[float] = []
    for s in samples:
        rgb = np.asarray(Image.open(s.png).convert("RGB"))
        h, w = rgb.shape[:2]
        truth = [t for t in s.contrast if _on_screen(t, w, h)]
        dom = load_dom(s)
        t0 = time.perf_counter()
        detect_boxes(rgb)
        t_det = time.perf_counter() - t0
        screen = Screen(rgb)
        t0 = time.perf_counter()
        findings = check(screen)
        t_check = time.perf_counter() - t0
        if (w, h) == (1440, 900):
            ratios_time.append(t_check / t_det)
        aa = [f for f in findings if f.rule == "contrast.aa"]
        if dom is not None:
            notes = [f for f in findings if f.rule in ("contrast.placeholder", "contrast.inactive")]
            placeholder_notes += sum(
                any(_inside(b, p["box"]) for p in dom.placeholders)
                for f in notes
                for b in (f.box, *f.related)
            )

        covered: set[int] = set()
        hits: list[tuple[Box, object]] = []  # (place, the violation it matched)
        pairs_hit: set[tuple] = set()
        for f in aa:
            n_findings += 1
            if args.places:
                _save_place(args.places, s, rgb, f, n_findings)
            named += f.text is not None
            placed += f.place is not None
            t = _match(f.box, truth)
            if t is not None and t.text:
                name_judged += 1
                # A detected line can hold several elements (a row of footer links): the
                # name matches if it is the text of the line's elements, read left to right.
                inside = sorted(
                    (e for e in truth if e.text and _overlap(f.box, e.box) >= _area(e.box) / 2),
                    key=lambda e: e.box[0],
                )
                ok = same_text(f.text, t.text) or same_text(
                    f.text, " ".join(e.text for e in inside)
                )
                name_match += ok
                if args.verbose and not ok:
                    print(f"{s.page_id}: name {f.text!r} vs axe {t.text[:60]!r}")
            my_pairs = set()
            for box in (f.box, *f.related):
                t = _match(box, truth)
                why = None if t is not None else not_judged(box, f.text, dom)
                if dom is not None and any(_inside(box, p["box"]) for p in dom.placeholders):
                    on_placeholder += 1  # WCAG exempts placeholders: should be a note
                    # A place that matches a violation axe judged is that element's text
                    # (a "⌘K" chip drawn over a search field), not the placeholder.
                    on_placeholder_text += t is None or t.verdict != "violation"
                    if args.verbose:
                        print(f"{s.page_id}: AA on a placeholder {list(box)} {f.title[:60]}")
                if t is None or t.verdict == "pass":
                    fp_places += 1
                    # The old figure: chart-axis places on no DOM element (canvas labels).
                    canvas += t is None and f.place == "chart axis"
                    if why is not None:
                        unjudged[why] += 1
                        unjudged_seen.append((s, rgb, box, f, why))
                        continue
                    if args.verbose or args.crops:
                        what = "no element" if t is None else f"pass {t.ratio} {t.text[:40]!r}"
                        print(f"{s.page_id}: FP {list(box)} {f.title[:70]} on {what}")
                    if args.crops:
                        _save_crop(args.crops, s, rgb, box, f"fp{fp_places}")
                elif t.verdict == "violation":
                    tp_places += 1
                    covered.add(id(t))
                    my_pairs.add((t.fg, t.bg))
                    hits.append((box, t))
            if my_pairs:
                pair_findings += 1
                pairs_hit |= my_pairs
                mixed += len(my_pairs) > 1
            # The fix, on our colours and on axe's true colours of the finding's own line.
            sfg, sbg = f.metrics.get("suggested_fg"), f.metrics.get("suggested_bg")
            if sfg or sbg:
                fix_total += 1
                fg, bg = _rgb(f.metrics["fg"]), _rgb(f.metrics["bg"])
                nfg, nbg = _rgb(sfg) if sfg else fg, _rgb(sbg) if sbg else bg
                required = f.metrics["required"]
                fail = contrast_ratio(nfg, nbg) < required
                flip = (relative_luminance(fg) > relative_luminance(bg)) != (
                    relative_luminance(nfg) > relative_luminance(nbg)
                )
                fix_fail_ours += fail
                fix_flip += flip
                t = _match(f.box, truth)
                if t is not None and t.fg and t.bg and t.verdict == "violation":
                    afg = _rgb(sfg) if sfg else _rgb(t.fg)
                    abg = _rgb(sbg) if sbg else _rgb(t.bg)
                    need = 3.0 if t.large else 4.5
                    if contrast_ratio(afg, abg) < need:
                        fix_fail_axe += 1
                        if args.verbose:
                            print(
                                f"{s.page_id}: fix fails on axe colours {t.fg} on {t.bg} -> "
                                f"{sfg} / {sbg} ({contrast_ratio(afg, abg):.2f})"
                            )
                if args.verbose and (fail or flip):
                    print(f"{s.page_id}: bad fix {f.title[:60]} {f.suggestion}")
        if dom is not None and dom.planted_png is not None:
            # The same page with a few controls disabled (axe exempts every one: checked
            # when rendered). Our check may note them, never fail them.
            off = check(Screen(np.asarray(Image.open(dom.planted_png).convert("RGB"))))
            for p in dom.planted:
                planted += 1
                on = lambda f, p=p: any(  # noqa: E731
                    _inside(b, p["box"]) for b in (f.box, *f.related)
                )
                hit = [f for f in off if f.rule == "contrast.aa" and on(f)]
                planted_aa += bool(hit)
                if args.verbose and hit:
                    print(
                        f"{s.page_id}: AA on disabled {p['tag']} {p['text']!r} {hit[0].title[:50]}"
                    )
                if args.crops and hit:
                    _save_crop(
                        args.crops,
                        s,
                        np.asarray(Image.open(dom.planted_png)),
                        hit[0].box,
                        f"dis{planted}",
                    )
                planted_noted += any(
                    on(f) for f in off if f.rule in ("contrast.inactive", "contrast.placeholder")
                )
                planted_clean_aa += any(on(f) for f in aa)
        pair_count += len(pairs_hit)
        violations = [t for t in truth if t.verdict == "violation"]
        violations_total += len(violations)
        covered_total += len(covered)
        # axe lists nested elements apart (a <p> and the <span> inside it, two links of
        # one line): a violation that lies inside a place matched to a violation of the
        # same colours is the text that place points at, though the match names one.
        covered_inside += sum(
            id(v) not in covered
            and any(
                _overlap(b, v.box) >= 0.6 * _area(v.box) and (t.fg, t.bg) == (v.fg, v.bg)
                for b, t in hits
            )
            for v in violations
        )
        if args.verbose:
            for t in violations:
                if id(t) not in covered:
                    print(f"{s.page_id}: FN axe {t.ratio} {t.fg} on {t.bg} {t.text[:50]!r}")
        if args.spread:
            by_pair = defaultdict(list)
            for m in measure(screen.text_regions):
                t = _match(m.box, truth)
                if m.ratio is not None and t is not None and t.fg and t.bg:
                    by_pair[(t.fg, t.bg)].append(m)
            for ms in by_pair.values():
                for a in ms:
                    for b in ms:
                        if a is not b:
                            spread_fg.append(distance(a.fg, b.fg))
                            spread_bg.append(distance(a.bg, b.bg))

    def share(a: int, b: int) -> str:
        return f"{a / b:.3f} ({a}/{b})" if b else "n/a"

    print(
        f"real pages: {len(samples)} clean shots ({args.part}, {', '.join(args.widths)}), "
        f"{n_findings} AA findings, {violations_total} axe violations on screen"
    )
    print(f"named (carry text)          {share(named, n_findings)}")
    print(f"name matches axe's text     {share(name_match, name_judged)}")
    print(f"placed (carry place)        {share(placed, n_findings)}")
    print(
        f"findings per failing pair   {pair_findings / max(pair_count, 1):.3f} "
        f"({pair_findings} findings on violations / {pair_count} distinct axe pairs); "
        f"findings spanning several pairs: {mixed}"
    )
    print(
        f"fixes that fail             {fix_fail_ours} on our colours, {fix_fail_axe} on axe's "
        f"true colours; polarity flipped: {fix_flip} (of {fix_total} fixes)"
    )
    precision = tp_places / max(tp_places + fp_places, 1)
    recall = covered_total / max(violations_total, 1)
    print(
        f"precision {precision:.3f} ({tp_places} places on violations, {fp_places} false, "
        f"counting text axe cannot judge as false); recall {recall:.3f} "
        f"({covered_total}/{violations_total})"
    )
    print(
        f"  recall also counting violations inside a place on one of the same colours "
        f"(nested elements): {(covered_total + covered_inside) / max(violations_total, 1):.3f} "
        f"({covered_total + covered_inside}/{violations_total})"
    )
    if canvas:
        print(
            f"  old figure: precision without {canvas} chart-axis places on no DOM element: "
            f"{tp_places / max(tp_places + fp_places - canvas, 1):.3f}"
        )
    n_unjudged = sum(unjudged.values())
    false = fp_places - n_unjudged
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(unjudged.items())) or "none"
    print(
        f"precision over text axe judges {tp_places / max(tp_places + false, 1):.3f} "
        f"({tp_places} on violations, {false} false; {n_unjudged} places not judged by axe: "
        f"{kinds})"
    )
    if args.verbose or args.crops:
        for smp, img, box, f, why in unjudged_seen:
            print(f"{smp.page_id}: not judged ({why}) {list(box)} {f.title[:60]} {f.metrics['fg']}")
            if args.crops:
                _save_crop(args.crops, smp, img, box, f"nj-{why}-{box.x0}-{box.y0}")
    print(
        f"disabled controls planted: {planted} (axe exempts all); AA findings on them "
        f"{planted_aa} (goal 0), noted as inactive or placeholder {planted_noted}; "
        f"AA on the same controls while enabled: {planted_clean_aa}"
    )
    print(
        f"placeholders (DOM): {on_placeholder} AA places on them (goal 0), "
        f"{placeholder_notes} places noted as placeholder or inactive; of the AA places, "
        f"{on_placeholder_text} not on an element axe judges a violation (a chip over a "
        f"field is its own text)"
    )
    if ratios_time:
        print(
            f"time, whole contrast check / text detector alone (1440x900, {len(ratios_time)} "
            f"shots): median {statistics.median(ratios_time):.2f}x, max {max(ratios_time):.2f}x"
        )
    if args.spread and spread_fg:
        q = lambda v, p: float(np.percentile(v, p))  # noqa: E731
        print(
            "anti-aliasing spread within one axe pair (OKLab x100): text colour p50 "
            f"{q(spread_fg, 50):.1f} p90 {q(spread_fg, 90):.1f} p95 {q(spread_fg, 95):.1f}; "
            f"background p50 {q(spread_bg, 50):.1f} p90 {q(spread_bg, 90):.1f} "
            f"p95 {q(spread_bg, 95):.1f} ({len(spread_fg)} pairs of lines)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
