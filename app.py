"""UI Review: st.navigation over the pages; nothing else."""

import streamlit as st

st.set_page_config(page_title="UI Review", page_icon=":material/rate_review:", layout="wide")

pages = [
    st.Page("pages/review.py", title="Review", icon=":material/rate_review:", default=True),
]
st.navigation(pages).run()
