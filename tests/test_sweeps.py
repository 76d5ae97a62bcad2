"""The vectorised what-if path agrees with the exact quarter engine at every point."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies_partwo import examples

from tel.analysis.sweeps import (
    MAX_PROFIT,
    SweepBasis,
    break_even_avg_gp,
    checks,
    gp_needed_for_staff_pool,
    gp_needed_for_staff_pools,
    pools,
    split_grid,
    sweep,
    team_pct_change,
    tel_profit_for_staff_pool,
    tel_profit_for_staff_pools,
    tornado,
)
from tel.core.models import Employment, Month, Person, Plan
from tel.core.money import Cents, percent_of, to_dollars
from tel.core.periods import Quarter
from tel.core.policy import PayrollTax
from tel.engine.quarter import QuarterResult, compute_quarter

Q3 = Quarter(2026, 3)


# --------------------------------------------------------------------------- fixtures


def spec_months(gps: Sequence[int] = (69343, 59343, 73434), cash: int = 52000) -> list[Month]:
    return [
        Month(year=2026, month=7 + i, gp=g, cash_on_hand=cash, ar_total=320000, ar_90_plus=24000)
        for i, g in enumerate(gps)
    ]


def mixed_roster(n: int = 25) -> list[Person]:
    """Varied salaries and tenures, equal-weight twins (remainder ties) and the ineligible."""
    people = []
    for i in range(n):
        people.append(
            Person(
                name=f"P{i:02d}",
                salary=Decimal(40000 + (i * 7919) % 90000) + Decimal("0.37"),
                start_date=date(2014 + i % 12, 1 + i % 12, 1 + i % 28),
                performance=Decimal(i % 4) / 2 + Decimal("0.5"),
                owner=i == 3,
                full_time=i != 5,
                employment=Employment.CONTRACTOR if i == 7 else Employment.W2,
                department=("Ops", "Dev", "Sales")[i % 3],
            )
        )
    twins = [Person(name=f"Twin{k}", salary=55000, start_date=date(2019, 4, 1)) for k in range(3)]
    return people + twins


def with_avg_gp(months: Sequence[Month], avg_cents: int) -> list[Month]:
    return [m.model_copy(update={"gp": to_dollars(avg_cents)}) for m in months]


def with_gp_total(months: Sequence[Month], total_cents: int) -> list[Month]:
    others = sum(int(m.gp * 100) for m in months[:-1])
    last = months[-1].model_copy(update={"gp": to_dollars(total_cents - others)})
    return [*months[:-1], last]


def pct(value: float) -> Decimal:
    return Decimal(round(value * 10_000)) / 10_000


def assert_agrees(s_pools: dict[str, float], s_checks: np.ndarray, exact: QuarterResult) -> None:
    """Pools equal to the cent; every check within one cent; checks sum to what is paid."""
    assert s_pools["tel_profit"] == exact.tel_profit
    assert s_pools["house"] == exact.house
    assert s_pools["staff_pool"] == exact.staff_pool
    assert s_pools["team_pool"] == exact.team_pool
    assert s_pools["merit_pool"] == exact.merit_pool
    want = np.array([p.total for p in exact.payouts], dtype=np.float64)
    assert s_checks.shape == want.shape
    assert np.all(np.abs(s_checks - want) <= 1), np.abs(s_checks - want).max()
    assert s_checks.sum() == want.sum()
    assert np.all(s_checks == np.round(s_checks))


def point(p: object, i: int | tuple[int, ...]) -> dict[str, float]:
    names = ("tel_profit", "house", "staff_pool", "team_pool", "merit_pool")
    return {n: float(getattr(p, n)[i]) for n in names}


# --------------------------------------------------------------------------- fixed cases


def test_201_point_gp_sweep_from_zero_to_twice_min_gp_matches_the_exact_path() -> None:
    plan, roster, months = Plan(), mixed_roster(), spec_months()
    basis = SweepBasis.from_inputs(plan, roster, months, Q3)
    grid = np.linspace(0, 2 * basis.min_gp, 201)
    s = sweep(basis, avg_gp=grid)
    assert s.pools.staff_pool.shape == (201,)
    assert s.checks.shape == (201, len(roster))
    for i, avg in enumerate(np.floor(grid + 0.5).astype(int)):
        exact = compute_quarter(plan, roster, with_avg_gp(months, int(avg)), Q3)
        assert_agrees(point(s.pools, i), s.checks[i], exact)


def test_a_quarter_to_date_sweep_over_the_gp_total_matches_the_exact_path() -> None:
    plan, roster, months = Plan(house_pct=Decimal("33.3333")), mixed_roster(), spec_months()[:2]
    basis = SweepBasis.from_inputs(plan, roster, months, Q3)
    totals = np.arange(0, 30_000_000, 149_999)
    s = sweep(basis, gp_total=totals)
    for i, total in enumerate(totals):
        exact = compute_quarter(plan, roster, with_gp_total(months, int(total)), Q3)
        assert_agrees(point(s.pools, i), s.checks[i], exact)


def test_house_and_team_pct_sweeps_match_the_exact_path() -> None:
    plan, roster, months = Plan(), mixed_roster(), spec_months()
    basis = SweepBasis.from_inputs(plan, roster, months, Q3)
    grid = np.linspace(0, 100, 41)
    by_house, by_team = sweep(basis, house_pct=grid), sweep(basis, team_pct=grid)
    for i, x in enumerate(grid):
        exact = compute_quarter(plan.model_copy(update={"house_pct": pct(x)}), roster, months, Q3)
        assert_agrees(point(by_house.pools, i), by_house.checks[i], exact)
        exact = compute_quarter(plan.model_copy(update={"team_pct": pct(x)}), roster, months, Q3)
        assert_agrees(point(by_team.pools, i), by_team.checks[i], exact)


def test_house_by_team_grid_broadcasts_and_each_cell_matches_the_exact_path() -> None:
    plan, roster, months = Plan(), mixed_roster(), spec_months()
    basis = SweepBasis.from_inputs(plan, roster, months, Q3)
    houses, teams = np.array([0, 12.5, 25, 60, 100]), np.array([0, 33.3333, 50, 100])
    s = sweep(basis, house_pct=houses[:, None], team_pct=teams[None, :], people=["P10", "Twin1"])
    assert s.pools.staff_pool.shape == (5, 4)
    assert s.checks.shape == (5, 4, 2)
    grid = split_grid(basis, "P10", houses, teams)
    assert grid.shape == (5, 4)
    assert np.array_equal(grid, s.checks[..., 0])
    for i, h in enumerate(houses):
        for j, t in enumerate(teams):
            p = plan.model_copy(update={"house_pct": pct(h), "team_pct": pct(t)})
            exact = {x.name: x.total for x in compute_quarter(p, roster, months, Q3).payouts}
            assert abs(s.checks[i, j, 0] - exact["P10"]) <= 1
            assert abs(s.checks[i, j, 1] - exact["Twin1"]) <= 1


def test_chosen_people_get_the_same_checks_as_the_whole_roster_sweep() -> None:
    basis = SweepBasis.from_inputs(Plan(), mixed_roster(), spec_months(), Q3)
    grid = np.linspace(5_000_000, 9_000_000, 51)
    everyone = sweep(basis, avg_gp=grid)
    few = ["Twin2", "P00", "P03"]  # the sort-free ranking path (few people)
    many = list(basis.names[::-1])  # the sorting path, in another order
    cols = [basis.names.index(n) for n in few]
    assert np.array_equal(checks(basis, avg_gp=grid, people=few), everyone.checks[:, cols])
    assert np.array_equal(checks(basis, avg_gp=grid, people=many), everyone.checks[:, ::-1])


def test_failed_gate_pays_nothing_but_pools_are_still_computed() -> None:
    plan, roster, months = Plan(), mixed_roster(), spec_months(cash=100)
    basis = SweepBasis.from_inputs(plan, roster, months, Q3)
    assert not basis.gates_passed
    s = sweep(basis, avg_gp=[7_000_000, 8_000_000])
    assert np.all(s.checks == 0)
    exact = compute_quarter(plan, roster, with_avg_gp(months, 8_000_000), Q3)
    assert s.pools.staff_pool[1] == exact.staff_pool > 0


def test_nobody_eligible_pays_nobody() -> None:
    roster = [Person(name="Owner", salary=100000, start_date=date(2010, 1, 1), owner=True)]
    basis = SweepBasis.from_inputs(Plan(), roster, spec_months(), Q3)
    s = sweep(basis, house_pct=[0, 50])
    assert s.pools.staff_pool.tolist() == [1612000.0, 806000.0]
    assert s.checks.tolist() == [[0.0], [0.0]]


def test_all_zero_weights_split_the_merit_pool_like_the_team_pool_exactly() -> None:
    roster = [
        Person(name=f"Z{i}", salary=50000 + i, start_date=date(2020, 1, 1), performance=0)
        for i in range(7)
    ]
    plan, months = Plan(), spec_months()
    basis = SweepBasis.from_inputs(plan, roster, months, Q3)
    grid = np.arange(6_200_000, 6_300_000, 997)
    got = checks(basis, avg_gp=grid)
    for i, avg in enumerate(grid):
        exact = compute_quarter(plan, roster, with_avg_gp(months, int(avg)), Q3)
        assert got[i].tolist() == [p.total for p in exact.payouts]


def test_a_zero_weight_person_never_receives_a_merit_cent() -> None:
    roster = [
        Person(name="A", salary=50000, start_date=date(2020, 1, 1)),
        Person(name="B", salary=70000, start_date=date(2018, 1, 1)),
        Person(name="Zero", salary=50000, start_date=date(2020, 1, 1), performance=0),
    ]
    basis = SweepBasis.from_inputs(Plan(team_pct=0), roster, spec_months(), Q3)
    got = checks(basis, gp_total=np.arange(18_600_000, 18_600_500), people=["Zero"])
    assert np.all(got == 0)


def test_the_spec_example_sweeps_through_its_published_figures() -> None:
    basis = SweepBasis.from_inputs(Plan(), mixed_roster(3), spec_months(), Q3)
    p = pools(basis)
    got = [float(getattr(p, n)) for n in ("tel_profit", "house", "staff_pool", "team_pool")]
    assert got == [1612000, 403000, 1209000, 604500]
    assert float(p.merit_pool) == 604500
    assert break_even_avg_gp(basis) == basis.min_gp == 6_200_000
    below = pools(basis, avg_gp=[basis.min_gp - 1, basis.min_gp, basis.min_gp + 1])
    assert below.tel_profit.tolist() == [0, 0, 3]


def test_basis_is_read_only_and_checks_its_plan() -> None:
    plan, roster, months = Plan(), mixed_roster(), spec_months()
    result = compute_quarter(plan, roster, months, Q3)
    basis = SweepBasis.from_result(result, plan)
    assert basis.eligible_count == result.eligible_count
    assert basis.tel_profit == result.tel_profit
    assert basis.remaining_months == 0
    with pytest.raises(ValueError):
        basis.weights[0] = 5.0
    with pytest.raises(ValueError, match="Min GP"):
        SweepBasis.from_result(result, Plan(overhead=1))
    with pytest.raises(ValueError, match="house differs"):  # the kernel checks the rest
        SweepBasis.from_result(result, Plan(house_pct=30))
    with pytest.raises(ValueError, match="paid_pool differs"):
        SweepBasis.from_result(result, Plan(payroll_tax=PayrollTax(employer_pct=Decimal(1))))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"avg_gp": [1], "gp_total": [3]}, "not both"),
        ({"house_pct": [101]}, "0..100"),
        ({"team_pct": [-1]}, "0..100"),
        ({"avg_gp": [float("nan")]}, "finite"),
        ({"house_pct": Decimal("12.34567")}, "four decimals"),
        ({"people": ["Nobody"]}, "not on the roster"),
    ],
)
def test_bad_sweep_inputs_are_refused(kwargs: dict[str, object], message: str) -> None:
    basis = SweepBasis.from_inputs(Plan(), mixed_roster(3), spec_months(), Q3)
    with pytest.raises(ValueError, match=message):
        sweep(basis, **kwargs)  # type: ignore[arg-type]


def test_a_profit_beyond_int64_room_is_refused_not_wrapped() -> None:
    basis = SweepBasis.from_inputs(Plan(), mixed_roster(3), spec_months(), Q3)
    with pytest.raises(OverflowError):
        pools(basis, gp_total=[10**16])
    with pytest.raises(OverflowError):
        pools(basis, avg_gp=[1e300])


def test_decimal_and_float_percentages_mean_the_same_point() -> None:
    basis = SweepBasis.from_inputs(Plan(), mixed_roster(), spec_months(), Q3)
    a = checks(basis, house_pct=Decimal("33.3333"), team_pct="12.5")
    b = checks(basis, house_pct=33.3333, team_pct=12.5)
    c = checks(basis, house_pct=[Decimal("33.3333"), 10], team_pct=[12.5, Decimal("12.5")])
    assert np.array_equal(a, b)
    assert np.array_equal(c[0], a)


# --------------------------------------------------------------------------- inverses


def staff_of(profit: Cents, house: Decimal) -> Cents:
    return profit - percent_of(profit, house)


@given(
    target=st.integers(min_value=-5, max_value=10**11),
    house=st.integers(min_value=0, max_value=999_999).map(lambda u: Decimal(u) / 10_000),
)
def test_tel_profit_for_staff_pool_is_the_smallest_profit_that_reaches_the_target(
    target: int, house: Decimal
) -> None:
    p = tel_profit_for_staff_pool(target, house)
    assert p >= 0
    assert staff_of(p, house) >= target
    assert p == 0 or staff_of(p - 1, house) < target
    if p <= MAX_PROFIT:
        assert tel_profit_for_staff_pools([target], float(house))[0] == p
    else:
        with pytest.raises(OverflowError):
            tel_profit_for_staff_pools([target], float(house))


def test_tel_profit_for_staff_pool_by_brute_force_at_steep_house_shares() -> None:
    for house in (Decimal(0), Decimal("25"), Decimal("99.9999"), Decimal("97.5")):
        staff = [staff_of(p, house) for p in range(60_000)]
        assert staff == sorted(staff)  # the staff pool never falls as the profit grows
        for target in range(0, staff[-1] + 1, 7):
            want = bisect_left(staff, target)  # the first profit whose staff pool reaches it
            assert tel_profit_for_staff_pool(target, house) == want
        targets = np.arange(0, staff[-1] + 1)
        vec = tel_profit_for_staff_pools(targets, house)
        assert [staff[int(p)] >= t for p, t in zip(vec, targets, strict=True)] == [True] * len(vec)


@given(
    targets=st.lists(st.integers(-5, 10**9), min_size=1, max_size=5),
    house=st.integers(0, 999_999).map(lambda u: Decimal(u) / 10_000),
    min_house=st.integers(0, 10**8),
)
def test_the_vectorised_tel_profit_for_a_staff_pool_keeps_the_minimum_house_share(
    targets: list[int], house: Decimal, min_house: int
) -> None:
    want = [tel_profit_for_staff_pool(t, house, min_house) for t in targets]
    if max(want) > MAX_PROFIT:
        with pytest.raises(OverflowError):
            tel_profit_for_staff_pools(targets, house, min_house)
    else:
        assert tel_profit_for_staff_pools(targets, house, min_house).tolist() == want
    for t, p in zip(targets, want, strict=True):
        assert t <= 0 or p >= min_house + t  # the house keeps its minimum first


def test_a_staff_pool_a_full_house_can_never_reach_is_refused() -> None:
    with pytest.raises(ValueError):
        tel_profit_for_staff_pool(1, 100)
    with pytest.raises(ValueError):
        tel_profit_for_staff_pools([1], 100)
    assert tel_profit_for_staff_pool(0, 100) == 0


@pytest.mark.parametrize("booked", [1, 2])
@pytest.mark.parametrize("target", [1, 99_999, 1_209_000, 5_000_000])
def test_the_gp_needed_in_the_remaining_months_reaches_the_staff_pool_and_a_cent_less_misses(
    booked: int, target: int
) -> None:
    plan, roster = Plan(house_pct=Decimal("37.5")), mixed_roster(4)
    months = spec_months()[:booked]
    basis = SweepBasis.from_inputs(plan, roster, months, Q3)
    need = gp_needed_for_staff_pool(basis, target)
    assert gp_needed_for_staff_pools(basis, [target])[0] == need
    full = spec_months((0, 0, 0))
    full[:booked] = months

    def staff_with(extra: int) -> int:
        rest = full[booked:]
        each, first = divmod(extra, len(rest))
        filled = [
            m.model_copy(update={"gp": to_dollars(each + (first if i == 0 else 0))})
            for i, m in enumerate(rest)
        ]
        return compute_quarter(plan, roster, [*months, *filled], Q3).staff_pool

    assert staff_with(need) >= target
    assert staff_with(need - 1) < target


# --------------------------------------------------------------------------- tornado, gain/loss


def test_tornado_rows_match_the_exact_path_and_are_widest_first() -> None:
    plan, roster, months = Plan(), mixed_roster(), spec_months()
    basis = SweepBasis.from_inputs(plan, roster, months, Q3)
    rows = tornado(basis)
    labels = [r.label for r in rows]
    assert sorted(labels) == sorted(
        ["Overhead", "Debt service", "Owner retention", "NI retention", "House %", "Team %"]
        + [f"GP 2026-0{m}" for m in (7, 8, 9)]
    )
    assert [r.swing for r in rows] == sorted((r.swing for r in rows), reverse=True)
    fields = {
        "Overhead": "overhead",
        "Debt service": "debt_service",
        "Owner retention": "owner_retention",
        "NI retention": "ni_retention",
        "House %": "house_pct",
        "Team %": "team_pct",
    }
    for r in rows:
        for value, staff, team in (
            (r.low_input, r.staff_low, r.team_low),
            (r.high_input, r.staff_high, r.team_high),
        ):
            p, ms = plan, months
            if r.label in fields:
                v = value if r.unit == "%" else to_dollars(int(value))
                p = plan.model_copy(update={fields[r.label]: v})
            else:
                i = basis.month_labels.index(r.label.removeprefix("GP "))
                ms = list(months)
                ms[i] = ms[i].model_copy(update={"gp": to_dollars(int(value))})
            exact = compute_quarter(p, roster, ms, Q3)
            assert (staff, team) == (exact.staff_pool, exact.team_pool), r.label
    team_row = rows[labels.index("Team %")]
    assert team_row.swing == 0 and team_row.team_swing > 0
    assert rows[labels.index("Overhead")].low_delta > 0  # less overhead, more to share


def test_tornado_caps_percentages_at_100() -> None:
    basis = SweepBasis.from_inputs(Plan(team_pct=95), mixed_roster(3), spec_months(), Q3)
    team = next(r for r in tornado(basis) if r.label == "Team %")
    assert team.high_input == 100 and team.low_input == Decimal("85.5")


def test_moving_the_team_share_up_moves_money_from_high_to_low_weights() -> None:
    plan, roster, months = Plan(), mixed_roster(), spec_months()
    basis = SweepBasis.from_inputs(plan, roster, months, Q3)
    change = team_pct_change(basis, 20, 80)
    for pct_, got in ((20, change.before), (80, change.after)):
        exact = compute_quarter(plan.model_copy(update={"team_pct": pct_}), roster, months, Q3)
        assert np.all(np.abs(got - [p.total for p in exact.payouts]) <= 1)
    assert abs(change.delta.sum()) <= 0  # the staff pool is the same: only who gets it moves
    w = basis.weights
    heavy, light = int(np.argmax(w)), int(np.argmin(np.where(basis.eligible, w, np.inf)))
    assert change.delta[heavy] < 0 < change.delta[light]
    assert np.all(change.delta[~basis.eligible] == 0)


# --------------------------------------------------------------------------- properties


money = st.integers(min_value=0, max_value=10_000_000).map(lambda c: Decimal(c) / 100)
percent = st.integers(min_value=0, max_value=1_000_000).map(lambda u: Decimal(u) / 10_000)


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[Plan, list[Person], list[Month]]:
    plan = Plan(
        overhead=draw(money),
        debt_service=draw(money),
        owner_retention=draw(money),
        ni_retention=draw(money),
        house_pct=draw(percent),
        team_pct=draw(percent),
        min_cash=draw(st.sampled_from([Decimal(0), Decimal(0), Decimal(50000), Decimal(10**7)])),
        max_ar90_pct=draw(st.just(Decimal(100)) | percent),
        min_months=draw(st.integers(0, 24)),
    )
    n = draw(st.integers(0, 9))
    roster = [
        Person(
            name=f"N{i}",
            salary=Decimal(draw(st.integers(1, 50_000_000))) / 100,
            start_date=draw(st.dates(date(2005, 1, 1), date(2026, 12, 31))),
            end_date=draw(st.none() | st.dates(date(2026, 12, 31), date(2027, 12, 31))),
            employment=draw(st.sampled_from([Employment.W2] * 4 + [Employment.CONTRACTOR])),
            full_time=draw(st.sampled_from([True] * 4 + [False])),
            owner=draw(st.sampled_from([False] * 4 + [True])),
            performance=Decimal(draw(st.integers(0, 40_000))) / 10_000,
        )
        for i in range(n)
    ]
    booked = draw(st.integers(1, 3))
    months = []
    for k in range(booked):
        ar_total = draw(st.integers(0, 10**8))
        months.append(
            Month(
                year=2026,
                month=7 + k,
                gp=Decimal(draw(st.integers(-(10**7), 5 * 10**7))) / 100,
                cash_on_hand=Decimal(draw(st.integers(0, 10**8))) / 100,
                ar_total=Decimal(ar_total) / 100,
                ar_90_plus=Decimal(draw(st.integers(0, ar_total // 8) | st.integers(0, ar_total)))
                / 100,
            )
        )
    return plan, roster, months


@settings(max_examples=examples(150), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(
    scenario=scenarios(),
    avgs=st.lists(st.integers(-(10**7), 6 * 10**7), min_size=1, max_size=6),
    shares=st.lists(percent, min_size=1, max_size=4),
)
def test_every_sweep_point_matches_the_exact_path_on_random_quarters(
    scenario: tuple[Plan, list[Person], list[Month]], avgs: list[int], shares: list[Decimal]
) -> None:
    plan, roster, months = scenario
    basis = SweepBasis.from_inputs(plan, roster, months, Q3)
    s = sweep(basis, avg_gp=np.array(avgs))
    for i, avg in enumerate(avgs):
        assert_agrees(
            point(s.pools, i),
            s.checks[i],
            compute_quarter(plan, roster, with_avg_gp(months, avg), Q3),
        )
    units = np.array([float(x) for x in shares])
    by_house = sweep(basis, house_pct=units[:, None], team_pct=units[None, :])
    for i, h in enumerate(shares):
        for j, t in enumerate(shares):
            p = plan.model_copy(update={"house_pct": h, "team_pct": t})
            exact = compute_quarter(p, roster, months, Q3)
            assert_agrees(point(by_house.pools, (i, j)), by_house.checks[i, j], exact)


@settings(max_examples=examples(100), deadline=None)
@given(scenario=scenarios(), total=st.integers(-(10**8), 2 * 10**8))
def test_checks_sum_to_the_staff_pool_whenever_anything_is_paid(
    scenario: tuple[Plan, list[Person], list[Month]], total: int
) -> None:
    plan, roster, months = scenario
    basis = SweepBasis.from_inputs(plan, roster, months, Q3)
    s = sweep(basis, gp_total=[total])
    paid = s.checks[0].sum()
    if basis.gates_passed and basis.eligible_count:
        assert paid == s.pools.staff_pool[0]
    else:
        assert paid == 0


def test_a_thousand_people_agree_with_the_exact_path_at_sampled_points() -> None:
    roster = [
        Person(
            name=f"E{i:04d}",
            salary=Decimal(30000 + (i * 104729) % 170000) + Decimal(i % 100) / 100,
            start_date=date(2005 + i % 20, 1 + i % 12, 1 + i % 28),
            performance=Decimal(i % 7) / 4,
            owner=i % 97 == 0,
        )
        for i in range(1000)
    ]
    plan, months = Plan(house_pct=Decimal("27.5"), team_pct=Decimal("35")), spec_months()
    basis = SweepBasis.from_inputs(plan, roster, months, Q3)
    grid = np.linspace(0, 4 * basis.min_gp, 201)
    s = sweep(basis, avg_gp=grid)
    for i in (0, 100, 117, 163, 200):
        avg = int(np.floor(grid[i] + 0.5))
        exact = compute_quarter(plan, roster, with_avg_gp(months, avg), Q3)
        assert_agrees(point(s.pools, i), s.checks[i], exact)
