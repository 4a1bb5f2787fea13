"""History: past reviews, newest first; search, filter, reopen, use as a baseline, delete."""

from components.navigation import through_app

through_app()

import streamlit as st

from components.app_settings import current_settings
from components.history_filters import history_filters
from components.ownership import claim_box, forget, owned_tokens
from components.safe_text import md_escape
from components.share_box import share_link
from components.store_access import app_store, thumbnail

PER_PAGE = 10

store = app_store(current_settings())
st.title("History")
st.caption("Every review saved in this deployment (one team per deployment).")
query, filters = history_filters(store.presets())

if ratings := store.rating_summary():
    st.caption(
        "Grok's findings as rated: "
        + " · ".join(
            f"{md_escape(p)} {r['useful']} useful, {r['not useful']} not useful"
            for p, r in sorted(ratings.items())
        )
    )

page_no = st.session_state.get("history_page", 1)
page = store.list_reviews(query=query, page=page_no, per_page=PER_PAGE, filters=filters)
owned = owned_tokens()

if not page.items:
    searching = query or filters != type(filters)()
    st.info("No review matches that search." if searching else "No saved reviews yet.")
chosen: list[str] = []
for item in page.items:
    with st.container(border=True, key=f"history_{item.id}"):
        thumb, text, actions = st.columns([1, 4, 1], vertical_alignment="center")
        picture = thumbnail(store, item.first_image) if item.first_image else None
        if picture is not None:
            thumb.image(
                picture, width="stretch", alt=f"First screenshot of “{item.title or item.preset}”"
            )
        counts = " · ".join(f"{n} {s}" for s, n in item.counts.items() if n) or "no findings"
        grok = "with Grok" if item.with_model else "measured only"
        if item.cost_usd is not None:
            grok += f" (${item.cost_usd:.4f})"
        text.markdown(f"**{md_escape(item.title or item.preset)}**")
        text.caption(
            f"{item.kind} · {item.preset} · {grok} · {item.created_at:%Y-%m-%d %H:%M} UTC · "
            f"{counts}"
        )
        if item.baseline_id:
            text.caption(
                f"against [an earlier review]({share_link(item.baseline_id)}) · "
                f"{item.n_new} new · {item.n_resolved} resolved"
            )
        actions.link_button("Open", share_link(item.id), icon=":material/open_in_new:")
        if item.kind == "review" and actions.button(
            "Next version",
            key=f"history_base_{item.id}",
            icon=":material/difference:",
            help="Review a new version of this screen against this review",
        ):
            st.session_state["loop_baseline"] = item.id
            st.switch_page("pages/review.py")
        if item.id in owned and actions.checkbox("Select", key=f"history_pick_{item.id}"):
            chosen.append(item.id)

if chosen and st.button(
    f"Delete {len(chosen)} selected review{'s' if len(chosen) > 1 else ''}",
    type="primary",
    icon=":material/delete:",
):
    deleted = store.delete_owned({i: owned[i] for i in chosen})
    forget(deleted)
    st.toast(f"Deleted {len(deleted)} review{'s' if len(deleted) != 1 else ''}.")
    st.rerun()
if owned and not chosen and page.items:
    st.caption("Select the reviews you own to delete them.")
claim_box(store)

if page.pages > 1:
    st.caption(f"Page {page.page} of {page.pages} · {page.total} reviews")
    prev, nxt = st.columns(2)
    if prev.button("Newer", disabled=page.page <= 1):
        st.session_state["history_page"] = page.page - 1
        st.rerun()
    if nxt.button("Older", disabled=page.page >= page.pages):
        st.session_state["history_page"] = page.page + 1
        st.rerun()
