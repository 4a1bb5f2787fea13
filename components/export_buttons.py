"""Download a saved review as Markdown, JSON, annotated PNG or one offline HTML file."""

from __future__ import annotations

import streamlit as st

from uireview import pipeline
from uireview.findings import Review


def _builder(review: Review, images: list, kind: pipeline.ExportFormat):
    """The file for ``kind``, built only when its button is pressed (PNG and HTML embed
    full-size annotated screenshots: seconds for ten 4K images)."""
    return lambda: pipeline.export(review, images, kind)


def export_buttons(review: Review, images: list, *, scope: str) -> None:
    """One row of download buttons; ``images`` are the review's decoded screenshots."""
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
