"""What the team may learn about a quarter: the company's figures, rounded so that no
colleague's salary can be worked out from them.

Why rounding, and how much (``docs/privacy.md`` has the long form). An eligible employee
knows their own salary ``s``, service and exact check ``c``. If they also knew the staff pool
``P`` exactly they would know the group's total merit weight ``W`` (``W = M w / m`` with
``m = c - T / N``), and the change of ``W`` between two quarters in which one person joined
or left is that person's salary x years: their salary falls out. So the team pages never
show an exact ``P`` or ``W``, nor anything from which they follow (GP, TEL profit, the pools,
the average check, what a write-off costs), only these public figures:

    X^  = round(X, S)          X = TEL profit;  GP^ = months x Min GP + X^ (when X > 0)
    S   = nice(2 u X),         u = max(2.5%, 15% x w_max / W)
    P^, T^, M^ = split_profit(X^)                      (the plan's own percentages)
    W^  = round(W, S_W),       S_W = nice(30% x w_max)

``nice(x)`` is the smallest of 1, 2, 5 x 10^k cents (or weight units) not below ``x``;
``round`` is half-up to a multiple. ``w_max`` is the largest eligible merit weight, so the
uncertainty about ``W`` is never smaller than a good part of anyone's weight: between two
quarters it is wider than the +-10% of a joiner's or leaver's weight that would give their
salary away (``tests/test_privacy_attacks.py`` plays the attacks). ``u`` of at least 2.5%
keeps a large group's pools rounded too. With ``X = 0`` nothing is shared, no figure
depends on a salary, and GP is shown as booked.

Everything public is a function of ``X^``, ``W^`` and the plan, so every sum on a team page
adds up, and typing any GP, salary or write-off into the team pages reveals nothing finer.
"""

from __future__ import annotations

from fractions import Fraction

from pydantic import BaseModel, ConfigDict

from tel.core.models import Plan
from tel.core.money import Cents, round_half_up
from tel.engine.quarter import QuarterResult
from tel.rules.pools import split_profit

POOL_FLOOR = Fraction(1, 40)
"""Pools are uncertain by at least +-2.5% (half a step) on the team pages."""

LEAVER_SHARE = Fraction(3, 20)
"""... and by at least 15% of the heaviest weight's share of the group's total."""

WEIGHT_SHARE = Fraction(3, 10)
"""The group's total weight is rounded to a step of at least 30% of the heaviest weight."""


def nice_step(minimum: int | Fraction) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, ... not below ``minimum`` (at least 1).

    >>> [nice_step(x) for x in (0, 1, 3, 5, 6, 967, 1001, Fraction(2001, 2))]
    [1, 1, 5, 5, 10, 1000, 2000, 2000]
    """
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= minimum:
                return step * factor
        step *= 10


def round_to(value: int, step: int) -> int:
    """``value`` rounded half-up to a multiple of ``step`` (half away from zero).

    >>> round_to(1612000, 100000), round_to(1650000, 100000), round_to(-150, 100)
    (1600000, 1700000, -200)
    """
    return round_half_up(Fraction(value, step)) * step


class PublicQuarter(BaseModel):
    """A quarter as the team may see it: rounded company figures (cents, weight units)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    quarter: str
    months_booked: int
    threshold: Cents  # months booked x Min GP: policy, exact
    money_step: Cents  # every figure below is a multiple of it above the threshold
    gp: Cents
    above_threshold: Cents  # gp - threshold (negative while short)
    tel_profit: Cents
    house: Cents
    staff_pool: Cents
    team_pool: Cents
    merit_pool: Cents
    eligible_count: int
    weight_step: int
    total_weight: int  # the eligible group's merit weight, rounded to weight_step

    def at_extra_gp(self, extra: Cents, plan: Plan) -> tuple[Cents, Cents, Cents, Cents]:
        """(tel_profit, staff_pool, team_pool, merit_pool) with ``extra`` cents more GP,
        from the public figures alone (the exact pools never enter)."""
        profit = max(0, self.above_threshold + extra)
        _, staff, team, merit = split_profit(profit, plan)
        return profit, staff, team, merit


def money_step(result: QuarterResult) -> Cents:
    """The rounding step of the quarter's public money figures (see the module docstring):
    ``nice(2 u X)``, or 1 cent when there is no TEL profit (nothing then depends on a salary).
    """
    profit = result.tel_profit
    if profit <= 0:
        return 1
    weights = [p.weight for p in result.payouts if p.eligible]
    total = sum(weights)
    share = Fraction(max(weights, default=0), total) if total else Fraction(0)
    u = max(POOL_FLOOR, LEAVER_SHARE * share)
    return nice_step(2 * u * profit)


def public_quarter(result: QuarterResult, plan: Plan) -> PublicQuarter:
    """The quarter's public figures, from the exact result and the plan it was paid under.

    >>> from datetime import date
    >>> from tel.core.models import Month, Person
    >>> from tel.core.periods import Quarter
    >>> from tel.engine.quarter import compute_quarter
    >>> ms = [Month(year=2026, month=m, gp=g, cash_on_hand=52000, ar_total=320000,
    ...             ar_90_plus=24000) for m, g in ((7, 69343), (8, 59343), (9, 73434))]
    >>> crew = [Person(name=f"P{i}", salary=60000 + 1000 * i, start_date=date(2020, 1, 1))
    ...         for i in range(9)]
    >>> pq = public_quarter(compute_quarter(Plan(), crew, ms, Quarter(2026, 3)), Plan())
    >>> pq.money_step, pq.gp, pq.tel_profit, pq.staff_pool, pq.team_pool, pq.merit_pool
    (100000, 20200000, 1600000, 1200000, 600000, 600000)
    """
    months = len(result.months_booked)
    threshold = months * result.min_gp
    step = money_step(result)
    profit = round_to(result.tel_profit, step) if result.tel_profit > 0 else 0
    gp = threshold + profit if profit > 0 else result.gp_total
    _, staff, team, merit = split_profit(profit, plan)
    weights = [p.weight for p in result.payouts if p.eligible]
    heaviest: int = max(weights, default=0)
    w_step = nice_step(WEIGHT_SHARE * heaviest) if heaviest else 1
    total = sum(weights)
    return PublicQuarter(
        quarter=result.quarter,
        months_booked=months,
        threshold=threshold,
        money_step=step,
        gp=gp,
        above_threshold=gp - threshold,
        tel_profit=profit,
        house=profit - staff,
        staff_pool=staff,
        team_pool=team,
        merit_pool=merit,
        eligible_count=result.eligible_count,
        weight_step=w_step,
        total_weight=max(w_step, round_to(total, w_step)) if total else 0,
    )
