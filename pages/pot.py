"""The pot (team audience): how this quarter's bonus grows, from company figures only."""

from decimal import Decimal

import pandas as pd
import streamlit as st

from tel.core.money import format_money
from tel.core.periods import Quarter
from tel.ui import live_chart
from tel.ui.bootstrap import bootstrap
from tel.ui.recognition import pulse_box, shadow_notice, team_note_box
from tel.ui.team import quarter_picker, team_books
from tel.ui.widgets import kpi_row

work = bootstrap("pot")
books = team_books(work.source.scenario)

st.title("The pot")
headline = st.container()  # first, a phone included: filled once the quarter is known
top = st.columns([1, 3])
with top[0]:
    quarter = quarter_picker(books)
view = books.view(quarter)

status = "complete" if view.complete else f"quarter to date, {len(view.months_booked)} of 3 months"
with top[1]:
    moved = books.plan.pay_date_note(Quarter.parse(view.quarter), view.pay_date)  # weekend?
    st.markdown(f"**{view.quarter}** ({status}: {', '.join(view.months_booked)}) · paid on "
                f"**{view.pay_date:%A %d %B %Y}**" + (f" ({moved})" if moved else "")
                + " if the gates pass")
    if view.approval is not None:
        st.success(f"Approved (approval #{view.approval}): these are the figures payroll pays.",
                   icon=":material/verified:")
    else:
        st.caption(":material/pending: From the books as they stand: not approved yet.")
st.caption("Everything on this page is the company's figures, rounded so that nobody's pay "
           "can be worked out from them: no one's salary or check.")
team_note_box(*books.team_note(quarter))  # the approval's thanks to everyone, if any

live_chart.show(books.pot_figure(quarter), key="pot_progress",
                config={"displayModeBar": False})  # on a phone it covered the title

ahead = view.above_threshold >= 0
about = "about " if view.tel_profit else ""
if view.average_check is not None:
    average = about + format_money(view.average_check, cents_shown=False)
else:
    average = "hidden" if view.eligible_count else "nobody eligible"
risk = books.risk(quarter)  # an open quarter only: None once all three months are booked
with headline:  # the three figures a person opens this page for
    if view.shadow:  # the plan runs this quarter in shadow: said before any figure
        shadow_notice(view.quarter, books.plan)
    st.markdown(f"**{view.quarter}**, {status}"
                + (f" · approval #{view.approval}" if view.approval is not None else
                   " · not approved yet"))
    kpi_row([
        ("Staff pool so far", about + format_money(view.staff_pool, cents_shown=False),
         view.pools_note),
        ("Average check", average, view.average_check_note),
        *([("Chance the plan would pay (shadow: not paid)" if view.shadow else
            "Chance of a bonus this quarter", risk.chance_text, "The share of simulated "
            "quarters in which checks are paid, to the nearest 5%."
            + (" Nothing is paid for a shadow quarter." if view.shadow else ""))]
          if risk is not None else []),
    ])
kpi_row([
    ("GP so far", about + format_money(view.gp_to_date, cents_shown=False),
     f"Gross profit booked for {', '.join(view.months_booked)}."),
    ("Min GP so far", format_money(view.threshold_to_date),
     f"{len(view.months_booked)} month(s) x {format_money(view.min_gp)}: what the company "
     "needs before anything is shared (overhead, debt, owners' and the company's share)."),
    ("Above Min GP" if ahead else "Below Min GP",
     about + format_money(abs(view.above_threshold), cents_shown=False), view.above_note),
    ("TEL profit so far", about + format_money(view.tel_profit, cents_shown=False),
     view.tel_profit_note),
])
if view.paid_pool != (view.staff_pool if view.gates.passed else 0):
    # a plan design choice sits between the staff pool and the checks: say what is paid out
    moves = [(view.deferred_in, "plus a pool held from an earlier quarter"),
             (view.released, "plus the reserve, released with the year's fourth quarter"),
             (-view.held_back, "less the share held back until the year's fourth quarter"),
             (-view.employer_tax, "less the employer's payroll tax on the checks")]
    said = "; ".join(f"{words} ({about}{format_money(abs(c), cents_shown=False)})"
                     for c, words in moves if c)
    st.info(f"**Paid out in checks: {about}{format_money(view.paid_pool, cents_shown=False)}**"
            + (f": the staff pool {said}." if said else "."), icon=":material/payments:")
if not view.complete:
    st.caption(view.rest_of_quarter)
if risk is not None:
    if risk.average_p10 is not None and risk.average_p90 is not None:
        st.metric("Average check, likely range",
                  f"{format_money(risk.average_p10, cents_shown=False)} to "
                  f"{format_money(risk.average_p90, cents_shown=False)}", border=True,
                  help="The paid pool's 10th to 90th percentile over the simulated quarters, "
                  "rounded like the pot, shared by the eligible people.")
    st.caption(risk.note)

left, right = st.columns(2)
with left:
    st.subheader("The gates")
    for ok, text in ((view.gates.cash_ok, view.gates.cash_sentence),
                     (view.gates.ar_ok, view.gates.ar_sentence)):
        (st.success if ok else st.error)(
            text, icon=":material/check_circle:" if ok else ":material/block:")
    st.caption(view.gates.summary + " The bonus is never paid on money the company does not "
               "have or may never collect.")
with right:
    st.subheader("Every $1,000 counts")
    st.info(view.marginal_note, icon=":material/trending_up:")
    st.caption(f"{view.eligible_count} people are eligible this quarter.")

st.subheader("What write-offs cost the pot")
st.caption("Time that does not pass the gut test is written off, which takes it straight out "
           "of GP and so out of the pot.")


@st.fragment  # typing hours reruns only this: not the charts and table (benchmarks/README.md)
def writeoffs() -> None:
    w1, w2, w3 = st.columns([1, 1, 3])
    with w1:
        hours = st.number_input("Hours written off", min_value=0.0, max_value=100_000.0,
                                value=10.0, step=0.5, format="%.2f", key="pot.hours")
    with w2:
        rate = st.number_input("Billing rate ($ an hour)", min_value=0.0, max_value=10_000.0,
                               value=150.0, step=5.0, format="%.2f", key="pot.rate")
    with w3:
        effect = books.writeoff(quarter, Decimal(str(hours)), Decimal(str(rate)))
        st.metric("Cost to the staff pool", format_money(effect.staff_pool_cost), border=True)
    st.markdown(effect.sentence)


writeoffs()

st.subheader("Past quarters")
if not view.past_quarters:
    st.caption("No earlier quarter is booked.")
else:
    past = pd.DataFrame(
        {
            # what a person asks first comes first: a phone shows only the left columns
            "Quarter": [p.quarter for p in view.past_quarters],
            "Average check": [p.average_text for p in view.past_quarters],
            "Paid out": [p.paid_pool / 100 for p in view.past_quarters],
            "Paid?": [p.note for p in view.past_quarters],
            "Staff pool": [p.staff_pool / 100 for p in view.past_quarters],
            "TEL profit": [p.tel_profit / 100 for p in view.past_quarters],
            "Eligible": [p.eligible_count for p in view.past_quarters],
        }
    )
    bars = pd.DataFrame({
        "Quarter": past["Quarter"],
        "Paid out": [p.paid_pool / 100 if p.paid else 0 for p in view.past_quarters],
        "Not paid": [
            0 if p.paid else p.staff_pool / 100 for p in view.past_quarters],
    })
    st.bar_chart(bars, x="Quarter", y=list(bars.columns[1:]), color=["#1f5fa8", "#b3bcc8"],
                 y_label="Pot ($)", height=280)
    st.caption("Each quarter's pot, rounded like this quarter's: blue is what was paid out in "
               "checks, grey a staff pool that was not paid that quarter (the table says why).")
    dollars = st.column_config.NumberColumn(format="dollar", step=1)  # whole dollars
    st.dataframe(
        past.iloc[::-1], hide_index=True,
        column_config={"TEL profit": dollars, "Staff pool": dollars,
                       "Paid out": st.column_config.NumberColumn(
                           format="dollar", step=1, help="What the checks shared, after the "
                           "plan's choices (held back, released, deferred, payroll tax)."),
                       "Average check": st.column_config.TextColumn(
                           help="Empty when nobody was paid; hidden when the group was too "
                           "small to show an average without revealing someone's pay."),
                       "Paid?": st.column_config.TextColumn(width="large")},
    )

pulse_box(quarter)  # one anonymous question (tel/ui/recognition.py)
