"""The Compare page's list of ignored areas: one box per line, each in its own image's pixels.

``10,20,300,80`` (or ``after: 10,20,300,80``) is in the after image's pixels;
``before: 10,20,300,80`` in the before image's. The box itself follows ``boxes.parse_box``.
"""

from __future__ import annotations

from uireview.boxes import Box, parse_box

__all__ = ["format_ignored", "parse_ignored"]


def parse_ignored(text: str) -> tuple[list[Box], list[Box], list[str]]:
    """(after boxes, before boxes, a sentence per bad line); blank lines and ``#`` skipped."""
    after: list[Box] = []
    before: list[Box] = []
    problems: list[str] = []
    for n, line in enumerate((text or "").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        frame, sep, rest = line.partition(":")
        target = after
        if sep and frame.strip().lower() in ("before", "after"):
            target = before if frame.strip().lower() == "before" else after
            line = rest
        elif sep:
            problems.append(f"Line {n}: start with “before:” or “after:”, or give just the box.")
            continue
        try:
            target.append(parse_box(line))
        except ValueError as exc:
            problems.append(f"Line {n}: {exc}")
    return after, before, problems


def format_ignored(after: list[Box], before: list[Box]) -> str:
    """The text ``parse_ignored`` reads back."""
    lines = [f"{b.x0},{b.y0},{b.x1},{b.y1}" for b in after]
    lines += [f"before: {b.x0},{b.y0},{b.x1},{b.y1}" for b in before]
    return "\n".join(lines)
