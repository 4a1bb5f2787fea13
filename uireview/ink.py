"""Where a screenshot has ink: text, icons, rules, chart lines. Pins are placed off it.

A pixel is busy when it differs sharply from its right or lower neighbour: glyph edges do,
flat surfaces and soft gradients do not. A summed-area table over that map answers "how much
of this rectangle is ink" in four look-ups, so a pin layout can weigh dozens of candidate
spots per mark at no noticeable cost. Cheaper and steadier than running the text detector
again for the annotation, and it also keeps pins off icons and charts, which it never finds.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict

import numpy as np
from PIL import Image, ImageChops

# A channel step this large between neighbours is an edge. Anti-aliased text steps by 60 or
# more at its strokes; JPEG-free UI gradients and shadows step by a few units a pixel.
EDGE_STEP = 32
# The share of busy pixels in a pin-sized square of running text (measured on the real-page
# set: text lines 0.2-0.4, a crossing 1 px rule about 0.03). At or above it a spot counts
# as fully covered.
FULL_INK = 0.2


class Ink:
    """The busy-pixel map of one image, queried by rectangle."""

    def __init__(self, image: Image.Image) -> None:
        rgb = image.convert("RGB")
        w, h = rgb.size
        busy = np.zeros((h, w), dtype=bool)
        # Pillow's C differences, about 4x faster than numpy's int16 ones on a screenshot.
        if w > 1:
            step = _edges(rgb.crop((1, 0, w, h)), rgb.crop((0, 0, w - 1, h)))
            busy[:, :-1] |= step
            busy[:, 1:] |= step
        if h > 1:
            step = _edges(rgb.crop((0, 1, w, h)), rgb.crop((0, 0, w, h - 1)))
            busy[:-1, :] |= step
            busy[1:, :] |= step
        table = np.zeros((h + 1, w + 1), dtype=np.int32)  # 2**31 px: no screenshot overflows
        table[1:, 1:] = busy.cumsum(axis=0, dtype=np.int32).cumsum(axis=1, dtype=np.int32)
        self._table = table
        self.size = (w, h)

    def share(self, x0: float, y0: float, x1: float, y1: float) -> float:
        """The share of busy pixels in the rectangle (clipped to the image; 0 when empty)."""
        w, h = self.size
        a, b = max(0, int(x0)), max(0, int(y0))
        c, d = min(w, int(round(x1))), min(h, int(round(y1)))
        if c <= a or d <= b:
            return 0.0
        t = self._table
        count = t[d, c] - t[b, c] - t[d, a] + t[b, a]
        return float(count) / ((c - a) * (d - b))

    def cover(self, centre: tuple[float, float], radius: float) -> float:
        """How much ink a pin at ``centre`` would hide, 0 (none) to 1 (a spot of running text)."""
        cx, cy = centre
        return min(1.0, self.share(cx - radius, cy - radius, cx + radius, cy + radius) / FULL_INK)


def _edges(a: Image.Image, b: Image.Image) -> np.ndarray:
    """Where two same-sized RGB images differ by more than ``EDGE_STEP`` in any channel."""
    r, g, b_ = ImageChops.difference(a, b).split()
    return np.asarray(ImageChops.lighter(ImageChops.lighter(r, g), b_)) > EDGE_STEP


_KEPT: OrderedDict[bytes, Ink] = OrderedDict()


def ink_of(image: Image.Image) -> Ink:
    """``Ink(image)``, kept for the last few images: a page draws the same screenshot and
    its zoom boxes on every rerun, and the map costs more than the digest that finds it."""
    key = hashlib.blake2b(image.convert("RGB").tobytes(), digest_size=16).digest()
    key += repr(image.size).encode()
    if key in _KEPT:
        _KEPT.move_to_end(key)
        return _KEPT[key]
    ink = _KEPT[key] = Ink(image)
    while len(_KEPT) > 4:
        _KEPT.popitem(last=False)
    return ink
