"""A folder diff's report: index.html to look at, report.json and junit.xml for CI systems.

The page is the shared report shell (uireview/html_report.py: offline, strict policy, escaped
names) around one section per pair: before / after / overlay with numbered regions, a slider.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from uireview.compare.batch import STATUSES, PairResult, PixelLimit
from uireview.compare.options import DiffOptions
from uireview.html_report import (
    boxes,
    esc,
    frame,
    header,
    html_page,
    img,
    junit_bytes,
    junit_suite,
    src,
    write_files,
    xml_text,
)


@dataclass(frozen=True)
class ReportInfo:
    """What the run was: folders, options and gate, shard, the run's own time."""

    before_dir: str
    after_dir: str
    options: DiffOptions
    ignore: tuple = ()
    limit: PixelLimit | None = None
    shard: tuple[int, int] | None = None
    seconds: float = 0.0


def summary(results: Sequence[PairResult], limit: PixelLimit | None) -> dict[str, int]:
    counts = Counter(r.status for r in results)
    out = {s: counts.get(s, 0) for s in STATUSES}
    out["failed"] = sum(r.failed(limit) for r in results)
    return out


def pair_json(r: PairResult, limit: PixelLimit | None) -> dict:
    return {
        "name": r.name,
        "status": r.status,
        "mismatch_pixels": r.mismatch_pixels,
        "window_pixels": r.window_pixels,
        "regions": [{"box": list(g.box), "pixels": g.pixels, "kind": g.kind} for g in r.regions],
        "shifts": [{"y": s.y, "dy": s.dy, "height": s.height} for s in r.shifts],
        "size_before": list(r.size_before) if r.size_before else None,
        "size_after": list(r.size_after) if r.size_after else None,
        "counted_pixels": r.counted_pixels,
        "failed": r.failed(limit),
        "error": r.error,
        "files": dict(r.files),
    }


def report_json(results: Sequence[PairResult], info: ReportInfo) -> dict:
    return {
        "before": info.before_dir,
        "after": info.after_dir,
        "options": info.options.to_json(),
        "ignore": [list(b) for b in info.ignore],
        "fail_on_pixels": str(info.limit) if info.limit else None,
        "shard": f"{info.shard[0]}/{info.shard[1]}" if info.shard else None,
        "seconds": round(info.seconds, 3),
        "summary": summary(results, info.limit),
        "pairs": [pair_json(r, info.limit) for r in results],
    }


# --- junit --------------------------------------------------------------------------------------


def junit_xml(results: Sequence[PairResult], info: ReportInfo) -> bytes:
    """One testcase per relative path: failed over the limit, an error for unreadable files,
    skipped for screenshots only one folder has."""
    counts = summary(results, info.limit)
    root, suite = junit_suite(
        "uireview diff",
        {
            "tests": str(len(results)),
            "failures": str(counts["failed"]),
            "errors": str(counts["error"]),
            "skipped": str(counts["new"] + counts["deleted"]),
            "time": f"{info.seconds:.3f}",
        },
    )
    for r in results:
        case = ET.SubElement(
            suite,
            "testcase",
            {"classname": "uireview.diff", "name": xml_text(r.name), "time": f"{r.seconds:.3f}"},
        )
        if r.status == "error":
            ET.SubElement(case, "error", {"message": xml_text(r.error or "unreadable")})
        elif r.status in ("new", "deleted"):
            why = "new: no before image" if r.status == "new" else "deleted: no after image"
            ET.SubElement(case, "skipped", {"message": why})
        elif r.failed(info.limit):
            assert info.limit is not None and r.counted_pixels is not None
            allowed = info.limit.allowed(r.counted_pixels)
            message = f"{r.mismatch_pixels:,} px differ, over the limit of {allowed:,.0f} px"
            if info.limit.percent is not None:
                message += f" ({info.limit})"
            fail = ET.SubElement(case, "failure", {"message": message, "type": "pixels"})
            fail.text = "\n".join(
                f"{n}. {g.kind} {list(g.box)}: {g.pixels:,} px" for n, g in enumerate(r.regions, 1)
            )
        if r.status == "changed" and not r.failed(info.limit):
            out = ET.SubElement(case, "system-out")
            out.text = f"{r.mismatch_pixels:,} px differ ({len(r.regions)} regions)"
    return junit_bytes(root)


# --- html -----------------------------------------------------------------------------------------


def _changed(r: PairResult, limit: PixelLimit | None) -> str:
    before, after, diff = (src(r.files[k]) for k in ("before", "after", "diff"))
    failed = r.failed(limit)
    (wb, hb), (wa, ha) = r.size_before or (0, 0), r.size_after or (0, 0)
    size = f"{wb}x{hb}" if (wb, hb) == (wa, ha) else f"{wb}x{hb} &rarr; {wa}x{ha}"
    gate = ""
    if limit is not None:
        gate = f'<span class="badge gate">{"over" if failed else "within"} {esc(limit)}</span>'
    shifts = "".join(
        f"; rows from y={s.y} moved {'down' if s.dy > 0 else 'up'} {abs(s.dy)} px" for s in r.shifts
    )
    regions = "".join(
        f"<li>{esc(g.kind)} at ({g.box.x0}, {g.box.y0}), {g.box.x1 - g.box.x0}x"
        f"{g.box.y1 - g.box.y0} px: {g.pixels:,} px</li>"
        for g in r.regions
    )
    marks = boxes((g.kind, g.box) for g in r.regions)
    return (
        f'<section class="pair changed{" failed" if failed else ""}">'
        f"<h2>{esc(r.name)}{gate}</h2>"
        f'<p class="meta">{r.mismatch_pixels:,} px differ &middot; {size}{esc(shifts)}</p>'
        '<div class="views">'
        f"<figure><figcaption>before</figcaption>"
        f"{frame((wb, hb), img(before))}</figure>"
        f"<figure><figcaption>after</figcaption>"
        f"{frame((wa, ha), img(after) + marks)}</figure>"
        f"<figure><figcaption>overlay: changed pixels (red darker, blue lighter)</figcaption>"
        + frame(
            (wa, ha),
            img(after, "after") + img(diff, "mask") + marks,
            "overlay",
        )
        + "</figure></div>"
        '<div class="slider"><figcaption>slider: before | after</figcaption>'
        + frame(
            (wa, ha),
            img(before) + img(after, "top") + marks,
        )
        + f'<input type="range" min="0" max="100" value="50" aria-label="before / after '
        f'{esc(r.name)}"></div>'
        f'<ol class="regions">{regions}</ol></section>'
    )


def _single(r: PairResult) -> str:
    side = "after" if r.status == "new" else "before"
    size = r.size_after if r.status == "new" else r.size_before
    w, h = size or (0, 0)
    url = src(r.files[side])
    return (
        f'<section class="pair {r.status}"><h2>{esc(r.name)}<span class="badge">{r.status}'
        f'</span></h2><p class="meta">{w}x{h}, only in the {side} folder</p>'
        f'<div class="single">'
        f"{frame((w, h), img(url))}</div></section>"
    )


def _simple(r: PairResult) -> str:
    text = "unchanged" if r.status == "unchanged" else f"cannot read: {r.error}"
    cls = "" if r.status == "unchanged" else ' class="error"'
    return (
        f'<section class="pair simple {r.status}"><h2>{esc(r.name)}</h2>'
        f"<span{cls}>{esc(text)}</span></section>"
    )


def index_html(results: Sequence[PairResult], info: ReportInfo) -> str:
    counts = summary(results, info.limit)
    chips = [
        (k, f"{k} {v:,}")
        for k, v in counts.items()
        if v or k in ("changed", "unchanged", "new", "deleted")
    ]
    # changed first (failed ones at the top), then new, deleted, errors, unchanged
    order = {"changed": 0, "new": 1, "deleted": 2, "error": 3, "unchanged": 4}
    ranked = sorted(results, key=lambda r: (order[r.status], not r.failed(info.limit), r.name))
    body = []
    for r in ranked:
        if r.status == "changed":
            body.append(_changed(r, info.limit))
        elif r.status in ("new", "deleted"):
            body.append(_single(r))
        else:
            body.append(_simple(r))
    shard = f", shard {info.shard[0]}/{info.shard[1]}" if info.shard else ""
    title = f"Screenshot diff: {info.before_dir} \u2192 {info.after_dir}"
    top = header(
        title,
        chips,
        "changed only",
        checked=True,
        meta=f"{len(results):,} screenshots{shard}, {info.seconds:.1f} s",
    )
    return html_page(title, top, "".join(body) or "<p>No screenshots found.</p>")


def write_report(out_dir: Path, results: Sequence[PairResult], info: ReportInfo) -> None:
    """index.html, report.json and junit.xml in ``out_dir`` (the images are there already)."""
    write_files(
        out_dir,
        [
            ("report.json", json.dumps(report_json(results, info), indent=1) + "\n"),
            ("junit.xml", junit_xml(results, info)),
            ("index.html", index_html(results, info)),
        ],
    )
