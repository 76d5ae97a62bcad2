"""Sensitivity: how the staff pool and checks respond to GP, the splits and every input."""

import streamlit as st

from tel.analysis.sweeps import SweepBasis, team_pct_change
from tel.core.money import to_dollars
from tel.render import figures
from tel.ui import bands, live, meeting, state
from tel.ui.bootstrap import bootstrap
from tel.ui.widgets import chart, pct, quarter_caption

bootstrap("sensitivity")
st.title("Sensitivity")


@live.section("sensitivity.quarter")
def this_quarter() -> None:
    """Every curve of the quarter; each chart's own control reruns only that chart."""
    work = state.current()
    result = work.result
    basis = SweepBasis.from_result(result, work.plan)
    eligible = [p for p in sorted(result.eligible, key=lambda p: -p.total)]
    names = [p.name for p in eligible]

    st.caption(quarter_caption(result, work.provenance, work.plan)
               + " · curves move the quarter's average monthly GP; every other setting as on the "
               "Plan page.")
    if not result.gates.passed:
        st.warning("A gate fails this quarter, so every check is $0 at any GP; the pool curves "
                   "still show what is at stake.")

    @st.fragment
    def gp_curve() -> None:
        c1, c2 = st.columns([3, 1])
        with c1:
            if meeting.is_on():  # the names are not even offered: a widget's options are sent
                people: list[str] = []
                st.caption("The staff pool only: each person's check is hidden in meeting view.")
            else:
                people = st.multiselect(
                    "Show these people's checks", names, default=names[:3], max_selections=8,
                    key="sens.people", persist_state="session", disabled=not basis.gates_passed,
                    help="Eligible people, largest check first." if basis.gates_passed else
                    "A gate fails: every check is $0 at any GP, so there are no checks to draw.")
        with c2:
            top = st.number_input("Up to average monthly GP ($)", min_value=1000,
                                  max_value=100_000_000, step=5000, key="sens.top",
                                  value=int(to_dollars(2 * basis.min_gp)) or 100_000,
                                  persist_state="session")
        shown = people if basis.gates_passed else ()  # $0 lines at every GP tell nothing
        chart(figures.sensitivity(basis, (0, int(top) * 100), people=shown), key="sens.curve")

    @st.fragment
    def tornado_panel() -> None:
        change = st.slider("Move each input by", 1, 50, 10, format="±%d%%", key="sens.change",
                           persist_state="session")
        chart(figures.tornado(basis, change_pct=change), key="sens.tornado")

    @st.fragment
    def heat_map() -> None:
        if not names or not basis.gates_passed:
            st.info("Nobody is eligible this quarter: no check to map." if not names else
                    "A gate fails this quarter: every check is $0 whatever the split, so there "
                    "is no check to map and nobody gains or loses.")
            return
        if meeting.is_on():  # one named person's checks
            meeting.hidden("sens.heat", "The heat map of one person's check")
            return
        person = st.columns([1, 2])[0].selectbox("Heat map for", names, key="sens.person",
                                                 persist_state="session")
        chart(figures.heatmap_split(basis, person), key="sens.heat")

    @st.fragment
    def gains_and_losses() -> None:
        if not names or not basis.gates_passed:
            return
        team_to = st.slider("Move the team share to", 0.0, 100.0,
                            float(min(100, work.plan.team_pct + 20)), step=5.0,
                            format="%.0f%%", key="sens.team_to", persist_state="session")
        if meeting.is_on():  # counts and dollar bands, never a name
            change = team_pct_change(basis, work.plan.team_pct, f"{team_to:g}")
            moves = zip(change.delta, change.eligible, strict=True)
            bands.change_chart(
                [round(float(d)) for d, ok in moves if ok],
                "sens.bands", f"Who gains and who loses when team % moves "
                f"{pct(work.plan.team_pct)} → {team_to:g}%")
            return
        chart(figures.gain_loss(basis, work.plan.team_pct, f"{team_to:g}"), key="sens.gainloss")

    gp_curve()
    st.subheader("Which input matters most")
    tornado_panel()
    st.subheader("House and team shares")
    # One chart to a row, each with its own control and fragment: side by side the gain/loss
    # title was cut at 1440 px, and moving the team share need not redraw the heat map.
    heat_map()
    gains_and_losses()


this_quarter()
