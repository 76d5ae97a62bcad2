"""The meeting view's aggregates (:mod:`tel.ui.meeting`): checks as head counts in dollar
bands, gainers and losers as counts and bands (:mod:`tel.analysis.bands`). Never a name, a
salary, a check or a band's total: what one person gets cannot be read off a band of one."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from tel.analysis.bands import change_bands, check_bands
from tel.analysis.provenance import Provenance
from tel.core.money import Cents
from tel.engine.quarter import QuarterResult
from tel.render import figures
from tel.ui.widgets import chart


def check_bands_chart(checks: Sequence[Cents], key: str, title: str, subtitle: str = "",
                      provenance: Provenance | None = None) -> None:
    """Head counts of ``checks`` in dollar bands, as a chart (never a name or a band total)."""
    fig = figures.check_bands_bar(check_bands(checks), title, subtitle)
    chart(fig, key=key, provenance=provenance)


def quarter_bands(result: QuarterResult, key: str) -> None:
    """The quarter's checks in bands, and who is not eligible as counts by reason."""
    paid = [p.total for p in result.payouts]
    eligible = result.eligible_count
    sub = (f"{len(paid):,} people on the roster, {eligible:,} eligible"
           + ("" if result.gates.passed else " · a gate failed: every check is $0"))
    check_bands_chart(paid, key, f"Checks in bands, {result.quarter}", sub)
    reasons: dict[str, int] = {}
    for p in result.payouts:
        if not p.eligible:
            reasons[p.reason] = reasons.get(p.reason, 0) + 1
    if reasons:
        st.markdown("**Not eligible:** " + " · ".join(  # reasons are the engine's words
            f"{reason} ({n:,})" for reason, n in sorted(reasons.items(), key=lambda kv: -kv[1])))


def change_chart(changes: Sequence[Cents], key: str, title: str,
                 provenance: Provenance | None = None) -> None:
    """Gainers and losers as counts and dollar bands (never a name)."""
    bands = change_bands(changes)
    if not bands.moved:
        st.caption(f"Nobody's check moves ({bands.unchanged:,} unchanged).")
        return
    chart(figures.change_bands_bar(bands, title), key=key,
          provenance=provenance)
