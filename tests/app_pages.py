"""Drive the app to each of its screens in a browser, for the accessibility tests.

``tour(page, url, shots)`` visits every screen the app has (Review empty, with results, with a
model answer and an error; Compare empty and with a result; History; a shared review; the
not-found page) and calls ``visit(name, page)`` on each once it has settled. ``shots`` holds
the images it uploads (see ``make_shots``). The endpoint is the fake one: its default reply
must be a review answer; the error screen scripts a stream cut short.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from tests.browser import wait_for_streamlit
from tests.faded import faded_labels
from tests.fake_openai import CutStream, FakeOpenAI
from tests.imagegen import screenshot

MODEL_ANSWER = {
    "findings": [
        {
            "title": "Upgrade button reads as secondary",
            "severity": "major",
            "category": "hierarchy",
            "marks": ["1"],
            "evidence": "the outlined 'Upgrade' button",
            "detail": "The page's main action looks optional.",
            "suggestion": "Make Upgrade the filled primary button.",
        },
        {
            "title": "Card titles compete with the page title",
            "severity": "minor",
            "category": "hierarchy",
            "marks": ["2"],
            "evidence": "card titles are as large as the heading",
            "detail": "The eye has no single place to start.",
            "suggestion": "Set card titles one step smaller than the page title.",
        },
    ]
}

SCREENS = (
    "review-empty",
    "review-results",
    "review-model-error",
    "compare-empty",
    "compare-result",
    "history",
    "shared",
    "not-found",
)


def make_shots(folder: Path) -> dict[str, Path]:
    shots = {
        "faded": folder / "faded_labels.png",
        "before": folder / "before.png",
        "after": folder / "after.png",
    }
    faded_labels().save(shots["faded"])
    screenshot(1024, 640, text="Revenue").save(shots["before"])
    screenshot(1024, 640, text="Refunds").save(shots["after"])
    return shots


def _settle(page) -> None:
    wait_for_streamlit(page)
    page.wait_for_timeout(300)  # images and custom components paint after the script ends


def tour(
    page, url: str, shots: dict[str, Path], fake: FakeOpenAI, visit: Callable[[str, object], None]
) -> None:
    page.goto(url)
    _settle(page)
    visit("review-empty", page)

    page.locator("input[type=file]").first.set_input_files(str(shots["faded"]))
    page.get_by_text("1 of 10 screenshots").wait_for(timeout=30_000)
    page.get_by_role("button", name="Review with Grok").click()
    page.get_by_role("heading", name=re.compile(r"\d+ findings?")).first.wait_for(timeout=90_000)
    _settle(page)
    visit("review-results", page)
    link = re.search(r"\?review=([A-Za-z0-9_\-]{22,})", page.content())

    fake.script(CutStream(content=json.dumps(MODEL_ANSWER), chunks=10, after_chunks=7))
    # A note makes it a new request (the same one would be answered from the store).
    page.get_by_label("Your note (optional)").fill("The primary action is Upgrade.")
    page.get_by_role("button", name="Review with Grok").click()
    page.get_by_role("button", name="Try again").wait_for(timeout=90_000)
    _settle(page)
    visit("review-model-error", page)

    page.goto(f"{url}/compare")
    _settle(page)
    visit("compare-empty", page)
    page.locator("input[type=file]").nth(0).set_input_files(str(shots["before"]))
    page.get_by_text("before.png ·").first.wait_for(timeout=30_000)
    _settle(page)
    page.locator("input[type=file]").nth(1).set_input_files(str(shots["after"]))
    page.get_by_text("after.png ·").first.wait_for(timeout=30_000)
    _settle(page)
    page.get_by_role("button", name="Compare with Grok").click()
    page.get_by_role("heading", name=re.compile(r"\d+ findings?")).first.wait_for(timeout=90_000)
    _settle(page)
    visit("compare-result", page)

    page.goto(f"{url}/history")
    _settle(page)
    page.get_by_role("link", name="Open").first.wait_for(timeout=30_000)
    visit("history", page)

    assert link, "the review was not saved: no share link on the page"
    page.goto(f"{url}/?review={link.group(1)}")
    _settle(page)
    page.get_by_text("Shared review · read-only").wait_for(timeout=30_000)
    _settle(page)
    visit("shared", page)

    page.goto(f"{url}/?review=not-a-real-id")
    _settle(page)
    page.get_by_text("Review not found").wait_for(timeout=30_000)
    visit("not-found", page)
