"""The loop on the pages, under AppTest: a next version against the last, dismiss, History."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components.safe_text import md_escape
from tests.test_loop import FADED, NEW_PROBLEM, label_findings, page_png
from uireview import pipeline
from uireview.images import load_image
from uireview.settings import Settings, load_settings
from uireview.store import Store, url_from_settings

PAGES = Path(__file__).resolve().parents[1] / "pages"


@pytest.fixture(autouse=True)
def no_key(monkeypatch):
    for name in ("XAI_API_KEY", "XAI_BASE_URL", "XAI_MODEL"):
        monkeypatch.delenv(name, raising=False)


def open_page(name: str) -> AppTest:
    at = AppTest.from_file(str(PAGES / name), default_timeout=90)
    at.run()
    assert not at.exception, at.exception
    return at


def press(at: AppTest, label: str) -> None:
    next(b for b in at.button if b.label.startswith(label)).click()
    at.run()
    assert not at.exception, at.exception


def upload(at: AppTest, **page) -> None:
    at.file_uploader[0].set_value([("home.png", page_png(**page), "image/png")])
    at.run()


def texts(at: AppTest) -> str:
    kinds = ("markdown", "caption", "info", "error", "warning", "subheader", "badge")
    return "\n".join(str(e.value) for k in kinds for e in getattr(at, k, []))


def review_version(at: AppTest, **page) -> None:
    for button in [b for b in at.button if b.label == "Remove"]:
        button.click()
        at.run()
    upload(at, **page)
    press(at, "Run measured checks")


def test_the_next_version_is_compared_with_the_last_review_of_the_same_file():
    at = open_page("review.py")
    review_version(at)
    first = at.session_state["review_outcome"].review
    assert first.baseline is None
    assert "Compare with an earlier review" not in [s.label for s in at.selectbox]

    review_version(at, label="#222222")
    picker = next(s for s in at.selectbox if s.label.startswith("Compare with an earlier"))
    assert picker.value.startswith("Last review of this file")
    second = at.session_state["review_outcome"].review
    assert second.baseline == first.id
    shown = texts(at)
    assert "0 new · " in shown and "1 resolved" in shown
    (fixed,) = second.resolved
    assert "1.98:1" in fixed.title  # the faded label, now fixed
    struck = "~~" + md_escape(f"[critical] contrast: {fixed.title}")
    assert struck in shown  # the fixed label, struck through


def test_the_owner_dismisses_a_finding_and_the_next_version_keeps_it_dismissed():
    at = open_page("review.py")
    review_version(at)
    first = at.session_state["review_outcome"].review
    number = first.findings.index(label_findings(first.findings)[0]) + 1
    at.button(key=f"review_dismiss_{number}_by design").click()
    at.run()
    assert not at.exception
    assert at.session_state["review_outcome"].review.findings[number - 1].dismissed == "by design"
    assert "Dismissed: by design" in texts(at)

    review_version(at, extra=NEW_PROBLEM)
    second = at.session_state["review_outcome"].review
    assert second.baseline == first.id
    assert label_findings(second.dismissed)[0].metrics["fg"] == FADED
    shown = texts(at)
    assert "1 new · " in shown and "1 dismissed" in shown
    assert any(e.label.startswith("1 dismissed earlier") for e in at.expander)


def _saved_pair():
    """Two saved versions of home.png, the second against the first; and their tokens."""
    settings = Settings(api_key=None)
    store = Store.open(url_from_settings(load_settings()))
    shot1 = load_image(page_png(), "home.png")
    shot2 = load_image(page_png(label="#222222"), "home.png")
    one = pipeline.review_and_keep([shot1], "contrast", settings=settings, store=store)
    two = pipeline.review_and_keep(
        [shot2], "contrast", settings=settings, store=store, baseline=one.review.id
    )
    return store, one, two


def test_a_share_link_shows_the_loop_but_offers_no_dismiss():
    store, _, two = _saved_pair()
    at = AppTest.from_file(str(PAGES / "shared.py"), default_timeout=90)
    at.query_params["review"] = two.review.id
    at.run()
    assert not at.exception, at.exception
    shown = texts(at)
    assert "1 resolved" in shown and "Persisting" in shown
    assert not [b for b in at.button if b.label.startswith(("Dismiss", "Undo"))]
    store.close()


def test_history_searches_check_names_shows_the_loop_and_deletes_what_you_own():
    store, one, two = _saved_pair()
    at = open_page("history.py")
    shown = texts(at)
    assert "against [an earlier review]" in shown and "0 new · 1 resolved" in shown
    assert "measured only" in shown

    at.text_input(key="history_query").set_value("1.98:1").run()  # a finding's words
    assert "1 of 10" not in texts(at) and texts(at).count("measured only") == 1
    at.text_input(key="history_query").set_value("hierarchy").run()
    assert "No review matches that search." in texts(at)
    at.text_input(key="history_query").set_value("").run()
    at.selectbox(key="history_grok").set_value("With Grok").run()
    assert "No review matches that search." in texts(at)
    at.selectbox(key="history_grok").set_value("Measured only").run()
    assert texts(at).count("measured only") == 2

    # Nothing is owned in this session: no delete. Claiming with the delete link allows it.
    assert not [c for c in at.checkbox if c.label == "Select"]
    claim = next(t for t in at.text_input if t.label == "Delete link")
    claim.set_value(f"http://x/?review={one.review.id}&delete={one.delete_token}")
    next(b for b in at.button if b.label == "Claim").click()
    at.run()
    at.checkbox(key=f"history_pick_{one.review.id}").check().run()
    press(at, "Delete 1 selected review")
    assert store.load(one.review.id) is None and store.load(two.review.id) is not None
    store.close()


def test_a_review_picked_in_history_is_offered_first_as_the_baseline():
    store, one, _ = _saved_pair()
    at = AppTest.from_file(str(PAGES / "review.py"), default_timeout=90)
    at.session_state["loop_baseline"] = one.review.id
    at.run()
    assert not at.exception, at.exception
    picker = next(s for s in at.selectbox if s.label.startswith("Compare with an earlier"))
    assert picker.value.startswith("Picked in History")
    upload(at, label="#222222", extra=NEW_PROBLEM)
    press(at, "Run measured checks")
    second = at.session_state["review_outcome"].review
    assert second.baseline == one.review.id
    # the pick is used up: the next version defaults to the review just made
    review_version(at, label="#222222", extra=NEW_PROBLEM, banner=40)
    assert at.session_state["review_outcome"].review.baseline == second.id
    store.close()


def test_history_shows_grok_ratings_per_preset_and_which_reviews_had_grok():
    from tests.test_store import make_review

    store = Store.open(url_from_settings(load_settings()))
    blob = page_png()  # a real image: History draws its thumbnail
    saved = store.save(make_review([blob], preset="general", titles=("a", "b"),
                                   severities=("minor", "minor")), [blob])  # fmt: skip
    store.rate(saved.id, 1, True)
    store.rate(saved.id, 2, False)
    at = open_page("history.py")
    shown = texts(at)
    assert "general 1 useful, 1 not useful" in shown and "with Grok" in shown
    store.close()
