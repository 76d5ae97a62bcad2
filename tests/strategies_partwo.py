"""Hypothesis strategies for whole TEL cases across fiscal years, with the plan variants of
spec part two (sections 9-13), and writers for the four input files.

Everything is drawn as the plain values the files hold (strings and ``Decimal``), so the same
case feeds both the ``tel`` command line (through the files) and ``reference_model`` (directly).
Nothing here imports ``tel``.

Sizes stay small (3-25 people, at most 3 fiscal years) so 60 examples run in a few seconds.
"""

from __future__ import annotations

import calendar
import csv
import json
import os
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import strategies as st


def examples(default: int) -> int:
    """Hypothesis examples for an expensive property: ``default`` (what CI runs) scaled by the
    Hypothesis profile, and by ``TEL_EXAMPLES_SCALE`` (1 unless set) for a long soak.

    The profile's scale is its ``max_examples`` over Hypothesis's 100: the ``dev`` profile
    (tests/conftest.py, the default) runs half, ``ci`` all, ``soak`` ten times as many. A
    property never drops below 10 examples (or its ``default``, if smaller) this way."""
    from hypothesis import settings

    base = settings.default.max_examples if settings.default is not None else 100
    scale = base / 100 * float(os.environ.get("TEL_EXAMPLES_SCALE", "1"))
    return max(min(default, 10), round(default * scale))


FISCAL_YEAR = 2026  # the year the property tests ask for; every case books some of it

FIRST_NAMES = [
    "Ann", "Bob", "Cat", "Dan", "Eve", "Fay", "Gus", "Hal", "Ida", "Jon", "Kim", "Lee", "Max",
    "Ned", "Ola", "Pat", "Quin", "Ray", "Sue", "Tom", "Uma", "Val", "Wes", "Xia", "Yan", "Zoe",
    "Abe", "Bea", "Cy", "Di",
]
LAST_NAMES = ["Landry", "Guidry", "Hebert", "Dupre", "Ardoin", "Boudreaux"]

ROSTER_COLUMNS = [
    "name", "salary", "start_date", "end_date", "employment", "full_time", "owner",
    "performance", "department",
]
MONTHS_COLUMNS = ["month", "gp", "cash_on_hand", "ar_total", "ar_90_plus"]
SCORES_COLUMNS = ["name", "quarter", "performance"]

MERIT_FORMULAS = [
    "salary_x_years", "salary_x_log_years", "salary_x_capped_years", "salary", "years",
]


# --- small values ------------------------------------------------------------------------------


def dollars(low: int, high: int) -> st.SearchStrategy[Decimal]:
    """Whole dollars or dollars and cents between ``low`` and ``high``."""
    return st.one_of(
        st.integers(low, high).map(Decimal),
        st.integers(low * 100, high * 100).map(lambda c: Decimal(c).scaleb(-2)),
    )


def percents(low: int = 0, high: int = 100) -> st.SearchStrategy[Decimal]:
    """``low``..``high`` with up to 2 decimals; round values come up often."""
    common = [Decimal(x) for x in (0, 10, 25, 33, 50, 75, 100) if low <= x <= high]
    return st.one_of(
        st.sampled_from(common),
        st.integers(low * 100, high * 100).map(lambda n: Decimal(n).scaleb(-2)),
    )


def multipliers() -> st.SearchStrategy[Decimal]:
    """A performance multiplier >= 0 with up to 4 decimals."""
    return st.one_of(
        st.sampled_from([Decimal(0), Decimal(1), Decimal("1.5")]),
        st.integers(0, 30_000).map(lambda n: Decimal(n).scaleb(-4)),
    )


def cents_to_text(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def decimal_text(value: Decimal) -> str:
    return f"{value:f}"


# --- the calendar (the same rules as spec 3, kept separate from the reference) -----------------


def quarter_months(fiscal_year: int, number: int, fys: int) -> list[tuple[int, int]]:
    base = fiscal_year if fys == 1 else fiscal_year - 1
    first = (fys - 1) + 3 * (number - 1)
    return [(base + k // 12, k % 12 + 1) for k in range(first, first + 3)]


def month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def add_months(d: date, n: int) -> date:
    k = d.year * 12 + d.month - 1 + n
    y, m = divmod(k, 12)
    return date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


# --- plans -------------------------------------------------------------------------------------


@st.composite
def plans(draw: st.DrawFn, variants: bool = True) -> dict[str, dict[str, Any]]:
    """A plan as parsed TOML: part one's sections, and (with ``variants``) some of part two's.

    Part one's optional keys are sometimes left out (defaults apply); a part-two section is
    present about half of the time, sometimes at its default value.
    """
    plan: dict[str, dict[str, Any]] = {
        "threshold": {
            "overhead": draw(dollars(0, 60_000)),
            "debt_service": draw(dollars(0, 8_000)),
            "owner_retention": draw(dollars(0, 8_000)),
            "ni_retention": draw(dollars(0, 8_000)),
        },
        "split": {"house_pct": draw(percents()), "team_pct": draw(percents())},
        "gates": {"min_cash": draw(dollars(0, 60_000)), "max_ar90_pct": draw(percents())},
        "eligibility": {},
        "calendar": {"pay_day_rule": "exact"},
    }
    if draw(st.integers(0, 4)):
        plan["eligibility"]["min_months"] = draw(st.sampled_from([0, 1, 3, 9, 9, 12]))
    if draw(st.integers(0, 4)):
        plan["calendar"]["pay_day"] = draw(st.integers(1, 28))
    if draw(st.integers(0, 4)):
        plan["calendar"]["fiscal_year_start"] = draw(st.sampled_from([1, 1, 2, 4, 7, 10, 12]))
    if not variants:
        return plan

    def maybe() -> bool:
        return draw(st.booleans())

    if maybe():
        mode = draw(st.sampled_from(["quarter", "monthly_floor", "carry_forward", "carry_forward"]))
        plan["netting"] = {"mode": mode}
    if maybe():
        plan["split"]["min_house"] = draw(st.one_of(st.just(Decimal(0)), dollars(0, 30_000)))
    if maybe():
        plan["gate_failure"] = {"policy": draw(st.sampled_from(["forfeit", "defer", "defer"]))}
    if maybe():
        plan["reserve"] = {"holdback_pct": draw(percents())}
    if maybe():
        merit: dict[str, Any] = {"formula": draw(st.sampled_from(MERIT_FORMULAS))}
        if maybe():
            merit["cap_years"] = draw(
                st.one_of(
                    st.integers(1, 15).map(Decimal),
                    st.integers(1, 1500).map(lambda n: Decimal(n).scaleb(-2)),
                )
            )
        plan["merit"] = merit
    if maybe():
        plan["eligibility"]["partial"] = draw(st.sampled_from(["none", "prorate"]))
    if maybe():
        plan["payroll_tax"] = {
            "employer_pct": draw(st.one_of(st.just(Decimal("7.65")), percents()))
        }
    if maybe():
        plan["caps"] = {
            "max_pct_of_salary": draw(
                st.one_of(
                    st.just(Decimal(0)),
                    st.integers(1, 1000).map(lambda n: Decimal(n).scaleb(-2)),
                )
            )
        }
    return plan


def plan_min_gp_cents(plan: dict[str, dict[str, Any]]) -> int:
    return sum(int(Decimal(v) * 100) for v in plan["threshold"].values())


# --- months ------------------------------------------------------------------------------------


@st.composite
def months_files(draw: st.DrawFn, plan: dict[str, dict[str, Any]]) -> list[dict[str, str]]:
    """Booked months over 1-3 fiscal years around FISCAL_YEAR (always some of it booked).

    Every quarter is complete except perhaps the last one; now and then a whole quarter in the
    middle is missing (the ledger skips it). GP lands around Min GP, sometimes negative; the
    gates pass about three times in four.
    """
    fys = plan["calendar"].get("fiscal_year_start", 1)
    first_fy = draw(st.sampled_from([FISCAL_YEAR - 2, FISCAL_YEAR - 1, FISCAL_YEAR]))
    last_fy = draw(st.integers(max(first_fy, FISCAL_YEAR), min(first_fy + 2, FISCAL_YEAR + 1)))
    all_quarters = [(fy, n) for fy in range(first_fy, last_fy + 1) for n in (1, 2, 3, 4)]
    target = [i for i, (fy, _) in enumerate(all_quarters) if fy == FISCAL_YEAR]
    start = draw(st.integers(0, target[-1]))
    end = draw(st.integers(max(start, target[0]), len(all_quarters) - 1))
    chosen = list(range(start, end + 1))
    # Now and then drop a whole quarter in the middle (never the first or last one).
    if len(chosen) > 2 and draw(st.integers(0, 3)) == 0:
        gap = draw(st.sampled_from(chosen[1:-1]))
        if any(i in target for i in chosen if i != gap):
            chosen.remove(gap)
    last_count = draw(st.sampled_from([1, 2, 3, 3]))

    min_gp = plan_min_gp_cents(plan)
    min_cash = int(Decimal(plan["gates"]["min_cash"]) * 100)
    limit = Decimal(plan["gates"]["max_ar90_pct"])
    rows = []
    for i in chosen:
        fy, n = all_quarters[i]
        wanted = quarter_months(fy, n, fys)
        if i == chosen[-1]:
            wanted = wanted[:last_count]
        for y, m in wanted:
            kind = draw(st.integers(0, 9))
            if kind == 0:  # a loss-making month
                gp = -draw(st.integers(0, 2_000_000))
            elif kind <= 3:  # under Min GP
                gp = min_gp - draw(st.integers(0, 2_500_000))
            else:  # over it
                gp = min_gp + draw(st.integers(0, 3_000_000))
            if draw(st.integers(0, 7)):
                cash = min_cash + draw(st.integers(0, 5_000_000))
            else:
                cash = max(0, min_cash - draw(st.integers(1, 1_000_000)))
            ar_total = draw(st.one_of(st.just(0), st.integers(0, 40_000_000)))
            if draw(st.integers(0, 7)):  # under the limit, or right on it
                share = draw(st.sampled_from([Decimal(0), Decimal("0.5"), Decimal(1)]))
                overdue = min(int(ar_total * limit * share / 100), ar_total)
            else:
                overdue = draw(st.integers(0, ar_total))
            rows.append(
                {
                    "month": f"{y:04d}-{m:02d}",
                    "gp": cents_to_text(gp) if draw(st.booleans()) else str(gp // 100),
                    "cash_on_hand": cents_to_text(cash),
                    "ar_total": cents_to_text(ar_total),
                    "ar_90_plus": cents_to_text(overdue),
                }
            )
    return rows


def booked_quarters(plan: dict[str, dict[str, Any]], months: list[dict[str, str]]) -> list[str]:
    """Names of the quarters with a booked month, in order."""
    fys = plan["calendar"].get("fiscal_year_start", 1)
    found = set()
    for row in months:
        y, m = (int(x) for x in row["month"].split("-"))
        if fys == 1:
            found.add((y, (m - 1) // 3 + 1))
        elif m >= fys:
            found.add((y + 1, (m - fys) // 3 + 1))
        else:
            found.add((y, (m + 12 - fys) // 3 + 1))
    return [f"{fy}-Q{n}" for fy, n in sorted(found)]


# --- roster ------------------------------------------------------------------------------------


def interesting_dates(plan: dict[str, dict[str, Any]], months: list[dict[str, str]]) -> list[date]:
    """Quarter edges, pay dates and the days around them: where the rules change their mind."""
    fys = plan["calendar"].get("fiscal_year_start", 1)
    pay_day = plan["calendar"].get("pay_day", 15)
    min_months = plan["eligibility"].get("min_months", 9)
    found: set[date] = set()
    for name in booked_quarters(plan, months):
        fy, n = (int(x) for x in name.split("-Q"))
        qm = quarter_months(fy, n, fys)
        first, last = date(*qm[0], 1), month_end(*qm[2])
        k = qm[2][0] * 12 + qm[2][1] - 1 + 2
        pay = date(k // 12, k % 12 + 1, pay_day)
        for d in (first, last, pay):
            found.update({d - timedelta(days=1), d, d + timedelta(days=1)})
        # a start that reaches min_months right at, just after or inside the quarter
        for base in (first, last, date(*qm[1], 15)):
            found.add(add_months(base, -min_months))
            found.add(add_months(base, -min_months) + timedelta(days=1))
    return sorted(found)


@st.composite
def rosters(
    draw: st.DrawFn, plan: dict[str, dict[str, Any]], months: list[dict[str, str]]
) -> list[dict[str, str]]:
    """3-25 people: owners, contractors, part-timers, leavers, recent hires, multipliers."""
    size = draw(st.integers(3, 25))
    firsts = draw(st.permutations(FIRST_NAMES))[:size]
    edges = interesting_dates(plan, months)
    everyone_out = draw(st.integers(0, 11)) == 0  # now and then nobody can be paid
    span_start = date(*(int(x) for x in min(r["month"] for r in months).split("-")), 1)
    span_end = month_end(*(int(x) for x in max(r["month"] for r in months).split("-")))
    span_days = (span_end - span_start).days
    rows = []
    for first in firsts:
        name = first
        if draw(st.integers(0, 2)) == 0:
            name = f"{first} {draw(st.sampled_from(LAST_NAMES))}"
        kind = draw(st.integers(0, 5))
        if kind == 0:  # a recent hire, maybe after the last booked month
            start = span_start + timedelta(days=draw(st.integers(-300, span_days + 60)))
        elif kind == 1:  # right on an edge
            start = draw(st.sampled_from(edges))
        else:  # an old hand
            start = span_start - timedelta(days=draw(st.integers(0, 15 * 365)))
        end = None
        leave = draw(st.integers(0, 4))
        if leave == 0:
            end = start + timedelta(days=draw(st.integers(0, (span_end - start).days + 150)))
        elif leave == 1:
            end = max(start, draw(st.sampled_from(edges)))
        performance = draw(st.one_of(st.none(), multipliers()))
        out = draw(st.sampled_from(["owner", "contractor", "part-time"])) if everyone_out else ""
        rows.append(
            {
                "name": name,
                "salary": decimal_text(draw(dollars(20_000, 250_000))),
                "start_date": start.isoformat(),
                "end_date": end.isoformat() if end else "",
                "employment": (
                    "contractor" if out == "contractor" or draw(st.integers(0, 7)) == 0 else "w2"
                ),
                "full_time": (
                    "false" if out == "part-time" or draw(st.integers(0, 7)) == 0 else "true"
                ),
                "owner": "true" if out == "owner" or draw(st.integers(0, 9)) == 0 else "false",
                "performance": "" if performance is None else decimal_text(performance),
                "department": draw(st.sampled_from(["", "Ops", "Projects"])),
            }
        )
    return rows


@st.composite
def scores_files(
    draw: st.DrawFn, roster: list[dict[str, str]], quarters: list[str]
) -> list[dict[str, str]]:
    """Per-quarter performance for some (name, booked quarter) pairs, each pair at most once."""
    pairs = [(r["name"], q) for r in roster for q in quarters]
    chosen = draw(st.lists(st.sampled_from(pairs), min_size=1, max_size=12, unique=True))
    return [
        {"name": name, "quarter": q, "performance": decimal_text(draw(multipliers()))}
        for name, q in chosen
    ]


# --- whole cases -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    plan: dict[str, dict[str, Any]]
    roster: list[dict[str, str]]
    months: list[dict[str, str]]
    scores: list[dict[str, str]] | None
    quarters: list[str]  # booked quarters, in order
    fiscal_year: int = FISCAL_YEAR


@st.composite
def cases(draw: st.DrawFn, variants: bool = True) -> Case:
    """A whole case. ``variants=False`` gives part-one plans and no scores file."""
    plan = draw(plans(variants=variants))
    months = draw(months_files(plan))
    roster = draw(rosters(plan, months))
    quarters = booked_quarters(plan, months)
    scores = None
    if variants and draw(st.integers(0, 2)) == 0:
        scores = draw(scores_files(roster, quarters))
    return Case(plan, roster, months, scores, quarters)


# --- writers -----------------------------------------------------------------------------------


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, Decimal):
        return decimal_text(value)
    return str(value)


def plan_toml(plan: dict[str, dict[str, Any]]) -> str:
    lines = []
    for section, values in plan.items():
        if not values:
            continue  # a section whose keys are all left out is left out too
        lines.append(f"[{section}]")
        lines.extend(f"{key} = {toml_value(value)}" for key, value in values.items())
        lines.append("")
    return "\n".join(lines)


def write_csv(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def write_plan(path: Path, plan: dict[str, dict[str, Any]]) -> None:
    path.write_text(plan_toml(plan), encoding="utf-8")


def write_roster(path: Path, roster: list[dict[str, str]]) -> None:
    write_csv(path, ROSTER_COLUMNS, roster)


def write_months(path: Path, months: list[dict[str, str]]) -> None:
    write_csv(path, MONTHS_COLUMNS, months)


def write_scores(path: Path, scores: list[dict[str, str]]) -> None:
    write_csv(path, SCORES_COLUMNS, scores)


def write_case(case: Case, folder: Path) -> dict[str, Path]:
    """The case's files in ``folder``: keys plan, roster, months and (if any) scores."""
    paths = {
        "plan": folder / "plan.toml",
        "roster": folder / "roster.csv",
        "months": folder / "months.csv",
    }
    write_plan(paths["plan"], case.plan)
    write_roster(paths["roster"], case.roster)
    write_months(paths["months"], case.months)
    if case.scores is not None:
        paths["scores"] = folder / "scores.csv"
        write_scores(paths["scores"], case.scores)
    return paths
