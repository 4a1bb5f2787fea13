"""The screenshot(s) with numbered marks, zoomable, beside the list; one tab per image.

The column holding them is sticky (components/theme.py), so the image stays on screen
however long the list is. "Show #n on image" selects a finding: its tab opens, the other
marks dim, and the viewer zooms to it.
"""

from __future__ import annotations

import streamlit as st
from PIL import Image

from components.findings_panel import selected_key, tab_key
from components.image_viewer import image_viewer
from uireview.findings import Review
from uireview.pipeline import annotate, pin_boxes, shown_size


def image_tab_names(review: Review) -> list[str]:
    return [f"{i + 1}. {img.name}" for i, img in enumerate(review.images)]


def alt_text(name: str, count: int) -> str:
    return f"{name}, annotated with {count} finding{'s' if count != 1 else ''}"


def annotated_images(review: Review, pixels: list, *, scope: str = "review") -> None:
    """One annotated image per input (tabs when several); ``pixels`` are RGB arrays."""
    selected = st.session_state.get(selected_key(scope))
    numbered = list(enumerate(review.findings, 1))
    names = image_tab_names(review)
    with st.container(key=f"uir_figure_{scope}"):
        if len(names) > 1:
            st.session_state.setdefault(tab_key(scope), names[0])
            tabs = st.tabs(names, key=tab_key(scope), on_change="rerun")
        else:
            tabs = [st.container()]
        for index, box in enumerate(tabs):
            if len(tabs) > 1 and not box.open:
                continue  # only the open tab is drawn: each is a full-size PNG
            with box:
                mine = [(n, f) for n, f in numbered if f.image == index]
                base = Image.fromarray(pixels[index])
                shown = selected if any(n == selected for n, _ in mine) else None
                size = shown_size(base.size)  # about 640 px wide beside the list
                picture = annotate(base, mine, highlight=shown, size=size)
                info = review.images[index]
                caption = info.name + (f" · showing #{shown}" if shown is not None else "")
                image_viewer(
                    picture,
                    alt=alt_text(info.name, sum(1 for _, f in mine if not f.dismissed)),
                    picture_id=f"{scope}:{info.sha256}",
                    marks=list(pin_boxes(base, mine, size, highlight=shown).items()),
                    selected=shown,
                    caption=caption,
                    key=f"{scope}_viewer_{index}",
                )
