"""Measured checks: exact numbers from pixels, no model, no network.

Each check is ``check(screen: Screen) -> list[Finding]`` over a ``uireview.screen.Screen``,
which reads the screenshot (text lines, UI elements) once for all of them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from uireview.findings import Finding
from uireview.screen import Screen

Check = Callable[[Screen], list[Finding]]


# The check registry: a preset's ``checks:`` names modules of this package, each with a
# ``check(screen) -> list[Finding]``. Imported on first use (text detection is heavy).
CHECK_NAMES = ("contrast", "spacing", "hierarchy")


def get_check(name: str) -> Check:
    """The check function for a name a preset lists (contrast, spacing, hierarchy)."""
    if name not in CHECK_NAMES:
        raise KeyError(f"unknown check {name!r}; known: {', '.join(CHECK_NAMES)}")
    check: Check = importlib.import_module(f"uireview.checks.{name}").check
    return check
