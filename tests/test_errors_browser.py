"""What a designer sees when things go wrong, in a real browser: a bad file, a refused key."""

import pytest

from tests.browser import (
    artifact_path,
    chromium_page,
    require_chromium,
    streamlit_server,
    wait_for_streamlit,
)
from tests.conftest import endpoint_env
from tests.fake_openai import StatusError
from tests.imagegen import png_bytes

pytestmark = pytest.mark.browser


def test_a_broken_file_and_a_refused_key_each_read_as_a_sentence(fake_openai, tmp_path):
    require_chromium()
    key = "xai-wrong-key-0123456789"
    fake_openai.default = StatusError(401, f"Incorrect API key provided: {key}")
    good, broken = tmp_path / "home.png", tmp_path / "broken.png"
    good.write_bytes(png_bytes())
    broken.write_bytes(png_bytes()[:700])
    env = endpoint_env(fake_openai, XAI_API_KEY=key)
    with streamlit_server("app.py", env=env) as url, chromium_page() as session:
        page = session.page
        page.goto(url)
        wait_for_streamlit(page)
        page.locator("input[type=file]").first.set_input_files([str(good), str(broken)])
        page.get_by_text("cut off or damaged").wait_for(timeout=30_000)
        page.get_by_text("1 of 10 screenshots").wait_for(timeout=30_000)
        page.get_by_role("button", name="Review with Grok").click()
        page.get_by_text("API key was refused").wait_for(timeout=60_000)
        wait_for_streamlit(page)
        assert page.get_by_role("button", name="Try again").count() == 1
        assert page.get_by_text("1 of 10 screenshots").count() == 1  # the good upload is kept
        page.screenshot(path=artifact_path("errors_bad_file_bad_key.png"), full_page=True)
        assert key not in page.content()
        assert "Traceback" not in page.content()
        assert session.outside_requests == []
