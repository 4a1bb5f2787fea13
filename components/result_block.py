"""A finished result on a page: kept across reruns, scrolled to once when it is new, with the
model's failure and a way to ask again. Review and Compare draw their results through it.

    keep_result("review", outcome)          # after a run
    result_block("review", draw)            # every run: draw(outcome) inside the block
"""

from __future__ import annotations

import time
from collections.abc import Callable

import streamlit as st

from components.findings_panel import selected_key, tab_key
from components.reveal import reveal
from components.safe_text import md_escape
from uireview.pipeline import Outcome


def outcome_key(scope: str) -> str:
    return f"{scope}_outcome"


def keep_result(scope: str, outcome: Outcome) -> None:
    """Show ``outcome`` from now on: nothing selected, first image open, scrolled to once."""
    st.session_state[outcome_key(scope)] = outcome
    st.session_state[selected_key(scope)] = None
    st.session_state.pop(tab_key(scope), None)
    st.session_state[f"{scope}_reveal"] = time.time_ns()  # new for each result


def ask_again(
    outcome: Outcome, scope: str, run_again: Callable[[], None], *, kept: str = "settings"
) -> None:
    """The model's failure with "Try again", or "Run again" for an answer from saved reviews.

    ``run_again`` runs the same request again, skipping the saved answer; ``kept`` names what
    the page keeps of the user's input ("preset and note").
    """
    review = outcome.review
    if review.error:
        box = st.container(border=True)
        box.error(md_escape(review.error), icon=":material/cloud_off:")
        box.caption(f"Your screenshots, {kept} are kept. The measured findings below are complete.")
        if box.button("Try again", icon=":material/refresh:", key=f"{scope}_retry"):
            run_again()
            st.rerun()
    elif review.cached and st.button(
        "Run again",
        icon=":material/refresh:",
        key=f"{scope}_run_again",
        help="Ask the model again instead of using the saved answer",
    ):
        run_again()
        st.rerun()


def result_block(scope: str, draw: Callable[[Outcome], None]) -> None:
    """The page's kept result, if any, drawn by ``draw`` below a divider; a new one is
    scrolled into view (it arrives below the inputs, often under the fold)."""
    outcome = st.session_state.get(outcome_key(scope))
    if outcome is None:
        return
    with st.container(key=f"uir_results_{scope}"):
        st.divider()
        draw(outcome)
    reveal(
        f".st-key-uir_results_{scope}",
        nonce=st.session_state.pop(f"{scope}_reveal", None),
        key=f"{scope}_reveal_to",
    )
