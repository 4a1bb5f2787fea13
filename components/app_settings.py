"""Settings for the app: the environment, then st.secrets, then defaults."""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

import streamlit as st

from uireview.errors import ModelUnavailable, UIReviewError
from uireview.provider import Provider
from uireview.settings import Settings, load_settings

NO_KEY_HELP = (
    "**No API key yet.** The measured checks (contrast, spacing, hierarchy) work without one. "
    "To add Grok's critique, set `XAI_API_KEY` in the environment, or put "
    '`XAI_API_KEY = "xai-..."` in `.streamlit/secrets.toml`, then reload this page.'
)


def current_settings() -> Settings:
    settings = load_settings(secrets=st.secrets)
    chosen = st.session_state.get("model_override")
    return settings.with_model(chosen) if chosen else settings


@st.cache_data(ttl=300, show_spinner=False)
def _model_check(_settings: Settings, cache_key: tuple) -> tuple[str | None, list[str]]:
    """(problem sentence or None, models the endpoint lists when ours is missing)."""
    try:
        Provider(_settings).check_model()
    except ModelUnavailable as err:
        return str(err), list(err.available or [])
    except UIReviewError as err:
        return str(err), []
    return None, []


def model_sidebar(settings: Settings) -> Settings:
    """Show which endpoint and model are used; offer a picker when the model is not served."""
    host = urlsplit(settings.public_base_url).netloc or settings.public_base_url
    with st.sidebar:
        st.subheader("Model")
        if not settings.has_key:
            st.caption(f"`{settings.model}` at {host} · no key")
            return settings
        key_id = hashlib.sha256(settings.api_key.encode()).hexdigest()[:12]
        problem, available = _model_check(settings, (settings.base_url, settings.model, key_id))
        if problem and available:
            st.warning(problem)
            choice = st.selectbox(
                "Use one of the endpoint's models",
                available,
                index=None,
                placeholder="Choose a model",
            )
            if choice:
                st.session_state["model_override"] = choice
                st.rerun()
        elif problem:
            st.warning(problem)
        st.caption(f"`{settings.model}` at {host}")
    return settings
