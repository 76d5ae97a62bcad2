"""GP scenarios: shape the quarter's months and answer the meeting's questions."""

from decimal import Decimal

import pandas as pd
import streamlit as st

from tel.analysis.provenance import simulated as simulated_provenance
from tel.analysis.risk import risk_frame
from tel.analysis.targets import gp_needed, tel_profit_for
from tel.analysis.whatif import like_last_year, shape_gp
from tel.core.money import to_cents
from tel.render import figures
from tel.ui import live, meeting, state
from tel.ui.bootstrap import bootstrap
from tel.ui.risk import simulated
from tel.ui.widgets import (
    Kpi,
    chart,
    delta,
    kpi_grid,
    money,
    pct,
    quarter_caption,
)

bootstrap("scenarios")
st.title("GP scenarios")


def _months() -> tuple[list[str], dict[str, Decimal]]:
    """The chosen quarter's month labels and the GP booked for them (the working state's: a
    callback runs before the page)."""
    work = state.current()
    labels = [f"{y:04d}-{m:02d}" for y, m in work.quarter.months(work.plan.fiscal_year_start)]
    return labels, {m.label: m.gp for m in work.source.scenario.months if m.label in labels}


@live.section("scenarios.head")
def head() -> None:
    work = state.current()
    st.caption(quarter_caption(work.result, work.provenance, work.plan)
               + " · the scenario applies to every page until reset.")


SHAPES = "gp.shapes"  # session: quarter -> (level, trend) the sliders last shaped it with


def _set_quarter_gp(gp: dict[str, Decimal], shaped: tuple[int, int] = (0, 0)) -> None:
    """The chosen quarter's months become ``gp`` (empty: as booked); other months' GP stays
    (another quarter's scenario, the months assumed on the way to a quarter ahead), and a
    quarter ahead of the books gets its assumed GP back where none is given."""
    work = state.current()
    labels, _ = _months()
    st.session_state.pop("gp.table", None)  # the table's own edits would hide the new figures
    shapes = st.session_state.setdefault(SHAPES, {})
    if shaped != (0, 0):
        shapes[str(work.quarter)] = shaped
    else:
        shapes.pop(str(work.quarter), None)
    state.set_gp({**{k: v for k, v in work.whatif.gp.items() if k not in labels}, **gp})
    if work.ahead:
        state.set_quarter(str(work.quarter))


def _shape() -> None:
    """The shaping sliders write the scenario GP of every month of the quarter; only the
    figures rerun (the sliders show what was set)."""
    _shape_gp()
    live.rerun("gp")


def _shape_gp() -> None:
    work = state.current()
    labels, booked = _months()
    level, trend = int(st.session_state["gp.level"]), int(st.session_state["gp.trend"])
    # a quarter ahead of the books starts from its assumption (the same months last year),
    # never from what an earlier move of the sliders made of it
    start = booked or like_last_year(work.source.scenario.months, work.quarter,
                                     work.plan.fiscal_year_start)
    gp = shape_gp(labels, start, level, trend)
    _set_quarter_gp(gp if (level or trend or len(booked) < 3) else {}, (level, trend))


def _preset(level: int) -> None:  # the whole page: the sliders must show the preset
    st.session_state["gp.level"], st.session_state["gp.trend"] = level, 0
    _shape_gp()


def _as_booked() -> None:
    _set_quarter_gp({})


head()
with st.container(border=True):
    st.markdown("**Shape the quarter**")
    # the meeting view's larger type needs the row's whole width for the three labels
    p1, p2, p3, *_ = st.columns([1, 1, 1] if meeting.is_on() else [1, 1, 1, 3])
    p1.button("Weak (−10%)", on_click=_preset, args=(-10,), width="stretch")
    p2.button("As booked", on_click=_as_booked, width="stretch")
    p3.button("Strong (+10%)", on_click=_preset, args=(10,), width="stretch")

    @live.section("scenarios.shape", on=("quarter",))
    def sliders() -> None:
        """Where the sliders last left this quarter (0% for a quarter they have not shaped or
        whose months were typed since): moving them reruns the figures, not these."""
        level, trend = st.session_state.get(SHAPES, {}).get(str(state.current().quarter),
                                                            (0, 0))
        st.session_state["gp.level"], st.session_state["gp.trend"] = level, trend
        s1, s2 = st.columns(2)
        s1.slider("Every month up or down by", -50, 50, step=1, format="%d%%", key="gp.level",
                  on_change=_shape, help="Applied to each month's booked GP (months not yet "
                  "booked start from the average of the booked ones; a quarter ahead of the "
                  "books from its assumed GP).")
        s2.slider("Trend: each month grows by", -20, 20, step=1, format="%d%%",
                  key="gp.trend", on_change=_shape,
                  help="Compounded month over month from the first month.")

    sliders()


@live.section("scenarios.figures")
def figures_panel() -> None:
    """The months, the quarter's figures against the books and the meeting's questions."""
    work = state.current()
    quarter = work.quarter
    labels, booked = _months()
    # the books' own figures for this quarter; none for a quarter ahead of the books
    as_booked = None if work.ahead else work.compute(gp={})
    result = work.result
    base = as_booked or result  # what the meeting's questions start from
    booked_gp: list[Decimal] | None = None if as_booked else []

    table = pd.DataFrame({
        "month": labels,
        "status": ["booked" if lb in booked else "not booked yet" for lb in labels],
        "booked_gp": [float(booked[lb]) if lb in booked else None for lb in labels],
        "scenario_gp": [float(work.whatif.gp.get(lb, booked.get(lb))) if
                        (lb in work.whatif.gp or lb in booked) else None for lb in labels],
    })

    edited = st.data_editor(
        table,
        key="gp.table",
        hide_index=True,
        placeholder="—",
        disabled=["month", "status", "booked_gp"],
        column_config={
            "month": "Month",
            "status": "Status",
            "booked_gp": st.column_config.NumberColumn("Booked GP", format="dollar"),
            "scenario_gp": st.column_config.NumberColumn(
                "Scenario GP", format="dollar", min_value=-100_000_000, max_value=100_000_000,
                help="Type a figure; clear it to drop a month that is not booked yet."),
        },
    )
    # The table's figures become the scenario: keep only what differs from the books.
    typed = {
        label: Decimal(str(round(float(v), 2)))
        for label, v in zip(labels, edited["scenario_gp"], strict=True)
        if pd.notna(v)
    }
    wanted = {k: v for k, v in work.whatif.gp.items() if k not in labels}  # other quarters' stay
    wanted.update({k: v for k, v in typed.items() if booked.get(k) != v})
    if wanted != work.whatif.gp:
        st.session_state.get(SHAPES, {}).pop(str(quarter), None)  # typed: no longer a shape
        state.set_gp(wanted)
        st.rerun()

    # Deltas only compare like with like: a scenario that adds assumed months is a different
    # quarter from the booked months alone ("GP up $113,050" while TEL profit falls to $0).
    same_months = as_booked is not None and result.months_booked == as_booked.months_booked
    kpi_grid([
        Kpi(label, money(now), delta(now - then) if same_months else None,
            f"As booked: {money(then)}" if same_months else
            f"As booked ({len(base.months_booked) if as_booked else 0} of 3 months). The scenario "
            "adds assumed months, so the two are not compared.")
        for label, now, then in (
            ("Quarter GP", result.gp_total, base.gp_total),
            ("TEL profit", result.tel_profit, base.tel_profit),
            ("Staff pool", result.staff_pool, base.staff_pool),
            ("Team pool", result.team_pool, base.team_pool),
            ("Merit pool", result.merit_pool, base.merit_pool),
            ("Average check", result.average_check, base.average_check),
        )
    ])
    if as_booked is None:
        st.info(f"{quarter} is ahead of the books: every month's GP is assumed "
                f"({', '.join(work.provenance.assumed)}), and so is every figure here. It started "
                "like the same months last year; shape it above or type the GP in the table.",
                icon=":material/online_prediction:")
    elif not same_months:
        st.info(f"These figures include GP assumed for {', '.join(work.provenance.assumed)}, "
                f"months not booked yet. As booked, {quarter} has "
                f"{len(as_booked.months_booked)} month(s): quarter GP "
                f"{money(as_booked.gp_total)}, TEL profit {money(as_booked.tel_profit)}.",
                icon=":material/online_prediction:")
    if not result.gates.passed:
        st.error("A gate fails in this quarter: nothing is paid whatever the GP.")

    st.subheader("The meeting's questions")
    min_gp = result.min_gp
    floor = work.plan.netting.mode == "monthly_floor"
    q1, q2 = st.columns(2)
    with q1, st.container(border=True):
        st.markdown("**Break-even: where the first dollar is shared**")
        if floor:
            st.markdown(f"Every month over {money(min_gp)} of GP shares what it makes over it "
                        "(monthly floor): a weak month costs nothing.")
        else:
            st.markdown(f"Quarter GP of **{money(3 * min_gp)}** (3 × {money(min_gp)}), an average "
                        f"of {money(min_gp)} a month"
                        + (f", plus the {money(-base.carry_in)} shortfall carried in."
                           if base.carry_in else "."))
        even = gp_needed(base, work.plan, 0, booked_gp)
        if not even.complete and not floor:
            st.markdown(f"With {money(even.booked)} booked, the {even.months_left} month(s) left "
                        f"need **{money(even.remaining)}** in all "
                        f"({money(even.per_month)} a month).")
        elif even.complete and floor:
            st.markdown(f"The booked months made **{money(base.tel_profit)}** over Min GP "
                        "between them.")
        elif even.complete:
            gap = base.tel_profit if base.tel_profit else -even.short
            st.markdown(f"The booked quarter is **{money(abs(gap))} "
                        f"{'above' if gap >= 0 else 'below'}** break-even.")
    with q2, st.container(border=True):
        st.markdown("**What GP does the quarter need for the staff pool to reach…**")
        target = st.number_input("Staff pool target ($)", min_value=0, max_value=100_000_000,
                                 value=int(round(max(base.staff_pool, 1_000_000) / 100, -3)),
                                 step=1000, key="gp.target", persist_state="session")
        profit = tel_profit_for(target * 100, work.plan)
        kept = f"house keeps {pct(work.plan.house_pct)}" + (
            f", at least {money(to_cents(work.plan.min_house))}" if work.plan.min_house else "")
        need = gp_needed(base, work.plan, profit, booked_gp)
        gp_words = (f", a quarter GP of **{money(need.quarter_gp)}**" if need.quarter_gp is not None
                    else "")
        st.markdown(f"A staff pool of **{money(target * 100)}** needs TEL profit of "
                    f"**{money(profit)}** ({kept}){gp_words}.")
        if need.paid_pool != need.staff_pool:
            st.caption(f"The checks would then come to {money(need.paid_pool)} if the gates "
                       "pass (after what the plan defers, holds back, releases or pays in "
                       "employer tax).")
        if not need.complete:
            st.markdown(f"With {money(need.booked)} booked, the rest of the quarter needs "
                        f"**{money(need.remaining)}** ({money(need.per_month)} a month).")
        else:
            st.markdown("The quarter is fully booked: it " + (
                f"fell **{money(need.short)}** of TEL profit short." if need.short else "made it."))


@live.section("scenarios.risk", on=("quarter", "plan"))  # the books' GP, not the scenario's
def risk_panel() -> None:
    work = state.current()
    quarter = work.quarter
    st.subheader("How likely is a bonus this quarter?")
    risk = simulated(work.source.scenario, work.plan, quarter)
    if isinstance(risk, str):
        st.info(f"No simulation: {risk}.", icon=":material/info:")
    elif not risk.simulated:
        st.caption(f"{quarter} is fully booked: nothing left to chance.")
    else:
        st.caption(
            f"{risk.sims:,} simulated quarters (seed {risk.seed}): "
            f"{', '.join(risk.simulated)} drawn from the last {len(risk.months_used)} booked "
            f"months' GP (average {money(round(risk.gp_mean))}, spread "
            f"{money(round(risk.gp_sd))}); the booked months, the gates and the balances carried "
            "in stand as booked. Assumptions about the future, not the books; any GP typed above "
            "is not used here. `tel risk` runs the same simulation.")
        kpi_grid([
            Kpi("Chance of a bonus", f"{risk.p_any_payout:.0%}",
                help="Share of the simulated quarters in which some check is paid."),
            Kpi("Staff pool, median", money(risk.staff_pool.p50),
                help=f"8 in 10 simulated quarters: {money(risk.staff_pool.p10)} to "
                f"{money(risk.staff_pool.p90)}."),
            Kpi("Paid in checks, median", money(risk.paid_pool.p50),
                help=f"8 in 10 simulated quarters: {money(risk.paid_pool.p10)} to "
                f"{money(risk.paid_pool.p90)}."),
        ])
        if not risk.gates_passed:
            st.error("A gate fails on the last booked month, and the simulation keeps it failing: "
                     "nothing is paid in any simulated quarter. " + " ".join(
                         text for ok, text in ((risk.exact.gates.cash_ok,
                                                risk.exact.gates.cash_text()),
                                               (risk.exact.gates.ar_ok,
                                                risk.exact.gates.ar_text())) if not ok))
        chart(figures.risk_fan(risk.fan, str(quarter), risk.p_any_payout), "risk.fan",
              provenance=simulated_provenance(risk.simulated, str(quarter)))
        if meeting.is_on():  # per person: not built, not sent
            meeting.hidden("risk.people", "Each person's expected check")
        else:
            with st.expander("Each person's check: expected, and 8 in 10 simulated quarters"):
                st.dataframe(risk_frame(risk), hide_index=True, column_config={
                    "Name": st.column_config.TextColumn(pinned=True),
                    **{c: st.column_config.NumberColumn(c, format="dollar")
                       for c in ("Expected", "P10", "P50", "P90")}})


figures_panel()
risk_panel()
