"""Settings for the app: the environment, then st.secrets, then defaults."""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

import streamlit as st

from uireview import pipeline
from uireview.errors import ModelUnavailable
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
def _model_choice(
    _settings: Settings, cache_key: tuple
) -> tuple[str, str | None, str | None, list[str]]:
    """(model to use, notice when we chose it, problem sentence or None, models to pick from).

    Plain values, not the error: the cache pickles what it keeps.
    """
    choice = pipeline.choose_model(_settings)
    problem = choice.problem
    available = list(problem.available or []) if isinstance(problem, ModelUnavailable) else []
    return choice.settings.model, choice.notice, str(problem) if problem else None, available


def model_sidebar(settings: Settings) -> Settings:
    """Show which endpoint and model are used; offer a picker when the model is not served.

    With XAI_MODEL unset and the default not served, the newest listed model that takes
    images is used and named in one line. The picker lists only image models when the
    endpoint says which take images.
    """
    host = urlsplit(settings.base_url).netloc or settings.base_url
    with st.sidebar:
        st.subheader("Model")
        if not settings.has_key:
            st.caption(f"`{settings.model}` at {host} · no key")
            return settings
        key_id = hashlib.sha256(settings.api_key.encode()).hexdigest()[:12]
        cache_key = (settings.base_url, settings.model, settings.model_is_default, key_id)
        model, notice, problem, available = _model_choice(settings, cache_key)
        if model != settings.model:
            settings = settings.with_model(model, chosen_by_us=True)
        if notice:
            st.info(notice, icon=":material/auto_mode:")
        if problem:
            st.warning(problem)
        if problem and available:
            choice = st.selectbox(
                "Use one of the endpoint's models",
                available,
                index=None,
                placeholder="Choose a model",
            )
            if choice:
                st.session_state["model_override"] = choice
                st.rerun()
        st.caption(f"`{settings.model}` at {host}")
    return settings
