"""One store per process, opened from settings; images decoded once per content hash."""

from __future__ import annotations

import numpy as np
import streamlit as st
from PIL import Image

from components.safe_text import md_escape
from uireview import pipeline
from uireview.pipeline import LoadedImage, Store, UnavailableStore, load_image
from uireview.settings import Settings


@st.cache_resource(show_spinner=False)
def _open(_settings: Settings, url: str) -> Store:
    return pipeline.open_store(_settings)  # a failure is not cached: the next run tries again


def app_store(settings: Settings) -> Store | UnavailableStore:
    """The app's store (one per database, shared by every session); when it cannot be
    opened, a stand-in whose saves say why, and a warning on the page."""
    url = pipeline.store_url(settings)
    try:
        return _open(settings, url)
    except pipeline.STORAGE_ERRORS as exc:
        store = pipeline.unavailable_store(url, exc)
    st.warning(
        md_escape(
            f"Saved reviews are unavailable: {store.why}. Reviews still run; "
            "use the downloads under a result to keep it."
        ),
        icon=":material/database_off:",
    )
    return store


@st.cache_resource(show_spinner=False, max_entries=64)
def stored_image(_store: Store, sha256: str, name: str = "") -> LoadedImage | None:
    """A stored screenshot decoded once per content hash (shared read-only by sessions)."""
    data = _store.image(sha256)
    return None if data is None else load_image(data, name or sha256)


def stored_pixels(_store: Store, sha256: str) -> np.ndarray | None:
    image = stored_image(_store, sha256)
    return None if image is None else image.rgb


@st.cache_data(show_spinner=False, max_entries=256)
def thumbnail(_store: Store, sha256: str, size: int = 240) -> Image.Image | None:
    pixels = stored_pixels(_store, sha256)
    if pixels is None:
        return None
    img = Image.fromarray(pixels)
    img.thumbnail((size, size))
    return img
