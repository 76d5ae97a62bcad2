"""Payroll files, workbook, statements and the plan document: safe to open, exact to the cent."""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from tel.analysis.privacy import public_quarter
from tel.core.models import Employment, Month, Person, Plan, Scenario
from tel.core.money import format_money, to_cents
from tel.core.periods import Quarter
from tel.core.policy import FIELDS
from tel.engine.quarter import QuarterResult, compute_quarter
from tel.io.exports import (
    export_filename,
    export_files,
    gusto_csv,
    neutralise,
    payroll_csv,
    split_name,
    workbook_xlsx,
)
from tel.io.store import Snapshot, Store
from tel.render.plandoc import example_quarter, plan_markdown, plan_pdf
from tel.render.statement import statement_pdf, statements_zip, to_latin1

Q3 = Quarter(2026, 3)
DANGER = ("=", "+", "-", "@", "\t", "\r")
HOSTILE_NAMES = ['=HYPERLINK("http://evil.example","click")', "+1 Plus", "-x Minus", "@SUM(A1)"]


def scenario(*, cash: str = "52000", plan: Plan | None = None) -> Scenario:
    months = tuple(
        Month(
            year=2026,
            month=m,
            gp=Decimal(g),
            cash_on_hand=Decimal(cash),
            ar_total=Decimal("320000"),
            ar_90_plus=Decimal("24000"),
        )
        for m, g in ((7, 69343), (8, 59343), (9, 73434))
    )
    veteran = date(2018, 5, 7)
    roster = (
        Person(name="Marc Owner", salary=Decimal("120000"), start_date=veteran, owner=True),
        *(
            Person(name=n, salary=Decimal(50123 + 1111 * i), start_date=veteran)
            for i, n in enumerate(HOSTILE_NAMES)
        ),
        Person(
            name="Tab Dept",
            salary=Decimal("61000"),
            start_date=veteran,
            department="\tx",
        ),
        Person(
            name="Renée Hébert",
            salary=Decimal("68000.55"),
            start_date=date(2016, 4, 11),
            performance=Decimal("1.2"),
            department="=cmd|' /C calc'!A0",
        ),
        Person(name="Broussard, Luc", salary=Decimal("58000"), start_date=date(2019, 8, 19)),
        Person(name="Łukasz Wałęsa 王", salary=Decimal("47000"), start_date=date(2020, 2, 2)),
        Person(
            name="Cody Contractor",
            salary=Decimal("41000"),
            start_date=veteran,
            employment=Employment.CONTRACTOR,
        ),
        Person(name="New Hire", salary=Decimal("50500"), start_date=date(2026, 2, 1)),
    )
    return Scenario(plan=plan or Plan(), months=months, roster=roster)


def pay(s: Scenario) -> QuarterResult:
    return compute_quarter(s.plan, s.roster, s.months, Q3)


@pytest.fixture
def result() -> QuarterResult:
    return pay(scenario())


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path) as st:
        yield st


def approved(store: Store, s: Scenario) -> Snapshot:
    v = store.create(f"Base {len(store.list_scenarios()) + 1}", s)  # names are unique
    return store.approve(v.id, Q3, "=ok to pay", "Owner")


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def assert_no_live_cell(text: str) -> None:
    assert not text.startswith(DANGER), repr(text)


# --------------------------------------------------------------------------- neutralise


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+1", "'+1"),
        ("-x", "'-x"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Ann", "Ann"),
        ("", ""),
        ("a=b", "a=b"),
    ],
)
def test_neutralise_prefixes_only_dangerous_leading_characters(raw: str, safe: str) -> None:
    assert neutralise(raw) == safe


@pytest.mark.parametrize(
    ("name", "first", "last"),
    [
        ("Broussard, Luc", "Luc", "Broussard"),
        ("Renée Hébert", "Renée", "Hébert"),
        ("Mary Ann  Smith", "Mary Ann", "Smith"),
        ("Ludwig van Beethoven", "Ludwig", "van Beethoven"),
        ("Martin Luther King Jr.", "Martin Luther", "King Jr."),
        ("King, Martin Luther, Jr.", "Martin Luther", "King Jr."),
        ("Cher", "Cher", ""),
        ("Smith,", "Smith", ""),
    ],
)
def test_names_split_into_first_and_last_sensibly(name: str, first: str, last: str) -> None:
    assert split_name(name) == (first, last)


# --------------------------------------------------------------------------- CSV files


def test_payroll_csv_lists_only_paid_people_and_its_total_is_the_amount_paid(
    result: QuarterResult,
) -> None:
    rows = read_csv(payroll_csv(result))
    assert rows[0][0].startswith("DRAFT")
    assert rows[1] == ["name", "amount"]
    body, total = rows[2:-1], rows[-1]
    paid = [p for p in result.payouts if p.total > 0]
    assert len(body) == len(paid) and len(paid) < len(result.payouts)
    assert [r[0] for r in body] == [neutralise(p.name) for p in paid]
    assert sum(to_cents(Decimal(r[1])) for r in body) == result.paid == result.staff_pool
    assert total == ["TOTAL", "12090.00"] and to_cents(Decimal(total[1])) == result.paid
    for row in rows:
        for cell in row:
            assert_no_live_cell(cell)
    assert '\'=HYPERLINK("http://evil.example","click")' in [r[0] for r in body]


def test_gusto_csv_splits_names_and_sums_to_the_amount_paid(result: QuarterResult) -> None:
    rows = read_csv(gusto_csv(result))
    assert rows[0][0].startswith("DRAFT") and rows[1] == ["First Name", "Last Name", "Bonus"]
    body = rows[2:]
    assert ["Luc", "Broussard"] in [r[:2] for r in body]
    assert sum(to_cents(Decimal(r[2])) for r in body) == result.paid
    for row in rows:
        for cell in row:
            assert_no_live_cell(cell)


def test_when_a_gate_fails_payroll_files_list_nobody(store: Store) -> None:
    failed = pay(scenario(cash="1000"))
    assert not failed.gates.passed and failed.paid == 0
    assert read_csv(payroll_csv(failed))[2:] == [["TOTAL", "0.00"]]
    assert read_csv(gusto_csv(failed))[2:] == []


# --------------------------------------------------------------------------- workbook


def cents(value: object) -> int:
    """A numeric cell (dollars) as cents; text here would be a bug."""
    assert isinstance(value, float | int), value
    return round(value * 100)


def sheet_rows(ws: object) -> list[tuple[object, ...]]:
    return [tuple(c.value for c in row) for row in ws.iter_rows()]  # type: ignore[attr-defined]


def test_workbook_has_no_formula_and_every_text_cell_is_neutralised(
    result: QuarterResult,
) -> None:
    data = workbook_xlsx(result, inputs=scenario())
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<f[ >]", z.read(name)), name
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Summary", "Payouts", "Inputs"]
    texts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
                if isinstance(cell.value, str):
                    assert_no_live_cell(cell.value)
                    texts.append(cell.value)
    assert "'=cmd|' /C calc'!A0" in texts  # ("\tx" is trimmed to "x" when read: tel.core.text)
    assert "'@SUM(A1)" in texts and "'+1 Plus" in texts and "'-x Minus" in texts


def test_workbook_amounts_are_numbers_that_reconcile_to_the_cent(result: QuarterResult) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(workbook_xlsx(result)))
    ws = wb["Payouts"]
    rows = sheet_rows(ws)
    assert rows[0] == ("Name", "Department", "Months of service", "Team", "Merit", "Total")
    body = [r for r in rows[1:] if r[0] != "TOTAL"]
    total = rows[-1]
    assert total[0] == "TOTAL"
    paid = [p for p in result.payouts if p.total > 0]
    assert len(body) == len(paid)
    for r, p in zip(body, paid, strict=True):
        assert all(isinstance(v, float | int) for v in r[3:])
        assert [cents(v) for v in r[3:]] == [p.team, p.merit, p.total]
    assert sum(cents(r[5]) for r in body) == result.paid
    assert cents(total[5]) == result.paid == result.staff_pool
    assert "$" in ws.cell(row=2, column=6).number_format
    summary = {r[0]: r[1] for r in sheet_rows(wb["Summary"]) if r[0]}
    assert str(summary["Status"]).startswith("DRAFT")
    assert cents(summary["Staff pool"]) == result.staff_pool
    assert cents(summary["Paid in total"]) == result.paid
    assert "Inputs SHA-256" not in summary  # a draft has no approval to point to


def test_workbook_inputs_sheet_carries_the_plan_months_and_roster(result: QuarterResult) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(workbook_xlsx(result, inputs=scenario())))
    rows = sheet_rows(wb["Inputs"])
    plan = {r[0]: r[1] for r in rows[1 : 1 + len(FIELDS)]}
    assert plan["[threshold] overhead"] == 50000 and plan["[split] house_pct"] == 25
    assert plan["[calendar] pay_day"] == 15 and plan["[netting] mode"] == "quarter"
    assert plan["[calendar] pay_day_rule"] == "previous_business_day"
    names = [r[0] for r in rows]
    assert "Marc Owner" in names and "'+1 Plus" in names
    bare = openpyxl.load_workbook(io.BytesIO(workbook_xlsx(result)))["Inputs"]
    assert "not supplied" in str(bare["A1"].value)


# --------------------------------------------------------------------------- draft or approved


def test_a_draft_is_marked_draft_in_its_file_name_and_inside(result: QuarterResult) -> None:
    files = export_files(result)
    assert [f.filename for f in files] == [
        "tel-2026-Q3-payroll-DRAFT.csv",
        "tel-2026-Q3-gusto-DRAFT.csv",
        "tel-2026-Q3-workbook-DRAFT.xlsx",
    ]
    assert files[0].data.startswith(codecs.BOM_UTF8 + b"DRAFT")
    assert files[1].data.startswith(codecs.BOM_UTF8 + b"DRAFT")
    wb = openpyxl.load_workbook(io.BytesIO(files[2].data))
    assert "DRAFT" in str(wb["Summary"]["B2"].value)
    assert "DRAFT" in str(wb.properties.title)


def test_files_from_the_approved_snapshot_are_not_drafts(store: Store) -> None:
    snap = approved(store, scenario())
    result = snap.result()
    files = export_files(result, snap)
    for f in files:
        assert "DRAFT" not in f.filename and f"approval-{snap.id}" in f.filename
    assert read_csv(files[0].data)[0] == ["name", "amount"]
    assert read_csv(files[1].data)[0] == ["First Name", "Last Name", "Bonus"]
    wb = openpyxl.load_workbook(io.BytesIO(files[2].data))
    summary = {r[0]: r[1] for r in sheet_rows(wb["Summary"]) if r[0]}
    assert summary["Status"] == "APPROVED"
    assert summary["Approval note"] == "'=ok to pay"
    assert summary["Inputs SHA-256"] == snap.inputs_sha256
    # The inputs sheet shows what was approved, even when other inputs are passed.
    inputs = sheet_rows(wb["Inputs"])
    assert "Renée Hébert" in [r[0] for r in inputs]


def test_a_superseded_approval_exports_as_superseded(store: Store) -> None:
    first = approved(store, scenario())
    approved(store, scenario())
    old = store.snapshot(first.id)
    assert export_filename(old.result(), "payroll", old).endswith("-SUPERSEDED.csv")
    assert payroll_csv(old.result(), old).startswith(codecs.BOM_UTF8 + b"SUPERSEDED")


def test_a_what_if_cannot_be_exported_as_the_approved_figures(store: Store) -> None:
    snap = approved(store, scenario())
    what_if = pay(scenario(plan=Plan(house_pct=Decimal("40"))))
    with pytest.raises(ValueError, match="not the approved ones"):
        payroll_csv(what_if, snap)
    with pytest.raises(ValueError, match="not the approved ones"):
        statement_pdf(what_if, "Broussard, Luc", snapshot=snap)


# --------------------------------------------------------------------------- statements


def test_a_statement_explains_one_persons_check_and_names_nobody_else(
    result: QuarterResult,
) -> None:
    me = next(p for p in result.payouts if p.name == "Renée Hébert")
    pdf = statement_pdf(result, me.name, plan=Plan(), compress=False)
    assert pdf.startswith(b"%PDF")
    assert b"/Count 1" in pdf  # one page
    text = pdf.decode("latin-1")
    assert "Renée Hébert" in text
    # One's own check exact; the company's figures as public (rounded, tel.analysis.privacy), and
    # never the split of one's own check, from which the exact pools would follow.
    pub = public_quarter(result, Plan())
    assert format_money(me.total) in text
    for figure in (pub.tel_profit, pub.staff_pool, pub.merit_pool):
        assert f"about {format_money(figure)}" in text
    for exact in (me.team, me.merit, result.tel_profit, result.staff_pool, result.merit_pool):
        assert format_money(exact) not in text or exact in (pub.tel_profit, pub.merit_pool)
    assert "DRAFT" in text and "2026-Q3" in text and "13 November 2026" in text  # 15th: Sunday
    assert f"{me.months} at 30 September 2026" in text
    share = Decimal(me.weight * 100) / Decimal(pub.total_weight)
    assert f"about {share.quantize(Decimal('0.1'))}%" in text
    for other in result.payouts:
        if other.name != me.name:
            assert to_latin1(other.name) not in text
            assert format_money(other.salary, cents_shown=False) not in text


def test_an_ineligible_person_is_told_why(result: QuarterResult) -> None:
    text = statement_pdf(result, "New Hire", compress=False).decode("latin-1")
    assert "7 completed months of service" in text and "asks for 9" in text
    assert format_money(0) in text


def test_a_statement_prints_names_latin1_cannot_hold(result: QuarterResult) -> None:
    text = statement_pdf(result, "Łukasz Wałęsa 王", compress=False).decode("latin-1")
    assert "Lukasz Walesa ?" in text


def test_an_approved_statement_is_not_a_draft_and_compressed_is_still_a_pdf(
    store: Store,
) -> None:
    snap = approved(store, scenario())
    pdf = statement_pdf(snap.result(), "Broussard, Luc", snapshot=snap, compress=False)
    assert b"DRAFT" not in pdf and f"approval {snap.id}".encode() in pdf
    assert statement_pdf(snap.result(), "Broussard, Luc", snapshot=snap).startswith(b"%PDF")
    with pytest.raises(ValueError, match="nobody named"):
        statement_pdf(snap.result(), "Someone Else", snapshot=snap)


def test_all_statements_come_as_one_zip_with_one_pdf_each(result: QuarterResult) -> None:
    data = statements_zip(result, plan=Plan(), compress=False)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        assert len(names) == len(set(names)) == len(result.payouts)
        assert all(n.endswith("-DRAFT.pdf") and n.isascii() for n in names)
        assert "statement-2026-Q3-broussard-luc-DRAFT.pdf" in names
        for n in names:
            assert z.read(n).startswith(b"%PDF")


# --------------------------------------------------------------------------- plan document


def test_the_plan_document_is_generated_from_the_plan_and_computed_example() -> None:
    plan = Plan(
        overhead=Decimal("40000"),
        house_pct=Decimal("30"),
        team_pct=Decimal("40"),
        min_months=12,
        pay_day=20,
        fiscal_year_start=7,
    )
    md = plan_markdown(plan, company="A*B_Co", fiscal_year=2027)
    assert md.startswith("# A\\*B\\_Co TEL bonus plan")
    assert "| Min GP | $52,000.00 |" in md
    assert "at least 12 completed months" in md
    assert "| 2027-Q1 | July to September 2026 | 20 November 2026 |" in md
    assert "| 2027-Q3 | January to March 2027 | 20 May 2027 |" in md
    q, months, people, r = example_quarter(plan, 2027)
    assert q == Quarter(2027, 1) and len(people) == 10
    assert months[0].gp == Decimal("57200.00")  # Min GP + 10%
    assert r.gates.passed and r.paid == r.staff_pool > 0
    for figure in (r.tel_profit, r.house, r.staff_pool, r.team_pool, r.merit_pool):
        assert format_money(figure) in md
    for p in r.payouts:
        assert f"| {p.name} |" in md and format_money(p.total) in md
    assert "no (11 of 12 months)" in md
    default = plan_markdown(Plan(), fiscal_year=2027)
    assert format_money(example_quarter(Plan(), 2027)[3].tel_profit) in default
    assert format_money(r.tel_profit) not in default  # nothing is hard-coded


def test_the_plan_document_also_comes_as_pdf() -> None:
    pdf = plan_pdf(Plan(), company="Puryear IT", fiscal_year=2026, compress=False)
    assert pdf.startswith(b"%PDF")
    assert b"Min GP" in pdf and b"$62,000.00" in pdf
    assert plan_pdf(Plan(), fiscal_year=2026).startswith(b"%PDF")


# --------------------------------------------------------------------------- employee ids


def test_draft_exports_carry_the_employee_ids_of_the_inputs_roster(result: QuarterResult) -> None:
    base = scenario()
    ids = {"Renée Hébert": "000123", "Broussard, Luc": "E-9"}
    roster = tuple(p.model_copy(update={"employee_id": ids.get(p.name, "")})
                   for p in base.roster)
    inputs = base.model_copy(update={"roster": roster})
    rows = read_csv(payroll_csv(result, None, inputs))
    assert rows[1] == ["name", "amount", "employee_id"]
    by_name = {r[0]: r[2] for r in rows[2:-1]}
    assert (by_name["Renée Hébert"], by_name["Broussard, Luc"], by_name["Tab Dept"]) == (
        "000123", "E-9", "")
    assert rows[-1] == ["TOTAL", "12090.00", ""]
    book = openpyxl.load_workbook(io.BytesIO(workbook_xlsx(result, None, inputs)))
    inputs_sheet = [[c for c in r] for r in book["Inputs"].iter_rows(values_only=True)]
    head = next(r for r in inputs_sheet if r[0] == "Name")
    assert head[9] == "Employee ID"
    assert next(r for r in inputs_sheet if r[0] == "Renée Hébert")[9] == "000123"
    assert [c.value for c in book["Payouts"][1]][-1] == "Employee ID"
