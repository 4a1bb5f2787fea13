"""The Review page with today's xAI catalogue: the model chosen and named, the picker offers
only image models, a text-only model is stopped before any image leaves, the cost is shown."""

from __future__ import annotations

import json

import pytest

from tests.conftest import endpoint_env
from tests.fake_openai import TEXT_ONLY_MODEL, Reply, todays_catalogue
from tests.test_review_page import open_page, press, shot, texts, upload
from uireview.settings import DEFAULT_MODEL

FINDING = {"title": "Upgrade reads as secondary", "severity": "major", "marks": ["1"]}


@pytest.fixture
def xai(monkeypatch, fake_openai):
    """The app pointed at a fake serving today's catalogue; XAI_MODEL left unset."""
    fake_openai.use_catalogue(todays_catalogue())
    env = endpoint_env(fake_openai)
    del env["XAI_MODEL"]
    monkeypatch.delenv("XAI_MODEL", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return fake_openai


def test_without_xai_model_the_page_names_the_model_it_took_and_reviews_with_it(xai):
    xai.use_catalogue([m for m in todays_catalogue() if m["id"] != DEFAULT_MODEL])
    xai.script(Reply(json.dumps({"findings": [FINDING]})))
    at = open_page()
    [notice] = [i.value for i in at.sidebar.info]
    assert "grok-4.7" in notice and "XAI_MODEL is not set" in notice
    assert not at.sidebar.warning
    upload(at, shot())
    assert "grok-4.7" in texts(at) and "$" in texts(at), "the estimate names model and price"
    press(at, "Review with Grok")
    assert not at.exception
    assert xai.chat_requests[-1].body["model"] == "grok-4.7"
    usage = [c.value for c in at.caption if "tokens" in c.value and "model:" in c.value]
    assert usage and "$" in usage[-1], "the cost at listed prices follows the review"


def test_a_text_only_model_is_stopped_before_sending_and_the_picker_offers_image_models(
    xai, monkeypatch
):
    monkeypatch.setenv("XAI_MODEL", TEXT_ONLY_MODEL)
    at = open_page()
    assert any("reads text only" in w.value for w in at.sidebar.warning)
    picker = at.sidebar.selectbox[0]
    assert TEXT_ONLY_MODEL not in picker.options and "grok-4.7" in picker.options
    upload(at, shot())
    press(at, "Review with Grok")
    assert not at.exception
    assert any("reads text only" in e.value for e in at.error)
    assert xai.chat_requests == [], "no image left for a model that cannot see"
    assert "1 of 10 screenshots" in texts(at), "the upload is kept"
    picker = at.sidebar.selectbox[0]
    picker.select("grok-4.7").run()
    press(at, "Try again")
    assert xai.chat_requests[-1].body["model"] == "grok-4.7"
