"""Min GP and TEL profit: what a quarter earns above the monthly threshold."""

from __future__ import annotations

from collections.abc import Iterable

from tel.core.models import Plan
from tel.core.money import Cents, to_cents


def min_gp(plan: Plan) -> Cents:
    """The monthly GP that must be made before anything is shared.

        min_gp = overhead + debt_service + owner_retention + ni_retention

    >>> min_gp(Plan(overhead=50000, debt_service=4000, owner_retention=2000, ni_retention=6000))
    6200000
    """
    return sum(
        to_cents(x)
        for x in (plan.overhead, plan.debt_service, plan.owner_retention, plan.ni_retention)
    )


def tel_profit(gp: Iterable[Cents], threshold: Cents) -> Cents:
    """What the booked months earn above ``threshold`` per month, taken over them all.

        tel_profit = max(0, sum(gp) - months * min_gp)

    A weak month is made up by strong ones in the same quarter.

    >>> tel_profit([6934300, 5934300, 7343400], 6200000)
    1612000
    >>> tel_profit([5000000], 6200000)
    0
    """
    values = list(gp)
    if not values:
        raise ValueError("no booked month in the quarter")
    return max(0, sum(values) - len(values) * threshold)


def gp_needed(threshold: Cents, months: int, booked: Cents, target_profit: Cents) -> Cents:
    """GP the remaining months must add, in total, for TEL profit to reach ``target_profit``.

        needed = months * threshold + target_profit - booked   (never below 0)

    >>> gp_needed(6200000, 3, 12868600, 1612000)
    7343400
    """
    return max(0, months * threshold + target_profit - booked)


def per_month(total: Cents, months: int) -> Cents:
    """An amount needed over ``months`` months, per month, rounded up to the cent (so
    ``months`` of it always reach the total).

    >>> per_month(11950000, 2), per_month(10, 3)
    (5975000, 4)
    """
    return -(-total // months)

