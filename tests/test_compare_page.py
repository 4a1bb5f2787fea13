"""The Compare page: AppTest for the flow, Chromium for the views (slider, regions, overlay)."""

import json
from pathlib import Path

import pytest
from PIL import ImageDraw
from streamlit.testing.v1 import AppTest

from tests.browser import (
    artifact_path,
    chromium_page,
    require_chromium,
    streamlit_server,
    wait_for_streamlit,
)
from tests.conftest import endpoint_env
from tests.fake_openai import Reply
from tests.imagegen import encode, screenshot

# The page itself: AppTest resets Streamlit's pages-folder flag on every run, so going through
# app.py here would rerun each click away (see components/navigation.py). Navigation has its
# own browser test.
PAGE = str(Path(__file__).resolve().parents[1] / "pages" / "compare.py")


def pair():
    before, after = screenshot(), screenshot()
    ImageDraw.Draw(after).rectangle((560, 300, 760, 360), fill="#dc2626")
    return before, after


def open_compare(monkeypatch) -> AppTest:
    monkeypatch.delenv("XAI_API_KEY", raising=False)
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    before, after = pair()
    at.file_uploader[0].set_value(("before.png", encode(before), "image/png")).run()
    at.file_uploader[1].set_value(("after.png", encode(after), "image/png")).run()
    next(b for b in at.button if b.label.startswith("Compare")).click().run()
    assert not at.exception
    return at


def test_a_changed_area_is_one_numbered_region_that_can_be_ignored(monkeypatch):
    at = open_compare(monkeypatch)
    assert [s.value for s in at.subheader if "finding" in s.value] == ["1 finding"]
    next(b for b in at.button if b.label == "Ignore this area").click().run()
    assert not at.exception
    assert at.session_state["compare_ignore"].startswith("560,300,")
    assert [s.value for s in at.subheader if "finding" in s.value] == ["0 findings"]


def test_a_typed_box_that_is_not_a_box_is_explained(monkeypatch):
    at = open_compare(monkeypatch)
    at.text_area(key="compare_ignore").input("10,20,30").run()
    assert any("four whole numbers" in w.value for w in at.warning)


@pytest.mark.browser
def test_the_compare_page_works_offline_in_chromium(fake_openai, tmp_path):
    require_chromium()
    fake_openai.default = Reply(
        json.dumps(
            {
                "findings": [
                    {
                        "title": "regression: red block over the cards",
                        "marks": ["1"],
                        "category": "regression",
                    }
                ]
            }
        )
    )
    before, after = pair()
    (tmp_path / "before.png").write_bytes(encode(before))
    (tmp_path / "after.png").write_bytes(encode(after))
    env = endpoint_env(fake_openai)
    with (
        streamlit_server("app.py", env=env) as url,
        chromium_page(viewport=(1440, 1000)) as session,
    ):
        page = session.page
        page.goto(f"{url}/compare")
        wait_for_streamlit(page)
        inputs = page.locator("input[type=file]")
        inputs.nth(0).set_input_files(str(tmp_path / "before.png"))
        wait_for_streamlit(page)
        page.locator("input[type=file]").nth(1).set_input_files(str(tmp_path / "after.png"))
        wait_for_streamlit(page)
        page.get_by_role("button", name="Compare with Grok").click()
        page.get_by_text("red block over the cards").locator("visible=true").first.wait_for(
            timeout=60_000
        )
        wait_for_streamlit(page)
        page.screenshot(path=artifact_path("compare_regions.png"), full_page=True)
        page.get_by_role("tab", name="Slider").click()
        handle = page.locator("[role=slider]").first
        handle.wait_for(timeout=30_000)
        start = float(handle.get_attribute("aria-valuenow"))
        handle.focus()
        for _ in range(5):
            page.keyboard.press("ArrowLeft")
        assert float(handle.get_attribute("aria-valuenow")) < start
        page.screenshot(path=artifact_path("compare_slider.png"), full_page=True)
        page.get_by_role("tab", name="Diff overlay").click()
        page.get_by_text("ink added").wait_for(timeout=30_000)
        page.screenshot(path=artifact_path("compare_overlay.png"), full_page=True)

        # Leave the changed area out: it is hatched, saved with the comparison, counts nowhere.
        page.get_by_role("button", name="Ignore this area").first.click()
        page.get_by_role("heading", name="0 findings").wait_for(timeout=60_000)
        wait_for_streamlit(page)
        page.get_by_role("tab", name="Changed regions").click()
        page.screenshot(path=artifact_path("compare_ignored.png"), full_page=True)
        assert page.get_by_text("0 px differ").count() >= 1
        assert session.outside_requests == []


def _removed_banner_pair():
    """Before has a banner under the header that the after image no longer has (same height)."""
    import numpy as np
    from PIL import Image

    plain = np.asarray(screenshot().convert("RGB"))
    banner = np.full((44, plain.shape[1], 3), (254, 243, 199), np.uint8)
    banner[15:25, 24:300] = (120, 53, 15)
    before = np.concatenate([plain[:60], banner, plain[60:-44]])
    return Image.fromarray(before), Image.fromarray(plain)


def _compare(monkeypatch, before, after) -> AppTest:
    monkeypatch.delenv("XAI_API_KEY", raising=False)
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    at.file_uploader[0].set_value(("before.png", encode(before), "image/png")).run()
    at.file_uploader[1].set_value(("after.png", encode(after), "image/png")).run()
    next(b for b in at.button if b.label.startswith("Compare")).click().run()
    assert not at.exception
    return at


def test_ignoring_a_region_of_the_before_image_keeps_it_in_the_before_frame(monkeypatch):
    at = _compare(monkeypatch, *_removed_banner_pair())
    review = at.session_state["compare_outcome"].review
    (deleted,) = [f for f in review.findings if f.rule == "diff.deleted"]
    assert deleted.image == 0 and deleted.box.y0 == 60 and deleted.box.y1 <= 104
    number = review.findings.index(deleted)
    at.button(key=f"compare_ignore_{number + 1}").click().run()
    assert not at.exception
    assert at.session_state["compare_ignore"] == f"before: {','.join(map(str, deleted.box))}"
    review = at.session_state["compare_outcome"].review
    assert not [f for f in review.findings if f.rule == "diff.deleted"]
    assert review.comparison.ignore_before == [deleted.box]


def test_the_fail_above_limit_shows_a_pass_or_fail_badge(monkeypatch):
    at = open_compare(monkeypatch)
    at.text_input(key="compare_limit").input("10").run()
    assert not at.exception
    badges = [m.value for m in at.markdown if "px differ" in m.value]
    assert badges and badges[0].startswith(":red-badge[") and "10 allowed" in badges[0]
    at.text_input(key="compare_limit").input("50%").run()
    badges = [m.value for m in at.markdown if "px differ" in m.value]
    assert badges and badges[0].startswith(":green-badge[") and "Pass" in badges[0]
    at.text_input(key="compare_limit").input("lots").run()
    assert any("not a limit" in w.value for w in at.warning)


def test_a_comparison_answered_from_saved_reviews_can_be_asked_again(monkeypatch, fake_openai):
    for name, value in endpoint_env(fake_openai).items():
        monkeypatch.setenv(name, value)
    fake_openai.default = Reply(json.dumps({"findings": [{"title": "red block", "marks": ["1"]}]}))
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    before, after = pair()
    at.file_uploader[0].set_value(("before.png", encode(before), "image/png")).run()
    at.file_uploader[1].set_value(("after.png", encode(after), "image/png")).run()

    def press(label: str) -> None:
        next(b for b in at.button if b.label == label).click().run()
        assert not at.exception

    press("Compare with Grok")
    press("Compare with Grok")  # the same request: the saved answer, no second call
    assert len(fake_openai.chat_requests) == 1
    assert at.session_state["compare_outcome"].review.cached
    assert any("$" in c.value or "tokens" in c.value for c in at.caption)  # what it cost
    press("Run again")
    assert len(fake_openai.chat_requests) == 2
    assert not at.session_state["compare_outcome"].review.cached


@pytest.mark.browser
def test_the_two_images_get_room_on_a_laptop_and_stay_beside_the_list_on_a_wide_screen(tmp_path):
    require_chromium()
    before, after = pair()
    (tmp_path / "before.png").write_bytes(encode(before))
    (tmp_path / "after.png").write_bytes(encode(after))
    env = {"XAI_API_KEY": "", "UIREVIEW_DATA_DIR": str(tmp_path / "data")}
    with streamlit_server("app.py", env=env) as url:
        for width, height in ((1280, 800), (1920, 1080)):
            with chromium_page(viewport=(width, height)) as session:
                page = session.page
                page.goto(f"{url}/compare")
                wait_for_streamlit(page)
                page.locator("input[type=file]").nth(0).set_input_files(
                    str(tmp_path / "before.png")
                )
                wait_for_streamlit(page)
                page.locator("input[type=file]").nth(1).set_input_files(str(tmp_path / "after.png"))
                wait_for_streamlit(page)
                page.get_by_role("button", name="Compare pixels").click()
                page.get_by_role("button", name="Show #1 on image").wait_for(timeout=90_000)
                wait_for_streamlit(page)
                page.screenshot(path=artifact_path(f"compare_layout_{width}.png"))
                stages = page.locator(".iv-stage").locator("visible=true")  # the regions tab
                assert stages.count() == 2
                left, right = stages.nth(0).bounding_box(), stages.nth(1).bounding_box()
                # Side by side, level, each wide enough to read a label (about 220 px before).
                assert abs(left["y"] - right["y"]) < 2 and right["x"] > left["x"] + left["width"]
                assert min(left["width"], right["width"]) >= 380, (width, left, right)
                listing = page.get_by_role("heading", name="1 finding").bounding_box()
                if width == 1280:  # the list goes below the images
                    assert listing["y"] > left["y"] + left["height"]
                else:  # the list stays beside them
                    assert listing["x"] > right["x"] + right["width"]
                    assert listing["y"] < left["y"] + left["height"]
                # Show still brings the regions into view, wherever the list is.
                show = page.get_by_role("button", name="Show #1 on image")
                show.scroll_into_view_if_needed()
                show.click()
                wait_for_streamlit(page)
                page.get_by_role("button", name="Showing on image · clear").wait_for()
                page.wait_for_timeout(500)
                box = stages.nth(1).bounding_box()
                assert box["y"] >= 0 and box["y"] + box["height"] <= height
                # After all those reruns one press of + is still one step (it once stacked).
                page.get_by_role("button", name="Showing on image · clear").click()
                wait_for_streamlit(page)
                level = page.locator(".iv-level").locator("visible=true").first
                page.wait_for_timeout(500)  # the viewer redraws after the rerun
                assert level.inner_text() == "100%"
                page.get_by_role("button", name="Zoom in").locator("visible=true").first.click()
                assert level.inner_text() == "150%"
                # The after image follows the before image's zoom and pan, so the same
                # part of both screens stays side by side.
                levels = page.locator(".iv-level").locator("visible=true")
                assert levels.nth(1).inner_text() == "150%"
                canvases = page.locator(".iv-canvas").locator("visible=true")
                moved = canvases.nth(1).evaluate("e => e.style.transform")
                stages.nth(0).focus()
                page.keyboard.press("ArrowRight")
                assert canvases.nth(1).evaluate("e => e.style.transform") != moved
                page.get_by_role("button", name="Fit").locator("visible=true").nth(1).click()
                assert level.inner_text() == "100%"
                assert session.outside_requests == []
