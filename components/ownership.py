"""Which saved reviews this browser session owns: the delete tokens it was handed.

A review's owner is whoever holds its delete token (shown once, when it is saved). The
session remembers the tokens it received, and the owner can paste a delete link to claim a
review again later (after a restart, in another tab). Nothing else is trusted: the store
checks every token (``Store.is_owner``) before a delete or a dismissal.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import streamlit as st

_KEY = "owned_reviews"


def remember(review_id: str | None, token: str | None) -> None:
    if review_id and token:
        st.session_state.setdefault(_KEY, {})[review_id] = token


def owned_tokens() -> dict[str, str]:
    return dict(st.session_state.get(_KEY, {}))


def token_for(review_id: str | None) -> str | None:
    return owned_tokens().get(review_id or "")


def forget(review_ids) -> None:
    owned = st.session_state.get(_KEY, {})
    for review_id in review_ids:
        owned.pop(review_id, None)


def claim_box(store) -> None:
    """Paste a delete link to manage that review here (delete, dismiss findings)."""
    with st.expander("Manage a review you own (paste its delete link)"):
        with st.form("claim_review", clear_on_submit=True, border=False):
            link = st.text_input("Delete link", placeholder="https://…/?review=…&delete=…")
            if st.form_submit_button("Claim"):
                query = parse_qs(urlsplit(link.strip()).query)
                review_id = (query.get("review") or [""])[0]
                token = (query.get("delete") or [""])[0]
                if store.is_owner(review_id, token):
                    remember(review_id, token)
                    st.toast("You can now delete this review and dismiss its findings here.")
                    st.rerun()  # the list above was drawn before the claim
                else:
                    st.error("That is not a delete link of a saved review.")
