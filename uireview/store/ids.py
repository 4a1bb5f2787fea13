"""Review ids and tokens: their shape (checked before any query) and how tokens are kept."""

from __future__ import annotations

import hashlib
import re
import secrets

_ID_RE = re.compile(r"[A-Za-z0-9_-]{22,43}")
_SHA256_RE = re.compile(r"[0-9a-f]{64}")


def new_id() -> str:
    """A fresh review id: 136 random bits, URL-safe base64 (23 characters).

    Never starts with "-", so `python -m uireview show ID` cannot read it as an option;
    rejecting those costs 0.02 bits, hence 17 random bytes rather than 16.
    """
    while True:
        candidate = secrets.token_urlsafe(17)
        if not candidate.startswith("-"):
            return candidate


def is_valid_id(review_id: object) -> bool:
    """True when ``review_id`` has the shape of an id; checked before any query."""
    return isinstance(review_id, str) and _ID_RE.fullmatch(review_id) is not None


def is_sha256(value: object) -> bool:
    return isinstance(value, str) and _SHA256_RE.fullmatch(value) is not None


def token_hash(token: str) -> str:
    # A plain sha256 is enough: the token is 256 random bits, nothing to brute-force.
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
