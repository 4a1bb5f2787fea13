"""UI Review: st.navigation over the pages; nothing else."""

import streamlit as st

from components.brand import app_icon
from components.theme import page_style

# A drawn icon, not ":material/...": a material favicon is fetched from a Google font host.
st.set_page_config(page_title="UI Review", page_icon=app_icon(), layout="wide")
page_style()

shared = "review" in st.query_params  # a share link: ?review=<id>
pages = [
    st.Page("pages/review.py", title="Review", icon=":material/rate_review:", default=not shared),
    st.Page("pages/compare.py", title="Compare", icon=":material/compare:"),
    st.Page("pages/history.py", title="History", icon=":material/history:"),
]
if shared:
    pages.append(
        st.Page("pages/shared.py", title="Shared review", icon=":material/link:", default=True)
    )
st.navigation(pages).run()
