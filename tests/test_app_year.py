"""AppTest: the Fiscal year page shows the ledger of the chosen fiscal year, each person's
year to the cent, and two plan designs over the same year."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from apptest_support import charts, choose_quarter, metric, open_app, sample_scenario
from streamlit.testing.v1 import AppTest

from tel.analysis.compare import moves
from tel.analysis.whatif import with_values
from tel.analysis.year import year_changes, year_totals
from tel.core.money import format_money
from tel.engine.year import YearResult, compute_year

PAGE = "pages/year.py"


def exact(fiscal_year: int = 2026, roster: str = "roster.csv", **values: object) -> YearResult:
    s = sample_scenario(roster)
    return compute_year(with_values(s.plan, values), s.roster, s.months, fiscal_year)


def people(at: AppTest):  # type: ignore[no-untyped-def]
    return next(d.value for d in at.dataframe if "department" in d.value.columns
                and not d.value["name"].iloc[0].startswith("All "))


def chart_titles(at: AppTest) -> list[str]:
    return [json.loads(c)["layout"]["title"]["text"] for c in charts(at)]


def test_the_year_page_shows_every_booked_quarter_of_the_fiscal_year() -> None:
    at = open_app(PAGE)  # the sample's latest quarter is 2026-Q4: fiscal year 2026
    assert at.selectbox(key="year.pick").value == 2026
    ledger = at.dataframe[0].value
    year = exact()
    assert ledger.columns.tolist() == [r.quarter for r in year.quarters] + ["Year"]
    assert ledger.columns.tolist() == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4", "Year"]
    assert ledger.loc["TEL profit", "2026-Q3"] == "$16,120.00"
    totals = year_totals(year)
    assert ledger.loc["Paid in checks", "Year"] == format_money(year.paid)
    assert metric(at, "TEL profit") == format_money(totals.tel_profit)
    assert metric(at, "Paid in checks") == format_money(year.paid)
    assert metric(at, "Staff pool") == format_money(totals.staff_pool)


def test_each_persons_year_equals_compute_year_to_the_cent() -> None:
    at = open_app(PAGE)
    year = exact()
    frame = people(at)
    assert frame["name"].tolist() == year.names
    assert [round(t * 100) for t in frame["total"]] == year.totals()
    for r in year.quarters:
        assert [round(c * 100) for c in frame[r.quarter]] == [p.total for p in r.payouts]
    total = next(d.value for d in at.dataframe if "department" in d.value.columns
                 and d.value["name"].iloc[0].startswith("All "))
    assert round(total["total"].iloc[0] * 100) == year.paid


def test_choosing_another_fiscal_year_moves_the_quarter_everywhere() -> None:
    at = open_app(PAGE)
    at.selectbox(key="year.pick").set_value(2025).run()
    assert not at.exception
    assert at.sidebar.selectbox(key="tel.quarter_pick").value == "2025-Q4"
    ledger = at.dataframe[0].value
    assert ledger.columns.tolist() == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "Year"]
    assert ledger.loc["Gates", "2025-Q4"] == "failed: cash"  # 2025-12 cash $46,880
    assert metric(at, "Paid in checks") == format_money(exact(2025).paid)


def test_the_sidebar_quarter_chooses_the_year() -> None:
    at = open_app(PAGE)
    choose_quarter(at, "2024-Q3")
    assert at.selectbox(key="year.pick").value == 2024
    assert at.dataframe[0].value.columns.tolist() == ["2024-Q3", "2024-Q4", "Year"]


def test_finding_people_narrows_the_table_and_the_caption_totals_them() -> None:
    at = open_app(PAGE)
    at.text_input(key="year.find").set_value("projects").run()
    frame = people(at)
    assert set(frame["department"]) == {"Projects"}
    year = exact()
    mine = sum(t for n, t, p in zip(year.names, year.totals(), year.quarters[0].payouts,
                                    strict=True) if p.department == "Projects")
    assert any(f"their checks total {format_money(mine)}" in c.value for c in at.caption)


def test_a_what_if_year_says_so_first_and_on_its_chart() -> None:
    at = open_app(PAGE, query={"netting": "monthly_floor"})
    banner = at.warning[0].value
    assert banner.startswith("**What-if.**")
    assert "monthly" in banner and "loaded quarter" in banner
    assert any("[What-if]" in t for t in chart_titles(at))
    assert metric(at, "TEL profit") == format_money(
        year_totals(exact(netting="monthly_floor")).tel_profit)


def test_the_books_year_says_so() -> None:
    at = open_app(PAGE)
    assert any("As booked" in c.value for c in at.caption)
    assert any("[As booked]" in t for t in chart_titles(at))


def test_two_designs_over_the_year_show_both_totals_and_who_gains() -> None:
    at = open_app(PAGE)
    at.selectbox(key="year.vary").set_value("netting").run()
    at.selectbox(key="year.value.netting").set_value("monthly_floor").run()
    assert not at.exception
    a, b = exact(), exact(netting="monthly_floor")
    summary = next(d.value for d in at.dataframe if "Change" in d.value.columns)
    assert summary.columns.tolist() == ["A: Within the quarter", "B: Monthly floor", "Change"]
    assert summary.loc["Paid in checks"].tolist()[:2] == [format_money(a.paid),
                                                        format_money(b.paid)]
    assert summary.loc["TEL profit", "B: Monthly floor"] == format_money(
        year_totals(b).tel_profit)
    mv = moves(*year_changes(a, b))
    assert metric(at, "People who gain") == f"{mv.gains:,}"
    assert metric(at, "People who lose") == f"{mv.losses:,}"
    assert metric(at, "Unchanged") == f"{mv.unchanged:,}"


def test_a_numeric_design_choice_compares_once_it_differs() -> None:
    at = open_app(PAGE)
    at.selectbox(key="year.vary").set_value("holdback_pct").run()
    assert any("B is the same as A" in i.value for i in at.info)
    at.slider(key="year.value.holdback_pct").set_value(20.0).run()
    assert not at.exception
    b = exact(holdback_pct=Decimal(20))
    summary = next(d.value for d in at.dataframe if "Change" in d.value.columns)
    assert summary.loc["Held back", "B: 20%"] == format_money(year_totals(b).held_back)
    assert metric(at, "People who lose") == f"{moves(*year_changes(exact(), b)).losses:,}"


def test_the_year_page_is_in_the_menu() -> None:
    at = open_app()
    links = {link.proto.page: link.proto.label for link in at.sidebar.get("page_link")}
    assert links["year"] == "Fiscal year"


@pytest.mark.parametrize("query", [{}, {"netting": "carry_forward", "holdback_pct": "10"}])
def test_a_1000_person_year_stays_a_table(monkeypatch: pytest.MonkeyPatch,
                                          query: dict[str, str]) -> None:
    monkeypatch.setenv("TEL_ROSTER", "sample_data/roster_1000.csv")
    at = open_app(PAGE, query=query)
    frame = people(at)
    assert len(frame) == 1000
    assert len(charts(at)) == 1  # the months' chart: no per-person chart
    year = exact(roster="roster_1000.csv", **{
        "netting": "carry_forward", "holdback_pct": Decimal(10)} if query else {})
    assert [round(t * 100) for t in frame["total"]] == year.totals()


# --------------------------------------------------------------------------- at 1024 px


def metric_rows(at: AppTest) -> list[list[str]]:
    """The labels of the metrics, row by row (one row per line of columns)."""
    rows = []
    for block in at.main.children.values():
        if block.type != "flex_container":
            continue
        labels = [m.label for col in block.children.values() for m in col.children.values()
                  if m.type == "metric"]
        if labels:
            rows.append(labels)
    return rows


def columns_of(frame: Any) -> dict[str, Any]:
    """A dataframe element's column settings, as the page gave them."""
    return dict(json.loads(frame.proto.columns))


def test_the_years_totals_are_two_to_a_row_so_dollars_and_cents_fit_at_1024_px() -> None:
    at = open_app(PAGE)
    totals = [r for r in metric_rows(at) if "TEL profit" in r or "Employer tax" in r
              or "Paid in checks" in r]
    assert totals and all(len(r) <= 2 for r in totals)
    assert sum(len(r) for r in totals) == 6


def test_the_ledger_keeps_the_year_column_in_view_with_widths_for_its_money() -> None:
    at = open_app(PAGE)
    ledger = at.dataframe[0]
    config = columns_of(ledger)
    assert config["Year"]["pinned"] is True  # a narrow window scrolls quarters, not the year
    for column in ledger.value.columns:
        longest = max(len(str(v)) for v in ledger.value[column])
        assert int(config[column]["width"]) >= 8 * longest, column
    labels = max(len(str(i)) for i in ledger.value.index)
    assert int(config["_index"]["width"]) >= 7 * labels


def test_the_ledger_reserve_adds_up_carried_in_plus_held_back_less_released() -> None:
    at = open_app(PAGE, query={"holdback_pct": "10"})
    ledger = at.dataframe[0].value
    year = exact(holdback_pct=Decimal(10))
    first = year.quarters[0]
    assert ledger.loc["Reserve carried in", "Year"] == format_money(first.reserve_in) != "$0.00"
    assert ledger.loc["Reserve at the end", "Year"] == format_money(
        first.reserve_in + sum(r.held_back for r in year.quarters)
        - sum(r.released for r in year.quarters))
    rows = ledger.index.tolist()
    assert rows.index("Reserve carried in") < rows.index("Held back") < rows.index(
        "Released") < rows.index("Reserve at the end")


def test_b_is_called_a_what_if_on_the_books_and_one_more_change_on_a_what_if() -> None:
    at = open_app(PAGE)
    at.selectbox(key="year.value.netting").set_value("monthly_floor").run()
    words = " ".join(c.value for c in at.caption)
    assert "A is the books as loaded; B changes one design choice: a what-if, not the books." \
        in words
    assert "on top of as booked" not in words
    at = open_app(PAGE, query={"holdback_pct": "10"})
    at.selectbox(key="year.value.netting").set_value("monthly_floor").run()
    words = " ".join(c.value for c in at.caption)
    assert "A is this page's what-if, not the books; B changes one more design choice" in words


def test_who_gains_over_the_year_shows_name_a_b_and_change_in_about_500_px() -> None:
    at = open_app(PAGE)
    at.selectbox(key="year.value.netting").set_value("monthly_floor").run()
    tables = [d for d in at.dataframe if "change" in d.value.columns]
    assert tables
    for table in tables:
        config = columns_of(table)
        assert [config[c]["label"] for c in ("name", "before", "after", "change")] == [
            "Name", "A", "B", "Change"]
        widths = [int(config[c]["width"]) for c in ("name", "before", "after", "change")]
        assert sum(widths) <= 500
        assert str(config["before"]["help"]).startswith("A: ")
