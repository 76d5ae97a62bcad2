"""Slider -> settled page, in Chromium, for every dashboard page, as a ratio to a bare page.

    .venv/bin/python benchmarks/bench_latency.py                 # 1,000 people and the sample
    .venv/bin/python benchmarks/bench_latency.py --sizes 1000 --runs 25 --pages home payouts
    .venv/bin/python benchmarks/bench_latency.py --also-quarter  # + the quarter on every page
    .venv/bin/python benchmarks/bench_latency.py --app-dir /tmp/old-checkout   # before/after

One server runs ``benchmarks/bare_slider_app.py`` (a slider and ``st.write`` of its value);
one server per roster runs the dashboard (``TEL_ROSTER=...``), all on this machine, driven by
one headless Chromium (Debian's ``/usr/bin/chromium``; never ``playwright install``). Every
page is opened by URL at ``?q=2026-Q3`` and left to settle; then one real interaction is
repeated ``--runs`` times, alternating directions, after ``--warmup`` unrecorded ones:

    bare         the slider, ArrowRight / ArrowLeft            -> "Value is N"
    home         sidebar Quarter, pick 2026-Q2 / 2026-Q3       -> both chart titles + Quarter GP
    plan         House share slider, ArrowRight / ArrowLeft    -> the Staff pool metric
    scenarios    "Every month up or down by", Right / Left     -> the Quarter GP metric
    payouts      Department filter, type + Enter / Backspace   -> the chart + its caption
    sensitivity  "Move each input by" (a fragment), Right/Left -> the tornado's title

(home has no slider: the quarter is its one input. Payouts has none either: the department
filter is its everyday input. ``--also-quarter`` adds the sidebar quarter, a full rerun, on
the other pages.) Opening the list or typing the filter happens before the clock is armed;
only the committing click or key is timed.

The clock runs in the page: it starts at the first ``keydown``/``pointerdown`` of the action
(capture phase, ``performance.now()``) and stops at the DOM mutation after which the script
state is ``notRunning``, nothing is stale or a skeleton, and every watched element differs
from what it showed before (chart texts are drawn by plotly after the data arrives, so the
time includes drawing the chart). Nothing sleeps: the wait is a ``MutationObserver``.

Each page's runs alternate with runs of a bare page with the same kind of input (the slider
page, or ``benchmarks/bare_pick_app.py``'s sidebar select box or multiselect: picking from a
list costs Streamlit ~1.8x a slider's arrow key) and of the bare slider page, each in a
browser context of its own so they never share a renderer; the ratio is page median / bare
median of those same turns ("x slider" against the slider page): a machine busy with
something else slows all alike. Prints medians and 90th
percentiles in milliseconds, the ratio, and "run done" (when the browser heard the script
had finished; the rest is drawing). The goal (issue 3) is every page within 2x. Prints
figures only: never fails a build on timing. Quote figures from an idle machine (``uptime``).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the browser recipe shared with the tests

from browser_support import (  # noqa: E402
    CHARTS_DRAWN,
    AppServer,
    browser_page,
    exceptions_on,
    goto,
    start_server,
    wait_settled,
)

ROSTERS = {1000: "sample_data/roster_1000.csv", 14: "sample_data/roster.csv"}
QUARTERS = ("2026-Q2", "2026-Q3")  # the sidebar toggles between these two

# In-page clock and watcher. ``arm`` stores what the watched elements show now, listens for
# the first key/pointer event (t0) and watches the DOM until every watched text differs and
# the app has settled (t1).
_JS_ARM = """
([readers, before]) => {
  const texts = () => readers.map(src => { try { return String((0, eval)(src)()); }
                                           catch (e) { return '<error>'; } });
  window.__lat = {t0: null, t1: null, ran: null, done: null, before, now: null};
  const settled = () => {
    const app = document.querySelector("[data-testid='stApp']");
    return app && app.getAttribute('data-test-script-state') === 'notRunning'
      && !document.querySelector('[data-stale="true"], [data-testid=stSkeleton],'
                                 + ' [data-testid=stSkeletonElement]')
      && (CHARTS_DRAWN)();
  };
  const start = () => { if (window.__lat.t0 === null) window.__lat.t0 = performance.now(); };
  for (const type of ['keydown', 'pointerdown', 'mousedown']) {
    window.addEventListener(type, start, {capture: true, once: true});
  }
  const check = () => {
    const lat = window.__lat;
    if (lat.t0 === null || lat.t1 !== null) return;
    const state = document.querySelector("[data-testid='stApp']")
      ?.getAttribute('data-test-script-state');
    if (state === 'running' && lat.ran === null) lat.ran = performance.now();
    if (state === 'notRunning' && lat.ran !== null && lat.done === null)
      lat.done = performance.now();
    if (!settled()) return;
    const now = texts();
    if (now.every((t, i) => t !== before[i] && t !== '<error>' && t !== '')) {
      window.__lat.t1 = performance.now(); window.__lat.now = now; observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, {subtree: true, childList: true, attributes: true,
                              characterData: true});
}
""".replace("CHARTS_DRAWN", CHARTS_DRAWN)
_JS_READ = "(readers) => readers.map(src => String((0, eval)(src)()))"


def metric(label: str) -> str:
    """JS: the value of the first metric whose label is ``label``."""
    return f"""() => {{
      for (const m of document.querySelectorAll("[data-testid='stMetric']")) {{
        const l = m.querySelector("[data-testid='stMetricLabel']");
        if (l && l.innerText.trim() === {label!r})
          return m.querySelector("[data-testid='stMetricValue']").innerText.trim();
      }}
      return '';
    }}"""


def chart_title(starts: str) -> str:
    """JS: the drawn title of the plotly chart whose title (after its provenance tag) starts
    with ``starts``."""
    return f"""() => {{
      for (const t of document.querySelectorAll('.gtitle'))
        if (t.textContent.includes({starts!r})) return t.textContent;  // after any [tag]
      return '';
    }}"""


CHARTS = "[data-testid='telChart'], [data-testid='stPlotlyChart']"  # now, and before 12/2026


def chart_text(*starts: str) -> str:
    """JS: every text drawn in the plotly chart whose title starts with one of ``starts``
    (title, subtitle, tick labels): it changes only once plotly has redrawn the chart."""
    return f"""() => {{
      for (const c of document.querySelectorAll("{CHARTS}")) {{
        const t = c.querySelector('.gtitle');
        if (t && {list(starts)!r}.some(s => t.textContent.includes(s))) return c.textContent;
      }}
      return '';
    }}"""


def text_of(selector: str, contains: str) -> str:
    """JS: the text of the first ``selector`` element containing ``contains`` ('' if none)."""
    return f"""() => {{
      for (const e of document.querySelectorAll({selector!r}))
        if (e.innerText.includes({contains!r})) return e.innerText.trim();
      return '';
    }}"""


def caption_after_table() -> str:
    """JS: payouts' "Showing N of M people" caption, or a marker when it is absent."""
    return """() => { for (const c of document.querySelectorAll(
      "[data-testid='stMain'] [data-testid='stCaptionContainer']"))
        if (c.innerText.startsWith('Showing')) return c.innerText.trim();
      return '(all people)'; }"""


def quarter_named() -> str:
    """JS: the first text in the main area that names a quarter (caption or heading)."""
    return """() => { for (const c of document.querySelectorAll(
      "[data-testid='stMain'] [data-testid='stMarkdownContainer'],"
      + " [data-testid='stMain'] [data-testid='stCaptionContainer']"))
        if (/20[0-9][0-9]-Q[1-4]/.test(c.innerText)) return c.innerText.trim();
      return ''; }"""


@dataclass(frozen=True)
class Case:
    page: str  # URL path ('' is home)
    label: str
    what: str  # the interaction, for the table
    readers: tuple[str, ...]  # JS functions returning the watched texts
    commit: Callable[[Any, int], None]  # the timed event; i even: one way, odd: back
    setup: Callable[[Any, int], None] = lambda page, i: None  # before the clock is armed
    bare: str = "slider"  # the bare page with the same kind of input (BARES)


def _focus_slider(nth: int) -> Callable[[Any, int], None]:
    def setup(page: Any, i: int) -> None:
        page.get_by_role("slider").nth(nth).focus()

    return setup


def _arrow(page: Any, i: int) -> None:
    page.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")


def _open_quarters(page: Any, i: int) -> None:
    page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox'] input").click()
    page.get_by_role("option", name=QUARTERS[i % 2], exact=True).wait_for()


def _pick_quarter(page: Any, i: int) -> None:
    page.get_by_role("option", name=QUARTERS[i % 2], exact=True).click()


DEPARTMENT = "Service Desk"


def _type_department(page: Any, i: int) -> None:
    box = page.locator("[data-testid='stMultiSelect'] input").first
    box.focus()
    if i % 2 == 0:
        box.fill(DEPARTMENT)
        page.get_by_role("option", name=DEPARTMENT, exact=True).wait_for()


def _enter_or_backspace(page: Any, i: int) -> None:
    page.keyboard.press("Enter" if i % 2 == 0 else "Backspace")


def _slider_case(path: str, label: str, what: str, readers: tuple[str, ...]) -> Case:
    return Case(path, label, what, readers, _arrow, _focus_slider(0))


QUARTER_CHARTS = {  # on a quarter change, wait for these charts too
    "payouts": (chart_text("Bonus checks"),),
    "sensitivity": (chart_text("Staff pool as average"), chart_text("What moves")),
}


def quarter_case(path: str, label: str) -> Case:
    return Case(path, f"{label} (quarter)", "sidebar Quarter 2026-Q3 <-> Q2",
                (quarter_named(), *QUARTER_CHARTS.get(label, ())), _pick_quarter,
                _open_quarters, bare="quarter")


CASES = [
    Case("", "home", "sidebar Quarter 2026-Q3 <-> Q2",
         (chart_title("Monthly GP against Min GP"), chart_title("From gross profit"),
          metric("Quarter GP")), _pick_quarter, _open_quarters, bare="quarter"),
    _slider_case("plan", "plan", "House share slider +/-0.5%", (metric("Staff pool"),)),
    _slider_case("scenarios", "scenarios", "Every month up/down slider +/-1%",
                 (metric("Quarter GP"),)),
    Case("payouts", "payouts", "Department filter add / remove",
         (chart_text("Bonus checks", "Average check by"), caption_after_table()),
         _enter_or_backspace, _type_department, bare="department"),
    _slider_case("sensitivity", "sensitivity", "Tornado +/-N% slider (a fragment)",
                 (chart_title("What moves the staff pool"),)),
]
BARE = _slider_case("", "bare", "slider +/-1",
                    (text_of("[data-testid='stMarkdownContainer']", "Value is"),))
BARES = {  # the yardstick for each kind of input; the slider's is always measured too
    "slider": BARE,
    "quarter": Case("", "bare quarter", "sidebar select box",
                    (text_of("[data-testid='stMarkdownContainer']", "Quarter is"),),
                    _pick_quarter, _open_quarters, bare="quarter"),
    "department": Case("", "bare department", "multiselect",
                       (text_of("[data-testid='stCaptionContainer']", ""),),
                       _enter_or_backspace, _type_department, bare="department"),
}


def serve(script: str, env: dict[str, str] | None, name: str, cwd: Path = ROOT
          ) -> contextlib.AbstractContextManager[AppServer]:
    return start_server(env=env, name=name, script=script, cwd=cwd)


def open_page(page: Any, url: str, case: Case) -> None:
    goto(page, f"{url}/{case.page}?q=2026-Q3")
    close = page.get_by_role("button", name="Got it, hide this")
    if close.count():  # the home page's guided start, as a returning user has closed it: open,
        close.click()  # it puts the charts below the fold, where plotly does not draw them
        wait_settled(page)
    if errors := exceptions_on(page):
        raise RuntimeError(f"{case.label}: exception on the page: {errors[0][:500]}")


def once(page: Any, case: Case, i: int) -> tuple[float, float]:
    """Milliseconds from the committing event to the settled, changed page, and to the moment
    the script run was reported finished (the rest is the browser drawing)."""
    wait_settled(page)
    case.setup(page, i)
    before = page.evaluate(_JS_READ, list(case.readers))
    page.evaluate(_JS_ARM, [list(case.readers), before])
    case.commit(page, i)
    try:
        page.wait_for_function("() => window.__lat.t1 !== null", timeout=60_000, polling=50)
    except Exception as exc:  # say what was being waited for
        state = page.evaluate("() => window.__lat")
        now = page.evaluate(_JS_READ, list(case.readers))
        raise RuntimeError(f"{case.label} run {i}: no change; clock {state}, "
                           f"before {before}, now {now}") from exc
    lat = page.evaluate("() => window.__lat")
    done = lat["done"] if lat["done"] is not None else lat["t1"]
    return float(lat["t1"] - lat["t0"]), float(done - lat["t0"])


def paired(bare_pages: dict[str, Any], page: Any, case: Case, runs: int, warmup: int
           ) -> tuple[list[float], list[float], list[float], list[float]]:
    """``runs`` timings of ``case``, each right after one of its bare page (same kind of
    input) and of the bare slider page (each in a tab of its own), so a machine busy with
    something else slows all alike: bare, bare slider, page, page's run reported finished."""
    bare: list[float] = []
    slider: list[float] = []
    times: list[float] = []
    done: list[float] = []
    for i in range(warmup + runs):
        b, _ = once(bare_pages[case.bare], BARES[case.bare], i)
        s = b if case.bare == "slider" else once(bare_pages["slider"], BARE, i)[0]
        t, d = once(page, case, i)
        if i >= warmup:
            bare.append(b)
            slider.append(s)
            times.append(t)
            done.append(d)
    wait_settled(page)
    if errors := exceptions_on(page):
        raise RuntimeError(f"{case.label}: exception after the runs: {errors[0][:500]}")
    return bare, slider, times, done


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 14], choices=sorted(ROSTERS))
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--pages", nargs="+", default=[c.label for c in CASES],
                    choices=[c.label for c in CASES])
    ap.add_argument("--app-env", nargs="*", default=[], metavar="NAME=VALUE",
                    help="extra environment for the dashboard's servers (experiments, e.g. "
                    "STREAMLIT_RUNNER_POST_SCRIPT_GC=false)")
    ap.add_argument("--app-dir", type=Path, default=ROOT,
                    help="run the dashboard from another checkout (before/after figures)")
    ap.add_argument("--also-quarter", action="store_true",
                    help="also time the sidebar quarter (a full rerun) on every page")
    args = ap.parse_args(argv)

    cases = [c for c in CASES if c.label in args.pages]
    if args.also_quarter:
        cases += [quarter_case(c.page, c.label) for c in cases
                  if c.commit is not _pick_quarter]
    load_before = os.getloadavg()[0]
    rows: list[tuple[str, str, str, list[float], list[float], list[float], list[float]]] = []
    with contextlib.ExitStack() as stack:
        bare = stack.enter_context(serve("benchmarks/bare_slider_app.py", None, "bare"))
        pick = stack.enter_context(serve("benchmarks/bare_pick_app.py", None, "bare-pick"))
        extra = dict(kv.split("=", 1) for kv in args.app_env)
        apps = {n: stack.enter_context(serve("app.py", {**extra, "TEL_ROSTER": ROSTERS[n]},
                                             f"lat{n}", cwd=args.app_dir))
                for n in args.sizes}
        page = stack.enter_context(browser_page())
        # the yardstick in a context of its own: a second tab in the same context shares
        # the renderer and made the dashboard's runs ~35 ms slower
        size = page.viewport_size
        bare_pages = {kind: page.context.browser.new_context(viewport=size).new_page()
                      for kind in BARES}
        for kind, bare_case in BARES.items():
            open_page(bare_pages[kind], (bare if kind == "slider" else pick).url, bare_case)
        for n in args.sizes:
            for case in cases:
                open_page(page, apps[n].url, case)
                b, sl, t, d = paired(bare_pages, page, case, args.runs, args.warmup)
                rows.append((f"{n:,}", case.label, case.what, b, sl, t, d))
                print(f"  {n:>5} {case.label:<24} median {statistics.median(t):5.0f} ms, "
                      f"bare {statistics.median(b):4.0f} ms", flush=True)

    print(f"\nslider -> settled page in Chromium, {args.runs} runs each, ms; load average "
          f"{load_before:.2f} before, {os.getloadavg()[0]:.2f} after")
    print(f"{'people':>6}  {'page':<24} {'interaction':<36} {'bare':>5} {'median':>7} "
          f"{'p90':>6} {'x bare':>7} {'x slider':>9} {'run done':>9}")
    over = 0
    for people, label, what, b, sl, t, d in rows:
        ratio = statistics.median(t) / statistics.median(b)
        over += ratio > 2
        print(f"{people:>6}  {label:<24} {what:<36} {statistics.median(b):5.0f} "
              f"{statistics.median(t):7.0f} {p90(t):6.0f} {ratio:6.2f}x "
              f"{statistics.median(t) / statistics.median(sl):8.2f}x "
              f"{statistics.median(d):9.0f}" + ("  over 2x" if ratio > 2 else ""))
    print("\nbare: the median of the bare page with the same kind of input (slider, sidebar "
          "select box,\nmultiselect: benchmarks/bare_pick_app.py), its runs taken in turn with "
          "the page's.\nx slider: the page against the bare slider page, as measured before "
          "the pick page existed.\nrun done: median time until the browser heard the script "
          "run had finished; the rest of\nthe median is the browser drawing what changed "
          "(plotly charts).")
    print(f"{over} of {len(rows)} over 2x." if over else "Every page within 2x of the bare page.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
