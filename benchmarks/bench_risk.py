"""Time ``tel.analysis.risk.simulate``: 100,000 simulated quarters with every person's expected
check and P10 / P50 / P90, at 50 and 1,000 people (and under caps, where the expected checks
need every simulated quarter per person).

    .venv/bin/python benchmarks/bench_risk.py [--runs N] [--sims N] [--sizes 50,1000]

The months are the sample data's (2026-Q4 has one month booked: two are simulated). Figures
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

from tel.analysis.risk import simulate
from tel.core.models import Scenario
from tel.core.policy import Caps
from tel.io.loaders import read_months, read_plan
from tel.io.synthetic import make_roster


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time the risk simulation")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sims", type=int, default=100_000)
    parser.add_argument("--sizes", default="50,1000")
    args = parser.parse_args(argv)
    plan = read_plan(ROOT / "sample_data" / "plan.toml").unwrap()
    months = read_months(ROOT / "sample_data" / "months.csv").unwrap()
    print(f"simulate, {args.sims:,} quarters (2026-Q4: 2 months simulated), "
          f"Python {sys.version.split()[0]}")
    print(f"{'people':>7}  {'plan':<10}  {'median ms':>10}  {'best ms':>8}")
    for size in (int(s) for s in args.sizes.split(",")):
        roster = tuple(make_roster(size, seed=2026))
        for label, p in (("source", plan),
                         ("caps 5%", plan.model_copy(update={"caps": Caps(
                             max_pct_of_salary=Decimal(5))}))):
            s = Scenario(plan=p, months=months, roster=roster)
            simulate(s, sims=args.sims, seed=1)  # warm-up
            samples = []
            for _ in range(args.runs):
                start = time.perf_counter()
                simulate(s, sims=args.sims, seed=1)
                samples.append((time.perf_counter() - start) * 1000)
            print(f"{size:>7,}  {label:<10}  {statistics.median(samples):>10.1f}  "
                  f"{min(samples):>8.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
