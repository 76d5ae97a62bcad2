"""The ``tel`` command line: the same numbers as the dashboard, without a browser.

    tel quarter --plan PLAN.toml --roster ROSTER.csv --months MONTHS.csv [--scores S] \\
                [--quarter 2026-Q3] [--json]
    tel year    --plan PLAN.toml --roster ROSTER.csv --months MONTHS.csv [--scores S] \\
                [--fiscal-year 2026] [--json]
    tel check   --plan PLAN.toml --roster ROSTER.csv --months MONTHS.csv [--scores S]
    tel import-books --profit-loss PL --balance-sheet BS [--ar-aging AR ...] [--out months.csv]

``quarter`` prints a readable table (or, with ``--json``, the spec's JSON object);
without ``--quarter`` it takes the latest quarter with a booked month. The ledger (spec
section 10) runs from the first booked quarter, so a quarter carries what earlier ones left.
``year`` prints each booked quarter of a fiscal year and each person's total (default: the
latest fiscal year with a booked month). ``check`` lists every problem in the files. Roster,
months and scores may be ``.csv`` or ``.xlsx``. ``import-books`` reads accounting reports (a
profit and loss by month, a balance sheet by month, A/R aging summaries; spec section 16) and
prints what it read, each figure with its file and row, or writes it as a months file with
``--out``. A quarter whose gate month has no A/R aging report (blank A/R cells) is one line
naming the missing report, and exit 2.

Problems go to stderr, one line each (``error: <file> row R, column C: ...``). Exit status:
0 when all is well (warnings are printed but do not fail), 2 for any bad input (a missing or
unreadable file, a bad cell, a bad ``--quarter``, a quarter with no booked month) and also
for an unexpected failure, which is reported in one line too: never a traceback. 1 when the
reader of the output went away early (``tel quarter ... | head``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sys
from collections.abc import Sequence
from decimal import Decimal
from typing import NoReturn, TextIO

from tel.analysis.risk import (
    DEFAULT_LOOKBACK,
    DEFAULT_SIMS,
    RiskError,
    RiskResult,
    simulate,
)
from tel.analysis.year import quarters_table
from tel.core.models import Plan, Scenario
from tel.core.money import format_money
from tel.core.periods import Quarter
from tel.engine.ledger import booked_quarters
from tel.engine.quarter import NoBookedMonth, QuarterResult, compute_scenario
from tel.engine.year import NoBookedQuarter, YearResult, compute_year, fiscal_years
from tel.io.books import TABLE_COLUMNS, Books, read_books_files
from tel.io.loaders import read_scenario
from tel.io.problems import Problem
from tel.rules.gates import MissingAging

__all__ = ["format_quarter", "main"]

EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_CLOSED_PIPE = 1


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line on stderr instead of usage + message."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"error: {message} (see '{self.prog} --help')\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="tel",
        description="TEL bonus: one quarter's pools and checks, exact to the cent.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def files(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--plan", required=True, metavar="PLAN.toml", help="the plan (TOML)")
        sub.add_argument(
            "--roster", required=True, metavar="ROSTER.csv", help="the roster (.csv or .xlsx)"
        )
        sub.add_argument(
            "--months",
            required=True,
            metavar="MONTHS.csv",
            help="the monthly figures (.csv or .xlsx)",
        )
        sub.add_argument(
            "--scores",
            metavar="SCORES.csv",
            help="performance multipliers by quarter: name,quarter,performance (optional)",
        )

    quarter = commands.add_parser(
        "quarter",
        help="compute one quarter",
        description="Compute one quarter: threshold, TEL profit, gates, pools and every check.",
    )
    files(quarter)
    quarter.add_argument(
        "--quarter",
        metavar="YYYY-QN",
        help="the fiscal quarter, e.g. 2026-Q3 (default: the latest with a booked month)",
    )
    quarter.add_argument("--json", action="store_true", help="print one JSON object")

    year = commands.add_parser(
        "year",
        help="compute one fiscal year",
        description="Compute every booked quarter of one fiscal year, in ledger order, and "
        "each person's total.",
    )
    files(year)
    year.add_argument(
        "--fiscal-year",
        type=_fiscal_year,
        metavar="YYYY",
        help="the fiscal year, named by the calendar year in which it ends "
        "(default: the latest with a booked month)",
    )
    year.add_argument("--json", action="store_true", help="print one JSON object")

    risk = commands.add_parser(
        "risk",
        help="simulate the months not booked yet: the chance of a bonus and its range",
        description="Simulate the quarter's months not booked yet (spec section 15): the "
        "chance that anything is paid, and the staff pool, paid pool and each check at the "
        "10th, 50th and 90th percentiles.",
    )
    files(risk)
    risk.add_argument("--quarter", metavar="YYYY-QN",
                      help="the quarter (default: the one with the last booked month when it "
                      "is not complete, else the next)")
    risk.add_argument("--sims", type=_positive, default=DEFAULT_SIMS, metavar="N",
                      help=f"simulated quarters (default {DEFAULT_SIMS:,})")
    risk.add_argument("--seed", type=_whole, default=None, metavar="N",
                      help="random seed: the same seed gives the same figures")
    risk.add_argument("--lookback", type=_positive, default=DEFAULT_LOOKBACK, metavar="N",
                      help=f"booked months the GP distribution is fitted to (default "
                      f"{DEFAULT_LOOKBACK})")
    risk.add_argument("--json", action="store_true", help="print one JSON object")

    check = commands.add_parser(
        "check",
        help="list every problem in the input files",
        description="List every problem in the three input files, one line each.",
    )
    files(check)

    books = commands.add_parser(
        "import-books",
        help="read the books: a profit and loss and a balance sheet by month, A/R agings",
        description="Read accounting reports (QuickBooks Online or Desktop, Xero; CSV or "
        "XLSX) into the months file: GP from the profit and loss's Gross Profit row, cash on "
        "hand from the balance sheet's total of bank accounts, A/R from an aging summary as of "
        "each month-end you have. Prints what was read, with the file and row of every figure, "
        "and every problem.",
    )
    books.add_argument("--profit-loss", required=True, metavar="PL",
                       help="profit and loss by month (.csv or .xlsx)")
    books.add_argument("--balance-sheet", required=True, metavar="BS",
                       help="balance sheet by month (.csv or .xlsx)")
    books.add_argument("--ar-aging", action="extend", nargs="+", default=[], metavar="AR",
                       help="A/R aging summaries, one per month-end (optional, any number)")
    books.add_argument("--out", metavar="MONTHS.csv",
                       help="write the months file here (only when there is no error)")
    books.add_argument("--fiscal-year-start", type=_month_number, default=1, metavar="M",
                       help="the fiscal year's first month, 1 to 12 (default 1): which months "
                       "end a quarter, for the warning about missing A/R agings")
    return parser


def _month_number(text: str) -> int:
    if not re.fullmatch(r"\d{1,2}", text.strip()) or not 1 <= int(text) <= 12:
        raise argparse.ArgumentTypeError(f"'{text}' is not a month number from 1 to 12")
    return int(text)


def _fiscal_year(text: str) -> int:
    if not re.fullmatch(r"\d{4}", text.strip()):
        raise argparse.ArgumentTypeError(f"'{text}' is not a year; expected YYYY, e.g. 2026")
    return int(text)


def _say(problem: Problem, stream: TextIO) -> None:
    print(f"{problem.severity}: {problem}", file=stream)


_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _error(message: str) -> None:
    # one line; a control character from a path or an exception is shown, not obeyed
    line = _UNSAFE.sub(lambda m: f"\\x{ord(m.group()):02x}", " ".join(message.split()))
    print(f"error: {line}", file=sys.stderr)


def _load(args: argparse.Namespace) -> tuple[Scenario | None, list[Problem]]:
    loaded = read_scenario(args.plan, args.roster, args.months, args.scores)
    return loaded.value, list(loaded.problems)


def _check(args: argparse.Namespace) -> int:
    scenario, problems = _load(args)
    for problem in problems:
        _say(problem, sys.stderr)
    errors = sum(1 for p in problems if p.is_error)
    warnings = len(problems) - errors
    if errors or scenario is None:
        print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)
        return EXIT_BAD_INPUT
    quarters = booked_quarters(scenario.months, scenario.plan.fiscal_year_start)
    span = f"{quarters[0]}" if len(quarters) == 1 else f"{quarters[0]} to {quarters[-1]}"
    note = f", {warnings} warning(s)" if warnings else ""
    print(
        f"all files OK: {len(scenario.roster)} people, {len(scenario.months)} months ({span}){note}"
    )
    return EXIT_OK


def _loaded_with_quarter(args: argparse.Namespace) -> tuple[Scenario, Quarter | None] | None:
    """The files and ``--quarter`` read, every problem said on stderr; ``None`` on an error."""
    wanted: Quarter | None = None
    problems: list[Problem] = []
    if args.quarter is not None:
        try:
            wanted = Quarter.parse(args.quarter)
        except ValueError as exc:
            problems.append(Problem("--quarter", None, None, str(exc)))
    scenario, more = _load(args)
    problems += more
    for problem in problems:
        _say(problem, sys.stderr)
    if scenario is None or any(p.is_error for p in problems):
        return None
    return scenario, wanted


def _quarter(args: argparse.Namespace) -> int:
    loaded = _loaded_with_quarter(args)
    if loaded is None:
        return EXIT_BAD_INPUT
    scenario, wanted = loaded
    fys = scenario.plan.fiscal_year_start
    booked = booked_quarters(scenario.months, fys)
    quarter = wanted if wanted is not None else booked[-1]
    try:
        result = compute_scenario(scenario, quarter)
    except NoBookedMonth as exc:
        _error(
            f"{args.months}: {exc}; expected a quarter with at least one booked month: "
            + ", ".join(str(q) for q in booked)
        )
        return EXIT_BAD_INPUT
    except MissingAging as exc:
        _error(missing_aging_line(args.months, exc, fys, quarter))
        return EXIT_BAD_INPUT
    if args.json:
        print(json.dumps(result.to_json_dict(), indent=2))
    else:
        print(format_quarter(result, scenario.plan), end="")
    return EXIT_OK


def _year(args: argparse.Namespace) -> int:
    scenario, problems = _load(args)
    for problem in problems:
        _say(problem, sys.stderr)
    if scenario is None or any(p.is_error for p in problems):
        return EXIT_BAD_INPUT
    fys = scenario.plan.fiscal_year_start
    years = fiscal_years(scenario.months, fys)
    wanted = args.fiscal_year if args.fiscal_year is not None else years[-1]
    try:
        result = compute_year(scenario.plan, scenario.roster, scenario.months, wanted,
                              scenario.score_map)
    except NoBookedQuarter as exc:
        _error(f"{args.months}: {exc}; expected a fiscal year with at least one booked month: "
               + ", ".join(str(y) for y in years))
        return EXIT_BAD_INPUT
    except MissingAging as exc:
        _error(missing_aging_line(args.months, exc, fys))
        return EXIT_BAD_INPUT
    if args.json:
        print(json.dumps(result.to_json_dict(), indent=2))
    else:
        print(format_year(result), end="")
    return EXIT_OK


def format_year(year: YearResult) -> str:
    """A fiscal year as readable tables: the ledger quarter by quarter (the Year page's table,
    :func:`tel.analysis.year.quarters_table`, without the rows that are 0 all year), then each
    person's checks by quarter and their total."""
    cents = quarters_table(year, text=False)
    table = quarters_table(year)
    keep = [label for label in table.index
            if label in _ALWAYS or any(v != 0 for v in cents.loc[label])]
    head = [str(c) for c in table.columns]
    label_w = max(len(label) for label in keep)
    width = max(len(str(v)) for label in keep for v in [*table.loc[label], *head])
    out = [f"TEL bonus, fiscal year {year.fiscal_year}", ""]
    shadow = [r.quarter for r in year.quarters if r.shadow]
    if shadow:  # what the plan would pay in them, not paid
        out.insert(1, f"SHADOW: {', '.join(shadow)} "
                   f"{'is' if len(shadow) == 1 else 'are'} what the plan would pay, not paid")
    out.append(f"{'':<{label_w}}" + "".join(f"  {h:>{width}}" for h in head))
    for label in keep:
        out.append(f"{label:<{label_w}}" + "".join(f"  {v!s:>{width}}" for v in table.loc[label]))
    out.append("")
    names = year.names
    name_w = max([len("Name"), len("Total"), *(len(n) for n in names)])
    totals = year.totals()
    cells = [[format_money(r.payouts[i].total) for r in year.quarters]
             + [format_money(totals[i])] for i in range(len(names))]
    last = [format_money(r.paid) for r in year.quarters] + [format_money(year.paid)]
    width = max([width, *(len(c) for row in [*cells, last] for c in row)])
    out.append(f"{'Name':<{name_w}}" + "".join(f"  {h:>{width}}" for h in head))
    for name, row in zip(names, cells, strict=True):
        out.append(f"{name:<{name_w}}" + "".join(f"  {c:>{width}}" for c in row))
    out.append(f"{'Total':<{name_w}}" + "".join(f"  {c:>{width}}" for c in last))
    return "\n".join(out) + "\n"


_ALWAYS = {"Months booked", "Quarter GP", "Min GP × months booked", "TEL profit", "House",
           "Staff pool", "Gates", "Paid pool", "Paid in checks"}


def _whole(text: str) -> int:
    if not re.fullmatch(r"\d{1,18}", text.strip()):
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number")
    return int(text)


def _positive(text: str) -> int:
    value = _whole(text)
    if not 1 <= value <= 10_000_000:
        raise argparse.ArgumentTypeError(f"'{text}' is not from 1 to 10,000,000")
    return value


def _risk(args: argparse.Namespace) -> int:
    loaded = _loaded_with_quarter(args)
    if loaded is None:
        return EXIT_BAD_INPUT
    scenario, wanted = loaded
    try:
        result = simulate(scenario, wanted, sims=args.sims, seed=args.seed,
                          lookback=args.lookback)
    except RiskError as exc:
        _error(f"{args.months}: {exc}")
        return EXIT_BAD_INPUT
    except MissingAging as exc:
        _error(missing_aging_line(args.months, exc, scenario.plan.fiscal_year_start))
        return EXIT_BAD_INPUT
    if args.json:
        print(json.dumps(result.to_json_dict(), indent=2))
    else:
        print(format_risk(result), end="")
    return EXIT_OK


def format_risk(r: RiskResult) -> str:
    """A simulation as readable lines: what was simulated, the chance, the pools, the checks."""
    seed = "" if r.seed is None else f", seed {r.seed}"
    out = [
        f"TEL bonus risk for {r.quarter}: {r.sims:,} simulated quarters{seed}",
        f"Booked: {', '.join(r.booked) or 'none'}; simulated: {', '.join(r.simulated) or 'none'}"
        f" (GP each drawn from a normal with mean {format_money(round(r.gp_mean))} and "
        f"standard deviation {format_money(round(r.gp_sd))}, fitted to "
        f"{len(r.months_used)} booked months {r.months_used[0]} to {r.months_used[-1]})",
        "Gates: " + ("as booked, passed" if r.gates_passed else
                     "FAILED on the last booked month: nothing is paid"),
        f"Chance that anything is paid: {r.p_any_payout:.1%}",
        "",
        f"{'':<12}{'mean':>15}{'P10':>15}{'P50':>15}{'P90':>15}",
    ]
    for label, s in (("Staff pool", r.staff_pool), ("Paid pool", r.paid_pool)):
        out.append(f"{label:<12}" + "".join(f"{format_money(c):>15}"
                                            for c in (s.mean, s.p10, s.p50, s.p90)))
    out.append("")
    name_w = max([len("Name"), *(len(p.name) for p in r.payouts)])
    out.append(f"{'Name':<{name_w}}{'expected':>15}{'P10':>15}{'P50':>15}{'P90':>15}")
    for p in r.payouts:
        if p.eligible:
            cells = "".join(f"{format_money(c):>15}" for c in (p.expected, p.p10, p.p50, p.p90))
        else:
            cells = f"{'not eligible':>15}"
        out.append(f"{p.name:<{name_w}}{cells}")
    return "\n".join(out) + "\n"


def _pct(value: Decimal) -> str:
    return f"{value.normalize():f}%"


def format_quarter(result: QuarterResult, plan: Plan) -> str:
    """One quarter as a readable table: figures, gates, pools, then every person.

    >>> from datetime import date
    >>> from tel.core.models import Month, Person
    >>> from tel.engine.quarter import compute_quarter
    >>> months = [Month(year=2026, month=m, gp=g, cash_on_hand=52000, ar_total=320000,
    ...                 ar_90_plus=24000) for m, g in ((7, 69343), (8, 59343), (9, 73434))]
    >>> ann = Person(name="Ann", salary=60000, start_date=date(2020, 1, 1))
    >>> r = compute_quarter(Plan(), [ann], months, Quarter(2026, 3))
    >>> print(format_quarter(r, Plan()), end="")
    TEL bonus for 2026-Q3, paid 2026-11-13 (the 15th is a Sunday; moved to the previous business day)
    Months booked: 2026-07, 2026-08, 2026-09
    <BLANKLINE>
    Min GP a month               $62,000.00
    Threshold (3 x Min GP)      $186,000.00
    GP                          $202,120.00
    TEL profit                   $16,120.00
    <BLANKLINE>
    Gates on 2026-09: passed
      ok    Cash $52,000.00 meets the $50,000.00 minimum
      ok    A/R over 90 days is 7.5%, within the 10% limit
    <BLANKLINE>
    House (25%)                   $4,030.00
    Staff pool                   $12,090.00
    Team pool (50%)               $6,045.00
    Merit pool (50%)              $6,045.00
    <BLANKLINE>
    Name   Eligible        Team       Merit       Total
    Ann    eligible   $6,045.00   $6,045.00  $12,090.00
    Total  1 of 1     $6,045.00   $6,045.00  $12,090.00
    """  # noqa: E501
    r, g = result, result.gates
    n = len(r.months_booked)
    moved = plan.pay_date_note(Quarter.parse(r.quarter))
    out = [f"TEL bonus for {r.quarter}, paid {r.pay_date.isoformat()}"
           + (f" ({moved})" if moved else "")]
    if r.shadow:  # the plan runs this quarter in shadow: nothing is paid
        out[0] = f"SHADOW: {r.quarter} is what the plan would pay, not paid " \
            f"(a shadow quarter; would be paid {r.pay_date.isoformat()})"
    if r.complete:
        out.append(f"Months booked: {', '.join(r.months_booked)}")
    else:
        out.append(f"Quarter to date: {n} of 3 months booked ({', '.join(r.months_booked)})")

    def figure(label: str, cents: int) -> str:
        return f"{label:<24}{format_money(cents):>15}"

    out += [
        "",
        figure("Min GP a month", r.min_gp),
        figure(f"Threshold ({n} x Min GP)", r.min_gp * n),
        figure("GP", r.gp_total),
        figure("TEL profit", r.tel_profit),
        "",
        f"Gates on {g.month}: "
        + ("passed" if g.passed else "FAILED, nothing is paid this quarter"),
        f"  {'ok' if g.cash_ok else 'FAIL':<6}{g.cash_text()}",
        f"  {'ok' if g.ar_ok else 'FAIL':<6}{g.ar_text()}",
        "",
        figure(f"House ({_pct(plan.house_pct)})", r.house),
        figure("Staff pool", r.staff_pool),
        figure(f"Team pool ({_pct(plan.team_pct)})", r.team_pool),
        figure(f"Merit pool ({_pct(plan.merit_pct)})", r.merit_pool),
    ]
    ledger = [
        ("Carried shortfall in", r.carry_in), ("Carried shortfall out", r.carry_out),
        ("Deferred pools in", r.deferred_in), ("Deferred pools out", r.deferred_out),
        ("Held back for the reserve", r.held_back), ("Reserve released", r.released),
        ("Reserve after", r.reserve_out), ("Available", r.available),
        ("Employer payroll tax", r.employer_tax), ("Paid pool", r.paid_pool),
        ("Over caps, to the house", r.capped_to_house),
    ]
    carried = any(c for label, c in ledger if label not in ("Available", "Paid pool"))
    if carried or r.paid_pool != (r.staff_pool if g.passed else 0):
        out.append("")
        out += [figure(label, c) for label, c in ledger]
    if r.undistributed:
        out.append(figure("Undistributed (nobody eligible)", r.undistributed))
    out.append("")

    rows = [
        (p.name, "eligible" if p.eligible else p.reason, p.team, p.merit, p.total)
        for p in r.payouts
    ]
    total = (
        "Total",
        f"{r.eligible_count} of {len(r.payouts)}",
        sum(p.team for p in r.payouts),
        sum(p.merit for p in r.payouts),
        r.paid,
    )
    name_w = max([len("Name"), *(len(x[0]) for x in [*rows, total])])
    why_w = max([len("Eligible"), *(len(x[1]) for x in [*rows, total])])
    money_w = max([len("Total"), *(len(format_money(c)) for x in [*rows, total] for c in x[2:])])

    def line(name: str, why: str, *amounts: str) -> str:
        cells = "".join(f"  {a:>{money_w}}" for a in amounts)
        return f"{name:<{name_w}}  {why:<{why_w}}{cells}".rstrip()

    out.append(line("Name", "Eligible", "Team", "Merit", "Total"))
    for name, why, *amounts in [*rows, total]:
        out.append(line(str(name), str(why), *(format_money(int(c)) for c in amounts)))
    return "\n".join(out) + "\n"


def _main(argv: Sequence[str] | None) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error already printed in one line
        return exc.code if isinstance(exc.code, int) else EXIT_BAD_INPUT
    if args.command == "check":
        return _check(args)
    if args.command == "year":
        return _year(args)
    if args.command == "risk":
        return _risk(args)
    if args.command == "import-books":
        return _import_books(args)
    return _quarter(args)


def missing_aging_line(months_file: str, exc: MissingAging, fiscal_year_start: int,
                       asked: Quarter | None = None) -> str:
    """The one line for a gate month without an A/R aging report. When it is an earlier
    quarter's than the one ``asked`` for, the line says why that one matters: the ledger
    runs every quarter before it (a failed gate can defer a pool or keep a holdback).

    >>> from tel.core.models import Month
    >>> m = Month(year=2025, month=12, gp=0, cash_on_hand=1)
    >>> print(missing_aging_line("months.csv", MissingAging(m), 1))
    months.csv: A/R aging as of 2025-12-31 is missing: the gates of 2025-Q4 are checked on 2025-12, whose ar_total and ar_90_plus are blank; expected them from an A/R aging summary as of 2025-12-31 (tel import-books --ar-aging)
    >>> print(missing_aging_line("m.csv", MissingAging(m), 1, Quarter(2026, 1))[-95:])
    (tel import-books --ar-aging); 2026-Q1 comes after 2025-Q4 in the ledger, which needs its gates
    """  # noqa: E501
    year, month = (int(x) for x in exc.month.split("-"))
    quarter = Quarter.containing((year, month), fiscal_year_start)
    line = (f"{months_file}: {exc}: the gates of {quarter} are checked on {exc.month}, whose "
            f"ar_total and ar_90_plus are blank; expected them from an A/R aging summary as of "
            f"{exc.as_of.isoformat()} (tel import-books --ar-aging)")
    if asked is not None and asked != quarter:
        line += f"; {asked} comes after {quarter} in the ledger, which needs its gates"
    return line


def format_books(books: Books) -> str:
    r"""What was read from the books: one month a line, money right-aligned, then the cell
    each figure came from.

    >>> from tel.io.books import BookFile, read_books
    >>> pl = BookFile("pl.csv", b"Profit and Loss\nAccount,Jan 2026\nGross Profit,100.00\n")
    >>> bs = BookFile("bs.csv", b"Balance Sheet\nAccount,Jan 2026\nTotal Bank,50.00\n")
    >>> print(format_books(read_books(pl, bs)), end="")
    Month         GP  Cash on hand  A/R total  A/R over 90 days  GP from                Cash from              A/R from
    2026-01  $100.00        $50.00                               pl.csv row 3, column B bs.csv row 3, column B
    """  # noqa: E501
    rows = books.table()
    if not rows:
        return "No month was read.\n"
    money = TABLE_COLUMNS[1:5]
    width = {c: max([len(c), *(len(r[c]) for r in rows)]) for c in TABLE_COLUMNS}

    def line(cells: dict[str, str]) -> str:
        figures = "  ".join(f"{cells[c]:>{width[c]}}" if c in money else f"{cells[c]:<{width[c]}}"
                            for c in TABLE_COLUMNS[:5])
        sources = " ".join(f"{cells[c]:<{width[c]}}" for c in TABLE_COLUMNS[5:])
        return f"{figures}  {sources}".rstrip()

    return "\n".join(line(r) for r in [dict(zip(TABLE_COLUMNS, TABLE_COLUMNS, strict=True)),
                                        *rows]) + "\n"


def _import_books(args: argparse.Namespace) -> int:
    books = read_books_files(args.profit_loss, args.balance_sheet, args.ar_aging,
                             fiscal_year_start=args.fiscal_year_start)
    if books.months:
        print(format_books(books), end="")
    for problem in books.problems:
        _say(problem, sys.stderr)
    if books.errors or not books.months:
        return EXIT_BAD_INPUT
    if args.out:
        data = books.months_csv()
        try:
            with open(args.out, "wb") as handle:
                handle.write(data)
        except OSError as exc:
            _error(f"{args.out}: cannot be written ({exc.strerror or exc})")
            return EXIT_BAD_INPUT
        with_ar = sum(1 for m in books.months if m.ar_total is not None)
        print(f"wrote {args.out}: {len(books.months)} months "
              f"({books.months[0].label} to {books.months[-1].label}), A/R aging for {with_ar}")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``tel`` with ``argv`` (default: the process arguments); returns the exit status."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:  # an accented name must not crash an ASCII terminal
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")
    try:
        return _main(argv)
    except KeyboardInterrupt:
        _error("interrupted")
        return 130
    except BrokenPipeError:
        # the reader went away (tel ... | head): stop quietly, without a second error at exit
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_CLOSED_PIPE
    except Exception as exc:  # the promise is one line, never a traceback
        _error(f"tel stopped on an unexpected problem ({type(exc).__name__}: {exc})")
        return EXIT_BAD_INPUT
