"""The Compare page's glue: the chosen sides computed, and tables styled for the screen."""

from __future__ import annotations

import pandas as pd
from pandas.io.formats.style import Styler

from tel.analysis.compare import LETTERS, Side, change_column
from tel.core.money import format_money
from tel.engine.quarter import NoBookedMonth, compute_scenario
from tel.io.store import Store, StoreError
from tel.rules.gates import MissingAging
from tel.ui.state import Work

WHATIF = "whatif"
MAX_ROWS = 1000  # per-person rows shown (the largest changes first when there are more)
_UP, _DOWN, _CHANGED = "background-color: #D9F2E6", "background-color: #F9DCD7", \
    "background-color: #FFF1C2"


def sides(store: Store, work: Work, picked: list[str], labels: dict[str, str]) -> list[Side]:
    """One comparison side per pick (``WHATIF`` or a version id as text) for the working
    quarter; a version in which that quarter is not booked gets a side without a result."""
    out: list[Side] = []
    quarter = work.quarter
    for letter, key in zip(LETTERS, picked, strict=False):
        label = f"{letter}: {labels[key]}"
        if key == WHATIF:
            out.append(Side(label, work.result))
            continue
        try:
            s = store.load_version(int(key))
            out.append(Side(label, compute_scenario(s, quarter)))
        except NoBookedMonth:
            out.append(Side(label, None, f"{quarter} is not booked in this version"))
        except MissingAging as exc:
            out.append(Side(label, None, str(exc)))
        except StoreError as exc:
            out.append(Side(label, None, str(exc)))
    return out


def styled_summary(text: pd.DataFrame, differs: pd.DataFrame) -> Styler:
    """The figures side by side; a figure that differs from A's is highlighted."""
    return text.style.apply(lambda _: differs.replace({True: _CHANGED, False: ""}), axis=None)


def _money(v: object) -> str:
    return "—" if pd.isna(v) else format_money(int(v))  # type: ignore[call-overload]


def _signed(v: object) -> str:
    if pd.isna(v):
        return "—"
    c = int(v)  # type: ignore[call-overload]
    return ("+" if c > 0 else "") + format_money(c)


def checks_view(frame: pd.DataFrame, labels: list[str]) -> tuple[Styler, int]:
    """Per-person checks as money, a check above A's in green, below in red, missing in
    amber, and each later column's change from A; at most ``MAX_ROWS`` rows (largest change
    in any column first). Returns the hidden count."""
    hidden = max(0, len(frame) - MAX_ROWS)
    changes = [change_column(i) for i in range(1, len(labels))]
    if hidden:
        size = (frame[changes].abs().fillna(0).max(axis=1) if changes
                else pd.Series(0, index=frame.index))
        frame = frame.loc[size.sort_values(ascending=False, kind="stable")
                          .index[:MAX_ROWS]].reset_index(drop=True)
    shown = frame.drop(columns=["differs"])

    def colour(row: pd.Series) -> list[str]:
        base = row[labels[0]]
        out = []
        for col in shown.columns:
            v = row[col]
            if col not in labels[1:]:
                out.append("")
            elif pd.isna(v) or pd.isna(base):
                out.append(_CHANGED)
            else:
                out.append(_UP if v > base else _DOWN if v < base else "")
        return out

    styler = shown.style.format(_money, subset=labels).apply(colour, axis=1)
    if changes:
        styler = styler.format(_signed, subset=changes)
    return styler, hidden


def change_columns(count: int) -> dict[str, str]:
    """Column headings of the change columns for ``count`` sides: ``Change B − A`` ..."""
    return {change_column(i): f"Change {LETTERS[i]} − A" for i in range(1, count)}
