"""The floor under the home page's quarter switch: what it costs to *show* a title, a metric
and two prebuilt charts (``floor_app.py``: nothing is computed), against the bare select box.

    .venv/bin/python benchmarks/bench_floor.py [--runs 10] [--floors none plotly live]

Same clock, pairing and watched texts as ``bench_latency.py``'s home case (both chart titles
and the Quarter GP metric). Prints medians in ms and the ratio to the bare page; a floor
above 2x means no server-side work can bring the real page within 2x.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_latency as bl  # noqa: E402
from browser_support import browser_page  # noqa: E402

CHARTS = (bl.chart_title("Monthly GP against Min GP"), bl.chart_title("From gross profit"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--floors", nargs="+", default=["none", "plotly", "live"],
                    choices=["none", "plotly", "live"])
    args = ap.parse_args(argv)
    rows = []
    with contextlib.ExitStack() as stack:
        bare = stack.enter_context(bl.serve("benchmarks/bare_slider_app.py", None, "bare"))
        pick = stack.enter_context(bl.serve("benchmarks/bare_pick_app.py", None, "bare-pick"))
        page = stack.enter_context(browser_page())
        size = page.viewport_size
        bare_pages = {kind: page.context.browser.new_context(viewport=size).new_page()
                      for kind in ("slider", "quarter")}
        bl.open_page(bare_pages["slider"], bare.url, bl.BARE)
        bl.open_page(bare_pages["quarter"], pick.url, bl.BARES["quarter"])
        for floor in args.floors:
            app = stack.enter_context(bl.serve("benchmarks/floor_app.py", {"FLOOR": floor},
                                               f"floor-{floor}"))
            readers = (*(CHARTS if floor != "none" else ()), bl.metric("Quarter GP"))
            case = bl.Case("", f"floor ({floor})", "sidebar Quarter 2026-Q3 <-> Q2", readers,
                           bl._pick_quarter, bl._open_quarters, bare="quarter")
            bl.open_page(page, app.url, case)
            b, _, t, d = bl.paired(bare_pages, page, case, args.runs, 2)
            rows.append((floor, b, t, d))
    print(f"\nquarter switch, nothing computed, {args.runs} runs each, ms")
    print(f"{'charts':<8} {'bare':>5} {'median':>7} {'x bare':>7} {'run done':>9}")
    for floor, b, t, d in rows:
        print(f"{floor:<8} {statistics.median(b):5.0f} {statistics.median(t):7.0f} "
              f"{statistics.median(t) / statistics.median(b):6.2f}x "
              f"{statistics.median(d):9.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
