"""No sequence of uses of the team pages recovers a colleague's salary to within 10%.

``privacy_attacks.py`` plays the attacker; these tests are the rules the team pages keep.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from privacy_attacks import (
    PLAN,
    QUARTERS,
    Company,
    company,
    recovered_interval,
    recovered_point,
    victim_quarter,
    w_from_estimator,
)

from tel.analysis.privacy import WEIGHT_SHARE, public_quarter
from tel.analysis.team import aggregates_of, estimate_check, team_view_of, writeoff_effect_of
from tel.analysis.team_risk import team_risk
from tel.core.models import Month, Person, Plan
from tel.core.periods import Quarter
from tel.core.policy import Netting, PayrollTax, Reserve
from tel.engine.quarter import QuarterResult, compute_quarter

SALARIES = [52_300, 61_800, 74_450, 88_900, 99_100, 57_600, 66_250, 120_400]
STARTS = [date(2016, 3, 1), date(2018, 7, 9), date(2019, 1, 14), date(2020, 11, 2),
          date(2015, 5, 18), date(2021, 2, 22), date(2022, 9, 5), date(2014, 6, 30)]
GP = [71_200, 66_800, 74_900, 69_400, 73_100, 68_300, 69_343, 59_343, 73_434]


def example(joins: bool, victim_salary: int = 83_700, people: int = 8) -> Company:
    return company(SALARIES[:people], STARTS[:people], victim_salary, joins, GP)


def test_the_estimator_gives_only_the_rounded_weight_of_the_group() -> None:
    c = example(joins=True)
    for q in QUARTERS:
        r = c.result(q)
        pq = public_quarter(r, PLAN)
        read = w_from_estimator(c, q)  # the issue's attack: a huge GP typed in
        heaviest = max(p.weight for p in r.payouts if p.eligible)
        assert pq.weight_step >= WEIGHT_SHARE * heaviest
        assert abs(read - pq.total_weight) <= Fraction(pq.total_weight, 10**6)  # reads W^ ...
        assert abs(read - r.total_weight) > Fraction(heaviest, 100)  # ... not W


def test_the_issue_attack_that_recovered_salaries_to_the_cent_now_misses_by_more_than_10pct(
) -> None:
    for joins in (True, False):
        c = example(joins=joins)
        truth = c.victim.salary
        for channel in ("estimator", "own check"):
            guess = recovered_point(c, channel)
            assert abs(Decimal(guess.numerator) / guess.denominator / truth - 1) > Decimal(
                "0.10"), (joins, channel, float(guess))


def starts_before(days: list[int]) -> list[date]:
    """Start dates ``days`` before 2025-05-01 (the strategies draw days of service)."""
    return [date(2025, 5, 1) - timedelta(days=d) for d in days]


def pays_every_quarter(c: Company) -> bool:
    return all(c.result(q).tel_profit > 0 and c.result(q).gates.passed for q in QUARTERS)


def pinned(c: Company) -> bool:
    """The salaries that fit everything the attacker saw all lie within +-10% of the truth."""
    lo, hi = recovered_interval(c)
    truth = Fraction(c.victim.salary)
    return truth * Fraction(9, 10) <= lo and hi <= truth * Fraction(11, 10)


def edge_distance(c: Company) -> Fraction:
    """How far the TEL profit of the quarter the victim is paid in sits from the nearer edge
    of its rounding step, as a share of the step (0 on an edge, 1/2 in the middle)."""
    r = c.result(victim_quarter(c))
    pq = public_quarter(r, PLAN)
    half = Fraction(pq.money_step, 2)
    return min(r.tel_profit - (pq.tel_profit - half), pq.tel_profit + half - r.tel_profit) / (
        pq.money_step)


def random_company(rng: random.Random, round_books: bool) -> Company | None:
    """A company as the Hypothesis strategy below draws one; None when a quarter pays nothing."""
    people = rng.randint(3, 24)
    salaries = [rng.randint(35_000, 160_000) for _ in range(people)]
    starts = starts_before([rng.randint(0, 4000) for _ in range(people)])
    gp = [rng.randint(63, 110) * 1000 if round_books else rng.randint(63_000, 110_000)
          for _ in range(9)]
    c = company(salaries, starts, rng.randint(30_000, 250_000), rng.random() < 0.5, gp)
    return c if pays_every_quarter(c) else None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    people=st.integers(min_value=3, max_value=24),
    seed_salaries=st.lists(st.integers(min_value=35_000, max_value=160_000), min_size=24,
                           max_size=24),
    seed_days=st.lists(st.integers(min_value=0, max_value=4000), min_size=24, max_size=24),
    victim_salary=st.integers(min_value=30_000, max_value=250_000),
    joins=st.booleans(),
    gp=st.lists(st.integers(min_value=63_000, max_value=110_000), min_size=9, max_size=9),
)
def test_a_joiner_or_leaver_is_pinned_within_10pct_only_near_a_rounding_edge(
    people: int, seed_salaries: list[int], seed_days: list[int], victim_salary: int,
    joins: bool, gp: list[int],
) -> None:
    """Everything: the public figures of three quarters (pot history), the estimator at any
    GP and salary, and the attacker's own exact check each quarter; the colleagues' growth
    of weight is even handed to the attacker exactly. The salaries consistent with all of it
    reach beyond +-10% of the truth unless the TEL profit of the victim's quarter sits within
    a third of a step of a rounding edge (``docs/privacy.md`` has the proof: the own-check
    range of W is at least ``W d / X`` on each side, and the step at least ``0.3 X v / W``)."""
    c = company(seed_salaries[:people], starts_before(seed_days[:people]), victim_salary, joins,
                gp)
    assume(pays_every_quarter(c))
    if pinned(c):
        assert edge_distance(c) <= Fraction(1, 3), recovered_interval(c)


@pytest.mark.parametrize(("round_books", "most"), [(False, 0), (True, 2)],
                         ids=["books_to_the_cent", "round_thousands_each_month"])
def test_in_random_companies_a_joiner_or_leaver_is_almost_never_pinned_within_10pct(
    round_books: bool, most: int,
) -> None:
    """400 random companies (seeded) each: none pinned. Longer runs measured books to the cent
    at 0 in 1,200 and round books at 3 in 3,000, each of the 3 with the TEL profit exactly on
    a rounding edge; the bound allows 2 in 400 of those."""
    rng = random.Random(2026)
    found = [c for c in (random_company(rng, round_books) for _ in range(700)) if c][:400]
    assert len(found) == 400
    caught = [c for c in found if pinned(c)]
    assert len(caught) <= most
    assert all(edge_distance(c) == 0 for c in caught)


def test_round_books_with_both_quarters_on_rounding_edges_narrow_a_leaver_to_minus_10_plus_8pct(
) -> None:
    """The corner Hypothesis found, kept as the documented limit: round GP puts the TEL
    profit of the leaver's last quarter exactly on a rounding edge ($85,000 with $10,000
    steps) and the next quarter's total weight a hair above one; the salaries that fit run
    from -10.0000% to +8.1%: the attacker learns the range, still not the salary."""
    salaries = [123_045, 35_000, 79_776, 35_000, 62_000, 35_000, 57_492, 69_524, 35_185,
                137_566]
    days = [702, 0, 883, 0, 2801, 2254, 457, 579, 610, 0]
    gp = [63_000, 63_000, 63_000, 63_000, 98_000, 110_000, 63_000, 78_157, 110_000]
    c = company(salaries, starts_before(days), 182_910, False, gp)
    assert pinned(c) and edge_distance(c) == 0
    lo, hi = recovered_interval(c)
    assert (round(float(lo / 182_910), 4), round(float(hi / 182_910), 3)) == (0.9, 1.081)


FLOOR = Plan(netting=Netting(mode="monthly_floor"))
CARRY = Plan(netting=Netting(mode="carry_forward"))
SHORT_Q1 = [60_000, 61_000, 62_500, *GP[3:]]  # Q1 ends $2,500 short: Q2 makes it up first


@pytest.mark.parametrize(("plan", "gp", "q", "joins", "moved"), [
    (PLAN, GP, QUARTERS[1], False, 5),
    (FLOOR, GP, QUARTERS[2], True, 8),  # August is below Min GP: the floor leaves it out
    (FLOOR, GP, QUARTERS[1], False, 5),
    (CARRY, SHORT_Q1, QUARTERS[1], False, 5),
], ids=["quarter", "monthly_floor_weak_month", "monthly_floor", "carry_forward"])
def test_team_pages_depend_on_salaries_only_through_the_public_figures(
    plan: Plan, gp: list[int], q: Quarter, joins: bool, moved: int,
) -> None:
    """Change a colleague's salary by 10% (and GP by a little, as an attacker could not tell
    apart): when the public figures agree, the team view is the same, byte for byte, under
    every netting mode."""
    def result(salary: int, extra: int) -> QuarterResult:
        c = company(SALARIES, STARTS, salary, joins, [g + extra * (i == moved)
                                                      for i, g in enumerate(gp)])
        return compute_quarter(plan, c.roster, c.months, q)

    base = result(83_700, 0)
    assert (base.carry_in < 0) == (plan is CARRY)
    view = team_view_of(base, plan).model_dump_json()
    found = 0
    for salary in (75_330, 92_070):  # -10%, +10%
        for extra in range(-300, 301, 25):
            other = result(salary, extra)
            if public_quarter(other, plan) == public_quarter(base, plan):
                found += 1
                assert team_view_of(other, plan).model_dump_json() == view
    assert found >= 2  # both directions have look-alike companies


@pytest.mark.parametrize(("plan", "joins"), [(PLAN, True), (PLAN, False), (FLOOR, True),
                                            (CARRY, False)],
                         ids=["quarter_joins", "quarter_leaves", "monthly_floor", "carry_forward"])
def test_the_chance_and_ranges_depend_on_salaries_only_through_the_public_figures(
    plan: Plan, joins: bool,
) -> None:
    """The open quarter (2026-Q3 with two months booked): move the joiner's or leaver's
    salary by 10%; when the public figures agree, the chance, the pool and average ranges and
    the attacker's own estimated range are the same, byte for byte."""
    q = QUARTERS[2]
    gp = SHORT_Q1 if plan is CARRY else GP

    def seen(salary: int) -> tuple[object, str, str]:
        c = company(SALARIES, STARTS, salary, joins, gp)
        ms = c.months[:8]
        r = compute_quarter(plan, c.roster, ms, q)
        risk = team_risk(r, plan, ms)
        assert risk is not None
        agg = aggregates_of(r, plan)
        est = estimate_check(agg, c.attacker.salary, c.attacker.start_date, plan,
                             q.last_day(plan.fiscal_year_start), plan.pay_date(q),
                             counted=True, pool_range=risk.pool_range)
        return public_quarter(r, plan), risk.model_dump_json(), est.model_dump_json()

    base = seen(83_700)
    assert '"chance_pct"' in base[1]
    found = 0
    for salary in (75_330, 92_070):  # -10%, +10%
        other = seen(salary)
        if other[0] == base[0]:
            found += 1
            assert other[1:] == base[1:]
    assert found >= 1


def test_under_a_monthly_floor_the_gp_shown_is_as_booked_and_no_finer_than_the_tel_profit(
) -> None:
    """Under a monthly floor GP over Min GP is not the TEL profit: a weak month's gap sits
    between them (August, $2,657 here). The page shows GP within half a step of the booked GP,
    and tells nothing finer than the rounded TEL profit: every exact TEL profit of the whole
    rounding interval gives the same page. (GP rounded on its own to the same step would split
    that interval where TEL profit - the gap crosses a multiple of the step; with the gap
    known, for some TEL profits to the cent.)"""
    def result(extra: int) -> QuarterResult:  # September's GP moved: the TEL profit with it
        c = company(SALARIES, STARTS, 83_700, True, [*GP[:8], GP[8] + extra])
        return compute_quarter(FLOOR, c.roster, c.months, QUARTERS[2])

    r = result(0)
    pq = public_quarter(r, FLOOR)
    assert pq.floor_gap == 265_700 and r.tel_profit == r.gp_total - pq.threshold + pq.floor_gap
    assert 2 * abs(pq.gp - r.gp_total) <= pq.money_step
    assert 2 * abs(pq.tel_profit - r.tel_profit) <= pq.money_step
    view = team_view_of(r, FLOOR)
    assert view.gp_to_date == pq.gp and view.above_threshold + view.floor_gap == view.tel_profit
    alike = []
    for extra in range(-4_000, 6_001, 10):
        other = result(extra)
        if public_quarter(other, FLOOR) == pq:
            alike.append(other.tel_profit)
            assert team_view_of(other, FLOOR) == view
    assert max(alike) - min(alike) >= pq.money_step - 1_000  # the whole interval, to $10


def test_a_huge_writeoff_costs_the_public_pool_not_the_exact_one() -> None:
    c = example(joins=True)
    r = c.result(QUARTERS[2])
    pq = public_quarter(r, PLAN)
    effect = writeoff_effect_of(r, PLAN, 1_000_000, 1_000)
    assert effect.staff_pool_cost == pq.staff_pool != r.staff_pool


def test_the_average_check_is_a_rounded_share_of_the_public_pool() -> None:
    c = example(joins=True)
    r = c.result(QUARTERS[2])
    v = team_view_of(r, PLAN)
    assert v.average_check is not None and v.average_check % 100 == 0
    assert abs(v.average_check * v.eligible_count - v.staff_pool) <= 50 * v.eligible_count
    assert v.staff_pool == public_quarter(r, PLAN).staff_pool != r.staff_pool


def test_a_released_reserve_is_rounded_like_a_tel_profit_so_earlier_pools_stay_hidden() -> None:
    """Plan variants carry earlier quarters' exact staff pools into later ones: the reserve is
    a sum of holdbacks. A fourth quarter that releases it, with little TEL profit of its own,
    would hand an attacker the exact reserve (and through it earlier pools) if the public
    figures added it unrounded. The step is taken on what the quarter can pay out and the
    reserve rounded to it: many different earlier quarters give the very same public page."""
    plan = Plan(reserve=Reserve(holdback_pct=Decimal(50)),
                payroll_tax=PayrollTax(employer_pct=Decimal("7.65")))
    people = [Person(name=f"P{i}", salary=s, start_date=d)
              for i, (s, d) in enumerate(zip(SALARIES, STARTS, strict=True))]
    year = [*GP, 62_500, 62_300, 62_000]  # Q4 just above Min GP: the release is most of it

    def fourth(extra: int) -> QuarterResult:
        gp = [year[0] + extra, *year[1:]]
        months = [Month(year=2026, month=m, gp=g, cash_on_hand=90_000, ar_total=100_000,
                        ar_90_plus=0) for m, g in zip(range(1, 13), gp, strict=True)]
        return compute_quarter(plan, people, months, Quarter(2026, 4))

    r = fourth(0)
    base = public_quarter(r, plan)
    assert r.released > 10 * r.tel_profit > 0  # a release of $25,000 on $800 of TEL profit
    assert base.reserve_in % base.money_step == 0 and base.money_step >= r.tel_profit
    view = team_view_of(r, plan).model_dump_json()
    alike = set()
    for extra in range(-3_000, 3_001, 50):  # January's GP, hence Q1's holdback, moved
        other = fourth(extra)
        if public_quarter(other, plan) == base:
            alike.add(other.reserve_in)
            assert team_view_of(other, plan).model_dump_json() == view
    assert len(alike) > 50 and max(alike) - min(alike) > Fraction(r.reserve_in, 20)
