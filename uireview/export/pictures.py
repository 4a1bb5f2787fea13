"""The review's images for an export: decoded as the checks saw them, with numbered marks."""

from __future__ import annotations

from collections.abc import Sequence

from PIL import Image

from uireview.annotate import annotate
from uireview.findings import Review
from uireview.images import LoadedImage, load_image


def decoded_images(review: Review, images: Sequence[bytes | LoadedImage]) -> list[Image.Image]:
    """Each image decoded as the checks saw it (images the page decoded are used as they are)."""
    if len(images) != len(review.images):
        raise ValueError(f"Got {len(images)} image(s) for a review of {len(review.images)}.")
    return [
        (d if isinstance(d, LoadedImage) else load_image(d, i.name)).pil()
        for d, i in zip(images, review.images, strict=True)
    ]


def annotated_images(
    review: Review,
    images: Sequence[bytes | LoadedImage],
    decoded: list[Image.Image] | None = None,
) -> list[Image.Image]:
    """Each image decoded as the checks saw it, with its findings' numbered marks drawn."""
    numbered = list(enumerate(review.findings, 1))
    out = []
    for index, picture in enumerate(decoded or decoded_images(review, images)):
        mine = [(n, f) for n, f in numbered if f.image == index]
        out.append(annotate(picture, mine))
    return out
