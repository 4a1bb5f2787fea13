"""The views of a comparison: slider, side by side with numbered regions, diff overlay."""

from __future__ import annotations

import numpy as np
import streamlit as st
from PIL import Image

from components.findings_panel import selected_key
from components.image_comparison import image_comparison
from components.safe_text import md_escape
from uireview import pipeline
from uireview.findings import Box, Review
from uireview.pipeline import annotate, hatch


def _numbered(review: Review):
    return [(n, f) for n, f in enumerate(review.findings, 1) if f.box is not None]


def side_by_side(
    review: Review, before: np.ndarray, after: np.ndarray, ignore: list[Box], scope: str
) -> None:
    """Both images with the same numbered regions (after-image pixels) and hatched ignores."""
    selected = st.session_state.get(selected_key(scope))
    numbered = _numbered(review)
    cols = st.columns(2)
    for col, pixels, info in zip(cols, (before, after), review.images, strict=True):
        picture = annotate(hatch(Image.fromarray(pixels), ignore), numbered, highlight=selected)
        count = sum(1 for _ in numbered)
        col.image(
            picture,
            caption=md_escape(info.name),
            width="stretch",
            alt=f"{info.name}, with {count} changed region{'s' if count != 1 else ''} numbered",
        )


def diff_overlay(review: Review, before: np.ndarray, after: np.ndarray, ignore: list[Box]) -> None:
    picture = Image.fromarray(_overlay(review, before, after)).convert("RGB")
    st.image(
        hatch(picture, ignore),
        width="stretch",
        alt=f"Difference between {review.images[0].name} and {review.images[1].name}: "
        "changed pixels coloured over the after image",
    )
    st.caption(
        ":red[Red]: darker in the after image (ink added) · :blue[Blue]: lighter (ink removed) · "
        ":green[Green]: inserted rows · hatched: ignored"
    )


@st.cache_data(
    show_spinner=False,
    max_entries=8,
    hash_funcs={Review: lambda r: r.comparison.model_dump_json() if r.comparison else ""},
)
def _overlay(review: Review, before: np.ndarray, after: np.ndarray) -> np.ndarray:
    return pipeline.comparison_overlay(review, before, after)


def comparison_views(review: Review, before: np.ndarray, after: np.ndarray, scope: str) -> None:
    with st.container(key=f"uir_figure_{scope}"):  # sticky beside the list (theme.py)
        _views(review, before, after, scope)


def _views(review: Review, before: np.ndarray, after: np.ndarray, scope: str) -> None:
    details = review.comparison
    ignore = list(details.ignore) if details else []
    regions, slider, overlay = st.tabs(["Changed regions", "Slider", "Diff overlay"])
    with regions:
        side_by_side(review, before, after, ignore, scope)
    with slider:
        image_comparison(
            hatch(Image.fromarray(before), ignore),
            hatch(Image.fromarray(after), ignore),
            label1=f"Before · {review.images[0].name}",
            label2=f"After · {review.images[1].name}",
            starting_position=50,
            key=f"{scope}_slider",
        )
    with overlay:
        diff_overlay(review, before, after, ignore)
    if details is None:
        return
    engine = "8 OKLab" if details.options.metric == "oklab" else "7.2 YIQ"
    shifts = ", ".join(f"{s.dy:+d} px at y={s.y}" for s in details.shifts)
    st.caption(
        f"{details.mismatch_pixels:,} px differ (pixelmatch {engine}, "
        f"threshold {details.options.threshold})" + (f" · shifts: {shifts}" if shifts else "")
    )
