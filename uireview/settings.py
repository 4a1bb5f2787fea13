"""Every setting, read once: the environment first, then Streamlit secrets, then defaults.

Nothing else in the project reads ``os.environ``. The engine never imports Streamlit: the
app passes ``st.secrets`` (any mapping) in as ``secrets``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

DEFAULT_BASE_URL = "https://api.x.ai/v1"
# xAI named grok-4.3 the replacement for the models it retired on 2026-05-15, and lists image
# input for it. When an endpoint does not offer it, catalogue.choose picks a listed one.
DEFAULT_MODEL = "grok-4.3"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def default_data_dir() -> Path:
    """``data/`` in the checkout the app runs from; for an installed command, in the folder
    it is run in (a pip-installed package must not write into site-packages)."""
    in_checkout = (PROJECT_ROOT / "app.py").is_file()
    return (PROJECT_ROOT if in_checkout else Path.cwd()) / "data"


@dataclass(frozen=True)
class Settings:
    api_key: str | None = None
    base_url: str = DEFAULT_BASE_URL
    model: str = DEFAULT_MODEL
    # True when XAI_MODEL was not set: only then may a review use another listed model.
    # Settings built in code name their model on purpose, so the default here is False.
    model_is_default: bool = False
    # Seconds for one request; a vision reply for a large screenshot can take a while.
    timeout: float = 120.0
    # The SDK's own retries (it honours Retry-After on 429 and 503).
    max_retries: int = 2
    data_dir: Path = field(default_factory=default_data_dir)
    database_url: str | None = None
    # USD per million tokens (UIREVIEW_PRICE_*); None means "use the endpoint's listed price".
    price_input_per_m: float | None = None
    price_output_per_m: float | None = None
    # Saved reviews expire (no longer open, leave History) after this many days; 0 keeps them.
    keep_days: float = 0.0

    @property
    def has_key(self) -> bool:
        return bool(self.api_key)

    def with_model(self, model: str, *, chosen_by_us: bool = False) -> Settings:
        """These settings with ``model``; a designer's pick counts as set explicitly."""
        return replace(self, model=model, model_is_default=chosen_by_us and self.model_is_default)

    def __repr__(self) -> str:  # the key must never reach a log line
        key = "set" if self.api_key else "missing"
        return f"Settings(base_url={self.base_url!r}, model={self.model!r}, api_key={key})"

    __str__ = __repr__


def _lookup(name: str, env: Mapping[str, str], secrets: Mapping[str, Any] | None) -> str | None:
    value = env.get(name)
    if value not in (None, ""):
        return value
    if secrets is not None:
        try:
            value = secrets.get(name)
        except Exception:  # a missing or broken secrets.toml is not an error
            value = None
        if value not in (None, ""):
            return str(value)
    return None


def load_settings(
    secrets: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None
) -> Settings:
    """Settings from the environment, then ``secrets`` (e.g. ``st.secrets``), then defaults."""
    env = os.environ if env is None else env

    def get(name: str) -> str | None:
        return _lookup(name, env, secrets)

    def number(name: str, default: float) -> float:
        value = optional_number(name)
        return default if value is None else value

    def optional_number(name: str) -> float | None:
        raw = get(name)
        try:
            return float(raw) if raw is not None else None
        except ValueError:
            return None

    data_dir = Path(get("UIREVIEW_DATA_DIR") or default_data_dir())
    return Settings(
        api_key=get("XAI_API_KEY"),
        base_url=(get("XAI_BASE_URL") or DEFAULT_BASE_URL).rstrip("/"),
        model=get("XAI_MODEL") or DEFAULT_MODEL,
        model_is_default=get("XAI_MODEL") is None,
        timeout=number("UIREVIEW_TIMEOUT", 120.0),
        max_retries=int(number("UIREVIEW_MAX_RETRIES", 2)),
        data_dir=data_dir,
        database_url=get("UIREVIEW_DATABASE_URL"),
        price_input_per_m=optional_number("UIREVIEW_PRICE_INPUT_PER_M"),
        price_output_per_m=optional_number("UIREVIEW_PRICE_OUTPUT_PER_M"),
        keep_days=number("UIREVIEW_KEEP_DAYS", 0.0),
    )
