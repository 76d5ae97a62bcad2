"""The team pages' only way to the books: aggregates from ``tel.team``, or one person's own
figures for a verified personal link. Nothing here returns a roster.

``TeamBooks`` keeps the loaded scenario private: the pot and the estimator get
``TeamView``/``WriteoffEffect``/``CheckEstimate`` (aggregates by construction, see
``tel/team.py``), and a statement is built only after ``tel.links.verify_statement_token``
has named the person, and carries that person's figures and the company's pools alone.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

import plotly.graph_objects as go
import streamlit as st

from tel import figures
from tel.links import LinkRefused, verify_statement_token
from tel.models import Plan, Scenario
from tel.periods import Quarter
from tel.quarter import NoBookedMonth, Payout, QuarterResult, booked_quarters, compute_quarter
from tel.statement import statement_filename, statement_pdf
from tel.team import (
    MIN_GROUP,
    CheckEstimate,
    GateView,
    TeamView,
    WriteoffEffect,
    estimate_check,
    team_aggregates,
    team_view,
    writeoff_effect,
)

MIN_GROUP_ENV = "TEL_MIN_GROUP"
QUARTER_KEY = "team.quarter"
_LOG = logging.getLogger(__name__)


def min_group(environ: dict[str, str] | None = None) -> int:
    """The privacy threshold: ``TEL_MIN_GROUP`` may raise it above 3, never lower it.

    >>> min_group({}), min_group({"TEL_MIN_GROUP": "5"}), min_group({"TEL_MIN_GROUP": "1"})
    (3, 5, 3)
    >>> min_group({"TEL_MIN_GROUP": "five"})
    3
    """
    raw = (os.environ if environ is None else environ).get(MIN_GROUP_ENV, "").strip()
    try:
        value = int(raw)
    except ValueError:
        if raw:
            _LOG.warning("%s=%r is not a whole number: using %d", MIN_GROUP_ENV, raw, MIN_GROUP)
        return MIN_GROUP
    return max(MIN_GROUP, value)


@dataclass(frozen=True)
class PersonalStatement:
    """One person's check and how it was computed, for their own personal link.

    Holds the company's quarter figures (pools, head count, the gates in plain words) and
    this one person's payout; the full quarter result stays private to build the PDF."""

    name: str
    quarter: str
    payout: Payout
    plan: Plan
    view: TeamView  # the quarter's aggregates, as every employee sees them
    merit_share: Fraction | None  # this person's weight / the eligible group's; None: no weights
    _result: QuarterResult = field(repr=False)

    @property
    def gates(self) -> GateView:
        return self.view.gates

    def pdf(self) -> bytes:
        return statement_pdf(self._result, self.name, plan=self.plan)

    @property
    def pdf_name(self) -> str:
        return statement_filename(self._result, self.name)


class TeamBooks:
    """The loaded books, as the team audience may use them."""

    def __init__(self, scenario: Scenario, group: int | None = None) -> None:
        self._scenario = scenario
        self.min_group = min_group() if group is None else group
        # The books never change while the object lives, so each quarter is worked out once
        # (a team view runs every earlier quarter too: ~14 full quarters a page otherwise).
        self._views: dict[str, TeamView] = {}
        self._results: dict[str, QuarterResult] = {}

    @property
    def plan(self) -> Plan:
        """Company policy (no personal data)."""
        return self._scenario.plan

    @property
    def quarters(self) -> list[str]:
        """Booked quarters, newest first."""
        fys = self.plan.fiscal_year_start
        return [str(q) for q in reversed(booked_quarters(self._scenario.months, fys))]

    def view(self, quarter: str) -> TeamView:
        if quarter not in self._views:
            s = self._scenario
            self._views[quarter] = team_view(s.plan, s.roster, s.months, quarter,
                                             min_group=self.min_group)
        return self._views[quarter]

    def _result(self, quarter: Quarter) -> QuarterResult:
        key = str(quarter)
        if key not in self._results:
            s = self._scenario
            self._results[key] = compute_quarter(s.plan, s.roster, s.months, quarter)
        return self._results[key]

    def pot_figure(self, quarter: str) -> go.Figure:
        """``figures.pot_progress`` on the quarter with every person taken out first, so the
        figure cannot carry anything personal whatever the builder does."""
        result = self._result(Quarter.parse(quarter))
        return figures.pot_progress(result.model_copy(update={"payouts": ()}))

    def writeoff(self, quarter: str, hours: Decimal, rate: Decimal) -> WriteoffEffect:
        s = self._scenario
        return writeoff_effect(s.plan, s.roster, s.months, quarter, hours, rate,
                               min_group=self.min_group)

    def estimate(
        self,
        quarter: str,
        salary: Decimal,
        start: date,
        performance: Decimal = Decimal(1),
        average_monthly_gp: Decimal | None = None,
        counted: bool = True,
    ) -> CheckEstimate:
        """``tel.team.estimate_check`` on this quarter's aggregates. ``counted``: the person
        is already one of the eligible people on the books (ignored when nobody is)."""
        s, fys = self._scenario, self.plan.fiscal_year_start
        q = Quarter.parse(quarter)
        agg = team_aggregates(s.plan, s.roster, s.months, q)
        return estimate_check(
            agg, salary, start, s.plan, q.last_day(fys), q.pay_date(fys, s.plan.pay_day),
            performance, average_monthly_gp=average_monthly_gp,
            counted=counted and agg.eligible_count > 0, min_group=self.min_group,
        )

    def statement(self, secret: bytes, token: str, now: datetime) -> PersonalStatement:
        """The statement a personal link opens. Raises ``LinkRefused`` for any bad link."""
        s = self._scenario
        name, quarter = verify_statement_token(secret, token, now, [p.name for p in s.roster])
        try:
            result = self._result(quarter)
        except NoBookedMonth as exc:
            raise LinkRefused(
                f"The figures for {quarter} are not on this site yet. Ask for a new link once "
                "they are booked.", "not_booked") from exc
        me = next(p for p in result.payouts if p.name == name)
        total = result.total_weight
        share = Fraction(me.weight, total) if me.eligible and total else None
        return PersonalStatement(
            name=name, quarter=str(quarter), payout=me, plan=s.plan,
            view=self.view(str(quarter)), merit_share=share, _result=result,
        )


def quarter_picker(books: TeamBooks) -> str:
    """The team pages' quarter (company data), shared by the pot and the estimator. The choice
    lives in plain session state; the widget mirrors it (each page has its own widget)."""
    quarters = books.quarters
    chosen = st.session_state.get(QUARTER_KEY)
    if chosen not in quarters:
        chosen = quarters[0]
    widget = QUARTER_KEY + "_pick"
    st.session_state[widget] = chosen  # always: each page's widget is a new one

    def _keep() -> None:
        st.session_state[QUARTER_KEY] = st.session_state[widget]

    st.selectbox("Quarter", quarters, key=widget, on_change=_keep,
                 help="Quarters with at least one booked month; the newest may be quarter "
                 "to date.")
    return str(chosen)


def team_books(scenario: Scenario) -> TeamBooks:
    """This session's ``TeamBooks`` for ``scenario``, kept across reruns (a new scenario, a
    new object). Per session, not ``cache_resource``: nothing shared between browsers."""
    books = st.session_state.get("tel.team_books")
    if books is None or books._scenario is not scenario:
        books = st.session_state["tel.team_books"] = TeamBooks(scenario)
    return books

