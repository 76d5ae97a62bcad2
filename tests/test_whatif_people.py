"""The people what-if: hypothetical hires, leavers and raises over the loaded roster."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from apptest_support import sample_scenario

from tel.analysis.provenance import working
from tel.analysis.whatif import WhatIf, from_query, to_query
from tel.core.models import (
    HIRE_PREFIX,
    Employment,
    Hire,
    PeopleChanges,
    Person,
    Scenario,
    hire_names,
)
from tel.core.periods import Quarter
from tel.core.text import name_key
from tel.engine.quarter import compute_scenario
from tel.render.tables import payouts_frame

HIRE = Hire(salary=Decimal("65000"), start_date=date(2020, 2, 1), department="Ops, North")


def _whatif(s: Scenario, people: PeopleChanges) -> WhatIf:
    return WhatIf(plan=s.plan, people=people)


def test_apply_appends_hires_ends_leavers_and_raises_salaries() -> None:
    s = sample_scenario()
    people = PeopleChanges(hires=(HIRE, HIRE.model_copy(update={"full_time": False})),
                           leavers={3: date(2027, 2, 28)}, raises={5: Decimal("72000")})
    out = _whatif(s, people).apply(s).roster
    assert len(out) == len(s.roster) + 2
    assert [p.name for p in out[-2:]] == ["Hypothetical hire 1", "Hypothetical hire 2"]
    assert out[-1].full_time is False and out[-2].department == "Ops, North"
    assert out[2].end_date == date(2027, 2, 28) and out[2].name == s.roster[2].name
    assert out[4].salary == Decimal("72000")
    untouched = [i for i in range(len(s.roster)) if i not in (2, 4)]
    assert [out[i] for i in untouched] == [s.roster[i] for i in untouched]
    assert _whatif(s, PeopleChanges()).apply(s).roster == s.roster


def test_a_hire_with_service_becomes_eligible_and_shares_the_pool() -> None:
    s = sample_scenario()
    q = Quarter.parse(compute_scenario(s, _last_quarter(s)).quarter)
    before = compute_scenario(s, q)
    after = compute_scenario(_whatif(s, PeopleChanges(hires=(HIRE,))).apply(s), q)
    assert after.eligible_count == before.eligible_count + 1
    hired = next(p for p in after.payouts if p.name == "Hypothetical hire 1")
    assert hired.eligible and hired.total > 0


def test_a_leaver_before_the_pay_date_is_ineligible() -> None:
    s = sample_scenario()
    q = _last_quarter(s)
    before = compute_scenario(s, q)
    pos = next(i for i, p in enumerate(before.payouts, 1) if p.eligible)
    pay = s.plan.pay_date(q)
    left = PeopleChanges(leavers={pos: date.fromordinal(pay.toordinal() - 1)})
    after = compute_scenario(_whatif(s, left).apply(s), q)
    assert not after.payouts[pos - 1].eligible
    assert "left before pay date" in after.payouts[pos - 1].reason
    stays = PeopleChanges(leavers={pos: pay})
    assert compute_scenario(_whatif(s, stays).apply(s), q).payouts[pos - 1].eligible


def test_hire_names_never_collide_with_the_roster() -> None:
    taken = tuple(Person(name=n, salary=1, start_date=date(2020, 1, 1))
                  for n in ("HYPOTHETICAL HIRE 1", "Hypothetical hire 1 (2)",
                            "hypothetical  hire 2"))
    names = hire_names(taken, 3)
    keys = {name_key(p.name) for p in taken}
    assert all(name_key(n) not in keys for n in names)
    assert len({name_key(n) for n in names}) == 3
    assert names[2] == "Hypothetical hire 3"
    # and the scenario with them validates (names unique by the roster's own rule)
    s = sample_scenario()
    s = s.model_copy(update={"roster": (*s.roster, *taken)})
    out = _whatif(s, PeopleChanges(hires=(HIRE, HIRE, HIRE))).apply(s)
    Scenario.model_validate(out.model_dump())


def test_url_round_trip_carries_positions_and_never_a_name() -> None:
    s = sample_scenario()
    people = PeopleChanges(hires=(HIRE, Hire(salary=Decimal("41000.50"),
                                             start_date=date(2027, 2, 1),
                                             employment=Employment.CONTRACTOR,
                                             full_time=False)),
                           leavers={3: date(2027, 2, 28)}, raises={5: Decimal("72000")})
    w = WhatIf(plan=s.plan, quarter="2026-Q3", people=people)
    params = to_query(w, s.plan)
    assert params["hire1"] == "65000,2020-02-01,Ops, North,w2,ft"
    assert params["hire2"] == "41000.5,2027-02-01,,contractor,pt"
    assert params["leave3"] == "2027-02-28" and params["raise5"] == "72000"
    text = urlencode(params).casefold()
    for p in s.roster:
        for part in p.name.split():
            if len(part) > 3:
                assert part.casefold() not in text
    back, problems = from_query(params, s.plan, s.roster)
    assert problems == []
    assert back == w


def test_bad_link_people_are_dropped_one_by_one_with_a_plain_message() -> None:
    s = sample_scenario()
    n = len(s.roster)
    params = {
        "hire1": "65000,2027-02-01,Ops,w2,ft",
        "hire2": "lots,2027-02-01,Ops,w2,ft",
        "hire3": "65000,2027-02-31,Ops,w2,ft",
        "hire4": "65000,2027-02-01,Ops,intern,ft",
        "hire5": "65000,2027-02-01",
        "leave1": "2099-01-01",
        "leave2": "soon",
        f"leave{n + 1}": "2027-01-01",
        "leave3": "1900-01-01",  # before anyone's start
        "raise4": "-5",
        "raise6": "80000",
        "raise0": "80000",
    }
    w, problems = from_query(params, s.plan, s.roster)
    assert len(w.people.hires) == 1 and set(w.people.leavers) == {1}
    assert w.people.raises == {6: Decimal("80000")}
    assert len(problems) == 9, problems
    assert all(p.startswith("link setting ") and "ignored" in p for p in problems)
    assert any("no roster position" in p for p in problems)
    assert any("start date" in p for p in problems)


def test_people_changes_make_the_provenance_a_whatif_in_words() -> None:
    s = sample_scenario()
    q = _last_quarter(s)
    people = PeopleChanges(hires=(HIRE,), leavers={1: date(2027, 1, 1)},
                           raises={2: Decimal(1)})
    p = working(s, s.plan, {}, q, people)
    assert p.kind == "whatif" and not p.is_books
    assert "people changed: 1 hypothetical hire, 1 leaving, 1 raise" in p.detail
    assert working(s, s.plan, {}, q, PeopleChanges()).is_books


def test_the_payouts_table_flags_hypothetical_rows_only() -> None:
    s = sample_scenario()
    q = _last_quarter(s)
    plain = payouts_frame(compute_scenario(s, q))
    assert "hypothetical" not in plain.columns
    w = _whatif(s, PeopleChanges(hires=(HIRE,)))
    frame = payouts_frame(compute_scenario(w.apply(s), q))
    assert frame.columns[1] == "hypothetical"
    assert frame["hypothetical"].tolist() == [False] * len(s.roster) + [True]
    assert frame["name"].iloc[-1].startswith(HIRE_PREFIX)
    named = payouts_frame(compute_scenario(w.apply(s), q),
                          hypothetical=w.hypothetical_names(s.roster))
    assert named["hypothetical"].sum() == 1


def test_the_people_changes_must_fit_the_roster() -> None:
    s = sample_scenario()
    bad = PeopleChanges(leavers={len(s.roster) + 1: date(2027, 1, 1),
                                 1: date(1900, 1, 1)}, raises={0: Decimal(5)})
    assert len(bad.problems(s.roster)) == 3
    assert _whatif(s, bad).apply(s).roster == s.roster  # ignored, never half-applied


def _last_quarter(s: Scenario) -> Quarter:
    from tel.engine.ledger import booked_quarters
    return booked_quarters(s.months, s.plan.fiscal_year_start)[-1]
