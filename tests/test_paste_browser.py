"""Pasting a screenshot (Ctrl/Cmd+V) on Review and Compare, and an upload over the size limit."""

import base64

import numpy as np
import pytest
from PIL import Image

from tests.browser import chromium_page, require_chromium, streamlit_server, wait_for_streamlit
from tests.imagegen import png_bytes

pytestmark = pytest.mark.browser

# What a browser does on Ctrl+V with an image on the clipboard: a paste event whose
# clipboardData holds the image as a file named "image.png".
PASTE_JS = """(b64) => {
  const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
  const data = new DataTransfer();
  data.items.add(new File([bytes], 'image.png', {type: 'image/png'}));
  document.body.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true}));
}"""


def _paste(page, png: bytes) -> None:
    page.evaluate(PASTE_JS, base64.b64encode(png).decode())


def test_a_pasted_screenshot_joins_review_and_fills_compare_slots_in_turn(tmp_path):
    require_chromium()
    env = {"XAI_API_KEY": "", "UIREVIEW_DATA_DIR": str(tmp_path / "data")}
    with streamlit_server("app.py", env=env) as url, chromium_page() as session:
        page = session.page
        page.goto(url)
        wait_for_streamlit(page)
        page.get_by_text("paste a screenshot").wait_for(timeout=30_000)
        _paste(page, png_bytes(text="Revenue"))
        page.get_by_text("1 of 10 screenshots").wait_for(timeout=30_000)
        page.get_by_role("img", name="pasted-").wait_for(timeout=10_000)
        _paste(page, png_bytes(text="Refunds"))
        page.get_by_text("2 of 10 screenshots").wait_for(timeout=30_000)
        assert page.get_by_role("button", name="Run measured checks").is_enabled()

        page.goto(f"{url}/compare")
        wait_for_streamlit(page)
        page.get_by_text("paste a screenshot").wait_for(timeout=30_000)
        _paste(page, png_bytes(text="Before"))
        page.get_by_role("img", name="uploaded screenshot").first.wait_for(timeout=30_000)
        wait_for_streamlit(page)
        assert page.get_by_role("button", name="Compare pixels").is_disabled()
        _paste(page, png_bytes(text="After"))
        page.get_by_role("img", name="uploaded screenshot").nth(1).wait_for(timeout=30_000)
        wait_for_streamlit(page)
        assert page.get_by_role("button", name="Compare pixels").is_enabled()
        assert session.outside_requests == []


def test_an_upload_over_the_limit_says_so_in_a_sentence_next_to_it(tmp_path):
    require_chromium()
    big = tmp_path / "huge.png"
    noise = np.random.default_rng(7).integers(0, 256, (2700, 2700, 3), dtype=np.uint8)
    Image.fromarray(noise).save(big, compress_level=0)
    assert big.stat().st_size > 20 * 1024 * 1024
    env = {"XAI_API_KEY": "", "UIREVIEW_DATA_DIR": str(tmp_path / "data")}
    with streamlit_server("app.py", env=env) as url, chromium_page() as session:
        page = session.page
        page.goto(url)
        wait_for_streamlit(page)
        page.locator("input[type=file]").first.set_input_files(str(big))
        sentence = page.get_by_text("the limit is 20 MiB")
        sentence.wait_for(timeout=60_000)
        assert "huge.png" in sentence.inner_text()
        assert sentence.is_visible()  # on the page, not in a tooltip
        assert page.get_by_text("of 10 screenshots").count() == 0


def test_the_drop_zones_state_our_20_mib_limit_and_not_the_transport_limit(tmp_path):
    # Streamlit writes its transport limit ("200MB per file") inside each drop zone; a
    # designer would read it as the app's limit and then be refused at 20 MiB.
    require_chromium()
    env = {"XAI_API_KEY": "", "UIREVIEW_DATA_DIR": str(tmp_path / "data")}
    with streamlit_server("app.py", env=env) as url, chromium_page() as session:
        page = session.page
        for path in ("", "/compare"):
            page.goto(f"{url}{path}")
            wait_for_streamlit(page)
            page.get_by_text("paste a screenshot").wait_for(timeout=30_000)
            zones = page.locator("[data-testid=stFileUploaderDropzone]")
            assert zones.count() >= 1
            for i in range(zones.count()):
                assert "200MB" not in zones.nth(i).inner_text()
                assert zones.nth(i).is_visible()
            assert page.get_by_text("20 MiB each").first.is_visible()
            assert page.get_by_text("PNG, JPEG, WebP or still GIF").first.is_visible()
