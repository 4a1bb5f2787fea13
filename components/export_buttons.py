"""Download a saved review as Markdown, JSON, annotated PNG or one offline HTML file."""

from __future__ import annotations

import streamlit as st

from uireview import export
from uireview.findings import Review


@st.cache_data(show_spinner=False, max_entries=16)
def _render(review_json: str, kind: str, _images: tuple[bytes, ...]) -> bytes:
    review = Review.model_validate_json(review_json)
    if kind == "md":
        return export.to_markdown(review).encode()
    if kind == "json":
        return export.to_json(review).encode()
    if kind == "png":
        return export.to_png(review, list(_images))
    return export.to_html(review, list(_images)).encode()


def export_buttons(review: Review, images: list[bytes], *, scope: str) -> None:
    """One row of download buttons; files are built when the row is drawn (cached per review)."""
    stem = f"ui-review-{review.id or 'unsaved'}"
    formats = [
        ("md", "Markdown checklist", "text/markdown", ":material/checklist:"),
        ("json", "JSON", "application/json", ":material/data_object:"),
        ("png", "Annotated PNG", "image/png", ":material/image:"),
        ("html", "HTML (offline)", "text/html", ":material/html:"),
    ]
    row = st.container(horizontal=True, gap="small")
    key_json = review.model_dump_json()
    for kind, label, mime, icon in formats:
        data = _render(key_json, kind, tuple(images))
        row.download_button(
            label,
            data,
            file_name=f"{stem}.{kind}",
            mime=mime,
            icon=icon,
            key=f"{scope}_export_{kind}",
            on_click="ignore",
        )
