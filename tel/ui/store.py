"""The saved-scenarios store for the pages: one ``Store`` per process and data folder, and the
few steps that join it to the working scenario (save, open, approve).

``st.cache_resource`` hands every session the same ``Store``. That is safe: a ``Store`` holds
no per-user data (only a SQLite connection and a lock that serialises its use, see
``tel/io/store.py``), and every write is its own ``BEGIN IMMEDIATE`` transaction.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from datetime import datetime

import streamlit as st

from tel.core.models import STORED, Scenario
from tel.core.periods import Quarter
from tel.core.policy import shadow_refusal
from tel.io.recognition import Thanks
from tel.io.store import (
    ScenarioInfo,
    Snapshot,
    Store,
    StoreError,
    VersionInfo,
    checked_data_dir,
    default_data_dir,
    sha256_text,
)
from tel.ui import state
from tel.ui.state import Work
from tel.ui.text import md

OPENED_KEY = "store.opened"  # the version id the working source was opened from or saved as
NOTICE_KEY = "store.notice"


@st.cache_resource(show_spinner=False)
def _open(path: str) -> Store:
    return Store(path)


def get_store() -> Store:
    """The store in ``default_data_dir()`` (``TEL_DATA_DIR`` overrides, and must exist);
    raises StoreError (damaged, read-only or missing folder, in plain words) or OSError."""
    return _open(str(checked_data_dir()))


def store_or_stop() -> Store:
    """The store, or a plain error on the page and a stop (never a traceback). Only the pages
    that need the store call this: the others keep working whatever state the store is in."""
    try:
        store = get_store()
    except StoreError as exc:  # already names the file and says what to do
        st.error(md(_sentence(str(exc)), limit=600), icon=":material/database:")
        st.stop()
    except (OSError, sqlite3.Error) as exc:
        st.error(md(f"The saved scenarios cannot be opened in {default_data_dir()}: {exc}. "
                    "Set TEL_DATA_DIR to a folder this app may write to, then reload.",
                    limit=600), icon=":material/database:")
        st.stop()
    if store.read_only:  # reading works; every save says why it cannot
        st.warning(md(f"The store at {store.path} is read-only: saved scenarios and approvals "
                      "can be read, but nothing can be saved, deleted or approved here. Make "
                      "the file and its folder writable, or set TEL_DATA_DIR to a folder this "
                      "app may write to.", limit=600), icon=":material/lock:")
    return store


def _sentence(text: str) -> str:
    """``the store at X is damaged`` -> ``The store at X is damaged.``"""
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


# --------------------------------------------------------------------------- labels


def when(iso: str) -> str:
    """``2026-05-01T14:03:07.123456+00:00`` -> ``2026-05-01 14:03 UTC``."""
    try:
        return datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M UTC")
    except ValueError:
        return iso


@dataclass(frozen=True)
class VersionChoice:
    """A saved version as offered in a picker."""

    scenario: ScenarioInfo
    version: VersionInfo

    @property
    def short(self) -> str:
        """``FY26 plan v3``, at most 32 characters (for a chart title)."""
        text = f"{self.scenario.name} v{self.version.number}"
        return text if len(text) <= 32 else text[:31] + "…"

    @property
    def label(self) -> str:
        note = f" — {self.version.note}" if self.version.note else ""
        text = f"{self.scenario.name} · v{self.version.number}{note}"
        return text if len(text) <= 90 else text[:89] + "…"


def version_choices(store: Store) -> list[VersionChoice]:
    """Every version of every scenario not deleted, newest save first."""
    out = [
        VersionChoice(info, v)
        for info in store.list_scenarios()
        for v in store.versions(info.id)
    ]
    out.sort(key=lambda c: (c.version.created_at, c.version.id), reverse=True)
    return out


def matching_version(work: Work, choices: list[VersionChoice]) -> VersionChoice | None:
    """The saved version whose content is exactly the working scenario (what-if applied)."""
    digest = sha256_text(working_scenario(work).model_dump_json())
    opened = st.session_state.get(OPENED_KEY)
    same = [c for c in choices if c.version.sha256 == digest]
    return next((c for c in same if c.version.id == opened), same[0] if same else None)


# --------------------------------------------------------------------------- steps


def working_scenario(work: Work) -> Scenario:
    """The working scenario (source + what-if), validated: what a save writes. The roster
    passed its entry's text rules when it was loaded (a version saved before a rule existed
    keeps the rules it was saved under, ``STORED``); the what-if's plan and months are
    checked in full."""
    data = work.scenario.model_dump()
    # hypothetical people are kept beside the loaded roster, never as people on it
    data["roster"] = [p.model_dump() for p in work.source.scenario.roster]
    data["people"] = work.whatif.people.model_dump()
    return Scenario.model_validate(data, context=STORED)


def save_working(store: Store, work: Work, *, name: str = "", note: str = "",
                 into: str | None = None) -> VersionInfo:
    """Save the working scenario as a new scenario ``name``, or as the next version of
    ``into``. Raises StoreError with a plain message."""
    scenario = working_scenario(work)
    version = (store.save(into, scenario, note.strip()) if into
               else store.create(name, scenario, note.strip()))
    st.session_state[OPENED_KEY] = version.id
    return version


def open_version(store: Store, version_id: int) -> str:
    """Make a saved version the working data (the what-if starts from its plan)."""
    scenario = store.load_version(version_id)
    version = store.version(version_id)
    info = store.get(version.scenario_id)
    label = md(f"saved: {info.name} v{version.number}", limit=160)
    state.set_source(state.Source(scenario, label, origin="saved"), keep_plan=False)
    st.session_state[OPENED_KEY] = version_id
    return f"{info.name} v{version.number}"


def approve(store: Store, version_id: int, quarter: str, note: str, by: str,
            thanks: Thanks | None = None) -> Snapshot:
    return store.approve(version_id, quarter, note.strip(), by, thanks)


def save_and_approve(store: Store, work: Work, quarter: str, *, name: str, note: str, by: str,
                     into: str | None = None, thanks: Thanks | None = None
                     ) -> tuple[VersionInfo, Snapshot]:
    """The current what-if saved (so the approval can be reproduced), then approved."""
    if not by.strip():
        raise StoreError("say who approves (the approver's name is blank)")
    if work.plan.shadow.covers(Quarter.parse(quarter)):  # before saving: nothing is saved
        raise StoreError(shadow_refusal(quarter, "it cannot be approved"))
    if not work.whatif.people.empty:  # hypothetical people never reach an approval
        raise StoreError("the what-if has hypothetical people: remove them (Plan page, People "
                         "what-if) before approving")
    version = save_working(store, work, name=name, note=note or f"approved as {quarter}",
                           into=into)
    return version, store.approve(version.id, quarter, note.strip(), by, thanks)


def slug(name: str) -> str:
    """A file-name-safe form of a scenario name.

    >>> slug("FY26 plan (30%)"), slug("Équipe"), slug("***")
    ('fy26-plan-30', 'equipe', 'scenario')
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_name).strip("-").lower()[:60] or "scenario"

