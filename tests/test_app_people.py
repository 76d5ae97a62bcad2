"""The people what-if in the app: a hypothetical hire moves the checks, is marked as
hypothetical on every page, travels in the link without a name, and is never approved."""

from __future__ import annotations

from datetime import date

from apptest_support import metric, open_app, sample_scenario
from streamlit.testing.v1 import AppTest


def _add_hire(at: AppTest) -> None:
    at.number_input(key="people.hire.salary").set_value(65000.0)
    at.date_input(key="people.hire.start").set_value(date(2020, 2, 1))
    at.text_input(key="people.hire.department").set_value("Ops")
    next(b for b in at.button if b.label == "Add hire").click().run()
    assert not at.exception, [e.value for e in at.exception]


def _banner(at: AppTest) -> str:
    return " ".join(str(w.value) for w in at.warning)


def test_a_hire_added_on_the_plan_page_moves_the_checks_and_is_marked_hypothetical() -> None:
    at = open_app("pages/plan.py", query={"q": "2026-Q3"})
    before = metric(at, "Eligible people")
    paid_before = metric(at, "Paid in checks")
    _add_hire(at)
    assert int(metric(at, "Eligible people")) == int(before) + 1
    assert metric(at, "Paid in checks") == paid_before  # the pool is shared by one more
    assert int(metric(at, "Eligible with these people")) == int(before) + 1
    assert "What-if with hypothetical people" in _banner(at)
    assert "1 hypothetical hire" in _banner(at)
    assert at.query_params["hire1"] == "65000,2020-02-01,Ops,w2,ft"

    at.switch_page("pages/payouts.py").run()
    assert not at.exception
    assert "What-if with hypothetical people" in _banner(at)
    frame = at.dataframe[0].value
    flagged = frame[frame["hypothetical"]]
    assert flagged["name"].tolist() == ["Hypothetical hire 1"]


def test_the_link_carries_people_by_position_and_never_a_name() -> None:
    at = open_app("pages/plan.py", query={"q": "2026-Q3"})
    _add_hire(at)
    at.selectbox(key="people.who").set_value(3).run()
    at.date_input(key="people.leave_on.3").set_value(date(2026, 10, 31))
    at.button(key="people.leave").click().run()
    at.selectbox(key="people.who").set_value(5).run()
    at.number_input(key="people.new_salary.5").set_value(99000.0)
    at.button(key="people.raise").click().run()
    assert not at.exception
    params = {k: at.query_params[k] for k in at.query_params}
    assert params["leave3"] == "2026-10-31" and params["raise5"] == "99000"
    assert "1 hypothetical hire, 1 leaving, 1 raise" in _banner(at)
    text = repr(params).casefold()
    for person in sample_scenario().roster:
        assert person.name.casefold() not in text
        assert person.name.split()[-1].casefold() not in text

    # a fresh session from the link reopens the same people changes
    again = open_app("pages/plan.py", query=params)
    assert "1 hypothetical hire, 1 leaving, 1 raise" in _banner(again)

    # and "remove" takes one back out
    at.button(key="people.remove.leave.3").click().run()
    assert "leave3" not in at.query_params
    assert "1 hypothetical hire, 1 raise" in _banner(at)


def test_the_current_whatif_with_hypothetical_people_cannot_be_approved() -> None:
    at = open_app("pages/plan.py", query={"q": "2026-Q3"})
    _add_hire(at)
    at.switch_page("pages/approve.py").run()
    at.radio(key="approve.mode").set_value("whatif").run()
    assert not at.exception
    errors = " ".join(str(e.value) for e in at.error)
    assert "cannot be approved" in errors and "hypothetical people" in errors
    assert not [b for b in at.button if b.label.startswith("Approve ")]
    assert any("No draft files" in str(i.value) for i in at.info)


def test_a_saved_version_keeps_the_people_beside_the_roster_and_is_never_approved(
) -> None:
    at = open_app("pages/plan.py", query={"q": "2026-Q3"})
    _add_hire(at)
    people = at.session_state["tel.analysis.whatif"].people
    at.switch_page("pages/saved.py").run()
    assert any("is saved with the version" in str(w.value) for w in at.warning)
    at.text_input(key="saved.name").set_value("With a hire")
    at.button(key="saved.save").click().run()
    assert not at.exception
    from tel.core.periods import Quarter
    from tel.engine.quarter import compute_scenario
    from tel.io.store import StoreError
    from tel.ui.store import get_store
    store = get_store()
    (info,) = [s for s in store.list_scenarios() if s.name == "With a hire"]
    version = store.versions(info.id)[-1]
    saved = store.load_version(version.id)
    # the roster is the loaded one; the hire waits beside it and is paid when computed
    assert not any(p.name.startswith("Hypothetical") for p in saved.roster)
    assert len(saved.roster) == len(sample_scenario().roster)
    assert saved.people == people
    paid = compute_scenario(saved, Quarter(2026, 3))
    assert any(p.name.startswith("Hypothetical hire") for p in paid.payouts)
    try:
        store.approve(version.id, "2026-Q3", "", "Owner")
    except StoreError as exc:
        assert "hypothetical people" in str(exc)
    else:
        raise AssertionError("a version with hypothetical people was approved")
