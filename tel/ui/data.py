"""Loading the files the app starts on. Parsing is cached on the files' bytes."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from tel.loaders import load_months, load_plan, load_roster
from tel.models import Scenario

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


@st.cache_data(show_spinner=False, max_entries=32)
def parse_scenario(
    plan: bytes, plan_name: str, roster: bytes, roster_name: str, months: bytes, months_name: str
) -> tuple[Scenario | None, list[str]]:
    """Three files -> a validated scenario, or every problem in them, one line each."""
    loaded_plan = load_plan(plan, plan_name)
    loaded_roster = load_roster(roster, roster_name)
    loaded_months = load_months(months, months_name)
    problems = [
        str(p)
        for loaded in (loaded_plan, loaded_roster, loaded_months)
        for p in loaded.problems
        if p.severity == "error"
    ]
    if problems or loaded_plan.value is None or loaded_roster.value is None \
            or loaded_months.value is None:
        return None, problems
    try:
        scenario = Scenario(
            plan=loaded_plan.value, roster=loaded_roster.value, months=loaded_months.value
        )
    except ValueError as exc:
        return None, [str(exc).splitlines()[-1]]
    if not scenario.months:
        return None, [f"{months_name}: no booked month"]
    return scenario, []


def read_start_files(files: StartFiles) -> tuple[Scenario | None, list[str]]:
    blobs: list[bytes] = []
    for path in (files.plan, files.roster, files.months):
        try:
            blobs.append(path.read_bytes())
        except OSError as exc:
            return None, [f"{path}: cannot be read ({exc.strerror or exc})"]
    return parse_scenario(
        blobs[0], files.plan.name, blobs[1], files.roster.name, blobs[2], files.months.name
    )
