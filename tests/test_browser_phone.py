"""In Chromium at a phone's width (390 px): the team pages put the pot's headline first and
nothing runs off the screen, charts included."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from browser_support import (
    CHART,
    AppServer,
    browser_page,
    exceptions_on,
    goto,
    shot,
    start_server,
)

from tel.core.periods import Quarter
from tel.io.links import sign_statement_token

pytestmark = pytest.mark.browser

PHONE = 390
SECRET = "browser-phone-secret-" + "p" * 32


@pytest.fixture(scope="module")
def team_server() -> Iterator[AppServer]:
    with start_server(env={"TEL_AUDIENCE": "team", "TEL_LINK_SECRET": SECRET},
                      name="phone") as server:
        yield server


@pytest.fixture
def phone(team_server: AppServer) -> Iterator[Any]:
    with browser_page(PHONE, 844) as p:
        yield p


def overflowing(page: Any) -> list[str]:
    """Elements of the main area wider than the screen, or whose right edge is past it."""
    return list(page.evaluate("""(width) => {
        const out = [];
        const main = document.querySelector("[data-testid='stMain']");
        if (main.scrollWidth > width) out.push('main ' + main.scrollWidth);
        for (const el of main.querySelectorAll(
                '[data-testid=stMetric], [data-testid=telChart], .gtitle, .g-gtitle text,'
                + ' [data-testid=stMarkdown], [data-testid=stAlert]')) {
            const r = el.getBoundingClientRect();
            if (r.width > 0 && r.right > width + 1) out.push(el.className.baseVal ||
                el.getAttribute('data-testid') || el.tagName);
        }
        return out;
    }""", PHONE))


def test_on_a_phone_the_pot_opens_on_its_headline_and_nothing_runs_off_the_screen(
        team_server: AppServer, phone: Any) -> None:
    goto(phone, f"{team_server.url}/pot")
    phone.wait_for_selector(f"{CHART} .gtitle", timeout=30_000)
    assert not exceptions_on(phone)
    metrics = phone.query_selector_all("[data-testid=stMetric]")
    first = metrics[0].inner_text()
    assert first.startswith("Staff pool so far") and "$" in first
    chart_top = phone.query_selector(CHART).bounding_box()["y"]
    assert metrics[0].bounding_box()["y"] < chart_top  # the headline before any chart
    assert metrics[0].bounding_box()["y"] < 844  # on the first screen, without scrolling
    assert overflowing(phone) == []
    ticks = [t.text_content() for t in phone.query_selector_all(
        f"{CHART} .xtick text")]
    assert ticks and all(len(t) <= 6 for t in ticks), ticks  # "$100k", not "$100,000"
    shot(phone, "pot-390")


def test_on_a_phone_a_personal_statement_fits_the_screen(
        team_server: AppServer, phone: Any) -> None:
    token = sign_statement_token(SECRET.encode(), "Tanya Guidry", Quarter(2026, 3),
                                 datetime.now(UTC) + timedelta(days=2))
    goto(phone, f"{team_server.url}/statement?token={token}")
    assert not exceptions_on(phone)
    assert "Tanya Guidry" in phone.inner_text("[data-testid='stMain']")
    assert overflowing(phone) == []
    shot(phone, "statement-390")
