"""Several scenarios side by side for one quarter: the pools and every person's check.

Pure: takes computed results, returns tables (money as cents, or as text formatted by
:func:`tel.core.money.format_money`). The first side, ``A``, is the reference every other side is
compared with.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from tel.core.money import Cents, format_money
from tel.engine.quarter import QuarterResult

__all__ = ["LETTERS", "Move", "Moves", "Side", "change_column", "changes", "changes_from_first",
           "checks_frame", "moves", "moves_frame", "summary_frame"]

LETTERS = "ABCDEFGH"


@dataclass(frozen=True, slots=True)
class Side:
    """One column of a comparison: a label, and its result (``None`` with ``problem`` when the
    quarter cannot be computed for it, e.g. it is not booked in that scenario)."""

    label: str
    result: QuarterResult | None
    problem: str = ""


def _gates(r: QuarterResult) -> str:
    if r.gates.passed:
        return "passed"
    checks = ((r.gates.cash_ok, "cash"), (r.gates.ar_ok, "A/R 90+"))
    failed = [name for ok, name in checks if not ok]
    return "failed: " + ", ".join(failed)


def _signed(cents: Cents) -> str:
    return ("+" if cents > 0 else "") + format_money(cents)


_ROWS: tuple[tuple[str, Callable[[QuarterResult], int | str], bool], ...] = (
    # label, value, is money
    ("Min GP / month", lambda r: r.min_gp, True),
    ("Quarter GP", lambda r: r.gp_total, True),
    ("TEL profit", lambda r: r.tel_profit, True),
    ("House", lambda r: r.house, True),
    ("Staff pool", lambda r: r.staff_pool, True),
    ("Team pool", lambda r: r.team_pool, True),
    ("Merit pool", lambda r: r.merit_pool, True),
    ("Gates", _gates, False),
    ("Eligible people", lambda r: r.eligible_count, False),
    ("Paid in all", lambda r: r.paid, True),
    ("Average check", lambda r: r.average_check if r.gates.passed else 0, True),
)


def summary_frame(sides: Sequence[Side]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(text, differs)``: one row per figure, one column per side. A figure that differs
    from side A's carries the difference, e.g. ``$13,000.00 (+$910.00)``; ``differs`` says
    which cells differ from A (for highlighting).

    >>> from tel.engine.quarter import compute_quarter
    >>> from tel.core.models import Month, Person, Plan
    >>> from tel.core.periods import Quarter
    >>> from datetime import date
    >>> ms = [Month(year=2026, month=m, gp=g, cash_on_hand=52000, ar_total=320000,
    ...             ar_90_plus=24000) for m, g in ((7, 69343), (8, 59343), (9, 73434))]
    >>> ann = Person(name="Ann", salary=60000, start_date=date(2020, 1, 1))
    >>> a = compute_quarter(Plan(), [ann], ms, Quarter(2026, 3))
    >>> b = compute_quarter(Plan(house_pct=30), [ann], ms, Quarter(2026, 3))
    >>> text, differs = summary_frame([Side("A", a), Side("B", b)])
    >>> text.loc["Staff pool"].tolist(), differs.loc["Staff pool"].tolist()
    (['$12,090.00', '$11,284.00 (-$806.00)'], [False, True])
    """
    labels = [s.label for s in sides]
    text = pd.DataFrame(index=[r[0] for r in _ROWS], columns=labels, dtype=object)
    differs = pd.DataFrame(False, index=text.index, columns=labels)
    base = sides[0].result if sides else None
    for side in sides:
        for name, value, is_money in _ROWS:
            if side.result is None:
                text.loc[name, side.label] = "—"
                continue
            v = value(side.result)
            shown = format_money(int(v)) if is_money else (f"{v:,}" if isinstance(v, int) else v)
            if base is not None and side is not sides[0]:
                b = value(base)
                if v != b:
                    differs.loc[name, side.label] = True
                    if isinstance(v, int) and isinstance(b, int):
                        delta = v - b
                        shown += f" ({_signed(delta) if is_money else f'{delta:+,}'})"
            text.loc[name, side.label] = shown
    return text, differs


def checks_frame(sides: Sequence[Side], *, changed_only: bool = False) -> pd.DataFrame:
    """Every person's check under each side, in cents (``NaN``: not on that roster).

    Columns: ``name``, ``department``, one per side label, then one change column per later
    side (``change_B`` = the second side minus the first, ``change_C`` = the third minus the
    first, ...: see :func:`change_column`) and ``differs`` (any side's check differs from the
    first side's, a person missing from a roster included). People appear in the first
    side's roster order, then anyone only on later rosters. ``changed_only`` keeps only the
    rows that differ.
    """
    order: dict[str, str] = {}
    checks: list[dict[str, Cents]] = []
    for side in sides:
        mine: dict[str, Cents] = {}
        if side.result is not None:
            for p in side.result.payouts:
                order.setdefault(p.name, p.department)
                mine[p.name] = p.total
        checks.append(mine)
    names = list(order)
    data: dict[str, object] = {"name": names, "department": [order[n] for n in names]}
    for side, mine in zip(sides, checks, strict=True):
        data[side.label] = pd.array([mine.get(n) for n in names], dtype="Int64")
    frame = pd.DataFrame(data)
    cents = [frame[s.label] for s in sides]
    for i in range(1, len(sides)):
        frame[change_column(i)] = cents[i] - cents[0]
    differs = pd.Series(False, index=frame.index)
    for col in cents[1:]:
        differs |= (col != cents[0]).fillna(True)
    if sides and len(sides) >= 2:
        differs |= cents[0].isna()
    frame["differs"] = differs.astype(bool)
    if changed_only:
        frame = frame[frame["differs"]].reset_index(drop=True)
    return frame


def change_column(index: int) -> str:
    """The name of the change column of side ``index`` (1 for the second side) in
    :func:`checks_frame`.

    >>> change_column(1), change_column(3)
    ('change_B', 'change_D')
    """
    return f"change_{LETTERS[index]}"


def changes_from_first(
    sides: Sequence[Side],
) -> tuple[list[str], list[Cents], list[list[Cents | None] | None]]:
    """``(names, first_cents, later)`` for the chart of who gains and who loses against the
    first side: the people on the first side's roster in its order, their checks there, and
    for each later side their checks there (``None`` for someone not on that roster; the
    whole entry ``None`` when that side has no result). The input of
    :func:`tel.render.figures.check_changes_by_column`."""
    if not sides or sides[0].result is None:
        return [], [], [None] * max(0, len(sides) - 1)
    base = {p.name: p.total for p in sides[0].result.payouts}
    names = list(base)
    later: list[list[Cents | None] | None] = []
    for side in sides[1:]:
        if side.result is None:
            later.append(None)
            continue
        mine = {p.name: p.total for p in side.result.payouts}
        later.append([mine.get(n) for n in names])
    return names, [base[n] for n in names], later


def changes(
    before: QuarterResult, after: QuarterResult
) -> tuple[list[str], list[Cents], list[Cents]]:
    """``(names, before_cents, after_cents)`` for the people on both rosters, in the first
    roster's order: the input of :func:`tel.render.figures.check_changes`."""
    then = {p.name: p.total for p in before.payouts}
    now = {p.name: p.total for p in after.payouts}
    names = [n for n in then if n in now]
    return names, [then[n] for n in names], [now[n] for n in names]


@dataclass(frozen=True, slots=True)
class Move:
    """One person's check before and after a change (cents)."""

    name: str
    before: Cents
    after: Cents

    @property
    def change(self) -> Cents:
        return self.after - self.before


@dataclass(frozen=True, slots=True)
class Moves:
    """Who gains and who loses: the counts, and the largest moves each way."""

    gains: int
    losses: int
    unchanged: int
    up: tuple[Move, ...]  # largest gain first
    down: tuple[Move, ...]  # largest loss first

    @property
    def moved(self) -> bool:
        return bool(self.gains or self.losses)

    def words(self) -> str:
        """``2 gain, 1 loses, 11 unchanged``."""
        return (f"{self.gains:,} gain{'s' if self.gains == 1 else ''}, "
                f"{self.losses:,} lose{'s' if self.losses == 1 else ''}, "
                f"{self.unchanged:,} unchanged")


def moves(names: Sequence[str], before: Sequence[Cents], after: Sequence[Cents],
          top: int = 5) -> Moves:
    """Count gainers, losers and the unchanged, and keep the ``top`` largest moves each way
    (ties in roster order). The input is :func:`changes` (or a year's totals).

        change = after - before

    >>> m = moves(["Ann", "Bob", "Cy", "Di"], [100, 200, 300, 400], [150, 200, 250, 500], top=1)
    >>> m.gains, m.losses, m.unchanged, [x.name for x in m.up], [x.change for x in m.down]
    (2, 1, 1, ['Di'], [-50])
    """
    if not len(names) == len(before) == len(after):
        raise ValueError("names, before and after must have the same length")
    rows = [Move(n, int(b), int(a)) for n, b, a in zip(names, before, after, strict=True)]
    ups = sorted((r for r in rows if r.change > 0), key=lambda r: -r.change)
    downs = sorted((r for r in rows if r.change < 0), key=lambda r: r.change)
    return Moves(gains=len(ups), losses=len(downs),
                 unchanged=len(rows) - len(ups) - len(downs),
                 up=tuple(ups[:top]), down=tuple(downs[:top]))


def moves_frame(rows: Sequence[Move]) -> pd.DataFrame:
    """A table of moves as text: ``name``, ``before``, ``after``, ``change`` (signed).

    >>> moves_frame([Move("Ann", 100000, 112050)]).iloc[0].tolist()
    ['Ann', '$1,000.00', '$1,120.50', '+$120.50']
    """
    return pd.DataFrame({
        "name": [r.name for r in rows],
        "before": [format_money(r.before) for r in rows],
        "after": [format_money(r.after) for r in rows],
        "change": [_signed(r.change) for r in rows],
    }, columns=["name", "before", "after", "change"])
