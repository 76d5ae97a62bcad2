"""Small rendering helpers shared by pages: KPIs, gates, percentages, the source note."""

from __future__ import annotations

import gc
import sys
from decimal import Decimal
from typing import Any

import streamlit as st

from tel.money import Cents, format_money
from tel.quarter import QuarterResult


def pct(value: Decimal | float, places: int = 1) -> str:
    """``Decimal('25') -> '25%'``, ``7.5 -> '7.5%'`` (trailing zeros dropped)."""
    text = f"{float(value):.{places}f}".rstrip("0").rstrip(".")
    return f"{text}%"


def money(cents: Cents) -> str:
    return format_money(cents)


def delta(cents: Cents) -> str | None:
    """A metric's delta: nothing when nothing changed (no arrow next to $0.00)."""
    return format_money(cents) if cents else None


def kpi_row(items: list[tuple[str, str, str | None]], per_row: int = 3) -> None:
    """Bordered metrics, ``per_row`` to a row so full dollars-and-cents fit on a projector."""
    for start in range(0, len(items), per_row):
        chunk = items[start:start + per_row]
        for col, (label, value, help_text) in zip(st.columns(per_row), chunk, strict=False):
            col.metric(label, value, help=help_text, border=True)


def quarter_kpis(result: QuarterResult) -> None:
    months = len(result.months_booked)
    gp_help = f"{months} of 3 months booked" if months < 3 else "Three booked months"
    kpi_row([
        ("Min GP / month", money(result.min_gp), "Overhead + debt service + owner retention "
         "+ net-income retention: what must be made each month before anything is shared."),
        ("Quarter GP", money(result.gp_total), gp_help),
        ("TEL profit", money(result.tel_profit), "Quarter GP above months x Min GP; a weak "
         "month is made up by strong ones."),
        ("Staff pool", money(result.staff_pool), "TEL profit minus the house share."),
        ("Eligible people", f"{result.eligible_count}", None),
        ("Average check", money(result.average_check) if result.gates.passed else "$0.00",
         "Staff pool paid / eligible people" if result.gates.passed
         else "A gate failed: nothing is paid this quarter."),
    ])


def gates_panel(result: QuarterResult) -> None:
    g = result.gates
    st.markdown(f"**Gates** (checked on {g.month}, the quarter's last booked month)")
    for ok, text in ((g.cash_ok, g.cash_text()), (g.ar_ok, g.ar_text())):
        (st.success if ok else st.error)(
            text, icon=":material/check_circle:" if ok else ":material/block:")
    if not g.passed:
        st.warning("A gate failed, so nothing is paid this quarter. The pools are shown so "
                   "everyone sees what was at stake.")


def quarter_caption(result: QuarterResult) -> str:
    booked = ", ".join(result.months_booked)
    status = "complete" if result.complete else "quarter to date"
    return f"{result.quarter} ({status}: {booked}) · paid on {result.pay_date:%A %d %B %Y}"


def _as_widget(value: Decimal | int, integer: bool) -> int | float:
    return int(value) if integer else float(value)


def knob(
    name: str,
    label: str,
    *,
    kind: str = "slider",
    min_value: float,
    max_value: float,
    step: float,
    help: str,
    fmt: str | None = None,
) -> None:
    """One plan knob bound to the working what-if. The widget mirrors the state (so a reset or
    a shared link shows), and a change goes back through validation in ``state.update_plan``."""
    from tel.ui import state  # local: widgets must not import state at module load in tests

    key = f"knob.{name}"
    integer = isinstance(step, int)
    wanted = _as_widget(getattr(state.current().plan, name), integer)
    if st.session_state.get(key) != wanted:
        st.session_state[key] = wanted

    def _apply() -> None:
        raw = st.session_state[key]
        value: int | Decimal = int(raw) if integer else Decimal(str(round(float(raw), 4)))
        problems = state.update_plan(**{name: value})
        if problems:
            st.session_state["knob.problem"] = f"{label}: {problems[0]}"

    widget: Any = st.slider if kind == "slider" else st.number_input  # same keywords for both
    widget(label, min_value=min_value, max_value=max_value, step=step, format=fmt, key=key,
           on_change=_apply, help=help)


_modules_frozen = 0  # len(sys.modules) at the last freeze: process-wide, no per-user data


def keep_reruns_fast() -> None:
    """Take what the imports built out of the garbage collector's sight, once per process.

    Streamlit runs a full ``gc.collect(2)`` after every script run (``runner.postScriptGC``),
    and it runs before the browser hears that the run finished. A full collection walks every
    tracked object: with streamlit, pandas, plotly and pydantic imported that is ~130,000 objects
    and tens of milliseconds on every slider move, more than the page itself costs.
    ``gc.freeze()`` moves the objects alive now to a permanent generation the collector
    skips; they are still freed by reference counting. Call it at the top of a page: it does
    the work only when modules were imported since the last call (plotly loads its classes
    lazily), so after the first few runs it is one comparison.
    """
    global _modules_frozen
    if len(sys.modules) != _modules_frozen:
        gc.collect()
        gc.freeze()
        _modules_frozen = len(sys.modules)
