"""The uploader: drops become validated screenshots kept in session state across reruns.

The widget is only an inbox: after each drop its key changes so it empties, and the kept
images live in ``st.session_state`` (shown as thumbnails with a remove button). That is what
keeps uploads across reruns and page switches, and lets a bad file be refused alone.
"""

from __future__ import annotations

import streamlit as st

from components.safe_text import md_escape
from uireview.errors import BadImage
from uireview.pipeline import MAX_IMAGES, LoadedImage, load_image

ACCEPTED = ["png", "jpg", "jpeg", "webp", "gif"]


def _state(key: str) -> dict:
    st.session_state.setdefault(f"{key}_images", {})
    st.session_state.setdefault(f"{key}_inbox", 0)
    st.session_state.setdefault(f"{key}_errors", [])
    return st.session_state


def kept_images(key: str = "review") -> list[LoadedImage]:
    return list(_state(key)[f"{key}_images"].values())


def add_files(key: str, files: list[tuple[str, bytes]], max_files: int = MAX_IMAGES) -> None:
    """Validate and keep ``files``; remember one sentence per refused file.

    With ``max_files=1`` a new file replaces the kept one (a before/after slot).
    """
    state = _state(key)
    images: dict[str, LoadedImage] = state[f"{key}_images"]
    errors = []
    for name, data in files:
        try:
            image = load_image(data, name)
        except BadImage as err:
            errors.append(str(err))
            continue
        if image.sha256 in images:
            continue
        if max_files == 1:
            images.clear()
        elif len(images) >= max_files:
            errors.append(
                f"“{image.name}” was not added: a review takes at most {max_files} images."
            )
            continue
        images[image.sha256] = image
    state[f"{key}_errors"] = errors


@st.cache_data(show_spinner=False, max_entries=64)
def _thumb_for(sha256: str, _image: LoadedImage, size: int = 640):
    # Made once per upload (keyed by content hash), not on every rerun: a 4K frame takes
    # ~40 ms to shrink, and every click on the page reruns it.
    from PIL import Image

    thumb = Image.fromarray(_image.rgb)
    thumb.thumbnail((size, size))
    return thumb


def _thumb(image: LoadedImage):
    return _thumb_for(image.sha256, image)


def paste_box(keys: list[str], max_files: int = MAX_IMAGES, hint: str = "") -> None:
    """Screenshots pasted with Ctrl/Cmd+V join the kept images, as uploads do.

    With several slots (Compare's before and after), a paste fills the first empty one, or
    replaces the last when all are full. Call once per page: it listens on the whole page.
    """
    from components.paste import pasted_screenshots

    hint = hint or "PNG, JPEG, WebP or still GIF, up to 20 MiB each · or paste a screenshot"
    pasted = pasted_screenshots(key=f"{keys[0]}_paste", hint=hint)
    if not pasted:
        return
    for name, data, size in pasted:
        target = next((k for k in keys if not kept_images(k)), keys[-1])
        if data is None:
            mib = size / 1024 / 1024
            _state(target)[f"{target}_errors"] = [
                f"“{name}” is {mib:.1f} MiB; the limit is 20 MiB. Paste or upload a smaller "
                "screenshot (PNG at 1x, or JPEG)."
            ]
            continue
        add_files(target, [(name, data)], max_files)
    st.rerun()


def uploader(
    key: str = "review", label: str = "Screenshots", max_files: int = MAX_IMAGES
) -> list[LoadedImage]:
    """Drop zone plus the kept images; returns the kept images in upload order."""
    state = _state(key)
    inbox_key = f"{key}_inbox_{state[f'{key}_inbox']}"
    dropped = st.file_uploader(
        label,
        type=ACCEPTED,
        accept_multiple_files=max_files > 1,
        key=inbox_key,
        help=f"PNG, JPEG, WebP or still GIF; up to {max_files} image"
        f"{'s' if max_files > 1 else ''}, 20 MiB each.",
    )
    if dropped and not isinstance(dropped, list):
        dropped = [dropped]
    if dropped:
        add_files(key, [(f.name, f.getvalue()) for f in dropped], max_files)
        state[f"{key}_inbox"] += 1  # a fresh, empty inbox on the next run
        st.rerun()
    for message in state[f"{key}_errors"]:
        st.error(md_escape(message), icon=":material/broken_image:")
    images = kept_images(key)
    if images and max_files == 1:
        image = images[0]
        st.image(
            _thumb(image),
            caption=f"{image.name} · {image.width}×{image.height}",
            width="stretch",
            alt=f"{image.name}, uploaded screenshot",
        )
    elif images:
        st.caption(f"{len(images)} of {max_files} screenshots")
        cols = st.columns(5)  # fixed width: one screenshot shows as a thumbnail, not a banner
        for i, image in enumerate(images):
            with cols[i % len(cols)]:
                st.image(
                    _thumb(image),
                    caption=f"{i + 1}. {image.name} · {image.width}×{image.height}",
                    width="stretch",
                    alt=f"{image.name}, uploaded screenshot {i + 1}",
                )
                if st.button(
                    "Remove", key=f"{key}_remove_{image.sha256[:16]}", icon=":material/close:"
                ):
                    del state[f"{key}_images"][image.sha256]
                    st.rerun()
    return images
