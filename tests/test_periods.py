"""Fiscal quarters, pay dates and completed months, as section 3 and 5 of the spec say."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tel.core.periods import (
    PAY_DAY_RULES,
    Quarter,
    add_months,
    business_day,
    completed_months,
    last_day,
    pay_date_note,
)

PROPS = settings(max_examples=300, deadline=None)
fiscal_starts = st.integers(1, 12)
year_months = st.tuples(st.integers(1990, 2100), st.integers(1, 12))


def test_calendar_q3_is_july_to_september_paid_on_november_15_moved_off_the_weekend() -> None:
    q = Quarter.parse("2026-Q3")
    assert q.months() == [(2026, 7), (2026, 8), (2026, 9)]
    assert q.last_day() == date(2026, 9, 30)
    assert q.scheduled_pay_date() == date(2026, 11, 15)  # a Sunday
    assert q.pay_date() == date(2026, 11, 13)  # the previous business day, by default
    assert q.pay_date(rule="exact") == date(2026, 11, 15)


def test_a_weekend_pay_day_moves_to_the_previous_business_day_by_default() -> None:
    sunday, saturday, monday = date(2026, 11, 15), date(2026, 11, 14), date(2026, 11, 16)
    assert business_day(sunday) == business_day(saturday) == date(2026, 11, 13)  # Friday
    assert business_day(monday) == monday
    assert PAY_DAY_RULES == ("previous_business_day", "next_business_day", "exact")


def test_the_next_business_day_rule_moves_a_weekend_pay_day_to_monday() -> None:
    assert business_day(date(2026, 11, 15), "next_business_day") == date(2026, 11, 16)
    assert business_day(date(2026, 11, 14), "next_business_day") == date(2026, 11, 16)
    assert Quarter(2026, 3).pay_date(rule="next_business_day") == date(2026, 11, 16)


def test_the_exact_rule_keeps_a_weekend_pay_day() -> None:
    assert business_day(date(2026, 11, 15), "exact") == date(2026, 11, 15)


def test_a_weekday_pay_day_never_moves() -> None:
    for rule in PAY_DAY_RULES:
        assert Quarter(2026, 4).pay_date(rule=rule) == date(2027, 2, 15)  # a Monday


def test_a_saturday_first_of_the_month_is_paid_on_the_last_friday_before_it() -> None:
    q = Quarter(2026, 2)  # paid in August 2026; 1 August is a Saturday
    assert q.pay_date(pay_day=1) == date(2026, 7, 31)
    assert q.pay_date(pay_day=1, rule="next_business_day") == date(2026, 8, 3)


def test_an_unknown_rule_is_refused() -> None:
    with pytest.raises(ValueError, match="previous_business_day"):
        business_day(date(2026, 11, 15), "nearest")  # type: ignore[arg-type]


def test_a_moved_pay_date_says_why() -> None:
    q = Quarter(2026, 3)
    assert q.pay_date_text() == ("Friday 13 November 2026 (the 15th is a Sunday; moved to the "
                                 "previous business day)")
    assert q.pay_date_text(rule="next_business_day") == (
        "Monday 16 November 2026 (the 15th is a Sunday; moved to the next business day)")
    assert q.pay_date_text(rule="exact") == "Sunday 15 November 2026"
    assert Quarter(2026, 4).pay_date_text() == "Monday 15 February 2027"
    assert Quarter(2026, 2).pay_date_text(pay_day=1) == (
        "Friday 31 July 2026 (1 August is a Saturday; moved to the previous business day)")
    assert Quarter(2026, 2).pay_date_text(pay_day=2) == (
        "Friday 31 July 2026 (2 August is a Sunday; moved to the previous business day)")
    assert pay_date_note(date(2026, 11, 15), "exact") == ""
    assert pay_date_note(date(2026, 11, 21), "previous_business_day") == (
        "the 21st is a Saturday; moved to the previous business day")
    assert Quarter(2026, 2).pay_date_text(pay_day=22) == (
        "Friday 21 August 2026 (the 22nd is a Saturday; moved to the previous business day)")


def test_q4_is_paid_in_february_of_the_next_year() -> None:
    assert Quarter(2026, 4).pay_date() == date(2027, 2, 15)
    assert Quarter(2026, 4).pay_date(pay_day=1) == date(2027, 2, 1)  # a Monday


def test_a_july_fiscal_year_is_named_by_the_year_it_ends_in() -> None:
    q = Quarter.parse("2027-Q1")
    assert q.months(fiscal_year_start=7) == [(2026, 7), (2026, 8), (2026, 9)]
    assert q.last_day(fiscal_year_start=7) == date(2026, 9, 30)
    assert q.pay_date(fiscal_year_start=7, rule="exact") == date(2026, 11, 15)
    assert Quarter(2027, 4).months(fiscal_year_start=7) == [(2027, 4), (2027, 5), (2027, 6)]
    assert Quarter.containing((2026, 7), fiscal_year_start=7) == Quarter(2027, 1)
    assert Quarter.containing((2027, 6), fiscal_year_start=7) == Quarter(2027, 4)


def test_a_december_fiscal_year_can_end_a_quarter_on_february_29() -> None:
    q = Quarter(2028, 1)
    assert q.months(fiscal_year_start=12) == [(2027, 12), (2028, 1), (2028, 2)]
    assert q.last_day(fiscal_year_start=12) == date(2028, 2, 29)
    assert q.pay_date(fiscal_year_start=12, rule="exact") == date(2028, 4, 15)
    assert q.pay_date(fiscal_year_start=12) == date(2028, 4, 14)  # the 15th is a Saturday


@pytest.mark.parametrize("text", ["2026-Q3", "2026Q3", "2026-q3", " 2026 - Q3 "])
def test_quarter_names_are_read_leniently(text: str) -> None:
    assert Quarter.parse(text) == Quarter(2026, 3)


@pytest.mark.parametrize("text", ["2026-Q5", "2026-Q0", "26-Q3", "2026-3", "Q3-2026", "", "2026-Q"])
def test_a_bad_quarter_name_says_what_was_expected(text: str) -> None:
    with pytest.raises(ValueError, match="expected YYYY-QN"):
        Quarter.parse(text)


def test_a_quarter_number_outside_one_to_four_is_refused() -> None:
    with pytest.raises(ValueError, match=r"1\.\.4"):
        Quarter(2026, 5)


def test_quarters_print_sort_and_shift() -> None:
    assert str(Quarter(2026, 3)) == "2026-Q3"
    assert sorted([Quarter(2026, 1), Quarter(2025, 4)]) == [Quarter(2025, 4), Quarter(2026, 1)]
    assert Quarter(2026, 4).shifted(1) == Quarter(2027, 1)
    assert Quarter(2026, 1).shifted(-1) == Quarter(2025, 4)


def test_months_move_across_year_ends() -> None:
    assert add_months((2026, 11), 3) == (2027, 2)
    assert add_months((2026, 1), -1) == (2025, 12)
    assert add_months((2026, 1), -13) == (2024, 12)


def test_last_day_knows_leap_years() -> None:
    assert last_day((2028, 2)) == date(2028, 2, 29)
    assert last_day((2100, 2)) == date(2100, 2, 28)  # not a leap year
    assert last_day((2000, 2)) == date(2000, 2, 29)


# --- completed months of service ---------------------------------------------------------


def test_completed_months_count_whole_months_only() -> None:
    assert completed_months(date(2025, 12, 1), date(2026, 9, 30)) == 9
    assert completed_months(date(2025, 12, 30), date(2026, 9, 30)) == 9
    assert completed_months(date(2026, 9, 30), date(2026, 9, 30)) == 0


def test_a_start_on_the_31st_has_not_completed_the_month_at_a_30_day_month_end() -> None:
    # the spec's formula, literally: 30 < 31, so September 30 does not complete the month
    assert completed_months(date(2025, 12, 31), date(2026, 9, 30)) == 8
    assert completed_months(date(2025, 12, 31), date(2026, 12, 31)) == 12


def test_a_february_29_start_completes_its_months_on_the_29th_or_later() -> None:
    assert completed_months(date(2024, 2, 29), date(2024, 11, 30)) == 9
    assert completed_months(date(2024, 2, 29), date(2025, 2, 28)) == 11
    assert completed_months(date(2027, 5, 29), date(2028, 2, 29)) == 9
    assert completed_months(date(2027, 5, 30), date(2028, 2, 29)) == 8


def test_a_start_after_the_end_counts_negative_months() -> None:
    # eligibility reports these people as "starts after quarter end", never as -1 months
    assert completed_months(date(2026, 10, 1), date(2026, 9, 30)) == -1
    assert completed_months(date(2026, 11, 1), date(2026, 9, 30)) == -2


# --- properties --------------------------------------------------------------------------


@PROPS
@given(year_months, fiscal_starts)
def test_every_month_belongs_to_the_quarter_that_lists_it(ym: tuple[int, int], fys: int) -> None:
    q = Quarter.containing(ym, fiscal_year_start=fys)
    assert ym in q.months(fiscal_year_start=fys)


@PROPS
@given(st.integers(1990, 2100), st.integers(1, 4), fiscal_starts, st.integers(1, 28))
def test_quarters_are_consecutive_and_paid_after_they_end(
    year: int, qn: int, fys: int, pay_day: int
) -> None:
    q = Quarter(year, qn)
    months = q.months(fiscal_year_start=fys)
    assert months[0] == add_months(q.shifted(-1).months(fiscal_year_start=fys)[2], 1)
    assert [add_months(months[0], i) for i in range(3)] == months
    scheduled = q.pay_date(fiscal_year_start=fys, pay_day=pay_day, rule="exact")
    assert (scheduled.year, scheduled.month, scheduled.day) == (*add_months(months[2], 2), pay_day)
    for rule in PAY_DAY_RULES:
        pay = q.pay_date(fiscal_year_start=fys, pay_day=pay_day, rule=rule)
        assert q.last_day(fiscal_year_start=fys) < pay
        assert abs((pay - scheduled).days) <= 2
        assert pay.weekday() < 5 or rule == "exact"
        assert pay == scheduled or scheduled.weekday() >= 5
    assert Quarter.containing(months[0], fiscal_year_start=fys) == q
    # the fiscal year is named by the calendar year of its last month
    assert Quarter(year, 4).months(fiscal_year_start=fys)[2][0] == year


@PROPS
@given(st.dates(date(1990, 1, 1), date(2100, 12, 31)), st.integers(0, 20_000), st.integers(0, 500))
def test_completed_months_agree_with_stepping_month_by_month(
    start: date, days: int, extra: int
) -> None:
    end = start + timedelta(days=days)
    n = completed_months(start, end)
    assert _anniversary(start, n) <= end < _anniversary(start, n + 1)
    assert completed_months(start, end + timedelta(days=extra)) >= n  # never goes backwards


def _anniversary(start: date, n: int) -> date:
    """The day ``n`` months of service are complete: the start's day-of-month ``n`` months
    on, or, in a month too short to have that day, the 1st of the month after (the spec's
    ``end.day < start.day`` rule)."""
    y, m = add_months((start.year, start.month), n)
    if start.day <= last_day((y, m)).day:
        return date(y, m, start.day)
    return last_day((y, m)) + timedelta(days=1)
