"""Real published pages for diff tests: an npm template packed, unpacked and rendered offline.

``render(package, version, page, ...)`` returns the page as RGBA pixels, rendered by Debian's
Chromium with every request outside the unpacked folder aborted (web fonts and CDN scripts
fall back), an optional script run first (to plant a change in the DOM). Packages and PNGs
are kept in ``tests/.cache/templates`` (git-ignored); ``pytest.skip`` when npm, the registry,
Playwright or Chromium is not there, so a machine without them skips rather than fails.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tarfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

CACHE = Path(__file__).resolve().parent / ".cache" / "templates"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def unpacked(package: str, version: str) -> Path:
    """The package's folder (``npm pack`` once, then from the cache)."""
    folder = CACHE / f"{package.replace('/', '+')}-{version}"
    if (folder / "package").is_dir():
        return folder / "package"
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is not installed")
    folder.mkdir(parents=True, exist_ok=True)
    try:
        out = subprocess.run(
            [npm, "pack", f"{package}@{version}", "--silent"],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=180,
            check=True,
        )
        with tarfile.open(folder / out.stdout.strip().splitlines()[-1]) as tar:
            tar.extractall(folder, filter="data")
    except (subprocess.SubprocessError, OSError, tarfile.TarError, IndexError) as exc:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip(f"cannot pack {package}@{version}: {exc}")
    return folder / "package"


def render(
    package: str,
    version: str,
    page: str,
    *,
    script: str = "",
    viewport: tuple[int, int] = (1280, 800),
    full_page: bool = False,
) -> np.ndarray:
    """One page of the package as RGBA pixels (cached by everything that shapes it)."""
    root = unpacked(package, version)
    key = hashlib.sha256(repr((page, script, viewport, full_page)).encode()).hexdigest()[:16]
    png = root.parent / f"{Path(page).stem}-{key}.png"
    if not png.exists():
        _screenshot(root / page, png, script, viewport, full_page)
    with Image.open(png) as im:
        return np.asarray(im.convert("RGBA"))


def _screenshot(html: Path, png: Path, script: str, viewport, full_page: bool) -> None:
    if not html.exists():
        pytest.skip(f"{html} is not in the package")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright is not installed")
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed")
    root = html.parent.resolve().as_uri()
    with sync_playwright() as pw:
        try:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        except Exception as exc:  # a Chromium that will not start: no cache, so skip
            pytest.skip(f"Chromium would not start: {exc}")
        try:
            context = browser.new_context(
                viewport={"width": viewport[0], "height": viewport[1]}, device_scale_factor=1
            )
            # offline: only the unpacked folder's own files load
            context.route(
                "**/*",
                lambda route: (
                    route.continue_()
                    if route.request.url.startswith(root)
                    else route.abort("blockedbyclient")
                ),
            )
            tab = context.new_page()
            tab.goto(html.resolve().as_uri(), wait_until="load")
            if script:
                tab.evaluate(script)
            # no caret blink or transition mid-shot
            tab.add_style_tag(content="*{transition:none!important;animation:none!important;"
                              "caret-color:transparent!important}")  # fmt: skip
            tab.wait_for_timeout(200)
            tab.screenshot(path=str(png), full_page=full_page)
        finally:
            browser.close()
