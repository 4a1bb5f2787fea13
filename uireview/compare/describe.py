"""A diff in findings: one per region, one per shift, one for a size change.

Every box is in the pixels of the image the finding is on (``Finding.image``), and every
sentence names the frame its numbers are in: "(after, y=1566)".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from uireview.boxes import Box

if TYPE_CHECKING:
    import numpy as np

    from uireview.compare.diff import DiffResult
    from uireview.compare.regions import Region
    from uireview.findings import Finding, Severity

__all__ = ["diff_finding_fields", "diff_findings", "region_words", "where"]

# Regions whose words are read (the first ones listed: the list is what a person reads;
# each read costs about 50 ms).
READ_REGIONS = 8
# Only this many rows from a region's top are searched for its first line.
READ_ROWS = 160
# A line of text is a band of rows with ink this many pixels tall (shorter: a rule or a
# border; taller: an image or a chart); ink differs from the region's commonest colour by
# more than INK levels in some channel.
LINE_PX = (6, 60)
INK = 40

_TITLES = {
    "changed": "Changed area",
    "added": "Added content",
    "removed": "Removed content",
    "inserted": "Inserted rows",
    "deleted": "Deleted rows",
    "moved": "Moved content",
    "reflowed": "Moved and reflowed",
}


def where(frame: str, box: Box) -> str:
    """ "(after, x=30-120, y=160-190)": a box in words, with the image it is in."""
    return f"({frame}, x={box.x0}-{box.x1}, y={box.y0}-{box.y1})"


def _severity(region: Region, area: int) -> Severity:
    if region.kind == "moved":
        return "info"
    share = region.pixels / max(area, 1)
    if region.kind in ("inserted", "deleted", "reflowed") or share > 0.01:
        return "major"
    return "minor"


def _direction(dy: int, dx: int) -> str:
    parts = []
    if dy:
        parts.append(f"{'down' if dy > 0 else 'up'} {abs(dy)} px")
    if dx:
        parts.append(f"{'right' if dx > 0 else 'left'} {abs(dx)} px")
    return " and ".join(parts) or "in place"


def _detail(r: Region) -> str:
    b, other = r.box, "before" if r.frame == "after" else "after"
    there = f" {where(other, r.counterpart)}" if r.counterpart else ""
    if r.kind == "inserted":
        return (
            f"{b.height} px of rows only the after image has {where('after', b)}; "
            f"inserted at before y={r.counterpart.y0 if r.counterpart else 0}."
        )
    if r.kind == "deleted":
        at = f"; the after image closes up at y={r.counterpart.y0}" if r.counterpart else ""
        return f"{b.height} px of rows only the before image has {where('before', b)}{at}."
    if r.kind == "moved":
        source = there or " outside the before image"
        return (
            f"Content {where('after', b)} only moved; it came from{source} "
            f"and {r.pixels:,} px differ because of the move."
        )
    if r.kind == "reflowed":
        return (
            f"The block {where('after', b)} moved sideways and its content changed inside it "
            f"too (narrower or wider columns, rewrapped text); compared with{there}."
        )
    return f"{b.width}x{b.height} px area {where(r.frame, b)}" + (
        f", compared with{there}." if there else "."
    )


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of each run of True in a 1-D mask."""
    import numpy as np

    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(np.int8), [0]])))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def first_line(rgb: np.ndarray, box: Box) -> Box | None:
    """The box of the first line of words in ``box``: the first band of rows with ink
    (unlike the region's commonest colour) a text line's height, widened to the whole line
    where the region cuts through a word. None when the region's top holds no such band."""
    import numpy as np

    h, w = rgb.shape[:2]
    b = box.clamp(w, h)
    crop = rgb[b.y0 : min(b.y1, b.y0 + READ_ROWS), b.x0 : b.x1, :3].astype(np.int16)
    if crop.shape[0] < LINE_PX[0] or crop.shape[1] < LINE_PX[0]:
        return None
    flat = crop[::2, ::2].reshape(-1, 3)
    packed = (flat[:, 0].astype(np.int32) << 16) | (flat[:, 1] << 8) | flat[:, 2]
    values, counts = np.unique(packed, return_counts=True)
    top = int(values[counts.argmax()])
    bg = np.array([(top >> 16) & 255, (top >> 8) & 255, top & 255], np.int16)
    inked = np.abs(crop - bg).max(axis=2) > INK
    # A column inked all the way down is a card's border or a rule, not words: without this
    # every row of a bordered card has ink and no band is a line's height.
    inked[:, inked.mean(axis=0) > 0.9] = False
    band = next(
        ((y0, y1) for y0, y1 in _runs(inked.any(axis=1)) if LINE_PX[0] <= y1 - y0 <= LINE_PX[1]),
        None,
    )
    if band is None:
        return None
    y0, y1 = b.y0 + band[0], b.y0 + band[1]
    # The whole row band of the image: a region can start or end inside a word.
    ink = (np.abs(rgb[y0:y1, :, :3].astype(np.int16) - bg).max(axis=2) > INK).any(axis=0)
    # A word cut by the region's edge is completed, up to the next word space.
    gap = max(3, (y1 - y0) // 4)
    inside = np.flatnonzero(ink[b.x0 : b.x1])
    if len(inside) == 0:
        return None
    # Several blocks side by side (a row of cards): their first, up to a gap wider than
    # any word space.
    wide = np.flatnonzero(np.diff(inside) > 1.5 * (y1 - y0))
    last = int(inside[wide[0]]) if len(wide) else int(inside[-1])
    x0, x1 = b.x0 + int(inside[0]), b.x0 + last + 1
    while x0 > 0 and ink[max(x0 - gap, 0) : x0].any():
        x0 = max(x0 - gap, 0) + int(np.flatnonzero(ink[max(x0 - gap, 0) : x0])[0])
    while x1 < w and ink[x1 : x1 + gap].any():
        x1 = x1 + int(np.flatnonzero(ink[x1 : x1 + gap])[-1]) + 1
    pad = max(2, (y1 - y0) // 4)
    return Box(max(x0 - 2, 0), max(y0 - pad, 0), min(x1 + 2, w), min(y1 + pad, h))


def region_words(
    result: DiffResult, before: np.ndarray | None, after: np.ndarray
) -> list[str | None]:
    """The first words in each region (its first line, read from the pixels of its
    frame's image by the recogniser contrast findings are named with), None where it
    holds no text.

    ``before`` and ``after`` are HxWx3 (or HxWx4) uint8 images. Only the first
    ``READ_REGIONS`` regions are read, each in its top ``READ_ROWS`` rows, in one
    recognition call per image: no text detector (seconds on a page), a band of ink rows
    is the line.
    """
    import numpy as np

    from uireview.screen.text import read_lines

    out: list[str | None] = [None] * len(result.regions)
    for frame, rgb in (("after", after), ("before", before)):
        if rgb is None:
            continue
        todo = [
            (n, line)
            for n, r in enumerate(result.regions[:READ_REGIONS])
            if r.frame == frame and (line := first_line(rgb, r.box)) is not None
        ]
        if not todo:
            continue
        image = np.ascontiguousarray(rgb[:, :, :3])
        for (n, _), reading in zip(todo, read_lines(image, [b for _, b in todo]), strict=True):
            out[n] = reading.text if reading.is_text else None
    return out


def _quoted(words: str | None) -> str:
    if not words:
        return ""  # no import: the diff command never reads words (and skips OpenCV)
    from uireview.checks.places import quoted

    return f" {quoted(words)}"


def diff_findings(
    result: DiffResult,
    *,
    image: int = 1,
    before_image: int | None = None,
    words: Sequence[str | None] = (),
) -> list[Finding]:
    """Measured findings: one per region (numbered by list order), then shifts and size change."""
    from uireview.findings import Finding

    return [
        Finding(**fields)
        for fields in diff_finding_fields(
            result, image=image, before_image=before_image, words=words
        )
    ]


def diff_finding_fields(
    result: DiffResult,
    *,
    image: int = 1,
    before_image: int | None = None,
    words: Sequence[str | None] = (),
) -> list[dict[str, Any]]:
    """The field values of ``diff_findings``, without building pydantic models: the diff
    command prints them as JSON and skips importing pydantic (~90 ms a process).

    ``image`` is the after image's position, ``before_image`` the before one's (image - 1 by
    default); a region is on the image of its frame, its box in that image's pixels.
    ``words``: each region's first words (``region_words``), quoted in its title and set
    as its ``text``; none by default (reading needs the recogniser, the diff command not).
    """
    before_image = image - 1 if before_image is None else before_image
    area = result.size_after[0] * result.size_after[1]
    findings: list[dict[str, Any]] = []
    for n, r in enumerate(result.regions, start=1):
        evidence = (
            f"{r.pixels:,} px explained by the move"
            if r.kind == "moved"
            else f"{r.pixels:,} px changed"
        )
        metrics: dict = {"pixels": r.pixels, "kind": r.kind, "frame": r.frame}
        if r.counterpart is not None:
            metrics["counterpart"] = list(r.counterpart)
        said = words[n - 1] if n - 1 < len(words) else None
        extra = {"text": said} if said else {}
        findings.append(
            dict(
                **extra,
                source="measured",
                category="diff",
                severity=_severity(r, area),
                # Its words name it; without words its number tells it from the others.
                title=(
                    f"{_TITLES.get(r.kind, 'Changed area')}:{_quoted(said)}"
                    if said
                    else f"{_TITLES.get(r.kind, 'Changed area')} {n}"
                ),
                detail=_detail(r),
                suggestion="Check that this change is intended.",
                image=image if r.frame == "after" else before_image,
                box=r.box,
                evidence=evidence,
                metrics=metrics,
                rule=f"diff.{r.kind}",
            )
        )
    for s in result.shifts:
        moved = _direction(s.dy, s.dx)
        # The words of the first region that moved with it name what moved.
        named = next(
            (
                words[n]
                for n, r in enumerate(result.regions)
                if n < len(words)
                and words[n]
                and s.box is not None
                and r.frame == "after"
                and r.box.intersection(s.box) is not None
            ),
            None,
        )
        landed = f" to {where('after', s.box)}" if s.box else ""
        if s.dx and s.box is not None:  # the columns it left continue what was beside it
            b = s.box
            left = (
                Box(b.x0 - s.dx, b.y0, b.x0, b.y1)
                if s.dx > 0
                else Box(b.x1, b.y0, b.x1 - s.dx, b.y1)
            )
            landed += f"; what was beside it widened into {where('after', left)}"
        findings.append(
            dict(
                source="measured",
                category="diff",
                severity="info",
                title=(
                    f"The row with{_quoted(named)} moved {moved} (before y={s.y}-{s.y + s.height})"
                    if named
                    else f"Content at x={s.box.x0 - s.dx}-{s.box.x1 - s.dx}, "
                    f"y={s.y}-{s.y + s.height} (before) moved {moved}"
                    if s.dx and s.box is not None
                    else f"Content below y={s.y} (before) moved {moved}"
                ),
                detail=f"Before rows {s.y}-{s.y + s.height} (before) moved {moved}{landed}; "
                "they were compared at their new place.",
                image=image,
                # Where it landed, when a sideways move names a place (a vertical one spans
                # the page's width below its row, so it stays a whole-screen note).
                box=s.box if s.dx and s.box is not None else None,
                **({"text": named} if named else {}),
                evidence=f"{s.height} rows match at an offset of {s.dy:+d} px down, "
                f"{s.dx:+d} px right",
                metrics={"y": s.y, "dy": s.dy, "dx": s.dx, "height": s.height},
                rule="diff.shift",
            )
        )
    if result.size_before != result.size_after:
        (wb, hb), (wa, ha) = result.size_before, result.size_after
        findings.append(
            dict(
                source="measured",
                category="diff",
                severity="minor",
                title=f"Size changed from {wb}x{hb} to {wa}x{ha}",
                detail="Pixels were compared on the overlap of the two images.",
                image=image,
                evidence=f"{wa - wb:+d} px wide, {ha - hb:+d} px tall",
                metrics={"size_before": [wb, hb], "size_after": [wa, ha]},
                rule="diff.size",
            )
        )
    return findings
