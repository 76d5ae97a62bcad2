"""The meeting view: one switch that hides every name and salary on the owners' pages.

For a leadership meeting on a projector. While it is on:

* no per-person name, salary or check is sent to the browser: the pages ask
  :func:`is_on` before they build a per-person table, chart, widget or download, and draw
  an aggregate instead (checks as head counts in dollar bands, gainers and losers as counts
  and bands: :mod:`tel.ui.bands`), or :func:`hidden` ("Hidden in meeting view") with a
  button that turns it off. The Approve and Personal links pages, which are nothing but
  people, stop in ``bootstrap`` with that note (:data:`HIDDEN_PAGES`). Filtering happens in
  Python: nothing is hidden by CSS that the browser still holds;
* type is large (:data:`CSS`, our own constant text, never user text), KPIs go two to a row
  and wrap rather than cut, charts get larger fonts (:func:`tel.render.figures.projector`);
* it stays on across pages and reloads: the state is in the session, and ``meeting=1`` rides
  in the address and in every page link, like the what-if. The people what-if (hires,
  leavers, raises: a raise is a salary) is then left out of the address and the links; it
  stays in the session, and comes back into the address when the view is turned off.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

import streamlit as st

KEY: Final = "tel.meeting"  # session state: True while the meeting view is on
WIDGET: Final = "tel.meeting_toggle"  # the sidebar switch (mirrors KEY on every page)
PARAM: Final = "meeting"  # in the address and the page links: meeting=1
HIDDEN_NOTE: Final = "Hidden in meeting view — turn it off to see people."
HIDDEN_PAGES: Final = frozenset({"approve", "links"})  # nothing on them but people
_PEOPLE_PARAMS: Final = ("hire", "leave", "raise")  # the people what-if's link settings

# Every page, meeting view or not: a KPI value wraps rather than ending in "...", and beside
# others (wider than a phone) its type shrinks with the window, so "$202,120.00" fits three to
# a row at 1024 px. A phone stacks the KPIs and keeps the full size.
BASE_CSS: Final = """<style>
[data-testid="stMetricValue"] * { text-overflow: clip; white-space: normal; }
@media (min-width: 641px) {
  [data-testid="stMetricValue"] { font-size: clamp(1.5rem, 2.6vw, 2.25rem); }
}
</style>"""

CSS: Final = """<style>
/* The meeting view (tel/ui/meeting.py): large type for a projector at 1024 x 768, and the
   page's own width for it (Streamlit's wide layout keeps 5rem each side). */
[data-testid="stMainBlockContainer"] { padding: 2.5rem 1.5rem 4rem 1.5rem; max-width: none; }
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] li,
[data-testid="stMain"] [data-testid="stAlertContainer"] p { font-size: 1.3rem; line-height: 1.45; }
[data-testid="stMain"] [data-testid="stCaptionContainer"],
[data-testid="stMain"] [data-testid="stCaptionContainer"] p { font-size: 1.1rem; }
[data-testid="stMain"] h1 { font-size: 2.6rem; }
[data-testid="stMain"] h2 { font-size: 2.1rem; }
[data-testid="stMain"] h3 { font-size: 1.8rem; }
[data-testid="stMain"] [data-testid="stMetricLabel"] p { font-size: 1.25rem; }
[data-testid="stMain"] [data-testid="stMetricValue"],
[data-testid="stMain"] [data-testid="stMetricValue"] p { font-size: 2.5rem; line-height: 1.2; }
[data-testid="stMain"] [data-testid="stMetricValue"] *,
[data-testid="stMain"] [data-testid="stMetricLabel"] * {
  overflow: visible; text-overflow: clip; white-space: normal; overflow-wrap: anywhere; }
[data-testid="stMain"] [data-testid="stMetricDelta"] { font-size: 1.1rem; }
[data-testid="stMain"] [data-testid="stTable"] th,
[data-testid="stMain"] [data-testid="stTable"] td { font-size: 1.2rem; }
[data-testid="stMain"] [data-testid="stWidgetLabel"] p,
[data-testid="stMain"] button [data-testid="stMarkdownContainer"] p { font-size: 1.15rem; }
</style>"""


def is_on() -> bool:
    """Whether the meeting view is on in this session (owners' pages only)."""
    return bool(st.session_state.get(KEY, False))


def init() -> None:
    """On a session's first run, the address says whether the view starts on (a reload or a
    shared link keeps it); after that the session's state rules."""
    if KEY not in st.session_state:
        st.session_state[KEY] = st.query_params.get(PARAM) == "1"


def turn_off() -> None:
    """The button beside a hidden part: the whole page, sidebar switch and type included
    (the button can sit in a page section, which alone would rerun only itself)."""
    st.session_state[KEY] = False
    st.rerun()


def _from_switch() -> None:
    st.session_state[KEY] = bool(st.session_state[WIDGET])


def link_params(params: Mapping[str, str], on: bool) -> dict[str, str]:
    """What the address and the page links carry: the what-if's ``params``, and while the
    view is ``on`` also ``meeting=1``, without the people what-if (a raise is a salary).

    >>> link_params({"q": "2026-Q3", "raise5": "72000", "hire1": "6,x", "house_pct": "30"}, True)
    {'q': '2026-Q3', 'house_pct': '30', 'meeting': '1'}
    >>> link_params({"q": "2026-Q3", "raise5": "72000"}, False)
    {'q': '2026-Q3', 'raise5': '72000'}
    """
    if not on:
        return dict(params)
    kept = {k: v for k, v in params.items()
            if not (k.startswith(_PEOPLE_PARAMS) and k.rstrip("0123456789") in _PEOPLE_PARAMS)}
    return {**kept, PARAM: "1"}


def switch() -> None:
    """The sidebar switch. Its value is set from the state before it is drawn: the same key
    on another page is a new widget that would otherwise start off."""
    st.session_state[WIDGET] = is_on()
    st.toggle("Meeting view", key=WIDGET, on_change=_from_switch,
              help="For a shared screen: hides every name and salary on every page (checks "
              "show as head counts in dollar bands), in large type. Stays on across pages "
              "and reloads until turned off.")
    if is_on():
        st.caption(":violet-badge[:material/co_present: Meeting view on] no names, no "
                   "salaries")


def badge() -> None:
    """The main area's sign that the view is on (under the provenance banner)."""
    if is_on():
        st.badge("Meeting view: no names or salaries", icon=":material/co_present:",
                 color="violet")


def style() -> None:
    """The page's CSS, with large type while the view is on: our constant text, never user
    text."""
    st.html(BASE_CSS + (CSS if is_on() else ""))


def hidden(key: str, what: str = "") -> None:
    """The note that stands where people would be, with a button that turns the view off."""
    with st.container(border=True):
        st.info((f"**{what}.**  \n" if what else "") + HIDDEN_NOTE,
                icon=":material/visibility_off:")
        st.button("Turn off meeting view", key=f"meeting.off.{key}", on_click=turn_off,
                  icon=":material/visibility:")


def hidden_page(title: str) -> None:
    """A page that is nothing but people: its title and the note, then stop."""
    st.title(title)
    hidden("page", "Every figure on this page is a person's")
    st.stop()
