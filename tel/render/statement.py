"""One-page PDF statements: each person's check explained in plain words.

A statement shows the company's quarter as every employee may see it (the public, rounded
figures of :mod:`tel.analysis.privacy`) and that one person's exact figures. It never names or
describes anyone else: no other name, no other salary; the only aggregates are the public pools
and the number of eligible people. The plan's variants (spec part two) are explained in words
and percentages: what was held back, taxed, deferred or released is never printed as an exact
company amount, since the exact pools would give colleagues' salaries away (docs/privacy.md).

PDFs use fpdf2's core fonts (no font files to ship), which speak latin-1 only: ``to_latin1``
keeps accents that latin-1 has (é, ñ, ü), folds others to their base letter (ł -> l,
ő -> o), maps typographic quotes and dashes, and turns anything else into ``?``.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from io import BytesIO

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from tel.analysis.privacy import public_quarter
from tel.analysis.team import tel_profit_rule
from tel.core.models import Plan
from tel.core.money import Cents, format_money, to_cents
from tel.core.periods import Quarter, add_months
from tel.core.policy import BY_NAME, SHADOW_WORDS, Merit, value_of
from tel.engine.quarter import Payout, QuarterResult
from tel.io.recognition import Thanks
from tel.io.store import Snapshot
from tel.rules.pools import pct_of, pct_units
from tel.rules.weights import (
    LOG_SCALE,
    PERF_SCALE,
    SOURCE_MERIT,
    WEIGHT_UNITS,
    log_years,
    natural_weight,
)

__all__ = [
    "PdfDoc",
    "cap_of",
    "check_notes",
    "days_text",
    "explain_reason",
    "formula_words",
    "long_date",
    "percent_text",
    "performance_used",
    "quarter_days",
    "statement_filename",
    "statement_pdf",
    "statements_zip",
    "statements_zip_filename",
    "to_latin1",
    "weight_text",
    "weight_value",
]

_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

# Letters latin-1 lacks that do not decompose to a base letter plus accents.
_FOLD = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201c": '"', "\u201d": '"',
        "\u201e": '"', "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2026": "...",
        "\u2022": "*", "\u20ac": "EUR", "\u0141": "L", "\u0142": "l", "\u0110": "D",
        "\u0111": "d", "\u0131": "i", "\u0152": "OE", "\u0153": "oe", "\u2122": "TM",
        "\u00a0": " ", "\u200b": "",
    }
)  # fmt: skip


def to_latin1(text: str) -> str:
    """Text that fpdf2's core fonts can print, as close to the original as latin-1 allows.

    >>> to_latin1("Renée Hébert"), to_latin1("Łukasz Wałęsa"), to_latin1("Zoë – “ok”")
    ('Renée Hébert', 'Lukasz Walesa', 'Zoë - "ok"')
    >>> to_latin1("王伟")
    '??'
    """
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", text.translate(_FOLD)):
        if ord(ch) < 256:
            out.append(ch if ch.isprintable() or ch in "\n" else " ")
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        out.append(base if base and all(ord(c) < 256 for c in base) else "?")
    return "".join(out)


def long_date(d: date) -> str:
    """``15 November 2026`` (English month names, whatever the locale).

    >>> long_date(date(2026, 11, 15))
    '15 November 2026'
    """
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def percent_text(value: Decimal | Fraction, places: int = 2) -> str:
    """A percentage without needless zeros: 25 -> ``25%``, 12.5 -> ``12.5%``.

    >>> percent_text(Decimal("25")), percent_text(Fraction(1, 3) * 100), percent_text(Decimal("0"))
    ('25%', '33.33%', '0%')
    """
    d = (
        Decimal(value.numerator) / Decimal(value.denominator)
        if isinstance(value, Fraction)
        else value
    )
    q = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{q:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


class PdfDoc(FPDF):
    """A plain Letter page with core fonts; every string passes through ``to_latin1``."""

    def __init__(self, title: str, *, compress: bool = True) -> None:
        super().__init__(format="Letter", unit="mm")
        self.set_compression(compress)
        self.set_margins(20, 18, 20)
        self.set_auto_page_break(True, margin=16)
        self.set_title(to_latin1(title))
        self.set_creator("TEL bonus planner")
        self.add_page()

    def text_block(self, text: str, h: float, *, x: float | None = None) -> None:
        """Left-aligned wrapped text from ``x`` (default: the left margin) to the right margin.

        Wraps word by word with one width measurement per word, then prints each line with
        ``cell``: fpdf2's ``multi_cell`` re-measures the line for every character, which
        made a thousand statements take over ten seconds."""
        left = self.l_margin if x is None else x
        width = self.w - self.r_margin - left
        space = self.get_string_width(" ")
        lines: list[str] = []
        for part in to_latin1(text).split("\n"):
            line, used = "", 0.0
            for word in part.split(" "):
                ww = self.get_string_width(word)
                if ww > width:  # one unbreakable word wider than the line: let fpdf2 split it
                    self.set_x(left)
                    self.multi_cell(width, h, to_latin1(text), align="L", new_x=XPos.LMARGIN)
                    return
                if line and used + space + ww > width:
                    lines.append(line)
                    line, used = word, ww
                else:
                    used = used + space + ww if line else ww
                    line = f"{line} {word}" if line else word
            lines.append(line)
        for line in lines:
            self.set_x(left)
            self.cell(width, h, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def heading(self, text: str, size: float = 16) -> None:
        if self.get_y() > self.h - self.b_margin - 30:  # never strand a heading at the foot
            self.add_page()
        self.set_font("Helvetica", "B", size)
        self.text_block(text, size * 0.5)
        self.ln(1.5)

    def para(self, text: str, size: float = 10, style: str = "") -> None:
        self.set_font("Helvetica", style, size)
        self.text_block(text, size * 0.5)
        self.ln(1)

    def row(self, label: str, value: str, *, bold: bool = False, label_w: float = 70,
            h: float = 6) -> None:
        self.set_font("Helvetica", "B" if bold else "", 10)
        self.cell(label_w, h, to_latin1(label))
        self.text_block(value, h, x=self.l_margin + label_w)

    def rule(self) -> None:
        y = self.get_y() + 1.5
        self.line(self.l_margin, y, self.w - self.r_margin, y)
        self.set_y(y + 2.5)

    def banner(self, text: str) -> None:
        self.set_fill_color(255, 199, 206)
        self.set_text_color(156, 0, 6)
        self.set_font("Helvetica", "B", 11)
        self.multi_cell(0, 7, to_latin1(text), fill=True, align="C", new_x=XPos.LMARGIN)
        self.set_text_color(0, 0, 0)
        self.ln(2)

    def to_bytes(self) -> bytes:
        return bytes(self.output())


def _status(result: QuarterResult, snapshot: Snapshot | None) -> str | None:
    if snapshot is not None and snapshot.result() != result:
        raise ValueError("these figures are not the approved ones for this snapshot")
    if result.shadow:  # never approved: the plan runs this quarter in shadow
        return f"SHADOW - {SHADOW_WORDS.split(': ', 1)[1]}: a quarter the plan runs in shadow"
    if snapshot is None:
        return ("DRAFT - an estimate from the books, not approved yet: payroll pays the "
                "approved figures")
    if not snapshot.current:
        return "SUPERSEDED - a later approval replaced these figures"
    return None


_REASONS = {
    "owner": "owners share through owner retention, not this bonus",
    "contractor": "the bonus is for W-2 employees",
    "part-time": "the bonus is for full-time staff",
    "left before pay date": "your employment ends before the pay date",
    "left before the quarter": "your employment ended before this quarter began",
    "starts after quarter end": "you started after this quarter ended",
}
_MONTHS_RE = re.compile(r"^(\d+) of (\d+) months$")
_DAYS_RE = re.compile(r"^(\d+) of (\d+) days$")


def explain_reason(reason: str) -> list[str]:
    """An eligibility reason (``"7 of 9 months"``, ``"owner, part-time"``) in plain words.

    >>> explain_reason("7 of 9 months")
    ["7 completed months of service at the quarter's end; the plan asks for 9"]
    >>> explain_reason("62 of 92 days")
    ["62 of the quarter's 92 days counted"]
    """
    lines = []
    for part in (p.strip() for p in reason.split(",") if p.strip()):
        m = _MONTHS_RE.match(part)
        d = _DAYS_RE.match(part)
        if m:
            lines.append(
                f"{m.group(1)} completed months of service at the quarter's end; "
                f"the plan asks for {m.group(2)}"
            )
        elif d:
            lines.append(f"{d.group(1)} of the quarter's {d.group(2)} days counted")
        else:
            lines.append(_REASONS.get(part, part))
    return lines


def _find(result: QuarterResult, name: str) -> Payout:
    for p in result.payouts:
        if p.name == name:
            return p
    raise ValueError(f"nobody named {name!r} in this quarter's roster")


def statement_pdf(
    result: QuarterResult,
    name: str,
    *,
    snapshot: Snapshot | None = None,
    plan: Plan | None = None,
    company: str = "",
    compress: bool = True,
    thanks: str = "",
) -> bytes:
    """One page explaining ``name``'s check for the quarter, as PDF bytes.

    ``plan`` (taken from the snapshot when one is given) adds the percentages and explains
    the plan's design choices as they shaped this check (:func:`check_notes`); without it the
    source's plan is assumed. Without a current snapshot the page says DRAFT.
    ``compress=False`` leaves the text readable in the file (tests look for figures in it).
    ``thanks`` is this person's own note of thanks from the approval (and only theirs).
    """
    me = _find(result, name)
    status = _status(result, snapshot)
    if snapshot is not None:
        plan = snapshot.scenario().plan
    return _render(result, me, status, snapshot, plan, company, compress, thanks)


def _render(
    result: QuarterResult,
    me: Payout,
    status: str | None,
    snapshot: Snapshot | None,
    plan: Plan | None,
    company: str,
    compress: bool,
    thanks: str = "",
) -> bytes:
    name = me.name
    rules = plan if plan is not None else Plan()  # without a plan: the source's plan
    prorate = rules.partial == "prorate"
    # the plan's design choices, explained only when the plan they were paid under is known
    notes = check_notes(result, me, plan) if plan is not None else []
    doc = PdfDoc(f"TEL bonus {result.quarter} - {name}", compress=compress)
    if status:
        doc.banner(status)
    who = f"{company}: " if company else ""
    doc.heading(f"{who}Your TEL bonus for {result.quarter}")
    paid = long_date(result.pay_date)
    moved = plan.pay_date_note(Quarter.parse(result.quarter), result.pay_date) if plan else ""
    if moved:  # the pay day fell on a weekend
        paid += f" ({moved})"
    doc.para(f"Prepared for {name}. Paid on {paid}.", 11, "B")
    if snapshot is not None:
        doc.para(
            f"Approved by {snapshot.approved_by} on {snapshot.approved_at[:10]} "
            f"(approval {snapshot.id}).",
            9,
        )
    if thanks:  # this person's own note, as typed (plain text, folded to latin-1)
        doc.rule()
        doc.heading(f"A note from {snapshot.approved_by}" if snapshot else "A note", 12)
        doc.para(thanks, 10, "I")
    doc.rule()

    def row(label: str, value: str, *, bold: bool = False) -> None:
        # a plan whose choices need explaining gets tighter rows, so it still fits one page
        doc.row(label, value, bold=bold, h=5 if notes else 6)

    doc.heading("How the company did", 12)
    # The company's figures as every employee sees them (tel.analysis.privacy): rounded, so that no
    # colleague's salary can be worked out from this page and one's own exact check.
    pub = public_quarter(result, plan) if plan is not None else None
    months = ", ".join(result.months_booked)
    n = len(result.months_booked)
    if not result.complete:
        months += f" (quarter to date: {n} of 3 months booked)"
    row("Months", months)
    if pub is None or pub.tel_profit == 0:
        gp, profit, house, staff, team, merit = (
            result.gp_total, result.tel_profit, result.house, result.staff_pool,
            result.team_pool, result.merit_pool)
        about = ""
    else:
        gp, profit, house, staff, team, merit = (
            pub.gp, pub.tel_profit, pub.house, pub.staff_pool, pub.team_pool, pub.merit_pool)
        about = "about "
    row("Gross profit (GP)", about + format_money(gp))
    row(
        "Needed first (Min GP)",
        f"{format_money(result.min_gp)} a month x {n} = {format_money(result.min_gp * n)}",
    )
    row("TEL profit (the excess)", about + format_money(profit), bold=True)
    pct = {
        "house": f" ({percent_text(plan.house_pct)} of TEL profit)" if plan else "",
        "team": f" ({percent_text(plan.team_pct)} of the staff pool)" if plan else "",
        "merit": f" ({percent_text(plan.merit_pct)} of the staff pool)" if plan else "",
    }
    row("House (kept by the company)", about + format_money(house) + pct["house"])
    row("Staff pool (shared by staff)", about + format_money(staff))
    people = f"{result.eligible_count} eligible " + (
        "person" if result.eligible_count == 1 else "people")
    shared = "by days counted among" if prorate else "equally by"
    if _pool_changed(result):
        # The pools actually shared follow from exact company figures (what was held back,
        # taxed, deferred or released): in words and percentages only, never as amounts.
        row(
            "Team pool (by days counted)" if prorate else "Team pool (equal checks)",
            f"{percent_text(rules.team_pct)} of what is paid out this quarter, shared "
            f"{shared} {people}",
        )
        row("Merit pool (by merit weight)",
                f"{percent_text(rules.merit_pct)} of what is paid out this quarter")
    else:
        row(
            "Team pool (by days counted)" if prorate else "Team pool (equal checks)",
            f"{about}{format_money(team)}{pct['team']}, shared {shared} {people}",
        )
        row("Merit pool (by merit weight)", about + format_money(merit) + pct["merit"])
    if about:
        doc.para(
            "Company figures are rounded (to "
            f"{format_money(pub.money_step if pub else 0, cents_shown=False)} of TEL profit) "
            "so that nobody's pay can be worked out from them; your own check below is "
            "exact.", 8, "I")
    gates = result.gates
    # Staff wording: a statement goes to an employee, who sees no company balances.
    row("Cash check", gates.staff_cash_text())
    row("Receivables check", gates.staff_ar_text())
    if not gates.passed:
        doc.para(
            "A check failed, so no bonus is paid this quarter. The pools above show what was "
            "at stake; they are paid only when the company has the cash and its receivables "
            "are healthy.",
            10,
            "B",
        )
    doc.rule()

    doc.heading("You", 12)
    years = Fraction(me.months, 12)
    at = f"at {long_date(result.quarter_end)}" + (" (or your leaving date)" if prorate else "")
    row("Months of service", f"{me.months} {at} ({_decimal(years, 2)} years)")
    if me.eligible:
        row("Eligible", "yes")
    else:
        row("Eligible", "no: " + "; ".join(explain_reason(me.reason)))
    if me.eligible:
        if prorate:
            row("Days counted", days_text(me, result.quarter_end))
        row("Your merit weight", weight_text(me, rules.merit))
        group_w = pub.total_weight if pub is not None else result.total_weight
        share = Fraction(me.weight, group_w) * 100 if group_w else None
        row(
            "Your share of the merit pool",
            f"about {percent_text(share, 1)}" if share is not None and pub is not None
            else percent_text(share) if share is not None else "equal share (no weights)",
        )
    row("Your total", format_money(me.total), bold=True)
    doc.rule()

    if notes:
        doc.heading("Under this plan", 12)
        for note in notes:
            doc.para("-  " + note, 8)
        doc.rule()

    team_words = ("shared in proportion to the days each person counts" if prorate
                  else "split into equal checks for everyone eligible")
    doc.para(
        f"How it works: TEL profit is {tel_profit_rule(rules, result.carry_in)}. The house "
        "keeps its share and the rest is the staff pool. The team pool is "
        f"{team_words}; the merit pool is split in proportion to merit weight "
        f"({formula_words(rules.merit, prorate=prorate)}). Amounts are exact to the "
        "cent: leftover cents go one each to the largest remainders, so equal checks may "
        "differ by one cent.",
        9,
    )
    doc.para("This statement shows only your own figures.", 8, "I")
    return doc.to_bytes()


def _pool_changed(result: QuarterResult) -> bool:
    """Whether the pools shared this quarter differ from the staff pool's split: something
    was held back, taxed, deferred in or released (the gates passed)."""
    return result.gates.passed and any(
        (result.held_back, result.employer_tax, result.deferred_in, result.released))


def _decimal(value: Fraction, places: int) -> str:
    d = Decimal(value.numerator) / Decimal(value.denominator)
    return f"{d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):f}"


def _plain(value: Decimal) -> str:
    """A decimal without needless zeros: 1.2000 -> ``1.2``, 100 -> ``100``."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def performance_used(p: Payout, merit: Merit = SOURCE_MERIT) -> Decimal:
    """The performance multiplier used for ``p`` this quarter (the roster's, or the scores
    file's for that quarter), as the result recorded it.

    A result approved before payouts carried their multiplier reads back 1 for everyone; it
    was paid with the source's formula (the only one then), whose weight is exactly salary
    cents x months x the multiplier in ten-thousandths, so the multiplier is recovered from it.
    """
    base = p.salary * p.months * PERF_SCALE
    if (p.performance == 1 and p.days == 0 and merit.formula == "salary_x_years"
            and base > 0 and p.weight and p.weight != base
            and p.weight % (p.salary * p.months) == 0):
        return Decimal(p.weight // (p.salary * p.months)) / PERF_SCALE
    return p.performance


def formula_words(merit: Merit = SOURCE_MERIT, *, prorate: bool = False) -> str:
    """The merit weight formula in words (spec section 11).

    >>> formula_words()
    'salary x years of service x performance'
    >>> formula_words(Merit(formula="salary_x_capped_years", cap_years=Decimal(8)), prorate=True)
    'salary x min(years of service, 8) x performance, for each day counted'
    """
    core, note = {
        "salary_x_years": ("salary x years of service x performance", ""),
        "salary_x_log_years": ("salary x ln(1 + years of service) x performance",
                               "the early years count most"),
        "salary_x_capped_years": (f"salary x min(years of service, {_plain(merit.cap_years)}) "
                                  "x performance", ""),
        "salary": ("salary x performance", "years of service do not count"),
        "years": ("years of service x performance", "salary does not count"),
    }[merit.formula]
    return core + (", for each day counted" if prorate else "") + (f"; {note}" if note else "")


def weight_text(p: Payout, merit: Merit = SOURCE_MERIT) -> str:
    """``p``'s merit weight under the plan's formula, from the figures it was paid with:

    >>> from tel.engine.quarter import Payout
    >>> p = Payout(name="A", department="", salary=9600000, eligible=True, reason="",
    ...            months=30, weight=9600000 * 30 * 12000, team=0, merit=0,
    ...            performance=Decimal("1.2"))
    >>> weight_text(p)
    '$96,000 x 2.50 years x performance 1.2 = 288,000 dollar-years'

    Under proration the weight counts on each day counted (``p.days``) and is shown per day.
    """
    salary = format_money(p.salary, cents_shown=bool(p.salary % 100))
    months = max(p.months, 0)
    years = _decimal(Fraction(months, 12), 2)
    perf = performance_used(p, merit)
    formula = merit.formula
    after = ""
    if formula == "salary_x_years":
        parts = f"{salary} x {years} years"
    elif formula == "salary_x_log_years":
        ln = _decimal(Fraction(log_years(months), LOG_SCALE), 4)
        parts = f"{salary} x ln(1 + {years} years) = {salary} x {ln}"
    elif formula == "salary_x_capped_years":
        cap = merit.cap_years
        if months > cap * 12:
            parts = f"{salary} x {_plain(cap)} years"
            after = f" (your {years} years of service count as {_plain(cap)}, the plan's cap)"
        else:
            parts = f"{salary} x {years} years"
    elif formula == "salary":
        parts = salary
        after = " (salary only: years of service do not count)"
    else:
        parts = f"{years} years"
        after = " (years of service only: salary does not count)"
    if perf != 1:
        parts += f" x performance {_plain(perf)}"
    text = f"{parts} = {weight_value(p, merit):,f} {WEIGHT_UNITS[formula]}{after}"
    if p.days:
        text += f", counted on each of your {p.days} days"
    return text


def weight_value(p: Payout, merit: Merit = SOURCE_MERIT) -> Decimal:
    """``p``'s merit weight in the formula's own unit (:data:`WEIGHT_UNITS`), per counted day
    when prorated: whole units, or hundredths of a year for the years formula (display only).

    >>> p = Payout(name="A", department="", salary=9600000, eligible=True, reason="",
    ...            months=30, weight=9600000 * 30 * 10000 * 62, team=0, merit=0, days=62)
    >>> weight_value(p)
    Decimal('240000')
    """
    places = 2 if merit.formula == "years" else 0
    return Decimal(_decimal(natural_weight(p.weight, p.days, merit), places))


def quarter_days(quarter_end: date) -> int:
    """The number of days of the quarter ending on ``quarter_end`` (90 to 92).

    >>> quarter_days(date(2026, 9, 30)), quarter_days(date(2026, 3, 31))
    (92, 90)
    """
    first = date(*add_months((quarter_end.year, quarter_end.month), -2), 1)
    return (quarter_end - first).days + 1


def days_text(p: Payout, quarter_end: date) -> str:
    """``62 of 92 days``: the days counted for ``p`` under proration, of the quarter's days."""
    return f"{p.days} of {quarter_days(quarter_end)} days"


def cap_of(p: Payout, plan: Plan) -> Cents | None:
    """The most ``p``'s check may be in a quarter under the plan's cap (section 13), or None
    when the plan has no cap: ``round(salary x max_pct_of_salary / 100)``."""
    pct = plan.caps.max_pct_of_salary
    return pct_of(p.salary, pct_units(pct)) if pct > 0 else None


def _choice(name: str, plan: Plan) -> str:
    """The plain-word label of the plan's choice for a choice field of :data:`FIELDS`."""
    field = BY_NAME[name]
    value = str(value_of(plan, field))
    return dict(field.choices).get(value, value)


def _dollars(value: Decimal) -> str:
    return "$" + _plain(value)


def check_notes(result: QuarterResult, me: Payout, plan: Plan) -> list[str]:
    """How the plan's design choices (spec part two) shaped ``me``'s check, one plain sentence
    each, only for the choices that applied this quarter.

    The rules are given in words and percentages and ``me``'s own exact figures (their days,
    their cap); never an exact company amount beyond the public figures: what was held back,
    taxed, deferred or released would give the exact pools away (docs/privacy.md).
    """
    notes: list[str] = []
    passed = result.gates.passed
    if plan.netting.mode != "quarter":
        notes.append(f"How weak months count: {_choice('netting', plan)}.")
    if plan.min_house > 0:
        notes.append(f"The house keeps at least {format_money(to_cents(plan.min_house))} "
                     "of each quarter's TEL profit (never more than the TEL profit).")
    if not passed:
        if plan.gate_failure.policy == "defer":
            notes.append("A gate failed, and under this plan the quarter's staff pool is "
                         "deferred: it is held and paid with the next quarter whose gates pass.")
        else:
            notes.append("A gate failed, and under this plan the quarter's staff pool is "
                         "forfeit: it goes back to the house.")
    else:
        if result.deferred_in > 0:
            notes.append("Deferred pools paid now: staff pools held when earlier quarters' "
                         "gates failed are shared with this quarter's.")
        if result.held_back > 0:
            notes.append(f"Held back: {percent_text(plan.reserve.holdback_pct)} of this "
                         "quarter's staff pool goes to a reserve, paid with the fiscal year's "
                         "fourth quarter.")
        if result.released > 0:
            notes.append("Reserve released: what this fiscal year's quarters held back is paid "
                         "now, with its fourth quarter.")
        tax = plan.payroll_tax.employer_pct
        if tax > 0 and result.available > 0:
            notes.append(f"Employer payroll tax ({percent_text(tax)}) comes out of the pool: of "
                         f"every {_dollars(100 + tax)} available, $100 goes to checks and "
                         f"{_dollars(tax)} to the tax.")
    if plan.partial == "prorate" and me.eligible:
        notes.append(f"Prorated: {days_text(me, result.quarter_end)} count for you. A day "
                     f"counts once you have {plan.min_months} completed months of service, up "
                     "to any leaving date; the team pool is shared by days, and your merit "
                     "weight counts on each day.")
    cap = cap_of(me, plan)
    if cap is not None and me.eligible and passed:
        limit = percent_text(plan.caps.max_pct_of_salary)
        if me.capped:
            notes.append(f"Capped at {limit} of salary ({format_money(cap)} a quarter for you): "
                         f"{format_money(me.capped)} went back to the house.")
        else:
            notes.append(f"The plan caps a quarter's check at {limit} of salary "
                         f"({format_money(cap)} for you); yours is under it.")
    return notes


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", to_latin1(name)).encode("ascii", "ignore")
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_name.decode()).strip("-").lower()
    return slug[:60] or "person"


def _name_tag(snapshot: Snapshot | None, shadow: bool = False) -> str:
    if shadow:
        return "-SHADOW"
    if snapshot is None:
        return "-DRAFT"
    return "" if snapshot.current else "-SUPERSEDED"


def statement_filename(result: QuarterResult, name: str, snapshot: Snapshot | None = None) -> str:
    """``statement-2026-Q3-renee-hebert.pdf``; ``-DRAFT`` or ``-SUPERSEDED`` before the
    extension unless made from the approval in force; ``-SHADOW`` for a shadow quarter."""
    draft = _name_tag(snapshot, result.shadow)
    return f"statement-{result.quarter}-{_slug(name)}{draft}.pdf"


def statements_zip_filename(result: QuarterResult, snapshot: Snapshot | None = None) -> str:
    """``statements-2026-Q3.zip`` (or ``-DRAFT``/``-SUPERSEDED``/``-SHADOW`` before the
    extension)."""
    draft = _name_tag(snapshot, result.shadow)
    return f"statements-{result.quarter}{draft}.zip"


def statements_zip(
    result: QuarterResult,
    *,
    snapshot: Snapshot | None = None,
    plan: Plan | None = None,
    company: str = "",
    compress: bool = True,
    thanks: Thanks | None = None,
) -> bytes:
    """Every person's statement, one PDF each, in one zip (file names unique and ASCII);
    each with that person's own note of ``thanks``, if any."""
    status = _status(result, snapshot)  # checked and parsed once, not once per person
    if snapshot is not None:
        plan = snapshot.scenario().plan
    buf = BytesIO()
    used: set[str] = set()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in result.payouts:
            fname = statement_filename(result, p.name, snapshot)
            stem, k = fname[:-4], 2
            while fname in used:  # two names that fold to the same ASCII
                fname, k = f"{stem}-{k}.pdf", k + 1
            used.add(fname)
            note = thanks.for_person(p.name) if thanks is not None else ""
            zf.writestr(fname, _render(result, p, status, snapshot, plan, company, compress,
                                       note))
    return buf.getvalue()
