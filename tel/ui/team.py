"""The team pages' only way to the books: aggregates from ``tel.analysis.team``, or one person's own
figures for a verified personal link. Nothing here returns a roster.

``TeamBooks`` keeps the loaded scenario private: the pot and the estimator get
``TeamView``/``WriteoffEffect``/``CheckEstimate``/``TeamRisk`` (aggregates by construction, see
``tel/analysis/team.py`` and ``tel/analysis/team_risk.py``), and a statement is built only after
``tel.io.links.verify_statement_token`` has named the person, and carries that person's
figures and the company's pools alone.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

import plotly.graph_objects as go
import streamlit as st

from tel.analysis.team import (
    MIN_GROUP,
    CheckEstimate,
    GateView,
    TeamView,
    WriteoffEffect,
    aggregates_of,
    estimate_check,
    team_view_of,
    writeoff_effect_of,
)
from tel.analysis.team_risk import TeamRisk, team_risk
from tel.core.models import Plan, Scenario
from tel.core.periods import Quarter
from tel.engine.ledger import booked_quarters
from tel.engine.quarter import NoBookedMonth, Payout, QuarterResult, compute_scenario
from tel.io.links import LinkRefused, verify_statement_token
from tel.io.store import Snapshot
from tel.render import figures
from tel.render.statement import check_notes, statement_filename, statement_pdf
from tel.rules.gates import MissingAging

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

    The check is the approval in force for the quarter (``approval`` set: what payroll
    pays), or before any approval an estimate from the books. Holds the quarter's public
    figures (``view``, as every employee sees them) and this one person's payout; the full
    result stays private to build the PDF."""

    name: str
    quarter: str
    payout: Payout
    plan: Plan
    view: TeamView  # the quarter's public figures, as every employee sees them
    merit_share: Fraction | None  # my weight / the group's public (rounded) weight
    _result: QuarterResult = field(repr=False)
    approval: Snapshot | None = field(default=None, repr=False)

    @property
    def gates(self) -> GateView:
        return self.view.gates

    def pdf(self) -> bytes:
        return statement_pdf(self._result, self.name, snapshot=self.approval, plan=self.plan)

    @property
    def notes(self) -> list[str]:
        """How the plan's design choices shaped this check, in the PDF's own words."""
        return check_notes(self._result, self.payout, self.plan)

    @property
    def pdf_name(self) -> str:
        return statement_filename(self._result, self.name, self.approval)


Approvals = Callable[[str], "Snapshot | None"]


def _no_approvals(quarter: str) -> Snapshot | None:
    return None


class TeamBooks:
    """The loaded books, as the team audience may use them: each quarter as approved (the
    approval in force, when there is one) or else as booked."""

    def __init__(self, scenario: Scenario, group: int | None = None,
                 approvals: Approvals | None = None) -> None:
        self._scenario = scenario
        self.min_group = min_group() if group is None else group
        self._approvals = approvals or _no_approvals
        # Each (quarter, approval) is worked out once per session: a team view runs every
        # earlier quarter too (~14 full quarters a page otherwise).
        self._paid_cache: dict[tuple[str, int | None], tuple[QuarterResult, Plan]] = {}
        self._views: dict[tuple[object, ...], TeamView] = {}
        self._risks: dict[tuple[str, int | None], TeamRisk | None] = {}

    @property
    def plan(self) -> Plan:
        """Company policy as loaded (no personal data)."""
        return self._scenario.plan

    @property
    def quarters(self) -> list[str]:
        """Booked quarters, newest first."""
        fys = self.plan.fiscal_year_start
        return [str(q) for q in reversed(booked_quarters(self._scenario.months, fys))]

    def _approval(self, quarter: str) -> Snapshot | None:
        try:
            return self._approvals(quarter)
        except Exception:  # a damaged or missing store: say "not approved", log why
            _LOG.exception("team pages: approvals of %s could not be read", quarter)
            return None

    def paid(self, quarter: str) -> tuple[QuarterResult, Plan, Snapshot | None]:
        """The quarter as approved (approval in force) or as booked, with its plan."""
        snap = self._approval(quarter)
        key = (quarter, None if snap is None else snap.id)
        if key not in self._paid_cache:
            if snap is not None:
                self._paid_cache[key] = (snap.result(), snap.scenario().plan)
            else:
                s = self._scenario
                self._paid_cache[key] = (compute_scenario(s, Quarter.parse(quarter)), s.plan)
        result, plan = self._paid_cache[key]
        return result, plan, snap

    def view(self, quarter: str) -> TeamView:
        result, plan, snap = self.paid(quarter)
        q = Quarter.parse(quarter)
        past = []
        for earlier in reversed(self.quarters):
            if Quarter.parse(earlier) < q:
                r, p, a = self.paid(earlier)
                past.append((r, p, None if a is None else a.id))
        approval = None if snap is None else snap.id
        key = (quarter, approval, tuple(a for _, _, a in past))
        if key not in self._views:
            self._views[key] = team_view_of(result, plan, past, min_group=self.min_group,
                                            approval=approval)
        return self._views[key]

    def pot_figure(self, quarter: str) -> go.Figure:
        """``figures.pot_progress`` on the quarter's public figures, every person taken out,
        so the figure cannot carry anything finer or more personal than the page."""
        result = self.paid(quarter)[0]
        v = self.view(quarter)
        public = result.model_copy(update={
            "payouts": (), "gp_total": v.gp_to_date, "tel_profit": v.tel_profit,
            "house": v.house, "staff_pool": v.staff_pool, "team_pool": v.team_pool,
            "merit_pool": v.merit_pool, "undistributed": 0})
        return figures.pot_progress(public)

    def risk(self, quarter: str) -> TeamRisk | None:
        """The chance of a bonus and the ranges for an open quarter (None: complete), from
        public inputs only (``tel.analysis.team_risk``). Simulated once per (quarter, data
        version: the books or the approval in force), with the same seed every time."""
        result, plan, snap = self.paid(quarter)
        key = (quarter, None if snap is None else snap.id)
        if key not in self._risks:
            months = self._scenario.months if snap is None else snap.scenario().months
            self._risks[key] = team_risk(result, plan, months, min_group=self.min_group)
        return self._risks[key]

    def writeoff(self, quarter: str, hours: Decimal, rate: Decimal) -> WriteoffEffect:
        result, plan, _ = self.paid(quarter)
        return writeoff_effect_of(result, plan, hours, rate, min_group=self.min_group)

    def estimate(
        self,
        quarter: str,
        salary: Decimal,
        start: date,
        performance: Decimal = Decimal(1),
        average_monthly_gp: Decimal | None = None,
        counted: bool = True,
    ) -> CheckEstimate:
        """``tel.analysis.team.estimate_check`` on this quarter's public aggregates.
        ``counted``: the person is already one of the eligible people (ignored when nobody is)."""
        result, plan, _ = self.paid(quarter)
        fys = plan.fiscal_year_start
        q = Quarter.parse(quarter)
        agg = aggregates_of(result, plan)
        risk = self.risk(quarter)
        return estimate_check(
            agg, salary, start, plan, q.last_day(fys), result.pay_date,
            performance, average_monthly_gp=average_monthly_gp,
            counted=counted and agg.eligible_count > 0, min_group=self.min_group,
            pool_range=None if risk is None else risk.pool_range,
        )

    def statement(self, secret: bytes, token: str, now: datetime) -> PersonalStatement:
        """The statement a personal link opens: the approval in force, else an estimate.
        Raises ``LinkRefused`` for any bad link."""
        name, quarter = verify_statement_token(secret, token, now,
                                               [p.name for p in self._scenario.roster])
        try:
            result, plan, snap = self.paid(str(quarter))
        except (NoBookedMonth, MissingAging) as exc:
            raise LinkRefused(
                f"The figures for {quarter} are not on this site yet. Ask for a new link once "
                "they are booked.", "not_booked") from exc
        me = next((p for p in result.payouts if p.name == name), None)
        if me is None:
            raise LinkRefused(
                f"You are not in the approved figures for {quarter}. Ask the owner.",
                "not_in_approval")
        view = self.view(str(quarter))
        public_w = aggregates_of(result, plan).total_weight_units
        share = Fraction(me.weight, public_w) if me.eligible and public_w else None
        return PersonalStatement(
            name=name, quarter=str(quarter), payout=me, plan=plan, view=view,
            merit_share=share, approval=snap, _result=result,
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
    try:
        books.paid(str(chosen))
    except MissingAging as exc:  # the gate month has no A/R aging: say so, never a traceback
        st.error(f"The figures for {chosen} cannot be shown yet: {exc}.",
                 icon=":material/error:")
        st.stop()
    return str(chosen)


def _approval_in_force(quarter: str) -> Snapshot | None:
    """The approval in force for ``quarter`` in the owners' store (the same data folder),
    or None when it was never approved or there is no store here."""
    from tel.ui.store import get_store  # local: the store opens only when asked

    return get_store().current_snapshot(quarter)


def team_books(scenario: Scenario) -> TeamBooks:
    """This session's ``TeamBooks`` for ``scenario``, kept across reruns (a new scenario, a
    new object). Per session, not ``cache_resource``: nothing shared between browsers."""
    books = st.session_state.get("tel.team_books")
    if books is None or books._scenario is not scenario:
        books = st.session_state["tel.team_books"] = TeamBooks(
            scenario, approvals=_approval_in_force)
    return books

