"""The cash and receivables gates, with what it would take to pass a failing one.

A gate month with no A/R aging report raises :class:`MissingAging` (spec section 16).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from pydantic import BaseModel, ConfigDict

from tel.core.models import Month, Plan
from tel.core.money import Cents, format_money, round_half_up, to_cents
from tel.core.periods import last_day


class MissingAging(ValueError):
    """The gate month has no A/R aging (blank ``ar_total`` and ``ar_90_plus``): the A/R gate
    cannot be checked, so the quarter cannot be paid. ``str()`` names the report that is
    missing, and ``month`` is that month (``"2025-12"``)."""

    def __init__(self, month: Month) -> None:
        self.month = month.label
        self.as_of = last_day(month.ym)
        super().__init__(f"A/R aging as of {self.as_of.isoformat()} is missing")


class Gates(BaseModel):
    """Gate outcome on the quarter's last booked month. Money in cents."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    month: str
    cash_on_hand: Cents
    min_cash: Cents
    ar_total: Cents
    ar_90_plus: Cents
    ar90_pct: Fraction | None
    max_ar90_pct: Fraction
    cash_ok: bool
    ar_ok: bool
    cash_short: Cents
    ar_to_collect: Cents

    @property
    def passed(self) -> bool:
        return self.cash_ok and self.ar_ok

    def ar90_pct_text(self) -> str:
        """The share of A/R over 90 days, half-up to one decimal ("7.5%"), exactly."""
        if self.ar90_pct is None:
            return "no receivables"
        tenths = round_half_up(self.ar90_pct * 10)
        return f"{tenths // 10}.{tenths % 10}%"

    def _limit_text(self) -> str:
        return f"{Decimal(self.max_ar90_pct.numerator) / self.max_ar90_pct.denominator:f}%"

    def cash_text(self) -> str:
        """For owners: the balance and the minimum."""
        if self.cash_ok:
            return (
                f"Cash {format_money(self.cash_on_hand)} meets the "
                f"{format_money(self.min_cash)} minimum"
            )
        return f"Cash is {format_money(self.cash_short)} short of {format_money(self.min_cash)}"

    def ar_text(self) -> str:
        """For owners: the 90+ share, the limit and what to collect."""
        limit = self._limit_text()
        if self.ar_ok:
            return f"A/R over 90 days is {self.ar90_pct_text()}, within the {limit} limit"
        return (
            f"A/R over 90 days is {self.ar90_pct_text()}, over the {limit} limit: collect "
            f"{format_money(self.ar_to_collect)} of 90+ day A/R"
        )

    def staff_cash_text(self) -> str:
        """For staff: pass/fail, the policy and any shortfall; never the company's balance."""
        minimum = format_money(self.min_cash)
        if self.cash_ok:
            return f"Cash gate passed: cash on hand meets the {minimum} minimum."
        return (
            f"Cash gate failed: cash on hand is {format_money(self.cash_short)} "
            f"short of the {minimum} minimum."
        )

    def staff_ar_text(self) -> str:
        """For staff: the 90+ share and the limit; never the receivable balances."""
        limit = self._limit_text()
        if self.ar90_pct is None:
            return "A/R gate passed: no receivables are outstanding."
        share = self.ar90_pct_text()
        if self.ar_ok:
            return (f"A/R gate passed: {share} of receivables are over 90 days old, "
                    f"within the {limit} limit.")
        return (
            f"A/R gate failed: {share} of receivables are over 90 days old, over the {limit} "
            f"limit; collecting {format_money(self.ar_to_collect)} of them would pass it."
        )


def check_gates(plan: Plan, month: Month) -> Gates:
    """Check both gates on one month-end.

        cash_ok = cash_on_hand >= min_cash
        ar_ok   = ar_90_plus / ar_total * 100 <= max_ar90_pct   (ar_total = 0 passes)

    A failing A/R gate reports the 90+ day A/R to collect: collecting x lowers both the 90+
    figure and the total, so x = ceil((ar90 - p * total) / (1 - p)) with p = max_ar90_pct / 100.

    >>> g = check_gates(Plan(), Month(year=2026, month=9, gp=73434, cash_on_hand=52000,
    ...                                 ar_total=320000, ar_90_plus=24000))
    >>> g.passed, g.ar90_pct_text()
    (True, '7.5%')
    >>> g = check_gates(Plan(), Month(year=2026, month=9, gp=0, cash_on_hand=46880,
    ...                                 ar_total=100000, ar_90_plus=17560))
    >>> g.cash_text(), g.ar_to_collect
    ('Cash is $3,120.00 short of $50,000.00', 840000)

    A month without an A/R aging report (blank A/R) cannot be checked:

    >>> check_gates(Plan(), Month(year=2025, month=12, gp=0, cash_on_hand=60000))
    Traceback (most recent call last):
    ...
    tel.rules.gates.MissingAging: A/R aging as of 2025-12-31 is missing
    """
    if month.ar_total is None or month.ar_90_plus is None:
        raise MissingAging(month)
    cash, floor_cash = to_cents(month.cash_on_hand), to_cents(plan.min_cash)
    total, over90 = to_cents(month.ar_total), to_cents(month.ar_90_plus)
    limit = Fraction(plan.max_ar90_pct)
    pct = None if total == 0 else Fraction(over90 * 100, total)
    ar_ok = pct is None or pct <= limit
    to_collect = 0
    if not ar_ok:
        p = limit / 100
        exact = (over90 - p * total) / (1 - p)  # limit < 100 here, else the gate passes
        to_collect = -((-exact.numerator) // exact.denominator)  # ceiling, in cents
    return Gates(
        month=month.label,
        cash_on_hand=cash,
        min_cash=floor_cash,
        ar_total=total,
        ar_90_plus=over90,
        ar90_pct=pct,
        max_ar90_pct=limit,
        cash_ok=cash >= floor_cash,
        ar_ok=ar_ok,
        cash_short=max(0, floor_cash - cash),
        ar_to_collect=to_collect,
    )
