"""History: past reviews, newest first, searchable; each opens as its share link does."""

from components.navigation import through_app

through_app()

import streamlit as st

from components.app_settings import current_settings
from components.safe_text import md_escape
from components.share_box import share_link
from components.store_access import app_store, thumbnail

PER_PAGE = 10

store = app_store(current_settings())
st.title("History")
st.caption("Every review saved in this deployment (one team per deployment).")
query = st.text_input(
    "Search titles", key="history_query", placeholder="e.g. contrast, button, billing"
)
page_no = st.session_state.get("history_page", 1)
page = store.list_reviews(query=query, page=page_no, per_page=PER_PAGE)

if not page.items:
    st.info("No saved reviews yet." if not query else "No review matches that search.")
for item in page.items:
    with st.container(border=True, key=f"history_{item.id}"):
        thumb, text = st.columns([1, 4], vertical_alignment="center")
        picture = thumbnail(store, item.first_image) if item.first_image else None
        if picture is not None:
            thumb.image(
                picture, width="stretch", alt=f"First screenshot of “{item.title or item.preset}”"
            )
        counts = " · ".join(f"{n} {s}" for s, n in item.counts.items() if n) or "no findings"
        text.markdown(f"**{md_escape(item.title or item.preset)}**")
        text.caption(
            f"{item.kind} · {item.preset} · {item.created_at:%Y-%m-%d %H:%M} UTC · {counts}"
        )
        text.link_button("Open", share_link(item.id), icon=":material/open_in_new:")

if page.pages > 1:
    st.caption(f"Page {page.page} of {page.pages} · {page.total} reviews")
    prev, nxt = st.columns(2)
    if prev.button("Newer", disabled=page.page <= 1):
        st.session_state["history_page"] = page.page - 1
        st.rerun()
    if nxt.button("Older", disabled=page.page >= page.pages):
        st.session_state["history_page"] = page.page + 1
        st.rerun()
