"""What this process learnt about endpoints: their refusals and their model lists."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from uireview.catalogue import Catalogue


@dataclass
class Quirks:
    """What one endpoint and model refused, learnt from its 400s."""

    format_floor: int = 0  # index into FORMATS of the strictest format it accepts
    temperature: bool = True


quirks_by_endpoint: dict[tuple[str, str], Quirks] = {}
catalogues: dict[tuple[str, str | None], tuple[float, Catalogue]] = {}
memory_lock = threading.Lock()


def forget_endpoints() -> None:
    """Drop what this process learnt about endpoints (refusals, model lists); for tests."""
    with memory_lock:
        quirks_by_endpoint.clear()
        catalogues.clear()
