"""One-page PDF statements: each person's check explained in plain words.

A statement shows the company's quarter (TEL profit and pools, which every person may know)
and that one person's figures. It never names or describes anyone else: no other name, no
other salary; the only aggregates are the pools and the number of eligible people.

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
from tel.core.models import Plan
from tel.core.money import format_money
from tel.core.periods import Quarter
from tel.engine.quarter import Payout, QuarterResult
from tel.io.store import Snapshot
from tel.rules.weights import PERF_SCALE

__all__ = [
    "PdfDoc",
    "long_date",
    "percent_text",
    "statement_filename",
    "statement_pdf",
    "statements_zip",
    "statements_zip_filename",
    "to_latin1",
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

    def row(self, label: str, value: str, *, bold: bool = False, label_w: float = 70) -> None:
        self.set_font("Helvetica", "B" if bold else "", 10)
        self.cell(label_w, 6, to_latin1(label))
        self.text_block(value, 6, x=self.l_margin + label_w)

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
    "starts after quarter end": "you started after this quarter ended",
}
_MONTHS_RE = re.compile(r"^(\d+) of (\d+) months$")


def explain_reason(reason: str) -> list[str]:
    lines = []
    for part in (p.strip() for p in reason.split(",") if p.strip()):
        m = _MONTHS_RE.match(part)
        if m:
            lines.append(
                f"{m.group(1)} completed months of service at the quarter's end; "
                f"the plan asks for {m.group(2)}"
            )
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
) -> bytes:
    """One page explaining ``name``'s check for the quarter, as PDF bytes.

    ``plan`` adds the percentages (taken from the snapshot when one is given). Without a
    current snapshot the page says DRAFT. ``compress=False`` leaves the text readable in
    the file (tests look for figures in it).
    """
    me = _find(result, name)
    status = _status(result, snapshot)
    if snapshot is not None:
        plan = snapshot.scenario().plan
    return _render(result, me, status, snapshot, plan, company, compress)


def _render(
    result: QuarterResult,
    me: Payout,
    status: str | None,
    snapshot: Snapshot | None,
    plan: Plan | None,
    company: str,
    compress: bool,
) -> bytes:
    name = me.name
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
    doc.rule()

    doc.heading("How the company did", 12)
    # The company's figures as every employee sees them (tel.analysis.privacy): rounded, so that no
    # colleague's salary can be worked out from this page and one's own exact check.
    pub = public_quarter(result, plan) if plan is not None else None
    months = ", ".join(result.months_booked)
    n = len(result.months_booked)
    if not result.complete:
        months += f" (quarter to date: {n} of 3 months booked)"
    doc.row("Months", months)
    if pub is None or pub.tel_profit == 0:
        gp, profit, house, staff, team, merit = (
            result.gp_total, result.tel_profit, result.house, result.staff_pool,
            result.team_pool, result.merit_pool)
        about = ""
    else:
        gp, profit, house, staff, team, merit = (
            pub.gp, pub.tel_profit, pub.house, pub.staff_pool, pub.team_pool, pub.merit_pool)
        about = "about "
    doc.row("Gross profit (GP)", about + format_money(gp))
    doc.row(
        "Needed first (Min GP)",
        f"{format_money(result.min_gp)} a month x {n} = {format_money(result.min_gp * n)}",
    )
    doc.row("TEL profit (the excess)", about + format_money(profit), bold=True)
    pct = {
        "house": f" ({percent_text(plan.house_pct)} of TEL profit)" if plan else "",
        "team": f" ({percent_text(plan.team_pct)} of the staff pool)" if plan else "",
        "merit": f" ({percent_text(plan.merit_pct)} of the staff pool)" if plan else "",
    }
    doc.row("House (kept by the company)", about + format_money(house) + pct["house"])
    doc.row("Staff pool (shared by staff)", about + format_money(staff))
    doc.row(
        "Team pool (equal checks)",
        f"{about}{format_money(team)}{pct['team']}, shared equally by "
        f"{result.eligible_count} eligible {'person' if result.eligible_count == 1 else 'people'}",
    )
    doc.row("Merit pool (by merit weight)", about + format_money(merit) + pct["merit"])
    if about:
        doc.para(
            "Company figures are rounded (to "
            f"{format_money(pub.money_step if pub else 0, cents_shown=False)} of TEL profit) "
            "so that nobody's pay can be worked out from them; your own check below is "
            "exact.", 8, "I")
    gates = result.gates
    # Staff wording: a statement goes to an employee, who sees no company balances.
    doc.row("Cash check", gates.staff_cash_text())
    doc.row("Receivables check", gates.staff_ar_text())
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
    doc.row(
        "Months of service",
        f"{me.months} at {long_date(result.quarter_end)} ({_decimal(years, 2)} years)",
    )
    if me.eligible:
        doc.row("Eligible", "yes")
    else:
        doc.row("Eligible", "no: " + "; ".join(explain_reason(me.reason)))
    if me.eligible:
        doc.row("Your merit weight", weight_text(me))
        group_w = pub.total_weight if pub is not None else result.total_weight
        share = Fraction(me.weight, group_w) * 100 if group_w else None
        doc.row(
            "Your share of the merit pool",
            f"about {percent_text(share, 1)}" if share is not None and pub is not None
            else percent_text(share) if share is not None else "equal share (no weights)",
        )
    doc.row("Your total", format_money(me.total), bold=True)
    doc.rule()

    doc.para(
        "How it works: when the quarter's GP beats Min GP for its months, the excess is TEL "
        "profit. The house keeps its share and the rest is the staff pool. The team pool is "
        "split into equal checks for everyone eligible; the merit pool is split in proportion "
        "to merit weight (salary x years of service x performance). Amounts are exact to the "
        "cent: leftover cents go one each to the largest remainders, so equal checks may "
        "differ by one cent.",
        9,
    )
    doc.para("This statement shows only your own figures.", 8, "I")
    return doc.to_bytes()


def _decimal(value: Fraction, places: int) -> str:
    d = Decimal(value.numerator) / Decimal(value.denominator)
    return f"{d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):f}"


def weight_text(p: Payout) -> str:
    """salary x years x performance, recovered from the integer weight units."""
    salary = format_money(p.salary, cents_shown=bool(p.salary % 100))
    years = _decimal(Fraction(p.months, 12), 2)
    if p.months <= 0 or p.salary <= 0:
        return f"{salary} x {years} years = 0"
    perf = Fraction(p.weight, p.salary * p.months * PERF_SCALE)
    dollar_years = Fraction(p.weight, 100 * 12 * PERF_SCALE)
    text = f"{salary} x {years} years"
    if perf != 1:
        text += f" x performance {_decimal(perf, 4).rstrip('0').rstrip('.')}"
    whole = Decimal(_decimal(dollar_years, 0))
    return text + f" = {whole:,f}"


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", to_latin1(name)).encode("ascii", "ignore")
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_name.decode()).strip("-").lower()
    return slug[:60] or "person"


def _name_tag(snapshot: Snapshot | None) -> str:
    if snapshot is None:
        return "-DRAFT"
    return "" if snapshot.current else "-SUPERSEDED"


def statement_filename(result: QuarterResult, name: str, snapshot: Snapshot | None = None) -> str:
    """``statement-2026-Q3-renee-hebert.pdf``; ``-DRAFT`` or ``-SUPERSEDED`` before the
    extension unless made from the approval in force."""
    draft = _name_tag(snapshot)
    return f"statement-{result.quarter}-{_slug(name)}{draft}.pdf"


def statements_zip_filename(result: QuarterResult, snapshot: Snapshot | None = None) -> str:
    """``statements-2026-Q3.zip`` (or ``-DRAFT``/``-SUPERSEDED`` before the extension)."""
    draft = _name_tag(snapshot)
    return f"statements-{result.quarter}{draft}.zip"


def statements_zip(
    result: QuarterResult,
    *,
    snapshot: Snapshot | None = None,
    plan: Plan | None = None,
    company: str = "",
    compress: bool = True,
) -> bytes:
    """Every person's statement, one PDF each, in one zip (file names unique and ASCII)."""
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
            zf.writestr(fname, _render(result, p, status, snapshot, plan, company, compress))
    return buf.getvalue()
