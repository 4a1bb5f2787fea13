"""What a review will cost before sending (an estimate) and what it did cost after (usage).

xAI does not publish its image tokenisation. The estimate assumes what most vision models
do: the image is cut into 448 px tiles of 256 tokens each, plus one thumbnail tile, after the
long edge is capped. It is labelled an estimate in the UI; the usage the API returns is the
truth and is shown after the review.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from uireview.findings import Usage
from uireview.images import MAX_EDGE
from uireview.settings import Settings

TILE = 448
TOKENS_PER_TILE = 256
CHARS_PER_TOKEN = 4  # English prose and JSON average
# The system prompt, preset instruction and measured context, before the note.
PROMPT_OVERHEAD_TOKENS = 900


@dataclass(frozen=True)
class Estimate:
    images: int
    image_tokens: int
    prompt_tokens: int

    @property
    def total(self) -> int:
        return self.image_tokens + self.prompt_tokens


def image_tokens(width: int, height: int) -> int:
    scale = min(1.0, MAX_EDGE / max(width, height))
    w, h = width * scale, height * scale
    tiles = math.ceil(w / TILE) * math.ceil(h / TILE)
    return (tiles + 1) * TOKENS_PER_TILE


def estimate(sizes: Sequence[tuple[int, int]], note: str = "", measured_count: int = 0) -> Estimate:
    """Tokens a review of images of ``sizes`` will send, roughly."""
    prompt = PROMPT_OVERHEAD_TOKENS + len(note) // CHARS_PER_TOKEN + 30 * min(measured_count, 40)
    return Estimate(len(sizes), sum(image_tokens(w, h) for w, h in sizes), prompt)


def price(usage: Usage | None, settings: Settings) -> float | None:
    """USD for ``usage`` at the configured per-million prices; None when prices are unset."""
    if usage is None or not (settings.price_input_per_m or settings.price_output_per_m):
        return None
    return (
        usage.prompt_tokens * settings.price_input_per_m
        + usage.completion_tokens * settings.price_output_per_m
    ) / 1_000_000
