"""Saved scenarios and approvals: nothing a user saved is ever lost or silently changed."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tel.core.models import Employment, Month, Person, Plan, Scenario
from tel.core.money import to_cents
from tel.core.periods import Quarter
from tel.core.policy import GateFailure, Reserve
from tel.engine.quarter import LEDGER_KEYS, QuarterResult, compute_quarter
from tel.io.store import (
    DB_FILENAME,
    EXPORT_FORMAT,
    SCHEMA_VERSION,
    ImportRefused,
    NameTaken,
    NotFound,
    Store,
    StoreError,
    default_data_dir,
    sha256_text,
)
from tel.rules.pools import split_profit

Q3 = Quarter(2026, 3)


def make_scenario(gp_shift: int = 0, plan: Plan | None = None) -> Scenario:
    """The spec's worked-example quarter with a small, awkward roster (cents, performance
    with four decimals, accents, every kind of ineligible person)."""
    months = tuple(
        Month(
            year=2026,
            month=m,
            gp=Decimal(g + gp_shift),
            cash_on_hand=Decimal("52000"),
            ar_total=Decimal("320000"),
            ar_90_plus=Decimal("24000"),
        )
        for m, g in ((7, 69343), (8, 59343), (9, 73434))
    )
    roster = (
        Person(
            name="Marc Owner", salary=Decimal("120000"), start_date=date(2014, 3, 3), owner=True
        ),
        Person(
            name="Renée Hébert",
            salary=Decimal("68000.55"),
            start_date=date(2016, 4, 11),
            performance=Decimal("1.2345"),
            department="Service Desk",
        ),
        Person(name="Broussard, Luc", salary=Decimal("58000"), start_date=date(2019, 8, 19)),
        Person(name="Kim Nguyen", salary=Decimal("78000"), start_date=date(2021, 6, 14)),
        Person(
            name="Cody Contractor",
            salary=Decimal("41000"),
            start_date=date(2020, 1, 1),
            employment=Employment.CONTRACTOR,
        ),
        Person(name="New Hire", salary=Decimal("50000"), start_date=date(2026, 2, 1)),
        Person(
            name="Pat Leaver",
            salary=Decimal("74000"),
            start_date=date(2017, 11, 6),
            end_date=date(2026, 10, 30),
        ),
    )
    return Scenario(plan=plan or Plan(), months=months, roster=roster)


def pay(s: Scenario, q: Quarter = Q3) -> QuarterResult:
    return compute_quarter(s.plan, s.roster, s.months, q)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path) as st:
        yield st


# --------------------------------------------------------------------------- save and load


def test_saved_version_loads_back_identical_and_pays_the_same_to_the_cent(store: Store) -> None:
    s = make_scenario()
    v = store.create("Base", s, note="first try")
    again = store.load(v.scenario_id)
    assert again == s
    assert again.model_dump_json() == s.model_dump_json()  # Decimals exact, as strings
    assert store.load_version(v.id) == s
    assert pay(again) == pay(s)


def test_every_save_is_a_new_version_numbered_in_order(store: Store) -> None:
    v1 = store.create("Base", make_scenario(), "one")
    v2 = store.save(v1.scenario_id, make_scenario(gp_shift=1000), "two")
    v3 = store.save(v1.scenario_id, make_scenario(), "three, same content as one")
    assert [v.number for v in store.versions(v1.scenario_id)] == [1, 2, 3]
    assert v3.sha256 == v1.sha256 != v2.sha256
    assert store.load(v1.scenario_id, 1) == make_scenario()
    assert store.load(v1.scenario_id, 2) == make_scenario(gp_shift=1000)
    info = store.get(v1.scenario_id)
    assert (info.version_count, info.latest_number, info.latest_version_id) == (3, 3, v3.id)


def test_a_saved_version_is_never_overwritten_update_and_delete_raise(store: Store) -> None:
    v = store.create("Base", make_scenario())
    store.approve(v.id, Q3, "ok", "Owner")
    raw = sqlite3.connect(store.path)
    statements = [
        "UPDATE versions SET content = '{}'",
        "UPDATE versions SET note = 'changed'",
        "DELETE FROM versions",
        "UPDATE snapshots SET paid = 0",
        "DELETE FROM snapshots",
        "DELETE FROM events",
        "UPDATE events SET kind = 'restored'",
        "DELETE FROM scenarios",
        "UPDATE scenarios SET id = 'other'",
    ]
    for sql in statements:
        with pytest.raises(sqlite3.IntegrityError, match=r"not allowed|never|keeps"):
            raw.execute(sql)
    raw.close()
    assert store.load_version(v.id) == make_scenario()
    assert store.snapshots()[0].verify() == []


def test_a_damaged_version_is_reported_in_plain_words_not_loaded(store: Store) -> None:
    v = store.create("Base", make_scenario())
    raw = sqlite3.connect(store.path)  # someone bypasses the triggers by hand
    raw.execute("DROP TRIGGER versions_no_update")
    raw.execute("UPDATE versions SET content = replace(content, '69343', '99999')")
    raw.commit()
    raw.close()
    with pytest.raises(StoreError, match="damaged"):
        store.load(v.scenario_id)


def test_rename_keeps_the_old_name_in_history(store: Store) -> None:
    v = store.create("  Base   plan ", make_scenario())
    store.rename(v.scenario_id, "Base 2026")
    assert store.get(v.scenario_id).name == "Base 2026"
    assert [e.kind for e in store.history(v.scenario_id)] == ["created", "renamed"]
    assert store.history(v.scenario_id)[1].detail == "Base plan -> Base 2026"
    with pytest.raises(StoreError, match="needs a name"):
        store.rename(v.scenario_id, "   ")


def test_two_live_scenarios_never_share_a_name(store: Store) -> None:
    store.create("FY26 plan", make_scenario())
    for same in ("FY26 plan", "  fy26   PLAN ", "Fy26 Plan"):
        with pytest.raises(NameTaken, match="already called “FY26 plan”"):
            store.create(same, make_scenario())
    assert [s.name for s in store.list_scenarios()] == ["FY26 plan"]


def test_names_are_compared_after_unicode_nfc_and_case_folding(store: Store) -> None:
    store.create("Équipe café", make_scenario())  # composed É and é
    decomposed = "E\u0301quipe cafe\u0301"
    with pytest.raises(NameTaken):
        store.create(decomposed, make_scenario())
    with pytest.raises(NameTaken):
        store.create("ÉQUIPE CAFÉ", make_scenario())
    store.create("Equipe cafe", make_scenario())  # no accents: another name


def test_renaming_to_a_name_another_live_scenario_uses_is_refused(store: Store) -> None:
    store.create("Base", make_scenario())
    other = store.create("Other", make_scenario())
    with pytest.raises(NameTaken, match="already called “Base”"):
        store.rename(other.scenario_id, " base ")
    assert store.get(other.scenario_id).name == "Other"
    store.rename(other.scenario_id, "OTHER")  # its own name in another case is fine
    assert store.get(other.scenario_id).name == "OTHER"


def test_a_deleted_scenarios_name_may_be_used_again(store: Store) -> None:
    old = store.create("Base", make_scenario())
    store.delete(old.scenario_id)
    new = store.create("base", make_scenario())
    assert store.get(new.scenario_id).name == "base"
    # restoring the old one while its name is taken gives it the next free name
    store.restore(old.scenario_id)
    assert store.get(old.scenario_id).name == "Base (2)"
    assert [e.kind for e in store.history(old.scenario_id)][-2:] == ["restored", "renamed"]
    assert len({s.name.casefold() for s in store.list_scenarios()}) == 2


def test_an_import_whose_name_is_taken_gets_the_next_free_number(store: Store) -> None:
    v = store.create("Base", make_scenario())
    text = store.export_json(v.scenario_id)
    second = store.import_json(text)
    third = store.import_json(text)
    assert (second.name, third.name) == ("Base (2)", "Base (3)")
    assert any("“Base” is taken" in w for w in second.warnings)
    again = store.import_json(store.export_json(second.scenario_id))
    assert again.name == "Base (4)"  # "Base (2)" is taken: numbered on, not "Base (2) (2)"
    named = store.import_json(text, name="base")
    assert named.name == "base (5)"
    long = store.import_json(text, name="x" * 200)
    assert store.import_json(text, name="x" * 200).name == "x" * 196 + " (2)"
    assert long.name == "x" * 200
    assert len({s.name.casefold() for s in store.list_scenarios()}) == 7


# --------------------------------------------------------------------------- delete and restore


def test_deleted_scenario_is_hidden_then_restored_with_all_its_versions(store: Store) -> None:
    keep = store.create("Keep", make_scenario())
    gone = store.create("Gone", make_scenario())
    store.save(gone.scenario_id, make_scenario(gp_shift=5), "second")
    store.delete(gone.scenario_id, "tidy up")
    assert [s.name for s in store.list_scenarios()] == ["Keep"]
    listed = {s.name: s.deleted for s in store.list_scenarios(include_deleted=True)}
    assert listed == {"Keep": False, "Gone": True}
    assert store.load(gone.scenario_id, 2) == make_scenario(gp_shift=5)  # still readable
    with pytest.raises(StoreError, match="restore it"):
        store.save(gone.scenario_id, make_scenario())
    store.restore(gone.scenario_id)
    assert {s.name for s in store.list_scenarios()} == {"Keep", "Gone"}
    assert len(store.versions(gone.scenario_id)) == 2
    kinds = [e.kind for e in store.history(gone.scenario_id)]
    assert kinds == ["created", "deleted", "restored"]
    assert store.get(keep.scenario_id).deleted is False


def test_unknown_ids_raise_not_found(store: Store) -> None:
    with pytest.raises(NotFound):
        store.load("nope")
    with pytest.raises(NotFound):
        store.load_version(999)
    with pytest.raises(NotFound):
        store.snapshot(999)


# --------------------------------------------------------------------------- two processes

SAVES_PER_PROCESS = 100
REPO = Path(__file__).resolve().parents[1]

# Each writer is a fresh interpreter (not multiprocessing's spawn, which re-runs whatever
# __main__ is, e.g. app.py after an AppTest). Both connect, say they are ready, and start
# saving only when the test says go, so their saves really interleave.
WRITER = """
import pathlib, sys, time
from tel.core.models import Scenario
from tel.io.store import Store
folder, sid, tag, count, source = sys.argv[1:6]
scenario = Scenario.model_validate_json(pathlib.Path(source).read_text())
with Store(folder) as st:
    pathlib.Path(folder, "ready-" + tag).touch()
    deadline = time.monotonic() + 60
    while not pathlib.Path(folder, "go").exists() and time.monotonic() < deadline:
        time.sleep(0.001)
    for i in range(int(count)):
        st.save(sid, scenario, note=f"{tag}-{i}")
        time.sleep(0.0005 * (i % 3))  # like people: not always straight back at the lock
"""


def test_two_processes_saving_at_the_same_moment_lose_nothing(tmp_path: Path) -> None:
    with Store(tmp_path) as st:
        first = st.create("Shared", make_scenario(), "start")
    source = tmp_path / "scenario.json"
    source.write_text(make_scenario(gp_shift=3).model_dump_json())
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(tmp_path), first.scenario_id, tag,
             str(SAVES_PER_PROCESS), str(source)],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("a", "b")
    ]  # fmt: skip
    deadline = time.monotonic() + 60
    while not all((tmp_path / f"ready-{t}").exists() for t in "ab"):
        assert time.monotonic() < deadline, "the writers did not start"
        time.sleep(0.005)
    (tmp_path / "go").touch()
    for w in writers:
        _, err = w.communicate(timeout=120)
        assert w.returncode == 0, err
    with Store(tmp_path) as st:
        versions = st.versions(first.scenario_id)
    numbers = [v.number for v in versions]
    assert numbers == list(range(1, 2 * SAVES_PER_PROCESS + 2))  # unique and gapless
    notes = {v.note for v in versions}
    expected = {f"{t}-{i}" for t in "ab" for i in range(SAVES_PER_PROCESS)} | {"start"}
    assert notes == expected


# --------------------------------------------------------------------------- JSON files


def test_json_export_import_round_trip_makes_a_new_scenario_and_overwrites_nothing(
    store: Store,
) -> None:
    v1 = store.create("Base", make_scenario(), "one")
    store.save(v1.scenario_id, make_scenario(gp_shift=7), "two")
    text = store.export_json(v1.scenario_id)
    doc = json.loads(text)
    assert doc["format"] == EXPORT_FORMAT and len(doc["versions"]) == 2
    assert doc["versions"][0]["scenario"]["roster"][1]["salary"] == "68000.55"

    made = store.import_json(text)
    assert made.scenario_id != v1.scenario_id and made.name == "Base (2)"  # "Base" is taken
    assert [v.note for v in made.versions] == ["one", "two"]
    assert store.load(made.scenario_id, 1) == make_scenario()
    assert store.load(made.scenario_id, 2) == make_scenario(gp_shift=7)
    assert pay(store.load(made.scenario_id, 2)) == pay(make_scenario(gp_shift=7))
    assert len(store.versions(v1.scenario_id)) == 2  # the original is untouched

    again = store.import_json(text.encode("utf-8"), into=v1.scenario_id)
    assert [v.number for v in again.versions] == [3, 4]
    assert [v.number for v in store.versions(v1.scenario_id)] == [1, 2, 3, 4]
    assert store.load(v1.scenario_id, 1) == make_scenario()


def test_exporting_one_version_exports_only_that_version(store: Store) -> None:
    v1 = store.create("Base", make_scenario(), "one")
    store.save(v1.scenario_id, make_scenario(gp_shift=7), "two")
    doc = json.loads(store.export_json(v1.scenario_id, number=2))
    assert [v["note"] for v in doc["versions"]] == ["two"]
    made = store.import_json(json.dumps(doc), name="Copy of two")
    assert made.name == "Copy of two"
    assert store.load(made.scenario_id) == make_scenario(gp_shift=7)


def test_an_edited_export_imports_with_a_warning(store: Store) -> None:
    v1 = store.create("Base", make_scenario())
    text = store.export_json(v1.scenario_id).replace('"69343"', '"69344"')
    made = store.import_json(text)
    assert made.warnings and "edited" in made.warnings[0]
    assert store.load(made.scenario_id).months[0].gp == Decimal("69344")


def _export(store: Store) -> dict[str, object]:
    v = store.create("Base", make_scenario())
    return json.loads(store.export_json(v.scenario_id))  # type: ignore[no-any-return]


def _bad(doc: dict[str, object], path: tuple[object, ...], value: object) -> str:
    node: object = doc
    for key in path[:-1]:
        node = node[key]  # type: ignore[index]
    node[path[-1]] = value  # type: ignore[index]
    return json.dumps(doc)


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: "this is not json {", "not valid JSON (line 1"),
        (lambda d: "[1, 2]", "expected a JSON object"),
        (lambda d: _bad(d, ("format",), "tel-bonus-plan"), "not a TEL scenario file"),
        (lambda d: _bad(d, ("format_version",), 99), "newer TEL planner"),
        (lambda d: _bad(d, ("versions",), []), "no versions"),
        (
            lambda d: _bad(d, ("versions", 0, "scenario", "roster", 1, "salary"), "-5"),
            "version 1, roster row 2 ('Renée Hébert'), salary: must be greater than 0",
        ),
        (
            lambda d: _bad(d, ("versions", 0, "scenario", "months", 0, "gp"), "lots"),
            "version 1, month row 1 (2026-07), gp: must be a valid decimal",
        ),
        (
            lambda d: _bad(d, ("versions", 0, "scenario", "months", 2, "ar_90_plus"), "999999"),
            "month row 3 (2026-09): ar_90_plus cannot exceed ar_total",
        ),
        (
            lambda d: _bad(d, ("versions", 0, "scenario", "plan", "house_pct"), "150"),
            "version 1, plan, house_pct: must be less than or equal to 100",
        ),
        (
            lambda d: _bad(d, ("versions", 0, "scenario", "months", 0, "gp"), "1.234"),
            "no more than 2 decimal places",
        ),
        (
            lambda d: _bad(d, ("versions", 0, "scenario", "roster", 2, "name"), "Kim Nguyen"),
            "name 'Kim Nguyen' appears more than once",
        ),
        (lambda d: json.dumps(d).replace('"2000"', "NaN"), "not valid JSON (NaN is not a number)"),
        (lambda d: _bad(d, ("versions", 0, "scenario"), None), "has no scenario"),
    ],
)
def test_a_bad_import_file_is_refused_with_plain_problems_and_writes_nothing(
    store: Store, mutate: object, expected: str
) -> None:
    text = mutate(_export(store))  # type: ignore[operator]
    before = len(store.list_scenarios(include_deleted=True))
    with pytest.raises(ImportRefused) as info:
        store.import_json(text)
    message = str(info.value)
    assert expected in message, info.value.problems
    assert "Traceback" not in message and "pydantic" not in message.lower()
    assert "errors.pydantic.dev" not in message
    assert len(store.list_scenarios(include_deleted=True)) == before


def test_not_utf8_bytes_are_refused_in_plain_words(store: Store) -> None:
    with pytest.raises(ImportRefused, match="not UTF-8"):
        store.import_json(b"\xff\xfe\x00garbage")


# --------------------------------------------------------------------------- approvals


def test_approval_freezes_inputs_results_checksums_and_totals(store: Store) -> None:
    s = make_scenario()
    v = store.create("Base", s)
    snap = store.approve(v.id, "2026-Q3", "Paid with November payroll", "Owner One")
    result = pay(s)
    assert snap.quarter == "2026-Q3" and snap.version_id == v.id and snap.version_number == 1
    assert snap.scenario() == s
    assert snap.result() == result
    assert (snap.staff_pool, snap.paid) == (result.staff_pool, result.paid)
    assert snap.paid_count == sum(1 for p in result.payouts if p.total > 0)
    assert snap.paid == snap.staff_pool == 1209000  # the spec's example, every cent paid
    assert snap.approved_by == "Owner One" and snap.note == "Paid with November payroll"
    assert snap.approved_at.endswith("+00:00")
    assert snap.current and snap.supersedes is None
    assert snap.verify() == []
    assert store.snapshot(snap.id) == snap


def test_recomputing_with_a_changed_plan_does_not_change_the_snapshot(store: Store) -> None:
    v = store.create("Base", make_scenario())
    snap = store.approve(v.id, Q3, "approved", "Owner")
    what_if = make_scenario(plan=Plan(house_pct=Decimal("40"), team_pct=Decimal("20")))
    store.save(v.scenario_id, what_if, "what if the house kept more")
    assert pay(what_if) != snap.result()
    store.rename(v.scenario_id, "Renamed later")
    again = store.snapshot(snap.id)
    assert again == snap
    assert again.results_json == snap.results_json and again.inputs_json == snap.inputs_json
    assert again.scenario_name == "Base"  # the name as approved
    assert again.verify() == []


def test_approving_a_quarter_again_supersedes_the_previous_approval(store: Store) -> None:
    v1 = store.create("Base", make_scenario())
    v2 = store.save(v1.scenario_id, make_scenario(gp_shift=-1000), "fix a booking")
    first = store.approve(v1.id, Q3, "first", "Owner")
    second = store.approve(v2.id, Q3, "corrected GP", "Owner")
    other = store.create("Other", make_scenario())
    third = store.approve(other.id, Q3, "from another scenario", "Owner")
    assert second.supersedes == first.id and third.supersedes == second.id
    assert store.snapshot(first.id).superseded_by == second.id
    assert not store.snapshot(first.id).current
    assert store.current_snapshot("2026-Q3") == store.snapshot(third.id)
    assert [s.id for s in store.snapshots(Q3)] == [first.id, second.id, third.id]
    assert [s.id for s in store.snapshots(current_only=True)] == [third.id]
    assert store.snapshot(first.id).result() == pay(make_scenario())  # still what was approved
    assert store.current_snapshot("2026-Q4") is None


def test_approving_a_quarter_with_no_booked_month_is_refused_in_plain_words(
    store: Store,
) -> None:
    v = store.create("Base", make_scenario())
    with pytest.raises(StoreError, match="cannot approve: 2026-Q4 has no booked month"):
        store.approve(v.id, "2026-Q4", "", "Owner")
    with pytest.raises(StoreError, match="approved_by is blank"):
        store.approve(v.id, Q3, "", "  ")
    assert store.snapshots() == []


# --------------------------------------------------------------------------- the file


def test_default_data_dir_honours_tel_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "data").mkdir()  # an explicit TEL_DATA_DIR must exist (test_store_faults.py)
    monkeypatch.setenv("TEL_DATA_DIR", str(tmp_path / "data"))
    assert default_data_dir() == tmp_path / "data"
    with Store() as st:
        assert st.path == tmp_path / "data" / DB_FILENAME
    monkeypatch.delenv("TEL_DATA_DIR")
    assert "tel-bonus" in str(default_data_dir())


def test_the_file_uses_wal_and_records_its_schema_version_once(tmp_path: Path) -> None:
    with Store(tmp_path) as st:
        assert st.schema_version == SCHEMA_VERSION
    with Store(tmp_path / DB_FILENAME) as st:  # reopening migrates nothing twice
        assert st.schema_version == SCHEMA_VERSION
    raw = sqlite3.connect(tmp_path / DB_FILENAME)
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert raw.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] == SCHEMA_VERSION
    raw.close()


def test_a_file_from_a_newer_planner_is_refused(tmp_path: Path) -> None:
    Store(tmp_path).close()
    raw = sqlite3.connect(tmp_path / DB_FILENAME)
    raw.execute("INSERT INTO schema_version VALUES (?, 'later')", (SCHEMA_VERSION + 1,))
    raw.commit()
    raw.close()
    with pytest.raises(StoreError, match="newer version"):
        Store(tmp_path)


def test_an_approval_made_before_the_ledger_existed_still_verifies(store: Store) -> None:
    """Approvals stored before plan variants and the ledger have none of their keys: they
    read back as the source's plan with zero balances, and recompute to the same figures."""
    v = store.create("Base", make_scenario())
    snap = store.approve(v.id, Q3, "approved", "Owner")
    results = json.loads(snap.results_json)
    for key in (*LEDGER_KEYS, "reserve_in"):
        del results[key]
    for p in results["payouts"]:
        del p["performance"], p["days"], p["capped"]
    inputs = json.loads(snap.inputs_json)
    del inputs["scores"]
    for key in ("min_house", "partial", "netting", "gate_failure", "reserve", "merit",
                "payroll_tax", "caps"):
        del inputs["plan"][key]
    old_inputs, old_results = json.dumps(inputs), json.dumps(results)
    legacy = snap.model_copy(update={
        "inputs_json": old_inputs, "inputs_sha256": sha256_text(old_inputs),
        "results_json": old_results, "results_sha256": sha256_text(old_results)})
    assert legacy.verify() == []
    assert legacy.result().paid_pool == legacy.result().staff_pool == snap.staff_pool


def test_an_approval_records_the_balances_its_quarter_started_from(store: Store) -> None:
    plan = Plan(gate_failure=GateFailure(policy="defer"), reserve=Reserve(holdback_pct=10))
    s = make_scenario(plan=plan)
    failing = s.months[0].model_copy(update={"year": 2026, "month": 6, "cash_on_hand": Decimal(0)})
    s = s.model_copy(update={"months": (failing, *s.months)})
    v = store.create("Deferred", s)
    snap = store.approve(v.id, Q3, "approved", "Owner")
    r = snap.result()
    staff_q2 = split_profit(to_cents(failing.gp) - r.min_gp, plan)[1]
    assert staff_q2 > 0 and r.deferred_in == staff_q2  # Q2's staff pool, held by its gate
    assert r.opening.deferred == r.deferred_in and r.held_back > 0
    assert snap.verify() == []
