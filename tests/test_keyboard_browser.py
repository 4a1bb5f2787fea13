"""The Review page with the keyboard alone: upload, preset, Review, Show, zoom, export, share."""

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser import chromium_page, require_chromium, streamlit_server, wait_for_streamlit
from tests.faded import faded_labels

pytestmark = pytest.mark.browser

# The focused element's accessible-ish name, looking through shadow roots (custom components).
_FOCUSED = """() => {
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  // Only controls: the main region's whole text would match anything.
  if (!el || ['BODY', 'MAIN'].includes(el.tagName)) return '';
  return (el.getAttribute('aria-label') || el.innerText || el.getAttribute('title') || '')
    .replace(/\\s+/g, ' ').trim();
}"""


def tab_to(page, text: str, limit: int = 250) -> str:
    """Press Tab until the focused control's name contains ``text``; return that name."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        name = page.evaluate(_FOCUSED)
        if text.lower() in name.lower():
            return name
    raise AssertionError(f"Tab never reached a control named like {text!r}")


def test_a_review_can_be_run_read_and_exported_with_the_keyboard_alone(tmp_path):
    require_chromium()
    shot = tmp_path / "faded_labels.png"
    faded_labels(8).save(shot)
    env = {"XAI_API_KEY": "", "UIREVIEW_DATA_DIR": str(tmp_path / "data")}
    with streamlit_server("app.py", env=env) as url, chromium_page(viewport=(1440, 900)) as s:
        page = s.page
        page.goto(url)
        wait_for_streamlit(page)
        chooser = None
        for _ in range(2):  # on a loaded machine a late rerun can take the first Enter
            tab_to(page, "Upload")
            try:
                with page.expect_file_chooser(timeout=15_000) as opened:
                    page.keyboard.press("Enter")
                chooser = opened.value
                break
            except PlaywrightTimeout:
                wait_for_streamlit(page)
        assert chooser is not None, "Enter on Upload opened no file chooser"
        chooser.set_files(str(shot))
        page.get_by_text("1 of 10 screenshots").wait_for(timeout=30_000)
        wait_for_streamlit(page)

        tab_to(page, "Spacing")  # the first preset; arrows move between presets
        page.keyboard.press("ArrowRight")
        if page.get_by_role("radio", name="Contrast").get_attribute("aria-checked") != "true":
            page.keyboard.press("Space")  # arrows moved focus only
        wait_for_streamlit(page)
        checked = page.get_by_role("radio", name="Contrast")
        assert checked.get_attribute("aria-checked") == "true"

        tab_to(page, "Run measured checks")
        page.keyboard.press("Enter")
        page.get_by_role("button", name="Show #1 on image").wait_for(timeout=90_000)
        wait_for_streamlit(page)

        tab_to(page, "Show #2 on image")
        page.keyboard.press("Enter")
        wait_for_streamlit(page)
        page.get_by_text("showing #2").wait_for(timeout=10_000)

        # The viewer zooms from the keyboard too.
        page.locator(".iv-stage").focus()
        level = page.locator(".iv-level").inner_text()
        page.keyboard.press("+")
        assert page.locator(".iv-level").inner_text() != level
        page.keyboard.press("0")
        assert page.locator(".iv-level").inner_text() == "100%"

        tab_to(page, "Markdown checklist")
        with page.expect_download() as md:
            page.keyboard.press("Enter")
        assert "contrast" in open(md.value.path(), encoding="utf-8").read().lower()

        # The share link's copy button takes focus and copies the link.
        s.context.grant_permissions(["clipboard-read", "clipboard-write"])
        tab_to(page, "Copy to clipboard")
        page.keyboard.press("Enter")
        copied = page.evaluate("() => navigator.clipboard.readText()")
        assert "?review=" in copied
        assert s.outside_requests == []
