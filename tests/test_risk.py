"""Risk (spec section 15): the simulation against the closed form under quarter netting, and
against the exact path at the simulated quarters it names."""

from __future__ import annotations

import json
import math
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from apptest_support import sample_scenario

from tel.analysis.risk import RiskError, draw_gp, risk_quarter, simulate
from tel.cli import main
from tel.core.models import Month, Person, Plan, Scenario
from tel.core.periods import Quarter
from tel.core.policy import Caps, PayrollTax
from tel.engine.quarter import compute_scenario

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"
SIMS = 40_000


def phi(x: float) -> float:
    return math.exp(-x * x / 2) / math.sqrt(2 * math.pi)


def cdf(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def crew(n: int = 6) -> tuple[Person, ...]:
    return tuple(Person(name=f"P{i}", salary=50_000 + 7_000 * i, start_date=date(2018, 1, 1))
                 for i in range(n))


def company(gps: list[int], plan: Plan | None = None, cash: int = 60_000) -> Scenario:
    """Booked months from 2025-07 on, GP in dollars; the gates pass unless ``cash`` is low."""
    months = []
    for i, gp in enumerate(gps):
        y, m = divmod(2025 * 12 + 6 + i, 12)
        months.append(Month(year=y, month=m + 1, gp=gp, cash_on_hand=cash, ar_total=100_000,
                            ar_90_plus=5_000))
    return Scenario(plan=plan or Plan(), months=tuple(months), roster=crew())


HISTORY = [60_000, 71_000, 64_000, 69_000, 58_000, 73_000, 66_000, 62_000, 70_000, 65_000,
           61_000, 68_000, 72_000]  # 2025-07 .. 2026-07: 2026-Q3 has one month booked


def test_the_quarter_simulated_is_the_open_one_or_the_next() -> None:
    s = company(HISTORY)
    assert risk_quarter(s.months, 1) == Quarter(2026, 3)
    assert risk_quarter(company(HISTORY[:-1]).months, 1) == Quarter(2026, 3)
    assert simulate(s, sims=10, seed=1).simulated == ("2026-08", "2026-09")


def test_under_quarter_netting_the_chance_pools_and_checks_match_the_closed_form() -> None:
    """Two unbooked months: their sum is normal(2 mu, 2 sigma^2), so the excess X is normal
    and P(pay) = P(X > 0), E[staff] = (1 - h) E[max(0, X)] (within the rounding of a cent)."""
    s = company(HISTORY)
    r = simulate(s, sims=SIMS, seed=11)
    used = [g * 100 for g in HISTORY[-12:]]
    mu = sum(used) / 12
    sd = math.sqrt(sum((g - mu) ** 2 for g in used) / 11)
    assert r.gp_mean == pytest.approx(mu) and r.gp_sd == pytest.approx(sd)
    mx = HISTORY[-1] * 100 + 2 * mu - 3 * 6_200_000
    sx = sd * math.sqrt(2)
    p = 1 - cdf(-mx / sx)
    se = math.sqrt(p * (1 - p) / SIMS)
    assert abs(r.p_any_payout - p) < 4 * se
    e_profit = mx * cdf(mx / sx) + sx * phi(mx / sx)
    e_staff = 0.75 * e_profit
    sd_staff = 0.75 * sx  # an upper bound on the spread of max(0, X)
    assert abs(r.staff_pool.mean - e_staff) < 4 * sd_staff / math.sqrt(SIMS) + 1
    # quantiles: the staff pool at the excess's own quantiles (z = -1.2816, 0, 1.2816)
    for z, got in ((-1.2815516, r.staff_pool.p10), (0.0, r.staff_pool.p50),
                   (1.2815516, r.staff_pool.p90)):
        want = 0.75 * max(0.0, mx + z * sx)
        assert abs(got - want) < 0.03 * sx
    # each expected check: the person's share of the expected pools
    weights = [p.weight for p in r.exact.payouts]
    for i, p in enumerate(r.payouts):
        share = 0.5 / 6 + 0.5 * weights[i] / sum(weights)
        assert abs(p.expected - share * r.staff_pool.mean) <= 1 + 1e-9 * share * e_staff


def test_each_quantile_check_is_the_exact_check_of_the_simulated_quarter_it_names() -> None:
    plan = Plan(payroll_tax=PayrollTax(employer_pct=Decimal("7.65")),
                caps=Caps(max_pct_of_salary=Decimal(4)))
    s = company(HISTORY, plan)
    r = simulate(s, sims=5_000, seed=3)
    draws = draw_gp(r.gp_mean, r.gp_sd, 2, 5_000, 3)
    for q, k in r.at_quantile.items():
        extra = [m.model_copy(update={"month": mo, "gp": Decimal(int(draws[j, k])) / 100})
                 for j, (m, mo) in enumerate(((s.months[-1], 8), (s.months[-1], 9)))]
        exact = compute_scenario(s.model_copy(update={"months": (*s.months, *extra)}),
                                 Quarter(2026, 3))
        assert [getattr(p, f"p{q}") for p in r.payouts] == [p.total for p in exact.payouts]
    assert r.paid_pool.p50 < r.staff_pool.p50  # the employer's tax comes out of the pool


def test_the_same_seed_gives_the_same_figures_and_another_seed_others() -> None:
    s = sample_scenario()
    a, b = simulate(s, sims=2_000, seed=5), simulate(s, sims=2_000, seed=5)
    assert a.to_json_dict() == b.to_json_dict()
    assert simulate(s, sims=2_000, seed=6).to_json_dict() != a.to_json_dict()


def test_a_failing_gate_stays_failing_and_nothing_is_paid() -> None:
    r = simulate(company(HISTORY, cash=1_000), sims=1_000, seed=1)
    assert not r.gates_passed and r.p_any_payout == 0.0
    assert all(p.expected == p.p90 == 0 for p in r.payouts)
    assert r.staff_pool.p90 > 0  # what was at stake is still shown


def test_fewer_than_two_booked_months_is_an_error_in_words() -> None:
    with pytest.raises(RiskError, match="at least 2 booked months"):
        simulate(company([60_000]), sims=10, seed=1)


def test_tel_risk_json_has_the_spec_keys_and_money_in_dollars(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["risk", "--plan", str(SAMPLE / "plan.toml"), "--roster", str(SAMPLE / "roster.csv"),
            "--months", str(SAMPLE / "months.csv"), "--sims", "3000", "--seed", "9", "--json"]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"quarter", "sims", "p_any_payout", "staff_pool", "paid_pool", "payouts"}
    assert out["quarter"] == "2026-Q4" and out["sims"] == 3000
    assert set(out["staff_pool"]) == {"mean", "p10", "p50", "p90"}
    assert Decimal(out["staff_pool"]["p10"]) <= Decimal(out["staff_pool"]["p90"])
    assert [p["name"] for p in out["payouts"]] == [p.name for p in sample_scenario().roster]
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out) == out  # same seed, same output


def test_tel_risk_refuses_a_bad_setting_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["risk", "--plan", str(SAMPLE / "plan.toml"), "--roster", str(SAMPLE / "roster.csv"),
            "--months", str(SAMPLE / "months.csv"), "--lookback", "1"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "at least 2" in err and "Traceback" not in err
