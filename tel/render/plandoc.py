"""The plan in plain English, generated from the ``Plan`` itself: Markdown, or the same as PDF.

The document is built once as a list of blocks (headings, paragraphs, lists, tables) and then
rendered, so the Markdown and the PDF always say the same thing. Its worked example is
computed by ``compute_quarter`` with the plan's own numbers: nothing in it is typed in by
hand, so the document cannot drift from the code that pays real quarters.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tel.core.models import Month, Person, Plan
from tel.core.money import Cents, format_money, percent_of, to_cents, to_dollars
from tel.core.periods import Quarter, add_months
from tel.engine.quarter import QuarterResult, compute_quarter
from tel.render.statement import PdfDoc, long_date, percent_text, to_latin1
from tel.rules.threshold import min_gp

__all__ = ["example_quarter", "plan_markdown", "plan_pdf"]

_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_SALARIES = (42_000, 48_000, 52_000, 55_000, 60_000, 65_000, 72_000, 80_000, 90_000, 105_000)
_TENURES = (120, 84, 60, 48, 36, 30, 24, 18, 12)  # months; the tenth person is a new hire
_EXAMPLE_AR_TOTAL: Cents = 10_000_000  # $100,000 of receivables in the example


@dataclass(frozen=True, slots=True)
class _Block:
    kind: str  # "h1", "h2", "p", "ul", "table"
    text: str = ""
    items: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()  # first row is the header


def _h1(t: str) -> _Block:
    return _Block("h1", t)


def _h2(t: str) -> _Block:
    return _Block("h2", t)


def _p(t: str) -> _Block:
    return _Block("p", t)


def _ul(*items: str) -> _Block:
    return _Block("ul", items=items)


def _table(rows: Sequence[Sequence[str]]) -> _Block:
    return _Block("table", rows=tuple(tuple(r) for r in rows))


def _money(d: Decimal) -> str:
    return format_money(to_cents(d))


def _month_range(months: Sequence[tuple[int, int]]) -> str:
    (y0, m0), (y1, m1) = months[0], months[-1]
    first = _MONTHS[m0 - 1] + ("" if y0 == y1 else f" {y0}")
    return f"{first} to {_MONTHS[m1 - 1]} {y1}"


def _this_fiscal_year(plan: Plan) -> int:
    today = date.today()
    return Quarter.containing((today.year, today.month), plan.fiscal_year_start).year


def example_quarter(
    plan: Plan, fiscal_year: int | None = None
) -> tuple[Quarter, list[Month], list[Person], QuarterResult]:
    """The illustration: the fiscal year's first quarter, 3 months at Min GP + 10%, cash
    exactly at the minimum, 90+ day A/R at half the limit, and 10 illustrative people (one
    new hire a month short of eligibility). Returns the inputs and ``compute_quarter``'s result.
    """
    year = fiscal_year if fiscal_year is not None else _this_fiscal_year(plan)
    q = Quarter(year, 1)
    threshold = min_gp(plan)
    # Min GP + 10%, rounded half-up to the cent; an all-zero threshold gets $10,000 a month.
    gp = percent_of(threshold, Decimal(110)) if threshold else 1_000_000
    ar90 = percent_of(_EXAMPLE_AR_TOTAL, plan.max_ar90_pct / 2)
    months = [
        Month(
            year=y,
            month=m,
            gp=to_dollars(gp),
            cash_on_hand=plan.min_cash,
            ar_total=to_dollars(_EXAMPLE_AR_TOTAL),
            ar_90_plus=to_dollars(ar90),
        )
        for y, m in q.months(plan.fiscal_year_start)
    ]
    last = q.months(plan.fiscal_year_start)[2]
    tenures = (*_TENURES, plan.min_months - 1 if plan.min_months >= 1 else 6)
    people = []
    for i, (salary, tenure) in enumerate(zip(_SALARIES, tenures, strict=True)):
        # Starting on the 1st of the month `tenure` months before the quarter's last month
        # gives exactly `tenure` completed months at the quarter's last day.
        y, m = add_months(last, -tenure)
        people.append(
            Person(
                name=f"Person {chr(ord('A') + i)}",
                salary=Decimal(salary),
                start_date=date(y, m, 1),
            )
        )
    result = compute_quarter(plan, people, months, q)
    return q, months, people, result


def _blocks(plan: Plan, company: str, fiscal_year: int | None) -> list[_Block]:
    fys = plan.fiscal_year_start
    year = fiscal_year if fiscal_year is not None else _this_fiscal_year(plan)
    threshold = min_gp(plan)
    staff_pct = 100 - plan.house_pct
    house, team, merit = (percent_text(x) for x in (plan.house_pct, plan.team_pct, plan.merit_pct))
    who = company.strip() or "the company"
    title = f"{company.strip()} TEL bonus plan" if company.strip() else "TEL bonus plan"
    b: list[_Block] = [
        _h1(title),
        _p(
            "TEL stands for Team, Effort and Loyalty. When a quarter's gross profit (GP) is "
            f"more than {who} needs to cover its overhead, pay its debts and pay its owners, "
            f"part of the excess is shared with the staff: {team} of the staff's share in "
            f"equal checks (team), {merit} in proportion to salary and years of service "
            "(effort and loyalty). This document is generated from the plan's settings, so it "
            "always says what the calculator does."
        ),
        _h2("1. The threshold: Min GP"),
        _p(f"Each month {who} must make this much GP before anything is shared:"),
        _table(
            [
                ("Part", "Per month"),
                ("Average overhead", _money(plan.overhead)),
                ("Debt service", _money(plan.debt_service)),
                ("Owner retention", _money(plan.owner_retention)),
                ("Net-income retention", _money(plan.ni_retention)),
                ("Min GP", format_money(threshold)),
            ]
        ),
        _p(
            "TEL profit for a quarter = the quarter's total GP minus Min GP for each of its "
            f"months (3 x {format_money(threshold)} = {format_money(3 * threshold)} for a full "
            "quarter), and never less than zero. The months are taken together, so a weak "
            "month is made up by strong ones in the same quarter. Before a quarter is over, "
            "the figures are quarter to date, counting only the months booked so far."
        ),
        _h2("2. How TEL profit is shared"),
        _ul(
            f"The house keeps {house} of TEL profit for marketing, sales and growth.",
            f"The other {percent_text(staff_pct)} is the staff pool.",
            f"Team pool: {team} of the staff pool, paid in equal checks to everyone eligible.",
            f"Merit pool: the other {merit} of the staff pool, paid in proportion to each "
            "eligible person's merit weight = salary x years of service x performance "
            "(performance is 1 unless the company sets another multiplier).",
        ),
        _h2("3. The gates: no bonus on money the company does not have"),
        _p("Checked at the end of the quarter's last month. Both must pass:"),
        _ul(
            f"Cash on hand is at least {_money(plan.min_cash)}.",
            f"Receivables more than 90 days old are at most {percent_text(plan.max_ar90_pct)} "
            "of all receivables (no receivables at all passes).",
        ),
        _p(
            "If either gate fails, nothing is paid for that quarter. The pools are still "
            "worked out and shown, so everyone can see what was at stake."
        ),
        _h2("4. Who is eligible"),
        _p("A person shares the staff pool when all of these hold:"),
        _ul(
            "not an owner (owners are paid through owner retention);",
            "a W-2 employee (contractors are not included);",
            "full time;",
            f"at least {plan.min_months} completed months of service on the quarter's last day;",
            "still employed on the pay date.",
        ),
        _p("Everyone who is not eligible is told why, in plain words."),
        _h2(f"5. Calendar for fiscal year {year}"),
        _p(
            f"The fiscal year starts in {_MONTHS[fys - 1]}"
            + (
                " and is named by the calendar year in which it ends."
                if fys != 1
                else " (it is the calendar year)."
            )
            + f" Each quarter is paid on {plan.pay_day_words()}"
            + ("." if plan.pay_day_rule == "exact" else " (public holidays do not move it).")
        ),
        _table(
            [("Quarter", "Months", "Paid on")]
            + [
                (
                    str(q),
                    _month_range(q.months(fys)),
                    _paid_on(plan, q),
                )
                for q in (Quarter(year, n) for n in (1, 2, 3, 4))
            ]
        ),
    ]
    b += _example_blocks(plan, year)
    b += [
        _h2("7. Exact to the cent"),
        _p(
            "All money is worked out in whole cents. Percentages are rounded half up. Each pool "
            "is shared by the largest-remainder method: everyone gets the whole cents of their "
            "exact share, and the few cents left over go one each to the largest remainders. "
            "So every pool is paid out exactly, and equal checks never differ by more than one "
            "cent."
        ),
    ]
    return b


def _example_blocks(plan: Plan, year: int) -> list[_Block]:
    q, months, people, r = example_quarter(plan, year)
    gp = to_cents(months[0].gp)
    last_month = months[-1]
    gates = r.gates
    rows: list[tuple[str, ...]] = [
        ("Person", "Salary", "Months", "Eligible", "Team", "Merit", "Total")
    ]
    for person, p in zip(people, r.payouts, strict=True):
        rows.append(
            (
                person.name,
                _money(person.salary),
                str(p.months),
                "yes" if p.eligible else f"no ({p.reason})",
                format_money(p.team),
                format_money(p.merit),
                format_money(p.total),
            )
        )
    rows.append(
        (
            "Total",
            "",
            "",
            f"{r.eligible_count} eligible",
            format_money(sum(p.team for p in r.payouts)),
            format_money(sum(p.merit for p in r.payouts)),
            format_money(r.paid),
        )
    )
    return [
        _h2(f"6. Worked example ({q})"),
        _p(
            "Made-up figures, computed by the same code that pays real quarters. Each month of "
            f"{q} books {format_money(gp)} of GP ("
            + ("Min GP + 10%" if min_gp(plan) else "an illustrative amount")
            + f"). Cash at the end is {_money(last_month.cash_on_hand)}, exactly the minimum; "
            f"receivables are {_money(last_month.ar_total)}, of which "
            f"{_money(last_month.ar_90_plus)} are over 90 days old. The staff are ten "
            "illustrative people; the last one joined recently."
        ),
        _table(
            [
                ("Step", "Amount"),
                ("GP of the quarter", format_money(r.gp_total)),
                ("Min GP x 3", format_money(3 * r.min_gp)),
                ("TEL profit", format_money(r.tel_profit)),
                (f"House ({percent_text(plan.house_pct)})", format_money(r.house)),
                ("Staff pool", format_money(r.staff_pool)),
                (f"Team pool ({percent_text(plan.team_pct)})", format_money(r.team_pool)),
                (f"Merit pool ({percent_text(plan.merit_pct)})", format_money(r.merit_pool)),
                ("Gates", "passed" if gates.passed else "failed: nothing is paid"),
            ]
        ),
        _p(f"{gates.cash_text()}. {gates.ar_text()}."),
        _table(rows),
        _p(
            f"The checks add up to {format_money(r.paid)}"
            + (
                ", the whole staff pool."
                if r.paid == r.staff_pool
                else f"; the staff pool was {format_money(r.staff_pool)}."
            )
        ),
    ]


_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}<>#|])")


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def _paid_on(plan: Plan, q: Quarter) -> str:
    """``13 November 2026 (the 15th is a Sunday; moved to the previous business day)``."""
    note = plan.pay_date_note(q)
    return long_date(plan.pay_date(q)) + (f" ({note})" if note else "")


def plan_markdown(plan: Plan, *, company: str = "", fiscal_year: int | None = None) -> str:
    """The plan as Markdown. ``fiscal_year`` picks the calendar and the example's year
    (default: the current fiscal year).

    >>> md = plan_markdown(Plan(), fiscal_year=2026)
    >>> "Min GP | $62,000.00" in md, "| 2026-Q4 | October to December 2026 | 15 February 2027" in md
    (True, True)
    """
    out: list[str] = []
    for block in _blocks(plan, company, fiscal_year):
        if block.kind == "h1":
            out.append(f"# {_md(block.text)}")
        elif block.kind == "h2":
            out.append(f"## {_md(block.text)}")
        elif block.kind == "p":
            out.append(_md(block.text))
        elif block.kind == "ul":
            out.append("\n".join(f"- {_md(i)}" for i in block.items))
        else:
            head, *body = block.rows
            lines = [
                "| " + " | ".join(_md(c) for c in head) + " |",
                "|" + "|".join(" --- " for _ in head) + "|",
                *("| " + " | ".join(_md(c) for c in row) + " |" for row in body),
            ]
            out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


def plan_pdf(
    plan: Plan, *, company: str = "", fiscal_year: int | None = None, compress: bool = True
) -> bytes:
    """The same document as ``plan_markdown``, as PDF bytes (core fonts, Letter)."""
    doc = PdfDoc("TEL bonus plan", compress=compress)
    for block in _blocks(plan, company, fiscal_year):
        if block.kind == "h1":
            doc.heading(block.text, 18)
        elif block.kind == "h2":
            doc.ln(2)
            doc.heading(block.text, 13)
        elif block.kind == "p":
            doc.para(block.text)
        elif block.kind == "ul":
            for item in block.items:
                doc.para("  -  " + item)
        else:
            doc.set_font("Helvetica", "", 9)
            with doc.table(first_row_as_headings=True, line_height=5.5, text_align="LEFT") as table:
                for row in block.rows:
                    cells = table.row()
                    for c in row:
                        cells.cell(to_latin1(c))
            doc.ln(2)
    return doc.to_bytes()
