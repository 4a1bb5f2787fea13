"""Deep links: a fresh server whose first visitor opens /compare still runs app.py's navigation."""

import pytest

from tests.browser import (
    artifact_path,
    chromium_page,
    require_chromium,
    streamlit_server,
    wait_for_streamlit,
)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    "path,title", [("/compare", "Compare two screens"), ("/history", "History")]
)
def test_a_deep_link_as_first_request_gets_the_app_navigation(path, title):
    require_chromium()
    with streamlit_server("app.py", env={"XAI_API_KEY": ""}) as url, chromium_page() as session:
        page = session.page
        page.goto(url + path)
        wait_for_streamlit(page)
        page.get_by_role("heading", name=title).wait_for(timeout=30_000)
        page.screenshot(path=artifact_path(f"deep_link{path.replace('/', '_')}.png"))
        nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
        assert "Review" in nav and "Compare" in nav and "History" in nav
        assert "shared" not in nav and "app" not in nav.split()  # not the legacy file list
