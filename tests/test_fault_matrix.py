"""Provider faults through the Review page: each gives a sentence, a retry, and saves nothing.

The page runs under AppTest against the local fake endpoint (tests/fake_openai.py). For every
fault: the message shown, "Try again" offered, the screenshot, preset and note still there,
streamed text that arrived kept and labelled partial, the store still empty; then "Try again"
against a healthy endpoint gives a saved review.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import TEST_KEY, TEST_MODEL, endpoint_env
from tests.fake_openai import (
    Behaviour,
    CutStream,
    Empty,
    Hang,
    MalformedChunk,
    Reply,
    Reset,
    StatusError,
)
from tests.imagegen import png_bytes
from uireview.settings import load_settings
from uireview.store import Store, url_from_settings

PAGE = str(Path(__file__).resolve().parents[1] / "pages" / "review.py")
TIMEOUT = 1.5  # UIREVIEW_TIMEOUT for every case: the hang case waits this long, once

FIRST = {
    "title": "Pricing table has no visible heading",
    "severity": "major",
    "category": "hierarchy",
    "marks": ["1"],
    "detail": "Short.",
}
SECOND = {
    "title": "Upgrade reads as a secondary action",
    "severity": "minor",
    "category": "hierarchy",
    "marks": ["2"],
    "detail": "x" * 300,
}
TWO_FINDINGS = json.dumps({"findings": [FIRST, SECOND]})
# Cut in the middle of the second finding: the first arrived whole.
HALF = TWO_FINDINGS[: TWO_FINDINGS.index("x" * 150)]
GOOD = Reply(json.dumps({"findings": [{"title": "Healthy answer after retry", "marks": ["1"]}]}))


@dataclass
class Fault:
    id: str
    behaviour: Behaviour
    message: str  # a phrase of the sentence shown
    partial_text: str | None = None  # text kept and shown as partial, when some arrived


FAULTS = [
    Fault("401", StatusError(401, "Incorrect API key provided: te***ot"), "API key was refused"),
    Fault("403", StatusError(403, "Forbidden"), "API key was refused"),
    Fault("404_model", StatusError(404, "The model does not exist", type="not_found"),
          f"model '{TEST_MODEL}' is not available at this endpoint"),
    Fault("413", StatusError(413, "Request Entity Too Large"), "too large for the provider"),
    Fault("429_retry_after", StatusError(429, "Rate limit", headers={"Retry-After": "300"}),
          "rate limiting us. Try again in 5 minutes"),
    Fault("500", StatusError(500, "Internal error", type="server_error"),
          "failed (HTTP 500) after 1 attempt"),
    Fault("503", StatusError(503, "Overloaded", type="server_error"),
          "failed (HTTP 503) after 1 attempt"),
    Fault("timeout", Hang(6), f"did not answer within {TIMEOUT:g} s"),
    Fault("connection_reset", Reset(), "Could not reach the model endpoint"),
    Fault("stream_cut_halfway", CutStream(HALF, chunks=2, after_chunks=2),
          "broke off while the reply was arriving", partial_text=HALF),
    Fault("sse_json_cut_halfway", MalformedChunk(before=HALF), "a reply we could not read",
          partial_text=HALF),
    Fault("reply_json_cut_halfway", Reply(HALF, finish_reason=None),
          "stopped before the model finished", partial_text=HALF),
    Fault("empty_reply", Empty(), "empty reply"),
    Fault("refusal", Reply("", refusal="I can't help with that."), "declined to review"),
]  # fmt: skip


@pytest.fixture
def endpoint(monkeypatch, fake_openai):
    for name, value in endpoint_env(fake_openai, UIREVIEW_TIMEOUT=str(TIMEOUT)).items():
        monkeypatch.setenv(name, value)
    return fake_openai


def saved_reviews() -> int:
    """Reviews in this test's store (conftest gives every test its own UIREVIEW_DATA_DIR)."""
    with Store.open(url_from_settings(load_settings())) as store:
        return store.list_reviews().total


def plain(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def everything(at: AppTest) -> str:
    kinds = ("markdown", "caption", "info", "error", "warning", "subheader", "code", "expander")
    parts = []
    for kind in kinds:
        for element in getattr(at, kind):
            parts.append(str(getattr(element, "label", "") or ""))
            parts.append(str(getattr(element, "value", "") or ""))
    # Finding cards' heads are HTML; their text (tags dropped, entities read) is what shows.
    for element in at.get("html"):
        parts.append(html.unescape(re.sub(r"<[^>]+>", " ", element.proto.body)))
    return plain("\n".join(parts))


def reviewed_page() -> AppTest:
    """The page with one screenshot, the hierarchy preset and a note, after pressing Review."""
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    at.file_uploader[0].set_value([("billing.png", png_bytes(), "image/png")])
    at.run()
    at.segmented_control(key="review_preset").set_value("hierarchy").run()
    at.text_area(key="review_note").input("Admin billing page").run()
    next(b for b in at.button if b.label == "Review with Grok").click()
    at.run()
    assert not at.exception
    return at


def assert_inputs_kept(at: AppTest) -> None:
    assert any(c.value == "1 of 10 screenshots" for c in at.caption)
    assert at.segmented_control(key="review_preset").value == "hierarchy"
    assert at.text_area(key="review_note").value == "Admin billing page"


@pytest.mark.parametrize("fault", FAULTS, ids=[f.id for f in FAULTS])
def test_a_provider_fault_shows_a_sentence_offers_retry_keeps_inputs_and_saves_nothing(
    endpoint, fault
):
    endpoint.script(fault.behaviour, GOOD)
    at = reviewed_page()
    assert len(endpoint.chat_requests) == 1, "no retries: UIREVIEW_MAX_RETRIES=0"

    errors = [plain(e.value) for e in at.error]
    assert len(errors) == 1, errors
    assert fault.message in errors[0], errors[0]
    assert "Traceback" not in errors[0] and len(errors[0]) < 300
    assert [b.label for b in at.button if b.label == "Try again"] == ["Try again"]
    assert_inputs_kept(at)
    assert "measured findings below are complete" in everything(at)
    assert TEST_KEY not in everything(at)

    partial = [e for e in at.expander if "partial" in e.label]
    if fault.partial_text is None:
        assert partial == []
        assert not any(f.get("title", "") in everything(at) for f in (FIRST, SECOND))
    else:
        assert [e.label for e in partial] == ["Grok's reply as text (partial: it broke off)"]
        assert fault.partial_text in [c.value for c in at.code]
        assert FIRST["title"] in everything(at), "the finding that arrived whole is shown"
        assert SECOND["title"] not in [plain(m.value).strip("*") for m in at.markdown]
    assert saved_reviews() == 0, "nothing of a failed review lands in the store"

    next(b for b in at.button if b.label == "Try again").click()
    at.run()
    assert not at.exception
    assert len(endpoint.chat_requests) == 2
    assert not at.error, [e.value for e in at.error]
    assert "Healthy answer after retry" in everything(at)
    assert not [e for e in at.expander if "partial" in e.label]
    assert_inputs_kept(at)
    assert saved_reviews() == 1


def test_a_reply_cut_by_the_token_limit_is_labelled_partial_and_not_saved(endpoint):
    """finish_reason "length": the stream ended cleanly, but the JSON stops halfway."""
    endpoint.script(Reply(HALF, finish_reason="length"), GOOD)
    at = reviewed_page()
    labels = [e.label for e in at.expander if "partial" in e.label]
    assert labels == ["Grok's reply as text (partial: it broke off)"]
    assert [b.label for b in at.button if b.label == "Try again"] == ["Try again"]
    assert saved_reviews() == 0
