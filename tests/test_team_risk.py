"""The chance of a bonus and the ranges the team sees (tel.analysis.team_risk): public
inputs only, rounded, the same on every run."""

from __future__ import annotations

from datetime import date

import pytest
from apptest_support import sample_scenario
from hypothesis import given
from hypothesis import strategies as st

from tel.analysis.privacy import public_quarter
from tel.analysis.risk import simulate
from tel.analysis.team_risk import (
    TEAM_SEED,
    TEAM_SIMS,
    TeamRisk,
    chance_words,
    gp_fit,
    team_risk,
    team_risk_of,
)
from tel.core.models import Month, Person, Plan, Scenario
from tel.core.periods import Quarter
from tel.engine.quarter import compute_quarter

PLAN = Plan()


@given(st.floats(min_value=0, max_value=1))
def test_the_chance_shown_is_a_multiple_of_5pct(p: float) -> None:
    pct, words = chance_words(p)
    assert pct % 5 == 0 and 0 <= pct <= 100
    assert abs(pct / 100 - p) <= 0.025 + 1e-12
    if words.startswith("about"):
        assert words == f"about {pct}%" and 0 < pct < 100
    else:
        assert words == ("almost certain" if p >= 0.975 else "unlikely")


def crew(n: int = 6) -> list[Person]:
    return [Person(name=f"P{i}", salary=55_000 + 7_300 * i, start_date=date(2018, 1 + i, 1))
            for i in range(n)]


def months(gps: list[int], cash: int = 60_000) -> list[Month]:
    """Booked months from 2025-07 on (GP in dollars)."""
    out = []
    for i, gp in enumerate(gps):
        y, m = divmod(2025 * 12 + 6 + i, 12)
        out.append(Month(year=y, month=m + 1, gp=gp, cash_on_hand=cash, ar_total=100_000,
                         ar_90_plus=5_000))
    return out


GPS = [68_000, 71_000, 66_500, 73_000, 69_800, 70_400, 65_900, 72_300, 70_100, 68_700]  # ..2026-04


Q2 = Quarter(2026, 2)


def risk_of(gps: list[int], q: Quarter = Q2, cash: int = 60_000,
            people: list[Person] | None = None) -> TeamRisk | None:
    ms = months(gps, cash)
    r = compute_quarter(PLAN, people if people is not None else crew(), ms, q)
    return team_risk(r, PLAN, ms)


def test_an_open_quarter_gets_a_chance_and_ranges_that_are_public_roundings() -> None:
    ms = months(GPS)
    r = compute_quarter(PLAN, crew(), ms, Quarter(2026, 2))
    risk = team_risk(r, PLAN, ms)
    assert risk is not None and risk.sims == TEAM_SIMS
    step = public_quarter(r, PLAN).money_step
    assert risk.chance_pct % 5 == 0
    assert risk.paid_pool_p10 % step == 0 and risk.paid_pool_p90 % step == 0
    assert risk.paid_pool_p10 <= risk.paid_pool_p90
    assert risk.average_p10 is not None and risk.average_p10 % 100 == 0
    # the same figures every time
    assert team_risk(r, PLAN, ms) == risk
    # close to the owners' exact simulation (same draws give the same shape)
    exact = simulate(r_scenario(ms), Quarter(2026, 2), sims=TEAM_SIMS, seed=TEAM_SEED)
    assert abs(exact.p_any_payout * 100 - risk.chance_pct) <= 10
    assert abs(exact.paid_pool.p90 - risk.paid_pool_p90) <= 3 * step


def r_scenario(ms: list[Month]) -> Scenario:
    s = sample_scenario()
    return s.model_copy(update={"plan": PLAN, "roster": tuple(crew()), "months": tuple(ms)})


def test_a_complete_quarter_shows_nothing_new() -> None:
    assert risk_of(GPS[:9], Quarter(2026, 1)) is None


def test_a_failing_gate_makes_the_chance_0_and_says_why() -> None:
    risk = risk_of(GPS, cash=1_000)
    assert risk is not None
    assert (risk.chance_pct, risk.chance_text, risk.pool_range) == (0, "0%", None)
    assert "cash gate failed" in risk.note


def test_a_small_group_gets_the_chance_but_no_average_range() -> None:
    risk = risk_of(GPS, people=crew(2))
    assert risk is not None and risk.eligible_count == 2
    assert risk.average_p10 is None and risk.average_p90 is None


@pytest.mark.parametrize(("gp", "text"), [(200_000, "almost certain"), (10_000, "unlikely")])
def test_far_above_or_below_min_gp_the_words_say_so(gp: int, text: str) -> None:
    """The fit follows the months: all strong, a bonus is almost certain; all weak, unlikely."""
    risk = risk_of([gp] * 10)
    assert risk is not None and risk.chance_text == text


def test_the_figures_are_a_function_of_the_public_quarter_and_the_rounded_fit() -> None:
    ms = months(GPS)
    r = compute_quarter(PLAN, crew(), ms, Quarter(2026, 2))
    pq = public_quarter(r, PLAN)
    fit = gp_fit(ms, Quarter(2026, 2), PLAN.fiscal_year_start)
    assert fit is not None
    risk = team_risk(r, PLAN, ms)
    assert risk == team_risk_of(pq, PLAN, *fit, gate_note="")
    # the fit is rounded to the money step: a cent off changes nothing
    mean, sd = fit
    if (mean + 1) % pq.money_step and (mean % pq.money_step) * 2 + 2 < pq.money_step:
        assert team_risk_of(pq, PLAN, mean + 1, sd) == risk
