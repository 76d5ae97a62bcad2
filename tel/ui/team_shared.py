"""The team pages' company-wide figures, worked out once per data version and shared by every
session of the process.

Every employee who opens the pot sees the same quarter of the same books, so the figures that
make it are the same for all of them: ``TeamView``, ``TeamAggregates`` and ``TeamRisk``
(aggregates by construction: ``tel/analysis/team.py``, ``tel/analysis/team_risk.py``), the
plan a quarter was paid under (company policy) and the pot chart drawn from a ``TeamView``.
Worked out per session they cost each new session ~0.2 s and ~13 MB (every booked quarter in
full, for 1,000 people), and forty sessions held forty copies. Here each is built once, by the
first session that asks (the others wait for it rather than build it too), and handed to
every session after.

Safe to share because nothing in it is personal or typed by someone: a key is a fingerprint of
the books (the whole scenario: plan, months, roster, scores), the quarter, the approvals in
force the figures come from, and the privacy threshold; a value must be one of
``SHAREABLE`` (``SharedFigures.get`` refuses anything else). Never shared: a
``QuarterResult`` (it holds every person's check), a personal statement, and whatever a
session typed (write-off hours, a salary) or was worked out from it; those stay in the
session's ``TeamBooks``. A shared value is read-only for everyone: the pydantic models are
frozen, and the pot chart is only ever serialised (``st.plotly_chart`` copies it).

A new data version (other start files after a restart, a new approval) is a new key; old
entries age out of the LRU.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar, cast

import plotly.graph_objects as go

from tel.analysis.team import TeamAggregates, TeamView
from tel.analysis.team_risk import TeamRisk
from tel.core.models import Plan, Scenario
from tel.io.store import Snapshot

SHAREABLE: tuple[type, ...] = (TeamView, TeamAggregates, TeamRisk, Plan, go.Figure, type(None))
"""The only types a shared entry may have: company aggregates, policy, the pot chart; None
(a complete quarter has no risk panel)."""

MAX_ENTRIES = 256  # ~5 kinds x the booked quarters of a few data versions; each entry is small

T = TypeVar("T")


class SharedFigures:
    """A small process-wide LRU of public figures; each key is built once even when many
    sessions ask for it at the same moment."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()
        self._building: dict[Hashable, threading.Lock] = {}

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        """The entry for ``key``, built by ``build`` the first time (an exception is raised to
        the caller and nothing is kept). Raises ``TypeError`` for a value not in ``SHAREABLE``."""
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return cast(T, self._entries[key])
            gate = self._building.setdefault(key, threading.Lock())
        with gate:  # one builder per key; the others wait for its result
            with self._lock:
                if key in self._entries:
                    self._entries.move_to_end(key)
                    return cast(T, self._entries[key])
            try:
                value = build()
                if not isinstance(value, SHAREABLE):
                    raise TypeError(f"{type(value).__name__} may not be shared between sessions")
                with self._lock:
                    self._entries[key] = value
                    while len(self._entries) > self.max_entries:
                        self._entries.popitem(last=False)
            finally:
                with self._lock:
                    self._building.pop(key, None)
        return value

    def values(self) -> list[object]:
        """Every shared value, oldest first (for tests and a look at what is held)."""
        with self._lock:
            return list(self._entries.values())

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


SHARED = SharedFigures()

_FINGERPRINTS: OrderedDict[int, tuple[Scenario, str]] = OrderedDict()  # id -> (the object, fp)
_FP_LOCK = threading.Lock()
_FP_KEEP = 8


def books_fingerprint(scenario: Scenario) -> str:
    """A digest of everything in the scenario (its ``repr``: every field of the plan, months,
    roster and scores; ~13 ms for 1,000 people). Remembered for the last few scenario
    objects, so sessions sharing one object (``tel.ui.data.parse_scenario``) work it out
    once."""
    with _FP_LOCK:
        hit = _FINGERPRINTS.get(id(scenario))
        if hit is not None and hit[0] is scenario:
            return hit[1]
    digest = hashlib.sha256(repr(scenario).encode("utf-8")).hexdigest()
    with _FP_LOCK:
        _FINGERPRINTS[id(scenario)] = (scenario, digest)  # the object is kept: its id stays its
        while len(_FINGERPRINTS) > _FP_KEEP:
            _FINGERPRINTS.popitem(last=False)
    return digest


ApprovalKey = tuple[int, str, str] | None


def approval_key(snap: Snapshot | None) -> ApprovalKey:
    """What identifies an approval in a key: its id and the checksums of what was approved
    (ids alone repeat across stores, e.g. two data folders in one process)."""
    return None if snap is None else (snap.id, snap.inputs_sha256, snap.results_sha256)
