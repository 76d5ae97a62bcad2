"""The ``tel`` command line: the spec's numbers as a table or JSON; bad input never a traceback."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from spec_examples import SPEC_PLAN

from tel import cli
from tel.cli import format_quarter, main
from tel.core.models import Month, Person, Plan
from tel.core.periods import Quarter
from tel.engine.quarter import compute_quarter

ROOT = Path(__file__).resolve().parents[1]


ROSTER = """\
name,salary,start_date,end_date,employment,full_time,owner,performance,department
Ann,60000,2020-01-01,,w2,true,false,,Ops
"Lee, Zoë","$90,000",2018-06-15,,W-2,yes,no,1.5,Sales
Bob,50000,2026-05-01,,w2,true,false,,Ops
Cat,70000,2019-01-01,,1099,true,false,,
Owen,120000,2010-01-01,,w2,true,true,,
"""

MONTHS = """\
month,gp,cash_on_hand,ar_total,ar_90_plus
2026-07,69343,52000,320000,24000
2026-08,59343,52000,320000,24000
2026-09,73434,52000,320000,24000
"""


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {
        "plan": tmp_path / "plan.toml",
        "roster": tmp_path / "roster.csv",
        "months": tmp_path / "months.csv",
    }
    paths["plan"].write_text(SPEC_PLAN, encoding="utf-8")
    paths["roster"].write_text(ROSTER, encoding="utf-8")
    paths["months"].write_text(MONTHS, encoding="utf-8")
    return paths


def tel(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run(
        [sys.executable, "-m", "tel", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=cwd,
        timeout=120,
        check=False,
    )


def file_args(paths: dict[str, Path]) -> list[str | Path]:
    return ["--plan", paths["plan"], "--roster", paths["roster"], "--months", paths["months"]]


def assert_bad_input(run: subprocess.CompletedProcess[str]) -> list[str]:
    assert run.returncode == 2, (run.stdout, run.stderr)
    assert "Traceback" not in run.stderr
    assert run.stdout == ""
    problems = run.stderr.splitlines()
    assert problems and all(line.startswith(("error: ", "warning: ")) for line in problems)
    return problems


# --- tel quarter ------------------------------------------------------------------------------


def test_json_output_reproduces_the_spec_worked_example(files: dict[str, Path]) -> None:
    run = tel("quarter", *file_args(files), "--quarter", "2026-Q3", "--json")
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    result: dict[str, Any] = json.loads(run.stdout)
    assert result["quarter"] == "2026-Q3"
    assert result["pay_date"] == "2026-11-13"  # the 15th is a Sunday: the Friday before
    assert result["min_gp"] == "62000.00"
    assert result["gp_total"] == "202120.00"
    assert result["tel_profit"] == "16120.00"
    assert result["house"] == "4030.00"
    assert result["staff_pool"] == "12090.00"
    assert result["team_pool"] == "6045.00"
    assert result["merit_pool"] == "6045.00"
    assert result["undistributed"] == "0.00"
    assert result["gates"] == {"cash_ok": True, "ar_ok": True, "passed": True}


def test_json_payouts_list_everyone_in_roster_order_and_pay_the_pool_to_the_cent(
    files: dict[str, Path],
) -> None:
    run = tel("quarter", *file_args(files), "--quarter", "2026-Q3", "--json")
    payouts = json.loads(run.stdout)["payouts"]
    assert [p["name"] for p in payouts] == ["Ann", "Lee, Zoë", "Bob", "Cat", "Owen"]
    assert {p["name"]: p["reason"] for p in payouts if not p["eligible"]} == {
        "Bob": "4 of 9 months",
        "Cat": "contractor",
        "Owen": "owner",
    }
    assert sum(int(p["total"].replace(".", "")) for p in payouts) == 1209000
    assert [p["team"] for p in payouts if p["eligible"]] == ["3022.50", "3022.50"]


def test_table_shows_threshold_gp_profit_gates_pools_and_every_person(
    files: dict[str, Path],
) -> None:
    run = tel("quarter", *file_args(files), "--quarter", "2026-Q3")
    assert run.returncode == 0, run.stderr
    out = run.stdout
    for text in (
        "2026-Q3",
        "2026-11-13 (the 15th is a Sunday; moved to the previous business day)",
        "$62,000.00",
        "$202,120.00",
        "$16,120.00",
        "Cash $52,000.00 meets the $50,000.00 minimum",
        "A/R over 90 days is 7.5%, within the 10% limit",
        "House (25%)",
        "$4,030.00",
        "$12,090.00",
        "$6,045.00",
        "Lee, Zoë",
        "4 of 9 months",
        "contractor",
        "owner",
    ):
        assert text in out, text
    total_line = out.splitlines()[-1]
    assert total_line.startswith("Total") and "2 of 5" in total_line
    assert total_line.endswith("$12,090.00")


def test_quarter_defaults_to_the_latest_booked_quarter(files: dict[str, Path]) -> None:
    files["months"].write_text(MONTHS + "2026-10,70000,52000,320000,24000\n", encoding="utf-8")
    run = tel("quarter", *file_args(files), "--json")
    result = json.loads(run.stdout)
    assert result["quarter"] == "2026-Q4"
    assert result["months_booked"] == ["2026-10"]


def test_partial_quarter_is_reported_as_quarter_to_date(files: dict[str, Path]) -> None:
    files["months"].write_text("\n".join(MONTHS.splitlines()[:3]) + "\n", encoding="utf-8")
    run = tel("quarter", *file_args(files))
    assert run.returncode == 0, run.stderr
    assert "Quarter to date: 2 of 3 months booked" in run.stdout


def test_failed_gate_shows_the_pools_but_pays_nothing(files: dict[str, Path]) -> None:
    files["months"].write_text(MONTHS.replace("52000", "46880"), encoding="utf-8")
    run = tel("quarter", *file_args(files))
    assert run.returncode == 0, run.stderr
    assert "FAILED, nothing is paid this quarter" in run.stdout
    assert "Cash is $3,120.00 short of $50,000.00" in run.stdout
    assert "$12,090.00" in run.stdout  # the staff pool, shown
    assert run.stdout.splitlines()[-1].endswith("$0.00")


def test_warnings_go_to_stderr_and_do_not_spoil_the_json(files: dict[str, Path]) -> None:
    files["roster"].write_text(ROSTER.replace("department\n", "department,notes\n"), "utf-8")
    run = tel("quarter", *file_args(files), "--json")
    assert run.returncode == 0
    assert json.loads(run.stdout)["tel_profit"] == "16120.00"
    assert run.stderr.startswith("warning: ")


def test_xlsx_roster_and_months_work_from_the_command_line(
    files: dict[str, Path], tmp_path: Path
) -> None:
    for name, text in (("roster", ROSTER), ("months", MONTHS)):
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        for row in csv.reader(text.splitlines()):
            sheet.append(row)
        files[name] = tmp_path / f"{name}.xlsx"
        book.save(files[name])
    run = tel("quarter", *file_args(files), "--json")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["merit_pool"] == "6045.00"


# --- bad input: exit 2, one line per problem, never a traceback -------------------------------


def test_quarter_with_no_booked_month_exits_2_in_one_line(files: dict[str, Path]) -> None:
    run = tel("quarter", *file_args(files), "--quarter", "2027-Q1")
    (line,) = assert_bad_input(run)
    assert "2027-Q1 has no booked month" in line
    assert "2026-Q3" in line


@pytest.mark.parametrize("text", ["2026Q9", "Q3", "next", "2026-Q0"])
def test_bad_quarter_string_exits_2(files: dict[str, Path], text: str) -> None:
    (line,) = assert_bad_input(tel("quarter", *file_args(files), "--quarter", text))
    assert "expected YYYY-QN" in line


def test_missing_file_exits_2_without_traceback(files: dict[str, Path], tmp_path: Path) -> None:
    files["roster"] = tmp_path / "nobody.csv"
    (line,) = assert_bad_input(tel("quarter", *file_args(files)))
    assert "nobody.csv" in line and "does not exist" in line


def test_bad_cell_exits_2_naming_file_row_and_column(files: dict[str, Path]) -> None:
    files["roster"].write_text(ROSTER.replace("Ann,60000", "Ann,60k"), encoding="utf-8")
    (line,) = assert_bad_input(tel("quarter", *file_args(files), "--json"))
    assert "roster.csv row 2, column salary: '60k' is not an amount of money" in line


def test_binary_file_exits_2_without_traceback(files: dict[str, Path]) -> None:
    files["months"].write_bytes(bytes(range(256)) * 4)
    (line,) = assert_bad_input(tel("quarter", *file_args(files)))
    assert "binary" in line


def test_every_problem_in_every_file_is_reported_at_once(files: dict[str, Path]) -> None:
    plan = files["plan"].read_text(encoding="utf-8")
    files["plan"].write_text(plan.replace("house_pct = 25", "house_pct = 250"), encoding="utf-8")
    files["roster"].write_text(ROSTER.replace("2020-01-01", "01/01/2020"), encoding="utf-8")
    files["months"].write_text(MONTHS.replace("320000,24000", "20000,24000"), encoding="utf-8")
    problems = assert_bad_input(tel("quarter", *file_args(files), "--quarter", "nope"))
    assert len(problems) == 1 + 1 + 1 + 3
    assert problems[0].startswith("error: --quarter")


def test_usage_error_exits_2_in_one_line(files: dict[str, Path]) -> None:
    (line,) = assert_bad_input(tel("quarter", "--plan", files["plan"]))
    assert "--roster" in line
    (line,) = assert_bad_input(tel())
    (line,) = assert_bad_input(tel("pay-everyone"))


def test_help_exits_0() -> None:
    run = tel("quarter", "--help")
    assert run.returncode == 0
    assert "--quarter" in run.stdout


# --- tel check ----------------------------------------------------------------------------------


def test_check_says_all_files_ok_and_exits_0(files: dict[str, Path]) -> None:
    run = tel("check", *file_args(files))
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("all files OK")
    assert "5 people, 3 months" in run.stdout


def test_check_lists_every_problem_one_line_each_and_exits_2(files: dict[str, Path]) -> None:
    files["roster"].write_text(
        ROSTER.replace("Ann,60000", "Ann,x").replace("Bob,50000", "Ann,50000"), "utf-8"
    )
    files["months"].write_text(MONTHS + "2026-09,1,1,1,0\n", encoding="utf-8")
    run = tel("check", *file_args(files))
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    lines = run.stderr.splitlines()
    assert lines[:-1] == [
        "error: {} row 2, column salary: 'x' is not an amount of money; expected dollars like "
        "65000 or $65,000.00".format(files["roster"]),
        "error: {} row 4, column name: 'Ann' appears twice (rows 2 and 4); expected each "
        "person once (names must be unique, ignoring case)".format(files["roster"]),
        "error: {} row 5, column month: 2026-09 appears twice (rows 4 and 5); expected one "
        "row per month".format(files["months"]),
    ]
    assert lines[-1] == "3 error(s), 0 warning(s)"


def test_check_prints_warnings_but_passes(files: dict[str, Path]) -> None:
    files["months"].write_bytes(MONTHS.replace("month,", "Month,").encode() + b"\n\n")
    files["roster"].write_bytes(ROSTER.replace("Zoë", "Zoé").encode("cp1252"))
    run = tel("check", *file_args(files))
    assert run.returncode == 0
    assert run.stderr.startswith("warning: ") and "Windows-1252" in run.stderr
    assert "all files OK" in run.stdout and "1 warning(s)" in run.stdout


def test_check_reports_missing_files_without_traceback(tmp_path: Path) -> None:
    run = tel("check", "--plan", tmp_path / "p.toml", "--roster", tmp_path, "--months", "m.csv")
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert len(run.stderr.splitlines()) == 4  # three problems and the count


# --- in process -----------------------------------------------------------------------------------


def test_main_returns_the_exit_status_in_process(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["quarter", *map(str, file_args(files)), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["house"] == "4030.00"
    assert main(["check", "--plan", "nope.toml", "--roster", "r", "--months", "m"]) == 2


def test_unexpected_failure_is_one_line_not_a_traceback(
    files: dict[str, Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("disk on fire\nsecond line")

    monkeypatch.setattr(cli, "compute_scenario", broken)
    assert main(["quarter", *map(str, file_args(files))]) == 2
    err = capsys.readouterr().err
    assert (
        err
        == "error: tel stopped on an unexpected problem (RuntimeError: disk on fire second line)\n"
    )


def test_table_reports_undistributed_money_when_nobody_is_eligible() -> None:
    months = [
        Month(year=2026, month=m, gp=g, cash_on_hand=52000, ar_total=320000, ar_90_plus=24000)
        for m, g in ((7, 69343), (8, 59343), (9, 73434))
    ]
    owner = Person(name="Owen", salary=90000, start_date=date(2010, 1, 1), owner=True)
    result = compute_quarter(Plan(), [owner], months, Quarter(2026, 3))
    text = format_quarter(result, Plan())
    assert "Undistributed (nobody eligible)" in text
    assert text.splitlines()[-1].startswith("Total  0 of 1")


# --------------------------------------------------------------------------- part two


def test_tel_year_json_lists_the_booked_quarters_and_each_persons_total(
    files: dict[str, Path],
) -> None:
    run = tel("year", *file_args(files), "--fiscal-year", "2026", "--json")
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["fiscal_year"] == 2026
    assert [q["quarter"] for q in out["quarters"]] == ["2026-Q3"]
    q3 = out["quarters"][0]
    assert q3["tel_profit"] == "16120.00" and q3["paid_pool"] == q3["staff_pool"] == "12090.00"
    assert q3["employer_tax"] == q3["carry_in"] == q3["deferred_in"] == "0.00"
    assert [p["name"] for p in out["people"]] == ["Ann", "Lee, Zoë", "Bob", "Cat", "Owen"]
    assert [p["total"] for p in out["people"]] == [p["total"] for p in q3["payouts"]]


def test_tel_year_prints_a_table_with_the_year_column_by_default(files: dict[str, Path]) -> None:
    run = tel("year", *file_args(files))
    assert run.returncode == 0, run.stderr
    assert "fiscal year 2026" in run.stdout and "Year" in run.stdout
    assert "$12,090.00" in run.stdout and "Total" in run.stdout


def test_tel_year_without_a_booked_month_is_one_line_naming_the_years(
    files: dict[str, Path],
) -> None:
    [line] = assert_bad_input(tel("year", *file_args(files), "--fiscal-year", "2031"))
    assert "fiscal year 2031 has no booked month" in line and "2026" in line
    [line] = assert_bad_input(tel("year", *file_args(files), "--fiscal-year", "26x"))
    assert "'26x' is not a year" in line


def test_tel_quarter_json_has_the_ledger_keys_and_a_variant_plan_moves_them(
    files: dict[str, Path],
) -> None:
    files["plan"].write_text(SPEC_PLAN + "\n[payroll_tax]\nemployer_pct = 7.65\n"
                             "\n[reserve]\nholdback_pct = 10\n", encoding="utf-8")
    run = tel("quarter", *file_args(files), "--quarter", "2026-Q3", "--json")
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["held_back"] == "1209.00"  # 10% of the 12,090.00 staff pool
    assert out["available"] == "10881.00" and out["reserve_out"] == "1209.00"
    # paid_pool = round(available x 100 / 107.65); checks + employer tax = available
    assert out["paid_pool"] == "10107.76" and out["employer_tax"] == "773.24"
    assert sum(float(p["total"]) for p in out["payouts"]) == pytest.approx(10107.76)
    text = tel("quarter", *file_args(files), "--quarter", "2026-Q3").stdout
    assert "Employer payroll tax" in text and "Held back for the reserve" in text


def test_a_scores_file_changes_that_quarters_merit_and_bad_rows_are_one_line_each(
    files: dict[str, Path], tmp_path: Path,
) -> None:
    scores = tmp_path / "scores.csv"
    scores.write_text("name,quarter,performance\nAnn,2026-Q3,2\n", encoding="utf-8")
    base = json.loads(tel("quarter", *file_args(files), "--json").stdout)
    run = tel("quarter", *file_args(files), "--scores", scores, "--json")
    assert run.returncode == 0, run.stderr
    ann = json.loads(run.stdout)["payouts"][0]
    assert float(ann["merit"]) > float(base["payouts"][0]["merit"])
    scores.write_text("name,quarter,performance\nZed,2026-Q3,2\nAnn,2026-Q5,1\nAnn,2026-Q3,-1\n",
                      encoding="utf-8")
    lines = assert_bad_input(tel("quarter", *file_args(files), "--scores", scores))
    assert any("row 2, column name: 'Zed' is not on the roster" in x for x in lines)
    assert any("row 3, column quarter" in x for x in lines)
    assert any("row 4, column performance" in x for x in lines)


def test_an_unknown_variant_value_names_the_section_key_and_the_choices(
    files: dict[str, Path],
) -> None:
    files["plan"].write_text(SPEC_PLAN + '\n[netting]\nmode = "yearly"\n', encoding="utf-8")
    [line] = assert_bad_input(tel("quarter", *file_args(files)))
    assert "[netting] mode" in line and '"monthly_floor"' in line and "'yearly'" in line


# --------------------------------------------------------------------------- import-books

BOOKS = ROOT / "tests" / "fixtures" / "books"


def books_args(pl: str = "qbo_profit_and_loss_by_month.csv",
               bs: str = "qbo_balance_sheet_by_month.csv", *agings: str) -> list[str | Path]:
    out: list[str | Path] = ["import-books", "--profit-loss", BOOKS / pl,
                             "--balance-sheet", BOOKS / bs]
    if agings:
        out += ["--ar-aging", *(BOOKS / a for a in agings)]
    return out


def test_import_books_prints_each_month_with_the_cell_of_every_figure() -> None:
    run = tel(*books_args("qbo_profit_and_loss_by_month.csv", "qbo_balance_sheet_by_month.csv",
                          "qbo_ar_aging_2025-06-30.csv"), cwd=BOOKS)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].split()[:3] == ["Month", "GP", "Cash"]
    assert len(lines) == 7
    june = lines[-1]
    for part in ("2025-06", "$965.09", "$25,800.00", "$3,566.25", "$396.25",
                 "qbo_profit_and_loss_by_month.csv row 22, column G",
                 "qbo_balance_sheet_by_month.csv row 11, column G",
                 "qbo_ar_aging_2025-06-30.csv row 12, column G (as of 2025-06-30)"):
        assert part in june
    assert "2025-03   -$399.25" in run.stdout
    assert all(line.startswith("warning: ") for line in run.stderr.splitlines())
    assert "'Jul 1 - Jul 7 2025' covers only part of a month" in run.stderr


def test_import_books_writes_a_months_file_that_tel_quarter_reads(
        files: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "months.csv"
    run = tel(*books_args("qbo_profit_and_loss_by_month.csv", "qbo_balance_sheet_by_month.csv",
                          "qbo_ar_aging_2025-03-31.csv", "qbo_ar_aging_2025-06-30.csv"),
              "--out", out)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1] == ("wrote " + str(out) + ": 6 months (2025-01 to "
                                           "2025-06), A/R aging for 2")
    text = out.read_bytes().decode("utf-8")
    assert text.splitlines()[1:4] == ["2025-01,1735.25,23500.00,,", "2025-02,1297.05,24234.55,,",
                                      "2025-03,-399.25,22900.10,3173.25,348.25"]
    files["months"] = out
    q = tel("quarter", *file_args(files), "--quarter", "2025-Q2", "--json")
    assert q.returncode == 0, q.stderr
    result = json.loads(q.stdout)
    assert result["gp_total"] == "6091.84"  # 2,991.75 + 2,135.00 + 965.09
    assert result["gates"]["passed"] is False  # $25,800 of cash is under the $50,000 minimum


def test_an_earlier_quarter_without_its_aging_stops_a_later_one_only_when_its_gate_matters(
        files: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "months.csv"
    made = tel(*books_args("qbo_profit_and_loss_by_month.csv", "qbo_balance_sheet_by_month.csv",
                           "qbo_ar_aging_2025-06-30.csv"), "--out", out)
    assert made.returncode == 0
    files["months"] = out
    # under the source's plan an earlier gate decides nothing that is carried: Q2 is paid
    assert tel("quarter", *file_args(files), "--quarter", "2025-Q2").returncode == 0
    # with deferral the earlier gate decides what Q2 starts from
    files["plan"].write_text(files["plan"].read_text(encoding="utf-8")
                             + '\n[gate_failure]\npolicy = "defer"\n', encoding="utf-8")
    [line] = assert_bad_input(tel("quarter", *file_args(files), "--quarter", "2025-Q2"))
    assert line.startswith(f"error: {out}: A/R aging as of 2025-03-31 is missing: the gates of "
                           "2025-Q1 are checked on 2025-03")
    assert line.endswith("; 2025-Q2 comes after 2025-Q1 in the ledger, which needs its gates")


def test_import_books_bad_files_are_one_line_each_and_exit_2() -> None:
    run = tel(*books_args("qbo_balance_sheet_by_month.csv", "qbo_balance_sheet_by_month_2024.csv",
                          "bad_ar_aging_without_as_of.csv", "qbo_ar_aging_2025-06-30.csv",
                          "qbo_ar_aging_2025-06-15.csv"), cwd=BOOKS)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    errors = [line for line in run.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 3
    assert errors[0].startswith(f"error: {BOOKS / 'qbo_balance_sheet_by_month.csv'}: is a "
                                "balance sheet, not a profit and loss")
    assert "bad_ar_aging_without_as_of.csv: has no 'as of' date" in errors[1]
    assert "qbo_ar_aging_2025-06-15.csv row 3: is as of 2025-06-15, a second report" in errors[2]


def test_import_books_reports_mismatched_years_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "months.csv"
    run = tel(*books_args("qbo_profit_and_loss_by_month.csv",
                          "qbo_balance_sheet_by_month_2024.csv"), "--out", out)
    assert run.returncode == 2 and not out.exists()
    assert [line for line in run.stderr.splitlines() if line.startswith("error: ")] == [
        f"error: {BOOKS / 'qbo_profit_and_loss_by_month.csv'}: has no month in common with "
        f"{BOOKS / 'qbo_balance_sheet_by_month_2024.csv'}: the profit and loss has 2025-01 to "
        "2025-06, the balance sheet 2024-01 to 2024-06; expected reports for the same months"]


def test_import_books_a_missing_file_is_one_line() -> None:
    run = tel("import-books", "--profit-loss", "nowhere.csv", "--balance-sheet",
              BOOKS / "qbo_balance_sheet_by_month.csv")
    assert assert_bad_input(run) == [
        "error: nowhere.csv: does not exist; expected the path of a file"]


MONTHS_NO_AGING = """\
month,gp,cash_on_hand,ar_total,ar_90_plus
2026-07,69343,52000,320000,24000
2026-08,59343,52000,,
2026-09,73434,52000,,
"""


@pytest.mark.parametrize("command", [["quarter", "--quarter", "2026-Q3"], ["year"], ["risk"]])
def test_a_gate_month_without_an_aging_report_is_one_line_naming_it(
        files: dict[str, Path], command: list[str]) -> None:
    files["months"].write_text(MONTHS_NO_AGING, encoding="utf-8")
    run = tel(*command[:1], *file_args(files), *command[1:])
    [line] = assert_bad_input(run)
    assert line == (f"error: {files['months']}: A/R aging as of 2026-09-30 is missing: the "
                    "gates of 2026-Q3 are checked on 2026-09, whose ar_total and ar_90_plus "
                    "are blank; expected them from an A/R aging summary as of 2026-09-30 (tel "
                    "import-books --ar-aging)")


def test_blank_ar_outside_the_gate_month_pays_as_before(files: dict[str, Path]) -> None:
    before = tel("quarter", *file_args(files), "--json")
    files["months"].write_text(MONTHS.replace("2026-08,59343,52000,320000,24000",
                                              "2026-08,59343,52000,,"), encoding="utf-8")
    after = tel("quarter", *file_args(files), "--json")
    assert after.returncode == 0 and after.stdout == before.stdout
