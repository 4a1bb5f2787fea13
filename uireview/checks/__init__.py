"""Measured checks: exact numbers from pixels, no model, no network.

Each check is ``check(screen: Screen) -> list[Finding]`` over a ``uireview.screen.Screen``,
which reads the screenshot (text lines, UI elements) once for all of them.
"""

from __future__ import annotations

from collections.abc import Callable

from uireview.findings import Finding
from uireview.screen import Screen

Check = Callable[[Screen], list[Finding]]


def get_check(name: str) -> Check:
    """The check function for a name a preset lists (contrast, spacing, hierarchy)."""
    if name == "contrast":
        from uireview.checks.contrast import check
    elif name == "spacing":
        from uireview.checks.spacing import check
    elif name == "hierarchy":
        from uireview.checks.hierarchy import check
    else:
        raise KeyError(f"unknown check {name!r}")
    return check


CHECK_NAMES = ("contrast", "spacing", "hierarchy")
