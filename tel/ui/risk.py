"""The risk simulation for the owner pages, remembered per session for the data, plan and
quarter in use (same seed, so a rerun and another session show the same figures)."""

from __future__ import annotations

import streamlit as st

from tel.analysis.risk import RiskError, RiskResult, simulate
from tel.core.models import Plan, Scenario
from tel.core.periods import Quarter

UI_SIMS = 20_000  # enough for the percentiles shown; `tel risk` runs 100,000 by default
UI_SEED = 2026
_KEY = "risk.last"


def simulated(books: Scenario, plan: Plan, quarter: Quarter) -> RiskResult | str:
    """The simulation of ``quarter`` on the books as loaded under ``plan``, or why it cannot
    run. A slider's rerun that changes neither finds it remembered: no serialising of the
    roster, no copy of the result."""
    last = st.session_state.get(_KEY)
    if last is not None and last[0] is books and last[1] == plan and last[2] == quarter:
        result: RiskResult | str = last[3]
        return result
    with st.spinner("Simulating the months not booked yet…"):
        try:
            result = simulate(books.model_copy(update={"plan": plan}), quarter,
                              sims=UI_SIMS, seed=UI_SEED)
        except RiskError as exc:
            result = str(exc)
    st.session_state[_KEY] = (books, plan, quarter, result)  # the books kept: `is` stays true
    return result
