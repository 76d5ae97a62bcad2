"""In Chromium: every dashboard page by deep link on a fresh server, a slider moves a payout."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from browser_support import (
    AppServer,
    exceptions_on,
    goto,
    shot,
    start_server,
    wait_for_value,
    wait_settled,
)

pytestmark = pytest.mark.browser

PAGES = ["", "plan", "scenarios", "payouts", "sensitivity"]
TITLES = {"": "This quarter at a glance", "plan": "Plan: the knobs", "scenarios": "GP scenarios",
          "payouts": "Payouts: per person", "sensitivity": "Sensitivity"}


@pytest.fixture(scope="module")
def server_1000() -> Iterator[AppServer]:
    """The owners' app on the 1,000-person roster, on its own server."""
    with start_server(env={"TEL_ROSTER": "sample_data/roster_1000.csv"}, name="1000") as server:
        yield server


def test_a_deep_link_on_a_fresh_server_runs_the_page_with_its_setup(page) -> None:  # type: ignore[no-untyped-def]
    with start_server(name="fresh") as fresh:
        goto(page, f"{fresh.url}/payouts?q=2026-Q3&house_pct=40")
        assert not exceptions_on(page)
        text = page.inner_text("[data-testid='stMain']")
        assert "Payouts: per person" in text
        assert "$9,672.00" in text  # staff pool at house 40%: 16,120 x 0.6
        shot(page, "deep-link-payouts-fresh-server")


@pytest.mark.parametrize("path", PAGES)
def test_every_page_opens_by_deep_link_without_exception(page, app_server: AppServer,  # type: ignore[no-untyped-def]
                                                         path: str) -> None:
    goto(page, f"{app_server.url}/{path}?q=2026-Q3")
    assert not exceptions_on(page), exceptions_on(page)
    assert page.query_selector("[data-testid='stSidebar']") is not None
    shot(page, f"page-{path or 'home'}-sample")


def test_moving_the_house_slider_changes_a_payout(page, app_server: AppServer) -> None:  # type: ignore[no-untyped-def]
    goto(page, f"{app_server.url}/plan?q=2026-Q3")
    staff_before = _metric(page, "Staff pool")
    slider = page.get_by_role("slider").first  # house share, the first slider on Plan
    slider.focus()
    for _ in range(10):  # +10 steps of 0.5% = 30%
        page.keyboard.press("ArrowRight")
    assert staff_before == "$12,090.00"
    wait_for_value(lambda: _metric(page, "Staff pool"), "$11,284.00")  # 16,120 x 70%
    wait_settled(page)
    assert "house_pct=30" in page.url
    page.get_by_role("link", name="Payouts").click()
    page.wait_for_url(re.compile(r"/payouts\?"))  # the click navigates; settle after that
    page.get_by_role("heading", name="Payouts: per person").wait_for(timeout=30_000)
    wait_settled(page)
    assert "house_pct=30" in page.url
    assert "$11,284.00" in page.inner_text("[data-testid='stMain']")
    assert not exceptions_on(page)
    shot(page, "payouts-after-house-slider")


@pytest.mark.parametrize("path", PAGES)
def test_every_page_opens_with_a_1000_person_roster_without_exception(  # type: ignore[no-untyped-def]
        page, server_1000: AppServer, path: str) -> None:
    goto(page, f"{server_1000.url}/{path}?q=2026-Q3")
    assert not exceptions_on(page), exceptions_on(page)
    main = page.inner_text("[data-testid='stMain']")
    assert TITLES[path] in main
    assert "roster_1000.csv" in page.inner_text("[data-testid='stSidebar']")
    if path == "":
        assert int(_metric(page, "Eligible people").replace(",", "")) > 100
    shot(page, f"page-{path or 'home'}-1000")


def test_picking_a_quarter_in_the_sidebar_changes_the_kpis(page, app_server: AppServer) -> None:  # type: ignore[no-untyped-def]
    goto(page, f"{app_server.url}/?q=2026-Q3")
    assert _metric(page, "Quarter GP") == "$202,120.00"  # the source's worked example
    page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox'] input").click()
    page.get_by_role("option", name="2026-Q2", exact=True).click()
    wait_for_value(lambda: _metric(page, "Quarter GP"), "$212,615.00")  # 70,540+73,265+68,810
    wait_settled(page)
    assert _metric(page, "TEL profit") == "$26,615.00"  # 212,615 - 3 x 62,000
    assert "q=2026-Q2" in page.url
    assert "2026-Q2 (complete" in page.inner_text("[data-testid='stMain']")
    assert not exceptions_on(page)
    shot(page, "home-after-quarter-pick")


def _metric(page, label: str) -> str:  # type: ignore[no-untyped-def]
    box = page.locator("[data-testid='stMetric']", has_text=label).first
    value = box.locator("[data-testid='stMetricValue']").inner_text()
    return re.sub(r"\s+", "", value)
