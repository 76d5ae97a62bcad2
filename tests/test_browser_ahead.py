"""In Chromium, looking ahead (issue 12): a quarter ahead runs on assumed GP and says so, a
hypothetical hire moves it and is named in the banner, the open quarter shows its chance of a
bonus; the team's pot shows the chance too, with no roster name or salary in the page.

One owners' server for the module (each test its own browser, so its own session); the team
test starts the real and the anonymous-roster team servers it compares (``team_privacy``).
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from browser_support import (
    AppServer,
    browser_page,
    carries_data,
    exceptions_on,
    goto,
    main_text,
    shot,
    start_server,
    wait_for_value,
    wait_settled,
    wait_text,
)
from team_privacy import SAMPLE, anonymous_copy, leaks, roster_rows

pytestmark = pytest.mark.browser

AHEAD = "2027-Q1"
OPEN = "2026-Q4"  # one month booked (2026-10): the simulation draws the other two
SECRET = "browser-ahead-secret-" + "k" * 32


@pytest.fixture(scope="module")
def owner(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    data = tmp_path_factory.mktemp("ahead-data")
    with start_server(env={"TEL_DATA_DIR": str(data)}, name="ahead") as server:
        yield server



def banner(page: Any) -> str:
    """The provenance banner: the first warning box on an owner page."""
    return str(page.locator("[data-testid='stMain'] [data-testid='stAlert']").first.inner_text())


def metric(page: Any, label: str) -> str:
    box = page.locator("[data-testid='stMetric']", has_text=label).first
    return re.sub(r"\s+", "", box.locator("[data-testid='stMetricValue']").inner_text())


def until(check: Any, what: str, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"never saw {what}")
        time.sleep(0.1)



def nav(page: Any, label: str) -> None:
    """A sidebar link keeps the session (a fresh page load would start a new one)."""
    page.locator("[data-testid='stSidebar']").get_by_role("link", name=label, exact=True).click()
    wait_settled(page)
    assert not exceptions_on(page), exceptions_on(page)


def pick_quarter(page: Any, option: str) -> None:
    page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox'] input").click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_settled(page)


def quarter_shown(page: Any) -> str:
    box = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox'] input").first
    return str(box.input_value())


def add_hire(page: Any, salary: str, start: str) -> None:
    form = page.locator("[data-testid='stForm']", has_text="Add a hypothetical hire")
    box = form.get_by_label("Salary ($ a year)")
    box.fill(salary)
    form.get_by_role("spinbutton", name="year, Start date").click()
    page.keyboard.type(start)  # yyyymmdd: the segments advance by themselves
    form.get_by_text("Add a hypothetical hire").click()  # leaving the field commits it
    form.get_by_label("Department").fill("Service Desk")
    form.get_by_role("button", name=re.compile("Add hire")).click()
    wait_text(page, "People changes")


# --------------------------------------------------------------------------------------------


def test_a_quarter_ahead_says_assumed_gp_and_a_hypothetical_hire_is_named_in_the_banner(
        owner: AppServer) -> None:
    with browser_page(height=1400) as page:
        goto(page, f"{owner.url}/")
        assert "As booked" in main_text(page)
        pick_quarter(page, f"{AHEAD} (ahead: assumed GP)")
        until(lambda: "What-if with assumed GP" in banner(page), "the assumed-GP banner")
        assert f"q={AHEAD}" in page.url
        assert "not booked yet" in banner(page)
        shot(page, "ahead-home-2027-Q1")

        nav(page, "Plan")
        assert quarter_shown(page).startswith(AHEAD), quarter_shown(page)
        assert "What-if with assumed GP" in banner(page)
        eligible_before = int(metric(page, "Eligible people"))
        add_hire(page, "65000", "20200201")  # long enough ago to be eligible
        wait_for_value(lambda: metric(page, "Eligible people"), str(eligible_before + 1))
        assert metric(page, "Eligible with these people") == str(eligible_before + 1)
        text = banner(page)
        assert "What-if with assumed GP" in text and "1 hypothetical hire" in text, text
        assert "hire1=65000,2020-02-01," in unquote(page.url)  # by terms, never a name
        assert quarter_shown(page).startswith(AHEAD), quarter_shown(page)
        assert not exceptions_on(page)
        shot(page, "ahead-plan-hypothetical-hire")

        nav(page, "GP scenarios")
        pick_quarter(page, OPEN)
        assert quarter_shown(page) == OPEN
        wait_text(page, "How likely is a bonus this quarter?")
        until(lambda: re.fullmatch(r"\d{1,3}%", metric(page, "Chance of a bonus")) is not None,
              "a chance of a bonus as a percentage")
        assert "simulated quarters" in main_text(page)
        assert "1 hypothetical hire" in banner(page)  # the people what-if stays with the session
        assert not exceptions_on(page)
        shot(page, "ahead-scenarios-2026-Q4-chance")


def _collect(url: str, name: str | None) -> tuple[str, str, str]:
    """The pot in a fresh browser: (HTML, every websocket frame and response body, main
    text), once the chance of a bonus is drawn."""
    frames: list[str] = []
    responses: list[Any] = []

    def on_ws(ws: Any) -> None:
        ws.on("framereceived", lambda payload: frames.append(
            payload.decode("utf-8", "ignore") if isinstance(payload, bytes) else payload))

    with browser_page(height=2300) as page:
        page.on("websocket", on_ws)
        page.on("response", lambda r: responses.append(r) if carries_data(r.url) else None)
        goto(page, url)
        page.get_by_text("Chance of a bonus this quarter").wait_for(timeout=60_000)
        wait_settled(page)
        assert not exceptions_on(page), exceptions_on(page)
        for r in responses:
            with contextlib.suppress(Exception):  # a redirect has no body
                frames.append(r.body().decode("utf-8", "ignore"))
        found = (page.content(), "\n".join(frames), main_text(page))
        if name:
            shot(page, name)
    assert found[1], "no websocket frame was received"
    return found


def test_the_team_pot_shows_the_chance_of_a_bonus_and_no_roster_name_or_salary(
        tmp_path: Path) -> None:
    anon = anonymous_copy(SAMPLE / "roster.csv", tmp_path / "roster.csv")
    env = {"TEL_AUDIENCE": "team", "TEL_LINK_SECRET": SECRET}
    with start_server(env={**env, "TEL_ROSTER": str(SAMPLE / "roster.csv")},
                      name="ahead-team") as real, \
            start_server(env={**env, "TEL_ROSTER": str(anon)}, name="ahead-team-anon") as ref:
        html, frames, main = _collect(f"{real.url}/pot", "ahead-team-pot-chance")
        ref_html, ref_frames, _ = _collect(f"{ref.url}/pot", None)
    assert f"{OPEN} (quarter to date, 1 of 3 months" in main
    chance = metric_in(main, "Chance of a bonus this quarter")
    assert re.fullmatch(r"about \d{1,3}%|almost certain|unlikely|0%", chance), chance
    rows = roster_rows(SAMPLE / "roster.csv")
    assert leaks(html, ref_html, rows) == []
    assert leaks(html + "\n" + frames, ref_html + "\n" + ref_frames, rows) == []


def metric_in(main: str, label: str) -> str:
    """The line after a metric's label in the page's text."""
    lines = [line.strip() for line in main.splitlines() if line.strip()]
    return lines[lines.index(label) + 1]
