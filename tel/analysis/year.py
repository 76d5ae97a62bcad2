"""The fiscal year read for people: the ledger quarter by quarter, the year's totals, each
person's checks, two plan variants over the same year, and what the figures are.

Pure: takes :class:`~tel.engine.year.YearResult` values, returns tables (money as cents, or
as text formatted by :func:`tel.core.money.format_money`) and small value objects.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

import pandas as pd

from tel.analysis.compare import Moves, moves
from tel.analysis.provenance import Provenance, of_months
from tel.core.models import PeopleChanges, Plan, Scenario
from tel.core.money import Cents, format_money
from tel.core.periods import Quarter
from tel.engine.quarter import QuarterResult
from tel.engine.year import YearResult

__all__ = ["ROW_HELP", "YearTotals", "compare_words", "compare_years", "find_people",
           "people_frame",
           "quarters_table", "total_cents", "total_row", "year_changes", "year_months",
           "year_provenance", "year_totals"]


def year_months(fiscal_year: int, fiscal_year_start: int) -> list[str]:
    """The twelve months (``YYYY-MM``) of a fiscal year, in order.

    >>> year_months(2026, 7)[:2], year_months(2026, 7)[-1]
    (['2025-07', '2025-08'], '2026-06')
    """
    return [f"{y:04d}-{m:02d}" for q in range(1, 5)
            for y, m in Quarter(fiscal_year, q).months(fiscal_year_start)]


# --------------------------------------------------------------------------- totals


@dataclass(frozen=True, slots=True)
class YearTotals:
    """A fiscal year's flows summed over its booked quarters, and its closing balances.
    Cents, except the counts."""

    months_booked: int
    gp: Cents
    min_gp_x_months: Cents
    tel_profit: Cents
    house: Cents
    staff_pool: Cents
    held_back: Cents
    released: Cents
    employer_tax: Cents
    paid_pool: Cents
    paid: Cents
    returned_to_house: Cents
    deferred_end: Cents  # staff pools still held by failed gates after the last quarter
    reserve_end: Cents  # holdbacks still in the reserve after the last quarter
    quarters_passed: int
    quarters: int
    people_paid: int  # people with a check in the year


def year_totals(year: YearResult) -> YearTotals:
    """Sum a year's quarters (flows) and keep its closing balances.

    >>> from datetime import date
    >>> from tel.core.models import Month, Person
    >>> from tel.engine.year import compute_year
    >>> ms = [Month(year=2026, month=m, gp=g, cash_on_hand=52000, ar_total=320000,
    ...             ar_90_plus=24000) for m, g in ((7, 69343), (8, 59343), (9, 73434))]
    >>> ann = Person(name="Ann", salary=60000, start_date=date(2020, 1, 1))
    >>> t = year_totals(compute_year(Plan(), [ann], ms, 2026))
    >>> t.tel_profit, t.house, t.staff_pool, t.paid, t.quarters_passed, t.people_paid
    (1612000, 403000, 1209000, 1209000, 1, 1)
    """
    qs = year.quarters
    last = qs[-1] if qs else None
    return YearTotals(
        months_booked=sum(len(r.months_booked) for r in qs),
        gp=sum(r.gp_total for r in qs),
        min_gp_x_months=sum(r.min_gp * len(r.months_booked) for r in qs),
        tel_profit=sum(r.tel_profit for r in qs),
        house=sum(r.house for r in qs),
        staff_pool=sum(r.staff_pool for r in qs),
        held_back=sum(r.held_back for r in qs),
        released=sum(r.released for r in qs),
        employer_tax=sum(r.employer_tax for r in qs),
        paid_pool=sum(r.paid_pool for r in qs),
        paid=year.paid,
        returned_to_house=year.returned_to_house,
        deferred_end=last.deferred_out if last else 0,
        reserve_end=last.reserve_out if last else 0,
        quarters_passed=sum(1 for r in qs if r.gates.passed),
        quarters=len(qs),
        people_paid=sum(1 for t in year.totals() if t),
    )


# --------------------------------------------------------------------------- quarter by quarter

Kind = Literal["money", "signed", "count", "text"]
YearCell = Callable[[YearResult, YearTotals], "int | str"]


def _gates(r: QuarterResult) -> str:
    if r.gates.passed:
        return "passed"
    failed = [name for ok, name in ((r.gates.cash_ok, "cash"), (r.gates.ar_ok, "A/R 90+"))
              if not ok]
    return "failed: " + ", ".join(failed)


def _first(attr: str) -> YearCell:
    return lambda y, _: int(getattr(y.quarters[0], attr)) if y.quarters else 0


def _last(attr: str) -> YearCell:
    return lambda y, _: int(getattr(y.quarters[-1], attr)) if y.quarters else 0


def _total(attr: str) -> YearCell:
    return lambda _, t: int(getattr(t, attr))


_ROWS: tuple[tuple[str, Callable[[QuarterResult], int | str], YearCell, Kind, str], ...] = (
    # label, the quarter's value, the year's value, kind, what it is
    ("Months booked", lambda r: len(r.months_booked), _total("months_booked"), "count",
     "Booked months of the quarter (the year: of its 12)."),
    ("Quarter GP", lambda r: r.gp_total, _total("gp"), "money", "Gross profit booked."),
    ("Min GP × months booked", lambda r: r.min_gp * len(r.months_booked),
     _total("min_gp_x_months"), "money", "What must be made before anything is shared."),
    ("GP over (under) Min GP", lambda r: r.gp_total - r.min_gp * len(r.months_booked),
     lambda _, t: t.gp - t.min_gp_x_months, "signed", "Quarter GP minus Min GP × months."),
    ("Shortfall carried in", lambda r: r.carry_in, _first("carry_in"), "signed",
     "An earlier quarter's unmade shortfall (carried in the fiscal year)."),
    ("TEL profit", lambda r: r.tel_profit, _total("tel_profit"), "money",
     "What spilled over the top, after the netting rule."),
    ("House", lambda r: r.house, _total("house"), "money", "Kept by the company."),
    ("Staff pool", lambda r: r.staff_pool, _total("staff_pool"), "money",
     "TEL profit minus the house share."),
    ("Gates", _gates, lambda _, t: f"{t.quarters_passed} of {t.quarters} passed", "text",
     "Cash and A/R 90+ on the quarter's last booked month."),
    ("Deferred in", lambda r: r.deferred_in, _first("deferred_in"), "money",
     "Staff pools held by earlier failed gates."),
    ("Deferred out", lambda r: r.deferred_out, _last("deferred_out"), "money",
     "Still held after this quarter."),
    ("Reserve carried in", lambda r: r.reserve_in, _first("reserve_in"), "money",
     "Holdbacks of earlier quarters not yet paid (the year: at its start)."),
    ("Held back", lambda r: r.held_back, _total("held_back"), "money",
     "Put in the reserve, paid with the fiscal fourth quarter."),
    ("Released", lambda r: r.released, _total("released"), "money",
     "The reserve paid out with a complete fourth quarter."),
    ("Reserve at the end", lambda r: r.reserve_out, _last("reserve_out"), "money",
     "Holdbacks not yet paid: reserve carried in + held back − released."),
    ("Available", lambda r: r.available, lambda y, _: sum(r.available for r in y.quarters),
     "money", "Staff pool + deferred in − held back + released."),
    ("Employer tax", lambda r: r.employer_tax, _total("employer_tax"), "money",
     "The employer's payroll tax, paid out of what was available."),
    ("Paid pool", lambda r: r.paid_pool, _total("paid_pool"), "money",
     "What was left for the checks."),
    ("Paid in checks", lambda r: r.paid, _total("paid"), "money", "The checks themselves."),
    ("Returned to house", lambda r: r.returned_to_house, _total("returned_to_house"), "money",
     "A forfeited pool, a pool nobody was eligible for, and what the caps took."),
    ("Shortfall carried out", lambda r: r.carry_out, _last("carry_out"), "signed",
     "Left for the next quarter of the same fiscal year to make up."),
    ("People paid", lambda r: sum(1 for p in r.payouts if p.total), _total("people_paid"),
     "count", "People with a check (the year: with any check)."),
)
ROW_HELP: dict[str, str] = {label: what for label, _, _, _, what in _ROWS}
"""What each row of :func:`quarters_table` is, for a tooltip or a legend."""


def _shown(value: int | str, kind: Kind) -> str:
    if isinstance(value, str):
        return value
    if kind == "money":
        return format_money(value)
    if kind == "signed":
        return ("+" if value > 0 else "") + format_money(value)
    return f"{value:,}"


def quarters_table(year: YearResult, *, text: bool = True) -> pd.DataFrame:
    """The ledger quarter by quarter: one row per figure, one column per booked quarter, and
    a ``Year`` column (flows summed; balances carried in from the first quarter, carried out
    of the last). ``text`` formats money; otherwise money stays in cents.

    >>> from datetime import date
    >>> from tel.core.models import Month, Person
    >>> from tel.engine.year import compute_year
    >>> ms = [Month(year=2026, month=m, gp=g, cash_on_hand=52000, ar_total=320000,
    ...             ar_90_plus=24000) for m, g in ((7, 69343), (8, 59343), (9, 73434))]
    >>> ann = Person(name="Ann", salary=60000, start_date=date(2020, 1, 1))
    >>> t = quarters_table(compute_year(Plan(), [ann], ms, 2026))
    >>> t.columns.tolist(), t.loc["TEL profit"].tolist(), t.loc["Gates", "Year"]
    (['2026-Q3', 'Year'], ['$16,120.00', '$16,120.00'], '1 of 1 passed')
    """
    totals = year_totals(year)
    columns = [r.quarter for r in year.quarters] + ["Year"]
    frame = pd.DataFrame(index=[row[0] for row in _ROWS], columns=columns, dtype=object)
    for label, value, whole, kind, _ in _ROWS:
        cells: list[int | str] = [value(r) for r in year.quarters] + [whole(year, totals)]
        if label == "Months booked" and text:
            cells = [*(f"{c} of 3" for c in cells[:-1]), f"{cells[-1]} of 12"]
        frame.loc[label] = [_shown(c, kind) if text else c for c in cells]
    return frame


# --------------------------------------------------------------------------- people


def people_frame(year: YearResult) -> pd.DataFrame:
    """Each person's check per quarter and the year's total, in dollars (exact cents / 100),
    in roster order: ``name``, ``department``, one column per quarter, ``total``."""
    data: dict[str, object] = {
        "name": year.names,
        "department": [p.department for p in year.quarters[0].payouts] if year.quarters else [],
    }
    cents: dict[str, tuple[Cents, ...]] = {
        r.quarter: tuple(p.total for p in r.payouts) for r in year.quarters}
    cents["total"] = tuple(year.totals())
    for column, values in cents.items():
        data[column] = [c / 100 for c in values]  # float ok: shown, never summed
    frame = pd.DataFrame(data)
    # the exact cents, by roster position (the frame's index), for sums of any of its rows;
    # pandas carries attrs through row selections such as find_people
    frame.attrs["cents"] = cents
    return frame


def find_people(people: pd.DataFrame, text: str) -> pd.DataFrame:
    """The rows of a :func:`people_frame` whose name or department contains ``text`` (case
    and surrounding spaces ignored; blank: every row).

    >>> f = pd.DataFrame({"name": ["Ann", "Bob"], "department": ["Ops", "Dev"]})
    >>> find_people(f, " dev ")["name"].tolist(), len(find_people(f, ""))
    (['Bob'], 2)
    """
    wanted = text.strip().casefold()
    if not wanted:
        return people
    keep = (people["name"].str.casefold().str.contains(wanted, regex=False)
            | people["department"].str.casefold().str.contains(wanted, regex=False))
    return people[keep]


def total_cents(people: pd.DataFrame, column: str = "total") -> Cents:
    """The exact sum of a :func:`people_frame` column (or of some of its rows), in cents:
    from the integer cents the frame carries, never from its dollars."""
    exact: tuple[Cents, ...] = people.attrs["cents"][column]
    return sum(exact[i] for i in people.index)


def total_row(people: pd.DataFrame, label: str) -> pd.DataFrame:
    """One row with the same columns as ``people`` (a :func:`people_frame`, or some of its
    rows): ``name`` is ``label``, every money column its exact sum in dollars."""
    row: dict[str, object] = {"name": [label], "department": [""]}
    for column in people.columns[2:]:
        row[column] = [total_cents(people, column) / 100]
    return pd.DataFrame(row, columns=people.columns)


# --------------------------------------------------------------------------- two variants


def year_changes(before: YearResult, after: YearResult) -> tuple[list[str], list[Cents],
                                                                 list[Cents]]:
    """``(names, before_totals, after_totals)`` for the people in both years, in the first
    year's roster order: :func:`tel.analysis.compare.changes` for a whole year."""
    now = dict(zip(after.names, after.totals(), strict=True))
    pairs = [(n, t) for n, t in zip(before.names, before.totals(), strict=True) if n in now]
    return [n for n, _ in pairs], [t for _, t in pairs], [now[n] for n, _ in pairs]


_COMPARED: tuple[tuple[str, str], ...] = (
    ("TEL profit", "tel_profit"), ("House", "house"), ("Staff pool", "staff_pool"),
    ("Held back", "held_back"), ("Released", "released"), ("Employer tax", "employer_tax"),
    ("Paid pool", "paid_pool"), ("Paid in checks", "paid"),
    ("Returned to house", "returned_to_house"), ("Deferred at the end", "deferred_end"),
    ("Reserve at the end", "reserve_end"),
)


def compare_years(a: YearResult, b: YearResult, labels: tuple[str, str] = ("A", "B"),
                  top: int = 5) -> tuple[pd.DataFrame, Moves]:
    """Two years of the same data side by side: a text table of the year's pools (one row
    per figure; columns the two labels and ``Change``) and who gains and who loses on their
    year's total (:func:`tel.analysis.compare.moves`)."""
    ta, tb = year_totals(a), year_totals(b)
    rows = []
    for label, attr in _COMPARED:
        va, vb = int(getattr(ta, attr)), int(getattr(tb, attr))
        rows.append((label, format_money(va), format_money(vb), _shown(vb - va, "signed")
                     if vb != va else "—"))
    rows.append(("Gates passed", f"{ta.quarters_passed} of {ta.quarters}",
                 f"{tb.quarters_passed} of {tb.quarters}", "—"))
    table = pd.DataFrame(rows, columns=["figure", labels[0], labels[1], "Change"])
    return table.set_index("figure"), moves(*year_changes(a, b), top=top)


def compare_words(provenance: Provenance) -> str:
    """What the two columns of :func:`compare_years` are, for the figures ``provenance`` says
    A is: B always changes one design choice, so it is never the books.

    >>> books = Provenance(kind="books", tag="As booked", detail="")
    >>> compare_words(books)
    'A is the books as loaded; B changes one design choice: a what-if, not the books.'
    >>> print(compare_words(Provenance(kind="whatif", tag="What-if", detail="")))
    A is this page's what-if, not the books; B changes one more design choice on top of it.
    """
    if provenance.is_books:
        return "A is the books as loaded; B changes one design choice: a what-if, not the books."
    what = provenance.tag[:1].lower() + provenance.tag[1:]
    return (f"A is this page's {what}, not the books; B changes one more design choice on "
            "top of it.")


# --------------------------------------------------------------------------- provenance


def year_provenance(base: Scenario, plan: Plan, gp: Mapping[str, Decimal],
                    fiscal_year: int, people: PeopleChanges | None = None) -> Provenance:
    """What a fiscal year's working figures are: the books, a what-if, or a what-if with GP
    assumed for months not booked. A GP change in an earlier month counts too: the ledger
    carries deferred pools and the reserve into the year.

    >>> from tel.core.models import Month
    >>> from tel.core.policy import Netting
    >>> m = Month(year=2026, month=10, gp=66500, cash_on_hand=9, ar_total=5, ar_90_plus=1)
    >>> base = Scenario.model_construct(plan=Plan(), months=(m,), roster=())
    >>> year_provenance(base, Plan(), {}, 2026).tag
    'As booked'
    >>> p = year_provenance(base, Plan(netting=Netting(mode="monthly_floor")), {}, 2026)
    >>> p.tag, p.detail
    ('What-if', 'Not the books: plan changed: netting monthly_floor (loaded quarter).')
    """
    months = year_months(fiscal_year, plan.fiscal_year_start)
    earlier = [m.label for m in base.months if m.label <= months[-1]]
    return of_months(base, plan, gp, months, earlier, people)
