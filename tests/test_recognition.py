"""Notes of thanks kept with an approval, and the team's anonymous pulse: what is stored, who
may read what, and nothing that joins an answer to the person who gave it."""

from __future__ import annotations

import io
import sqlite3
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pdf_support import pdf_text

from tel.core.models import Scenario
from tel.core.periods import Quarter
from tel.engine.quarter import compute_scenario
from tel.io.links import sign_statement_token
from tel.io.loaders import read_scenario
from tel.io.recognition import (
    PERSON_NOTE_MAX,
    PULSE_MIN_ANSWERS,
    TEAM_NOTE_MAX,
    Thanks,
    clean_answer,
    clean_thanks,
    link_voter,
    session_voter,
    summarise,
)
from tel.io.store import MIGRATIONS, SCHEMA_VERSION, AlreadyAnswered, Store, StoreError
from tel.render.statement import statement_pdf, statements_zip
from tel.ui.team import TeamBooks

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
Q3 = "2026-Q3"
SECRET = b"recognition-tests-secret-" + b"r" * 32


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return read_scenario(SAMPLE / "plan.toml", SAMPLE / "roster.csv",
                         SAMPLE / "months.csv").unwrap()


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path)


def eligible(scenario: Scenario, n: int = 2) -> list[str]:
    result = compute_scenario(scenario, Quarter.parse(Q3))
    return [p.name for p in result.payouts if p.eligible][:n]



# --------------------------------------------------------------------------- notes of thanks


def test_notes_of_thanks_are_kept_with_the_approval(store: Store, scenario: Scenario) -> None:
    ann, bob = eligible(scenario)
    version = store.create("Q3", scenario)
    snap = store.approve(version.id, Q3, "as agreed", "Claire Landry",
                         Thanks(team="Thank you all.",
                                people={ann: "Your handling of the Landry migration."}))
    notes = store.thanks(snap.id)
    assert notes.team == "Thank you all."
    assert notes.for_person(ann) == "Your handling of the Landry migration."
    assert notes.for_person(bob) == ""
    assert snap.verify() == []  # the notes change nothing the approval checks


def test_approving_again_keeps_the_old_notes_with_the_old_approval(
    store: Store, scenario: Scenario,
) -> None:
    ann, _ = eligible(scenario)
    version = store.create("Q3", scenario)
    first = store.approve(version.id, Q3, "", "Claire", Thanks(people={ann: "First note"}))
    second = store.approve(version.id, Q3, "", "Claire", Thanks(people={ann: "Second note"}))
    assert store.thanks(first.id).for_person(ann) == "First note"
    assert store.thanks(second.id).for_person(ann) == "Second note"
    assert store.thanks(second.id).team == ""


def test_notes_are_append_only_like_everything_in_the_store(
    store: Store, scenario: Scenario,
) -> None:
    version = store.create("Q3", scenario)
    store.approve(version.id, Q3, "", "Claire", Thanks(team="Thanks"))
    store.record_pulse(Q3, session_voter("d" * 32, Q3), 4)
    raw = sqlite3.connect(store.path)
    for statement in ("UPDATE thanks SET note = 'changed'", "DELETE FROM thanks",
                      "DELETE FROM pulse_answers", "UPDATE pulse_voters SET voter = 'x'"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            raw.execute(statement)


def test_a_note_for_someone_not_on_the_roster_is_refused_and_nothing_is_approved(
    store: Store, scenario: Scenario,
) -> None:
    version = store.create("Q3", scenario)
    with pytest.raises(StoreError, match="a note is for Nobody Here, who is not on the roster"):
        store.approve(version.id, Q3, "", "Claire", Thanks(people={"Nobody Here": "hi"}))
    assert store.snapshots() == []


@pytest.mark.parametrize(("team", "person", "words"), [
    ("x" * (TEAM_NOTE_MAX + 1), "", f"the note for the team is {TEAM_NOTE_MAX + 1:,} characters"),
    ("", "y" * (PERSON_NOTE_MAX + 1), f"is {PERSON_NOTE_MAX + 1:,} characters long"),
    ("Thanks\u200b", "", "invisible"),
    ("", "bell \x07", "control"),
])
def test_a_note_too_long_or_with_a_hidden_character_is_refused(team: str, person: str,
                                                                words: str) -> None:
    with pytest.raises(ValueError, match=words):
        clean_thanks(team, {"Ann": person} if person else {}, ["Ann"])


def test_a_note_keeps_its_line_breaks_and_markup_as_plain_text() -> None:
    note = "Line one\r\n**not bold** <b>no tag</b> [no](http://link)"
    assert clean_thanks("", {"Ann": note}, ["Ann"]).for_person("Ann") == note.replace("\r\n", "\n")


def test_an_old_store_gets_the_new_tables_and_keeps_its_approvals(
    tmp_path: Path, scenario: Scenario,
) -> None:
    path = tmp_path / "tel.sqlite3"
    raw = sqlite3.connect(path, isolation_level=None)  # a store of schema 1, as shipped
    raw.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT "
                "NOT NULL)")
    for statement in MIGRATIONS[0]:
        raw.execute(statement)
    raw.execute("INSERT INTO schema_version VALUES (1, 'then')")
    raw.close()
    store = Store(path)
    assert store.schema_version == SCHEMA_VERSION == 2
    version = store.create("Q3", scenario)
    snap = store.approve(version.id, Q3, "", "Claire", Thanks(team="Thanks"))
    assert store.thanks(snap.id).team == "Thanks"


def test_the_pdf_statement_carries_the_persons_own_note_only(
    store: Store, scenario: Scenario,
) -> None:
    ann = eligible(scenario)[0]
    version = store.create("Q3", scenario)
    notes = Thanks(team="To everyone", people={ann: "The Landry migration, thank you"})
    snap = store.approve(version.id, Q3, "", "Claire Landry", notes)
    result = snap.result()
    mine = pdf_text(statement_pdf(result, ann, snapshot=snap, compress=False,
                                  thanks=notes.for_person(ann)))
    assert "A note from Claire Landry" in mine and "The Landry migration, thank you" in mine
    with zipfile.ZipFile(io.BytesIO(statements_zip(result, snapshot=snap, thanks=notes,
                                                   compress=False))) as zf:
        texts = {name: pdf_text(zf.read(name)) for name in zf.namelist()}
    holding = [name for name, text in texts.items() if "The Landry migration" in text]
    assert len(holding) == 1 and ann.split()[-1].lower() in holding[0]
    assert not any("To everyone" in text for text in texts.values())  # the pot page's note


def test_a_personal_link_gets_its_own_note_and_the_pot_the_team_note(
    store: Store, scenario: Scenario,
) -> None:
    ann, bob = eligible(scenario)
    version = store.create("Q3", scenario)
    snap = store.approve(version.id, Q3, "", "Claire",
                         Thanks(team="Thank you all", people={ann: "For Ann only"}))
    books = TeamBooks(scenario, approvals=store.current_snapshot, thanks=store.thanks)
    now = datetime.now(UTC)
    for name, expected in ((ann, "For Ann only"), (bob, "")):
        token = sign_statement_token(SECRET, name, Q3, now + timedelta(days=3))
        mine = books.statement(SECRET, token, now)
        assert mine.thanks == expected and mine.approval is not None
    assert books.team_note(Q3) == ("Thank you all", "Claire")
    assert books.team_note("2026-Q2") == ("", "")  # not approved: no note
    assert snap.id == books.paid(Q3)[2].id  # type: ignore[union-attr]


# --------------------------------------------------------------------------- the pulse


def test_one_answer_per_voter_and_quarter(store: Store) -> None:
    voter = link_voter(SECRET, "Ann Lee", Q3)
    store.record_pulse(Q3, voter, 4, "More examples")
    assert store.pulse_answered(Q3, voter)
    with pytest.raises(AlreadyAnswered):
        store.record_pulse(Q3, voter, 5)
    store.record_pulse("2026-Q4", link_voter(SECRET, "Ann Lee", "2026-Q4"), 5)  # a new quarter
    assert not store.pulse_answered(Q3, link_voter(SECRET, "Bob Roy", Q3))


def test_owners_see_nothing_until_five_people_have_answered(store: Store) -> None:
    for i in range(PULSE_MIN_ANSWERS - 1):
        store.record_pulse(Q3, session_voter(f"{i:032d}", Q3), 2, f"comment {i}")
        hidden = store.pulse_summary(Q3)
        assert (hidden.shown, hidden.answers, hidden.counts, hidden.comments) == (
            False, None, None, ())
    store.record_pulse(Q3, link_voter(SECRET, "Ann Lee", Q3), 5, "")
    shown = store.pulse_summary(Q3)
    assert shown.shown and shown.answers == 5 and shown.counts == (0, 4, 0, 0, 1)
    assert shown.via_link == 1
    assert sorted(shown.comments) == [f"comment {i}" for i in range(4)]
    assert not store.pulse_summary("2026-Q4").shown


def test_nothing_in_the_file_joins_an_answer_to_who_gave_it(store: Store) -> None:
    store.record_pulse(Q3, link_voter(SECRET, "Ann Lee", Q3), 1, "a private view")
    raw = sqlite3.connect(store.path)
    voters = [c[1] for c in raw.execute("PRAGMA table_info(pulse_voters)")]
    answers = [c[1] for c in raw.execute("PRAGMA table_info(pulse_answers)")]
    assert voters == ["quarter", "voter"]
    assert answers == ["id", "quarter", "score", "comment"]  # no voter, no time
    for table in ("pulse_voters", "pulse_answers"):  # no rowid: no insertion order
        with pytest.raises(sqlite3.OperationalError):
            raw.execute(f"SELECT rowid FROM {table}")
    dump = "\n".join(raw.iterdump())
    assert "Ann Lee" not in dump and "Ann" not in dump.replace("a private view", "")


@settings(max_examples=40, deadline=None)
@given(scores=st.lists(st.integers(1, 5), max_size=12))
def test_the_summary_shows_counts_that_add_up_or_nothing(scores: list[int]) -> None:
    s = summarise(Q3, scores, [f"c{i}" for i in range(len(scores))], 0)
    if len(scores) < PULSE_MIN_ANSWERS:
        assert not s.shown and s.answers is None and s.counts is None and s.comments == ()
    else:
        assert s.counts is not None and sum(s.counts) == s.answers == len(scores)
        assert s.average is not None and 1 <= s.average <= 5


@pytest.mark.parametrize(("score", "comment", "words"), [
    (0, "", "from 1 to 5"), (6, "", "from 1 to 5"), (True, "", "from 1 to 5"),
    (3, "z" * 501, "at most 500"), (3, "tab\u202eright-to-left", "invisible"),
])
def test_an_answer_out_of_bounds_is_refused(score: int, comment: str, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        clean_answer(score, comment)


def test_the_store_refuses_an_answer_without_a_proper_voter_key(store: Store) -> None:
    with pytest.raises(StoreError, match="cannot be matched"):
        store.record_pulse(Q3, "Ann Lee", 3)


def test_a_voter_key_names_nobody_and_differs_by_person_quarter_and_secret() -> None:
    keys = {link_voter(SECRET, n, q) for n in ("Ann Lee", "Bob Roy") for q in (Q3, "2026-Q4")}
    keys.add(link_voter(SECRET + b"x", "Ann Lee", Q3))
    assert len(keys) == 5 and not any("Ann" in k or "Bob" in k for k in keys)
    assert session_voter("a" * 32, Q3) != session_voter("b" * 32, Q3)


def test_a_read_only_store_refuses_an_answer_in_plain_words(tmp_path: Path) -> None:
    Store(tmp_path).close()
    (tmp_path / "tel.sqlite3").chmod(0o444)
    tmp_path.chmod(0o555)
    try:
        ro = Store(tmp_path)
        if not ro.read_only:
            pytest.skip("root may write anyway")
        with pytest.raises(StoreError, match="read-only"):
            ro.record_pulse(Q3, session_voter("c" * 32, Q3), 3)
    finally:
        tmp_path.chmod(0o755)
