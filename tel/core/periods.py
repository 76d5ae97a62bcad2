"""Fiscal quarters, pay dates and completed months of service.

The pay date of a quarter is ``pay_day`` of the second month after it (spec, section 3), moved
off a weekend by the plan's pay-day rule (:data:`PAY_DAY_RULES`): to the previous business day
(the default), to the next one, or not at all (``exact``). Only Saturdays and Sundays move it:
public holidays differ by country and state and are not known here, so a pay day on a holiday
is paid as scheduled (choose another ``pay_day`` if that matters).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, get_args

_QUARTER_RE = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]([1-4])\s*$")

YearMonth = tuple[int, int]
PayDayRule = Literal["previous_business_day", "next_business_day", "exact"]
PAY_DAY_RULES: tuple[PayDayRule, ...] = get_args(PayDayRule)
"""The pay-day rules, the default first."""
DEFAULT_PAY_DAY_RULE: PayDayRule = "previous_business_day"

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_MOVED = {"previous_business_day": "the previous business day",
          "next_business_day": "the next business day"}


def business_day(day: date, rule: PayDayRule = DEFAULT_PAY_DAY_RULE) -> date:
    """``day`` moved off a Saturday or Sunday by ``rule`` (``exact``: never moved).

    >>> business_day(date(2026, 11, 15)), business_day(date(2026, 11, 14), "next_business_day")
    (datetime.date(2026, 11, 13), datetime.date(2026, 11, 16))
    >>> business_day(date(2026, 11, 15), "exact"), business_day(date(2026, 11, 16))
    (datetime.date(2026, 11, 15), datetime.date(2026, 11, 16))
    """
    if rule not in PAY_DAY_RULES:
        raise ValueError(f"{rule!r} is not a pay-day rule; expected one of "
                         + ", ".join(PAY_DAY_RULES))
    if rule == "exact" or day.weekday() < 5:
        return day
    step = timedelta(days=-1 if rule == "previous_business_day" else 1)
    while day.weekday() >= 5:
        day += step
    return day


def _ordinal(n: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``4th``, ``11th``, ``22nd``."""
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def long_day(day: date) -> str:
    """``Friday 13 November 2026`` (English names, whatever the locale).

    >>> long_day(date(2026, 11, 6))
    'Friday 6 November 2026'
    """
    return f"{_DAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"


def pay_date_note(scheduled: date, rule: PayDayRule = DEFAULT_PAY_DAY_RULE) -> str:
    """Why the pay date is not ``scheduled`` (the pay day itself), or ``""`` when it is not
    moved.

    >>> pay_date_note(date(2026, 11, 15))
    'the 15th is a Sunday; moved to the previous business day'
    >>> pay_date_note(date(2026, 11, 16)), pay_date_note(date(2026, 11, 15), "exact")
    ('', '')
    """
    paid = business_day(scheduled, rule)
    if paid == scheduled:
        return ""
    when = (f"the {_ordinal(scheduled.day)}" if (paid.year, paid.month) == (scheduled.year,
                                                                           scheduled.month)
            else f"{scheduled.day} {_MONTHS[scheduled.month - 1]}")
    return f"{when} is a {_DAYS[scheduled.weekday()]}; moved to {_MOVED[rule]}"


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

    def scheduled_pay_date(self, fiscal_year_start: int = 1, pay_day: int = 15) -> date:
        """``pay_day`` of the second month of the following quarter, whatever day it is.

        >>> Quarter(2026, 3).scheduled_pay_date()
        datetime.date(2026, 11, 15)
        """
        y, m = add_months(self.months(fiscal_year_start)[2], 2)
        return date(y, m, pay_day)

    def pay_date(self, fiscal_year_start: int = 1, pay_day: int = 15,
                 rule: PayDayRule = DEFAULT_PAY_DAY_RULE) -> date:
        """The day the quarter is paid: the scheduled pay day moved off a weekend by
        ``rule`` (:func:`business_day`). The one rule every caller uses.

        >>> Quarter(2026, 3).pay_date(), Quarter(2026, 3).pay_date(rule="exact")
        (datetime.date(2026, 11, 13), datetime.date(2026, 11, 15))
        """
        return business_day(self.scheduled_pay_date(fiscal_year_start, pay_day), rule)

    def pay_date_text(self, fiscal_year_start: int = 1, pay_day: int = 15,
                      rule: PayDayRule = DEFAULT_PAY_DAY_RULE) -> str:
        """The pay date in words, and why it moved when it did.

        >>> Quarter(2026, 3).pay_date_text()
        'Friday 13 November 2026 (the 15th is a Sunday; moved to the previous business day)'
        >>> Quarter(2026, 4).pay_date_text()
        'Monday 15 February 2027'
        """
        scheduled = self.scheduled_pay_date(fiscal_year_start, pay_day)
        note = pay_date_note(scheduled, rule)
        text = long_day(business_day(scheduled, rule))
        return f"{text} ({note})" if note else text

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
