r"""People from an HR system: a Gusto, ADP Workforce Now or BambooHR employee export -> roster.

Three steps, each a plain function, so a person can see and correct what is read before it is
used:

1. :func:`read_hr` reads the file (CSV or XLSX, every cell a string, the loaders' size and XLSX
   safety checks), finds the header row by its content (a report title above it is skipped),
   detects the layout by its column names (:func:`detect_layout`) and proposes which column
   gives each roster field (:func:`propose_mapping`).
2. The mapping may be corrected: :meth:`HrMapping.with_column` (the Data page offers one
   choice per roster field, listing the file's columns).
3. :func:`apply_mapping` turns every row into a roster row and reports every problem with the
   file, the row of the file and the column of the file it came from; the result writes a
   roster CSV (:meth:`HrRoster.roster_csv`) for the Data page's usual check and apply path.

What each roster field takes:

* **name**: first and last name columns (``First Last``), else one full-name column as it is
  (``Last, First`` included).
* **employee_id**: ADP's ``File Number`` (the ``File #`` of ADP's paydata file) before its
  ``Associate ID``; BambooHR's ``Employee #``; Gusto's employee id. ``123.0`` (an id saved by
  Excel as a number) is read as ``123``.
* **start_date**, **end_date**: ADP's ``Hire/Rehire Date`` (the latest hire) before ``Hire
  Date``; ``Termination Date``. Dates as ``YYYY-MM-DD`` or US style ``MM/DD/YYYY`` (month
  first, as these US systems write them), ``Mar 1, 2024``; Excel date cells and serial numbers
  only from XLSX files. A two-digit year is refused, not guessed.
* **salary**: an annual salary column when the row has one; else a pay rate with its period
  (``Hour``, ``Week``, ``Month``, ``Year``...): hourly rate x hours a year, the hours from an
  hours-per-week column (x 52) or per-year column when mapped, else 2,080 (40 x 52). Rounded
  half up to the cent. ADP's ``Standard Hours`` is per pay period, not per week, so it is not
  proposed. A rate "per paycheck" or a ``Salary`` rate without its period is refused with the
  advice to map the annual salary column.
* **employment**: ``contractor`` when the cell says contractor, 1099, freelance or
  independent; W-2 for an employee word (full time, part time, regular, seasonal...). A blank
  cell is W-2.
* **full_time**: part time, seasonal, variable or temporary -> false; full time -> true; a
  word that says neither (``Contractor``, ``Terminated``) keeps the default, true.
* **department**.

Owners are not in HR files: :func:`apply_mapping` takes them by name. Rows of one employee id
(ADP lists one row per position or rehire) become one person: the active row, else the latest
start, with a warning naming the rows left out.

>>> hr = read_hr(b"Associate ID,File Number,Legal First Name,Legal Last Name,Hire Date,"
...              b"Termination Date,Annual Salary,Worker Category Description\n"
...              b"G1,000123,Ann,Lee,03/01/2020,,\"$65,000.00\",Full Time\n", "adp.csv")
>>> hr.layout, hr.mapping.get("employee_id"), hr.mapping.get("start_date")
('adp', 'File Number', 'Hire Date')
>>> roster = apply_mapping(hr, hr.mapping)
>>> p = roster.people[0]
>>> p.name, p.employee_id, p.salary, p.start_date.isoformat(), p.full_time
('Ann Lee', '000123', Decimal('65000.00'), '2020-03-01', True)
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Literal

from pydantic import ValidationError

from tel.core.models import Employment, Person
from tel.core.money import MONEY_LIMIT
from tel.core.text import clean_name, forbidden, name_key, visible
from tel.io.loaders import MAX_BYTES, MAX_UNZIPPED_BYTES, ROSTER_COLUMNS, Sheet, read_cells
from tel.io.problems import HasProblems, Problem, plain_message

__all__ = [
    "FIELDS",
    "FIELD_HELP",
    "FIELD_LABELS",
    "LAYOUT_NAMES",
    "ROSTER_FILE_COLUMNS",
    "YEAR_HOURS",
    "HrFile",
    "HrMapping",
    "HrRoster",
    "HrRow",
    "Layout",
    "apply_mapping",
    "detect_layout",
    "header_key",
    "propose_mapping",
    "read_hr",
]

Layout = Literal["gusto", "adp", "bamboohr"]
LAYOUT_NAMES: dict[Layout, str] = {
    "gusto": "Gusto",
    "adp": "ADP Workforce Now",
    "bamboohr": "BambooHR",
}
YEAR_HOURS = 2080
"""Hours a year of a full-time hourly employee when the file gives none: 40 x 52."""

ROSTER_FILE_COLUMNS = (*ROSTER_COLUMNS, "employee_id")
"""The columns of the roster CSV an HR export becomes (the spec's, then ``employee_id``)."""

FIELDS = (
    "name",
    "first_name",
    "last_name",
    "employee_id",
    "start_date",
    "end_date",
    "salary",
    "pay_rate",
    "pay_period",
    "hours",
    "employment",
    "full_time",
    "department",
)
"""The roster fields a column of the HR file can give, in the order they are offered."""

FIELD_LABELS: dict[str, str] = {
    "name": "Full name",
    "first_name": "First name",
    "last_name": "Last name",
    "employee_id": "Employee id",
    "start_date": "Hire date",
    "end_date": "Termination date",
    "salary": "Annual salary",
    "pay_rate": "Pay rate",
    "pay_period": "Pay rate per",
    "hours": "Standard hours",
    "employment": "W-2 or contractor",
    "full_time": "Full or part time",
    "department": "Department",
}
FIELD_HELP: dict[str, str] = {
    "name": "One column with the whole name; not needed when first and last name are chosen.",
    "first_name": "With the last name, makes the name 'First Last'.",
    "last_name": "With the first name, makes the name 'First Last'.",
    "employee_id": "Payroll matches people by it (ADP: the File Number).",
    "start_date": "The start of service: the latest hire date for a rehire.",
    "end_date": "Blank while the person is still here.",
    "salary": "Used when the row has one; else the pay rate and its period.",
    "pay_rate": "An hourly (or weekly, monthly, yearly) rate, for rows without a salary.",
    "pay_period": "What the rate is per: Hour, Week, Month, Year...",
    "hours": "Hours a week (or a year) of an hourly person; 2,080 a year when not chosen.",
    "employment": "Contractor or 1099 makes a contractor; anything else a W-2 employee.",
    "full_time": "Part time (or seasonal, variable, temporary) makes a part-timer.",
    "department": "Optional.",
}

# --- header words ----------------------------------------------------------------------------

# For each field, the column names (as :func:`header_key` makes them) it is taken from, the
# first found winning: layout-specific names before generic ones.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "employee_id": ("file number", "file #", "employee #", "employee number", "gusto employee id",
                    "employee id", "employee no", "emp id", "associate id", "worker id", "id"),
    "first_name": ("legal first name", "first name", "employee first name", "given name",
                   "first"),
    "last_name": ("legal last name", "last name", "employee last name", "family name",
                  "surname", "last"),
    "name": ("name", "full name", "employee name", "legal name", "display name",
             "last name first name", "employee"),
    "start_date": ("hire rehire date", "hire date", "start date", "date of hire",
                   "employment start date", "position start date", "original hire date"),
    "end_date": ("termination date", "end date", "term date", "date of termination",
                 "dismissal date", "separation date", "termination", "last day"),
    "salary": ("annual salary", "salary", "annual base salary", "annual pay",
               "yearly salary", "annual compensation"),
    "pay_rate": ("regular pay rate amount", "pay rate", "employee compensation", "compensation",
                 "hourly rate", "rate amount", "rate"),
    "pay_period": ("pay per", "employee compensation time period", "compensation time period",
                   "payment unit", "regular pay rate description", "pay type", "rate per",
                   "rate type"),
    "hours": ("standard hours per week", "hours per week", "weekly hours",
              "scheduled hours per week", "hours per year", "annual hours"),
    "employment": ("employment type", "worker type", "employee type", "worker category description",
                   "employment status", "employment history status", "worker category",
                   "employment", "classification"),
    "full_time": ("full time", "full time part time", "full part time", "ft pt",
                  "worker category description", "employment status", "employment history status",
                  "employment", "employee type", "employment type"),
    "department": ("home department description", "department description", "department",
                   "employee department", "home department", "dept"),
}
# column names only one layout's export uses: two or more of them name the layout
_SIGNATURES: dict[Layout, frozenset[str]] = {
    "adp": frozenset({
        "associate id", "file number", "legal first name", "legal last name", "position status",
        "worker category description", "hire rehire date", "regular pay rate amount",
        "regular pay rate description", "home department description", "job title description",
        "flsa description", "termination reason description", "home department code",
    }),
    "bamboohr": frozenset({
        "employee #", "pay per", "standard hours per week", "employment history status",
        "last name first name", "original hire date", "reporting to", "division",
        "pay rate effective date", "employment status", "pay schedule",
    }),
    "gusto": frozenset({
        "employee first name", "employee last name", "employee department",
        "employee compensation", "employee compensation time period", "gusto employee id",
        "employment", "payment unit", "flsa status", "employee compensation type",
    }),
}
_KNOWN = frozenset(k for words in _SYNONYMS.values() for k in words) | frozenset(
    k for words in _SIGNATURES.values() for k in words
)


def header_key(text: str) -> str:
    """A column name as it is compared: camelCase split, case folded, a trailing ``(...)``
    dropped (ADP's report builder appends the data source), runs of anything but letters,
    digits and ``#`` as one space.

    >>> header_key("Hire/Rehire Date (Employment Profile)"), header_key("employeeNumber")
    ('hire rehire date', 'employee number')
    >>> header_key(" Employee # "), header_key("employee_compensation_time_period")
    ('employee #', 'employee compensation time period')
    """
    text = unicodedata.normalize("NFKC", text).strip()
    text = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text).casefold()
    text = re.sub(r"\s*\([^()]*\)\s*$", "", text)
    return re.sub(r"[^0-9a-z#]+", " ", text).strip()


def detect_layout(headers: Iterable[str]) -> Layout | None:
    """The export a header row comes from, by the column names only one layout uses (two or
    more of them, and more than any other layout's); ``None`` when it is none of them.

    >>> detect_layout(["Employee #", "First Name", "Last Name", "Hire Date", "Pay Per"])
    'bamboohr'
    >>> detect_layout(["name", "salary", "start_date"]) is None
    True
    """
    keys = {header_key(h) for h in headers}
    scores = sorted(((len(keys & sig), layout) for layout, sig in _SIGNATURES.items()),
                    reverse=True)
    (best, layout), (second, _) = scores[0], scores[1]
    return layout if best >= 2 and best > second else None


# --- the mapping -----------------------------------------------------------------------------

HoursPer = Literal["week", "year"]


@dataclass(frozen=True, slots=True)
class HrMapping:
    """Which column of the file gives each roster field (by the column's label in
    :attr:`HrFile.columns`), and how to read hours. Fields not listed are not in the file."""

    columns: tuple[tuple[str, str], ...] = ()
    hours_per: HoursPer = "week"
    year_hours: int = YEAR_HOURS

    def get(self, name: str) -> str | None:
        return next((column for f, column in self.columns if f == name), None)

    def with_column(self, name: str, column: str | None) -> HrMapping:
        """The mapping with ``name`` taken from ``column`` (``None``: from no column)."""
        if name not in FIELDS:
            raise ValueError(f"{name!r} is not a roster field")
        kept = [(f, c) for f, c in self.columns if f != name]
        if column is not None:
            kept.append((name, column))
        order = {f: i for i, f in enumerate(FIELDS)}
        return replace(self, columns=tuple(sorted(kept, key=lambda fc: order[fc[0]])))

    @classmethod
    def of(cls, columns: Mapping[str, str | None], hours_per: HoursPer = "week",
           year_hours: int = YEAR_HOURS) -> HrMapping:
        """A mapping from ``{field: column label or None}``."""
        mapping = cls(hours_per=hours_per, year_hours=year_hours)
        for name, column in columns.items():
            mapping = mapping.with_column(name, column)
        return mapping

    def as_dict(self) -> dict[str, str | None]:
        """Every field -> its column label or ``None``."""
        return {f: self.get(f) for f in FIELDS}


def propose_mapping(columns: Sequence[str]) -> HrMapping:
    """The column proposed for each roster field: for each field, the first of its known
    column names (layout-specific first) that the file has. A full name is not proposed when
    first and last names are.

    >>> m = propose_mapping(["Employee #", "First Name", "Last Name", "Hire Date", "Pay Rate",
    ...                      "Pay Per", "Standard Hours Per Week", "Employment Status"])
    >>> m.get("employee_id"), m.get("pay_period"), m.get("hours"), m.get("full_time")
    ('Employee #', 'Pay Per', 'Standard Hours Per Week', 'Employment Status')
    >>> m.get("name") is None, m.hours_per
    (True, 'week')
    """
    by_key: dict[str, str] = {}
    for label in columns:
        by_key.setdefault(header_key(label), label)
    chosen: dict[str, str | None] = {}
    for name in FIELDS:
        chosen[name] = next((by_key[k] for k in _SYNONYMS[name] if k in by_key), None)
    if chosen["first_name"] and chosen["last_name"]:
        chosen["name"] = None
    hours = chosen["hours"]
    per: HoursPer = "year" if hours and re.search(r"year|annual", header_key(hours)) else "week"
    return HrMapping.of(chosen, hours_per=per)


# --- reading the file ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HrFile:
    """An HR export read: its column labels, data rows (spreadsheet row number, cells), the
    layout found, the mapping proposed and the problems of the file as a whole."""

    file: str
    columns: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    header_row: int
    layout: Layout | None
    mapping: HrMapping
    problems: tuple[Problem, ...] = ()
    xlsx: bool = False
    epoch_1904: bool = False

    @property
    def layout_name(self) -> str:
        return LAYOUT_NAMES[self.layout] if self.layout else "an unknown layout"

    @property
    def ok(self) -> bool:
        return bool(self.columns) and not any(p.is_error for p in self.problems)


def _letter(index: int) -> str:
    letters, n = "", index + 1
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return letters


def _labels(cells: Sequence[str]) -> tuple[str, ...]:
    """Unique column labels: the header's text; a blank header or a repeated one named by
    its column letter too."""
    counts: dict[str, int] = {}
    for text in cells:
        counts[text] = counts.get(text, 0) + 1
    out: list[str] = []
    for i, text in enumerate(cells):
        if not text:
            out.append(f"(column {_letter(i)})")
        elif counts[text] > 1:
            out.append(f"{text} (column {_letter(i)})")
        else:
            out.append(text)
    return tuple(out)


_HEADER_SEARCH = 15  # rows looked at for the header (report titles sit above it)


def read_hr(data: bytes, filename: str = "employees.csv", *, max_bytes: int = MAX_BYTES,
            max_unzipped_bytes: int = MAX_UNZIPPED_BYTES) -> HrFile:
    """Read an HR export (CSV or XLSX bytes): header found by content, layout detected,
    mapping proposed. A file that cannot be read, has no rows, or is none of the known layouts
    says so in one problem (an unknown layout is a warning: its columns may still be chosen
    by hand)."""
    sheet, problems = read_cells(data, filename, max_bytes, max_unzipped_bytes,
                                 "an employee export as CSV text")
    empty = HrFile(filename, (), (), 0, None, HrMapping(), tuple(problems))
    if sheet is None:
        return empty
    if not sheet.rows:
        return replace(empty, problems=(*problems, Problem(
            filename, None, None, "is empty; expected an employee export with a header row "
            "and one row per person")))
    header_at = _header_index(sheet)
    number, cells = sheet.rows[header_at]
    width = max(len(c) for _, c in sheet.rows)
    columns = _labels(tuple(cells) + ("",) * (width - len(cells)))
    while columns and columns[-1].startswith("(column ") and not any(
            len(c) >= len(columns) and c[len(columns) - 1] for _, c in sheet.rows):
        columns = columns[:-1]  # trailing columns with neither a header nor a value
    rows = tuple((n, tuple(c) + ("",) * (len(columns) - len(c)))
                 for n, c in sheet.rows[header_at + 1:])
    layout = detect_layout(cells)
    if layout is None:
        problems.append(Problem(
            filename, number, None,
            "does not look like a Gusto, ADP Workforce Now or BambooHR employee export (none "
            "of their column names was found in the header); expected one of those exports, "
            "or choose the column of each roster field by hand", "warning"))
    if not rows:
        problems.append(Problem(filename, None, None,
                                "has a header but no rows; expected one row per person"))
    return HrFile(filename, columns, rows, number, layout, propose_mapping(columns),
                  tuple(problems), sheet.xlsx, sheet.epoch_1904)


def _header_index(sheet: Sheet) -> int:
    """The row among the first few with the most known column names (the first row when
    none has any)."""
    best, at = 0, 0
    for i, (_, cells) in enumerate(sheet.rows[:_HEADER_SEARCH]):
        score = sum(1 for c in cells if c and header_key(c) in _KNOWN)
        if score > best:
            best, at = score, i
    return at


# --- cells -> values ---------------------------------------------------------------------------


class _Bad(ValueError):
    """A cell that cannot be read; the message says what is wrong and what was expected."""


def _show(text: str, limit: int = 40) -> str:
    cut = text if len(text) <= limit else text[: limit - 1] + "…"
    return f"'{visible(cut)}'"


_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_YMD = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")
_US = re.compile(
    r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d+)(?: \d{1,2}:\d{2}(?::\d{2})?(?: ?[AaPp][Mm])?)?$")
_SERIAL = re.compile(r"^\d+(?:\.\d+)?$")
_NAMED = ("%b %d, %Y", "%B %d, %Y", "%d-%b-%Y", "%d %b %Y", "%d %B %Y", "%b %d %Y")
_DATE_HINT = "a date like 2024-03-01 or 03/01/2024 (month first)"


def _date(text: str, xlsx: bool, epoch_1904: bool) -> date:
    r"""A date cell of an HR export.

    >>> _date("03/01/2024", False, False), _date("2024-03-01T00:00:00", False, False)
    (datetime.date(2024, 3, 1), datetime.date(2024, 3, 1))
    >>> _date("Mar 1, 2024", False, False), _date("45352", True, False)
    (datetime.date(2024, 3, 1), datetime.date(2024, 3, 1))
    """
    parts: tuple[int, int, int] | None = None
    if m := _ISO.match(text) or _YMD.match(text):
        parts = (int(m.group(1)), int(m.group(2)), int(m.group(3)))
    elif m := _US.match(text):
        if len(m.group(3)) != 4:
            raise _Bad(f"{_show(text)} has a {len(m.group(3))}-digit year; expected "
                       f"{_DATE_HINT}, the year in full")
        parts = (int(m.group(3)), int(m.group(1)), int(m.group(2)))
    elif _SERIAL.match(text):
        if not xlsx:
            raise _Bad(f"{_show(text)} is not a date (numbers are read as Excel dates only "
                       f"from .xlsx files); expected {_DATE_HINT}")
        return _serial(text, epoch_1904)
    else:
        for fmt in _NAMED:
            try:
                found = datetime.strptime(text, fmt).date()
            except ValueError:
                continue
            parts = (found.year, found.month, found.day)
            break
    if parts is None:
        raise _Bad(f"{_show(text)} is not a date; expected {_DATE_HINT}")
    try:
        found = date(*parts)
    except ValueError:
        raise _Bad(f"{_show(text)} is not a real date; expected {_DATE_HINT}") from None
    if not 1900 <= found.year <= 2999:
        raise _Bad(f"{_show(text)} is outside the years 1900 to 2999; expected {_DATE_HINT}")
    return found


def _serial(text: str, epoch_1904: bool) -> date:
    serial = int(Decimal(text))  # a time of day, if any, is dropped
    if not 1 <= serial <= 2_958_465 or (serial == 60 and not epoch_1904):
        raise _Bad(f"{_show(text)} is not a plausible Excel date; expected {_DATE_HINT}")
    if epoch_1904:
        return date(1904, 1, 1) + timedelta(days=serial)
    # Excel's day 60 is 1900-02-29, a day that never was (a Lotus 1-2-3 bug kept on)
    return date(1899, 12, 31 if serial < 60 else 30) + timedelta(days=serial)


_AMOUNT = re.compile(r"^\$?(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d+))?$")


def _amount(text: str, what: str, places: int) -> Decimal:
    """Dollars as HR systems write them: ``$65,000.00``, ``65000.00 USD``, ``18.5000``; more
    than ``places`` significant decimals, negative, zero or absurd amounts refused.

    >>> _amount("65000.00 USD", "salary", 2), _amount("$18.5000", "rate", 4)
    (Decimal('65000.00'), Decimal('18.5000'))
    """
    s = re.sub(r"(?i)^(usd|us\$)\s*|\s*(usd|/\s*(hr|hour|yr|year))$", "", text.strip())
    s = s.replace("\u00a0", "").replace(" ", "")
    if s.startswith("-") or (s.startswith("(") and s.endswith(")")):
        raise _Bad(f"{_show(text)} is negative; expected {what}")
    m = _AMOUNT.match(s)
    if not s or not m or (m.group(1) is None and not m.group(2)):
        raise _Bad(f"{_show(text)} is not an amount of money; expected {what}")
    try:
        value = Decimal((m.group(1) or "0").replace(",", "") + "." + (m.group(2) or "0"))
    except InvalidOperation:  # pragma: no cover - the pattern admits digits only
        raise _Bad(f"{_show(text)} is not an amount of money; expected {what}") from None
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        raise _Bad(f"{_show(text)} has more than {places} decimal places; expected {what}")
    if value <= 0:
        raise _Bad(f"{_show(text)} is not more than 0; expected {what}")
    if value >= MONEY_LIMIT:
        raise _Bad(f"{_show(text)} is too large; expected {what}")
    return value


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.casefold()).split())


_PER_YEAR: dict[str, Decimal | str] = {}
for _word, _factor in (
    (("hour", "hourly", "hr", "hrs", "hours", "per hour"), "hour"),
    (("day", "daily", "per day"), Decimal(260)),
    (("week", "weekly", "wk", "per week"), Decimal(52)),
    (("biweekly", "bi weekly", "every other week", "every two weeks", "every 2 weeks",
      "fortnight", "fortnightly"), Decimal(26)),
    (("semimonthly", "semi monthly", "twice a month", "twice monthly"), Decimal(24)),
    (("month", "monthly", "mo", "per month"), Decimal(12)),
    (("quarter", "quarterly", "per quarter"), Decimal(4)),
    (("year", "yearly", "annual", "annually", "annum", "yr", "per year", "per annum"),
     Decimal(1)),
):
    for _w in _word:
        _PER_YEAR[_w] = _factor
_PERIOD_HINT = "what the rate is per: Hour, Week, Month or Year"


def _per_year(text: str, hours: Decimal) -> Decimal:
    """How many times the rate is paid in a year (``hours`` for an hourly rate)."""
    word = _words(text)
    factor = _PER_YEAR.get(word)
    if factor is None:
        if word in ("salary", "salaried", "paycheck", "pay period", "per paycheck"):
            raise _Bad(f"{_show(text)} does not say what the rate is per (a salary rate may "
                       "be per paycheck); expected an annual salary column chosen for this "
                       f"person, or {_PERIOD_HINT}")
        raise _Bad(f"{_show(text)} is not a pay period; expected {_PERIOD_HINT}")
    return hours if factor == "hour" else Decimal(factor)


_CONTRACTOR = frozenset({"contractor", "contractors", "1099", "freelance", "freelancer",
                         "independent", "contract"})
_EMPLOYEE = frozenset({"w2", "employee", "full", "part", "fulltime", "parttime", "ft", "pt",
                       "regular", "temporary", "temp", "seasonal", "intern", "variable", "hourly",
                       "salary", "salaried", "exempt", "nonexempt", "non", "terminated",
                       "active", "inactive", "leave", "owner", "time", "staff", "true", "false"})


def _employment(text: str) -> Employment:
    words = set(_words(text.replace("W-2", "W2").replace("w-2", "w2")).split())
    if words & _CONTRACTOR:
        return Employment.CONTRACTOR
    if words & _EMPLOYEE:
        return Employment.W2
    raise _Bad(f"{_show(text)} is not a kind of employment; expected an employee (W-2, full "
               "time, part time...) or a contractor (1099)")


_PART = re.compile(r"\b(part|pt|parttime|seasonal|variable|temporary|temp|no|false|n|0)\b")
_FULL = re.compile(r"\b(full|ft|fulltime|yes|true|y|1)\b")
_NEITHER = frozenset({"contractor", "1099", "terminated", "active", "inactive", "leave",
                      "owner", "employee", "w2", "regular", "intern", "exempt", "nonexempt",
                      "freelance", "independent", "contract", "salaried", "hourly"})


def _full_time(text: str) -> bool | None:
    """``True``/``False``, or ``None`` when the word says neither (a contractor, a status)."""
    words = _words(text.replace("-", " ").replace("_", " "))
    if _PART.search(words):
        return False
    if _FULL.search(words):
        return True
    if set(words.split()) & _NEITHER:
        return None
    raise _Bad(f"{_show(text)} does not say full or part time; expected Full Time or Part "
               "Time (or true/false)")


def _hours(text: str, per: HoursPer) -> Decimal:
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise _Bad(f"{_show(text)} is not a number of hours; expected hours a {per}, "
                   f"like {'40' if per == 'week' else '2080'}") from None
    top = Decimal(100 if per == "week" else 5000)
    if not value.is_finite() or not 0 < value <= top:
        raise _Bad(f"{_show(text)} is not a plausible number of hours a {per}; expected more "
                   f"than 0 and at most {top}")
    return value


def _employee_id(text: str) -> str:
    if re.fullmatch(r"\d+\.0+", text):  # an id Excel saved as a number
        text = text.split(".")[0]
    if problem := forbidden(text):
        raise _Bad(f"{_show(text)} {problem}; expected an employee id")
    if len(text) > 64:
        raise _Bad(f"{_show(text)} is longer than 64 characters; expected an employee id")
    return unicodedata.normalize("NFC", text)


def _name(text: str) -> str:
    try:
        return clean_name(text)
    except ValueError as exc:
        raise _Bad(f"{_show(text)} {exc}; expected a person's name") from None


# --- applying a mapping --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HrRow:
    """One person as a roster row (texts in :data:`ROSTER_FILE_COLUMNS` order), the row of
    the HR file it came from, and whether every cell read."""

    row: int
    cells: tuple[str, ...]
    ok: bool

    def get(self, column: str) -> str:
        return self.cells[ROSTER_FILE_COLUMNS.index(column)]


@dataclass(frozen=True, slots=True)
class HrRoster(HasProblems):
    """An HR export through a mapping: every person as a roster row, every problem (file, row
    and column of the HR file), the people left out, and the people themselves when there is
    no error."""

    file: str
    rows: tuple[HrRow, ...]
    problems: tuple[Problem, ...]
    people: tuple[Person, ...] | None
    left_out: tuple[str, ...] = field(default=())

    @property
    def usable(self) -> bool:
        """Rows were made: the file and the mapping have no error (a cell with a problem goes
        along as it is, to be fixed where the roster is checked)."""
        return bool(self.rows)

    def roster_csv(self) -> bytes:
        """The rows as a roster CSV (UTF-8, the spec's columns then ``employee_id``) for the
        roster loader: not an export for a spreadsheet, so no cell is altered."""
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(ROSTER_FILE_COLUMNS)
        writer.writerows(r.cells for r in self.rows)
        return buf.getvalue().encode("utf-8")


def _mapping_problems(hr: HrFile, mapping: HrMapping) -> list[Problem]:
    """What is wrong with the mapping itself, on the header row: a roster field without a
    column, a column the file does not have."""
    file = hr.file

    def problem(message: str, severity: Literal["error", "warning"] = "error") -> Problem:
        return Problem(file, hr.header_row or None, None, message, severity)

    out: list[Problem] = []
    known = set(hr.columns)
    for name, column in mapping.columns:
        if column not in known:
            out.append(problem(f"has no column {_show(column)} (chosen for the "
                               f"{FIELD_LABELS[name].lower()}); expected one of its columns"))
    has = mapping.as_dict()
    if not (has["name"] or (has["first_name"] and has["last_name"])):
        if has["first_name"] or has["last_name"]:
            missing = "last" if has["first_name"] else "first"
            out.append(problem(f"has a column for one part of the name only; expected the "
                               f"{missing} name column too, or a full-name column"))
        else:
            out.append(problem("has no name column chosen; expected the first and last name "
                               "columns, or a full-name column"))
    if not has["start_date"]:
        out.append(problem("has no hire date column chosen; expected the column of the "
                           "date each person started"))
    if not has["salary"] and not (has["pay_rate"] and has["pay_period"]):
        what = ("the pay rate's period column (Hour, Year...) too" if has["pay_rate"]
                else "an annual salary column, or a pay rate and its period")
        out.append(problem(f"has no salary column chosen; expected {what}"))
    if not has["employment"]:
        out.append(problem("has no W-2 or contractor column chosen: everyone is read as a W-2 "
                           "employee, no one as a contractor", "warning"))
    if not has["end_date"]:
        out.append(problem("has no termination date column chosen: no one is read as having "
                           "left", "warning"))
    if not has["full_time"]:
        out.append(problem("has no full or part time column chosen: everyone is read as full "
                           "time", "warning"))
    if not 0 < mapping.year_hours <= 5000:
        out.append(problem(f"{mapping.year_hours} hours a year is not plausible; expected "
                           "about 2080"))
    return out


@dataclass
class _Row:
    number: int
    texts: dict[str, str]  # roster column -> text
    values: dict[str, object]
    ok: bool = True


class _Reader:
    """Reads the rows of one HR file under one mapping, collecting problems."""

    def __init__(self, hr: HrFile, mapping: HrMapping) -> None:
        self.hr, self.mapping = hr, mapping
        self.col = mapping.as_dict()
        self.index = {label: i for i, label in enumerate(hr.columns)}
        self.problems: list[Problem] = []

    def cell(self, cells: tuple[str, ...], name: str) -> str:
        column = self.col[name]
        return cells[self.index[column]].strip() if column is not None else ""

    def bad(self, row: _Row, name: str, message: str) -> None:
        self.problems.append(Problem(self.hr.file, row.number, self.col[name] or name, message))
        row.ok = False

    def is_note(self, cells: tuple[str, ...]) -> bool:
        """A row with one value and no name: a report's footer or a note, not a person."""
        named = self.cell(cells, "name") or (self.cell(cells, "first_name")
                                              and self.cell(cells, "last_name"))
        return sum(1 for c in cells if c) == 1 and len(self.hr.columns) >= 3 and not named

    def row(self, number: int, cells: tuple[str, ...]) -> _Row:
        row = _Row(number, dict.fromkeys(ROSTER_FILE_COLUMNS, ""), {})
        self._name(row, cells)
        if text := self.cell(cells, "employee_id"):
            row.texts["employee_id"] = text
            try:
                row.values["employee_id"] = row.texts["employee_id"] = _employee_id(text)
            except _Bad as exc:
                self.bad(row, "employee_id", str(exc))
        self._dates(row, cells)
        self._salary(row, cells)
        self._employment(row, cells)
        if text := self.cell(cells, "department"):
            row.texts["department"] = text
            if problem := forbidden(text):
                self.bad(row, "department", f"{_show(text)} {problem}; expected a department "
                         "name")
            elif len(text) > 200:
                self.bad(row, "department", f"{_show(text)} is longer than 200 characters; "
                         "expected a department name")
            else:
                row.values["department"] = row.texts["department"] = unicodedata.normalize(
                    "NFC", text)
        row.texts["owner"] = "false"
        return row

    def _name(self, row: _Row, cells: tuple[str, ...]) -> None:
        two = bool(self.col["first_name"] and self.col["last_name"])
        if two:
            parts = (self.cell(cells, "first_name"), self.cell(cells, "last_name"))
            name, where = " ".join(p for p in parts if p), "first_name"
        else:
            name, where = self.cell(cells, "name"), "name"
        row.texts["name"] = name
        if not name:
            self.bad(row, where, "is blank; expected a person's name")
            return
        try:
            row.values["name"] = row.texts["name"] = _name(name)
        except _Bad as exc:
            self.bad(row, where, str(exc))

    def _dates(self, row: _Row, cells: tuple[str, ...]) -> None:
        for name, required in (("start_date", True), ("end_date", False)):
            text = self.cell(cells, name)
            row.texts[name] = text
            if not text:
                if required:
                    self.bad(row, name, f"is blank; expected {_DATE_HINT}")
                continue
            try:
                when = _date(text, self.hr.xlsx, self.hr.epoch_1904)
            except _Bad as exc:
                self.bad(row, name, str(exc))
                continue
            row.values[name], row.texts[name] = when, when.isoformat()
        start, end = row.values.get("start_date"), row.values.get("end_date")
        if isinstance(start, date) and isinstance(end, date) and end < start:
            self.bad(row, "end_date", f"{end.isoformat()} is before the hire date "
                     f"{start.isoformat()}; expected a date on or after it, or blank")

    def _salary(self, row: _Row, cells: tuple[str, ...]) -> None:
        col = self.col
        if text := self.cell(cells, "salary"):
            row.texts["salary"] = text
            try:
                value = _amount(text, _SALARY_HINT, 2)
            except _Bad as exc:
                self.bad(row, "salary", str(exc))
                return
            row.values["salary"], row.texts["salary"] = value, f"{value:.2f}"
            return
        rate_text, period_text = self.cell(cells, "pay_rate"), self.cell(cells, "pay_period")
        if not (col["pay_rate"] and col["pay_period"]) or not rate_text:
            where = "salary" if col["salary"] else "pay_rate"
            hint = _SALARY_HINT if col["salary"] else _RATE_HINT
            if col["salary"] and col["pay_rate"]:
                hint += ", or a pay rate and its period"
            self.bad(row, where, f"is blank; expected {hint}")
            return
        row.texts["salary"] = rate_text
        try:
            rate = _amount(rate_text, _RATE_HINT, 4)
        except _Bad as exc:
            self.bad(row, "pay_rate", str(exc))
            return
        if not period_text:
            self.bad(row, "pay_period", f"is blank; expected {_PERIOD_HINT}")
            return
        hours = Decimal(self.mapping.year_hours)
        hours_text = self.cell(cells, "hours")
        if hours_text and _PER_YEAR.get(_words(period_text)) == "hour":
            per = self.mapping.hours_per
            try:
                hours = _hours(hours_text, per) * (52 if per == "week" else 1)
            except _Bad as exc:
                self.bad(row, "hours", str(exc))
                return
        try:
            times = _per_year(period_text, hours)
        except _Bad as exc:
            self.bad(row, "pay_period", str(exc))
            return
        annual = (rate * times).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if not 0 < annual < MONEY_LIMIT:
            self.bad(row, "pay_rate", f"{_show(rate_text)} a {_words(period_text)} makes an "
                     f"annual salary of {annual}; expected {_RATE_HINT}")
            return
        row.values["salary"], row.texts["salary"] = annual, f"{annual:.2f}"

    def _employment(self, row: _Row, cells: tuple[str, ...]) -> None:
        if text := self.cell(cells, "employment"):
            try:
                row.values["employment"] = _employment(text)
            except _Bad as exc:
                row.texts["employment"] = text
                self.bad(row, "employment", str(exc))
        if not row.texts["employment"]:
            kind = row.values.get("employment", Employment.W2)
            row.texts["employment"] = kind.value if isinstance(kind, Employment) else "w2"
        if text := self.cell(cells, "full_time"):
            try:
                full_time = _full_time(text)
            except _Bad as exc:
                row.texts["full_time"] = text
                self.bad(row, "full_time", str(exc))
            else:
                if full_time is not None:
                    row.values["full_time"] = full_time
        if not row.texts["full_time"]:
            row.texts["full_time"] = "true" if row.values.get("full_time", True) else "false"


_SALARY_HINT = "an annual salary like 65000 or $65,000.00"
_RATE_HINT = "a pay rate like 25.50 or $65,000.00"


def apply_mapping(hr: HrFile, mapping: HrMapping, *, owners: Iterable[str] = (),
                  left_before: date | None = None) -> HrRoster:
    """Every row of ``hr`` as a roster row under ``mapping``; ``owners`` (names as they come
    out) are owners; people who left before ``left_before`` are left out. Every problem names
    the HR file, its row and the column the value came from."""
    file = hr.file
    problems = [p for p in hr.problems if p.is_error] + _mapping_problems(hr, mapping)
    if any(p.is_error for p in problems):
        return HrRoster(file, (), tuple(problems), None)
    reader = _Reader(hr, mapping)
    rows: list[_Row] = []
    for number, cells in hr.rows:
        if reader.is_note(cells):
            reader.problems.append(Problem(file, number, None, "has one value only; taken as "
                                           "a note, not a person, and left out", "warning"))
            continue
        rows.append(reader.row(number, cells))
    rows, dropped, notes = _one_row_each(file, rows, mapping.get("employee_id"))
    # a row left out for another of the same id takes its problems with it
    problems += [p for p in reader.problems if p.row not in dropped] + notes
    left_out: list[str] = []
    if left_before is not None:
        kept: list[_Row] = []
        for r in rows:
            end = r.values.get("end_date")
            if isinstance(end, date) and end < left_before:
                left_out.append(r.texts["name"])
            else:
                kept.append(r)
        gone = {r.number for r in rows} - {r.number for r in kept}
        problems = [p for p in problems if p.row not in gone]
        rows = kept
    owner_keys = {name_key(o) for o in owners}
    seen: dict[str, int] = {}
    col = reader.col
    name_column = col["first_name"] if col["first_name"] and col["last_name"] else col["name"]
    for r in rows:
        key = name_key(r.texts["name"])
        if key in seen:
            problems.append(Problem(file, r.number, name_column, f"{_show(r.texts['name'])} is "
                                    f"also the name on row {seen[key]}; expected each person "
                                    "once, with a name of their own (add a middle initial)"))
            r.ok = False
        elif key:
            seen[key] = r.number
        owner = bool(key) and key in owner_keys
        r.values["owner"] = owner
        r.texts["owner"] = "true" if owner else "false"
    people: list[Person] = []
    for r in rows:
        if not r.ok:
            continue
        try:
            people.append(Person.model_validate(r.values))
        except ValidationError as exc:  # a backstop: the cell readers catch nearly everything
            for error in exc.errors(include_url=False):
                where = str(error["loc"][0]) if error["loc"] else ""
                problems.append(Problem(file, r.number, col.get(where) or where or None,
                                        plain_message(error)))
            r.ok = False
    out = tuple(HrRow(r.number, tuple(r.texts[c] for c in ROSTER_FILE_COLUMNS), r.ok)
                for r in rows)
    final = tuple(sorted(problems, key=lambda p: (p.row is not None, p.row or 0)))
    if not rows and not any(p.is_error for p in final):
        final += (Problem(file, None, None, "has no person to read; expected one row per "
                          "person"),)
    failed = any(p.is_error for p in final)
    return HrRoster(file, out, final, None if failed else tuple(people), tuple(left_out))


def _one_row_each(file: str, rows: list[_Row], id_column: str | None
                  ) -> tuple[list[_Row], set[int], list[Problem]]:
    """One row per employee id: the active row (no termination date), else the latest hire;
    a warning for every row left out. Rows without an id are kept as they are. Returns the
    rows kept, the numbers of those left out and the warnings."""
    groups: dict[str, list[_Row]] = {}
    for r in rows:
        if ident := r.texts["employee_id"]:
            groups.setdefault(ident.casefold(), []).append(r)

    def rank(r: _Row) -> tuple[bool, bool, date, int]:
        start = r.values.get("start_date")
        return (r.ok, "end_date" not in r.values,
                start if isinstance(start, date) else date.min, r.number)

    dropped: set[int] = set()
    notes: list[Problem] = []
    for same in groups.values():
        if len(same) < 2:
            continue
        keep = max(same, key=rank)
        for r in same:
            if r is not keep:
                dropped.add(r.number)
                notes.append(Problem(
                    file, r.number, id_column,
                    f"{_show(r.texts['employee_id'])} is also the employee id on row "
                    f"{keep.number} (another position or a rehire); row {keep.number} was "
                    "kept (the active one, else the latest hire) and this one left out",
                    "warning"))
    return [r for r in rows if r.number not in dropped], dropped, notes
