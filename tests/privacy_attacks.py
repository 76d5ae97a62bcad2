"""An attacker on the team pages: an eligible employee who wants a colleague's salary.

They know their own salary, start date and exact check (their statement; payroll pays it),
the plan's percentages (the plan document), the head count (the pot), and everyone's start
and leaving dates (common knowledge at work). From the team pages they read each quarter's
public figures and can type anything into the estimator. ``docs/privacy.md`` says why the
figures are rounded; these attacks measure that it is enough.

The differencing attack (``shared/privacy-notes.md``): the group's total merit weight ``W``
grows by a fixed amount between two quiet quarters (everyone's service grows by 3 months);
in a quarter where one person joins or leaves it jumps by that person's weight, salary x
years, and their years are known, so the salary falls out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from tel.analysis.privacy import public_quarter
from tel.analysis.team import aggregates_of, estimate_check
from tel.core.models import Month, Person, Plan
from tel.core.periods import Quarter
from tel.engine.quarter import QuarterResult, compute_quarter
from tel.rules.pools import split_profit
from tel.rules.weights import weight_units

PLAN = Plan()
QUARTERS = (Quarter(2026, 1), Quarter(2026, 2), Quarter(2026, 3))  # quiet, quiet, change
HUGE_GP = Decimal(10) ** 10  # a monthly GP typed into the estimator: the merit pool is huge


@dataclass(frozen=True)
class Company:
    roster: tuple[Person, ...]
    months: tuple[Month, ...]
    attacker: Person
    victim: Person  # joins (eligible from the last quarter) or leaves (gone in the last)

    def result(self, q: Quarter) -> QuarterResult:
        return compute_quarter(PLAN, self.roster, self.months, q)


def company(salaries: list[int], starts: list[date], victim_salary: int, joins: bool,
            gp: list[int]) -> Company:
    """Eligible people with ``salaries``/``starts``, an attacker (the first of them) and a
    victim who becomes eligible in 2026-Q3 (``joins``) or leaves before its pay date."""
    people = [Person(name=f"P{i}", salary=s, start_date=d)
              for i, (s, d) in enumerate(zip(salaries, starts, strict=True))]
    if joins:  # 8 months at 2026-06-30, 11 at 2026-09-30: eligible in Q3 only
        victim = Person(name="Victim", salary=victim_salary, start_date=date(2025, 10, 15))
    else:  # paid in Q2 (2026-08-15), gone before Q3's pay date
        victim = Person(name="Victim", salary=victim_salary, start_date=date(2019, 4, 1),
                        end_date=date(2026, 10, 1))
    months = tuple(
        Month(year=2026, month=m, gp=g, cash_on_hand=90_000, ar_total=100_000, ar_90_plus=0)
        for m, g in zip(range(1, 10), gp, strict=True)
    )
    return Company(tuple([*people, victim]), months, people[0], victim)


def _own(c: Company, q: Quarter) -> tuple[int, int]:
    """The attacker's exact check (cents) and own weight (units)."""
    me = next(p for p in c.result(q).payouts if p.name == c.attacker.name)
    return me.total, me.weight


# ------------------------------------------------------------------ what W each channel gives


def w_from_estimator(c: Company, q: Quarter) -> Fraction:
    """The issue's attack: type a salary and a huge GP; the merit estimate gives W away."""
    r = c.result(q)
    agg = aggregates_of(r, PLAN)
    salary, start = Decimal(50_000), date(2020, 1, 1)
    est = estimate_check(agg, salary, start, PLAN, q.last_day(1), r.pay_date,
                         average_monthly_gp=HUGE_GP)
    chosen = est.scenarios[-1]
    assert chosen.merit is not None
    merit_pool = split_profit(chosen.tel_profit, PLAN)[3]
    w = weight_units(to_cents(salary), est.months_of_service, Decimal(1))
    return Fraction(merit_pool * w, chosen.merit) - w  # m = M w / (W + w)


def w_interval_from_own_check(c: Company, q: Quarter) -> tuple[Fraction, Fraction]:
    """W from the attacker's exact check and the public pools: every staff pool the public
    figures allow, each giving one W (m = c - T / N, W = M w / m)."""
    r = c.result(q)
    pq = public_quarter(r, PLAN)
    check, w = _own(c, q)
    n = r.eligible_count
    half = Fraction(pq.money_step, 2)
    out = []
    for profit in (pq.tel_profit - half, pq.tel_profit + half):  # TEL profit's public range
        house = Fraction(profit) * Fraction(PLAN.house_pct) / 100
        staff = profit - house
        team = staff * Fraction(PLAN.team_pct) / 100
        merit = staff - team
        mine = check - team / n
        out.append(merit * w / mine if mine > 0 else Fraction(10) ** 30)
    return min(out), max(out)


def w_point_from_own_check(c: Company, q: Quarter) -> Fraction:
    """The same with the public pools taken at face value."""
    r = c.result(q)
    pq = public_quarter(r, PLAN)
    check, w = _own(c, q)
    mine = check - Fraction(pq.team_pool, r.eligible_count)
    return Fraction(pq.merit_pool) * w / mine


def w_interval_from_estimator(c: Company, q: Quarter) -> tuple[Fraction, Fraction]:
    """The estimator's W is the public W^, rounded half-up to a step the attacker can guess
    (a good part of the heaviest weight): assume they know the step exactly."""
    pq = public_quarter(c.result(q), PLAN)
    half = Fraction(pq.weight_step, 2)
    return pq.total_weight - half, pq.total_weight + half


# ------------------------------------------------------------------ the differencing


def victim_quarter(c: Company) -> Quarter:
    """The quarter in which the victim is in the group and the other one they are not."""
    return QUARTERS[2] if c.victim.end_date is None else QUARTERS[1]


def victim_weight(c: Company) -> int:
    return next(p.weight for p in c.result(victim_quarter(c)).payouts if p.name == "Victim")


def victim_years(c: Company) -> Fraction:
    me = next(p for p in c.result(victim_quarter(c)).payouts if p.name == "Victim")
    return Fraction(me.months, 12)


def to_salary(c: Company, weight: Fraction) -> Fraction:
    """Weight units -> annual salary in dollars (units are cents x months x 10,000)."""
    return weight / (100 * 10_000 * 12 * victim_years(c))


def recovered_point(c: Company, channel: str) -> Fraction:
    """The victim's salary as the attacker computes it from point estimates of W."""
    read = w_from_estimator if channel == "estimator" else w_point_from_own_check
    w0, w1, w2 = (read(c, q) for q in QUARTERS)
    growth = w1 - w0  # two quiet quarters: everyone's 3 more months
    jump = (w2 - w1 - growth) if c.victim.end_date is None else (w1 + growth - w2)
    return to_salary(c, jump)


def recovered_interval(c: Company) -> tuple[Fraction, Fraction]:
    """Every salary consistent with everything shown: W of each quarter is in the
    intersection of what the estimator and one's own check allow; the growth is taken as
    known exactly (generous to the attacker)."""
    bounds = []
    for q in QUARTERS:
        a_lo, a_hi = w_interval_from_own_check(c, q)
        b_lo, b_hi = w_interval_from_estimator(c, q)
        bounds.append((max(a_lo, b_lo), min(a_hi, b_hi)))
    (_, _), (lo1, hi1), (lo2, hi2) = bounds
    truth = [Fraction(r.total_weight) for r in (c.result(q) for q in QUARTERS)]
    # the growth of the people in both quarters, exactly (generous to the attacker)
    if c.victim.end_date is None:
        growth = truth[2] - truth[1] - victim_weight(c)
    else:
        growth = truth[2] - truth[1] + victim_weight(c)
    if c.victim.end_date is None:
        jump = (lo2 - hi1 - growth, hi2 - lo1 - growth)
    else:
        jump = (lo1 + growth - hi2, hi1 + growth - lo2)
    return to_salary(c, jump[0]), to_salary(c, jump[1])


def to_cents(d: Decimal) -> int:
    return int(d * 100)
