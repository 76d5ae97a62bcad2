"""In Chromium at 1024 x 768 (a meeting room's projector): the meeting view, switched on in the
sidebar, stays on through the page links and a reload; no page's text and no websocket frame
carries a roster name or salary; the KPIs show in full, never cut short.

The sample roster is served twice: as it is, and anonymised (other names and salaries, same
tenure). A name or salary form counts as leaked when the real server sent it and the
anonymous one did not (``tests/team_privacy.py``): "$120,000" on a GP axis is no salary.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from browser_support import (
    AppServer,
    browser_page,
    exceptions_on,
    goto,
    main_text,
    shot,
    start_server,
    wait_settled,
)
from team_privacy import SAMPLE, anonymous_copy, appears, leaks, name_forms, roster_rows

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 1024, 768
# label in the sidebar menu -> address path; the order they are visited in
PAGES = {"GP scenarios": "scenarios", "Payouts": "payouts", "Plan": "plan",
         "Fiscal year": "year", "Sensitivity": "sensitivity", "Compare": "compare",
         "Data": "data", "Saved scenarios": "saved", "Approve & export": "approve",
         "Personal links": "links", "This quarter": ""}
SHOTS = {"": "meeting-home", "scenarios": "meeting-scenarios", "payouts": "meeting-payouts"}
KPI_PAGES = {"", "scenarios", "payouts", "plan", "year"}


@dataclass
class Pair:
    real: AppServer
    anon: AppServer


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    anon = anonymous_copy(SAMPLE / "roster.csv", tmp_path_factory.mktemp("anon") / "roster.csv")
    with start_server(env={"TEL_ROSTER": str(SAMPLE / "roster.csv")}, name="meeting") as real, \
            start_server(env={"TEL_ROSTER": str(anon)}, name="meeting-anon") as ref:
        yield Pair(real, ref)


@dataclass
class Walk:
    text: dict[str, str] = field(default_factory=dict)  # path -> main area's text
    frames: list[str] = field(default_factory=list)  # every frame after the switch
    html: list[str] = field(default_factory=list)
    urls: dict[str, str] = field(default_factory=dict)
    cut_kpis: dict[str, list[str]] = field(default_factory=dict)

    @property
    def everything(self) -> str:
        return "\n".join([*self.text.values(), *self.frames, *self.html])


_CUT_KPIS = """() => {
  const cut = [];
  for (const m of document.querySelectorAll("[data-testid='stMain'] [data-testid='stMetric']")) {
    const parts = [m.querySelector("[data-testid='stMetricValue']"),
                   m.querySelector("[data-testid='stMetricLabel']")];
    for (const part of parts) {
      if (!part) continue;
      for (const el of [part, ...part.querySelectorAll("*")]) {
        const box = el.getBoundingClientRect(), outer = m.getBoundingClientRect();
        if (el.scrollWidth > el.clientWidth + 1 || box.right > outer.right + 1) {
          cut.push(part.innerText); break;
        }
      }
    }
    if (m.innerText.includes("…")) cut.push(m.innerText);
  }
  return cut;
}"""


def _switch_on(page: Any) -> None:
    toggle = page.locator("[data-testid='stSidebar']").get_by_text("Meeting view", exact=True)
    toggle.click()
    page.wait_for_function("() => document.body.innerText.includes("
                           "'Meeting view: no names or salaries')", timeout=30_000)
    wait_settled(page)


def walk(server: AppServer, screenshots: bool) -> Walk:
    """Home, the switch, then every owner page through the sidebar's links, then a reload."""
    seen = Walk()
    frames: list[str] = []

    def on_ws(ws: Any) -> None:
        ws.on("framereceived", lambda payload: frames.append(
            payload.decode("utf-8", "ignore") if isinstance(payload, bytes) else payload))

    with browser_page(width=WIDTH, height=HEIGHT) as page:
        page.on("websocket", on_ws)
        goto(page, f"{server.url}/?q=2026-Q3")  # the worked example, on both rosters
        _switch_on(page)
        frames.clear()  # from here on the view is on: nothing personal may arrive
        sidebar = page.locator("[data-testid='stSidebar']")
        for label, path in PAGES.items():
            sidebar.get_by_role("link", name=label, exact=True).click()
            page.wait_for_url(f"**/{path}?*", timeout=30_000)
            page.wait_for_selector("[data-testid='stMain'] h1", timeout=60_000)
            wait_settled(page)
            assert not exceptions_on(page), (path, exceptions_on(page))
            seen.urls[path] = page.url
            seen.text[path] = main_text(page)
            seen.html.append(page.content())
            if path in KPI_PAGES:
                seen.cut_kpis[path] = page.evaluate(_CUT_KPIS)
            if screenshots and path in SHOTS:
                page.screenshot(path=str(shot_path(SHOTS[path])))  # what the room sees
                shot(page, f"{SHOTS[path]}-full")  # the whole page, 1024 wide
                page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
                wait_settled(page)
        page.reload(wait_until="domcontentloaded")  # a new session: the address keeps it on
        page.wait_for_selector("[data-testid='stMain'] h1", timeout=60_000)
        wait_settled(page)
        seen.text["reload"] = main_text(page)
        seen.html.append(page.content())
    seen.frames = frames
    return seen


def shot_path(name: str) -> Path:
    from browser_support import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / f"{name}.png"


@pytest.fixture(scope="module")
def walks(servers: Pair) -> tuple[Walk, Walk]:
    return walk(servers.real, screenshots=True), walk(servers.anon, screenshots=False)


def test_every_page_stays_in_meeting_view_through_links_and_a_reload(
    walks: tuple[Walk, Walk],
) -> None:
    real, _ = walks
    for path, url in real.urls.items():
        assert "meeting=1" in url, (path, url)
    for path, text in real.text.items():
        assert "Meeting view: no names or salaries" in text, path
    assert "Every figure on this page is a person's" in real.text["approve"]
    assert "Hidden in meeting view" in real.text["payouts"]
    assert "Not eligible:" in real.text["payouts"]  # under the chart of checks in bands


def test_no_roster_name_in_any_page_or_frame(walks: tuple[Walk, Walk]) -> None:
    real, _ = walks
    text = real.everything.casefold()
    found = [f for r in roster_rows(SAMPLE / "roster.csv") for f in name_forms(r.name)
             if appears(f, text)]
    assert found == []


def test_no_roster_name_or_salary_that_the_anonymous_roster_lacks(
    walks: tuple[Walk, Walk],
) -> None:
    real, anon = walks
    assert real.frames, "no websocket frame was received"
    assert leaks(real.everything, anon.everything, roster_rows(SAMPLE / "roster.csv")) == []


def test_the_kpis_show_in_full_at_1024_by_768(walks: tuple[Walk, Walk]) -> None:
    real, _ = walks
    assert set(real.cut_kpis) == KPI_PAGES
    assert {p: cut for p, cut in real.cut_kpis.items() if cut} == {}
    assert "$16,120.00" in real.text[""] and "$202,120.00" in real.text[""]


def test_the_meeting_view_on_a_fresh_server_by_deep_link() -> None:
    with start_server(name="meeting-fresh") as fresh, \
            browser_page(width=WIDTH, height=HEIGHT) as page:
        goto(page, f"{fresh.url}/payouts?meeting=1")
        page.wait_for_selector("[data-testid='stMain'] h1", timeout=60_000)
        wait_settled(page)
        text = main_text(page)
    assert "Meeting view: no names or salaries" in text
    assert "Hidden in meeting view" in text
    assert not [f for r in roster_rows(SAMPLE / "roster.csv") for f in name_forms(r.name)
                if appears(f, text.casefold())]
