"""Helpers for AppTest: start the app the way a user does, read metrics back as cents."""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tel.core.models import Scenario
from tel.io.loaders import read_scenario
from tel.ui import live_chart

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"


def sample_scenario(roster: str = "roster.csv") -> Scenario:
    return read_scenario(SAMPLE / "plan.toml", SAMPLE / roster, SAMPLE / "months.csv").unwrap()


def open_app(page: str | None = None, query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if query:
        at.query_params.update(query)
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_link(page: str | None = None, query: dict[str, str] | None = None) -> AppTest:
    """A new session opened at ``page``'s own address (a deep link, query included), or at
    the home address; fails on an exception."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if page:
        at.switch_page(page)
    if query:
        at.query_params.update(query)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metric(at: AppTest, label: str) -> str:
    for m in at.metric:
        if m.label == label:
            return str(m.value)
    raise AssertionError(f"no metric {label!r}: {[m.label for m in at.metric]}")


def charts(at: AppTest) -> list[str]:
    """Each chart's figure as sent to the browser (plotly JSON), in page order."""
    return [json.loads(el.proto.json)["figure"] for el in at.get("bidi_component")
            if el.proto.component_name == live_chart.NAME]


def choose_quarter(at: AppTest, quarter: str) -> None:
    at.sidebar.selectbox(key="tel.quarter_pick").set_value(quarter)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
