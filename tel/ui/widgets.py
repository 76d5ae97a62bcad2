"""Small rendering helpers shared by pages: KPIs, gates, percentages, the source note."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import streamlit as st

from tel.analysis.provenance import Provenance
from tel.core.models import Plan
from tel.core.money import Cents, format_money
from tel.core.periods import Quarter
from tel.engine.quarter import QuarterResult
from tel.render import figures
from tel.ui.text import md


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
    """``kpi_grid`` for plain (label, value, help) metrics without deltas."""
    kpi_grid([Kpi(label, value, help=help_text) for label, value, help_text in items], per_row)


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


def gates_panel(result: QuarterResult, provenance: Provenance | None = None) -> None:
    g = result.gates
    if provenance is not None and g.month in provenance.assumed:
        st.markdown(f"**Gates** (checked on {g.month}, an assumed month: its cash and A/R are "
                    "carried from the last booked month)")
    else:
        st.markdown(f"**Gates** (checked on {g.month}, the quarter's last booked month)")
    for ok, text in ((g.cash_ok, g.cash_text()), (g.ar_ok, g.ar_text())):
        (st.success if ok else st.error)(
            text, icon=":material/check_circle:" if ok else ":material/block:")
    if not g.passed:
        st.warning("A gate failed, so nothing is paid this quarter. The pools are shown so "
                   "everyone sees what was at stake.")


def quarter_caption(result: QuarterResult, provenance: Provenance | None = None,
                    plan: Plan | None = None) -> str:
    """``2026-Q3 (complete: 2026-07, ...) · paid on ...``; months whose GP is assumed are
    named as such, and never make a quarter "complete". With the ``plan`` that gave the
    result, a pay date moved off a weekend says why."""
    assumed = provenance.assumed if provenance is not None else ()
    booked = [m for m in result.months_booked if m not in assumed]
    if assumed:
        status = (f"{len(booked)} of 3 months booked: {', '.join(booked) or 'none'}; "
                  f"assumed: {', '.join(assumed)}")
    else:
        status = ("complete: " if len(booked) == 3 else "quarter to date: ") + ", ".join(booked)
    moved = plan.pay_date_note(Quarter.parse(result.quarter), result.pay_date) if plan else ""
    return (f"{result.quarter} ({status}) · paid on {result.pay_date:%A %d %B %Y}"
            + (f" ({moved})" if moved else ""))


def provenance_banner(provenance: Provenance) -> None:
    """The first thing on an owner page: what its figures are. A what-if or an assumption is
    a coloured box a screenshot keeps; the books a quiet line."""
    if provenance.is_books:
        st.caption(f":material/menu_book: **{provenance.tag}**: {provenance.detail}")
    else:
        st.warning(f"**{provenance.tag}.** {md(provenance.detail, 600)} "
                   "*Reset to loaded files* (sidebar) goes back to the books.",
                   icon=":material/science:")


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




@dataclass(frozen=True, slots=True)
class Kpi:
    """One metric of ``kpi_grid``: a delta (``None``: no arrow) and help are optional."""

    label: str
    value: str
    delta: str | None = None
    help: str | None = None
    lower_is_better: bool = False  # a rise shows red (e.g. Min GP)


def kpi_grid(items: Sequence[Kpi], per_row: int = 3, border: bool = True) -> None:
    """Metrics with deltas, ``per_row`` to a row. Five or six to a row cut "$186,000.00" to
    "$186,00…" at 1440 px; three keep full dollars and cents readable on a projector."""
    for start in range(0, len(items), per_row):
        for col, k in zip(st.columns(per_row), items[start:start + per_row], strict=False):
            col.metric(k.label, k.value, delta=k.delta, help=k.help, border=border,
                       delta_color="inverse" if k.lower_is_better else "normal")


def chart(fig: Any, key: str, provenance: Provenance | None = None) -> None:
    """Show a ``tel.render.figures`` figure as its builder styled it, its title led by what the
    figures are (``provenance``; the working scenario's when not given), so a screenshot of
    the chart alone still says it. Streamlit's default chart theme recolours tick labels and
    axis titles to #808495 (3.6:1 on white): too faint for a projector, where the builders'
    #222222 text stays legible."""
    if provenance is None:
        from tel.ui import state  # local: widgets must not import state at module load

        provenance = state.current().provenance
    figures.tag_title(fig, provenance.tag, warn=not provenance.is_books
                      and provenance.kind != "approval")
    st.plotly_chart(fig, key=key, theme=None, config={"displaylogo": False})
