"""The views of a comparison: slider, side by side with numbered regions, diff overlay."""

from __future__ import annotations

import numpy as np
import streamlit as st
from PIL import Image

from components.export_buttons import export_buttons
from components.findings_panel import findings_panel, selected_key
from components.image_comparison import image_comparison
from components.image_viewer import image_viewer
from components.review_view import usage_line
from components.safe_text import md_escape
from uireview import pipeline
from uireview.findings import Box, Review
from uireview.pipeline import annotate, hatch, pin_boxes, shown_size
from uireview.settings import Settings


def _numbered_on(review: Review, image: int):
    """Numbered findings with a place on image ``image``, each boxed in that image's pixels: a
    region of the other image is drawn at its counterpart (mapped through the shifts)."""
    out = []
    for n, f in enumerate(review.findings, 1):
        if f.box is None:
            continue
        if f.image == image:
            out.append((n, f))
        elif f.metrics.get("counterpart"):
            out.append((n, f.model_copy(update={"box": Box(*f.metrics["counterpart"])})))
    return out


def _ignored(review: Review) -> tuple[list[Box], list[Box]]:
    """(before, after) ignored boxes, each in its own image's pixels."""
    details = review.comparison
    if details is None:
        return [], []
    return list(details.ignore_before), list(details.ignore)


def side_by_side(review: Review, before: np.ndarray, after: np.ndarray, scope: str) -> None:
    """Both images with the numbered regions, each drawn in the pixels of the image it is on,
    and each image's own ignored areas hatched; each zooms and pans (the Review page's
    viewer) and the two move together, and "Show #n" zooms both to the region."""
    selected = st.session_state.get(selected_key(scope))
    cols = st.columns(2)
    frames = zip(cols, (before, after), review.images, _ignored(review), strict=True)
    for image, (col, pixels, info, ignore) in enumerate(frames):
        numbered = _numbered_on(review, image)
        base = Image.fromarray(pixels)
        size = shown_size(base.size, shown_width=420)  # two columns: about 420 px each
        shown = selected if any(n == selected for n, _ in numbered) else None
        hatched = hatch(base, ignore)
        picture = annotate(hatched, numbered, highlight=shown, size=size)
        count = len(numbered)
        with col:
            image_viewer(
                picture,
                alt=f"{info.name}, with {count} changed region{'s' if count != 1 else ''} numbered",
                picture_id=f"{scope}:{image}:{info.sha256}",
                marks=list(pin_boxes(hatched, numbered, size, highlight=shown).items()),
                selected=shown,
                caption=("Before · " if image == 0 else "After · ") + info.name,
                link=f"{scope}_side",
                key=f"{scope}_side_{image}",
            )


def diff_overlay(
    review: Review, before: np.ndarray, after: np.ndarray, ignore: list[Box], scope: str
) -> None:
    picture = Image.fromarray(_overlay(review, before, after)).convert("RGB")
    image_viewer(
        hatch(picture, ignore),
        alt=f"Difference between {review.images[0].name} and {review.images[1].name}: "
        "changed pixels coloured over the after image",
        picture_id=f"{scope}:overlay:{review.images[1].sha256}",
        key=f"{scope}_overlay",
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


def comparison_view(
    review: Review,
    pixels: list,
    *,
    scope: str,
    settings: Settings | None = None,
    images: list | None = None,
    action=None,
) -> None:
    """A finished comparison: the views beside the numbered regions, what it cost, exports.

    The Compare page and a shared comparison's page both draw it; ``images`` (the decoded
    screenshots) give the export buttons, ``action(number, finding)`` adds card controls.
    """
    for notice in review.notices:
        st.info(md_escape(notice), icon=":material/info:")
    # Two images side by side need room: beside the list where the page is wide (a 1920 px
    # screen), the full width with the list below on a laptop (theme.py: a container query
    # on this block, so an open or closed sidebar counts too).
    with st.container(key=f"uir_cmp_{scope}"):
        views, listing = st.columns([5, 2], gap="large")  # two images want more than one
        with views:
            comparison_views(review, *pixels, scope=scope)
        with listing:
            findings_panel(review, scope=scope, action=action)
    st.caption(usage_line(review, settings))
    if images:
        export_buttons(review, images, scope=scope)


def comparison_views(review: Review, before: np.ndarray, after: np.ndarray, scope: str) -> None:
    with st.container(key=f"uir_figure_{scope}"):  # sticky beside the list (theme.py)
        _views(review, before, after, scope)


def _views(review: Review, before: np.ndarray, after: np.ndarray, scope: str) -> None:
    details = review.comparison
    ignore_before, ignore = _ignored(review)
    regions, slider, overlay = st.tabs(["Changed regions", "Slider", "Diff overlay"])
    with regions:
        side_by_side(review, before, after, scope)
    with slider:
        image_comparison(
            hatch(Image.fromarray(before), ignore_before),
            hatch(Image.fromarray(after), ignore),
            label1=f"Before · {review.images[0].name}",
            label2=f"After · {review.images[1].name}",
            starting_position=50,
            key=f"{scope}_slider",
        )
    with overlay:
        diff_overlay(review, before, after, ignore, scope)
    if details is None:
        return
    engine = "8 OKLab" if details.options.metric == "oklab" else "7.2 YIQ"
    shifts = ", ".join(
        f"{s.dy:+d} px down" + (f" {s.dx:+d} px right" if s.dx else "") + f" at before y={s.y}"
        for s in details.shifts
    )
    st.caption(
        f"{details.mismatch_pixels:,} px differ (pixelmatch {engine}, "
        f"threshold {details.options.threshold})" + (f" · shifts: {shifts}" if shifts else "")
    )
