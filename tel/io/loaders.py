r"""Read the roster and the monthly figures from CSV or XLSX, and the plan from TOML.

Uploaded files are untrusted. Every cell is read as a string, trimmed, and only then
validated, column by column, into the frozen models of :mod:`tel.core.models`. Nothing stops at the
first mistake: a loader returns a :class:`Loaded` holding the value (``None`` when there is
any error) and *every* :class:`Problem` found, each naming the file, the spreadsheet row
(the header is row 1), the column, what is wrong and what was expected.

>>> ok = load_months(b"month,gp,cash_on_hand,ar_total,ar_90_plus\n"
...                  b'2026-07,"$69,343",52000,320000,24000\n', "months.csv")
>>> ok.value[0].gp, ok.problems
(Decimal('69343'), ())
>>> bad = load_roster(b"name,salary,start_date,end_date,employment\n"
...                   b"Ann,12x,2024-01-01,,w2\nBob,60000,01/02/2024,,boss\n", "roster.csv")
>>> bad.value is None
True
>>> for p in bad.problems: print(p)
roster.csv row 2, column salary: '12x' is not an amount of money; expected dollars like 65000 or $65,000.00
roster.csv row 3, column start_date: '01/02/2024' is not a date; expected a date as YYYY-MM-DD, like 2024-03-01
roster.csv row 3, column employment: 'boss' is not a kind of employment; expected w2 (or W-2) or contractor (or 1099)

What is accepted, on purpose:

* CSV as UTF-8, with or without a byte-order mark, any line endings, quoted values with
  commas. Text that is not UTF-8 is read as Windows-1252 (what Excel for Windows saves) with a
  warning. NUL bytes, control characters, zip archives or old ``.xls`` files named ``.csv``
  are refused with one error.
* XLSX, first worksheet only, read by openpyxl in read-only mode with cached formula values.
  ``defusedxml`` must be active for openpyxl (it is whenever the package is installed, unless
  ``OPENPYXL_DEFUSEDXML=False`` is set): without it XLSX files are refused. The archive's
  declared uncompressed size is checked before anything is parsed (zip bombs); Python's
  ``zipfile`` never returns more than a member's declared size, so the check is binding.
* Headers are matched case-insensitively after trimming; runs of spaces or hyphens count as
  ``_`` (``Start Date`` is ``start_date``). A missing required column is an error, an unknown
  column a warning (its values are ignored). Rows whose cells are all blank are skipped. When
  a required heading is missing *and* the rows hold more values than the header has headings
  (the heading was left out, the values were not), that one error says so and no row is
  checked: every value would be read one column off.
* Money as people type it: ``65000``, ``$65,000.00``, ``(1,200)`` (see
  :func:`tel.core.money.parse_money`); at most two decimal places; NaN and infinity are refused;
  any amount must be under $10,000,000,000 in size (:data:`tel.core.money.MONEY_LIMIT`).
* Files on disk (:func:`read_file`): only regular files; a named pipe, device or socket is
  refused without waiting on it, and a file over the size limit without reading it.
* Dates as ISO ``YYYY-MM-DD``. Excel date cells, and whole numbers read as Excel date
  serials, only from XLSX files: a ``86400`` in a CSV file is not a date.
* Booleans ``true/false``, ``yes/no``, ``y/n``, ``1/0``; employment ``w2`` (``W-2``) or
  ``contractor`` (``1099``).

Roster columns (the last five optional; a blank optional cell takes the
:class:`~tel.core.models.Person` default): ``name, salary, start_date, end_date, employment,
full_time, owner, performance, department, employee_id`` (``employee_id``, the payroll or
HR system's id, is not one of the spec's :data:`ROSTER_COLUMNS`). ``end_date`` and
``employment`` are required columns although ``end_date`` cells may be blank: a file that forgot them would silently pay
people who left, or contractors. Names and departments follow :mod:`tel.core.text`: trimmed, stored
in Unicode NFC, without control or invisible characters; names are unique ignoring case,
Unicode form and invisible characters.

Months columns: ``month`` (``YYYY-MM``), ``gp`` (may be negative), ``cash_on_hand``,
``ar_total``, ``ar_90_plus`` (each >= 0, ``ar_90_plus <= ar_total``). One row per month. The
two A/R cells may both be blank: the month has no A/R aging report (spec section 16), and a
quarter whose gates fall on it is an error naming the missing report; one blank without the
other is an error. A
month missing between the first and the last booked month is a warning naming it (a quarter
with a hole would quietly be figured on fewer months); months not yet booked after the last
one are not a gap.

The plan is TOML in the layout of the spec's section 8; see :mod:`tel.io.planfile`.
"""  # noqa: E501

from __future__ import annotations

import csv
import io
import math
import os
import re
import stat
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from os import PathLike
from pathlib import Path

from pydantic import ValidationError

from tel.core.models import Employment, Month, Person, Plan, Scenario, Score
from tel.core.money import MONEY_LIMIT, format_money, parse_money, to_cents
from tel.core.periods import Quarter
from tel.core.text import forbidden, name_key, visible
from tel.io.planfile import plan_from_toml
from tel.io.problems import Loaded, Problem, plain_message

__all__ = [
    "MAX_BYTES",
    "MAX_ROWS",
    "MAX_UNZIPPED_BYTES",
    "MONTHS_COLUMNS",
    "MONTHS_REQUIRED",
    "ROSTER_COLUMNS",
    "ROSTER_REQUIRED",
    "load_months",
    "load_plan",
    "load_roster",
    "load_scores",
    "read_file",
    "read_months",
    "read_plan",
    "read_roster",
    "read_scenario",
]


MAX_BYTES = 20 * 1024 * 1024
"""Default size limit of one input file, in bytes (20 MB)."""
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
"""Default limit of an XLSX archive's total uncompressed size, in bytes (100 MB)."""
MAX_ROWS = 100_000
"""Rows with data beyond this spreadsheet row number are refused."""
MAX_COLUMNS = 200
"""Only the first 200 columns of a worksheet are read."""
_MAX_ZIP_MEMBERS = 10_000
_EXCEL_LAST_ROW = 1_048_576

ROSTER_COLUMNS = (
    "name",
    "salary",
    "start_date",
    "end_date",
    "employment",
    "full_time",
    "owner",
    "performance",
    "department",
)
ROSTER_REQUIRED = ROSTER_COLUMNS[:5]
MONTHS_COLUMNS = ("month", "gp", "cash_on_hand", "ar_total", "ar_90_plus")
MONTHS_REQUIRED = MONTHS_COLUMNS


# --- small text helpers ------------------------------------------------------------------

# Controls that mark a file as binary rather than text (tab, CR, LF are fine).
_BINARY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _escape(text: str) -> str:
    # C0/C1 controls, invisible and bidi characters can rewrite a terminal line or disguise a
    # name: shown as codes (tel.core.text.visible)
    return visible(text)


def _clean(text: str) -> str:
    """One printable line: control characters escaped (a file name may hold a newline)."""
    return _escape(text)


def _show(text: str, limit: int = 40) -> str:
    r"""A cell value quoted for a message: control characters escaped, long text cut.

    >>> _show("12x"), _show("x" * 50)[-3:], _show("a\nb")
    ("'12x'", "x…'", "'a\\x0ab'")
    """
    cut = text if len(text) <= limit else text[: limit - 1] + "…"
    return f"'{_escape(cut)}'"


def _col_letter(index: int) -> str:
    """0-based column index -> spreadsheet letters (0 -> A, 27 -> AB)."""
    letters = ""
    n = index + 1
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return letters


def _normalize_header(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


# --- decoding bytes ----------------------------------------------------------------------

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and password-protected workbooks


def _too_big(file: str, size_text: str, limit: int) -> Problem:
    return Problem(
        file,
        None,
        None,
        f"is {size_text}, over the {_mb(limit)} limit; expected a smaller file",
    )


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.3g} MB"


def _decode_text(data: bytes, file: str, expected: str) -> tuple[str | None, list[Problem]]:
    """Bytes -> text: UTF-8 (BOM allowed), else Windows-1252 with a warning; refuse binary."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [
            Problem(file, None, None, f"is UTF-16 text; expected {expected} saved as UTF-8")
        ]
    if data.startswith(_ZIP_MAGIC):
        return None, [
            Problem(
                file,
                None,
                None,
                f"is a zip archive (an Excel workbook?), not text; expected {expected} "
                "(name an Excel workbook .xlsx)",
            )
        ]
    if data.startswith(_OLE_MAGIC):
        return None, [
            Problem(
                file,
                None,
                None,
                f"is an old-style Excel or Office file, not text; expected {expected} "
                "(save it from Excel as .xlsx or CSV UTF-8)",
            )
        ]
    binary = Problem(file, None, None, f"is a binary file, not text; expected {expected}")
    if b"\x00" in data:
        return None, [binary]
    problems: list[Problem] = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            return None, [binary]
        problems.append(
            Problem(
                file,
                None,
                None,
                "is not UTF-8; it was read as Windows-1252 text, check that accented names "
                "look right (save as CSV UTF-8 to avoid this)",
                "warning",
            )
        )
    if _BINARY.search(text):
        return None, [binary]
    return text, problems


# --- reading a sheet: every cell a string --------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sheet:
    file: str
    xlsx: bool  # Excel date cells and serial numbers are dates only in a workbook
    epoch_1904: bool
    rows: tuple[tuple[int, tuple[str, ...]], ...]  # (spreadsheet row number, cells)


def _read_csv(text: str, file: str) -> tuple[Sheet | None, list[Problem]]:
    rows: list[tuple[int, tuple[str, ...]]] = []
    # strict: an unclosed quote is an error, not a name that swallows the rest of the file
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    number = 0
    try:
        for number, record in enumerate(reader, start=1):
            cells = tuple(c.strip() for c in record)
            if any(cells):
                if number > MAX_ROWS:
                    return None, [_too_many_rows(file)]
                rows.append((number, cells))
    except csv.Error as exc:
        return None, [
            Problem(
                file,
                None,
                None,
                f"is not valid CSV ({str(exc).rstrip('.')}); expected comma-separated values, "
                "with double quotes around any value that holds a comma or a quote",
                line=reader.line_num,
            )
        ]
    return Sheet(file, False, False, tuple(rows)), []


def _too_many_rows(file: str) -> Problem:
    return Problem(file, None, None, f"has data beyond row {MAX_ROWS:,}; expected a smaller file")


def _cell_text(value: object) -> str:
    """An openpyxl cell value -> the string a person would have typed.

    >>> _cell_text(65000.0), _cell_text(0.1 + 0.2), _cell_text(True), _cell_text(None)
    ('65000', '0.3', 'true', '')
    >>> _cell_text(datetime(2024, 3, 1, 0, 0)), _cell_text(1e20)
    ('2024-03-01', '100000000000000000000')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)  # 'inf' / 'nan': refused by every cell parser
        if value.is_integer():
            return str(int(value))
        # 15 significant digits is what Excel shows; it hides binary noise like 0.30000000000000004
        return format(Decimal(format(value, ".15g")), "f")
    return str(value).strip()


def _read_xlsx(data: bytes, file: str, max_unzipped: int) -> tuple[Sheet | None, list[Problem]]:
    not_workbook = Problem(
        file,
        None,
        None,
        "is not an Excel .xlsx workbook; expected a workbook saved from Excel as .xlsx, "
        "or a CSV file (password-protected workbooks cannot be read)",
    )
    if not data.startswith(_ZIP_MAGIC):
        return None, [not_workbook]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return None, [not_workbook]
    if len(members) > _MAX_ZIP_MEMBERS:
        return None, [Problem(file, None, None, f"holds {len(members):,} files; refused as unsafe")]
    unzipped = sum(m.file_size for m in members)
    if unzipped > max_unzipped:
        return None, [
            Problem(
                file,
                None,
                None,
                f"would unpack to {_mb(unzipped)}, over the {_mb(max_unzipped)} limit; "
                "refused as unsafe (expected a small workbook)",
            )
        ]

    # defusedxml must be importable *before* openpyxl decides which XML parser to use.
    import defusedxml  # noqa: F401
    import openpyxl

    if openpyxl.DEFUSEDXML is not True:
        return None, [
            Problem(
                file,
                None,
                None,
                "cannot be read safely: openpyxl is not using defusedxml "
                "(is OPENPYXL_DEFUSEDXML set to False?); save the sheet as CSV instead",
            )
        ]
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a broken or hostile workbook
        return None, [_unreadable(file, exc)]
    problems: list[Problem] = []
    rows: list[tuple[int, tuple[str, ...]]] = []
    try:
        sheets = book.worksheets
        if not sheets:
            return None, [Problem(file, None, None, "has no worksheet; expected one")]
        sheet = sheets[0]
        if len(sheets) > 1:
            problems.append(
                Problem(
                    file,
                    None,
                    None,
                    f"has {len(sheets)} worksheets; only the first, "
                    f"{_show(str(sheet.title))}, was read",
                    "warning",
                )
            )
        epoch_1904 = book.epoch.year == 1904
        # max_row/max_col bound the work even when the sheet claims a huge or absurd extent
        cells_by_row: Iterator[tuple[object, ...]] = sheet.iter_rows(
            min_row=1, max_row=_EXCEL_LAST_ROW, max_col=MAX_COLUMNS, values_only=True
        )
        for number, values in enumerate(cells_by_row, start=1):
            if values.count(None) == len(values):  # C-speed skip: a sheet may pad ~1M rows
                continue
            cells = tuple(_cell_text(v) for v in values)
            if any(cells):
                if number > MAX_ROWS:
                    return None, [_too_many_rows(file)]
                rows.append((number, cells))
    except Exception as exc:  # malformed XML, forbidden entities, bad styles, ...
        return None, [_unreadable(file, exc)]
    finally:
        book.close()
    return Sheet(file, True, epoch_1904, tuple(rows)), problems


def _unreadable(file: str, exc: BaseException) -> Problem:
    cause: BaseException | None = exc
    for _ in range(10):  # openpyxl wraps the parser's error in its own; chains may loop
        if cause is None:
            break
        if type(cause).__module__.startswith("defusedxml"):
            return Problem(
                file,
                None,
                None,
                "holds XML entity or DTD declarations, refused as unsafe; expected a workbook "
                "saved from Excel as .xlsx, or a CSV file",
            )
        cause = cause.__cause__ or cause.__context__
    reason = type(exc).__name__
    detail = str(exc).splitlines()[0][:120] if str(exc) else ""
    if detail:
        reason += f": {detail}"
    return Problem(
        file,
        None,
        None,
        f"could not be read as an Excel workbook ({reason}); expected a workbook saved from "
        "Excel as .xlsx, or a CSV file",
    )


def read_cells(
    data: bytes, file: str, max_bytes: int, max_unzipped: int, expected: str
) -> tuple[Sheet | None, list[Problem]]:
    """A CSV or XLSX file as a grid of text cells, with the same decoding, size and XLSX
    safety checks as the loaders (so a fixing table edits exactly what they will check)."""
    if len(data) > max_bytes:
        return None, [_too_big(file, _mb(len(data)), max_bytes)]
    suffix = Path(file).suffix.lower()
    if suffix == ".xlsx" or (suffix == "" and data.startswith(_ZIP_MAGIC)):
        return _read_xlsx(data, file, max_unzipped)
    if suffix in (".csv", ".txt", ""):
        text, problems = _decode_text(data, file, expected)
        if text is None:
            return None, problems
        sheet, more = _read_csv(text, file)
        return sheet, problems + more
    if suffix == ".xls":
        return None, [
            Problem(
                file,
                None,
                None,
                "is an old-style .xls workbook; expected .xlsx or .csv "
                "(save it from Excel as .xlsx or CSV UTF-8)",
            )
        ]
    return None, [
        Problem(
            file,
            None,
            None,
            f"is a {_show(suffix)} file; expected {expected} (.csv) or an Excel workbook (.xlsx)",
        )
    ]


# --- cell parsers: text -> value, or _Bad with what is wrong ---------------------------------


class _Bad(ValueError):
    """A cell that cannot be read; the message says what is wrong, without the 'expected'."""


def _text(text: str, _: Sheet) -> str:
    """A name or a department: the rules of :func:`tel.core.text.clean_text` (NFC, no control or
    invisible character), which :class:`~tel.core.models.Person` applies to every other entry."""
    problem = forbidden(text)
    if problem:
        raise _Bad(f"{_show(text)} {problem}, a control or invisible character")
    text = unicodedata.normalize("NFC", text)
    if len(text) > 200:
        raise _Bad(f"{_show(text)} is longer than 200 characters")
    return text


def _employee_id(text: str, sheet: Sheet) -> str:
    """An employee id: text as typed (leading zeros kept), the rules of :func:`_text`, at
    most 64 characters."""
    text = _text(text, sheet)
    if len(text) > 64:
        raise _Bad(f"{_show(text)} is longer than 64 characters")
    return text


def _money(text: str, _: Sheet) -> Decimal:
    try:
        value = parse_money(text)
    except ValueError as exc:
        if "decimal places" in str(exc):
            raise _Bad(f"{_show(text)} has more than two decimal places") from None
        raise _Bad(f"{_show(text)} is not an amount of money") from None
    if abs(value) >= MONEY_LIMIT:  # see tel.core.money.MONEY_LIMIT
        raise _Bad(f"{_show(text)} is {_LIMIT_WORDS}")
    return value


_LIMIT_WORDS = (
    f"too large: any amount must be under {format_money(to_cents(MONEY_LIMIT), cents_shown=False)}"
    " in size"
)


def _money_not_negative(text: str, sheet: Sheet) -> Decimal:
    value = _money(text, sheet)
    if value < 0:
        raise _Bad(f"{_show(text)} is negative")
    return value


def _money_positive(text: str, sheet: Sheet) -> Decimal:
    value = _money(text, sheet)
    if value <= 0:
        raise _Bad(f"{_show(text)} is not more than 0")
    return value


_DECIMAL_RE = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")


def _multiplier(text: str, _: Sheet) -> Decimal:
    if text.lower().lstrip("+-") in ("nan", "inf", "infinity", "snan"):
        raise _Bad(f"{_show(text)} is not a finite number")
    if not _DECIMAL_RE.match(text):
        raise _Bad(f"{_show(text)} is not a number")
    value = Decimal(text)
    if value < 0:
        raise _Bad(f"{_show(text)} is negative")
    if value > 100:
        raise _Bad(f"{_show(text)} is more than 100")
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -4:
        raise _Bad(f"{_show(text)} has more than four decimal places")
    return value


_DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_SERIAL_RE = re.compile(r"^\d+(?:\.\d+)?$")


def _from_serial(serial: int, epoch_1904: bool) -> date:
    """An Excel date serial -> a date.

    >>> _from_serial(45474, False), _from_serial(1, False), _from_serial(0, True)
    (datetime.date(2024, 7, 1), datetime.date(1900, 1, 1), datetime.date(1904, 1, 1))
    """
    if epoch_1904:
        return date(1904, 1, 1) + timedelta(days=serial)
    if serial == 60:  # Excel's 1900-02-29, a day that never was (a Lotus 1-2-3 bug kept on)
        raise ValueError("Excel's 1900-02-29 does not exist")
    if serial < 60:
        return date(1899, 12, 31) + timedelta(days=serial)
    return date(1899, 12, 30) + timedelta(days=serial)


def _date(text: str, sheet: Sheet) -> date:
    m = _DATE_RE.match(text)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            raise _Bad(f"{_show(text)} is not a real date") from None
    if _SERIAL_RE.match(text):
        if not sheet.xlsx:
            raise _Bad(
                f"{_show(text)} is not a date (numbers are read as Excel dates only from "
                ".xlsx files)"
            )
        serial = int(Decimal(text))  # a time of day, if any, is dropped
        try:
            if not 1 <= serial <= 2_958_465:  # 9999-12-31
                raise ValueError(serial)
            return _from_serial(serial, sheet.epoch_1904)
        except (ValueError, OverflowError):
            raise _Bad(f"{_show(text)} is not a plausible Excel date") from None
    raise _Bad(f"{_show(text)} is not a date")


_MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")


def _month(text: str, sheet: Sheet) -> tuple[int, int]:
    m = _MONTH_RE.match(text)
    if m:
        year, month = int(m.group(1)), int(m.group(2))
    elif sheet.xlsx and (_DATE_RE.match(text) or _SERIAL_RE.match(text)):
        # Excel turns a typed 2026-07 into the date 2026-07-01: take its month
        day = _date(text, sheet)
        year, month = day.year, day.month
    else:
        raise _Bad(f"{_show(text)} is not a month")
    if not 1 <= month <= 12:
        raise _Bad(f"{_show(text)} is not a real month")
    if not 1900 <= year <= 2999:
        raise _Bad(f"{_show(text)} is outside the years 1900 to 2999")
    return year, month


_TRUE = frozenset({"true", "yes", "y", "1"})
_FALSE = frozenset({"false", "no", "n", "0"})


def _bool(text: str, _: Sheet) -> bool:
    word = text.lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise _Bad(f"{_show(text)} is not true or false")


def _employment(text: str, _: Sheet) -> Employment:
    word = re.sub(r"[\s\-]+", "", text.lower())
    if word == "w2":
        return Employment.W2
    if word in ("contractor", "1099"):
        return Employment.CONTRACTOR
    raise _Bad(f"{_show(text)} is not a kind of employment")


@dataclass(frozen=True, slots=True)
class _Column:
    name: str
    parse: Callable[[str, Sheet], object]
    hint: str  # what was expected, in words
    value_required: bool = True


_DOLLARS = "dollars, 0 or more, like 52000 or $52,000.00"
_ROSTER_SPEC = (
    _Column("name", _text, "a person's name"),
    _Column("salary", _money_positive, "dollars like 65000 or $65,000.00"),
    _Column("start_date", _date, "a date as YYYY-MM-DD, like 2024-03-01"),
    _Column(
        "end_date",
        _date,
        "a date as YYYY-MM-DD, like 2024-03-01, or blank while the person is still here",
        value_required=False,
    ),
    _Column("employment", _employment, "w2 (or W-2) or contractor (or 1099)"),
    _Column("full_time", _bool, "true or false (or yes/no, y/n, 1/0)", value_required=False),
    _Column("owner", _bool, "true or false (or yes/no, y/n, 1/0)", value_required=False),
    _Column(
        "performance",
        _multiplier,
        "a multiplier from 0 to 100 with at most four decimals, like 1 or 1.25 (blank means 1)",
        value_required=False,
    ),
    _Column("department", _text, "a department name, or blank", value_required=False),
    _Column(
        "employee_id",
        _employee_id,
        "the payroll or HR system's employee id (up to 64 characters), or blank",
        value_required=False,
    ),
)
_MONTHS_SPEC = (
    _Column("month", _month, "a month as YYYY-MM, like 2026-07"),
    _Column("gp", _money, "dollars like 69343 or $69,343.00 (may be negative)"),
    _Column("cash_on_hand", _money_not_negative, _DOLLARS),
    # both blank: the month has no A/R aging report (spec section 16); one alone is an error
    _Column("ar_total", _money_not_negative, _DOLLARS, value_required=False),
    _Column("ar_90_plus", _money_not_negative, _DOLLARS + ", at most ar_total",
            value_required=False),
)


def _quarter(text: str, _: Sheet) -> str:
    try:
        return str(Quarter.parse(text.strip().upper()))
    except ValueError:
        raise _Bad(f"{_show(text)} is not a quarter") from None


SCORES_COLUMNS = ("name", "quarter", "performance")
_SCORES_SPEC = (
    _Column("name", _text, "a name exactly as on the roster"),
    _Column("quarter", _quarter, "a fiscal quarter as YYYY-QN, like 2026-Q3"),
    _Column("performance", _multiplier, "a multiplier from 0 to 100, like 1.2"),
)


def _header(
    sheet: Sheet, spec: tuple[_Column, ...], required: tuple[str, ...], what: str
) -> tuple[dict[str, int], list[Problem]]:
    """Map column name -> cell index from the first non-blank row; report the header's faults."""
    file = sheet.file
    number, cells = sheet.rows[0]
    known = [c.name for c in spec]
    columns: dict[str, int] = {}
    problems: list[Problem] = []
    for index, raw in enumerate(cells):
        name = _normalize_header(raw)
        if not name:
            continue
        if name in columns:
            first = _col_letter(columns[name])
            problems.append(
                Problem(
                    file,
                    number,
                    name,
                    f"appears twice in the header (columns {first} and {_col_letter(index)}); "
                    "expected each column once",
                )
            )
        elif name in known:
            columns[name] = index
        else:
            problems.append(
                Problem(
                    file,
                    number,
                    _escape(name[:40]),
                    f"is not a {what} column and was ignored; expected columns: "
                    + ", ".join(known),
                    "warning",
                )
            )
    for name in required:
        if name not in columns:
            problems.append(
                Problem(
                    file,
                    None,
                    name,
                    f"is missing; expected a header row with the columns "
                    f"{', '.join(required)}"
                    + (
                        f" (optional: {', '.join(c for c in known if c not in required)})"
                        if len(known) > len(required)
                        else ""
                    ),
                )
            )
    return columns, problems


def _parse_rows(
    sheet: Sheet,
    spec: tuple[_Column, ...],
    required: tuple[str, ...],
    what: str,
    noun: str,
) -> tuple[list[tuple[int, dict[str, object], bool, dict[str, str]]], list[Problem], bool]:
    """Parse every data row: ``(row number, cells that read, whether all did, the text of
    every known cell)`` for each, the problems, and whether the header had every required
    column."""
    file = sheet.file
    if not sheet.rows:
        return (
            [],
            [
                Problem(
                    file,
                    None,
                    None,
                    f"is empty; expected a header row ({', '.join(required)}) and one row per "
                    f"{noun}",
                )
            ],
            False,
        )
    columns, problems = _header(sheet, spec, required, what)
    header_ok = not any(p.is_error for p in problems)
    header_cells = sheet.rows[0][1]
    shifted = _shifted(sheet, [n for n in required if n not in columns])
    if shifted:  # every row's values sit under the wrong heading: say so once, check no row
        problems = [
            replace(p, message=p.message + shifted)
            if p.row is None and p.column in required and p.column not in columns
            else p
            for p in problems
        ]
        rows: tuple[tuple[int, tuple[str, ...]], ...] = ()
    else:
        rows = sheet.rows[1:]
    used = set(columns.values())
    ignored_data: set[int] = set()
    parsed: list[tuple[int, dict[str, object], bool, dict[str, str]]] = []
    for number, cells in rows:
        values: dict[str, object] = {}
        texts: dict[str, str] = {}
        clean = True
        for column in spec:
            if column.name not in columns:
                continue
            index = columns[column.name]
            text = cells[index] if index < len(cells) else ""
            texts[column.name] = text
            if not text:
                if column.value_required:
                    problems.append(
                        Problem(file, number, column.name, f"is blank; expected {column.hint}")
                    )
                    clean = False
                continue
            try:
                values[column.name] = column.parse(text, sheet)
            except _Bad as exc:
                message = f"{exc}; expected {column.hint}"
                problems.append(Problem(file, number, column.name, message))
                clean = False
        for index, text in enumerate(cells):
            if text and index not in used and index not in ignored_data:
                header = header_cells[index] if index < len(header_cells) else ""
                if not header:  # named unknown columns were reported with the header
                    ignored_data.add(index)
                    problems.append(
                        Problem(
                            file,
                            number,
                            None,
                            f"column {_col_letter(index)} has values but no header; "
                            "they were ignored",
                            "warning",
                        )
                    )
        parsed.append((number, values, clean, texts))
    if len(sheet.rows) == 1:
        problems.append(
            Problem(file, None, None, f"has a header but no rows; expected one row per {noun}")
        )
    return parsed, problems, header_ok


def _width(cells: tuple[str, ...]) -> int:
    """Cells up to the last that is not blank."""
    return next((i + 1 for i in range(len(cells) - 1, -1, -1) if cells[i]), 0)


def _shifted(sheet: Sheet, missing: list[str]) -> str:
    """When a required heading is missing and the rows hold more values than the header has
    headings, every value would be read one column off: the words to add to the "missing"
    problem (and no row is checked). Empty when that is not the case.

    >>> rows = ((1, ("name", "start_date")), (2, ("Ann", "60000", "2020-01-01")))
    >>> _shifted(Sheet("r.csv", False, False, rows), ["salary"])[:50]
    '; the rows hold one value more than the header, so'
    """
    if not missing or len(sheet.rows) < 2:
        return ""
    extra = max(_width(cells) for _, cells in sheet.rows[1:]) - _width(sheet.rows[0][1])
    if extra <= 0:
        return ""
    more = "one value" if extra == 1 else f"{extra} values"
    return (
        f"; the rows hold {more} more than the header, so every value after the missing "
        "heading would be read under the wrong column: the rows are checked once the header "
        "names every column"
    )


def _model_problems(
    exc: ValidationError,
    file: str,
    row: int,
    column_of: Mapping[str, str],
    hints: Mapping[str, str],
) -> list[Problem]:
    """Translate a pydantic error (a backstop: the cell parsers catch nearly everything)."""
    out: list[Problem] = []
    for error in exc.errors(include_url=False):
        field = str(error["loc"][0]) if error["loc"] else ""
        column = column_of.get(field, field) or None
        hint = hints.get(column or "", "")
        message = plain_message(error) + (f"; expected {hint}" if hint else "")
        out.append(Problem(file, row, column, message))
    return out


def _finish(problems: list[Problem]) -> tuple[Problem, ...]:
    # whole-file problems first, then row by row (stable: columns keep their order)
    return tuple(sorted(problems, key=lambda p: (p.row is not None, p.row or 0)))


# --- public loaders ------------------------------------------------------------------------


def load_roster(
    data: bytes,
    filename: str = "roster.csv",
    *,
    max_bytes: int = MAX_BYTES,
    max_unzipped_bytes: int = MAX_UNZIPPED_BYTES,
) -> Loaded[tuple[Person, ...]]:
    r"""Read a roster (CSV or XLSX bytes), reporting every problem; see the module docstring.

    >>> r = load_roster(b'name,salary,start_date,end_date,employment\r\n'
    ...                 b'"Lee, Zo\xc3\xab","$65,000.00",2024-03-01,,W-2\r\n', "roster.csv")
    >>> p = r.unwrap()[0]
    >>> p.name, p.salary, p.employment.value, p.full_time
    ('Lee, Zoë', Decimal('65000.00'), 'w2', True)
    """
    sheet, problems = read_cells(
        data, filename, max_bytes, max_unzipped_bytes, "a roster as CSV text"
    )
    if sheet is None:
        return Loaded(None, tuple(problems))
    rows, more, header_ok = _parse_rows(sheet, _ROSTER_SPEC, ROSTER_REQUIRED, "roster", "person")
    problems += more
    hints = {c.name: c.hint for c in _ROSTER_SPEC}
    people: list[Person] = []
    seen: dict[str, int] = {}
    ids: dict[str, int] = {}  # employee ids, case folded -> row
    for number, values, clean, texts in rows:
        # compared by tel.core.text.name_key, on the cell's text: a name refused for an invisible
        # character is reported as the duplicate it would look like, too
        name = texts.get("name", "")
        if name:
            key = name_key(name)
            if key in seen:
                problems.append(
                    Problem(
                        filename,
                        number,
                        "name",
                        f"{_show(name)} appears twice (rows {seen[key]} and {number}); "
                        "expected each person once (names must be unique, ignoring case)",
                    )
                )
                clean = False
            else:
                seen[key] = number
        ident = values.get("employee_id")
        if isinstance(ident, str) and ident:
            if ident.casefold() in ids:
                problems.append(
                    Problem(
                        filename,
                        number,
                        "employee_id",
                        f"{_show(ident)} appears twice (rows {ids[ident.casefold()]} and "
                        f"{number}); expected each person's own id, or blank",
                    )
                )
                clean = False
            else:
                ids[ident.casefold()] = number
        start, end = values.get("start_date"), values.get("end_date")
        if isinstance(start, date) and isinstance(end, date) and end < start:
            problems.append(
                Problem(
                    filename,
                    number,
                    "end_date",
                    f"{end.isoformat()} is before the start_date {start.isoformat()}; "
                    "expected a date on or after the start date, or blank",
                )
            )
            clean = False
        if not (header_ok and clean):
            continue
        try:
            people.append(Person.model_validate(values))
        except ValidationError as exc:
            problems += _model_problems(exc, filename, number, {}, hints)
    final = _finish(problems)
    if any(p.is_error for p in final):
        return Loaded(None, final)
    return Loaded(tuple(people), final)


def load_months(
    data: bytes,
    filename: str = "months.csv",
    *,
    max_bytes: int = MAX_BYTES,
    max_unzipped_bytes: int = MAX_UNZIPPED_BYTES,
) -> Loaded[tuple[Month, ...]]:
    r"""Read the monthly figures (CSV or XLSX bytes), reporting every problem.

    >>> r = load_months(b"Month, GP ,Cash_On_Hand,AR_total,ar_90_plus\n"
    ...                 b"2026-08,-1200,0,100,200\n", "months.csv")
    >>> for p in r.problems: print(p)
    months.csv row 2, column ar_90_plus: $200.00 is more than ar_total $100.00; expected the part of ar_total over 90 days, at most ar_total
    """  # noqa: E501
    sheet, problems = read_cells(
        data, filename, max_bytes, max_unzipped_bytes, "monthly figures as CSV text"
    )
    if sheet is None:
        return Loaded(None, tuple(problems))
    rows, more, header_ok = _parse_rows(sheet, _MONTHS_SPEC, MONTHS_REQUIRED, "months", "month")
    problems += more
    hints = {c.name: c.hint for c in _MONTHS_SPEC}
    months: list[Month] = []
    seen: dict[tuple[int, int], int] = {}
    for number, values, clean, texts in rows:
        ym = values.pop("month", None)
        if isinstance(ym, tuple):
            label = f"{ym[0]:04d}-{ym[1]:02d}"
            if ym in seen:
                problems.append(
                    Problem(
                        filename,
                        number,
                        "month",
                        f"{label} appears twice (rows {seen[ym]} and {number}); "
                        "expected one row per month",
                    )
                )
                clean = False
            else:
                seen[ym] = number
            values["year"], values["month"] = ym
        total, over90 = values.get("ar_total"), values.get("ar_90_plus")
        for blank, given in (("ar_total", "ar_90_plus"), ("ar_90_plus", "ar_total")):
            if (header_ok and not texts.get(blank) and texts.get(given)
                    and given in values):
                problems.append(
                    Problem(
                        filename,
                        number,
                        blank,
                        f"is blank while {given} is not; expected both A/R figures from the "
                        "month's aging report, or both blank when there is none",
                    )
                )
                clean = False
        if isinstance(total, Decimal) and isinstance(over90, Decimal) and over90 > total:
            problems.append(
                Problem(
                    filename,
                    number,
                    "ar_90_plus",
                    f"{format_money(to_cents(over90))} is more than ar_total "
                    f"{format_money(to_cents(total))}; expected the part of "
                    "ar_total over 90 days, at most ar_total",
                )
            )
            clean = False
        if not (header_ok and clean):
            continue
        try:
            months.append(Month.model_validate(values))
        except ValidationError as exc:
            problems += _model_problems(
                exc, filename, number, {"year": "month", "month": "month"}, hints
            )
    gap = _gap_warning(filename, seen)
    if gap is not None:
        problems.append(gap)
    final = _finish(problems)
    if any(p.is_error for p in final):
        return Loaded(None, final)
    return Loaded(tuple(months), final)


def load_scores(
    data: bytes,
    filename: str = "scores.csv",
    *,
    names: Iterable[str] | None = None,
    quarters: Iterable[str] | None = None,
    max_bytes: int = MAX_BYTES,
    max_unzipped_bytes: int = MAX_UNZIPPED_BYTES,
) -> Loaded[tuple[Score, ...]]:
    r"""Read a scores file (section 12: ``name,quarter,performance``), reporting every
    problem. With ``names`` (the roster's) and ``quarters`` (those with a booked month), an
    unknown name or quarter is an error, as is a second score for one person and quarter.

    >>> r = load_scores(b"name,quarter,performance\nAnn,2026-Q3,1.2\nBob,2026-Q9,x\n",
    ...                 names=["Ann"], quarters=["2026-Q3"])
    >>> for p in r.problems: print(p)
    scores.csv row 3, column quarter: '2026-Q9' is not a quarter; expected a fiscal quarter as YYYY-QN, like 2026-Q3
    scores.csv row 3, column performance: 'x' is not a number; expected a multiplier from 0 to 100, like 1.2
    scores.csv row 3, column name: 'Bob' is not on the roster; expected a name exactly as on the roster
    """  # noqa: E501
    sheet, problems = read_cells(
        data, filename, max_bytes, max_unzipped_bytes, "performance scores as CSV text"
    )
    if sheet is None:
        return Loaded(None, tuple(problems))
    rows, more, header_ok = _parse_rows(sheet, _SCORES_SPEC, SCORES_COLUMNS, "scores", "score")
    problems += more
    known = None if names is None else set(names)
    booked = None if quarters is None else set(quarters)
    seen: dict[tuple[str, str], int] = {}
    scores: list[Score] = []
    for number, values, clean, _ in rows:
        name, quarter = values.get("name"), values.get("quarter")
        if isinstance(name, str) and known is not None and name not in known:
            problems.append(Problem(filename, number, "name", f"{_show(name)} is not on the "
                                    "roster; expected a name exactly as on the roster"))
            clean = False
        if isinstance(quarter, str) and booked is not None and quarter not in booked:
            problems.append(Problem(filename, number, "quarter", f"{quarter} has no booked "
                                    "month; expected a quarter of the months file"))
            clean = False
        if isinstance(name, str) and isinstance(quarter, str):
            if (name, quarter) in seen:
                problems.append(Problem(filename, number, "quarter", f"{_show(name)} has a "
                                        f"score for {quarter} already (row "
                                        f"{seen[(name, quarter)]}); expected one a quarter"))
                clean = False
            seen.setdefault((name, quarter), number)
        if header_ok and clean:
            scores.append(Score.model_validate(values))
    final = _finish(problems)
    if any(p.is_error for p in final):
        return Loaded(None, final)
    return Loaded(tuple(scores), final)


def _gap_warning(file: str, booked: Iterable[tuple[int, int]]) -> Problem | None:
    """A warning naming every month missing between the first and the last booked month.

    Months not yet booked at the end are not a gap (a quarter to date), nor months before the
    first: only a hole in the middle would quietly make a quarter "2 of 3 months".

    >>> print(_gap_warning("months.csv", [(2026, 7), (2026, 9), (2026, 10)]))
    months.csv column month: 2026-08 is missing between 2026-07 and 2026-10; a quarter with a missing month is figured on the months it has, so add it (with its real figures, even a GP of 0)
    >>> _gap_warning("months.csv", [(2025, 12), (2026, 1)]) is None
    True
    """  # noqa: E501
    index = sorted({year * 12 + month - 1 for year, month in booked})
    if len(index) < 2:
        return None
    have = set(index)
    runs: list[tuple[int, int]] = []
    for i in range(index[0], index[-1] + 1):
        if i in have:
            continue
        if runs and runs[-1][1] == i - 1:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    if not runs:
        return None

    def label(i: int) -> str:
        return f"{i // 12:04d}-{i % 12 + 1:02d}"

    shown: list[str] = []
    for a, b in runs:  # three or more in a row as a range
        run = [label(i) for i in range(a, b + 1)]
        shown += [f"{run[0]} to {run[-1]}"] if len(run) >= 3 else run
    more = f" (and {len(shown) - 12} more)" if len(shown) > 12 else ""
    shown = shown[:12]
    count = sum(b - a + 1 for a, b in runs)
    listed = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + f" and {shown[-1]}"
    listed += more
    verb = "is" if count == 1 else "are"
    return Problem(
        file,
        None,
        "month",
        f"{listed} {verb} missing between {label(index[0])} and {label(index[-1])}; a quarter "
        f"with a missing month is figured on the months it has, so add "
        f"{'it' if count == 1 else 'them'} (with "
        f"{'its' if count == 1 else 'their'} real figures, even a GP of 0)",
        "warning",
    )


def load_plan(
    data: bytes, filename: str = "plan.toml", *, max_bytes: int = MAX_BYTES
) -> Loaded[Plan]:
    r"""Read a plan file (TOML bytes); see :mod:`tel.io.planfile` for what it must hold.

    >>> [str(p) for p in load_plan(b"[split]\nhouse_pct = 30\nteam_pct = 50\n").problems]
    ... # doctest: +NORMALIZE_WHITESPACE
    ["plan.toml [threshold]: is missing; expected the section with the company's own overhead,
      debt_service, owner_retention and ni_retention",
     "plan.toml [gates]: is missing; expected the section with the company's own min_cash and
      max_ar90_pct"]
    """

    if len(data) > max_bytes:
        return Loaded(None, (_too_big(filename, _mb(len(data)), max_bytes),))
    suffix = Path(filename).suffix.lower()
    if suffix not in (".toml", ".txt", ""):
        return Loaded(
            None,
            (
                Problem(
                    filename,
                    None,
                    None,
                    f"is a {_show(suffix)} file; expected a plan as a .toml file",
                ),
            ),
        )
    text, problems = _decode_text(data, filename, "a plan as TOML text")
    if text is None:
        return Loaded(None, tuple(problems))
    loaded = plan_from_toml(text, filename)
    return Loaded(loaded.value, tuple(problems) + loaded.problems)


# --- path helpers ----------------------------------------------------------------------------

StrPath = str | PathLike[str]
_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # POSIX; Windows has no FIFOs to block on


def read_file(path: StrPath, max_bytes: int = MAX_BYTES) -> tuple[bytes | None, Problem | None]:
    """A file's bytes, or the one problem that stops them: missing, a folder, unreadable, too
    big, or not a regular file. Shared by the CLI and the dashboard's start files.

    A named pipe, a device or a socket is refused without waiting on it: the file is opened
    non-blocking and checked with ``fstat`` before anything is read (a FIFO with no writer would
    otherwise hang forever, ``/dev/zero`` never end). A regular file over ``max_bytes`` is
    refused by its size, and never more than ``max_bytes + 1`` bytes are read.

    >>> print(read_file("/dev/null")[1])
    /dev/null: is not a regular file (a device); expected the path of a file
    """
    file = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | _O_NONBLOCK)
    except FileNotFoundError:
        return None, Problem(file, None, None, "does not exist; expected the path of a file")
    except IsADirectoryError:
        return None, Problem(file, None, None, "is a folder; expected the path of a file")
    except PermissionError:
        return None, Problem(file, None, None, "cannot be read (permission denied)")
    except OSError as exc:
        return None, Problem(file, None, None, f"cannot be read ({exc.strerror or exc})")
    data = b""
    try:
        info = os.fstat(fd)
        problem = _not_readable(file, info.st_mode, info.st_size, max_bytes)
        if problem is None:
            with os.fdopen(fd, "rb", closefd=False) as handle:
                data = handle.read(max_bytes + 1)  # never more than the limit into memory
    except OSError as exc:
        problem = Problem(file, None, None, f"cannot be read ({exc.strerror or exc})")
    finally:
        os.close(fd)
    if problem is None and len(data) > max_bytes:  # it grew since fstat
        problem = _too_big(file, "larger than that", max_bytes)
    return (None, problem) if problem is not None else (data, None)


def _not_readable(file: str, mode: int, size: int, max_bytes: int) -> Problem | None:
    if stat.S_ISDIR(mode):
        return Problem(file, None, None, "is a folder; expected the path of a file")
    if not stat.S_ISREG(mode):
        if stat.S_ISFIFO(mode):
            kind = "a named pipe"
        elif stat.S_ISSOCK(mode):
            kind = "a socket"
        elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
            kind = "a device"
        else:
            kind = "something else"
        return Problem(
            file, None, None, f"is not a regular file ({kind}); expected the path of a file"
        )
    if size > max_bytes:
        return _too_big(file, _mb(size), max_bytes)
    return None


_read_path = read_file


def read_roster(
    path: StrPath,
    *,
    max_bytes: int = MAX_BYTES,
    max_unzipped_bytes: int = MAX_UNZIPPED_BYTES,
) -> Loaded[tuple[Person, ...]]:
    """:func:`load_roster` on a file's bytes; a missing or unreadable file is a problem too."""
    data, problem = _read_path(path, max_bytes)
    if data is None:
        return Loaded(None, (problem,) if problem else ())
    return load_roster(data, str(path), max_bytes=max_bytes, max_unzipped_bytes=max_unzipped_bytes)


def read_months(
    path: StrPath,
    *,
    max_bytes: int = MAX_BYTES,
    max_unzipped_bytes: int = MAX_UNZIPPED_BYTES,
) -> Loaded[tuple[Month, ...]]:
    """:func:`load_months` on a file's bytes; a missing or unreadable file is a problem too."""
    data, problem = _read_path(path, max_bytes)
    if data is None:
        return Loaded(None, (problem,) if problem else ())
    return load_months(data, str(path), max_bytes=max_bytes, max_unzipped_bytes=max_unzipped_bytes)


def read_plan(path: StrPath, *, max_bytes: int = MAX_BYTES) -> Loaded[Plan]:
    """:func:`load_plan` on a file's bytes; a missing or unreadable file is a problem too."""
    data, problem = _read_path(path, max_bytes)
    if data is None:
        return Loaded(None, (problem,) if problem else ())
    return load_plan(data, str(path), max_bytes=max_bytes)


def read_scenario(
    plan: StrPath,
    roster: StrPath,
    months: StrPath,
    scores: StrPath | None = None,
    *,
    max_bytes: int = MAX_BYTES,
    max_unzipped_bytes: int = MAX_UNZIPPED_BYTES,
) -> Loaded[Scenario]:
    """All the files; the problems of all of them, in the order plan, roster, months, scores.
    Scores are checked against the roster's names and the months' quarters when those read."""
    p = read_plan(plan, max_bytes=max_bytes)
    r = read_roster(roster, max_bytes=max_bytes, max_unzipped_bytes=max_unzipped_bytes)
    m = read_months(months, max_bytes=max_bytes, max_unzipped_bytes=max_unzipped_bytes)
    problems = p.problems + r.problems + m.problems
    read: tuple[Score, ...] = ()
    if scores is not None:
        data, problem = _read_path(scores, max_bytes)
        if data is None:
            problems += (problem,) if problem else ()
        else:
            names = None if r.value is None else [x.name for x in r.value]
            quarters = None
            if p.value is not None and m.value is not None:
                fys = p.value.fiscal_year_start
                quarters = [str(Quarter.containing(x.ym, fys)) for x in m.value]
            s = load_scores(data, str(scores), names=names, quarters=quarters,
                            max_bytes=max_bytes, max_unzipped_bytes=max_unzipped_bytes)
            problems += s.problems
            read = s.value or ()
    if p.value is None or r.value is None or m.value is None or any(x.is_error for x in problems):
        return Loaded(None, problems)
    return Loaded(Scenario(plan=p.value, roster=r.value, months=m.value, scores=read), problems)
