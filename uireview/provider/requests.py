"""What one chat request sends, and its log line (counts and sizes, never content)."""

from __future__ import annotations

import json


def summarise(model: str, messages: list[dict], fmt: str, max_tokens: int | None) -> str:
    """A log line for a request: counts and sizes, never text, image data or the key."""
    images = 0
    image_chars = 0
    text_chars = 0
    for message in messages:
        content = message.get("content")
        if isinstance(content, str):
            text_chars += len(content)
            continue
        for part in content or []:
            if not isinstance(part, dict):
                continue
            if part.get("type") == "image_url":
                images += 1
                url = (part.get("image_url") or {}).get("url", "")
                image_chars += len(url) if isinstance(url, str) else 0
            elif isinstance(part.get("text"), str):
                text_chars += len(part["text"])
    return json.dumps(
        {
            "model": model,
            "messages": len(messages),
            "images": images,
            "image_kb": round(image_chars / 1024),
            "text_chars": text_chars,
            "response_format": fmt,
            "max_tokens": max_tokens,
        }
    )
