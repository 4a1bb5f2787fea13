"""The data that crosses modules: boxes, findings and reviews."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from uireview.boxes import Box, format_boxes, parse_box, parse_boxes
from uireview.compare.options import DiffOptions

Severity = Literal["critical", "major", "minor", "info"]
Source = Literal["model", "measured"]

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
    """A group of changed pixels (see ``compare.diff.Region`` for the kinds)."""

    box: Box
    pixels: int
    kind: str


class RowShift(BaseModel):
    """Rows from y (before image) moved by dy px (positive: down)."""

    y: int
    dy: int
    height: int = 0


class Comparison(BaseModel):
    """What a comparison measured, and the options and ignored areas it was measured with."""

    options: DiffOptions = Field(default_factory=DiffOptions)
    ignore: list[Box] = Field(default_factory=list)
    mismatch_pixels: int = 0
    window_pixels: int | None = None
    regions: list[ChangedRegion] = Field(default_factory=list)
    shifts: list[RowShift] = Field(default_factory=list)
    size_before: tuple[int, int] = (0, 0)
    size_after: tuple[int, int] = (0, 0)


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
