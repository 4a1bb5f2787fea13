"""Paste a screenshot from the clipboard (Ctrl/Cmd+V), besides upload and drag and drop.

    files = pasted_screenshots(key="review_paste")   # [(name, bytes or None)], usually []

One per page: it listens for paste events on the whole document and sends the clipboard's
images to Python once (a trigger value). A file too big to send arrives with ``None`` bytes,
so the page can still say so in a sentence. Offline: HTML, CSS and JS next to this module
are sent inline, on Streamlit's components v2 API.
"""

from __future__ import annotations

import base64
import binascii
from functools import lru_cache
from pathlib import Path

COMPONENT_NAME = "uireview_paste"
_ASSETS = Path(__file__).parent


def decode(items: object) -> list[tuple[str, bytes | None, int]]:
    """``[(name, bytes or None, size)]`` from what the browser sent; malformed items dropped."""
    out = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        name = str(item.get("name") or "pasted.png")[:200]
        size = int(item.get("size") or 0)
        data = item.get("data")
        try:
            raw = base64.b64decode(data, validate=True) if isinstance(data, str) else None
        except (binascii.Error, ValueError):
            raw = None
        out.append((name, raw, size))
    return out


def pasted_screenshots(*, key: str, hint: str = "Or paste a screenshot") -> list:
    """Images pasted since the last run, as ``[(name, bytes or None, size)]``."""
    result = _mount()(
        data={"hint": hint},
        key=key,
        width="stretch",
        height="content",
        on_pasted_change=lambda: None,  # a trigger: set for the one run after a paste
    )
    return decode(getattr(result, "pasted", None))


@lru_cache(maxsize=1)
def _mount():
    import streamlit as st

    return st.components.v2.component(
        COMPONENT_NAME,
        html=(_ASSETS / "paste.html").read_text(encoding="utf-8"),
        css=(_ASSETS / "paste.css").read_text(encoding="utf-8"),
        js=(_ASSETS / "paste.js").read_text(encoding="utf-8"),
    )
