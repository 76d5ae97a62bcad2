"""AppTest: looking ahead. The quarter picker offers the quarters after the books, their GP
starts like the same months last year, and every page says the figures are an assumption."""

from __future__ import annotations

from decimal import Decimal

from apptest_support import open_app, sample_scenario

from tel.analysis.whatif import like_last_year
from tel.core.periods import Quarter


def test_the_picker_offers_the_quarters_ahead_marked_as_assumed() -> None:
    at = open_app("app.py")
    options = at.sidebar.selectbox(key="tel.quarter_pick").options
    assert "2027-Q1 (ahead: assumed GP)" in options
    assert "2026-Q4" in options  # the open quarter is booked, not ahead


def test_choosing_a_quarter_ahead_assumes_last_years_gp_and_labels_every_page() -> None:
    at = open_app("app.py")
    at.sidebar.selectbox(key="tel.quarter_pick").set_value("2027-Q1").run()
    assert not at.exception
    w = at.session_state["tel.analysis.whatif"]
    months = sample_scenario().months
    assert {k: w.gp[k] for k in ("2027-01", "2027-02", "2027-03")} == like_last_year(
        months, Quarter(2027, 1), 1)
    assert w.gp["2026-11"] == Decimal("68745")  # the open quarter's months are assumed too
    for page in ("app.py", "pages/payouts.py", "pages/plan.py", "pages/scenarios.py"):
        at.switch_page(page).run()
        assert not at.exception, page
        banner = " ".join(str(m.value) for m in at.warning)
        assert "What-if with assumed GP" in banner, page


def test_a_link_to_a_quarter_ahead_opens_on_assumed_gp() -> None:
    at = open_app("pages/payouts.py", query={"q": "2027-Q2"})
    assert not at.exception
    assert at.session_state["tel.analysis.whatif"].quarter == "2027-Q2"
    assert "2027-04" in at.session_state["tel.analysis.whatif"].gp
