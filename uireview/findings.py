"""The data that crosses modules: boxes, findings and reviews."""

from __future__ import annotations

from typing import Any, Literal, NamedTuple

from pydantic import BaseModel, Field

Severity = Literal["critical", "major", "minor", "info"]
Source = Literal["model", "measured"]
# Against a baseline review: seen for the first time, or still there from the baseline.
Status = Literal["new", "persisting"]
Rating = Literal["useful", "not useful"]

SEVERITY_ORDER: dict[str, int] = {"critical": 0, "major": 1, "minor": 2, "info": 3}


class Box(NamedTuple):
    """A half-open rectangle x0 <= x < x1, y0 <= y < y1, in the pixels of its own image.

    A NamedTuple so it serialises as ``[x0, y0, x1, y1]``, the CLI's JSON shape.
    """

    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    @property
    def height(self) -> int:
        return self.y1 - self.y0

    @property
    def area(self) -> int:
        return max(0, self.width) * max(0, self.height)

    @property
    def center(self) -> tuple[float, float]:
        return ((self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2)

    def union(self, other: Box) -> Box:
        return Box(
            min(self.x0, other.x0),
            min(self.y0, other.y0),
            max(self.x1, other.x1),
            max(self.y1, other.y1),
        )

    def intersection(self, other: Box) -> Box | None:
        box = Box(
            max(self.x0, other.x0),
            max(self.y0, other.y0),
            min(self.x1, other.x1),
            min(self.y1, other.y1),
        )
        return box if box.width > 0 and box.height > 0 else None

    def clamp(self, width: int, height: int) -> Box:
        """The part of this box inside a width x height image."""
        return Box(
            min(max(self.x0, 0), width),
            min(max(self.y0, 0), height),
            min(max(self.x1, 0), width),
            min(max(self.y1, 0), height),
        )

    def scale(self, factor: float) -> Box:
        return Box(
            round(self.x0 * factor),
            round(self.y0 * factor),
            round(self.x1 * factor),
            round(self.y1 * factor),
        )


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


class ImageInfo(BaseModel):
    """What a review keeps about each input image."""

    name: str
    width: int
    height: int
    mime: str
    sha256: str
    bytes: int


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
    # Kind-specific data: for a comparison the diff figures, shifts and ignore boxes.
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


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Measured first, then by severity; stable so each source keeps its own order.

    The list position (1-based) is the number drawn on the image.
    """
    return sorted(
        findings,
        key=lambda f: (0 if f.source == "measured" else 1, SEVERITY_ORDER.get(f.severity, 9)),
    )
