"""The working scenario: loaded files + the current what-if, one object per browser session.

Widgets change it through callbacks (which run before the script), so every page sees the
same, up-to-date state from its first line. The what-if is mirrored into the URL so a reload
or a shared link reopens it; the loaded files stay in session state only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NoReturn

import streamlit as st

from tel.analysis.provenance import Provenance, working
from tel.analysis.whatif import (
    WhatIf,
    from_query,
    future_quarters,
    like_last_year,
    to_query,
    with_values,
)
from tel.core.models import Month, PeopleChanges, Plan, Scenario
from tel.core.periods import Quarter
from tel.engine.ledger import booked_quarters
from tel.engine.quarter import QuarterResult, compute_scenario
from tel.engine.year import YearResult, compute_year
from tel.rules.gates import MissingAging

SOURCE_KEY = "tel.source"
WHATIF_KEY = "tel.analysis.whatif"
RESULTS_KEY = "tel.results"  # the session's recent exact results (``computed``)
KEEP_RESULTS = 6  # a page's working and loaded results, and a quarter or two to go back to


@dataclass
class Source:
    """What the session is working on before any what-if: files, an upload or a saved version."""

    scenario: Scenario
    label: str
    origin: str = "files"  # "files", "upload", "saved"
    # the loaders' warnings about the files in use, by kind ("plan", "roster", "months"):
    # shown at start-up and kept in view on the Data page (a gap in the months, say)
    warnings: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # the quarter a new session opens on when the link names none (the sample data's worked
    # example); None: the latest booked quarter
    start_quarter: str | None = None


@dataclass
class Work:
    """Read-mostly view of the session's state for one script run."""

    source: Source
    whatif: WhatIf
    _result: QuarterResult | None = field(default=None, repr=False)

    @property
    def plan(self) -> Plan:
        return self.whatif.plan

    @property
    def scenario(self) -> Scenario:
        return self.whatif.apply(self.source.scenario)

    @property
    def booked_quarters(self) -> list[Quarter]:
        return booked_quarters(self.source.scenario.months, self.plan.fiscal_year_start)

    @property
    def quarters(self) -> list[Quarter]:
        """Booked quarters, then those to look ahead to (months not booked: assumed GP)."""
        months = self.source.scenario.months
        return [*self.booked_quarters, *future_quarters(months, self.plan.fiscal_year_start)]

    @property
    def quarter(self) -> Quarter:
        booked = self.booked_quarters
        if self.whatif.quarter:
            chosen = Quarter.parse(self.whatif.quarter)
            if chosen in booked or (chosen in self.quarters and _has_gp(self.whatif, chosen)):
                return chosen
        return booked[-1]

    @property
    def ahead(self) -> bool:
        """The chosen quarter has no booked month: every figure of it is an assumption."""
        return self.quarter not in self.booked_quarters

    @property
    def provenance(self) -> Provenance:
        """What the working figures of the chosen quarter are: books, what-if, assumption."""
        w = self.whatif
        return working(self.source.scenario, w.plan, w.gp, self.quarter, w.people)

    @property
    def result(self) -> QuarterResult:
        if self._result is None:
            try:
                self._result = computed(self.source.scenario, self.whatif, self.quarter)
            except MissingAging as exc:
                stop_missing_aging(exc, self.plan.fiscal_year_start, self.quarter)
        return self._result

    def compute(self, plan: Plan | None = None, gp: dict[str, Decimal] | None = None,
                quarter: Quarter | None = None) -> QuarterResult:
        """The current what-if with some parts replaced: for side-by-side comparisons."""
        w = self.whatif.model_copy(
            update={k: v for k, v in (("plan", plan), ("gp", gp)) if v is not None}
        )
        try:
            return computed(self.source.scenario, w, quarter or self.quarter)
        except MissingAging as exc:
            stop_missing_aging(exc, self.plan.fiscal_year_start, quarter or self.quarter)

    def year(self, fiscal_year: int | None = None, plan: Plan | None = None) -> YearResult:
        """The fiscal year (the chosen quarter's by default) under the current what-if, or
        under ``plan`` instead of its plan. Raises ``NoBookedQuarter`` for a year with no
        booked month."""
        s = self.scenario
        try:
            return compute_year(plan or s.plan, s.roster, s.months,
                                self.quarter.year if fiscal_year is None else fiscal_year,
                                s.score_map)
        except MissingAging as exc:
            stop_missing_aging(exc, (plan or s.plan).fiscal_year_start)


def computed(source: Scenario, whatif: WhatIf, quarter: Quarter) -> QuarterResult:
    """The quarter's exact result under ``whatif``, kept for the session's next runs.

    A page's sections each ask for the working result (a keyed rerun runs them alone), the
    Plan page also for the loaded plan's, and the sidebar's quarter goes back and forth: each
    is computed once (~10 ms at 1,000 people, most of it validating 1,000 payouts). Kept by
    the what-if's settings and the quarter, for the source object itself (held in the entry,
    so its ``id`` is never another's); the most recent :data:`KEEP_RESULTS`.
    """
    key = (id(source), whatif.model_dump_json(exclude={"quarter"}), str(quarter))
    kept: dict[tuple[int, str, str], tuple[Scenario, QuarterResult]] = (
        st.session_state.setdefault(RESULTS_KEY, {}))
    hit = kept.pop(key, None)
    if hit is None or hit[0] is not source:
        hit = (source, compute_scenario(whatif.apply(source), quarter))
    kept[key] = hit  # the most recent last
    while len(kept) > KEEP_RESULTS:
        del kept[next(iter(kept))]
    return hit[1]


def missing_aging_text(exc: MissingAging, fiscal_year_start: int,
                       asked: Quarter | None = None) -> str:
    """A gate month without an A/R aging report, in words for the page (Markdown-safe: only
    dates and quarters of the data are quoted). When it is an earlier quarter's than the one
    ``asked`` for, it says that the ledger runs through that quarter first.

    >>> from tel.core.models import Month
    >>> print(missing_aging_text(MissingAging(Month(year=2025, month=12, gp=0,
    ...                                                cash_on_hand=1)), 1))
    A/R aging as of 2025-12-31 is missing: the gates of 2025-Q4 are checked on 2025-12, which has no A/R figures. On the **Data** page, add an A/R aging summary as of 2025-12-31 under *From your books*, or fill in ar_total and ar_90_plus for 2025-12 in the months file.
    """  # noqa: E501
    year, month = (int(x) for x in exc.month.split("-"))
    quarter = Quarter.containing((year, month), fiscal_year_start)
    later = (f" {asked} comes after {quarter} in the ledger, so {quarter}'s gates are needed "
             "first." if asked is not None and asked != quarter else "")
    return (f"{exc}: the gates of {quarter} are checked on {exc.month}, which has no A/R "
            f"figures.{later} On the **Data** page, add an A/R aging summary as of "
            f"{exc.as_of.isoformat()} under *From your books*, or fill in ar_total and "
            f"ar_90_plus for {exc.month} in the months file.")


def stop_missing_aging(exc: MissingAging, fiscal_year_start: int,
                       asked: Quarter | None = None) -> NoReturn:
    """Show why the quarter cannot be computed and stop the page (never a traceback)."""
    st.error(missing_aging_text(exc, fiscal_year_start, asked), icon=":material/error:")
    st.stop()
    raise exc  # st.stop() only stops inside a script run


def init(load_default: Callable[[], Source]) -> tuple[Work, list[str]]:
    """Session state on first run: the default source, the what-if from the URL if any."""
    problems: list[str] = []
    if SOURCE_KEY not in st.session_state:
        st.session_state[SOURCE_KEY] = load_default()
    source: Source = st.session_state[SOURCE_KEY]
    if WHATIF_KEY not in st.session_state:
        params = {k: st.query_params[k] for k in st.query_params}
        whatif, problems = from_query(params, source.scenario.plan, source.scenario.roster)
        if whatif.quarter is None and source.start_quarter:
            whatif = whatif.model_copy(update={"quarter": source.start_quarter})
        st.session_state[WHATIF_KEY] = _looking_ahead(whatif, source.scenario.months)
    return Work(source, st.session_state[WHATIF_KEY]), problems


def current() -> Work:
    return Work(st.session_state[SOURCE_KEY], st.session_state[WHATIF_KEY])


def set_whatif(whatif: WhatIf) -> None:
    st.session_state[WHATIF_KEY] = whatif


def update_plan(**changes: Any) -> list[str]:
    """Apply knob changes after validation; returns plain-words problems (state unchanged).
    Changes are named as :data:`tel.core.policy.FIELDS` names them (``netting=...``, not
    ``netting={"mode": ...}``), so a nested variant keeps its other keys."""
    w: WhatIf = st.session_state[WHATIF_KEY]
    try:
        plan = with_values(w.plan, changes)
    except ValueError as exc:
        return [_plain(exc)]
    set_whatif(w.model_copy(update={"plan": plan}))
    return []


def _plain(exc: ValueError) -> str:
    """A validation error's first message, without pydantic's location lines."""
    errors = getattr(exc, "errors", None)
    if callable(errors):
        found = errors()
        if found:
            return str(found[0].get("msg", exc))
    return str(exc).splitlines()[0]


def set_people(people: PeopleChanges) -> list[str]:
    """Replace the people what-if (hypothetical hires, leavers, raises) when it fits the
    loaded roster; returns plain-words problems (state unchanged)."""
    source: Source = st.session_state[SOURCE_KEY]
    problems = people.problems(source.scenario.roster)
    if not problems:
        w: WhatIf = st.session_state[WHATIF_KEY]
        set_whatif(w.model_copy(update={"people": people}))
    return problems


def set_gp(gp: dict[str, Decimal]) -> None:
    w: WhatIf = st.session_state[WHATIF_KEY]
    set_whatif(w.model_copy(update={"gp": dict(gp)}))


def _has_gp(whatif: WhatIf, quarter: Quarter) -> bool:
    fys = whatif.plan.fiscal_year_start
    return any(f"{y:04d}-{m:02d}" in whatif.gp for y, m in quarter.months(fys))


def _looking_ahead(whatif: WhatIf, months: tuple[Month, ...]) -> WhatIf:
    """A quarter ahead with no GP given starts from GP like the same months last year (or the
    recent average): an assumption, labelled as such on every page."""
    if not whatif.quarter:
        return whatif
    try:
        q = Quarter.parse(whatif.quarter)
    except ValueError:
        return whatif
    fys = whatif.plan.fiscal_year_start
    if q not in future_quarters(months, fys) or _has_gp(whatif, q):
        return whatif
    # the months between the last booked one and the quarter are assumed too (the ledger
    # walks through them: a fourth quarter left incomplete would not release the reserve)
    gp = dict(whatif.gp)
    open_quarter = Quarter.containing(max(m.ym for m in months), fys)
    for ahead in [open_quarter, *future_quarters(months, fys)]:
        if ahead > q:
            break
        for label, value in like_last_year(months, ahead, fys).items():
            gp.setdefault(label, value)
    return whatif.model_copy(update={"gp": gp})


def set_quarter(quarter: str) -> None:
    w: WhatIf = st.session_state[WHATIF_KEY]
    source: Source = st.session_state[SOURCE_KEY]
    set_whatif(_looking_ahead(w.model_copy(update={"quarter": quarter}),
                              source.scenario.months))


def set_source(source: Source, keep_plan: bool = False) -> None:
    """Work on new data. The what-if restarts from its plan unless ``keep_plan``."""
    st.session_state[SOURCE_KEY] = source
    st.session_state.pop(RESULTS_KEY, None)  # the old data's results would only hold it
    w: WhatIf = st.session_state[WHATIF_KEY]
    plan = w.plan if keep_plan else source.scenario.plan
    # a saved what-if's hypothetical people come back with it (beside the loaded roster)
    set_whatif(WhatIf(plan=plan, gp={}, quarter=w.quarter, people=source.scenario.people))
    clear_widgets()


def reset() -> None:
    """Back to the loaded files: the loaded plan, booked GP; the quarter choice stays."""
    source: Source = st.session_state[SOURCE_KEY]
    w: WhatIf = st.session_state[WHATIF_KEY]
    set_whatif(WhatIf(plan=source.scenario.plan, gp={}, quarter=w.quarter,
                      people=source.scenario.people))
    clear_widgets()


def clear_widgets() -> None:
    """Forget widget values mirrored from the state, so widgets re-read it on next render."""
    for key in [k for k in st.session_state if str(k).startswith(("knob.", "gp."))]:
        del st.session_state[key]


def url_params(work: Work) -> dict[str, str]:
    return to_query(work.whatif, work.source.scenario.plan)


def sync_url(wanted: dict[str, str]) -> None:
    """Mirror the what-if's ``url_params`` into the address bar (only when they changed)."""
    have = {k: st.query_params[k] for k in st.query_params}
    if have != wanted:
        st.query_params.from_dict(wanted)
