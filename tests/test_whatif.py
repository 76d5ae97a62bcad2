"""The what-if link: every plan setting by its one name in tel.core.policy.FIELDS, nested
variants included, there and back; a bad value dropped and described, the others kept."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tel.analysis.whatif import (
    PLAN_FIELDS,
    WhatIf,
    from_query,
    setting_changes,
    to_query,
    with_values,
)
from tel.core.models import Plan
from tel.core.policy import (
    BY_NAME,
    FIELDS,
    VARIANTS,
    Merit,
    Netting,
    PlanField,
    Shadow,
    value_of,
)


def other_values(f: PlanField) -> list[object]:
    """Values of a setting other than its default, inside its range."""
    default = value_of(Plan(), f)
    if f.kind == "choice":
        return [w for w, _ in f.choices if w != default]
    if f.kind == "whole":
        return [int(f.lo) if default != int(f.lo) else int(f.hi)]
    if f.kind == "quarter":
        return ["2026-Q1"]
    return [Decimal("7.65") if f.kind == "percent" else Decimal("12.5")]


CASES = [(f, v) for f in VARIANTS for v in other_values(f)]


def test_every_plan_setting_has_one_link_name() -> None:
    assert tuple(f.name for f in FIELDS) == PLAN_FIELDS
    assert len(set(PLAN_FIELDS)) == len(PLAN_FIELDS)
    assert {"netting", "gate_failure", "holdback_pct", "merit_formula", "cap_years",
            "employer_pct", "max_pct_of_salary", "min_house", "partial"} <= set(PLAN_FIELDS)


@pytest.mark.parametrize(("field", "value"), CASES, ids=[f"{f.name}={v}" for f, v in CASES])
def test_every_variant_travels_in_a_link_and_back(field: PlanField, value: object) -> None:
    # quarters in shadow need the first one: it is in the loaded plan here
    base = Plan(shadow=Shadow(start="2026-Q1")) if field.name == "shadow_quarters" else Plan()
    plan = with_values(base, {field.name: value})
    assert value_of(plan, field) == value
    params = to_query(WhatIf(plan=plan), base)
    assert params == {field.name: str(value)}
    back, problems = from_query(params, base)
    assert problems == [] and back.plan == plan


def test_every_variant_at_once_travels_and_the_link_reads_in_plain_names() -> None:
    values = {f.name: other_values(f)[0] for f in VARIANTS}
    plan = with_values(Plan(house_pct=Decimal(30)), values)
    params = to_query(WhatIf(plan=plan, quarter="2026-Q3"), Plan())
    assert params["netting"] == "monthly_floor" and params["gate_failure"] == "defer"
    assert params["holdback_pct"] == "7.65" and params["house_pct"] == "30"
    assert not any("." in key for key in params)  # never netting.mode
    back, problems = from_query(params, Plan())
    assert problems == [] and back.plan == plan and back.quarter == "2026-Q3"


def test_the_question_in_the_issue_reads_as_it_should() -> None:
    w, problems = from_query({"netting": "monthly_floor", "holdback_pct": "10"}, Plan())
    assert problems == []
    assert w.plan.netting == Netting(mode="monthly_floor")
    assert w.plan.reserve.holdback_pct == Decimal(10)


def test_one_nested_setting_keeps_the_other_keys_of_its_section() -> None:
    base = Plan(merit=Merit(formula="salary_x_capped_years", cap_years=Decimal(5)))
    w, problems = from_query({"cap_years": "8"}, base)
    assert problems == []
    assert w.plan.merit == Merit(formula="salary_x_capped_years", cap_years=Decimal(8))
    assert to_query(w, base) == {"cap_years": "8"}


def test_a_setting_back_at_the_default_is_in_the_link_when_the_loaded_plan_differs() -> None:
    base = Plan(netting=Netting(mode="carry_forward"))
    assert to_query(WhatIf(plan=Plan()), base) == {"netting": "quarter"}
    assert to_query(WhatIf(plan=base), base) == {}


@pytest.mark.parametrize(("name", "raw", "why"), [
    ("netting", "weekly", "expected one of quarter, monthly_floor, carry_forward"),
    ("gate_failure", "later", "expected one of forfeit, defer"),
    ("merit_formula", "salary_x_age", "expected one of salary_x_years, salary_x_log_years, "
     "salary_x_capped_years, salary, years"),
    ("partial", "some", "expected one of none, prorate"),
    ("holdback_pct", "120", "out of range"),
    ("employer_pct", "lots", "not a number"),
    ("cap_years", "0", "out of range"),
    ("max_pct_of_salary", "-1", "out of range"),
    ("min_house", "-5", "out of range"),
])
def test_a_bad_variant_in_a_link_is_dropped_and_described_the_others_kept(
    name: str, raw: str, why: str
) -> None:
    w, problems = from_query({name: raw, "netting" if name != "netting" else "house_pct":
                              "monthly_floor" if name != "netting" else "30"}, Plan())
    assert problems == [f"link setting {name}={raw!r} ignored: {why}"]
    assert value_of(w.plan, BY_NAME[name]) == value_of(Plan(), BY_NAME[name])
    if name != "netting":
        assert w.plan.netting.mode == "monthly_floor"
    else:
        assert w.plan.house_pct == Decimal(30)


def test_a_long_bad_value_is_quoted_short() -> None:
    _, problems = from_query({"netting": "x" * 500}, Plan())
    assert problems == [f"link setting netting={'x' * 40!r} ignored: expected one of quarter, "
                        "monthly_floor, carry_forward"]


def test_with_values_validates_the_whole_plan() -> None:
    with pytest.raises(ValueError):
        with_values(Plan(), {"netting": "weekly"})
    with pytest.raises(KeyError):
        with_values(Plan(), {"no_such_setting": 1})
    assert with_values(Plan(), {}) == Plan()


def test_setting_changes_name_each_setting_by_its_link_name() -> None:
    plan = with_values(Plan(), {"netting": "carry_forward", "employer_pct": Decimal("7.65")})
    assert setting_changes(plan, Plan()) == ["netting carry_forward (loaded quarter)",
                                             "employer_pct 7.65 (loaded 0)"]
