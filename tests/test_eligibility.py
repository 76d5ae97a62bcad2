"""Who shares the staff pool (spec section 5), judged at the quarter's last day and pay date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tel.core.models import Employment, Person
from tel.core.periods import Quarter
from tel.rules.eligibility import judge

Q3_END = date(2026, 9, 30)
Q3_PAY = date(2026, 11, 15)


def person(**changes: object) -> Person:
    base: dict[str, object] = {
        "name": "Renée Hébert",
        "salary": 68_000,
        "start_date": date(2016, 4, 11),
    }
    return Person.model_validate(base | changes)


def q3(p: Person, min_months: int = 9) -> tuple[bool, str, int]:
    v = judge(p, Q3_END, Q3_PAY, min_months)
    return v.eligible, v.reason, v.months


def test_a_full_time_w2_with_long_service_is_eligible_with_no_reason() -> None:
    assert q3(person()) == (True, "", 125)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"owner": True}, "owner"),
        ({"employment": Employment.CONTRACTOR}, "contractor"),
        ({"full_time": False}, "part-time"),
        ({"start_date": date(2026, 2, 1)}, "7 of 9 months"),
        ({"end_date": date(2026, 10, 30)}, "left before pay date"),
        ({"start_date": date(2026, 10, 1)}, "starts after quarter end"),
    ],
)
def test_each_rule_gives_a_reason_a_person_can_read(
    changes: dict[str, object], reason: str
) -> None:
    assert q3(person(**changes))[:2] == (False, reason)


def test_an_owner_who_is_also_a_contractor_gets_both_reasons_owner_first() -> None:
    p = person(owner=True, employment=Employment.CONTRACTOR)
    assert q3(p)[:2] == (False, "owner, contractor")


def test_a_new_contract_to_hire_is_a_contractor_and_short_of_months() -> None:
    p = person(employment="contractor", start_date=date(2026, 8, 3))
    assert q3(p) == (False, "contractor, 1 of 9 months", 1)


def test_exactly_min_months_is_enough() -> None:
    assert q3(person(start_date=date(2025, 12, 30))) == (True, "", 9)
    assert q3(person(start_date=date(2025, 12, 15))) == (True, "", 9)


def test_a_start_on_the_31st_is_one_month_short_at_a_30_day_quarter_end() -> None:
    # the spec's formula: Sep 30 < the 31st, so the ninth month is not yet complete
    assert q3(person(start_date=date(2025, 12, 31))) == (False, "8 of 9 months", 8)
    q4_end, q4_pay = Quarter(2026, 4).last_day(), Quarter(2026, 4).pay_date()
    assert judge(person(start_date=date(2025, 12, 31)), q4_end, q4_pay, 9).months == 12


def test_a_quarter_ending_on_february_29_counts_a_29th_start_as_complete() -> None:
    q = Quarter(2028, 1)  # December fiscal year: Dec 2027 - Feb 2028
    end, pay = q.last_day(fiscal_year_start=12), q.pay_date(fiscal_year_start=12)
    assert end == date(2028, 2, 29)
    assert judge(person(start_date=date(2027, 5, 29)), end, pay, 9).eligible
    assert judge(person(start_date=date(2027, 5, 30)), end, pay, 9).reason == "8 of 9 months"


def test_a_february_29_start_reaches_nine_months_on_november_29() -> None:
    q4_2024_end, q4_2024_pay = Quarter(2024, 4).last_day(), Quarter(2024, 4).pay_date()
    p = person(start_date=date(2024, 2, 29))
    assert judge(p, q4_2024_end, q4_2024_pay, 9).months == 10
    assert judge(p, date(2024, 11, 30), q4_2024_pay, 9).months == 9
    assert judge(p, date(2024, 11, 28), q4_2024_pay, 9).months == 8


def test_someone_starting_after_the_quarter_end_is_not_counted_as_negative_months() -> None:
    v = judge(person(start_date=date(2026, 11, 2)), Q3_END, Q3_PAY, 0)
    assert (v.eligible, v.reason, v.months) == (False, "starts after quarter end", 0)


def test_leaving_on_the_pay_date_still_gets_the_check() -> None:
    assert q3(person(end_date=Q3_PAY))[0] is True


def test_leaving_the_day_before_the_pay_date_forfeits_the_check() -> None:
    assert q3(person(end_date=Q3_PAY - timedelta(days=1)))[:2] == (False, "left before pay date")


def test_leaving_during_the_quarter_also_forfeits_the_check() -> None:
    assert q3(person(end_date=date(2026, 8, 14)))[:2] == (False, "left before pay date")


def test_min_months_zero_lets_a_first_day_hire_share() -> None:
    assert q3(person(start_date=Q3_END), min_months=0) == (True, "", 0)
    assert q3(person(start_date=date(2026, 7, 1)), min_months=0) == (True, "", 2)


def test_every_failing_rule_is_listed_in_a_fixed_order() -> None:
    p = person(
        owner=True,
        employment="contractor",
        full_time=False,
        start_date=date(2026, 3, 1),
        end_date=date(2026, 9, 1),
    )
    assert q3(p)[1] == "owner, contractor, part-time, 6 of 9 months, left before pay date"


@settings(max_examples=300, deadline=None)
@given(
    st.dates(date(2000, 1, 1), date(2027, 12, 31)),
    st.one_of(st.none(), st.dates(date(2026, 1, 1), date(2027, 12, 31))),
    st.sampled_from(list(Employment)),
    st.booleans(),
    st.booleans(),
    st.integers(0, 24),
)
def test_eligible_exactly_when_no_reason_is_given(
    start: date,
    end: date | None,
    employment: Employment,
    full_time: bool,
    owner: bool,
    min_months: int,
) -> None:
    if end is not None and end < start:
        end = start
    p = person(
        start_date=start, end_date=end, employment=employment, full_time=full_time, owner=owner
    )
    v = judge(p, Q3_END, Q3_PAY, min_months)
    assert v.eligible == (v.reason == "")
    assert v.months >= 0
    expected = (
        not owner
        and employment is Employment.W2
        and full_time
        and start <= Q3_END
        and v.months >= min_months
        and (end is None or end >= Q3_PAY)
    )
    assert v.eligible == expected
