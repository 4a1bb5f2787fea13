"""What the store hands back (saved review, history rows and pages) and the columns it derives
from a review for history and search."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from uireview.findings import SEVERITY_ORDER, Review
from uireview.store.schema import REASON_MAX, TITLE_MAX

SEVERITIES = tuple(SEVERITY_ORDER)
DISMISS_REASONS = ("false", "by design", "won't fix")


@dataclass(frozen=True)
class Saved:
    """What ``save`` hands back: the new id, the owner's delete token (shown once) and the
    review as stored (id and created_at filled in)."""

    id: str
    delete_token: str
    review: Review


@dataclass(frozen=True)
class ReviewSummary:
    """One row of the history list."""

    id: str
    kind: str
    preset: str
    created_at: datetime  # aware, UTC
    first_image: str | None  # sha256 of the first image, for a thumbnail via Store.image
    counts: dict[str, int]  # findings by severity, every severity present
    title: str
    expires_at: datetime | None = None
    with_model: bool = False
    first_name: str | None = None
    baseline_id: str | None = None
    n_new: int | None = None  # None: the review had no baseline
    n_resolved: int | None = None
    cost_usd: float | None = None  # what the model call cost, at the endpoint's listed prices


@dataclass(frozen=True)
class Filters:
    """What history may be narrowed to, besides the search text; None means any."""

    kind: str | None = None
    preset: str | None = None
    with_model: bool | None = None
    since: datetime | None = None  # aware, or naive meaning UTC; inclusive
    until: datetime | None = None  # exclusive


@dataclass(frozen=True)
class Page:
    """One page of history, newest first. ``page`` is 1-based and within 1..pages."""

    items: list[ReviewSummary] = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 1


def title_of(review: Review) -> str:
    first_line = review.note.strip().splitlines()[0].strip() if review.note.strip() else ""
    if first_line:
        title = first_line
    else:
        joiner = " vs " if review.kind == "compare" else ", "
        title = joiner.join(i.name for i in review.images) or review.preset
    return title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 1] + "…"


def search_text_of(review: Review) -> str:
    """What history search matches: preset, note, file names, and each finding's category,
    title, detail, words and place (so "hierarchy" finds the hierarchy check's findings)."""
    parts = [review.preset, review.note] + [i.name for i in review.images]
    for f in review.findings + review.dismissed:
        parts += [f.category, f.title, f.detail, f.text or "", f.place or ""]
    return "\n".join(p for p in parts if p).casefold()


def counts_of(review: Review) -> dict[str, int]:
    counts = {s: 0 for s in SEVERITIES}
    for finding in review.open_findings():
        counts[finding.severity] = counts.get(finding.severity, 0) + 1
    return {f"n_{s}": n for s, n in counts.items()}


def loop_columns_of(review: Review) -> dict[str, Any]:
    if review.baseline is None:
        return {"baseline_id": None, "n_new": None, "n_resolved": None}
    n_new = sum(1 for f in review.open_findings() if f.status == "new")
    return {"baseline_id": review.baseline, "n_new": n_new, "n_resolved": len(review.resolved)}


def normalise_reason(reason: str) -> str:
    """One line, at most REASON_MAX characters; the three usual reasons in their usual words."""
    text = " ".join(str(reason).split())
    if not text:
        raise ValueError("A dismissal needs a reason, e.g. false, by design, won't fix.")
    known = {r.replace("'", "").replace("’", ""): r for r in DISMISS_REASONS}
    return known.get(text.casefold().replace("'", "").replace("’", ""), text)[:REASON_MAX]


def cost_of(data: str) -> float | None:
    """The saved review's ``usage.cost_usd``, read from its JSON (no column of its own)."""
    try:
        cost = (json.loads(data).get("usage") or {}).get("cost_usd")
    except (ValueError, AttributeError):
        return None
    return float(cost) if isinstance(cost, int | float) else None
