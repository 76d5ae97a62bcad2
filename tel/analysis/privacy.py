"""What the team may learn about a quarter: the company's figures, rounded so that no
colleague's salary can be worked out from them.

Why rounding, and how much (``docs/privacy.md`` has the long form). An eligible employee
knows their own salary ``s``, service and exact check ``c``. If they also knew the staff pool
``P`` exactly they would know the group's total merit weight ``W`` (``W = M w / m`` with
``m = c - T / N``), and the change of ``W`` between two quarters in which one person joined
or left is that person's salary x years: their salary falls out. So the team pages never
show an exact ``P`` or ``W``, nor anything from which they follow (GP, TEL profit, the pools,
the average check, what a write-off costs), only these public figures:

    X^  = round(X, S)          X = TEL profit;  GP^ = GP + (X^ - X)       (when X > 0)
    S   = nice(2 u X),         u = max(2.5%, 15% x w_max / W)
    P^, T^, M^ = split_profit(X^)                      (the plan's own percentages)
    W^  = round(W, S_W),       S_W = nice(30% x w_max)

``nice(x)`` is the smallest of 1, 2, 5 x 10^k cents (or weight units) not below ``x``;
``round`` is half-up to a multiple. ``w_max`` is the largest eligible merit weight, so the
uncertainty about ``W`` is never smaller than a good part of anyone's weight: between two
quarters it is wider than the +-10% of a joiner's or leaver's weight that would give their
salary away, unless the true TEL profit sits on or near a rounding edge, which cuts the range
off there (``tests/test_privacy_attacks.py`` plays the attacks and measures how rarely).
``u`` of at least 2.5% keeps a large group's pools rounded too. With ``X = 0`` nothing is
shared, no figure depends on a salary, and GP is shown as booked.

Everything public is a function of ``X^``, ``W^`` and the plan, so every sum on a team page
adds up, and typing any GP, salary or write-off into the team pages reveals nothing finer.

GP is shown off by exactly what the TEL profit is: ``GP^ - GP = X^ - X``, so within half a
step of the booked GP. Under quarter netting ``GP - months x Min GP = X`` and ``GP^`` is the
threshold + ``X^``. Under the other netting modes the two differ by an amount made of GP
below Min GP alone, where nothing depends on a salary, which is shown as it is:

    carry_forward  GP - threshold = X - carry_in    (carry_in <= 0: a shortfall carried in)
    monthly_floor  GP - threshold = X - floor_gap   (floor_gap >= 0: the weak months' GP
                                                     below Min GP, which the floor ignores)

so ``GP^ = threshold - carry_in - floor_gap + X^``. GP is not rounded on its own: two
roundings of ``X`` and ``X - floor_gap`` (or ``X - carry_in``) to one step, with the
difference known, would pin ``X`` far closer than either (to the cent, for some ``X``).

Plan variants (spec part two). The public pools are the rules kernel
(:func:`tel.rules.pools.step`) run on ``X^`` with the quarter's opening balances, so the
team sees what the plan will actually pay: the minimum house share, the holdback, the
reserve released with a complete fiscal fourth quarter, a deferred pool, the employer's
payroll tax. Those balances hold earlier quarters' exact staff pools (a deferred pool is
one, the reserve is a sum of holdbacks), and a released reserve or a deferred pool can be
most of what a quarter pays. So the step is taken on everything that can be shared, and the
balances are rounded to it like the TEL profit:

    S   = nice(2 u B),     B = X + deferred_in + reserve_in      (B = X without variants)
    D^  = round(deferred_in, S),   R^ = round(reserve_in, S)
    pools^ = step(X^, gates, plan; deferred_in = D^, reserve_in = R^, release)

With a step of one cent the public pools are the exact ones. The carried shortfall
(``carry_forward``) is shown as it is: it is made of GP below the threshold, where nothing
depends on a salary.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from pydantic import BaseModel, ConfigDict

from tel.core.models import Plan
from tel.core.money import Cents, round_half_up
from tel.core.periods import Quarter
from tel.engine.quarter import QuarterResult
from tel.rules.pools import Step, Terms
from tel.rules.pools import step as ledger_step

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


def pools_of_profit(
    profit: Cents,
    passed: bool,
    plan: Plan,
    *,
    deferred_in: Cents = 0,
    reserve_in: Cents = 0,
    release: bool = False,
) -> Step:
    """The rules kernel on a TEL profit instead of booked months: one month of GP ``profit``
    over a Min GP of 0, so the excess is the profit, then the plan's house share (and minimum),
    gates, deferral, holdback and release, employer tax and the team / merit split.

    >>> s = pools_of_profit(1612000, True, Plan())
    >>> s.house, s.staff_pool, s.paid_pool, s.team_pool, s.merit_pool
    (403000, 1209000, 1209000, 604500, 604500)
    """
    flat = replace(Terms.of(plan), min_gp=0, netting="quarter")
    return ledger_step([profit], passed, flat, deferred_in=deferred_in,
                       reserve_in=reserve_in, release=release)


class PublicQuarter(BaseModel):
    """A quarter as the team may see it: rounded company figures (cents, weight units).

    ``team_pool`` / ``merit_pool`` split ``paid_pool`` (what the plan will pay) when the gates
    pass, else the ``staff_pool`` at stake, as in ``QuarterResult``. ``above_threshold`` is GP
    over Min GP for the months booked; the excess the plan counts is that plus ``carry_in``
    (``carry_forward``) plus ``floor_gap`` (``monthly_floor``): the TEL profit when there is
    one.
    """

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
    # the ledger (spec section 10), on the public figures; defaults: no variant in play
    gates_passed: bool = True
    release: bool = False  # a complete fiscal fourth quarter: the reserve is paid out
    carry_in: Cents = 0  # carry_forward's shortfall carried in (<= 0), exact
    deferred_in: Cents = 0  # rounded to money_step
    reserve_in: Cents = 0  # rounded to money_step
    held_back: Cents = 0
    released: Cents = 0
    employer_tax: Cents = 0
    paid_pool: Cents = 0  # what the checks share (0 while a gate fails)
    # monthly_floor: GP below Min GP in the weak months, which the floor does not count
    # (>= 0, exact: it is made of GP below the threshold). With no month above Min GP the
    # best month's own gap is left out: extra GP there counts once it closes that gap.
    floor_gap: Cents = 0

    def pools_at(self, profit: Cents, plan: Plan, passed: bool | None = None) -> Step:
        """The kernel's pools at TEL profit ``profit`` with this quarter's public balances
        (``passed``: the gates as they are, or as if they passed / failed)."""
        return pools_of_profit(
            profit, self.gates_passed if passed is None else passed, plan,
            deferred_in=self.deferred_in, reserve_in=self.reserve_in, release=self.release)

    @property
    def excess(self) -> Cents:
        """What the plan counts over Min GP: the public TEL profit when there is one, else
        the (negative) gap extra GP must close first."""
        return self.above_threshold + self.carry_in + self.floor_gap

    def profit_at_extra_gp(self, extra: Cents) -> Cents:
        """The TEL profit with ``extra`` cents more GP (in the best month booked, above Min
        GP when one is)."""
        return max(0, self.excess + extra)

    def at_extra_gp(self, extra: Cents, plan: Plan) -> tuple[Cents, Cents, Cents, Cents]:
        """(tel_profit, staff_pool, team_pool, merit_pool) with ``extra`` cents more GP,
        from the public figures alone (the exact pools never enter)."""
        s = self.pools_at(self.profit_at_extra_gp(extra), plan)
        return s.tel_profit, s.staff_pool, s.team_pool, s.merit_pool


def _shared_base(result: QuarterResult) -> Cents:
    """What the quarter can share at most: TEL profit and the balances carried in."""
    return result.tel_profit + result.deferred_in + result.reserve_in


def money_step(result: QuarterResult) -> Cents:
    """The rounding step of the quarter's public money figures (see the module docstring):
    ``nice(2 u B)``, ``B`` = TEL profit + the deferred and reserve balances carried in, or 1
    cent when ``B`` is 0 (nothing then depends on a salary).
    """
    base = _shared_base(result)
    if base <= 0:
        return 1
    weights = [p.weight for p in result.payouts if p.eligible]
    total = sum(weights)
    share = Fraction(max(weights, default=0), total) if total else Fraction(0)
    u = max(POOL_FLOOR, LEAVER_SHARE * share)
    return nice_step(2 * u * base)


def floor_gap(result: QuarterResult, plan: Plan) -> Cents:
    """Under ``monthly_floor``, GP below Min GP that the floor does not set against the strong
    months: every weak month's gap but the best month's (0 under the other netting modes).
    Then ``GP - threshold + floor_gap`` is the TEL profit when there is one, else the best
    month's gap (negative): extra GP in that month counts once it closes it.

    >>> from tel.core.policy import Netting
    >>> r = QuarterResult.model_construct(gp_by_month=(6934300, 5934300, 7343400),
    ...                                   min_gp=6200000)
    >>> floor_gap(r, Plan(netting=Netting(mode="monthly_floor"))), floor_gap(r, Plan())
    (265700, 0)
    >>> r = QuarterResult.model_construct(gp_by_month=(6000000, 5000000), min_gp=6200000)
    >>> floor_gap(r, Plan(netting=Netting(mode="monthly_floor")))
    1200000
    """
    if plan.netting.mode != "monthly_floor" or not result.gp_by_month:
        return 0
    gaps = [max(0, result.min_gp - g) for g in result.gp_by_month]
    return sum(gaps) - min(gaps)


def public_quarter(result: QuarterResult, plan: Plan, *, step: int | None = None
                   ) -> PublicQuarter:
    """The quarter's public figures, from the exact result and the plan it was paid under
    (``step``: a money step of one's own instead of :func:`money_step`, for tests; with 1
    cent every figure is the exact one).

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
    money = money_step(result) if step is None else step
    if money < 1:
        raise ValueError("the money step must be at least 1 cent")
    profit = round_to(result.tel_profit, money) if result.tel_profit > 0 else 0
    carry = result.carry_in if plan.netting.mode == "carry_forward" else 0
    gap = floor_gap(result, plan)
    # With TEL profit GP is shown as the rounded TEL profit makes it, GP^ - GP = X^ - X (even
    # when X^ is 0: the booked GP would give the exact profit away). Never rounded on its
    # own: see the module docstring.
    gp = threshold - carry - gap + profit if result.tel_profit > 0 else result.gp_total
    deferred = round_to(result.deferred_in, money)
    reserve = round_to(result.reserve_in, money)
    release = Quarter.parse(result.quarter).q == 4 and months == 3
    passed = result.gates.passed
    s = pools_of_profit(profit, passed, plan, deferred_in=deferred, reserve_in=reserve,
                        release=release)
    weights = [p.weight for p in result.payouts if p.eligible]
    heaviest: int = max(weights, default=0)
    w_step = nice_step(WEIGHT_SHARE * heaviest) if heaviest else 1
    total = sum(weights)
    return PublicQuarter(
        quarter=result.quarter,
        months_booked=months,
        threshold=threshold,
        money_step=money,
        gp=gp,
        above_threshold=gp - threshold,
        tel_profit=profit,
        house=s.house,
        staff_pool=s.staff_pool,
        team_pool=s.team_pool,
        merit_pool=s.merit_pool,
        eligible_count=result.eligible_count,
        weight_step=w_step,
        total_weight=max(w_step, round_to(total, w_step)) if total else 0,
        gates_passed=passed,
        release=release,
        carry_in=carry,
        deferred_in=deferred,
        reserve_in=reserve,
        held_back=s.held_back,
        released=s.released,
        employer_tax=s.employer_tax,
        paid_pool=s.paid_pool,
        floor_gap=gap,
    )
