"""How large a screenshot may be, and the sentences for files we refuse or cannot decode.

Shared by the review (uireview/images.py) and the diff (uireview/compare/decode.py). Nothing here
imports Pillow or numpy: the diff checks a PNG's declared size from its header before it
decodes, and a diff process that never needs Pillow does not pay its import.
"""

from __future__ import annotations

import logging
import re

from uireview.errors import BadImage

log = logging.getLogger(__name__)

# Pixels we agree to decode. A 30000 x 30000 image would need 3.6 GB as RGBA; a tall page
# of 1440 x 30000 (43 MP) still fits. Checked on the declared size, before decoding.
MAX_PIXELS = 64_000_000
# Longest side we agree to review: past it an image is a ribbon no screen captures (a full
# page at 30,000 px still fits), and refusing it up front keeps the work bounded.
MAX_SIDE = 32_768
_BOMB_PIXELS = re.compile(r"\((\d+) pixels\)")


def decode_failure(name: str, exc: BaseException) -> BadImage:
    """Our sentence for a decoder's failure; the library's own words go to the log only."""
    log.info("decoding %r failed: %r", name, exc)
    if "MAX_TEXT" in str(exc):
        # Pillow caps the text and colour-profile chunks it inflates (1 MB each, 64 MB in
        # all): the picture may be fine, its metadata is too large to read safely.
        return BadImage(
            f"“{name}” carries more embedded metadata (text or a colour profile) than we read "
            "safely. Export it again without metadata (for example “Export for web”)."
        )
    if isinstance(exc, MemoryError):
        return BadImage(f"“{name}” is too large to decode here. Export it at a smaller scale.")
    return BadImage(
        f"“{name}” could not be decoded; the file may be cut off or damaged. Export it again."
    )


def check_size(name: str, width: int, height: int) -> None:
    """Raise ``BadImage`` for a declared size we do not review (the same for review and diff)."""
    if width * height > MAX_PIXELS:
        raise BadImage(
            f"“{name}” is {width} x {height} px, too large to review safely (limit "
            f"{MAX_PIXELS // 1_000_000} megapixels). Crop it or export at a smaller scale."
        )
    if max(width, height) > MAX_SIDE:
        raise BadImage(
            f"“{name}” is {width} x {height} px, longer than any screen capture (limit "
            f"{MAX_SIDE:,} px a side). Crop it into parts and review those."
        )


def bomb_refusal(name: str, exc: BaseException) -> BadImage:
    """Our sentence for Pillow's decompression-bomb refusal, which comes before the size."""
    # Its message carries the pixel count.
    found = _BOMB_PIXELS.search(str(exc))
    size = f"{int(found.group(1)) // 1_000_000:,} megapixels" if found else "an enormous size"
    return BadImage(
        f"“{name}” declares {size}, too large to review safely (limit "
        f"{MAX_PIXELS // 1_000_000} megapixels; a size like this can be a decompression "
        "bomb). Crop it or export at a smaller scale."
    )
