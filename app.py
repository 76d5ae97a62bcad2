"""Home: this quarter at a glance (owners) — the team audience is sent to the pot."""

import streamlit as st

from tel.core.money import format_money
from tel.render import figures
from tel.ui import bands, live, meeting, state
from tel.ui.bootstrap import bootstrap, link_params
from tel.ui.guide import guided_start
from tel.ui.widgets import chart, gates_panel, quarter_caption, quarter_kpis

bootstrap("home")
st.title("This quarter at a glance")


@live.section("home.quarter")
def this_quarter() -> None:
    work = state.current()
    result = work.result
    st.caption(quarter_caption(result, work.provenance, work.plan))
    quarter_kpis(result, work.plan.netting.mode)
    if not meeting.is_on():
        guided_start(result, work.plan,
                     worked_example=str(work.quarter) == work.source.start_quarter,
                     assumed=work.provenance.assumed,
                     params=link_params(work))

    gates, pay = st.columns([3, 2])  # the gates first: a failing gate is the news
    with gates:
        gates_panel(result, work.provenance)
    with pay:
        st.markdown(f"**Pay date:** {work.plan.pay_date_text(work.quarter)}",
                    help=f"Paid on {work.plan.pay_day_words()}.")
        if result.undistributed:
            st.warning(f"Nobody is eligible: {format_money(result.undistributed)} of staff pool "
                       "is undistributed.")

    # Both charts full width: beside the gates the GP chart's subtitle was cut at 1440 px.
    months = [f"{y:04d}-{m:02d}" for y, m in work.quarter.months(work.plan.fiscal_year_start)]
    netting = work.plan.netting.mode  # both charts say how the plan's netting made TEL profit
    chart(figures.gp_vs_threshold(result, months=months, netting=netting), key="gp_chart")
    chart(figures.waterfall(result, netting=netting), key="waterfall")
    if meeting.is_on():  # how the checks spread, as head counts: never a name or a check
        bands.quarter_bands(result, key="home.bands")


this_quarter()
with st.expander("Where these numbers differ from the source's worked example"):
    st.markdown(
        "The source (Puryear IT's TEL bonus post) adds months of **$69,343, $59,343 and "
        "$73,434** against a **$62,000** Min GP and prints **$16,029** of TEL profit. The "
        "exact figure is $202,120 − 3 × $62,000 = **$16,120.00**, which is what this tool "
        "pays; the source's rounded **$4k house / $12k staff** still hold ($4,030.00 / "
        "$12,090.00). The source also rounds 90+ day A/R of $24,000 / $320,000 to 8%; the "
        "exact 7.5% is used here. The sample data's 2026-Q3 is that worked example."
    )
