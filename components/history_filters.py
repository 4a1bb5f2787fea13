"""History's search box and filters: kind, preset, with or without Grok, saved between dates."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import streamlit as st

from uireview.store import Filters

KINDS = {"Any kind": None, "Reviews": "review", "Comparisons": "compare"}
GROK = {"With or without Grok": None, "With Grok": True, "Measured only": False}


def _day(value, *, end: bool = False) -> datetime | None:
    if value is None:
        return None
    start = datetime.combine(value, time(), tzinfo=UTC)
    return start + timedelta(days=1) if end else start


def history_filters(presets: list[str]) -> tuple[str, Filters]:
    query = st.text_input(
        "Search",
        key="history_query",
        placeholder="file name, preset, check or words of a finding: hierarchy, contrast, home.png",
    )
    kind, preset, grok, since, until = st.columns([1, 1, 1, 1, 1])
    chosen_kind = kind.selectbox("Kind", list(KINDS), key="history_kind")
    chosen_preset = preset.selectbox("Preset", ["Any preset", *presets], key="history_preset")
    chosen_grok = grok.selectbox("Grok", list(GROK), key="history_grok")
    start = since.date_input("Saved from", value=None, key="history_since")
    stop = until.date_input("Saved until", value=None, key="history_until")
    filters = Filters(
        kind=KINDS[chosen_kind],
        preset=None if chosen_preset == "Any preset" else chosen_preset,
        with_model=GROK[chosen_grok],
        since=_day(start),
        until=_day(stop, end=True),
    )
    return query, filters
