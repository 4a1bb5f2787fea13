"""What a review will cost before sending (an estimate) and what it did cost after (usage).

xAI does not publish its image tokenisation. The estimate assumes what most vision models
do: the image is cut into 448 px tiles of 256 tokens each, plus one thumbnail tile, after the
long edge is capped. It is labelled an estimate in the UI; the usage the API returns is the
truth and is shown after the review.

Prices come from the endpoint's catalogue when it lists them (xAI's ``/v1/language-models``)
and from ``UIREVIEW_PRICE_*`` when set, which win, one price at a time.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from uireview.catalogue import ModelInfo
from uireview.findings import Usage
from uireview.images import MAX_EDGE
from uireview.settings import Settings

TILE = 448
TOKENS_PER_TILE = 256
CHARS_PER_TOKEN = 4  # English prose and JSON average
# The system prompt, preset instruction and measured context, before the note.
PROMPT_OVERHEAD_TOKENS = 1400  # the preset's worked examples included
# What a reply of up to 8 findings runs to, reasoning included, for the estimate only.
EXPECTED_OUTPUT_TOKENS = 1500


@dataclass(frozen=True)
class Prices:
    """USD per million tokens in and out."""

    input_per_m: float
    output_per_m: float


@dataclass(frozen=True)
class Estimate:
    images: int
    image_tokens: int
    prompt_tokens: int
    output_tokens: int = EXPECTED_OUTPUT_TOKENS
    cost_usd: float | None = None  # at the known prices, output included; None when unknown

    @property
    def total(self) -> int:
        return self.image_tokens + self.prompt_tokens


def image_tokens(width: int, height: int) -> int:
    scale = min(1.0, MAX_EDGE / max(width, height))
    w, h = width * scale, height * scale
    tiles = math.ceil(w / TILE) * math.ceil(h / TILE)
    return (tiles + 1) * TOKENS_PER_TILE


def estimate(
    sizes: Sequence[tuple[int, int]],
    note: str = "",
    measured_count: int = 0,
    prices: Prices | None = None,
) -> Estimate:
    """Tokens a review of images of ``sizes`` will send, roughly, and their cost if priced."""
    prompt = PROMPT_OVERHEAD_TOKENS + len(note) // CHARS_PER_TOKEN + 30 * min(measured_count, 40)
    images = sum(image_tokens(w, h) for w, h in sizes)
    cost = None
    if prices is not None:
        cost = _usd(images + prompt, EXPECTED_OUTPUT_TOKENS, prices)
    return Estimate(len(sizes), images, prompt, EXPECTED_OUTPUT_TOKENS, cost)


def prices_for(settings: Settings, listed: ModelInfo | None = None) -> Prices | None:
    """The prices a review is charged at: UIREVIEW_PRICE_* where set, else the listed ones.

    None when either price is unknown: half a price is not a cost.
    """
    inp = settings.price_input_per_m
    out = settings.price_output_per_m
    if listed is not None:
        inp = listed.price_input_per_m if inp is None else inp
        out = listed.price_output_per_m if out is None else out
    if inp is None or out is None:
        return None
    return Prices(inp, out)


def billed_output_tokens(usage: Usage) -> int:
    """Completion tokens, plus reasoning tokens when the endpoint counts them apart.

    OpenAI counts reasoning inside ``completion_tokens``; xAI reports it apart and adds it
    to ``total_tokens`` (billed at the completion price). The difference catches both.
    """
    return max(usage.completion_tokens, usage.total_tokens - usage.prompt_tokens)


def cost(usage: Usage | None, prices: Prices | None) -> float | None:
    """USD for ``usage`` at ``prices``; None when either is unknown."""
    if usage is None or prices is None:
        return None
    return _usd(usage.prompt_tokens, billed_output_tokens(usage), prices)


def _usd(prompt_tokens: int, output_tokens: int, prices: Prices) -> float:
    return (prompt_tokens * prices.input_per_m + output_tokens * prices.output_per_m) / 1_000_000


def price(usage: Usage | None, settings: Settings) -> float | None:
    """USD for ``usage``: the cost the review recorded, else at the UIREVIEW_PRICE_* prices."""
    if usage is not None and usage.cost_usd is not None:
        return usage.cost_usd
    return cost(usage, prices_for(settings))
