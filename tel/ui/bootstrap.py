"""The first call of every page: config, audience gate, data, sidebar, URL."""

from __future__ import annotations

import gc
import logging
import sys

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from tel.analysis.whatif import WhatIf
from tel.io.startfiles import WORKED_EXAMPLE_QUARTER, StartArgsError, is_sample, start_files
from tel.ui import auth, live, meeting, state
from tel.ui.data import read_start_files
from tel.ui.pages import BY_KEY, TEAM_HOME, current_audience, visible_pages
from tel.ui.state import SOURCE_KEY, WHATIF_KEY, Source, Work
from tel.ui.text import md
from tel.ui.widgets import provenance_banner

_LOG = logging.getLogger(__name__)


_frozen = False  # the process's one gc.freeze() is done: process-wide, no per-user data


def keep_reruns_fast() -> None:
    """Take what the imports built out of the garbage collector's sight, once per process.

    A full collection walks every tracked object: with streamlit, pandas, plotly and pydantic
    imported that is ~130,000 objects and tens of milliseconds. ``gc.freeze()`` moves the
    objects alive now to a permanent generation the collector skips; they are still freed by
    reference counting, but a cycle frozen now is never reclaimed, so it must run only once,
    at the process's first run (then it catches that first session's few objects at most:
    a bounded, one-off cost). It once ran again whenever modules had been imported since
    (plotly and altair load lazily): with forty sessions open that froze all of their
    objects, and none of those sessions was ever freed (``benchmarks/bench_sessions.py``).
    Streamlit's full ``gc.collect(2)`` after every run is off (``runner.postScriptGC`` in
    ``.streamlit/config.toml``), so what is imported later costs only Python's own, rare,
    full collections. ``bootstrap`` calls this first.
    """
    global _frozen
    if not _frozen:
        gc.collect()
        gc.freeze()
        _frozen = True


class _LoadFailed(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _load_default() -> Source:
    try:
        files = start_files(sys.argv[1:])
    except StartArgsError as refused:  # never ignored: it could show the sample's payouts
        raise _LoadFailed([str(refused)]) from refused
    parsed = read_start_files(files)
    scenario = parsed.scenario
    if scenario is None:
        raise _LoadFailed(parsed.errors)
    same_dir = files.plan.parent == files.roster.parent == files.months.parent
    label = md((f"{files.plan.parent.name}/" if same_dir else "") + ", ".join(
        p.name for p in (files.plan, files.roster, files.months)
    ), limit=200)  # a Source label is shown in Markdown: file names are user text
    return Source(scenario=scenario, label=label, origin="files", warnings=parsed.warnings,
                  start_quarter=WORKED_EXAMPLE_QUARTER if is_sample(files) else None)


def bootstrap(page_key: str, banner: bool = True) -> Work:
    """Set up a page. Stops the script (before any data is read) when this audience may not
    see the page, or when the start files are unusable. ``banner=False``: the page draws its
    own provenance banner first (the Fiscal year page: what the year's figures are, not the
    chosen quarter's)."""
    keep_reruns_fast()  # before any of this run's objects exist
    live.start()  # before any stop: a page that stops has no sections to rerun
    spec = BY_KEY[page_key]
    st.set_page_config(page_title=f"{spec.label} · TEL bonus", page_icon=":material/savings:",
                       layout="wide")
    audience = current_audience()
    if page_key == "home" and audience == "team":
        st.switch_page(TEAM_HOME)
    if audience not in spec.audiences:  # before anything is read: a deep link gets nothing
        with st.sidebar:
            _nav(audience, {})
        st.error("This page is not available here. The pages you can open are in the menu.")
        st.stop()
    if audience == "team":
        return _team_work()
    auth.owner_gate()  # [auth] -> login + owners' allow-list; else a warning when exposed
    first_run = SOURCE_KEY not in st.session_state
    try:
        work, problems = state.init(_load_default)
    except _LoadFailed as failed:
        st.error("The start files could not be used:\n\n" + "\n".join(
            f"- {md(p, 300)}" for p in failed.problems))  # problems quote cells
        st.info("Fix the files and reload, or start without arguments to use the sample data.")
        st.stop()
    problems = [md(p, 300) for p in problems]  # they quote the link's settings as given
    if first_run:  # the start files' warnings once; the Data page keeps them in view
        problems = [md(w, 400) for lines in work.source.warnings.values() for w in lines] + problems
    meeting.init()  # from the address on a session's first run (meeting=1)
    if meeting.is_on() and problems:  # they may quote a link's raise or a file's cell
        problems = [f"{len(problems)} note(s) about the link or the files are hidden in "
                    "meeting view."]
    for p in problems:
        st.toast(p, icon=":material/warning:")
    nav = st.sidebar.container()
    _sidebar_controls(work)
    what_if = st.sidebar.container()
    meeting.style()
    _status(audience, nav, what_if, banner)  # first on the page: what its figures are
    work = state.current()
    if meeting.is_on() and page_key in meeting.HIDDEN_PAGES:
        meeting.hidden_page(spec.label)  # stops: nothing on it but people
    return work


def _team_work() -> Work:
    """The team audience: the books as loaded, with no what-if, nothing read from or written
    to the URL, no quarter picker or data label in the sidebar, and error details hidden (a
    traceback could quote a cell of the roster). Pages reach the data only through
    ``tel.ui.team.TeamBooks``, which returns aggregates or one verified person's figures."""
    if st.get_option("client.showErrorDetails") != "none":
        st.set_option("client.showErrorDetails", "none")
    with st.sidebar:
        _nav("team", {})
    if SOURCE_KEY not in st.session_state:
        try:
            st.session_state[SOURCE_KEY] = _load_default()
        except _LoadFailed as failed:  # the problems quote cells: keep them in the server log
            _LOG.error("team pages: the start files could not be used: %s", failed.problems)
            st.error("The bonus figures cannot be shown right now: the owner needs to check "
                     "the files this site runs on.")
            st.stop()
    source: Source = st.session_state[SOURCE_KEY]
    if WHATIF_KEY not in st.session_state:
        st.session_state[WHATIF_KEY] = WhatIf(plan=source.scenario.plan, gp={}, quarter=None)
    meeting.style()  # never on here: the team pages' KPIs fit as on every page
    return state.current()


@st.fragment(key=live.STATUS)
def _status(audience: str, nav: DeltaGenerator, what_if: DeltaGenerator, banner: bool) -> None:
    """What follows the working what-if everywhere but in the page's own sections: the address
    bar, the page links (they carry it), the sidebar's what-if line and Reset, the provenance
    banner. :func:`tel.ui.live.rerun` reruns it with the sections."""
    work = state.current()
    params = state.url_params(work)
    links = link_params(work, params)
    state.sync_url(links)
    with nav:
        _nav(audience, links)
    with what_if:
        changed = {k: v for k, v in params.items() if k != "q"}
        if changed:
            # another quarter's GP can differ while this quarter's figures are the books: the
            # banner says "nothing changed" and this line says why both are true
            aside = (f" None of them changes {work.quarter}'s figures."
                     if work.provenance.kind in ("books", "shadow") else "")
            st.caption(f"What-if: {len(changed)} setting(s) differ from the loaded files."
                       + aside)
        st.button(
            "Reset to loaded files",
            on_click=_reset,
            disabled=not changed,
            width="stretch",
            help="Back to the loaded plan and booked GP.",
        )
    if banner:
        provenance_banner(work.provenance)


def link_params(work: Work, params: dict[str, str] | None = None) -> dict[str, str]:
    """What the address and every page link carry: the what-if (``params``, the work's
    when not given), and ``meeting=1`` while the meeting view is on."""
    return meeting.link_params(state.url_params(work) if params is None else params,
                               meeting.is_on())


def _reset() -> None:
    """Back to the loaded files, the whole page: the knobs and sliders show it too (the button
    sits in the status fragment, which alone would rerun only itself)."""
    state.reset()
    st.rerun()


def _nav(audience: str, params: dict[str, str]) -> None:
    """The page links, in the current container (the sidebar)."""
    st.markdown("### :material/savings: TEL bonus")
    section = None
    for page in visible_pages("team" if audience == "team" else "owner"):
        if page.section != section:
            section = page.section
            st.caption(section)
        st.page_link(page.path, label=page.label, icon=page.icon, query_params=params)


def _pick_quarter(key: str) -> None:
    state.set_quarter(st.session_state[key])
    live.rerun("quarter")  # the page's sections and the status, not the sidebar and menu


def _sidebar_controls(work: Work) -> None:
    quarters = [str(q) for q in work.quarters]
    current = str(work.quarter)
    with st.sidebar:
        st.divider()
        meeting.switch()  # hides every name and salary; stays on until turned off
        key = "tel.quarter_pick"
        # Always assign: the same key on another page is a new widget that would otherwise
        # show its first option while the pages compute the chosen quarter.
        st.session_state[key] = current
        booked = {str(q) for q in work.booked_quarters}
        st.selectbox(
            "Quarter",
            quarters[::-1],
            key=key,
            format_func=lambda q: q if q in booked else f"{q} (ahead: assumed GP)",
            on_change=_pick_quarter,
            args=(key,),
            help="Quarters with at least one booked month (a quarter not yet complete shows "
            "its quarter-to-date figures), then the quarters ahead in this fiscal year: their "
            "GP starts like the same months last year and can be changed on GP scenarios. "
            "Every figure of a quarter ahead is an assumption.",
        )
        st.caption(f"Data: {work.source.label}")
