"""The team pages' company-wide figures are worked out once and shared by every session
(``tel.ui.team_shared``); nothing personal or typed by someone is ever shared."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import plotly.graph_objects as go
import pytest
from apptest_support import open_link, sample_scenario
from streamlit import config
from streamlit.testing.v1 import AppTest
from team_privacy import SAMPLE, anonymous_copy, leaks, roster_rows

from tel.analysis.team import TeamAggregates, TeamView
from tel.analysis.team_risk import TeamRisk
from tel.core.models import Plan, Scenario
from tel.engine.quarter import QuarterResult
from tel.io.links import sign_statement_token
from tel.io.store import Store
from tel.ui.team import TeamBooks
from tel.ui.team_shared import SHAREABLE, SHARED, SharedFigures

ROOT = Path(__file__).resolve().parents[1]
SECRET = "team-shared-tests-secret-" + "x" * 32
COMPANY_TYPES = (TeamView, TeamAggregates, TeamRisk, Plan, go.Figure, type(None))


@pytest.fixture(autouse=True)
def team_audience(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TEL_AUDIENCE", "team")
    monkeypatch.setenv("TEL_LINK_SECRET", SECRET)
    monkeypatch.delenv("TEL_ROSTER", raising=False)
    monkeypatch.delenv("TEL_MIN_GROUP", raising=False)
    before = config.get_option("client.showErrorDetails")
    SHARED.clear()  # each test sees only what it put there
    yield
    config.set_option("client.showErrorDetails", before)


def open_team(page: str, query: dict[str, str] | None = None) -> AppTest:
    """A new browser session at ``page``."""
    return open_link(page, query)


def books_of(at: AppTest) -> TeamBooks:
    books = at.session_state["tel.team_books"]
    assert isinstance(books, TeamBooks)
    return books


def copy_of(s: Scenario) -> Scenario:
    """The same books in another object, as another session would hold them."""
    return Scenario.model_validate_json(s.model_dump_json())


# --------------------------------------------------------------------------------------------
# Shared: the same object for the same books


def test_two_sessions_on_the_same_books_get_the_very_same_pot_figures() -> None:
    one, two = open_team("pages/pot.py"), open_team("pages/pot.py")
    a, b = books_of(one), books_of(two)
    assert a is not b  # each session has its own books
    q = str(one.selectbox(key="team.quarter_pick").value)
    assert a.view(q) is b.view(q)
    assert a.pot_figure(q) is b.pot_figure(q)
    assert a.risk(q) is b.risk(q)
    assert a.aggregates(q) is b.aggregates(q)


def test_books_held_in_two_objects_share_the_figures_too() -> None:
    books = sample_scenario()
    a, b = TeamBooks(books, group=3), TeamBooks(copy_of(books), group=3)
    for q in ("2026-Q3", "2026-Q4"):
        assert a.view(q) is b.view(q)
        assert a.risk(q) is b.risk(q)


def test_other_books_get_figures_of_their_own() -> None:
    books = sample_scenario()
    months = list(books.months)
    months[-1] = months[-1].model_copy(update={"gp": months[-1].gp + 50_000})
    other = books.model_copy(update={"months": tuple(months)})
    q = TeamBooks(books, group=3).quarters[0]
    before, after = TeamBooks(books, group=3).view(q), TeamBooks(other, group=3).view(q)
    assert before is not after and before.gp_to_date != after.gp_to_date


def test_another_privacy_threshold_gets_figures_of_its_own() -> None:
    books = sample_scenario()
    three, ten = TeamBooks(books, group=3).view("2026-Q3"), TeamBooks(books, group=10)
    assert three is not ten.view("2026-Q3")
    assert ten.view("2026-Q3").min_group == 10


def test_a_new_approval_in_force_gets_new_figures_from_the_next_run_on(tmp_path: Path) -> None:
    books = sample_scenario()
    store = Store(tmp_path / "tel.sqlite3")
    books_now = TeamBooks(books, group=3, approvals=store.current_snapshot)
    books_now.new_run()
    booked_q3, booked_q4 = books_now.view("2026-Q3"), books_now.view("2026-Q4")
    assert booked_q3.approval is None

    changed = books.model_copy(update={"plan": books.plan.model_copy(
        update={"house_pct": Decimal(30), "team_pct": Decimal(40)})})
    snap = store.approve(store.create("Approved", changed).id, "2026-Q3", "ok", "Owner")
    assert books_now.view("2026-Q3") is booked_q3  # the same run: the store is read once
    books_now.new_run()
    approved_q3 = books_now.view("2026-Q3")
    assert approved_q3 is not booked_q3 and approved_q3.approval == snap.id
    assert approved_q3.house != booked_q3.house
    # a later quarter shows 2026-Q3 among its past quarters: approving it is news there too
    assert books_now.view("2026-Q4") is not booked_q4
    # every other session sees the approval, and shares the new figures
    other = TeamBooks(copy_of(books), group=3, approvals=store.current_snapshot)
    assert other.view("2026-Q3") is approved_q3


def test_the_approvals_in_force_are_read_once_a_run_however_many_figures_need_them() -> None:
    reads: list[str] = []

    def approvals(quarter: str) -> None:
        reads.append(quarter)

    books = TeamBooks(sample_scenario(), group=3, approvals=approvals)
    books.new_run()
    books.view("2026-Q4"), books.risk("2026-Q4"), books.pot_figure("2026-Q4")
    assert sorted(reads) == sorted(set(reads))  # once per quarter
    books.new_run({})  # every approval in force, read at once: none
    reads.clear()
    books.view("2026-Q4"), books.aggregates("2026-Q3")
    assert reads == []


def test_many_sessions_asking_at_once_build_a_figure_once() -> None:
    shared, built, got = SharedFigures(), [], []

    def build() -> Plan:
        built.append(1)
        time.sleep(0.05)  # long enough for every thread to be waiting
        return Plan()

    threads = [threading.Thread(target=lambda: got.append(shared.get("k", build)))
               for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(built) == 1 and len(got) == 8 and all(g is got[0] for g in got)


def test_a_figure_that_failed_to_build_is_not_kept() -> None:
    shared = SharedFigures()

    def fail() -> Plan:
        raise ValueError("no booked month")

    with pytest.raises(ValueError):
        shared.get("k", fail)
    assert len(shared) == 0
    assert isinstance(shared.get("k", Plan), Plan)  # and the next ask builds it


def test_the_oldest_figures_make_room_for_new_ones() -> None:
    shared = SharedFigures(max_entries=2)
    for k in "abc":
        shared.get(k, Plan)
    assert len(shared) == 2


# --------------------------------------------------------------------------------------------
# Never shared: anything personal, anything typed


def _shared_after_three_sessions() -> str:
    """A pot with a write-off typed, an estimate with a salary typed and a personal
    statement, in three sessions: the text of everything shared."""
    SHARED.clear()
    pot = open_team("pages/pot.py")
    pot.number_input(key="pot.hours").set_value(12.5).run()
    est = open_team("pages/estimate.py")
    est.number_input(key="estimate.salary").set_value(61_234)
    est.date_input(key="estimate.start").set_value(date(2019, 5, 6)).run()
    assert [m.label for m in est.metric], "the estimate was shown"
    me = next(p for p in books_of(pot).paid("2026-Q3")[0].payouts if p.eligible)
    token = sign_statement_token(SECRET.encode(), me.name, "2026-Q3",
                                 datetime.now(UTC) + timedelta(days=30))
    statement = open_team("pages/statement.py", query={"token": token})
    assert not statement.exception and statement.metric, "the statement was shown"
    shared = SHARED.values()
    assert shared, "the pages shared their figures"
    assert {type(v) for v in shared} <= set(COMPANY_TYPES), {type(v) for v in shared}
    return "\n".join(v.to_json() if isinstance(v, go.Figure) else repr(v) for v in shared)


def test_the_shared_figures_are_company_aggregates_only(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    """Only aggregates, policy and the pot chart are shared, and no roster name or salary is
    in them: nothing that the same pages on an anonymous roster (other names and salaries)
    do not share too."""
    assert set(SHAREABLE) == set(COMPANY_TYPES)
    real = _shared_after_three_sessions()
    monkeypatch.setenv("TEL_ROSTER", str(anonymous_copy(SAMPLE / "roster.csv",
                                                        tmp_path / "anon.csv")))
    anon = _shared_after_three_sessions()
    assert leaks(real, anon, roster_rows(SAMPLE / "roster.csv")) == []


def test_the_shared_cache_refuses_a_quarters_result() -> None:
    result = TeamBooks(sample_scenario(), group=3).paid("2026-Q3")[0]
    assert isinstance(result, QuarterResult)
    with pytest.raises(TypeError, match="QuarterResult may not be shared"):
        SHARED.get(("result", "2026-Q3"), lambda: result)
    assert len(SHARED) == 0


def test_a_session_keeps_only_the_result_its_own_write_off_needs() -> None:
    """The pot keeps one quarter's result in the session (the write-off is worked out on it),
    the estimator none: the books of every other quarter stay out of session state."""
    pot = open_team("pages/pot.py")
    assert len(books_of(pot)._paid_cache) == 1
    est = open_team("pages/estimate.py")
    est.number_input(key="estimate.salary").set_value(61_234)
    est.date_input(key="estimate.start").set_value(date(2019, 5, 6)).run()
    assert len(books_of(est)._paid_cache) == 0


def test_drawing_the_shared_pot_chart_leaves_it_as_it_was() -> None:
    at = open_team("pages/pot.py")
    q = str(at.selectbox(key="team.quarter_pick").value)
    fig = books_of(at).pot_figure(q)
    before = fig.to_json()
    open_team("pages/pot.py").number_input(key="pot.hours").set_value(3.0).run()
    assert books_of(at).pot_figure(q) is fig and fig.to_json() == before


def test_the_start_files_are_parsed_once_for_every_session() -> None:
    one, two = open_team("pages/pot.py"), open_team("pages/estimate.py")
    assert one.session_state["tel.source"].scenario is two.session_state["tel.source"].scenario
