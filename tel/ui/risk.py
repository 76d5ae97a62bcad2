"""The risk simulation for the owner pages, cached on the data and the plan (same seed, so a
rerun and another session show the same figures)."""

from __future__ import annotations

import streamlit as st

from tel.analysis.risk import RiskError, RiskResult, simulate
from tel.core.models import Scenario
from tel.core.periods import Quarter

UI_SIMS = 20_000  # enough for the percentiles shown; `tel risk` runs 100,000 by default
UI_SEED = 2026


@st.cache_data(show_spinner="Simulating the months not booked yet…", max_entries=16)
def _simulate(scenario_json: str, quarter: str) -> RiskResult | str:
    scenario = Scenario.model_validate_json(scenario_json)
    try:
        return simulate(scenario, Quarter.parse(quarter), sims=UI_SIMS, seed=UI_SEED)
    except RiskError as exc:
        return str(exc)


def simulated(books: Scenario, quarter: Quarter) -> RiskResult | str:
    """The simulation of ``quarter`` on the books as loaded (with the working plan), or why it
    cannot run."""
    return _simulate(books.model_dump_json(), str(quarter))
