"""Uploads for the Data page: receive files, check them, fix cells, apply them when valid.

An upload waits in session state ("pending") until the user applies it; the data in use
(``tel.ui.state`` source) changes only when every uploaded file is valid, so a bad upload
never replaces the last good data. Parsing is cached on the files' bytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from tel.core.models import Month, Person, Plan, Scenario
from tel.core.periods import Quarter
from tel.engine.ledger import booked_quarters
from tel.engine.quarter import NoBookedMonth, compute_quarter
from tel.io.loaders import MAX_BYTES, load_months, load_plan, load_roster, load_scores
from tel.io.problems import Loaded, Problem, plain_message
from tel.io.sheetfix import Grid, column_labels, fix, problem_rows, read_grid, to_bytes
from tel.rules.gates import MissingAging
from tel.ui import state
from tel.ui.text import md

Kind = Literal["roster", "months", "plan", "scores"]
KINDS: tuple[Kind, ...] = ("roster", "months", "plan", "scores")
SHEET_MB = MAX_BYTES // (1024 * 1024)  # 20 MB, the loaders' limit for a roster or months file
PLAN_MB = 1
PENDING_KEY = "data.pending"
NONCE_KEY = "data.nonce"
NOTICE_KEY = "data.notice"

ROW, PROBLEMS, LEAVE_OUT = "Row", "Problem in", "Leave out"


@dataclass(frozen=True)
class Pending:
    """One uploaded file waiting to be applied; ``fixed`` once edited in the app."""

    kind: Kind
    name: str
    data: bytes
    fixed: bool = False


@dataclass
class Check:
    """Every pending file checked, and the scenario they would make with the data in use."""

    loaded: dict[Kind, Loaded[Any]] = field(default_factory=dict)
    scenario: Scenario | None = None
    problem: str = ""  # a problem of the combination (not of one file)

    @property
    def problems(self) -> list[Problem]:
        return [p for loaded in self.loaded.values() for p in loaded.problems]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def ok(self) -> bool:
        return self.scenario is not None


# --------------------------------------------------------------------------- parsing (cached)


@st.cache_data(show_spinner=False, max_entries=24)
def parse(kind: Kind, data: bytes, name: str) -> Loaded[Any]:
    """One file through its loader, bounded in size; cached on the bytes."""
    if kind == "plan":
        return load_plan(data, name, max_bytes=PLAN_MB * 1024 * 1024)
    if kind == "scores":
        return load_scores(data, name, max_bytes=SHEET_MB * 1024 * 1024)
    loader = load_roster if kind == "roster" else load_months
    return loader(data, name, max_bytes=SHEET_MB * 1024 * 1024)


@st.cache_data(show_spinner=False, max_entries=12)
def grid_of(data: bytes, name: str) -> Grid | None:
    return read_grid(data, name, max_bytes=SHEET_MB * 1024 * 1024)


# --------------------------------------------------------------------------- session state


def pending() -> dict[Kind, Pending]:
    found: dict[Kind, Pending] = st.session_state.setdefault(PENDING_KEY, {})
    return found


def uploader_key(kind: Kind) -> str:
    """Changes after an apply, which empties the uploaders."""
    return f"data.upload.{kind}.{st.session_state.get(NONCE_KEY, 0)}"


def receive(kind: Kind) -> None:
    """Uploader callback: a new file replaces the pending one; removing it discards it."""
    uploaded = st.session_state.get(uploader_key(kind))
    if uploaded is None:
        discard(kind)
    else:
        hold(kind, uploaded.name, uploaded.getvalue())


def hold(kind: Kind, name: str, data: bytes) -> None:
    """Keep a file as pending (also what tests call instead of a browser upload)."""
    pending()[kind] = Pending(kind, name, data)


def discard(kind: Kind) -> None:
    pending().pop(kind, None)


def check(files: Mapping[Kind, Pending], current: Scenario) -> Check:
    """Parse every pending file; when all are valid, combine them with the data in use."""
    out = Check()
    for kind, p in files.items():
        out.loaded[kind] = parse(kind, p.data, p.name)

    def chosen(kind: Kind, kept: Any) -> Any:  # the upload when it read, else what is in use
        loaded = out.loaded.get(kind)
        return loaded.value if loaded is not None and loaded.value is not None else kept

    plan: Plan = chosen("plan", current.plan)
    roster: tuple[Person, ...] = chosen("roster", current.roster)
    months: tuple[Month, ...] = chosen("months", current.months)
    if "scores" in files:
        # names and quarters are checked against the data the scores will go with, even
        # while the file has other problems: every problem is listed at once
        fys = plan.fiscal_year_start
        p = files["scores"]
        out.loaded["scores"] = load_scores(
            p.data, p.name, names=[x.name for x in roster],
            quarters=[str(Quarter.containing(m.ym, fys)) for m in months],
            max_bytes=SHEET_MB * 1024 * 1024)
    if not files or out.errors or any(lo.value is None for lo in out.loaded.values()):
        return out
    scores = out.loaded["scores"].unwrap() if "scores" in files else current.scores
    try:
        scenario = Scenario(plan=plan, roster=roster, months=months, scores=scores)
    except ValidationError as exc:
        out.problem = "; ".join(plain_message(e) for e in exc.errors(include_url=False))
        return out
    if not scenario.months:
        out.problem = "there is no booked month"
        return out
    out.scenario = scenario
    return out


def source_label(files: Mapping[Kind, Pending]) -> str:
    """``roster_1000.csv uploaded; plan and months kept`` (Markdown-escaped: it is shown in a
    caption)."""
    names = ", ".join(files[k].name + (" (fixed here)" if files[k].fixed else "")
                      for k in KINDS if k in files)
    kept = [k for k in ("plan", "roster", "months") if k not in files]
    text = f"{names} uploaded" + (f"; {' and '.join(kept)} kept" if kept else "")
    return md(text, limit=200)


def apply(files: Mapping[Kind, Pending], result: Check) -> bool:
    """Make the checked upload the data in use. The what-if keeps its plan knobs unless a
    plan was uploaded. Returns False (nothing changes) unless the check passed."""
    if result.scenario is None:
        return False
    label = source_label(files)
    # the warnings stay in view on the Data page: the uploaded files', and the kept files'
    warnings: dict[str, tuple[str, ...]] = {
        k: v for k, v in state.current().source.warnings.items() if k not in files}
    for k in files:
        if k in result.loaded and result.loaded[k].warnings:
            warnings[k] = tuple(str(p) for p in result.loaded[k].warnings)
    state.set_source(state.Source(result.scenario, label, origin="upload", warnings=warnings),
                     keep_plan="plan" not in files)
    st.session_state[PENDING_KEY] = {}
    st.session_state[NONCE_KEY] = st.session_state.get(NONCE_KEY, 0) + 1
    st.session_state[NOTICE_KEY] = f"Now using {label}."
    return True


def apply_pending() -> None:
    """Button callback: check the pending files again (against the data in use now) and
    apply them if they pass."""
    files = dict(pending())
    apply(files, check(files, state.current().source.scenario))


# --------------------------------------------------------------------------- fixing cells


def editor_key(p: Pending) -> str:
    return f"data.fix.{p.kind}.{hashlib.sha256(p.data).hexdigest()[:16]}"


def editor_frame(grid: Grid, rows: Mapping[int, list[Problem]]) -> pd.DataFrame:
    """The rows to fix as text: row number, a leave-out box, the columns with a problem (the
    full messages are in the problems table), then every cell."""
    labels = column_labels(grid)
    records: list[dict[str, object]] = []
    for number, found in rows.items():
        try:
            cells = grid.row(number)
        except KeyError:
            continue
        where = dict.fromkeys(p.column or "whole row" for p in found)
        record: dict[str, object] = {ROW: number, LEAVE_OUT: False, PROBLEMS: ", ".join(where)}
        if number == grid.header_row:
            record[PROBLEMS] = "header: " + record[PROBLEMS]  # type: ignore[operator]
        record.update({label: cells[i] for i, label in enumerate(labels)})
        records.append(record)
    frame = pd.DataFrame(records, columns=[ROW, LEAVE_OUT, PROBLEMS, *labels])
    for label in labels:
        frame[label] = frame[label].astype("string")
    return frame


def edits_from(editor_state: Mapping[str, Any] | None, frame: pd.DataFrame,
               grid: Grid) -> tuple[dict[int, dict[int, str]], set[int]]:
    """A data editor's state -> ``(row number -> column index -> text, rows left out)``."""
    index = {label: i for i, label in enumerate(column_labels(grid))}
    edits: dict[int, dict[int, str]] = {}
    dropped: set[int] = set()
    for pos, changes in ((editor_state or {}).get("edited_rows") or {}).items():
        pos = int(pos)
        if not 0 <= pos < len(frame):
            continue
        number = int(frame.iloc[pos][ROW])
        for label, value in changes.items():
            if label == LEAVE_OUT:
                if value and number != grid.header_row:
                    dropped.add(number)
            elif label in index:
                edits.setdefault(number, {})[index[label]] = "" if value is None else str(value)
    return edits, dropped


def recheck(kind: Kind) -> None:
    """Button callback: write the edited cells into the pending file and check it again."""
    p = pending().get(kind)
    if p is None:
        return
    grid = grid_of(p.data, p.name)
    loaded = parse(kind, p.data, p.name)
    if grid is None:
        return
    frame = editor_frame(grid, problem_rows(grid, loaded.problems))
    edits, dropped = edits_from(st.session_state.get(editor_key(p)), frame, grid)
    if not edits and not dropped:
        return
    fixed = to_bytes(fix(grid, edits, dropped))
    pending()[kind] = Pending(kind, p.name, fixed, fixed=True)


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """Every problem as a row: file, row (or line), column, what is wrong, error or warning."""
    return pd.DataFrame(
        {
            "File": [p.file for p in problems],
            "Row": pd.array([p.row for p in problems], dtype="Int64"),
            "Line": pd.array([p.line for p in problems], dtype="Int64"),
            "Column": [p.column or "" for p in problems],
            "Problem": [p.message for p in problems],
            "Severity": [p.severity for p in problems],
        }
    )


# --------------------------------------------------------------------------- a summary


def summary(scenario: Scenario, quarter: str | None = None,
            plan: Plan | None = None) -> tuple[dict[str, str], str]:
    """What a scenario holds, as short figures (people, eligible in a quarter, months booked,
    quarters) and one line with the spans they cover. Eligibility and quarters are judged
    with ``plan`` (the working plan, what-if included) when given, else the scenario's own:
    the data in use must count the same eligible people as every other page."""
    plan = plan or scenario.plan
    quarters = booked_quarters(scenario.months, plan.fiscal_year_start)
    labels = sorted(m.label for m in scenario.months)
    chosen = next((q for q in quarters if str(q) == quarter), quarters[-1] if quarters else None)
    eligible = "—"
    missing = ""
    if chosen is not None:
        try:
            r = compute_quarter(plan, scenario.roster, scenario.months, chosen)
            eligible = f"{r.eligible_count:,}"
        except NoBookedMonth:
            pass
        except MissingAging as exc:  # blank A/R on a gate month: say so, never a traceback
            missing = f" {exc}: {chosen} cannot be computed until it is added."
    figures = {
        "People": f"{len(scenario.roster):,}",
        f"Eligible in {chosen}": eligible,
        "Months booked": f"{len(labels):,}",
        "Quarters": f"{len(quarters):,}",
    }
    span = (f"Months {labels[0]} to {labels[-1]}; quarters {quarters[0]} to {quarters[-1]}."
            if labels and quarters else "No booked month.")
    return figures, span + missing
