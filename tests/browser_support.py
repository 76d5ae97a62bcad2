"""Start the dashboard for real and drive it with Playwright in Debian's Chromium.

Never ``playwright install``: the machines have no internet; ``/usr/bin/chromium`` is used.
Screenshots go to ``test-artifacts/`` (kept by CI as the record of what was seen).

One Chromium serves a test module: ``browser_page`` opens a new context (its own cookies,
storage and cache, so its own Streamlit session) in it, which costs a fraction of a second
where a new browser costs one to three. ``tests/conftest.py`` closes it after the module's
last test, so Playwright's event loop never lingers into AppTest and unit tests. A module
that wants several sessions at once calls ``shared_browser().new_context()`` rather than
starting a Playwright of its own (only one can run in a thread at a time).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tel.ui.live_chart import PLOTLY_JS_URL

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"

CHART = "[data-testid=telChart]"  # a plotly chart (tel.ui.live_chart)
# JS: every chart's element (its container is keyed st-key-telchart-...) holds a drawn chart
CHARTS_DRAWN = """() => [...document.querySelectorAll("[class*='st-key-telchart-']")].every(
    c => c.querySelector('.tel-chart .main-svg') && !c.querySelector('[data-drawing]'))"""
CHROMIUM = os.environ.get("TEL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


@dataclass
class AppServer:
    url: str
    process: subprocess.Popen[bytes]
    log: Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def start_server(env: dict[str, str] | None = None, args: list[str] | None = None,
                 name: str = "app", script: str = "app.py", cwd: Path = ROOT
                 ) -> Iterator[AppServer]:
    """``streamlit run <script>`` (the app by default) on a free port; waits for
    ``/_stcore/health``. A port taken between choosing it and binding it (another test run,
    another pytest-xdist worker) means another port, up to three tries."""
    env = {**os.environ, **(env or {})}
    if "TEL_DATA_DIR" not in env:  # never the user's real store
        env["TEL_DATA_DIR"] = tempfile.mkdtemp(prefix="tel-data-")
    ARTIFACTS.mkdir(exist_ok=True)
    for attempt in range(3):
        port = free_port()
        log = ARTIFACTS / f"server-{name}-{port}.log"
        cmd = [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true",
               "--server.port", str(port), "--server.address", "127.0.0.1",
               "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
        if args:
            cmd += ["--", *args]
        with log.open("wb") as out:
            proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env)
        url = f"http://127.0.0.1:{port}"
        try:
            if _healthy(url, proc, log, retry_taken_port=attempt < 2):
                break
        except BaseException:
            _stop(proc)
            raise
    try:
        yield AppServer(url, proc, log)
    finally:
        _stop(proc)


@contextlib.contextmanager
def owner_and_team(data: Path, secret: str, name: str) -> Iterator[tuple[str, str]]:
    """The owners' server and the team's on one data folder and link secret, the owners'
    personal links pointing at the team's address: their URLs."""
    env = {"TEL_DATA_DIR": str(data), "TEL_LINK_SECRET": secret}
    with start_server(env={**env, "TEL_AUDIENCE": "team"}, name=f"team-{name}") as team, \
            start_server(env={**env, "TEL_TEAM_URL": team.url}, name=f"owner-{name}") as owner:
        yield owner.url, team.url


def _healthy(url: str, proc: subprocess.Popen[bytes], log: Path, retry_taken_port: bool
             ) -> bool:
    """True once the server answers its health check; False if it found its port taken (and
    may try another); raises if it died otherwise or took more than a minute."""
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return True
        except OSError:
            pass
        if proc.poll() is not None and retry_taken_port and "is not available" in log.read_text(
                errors="replace"):
            return False
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"server did not start: {log.read_text()[-2000:]}")
        time.sleep(0.25)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)


_shared: dict[str, Any] = {}  # "playwright" and "browser", while a run of browser tests lasts


def shared_browser() -> Any:
    """The run's Chromium, launched on first use (and again if it went away)."""
    browser = _shared.get("browser")
    if browser is not None and browser.is_connected():
        return browser
    close_shared_browser()
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    _shared["playwright"] = pw
    _shared["browser"] = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    return _shared["browser"]


def close_shared_browser() -> None:
    """Close the run's Chromium and stop Playwright (a no-op when none is open)."""
    browser, pw = _shared.pop("browser", None), _shared.pop("playwright", None)
    if browser is not None:
        with contextlib.suppress(Exception):  # already gone: nothing to close
            browser.close()
    if pw is not None:
        with contextlib.suppress(Exception):
            pw.stop()


@contextlib.contextmanager
def browser_page(width: int = 1440, height: int = 1000) -> Iterator[Any]:
    """A page in a new browser context: a fresh visitor with nothing from earlier tests."""
    context = shared_browser().new_context(viewport={"width": width, "height": height})
    try:
        yield context.new_page()
    finally:
        with contextlib.suppress(Exception):  # a crashed browser has no context to close
            context.close()


def carries_data(url: str) -> bool:
    """Could this response hold the app's data? Not Streamlit's front end (``/static/``) nor
    the plotly.js that ``tel.ui.live_chart`` serves (4.8 MB of library: scanning it for
    1,000 names took ~70 s a test)."""
    return "/static/" not in url and not url.endswith(PLOTLY_JS_URL)


def wait_settled(page: Any, timeout_ms: int = 60_000) -> None:
    """Until the script has finished running, nothing is stale and every chart is drawn."""
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']",
                           timeout=timeout_ms)
    # lazily loaded widgets show skeletons for a moment after the script is done, and a
    # chart's container is on the page a moment before the chart itself
    page.wait_for_function(
        "() => document.querySelectorAll('[data-stale=\"true\"], [data-testid=stSkeleton],"
        " [data-testid=stSkeletonElement], [data-testid=stAppSkeleton]').length === 0"
        f" && ({CHARTS_DRAWN})()", timeout=timeout_ms)


def wait_for_value(read: Any, expected: str, timeout_s: float = 30) -> str:
    """Poll ``read()`` until it shows ``expected`` (keyboard steps may land as several reruns)."""
    deadline = time.monotonic() + timeout_s
    while (now := read()) != expected:
        if time.monotonic() > deadline:
            raise AssertionError(f"expected {expected!r}, still {now!r} after {timeout_s} s")
        time.sleep(0.1)
    return str(now)


def goto(page: Any, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector("[data-testid='stApp']", timeout=60_000)
    wait_settled(page)


def shot(page: Any, name: str, full_page: bool = True) -> Path:
    """Save a screenshot. Streamlit scrolls inside its main area, so for the whole page the
    viewport is first made as tall as the content (widths, and so the charts, stay)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    if full_page:
        height = page.evaluate(
            "() => { const m = document.querySelector(\"[data-testid='stMain']\");"
            " return m ? m.scrollHeight : 0; }")
        size = page.viewport_size
        if height > size["height"]:
            page.set_viewport_size({"width": size["width"], "height": height})
            wait_settled(page)
    page.screenshot(path=str(path), full_page=full_page)
    return path


def exceptions_on(page: Any) -> list[str]:
    """Text of every Streamlit exception box on the page."""
    return [e.inner_text() for e in page.query_selector_all("[data-testid='stException']")]


def main_text(page: Any) -> str:
    """The main area's text, as a person reads it."""
    return str(page.inner_text("[data-testid='stMain']"))


def wait_text(page: Any, text: str, timeout_s: float = 60) -> None:
    """Wait until ``text`` shows in the main area (failing at once on an exception box)."""
    deadline = time.monotonic() + timeout_s
    while text not in main_text(page):
        assert not exceptions_on(page), exceptions_on(page)
        if time.monotonic() > deadline:
            raise AssertionError(f"{text!r} never appeared: {main_text(page)[-1500:]}")
        time.sleep(0.1)
    wait_settled(page)
