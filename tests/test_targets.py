"""The meeting's questions ("what GP do we need?") answered by inverting the rules, held to
the exact quarter: the GP they name reaches the target, and a cent less a month does not."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from tel.analysis.targets import gp_needed, tel_profit_for
from tel.core.models import Month, Person, Plan
from tel.core.periods import Quarter
from tel.core.policy import Netting, PayrollTax
from tel.engine.quarter import compute_quarter
from tel.rules.pools import split_profit

Q3 = Quarter(2026, 3)
ANN = Person(name="Ann", salary=60000, start_date=date(2020, 1, 1))


def months(gps: list[int]) -> list[Month]:
    return [Month(year=2026, month=7 + i, gp=Decimal(g) / 100, cash_on_hand=52000,
                  ar_total=320000, ar_90_plus=24000) for i, g in enumerate(gps)]


def quarter_with(plan: Plan, booked: list[int], each: int) -> int:
    gps = booked + [each] * (3 - len(booked))
    return compute_quarter(plan, [ANN], months(gps), Q3).tel_profit


plans = st.builds(
    Plan,
    house_pct=st.integers(0, 99).map(Decimal),
    min_house=st.integers(0, 500_000).map(lambda c: Decimal(c) / 100),
    netting=st.sampled_from(["quarter", "monthly_floor", "carry_forward"]).map(
        lambda m: Netting(mode=m)),
)


@settings(max_examples=200, deadline=None)
@given(plan=plans, target=st.integers(0, 5_000_000))
def test_the_tel_profit_named_for_a_staff_pool_is_the_least_that_reaches_it(
    plan: Plan, target: int
) -> None:
    profit = tel_profit_for(target, plan)
    assert split_profit(profit, plan)[1] >= target
    assert profit == 0 or split_profit(profit - 1, plan)[1] < target


@settings(max_examples=200, deadline=None)
@given(plan=plans, booked=st.lists(st.integers(0, 15_000_000), min_size=1, max_size=2),
       target=st.integers(0, 3_000_000))
def test_the_gp_named_for_the_rest_of_the_quarter_reaches_the_target_and_a_cent_less_does_not(
    plan: Plan, booked: list[int], target: int
) -> None:
    need = gp_needed(compute_quarter(plan, [ANN], months(booked), Q3), plan, target)
    left = 3 - len(booked)
    assert need.months_left == left
    each = need.per_month
    assert quarter_with(plan, booked, each) >= target
    if need.remaining and target:  # one cent less a month falls short
        assert quarter_with(plan, booked, each - 1) < target


def test_under_a_monthly_floor_a_weak_month_left_costs_nothing() -> None:
    plan = Plan(netting=Netting(mode="monthly_floor"))
    r = compute_quarter(plan, [ANN], months([8_000_000]), Q3)  # $18,000 over Min GP
    assert gp_needed(r, plan, 1_000_000).remaining == 0
    assert gp_needed(r, plan, 2_000_000).remaining == 2 * 6_200_000 + 200_000


def test_a_complete_quarter_says_how_much_tel_profit_it_lacked() -> None:
    r = compute_quarter(Plan(), [ANN], months([6_934_300, 5_934_300, 7_343_400]), Q3)
    assert gp_needed(r, Plan(), 2_000_000).short == 2_000_000 - 1_612_000
    assert gp_needed(r, Plan(), 1_000_000).short == 0


def test_the_quarter_gp_named_gives_the_tel_profit_and_the_checks_net_of_the_variants() -> None:
    plan = Plan(payroll_tax=PayrollTax(employer_pct=Decimal("7.65")))
    r = compute_quarter(plan, [ANN], months([6_934_300, 5_934_300, 7_343_400]), Q3)
    need = gp_needed(r, plan, 1_612_000)
    assert need.quarter_gp == 3 * 6_200_000 + 1_612_000 == r.gp_total
    assert (need.staff_pool, need.paid_pool) == (r.staff_pool, r.paid_pool)
    assert need.paid_pool < need.staff_pool
    floor = Plan(netting=Netting(mode="monthly_floor"))
    assert gp_needed(r, floor, 1_612_000).quarter_gp is None  # it depends on the months' shape
