"""The diff's options, spelled once for the Compare page, the pipeline and the CLI.

A frozen dataclass rather than a pydantic model: the diff command builds one on its fast path,
and pydantic accepts stdlib dataclasses as field types where a saved comparison keeps them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

Metric = Literal["oklab", "yiq"]
METRICS: tuple[Metric, ...] = ("oklab", "yiq")


@dataclass(frozen=True)
class DiffOptions:
    """pixelmatch's options as the Compare page and the CLI expose them.

    threshold: 0..1, a share of the largest colour distance (0.1 = pixelmatch's default).
    include_aa: count anti-aliased pixels as changed too.
    metric: "oklab" (pixelmatch 8.0.0, the default) or "yiq" (7.2.0).
    checkerboard: blend semi-transparent pixels over a checkerboard, as pixelmatch does;
        False blends them on white.
    window: also report the densest ``window`` x ``window`` px square's count (CLI only).
    """

    threshold: float = 0.1
    include_aa: bool = False
    metric: Metric = "oklab"
    checkerboard: bool = True
    window: int | None = None

    def __post_init__(self) -> None:
        problem = self.problem()
        if problem:
            raise ValueError(problem)

    def problem(self) -> str | None:
        """The sentence that says what is wrong with these options, or None."""
        if not isinstance(self.threshold, int | float) or not 0 <= self.threshold <= 1:
            return "The threshold must be a number between 0 and 1 (0.1 is pixelmatch's default)."
        if self.metric not in METRICS:
            return f"The metric must be one of {', '.join(METRICS)}."
        if self.window is not None and (not isinstance(self.window, int) or self.window < 1):
            return "The window must be a whole number of pixels, 1 or more."
        return None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)
