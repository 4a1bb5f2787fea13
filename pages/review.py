"""Review: upload screenshots, pick a preset, read numbered findings drawn on the image."""

from components.navigation import through_app

through_app()

import streamlit as st

from components.app_settings import NO_KEY_HELP, current_settings, model_sidebar
from components.baseline_picker import baseline_picker
from components.loop_view import finding_actions, loop_summary
from components.not_saved import not_saved_notice
from components.ownership import remember, token_for
from components.result_block import ask_again, keep_result, result_block
from components.review_run import run_with_progress
from components.review_view import review_view
from components.safe_text import md_escape
from components.share_box import share_box
from components.store_access import app_store, stored_pixels
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

baseline = baseline_picker(store, images)

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
            baseline=baseline,
        )

    try:
        outcome, _ = run_with_progress(run, "Reviewing…")
    except UIReviewError as err:  # bad input caught before any request
        st.session_state["review_error"] = str(err)
        return
    keep_result("review", outcome)
    remember(outcome.review.id, outcome.delete_token)
    st.session_state.pop("loop_baseline", None)  # used; next time the last review is the default
    st.session_state.pop("review_error", None)


if start:
    run_review()

if message := st.session_state.get("review_error"):
    st.error(md_escape(message))


def show_result(outcome) -> None:
    review = outcome.review
    ask_again(outcome, "review", lambda: run_review(run_again=True), kept="preset and note")

    def reload() -> None:  # after the owner dismissed or rated a finding
        outcome.review = store.load(review.id) or review
        st.rerun()

    earlier = store.load(review.baseline) if review.baseline else None
    loop_summary(
        review,
        [img.rgb for img in outcome.images],
        [stored_pixels(store, i.sha256) for i in earlier.images] if earlier else None,
        scope="review",
    )
    not_saved_notice(outcome.not_saved)
    review_view(
        review,
        [img.rgb for img in outcome.images],
        scope="review",
        settings=settings,
        image_bytes=outcome.images,
        action=finding_actions(
            review, store, token_for(review.id), scope="review", on_change=reload
        ),
    )
    if review.id:
        share_box(review.id, outcome.delete_token)


result_block("review", show_result)
