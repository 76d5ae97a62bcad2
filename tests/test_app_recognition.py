"""AppTest: notes of thanks, shadow quarters and the team's pulse, page by page, for owners
and for the team. A person's note reaches only that person's statement; a shadow quarter is
never approved nor exported to payroll; owners see nothing of the pulse below five answers;
no answer or note reaches another employee's page (checked on everything the run sends)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from apptest_support import SAMPLE, open_app, open_link, sample_scenario
from streamlit import config
from streamlit.testing.v1 import AppTest
from team_privacy import leaked_texts

from tel.core.periods import Quarter
from tel.engine.quarter import compute_scenario
from tel.io.links import sign_statement_token
from tel.io.recognition import PULSE_MIN_ANSWERS, Thanks, link_voter, session_voter
from tel.io.store import Store

ROOT = Path(__file__).resolve().parents[1]
Q3, Q4 = "2026-Q3", "2026-Q4"
SECRET = "recognition-app-secret-" + "w" * 32
NOTE = "Your handling of the Landry migration saved the quarter"
TEAM_NOTE = "Thank you all for a record third quarter"


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("TEL_DATA_DIR", str(folder))
    monkeypatch.setenv("TEL_LINK_SECRET", SECRET)
    monkeypatch.delenv("TEL_PULSE", raising=False)
    return folder


@pytest.fixture
def team(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TEL_AUDIENCE", "team")
    before = config.get_option("client.showErrorDetails")
    yield
    config.set_option("client.showErrorDetails", before)


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def plain(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "caption", "success", "error", "warning", "info")
             for e in getattr(at, kind)]
    return plain("\n".join(str(p) for p in parts))


def all_text(at: AppTest) -> str:
    """Everything the run would send to a browser: every element's proto, as UTF-8."""
    return "\n".join(el.proto.SerializeToString().decode("utf-8", "ignore")
                     for el in at._tree if getattr(el, "proto", None) is not None)


def two_eligible() -> tuple[str, str]:
    result = compute_scenario(sample_scenario(), Quarter.parse(Q3))
    first, second = [p.name for p in result.payouts if p.eligible][:2]
    return first, second


def approved_with_notes(data_dir: Path, person: str) -> int:
    store = Store(data_dir)
    version = store.create("Sample", sample_scenario())
    return store.approve(version.id, Q3, "", "Claire Landry",
                         Thanks(team=TEAM_NOTE, people={person: NOTE})).id


def shadow_plan(tmp_path: Path, start: str = Q3, quarters: int = 1) -> Path:
    plan = tmp_path / "plan-shadow.toml"
    plan.write_text((SAMPLE / "plan.toml").read_text()
                    + f'\n[shadow]\nstart = "{start}"\nquarters = {quarters}\n')
    return plan


def open_team(page: str, query: dict[str, str] | None = None) -> AppTest:
    return open_link(page, query)


def token_for(name: str, quarter: str = Q3) -> str:
    return sign_statement_token(SECRET.encode(), name, quarter,
                                datetime.now(UTC) + timedelta(days=5))


# --------------------------------------------------------------------------- owners: approve


def test_approving_with_notes_keeps_them_and_shows_them_to_owners(data_dir: Path) -> None:
    ann, bob = two_eligible()
    at = open_app("pages/approve.py", query={"q": Q3})
    at.text_input(key="approve.by").set_value("Claire Landry")
    at.text_area(key=f"approve.thanks.{Q3}.team").set_value(TEAM_NOTE)
    names = [p.name for p in compute_scenario(sample_scenario(), Quarter.parse(Q3)).payouts]
    at.session_state[f"approve.thanks.{Q3}.people"] = {
        "edited_rows": {names.index(ann): {"Note of thanks": NOTE}},
        "added_rows": [], "deleted_rows": []}
    ok(at.run())
    [button] = [b for b in at.button if b.key == "approve.go"]
    ok(button.click().run())
    [snap] = Store(data_dir).snapshots()
    notes = Store(data_dir).thanks(snap.id)
    assert (notes.team, notes.people) == (TEAM_NOTE, {ann: NOTE})
    assert any(f"Notes of thanks with approval #{snap.id} (1 personal)" == e.label
               for e in at.expander)
    shown = [df.value for df in at.dataframe if "Note (only this person sees it)" in df.value]
    assert list(shown[0]["Name"]) == [ann] and bob not in list(shown[0]["Name"])


def test_approving_again_starts_from_the_notes_in_force(data_dir: Path) -> None:
    ann, _ = two_eligible()
    approved_with_notes(data_dir, ann)
    at = open_app("pages/approve.py", query={"q": Q3})
    assert at.text_area(key=f"approve.thanks.{Q3}.team").value == TEAM_NOTE
    editor = next(df for df in at.dataframe if "Note of thanks" in df.value)
    assert dict(zip(editor.value["Name"], editor.value["Note of thanks"],
                    strict=True))[ann] == NOTE


def test_a_shadow_quarter_cannot_be_approved_and_has_no_payroll_files(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TEL_PLAN", str(shadow_plan(tmp_path)))
    at = open_app("pages/approve.py", query={"q": Q3})
    assert at.warning[0].value.startswith("**Shadow: not paid.**")  # the page's banner
    said = texts(at)
    assert "2026-Q3 is a shadow quarter: the plan shows what it would pay and nothing is " \
           "paid for it, so it cannot be approved" in said
    assert at.button(key="approve.go").disabled
    assert "so there is no payroll file. The workbook and the statements say SHADOW" in said
    buttons = {d.label: d for d in at.get("download_button")}
    assert buttons["Payroll CSV (name, amount)"].proto.disabled
    assert buttons["Gusto bonus CSV"].proto.disabled
    assert not buttons["Workbook (XLSX)"].proto.disabled
    assert Store(data_dir).snapshots() == []


def test_a_what_if_that_puts_the_quarter_in_shadow_saves_nothing_on_approve(
    data_dir: Path,
) -> None:
    at = open_app("pages/approve.py", query={"q": Q3, "shadow_start": Q3,
                                              "shadow_quarters": "2"})
    assert at.warning[0].value.startswith("**What-if · Shadow: not paid.**")
    assert at.button(key="approve.go").disabled
    assert Store(data_dir).list_scenarios() == []


def test_the_live_quarter_after_shadow_is_approved_as_usual(data_dir: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    monkeypatch.setenv("TEL_PLAN", str(shadow_plan(tmp_path, "2026-Q1", 2)))
    at = open_app("pages/approve.py", query={"q": Q3})
    assert not at.button(key="approve.go").disabled
    at.text_input(key="approve.by").set_value("Claire")
    ok(at.button(key="approve.go").click().run())
    [snap] = Store(data_dir).snapshots()
    assert snap.quarter == Q3 and snap.verify() == []


# --------------------------------------------------------------------------- owners: the pulse


def answer(data_dir: Path, n: int, quarter: str = Q3) -> None:
    store = Store(data_dir)
    for i in range(n):
        store.record_pulse(quarter, session_voter(f"{i:032x}", quarter), 1 + i % 5,
                           f"private comment number {i}")


@pytest.mark.parametrize("answers", [0, 1, PULSE_MIN_ANSWERS - 1])
def test_owners_see_nothing_of_the_pulse_below_five_answers(data_dir: Path,
                                                            answers: int) -> None:
    answer(data_dir, answers)
    at = open_app("pages/links.py", query={"q": Q3})
    sent = all_text(at)
    assert "Fewer than 5 people have answered for 2026-Q3" in texts(at)
    assert "private comment" not in sent
    assert not [m for m in at.metric if m.label == "Answers"]


def test_owners_see_the_counts_and_comments_from_five_answers(data_dir: Path) -> None:
    answer(data_dir, PULSE_MIN_ANSWERS)
    Store(data_dir).record_pulse(Q3, link_voter(SECRET.encode(), "Ann Lee", Q3), 5,
                                 "**bold** [link](http://x)")
    at = open_app("pages/links.py", query={"q": Q3})
    assert {m.label: m.value for m in at.metric}["Answers"] == "6"
    assert {m.label: m.value for m in at.metric}["Through a personal link"] == "1"
    counts = next(df.value for df in at.dataframe if "People" in df.value)
    assert list(counts["People"]) == [1, 1, 1, 1, 2]
    comments = next(df.value for df in at.dataframe if "Comment" in df.value)
    assert "**bold** [link](http://x)" in list(comments["Comment"])  # text, never Markdown
    answer(data_dir, 0)
    at2 = open_app("pages/links.py", query={"q": "2026-Q2"})
    assert "Fewer than 5 people have answered for 2026-Q2" in texts(at2)


# --------------------------------------------------------------------------- the team


def test_a_note_reaches_only_its_person(data_dir: Path, team: None) -> None:
    ann, bob = two_eligible()
    approved_with_notes(data_dir, ann)
    mine = open_team("pages/statement.py", {"token": token_for(ann)})
    assert NOTE in texts(mine) and "Claire Landry wrote to you" in texts(mine)
    assert leaked_texts(all_text(mine), [TEAM_NOTE]) == []  # the pot page's, not here
    other = open_team("pages/statement.py", {"token": token_for(bob)})
    assert leaked_texts(all_text(other), [NOTE]) == [] and "wrote to you" not in texts(other)
    pot = open_team("pages/pot.py")
    assert TEAM_NOTE not in texts(pot)  # 2026-Q4, the newest quarter, is not approved
    ok(pot.selectbox(key="team.quarter_pick").set_value(Q3).run())
    assert TEAM_NOTE in texts(pot) and "A note from Claire Landry" in texts(pot)
    assert leaked_texts(all_text(pot), [NOTE]) == []
    estimate = open_team("pages/estimate.py")
    assert leaked_texts(all_text(estimate), [NOTE, TEAM_NOTE]) == []


def test_a_note_is_shown_as_text_never_as_markdown(data_dir: Path, team: None) -> None:
    ann, _ = two_eligible()
    store = Store(data_dir)
    version = store.create("Sample", sample_scenario())
    store.approve(version.id, Q3, "", "Claire",
                  Thanks(people={ann: "![x](http://tracker/) <b>hi</b>\nline two"}))
    at = open_team("pages/statement.py", {"token": token_for(ann)})
    [box] = [i.value for i in at.info if "wrote to you" in i.value]
    assert "\\!\\[x\\]\\(http\\:\\/\\/tracker\\/\\)" in box and "\\<b\\>" in box
    assert "](http://tracker/)" not in box and "  \nline two" in box


def test_the_team_pages_say_a_shadow_quarter_is_not_paid(tmp_path: Path, team: None,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    monkeypatch.setenv("TEL_PLAN", str(shadow_plan(tmp_path, Q3, 2)))  # 2026-Q3 and Q4
    ann, _ = two_eligible()
    for page, query in (("pages/pot.py", None), ("pages/estimate.py", None),
                        ("pages/statement.py", {"token": token_for(ann)})):
        at = open_team(page, query)
        said = texts(at)
        assert "Shadow: what the plan would pay, not paid." in said, page
        assert "the plan pays from 2027-Q1" in said, page
        if page == "pages/pot.py":  # 2026-Q4 is open: the simulated chance is shown, as such
            labels = [m.label for m in at.metric]
            assert "Chance the plan would pay (shadow: not paid)" in labels
            assert "Chance of a bonus this quarter" not in labels
    assert "What the plan would pay you (not paid)" in [m.label for m in at.metric]


def test_answering_the_pulse_on_the_pot_page_counts_once(data_dir: Path, team: None) -> None:
    at = open_team("pages/pot.py")  # the newest quarter, 2026-Q4
    at.radio(key=f"pulse.score.{Q4}").set_value(4)
    at.text_area(key=f"pulse.comment.{Q4}").set_value("More worked examples, please")
    [send] = [b for b in at.button if b.label == "Send my answer"]
    ok(send.click().run())
    assert "Your answer is in: thank you" in texts(at)
    assert not [r for r in at.radio if r.key == f"pulse.score.{Q4}"]  # asked once
    store = Store(data_dir)
    raw = store._db.execute("SELECT quarter, score, comment FROM pulse_answers").fetchall()
    assert [tuple(r) for r in raw] == [(Q4, 4, "More worked examples, please")]
    again = open_team("pages/pot.py")  # another browser session: asked again
    assert [r for r in again.radio if r.key == f"pulse.score.{Q4}"]
    assert leaked_texts(all_text(again), ["More worked examples, please"]) == []


def test_a_personal_link_answers_once_for_its_person_whatever_the_session(
    data_dir: Path, team: None,
) -> None:
    ann, _ = two_eligible()
    first = open_team("pages/statement.py", {"token": token_for(ann)})
    first.radio(key=f"pulse.score.{Q3}").set_value(2)
    ok(next(b for b in first.button if b.label == "Send my answer").click().run())
    second = open_team("pages/statement.py", {"token": token_for(ann)})  # a new session
    assert "Your answer is in: thank you" in texts(second)
    assert Store(data_dir).pulse_answered(Q3, link_voter(SECRET.encode(), ann, Q3))


def test_the_pulse_can_be_turned_off(team: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEL_PULSE", "off")
    at = open_team("pages/pot.py")
    assert not [r for r in at.radio if str(r.key).startswith("pulse.")]


def test_choosing_no_answer_sends_nothing(data_dir: Path, team: None) -> None:
    at = open_team("pages/pot.py")
    ok(next(b for b in at.button if b.label == "Send my answer").click().run())
    assert "Choose an answer from 1 to 5 first" in texts(at)
    assert Store(data_dir).pulse_summary(Q3).shown is False
    assert Store(data_dir)._db.execute("SELECT COUNT(*) FROM pulse_answers").fetchone()[0] == 0
