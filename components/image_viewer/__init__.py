"""A zoomable, pannable screenshot that works offline, on Streamlit's components v2 API.

    image_viewer(picture, alt="home.png, annotated with 12 findings", marks=[(3, box)],
                 selected=3, key="review_view_0")

The marks are drawn into ``picture`` (uireview.annotate), so zooming scales them with the
image. ``marks`` only tell the viewer where each numbered mark is (image pixels), so that
``selected`` can zoom to it and centre it.

Why our own: ``st.image`` has no zoom, and its fullscreen view drops the page beside it.
Here the HTML, CSS and JS next to this module are sent inline; the picture travels as a PNG
``data:`` URI; the browser makes no outside request. Nothing is sent back to Python.
"""

from __future__ import annotations

import base64
import io
from functools import lru_cache
from pathlib import Path

from PIL import Image

from uireview.findings import Box

COMPONENT_NAME = "uireview_image_viewer"
_ASSETS = Path(__file__).parent


def png_data_uri(picture: Image.Image) -> str:
    buffer = io.BytesIO()
    # compress_level 3: a 1440x900 annotated shot in ~40 ms at about half level 1's size.
    picture.save(buffer, format="PNG", compress_level=3)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def image_viewer(
    picture: Image.Image,
    *,
    alt: str,
    picture_id: str,
    marks: list[tuple[int, Box]] = (),
    selected: int | None = None,
    caption: str = "",
    link: str | None = None,
    key: str,
) -> None:
    """Show ``picture`` with zoom (buttons, Ctrl + wheel, double-click, keys) and drag to pan.

    ``picture_id`` names the underlying screenshot: the same id redrawn (another mark
    highlighted) keeps the user's zoom, a new id starts fitted. Viewers with the same
    ``link`` zoom and pan together (a comparison's before and after).
    """
    data = {
        "src": png_data_uri(picture),
        "width": picture.width,
        "height": picture.height,
        "id": picture_id,
        "alt": alt,
        "caption": caption,
        "marks": [{"n": n, "box": list(box)} for n, box in marks],
        "selected": selected,
        "link": link,
    }
    _mount()(data=data, key=key, width="stretch", height="content")


@lru_cache(maxsize=1)
def _mount():
    # Registered on first use, so importing this module needs no Streamlit runtime.
    import streamlit as st

    return st.components.v2.component(
        COMPONENT_NAME,
        html=(_ASSETS / "viewer.html").read_text(encoding="utf-8"),
        css=(_ASSETS / "viewer.css").read_text(encoding="utf-8"),
        js=(_ASSETS / "viewer.js").read_text(encoding="utf-8"),
    )
