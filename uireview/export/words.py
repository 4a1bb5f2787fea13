"""The words every export shares: dates, counts, loop status, cost, a finding's name and place."""

from __future__ import annotations

from datetime import datetime

from uireview.findings import Finding, Review
from uireview.loop import loop_counts

SEVERITIES = ("critical", "major", "minor", "info")


def one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def date_words(review: Review) -> str:
    if not review.created_at:
        return "not saved"
    try:
        when = datetime.fromisoformat(review.created_at)
    except ValueError:
        return review.created_at
    offset = when.utcoffset()
    zone = "" if offset is None else " UTC" if not offset else when.strftime(" UTC%z")
    return when.strftime("%Y-%m-%d %H:%M") + zone


def open_counts(review: Review) -> dict[str, int]:
    """Open findings by severity: a dismissed one no longer counts (as on the page)."""
    return {s: sum(1 for f in review.open_findings() if f.severity == s) for s in SEVERITIES}


def findings_line(review: Review, *, noun: bool = True) -> str:
    """ "5 findings (1 critical, 4 major) · 2 dismissed": what is open, then what was set aside."""
    total = len(review.open_findings())
    counts = ", ".join(f"{n} {s}" for s, n in open_counts(review).items() if n)
    line = f"{total}" + (f" finding{'s' if total != 1 else ''}" if noun else "")
    line += f" ({counts})" if counts else ""
    dismissed = len(review.findings) - total
    return line + (f" · {dismissed} dismissed" if dismissed else "")


def status_words(finding: Finding) -> str:
    """Where a finding is in the design loop: "new", "persisting, was 2.10:1",
    "dismissed: by design"; "" for a review without a baseline and not dismissed."""
    parts = []
    if finding.status == "persisting":
        was, now = finding.previous.get("ratio"), finding.metrics.get("ratio")
        moved = isinstance(was, (int, float)) and isinstance(now, (int, float)) and was != now
        parts.append(f"persisting, was {was:.2f}:1" if moved else "persisting")
    elif finding.status:
        parts.append(finding.status)
    if finding.dismissed:
        parts.append(f"dismissed: {one_line(finding.dismissed)}")
    return "; ".join(parts)


def loop_line(review: Review) -> str:
    """ "2 new · 3 persisting · 1 resolved · 1 dismissed" against the baseline ("" without)."""
    if not review.baseline:
        return ""
    c = loop_counts(review)
    line = f"{c['new']} new · {c['persisting']} persisting · {c['resolved']} resolved"
    return line + (f" · {c['dismissed']} dismissed" if c["dismissed"] else "")


def cost_line(review: Review) -> str:
    """What the model call cost: "$0.0123 · 1,234 in + 567 out tokens" ("" without a call)."""
    u = review.usage
    if u is None:
        return ""
    tokens = f"{u.prompt_tokens:,} in + {u.completion_tokens:,} out tokens"
    if review.cached:
        tokens += ", answered from saved reviews"
    if u.cost_usd is None:
        return f"price not known · {tokens}"
    return f"${u.cost_usd:.4f} · {tokens}"


def dismissed_findings(review: Review) -> list[tuple[int | None, Finding]]:
    """Findings set aside: this review's (with their numbers), then the baseline's."""
    mine: list[tuple[int | None, Finding]] = [
        (n, f) for n, f in enumerate(review.findings, 1) if f.dismissed
    ]
    return mine + [(None, f) for f in review.dismissed]


def naming(finding: Finding) -> str:
    """The words and the place of a finding, as a person would look for them on the screen:
    "“Pending requests”, sidebar". Words the title already quotes are not said twice."""
    said = []
    if finding.text and finding.text not in finding.title:
        said.append(f"“{one_line(finding.text)}”")
    if finding.place:
        said.append(one_line(finding.place))
    return ", ".join(said)


def where(finding: Finding, review: Review) -> str:
    if len(review.images) > 1:
        return f"image {finding.image + 1}"
    return ""


def was_label(f: Finding) -> str:
    """ "was 3. " for a resolved finding that was #3 in the baseline ("" if not known)."""
    was = f.previous.get("number")
    return f"was {was}. " if was else ""
