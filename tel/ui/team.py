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
from collections.abc import Callable, Hashable, Mapping
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
    TeamAggregates,
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
from tel.core.policy import SHADOW_TAG
from tel.engine.ledger import booked_quarters
from tel.engine.quarter import NoBookedMonth, Payout, QuarterResult, compute_scenario
from tel.io.links import LinkRefused, verify_statement_token
from tel.io.recognition import Thanks
from tel.io.store import Snapshot
from tel.render import figures
from tel.render.statement import check_notes, statement_filename, statement_pdf
from tel.rules.gates import MissingAging
from tel.ui.team_shared import SHARED, approval_key, books_fingerprint

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
    thanks: str = ""  # this person's own note of thanks with the approval, and only theirs

    @property
    def gates(self) -> GateView:
        return self.view.gates

    def pdf(self) -> bytes:
        return statement_pdf(self._result, self.name, snapshot=self.approval, plan=self.plan,
                             thanks=self.thanks)

    @property
    def notes(self) -> list[str]:
        """How the plan's design choices shaped this check, in the PDF's own words."""
        return check_notes(self._result, self.payout, self.plan)

    @property
    def pdf_name(self) -> str:
        return statement_filename(self._result, self.name, self.approval)


Approvals = Callable[[str], "Snapshot | None"]
NotesOf = Callable[[int], Thanks]  # an approval's id -> its notes of thanks


def _no_approvals(quarter: str) -> Snapshot | None:
    return None


def _no_notes(snapshot_id: int) -> Thanks:
    return Thanks()


class TeamBooks:
    """The loaded books, as the team audience may use them: each quarter as approved (the
    approval in force, when there is one) or else as booked."""

    def __init__(self, scenario: Scenario, group: int | None = None,
                 approvals: Approvals | None = None, thanks: NotesOf | None = None) -> None:
        self._scenario = scenario
        self.min_group = min_group() if group is None else group
        self._approvals = approvals or _no_approvals
        self._thanks = thanks or _no_notes
        # Only what this session's own inputs need (a write-off, a statement): the result of
        # that quarter. The public figures (views, aggregates, risk, the pot chart) are shared
        # by every session (tel.ui.team_shared), never kept here.
        self._paid_cache: dict[tuple[str, int | None], tuple[QuarterResult, Plan]] = {}
        self._snaps: dict[str, Snapshot | None] = {}  # approvals read this run (new_run)
        self._all_read = False  # _snaps holds every approval in force (new_run was given it)
        self._fingerprint: str | None = None  # of the scenario, for the shared figures' keys

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
        """The approval in force, read once per run (see ``new_run``): a pot depends on every
        earlier quarter's, and one run never mixes two states of the store."""
        if quarter not in self._snaps:
            if self._all_read:  # new_run was given every approval in force: not approved
                self._snaps[quarter] = None
                return None
            try:
                self._snaps[quarter] = self._approvals(quarter)
            except Exception:  # a damaged or missing store: say "not approved", log why
                _LOG.exception("team pages: approvals of %s could not be read", quarter)
                self._snaps[quarter] = None
        return self._snaps[quarter]

    def new_run(self, in_force: Mapping[str, Snapshot] | None = None) -> None:
        """Read the approvals in force again from the next figure on: ``team_books`` calls
        this at the start of every script run, so an approval made meanwhile shows on the
        next one. ``in_force``: every approval in force by quarter, read at once (one store
        read a run, not one per quarter a pot depends on); a quarter not in it is not
        approved."""
        self._snaps.clear()
        self._all_read = in_force is not None
        self._snaps.update(in_force or {})

    def paid(self, quarter: str) -> tuple[QuarterResult, Plan, Snapshot | None]:
        """The quarter as approved (approval in force) or as booked, with its plan; kept in
        this session (what a session types is worked out on it)."""
        snap = self._approval(quarter)
        key = (quarter, None if snap is None else snap.id)
        if key not in self._paid_cache:
            self._paid_cache[key] = self._work_out(quarter, snap)
        result, plan = self._paid_cache[key]
        return result, plan, snap

    def _work_out(self, quarter: str, snap: Snapshot | None) -> tuple[QuarterResult, Plan]:
        if snap is not None:
            return snap.result(), snap.scenario().plan
        s = self._scenario
        return compute_scenario(s, Quarter.parse(quarter)), s.plan

    def _worked_out(self, quarter: str) -> tuple[QuarterResult, Plan, Snapshot | None]:
        """``paid`` for a shared figure's builder: this session's result when it has it, else
        worked out and not kept (the shared figure is what is kept, once for everyone)."""
        snap = self._approval(quarter)
        kept = self._paid_cache.get((quarter, None if snap is None else snap.id))
        result, plan = kept if kept is not None else self._work_out(quarter, snap)
        return result, plan, snap

    def _key(self, kind: str, quarter: str, *more: Hashable) -> tuple[Hashable, ...]:
        """A shared figure's key: these books, the threshold, the quarter and its approval."""
        if self._fingerprint is None:
            self._fingerprint = books_fingerprint(self._scenario)
        return (kind, self._fingerprint, self.min_group, quarter,
                approval_key(self._approval(quarter)), *more)

    def _view_key(self, quarter: str) -> tuple[Hashable, ...]:
        """A view also shows every earlier quarter, as approved or booked."""
        q = Quarter.parse(quarter)
        return self._key("view", quarter, tuple(
            approval_key(self._approval(e)) for e in self._earlier(q)))

    def _earlier(self, q: Quarter) -> list[str]:
        """The booked quarters before ``q``, oldest first."""
        return [e for e in reversed(self.quarters) if Quarter.parse(e) < q]

    def aggregates(self, quarter: str) -> TeamAggregates:
        """The quarter's public aggregates (``tel.analysis.team.aggregates_of``), shared."""
        def build() -> TeamAggregates:
            result, plan, _ = self._worked_out(quarter)
            return aggregates_of(result, plan)

        return SHARED.get(self._key("aggregates", quarter), build)

    def quarter_plan(self, quarter: str) -> Plan:
        """The plan ``quarter`` is paid under: the approved one, else the books'."""
        snap = self._approval(quarter)
        if snap is None:
            return self._scenario.plan
        return SHARED.get(self._key("plan", quarter), lambda: snap.scenario().plan)

    def _notes(self, snap: Snapshot | None) -> Thanks:
        if snap is None:
            return Thanks()
        try:
            return self._thanks(snap.id)
        except Exception:  # a damaged or missing store: no note, log why
            _LOG.exception("team pages: the notes of approval #%s could not be read", snap.id)
            return Thanks()

    def team_note(self, quarter: str) -> tuple[str, str]:
        """The approval in force's note of thanks to the whole team, and who approved it
        (``("", "")`` when there is none): public to every employee, never a person's note."""
        snap = self._approval(quarter)
        note = self._notes(snap).team
        return (note, snap.approved_by) if note and snap is not None else ("", "")

    def is_shadow(self, quarter: str) -> bool:
        """Whether the plan runs ``quarter`` in shadow: what it would pay, not paid. From the
        plan it is paid under, as the ledger decides it (``Shadow.covers``): no result is
        worked out in the session for it."""
        return self.quarter_plan(quarter).shadow.covers(Quarter.parse(quarter))

    def view(self, quarter: str) -> TeamView:
        """The quarter's public figures, worked out once for every session with the same
        books and approvals in force (``tel.ui.team_shared``)."""
        def build() -> TeamView:
            result, plan, snap = self._worked_out(quarter)
            past = []
            for earlier in self._earlier(Quarter.parse(quarter)):
                r, p, a = self._worked_out(earlier)
                past.append((r, p, None if a is None else a.id))
            return team_view_of(result, plan, past, min_group=self.min_group,
                                approval=None if snap is None else snap.id)

        return SHARED.get(self._view_key(quarter), build)

    def pot_figure(self, quarter: str) -> go.Figure:
        """``figures.pot_progress`` on the quarter's public figures, every person taken out,
        so the figure cannot carry anything finer or more personal than the page. Shared by
        every session like the view: read it, never change it (``st.plotly_chart`` copies
        it)."""
        v = self.view(quarter)

        def build() -> go.Figure:
            result = self._worked_out(quarter)[0]
            public = result.model_copy(update={
                "payouts": (), "gp_total": v.gp_to_date, "tel_profit": v.tel_profit,
                "house": v.house, "staff_pool": v.staff_pool, "team_pool": v.team_pool,
                "merit_pool": v.merit_pool, "undistributed": 0})
            fig = figures.pot_progress(public)
            if result.shadow:  # a screenshot of the chart alone still says it is not paid
                figures.tag_title(fig, SHADOW_TAG, warn=True)
            return fig

        return SHARED.get(("pot_figure", *self._view_key(quarter)), build)

    def risk(self, quarter: str) -> TeamRisk | None:
        """The chance of a bonus and the ranges for an open quarter (None: complete), from
        public inputs only (``tel.analysis.team_risk``). Simulated once per (quarter, data
        version: the books or the approval in force), with the same seed every time, and
        shared by every session."""
        def build() -> TeamRisk | None:
            result, plan, snap = self._worked_out(quarter)
            months = self._scenario.months if snap is None else snap.scenario().months
            return team_risk(result, plan, months, min_group=self.min_group)

        return SHARED.get(self._key("risk", quarter), build)

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
        plan = self.quarter_plan(quarter)
        q = Quarter.parse(quarter)
        agg = self.aggregates(quarter)  # shared: nobody's own result is worked out for this
        risk = self.risk(quarter)
        return estimate_check(
            agg, salary, start, plan, q.last_day(plan.fiscal_year_start), plan.pay_date(q),
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
            thanks=self._notes(snap).for_person(name),  # this person's note alone
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
        books.aggregates(str(chosen))  # shared: works the quarter out once for everyone
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


def _approvals_in_force() -> dict[str, Snapshot]:
    """Every approval in force in the owners' store, by quarter, in one read; none when the
    store cannot be read (logged: the pages then say "not approved")."""
    from tel.ui.store import get_store  # local: the store opens only when asked

    try:
        return {s.quarter: s for s in get_store().snapshots(current_only=True)}
    except Exception:  # a damaged or missing store: say "not approved", log why
        _LOG.exception("team pages: the approvals in force could not be read")
        return {}


def _notes_in_store(snapshot_id: int) -> Thanks:
    """The notes of thanks kept with an approval in the owners' store."""
    from tel.ui.store import get_store  # local: the store opens only when asked

    return get_store().thanks(snapshot_id)


def team_books(scenario: Scenario) -> TeamBooks:
    """This session's ``TeamBooks`` for ``scenario``, kept across reruns (a new scenario, a
    new object), reading the approvals in force afresh on every run. Per session: it keeps
    what this session typed and worked out (a write-off, a statement); the company-wide
    figures it hands out are shared by every session (``tel.ui.team_shared``)."""
    books = st.session_state.get("tel.team_books")
    if books is None or books._scenario is not scenario:
        books = st.session_state["tel.team_books"] = TeamBooks(
            scenario, approvals=_approval_in_force, thanks=_notes_in_store)
    books.new_run(_approvals_in_force())
    return books

