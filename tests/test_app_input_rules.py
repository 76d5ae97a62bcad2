"""AppTest: the dashboard meets bad input (start files, uploads, the store) with one plain
message, never a traceback or a hang, and the pages that do not need what is broken keep working.
The rules themselves are tested on the library in ``test_input_rules.py`` and
``test_store_faults.py``."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from apptest_support import SAMPLE, open_app, sample_scenario
from spec_examples import SPEC_PLAN
from streamlit.testing.v1 import AppTest

import tel.io.store
from tel.io.store import DB_FILENAME, Store

Q3 = "2026-Q3"
GAP_MONTHS = (
    "month,gp,cash_on_hand,ar_total,ar_90_plus\n"
    "2026-07,69343,52000,320000,24000\n"
    "2026-09,73434,52000,320000,24000\n"
)


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("TEL_DATA_DIR", str(folder))
    return folder


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def started(monkeypatch: pytest.MonkeyPatch, **files: Path) -> AppTest:
    """The app started on some files of our own (the rest are the sample data)."""
    for kind, path in files.items():
        monkeypatch.setenv(f"TEL_{kind.upper()}", str(path))
    at = AppTest.from_file(str(SAMPLE.parent / "app.py"), default_timeout=60)
    return ok(at.run())


def plain(markdown: str) -> str:
    """Markdown as read on screen: backslash escapes removed."""
    return re.sub(r"\\(.)", r"\1", markdown)


def errors(at: AppTest) -> list[str]:
    return [plain(str(e.value)) for e in at.error]


def warnings(at: AppTest) -> list[str]:
    return [plain(str(w.value)) for w in at.warning] + [plain(str(t.value)) for t in at.toast]


def upload(at: AppTest, kind: str, name: str, data: bytes) -> AppTest:
    [widget] = [f for f in at.file_uploader if str(f.key).startswith(f"data.upload.{kind}.")]
    widget.upload(name, data, "application/octet-stream")
    return ok(at.run())


def problems(at: AppTest) -> list[str]:
    return [str(p) for p in at.dataframe[0].value["Problem"]]


# --------------------------------------------------------------------------- start files


def test_starting_on_a_deeply_nested_plan_says_so_without_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text("x = " + "[" * 600 + "]" * 600 + "\n")
    at = started(monkeypatch, plan=plan)
    [message] = errors(at)
    assert "plan.toml line 1: is nested too deeply" in message


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[Path]:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    path = tmp_path / "roster.csv"
    os.mkfifo(path)
    yield path
    with contextlib.suppress(OSError):  # unblock a reader stuck in open() (only before the fix)
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))


def test_starting_on_a_named_pipe_says_so_and_does_not_hang(
    fifo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = started(monkeypatch, roster=fifo)
    [message] = errors(at)
    assert f"{fifo}: is not a regular file" in message


def test_starting_on_months_with_a_gap_warns_and_the_data_page_keeps_the_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    months = tmp_path / "months.csv"
    months.write_text(GAP_MONTHS)
    at = started(monkeypatch, months=months)
    assert any("2026-08 is missing" in plain(str(t.value)) for t in at.toast)
    ok(at.switch_page("pages/data.py").run())
    assert any("2026-08 is missing" in w for w in warnings(at))


def test_starting_on_a_plan_without_threshold_names_what_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text("[split]" + SPEC_PLAN.split("[split]")[1])
    at = started(monkeypatch, plan=plan)
    [message] = errors(at)
    assert "[threshold]: is missing" in message


# --------------------------------------------------------------------------- Data page


def test_uploads_with_absurd_nesting_money_or_a_missing_column_are_listed_plainly() -> None:
    at = open_app("pages/data.py", query={"q": Q3})
    upload(at, "plan", "plan.toml", b"x = " + b"[" * 600 + b"]" * 600 + b"\n")
    assert any("nested too deeply" in p for p in problems(at))
    upload(at, "months", "months.csv",
           b"month,gp,cash_on_hand,ar_total,ar_90_plus\n2026-07,1e26,0,0,0\n"
           b"2026-08," + b"9" * 27 + b",0,0,0\n")
    assert any("$10,000,000,000" in p for p in problems(at))
    roster = (SAMPLE / "roster.csv").read_text(encoding="utf-8").replace("salary,", "", 1)
    upload(at, "roster", "roster.csv", roster.encode())
    roster_problems = [p for p, f in zip(problems(at), at.dataframe[0].value["File"],
                                         strict=True) if f == "roster.csv"]
    assert len(roster_problems) == 1 and "is missing" in roster_problems[0]


def test_an_uploaded_months_file_with_a_gap_is_usable_and_its_warning_stays_in_view() -> None:
    at = open_app("pages/data.py", query={"q": Q3})
    upload(at, "months", "months.csv", GAP_MONTHS.encode())
    table = at.dataframe[0].value
    assert list(table["Severity"]) == ["warning"]
    assert "2026-08 is missing" in table["Problem"][0]
    [use] = [b for b in at.button if b.label == "Use this data"]
    ok(use.click().run())
    assert any("2026-08 is missing" in w for w in warnings(at))


# --------------------------------------------------------------------------- the store


STORE_PAGES = ("pages/saved.py", "pages/compare.py", "pages/approve.py")


def test_a_damaged_store_stops_only_the_store_pages_with_a_plain_message(
    data_dir: Path,
) -> None:
    with Store(data_dir) as store:
        for i in range(20):
            store.create(f"plan {i}", sample_scenario())
    path = data_dir / DB_FILENAME
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.seek(size // 2)
        handle.write(bytes(range(256)) * 16)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    at = open_app(query={"q": Q3})
    for page in STORE_PAGES:
        ok(at.switch_page(page).run())
        [message] = errors(at)
        assert str(path) in message and "damaged" in message and "untouched" in message
    ok(at.switch_page("pages/payouts.py").run())
    assert not at.error
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_a_mistyped_tel_data_dir_stops_the_store_pages_naming_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wanted = tmp_path / "no-such-folder"
    monkeypatch.setenv("TEL_DATA_DIR", str(wanted))
    at = open_app("pages/saved.py", query={"q": Q3})
    [message] = errors(at)
    assert f"TEL_DATA_DIR is {wanted}" in message
    assert not wanted.exists()


def test_a_read_only_store_is_read_and_saving_or_deleting_says_so_plainly(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store(data_dir) as store:
        store.create("Kept", sample_scenario())
    before = hashlib.sha256((data_dir / DB_FILENAME).read_bytes()).hexdigest()
    monkeypatch.setattr(tel.io.store, "_writable", lambda path: False)  # as chmod 444 would
    at = open_app("pages/saved.py", query={"q": Q3})
    assert any("is read-only" in w for w in warnings(at))
    assert list(at.dataframe[0].value["Scenario"]) == ["Kept"]  # reading works
    at.text_input(key="saved.name").set_value("Mine")
    [save] = [b for b in at.button if b.label == "Save"]
    ok(save.click().run())
    assert any("Not saved" in e and "is read-only" in e for e in errors(at)), errors(at)
    at.checkbox(key=next(c.key for c in at.checkbox if str(c.key).startswith("saved.sure."))
                ).check().run()
    [delete] = [b for b in at.button if b.label == "Delete"]
    ok(delete.click().run())
    assert any("Not deleted" in e and "is read-only" in e for e in errors(at)), errors(at)
    assert hashlib.sha256((data_dir / DB_FILENAME).read_bytes()).hexdigest() == before


def test_importing_a_scenario_file_nested_thousands_deep_is_refused_plainly() -> None:
    at = open_app("pages/saved.py", query={"q": Q3})
    at.file_uploader(key="saved.import").upload(
        "deep.json", b"[" * 5000 + b"]" * 5000, "application/json")
    ok(at.run())
    [button] = [b for b in at.button if b.label == "Import"]
    ok(button.click().run())
    assert any("nested too deeply" in e for e in errors(at))
