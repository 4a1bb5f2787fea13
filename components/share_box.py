"""The share link of a saved review, with a copy button, and the owner's delete link once."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit, urlunsplit

import streamlit as st


def app_url() -> str:
    """The app's base URL as the browser sees it (no path, no query)."""
    try:
        url = st.context.url or ""
    except Exception:  # outside a browser session (AppTest)
        url = ""
    parts = urlsplit(url)
    if not parts.scheme:
        return ""
    return urlunsplit((parts.scheme, parts.netloc, "/", "", ""))


def share_link(review_id: str) -> str:
    return f"{app_url()}?{urlencode({'review': review_id})}"


def share_box(review_id: str, delete_token: str | None = None) -> None:
    with st.container(border=True, key=f"uir_share_{review_id}"):  # theme.py: copy buttons
        st.markdown("**Share this review**: anyone with the link sees it read-only.")
        # st.code draws its own copy button, which copies exactly the link.
        st.code(share_link(review_id), language=None)
        if delete_token:
            st.caption(
                "Your delete link, shown only now: keep it if you may want to remove this review."
            )
            st.code(
                f"{app_url()}?{urlencode({'review': review_id, 'delete': delete_token})}",
                language=None,
            )
