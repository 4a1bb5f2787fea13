"""A folder review's report: index.html (each screenshot with its numbered findings),
report.json and junit.xml (one testcase per screenshot, failed by a finding at or above the
gate). The page is the diff report's shell: offline, strict policy, escaped names."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from uireview.compare.report import boxes, esc, frame, html_page, img, src
from uireview.findings import SEVERITY_ORDER


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
        """1-based numbers of the findings at or above ``fail_on`` (none without a gate); only
        new ones when reviewed against a baseline, as uireview.loop.gate_failures."""
        if not fail_on:
            return []
        bar = SEVERITY_ORDER[fail_on]
        baseline = bool(self.review and self.review.get("baseline"))
        return [
            n
            for n, f in enumerate(self.findings, 1)
            if SEVERITY_ORDER.get(f.get("severity", "info"), 9) <= bar
            and (not baseline or f.get("status") == "new")
        ]


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
        counts["findings"] += len(r.findings)
        counts["with_findings"] += bool(r.findings)
    counts["failed"] = sum(bool(r.failing(fail_on)) for r in results)
    by = {s: 0 for s in SEVERITY_ORDER}
    for r in results:
        for f in r.findings:
            by[f.get("severity", "info")] = by.get(f.get("severity", "info"), 0) + 1
    counts.update(by)
    return counts


def report_json(results: Sequence[ShotResult], info: ReviewReportInfo) -> dict:
    return {
        "folder": info.folder,
        "preset": info.preset,
        "fail_on": info.fail_on,
        "model": info.use_model,
        "seconds": round(info.seconds, 3),
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
    attrs = {
        "name": f"uireview review ({info.preset})",
        "tests": str(len(results)),
        "failures": str(counts["failed"]),
        "errors": str(counts["error"]),
        "time": f"{info.seconds:.3f}",
    }
    root = ET.Element("testsuites", attrs)
    suite = ET.SubElement(root, "testsuite", attrs)
    from uireview.compare.report import xml_text

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
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


_EXTRA_CSS = """
.shot{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:14px}
.findings{margin:0;padding-left:22px}.findings li{margin-bottom:6px}
.sev{font-size:11px;padding:0 6px;border-radius:3px;background:#eef2f7;margin-right:4px}
.sev.critical{background:#7f1d1d;color:#fff}.sev.major{background:#dc2626;color:#fff}
.sev.minor{background:#fde68a}.why{color:#4b5563;display:block}
"""


def _shot(r: ShotResult, fail_on: str | None) -> str:
    if r.status == "error":
        return (
            f'<section class="pair simple error"><h2>{esc(r.name)}</h2>'
            f'<span class="error">cannot read: {esc(r.error)}</span></section>'
        )
    failing = set(r.failing(fail_on))
    w, h = r.size or (0, 0)
    marks = boxes(
        (f.get("severity", ""), f["box"])
        for f in r.findings
        if f.get("box") and f.get("image", 0) == 0
    )
    items = "".join(
        f'<li{" class=failed" if n in failing else ""}><span class="sev {esc(f["severity"])}">'
        f"{esc(f['severity'])}</span>{esc(f['category'])}: {esc(f['title'])}"
        f'<span class="why">{esc(f.get("evidence") or f.get("detail") or "")}</span></li>'
        for n, f in enumerate(r.findings, 1)
    )
    cls = "changed" if r.findings else "unchanged"
    gate = ""
    if fail_on:
        word = f"{len(failing)} at {fail_on}+" if failing else f"none at {fail_on}+"
        gate = f'<span class="badge gate">{esc(word)}</span>'
    notices = "".join(f"<p class=meta>{esc(n)}</p>" for n in (r.review or {}).get("notices", []))
    return (
        f'<section class="pair {cls}{" failed" if failing else ""}"><h2>{esc(r.name)}{gate}</h2>'
        f'<p class="meta">{w}x{h}, {len(r.findings)} findings</p>{notices}'
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
    items = "".join(f'<li class="{esc(k)}">{esc(v)}</li>' for k, v in chips)
    title = f"Screenshot review ({info.preset}): {info.folder}"
    model = "with the model" if info.use_model else "measured checks only"
    header = (
        f"<h1>{esc(title)}</h1><ul class=counts>{items}</ul>"
        '<label><input type="checkbox" id="only-changed"> with findings only</label>'
        f'<span class="meta">{len(results):,} screenshots, {model}, {info.seconds:.1f} s</span>'
    )
    # failing first, then by number of findings
    ranked = sorted(
        results, key=lambda r: (not r.failing(info.fail_on), r.status != "error", r.name)
    )
    from uireview.compare.report import BASE_CSS, BASE_JS

    body = "".join(_shot(r, info.fail_on) for r in ranked) or "<p>No screenshots found.</p>"
    return html_page(title, header, body, css=BASE_CSS + _EXTRA_CSS, js=BASE_JS)


def write_report(out_dir: Path, results: Sequence[ShotResult], info: ReviewReportInfo) -> None:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    doc = report_json(results, info)
    (out / "report.json").write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
    (out / "junit.xml").write_bytes(junit_xml(results, info))
    (out / "index.html").write_text(index_html(results, info), encoding="utf-8")
