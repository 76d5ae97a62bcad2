"""Payroll files from an approval: Gusto's template filled in, ADP's paydata (EPI) file and the
generic CSV. Each read back with ``csv`` pays every check to the cent, and the approval's paid
total."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from tel.core.models import Employment, Month, Person, Plan, Scenario
from tel.core.money import to_cents
from tel.core.periods import Quarter
from tel.engine.quarter import compute_quarter
from tel.io.books import read_books_files
from tel.io.exports import payroll_csv, workbook_xlsx
from tel.io.payroll import (
    ADP_HEADER,
    ADP_MAX_LINE,
    AdpSettings,
    adp_epi,
    adp_settings,
    gusto_upload,
    match_key,
)
from tel.io.store import Snapshot, Store
from tel.render.tables import payouts_csv, payouts_frame

Q3 = "2026-Q3"
VETERAN = date(2015, 3, 2)
GUSTO_HEADER = ("last_name,first_name,title,gusto_employee_id,regular_hours,overtime_hours,"
                "double_overtime_hours,missed_break_hours,owners_draw,bonus,commission,"
                "paycheck_tips,cash_tips,correction_payment,custom_earning_commuter_benefit,"
                "reimbursement,personal_note")


def months(gp: int = 69343) -> tuple[Month, ...]:
    return tuple(Month(year=2026, month=m, gp=Decimal(gp + 1000 * m), cash_on_hand=Decimal(90000),
                       ar_total=Decimal(100000), ar_90_plus=Decimal(1000)) for m in (7, 8, 9))


def person(name: str, salary: int, employee_id: str = "", **kw: object) -> Person:
    return Person.model_validate({"name": name, "salary": Decimal(salary),
                                  "start_date": kw.pop("start_date", VETERAN),
                                  "employee_id": employee_id, **kw})


def scenario(ids: dict[str, str] | None = None, gp: int = 69343) -> Scenario:
    ids = ids or {}
    roster = (
        person("Marc Owner", 120000, ids.get("Marc Owner", ""), owner=True),
        person("Renée Hébert", 68000, ids.get("Renée Hébert", "")),
        person("Broussard, Luc", 58000, ids.get("Broussard, Luc", "")),
        person("Łukasz Wałęsa", 47000, ids.get("Łukasz Wałęsa", "")),
        person("Tanya Guidry", 92000, ids.get("Tanya Guidry", ""), performance=Decimal("1.2")),
        person("Sam Robichaux", 50500, ids.get("Sam Robichaux", "")),
        person("Jo Contract", 41000, ids.get("Jo Contract", ""),
               employment=Employment.CONTRACTOR),
        person("Dee Newhire", 45000, ids.get("Dee Newhire", ""), start_date=date(2026, 6, 1)),
    )
    return Scenario(plan=Plan(), months=months(gp), roster=roster)


GUSTO_IDS = {"Sam Robichaux": "7QX2KD", "Tanya Guidry": "8RY3LE"}
ADP_IDS = {"Renée Hébert": "1204", "Broussard, Luc": "001377", "Łukasz Wałęsa": "1455",
           "Tanya Guidry": "000099", "Sam Robichaux": "12.0", "Marc Owner": "000001"}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path) as st:
        yield st


def approve(store: Store, s: Scenario) -> Snapshot:
    v = store.create(f"Base {len(store.list_scenarios()) + 1}", s)
    return store.approve(v.id, Q3, "ok", "Owner")


def template(*rows: str, header: str = GUSTO_HEADER) -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode("utf-8")


def gusto_row(last: str, first: str, *, title: str = "", gid: str = "", hours: str = "",
              bonus: str = "", correction: str = "", note: str = "") -> str:
    cells = [last, first, title, gid, hours, "", "", "", "", bonus, "", "", "", correction, "",
             "", note]
    return ",".join(f'"{c}"' if "," in c else c for c in cells)


FULL_TEMPLATE = template(
    gusto_row("Owner", "Marc", title="Owner (Primary)"),
    gusto_row("Hebert", "Renee", note="=cmd|' /C calc'!A0"),  # no accents in Gusto
    gusto_row("Broussard", "Luc", correction="-5.00"),
    gusto_row("WAŁĘSA", "łukasz"),
    gusto_row("Guidry", "Tanya", title="Driver", gid="8RY3LE", hours="10"),
    gusto_row("Guidry", "Tanya", title="Manager (Primary)", gid="8RY3LE", bonus="12.00"),
    gusto_row("Robichaux", "Samuel", gid="7QX2KD"),  # the id matches, the name does not
    gusto_row("Stranger", "Pat", gid="012345", bonus="99.00"),  # not on the roster
    gusto_row("Newhire", "Dee"),
)


def read_back(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads the accents right
    assert b"\r\n" in data
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def checks(snap: Snapshot) -> dict[str, int]:
    return {p.name: p.total for p in snap.result().payouts if p.total > 0}


# --------------------------------------------------------------------------- Gusto


def test_an_approval_filled_into_the_gusto_template_reads_back_to_the_same_amounts(
    store: Store,
) -> None:
    snap = approve(store, scenario(GUSTO_IDS))
    paid = checks(snap)
    assert set(paid) == {"Renée Hébert", "Broussard, Luc", "Łukasz Wałęsa", "Tanya Guidry",
                         "Sam Robichaux"}
    filled = gusto_upload(FULL_TEMPLATE, "gusto_template.csv", snap.result(), snap)
    assert filled.data is not None and filled.complete
    assert filled.filename == f"tel-{Q3}-gusto-upload-approval-{snap.id}.csv"
    rows = read_back(filled.data)
    assert ",".join(rows[0]) == GUSTO_HEADER  # every column of the template, in its order
    by_row = {(r["last_name"], r["first_name"], r["title"]): r["bonus"] for r in rows}
    want = {
        ("Owner", "Marc", "Owner (Primary)"): "0.00",
        ("Hebert", "Renee", ""): str(Decimal(paid["Renée Hébert"]) / 100),
        ("Broussard", "Luc", ""): str(Decimal(paid["Broussard, Luc"]) / 100),
        ("WAŁĘSA", "łukasz", ""): str(Decimal(paid["Łukasz Wałęsa"]) / 100),
        ("Guidry", "Tanya", "Driver"): "",  # the bonus rides the primary job only
        ("Guidry", "Tanya", "Manager (Primary)"): str(Decimal(paid["Tanya Guidry"]) / 100),
        ("Robichaux", "Samuel", ""): str(Decimal(paid["Sam Robichaux"]) / 100),
        ("Stranger", "Pat", ""): "0.00",  # no check: zero overwrites what Gusto had
        ("Newhire", "Dee", ""): "0.00",
    }
    assert by_row == {k: f"{Decimal(v):.2f}" if v else v for k, v in want.items()}
    assert sum(to_cents(Decimal(r["bonus"])) for r in rows if r["bonus"]) == snap.paid
    assert filled.in_file == snap.paid == filled.paid
    how = {line.name: line.matched_by for line in filled.lines}
    assert how["Sam Robichaux"] == "employee id 7QX2KD"
    assert how["Broussard, Luc"] == "name"
    assert filled.zeroed == ("Marc Owner", "Pat Stranger", "Dee Newhire")
    # the template's own cells are kept; text that could run as a formula is neutralised
    luc = next(r for r in rows if r["last_name"] == "Broussard")
    assert luc["correction_payment"] == "-5.00" and luc["regular_hours"] == ""
    renee = next(r for r in rows if r["last_name"] == "Hebert")
    assert renee["personal_note"] == "'=cmd|' /C calc'!A0"
    assert next(r for r in rows if r["last_name"] == "Stranger")["gusto_employee_id"] == "012345"
    driver = next(r for r in rows if r["title"] == "Driver")
    assert driver["regular_hours"] == "10"


def test_accented_names_in_the_template_stay_intact_and_match_any_spelling(
    store: Store,
) -> None:
    snap = approve(store, scenario())
    filled = gusto_upload(template(gusto_row("Hébert", "Renée"), gusto_row("GUIDRY", "TANYA"),
                                   gusto_row("Luc", "Broussard")),  # first/last swapped
                          "t.csv", snap.result(), snap)
    assert filled.data is not None
    assert "Hébert,Renée".encode() in filled.data
    how = {line.name: line.matched_by for line in filled.lines}
    assert how == {"Renée Hébert": "name", "Tanya Guidry": "name",
                   "Broussard, Luc": "name, words in another order"}
    assert match_key("Broussard, Luc") == match_key("luc BROUSSARD")


def test_everyone_with_a_check_who_is_not_in_the_template_is_listed(store: Store) -> None:
    snap = approve(store, scenario())
    filled = gusto_upload(template(gusto_row("Broussard", "Luc")), "t.csv", snap.result(), snap)
    assert filled.data is not None and not filled.complete
    missing = {u.name: u for u in filled.unmatched}
    assert set(missing) == {"Renée Hébert", "Łukasz Wałęsa", "Tanya Guidry", "Sam Robichaux"}
    assert missing["Tanya Guidry"].reason == (
        "this name is not in the template (and the roster has no employee id)")
    paid = checks(snap)
    assert missing["Tanya Guidry"].amount == paid["Tanya Guidry"]
    # nothing is lost: what the file pays plus who is listed is the approval's paid total
    assert filled.in_file + sum(u.amount for u in filled.unmatched) == snap.paid
    [row] = read_back(filled.data)
    assert to_cents(Decimal(row["bonus"])) == paid["Broussard, Luc"] == filled.in_file


def test_two_template_people_with_one_name_are_not_guessed_between(store: Store) -> None:
    snap = approve(store, scenario())
    filled = gusto_upload(template(gusto_row("Guidry", "Tanya", gid="AAA111"),
                                   gusto_row("Guidry", "Tanya", gid="BBB222")),
                          "t.csv", snap.result(), snap)
    [tanya] = [u for u in filled.unmatched if u.name == "Tanya Guidry"]
    assert tanya.reason.startswith("2 people in the template have this name")
    rows = read_back(filled.data or b"")
    assert [r["bonus"] for r in rows] == ["0.00", "0.00"]


def test_ids_from_another_system_fall_back_to_names(store: Store) -> None:
    # a roster imported from BambooHR carries BambooHR's numbers, not Gusto's ids
    snap = approve(store, scenario({"Tanya Guidry": "104", "Sam Robichaux": "117"}))
    filled = gusto_upload(template(gusto_row("Guidry", "Tanya", gid="8RY3LE"),
                                   gusto_row("Robichaux", "Sam", gid="7QX2KD")),
                          "t.csv", snap.result(), snap)
    assert {line.name: line.matched_by for line in filled.lines} == {
        "Tanya Guidry": "name", "Sam Robichaux": "name"}


def test_with_gusto_ids_on_the_roster_a_row_under_another_id_is_somebody_else(
    store: Store,
) -> None:
    snap = approve(store, scenario({"Tanya Guidry": "8RY3LE", "Sam Robichaux": "9ZZ9ZZ"}))
    filled = gusto_upload(template(gusto_row("Guidry", "Tanya", gid="8RY3LE"),
                                   gusto_row("Robichaux", "Sam", gid="7QX2KD")),
                          "t.csv", snap.result(), snap)
    [sam] = [u for u in filled.unmatched if u.name == "Sam Robichaux"]
    assert "the row with this name has another id" in sam.reason


def test_a_template_without_a_bonus_column_is_refused_in_one_line(store: Store) -> None:
    snap = approve(store, scenario())
    bare = template("Guidry,Tanya", header="last_name,first_name")
    filled = gusto_upload(bare, "t.csv", snap.result(), snap)
    assert filled.data is None
    assert [str(p) for p in filled.problems] == [
        "t.csv row 1, column bonus: is not a column of this template; expected Gusto's "
        "payroll template, which has a bonus column"]
    custom = template("Guidry,Tanya,", header="last_name,first_name,custom_earning_tel_bonus")
    filled = gusto_upload(custom, "t.csv", snap.result(), snap,
                          bonus_column="custom_earning_tel_bonus")
    assert filled.data is not None
    [row] = read_back(filled.data)
    assert to_cents(Decimal(row["custom_earning_tel_bonus"])) == checks(snap)["Tanya Guidry"]
    nameless = gusto_upload(template("x", header="bonus"), "t.csv", snap.result(), snap)
    assert "has no first_name and last_name columns" in str(nameless.problems[0])


def test_a_superseded_approval_fills_a_template_that_says_so(store: Store) -> None:
    first = approve(store, scenario())
    approve(store, scenario())
    first = next(s for s in store.snapshots() if s.id == first.id)
    filled = gusto_upload(FULL_TEMPLATE, "t.csv", first.result(), first)
    assert filled.filename.endswith("-SUPERSEDED.csv")
    assert (filled.data or b"").decode("utf-8-sig").startswith("SUPERSEDED: approval")


# --------------------------------------------------------------------------- ADP


@pytest.mark.parametrize(("co", "batch", "code", "problem"), [
    ("", "TEL26Q3", "B", "Company code is blank"),
    ("A", "TEL26Q3", "B", "Company code 'A' is not 2 or 3 letters or digits"),
    ("ABCD", "TEL26Q3", "B", "Company code 'ABCD' is not 2 or 3 letters or digits"),
    ("3XY", "", "B", "Batch ID is blank"),
    ("3XY", "TEL-26-Q3", "B", "Batch ID 'TEL-26-Q3' is not 1 to 8 letters or digits"),
    ("3XY", "TEL26Q3", "", "Earnings code is blank"),
    ("3XY", "TEL26Q3", "B#", "Earnings code 'B#' is not 1 or 2 letters or digits"),
    ("3XY", "TEL26Q3", "80", "Earnings code 80 is over 79"),
    ("3XY", "TEL26Q3", "61", "Earnings code 61 is one ADP keeps for itself"),
])
def test_adp_settings_are_checked_one_line_each(co: str, batch: str, code: str,
                                                problem: str) -> None:
    settings, problems = adp_settings(co, batch, code)
    assert settings is None
    [line] = problems
    assert line.startswith(problem)


def test_an_approval_as_an_adp_paydata_file_reads_back_to_the_same_amounts(
    store: Store,
) -> None:
    snap = approve(store, scenario(ADP_IDS))
    settings, _ = adp_settings("3xy", "tel26q3", "b")
    assert settings == AdpSettings("3XY", "TEL26Q3", "B")
    epi = adp_epi(snap.result(), settings, snap)
    assert epi.filename == "PR3XYEPI.csv" and epi.complete
    assert epi.data is not None
    rows = list(csv.reader(io.StringIO(epi.data.decode("utf-8-sig"), newline="")))
    assert tuple(rows[0]) == ADP_HEADER
    body = rows[1:]
    assert all(r[:2] == ["3XY", "TEL26Q3"] and r[3] == "B" for r in body)
    paid = checks(snap)
    number = {"Renée Hébert": "001204", "Broussard, Luc": "001377", "Łukasz Wałęsa": "001455",
              "Tanya Guidry": "000099", "Sam Robichaux": "000012"}
    assert {r[2]: to_cents(Decimal(r[4])) for r in body} == {
        number[name]: cents for name, cents in paid.items()}
    assert sum(to_cents(Decimal(r[4])) for r in body) == snap.paid == epi.in_file
    assert all(len(r[4].split(".")[1]) == 2 for r in body)  # to the cent, no "$"


def test_a_check_over_adp_s_largest_amount_goes_on_several_rows(store: Store) -> None:
    snap = approve(store, scenario(ADP_IDS, gp=900_000))
    paid = checks(snap)
    assert max(paid.values()) > ADP_MAX_LINE
    epi = adp_epi(snap.result(), AdpSettings("AB", "B1", "7"), snap)
    assert epi.filename == "PRAB_EPI.csv"
    rows = list(csv.reader(io.StringIO((epi.data or b"").decode("utf-8-sig"))))[1:]
    assert all(to_cents(Decimal(r[4])) <= ADP_MAX_LINE for r in rows)
    per_number: dict[str, int] = {}
    for r in rows:
        per_number[r[2]] = per_number.get(r[2], 0) + to_cents(Decimal(r[4]))
    assert sorted(per_number.values()) == sorted(paid.values())
    assert sum(per_number.values()) == snap.paid


def test_people_without_an_adp_file_number_are_listed_not_guessed(store: Store) -> None:
    ids = {**ADP_IDS, "Renée Hébert": "", "Tanya Guidry": "G3ABC", "Sam Robichaux": "001377"}
    snap = approve(store, scenario(ids))
    epi = adp_epi(snap.result(), AdpSettings("3XY", "TEL26Q3", "B"), snap)
    why = {u.name: u.reason for u in epi.unmatched}
    assert why == {
        "Renée Hébert": "has no employee id (ADP file number) on the roster",
        "Tanya Guidry": "employee id 'G3ABC' is not an ADP file number (1 to 6 digits)",
        "Sam Robichaux": "file number 001377 is Broussard, Luc's too",
    }
    assert not epi.complete
    assert epi.in_file + sum(u.amount for u in epi.unmatched) == snap.paid


def test_a_draft_adp_file_says_so_in_its_name_and_first_line() -> None:
    s = scenario(ADP_IDS)
    result = compute_quarter(s.plan, s.roster, s.months, Quarter.parse(Q3))
    epi = adp_epi(result, AdpSettings("3XY", "TEL26Q3", "B"), None, s)
    assert epi.filename == f"PR3XYEPI-{Q3}-DRAFT.csv"
    assert (epi.data or b"").decode("utf-8-sig").startswith("DRAFT:")


# --------------------------------------------------------------------------- generic CSV, ids


def test_the_generic_payroll_csv_carries_the_employee_id_and_sums_to_the_paid_total(
    store: Store,
) -> None:
    snap = approve(store, scenario(ADP_IDS))
    rows = read_back(payroll_csv(snap.result(), snap))
    body = [r for r in rows if r["name"] != "TOTAL"]
    assert {r["name"]: r["employee_id"] for r in body}["Renée Hébert"] == "1204"
    assert sum(to_cents(Decimal(r["amount"])) for r in body) == snap.paid
    assert rows[-1]["name"] == "TOTAL" and to_cents(Decimal(rows[-1]["amount"])) == snap.paid
    # no id anywhere: the file is as before, name and amount
    plain = approve(store, scenario())
    assert read_back(payroll_csv(plain.result(), plain))[0].keys() == {"name", "amount"}


def test_the_payouts_table_and_workbook_carry_the_employee_id(store: Store) -> None:
    snap = approve(store, scenario(ADP_IDS))
    result = snap.result()
    ids = {p.name: p.employee_id for p in snap.scenario().roster if p.employee_id}
    frame = payouts_frame(result, employee_ids=ids)
    assert list(frame.columns[:2]) == ["name", "employee_id"]
    assert dict(zip(frame["name"], frame["employee_id"], strict=True))["Tanya Guidry"] == "000099"
    assert "employee_id" not in payouts_frame(result).columns
    rows = list(csv.reader(io.StringIO(payouts_csv(result, employee_ids=ids).decode("utf-8-sig"))))
    assert rows[0][:3] == ["quarter", "name", "employee_id"]
    assert rows[-1][1] == "TOTAL" and Decimal(rows[-1][rows[0].index("total")]) * 100 == snap.paid
    book = openpyxl.load_workbook(io.BytesIO(workbook_xlsx(result, snap)))
    head = [c.value for c in book["Payouts"][1]]
    assert head[-1] == "Employee ID"
    values = {r[0]: r[-1] for r in book["Payouts"].iter_rows(min_row=2, values_only=True)}
    assert values["Broussard, Luc"] == "001377"


# --------------------------------------------------------------------------- the real layouts

LAYOUTS = Path(__file__).resolve().parents[2] / "shared" / "realdata" / "layouts"


@pytest.mark.skipif(not LAYOUTS.is_dir(), reason="../shared/realdata/layouts is not here")
@pytest.mark.parametrize("name", ["gusto_payroll_upload_header_15col.TRANSCRIPTION.csv",
                                  "gusto_payroll_upload_header_16col_owners_draw"
                                  ".TRANSCRIPTION.csv"])
def test_gustos_own_template_headers_are_filled_column_for_column(store: Store,
                                                                  name: str) -> None:
    header = (LAYOUTS / name).read_text(encoding="utf-8-sig").splitlines()[0]
    snap = approve(store, scenario(GUSTO_IDS))
    people = [("Hébert", "Renée", ""), ("Broussard", "Luc", ""), ("Wałęsa", "Łukasz", ""),
              ("Guidry", "Tanya", "8RY3LE"), ("Robichaux", "Sam", "7QX2KD")]
    columns = header.split(",")
    lines = [",".join({"last_name": last, "first_name": first, "gusto_employee_id": gid}
                      .get(c, "") for c in columns) for last, first, gid in people]
    filled = gusto_upload(template(*lines, header=header), name, snap.result(), snap)
    assert filled.complete, filled.unmatched
    rows = read_back(filled.data or b"")
    assert list(rows[0]) == columns
    assert sum(to_cents(Decimal(r["bonus"])) for r in rows) == snap.paid


@pytest.mark.skipif(not (LAYOUTS / "adp_wfn_paydata_EPI_header.TRANSCRIPTION.csv").exists(),
                    reason="../shared/realdata/layouts is not here")
def test_the_adp_file_uses_the_column_names_of_adps_paydata_header() -> None:
    header = (LAYOUTS / "adp_wfn_paydata_EPI_header.TRANSCRIPTION.csv").read_text(
        encoding="utf-8-sig").splitlines()[0].split(",")
    assert header[:3] == list(ADP_HEADER[:3])  # Co Code, Batch ID, File # come first
    assert set(ADP_HEADER) <= set(header)


def test_books_in_then_an_approval_then_payroll_files_read_back_to_the_same_amounts(
    store: Store,
) -> None:
    """The whole way: reports from the books -> months -> a quarter -> an approval -> the
    ADP paydata file and the generic CSV -> read back -> every check, to the cent."""
    books_dir = Path(__file__).parent / "fixtures" / "books"
    books = read_books_files(books_dir / "qbo_profit_and_loss_by_month.csv",
                             books_dir / "qbo_balance_sheet_by_month.csv",
                             [books_dir / "qbo_ar_aging_2025-03-31.csv",
                              books_dir / "qbo_ar_aging_2025-06-30.csv"])
    assert books.ok, [str(p) for p in books.errors]
    plan = Plan(overhead=Decimal(1000), debt_service=0, owner_retention=0, ni_retention=0,
                min_cash=0, max_ar90_pct=100)  # a small company's plan: the books' Q2 pays
    s = scenario(ADP_IDS).model_copy(update={"plan": plan, "months": books.to_months()})
    s = Scenario.model_validate(s.model_dump())
    v = store.create("From the books", s)
    snap = store.approve(v.id, "2025-Q2", "from the books", "Owner")
    assert snap.paid > 0 and snap.verify() == []
    settings, _ = adp_settings("3xy", "tel25q2", "b")
    assert settings is not None
    epi = adp_epi(snap.result(), settings, snap)
    assert epi.data is not None
    body = list(csv.reader(io.StringIO(epi.data.decode("utf-8-sig"), newline="")))[1:]
    assert sum(to_cents(Decimal(r[4])) for r in body) == snap.paid
    paid = {p.name: p.total for p in snap.result().payouts if p.total}
    assert sorted(to_cents(Decimal(r[4])) for r in body) == sorted(paid.values())
    generic = read_back(payroll_csv(snap.result(), snap))
    assert {r["name"]: to_cents(Decimal(r["amount"])) for r in generic
            if r["name"] != "TOTAL"} == paid
