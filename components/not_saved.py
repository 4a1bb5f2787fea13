"""The notice for a finished review the store could not keep: nothing is lost, say how to
keep it."""

from __future__ import annotations

import streamlit as st

from components.safe_text import md_escape


def not_saved_notice(why: str | None) -> None:
    if why:
        st.warning(
            md_escape(f"{why} It is shown in full; use the downloads below to keep it."),
            icon=":material/save_as:",
        )
