"""Shared fixtures. Browser tests (marked ``browser``) start a real server per test module."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # test helpers import as plain modules

from browser_support import AppServer, browser_page, start_server


@pytest.fixture(scope="module")
def app_server() -> Iterator[AppServer]:
    """The owners' app on the sample data, on a free loopback port."""
    with start_server() as server:
        yield server


@pytest.fixture
def page(app_server: AppServer) -> Iterator:  # type: ignore[type-arg]
    with browser_page() as p:
        yield p


@pytest.fixture(autouse=True)
def _own_data_folder(tmp_path_factory: pytest.TempPathFactory,
                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets an empty data folder of its own unless it sets one: nothing reads or
    writes the user's real store (the team pages look up approvals there)."""
    import os

    if "TEL_DATA_DIR" not in os.environ:
        monkeypatch.setenv("TEL_DATA_DIR", str(tmp_path_factory.mktemp("data")))
