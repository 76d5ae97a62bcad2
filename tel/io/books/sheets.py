"""An exported report as tables of text cells: CSV through the loaders' reader, XLSX here.

Every cell arrives as a string, as the loaders read uploads. A CSV file goes through
:func:`tel.io.loaders.read_cells` (UTF-8 or Windows-1252, strict quoting, size limits). A
workbook is checked the same way before anything is parsed (size, members, uncompressed size,
``defusedxml`` active for openpyxl), then every worksheet is read (a QuickBooks Desktop user may
have put the profit and loss and the balance sheet in one workbook), and each number becomes the
exact decimal of its cell:

* a number cell is the decimal of its stored binary value (``repr``, the shortest text that
  is that value): ``460692.48000000004`` is ``460692.48``, the whole cents it stands for
  (binary noise far below a cent is dropped; an amount with real sub-cent digits is kept, and
  refused where it is used);
* a formula cell is evaluated exactly from the cells it names (:mod:`tel.io.books.formula`),
  never taken from the float the workbook cached; when the cache disagrees (Xero can save a
  stale ``0.00``) the cell carries a note, and when the formula is outside the small grammar
  the cached value is used.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from pathlib import Path

from tel.io.books.formula import Unsupported, evaluate
from tel.io.books.labels import parse_amount
from tel.io.loaders import MAX_ROWS, read_cells
from tel.io.problems import Problem

__all__ = ["Table", "column_letter", "read_tables", "snap"]

_ZIP_MAGIC = b"PK\x03\x04"
_MAX_MEMBERS = 10_000
_MAX_SHEETS = 50
_MAX_COLUMNS = 200
_MAX_DEPTH = 200
_CENT = Decimal("0.01")


def column_letter(index: int) -> str:
    """0-based column index -> letters (0 -> A, 27 -> AB).

    >>> column_letter(0), column_letter(27)
    ('A', 'AB')
    """
    letters = ""
    n = index + 1
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return letters


@dataclass(frozen=True, slots=True)
class Table:
    """One worksheet (or a CSV file) as text cells.

    ``file`` names it in problems (``book.xlsx (sheet Profit and Loss)`` when a workbook has
    several sheets); ``rows`` holds the rows that are not blank as ``(row number, cells)``,
    row numbers as a spreadsheet shows them; ``notes`` says something about single cells,
    by ``(row number, column index)`` (a stale cached formula value, say).
    """

    file: str
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    notes: Mapping[tuple[int, int], str] = field(default_factory=dict)

    def cell(self, row: int, column: int) -> str:
        for number, cells in self.rows:
            if number == row:
                return cells[column] if column < len(cells) else ""
        return ""


def snap(value: Decimal) -> Decimal | None:
    """``value`` as whole cents when it is within binary noise of them, else ``None``.

    >>> snap(Decimal("460692.48000000004")), snap(Decimal("112.91999999999996"))
    (Decimal('460692.48'), Decimal('112.92'))
    >>> snap(Decimal("0.125")) is None
    True
    """
    cents = value.quantize(_CENT, rounding=ROUND_HALF_EVEN)
    tolerance = max(Decimal("1e-9"), abs(value) * Decimal("1e-12"))
    return cents if abs(value - cents) <= tolerance else None


def _number_text(value: Decimal) -> str:
    cents = snap(value)
    return f"{cents:f}" if cents is not None else f"{value:f}"


def _exact(value: float | int) -> Decimal:
    """A stored number as the decimal of its shortest round-tripping text: never arithmetic
    on the float itself."""
    return Decimal(value) if isinstance(value, int) else Decimal(repr(value))


# --- CSV ----------------------------------------------------------------------------------


def _is_workbook(data: bytes, file: str) -> bool:
    suffix = Path(file).suffix.lower()
    return suffix == ".xlsx" or (suffix != ".csv" and data.startswith(_ZIP_MAGIC))


def read_tables(
    data: bytes, file: str, *, max_bytes: int, max_unzipped_bytes: int
) -> tuple[list[Table], list[Problem]]:
    """A CSV file (one table) or an XLSX workbook (one table per worksheet), with the
    problems that stopped or marked the reading."""
    if len(data) > max_bytes or not _is_workbook(data, file):
        sheet, problems = read_cells(
            data, file, max_bytes, max_unzipped_bytes, "a report exported as CSV"
        )
        if sheet is None:
            return [], problems
        return [Table(file, sheet.rows)], problems
    return _read_xlsx(data, file, max_unzipped_bytes)


# --- XLSX ---------------------------------------------------------------------------------


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.3g} MB"


def _unreadable(file: str, exc: BaseException) -> Problem:
    cause: BaseException | None = exc
    for _ in range(10):
        if cause is None:
            break
        if type(cause).__module__.startswith("defusedxml"):
            return Problem(file, None, None, "holds XML entity or DTD declarations, refused as "
                           "unsafe; expected a report exported from the accounting system")
        cause = cause.__cause__ or cause.__context__
    detail = str(exc).splitlines()[0][:120] if str(exc) else ""
    reason = type(exc).__name__ + (f": {detail}" if detail else "")
    return Problem(file, None, None, f"could not be read as an Excel workbook ({reason}); "
                   "expected a report exported to Excel (.xlsx) or CSV")


def _read_xlsx(data: bytes, file: str, max_unzipped: int) -> tuple[list[Table], list[Problem]]:
    not_workbook = Problem(file, None, None, "is not an Excel .xlsx workbook; expected a "
                           "report exported to Excel (.xlsx) or CSV (password-protected "
                           "workbooks cannot be read)")
    if not data.startswith(_ZIP_MAGIC):
        return [], [not_workbook]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return [], [not_workbook]
    if len(members) > _MAX_MEMBERS:
        return [], [Problem(file, None, None, f"holds {len(members):,} files; refused as unsafe")]
    unzipped = sum(m.file_size for m in members)
    if unzipped > max_unzipped:
        return [], [Problem(file, None, None, f"would unpack to {_mb(unzipped)}, over the "
                            f"{_mb(max_unzipped)} limit; refused as unsafe")]

    import defusedxml  # noqa: F401  (before openpyxl picks its XML parser)
    import openpyxl

    if openpyxl.DEFUSEDXML is not True:
        return [], [Problem(file, None, None, "cannot be read safely: openpyxl is not using "
                            "defusedxml (is OPENPYXL_DEFUSEDXML set to False?); export the "
                            "report as CSV instead")]
    try:
        formulas = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on a broken or hostile workbook
        return [], [_unreadable(file, exc)]
    try:
        cached = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        formulas.close()
        return [], [_unreadable(file, exc)]
    tables: list[Table] = []
    problems: list[Problem] = []
    try:
        sheets = list(zip(formulas.worksheets, cached.worksheets, strict=False))
        if not sheets:
            return [], [Problem(file, None, None, "has no worksheet; expected one")]
        if len(sheets) > _MAX_SHEETS:
            problems.append(Problem(file, None, None, f"has {len(sheets)} worksheets; only "
                                    f"the first {_MAX_SHEETS} were read", "warning"))
            sheets = sheets[:_MAX_SHEETS]
        for f_sheet, c_sheet in sheets:
            name = file if len(sheets) == 1 else f"{file} (sheet {f_sheet.title})"
            raw, too_many = _raw_cells(f_sheet, c_sheet)
            if too_many:
                return [], [Problem(name, None, None, f"has data beyond row {MAX_ROWS:,}; "
                                    "expected a smaller report")]
            tables.append(_table(name, raw))
    except Exception as exc:  # malformed XML, forbidden entities, bad styles, ...
        return [], [_unreadable(file, exc)]
    finally:
        formulas.close()
        cached.close()
    return tables, problems


@dataclass(frozen=True, slots=True)
class _Raw:
    """A cell as stored: ``n`` a number, ``s`` text, ``d`` a date (ISO text), ``f`` a formula
    with the value the workbook cached for it."""

    kind: str
    text: str = ""
    number: Decimal = Decimal(0)
    cached: object = None


def _raw_cells(
    f_sheet: object, c_sheet: object
) -> tuple[dict[tuple[int, int], _Raw], bool]:
    raw: dict[tuple[int, int], _Raw] = {}
    f_rows = f_sheet.iter_rows(min_row=1, max_col=_MAX_COLUMNS)  # type: ignore[attr-defined]
    c_rows = c_sheet.iter_rows(  # type: ignore[attr-defined]
        min_row=1, max_col=_MAX_COLUMNS, values_only=True)
    for number, (f_cells, c_values) in enumerate(zip(f_rows, c_rows, strict=False), start=1):
        for col, f_cell in enumerate(f_cells):
            value = getattr(f_cell, "value", None)
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            if number > MAX_ROWS:
                return raw, True
            kind = getattr(f_cell, "data_type", "s")
            if kind == "f" or (isinstance(value, str) and value.startswith("=")
                               and kind not in ("s", "inlineStr")):
                cached_value = c_values[col] if col < len(c_values) else None
                raw[(number, col + 1)] = _Raw("f", str(value), cached=cached_value)
            elif isinstance(value, bool):
                raw[(number, col + 1)] = _Raw("s", "true" if value else "false")
            elif isinstance(value, datetime):
                raw[(number, col + 1)] = _Raw("d", value.date().isoformat())
            elif isinstance(value, date):
                raw[(number, col + 1)] = _Raw("d", value.isoformat())
            elif isinstance(value, int | float):
                try:
                    raw[(number, col + 1)] = _Raw("n", number=_exact(value))
                except (InvalidOperation, ValueError):
                    raw[(number, col + 1)] = _Raw("s", str(value))
            else:
                raw[(number, col + 1)] = _Raw("s", str(value).strip())
    return raw, False


def _cached_text(value: object) -> tuple[str, Decimal | None]:
    if value is None:
        return "", None
    if isinstance(value, bool):
        return ("true" if value else "false"), None
    if isinstance(value, int | float):
        try:
            exact = _exact(value)
        except (InvalidOperation, ValueError):
            return str(value), None
        if not exact.is_finite():
            return str(value), None
        return _number_text(exact), exact
    if isinstance(value, datetime):
        return value.date().isoformat(), None
    return str(value).strip(), None


def _table(name: str, raw: dict[tuple[int, int], _Raw]) -> Table:
    memo: dict[tuple[int, int], Decimal] = {}
    failed: set[tuple[int, int]] = set()
    busy: set[tuple[int, int]] = set()

    def lookup(row: int, col: int, depth: int = 0) -> Decimal:
        cell = raw.get((row, col))
        if cell is None:
            return Decimal(0)
        if cell.kind == "n":
            if not cell.number.is_finite():
                raise Unsupported("not a finite number")
            cents = snap(cell.number)
            return cell.number if cents is None else cents
        if cell.kind == "s":
            try:
                amount = parse_amount(cell.text)
            except ValueError:
                raise Unsupported("a text cell") from None
            return Decimal(0) if amount is None else amount
        if cell.kind == "f":
            return formula_value(row, col, depth + 1)
        raise Unsupported("a date cell")

    def formula_value(row: int, col: int, depth: int) -> Decimal:
        where = (row, col)
        if where in memo:
            return memo[where]
        if where in failed or where in busy or depth > _MAX_DEPTH:
            raise Unsupported("circular or too deep")
        busy.add(where)
        try:
            value = evaluate(raw[where].text, lambda r, c: lookup(r, c, depth))
        except Unsupported:
            failed.add(where)
            raise
        finally:
            busy.discard(where)
        memo[where] = value
        return value

    notes: dict[tuple[int, int], str] = {}
    texts: dict[tuple[int, int], str] = {}
    for (row, col), cell in sorted(raw.items()):
        if cell.kind == "n":
            number = cell.number
            texts[(row, col)] = _number_text(number) if number.is_finite() else str(number)
        elif cell.kind in ("s", "d"):
            texts[(row, col)] = cell.text
        else:
            formula, cached = cell.text, cell.cached
            cached_text, cached_exact = _cached_text(cached)
            try:
                exact = formula_value(row, col, 0)
            except Unsupported:
                texts[(row, col)] = cached_text
                if cached is None:
                    notes[(row, col - 1)] = (f"holds a formula ({formula[:40]}) that "
                                             "could not be evaluated and no saved value")
                continue
            text = _number_text(exact)
            texts[(row, col)] = text
            if cached_exact is not None and snap(cached_exact) != snap(exact):
                notes[(row, col - 1)] = (f"saved the value {cached_text} but its formula "
                                         f"({formula[:40]}) gives {text}; the formula's "
                                         "value was read")
    rows: dict[int, dict[int, str]] = {}
    for (row, col), text in texts.items():
        if text:
            rows.setdefault(row, {})[col - 1] = text
    table_rows = tuple(
        (number, tuple(cells.get(i, "") for i in range(max(cells) + 1)))
        for number, cells in sorted(rows.items())
    )
    return Table(name, table_rows, notes)
