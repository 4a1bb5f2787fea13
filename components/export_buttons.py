"""Download a saved review as Markdown, JSON, annotated PNG or one offline HTML file."""

from __future__ import annotations

import streamlit as st

from uireview import export
from uireview.findings import Review


def _builder(review: Review, images: list[bytes], kind: str):
    """The file for ``kind``, built only when its button is pressed (PNG and HTML embed
    full-size annotated screenshots: seconds for ten 4K images)."""
    if kind == "md":
        return lambda: export.to_markdown(review).encode()
    if kind == "json":
        return lambda: export.to_json(review).encode()
    if kind == "png":
        return lambda: export.to_png(review, images)
    return lambda: export.to_html(review, images).encode()


def export_buttons(review: Review, images: list[bytes], *, scope: str) -> None:
    """One row of download buttons."""
    stem = f"ui-review-{review.id or 'unsaved'}"
    formats = [
        ("md", "Markdown checklist", "text/markdown", ":material/checklist:"),
        ("json", "JSON", "application/json", ":material/data_object:"),
        ("png", "Annotated PNG", "image/png", ":material/image:"),
        ("html", "HTML (offline)", "text/html", ":material/html:"),
    ]
    row = st.container(horizontal=True, gap="small")
    for kind, label, mime, icon in formats:
        row.download_button(
            label,
            _builder(review, images, kind),
            file_name=f"{stem}.{kind}",
            mime=mime,
            icon=icon,
            key=f"{scope}_export_{kind}",
            on_click="ignore",
        )
