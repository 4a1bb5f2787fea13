"""How much pixel work the process does at once, so one upload cannot starve the others.

The measured checks (text detection above all) take memory and time in proportion to the
pixels they read: about 20 MB a megapixel at the peak (one 64 MP image: 1.3 GB). Every
review holds its pixel count from ``BUDGET`` while its checks run; a review that does not
fit waits for others to finish, and gives up with a sentence after ``WAIT_S``. A review
larger than ``MAX_REVIEW_PIXELS`` is refused before any work.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from uireview.errors import BadImage, ServerBusy

# Megapixels of checks in flight across all sessions of one process (~2 GB at the peak).
CAPACITY_PIXELS = 96_000_000
# The most one review may hold: 1.5 images at the 64 MP limit, or ten 9 MP screenshots.
MAX_REVIEW_PIXELS = CAPACITY_PIXELS
WAIT_S = 120.0


class PixelBudget:
    """A counting semaphore in pixels: ``hold(n)`` waits until ``n`` fit, then keeps them."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.in_use = 0
        self._cond = threading.Condition()

    @contextmanager
    def hold(self, pixels: int, wait: float | None = None) -> Iterator[None]:
        """Keep ``pixels`` (at most the capacity) for the block; ``ServerBusy`` after ``wait``."""
        need = max(1, min(pixels, self.capacity))
        deadline = time.monotonic() + (WAIT_S if wait is None else wait)
        with self._cond:
            while self.in_use + need > self.capacity:
                left = deadline - time.monotonic()
                if left <= 0 or not self._cond.wait(left):
                    if self.in_use + need > self.capacity:
                        raise ServerBusy()
            self.in_use += need
        try:
            yield
        finally:
            with self._cond:
                self.in_use -= need
                self._cond.notify_all()


BUDGET = PixelBudget(CAPACITY_PIXELS)


def check_review_pixels(sizes: list[tuple[int, int]]) -> None:
    """Raise ``BadImage`` when one review's images hold more pixels than a review may."""
    total = sum(w * h for w, h in sizes)
    if total > MAX_REVIEW_PIXELS:  # (read here, so a test can lower it)
        raise BadImage(
            f"These screenshots hold {total / 1e6:.0f} megapixels in all; one review takes at "
            f"most {MAX_REVIEW_PIXELS // 1_000_000}. Review them in smaller batches."
        )
