"""The people what-if panel: hypothetical hires, someone leaving, a raise.

Every change goes through :func:`tel.ui.state.set_people` in a widget callback (which runs
before the script), so the whole page, and every other page, sees it from its first line.
The people are hypothetical: the provenance banner says so, the payouts table flags them, a
save leaves them out, and an approval or a payroll file never includes them.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import streamlit as st
from pydantic import ValidationError

from tel.core.models import MAX_HIRES, Employment, Hire, PeopleChanges, Person, hire_names
from tel.core.money import to_cents
from tel.engine.quarter import compute_scenario
from tel.ui import live, state
from tel.ui.state import Work
from tel.ui.text import md
from tel.ui.widgets import Kpi, delta, kpi_grid, money

PROBLEM_KEY = "people.problem"
NOT_SAVED = ("Hypothetical people are a what-if only: they are never saved with a scenario, "
             "never approved and never reach a payroll file. A link carries them by roster "
             "position, never by name.")


def _people() -> PeopleChanges:
    return state.current().whatif.people


def _roster() -> tuple[Person, ...]:
    return state.current().source.scenario.roster


def _set(people: PeopleChanges) -> None:
    problems = state.set_people(people)
    if problems:
        st.session_state[PROBLEM_KEY] = "Not changed: " + "; ".join(problems) + "."


def _add_hire() -> None:
    ss = st.session_state
    people = _people()
    if len(people.hires) >= MAX_HIRES:
        ss[PROBLEM_KEY] = f"Not added: at most {MAX_HIRES} hypothetical hires."
        return
    try:
        hire = Hire(salary=Decimal(str(ss["people.hire.salary"])).quantize(Decimal("0.01")),
                    start_date=ss["people.hire.start"],
                    department=ss.get("people.hire.department", ""),
                    employment=Employment(ss["people.hire.employment"]),
                    full_time=bool(ss["people.hire.full_time"]))
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        found = exc.errors() if isinstance(exc, ValidationError) else []
        ss[PROBLEM_KEY] = f"Not added: {found[0]['msg'] if found else exc}."
        return
    _set(people.model_copy(update={"hires": (*people.hires, hire)}))


def _mark_leaving() -> None:
    ss = st.session_state
    people = _people()
    pos = int(ss["people.who"])
    day = ss[f"people.leave_on.{pos}"]
    _set(people.model_copy(update={"leavers": {**people.leavers, pos: day}}))


def _give_raise() -> None:
    ss = st.session_state
    people = _people()
    pos = int(ss["people.who"])
    salary = Decimal(str(ss[f"people.new_salary.{pos}"])).quantize(Decimal("0.01"))
    _set(people.model_copy(update={"raises": {**people.raises, pos: salary}}))


def _remove(kind: str, key: int) -> None:
    people = _people()
    if kind == "hire":
        hires = tuple(h for i, h in enumerate(people.hires) if i != key)
        _set(people.model_copy(update={"hires": hires}))
    else:
        field = "leavers" if kind == "leave" else "raises"
        kept = {k: v for k, v in getattr(people, field).items() if k != key}
        _set(people.model_copy(update={field: kept}))
    live.rerun("people")  # the button sits in a section: the others follow the change


def _remove_all() -> None:
    _set(PeopleChanges())
    live.rerun("people")


def _terms(employment: Employment, full_time: bool) -> str:
    kind = "W-2" if employment is Employment.W2 else "contractor"
    return f"{kind}, {'full time' if full_time else 'part time'}"


def people_forms(work: Work) -> None:
    """Add a hire, mark someone leaving, give a raise: the roster's, whatever the what-if."""
    st.subheader("People what-if")
    st.caption("Try a hire, a departure or a raise without editing the roster. " + NOT_SAVED)
    if problem := st.session_state.pop(PROBLEM_KEY, None):
        st.error(problem)
    roster = work.source.scenario.roster
    last = max((m.ym for m in work.source.scenario.months), default=None)
    next_month = (date(last[0] + last[1] // 12, last[1] % 12 + 1, 1) if last
                  else date.today().replace(day=1))
    hire_col, change_col = st.columns(2)
    with hire_col, st.form("people.hire", border=True):
        st.markdown("**Add a hypothetical hire**")
        st.number_input("Salary ($ a year)", min_value=1.0, max_value=9_999_999.0,
                        value=60_000.0, step=1_000.0, key="people.hire.salary")
        st.date_input("Start date", value=next_month, key="people.hire.start",
                      min_value=date(1950, 1, 1), max_value=date(2999, 12, 31))
        st.text_input("Department", key="people.hire.department", max_chars=80,
                      placeholder="e.g. Service Desk")
        st.radio("Employment", [e.value for e in Employment], horizontal=True,
                 key="people.hire.employment",
                 format_func={"w2": "W-2", "contractor": "Contractor"}.get)
        st.checkbox("Full time", value=True, key="people.hire.full_time")
        st.form_submit_button("Add hire", icon=":material/person_add:", on_click=_add_hire)
    with change_col, st.container(border=True):
        st.markdown("**Someone leaves, or gets a raise**")
        if not roster:
            st.caption("The roster is empty.")
        else:
            positions = list(range(1, len(roster) + 1))
            who = st.selectbox("Person", positions, key="people.who",
                               format_func=lambda i: roster[i - 1].name)
            person = roster[who - 1]
            l1, l2 = st.columns([3, 2], vertical_alignment="bottom")
            l1.date_input("Last day", key=f"people.leave_on.{who}", min_value=person.start_date,
                          value=max(person.start_date, next_month + timedelta(days=27)),
                          max_value=date(2999, 12, 31))
            l2.button("Mark as leaving", key="people.leave", on_click=_mark_leaving,
                      icon=":material/logout:")
            r1, r2 = st.columns([3, 2], vertical_alignment="bottom")
            r1.number_input("New salary ($ a year)", min_value=1.0, max_value=9_999_999.0,
                            value=float(person.salary), step=1_000.0,
                            key=f"people.new_salary.{who}")
            r2.button("Give raise", key="people.raise", on_click=_give_raise,
                      icon=":material/trending_up:")


def people_changes() -> None:
    """The changes so far and what they do to the chosen quarter (the working state's)."""
    work = state.current()
    roster = work.source.scenario.roster
    people = work.whatif.people
    if people.empty:
        st.caption("No people changes: the roster is as loaded.")
        return
    with st.container(border=True):
        st.markdown(f"**People changes** (hypothetical): {people.summary()}")
        names = hire_names(roster, len(people.hires))
        rows: list[tuple[str, str, int]] = []
        for i, (name, hire) in enumerate(zip(names, people.hires, strict=True)):
            dept = f", {md(hire.department, 80)}" if hire.department else ""
            rows.append((f"{md(name)}: {money(to_cents(hire.salary))} from {hire.start_date}"
                         f"{dept}, {_terms(hire.employment, hire.full_time)}", "hire", i))
        for pos, day in sorted(people.leavers.items()):
            rows.append((f"{md(roster[pos - 1].name)} leaves on {day}", "leave", pos))
        for pos, salary in sorted(people.raises.items()):
            rows.append((f"{md(roster[pos - 1].name)}: raise to {money(to_cents(salary))} "
                         f"(from {money(to_cents(roster[pos - 1].salary))})", "raise", pos))
        for text, kind, key in rows:
            c1, c2 = st.columns([5, 1], vertical_alignment="center")
            c1.markdown(text)
            c2.button("Remove", key=f"people.remove.{kind}.{key}", on_click=_remove,
                      args=(kind, key), icon=":material/close:")
        st.button("Remove all people changes", key="people.clear", on_click=_remove_all)
        without = compute_scenario(work.whatif.without_people().apply(work.source.scenario),
                                   work.quarter)
        result = work.result
        moved = result.eligible_count - without.eligible_count
        kpi_grid([
            Kpi("Eligible with these people", f"{result.eligible_count:,}",
                f"{moved:+,}" if moved else None),
            Kpi("Paid with these people", money(result.paid),
                delta(result.paid - without.paid)),
            Kpi("Checks with these people", f"{result.paid_count:,}",
                f"{result.paid_count - without.paid_count:+,}"
                if result.paid_count != without.paid_count else None),
        ], border=False)
        st.caption(f"Compared with the loaded roster on {result.quarter}, same plan and months.")
