"""People from an HR system: Gusto, ADP Workforce Now and BambooHR employee exports -> roster.

The fixtures in tests/fixtures/hr/ are made up (people and numbers), written in the layouts
described in ../shared/realdata/layouts/.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import xlsxwriter

from tel.core.models import Employment, Person
from tel.io.hr import (
    FIELDS,
    HrMapping,
    apply_mapping,
    detect_layout,
    header_key,
    propose_mapping,
    read_hr,
)
from tel.io.loaders import load_roster
from tel.io.problems import Problem

FIXTURES = Path(__file__).parent / "fixtures" / "hr"
LAYOUTS = Path(__file__).resolve().parents[2] / "shared" / "realdata" / "layouts"


def read(name: str) -> tuple[bytes, str]:
    return (FIXTURES / name).read_bytes(), name


def people_of(name: str, mapping: HrMapping | None = None, *, owners: tuple[str, ...] = (),
              left_before: date | None = None) -> dict[str, Person]:
    hr = read_hr(*read(name))
    roster = apply_mapping(hr, mapping or hr.mapping, owners=owners, left_before=left_before)
    assert roster.errors == (), [str(p) for p in roster.problems]
    assert roster.people is not None
    return {p.name: p for p in roster.people}


def lines(problems: Iterable[Problem]) -> list[str]:
    return [str(p) for p in problems]


# --------------------------------------------------------------------------- layouts


def test_a_gusto_export_is_recognised_and_rates_become_annual_salaries() -> None:
    hr = read_hr(*read("gusto_employees.csv"))
    assert (hr.layout, hr.header_row, hr.layout_name) == ("gusto", 1, "Gusto")
    assert hr.mapping.get("employee_id") == "gusto_employee_id"
    assert hr.mapping.get("pay_period") == "employee_compensation_time_period"
    people = people_of("gusto_employees.csv")
    assert list(people) == ["Odile Marchand", "Bastien Lacroix", "Zoë Ångström",
                            "Felix Oyelaran", "Ines Calloway"]
    odile, bastien = people["Odile Marchand"], people["Bastien Lacroix"]
    zoe = people["Zoë Ångström"]
    assert (odile.salary, odile.employee_id, odile.department) == (
        Decimal("71500.00"), "7QX2KD", "Operations")
    assert odile.start_date == date(2019, 4, 5)  # US dates, month first
    assert bastien.salary == Decimal("50960.00")  # 24.50 an hour x 2,080
    assert zoe.salary == Decimal("45760.00") and not zoe.full_time  # part_time_twenty_plus
    felix = people["Felix Oyelaran"]
    assert felix.employment == Employment.CONTRACTOR
    ines = people["Ines Calloway"]
    assert ines.salary == Decimal("57600.00") and ines.end_date == date(2026, 3, 31)  # x 12
    assert not any(p.owner for p in people.values())  # owners are chosen, never guessed


def test_an_adp_export_prefers_the_file_number_the_latest_hire_and_the_annual_salary() -> None:
    hr = read_hr(*read("adp_employees.csv"))
    assert hr.layout == "adp"
    # ADP's report builder appends the data source to headers: matched on what comes before
    assert hr.mapping.get("start_date") == "Hire/Rehire Date (Employment Profile)"
    assert hr.mapping.get("salary") == "Annual Salary (Employment Profile - Pay Rates)"
    assert hr.mapping.get("employee_id") == "File Number"
    assert hr.mapping.get("hours") is None  # ADP's Standard Hours is per pay period
    roster = apply_mapping(hr, hr.mapping)
    assert roster.errors == ()
    assert roster.people is not None
    people = {p.name: p for p in roster.people}
    assert list(people) == ["Priya Venkataraman", "Declan O'Rourke",
                            "Mireille Desjardins-Côté", "Tobias Whitcombe"]
    declan = people["Declan O'Rourke"]  # rehired: one person, the active row
    assert (declan.start_date, declan.salary, declan.end_date) == (
        date(2022, 2, 3), Decimal("66000.00"), None)
    [note] = roster.warnings
    assert (note.file, note.row, note.column) == ("adp_employees.csv", 3, "File Number")
    assert "row 4 was kept" in note.message
    mireille = people["Mireille Desjardins-Côté"]  # hourly, no annual salary in the file
    assert mireille.salary == Decimal("45240.00") and not mireille.full_time  # 21.75 x 2080
    assert people["Priya Venkataraman"].employee_id == "001204"  # leading zeros kept


def test_a_bamboohr_export_below_a_title_line_with_weekly_hours_and_a_contractor() -> None:
    hr = read_hr(*read("bamboohr_employees.csv"))
    assert (hr.layout, hr.header_row) == ("bamboohr", 2)
    assert hr.mapping.get("hours") == "Standard Hours Per Week"
    assert hr.mapping.get("name") is None  # first and last name win over the combined column
    people = people_of("bamboohr_employees.csv")
    kenji = people["Kenji Nakamura-Reyes"]
    assert kenji.salary == Decimal("22776.00") and not kenji.full_time  # 18.25 x 24 x 52
    assert people["Ingrid Halvorsen"].salary == Decimal("58000.00")  # "58000.00 USD" a year
    assert people["Funmilayo Adebayo"].employment == Employment.CONTRACTOR
    assert people["Funmilayo Adebayo"].salary == Decimal("93600.00")  # no hours: 2,080
    assert people["Siobhán Brennan"].end_date == date(2025, 12, 31)
    assert people["Chidi Okonkwo"].salary == Decimal("51000.00")  # 4,250 a month


def test_a_bamboohr_workbook_reads_date_cells_and_ids_saved_as_numbers() -> None:
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = book.add_worksheet()
    head = ["Employee #", "First Name", "Last Name", "Hire Date", "Termination Date",
            "Employment Status", "Pay Rate", "Pay Per"]
    for c, h in enumerate(head):
        ws.write_string(0, c, h)
    ws.write_number(1, 0, 311)
    ws.write_string(1, 1, "Thandiwe")
    ws.write_string(1, 2, "Mokoena")
    ws.write_datetime(1, 3, datetime(2021, 7, 19), book.add_format({"num_format": "m/d/yy"}))
    ws.write_string(1, 5, "Full-Time")
    ws.write_number(1, 6, 61250)
    ws.write_string(1, 7, "Year")
    book.close()
    hr = read_hr(buf.getvalue(), "bamboo.xlsx")
    assert hr.layout == "bamboohr"
    roster = apply_mapping(hr, hr.mapping)
    assert roster.people is not None, lines(roster.problems)
    [p] = roster.people
    assert (p.name, p.employee_id, p.start_date, p.salary) == (
        "Thandiwe Mokoena", "311", date(2021, 7, 19), Decimal("61250.00"))


def test_the_layout_is_told_by_its_own_column_names() -> None:
    assert detect_layout(["Associate ID", "Legal First Name", "Legal Last Name"]) == "adp"
    assert detect_layout(["employee_first_name", "employee_compensation"]) == "gusto"
    assert detect_layout(["Employee #", "Pay Per", "First Name"]) == "bamboohr"
    assert detect_layout(["First Name", "Last Name", "Hire Date"]) is None  # anyone's
    assert header_key("Worker Category Description (Employment Profile)") == (
        "worker category description")


@pytest.mark.skipif(not (LAYOUTS / "adp_wfn_employee_report_columns.TRANSCRIPTION.csv").exists(),
                    reason="../shared/realdata/layouts is not on this machine")
def test_the_transcribed_adp_employee_report_header_is_read_as_adp() -> None:
    header = (LAYOUTS / "adp_wfn_employee_report_columns.TRANSCRIPTION.csv").read_text(
        encoding="utf-8-sig").splitlines()[0].split(",")
    assert detect_layout(header) == "adp"
    m = propose_mapping(header)
    assert (m.get("first_name"), m.get("last_name"), m.get("employee_id")) == (
        "Legal First Name", "Legal Last Name", "File Number")
    assert (m.get("start_date"), m.get("end_date"), m.get("salary")) == (
        "Hire/Rehire Date", "Termination Date", "Annual Salary")
    assert (m.get("pay_rate"), m.get("pay_period"), m.get("department")) == (
        "Regular Pay Rate Amount", "Regular Pay Rate Description", "Home Department Description")


# --------------------------------------------------------------------------- the mapping


def test_correcting_the_mapping_changes_what_is_read() -> None:
    hr = read_hr(*read("adp_employees.csv"))
    original = hr.mapping.with_column("start_date", "Hire Date").with_column(
        "employee_id", "Associate ID")
    people = people_of("adp_employees.csv", original)
    declan = people["Declan O'Rourke"]
    assert declan.start_date == date(2015, 7, 1) and declan.employee_id == "AZQ1002"


def test_a_full_name_column_can_replace_first_and_last() -> None:
    hr = read_hr(*read("bamboohr_employees.csv"))
    mapping = (hr.mapping.with_column("first_name", None).with_column("last_name", None)
               .with_column("name", "Last name, First name"))
    people = people_of("bamboohr_employees.csv", mapping)
    assert "Halvorsen, Ingrid" in people and "Brennan, Siobhán" in people


def test_hours_a_year_and_the_default_hours_are_settings() -> None:
    gusto = read_hr(*read("gusto_employees.csv"))
    people = people_of("gusto_employees.csv", HrMapping.of(gusto.mapping.as_dict(),
                                                           year_hours=2000))
    assert people["Bastien Lacroix"].salary == Decimal("49000.00")  # 24.50 x 2,000
    bamboo = read_hr(*read("bamboohr_employees.csv"))
    per_year = HrMapping.of(bamboo.mapping.as_dict(), hours_per="year")
    roster = apply_mapping(bamboo, per_year)  # the hours column read as hours a year
    by_name = {r.get("name"): r for r in roster.rows}
    assert by_name["Kenji Nakamura-Reyes"].get("salary") == "438.00"  # 18.25 x 24


def test_a_mapping_lists_every_field_and_refuses_an_unknown_one() -> None:
    assert list(HrMapping().as_dict()) == list(FIELDS)
    with pytest.raises(ValueError, match="not a roster field"):
        HrMapping().with_column("salary_ish", "x")


def test_owners_are_chosen_by_name_and_people_who_left_long_ago_can_be_left_out() -> None:
    people = people_of("bamboohr_employees.csv", owners=("ingrid halvorsen",),
                       left_before=date(2026, 1, 1))
    assert people["Ingrid Halvorsen"].owner
    assert "Siobhán Brennan" not in people
    assert sum(p.owner for p in people.values()) == 1


def test_the_roster_it_makes_loads_back_as_the_same_people_with_their_ids() -> None:
    hr = read_hr(*read("gusto_employees.csv"))
    roster = apply_mapping(hr, hr.mapping, owners=["Odile Marchand"])
    loaded = load_roster(roster.roster_csv(), "gusto-roster.csv")
    assert loaded.problems == ()
    assert loaded.value == roster.people
    assert {p.employee_id for p in loaded.value or ()} == {
        "7QX2KD", "8RY3LE", "9SZ4MF", "2TA5NG", "3UB6OH"}


# --------------------------------------------------------------------------- bad files


def test_an_unknown_layout_is_one_warning_and_its_columns_can_be_chosen_by_hand() -> None:
    hr = read_hr(*read("unknown_layout.csv"))
    assert hr.layout is None
    [line] = lines(hr.problems)
    assert line.startswith("unknown_layout.csv row 1: does not look like a Gusto, ADP "
                           "Workforce Now or BambooHR employee export")
    assert hr.problems[0].severity == "warning"
    mapping = HrMapping.of({"name": "Nom complet", "salary": "Salaire annuel brut",
                            "start_date": "Date d'arrivée", "department": "Service"})
    roster = apply_mapping(hr, mapping)
    assert roster.people is not None
    assert [(p.name, p.salary) for p in roster.people] == [
        ("Aurèle Fontaine", Decimal("48000.00")), ("Maëlle Girard", Decimal("52000.00"))]
    # the unknown layout is the file's warning; the mapping's: no end, employment, full time
    assert roster.errors == () and len(roster.warnings) == 3


def test_a_file_without_a_name_column_says_so_in_one_line() -> None:
    hr = read_hr(*read("missing_name.csv"))
    roster = apply_mapping(hr, hr.mapping)
    assert lines(roster.errors) == [
        "missing_name.csv row 1: has no name column chosen; expected the first and last name "
        "columns, or a full-name column"]
    assert roster.people is None and not roster.usable


def test_a_salary_that_is_not_money_and_a_date_that_is_not_a_date_name_row_and_column() -> None:
    hr = read_hr(*read("bad_cells.csv"))
    roster = apply_mapping(hr, hr.mapping)
    assert lines(roster.errors) == [
        "bad_cells.csv row 2, column Pay Rate: 'lots' is not an amount of money; expected a "
        "pay rate like 25.50 or $65,000.00",
        "bad_cells.csv row 3, column Hire Date: '31/02/2020' is not a real date; expected a "
        "date like 2024-03-01 or 03/01/2024 (month first)",
    ]
    assert roster.people is None
    # the rows still go along (to be fixed where the roster is checked), the bad cells as typed
    assert roster.usable and [r.ok for r in roster.rows] == [False, False, True]
    assert roster.rows[0].get("salary") == "lots"
    assert roster.rows[1].get("start_date") == "31/02/2020"


@pytest.mark.parametrize(("cell", "message"), [
    ("86400", "'86400' is not a date (numbers are read as Excel dates only from .xlsx files)"),
    ("3/1/24", "'3/1/24' has a 2-digit year"),
    ("soon", "'soon' is not a date"),
    ("2024-13-01", "'2024-13-01' is not a real date"),
])
def test_a_date_that_is_not_a_date_is_one_line(cell: str, message: str) -> None:
    data = (f"Employee #,First Name,Last Name,Hire Date,Annual Salary\n"
            f"1,Ann,Lee,{cell},50000\n").encode()
    roster = apply_mapping(hr := read_hr(data, "d.csv"), hr.mapping)
    [line] = lines(roster.errors)
    assert line.startswith(f"d.csv row 2, column Hire Date: {message}")


@pytest.mark.parametrize(("rate", "per", "column", "message"), [
    ("-20", "Hour", "Pay Rate", "'-20' is negative"),
    ("NaN", "Hour", "Pay Rate", "'NaN' is not an amount of money"),
    ("20", "Paycheck", "Pay Per", "'Paycheck' does not say what the rate is per"),
    ("20", "Fortnightly-ish", "Pay Per", "'Fortnightly-ish' is not a pay period"),
    ("20", "", "Pay Per", "is blank; expected what the rate is per"),
])
def test_a_rate_that_cannot_make_a_salary_is_one_line(rate: str, per: str, column: str,
                                                       message: str) -> None:
    data = (f"Employee #,First Name,Last Name,Hire Date,Pay Rate,Pay Per\n"
            f"1,Ann,Lee,2020-01-06,{rate},{per}\n").encode()
    roster = apply_mapping(hr := read_hr(data, "r.csv"), hr.mapping)
    [line] = lines(roster.errors)
    assert line.startswith(f"r.csv row 2, column {column}: {message}")


def test_two_people_with_one_name_and_an_employment_word_nobody_knows() -> None:
    data = (b"Employee #,First Name,Last Name,Hire Date,Annual Salary,Employment Status\n"
            b"1,Ann,Lee,2020-01-06,50000,Full-Time\n"
            b"2,ANN,LEE,2021-01-06,51000,Full-Time\n"
            b"3,Bo,Ray,2021-01-06,51000,Astronaut\n")
    roster = apply_mapping(hr := read_hr(data, "n.csv"), hr.mapping)
    assert lines(roster.errors) == [
        "n.csv row 3, column First Name: 'ANN LEE' is also the name on row 2; expected each "
        "person once, with a name of their own (add a middle initial)",
        "n.csv row 4, column Employment Status: 'Astronaut' is not a kind of employment; "
        "expected an employee (W-2, full time, part time...) or a contractor (1099)",
        "n.csv row 4, column Employment Status: 'Astronaut' does not say full or part time; "
        "expected Full Time or Part Time (or true/false)",
    ]


def test_a_binary_or_empty_file_is_one_line_not_a_traceback() -> None:
    binary = read_hr(b"\x00\x01\x02garbage", "people.csv")
    assert lines(binary.problems) == [
        "people.csv: is a binary file, not text; expected an employee export as CSV text"]
    assert not binary.ok and apply_mapping(binary, binary.mapping).people is None
    empty = read_hr(b"", "people.csv")
    [line] = lines(empty.problems)
    assert line.startswith("people.csv: is empty")
    header_only = read_hr(b"Employee #,First Name,Last Name,Hire Date,Pay Per\n", "h.csv")
    assert "has a header but no rows" in lines(header_only.problems)[0]


def test_a_footer_note_below_the_people_is_skipped_with_a_warning() -> None:
    data = (b"Employee #,First Name,Last Name,Hire Date,Annual Salary\n"
            b"1,Ann,Lee,2020-01-06,50000\n"
            b"Report generated 2026-10-01,,,,\n")
    roster = apply_mapping(hr := read_hr(data, "f.csv"), hr.mapping)
    assert roster.people is not None and len(roster.people) == 1
    assert any("taken as a note" in line for line in lines(roster.warnings))
