"""Fiscal quarters, pay dates and completed months of service."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_QUARTER_RE = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]([1-4])\s*$")

YearMonth = tuple[int, int]


def add_months(ym: YearMonth, n: int) -> YearMonth:
    """``(year, month)`` moved by ``n`` months.

    >>> add_months((2026, 11), 3), add_months((2026, 1), -1)
    ((2027, 2), (2025, 12))
    """
    index = ym[0] * 12 + (ym[1] - 1) + n
    return index // 12, index % 12 + 1


def last_day(ym: YearMonth) -> date:
    """The last calendar day of a month (leap years included).

    >>> last_day((2028, 2))
    datetime.date(2028, 2, 29)
    """
    return date(ym[0], ym[1], calendar.monthrange(ym[0], ym[1])[1])


@dataclass(frozen=True, slots=True, order=True)
class Quarter:
    """A fiscal quarter, named by the calendar year in which its fiscal year ends.

    >>> q = Quarter.parse("2027-Q1")
    >>> q.months(fiscal_year_start=7)
    [(2026, 7), (2026, 8), (2026, 9)]
    >>> str(Quarter.containing((2026, 8), fiscal_year_start=1))
    '2026-Q3'
    """

    year: int
    q: int

    def __post_init__(self) -> None:
        if not 1 <= self.q <= 4:
            raise ValueError(f"quarter must be 1..4, not {self.q}")

    def __str__(self) -> str:
        return f"{self.year}-Q{self.q}"

    @classmethod
    def parse(cls, text: str) -> Quarter:
        m = _QUARTER_RE.match(text)
        if not m:
            raise ValueError(f"'{text}' is not a quarter; expected YYYY-QN, e.g. 2026-Q3")
        return cls(int(m.group(1)), int(m.group(2)))

    @classmethod
    def containing(cls, ym: YearMonth, fiscal_year_start: int = 1) -> Quarter:
        year, month = ym
        offset = (month - fiscal_year_start) % 12
        fiscal_year = year + 1 if fiscal_year_start > 1 and month >= fiscal_year_start else year
        return cls(fiscal_year, offset // 3 + 1)

    def months(self, fiscal_year_start: int = 1) -> list[YearMonth]:
        """The three calendar months of this quarter, in order."""
        first_year = self.year - 1 if fiscal_year_start > 1 else self.year
        start = add_months((first_year, fiscal_year_start), 3 * (self.q - 1))
        return [add_months(start, i) for i in range(3)]

    def last_day(self, fiscal_year_start: int = 1) -> date:
        return last_day(self.months(fiscal_year_start)[2])

    def pay_date(self, fiscal_year_start: int = 1, pay_day: int = 15) -> date:
        """``pay_day`` of the second month of the following quarter.

        >>> Quarter(2026, 3).pay_date()
        datetime.date(2026, 11, 15)
        """
        y, m = add_months(self.months(fiscal_year_start)[2], 2)
        return date(y, m, pay_day)

    def shifted(self, n: int) -> Quarter:
        index = self.year * 4 + (self.q - 1) + n
        return Quarter(index // 4, index % 4 + 1)


def completed_months(start: date, end: date) -> int:
    """Whole months of service from ``start`` to ``end`` (negative when start is later).

        months = (end.year - start.year) * 12 + (end.month - start.month)
                 - (1 if end.day < start.day else 0)

    >>> completed_months(date(2025, 12, 1), date(2026, 9, 30))
    9
    >>> completed_months(date(2025, 12, 31), date(2026, 9, 30))
    8
    """
    return (
        (end.year - start.year) * 12
        + (end.month - start.month)
        - (1 if end.day < start.day else 0)
    )
