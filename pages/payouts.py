"""Payouts: everyone on the roster, their check or the reason they have none."""

import streamlit as st

from tel import figures
from tel.tables import payouts_csv, payouts_frame
from tel.ui.bootstrap import bootstrap
from tel.ui.widgets import keep_reruns_fast, money, quarter_caption

keep_reruns_fast()  # before any of this run's objects exist
work = bootstrap("payouts")
result = work.result

st.title("Payouts: per person")
st.caption(quarter_caption(result))
if not result.gates.passed:
    st.error("A gate failed this quarter: every check is $0.00. See the home page for what "
             "would make it pass.")

departments = sorted({p.department for p in result.payouts if p.department})
f1, f2 = st.columns([3, 1])
with f1:
    chosen = st.multiselect("Department", departments, key="payouts.departments",
                            persist_state="session", placeholder="All departments")
with f2:
    floor = st.number_input("Flag checks below ($)", min_value=0, max_value=1_000_000,
                            value=500, step=50, key="payouts.floor", persist_state="session",
                            help="A check this small may not feel like a reward: worth a look.")
filter_ = chosen or None

paid = result.paid
reconciled = paid == (result.staff_pool if result.gates.passed and result.eligible_count else 0)
cols = st.columns(4)
cols[0].metric("Team checks", money(sum(p.team for p in result.payouts)),
               help=f"Team pool {money(result.team_pool)}", border=True)
cols[1].metric("Merit checks", money(sum(p.merit for p in result.payouts)),
               help=f"Merit pool {money(result.merit_pool)}", border=True)
cols[2].metric("Paid in all", money(paid), border=True,
               help=f"Staff pool {money(result.staff_pool)}")
cols[3].metric("Reconciles to the pools", "yes, to the cent" if reconciled else "NO", border=True)

frame = payouts_frame(result, filter_)
small = (frame["total"] > 0) & (frame["total"] < floor)
frame.insert(3, "flag", small.map({True: f"below ${floor:,}", False: ""}))
if small.any():
    st.warning(f"{int(small.sum())} check(s) below ${floor:,}.")

money_col = st.column_config.NumberColumn(format="dollar")
st.dataframe(
    frame,
    hide_index=True,
    height=420,
    column_config={
        "name": st.column_config.TextColumn("Name", pinned=True),
        "department": "Department",
        "status": st.column_config.TextColumn("Eligible / reason", width="medium"),
        "flag": "Flag",
        "months": st.column_config.NumberColumn("Months", format="%d"),
        "years": st.column_config.NumberColumn("Years", format="%.2f"),
        "merit_weight": st.column_config.NumberColumn(
            "Merit weight", format="%,.0f", help="Salary × years × performance"),
        "team": st.column_config.NumberColumn("Team", format="dollar"),
        "merit": money_col,
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
st.plotly_chart(figures.payouts_bar(result, people=shown_people), key="payouts_bar")
st.download_button(
    "Download payouts (CSV)",
    data=lambda: payouts_csv(result, filter_),
    file_name=f"tel-payouts-{result.quarter}{'-filtered' if filter_ else ''}.csv",
    mime="text/csv",
    icon=":material/download:",
)
