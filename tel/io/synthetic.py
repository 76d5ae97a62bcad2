"""Deterministic synthetic rosters for sample data, tests and benchmarks.

The same ``(n, seed, as_of)`` always gives the same people in the same order, on every
machine and Python version: only ``random.Random`` integer draws are used (its algorithm
for ``randrange``/``choices`` on integer inputs is stable), never set or dict ordering.

The mix is chosen so every eligibility rule has people on both sides at ``as_of``:
a few owners, contractors, part-timers, recent hires (under nine months), people who
start after ``as_of``, people who leave before or after the pay date, and tenures up to
about 25 years.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from itertools import accumulate
from pathlib import Path
from typing import TextIO

from tel.core.models import Employment, Person
from tel.io.loaders import ROSTER_COLUMNS

__all__ = ["ROSTER_COLUMNS", "make_roster", "roster_csv_text", "write_roster_csv"]



def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_FIRST = _words(
    "Aaliyah Adam Alicia Amelie Andre Angela Anh Beau Brandon Brittany Camille Carlos Cecile "
    "Chantal Chris Claire Cody Colette Dana Darnell DeShawn Denise Dominique Elena Emile Eric "
    "Evangeline Felix Gabrielle Grace Hector Hugo Imani Isabelle Jacques Jamal Jasmine Jean "
    "Jordan Joseph Josée Julien Kayla Keisha Kim Lamar Laura Lucien Luis Madeleine Marc Maria "
    "Marisol Maurice Michelle Monique Nadia Noah Olivia Omar Pascal Patrick Paul Priya Quinn "
    "Rachel Raymond Renée Rosa Sam Sara Simone Sophie Tanya Terrence Thomas Travis Trinh Valerie "
    "Victor Vivian Walter Wesley Yvette Zoe"
)
_LAST = _words(
    "Ardoin Arceneaux Babin Badeaux Bergeron Boudreaux Bourgeois Breaux Broussard Cormier "
    "Delgado Domingue Doucet Dupré Fontenot Fuselier Gautreaux Guidry Guillory Hébert Himel "
    "Johnson Jones Landry LeBlanc Lejeune Mire Melancon Mouton Nguyen Ortego Patel Pham "
    "Prejean Richard Robichaux Roy Savoie Schexnayder Sonnier Stelly Thibodeaux Thomas Tran "
    "Trahan Vidrine Washington Williams Zeringue"
)

# department -> (roster share in percent, salary range in dollars)
_DEPARTMENTS: dict[str, tuple[int, tuple[int, int]]] = {
    "Service Desk": (34, (36_000, 62_000)),
    "Field Services": (24, (40_000, 70_000)),
    "Projects": (20, (60_000, 125_000)),
    "Admin": (8, (38_000, 85_000)),
    "Inventory": (6, (35_000, 55_000)),
    "Sales": (8, (45_000, 110_000)),
}
_DEPT_NAMES = tuple(_DEPARTMENTS)
_DEPT_CUM = tuple(accumulate(share for share, _ in _DEPARTMENTS.values()))
_PERFORMANCE = ("1", "1", "1", "1", "1", "1", "1", "0.9", "1.1", "1.2", "0.8", "1.25")


def make_roster(n: int, seed: int = 0, as_of: date = date(2026, 9, 30)) -> tuple[Person, ...]:
    """``n`` believable people with unique names, judged around ``as_of`` (a quarter's end).

    Roughly: owners 1 in 300 (at least one from five people), contractors 6%, part-time 7%,
    hired within the last nine months 12%, starting after ``as_of`` 1%, leaving 5%
    (within the quarter, before the pay date about 45 days later, or after it).

    >>> r = make_roster(5, seed=1)
    >>> len(r), len({p.name for p in r}), r == make_roster(5, seed=1), sum(p.owner for p in r)
    (5, 5, True, 1)
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    rng = random.Random(seed)
    owners = max(1, n // 300) if n >= 5 else 0
    owner_rows = set(rng.sample(range(n), owners)) if owners else set()
    taken: set[str] = set()
    people: list[Person] = []
    for i in range(n):
        name = _unique_name(rng, taken)
        dept = _department(rng)
        lo, hi = _DEPARTMENTS[dept][1]
        salary = Decimal(rng.randrange(lo, hi + 1, 250))
        owner = i in owner_rows
        start, end = _tenure(rng, as_of, owner)
        contractor = not owner and rng.randrange(100) < 6
        part_time = not owner and rng.randrange(100) < 7
        people.append(
            Person(
                name=name,
                salary=salary * 2 if owner else salary,
                start_date=start,
                end_date=end,
                employment=Employment.CONTRACTOR if contractor else Employment.W2,
                full_time=not part_time,
                owner=owner,
                performance=Decimal(rng.choice(_PERFORMANCE)),
                department=dept,
            )
        )
    return tuple(people)


def _unique_name(rng: random.Random, taken: set[str]) -> str:
    first, last = rng.choice(_FIRST), rng.choice(_LAST)
    name = f"{first} {last}"
    if name in taken:  # then a middle initial, then a number: always terminates
        name = f"{first} {chr(65 + rng.randrange(26))}. {last}"
    k = 2
    base = name
    while name in taken:
        name, k = f"{base} {k}", k + 1
    taken.add(name)
    return name


def _department(rng: random.Random) -> str:
    roll = rng.randrange(_DEPT_CUM[-1])
    return next(d for d, c in zip(_DEPT_NAMES, _DEPT_CUM, strict=True) if roll < c)


def _tenure(rng: random.Random, as_of: date, owner: bool) -> tuple[date, date | None]:
    roll = rng.randrange(100)
    if owner:
        start = as_of - timedelta(days=rng.randrange(8 * 365, 25 * 365))
    elif roll < 12:  # recent hire: under nine months at as_of
        start = as_of - timedelta(days=rng.randrange(0, 270))
    elif roll < 13:  # hired, starts after the quarter
        start = as_of + timedelta(days=rng.randrange(1, 60))
    else:  # tenure skewed short, as in a growing firm: min of two draws
        days = min(rng.randrange(270, 25 * 365), rng.randrange(270, 25 * 365))
        start = as_of - timedelta(days=days)
    end: date | None = None
    leave = rng.randrange(100)
    if not owner and leave < 5:
        # 0-1: left within the quarter; 2-3: before the pay date (~45 days); 4: after it
        offset = (-rng.randrange(0, 80), rng.randrange(1, 46), rng.randrange(46, 120))[
            (0, 0, 1, 1, 2)[leave]
        ]
        end = max(start, as_of + timedelta(days=offset))
    return start, end


def _row(p: Person) -> list[str]:
    return [
        p.name,
        str(p.salary),
        p.start_date.isoformat(),
        p.end_date.isoformat() if p.end_date else "",
        p.employment.value,
        "true" if p.full_time else "false",
        "true" if p.owner else "false",
        str(p.performance),
        p.department,
    ]


def roster_csv_text(roster: Iterable[Person]) -> str:
    """The roster in the spec's section-8 CSV format (``\\n`` line ends, header first),
    with an ``employee_id`` column after them when anyone has an id.

    >>> print(roster_csv_text([Person(name="Broussard, Luc", salary=58000,
    ...                                start_date=date(2019, 8, 19))]), end="")
    name,salary,start_date,end_date,employment,full_time,owner,performance,department
    "Broussard, Luc",58000,2019-08-19,,w2,true,false,1,
    >>> print(roster_csv_text([Person(name="Ann Lee", salary=58000, employee_id="000123",
    ...                                start_date=date(2019, 8, 19))]), end="")
    name,salary,start_date,end_date,employment,full_time,owner,performance,department,employee_id
    Ann Lee,58000,2019-08-19,,w2,true,false,1,,000123
    """
    people = list(roster)
    ids = any(p.employee_id for p in people)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([*ROSTER_COLUMNS, *["employee_id"] * ids])
    writer.writerows([*_row(p), *[p.employee_id] * ids] for p in people)
    return buf.getvalue()


def write_roster_csv(roster: Iterable[Person], out: Path | str | TextIO) -> None:
    """Write the roster as section-8 CSV to a path (UTF-8) or an open text stream."""
    text = roster_csv_text(roster)
    if isinstance(out, (str, Path)):
        Path(out).write_text(text, encoding="utf-8", newline="")
    else:
        out.write(text)
