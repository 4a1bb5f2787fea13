"""Where the text is, from pixels alone.

Uses RapidOCR's detection model, which ships inside the ``rapidocr-onnxruntime`` wheel
(no download at run time). Only detection runs: we need boxes, not words, and
detection is twice as fast as detection plus recognition.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from uireview.findings import Box


@dataclass(frozen=True)
class TextRegion:
    """A line of text: its box in image pixels."""

    box: Box

    @property
    def height(self) -> int:
        return self.box.height


@lru_cache(maxsize=1)
def _engine():
    # Imported lazily: onnxruntime takes a moment to load and many paths never need it.
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR()


def detect_text(rgb: np.ndarray) -> list[TextRegion]:
    """Text line boxes in an HxWx3 uint8 image, top to bottom, left to right."""
    result, _ = _engine()(rgb, use_det=True, use_cls=False, use_rec=False)
    regions = []
    h, w = rgb.shape[:2]
    for quad in result or []:
        xs = [p[0] for p in quad]
        ys = [p[1] for p in quad]
        box = Box(int(min(xs)), int(min(ys)), int(round(max(xs))), int(round(max(ys)))).clamp(w, h)
        if box.width > 0 and box.height > 0:
            regions.append(TextRegion(box))
    regions.sort(key=lambda r: (r.box.y0, r.box.x0))
    return regions
