"""Loading the files the app starts on. Parsing is cached on the files' bytes."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st

from tel.core.models import Scenario
from tel.io.loaders import MAX_BYTES, load_months, load_plan, load_roster, read_file
from tel.io.problems import Loaded

APP_DIR = Path(__file__).resolve().parents[2]
SAMPLE_DIR = APP_DIR / "sample_data"


@dataclass(frozen=True)
class StartFiles:
    plan: Path
    roster: Path
    months: Path


def start_files(argv: list[str] | None = None) -> StartFiles:
    """``streamlit run app.py -- --plan P --roster R --months M``; else ``TEL_PLAN``,
    ``TEL_ROSTER``, ``TEL_MONTHS``; else the sample data."""
    parser = argparse.ArgumentParser(add_help=False)
    for name, default in (("plan", "plan.toml"), ("roster", "roster.csv"),
                          ("months", "months.csv")):
        env = os.environ.get(f"TEL_{name.upper()}")
        parser.add_argument(f"--{name}", type=Path,
                            default=Path(env) if env else SAMPLE_DIR / default)
    args, _ = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    return StartFiles(args.plan, args.roster, args.months)


@dataclass(frozen=True)
class Parsed:
    """The start files read: the scenario (None when any file has an error), every error, and
    the warnings of each file (``kind -> lines``), which stay in view on the Data page."""

    scenario: Scenario | None
    errors: list[str]
    warnings: dict[str, tuple[str, ...]]


@st.cache_data(show_spinner=False, max_entries=32)
def parse_scenario(
    plan: bytes, plan_name: str, roster: bytes, roster_name: str, months: bytes, months_name: str
) -> Parsed:
    """Three files -> a validated scenario, or every problem in them, one line each."""
    loaded_plan = load_plan(plan, plan_name)
    loaded_roster = load_roster(roster, roster_name)
    loaded_months = load_months(months, months_name)
    loaded: dict[str, Loaded[Any]] = {
        "plan": loaded_plan, "roster": loaded_roster, "months": loaded_months
    }
    problems = [str(p) for one in loaded.values() for p in one.errors]
    warnings = {
        kind: tuple(str(p) for p in one.warnings) for kind, one in loaded.items() if one.warnings
    }
    plan_v, roster_v, months_v = loaded_plan.value, loaded_roster.value, loaded_months.value
    if problems or plan_v is None or roster_v is None or months_v is None:
        return Parsed(None, problems, warnings)
    try:
        scenario = Scenario(plan=plan_v, roster=roster_v, months=months_v)
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
    for path in (files.plan, files.roster, files.months):
        data, problem = read_file(path, MAX_BYTES)
        if data is None:
            problems.append(str(problem) if problem else f"{path}: cannot be read")
        else:
            blobs.append(data)
    if problems:
        return Parsed(None, problems, {})
    return parse_scenario(
        blobs[0], files.plan.name, blobs[1], files.roster.name, blobs[2], files.months.name
    )
