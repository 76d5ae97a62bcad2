"""The rules kernel: excess, house, gates' consequence, reserve, employer tax and the pools.

Spec sections 3, 6 and 10, written once. Every function works on plain ``int`` cents (the
exact path) and, unchanged, on ``int64`` numpy arrays (sweeps, risk): only ``+ - * //`` and
comparisons are used, with ``where``/``pos``/``least`` spelled in arithmetic so both kinds
flow through the same lines. Rounding is half-up on exact values: a percentage has at most
four decimals, so ``round(x * pct / 100)`` is the integer ``rhu(x * units, 10**6)``.

For arrays, every amount must stay below ``MAX_AMOUNT`` (about $46 billion) so that
``2 * x * units`` fits in int64; :mod:`tel.core.money` keeps inputs far below that.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final, NamedTuple

from tel.core.models import Plan
from tel.core.money import Cents, to_cents

PCT_UNITS: Final = 10_000  # a percent has at most four decimals
DEN: Final = 100 * PCT_UNITS  # x * pct / 100 == x * units / DEN
MAX_AMOUNT: Final = (2**63 - 1) // (2 * DEN) - 1  # 2 x (x + 1) x DEN fits: every rounding

# ``Any`` here is "int, or an int64/bool numpy array": the same arithmetic serves both.
Amount = Any


def pct_units(pct: Decimal | int) -> int:
    """A percentage (at most four decimals) in units of 1/10,000 percent, exactly.

    >>> pct_units(Decimal("7.65")), pct_units(Decimal("25"))
    (76500, 250000)
    """
    units = Decimal(pct) * PCT_UNITS
    if units != units.to_integral_value():
        raise ValueError(f"{pct} has more than four decimals")
    return int(units)


def rhu(numerator: Amount, denominator: int) -> Amount:
    """``round(numerator / denominator)`` half-up, for ``numerator >= 0``, in integers.

    >>> rhu(5, 2), rhu(7, 3), rhu(0, 4)
    (3, 2, 0)
    """
    return (2 * numerator + denominator) // (2 * denominator)


def pct_of(amount: Amount, units: int) -> Amount:
    """``round(amount * pct / 100)`` half-up, with ``pct`` in :func:`pct_units`.

    >>> pct_of(1612000, 250000), pct_of(1, 500000)
    (403000, 1)
    """
    return rhu(amount * units, DEN)


def pos(x: Amount) -> Amount:
    """``max(0, x)``."""
    return x * (x > 0)


def least(a: Amount, b: Amount) -> Amount:
    """``min(a, b)``."""
    return b + (a - b) * (a < b)


def where(cond: Amount, a: Amount, b: Amount) -> Amount:
    """``a if cond else b``, element by element."""
    return b + (a - b) * cond


@dataclass(frozen=True, slots=True)
class Terms:
    """A plan's money rules as integers: what the kernel needs and nothing else."""

    min_gp: int
    netting: str
    house: int  # percent units
    min_house: int  # cents
    team: int
    defer: bool
    holdback: int
    employer: int

    @classmethod
    def of(cls, plan: Plan) -> Terms:
        parts = (plan.overhead, plan.debt_service, plan.owner_retention, plan.ni_retention)
        return cls(
            min_gp=sum(to_cents(x) for x in parts),
            netting=plan.netting.mode,
            house=pct_units(plan.house_pct),
            min_house=to_cents(plan.min_house),
            team=pct_units(plan.team_pct),
            defer=plan.gate_failure.policy == "defer",
            holdback=pct_units(plan.reserve.holdback_pct),
            employer=pct_units(plan.payroll_tax.employer_pct),
        )

    def with_splits(self, house: int | None = None, team: int | None = None) -> Terms:
        """The same terms with other house / team percent units (sweeps vary them)."""
        return Terms(self.min_gp, self.netting, self.house if house is None else house,
                     self.min_house, self.team if team is None else team, self.defer,
                     self.holdback, self.employer)


def excess(gp: Sequence[Amount], min_gp: Amount, netting: str, carry_in: Amount = 0) -> Amount:
    """What the booked months earn over Min GP, by the netting mode (section 10, step 1).

        quarter        sum(gp) - months * min_gp
        monthly_floor  sum(max(0, gp - min_gp))
        carry_forward  sum(gp) - months * min_gp + carry_in   (carry_in <= 0)

    >>> gp = [6934300, 5934300, 7343400]
    >>> excess(gp, 6200000, "quarter"), excess(gp, 6200000, "monthly_floor")
    (1612000, 1877700)
    >>> excess(gp, 6200000, "carry_forward", -2000000)
    -388000
    """
    if not gp:
        raise ValueError("no booked month in the quarter")
    if netting == "monthly_floor":
        return sum(pos(g - min_gp) for g in gp)
    total = sum(gp) - len(gp) * min_gp
    return total + carry_in if netting == "carry_forward" else total


def split(tel_profit: Amount, terms: Terms) -> tuple[Amount, Amount]:
    """(house, staff_pool) of a TEL profit (section 10, step 2).

        house = max(round(tel_profit * house_pct / 100), min(min_house, tel_profit))

    >>> t = Terms.of(Plan())
    >>> split(1612000, t)
    (403000, 1209000)
    """
    house = pct_of(tel_profit, terms.house)
    floor = least(terms.min_house, tel_profit)
    house = where(floor > house, floor, house)
    return house, tel_profit - house


def team_merit(pool: Amount, terms: Terms) -> tuple[Amount, Amount]:
    """(team_pool, merit_pool) of a pool: ``team = round(pool * team_pct / 100)``.

    >>> team_merit(1209000, Terms.of(Plan()))
    (604500, 604500)
    """
    team = pct_of(pool, terms.team)
    return team, pool - team


class Step(NamedTuple):
    """One quarter's pool-level figures (section 10, steps 1 to 6 before the checks)."""

    excess: Amount
    tel_profit: Amount
    carry_out: Amount
    house: Amount
    staff_pool: Amount
    deferred_out: Amount
    held_back: Amount
    released: Amount
    reserve_out: Amount
    available: Amount
    employer_tax: Amount
    paid_pool: Amount
    team_pool: Amount  # of paid_pool when the gates pass, else of staff_pool (at stake)
    merit_pool: Amount


def step(
    gp: Sequence[Amount],
    passed: Amount,
    terms: Terms,
    *,
    carry_in: Amount = 0,
    deferred_in: Amount = 0,
    reserve_in: Amount = 0,
    release: bool = False,
) -> Step:
    """One quarter of the ledger, in the spec's order (section 10):

        1 excess by the netting mode; tel_profit = max(0, excess); carry_out = min(0, excess)
          under carry_forward, else 0
        2 house = max(round(tel_profit x house%), min(min_house, tel_profit)); staff = rest
        3 gates fail: nothing paid; deferred_out = deferred_in (+ staff_pool under defer)
        4 available = staff_pool + deferred_in - held_back (+ the reserve, released in a
          complete fiscal Q4); held_back = round(staff_pool x holdback%)
        5 paid_pool = round(available x 100 / (100 + employer%)); employer_tax = the rest
        6 team_pool = round(paid_pool x team%), merit_pool = paid_pool - team_pool

    ``release`` says the quarter is a fiscal year's fourth with its three months booked.

    >>> s = step([6934300, 5934300, 7343400], True, Terms.of(Plan()))
    >>> s.tel_profit, s.house, s.staff_pool, s.paid_pool, s.team_pool, s.merit_pool
    (1612000, 403000, 1209000, 1209000, 604500, 604500)
    """
    ex = excess(gp, terms.min_gp, terms.netting, carry_in)
    profit = pos(ex)
    carry_out = ex - profit if terms.netting == "carry_forward" else 0 * ex
    house, staff = split(profit, terms)
    held = pct_of(staff, terms.holdback)
    reserve = reserve_in + held
    freed = reserve if release else 0 * reserve
    avail = staff + deferred_in - held + freed
    paid = rhu(avail * DEN, DEN + terms.employer)
    ok = passed
    failed_deferred = deferred_in + staff if terms.defer else deferred_in + 0 * staff
    available = where(ok, avail, 0)
    paid_pool = where(ok, paid, 0)
    team, merit = team_merit(where(ok, paid_pool, staff), terms)
    return Step(
        excess=ex,
        tel_profit=profit,
        carry_out=carry_out,
        house=house,
        staff_pool=staff,
        deferred_out=where(ok, 0, failed_deferred),
        held_back=where(ok, held, 0),
        released=where(ok, freed, 0),
        reserve_out=where(ok, reserve - freed, reserve_in),
        available=available,
        employer_tax=available - paid_pool,
        paid_pool=paid_pool,
        team_pool=team,
        merit_pool=merit,
    )


def split_profit(profit: Cents, plan: Plan) -> tuple[Cents, Cents, Cents, Cents]:
    """TEL profit -> (house, staff_pool, team_pool, merit_pool) with nothing deferred, held
    back or taxed: the pools as the source's plan splits them (section 6, with ``min_house``).

    >>> split_profit(1612000, Plan())
    (403000, 1209000, 604500, 604500)
    """
    terms = Terms.of(plan)
    house, staff = split(profit, terms)
    team, merit = team_merit(staff, terms)
    return house, staff, team, merit
