"""Read one report: a profit and loss by month, a balance sheet by month, an A/R aging summary.

A report is found by its content, never by fixed positions: the title rows say what it is
(``Profit and Loss``, ``Balance Sheet``, ``A/R Aging Summary``, ``Aged Receivables Summary``)
or, without a title (a QuickBooks Desktop sheet), its rows do (a ``Gross Profit`` line, a bank
total, aging columns). The column headings row is the first row whose headings name periods
(``January 2025``, ``Sep 30, 22``, ``Total``), and only the report's own lines are read: the
``Gross Profit`` row, the bank accounts' total, the aging's ``Total`` row. Nested accounts and
their subtotals are never added up, so nothing is counted twice; footers (``Accrual Basis
Monday, ...``) and title lines are not rows of figures. Every figure keeps the file, row and
column it came from.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from tel.core.money import MONEY_LIMIT, format_money, to_cents
from tel.io.books.labels import Bucket, Heading, as_of, bucket, heading, key, parse_amount
from tel.io.books.sheets import Table, column_letter
from tel.io.problems import Problem

__all__ = [
    "KIND_WORDS",
    "Aging",
    "Cell",
    "Figure",
    "Kind",
    "choose",
    "read_aging",
    "read_balance_sheet",
    "read_profit_loss",
]

YearMonth = tuple[int, int]
Kind = Literal["profit_loss", "balance_sheet", "aging", "cash_flow", "payables", "unknown"]
KIND_WORDS: dict[Kind, str] = {
    "profit_loss": "a profit and loss",
    "balance_sheet": "a balance sheet",
    "aging": "an A/R aging summary",
    "cash_flow": "a statement of cash flows",
    "payables": "an A/P (payables) aging report",
    "unknown": "a report this reader does not recognise",
}
_HEADER_SEARCH = 60  # the column headings are within the first rows that are not blank


@dataclass(frozen=True, slots=True)
class Cell:
    """Where one figure was read: file, spreadsheet row, 0-based column, the row's label."""

    file: str
    row: int
    column: int
    label: str

    def __str__(self) -> str:
        return f"{self.file} row {self.row}, column {column_letter(self.column)}"


@dataclass(frozen=True, slots=True)
class Figure:
    """One month's figure of a report, exact, with its cell."""

    ym: YearMonth
    amount: Decimal
    source: Cell


@dataclass(frozen=True, slots=True)
class Aging:
    """An A/R aging summary: its "as of" day, the report's total and the part over 90 days."""

    file: str
    as_of: date
    total: Decimal
    over_90: Decimal
    source: Cell  # the Total row's Total cell
    as_of_row: int
    over_90_columns: tuple[str, ...]  # the headings counted as over 90 days

    @property
    def ym(self) -> YearMonth:
        return (self.as_of.year, self.as_of.month)

    @property
    def month_end(self) -> bool:
        return self.as_of.day == calendar.monthrange(self.as_of.year, self.as_of.month)[1]


# --- what a table is ------------------------------------------------------------------------

# a title line *starts* with the report's name ("Profit and Loss by Month", "Balance Sheet
# Comparison"); a company name that merely contains such words ("Fair Cash Flow Ltd") is not one
_TITLE_WORDS: tuple[tuple[Kind, tuple[str, ...]], ...] = (
    ("payables", ("a/p aging", "ap aging", "aged payables", "accounts payable aging")),
    ("aging", ("a/r aging", "ar aging", "aged receivables", "accounts receivable aging",
               "receivables aging", "aged debtors")),
    ("cash_flow", ("statement of cash flows", "cash flow statement", "cash flows")),
    ("balance_sheet", ("balance sheet", "statement of financial position")),
    ("profit_loss", ("profit and loss", "profit & loss", "profit/loss", "income statement",
                     "statement of operations", "statement of profit", "p&l")),
)
_BANK_TOTALS = frozenset({"bank accounts", "bank", "checking/savings", "checking and savings",
                          "cash at bank", "bank and cash"})
_CASH_TOTALS = frozenset({"cash and cash equivalents", "cash and cash equivalent",
                          "cash & cash equivalents"})


def _total_of(label: str) -> str | None:
    """``Total for Bank Accounts`` / ``Total Bank`` -> what it totals (``bank accounts``)."""
    k = key(label)
    for prefix in ("total for ", "total "):
        if k.startswith(prefix):
            return k[len(prefix):].strip()
    return None


def _is_amount(text: str) -> bool:
    try:
        return parse_amount(text) is not None
    except ValueError:
        return False


def _period_header(table: Table) -> int | None:
    """Index in ``table.rows`` of the column headings row of a report by period: the first
    row with two cells or more, one naming a period or a total, none an amount."""
    for i, (_, cells) in enumerate(table.rows[:_HEADER_SEARCH]):
        filled = [c for c in cells if c]
        if len(filled) < 2 or any(_is_amount(c) for c in filled):
            continue
        if any(heading(c).kind != "other" for c in filled):
            return i
    return None


def _aging_header(table: Table) -> int | None:
    for i, (_, cells) in enumerate(table.rows[:_HEADER_SEARCH]):
        kinds = [bucket(c).kind for c in cells if c]
        if "current" in kinds and "total" in kinds:
            return i
    return None


def _label(cells: tuple[str, ...], before: int) -> str:
    return next((c.strip() for c in cells[:before] if c.strip()), "")


def detect(table: Table) -> tuple[Kind, str]:
    """What the table is, and the words that show it (for a message)."""
    header = _aging_header(table)
    if header is None:
        header = _period_header(table)
    title_rows = table.rows[: header if header is not None else 6]
    # the title line is the one the report's name fills most ("Profit and Loss" beats a
    # company called "Balance Sheet Pros LLC" on the line above it)
    found: list[tuple[float, int, Kind, str]] = []
    for number, cells in title_rows:
        for cell in cells:
            k = key(cell)
            for kind, words in _TITLE_WORDS:
                for w in words:
                    if k.startswith(w):
                        found.append((len(w) / len(k), -number, kind, cell.strip()))
    if found:
        _, number, kind, cell = max(found)
        return kind, f"its title on row {-number} is '{cell[:60]}'"
    if _aging_header(table) is not None:
        return "aging", "its columns are aging buckets"
    for number, cells in table.rows:
        label = key(_label(cells, len(cells)))
        total = _total_of(label)
        if label == "gross profit":
            return "profit_loss", f"row {number} is 'Gross Profit'"
        if total in _BANK_TOTALS or total in _CASH_TOTALS or label in ("total assets",
                                                                         "total for assets"):
            return "balance_sheet", f"row {number} is '{_label(cells, len(cells))[:60]}'"
    return "unknown", ""


def choose(tables: Sequence[Table], wanted: Kind, file: str) -> tuple[Table | None, list[Problem]]:
    """The worksheet of a file that is the ``wanted`` report; a problem when there is none
    (``is a balance sheet, not a profit and loss``) or a warning when several are."""
    found = [(t, *detect(t)) for t in tables]
    matching = [t for t, kind, _ in found if kind == wanted]
    if len(matching) > 1:
        return matching[0], [Problem(file, None, None, f"holds {len(matching)} sheets that are "
                                     f"{KIND_WORDS[wanted]}; only the first, "
                                     f"{matching[0].file}, was read", "warning")]
    if matching:
        return matching[0], []
    if not tables:
        return None, []
    others = [(t, kind, why) for t, kind, why in found if kind != "unknown"]
    expected = _EXPECTED[wanted]
    if others:
        t, kind, why = others[0]
        where = "" if t.file == file else f" ({t.file})"
        return None, [Problem(file, None, None, f"is {KIND_WORDS[kind]}{where}, not "
                              f"{KIND_WORDS[wanted]} ({why}); expected {expected}")]
    return None, [Problem(file, None, None, f"is not {KIND_WORDS[wanted]} ({_MISSING[wanted]});"
                          f" expected {expected}")]


_EXPECTED: dict[Kind, str] = {
    "profit_loss": "a profit and loss by month (QuickBooks: Profit and Loss by Month, or "
    "columns by Months; Xero: Profit and Loss compared with the previous months)",
    "balance_sheet": "a balance sheet by month (QuickBooks: Balance Sheet with columns by "
    "Months; Xero: Balance Sheet compared with the previous months)",
    "aging": "an A/R aging summary as of a month's end (QuickBooks: A/R Aging Summary; "
    "Xero: Aged Receivables Summary)",
}
_MISSING: dict[Kind, str] = {
    "profit_loss": "no title says so and it has no Gross Profit row",
    "balance_sheet": "no title says so and it has no total of bank accounts",
    "aging": "no title says so and it has no Current and Total columns",
}


# --- reading figures -------------------------------------------------------------------------


def _amount(table: Table, number: int, cells: tuple[str, ...], col: int, label: str,
            problems: list[Problem]) -> Decimal | None:
    """A report cell's amount (blank is 0: reports leave zeros out), or ``None`` with the
    problem recorded."""
    text = cells[col] if col < len(cells) else ""
    letter = column_letter(col)
    note = table.notes.get((number, col))
    if note:
        problems.append(Problem(table.file, number, letter, note, "warning"))
    try:
        value = parse_amount(text)
    except ValueError as exc:
        problems.append(Problem(table.file, number, letter, f"{label}: {exc}; expected an "
                                "amount as the report writes it, like 1,234.56"))
        return None
    if value is None:
        return Decimal("0.00")
    if abs(value) >= MONEY_LIMIT:
        problems.append(Problem(table.file, number, letter, f"{label}: '{text}' is too large; "
                                "any amount must be under $10,000,000,000 in size"))
        return None
    return value


@dataclass(frozen=True, slots=True)
class _Columns:
    header_row: int
    label_end: int  # label cells are before this index
    months: dict[int, YearMonth]  # column index -> month


def _month_columns(table: Table, balance: bool, what: str,
                   problems: list[Problem]) -> _Columns | None:
    index = _period_header(table)
    if index is None:
        problems.append(Problem(table.file, None, None, f"has no row of column headings with "
                                f"months; expected {what} with one column per month"))
        return None
    number, cells = table.rows[index]
    heads = [heading(c) for c in cells]
    label_end = next(i for i, h in enumerate(heads) if h.kind != "other")
    months: dict[int, YearMonth] = {}
    seen: dict[YearMonth, int] = {}
    named: list[str] = []
    for col in range(label_end, len(cells)):
        text, h = cells[col].strip(), heads[col]
        if not text:
            continue
        named.append(f"'{text[:30]}'")
        ym = _month_of(h, balance)
        letter = column_letter(col)
        if ym is None:
            why = _not_a_month(h, balance)
            if why:
                problems.append(Problem(table.file, number, letter, f"'{text[:40]}' {why}; "
                                        "that column is not used", "warning"))
            continue
        if ym in seen:
            problems.append(Problem(table.file, number, letter, f"'{text[:40]}' is "
                                    f"{ym[0]:04d}-{ym[1]:02d} again (column "
                                    f"{column_letter(seen[ym])} too); expected one column per "
                                    "month"))
            continue
        seen[ym] = col
        months[col] = ym
    if not months and not any(p.is_error for p in problems):
        shown = ", ".join(named[:6]) + (" ..." if len(named) > 6 else "")
        problems.append(Problem(table.file, number, None, f"has no month columns (its columns "
                                f"are {shown or 'blank'}); expected {what} with one column per "
                                "month"))
        return None
    return _Columns(number, label_end, months)


def _month_of(h: Heading, balance: bool) -> YearMonth | None:
    if h.kind == "month":
        return h.ym
    if balance and h.kind == "date" and h.month_end:
        return h.ym
    return None


def _not_a_month(h: Heading, balance: bool) -> str:
    """Why a heading is not used, or "" when saying so is noise (totals, comparisons)."""
    if h.kind == "partial":
        return "covers only part of a month"
    if h.kind == "date":
        return ("is a day that is not a month's end" if balance
                else "is one day, not a month")
    if h.kind == "other":
        return "is not a month"
    return ""  # totals, year-to-date and spans of several months


def _rows_after(table: Table, header_row: int) -> list[tuple[int, tuple[str, ...]]]:
    return [(n, c) for n, c in table.rows if n > header_row]


def _figures(table: Table, columns: _Columns, number: int, cells: tuple[str, ...], label: str,
             problems: list[Problem]) -> dict[YearMonth, Figure]:
    out: dict[YearMonth, Figure] = {}
    for col, ym in columns.months.items():
        value = _amount(table, number, cells, col, label, problems)
        if value is not None:
            out[ym] = Figure(ym, value, Cell(table.file, number, col, label))
    return out


def read_profit_loss(table: Table) -> tuple[dict[YearMonth, Figure], list[Problem]]:
    """Each month's GP: the report's own ``Gross Profit`` row.

    Without that row (a chart with no cost of sales, in some layouts) GP is the report's
    total income line, minus its total cost of goods sold / cost of sales line when there is
    one, with a warning saying so. Never a sum of accounts.
    """
    problems: list[Problem] = []
    columns = _month_columns(table, False, "a profit and loss by month", problems)
    if columns is None:
        return {}, problems
    rows = _rows_after(table, columns.header_row)
    labelled = [(n, c, _label(c, columns.label_end)) for n, c in rows]
    gp_rows = [(n, c, lab) for n, c, lab in labelled if key(lab) == "gross profit"]
    if len(gp_rows) > 1:
        problems.append(Problem(table.file, gp_rows[1][0], None, "is a second Gross Profit row "
                                f"(the first is row {gp_rows[0][0]}); expected one"))
        return {}, problems
    if gp_rows:
        number, cells, label = gp_rows[0]
        return _figures(table, columns, number, cells, label, problems), problems
    return _gp_from_totals(table, columns, labelled, problems)


_INCOME = frozenset({"income", "trading income", "revenue", "revenues", "sales", "operating income",
                     "operating revenue", "ordinary income"})
_COGS = frozenset({"cost of goods sold", "cogs", "cost of sales", "direct costs",
                   "cost of revenue", "costs of goods sold"})


def _gp_from_totals(table: Table, columns: _Columns,
                    labelled: list[tuple[int, tuple[str, ...], str]],
                    problems: list[Problem]) -> tuple[dict[YearMonth, Figure], list[Problem]]:
    income = [(n, c, lab) for n, c, lab in labelled if _total_of(lab) in _INCOME]
    cogs = [(n, c, lab) for n, c, lab in labelled if _total_of(lab) in _COGS]
    cogs_heading = any(key(lab) in _COGS for _, _, lab in labelled)
    if len(income) != 1 or len(cogs) > 1 or (cogs_heading and not cogs):
        problems.append(Problem(table.file, None, None, "has no Gross Profit row (and no single "
                                "total income line to take it from); expected a profit and loss "
                                "with a Gross Profit line"))
        return {}, problems
    n_in, c_in, lab_in = income[0]
    figures = _figures(table, columns, n_in, c_in, lab_in, problems)
    if not cogs:
        problems.append(Problem(table.file, n_in, None, f"has no Gross Profit row and no cost "
                                f"of sales: GP is the report's '{lab_in}' line", "warning"))
        return figures, problems
    n_c, c_c, lab_c = cogs[0]
    costs = _figures(table, columns, n_c, c_c, lab_c, problems)
    problems.append(Problem(table.file, n_in, None, f"has no Gross Profit row: GP is "
                            f"'{lab_in}' (row {n_in}) minus '{lab_c}' (row {n_c})", "warning"))
    return {ym: Figure(ym, f.amount - costs[ym].amount, f.source)
            for ym, f in figures.items() if ym in costs}, problems


def read_balance_sheet(table: Table) -> tuple[dict[YearMonth, Figure], list[Problem]]:
    """Each month-end's cash on hand: the report's total of bank accounts (QuickBooks Online
    ``Total for Bank Accounts`` / ``Total Bank Accounts``, else ``Total Cash and Cash
    Equivalents``; QuickBooks Desktop ``Total Checking/Savings``; Xero ``Total Bank``)."""
    problems: list[Problem] = []
    columns = _month_columns(table, True, "a balance sheet by month", problems)
    if columns is None:
        return {}, problems
    rows = [(n, c, _label(c, columns.label_end)) for n, c in _rows_after(table, columns.header_row)]
    for group in (_BANK_TOTALS, _CASH_TOTALS):
        found = [(n, c, lab) for n, c, lab in rows if _total_of(lab) in group]
        if len(found) > 1:
            problems.append(Problem(table.file, found[1][0], None, f"is a second total of bank "
                                    f"accounts ('{found[1][2][:40]}'; the first is row "
                                    f"{found[0][0]}); expected one"))
            return {}, problems
        if found:
            number, cells, label = found[0]
            return _figures(table, columns, number, cells, label, problems), problems
    problems.append(Problem(table.file, None, None, "has no total of bank accounts; expected a "
                            "balance sheet with a 'Total Bank Accounts' line (QuickBooks: Total "
                            "for Bank Accounts or Total Checking/Savings; Xero: Total Bank)"))
    return {}, problems


# --- the A/R aging -------------------------------------------------------------------------

_BUCKET_WORDS = ("Current, 1 - 30, 31 - 60, 61 - 90, 91 and over (QuickBooks) or Current, "
                 "< 1 Month, 1 Month, 2 Months, 3 Months, Older (Xero)")


def _over_90(buckets: list[tuple[int, str, Bucket]], table: Table, number: int,
             problems: list[Problem]) -> list[int] | None:
    """The columns over 90 days past due, or ``None`` with a problem when a column holds
    both sides of 90 days. Days: a column counts when it starts at day 90 or later, and not
    when it ends by day 90. Months (Xero): ``3 Months`` and later count (three months past
    due is 90 days or more); ``Older`` counts when it starts at 90 days or 3 months or later:
    after ``2 Months``, or after a column of days that ends at day 89 or later."""
    over: list[int] = []
    previous: Bucket | None = None
    for col, text, b in buckets:
        letter = column_letter(col)
        counts: bool | None
        if b.kind == "current":
            counts = False
        elif b.kind == "days":
            if b.low >= 90:
                counts = True
            elif b.high is not None and b.high <= 90:
                counts = False
            else:
                counts = None
        elif b.kind == "months":
            counts = b.low >= 3
            if b.low == 0 and b.high == 0:
                counts = False
        elif b.kind == "older":
            if b.low:
                counts = True if b.low >= 3 else None
            elif previous is None:
                counts = None
            elif previous.kind == "months":
                counts = True if previous.low >= 2 else None
            elif previous.kind == "days":
                counts = True if (previous.high or previous.low) >= 89 else None
            else:
                counts = None
        else:
            problems.append(Problem(table.file, number, letter, f"'{text[:40]}' is not an aging "
                                    f"column this reader knows; expected {_BUCKET_WORDS}"))
            return None
        if counts is None:
            problems.append(Problem(table.file, number, letter, f"'{text[:40]}' holds amounts "
                                    "on both sides of 90 days past due, so the part over 90 "
                                    "days cannot be told; expected aging columns that end at "
                                    "90 days (QuickBooks: 91 and over; Xero: ageing by month)"))
            return None
        if counts:
            over.append(col)
        previous = b
    return over


def read_aging(table: Table) -> tuple[Aging | None, list[Problem]]:
    """An A/R aging summary: the "as of" day in its title rows, the report's ``Total`` row,
    its Total column and the columns over 90 days past due."""
    problems: list[Problem] = []
    index = _aging_header(table)
    if index is None:
        problems.append(Problem(table.file, None, None, "has no row of aging column headings "
                                f"(Current ... Total); expected {_BUCKET_WORDS}"))
        return None, problems
    number, cells = table.rows[index]
    day, day_row = None, 0
    for n, row_cells in table.rows[:index]:
        filled = [c for c in row_cells if c.strip()]
        # a cell, or the row's cells together ("As of June 30", " 2025": a comma unquoted)
        for text in [*filled, ", ".join(c.strip() for c in filled)]:
            day = as_of(text)
            if day is not None:
                day_row = n
                break
        if day is not None:
            break
    if day is None:
        problems.append(Problem(table.file, None, None, "has no 'as of' date in its title rows; "
                                "expected a line like 'As of December 31, 2025' (Xero: 'As at "
                                "31 December 2025') above the column headings"))
    classified = [(col, cells[col].strip(), bucket(cells[col])) for col in range(len(cells))
                  if cells[col].strip()]
    first = next(i for i, (_, _, b) in enumerate(classified) if b.kind != "unknown")
    label_end = classified[first][0]
    totals = [col for col, _, b in classified[first:] if b.kind == "total"]
    if len(totals) != 1:
        problems.append(Problem(table.file, number, None, "has more than one Total column; "
                                "expected one"))
        return None, problems
    total_col = totals[0]
    buckets = [(c, t, b) for c, t, b in classified[first:] if c < total_col]
    over = _over_90(buckets, table, number, problems)
    total_rows = [(n, c) for n, c in table.rows
                  if n > number and key(_label(c, label_end)) in ("total", "totals",
                                                                  "grand total")]
    if not total_rows:
        problems.append(Problem(table.file, None, None, "has no Total row; expected the "
                                "report's Total line below the customers"))
    if over is None or not total_rows or day is None:
        return None, problems
    t_number, t_cells = total_rows[0]
    label = _label(t_cells, label_end)
    total = _amount(table, t_number, t_cells, total_col, label, problems)
    parts = {c: _amount(table, t_number, t_cells, c, label, problems) for c, _, _ in buckets}
    if total is None or any(v is None for v in parts.values()):
        return None, problems
    over_90 = sum((v for c, v in parts.items() if c in over and v is not None), Decimal("0.00"))
    summed = sum((v for v in parts.values() if v is not None), Decimal("0.00"))
    if summed != total:
        problems.append(Problem(table.file, t_number, column_letter(total_col), f"the aging "
                                f"columns add up to {format_money(to_cents(summed))}, not the "
                                f"report's total {format_money(to_cents(total))}; the total was "
                                "read as written", "warning"))
    names = tuple(t for c, t, _ in buckets if c in over)
    return Aging(table.file, day, total, over_90, Cell(table.file, t_number, total_col, label),
                 day_row, names), problems
