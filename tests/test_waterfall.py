"""The home page's waterfall walks the quarter's ledger (spec section 10): every bar is a step
of the result, only steps that move money are drawn, and the bars add up to the result's own
figures, for any plan design."""

from __future__ import annotations

from datetime import date
from typing import Any

import plotly.graph_objects as go
import pytest
from case_files import scenario_of
from hypothesis import given, settings
from strategies_partwo import Case, cases, examples

from tel.core.models import Month, Person, Plan
from tel.core.periods import Quarter
from tel.core.policy import Caps, GateFailure, Netting, NettingMode, PayrollTax, Reserve
from tel.engine.quarter import QuarterResult, compute_quarter
from tel.engine.year import compute_year, fiscal_years
from tel.render import figures
from tel.render.figures import PALETTE

RULES = settings(max_examples=examples(30), deadline=None)

# what each bar of the walk is, as the result says it (a step's signed amount, or a total)
TOTALS = {"Quarter<br>GP": "gp_total", "TEL<br>profit": "tel_profit",
          "Staff<br>pool": "staff_pool", "Paid<br>pool": "paid_pool", "Paid in<br>checks": "paid"}


def steps(r: QuarterResult) -> dict[str, int]:
    """Every step of the walk after the threshold, signed, as the result gives it."""
    return {
        "Weak months<br>not netted": sum(max(0, r.min_gp - g) for g in r.gp_by_month),
        "Shortfall<br>carried in": r.carry_in,
        "House": -r.house,
        "Deferred<br>in": r.deferred_in,
        "Held back<br>(reserve)": -r.held_back,
        "Reserve<br>released": r.released,
        "Employer<br>tax": -r.employer_tax,
        "Over caps<br>(to house)": -r.capped_to_house,
        "Nobody<br>eligible": -r.undistributed,
    }


def cents(values: Any) -> list[int]:
    return [round(float(v) * 100) for v in values]


def replay(fig: go.Figure, r: QuarterResult) -> int:
    """Walk the waterfall as plotly draws it, checking each bar against the result; the
    running total at the end."""
    w = fig.data[0]
    assert w.type == "waterfall"
    known = steps(r)
    running = 0
    threshold = len(r.months_booked) * r.min_gp
    for label, measure, amount in zip(w.x, w.measure, cents(w.y), strict=True):
        if measure == "absolute":
            running = amount
            assert amount == getattr(r, TOTALS[label]), label
        elif measure == "total":
            assert running == getattr(r, TOTALS[label]), label
        elif label.startswith("Threshold"):
            assert amount == -threshold
            running += amount
        else:
            assert amount == known[label] != 0, label  # a drawn step moves money
            running += amount
    return running


def split_of(fig: go.Figure) -> tuple[int, int, int] | None:
    """(team, merit, merit's base) of the team / merit bar, if drawn."""
    bars = [t for t in fig.data if t.type == "bar" and t.name and "pool" in t.name]
    if not bars:
        return None
    team, merit = bars
    return cents(team.y)[0], cents(merit.y)[0], cents(merit.base)[0]


def assert_walks_the_ledger(r: QuarterResult, netting: Any) -> None:
    fig = figures.waterfall(r, netting=netting)
    end = replay(fig, r)
    drawn = set(fig.data[0].x)
    short = [t for t in fig.data[1:] if t.type == "bar" and t.marker.color == PALETTE.failed]
    split = split_of(fig)
    if short:  # below the threshold: the red bar is the shortfall, TEL profit is 0
        excess = r.gp_total - len(r.months_booked) * r.min_gp + r.carry_in
        assert cents(short[0].y) == [excess] and excess < 0 and r.tel_profit == 0
    if split is None:  # the walk stopped: nothing is paid
        assert r.paid == r.paid_pool == 0
        return
    team, merit, base = split
    assert (team, merit, base) == (r.team_pool, r.merit_pool, r.team_pool)
    if not r.gates.passed:  # what was at stake
        assert team + merit == r.staff_pool and r.paid == 0
        return
    assert team + merit == r.paid_pool
    assert end == r.paid  # the walk ends at what is paid in checks
    chain = ("Deferred<br>in", "Held back<br>(reserve)", "Reserve<br>released",
             "Employer<br>tax", "Over caps<br>(to house)", "Nobody<br>eligible")
    assert {s for s in chain if steps(r)[s]} == {s for s in chain if s in drawn}


@RULES
@given(case=cases())
def test_the_waterfalls_bars_add_up_to_the_results_figures_for_any_plan_design(
    case: Case,
) -> None:
    s = scenario_of(case)
    for fy in fiscal_years(s.months, s.plan.fiscal_year_start):
        for r in compute_year(s.plan, s.roster, s.months, fy, s.score_map).quarters:
            assert_walks_the_ledger(r, s.plan.netting.mode)
            assert_walks_the_ledger(r, None)  # read from the result: still adds up


# --------------------------------------------------------------------------- examples

Q3 = Quarter(2026, 3)
ROSTER = [
    Person(name="Ann", salary=120000, start_date=date(2020, 1, 1)),
    Person(name="Bob", salary=60000, start_date=date(2020, 1, 1)),
    Person(name="Cy", salary=80000, start_date=date(2018, 6, 1)),
]


def months(gps: dict[int, int], cash: dict[int, int] | None = None) -> list[Month]:
    return [Month(year=2026, month=m, gp=g, cash_on_hand=(cash or {}).get(m, 52000),
                  ar_total=320000, ar_90_plus=24000) for m, g in sorted(gps.items())]


SPEC = {7: 69343, 8: 59343, 9: 73434}  # the source's worked example; August is weak


def labels(fig: go.Figure) -> list[str]:
    return list(fig.layout.xaxis.categoryarray)


def test_a_monthly_floor_adds_back_what_the_weak_month_would_have_cost() -> None:
    r = compute_quarter(Plan(netting=Netting(mode="monthly_floor")), ROSTER, months(SPEC), Q3)
    fig = figures.waterfall(r, netting="monthly_floor")
    assert labels(fig)[:4] == ["Quarter<br>GP", "Threshold<br>3 × $62,000",
                               "Weak months<br>not netted", "TEL<br>profit"]
    w = fig.data[0]
    assert cents(w.y)[:3] == [20212000, -18600000, 265700]  # August: $62,000 - $59,343
    assert r.tel_profit == 1877700 and replay(fig, r) == r.paid
    assert "Monthly floor" in fig.layout.title.subtitle.text


def test_a_shortfall_carried_in_is_a_step_before_the_tel_profit() -> None:
    plan = Plan(netting=Netting(mode="carry_forward"))
    gps = {1: 50000, 2: 50000, 3: 50000, 4: 80000, 5: 80000, 6: 80000}
    r = compute_year(plan, ROSTER, months(gps), 2026).quarters[1]
    assert r.carry_in == -3600000
    fig = figures.waterfall(r, netting="carry_forward")
    assert labels(fig)[:4] == ["Quarter<br>GP", "Threshold<br>3 × $62,000",
                               "Shortfall<br>carried in", "TEL<br>profit"]
    assert cents(fig.data[0].y)[2] == -3600000
    assert r.tel_profit == 24000000 - 18600000 - 3600000  # $240,000 - $186,000 - $36,000
    assert_walks_the_ledger(r, "carry_forward")


def test_a_carried_shortfall_stops_at_the_red_bar_and_says_so() -> None:
    plan = Plan(netting=Netting(mode="carry_forward"))
    r = compute_year(plan, ROSTER, months({1: 50000, 2: 50000, 3: 50000}), 2026).quarters[0]
    fig = figures.waterfall(r, netting="carry_forward")
    assert labels(fig) == ["Quarter<br>GP", "Threshold<br>3 × $62,000",
                           "Shortfall<br>carried out"]
    notes = " ".join(a.text for a in fig.layout.annotations)
    assert "$36,000.00 under the threshold" in notes and "nothing to share" in notes


def test_every_step_from_the_staff_pool_to_the_checks_is_a_bar() -> None:
    plan = Plan(reserve=Reserve(holdback_pct=10), payroll_tax=PayrollTax(employer_pct="7.65"),
                caps=Caps(max_pct_of_salary=2))
    r = compute_quarter(plan, ROSTER, months(SPEC), Q3)
    assert r.held_back and r.employer_tax and r.capped_to_house
    fig = figures.waterfall(r, netting="quarter")
    assert labels(fig) == [
        "Quarter<br>GP", "Threshold<br>3 × $62,000", "TEL<br>profit", "House", "Staff<br>pool",
        "Held back<br>(reserve)", "Employer<br>tax", "Paid<br>pool",
        figures.ledger_bars(r)[8].label,  # team + merit, the split of the paid pool
        "Over caps<br>(to house)", "Paid in<br>checks",
    ]
    assert_walks_the_ledger(r, "quarter")
    assert f"Paid in checks ${r.paid / 100:,.2f}" in fig.layout.title.subtitle.text


def test_a_deferred_pool_is_paid_even_in_a_quarter_short_of_its_threshold() -> None:
    plan = Plan(gate_failure=GateFailure(policy="defer"))
    gps = {1: 70000, 2: 70000, 3: 70000, 4: 50000, 5: 50000, 6: 50000}
    year = compute_year(plan, ROSTER, months(gps, cash={3: 100}), 2026)
    failed, short = year.quarters
    assert not failed.gates.passed and short.deferred_in == failed.staff_pool > 0
    fig = figures.waterfall(short, netting="quarter")
    assert labels(fig)[:5] == ["Quarter<br>GP", "Threshold<br>3 × $62,000", "Short of<br>threshold",
                               "TEL<br>profit", "Deferred<br>in"]
    assert_walks_the_ledger(short, "quarter")
    assert short.paid == short.deferred_in
    notes = " ".join(a.text for a in figures.waterfall(failed).layout.annotations)
    assert "Gates failed" in notes and "deferred" in notes


def test_a_failed_gate_shows_the_staff_pool_at_stake_and_nothing_paid() -> None:
    r = compute_quarter(Plan(), ROSTER, months(SPEC, cash={9: 100}), Q3)
    fig = figures.waterfall(r)
    assert labels(fig)[-2:] == ["Staff<br>pool", figures.ledger_bars(r)[-1].label]
    assert figures.ledger_bars(r)[-1].label.startswith("At stake")
    notes = " ".join(a.text for a in fig.layout.annotations)
    assert "Gates failed" in notes and "back to the house" in notes
    assert_walks_the_ledger(r, "quarter")


@pytest.mark.parametrize("mode", ["quarter", "monthly_floor", "carry_forward"])
def test_the_gp_chart_states_the_real_tel_profit_under_each_netting_mode(
    mode: NettingMode,
) -> None:
    r = compute_quarter(Plan(netting=Netting(mode=mode)), ROSTER, months(SPEC), Q3)
    sub = figures.gp_vs_threshold(r, netting=mode).layout.title.subtitle.text
    assert f"TEL profit ${r.tel_profit / 100:,.2f}" in sub
    assert "$16,120.00 over" in sub  # what the months make against 3 x Min GP, in every mode
    if mode == "monthly_floor":
        assert "$18,777.00" in sub and "a weak month costs nothing" in sub
        assert "made up" not in sub
    else:
        assert "A weak month is made up by strong ones" in sub


def test_the_gp_chart_names_a_shortfall_carried_in_and_out() -> None:
    plan = Plan(netting=Netting(mode="carry_forward"))
    gps = {1: 50000, 2: 50000, 3: 50000, 4: 70000, 5: 62000, 6: 62000}
    first, second = compute_year(plan, ROSTER, months(gps), 2026).quarters
    assert "Shortfall of $36,000.00 carried to the next quarter" in figures.gp_vs_threshold(
        first, netting="carry_forward").layout.title.subtitle.text
    sub = figures.gp_vs_threshold(second, netting="carry_forward").layout.title.subtitle.text
    assert "shortfall of $36,000.00 carried in" in sub and "TEL profit $0.00" in sub
    assert "Shortfall of $28,000.00 carried to the next quarter" in sub
