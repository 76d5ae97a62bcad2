"""One rule, two paths: the vectorised sweeps (``tel.analysis.sweeps``) pay what the exact
quarter (``tel.engine.quarter.compute_quarter``) pays, under every plan variant of spec part two.

Each property draws a whole multi-year case (``strategies_partwo.cases``: a random plan with
random variants, roster, months and scores), reads it through the real loaders, picks one of
its booked quarters, and sweeps that quarter's GP. A sweep moves every booked month of the
quarter by the same amount (``sweeps.months_at``); the exact path gets exactly those months,
and the rest of the books unchanged, so the opening balances (carry, deferred, reserve) are
the same on both sides.

Pools are compared with ``==``. Checks are within one cent: the team split is exact in
integers, the merit split ranks float64 remainders (one cent at most), and a cap takes the
smaller of the check and the cap, which moves nothing by more than the check moved.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
from case_files import scenario_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies_partwo import cases, examples

from tel.analysis.sweeps import (
    SweepBasis,
    break_even_avg_gp,
    gp_needed_for_staff_pool,
    gp_needed_for_staff_pools,
    months_at,
    pools,
    sweep,
    tel_profit_for_staff_pool,
)
from tel.core.models import Month, Scenario
from tel.core.money import to_dollars
from tel.core.periods import Quarter
from tel.engine.quarter import QuarterResult, compute_scenario
from tel.rules.pools import Terms, split

RULES = settings(max_examples=examples(30), deadline=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

WINDFALL = 200_000_000  # $2,000,000 more GP in the quarter

POOLS = ("tel_profit", "house", "staff_pool", "team_pool", "merit_pool", "paid_pool",
         "available", "held_back", "released", "employer_tax", "carry_out", "deferred_out",
         "reserve_out")




@st.composite
def quarters_of_cases(draw: st.DrawFn) -> tuple[Scenario, Quarter]:
    """A case read through the loaders, and one of its booked quarters (often the last)."""
    case = draw(cases())
    chosen = draw(st.one_of(st.just(case.quarters[-1]), st.sampled_from(case.quarters)))
    return scenario_of(case), Quarter.parse(chosen)


def with_gp(s: Scenario, gp: dict[str, int]) -> Scenario:
    """The scenario with the months named in ``gp`` booked at those cents, the rest as is."""
    months = tuple(
        m.model_copy(update={"gp": to_dollars(gp[m.label])}) if m.label in gp else m
        for m in s.months
    )
    return s.model_copy(update={"months": months})


def at_total(s: Scenario, basis: SweepBasis, total: int) -> Scenario:
    """The books with the quarter's booked GP at ``total``, moved as a sweep moves it."""
    moved = [int(g) for g in months_at(basis, total)]
    return with_gp(s, dict(zip(basis.month_labels, moved, strict=True)))


def assert_same_pools(swept: object, i: int, exact: QuarterResult) -> None:
    for name in POOLS:
        assert float(getattr(swept, name)[i]) == getattr(exact, name), name


def assert_checks_within_a_cent(got: np.ndarray, exact: QuarterResult) -> None:
    want = np.array([p.total for p in exact.payouts], dtype=np.float64)
    assert got.shape == want.shape
    assert np.all(got == np.round(got))
    assert np.all(np.abs(got - want) <= 1), (got - want, exact.quarter)
    if exact.capped_to_house == 0 and exact.paid:  # nothing capped: every cent is shared
        assert got.sum() == want.sum() == exact.paid_pool


def totals_around(basis: SweepBasis, deltas: list[int]) -> list[int]:
    """GP totals: the booked one moved by ``deltas``, either side of break-even, and a
    windfall (so that caps bite)."""
    n = basis.months_booked
    even = n * break_even_avg_gp(basis)
    return [basis.gp_total, *(basis.gp_total + d for d in deltas), even, even + n, even - 1,
            basis.gp_total + WINDFALL]


# --------------------------------------------------------------------------- the parity


@RULES
@given(books=quarters_of_cases(),
       deltas=st.lists(st.integers(-4_000_000, 4_000_000), min_size=1, max_size=4))
def test_sweep_pools_equal_the_exact_quarter_under_every_variant(
    books: tuple[Scenario, Quarter], deltas: list[int]
) -> None:
    s, q = books
    basis = SweepBasis.from_result(compute_scenario(s, q), s.plan)
    totals = totals_around(basis, deltas)
    swept = sweep(basis, gp_total=totals)
    for i, total in enumerate(totals):
        exact = compute_scenario(at_total(s, basis, total), q)
        assert exact.gp_total == total
        assert swept.pools.gp_total[i] == total
        assert_same_pools(swept.pools, i, exact)
        assert_checks_within_a_cent(swept.checks[i], exact)


@RULES
@given(books=quarters_of_cases(), avg=st.integers(-1_000_000, 9_000_000))
def test_a_few_chosen_people_get_the_checks_the_whole_roster_sweep_gives_them(
    books: tuple[Scenario, Quarter], avg: int
) -> None:
    s, q = books
    basis = SweepBasis.from_result(compute_scenario(s, q), s.plan)
    everyone = sweep(basis, avg_gp=[avg, basis.min_gp])
    few = list(basis.names[::3])  # the sort-free ranking path
    cols = [basis.names.index(n) for n in few]
    assert np.array_equal(sweep(basis, avg_gp=[avg, basis.min_gp], people=few).checks,
                          everyone.checks[:, cols])


@RULES
@given(books=quarters_of_cases(),
       house=st.integers(0, 1_000_000).map(lambda u: Decimal(u).scaleb(-4)),
       team=st.integers(0, 1_000_000).map(lambda u: Decimal(u).scaleb(-4)))
def test_a_split_sweep_equals_the_exact_quarter_with_that_split_when_nothing_is_carried(
    books: tuple[Scenario, Quarter], house: Decimal, team: Decimal
) -> None:
    """A split swept moves this quarter only; the opening balances are held. With none (or
    the same ones under the new split) it is the exact quarter under the changed plan."""
    s, q = books
    basis = SweepBasis.from_result(compute_scenario(s, q), s.plan)
    swept = sweep(basis, house_pct=[house], team_pct=[team])
    changed = s.model_copy(update={"plan": s.plan.model_copy(
        update={"house_pct": house, "team_pct": team})})
    exact = compute_scenario(changed, q)
    if exact.opening != compute_scenario(s, q).opening:
        return  # an earlier quarter paid differently: a what-if of the whole books, not this
    assert_same_pools(swept.pools, 0, exact)
    assert_checks_within_a_cent(swept.checks[0], exact)


@RULES
@given(books=quarters_of_cases())
def test_the_basis_point_of_every_sweep_is_the_exact_quarter(
    books: tuple[Scenario, Quarter],
) -> None:
    s, q = books
    exact = compute_scenario(s, q)
    basis = SweepBasis.from_result(exact, s.plan)
    assert_same_pools(pools(basis, gp_total=[basis.gp_total]), 0, exact)
    assert basis.tel_profit == exact.tel_profit
    assert (basis.carry_in, basis.deferred_in, basis.reserve_in) == (
        exact.carry_in, exact.deferred_in, exact.reserve_in)
    assert basis.release == (exact.released > 0 or (q.q == 4 and exact.complete))


# --------------------------------------------------------------------------- how GP moves


@given(gp=st.lists(st.integers(-10**9, 10**9), min_size=1, max_size=3),
       total=st.integers(-3 * 10**9, 3 * 10**9))
def test_a_gp_sweep_moves_every_booked_month_by_the_same_amount_to_the_cent(
    gp: list[int], total: int
) -> None:
    class Fake:  # months_at reads only these two
        gp_by_month = tuple(gp)
        months_booked = len(gp)
        gp_total = sum(gp)

    moved = [int(x) for x in months_at(Fake(), total)]  # type: ignore[arg-type]
    steps = [a - b for a, b in zip(moved, gp, strict=True)]
    assert sum(moved) == total
    assert max(steps) - min(steps) <= 1
    assert steps == sorted(steps, reverse=True)  # the extra cents go to the first months


# --------------------------------------------------------------------------- targets


@RULES
@given(books=quarters_of_cases())
def test_break_even_is_the_last_average_gp_without_tel_profit_under_every_netting(
    books: tuple[Scenario, Quarter],
) -> None:
    s, q = books
    basis = SweepBasis.from_result(compute_scenario(s, q), s.plan)
    even = break_even_avg_gp(basis)
    n = basis.months_booked
    below, above = (compute_scenario(at_total(s, basis, n * a), q) for a in (even, even + 1))
    assert below.tel_profit == 0 < above.tel_profit


@RULES
@given(books=quarters_of_cases(), target=st.integers(1, 5_000_000))
def test_gp_needed_for_a_staff_pool_reaches_it_and_a_cent_less_misses(
    books: tuple[Scenario, Quarter], target: int
) -> None:
    """The unbooked months at equal GP (a cent more for the first), as many as are left: the
    GP needed gives a staff pool of at least the target and a cent less does not, whatever
    the netting and the minimum house share. With no month left, GP is added to the booked
    months as a sweep adds it."""
    s, q = books
    exact = compute_scenario(s, q)
    basis = SweepBasis.from_result(exact, s.plan)
    if s.plan.house_pct == 100:
        return
    need = gp_needed_for_staff_pool(basis, target)
    assert gp_needed_for_staff_pools(basis, [target])[0] == need
    fys = s.plan.fiscal_year_start
    labels = [f"{y:04d}-{m:02d}" for y, m in q.months(fys)]
    left = [lab for lab in labels if lab not in basis.month_labels]

    def staff_with(extra: int) -> int:
        if not left:
            return compute_scenario(at_total(s, basis, basis.gp_total + extra), q).staff_pool
        each, first = divmod(extra, len(left))
        gp = {lab: each + (1 if i < first else 0) for i, lab in enumerate(left)}
        template = next(m for m in s.months if m.label == basis.month_labels[-1])
        added = [Month(year=int(lab[:4]), month=int(lab[5:]), gp=to_dollars(gp[lab]),
                       cash_on_hand=template.cash_on_hand, ar_total=template.ar_total,
                       ar_90_plus=template.ar_90_plus) for lab in left]
        booked = s.model_copy(update={"months": (*s.months, *added)})
        return compute_scenario(booked, q).staff_pool

    assert staff_with(need) >= target
    if need > 0:
        assert staff_with(need - 1) < target


@given(target=st.integers(-5, 10**8),
       house=st.integers(0, 999_999).map(lambda u: Decimal(u).scaleb(-4)),
       min_house=st.one_of(st.just(0), st.integers(0, 10**8)))
def test_the_tel_profit_for_a_staff_pool_is_the_smallest_the_kernel_accepts(
    target: int, house: Decimal, min_house: int
) -> None:
    terms = Terms(0, "quarter", int(house * 10_000), min_house, 0, False, 0, 0)
    p = tel_profit_for_staff_pool(target, house, min_house)
    assert split(p, terms)[1] >= target
    assert p == 0 or split(p - 1, terms)[1] < target
