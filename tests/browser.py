"""Helpers for browser tests: run a Streamlit script, drive it in Debian's Chromium, offline.

Typical use (helpers are imported as ``tests.<name>``, the one import style of the suite)::

    import pytest
    from tests.browser import (
        artifact_path, chromium_page, require_chromium, streamlit_server, wait_for_streamlit,
    )

    @pytest.mark.browser
    def test_page_renders():
        require_chromium()
        with streamlit_server("tests/apps/my_app.py", env={"UIREVIEW_X": "1"}) as url:
            with chromium_page() as session:
                session.page.goto(url)
                wait_for_streamlit(session.page)
                session.page.screenshot(path=artifact_path("my_app.png"))
                assert session.outside_requests == []

- ``streamlit_server(script, env=...)``: starts ``python -m streamlit run`` headless on a free
  loopback port (repo root as cwd and on PYTHONPATH), waits for ``/_stcore/health``, yields the
  base URL, then kills the process group. Output goes to ``artifacts/logs/<script>-<port>.log``.
  The file watcher is off; pass more ``--flag value`` pairs in ``extra_args``.
- ``chromium_page()``: launches ``/usr/bin/chromium`` through Playwright with networking
  locked down, yields a ``BrowserSession`` whose ``outside_requests`` lists every URL the
  browser tried to fetch from a host other than 127.0.0.1 / localhost / ::1 (such requests are
  also aborted, so nothing leaves the machine even when a test forgets to assert).
- ``launch_chromium(playwright)``: the bare launch, for tests that manage contexts themselves;
  pair it with ``record_outside_requests(context)``.
- ``wait_for_streamlit(page)``: returns once the app is connected, the script is not running,
  and no element is stale.
- ``artifact_path(name)``: ``<repo>/artifacts/<name>`` with its folder created (git-ignored).
- ``require_chromium()``: skips when Chromium or Playwright is missing, fails under ``CI=true``.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Playwright

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Belt and braces: even a request Playwright cannot see (browser-internal) cannot resolve
    # any name but loopback ones, and no proxy from the environment is used.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
    "--no-proxy-server",
]
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
# Schemes that never touch the network.
_LOCAL_SCHEMES = frozenset({"data", "blob", "about", "javascript", "chrome", "devtools"})


def artifact_path(name: str) -> Path:
    """``<repo>/artifacts/<name>``, with its parent folders created; artifacts/ is git-ignored."""
    path = REPO / "artifacts" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def require_chromium() -> None:
    """Skip the calling test when Chromium or Playwright is missing; fail instead under CI=true."""
    problem = None
    if not os.access(CHROMIUM, os.X_OK):
        problem = f"{CHROMIUM} is missing; install it with `apt-get install -y chromium`"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "the playwright package is missing; `pip install -r requirements-dev.txt`"
    if problem is None:
        return
    # Read here, not via uireview.settings: this is test infrastructure, not app config.
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser test cannot run under CI: {problem}")
    pytest.skip(f"browser test skipped: {problem}")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def streamlit_server(
    script: str | os.PathLike,
    *,
    env: Mapping[str, str] | None = None,
    port: int | None = None,
    timeout: float = 60.0,
    extra_args: list[str] | None = None,
) -> Iterator[str]:
    """Run ``script`` with ``streamlit run`` on loopback; yield its base URL; stop it after.

    ``script`` is relative to the repo root or absolute. ``env`` is added to (and overrides)
    the current environment. The server's stdout and stderr go to
    ``artifacts/logs/<script name>-<port>.log``; if it does not become healthy within
    ``timeout`` seconds (or exits), RuntimeError carries the log's tail.
    """
    script_path = Path(script)
    if not script_path.is_absolute():
        script_path = REPO / script_path
    if not script_path.is_file():
        raise FileNotFoundError(f"No Streamlit script at {script_path}")
    port = port or free_port()
    base_url = f"http://127.0.0.1:{port}"

    child_env = dict(os.environ)
    child_env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(REPO), child_env.get("PYTHONPATH", "")) if p
    )
    child_env.update(env or {})
    command = [
        sys.executable, "-m", "streamlit", "run", str(script_path),
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false",
        # No file watcher: saves CPU on a shared machine and nothing edits files mid-test.
        "--server.fileWatcherType", "none",
        *(extra_args or []),
    ]  # fmt: skip
    log_path = artifact_path(f"logs/{script_path.stem}-{port}.log")
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command,
            cwd=REPO,
            env=child_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, so we can stop all of it
        )
        try:
            _wait_healthy(base_url, process, timeout, log_path)
            yield base_url
        finally:
            _stop(process)


def _wait_healthy(base_url: str, process: subprocess.Popen, timeout: float, log: Path) -> None:
    # No proxy: the server is on loopback and an environment proxy must not see this.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"streamlit exited with code {process.returncode} before answering; "
                f"log {log}:\n{_tail(log)}"
            )
        try:
            with opener.open(f"{base_url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    _stop(process)
    raise RuntimeError(f"streamlit did not answer within {timeout:.0f} s; log {log}:\n{_tail(log)}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def is_outside(url: str) -> bool:
    """True when fetching ``url`` would leave the machine (any host but loopback)."""
    parts = urlsplit(url)
    if parts.scheme in _LOCAL_SCHEMES:
        return False
    return (parts.hostname or "") not in LOCAL_HOSTS


def launch_chromium(playwright: Playwright, **launch_options) -> Browser:
    """Launch Debian's Chromium headless with background networking off."""
    options = {"headless": True, "executable_path": CHROMIUM, "args": list(CHROMIUM_ARGS)}
    options.update(launch_options)
    return playwright.chromium.launch(**options)


def record_outside_requests(context: BrowserContext, *, block: bool = True) -> list[str]:
    """Start recording (and by default aborting) requests that would leave the machine.

    Returns the list that fills with the URLs as they happen: HTTP(S) requests of every
    page in ``context``, and WebSocket connections of its pages.
    """
    outside: list[str] = []

    def on_request(request) -> None:
        if is_outside(request.url):
            outside.append(request.url)

    def on_websocket(ws) -> None:
        if is_outside(ws.url):
            outside.append(ws.url)

    def watch_page(page) -> None:
        page.on("websocket", on_websocket)

    context.on("request", on_request)
    context.on("page", watch_page)
    for page in context.pages:
        watch_page(page)
    if block:
        context.route(
            lambda url: is_outside(url),
            lambda route: route.abort("blockedbyclient"),
        )
    return outside


@dataclass
class BrowserSession:
    """What ``chromium_page`` yields: the page to drive and what the browser did.

    ``outside_requests``: URLs that would have left the machine (blocked unless asked not to).
    ``requests``: every URL requested, local ones included. ``console_errors``: console
    messages of type error. ``dialogs``: messages of dismissed alert/confirm/prompt dialogs.
    """

    browser: Browser
    context: BrowserContext
    page: Page
    outside_requests: list[str]
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@contextmanager
def chromium_page(
    *, viewport: tuple[int, int] = (1280, 900), block_outside: bool = True, **context_options
) -> Iterator[BrowserSession]:
    """A fresh Chromium page; records outside requests, console errors and dialogs.

    Dialogs (``alert`` and friends) are dismissed and their messages kept in ``dialogs``, so
    an injected ``alert(1)`` shows up there instead of hanging the test.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            context = browser.new_context(
                viewport={"width": viewport[0], "height": viewport[1]}, **context_options
            )
            outside = record_outside_requests(context, block=block_outside)
            page = context.new_page()
            session = BrowserSession(browser, context, page, outside)
            context.on("request", lambda request: session.requests.append(request.url))

            def on_console(message) -> None:
                if message.type == "error":
                    session.console_errors.append(message.text)

            page.on("console", on_console)

            def on_dialog(dialog) -> None:
                session.dialogs.append(dialog.message)
                dialog.dismiss()

            page.on("dialog", on_dialog)
            yield session
        finally:
            browser.close()


# True in the page once the app is connected, idle, and shows no stale element.
_SETTLED_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return !!app
    && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector('[data-testid="stStatusWidgetRunningIcon"]')
    && !document.querySelector('[data-stale="true"]');
}"""


def wait_for_streamlit(page: Page, timeout: float = 30.0, settle_ms: int = 250) -> None:
    """Wait until the Streamlit app in ``page`` has finished running its script.

    Waits for: connected, script state "notRunning", no "Running..." icon, no stale element;
    then waits ``settle_ms`` and checks again, because a rerun triggered just before the call
    may not have flipped the state to "running" yet.
    """
    for _ in range(2):
        page.wait_for_function(_SETTLED_JS, timeout=timeout * 1000)
        page.wait_for_timeout(settle_ms)
    page.wait_for_function(_SETTLED_JS, timeout=timeout * 1000)
