"""Merit weight (spec sections 6 and 11): salary x years x performance, or a variant of it."""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Context, Decimal
from fractions import Fraction
from functools import lru_cache

from tel.core.money import Cents
from tel.core.policy import Merit

PERF_SCALE = 10_000  # performance has at most four decimals
LOG_SCALE = 10**9  # ln(1 + years) is rounded half-up to nine decimals (section 11)
CAP_SCALE = 10_000  # cap_years has at most four decimals

_LN = Context(prec=40)
SOURCE_MERIT = Merit()  # salary x years x performance


def weight(salary: Decimal, months: int, performance: Decimal = Decimal(1)) -> Decimal:
    """Merit weight in dollar-years, exact (the source's formula).

        weight = salary * years * performance,   years = months / 12

    >>> weight(Decimal("96000"), 30), weight(Decimal("60000"), 18, Decimal("1.5"))
    (Decimal('240000'), Decimal('135000.0'))
    """
    return salary * months * performance / 12


@lru_cache(maxsize=4096)
def log_years(months: int) -> int:
    """``ln(1 + months / 12)`` rounded half-up to nine decimals, in billionths.

    >>> log_years(12), log_years(0), log_years(30)
    (693147181, 0, 1252762968)
    """
    years = Decimal(months) / 12
    value = (1 + years).ln(_LN)
    return int((value * LOG_SCALE).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@lru_cache(maxsize=1024)
def _perf_units(performance: Decimal) -> int:
    units = performance * PERF_SCALE
    if units != units.to_integral_value():
        raise ValueError(f"performance {performance} has more than four decimals")
    return int(units)


def weight_units(salary_cents: Cents, months: int, performance: Decimal,
                 merit: Merit = SOURCE_MERIT) -> int:
    """The weight of section 11 as an integer in proportional units, so allocation compares
    remainders exactly. Within one formula the ratios equal those of the exact weights:

        salary_x_years         salary cents x months x perf units
        salary_x_log_years     salary cents x ln(1 + years) in billionths x perf units
        salary_x_capped_years  salary cents x min(months, 12 x cap) x 10,000 x perf units
        salary                 salary cents x perf units
        years                  months x perf units

    ``months`` below 0 count as 0.

    >>> weight_units(9600000, 30, Decimal("1")) * 2 == weight_units(9600000, 60, Decimal(1))
    True
    >>> capped = Merit(formula="salary_x_capped_years", cap_years=Decimal(2))
    >>> weight_units(100, 30, Decimal(1), capped) == weight_units(100, 24, Decimal(1), capped)
    True
    """
    perf = _perf_units(performance)
    formula = merit.formula
    if formula == "salary_x_years":  # the source's formula: the common case first
        return salary_cents * max(months, 0) * perf
    months = max(months, 0)
    if formula == "salary_x_log_years":
        return salary_cents * log_years(months) * perf
    if formula == "salary_x_capped_years":
        cap = merit.cap_years * 12 * CAP_SCALE
        return salary_cents * min(months * CAP_SCALE, int(cap)) * perf
    if formula == "salary":
        return salary_cents * perf
    return months * perf


def weigher(merit: Merit = SOURCE_MERIT) -> Callable[[Cents, int, Decimal], int]:
    """:func:`weight_units` with the formula chosen once, for a whole roster.

    >>> weigher()(9600000, 30, Decimal(1)) == weight_units(9600000, 30, Decimal(1))
    True
    """
    if merit.formula == "salary_x_years":
        def source(salary_cents: Cents, months: int, performance: Decimal) -> int:
            return salary_cents * (months if months > 0 else 0) * _perf_units(performance)
        return source

    def other(salary_cents: Cents, months: int, performance: Decimal) -> int:
        return weight_units(salary_cents, months, performance, merit)
    return other


def weight_scale(merit: Merit = SOURCE_MERIT) -> int:
    """Units of :func:`weight_units` per unit of the formula's own weight (dollar-years for
    salary x years, dollars for salary and salary x ln, years for years).

    >>> weight_scale()
    12000000
    """
    return {
        "salary_x_years": 100 * 12 * PERF_SCALE,
        "salary_x_log_years": 100 * LOG_SCALE * PERF_SCALE,
        "salary_x_capped_years": 100 * 12 * CAP_SCALE * PERF_SCALE,
        "salary": 100 * PERF_SCALE,
        "years": 12 * PERF_SCALE,
    }[merit.formula]


WEIGHT_UNITS = {
    "salary_x_years": "dollar-years",
    "salary_x_log_years": "dollars",
    "salary_x_capped_years": "dollar-years",
    "salary": "dollars",
    "years": "years",
}
"""What one unit of each formula's weight is, in words."""


def natural_weight(units: int, days: int, merit: Merit = SOURCE_MERIT) -> Fraction:
    """An integer weight back in the formula's own units, per counted day when prorated
    (``days`` = 1 when not)."""
    return Fraction(units, weight_scale(merit) * max(days, 1))
