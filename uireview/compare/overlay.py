"""The diff overlay: the after image faded, changed pixels in two colours, inserted rows tinted."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from uireview.compare.pixelmatch import RGB

if TYPE_CHECKING:
    from uireview.compare.diff import DiffResult

__all__ = ["overlay"]


def overlay(
    after: np.ndarray,
    result: DiffResult,
    *,
    fade: float = 0.75,
    darker_color: RGB = (220, 38, 38),
    lighter_color: RGB = (37, 99, 235),
    region_tint: RGB = (22, 163, 74),
) -> np.ndarray:
    """The after image faded towards white, changed pixels in two colours (darker in the after
    image, e.g. added ink: ``darker_color``; lighter, e.g. removed ink: ``lighter_color``), and
    inserted rows tinted. Returns RGBA uint8 of the after image's size."""
    img = np.asarray(after)
    h, w = img.shape[:2]
    rgb = img[..., :3].astype(np.float32)
    out = np.empty((h, w, 4), dtype=np.uint8)
    out[..., :3] = (rgb + (255 - rgb) * fade).astype(np.uint8)
    out[..., 3] = 255
    flat = out.reshape(-1, 4)
    for r in result.regions:
        if r.kind == "inserted" and r.frame == "after":
            x0, y0, x1, y1 = r.box.clamp(w, h)
            area = out[y0:y1, x0:x1, :3].astype(np.float32)
            out[y0:y1, x0:x1, :3] = (area * 0.7 + np.array(region_tint) * 0.3).astype(np.uint8)
    idx, darker = result.changed_index, result.changed_darker
    flat[idx[darker]] = (*darker_color, 255)
    flat[idx[~darker]] = (*lighter_color, 255)
    return out
