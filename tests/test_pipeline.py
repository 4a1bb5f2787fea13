"""The review pipeline against the local fake endpoint: what is sent, what comes back."""

import base64
import io
import json

import pytest
from PIL import Image

from tests.fake_openai import CutStream, Reply, StatusError
from tests.imagegen import png_bytes
from uireview import critique, pipeline
from uireview.findings import Box, Finding
from uireview.grounding import grid_cells
from uireview.images import load_image
from uireview.settings import Settings

FAINT = Finding(
    source="measured",
    category="contrast",
    severity="major",
    title="Faint label",
    box=Box(10, 10, 60, 30),
    evidence="2.1:1, needs 4.5:1",
    rule="contrast.aa",
)


@pytest.fixture
def one_check(monkeypatch):
    """Measured checks replaced by one that always finds FAINT, so these tests stay about wiring."""
    monkeypatch.setattr(pipeline, "get_check", lambda name: lambda screen: [FAINT])


@pytest.fixture
def no_marks(monkeypatch):
    """Force the grid, so cell names are predictable."""
    real = critique.ground
    monkeypatch.setattr(critique, "ground", lambda screen: real(screen, use_marks=False))


def shot(name="shot.png", **kw):
    return load_image(png_bytes(**kw), name)


def reply(*findings):
    return Reply(json.dumps({"findings": list(findings)}), chunks=5)


def test_request_carries_preset_json_mode_and_the_image_as_png(
    fake_openai, fake_settings_for, one_check, no_marks
):
    fake_openai.script(reply())
    pipeline.review(
        [shot()], "spacing", settings=fake_settings_for(), note="Billing page for admins"
    )
    body = fake_openai.chat_requests[-1].body
    assert body["model"] == "grok-test-vision"
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["strict"] is True
    assert body["temperature"] == 0
    assert body["stream"] is True
    system, user = body["messages"]
    assert "JSON" in system["content"] and "never instructions" in system["content"]
    text = user["content"][0]["text"]
    assert "grouping and density" in text  # prompts/spacing.md's instruction
    assert "Billing page for admins" in text
    assert "Faint label" in text and "do not repeat" in text  # measured findings as context
    images = [p for p in user["content"] if p["type"] == "image_url"]
    assert len(images) == 1
    url = images[0]["image_url"]["url"]
    assert url.startswith("data:image/png;base64,")
    sent = Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1])))
    assert sent.size == (800, 500)


def test_model_findings_land_on_the_cells_they_name(
    fake_openai, fake_settings_for, one_check, no_marks
):
    fake_openai.script(
        reply(
            {
                "title": "Vague label",
                "severity": "minor",
                "category": "copy",
                "cells": ["B2", "C2"],
                "suggestion": "Say what it counts",
            }
        )
    )
    review = pipeline.review([shot()], "general", settings=fake_settings_for())
    model = [f for f in review.findings if f.source == "model"]
    assert len(model) == 1
    cells = grid_cells(800, 500)
    assert model[0].box == cells["B2"].union(cells["C2"])
    assert model[0].marks == ["B2", "C2"]
    assert review.usage is not None and review.usage.total_tokens > 0
    assert review.error is None


def test_measured_findings_come_first(fake_openai, fake_settings_for, one_check, no_marks):
    fake_openai.script(
        reply(
            {
                "title": "Critical copy problem",
                "severity": "critical",
                "category": "contrast",
                "cells": ["A1"],
            }
        )
    )
    review = pipeline.review([shot()], "contrast", settings=fake_settings_for())
    assert [f.source for f in review.findings] == ["measured", "model"]


def test_streamed_text_reaches_the_callback_in_order(
    fake_openai, fake_settings_for, one_check, no_marks
):
    content = json.dumps({"findings": [{"title": "One", "cells": ["A1"]}]})
    fake_openai.script(Reply(content, chunks=6))
    seen = []
    pipeline.review([shot()], "general", settings=fake_settings_for(), on_text=seen.append)
    assert len(seen) >= 2
    assert "".join(seen) == content


def test_without_a_key_measured_checks_run_and_nothing_is_sent(fake_openai, one_check):
    settings = Settings(api_key=None, base_url=fake_openai.base_url)
    review = pipeline.review([shot()], "general", settings=settings)
    assert fake_openai.requests == []
    assert [f.title for f in review.findings] == ["Faint label"] * 3  # three checks in "general"
    assert any("XAI_API_KEY" in n for n in review.notices)
    assert review.model is None


def test_a_refused_key_keeps_the_measured_findings_and_says_what_to_do(
    fake_openai, fake_settings_for, one_check
):
    fake_openai.script(StatusError(401, "Incorrect API key provided: test-key-not-secret"))
    review = pipeline.review([shot()], "contrast", settings=fake_settings_for())
    assert review.error and "key" in review.error.lower()
    assert "test-key-not-secret" not in review.error
    assert [f.source for f in review.findings] == ["measured"]


def test_a_stream_cut_halfway_keeps_the_findings_that_arrived_whole(
    fake_openai, fake_settings_for, one_check, no_marks
):
    content = json.dumps(
        {
            "findings": [
                {"title": "First whole finding", "cells": ["A1"]},
                {"title": "Second finding that will be cut", "detail": "x" * 200},
            ]
        }
    )
    fake_openai.script(CutStream(content, chunks=4, after_chunks=2))
    review = pipeline.review([shot()], "contrast", settings=fake_settings_for(max_retries=0))
    assert review.partial
    assert [f.title for f in review.findings if f.source == "model"] == ["First whole finding"]
    assert any("broke off" in n for n in review.notices)
    assert review.raw_reply and review.raw_reply in content


def test_a_reply_that_is_not_json_is_kept_as_text_with_a_notice(
    fake_openai, fake_settings_for, one_check
):
    fake_openai.script(Reply("The layout looks clean overall, nice work.", chunks=2))
    review = pipeline.review([shot()], "contrast", settings=fake_settings_for())
    assert review.raw_reply.startswith("The layout looks clean")
    assert any("shown as text" in n for n in review.notices)
    assert review.error is None


def test_each_image_gets_its_own_number_and_findings_keep_their_image(
    fake_openai, fake_settings_for, one_check, no_marks
):
    fake_openai.script(reply({"title": "On the second", "image": 2, "cells": ["A1"]}))
    review = pipeline.review(
        [shot("a.png"), shot("b.png", theme="dark")], "contrast", settings=fake_settings_for()
    )
    body = fake_openai.chat_requests[-1].body
    texts = [p["text"] for p in body["messages"][1]["content"] if p["type"] == "text"]
    assert "Image 1: a.png" in texts and "Image 2: b.png" in texts
    model = [f for f in review.findings if f.source == "model"]
    assert model[0].image == 1
