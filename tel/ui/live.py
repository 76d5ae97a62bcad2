"""Redraw only what a change moves: a page's *sections* and Streamlit's keyed fragment reruns.

A slider on the Plan page or the sidebar's quarter used to rerun the whole page: the menu,
the sidebar, 23 knobs and their captions were rebuilt and redrawn by the browser although
nothing in them had changed (Plan: ~110 elements, ~200 ms of the browser's time per change;
``benchmarks/bench_latency.py``). Now a page puts what depends on the working what-if into
sections, and a callback that changes the what-if ends with :func:`rerun`, which reruns the
*status* (the address bar, the page links, the sidebar's what-if line and the page's
provenance banner) and the sections that depend on what changed, nothing else.

The rules a section keeps, because a keyed rerun runs it alone:

* it reads the working state itself (``state.current()``), never a value the page computed
  before it: that value is the previous full run's;
* everything on the page outside the sections and the status must not depend on the what-if
  or the quarter (the browser test ``test_browser_live`` compares each page after a change
  with a full run of the same page in the same session);
* a callback whose change another widget must show (a preset that moves a slider, a value
  refused by validation, a setting that reshapes other knobs) does not call :func:`rerun`:
  the page then reruns whole, as before; a widget that sits in a section or the status and
  changes more than it (Reset, turning the meeting view off, removing a hypothetical
  person) ends its callback with ``st.rerun()`` or :func:`rerun`, since alone it would
  rerun only its own fragment.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, Final, Literal

import streamlit as st

Change = Literal["quarter", "plan", "gp", "people"]
EVERY: Final[frozenset[Change]] = frozenset({"quarter", "plan", "gp", "people"})
STATUS: Final = "tel.status"  # the status fragment's key (tel.ui.bootstrap)
_SECTIONS: Final = "tel.live.sections"  # session state: key -> what the section depends on

# Off under AppTest (tests/conftest.py): there a keyed rerun's element tree holds only the
# rerun fragments' elements (a browser keeps the rest), so the page tests see full reruns;
# the browser tests (tests/test_browser_live.py) check a keyed rerun shows what a full one does.
keyed_reruns = True


def start() -> None:
    """A full run of a page begins: the sections it draws are registered afresh."""
    st.session_state[_SECTIONS] = {}


def section(key: str, on: Iterable[Change] = EVERY) -> Callable[[Callable[..., None]],
                                                                  Callable[..., None]]:
    """Make a page section: a keyed fragment that :func:`rerun` redraws when one of ``on``
    changes. Its own widgets rerun it alone, as any fragment's."""
    depends = frozenset(on)

    def decorate(draw: Callable[..., None]) -> Callable[..., None]:
        fragment = st.fragment(draw, key=key)

        @wraps(draw)
        def run(*args: Any, **kwargs: Any) -> None:
            st.session_state.setdefault(_SECTIONS, {})[key] = depends
            fragment(*args, **kwargs)

        return run

    return decorate


def rerun(change: Change) -> None:
    """From a widget callback: rerun the status and the sections that depend on ``change``
    instead of the whole page; a page with no such section reruns whole, as it does when
    keyed reruns are off (also for a widget inside a section, which alone would rerun only
    its own section)."""
    keys = [k for k, on in st.session_state.get(_SECTIONS, {}).items() if change in on]
    if keys and keyed_reruns:
        st.rerun([STATUS, *keys])
    st.rerun()
