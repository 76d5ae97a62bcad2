"""Files for payroll and for the record: payroll CSV, Gusto-style bonus CSV, XLSX workbook.

Rules every export follows:

* every text cell goes through ``neutralise`` (a ``'`` before ``= + - @``, tab or CR at the
  start of the cell or right after a ``,`` ``;`` CR or LF inside it), so a name such as
  ``=HYPERLINK(...)`` or ``Ann;=1+1`` is shown, never run, by a spreadsheet;
* every CSV is written by ``csv_bytes``: UTF-8 with a byte-order mark (Excel on Windows shows
  ``Renée Hébert``, not ``RenÃ©e``), CRLF, and a cell holding ``;`` quoted like one holding
  ``,``, so it stays one cell when Excel reads the file with semicolons (most of Europe);
* the workbook is written with XlsxWriter's ``strings_to_formulas``/``strings_to_urls`` off
  and only typed writes (``write_string``/``write_number``), so it contains no formula;
* amounts are numbers (dollars, two decimals), never text, and the totals are computed here;
* payroll files list only people paid more than zero, in roster order;
* a file not made from the approved snapshot is a DRAFT: in its file name and inside it (a
  first line in CSVs, so no payroll system takes it as is). The same goes for a snapshot that
  a later approval superseded;
* a shadow quarter (``[shadow]`` in the plan: what the plan would pay, never paid) gets no
  payroll file at all: :func:`payroll_csv`, :func:`gusto_csv` and the payroll-system files
  of :mod:`tel.io.payroll` raise :class:`~tel.core.policy.ShadowQuarter` (:func:`refuse_shadow`);
  the workbook, a record, says SHADOW in its name and inside.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

import xlsxwriter

from tel.core.models import Person, Scenario
from tel.core.money import Cents, to_cents, to_dollars
from tel.core.policy import FIELDS, SHADOW_WORDS, ShadowQuarter, shadow_refusal, value_of
from tel.engine.quarter import Payout, QuarterResult
from tel.io.store import Snapshot

__all__ = [
    "ExportFile",
    "Kind",
    "csv_bytes",
    "employee_ids",
    "export_filename",
    "export_files",
    "export_status",
    "gusto_csv",
    "neutralise",
    "payroll_csv",
    "refuse_shadow",
    "split_name",
    "workbook_xlsx",
]

Kind = Literal["payroll", "gusto", "workbook", "gusto-upload"]

_FORMULA_START = frozenset("=+-@\t\r")
_PART_BREAKS = frozenset(",;\r\n")
_QUOTED = frozenset(',;"\r\n\t')
_XLSX_OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
_MEDIA = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "v", "phd", "md", "esq", "esq."}
_PARTICLES = {"van", "von", "de", "del", "della", "der", "den", "da", "di", "du", "la", "le"}
_PARTICLES |= {"st.", "st", "bin", "al", "el", "dos", "das", "ten", "ter", "y"}


def neutralise(text: str) -> str:
    r"""Make text safe for a spreadsheet cell, however the file is read.

    A spreadsheet runs a cell as a formula when it starts with ``= + - @`` (some importers
    also with a tab or CR). A CSV written with commas may be read with semicolons (Excel in
    most of Europe) or split at every line break by a careless importer, so each part of a
    cell after a ``,`` ``;`` CR or LF can become a cell start as well. The rule: at the start
    of the text and right after every ``,`` ``;`` CR or LF, when the next character other than
    spaces is ``= + - @``, a tab or a CR, a ``'`` (the spreadsheet's "this is text" mark) is
    inserted there. Nothing else changes: ``Lee, Zoë`` and ``Smith-Jones`` stay as they are.

    >>> neutralise('=HYPERLINK("http://x")'), neutralise("+1"), neutralise("Ann")
    ('\'=HYPERLINK("http://x")', "'+1", 'Ann')
    >>> neutralise("\tx"), neutralise(""), neutralise(" -1")
    ("'\tx", '', "' -1")
    >>> neutralise("Ann;=1+1"), neutralise("Bob,@x"), neutralise("Cy\r\n+1")
    ("Ann;'=1+1", "Bob,'@x", "Cy\r\n'+1")
    >>> neutralise("Lee, Zoë"), neutralise("a=b; c-d")
    ('Lee, Zoë', 'a=b; c-d')
    """
    out: list[str] = []
    part = 0  # where the current part of the cell starts in ``out``
    leading = True  # still in the spaces at the start of that part
    for char in text:
        if leading and char != " ":
            if char in _FORMULA_START:
                out.insert(part, "'")
            leading = False
        out.append(char)
        if char in _PART_BREAKS:
            part, leading = len(out), True
    return "".join(out)


def csv_bytes(rows: Iterable[Sequence[str | int | Decimal]]) -> bytes:
    r"""Rows as a CSV file for people: every CSV this tool writes for a person comes from here.

    UTF-8 with a byte-order mark (Excel on Windows then reads the accents right), CRLF line
    ends. Text cells go through :func:`neutralise`; numbers (``int``, ``Decimal``) are written
    as they are. A cell is quoted (``"`` doubled inside) when it holds ``,`` ``;`` ``"``, a
    line break or a tab, or starts or ends with a space, so it stays one cell whether the file
    is read with commas or with semicolons. Readers of these files take the BOM: ``csv``
    with ``encoding="utf-8-sig"``, and this tool's loaders.

    >>> csv_bytes([["name", "amount"], ["Ann;=1+1", Decimal("5.00")], ['Al "Bo" Cy', 3]])
    b'\xef\xbb\xbfname,amount\r\n"Ann;\'=1+1",5.00\r\n"Al ""Bo"" Cy",3\r\n'
    """
    lines: list[str] = []
    for row in rows:
        cells: list[str] = []
        for cell in row:
            text = neutralise(cell) if isinstance(cell, str) else str(cell)
            if _QUOTED.intersection(text) or text != text.strip(" "):
                text = '"' + text.replace('"', '""') + '"'
            cells.append(text)
        lines.append(",".join(cells) + "\r\n")
    return ("\ufeff" + "".join(lines)).encode("utf-8")


def split_name(name: str) -> tuple[str, str]:
    """``(first, last)`` from a roster name, for payroll systems that want two columns.

    ``"Last, First"`` is read as such; otherwise the last word is the last name, keeping a
    suffix (Jr., III) and particles (van, de, St.) with it. One word: it is the first name.

    >>> split_name("Broussard, Luc"), split_name("Renée Hébert"), split_name("Cher")
    (('Luc', 'Broussard'), ('Renée', 'Hébert'), ('Cher', ''))
    >>> split_name("Ludwig van Beethoven"), split_name("Martin Luther King Jr.")
    (('Ludwig', 'van Beethoven'), ('Martin Luther', 'King Jr.'))
    >>> split_name("King, Martin Luther, Jr.")
    ('Martin Luther', 'King Jr.')
    """
    name = " ".join(name.split())
    if "," in name:
        parts = [p.strip() for p in name.split(",")]
        last, rest = parts[0], [p for p in parts[1:] if p]
        suffix = [p for p in rest if p.lower() in _SUFFIXES]
        given = [p for p in rest if p.lower() not in _SUFFIXES]
        if last and given:
            return " ".join(given), " ".join([last, *suffix])
        name = " ".join(p for p in parts if p)
    words = name.split(" ")
    if len(words) < 2:
        return name, ""
    cut = len(words) - 1
    while cut > 1 and words[cut].lower().strip(",") in _SUFFIXES:
        cut -= 1
    while cut > 1 and words[cut - 1].lower() in _PARTICLES:
        cut -= 1
    return " ".join(words[:cut]), " ".join(words[cut:])


@dataclass(frozen=True, slots=True)
class ExportFile:
    """One file ready to download or write: its name, media type and bytes."""

    filename: str
    media_type: str
    data: bytes


def export_status(snapshot: Snapshot | None) -> str:
    """``DRAFT``, ``APPROVED`` or ``SUPERSEDED`` (approved, then replaced by a later approval)."""
    if snapshot is None:
        return "DRAFT"
    return "APPROVED" if snapshot.current else "SUPERSEDED"


def export_filename(result: QuarterResult, kind: Kind, snapshot: Snapshot | None = None) -> str:
    """File name that says what the file is and whether it may be paid from, e.g.
    ``tel-2026-Q3-payroll-DRAFT.csv`` or ``tel-2026-Q3-workbook-approval-4.xlsx``."""
    ext = "xlsx" if kind == "workbook" else "csv"
    stem = f"tel-{result.quarter}-{kind}"
    status = export_status(snapshot)
    if result.shadow:
        return f"{stem}-SHADOW.{ext}"
    if snapshot is None:
        return f"{stem}-DRAFT.{ext}"
    tail = f"-approval-{snapshot.id}" + ("-SUPERSEDED" if status == "SUPERSEDED" else "")
    return f"{stem}{tail}.{ext}"


def refuse_shadow(result: QuarterResult, what: str = "payroll file") -> None:
    """Raise :class:`~tel.core.policy.ShadowQuarter` when ``result`` is a shadow quarter:
    nothing is paid for it, so no payroll file is made."""
    if result.shadow:
        raise ShadowQuarter(shadow_refusal(result.quarter, f"there is no {what}"))


def check_approved(result: QuarterResult, snapshot: Snapshot | None) -> None:
    # A file labelled "approved" must carry the approved figures, not a later what-if.
    if snapshot is not None and (snapshot.quarter != result.quarter or snapshot.result() != result):
        raise ValueError("these figures are not the approved ones for this snapshot")


def _paid(result: QuarterResult) -> list[Payout]:
    return [p for p in result.payouts if p.total > 0]


def employee_ids(roster: Iterable[Person]) -> dict[str, str]:
    """Name -> employee id of everyone on the roster who has one (payouts carry the name, the
    roster the id; names are unique).

    >>> employee_ids([Person(name="Ann", salary=1, start_date=date(2020, 1, 1),
    ...                      employee_id="000123")])
    {'Ann': '000123'}
    """
    return {p.name: p.employee_id for p in roster if p.employee_id}


def _ids_of(snapshot: Snapshot | None, inputs: Scenario | None) -> dict[str, str]:
    """The employee ids of the approved roster, else of ``inputs``' roster, else none."""
    if snapshot is not None:
        inputs = snapshot.scenario()
    return employee_ids(inputs.roster) if inputs is not None else {}


def _amount(cents: Cents) -> str:
    return str(to_dollars(cents))


def warning_line(result: QuarterResult, snapshot: Snapshot | None) -> str | None:
    if result.shadow:
        return (f"SHADOW: {result.quarter} is {SHADOW_WORDS.split(': ', 1)[1]} - do not pay "
                "from this file")
    status = export_status(snapshot)
    if status == "DRAFT":
        return f"DRAFT: {result.quarter} figures not approved - do not pay from this file"
    if status == "SUPERSEDED" and snapshot is not None:
        return (
            f"SUPERSEDED: approval {snapshot.id} of {result.quarter} was replaced by "
            f"approval {snapshot.superseded_by} - do not pay from this file"
        )
    return None


def payroll_csv(result: QuarterResult, snapshot: Snapshot | None = None,
                inputs: Scenario | None = None) -> bytes:
    """``name,amount`` for every person paid, then a ``TOTAL`` row equal to the amount paid;
    a third column ``employee_id`` when anyone paid has one (from the approved roster, else
    ``inputs``' roster).

    UTF-8 with a BOM, CRLF line ends (see :func:`csv_bytes`); amounts as plain decimals
    (``1234.50``). A shadow quarter is refused (:func:`refuse_shadow`).
    """
    refuse_shadow(result)
    check_approved(result, snapshot)
    paid = _paid(result)
    known = _ids_of(snapshot, inputs)
    with_ids = any(p.name in known for p in paid)
    rows: list[list[str]] = []
    if (line := warning_line(result, snapshot)) is not None:
        rows.append([line])
    rows.append(["name", "amount", *["employee_id"] * with_ids])
    rows += [[p.name, _amount(p.total), *[known.get(p.name, "")] * with_ids] for p in paid]
    rows.append(["TOTAL", _amount(sum(p.total for p in paid)), *[""] * with_ids])
    return csv_bytes(rows)


def gusto_csv(result: QuarterResult, snapshot: Snapshot | None = None) -> bytes:
    """``First Name,Last Name,Bonus`` for every person paid, ready for a payroll import.

    No total row (an importer would take it for a person); the amounts sum to the paid total.
    A shadow quarter is refused (:func:`refuse_shadow`).
    """
    refuse_shadow(result)
    check_approved(result, snapshot)
    rows: list[list[str]] = []
    if (line := warning_line(result, snapshot)) is not None:
        rows.append([line])
    rows.append(["First Name", "Last Name", "Bonus"])
    for p in _paid(result):
        first, last = split_name(p.name)
        rows.append([first, last, _amount(p.total)])
    return csv_bytes(rows)


class _Sheet:
    """Typed writes only, every string neutralised: the one way text reaches a cell."""

    def __init__(self, ws: Any, formats: dict[str, Any]) -> None:
        self.ws = ws
        self.f = formats

    def text(self, row: int, col: int, value: str, fmt: str | None = None) -> None:
        self.ws.write_string(row, col, neutralise(value), self.f.get(fmt or ""))

    def money(self, row: int, col: int, cents: Cents, fmt: str = "money") -> None:
        # float ok: XLSX stores every number as a double; dollars with two decimals read back
        # to the same cent (tested: the sheet's amounts sum to the pool exactly).
        self.ws.write_number(row, col, float(to_dollars(cents)), self.f[fmt])  # float ok

    def number(self, row: int, col: int, value: int | Decimal) -> None:
        self.ws.write_number(row, col, float(value))  # float ok: XLSX numbers are doubles

    def day(self, row: int, col: int, value: date) -> None:
        when = datetime(value.year, value.month, value.day)
        self.ws.write_datetime(row, col, when, self.f["date"])

    def header(self, row: int, labels: Sequence[str]) -> None:
        for c, label in enumerate(labels):
            self.text(row, c, label, "head")


def workbook_xlsx(
    result: QuarterResult, snapshot: Snapshot | None = None, inputs: Scenario | None = None
) -> bytes:
    """An XLSX workbook with sheets Summary, Payouts (paid people and a TOTAL row) and Inputs
    (plan, months and roster; taken from the snapshot when there is one). No formulas."""
    check_approved(result, snapshot)
    if snapshot is not None:
        inputs = snapshot.scenario()
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, _XLSX_OPTIONS)
    status = "SHADOW" if result.shadow else export_status(snapshot)
    wb.set_properties(
        {
            "title": neutralise(f"TEL bonus {result.quarter} ({status})"),
            "comments": neutralise(warning_line(result, snapshot) or "Approved figures"),
        }
    )
    formats = {
        "money": wb.add_format({"num_format": '"$"#,##0.00'}),
        "money_bold": wb.add_format({"num_format": '"$"#,##0.00', "bold": True, "top": 1}),
        "date": wb.add_format({"num_format": "yyyy-mm-dd", "align": "left"}),
        "head": wb.add_format({"bold": True, "bottom": 1}),
        "bold": wb.add_format({"bold": True}),
        "total": wb.add_format({"bold": True, "top": 1}),
        "title": wb.add_format({"bold": True, "font_size": 14}),
        "warn": wb.add_format({"bold": True, "font_color": "#9C0006", "bg_color": "#FFC7CE"}),
    }
    _summary(_Sheet(wb.add_worksheet("Summary"), formats), result, snapshot)
    _payouts(_Sheet(wb.add_worksheet("Payouts"), formats), result,
             employee_ids(inputs.roster) if inputs is not None else {})
    _inputs(_Sheet(wb.add_worksheet("Inputs"), formats), inputs)
    wb.close()
    return buf.getvalue()


def _summary(s: _Sheet, result: QuarterResult, snapshot: Snapshot | None) -> None:
    s.ws.set_column(0, 0, 28)
    s.ws.set_column(1, 1, 60)
    s.text(0, 0, f"TEL bonus {result.quarter}", "title")
    status = export_status(snapshot)
    s.text(1, 0, "Status", "bold")
    fmt = "bold" if status == "APPROVED" else "warn"
    s.text(1, 1, warning_line(result, snapshot) or "APPROVED", fmt)
    r = 2
    if snapshot is not None:
        for label, value in (
            ("Approval", str(snapshot.id)),
            ("Approved at (UTC)", snapshot.approved_at),
            ("Approved by", snapshot.approved_by),
            ("Approval note", snapshot.note),
            ("Scenario", f"{snapshot.scenario_name} (version {snapshot.version_number})"),
            ("Inputs SHA-256", snapshot.inputs_sha256),
        ):
            s.text(r, 0, label)
            s.text(r, 1, value)
            r += 1
    r += 1
    s.text(r, 0, "Quarter")
    s.text(r, 1, result.quarter)
    s.text(r + 1, 0, "Months booked")
    s.text(r + 1, 1, ", ".join(result.months_booked))
    s.text(r + 2, 0, "Pay date")
    s.day(r + 2, 1, result.pay_date)
    r += 3
    money_rows: list[tuple[str, Cents]] = [
        ("Min GP (per month)", result.min_gp),
        ("GP of the quarter", result.gp_total),
        ("TEL profit", result.tel_profit),
        ("House", result.house),
        ("Staff pool", result.staff_pool),
        ("Team pool", result.team_pool),
        ("Merit pool", result.merit_pool),
        ("Undistributed", result.undistributed),
    ]
    for label, cents in money_rows:
        s.text(r, 0, label)
        s.money(r, 1, cents)
        r += 1
    s.text(r, 0, "Cash gate")
    s.text(r, 1, result.gates.cash_text())
    s.text(r + 1, 0, "A/R gate")
    s.text(r + 1, 1, result.gates.ar_text())
    s.text(r + 2, 0, "Gates passed")
    s.text(r + 2, 1, "Yes" if result.gates.passed else "No: nothing is paid this quarter")
    r += 3
    paid = _paid(result)
    s.text(r, 0, "Paid in total", "bold")
    s.money(r, 1, sum(p.total for p in paid), "money_bold")
    s.text(r + 1, 0, "People paid")
    s.number(r + 1, 1, len(paid))
    s.text(r + 2, 0, "People eligible")
    s.number(r + 2, 1, result.eligible_count)
    r += 4
    unpaid = [p for p in result.payouts if p.total <= 0]
    if unpaid:
        s.header(r, ["Not paid", "Why"])
        for i, p in enumerate(unpaid, start=r + 1):
            s.text(i, 0, p.name)
            s.text(i, 1, p.reason or "gates did not pass")


def _payouts(s: _Sheet, result: QuarterResult, ids: dict[str, str]) -> None:
    s.ws.set_column(0, 1, 28)
    s.ws.set_column(2, 2, 12)
    s.ws.set_column(3, 6, 14)
    paid = _paid(result)
    with_ids = any(p.name in ids for p in paid)  # an "Employee ID" column after the total
    s.header(0, ["Name", "Department", "Months of service", "Team", "Merit", "Total",
                 *["Employee ID"] * with_ids])
    s.ws.freeze_panes(1, 0)
    for r, p in enumerate(paid, start=1):
        s.text(r, 0, p.name)
        s.text(r, 1, p.department)
        s.number(r, 2, p.months)
        s.money(r, 3, p.team)
        s.money(r, 4, p.merit)
        s.money(r, 5, p.total)
        if with_ids:
            s.text(r, 6, ids.get(p.name, ""))
    r = len(paid) + 1
    s.text(r, 0, "TOTAL", "total")
    s.text(r, 1, "", "total")
    s.text(r, 2, "", "total")
    s.money(r, 3, sum(p.team for p in paid), "money_bold")
    s.money(r, 4, sum(p.merit for p in paid), "money_bold")
    s.money(r, 5, sum(p.total for p in paid), "money_bold")


def _inputs(s: _Sheet, inputs: Scenario | None) -> None:
    if inputs is None:
        s.text(0, 0, "The inputs were not supplied with this draft.")
        return
    s.ws.set_column(0, 0, 24)
    s.ws.set_column(1, 9, 14)
    s.text(0, 0, "Plan", "title")
    plan = inputs.plan
    r = 1
    for field in FIELDS:  # every setting, named as in plan.toml
        value = value_of(plan, field)
        s.text(r, 0, f"[{field.section}] {field.key}")
        if field.kind == "money":
            assert isinstance(value, Decimal)
            s.money(r, 1, to_cents(value))
        elif isinstance(value, str):  # a choice of words
            s.text(r, 1, value)
        else:
            assert isinstance(value, int | Decimal)
            s.number(r, 1, value)
        r += 1
    r += 1
    s.text(r, 0, "Months", "title")
    s.header(r + 1, ["Month", "GP", "Cash on hand", "A/R total", "A/R 90+"])
    r += 2
    for m in inputs.months:
        s.text(r, 0, m.label)
        for c, v in enumerate((m.gp, m.cash_on_hand, m.ar_total, m.ar_90_plus), start=1):
            if v is not None:  # A/R is blank for a month without an aging report
                s.money(r, c, to_cents(v))
        r += 1
    r += 1
    s.text(r, 0, "Roster", "title")
    labels = ["Name", "Salary", "Start date", "End date", "Employment", "Full time", "Owner"]
    with_ids = any(p.employee_id for p in inputs.roster)
    s.header(r + 1, [*labels, "Performance", "Department", *["Employee ID"] * with_ids])
    r += 2
    for p in inputs.roster:
        s.text(r, 0, p.name)
        s.money(r, 1, to_cents(p.salary))
        s.day(r, 2, p.start_date)
        if p.end_date is not None:
            s.day(r, 3, p.end_date)
        s.text(r, 4, p.employment.value)
        s.text(r, 5, "yes" if p.full_time else "no")
        s.text(r, 6, "yes" if p.owner else "no")
        s.number(r, 7, p.performance)
        s.text(r, 8, p.department)
        if with_ids:
            s.text(r, 9, p.employee_id)
        r += 1


def export_files(
    result: QuarterResult, snapshot: Snapshot | None = None, inputs: Scenario | None = None
) -> list[ExportFile]:
    """All three exports with their file names: payroll CSV, Gusto CSV, workbook."""
    files: list[tuple[Kind, str, bytes]] = [
        ("payroll", "csv", payroll_csv(result, snapshot, inputs)),
        ("gusto", "csv", gusto_csv(result, snapshot)),
        ("workbook", "xlsx", workbook_xlsx(result, snapshot, inputs)),
    ]
    return [
        ExportFile(export_filename(result, kind, snapshot), _MEDIA[ext], data)
        for kind, ext, data in files
    ]
