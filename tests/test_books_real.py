"""The real exports in ``../shared/realdata`` (QuickBooks Online, current and older layouts;
QuickBooks Desktop), read when they are there.

Nothing of them is copied here: every expected figure is taken from the file itself, read a
second way (the CSV text through the csv module, cell by cell), and compared to the cent.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from tel.io.books import BookFile, read_books
from tel.io.books.labels import heading, key
from tel.io.books.reports import choose, read_aging, read_balance_sheet, read_profit_loss
from tel.io.books.sheets import read_tables
from tel.io.loaders import load_months

REAL = Path(__file__).resolve().parents[2] / "shared" / "realdata"
QBO = REAL / "quickbooks_online"
QBD = REAL / "quickbooks_desktop"
pytestmark = pytest.mark.skipif(not REAL.exists(), reason="../shared/realdata is not here "
                                "(the real exports are kept outside the repository)")
LIMITS = {"max_bytes": 20 << 20, "max_unzipped_bytes": 100 << 20}


def real(pattern: str, folder: Path = QBO) -> list[Path]:
    return sorted(folder.glob(pattern)) if folder.exists() else []


PL_CSV = real("*Profit_and_Loss_by_Month.csv") + real("qbo_pl_by_month_*.csv")
BS_CSV = real("*Balance_Sheet.csv")
AGING_CSV = real("*A_R_Aging_Summary_Report.csv")
PAIRED = [p for p in real("*.xlsx") if p.with_suffix(".csv").exists()]


def tables(path: Path) -> list:  # type: ignore[type-arg]
    found, problems = read_tables(path.read_bytes(), path.name, **LIMITS)
    assert not [p for p in problems if p.is_error], problems
    return found


def row_cells(path: Path, label: str) -> dict[tuple[int, int], Decimal]:
    """The month columns of the row ``label`` in a CSV report, read with the csv module:
    month -> the cell's amount (blank is 0)."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    header = next(r for r in rows if r and r[0] == "Distribution account")
    [row] = [r for r in rows if r and key(r[0]) == key(label)]
    out: dict[tuple[int, int], Decimal] = {}
    for text, cell in zip(header[1:], row[1:], strict=False):
        h = heading(text)
        if h.kind == "month" and h.ym is not None:
            plain = cell.replace(",", "").replace("$", "")
            out[h.ym] = Decimal(plain) if plain else Decimal("0.00")
    return out


@pytest.mark.parametrize("path", PL_CSV, ids=lambda p: p.name)
def test_every_real_profit_and_loss_by_month_gives_its_gross_profit_cells_to_the_cent(
        path: Path) -> None:
    table, problems = choose(tables(path), "profit_loss", path.name)
    assert table is not None and not problems
    figures, problems = read_profit_loss(table)
    assert not [p for p in problems if p.is_error], problems
    expected = row_cells(path, "Gross Profit")
    assert len(expected) >= 6
    assert {ym: f.amount for ym, f in figures.items()} == expected
    assert all(f.source.label == "Gross Profit" for f in figures.values())


@pytest.mark.parametrize("path", BS_CSV, ids=lambda p: p.name)
def test_every_real_balance_sheet_gives_its_bank_total_cells_to_the_cent(path: Path) -> None:
    table, problems = choose(tables(path), "balance_sheet", path.name)
    assert table is not None and not problems
    figures, problems = read_balance_sheet(table)
    assert not [p for p in problems if p.is_error], problems
    assert {ym: f.amount for ym, f in figures.items()} == row_cells(path,
                                                                    "Total for Bank Accounts")


@pytest.mark.parametrize("path", AGING_CSV + real("*A_R_Aging_Summary_Report.xlsx"),
                         ids=lambda p: p.name)
def test_every_real_aging_report_reads_without_problems(path: Path) -> None:
    table, problems = choose(tables(path), "aging", path.name)
    assert table is not None and not problems
    aging, problems = read_aging(table)
    assert aging is not None and problems == []
    with path.with_suffix(".csv").open(newline="", encoding="utf-8-sig") as handle:
        rows = [r for r in csv.reader(handle) if r]
    header = next(r for r in rows if r[0] == "Customer")
    [total] = [r for r in rows if r[0] == "TOTAL"]

    def cell(name: str) -> Decimal:
        text = total[header.index(name)].replace(",", "").replace("$", "")
        return Decimal(text) if text else Decimal("0.00")

    assert (aging.total, aging.over_90) == (cell("Total"), cell("91 AND OVER"))
    assert aging.over_90_columns == ("91 AND OVER",)


@pytest.mark.parametrize("path", PAIRED, ids=lambda p: p.name)
def test_a_real_xlsx_export_reads_exactly_as_its_csv(path: Path) -> None:
    """Totals in these workbooks are formulas with binary-float cached values: evaluated
    exactly, they give the CSV's cents."""
    kind = ("aging" if "Aging" in path.name else
            "balance_sheet" if "Balance_Sheet" in path.name else
            "profit_loss" if "Profit_and_Loss" in path.name else "cash_flow")
    if kind == "cash_flow":
        pytest.skip("a statement of cash flows is not read")
    read = {"aging": read_aging, "balance_sheet": read_balance_sheet,
            "profit_loss": read_profit_loss}[kind]
    got = []
    for source in (path, path.with_suffix(".csv")):
        table, _ = choose(tables(source), kind, source.name)  # type: ignore[arg-type]
        assert table is not None
        value, problems = read(table)  # type: ignore[operator]
        assert not [p for p in problems if p.is_error]
        got.append(value)
    if kind == "aging":
        assert (got[0].total, got[0].over_90, got[0].as_of) == (
            got[1].total, got[1].over_90, got[1].as_of)
    else:
        assert {ym: f.amount for ym, f in got[0].items()} == {
            ym: f.amount for ym, f in got[1].items()}
        assert all(not f.source.file.endswith(".csv") for f in got[0].values())


def test_every_real_sheet_with_a_bank_total_reads_its_month_end_columns() -> None:
    """The older QuickBooks Online comparison (``As of Dec 31, 2020``, ``... (PP)``) and the
    QuickBooks Desktop one (``Sep 30, 22``) name month-ends: the bank totals of those
    columns are read, with no error."""
    found = 0
    for path in real("*.xlsx") + real("*.xlsx", QBD):
        table, _ = choose(tables(path), "balance_sheet", path.name)
        if table is None:
            continue
        figures, problems = read_balance_sheet(table)
        assert not [p for p in problems if p.is_error], (path.name, problems)
        assert figures, path.name
        found += 1
    assert found >= 4


@pytest.mark.parametrize("path", real("rschlemer_*.xlsx") + real("*.xlsx", QBD),
                         ids=lambda p: p.name)
def test_a_real_year_comparison_is_a_report_without_month_columns(path: Path) -> None:
    books = read_books(BookFile(path.name, path.read_bytes()),
                       BookFile(path.name, path.read_bytes()))
    [error] = books.errors
    assert "has no month columns" in error.message and error.row is not None
    assert books.months == ()


def test_a_real_statement_of_cash_flows_is_not_a_profit_and_loss() -> None:
    paths = real("*Statement_of_Cash_Flows*")
    if not paths:
        pytest.skip("no statement of cash flows in realdata")
    for path in paths:
        books = read_books(BookFile(path.name, path.read_bytes()), None)
        assert any(f"{path.name}: is a statement of cash flows, not a profit and loss" in str(p)
                   for p in books.errors)


@pytest.mark.parametrize("company", ["raboinab_US1", "shepi_US2"])
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_real_company_reads_into_a_months_file_that_loads(company: str, suffix: str) -> None:
    def named(kind: str) -> BookFile:
        path = QBO / f"{company}_{kind}{suffix}"
        return BookFile(path.name, path.read_bytes())

    books = read_books(named("Profit_and_Loss_by_Month"), named("Balance_Sheet"),
                       [named("A_R_Aging_Summary_Report")])
    assert not books.errors, books.errors
    gp = row_cells(QBO / f"{company}_Profit_and_Loss_by_Month.csv", "Gross Profit")
    cash = row_cells(QBO / f"{company}_Balance_Sheet.csv", "Total for Bank Accounts")
    assert [m.ym for m in books.months] == sorted(set(gp) & set(cash))
    assert all((m.gp, m.cash_on_hand) == (gp[m.ym], cash[m.ym]) for m in books.months)
    loaded = load_months(books.months_csv(), "months.csv")
    assert loaded.ok and loaded.value == books.to_months()
