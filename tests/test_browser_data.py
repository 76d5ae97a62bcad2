"""In Chromium: upload, save, compare, approve and download, on the sample and at 1,000 people.

Each test starts its own server on an empty store in a temporary folder (``TEL_DATA_DIR``).
Screenshots of every page go to ``test-artifacts/``; timings to ``data-timings.txt`` there.

The tests work on the quarter the sample data opens on (2026-Q3, the source's worked
example), which stays the session's quarter after an upload is put in use.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from browser_support import (
    ARTIFACTS,
    ROOT,
    browser_page,
    exceptions_on,
    goto,
    main_text,
    shot,
    start_server,
    wait_settled,
    wait_text,
)

from tel.core.periods import Quarter
from tel.engine.quarter import compute_quarter
from tel.io.store import Store

pytestmark = pytest.mark.browser

SAMPLE = ROOT / "sample_data"
Q = "2026-Q3"  # the sample data opens on its worked example
BAD_ROSTER = (
    "name,salary,start_date,end_date,employment\n"
    "Ann Lee,12x,2020-01-01,,w2\n"
    "Bob Roy,60000,01/02/2020,,boss\n"
)


@pytest.fixture
def app(tmp_path: Path) -> Iterator[tuple[Any, str, Path]]:
    data = tmp_path / "data"
    data.mkdir()  # an explicit TEL_DATA_DIR must exist: it is never created
    with start_server(env={"TEL_DATA_DIR": str(data)}, name="data") as server, \
            browser_page(height=2200) as page:
        yield page, server.url, data




def nav(page: Any, label: str) -> None:
    """Sidebar links keep the session (a fresh page load would start a new one)."""
    page.locator("[data-testid='stSidebar']").get_by_role("link", name=label).click()
    wait_settled(page)
    assert not exceptions_on(page), exceptions_on(page)


def upload(page: Any, index: int, path: Path) -> None:
    uploader = page.locator("[data-testid='stFileUploader']").nth(index)
    uploader.locator("input[type=file]").set_input_files(str(path))


def button(page: Any, name: str) -> Any:
    return page.locator("[data-testid='stMain']").get_by_role("button", name=name, exact=True)


def fill(page: Any, label: str, text: str) -> None:
    box = page.locator("[data-testid='stMain']").get_by_role("textbox", name=label, exact=True)
    box.fill(text)
    box.press("Enter")
    wait_settled(page)


def save_as(page: Any, name: str, note: str) -> None:
    nav(page, "Saved scenarios")
    fill(page, "Name", name)
    fill(page, "Note", note)
    button(page, "Save").click()
    wait_text(page, f"Saved {name} version 1")


def move_house_to_30(page: Any) -> None:
    nav(page, "Plan")
    for _ in range(10):  # 10 steps of 0.5%: 25% -> 30%, one rerun each
        page.get_by_role("slider").first.focus()  # house share
        page.keyboard.press("ArrowRight")
        time.sleep(0.3)
        wait_settled(page)
    deadline = time.monotonic() + 30
    while "house_pct=30" not in page.url:
        assert time.monotonic() < deadline, page.url
        time.sleep(0.1)
    wait_settled(page)


def approve(page: Any, by: str) -> None:
    nav(page, "Approve & export")
    fill(page, "Approved by", by)
    fill(page, "Note", "browser test")
    button(page, f"Approve {Q}").click()
    wait_text(page, f"Approved {Q} as approval #1")


def download(page: Any, label: str, nth: int = 0) -> tuple[str, bytes]:
    target = page.locator("[data-testid='stDownloadButton']").filter(has_text=label).nth(nth)
    with page.expect_download(timeout=120_000) as info:
        target.click()
    d = info.value
    return d.suggested_filename, Path(d.path()).read_bytes()


def payroll_sum(data: bytes) -> tuple[Decimal, Decimal, int]:
    """``(sum of the amounts, the TOTAL row, people)`` of a payroll CSV."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["name", "amount"], rows[:2]
    people = [r for r in rows[1:] if r[0] != "TOTAL"]
    [total] = [r for r in rows[1:] if r[0] == "TOTAL"]
    return sum((Decimal(r[1]) for r in people), Decimal(0)), Decimal(total[1]), len(people)


def record(line: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    with (ARTIFACTS / "data-timings.txt").open("a", encoding="utf-8") as f:
        f.write(line + "\n")


def test_save_compare_approve_and_download_on_the_sample(app: tuple[Any, str, Path]) -> None:
    page, url, data = app
    goto(page, f"{url}/data")
    assert "In use now" in main_text(page)
    shot(page, "data-page-sample")

    save_as(page, "Baseline", "sample as loaded")
    move_house_to_30(page)
    save_as(page, "House 30", "house keeps 30%")
    shot(page, "saved-page-sample")

    nav(page, "Compare")
    wait_text(page, "Who gains and who loses")
    shot(page, "compare-page-sample")

    approve(page, "Claire Landry")
    assert "verified" in main_text(page)
    shot(page, "approve-page-sample")
    [snap] = Store(data).snapshots()
    s = snap.scenario()
    assert s.plan.house_pct == Decimal(30)  # the what-if saved last is the one matched
    assert snap.result() == compute_quarter(s.plan, s.roster, s.months, Quarter.parse(Q))
    assert snap.staff_pool == snap.paid == 1128400  # TEL profit $16,120.00 x 70%

    name, payroll = download(page, "Payroll CSV")
    assert name == f"tel-{Q}-payroll-approval-{snap.id}.csv"
    amounts, total, people = payroll_sum(payroll)
    assert amounts == total == Decimal(snap.paid) / 100
    assert people == snap.paid_count
    name, _ = download(page, "Payroll CSV", nth=1)
    assert name == f"tel-{Q}-payroll-DRAFT.csv"
    name, gusto = download(page, "Gusto bonus CSV")
    assert gusto.decode("utf-8-sig").splitlines()[0] == "First Name,Last Name,Bonus"
    name, zipped = download(page, "Statements")
    assert name == f"statements-{Q}.zip" and zipped.startswith(b"PK")
    name, book = download(page, "Workbook (XLSX)")
    assert name == f"tel-{Q}-workbook-approval-{snap.id}.xlsx" and book.startswith(b"PK")
    name, doc = download(page, "Plan document (Markdown)")
    assert name.endswith(".md") and "# TEL bonus plan" in doc.decode()
    name, pdf = download(page, "Plan document (PDF)")
    assert name.endswith(".pdf") and pdf.startswith(b"%PDF")
    assert not exceptions_on(page)


def test_upload_1000_people_fix_nothing_bad_then_save_compare_approve_download(
    app: tuple[Any, str, Path], tmp_path: Path
) -> None:
    page, url, data = app
    goto(page, f"{url}/data")
    bad = tmp_path / "roster.csv"
    bad.write_text(BAD_ROSTER, encoding="utf-8")
    upload(page, 0, bad)
    wait_text(page, "problem(s) to fix")
    text = main_text(page)
    assert "Fix roster.csv" in text
    assert button(page, "Use this data").count() == 0
    assert page.locator("[data-testid='stMetricValue']").first.inner_text() == "14"
    shot(page, "data-page-bad-upload")
    button(page, "Discard").click()
    wait_settled(page)

    started = time.monotonic()
    upload(page, 0, SAMPLE / "roster_1000.csv")
    wait_text(page, "Ready to use")
    ready = time.monotonic()
    shot(page, "data-page-1000-ready")
    button(page, "Use this data").click()
    wait_text(page, "Now using")
    applied = time.monotonic()
    record(f"roster_1000.csv: upload -> ready {ready - started:.2f} s, click -> applied "
           f"{applied - ready:.2f} s, upload -> applied {applied - started:.2f} s")
    assert page.locator("[data-testid='stMetricValue']").first.inner_text() == "1,000"
    shot(page, "data-page-1000")

    save_as(page, "Thousand", "roster_1000.csv uploaded")
    move_house_to_30(page)
    save_as(page, "Thousand, house 30", "house keeps 30%")
    shot(page, "saved-page-1000")

    started = time.monotonic()
    nav(page, "Compare")
    wait_text(page, "Who gains and who loses")
    record(f"compare page at 1,000 people: {time.monotonic() - started:.2f} s")
    shot(page, "compare-page-1000")

    started = time.monotonic()
    approve(page, "Marc Thibodeaux")
    record(f"approve at 1,000 people: {time.monotonic() - started:.2f} s")
    shot(page, "approve-page-1000")
    [snap] = Store(data).snapshots()
    assert snap.result().eligible_count > 500

    started = time.monotonic()
    _, payroll = download(page, "Payroll CSV")
    amounts, total, people = payroll_sum(payroll)
    assert amounts == total == Decimal(snap.paid) / 100 == Decimal(snap.staff_pool) / 100
    assert people == snap.paid_count > 500
    started = time.monotonic()
    _, zipped = download(page, "Statements")
    record(f"statements zip at 1,000 people: {time.monotonic() - started:.2f} s, "
           f"{len(zipped) / 1e6:.1f} MB")
    assert not exceptions_on(page)
