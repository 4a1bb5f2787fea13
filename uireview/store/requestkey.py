"""The request key: one hash naming everything that shapes a review, so a repeat can be served
from the store instead of calling the model again.

The key is sha256 over a canonical JSON of the images' sha256 hashes (in order: the order
numbers the images), the preset, the note, the model and the settings used. Secrets are never
part of it: settings named like an API key, secret, password, token or authorization header
are dropped at any depth (see ``is_secret_name``), so two users with different keys share
cached results and a key never reaches the database.

Callers decide what "settings" means; anything that changes the answer (base URL, options,
a hash of the prompt text if prompts may change) belongs in it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

# Bump when the payload's shape or meaning changes, so old keys stop matching.
KEY_VERSION = 1

# Names that hold credentials: anything ending in key, secret, password, token or
# authorization ("api_key", "XAI_API_KEY", "apiKey", "access_token"). Deliberately broad, so
# never name a result-shaping setting like that ("sort_key" would be left out of the key and
# two requests differing only in it would share a cached answer). "max_tokens" is kept.
_SECRET_SUFFIXES = ("key", "secret", "password", "passwd", "token", "authorization", "cookie")


def is_secret_name(name: object) -> bool:
    """True for a settings name that holds a credential and must stay out of the key."""
    return str(name).lower().endswith(_SECRET_SUFFIXES)


def _without_secrets(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _without_secrets(v) for k, v in value.items() if not is_secret_name(k)}
    if isinstance(value, list | tuple):
        return [_without_secrets(v) for v in value]
    return value


def request_payload(
    image_bytes: list[bytes], preset: str, note: str, model: str, settings: Mapping[str, Any]
) -> str:
    """The canonical JSON that ``request_key`` hashes (exposed so tests and logs can read it)."""
    payload = {
        "v": KEY_VERSION,
        "images": [hashlib.sha256(b).hexdigest() for b in image_bytes],
        "preset": preset,
        "note": note,
        "model": model,
        "settings": _without_secrets(dict(settings or {})),
    }
    # sort_keys + fixed separators make equal inputs give equal text; default=str covers
    # Paths and the like, which compare by their text anyway.
    return json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )


def request_key(
    image_bytes: list[bytes], preset: str, note: str, model: str, settings: Mapping[str, Any]
) -> str:
    """sha256 hex of the canonical request: same inputs, same key; any change, a new key."""
    text = request_payload(image_bytes, preset, note, model, settings)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
