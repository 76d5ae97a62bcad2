"""Risk (spec section 15): how likely a bonus is this quarter, and how large.

The months not booked yet are drawn from a normal distribution fitted to the recent booked
months; everything else stands as booked (the gates on the last booked month, the ledger's
balances from the real quarters before). Each simulated quarter goes through the one rules
kernel (:func:`tel.rules.pools.step`) on int64 arrays, so a simulated quarter pays exactly
what the exact path would pay on the same months.

Per person: the *expected* check is the mean over the simulated quarters of the person's
share of the pools (exact shares in floats, capped; within a cent of the mean of exact
checks). The *quantiles* are the exact checks (:func:`tel.rules.allocate.share_checks`) of the
simulated quarter whose paid pool is that quantile: every check rises with the paid pool
(within the cent of the largest remainder), so this is each check's own quantile to a cent.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import numpy.typing as npt
import pandas as pd

from tel.core.models import Month, Scenario
from tel.core.money import MONEY_LIMIT, Cents, round_half_up, to_cents, to_dollars
from tel.core.periods import Quarter
from tel.engine.quarter import QuarterResult, compute_scenario
from tel.rules.allocate import share_checks
from tel.rules.gates import MissingAging
from tel.rules.pools import Terms, pct_of, pct_units, step

DEFAULT_SIMS = 100_000
DEFAULT_LOOKBACK = 12
QUANTILES = (10, 50, 90)
_LIMIT = to_cents(MONEY_LIMIT) - 1
_CHUNK = 1 << 22  # simulated quarters x people held at once for the expected checks


class RiskError(ValueError):
    """The simulation cannot run on these inputs (said in words)."""


@dataclass(frozen=True, slots=True)
class Spread:
    """A money figure over the simulated quarters, in cents: the mean (half-up to the cent)
    and the 10th, 50th and 90th percentiles (each a simulated value)."""

    mean: Cents
    p10: Cents
    p50: Cents
    p90: Cents

    def to_json_dict(self) -> dict[str, str]:
        return {k: str(to_dollars(getattr(self, k))) for k in ("mean", "p10", "p50", "p90")}


@dataclass(frozen=True, slots=True)
class PersonRisk:
    name: str
    eligible: bool
    expected: Cents
    p10: Cents
    p50: Cents
    p90: Cents


@dataclass(frozen=True, slots=True)
class FanPoint:
    """The staff pool if the quarter ended after ``month`` (cents): the band of the fan."""

    month: str
    booked: bool
    p10: Cents
    p50: Cents
    p90: Cents


@dataclass(frozen=True, slots=True)
class RiskResult:
    quarter: str
    sims: int
    seed: int | None
    lookback: int
    months_used: tuple[str, ...]  # the booked months the distribution was fitted to
    gp_mean: float  # cents a month (floats: a fitted distribution, not money paid)
    gp_sd: float
    booked: tuple[str, ...]
    simulated: tuple[str, ...]
    gates_passed: bool
    eligible_count: int
    p_any_payout: float
    staff_pool: Spread
    paid_pool: Spread
    payouts: tuple[PersonRisk, ...]
    fan: tuple[FanPoint, ...]
    exact: QuarterResult  # the quarter with every simulated month at 0 GP: who, weights
    at_quantile: dict[int, int]  # 10/50/90 -> the simulated quarter whose paid pool it is

    def to_json_dict(self) -> dict[str, object]:
        """The spec's ``tel risk --json`` object (section 15); money as decimal strings."""

        def m(c: Cents) -> str:
            return str(to_dollars(c))

        return {
            "quarter": self.quarter,
            "sims": self.sims,
            "p_any_payout": self.p_any_payout,
            "staff_pool": self.staff_pool.to_json_dict(),
            "paid_pool": self.paid_pool.to_json_dict(),
            "payouts": [{"name": p.name, "expected": m(p.expected), "p10": m(p.p10),
                         "p50": m(p.p50), "p90": m(p.p90)} for p in self.payouts],
        }


def risk_quarter(months: Sequence[Month], fiscal_year_start: int) -> Quarter:
    """The quarter section 15 simulates: the one holding the last booked month when it is not
    complete, else the one right after it.

    >>> ms = [Month(year=2026, month=m, gp=1, cash_on_hand=0, ar_total=0, ar_90_plus=0)
    ...       for m in (7, 8, 9, 10)]
    >>> str(risk_quarter(ms, 1)), str(risk_quarter(ms[:3], 1))
    ('2026-Q4', '2026-Q4')
    """
    if not months:
        raise RiskError("no booked month: nothing to start from")
    last = max(m.ym for m in months)
    q = Quarter.containing(last, fiscal_year_start)
    booked = {m.ym for m in months}
    return q.shifted(1) if all(ym in booked for ym in q.months(fiscal_year_start)) else q


def _fit(history: Sequence[Month], lookback: int) -> tuple[float, float, tuple[str, ...]]:
    used = sorted(history, key=lambda m: m.ym)[-lookback:]
    if len(used) < 2:
        raise RiskError(f"needs at least 2 booked months before the months to simulate; "
                        f"found {len(used)}")
    gp = [to_cents(m.gp) for m in used]
    mean = Fraction(sum(gp), len(gp))
    var = sum((g - mean) ** 2 for g in gp) / (len(gp) - 1)
    return float(mean), math.sqrt(var), tuple(m.label for m in used)


def draw_gp(mean: float, sd: float, months: int, sims: int,
            seed: int | None) -> npt.NDArray[np.int64]:
    """``months x sims`` GP draws in cents, each normal(mean, sd) rounded half-up to the cent
    (and kept inside the money limit). The same seed gives the same draws."""
    rng = np.random.default_rng(seed)
    draws = rng.normal(mean, sd, size=(months, sims))
    return np.clip(np.floor(draws + 0.5), -_LIMIT, _LIMIT).astype(np.int64)


def quantile_index(values: npt.NDArray[np.int64], q: int) -> int:
    """The simulated quarter at the ``q``-th percentile of ``values`` (the inverted CDF: a
    value that was simulated, ties in simulation order)."""
    order = np.argsort(values, kind="stable")
    return int(order[max(0, math.ceil(q / 100 * values.size) - 1)])


def _spread(values: npt.NDArray[np.int64]) -> Spread:
    mean = round_half_up(Fraction(int(values.sum()), values.size))
    p10, p50, p90 = (int(x) for x in np.quantile(values, [q / 100 for q in QUANTILES],
                                                 method="inverted_cdf"))
    return Spread(mean, p10, p50, p90)


def simulate(
    scenario: Scenario,
    quarter: Quarter | None = None,
    *,
    sims: int = DEFAULT_SIMS,
    seed: int | None = None,
    lookback: int = DEFAULT_LOOKBACK,
) -> RiskResult:
    """Simulate ``quarter`` (default :func:`risk_quarter`) ``sims`` times (section 15)."""
    plan = scenario.plan
    fys = plan.fiscal_year_start
    q = quarter or risk_quarter(scenario.months, fys)
    if sims < 1:
        raise RiskError("sims must be at least 1")
    if lookback < 2:
        raise RiskError("lookback must be at least 2 months")
    labels = q.months(fys)
    by_ym = {m.ym: m for m in scenario.months}
    booked = [by_ym[ym] for ym in labels if ym in by_ym]
    missing = [ym for ym in labels if ym not in by_ym]
    # fitted to the booked months before the first month to simulate (a complete quarter:
    # the months up to its end)
    history = [m for m in scenario.months
               if (m.ym < missing[0] if missing else m.ym <= labels[-1])]
    mean, sd, used = _fit(history, lookback)
    # the quarter as it stands, the months to simulate at 0 GP with the last booked month's
    # cash and A/R (the gates stand as booked): who is eligible, their weights, the balances
    before = max((m for m in scenario.months if m.ym < labels[0]), key=lambda m: m.ym,
                 default=None)
    like = booked[-1] if booked else before
    if like is None:
        raise RiskError("no booked month before the quarter to take the gates from")
    if missing and like.ar_total is None:  # the gates stand as on the last booked month
        raise MissingAging(like)
    fill = [like.model_copy(update={"year": y, "month": mo, "gp": 0}) for y, mo in missing]
    standing = scenario.model_copy(update={"months": (*scenario.months, *fill)})
    exact = compute_scenario(standing, q)

    sim_gp = draw_gp(mean, sd, len(missing), sims, seed)
    gp_by_month: dict[tuple[int, int], object] = {m.ym: to_cents(m.gp) for m in booked}
    for k, ym in enumerate(missing):
        gp_by_month[ym] = sim_gp[k]
    gp = [gp_by_month[ym] for ym in labels]
    terms = Terms.of(plan)
    passed = exact.gates.passed

    def run(months_gp: list[object], release: bool) -> object:
        return step(months_gp, passed, terms, carry_in=exact.carry_in,
                    deferred_in=exact.deferred_in, reserve_in=exact.reserve_in, release=release)

    s = run(gp, q.q == 4)
    ones = np.ones(sims, dtype=np.int64)
    staff = np.asarray(s.staff_pool) * ones  # type: ignore[attr-defined]
    paid = np.asarray(s.paid_pool) * ones  # type: ignore[attr-defined]
    team = np.asarray(s.team_pool) * ones  # type: ignore[attr-defined]
    merit = np.asarray(s.merit_pool) * ones  # type: ignore[attr-defined]
    chosen = [i for i, p in enumerate(exact.payouts) if p.eligible]
    p_any = float(np.mean(paid > 0)) if (passed and chosen) else 0.0

    at_quantile = {qn: quantile_index(paid, qn) for qn in QUANTILES}
    payouts = _people(exact, plan_caps(scenario, exact), chosen, at_quantile, team, merit)
    fan = []
    for k, ym in enumerate(labels):
        label = f"{ym[0]:04d}-{ym[1]:02d}"
        part = run(gp[: k + 1], False)
        pool = np.asarray(part.staff_pool) * ones  # type: ignore[attr-defined]
        p10, p50, p90 = (int(x) for x in np.quantile(pool, [0.1, 0.5, 0.9],
                                                     method="inverted_cdf"))
        fan.append(FanPoint(label, ym in by_ym, p10, p50, p90))
    return RiskResult(
        quarter=str(q), sims=sims, seed=seed, lookback=lookback, months_used=used,
        gp_mean=mean, gp_sd=sd,
        booked=tuple(m.label for m in booked),
        simulated=tuple(f"{y:04d}-{mo:02d}" for y, mo in missing),
        gates_passed=passed, eligible_count=len(chosen), p_any_payout=p_any,
        staff_pool=_spread(staff), paid_pool=_spread(paid), payouts=payouts,
        fan=tuple(fan), exact=exact, at_quantile=at_quantile,
    )


def plan_caps(scenario: Scenario, exact: QuarterResult) -> list[Cents] | None:
    """Each person's cap in cents (``None`` when the plan caps nothing)."""
    units = pct_units(scenario.plan.caps.max_pct_of_salary)
    return [pct_of(p.salary, units) for p in exact.payouts] if units else None


def _people(exact: QuarterResult, caps: list[Cents] | None, chosen: list[int],
            at_quantile: dict[int, int], team: npt.NDArray[np.int64],
            merit: npt.NDArray[np.int64]) -> tuple[PersonRisk, ...]:
    n = len(exact.payouts)
    if not chosen or not exact.gates.passed:
        return tuple(PersonRisk(p.name, p.eligible, 0, 0, 0, 0) for p in exact.payouts)
    weights = [exact.payouts[i].weight for i in chosen]
    days = [exact.payouts[i].days for i in chosen] if any(
        exact.payouts[i].days for i in chosen) else None
    mine_caps = [caps[i] for i in chosen] if caps is not None else None
    # quantiles: the exact checks of the simulated quarter at each quantile of the paid pool
    at: dict[int, list[Cents]] = {}
    for qn, k in at_quantile.items():
        t_, m_, _ = share_checks(int(team[k]), int(merit[k]), weights, days, mine_caps)
        at[qn] = [a + b for a, b in zip(t_, m_, strict=True)]
    # expected: the mean of each share, exact shares in floats, capped where the plan caps
    t_share = np.array(days if days else [1] * len(chosen), dtype=np.float64)
    t_share /= t_share.sum()
    w = np.array(weights, dtype=np.float64)
    m_share = w / w.sum() if w.sum() > 0 else t_share
    if mine_caps is None:
        expected = team.mean() * t_share + merit.mean() * m_share
    else:
        cap = np.array(mine_caps, dtype=np.float64)
        total = np.zeros(len(chosen))
        rows = max(1, _CHUNK // len(chosen))
        for start in range(0, team.size, rows):
            tt = team[start:start + rows].astype(np.float64)[:, None]
            mm = merit[start:start + rows].astype(np.float64)[:, None]
            total += np.minimum(tt * t_share + mm * m_share, cap).sum(axis=0)
        expected = total / team.size
    out: list[PersonRisk] = []
    rank = {i: r for r, i in enumerate(chosen)}
    for i in range(n):
        p = exact.payouts[i]
        if i not in rank:
            out.append(PersonRisk(p.name, False, 0, 0, 0, 0))
            continue
        r = rank[i]
        out.append(PersonRisk(p.name, True, math.floor(expected[r] + 0.5),
                              at[10][r], at[50][r], at[90][r]))
    return tuple(out)


def risk_frame(result: RiskResult) -> pd.DataFrame:
    """Each eligible person's expected check and P10 / P50 / P90, in dollars (for a table)."""
    rows = [p for p in result.payouts if p.eligible]
    return pd.DataFrame({
        "Name": [p.name for p in rows],
        "Expected": [p.expected / 100 for p in rows],
        "P10": [p.p10 / 100 for p in rows],
        "P50": [p.p50 / 100 for p in rows],
        "P90": [p.p90 / 100 for p in rows],
    })
