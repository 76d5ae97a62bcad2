"""AppTest in the team audience: employees see the pot, an estimate and their own statement,
never a roster name, a salary or another person's check; owner pages stop before any data."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from apptest_support import metric, open_link, sample_scenario
from streamlit import config
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block
from team_privacy import (
    SAMPLE,
    anonymous_copy,
    anonymous_name,
    leaks,
    roster_rows,
    strict_leaks,
)

from tel.analysis.team import estimate_check, team_aggregates, team_view, writeoff_effect
from tel.core.money import format_money
from tel.core.periods import Quarter
from tel.engine.quarter import compute_quarter
from tel.io.links import sign_statement_link, sign_statement_token
from tel.ui.pages import PAGES, page_exists
from tel.ui.text import md

ROOT = Path(__file__).resolve().parents[1]
SECRET = "team-tests-secret-" + "x" * 32
OWNER_PAGES = [p.path for p in PAGES if "team" not in p.audiences and p.path != "app.py"
               and page_exists(p.path)]
TEAM_PAGES = ["pages/pot.py", "pages/estimate.py", "pages/statement.py"]


@pytest.fixture(autouse=True)
def team_audience(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TEL_AUDIENCE", "team")
    monkeypatch.setenv("TEL_LINK_SECRET", SECRET)
    monkeypatch.delenv("TEL_ROSTER", raising=False)
    monkeypatch.delenv("TEL_MIN_GROUP", raising=False)
    before = config.get_option("client.showErrorDetails")
    yield
    config.set_option("client.showErrorDetails", before)  # the team branch hides details


def open_team(page: str | None = None, query: dict[str, str] | None = None) -> AppTest:
    """A fresh session opened at ``page`` (a deep link, query included), or at the home
    address, which sends the team to the pot."""
    return open_link(page, query)


def all_text(at: AppTest) -> str:
    """Everything the run would send to a browser: every element's proto, as UTF-8."""
    return "\n".join(el.proto.SerializeToString().decode("utf-8", "ignore")
                     for el in at._tree if getattr(el, "proto", None) is not None)


def main_kinds(at: AppTest) -> list[str]:
    """The kinds of every element in the main area (containers left out)."""
    return [type(el).__name__ for el in at.main if not isinstance(el, Block)]


def anon_roster(tmp_path: Path, name: str = "roster.csv") -> Path:
    return anonymous_copy(SAMPLE / name, tmp_path / f"anon-{name}")


def token_for(name: str, quarter: str = "2026-Q3", days: int = 30,
              secret: str = SECRET) -> str:
    expires = datetime.now(UTC) + timedelta(days=days)
    return sign_statement_token(secret.encode(), name, quarter, expires)


# --------------------------------------------------------------------------------------------
# Every page, and no owner page


def test_the_home_address_sends_the_team_to_the_pot() -> None:
    at = open_team()
    assert at.title[0].value == "The pot"
    labels = [link.label for link in at.sidebar.get("page_link")]
    assert labels == ["The pot", "My estimate"]  # the statement is reached by a link only


@pytest.mark.parametrize("page", TEAM_PAGES)
@pytest.mark.parametrize("roster", ["roster.csv", "roster_1000.csv"])
def test_every_team_page_renders(page: str, roster: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEL_ROSTER", str(SAMPLE / roster))
    at = open_team(page)
    assert at.title, main_kinds(at)


@pytest.mark.parametrize("page", OWNER_PAGES)
def test_an_owner_page_by_deep_link_shows_only_the_refusal(page: str) -> None:
    at = open_team(page)
    assert main_kinds(at) == ["Error"]
    assert at.error[0].value.startswith("This page is not available here.")
    assert not at.metric and not at.dataframe and not at.selectbox
    assert "tel.source" not in at.session_state  # stopped before any data was read
    assert strict_leaks(all_text(at), roster_rows(SAMPLE / "roster.csv")) == []


def test_the_sidebar_shows_no_quarter_picker_and_no_data_label() -> None:
    at = open_team("pages/pot.py")
    assert not at.sidebar.selectbox and not at.sidebar.button
    assert not any("Data:" in c.value for c in at.sidebar.caption)


@pytest.mark.parametrize("roster", ["roster.csv", "roster_1000.csv"])
@pytest.mark.parametrize("page", ["pages/pot.py", "pages/estimate.py", "pages/statement.py"])
def test_team_pages_send_no_roster_name_or_salary(
    page: str, roster: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = roster_rows(SAMPLE / roster)
    texts = {}
    for label, path in (("real", SAMPLE / roster), ("anon", anon_roster(tmp_path, roster))):
        monkeypatch.setenv("TEL_ROSTER", str(path))
        text = []
        for quarter in ("2026-Q4", "2026-Q3", "2025-Q4"):  # every quarter picked on the page
            at = open_team(page)
            if at.selectbox:
                at.selectbox(key="team.quarter_pick").set_value(quarter).run()
            text.append(all_text(at))
        texts[label] = "\n".join(text)
    assert leaks(texts["real"], texts["anon"], rows) == []


def test_the_url_carries_no_what_if_in_the_team_audience() -> None:
    at = open_team("pages/pot.py", query={"house_pct": "90", "gp_2026-10": "999999"})
    v = team_view(*_books(), "2026-Q4")
    assert metric(at, "Staff pool so far") == shown(v.staff_pool, v)
    assert not at.toast


# --------------------------------------------------------------------------------------------
# The pot


def shown(cents: int, v: object) -> str:
    """A public money figure as the pot shows it: whole dollars, "about" once rounded."""
    text = format_money(cents, cents_shown=False)
    return f"about {text}" if getattr(v, "tel_profit", 0) else text


def _books() -> tuple:  # type: ignore[type-arg]
    s = sample_scenario()
    return s.plan, s.roster, s.months


@pytest.mark.parametrize("quarter", ["2026-Q3", "2026-Q4", "2025-Q4"])
def test_the_pots_figures_are_tel_teams(quarter: str) -> None:
    at = open_team("pages/pot.py")
    at.selectbox(key="team.quarter_pick").set_value(quarter).run()
    v = team_view(*_books(), quarter)
    assert metric(at, "GP so far") == shown(v.gp_to_date, v)
    assert metric(at, "Min GP so far") == format_money(v.threshold_to_date)
    assert metric(at, "TEL profit so far") == shown(v.tel_profit, v)
    assert metric(at, "Staff pool so far") == shown(v.staff_pool, v)
    assert metric(at, "Average check") == shown(v.average_check or 0, v)
    assert at.info[0].value == v.marginal_note
    texts = [e.value for e in (*at.success, *at.error)]
    assert v.gates.cash_sentence in texts and v.gates.ar_sentence in texts
    assert any(f"{v.pay_date:%A %d %B %Y}" in m.value for m in at.markdown)
    past = at.dataframe[0].value
    assert list(past["Quarter"]) == [p.quarter for p in reversed(v.past_quarters)]
    assert list(past["Staff pool"] * 100) == [p.staff_pool for p in reversed(v.past_quarters)]


def test_the_worked_example_quarter_shows_the_sources_pot_rounded() -> None:
    """$16,120.00 of TEL profit and a $12,090.00 staff pool, as the team may see them: TEL
    profit to the nearest $1,000 here (tel.analysis.privacy), the pools split from that."""
    at = open_team("pages/pot.py")
    at.selectbox(key="team.quarter_pick").set_value("2026-Q3").run()
    assert metric(at, "TEL profit so far") == "about $16,000"
    assert metric(at, "Staff pool so far") == "about $12,000"


def test_a_writeoff_costs_what_tel_team_says() -> None:
    at = open_team("pages/pot.py")
    at.selectbox(key="team.quarter_pick").set_value("2026-Q3").run()
    at.number_input(key="pot.hours").set_value(12.5).run()
    at.number_input(key="pot.rate").set_value(140.0).run()
    e = writeoff_effect(*_books(), "2026-Q3", Decimal("12.5"), Decimal("140.0"))
    assert metric(at, "Cost to the staff pool") == format_money(e.staff_pool_cost)
    assert e.sentence in [m.value for m in at.markdown]
    assert e.sentence.startswith("12.5 hours written off at $140.00 an hour cost the staff pool")


def test_the_quarter_picked_on_the_pot_stays_on_the_estimate() -> None:
    at = open_team("pages/pot.py")
    at.selectbox(key="team.quarter_pick").set_value("2026-Q3").run()
    at.switch_page("pages/estimate.py").run()
    assert at.selectbox(key="team.quarter_pick").value == "2026-Q3"


def _team_books():  # type: ignore[no-untyped-def]
    from tel.ui.team import TeamBooks

    return TeamBooks(sample_scenario(), group=3)


def test_the_open_quarter_shows_the_chance_of_a_bonus_and_the_average_range() -> None:
    at = open_team("pages/pot.py")
    at.selectbox(key="team.quarter_pick").set_value("2026-Q4").run()
    risk = _team_books().risk("2026-Q4")
    assert risk is not None and risk.chance_pct % 5 == 0
    chance = metric(at, "Chance of a bonus this quarter")
    assert chance == risk.chance_text
    assert chance in ("almost certain", "unlikely") or chance.startswith("about ")
    assert risk.average_p10 is not None and risk.average_p90 is not None
    assert metric(at, "Average check, likely range") == (
        f"{format_money(risk.average_p10, cents_shown=False)} to "
        f"{format_money(risk.average_p90, cents_shown=False)}")
    assert risk.note in [c.value for c in at.caption]
    # a complete quarter shows nothing new
    at.selectbox(key="team.quarter_pick").set_value("2026-Q3").run()
    assert "Chance of a bonus this quarter" not in [m.label for m in at.metric]


def test_the_estimator_gives_a_range_for_my_check_in_the_open_quarter() -> None:
    at = open_team("pages/estimate.py")
    at.selectbox(key="team.quarter_pick").set_value("2026-Q4").run()
    _estimate(at, 61_234, date(2019, 5, 6))
    e = _team_books().estimate("2026-Q4", Decimal(61_234), date(2019, 5, 6))
    assert e.range_p10 is not None and e.range_p90 is not None
    assert metric(at, "My check this quarter, likely range") == (
        f"{format_money(e.range_p10)} to {format_money(e.range_p90)}")
    at.selectbox(key="team.quarter_pick").set_value("2026-Q3").run()
    assert "My check this quarter, likely range" not in [m.label for m in at.metric]


@pytest.mark.parametrize("page", ["pages/pot.py", "pages/estimate.py"])
def test_the_chance_and_ranges_send_no_roster_name_or_salary(
    page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = roster_rows(SAMPLE / "roster.csv")
    texts = {}
    for label, path in (("real", SAMPLE / "roster.csv"), ("anon", anon_roster(tmp_path))):
        monkeypatch.setenv("TEL_ROSTER", str(path))
        at = open_team(page)
        at.selectbox(key="team.quarter_pick").set_value("2026-Q4").run()
        if page == "pages/estimate.py":
            _estimate(at, 61_234, date(2019, 5, 6))
            assert "My check this quarter, likely range" in [m.label for m in at.metric]
        else:
            assert "Chance of a bonus this quarter" in [m.label for m in at.metric]
        texts[label] = all_text(at)
    assert leaks(texts["real"], texts["anon"], rows) == []


# --------------------------------------------------------------------------------------------
# The estimator


def _estimate(at: AppTest, salary: int, start: date, perf: float = 1.0,
              average_gp: int | None = None, counted: bool = True) -> None:
    at.number_input(key="estimate.salary").set_value(salary)
    at.date_input(key="estimate.start").set_value(start)
    at.number_input(key="estimate.performance").set_value(perf)
    at.number_input(key="estimate.average_gp").set_value(average_gp)
    at.toggle(key="estimate.counted").set_value(counted)
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def _expected(quarter: str, salary: int, start: date, perf: str = "1",
              average_gp: int | None = None, counted: bool = True):  # type: ignore[no-untyped-def]
    plan, roster, months = _books()
    q = Quarter.parse(quarter)
    agg = team_aggregates(plan, roster, months, q)
    return estimate_check(agg, salary, start, plan, q.last_day(), q.pay_date(1, plan.pay_day),
                          Decimal(perf), average_monthly_gp=average_gp, counted=counted)


def test_the_estimator_asks_first_and_shows_nothing_until_told() -> None:
    at = open_team("pages/estimate.py")
    assert "Type your annual salary" in at.info[0].value
    assert not at.metric and not at.dataframe


@pytest.mark.parametrize("counted", [True, False])
def test_the_estimators_numbers_are_estimate_checks(counted: bool) -> None:
    at = open_team("pages/estimate.py")
    at.selectbox(key="team.quarter_pick").set_value("2026-Q3").run()
    _estimate(at, 61_234, date(2019, 5, 6), 1.1, average_gp=70_000, counted=counted)
    e = _expected("2026-Q3", 61_234, date(2019, 5, 6), "1.1", 70_000, counted)
    assert e.eligible and e.now is not None and e.now.total is not None
    assert metric(at, "My estimated check now") == format_money(e.now.total)
    assert metric(at, "Team part") == format_money(e.now.team)
    assert metric(at, "Merit part") == format_money(e.now.merit or 0)
    table = at.dataframe[0].value
    assert list(table["Scenario"]) == [s.label for s in e.scenarios]
    assert [round(x * 100) for x in table["My check"]] == [s.total for s in e.scenarios]
    assert [round(x * 100) for x in table["Quarter GP"]] == [s.gp_total for s in e.scenarios]
    assert "full quarter at $70,000.00 a month" in list(table["Scenario"])
    assert at.query_params == {}  # nothing typed is put in the address


def test_someone_new_is_told_from_which_quarter_they_are_eligible() -> None:
    at = open_team("pages/estimate.py")
    at.selectbox(key="team.quarter_pick").set_value("2026-Q3").run()
    _estimate(at, 61_234, date(2026, 2, 1))
    e = _expected("2026-Q3", 61_234, date(2026, 2, 1))
    assert not e.eligible and e.eligible_from == "2026-Q4"
    assert at.warning[0].value == f"Not eligible for 2026-Q3: {e.reason}."
    assert "eligible from 2026-Q4" in at.warning[0].value
    assert not at.metric


def test_a_weight_above_the_rounded_group_still_gets_an_estimate() -> None:
    """The group's weight is public, so rounded; counted among the group, a person's merit
    share is at most 1 (never a refusal that reveals where the rounded weight lies)."""
    at = open_team("pages/estimate.py")
    _estimate(at, 10_000_000, date(1960, 1, 1), 10.0)
    assert metric(at, "My estimated check now").startswith("$")
    _estimate(at, 10_000_000, date(1960, 1, 1), 10.0, counted=False)
    assert metric(at, "My estimated check now").startswith("$")


def _small_group(tmp_path: Path) -> Path:
    """Two eligible people, an owner and a contractor."""
    path = tmp_path / "small.csv"
    path.write_text(
        "name,salary,start_date,end_date,employment,full_time,owner\n"
        "Olga Owner,150000,2010-01-01,,w2,true,true\n"
        "Ida Alpha,61000,2015-01-01,,w2,true,false\n"
        "Ben Beta,73000,2016-01-01,,w2,true,false\n"
        "Cy Contractor,40000,2016-01-01,,contractor,true,false\n",
        encoding="utf-8")
    return path


def test_a_small_group_hides_every_per_check_figure(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEL_ROSTER", str(_small_group(tmp_path)))
    at = open_team("pages/pot.py")
    at.selectbox(key="team.quarter_pick").set_value("2026-Q3").run()
    assert metric(at, "Average check") == "hidden"
    assert "fewer than 3 people" in at.info[0].value
    at.switch_page("pages/estimate.py").run()
    _estimate(at, 61_234, date(2019, 5, 6))
    assert metric(at, "My team check now").startswith("$")
    assert metric(at, "Merit part") == "hidden"
    assert any("Only your team share is shown" in c.value for c in at.caption)
    table = at.dataframe[0].value
    assert table["My check"].isna().all() and table["My merit check"].isna().all()


def test_the_privacy_threshold_can_be_raised_not_lowered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEL_MIN_GROUP", "50")
    at = open_team("pages/pot.py")
    assert metric(at, "Average check") == "hidden"
    monkeypatch.setenv("TEL_MIN_GROUP", "1")
    at = open_team("pages/pot.py")
    assert metric(at, "Average check").startswith("about $")


# --------------------------------------------------------------------------------------------
# Personal statements


def test_without_a_token_the_statement_page_explains_itself() -> None:
    at = open_team("pages/statement.py")
    assert "opens from the private link" in at.info[0].value
    assert not at.metric


@pytest.mark.parametrize("row", [1, 3, 4, 12])  # an owner, two eligible, someone too new
def test_a_personal_link_shows_exactly_that_persons_check(
    row: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = roster_rows(SAMPLE / "roster.csv")
    me = rows[row]
    plan, roster, months = _books()
    result = compute_quarter(plan, roster, months, Quarter(2026, 3))
    mine = next(p for p in result.payouts if p.name == me.name)

    at = open_team("pages/statement.py", query={"token": token_for(me.name)})
    assert metric(at, "Your check (estimate)") == format_money(mine.total)  # not approved
    assert any("Estimate, not approved yet" in w.value for w in at.warning)
    assert at.subheader[0].value == f"{md(me.name)}: your TEL bonus for 2026-Q3"
    text = all_text(at)

    monkeypatch.setenv("TEL_ROSTER", str(anon_roster(tmp_path)))
    ref = all_text(open_team("pages/statement.py", query={"token": token_for(anonymous_name(row))}))
    assert leaks(text, ref, rows, exempt={me.name}) == []
    shown = {format_money(x) for x in (mine.team, mine.merit, mine.total, result.staff_pool,
                                        result.team_pool, result.merit_pool, result.house)}
    others = {format_money(p.total) for p in result.payouts if p.name != me.name} - shown
    assert [c for c in others if c in text] == []


def test_the_statement_pdf_is_offered() -> None:
    at = open_team("pages/statement.py", query={"token": token_for("Renée Hébert")})
    buttons = at.get("download_button")
    assert len(buttons) == 1 and "statement" in buttons[0].proto.label.lower()


def _refused_only(at: AppTest) -> str:
    assert main_kinds(at) == ["Title", "Error"], main_kinds(at)
    assert not at.metric and not at.table and not at.get("download_button")
    assert strict_leaks(all_text(at), roster_rows(SAMPLE / "roster.csv")) == []
    return str(at.error[0].value)


def test_a_tampered_link_is_refused_and_shows_nothing_else() -> None:
    token = token_for("Renée Hébert")
    body, sig = token.split(".")
    other = token_for("Tanya Guidry").split(".")[0]
    for bad in (f"{other}.{sig}", f"{body}.{sig[:-2]}{'A' if sig[-2] != 'A' else 'B'}{sig[-1]}"):
        reason = _refused_only(open_team("pages/statement.py", query={"token": bad}))
        assert "altered" in reason or "damaged" in reason


def test_an_expired_link_is_refused() -> None:
    reason = _refused_only(open_team("pages/statement.py",
                                     query={"token": token_for("Renée Hébert", days=-1)}))
    assert "expired" in reason


def test_a_link_from_another_secret_is_refused() -> None:
    token = token_for("Renée Hébert", secret="another-secret-" + "y" * 32)
    assert "different key" in _refused_only(open_team("pages/statement.py",
                                                      query={"token": token}))


@pytest.mark.parametrize("bad", ["abc", "a.b.c", "x" * 5000, "%00", "é.é"])
def test_a_malformed_link_is_refused(bad: str) -> None:
    assert "incomplete or damaged" in _refused_only(
        open_team("pages/statement.py", query={"token": bad}))


def test_a_link_for_someone_not_on_the_roster_is_refused() -> None:
    assert "not on the current roster" in _refused_only(
        open_team("pages/statement.py", query={"token": token_for("Nobody Here")}))


def test_a_link_to_a_quarter_not_booked_is_refused() -> None:
    assert "not on this site yet" in _refused_only(
        open_team("pages/statement.py", query={"token": token_for("Renée Hébert", "2030-Q1")}))


def test_without_a_secret_no_link_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    token = token_for("Renée Hébert")
    monkeypatch.delenv("TEL_LINK_SECRET")
    assert "not set up" in _refused_only(open_team("pages/statement.py",
                                                   query={"token": token}))


def test_a_link_made_on_the_links_page_opens_on_the_team_pages() -> None:
    link = sign_statement_link(SECRET.encode(), "Kim Nguyen", "2026-Q4",
                               datetime.now(UTC) + timedelta(days=2), "http://x/statement")
    at = open_team("pages/statement.py", query={"token": link.split("token=")[1]})
    assert at.subheader[0].value == "Kim Nguyen: your TEL bonus for 2026-Q4"


def test_what_was_typed_in_the_estimator_is_gone_once_the_page_is_left() -> None:
    at = open_team("pages/estimate.py")
    _estimate(at, 61_234, date(2019, 5, 6))
    assert metric(at, "My estimated check now").startswith("$")
    at.switch_page("pages/pot.py").run()
    assert "estimate.salary" not in at.session_state
    at.switch_page("pages/estimate.py").run()
    assert at.number_input(key="estimate.salary").value is None
    assert at.date_input(key="estimate.start").value is None
    assert not at.metric


def test_a_personal_link_shows_the_approved_check_not_the_books(tmp_path: Path) -> None:
    """Approve 2026-Q3 with house 30% and team 40%: the link, its PDF and the pot show the
    approval in force (what payroll pays), not the books' figures."""
    import os

    from tel.io.exports import payroll_csv
    from tel.io.store import Store
    from tel.render.statement import statement_filename

    books = sample_scenario()
    changed = books.model_copy(update={"plan": books.plan.model_copy(
        update={"house_pct": Decimal(30), "team_pct": Decimal(40)})})
    store = Store(Path(os.environ["TEL_DATA_DIR"]) / "tel.sqlite3")
    version = store.create("Approved plan", changed)
    snap = store.approve(version.id, "2026-Q3", "as agreed", "Owner")
    approved = snap.result()
    name = next(p.name for p in approved.payouts if p.eligible)
    mine = next(p for p in approved.payouts if p.name == name)
    booked = next(p for p in compute_quarter(books.plan, books.roster, books.months,
                                             Quarter(2026, 3)).payouts if p.name == name)
    assert mine.total != booked.total
    assert f"{name},{Decimal(mine.total) / 100:.2f}" in payroll_csv(approved, snap).decode(
        "utf-8-sig")

    at = open_team("pages/statement.py", query={"token": token_for(name)})
    assert metric(at, "Your check") == format_money(mine.total)
    assert any(f"approval #{snap.id}" in s.value for s in at.success)
    pdf_button = at.get("download_button")[0]
    assert pdf_button.proto.label == "Download my statement (PDF)"
    assert statement_filename(approved, name, snap).endswith(".pdf")
    assert "DRAFT" not in statement_filename(approved, name, snap)

    pot = open_team("pages/pot.py")
    pot.selectbox(key="team.quarter_pick").set_value("2026-Q3").run()
    assert any(f"approval #{snap.id}" in s.value for s in pot.success)


def test_under_a_plan_with_employer_tax_and_a_holdback_the_pot_says_what_is_paid_out(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text((SAMPLE / "plan.toml").read_text(encoding="utf-8")
                    + "\n[payroll_tax]\nemployer_pct = 7.65\n\n[reserve]\nholdback_pct = 10\n",
                    encoding="utf-8")
    monkeypatch.setenv("TEL_PLAN", str(plan))
    texts = {}
    for label, path in (("real", SAMPLE / "roster.csv"), ("anon", anon_roster(tmp_path))):
        monkeypatch.setenv("TEL_ROSTER", str(path))
        at = open_team("pages/pot.py")
        at.selectbox(key="team.quarter_pick").set_value("2026-Q3").run()
        [paid] = [i.value for i in at.info if "Paid out in checks" in i.value]
        assert "held back until the year's fourth quarter" in paid
        assert "employer's payroll tax" in paid
        texts[label] = all_text(at)
    assert leaks(texts["real"], texts["anon"], roster_rows(SAMPLE / "roster.csv")) == []


def _plan_with(tmp_path: Path, extra: str) -> Path:
    plan = tmp_path / "plan.toml"
    plan.write_text((SAMPLE / "plan.toml").read_text(encoding="utf-8") + extra, encoding="utf-8")
    return plan


def test_under_a_monthly_floor_the_pot_shows_gp_as_booked_and_says_a_weak_month_costs_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    """2026-Q3 of the sample under a monthly floor: GP $202,120 is $16,120 over Min GP and
    August's $2,657 below it costs nothing, so TEL profit is $18,777. The pot once showed
    "GP so far about $206,000" and the TEL profit as "Above Min GP"."""
    from tel.io.loaders import read_scenario

    plan_file = _plan_with(tmp_path, '\n[netting]\nmode = "monthly_floor"\n')
    monkeypatch.setenv("TEL_PLAN", str(plan_file))
    at = open_team("pages/pot.py")
    at.selectbox(key="team.quarter_pick").set_value("2026-Q3").run()
    s = read_scenario(plan_file, SAMPLE / "roster.csv", SAMPLE / "months.csv").unwrap()
    v = team_view(s.plan, s.roster, s.months, "2026-Q3")
    half = v.money_step // 2
    assert abs(v.gp_to_date - 20_212_000) <= half and abs(v.above_threshold - 1_612_000) <= half
    assert abs(v.tel_profit - 1_877_700) <= half
    assert metric(at, "GP so far") == shown(v.gp_to_date, v)
    assert metric(at, "Above Min GP") == shown(v.above_threshold, v)
    assert metric(at, "TEL profit so far") == shown(v.tel_profit, v)
    helps = {m.label: m.proto.help for m in at.metric}
    assert helps["Above Min GP"] == v.above_note
    assert "a month below Min GP costs nothing" in helps["Above Min GP"]
    assert helps["TEL profit so far"] == v.tel_profit_note
    assert "added up (a month below Min GP counts as $0)" in helps["TEL profit so far"]
    assert helps["Staff pool so far"] == v.pools_note
    assert "salary x years of service, times performance" in helps["Staff pool so far"]
    assert "made up by strong ones" not in all_text(at)


def test_the_pots_help_names_the_plans_merit_formula(monkeypatch: pytest.MonkeyPatch,
                                                    tmp_path: Path) -> None:
    monkeypatch.setenv("TEL_PLAN", str(_plan_with(tmp_path, '\n[merit]\nformula = "salary"\n')))
    at = open_team("pages/pot.py")
    helps = {m.label: m.proto.help for m in at.metric}
    assert "by merit weight (salary only, times performance)" in helps["Staff pool so far"]
    assert "years" not in helps["Staff pool so far"]
    at.switch_page("pages/estimate.py").run()
    _estimate(at, 61_234, date(2019, 5, 6))
    helps = {m.label: m.proto.help for m in at.metric}
    assert helps["Merit part"] == ("Your merit weight (salary only, times performance) over "
                                   "the group's total.")


def test_the_past_quarters_show_whole_dollars_and_say_why_an_average_is_missing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    """What was paid out is the public figure in whole dollars, like the pools next to it (it
    once showed $15,675.80); an average hidden for a small group says "hidden", never
    "None"; the chart's axis label fits and its legend says paid from not paid."""
    monkeypatch.setenv("TEL_PLAN", str(_plan_with(
        tmp_path, "\n[payroll_tax]\nemployer_pct = 7.65\n\n[reserve]\nholdback_pct = 10\n")))
    at = open_team("pages/pot.py")
    table = at.dataframe[0]
    config = json.loads(table.proto.columns)
    for column in ("TEL profit", "Staff pool", "Paid out"):
        assert config[column]["type_config"] == {"type": "number", "format": "dollar", "step": 1}
    assert config["Average check"]["type_config"] == {"type": "text"}
    averages = list(table.value["Average check"])
    assert all(isinstance(a, str) and a != "None" for a in averages)
    assert any(a.startswith("$") for a in averages)
    [chart] = [e for e in at.main if "VegaLiteChart" in type(getattr(e, "proto", None)).__name__]
    spec = json.loads(chart.proto.spec)
    assert spec["encoding"]["y"]["title"] == "Pot ($)"
    assert spec["encoding"]["color"]["scale"]["domain"] == ["Paid out", "Not paid"]
    assert any("blue is what was paid out" in c.value for c in at.caption)

    monkeypatch.setenv("TEL_ROSTER", str(_small_group(tmp_path)))
    small = open_team("pages/pot.py")
    averages = list(small.dataframe[0].value["Average check"])
    assert "hidden" in averages and set(averages) <= {"hidden", ""}
