"""A folder review's report: index.html (each screenshot with its numbered findings),
report.json and junit.xml (one testcase per screenshot, failed by a finding at or above the
gate). The page is the shared report shell (uireview/html_report.py: offline, strict policy,
escaped names). Against a baseline each finding says new or persisting and the resolved and
dismissed ones are listed; a model call's cost is given per screenshot and for the run."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from uireview.export import cost_line, loop_line, status_words, was_label
from uireview.findings import SEVERITY_ORDER, Finding, Review
from uireview.html_report import (
    BASE_CSS,
    BASE_JS,
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
class ShotResult:
    """One screenshot's review: the Review as JSON (findings in their drawn order), or why not.

    status: "reviewed" or "error" (unreadable file). ``file`` is the report's copy.
    """

    name: str
    status: str
    review: dict[str, Any] | None = None
    size: tuple[int, int] | None = None
    error: str | None = None
    seconds: float = 0.0
    file: str | None = None
    findings: list[dict[str, Any]] = field(default_factory=list)

    def failing(self, fail_on: str | None) -> list[int]:
        """1-based numbers of the open findings at or above ``fail_on`` (none without a gate);
        a dismissed finding is not gated on, and only new ones are when reviewed against a
        baseline, as uireview.loop.gate_failures."""
        if not fail_on:
            return []
        bar = SEVERITY_ORDER[fail_on]
        baseline = bool(self.review and self.review.get("baseline"))
        return [
            n
            for n, f in enumerate(self.findings, 1)
            if not f.get("dismissed")
            and SEVERITY_ORDER.get(f.get("severity", "info"), 9) <= bar
            and (not baseline or f.get("status") == "new")
        ]

    @property
    def open_findings(self) -> list[dict[str, Any]]:
        return [f for f in self.findings if not f.get("dismissed")]

    @property
    def cost_usd(self) -> float | None:
        usage = (self.review or {}).get("usage") or {}
        cost = usage.get("cost_usd")
        return float(cost) if isinstance(cost, (int, float)) else None


@dataclass(frozen=True)
class ReviewReportInfo:
    folder: str
    preset: str
    fail_on: str | None = None
    use_model: bool = False
    seconds: float = 0.0


def summary(results: Sequence[ShotResult], fail_on: str | None) -> dict[str, int]:
    counts = {"screenshots": len(results), "with_findings": 0, "findings": 0, "error": 0}
    for r in results:
        counts["error"] += r.status == "error"
        counts["findings"] += len(r.open_findings)
        counts["with_findings"] += bool(r.open_findings)
    counts["failed"] = sum(bool(r.failing(fail_on)) for r in results)
    by = {s: 0 for s in SEVERITY_ORDER}
    for r in results:
        for f in r.open_findings:
            by[f.get("severity", "info")] = by.get(f.get("severity", "info"), 0) + 1
    counts.update(by)
    return counts


def total_cost(results: Sequence[ShotResult]) -> float | None:
    """USD the run's model calls cost, when every call's price was known (None otherwise)."""
    called = [r for r in results if (r.review or {}).get("usage")]
    costs = [r.cost_usd for r in called]
    if not called or any(c is None for c in costs):
        return None
    return sum(c for c in costs if c is not None)


def report_json(results: Sequence[ShotResult], info: ReviewReportInfo) -> dict:
    cost = total_cost(results)
    return {
        "folder": info.folder,
        "preset": info.preset,
        "fail_on": info.fail_on,
        "model": info.use_model,
        "seconds": round(info.seconds, 3),
        "cost_usd": round(cost, 6) if cost is not None else None,
        "summary": summary(results, info.fail_on),
        "screenshots": [
            {
                "name": r.name,
                "status": r.status,
                "size": list(r.size) if r.size else None,
                "failed": bool(r.failing(info.fail_on)),
                "error": r.error,
                "file": r.file,
                "review": r.review,
            }
            for r in results
        ],
    }


def junit_xml(results: Sequence[ShotResult], info: ReviewReportInfo) -> bytes:
    counts = summary(results, info.fail_on)
    root, suite = junit_suite(
        f"uireview review ({info.preset})",
        {
            "tests": str(len(results)),
            "failures": str(counts["failed"]),
            "errors": str(counts["error"]),
            "time": f"{info.seconds:.3f}",
        },
    )
    for r in results:
        case = ET.SubElement(
            suite,
            "testcase",
            {"classname": "uireview.review", "name": xml_text(r.name), "time": f"{r.seconds:.3f}"},
        )
        if r.status == "error":
            ET.SubElement(case, "error", {"message": xml_text(r.error or "unreadable")})
            continue
        failing = r.failing(info.fail_on)
        lines = [
            f"{n}. [{f['severity']}] {f['category']}: {f['title']}"
            for n, f in enumerate(r.findings, 1)
        ]
        if failing:
            message = (
                f"{len(failing)} finding{'s' if len(failing) > 1 else ''} at {info.fail_on} "
                f"or above ({', '.join(map(str, failing))})"
            )
            fail = ET.SubElement(
                case, "failure", {"message": xml_text(message), "type": "findings"}
            )
            fail.text = xml_text("\n".join(lines))
        elif lines:
            ET.SubElement(case, "system-out").text = xml_text("\n".join(lines))
    return junit_bytes(root)


_EXTRA_CSS = """
.shot{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:14px}
.findings{margin:0;padding-left:22px}.findings li{margin-bottom:6px}
.sev{font-size:11px;padding:0 6px;border-radius:3px;background:#eef2f7;margin-right:4px}
.sev.critical{background:#7f1d1d;color:#fff}.sev.major{background:#dc2626;color:#fff}
.sev.minor{background:#fde68a}.why{color:#4b5563;display:block}
.state{font-size:11px;padding:0 6px;border-radius:3px;margin-left:4px;background:#e5e7eb}
.state.new{background:#fee2e2;color:#991b1b}
.loop{margin:0 0 8px;padding:6px 10px;border-radius:6px;background:#f8fafc;
border:1px solid #e5e7eb}
.aside{margin:4px 0 0;padding-left:22px;color:#4b5563}
"""


def _state(f: Finding) -> str:
    words = status_words(f)
    return f' <span class="state {esc(f.status or "")}">{esc(words)}</span>' if words else ""


def _loop(review: Review) -> str:
    """The screenshot's design loop: counts against its baseline, resolved, dismissed."""
    parts = []
    if line := loop_line(review):
        parts.append(f"<b>Against baseline</b> {esc(review.baseline)}: {esc(line)}")
    resolved = "".join(
        f"<li><s>{esc(was_label(f))}{esc(f.title)}</s> ({esc(f.severity)})</li>"
        for f in review.resolved
    )
    if resolved:
        parts.append(f'Resolved:<ul class="aside">{resolved}</ul>')
    dismissed = "".join(
        f"<li>{esc(f.title)} ({esc(f.severity)}, in the baseline) · dismissed: "
        f"{esc(f.dismissed or '')}</li>"
        for f in review.dismissed
    )
    if dismissed:
        parts.append(f'Dismissed (not counted):<ul class="aside">{dismissed}</ul>')
    return f'<div class="loop">{"".join(parts)}</div>' if parts else ""


def _shot(r: ShotResult, fail_on: str | None) -> str:
    if r.status == "error":
        return (
            f'<section class="pair simple error"><h2>{esc(r.name)}</h2>'
            f'<span class="error">cannot read: {esc(r.error)}</span></section>'
        )
    review = Review.model_validate(r.review) if r.review else Review(preset="")
    failing = set(r.failing(fail_on))
    w, h = r.size or (0, 0)
    # Dismissed findings are not pinned on the image (as in the app and the exports).
    marks = boxes(
        (f.severity, f.box) for f in review.findings if f.box and f.image == 0 and not f.dismissed
    )
    items = "".join(
        f'<li value="{n}"{" class=failed" if n in failing else ""}>'
        f'<span class="sev {esc(f.severity)}">{esc(f.severity)}</span>'
        f"{esc(f.category)}: {esc(f.title)}{_state(f)}"
        f'<span class="why">{esc(f.evidence or f.detail or "")}</span></li>'
        for n, f in enumerate(review.findings, 1)
    )
    cls = "changed" if r.open_findings else "unchanged"
    gate = ""
    if fail_on:
        word = f"{len(failing)} at {fail_on}+" if failing else f"none at {fail_on}+"
        gate = f'<span class="badge gate">{esc(word)}</span>'
    facts = [f"{w}x{h}", f"{len(r.open_findings)} findings"]
    if dismissed := len(review.findings) - len(r.open_findings):
        facts.append(f"{dismissed} dismissed")
    if cost := cost_line(review):
        facts.append(cost)
    notices = "".join(f"<p class=meta>{esc(n)}</p>" for n in review.notices)
    return (
        f'<section class="pair {cls}{" failed" if failing else ""}"><h2>{esc(r.name)}{gate}</h2>'
        f'<p class="meta">{esc(", ".join(facts))}</p>{notices}{_loop(review)}'
        f'<div class="shot">{frame((w, h), img(src(r.file or "")) + marks)}'
        f'<ol class="findings">{items or "<li>No findings.</li>"}</ol></div></section>'
    )


def index_html(results: Sequence[ShotResult], info: ReviewReportInfo) -> str:
    counts = summary(results, info.fail_on)
    chips = [
        ("changed", f"with findings {counts['with_findings']}"),
        ("unchanged", f"clean {counts['screenshots'] - counts['with_findings'] - counts['error']}"),
    ]
    chips += [(s, f"{s} {counts[s]}") for s in SEVERITY_ORDER if counts.get(s)]
    if counts["error"]:
        chips.append(("error", f"unreadable {counts['error']}"))
    if info.fail_on:
        chips.append(("failed", f"failed {counts['failed']}"))
    title = f"Screenshot review ({info.preset}): {info.folder}"
    model = "with the model" if info.use_model else "measured checks only"
    meta = f"{len(results):,} screenshots, {model}, {info.seconds:.1f} s"
    if (cost := total_cost(results)) is not None:
        meta += f", ${cost:.4f}"
    elif any((r.review or {}).get("usage") for r in results):
        meta += ", price not known"
    top = header(title, chips, "with findings only", checked=False, meta=meta)
    # failing first, then by number of findings
    ranked = sorted(
        results, key=lambda r: (not r.failing(info.fail_on), r.status != "error", r.name)
    )
    body = "".join(_shot(r, info.fail_on) for r in ranked) or "<p>No screenshots found.</p>"
    return html_page(title, top, body, css=BASE_CSS + _EXTRA_CSS, js=BASE_JS)


def write_report(out_dir: Path, results: Sequence[ShotResult], info: ReviewReportInfo) -> None:
    doc = report_json(results, info)
    write_files(
        out_dir,
        [
            ("report.json", json.dumps(doc, indent=1, ensure_ascii=False) + "\n"),
            ("junit.xml", junit_xml(results, info)),
            ("index.html", index_html(results, info)),
        ],
    )
