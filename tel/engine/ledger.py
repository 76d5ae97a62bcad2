"""The ledger (spec section 10): quarters in order, with what they carry.

Three balances travel from one quarter to the next: ``carry`` (an unmade shortfall under
``carry_forward``, <= 0, back to 0 at the start of each fiscal year), ``deferred`` (staff
pools held by failed gates under ``defer``) and ``reserve`` (holdbacks, released with a
complete fiscal fourth quarter). None of them depends on who is on the roster, so the fold
runs on pool-level figures alone (:func:`tel.rules.pools.step`) and is cheap: the checks of
one quarter are then paid from that quarter's opening balances.

A plan that starts in shadow (:class:`tel.core.policy.Shadow`) computes its shadow quarters
like any other, but nothing is paid for them, so nothing they carry is owed: the first live
quarter after them starts from zero balances (money never owed never reaches a paid quarter).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tel.core.models import Month, Plan
from tel.core.money import Cents, to_cents
from tel.core.periods import Quarter
from tel.rules.gates import Gates, MissingAging, check_gates
from tel.rules.pools import Step, Terms, step


@dataclass(frozen=True, slots=True)
class Balances:
    """What a quarter starts from (or hands on). Cents; all 0 at the ledger's start."""

    carry: Cents = 0
    deferred: Cents = 0
    reserve: Cents = 0


@dataclass(frozen=True, slots=True)
class Entry:
    """One booked quarter of the ledger: its months, its opening balances and its step."""

    quarter: Quarter
    months: tuple[Month, ...]  # booked, in order
    opening: Balances
    carry_in: Cents  # the opening carry as used (0 in a fiscal year's first quarter)
    gates: Gates | None  # None: the gate month has no A/R aging (see ``run``)
    release: bool
    step: Step
    shadow: bool = False  # a shadow quarter: computed, shown, never paid

    @property
    def passed(self) -> bool:
        return self.gates is not None and self.gates.passed

    @property
    def closing(self) -> Balances:
        return Balances(carry=self.step.carry_out, deferred=self.step.deferred_out,
                        reserve=self.step.reserve_out)


def booked_quarters(months: Sequence[Month], fiscal_year_start: int) -> list[Quarter]:
    """Quarters with at least one booked month, oldest first."""
    return sorted({Quarter.containing(m.ym, fiscal_year_start) for m in months})


def run(plan: Plan, months: Sequence[Month], until: Quarter | None = None) -> list[Entry]:
    """The ledger from the first quarter with a booked month through ``until`` (or the last).

    A quarter with no booked month is not a step: the balances pass over it unchanged, except
    that ``carry`` never crosses into another fiscal year. Under a plan that starts in shadow,
    the first booked quarter from the one it goes live starts from zero balances when an
    earlier step came before that (whatever shadow quarters carried was never owed).

    >>> from decimal import Decimal
    >>> from tel.core.policy import Netting
    >>> ms = [Month(year=2026, month=m, gp=g, cash_on_hand=60000, ar_total=0, ar_90_plus=0)
    ...       for m, g in ((1, 50000), (2, 50000), (3, 50000), (4, 90000), (5, 62000),
    ...                    (6, 62000))]
    >>> plan = Plan(netting=Netting(mode="carry_forward"))
    >>> [(str(e.quarter), e.carry_in, e.step.tel_profit) for e in run(plan, ms)]
    [('2026-Q1', 0, 0), ('2026-Q2', -3600000, 0)]
    """
    fys = plan.fiscal_year_start
    terms = Terms.of(plan)
    by_quarter: dict[Quarter, list[Month]] = {}
    for m in sorted(months, key=lambda m: m.ym):
        by_quarter.setdefault(Quarter.containing(m.ym, fys), []).append(m)
    out: list[Entry] = []
    balances = Balances()
    last: Quarter | None = None
    live = plan.shadow.first_live  # None: no shadow
    for q in sorted(by_quarter):
        if until is not None and q > until:
            break
        booked = tuple(by_quarter[q])
        if live is not None and last is not None and last < live <= q:
            balances = Balances()  # the plan goes live: nothing carried was ever owed
        carry_in = balances.carry if last is not None and last.year == q.year else 0
        try:
            gates: Gates | None = check_gates(plan, booked[-1])
        except MissingAging:
            # an earlier quarter whose gate month has no A/R aging: under a plan that carries
            # nothing a gate decides (no deferral, no holdback) its outcome cannot change a
            # later quarter, so the ledger walks on; paying that quarter itself still refuses
            if q == until or terms.defer or terms.holdback:
                raise
            gates = None
        release = q.q == 4 and len(booked) == 3
        passed = gates is not None and gates.passed
        s = step([to_cents(m.gp) for m in booked], passed, terms, carry_in=carry_in,
                 deferred_in=balances.deferred, reserve_in=balances.reserve, release=release)
        entry = Entry(q, booked, balances, carry_in, gates, release, s,
                      shadow=plan.shadow.covers(q))
        out.append(entry)
        balances = entry.closing
        last = q
    return out


def entry_for(plan: Plan, months: Sequence[Month], quarter: Quarter) -> Entry | None:
    """The ledger's entry for ``quarter`` (``None`` when it has no booked month)."""
    entries = run(plan, months, until=quarter)
    return entries[-1] if entries and entries[-1].quarter == quarter else None
