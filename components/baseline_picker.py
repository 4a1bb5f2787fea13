""" "Compare with an earlier review of this screen": the baseline a new review is matched with.

Offered: the review picked in History ("Next version"), and by default the last review of a
screenshot with the same file name in this deployment.
"""

from __future__ import annotations

import streamlit as st

from uireview import pipeline

NONE = "No baseline: review on its own"


def _label(store, review_id: str, why: str) -> str:
    found = store.load(review_id)
    if found is None:
        return ""
    when = (found.created_at or "")[:16].replace("T", " ")
    n = len(found.open_findings())
    return (
        f"{why}: {found.images[0].name if found.images else found.preset} · {when} UTC · {n} open"
    )


def baseline_picker(store, images) -> str | None:
    """The id of the baseline to compare with, or None; shown only when there is one."""
    options: dict[str, str | None] = {}
    picked = st.session_state.get("loop_baseline")
    if picked and (label := _label(store, picked, "Picked in History")):
        options[label] = picked
    if images:
        last = pipeline.default_baseline(store, images[0].name, sha256=images[0].sha256)
        if last and last != picked and (label := _label(store, last, "Last review of this file")):
            options[label] = last
    if not options:
        return None
    options[NONE] = None
    choice = st.selectbox(
        "Compare with an earlier review of this screen",
        list(options),
        key="review_baseline_choice",
        help="Findings are then marked new or persisting, and the earlier review's findings "
        "that are gone are listed as resolved. Dismissed findings stay dismissed.",
    )
    return options.get(choice)
