"""The folder diff's index.html in Chromium, opened from disk: offline, policy-clean, usable."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from tests.browser import artifact_path, launch_chromium, require_chromium
from uireview.cli.main import main


def _page(label: str, banner: int = 0) -> Image.Image:
    im = Image.new("RGB", (480, 300), (245, 247, 250))
    d = ImageDraw.Draw(im)
    d.rectangle([0, 0, 80, 300], fill=(30, 41, 59))
    d.rectangle([80, banner, 480, banner + 40], fill=(255, 255, 255))
    d.text((100, banner + 80), label, fill=(15, 23, 42), font_size=24)
    return im


@pytest.mark.browser
def test_report_opens_offline_with_images_regions_slider_and_filter(tmp_path: Path, capsys):
    require_chromium()
    before, after = tmp_path / "before", tmp_path / "after"
    for root in (before, after):
        (root / "nested").mkdir(parents=True)
    _page("Total 1,284").save(before / "nested" / "home.png")
    _page("Total 1,312", banner=30).save(after / "nested" / "home.png")
    _page("Same").save(before / "same.png")
    _page("Same").save(after / "same.png")
    _page("New page").save(after / "new page #1.png")
    out = tmp_path / "report"
    assert main(["diff", str(before), str(after), "--report", str(out), "--jobs", "1"]) == 0

    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        requests: list[str] = []
        problems: list[str] = []
        # every request is recorded; anything but the report's own files is refused
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
            "file://") else route.abort("blockedbyclient"))  # fmt: skip
        page.on("request", lambda r: requests.append(r.url))
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.goto((out / "index.html").as_uri())
        page.wait_for_load_state("load", timeout=60_000)
        # The report's images are lazy, so the load event does not wait for those below the
        # fold: ask each shown image to load now and wait until it has decoded (decode()
        # rejects on a broken image, which fails the test). Not wait_for_function: when it
        # has to poll, Playwright evaluates a string, which the report's strict CSP refuses.
        loaded = page.eval_on_selector_all(
            "img",
            """els => Promise.all(els.filter(e => e.offsetParent).map(e => {
                e.loading = "eager";
                return e.decode().then(() => e.naturalWidth);
            }))""",
        )
        assert loaded and all(w > 0 for w in loaded)
        # no CSP violation (Chromium logs one as a console error), nothing from elsewhere
        assert problems == []
        assert requests and all(u.startswith("file://") for u in requests)

        # regions are numbered boxes placed inside the after image
        boxes = page.locator(".pair.changed .frame:not(.overlay) .box")
        assert boxes.count() >= 2 and boxes.first.inner_text() == "1"
        assert boxes.first.evaluate("e => e.style.left.endsWith('%')")

        # the slider uncovers the after image as it moves
        slider = page.locator(".slider input").first
        slider.fill("20")
        clip = page.locator(".slider .top").first.evaluate("e => e.style.clipPath")
        assert "20%" in clip

        # unchanged pairs are hidden until "changed only" is unticked
        same = page.locator(".pair.unchanged")
        assert same.count() == 1 and not same.is_visible()
        page.locator("#only-changed").uncheck()
        assert same.is_visible()
        page.screenshot(path=artifact_path("batch_report.png"), full_page=True)
        browser.close()
