"""The screenshot(s) with numbered marks; the selected finding is highlighted."""

from __future__ import annotations

import streamlit as st
from PIL import Image

from components.findings_panel import selected_key
from components.safe_text import md_escape
from uireview.findings import Review
from uireview.pipeline import annotate


def annotated_images(review: Review, pixels: list, *, scope: str = "review") -> None:
    """One annotated image per input (tabs when several); ``pixels`` are RGB arrays."""
    selected = st.session_state.get(selected_key(scope))
    numbered = list(enumerate(review.findings, 1))
    if selected is not None:
        target = next((f for n, f in numbered if n == selected), None)
        tab_index = target.image if target else 0
    else:
        tab_index = 0
    names = [f"{i + 1}. {img.name}" for i, img in enumerate(review.images)]
    containers = st.tabs(names, default=names[tab_index]) if len(names) > 1 else [st.container()]
    for index, box in enumerate(containers):
        with box:
            mine = [(n, f) for n, f in numbered if f.image == index]
            picture = annotate(Image.fromarray(pixels[index]), mine, highlight=selected)
            caption = md_escape(review.images[index].name)
            if selected is not None and any(n == selected for n, _ in mine):
                caption += f" · showing #{selected}"
            st.image(picture, caption=caption, width="stretch")
