r"""Months from the books (spec section 16): accounting reports in, the months file out.

:func:`read_books` reads a profit and loss by month, a balance sheet by month and any number
of A/R aging summaries (CSV or XLSX, as QuickBooks Online, QuickBooks Desktop and Xero export
them) and answers a :class:`Books`: one :class:`BookMonth` per month that both the profit and
loss and the balance sheet have (GP, cash on hand, and the A/R total and the part over 90 days
when an aging report is as of that month), each figure with the file, row and column it came
from, and every problem found, each with its file and row. Nothing is used before that table
is seen: :meth:`Books.months_csv` writes the months file only when there is no error.

* GP is the report's ``Gross Profit`` row; cash on hand the total of bank accounts; the A/R
  total the aging's ``Total`` row and the part over 90 days its columns past 90 days
  (QuickBooks ``91 and over``; Xero ``3 Months`` and ``Older``). See
  :mod:`tel.io.books.reports`.
* Amounts keep the report's exact cents (:mod:`tel.io.books.sheets`).
* A month with no aging report has blank A/R; a warning names the quarter-end months whose
  gates will need one.
* Months in only one of the profit and loss and the balance sheet are left out, with a
  warning naming them; reports with no month in common are an error.

>>> pl = BookFile("pl.csv", b"Profit and Loss\nAccount,Jan 2026,Feb 2026,Total\n"
...               b"Sales,100.00,200.00,300.00\nGross Profit,100.00,150.10,250.10\n")
>>> bs = BookFile("bs.csv", b"Balance Sheet\nAccount,Jan 2026,Feb 2026\n"
...               b"Checking,50.00,60.00\nTotal Bank Accounts,50.00,60.00\n")
>>> books = read_books(pl, bs)
>>> [(m.label, m.gp, m.cash_on_hand, m.ar_total) for m in books.months]
[('2026-01', Decimal('100.00'), Decimal('50.00'), None), ('2026-02', Decimal('150.10'), Decimal('60.00'), None)]
>>> print(books.months_csv().decode(), end="")
month,gp,cash_on_hand,ar_total,ar_90_plus
2026-01,100.00,50.00,,
2026-02,150.10,60.00,,
"""  # noqa: E501

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from os import PathLike

from pydantic import ValidationError

from tel.core.models import Month
from tel.core.money import format_money, to_cents
from tel.core.periods import Quarter, last_day
from tel.io.books.reports import (
    Aging,
    Cell,
    Figure,
    choose,
    read_aging,
    read_balance_sheet,
    read_profit_loss,
)
from tel.io.books.sheets import Table, column_letter, read_tables
from tel.io.loaders import MAX_BYTES, MAX_UNZIPPED_BYTES, MONTHS_COLUMNS, read_file
from tel.io.problems import HasProblems, Problem, plain_message

__all__ = [
    "TABLE_COLUMNS",
    "BookFile",
    "BookMonth",
    "Books",
    "read_books",
    "read_books_files",
]

YearMonth = tuple[int, int]
TABLE_COLUMNS = ("Month", "GP", "Cash on hand", "A/R total", "A/R over 90 days",
                 "GP from", "Cash from", "A/R from")
AGING_FILE = "A/R aging reports"
"""The ``file`` of problems about the aging reports together (a month-end without one)."""


@dataclass(frozen=True, slots=True)
class BookFile:
    """One uploaded or named report: its name (as problems show it) and its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True, slots=True)
class BookMonth:
    """One month read from the books, each figure with the cell it came from."""

    ym: YearMonth
    gp: Decimal
    gp_from: Cell
    cash_on_hand: Decimal
    cash_from: Cell
    ar_total: Decimal | None = None
    ar_90_plus: Decimal | None = None
    ar_from: Cell | None = None
    ar_as_of: str = ""

    @property
    def label(self) -> str:
        return month_label(self.ym)

    def to_month(self) -> Month:
        return Month(year=self.ym[0], month=self.ym[1], gp=self.gp,
                     cash_on_hand=self.cash_on_hand, ar_total=self.ar_total,
                     ar_90_plus=self.ar_90_plus)


def month_label(ym: YearMonth) -> str:
    return f"{ym[0]:04d}-{ym[1]:02d}"


def _cents_text(value: Decimal | None) -> str:
    return "" if value is None else f"{value.quantize(Decimal('0.01')):f}"


def _money_text(value: Decimal | None) -> str:
    return "" if value is None else format_money(to_cents(value))


@dataclass(frozen=True, slots=True)
class Books(HasProblems):
    """What was read from the books: the months and every problem."""

    months: tuple[BookMonth, ...]
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return bool(self.months) and not self.errors

    def table(self) -> list[dict[str, str]]:
        """The table to show before anything is used: one row per month, money as
        ``$1,234.56``, blank A/R where no aging report is as of the month, and each figure's
        source (``pl.csv row 27, column B``). Keys: :data:`TABLE_COLUMNS`."""
        rows: list[dict[str, str]] = []
        for m in self.months:
            ar_from = "" if m.ar_from is None else f"{m.ar_from} (as of {m.ar_as_of})"
            rows.append(dict(zip(TABLE_COLUMNS, (
                m.label, _money_text(m.gp), _money_text(m.cash_on_hand),
                _money_text(m.ar_total), _money_text(m.ar_90_plus),
                str(m.gp_from), str(m.cash_from), ar_from), strict=True)))
        return rows

    def to_months(self) -> tuple[Month, ...]:
        """The months as the calculation takes them (raises ``ValueError`` on any error)."""
        if self.errors or not self.months:
            raise ValueError("the books have problems to fix first" if self.errors
                             else "no month was read from the books")
        return tuple(m.to_month() for m in self.months)

    def months_csv(self) -> bytes:
        """The months file (``month,gp,cash_on_hand,ar_total,ar_90_plus``), UTF-8, exact
        cents, A/R blank where there is no aging report. Raises ``ValueError`` on any error."""
        self.to_months()
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(MONTHS_COLUMNS)
        for m in self.months:
            writer.writerow([m.label, _cents_text(m.gp), _cents_text(m.cash_on_hand),
                             _cents_text(m.ar_total), _cents_text(m.ar_90_plus)])
        return out.getvalue().encode("utf-8")


# --- reading -------------------------------------------------------------------------------


def _tables(book: BookFile, max_bytes: int, max_unzipped: int) -> tuple[list[Table],
                                                                        list[Problem]]:
    return read_tables(book.data, book.name, max_bytes=max_bytes,
                       max_unzipped_bytes=max_unzipped)


def _span(yms: Sequence[YearMonth]) -> str:
    """``2025-01 to 2025-12``, or the months one by one when they do not run on."""
    labels = [f"{y:04d}-{m:02d}" for y, m in sorted(yms)]
    if not labels:
        return "no month"
    index = [y * 12 + m for y, m in sorted(yms)]
    if len(labels) >= 3 and index[-1] - index[0] == len(index) - 1:
        return f"{labels[0]} to {labels[-1]}"
    shown = labels[:12]
    more = f" (and {len(labels) - 12} more)" if len(labels) > 12 else ""
    return (shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + f" and {shown[-1]}") + more


def _report(book: BookFile | None, wanted: str, flag: str, max_bytes: int,
            max_unzipped: int) -> tuple[dict[YearMonth, Figure], list[Problem], bool]:
    """One monthly report's figures, its problems, and whether it was given at all."""
    if book is None:
        what = "profit and loss" if wanted == "profit_loss" else "balance sheet"
        return {}, [Problem(flag, None, None, f"no {what} was given; expected {what} by "
                            "month")], False
    tables, problems = _tables(book, max_bytes, max_unzipped)
    if not tables:
        return {}, problems, True
    table, more = choose(tables, "profit_loss" if wanted == "profit_loss" else "balance_sheet",
                         book.name)
    problems += more
    if table is None:
        return {}, problems, True
    read = read_profit_loss if wanted == "profit_loss" else read_balance_sheet
    figures, more = read(table)
    return figures, problems + more, True


def read_books(
    profit_loss: BookFile | None,
    balance_sheet: BookFile | None,
    agings: Sequence[BookFile] = (),
    *,
    fiscal_year_start: int = 1,
    max_bytes: int = MAX_BYTES,
    max_unzipped_bytes: int = MAX_UNZIPPED_BYTES,
) -> Books:
    """Read the books into months, with every problem (never an exception for a bad file).

    ``fiscal_year_start`` only decides which months end a quarter, for the warning about
    quarter-end months that have no A/R aging report.
    """
    problems: list[Problem] = []
    gp, more, _ = _report(profit_loss, "profit_loss", "profit and loss", max_bytes,
                          max_unzipped_bytes)
    problems += more
    cash, more, _ = _report(balance_sheet, "balance_sheet", "balance sheet", max_bytes,
                            max_unzipped_bytes)
    problems += more

    by_month: dict[YearMonth, Aging] = {}
    for book in agings:
        tables, more = _tables(book, max_bytes, max_unzipped_bytes)
        problems += more
        if not tables:
            continue
        table, more = choose(tables, "aging", book.name)
        problems += more
        if table is None:
            continue
        aging, more = read_aging(table)
        problems += more
        if aging is None:
            continue
        if aging.ym in by_month:
            first = by_month[aging.ym]
            problems.append(Problem(aging.file, aging.as_of_row, None, f"is as of "
                                    f"{aging.as_of.isoformat()}, a second report for the "
                                    f"month-end of {month_label(aging.ym)} ({first.file} is as "
                                    f"of {first.as_of.isoformat()}); expected one A/R aging "
                                    "report per month-end"))
            continue
        by_month[aging.ym] = aging

    common = sorted(set(gp) & set(cash))
    pl_name = profit_loss.name if profit_loss else "profit and loss"
    bs_name = balance_sheet.name if balance_sheet else "balance sheet"
    if gp and cash and not common:
        problems.append(Problem(pl_name, None, None, f"has no month in common with {bs_name}: "
                                f"the profit and loss has {_span(list(gp))}, the balance "
                                f"sheet {_span(list(cash))}; expected reports for the same "
                                "months"))
    elif common:
        only_pl = [ym for ym in gp if ym not in cash]
        only_bs = [ym for ym in cash if ym not in gp]
        if only_pl:
            problems.append(Problem(pl_name, None, None, f"{_span(only_pl)} "
                                    f"{'is' if len(only_pl) == 1 else 'are'} in the profit and "
                                    f"loss but not in the balance sheet ({bs_name}), so "
                                    f"{'it is' if len(only_pl) == 1 else 'they are'} left out "
                                    "(a month needs its month-end cash)", "warning"))
        if only_bs:
            problems.append(Problem(bs_name, None, None, f"{_span(only_bs)} "
                                    f"{'is' if len(only_bs) == 1 else 'are'} in the balance "
                                    f"sheet but not in the profit and loss ({pl_name}), so "
                                    f"{'it is' if len(only_bs) == 1 else 'they are'} left out",
                                    "warning"))
    for ym, aging in sorted(by_month.items()):
        if common and ym not in common:
            problems.append(Problem(aging.file, aging.as_of_row, None, f"is as of "
                                    f"{aging.as_of.isoformat()}, a month that is not in both "
                                    f"the profit and loss and the balance sheet "
                                    f"({_span(common)}); it is not used", "warning"))

    months: list[BookMonth] = []
    for ym in common:
        g, c = gp[ym], cash[ym]
        ok = True
        if c.amount < 0:
            problems.append(Problem(c.source.file, c.source.row,
                                    column_letter(c.source.column), f"cash at the end of "
                                    f"{month_label(ym)} is "
                                    f"{format_money(to_cents(c.amount))} (overdrawn); expected "
                                    "0 or more: the months file takes cash on hand of 0 or "
                                    "more"))
            ok = False
        aging = by_month.get(ym)
        if aging is not None:
            if not aging.month_end:
                problems.append(Problem(aging.file, aging.as_of_row, None, f"is as of "
                                        f"{aging.as_of.isoformat()}, not a month's end; its "
                                        f"figures are used for {month_label(ym)}", "warning"))
            where = (aging.source.file, aging.source.row, column_letter(aging.source.column))
            if aging.total < 0 or aging.over_90 < 0:
                problems.append(Problem(*where, f"the A/R total is "
                                        f"{format_money(to_cents(aging.total))} and the part "
                                        f"over 90 days {format_money(to_cents(aging.over_90))}:"
                                        " customer credits exceed what is owed; expected 0 or "
                                        "more (the months file takes A/R of 0 or more)"))
                ok = False
            elif aging.over_90 > aging.total:
                problems.append(Problem(*where, f"the part over 90 days "
                                        f"{format_money(to_cents(aging.over_90))} is more than "
                                        f"the A/R total {format_money(to_cents(aging.total))} "
                                        "(credits in the newer columns); expected at most the "
                                        "total"))
                ok = False
        month = BookMonth(
            ym, g.amount, g.source, c.amount, c.source,
            None if aging is None else aging.total,
            None if aging is None else aging.over_90,
            None if aging is None else aging.source,
            "" if aging is None else aging.as_of.isoformat())
        if ok:
            try:
                month.to_month()
            except ValidationError as exc:  # a backstop: the checks above catch the rest
                problems.append(Problem(g.source.file, g.source.row, None, f"{month.label}: "
                                        + "; ".join(plain_message(e) for e in exc.errors())))
        months.append(month)

    gaps = _gate_months_without_aging(months, fiscal_year_start)
    if gaps:
        problems.append(gaps)
    if not common and not any(p.is_error for p in problems):
        problems.append(Problem(pl_name, None, None, "no month was read; expected a profit "
                                "and loss and a balance sheet with month columns"))
    return Books(tuple(months), tuple(problems))


def _gate_months_without_aging(months: Sequence[BookMonth],
                               fiscal_year_start: int) -> Problem | None:
    """A warning naming each quarter's gate month (its last booked month) with no aging."""
    last: dict[Quarter, BookMonth] = {}
    for m in months:
        last[Quarter.containing(m.ym, fiscal_year_start)] = m
    missing = [(q, m) for q, m in sorted(last.items()) if m.ar_total is None]
    if not missing:
        return None
    shown = [f"{last_day(m.ym).isoformat()} ({q})" for q, m in missing[:8]]
    more = f" and {len(missing) - 8} more" if len(missing) > 8 else ""
    listed = ", ".join(shown) + more
    one = len(missing) == 1
    quarters = "that quarter" if one else "those quarters"
    return Problem(AGING_FILE, None, None, f"no A/R aging report as of {listed}, the month"
                   f"{'' if one else 's'} the gates of {quarters} are checked on: add an A/R "
                   f"aging summary as of each, or {quarters} (and any quarter after "
                   f"{'it' if one else 'them'}) cannot be paid", "warning")


def read_books_files(
    profit_loss: str | PathLike[str],
    balance_sheet: str | PathLike[str],
    agings: Sequence[str | PathLike[str]] = (),
    *,
    fiscal_year_start: int = 1,
    max_bytes: int = MAX_BYTES,
    max_unzipped_bytes: int = MAX_UNZIPPED_BYTES,
) -> Books:
    """:func:`read_books` on files; a missing or unreadable file is a problem too."""
    problems: list[Problem] = []

    def load(path: str | PathLike[str]) -> BookFile | None:
        data, problem = read_file(path, max_bytes)
        if data is None:
            problems.append(problem or Problem(str(path), None, None, "cannot be read"))
            return None
        return BookFile(str(path), data)

    pl, bs = load(profit_loss), load(balance_sheet)
    read_agings = [b for b in (load(p) for p in agings) if b is not None]
    if problems:  # a file that cannot be read: say only that, not what follows from it
        return Books((), tuple(problems))
    books = read_books(pl, bs, read_agings, fiscal_year_start=fiscal_year_start,
                       max_bytes=max_bytes, max_unzipped_bytes=max_unzipped_bytes)
    return books
