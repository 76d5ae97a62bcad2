"""The plan variants (spec part two) as rules that hold for any company, any year.

Each property draws a whole multi-year case (``strategies_partwo.cases``: random plan with
random variants, roster, months and scores), reads it through the real loaders, then changes
one design choice and compares the ledgers.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from case_files import scenario_of
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies_partwo import Case, cases, examples

from tel.core.models import Plan, Scenario
from tel.core.policy import Caps, GateFailure, Netting
from tel.engine.ledger import run
from tel.engine.quarter import compute_quarter
from tel.engine.year import compute_year, fiscal_years
from tel.rules.pools import pct_of, pct_units

RULES = settings(max_examples=examples(30), deadline=None)




def with_plan(s: Scenario, **changes: object) -> Scenario:
    return s.model_copy(update={"plan": s.plan.model_copy(update=changes)})


def years(s: Scenario) -> list[int]:
    return fiscal_years(s.months, s.plan.fiscal_year_start)


def paid_in(s: Scenario, fiscal_year: int) -> int:
    return sum(e.step.paid_pool for e in run(s.plan, s.months) if e.quarter.year == fiscal_year)


@RULES
@given(case=cases())
def test_a_monthly_floor_never_pays_less_than_quarter_netting(case: Case) -> None:
    s = scenario_of(case)
    floor = with_plan(s, netting=Netting(mode="monthly_floor"))
    quarter = with_plan(s, netting=Netting(mode="quarter"))
    for a, b in zip(run(floor.plan, s.months), run(quarter.plan, s.months), strict=True):
        assert a.step.tel_profit >= b.step.tel_profit
        assert a.step.staff_pool >= b.step.staff_pool
        assert a.step.paid_pool >= b.step.paid_pool


@RULES
@given(case=cases())
def test_a_carried_shortfall_never_pays_more_over_a_fiscal_year(case: Case) -> None:
    s = scenario_of(case)
    carry = with_plan(s, netting=Netting(mode="carry_forward"))
    quarter = with_plan(s, netting=Netting(mode="quarter"))
    for fy in years(s):
        assert paid_in(carry, fy) <= paid_in(quarter, fy)


@RULES
@given(case=cases())
def test_deferral_pays_over_time_what_forfeiting_loses(case: Case) -> None:
    """Everything a failed gate forfeits is, under deferral, made available later or still
    held at the end: sum(available | defer) + deferred at the end
    == sum(available | forfeit) + the staff pools of the failed quarters (forfeit)."""
    s = scenario_of(case)
    defer = run(with_plan(s, gate_failure=GateFailure(policy="defer")).plan, s.months)
    forfeit = run(with_plan(s, gate_failure=GateFailure(policy="forfeit")).plan, s.months)
    lost = sum(e.step.staff_pool for e in forfeit if not e.passed)
    left = defer[-1].step.deferred_out
    assert sum(e.step.available for e in defer) + left == sum(
        e.step.available for e in forfeit) + lost


@RULES
@given(case=cases())
def test_checks_plus_employer_tax_are_what_was_available(case: Case) -> None:
    s = scenario_of(case)
    for fy in years(s):
        for r in compute_year(s.plan, s.roster, s.months, fy, s.score_map).quarters:
            assert r.paid + r.employer_tax + r.undistributed + r.capped_to_house == r.available
            assert r.paid_pool + r.employer_tax == r.available
            assert r.team_pool + r.merit_pool == (r.paid_pool if r.gates.passed
                                                  else r.staff_pool)


@RULES
@given(case=cases(), cap=st.integers(1, 2000).map(lambda n: Decimal(n).scaleb(-2)))
def test_no_check_is_above_its_cap(case: Case, cap: Decimal) -> None:
    s = scenario_of(case)
    pct = s.plan.caps.max_pct_of_salary or cap
    capped = with_plan(s, caps=Caps(max_pct_of_salary=pct))
    for fy in years(s):
        for r in compute_year(capped.plan, s.roster, s.months, fy, s.score_map).quarters:
            for p in r.payouts:
                assert p.total <= pct_of(p.salary, pct_units(pct))
            assert r.capped_to_house == sum(p.capped for p in r.payouts)


@RULES
@given(case=cases())
def test_when_everyone_is_present_all_quarter_prorating_changes_no_check(case: Case) -> None:
    s = scenario_of(case)
    prorate, whole = with_plan(s, partial="prorate"), with_plan(s, partial="none")
    for q in run(s.plan, s.months):
        a = compute_quarter(prorate.plan, s.roster, s.months, q.quarter, s.score_map)
        counted = [p for p in a.payouts if p.eligible]
        first = date(*q.quarter.months(s.plan.fiscal_year_start)[0], 1)
        days = (a.quarter_end - first).days + 1
        b = compute_quarter(whole.plan, s.roster, s.months, q.quarter, s.score_map)
        if len(q.months) < 3 or any(p.days != days for p in counted):
            continue
        if [p.eligible for p in a.payouts] != [p.eligible for p in b.payouts]:
            continue  # a leaver after the quarter but before the pay date: a different rule
        assert [(p.team, p.merit) for p in a.payouts] == [(p.team, p.merit) for p in b.payouts]


@RULES
@given(case=cases())
def test_under_proration_two_people_present_all_quarter_get_team_checks_a_cent_apart(
    case: Case,
) -> None:
    s = with_plan(scenario_of(case), partial="prorate")
    for q in run(s.plan, s.months):
        r = compute_quarter(s.plan, s.roster, s.months, q.quarter, s.score_map)
        full = [p.team for p in r.payouts if p.eligible and p.reason == "" and p.capped == 0]
        if full:
            assert max(full) - min(full) <= 1


def test_a_plan_without_part_two_sections_is_the_source_plan() -> None:
    assert Plan() == Plan(netting=Netting(), gate_failure=GateFailure(), caps=Caps())
