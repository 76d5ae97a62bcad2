"""Merit weight: salary x years of service x performance."""

from __future__ import annotations

from decimal import Decimal

from tel.core.money import Cents

PERF_SCALE = 10_000  # performance has at most four decimal places


def weight(salary: Decimal, months: int, performance: Decimal = Decimal(1)) -> Decimal:
    """Merit weight in dollar-years, exact.

        weight = salary * years * performance,   years = months / 12

    >>> weight(Decimal("96000"), 30), weight(Decimal("60000"), 18, Decimal("1.5"))
    (Decimal('240000'), Decimal('135000.0'))
    """
    return salary * months * performance / 12


def weight_units(salary_cents: Cents, months: int, performance: Decimal) -> int:
    """The same weight as an integer in proportional units (cents x months x 1/10,000 perf),
    so allocation can compare remainders exactly. Ratios equal those of ``weight``.

    >>> weight_units(9600000, 30, Decimal("1")) * 2 == weight_units(9600000, 60, Decimal(1))
    True
    """
    return salary_cents * months * int(performance * PERF_SCALE)
