"""Measured checks: exact numbers from pixels, no model, no network.

Each check is ``check(screen: Screen) -> list[Finding]``. A ``Screen`` holds one decoded
image and computes what several checks share (text regions, UI elements) once, lazily.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from uireview.findings import Finding

if TYPE_CHECKING:
    from uireview.checks.elements import Element
    from uireview.checks.text import TextRegion


class Screen:
    """One screenshot as RGB pixels, with lazily computed shared analyses."""

    def __init__(self, rgb: np.ndarray, index: int = 0, name: str = ""):
        if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
            raise ValueError("Screen wants an HxWx3 uint8 array")
        self.rgb = rgb
        self.index = index
        self.name = name

    @property
    def height(self) -> int:
        return int(self.rgb.shape[0])

    @property
    def width(self) -> int:
        return int(self.rgb.shape[1])

    @cached_property
    def text_regions(self) -> list[TextRegion]:
        from uireview.checks.text import detect_text

        return detect_text(self.rgb)

    @cached_property
    def elements(self) -> list[Element]:
        from uireview.checks.elements import detect_elements

        return detect_elements(self)


Check = Callable[[Screen], list[Finding]]


def get_check(name: str) -> Check:
    """The check function for a name a preset lists (contrast, spacing, hierarchy)."""
    if name == "contrast":
        from uireview.checks.contrast import check
    elif name == "spacing":
        from uireview.checks.spacing import check
    elif name == "hierarchy":
        from uireview.checks.hierarchy import check
    else:
        raise KeyError(f"unknown check {name!r}")
    return check


CHECK_NAMES = ("contrast", "spacing", "hierarchy")
