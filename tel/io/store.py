"""Saved scenarios and approved quarters in one SQLite file, append-only.

Nothing a user saved is ever lost:

* every save is a new *version* row; versions are never updated or deleted (SQLite triggers
  raise on UPDATE/DELETE, so not even a bug or a hand-typed SQL statement can rewrite one);
* deleting a scenario appends a ``deleted`` event (a tombstone) and ``restore`` appends a
  ``restored`` event: the scenario and all its versions stay in the file;
* two live (not deleted) scenarios never share a name, compared by :func:`name_key`
  (spaces collapsed, Unicode NFC, case folded): creating or renaming to a taken name raises
  ``NameTaken``; an import, or a restore, whose name is taken gets the next free
  ``" (2)"``, ``" (3)"``...;
* approving a quarter stores a frozen *snapshot*: a copy of the inputs (not a reference to
  them), the full results with every payout in cents, their checksums and the totals, and
  with it the owner's notes of thanks (one for the team, one for any person; table
  ``thanks``). A shadow quarter (``[shadow]`` in the plan) is never approved;
* the team's answers to the pulse question (:mod:`tel.io.recognition`) are two tables kept
  apart: ``pulse_voters`` (quarter and a keyed hash: who answered, so nobody answers twice)
  and ``pulse_answers`` (quarter, score and comment under a random key: what was answered).
  Neither has a time nor a row number in insertion order (``WITHOUT ROWID``), so nothing in
  the file joins an answer to the person who gave it.

Re-approving a quarter. A company pays a quarter once, whichever scenario it came from, so
approvals are kept per quarter across the whole store: approving a quarter that already has a
current snapshot appends a new snapshot whose ``supersedes`` names the previous one. The old
snapshot is never changed; "current" is derived (the one nobody supersedes), and a unique
index keeps the chain linear even when two people approve at the same moment.

Concurrency. Each write runs in ``BEGIN IMMEDIATE`` (the write lock is taken before reading
the next version number), with WAL and a busy timeout, so two processes saving at once both
succeed and version numbers stay unique and gapless per scenario. One ``Store`` may be
shared by threads: a lock serialises its use of the connection.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import threading
import unicodedata
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

import platformdirs
from pydantic import BaseModel, ConfigDict, ValidationError

from tel.core.models import STORED, Scenario
from tel.core.money import Cents
from tel.core.periods import Quarter
from tel.core.policy import shadow_refusal
from tel.core.text import clean_text, forbidden
from tel.engine.quarter import NoBookedMonth, QuarterResult, compute_scenario
from tel.io.recognition import PulseSummary, Thanks, clean_answer, clean_thanks, summarise
from tel.rules.gates import MissingAging

__all__ = [
    "DB_FILENAME",
    "EXPORT_FORMAT",
    "EXPORT_FORMAT_VERSION",
    "SCHEMA_VERSION",
    "AlreadyAnswered",
    "Event",
    "ImportRefused",
    "ImportResult",
    "NameTaken",
    "NotFound",
    "ParsedExport",
    "ParsedVersion",
    "ScenarioInfo",
    "Snapshot",
    "Store",
    "StoreDamaged",
    "StoreError",
    "StoreReadOnly",
    "VersionInfo",
    "checked_data_dir",
    "data_folder",
    "default_data_dir",
    "name_key",
    "parse_export",
    "plain_errors",
    "sha256_text",
]

DB_FILENAME = "tel.sqlite3"
EXPORT_FORMAT = "tel-bonus-scenario"
EXPORT_FORMAT_VERSION = 1
BUSY_TIMEOUT_MS = 10_000
MAX_IMPORT_BYTES = 50 * 1024 * 1024

_FROZEN = ConfigDict(frozen=True, extra="forbid")


def default_data_dir() -> Path:
    """Where the store lives: ``$TEL_DATA_DIR`` if set, else the user's data folder."""
    env = os.environ.get("TEL_DATA_DIR", "").strip()
    return Path(env) if env else Path(platformdirs.user_data_dir("tel-bonus"))


_DB_SUFFIXES = (".sqlite3", ".sqlite", ".db")


def checked_data_dir() -> Path:
    """``default_data_dir()``, refusing a ``TEL_DATA_DIR`` that names no existing folder.

    A mistyped ``TEL_DATA_DIR`` must not quietly start a new, empty store beside the real one,
    so an explicitly set folder (or, for a path to a ``.sqlite3`` file, its folder) must exist
    already: nothing is created for it. The default folder (platformdirs) may still be created.
    Raises ``StoreError`` naming the folder.
    """
    folder = default_data_dir()
    if not os.environ.get("TEL_DATA_DIR", "").strip():
        return folder
    where = data_folder(folder)
    whose = ", which" if where == folder else f", whose folder {where},"
    if not where.exists():
        raise StoreError(
            f"TEL_DATA_DIR is {folder}{whose} does not exist (is it mistyped?); create the "
            "folder or correct TEL_DATA_DIR, then start again. Nothing was created"
        )
    if not where.is_dir():
        raise StoreError(
            f"TEL_DATA_DIR is {folder}{whose} is not a folder; set TEL_DATA_DIR to the folder "
            "that holds (or will hold) tel.sqlite3"
        )
    return folder


def data_folder(location: Path) -> Path:
    """The folder of a data location: ``location`` itself, or the folder of a store file
    named directly (``TEL_DATA_DIR=/srv/tel/bonus.sqlite3``). The link secret lives there.

    >>> data_folder(Path("/srv/tel")), data_folder(Path("/srv/tel/bonus.sqlite3"))
    (PosixPath('/srv/tel'), PosixPath('/srv/tel'))
    """
    return location.parent if location.suffix.lower() in _DB_SUFFIXES else location


def _writable(path: Path) -> bool:
    """Whether this process may write the store file and its folder (SQLite writes its -wal
    and -shm files beside the database)."""
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return False
    return not path.exists() or os.access(path, os.W_OK)


def sha256_text(text: str) -> str:
    """Hex SHA-256 of ``text`` as UTF-8.

    >>> sha256_text("")[:16]
    'e3b0c44298fc1c14'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


# --------------------------------------------------------------------------- errors


class StoreError(Exception):
    """A problem with the store, worded for a person (shown as is, never as a traceback)."""


class NotFound(StoreError):
    """No scenario, version or snapshot with that id."""


class StoreDamaged(StoreError):
    """The store's file is damaged. It is left exactly as it is: never repaired, overwritten
    or recreated, so a backup or a recovery tool can still get at what it holds."""


class StoreReadOnly(StoreError):
    """The store cannot be written (its file or folder is read-only); reading still works."""


class NameTaken(StoreError):
    """Another live scenario already has that name (as compared by :func:`name_key`)."""


class AlreadyAnswered(StoreError):
    """This person (or browser session) has answered the pulse for that quarter already."""


class ImportRefused(StoreError):
    """An import file was refused; ``problems`` lists every reason in plain words."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("The file was not imported: " + "; ".join(self.problems))


# --------------------------------------------------------------------------- records


class ScenarioInfo(BaseModel):
    """One saved scenario as listed: identity, name, state and its latest version."""

    model_config = _FROZEN

    id: str
    name: str
    created_at: str
    deleted: bool
    version_count: int
    latest_version_id: int
    latest_number: int
    updated_at: str


class VersionInfo(BaseModel):
    """One saved version (without its content; load it with ``Store.load_version``)."""

    model_config = _FROZEN

    id: int
    scenario_id: str
    number: int
    created_at: str
    note: str
    sha256: str
    origin: str


class Event(BaseModel):
    """A line of a scenario's history: created, renamed, deleted, restored, imported."""

    model_config = _FROZEN

    id: int
    scenario_id: str
    kind: str
    at: str
    detail: str


class Snapshot(BaseModel):
    """An approved quarter, exactly as approved. Money in cents.

    ``inputs_json`` and ``results_json`` are the stored texts, byte for byte; ``scenario()``
    and ``result()`` parse them. ``superseded_by`` is the only derived field: the id of a
    later approval of the same quarter, if any.
    """

    model_config = _FROZEN

    id: int
    quarter: str
    scenario_id: str
    scenario_name: str
    version_id: int
    version_number: int
    inputs_json: str
    inputs_sha256: str
    results_json: str
    results_sha256: str
    staff_pool: Cents
    paid: Cents
    paid_count: int
    approved_at: str
    approved_by: str
    note: str
    supersedes: int | None
    superseded_by: int | None

    @property
    def current(self) -> bool:
        """True unless a later approval of the same quarter replaced this one."""
        return self.superseded_by is None

    def scenario(self) -> Scenario:
        """The inputs that were approved."""
        return Scenario.model_validate_json(self.inputs_json, context=STORED)

    def result(self) -> QuarterResult:
        """The results that were approved, every payout in cents."""
        return QuarterResult.model_validate_json(self.results_json)

    def verify(self) -> list[str]:
        """Problems found re-checking the snapshot (empty when all is well): checksums, the
        totals against the payouts, and a fresh computation from the stored inputs."""
        problems: list[str] = []
        if sha256_text(self.inputs_json) != self.inputs_sha256:
            problems.append("the inputs do not match their checksum")
        if sha256_text(self.results_json) != self.results_sha256:
            problems.append("the results do not match their checksum")
        if problems:
            return problems
        result = self.result()
        if (result.staff_pool, result.paid, result.paid_count) != (
            self.staff_pool,
            self.paid,
            self.paid_count,
        ):
            problems.append("the totals do not match the payouts")
        s = self.scenario()
        again = compute_scenario(s, Quarter.parse(self.quarter))
        # compared on what was stored: a result stored before a field existed (the ledger's
        # balances, a payout's performance) is checked on every figure it does hold
        stored = json.loads(self.results_json)
        if _held(json.loads(again.model_dump_json()), stored) != stored:
            problems.append("recomputing from the approved inputs gives different figures")
        return problems


class ImportResult(BaseModel):
    """What an import created. ``warnings`` are worth showing but did not stop it."""

    model_config = _FROZEN

    scenario_id: str
    name: str
    versions: tuple[VersionInfo, ...]
    warnings: tuple[str, ...]


def _held(fresh: object, stored: object) -> object:
    """``fresh`` cut down to the keys that ``stored`` has, recursively (lists item by item)."""
    if isinstance(fresh, dict) and isinstance(stored, dict):
        return {k: _held(fresh[k], stored[k]) for k in stored if k in fresh}
    if isinstance(fresh, list) and isinstance(stored, list) and len(fresh) == len(stored):
        return [_held(a, b) for a, b in zip(fresh, stored, strict=True)]
    return fresh


# --------------------------------------------------------------------------- schema

# Ordered migrations: entry i takes the schema from version i to i + 1. Never edit one that
# has shipped; append a new one. Each is a list of statements because ``executescript``
# would commit the surrounding BEGIN IMMEDIATE that keeps two processes from migrating twice.
_APPEND_ONLY = ("versions", "snapshots", "events")

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE scenarios (
            id          TEXT PRIMARY KEY,
            name        TEXT NOT NULL,
            created_at  TEXT NOT NULL
        )""",
        """CREATE TABLE versions (
            id          INTEGER PRIMARY KEY,
            scenario_id TEXT NOT NULL REFERENCES scenarios(id),
            number      INTEGER NOT NULL CHECK (number >= 1),
            created_at  TEXT NOT NULL,
            note        TEXT NOT NULL DEFAULT '',
            content     TEXT NOT NULL,
            sha256      TEXT NOT NULL,
            origin      TEXT NOT NULL DEFAULT '',
            UNIQUE (scenario_id, number)
        )""",
        """CREATE TABLE events (
            id          INTEGER PRIMARY KEY,
            scenario_id TEXT NOT NULL REFERENCES scenarios(id),
            kind        TEXT NOT NULL
                        CHECK (kind IN ('created','renamed','deleted','restored','imported')),
            at          TEXT NOT NULL,
            detail      TEXT NOT NULL DEFAULT ''
        )""",
        "CREATE INDEX events_by_scenario ON events (scenario_id, id)",
        """CREATE TABLE snapshots (
            id             INTEGER PRIMARY KEY,
            quarter        TEXT NOT NULL,
            version_id     INTEGER NOT NULL REFERENCES versions(id),
            scenario_name  TEXT NOT NULL,
            inputs_json    TEXT NOT NULL,
            inputs_sha256  TEXT NOT NULL,
            results_json   TEXT NOT NULL,
            results_sha256 TEXT NOT NULL,
            staff_pool     INTEGER NOT NULL,
            paid           INTEGER NOT NULL,
            paid_count     INTEGER NOT NULL,
            approved_at    TEXT NOT NULL,
            approved_by    TEXT NOT NULL,
            note           TEXT NOT NULL DEFAULT '',
            supersedes     INTEGER REFERENCES snapshots(id)
        )""",
        "CREATE INDEX snapshots_by_quarter ON snapshots (quarter, id)",
        # A snapshot is superseded at most once: the approvals of a quarter form one chain.
        "CREATE UNIQUE INDEX snapshots_supersede_once ON snapshots (supersedes)",
        *(
            f"""CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table}
                BEGIN SELECT RAISE(ABORT, '{table} are append-only: {op} is not allowed'); END"""
            for table in _APPEND_ONLY
            for op in ("UPDATE", "DELETE")
        ),
        """CREATE TRIGGER scenarios_no_delete BEFORE DELETE ON scenarios
           BEGIN SELECT RAISE(ABORT, 'scenarios are never deleted; append a deleted event'); END""",
        """CREATE TRIGGER scenarios_keep_identity BEFORE UPDATE OF id, created_at ON scenarios
           BEGIN SELECT RAISE(ABORT, 'a scenario keeps its id and creation time'); END""",
    ),
)

# 2: notes of thanks kept with an approval, and the pulse (see the module docstring). The
# database's bounds on lengths are the backstop of tel.io.recognition's (never above them).
_APPEND_ONLY_2 = ("thanks", "pulse_voters", "pulse_answers")
MIGRATIONS += (
    (
        """CREATE TABLE thanks (
            snapshot_id INTEGER NOT NULL REFERENCES snapshots(id),
            person      TEXT NOT NULL,  -- '' for the note to the whole team
            note        TEXT NOT NULL CHECK (length(note) BETWEEN 1 AND 1000),
            PRIMARY KEY (snapshot_id, person)
        )""",
        """CREATE TABLE pulse_voters (
            quarter TEXT NOT NULL,
            voter   TEXT NOT NULL,
            PRIMARY KEY (quarter, voter)
        ) WITHOUT ROWID""",
        """CREATE TABLE pulse_answers (
            id      TEXT PRIMARY KEY,  -- random: the order says nothing of when
            quarter TEXT NOT NULL,
            score   INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
            comment TEXT NOT NULL DEFAULT '' CHECK (length(comment) <= 500)
        ) WITHOUT ROWID""",
        "CREATE INDEX pulse_answers_by_quarter ON pulse_answers (quarter, id)",
        *(
            f"""CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table}
                BEGIN SELECT RAISE(ABORT, '{table} are append-only: {op} is not allowed'); END"""
            for table in _APPEND_ONLY_2
            for op in ("UPDATE", "DELETE")
        ),
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)


# --------------------------------------------------------------------------- the store


class Store:
    """Saved scenarios, their versions, and approved quarter snapshots.

    ``Store(path)`` takes a folder (the file ``tel.sqlite3`` is created in it) or a path to a
    ``.sqlite3``/``.db`` file; ``Store()`` uses ``checked_data_dir()`` (a ``TEL_DATA_DIR`` that
    does not exist is refused, never created).

    Every failure is a ``StoreError`` naming the file, in plain words:

    * a damaged file (``PRAGMA quick_check`` at opening, or SQLite finding damage later) is
      ``StoreDamaged``, and the file is left untouched: nothing is written to it before the
      check, and it is never repaired, overwritten or recreated;
    * a read-only file or folder opens for reading (``read_only`` is True) and every write
      raises ``StoreReadOnly``; so does a write SQLite itself refuses as read-only.
    """

    def __init__(self, path: str | Path | None = None) -> None:
        p = Path(path) if path is not None else checked_data_dir()
        if p.suffix.lower() not in _DB_SUFFIXES:
            p = p / DB_FILENAME
        self.path = p
        try:
            p.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"the folder {p.parent} for the store cannot be created ({exc.strerror or exc})"
            ) from None
        self.read_only = not _writable(p)
        if self.read_only and not p.exists():
            raise StoreReadOnly(
                f"the store at {p} is read-only: its folder may not be written, so no store "
                "can be created there; set TEL_DATA_DIR to a folder this app may write to"
            )
        self._lock = threading.RLock()
        existed = p.exists() and p.stat().st_size > 0
        try:
            self._open(existed, immutable=False)
        except StoreReadOnly:
            if not (self.read_only and existed):
                raise
            # A read-only folder: SQLite cannot make the -shm file a WAL reader needs. Read
            # the file as immutable (whoever may not write the folder cannot change it either).
            self._open(existed, immutable=True)

    def _open(self, existed: bool, *, immutable: bool) -> None:
        """Connect, check the file, and (when writable) set it up and migrate."""
        target = str(self.path)
        if self.read_only:  # a URI, so SQLite itself refuses every write
            target = f"{self.path.resolve().as_uri()}?mode=ro"
            target += "&immutable=1" if immutable else ""
        try:
            # Autocommit mode: transactions are opened explicitly with BEGIN IMMEDIATE.
            self._db = sqlite3.connect(
                target,
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
                check_same_thread=False,
                uri=self.read_only,
            )
        except sqlite3.Error as exc:
            raise self._plain(exc) from None
        try:
            with self._translated():
                self._db.row_factory = sqlite3.Row
                self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                self._db.execute("PRAGMA foreign_keys = ON")
                if existed:  # before anything is written to it
                    self._check_intact()
                if self.read_only:
                    self._check_schema()
                else:
                    self._db.execute("PRAGMA journal_mode = WAL")
                    # FULL: a save that returned survives a power cut (NORMAL may lose some).
                    self._db.execute("PRAGMA synchronous = FULL")
                    self._migrate()
        except BaseException:
            self._db.close()
            raise

    def _check_intact(self) -> None:
        """``PRAGMA quick_check`` (page structure, O(file size), reads only): a damaged file is
        ``StoreDamaged`` before the store writes anything to it."""
        found = [str(r[0]) for r in self._db.execute("PRAGMA quick_check(1)").fetchall()]
        if found != ["ok"]:
            raise StoreDamaged(self._damaged_words(found[0] if found else "no answer"))

    def _check_schema(self) -> None:
        """A read-only store cannot be migrated: it must be of this planner's schema."""
        row = self._db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
        ).fetchone()
        current = int(
            self._db.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version").fetchone()[0]
        ) if row else 0
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer version of the TEL planner "
                f"(schema {current}, this one knows {SCHEMA_VERSION}); update the planner"
            )
        if current < SCHEMA_VERSION:
            raise StoreReadOnly(
                f"the store at {self.path} is read-only: it needs an update to this planner's "
                "layout, which cannot be written; make the file and its folder writable"
            )

    # -- errors in plain words

    def _damaged_words(self, detail: str) -> str:
        return (
            f"the store at {self.path} is damaged ({detail}). It was left untouched: nothing "
            "in it was changed, overwritten or recreated. Restore it from a backup, or set "
            "TEL_DATA_DIR to another folder to start a new store (keep the damaged file: a "
            "recovery tool may still read it)"
        )

    def _read_only_words(self, reason: str) -> str:
        return (
            f"the store at {self.path} is read-only: {reason}. Saved scenarios can be read but "
            "nothing can be saved; make the file and its folder writable, or set TEL_DATA_DIR "
            "to a folder this app may write to"
        )

    def _why_read_only(self) -> str:
        if not os.access(self.path.parent, os.W_OK | os.X_OK):
            return f"its folder {self.path.parent} may not be written"
        if not os.access(self.path, os.W_OK):
            return "the file may not be written"
        return "it was opened read-only"

    def _plain(self, exc: sqlite3.Error) -> StoreError:
        """An SQLite error as a ``StoreError`` naming the file."""
        name = str(getattr(exc, "sqlite_errorname", ""))
        text = str(exc)
        if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in text \
                or "not a database" in text:
            return StoreDamaged(self._damaged_words(text))
        if name.startswith("SQLITE_READONLY") or "readonly" in text:
            return StoreReadOnly(self._read_only_words("SQLite refused to write to it"))
        return StoreError(
            f"the store at {self.path} could not be used ({text}); nothing was changed"
        )

    @contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise self._plain(exc) from exc

    # -- plumbing

    def close(self) -> None:
        """Close the connection (the file stays)."""
        with self._lock:
            self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction holding the database write lock from its first statement.
        SQLite errors come out as ``StoreError`` (see ``_plain``), after the rollback."""
        if self.read_only:
            raise StoreReadOnly(self._read_only_words(self._why_read_only()))
        with self._lock, self._translated():
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                if self._db.in_transaction:
                    with suppress(sqlite3.Error):  # the first error is the one to report
                        self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """A consistent read: one snapshot of the database for all the statements inside."""
        with self._lock, self._translated():
            self._db.execute("BEGIN")
            try:
                yield self._db
            finally:
                if self._db.in_transaction:
                    with suppress(sqlite3.Error):
                        self._db.execute("COMMIT")

    def _migrate(self) -> None:
        with self._write() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS schema_version ("
                "version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
            row = db.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version").fetchone()
            current = int(row[0])
            if current > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path} was written by a newer version of the TEL planner "
                    f"(schema {current}, this one knows {SCHEMA_VERSION}); update the planner"
                )
            for number in range(current, SCHEMA_VERSION):
                for statement in MIGRATIONS[number]:
                    db.execute(statement)
                db.execute(
                    "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
                    (number + 1, _now()),
                )

    @property
    def schema_version(self) -> int:
        """The schema version of the open file."""
        with self._lock, self._translated():
            return int(self._db.execute("SELECT MAX(version) FROM schema_version").fetchone()[0])

    # -- scenarios and versions

    def create(self, name: str, scenario: Scenario, note: str = "") -> VersionInfo:
        """Save a new scenario called ``name``; returns its first version."""
        name, note = _clean_name(name), _clean_note(note)
        content = scenario.model_dump_json()  # serialise before taking the write lock
        with self._write() as db:
            _refuse_taken(db, name)
            sid = uuid.uuid4().hex
            now = _now()
            db.execute(
                "INSERT INTO scenarios (id, name, created_at) VALUES (?, ?, ?)", (sid, name, now)
            )
            self._event(db, sid, "created", name, now)
            return self._append(db, sid, content, note, now, "")

    def save(self, scenario_id: str, scenario: Scenario, note: str = "") -> VersionInfo:
        """Append ``scenario`` as the next version of a saved scenario (never overwrites)."""
        note = _clean_note(note)
        content = scenario.model_dump_json()
        with self._write() as db:
            if self._deleted(db, self._scenario_row(db, scenario_id)["id"]):
                raise StoreError("this scenario is deleted; restore it before saving to it")
            return self._append(db, scenario_id, content, note, _now(), "")

    def rename(self, scenario_id: str, name: str) -> None:
        """Give a scenario a new name; the old one is kept in its history. Raises
        ``NameTaken`` when another live scenario has that name."""
        name = _clean_name(name)
        with self._write() as db:
            old = self._scenario_row(db, scenario_id)["name"]
            _refuse_taken(db, name, scenario_id)
            if old != name:
                db.execute("UPDATE scenarios SET name = ? WHERE id = ?", (name, scenario_id))
                self._event(db, scenario_id, "renamed", f"{old} -> {name}", _now())

    def delete(self, scenario_id: str, note: str = "") -> None:
        """Hide a scenario from the list. Recoverable: nothing is removed (see ``restore``)."""
        with self._write() as db:
            self._scenario_row(db, scenario_id)
            if not self._deleted(db, scenario_id):
                self._event(db, scenario_id, "deleted", note, _now())

    def restore(self, scenario_id: str, note: str = "") -> None:
        """Bring a deleted scenario back, with all its versions. If a live scenario took its
        name meanwhile, it comes back renamed to the next free ``"name (2)"``..."""
        with self._write() as db:
            old = self._scenario_row(db, scenario_id)["name"]
            if self._deleted(db, scenario_id):
                now = _now()
                self._event(db, scenario_id, "restored", note, now)
                free = _free_name(db, old, scenario_id)
                if free != old:
                    db.execute("UPDATE scenarios SET name = ? WHERE id = ?", (free, scenario_id))
                    self._event(db, scenario_id, "renamed", f"{old} -> {free}", now)

    def list_scenarios(self, include_deleted: bool = False) -> list[ScenarioInfo]:
        """Saved scenarios, most recently saved first; deleted ones only when asked."""
        with self._read() as db:
            rows = db.execute(
                f"""{_SCENARIO_SELECT}
                    ORDER BY v.created_at DESC, s.id"""
            ).fetchall()
        infos = [_scenario_info(r) for r in rows]
        return [i for i in infos if include_deleted or not i.deleted]

    def get(self, scenario_id: str) -> ScenarioInfo:
        """One scenario's summary (deleted or not)."""
        with self._read() as db:
            row = db.execute(f"{_SCENARIO_SELECT} WHERE s.id = ?", (scenario_id,)).fetchone()
        if row is None:
            raise NotFound(f"no saved scenario with id {scenario_id!r}")
        return _scenario_info(row)

    def versions(self, scenario_id: str) -> list[VersionInfo]:
        """Every version of a scenario, oldest first."""
        with self._read() as db:
            self._scenario_row(db, scenario_id)
            rows = db.execute(
                f"SELECT {_VERSION_COLS} FROM versions WHERE scenario_id = ? ORDER BY number",
                (scenario_id,),
            ).fetchall()
        return [_version_info(r) for r in rows]

    def version(self, version_id: int) -> VersionInfo:
        """One version's metadata by its id."""
        with self._read() as db:
            return _version_info(self._version_row(db, version_id))

    def history(self, scenario_id: str) -> list[Event]:
        """A scenario's events, oldest first."""
        with self._read() as db:
            self._scenario_row(db, scenario_id)
            rows = db.execute(
                "SELECT id, scenario_id, kind, at, detail FROM events "
                "WHERE scenario_id = ? ORDER BY id",
                (scenario_id,),
            ).fetchall()
        return [Event(**dict(r)) for r in rows]

    def load(self, scenario_id: str, number: int | None = None) -> Scenario:
        """A scenario's version ``number`` (the latest when None), exactly as saved."""
        with self._read() as db:
            self._scenario_row(db, scenario_id)
            if number is None:
                row = db.execute(
                    "SELECT * FROM versions WHERE scenario_id = ? ORDER BY number DESC LIMIT 1",
                    (scenario_id,),
                ).fetchone()
            else:
                row = db.execute(
                    "SELECT * FROM versions WHERE scenario_id = ? AND number = ?",
                    (scenario_id, number),
                ).fetchone()
        if row is None:
            raise NotFound(f"this scenario has no version {number}")
        return _content(row)

    def load_version(self, version_id: int) -> Scenario:
        """A version by its id, exactly as saved."""
        with self._read() as db:
            return _content(self._version_row(db, version_id))

    # -- export and import

    def export_json(self, scenario_id: str, number: int | None = None) -> str:
        """One JSON document with the scenario's versions: all of them, or only ``number``."""
        info = self.get(scenario_id)
        with self._read() as db:
            if number is None:
                rows = db.execute(
                    "SELECT * FROM versions WHERE scenario_id = ? ORDER BY number",
                    (scenario_id,),
                ).fetchall()
            else:
                rows = db.execute(
                    "SELECT * FROM versions WHERE scenario_id = ? AND number = ?",
                    (scenario_id, number),
                ).fetchall()
        if not rows:
            raise NotFound(f"this scenario has no version {number}")
        doc = {
            "format": EXPORT_FORMAT,
            "format_version": EXPORT_FORMAT_VERSION,
            "exported_at": _now(),
            "scenario": {"id": info.id, "name": info.name},
            "versions": [
                {
                    "number": r["number"],
                    "created_at": r["created_at"],
                    "note": r["note"],
                    "sha256": r["sha256"],
                    # Embedded as an object so the file reads well; Decimals stay strings.
                    "scenario": json.loads(_content_text(r)),
                }
                for r in rows
            ],
        }
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"

    def import_json(
        self, data: str | bytes, *, name: str | None = None, into: str | None = None
    ) -> ImportResult:
        """Import a file made by ``export_json``. Never overwrites anything: creates a new
        scenario (named ``name`` or after the file's, with the next free ``" (2)"``... when a
        live scenario has that name), or appends new versions to ``into``.

        Raises ``ImportRefused`` listing every problem in plain words; nothing is written then.
        """
        parsed = parse_export(data)
        warnings = list(parsed.warnings)
        with self._write() as db:
            now = _now()
            if into is None:
                sid = uuid.uuid4().hex
                wanted = _clean_name(name or parsed.name[:200] or "Imported scenario")
                final_name = _free_name(db, wanted)
                if final_name != wanted:
                    warnings.append(f"the name “{wanted}” is taken, so this scenario is "
                                    f"called “{final_name}”")
                db.execute(
                    "INSERT INTO scenarios (id, name, created_at) VALUES (?, ?, ?)",
                    (sid, final_name, now),
                )
                self._event(db, sid, "created", final_name, now)
            else:
                sid = into
                row = self._scenario_row(db, sid)
                if self._deleted(db, sid):
                    raise StoreError("this scenario is deleted; restore it before importing")
                final_name = row["name"]
            self._event(db, sid, "imported", f"{len(parsed.versions)} version(s) from a file", now)
            made = tuple(
                self._append(
                    db,
                    sid,
                    scenario.model_dump_json(),
                    note,
                    now,
                    f"imported: version {number}" + (f" saved {created}" if created else ""),
                )
                for number, created, note, scenario in parsed.versions
            )
        return ImportResult(
            scenario_id=sid, name=final_name, versions=made, warnings=tuple(warnings)
        )

    # -- approvals

    def approve(
        self, scenario_version_id: int, quarter: Quarter | str, note: str, approved_by: str,
        thanks: Thanks | None = None,
    ) -> Snapshot:
        """Freeze one quarter of one saved version: inputs, results, checksums and totals,
        and the notes of ``thanks`` with them (:meth:`thanks` reads them back).

        If the quarter already has a current approval, the new snapshot supersedes it. A
        shadow quarter of the version's plan is refused (it is never paid), and so is a note
        for anyone not on the version's roster.
        """
        q = quarter if isinstance(quarter, Quarter) else Quarter.parse(quarter)
        by, note = _clean_note(approved_by, "who approves", multiline=False), _clean_note(note)
        if not by:
            raise StoreError("say who approves (approved_by is blank)")
        with self._write() as db:
            vrow = self._version_row(db, scenario_version_id)
            if self._deleted(db, vrow["scenario_id"]):
                raise StoreError("this scenario is deleted; restore it before approving")
            inputs = _content_text(vrow)
            scenario = Scenario.model_validate_json(inputs, context=STORED)
            if not scenario.people.empty:
                raise StoreError(f"cannot approve: this version has hypothetical people "
                                 f"({scenario.people.summary()}); approve a version without "
                                 "them")
            try:
                result = compute_scenario(scenario, q)
            except (NoBookedMonth, MissingAging) as exc:
                raise StoreError(f"cannot approve: {exc}") from exc
            if result.shadow:
                live = scenario.plan.shadow.first_live
                raise StoreError("cannot approve: " + shadow_refusal(
                    str(q), f"it cannot be approved (the plan pays from {live})"))
            notes = thanks or Thanks()
            try:  # the rules again, and the names against this version's roster
                notes = clean_thanks(notes.team, notes.people, (p.name for p in result.payouts))
            except ValueError as exc:
                raise StoreError(f"cannot approve: {exc}") from None
            results = result.model_dump_json()
            prev = db.execute(
                f"SELECT id FROM snapshots WHERE quarter = ? AND {_not_superseded('snapshots')}",
                (str(q),),
            ).fetchone()
            cur = db.execute(
                """INSERT INTO snapshots (quarter, version_id, scenario_name, inputs_json,
                       inputs_sha256, results_json, results_sha256, staff_pool, paid, paid_count,
                       approved_at, approved_by, note, supersedes)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    str(q),
                    scenario_version_id,
                    self._scenario_row(db, vrow["scenario_id"])["name"],
                    inputs,
                    sha256_text(inputs),
                    results,
                    sha256_text(results),
                    result.staff_pool,
                    result.paid,
                    result.paid_count,
                    _now(),
                    by,
                    note,
                    prev["id"] if prev else None,
                ),
            )
            snap_id = cur.lastrowid
            assert snap_id is not None
            db.executemany(
                "INSERT INTO thanks (snapshot_id, person, note) VALUES (?, ?, ?)",
                [(snap_id, person, text) for person, text in
                 ([("", notes.team)] if notes.team else []) + sorted(notes.people.items())],
            )
            return self._snapshot(db, snap_id)

    def thanks(self, snapshot_id: int) -> Thanks:
        """The notes of thanks kept with approval ``snapshot_id`` (empty when it has none).
        Each person's note is for that person's own statement only."""
        with self._read() as db:
            self._snapshot(db, snapshot_id)  # NotFound for an unknown approval
            rows = db.execute(
                "SELECT person, note FROM thanks WHERE snapshot_id = ? ORDER BY person",
                (snapshot_id,),
            ).fetchall()
        return Thanks.model_construct(
            team=next((r["note"] for r in rows if r["person"] == ""), ""),
            people={r["person"]: r["note"] for r in rows if r["person"] != ""})

    # -- the pulse (tel.io.recognition)

    def record_pulse(self, quarter: Quarter | str, voter: str, score: int,
                     comment: str = "") -> None:
        """Keep one answer to the pulse question for ``quarter``: the voter key in one table,
        the score and comment under a random key in another (never joined). Raises
        ``AlreadyAnswered`` when ``voter`` answered for that quarter already, ``StoreError``
        for an answer out of bounds, ``StoreReadOnly`` when the store cannot be written."""
        q = str(Quarter.parse(str(quarter)))
        try:
            answer = clean_answer(score, comment)
        except ValueError as exc:
            raise StoreError(str(exc)) from None
        if not re.fullmatch(r"[ls]:[A-Za-z0-9_-]{16,64}", voter):
            raise StoreError("the answer cannot be matched to a link or a session")
        with self._write() as db:
            if db.execute("SELECT 1 FROM pulse_voters WHERE quarter = ? AND voter = ?",
                          (q, voter)).fetchone():
                raise AlreadyAnswered(f"you have answered for {q} already: thank you")
            db.execute("INSERT INTO pulse_voters (quarter, voter) VALUES (?, ?)", (q, voter))
            db.execute(
                "INSERT INTO pulse_answers (id, quarter, score, comment) VALUES (?, ?, ?, ?)",
                (uuid.uuid4().hex, q, answer.score, answer.comment),
            )

    def pulse_answered(self, quarter: Quarter | str, voter: str) -> bool:
        """Whether ``voter`` has answered for ``quarter`` (what they answered is not kept
        with it)."""
        q = str(Quarter.parse(str(quarter)))
        with self._read() as db:
            return db.execute("SELECT 1 FROM pulse_voters WHERE quarter = ? AND voter = ?",
                              (q, voter)).fetchone() is not None

    def pulse_summary(self, quarter: Quarter | str) -> PulseSummary:
        """What owners may see of ``quarter``'s answers (:func:`tel.io.recognition.summarise`):
        nothing below five answers, else the counts and the comments in random order."""
        q = str(Quarter.parse(str(quarter)))
        with self._read() as db:
            rows = db.execute(  # ordered by the random key: an order that says nothing
                "SELECT score, comment FROM pulse_answers WHERE quarter = ? ORDER BY id", (q,)
            ).fetchall()
            via_link = int(db.execute(
                "SELECT COUNT(*) FROM pulse_voters WHERE quarter = ? AND voter LIKE 'l:%'",
                (q,)).fetchone()[0])
        return summarise(q, [int(r["score"]) for r in rows], [str(r["comment"]) for r in rows],
                         via_link)

    def snapshot(self, snapshot_id: int) -> Snapshot:
        """One snapshot, exactly as approved."""
        with self._read() as db:
            return self._snapshot(db, snapshot_id)

    def snapshots(
        self, quarter: Quarter | str | None = None, *, current_only: bool = False
    ) -> list[Snapshot]:
        """Approvals, oldest first; only one quarter's when ``quarter`` is given."""
        where, args = [], []
        if quarter is not None:
            where.append("sn.quarter = ?")
            args.append(str(Quarter.parse(str(quarter))))
        if current_only:
            where.append(_not_superseded("sn"))
        clause = (" WHERE " + " AND ".join(where)) if where else ""
        with self._read() as db:
            rows = db.execute(f"{_SNAPSHOT_SELECT}{clause} ORDER BY sn.id", args).fetchall()
        return [_snapshot(r) for r in rows]

    def current_snapshot(self, quarter: Quarter | str) -> Snapshot | None:
        """The approval of ``quarter`` that is in force, or None when it was never approved."""
        found = self.snapshots(quarter, current_only=True)
        return found[-1] if found else None

    # -- helpers inside a transaction

    @staticmethod
    def _event(db: sqlite3.Connection, sid: str, kind: str, detail: str, at: str) -> None:
        db.execute(
            "INSERT INTO events (scenario_id, kind, at, detail) VALUES (?, ?, ?, ?)",
            (sid, kind, at, detail),
        )

    @staticmethod
    def _append(
        db: sqlite3.Connection, sid: str, content: str, note: str, at: str, origin: str
    ) -> VersionInfo:
        # Inside BEGIN IMMEDIATE no other writer can take the same number between the read
        # and the insert; UNIQUE(scenario_id, number) is the backstop.
        number = db.execute(
            "SELECT COALESCE(MAX(number), 0) + 1 FROM versions WHERE scenario_id = ?", (sid,)
        ).fetchone()[0]
        digest = sha256_text(content)
        cur = db.execute(
            "INSERT INTO versions (scenario_id, number, created_at, note, content, sha256, "
            "origin) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (sid, number, at, note, content, digest, origin),
        )
        assert cur.lastrowid is not None
        return VersionInfo(
            id=cur.lastrowid,
            scenario_id=sid,
            number=number,
            created_at=at,
            note=note,
            sha256=digest,
            origin=origin,
        )

    @staticmethod
    def _scenario_row(db: sqlite3.Connection, sid: str) -> sqlite3.Row:
        row: sqlite3.Row | None = db.execute(
            "SELECT * FROM scenarios WHERE id = ?", (sid,)
        ).fetchone()
        if row is None:
            raise NotFound(f"no saved scenario with id {sid!r}")
        return row

    @staticmethod
    def _version_row(db: sqlite3.Connection, version_id: int) -> sqlite3.Row:
        row: sqlite3.Row | None = db.execute(
            "SELECT * FROM versions WHERE id = ?", (version_id,)
        ).fetchone()
        if row is None:
            raise NotFound(f"no saved version with id {version_id}")
        return row

    @staticmethod
    def _deleted(db: sqlite3.Connection, sid: str) -> bool:
        row = db.execute(
            "SELECT kind FROM events WHERE scenario_id = ? AND kind IN ('deleted', 'restored') "
            "ORDER BY id DESC LIMIT 1",
            (sid,),
        ).fetchone()
        return bool(row and row["kind"] == "deleted")

    @staticmethod
    def _snapshot(db: sqlite3.Connection, snapshot_id: int) -> Snapshot:
        row = db.execute(f"{_SNAPSHOT_SELECT} WHERE sn.id = ?", (snapshot_id,)).fetchone()
        if row is None:
            raise NotFound(f"no approved snapshot with id {snapshot_id}")
        return _snapshot(row)


# --------------------------------------------------------------------------- row mapping

_VERSION_COLS = "id, scenario_id, number, created_at, note, sha256, origin"


def _not_superseded(alias: str) -> str:
    return f"NOT EXISTS (SELECT 1 FROM snapshots later WHERE later.supersedes = {alias}.id)"


_SCENARIO_SELECT = """
    SELECT s.id, s.name, s.created_at,
           (SELECT kind FROM events e WHERE e.scenario_id = s.id
              AND e.kind IN ('deleted', 'restored') ORDER BY e.id DESC LIMIT 1) AS state,
           (SELECT COUNT(*) FROM versions c WHERE c.scenario_id = s.id) AS version_count,
           v.id AS latest_version_id, v.number AS latest_number, v.created_at AS updated_at
    FROM scenarios s
    JOIN versions v ON v.scenario_id = s.id
     AND v.number = (SELECT MAX(number) FROM versions m WHERE m.scenario_id = s.id)
"""
_SNAPSHOT_SELECT = """
    SELECT sn.*, v.scenario_id, v.number AS version_number,
           (SELECT later.id FROM snapshots later WHERE later.supersedes = sn.id)
               AS superseded_by
    FROM snapshots sn
    JOIN versions v ON v.id = sn.version_id
"""


def _scenario_info(row: sqlite3.Row) -> ScenarioInfo:
    d = dict(row)
    d["deleted"] = d.pop("state") == "deleted"
    return ScenarioInfo(**d)


def _version_info(row: sqlite3.Row) -> VersionInfo:
    return VersionInfo(**{k: row[k] for k in VersionInfo.model_fields})


def _snapshot(row: sqlite3.Row) -> Snapshot:
    return Snapshot(**{k: row[k] for k in Snapshot.model_fields})


def _content_text(row: sqlite3.Row) -> str:
    text: str = row["content"]
    if sha256_text(text) != row["sha256"]:
        raise StoreError(
            f"version {row['number']} is damaged (its content does not match its checksum)"
        )
    return text


def _content(row: sqlite3.Row) -> Scenario:
    return Scenario.model_validate_json(_content_text(row), context=STORED)


def name_key(name: str) -> str:
    """What two scenario names are compared by: spaces trimmed and collapsed, Unicode NFC,
    case folded (then NFC again, as folding may decompose).

    >>> name_key("  FY26   Plan ") == name_key("fy26 plan"), name_key("Cafe\u0301") == name_key("CAFÉ")
    (True, True)
    """  # noqa: E501
    folded = unicodedata.normalize("NFC", " ".join(name.split())).casefold()
    return unicodedata.normalize("NFC", folded)


def _live_names(db: sqlite3.Connection, except_id: str | None = None) -> dict[str, str]:
    """``name_key -> name`` of every scenario not deleted (but ``except_id``)."""
    rows = db.execute(
        """SELECT s.id, s.name FROM scenarios s
           WHERE COALESCE((SELECT kind FROM events e WHERE e.scenario_id = s.id
                             AND e.kind IN ('deleted', 'restored')
                           ORDER BY e.id DESC LIMIT 1), '') != 'deleted'"""
    ).fetchall()
    return {name_key(r["name"]): r["name"] for r in rows if r["id"] != except_id}


def _refuse_taken(db: sqlite3.Connection, name: str, except_id: str | None = None) -> None:
    taken = _live_names(db, except_id).get(name_key(name))
    if taken is not None:
        raise NameTaken(f"another saved scenario is already called “{taken}”; "
                        "choose another name")


def _free_name(db: sqlite3.Connection, name: str, except_id: str | None = None) -> str:
    """``name``, or when a live scenario has it the next free ``"name (2)"``, ``"name (3)"``
    (a name that already ends in ``" (n)"`` is numbered on), at most 200 characters."""
    taken = _live_names(db, except_id)
    if name_key(name) not in taken:
        return name
    numbered = re.fullmatch(r"(.*\S) \((\d+)\)", name)
    stem, n = (numbered.group(1), int(numbered.group(2)) + 1) if numbered else (name, 2)
    while True:
        suffix = f" ({n})"
        candidate = stem[: 200 - len(suffix)].rstrip() + suffix
        if name_key(candidate) not in taken:
            return candidate
        n += 1


def _clean_name(name: str) -> str:
    """A scenario name: spaces (line breaks and tabs too) collapsed, then the rules of
    :func:`tel.core.text.clean_text`."""
    name = " ".join(name.split())
    if not name:
        raise StoreError("a scenario needs a name")
    if len(name) > 200:
        raise StoreError("a scenario name is at most 200 characters")
    return _clean_note(name, "the scenario name", multiline=False)


def _clean_note(text: str, what: str = "the note", *, multiline: bool = True) -> str:
    """A note (line breaks and tabs allowed) or a one-line text by :func:`tel.core.text.clean_text`;
    ``StoreError`` naming ``what`` when it holds a control or invisible character."""
    try:
        return clean_text(text, multiline=multiline)
    except ValueError as exc:
        raise StoreError(f"{what} {exc}") from None


# --------------------------------------------------------------------------- import parsing


class ParsedVersion(NamedTuple):
    """One version read from an export file."""

    number: int
    created_at: str
    note: str
    scenario: Scenario


class ParsedExport(NamedTuple):
    """An export file, checked: the scenario's name, its versions, and warnings."""

    name: str
    versions: list[ParsedVersion]
    warnings: list[str]


def parse_export(data: str | bytes) -> ParsedExport:
    """Read and check an export file without touching any database.

    Raises ``ImportRefused`` with every problem found, in plain words.
    """
    if isinstance(data, bytes):
        if len(data) > MAX_IMPORT_BYTES:
            raise ImportRefused([f"the file is larger than {MAX_IMPORT_BYTES // 2**20} MB"])
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportRefused(["the file is not UTF-8 text"]) from None
    else:
        text = data
    try:
        # Numbers as Decimal, never float: 0.1 must stay exactly 0.1 dollars.
        doc = json.loads(text, parse_float=Decimal, parse_constant=_reject_constant)
    except ValueError as exc:
        if isinstance(exc, json.JSONDecodeError):
            where = f" (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        else:
            where = f" ({exc})"
        raise ImportRefused([f"the file is not valid JSON{where}"]) from None
    except RecursionError:  # the C decoder guards its stack and stops here
        raise ImportRefused(
            ["the file is nested too deeply (arrays or objects inside one another thousands of "
             "levels deep); expected a file exported by the TEL planner"]
        ) from None
    if not isinstance(doc, dict):
        raise ImportRefused(["the file is not a TEL scenario file (expected a JSON object)"])
    problems: list[str] = []
    fmt = doc.get("format")
    if fmt != EXPORT_FORMAT:
        raise ImportRefused(
            [f"the file is not a TEL scenario file (format is {fmt!r}, expected {EXPORT_FORMAT!r})"]
        )
    fv = doc.get("format_version")
    if not isinstance(fv, int) or isinstance(fv, bool):
        raise ImportRefused(["the file has no format_version number"])
    if fv > EXPORT_FORMAT_VERSION:
        raise ImportRefused(
            [
                f"the file was made by a newer TEL planner (format version {fv}; "
                f"this one reads up to {EXPORT_FORMAT_VERSION})"
            ]
        )
    head = doc.get("scenario")
    name = head.get("name", "") if isinstance(head, dict) else ""
    if not isinstance(name, str):
        problems.append("the scenario name is not text")
        name = ""
    elif problem := forbidden(" ".join(name.split())):  # as _clean_name will store it
        problems.append(f"the scenario name {problem}, a control or invisible character")
    raw_versions = doc.get("versions")
    if not isinstance(raw_versions, list) or not raw_versions:
        raise ImportRefused([*problems, "the file has no versions to import"])
    warnings: list[str] = []
    out: list[ParsedVersion] = []
    for i, raw in enumerate(raw_versions, start=1):
        label = f"version {i}"
        if not isinstance(raw, dict):
            problems.append(f"{label} is not an object")
            continue
        number = raw.get("number", i)
        if isinstance(number, int) and not isinstance(number, bool):
            label = f"version {number}"
        else:
            number = i
        note = raw.get("note", "")
        created = raw.get("created_at", "")
        if not isinstance(note, str) or not isinstance(created, str):
            problems.append(f"{label}: note and created_at must be text")
            continue
        try:  # the rules every note follows (tel.core.text), and a one-line date
            note = clean_text(note, multiline=True)
            clean_text(created)
        except ValueError as exc:
            problems.append(f"{label}: the note or created_at {exc}")
        body = raw.get("scenario")
        if not isinstance(body, dict):
            problems.append(f"{label} has no scenario (plan, months and roster)")
            continue
        try:
            scenario = Scenario.model_validate(body)
        except ValidationError as exc:
            problems.extend(plain_errors(exc, label, body))
            continue
        digest = raw.get("sha256")
        if isinstance(digest, str) and digest != sha256_text(scenario.model_dump_json()):
            warnings.append(f"{label} was edited after it was exported (checksum differs)")
        out.append(ParsedVersion(number, created, note, scenario))
    if problems:
        raise ImportRefused(problems)
    return ParsedExport(name, out, warnings)


def _reject_constant(token: str) -> Any:
    raise ValueError(f"{token} is not a number")


_SECTION: dict[str, str] = {"plan": "plan", "months": "month row", "roster": "roster row"}


def plain_errors(exc: ValidationError, label: str, body: Any = None) -> list[str]:
    """Pydantic errors as lines a person can act on, e.g.
    ``version 2, roster row 3 ('Ann'), salary: must be greater than 0 (got '-5')``."""
    lines: list[str] = []
    for err in exc.errors(include_url=False):
        loc = list(err["loc"])
        parts = [label]
        if loc and loc[0] in _SECTION:
            section = str(loc.pop(0))
            if section != "plan" and loc and isinstance(loc[0], int):
                index = loc.pop(0)
                where = f"{_SECTION[section]} {index + 1}"
                who = _row_name(body, section, int(index))
                parts.append(f"{where} ({who})" if who else where)
            else:
                parts.append(_SECTION[section] if section == "plan" else section)
        field = ".".join(str(x) for x in loc)
        msg = str(err["msg"])
        msg = msg.removeprefix("Value error, ")
        msg = msg.replace("Decimal input should", "must").replace("Input should", "must")
        got = err.get("input")
        shown = ""
        if err["type"] not in ("missing",) and not isinstance(got, dict | list):
            shown = f" (got {str(got)[:40]!r})"
        head = ", ".join(parts)
        lines.append(f"{head}, {field}: {msg}{shown}" if field else f"{head}: {msg}{shown}")
    return lines


def _row_name(body: Any, section: str, index: int) -> str:
    try:
        row = body[section][index]
    except (KeyError, IndexError, TypeError):
        return ""
    if section == "roster" and isinstance(row, dict) and isinstance(row.get("name"), str):
        return repr(row["name"][:40])
    if section == "months" and isinstance(row, dict):
        y, m = row.get("year"), row.get("month")
        if isinstance(y, int) and isinstance(m, int):
            return f"{y:04d}-{m:02d}"
    return ""
