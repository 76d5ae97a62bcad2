"""My statement (team audience): one person's own check, opened by their personal link."""

from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from tel.analysis.team import tel_profit_rule
from tel.core.money import format_money
from tel.core.periods import Quarter
from tel.io.links import TOKEN_PARAM, LinkRefused
from tel.render.statement import (  # the PDF's own words, so both agree
    days_text,
    explain_reason,
    formula_words,
    weight_text,
)
from tel.ui.auth import link_secret
from tel.ui.bootstrap import bootstrap
from tel.ui.recognition import personal_note_box, pulse_box, remember_link, shadow_notice
from tel.ui.team import team_books
from tel.ui.text import md
from tel.ui.widgets import kpi_row, pct

work = bootstrap("statement")
books = team_books(work.source.scenario)

st.title("My statement")
token = st.query_params.get(TOKEN_PARAM)
if not token:
    st.info("This page shows one person's own TEL bonus: their check and how it was worked "
            "out. It opens from the private link the owner sends each person, and it never "
            "shows anyone else's figures. If you have not received your link, ask the owner.",
            icon=":material/description:")
    st.page_link("pages/pot.py", label="See the pot everyone shares", icon=":material/savings:")
    st.stop()

secret, _problem = link_secret()
if secret is None:
    st.error("Personal links are not set up on this site, so this link cannot be checked. "
             "Ask the owner.", icon=":material/link_off:")
    st.stop()
try:
    mine = books.statement(secret, token, datetime.now(UTC))
except LinkRefused as refused:
    st.error(refused.reason, icon=":material/link_off:")
    st.stop()

me, view, plan = mine.payout, mine.view, mine.plan
remember_link(secret, mine.name, mine.quarter)  # the pulse: once for this person and quarter
st.subheader(f"{md(mine.name)}: your TEL bonus for {mine.quarter}")
if view.shadow:  # never approved: what the plan would pay, not paid
    shadow_notice(mine.quarter, plan)
elif mine.approval is not None:
    moved = plan.pay_date_note(Quarter.parse(mine.quarter), view.pay_date)  # off a weekend
    st.success(f"Approved: approval #{mine.approval.id} of {mine.quarter}, on "
               f"{mine.approval.approved_at[:10]}. This is what payroll pays on "
               f"{view.pay_date:%A %d %B %Y}" + (f" ({moved})" if moved else "") + ".",
               icon=":material/verified:")
else:
    st.warning(f"Estimate, not approved yet: {mine.quarter} worked out from the books as they "
               "stand. The owner approves the final amounts before pay day, and payroll pays "
               "the approved figures.", icon=":material/pending:")
if mine.approval is not None:  # this person's own note of thanks, and nobody else's
    personal_note_box(mine.thanks, mine.approval.approved_by)
st.caption("Only your own figures are on this page: keep the link to yourself.")
kpi_row([
    ("Your check" if mine.approval is not None else
     "What the plan would pay you (not paid)" if view.shadow else "Your check (estimate)",
     format_money(me.total), "Exact, to the cent: team check + merit check."),
    ("Months of service", f"{me.months}", f"Completed months on {view.quarter}'s last day."),
    ("Eligible", "yes" if me.eligible else "no", None),
])
if not view.complete:
    st.info(f"{view.quarter} is not complete ({len(view.months_booked)} of 3 months booked): "
            "these are quarter-to-date figures and will change.")
if not view.gates.passed:
    st.warning("A gate failed, so no bonus is paid this quarter. The pools below show what was "
               "at stake.", icon=":material/block:")

years = me.months / 12
if me.eligible:
    st.success(f"You are eligible: {me.months} completed months of service on "
               f"{view.quarter}'s last day ({years:.2f} years).", icon=":material/check_circle:")
else:
    st.warning("You are not eligible this quarter: " + "; ".join(explain_reason(me.reason)) + ".",
               icon=":material/event:")

n = view.eligible_count
prorate = plan.partial == "prorate"
share = mine.merit_share
about = "about " if view.tel_profit else ""
# under a holdback, a release, a deferred pool or an employer tax the pools split what is paid
shared = "what is paid out" if view.gates.passed and view.paid_pool != view.staff_pool \
    else "the staff pool"


def public(cents: int) -> str:
    """A company figure as the team sees it: rounded, so "about" and whole dollars."""
    return about + format_money(cents, cents_shown=not about)


rows = [
    ("Quarter GP", public(view.gp_to_date), ", ".join(view.months_booked)),
    ("Min GP for those months", format_money(view.threshold_to_date),
     f"{len(view.months_booked)} x {format_money(view.min_gp)}"),
    ("TEL profit", public(view.tel_profit), tel_profit_rule(plan, view.carry_in)),
    ("House", public(view.house), f"{pct(plan.house_pct, 2)} of TEL profit, "
     "kept by the company for growth"),
    ("Staff pool", public(view.staff_pool), "TEL profit minus the house"),
    ("Team pool", public(view.team_pool),
     f"{pct(plan.team_pct, 2)} of {shared}, {'by days counted' if prorate else 'in equal checks'}"
     f" for {n} eligible {'person' if n == 1 else 'people'}"),
    ("Merit pool", public(view.merit_pool),
     f"{pct(plan.merit_pct, 2)} of {shared}, by merit weight"),
]
if me.eligible:
    rows += [
        *([("Days counted", days_text(me, Quarter.parse(mine.quarter).last_day(
            plan.fiscal_year_start)), "the quarter's days that count for you (prorated)")]
          if prorate else []),
        ("Your merit weight", weight_text(me, plan.merit),
         formula_words(plan.merit, prorate=prorate)),
        ("Your share of the merit pool", "equal share" if share is None else
         "about " + pct(float(share) * 100, 1),  # display only
         "your weight / the eligible group's total weight"),
    ]
team_part = "share of the team pool by days" if prorate else "equal share of the team pool"
rows.append(("Your check", format_money(me.total),
             f"exact: your {team_part} + your share of the merit pool"
             + (", capped" if me.capped else "")))

st.subheader("How it was worked out")
steps = pd.DataFrame(rows, columns=["Step", "Amount", "How"])
last = len(steps) - 1
st.table(steps.style.hide(axis="index")
         .set_properties(subset=["Amount"], **{"text-align": "right"})
         .apply(lambda r: ["font-weight: bold" if r.name == last else ""] * len(r), axis=1))
if mine.notes:  # the plan's design choices, as they shaped this check (the PDF's words)
    st.markdown("**Under this plan**\n\n" + "\n".join(f"- {md(n, 400)}" for n in mine.notes))
if view.tel_profit:
    st.caption(f"The company's figures are rounded (TEL profit to the nearest "
               f"{format_money(view.money_step, cents_shown=False)}) so that nobody's pay can be "
               "worked out from them; your check is exact, to the cent.")
if not view.gates.passed:
    st.caption("Your check is $0.00 while a gate fails.")

st.subheader("The gates")
for ok, text in ((view.gates.cash_ok, view.gates.cash_sentence),
                 (view.gates.ar_ok, view.gates.ar_sentence)):
    (st.success if ok else st.error)(
        text, icon=":material/check_circle:" if ok else ":material/block:")

st.download_button("Download my statement (PDF)", data=mine.pdf, file_name=mine.pdf_name,
                   mime="application/pdf", icon=":material/download:", on_click="ignore")

pulse_box(mine.quarter)  # one anonymous question, once for this link's person
