"""Scroll the page to a block once, when a new result arrives below the fold.

    reveal(".st-key-uir_results_review", nonce=st.session_state.pop("review_reveal", None))

``nonce`` is a number that is new once per result (``None`` otherwise): the browser scrolls
the first element matching ``selector`` to the top of the window when it sees a new one,
and never again for the same number, so reruns (a click on Show) leave the page where it is.
"""

from __future__ import annotations

from functools import lru_cache

_JS = """
const seen = new Set();
export default function reveal(component) {
  const { data } = component;
  if (!data || data.nonce == null || seen.has(data.nonce)) return undefined;
  seen.add(data.nonce);
  // After this frame: the rest of the result may still be arriving.
  requestAnimationFrame(() => {
    const target = document.querySelector(data.selector);
    if (target) target.scrollIntoView({ block: "start" });
  });
  return undefined;
}
"""


def reveal(selector: str, *, nonce: int | None, key: str) -> None:
    """Scroll to ``selector`` when ``nonce`` is new; draws nothing."""
    _mount()(data={"selector": selector, "nonce": nonce}, key=key, width="stretch", height=0)


@lru_cache(maxsize=1)
def _mount():
    import streamlit as st

    return st.components.v2.component("uireview_reveal", html="", js=_JS)
