"""The first minute: the arguments the dashboard takes (anything else refused) and the guided
start on the worked example."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from apptest_support import open_app
from streamlit.testing.v1 import AppTest

from tel.io.startfiles import StartArgsError, problems, start_files

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"


def test_the_streamlit_way_with_a_leading_double_dash_names_the_same_files() -> None:
    assert start_files(["--", "--roster", "r.csv"], {}) == start_files(["--roster", "r.csv"], {})


def test_arguments_beat_the_environment_which_beats_the_sample_data() -> None:
    env = {"TEL_ROSTER": "env.csv", "TEL_PLAN": "env.toml"}
    files = start_files(["--roster", "arg.csv"], env)
    assert (files.roster, files.plan, files.months) == (
        Path("arg.csv"), Path("env.toml"), SAMPLE / "months.csv")


@pytest.mark.parametrize("argv", [["--rooster", "r.csv"], ["roster.csv"], ["--rost", "r.csv"],
                                  ["--server.port", "9000"], ["--roster"]])
def test_an_argument_the_dashboard_does_not_take_is_refused_never_ignored(argv: list[str]) -> None:
    with pytest.raises(StartArgsError):
        start_files(argv, {})


def test_a_named_file_that_is_not_there_is_a_problem_before_the_server_starts() -> None:
    assert problems(["--months", "nowhere.csv"], {}) == ["--months nowhere.csv: no such file"]
    assert problems(["--roster", str(SAMPLE / "roster_1000.csv")], {}) == []


def test_the_check_the_dashboard_script_runs_exits_2_with_one_line_and_no_traceback() -> None:
    run = subprocess.run([sys.executable, "-m", "tel.io.startfiles", "--rooster", "x.csv"],
                         capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.startswith("tel dashboard: not an argument of the dashboard: --rooster")
    assert "Traceback" not in run.stderr and len(run.stderr.splitlines()) == 1


def test_the_app_started_with_an_unknown_argument_shows_the_refusal_not_the_sample(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", ["app.py", "--rooster", "mine.csv"])
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    shown = at.error[0].value.replace("\\", "")  # Markdown-escaped on the page
    assert "not an argument of the dashboard: --rooster mine.csv" in shown
    assert not at.metric  # no sample figures shown as if they were the company's


def test_the_app_started_the_streamlit_way_uses_the_named_roster(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", ["app.py", "--roster", str(SAMPLE / "roster_1000.csv")])
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception and not at.error
    assert "roster_1000.csv" in at.session_state["tel.source"].label.replace("\\", "")
    assert len(at.session_state["tel.source"].scenario.roster) == 1000


def _guide_text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_a_new_user_is_guided_through_the_worked_example_with_its_own_figures() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    text = _guide_text(at)
    assert "New here?" in text and "source's worked example" in text
    for figure in ("$62,000.00", "$202,120.00", "$16,120.00", "$12,090.00"):
        assert figure in text  # the quarter on screen: Min GP, GP, TEL profit, staff pool
    assert "they do" in text and "Where the knobs are" in text


def test_the_guide_stays_closed_once_closed_for_the_session() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.button(key="tel.guide_close").click().run()
    assert "New here?" not in _guide_text(at)
    at.switch_page("pages/plan.py").run()
    at.switch_page("app.py").run()
    assert "New here?" not in _guide_text(at) and not at.exception


def test_on_a_companys_own_files_the_guide_does_not_call_it_the_worked_example(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", ["app.py", "--roster", str(SAMPLE / "roster_1000.csv")])
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    text = _guide_text(at)
    assert "New here?" in text and "source's worked example" not in text


def test_the_guide_says_the_plans_own_house_share_and_merit_weight() -> None:
    at = open_app(query={"q": "2026-Q3", "house_pct": "30", "merit_formula": "salary"})
    text = _guide_text(at)
    assert "The house keeps its 30% share ($4,836.00)" in text  # once printed as "3%"
    assert "weighted by salary × performance; years of service do not count" in text


def test_the_guide_calls_a_quarter_ahead_of_the_books_assumed() -> None:
    at = open_app(query={"q": "2027-Q1"})
    text = _guide_text(at)
    assert "The quarter is ahead of the books: its GP is assumed to be $" in text
    assert "The quarter's GP was" not in text  # never "over 3 booked months"
