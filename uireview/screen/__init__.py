"""Reading a screenshot: its text lines and UI elements, computed once and shared by the checks.

A ``Screen`` holds one decoded image; ``text_regions`` (``text.py``, the text detector) and
``elements`` (``elements.py``, boxes, cards, buttons) are computed lazily on first use.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from uireview.screen.elements import Element
    from uireview.screen.text import TextRegion


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
        from uireview.screen.text import detect_text

        return detect_text(self.rgb)

    @cached_property
    def elements(self) -> list[Element]:
        from uireview.screen.elements import detect_elements

        return detect_elements(self)
