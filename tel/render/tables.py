"""Per-person payout tables: one builder for the screen and the CSV download.

The merit weight is shown in the plan's own unit (dollar-years, dollars or years: spec
section 11), per counted day when the plan prorates. Columns that only some plans fill come
and go with them: ``performance`` when anyone's multiplier is not 1, ``days`` when the plan
prorates, ``capped`` when it caps checks; ``employee_id`` (after the name) when the roster
gives anyone listed an id.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from decimal import Decimal

import pandas as pd

from tel.core.models import HIRE_PREFIX, Plan
from tel.core.money import Cents, to_dollars
from tel.core.policy import Merit
from tel.engine.quarter import Payout, QuarterResult
from tel.io.exports import csv_bytes
from tel.render.statement import formula_words, performance_used, weight_value
from tel.rules.weights import PERF_SCALE, SOURCE_MERIT, WEIGHT_UNITS

# weight units are salary cents x months x performance x PERF_SCALE; dollar-years divide that out
_UNITS_PER_DOLLAR_YEAR = 100 * 12 * PERF_SCALE

COLUMNS = ("name", "department", "status", "months", "years", "performance", "days",
           "merit_weight", "team", "merit", "capped", "total", "pct_of_salary")
"""Every column :func:`payouts_frame` may have, in order; ``performance``, ``days`` and
``capped`` only when they carry information (:func:`extra_columns`); ``employee_id`` is not one
of them: it comes after ``name`` when the roster has ids (:data:`ID_COLUMN`)."""
ID_COLUMN = "employee_id"


def dollar_years(units: int) -> Decimal:
    """Weight units -> salary x years x performance in dollar-years (the source's formula,
    display only).

    >>> dollar_years(9600000 * 30 * 10000)
    Decimal('240000')
    """
    return (Decimal(units) / _UNITS_PER_DOLLAR_YEAR).quantize(Decimal(1))


def merit_weight(p: Payout, merit: Merit = SOURCE_MERIT) -> Decimal:
    """``p``'s merit weight in the formula's own unit, per counted day when prorated
    (:func:`tel.render.statement.weight_value`; display only)."""
    return weight_value(p, merit)


def weight_help(plan: Plan) -> str:
    """What the merit weight column holds, in words (for its header's help).

    >>> weight_help(Plan())
    'In dollar-years: salary x years of service x performance'
    """
    merit = plan.merit
    text = formula_words(merit, prorate=plan.partial == "prorate")
    return f"In {WEIGHT_UNITS[merit.formula]}: {text}"


def extra_columns(result: QuarterResult, plan: Plan | None = None) -> tuple[str, ...]:
    """Which of ``performance``, ``days`` and ``capped`` carry information for this result:
    a multiplier other than 1; a prorating plan; a capping plan. Without the plan, what the
    result itself shows (someone's days counted, someone capped)."""
    out: list[str] = []
    merit = plan.merit if plan is not None else SOURCE_MERIT
    if any(performance_used(p, merit) != 1 for p in result.payouts if p.eligible):
        out.append("performance")
    if (plan.partial == "prorate" if plan is not None
            else any(p.days for p in result.payouts)):
        out.append("days")
    if (plan.caps.max_pct_of_salary > 0 if plan is not None
            else any(p.capped for p in result.payouts)):
        out.append("capped")
    return tuple(out)


def _plain(value: Decimal) -> Decimal:
    """Without needless zeros or an exponent: 1.2000 -> 1.2, 100.0000 -> 100."""
    return Decimal(f"{value.normalize():f}")


def pct_of_salary(total: Cents, salary: Cents) -> Decimal:
    return (Decimal(total) * 100 / salary).quantize(Decimal("0.01")) if salary else Decimal(0)


def _with_ids(result: QuarterResult, departments: list[str] | None,
              employee_ids: Mapping[str, str] | None) -> bool:
    if not employee_ids:
        return False
    return any(p.name in employee_ids for p in result.payouts
               if departments is None or p.department in departments)


def payouts_frame(result: QuarterResult, departments: list[str] | None = None,
                  plan: Plan | None = None, *,
                  employee_ids: Mapping[str, str] | None = None,
                  hypothetical: Collection[str] | None = None) -> pd.DataFrame:
    """Everyone on the roster in roster order; money as float dollars for display only (the
    exact figures are in the result and in ``payouts_csv``).

    ``plan`` is the plan the result was paid under: it gives the merit weight's formula (the
    source's, salary x years, without it) and whether to show days counted and capped
    amounts (see :func:`extra_columns`). ``employee_ids`` (name -> id, e.g.
    :func:`tel.io.exports.employee_ids` of the roster) adds an ``employee_id`` column after
    the name when anyone listed has one. A ``hypothetical`` column (True for a person of the
    people what-if) comes first after the name when anyone is: ``hypothetical`` names them,
    or without it every name starting :data:`tel.analysis.whatif.HIRE_PREFIX` is."""
    merit = plan.merit if plan is not None else SOURCE_MERIT
    extra = extra_columns(result, plan)
    ids = employee_ids or {}
    rows = [
        {
            "name": p.name,
            ID_COLUMN: ids.get(p.name, ""),
            "department": p.department,
            "status": "eligible" if p.eligible else p.reason,
            "months": p.months,
            "years": round(p.months / 12, 2),
            "performance": float(performance_used(p, merit)),  # float ok: display
            "days": p.days,
            "merit_weight": float(merit_weight(p, merit)),  # float ok: display
            "team": p.team / 100,
            "merit": p.merit / 100,
            "capped": p.capped / 100,
            "total": p.total / 100,
            "pct_of_salary": float(pct_of_salary(p.total, p.salary)),  # float ok: display
        }
        for p in result.payouts
        if departments is None or p.department in departments
    ]
    columns = [c for c in COLUMNS
               if c not in ("performance", "days", "capped") or c in extra]
    if _with_ids(result, departments, employee_ids):
        columns.insert(1, ID_COLUMN)
    frame = pd.DataFrame(rows, columns=columns)
    flags = [p.name in hypothetical if hypothetical is not None
             else p.name.startswith(HIRE_PREFIX + " ")
             for p in result.payouts if departments is None or p.department in departments]
    if any(flags):
        frame.insert(1, "hypothetical", flags)
    return frame


def payouts_csv(result: QuarterResult, departments: list[str] | None = None,
                plan: Plan | None = None, *,
                employee_ids: Mapping[str, str] | None = None) -> bytes:
    """The per-person table as CSV with exact decimal amounts and a reconciling total row;
    ``performance``, ``days``, ``capped`` and ``employee_id`` columns as in
    :func:`payouts_frame`.

    Written by :func:`tel.io.exports.csv_bytes`: UTF-8 with a BOM for Excel, every text cell
    neutralised against spreadsheet formulas.
    """
    merit_rule = plan.merit if plan is not None else SOURCE_MERIT
    extra = extra_columns(result, plan)
    perf, days, capped = ("performance" in extra, "days" in extra, "capped" in extra)
    ids = employee_ids or {}
    with_ids = _with_ids(result, departments, employee_ids)
    head: list[str | int | Decimal] = ["quarter", "name", *[ID_COLUMN] * with_ids,
                                       "department", "eligible", "reason", "months"]
    head += ["performance"] * perf + ["days"] * days + ["team", "merit"]
    head += ["capped"] * capped + ["total", "pct_of_salary"]
    rows: list[list[str | int | Decimal]] = [head]
    if result.shadow:  # what the plan would pay, never paid: said before any figure
        rows.insert(0, [f"SHADOW: {result.quarter} is what the plan would pay, not paid - "
                        "do not pay from this file"])
    team = merit = cut = 0
    for p in result.payouts:
        if departments is not None and p.department not in departments:
            continue
        team, merit, cut = team + p.team, merit + p.merit, cut + p.capped
        row: list[str | int | Decimal] = [result.quarter, p.name,
                                          *[ids.get(p.name, "")] * with_ids, p.department,
                                          "yes" if p.eligible else "no", p.reason, p.months]
        row += [_plain(performance_used(p, merit_rule))] * perf + [p.days] * days
        row += [to_dollars(p.team), to_dollars(p.merit)] + [to_dollars(p.capped)] * capped
        row += [to_dollars(p.total), pct_of_salary(p.total, p.salary)]
        rows.append(row)
    total: list[str | int | Decimal] = [result.quarter, "TOTAL", *[""] * with_ids,
                                        "", "", "", ""]
    total += [""] * perf + [""] * days + [to_dollars(team), to_dollars(merit)]
    total += [to_dollars(cut)] * capped + [to_dollars(team + merit), ""]
    rows.append(total)
    return csv_bytes(rows)
