"""Time the exact path for a whole fiscal year: ``tel.engine.year.compute_year`` at 1,000 people
(and 15 and 10,000), under the source's plan and under every variant at once.

    .venv/bin/python benchmarks/bench_year.py [--runs N] [--sizes 15,1000,10000]

The months are the sample data's (sample_data/months.csv, fiscal years 2025 and 2026 with a
partial last quarter); the year timed is 2025 (four complete quarters, the ledger from 2024-Q3).
Also prints the same year as four ``compute_quarter`` calls, the way a page would ask: each
re-runs the ledger from the start, which costs nothing next to paying the checks. Figures
only; never fails a build on timing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout, uninstalled
# ruff: noqa: E402

from tel.core.models import Plan
from tel.core.periods import Quarter
from tel.core.policy import Caps, GateFailure, Merit, Netting, PayrollTax, Reserve
from tel.engine.quarter import compute_quarter
from tel.engine.year import compute_year
from tel.io.loaders import read_months, read_plan
from tel.io.synthetic import make_roster

YEAR = 2025
QUARTERS = [Quarter(YEAR, q) for q in range(1, 5)]
EVERY_VARIANT = dict(
    netting=Netting(mode="carry_forward"), min_house=Decimal(2000),
    gate_failure=GateFailure(policy="defer"), reserve=Reserve(holdback_pct=Decimal(10)),
    merit=Merit(formula="salary_x_log_years"), partial="prorate",
    payroll_tax=PayrollTax(employer_pct=Decimal("7.65")), caps=Caps(max_pct_of_salary=Decimal(8)),
)


def timed(fn: object, runs: int) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), min(samples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time compute_year at several roster sizes")
    parser.add_argument("--runs", type=int, default=0, help="runs per case (default: by size)")
    parser.add_argument("--sizes", default="15,1000,10000", help="comma-separated roster sizes")
    args = parser.parse_args(argv)
    base = read_plan(ROOT / "sample_data" / "plan.toml").unwrap()
    months = read_months(ROOT / "sample_data" / "months.csv").unwrap()
    plans = {"source plan": base, "every variant": base.model_copy(update=EVERY_VARIANT)}
    print(f"compute_year, fiscal year {YEAR} (4 quarters), Python {sys.version.split()[0]}")
    print(f"{'people':>7}  {'plan':<14}  {'year median ms':>14}  {'best':>7}  "
          f"{'4 x quarter ms':>14}")
    for size in (int(s) for s in args.sizes.split(",")):
        roster = make_roster(size, seed=2026)
        runs = args.runs or (31 if size <= 1_000 else 5)
        for label, plan in plans.items():
            assert isinstance(plan, Plan)
            year = compute_year(plan, roster, months, YEAR)  # warm-up
            assert len(year.quarters) == 4
            median, best = timed(lambda p=plan, r=roster: compute_year(p, r, months, YEAR), runs)
            by_q, _ = timed(lambda p=plan, r=roster: [compute_quarter(p, r, months, q)
                                                      for q in QUARTERS], runs)
            print(f"{size:>7,}  {label:<14}  {median:>14.2f}  {best:>7.2f}  {by_q:>14.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
