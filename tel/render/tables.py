"""Per-person payout tables: one builder for the screen and the CSV download."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from tel.core.money import Cents, to_dollars
from tel.engine.quarter import QuarterResult
from tel.io.exports import csv_bytes
from tel.rules.weights import PERF_SCALE

# weight units are salary cents x months x performance x PERF_SCALE; dollar-years divide that out
_UNITS_PER_DOLLAR_YEAR = 100 * 12 * PERF_SCALE

COLUMNS = ("name", "department", "status", "months", "years", "merit_weight", "team", "merit",
           "total", "pct_of_salary")


def dollar_years(units: int) -> Decimal:
    """Weight units -> salary x years x performance in dollar-years (display only).

    >>> dollar_years(9600000 * 30 * 10000)
    Decimal('240000')
    """
    return (Decimal(units) / _UNITS_PER_DOLLAR_YEAR).quantize(Decimal(1))


def pct_of_salary(total: Cents, salary: Cents) -> Decimal:
    return (Decimal(total) * 100 / salary).quantize(Decimal("0.01")) if salary else Decimal(0)


def payouts_frame(result: QuarterResult, departments: list[str] | None = None) -> pd.DataFrame:
    """Everyone on the roster in roster order; money as float dollars for display only (the
    exact figures are in the result and in ``payouts_csv``)."""
    rows = [
        {
            "name": p.name,
            "department": p.department,
            "status": "eligible" if p.eligible else p.reason,
            "months": p.months,
            "years": round(p.months / 12, 2),
            "merit_weight": float(dollar_years(p.weight)),  # float ok: display
            "team": p.team / 100,
            "merit": p.merit / 100,
            "total": p.total / 100,
            "pct_of_salary": float(pct_of_salary(p.total, p.salary)),  # float ok: display
        }
        for p in result.payouts
        if departments is None or p.department in departments
    ]
    return pd.DataFrame(rows, columns=list(COLUMNS))


def payouts_csv(result: QuarterResult, departments: list[str] | None = None) -> bytes:
    """The per-person table as CSV with exact decimal amounts and a reconciling total row.

    Written by :func:`tel.io.exports.csv_bytes`: UTF-8 with a BOM for Excel, every text cell
    neutralised against spreadsheet formulas.
    """
    rows: list[list[str | int | Decimal]] = [
        ["quarter", "name", "department", "eligible", "reason", "months", "team", "merit",
         "total", "pct_of_salary"]
    ]
    team = merit = 0
    for p in result.payouts:
        if departments is not None and p.department not in departments:
            continue
        team, merit = team + p.team, merit + p.merit
        rows.append([result.quarter, p.name, p.department, "yes" if p.eligible else "no",
                     p.reason, p.months, to_dollars(p.team), to_dollars(p.merit),
                     to_dollars(p.total), pct_of_salary(p.total, p.salary)])
    rows.append([result.quarter, "TOTAL", "", "", "", "", to_dollars(team), to_dollars(merit),
                 to_dollars(team + merit), ""])
    return csv_bytes(rows)
