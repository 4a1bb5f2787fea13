"""The pass/fail gate on a diff: ``--fail-on-pixels N`` or a share such as ``0.1%``.

One parser and one rule for the single diff (exit 1 when it fails), the folder diff (each pair
judged alone) and the Compare page's badge. The count is pixelmatch's, after ignored areas; a
share is of the pixels the caller counts: the overlap of the two images for one pair, the after
image's pixels outside ignored areas in a folder report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Gate", "Verdict", "parse_gate"]

_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$")


@dataclass(frozen=True)
class Verdict:
    passed: bool
    pixels: int
    allowed: int
    sentence: str


@dataclass(frozen=True)
class Gate:
    """At most ``pixels`` changed pixels, or at most ``share`` percent of those compared."""

    pixels: int | None = None
    share: float | None = None  # percent, 0..100

    def allowed(self, compared: int) -> int:
        """The largest count that still passes, for ``compared`` pixels compared."""
        if self.share is not None:
            return int(compared * self.share / 100)
        return self.pixels or 0

    @property
    def percent(self) -> float | None:
        """The share in percent, None for a pixel count (the folder report's word for it)."""
        return self.share

    def exceeded(self, mismatch: int, compared: int) -> bool:
        """Whether ``mismatch`` changed pixels are over the limit for ``compared`` ones."""
        return mismatch > self.allowed(compared)

    def judge(self, mismatch: int, compared: int) -> Verdict:
        """Pass when ``mismatch`` changed pixels are within the limit for ``compared`` ones."""
        allowed = self.allowed(compared)
        passed = not self.exceeded(mismatch, compared)
        of = f" ({self.share:g}% of {compared:,} px)" if self.share is not None else ""
        sentence = (
            f"{'pass' if passed else 'fail'}: {mismatch:,} px differ, {allowed:,} allowed{of}"
        )
        return Verdict(passed, mismatch, allowed, sentence)

    def __str__(self) -> str:
        return f"{self.share:g}%" if self.share is not None else f"{self.pixels}"


def parse_gate(text: str) -> Gate:
    """``"500"`` (pixels) or ``"0.1%"`` (share of the pixels compared); ValueError with a
    sentence to show otherwise."""
    match = _NUMBER.match(str(text))
    if not match:
        raise ValueError(
            f"“{str(text).strip()[:20]}” is not a limit: give a number of pixels (500) "
            "or a share of the image (0.1%)."
        )
    number, percent = match.groups()
    if percent:
        share = float(number)
        if share > 100:
            raise ValueError("A share of the image is at most 100%.")
        return Gate(share=share)
    if "." in number:
        raise ValueError(f"“{number}” pixels: give a whole number, or a share such as 0.1%.")
    return Gate(pixels=int(number))
