"""The before/after slider: PNG encoding (fast) and the real component in Chromium (browser)."""

from __future__ import annotations

import base64
import io
import re

import numpy as np
import pytest
from PIL import Image

from components.image_comparison import (
    ImageComparisonError,
    PngImage,
    size_caption,
    to_png,
)
from tests.browser import (
    artifact_path,
    chromium_page,
    require_chromium,
    streamlit_server,
    wait_for_streamlit,
)

PNG_PREFIX = "data:image/png;base64,"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def decode(uri: str) -> tuple[bytes, Image.Image]:
    assert uri.startswith(PNG_PREFIX)
    raw = base64.b64decode(uri[len(PNG_PREFIX) :])
    return raw, Image.open(io.BytesIO(raw))


def rgba_with_alpha() -> Image.Image:
    """Opaque red left half, half-transparent green right half, one fully clear pixel."""
    img = Image.new("RGBA", (8, 6), (255, 0, 0, 255))
    img.paste((0, 200, 0, 128), (4, 0, 8, 6))
    img.putpixel((0, 0), (12, 34, 56, 0))
    return img


# --- encoding (no browser) -----------------------------------------------------------------


def test_rgba_pil_image_becomes_png_data_uri_with_every_pixel_and_alpha_kept():
    source = rgba_with_alpha()
    encoded = to_png(source)
    raw, decoded = decode(encoded.data_uri)
    assert raw.startswith(PNG_MAGIC)
    assert decoded.format == "PNG" and decoded.mode == "RGBA"
    assert (encoded.width, encoded.height) == (8, 6)
    assert np.array_equal(np.asarray(decoded), np.asarray(source))


def test_rgba_numpy_array_keeps_its_alpha_channel():
    array = np.asarray(rgba_with_alpha())
    _, decoded = decode(to_png(array).data_uri)
    assert decoded.mode == "RGBA"
    assert np.array_equal(np.asarray(decoded), array)


def test_float_and_bool_arrays_are_scaled_to_0_255():
    gray = np.array([[0.0, 0.5, 1.0, 7.0]])
    _, decoded = decode(to_png(gray).data_uri)
    assert np.asarray(decoded).tolist() == [[0, 128, 255, 255]]
    _, decoded = decode(to_png(np.array([[True, False]])).data_uri)
    assert np.asarray(decoded).tolist() == [[255, 0]]


def test_png_bytes_and_files_are_sent_byte_for_byte(tmp_path):
    buffer = io.BytesIO()
    rgba_with_alpha().save(buffer, format="PNG")
    png = buffer.getvalue()
    assert decode(to_png(png).data_uri)[0] == png
    path = tmp_path / "shot.png"
    path.write_bytes(png)
    assert decode(to_png(path).data_uri)[0] == png
    assert decode(to_png(str(path)).data_uri)[0] == png


def test_jpeg_input_is_re_encoded_as_png_not_jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (10, 4), (10, 120, 240)).save(buffer, format="JPEG", quality=95)
    raw, decoded = decode(to_png(buffer.getvalue()).data_uri)
    assert raw.startswith(PNG_MAGIC) and decoded.format == "PNG"
    assert decoded.size == (10, 4)


def test_palette_image_with_transparency_keeps_its_clear_pixels():
    img = Image.new("P", (4, 1))
    img.putpalette([0, 0, 0, 255, 255, 255] + [0] * 762)
    img.putpixel((1, 0), 1)
    img.info["transparency"] = 0
    _, decoded = decode(to_png(img).data_uri)
    alpha = np.asarray(decoded.convert("RGBA"))[0, :, 3]
    assert alpha.tolist() == [0, 255, 0, 0]


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (b"not an image", "Could not read the image bytes"),
        ("https://example.com/a.png", "local images only"),
        ("/no/such/file.png", "check the path"),
        (np.zeros((2, 2), dtype=np.int32), "uint8, bool or float"),
        (np.zeros((2, 2, 2), dtype=np.uint8), "H x W x 4"),
        (12, "cannot show a int"),
    ],
)
def test_unusable_inputs_raise_a_sentence_saying_what_to_pass(bad, message):
    with pytest.raises(ImageComparisonError, match=re.escape(message)):
        to_png(bad)


def test_caption_names_both_sizes_only_when_they_differ():
    a, b = PngImage("", 480, 300), PngImage("", 320, 240)
    assert size_caption(a, PngImage("", 480, 300), "Before", "After") == ""
    caption = size_caption(a, b, "Old", "New")
    assert "Old is 480×300 px" in caption and "New is 320×240 px" in caption
    assert "scaled to fit" in caption


# --- the component in Chromium -------------------------------------------------------------

# Must match tests/apps/slider_demo.py.
HOSTILE_LABEL = "</script><img src=x onerror=alert(1)>"
BEFORE_BG = (214, 228, 255)
AFTER_BG = (255, 224, 196)
# A row of the demo images that is plain background in both (below the cards, above the
# button, outside the after image's transparent band), as a fraction of the image height.
PLAIN_ROW = 220 / 300
SAME = ".st-key-same_size"


@pytest.fixture(scope="module")
def app_url():
    require_chromium()
    with streamlit_server("tests/apps/slider_demo.py") as url:
        yield url


@pytest.fixture
def session(app_url):
    with chromium_page() as session:
        session.page.goto(app_url)
        wait_for_streamlit(session.page)
        session.page.locator(f"{SAME} .uic-img-after").wait_for()
        yield session


def after_fraction(session) -> float:
    """Share of the plain row's pixels that show the after image, read from a screenshot."""
    shot = Image.open(io.BytesIO(session.page.locator(f"{SAME} .uic-stage").screenshot()))
    row = np.asarray(shot.convert("RGB"))[int(shot.height * PLAIN_ROW)].astype(int)
    to_before = np.abs(row - BEFORE_BG).sum(axis=1)
    to_after = np.abs(row - AFTER_BG).sum(axis=1)
    # Only pixels that clearly are one background count (the 2 px divider is neither).
    before, after = (to_before < 12).sum(), (to_after < 12).sum()
    assert before + after >= 0.95 * len(row), "the row should be plain background"
    return after / (before + after)


def valuenow(session) -> float:
    return float(session.page.locator(f"{SAME} .uic-handle").get_attribute("aria-valuenow"))


@pytest.mark.browser
def test_slider_shows_both_images_as_png_and_starts_at_the_given_position(session):
    page = session.page
    in_shadow = page.locator(f"{SAME} [data-testid='stBidiComponentIsolated']").evaluate(
        "host => !!host.shadowRoot && !!host.shadowRoot.querySelector('.uic-stage')"
    )
    assert in_shadow, "v2 renders the component into an open shadow root"
    for side in ("before", "after"):
        img = page.locator(f"{SAME} .uic-img-{side}")
        assert img.get_attribute("src").startswith(PNG_PREFIX)
        size = img.evaluate("i => i.complete ? [i.naturalWidth, i.naturalHeight] : null")
        assert size == [480, 300]
    assert valuenow(session) == 30
    assert after_fraction(session) == pytest.approx(0.70, abs=0.02)
    page.locator(SAME).screenshot(path=artifact_path("image_comparison_start.png"))
    assert session.outside_requests == []


@pytest.mark.browser
def test_dragging_the_handle_moves_the_divider_and_hides_more_of_after(session):
    page = session.page
    stage = page.locator(f"{SAME} .uic-stage").bounding_box()
    handle = page.locator(f"{SAME} .uic-handle").bounding_box()
    page.mouse.move(handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
    page.mouse.down()
    page.mouse.move(stage["x"] + 0.8 * stage["width"], stage["y"] + stage["height"] / 2, steps=8)
    page.mouse.up()
    assert valuenow(session) == pytest.approx(80, abs=1)
    assert after_fraction(session) == pytest.approx(0.20, abs=0.02)
    clip = page.locator(f"{SAME} .uic-layer-after").evaluate("e => getComputedStyle(e).clipPath")
    assert re.search(r"inset\(0px 0px 0px (79|80|81)(\.\d+)?%\)", clip), clip
    page.locator(SAME).screenshot(path=artifact_path("image_comparison_dragged.png"))
    # Moving the divider is local: it must not rerun the script.
    assert page.locator("[data-testid='stApp']").get_attribute("data-test-script-state") == (
        "notRunning"
    )


@pytest.mark.browser
def test_arrow_keys_move_the_focused_handle(session):
    page = session.page
    handle = page.locator(f"{SAME} .uic-handle")
    assert handle.get_attribute("role") == "slider"
    handle.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    assert valuenow(session) == 35
    page.keyboard.press("Shift+ArrowLeft")
    assert valuenow(session) == 25
    assert after_fraction(session) == pytest.approx(0.75, abs=0.02)
    page.keyboard.press("End")
    assert valuenow(session) == 100
    assert after_fraction(session) == 0
    page.keyboard.press("Home")
    assert valuenow(session) == 0
    assert after_fraction(session) == 1


@pytest.mark.browser
def test_new_images_under_the_same_key_update_in_place_and_keep_the_divider(session):
    page = session.page
    handle = page.locator(f"{SAME} .uic-handle")
    handle.focus()
    for _ in range(10):
        page.keyboard.press("ArrowRight")
    assert valuenow(session) == 40
    assert after_fraction(session) == pytest.approx(0.60, abs=0.02)
    before_img = page.locator(f"{SAME} .uic-img-before")
    old_src = before_img.get_attribute("src")
    page.get_by_text("Swap images").click()
    wait_for_streamlit(page)
    before_img.evaluate(
        "(img, old) => new Promise((done) => { const check = () =>"
        " img.getAttribute('src') !== old && img.complete ? done() : setTimeout(check, 50);"
        " check(); })",
        old_src,
    )
    # Swapped: the orange page is now on the left of the divider, which stayed at 40 %.
    assert valuenow(session) == 40
    assert after_fraction(session) == pytest.approx(0.40, abs=0.02)
    # The updated slider still answers the keyboard (listeners were re-bound, not lost).
    handle.focus()
    page.keyboard.press("ArrowRight")
    assert valuenow(session) == 41


@pytest.mark.browser
def test_hostile_label_is_shown_as_text_and_never_runs(session):
    page = session.page
    label = page.locator(f"{SAME} .uic-label-before")
    assert label.text_content() == HOSTILE_LABEL
    assert label.evaluate("e => e.children.length") == 0
    assert page.locator(f"{SAME} .uic-stage img").count() == 2
    assert page.locator(f"{SAME} .uic-img-before").get_attribute("alt") == HOSTILE_LABEL
    page.wait_for_timeout(300)  # an onerror would have fired by now
    assert session.dialogs == []
    assert not any(url.endswith("/x") for url in session.requests)


@pytest.mark.browser
def test_different_sizes_are_letterboxed_and_the_caption_says_so(session):
    page = session.page
    other = page.locator(".st-key-different_size")
    caption = other.locator(".uic-caption")
    assert caption.is_visible()
    assert "Before is 480×300 px and After is 320×240 px" in caption.text_content()
    assert page.locator(f"{SAME} .uic-caption").is_hidden()
    stage = other.locator(".uic-stage").bounding_box()
    after = other.locator(".uic-img-after").bounding_box()
    # 320x240 (4:3) fitted into a 16:10 box: full height, narrower, centred.
    assert after["height"] == pytest.approx(stage["height"], abs=1)
    assert after["width"] == pytest.approx(stage["height"] * 4 / 3, abs=1)
    assert after["x"] - stage["x"] == pytest.approx((stage["width"] - after["width"]) / 2, abs=1)
    page.screenshot(path=artifact_path("image_comparison_page.png"), full_page=True)


@pytest.mark.browser
def test_the_page_makes_no_request_outside_loopback(session):
    page = session.page
    handle = page.locator(f"{SAME} .uic-handle")
    handle.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(300)
    assert session.requests, "the recorder should have seen the app's own requests"
    assert session.outside_requests == []
    assert session.console_errors == []


@pytest.mark.browser
def test_the_recorder_catches_and_blocks_a_request_to_another_host(session):
    # Guards the assertion above: an outside fetch must land in outside_requests.
    outcome = session.page.evaluate(
        "() => fetch('https://example.com/probe.png').then(() => 'loaded', () => 'blocked')"
    )
    assert outcome == "blocked"
    assert session.outside_requests == ["https://example.com/probe.png"]


@pytest.mark.browser
def test_slider_shrinks_with_a_narrow_window_and_keeps_its_proportions(session):
    page = session.page
    page.set_viewport_size({"width": 360, "height": 800})
    wait_for_streamlit(page)
    stage = page.locator(f"{SAME} .uic-stage").bounding_box()
    assert stage["width"] < 360
    assert stage["height"] == pytest.approx(stage["width"] * 300 / 480, abs=1)
    assert after_fraction(session) == pytest.approx(0.70, abs=0.03)
    page.screenshot(path=artifact_path("image_comparison_narrow.png"))


# --- the helper's CI rule (no browser) -----------------------------------------------------


def test_missing_chromium_fails_under_ci_and_skips_otherwise(monkeypatch):
    import tests.browser as browser

    monkeypatch.setattr(browser, "CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="/nonexistent/chromium is missing"):
        browser.require_chromium()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="/nonexistent/chromium is missing"):
        browser.require_chromium()
