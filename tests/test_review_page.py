"""The Review page under Streamlit's AppTest: upload, preset, findings, no-key notice."""

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import TEST_KEY, TEST_MODEL, endpoint_env
from tests.fake_openai import Reply, StatusError
from tests.imagegen import png_bytes

# The page file itself: AppTest resets Streamlit's pages-folder flag on every run, so going
# through app.py would rerun each click away (components/navigation.py). The browser tests
# cover app.py's navigation.
PAGE = str(Path(__file__).resolve().parents[1] / "pages" / "review.py")


@pytest.fixture
def no_key(monkeypatch):
    for name in ("XAI_API_KEY", "XAI_BASE_URL", "XAI_MODEL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def with_endpoint(monkeypatch, fake_openai):
    for name, value in endpoint_env(fake_openai).items():
        monkeypatch.setenv(name, value)
    return fake_openai


def open_page() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    assert not at.exception
    return at


def upload(at: AppTest, *files):
    at.file_uploader[0].set_value(list(files))
    at.run()


def press(at: AppTest, prefix: str):
    next(b for b in at.button if b.label.startswith(prefix)).click()
    at.run()


def shot(name="shot.png"):
    return (name, png_bytes(), "image/png")


def texts(at: AppTest) -> str:
    shown = [
        str(e.value)
        for kind in ("markdown", "caption", "info", "error", "warning", "subheader")
        for e in getattr(at, kind)
    ]
    shown += [e.proto.body for e in at.get("html")]  # finding cards' heads
    return "\n".join(shown)


def test_without_a_key_the_page_says_how_to_add_one_and_still_reviews(no_key):
    at = open_page()
    assert "XAI_API_KEY" in at.info[0].value and "secrets.toml" in at.info[0].value
    upload(at, shot())
    press(at, "Run measured checks")
    assert not at.exception
    assert any(s.value.endswith(("finding", "findings")) for s in at.subheader)
    assert len(at.get("image")) == 1  # the upload's thumbnail
    viewers = [c for c in at.get("bidi_component") if c.key.startswith("review_viewer_")]
    assert len(viewers) == 1  # the annotated screenshot, in its viewer


def test_a_bad_file_is_refused_alone_and_the_good_one_is_kept(no_key):
    at = open_page()
    upload(at, shot("good.png"), ("broken.png", b"not an image", "image/png"))
    assert any("broken" in e.value and "not an image" in e.value for e in at.error)
    assert "1 of 10 screenshots" in texts(at)
    at.run()  # a rerun keeps the upload
    assert "1 of 10 screenshots" in texts(at)


def test_model_findings_are_numbered_and_listed_with_their_source(with_endpoint):
    with_endpoint.script(
        Reply(
            json.dumps(
                {
                    "findings": [
                        {
                            "title": "Upgrade button reads as secondary",
                            "severity": "major",
                            "category": "hierarchy",
                            "cells": ["B1"],
                            "suggestion": "Make it the filled button",
                        },
                    ]
                }
            )
        )
    )
    at = open_page()
    upload(at, shot())
    at.segmented_control(key="review_preset").set_value("hierarchy").run()
    at.text_area(key="review_note").input("Admin billing page").run()
    press(at, "Review with Grok")
    assert not at.exception
    body = with_endpoint.chat_requests[-1].body
    assert "Admin billing page" in body["messages"][1]["content"][0]["text"]
    assert "Upgrade button reads as secondary" in texts(at)
    show = [b for b in at.button if b.label.startswith("Show #")]
    assert show, "each placed finding offers to show its mark"
    show[-1].click().run()
    assert [b.label for b in at.button if b.label.startswith("Showing on image")], (
        "the selected finding says it is shown"
    )
    assert at.session_state["review_selected"] == 1


def test_a_refused_key_shows_a_sentence_and_a_retry_and_keeps_uploads(with_endpoint):
    with_endpoint.script(StatusError(401, "Incorrect API key"), Reply('{"findings": []}'))
    at = open_page()
    upload(at, shot())
    press(at, "Review with Grok")
    assert any("key" in e.value.lower() for e in at.error)
    assert TEST_KEY not in texts(at)
    assert "1 of 10 screenshots" in texts(at)
    press(at, "Try again")
    assert not at.exception
    assert not [e for e in at.error if "key" in e.value.lower()]
    assert len(with_endpoint.chat_requests) == 2


def test_a_model_the_endpoint_does_not_list_is_named_and_a_listed_one_can_be_picked(
    monkeypatch, fake_openai
):
    fake_openai.models = ["grok-vision-new", "grok-text"]
    monkeypatch.setenv("XAI_API_KEY", TEST_KEY)
    monkeypatch.setenv("XAI_BASE_URL", fake_openai.base_url)
    monkeypatch.setenv("XAI_MODEL", "grok-2-vision-latest")
    at = open_page()
    assert any("grok-2-vision-latest" in w.value for w in at.sidebar.warning)
    picker = at.sidebar.selectbox[0]
    assert picker.options == ["grok-text", "grok-vision-new"]
    picker.select("grok-vision-new").run()
    assert at.session_state["model_override"] == "grok-vision-new"
    upload(at, shot())
    press(at, "Review with Grok")
    assert fake_openai.chat_requests[-1].body["model"] == "grok-vision-new"


def test_settings_can_come_from_streamlit_secrets(no_key, fake_openai):
    fake_openai.script(Reply(json.dumps({"findings": [{"title": "From secrets", "marks": ["1"]}]})))
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.secrets["XAI_API_KEY"] = TEST_KEY
    at.secrets["XAI_BASE_URL"] = fake_openai.base_url
    at.secrets["XAI_MODEL"] = TEST_MODEL
    at.run()
    assert not [i for i in at.info if "No API key" in i.value]
    upload(at, shot())
    press(at, "Review with Grok")
    assert fake_openai.chat_requests[-1].headers["authorization"] == f"Bearer {TEST_KEY}"
    assert "From secrets" in texts(at)


def test_the_severity_filter_hides_other_cards_and_keeps_their_numbers(no_key):
    from tests.faded import faded_labels
    from tests.imagegen import encode

    at = open_page()
    upload(at, ("faded.png", encode(faded_labels(12)), "image/png"))
    at.segmented_control(key="review_preset").set_value("contrast").run()
    press(at, "Run measured checks")
    assert not at.exception
    before = [b.label for b in at.button if b.label.startswith("Show #")]
    severities = at.session_state["review_filter_severity"]
    assert len(before) >= 4 and len(severities) >= 2, "needs findings of two severities"
    kept = severities[-1]
    at.button_group(key="review_filter_severity").set_value([kept]).run()
    after = [b.label for b in at.button if b.label.startswith("Show #")]
    assert 0 < len(after) < len(before)
    assert set(after) <= set(before)  # the numbers are those drawn on the image
    assert "the filters above hide the rest" in texts(at)
