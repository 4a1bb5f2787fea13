"""Compare: two screenshots, an exact pixel diff, numbered regions, and Grok's reading of each."""

from components.navigation import through_app

through_app()

import streamlit as st

from components.app_settings import NO_KEY_HELP, current_settings, model_sidebar
from components.compare_views import comparison_view
from components.not_saved import not_saved_notice
from components.result_block import ask_again, keep_result, result_block
from components.review_run import run_with_progress
from components.safe_text import md_escape
from components.share_box import share_box
from components.store_access import app_store
from components.uploads import kept_images, paste_box, uploader
from uireview import pipeline
from uireview.findings import Box

settings = model_sidebar(current_settings())
store = app_store(settings)

st.title("Compare two screens")
if not settings.has_key:
    st.info(NO_KEY_HELP, icon=":material/key:")

left, right = st.columns(2)
with left:
    uploader("before", "Before (e.g. the mockup or version 1)", max_files=1)
with right:
    uploader("after", "After (e.g. the built screen or version 2)", max_files=1)
paste_box(
    ["before", "after"],
    max_files=1,
    hint="PNG, JPEG, WebP or still GIF, up to 20 MiB each · or paste a screenshot "
    "(fills Before, then After)",
)

with st.expander("Options and ignored areas"):
    o1, o2, o3 = st.columns(3)
    threshold = o1.slider(
        "Threshold",
        0.0,
        0.5,
        0.1,
        0.01,
        key="compare_threshold",
        help="Colour difference that counts, as a share of black-to-white.",
    )
    metric = o2.radio(
        "Colour metric",
        ["oklab", "yiq"],
        key="compare_metric",
        horizontal=True,
        format_func={"oklab": "pixelmatch 8 (OKLab)", "yiq": "pixelmatch 7.2 (YIQ)"}.get,
    )
    include_aa = o3.toggle("Count anti-aliased pixels", key="compare_include_aa")
    st.session_state.setdefault("compare_ignore", "")
    ignore_text = st.text_area(
        "Ignore areas (a clock, an ad, live data): one x0,y0,x1,y1 per line in the after "
        "image's pixels, or “before: x0,y0,x1,y1” in the before image's",
        key="compare_ignore",
        height=80,
    )
    limit = st.text_input(
        "Fail above",
        key="compare_limit",
        placeholder="e.g. 500 or 0.1%",
        help="A pass/fail badge: more changed pixels than this (after ignored areas), or more "
        "than this share of the pixels compared, fails. The CLI's --fail-on-pixels.",
    )
ignore, ignore_before, problems = pipeline.parse_ignored(ignore_text)
for problem in problems:
    st.warning(md_escape(problem))
note = st.text_input(
    "Your note (optional)",
    key="compare_note",
    placeholder="e.g. v2 moves the plan picker above the fold",
)

ready = len(kept_images("before")) == 1 and len(kept_images("after")) == 1
label = "Compare with Grok" if settings.has_key else "Compare pixels"
start = st.button(label, type="primary", disabled=not ready, icon=":material/compare:")


def run_compare(run_again: bool = False) -> None:
    b, a = kept_images("before")[0], kept_images("after")[0]
    options = pipeline.DiffOptions(threshold=threshold, include_aa=include_aa, metric=metric)

    def run(on_text, on_progress):
        return pipeline.compare_and_keep(
            b,
            a,
            settings=settings,
            store=store,
            options=options,
            ignore=ignore,
            ignore_before=ignore_before,
            note=note,
            use_model=settings.has_key,
            run_again=run_again,
            on_text=on_text,
            on_progress=on_progress,
        )

    outcome, _ = run_with_progress(run, "Comparing…", done="Comparison finished")
    keep_result("compare", outcome)


def _ignore(box: Box, on_before: bool) -> None:
    # A callback: it runs before the text area is drawn, so it may change its value. The box
    # is in the pixels of the image the finding is on, and is kept in that image's frame.
    after, before = (
        (ignore, ignore_before + [box]) if on_before else (ignore + [box], ignore_before)
    )
    st.session_state["compare_ignore"] = pipeline.format_ignored(after, before)
    st.session_state["compare_rerun"] = True


def ignore_action(number: int, finding) -> None:
    """Each changed region can be left out with one click (it then shows hatched)."""
    if (
        finding.source == "measured"
        and finding.box is not None
        and finding.rule.startswith("diff.")
    ):
        st.button(
            "Ignore this area",
            key=f"compare_ignore_{number}",
            icon=":material/block:",
            on_click=_ignore,
            args=(Box(*finding.box), finding.image == 0),
        )


if start or st.session_state.pop("compare_rerun", False):
    if ready:
        run_compare()


def show_comparison(outcome) -> None:
    review = outcome.review
    ask_again(outcome, "compare", lambda: run_compare(run_again=True), kept="options and note")
    not_saved_notice(outcome.not_saved)
    if limit.strip():
        try:
            verdict = pipeline.comparison_gate(review, limit)
        except ValueError as exc:
            st.warning(md_escape(str(exc)))
        else:
            st.badge(
                md_escape(verdict.sentence.capitalize()),
                color="green" if verdict.passed else "red",
                icon=":material/check_circle:" if verdict.passed else ":material/cancel:",
            )
    comparison_view(
        review,
        [img.rgb for img in outcome.images],
        scope="compare",
        settings=settings,
        images=outcome.images,
        action=ignore_action,
    )
    if review.id:
        share_box(review.id, outcome.delete_token)


result_block("compare", show_comparison)
