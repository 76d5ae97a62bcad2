r"""Payroll system files from an approval: Gusto's payroll upload filled into the company's own
template, and ADP Workforce Now's paydata import (EPI) file.

Both follow the rules of :mod:`tel.io.exports` (UTF-8 with a byte-order mark so Excel shows
``Renée``, CRLF, text cells neutralised, amounts as plain dollars with two decimals, a file not
made from the approval in force marked DRAFT or SUPERSEDED in its name and on a first line, so
no payroll system takes it as is) and add what a payroll system needs:

* **Gusto** (:func:`gusto_upload`). The company downloads Gusto's payroll CSV template (it
  lists the company's people, and its columns are the company's own: custom earnings, an
  owner's draw). Every template row and column is kept in order; only the bonus column is
  written. A roster person is matched to a template row by employee id (the template's
  ``gusto_employee_id``), else by name: case, accents and punctuation ignored, ``Last, First``
  the same as ``First Last``, then the same words in any order. A person with a check is put
  on the template row of their primary job (Gusto's ``(Primary)`` title; else their first
  row); their other rows' bonus cells are left blank (Gusto takes every non-hours earning on
  the primary row). Template people with no check get ``0.00`` (in Gusto a zero overwrites
  anything entered before, a blank leaves it). Everyone with a check who could not be matched
  is listed with the reason, and is not in the file.
* **ADP** (:func:`adp_epi`). ``Co Code, Batch ID, File #, Earnings 3 Code, Earnings 3
  Amount``, one row per check (ADP takes an employee on several rows: a check over
  $99,999.99, ADP's largest amount on one row, is split across rows). The company code, batch
  id and earnings code are the company's own settings (:func:`adp_settings` checks them);
  ``File #`` is the roster's ``employee_id`` (ADP's file number), zero-padded to six digits.
  Named ``PRcccEPI.csv`` as ADP expects (``ccc`` the company code, ``_``-padded to three).
  A person without a file number is listed, not guessed.

Each builder answers a :class:`PayrollFile`: the bytes, the lines it pays (who, which row,
how matched, how much), everyone left out and why, and whether the file pays the approval's
whole paid total (``complete``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from tel.core.models import Employment, Person, Scenario
from tel.core.money import Cents, to_dollars
from tel.core.text import visible
from tel.engine.quarter import Payout, QuarterResult
from tel.io.exports import (
    check_approved,
    csv_bytes,
    export_filename,
    export_status,
    refuse_shadow,
    split_name,
    warning_line,
)
from tel.io.loaders import MAX_BYTES, MAX_UNZIPPED_BYTES, read_cells
from tel.io.problems import Problem
from tel.io.store import Snapshot

__all__ = [
    "ADP_HEADER",
    "ADP_MAX_LINE",
    "AdpSettings",
    "PayLine",
    "PayrollFile",
    "Unmatched",
    "adp_epi",
    "adp_filename",
    "adp_settings",
    "gusto_upload",
    "match_key",
]

ADP_HEADER = ("Co Code", "Batch ID", "File #", "Earnings 3 Code", "Earnings 3 Amount")
ADP_MAX_LINE: Cents = 9_999_999
"""The largest amount on one row of an ADP paydata file ($99,999.99)."""


@dataclass(frozen=True, slots=True)
class PayLine:
    """One amount in a payroll file: the roster person, their id, the file row it is on
    (spreadsheet row; ``None`` for rows this tool adds), how they were matched, the amount."""

    name: str
    employee_id: str
    row: int | None
    matched_by: str
    amount: Cents


@dataclass(frozen=True, slots=True)
class Unmatched:
    """A person with a check who is not in the file, and why."""

    name: str
    employee_id: str
    amount: Cents
    reason: str


@dataclass(frozen=True, slots=True)
class PayrollFile:
    """A payroll file and what is in it. ``data`` is ``None`` when the file cannot be made
    (``problems`` says why: a template without a bonus column, say)."""

    filename: str
    data: bytes | None
    lines: tuple[PayLine, ...] = ()
    unmatched: tuple[Unmatched, ...] = ()
    zeroed: tuple[str, ...] = ()  # template people with no check: bonus 0.00
    problems: tuple[Problem, ...] = ()
    paid: Cents = 0  # the approval's paid total

    @property
    def in_file(self) -> Cents:
        """What the file pays, to the cent."""
        return sum(line.amount for line in self.lines)

    @property
    def complete(self) -> bool:
        """The file pays everyone with a check, and exactly the paid total."""
        return self.data is not None and not self.unmatched and self.in_file == self.paid


def _roster(snapshot: Snapshot | None, inputs: Scenario | None) -> dict[str, Person]:
    if snapshot is not None:
        inputs = snapshot.scenario()
    return {p.name: p for p in inputs.roster} if inputs is not None else {}


def _fold(text: str) -> str:
    """Accents dropped, case folded, anything but letters and digits as one space."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+|_", " ", bare.casefold()).split())


def match_key(name: str) -> str:
    """What a roster name is matched to a payroll row by: ``Last, First`` read as ``First
    Last``; accents, case and punctuation ignored.

    >>> match_key("Hébert, Renée") == match_key("RENEE HEBERT"), match_key("O'Rourke, Declan")
    (True, 'declan o rourke')
    """
    if "," in name:
        first, last = split_name(name)
        name = f"{first} {last}"
    return _fold(name)


def _any_order(key: str) -> str:
    return " ".join(sorted(key.split()))


def _amount(cents: Cents) -> Decimal:
    return to_dollars(cents)


def _show(text: str) -> str:
    cut = text if len(text) <= 40 else text[:39] + "…"
    return f"'{visible(cut)}'"


# --- Gusto: the company's own template, filled ---------------------------------------------------

_NEGATIVE = re.compile(r"^-\d+(?:\.\d+)?$")  # a template's own negative amount, e.g. -5.00


def _norm(header: str) -> str:
    return re.sub(r"[\s\-]+", "_", header.strip().casefold())


@dataclass
class _Person:
    """One person of the template: their rows (indexes into the data rows), the primary one."""

    rows: list[int]
    primary: int
    first: str
    last: str
    gusto_id: str
    taken_by: str = ""


def gusto_upload(template: bytes, template_name: str, result: QuarterResult,
                 snapshot: Snapshot | None = None, inputs: Scenario | None = None, *,
                 bonus_column: str = "bonus") -> PayrollFile:
    """Gusto's payroll template (``template``, the company's own download) with every check
    of ``result`` in its bonus column; see the module docstring for the matching rules.
    People come from the approved roster (``snapshot``), else ``inputs``."""
    refuse_shadow(result)  # a shadow quarter is never paid
    check_approved(result, snapshot)
    filename = export_filename(result, "gusto-upload", snapshot)
    paid = sum(p.total for p in result.payouts if p.total > 0)
    sheet, read_problems = read_cells(template, template_name, MAX_BYTES, MAX_UNZIPPED_BYTES,
                                      "Gusto's payroll template as CSV")
    problems = [p for p in read_problems if p.is_error]
    if sheet is None or problems:
        return PayrollFile(filename, None, problems=tuple(problems), paid=paid)
    if not sheet.rows:
        return PayrollFile(filename, None, paid=paid, problems=(Problem(
            template_name, None, None, "is empty; expected Gusto's payroll template (Run "
            "payroll, then Upload CSV, then download the template)"),))
    header_row, header = sheet.rows[0]
    keys = [_norm(h) for h in header]
    col = {k: i for i, k in reversed(list(enumerate(keys)))}
    bonus_key = _norm(bonus_column)
    if bonus_key not in col:
        problems.append(Problem(template_name, header_row, bonus_column, "is not a column of "
                                "this template; expected Gusto's payroll template, which has a "
                                "bonus column"))
    if not ({"first_name", "last_name"} <= col.keys() or "gusto_employee_id" in col):
        problems.append(Problem(template_name, header_row, None, "has no first_name and "
                                "last_name columns (nor gusto_employee_id); expected Gusto's "
                                "payroll template"))
    if problems:
        return PayrollFile(filename, None, problems=tuple(problems), paid=paid)
    width = len(header)
    body = [(n, list(c) + [""] * (width - len(c))) for n, c in sheet.rows[1:]]

    def get(cells: list[str], key: str) -> str:
        return cells[col[key]].strip() if key in col and col[key] < len(cells) else ""

    people = _template_people(body, get)
    by_id: dict[str, _Person] = {}
    by_name: dict[str, list[_Person]] = {}
    by_words: dict[str, list[_Person]] = {}
    for t in people:
        if t.gusto_id:
            by_id[t.gusto_id.casefold()] = t
        key = _fold(f"{t.first} {t.last}")
        if key:
            by_name.setdefault(key, []).append(t)
            by_words.setdefault(_any_order(key), []).append(t)
    roster = _roster(snapshot, inputs)

    def eid_of(payout: Payout) -> str:
        person = roster.get(payout.name)
        return person.employee_id if person is not None else ""

    ids_match = any(p.employee_id.casefold() in by_id for p in roster.values() if p.employee_id)
    found: dict[str, tuple[_Person, str]] = {}  # payout name -> template person, how
    for payout in result.payouts:  # ids first: a name never takes a row an id claims
        eid = eid_of(payout)
        if eid and (hit := by_id.get(eid.casefold())) is not None and not hit.taken_by:
            hit.taken_by = payout.name
            found[payout.name] = (hit, f"employee id {eid}")
    amounts: dict[int, Cents] = {}  # template person (index) -> cents
    lines: list[PayLine] = []
    unmatched: list[Unmatched] = []
    index_of = {id(t): i for i, t in enumerate(people)}
    for payout in result.payouts:
        eid = eid_of(payout)
        if payout.name in found:
            t, how = found[payout.name]
        else:
            match, how, why = _by_name(payout.name, eid, by_name, by_words, ids_match)
            if match is None:
                if payout.total > 0:
                    person = roster.get(payout.name)
                    if person is not None and person.employment == Employment.CONTRACTOR:
                        why += " (a contractor: Gusto pays contractors apart from payroll)"
                    unmatched.append(Unmatched(payout.name, eid, payout.total, why))
                continue
            t = match
            t.taken_by = payout.name
        amounts[index_of[id(t)]] = payout.total
        if payout.total > 0:
            lines.append(PayLine(payout.name, eid, body[t.primary][0], how, payout.total))
    bonus = col[bonus_key]
    zeroed: list[str] = []
    for i, t in enumerate(people):
        for r in t.rows:
            body[r][1][bonus] = ""
        cents = amounts.get(i, 0)
        body[t.primary][1][bonus] = f"{_amount(cents)}"
        if cents == 0:
            zeroed.append(" ".join(x for x in (t.first, t.last) if x) or t.gusto_id)
    rows: list[list[str | int | Decimal]] = []
    if (line := warning_line(result, snapshot)) is not None:
        rows.append([line])
    rows.append(list(header))
    for _, cells in body:
        # a negative amount is a number, not text to neutralise; every other cell as it is
        rows.append([Decimal(c) if _NEGATIVE.match(c) else c for c in cells])
    return PayrollFile(filename, csv_bytes(rows), tuple(lines), tuple(unmatched),
                       tuple(zeroed), (), paid)


def _template_people(body: list[tuple[int, list[str]]],
                     get: Callable[[list[str], str], str]) -> list[_Person]:
    """The template's rows grouped by person (Gusto lists one row per job): by Gusto id, else
    by SSN and name, else by name; the primary job's row is the one titled ``(Primary)``."""
    groups: dict[tuple[str, ...], _Person] = {}
    for i, (_, cells) in enumerate(body):
        first, last = get(cells, "first_name"), get(cells, "last_name")
        gid, ssn = get(cells, "gusto_employee_id"), get(cells, "ssn")
        if not (first or last or gid):
            continue  # a row that names nobody: left as it is
        name = _fold(f"{first} {last}")
        key = ("id", gid.casefold()) if gid else ("ssn", ssn, name) if ssn else ("name", name)
        t = groups.get(key)
        if t is None:
            groups[key] = _Person([i], i, first, last, gid)
        else:
            t.rows.append(i)
            if get(cells, "title").casefold().endswith("(primary)"):
                t.primary = i
    return list(groups.values())


def _by_name(name: str, eid: str, by_name: dict[str, list[_Person]],
             by_words: dict[str, list[_Person]],
             ids_match: bool) -> tuple[_Person | None, str, str]:
    """The template person for one roster name, how it was matched, or why none was."""
    key = match_key(name)
    for how, found in (("name", by_name.get(key, [])),
                       ("name, words in another order", by_words.get(_any_order(key), []))):
        if not found:
            continue
        if ids_match and eid:
            # the roster's ids are Gusto's: a row under another id is somebody else
            found = [t for t in found if not t.gusto_id]
            if not found:
                return None, "", (f"employee id {_show(eid)} is not in the template, and "
                                  "the row with this name has another id")
        if len(found) > 1:
            return None, "", (f"{len(found)} people in the template have this name; give "
                              "each an employee id on the roster (gusto_employee_id)")
        if found[0].taken_by:
            return None, "", (f"the template row with this name went to {found[0].taken_by} "
                              "(by employee id or name) already")
        return found[0], how, ""
    if eid:
        return None, "", f"neither employee id {_show(eid)} nor this name is in the template"
    return None, "", "this name is not in the template (and the roster has no employee id)"


# --- ADP Workforce Now: paydata (EPI) file -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AdpSettings:
    """The company's ADP settings: ``Co Code`` (2 or 3 letters or digits), ``Batch ID`` (1 to
    8 letters or digits) and the earnings code of the bonus (1 or 2 characters, set up in the
    company's ADP)."""

    company_code: str
    batch_id: str
    earnings_code: str


_RESERVED_CODES = frozenset({40, 50, 60, 61})


def adp_settings(company_code: str, batch_id: str,
                 earnings_code: str) -> tuple[AdpSettings | None, list[str]]:
    """The settings checked (trimmed, in capitals), or ``None`` and one line per problem.

    >>> adp_settings(" ab1 ", "TEL26Q3", "b")[0]
    AdpSettings(company_code='AB1', batch_id='TEL26Q3', earnings_code='B')
    >>> for p in adp_settings("A", "", "40")[1]: print(p)
    Company code 'A' is not 2 or 3 letters or digits; expected ADP's Co Code, like 3XY
    Batch ID is blank; expected 1 to 8 letters or digits, like TEL26Q3
    Earnings code 40 is one ADP keeps for itself (40, 50, 60 and 61); expected the code of the bonus earning in your ADP, like B
    """  # noqa: E501
    co, batch, code = (x.strip().upper() for x in (company_code, batch_id, earnings_code))
    problems: list[str] = []
    if not re.fullmatch(r"[A-Z0-9]{2,3}", co):
        problems.append(f"Company code {_show(co)} is not 2 or 3 letters or digits; expected "
                        "ADP's Co Code, like 3XY" if co else
                        "Company code is blank; expected ADP's Co Code, like 3XY")
    if not batch:
        problems.append("Batch ID is blank; expected 1 to 8 letters or digits, like TEL26Q3")
    elif not re.fullmatch(r"[A-Z0-9]{1,8}", batch):
        problems.append(f"Batch ID {_show(batch)} is not 1 to 8 letters or digits; expected "
                        "a batch name like TEL26Q3")
    hint = "expected the code of the bonus earning in your ADP, like B"
    if not code:
        problems.append(f"Earnings code is blank; {hint}")
    elif not re.fullmatch(r"[A-Z0-9]{1,2}", code):
        problems.append(f"Earnings code {_show(code)} is not 1 or 2 letters or digits; {hint}")
    elif code.isdigit() and int(code) > 79:
        problems.append(f"Earnings code {code} is over 79, the highest number code; {hint}")
    elif code.isdigit() and int(code) in _RESERVED_CODES:
        problems.append(f"Earnings code {code} is one ADP keeps for itself (40, 50, 60 and "
                        f"61); {hint}")
    if problems:
        return None, problems
    return AdpSettings(co, batch, code), []


def adp_filename(result: QuarterResult, settings: AdpSettings,
                 snapshot: Snapshot | None = None) -> str:
    """``PRcccEPI.csv`` (ADP's name for a paydata file) for the approval in force; a draft or
    a superseded approval says so in the name too."""
    stem = f"PR{settings.company_code.ljust(3, '_')}EPI"
    status = export_status(snapshot)
    if status == "APPROVED":
        return f"{stem}.csv"
    if snapshot is None:
        return f"{stem}-{result.quarter}-DRAFT.csv"
    return f"{stem}-{result.quarter}-approval-{snapshot.id}-SUPERSEDED.csv"


def _file_number(employee_id: str) -> str | None:
    """ADP's file number: 1 to 6 digits, zero-padded to 6 (``123.0``, an id Excel saved as a
    number, is 123)."""
    text = employee_id.strip()
    if re.fullmatch(r"\d+\.0+", text):
        text = text.split(".")[0]
    return text.zfill(6) if re.fullmatch(r"\d{1,6}", text) else None


def adp_epi(result: QuarterResult, settings: AdpSettings, snapshot: Snapshot | None = None,
            inputs: Scenario | None = None) -> PayrollFile:
    """ADP Workforce Now's paydata import for every check of ``result``; the file numbers
    come from the approved roster (``snapshot``), else ``inputs``."""
    refuse_shadow(result)  # a shadow quarter is never paid
    check_approved(result, snapshot)
    roster = _roster(snapshot, inputs)
    paid_people = [p for p in result.payouts if p.total > 0]
    lines: list[PayLine] = []
    unmatched: list[Unmatched] = []
    taken: dict[str, str] = {}
    for p in paid_people:
        person = roster.get(p.name)
        eid = person.employee_id if person is not None else ""
        number = _file_number(eid) if eid else None
        if not eid:
            why = "has no employee id (ADP file number) on the roster"
        elif number is None:
            why = f"employee id {_show(eid)} is not an ADP file number (1 to 6 digits)"
        elif number in taken:
            why = f"file number {number} is {taken[number]}'s too"
        else:
            taken[number] = p.name
            left = p.total
            while left > 0:  # a check over ADP's largest amount goes on several rows
                part = min(left, ADP_MAX_LINE)
                lines.append(PayLine(p.name, number, None, "file number", part))
                left -= part
            continue
        unmatched.append(Unmatched(p.name, eid, p.total, why))
    rows: list[list[str | int | Decimal]] = []
    if (line := warning_line(result, snapshot)) is not None:
        rows.append([line])
    rows.append(list(ADP_HEADER))
    first_row = len(rows) + 1
    numbered: list[PayLine] = []
    for i, pay in enumerate(lines):
        rows.append([settings.company_code, settings.batch_id, pay.employee_id,
                     settings.earnings_code, _amount(pay.amount)])
        numbered.append(PayLine(pay.name, pay.employee_id, first_row + i, pay.matched_by,
                                pay.amount))
    return PayrollFile(adp_filename(result, settings, snapshot), csv_bytes(rows),
                       tuple(numbered), tuple(unmatched), (), (),
                       sum(p.total for p in paid_people))
