"""Every screen of the app passes axe-core's WCAG 2 A/AA rules and our own contrast check.

Both themes: the app follows the browser's colour scheme (light and dark in
.streamlit/config.toml), so each test runs once with a light-scheme browser and once with a
dark one, through every screen (tests/app_pages.py).
"""

import json

import pytest

from tests.a11y import axe_report, contrast_below_aa, describe, require_axe, scroll_shots
from tests.app_pages import MODEL_ANSWER, SCREENS, make_shots, tour
from tests.browser import (
    artifact_path,
    chromium_page,
    require_chromium,
    streamlit_server,
)
from tests.conftest import endpoint_env
from tests.fake_openai import Reply

pytestmark = pytest.mark.browser


def _server_env(fake_openai, tmp_path) -> dict[str, str]:
    fake_openai.default = Reply(json.dumps(MODEL_ANSWER))
    return {**endpoint_env(fake_openai), "UIREVIEW_DATA_DIR": str(tmp_path / "data")}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_screen_has_no_axe_violation_of_wcag_2_a_and_aa(scheme, fake_openai, tmp_path):
    require_chromium()
    require_axe()
    shots = make_shots(tmp_path)
    found: dict[str, list[str]] = {}
    checked: set[str] = set()

    def visit(name, page):
        report = axe_report(page)
        checked.update(report["rules"])
        if report["violations"]:
            found[name] = describe(report["violations"])
            page.screenshot(path=artifact_path(f"axe/{scheme}-{name}.png"))

    with (
        streamlit_server("app.py", env=_server_env(fake_openai, tmp_path)) as url,
        chromium_page(viewport=(1440, 900), color_scheme=scheme) as session,
    ):
        tour(session.page, url, shots, fake_openai, visit)
        background = session.page.evaluate(
            "() => getComputedStyle(document.querySelector('[data-testid=stApp]')).backgroundColor"
        )
    # The theme follows the browser: a dark scheme gets a dark page, not a white one.
    channels = [int(c) for c in background[background.index("(") + 1 : -1].split(",")[:3]]
    assert (sum(channels) / 3 < 80) == (scheme == "dark"), background
    # Which rules ran, for the record (artifacts/ is git-ignored).
    artifact_path(f"axe/rules-{scheme}.txt").write_text("\n".join(sorted(checked)) + "\n")
    assert {"color-contrast", "image-alt", "button-name", "label"} <= checked
    report = "\n".join(f"{name}: {line}" for name, lines in found.items() for line in lines)
    assert not found, f"axe-core found WCAG A/AA violations ({scheme} theme):\n{report}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_our_contrast_check_finds_no_text_below_aa_on_our_own_pages(scheme, fake_openai, tmp_path):
    require_chromium()
    shots = make_shots(tmp_path)
    found: dict[str, list[str]] = {}
    seen: list[str] = []

    def visit(name, page):
        for i, png in enumerate(scroll_shots(page)):
            seen.append(name)
            below = contrast_below_aa(png, f"{name}-{i}.png")
            if below:
                artifact_path(f"contrast/{scheme}-{name}-{i}.png").write_bytes(png)
                found[f"{name} (screen {i + 1})"] = below

    with (
        streamlit_server("app.py", env=_server_env(fake_openai, tmp_path)) as url,
        chromium_page(viewport=(1440, 900), color_scheme=scheme) as session,
    ):
        tour(session.page, url, shots, fake_openai, visit)
    assert set(seen) == set(SCREENS)
    report = "\n".join(f"{name}: {line}" for name, lines in found.items() for line in lines)
    assert not found, f"our contrast check finds text below AA ({scheme} theme):\n{report}"
