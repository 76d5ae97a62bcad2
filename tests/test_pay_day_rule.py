"""The pay-day rule ([calendar] pay_day_rule): a pay day on a Saturday or Sunday moves to the
previous business day by default (or the next, or stays with "exact"), everywhere the pay date
is used: eligibility, results, the plan file, the link, the documents and the command line."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import ValidationError

from tel.analysis.whatif import WhatIf, from_query, to_query
from tel.cli import format_quarter
from tel.core.models import STORED, Month, Person, Plan, Scenario
from tel.core.periods import Quarter
from tel.engine.quarter import compute_quarter
from tel.io.planfile import plan_from_toml, plan_to_toml
from tel.render.plandoc import plan_markdown
from tel.render.statement import statement_pdf
from tel.rules.eligibility import judge

ROOT = Path(__file__).resolve().parents[1]
Q3 = Quarter(2026, 3)  # paid on the 15th of November 2026: a Sunday
MONTHS = tuple(
    Month(year=2026, month=m, gp=Decimal(g), cash_on_hand=Decimal(52000),
          ar_total=Decimal(320000), ar_90_plus=Decimal(24000))
    for m, g in ((7, 69343), (8, 59343), (9, 73434))
)


def person(name: str, end: date | None = None) -> Person:
    return Person(name=name, salary=Decimal(60000), start_date=date(2020, 1, 1), end_date=end)


def test_the_default_rule_is_the_previous_business_day() -> None:
    assert Plan().pay_day_rule == "previous_business_day"
    assert Plan().pay_date(Q3) == date(2026, 11, 13)
    assert compute_quarter(Plan(), [person("Ann")], MONTHS, Q3).pay_date == date(2026, 11, 13)


@pytest.mark.parametrize(("rule", "paid"), [
    ("previous_business_day", date(2026, 11, 13)),
    ("next_business_day", date(2026, 11, 16)),
    ("exact", date(2026, 11, 15)),
])
def test_the_quarter_is_paid_on_the_date_the_rule_gives(rule: str, paid: date) -> None:
    plan = Plan(pay_day_rule=rule)
    assert compute_quarter(plan, [person("Ann")], MONTHS, Q3).pay_date == paid
    assert compute_quarter(plan, [person("Ann")], MONTHS, Q3).to_json_dict()["pay_date"] \
        == paid.isoformat()


def test_an_unknown_rule_is_refused() -> None:
    with pytest.raises(ValidationError):
        Plan(pay_day_rule="nearest_business_day")


def test_left_before_pay_date_is_judged_on_the_moved_date() -> None:
    roster = [person("Ann"), person("Leaves Friday", date(2026, 11, 13)),
              person("Leaves Thursday", date(2026, 11, 12)),
              person("Leaves Saturday", date(2026, 11, 14))]
    before = compute_quarter(Plan(), roster, MONTHS, Q3)  # paid Friday 13th
    assert [p.reason for p in before.payouts] == ["", "", "left before pay date", ""]
    exact = compute_quarter(Plan(pay_day_rule="exact"), roster, MONTHS, Q3)  # Sunday 15th
    assert [p.eligible for p in exact.payouts] == [True, False, False, False]
    after = compute_quarter(Plan(pay_day_rule="next_business_day"), roster, MONTHS, Q3)
    assert [p.eligible for p in after.payouts] == [True, False, False, False]
    assert judge(roster[1], Q3.last_day(), Plan().pay_date(Q3), 9).eligible


def test_the_plan_file_reads_and_writes_the_rule_in_the_calendar_section() -> None:
    base = (ROOT / "sample_data" / "plan.toml").read_text(encoding="utf-8")
    assert plan_from_toml(base).unwrap().pay_day_rule == "previous_business_day"  # left out
    text = base.replace("pay_day = 15\n", 'pay_day = 15\npay_day_rule = "next_business_day"\n')
    plan = plan_from_toml(text).unwrap()
    assert plan.pay_day_rule == "next_business_day"
    written = plan_to_toml(plan)
    assert 'pay_day_rule = "next_business_day"' in written.split("[calendar]")[1]
    assert plan_from_toml(written).unwrap() == plan
    assert plan_to_toml(plan_from_toml(written).unwrap()) == written


@pytest.mark.parametrize(("value", "words"), [
    ('"nearest"', "'nearest' is not a pay-day rule"),
    ("1", "is a number, not a pay-day rule"),
])
def test_a_bad_rule_in_the_plan_file_names_the_choices(value: str, words: str) -> None:
    base = (ROOT / "sample_data" / "plan.toml").read_text(encoding="utf-8")
    text = base.replace("pay_day = 15\n", f"pay_day = 15\npay_day_rule = {value}\n")
    loaded = plan_from_toml(text)
    assert loaded.value is None
    [problem] = [p for p in loaded.problems if p.is_error]
    assert problem.column == "[calendar] pay_day_rule" and problem.line is not None
    assert words in problem.message
    for choice in ("previous_business_day", "next_business_day", "exact"):
        assert choice in problem.message


def test_the_rule_travels_in_a_what_if_link() -> None:
    w = WhatIf(plan=Plan(pay_day_rule="exact"))
    params = to_query(w, Plan())
    assert params == {"pay_day_rule": "exact"}
    back, problems = from_query(params, Plan())
    assert back.plan.pay_day_rule == "exact" and problems == []
    _, problems = from_query({"pay_day_rule": "sometimes"}, Plan())
    assert problems == ["link setting pay_day_rule='sometimes' ignored: expected one of "
                        "previous_business_day, next_business_day, exact"]


def test_a_moved_pay_date_says_why_in_the_plan_document() -> None:
    md = plan_markdown(Plan(), fiscal_year=2026)
    assert ("| 2026-Q3 | July to September 2026 | 13 November 2026 (the 15th is a Sunday; moved "
            "to the previous business day) |") in md
    assert "| 2026-Q4 | October to December 2026 | 15 February 2027 |" in md
    assert "Saturday or Sunday" in md and "previous business day" in md
    exact = plan_markdown(Plan(pay_day_rule="exact"), fiscal_year=2026)
    assert "| 2026-Q3 | July to September 2026 | 15 November 2026 |" in exact


def test_the_statement_says_when_and_why_the_pay_date_moved() -> None:
    r = compute_quarter(Plan(), [person("Ann")], MONTHS, Q3)
    pdf = statement_pdf(r, "Ann", plan=Plan(), compress=False).decode("latin-1")
    text = pdf.replace("\\(", "(").replace("\\)", ")")  # PDF string escapes
    assert "Paid on 13 November 2026 (the 15th is a Sunday; moved to the previous" in text
    # a plan that does not give the result's pay date (e.g. an approval stored before the
    # rule, read without its stored context) adds no reason that would contradict the date
    old = r.model_copy(update={"pay_date": date(2026, 11, 15)})
    pdf = statement_pdf(old, "Ann", plan=Plan(), compress=False).decode("latin-1")
    assert "Paid on 15 November 2026." in pdf


def test_the_command_line_table_says_why_the_pay_date_moved() -> None:
    r = compute_quarter(Plan(), [person("Ann")], MONTHS, Q3)
    first = format_quarter(r, Plan()).splitlines()[0]
    assert first == ("TEL bonus for 2026-Q3, paid 2026-11-13 (the 15th is a Sunday; moved to "
                     "the previous business day)")
    r = compute_quarter(Plan(pay_day_rule="exact"), [person("Ann")], MONTHS, Q3)
    assert format_quarter(r, Plan(pay_day_rule="exact")).splitlines()[0] \
        == "TEL bonus for 2026-Q3, paid 2026-11-15"


def test_a_scenario_stored_before_the_rule_existed_keeps_its_exact_pay_date() -> None:
    scenario = Scenario(plan=Plan(), months=MONTHS, roster=(person("Ann"),))
    doc = json.loads(scenario.model_dump_json())
    del doc["plan"]["pay_day_rule"]  # as saved or approved before the rule
    old = json.dumps(doc)
    assert Scenario.model_validate_json(old, context=STORED).plan.pay_day_rule == "exact"
    assert Scenario.model_validate_json(old).plan.pay_day_rule == "previous_business_day"
    kept = Scenario.model_validate_json(scenario.model_dump_json(), context=STORED)
    assert kept.plan.pay_day_rule == "previous_business_day"


def test_the_plan_gives_the_pay_date_text_pages_show() -> None:
    assert Plan().pay_date_text(Q3) == ("Friday 13 November 2026 (the 15th is a Sunday; moved "
                                        "to the previous business day)")
    assert Plan(pay_day_rule="exact").pay_date_text(Q3) == "Sunday 15 November 2026"
    assert Plan().pay_day_words() == ("day 15 of the second month after the quarter, or the "
                                      "business day before it when that is a Saturday or Sunday")
    assert Plan(pay_day=1, pay_day_rule="next_business_day").pay_day_words() == (
        "day 1 of the second month after the quarter, or the business day after it when that "
        "is a Saturday or Sunday")
    assert Plan(pay_day_rule="exact").pay_day_words() == (
        "day 15 of the second month after the quarter, even on a Saturday or Sunday")


# --------------------------------------------------------------------------- the Plan page


def test_the_plan_page_sets_the_rule_and_shows_the_moved_date_and_why() -> None:
    from apptest_support import open_app

    at = open_app("pages/plan.py", query={"q": "2026-Q3"})
    rule = at.selectbox(key="knob.pay_day_rule")
    assert rule.value == "previous_business_day"
    shown = "\n".join(c.value for c in at.caption)
    assert ("2026-Q3 is paid on Friday 13 November 2026 (the 15th is a Sunday; moved to the "
            "previous business day)") in shown
    rule.set_value("next_business_day").run()
    assert not at.exception
    assert at.session_state["tel.analysis.whatif"].plan.pay_day_rule == "next_business_day"
    assert at.query_params["pay_day_rule"] == "next_business_day"  # the link keeps it
    shown = "\n".join(c.value for c in at.caption)
    assert "Monday 16 November 2026 (the 15th is a Sunday; moved to the next business day)" \
        in shown


MOVED = "(the 15th is a Sunday; moved to the previous business day)"


def test_the_owner_pages_caption_says_why_the_pay_date_moved() -> None:
    from apptest_support import open_app

    for page in ("pages/payouts.py", "pages/sensitivity.py", "pages/scenarios.py"):
        at = open_app(page, query={"q": "2026-Q3"})
        assert any(f"paid on Friday 13 November 2026 {MOVED}" in c.value for c in at.caption), page
    at = open_app("pages/payouts.py", query={"q": "2026-Q3", "pay_day_rule": "exact"})
    caption = next(c.value for c in at.caption if "paid on" in c.value)
    assert caption.endswith("paid on Sunday 15 November 2026")


def test_the_pot_says_why_the_pay_date_moved(monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("TEL_AUDIENCE", "team")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("pages/pot.py")
    at.run()
    at.selectbox(key="team.quarter_pick").set_value("2026-Q3").run()
    assert not at.exception
    assert any(f"**Friday 13 November 2026** {MOVED}" in m.value for m in at.markdown)
    at.switch_page("pages/estimate.py").run()
    assert any("or the business day before it when that is a Saturday or Sunday" in c.value
               for c in at.caption)
