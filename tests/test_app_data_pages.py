"""AppTest: the Data, Saved scenarios, Compare and Approve pages, driven as a user would.

Every test gets its own empty store (``TEL_DATA_DIR`` in a temporary folder): nothing here
touches the user's saved scenarios.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from apptest_support import SAMPLE, charts, choose_quarter, metric, open_app, sample_scenario
from streamlit.testing.v1 import AppTest

from tel.core.models import Scenario
from tel.core.money import format_money
from tel.core.periods import Quarter
from tel.engine.quarter import QuarterResult, compute_quarter
from tel.io.store import Store
from tel.ui.state import Work

PAGES = ["pages/data.py", "pages/saved.py", "pages/compare.py", "pages/approve.py"]
Q3 = "2026-Q3"
BAD_ROSTER = (
    b"name,salary,start_date,end_date,employment\n"
    b"Ann Lee,12x,2020-01-01,,w2\n"
    b"Bob Roy,60000,01/02/2020,,boss\n"
    b"Cy Dao,50000,2019-05-01,,w2\n"
)


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()  # an explicit TEL_DATA_DIR must exist: it is never created
    monkeypatch.setenv("TEL_DATA_DIR", str(folder))
    return folder


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def go(at: AppTest, page: str) -> AppTest:
    return ok(at.switch_page(page).run())


def click(at: AppTest, label: str) -> AppTest:
    [button] = [b for b in at.button if b.label == label]
    return ok(button.click().run())


def work_of(at: AppTest) -> Work:
    return Work(at.session_state["tel.source"], at.session_state["tel.analysis.whatif"])


def exact(scenario: Scenario, quarter: str = Q3) -> QuarterResult:
    return compute_quarter(scenario.plan, scenario.roster, scenario.months,
                           Quarter.parse(quarter))


def upload(at: AppTest, kind: str, name: str, data: bytes) -> AppTest:
    [widget] = [f for f in at.file_uploader if str(f.key).startswith(f"data.upload.{kind}.")]
    widget.upload(name, data, "application/octet-stream")
    return ok(at.run())


def plain(markdown: str) -> str:
    """Markdown as read on screen: backslash escapes removed."""
    return re.sub(r"\\(.)", r"\1", markdown)


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "caption", "success", "error", "warning", "info")
             for e in getattr(at, kind)]
    return plain("\n".join(str(p) for p in parts))


def save(at: AppTest, name: str = "", note: str = "", into: str | None = None) -> AppTest:
    go(at, "pages/saved.py")
    if into is not None:
        at.selectbox(key="saved.target").set_value(into)
    else:
        at.text_input(key="saved.name").set_value(name)
    at.text_input(key="saved.note").set_value(note)
    return click(at, "Save")


def store(data_dir: Path) -> Store:
    return Store(data_dir)


# --------------------------------------------------------------------------- every page


@pytest.mark.parametrize("page", PAGES)
def test_every_data_page_renders_on_an_empty_store(page: str) -> None:
    at = open_app(page)
    assert at.title[0].value


@pytest.mark.parametrize("page", PAGES)
def test_every_data_page_renders_a_1000_person_roster_with_saved_versions(
    page: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEL_ROSTER", "sample_data/roster_1000.csv")
    at = open_app(query={"q": Q3})
    save(at, "Big")
    save(at, "Big again")
    go(at, page)
    assert at.title[0].value


# --------------------------------------------------------------------------- Data page


def test_good_uploads_replace_the_data_in_use() -> None:
    at = open_app("pages/data.py", query={"q": Q3})
    assert metric(at, "People") == "14"
    upload(at, "roster", "roster_1000.csv", (SAMPLE / "roster_1000.csv").read_bytes())
    assert "Use this data" in [b.label for b in at.button]
    assert metric(at, "People") == "14"  # not before it is applied
    click(at, "Use this data")
    assert metric(at, "People") == "1,000"
    assert len(work_of(at).source.scenario.roster) == 1000
    assert work_of(at).source.origin == "upload"
    assert "roster\\_1000\\.csv uploaded" in at.sidebar.caption[-1].value
    big = sample_scenario("roster_1000.csv")
    assert work_of(at).result == exact(big)
    go(at, "pages/payouts.py")
    assert metric(at, "Paid in all") == format_money(exact(big).paid)


def test_an_xlsx_roster_and_a_plan_are_applied_together() -> None:
    at = open_app("pages/data.py", query={"q": Q3})
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    sheet = book.add_worksheet()
    rows = csv.reader(io.StringIO((SAMPLE / "roster.csv").read_text(encoding="utf-8")))
    for r, cells in enumerate(rows):
        for c, cell in enumerate(cells):
            if r and c == 1:
                sheet.write_number(r, c, float(cell))  # salaries as numbers
            elif r and c == 2:
                sheet.write_datetime(r, c, datetime.fromisoformat(cell))  # real date cells
            else:
                sheet.write_string(r, c, cell)
    book.close()
    upload(at, "roster", "roster.xlsx", buf.getvalue())
    plan = (SAMPLE / "plan.toml").read_text().replace("house_pct = 25", "house_pct = 30")
    upload(at, "plan", "plan.toml", plan.encode())
    click(at, "Use this data")
    assert work_of(at).plan.house_pct == Decimal(30)
    go(at, "app.py")
    assert metric(at, "Staff pool") == "$11,284.00"  # 16,120 x 70%


def test_the_data_page_counts_eligible_people_under_the_working_plan() -> None:
    # min_months 6 in the what-if: 9 eligible in 2026-Q3 (8 under the file's 9 months)
    at = open_app("pages/plan.py", query={"q": Q3, "min_months": "6"})
    assert metric(at, "Eligible people") == "9"
    go(at, "pages/data.py")
    assert metric(at, f"Eligible in {Q3}") == "9"
    # an upload that keeps the plan is judged with the working plan too ...
    upload(at, "roster", "roster.csv", (SAMPLE / "roster.csv").read_bytes())
    assert [m.value for m in at.metric if m.label == f"Eligible in {Q3}"] == ["9", "9"]
    # ... and one with a plan, by the plan it brings (the sample's 9 months)
    upload(at, "plan", "plan.toml", (SAMPLE / "plan.toml").read_bytes())
    assert [m.value for m in at.metric if m.label == f"Eligible in {Q3}"] == ["9", "8"]


def test_a_bad_upload_lists_every_problem_with_row_and_column_and_keeps_the_last_good_data(
) -> None:
    at = open_app("pages/data.py", query={"q": Q3})
    before = work_of(at).source
    upload(at, "roster", "roster.csv", BAD_ROSTER)
    problems = at.dataframe[0].value
    found = {(str(f), int(r), c) for f, r, c in
             zip(problems["File"], problems["Row"], problems["Column"], strict=True)}
    assert found == {("roster.csv", 2, "salary"), ("roster.csv", 3, "start_date"),
                     ("roster.csv", 3, "employment")}
    assert "3 problem(s) to fix" in at.error[0].value
    assert "Use this data" not in [b.label for b in at.button]
    assert work_of(at).source is before
    assert metric(at, "People") == "14"
    go(at, "app.py")
    assert metric(at, "Staff pool") == "$12,090.00"  # the sample data still in use
    go(at, "pages/data.py")  # the upload waits, with its problems, after a page change
    assert "3 problem(s) to fix" in at.error[0].value


def test_fixing_cells_in_the_table_then_checking_again_makes_the_upload_usable() -> None:
    at = open_app("pages/data.py", query={"q": Q3})
    upload(at, "roster", "roster.csv", BAD_ROSTER)
    editor = at.dataframe[1].value
    assert list(editor["Row"]) == [2, 3]
    key = "data.fix.roster." + hashlib.sha256(BAD_ROSTER).hexdigest()[:16]
    at.session_state[key] = {
        "edited_rows": {0: {"salary": "$65,000"},
                        1: {"start_date": "2020-02-01", "employment": "W-2"}},
        "added_rows": [], "deleted_rows": [],
    }
    ok(at.run())
    click(at, "Check again")
    assert not at.error
    assert "fixed here" in texts(at)
    click(at, "Use this data")
    roster = work_of(at).source.scenario.roster
    assert [(p.name, p.salary) for p in roster] == [
        ("Ann Lee", Decimal("65000")), ("Bob Roy", Decimal("60000")),
        ("Cy Dao", Decimal("50000"))]


def test_a_row_can_be_left_out_instead_of_fixed() -> None:
    at = open_app("pages/data.py", query={"q": Q3})
    upload(at, "roster", "roster.csv", BAD_ROSTER)
    key = "data.fix.roster." + hashlib.sha256(BAD_ROSTER).hexdigest()[:16]
    at.session_state[key] = {"edited_rows": {0: {"Leave out": True}, 1: {"Leave out": True}},
                             "added_rows": [], "deleted_rows": []}
    ok(at.run())
    click(at, "Check again")
    click(at, "Use this data")
    assert [p.name for p in work_of(at).source.scenario.roster] == ["Cy Dao"]


def test_a_partly_fixed_upload_still_lists_what_is_left() -> None:
    at = open_app("pages/data.py", query={"q": Q3})
    upload(at, "roster", "roster.csv", BAD_ROSTER)
    key = "data.fix.roster." + hashlib.sha256(BAD_ROSTER).hexdigest()[:16]
    at.session_state[key] = {"edited_rows": {0: {"salary": "65000"}},
                             "added_rows": [], "deleted_rows": []}
    ok(at.run())
    click(at, "Check again")
    assert "2 problem(s) to fix" in at.error[0].value
    assert list(at.dataframe[1].value["Row"]) == [3]  # the fixed row is gone from the editor


def test_a_misspelt_header_is_fixed_in_the_header_row() -> None:
    at = open_app("pages/data.py", query={"q": Q3})
    bad = (SAMPLE / "months.csv").read_bytes().replace(b"cash_on_hand", b"cash", 1)
    upload(at, "months", "months.csv", bad)
    editor = at.dataframe[1].value
    assert list(editor["Row"]) == [1]
    key = "data.fix.months." + hashlib.sha256(bad).hexdigest()[:16]
    at.session_state[key] = {"edited_rows": {0: {"cash": "cash_on_hand"}},
                             "added_rows": [], "deleted_rows": []}
    ok(at.run())
    click(at, "Check again")
    click(at, "Use this data")
    assert work_of(at).source.scenario.months == sample_scenario().months


def test_a_bad_plan_names_the_line_and_a_binary_roster_is_refused_plainly() -> None:
    at = open_app("pages/data.py", query={"q": Q3})
    upload(at, "plan", "plan.toml", b"[split]\nhouse_pct = 120\n")
    upload(at, "roster", "roster.csv", b"\x00\x01\x02PK binary")
    problems = at.dataframe[0].value
    assert list(problems["Line"].dropna()) == [2]
    assert any("binary" in p for p in problems["Problem"])
    assert len(at.dataframe) == 1  # nothing to edit: no table of cells
    assert work_of(at).plan.house_pct == Decimal(25)


def test_windows_1252_and_a_bom_are_read_with_a_warning_not_an_error() -> None:
    at = open_app("pages/data.py", query={"q": Q3})
    text = (SAMPLE / "roster.csv").read_text(encoding="utf-8")
    upload(at, "roster", "roster.csv", text.encode("cp1252"))
    problems = at.dataframe[0].value
    assert list(problems["Severity"]) == ["warning"]
    click(at, "Use this data")
    assert "Renée Hébert" in [p.name for p in work_of(at).source.scenario.roster]
    upload(at, "roster", "roster.csv", b"\xef\xbb\xbf" + text.encode())
    assert "Use this data" in [b.label for b in at.button]


# --------------------------------------------------------------------------- Saved page


def test_save_then_reopen_gives_identical_results_to_the_cent(data_dir: Path) -> None:
    at = open_app(query={"q": Q3, "house_pct": "30", "gp_2026-09": "80000"})
    wanted = work_of(at).result
    save(at, "House 30", "what-if from the meeting")
    assert "Saved House 30 version 1" in plain(at.success[0].value)
    assert at.text_input(key="saved.name").value == ""  # emptied: a second click saves nothing
    at.sidebar.button[0].click().run()  # reset to the loaded files
    assert work_of(at).result != wanted
    [info] = store(data_dir).list_scenarios()
    at.selectbox(key="saved.pick").set_value(info.id)
    click(at, "Open as working data")
    assert "Now working on House 30 v1" in at.success[0].value
    assert work_of(at).result == wanted
    assert work_of(at).source.origin == "saved"
    go(at, "app.py")
    assert metric(at, "Staff pool") == format_money(wanted.staff_pool)


def test_every_save_is_a_new_version_and_any_version_reopens(data_dir: Path) -> None:
    at = open_app(query={"q": Q3})
    save(at, "Plan A", "as loaded")
    [info] = store(data_dir).list_scenarios()
    go(at, "pages/plan.py")
    at.slider(key="knob.house_pct").set_value(40.0).run()
    save(at, into=info.id, note="house 40")
    versions = store(data_dir).versions(info.id)
    assert [(v.number, v.note) for v in versions] == [(1, "as loaded"), (2, "house 40")]
    at.selectbox(key=f"saved.version.{info.id}").set_value(1)
    click(at, "Open as working data")
    assert work_of(at).result == exact(sample_scenario())


def test_a_nameless_save_is_refused_in_plain_words(data_dir: Path) -> None:
    at = open_app(query={"q": Q3})
    save(at, "   ")
    assert "Not saved: a scenario needs a name" in at.error[0].value
    assert store(data_dir).list_scenarios() == []


def test_a_name_another_saved_scenario_uses_is_refused_in_plain_words(data_dir: Path) -> None:
    at = open_app(query={"q": Q3})
    save(at, "FY26 plan")
    save(at, "  fy26 PLAN ")
    assert ("Not saved: another saved scenario is already called “FY26 plan”; choose another "
            "name." in plain(at.error[0].value))
    assert [s.name for s in store(data_dir).list_scenarios()] == ["FY26 plan"]
    assert at.text_input(key="saved.name").value == "  fy26 PLAN "  # kept, to be corrected
    # a deleted scenario's name is free again; restoring it then says what it is called now
    [info] = store(data_dir).list_scenarios()
    at.checkbox(key=f"saved.sure.{info.id}").check().run()
    click(at, "Delete")
    save(at, "FY26 plan")
    ok(at.button(key=f"saved.restore.{info.id}").click().run())
    assert "Restored FY26 plan as FY26 plan (2)" in plain(at.success[0].value)


def test_delete_asks_for_confirmation_then_restore_brings_every_version_back(
    data_dir: Path,
) -> None:
    at = open_app(query={"q": Q3})
    save(at, "Keep me", "v1")
    [info] = store(data_dir).list_scenarios()
    save(at, into=info.id, note="v2")
    [delete] = [b for b in at.button if b.label == "Delete"]
    assert delete.disabled
    at.checkbox(key=f"saved.sure.{info.id}").check().run()
    click(at, "Delete")
    assert store(data_dir).list_scenarios() == []
    assert "Nothing saved yet." in texts(at)
    ok(at.button(key=f"saved.restore.{info.id}").click().run())
    [back] = store(data_dir).list_scenarios()
    assert (back.id, back.version_count) == (info.id, 2)


def test_export_then_import_makes_a_copy_and_a_bad_file_is_refused_plainly(
    data_dir: Path,
) -> None:
    at = open_app(query={"q": Q3})
    save(at, "Original", "first")
    assert [d.label for d in at.get("download_button")] == ["Download all versions (JSON)"]
    [info] = store(data_dir).list_scenarios()
    exported = store(data_dir).export_json(info.id)
    at.file_uploader(key="saved.import").upload("x.json", exported.encode(), "application/json")
    ok(at.run())
    click(at, "Import")
    assert "Imported Original (2): 1 version(s)." in plain(at.success[0].value)
    assert "the name “Original” is taken" in plain(at.success[0].value)
    copies = store(data_dir).list_scenarios()
    assert len(copies) == 2
    first, second = (store(data_dir).load(s.id) for s in copies)
    assert first == second
    doc = json.loads(exported)
    doc["versions"][0]["scenario"]["plan"]["house_pct"] = "140"
    at.file_uploader(key="saved.import").set_value(
        ("y.json", json.dumps(doc).encode(), "application/json"))
    ok(at.run())
    click(at, "Import")
    assert "The file was not imported" in at.error[0].value
    assert "version 1, plan, house_pct: must be less than or equal to 100 (got '140')" in plain(
        at.error[0].value)
    at.file_uploader(key="saved.import").set_value(("z.json", b"\xff\x00", "application/json"))
    ok(at.run())
    click(at, "Import")
    assert "the file is not UTF-8 text" in plain(at.error[0].value)
    assert len(store(data_dir).list_scenarios()) == 2


# --------------------------------------------------------------------------- Compare page


def test_compare_shows_the_right_differences_between_two_versions(data_dir: Path) -> None:
    at = open_app(query={"q": Q3})
    save(at, "Base")
    go(at, "pages/plan.py")
    at.slider(key="knob.house_pct").set_value(30.0).run()
    save(at, "House 30")
    go(at, "pages/compare.py")
    assert len(at.multiselect(key="compare.pick").value) == 2  # the two newest, older first
    summary = at.dataframe[0].value
    a, b = summary.columns
    assert a.startswith("A: Base") and b.startswith("B: House 30")
    assert summary.loc["Staff pool", a] == "$12,090.00"
    assert summary.loc["Staff pool", b] == "$11,284.00 (-$806.00)"
    assert summary.loc["Eligible people", b] == summary.loc["Eligible people", a]
    base = exact(sample_scenario())
    s30 = sample_scenario()
    more = exact(s30.model_copy(update={"plan": s30.plan.model_copy(
        update={"house_pct": Decimal(30)})}))
    people = at.dataframe[1].value
    want = {p.name: (p.total, q.total) for p, q in zip(base.payouts, more.payouts, strict=True)
            if p.total != q.total}
    assert set(people["name"]) == set(want)
    for _, row in people.iterrows():
        before, after = want[row["name"]]
        assert (row[a], row[b], row["change_B"]) == (before, after, after - before)
    assert charts(at)


def test_compare_shows_every_later_column_against_the_first_in_tables_and_chart(
        data_dir: Path) -> None:
    at = open_app(query={"q": Q3})
    save(at, "Base")
    go(at, "pages/plan.py")
    at.slider(key="knob.house_pct").set_value(30.0).run()
    save(at, "House 30")
    go(at, "pages/plan.py")
    at.slider(key="knob.house_pct").set_value(20.0).run()
    save(at, "House 20")
    go(at, "pages/compare.py")
    picker = at.multiselect(key="compare.pick")
    by_name = {o.split(" · ")[0]: o for o in picker.options}
    picker.set_value([by_name["Base"], by_name["House 30"], by_name["House 20"]])
    ok(at.run())
    summary = at.dataframe[0].value
    a, b, c = summary.columns
    assert summary.loc["Staff pool", b] == "$11,284.00 (-$806.00)"
    assert summary.loc["Staff pool", c] == "$12,896.00 (+$806.00)"  # against A, not B
    people = at.dataframe[1].value
    assert {"change_B", "change_C"} <= set(people.columns)
    for _, row in people.iterrows():
        assert row["change_B"] == row[b] - row[a] and row["change_C"] == row[c] - row[a]
    [chart] = charts(at)
    spec = json.loads(chart)
    assert [t["xaxis"] for t in spec["data"]] == ["x", "x2"]  # one panel per later column
    titles = [n["text"] for n in spec["layout"]["annotations"]]
    assert any(t.startswith("B (House 30") for t in titles)
    assert any(t.startswith("C (House 20") for t in titles)


def test_compare_takes_the_current_what_if_and_up_to_four(data_dir: Path) -> None:
    at = open_app(query={"q": Q3, "team_pct": "80"})
    for n in range(4):
        save(at, f"S{n}")
    go(at, "pages/compare.py")
    picker = at.multiselect(key="compare.pick")
    versions = [o for o in picker.options if not o.startswith("the current")]
    picker.set_value([versions[0], "whatif", versions[1]])
    ok(at.run())
    summary = at.dataframe[0].value
    assert list(summary.columns)[1] == "B: the current what-if (unsaved)"
    assert not summary.map(lambda t: "(" in t).any().any()  # all the same: no differences
    assert "Nobody's check differs" in texts(at)


# --------------------------------------------------------------------------- Approve page


def approve_saved(at: AppTest, by: str = "Claire Landry", note: str = "Q3 review") -> AppTest:
    go(at, "pages/approve.py")
    at.text_input(key="approve.by").set_value(by)
    at.text_input(key="approve.note").set_value(note)
    return click(at, f"Approve {Q3}")


def test_approve_freezes_a_snapshot_whose_totals_equal_the_pools(data_dir: Path) -> None:
    at = open_app(query={"q": Q3})
    save(at, "Sample")
    approve_saved(at)
    assert "Approved 2026-Q3 as approval #1" in at.success[0].value
    [snap] = store(data_dir).snapshots()
    want = exact(sample_scenario())
    assert (snap.staff_pool, snap.paid) == (want.staff_pool, want.paid) == (1209000, 1209000)
    assert snap.result() == want
    assert snap.verify() == []
    assert (snap.approved_by, snap.note) == ("Claire Landry", "Q3 review")
    assert any("verified" in s.value for s in at.success)
    table = at.dataframe[-1].value
    assert list(table["Paid"]) == ["$12,090.00"]
    assert list(table["Status"]) == ["in force"]
    labels = [d.label for d in at.get("download_button")]
    assert labels == 2 * ["Payroll CSV (name, amount)", "Gusto bonus CSV", "Workbook (XLSX)",
                          "Statements, one PDF each (zip)", "Plan document (Markdown)",
                          "Plan document (PDF)"]


def test_a_what_if_after_approval_leaves_the_snapshot_unchanged(data_dir: Path) -> None:
    at = open_app(query={"q": Q3})
    save(at, "Sample")
    approve_saved(at)
    [before] = store(data_dir).snapshots()
    go(at, "pages/plan.py")
    at.slider(key="knob.house_pct").set_value(60.0).run()
    go(at, "pages/scenarios.py")
    at.session_state["gp.table"] = {"edited_rows": {2: {"scenario_gp": 99999.0}},
                                    "added_rows": [], "deleted_rows": []}
    ok(at.run())
    assert work_of(at).result.staff_pool != before.staff_pool
    go(at, "pages/approve.py")
    [after] = store(data_dir).snapshots()
    assert after == before
    assert after.verify() == []
    assert list(at.dataframe[-1].value["Paid"]) == ["$12,090.00"]
    assert any("approval #1 verified" in s.value.lower() for s in at.success)


def test_save_the_current_what_if_and_approve_it_in_one_step(data_dir: Path) -> None:
    at = open_app("pages/approve.py", query={"q": Q3, "team_pct": "70"})
    assert at.radio(key="approve.mode").value == "whatif"  # nothing saved yet
    at.text_input(key="approve.by").set_value("Marc")
    click(at, f"Approve {Q3}")
    [info] = store(data_dir).list_scenarios()
    assert info.name == "Approved 2026-Q3"
    [snap] = store(data_dir).snapshots()
    assert snap.version_id == info.latest_version_id
    assert snap.result() == work_of(at).result
    assert snap.result().team_pool == 846300  # 12,090 x 70%


def test_approving_again_supersedes_and_keeps_the_first_approval(data_dir: Path) -> None:
    at = open_app(query={"q": Q3})
    save(at, "Sample")
    approve_saved(at)
    go(at, "pages/plan.py")
    at.slider(key="knob.house_pct").set_value(30.0).run()
    go(at, "pages/approve.py")
    assert at.radio(key="approve.mode").value == "saved"
    at.radio(key="approve.mode").set_value("whatif").run()
    assert any("already approved" in w.value for w in at.warning)
    at.text_input(key="approve.by").set_value("Claire")
    click(at, f"Approve {Q3}")
    first, second = store(data_dir).snapshots()
    assert (first.superseded_by, second.supersedes, second.current) == (2, 1, True)
    assert first.paid == 1209000 and second.paid == 1128400
    assert list(at.dataframe[-1].value["Status"]) == ["in force", "superseded by #2"]


def test_after_approving_again_the_exports_offer_the_approval_in_force(data_dir: Path) -> None:
    at = open_app(query={"q": Q3})
    save(at, "Sample")
    approve_saved(at)
    assert at.selectbox(key="approve.pick").value == 1
    at.text_input(key="approve.note").set_value("again")
    click(at, f"Approve {Q3}")  # on the same page: supersedes #1
    assert at.selectbox(key="approve.pick").value == 2
    assert any("Files from approval #2" in m.value for m in at.markdown)
    assert not any("was superseded" in w.value for w in at.warning)


def test_approval_needs_a_name_and_a_booked_quarter(data_dir: Path) -> None:
    at = open_app(query={"q": Q3})
    save(at, "Sample")
    go(at, "pages/approve.py")
    ok(at.button(key="approve.go").click().run())
    assert "Not approved: say who approves" in plain(at.error[0].value)
    assert store(data_dir).snapshots() == []
    s = sample_scenario()
    late = s.model_copy(update={"months": s.months[-1:]})  # only 2026-10 is booked
    store(data_dir).create("October only", late)
    choose_quarter(at, Q3)
    at.selectbox(key="approve.version").set_value(store(data_dir).list_scenarios()[0]
                                                  .latest_version_id)
    ok(at.run())
    assert "2026-Q3 is not booked in this version" in plain(at.error[0].value)
    assert "approve.go" not in [b.key for b in at.button]  # nothing to approve


def test_deleting_a_scenario_that_is_being_compared_or_approved_breaks_nothing(
    data_dir: Path,
) -> None:
    at = open_app(query={"q": Q3})
    save(at, "One")
    save(at, "Two")
    save(at, "Three")
    go(at, "pages/compare.py")
    go(at, "pages/approve.py")
    picked = at.selectbox(key="approve.version").value
    doomed = store(data_dir).version(picked).scenario_id
    store(data_dir).delete(doomed)
    go(at, "pages/compare.py")
    assert len(at.multiselect(key="compare.pick").value) >= 1
    go(at, "pages/approve.py")
    assert at.selectbox(key="approve.version").value != picked


def test_a_file_over_the_size_limit_is_refused_before_it_is_read() -> None:
    at = open_app("pages/data.py", query={"q": Q3})
    upload(at, "months", "months.csv", b"month,gp\n" + b"2026-07,1\n" * 2_200_000)  # ~22 MB
    problems = at.dataframe[0].value
    assert len(problems) == 1 and "over the 20 MB limit" in problems["Problem"][0]
    assert len(at.dataframe) == 1  # nothing to edit
    assert metric(at, "Months booked") == "28"


def test_a_scores_file_sets_performance_for_its_quarter_only() -> None:
    at = open_app("pages/data.py", query={"q": Q3})
    sample = sample_scenario()
    who = next(p for p in exact(sample).payouts if p.eligible).name
    upload(at, "scores", "scores.csv",
           f"name,quarter,performance\n{who},{Q3},2.5\n".encode())
    click(at, "Use this data")
    scenario = work_of(at).source.scenario
    assert scenario.score_map == {(who, Q3): Decimal("2.5")}
    mine = next(p for p in work_of(at).result.payouts if p.name == who)
    assert mine.performance == Decimal("2.5")
    assert mine.merit > next(p for p in exact(sample).payouts if p.name == who).merit
    earlier = compute_quarter(scenario.plan, scenario.roster, scenario.months,
                              Quarter.parse("2026-Q2"), scenario.score_map)
    assert earlier == exact(sample, "2026-Q2")


def test_a_scores_file_lists_a_stranger_an_unbooked_quarter_and_a_bad_cell_at_once() -> None:
    at = open_app("pages/data.py", query={"q": Q3})
    before = work_of(at).source
    upload(at, "scores", "scores.csv",
           b"name,quarter,performance\nNobody Here,2026-Q3,1.1\n"
           + f"{sample_scenario().roster[2].name},2031-Q1,1.1\n".encode()
           + f"{sample_scenario().roster[3].name},2026-Q9,x\n".encode())
    problems = at.dataframe[0].value
    found = {(str(f), int(r), c) for f, r, c in
             zip(problems["File"], problems["Row"], problems["Column"], strict=True)}
    assert found == {("scores.csv", 2, "name"), ("scores.csv", 3, "quarter"),
                     ("scores.csv", 4, "quarter"), ("scores.csv", 4, "performance")}
    assert "Use this data" not in [b.label for b in at.button]
    assert work_of(at).source is before


# --------------------------------------------------------------------------- HR and payroll

HR = Path(__file__).parent / "fixtures" / "hr"


def hr_upload(at: AppTest, name: str) -> AppTest:
    [widget] = [f for f in at.file_uploader if str(f.key).startswith("data.hr.upload.")]
    widget.upload(name, (HR / name).read_bytes(), "text/csv")
    return ok(at.run())


def field(at: AppTest, label: str) -> Any:
    [box] = [s for s in at.selectbox if s.label == label and str(s.key).startswith("data.hr.")]
    return box


def test_an_hr_export_is_mapped_corrected_and_used_as_the_roster() -> None:
    at = open_app("pages/data.py", query={"q": Q3})
    before = work_of(at).source
    hr_upload(at, "bamboohr_employees.csv")
    assert "reads as an export from **BambooHR**: header on row 2" in texts(at)
    assert field(at, "Employee id").value == "Employee #"
    assert field(at, "Pay rate per").value == "Pay Per"
    preview = at.dataframe[-1].value
    assert list(preview["Name"])[:2] == ["Ingrid Halvorsen", "Kenji Nakamura-Reyes"]
    assert list(preview["Salary"])[:2] == ["58000.00", "22776.00"]
    # the user prefers the combined "Last, First" column for names
    field(at, "First name").set_value("— not in this file —")
    field(at, "Last name").set_value("— not in this file —")
    field(at, "Full name").set_value("Last name, First name")
    ok(at.run())
    assert at.dataframe[-1].value["Name"].iloc[0] == "Halvorsen, Ingrid"
    [owners] = [m for m in at.multiselect if m.label == "Owners"]
    owners.set_value(["Halvorsen, Ingrid"])
    ok(at.run())
    assert work_of(at).source is before  # nothing changes before it is used
    click(at, "Use as the roster upload")
    assert "Waiting to be used: bamboohr_employees-roster.csv" in texts(at)
    click(at, "Use this data")
    roster = work_of(at).source.scenario.roster
    assert [(p.name, p.employee_id, p.owner) for p in roster] == [
        ("Halvorsen, Ingrid", "104", True), ("Nakamura-Reyes, Kenji", "117", False),
        ("Adebayo, Funmilayo", "121", False), ("Brennan, Siobhán", "130", False),
        ("Okonkwo, Chidi", "138", False)]
    assert roster[1].salary == Decimal("22776.00") and not roster[1].full_time
    assert metric(at, "People") == "5"


def test_an_hr_export_without_a_name_column_cannot_be_used() -> None:
    at = open_app("pages/data.py", query={"q": Q3})
    hr_upload(at, "missing_name.csv")
    problems = at.dataframe[0].value
    assert list(problems["Problem"]) == ["has no name column chosen; expected the first and "
                                         "last name columns, or a full-name column"]
    assert (str(problems["File"][0]), int(problems["Row"][0])) == ("missing_name.csv", 1)
    [use] = [b for b in at.button if b.label == "Use as the roster upload"]
    assert use.disabled
    # choosing a column by hand is not possible here (there is none), but the rest is proposed
    assert field(at, "Employee id").value == "File Number"


def test_hr_rows_with_problems_go_to_the_usual_check_and_fix_path() -> None:
    at = open_app("pages/data.py", query={"q": Q3})
    before = work_of(at).source
    hr_upload(at, "bad_cells.csv")
    hr_problems = next(d.value for d in at.dataframe if "Problem" in d.value)
    assert [(int(r), c) for r, c in zip(hr_problems["Row"], hr_problems["Column"],
                                        strict=True)] == [(2, "Pay Rate"), (3, "Hire Date")]
    click(at, "Use as the roster upload")
    # the roster upload is checked like any other: two problems, by roster row and column
    assert "2 problem(s) to fix before this upload can be used" in texts(at)
    assert "Use this data" not in [b.label for b in at.button]
    assert work_of(at).source is before
    assert any(sub.value == "Fix bad\\_cells\\-roster\\.csv" for sub in at.subheader)


def roster_with_ids() -> bytes:
    lines = (SAMPLE / "roster.csv").read_text(encoding="utf-8").splitlines()
    out = [lines[0] + ",employee_id"]
    out += [f"{line},{1000 + i:06d}" for i, line in enumerate(lines[1:])]
    return ("\n".join(out) + "\n").encode()


def test_the_approve_page_fills_a_gusto_template_and_writes_an_adp_file(data_dir: Path) -> None:
    at = open_app("pages/data.py", query={"q": Q3})
    upload(at, "roster", "roster.csv", roster_with_ids())
    click(at, "Use this data")
    save(at, "With ids")
    approve_saved(at)
    [snap] = store(data_dir).snapshots()
    paid = [p for p in snap.result().payouts if p.total > 0]
    # Gusto: the company's template lists the people by name (no ids), "Last, First" or not
    rows = ["last_name,first_name,title,gusto_employee_id,regular_hours,bonus,personal_note"]
    for p in snap.scenario().roster:
        first, last = (p.name.split(", ")[::-1] if ", " in p.name
                       else p.name.rsplit(" ", 1))
        rows.append(f"{last},{first},,,,,")
    [gusto] = [f for f in at.file_uploader if f.key == "approve.gusto.template"]
    gusto.upload("gusto_template.csv", ("\r\n".join(rows) + "\r\n").encode(), "text/csv")
    ok(at.run())
    assert f"The file pays all {len(paid)} checks: $12,090.00" in texts(at)
    # ADP: settings checked, then the file
    at.text_input(key="approve.adp.company").set_value("A")
    at.text_input(key="approve.adp.code").set_value("B")
    ok(at.run())
    assert "Company code 'A' is not 2 or 3 letters or digits" in texts(at)
    at.text_input(key="approve.adp.company").set_value("3XY")
    ok(at.run())
    assert at.text_input(key="approve.adp.batch").value == "TEL26Q3"
    assert texts(at).count(f"The file pays all {len(paid)} checks: $12,090.00") == 2
    labels = [d.label for d in at.get("download_button")]
    assert "Gusto payroll upload (your template, filled in)" in labels
    assert "ADP paydata file (EPI)" in labels


def test_people_missing_from_the_gusto_template_are_listed_on_the_approve_page(
    data_dir: Path,
) -> None:
    at = open_app(query={"q": Q3})
    save(at, "Sample")
    approve_saved(at)
    [gusto] = [f for f in at.file_uploader if f.key == "approve.gusto.template"]
    gusto.upload("gusto_template.csv", b"last_name,first_name,bonus\r\nGuidry,Tanya,\r\n",
                 "text/csv")
    ok(at.run())
    assert "The file pays $3,024.23 of the $12,090.00 approved" in texts(at)
    missing = next(d.value for d in at.dataframe if "Not in the file" in d.value)
    assert "Renée Hébert" in list(missing["Not in the file"])
    assert "Tanya Guidry" not in list(missing["Not in the file"])
