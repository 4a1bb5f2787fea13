"""The Review page in a real browser: the app started as a user would, driven in Chromium."""

import json

import pytest
from PIL import Image

from tests.browser import (
    artifact_path,
    chromium_page,
    require_chromium,
    streamlit_server,
    wait_for_streamlit,
)
from tests.conftest import TEST_KEY, endpoint_env
from tests.fake_openai import Reply
from tests.imagegen import screenshot

pytestmark = pytest.mark.browser

REPLY = {
    "findings": [
        {
            "title": "Upgrade button reads as secondary",
            "severity": "major",
            "category": "hierarchy",
            "marks": ["1"],
            "evidence": "the outlined 'Upgrade' button",
            "detail": "The page's main action looks optional.",
            "suggestion": "Make Upgrade the filled primary button.",
        }
    ]
}


def test_a_screenshot_reviewed_against_the_endpoint_shows_numbered_findings(fake_openai, tmp_path):
    require_chromium()
    fake_openai.default = Reply(json.dumps(REPLY), chunks=8, chunk_delay=0.05)
    shot = tmp_path / "dashboard.png"
    screenshot(1280, 720, text="Revenue").save(shot)
    env = endpoint_env(fake_openai)
    with (
        streamlit_server("app.py", env=env) as url,
        chromium_page(viewport=(1440, 1000)) as session,
    ):
        page = session.page
        page.goto(url)
        wait_for_streamlit(page)
        page.locator("input[type=file]").first.set_input_files(str(shot))
        page.get_by_text("1 of 10 screenshots").wait_for(timeout=30_000)
        page.get_by_role("button", name="Review with Grok").click()
        page.get_by_text("Upgrade button reads as secondary").locator(
            "visible=true"
        ).first.wait_for(timeout=60_000)
        wait_for_streamlit(page)
        page.get_by_role("button", name="Show #").first.click()
        wait_for_streamlit(page)
        page.screenshot(path=artifact_path("review_page.png"), full_page=True)
        html = page.content()
        assert "Make Upgrade the filled primary button." in html
        assert page.get_by_text("showing #").count() >= 1
        assert TEST_KEY not in html
        # Exports are built when their button is pressed.
        with page.expect_download() as md:
            page.get_by_role("button", name="Markdown checklist").click()
        assert "Upgrade button reads as secondary" in open(md.value.path(), encoding="utf-8").read()
        with page.expect_download() as png:
            page.get_by_role("button", name="Annotated PNG").click()
        assert Image.open(png.value.path()).width >= 1280
        assert session.outside_requests == []
    body = fake_openai.chat_requests[-1].body
    assert body["messages"][1]["content"][-1]["image_url"]["url"].startswith(
        "data:image/png;base64,"
    )
