"""The per-person payout table and its CSV: the merit weight in the plan's own unit, and the
performance, days and capped columns exactly when they carry information."""

from __future__ import annotations

import csv
import io
import math
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from tel.core.models import Month, Person, Plan
from tel.core.money import to_dollars
from tel.core.periods import Quarter
from tel.engine.quarter import QuarterResult, compute_quarter
from tel.render.tables import COLUMNS, payouts_csv, payouts_frame, weight_help

Q3 = Quarter(2026, 3)
LEGACY_COLUMNS = ["name", "department", "status", "months", "years", "merit_weight", "team",
                  "merit", "total", "pct_of_salary"]
LEGACY_CSV = ["quarter", "name", "department", "eligible", "reason", "months", "team", "merit",
              "total", "pct_of_salary"]

CREW = (
    Person(name="Ann Lee", salary=Decimal(96000), start_date=date(2020, 1, 1)),
    Person(name="Bo Chen", salary=Decimal(72000), start_date=date(2018, 6, 1)),
    Person(name="Cy Diaz", salary=Decimal(60000), start_date=date(2025, 11, 16)),
    Person(name="Di Roy", salary=Decimal(150000), start_date=date(2010, 1, 1)),
    Person(name="Flo Owner", salary=Decimal(200000), start_date=date(2005, 1, 1), owner=True),
)
MONTHS = [Month(year=2026, month=m, gp=Decimal(90000), cash_on_hand=Decimal(52000),
                ar_total=Decimal(320000), ar_90_plus=Decimal(24000)) for m in (7, 8, 9)]


def pay(plan: Plan, scores: dict[tuple[str, str], Decimal] | None = None) -> QuarterResult:
    return compute_quarter(plan, CREW, MONTHS, Q3, scores)


def plan_with(**variants: Any) -> Plan:
    return Plan.model_validate(variants)


def read(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_the_source_plan_keeps_the_tables_columns() -> None:
    r = pay(Plan())
    assert list(payouts_frame(r).columns) == LEGACY_COLUMNS
    assert list(payouts_frame(r, plan=Plan()).columns) == LEGACY_COLUMNS
    assert read(payouts_csv(r, plan=Plan()))[0] == LEGACY_CSV
    assert read(payouts_csv(r))[0] == LEGACY_CSV


def test_the_table_shows_the_performance_used_when_someone_is_not_at_one() -> None:
    r = pay(Plan(), scores={("Bo Chen", "2026-Q3"): Decimal("1.25")})
    frame = payouts_frame(r, plan=Plan())
    assert "performance" in frame.columns and "days" not in frame.columns
    assert frame.set_index("name").loc["Bo Chen", "performance"] == 1.25
    rows = read(payouts_csv(r, plan=Plan()))
    at = rows[0].index("performance")
    assert {row[1]: row[at] for row in rows[1:-1]}["Bo Chen"] == "1.25"
    assert {row[1]: row[at] for row in rows[1:-1]}["Ann Lee"] == "1"


def test_the_table_shows_days_counted_when_the_plan_prorates() -> None:
    plan = plan_with(partial="prorate")
    r = pay(plan)
    frame = payouts_frame(r, plan=plan).set_index("name")
    assert frame.loc["Cy Diaz", "days"] == 46 and frame.loc["Ann Lee", "days"] == 92
    # the merit weight per counted day, in dollar-years: $60,000 x 10/12 years
    assert frame.loc["Cy Diaz", "merit_weight"] == 50000
    rows = read(payouts_csv(r, plan=plan))
    assert rows[0][6] == "days"
    assert [row[6] for row in rows[1:-1]] == [str(p.days) for p in r.payouts]


def test_the_table_shows_capped_amounts_when_the_plan_caps_and_they_reconcile() -> None:
    plan = plan_with(caps={"max_pct_of_salary": 10})
    r = pay(plan)
    assert r.capped_to_house > 0
    frame = payouts_frame(r, plan=plan)
    assert list(frame.columns) == [c for c in COLUMNS if c not in ("performance", "days")]
    assert math.isclose(frame["capped"].sum(), r.capped_to_house / 100)
    rows = read(payouts_csv(r, plan=plan))
    head, total = rows[0], rows[-1]
    at = head.index("capped")
    assert head[at - 2:at + 2] == ["team", "merit", "capped", "total"]
    assert Decimal(total[at]) == to_dollars(r.capped_to_house)
    assert Decimal(total[head.index("total")]) == to_dollars(r.paid)
    assert r.paid + r.capped_to_house == r.paid_pool  # nobody undistributed here


def test_a_capping_plan_shows_the_capped_column_even_when_nobody_is_capped() -> None:
    plan = plan_with(caps={"max_pct_of_salary": 100})
    r = pay(plan)
    assert r.capped_to_house == 0
    assert "capped" in payouts_frame(r, plan=plan).columns


@pytest.mark.parametrize(("formula", "ann"), [
    ("salary_x_years", 640000),
    ("salary_x_capped_years", 480000),
    ("salary", 96000),
    ("years", 6.67),
    ("salary_x_log_years", round(96000 * math.log(1 + 80 / 12))),
])
def test_the_merit_weight_column_is_in_the_plans_formula_unit(formula: str, ann: float) -> None:
    plan = plan_with(merit={"formula": formula, "cap_years": 5})
    frame = payouts_frame(pay(plan), plan=plan).set_index("name")
    assert frame.loc["Ann Lee", "merit_weight"] == ann
    assert frame.loc["Flo Owner", "merit_weight"] == 0


def test_the_merit_weight_column_says_its_formula_and_unit() -> None:
    assert weight_help(Plan()) == "In dollar-years: salary x years of service x performance"
    assert weight_help(plan_with(merit={"formula": "years"}, partial="prorate")) == (
        "In years: years of service x performance, for each day counted; salary does not count")


def test_a_department_filter_keeps_the_extra_columns_and_the_total_row() -> None:
    plan = plan_with(partial="prorate", caps={"max_pct_of_salary": 10})
    r = compute_quarter(plan, [p.model_copy(update={"department": "Ops" if i % 2 else "Desk"})
                               for i, p in enumerate(CREW)], MONTHS, Q3)
    rows = read(payouts_csv(r, ["Ops"], plan))
    assert rows[0][6] == "days" and "capped" in rows[0]
    assert [row[1] for row in rows[1:]] == ["Bo Chen", "Di Roy", "TOTAL"]
