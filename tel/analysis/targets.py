"""The meeting's questions: what GP the rest of a quarter needs to share anything, or to reach
a staff pool, under the plan's netting mode and minimum house share.

Everything here inverts the kernel (:mod:`tel.rules.pools`) rather than restating it: the
least TEL profit for a staff pool is the sweeps' exact bisection, and the GP follows from the
netting mode's excess.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tel.analysis.privacy import pools_of_profit
from tel.analysis.sweeps import tel_profit_for_staff_pool
from tel.core.models import Plan
from tel.core.money import Cents, to_cents
from tel.engine.quarter import QuarterResult
from tel.rules.pools import Terms, excess
from tel.rules.threshold import per_month


def tel_profit_for(staff_pool: Cents, plan: Plan) -> Cents:
    """The least TEL profit whose staff pool reaches ``staff_pool`` under ``plan`` (house
    share and minimum house share included): :func:`tel.analysis.sweeps.tel_profit_for_staff_pool`
    with the plan's figures.

    >>> tel_profit_for(1209000, Plan()), tel_profit_for(0, Plan())
    (1612000, 0)
    >>> from decimal import Decimal
    >>> tel_profit_for(100, Plan(min_house=Decimal(50)))  # the house keeps its $50 first
    5100
    """
    return tel_profit_for_staff_pool(staff_pool, plan.house_pct, to_cents(plan.min_house))


@dataclass(frozen=True, slots=True)
class Need:
    """What the quarter needs for a TEL profit of ``tel_profit``.

    ``remaining`` is the GP the unbooked months must add in total (0 when the booked months
    already do it); ``short`` for a complete quarter is how much TEL profit it lacks (0 when
    it made it)."""

    tel_profit: Cents
    booked: Cents  # GP of the booked months
    months_left: int
    remaining: Cents
    per_month: Cents  # remaining / months_left, rounded up to the cent (0 with none left)
    short: Cents
    quarter_gp: Cents | None  # the quarter's GP that gives it (None under a monthly floor)
    staff_pool: Cents  # the staff pool at that TEL profit
    paid_pool: Cents  # what the checks would come to then, if the gates pass

    @property
    def complete(self) -> bool:
        return self.months_left == 0


def gp_needed(result: QuarterResult, plan: Plan, tel_profit: Cents,
              booked_gp: Sequence[Cents] | None = None) -> Need:
    """GP the rest of ``result``'s quarter needs for its TEL profit to reach ``tel_profit``,
    spread evenly over the months left (each of them assumed equal).

    Quarter netting: ``3 x Min GP + tel_profit - booked``; a carried shortfall adds what is
    carried in; a monthly floor counts only what each month makes over Min GP, so each month
    left needs Min GP plus its share of what the booked months' excess lacks.

    >>> from tel.engine.quarter import compute_quarter
    >>> from tel.core.models import Month
    >>> from tel.core.periods import Quarter
    >>> ms = [Month(year=2026, month=m, gp=g, cash_on_hand=52000, ar_total=320000,
    ...             ar_90_plus=24000) for m, g in ((7, 69343), (8, 59343))]
    >>> r = compute_quarter(Plan(), [], ms, Quarter(2026, 3))
    >>> n = gp_needed(r, Plan(), 1612000)
    >>> n.remaining, n.per_month
    (7343400, 7343400)

    ``booked_gp`` replaces the result's booked GP: ``[]`` for a quarter ahead of the books, whose
    result was computed on assumed months.
    """
    terms = Terms.of(plan)
    gp = list(result.gp_by_month if booked_gp is None else booked_gp)
    left = 3 - len(gp)
    booked = sum(gp)
    carry = result.carry_in if terms.netting == "carry_forward" else 0
    now = excess(gp, terms.min_gp, terms.netting, carry) if gp else carry
    lacking = max(0, tel_profit - now)
    quarter_gp = (None if terms.netting == "monthly_floor"
                  else 3 * terms.min_gp + tel_profit - carry)
    at = pools_of_profit(tel_profit, True, plan, deferred_in=result.deferred_in,
                         reserve_in=result.reserve_in, release=result.quarter.endswith("Q4"))
    staff, paid = int(at.staff_pool), int(at.paid_pool)
    if left == 0:
        return Need(tel_profit, booked, 0, 0, 0, lacking, quarter_gp, staff, paid)
    if terms.netting == "monthly_floor":
        # a weak month costs nothing: only what is lacking must come, each month left making
        # Min GP plus an equal part of it
        remaining = left * terms.min_gp + lacking if lacking else 0
    else:
        remaining = max(0, left * terms.min_gp + tel_profit - now)
    return Need(tel_profit, booked, left, remaining, per_month(remaining, left), 0, quarter_gp,
                staff, paid)
