"""Keep deep links on app.py's navigation.

Streamlit 1.67 runs a ``pages/`` folder in its legacy multipage mode until app.py has called
``st.navigation`` once in the process. So when a fresh server's first visitor opens a deep
link (/compare, /history), the page file runs on its own (no page config, wrong sidebar) and
the legacy mode sticks. Each page calls this first: it turns the legacy mode off, as
``st.navigation`` itself does, and reruns through app.py.
"""

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def through_app() -> None:
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
