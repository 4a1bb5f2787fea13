"""Share links and History in a real browser, across a server restart."""

import re

import pytest

from tests.browser import (
    artifact_path,
    chromium_page,
    require_chromium,
    streamlit_server,
    wait_for_streamlit,
)
from tests.imagegen import screenshot

pytestmark = pytest.mark.browser


def test_a_share_link_still_opens_after_a_restart_and_in_another_browser(tmp_path):
    require_chromium()
    shot = tmp_path / "settings.png"
    screenshot(1024, 640, text="Billing").save(shot)
    env = {"XAI_API_KEY": "", "UIREVIEW_DATA_DIR": str(tmp_path / "data")}
    with streamlit_server("app.py", env=env) as url, chromium_page() as session:
        page = session.page
        page.goto(url)
        wait_for_streamlit(page)
        page.locator("input[type=file]").first.set_input_files(str(shot))
        page.get_by_text("1 of 10 screenshots").wait_for(timeout=30_000)
        page.get_by_role("button", name="Run measured checks").click()
        page.get_by_text("Share this review").wait_for(timeout=60_000)
        wait_for_streamlit(page)
        link = re.search(
            r"http://127\.0\.0\.1:\d+/\?review=[A-Za-z0-9_\-]{22,}", page.content()
        ).group()
        findings_heading = page.get_by_role(
            "heading", name=re.compile(r"\d+ findings?")
        ).first.inner_text()

    review_id = link.split("review=")[1]
    with streamlit_server("app.py", env=env) as url2, chromium_page() as other:
        page = other.page
        page.goto(f"{url2}/?review={review_id}")
        wait_for_streamlit(page)
        page.get_by_text("Shared review · read-only").wait_for(timeout=30_000)
        # The banner is drawn before the findings column: wait for the heading, then count.
        heading = page.get_by_role("heading", name=findings_heading)
        heading.first.wait_for(timeout=30_000)
        assert heading.count() == 1
        page.screenshot(path=artifact_path("shared_review.png"), full_page=True)

        page.goto(f"{url2}/?review=not-a-real-id")
        wait_for_streamlit(page)
        page.get_by_text("Review not found").wait_for(timeout=30_000)

        page.goto(f"{url2}/history")
        wait_for_streamlit(page)
        page.get_by_role("link", name="Open").first.wait_for(timeout=30_000)
        assert review_id in page.get_by_role("link", name="Open").first.get_attribute("href")
        page.screenshot(path=artifact_path("history.png"), full_page=True)
        assert other.outside_requests == []
