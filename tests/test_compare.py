"""Scenarios side by side: the summary and the per-person table agree with tel to the cent."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
from apptest_support import sample_scenario
from case_files import scenario_of
from hypothesis import given, settings
from strategies_partwo import Case, cases, examples

from tel.analysis.compare import (
    Move,
    Side,
    changes,
    changes_from_first,
    checks_frame,
    moves,
    moves_frame,
    summary_frame,
)
from tel.analysis.whatif import with_values
from tel.analysis.year import (
    compare_years,
    people_frame,
    quarters_table,
    total_cents,
    total_row,
    year_changes,
    year_months,
    year_provenance,
    year_totals,
)
from tel.core.models import Scenario
from tel.core.money import format_money
from tel.core.periods import Quarter
from tel.engine.quarter import QuarterResult, compute_quarter
from tel.engine.year import YearResult, compute_year, fiscal_years

Q3 = Quarter(2026, 3)


def result(**plan: object) -> QuarterResult:
    s = sample_scenario()
    return compute_quarter(s.plan.model_copy(update=plan), s.roster, s.months, Q3)


def test_the_summary_shows_each_figure_and_its_difference_from_a() -> None:
    text, differs = summary_frame([Side("A", result()), Side("B", result(house_pct=Decimal(30)))])
    assert text.loc["TEL profit"].tolist() == ["$16,120.00", "$16,120.00"]
    assert text.loc["House", "B"] == "$4,836.00 (+$806.00)"
    assert text.loc["Staff pool", "B"] == "$11,284.00 (-$806.00)"
    assert differs["B"].tolist() == [False, False, False, True, True, True, True, False, False,
                                     True, True]
    assert not differs["A"].any()


def test_a_side_without_a_result_shows_dashes_and_the_others_still_compare() -> None:
    text, _ = summary_frame([Side("A", result()), Side("B", None, "not booked")])
    assert set(text["B"]) == {"—"}


def test_failed_gates_and_counts_read_in_words() -> None:
    failed = result(min_cash=Decimal(60000))
    text, _ = summary_frame([Side("A", result()), Side("B", failed)])
    assert text.loc["Gates", "B"] == "failed: cash"
    assert text.loc["Average check", "B"].startswith("$0.00 (-$")


def test_checks_are_in_cents_with_the_change_between_the_first_two() -> None:
    a, b = result(), result(team_pct=Decimal(80))
    frame = checks_frame([Side("A", a), Side("B", b)])
    assert frame["name"].tolist() == [p.name for p in a.payouts]
    assert frame["A"].tolist() == [p.total for p in a.payouts]
    assert frame["change_B"].tolist() == [q.total - p.total
                                          for p, q in zip(a.payouts, b.payouts, strict=True)]
    assert int(frame["A"].sum()) == a.paid == int(frame["B"].sum()) == b.paid
    changed = checks_frame([Side("A", a), Side("B", b)], changed_only=True)
    assert len(changed) == sum(1 for p, q in zip(a.payouts, b.payouts, strict=True)
                               if p.total != q.total) > 0


def test_someone_on_only_one_roster_shows_as_missing_and_differs() -> None:
    s = sample_scenario()
    fewer = Scenario(plan=s.plan, months=s.months, roster=s.roster[:-1])
    a = result()
    b = compute_quarter(fewer.plan, fewer.roster, fewer.months, Q3)
    frame = checks_frame([Side("A", b), Side("B", a)])
    last = frame.iloc[-1]
    assert last["name"] == s.roster[-1].name
    assert pd.isna(last["A"]) and bool(last["differs"])
    names, before, after = changes(b, a)
    assert s.roster[-1].name not in names and len(names) == len(before) == len(after)


def test_every_column_after_the_first_shows_its_difference_from_the_first() -> None:
    a, b, c = result(), result(house_pct=Decimal(30)), result(house_pct=Decimal(20))
    d = result(team_pct=Decimal(80))
    text, differs = summary_frame([Side("A", a), Side("B", b), Side("C", c), Side("D", d)])
    assert text.loc["House", "B"] == "$4,836.00 (+$806.00)"
    assert text.loc["House", "C"] == "$3,224.00 (-$806.00)"  # against A, not against B
    assert text.loc["House", "D"] == "$4,030.00" and not differs.loc["House", "D"]
    assert text.loc["Team pool", "D"] == "$9,672.00 (+$3,627.00)"
    assert differs.loc["Staff pool", ["B", "C", "D"]].tolist() == [True, True, False]


def test_checks_show_the_change_of_every_later_column_from_the_first() -> None:
    a, b, c = result(), result(team_pct=Decimal(80)), result(team_pct=Decimal(20))
    frame = checks_frame([Side("A", a), Side("B", b), Side("C", c)])
    for column, later in (("change_B", b), ("change_C", c)):
        assert frame[column].tolist() == [q.total - p.total
                                          for p, q in zip(a.payouts, later.payouts, strict=True)]
    # someone whose check moves only in C still differs
    only_c = checks_frame([Side("A", a), Side("B", a), Side("C", c)], changed_only=True)
    assert len(only_c) > 0 and (only_c["change_B"] == 0).all()
    assert (only_c["change_C"] != 0).all()


def test_changes_from_the_first_cover_every_later_column() -> None:
    s = sample_scenario()
    fewer = Scenario(plan=s.plan, months=s.months, roster=s.roster[:-1])
    a, b = result(), result(team_pct=Decimal(80))
    c = compute_quarter(fewer.plan, fewer.roster, fewer.months, Q3)
    names, base, later = changes_from_first(
        [Side("A", a), Side("B", b), Side("X", None, "not booked"), Side("C", c)])
    assert names == [p.name for p in a.payouts] and base == [p.total for p in a.payouts]
    assert later[0] == [p.total for p in b.payouts]
    assert later[1] is None  # no result: nothing to draw
    assert later[2] is not None and later[2][-1] is None  # not on C's roster
    assert later[2][:-1] == [p.total for p in c.payouts]


# --------------------------------------------------------------------------- who gains, who loses


def test_moves_count_gainers_losers_and_the_unchanged_and_keep_the_largest_each_way() -> None:
    a = result()
    b = result(team_pct=Decimal(80))  # more equal checks: the low paid gain, the high paid lose
    mv = moves(*changes(a, b))
    deltas = [q.total - p.total for p, q in zip(a.payouts, b.payouts, strict=True)]
    assert mv.gains == sum(1 for d in deltas if d > 0) > 0
    assert mv.losses == sum(1 for d in deltas if d < 0) > 0
    assert mv.gains + mv.losses + mv.unchanged == len(a.payouts)
    assert [m.change for m in mv.up] == sorted((d for d in deltas if d > 0), reverse=True)[:5]
    assert [m.change for m in mv.down] == sorted(d for d in deltas if d < 0)[:5]
    assert all(m.after - m.before == m.change for m in (*mv.up, *mv.down))
    assert mv.words().endswith(f"{mv.unchanged:,} unchanged")


def test_no_change_moves_nobody() -> None:
    mv = moves(*changes(result(), result()))
    assert (mv.gains, mv.losses, mv.up, mv.down) == (0, 0, (), ())
    assert not mv.moved and mv.unchanged == len(result().payouts)


def test_a_table_of_moves_reads_in_dollars_with_a_signed_change() -> None:
    frame = moves_frame([Move("Ann", 100000, 90000), Move("Bob", 0, 5)])
    assert frame.to_dict("records") == [
        {"name": "Ann", "before": "$1,000.00", "after": "$900.00", "change": "-$100.00"},
        {"name": "Bob", "before": "$0.00", "after": "$0.05", "change": "+$0.05"},
    ]
    assert moves_frame([]).columns.tolist() == ["name", "before", "after", "change"]


# --------------------------------------------------------------------------- the fiscal year


def sample_year(**values: object) -> YearResult:
    s = sample_scenario()
    return compute_year(with_values(s.plan, values), s.roster, s.months, 2026)


def test_the_year_table_has_every_booked_quarter_and_its_year_column_adds_up() -> None:
    year = sample_year()
    cents = quarters_table(year, text=False)
    assert cents.columns.tolist() == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4", "Year"]
    for row in ("Quarter GP", "TEL profit", "House", "Staff pool", "Paid in checks",
                "Held back", "Employer tax", "Paid pool", "Returned to house"):
        assert cents.loc[row, "Year"] == sum(cents.loc[row].iloc[:-1]), row
    assert cents.loc["Paid in checks", "Year"] == year.paid
    assert cents.loc["TEL profit", "2026-Q3"] == 1612000
    text = quarters_table(year)
    assert text.loc["Months booked"].tolist() == ["3 of 3", "3 of 3", "3 of 3", "1 of 3",
                                                  "10 of 12"]
    assert text.loc["Gates", "Year"] == "4 of 4 passed"


def test_the_year_column_carries_balances_in_from_the_first_quarter_and_out_of_the_last() -> None:
    year = sample_year(holdback_pct=Decimal(10))
    cents = quarters_table(year, text=False)
    held = [r.held_back for r in year.quarters]
    assert cents.loc["Held back", "Year"] == sum(held) > 0
    # 2026-Q4 is not complete (one month booked): nothing is released, the reserve stays
    assert cents.loc["Released", "Year"] == 0
    assert cents.loc["Reserve at the end", "Year"] == year.quarters[-1].reserve_out
    # 2025-Q4 failed its cash gate, so FY2025's reserve was not released: it comes in
    assert cents.loc["Reserve carried in", "Year"] == year.quarters[0].reserve_in > 0
    assert year_totals(year).reserve_end == year.quarters[0].reserve_in + sum(held)
    assert cents.loc["Shortfall carried in", "Year"] == year.quarters[0].carry_in


@settings(max_examples=examples(30), deadline=None)
@given(case=cases())
def test_the_reserve_adds_up_reserve_carried_in_plus_held_back_less_released_is_the_end(
    case: Case,
) -> None:
    s = scenario_of(case)
    for fy in fiscal_years(s.months, s.plan.fiscal_year_start):
        year = compute_year(s.plan, s.roster, s.months, fy, s.score_map)
        cents = quarters_table(year, text=False)
        for column in cents.columns:  # every quarter, and the year
            c = cents[column]
            assert c["Reserve carried in"] + c["Held back"] - c["Released"] == \
                c["Reserve at the end"], column
        assert cents.loc["Reserve at the end", "Year"] == year_totals(year).reserve_end


def test_the_people_frame_is_each_persons_checks_and_total_to_the_cent() -> None:
    year = sample_year()
    people = people_frame(year)
    assert people["name"].tolist() == year.names
    assert [round(t * 100) for t in people["total"]] == year.totals()
    total = total_row(people, "All")
    assert total["name"].tolist() == ["All"]
    assert total_cents(people) == year.paid == round(total["total"].iloc[0] * 100)
    for r in year.quarters:
        assert total_cents(people, r.quarter) == r.paid


def test_two_designs_over_the_year_compare_pools_and_who_gains() -> None:
    a, b = sample_year(), sample_year(netting="monthly_floor")
    table, mv = compare_years(a, b, ("A: quarter", "B: monthly floor"))
    assert table.columns.tolist() == ["A: quarter", "B: monthly floor", "Change"]
    ta, tb = year_totals(a), year_totals(b)
    assert table.loc["Paid in checks", "A: quarter"] == format_money(ta.paid)
    assert table.loc["Paid in checks", "B: monthly floor"] == format_money(tb.paid)
    assert tb.tel_profit >= ta.tel_profit  # a floor never nets a weak month against others
    names, before, after = year_changes(a, b)
    assert before == a.totals() and after == b.totals()
    assert mv == moves(names, before, after)
    assert mv.gains + mv.losses + mv.unchanged == len(a.names)


def test_a_years_provenance_names_each_setting_and_any_gp_change_of_the_year() -> None:
    s = sample_scenario()
    plan = with_values(s.plan, {"gate_failure": "defer"})
    p = year_provenance(s, plan, {"2026-02": Decimal(1), "2026-11": Decimal(70000)}, 2026)
    assert p.kind == "assumption" and p.assumed == ("2026-11",)
    assert "GP of 2026-02 changed from the books" in p.detail
    assert "gate_failure defer (loaded forfeit)" in p.detail
    assert year_provenance(s, s.plan, {}, 2026).is_books
    assert year_months(2026, 1) == [f"2026-{m:02d}" for m in range(1, 13)]
