"""Fixing an upload cell by cell: the fixed file is judged exactly as the original was."""

from __future__ import annotations

import io
from datetime import date

import openpyxl

from tel.io.loaders import load_months, load_roster
from tel.io.sheetfix import fix, problem_rows, read_grid, to_bytes

BAD = (b"name,salary,start_date,end_date,employment\r\n"
       b"\"Lee, Zo\xc3\xab\",12x,2020-01-01,,w2\r\n"
       b"\r\n"
       b"Bob,60000,01/02/2020,,boss\r\n")


def test_problem_rows_keep_their_spreadsheet_numbers_after_a_fix() -> None:
    grid = read_grid(BAD, "roster.csv")
    assert grid is not None
    rows = problem_rows(grid, load_roster(BAD, "roster.csv").problems)
    assert list(rows) == [2, 4]
    half = to_bytes(fix(grid, {2: {1: "65000"}}))
    again = load_roster(half, "roster.csv")
    assert {(p.row, p.column) for p in again.errors} == {(4, "start_date"), (4, "employment")}


def test_a_fixed_csv_loads_with_commas_and_accents_intact() -> None:
    grid = read_grid(BAD, "roster.csv")
    assert grid is not None
    fixed = fix(grid, {2: {1: " 65000 "}, 4: {2: "2020-02-01", 4: "w2"}})
    people = load_roster(to_bytes(fixed), "roster.csv").unwrap()
    assert [(p.name, str(p.salary), p.start_date) for p in people] == [
        ("Lee, Zoë", "65000", date(2020, 1, 1)), ("Bob", "60000", date(2020, 2, 1))]


def test_a_workbook_stays_a_workbook_so_excel_date_serials_still_count() -> None:
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["name", "salary", "start_date", "end_date", "employment"])
    ws.append(["Ann", "12x", 43831, None, "w2"])  # 43831 = 2020-01-01 as an Excel serial
    buf = io.BytesIO()
    book.save(buf)
    grid = read_grid(buf.getvalue(), "roster.xlsx")
    assert grid is not None and grid.xlsx
    data = to_bytes(fix(grid, {2: {1: "=1+1"}}))
    assert data.startswith(b"PK")
    loaded = load_roster(data, "roster.xlsx")  # a formula typed in a cell is text, not run
    assert [(p.row, p.column) for p in loaded.errors] == [(2, "salary")]
    data = to_bytes(fix(grid, {2: {1: "50000"}}))
    [ann] = load_roster(data, "roster.xlsx").unwrap()
    assert ann.start_date == date(2020, 1, 1)


def test_a_header_can_be_renamed_and_a_row_left_out() -> None:
    data = b"month,gp,cash,ar_total,ar_90_plus\n2026-07,1,2,3,1\n2026-08,x,2,3,1\n"
    grid = read_grid(data, "months.csv")
    assert grid is not None
    rows = problem_rows(grid, load_months(data, "months.csv").problems)
    assert list(rows) == [1, 3]  # the misspelt header, and a bad cell below it
    fixed = to_bytes(fix(grid, {1: {2: "cash_on_hand"}}, dropped={3}))
    [july] = load_months(fixed, "months.csv").unwrap()
    assert july.label == "2026-07"


def test_a_file_that_is_not_a_sheet_has_no_grid() -> None:
    assert read_grid(b"\x00\x01binary", "roster.csv") is None
    assert read_grid(b"", "roster.csv") is None
    assert read_grid(b"PK\x03\x04 not a zip", "roster.xlsx") is None
