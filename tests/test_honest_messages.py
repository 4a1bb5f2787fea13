"""Sentences that say what happened: how long retries really waited, and a file name
shown as the user named it (no folder cut inside a tag)."""

from __future__ import annotations

import pytest

from tests.fake_openai import Hang
from tests.imagegen import png_bytes
from tests.test_review_page import open_page, upload
from uireview.errors import ProviderTimeout
from uireview.images import load_image, safe_name
from uireview.provider import Provider

NAME = "report\n<script>alert(1)</script>.png"


def _messages():
    return [{"role": "user", "content": "hello"}]


def test_a_timeout_after_retries_says_how_many_tries_and_the_time_in_all(
    fake_openai, fake_settings_for
):
    fake_openai.script(Hang(5), Hang(5))
    settings = fake_settings_for(timeout=1.0, max_retries=1)
    with pytest.raises(ProviderTimeout) as caught:
        Provider(settings).chat(_messages())
    message = str(caught.value)
    assert "in 2 tries of 1 s each" in message and "s in all" in message
    assert len(fake_openai.chat_requests) == 2


def test_a_timeout_without_retries_names_the_one_limit(fake_openai, fake_settings_for):
    fake_openai.script(Hang(5))
    with pytest.raises(ProviderTimeout, match="did not answer within 1 s"):
        Provider(fake_settings_for(timeout=1.0, max_retries=0)).chat(_messages())


def test_a_name_with_a_line_break_and_a_closing_tag_is_shown_whole():
    assert safe_name(NAME) == "report <script>alert(1)</script>.png"
    assert load_image(png_bytes(), NAME).name == "report <script>alert(1)</script>.png"
    assert safe_name("C:\\Users\\me\\shot.png") == "shot.png"
    assert safe_name("../../etc/shot.png") == "shot.png"


def test_the_page_captions_such_a_name_as_text(monkeypatch):
    for name in ("XAI_API_KEY", "XAI_BASE_URL", "XAI_MODEL"):
        monkeypatch.delenv(name, raising=False)
    at = open_page()
    upload(at, (NAME, png_bytes(), "image/png"))
    captions = [i.caption for image in at.get("image") for i in image.proto.imgs]
    assert any("report <script>alert(1)</script>.png" in c for c in captions), captions
