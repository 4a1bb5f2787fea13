"""Debian's Chromium through Playwright, serving a template's files and nothing else.

Pages load from ``http://<template>.realpages.test/...``; a route answers those requests from
the unpacked template on disk and aborts every other request (CDNs, web fonts, analytics),
so a render is offline and repeatable. A served origin rather than ``file://`` because the
templates use absolute asset paths and ES modules, which Chromium refuses from ``file://``.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from benchmarks.realpages.templates import TEMPLATES, ensure

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--font-render-hinting=none",
]
HOST_SUFFIX = ".realpages.test"
# Motion would make the clean and the planted shot differ where nothing was planted.
FREEZE_CSS = """
*, *::before, *::after { transition: none !important; animation: none !important;
  caret-color: transparent !important; scroll-behavior: auto !important; }
"""
SETTLE_MS = 1200  # charts draw after load; let them finish


def page_url(template_key: str, path: str) -> str:
    return f"http://{template_key}{HOST_SUFFIX}/{path.lstrip('/')}"


def _serve(route) -> None:
    parts = urlsplit(route.request.url)
    host = parts.hostname or ""
    if parts.scheme != "http" or not host.endswith(HOST_SUFFIX):
        route.abort()
        return
    template = TEMPLATES.get(host[: -len(HOST_SUFFIX)])
    if template is None:
        route.abort()
        return
    site = ensure(template).resolve()
    file = (site / unquote(parts.path).lstrip("/")).resolve()
    if file.is_dir():
        file = file / "index.html"
    if not file.is_file() or site not in file.parents:
        route.fulfill(status=404, body="")
        return
    ctype = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    if file.suffix in (".js", ".mjs"):
        ctype = "text/javascript"
    route.fulfill(status=200, path=str(file), headers={"content-type": ctype})


class Browser:
    """One Chromium, one page per viewport width: ``with Browser() as b: b.open(...)``."""

    def __enter__(self) -> Browser:
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        self._browser = self._pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        self._pages: dict[tuple[int, int], object] = {}
        return self

    def __exit__(self, *exc) -> None:
        self._browser.close()
        self._pw.stop()

    def tab(self, size: tuple[int, int]):
        if size not in self._pages:
            ctx = self._browser.new_context(
                viewport={"width": size[0], "height": size[1]},
                device_scale_factor=1,
                service_workers="block",
                reduced_motion="reduce",
            )
            ctx.route("**/*", _serve)
            self._pages[size] = ctx.new_page()
        return self._pages[size]

    def open(self, template_key: str, path: str, size: tuple[int, int]):
        """Load a page fresh at the given viewport and let it settle; return the Playwright page."""
        page = self.tab(size)
        page.goto(page_url(template_key, path), wait_until="load", timeout=30000)
        page.add_style_tag(content=FREEZE_CSS)
        page.wait_for_timeout(SETTLE_MS)
        page.evaluate("window.scrollTo(0, 0)")
        return page


def axe_path() -> Path:
    return Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
