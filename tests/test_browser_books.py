"""In Chromium, the Data page's imports (issue 11): accounting reports become the months in
use (*From your books*), an HR export becomes the roster in use (*From your HR system*), each
through the page's usual check and *Use this data*.

One server for the module on an empty temporary store; each test its own browser (a session
of its own, starting from the sample data).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import (
    ROOT,
    AppServer,
    browser_page,
    exceptions_on,
    goto,
    main_text,
    shot,
    start_server,
    wait_text,
)

pytestmark = pytest.mark.browser

BOOKS = ROOT / "tests" / "fixtures" / "books"
HR = ROOT / "tests" / "fixtures" / "hr"
AGINGS = ("qbo_ar_aging_2025-03-31.csv", "qbo_ar_aging_2025-06-30.csv")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    data = tmp_path_factory.mktemp("books-data")
    with start_server(env={"TEL_DATA_DIR": str(data)}, name="books") as found:
        yield found


@pytest.fixture
def page(server: AppServer) -> Iterator[Any]:
    with browser_page(height=2200) as found:
        goto(found, f"{server.url}/data")
        assert "In use now" in main_text(found)
        yield found




def open_panel(page: Any, title: str) -> Any:
    """An expander of the Data page, opened."""
    panel = page.locator("[data-testid='stExpander']", has_text=title)
    if panel.locator("details").first.get_attribute("open") is None:  # closed
        panel.locator("summary").first.click()
    return panel


def upload(panel: Any, label: str, *paths: Path) -> None:
    uploader = panel.locator("[data-testid='stFileUploader']", has_text=label)
    uploader.locator("input[type=file]").set_input_files([str(p) for p in paths])


def button(page: Any, name: str) -> Any:
    return page.locator("[data-testid='stMain']").get_by_role("button", name=name, exact=True)


def metric(page: Any, label: str) -> str:
    box = page.locator("[data-testid='stMetric']", has_text=label).first
    return re.sub(r"\s+", "", box.locator("[data-testid='stMetricValue']").inner_text())


def quarter_options(page: Any) -> list[str]:
    page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox'] input").click()
    options = page.get_by_role("option")
    options.first.wait_for()
    found = [str(o).strip() for o in options.all_inner_texts()]
    page.keyboard.press("Escape")
    return found


def use_this_data(page: Any, waiting: str) -> None:
    wait_text(page, f"Waiting to be used: {waiting}")
    wait_text(page, "Ready to use")
    button(page, "Use this data").click()
    wait_text(page, "Now using")
    assert not exceptions_on(page), exceptions_on(page)


# --------------------------------------------------------------------------------------------


def test_reports_from_the_books_are_shown_then_become_the_months_in_use(page: Any) -> None:
    assert "2026-Q4" in quarter_options(page)  # the sample's months before
    panel = open_panel(page, "From your books")
    read = "Read: qbo_profit_and_loss_by_month.csv"
    upload(panel, "Profit and loss by month", BOOKS / "qbo_profit_and_loss_by_month.csv")
    wait_text(page, read)  # the panel's own caption: the script has read the file
    read += ", qbo_balance_sheet_by_month.csv"
    upload(panel, "Balance sheet by month", BOOKS / "qbo_balance_sheet_by_month.csv")
    wait_text(page, read)
    upload(panel, "A/R aging summaries", *(BOOKS / n for n in AGINGS))
    wait_text(page, read + ", " + ", ".join(AGINGS))
    text = main_text(page)
    assert "What was read: 6 months, 2025-01 to 2025-06." in text
    assert "problem(s) to fix in the reports" not in text
    assert "2026-Q4" in quarter_options(page)  # nothing is used before it is chosen
    shot(page, "books-read")

    button(page, "Use these months").click()
    wait_text(page, "6 months from your books (2025-01 to 2025-06, A/R aging for 2)")
    use_this_data(page, "months-from-books.csv")
    assert metric(page, "Months booked") == "6"
    assert metric(page, "Quarters") == "2"
    assert "Months 2025-01 to 2025-06; quarters 2025-Q1 to 2025-Q2." in main_text(page)
    options = quarter_options(page)
    assert "2025-Q2" in options and "2025-Q1" in options and "2026-Q4" not in options, options
    assert "months-from-books.csv" in page.inner_text("[data-testid='stSidebar']")
    shot(page, "books-in-use")


def test_an_hr_export_is_mapped_previewed_then_becomes_the_roster_in_use(page: Any) -> None:
    people_before = metric(page, "People")
    panel = open_panel(page, "From your HR system")
    upload(panel, "Employee export", HR / "gusto_employees.csv")
    wait_text(page, "reads as an export from Gusto")
    assert "Which column gives each field" in main_text(page)
    preview = panel.locator("[data-testid='stDataFrame']").last
    preview.wait_for()
    shot(page, "hr-gusto-read")

    button(page, "Use as the roster upload").click()
    wait_text(page, "5 people from gusto_employees.csv wait below as the roster upload")
    use_this_data(page, "gusto_employees-roster.csv")
    assert people_before != "5"
    assert metric(page, "People") == "5"
    assert "gusto_employees-roster.csv" in page.inner_text("[data-testid='stSidebar']")
    shot(page, "hr-in-use")
