"""Time a 201-point GP sweep at 1,000 people, vectorised (``tel.analysis.sweeps``) against the exact
path (``compute_quarter`` once per point), and the build time of every figure.

    .venv/bin/python benchmarks/bench_sweep.py [--people 1000] [--points 201] [--runs 51]

The roster is ``tel.io.synthetic.make_roster(n, seed=2026)`` when that module exists, otherwise
a roster built here. The months are the source's worked example scaled to the roster, so the
gates pass and every pool is paid. Each timing runs once to warm up, then ``runs`` times
(the exact path, being slow, 3 times); medians are printed in milliseconds. The sweep's
agreement with the exact path is checked on a few points first, so a fast wrong answer
cannot be reported. Prints figures only: never fails a build on timing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout, uninstalled

import numpy as np

from tel.analysis.sweeps import SweepBasis, pools, sweep
from tel.core.models import Month, Person, Plan
from tel.core.money import to_dollars
from tel.core.periods import Quarter
from tel.engine.quarter import compute_quarter
from tel.render import figures

TARGET_MS = 10.0  # the vectorised 201-point sweep at 1,000 people, from the brief
QUARTER = Quarter(2026, 3)


def roster_of(n: int) -> tuple[Sequence[Person], str]:
    try:
        from tel.io.synthetic import make_roster
    except ImportError:
        people = [
            Person(
                name=f"Person {i:05d}",
                salary=Decimal(30_000 + (i * 104_729) % 170_000),
                start_date=date(2002 + i % 24, 1 + i % 12, 1 + i % 28),
                performance=Decimal(50 + i % 101) / 100,
                owner=i % 97 == 0,
                full_time=i % 31 != 0,
                department=("Ops", "Dev", "Sales", "Admin", "Field")[i % 5],
            )
            for i in range(n)
        ]
        return people, "built in bench_sweep.py"
    return make_roster(n, seed=2026), "tel.io.synthetic.make_roster(n, seed=2026)"


def months_for(n: int) -> tuple[Month, ...]:
    """The worked example's months, scaled so a company of ``n`` clears the threshold."""
    scale = max(1, n // 10)
    return tuple(
        Month(
            year=2026,
            month=m,
            gp=gp * scale,
            cash_on_hand=52_000 * scale,
            ar_total=320_000 * scale,
            ar_90_plus=24_000 * scale,
        )
        for m, gp in ((7, 69_343), (8, 59_343), (9, 73_434))
    )


def plan_for(n: int) -> Plan:
    scale = max(1, n // 10)
    return Plan(
        overhead=50_000 * scale,
        debt_service=4_000 * scale,
        owner_retention=2_000 * scale,
        ni_retention=6_000 * scale,
        min_cash=50_000 * scale,
    )


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, float]:
    """Median and best wall time in ms, after one warm-up call."""
    fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), min(times)


def exact_sweep(
    plan: Plan, roster: Sequence[Person], months: Sequence[Month], grid: np.ndarray
) -> list[int]:
    """The slow, exact way: rebuild the months at each average GP and run the quarter."""
    out = []
    for avg in grid:
        gp = to_dollars(int(avg))
        point = [m.model_copy(update={"gp": gp}) for m in months]
        out.append(compute_quarter(plan, roster, point, QUARTER).staff_pool)
    return out


def check_agreement(
    basis: SweepBasis,
    plan: Plan,
    roster: Sequence[Person],
    months: Sequence[Month],
    grid: np.ndarray,
) -> None:
    s = sweep(basis, avg_gp=grid)
    for i in np.linspace(0, grid.size - 1, 7).astype(int):
        gp = to_dollars(int(grid[i]))
        exact = compute_quarter(
            plan, roster, [m.model_copy(update={"gp": gp}) for m in months], QUARTER
        )
        assert s.pools.staff_pool[i] == exact.staff_pool, "staff pool differs from exact path"
        want = np.array([p.total for p in exact.payouts], dtype=np.float64)
        assert np.abs(s.checks[i] - want).max() <= 1, "a check is more than a cent off"


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--people", type=int, default=1000)
    ap.add_argument("--points", type=int, default=201)
    ap.add_argument("--runs", type=int, default=51)
    ap.add_argument("--exact-runs", type=int, default=3)
    args = ap.parse_args(argv)

    roster, source = roster_of(args.people)
    plan, months = plan_for(args.people), months_for(args.people)
    result = compute_quarter(plan, roster, months, QUARTER)
    basis = SweepBasis.from_result(result, plan)
    grid = np.floor(np.linspace(0, 2 * basis.min_gp, args.points) + 0.5)
    check_agreement(basis, plan, roster, months, grid)
    chosen = [p.name for p in result.eligible[:3]]
    first_60 = [p.name for p in result.eligible[:60]]

    print(f"roster: {len(roster):,} people ({basis.eligible_count:,} eligible), {source}")
    print(f"sweep: {args.points} points of average monthly GP, $0 to 2 x Min GP")
    print(f"numpy {np.__version__}; medians of {args.runs} runs (exact path: {args.exact_runs})")
    print()
    rows: list[tuple[str, float, float]] = [
        ("vectorised: pools + every check", *timed(lambda: sweep(basis, avg_gp=grid), args.runs)),
        ("vectorised: pools only", *timed(lambda: pools(basis, avg_gp=grid), args.runs)),
        (
            "vectorised: pools + 3 people's checks",
            *timed(lambda: sweep(basis, avg_gp=grid, people=chosen), args.runs),
        ),
    ]
    exact = timed(lambda: exact_sweep(plan, roster, months, grid), args.exact_runs)
    rows.append((f"exact: compute_quarter x {args.points}", *exact))
    width = max(len(r[0]) for r in rows)
    print(f"{'GP sweep':<{width}}  {'median ms':>10}  {'best ms':>9}  {'x faster':>9}")
    for name, median, best in rows:
        ratio = exact[0] / median
        print(f"{name:<{width}}  {median:>10.2f}  {best:>9.2f}  {ratio:>9.0f}")
    verdict = "meets" if rows[0][1] < TARGET_MS else "MISSES"
    print(f"target: full vectorised sweep < {TARGET_MS:g} ms median -> {verdict} the target")
    print()

    builders: list[tuple[str, Callable[[], Any]]] = [
        ("gp_vs_threshold", lambda: figures.gp_vs_threshold(result)),
        ("waterfall", lambda: figures.waterfall(result)),
        ("payouts_bar (aggregated)", lambda: figures.payouts_bar(result)),
        ("payouts_bar (60 people)", lambda: figures.payouts_bar(result, people=first_60)),
        ("sensitivity (3 people)", lambda: figures.sensitivity(basis, people=chosen)),
        ("tornado", lambda: figures.tornado(basis)),
        ("heatmap_split (21 x 21)", lambda: figures.heatmap_split(basis, chosen[0])),
        ("gain_loss (aggregated)", lambda: figures.gain_loss(basis, 50, 70)),
        ("pot_progress", lambda: figures.pot_progress(result)),
    ]
    runs = max(3, args.runs // 5)
    width = max(len(b[0]) for b in builders)
    print(
        f"{'figure at ' + format(len(roster), ',') + ' people':<{width}}  {'median ms':>10}"
        f"  {'best ms':>9}"
    )
    for name, build in builders:
        median, best = timed(build, runs)
        print(f"{name:<{width}}  {median:>10.2f}  {best:>9.2f}")


if __name__ == "__main__":
    main()
