"""Months from the books (spec section 16): reports in the layouts QuickBooks Online (current
and older), QuickBooks Desktop and Xero export, read to the cent; bad files one clear line each.

The fixtures are this project's own, in those layouts, with made-up figures
(``tests/fixtures/books``); workbooks are built here with xlsxwriter.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
import xlsxwriter

from tel.io.books import BookFile, Books, read_books
from tel.io.books.formula import Unsupported, evaluate
from tel.io.books.labels import bucket, heading
from tel.io.books.sheets import read_tables, snap
from tel.io.loaders import load_months

BOOKS = Path(__file__).parent / "fixtures" / "books"
LIMITS = {"max_bytes": 20 << 20, "max_unzipped_bytes": 100 << 20}


def book(name: str, rename: str | None = None) -> BookFile:
    return BookFile(rename or name, (BOOKS / name).read_bytes())


def qbo(*agings: str) -> Books:
    return read_books(book("qbo_profit_and_loss_by_month.csv"),
                      book("qbo_balance_sheet_by_month.csv"), [book(a) for a in agings])


def months(books: Books) -> dict[str, tuple[Decimal, Decimal, Decimal | None, Decimal | None]]:
    return {m.label: (m.gp, m.cash_on_hand, m.ar_total, m.ar_90_plus) for m in books.months}


def errors(books: Books) -> list[str]:
    return [str(p) for p in books.errors]


def warnings(books: Books) -> list[str]:
    return [str(p) for p in books.warnings]


def rows_of(name: str) -> list[list[str]]:
    with (BOOKS / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


QBO_GP = {"2025-01": "1735.25", "2025-02": "1297.05", "2025-03": "-399.25",
          "2025-04": "2991.75", "2025-05": "2135.00", "2025-06": "965.09"}
QBO_CASH = {"2025-01": "23500.00", "2025-02": "24234.55", "2025-03": "22900.10",
            "2025-04": "25365.00", "2025-05": "26250.75", "2025-06": "25800.00"}


# --------------------------------------------------------------------------- profit and loss


def test_gp_is_the_profit_and_loss_gross_profit_row() -> None:
    books = qbo()
    assert {k: str(v[0]) for k, v in months(books).items()} == QBO_GP
    first = books.months[0]
    assert (first.gp_from.file, first.gp_from.row, first.gp_from.label) == (
        "qbo_profit_and_loss_by_month.csv", 22, "Gross Profit")
    assert str(first.gp_from) == "qbo_profit_and_loss_by_month.csv row 22, column B"


def test_nested_accounts_are_not_counted_twice() -> None:
    rows = rows_of("qbo_profit_and_loss_by_month.csv")
    income = rows[rows.index(["Income"] + [""] * 7) + 1:
                  next(i for i, r in enumerate(rows) if r[:1] == ["Total for Income"])]
    january = sum(Decimal(r[1].replace(",", "")) for r in income if r[1])
    leaves = sum(Decimal(r[1].replace(",", "")) for r in income
                 if r[1] and not r[0].startswith("Total for"))
    # every parent and subtotal added up counts the nested accounts again ...
    assert january != leaves
    # ... the report's own lines do not: GP = its leaf income less its cost of goods sold
    assert qbo().months[0].gp == leaves - Decimal("400.00") == Decimal("1735.25")


def test_total_columns_and_footers_are_not_months() -> None:
    books = qbo()
    assert list(months(books)) == list(QBO_GP)  # no "Total" month, nothing from the footer
    assert not any("Total" in w or "Accrual" in w for w in warnings(books))


def test_a_partial_month_column_is_not_a_month() -> None:
    books = qbo()
    assert "2025-07" not in months(books)
    assert ("qbo_balance_sheet_by_month.csv row 5, column H: 'Jul 1 - Jul 7 2025' covers only "
            "part of a month; that column is not used") in warnings(books)


def test_the_header_row_is_found_by_its_content_not_its_position() -> None:
    moved = b"\n\nSome Company\nProfit and Loss\nRun by: ops@example.com\n\n" + (
        BOOKS / "qbo_profit_and_loss_by_month.csv").read_bytes().split(b"\r\n", 3)[3]
    books = read_books(BookFile("pl.csv", moved), book("qbo_balance_sheet_by_month.csv"))
    assert {k: str(v[0]) for k, v in months(books).items()} == QBO_GP
    assert books.months[0].gp_from.row == 25


def test_gp_keeps_exact_cents_including_negative_months() -> None:
    gp = {m.label: m.gp for m in qbo().months}
    assert gp["2025-03"] == Decimal("-399.25")
    assert all(v.as_tuple().exponent == -2 for v in gp.values())


def test_the_older_quickbooks_online_layout_reads_the_same_months() -> None:
    classic = read_books(book("qbo_classic_profit_and_loss.csv"),
                         book("qbo_classic_balance_sheet.csv"))
    assert not classic.errors
    assert months(classic) == {k: v for k, v in months(qbo()).items() if k <= "2025-03"}
    assert classic.months[0].gp_from.label == "Gross Profit"
    assert classic.months[0].cash_from.label == "Total Bank Accounts"


def test_a_company_name_with_report_words_is_not_taken_for_the_title() -> None:
    """The older layout puts the company above the report's name."""
    data = (BOOKS / "qbo_classic_profit_and_loss.csv").read_bytes().replace(
        b"Fern & Gravel Landscapes LLC", b"Balance Sheet Bookkeeping LLC")
    books = read_books(BookFile("pl.csv", data), book("qbo_classic_balance_sheet.csv"))
    assert not books.errors and len(books.months) == 3


# --------------------------------------------------------------------------- balance sheet


def test_cash_on_hand_is_the_total_of_bank_accounts() -> None:
    books = qbo()
    assert {k: str(v[1]) for k, v in months(books).items()} == QBO_CASH
    assert books.months[0].cash_from.label == "Total for Bank Accounts"


def test_a_negative_bank_total_is_an_error_naming_its_cell() -> None:
    data = (BOOKS / "qbo_balance_sheet_by_month.csv").read_text(encoding="utf-8").replace(
        '"23,500.00"', '"-23,500.00"', 1)
    books = read_books(book("qbo_profit_and_loss_by_month.csv"),
                       BookFile("bs.csv", data.encode()))
    assert errors(books) == ["bs.csv row 11, column B: cash at the end of 2025-01 is "
                             "-$23,500.00 (overdrawn); expected 0 or more: the months file "
                             "takes cash on hand of 0 or more"]


# --------------------------------------------------------------------------- A/R aging


def test_ar_comes_from_the_aging_total_row_and_its_91_and_over_column() -> None:
    books = qbo("qbo_ar_aging_2025-03-31.csv", "qbo_ar_aging_2025-06-30.csv")
    got = months(books)
    assert got["2025-03"][2:] == (Decimal("3173.25"), Decimal("348.25"))
    assert got["2025-06"][2:] == (Decimal("3566.25"), Decimal("396.25"))
    march = books.months[2]
    assert str(march.ar_from) == "qbo_ar_aging_2025-03-31.csv row 13, column G"
    assert march.ar_as_of == "2025-03-31"


def test_a_customer_subtotal_is_not_the_report_total() -> None:
    rows = rows_of("qbo_ar_aging_2025-03-31.csv")
    assert any(r and r[0].startswith("Total for ") for r in rows)
    assert months(qbo("qbo_ar_aging_2025-03-31.csv"))["2025-03"][2] == Decimal("3173.25")


def test_a_month_without_an_aging_report_has_blank_ar() -> None:
    got = months(qbo("qbo_ar_aging_2025-06-30.csv"))
    assert got["2025-05"][2:] == (None, None)
    assert got["2025-06"][2:] == (Decimal("3566.25"), Decimal("396.25"))


def test_quarter_end_months_without_an_aging_are_named_before_anything_is_used() -> None:
    assert ("A/R aging reports: no A/R aging report as of 2025-03-31 (2025-Q1), the month the "
            "gates of that quarter are checked on: add an A/R aging summary as of each, or that "
            "quarter (and any quarter after it) cannot be paid"
            ) in warnings(qbo("qbo_ar_aging_2025-06-30.csv"))
    assert not [w for w in warnings(qbo("qbo_ar_aging_2025-03-31.csv",
                                        "qbo_ar_aging_2025-06-30.csv")) if "A/R aging rep" in w]


def test_an_aging_as_of_a_day_that_is_not_a_month_end_names_its_month_with_a_warning() -> None:
    books = qbo("qbo_ar_aging_2025-06-15.csv")
    assert months(books)["2025-06"][2:] == (Decimal("510.00"), Decimal("10.00"))
    assert ("qbo_ar_aging_2025-06-15.csv row 3: is as of 2025-06-15, not a month's end; its "
            "figures are used for 2025-06") in warnings(books)


def test_an_aging_for_a_month_not_in_the_books_is_not_used() -> None:
    data = (BOOKS / "qbo_ar_aging_2025-06-30.csv").read_bytes().replace(b"June 30, 2025",
                                                                        b"August 31, 2025")
    books = read_books(book("qbo_profit_and_loss_by_month.csv"),
                       book("qbo_balance_sheet_by_month.csv"), [BookFile("ar.csv", data)])
    assert all(m.ar_total is None for m in books.months)
    assert ("ar.csv row 3: is as of 2025-08-31, a month that is not in both the profit and "
            "loss and the balance sheet (2025-01 to 2025-06); it is not used") in warnings(books)


def test_negative_ar_from_customer_credits_is_an_error() -> None:
    data = (BOOKS / "qbo_ar_aging_2025-06-30.csv").read_text(encoding="utf-8")
    data = data.replace('"$3,566.25"', '"-$3,566.25"').replace("396.25", "-396.25")
    books = read_books(book("qbo_profit_and_loss_by_month.csv"),
                       book("qbo_balance_sheet_by_month.csv"),
                       [BookFile("ar.csv", data.encode())])
    [error] = errors(books)
    assert error.startswith("ar.csv row 12, column G: the A/R total is -$3,566.25")
    assert "customer credits exceed what is owed" in error


@pytest.mark.parametrize(("label", "over"), [
    ("1 - 30", False), ("61 - 90", False), ("91 AND OVER", True), ("> 90", True),
    ("91+ days", True), ("Over 90", True), ("< 1 Month", False), ("2 Months", False),
    ("3 Months", True), ("Older than 3 months", True),
])
def test_over_90_days_is_read_from_the_bucket_headings(label: str, over: bool) -> None:
    assert bucket(label).kind != "unknown"
    data = ("A/R Aging Summary\nAs of June 30, 2025\n\n"
            f"Customer,Current,{label},Total\nAnn's Garden,5.00,10.00,15.00\n"
            "Total,5.00,10.00,15.00\n").encode()
    books = read_books(book("qbo_profit_and_loss_by_month.csv"),
                       book("qbo_balance_sheet_by_month.csv"), [BookFile("ar.csv", data)])
    assert not books.errors, errors(books)
    assert months(books)["2025-06"][2:] == (Decimal("15.00"),
                                            Decimal("10.00") if over else Decimal("0.00"))


def test_an_aging_column_across_90_days_is_an_error() -> None:
    data = (BOOKS / "qbo_ar_aging_2025-06-30.csv").read_text(encoding="utf-8").replace(
        "61 - 90,91 AND OVER", "61 - 120,121 AND OVER")
    books = read_books(book("qbo_profit_and_loss_by_month.csv"),
                       book("qbo_balance_sheet_by_month.csv"),
                       [BookFile("ar.csv", data.encode())])
    assert errors(books) == [
        "ar.csv row 5, column E: '61 - 120' holds amounts on both sides of 90 days past due, "
        "so the part over 90 days cannot be told; expected aging columns that end at 90 days "
        "(QuickBooks: 91 and over; Xero: ageing by month)"]


# --------------------------------------------------------------------------- Xero


def xero() -> Books:
    return read_books(book("xero_profit_and_loss.csv"), book("xero_balance_sheet.csv"),
                      [book("xero_aged_receivables_2025-06-30.csv")])


def test_xero_months_newest_first_are_read_by_their_headings() -> None:
    got = months(xero())
    assert list(got) == ["2025-04", "2025-05", "2025-06"]
    assert {k: str(v[0]) for k, v in got.items()} == {
        "2025-04": "13895.59", "2025-05": "10212.55", "2025-06": "14600.00"}
    assert xero().months[0].gp_from.column == 3  # April is the last month column, D


def test_xero_ytd_column_is_not_a_month_and_total_bank_is_cash() -> None:
    books = xero()
    assert not books.errors and len(books.months) == 3
    assert {k: str(v[1]) for k, v in months(books).items()} == {
        "2025-04": "39605.00", "2025-05": "39800.40", "2025-06": "41500.00"}
    assert books.months[0].cash_from.label == "Total Bank"


def test_xero_over_90_days_is_3_months_and_older() -> None:
    june = months(xero())["2025-06"]
    assert june[2:] == (Decimal("7410.75"), Decimal("250.50") + Decimal("710.25"))
    assert xero().months[-1].ar_from is not None


# --------------------------------------------------------------------------- workbooks


def workbook(sheets: dict[str, list[list[object]]], stale: bool = False) -> bytes:
    """A workbook as the accounting systems write them: numbers as numbers, text as text,
    ``=...`` as formulas (with a cached value of 0 when ``stale``, as Xero can leave them)."""
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False,
                                   "strings_to_numbers": False})
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, str) and value.startswith("="):
                    ws.write_formula(r, c, value, None, 0 if stale else "")
                elif isinstance(value, int | float | Decimal):
                    ws.write_number(r, c, float(value))
                elif value not in (None, ""):
                    ws.write_string(r, c, str(value))
    wb.close()
    return out.getvalue()


def _amount(text: str) -> float | str:
    t = text.replace("$", "").replace(",", "")
    return float(t) if re.fullmatch(r"-?\d+(\.\d+)?", t) else text


def qbo_workbook(name: str) -> list[list[object]]:
    """A QuickBooks Online CSV fixture as its Excel export writes it: amounts as numbers, each
    "Total for X" row a formula adding X's direct lines (X's own amount, its accounts and
    the totals of its nested groups, never their accounts again), Gross Profit a formula."""
    rows: list[list[object]] = [[_amount(c) for c in r] for r in rows_of(name)]
    labels = [str(r[0]) if r else "" for r in rows]
    ranges: list[tuple[int, int]] = []
    for i, label in enumerate(labels):
        if label.startswith("Total for "):
            group = label.removeprefix("Total for ")
            ranges.append((max(j for j in range(i) if labels[j] == group), i))
    for s_, e_ in ranges:
        inner = [(a, b) for a, b in ranges if s_ < a and b < e_]
        direct = [j for j in range(s_, e_) if len(rows[j]) > 1
                  and any(c != "" for c in rows[j][1:])
                  and not any(a <= j < b for a, b in inner)]
        for c in range(1, len(rows[e_])):
            col = chr(65 + c)
            rows[e_][c] = "=" + "+".join(f"{col}{j + 1}" for j in direct)
    gp = labels.index("Gross Profit") if "Gross Profit" in labels else None
    if gp is not None:
        income = labels.index("Total for Income")
        cogs = labels.index("Total for Cost of Goods Sold")
        for c in range(1, len(rows[gp])):
            col = chr(65 + c)
            rows[gp][c] = f"={col}{income + 1}-{col}{cogs + 1}"
    return rows


def test_an_xlsx_export_reads_the_same_months_as_its_csv() -> None:
    pl = workbook({"Sheet1": qbo_workbook("qbo_profit_and_loss_by_month.csv")})
    bs = workbook({"Sheet1": qbo_workbook("qbo_balance_sheet_by_month.csv")})
    books = read_books(BookFile("pl.xlsx", pl), BookFile("bs.xlsx", bs))
    assert months(books) == months(qbo())
    assert not books.errors


def test_a_stale_cached_formula_value_is_recomputed_from_its_formula() -> None:
    rows = qbo_workbook("qbo_balance_sheet_by_month.csv")
    bs = workbook({"Sheet1": rows}, stale=True)  # every total cached as 0
    books = read_books(book("qbo_profit_and_loss_by_month.csv"), BookFile("bs.xlsx", bs))
    assert {k: str(v[1]) for k, v in months(books).items()} == QBO_CASH
    assert ("bs.xlsx row 11, column B: saved the value 0.00 but its formula (=B9+B10) gives "
            "23500.00; the formula's value was read") in warnings(books)


def _with_raw_value(data: bytes, cell: str, text: str) -> bytes:
    """The workbook with one cell's stored number text replaced (binary noise, as Excel and
    QuickBooks write it: ``460692.48000000004``)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = re.sub(rf'(<c r="{cell}"[^>]*><v>)[^<]*(</v>)'.encode(),
                              rb"\g<1>" + text.encode() + rb"\g<2>", body)
            dst.writestr(item, body)
    return out.getvalue()


def test_binary_noise_in_a_number_cell_is_read_as_the_whole_cents_it_stands_for() -> None:
    rows: list[list[object]] = [["Balance Sheet"], [], ["Account", "January 2025"],
                                ["Checking", 460692.48], ["Total Bank Accounts", "=B4"]]
    data = _with_raw_value(workbook({"Sheet1": rows}), "B4", "460692.48000000004")
    [table], _ = read_tables(data, "bs.xlsx", **LIMITS)
    assert table.cell(4, 1) == "460692.48" and table.cell(5, 1) == "460692.48"
    assert snap(Decimal("112.91999999999996")) == Decimal("112.92")
    assert snap(Decimal("0.125")) is None  # real sub-cent digits are not noise


def test_quickbooks_desktop_reports_in_one_workbook_are_found_by_their_content() -> None:
    """QuickBooks Desktop: no title rows in these sheets, labels indented by column, months as
    ``Jan 25``, balance sheet columns as ``Jan 31, 25``, totals as ``=ROUND(SUM(...),5)``."""
    bs = [["", "", "", "", "", "Jan 31, 25", "Feb 28, 25"],
          ["ASSETS"], ["", "Current Assets"], ["", "", "Checking/Savings"],
          ["", "", "", "Operating Account", "", 12000.5, 9000.25],
          ["", "", "", "Petty Cash", "", 150, 99.75],
          ["", "", "Total Checking/Savings", "", "", "=ROUND(SUM(F4:F6),5)",
           "=ROUND(SUM(G4:G6),5)"],
          ["TOTAL ASSETS", "", "", "", "", "=F7", "=G7"]]
    pl = [["", "", "", "", "", "", "", "Jan 25", "Feb 25", "TOTAL"],
          ["", "Ordinary Income/Expense"], ["", "", "", "Income"],
          ["", "", "", "", "Services", "", "", 5000, 7000.1, "=ROUND(SUM(H5:I5),5)"],
          ["", "", "", "", "Parts", "", "", 1200.45, 800, "=ROUND(SUM(H6:I6),5)"],
          ["", "", "", "Total Income", "", "", "", "=ROUND(SUM(H3:H5),5)",
           "=ROUND(SUM(I3:I5),5)", "=ROUND(SUM(J3:J5),5)"],
          ["", "", "", "Cost of Goods Sold"],
          ["", "", "", "", "Cost of Goods Sold", "", "", 2100, 3150.05, ""],
          ["", "", "", "Total COGS", "", "", "", "=ROUND(SUM(H7:H8),5)",
           "=ROUND(SUM(I7:I8),5)", ""],
          ["", "", "Gross Profit", "", "", "", "", "=ROUND(H6-H9,5)", "=ROUND(I6-I9,5)", ""],
          ["", "Net Ordinary Income", "", "", "", "", "", "=H10", "=I10", ""],
          ["Net Income", "", "", "", "", "", "", "=H11", "=I11", ""]]
    data = workbook({"Sheet1": bs, "Sheet2": pl})
    books = read_books(BookFile("qbd.xlsx", data), BookFile("qbd.xlsx", data))
    assert not books.errors, errors(books)
    assert {k: (str(v[0]), str(v[1])) for k, v in months(books).items()} == {
        "2025-01": ("4100.45", "12150.50"), "2025-02": ("4650.05", "9100.00")}
    assert str(books.months[0].gp_from) == "qbd.xlsx (sheet Sheet2) row 10, column H"
    assert books.months[0].cash_from.label == "Total Checking/Savings"


def test_a_xero_aged_receivables_workbook_reads_like_its_csv() -> None:
    rows = [[_amount(c) for c in r] for r in rows_of("xero_aged_receivables_2025-06-30.csv")]
    data = workbook({"Aged Receivables Summary": rows})
    books = read_books(book("xero_profit_and_loss.csv"), book("xero_balance_sheet.csv"),
                       [BookFile("ar.xlsx", data)])
    assert months(books) == months(xero())


# --------------------------------------------------------------------------- the months file


def test_the_months_file_is_the_spec_layout_with_blank_ar_and_reads_back_exactly() -> None:
    books = qbo("qbo_ar_aging_2025-06-30.csv")
    data = books.months_csv()
    lines = data.decode("utf-8").splitlines()
    assert lines[0] == "month,gp,cash_on_hand,ar_total,ar_90_plus"
    assert lines[3] == "2025-03,-399.25,22900.10,,"
    assert lines[6] == "2025-06,965.09,25800.00,3566.25,396.25"
    loaded = load_months(data, "months.csv")
    assert loaded.ok and loaded.problems == ()
    assert loaded.value == books.to_months()


def test_the_table_shows_each_figure_with_its_report_and_row() -> None:
    row = qbo("qbo_ar_aging_2025-06-30.csv").table()[-1]
    assert row == {
        "Month": "2025-06", "GP": "$965.09", "Cash on hand": "$25,800.00",
        "A/R total": "$3,566.25", "A/R over 90 days": "$396.25",
        "GP from": "qbo_profit_and_loss_by_month.csv row 22, column G",
        "Cash from": "qbo_balance_sheet_by_month.csv row 11, column G",
        "A/R from": "qbo_ar_aging_2025-06-30.csv row 12, column G (as of 2025-06-30)"}


def test_no_months_file_is_written_while_there_is_an_error() -> None:
    books = read_books(book("qbo_balance_sheet_by_month.csv"),
                       book("qbo_balance_sheet_by_month.csv"))
    with pytest.raises(ValueError, match="problems to fix"):
        books.months_csv()


# --------------------------------------------------------------------------- bad files


def test_a_balance_sheet_given_as_the_profit_and_loss_is_one_clear_error() -> None:
    books = read_books(book("qbo_balance_sheet_by_month.csv"),
                       book("qbo_balance_sheet_by_month.csv"))
    assert errors(books) == [
        "qbo_balance_sheet_by_month.csv: is a balance sheet, not a profit and loss (its title "
        "on row 1 is 'Balance Sheet'); expected a profit and loss by month (QuickBooks: Profit "
        "and Loss by Month, or columns by Months; Xero: Profit and Loss compared with the "
        "previous months)"]
    assert books.months == ()


def test_a_report_without_month_columns_is_one_clear_error() -> None:
    books = read_books(book("bad_profit_and_loss_without_month_columns.csv"),
                       book("qbo_balance_sheet_by_month.csv"))
    assert errors(books) == [
        "bad_profit_and_loss_without_month_columns.csv row 5: has no month columns (its "
        "columns are 'Total'); expected a profit and loss by month with one column per month"]


def test_an_aging_report_without_an_as_of_date_is_one_clear_error() -> None:
    books = qbo("bad_ar_aging_without_as_of.csv")
    assert errors(books) == [
        "bad_ar_aging_without_as_of.csv: has no 'as of' date in its title rows; expected a line "
        "like 'As of December 31, 2025' (Xero: 'As at 31 December 2025') above the column "
        "headings"]


def test_two_aging_reports_for_one_month_end_are_an_error() -> None:
    books = qbo("qbo_ar_aging_2025-06-30.csv", "qbo_ar_aging_2025-06-15.csv")
    assert errors(books) == [
        "qbo_ar_aging_2025-06-15.csv row 3: is as of 2025-06-15, a second report for the "
        "month-end of 2025-06 (qbo_ar_aging_2025-06-30.csv is as of 2025-06-30); expected one "
        "A/R aging report per month-end"]


def test_reports_of_different_years_are_one_clear_error() -> None:
    books = read_books(book("qbo_profit_and_loss_by_month.csv"),
                       book("qbo_balance_sheet_by_month_2024.csv"))
    assert errors(books) == [
        "qbo_profit_and_loss_by_month.csv: has no month in common with "
        "qbo_balance_sheet_by_month_2024.csv: the profit and loss has 2025-01 to 2025-06, the "
        "balance sheet 2024-01 to 2024-06; expected reports for the same months"]


def test_months_in_only_one_report_are_left_out_and_named() -> None:
    short = "\n".join(r for r in (BOOKS / "qbo_balance_sheet_by_month.csv").read_text(
        encoding="utf-8").splitlines())
    short = short.replace("January 2025", "December 2024")
    books = read_books(book("qbo_profit_and_loss_by_month.csv"),
                       BookFile("bs.csv", short.encode()))
    assert not books.errors
    assert list(months(books)) == list(QBO_GP)[1:]
    assert ("qbo_profit_and_loss_by_month.csv: 2025-01 is in the profit and loss but not in the "
            "balance sheet (bs.csv), so it is left out (a month needs its month-end cash)"
            ) in warnings(books)
    assert ("bs.csv: 2024-12 is in the balance sheet but not in the profit and loss "
            "(qbo_profit_and_loss_by_month.csv), so it is left out") in warnings(books)


def test_a_bad_amount_names_its_file_row_and_column() -> None:
    data = (BOOKS / "qbo_profit_and_loss_by_month.csv").read_text(encoding="utf-8").replace(
        'Gross Profit,"1,735.25"', "Gross Profit,17x5.25")
    books = read_books(BookFile("pl.csv", data.encode()), book("qbo_balance_sheet_by_month.csv"))
    assert errors(books) == ["pl.csv row 22, column B: Gross Profit: '17x5.25' is not an amount "
                             "of money; expected an amount as the report writes it, like "
                             "1,234.56"]


def test_a_missing_report_is_named() -> None:
    books = read_books(None, book("qbo_balance_sheet_by_month.csv"))
    assert errors(books) == ["profit and loss: no profit and loss was given; expected profit "
                             "and loss by month"]


@pytest.mark.parametrize("data", [
    b"", b"\x00\x01\x02binary", b"PK\x03\x04not really a zip", b"a,b\n\"unclosed\n",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old xls",
])
def test_a_file_that_is_not_a_report_is_one_line_never_a_traceback(data: bytes) -> None:
    for name in ("pl.csv", "pl.xlsx"):
        books = read_books(BookFile(name, data), book("qbo_balance_sheet_by_month.csv"))
        assert books.errors and books.months == ()
        assert all("\n" not in str(p) for p in books.problems)


def test_every_cut_of_a_report_reads_without_an_exception() -> None:
    whole = (BOOKS / "qbo_profit_and_loss_by_month.csv").read_bytes()
    aging = (BOOKS / "xero_aged_receivables_2025-06-30.csv").read_bytes()
    for cut in range(0, len(whole), 97):
        read_books(BookFile("pl.csv", whole[:cut]), book("qbo_balance_sheet_by_month.csv"),
                   [BookFile("ar.csv", aging[: cut % len(aging)])])
    pl = workbook({"Sheet1": qbo_workbook("qbo_profit_and_loss_by_month.csv")})
    for cut in range(0, len(pl), len(pl) // 12):
        read_books(BookFile("pl.xlsx", pl[:cut]), book("qbo_balance_sheet_by_month.csv"))


def test_a_workbook_with_an_xml_entity_is_refused() -> None:
    data = workbook({"Sheet1": [["Profit and Loss"], ["Account", "Jan 2025"],
                                ["Gross Profit", 1]]})
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY e "boom">]>', 1)
            dst.writestr(item, body)
    books = read_books(BookFile("pl.xlsx", out.getvalue()), book("qbo_balance_sheet_by_month.csv"))
    assert any("entity" in e and e.startswith("pl.xlsx") for e in errors(books))


# --------------------------------------------------------------------------- small parts


@pytest.mark.parametrize(("text", "kind", "ym"), [
    ("January 2025", "month", (2025, 1)), ("Sept 2025", "month", (2025, 9)),
    ("Jan 25", "month", (2025, 1)), ("2025-07", "month", (2025, 7)),
    ("Dec 1 - Dec 17 2025", "partial", (2025, 12)), ("Dec 1 - Dec 31 2025", "month", (2025, 12)),
    ("Jan - Dec 2020", "span", None), ("Oct '21 - Sep 22", "span", None),
    ("Total", "total", None), ("TOTAL", "total", None), ("YTD", "total", None),
    ("31 Dec 2025", "date", (2025, 12)), ("As of Dec 31, 2019 (PP)", "date", (2019, 12)),
    ("Distribution account", "other", None), ("% of Income", "other", None),
])
def test_column_headings_are_read_for_what_they_name(text: str, kind: str,
                                                     ym: tuple[int, int] | None) -> None:
    h = heading(text)
    assert (h.kind, h.ym) == (kind, ym)


def test_formulas_are_evaluated_exactly_and_others_fall_back() -> None:
    cells = {(1, 1): Decimal("0.10"), (2, 1): Decimal("0.20"), (3, 1): Decimal("-0.30")}

    def get(r: int, c: int) -> Decimal:
        return cells.get((r, c), Decimal(0))

    assert evaluate("=SUM(A1:A3)", get) == 0  # never 5.551115123125783e-17
    assert evaluate("=ROUND((A1)+(A2),5)-A1*2", get) == Decimal("0.10000")
    for unsupported in ("=Sheet2!A1", "=A1&A2", "=IF(A1>0,1,2)", "=A1:A2", "=(A1"):
        with pytest.raises(Unsupported):
            evaluate(unsupported, get)
