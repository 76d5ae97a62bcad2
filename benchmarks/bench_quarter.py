"""Time the exact path, ``tel.engine.quarter.compute_quarter``, for one quarter at 10, 1,000 and
100,000 people, and print a table against the targets.

    .venv/bin/python benchmarks/bench_quarter.py [--runs N] [--sizes 10,1000,100000]

Rosters come from ``tel.io.synthetic.make_roster`` and are built before any timing; each size is
run once to warm up, then ``runs`` times; the median is reported (robust to a noisy neighbour).
The months are the source's worked example (2026-Q3), so the gates pass and every pool is paid.
Prints figures only: never fails a build on timing (timed asserts in tests are flaky).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout, uninstalled

from tel.core.models import Month, Plan
from tel.core.periods import Quarter
from tel.engine.quarter import compute_quarter
from tel.io.synthetic import make_roster

TARGETS_MS = {1_000: 5.0, 100_000: 1_000.0}  # per quarter, from the project brief
QUARTER = Quarter(2026, 3)
MONTHS = tuple(
    Month(year=2026, month=m, gp=gp, cash_on_hand=52_000, ar_total=320_000, ar_90_plus=24_000)
    for m, gp in ((7, 69_343), (8, 59_343), (9, 73_434))
)


def time_quarter(size: int, runs: int) -> tuple[float, float, int]:
    """Median and best wall time in ms of ``compute_quarter`` on a ``size``-person roster."""
    plan = Plan()
    roster = make_roster(size, seed=2026)
    result = compute_quarter(plan, roster, MONTHS, QUARTER)  # warm-up, and a sanity check
    assert result.paid == result.staff_pool, "the benchmark quarter must pay out in full"
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        compute_quarter(plan, roster, MONTHS, QUARTER)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), min(samples), result.eligible_count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time compute_quarter at several roster sizes")
    parser.add_argument("--runs", type=int, default=0, help="runs per size (default: by size)")
    parser.add_argument("--sizes", default="10,1000,100000", help="comma-separated roster sizes")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]

    print(f"compute_quarter, one quarter ({QUARTER}), Python {sys.version.split()[0]}")
    print(f"{'people':>9}  {'eligible':>8}  {'median ms':>10}  {'best ms':>9}  {'target':>9}  ok")
    all_ok = True
    for size in sizes:
        runs = args.runs or (51 if size <= 1_000 else 11 if size <= 10_000 else 5)
        median, best, eligible = time_quarter(size, runs)
        target = TARGETS_MS.get(size)
        ok = "yes" if target is None or median < target else "NO"
        all_ok &= ok == "yes"
        shown = f"< {target:g} ms" if target is not None else "-"
        print(f"{size:>9,}  {eligible:>8,}  {median:>10.3f}  {best:>9.3f}  {shown:>9}  {ok}")
    print("all targets met" if all_ok else "a target was missed: profile with cProfile")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
