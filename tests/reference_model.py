"""An independent reference for the TEL bonus: shared/spec/tel-model.md, sections 3-6 and 9-13.

Written from the spec text only, never from the ``tel`` library (it imports nothing from it),
so that the two can be checked against each other to the cent. Plain and slow on purpose:
exact ``fractions.Fraction`` arithmetic, integer cents, one small function per rule.

Inputs are plain values as they come out of the files:

- ``plan``: the parsed ``plan.toml`` (``{"threshold": {...}, "split": {...}, ...}``); numbers
  may be ``int``, ``Decimal``, ``float`` (read through ``repr``) or decimal strings.
- ``roster``: rows of ``roster.csv`` as dicts of strings (``end_date`` / ``performance`` may be
  blank or missing).
- ``months``: rows of ``months.csv`` as dicts of strings.
- ``scores``: rows of ``scores.csv`` (``name``, ``quarter``, ``performance``).

Outputs are the ``tel quarter --json`` and ``tel year --json`` objects (spec 8 and 14), with
money as decimal strings with exactly two places ("16120.00", "-5.00", "0.00").

Interpretations beyond the spec text (agreed with the library's author):

- Quarters are computed in order from the first quarter with a booked month through the
  requested one; a quarter with no booked month is skipped (no report, balances pass through;
  ``carry`` still starts at 0 in each fiscal year, ``deferred`` and ``reserve`` never reset).
- When gates fail nothing is held back or released, and every paid figure is 0.
- Under ``partial = "prorate"`` the "left before pay date" rule does not apply; years for the
  merit weight are taken at min(quarter's last day, end_date), never below 0.
- ``salary_x_log_years``: L = ln(1 + years) with 50-digit decimals, then half-up to 9 places.
- The pay date is exactly ``pay_day`` of the second month after the quarter (the generated
  plans say ``pay_day_rule = "exact"``).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from typing import Any

# --- numbers ---------------------------------------------------------------------------------


def to_decimal(value: Any) -> Decimal:
    """A plan or file value as an exact decimal (a TOML float is read through its repr)."""
    if isinstance(value, bool):
        raise TypeError(f"not a number: {value!r}")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(str(value).strip())


def to_cents(value: Any) -> int:
    """Dollars (at most two decimals) as integer cents."""
    exact = to_decimal(value) * 100
    if exact != exact.to_integral_value():
        raise ValueError(f"more than two decimals of a dollar: {value!r}")
    return int(exact)


def round_half_up(x: Fraction) -> int:
    """Spec 6 and 9: round-half-up on an exact value (halves away from zero)."""
    if x >= 0:
        return (2 * x.numerator + x.denominator) // (2 * x.denominator)
    return -round_half_up(-x)


def pct_of(cents: int, pct: Decimal) -> int:
    """round(cents * pct / 100)."""
    return round_half_up(Fraction(cents) * Fraction(pct) / 100)


def money(cents: int) -> str:
    """Integer cents as a decimal string with exactly two places: 1612000 -> "16120.00"."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole}.{part:02d}"


def largest_remainder(pool: int, weights: list[Fraction]) -> list[int]:
    """Spec 6: share ``pool`` cents in proportion to ``weights`` (their sum > 0).

    Everyone gets the floor of their exact share; the cents left over go one each to the
    largest fractional remainders, ties broken by position (roster order).
    """
    total = sum(weights, Fraction(0))
    assert total > 0, "largest_remainder needs a positive total weight"
    exact = [Fraction(pool) * w / total for w in weights]
    shares = [e.numerator // e.denominator for e in exact]
    left = pool - sum(shares)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in order[:left]:
        shares[i] += 1
    return shares


# --- the calendar (spec 3 and 5) -------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Quarter:
    """A fiscal quarter: ``fiscal_year`` is the calendar year in which the fiscal year ends."""

    fiscal_year: int
    number: int  # 1..4

    @property
    def name(self) -> str:
        return f"{self.fiscal_year}-Q{self.number}"

    def months(self, fys: int) -> list[tuple[int, int]]:
        """The three calendar months (year, month) of this quarter, in order."""
        # Spec 3: with fiscal_year_start = 1 the fiscal year is the calendar year; otherwise it
        # starts in month ``fys`` of the year before the one that names it.
        base_year = self.fiscal_year if fys == 1 else self.fiscal_year - 1
        first = (fys - 1) + 3 * (self.number - 1)  # months after January of base_year
        return [(base_year + k // 12, k % 12 + 1) for k in range(first, first + 3)]

    def first_day(self, fys: int) -> date:
        y, m = self.months(fys)[0]
        return date(y, m, 1)

    def last_day(self, fys: int) -> date:
        y, m = self.months(fys)[2]
        return date(y, m, calendar.monthrange(y, m)[1])

    def pay_date(self, fys: int, pay_day: int) -> date:
        """Spec 3: ``pay_day`` of the second month of the following quarter."""
        y, m = self.months(fys)[2]
        k = (m - 1) + 2  # two months after the quarter's last month
        return date(y + k // 12, k % 12 + 1, pay_day)

    def next(self) -> Quarter:
        if self.number == 4:
            return Quarter(self.fiscal_year + 1, 1)
        return Quarter(self.fiscal_year, self.number + 1)


def parse_quarter(text: str) -> Quarter:
    year, q = text.strip().upper().split("-Q")
    return Quarter(int(year), int(q))


def quarter_of(year: int, month: int, fys: int) -> Quarter:
    """The fiscal quarter that holds calendar month (year, month)."""
    if fys == 1:
        return Quarter(year, (month - 1) // 3 + 1)
    if month >= fys:
        return Quarter(year + 1, (month - fys) // 3 + 1)
    return Quarter(year, (month + 12 - fys) // 3 + 1)


def completed_months(start: date, end: date) -> int:
    """Spec 5: completed months of service from ``start`` to ``end``."""
    return (
        (end.year - start.year) * 12
        + (end.month - start.month)
        - (1 if end.day < start.day else 0)
    )


# --- inputs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    min_gp: int  # cents per month (spec 3)
    house_pct: Decimal
    team_pct: Decimal
    min_cash: int
    max_ar90_pct: Decimal
    min_months: int
    pay_day: int
    fiscal_year_start: int
    # part two (spec 9), with their defaults
    netting: str
    min_house: int
    gate_policy: str
    holdback_pct: Decimal
    formula: str
    cap_years: Decimal
    partial: str
    employer_pct: Decimal
    max_pct_of_salary: Decimal


def read_plan(plan: Mapping[str, Mapping[str, Any]]) -> Plan:
    def get(section: str, key: str, default: Any = None) -> Any:
        value = plan.get(section, {}).get(key, default)
        if value is None:
            raise KeyError(f"plan is missing [{section}] {key}")
        return value

    threshold = ("overhead", "debt_service", "owner_retention", "ni_retention")
    return Plan(
        min_gp=sum(to_cents(get("threshold", k)) for k in threshold),
        house_pct=to_decimal(get("split", "house_pct")),
        team_pct=to_decimal(get("split", "team_pct")),
        min_cash=to_cents(get("gates", "min_cash")),
        max_ar90_pct=to_decimal(get("gates", "max_ar90_pct")),
        min_months=int(get("eligibility", "min_months", 9)),
        pay_day=int(get("calendar", "pay_day", 15)),
        fiscal_year_start=int(get("calendar", "fiscal_year_start", 1)),
        netting=str(get("netting", "mode", "quarter")),
        min_house=to_cents(get("split", "min_house", 0)),
        gate_policy=str(get("gate_failure", "policy", "forfeit")),
        holdback_pct=to_decimal(get("reserve", "holdback_pct", 0)),
        formula=str(get("merit", "formula", "salary_x_years")),
        cap_years=to_decimal(get("merit", "cap_years", 10)),
        partial=str(get("eligibility", "partial", "none")),
        employer_pct=to_decimal(get("payroll_tax", "employer_pct", 0)),
        max_pct_of_salary=to_decimal(get("caps", "max_pct_of_salary", 0)),
    )


@dataclass(frozen=True)
class Person:
    name: str
    salary: Decimal  # annual dollars
    start: date
    end: date | None
    w2: bool
    full_time: bool
    owner: bool
    performance: Decimal


def _text(row: Mapping[str, Any], key: str) -> str:
    value = row.get(key)
    return "" if value is None else str(value).strip()


def _flag(text: str) -> bool:
    return text.lower() in ("true", "yes", "y", "1")


def read_person(row: Mapping[str, Any]) -> Person:
    end = _text(row, "end_date")
    performance = _text(row, "performance")
    return Person(
        name=_text(row, "name"),
        salary=to_decimal(row["salary"]),
        start=date.fromisoformat(_text(row, "start_date")),
        end=date.fromisoformat(end) if end else None,
        w2=_text(row, "employment").lower() in ("w2", "w-2"),
        full_time=_flag(_text(row, "full_time") or "true"),
        owner=_flag(_text(row, "owner") or "false"),
        performance=to_decimal(performance) if performance else Decimal(1),
    )


@dataclass(frozen=True)
class Month:
    year: int
    month: int
    gp: int  # cents
    cash_on_hand: int
    ar_total: int
    ar_90_plus: int


def read_month(row: Mapping[str, Any]) -> Month:
    year, month = _text(row, "month").split("-")
    return Month(
        year=int(year),
        month=int(month),
        gp=to_cents(row["gp"]),
        cash_on_hand=to_cents(row["cash_on_hand"]),
        ar_total=to_cents(row["ar_total"]),
        ar_90_plus=to_cents(row["ar_90_plus"]),
    )


def read_scores(rows: Iterable[Mapping[str, Any]] | None) -> dict[tuple[str, str], Decimal]:
    """Spec 12: (name, quarter name) -> performance for that quarter."""
    return {
        (_text(r, "name"), parse_quarter(_text(r, "quarter")).name): to_decimal(r["performance"])
        for r in rows or ()
    }


# --- eligibility (spec 5 and 12) -------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    eligible: bool
    reason: str
    days: int  # days counted under "prorate" (0 under "none")
    months: int  # completed months used for the merit weight's years


def standing_none(p: Person, plan: Plan, last_day: date, pay_date: date) -> Standing:
    """Spec 5: all conditions must hold, judged at the quarter's last day and the pay date."""
    months = completed_months(p.start, last_day)
    reasons = []
    if p.owner:
        reasons.append("owner")
    if not p.w2:
        reasons.append("contractor")
    if not p.full_time:
        reasons.append("part-time")
    if months < plan.min_months:
        reasons.append(f"{max(months, 0)} of {plan.min_months} months")
    if p.end is not None and p.end < pay_date:
        reasons.append("left before pay date")
    return Standing(not reasons, "; ".join(reasons), 0, months)


def standing_prorate(p: Person, plan: Plan, first_day: date, last_day: date) -> Standing:
    """Spec 12: owners, contractors and part-timers out; everyone else by days served."""
    reasons = []
    if p.owner:
        reasons.append("owner")
    if not p.w2:
        reasons.append("contractor")
    if not p.full_time:
        reasons.append("part-time")
    # Years for the merit weight: at the quarter's last day, or the end_date if earlier.
    at = last_day if p.end is None else min(last_day, p.end)
    months = max(0, completed_months(p.start, at))
    if reasons:
        return Standing(False, "; ".join(reasons), 0, months)
    total_days = (last_day - first_day).days + 1  # M
    days = 0
    d = first_day
    while d <= last_day:
        if completed_months(p.start, d) >= plan.min_months and (p.end is None or d <= p.end):
            days += 1
        d += timedelta(days=1)
    reason = "" if days == total_days else f"{days} of {total_days} days"
    return Standing(days > 0, reason, days, months)


# --- merit weight (spec 6 and 11) ------------------------------------------------------------


def log_years(months: int) -> Fraction:
    """L = ln(1 + years), years = months / 12, rounded half-up to 9 decimal places."""
    with localcontext() as ctx:
        ctx.prec = 50
        value = (Decimal(12 + months) / Decimal(12)).ln()
        return Fraction(value.quantize(Decimal("0.000000001"), rounding=ROUND_HALF_UP))


def merit_weight(plan: Plan, salary: Decimal, months: int, performance: Decimal) -> Fraction:
    years = Fraction(months, 12)
    s, perf = Fraction(salary), Fraction(performance)
    if plan.formula == "salary_x_years":
        return s * years * perf
    if plan.formula == "salary_x_log_years":
        return s * log_years(months) * perf
    if plan.formula == "salary_x_capped_years":
        return s * min(years, Fraction(plan.cap_years)) * perf
    if plan.formula == "salary":
        return s * perf
    if plan.formula == "years":
        return years * perf
    raise ValueError(f"unknown merit formula {plan.formula!r}")


# --- one quarter (spec 3-6 and 10-13) --------------------------------------------------------


@dataclass
class Balances:
    """What the ledger carries from one computed quarter to the next (spec 10)."""

    carry: int = 0  # <= 0, reset at each fiscal year's start
    carry_year: int | None = None  # fiscal year of the quarter that left ``carry``
    deferred: int = 0
    reserve: int = 0


def compute_quarter(
    plan: Plan,
    people: list[Person],
    booked: list[Month],
    quarter: Quarter,
    balances: Balances,
    scores: Mapping[tuple[str, str], Decimal],
) -> dict[str, Any]:
    """Spec 10 steps 1-7 for one quarter with >= 1 booked month; updates ``balances``."""
    fys = plan.fiscal_year_start
    booked = sorted(booked, key=lambda m: (m.year, m.month))
    n_months = len(booked)
    first_day, last_day = quarter.first_day(fys), quarter.last_day(fys)
    pay_date = quarter.pay_date(fys, plan.pay_day)
    gp_total = sum(m.gp for m in booked)

    # Step 1, excess (spec 3 and 10.1). carry_in only within the same fiscal year.
    carry_in = balances.carry if balances.carry_year == quarter.fiscal_year else 0
    if plan.netting == "quarter":
        excess = gp_total - n_months * plan.min_gp
    elif plan.netting == "monthly_floor":
        excess = sum(max(0, m.gp - plan.min_gp) for m in booked)
    elif plan.netting == "carry_forward":
        excess = gp_total - n_months * plan.min_gp + carry_in
    else:
        raise ValueError(f"unknown netting mode {plan.netting!r}")
    tel_profit = max(0, excess)
    carry_out = min(0, excess) if plan.netting == "carry_forward" else 0

    # Step 2, house (spec 6 and 10.2).
    house = max(pct_of(tel_profit, plan.house_pct), min(plan.min_house, tel_profit))
    staff_pool = tel_profit - house

    # Gates on the quarter's last booked month (spec 4).
    gate = booked[-1]
    cash_ok = gate.cash_on_hand >= plan.min_cash
    ar_ok = gate.ar_total == 0 or (
        Fraction(gate.ar_90_plus * 100, gate.ar_total) <= Fraction(plan.max_ar90_pct)
    )
    passed = cash_ok and ar_ok

    # Eligibility (spec 5, or 12 under "prorate"), shown whether or not the gates pass.
    if plan.partial == "prorate":
        standings = [standing_prorate(p, plan, first_day, last_day) for p in people]
    elif plan.partial == "none":
        standings = [standing_none(p, plan, last_day, pay_date) for p in people]
    else:
        raise ValueError(f"unknown partial rule {plan.partial!r}")

    team = [0] * len(people)
    merit = [0] * len(people)
    deferred_in, reserve_in = balances.deferred, balances.reserve
    held_back = released = available = employer_tax = paid_pool = 0
    undistributed = capped_to_house = 0

    if not passed:
        # Step 3: nothing paid; the pools at stake are the split of staff_pool.
        team_pool = pct_of(staff_pool, plan.team_pct)
        merit_pool = staff_pool - team_pool
        if plan.gate_policy == "defer":
            deferred_out = deferred_in + staff_pool
        elif plan.gate_policy == "forfeit":
            deferred_out = deferred_in
        else:
            raise ValueError(f"unknown gate policy {plan.gate_policy!r}")
        reserve_out = reserve_in
    else:
        # Step 4, available: this quarter's staff pool plus what earlier failed gates deferred.
        available = staff_pool + deferred_in
        deferred_out = 0
        held_back = pct_of(staff_pool, plan.holdback_pct)
        reserve = reserve_in + held_back
        available -= held_back
        if quarter.number == 4 and n_months == 3:
            released = reserve
            available += released
            reserve = 0
        reserve_out = reserve

        # Step 5, employer tax: checks + employer tax = available.
        paid_pool = round_half_up(
            Fraction(available) * 100 / (100 + Fraction(plan.employer_pct))
        )
        employer_tax = available - paid_pool

        # Step 6, checks (spec 6): team equally (by days under prorate), merit by weight.
        team_pool = pct_of(paid_pool, plan.team_pct)
        merit_pool = paid_pool - team_pool
        chosen = [i for i, s in enumerate(standings) if s.eligible]
        if not chosen:
            undistributed = paid_pool
        else:
            prorate = plan.partial == "prorate"
            team_weights = [Fraction(standings[i].days if prorate else 1) for i in chosen]
            weights = []
            for i in chosen:
                p = people[i]
                performance = scores.get((p.name, quarter.name), p.performance)
                w = merit_weight(plan, p.salary, standings[i].months, performance)
                weights.append(w * standings[i].days if prorate else w)
            if sum(weights, Fraction(0)) == 0:
                weights = team_weights  # all weights 0: merit shared like the team pool
            for i, cents in zip(chosen, largest_remainder(team_pool, team_weights), strict=True):
                team[i] = cents
            for i, cents in zip(chosen, largest_remainder(merit_pool, weights), strict=True):
                merit[i] = cents

            # Caps (spec 13): over the cap comes off merit first, then team, to the house.
            if plan.max_pct_of_salary > 0:
                for i in chosen:
                    cap = pct_of(to_cents(people[i].salary), plan.max_pct_of_salary)
                    over = team[i] + merit[i] - cap
                    if over > 0:
                        from_merit = min(merit[i], over)
                        merit[i] -= from_merit
                        team[i] -= over - from_merit
                        capped_to_house += over

    # Step 7: carry the balances on.
    balances.carry, balances.carry_year = carry_out, quarter.fiscal_year
    balances.deferred, balances.reserve = deferred_out, reserve_out

    return {
        "quarter": quarter.name,
        "pay_date": pay_date.isoformat(),
        "min_gp": money(plan.min_gp),
        "gp_total": money(gp_total),
        "tel_profit": money(tel_profit),
        "gates": {"cash_ok": cash_ok, "ar_ok": ar_ok, "passed": passed},
        "house": money(house),
        "staff_pool": money(staff_pool),
        "team_pool": money(team_pool),
        "merit_pool": money(merit_pool),
        "undistributed": money(undistributed),
        "payouts": [
            {
                "name": p.name,
                "eligible": s.eligible,
                "reason": s.reason,
                "team": money(t),
                "merit": money(m),
                "total": money(t + m),
            }
            for p, s, t, m in zip(people, standings, team, merit, strict=True)
        ],
        "carry_in": money(carry_in),
        "carry_out": money(carry_out),
        "deferred_in": money(deferred_in),
        "deferred_out": money(deferred_out),
        "held_back": money(held_back),
        "released": money(released),
        "reserve_out": money(reserve_out),
        "available": money(available),
        "employer_tax": money(employer_tax),
        "paid_pool": money(paid_pool),
        "capped_to_house": money(capped_to_house),
    }


# --- the ledger (spec 10) and the commands (spec 8 and 14) -----------------------------------


def ledger(
    plan_in: Mapping[str, Mapping[str, Any]],
    roster: Iterable[Mapping[str, Any]],
    months: Iterable[Mapping[str, Any]],
    scores: Iterable[Mapping[str, Any]] | None,
    through: Quarter,
) -> list[tuple[Quarter, dict[str, Any]]]:
    """Every quarter with a booked month, in order, from the first one up to ``through``."""
    plan = read_plan(plan_in)
    people = [read_person(r) for r in roster]
    by_quarter: dict[Quarter, list[Month]] = {}
    for m in map(read_month, months):
        by_quarter.setdefault(quarter_of(m.year, m.month, plan.fiscal_year_start), []).append(m)
    score_map = read_scores(scores)
    results: list[tuple[Quarter, dict[str, Any]]] = []
    if not by_quarter:
        return results
    balances = Balances()
    q = min(by_quarter)
    while q <= through:
        if q in by_quarter:  # a quarter with no booked month is skipped entirely
            results.append((q, compute_quarter(plan, people, by_quarter[q], q, balances,
                                               score_map)))
        q = q.next()
    return results


def reference_quarter(
    plan: Mapping[str, Mapping[str, Any]],
    roster: list[dict[str, Any]],
    months: list[dict[str, Any]],
    scores: list[dict[str, Any]] | None,
    quarter: str,
) -> dict[str, Any]:
    """The ``tel quarter --json`` object (spec 8 keys plus the additions of 14)."""
    wanted = parse_quarter(quarter)
    for q, result in ledger(plan, roster, months, scores, wanted):
        if q == wanted:
            return result
    raise ValueError(f"{wanted.name} has no booked month")  # spec 3: an error, not a zero


def reference_year(
    plan: Mapping[str, Mapping[str, Any]],
    roster: list[dict[str, Any]],
    months: list[dict[str, Any]],
    scores: list[dict[str, Any]] | None,
    fiscal_year: int,
) -> dict[str, Any]:
    """The ``tel year --json`` object (spec 14)."""
    computed = ledger(plan, roster, months, scores, Quarter(fiscal_year, 4))
    quarters = [result for q, result in computed if q.fiscal_year == fiscal_year]
    names = [_text(r, "name") for r in roster]
    totals = dict.fromkeys(names, 0)
    for result in quarters:
        for payout in result["payouts"]:
            totals[payout["name"]] += to_cents(payout["total"])
    return {
        "fiscal_year": fiscal_year,
        "quarters": quarters,
        "people": [{"name": n, "total": money(totals[n])} for n in names],
    }
