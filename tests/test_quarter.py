"""One quarter end to end (spec sections 3-7): the worked example to the cent, and the money
properties that must hold for any plan, roster and books."""

from __future__ import annotations

import gc
import random
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import Case, cases, exact_weight, pct_half_up
from strategies_partwo import examples

from tel.core.models import Month, Person, Plan
from tel.core.money import to_cents
from tel.core.periods import Quarter
from tel.engine.ledger import booked_quarters
from tel.engine.quarter import NoBookedMonth, QuarterResult, compute_quarter
from tel.rules.eligibility import judge

PROPS = settings(max_examples=examples(150), deadline=None)

SOURCE_PLAN = Plan(
    overhead=50_000,
    debt_service=4_000,
    owner_retention=2_000,
    ni_retention=6_000,
    house_pct=25,
    team_pct=50,
    min_cash=50_000,
    max_ar90_pct=10,
    min_months=9,
    pay_day=15,
    fiscal_year_start=1,
)
Q3 = Quarter(2026, 3)


def month(
    ym: str, gp: object, cash: object = 60_000, ar: object = 300_000, ar90: object = 15_000
) -> Month:
    y, m = (int(x) for x in ym.split("-"))
    return Month.model_validate(
        {"year": y, "month": m, "gp": gp, "cash_on_hand": cash, "ar_total": ar, "ar_90_plus": ar90}
    )


SOURCE_MONTHS = (
    month("2026-07", 69_343),
    month("2026-08", 59_343),
    month("2026-09", 73_434, cash=52_000, ar=320_000, ar90=24_000),
)


def staff(name: str, salary: int = 60_000, start: date = date(2020, 1, 1), **kw: object) -> Person:
    return Person.model_validate({"name": name, "salary": salary, "start_date": start} | kw)


TEAM = (
    staff("Tanya Guidry", 92_000, date(2014, 10, 6), performance="1.2"),
    staff("Renée Hébert", 68_000, date(2016, 4, 11)),
    staff("Broussard, Luc", 58_000, date(2019, 8, 19)),
    staff("Marc Thibodeaux", 120_000, date(2014, 3, 3), owner=True),
)


# --- the worked example of the source (section 7) ------------------------------------------


def test_the_source_worked_example_to_the_cent() -> None:
    r = compute_quarter(SOURCE_PLAN, TEAM, SOURCE_MONTHS, Q3)
    assert r.min_gp == 6_200_000
    assert r.gp_total == 20_212_000
    assert r.tel_profit == 1_612_000  # $16,120.00 (the source's $16,029 is a slip)
    assert (r.house, r.staff_pool) == (403_000, 1_209_000)
    assert (r.team_pool, r.merit_pool) == (604_500, 604_500)
    assert r.gates.cash_ok and r.gates.cash_on_hand == 5_200_000 >= r.gates.min_cash == 5_000_000
    assert r.gates.ar_ok and r.gates.ar90_pct == Fraction(15, 2) <= 10
    assert r.pay_date == date(2026, 11, 13)  # the 15th is a Sunday: the Friday before
    assert r.undistributed == 0
    assert r.paid == r.staff_pool
    assert [p.team for p in r.payouts] == [201_500, 201_500, 201_500, 0]


def test_a_weak_month_is_made_up_by_strong_months_in_the_same_quarter() -> None:
    # August alone is $2,657 under Min GP; July and September more than cover it
    r = compute_quarter(SOURCE_PLAN, TEAM, SOURCE_MONTHS, Q3)
    assert to_cents(Decimal(59_343)) < r.min_gp
    assert r.tel_profit == sum(r.gp_by_month) - 3 * r.min_gp > 0


def test_a_quarter_below_the_threshold_shares_nothing() -> None:
    months = [month("2025-01", 57_640), month("2025-02", 55_980), month("2025-03", 61_415)]
    r = compute_quarter(SOURCE_PLAN, TEAM, months, Quarter(2025, 1))
    assert r.gp_total < 3 * r.min_gp
    assert (r.tel_profit, r.house, r.staff_pool, r.team_pool, r.merit_pool) == (0, 0, 0, 0, 0)
    assert r.gates.passed and r.paid == 0 and r.undistributed == 0


def test_a_quarter_with_some_months_booked_uses_only_those_months() -> None:
    r = compute_quarter(
        SOURCE_PLAN, TEAM, [*SOURCE_MONTHS, month("2026-10", 66_500)], Quarter(2026, 4)
    )
    assert r.months_booked == ("2026-10",) and not r.complete
    assert r.tel_profit == 6_650_000 - 6_200_000  # one month against one month's Min GP
    assert r.gates.month == "2026-10"


def test_gates_are_checked_on_the_last_booked_month() -> None:
    july_aug = SOURCE_MONTHS[:2]
    r = compute_quarter(SOURCE_PLAN, TEAM, july_aug, Q3)
    assert r.months_booked == ("2026-07", "2026-08")
    assert r.gates.month == "2026-08"
    assert r.tel_profit == 6_934_300 + 5_934_300 - 2 * 6_200_000


def test_months_are_used_in_calendar_order_whatever_the_file_order() -> None:
    r = compute_quarter(SOURCE_PLAN, TEAM, SOURCE_MONTHS[::-1], Q3)
    assert r.months_booked == ("2026-07", "2026-08", "2026-09")
    assert r.gates.month == "2026-09"


def test_a_quarter_with_no_booked_month_is_an_error_not_a_zero() -> None:
    with pytest.raises(NoBookedMonth, match="2026-Q4 has no booked month"):
        compute_quarter(SOURCE_PLAN, TEAM, SOURCE_MONTHS, Quarter(2026, 4))
    assert issubclass(NoBookedMonth, ValueError)


def test_a_failed_gate_shows_the_pools_but_pays_nothing() -> None:
    short = (*SOURCE_MONTHS[:2], month("2026-09", 73_434, cash=46_880, ar=320_000, ar90=24_000))
    r = compute_quarter(SOURCE_PLAN, TEAM, short, Q3)
    assert not r.gates.passed
    assert r.gates.cash_text() == "Cash is $3,120.00 short of $50,000.00"
    assert (r.tel_profit, r.staff_pool, r.team_pool, r.merit_pool) == (
        1_612_000,
        1_209_000,
        604_500,
        604_500,
    )
    assert r.paid == 0 and r.undistributed == 0
    assert [p.eligible for p in r.payouts] == [True, True, True, False]  # still judged


def test_when_nobody_is_eligible_the_staff_pool_is_undistributed() -> None:
    owners = [staff("Marc", owner=True), staff("Jordan", employment="contractor")]
    r = compute_quarter(SOURCE_PLAN, owners, SOURCE_MONTHS, Q3)
    assert r.undistributed == r.staff_pool == 1_209_000
    assert r.paid == 0 and r.eligible_count == 0 and r.average_check == 0


def test_an_empty_roster_leaves_the_staff_pool_undistributed() -> None:
    r = compute_quarter(SOURCE_PLAN, [], SOURCE_MONTHS, Q3)
    assert r.undistributed == r.staff_pool and r.payouts == ()


def test_zero_performance_for_everyone_shares_merit_like_the_team_pool() -> None:
    crew = [staff(n, performance=0) for n in ("A", "B", "C")]
    r = compute_quarter(SOURCE_PLAN, crew, SOURCE_MONTHS, Q3)
    assert [p.merit for p in r.payouts] == [201_500, 201_500, 201_500]
    assert [p.weight for p in r.payouts] == [0, 0, 0]


def test_merit_follows_salary_times_years_times_performance() -> None:
    # 60k x 6 years = 360k; 120k x 3 years = 360k; 60k x 3 years x 2.0 = 360k: equal weights
    crew = [
        staff("A", 60_000, date(2020, 9, 30)),
        staff("B", 120_000, date(2023, 9, 30)),
        staff("C", 60_000, date(2023, 9, 30), performance=2),
    ]
    r = compute_quarter(SOURCE_PLAN, crew, SOURCE_MONTHS, Q3)
    assert [p.merit for p in r.payouts] == [201_500, 201_500, 201_500]


def test_ties_are_broken_by_roster_order() -> None:
    plan = SOURCE_PLAN.model_copy(update={"house_pct": Decimal(0), "team_pct": Decimal(100)})
    months = [month("2026-09", Decimal("62000.02"))]  # TEL profit 2 cents, all team
    crew = [staff(n) for n in ("A", "B", "C")]
    r = compute_quarter(plan, crew, months, Q3)
    assert [p.team for p in r.payouts] == [1, 1, 0]


def test_roster_order_breaks_ties_in_both_pools_so_one_total_can_move_two_cents() -> None:
    # A known consequence of the spec (ties by roster order in each pool): each check moves by
    # at most a cent, but the first of two equals gets the spare cent of BOTH pools.
    months = [month("2026-09", Decimal("62000.03"))]  # TEL profit 3 cents
    r = compute_quarter(SOURCE_PLAN, [staff("A"), staff("B")], months, Q3)
    assert (r.house, r.team_pool, r.merit_pool) == (1, 1, 1)
    assert [(p.name, p.team, p.merit) for p in r.payouts] == [("A", 1, 1), ("B", 0, 0)]
    swapped = compute_quarter(SOURCE_PLAN, [staff("B"), staff("A")], months, Q3)
    assert [(p.name, p.total) for p in swapped.payouts] == [("B", 2), ("A", 0)]


def test_a_july_fiscal_year_pays_its_first_quarter_in_november() -> None:
    plan = SOURCE_PLAN.model_copy(update={"fiscal_year_start": 7})
    r = compute_quarter(plan, TEAM, SOURCE_MONTHS, Quarter(2027, 1))
    assert r.quarter == "2027-Q1" and r.pay_date == date(2026, 11, 13)  # 15th: a Sunday
    assert r.tel_profit == 1_612_000
    assert booked_quarters(SOURCE_MONTHS, 7) == [Quarter(2027, 1)]
    assert booked_quarters(SOURCE_MONTHS, 1) == [Q3]


def test_the_json_object_has_the_spec_fields_and_exact_money() -> None:
    d = compute_quarter(SOURCE_PLAN, TEAM, SOURCE_MONTHS, Q3).to_json_dict()
    for key in ("quarter", "pay_date", "min_gp", "gp_total", "tel_profit", "gates", "house"):
        assert key in d
    assert (d["quarter"], d["pay_date"]) == ("2026-Q3", "2026-11-13")  # 15th: a Sunday
    assert (d["min_gp"], d["tel_profit"], d["house"]) == ("62000.00", "16120.00", "4030.00")
    assert (d["staff_pool"], d["team_pool"], d["merit_pool"]) == ("12090.00", "6045.00", "6045.00")
    assert d["undistributed"] == "0.00"
    assert d["gates"] == {"cash_ok": True, "ar_ok": True, "passed": True}
    assert [p["name"] for p in d["payouts"]] == [p.name for p in TEAM]
    assert set(d["payouts"][0]) == {"name", "eligible", "reason", "team", "merit", "total"}
    assert d["payouts"][3]["reason"] == "owner" and d["payouts"][3]["total"] == "0.00"
    assert sum(Decimal(p["total"]) for p in d["payouts"]) == Decimal("12090.00")


def test_computing_a_quarter_leaves_the_garbage_collector_as_it_found_it() -> None:
    # compute_quarter pauses the cyclic collector for speed; it must never leave it changed
    was = gc.isenabled()
    try:
        gc.enable()
        compute_quarter(SOURCE_PLAN, TEAM, SOURCE_MONTHS, Q3)
        assert gc.isenabled()
        gc.disable()
        compute_quarter(SOURCE_PLAN, TEAM, SOURCE_MONTHS, Q3)
        assert not gc.isenabled()
        gc.enable()
        with pytest.raises(NoBookedMonth):
            compute_quarter(SOURCE_PLAN, TEAM, SOURCE_MONTHS, Quarter(2030, 1))
        assert gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()


# --- properties over random plans, books and rosters --------------------------------------


def run(case: Case) -> QuarterResult:
    return compute_quarter(case.plan, case.roster, case.months, case.quarter)


def by_name(r: QuarterResult) -> dict[str, tuple[int, int]]:
    return {p.name: (p.team, p.merit) for p in r.payouts}


@PROPS
@given(cases())
def test_pools_add_up_exactly_and_follow_the_spec_formulas(case: Case) -> None:
    r = run(case)
    wanted = case.quarter.months(case.plan.fiscal_year_start)
    gp = sum(to_cents(m.gp) for m in case.months if m.ym in wanted)
    booked = sum(1 for m in case.months if m.ym in wanted)
    assert r.tel_profit == max(0, gp - booked * r.min_gp)
    assert r.house == pct_half_up(r.tel_profit, case.plan.house_pct)
    assert r.team_pool == pct_half_up(r.staff_pool, case.plan.team_pct)
    assert r.house + r.staff_pool == r.tel_profit
    assert r.team_pool + r.merit_pool == r.staff_pool
    assert min(r.house, r.staff_pool, r.team_pool, r.merit_pool) >= 0


@PROPS
@given(cases())
def test_every_cent_of_the_staff_pool_is_paid_or_reported(case: Case) -> None:
    r = run(case)
    if not r.gates.passed:
        assert r.paid == 0 and r.undistributed == 0
        assert all(p.total == 0 for p in r.payouts)
    elif r.eligible_count:
        assert r.paid == r.staff_pool and r.undistributed == 0
        assert sum(p.team for p in r.payouts) == r.team_pool
        assert sum(p.merit for p in r.payouts) == r.merit_pool
    else:
        assert r.paid == 0 and r.undistributed == r.staff_pool


@PROPS
@given(cases(min_people=1))
def test_each_check_is_within_a_cent_of_its_exact_share(case: Case) -> None:
    r = run(case)
    if not (r.gates.passed and r.eligible_count):
        return
    end = case.quarter.last_day(case.plan.fiscal_year_start)
    chosen = [(p, o) for p, o in zip(case.roster, r.payouts, strict=True) if o.eligible]
    weights = [exact_weight(p, end) for p, _ in chosen]
    whole = sum(weights)
    n = len(chosen)
    for (_, out), w in zip(chosen, weights, strict=True):
        assert abs(out.team - Fraction(r.team_pool, n)) < 1
        exact_merit = r.merit_pool * w / whole if whole else Fraction(r.merit_pool, n)
        assert abs(out.merit - exact_merit) < 1
    teams = [o.team for _, o in chosen]
    assert max(teams) - min(teams) <= 1  # team checks differ by at most a cent


@PROPS
@given(cases())
def test_the_ineligible_get_nothing_and_carry_the_judges_reason(case: Case) -> None:
    r = run(case)
    end = case.quarter.last_day(case.plan.fiscal_year_start)
    pay = case.quarter.pay_date(case.plan.fiscal_year_start, case.plan.pay_day)
    for person, out in zip(case.roster, r.payouts, strict=True):
        verdict = judge(person, end, pay, case.plan.min_months)
        assert (out.name, out.eligible, out.reason) == (
            person.name,
            verdict.eligible,
            verdict.reason,
        )
        if not out.eligible:
            assert out.team == out.merit == out.weight == 0


@PROPS
@given(cases(min_people=2), st.randoms(use_true_random=False))
def test_roster_order_moves_no_check_by_more_than_a_cent(case: Case, rnd: random.Random) -> None:
    shuffled = list(case.roster)
    rnd.shuffle(shuffled)
    before = by_name(run(case))
    after = by_name(compute_quarter(case.plan, shuffled, case.months, case.quarter))
    for name, (team, merit) in before.items():
        assert abs(after[name][0] - team) <= 1
        assert abs(after[name][1] - merit) <= 1


@PROPS
@given(cases(min_people=1), st.integers(2, 1000))
def test_scaling_every_salary_by_the_same_factor_changes_nothing(case: Case, k: int) -> None:
    scaled = [p.model_copy(update={"salary": p.salary * k}) for p in case.roster]
    before = run(case)
    after = compute_quarter(case.plan, scaled, case.months, case.quarter)
    assert by_name(after) == by_name(before)


@PROPS
@given(cases(min_people=1), st.integers(0, 5_000_000), st.integers(0, 2))
def test_more_gp_never_shrinks_the_staff_pool_nor_costs_anyone_more_than_a_cent(
    case: Case, extra: int, which: int
) -> None:
    months = _with_more_gp(case.months, case.quarter, case.plan.fiscal_year_start, extra, which)
    before = run(case)
    after = compute_quarter(case.plan, case.roster, months, case.quarter)
    assert after.tel_profit >= before.tel_profit
    assert after.staff_pool >= before.staff_pool
    assert after.team_pool >= before.team_pool and after.merit_pool >= before.merit_pool
    for b, a in zip(before.payouts, after.payouts, strict=True):
        assert a.team >= b.team
        assert a.total >= b.total - 1


def _with_more_gp(
    months: Sequence[Month], quarter: Quarter, fys: int, extra_cents: int, which: int
) -> list[Month]:
    inside = [i for i, m in enumerate(months) if m.ym in quarter.months(fys)]
    target = inside[which % len(inside)]
    out = list(months)
    m = out[target]
    out[target] = m.model_copy(update={"gp": m.gp + Decimal(extra_cents).scaleb(-2)})
    return out
