"""The data that crosses modules: boxes, findings and reviews."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from uireview.boxes import Box, format_boxes, parse_box, parse_boxes
from uireview.compare.options import DiffOptions

Severity = Literal["critical", "major", "minor", "info"]
Source = Literal["model", "measured"]
# Against a baseline review: seen for the first time, or still there from the baseline.
Status = Literal["new", "persisting"]
Rating = Literal["useful", "not useful"]

__all__ = [
    "Box",
    "ChangedRegion",
    "Comparison",
    "Finding",
    "ImageInfo",
    "Review",
    "RowShift",
    "SEVERITY_ORDER",
    "Usage",
    "format_boxes",
    "parse_box",
    "parse_boxes",
]

SEVERITY_ORDER: dict[str, int] = {"critical": 0, "major": 1, "minor": 2, "info": 3}


class Finding(BaseModel):
    """One thing a designer should look at: where (box), why (evidence) and what to do."""

    source: Source
    category: str
    severity: Severity
    title: str
    detail: str = ""
    suggestion: str = ""
    image: int = 0
    box: Box | None = None
    # Further boxes the finding is about (e.g. both cards of an uneven gap), same image.
    related: list[Box] = Field(default_factory=list)
    # What the finding rests on, in words: "ratio 2.9:1, needs 4.5:1" or "marks 3, 7".
    evidence: str = ""
    # Measured values (contrast: ratio, required, fg, bg) for machines and exports.
    metrics: dict[str, Any] = Field(default_factory=dict)
    # Numbered marks (or grid cells) the model named; empty for measured findings.
    marks: list[str] = Field(default_factory=list)
    # Stable id of the measured rule that produced it, e.g. "contrast.aa".
    rule: str = ""
    # The words on the screen the finding is about, as read from the pixels ("PENDING
    # REQUESTS"); None when the finding is not about text or nothing could be read.
    text: str | None = None
    # Where it is, in words a designer uses: "sidebar", "top bar", "card “Earnings”".
    place: str | None = None
    # Set when the review has a baseline (see uireview.loop); None for a review on its own.
    status: Status | None = None
    # For a persisting finding: what the baseline measured, e.g. {"number": 3, "ratio": 2.1}.
    previous: dict[str, Any] = Field(default_factory=dict)
    # The owner's reason when dismissed ("false", "by design", "won't fix"); not counted.
    dismissed: str | None = None
    # The owner's rating of a model finding; stored apart from the review, filled on load.
    rating: Rating | None = None


class Usage(BaseModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    # USD at the endpoint's listed prices (or UIREVIEW_PRICE_*); None when no price is known.
    cost_usd: float | None = None


class ImageInfo(BaseModel):
    """What a review keeps about each input image."""

    name: str
    width: int
    height: int
    mime: str
    sha256: str
    bytes: int


class ChangedRegion(BaseModel):
    """A group of changed pixels (see ``compare.regions.Region`` for the kinds).

    ``box`` is in the pixels of the image ``frame`` names; ``counterpart`` is the same place in
    the other image (mapped through the shifts), if there is one.
    """

    box: Box
    pixels: int
    kind: str
    frame: Literal["before", "after"] = "after"
    counterpart: Box | None = None


class RowShift(BaseModel):
    """Rows from y (before image) moved by dy px (positive: down) and dx px (positive: right);
    ``box`` is where they are in the after image."""

    y: int
    dy: int
    height: int = 0
    dx: int = 0
    box: Box | None = None


class Comparison(BaseModel):
    """What a comparison measured, and the options and ignored areas it was measured with."""

    options: DiffOptions = Field(default_factory=DiffOptions)
    # Ignored areas, each list in the pixels of its own image.
    ignore: list[Box] = Field(default_factory=list)  # after image
    ignore_before: list[Box] = Field(default_factory=list)
    mismatch_pixels: int = 0
    window_pixels: int | None = None
    regions: list[ChangedRegion] = Field(default_factory=list)
    shifts: list[RowShift] = Field(default_factory=list)
    size_before: tuple[int, int] = (0, 0)
    size_after: tuple[int, int] = (0, 0)

    @property
    def compared_pixels(self) -> int:
        """Pixels pixelmatch compared: the overlap of the two images."""
        (wb, hb), (wa, ha) = self.size_before, self.size_after
        return min(wb, wa) * min(hb, ha)


_COMPARISON_FIELDS = set(Comparison.model_fields)


class Review(BaseModel):
    """The result of reviewing 1-10 screenshots with one preset, or of comparing two."""

    kind: Literal["review", "compare"] = "review"
    preset: str
    note: str = ""
    images: list[ImageInfo] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    model: str | None = None
    usage: Usage | None = None
    # The model's reply as received, kept so a reply we could not parse is still shown.
    raw_reply: str | None = None
    # Plain sentences for the user: "No API key: showing measured checks only.", ...
    notices: list[str] = Field(default_factory=list)
    timings: dict[str, float] = Field(default_factory=dict)
    # Settings that shaped the result (base URL, model, options; never the key).
    settings: dict[str, Any] = Field(default_factory=dict)
    # A comparison's measured figures (None for a screenshot review).
    comparison: Comparison | None = None
    # What was sent to the model (payload bytes, grounding kinds), for benchmarks and support.
    extra: dict[str, Any] = Field(default_factory=dict)
    id: str | None = None
    created_at: str | None = None  # ISO 8601, UTC; set by the store
    cached: bool = False  # answered from the store without a model call
    # Why the model part failed (one sentence for the user), when it did; measured
    # findings are still there. ``partial`` marks a reply that broke off mid-stream.
    error: str | None = None
    partial: bool = False
    # The design loop (uireview.loop): the review this one was compared with, the baseline's
    # findings no longer found, and findings the owner dismissed in the baseline (listed
    # apart: not numbered, not counted, not gated on).
    baseline: str | None = None
    resolved: list[Finding] = Field(default_factory=list)
    dismissed: list[Finding] = Field(default_factory=list)

    def open_findings(self) -> list[Finding]:
        """The findings that count: not dismissed by the owner."""
        return [f for f in self.findings if not f.dismissed]

    @model_validator(mode="before")
    @classmethod
    def _comparison_from_old_extra(cls, data: Any) -> Any:
        """Comparisons saved before ``comparison`` existed kept its fields in ``extra``."""
        if isinstance(data, dict) and data.get("kind") == "compare" and not data.get("comparison"):
            extra = dict(data.get("extra") or {})
            if "mismatch_pixels" in extra:
                moved = {k: extra.pop(k) for k in list(extra) if k in _COMPARISON_FIELDS}
                data = {**data, "comparison": moved, "extra": extra}
        return data
