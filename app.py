"""UI Review: st.navigation over the pages; nothing else."""

import streamlit as st

from components.brand import app_icon

# A drawn icon, not ":material/...": a material favicon is fetched from a Google font host.
st.set_page_config(page_title="UI Review", page_icon=app_icon(), layout="wide")

pages = [
    st.Page("pages/review.py", title="Review", icon=":material/rate_review:", default=True),
]
st.navigation(pages).run()
