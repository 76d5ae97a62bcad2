"""Loading the files the app starts on. Parsing is cached on the files' bytes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

from tel.core.models import Scenario
from tel.core.periods import Quarter
from tel.io.loaders import MAX_BYTES, load_months, load_plan, load_roster, load_scores, read_file
from tel.io.problems import Loaded
from tel.io.startfiles import StartFiles


@dataclass(frozen=True)
class Parsed:
    """The start files read: the scenario (None when any file has an error), every error, and
    the warnings of each file (``kind -> lines``), which stay in view on the Data page."""

    scenario: Scenario | None
    errors: list[str]
    warnings: dict[str, tuple[str, ...]]


# cache_resource, not cache_data: every session gets the same (frozen) Parsed, not its own
# unpickled copy (~20 ms and ~1.6 MB a session at 1,000 people; benchmarks/bench_sessions.py),
# and the team pages' shared figures (tel.ui.team_shared) fingerprint it once.
@st.cache_resource(show_spinner=False, max_entries=32)
def parse_scenario(
    plan: bytes, plan_name: str, roster: bytes, roster_name: str, months: bytes, months_name: str,
    scores: bytes | None = None, scores_name: str = "scores.csv",
) -> Parsed:
    """The files -> a validated scenario, or every problem in them, one line each."""
    loaded_plan = load_plan(plan, plan_name)
    loaded_roster = load_roster(roster, roster_name)
    loaded_months = load_months(months, months_name)
    loaded: dict[str, Loaded[Any]] = {
        "plan": loaded_plan, "roster": loaded_roster, "months": loaded_months
    }
    if scores is not None:
        names = [p.name for p in loaded_roster.value or ()]
        fys = loaded_plan.value.fiscal_year_start if loaded_plan.value else 1
        quarters = [str(Quarter.containing(m.ym, fys)) for m in loaded_months.value or ()]
        loaded["scores"] = load_scores(scores, scores_name, names=names, quarters=quarters)
    problems = [str(p) for one in loaded.values() for p in one.errors]
    warnings = {
        kind: tuple(str(p) for p in one.warnings) for kind, one in loaded.items() if one.warnings
    }
    plan_v, roster_v, months_v = loaded_plan.value, loaded_roster.value, loaded_months.value
    if problems or plan_v is None or roster_v is None or months_v is None:
        return Parsed(None, problems, warnings)
    try:
        scenario = Scenario(plan=plan_v, roster=roster_v, months=months_v,
                            scores=loaded["scores"].value or () if "scores" in loaded else ())
    except ValueError as exc:
        return Parsed(None, [str(exc).splitlines()[-1]], warnings)
    if not scenario.months:
        return Parsed(None, [f"{months_name}: no booked month"], warnings)
    return Parsed(scenario, [], warnings)


def read_start_files(files: StartFiles) -> Parsed:
    """The start files through the loaders' own reading rules (``tel.io.loaders.read_file``): a
    missing file, a folder, a named pipe or device (refused without waiting on it) or a file
    over the size limit is one plain problem each."""
    blobs: list[bytes] = []
    problems: list[str] = []
    paths = [files.plan, files.roster, files.months]
    if files.scores is not None:
        paths.append(files.scores)
    for path in paths:
        data, problem = read_file(path, MAX_BYTES)
        if data is None:
            problems.append(str(problem) if problem else f"{path}: cannot be read")
        else:
            blobs.append(data)
    if problems:
        return Parsed(None, problems, {})
    scores = (blobs[3], files.scores.name) if files.scores is not None else (None, "")
    return parse_scenario(
        blobs[0], files.plan.name, blobs[1], files.roster.name, blobs[2], files.months.name,
        *scores
    )
