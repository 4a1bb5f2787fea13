"""Exports of a review: Markdown checklist, JSON, annotated PNG with legend, offline HTML."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.imagegen import encode, screenshot
from uireview import export
from uireview.annotate import SEVERITY_COLOUR
from uireview.findings import Box, Finding, ImageInfo, Review, Usage

ROOT = Path(__file__).resolve().parents[1]
EVIL_TITLE = "<script>alert(1)</script> ![x](http://evil/) primary action is missing"
# Every inline Markdown construct we know of, in one string.
NASTY = (
    "![x](http://evil/) [click](http://evil/) <script>alert(1)</script> <img src=x> "
    "**bold** _em_ `code` ~~gone~~ $x^2$ &lt; &#60; | a | b | \\ http://evil.example "
    "www.evil.example <http://evil/>"
)


def info(name: str, data: bytes) -> ImageInfo:
    with Image.open(io.BytesIO(data)) as im:
        w, h = im.size
    return ImageInfo(
        name=name,
        width=w,
        height=h,
        mime="image/png",
        sha256=hashlib.sha256(data).hexdigest(),
        bytes=len(data),
    )


def sample(*, title: str = EVIL_TITLE, dark_width: int = 600) -> tuple[Review, list[bytes]]:
    """Two screenshots (800x500 light, dark_width x 400 dark) and one finding per severity."""
    light = encode(screenshot(800, 500))
    dark = encode(screenshot(dark_width, 400, theme="dark"))
    review = Review(
        preset="general",
        model="grok-test-vision",
        created_at="2025-06-01T14:03:00+00:00",
        id="abcdefghijklmnopqrstuv",
        images=[info("dashboard.png", light), info("dark.png", dark)],
        findings=[
            Finding(
                source="measured",
                category="contrast",
                severity="major",
                title="Card label is faint: 2.9:1 on white",
                evidence="ratio 2.9:1, needs 4.5:1",
                suggestion="Darken the label to #4b5563 or darker.",
                box=Box(40, 100, 250, 130),
                rule="contrast.aa",
            ),
            Finding(
                source="measured",
                category="spacing",
                severity="minor",
                title="Uneven gap between cards 2 and 3",
                evidence="gaps 24 px and 31 px",
                box=Box(280, 88, 540, 248),
            ),
            Finding(
                source="model",
                category="hierarchy",
                severity="critical",
                title=title,
                detail="No button says what to do next.",
                suggestion="Add one primary button in the header.",
            ),
            Finding(
                source="model",
                category="typography",
                severity="info",
                title="Numbers could use tabular figures",
                image=1,
                box=Box(100, 120, 300, 200),
            ),
        ],
    )
    return review, [light, dark]


def md_unescape(text: str) -> str:
    """What a reader sees: escapes resolved, the invisible autolink breakers gone."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text).replace("\u200b", "")


# --- Markdown -----------------------------------------------------------------------------


def test_markdown_is_a_numbered_checklist_under_a_header():
    review, _ = sample(title="Primary action is missing")
    md = export.to_markdown(review)
    assert md.startswith("# UI review: general\n")
    assert "- **Date:** 2025-06-01 14:03 UTC" in md
    assert "- **Images:** dashboard.png (800×500), dark.png (600×400)" in md
    assert "- **Model:** grok-test-vision" in md
    assert "- **Findings:** 4 (1 critical, 1 major, 1 minor, 1 info)" in md
    items = [line for line in md.splitlines() if line.startswith("- [ ] ")]
    assert items == [
        "- [ ] **1. Card label is faint: 2.9:1 on white** (major, contrast, measured, image 1)"
        " — ratio 2.9:1, needs 4.5:1. Fix: Darken the label to #4b5563 or darker.",
        "- [ ] **2. Uneven gap between cards 2 and 3** (minor, spacing, measured, image 1)"
        " — gaps 24 px and 31 px.",
        "- [ ] **3. Primary action is missing** (critical, hierarchy, model, image 1, whole screen)"
        " — No button says what to do next. Fix: Add one primary button in the header.",
        "- [ ] **4. Numbers could use tabular figures** (info, typography, model, image 2)",
    ]


def test_markdown_without_findings_or_model_says_so():
    review = Review(preset="contrast")
    md = export.to_markdown(review)
    assert "No findings." in md and "- [ ]" not in md
    assert "- **Model:** none (measured checks only)" in md
    assert "- **Date:** not saved" in md


def test_model_text_in_markdown_stays_inert_text():
    review, _ = sample(title=NASTY)
    review.findings[2].detail = NASTY
    review.note = NASTY
    review.images[0].name = "<b>evil</b>](http://x).png"
    md = export.to_markdown(review)
    item = next(line for line in md.splitlines() if line.startswith("- [ ] **3. "))
    title = item[len("- [ ] **3. ") : item.index("** (critical")]
    # Every character that could open a link, image, tag, entity, emphasis, code, table,
    # strikethrough or math span is backslash-escaped...
    assert re.search(r"(?<!\\)[<>\[\]()!`*_&|~$]", title.replace("\\\\", "")) is None
    assert "\\!\\[x\\]\\(http:\u200b//evil/\\)" in title
    assert "\\<script\\>alert\\(1\\)\\</script\\>" in title
    # ...bare URLs and www. names are broken so GitHub does not link them...
    assert "http://" not in md and "www.evil" not in md
    # ...and the reader still sees exactly the text the model wrote.
    assert md_unescape(title) == NASTY
    for line in md.splitlines():
        assert not re.search(r"(?<!\\)<(?!\\)", line), line  # no raw "<" anywhere


def test_newlines_in_model_text_cannot_start_markdown_blocks():
    title = "Fine\n# Injected heading\n- [x] fake done item\n\n| a | b |\n|---|---|"
    review, _ = sample(title=title)
    md = export.to_markdown(review)
    lines = md.splitlines()
    assert not any(line.startswith(("# Injected", "- [x]", "|")) for line in lines)
    assert sum(line.startswith("- [ ] ") for line in lines) == 4


def test_unreadable_model_reply_is_fenced_even_when_it_contains_fences():
    reply = "Here:\n```\n[click](http://evil/)\n```\n<script>alert(1)</script>"
    review = Review(preset="general", raw_reply=reply)
    md = export.to_markdown(review)
    fence = "````"  # longer than the reply's own ``` so the reply cannot close it
    start = md.index(fence + "text\n")
    body_start = start + len(fence + "text\n")
    end = md.index("\n" + fence, body_start)
    assert md[body_start:end] == reply
    assert md.rstrip().endswith(fence)


# --- JSON ---------------------------------------------------------------------------------


def test_json_is_the_review_model_dump():
    review, _ = sample()
    doc = json.loads(export.to_json(review))
    assert doc == review.model_dump(mode="json")
    assert Review.model_validate(doc) == review
    assert doc["findings"][0]["box"] == [40, 100, 250, 130]


def test_json_has_the_same_shape_as_the_cli_review_json(tmp_path):
    path = tmp_path / "shot.png"
    path.write_bytes(encode(screenshot(800, 500)))
    out = subprocess.run(
        [sys.executable, "-m", "uireview", "review", str(path), "--json", "--no-model"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    printed = json.loads(out.stdout)
    assert json.loads(export.to_json(Review.model_validate(printed))) == printed


# --- PNG ----------------------------------------------------------------------------------


def decode_png(data: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(data)) as im:
        assert im.format == "PNG"
        return np.asarray(im.convert("RGB"))


def find_rows(canvas: np.ndarray, patch: np.ndarray, x: int) -> list[int]:
    """The y offsets where ``patch`` sits exactly in ``canvas`` at column ``x``."""
    h, w = patch.shape[:2]
    return [
        y
        for y in range(canvas.shape[0] - h + 1)
        if np.array_equal(canvas[y : y + h, x : x + w], patch)
    ]


def test_png_stacks_the_annotated_images_above_a_legend():
    review, images = sample()
    canvas = decode_png(export.to_png(review, images))
    light = np.asarray(screenshot(800, 500))
    dark = np.asarray(screenshot(600, 400, theme="dark"))
    assert canvas.shape[1] == 800  # the widest image, not wider

    # Each image appears unscaled (the parts away from any mark pixel for pixel), the light
    # one above the dark one, captions between.
    light_y = find_rows(canvas, light[:, 560:800], 560)
    dark_y = find_rows(canvas, dark[:, 320:600], 320)
    assert len(light_y) == 1 and len(dark_y) == 1
    light_top, dark_top = light_y[0], dark_y[0]
    assert 0 < light_top and light_top + 500 < dark_top
    legend_top = dark_top + 400
    assert canvas.shape[0] - legend_top > 4 * 30  # room for four legend rows

    # The marks are drawn: a ring in finding 1's severity colour just around its box.
    major = np.array(SEVERITY_COLOUR["major"])
    box_edge = canvas[light_top + 90 : light_top + 140, 30:260]
    assert (np.abs(box_edge.astype(int) - major).sum(axis=2) < 30).any()
    # The legend has a dot in each finding's severity colour, and only in the legend.
    legend = canvas[legend_top:]
    for severity in ("critical", "major", "minor", "info"):
        colour = np.array(SEVERITY_COLOUR[severity])
        assert (legend == colour).all(axis=2).sum() > 20, severity


def test_png_legend_wraps_long_titles_instead_of_widening():
    short_review, images = sample(title="Short")
    long_title = "The primary action is missing " * 12 + "x" * 400  # one unbreakable word too
    long_review, _ = sample(title=long_title)
    short = decode_png(export.to_png(short_review, images))
    long = decode_png(export.to_png(long_review, images))
    assert long.shape[1] == short.shape[1] == 800
    assert long.shape[0] > short.shape[0] + 3 * 15  # several more lines


def test_png_of_a_narrow_screenshot_is_wide_enough_for_the_legend():
    data = encode(screenshot(360, 640))
    review = Review(
        preset="general",
        images=[info("phone.png", data)],
        findings=[Finding(source="model", category="x", severity="minor", title="Tap target")],
    )
    canvas = decode_png(export.to_png(review, [data]))
    assert canvas.shape[1] == 720 and canvas.shape[0] > 640


def test_png_past_the_pixel_budget_is_scaled_down(monkeypatch):
    review, images = sample()
    monkeypatch.setattr(export.png, "PNG_MAX_PIXELS", 100_000)
    canvas = decode_png(export.to_png(review, images))
    assert canvas.shape[1] == 720  # both images shrank below the legend's minimum width
    assert canvas.shape[0] < 500 + 400


def test_exports_refuse_images_that_do_not_match_the_review():
    review, images = sample()
    with pytest.raises(ValueError, match="2"):
        export.to_png(review, images[:1])
    with pytest.raises(ValueError):
        export.to_html(review, images[:1])


# --- HTML ---------------------------------------------------------------------------------


def test_html_is_one_file_with_embedded_images_and_escaped_text():
    review, images = sample()
    review.images[1].name = 'dark"><img src=x onerror=alert(2)>.png'
    page = export.to_html(review, images)
    assert "<script" not in page.lower()  # not ours, and the model's is escaped
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(2)&gt;" in page
    # Nothing to fetch: every src/href is a data: URI or an in-page anchor; no CSS imports.
    for url in re.findall(r'(?:src|href)="([^"]*)"', page):
        assert url.startswith(("data:image/png;base64,", "#")), url
    assert "@import" not in page and "url(" not in page and "<link" not in page
    # The embedded images are the annotated screenshots at their own size.
    uris = re.findall(r'src="data:image/png;base64,([^"]+)"', page)
    sizes = []
    for uri in uris:
        with Image.open(io.BytesIO(base64.b64decode(uri))) as im:
            sizes.append(im.size)
    assert sizes == [(800, 500), (600, 400)]
    assert "default-src 'none'" in page  # the CSP that keeps a slip inert


@pytest.mark.browser
def test_html_renders_offline_in_chromium_with_pins_matching_the_list():
    from tests.browser import artifact_path, chromium_page, require_chromium

    require_chromium()
    review, images = sample()
    page_html = export.to_html(review, images)
    with chromium_page(viewport=(1280, 900)) as session:
        page = session.page
        page.set_content(page_html, wait_until="load")
        for n, finding in enumerate(review.findings, 1):
            heading = page.locator(f"#f{n} h3")
            assert heading.is_visible(), n
            assert heading.text_content() == finding.title
            assert page.locator(f"#f{n} .num").text_content() == str(n)
        # Both images decoded (data URIs allowed by the page's own policy).
        loaded = page.eval_on_selector_all(
            "img", "els => els.map(e => e.complete && e.naturalWidth)"
        )
        assert loaded == [800, 600]
        # Findings sit beside the image they belong to.
        assert page.locator("#image-2 #f4").count() == 1
        assert page.locator("#image-1 #f1").count() == 1
        page.screenshot(path=artifact_path("export_html.png"), full_page=True)
        # Hovering a finding spotlights its box on the image, with CSS alone.
        spot = page.locator(".s1")
        assert spot.evaluate("e => getComputedStyle(e).boxShadow") == "none"
        page.hover("#f1 h3")
        page.wait_for_function(  # fails after 5 s if the spotlight never appears
            "() => getComputedStyle(document.querySelector('.s1')).boxShadow"
            ".includes('rgba(15, 23, 42, 0.45)')",
            timeout=5000,
        )
        assert page.locator(".s2").evaluate("e => getComputedStyle(e).boxShadow") == "none"
        page.wait_for_timeout(300)  # let the spotlight's fade-in finish before the picture
        page.screenshot(path=artifact_path("export_html_hover.png"))
        assert session.outside_requests == []
        assert session.dialogs == []  # the <script> in a title did not run
        assert session.console_errors == []  # and the page's policy blocked nothing of ours


# --- names and places ---------------------------------------------------------------------


def _named_review() -> tuple[Review, list[bytes]]:
    light = encode(screenshot(800, 500))
    review = Review(
        preset="contrast",
        images=[info("dashboard.png", light)],
        findings=[
            Finding(
                source="measured",
                category="contrast",
                severity="critical",
                title="“PENDING REQUESTS”: 1.65:1, needs 4.5:1",
                suggestion="Darken the text to #5a5c69 (4.52:1), same hue.",
                box=Box(40, 100, 250, 130),
                rule="contrast.aa",
                text="PENDING REQUESTS",
                place="card “Earnings (Monthly)”",
                metrics={"place_box": [20, 80, 400, 260]},
            ),
            Finding(
                source="model",
                category="layout",
                severity="minor",
                title="Sidebar links are crowded",
                text="Dashboard",
                place="sidebar",
            ),
        ],
    )
    return review, [light]


def test_every_export_says_where_a_named_finding_is():
    review, images = _named_review()
    md = md_unescape(export.to_markdown(review))
    assert "where: card “Earnings (Monthly)”" in md
    # Words the title does not quote are said with the place.
    assert "where: “Dashboard”, sidebar" in md
    page = export.to_html(review, images)
    assert "card “Earnings (Monthly)”" in html_unescape(page)
    from uireview.cli.review import format_text

    text = format_text(review)
    assert "   where: card “Earnings (Monthly)”" in text
    assert "   where: “Dashboard”, sidebar" in text


def html_unescape(text: str) -> str:
    import html

    return html.unescape(text)


def test_html_shows_a_crop_of_the_place_around_the_line():
    review, images = _named_review()
    page = export.to_html(review, images)
    crops = re.findall(r'<img class="crop" src="data:image/png;base64,([^"]+)" width="(\d+)"', page)
    assert len(crops) == 1  # the model finding has no box, so no crop
    crop = Image.open(io.BytesIO(base64.b64decode(crops[0][0])))
    # The place (380 x 180) with a small margin, not the whole 800 x 500 screenshot.
    assert 380 <= crop.width <= 400 and 180 <= crop.height <= 200


def test_a_place_bigger_than_the_crop_limit_is_cut_to_a_window_around_the_line():
    picture = Image.new("RGB", (1440, 900), "white")
    f = Finding(
        source="measured",
        category="contrast",
        severity="major",
        title="x",
        box=Box(700, 400, 800, 420),
        place="main area",
        metrics={"place_box": [0, 0, 1440, 900]},
    )
    crop = export.place_crop(picture, f)
    assert crop is not None
    assert crop.width <= export.CROP_MAX[0] + 8 and crop.height <= export.CROP_MAX[1] + 8
    # The line is inside the window, outlined in the severity colour.
    pixels = np.asarray(crop)
    assert (pixels == SEVERITY_COLOUR["major"]).all(axis=2).any()


def test_naming_says_the_place_and_only_words_the_title_does_not_quote():
    review, _ = _named_review()
    assert export.naming(review.findings[0]) == "card “Earnings (Monthly)”"
    assert export.naming(review.findings[1]) == "“Dashboard”, sidebar"


# --- the design loop and the cost ------------------------------------------------------------


def looped() -> tuple[Review, list[bytes]]:
    """The sample, reviewed against a baseline: #1 new, #2 dismissed, #3 persisting (ratio
    was 2.10:1), one resolved (was #2), one dismissed in the baseline; a priced model call."""
    review, images = sample(title="Primary action is missing")
    f = review.findings
    f[0].status = "new"
    f[1].status, f[1].dismissed = "persisting", "by design"
    f[2].status = "persisting"
    f[3].status, f[3].previous, f[3].metrics = (
        "persisting",
        {"number": 3, "ratio": 2.1},
        {"ratio": 2.9},
    )
    review.baseline = "baselinebaselinebasel1"
    review.resolved = [
        Finding(source="measured", category="contrast", severity="major",
                title="Footer link is faint", previous={"number": 2}, box=Box(10, 10, 90, 30))
    ]  # fmt: skip
    review.dismissed = [
        Finding(source="model", category="copy", severity="minor", title="Tone is informal",
                dismissed="false")
    ]  # fmt: skip
    review.usage = Usage(prompt_tokens=1234, completion_tokens=567, total_tokens=1801,
                         cost_usd=0.0123)  # fmt: skip
    return review, images


def test_markdown_says_new_persisting_resolved_and_dismissed_and_the_cost():
    review, _ = looped()
    md = md_unescape(export.to_markdown(review))
    assert "- **Cost:** $0.0123 · 1,234 in + 567 out tokens" in md
    assert "- **Findings:** 3 (1 critical, 1 major, 1 info) · 1 dismissed" in md
    assert (
        "- **Against baseline baselinebaselinebasel1:** 1 new · 2 persisting · 1 resolved"
        " · 2 dismissed" in md
    )
    items = [line for line in md.splitlines() if line.startswith("- [ ] ")]
    assert [i.split("**")[1] for i in items] == [
        "1. Card label is faint: 2.9:1 on white",
        "3. Primary action is missing",
        "4. Numbers could use tabular figures",
    ]  # the dismissed #2 is not work to do; the numbers stay those on the image
    assert "(major, contrast, measured, image 1, new)" in items[0]
    assert "(info, typography, model, image 2, persisting, was 2.10:1)" in items[2]
    resolved = md.split("## Resolved since the baseline")[1].split("##")[0]
    assert "- [x] ~~was 2. Footer link is faint~~ (major, contrast)" in resolved
    dismissed = md.split("## Dismissed (not counted)")[1]
    assert "- 2. Uneven gap between cards 2 and 3 (minor, spacing) — dismissed: by design" in (
        dismissed
    )
    assert "- Tone is informal (minor, copy, in the baseline) — dismissed: false" in dismissed


def test_a_review_without_a_baseline_or_a_model_call_says_neither():
    review, _ = sample(title="Primary action is missing")
    md = export.to_markdown(review)
    assert "Cost" not in md and "baseline" not in md and "Dismissed" not in md
    assert "new" not in md.split("## Findings")[1]


def test_a_call_without_known_prices_says_so_instead_of_a_cost():
    review, _ = sample()
    review.usage = Usage(prompt_tokens=10, completion_tokens=5, total_tokens=15)
    assert "- **Cost:** price not known · 10 in + 5 out tokens" in export.to_markdown(review)


def test_html_shows_the_loop_and_the_cost_and_does_not_pin_dismissed_findings():
    review, images = looped()
    page = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "data:", export.to_html(review, images))
    assert "<b>Cost</b> $0.0123 · 1,234 in + 567 out tokens" in page
    assert "<b>Against baseline</b> baselinebaselinebasel1: 1 new · 2 persisting" in page
    assert '<span class="badge status new">New</span>' in page
    assert "Persisting, was 2.10:1" in page
    assert 'id="f2"' not in page and "spot s2" not in page  # no card, no spot on the image
    resolved = page.split('id="resolved"')[1].split("</section>")[0]
    assert "<s>was 2. Footer link is faint</s>" in resolved
    dismissed = page.split('id="dismissed"')[1].split("</section>")[0]
    assert "2. Uneven gap between cards 2 and 3" in dismissed and "by design" in dismissed
    assert "Tone is informal" in dismissed and "in the baseline" in dismissed
    assert "1 dismissed" in page.split("</header>")[0]


def test_png_leaves_a_dismissed_finding_off_the_image_and_lists_the_loop():
    from uireview.annotate import DISMISSED_COLOUR
    from uireview.loop_draw import RESOLVED

    review, images = looped()
    canvas = decode_png(export.to_png(review, images))
    light = np.asarray(screenshot(800, 500))
    top = find_rows(canvas, light[:, 560:800], 560)[0]
    # The dismissed gap (#2, 280..540 x 88..248) is left as it was: no ring, no pin.
    gone = (slice(top + 92, top + 244), slice(284, 536))
    assert np.array_equal(canvas[gone], light[92:244, 284:536])
    legend = canvas[top + 500 + 400 :]
    for colour in (DISMISSED_COLOUR, RESOLVED):
        assert (legend == np.array(colour)).all(axis=2).sum() > 20, colour
