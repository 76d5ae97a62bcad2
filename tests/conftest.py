"""Shared fixtures, the Hypothesis profiles, and the shared Chromium's lifetime. Browser tests
(marked ``browser``) start a real server per test module."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

sys.path.insert(0, str(Path(__file__).parent))  # test helpers import as plain modules

from browser_support import AppServer, browser_page, close_shared_browser, start_server

# Hypothesis profiles. Pick one with HYPOTHESIS_PROFILE=... or --hypothesis-profile=...;
# ``dev`` unless CI is set. No deadline (a loaded 2-core machine is no bug) and no "too slow"
# health check in any of them. ``max_examples`` is what a property without its own count
# runs, and scales the expensive properties' own counts (``strategies_partwo.examples``):
#   dev   half of CI's examples, at least 10 per property: the everyday run
#   ci    the counts written in the tests (.ci/run picks it)
#   soak  ten times CI's (with TEL_EXAMPLES_SCALE on top, if set)
_QUIET = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("dev", max_examples=50, **_QUIET)
settings.register_profile("ci", max_examples=100, print_blob=True, **_QUIET)
settings.register_profile("soak", max_examples=1000, print_blob=True, **_QUIET)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI")
                                                                else "dev"))


@pytest.fixture(scope="module")
def app_server() -> Iterator[AppServer]:
    """The owners' app on the sample data, on a free loopback port."""
    with start_server() as server:
        yield server


@pytest.fixture
def page(app_server: AppServer) -> Iterator:  # type: ignore[type-arg]
    with browser_page() as p:
        yield p


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Under pytest-xdist (``scripts/test`` runs ``-n auto --dist loadgroup``): each browser
    module (``tests/test_browser_*.py``) is one unit of work for one worker, so its
    module-scoped servers start once and its Chromium is launched once; every other test goes
    on its own to whichever worker is free. The biggest units (the browser modules) start
    first. (pytest-xdist 3.8's own ``xdist_group`` marks do not take under pytest 9.2, which
    no longer reads the node id xdist rewrites, hence the scheduler chooses by file name.)"""
    if config.getvalue("dist") not in ("load", "loadgroup"):
        return None
    from xdist.scheduler import LoadScopeScheduling

    class BrowserModulesTogether(LoadScopeScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return path if Path(path).name.startswith("test_browser_") else nodeid

    return BrowserModulesTogether(config, log)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """After a browser module's last test (its fixtures torn down), close the shared Chromium:
    Playwright's event loop must not outlive it into AppTest and unit tests, nor into a
    module that starts a Playwright of its own (one per thread at a time)."""
    try:
        return (yield)
    finally:
        if nextitem is None or nextitem.path != item.path:
            close_shared_browser()


@pytest.fixture(scope="session", autouse=True)
def _scan_streamlit_components_once() -> Iterator[None]:
    """Each new AppTest scans the metadata of every installed package for Streamlit
    components (``streamlit.components.v2``): three quarters of a small page's AppTest time.
    The packages do not change during a run, so the run scans once and reuses the answer.
    Only when the collected tests imported Streamlit (a unit-only run never loads it)."""
    if "streamlit" not in sys.modules:
        yield
        return
    import functools

    from streamlit.components.v2 import manifest_scanner

    scan = manifest_scanner.scan_component_manifests
    once = functools.cache(lambda: tuple(scan()))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(manifest_scanner, "scan_component_manifests",
                   lambda max_workers=None: list(once()))
        yield


@pytest.fixture(scope="session", autouse=True)
def _pages_kept_between_runs() -> Iterator[None]:
    """A server keeps one page registry per session; AppTest builds a new one for every run,
    filled by the run's ``st.navigation``. A keyed fragment rerun (``tel.ui.live``) runs no
    navigation, so under AppTest its ``st.page_link`` found no page. Each new registry starts
    with the pages the last full run of the same app registered, as a session's would."""
    if "streamlit" not in sys.modules:
        yield
        return
    from streamlit.testing.v1 import app_test

    base = app_test.PagesManager
    last: dict[str, Any] = {}

    class SessionPages(base):  # type: ignore[misc, valid-type]
        def __init__(self, main_script_path: str, *args: Any, **kwargs: Any) -> None:
            super().__init__(main_script_path, *args, **kwargs)
            if main_script_path in last:
                self._pages = dict(last[main_script_path])

        def set_pages_and_resolve(self, pages: Any, *args: Any, **kwargs: Any) -> Any:
            last[self.main_script_path] = dict(pages)
            return super().set_pages_and_resolve(pages, *args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(app_test, "PagesManager", SessionPages)
        yield


@pytest.fixture(autouse=True)
def _full_reruns_under_apptest(monkeypatch: pytest.MonkeyPatch) -> None:
    """AppTest's element tree after a keyed fragment rerun holds only that rerun's elements,
    so a test's next widget would not be found: page tests see full reruns
    (``tel.ui.live.keyed_reruns``); the browser tests run the real thing."""
    if "streamlit" in sys.modules:  # a unit-only run never loads it
        from tel.ui import live

        monkeypatch.setattr(live, "keyed_reruns", False)


@pytest.fixture(autouse=True)
def _app_arguments(monkeypatch: pytest.MonkeyPatch) -> None:
    """An AppTest runs the app in this process, where ``sys.argv`` holds pytest's own
    arguments; the app refuses arguments it does not know, so it sees none (as after a plain
    ``streamlit run app.py``)."""
    monkeypatch.setattr(sys, "argv", [sys.argv[0]])


@pytest.fixture(autouse=True)
def _own_data_folder(tmp_path_factory: pytest.TempPathFactory,
                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets an empty data folder of its own unless it sets one: nothing reads or
    writes the user's real store (the team pages look up approvals there)."""
    if "TEL_DATA_DIR" not in os.environ:
        monkeypatch.setenv("TEL_DATA_DIR", str(tmp_path_factory.mktemp("data")))
