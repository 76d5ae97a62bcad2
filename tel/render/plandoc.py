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
from tel.core.policy import VARIANTS, PlanField, value_of
from tel.engine.quarter import QuarterResult, compute_quarter
from tel.render.statement import (
    PdfDoc,
    formula_words,
    long_date,
    percent_text,
    quarter_days,
    to_latin1,
    weight_value,
)
from tel.rules.eligibility import service_reached
from tel.rules.threshold import min_gp
from tel.rules.weights import WEIGHT_UNITS

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
    exactly at the minimum, 90+ day A/R at half the limit, and 10 illustrative people: the
    tenth is a new hire, a month short of eligibility, or, when the plan prorates, one who
    completes the months of service in the middle of the quarter (so only part of it counts).
    Returns the inputs and ``compute_quarter``'s result.
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
    _, second, last = q.months(plan.fiscal_year_start)
    people = []
    for i, (salary, tenure) in enumerate(zip(_SALARIES, _TENURES, strict=False)):
        # Starting on the 1st of the month `tenure` months before the quarter's last month
        # gives exactly `tenure` completed months at the quarter's last day.
        y, m = add_months(last, -tenure)
        people.append(_example_person(i, salary, date(y, m, 1)))
    if plan.partial == "prorate":
        # the months of service are completed on the 15th of the quarter's second month
        y, m = add_months(second, -plan.min_months)
        start = date(y, m, 15)
    else:  # a month short at the quarter's last day
        y, m = add_months(last, -(plan.min_months - 1 if plan.min_months >= 1 else 6))
        start = date(y, m, 1)
    people.append(_example_person(len(people), _SALARIES[-1], start))
    result = compute_quarter(plan, people, months, q)
    return q, months, people, result


def _example_person(i: int, salary: int, start: date) -> Person:
    return Person(name=f"Person {chr(ord('A') + i)}", salary=Decimal(salary), start_date=start)


def _plain(value: Decimal) -> str:
    """A decimal without needless zeros: 7.6500 -> ``7.65``, 10 -> ``10``."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _pool_changes(plan: Plan) -> bool:
    """Whether something comes between the staff pool and the pools shared as checks."""
    return plan.reserve.holdback_pct > 0 or plan.payroll_tax.employer_pct > 0


def _field_value(plan: Plan, field: PlanField) -> str:
    """The plan's value of a field of :data:`FIELDS`, in plain words."""
    value = value_of(plan, field)
    if field.kind == "choice":
        return dict(field.choices).get(str(value), str(value))
    if field.kind == "quarter":
        return str(value) or "none"
    if field.kind == "whole":
        return f"{value} (what the plan would pay in {plan.shadow.words()}: not paid; it pays " \
            f"from {plan.shadow.first_live})" if field.name == "shadow_quarters" and \
            plan.shadow.on else str(value)
    assert isinstance(value, Decimal)
    if field.kind == "money":
        return format_money(to_cents(value))
    if field.kind == "decimal":
        return f"{_plain(value)} years"
    return percent_text(value)


def _short(plan: Plan, field: PlanField) -> str:
    """A default choice in a few words: the part of its label before the colon; 0 as none."""
    value = value_of(plan, field)
    if field.kind == "choice":
        return _field_value(plan, field).split(":")[0]
    if value == 0 or value == "":
        return "no cap" if field.name == "max_pct_of_salary" else "none"
    return _field_value(plan, field)


def _in_effect(plan: Plan, field: PlanField) -> bool:
    """Whether a variant field matters under this plan (the years cap only with its formula,
    the first shadow quarter only with shadow quarters)."""
    if field.name == "shadow_start":
        return plan.shadow.quarters > 0
    return field.name != "cap_years" or plan.merit.formula == "salary_x_capped_years"


def _choices_blocks(plan: Plan, number: int) -> list[_Block]:
    """Every design choice of spec part two (:data:`VARIANTS`): those this plan changes from
    the source's plan in plain words (what the setting does, the choice made and why a
    company makes it), the others briefly."""
    source = Plan()
    fields = [f for f in VARIANTS if _in_effect(plan, f)]
    chosen = [f for f in fields
              if value_of(plan, f) != value_of(source, f)
              or (f.name == "cap_years" and plan.merit.formula == "salary_x_capped_years")]
    kept = [f for f in fields if f not in chosen]
    out = [_h2(f"{number}. This plan's design choices")]
    if chosen:
        out.append(_p("Where this plan differs from the source's plan:"))
        out.append(_ul(*(
            f"{f.label}: {_field_value(plan, f)}. {f.what}" + (f" Why: {f.why}" if f.why else "")
            for f in chosen)))
    if kept:
        out.append(_p(
            ("Everything else is as in the source's plan: " if chosen
             else "Every design choice is as in the source's plan: ")
            + "; ".join(f"{f.label.lower()}: {_short(plan, f).lower()}" for f in kept) + "."))
    return out


def _netting_text(plan: Plan, threshold: Cents) -> str:
    quarter_text = (
        "TEL profit for a quarter = the quarter's total GP minus Min GP for each of its "
        f"months (3 x {format_money(threshold)} = {format_money(3 * threshold)} for a full "
        "quarter), and never less than zero. The months are taken together, so a weak "
        "month is made up by strong ones in the same quarter.")
    mode = plan.netting.mode
    if mode == "monthly_floor":
        text = ("TEL profit for a quarter = the sum, over its months, of what each month's GP "
                f"makes above Min GP ({format_money(threshold)}). A month below Min GP counts "
                "as zero: it costs nothing, and it is not made up by the others.")
    elif mode == "carry_forward":
        text = (quarter_text + " A quarter that falls short of Min GP carries its shortfall "
                "to the next quarters of the same fiscal year, which make it up before they "
                "earn any TEL profit; each fiscal year starts from zero.")
    else:
        text = quarter_text
    return (text + " Before a quarter is over, the figures are quarter to date, counting "
            "only the months booked so far.")


def _sharing_items(plan: Plan) -> list[str]:
    house, team, merit = (percent_text(x) for x in (plan.house_pct, plan.team_pct, plan.merit_pct))
    staff_pct = 100 - plan.house_pct
    items = [
        f"The house keeps {house} of TEL profit"
        + (f", and at least {format_money(to_cents(plan.min_house))} a quarter (never more "
           "than the TEL profit)" if plan.min_house else "")
        + ", for marketing, sales and growth.",
        "The rest is the staff pool." if plan.min_house
        else f"The other {percent_text(staff_pct)} is the staff pool.",
    ]
    if plan.reserve.holdback_pct:
        items.append(f"{percent_text(plan.reserve.holdback_pct)} of each staff pool is held "
                     "back in a reserve and paid with the fiscal year's fourth quarter, once "
                     "its three months are booked.")
    tax = plan.payroll_tax.employer_pct
    if tax:
        items.append(f"The employer's payroll tax on the checks ({percent_text(tax)}) is paid "
                     f"out of the pool, not on top of it: of every ${_plain(100 + tax)} "
                     f"available, $100 goes to checks and ${_plain(tax)} to the tax.")
    of = "the pool paid out" if _pool_changes(plan) else "the staff pool"
    how = ("shared by everyone eligible in proportion to the days they count"
           if plan.partial == "prorate" else "paid in equal checks to everyone eligible")
    items.append(f"Team pool: {team} of {of}, {how}.")
    items.append(
        f"Merit pool: the other {merit} of {of}, paid in proportion to each eligible person's "
        f"merit weight = {formula_words(plan.merit, prorate=plan.partial == 'prorate')}. "
        "Performance is 1 unless the company sets another multiplier.")
    cap = plan.caps.max_pct_of_salary
    if cap:
        items.append(f"No quarter's check is more than {percent_text(cap)} of the person's "
                     "annual salary; what is over goes back to the house (taken from the "
                     "merit check first, then the team check).")
    return items


def _blocks(plan: Plan, company: str, fiscal_year: int | None) -> list[_Block]:
    fys = plan.fiscal_year_start
    year = fiscal_year if fiscal_year is not None else _this_fiscal_year(plan)
    threshold = min_gp(plan)
    team, merit = (percent_text(x) for x in (plan.team_pct, plan.merit_pct))
    who = company.strip() or "the company"
    title = f"{company.strip()} TEL bonus plan" if company.strip() else "TEL bonus plan"
    weighted = ("salary and years of service (effort and loyalty)"
                if plan.merit == Plan().merit
                else f"merit weight ({formula_words(plan.merit)})")
    prorate = plan.partial == "prorate"
    failed = ("If either gate fails, nothing is paid for that quarter. The pools are still "
              "worked out and shown, so everyone can see what was at stake.")
    if plan.gate_failure.policy == "defer":
        failed += (" The quarter's staff pool is not lost: it is held and paid with the next "
                   "quarter whose gates pass.")
    else:
        failed += " The quarter's staff pool goes back to the house."
    if prorate:
        eligible = [
            _p("Owners (paid through owner retention), contractors and part-timers do not "
               "share the staff pool. For everyone else, new starters and leavers are "
               f"prorated: a day of the quarter counts once the person has {plan.min_months} "
               "completed months of service, up to their leaving date. Anyone with at least "
               "one day counted is eligible; the team pool is shared in proportion to the days "
               "counted, and the merit weight counts on each of them."),
        ]
    else:
        eligible = [
            _p("A person shares the staff pool when all of these hold:"),
            _ul(
                "not an owner (owners are paid through owner retention);",
                "a W-2 employee (contractors are not included);",
                "full time;",
                f"at least {plan.min_months} completed months of service on the quarter's last "
                "day;",
                "still employed on the pay date.",
            ),
        ]
    b: list[_Block] = [
        _h1(title),
        _p(
            "TEL stands for Team, Effort and Loyalty. When a quarter's gross profit (GP) is "
            f"more than {who} needs to cover its overhead, pay its debts and pay its owners, "
            f"part of the excess is shared with the staff: {team} of the staff's share in "
            f"{'checks by days worked' if prorate else 'equal checks'} (team), {merit} in "
            f"proportion to {weighted}. This document is generated from the plan's settings, "
            "so it always says what the calculator does."
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
        _p(_netting_text(plan, threshold)),
        _h2("2. How TEL profit is shared"),
        _ul(*_sharing_items(plan)),
        _h2("3. The gates: no bonus on money the company does not have"),
        _p("Checked at the end of the quarter's last month. Both must pass:"),
        _ul(
            f"Cash on hand is at least {_money(plan.min_cash)}.",
            f"Receivables more than 90 days old are at most {percent_text(plan.max_ar90_pct)} "
            "of all receivables (no receivables at all passes).",
        ),
        _p(failed),
        _h2("4. Who is eligible"),
        *eligible,
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
    b += _choices_blocks(plan, 6)
    b += _example_blocks(plan, year, 7)
    b += [
        _h2("8. Exact to the cent"),
        _p(
            "All money is worked out in whole cents. Percentages are rounded half up. Each pool "
            "is shared by the largest-remainder method: everyone gets the whole cents of their "
            "exact share, and the few cents left over go one each to the largest remainders. "
            "So every pool is paid out exactly, and equal checks never differ by more than one "
            "cent."
        ),
    ]
    return b


def _example_blocks(plan: Plan, year: int, number: int) -> list[_Block]:
    q, months, people, r = example_quarter(plan, year)
    gp = to_cents(months[0].gp)
    last_month = months[-1]
    gates = r.gates
    prorate = plan.partial == "prorate"
    capping = plan.caps.max_pct_of_salary > 0
    unit = WEIGHT_UNITS[plan.merit.formula]
    rows: list[tuple[str, ...]] = [
        ("Person", "Salary", "Months", *(("Days",) if prorate else ()), "Eligible",
         f"Merit weight ({unit}{' a day' if prorate else ''})", "Team", "Merit",
         *(("Capped",) if capping else ()), "Total")
    ]
    days = quarter_days(r.quarter_end)
    for person, p in zip(people, r.payouts, strict=True):
        rows.append(
            (
                person.name,
                _money(person.salary),
                str(p.months),
                *((f"{p.days} of {days}",) if prorate else ()),
                "yes" if p.eligible else f"no ({p.reason})",
                f"{weight_value(p, plan.merit):,f}" if p.eligible else "",
                format_money(p.team),
                format_money(p.merit),
                *((format_money(p.capped),) if capping else ()),
                format_money(p.total),
            )
        )
    rows.append(
        (
            "Total",
            "",
            "",
            *(("",) if prorate else ()),
            f"{r.eligible_count} eligible",
            "",
            format_money(sum(p.team for p in r.payouts)),
            format_money(sum(p.merit for p in r.payouts)),
            *((format_money(r.capped_to_house),) if capping else ()),
            format_money(r.paid),
        )
    )
    house = f"House ({percent_text(plan.house_pct)}" + (
        f", at least {format_money(to_cents(plan.min_house))})" if plan.min_house else ")")
    of = " of what is paid out" if _pool_changes(plan) else ""
    steps: list[tuple[str, str]] = [
        ("Step", "Amount"),
        ("GP of the quarter", format_money(r.gp_total)),
        ("Min GP x 3", format_money(3 * r.min_gp)),
        ("TEL profit", format_money(r.tel_profit)),
        (house, format_money(r.house)),
        ("Staff pool", format_money(r.staff_pool)),
    ]
    if plan.reserve.holdback_pct:
        steps.append((f"Held back for the reserve ({percent_text(plan.reserve.holdback_pct)}, "
                      "paid with the fourth quarter)", format_money(r.held_back)))
    if plan.payroll_tax.employer_pct:
        steps.append((f"Employer payroll tax ({percent_text(plan.payroll_tax.employer_pct)} "
                      "of the checks)", format_money(r.employer_tax)))
    if _pool_changes(plan):
        steps.append(("Paid out in checks", format_money(r.paid_pool)))
    steps += [
        (f"Team pool ({percent_text(plan.team_pct)}{of})", format_money(r.team_pool)),
        (f"Merit pool ({percent_text(plan.merit_pct)}{of})", format_money(r.merit_pool)),
    ]
    if capping:
        steps.append((f"Over the cap ({percent_text(plan.caps.max_pct_of_salary)} of salary), "
                      "back to the house", format_money(r.capped_to_house)))
    steps.append(("Gates", "passed" if gates.passed else "failed: nothing is paid"))
    if prorate:
        reached = service_reached(people[-1].start_date, plan.min_months)
        joined = (f"The staff are ten illustrative people; the last one completes "
                  f"{plan.min_months} months of service on {long_date(reached)}, so only the "
                  "quarter's days from then on count.")
    else:
        joined = "The staff are ten illustrative people; the last one joined recently."
    return [
        _h2(f"{number}. Worked example ({q})"),
        _p(
            "Made-up figures, computed by the same code that pays real quarters. Each month of "
            f"{q} books {format_money(gp)} of GP ("
            + ("Min GP + 10%" if min_gp(plan) else "an illustrative amount")
            + f"). Cash at the end is {_money(last_month.cash_on_hand)}, exactly the minimum; "
            f"receivables are {_money(last_month.ar_total or Decimal(0))}, of which "
            f"{_money(last_month.ar_90_plus or Decimal(0))} are over 90 days old. {joined}"
        ),
        _table(steps),
        _p(f"{gates.cash_text()}. {gates.ar_text()}."),
        _table(rows),
        _p(_adds_up(r)),
    ]


def _adds_up(r: QuarterResult) -> str:
    """Where the staff pool went, in the example's figures."""
    total = f"The checks add up to {format_money(r.paid)}"
    if r.paid == r.staff_pool:
        return total + ", the whole staff pool."
    parts = [(r.held_back, "held back for the reserve"), (r.employer_tax, "employer payroll tax"),
             (r.capped_to_house, "over the cap, back to the house"),
             (r.undistributed, "not paid: nobody was eligible")]
    rest = [f"{format_money(c)} {words}" for c, words in parts if c]
    if not rest or not r.gates.passed:
        return total + f"; the staff pool was {format_money(r.staff_pool)}."
    return (total + f"; with {', '.join(rest)}, that is the staff pool of "
            f"{format_money(r.staff_pool)}.")


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
