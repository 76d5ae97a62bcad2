"""Payouts: everyone on the roster, their check or the reason they have none."""

import streamlit as st

from tel.io.exports import employee_ids
from tel.render import figures
from tel.render.tables import payouts_csv, payouts_frame, weight_help
from tel.ui import bands, live, meeting, state
from tel.ui.bootstrap import bootstrap
from tel.ui.widgets import Kpi, chart, kpi_grid, money, quarter_caption

bootstrap("payouts")
st.title("Payouts" if meeting.is_on() else "Payouts: per person")


@live.section("payouts.quarter")
def this_quarter() -> None:
    """The quarter's checks; the filter and flag below rerun only their own panel."""
    work = state.current()
    result = work.result
    st.caption(quarter_caption(result, work.provenance, work.plan))
    if not result.gates.passed:
        st.error("A gate failed this quarter: every check is $0.00. See the home page for what "
                 "would make it pass.")

    paid = result.paid
    kpi_grid([  # two to a row: "yes, to the cent" is cut short in a quarter of the page
        Kpi("Team checks", money(sum(p.team for p in result.payouts)),
            help=f"Team pool {money(result.team_pool)}"),
        Kpi("Merit checks", money(sum(p.merit for p in result.payouts)),
            help=f"Merit pool {money(result.merit_pool)}"),
        Kpi("Paid in all", money(paid), help=f"Staff pool {money(result.staff_pool)}; paid pool "
            f"{money(result.paid_pool)} (after what is deferred, held back or released, and the "
            "employer's payroll tax)"),
        Kpi("Reconciles to the pools", "yes, to the cent" if result.reconciles else "NO",
            help="Checks + employer payroll tax + what the caps sent back = what was available, "
            "to the cent (nothing when a gate fails or nobody is eligible)."),
    ], per_row=2)

    departments = sorted({p.department for p in result.payouts if p.department})
    ids = employee_ids(work.source.scenario.roster)  # an employee_id column when the roster has ids

    @st.fragment
    def people() -> None:
        """Filter, table, chart and download: a filter or flag change reruns only this panel."""
        f1, f2 = st.columns([3, 1])
        with f1:
            chosen = st.multiselect("Department", departments, key="payouts.departments",
                                    persist_state="session", placeholder="All departments")
        with f2:
            floor = st.number_input("Flag checks below ($)", min_value=0,
                                    max_value=1_000_000, value=500, step=50,
                                    key="payouts.floor", persist_state="session",
                                    help="A check this small may not feel like a reward: "
                                    "worth a look.")
        filter_ = chosen or None

        frame = payouts_frame(result, filter_, work.plan, employee_ids=ids)
        small = (frame["total"] > 0) & (frame["total"] < floor)
        frame.insert(3, "flag", small.map({True: f"below ${floor:,}", False: ""}))
        if small.any():
            st.warning(f"{int(small.sum())} check(s) below ${floor:,}.")

        st.dataframe(
            frame,
            hide_index=True,
            height=min(35 * (len(frame) + 1) + 3, 560),  # a small roster whole, a big one scrolls
            column_config={
                "name": st.column_config.TextColumn("Name", pinned=True),
                "employee_id": "Employee id",
                "department": "Department",
                "status": st.column_config.TextColumn("Eligible / reason", width="medium"),
                "flag": "Flag",
                "months": st.column_config.NumberColumn("Months", format="%d"),
                "years": st.column_config.NumberColumn("Years", format="%.2f"),
                "performance": st.column_config.NumberColumn(
                    "Performance", format="%.4g", help="The multiplier used this quarter (roster "
                    "or scores file)"),
                "days": st.column_config.NumberColumn(
                    "Days", format="%d", help="Days of the quarter counted (the plan prorates)"),
                "merit_weight": st.column_config.NumberColumn(
                    "Merit weight", format="%.2f" if work.plan.merit.formula == "years"
                    else "%,.0f", help=weight_help(work.plan)),
                "team": st.column_config.NumberColumn("Team", format="dollar"),
                "merit": st.column_config.NumberColumn("Merit", format="dollar"),
                "capped": st.column_config.NumberColumn(
                    "Capped", format="dollar", help="Over the plan's cap: back to the house"),
                "total": st.column_config.NumberColumn("Total", format="dollar"),
                "pct_of_salary": st.column_config.NumberColumn("% of salary", format="%.2f%%"),
            },
        )
        if filter_:
            shown = sum(p.total for p in result.payouts if p.department in filter_)
            st.caption(f"Showing {len(frame)} of {len(result.payouts)} people; their checks total "
                       f"{money(shown)}.")

        shown_people = None if filter_ is None else [p.name for p in result.payouts
                                                      if p.department in filter_]
        if paid:
            chart(figures.payouts_bar(result, people=shown_people), key="payouts_bar")
        else:  # a chart of zero-length bars says nothing the message above does not
            st.info("Nothing is paid this quarter, so there are no checks to chart.")
        st.download_button(
            "Download payouts (CSV)",
            data=lambda: payouts_csv(result, filter_, work.plan, employee_ids=ids),
            file_name=f"tel-payouts-{result.quarter}{'-filtered' if filter_ else ''}"
                      f"{work.provenance.file_tag}.csv",  # -WHAT-IF, -SHADOW
            mime="text/csv",
            icon=":material/download:",
        )

    if meeting.is_on():  # checks as head counts in bands: no name, salary or check is sent
        bands.quarter_bands(result, key="payouts.bands")
        meeting.hidden("payouts", "The per-person table, chart and download")
    else:
        people()


this_quarter()
