"""Loading uploads: every cell read as a string, then validated; every problem reported."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spec_examples import SPEC_PLAN
from strategies import plans

from tel.core.models import Employment, Person, Plan
from tel.core.policy import FIELDS
from tel.io.loaders import (
    MAX_BYTES,
    load_months,
    load_plan,
    load_roster,
    read_months,
    read_plan,
    read_roster,
    read_scenario,
)
from tel.io.planfile import SECTIONS, plan_from_toml, plan_to_toml
from tel.io.problems import InputError, Loaded, Problem
from tel.io.synthetic import roster_csv_text

HEADER = "name,salary,start_date,end_date,employment"
FULL_HEADER = "name,salary,start_date,end_date,employment,full_time,owner,performance,department"
MONTHS_HEADER = "month,gp,cash_on_hand,ar_total,ar_90_plus"


def csv_bytes(*lines: str, header: str = HEADER, newline: str = "\n") -> bytes:
    return newline.join([header, *lines, ""]).encode("utf-8")


def lines(loaded: Loaded[Any]) -> list[str]:
    return [str(p) for p in loaded.problems]


def errors(loaded: Loaded[Any]) -> list[str]:
    return [str(p) for p in loaded.errors]


def only_error(loaded: Loaded[Any]) -> Problem:
    assert loaded.value is None
    assert len(loaded.errors) == 1, lines(loaded)
    return loaded.errors[0]


def but_missing(problems: Any) -> list[Any]:
    """Leave out "is missing" problems: a plan snippet lacks most of the company's figures."""
    return [p for p in problems if "is missing" not in str(p)]


def only_plan_error(loaded: Loaded[Any]) -> Problem:
    """The one error in a plan snippet besides the figures it leaves out."""
    assert loaded.value is None
    rest = but_missing(loaded.errors)
    assert len(rest) == 1, lines(loaded)
    return rest[0]


def xlsx_bytes(rows: list[list[Any]], *, extra_sheet: bool = False) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    if extra_sheet:
        book.create_sheet("notes")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rewrite_sheet(data: bytes, change: Callable[[bytes], bytes]) -> bytes:
    """The same workbook with the first worksheet's XML changed."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(out, "w") as new:
        for info in old.infolist():
            content = old.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = change(content)
            new.writestr(info, content)
    return out.getvalue()


# --- roster from CSV: what is read --------------------------------------------------------


def test_a_plain_roster_is_read_with_the_person_defaults() -> None:
    loaded = load_roster(csv_bytes("Ann,60000,2020-01-01,,w2"), "roster.csv")
    (ann,) = loaded.unwrap()
    assert loaded.problems == ()
    assert (ann.name, ann.salary, ann.start_date, ann.end_date) == (
        "Ann",
        Decimal("60000"),
        date(2020, 1, 1),
        None,
    )
    assert (ann.employment, ann.full_time, ann.owner) == (Employment.W2, True, False)
    assert (ann.performance, ann.department) == (Decimal("1"), "")


def test_salary_with_dollar_sign_and_thousands_separator_is_read() -> None:
    loaded = load_roster(csv_bytes('Ann,"$65,000.50",2020-01-01,,w2'), "roster.csv")
    assert loaded.unwrap()[0].salary == Decimal("65000.50")


def test_quoted_name_with_comma_and_accent_is_read() -> None:
    loaded = load_roster(csv_bytes('"Lee, Zoë Ångström",60000,2020-01-01,,w2'), "roster.csv")
    assert loaded.unwrap()[0].name == "Lee, Zoë Ångström"


def test_utf8_byte_order_mark_is_ignored() -> None:
    data = b"\xef\xbb\xbf" + csv_bytes("Zoë,60000,2020-01-01,,w2")
    loaded = load_roster(data, "roster.csv")
    assert loaded.problems == ()
    assert loaded.unwrap()[0].name == "Zoë"


def test_crlf_line_endings_are_read() -> None:
    data = csv_bytes("Ann,60000,2020-01-01,,w2", "Bob,50000,2021-01-01,,w2", newline="\r\n")
    loaded = load_roster(data, "roster.csv")
    assert [p.name for p in loaded.unwrap()] == ["Ann", "Bob"]
    assert loaded.problems == ()


def test_windows_1252_text_is_read_with_a_warning_not_an_error() -> None:
    data = (HEADER + "\r\nZoë Müller,60000,2020-01-01,,w2\r\n").encode("cp1252")
    loaded = load_roster(data, "roster.csv")
    assert loaded.unwrap()[0].name == "Zoë Müller"
    (warning,) = loaded.problems
    assert warning.severity == "warning"
    assert "Windows-1252" in warning.message


def test_headers_are_case_insensitive_and_trimmed() -> None:
    header = " NAME , Salary,Start Date,END_DATE ,Employment"
    loaded = load_roster(csv_bytes("Ann,60000,2020-01-01,,w2", header=header), "roster.csv")
    assert loaded.unwrap()[0].name == "Ann"
    assert loaded.problems == ()


def test_columns_may_come_in_any_order() -> None:
    header = "employment,start_date,name,end_date,salary"
    loaded = load_roster(csv_bytes("w2,2020-01-01,Ann,,60000", header=header), "roster.csv")
    assert loaded.unwrap()[0].salary == Decimal("60000")


def test_unknown_column_is_a_warning_and_its_values_are_ignored() -> None:
    header = HEADER + ",bonus"
    loaded = load_roster(csv_bytes("Ann,60000,2020-01-01,,w2,999", header=header), "roster.csv")
    assert loaded.ok
    (warning,) = loaded.problems
    assert (warning.severity, warning.row, warning.column) == ("warning", 1, "bonus")
    assert "ignored" in warning.message


@pytest.mark.parametrize("missing", ["name", "salary", "start_date", "end_date", "employment"])
def test_missing_required_column_is_an_error_naming_it(missing: str) -> None:
    header = ",".join(c for c in HEADER.split(",") if c != missing)
    cells = {"name": "Ann", "salary": "60000", "start_date": "2020-01-01", "end_date": ""}
    cells["employment"] = "w2"
    row = ",".join(cells[c] for c in header.split(","))
    loaded = load_roster(csv_bytes(row, header=header), "roster.csv")
    problem = only_error(loaded)
    assert problem.column == missing
    assert problem.row is None
    assert "missing" in problem.message and "expected" in problem.message


def test_cells_are_still_checked_when_a_column_is_missing() -> None:
    header = "name,salary,start_date,end_date"
    loaded = load_roster(csv_bytes("Ann,12x,2020-01-01,", header=header), "roster.csv")
    assert {p.column for p in loaded.errors} == {"employment", "salary"}


def test_optional_columns_take_the_person_defaults_when_absent_or_blank() -> None:
    loaded = load_roster(
        csv_bytes("Ann,60000,2020-01-01,,w2,,,,", header=FULL_HEADER), "roster.csv"
    )
    (ann,) = loaded.unwrap()
    assert (ann.full_time, ann.owner, ann.performance, ann.department) == (
        True,
        False,
        Decimal("1"),
        "",
    )


def test_all_nine_columns_are_read() -> None:
    row = "Ann,60000,2020-01-01,2027-01-31,contractor,no,yes,1.25,Ops"
    (ann,) = load_roster(csv_bytes(row, header=FULL_HEADER), "roster.csv").unwrap()
    assert ann.end_date == date(2027, 1, 31)
    assert (ann.employment, ann.full_time, ann.owner) == (Employment.CONTRACTOR, False, True)
    assert (ann.performance, ann.department) == (Decimal("1.25"), "Ops")


def test_empty_rows_are_skipped_and_row_numbers_still_count() -> None:
    data = csv_bytes("Ann,60000,2020-01-01,,w2", "", ",,,,", "Bob,12x,2020-01-01,,w2")
    loaded = load_roster(data, "roster.csv")
    assert [p.row for p in loaded.errors] == [5]


@pytest.mark.parametrize("word", ["true", "TRUE", "yes", "Y", "1", " True "])
def test_true_is_written_true_yes_y_or_1(word: str) -> None:
    row = f"Ann,60000,2020-01-01,,w2,{word},{word},,"
    (ann,) = load_roster(csv_bytes(row, header=FULL_HEADER), "roster.csv").unwrap()
    assert ann.full_time is True and ann.owner is True


@pytest.mark.parametrize("word", ["false", "False", "no", "N", "0"])
def test_false_is_written_false_no_n_or_0(word: str) -> None:
    row = f"Ann,60000,2020-01-01,,w2,{word},{word},,"
    (ann,) = load_roster(csv_bytes(row, header=FULL_HEADER), "roster.csv").unwrap()
    assert ann.full_time is False and ann.owner is False


def test_a_word_that_is_not_true_or_false_is_an_error() -> None:
    row = "Ann,60000,2020-01-01,,w2,sometimes,,,"
    problem = only_error(load_roster(csv_bytes(row, header=FULL_HEADER), "roster.csv"))
    assert (problem.row, problem.column) == (2, "full_time")
    assert "'sometimes' is not true or false; expected true or false" in problem.message


@pytest.mark.parametrize(
    ("word", "kind"),
    [
        ("w2", Employment.W2),
        ("W2", Employment.W2),
        ("W-2", Employment.W2),
        ("contractor", Employment.CONTRACTOR),
        ("Contractor", Employment.CONTRACTOR),
        ("1099", Employment.CONTRACTOR),
    ],
)
def test_employment_is_w2_or_w_dash_2_or_contractor_or_1099(word: str, kind: Employment) -> None:
    (ann,) = load_roster(csv_bytes(f"Ann,60000,2020-01-01,,{word}"), "roster.csv").unwrap()
    assert ann.employment is kind


def test_unknown_employment_is_an_error() -> None:
    problem = only_error(load_roster(csv_bytes("Ann,60000,2020-01-01,,intern"), "roster.csv"))
    assert problem.column == "employment"
    assert "expected w2 (or W-2) or contractor (or 1099)" in problem.message


def test_a_number_in_a_csv_date_column_is_not_a_date() -> None:
    problem = only_error(load_roster(csv_bytes("Ann,60000,86400,,w2"), "roster.csv"))
    assert problem.column == "start_date"
    assert "'86400' is not a date" in problem.message
    assert "YYYY-MM-DD" in problem.message


@pytest.mark.parametrize("text", ["01/02/2024", "2024/01/02", "Jan 2 2024", "2024-01-02T00:00"])
def test_only_iso_dates_are_read_from_csv(text: str) -> None:
    problem = only_error(load_roster(csv_bytes(f"Ann,60000,{text},,w2"), "roster.csv"))
    assert problem.column == "start_date"
    assert "expected a date as YYYY-MM-DD" in problem.message


def test_a_date_that_does_not_exist_is_an_error() -> None:
    problem = only_error(load_roster(csv_bytes("Ann,60000,2023-02-29,,w2"), "roster.csv"))
    assert "'2023-02-29' is not a real date" in problem.message


def test_end_date_before_start_date_is_an_error() -> None:
    problem = only_error(load_roster(csv_bytes("Ann,60000,2024-05-01,2024-04-30,w2"), "r.csv"))
    assert (problem.row, problem.column) == (2, "end_date")
    assert "before the start_date 2024-05-01" in problem.message


@pytest.mark.parametrize("salary", ["0", "-5", "$0.00", "(100)"])
def test_salary_must_be_more_than_zero(salary: str) -> None:
    problem = only_error(load_roster(csv_bytes(f'Ann,"{salary}",2020-01-01,,w2'), "r.csv"))
    assert problem.column == "salary"
    assert "not more than 0" in problem.message


def test_salary_with_more_than_two_decimals_is_an_error() -> None:
    problem = only_error(load_roster(csv_bytes("Ann,60000.001,2020-01-01,,w2"), "r.csv"))
    assert "more than two decimal places" in problem.message


@pytest.mark.parametrize("word", ["nan", "NaN", "inf", "-inf", "Infinity"])
def test_nan_and_infinity_are_rejected_in_money_and_performance(word: str) -> None:
    row = f"Ann,{word},2020-01-01,,w2,,,{word},"
    loaded = load_roster(csv_bytes(row, header=FULL_HEADER), "roster.csv")
    assert {p.column for p in loaded.errors} == {"salary", "performance"}
    months = load_months(csv_bytes(f"2026-07,{word},1,1,0", header=MONTHS_HEADER), "m.csv")
    assert [p.column for p in months.errors] == ["gp"]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("-1", "is negative"),
        ("101", "more than 100"),
        ("1.23456", "more than four decimal places"),
        ("1e3", "is not a number"),
        ("1_000", "is not a number"),
        ("high", "is not a number"),
    ],
)
def test_performance_is_a_plain_multiplier_from_0_to_100(text: str, words: str) -> None:
    row = f"Ann,60000,2020-01-01,,w2,,,{text},"
    problem = only_error(load_roster(csv_bytes(row, header=FULL_HEADER), "roster.csv"))
    assert problem.column == "performance"
    assert words in problem.message


def test_blank_required_cell_is_an_error() -> None:
    problem = only_error(load_roster(csv_bytes("Ann,,2020-01-01,,w2"), "roster.csv"))
    assert (problem.row, problem.column) == (2, "salary")
    assert problem.message.startswith("is blank; expected")


def test_duplicate_names_are_errors_naming_both_rows() -> None:
    data = csv_bytes("Ann,60000,2020-01-01,,w2", "Bob,1,2020-01-01,,w2", " ann ,1,2020-01-01,,w2")
    problem = only_error(load_roster(data, "roster.csv"))
    assert (problem.row, problem.column) == (4, "name")
    assert "rows 2 and 4" in problem.message


def test_name_with_a_line_break_or_control_character_is_an_error() -> None:
    loaded = load_roster(csv_bytes('"Ann\nLee",60000,2020-01-01,,w2'), "roster.csv")
    problem = only_error(loaded)
    assert problem.column == "name"
    assert "\n" not in str(problem)


def test_overlong_name_is_an_error() -> None:
    problem = only_error(load_roster(csv_bytes("A" * 201 + ",60000,2020-01-01,,w2"), "r.csv"))
    assert "longer than 200 characters" in problem.message


def test_every_bad_cell_is_reported_not_just_the_first() -> None:
    data = csv_bytes(
        "Ann,12x,2020-13-01,,w2",
        "Bob,60000,2020-01-01,,boss",
        ",60000,01/02/2020,,w2",
        "Cat,70000,2020-01-01,,w2",
    )
    loaded = load_roster(data, "roster.csv")
    assert loaded.value is None
    assert [(p.row, p.column) for p in loaded.errors] == [
        (2, "salary"),
        (2, "start_date"),
        (3, "employment"),
        (4, "name"),
        (4, "start_date"),
    ]


def test_problem_reads_as_one_line_with_file_row_column_and_what_was_expected() -> None:
    problem = only_error(load_roster(csv_bytes("Ann,12x,2020-01-01,,w2"), "roster.csv"))
    assert str(problem) == (
        "roster.csv row 2, column salary: '12x' is not an amount of money; "
        "expected dollars like 65000 or $65,000.00"
    )


def test_header_row_is_row_1_and_first_data_row_is_row_2() -> None:
    data = csv_bytes("Ann,60000,2020-01-01,,w2", "Bob,x,2020-01-01,,w2", header=HEADER + ",x y")
    loaded = load_roster(data, "roster.csv")
    assert [(p.row, p.severity) for p in loaded.problems] == [(1, "warning"), (3, "error")]


def test_header_only_file_is_an_error() -> None:
    problem = only_error(load_roster(csv_bytes(), "roster.csv"))
    assert "no rows" in problem.message


@pytest.mark.parametrize("data", [b"", b"\n\n", b"\xef\xbb\xbf", b" , ,\r\n"])
def test_empty_file_is_an_error(data: bytes) -> None:
    problem = only_error(load_roster(data, "roster.csv"))
    assert "is empty" in problem.message


def test_duplicate_header_is_an_error() -> None:
    header = HEADER + ",Salary"
    problem = only_error(load_roster(csv_bytes("Ann,1,2020-01-01,,w2,2", header=header), "r.csv"))
    assert problem.column == "salary"
    assert "columns B and F" in problem.message


def test_values_under_a_blank_header_are_a_warning() -> None:
    loaded = load_roster(csv_bytes("Ann,60000,2020-01-01,,w2,stray"), "roster.csv")
    assert loaded.ok
    (warning,) = loaded.warnings
    assert "column F" in warning.message and warning.row == 2


def test_unclosed_quote_is_one_error_with_its_line() -> None:
    problem = only_error(load_roster(csv_bytes('"Ann,60000,2020-01-01,,w2'), "roster.csv"))
    assert "not valid CSV" in problem.message
    assert problem.line is not None


# --- months -------------------------------------------------------------------------------


def test_months_are_read_and_gp_may_be_negative() -> None:
    data = csv_bytes(
        "2026-07,69343,52000,320000,24000", '2026-08,"-$1,200.50",0,0,0', header=MONTHS_HEADER
    )
    july, august = load_months(data, "months.csv").unwrap()
    assert (july.year, july.month) == (2026, 7)
    assert (july.gp, july.ar_90_plus) == (Decimal(69343), Decimal(24000))
    assert august.gp == Decimal("-1200.50")


@pytest.mark.parametrize("text", ["07/2026", "2026-13", "2026-07-01", "2026", "45474", "1800-01"])
def test_month_must_be_written_yyyy_mm_in_csv(text: str) -> None:
    data = csv_bytes(f"{text},1,1,1,0", header=MONTHS_HEADER)
    problem = only_error(load_months(data, "months.csv"))
    assert problem.column == "month"
    assert "expected a month as YYYY-MM" in problem.message


def test_ar_90_plus_above_ar_total_is_an_error() -> None:
    data = csv_bytes("2026-07,1,1,100,101", header=MONTHS_HEADER)
    problem = only_error(load_months(data, "months.csv"))
    assert (problem.row, problem.column) == (2, "ar_90_plus")
    assert "$101.00 is more than ar_total $100.00" in problem.message


@pytest.mark.parametrize("column", ["cash_on_hand", "ar_total", "ar_90_plus"])
def test_month_end_balances_may_not_be_negative(column: str) -> None:
    cells = {"cash_on_hand": "1", "ar_total": "10", "ar_90_plus": "0", column: "-1"}
    row = f"2026-07,1,{cells['cash_on_hand']},{cells['ar_total']},{cells['ar_90_plus']}"
    loaded = load_months(csv_bytes(row, header=MONTHS_HEADER), "months.csv")
    assert column in {p.column for p in loaded.errors}


def test_duplicate_months_are_errors_naming_both_rows() -> None:
    data = csv_bytes("2026-07,1,1,1,0", "2026-08,1,1,1,0", "2026-7,2,1,1,0", header=MONTHS_HEADER)
    problem = only_error(load_months(data, "months.csv"))
    assert (problem.row, problem.column) == (4, "month")
    assert "2026-07 appears twice (rows 2 and 4)" in problem.message


def test_missing_months_column_is_an_error_naming_it() -> None:
    data = csv_bytes("2026-07,1,1,1", header="month,gp,cash_on_hand,ar_total")
    assert only_error(load_months(data, "months.csv")).column == "ar_90_plus"


# --- whole files that are not what they claim ----------------------------------------------


def test_nul_bytes_are_one_binary_file_error() -> None:
    problem = only_error(load_roster(csv_bytes("Ann\x00,1,2020-01-01,,w2"), "roster.csv"))
    assert problem.row is None
    assert "binary" in problem.message


def test_binary_junk_is_one_error() -> None:
    junk = bytes(range(256)) * 8
    problem = only_error(load_roster(junk, "roster.csv"))
    assert "binary" in problem.message


def test_control_characters_mark_a_file_as_binary() -> None:
    problem = only_error(load_roster(csv_bytes("Ann\x1b[31m,1,2020-01-01,,w2"), "roster.csv"))
    assert "binary" in problem.message


def test_workbook_named_csv_is_one_error() -> None:
    data = xlsx_bytes([HEADER.split(",")])
    problem = only_error(load_roster(data, "roster.csv"))
    assert "zip archive" in problem.message


def test_old_xls_workbook_is_one_error() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    assert "old-style" in only_error(load_roster(ole, "roster.csv")).message
    assert ".xls" in only_error(load_roster(ole, "roster.xls")).message
    assert "not an Excel .xlsx" in only_error(load_roster(ole, "roster.xlsx")).message


@pytest.mark.parametrize("name", ["roster.pdf", "roster.json", "roster.docx"])
def test_unsupported_file_type_is_one_error(name: str) -> None:
    problem = only_error(load_roster(csv_bytes("Ann,60000,2020-01-01,,w2"), name))
    assert "expected" in problem.message and ".csv" in problem.message


def test_utf16_text_is_refused_with_a_hint() -> None:
    data = (HEADER + "\nAnn,60000,2020-01-01,,w2\n").encode("utf-16")
    assert "UTF-16" in only_error(load_roster(data, "roster.csv")).message


def test_text_in_no_known_encoding_is_one_error() -> None:
    # 0x81 is undefined in Windows-1252 and invalid as UTF-8
    assert "binary" in only_error(load_roster(b"name\x81\n", "roster.csv")).message


def test_file_over_the_size_limit_is_refused() -> None:
    data = csv_bytes(*["Ann,60000,2020-01-01,,w2"] * 10)
    problem = only_error(load_roster(data, "roster.csv", max_bytes=100))
    assert "limit" in problem.message
    assert MAX_BYTES == 20 * 1024 * 1024


def test_file_with_data_beyond_the_row_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tel.io.loaders.MAX_ROWS", 3)
    data = csv_bytes("Ann,1,2020-01-01,,w2", "Bob,1,2020-01-01,,w2", "Cat,1,2020-01-01,,w2")
    assert "beyond row 3" in only_error(load_roster(data, "roster.csv")).message


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=400), name=st.sampled_from(["r.csv", "r.xlsx", "r", "r.toml"]))
def test_arbitrary_bytes_never_raise(data: bytes, name: str) -> None:
    for loaded in (load_roster(data, name), load_months(data, name), load_plan(data, name)):
        assert all(isinstance(p, Problem) for p in loaded.problems)
        if loaded.value is None:
            assert loaded.errors


@settings(max_examples=100, deadline=None)
@given(text=st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=200))
def test_arbitrary_text_after_a_valid_header_never_raises(text: str) -> None:
    loaded = load_roster((HEADER + "\n" + text).encode("utf-8"), "roster.csv")
    assert loaded.value is not None or loaded.errors
    for problem in loaded.problems:
        assert "\n" not in str(problem)


# --- XLSX ----------------------------------------------------------------------------------


def test_xlsx_roster_is_read_like_csv() -> None:
    data = xlsx_bytes(
        [
            ["Name", "Salary", "Start Date", "end_date", "Employment", "full_time", "owner"],
            ["Lee, Zoë", 65000, datetime(2024, 3, 1), None, "W-2", True, False],
            ["Bob", "$50,000.50", "2021-01-02", "2027-01-01", 1099, 1, 0],
        ]
    )
    zoe, bob = load_roster(data, "roster.xlsx").unwrap()
    assert (zoe.name, zoe.salary, zoe.start_date, zoe.employment) == (
        "Lee, Zoë",
        Decimal("65000"),
        date(2024, 3, 1),
        Employment.W2,
    )
    assert (bob.salary, bob.end_date, bob.employment, bob.owner) == (
        Decimal("50000.50"),
        date(2027, 1, 1),
        Employment.CONTRACTOR,
        False,
    )


def test_excel_date_serial_is_read_as_a_date_only_from_xlsx() -> None:
    data = xlsx_bytes([HEADER.split(","), ["Ann", 60000, 45474, None, "w2"]])
    assert load_roster(data, "roster.xlsx").unwrap()[0].start_date == date(2024, 7, 1)
    csv_problem = only_error(load_roster(csv_bytes("Ann,60000,45474,,w2"), "roster.csv"))
    assert "only from .xlsx" in csv_problem.message


def test_xlsx_written_by_xlsxwriter_with_date_formats_is_read() -> None:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet()
    money = book.add_format({"num_format": "$#,##0.00"})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, MONTHS_HEADER.split(","))
    sheet.write_datetime(1, 0, datetime(2026, 7, 1), day)
    sheet.write_number(1, 1, -1200.5, money)
    sheet.write_number(1, 2, 52000, money)
    sheet.write_number(1, 3, 320000, money)
    sheet.write_number(1, 4, 24000, money)
    sheet.write_string(2, 0, "2026-08")
    sheet.write_row(2, 1, [59343, 52000, 320000, 24000])
    book.close()
    july, august = load_months(buffer.getvalue(), "months.xlsx").unwrap()
    assert (july.year, july.month, july.gp) == (2026, 7, Decimal("-1200.5"))
    assert (august.year, august.month) == (2026, 8)


def test_xlsx_every_bad_cell_is_reported_with_spreadsheet_row_numbers() -> None:
    data = xlsx_bytes(
        [
            [],
            MONTHS_HEADER.split(","),
            ["2026-07", "12x", 1, 1, 0],
            [],
            ["July", 1, -1, 1, 0],
        ]
    )
    loaded = load_months(data, "months.xlsx")
    assert [(p.row, p.column) for p in loaded.errors] == [
        (3, "gp"),
        (5, "month"),
        (5, "cash_on_hand"),
    ]
    assert str(loaded.errors[0]).startswith("months.xlsx row 3, column gp: '12x'")


def test_xlsx_reads_only_the_first_sheet_with_a_warning() -> None:
    data = xlsx_bytes(
        [HEADER.split(","), ["Ann", 60000, "2020-01-01", None, "w2"]], extra_sheet=True
    )
    loaded = load_roster(data, "roster.xlsx")
    assert loaded.ok
    assert [p.severity for p in loaded.problems] == ["warning"]
    assert "only the first" in loaded.problems[0].message


def test_xlsx_infinite_number_is_rejected() -> None:
    data = xlsx_bytes([MONTHS_HEADER.split(","), ["2026-07", 12345, 1, 1, 0]])
    hostile = rewrite_sheet(data, lambda xml: xml.replace(b"<v>12345</v>", b"<v>1E999</v>"))
    problem = only_error(load_months(hostile, "months.xlsx"))
    assert (problem.row, problem.column) == (2, "gp")


def test_zip_bomb_is_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def must_not_parse(*args: object, **kwargs: object) -> None:
        raise AssertionError("openpyxl was asked to parse a zip bomb")

    monkeypatch.setattr(openpyxl, "load_workbook", must_not_parse)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 2_000_000)
    data = buffer.getvalue()
    assert len(data) < 10_000
    problem = only_error(load_roster(data, "roster.xlsx", max_unzipped_bytes=1_000_000))
    assert "unpack" in problem.message and "unsafe" in problem.message


def test_xlsx_with_xml_entities_is_refused() -> None:
    data = xlsx_bytes([HEADER.split(","), ["Ann", 60000, "2020-01-01", None, "w2"]])
    laughs = b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
    hostile = rewrite_sheet(data, lambda xml: xml.replace(b"<worksheet", laughs + b"<worksheet", 1))
    problem = only_error(load_roster(hostile, "roster.xlsx"))
    assert "entity" in problem.message


def test_openpyxl_parses_through_defusedxml() -> None:
    import openpyxl.xml.functions

    assert openpyxl.DEFUSEDXML is True
    assert openpyxl.xml.functions.iterparse.__module__.startswith("defusedxml")


def test_xlsx_is_refused_when_defusedxml_is_not_active(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(openpyxl, "DEFUSEDXML", False)
    data = xlsx_bytes([HEADER.split(","), ["Ann", 60000, "2020-01-01", None, "w2"]])
    assert "defusedxml" in only_error(load_roster(data, "roster.xlsx")).message


def test_file_named_xlsx_that_is_not_a_zip_is_one_error() -> None:
    problem = only_error(load_roster(csv_bytes("Ann,60000,2020-01-01,,w2"), "roster.xlsx"))
    assert "not an Excel .xlsx workbook" in problem.message


def test_zip_that_is_not_a_workbook_is_one_error() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    problem = only_error(load_roster(buffer.getvalue(), "roster.xlsx"))
    assert "could not be read as an Excel workbook" in problem.message


def test_xlsx_sheet_claiming_an_absurd_row_number_is_bounded() -> None:
    data = xlsx_bytes([MONTHS_HEADER.split(","), ["2026-07", 12345, 1, 1, 0]])

    def far_away(xml: bytes) -> bytes:
        xml = xml.replace(b'<row r="2"', b'<row r="99999999999"')
        for column in b"ABCDE":
            xml = xml.replace(b'r="%c2"' % column, b'r="%c99999999999"' % column)
        return xml

    # openpyxl would pad every row up to there; the loader stops at Excel's last row
    problem = only_error(load_months(rewrite_sheet(data, far_away), "months.xlsx"))
    assert "header but no rows" in problem.message


def test_xlsx_with_data_beyond_the_row_limit_is_refused() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(MONTHS_HEADER.split(","))
    sheet.cell(row=100_001, column=1, value="2026-07")
    buffer = io.BytesIO()
    book.save(buffer)
    assert "beyond row 100,000" in only_error(load_months(buffer.getvalue(), "m.xlsx")).message


# --- the plan file --------------------------------------------------------------------------



def test_default_plan_is_written_in_the_spec_layout() -> None:
    # plus the pay-day rule (written so the file shows it; a file without it reads the same)
    assert plan_to_toml(Plan()) == SPEC_PLAN.replace(
        "pay_day = 15\n", 'pay_day = 15\npay_day_rule = "previous_business_day"\n')


def test_the_spec_plan_file_reads_as_the_default_plan() -> None:
    loaded = load_plan(SPEC_PLAN.encode(), "plan.toml")
    assert loaded.unwrap() == Plan()
    assert loaded.problems == ()


def test_layout_names_every_plan_setting_once() -> None:
    keys = [(section, k) for section, ks in SECTIONS.items() for k in ks]
    assert len(set(keys)) == len(keys) == len(FIELDS)
    assert {f.path[0] for f in FIELDS} == set(Plan.model_fields)


@settings(max_examples=200, deadline=None)
@given(plan=plans())
def test_any_valid_plan_round_trips_exactly(plan: Plan) -> None:
    text = plan_to_toml(plan)
    again = plan_from_toml(text).unwrap()
    assert again == plan
    assert plan_to_toml(again) == text


def test_cents_and_four_place_percentages_round_trip_exactly() -> None:
    plan = Plan(overhead=Decimal("50000.50"), house_pct=Decimal("33.3333"), min_cash=0)
    text = plan_to_toml(plan)
    assert "overhead = 50000.50" in text and "house_pct = 33.3333" in text
    assert plan_from_toml(text).unwrap() == plan


def test_amounts_up_to_the_money_limit_round_trip_as_plain_toml_numbers() -> None:
    plan = Plan(overhead=Decimal("9999999999.99"), debt_service=Decimal("9999999999"))
    text = plan_to_toml(plan)
    assert "overhead = 9999999999.99" in text
    assert "debt_service = 9999999999\n" in text
    assert plan_from_toml(text).unwrap() == plan


def test_the_optional_keys_left_out_take_the_plan_defaults() -> None:
    text = SPEC_PLAN.split("[eligibility]")[0].replace("house_pct = 25", "house_pct = 30")
    plan = load_plan(text.encode(), "plan.toml").unwrap()
    assert plan == Plan(house_pct=Decimal("30"))


def test_an_empty_plan_is_an_error_not_the_default_plan() -> None:
    loaded = load_plan(b"# nothing yet\n", "plan.toml")
    assert "is empty" in only_error(loaded).message


def test_floats_and_strings_are_read_as_exact_decimals() -> None:
    text = (
        SPEC_PLAN.replace("overhead = 50000", 'overhead = "$50,000.50"')
        .replace("debt_service = 4000", "debt_service = 0.1")
        .replace("team_pct = 50", 'team_pct = "12.5%"')
    )
    plan = plan_from_toml(text).unwrap()
    assert plan.overhead == Decimal("50000.50")
    assert plan.debt_service == Decimal("0.1")
    assert plan.team_pct == Decimal("12.5")


def test_unknown_key_is_an_error_with_a_suggestion() -> None:
    loaded = plan_from_toml("[split]\nhouse_pc = 30\n")
    problem = only_plan_error(loaded)
    assert (problem.column, problem.line) == ("[split] house_pc", 2)
    assert "did you mean house_pct?" in problem.message


def test_unknown_section_is_an_error() -> None:
    problem = only_plan_error(plan_from_toml("[bonus]\nx = 1\n"))
    assert problem.column == "[bonus]"
    assert problem.line == 1
    assert "[threshold]" in problem.message


def test_key_in_the_wrong_section_is_an_error_naming_the_right_one() -> None:
    problem = only_plan_error(plan_from_toml("[split]\nmin_cash = 1\n"))
    assert "belongs in [gates]" in problem.message


def test_key_outside_any_section_is_an_error() -> None:
    problem = only_plan_error(plan_from_toml("overhead = 1\n"))
    assert problem.column == "[top level] overhead"
    assert "[threshold]" in problem.message


def test_merit_pct_is_explained_not_accepted() -> None:
    assert "100 - team_pct" in only_plan_error(plan_from_toml("[split]\nmerit_pct = 50\n")).message


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("[threshold]\noverhead = true", "a boolean, not a number"),
        ('[threshold]\noverhead = "lots"', "not an amount of money"),
        ("[threshold]\noverhead = [1, 2]", "an array, not a number"),
        ("[threshold]\noverhead = 2024-01-01", "a date or time, not a number"),
        ("[threshold]\noverhead = nan", "not a finite number"),
        ("[threshold]\noverhead = inf", "not a finite number"),
        ("[eligibility]\nmin_months = 9.5", "not a whole number"),
        ("[eligibility]\nmin_months = 9.0", "written as a decimal"),
        ('[calendar]\npay_day = "15"', "a string, not a whole number"),
        ("threshold = 5", "expected a section"),
    ],
)
def test_wrong_types_are_errors_in_plain_words(line: str, words: str) -> None:
    problem = only_plan_error(plan_from_toml(line + "\n"))
    assert words in problem.message


def test_out_of_range_values_are_all_reported_in_plain_words() -> None:
    text = (
        "[threshold]\noverhead = -1\n[split]\nhouse_pct = 120\n"
        "[calendar]\npay_day = 31\nfiscal_year_start = 0\n[gates]\nmin_cash = 1.005\n"
    )
    loaded = plan_from_toml(text)
    assert loaded.value is None
    assert but_missing(lines(loaded)) == [
        "plan.toml line 2, [threshold] overhead: -1 must be at least 0; "
        "expected monthly dollars, 0 or more, like 50000",
        "plan.toml line 4, [split] house_pct: 120 must be at most 100; "
        "expected a percentage from 0 to 100",
        "plan.toml line 6, [calendar] pay_day: 31 must be at most 28; "
        "expected a day of the month from 1 to 28, like 15",
        "plan.toml line 7, [calendar] fiscal_year_start: 0 must be at least 1; "
        "expected a month number from 1 (January) to 12",
        "plan.toml line 9, [gates] min_cash: 1.005 has more than 2 decimal places; "
        "expected dollars, 0 or more, like 50000",
    ]


def test_type_and_range_errors_are_reported_together() -> None:
    loaded = plan_from_toml("[split]\nhouse_pct = 120\nteam_pct = true\n")
    assert [p.column for p in but_missing(loaded.errors)] == [
        "[split] house_pct",
        "[split] team_pct",
    ]


def test_invalid_toml_syntax_reports_the_line() -> None:
    problem = only_error(plan_from_toml("[split]\nhouse_pct = 25\nteam_pct 50\n"))
    assert problem.line == 3
    assert "not valid TOML" in problem.message
    assert str(problem).startswith("plan.toml line 3: is not valid TOML")


def test_duplicate_toml_key_is_a_syntax_error() -> None:
    problem = only_error(plan_from_toml("[split]\nhouse_pct = 25\nhouse_pct = 30\n"))
    assert problem.line == 3


def test_plan_file_of_the_wrong_type_is_refused() -> None:
    assert ".toml" in only_error(load_plan(b"[split]\n", "plan.csv")).message
    assert "binary" in only_error(load_plan(b"[split]\x00\n", "plan.toml")).message
    assert "limit" in only_error(load_plan(b"#" * 50, "plan.toml", max_bytes=10)).message


def test_plan_in_windows_1252_is_read_with_a_warning() -> None:
    loaded = load_plan(("# Zoë's plan\n" + SPEC_PLAN).encode("cp1252"), "plan.toml")
    assert loaded.unwrap().house_pct == 25
    assert [p.severity for p in loaded.problems] == ["warning"]


# --- paths, results, errors ------------------------------------------------------------------


def test_missing_file_is_a_problem_not_an_exception(tmp_path: Path) -> None:
    for reader in (read_roster, read_months, read_plan):
        problem = only_error(reader(tmp_path / "nope.csv"))
        assert "does not exist" in problem.message


def test_folder_is_a_problem_not_an_exception(tmp_path: Path) -> None:
    assert "folder" in only_error(read_roster(tmp_path)).message


def test_big_file_on_disk_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_bytes(b"x" * 5000)
    assert "limit" in only_error(read_roster(path, max_bytes=1000)).message


def test_read_scenario_reports_the_problems_of_all_three_files(tmp_path: Path) -> None:
    (tmp_path / "plan.toml").write_text(SPEC_PLAN.replace("house_pct = 25", "house_pct = 200"))
    (tmp_path / "roster.csv").write_bytes(csv_bytes("Ann,12x,2020-01-01,,w2"))
    loaded = read_scenario(tmp_path / "plan.toml", tmp_path / "roster.csv", tmp_path / "m.csv")
    assert loaded.value is None
    assert [Path(p.file).name for p in loaded.errors] == ["plan.toml", "roster.csv", "m.csv"]


def test_read_scenario_builds_the_scenario(tmp_path: Path) -> None:
    (tmp_path / "plan.toml").write_text(SPEC_PLAN)
    (tmp_path / "roster.csv").write_bytes(csv_bytes("Ann,60000,2020-01-01,,w2"))
    (tmp_path / "months.csv").write_bytes(csv_bytes("2026-07,1,1,1,0", header=MONTHS_HEADER))
    scenario = read_scenario(
        tmp_path / "plan.toml", tmp_path / "roster.csv", tmp_path / "months.csv"
    ).unwrap()
    assert (scenario.plan, len(scenario.roster), len(scenario.months)) == (Plan(), 1, 1)


def test_unwrap_raises_input_error_carrying_every_problem() -> None:
    loaded = load_roster(csv_bytes("Ann,x,2020-01-01,,w2", "Bob,y,2020-01-01,,w2"), "r.csv")
    with pytest.raises(InputError) as caught:
        loaded.unwrap()
    assert len(caught.value.problems) == 2
    assert str(caught.value).count("\n") == 1


def test_problem_is_frozen() -> None:
    problem = Problem("roster.csv", 2, "salary", "bad")
    with pytest.raises(dataclasses.FrozenInstanceError):
        problem.row = 3  # type: ignore[misc]


def test_problem_line_escapes_control_characters_in_file_names() -> None:
    assert str(Problem("a\nb.csv", None, None, "bad")) == "a\\x0ab.csv: bad"


def test_a_row_with_several_faults_reports_each_of_them() -> None:
    roster = csv_bytes("Ann,x,2020-01-01,,w2", "ANN,60000,2024-05-01,2024-01-01,w2")
    assert [(p.row, p.column) for p in load_roster(roster, "r.csv").errors] == [
        (2, "salary"),
        (3, "name"),
        (3, "end_date"),
    ]
    months = csv_bytes("2026-07,1,1,1,0", "2026-07,1,-1,1,2", header=MONTHS_HEADER)
    assert [(p.row, p.column) for p in load_months(months, "m.csv").errors] == [
        (3, "cash_on_hand"),
        (3, "month"),
        (3, "ar_90_plus"),
    ]


# --------------------------------------------------------------------------- employee ids


def test_a_roster_may_carry_each_persons_employee_id_as_typed() -> None:
    roster = csv_bytes("Ann,60000,2020-01-01,,w2,,,,,001204", "Bob,61000,2021-01-01,,w2,,,,,",
                       header=FULL_HEADER + ",employee_id")
    loaded = load_roster(roster, "r.csv")
    assert loaded.problems == ()
    ann, bob = loaded.unwrap()
    assert (ann.employee_id, bob.employee_id) == ("001204", "")  # leading zeros kept


def test_two_people_with_one_employee_id_is_an_error_naming_both_rows() -> None:
    roster = csv_bytes("Ann,60000,2020-01-01,,w2,A7", "Bob,61000,2021-01-01,,w2,a7",
                       header=HEADER + ",employee_id")
    assert errors(load_roster(roster, "r.csv")) == [
        "r.csv row 3, column employee_id: 'a7' appears twice (rows 2 and 3); expected each "
        "person's own id, or blank"]


def test_a_roster_without_ids_serialises_exactly_as_before_the_field_existed() -> None:
    plain = Person(name="Ann", salary=Decimal(1), start_date=date(2020, 1, 1))
    assert "employee_id" not in plain.model_dump_json()  # saved versions keep their checksums
    with_id = plain.model_copy(update={"name": "Bob", "employee_id": "0042"})
    assert Person.model_validate_json(with_id.model_dump_json()) == with_id
    text = roster_csv_text([plain, with_id])
    assert text.splitlines()[0].endswith(",department,employee_id")
    assert load_roster(text.encode(), "r.csv").unwrap() == (plain, with_id)


# --------------------------------------------------------------------------- blank A/R cells


def test_blank_ar_cells_are_a_month_without_an_aging_report() -> None:
    loaded = load_months(csv_bytes("2026-07,69343,52000,,", "2026-08,59343,52000,320000,24000",
                                   header=MONTHS_HEADER))
    assert loaded.ok and loaded.problems == ()
    july, august = loaded.unwrap()
    assert (july.ar_total, july.ar_90_plus) == (None, None)
    assert (august.ar_total, august.ar_90_plus) == (Decimal(320000), Decimal(24000))


@pytest.mark.parametrize(("row", "blank", "given"), [
    ("2026-07,1,2,,5", "ar_total", "ar_90_plus"), ("2026-07,1,2,5,", "ar_90_plus", "ar_total")])
def test_one_blank_ar_cell_is_an_error_naming_it(row: str, blank: str, given: str) -> None:
    problem = only_error(load_months(csv_bytes(row, header=MONTHS_HEADER)))
    assert (problem.row, problem.column) == (2, blank)
    assert problem.message == (f"is blank while {given} is not; expected both A/R figures from "
                               "the month's aging report, or both blank when there is none")


def test_the_ar_columns_are_still_required_in_the_header_when_their_cells_are_blank() -> None:
    problem = only_error(load_months(csv_bytes("2026-07,1,1,", header="month,gp,cash_on_hand,"
                                               "ar_total")))
    assert problem.column == "ar_90_plus" and problem.message.startswith("is missing")
