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
