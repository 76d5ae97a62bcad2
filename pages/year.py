"""Fiscal year: every booked quarter in ledger order, each person's year, two designs compared."""

from typing import Any

import streamlit as st

from tel.analysis.compare import moves_frame
from tel.analysis.whatif import with_values
from tel.analysis.year import (
    ROW_HELP,
    compare_words,
    compare_years,
    find_people,
    people_frame,
    quarters_table,
    total_cents,
    total_row,
    year_changes,
    year_months,
    year_provenance,
    year_totals,
)
from tel.core.policy import BY_NAME, VARIANTS, value_of
from tel.engine.year import fiscal_years
from tel.render import figures
from tel.ui import bands, meeting, state
from tel.ui.bootstrap import bootstrap
from tel.ui.text import md
from tel.ui.widgets import (
    Kpi,
    chart,
    field_input,
    from_widget,
    kpi_grid,
    money,
    moves_columns,
    provenance_banner,
    to_widget,
    value_words,
)

work = bootstrap("year", banner=False)
plan = work.plan
fys = plan.fiscal_year_start
fy = work.quarter.year
provenance = year_provenance(work.source.scenario, plan, work.whatif.gp, fy,
                             work.whatif.people)
provenance_banner(provenance)  # what the year's figures are, not only the chosen quarter's

years = fiscal_years(work.source.scenario.months, fys)


def _pick_year() -> None:
    chosen = int(st.session_state["year.pick"])
    state.set_quarter(str([q for q in work.quarters if q.year == chosen][-1]))


year = work.year(fy)
totals = year_totals(year)
months = year_months(fy, fys)
st.title(f"Fiscal year {fy}, quarter by quarter")
st.session_state["year.pick"] = fy  # follows the sidebar's quarter; a change moves it
st.selectbox("Fiscal year", years[::-1], key="year.pick", on_change=_pick_year,
             help="The fiscal year of the quarter chosen in the sidebar. Choosing another "
             "year chooses its latest booked quarter.")
st.caption(f"{months[0]} to {months[-1]} · {totals.months_booked} of 12 months booked · "
           f"{totals.quarters_passed} of {totals.quarters} booked quarters passed their gates. "
           "Quarters are paid in order: a shortfall, a deferred pool and the reserve carry "
           "from one to the next.")

kpi_grid([
    Kpi("TEL profit", money(totals.tel_profit), help="Summed over the booked quarters."),
    Kpi("Staff pool", money(totals.staff_pool), help="TEL profit minus the house share."),
    Kpi("Paid in checks", money(totals.paid), help="Every check of the year."),
    Kpi("Returned to house", money(totals.returned_to_house),
        help="Forfeited pools, pools nobody was eligible for, and what the caps took."),
    Kpi("Reserve at the end", money(totals.reserve_end),
        help="Holdbacks not yet paid: they are paid with a complete fourth quarter."),
    Kpi("Employer tax", money(totals.employer_tax),
        help="Paid out of the pools when the plan says so."),
], per_row=2)  # three to a row cut "$53,381.88" to "$53,38…" at 1024 px

st.subheader("The ledger")
table = quarters_table(year)
# Widths fit "$1,234,567.89"; the Year column is pinned beside the labels, so a narrow
# window scrolls the quarters and never cuts the year.
st.dataframe(table, height=38 + 35 * len(table),
             column_config={"_index": st.column_config.TextColumn("", pinned=True, width=180),
                            **{q: st.column_config.TextColumn(q, width=110)
                               for q in table.columns if q != "Year"},
                            "Year": st.column_config.TextColumn(
                                "Year", pinned=True, width=115,
                                help="Flows summed; balances carried in to the first quarter "
                                "and out of the last")})
with st.expander("What each line is"):
    st.markdown("\n".join(f"- **{label}**: {what}" for label, what in ROW_HELP.items()))

netting = BY_NAME["netting"]
chart(figures.year_gp_vs_threshold(
    year, months, note=f"Weak months: {value_words(netting, value_of(plan, netting)).lower()}."),
    key="year.gp", provenance=provenance)

if meeting.is_on():  # each person's year as head counts in bands: no name, no check
    st.subheader("The year's checks in bands")
    bands.check_bands_chart(
        year.totals(), "year.bands", f"Each person's checks over fiscal year {fy}, in bands",
        f"{len(year.names):,} people · {totals.quarters} booked quarter(s)", provenance)
    meeting.hidden("year.people", "Each person's checks")
else:
    st.subheader("Each person's checks")
    people = people_frame(year)
    find = st.text_input("Find people", key="year.find", placeholder="a name or a department",
                         help="Shows the people whose name or department contains this text.")
    shown = find_people(people, find)
    config: dict[str, Any] = {
        "name": st.column_config.TextColumn("Name", pinned=True),
        "department": "Department",
        **{r.quarter: st.column_config.NumberColumn(r.quarter, format="dollar")
           for r in year.quarters},
        "total": st.column_config.NumberColumn("Year", format="dollar"),
    }
    st.dataframe(shown, hide_index=True, column_config=config, key="year.people",
                 height=min(35 * (len(shown) + 1) + 3, 560))
    st.dataframe(total_row(people, f"All {len(people):,} people"), hide_index=True,
                 column_config=config, key="year.total")
    if len(shown) != len(people):
        st.caption(f"Showing {len(shown):,} of {len(people):,} people; their checks total "
                   f"{money(total_cents(shown))}.")
    st.caption("Click a column's name to sort by it.")

# --------------------------------------------------------------------------- two designs

st.subheader("Two plan designs over the whole year")
st.caption("The same months and roster, the whole fiscal year, under two values of one design "
           "choice. A is the plan as it stands on this page; B changes only that choice.")
c1, c2 = st.columns(2)
with c1:
    names = [f.name for f in VARIANTS]
    name = st.selectbox("Design choice", names, key="year.vary", index=names.index("netting"),
                        format_func=lambda n: BY_NAME[n].label)
field = BY_NAME[name]
now = value_of(plan, field)
key = f"year.value.{name}"
if key not in st.session_state:
    others = [w for w, _ in field.choices if w != now]
    st.session_state[key] = to_widget(field, others[0] if others else now)
with c2:
    field_input(field, key, label=f"B: {field.label}")
try:
    other = with_values(plan, {name: from_widget(field, st.session_state[key])})
except ValueError:
    st.error("That value is not allowed for this setting.")
    st.stop()
a_label = f"A: {value_words(field, now)}"
b_label = f"B: {value_words(field, value_of(other, field))}"
if other == plan:
    st.info(f"B is the same as A ({md(value_words(field, now))}): choose another value to "
            "compare.", icon=":material/compare_arrows:")
    st.stop()

year_b = work.year(fy, plan=other)
summary, mv = compare_years(year, year_b, (a_label, b_label))
st.caption(compare_words(provenance))
st.dataframe(summary, height=38 + 35 * len(summary),
             column_config={"_index": st.column_config.TextColumn("", pinned=True, width=170),
                            a_label: st.column_config.TextColumn(a_label, width=130),
                            b_label: st.column_config.TextColumn(b_label, width=130),
                            "Change": st.column_config.TextColumn("Change", width=100)})
kpi_grid([Kpi("People who gain", f"{mv.gains:,}", help="Their year's total is larger in B."),
          Kpi("People who lose", f"{mv.losses:,}", help="Their year's total is smaller in B."),
          Kpi("Unchanged", f"{mv.unchanged:,}")], border=False)
if not mv.moved and (summary["Change"] == "—").all():
    st.caption(f"{md(field.label)} changes nothing on this year's data.")
if mv.moved and meeting.is_on():  # counts and dollar bands, never a name
    _, before, after = year_changes(year, year_b)
    bands.change_chart([b - a for a, b in zip(before, after, strict=True)], "year.moves",
                       f"Gains and losses over fiscal year {fy}: A → B", provenance)
elif mv.moved:
    # One under the other: side by side, each had half of 1024 px and showed Name and A only.
    cols = moves_columns("A", "B", help_before=a_label, help_after=b_label)
    for rows, title, k in ((mv.up, "Largest gains over the year", "year.up"),
                           (mv.down, "Largest losses over the year", "year.down")):
        st.markdown(f"*{title}*")
        if rows:
            st.dataframe(moves_frame(rows), hide_index=True, column_config=cols, key=k,
                         height=38 + 35 * len(rows), width="content")
        else:
            st.caption("Nobody.")
