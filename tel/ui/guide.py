"""The guided start on the home page: what TEL is and where the knobs are, in one box a new
user reads once and closes. Its figures come from the quarter on screen, never typed in."""

from __future__ import annotations

from decimal import Decimal

import streamlit as st

from tel.core.models import Plan
from tel.engine.quarter import QuarterResult
from tel.render.statement import formula_words
from tel.ui.widgets import money, pct

DONE_KEY = "tel.guide_done"


def guided_start(result: QuarterResult, plan: Plan, worked_example: bool,
                 assumed: tuple[str, ...], params: dict[str, str]) -> None:
    """Draw the guide unless this session closed it. ``worked_example``: the sample data's
    2026-Q3, the source's own example, is on screen. ``assumed``: the quarter's months whose
    GP is assumed, not booked. ``params``: what the page links carry (the what-if, as the
    menu's do)."""
    if st.session_state.get(DONE_KEY):
        return
    with st.container(border=True, key="guide"):
        st.markdown("#### :material/waving_hand: New here? Start with this quarter")
        lead = ("This is the **source's worked example**: the sample company's 2026-Q3. "
                if worked_example else "")
        months = len(result.months_booked)  # with GP: booked, or assumed
        booked = months - len(assumed)
        if not assumed:
            gp = (f"The quarter's GP was {money(result.gp_total)} over {months} booked "
                  f"month{'s' if months != 1 else ''}")
        elif not booked:
            gp = ("The quarter is ahead of the books: its GP is assumed to be "
                  f"{money(result.gp_total)}")
        else:
            gp = (f"The quarter's GP is {money(result.gp_total)}: {booked} booked "
                  f"month{'s' if booked != 1 else ''} and {len(assumed)} assumed")
        house = (pct(Decimal(100 * result.house) / result.tel_profit, 0) + " "
                 if result.tel_profit else "")  # exact: a minimum house share can move it
        st.markdown(
            f"{lead}**TEL** (Team, Effort, Loyalty) shares the gross profit a company makes "
            "above what it must make each month.\n\n"
            f"1. Each month must make **Min GP** {money(result.min_gp)} (overhead, debt "
            "service, owner retention and net-income retention).\n"
            f"2. {gp}: **TEL profit** {money(result.tel_profit)}.\n"
            f"3. The house keeps its {house}share ({money(result.house)}); the **staff pool** "
            f"{money(result.staff_pool)} is paid only if the cash and receivables **gates** "
            f"pass ({'they do' if result.gates.passed else 'they do not'}).\n"
            f"4. {result.eligible_count} eligible people share it: an equal **team check** "
            f"each from {money(result.team_pool)}, and **merit** shares of "
            f"{money(result.merit_pool)} weighted by "
            f"{formula_words(plan.merit).replace(' x ', ' × ')}."
        )
        st.markdown("**Where the knobs are**")
        cols = st.columns(4)
        links = (("pages/plan.py", "Plan", ":material/tune:",
                  "Splits, thresholds, eligibility"),
                 ("pages/scenarios.py", "GP scenarios", ":material/query_stats:",
                  "What if a month is weaker?"),
                 ("pages/payouts.py", "Payouts", ":material/payments:", "Each person's check"),
                 ("pages/data.py", "Data", ":material/upload_file:", "Your own books and roster"))
        for col, (path, label, icon, what) in zip(cols, links, strict=True):
            with col:  # a page link does not wrap: a short label, the words beneath
                st.page_link(path, label=label, icon=icon, query_params=params)
                st.caption(what)
        st.caption("The **Quarter** picker in the sidebar changes every page; the banner at "
                   "the top always says what the figures are (the books, a what-if, or an "
                   "approval).")
        if st.button("Got it, hide this", key="tel.guide_close", icon=":material/close:"):
            st.session_state[DONE_KEY] = True
            st.rerun()
