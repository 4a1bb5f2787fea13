"""The folder review's page and JSON: the design loop and the model's cost, per screenshot."""

from __future__ import annotations

import json
import re

from uireview.findings import Box, Finding, Review, Usage
from uireview.review_report import ReviewReportInfo, ShotResult, index_html, report_json


def _shot(name: str, review: Review) -> ShotResult:
    doc = review.model_dump(mode="json")
    return ShotResult(name, "reviewed", doc, (400, 300), file=f"files/{name}",
                      findings=doc["findings"])  # fmt: skip


def _looped() -> Review:
    label = Finding(source="measured", category="contrast", severity="critical",
                    title="Faint label", box=Box(20, 20, 120, 40), status="new")  # fmt: skip
    kept = Finding(source="model", category="layout", severity="major", title="Crowded header",
                   box=Box(10, 200, 300, 240), status="persisting",
                   dismissed="by design")  # fmt: skip
    gone = Finding(source="measured", category="contrast", severity="major",
                   title="Footer link is faint", previous={"number": 2})  # fmt: skip
    return Review(
        preset="contrast", findings=[label, kept], baseline="baselinebaselinebasel1",
        resolved=[gone], usage=Usage(prompt_tokens=900, completion_tokens=100, cost_usd=0.002),
    )  # fmt: skip


def test_each_screenshot_says_new_resolved_dismissed_and_what_its_call_cost():
    page = index_html([_shot("home.png", _looped())], ReviewReportInfo("shots", "contrast"))
    section = page.split("<main>")[1]
    assert "Against baseline</b> baselinebaselinebasel1: 1 new · 0 persisting · 1 resolved" in (
        section
    )
    assert '<span class="state new">new</span>' in section
    assert "persisting; dismissed: by design" in section
    assert "<s>was 2. Footer link is faint</s>" in section
    assert "400x300, 1 findings, 1 dismissed, $0.0020 · 900 in + 100 out tokens" in section
    # the dismissed finding is listed but not boxed on the image
    assert len(re.findall(r'<i class="box ', section)) == 1
    assert "$0.0020" in page.split("</header>")[0]  # the run's total


def test_a_dismissed_finding_neither_counts_nor_fails_the_gate():
    review = _looped()
    review.findings[0].dismissed = "false"
    shot = _shot("home.png", review)
    assert shot.failing("minor") == []
    doc = report_json([shot], ReviewReportInfo("shots", "contrast", fail_on="minor"))
    assert doc["summary"]["findings"] == 0 and doc["summary"]["failed"] == 0


def test_the_run_cost_is_the_sum_and_unknown_when_a_price_is_missing():
    a, b = _looped(), _looped()
    info = ReviewReportInfo("shots", "contrast", use_model=True)
    assert (
        json.loads(json.dumps(report_json([_shot("a.png", a), _shot("b.png", b)], info)))[
            "cost_usd"
        ]
        == 0.004
    )
    assert b.usage is not None
    b.usage.cost_usd = None
    results = [_shot("a.png", a), _shot("b.png", b)]
    assert report_json(results, info)["cost_usd"] is None
    assert "price not known" in index_html(results, info).split("</header>")[0]
    measured = Review(preset="contrast")
    assert report_json([_shot("m.png", measured)], info)["cost_usd"] is None
