"""The design loop walked in a real browser: version 1, the next version against it, a
dismissal, and a moved version that keeps it dismissed."""

import pytest

from tests.browser import (
    artifact_path,
    chromium_page,
    require_chromium,
    streamlit_server,
    wait_for_streamlit,
)
from tests.test_loop import NEW_PROBLEM, alone, page_png
from uireview import loop, pipeline
from uireview.images import load_image
from uireview.settings import Settings

pytestmark = pytest.mark.browser


def _number_of_new_problem() -> int:
    """Where the page will list the new problem in version 2 (same engine, same pixels)."""
    v2 = load_image(page_png(label="#222222", extra=NEW_PROBLEM), "home.png")
    base = loop.Baseline(alone(), [load_image(page_png(), "home.png").rgb])
    review = pipeline.review(
        [v2], "contrast", settings=Settings(api_key=None), use_model=False, baseline=base
    )
    return next(n for n, f in enumerate(review.findings, 1) if f.status == "new")


def _review(page, path, *, pick_preset: bool = False) -> None:
    for _ in range(page.get_by_role("button", name="Remove").count()):
        page.get_by_role("button", name="Remove").first.click()
        wait_for_streamlit(page)
    page.locator("input[type=file]").first.set_input_files(str(path))
    page.get_by_text("1 of 10 screenshots").wait_for(timeout=30_000)
    wait_for_streamlit(page)
    if pick_preset:  # kept for the next runs (pressing it again would unselect it)
        page.get_by_text("Contrast", exact=True).first.click()
        wait_for_streamlit(page)
    page.get_by_role("button", name="Run measured checks").click()
    page.get_by_text("Share this review").wait_for(timeout=90_000)
    wait_for_streamlit(page)


def test_the_loop_on_the_page(tmp_path):
    require_chromium()
    number = _number_of_new_problem()
    versions = {
        "v1": page_png(),
        "v2": page_png(label="#222222", extra=NEW_PROBLEM),
        "v3": page_png(label="#222222", extra=NEW_PROBLEM, banner=40),
    }
    paths = {}
    for name, data in versions.items():
        folder = tmp_path / name
        folder.mkdir()
        paths[name] = folder / "home.png"  # one file name: the same screen, next versions
        paths[name].write_bytes(data)
    env = {"XAI_API_KEY": "", "UIREVIEW_DATA_DIR": str(tmp_path / "data")}
    with (
        streamlit_server("app.py", env=env) as url,
        chromium_page(viewport=(1440, 1100)) as session,
    ):
        page = session.page
        page.goto(url)
        wait_for_streamlit(page)
        _review(page, paths["v1"], pick_preset=True)
        assert page.get_by_text("Against").count() == 0

        _review(page, paths["v2"])
        assert "Last review of this file: home.png" in page.content()
        summary = page.locator(".st-key-review_loop").inner_text()
        assert "1 new" in summary and "1 resolved" in summary, summary
        assert page.locator(".st-key-review_loop del, .st-key-review_loop s").count() >= 1

        card = page.locator(f".st-key-review_finding_{number}")
        assert "New" in card.inner_text()
        card.get_by_role("button", name="Dismiss").click()
        page.get_by_role("button", name="won't fix").click()
        wait_for_streamlit(page)
        page.get_by_text("Dismissed: won't fix").wait_for(timeout=30_000)
        page.screenshot(path=artifact_path("loop_v2.png"), full_page=True)

        _review(page, paths["v3"])
        summary = page.locator(".st-key-review_loop").inner_text()
        assert "0 new" in summary and "1 dismissed" in summary, summary
        page.get_by_text("1 dismissed earlier (not counted)").wait_for(timeout=10_000)
        page.screenshot(path=artifact_path("loop_v3.png"), full_page=True)
        assert session.outside_requests == []
