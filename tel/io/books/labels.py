"""What the words of an accounting report mean: column headings, dates, row labels, buckets.

Everything here reads one cell's text and says what it is, nothing more: a month column
(``January 2025``, ``Jan 22``, ``Sept 2025``), a month-end date (``Sep 30, 22``,
``31 Dec 2025``, ``As of Dec 31, 2020``), a part of a month (``Jul 1 - Jul 27 2025``), a span
of months (``Jan - Dec 2020``), a total column (``Total``, ``YTD``), an "as of" line, an A/R
aging bucket (``91 AND OVER``, ``> 90``, ``3 Months``, ``Older``), an amount.

>>> heading("January 2025"), heading("Sept 2025"), heading("Jan 22")
(Heading(kind='month', ym=(2025, 1), day=None), Heading(kind='month', ym=(2025, 9), day=None), Heading(kind='month', ym=(2022, 1), day=None))
>>> heading("Jul 1 - Jul 27 2025").kind, heading("Jan - Dec 2020").kind, heading("Total").kind
('partial', 'span', 'total')
>>> heading("Sep 30, 22"), heading("As of Dec 31, 2019 (PP)").ym
(Heading(kind='date', ym=(2022, 9), day=30), (2019, 12))
"""  # noqa: E501

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from tel.core.money import parse_money

__all__ = [
    "Bucket",
    "Heading",
    "as_of",
    "bucket",
    "heading",
    "key",
    "parse_amount",
]

YearMonth = tuple[int, int]

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}


def key(text: str) -> str:
    """A row label as compared: trimmed, lower case, runs of spaces as one, no trailing colon.

    >>> key("   Total  Bank Accounts: ")
    'total bank accounts'
    """
    return " ".join(text.split()).lower().rstrip(":").strip()


def _year(text: str) -> int:
    y = int(text.lstrip("'’"))
    return 2000 + y if y < 100 else y


def _month_number(word: str) -> int | None:
    return _MONTHS.get(word.lower().rstrip("."))


def _real_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _is_month_end(day: date) -> bool:
    return day.day == calendar.monthrange(day.year, day.month)[1]


# --- dates and pieces of dates --------------------------------------------------------------

_Y = r"(?P<y>'?\d{4}|['’]?\d{2})"
_ISO_DATE = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$")
_ISO_MONTH = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})$")
_MON_Y = re.compile(rf"^(?P<mon>[a-z]+)\.?,?\s+{_Y}$", re.I)
_MON_D_Y = re.compile(rf"^(?P<mon>[a-z]+)\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_Y}$", re.I)
_D_MON_Y = re.compile(rf"^(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon>[a-z]+)\.?,?\s+{_Y}$", re.I)
# one end of a range: "Jul 1", "Jul 1 2025", "Jan", "Oct '21", "1 June 2025", "January 1"
_PIECE = re.compile(
    r"^(?:(?P<mon>[a-z]+)\.?(?:\s+(?P<d>\d{1,2}))?|(?P<d2>\d{1,2})\s+(?P<mon2>[a-z]+)\.?)"
    r"(?:,?\s+(?P<y>'?\d{4}|['’]?\d{2}))?$",
    re.I,
)
_RANGE = re.compile(r"^(?P<a>.+?)\s*(?:\s[-–—]\s|[-–—]|\sto\s|\sthrough\s)\s*(?P<b>.+)$", re.I)


def parse_date(text: str) -> date | None:
    """A single day written the ways reports write it, else ``None``.

    >>> parse_date("December 21, 2025"), parse_date("31 Dec 2025"), parse_date("Sep 30, 22")
    (datetime.date(2025, 12, 21), datetime.date(2025, 12, 31), datetime.date(2022, 9, 30))
    >>> parse_date("2025-02-30") is None, parse_date("86400") is None
    (True, True)
    """
    s = " ".join(text.split())
    m = _ISO_DATE.match(s)
    if m:
        return _real_date(int(m["y"]), int(m["m"]), int(m["d"]))
    for pattern in (_MON_D_Y, _D_MON_Y):
        m = pattern.match(s)
        if m:
            month = _month_number(m["mon"])
            return None if month is None else _real_date(_year(m["y"]), month, int(m["d"]))
    return None


@dataclass(frozen=True, slots=True)
class _Piece:
    month: int
    day: int | None
    year: int | None


def _piece(text: str) -> _Piece | None:
    m = _PIECE.match(text.strip())
    if not m:
        return None
    month = _month_number(m["mon"] or m["mon2"])
    if month is None:
        return None
    day = m["d"] or m["d2"]
    return _Piece(month, int(day) if day else None, _year(m["y"]) if m["y"] else None)


def _range(text: str) -> tuple[date, date] | None:
    """``Jul 1 - Jul 27 2025``, ``January 1-July 31, 2025``, ``Oct '21 - Sep 22``,
    ``1 June 2025 to 30 June 2025``: the first and last day, else ``None``."""
    m = _RANGE.match(text)
    if not m:
        return None
    a, b = _piece(m["a"]), _piece(m["b"])
    if a is not None and b is not None and b.year is None and b.day is not None \
            and a.day is None:
        b = _Piece(b.month, None, _year(str(b.day)))  # QuickBooks Desktop "Oct '21 - Sep 22"
    if a is None or b is None or b.year is None:
        return None
    end_year = b.year
    start_year = a.year if a.year is not None else (end_year if a.month <= b.month
                                                    else end_year - 1)
    start = _real_date(start_year, a.month, a.day or 1)
    end = _real_date(end_year, b.month, b.day or calendar.monthrange(end_year, b.month)[1])
    if start is None or end is None or end < start:
        return None
    return start, end


# --- column headings ------------------------------------------------------------------------

HeadingKind = Literal["month", "date", "partial", "span", "total", "other"]
_TOTALS = frozenset({"total", "totals", "ytd", "year to date", "year-to-date", "grand total"})
_AS_OF = re.compile(r"^(?:as\s+(?:of|at))\s+(?P<rest>.+)$", re.I)
_PRIOR = re.compile(r"\s*\((?:pp|py|prior period|prior year)\)\s*$", re.I)


@dataclass(frozen=True, slots=True)
class Heading:
    """What a column heading names. ``month`` and ``date`` carry ``ym`` (a ``date`` heading
    is one day, ``day``: a month-end balance when it is the month's last day); ``partial`` is a
    part of one month (``ym`` that month); ``span`` covers several months; ``total`` a total
    or year-to-date column; ``other`` anything else."""

    kind: HeadingKind
    ym: YearMonth | None = None
    day: int | None = None

    @property
    def month_end(self) -> bool:
        """A day that is its month's last (a balance sheet's month-end column)."""
        if self.kind != "date" or self.ym is None or self.day is None:
            return False
        return self.day == calendar.monthrange(*self.ym)[1]


def heading(text: str) -> Heading:
    """Classify a column heading.

    >>> [heading(t).kind for t in ("Dec 1 - Dec 31 2025", "Dec 1 - Dec 17 2025",
    ...                            "Oct '21 - Sep 22", "YTD", "% of Income", "")]
    ['month', 'partial', 'span', 'total', 'other', 'other']
    >>> heading("2025-07"), heading("31 December 2025").month_end
    (Heading(kind='month', ym=(2025, 7), day=None), True)
    """
    s = " ".join(text.split())
    if not s:
        return Heading("other")
    if key(s) in _TOTALS or key(s).startswith("total "):
        return Heading("total")
    s = _PRIOR.sub("", s)
    as_of_match = _AS_OF.match(s)
    if as_of_match:
        s = as_of_match["rest"]
    m = _ISO_MONTH.match(s)
    if m and 1 <= int(m["m"]) <= 12 and not as_of_match:
        return Heading("month", (int(m["y"]), int(m["m"])))
    m = _MON_Y.match(s)
    if m and not as_of_match:
        month = _month_number(m["mon"])
        if month is not None:
            return Heading("month", (_year(m["y"]), month))
    day = parse_date(s)
    if day is not None:
        return Heading("date", (day.year, day.month), day.day)
    span = None if as_of_match else _range(s)
    if span is not None:
        start, end = span
        if (start.year, start.month) != (end.year, end.month):
            return Heading("span")
        ym = (start.year, start.month)
        if start.day == 1 and _is_month_end(end):
            return Heading("month", ym)
        return Heading("partial", ym)
    return Heading("other")


def as_of(text: str) -> date | None:
    """The day of an "as of" title line (QuickBooks ``As of December 31, 2025``, Xero
    ``As at 31 December 2025``), else ``None``.

    >>> as_of("As of December 21, 2025"), as_of("As at 31 December 2025"), as_of("December 2025")
    (datetime.date(2025, 12, 21), datetime.date(2025, 12, 31), None)
    """
    m = _AS_OF.match(" ".join(text.split()))
    return parse_date(m["rest"]) if m else None


# --- A/R aging buckets --------------------------------------------------------------------

BucketKind = Literal["current", "days", "months", "older", "total", "unknown"]
_DAYS = re.compile(r"^(?P<a>\d{1,4})\s*(?:-|–|to)\s*(?P<b>\d{1,4})(?:\s*days?)?$")
_AND_OVER = re.compile(
    r"^(?:(?P<a>\d{1,4})\s*(?:days?\s*)?(?:\+|and\s+over|and\s+older|or\s+more|plus)"
    r"(?:\s*days?)?|(?:>|over|more\s+than|older\s+than)\s*(?P<b>\d{1,4})(?:\s*days?)?)$"
)
_N_MONTHS = re.compile(r"^(?P<lt><\s*)?(?P<n>\d{1,2})\s*months?$")
_OLDER_MONTHS = re.compile(r"^(?:older(?:\s+than\s+(?P<n>\d{1,2})\s*months?)?)$")


@dataclass(frozen=True, slots=True)
class Bucket:
    """An aging column: ``days`` from ``low`` to ``high`` past due (``high`` ``None`` for
    "and over"), ``months`` (``low`` = whole months past due, ``< 1 Month`` is ``low=0,
    high=0``), ``older`` (older than the bucket before it), ``current``, ``total``."""

    kind: BucketKind
    low: int = 0
    high: int | None = None


def bucket(text: str) -> Bucket:
    """Classify an A/R aging column heading.

    >>> [bucket(t).kind for t in ("CURRENT", "1 - 30", "91 AND OVER", "> 90", "< 1 Month",
    ...                           "3 Months", "Older", "Total", "Jan 2023")]
    ['current', 'days', 'days', 'days', 'months', 'months', 'older', 'total', 'unknown']
    >>> bucket("91 AND OVER"), bucket("> 90")
    (Bucket(kind='days', low=91, high=None), Bucket(kind='days', low=91, high=None))
    """
    k = key(text)
    if k in ("current", "not yet due", "not due"):
        return Bucket("current")
    if k in ("total", "totals", "total due", "balance"):
        return Bucket("total")
    m = _DAYS.match(k)
    if m:
        return Bucket("days", int(m["a"]), int(m["b"]))
    m = _AND_OVER.match(k)
    if m:
        low = int(m["a"]) if m["a"] is not None else int(m["b"]) + 1
        return Bucket("days", low, None)
    m = _N_MONTHS.match(k)
    if m:
        n = int(m["n"])
        return Bucket("months", 0, 0) if m["lt"] else Bucket("months", n, n)
    m = _OLDER_MONTHS.match(k)
    if m:
        return Bucket("older", int(m["n"]) if m["n"] else 0)
    return Bucket("unknown")


# --- amounts -------------------------------------------------------------------------------


def parse_amount(text: str) -> Decimal | None:
    """A report's amount cell -> dollars; blank is ``None``. Raises ``ValueError`` in plain
    words for anything else (``$``, thousands commas, a leading minus or parentheses are
    accepted; at most two decimal places: a report's cents are exact).

    >>> parse_amount("-$2,916.00"), parse_amount("(1,234.56)"), parse_amount("")
    (Decimal('-2916.00'), Decimal('-1234.56'), None)
    """
    s = text.strip()
    if not s:
        return None
    if s.lower().lstrip("+-") in ("nan", "inf", "infinity", "snan"):
        raise ValueError(f"'{s}' is not a finite amount")
    return parse_money(s)
