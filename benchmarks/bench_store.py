"""Time the store and the exports for one scenario of N people (default 1,000).

    .venv/bin/python benchmarks/bench_store.py [--people 1000] [--runs 5]

Works in a temporary folder; the roster comes from ``tel.io.synthetic.make_roster`` and the
months are the source's worked example (2026-Q3). Each step runs ``runs`` times after one
warm-up and the median is printed. Figures only: nothing here fails a build on timing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout, uninstalled

from tel.core.models import Month, Plan, Scenario
from tel.core.periods import Quarter
from tel.engine.quarter import compute_quarter
from tel.io.exports import gusto_csv, payroll_csv, workbook_xlsx
from tel.io.store import Store
from tel.io.synthetic import make_roster
from tel.render.statement import statement_pdf, statements_zip

QUARTER = Quarter(2026, 3)
MONTHS = tuple(
    Month(year=2026, month=m, gp=gp, cash_on_hand=52_000, ar_total=320_000, ar_90_plus=24_000)
    for m, gp in ((7, 69_343), (8, 59_343), (9, 73_434))
)


def median_ms(fn: Callable[[], object], runs: int) -> float:
    fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--people", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    scenario = Scenario(plan=Plan(), months=MONTHS, roster=make_roster(args.people))
    with tempfile.TemporaryDirectory() as tmp, Store(tmp) as store:
        first = store.create("bench", scenario)
        sid = first.scenario_id
        result = compute_quarter(scenario.plan, scenario.roster, scenario.months, QUARTER)
        snap = store.approve(first.id, QUARTER, "bench", "bench")
        exported = store.export_json(sid, 1)
        someone = next(p.name for p in result.payouts if p.total > 0)
        steps: list[tuple[str, Callable[[], object]]] = [
            ("save (new version)", lambda: store.save(sid, scenario, "bench")),
            ("load latest version", lambda: store.load(sid)),
            ("load + compute_quarter", lambda: compute_quarter(
                *(lambda s: (s.plan, s.roster, s.months))(store.load(sid)), QUARTER)),
            ("approve (snapshot)", lambda: store.approve(first.id, QUARTER, "bench", "bench")),
            ("read snapshot + result()", lambda: store.snapshot(snap.id).result()),
            ("list scenarios", lambda: store.list_scenarios()),
            ("export JSON (1 version)", lambda: store.export_json(sid, 1)),
            ("import JSON (1 version)", lambda: store.import_json(exported)),
            ("payroll CSV", lambda: payroll_csv(result)),
            ("Gusto CSV", lambda: gusto_csv(result)),
            ("XLSX workbook", lambda: workbook_xlsx(result, inputs=scenario)),
            ("one statement PDF", lambda: statement_pdf(result, someone, plan=scenario.plan)),
        ]  # fmt: skip
        print(f"{args.people:,} people, {len(exported) / 1024:,.0f} KiB of JSON per version")
        print(f"{'step':<28}{'median ms':>12}")
        for label, fn in steps:
            print(f"{label:<28}{median_ms(fn, args.runs):>12.1f}")
        t0 = time.perf_counter()
        size = len(statements_zip(result, plan=scenario.plan))
        took = time.perf_counter() - t0
        print(f"{'all statements (zip)':<28}{took * 1000:>12.1f}   ({size / 1024:,.0f} KiB)")


if __name__ == "__main__":
    main()
