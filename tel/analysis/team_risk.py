"""The chance of a bonus this quarter, and ranges, as the whole team may see them.

The risk simulation of spec section 15 (:mod:`tel.analysis.risk`: the same GP draws and the
one rules kernel, :func:`tel.rules.pools.step`), run on **public inputs only**, so that what
it says is a function of the quarter's public figures (``tel.analysis.privacy``) and of two
company aggregates, and of nothing personal:

* the months booked carry the public GP to date (``PublicQuarter.gp``), laid out from public
  figures alone: the best month carries GP above Min GP (and, under a monthly floor, the weak
  months' public gap), the others sit at Min GP (one below it by ``floor_gap``). Their sum is
  the public GP and the kernel's excess is the public one (``PublicQuarter.excess``);
* the months not booked yet are drawn normal(mean, sd), the mean and standard deviation of
  the company's last 12 booked months' GP (:func:`tel.analysis.risk.draw_gp`), each rounded
  half-up to the quarter's money step before use;
* the gates as they stand, the public balances carried in (``carry_in``, ``deferred_in`` and
  ``reserve_in`` of the public quarter), and the eligible head count. The pools do not depend
  on who is eligible, only on whether anyone is: no roster enters.

What is shown is rounded again:

* the chance that anything is paid, to the nearest 5% ("about 70%"), "almost certain" above
  97.5% and "unlikely" below 2.5%; 0 with the reason when a gate fails;
* the paid pool's 10th and 90th percentiles rounded to the money step, and the average
  check's range (those / the eligible count, whole dollars; hidden below ``min_group``);
* the estimator's range for one's own check (:func:`tel.analysis.team.estimate_check` with
  ``pool_range``): one's check at those two rounded pools with the group's public weight.

Only an open quarter (a month not booked yet) gets a chance; a complete one has none
(:func:`team_risk` returns ``None``). A fixed seed and a fixed number of simulated quarters
make the figures the same on every rerun and in every session.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

import numpy as np
from pydantic import BaseModel, ConfigDict

from tel.analysis.privacy import PublicQuarter, public_quarter, round_to
from tel.analysis.risk import DEFAULT_LOOKBACK, draw_gp
from tel.analysis.team import MIN_GROUP, average_dollars, gate_note
from tel.core.models import Month, Plan
from tel.core.money import Cents, format_money, round_half_up, to_cents
from tel.core.periods import Quarter
from tel.engine.quarter import QuarterResult
from tel.rules.pools import Terms, step

TEAM_SIMS = 20_000
"""Simulated quarters behind the team's figures."""

TEAM_SEED = 2026
"""The same seed every time: the team's figures do not move between reruns or sessions."""



class TeamRisk(BaseModel):
    """The chance of a bonus this quarter and the ranges, for the team. Money in cents,
    every amount a public rounding (no name, salary or weight in here)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    quarter: str
    sims: int
    gates_passed: bool
    eligible_count: int
    chance_pct: int  # a multiple of 5 (0 when a gate fails or nobody is eligible)
    chance_text: str  # "about 70%", "almost certain", "unlikely", "0%"
    paid_pool_p10: Cents  # rounded to the quarter's money step
    paid_pool_p90: Cents
    average_p10: Cents | None  # whole dollars; None below the privacy threshold or nobody
    average_p90: Cents | None
    note: str  # how the figures were made, or why the chance is 0

    @property
    def pool_range(self) -> tuple[Cents, Cents] | None:
        """(P10, P90) of the paid pool for the estimator, None when nothing can be paid."""
        if not self.gates_passed or not self.eligible_count:
            return None
        return self.paid_pool_p10, self.paid_pool_p90


def chance_words(p: float) -> tuple[int, str]:
    """A probability as the team sees it: (nearest multiple of 5%, words).

    >>> chance_words(0.7012), chance_words(0.9751), chance_words(0.02), chance_words(0.025)
    ((70, 'about 70%'), (100, 'almost certain'), (0, 'unlikely'), (5, 'about 5%'))
    >>> chance_words(0.974)[1], chance_words(0.0)[1]
    ('about 95%', 'unlikely')
    """
    pct = round_half_up(Fraction(p) * 20) * 5
    if pct >= 100:
        return 100, "almost certain"
    if pct <= 0:
        return 0, "unlikely"
    return pct, f"about {pct}%"


def gp_fit(months: Sequence[Month], quarter: Quarter, fiscal_year_start: int,
           lookback: int = DEFAULT_LOOKBACK) -> tuple[Cents, Cents] | None:
    """(mean, sample sd) of the GP of the last ``lookback`` booked months before the first
    month of ``quarter`` not booked yet, in cents half-up (None: fewer than 2 such months, or
    the quarter is complete)."""
    booked = {m.ym for m in months}
    missing = [ym for ym in quarter.months(fiscal_year_start) if ym not in booked]
    if not missing:
        return None
    used = sorted((m for m in months if m.ym < missing[0]), key=lambda m: m.ym)[-lookback:]
    if len(used) < 2:
        return None
    gp = [to_cents(m.gp) for m in used]
    mean = Fraction(sum(gp), len(gp))
    var = sum((g - mean) ** 2 for g in gp) / (len(gp) - 1)
    return round_half_up(mean), math.floor(math.sqrt(var) + 0.5)


def _booked_public(pq: PublicQuarter, min_gp: Cents) -> list[Cents]:
    """The months booked as the public figures make them (see the module docstring)."""
    k = pq.months_booked
    top = min_gp + pq.above_threshold + pq.floor_gap
    if k == 1:
        return [top]
    return [min_gp - pq.floor_gap] + [min_gp] * (k - 2) + [top]


def team_risk_of(
    pq: PublicQuarter,
    plan: Plan,
    gp_mean: Cents,
    gp_sd: Cents,
    *,
    gate_note: str = "",
    min_group: int = MIN_GROUP,
    sims: int = TEAM_SIMS,
    seed: int = TEAM_SEED,
) -> TeamRisk | None:
    """The team's chance and ranges from the public quarter and the company's GP fit (mean
    and sd in cents; rounded here to the money step). None for a complete quarter."""
    q = Quarter.parse(pq.quarter)
    missing = 3 - pq.months_booked
    if missing <= 0:
        return None
    money = pq.money_step
    mean = round_to(gp_mean, money)
    sd = max(0, round_to(gp_sd, money))
    terms = Terms.of(plan)
    draws = draw_gp(float(mean), float(sd), missing, sims, seed)
    gp: list[object] = [*_booked_public(pq, terms.min_gp), *draws]
    s = step(gp, pq.gates_passed, terms, carry_in=pq.carry_in, deferred_in=pq.deferred_in,
             reserve_in=pq.reserve_in, release=q.q == 4)
    paid = np.asarray(s.paid_pool, dtype=np.int64) * np.ones(sims, dtype=np.int64)
    n = pq.eligible_count
    can_pay = pq.gates_passed and n > 0
    p = float(np.mean(paid > 0)) if can_pay else 0.0
    pct, words = chance_words(p) if can_pay else (0, "0%")
    p10, p90 = (round_to(int(x), money) for x in np.quantile(paid, [0.1, 0.9],
                                                            method="inverted_cdf"))
    shown = can_pay and n >= min_group
    if not pq.gates_passed:
        note = (f"The chance is 0: {gate_note or 'a gate failed'}, and nothing is paid "
                "until it passes.")
    elif not n:
        note = "The chance is 0: nobody is eligible this quarter."
    else:
        note = (f"From {sims:,} simulated quarters: the months not booked yet drawn like the "
                f"last 12 months' GP (about {format_money(mean, cents_shown=False)} a month, "
                f"give or take {format_money(sd, cents_shown=False)}), the gates as they "
                "stand. The range is what 8 quarters in 10 land in.")
    return TeamRisk(
        quarter=pq.quarter,
        sims=sims,
        gates_passed=pq.gates_passed,
        eligible_count=n,
        chance_pct=pct,
        chance_text=words,
        paid_pool_p10=p10,
        paid_pool_p90=p90,
        average_p10=average_dollars(p10, n) if shown else None,
        average_p90=average_dollars(p90, n) if shown else None,
        note=note,
    )


def team_risk(
    result: QuarterResult,
    plan: Plan,
    months: Sequence[Month],
    *,
    min_group: int = MIN_GROUP,
    sims: int = TEAM_SIMS,
    seed: int = TEAM_SEED,
) -> TeamRisk | None:
    """:func:`team_risk_of` for a worked-out quarter and the company's booked ``months``
    (None: a complete quarter, or fewer than 2 months to fit the GP to)."""
    q = Quarter.parse(result.quarter)
    fit = gp_fit(months, q, plan.fiscal_year_start)
    if fit is None or len(result.months_booked) >= 3:
        return None
    return team_risk_of(public_quarter(result, plan), plan, *fit,
                        gate_note=gate_note(result.gates),
                        min_group=min_group, sims=sims, seed=seed)
