"""Running a review in the page: progress steps, and Grok's answer streaming in."""

from __future__ import annotations

import time
from collections.abc import Callable

import streamlit as st

from components.safe_text import md_escape
from uireview.pipeline import whole_items


class StreamView:
    """Shows the reply as it arrives: titles of findings completed so far, and the raw tail.

    Redraws at most ~8 times a second; every delta would flood the websocket.
    """

    def __init__(self) -> None:
        self.text = ""
        self._titles = st.empty()
        self._raw = st.empty()
        self._last = 0.0

    def __call__(self, delta: str) -> None:
        self.text += delta
        now = time.monotonic()
        if now - self._last >= 0.12:
            self._last = now
            self.draw()

    def draw(self) -> None:
        import json

        titles = []
        for item in whole_items(self.text):
            try:
                titles.append(str(json.loads(item).get("title", "")))
            except (ValueError, AttributeError):
                continue
        if titles:
            self._titles.markdown("\n".join(f"- {md_escape(t)}" for t in titles if t) or " ")
        self._raw.code(self.text[-1500:] or "…", language="json", wrap_lines=True)


def run_with_progress(
    run: Callable[[Callable[[str], None], Callable[[str], None]], object],
    label: str,
    done: str = "Review finished",
):
    """Call ``run(on_text, on_progress)`` inside a status box that shows both; return its result."""
    with st.status(label, expanded=True) as status:
        step = st.empty()
        stream = StreamView()

        def on_progress(message: str) -> None:
            step.markdown(f"**{md_escape(message)}…**")

        result = run(stream, on_progress)
        stream.draw() if stream.text else None
        status.update(label=done, state="complete", expanded=False)
    return result, stream.text
