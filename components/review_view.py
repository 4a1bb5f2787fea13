"""A finished review: notices, the annotated screenshot(s) and the numbered findings."""

from __future__ import annotations

import streamlit as st

from components.annotated_image import annotated_images, image_tab_names
from components.findings_panel import findings_panel
from components.safe_text import md_escape
from uireview import pipeline
from uireview.findings import Review
from uireview.settings import Settings


def review_view(
    review: Review,
    pixels: list,
    *,
    scope: str,
    settings: Settings | None = None,
    image_bytes: list | None = None,
) -> None:
    for notice in review.notices:
        st.info(md_escape(notice), icon=":material/info:")
    image_col, list_col = st.columns([3, 2], gap="large")
    with image_col:
        annotated_images(review, pixels, scope=scope)
    with list_col:
        findings_panel(review, scope=scope, tabs=image_tab_names(review))
    if review.raw_reply and (
        review.partial or not any(f.source == "model" for f in review.findings)
    ):
        label = "Grok's reply as text" + (" (partial: it broke off)" if review.partial else "")
        with st.expander(label, expanded=not review.findings):
            st.code(review.raw_reply, language=None, wrap_lines=True)
    st.caption(usage_line(review, settings))
    if image_bytes:
        from components.export_buttons import export_buttons

        export_buttons(review, image_bytes, scope=scope)


def usage_line(review: Review, settings: Settings | None) -> str:
    parts = []
    if review.cached:
        parts.append("answered from saved reviews (no API call)")
    if review.usage:
        u = review.usage
        parts.append(f"{u.prompt_tokens:,} in + {u.completion_tokens:,} out tokens")
        # The cost the review recorded at the endpoint's listed prices, else UIREVIEW_PRICE_*.
        cost = pipeline.price(review, settings) if settings else u.cost_usd
        if cost is not None:
            parts.append(f"${cost:.4f}")
    parts.append(f"model: {review.model or 'none (measured only)'}")
    if "total" in review.timings:
        parts.append(f"{review.timings['total']:.1f} s")
    if review.created_at:
        parts.append(f"saved {review.created_at[:16].replace('T', ' ')} UTC")
    return " · ".join(parts)
