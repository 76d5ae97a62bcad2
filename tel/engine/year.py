"""The fiscal year (spec section 14): every booked quarter of it, in ledger order, and each
person's total."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from tel.core.models import Month, Person, Plan
from tel.core.money import Cents, to_dollars
from tel.core.periods import Quarter
from tel.engine.ledger import run
from tel.engine.quarter import QuarterResult, Scores, pay


class NoBookedQuarter(ValueError):
    """The fiscal year has no booked month: an error, never a year of zeros."""


class YearResult(BaseModel):
    """A fiscal year: its quarters with a booked month, in order, each paid from the balances
    the ledger brought it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    fiscal_year: int
    quarters: tuple[QuarterResult, ...]

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.quarters[0].payouts] if self.quarters else []

    def totals(self) -> list[Cents]:
        """Each person's checks summed over the year, in roster order."""
        out = [0] * len(self.names)
        for r in self.quarters:
            for i, p in enumerate(r.payouts):
                out[i] += p.total
        return out

    @property
    def paid(self) -> Cents:
        return sum(r.paid for r in self.quarters)

    @property
    def returned_to_house(self) -> Cents:
        return sum(r.returned_to_house for r in self.quarters)

    def to_json_dict(self) -> dict[str, object]:
        """The spec's ``tel year --json`` object; money as exact decimal strings."""
        return {
            "fiscal_year": self.fiscal_year,
            "quarters": [r.to_json_dict() for r in self.quarters],
            "people": [{"name": n, "total": str(to_dollars(c))}
                       for n, c in zip(self.names, self.totals(), strict=True)],
        }


def fiscal_years(months: Sequence[Month], fiscal_year_start: int) -> list[int]:
    """Fiscal years with at least one booked month, oldest first."""
    return sorted({Quarter.containing(m.ym, fiscal_year_start).year for m in months})


def compute_year(
    plan: Plan,
    roster: Sequence[Person],
    months: Sequence[Month],
    fiscal_year: int,
    scores: Scores | None = None,
) -> YearResult:
    """Pay every booked quarter of ``fiscal_year``: the ledger runs once from the first booked
    quarter (earlier fiscal years included), and each quarter of this year is paid from its
    opening balances.

    >>> from datetime import date
    >>> ms = [Month(year=2026, month=m, gp=g, cash_on_hand=52000, ar_total=320000,
    ...             ar_90_plus=24000) for m, g in ((7, 69343), (8, 59343), (9, 73434))]
    >>> ann = Person(name="Ann", salary=60000, start_date=date(2020, 1, 1))
    >>> y = compute_year(Plan(), [ann], ms, 2026)
    >>> [r.quarter for r in y.quarters], y.totals()
    (['2026-Q3'], [1209000])
    """
    entries = [e for e in run(plan, months) if e.quarter.year == fiscal_year]
    if not entries:
        raise NoBookedQuarter(f"fiscal year {fiscal_year} has no booked month")
    return YearResult(fiscal_year=fiscal_year,
                      quarters=tuple(pay(plan, roster, e, scores) for e in entries))
