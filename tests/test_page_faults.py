"""The pages under faults: a store that cannot save or open, an unexpected failure, and a
password in the endpoint URL. The app stays usable and speaks in its own sentences."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import endpoint_env
from tests.fake_openai import Reply
from tests.imagegen import encode, screenshot
from tests.test_review_page import open_page, press, shot, texts, upload
from tests.test_storage_faults import ANSWER, _driver_error, _fail_saves
from uireview.store import Store

ROOT = Path(__file__).resolve().parents[1]
STREAMLIT_BOX = ("This app has encountered an error", "Ask Google", "Ask ChatGPT")


@pytest.fixture
def with_endpoint(monkeypatch, fake_openai):
    for name, value in endpoint_env(fake_openai).items():
        monkeypatch.setenv(name, value)
    return fake_openai


def warned(at: AppTest) -> str:
    """Every warning as plain text (the page escapes Markdown with backslashes)."""
    return "\n".join(re.sub(r"\\(.)", r"\1", w.value) for w in at.warning)


def downloads(at: AppTest) -> list[str]:
    return [d.proto.label for d in at.get("download_button")]


def test_a_full_disk_shows_the_paid_answer_says_why_and_offers_downloads(
    monkeypatch, with_endpoint
):
    with_endpoint.script(Reply(ANSWER))
    _fail_saves(monkeypatch, "database or disk is full")
    at = open_page()
    upload(at, shot())
    press(at, "Review with Grok")
    assert not at.exception
    assert "Vague button label" in texts(at)
    assert "This review could not be saved: the disk is full." in warned(at)
    assert "Markdown checklist" in downloads(at) and "JSON" in downloads(at)
    assert "Share" not in texts(at)  # no share link to a review that is not stored


def test_a_data_folder_that_cannot_be_opened_leaves_the_review_page_usable(
    monkeypatch, with_endpoint
):
    def refuse(*args, **kwargs):
        raise _driver_error("attempt to write a readonly database")

    monkeypatch.setattr(Store, "open", refuse)
    with_endpoint.script(Reply(ANSWER))
    at = open_page()
    assert "Saved reviews are unavailable: the data folder is read-only" in warned(at)
    upload(at, shot())
    press(at, "Review with Grok")
    assert not at.exception
    assert "Vague button label" in texts(at)
    assert "JSON" in downloads(at)


@pytest.mark.parametrize("shared", [False, True], ids=["history", "share-link"])
def test_history_and_share_links_say_the_store_is_unavailable(monkeypatch, shared):
    def refuse(*args, **kwargs):
        raise _driver_error("attempt to write a readonly database")

    monkeypatch.setattr(Store, "open", refuse)
    if shared:  # through app.py: the share page links to the others
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.query_params["review"] = "A" * 23
    else:
        at = AppTest.from_file(str(ROOT / "pages" / "history.py"), default_timeout=60)
    at.run()
    assert not at.exception
    assert "data folder is read-only" in warned(at)
    assert not at.error


def test_a_full_disk_on_compare_keeps_the_comparison_and_its_downloads(monkeypatch):
    monkeypatch.delenv("XAI_API_KEY", raising=False)
    _fail_saves(monkeypatch, "database or disk is full")
    at = AppTest.from_file(str(ROOT / "pages" / "compare.py"), default_timeout=60)
    at.run()
    at.file_uploader[0].set_value(("before.png", encode(screenshot()), "image/png")).run()
    at.file_uploader[1].set_value(("after.png", encode(screenshot(800, 520)), "image/png")).run()
    next(b for b in at.button if b.label.startswith("Compare")).click().run()
    assert not at.exception
    assert "could not be saved: the disk is full" in warned(at)
    assert "JSON" in downloads(at)


def test_an_unexpected_failure_shows_our_sentence_not_streamlits_error_box(monkeypatch):
    import uireview.presets

    def broken(*args, **kwargs):
        raise RuntimeError("SELECT secret FROM somewhere at <memory at 0x7f>")

    monkeypatch.setattr(uireview.presets, "load_presets", broken)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    shown = "\n".join(e.value for e in at.error)
    assert "Something went wrong on this page" in shown
    assert "SELECT" not in shown and "0x7f" not in shown


def test_streamlit_is_configured_to_show_no_error_details():
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"


def test_a_password_in_the_base_url_is_not_on_the_page(monkeypatch, fake_openai):
    secret = "Pa55w0rdInUrl"
    env = endpoint_env(fake_openai)
    env["XAI_BASE_URL"] = env["XAI_BASE_URL"].replace("://", f"://proxyuser:{secret}@")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    fake_openai.script(Reply(ANSWER))
    at = open_page()
    upload(at, shot())
    press(at, "Review with Grok")
    assert not at.exception
    everything = (
        texts(at)
        + "\n".join(str(e.value) for e in at.sidebar.caption)
        + json.dumps(at.session_state["review_outcome"].review.model_dump(mode="json"))
    )
    assert "127.0.0.1" in everything  # the endpoint is still named, without its user info
    assert secret not in everything and "proxyuser" not in everything
