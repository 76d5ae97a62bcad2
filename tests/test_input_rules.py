"""Every input gets one clear message and loses nothing: never a traceback, a hang or a wrong
silence (issue 8, item 9). The library rules here are the ones the CLI, the dashboard's start-up
and its Data page share; the dashboard side is in ``test_app_input_rules.py``."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from spec_examples import SPEC_PLAN

from tel.analysis.whatif import from_query
from tel.cli import main
from tel.core.models import Month, Plan
from tel.core.money import MONEY_LIMIT
from tel.io.loaders import load_months, load_plan, load_roster, read_months, read_plan, read_roster
from tel.io.planfile import MAX_NESTING, plan_from_toml
from tel.io.problems import Loaded
from tel.io.store import ImportRefused, parse_export

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
MONTHS_HEADER = "month,gp,cash_on_hand,ar_total,ar_90_plus\n"
ROSTER = (
    "name,salary,start_date,end_date,employment\n"
    "Ann,60000,2020-01-01,,w2\n"
    "Bob,50000,2019-05-01,,w2\n"
)


def deep_plan(depth: int = 600, before: str = "") -> str:
    return before + "x = " + "[" * depth + "]" * depth + "\n"


def months_csv(*rows: str) -> bytes:
    return (MONTHS_HEADER + "".join(r + "\n" for r in rows)).encode()


def month_row(label: str, gp: str = "69343") -> str:
    return f"{label},{gp},52000,320000,24000"


def texts(loaded: Loaded[Any]) -> list[str]:
    return [str(p) for p in loaded.problems]


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {k: tmp_path / f"{k}{s}" for k, s in
             (("plan", ".toml"), ("roster", ".csv"), ("months", ".csv"))}
    paths["plan"].write_text(SPEC_PLAN, encoding="utf-8")
    paths["roster"].write_text(ROSTER, encoding="utf-8")
    paths["months"].write_bytes(months_csv(month_row("2026-07"), month_row("2026-08")))
    return paths


def check(files: dict[str, Path], capsys: pytest.CaptureFixture[str],
          command: str = "check") -> tuple[int, str, str]:
    code = main([command, "--plan", str(files["plan"]), "--roster", str(files["roster"]),
                 "--months", str(files["months"])])
    out, err = capsys.readouterr()
    return code, out, err


# --------------------------------------------------------------------------- 1. deep TOML


def test_a_plan_nested_absurdly_deep_is_one_problem_naming_the_line() -> None:
    loaded = plan_from_toml(deep_plan(before="# a plan\n\n"), "plan.toml")
    assert loaded.value is None
    [problem] = loaded.errors
    assert problem.line == 3
    assert str(problem).startswith("plan.toml line 3: is nested too deeply")


def test_nesting_just_within_the_limit_is_an_ordinary_problem_not_a_refusal() -> None:
    loaded = plan_from_toml(deep_plan(MAX_NESTING), "plan.toml")
    assert loaded.value is None
    assert not any("nested too deeply" in p.message for p in loaded.problems)


def test_brackets_inside_strings_and_comments_do_not_count_as_nesting() -> None:
    quoted = '"' + "[" * 100 + '"'
    text = SPEC_PLAN.replace("[split]", f"# {'[' * 100}\n[split]")
    assert plan_from_toml(text).value == Plan()
    problem = plan_from_toml(f"[split]\nhouse_pct = {quoted}\n").errors
    assert not any("nested" in p.message for p in problem)


def test_tomls_own_recursion_limit_is_caught_as_a_plain_problem(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import tel.io.planfile

    monkeypatch.setattr(tel.io.planfile, "MAX_NESTING", 10**6)  # only the backstop left
    [problem] = plan_from_toml(deep_plan(5000)).errors
    assert "nested too deeply" in problem.message


def test_tel_check_reports_a_deep_plan_in_one_line_not_as_an_unexpected_problem(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    files["plan"].write_text(deep_plan())
    code, _, err = check(files, capsys)
    assert code == 2
    assert f"error: {files['plan']} line 1: is nested too deeply" in err
    assert "unexpected" not in err


# --------------------------------------------------------------------------- 2. deep JSON


def test_a_scenario_file_nested_thousands_deep_is_refused_in_plain_words() -> None:
    for text in ("[" * 5000 + "]" * 5000,
                 '{"format": "tel-bonus-scenario", "versions": ' + "[" * 5000 + "]" * 5000 + "}"):
        with pytest.raises(ImportRefused) as refused:
            parse_export(text.encode())
        assert "nested too deeply" in str(refused.value)


# --------------------------------------------------------------------------- 5. FIFOs


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[Path]:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    path = tmp_path / "pipe.csv"
    os.mkfifo(path)
    yield path
    try:  # unblock a reader stuck in open() (only before the fix): open the writing end
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
    except OSError:
        pass


def within(seconds: float, call: Callable[[], Any]) -> Any:
    """``call()``, failing (not hanging) when it takes longer than ``seconds``."""
    box: list[Any] = []
    worker = threading.Thread(target=lambda: box.append(call()), daemon=True)
    worker.start()
    worker.join(seconds)
    assert box, f"still running after {seconds} s: it hangs"
    return box[0]


def test_a_named_pipe_is_refused_as_not_a_regular_file_without_opening_it(fifo: Path) -> None:
    for reader in (read_roster, read_months, read_plan):
        loaded = within(5, lambda r=reader: r(fifo))  # type: ignore[misc]
        [problem] = loaded.errors
        assert "not a regular file" in problem.message
        assert problem.file == str(fifo)


def test_a_device_is_refused_too() -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    [problem] = within(5, lambda: read_months("/dev/zero")).errors
    assert "not a regular file" in problem.message


def test_tel_check_on_a_named_pipe_answers_at_once(files: dict[str, Path], fifo: Path) -> None:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    started = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-m", "tel", "check", "--plan", str(files["plan"]),
         "--roster", str(fifo), "--months", str(files["months"])],
        capture_output=True, text=True, env=env, timeout=60, check=False,
    )
    assert time.monotonic() - started < 60
    assert run.returncode == 2
    assert f"error: {fifo}: is not a regular file" in run.stderr
    assert "Traceback" not in run.stderr


# --------------------------------------------------------------------------- 6. money bound


def test_money_has_a_documented_upper_bound() -> None:
    assert Decimal("10000000000") == MONEY_LIMIT


def test_an_absurd_gp_is_an_error_naming_file_row_and_column() -> None:
    loaded = load_months(months_csv(month_row("2026-07"), month_row("2026-08", "1" + "0" * 26)),
                         "months.csv")
    assert loaded.value is None
    [problem] = loaded.errors
    assert (problem.row, problem.column) == (3, "gp")
    assert "$10,000,000,000" in problem.message


def test_amounts_just_under_the_bound_are_accepted_and_the_bound_itself_is_not() -> None:
    under = load_months(months_csv(month_row("2026-07", "-9999999999.99")), "m.csv")
    assert under.ok
    at = load_months(months_csv(month_row("2026-07", "-10000000000")), "m.csv")
    assert [p.column for p in at.errors] == ["gp"]


def test_an_absurd_salary_or_plan_amount_is_refused_too() -> None:
    roster = load_roster(ROSTER.replace("60000", "60000000000000").encode(), "roster.csv")
    assert [(p.row, p.column) for p in roster.errors] == [(2, "salary")]
    plan = plan_from_toml(SPEC_PLAN.replace("overhead = 50000", "overhead = 1e26"))
    assert [p.column for p in plan.errors] == ["[threshold] overhead"]


def test_in_code_models_refuse_amounts_beyond_the_bound_as_well() -> None:
    with pytest.raises(ValueError, match="less than"):
        Month(year=2026, month=7, gp=Decimal(10) ** 26, cash_on_hand=0, ar_total=0,
              ar_90_plus=0)


def test_tel_check_reports_an_absurd_gp_instead_of_passing_it(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    files["months"].write_bytes(months_csv(month_row("2026-07", "1" + "0" * 26)))
    code, out, err = check(files, capsys)
    assert code == 2 and "all files OK" not in out
    assert f"error: {files['months']} row 2, column gp:" in err


# --------------------------------------------------------------------------- 7. month gaps


def test_a_month_missing_between_booked_months_is_a_warning_naming_it() -> None:
    loaded = load_months(months_csv(month_row("2026-07"), month_row("2026-09")), "months.csv")
    assert loaded.ok
    [warning] = loaded.warnings
    assert warning.column == "month"
    assert "2026-08 is missing" in warning.message


def test_every_missing_month_is_named_in_one_warning_in_ranges() -> None:
    loaded = load_months(
        months_csv(month_row("2025-12"), month_row("2026-04"), month_row("2026-06"),
                   month_row("2026-01")),
        "months.csv",
    )
    [warning] = loaded.warnings
    assert "2026-02, 2026-03 and 2026-05 are missing" in warning.message


def test_a_quarter_to_date_with_its_latest_months_not_yet_booked_is_not_a_gap() -> None:
    loaded = load_months(months_csv(month_row("2026-06"), month_row("2026-07")), "months.csv")
    assert loaded.problems == ()


def test_tel_check_and_tel_quarter_both_warn_about_a_gap(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    files["months"].write_bytes(months_csv(month_row("2026-07"), month_row("2026-09")))
    code, out, err = check(files, capsys)
    assert code == 0 and "1 warning(s)" in out
    assert f"warning: {files['months']} column month: 2026-08 is missing" in err
    code, out, err = check(files, capsys, "quarter")
    assert code == 0 and "TEL bonus for 2026-Q3" in out
    assert "2026-08 is missing" in err


# --------------------------------------------------------------------------- 9. plan keys


def test_a_plan_without_the_companys_figures_is_an_error_naming_each_missing_one() -> None:
    text = SPEC_PLAN.split("[split]")[0] + "[split]\nhouse_pct = 25\n"  # no team_pct, no gates
    loaded = plan_from_toml(text, "plan.toml")
    assert loaded.value is None
    assert [str(p) for p in loaded.errors] == [
        "plan.toml [split] team_pct: is missing; expected the company's own figure: "
        "a percentage from 0 to 100",
        "plan.toml [gates]: is missing; expected the section with the company's own "
        "min_cash and max_ar90_pct",
    ]


def test_a_plan_without_threshold_does_not_take_the_sources_62000() -> None:
    text = SPEC_PLAN.split("[split]")[1]
    loaded = load_plan(("[split]" + text).encode(), "plan.toml")
    assert loaded.value is None
    assert [p.column for p in loaded.errors] == ["[threshold]"]
    assert "overhead, debt_service, owner_retention and ni_retention" in loaded.errors[0].message


def test_an_empty_plan_file_is_an_error_not_the_default_plan() -> None:
    [problem] = load_plan(b"# nothing yet\n", "plan.toml").errors
    assert "is empty" in problem.message and "[threshold]" in problem.message


def test_min_months_pay_day_and_fiscal_year_start_may_be_left_out() -> None:
    text = SPEC_PLAN.split("[eligibility]")[0]
    assert plan_from_toml(text).unwrap() == Plan()


def test_a_figure_that_is_present_but_wrong_is_not_also_called_missing() -> None:
    text = SPEC_PLAN.replace("team_pct = 50", "team_pct = true").replace(
        "[gates]\nmin_cash", "min_cash = 5\n[gates]\nmin_cash_typo")
    messages = [str(p) for p in plan_from_toml(text).errors]
    assert len(messages) == 3, messages  # team_pct's type, min_cash's section, the typo
    assert not any("is missing" in m for m in messages)


def test_the_sample_plan_names_every_required_figure() -> None:
    assert read_plan(SAMPLE / "plan.toml").ok


# --------------------------------------------------------------------------- 10. shifted roster


def test_a_roster_header_missing_a_column_is_reported_once_without_shifted_row_noise() -> None:
    text = (SAMPLE / "roster.csv").read_text(encoding="utf-8")
    header, body = text.split("\n", 1)
    loaded = load_roster((header.replace("salary,", "") + "\n" + body).encode(), "roster.csv")
    assert loaded.value is None
    [problem] = loaded.problems
    assert (problem.row, problem.column) == (None, "salary")
    assert "is missing" in problem.message
    assert "rows hold one value more than the header" in problem.message


def test_a_column_left_out_of_header_and_rows_alike_still_reports_the_real_row_problems() -> None:
    loaded = load_roster(
        b"name,start_date,end_date,employment\nAnn,2020-01-01,,w2\nBob,01/02/2020,,w2\n",
        "roster.csv",
    )
    assert [(p.row, p.column) for p in loaded.errors] == [(None, "salary"), (3, "start_date")]


def test_a_link_with_an_absurd_gp_is_ignored_with_a_message() -> None:
    whatif, problems = from_query({"gp_2026-09": "1" + "0" * 26, "gp_2026-08": "70000"}, Plan())
    assert whatif.gp == {"2026-08": Decimal("70000")}
    assert problems == [f"link setting gp_2026-09={'1' + '0' * 26!r} ignored: out of range"]
