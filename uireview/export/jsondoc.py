"""A review as one JSON object."""

from __future__ import annotations

import json

from uireview.findings import Review


def to_json(review: Review) -> str:
    """The review as one JSON object: the shape ``python -m uireview review --json`` prints."""
    return json.dumps(review.model_dump(mode="json"), ensure_ascii=False)
