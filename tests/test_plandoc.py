"""The plan document explains every design choice of the plan in plain words, and its worked
example is computed under the plan's own variants."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tel.core.models import Plan
from tel.core.money import format_money
from tel.core.policy import VARIANTS, PlanField, value_of
from tel.render.plandoc import example_quarter, plan_markdown, plan_pdf
from tel.render.statement import formula_words, percent_text

EVERYTHING: dict[str, Any] = {
    "partial": "prorate",
    "merit": {"formula": "salary_x_capped_years", "cap_years": 5},
    "caps": {"max_pct_of_salary": 2},
    "payroll_tax": {"employer_pct": "7.65"},
    "reserve": {"holdback_pct": 10},
    "gate_failure": {"policy": "defer"},
    "netting": {"mode": "monthly_floor"},
    "min_house": 1000,
    "shadow": {"start": "2026-Q1", "quarters": 2},
}
ONE_EACH: dict[str, dict[str, Any]] = {
    "min_house": {"min_house": 2500},
    "partial": {"partial": "prorate"},
    "netting": {"netting": {"mode": "carry_forward"}},
    "gate_failure": {"gate_failure": {"policy": "defer"}},
    "holdback_pct": {"reserve": {"holdback_pct": 20}},
    "merit_formula": {"merit": {"formula": "salary_x_log_years"}},
    "cap_years": {"merit": {"formula": "salary_x_capped_years", "cap_years": 7}},
    "employer_pct": {"payroll_tax": {"employer_pct": "7.65"}},
    "max_pct_of_salary": {"caps": {"max_pct_of_salary": 4}},
    "shadow_quarters": {"shadow": {"start": "2026-Q3", "quarters": 1}},
}
ONLY_WITH_ANOTHER = ("cap_years", "shadow_start")  # described with their formula or quarters


def plan_with(**variants: Any) -> Plan:
    return Plan.model_validate(variants)


def document(plan: Plan) -> str:
    """The Markdown with its escapes taken out, as a person reads it."""
    return plan_markdown(plan, fiscal_year=2026).replace("\\", "")


def section(md: str, number: int) -> str:
    start = md.index(f"## {number}. ")
    end = md.find(f"## {number + 1}. ", start)
    return md[start:end if end >= 0 else None]


def chosen_words(plan: Plan, field: PlanField) -> str:
    value = value_of(plan, field)
    if field.kind == "choice":
        return dict(field.choices)[str(value)]
    if field.kind == "quarter":
        return str(value)
    if field.name == "shadow_quarters":
        return (f"{value} (what the plan would pay in {plan.shadow.words()}: not paid; it pays "
                f"from {plan.shadow.first_live})")
    assert isinstance(value, Decimal)
    if field.kind == "money":
        return format_money(int(value * 100))
    if field.kind == "decimal":
        return f"{value.normalize():f} years"
    return percent_text(value)


def test_plan_document_explains_every_chosen_variant() -> None:
    plan = plan_with(**EVERYTHING)
    choices = section(document(plan), 6)
    assert "Where this plan differs from the source's plan:" in choices
    for field in VARIANTS:
        line = f"- {field.label}: {chosen_words(plan, field)}. {field.what}"
        assert line in choices, line
        if field.why:
            assert f"Why: {field.why}" in choices
    assert "Everything else" not in choices  # every choice differs


@pytest.mark.parametrize("name", list(ONE_EACH))
def test_plan_document_explains_a_single_chosen_variant_and_the_defaults_briefly(
    name: str,
) -> None:
    plan = plan_with(**ONE_EACH[name])
    choices = section(document(plan), 6)
    chosen = {f.name for f in VARIANTS if value_of(plan, f) != value_of(Plan(), f)}
    if plan.merit.formula == "salary_x_capped_years":
        chosen.add("cap_years")
    for field in VARIANTS:
        if field.name in chosen:
            assert f"- {field.label}: {chosen_words(plan, field)}. {field.what}" in choices
        elif field.name not in ONLY_WITH_ANOTHER:
            assert f"{field.label.lower()}: " in choices
            assert field.what not in choices  # the defaults briefly, not at length


def test_plan_document_of_the_source_plan_lists_every_design_choice_briefly() -> None:
    choices = section(document(Plan()), 6)
    assert "Where this plan differs" not in choices
    assert "Every design choice is as in the source's plan:" in choices
    for field in VARIANTS:
        if field.name not in ONLY_WITH_ANOTHER:
            assert f"{field.label.lower()}: " in choices
    assert "new starters and leavers: all or nothing" in choices
    assert "cap on a quarter's check (% of annual salary): no cap" in choices


@pytest.mark.parametrize("formula", ["salary_x_years", "salary_x_log_years",
                                     "salary_x_capped_years", "salary", "years"])
def test_plan_document_states_the_merit_formula_in_words(formula: str) -> None:
    plan = plan_with(merit={"formula": formula, "cap_years": 6})
    md = document(plan)
    assert f"merit weight = {formula_words(plan.merit)}." in section(md, 2)


def test_plan_document_says_what_a_failed_gate_does_under_the_plan() -> None:
    assert "The quarter's staff pool goes back to the house." in section(document(Plan()), 3)
    deferred = section(document(plan_with(gate_failure={"policy": "defer"})), 3)
    assert "it is held and paid with the next quarter whose gates pass" in deferred


def test_plan_document_says_how_weak_months_count_under_the_plan() -> None:
    assert "a weak month is made up by strong ones in the same quarter" in section(
        document(Plan()), 1)
    floor = section(document(plan_with(netting={"mode": "monthly_floor"})), 1)
    assert "A month below Min GP counts as zero" in floor
    carry = section(document(plan_with(netting={"mode": "carry_forward"})), 1)
    assert "carries its shortfall to the next quarters of the same fiscal year" in carry


def test_plan_document_describes_proration_in_who_is_eligible() -> None:
    who = section(document(plan_with(partial="prorate")), 4)
    assert "a day of the quarter counts once the person has 9 completed months" in who
    assert "still employed on the pay date" not in who
    assert "still employed on the pay date" in section(document(Plan()), 4)


def test_plan_document_worked_example_follows_the_plans_variants() -> None:
    plan = plan_with(**EVERYTHING)
    _, _, people, r = example_quarter(plan, 2026)
    assert r.gates.passed and r.held_back and r.employer_tax and r.capped_to_house
    example = section(document(plan), 7)
    for label, amount in (("Held back for the reserve (10%", r.held_back),
                          ("Employer payroll tax (7.65%", r.employer_tax),
                          ("Paid out in checks", r.paid_pool),
                          ("Team pool (50% of what is paid out)", r.team_pool),
                          ("Over the cap (2% of salary)", r.capped_to_house),
                          ("House (25%, at least $1,000.00)", r.house)):
        assert label in example and format_money(amount) in example
    # where the staff pool went, to the cent
    assert r.paid + r.held_back + r.employer_tax + r.capped_to_house == r.staff_pool
    assert (f"The checks add up to {format_money(r.paid)}; with {format_money(r.held_back)} "
            f"held back for the reserve, {format_money(r.employer_tax)} employer payroll tax, "
            f"{format_money(r.capped_to_house)} over the cap, back to the house, that is the "
            f"staff pool of {format_money(r.staff_pool)}.") in example
    for person, p in zip(people, r.payouts, strict=True):
        assert f"| {person.name} |" in example and format_money(p.total) in example
        assert format_money(p.capped) in example


def test_plan_document_worked_example_prorates_the_newest_person() -> None:
    plan = plan_with(partial="prorate")
    r = example_quarter(plan, 2026)[3]
    newest = r.payouts[-1]
    assert newest.eligible and 0 < newest.days < 90  # 2026-Q1 has 90 days
    example = section(document(plan), 7)
    assert f"| {newest.days} of 90 |" in example
    assert "completes 9 months of service on 15 February 2026" in example
    assert "Merit weight (dollar-years a day)" in example


def test_plan_document_worked_example_shows_merit_weights_in_the_formulas_unit() -> None:
    example = section(document(plan_with(merit={"formula": "salary"})), 7)
    assert "Merit weight (dollars)" in example and "| 42,000 |" in example
    source = section(document(Plan()), 7)
    assert "Merit weight (dollar-years)" in source and "| 420,000 |" in source


def test_plan_document_with_every_variant_comes_as_pdf_too() -> None:
    plan = plan_with(**EVERYTHING)
    pdf = plan_pdf(plan, company="Acme", fiscal_year=2026, compress=False)
    assert pdf.startswith(b"%PDF")
    assert b"design choices" in pdf
