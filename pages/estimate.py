"""My estimate (team audience): "I earn $S and started on D" -> my check, from team totals."""

from datetime import date
from decimal import Decimal

import pandas as pd
import streamlit as st

from tel.core.money import format_money
from tel.core.periods import Quarter
from tel.ui.bootstrap import bootstrap
from tel.ui.recognition import shadow_notice
from tel.ui.team import quarter_picker, team_books

work = bootstrap("estimate")
books = team_books(work.source.scenario)
plan = books.plan

st.title("My estimate")
st.caption("What you type is used for this estimate only: it is not saved, not shown to "
           "anyone else and not put in the address. The estimate uses team totals only.")

top = st.columns([1, 3])
with top[0]:
    quarter = quarter_picker(books)
q = Quarter.parse(quarter)
quarter_end = q.last_day(plan.fiscal_year_start)
if books.is_shadow(quarter):  # every estimate below is what the plan would pay, not paid
    shadow_notice(quarter, plan)

# No default, no persist_state, no URL binding: what is typed is gone when the page is left.
c1, c2, c3 = st.columns(3)
with c1:
    salary = st.number_input("I earn (annual salary, $)", min_value=0, max_value=10_000_000,
                             value=None, step=1000, placeholder="type your salary",
                             key="estimate.salary")
with c2:
    start = st.date_input("I started on", value=None, min_value=date(1950, 1, 1),
                          max_value=date(quarter_end.year + 5, 12, 31), format="YYYY-MM-DD",
                          key="estimate.start")
with c3:
    performance = st.number_input(
        "Performance multiplier (optional)", min_value=0.0, max_value=10.0, value=1.0,
        step=0.05, format="%.2f", key="estimate.performance",
        help="1 unless your plan uses one and you were told otherwise.")
c4, c5 = st.columns(2)
with c4:
    average_gp = st.number_input(
        "Also show a full quarter at this average monthly GP ($, optional)",
        min_value=-100_000_000, max_value=100_000_000, value=None, step=1000,
        placeholder="e.g. the GP you think we can make", key="estimate.average_gp")
with c5:
    counted = st.toggle(
        "I am already on this quarter's books", value=True, key="estimate.counted",
        help="On: you are one of the eligible people the team totals already count. Off: "
        "you would join them (someone new, or checking a future quarter).")

st.caption(
    f"Who is eligible: W-2, full time, not an owner, at least {plan.min_months} completed "
    f"months of service on the quarter's last day, and still here on the pay date "
    f"({plan.pay_day_words()}).")

if salary is None or start is None:
    st.info("Type your annual salary and your start date to see your estimate.",
            icon=":material/calculate:")
    st.stop()
if salary <= 0:
    st.warning("Type a salary above $0.")
    st.stop()

try:
    est = books.estimate(
        quarter, Decimal(int(salary)), start,
        performance=Decimal(str(round(performance, 4))),
        average_monthly_gp=None if average_gp is None else Decimal(int(average_gp)),
        counted=counted,
    )
except ValueError as exc:
    hint = " Switch off \"I am already on this quarter's books\" to estimate as someone " \
        "joining the group." if counted else ""
    st.warning(f"No estimate for these figures: {exc}.{hint}")
    st.stop()

if not est.eligible:
    st.warning(f"Not eligible for {est.quarter}: {est.reason}.", icon=":material/event:")
    st.caption(f"{est.months_of_service} completed months of service on {quarter_end}. "
               + ("" if est.eligible_from is None else
                  f"From {est.eligible_from} on, your check is estimated the same way."))
    st.stop()

now = est.now
assert now is not None  # eligible -> the "as booked" scenario exists
k1, k2, k3 = st.columns(3)
if now.total is None:
    k1.metric("My team check now", format_money(now.team), border=True,
              help="The merit share is hidden: the group is too small to show it without "
              "revealing someone's pay.")
else:
    k1.metric("My estimated check now", format_money(now.total), border=True,
              help=f"Team {format_money(now.team)} + merit {format_money(now.merit or 0)}.")
k2.metric("Team part", format_money(now.team), border=True, help=est.team_help)
k3.metric("Merit part", "hidden" if now.merit is None else format_money(now.merit),
          border=True, help=est.merit_help)
st.caption(est.note)
if est.range_p10 is not None and est.range_p90 is not None:
    st.metric("My check this quarter, likely range",
              f"{format_money(est.range_p10)} to {format_money(est.range_p90)}", border=True,
              help="Your check at the 10th and 90th percentile of the pot over simulated "
              "quarters (the months not booked yet drawn like the last 12 months), from the "
              "rounded team totals, like the estimate above.")

st.subheader("At other GP")
table = pd.DataFrame({
    "Scenario": [s.label for s in est.scenarios],
    # my check first after the scenario: a phone shows only the left columns
    "My check": [None if s.total is None else s.total / 100 for s in est.scenarios],
    "Quarter GP": [s.gp_total / 100 for s in est.scenarios],
    "My team check": [s.team / 100 for s in est.scenarios],
    "My merit check": [None if s.merit is None else s.merit / 100 for s in est.scenarios],
    "TEL profit": [s.tel_profit / 100 for s in est.scenarios],
    "Staff pool": [s.staff_pool / 100 for s in est.scenarios],
})
dollars = st.column_config.NumberColumn(format="dollar")
st.dataframe(table, hide_index=True,
             column_config={c: dollars for c in table.columns if c != "Scenario"})
st.caption("An estimate from the company's rounded figures (rounded so that nobody's pay can "
           "be worked out from them), so it is close to, not exactly, your check: the owner's "
           "approved figures are what is paid, and your personal statement shows them to the "
           "cent. Each scenario changes the quarter's GP and keeps everyone else as they are.")
