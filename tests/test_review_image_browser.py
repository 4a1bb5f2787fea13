"""The annotated image beside a long list, in a real browser: Show brings the mark into view."""

import json

import pytest

from tests.browser import (
    artifact_path,
    chromium_page,
    require_chromium,
    streamlit_server,
    wait_for_streamlit,
)
from tests.conftest import endpoint_env
from tests.faded import faded_labels
from tests.fake_openai import Reply

pytestmark = pytest.mark.browser

VIEWPORT = (1440, 900)


def _in_viewport(locator) -> bool:
    box = locator.bounding_box()
    return (
        box is not None
        and box["y"] >= 0
        and box["y"] + box["height"] <= VIEWPORT[1]
        and box["width"] > 100
    )


def _review(page, url, files, button="Run measured checks", preset="Contrast") -> None:
    page.goto(url)
    wait_for_streamlit(page)
    page.locator("input[type=file]").first.set_input_files([str(f) for f in files])
    page.get_by_text(f"{len(files)} of 10 screenshots").wait_for(timeout=30_000)
    page.get_by_role("radio", name=preset, exact=True).click()
    wait_for_streamlit(page)
    page.get_by_role("button", name=button).click()
    page.get_by_role("button", name="Show #1 on image").wait_for(timeout=90_000)
    wait_for_streamlit(page)


def _model_answer(count: int = 8) -> str:
    """A model answer with ``count`` findings (the most a review keeps), one per mark."""
    return json.dumps(
        {
            "findings": [
                {
                    "title": f"Card {i + 1} reads as decoration",
                    "severity": ("critical", "major", "minor")[i % 3],
                    "category": ("hierarchy", "wording")[i % 2],
                    "marks": [str(i + 1)],
                    "detail": "Its label is too faint to find.",
                    "suggestion": "Give it the weight of its siblings.",
                }
                for i in range(count)
            ]
        }
    )


def test_the_last_show_on_a_long_list_keeps_the_image_in_view(fake_openai, tmp_path):
    require_chromium()
    # Faded labels (measured findings) and the model's own findings: a long list.
    shot = tmp_path / "faded_labels.png"
    faded_labels(16).save(shot)
    fake_openai.default = Reply(_model_answer())
    env = {**endpoint_env(fake_openai), "UIREVIEW_DATA_DIR": str(tmp_path / "data")}
    with (
        streamlit_server("app.py", env=env) as url,
        chromium_page(viewport=VIEWPORT) as session,
    ):
        page = session.page
        _review(page, url, [shot], button="Review with Grok", preset="General")
        assert page.get_by_role("img", name="faded_labels.png, annotated with").count() == 1
        viewer = page.locator(".iv-stage")
        # The review scrolled the page down to its results.
        assert _in_viewport(viewer)
        buttons = page.get_by_role("button", name="on image")
        count = buttons.count()
        assert count >= 14, f"a long list was expected, got {count} findings"
        last = buttons.nth(count - 1)
        number = last.inner_text().split("#")[1].split()[0]
        last.scroll_into_view_if_needed()
        last.click()
        wait_for_streamlit(page)
        page.get_by_text(f"showing #{number}").wait_for(timeout=10_000)
        page.screenshot(path=artifact_path("review_last_show.png"))
        # The list was scrolled to its end, and the image is still wholly on screen.
        assert page.get_by_role("button", name="Showing on image · clear").is_visible()
        assert _in_viewport(viewer)
        # The viewer zoomed in on the mark.
        assert page.locator(".iv-level").inner_text() != "100%"
        assert session.outside_requests == []


def test_show_on_a_finding_of_the_second_image_opens_that_image(tmp_path):
    require_chromium()
    first, second = tmp_path / "home.png", tmp_path / "billing.png"
    faded_labels(4).save(first)
    faded_labels(12, width=1200, height=760).save(second)
    env = {"XAI_API_KEY": "", "UIREVIEW_DATA_DIR": str(tmp_path / "data")}
    with (
        streamlit_server("app.py", env=env) as url,
        chromium_page(viewport=VIEWPORT) as session,
    ):
        page = session.page
        _review(page, url, [first, second])
        assert page.get_by_role("img", name="home.png, annotated with").is_visible()
        card = page.locator("[class*='st-key-review_finding_']").filter(has_text="image 2").last
        show = card.get_by_role("button", name="on image")
        number = show.inner_text().split("#")[1].split()[0]
        show.scroll_into_view_if_needed()
        show.click()
        wait_for_streamlit(page)
        page.get_by_text(f"showing #{number}").wait_for(timeout=10_000)
        page.screenshot(path=artifact_path("review_second_image_show.png"))
        assert page.get_by_role("tab", name="2. billing.png").get_attribute("aria-selected") == (
            "true"
        )
        assert page.get_by_role("img", name="billing.png, annotated with").is_visible()
        assert _in_viewport(page.locator(".iv-stage"))
        assert page.get_by_role("img", name="home.png, annotated with").count() == 0
        assert session.outside_requests == []
