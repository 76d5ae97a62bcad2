"""In Chromium: a change that reruns only a page's sections (``tel.ui.live``: the quarter, a
plan knob, the GP slider) leaves the page showing exactly what a full run of the same page
shows in the same session (left through the menu and opened again): the main area, the
sidebar and where each link goes.

A keyed rerun redraws only the sections and the status; anything else on the page that
depended on the what-if would be left stale, and this is where that would show.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlparse

import pytest
from browser_support import (
    CHART,
    AppServer,
    browser_page,
    exceptions_on,
    goto,
    start_server,
    wait_settled,
)
from team_privacy import SAMPLE

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server() -> Iterator[AppServer]:
    with start_server(env={"TEL_ROSTER": str(SAMPLE / "roster.csv")}, name="live") as app:
        yield app


def _quarter(page: Any) -> None:
    page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox'] input").click()
    page.get_by_role("option", name="2026-Q2", exact=True).click()


def _first_slider_right(page: Any) -> None:
    page.get_by_role("slider").first.focus()
    page.keyboard.press("ArrowRight")


# An area's text. A table's cells are drawn on a canvas; the copy of them kept for screen
# readers fills in later, so it is left out.
_TEXT = """area => { const copy = area.cloneNode(true);
  copy.querySelectorAll("[data-testid='stDataFrame']").forEach(s => s.remove());
  return copy.textContent; }"""


def _seen(page: Any) -> dict[str, Any]:
    """What a person reads and can follow: the main area, the sidebar's own content (not its
    collapse button, shown while the pointer is over it), where each link goes."""
    return {
        "main": page.eval_on_selector("[data-testid='stMain']", _TEXT),
        "sidebar": page.eval_on_selector("[data-testid='stSidebarUserContent']", _TEXT),
        "links": page.eval_on_selector_all(
            "[data-testid='stSidebar'] a", "links => links.map(a => a.getAttribute('href'))"),
    }


LABELS = {"": "This quarter", "plan": "Plan", "scenarios": "GP scenarios",
          "payouts": "Payouts", "sensitivity": "Sensitivity"}  # in the sidebar's menu
CHANGES: dict[str, tuple[str, Callable[[Any], None], str]] = {
    # case: (page path, the change, what the address must then say)
    "home, quarter": ("", _quarter, "q=2026-Q2"),
    "plan, quarter": ("plan", _quarter, "q=2026-Q2"),
    "plan, house share": ("plan", _first_slider_right, "house_pct=25.5"),
    "scenarios, quarter": ("scenarios", _quarter, "q=2026-Q2"),
    "scenarios, GP slider": ("scenarios", _first_slider_right, "gp_2026-07="),
    "payouts, quarter": ("payouts", _quarter, "q=2026-Q2"),
    "sensitivity, quarter": ("sensitivity", _quarter, "q=2026-Q2"),
}


@pytest.mark.parametrize("case", list(CHANGES))
def test_a_change_that_reruns_only_the_sections_shows_what_a_full_run_shows(
        server: AppServer, case: str) -> None:
    path, change, address = CHANGES[case]
    with browser_page() as page:
        goto(page, f"{server.url}/{path}?q=2026-Q3")
        before = _seen(page)
        change(page)
        page.wait_for_url(lambda url: address in url)
        wait_settled(page)
        after = _seen(page)
        assert not exceptions_on(page)
        assert after != before  # the change did change the page
        for label in ("Data", LABELS[path]):  # away and back: a full run, same session
            page.locator("[data-testid='stSidebar'] a", has_text=label).first.click()
            page.wait_for_url(lambda url, p=path if label != "Data" else "data":
                              urlparse(url).path.strip("/") == p)
            wait_settled(page)
        assert _seen(page) == after


@pytest.mark.parametrize("path", ["plan", "scenarios"])
def test_reset_after_a_change_brings_the_whole_page_back_to_the_books(
        server: AppServer, path: str) -> None:
    with browser_page() as page:
        goto(page, f"{server.url}/{path}?q=2026-Q3")
        books = _seen(page)
        _first_slider_right(page)
        page.wait_for_url(lambda url: "house_pct" in url or "gp_2026" in url)
        wait_settled(page)
        assert _seen(page) != books
        page.get_by_role("button", name="Reset to loaded files").click()
        page.wait_for_url(lambda url: "house_pct" not in url and "gp_2026" not in url)
        wait_settled(page)
        assert _seen(page) == books  # knobs, sliders, figures and links: nothing left over
        _first_slider_right(page)  # and the page still works (it once raised a KeyError)
        page.wait_for_url(lambda url: "house_pct" in url or "gp_2026" in url)
        wait_settled(page)
        assert not exceptions_on(page)


def test_a_chart_redraws_in_place_with_the_new_figure_when_the_quarter_changes(
        server: AppServer) -> None:
    """The same drawing area, updated by plotly (``tel.ui.live_chart``), not a new chart:
    about half the browser's work of drawing it anew on every change."""
    with browser_page() as page:
        goto(page, f"{server.url}/?q=2026-Q3")
        charts = page.locator(CHART)
        assert charts.count() == 2
        charts.evaluate_all("cs => cs.forEach(c => { c.telMark = 'first drawn'; })")
        assert "2026-Q3" in charts.first.locator(".gtitle").text_content()
        _quarter(page)
        page.wait_for_url(lambda url: "q=2026-Q2" in url)
        wait_settled(page)
        assert charts.evaluate_all("cs => cs.map(c => c.telMark)") == ["first drawn"] * 2
        assert "2026-Q2" in charts.first.locator(".gtitle").text_content()
        assert not exceptions_on(page)


# JS: true once every chart's column is no longer ``was`` wide and each chart matches its
# column, held still for one poll (the sidebar slides: the column changes over a few frames)
_FITS_ITS_COLUMN = """([sel, was]) => {
  const widths = [...document.querySelectorAll(sel)].map(c => [
    c.querySelector('.main-svg').getBoundingClientRect().width | 0,
    c.closest('[data-testid=stVerticalBlock]').getBoundingClientRect().width | 0]);
  const key = JSON.stringify(widths), still = key === window.__telWidths;
  window.__telWidths = key;
  return still && widths.every(([chart, column]) => column !== was
                                                   && Math.abs(chart - column) <= 2);
}"""


def test_a_chart_follows_its_column_when_the_sidebar_closes_and_opens(server: AppServer) -> None:
    """It once kept the width it was first drawn at: drawn with the sidebar closed, it was
    wider than its column (cut off, a scroll bar) once the sidebar opened."""
    with browser_page() as page:
        goto(page, f"{server.url}/?q=2026-Q3")
        page.get_by_test_id("stSidebar").hover()  # the collapse button shows on hover
        page.get_by_test_id("stSidebarCollapseButton").locator("button").click()
        page.reload()  # drawn at the full width, the sidebar closed (the browser remembers)
        wait_settled(page)
        widths = []
        for over, button in (("stMain", page.get_by_test_id("stExpandSidebarButton")),
                             ("stSidebar", page.get_by_test_id("stSidebarCollapseButton")
                              .locator("button"))):
            was = page.locator(CHART).first.evaluate(
                "c => c.closest('[data-testid=stVerticalBlock]').getBoundingClientRect().width | 0")
            page.get_by_test_id(over).hover()
            button.click()
            page.wait_for_function(_FITS_ITS_COLUMN, arg=[CHART, was], polling=250,
                                   timeout=10_000)
            widths.append(page.locator(f"{CHART} .main-svg").first.bounding_box()["width"])
            assert page.evaluate("(m => m.scrollWidth <= m.clientWidth)"
                                 "(document.querySelector('[data-testid=stMain]'))")
        assert widths[0] < widths[1]  # narrower beside the sidebar, wider without it


def test_a_chart_whose_plotly_download_failed_says_so_and_the_next_change_draws_it(
        server: AppServer) -> None:
    with browser_page() as page:
        failed: list[str] = []

        def fail_once(route: Any) -> None:
            if failed:
                route.continue_()
            else:
                failed.append(route.request.url)
                route.abort()

        page.route("**/plotly.min.js", fail_once)
        page.goto(f"{server.url}/?q=2026-Q3", wait_until="domcontentloaded")
        page.wait_for_selector(f"{CHART} .tel-chart-failed", timeout=60_000)
        assert "could not be drawn" in page.locator(CHART).first.inner_text()
        _quarter(page)
        page.wait_for_url(lambda url: "q=2026-Q2" in url)
        wait_settled(page)  # every chart drawn: the download was tried again
        assert page.locator(f"{CHART} .tel-chart-failed").count() == 0
        assert "2026-Q2" in page.locator(CHART).first.locator(".gtitle").text_content()
        assert len(failed) == 1
