"""Scenarios side by side: the summary and the per-person table agree with tel to the cent."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
from apptest_support import sample_scenario

from tel.analysis.compare import Side, changes, changes_from_first, checks_frame, summary_frame
from tel.core.models import Scenario
from tel.core.periods import Quarter
from tel.engine.quarter import QuarterResult, compute_quarter

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
