"""One store per process, opened from settings; images decoded once per content hash."""

from __future__ import annotations

import numpy as np
import streamlit as st
from PIL import Image

from components.safe_text import md_escape
from uireview.images import load_image
from uireview.settings import Settings
from uireview.store import Store, url_from_settings
from uireview.store.store import STORAGE_ERRORS, UnavailableStore, unavailable


@st.cache_resource(show_spinner=False)
def _open(url: str) -> Store:
    return Store.open(url)  # a failure is not cached: the next run tries again


def app_store(settings: Settings) -> Store | UnavailableStore:
    """The app's store; when it cannot be opened, a stand-in, and a warning saying why."""
    url = url_from_settings(settings)
    try:
        return _open(url)
    except STORAGE_ERRORS as exc:
        store = unavailable(url, exc)
    st.warning(
        md_escape(
            f"Saved reviews are unavailable: {store.why}. Reviews still run; "
            "use the downloads under a result to keep it."
        ),
        icon=":material/database_off:",
    )
    return store


@st.cache_data(show_spinner=False, max_entries=64)
def stored_pixels(_store: Store, sha256: str) -> np.ndarray | None:
    data = _store.image(sha256)
    return None if data is None else load_image(data, sha256).rgb


@st.cache_data(show_spinner=False, max_entries=256)
def thumbnail(_store: Store, sha256: str, size: int = 240) -> Image.Image | None:
    pixels = stored_pixels(_store, sha256)
    if pixels is None:
        return None
    img = Image.fromarray(pixels)
    img.thumbnail((size, size))
    return img
