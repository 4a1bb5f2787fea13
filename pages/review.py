"""Review: upload screenshots, pick a preset, read numbered findings drawn on the image."""

from components.navigation import through_app

through_app()

import time

import streamlit as st

from components.app_settings import NO_KEY_HELP, current_settings, model_sidebar
from components.reveal import reveal
from components.review_run import run_with_progress
from components.review_view import review_view
from components.safe_text import md_escape
from components.share_box import share_box
from components.store_access import app_store
from components.uploads import kept_images, paste_box, uploader
from uireview import pipeline
from uireview.errors import UIReviewError

settings = model_sidebar(current_settings())
store = app_store(settings)
presets = pipeline.review_presets()

st.title("Review a screen")
if not settings.has_key:
    st.info(NO_KEY_HELP, icon=":material/key:")

images = uploader("review")
paste_box(["review"])

left, right = st.columns([2, 3])
with left:
    preset = (
        st.segmented_control(
            "Preset",
            options=list(presets),
            format_func=lambda name: presets[name].title,
            default=st.session_state.get("review_preset", "general"),
            key="review_preset",
        )
        or "general"
    )
    st.caption(presets[preset].description)
with right:
    note = st.text_area(
        "Your note (optional)",
        key="review_note",
        placeholder="e.g. This is the billing page for admins; the primary action is Upgrade.",
        height=90,
    )

use_model = settings.has_key
if images and use_model:
    est = pipeline.estimate_review([(i.width, i.height) for i in images], note, settings)
    cost = f", about ${est.cost_usd:.4f} with the reply" if est.cost_usd is not None else ""
    st.caption(
        f"Sends {est.images} image{'s' if est.images > 1 else ''} to `{settings.model}`: "
        f"about {est.image_tokens:,} image + {est.prompt_tokens:,} prompt tokens{cost} "
        "(estimate)."
    )
label = "Review with Grok" if use_model else "Run measured checks"
start = st.button(label, type="primary", disabled=not images, icon=":material/play_arrow:")
if not images:
    st.caption("Upload 1 to 10 screenshots to start.")


def run_review(run_again: bool = False) -> None:
    def run(on_text, on_progress):
        return pipeline.review_and_keep(
            kept_images("review"),
            preset,
            settings=settings,
            store=store,
            note=note,
            use_model=use_model,
            run_again=run_again,
            on_text=on_text,
            on_progress=on_progress,
        )

    try:
        outcome, _ = run_with_progress(run, "Reviewing…")
    except UIReviewError as err:  # bad input caught before any request
        st.session_state["review_error"] = str(err)
        return
    st.session_state["review_outcome"] = outcome
    st.session_state["review_selected"] = None
    st.session_state.pop("review_image_tab", None)
    st.session_state["review_reveal"] = time.time_ns()  # new for each result
    st.session_state.pop("review_error", None)


if start:
    run_review()

if message := st.session_state.get("review_error"):
    st.error(md_escape(message))


def show_result(outcome) -> None:
    review = outcome.review
    st.divider()
    if review.error:
        box = st.container(border=True)
        box.error(md_escape(review.error), icon=":material/cloud_off:")
        box.caption(
            "Your screenshots, preset and note are kept. The measured findings below are complete."
        )
        if box.button("Try again", icon=":material/refresh:", key="review_retry"):
            run_review(run_again=True)
            st.rerun()
    if review.cached and st.button(
        "Run again",
        icon=":material/refresh:",
        help="Ask the model again instead of using the saved answer",
    ):
        run_review(run_again=True)
        st.rerun()
    review_view(
        review,
        [img.rgb for img in outcome.images],
        scope="review",
        settings=settings,
        image_bytes=outcome.images,
    )
    if review.id:
        share_box(review.id, outcome.delete_token)


outcome = st.session_state.get("review_outcome")
if outcome is not None:
    with st.container(key="uir_results_review"):
        show_result(outcome)
    # A new result is below the uploader: bring it into view, once.
    reveal(
        ".st-key-uir_results_review",
        nonce=st.session_state.pop("review_reveal", None),
        key="review_reveal_to",
    )
