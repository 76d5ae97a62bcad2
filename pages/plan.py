"""Plan: every knob of the plan, each change shown at once."""

import calendar

import streamlit as st

from tel.io.planfile import plan_to_toml
from tel.rules.threshold import min_gp
from tel.ui import state
from tel.ui.bootstrap import bootstrap
from tel.ui.widgets import Kpi, delta, knob, kpi_grid, money, pct

work = bootstrap("plan")
loaded = work.compute(plan=work.source.scenario.plan)
result = work.result

st.title("Plan: the knobs")
st.caption("Every change applies at once to every page. Reset (sidebar) returns to the loaded "
           "plan; the address bar keeps the what-if so a reload or a shared link reopens it.")
if problem := st.session_state.pop("knob.problem", None):
    st.error(problem)

effect = st.container(border=True)

st.subheader("Threshold: what must be made each month before anything is shared")
st.caption("From the source: know your average monthly overhead, debt service, what owners "
           "take and what the company retains. Only what spills over the top is TEL profit.")
cols = st.columns(4)
for col, (name, label, why) in zip(cols, (
    ("overhead", "Average monthly overhead ($)", "Averaged over the year. If it swings a lot "
     "month to month the books need fixing (COGS booked as overhead)."),
    ("debt_service", "Debt service ($/month)", "Loan payments the company must make."),
    ("owner_retention", "Owner retention ($/month)", "Owners' distributions. Owners are not in "
     "the bonus: their share is this line."),
    ("ni_retention", "Net-income retention ($/month)", "What the company keeps for growth."),
), strict=True):
    with col:
        knob(name, label, kind="number", min_value=0.0, max_value=100_000_000.0, step=500.0,
             fmt="%.2f", help=why)

st.subheader("Splits")
c1, c2 = st.columns(2)
with c1:
    knob("house_pct", "House share of TEL profit", min_value=0.0, max_value=100.0, step=0.5,
         fmt="%.1f%%", help="Kept by the company for marketing and sales, so healthy growth "
         "makes the pie bigger for everybody. The rest is the staff pool.")
with c2:
    knob("team_pct", "Team share of the staff pool", min_value=0.0, max_value=100.0, step=0.5,
         fmt="%.1f%%", help="Paid in equal checks to every eligible person: it rewards "
         "helping each other. Merit (salary x years x performance) gets the rest.")
st.caption(f"Merit share: {pct(work.plan.merit_pct)} of the staff pool (100% minus team).")

st.subheader("Gates: never pay a bonus on fake revenue or borrowed money")
g1, g2 = st.columns(2)
with g1:
    knob("min_cash", "Minimum cash on hand ($)", kind="number", min_value=0.0,
         max_value=1_000_000_000.0, step=1000.0, fmt="%.2f",
         help="Cash at the quarter's last booked month-end must be at least this.")
with g2:
    knob("max_ar90_pct", "Maximum A/R over 90 days", min_value=0.0, max_value=100.0, step=0.5,
         fmt="%.1f%%", help="90+ day receivables as a share of all receivables. Past this, "
         "billed work may never be collected. Younger companies should be stricter.")

st.subheader("Eligibility and calendar")
e1, e2, e3 = st.columns(3)
with e1:
    knob("min_months", "Months of service needed", min_value=0, max_value=60, step=1,
         help="Completed months at the quarter's last day. The source uses 3 months contract "
         "to hire + 6: the first months are training. Owners, contractors and part-timers "
         "are never eligible.")
with e2:
    knob("pay_day", "Pay day (day of month)", kind="number", min_value=1, max_value=28, step=1,
         help="The bonus is paid on this day of the second month after the quarter.")
    # the one plan setting that is a choice of words: mirrored from the what-if like knob()
    RULES = {"previous_business_day": "Previous business day (Friday)",
             "next_business_day": "Next business day (Monday)",
             "exact": "Exactly that day, even on a weekend"}
    if st.session_state.get("knob.pay_day_rule") != work.plan.pay_day_rule:
        st.session_state["knob.pay_day_rule"] = work.plan.pay_day_rule
    st.selectbox("When the pay day is a Saturday or Sunday, pay on the", list(RULES),
                 format_func=RULES.__getitem__, key="knob.pay_day_rule",
                 on_change=lambda: state.update_plan(
                     pay_day_rule=st.session_state["knob.pay_day_rule"]),
                 help="Payroll cannot run on a weekend. Public holidays do not move the date: "
                 "choose a pay day that avoids them if that matters.")
    st.caption(f"{work.quarter} is paid on {work.plan.pay_date_text(work.quarter)}.")
with e3:
    knob("fiscal_year_start", "Fiscal year starts in month", kind="number", min_value=1,
         max_value=12, step=1,
         help="Quarters follow the fiscal year; a fiscal year is named by the calendar year "
         "in which it ends.")
    st.caption(f"= {calendar.month_name[work.plan.fiscal_year_start]}")

with effect:
    st.markdown(f"**Effect on {result.quarter}** (compared with the loaded plan)")
    moved = result.eligible_count - loaded.eligible_count
    kpi_grid([
        Kpi("Min GP / month", money(min_gp(work.plan)),
            delta(min_gp(work.plan) - loaded.min_gp), lower_is_better=True),
        Kpi("TEL profit", money(result.tel_profit), delta(result.tel_profit - loaded.tel_profit)),
        Kpi("Staff pool", money(result.staff_pool), delta(result.staff_pool - loaded.staff_pool)),
        Kpi("Team pool", money(result.team_pool), delta(result.team_pool - loaded.team_pool)),
        Kpi("Merit pool", money(result.merit_pool), delta(result.merit_pool - loaded.merit_pool)),
        Kpi("Eligible people", f"{result.eligible_count:,}", f"{moved:+,}" if moved else None),
    ], border=False)
    if not result.gates.passed:
        st.error("A gate fails at these settings: nothing would be paid. " +
                 " ".join(t for ok, t in ((result.gates.cash_ok, result.gates.cash_text()),
                                          (result.gates.ar_ok, result.gates.ar_text())) if not ok))

st.download_button("Download plan.toml", data=lambda: plan_to_toml(work.plan),
                   file_name="plan.toml", mime="application/toml", icon=":material/download:")
