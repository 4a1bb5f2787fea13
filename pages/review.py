"""Review: upload screenshots, pick a preset, read numbered findings drawn on the image."""

import streamlit as st

from components.annotated_image import annotated_images
from components.app_settings import NO_KEY_HELP, current_settings, model_sidebar
from components.findings_panel import findings_panel
from components.review_run import run_with_progress
from components.safe_text import md_escape
from components.uploads import kept_images, uploader
from uireview import pipeline
from uireview.errors import UIReviewError
from uireview.presets import REVIEW_PRESETS, load_presets

settings = model_sidebar(current_settings())
presets = {name: p for name, p in load_presets().items() if name in REVIEW_PRESETS}

st.title("Review a screen")
if not settings.has_key:
    st.info(NO_KEY_HELP, icon=":material/key:")

images = uploader("review")

left, right = st.columns([2, 3])
with left:
    preset = st.segmented_control(
        "Preset",
        options=list(presets),
        format_func=lambda name: presets[name].title,
        default=st.session_state.get("review_preset", "general"),
        key="review_preset",
    ) or "general"
    st.caption(presets[preset].description)
with right:
    note = st.text_area(
        "Your note (optional)",
        key="review_note",
        placeholder="e.g. This is the billing page for admins; the primary action is Upgrade.",
        height=90,
    )

use_model = settings.has_key
label = "Review with Grok" if use_model else "Run measured checks"
start = st.button(label, type="primary", disabled=not images, icon=":material/play_arrow:")
if not images:
    st.caption("Upload 1 to 10 screenshots to start.")


def run_review() -> None:
    def run(on_text, on_progress):
        return pipeline.review(
            kept_images("review"), preset, settings=settings, note=note,
            use_model=use_model, on_text=on_text, on_progress=on_progress,
        )

    try:
        review, streamed = run_with_progress(run, "Reviewing…")
    except UIReviewError as err:  # bad input caught before any request
        st.session_state["review_error"] = str(err)
        return
    st.session_state["review_result"] = review
    st.session_state["review_pixels"] = [img.rgb for img in kept_images("review")]
    st.session_state["review_selected"] = None
    st.session_state.pop("review_error", None)


if start:
    run_review()

if message := st.session_state.get("review_error"):
    st.error(md_escape(message))

review = st.session_state.get("review_result")
if review is not None:
    st.divider()
    if review.error:
        box = st.container(border=True)
        box.error(md_escape(review.error), icon=":material/cloud_off:")
        box.caption("Your screenshots, preset and note are kept. The measured findings below are complete.")
        if box.button("Try again", icon=":material/refresh:", key="review_retry"):
            run_review()
            st.rerun()
    for notice in review.notices:
        st.info(md_escape(notice), icon=":material/info:")
    image_col, list_col = st.columns([3, 2], gap="large")
    with image_col:
        annotated_images(review, st.session_state["review_pixels"], scope="review")
    with list_col:
        findings_panel(review, scope="review")
    if review.raw_reply and (review.partial or not any(f.source == "model" for f in review.findings)):
        with st.expander("Grok's reply as text" + (" (partial)" if review.partial else ""), expanded=not review.findings):
            st.code(review.raw_reply, language=None, wrap_lines=True)
    used = f"{review.usage.total_tokens:,} tokens · " if review.usage else ""
    st.caption(f"{used}model: {review.model or 'none (measured only)'} · {review.timings.get('total', 0):.1f} s")
