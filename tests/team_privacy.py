"""What "no roster name and no salary reached the page" means, shared by the AppTest and the
browser tests of the team audience.

A leak is a name or salary form of the roster found in what the page sent, and NOT found in
what the same page sent for an anonymous roster (same tenure and flags, other names and
salaries). That way a salary that happens to equal a company figure (a $50,000 salary next to
the $50,000 minimum cash) is not mistaken for a leak, exactly as ``tests/test_team.py`` does.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"


@dataclass(frozen=True)
class Row:
    name: str
    salary: Decimal


def roster_rows(path: Path) -> list[Row]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return [Row(r["name"].strip(), Decimal(r["salary"])) for r in csv.DictReader(f)]


def anonymous_copy(path: Path, target: Path) -> Path:
    """The roster with every name and salary replaced; tenure, flags and order kept."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        fields = list(reader.fieldnames or [])
        rows = list(reader)
    out = io.StringIO()
    writer = csv.DictWriter(out, fields, lineterminator="\n")
    writer.writeheader()
    for i, r in enumerate(rows):
        writer.writerow({**r, "name": anonymous_name(i), "salary": str(11_111 + i)})
    target.write_text(out.getvalue(), encoding="utf-8")
    return target


def anonymous_name(i: int) -> str:
    return f"Placeholder {i}"


def _escaped(s: str) -> list[str]:
    """Also the JSON-escaped spelling (a figure's JSON writes é as \\u00e9)."""
    esc = json.dumps(s)[1:-1]
    return [s, esc] if esc != s else [s]


def name_forms(name: str) -> list[str]:
    """The whole name and each part of at least four characters, case-folded."""
    parts = [p for p in re.split(r"[\s,]+", name) if len(p) >= 4]
    return [f for s in [name, *parts] for f in _escaped(s.casefold())]


def salary_forms(salary: Decimal) -> list[str]:
    """'65000' and '65,000' (the cents form 6500000 contains the first)."""
    whole = int(salary)
    forms = [str(whole), f"{whole:,}"]
    if salary != whole:
        forms.append(f"{salary:.2f}")
    return forms


def forms(row: Row) -> list[str]:
    return [*name_forms(row.name), *salary_forms(row.salary)]


def leaks(text: str, reference: str, rows: list[Row], exempt: set[str] | None = None) -> list[str]:
    """Roster forms in ``text`` that ``reference`` (the anonymous roster's page) lacks.
    ``exempt``: names whose forms may appear (the holder of a personal link), and with them
    every form they share with someone else (a colleague with the same first name)."""
    text, reference = text.casefold(), reference.casefold()
    own = {f.casefold() for row in rows if exempt and row.name in exempt for f in forms(row)}
    found = []
    for row in rows:
        found += [f for f in forms(row) if f.casefold() not in own
                  and appears(f, text) and not appears(f, reference)]
    return found


def appears(form: str, text: str) -> bool:
    """``form`` in ``text`` as a word or a whole figure: not inside a longer word, number or
    hex hash ("91500" inside the message hash "e91500b8" is no salary; "Tran" inside
    "transform" is no name). ``text`` is already case-folded."""
    f = form.casefold()
    if f not in text:  # cheap test first: most forms are nowhere
        return False
    return re.search(r"(?<![\w.,])" + re.escape(f) + r"(?![\w]|,\d)", text) is not None


def strict_leaks(text: str, rows: list[Row]) -> list[str]:
    """Every roster form in ``text``, coincidence or not: for pages that show no figures."""
    low = text.casefold()
    return [f for row in rows for f in forms(row) if appears(f, low)]


def leaked_texts(text: str, private: list[str]) -> list[str]:
    """The ``private`` texts (another person's note of thanks, answers to the pulse) found in
    ``text`` as sent: as written, JSON-escaped, or Markdown-escaped (as the pages send them),
    case-folded."""
    low = text.casefold()
    found = []
    for item in private:
        md = re.sub(r"([\\`*_{}\[\]()<>#+\-.!|~$:=&/])", r"\\\1", item)
        spellings = {*_escaped(item.casefold()), *_escaped(md.casefold())}
        if any(s in low for s in spellings):
            found.append(item)
    return found
