"""Small rendering helpers shared by pages: KPIs, gates, percentages, the source note."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import streamlit as st

from tel.analysis.provenance import Provenance
from tel.core.models import Plan
from tel.core.money import Cents, format_money
from tel.core.periods import Quarter
from tel.core.policy import BY_NAME, PlanField, value_of
from tel.engine.quarter import QuarterResult
from tel.render import figures
from tel.render.statement import percent_text
from tel.ui import live_chart, meeting
from tel.ui.text import md

if TYPE_CHECKING:
    from tel.ui.state import Work


def pct(value: Decimal | float, places: int = 1) -> str:
    """A percentage to ``places``, half up, without needless zeros (the statements' rule).

    >>> pct(Decimal("25")), pct(7.5), pct(Decimal(30), 0), pct(Decimal("12.25")), pct(100.0, 0)
    ('25%', '7.5%', '30%', '12.3%', '100%')
    """
    return percent_text(value if isinstance(value, Decimal) else Decimal(str(value)), places)


def money(cents: Cents) -> str:
    return format_money(cents)


def delta(cents: Cents) -> str | None:
    """A metric's delta: nothing when nothing changed (no arrow next to $0.00)."""
    return format_money(cents) if cents else None


def kpi_row(items: list[tuple[str, str, str | None]], per_row: int = 3) -> None:
    """``kpi_grid`` for plain (label, value, help) metrics without deltas."""
    kpi_grid([Kpi(label, value, help=help_text) for label, value, help_text in items], per_row)


_TEL_PROFIT_HELP: dict[str, str] = {
    "quarter": "Quarter GP above months x Min GP; a weak month is made up by strong ones.",
    "monthly_floor": "Each month's GP above Min GP, added up; a weak month costs nothing and "
                     "is not made up (monthly floor).",
    "carry_forward": "Quarter GP above months x Min GP, less a shortfall carried in from "
                     "earlier quarters of the fiscal year.",
}


def quarter_kpis(result: QuarterResult, netting: str = "quarter") -> None:
    """The quarter's headline figures; ``netting`` (the plan's mode) words TEL profit's help."""
    months = len(result.months_booked)
    gp_help = f"{months} of 3 months booked" if months < 3 else "Three booked months"
    kpi_row([
        ("Min GP / month", money(result.min_gp), "Overhead + debt service + owner retention "
         "+ net-income retention: what must be made each month before anything is shared."),
        ("Quarter GP", money(result.gp_total), gp_help),
        ("TEL profit", money(result.tel_profit),
         _TEL_PROFIT_HELP.get(netting, _TEL_PROFIT_HELP["quarter"])),
        ("Staff pool", money(result.staff_pool), "TEL profit minus the house share."),
        ("Eligible people", f"{result.eligible_count}", None),
        ("Average check", money(result.average_check) if result.gates.passed else "$0.00",
         "Paid in checks / eligible people" if result.gates.passed
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
    elif provenance.kind == "shadow":  # the books, in a quarter the plan does not pay yet
        st.warning(f"**{provenance.tag}.** {md(provenance.detail, 600)} No approval or "
                   "payroll file is made for a shadow quarter.", icon=":material/visibility:")
    else:
        st.warning(f"**{provenance.tag}.** {md(provenance.detail, 600)} "
                   "*Reset to loaded files* (sidebar) goes back to the books.",
                   icon=":material/science:")
    meeting.badge()  # under the banner: the meeting view is on


def _places(step: float) -> int:
    """Decimal places a step needs: ``0.5 -> 1``, ``0.05 -> 2``, ``5 -> 0``."""
    places = 0
    while places < 4 and abs(step * 10**places - round(step * 10**places)) > 1e-9:
        places += 1
    return places


def help_text(field: PlanField) -> str:
    """A setting's hover help: what it does, then why a company would choose it."""
    return f"{field.what} {field.why}".strip()


def to_widget(field: PlanField, value: Any) -> Any:
    """A plan value as its widget holds it (a float, an int or a word)."""
    if field.kind in ("choice", "quarter"):
        return str(value)
    if field.kind == "whole":
        return int(value)
    return float(value)


def from_widget(field: PlanField, raw: Any) -> Any:
    """A widget's value as the plan wants it: money to the cent, percentages and decimals
    to 4 places, whole numbers as ints (a float widget would hand ``0.1 + 0.2``)."""
    if field.kind == "choice":
        return str(raw)
    if field.kind == "quarter":
        return str(raw or "").strip()
    if field.kind == "whole":
        return int(raw)
    return Decimal(str(round(float(raw), 2 if field.kind == "money" else 4)))


def value_words(field: PlanField, value: Any) -> str:
    """A setting's value in a few words: a choice's plain words up to the first colon,
    ``10%``, ``$5,000.00``, ``9``.

    >>> from tel.core.policy import BY_NAME
    >>> value_words(BY_NAME["netting"], "monthly_floor"), value_words(BY_NAME["holdback_pct"], 10)
    ('Monthly floor', '10%')
    """
    if field.kind == "choice":
        return dict(field.choices).get(str(value), str(value)).split(":")[0]
    if field.kind == "quarter":
        return str(value) or "none"
    if field.kind == "percent":
        return pct(Decimal(str(value)), 4)
    if field.kind == "money":
        return format_money(round(Decimal(str(value)) * 100))
    return f"{Decimal(str(value)).normalize():f}"


def field_input(field: PlanField, key: str, *, label: str | None = None,
                on_change: Any = None, disabled: bool = False,
                label_visibility: Any = "visible") -> Any:
    """The widget for one plan setting, from its description: a selectbox of plain words
    for a choice, a slider for a percentage (a number box when its ``widget`` says so), a
    number box otherwise. Its value comes from ``st.session_state[key]`` (set it before the
    call)."""
    common: dict[str, Any] = {"key": key, "on_change": on_change, "help": help_text(field),
                              "disabled": disabled, "label_visibility": label_visibility}
    text = field.label if label is None else label
    if field.kind == "choice":
        words = dict(field.choices)
        return st.selectbox(text, list(words), format_func=words.__getitem__, **common)
    if field.kind == "quarter":
        return st.text_input(text, max_chars=12, placeholder="e.g. 2026-Q1, or empty for none",
                             **common)
    if field.kind == "whole":
        return st.number_input(text, min_value=int(field.lo), max_value=int(field.hi),
                               step=max(1, int(field.step)), **common)
    places = _places(field.step)
    if field.kind == "percent" and field.widget == "number":
        # a number box cannot print "%" after its value: the label says it instead
        return st.number_input(text if "%" in text else f"{text} (%)",
                               min_value=float(field.lo), max_value=float(field.hi),
                               step=float(field.step), format=f"%.{max(2, places)}f", **common)
    if field.kind == "percent":
        return st.slider(text, min_value=float(field.lo), max_value=float(field.hi),
                         step=float(field.step), format=f"%.{places}f%%", **common)
    return st.number_input(text, min_value=float(field.lo), max_value=float(field.hi),
                           step=float(field.step),
                           format="%.2f" if field.kind == "money" else f"%.{max(1, places)}f",
                           **common)


def knob(field: PlanField | str, *, explain: bool = False, disabled: bool = False,
         note: str | Callable[[Work], str] | None = None, reshapes: bool = False) -> None:
    """One plan setting bound to the working what-if, drawn from its description in
    :data:`tel.core.policy.FIELDS` (label, range, choices, help = what + why). The widget
    mirrors the state (so a reset or a shared link shows), and a change goes back through
    validation in ``state.update_plan``, then reruns the page's sections (``tel.ui.live``),
    or the whole page when the value is refused (the widget must show the state's value
    again) or the setting ``reshapes`` other widgets. ``explain`` also writes what it does
    and why a company would choose it under the widget, not only as hover help; ``note`` adds
    a line: a function of the working state is drawn in a section of its own."""
    from tel.ui import live, state  # local: widgets must not import state at module load

    f = BY_NAME[field] if isinstance(field, str) else field
    key = f"knob.{f.name}"
    wanted = to_widget(f, value_of(state.current().plan, f))
    if st.session_state.get(key) != wanted:
        st.session_state[key] = wanted

    def _apply() -> None:
        problems = state.update_plan(**{f.name: from_widget(f, st.session_state[key])})
        if problems:
            st.session_state["knob.problem"] = f"{f.label}: {problems[0]}"
        elif not reshapes:
            live.rerun("plan")

    field_input(f, key, on_change=_apply, disabled=disabled)
    words = [f.what] + ([f"*Why choose it:* {f.why}"] if f.why else []) if explain else []
    if isinstance(note, str) and note:
        words.append(note)
    if words:
        st.caption("  \n".join(words))
    if callable(note):
        line = note

        @live.section(f"knob.note.{f.name}", on=("plan", "quarter"))
        def _note() -> None:
            st.caption(line(state.current()))

        _note()


def moves_columns(before: str, after: str, *, help_before: str | None = None,
                  help_after: str | None = None) -> dict[str, Any]:
    """Column settings for a :func:`tel.analysis.compare.moves_frame` table: widths that keep
    Name, both checks and the change in view in about 500 px (a window of 1024 px), headers
    ``before`` / ``after`` with the longer words as their help."""
    return {
        "name": st.column_config.TextColumn("Name", pinned=True, width=150),
        "before": st.column_config.TextColumn(before, width=110, help=help_before),
        "after": st.column_config.TextColumn(after, width=110, help=help_after),
        "change": st.column_config.TextColumn("Change", width=100),
    }


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
    "$186,00…" at 1440 px; three keep full dollars and cents readable on a projector. The
    meeting view's larger type puts at most two to a row (and lets a value wrap, never cut)."""
    if meeting.is_on():
        per_row = min(per_row, 2)
    for start in range(0, len(items), per_row):
        for col, k in zip(st.columns(per_row), items[start:start + per_row], strict=False):
            col.metric(k.label, k.value, delta=k.delta, help=k.help, border=border,
                       delta_color="inverse" if k.lower_is_better else "normal")


def chart(fig: Any, key: str, provenance: Provenance | None = None) -> None:
    """Show a ``tel.render.figures`` figure as its builder styled it (``tel.ui.live_chart``: no
    Streamlit theme, whose #808495 ticks are too faint for a projector), its title led by
    what the figures are (``provenance``; the working scenario's when not given), so a
    screenshot of the chart alone still says it."""
    if provenance is None:
        from tel.ui import state  # local: widgets must not import state at module load

        provenance = state.current().provenance
    figures.tag_title(fig, provenance.tag, warn=not provenance.is_books
                      and provenance.kind != "approval")
    if meeting.is_on():
        figures.projector(fig)  # larger fonts for the back of the room
    live_chart.show(fig, key)
