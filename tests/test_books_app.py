"""AppTest: the Data page's *From your books* panel, and a quarter whose gate month has no A/R
aging report shown as an error on the pages, never a traceback."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from apptest_support import open_app
from streamlit.testing.v1 import AppTest

from tel.io.books import BookFile, read_books
from tel.ui.state import Work

BOOKS = Path(__file__).parent / "fixtures" / "books"
PL, BS = "qbo_profit_and_loss_by_month.csv", "qbo_balance_sheet_by_month.csv"


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("TEL_DATA_DIR", str(folder))
    return folder


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def work_of(at: AppTest) -> Work:
    return Work(at.session_state["tel.source"], at.session_state["tel.analysis.whatif"])


def uploader(at: AppTest, role: str) -> object:
    [widget] = [f for f in at.file_uploader
                if str(f.key).startswith(f"data.books.upload.{role}.")]
    return widget


def give(at: AppTest, role: str, *names: str) -> AppTest:
    files = [(n, (BOOKS / n).read_bytes(), "text/csv") for n in names]
    widget = uploader(at, role)
    widget.set_value(files if role == "aging" else files[0])  # type: ignore[attr-defined]
    return ok(at.run())


def button(at: AppTest, label: str) -> object:
    [found] = [b for b in at.button if b.label == label]
    return found


def click(at: AppTest, label: str) -> AppTest:
    button(at, label).click()  # type: ignore[attr-defined]
    return ok(at.run())


def texts(at: AppTest) -> str:
    """Every text on the page as read on screen (Markdown backslash escapes removed)."""
    return re.sub(r"\\(.)", r"\1", "\n".join(
        str(e.value) for kind in ("markdown", "caption", "success", "error", "warning", "info")
        for e in getattr(at, kind)))


def books_table(at: AppTest) -> pd.DataFrame:
    [frame] = [d.value for d in at.dataframe if "GP from" in d.value.columns]
    return frame


def test_reports_are_read_shown_with_their_sources_and_used_as_the_months_upload() -> None:
    at = open_app("pages/data.py")
    before = work_of(at).source
    give(at, "profit_loss", PL)
    give(at, "balance_sheet", BS)
    give(at, "aging", "qbo_ar_aging_2025-03-31.csv", "qbo_ar_aging_2025-06-30.csv")
    frame = books_table(at)
    assert list(frame["Month"]) == [f"2025-0{m}" for m in range(1, 7)]
    assert frame["A/R total"].iloc[2] == "$3,173.25"
    assert frame["GP from"].iloc[0] == f"{PL} row 22, column B"
    assert work_of(at).source is before  # nothing is used before it is seen and chosen
    click(at, "Use these months")
    assert "Waiting to be used: months-from-books.csv" in texts(at)
    click(at, "Use this data")
    expected = read_books(BookFile(PL, (BOOKS / PL).read_bytes()),
                          BookFile(BS, (BOOKS / BS).read_bytes()),
                          [BookFile(n, (BOOKS / n).read_bytes()) for n in
                           ("qbo_ar_aging_2025-03-31.csv", "qbo_ar_aging_2025-06-30.csv")])
    assert work_of(at).source.scenario.months == expected.to_months()
    assert work_of(at).source.scenario.months[5].ar_90_plus == Decimal("396.25")


def test_bad_reports_are_listed_with_file_and_row_and_cannot_be_used() -> None:
    at = open_app("pages/data.py")
    give(at, "profit_loss", BS)  # a balance sheet given as the profit and loss
    give(at, "balance_sheet", BS)
    give(at, "aging", "bad_ar_aging_without_as_of.csv")
    [problems] = [d.value for d in at.dataframe if "Problem" in d.value.columns]
    found = list(zip(problems["File"], problems["Severity"], strict=True))
    assert (BS, "error") in found and ("bad_ar_aging_without_as_of.csv", "error") in found
    assert button(at, "Use these months").disabled  # type: ignore[attr-defined]
    click(at, "Discard these reports")
    assert not [d for d in at.dataframe if "GP from" in d.value.columns]


def test_a_quarter_without_its_aging_report_is_an_error_on_the_pages_not_a_traceback() -> None:
    at = open_app("pages/data.py")
    give(at, "profit_loss", PL)
    give(at, "balance_sheet", BS)  # no aging: every quarter's gate month has blank A/R
    assert "no A/R aging report as of 2025-03-31 (2025-Q1), 2025-06-30 (2025-Q2)" in "\n".join(
        str(x) for x in books_table_problems(at))
    click(at, "Use these months")
    click(at, "Use this data")
    # the Data page's summary names the chosen quarter's own gate month (an earlier quarter's
    # missing aging blocks it only under a plan whose gates decide what is carried)
    assert "A/R aging as of 2025-06-30 is missing" in texts(at)
    for page in ("app.py", "pages/payouts.py", "pages/plan.py", "pages/year.py",
                 "pages/scenarios.py", "pages/sensitivity.py"):
        at.switch_page(page)
        ok(at.run())
        shown = [str(e.value) for e in at.error]
        assert any(s.startswith("A/R aging as of 2025-06-30 is missing") or
                   s.startswith("A/R aging as of 2025-03-31 is missing") for s in shown), (
            page, shown)


def books_table_problems(at: AppTest) -> list[str]:
    [problems] = [d.value for d in at.dataframe if "Problem" in d.value.columns]
    return list(problems["Problem"])
