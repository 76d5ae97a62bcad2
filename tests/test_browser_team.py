"""In Chromium, the team audience: every page's HTML and every websocket frame carry no roster
name and no salary; a personal link shows one person; bad links and owner pages show nothing.

Each roster is served twice: as it is, and anonymised (other names and salaries, same
tenure). A name or salary form counts as leaked when the real server sent it and the
anonymous one did not, so a salary equal to a company figure (min cash $50,000) is not a
false alarm (see ``tests/team_privacy.py``).
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from browser_support import (
    AppServer,
    browser_page,
    carries_data,
    exceptions_on,
    goto,
    shot,
    start_server,
    wait_settled,
)
from team_privacy import SAMPLE, anonymous_copy, anonymous_name, leaks, roster_rows, strict_leaks

from tel.core.money import format_money
from tel.core.periods import Quarter
from tel.engine.quarter import compute_quarter
from tel.io.links import sign_statement_token
from tel.io.loaders import read_scenario
from tel.ui.pages import PAGES, page_exists

pytestmark = pytest.mark.browser

SECRET = "browser-team-secret-" + "q" * 32
OWNER_PATHS = [Path(p.path).stem for p in PAGES
               if "team" not in p.audiences and p.path != "app.py" and page_exists(p.path)]


@dataclass
class Pair:
    roster: str
    real: AppServer
    anon: AppServer


@pytest.fixture(scope="module", params=["roster.csv", "roster_1000.csv"])
def servers(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[Pair]:
    roster = request.param
    anon = anonymous_copy(SAMPLE / roster, tmp_path_factory.mktemp("anon") / roster)
    env = {"TEL_AUDIENCE": "team", "TEL_LINK_SECRET": SECRET}
    stem = Path(roster).stem
    with start_server(env={**env, "TEL_ROSTER": str(SAMPLE / roster)}, name=f"team-{stem}") \
            as real, start_server(env={**env, "TEL_ROSTER": str(anon)},
                                  name=f"team-anon-{stem}") as ref:
        yield Pair(roster, real, ref)


@dataclass
class Seen:
    html: str
    frames: str
    main: str

    @property
    def everything(self) -> str:
        return self.html + "\n" + self.frames


def visit(url: str, name: str | None = None, then: Any = None, height: int = 1000) -> Seen:
    """Open ``url`` in a fresh browser; collect the HTML, every websocket frame received and
    every non-static HTTP response; ``then(page)`` may act before collecting."""
    frames: list[str] = []
    responses: list[Any] = []

    def on_ws(ws: Any) -> None:
        ws.on("framereceived", lambda payload: frames.append(
            payload.decode("utf-8", "ignore") if isinstance(payload, bytes) else payload))

    with browser_page(height=height) as page:  # Streamlit scrolls inside: a tall window
        page.on("websocket", on_ws)
        page.on("response", lambda r: responses.append(r) if carries_data(r.url) else None)
        goto(page, url)
        if then is not None:
            then(page)
        assert not exceptions_on(page), exceptions_on(page)
        for r in responses:
            with contextlib.suppress(Exception):  # a redirect has no body
                frames.append(r.body().decode("utf-8", "ignore"))
        seen = Seen(page.content(), "\n".join(frames),
                    page.inner_text("[data-testid='stMain']"))
        if name:
            shot(page, name)
    assert seen.frames, "no websocket frame was received"
    return seen


def token(name: str, quarter: str = "2026-Q3", days: float = 30) -> str:
    return sign_statement_token(SECRET.encode(), name, quarter,
                                datetime.now(UTC) + timedelta(days=days))


# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["", "pot", "estimate", "statement"])
def test_team_pages_send_no_roster_name_or_salary(servers: Pair, path: str) -> None:
    rows = roster_rows(SAMPLE / servers.roster)
    tag = f"team-{path or 'home'}-{Path(servers.roster).stem}"
    real = visit(f"{servers.real.url}/{path}", tag, _title, height=2300)
    ref = visit(f"{servers.anon.url}/{path}", None, _title)
    assert leaks(real.everything, ref.everything, rows) == []
    if path in ("", "pot"):
        assert "The pot" in real.main and "Staff pool so far" in real.main
        assert "Every extra $1,000 of GP" in real.main


def _title(page: Any) -> None:
    """The home address switches to the pot: wait for the page it lands on."""
    page.wait_for_selector("[data-testid='stMain'] h1", timeout=30_000)
    wait_settled(page)


def _type_estimate(page: Any) -> None:
    """The start date, then the salary, then wait for the estimate. The date first: typed
    while a salary's run redrew the page, its segments could be lost. A script run can start
    and end between two looks at the page (and a busy browser may draw neither), so the wait
    is for the estimate itself, typing the salary again if it never came (idempotent)."""
    page.get_by_role("spinbutton", name="year, I started on").click()
    page.keyboard.type("20190506")  # the segments advance by themselves: yyyy, mm, dd
    page.get_by_role("heading", name="My estimate").click()  # leaving the field commits it
    salary = page.get_by_label("I earn (annual salary, $)")
    for _ in range(3):
        salary.fill("61234")
        salary.press("Enter")
        try:
            page.wait_for_function(
                "() => document.body.innerText.includes('My estimated check now')",
                timeout=15_000)
            break
        except Exception:  # playwright's TimeoutError: the key came before the text
            continue
    else:
        raise AssertionError("the estimate never showed after typing a salary three times")
    wait_settled(page)


def test_an_estimate_sends_no_roster_name_or_salary(servers: Pair) -> None:
    rows = roster_rows(SAMPLE / servers.roster)
    stem = Path(servers.roster).stem
    real = visit(f"{servers.real.url}/estimate", f"team-estimate-typed-{stem}", _type_estimate,
                 height=1400)
    ref = visit(f"{servers.anon.url}/estimate", None, _type_estimate)
    assert "My estimated check now" in real.main and "At other GP" in real.main
    assert leaks(real.everything, ref.everything, rows) == []
    assert "61234" not in real.html.split("<body", 1)[0]  # nothing typed lands in the URL/head


def test_owner_pages_by_deep_link_show_nothing_of_the_data(servers: Pair) -> None:
    stem = Path(servers.roster).stem
    paths = OWNER_PATHS if servers.roster == "roster.csv" else ["payouts", "links"]
    for path in paths:
        seen = visit(f"{servers.real.url}/{path}", f"team-refused-{path}-{stem}")
        ref = visit(f"{servers.anon.url}/{path}")
        assert seen.main.strip() == ("This page is not available here. The pages you can open "
                                     "are in the menu."), path
        assert leaks(seen.everything, ref.everything, roster_rows(SAMPLE / servers.roster)) \
            == [], path
        assert "$" not in seen.main


def test_a_deep_link_to_an_owner_page_on_a_fresh_server_shows_nothing() -> None:
    env = {"TEL_AUDIENCE": "team", "TEL_LINK_SECRET": SECRET}
    with start_server(env=env, name="team-fresh") as fresh:
        seen = visit(f"{fresh.url}/payouts?q=2026-Q3", "team-refused-payouts-fresh-server")
    assert seen.main.strip().startswith("This page is not available here.")
    assert strict_leaks(seen.everything, roster_rows(SAMPLE / "roster.csv")) == []


def _person(roster: str) -> tuple[int, str]:
    """An eligible person with an accent or a comma if there is one, else the first eligible."""
    s = read_scenario(SAMPLE / "plan.toml", SAMPLE / roster, SAMPLE / "months.csv").unwrap()
    result = compute_quarter(s.plan, s.roster, s.months, Quarter(2026, 3))
    eligible = [(i, p.name) for i, p in enumerate(result.payouts) if p.eligible]
    fancy = [(i, n) for i, n in eligible if re.search(r"[^A-Za-z ]", n)]
    return (fancy or eligible)[0]


def test_a_personal_link_shows_exactly_one_persons_figures(servers: Pair) -> None:
    rows = roster_rows(SAMPLE / servers.roster)
    i, name = _person(servers.roster)
    s = read_scenario(SAMPLE / "plan.toml", SAMPLE / servers.roster,
                      SAMPLE / "months.csv").unwrap()
    result = compute_quarter(s.plan, s.roster, s.months, Quarter(2026, 3))
    me = next(p for p in result.payouts if p.name == name)

    pdf: list[bytes] = []

    def download(page: Any) -> None:
        with page.expect_download() as info:
            page.get_by_role("button", name="Download my statement (PDF)").click()
        pdf.append(Path(info.value.path()).read_bytes())

    stem = Path(servers.roster).stem
    real = visit(f"{servers.real.url}/statement?token={token(name)}",
                 f"team-statement-link-{stem}", download, height=1800)
    ref = visit(f"{servers.anon.url}/statement?token={token(anonymous_name(i))}")
    assert f"{name}: your TEL bonus for 2026-Q3" in real.main
    assert format_money(me.total) in real.main
    assert leaks(real.everything, ref.everything, rows, exempt={name}) == []
    assert pdf and pdf[0].startswith(b"%PDF")


def test_tampered_and_expired_links_are_refused_and_show_nothing(servers: Pair) -> None:
    _, name = _person(servers.roster)
    body, sig = token(name).split(".")
    cases = {
        "tampered": (f"{body}.{sig[:5]}{'B' if sig[5] == 'A' else 'A'}{sig[6:]}",
                     "altered since it was issued"),
        "expired": (token(name, days=-1 / 24), "expired on"),
    }
    for kind, (bad, words) in cases.items():
        seen = visit(f"{servers.real.url}/statement?token={bad}",
                     f"team-statement-{kind}-{Path(servers.roster).stem}")
        assert words in seen.main, kind
        assert "Your check" not in seen.main and "$" not in seen.main
        assert name not in seen.main
        assert strict_leaks(seen.everything, [r for r in roster_rows(SAMPLE / servers.roster)
                                              if r.name == name]) == [], kind


def test_a_link_from_the_owners_links_page_opens_on_the_team_address() -> None:
    env = {"TEL_LINK_SECRET": SECRET}
    with start_server(env={**env, "TEL_AUDIENCE": "team"}, name="team-for-links") as team, \
            start_server(env={**env, "TEL_TEAM_URL": team.url}, name="owner-links") as owner, \
            browser_page(height=1400) as page:
        goto(page, f"{owner.url}/links")
        assert not exceptions_on(page)
        page.get_by_text("Everyone eligible").wait_for()
        shot(page, "owner-links")
        with page.expect_download() as info:
            page.get_by_role("button", name=re.compile(r"Download \d+ link")).click()
        text = Path(info.value.path()).read_text(encoding="utf-8-sig")
        table = list(csv.reader(io.StringIO(text)))
        assert table[0] == ["name", "quarter", "eligible", "check", "valid_through_utc", "link"]
        name, link = table[1][0], table[1][5]
        assert link.startswith(f"{team.url}/statement?token=")
        goto(page, link)
        assert f"{name}: your TEL bonus for" in page.inner_text("[data-testid='stMain']")
        shot(page, "owner-link-opened-on-team")
