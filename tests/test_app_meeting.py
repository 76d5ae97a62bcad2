"""AppTest: the meeting view hides every name and salary on every owner page, stays on across
pages and in the links until turned off, and turning it off brings the people back.

"Hidden" is measured on everything a run would send to a browser (every element's proto,
sidebar included: tables, chart JSON, widget options, captions). Each roster runs twice: as it
is, and anonymised (other names and salaries, same tenure): a name or salary form counts as
leaked when the real run sent it and the anonymous one did not, so a salary that equals a
company figure (the $50,000 minimum cash) is no false alarm (``tests/team_privacy.py``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from apptest_support import charts, open_app
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block
from team_privacy import SAMPLE, anonymous_copy, appears, leaks, name_forms, roster_rows

from tel.io.loaders import read_scenario
from tel.io.store import Store
from tel.ui import meeting
from tel.ui.pages import PAGES, page_exists

OWNER_PAGES = [p.path for p in PAGES
               if "owner" in p.audiences and p.path != "app.py" and page_exists(p.path)]
QUARTERS = ("2026-Q3", "2026-Q4", "2025-Q4")


@pytest.fixture(autouse=True)
def _owner_app(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("TEL_AUDIENCE", raising=False)
    monkeypatch.delenv("TEL_ROSTER", raising=False)
    monkeypatch.setenv("TEL_LINK_SECRET", "meeting-tests-secret-" + "m" * 32)
    yield


def all_text(at: AppTest) -> str:
    """Everything the run would send to a browser: every element's proto, as UTF-8."""
    return "\n".join(el.proto.SerializeToString().decode("utf-8", "ignore")
                     for el in at._tree if getattr(el, "proto", None) is not None)


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def main_kinds(at: AppTest) -> list[str]:
    return [type(el).__name__ for el in at.main if not isinstance(el, Block)]


def seed_store(roster: Path) -> None:
    """Two saved versions on ``roster``: the loaded plan, and house 40% (Compare has sides)."""
    s = read_scenario(SAMPLE / "plan.toml", roster, SAMPLE / "months.csv").unwrap()
    with Store(Path(os.environ["TEL_DATA_DIR"])) as store:
        store.create("Loaded plan", s, "as loaded")
        store.create("House 40", s.model_copy(update={
            "plan": s.plan.model_copy(update={"house_pct": Decimal(40)})}), "more for the house")


def walk_every_page(roster: Path, monkeypatch: pytest.MonkeyPatch,
                    quarters: tuple[str, ...] = QUARTERS, on: bool = True) -> str:
    """Open the app with ``meeting=1`` on ``roster``, then every owner page in every quarter
    (a plan knob moved, so the Plan and Year pages have gainers and losers, and a raise in
    the people what-if); everything it sent."""
    monkeypatch.setenv("TEL_ROSTER", str(roster))
    seed_store(roster)
    at = ok(open_app(query={"meeting": "1" if on else "0", "team_pct": "80",
                            "raise4": "91234"}))  # a raise: "from $68,000.00" off
    texts = [all_text(at)]
    for quarter in quarters:
        at.sidebar.selectbox(key="tel.quarter_pick").set_value(quarter)
        ok(at.run())
        texts.append(all_text(at))
        for page in OWNER_PAGES:
            ok(at.switch_page(page).run())
            assert at.session_state[meeting.KEY] is on, page
            texts.append(all_text(at))
    return "\n".join(texts)


@pytest.mark.parametrize("roster", ["roster.csv", "roster_1000.csv"])
def test_no_page_sends_a_roster_name_or_salary_in_meeting_view(
    roster: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    rows = roster_rows(SAMPLE / roster)
    quarters = QUARTERS if roster == "roster.csv" else ("2026-Q3",)
    real = walk_every_page(SAMPLE / roster, monkeypatch, quarters)
    monkeypatch.setenv("TEL_DATA_DIR", str(tmp_path_factory.mktemp("anon-data")))
    anon = walk_every_page(anonymous_copy(SAMPLE / roster, tmp_path / roster), monkeypatch,
                           quarters)
    assert leaks(real, anon, rows) == []


NAMES = [r.name for r in roster_rows(SAMPLE / "roster.csv")]


def names_in(text: str) -> list[str]:
    """Every roster name form (whole name, or a part of four letters or more) in ``text``."""
    low = text.casefold()
    return [f for name in NAMES for f in name_forms(name) if appears(f, low)]


@pytest.mark.parametrize("page", ["app.py", *OWNER_PAGES])
def test_no_roster_name_appears_anywhere_on_a_page_in_meeting_view(page: str) -> None:
    """Not even by coincidence: no page in meeting view has any roster name in it."""
    seed_store(SAMPLE / "roster.csv")
    at = ok(open_app(None if page == "app.py" else page, query={"meeting": "1"}))
    assert names_in(all_text(at)) == []


def test_the_walk_catches_names_and_salaries_with_the_view_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """The measure works: the same walk with the view off finds names and a salary."""
    rows = roster_rows(SAMPLE / "roster.csv")
    real = walk_every_page(SAMPLE / "roster.csv", monkeypatch, ("2026-Q3",), on=False)
    monkeypatch.setenv("TEL_DATA_DIR", str(tmp_path_factory.mktemp("anon-data")))
    anon = walk_every_page(anonymous_copy(SAMPLE / "roster.csv", tmp_path / "roster.csv"),
                           monkeypatch, ("2026-Q3",), on=False)
    found = leaks(real, anon, rows)
    assert "tanya guidry" in found, found
    assert any(f.replace(",", "").isdigit() for f in found), found  # a salary too


# --------------------------------------------------------------------------- on and off


def test_it_stays_on_across_pages_and_in_every_link() -> None:
    at = ok(open_app())
    assert not at.session_state[meeting.KEY]
    assert "meeting" not in at.query_params
    at.sidebar.toggle(key=meeting.WIDGET).set_value(True)
    ok(at.run())
    for page in ["pages/plan.py", "pages/payouts.py", "app.py", "pages/sensitivity.py",
                 "pages/compare.py"]:
        ok(at.switch_page(page).run())
        assert at.session_state[meeting.KEY]
        assert at.sidebar.toggle(key=meeting.WIDGET).value is True, page
        assert at.query_params["meeting"] == ["1"] or at.query_params["meeting"] == "1"
        links = at.sidebar.get("page_link")
        assert links and all("meeting=1" in link.proto.query_string for link in links)
        assert any("Meeting view: no names or salaries" in m.value for m in at.main.markdown)


def test_a_link_with_meeting_1_opens_in_meeting_view_on_a_deep_link() -> None:
    at = ok(open_app("pages/payouts.py", query={"meeting": "1"}))
    assert at.session_state[meeting.KEY]
    assert not at.dataframe and not at.get("download_button")
    assert any(meeting.HIDDEN_NOTE in i.value for i in at.info)


def test_turning_it_off_brings_the_names_back() -> None:
    at = ok(open_app("pages/payouts.py", query={"meeting": "1"}))
    assert names_in(all_text(at)) == []
    at.sidebar.toggle(key=meeting.WIDGET).set_value(False)
    ok(at.run())
    assert not at.session_state[meeting.KEY]
    assert "meeting" not in at.query_params
    assert "Tanya Guidry" in list(at.dataframe[0].value["name"])
    ok(at.switch_page("pages/sensitivity.py").run())
    assert at.multiselect(key="sens.people").options  # the names are offered again


def test_the_note_s_button_turns_it_off() -> None:
    at = ok(open_app("pages/payouts.py", query={"meeting": "1"}))
    [off] = [b for b in at.button if b.label == "Turn off meeting view"]
    ok(off.click().run())
    assert not at.session_state[meeting.KEY]
    assert at.dataframe and at.get("download_button")


def test_the_people_pages_show_only_the_note() -> None:
    for page in ("pages/approve.py", "pages/links.py"):
        at = ok(open_app(page, query={"meeting": "1"}))
        assert "Info" in main_kinds(at)
        assert not at.dataframe and not at.get("download_button") and not at.text_input
        assert any(meeting.HIDDEN_NOTE in i.value for i in at.info)


# --------------------------------------------------------------------------- what is shown


def test_payouts_show_checks_in_bands_with_head_counts() -> None:
    at = ok(open_app("pages/payouts.py", query={"meeting": "1", "q": "2026-Q3"}))
    [fig] = [c for c in charts(at) if "Checks in bands" in c]
    assert '"$0"' in fig and "people" in fig
    assert any("Not eligible" in m.value for m in at.markdown)
    assert {m.label for m in at.metric} >= {"Team checks", "Merit checks", "Paid in all"}


def test_the_plan_page_shows_gainers_and_losers_as_counts_and_bands() -> None:
    at = ok(open_app("pages/plan.py", query={"meeting": "1", "q": "2026-Q3",
                                             "team_pct": "80"}))
    labels = {m.label: m.value for m in at.metric}
    assert int(labels["People who gain"]) > 0 and int(labels["People who lose"]) > 0
    assert any("Gains and losses" in c for c in charts(at))
    assert not at.dataframe  # no top-5 tables
    assert not at.selectbox(key="people.who") if "people.who" in at.session_state else True
    assert all(s.key != "people.who" for s in at.selectbox)


def test_a_raise_in_the_link_stays_out_of_the_address_and_the_page() -> None:
    at = ok(open_app("pages/plan.py", query={"meeting": "1", "q": "2026-Q3",
                                             "raise4": "91234"}))
    assert not at.session_state["tel.analysis.whatif"].people.empty  # still in use
    assert "raise4" not in at.query_params
    assert all("raise4" not in link.proto.query_string for link in at.sidebar.get("page_link"))
    text = all_text(at)
    assert "91234" not in text and "91,234" not in text
    at.sidebar.toggle(key=meeting.WIDGET).set_value(False)
    ok(at.run())
    assert "raise4" in at.query_params  # back in the address once the view is off


def test_kpis_go_two_to_a_row() -> None:
    at = ok(open_app(query={"meeting": "1"}))
    def blocks(node: Block) -> list[Block]:  # the page's sections are blocks of their own
        inner = [c for c in node.children.values() if isinstance(c, Block)]
        return inner + [b for c in inner for b in blocks(c)]

    rows = [b for b in blocks(at.main) if b.type == "flex_container"
            and any(isinstance(c, Block) and c.type == "column" and c.get("metric")
                    for c in b.children.values())]
    assert len(rows) == 3  # six KPIs
    assert all(len(r.children) == 2 for r in rows)


def test_compare_shows_gainers_and_losers_against_a_as_bands() -> None:
    seed_store(SAMPLE / "roster.csv")
    at = ok(open_app("pages/compare.py", query={"meeting": "1", "q": "2026-Q3"}))
    assert "Gains and losses against A" in [s.value for s in at.subheader]
    specs = charts(at)
    assert len(specs) == 1 and "Change in check" in specs[0]
    assert len(at.dataframe) == 1  # the pools side by side: no per-person table
    assert names_in(all_text(at)) == []


def test_link_problems_are_counted_not_quoted_in_meeting_view() -> None:
    at = ok(open_app(query={"meeting": "1", "raise4": "91x234"}))
    [toast] = at.toast
    assert "hidden in meeting view" in toast.value and "91x234" not in toast.value


def test_the_quarters_checks_in_bands_add_up_to_the_roster() -> None:
    from apptest_support import sample_scenario

    from tel.analysis.bands import check_bands
    from tel.core.periods import Quarter
    from tel.engine.quarter import compute_quarter

    s = sample_scenario()
    for q in ("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"):
        r = compute_quarter(s.plan, s.roster, s.months, Quarter.parse(q))
        bands = check_bands([p.total for p in r.payouts])
        assert sum(b.count for b in bands) == len(r.payouts)
        for p in r.payouts:  # every check sits in exactly one band
            assert sum(1 for b in bands if (b.low == b.high == p.total == 0)
                       or (b.low <= p.total < b.high and p.total > 0)) == 1
        assert len(bands) <= 9
