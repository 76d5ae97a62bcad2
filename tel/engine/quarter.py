"""One quarter, end to end: threshold, TEL profit, gates, eligibility, pools and checks."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    SerializerFunctionWrapHandler,
    TypeAdapter,
    model_serializer,
    model_validator,
)

from tel.core.models import Month, Person, Plan, Scenario
from tel.core.money import Cents, to_cents, to_dollars
from tel.core.periods import Quarter
from tel.engine.ledger import Balances, Entry, entry_for
from tel.rules.allocate import share_checks
from tel.rules.eligibility import Eligibility, Prorated, judge, prorated
from tel.rules.gates import Gates, check_gates
from tel.rules.pools import pct_of, pct_units
from tel.rules.threshold import min_gp
from tel.rules.weights import weigher

_FROZEN = ConfigDict(frozen=True, extra="forbid")


class Payout(BaseModel):
    """One roster row's result. Money in cents; ``weight`` in proportional integer units
    (:func:`tel.rules.weights.weight_units`, times ``days`` when prorated)."""

    model_config = _FROZEN

    name: str
    department: str
    salary: Cents
    eligible: bool
    reason: str
    months: int
    weight: int
    team: Cents
    merit: Cents
    performance: Decimal = Decimal(1)  # the multiplier used this quarter (roster or scores)
    days: int = 0  # days counted under proration (0 when the plan does not prorate)
    capped: Cents = 0  # taken off this check by the cap and given back to the house

    @property
    def total(self) -> Cents:
        return self.team + self.merit

    @property
    def years(self) -> Decimal:
        return Decimal(self.months) / 12


class QuarterResult(BaseModel):
    """Everything the spec's section 8 prints, plus what the screens need. Money in cents."""

    model_config = _FROZEN

    quarter: str
    pay_date: date
    quarter_end: date
    months_booked: tuple[str, ...]
    gp_by_month: tuple[Cents, ...]
    min_gp: Cents
    gp_total: Cents
    tel_profit: Cents
    gates: Gates
    house: Cents
    staff_pool: Cents
    team_pool: Cents
    merit_pool: Cents
    undistributed: Cents
    payouts: tuple[Payout, ...]
    # the ledger (section 10); defaults read an approval made before the ledger existed
    carry_in: Cents = 0
    carry_out: Cents = 0
    deferred_in: Cents = 0
    deferred_out: Cents = 0
    reserve_in: Cents = 0
    held_back: Cents = 0
    released: Cents = 0
    reserve_out: Cents = 0
    available: Cents = 0
    employer_tax: Cents = 0
    paid_pool: Cents = 0
    capped_to_house: Cents = 0
    # a shadow quarter (tel.core.policy.Shadow): what the plan would pay, never paid
    shadow: bool = False

    @model_serializer(mode="wrap")
    def _live_left_out(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """A live quarter does not write ``shadow``: its results serialise exactly as before
        the setting existed (an approval's results, which are always live, keep their form)."""
        data: dict[str, Any] = handler(self)
        if not self.shadow:
            data.pop("shadow", None)
        return data

    @model_validator(mode="before")
    @classmethod
    def _before_the_ledger(cls, data: object) -> object:
        """A result stored before the ledger existed paid its staff pool as it was: read
        back, ``available`` and ``paid_pool`` are that pool (0 when a gate failed)."""
        if isinstance(data, dict) and "paid_pool" not in data and "staff_pool" in data:
            gates = data.get("gates")
            passed = (gates.passed if isinstance(gates, Gates)
                      else bool(gates and gates.get("cash_ok") and gates.get("ar_ok")))
            pool = data["staff_pool"] if passed else 0
            return {**data, "available": pool, "paid_pool": pool}
        return data

    @property
    def opening(self) -> Balances:
        """The balances this quarter started from (recorded with an approval)."""
        return Balances(carry=self.carry_in, deferred=self.deferred_in, reserve=self.reserve_in)

    @property
    def returned_to_house(self) -> Cents:
        """Staff money that went back to the house this quarter: a forfeited pool, a pool
        nobody was eligible for, and what the caps took."""
        forfeited = 0
        if not self.gates.passed and self.deferred_out == self.deferred_in:
            forfeited = self.staff_pool
        return forfeited + self.undistributed + self.capped_to_house

    @property
    def complete(self) -> bool:
        return len(self.months_booked) == 3

    @property
    def eligible(self) -> list[Payout]:
        return [p for p in self.payouts if p.eligible]

    @property
    def eligible_count(self) -> int:
        return sum(1 for p in self.payouts if p.eligible)

    @property
    def total_weight(self) -> int:
        return sum(p.weight for p in self.payouts if p.eligible)

    @property
    def paid(self) -> Cents:
        return sum(p.total for p in self.payouts)

    @property
    def reconciles(self) -> bool:
        """Checks + employer tax + what nobody could take + what the caps took = what was
        available (section 10): every cent accounted for."""
        return (self.paid + self.employer_tax + self.undistributed + self.capped_to_house
                == self.available)

    @property
    def paid_count(self) -> int:
        """How many people get a check above zero."""
        return sum(1 for p in self.payouts if p.total > 0)

    @property
    def average_check(self) -> Cents:
        """Average eligible check (0 when nobody is eligible), rounded half-up."""
        n = self.eligible_count
        return (2 * self.paid + n) // (2 * n) if n else 0

    def to_json_dict(self) -> dict[str, Any]:
        """The spec's JSON object; money as exact decimal strings."""

        def m(c: Cents) -> str:
            return str(to_dollars(c))

        return {
            "quarter": self.quarter,
            "pay_date": self.pay_date.isoformat(),
            "months_booked": list(self.months_booked),
            "min_gp": m(self.min_gp),
            "gp_total": m(self.gp_total),
            "tel_profit": m(self.tel_profit),
            "gates": {
                "cash_ok": self.gates.cash_ok,
                "ar_ok": self.gates.ar_ok,
                "passed": self.gates.passed,
            },
            "house": m(self.house),
            "staff_pool": m(self.staff_pool),
            "team_pool": m(self.team_pool),
            "merit_pool": m(self.merit_pool),
            "undistributed": m(self.undistributed),
            **{key: m(getattr(self, key)) for key in LEDGER_KEYS},
            "shadow": self.shadow,  # True: what the plan would pay, not paid
            "payouts": [
                {
                    "name": p.name,
                    "eligible": p.eligible,
                    "reason": p.reason,
                    "team": m(p.team),
                    "merit": m(p.merit),
                    "total": m(p.total),
                }
                for p in self.payouts
            ],
        }


LEDGER_KEYS = ("carry_in", "carry_out", "deferred_in", "deferred_out", "held_back", "released",
               "reserve_out", "available", "employer_tax", "paid_pool", "capped_to_house")
"""Section 14's additions to ``tel quarter --json``, in order."""

_ONE = Decimal(1)

# Validating every row in one pydantic-core call is faster than a Python loop of
# ``model_construct`` (about 2x at 1,000 rows) and still checks each row.
_PAYOUTS = TypeAdapter(tuple[Payout, ...])


class NoBookedMonth(ValueError):
    """The chosen quarter has no booked month: an error, never a zero."""


Scores = Mapping[tuple[str, str], Decimal]
"""Performance by (name, quarter): a scores file's rows (section 12)."""


def compute_quarter(
    plan: Plan,
    roster: Sequence[Person],
    months: Sequence[Month],
    quarter: Quarter,
    scores: Scores | None = None,
) -> QuarterResult:
    """Pay one quarter exactly as ``shared/spec/tel-model.md`` says, to the cent: the ledger
    up to it (:mod:`tel.engine.ledger`), then its checks (:func:`pay`).

    >>> from tel.core.models import Month, Person
    >>> ms = [Month(year=2026, month=m, gp=g, cash_on_hand=52000, ar_total=320000,
    ...             ar_90_plus=24000) for m, g in ((7, 69343), (8, 59343), (9, 73434))]
    >>> ann = Person(name="Ann", salary=60000, start_date=date(2020, 1, 1))
    >>> r = compute_quarter(Plan(), [ann], ms, Quarter(2026, 3))
    >>> r.tel_profit, r.house, r.staff_pool, r.team_pool, r.merit_pool, r.payouts[0].total
    (1612000, 403000, 1209000, 604500, 604500, 1209000)
    """
    entry = entry_for(plan, months, quarter)
    if entry is None:
        raise NoBookedMonth(f"{quarter} has no booked month")
    return pay(plan, roster, entry, scores)


def compute_scenario(scenario: Scenario, quarter: Quarter) -> QuarterResult:
    """:func:`compute_quarter` on a scenario's plan, roster (with a saved what-if's
    hypothetical people), months and scores."""
    return compute_quarter(scenario.plan, scenario.people.apply(scenario.roster),
                           scenario.months, quarter, scenario.score_map)


def pay(plan: Plan, roster: Sequence[Person], entry: Entry,
        scores: Scores | None = None) -> QuarterResult:
    """One ledger entry's checks (section 10 step 6, sections 11 to 13)."""
    with _gc_paused():
        return _pay(plan, roster, entry, scores or {})


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while one quarter is built.

    A quarter allocates a few objects per person and none of them form cycles (reference
    counting frees them all), yet at 100,000 people the collector runs several full passes
    over everything alive, roster included: about 40% of the time. The previous state is
    restored, so a caller that disabled the collector keeps it disabled.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _pay(plan: Plan, roster: Sequence[Person], entry: Entry, scores: Scores) -> QuarterResult:
    fys = plan.fiscal_year_start
    quarter, booked, s = entry.quarter, entry.months, entry.step
    gates = entry.gates if entry.gates is not None else check_gates(plan, booked[-1])  # raises
    quarter_end = quarter.last_day(fys)
    pay_date = plan.pay_date(quarter)  # the pay day moved by the plan's pay-day rule
    label = str(quarter)
    perf = ([scores.get((p.name, label), p.performance) for p in roster] if scores
            else [p.performance for p in roster])
    salaries = [to_cents(p.salary) for p in roster]
    if plan.partial == "prorate":
        first = date(*quarter.months(fys)[0], 1)
        verdicts: list[Eligibility | Prorated] = [
            prorated(p, first, quarter_end, plan.min_months) for p in roster]
    else:
        verdicts = [judge(p, quarter_end, pay_date, plan.min_months) for p in roster]
    prorate = plan.partial == "prorate"
    weigh = weigher(plan.merit)
    if prorate:
        days = [v.days if isinstance(v, Prorated) else 0 for v in verdicts]
        units = [weigh(sal, v.months, pf) * d if v.eligible else 0
                 for sal, v, pf, d in zip(salaries, verdicts, perf, days, strict=True)]
    else:
        days = [0] * len(roster)
        units = [weigh(sal, v.months, pf) if v.eligible else 0
                 for sal, v, pf in zip(salaries, verdicts, perf, strict=True)]
    chosen = [i for i, v in enumerate(verdicts) if v.eligible]

    team = [0] * len(roster)
    merit = [0] * len(roster)
    capped = [0] * len(roster)
    undistributed = 0
    if entry.passed and chosen:
        cap_units = pct_units(plan.caps.max_pct_of_salary)
        shared = share_checks(
            s.team_pool, s.merit_pool, [units[i] for i in chosen],
            [days[i] for i in chosen] if prorate else None,
            [pct_of(salaries[i], cap_units) for i in chosen] if cap_units else None)
        for i, t_, m_, c_ in zip(chosen, *shared, strict=True):
            team[i], merit[i], capped[i] = t_, m_, c_
    elif entry.passed:
        undistributed = s.paid_pool

    rows: list[dict[str, object]] = [
        {
            "name": p.name,
            "department": p.department,
            "salary": salaries[i],
            "eligible": v.eligible,
            "reason": v.reason,
            "months": v.months,
            "weight": units[i],
            "team": team[i],
            "merit": merit[i],
        }
        for i, (p, v) in enumerate(zip(roster, verdicts, strict=True))
    ]
    # the part-two fields only where they differ from their defaults: less to validate
    if any(value != _ONE for value in perf):
        for row, value in zip(rows, perf, strict=True):
            if value != _ONE:
                row["performance"] = value
    for key, ints in (("days", days), ("capped", capped)):
        if any(ints):
            for row, n in zip(rows, ints, strict=True):
                if n:
                    row[key] = n
    payouts = _PAYOUTS.validate_python(rows)
    gp = [to_cents(m.gp) for m in booked]
    return QuarterResult(
        quarter=label,
        pay_date=pay_date,
        quarter_end=quarter_end,
        months_booked=tuple(m.label for m in booked),
        gp_by_month=tuple(gp),
        min_gp=min_gp(plan),
        gp_total=sum(gp),
        tel_profit=s.tel_profit,
        gates=gates,
        house=s.house,
        staff_pool=s.staff_pool,
        team_pool=s.team_pool,
        merit_pool=s.merit_pool,
        undistributed=undistributed,
        payouts=payouts,
        carry_in=entry.carry_in,
        carry_out=s.carry_out,
        deferred_in=entry.opening.deferred,
        deferred_out=s.deferred_out,
        reserve_in=entry.opening.reserve,
        held_back=s.held_back,
        released=s.released,
        reserve_out=s.reserve_out,
        available=s.available,
        employer_tax=s.employer_tax,
        paid_pool=s.paid_pool,
        capped_to_house=sum(capped),
        shadow=entry.shadow,
    )
