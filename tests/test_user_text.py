"""User text stays text: names, departments, scenario names and notes follow one set of rules
whichever way they enter (files, uploads, the fixing table, scenario JSON, the store), are
drawn as plain text in charts, and every CSV made for people opens cleanly in Excel: accents
intact, no cell (or part of a cell) that a spreadsheet would run as a formula."""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import plotly.graph_objects as go
import pytest
from pydantic import ValidationError

from tel.analysis.sweeps import SweepBasis
from tel.core.models import Month, Person, Plan, Scenario
from tel.core.periods import Quarter
from tel.core.text import clean_name, name_key, plotly_text
from tel.engine.quarter import QuarterResult, compute_quarter
from tel.io.exports import gusto_csv, neutralise, payroll_csv
from tel.io.loaders import load_roster
from tel.io.sheetfix import fix, read_grid, to_bytes
from tel.io.store import EXPORT_FORMAT, ImportRefused, Store, StoreError, parse_export
from tel.render import figures
from tel.render.tables import payouts_csv
from tel.ui.personal_links import LinkRow, links_csv

Q3 = Quarter(2026, 3)
NFC, NFD = "Ren\u00e9e", "Rene\u0301e"
HEAD = b"name,salary,start_date,end_date,employment,department\n"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# A bare CR, LF, tab, NUL and other C0/C1 controls, format characters (zero-width space,
# soft hyphen, BOM, word joiner), bidi controls and line/paragraph separators.
INVISIBLE = ["\r", "\n", "\t", "\x00", "\x1b", "\x85", "\u200b", "\u00ad", "\ufeff", "\u2060",
             "\u202e", "\u2066", "\u200f", "\u2028", "\u2029"]


def months() -> tuple[Month, ...]:
    return tuple(
        Month(year=2026, month=m, gp=Decimal(g), cash_on_hand=Decimal(52000),
              ar_total=Decimal(320000), ar_90_plus=Decimal(24000))
        for m, g in ((7, 69343), (8, 59343), (9, 73434))
    )


def person(name: str, department: str = "", salary: int = 60000) -> Person:
    return Person(name=name, salary=Decimal(salary), start_date=date(2018, 1, 1),
                  department=department)


def export_doc(*names: str, scenario_name: str = "Imported", note: str = "") -> dict[str, Any]:
    """A scenario export file whose roster has ``names`` (written as a hand-edited file would
    be: no model checked these names)."""
    body = json.loads(Scenario(plan=Plan(), months=months(),
                               roster=(person("Placeholder"),)).model_dump_json())
    row = body["roster"][0]
    body["roster"] = [{**row, "name": n} for n in names]
    return {
        "format": EXPORT_FORMAT,
        "format_version": 1,
        "scenario": {"name": scenario_name},
        "versions": [{"number": 1, "created_at": "2026-01-01T00:00:00+00:00", "note": note,
                      "scenario": body}],
    }


def refusal(doc: dict[str, Any]) -> str:
    with pytest.raises(ImportRefused) as info:
        parse_export(json.dumps(doc, ensure_ascii=False))
    return "\n".join(info.value.problems)


# --------------------------------------------------------------------------- the rules


def test_a_name_is_stored_trimmed_and_in_its_composed_unicode_form() -> None:
    assert person(f"  {NFD} Hébert ").name == f"{NFC} Hébert"
    assert clean_name(f" {NFD} ") == NFC
    assert unicodedata.is_normalized("NFC", person(NFD, department=f" {NFD} ").department)


@pytest.mark.parametrize("char", INVISIBLE, ids=[f"U+{ord(c):04X}" for c in INVISIBLE])
def test_a_name_with_a_control_or_invisible_character_is_refused_in_plain_words(
    char: str,
) -> None:
    with pytest.raises(ValidationError) as info:
        person(f"An{char}n")
    message = str(info.value)
    assert f"U+{ord(char):04X}" in message
    with pytest.raises(ValidationError):
        person("Ann", department=f"O{char}ps")


def test_names_equal_once_composed_case_folded_and_stripped_of_invisibles_share_one_key() -> None:
    assert name_key(NFC) == name_key(NFD) == name_key("RENÉE")
    assert name_key("Ann") == name_key("An\u200bn") == name_key("ann  ")
    assert name_key("Ann") != name_key("Anne")


def test_a_scenario_refuses_two_people_whose_names_differ_only_invisibly() -> None:
    for a, b in ((NFC, NFD), ("Ann", "ANN")):
        with pytest.raises(ValidationError, match="appears more than once"):
            Scenario(plan=Plan(), months=months(),
                     roster=(person(a), Person.model_construct(**{**person("x").__dict__,
                                                                  "name": b})))


# --------------------------------------------------------------------------- files and uploads


@pytest.mark.parametrize("char", ["\r", "\n", "\t", "\u200b", "\u202e", "\u2066", "\u2028"],
                         ids=["CR", "LF", "tab", "ZWSP", "RLO", "LRI", "LSEP"])
def test_a_roster_file_refuses_a_name_with_a_control_character_naming_row_and_column(
    char: str,
) -> None:
    cell = f"Ann{char}=1+1".encode()
    data = HEAD + b'Bob,60000,2018-01-01,,w2,\n"' + cell + b'",50000,2018-01-01,,w2,\n'
    loaded = load_roster(data, "roster.csv")
    assert loaded.value is None
    [problem] = [p for p in loaded.errors]
    assert (problem.row, problem.column) == (3, "name")
    assert f"U+{ord(char):04X}" in problem.message
    assert "\r" not in str(problem) and "\n" not in str(problem)


def test_a_roster_file_stores_names_composed_and_reports_names_equal_but_for_their_form() -> None:
    ok = load_roster(HEAD + f"{NFD},60000,2018-01-01,,w2,\n".encode(), "roster.csv").unwrap()
    assert ok[0].name == NFC
    twice = load_roster(HEAD + f"{NFC},60000,2018-01-01,,w2,\n{NFD},50000,2018-01-01,,w2,\n"
                        .encode(), "roster.csv")
    assert twice.value is None
    assert any(p.row == 3 and "appears twice (rows 2 and 3)" in p.message for p in twice.errors)


def test_a_roster_file_reports_a_name_with_a_zero_width_space_as_a_duplicate_too() -> None:
    loaded = load_roster(HEAD + "Ann,60000,2018-01-01,,w2,\nAn\u200bn,5,2018-01-01,,w2,\n"
                         .encode(), "roster.csv")
    messages = [p.message for p in loaded.errors if p.row == 3 and p.column == "name"]
    assert any("U+200B" in m for m in messages)
    assert any("appears twice (rows 2 and 3)" in m for m in messages)


def test_a_cell_fixed_in_the_table_goes_through_the_same_name_rules() -> None:
    grid = read_grid(HEAD + f"{NFC},60000,2018-01-01,,w2,\nBob,12x,2018-01-01,,w2,\n".encode(),
                     "roster.csv")
    assert grid is not None
    hidden = load_roster(to_bytes(fix(grid, {3: {0: "Bo\u200bb", 1: "50000"}})), "roster.csv")
    assert any("U+200B" in p.message for p in hidden.errors)
    same = load_roster(to_bytes(fix(grid, {3: {0: NFD, 1: "50000"}})), "roster.csv")
    assert any("appears twice" in p.message for p in same.errors)


# --------------------------------------------------------------------------- scenario JSON


def test_a_name_with_a_bare_carriage_return_in_a_scenario_json_is_refused_plainly(
    tmp_path: Path,
) -> None:
    doc = export_doc("Bob", "Ann\r=1+1")
    message = refusal(doc)
    assert "roster row 2" in message and "name" in message
    assert "carriage return" in message and "U+000D" in message
    assert "\r" not in message
    with Store(tmp_path) as store:
        with pytest.raises(ImportRefused):
            store.import_json(json.dumps(doc))
        assert store.list_scenarios(include_deleted=True) == []


@pytest.mark.parametrize(("a", "b"), [(NFC, NFD), ("Ann", "ann"), ("Ann", " Ann ")])
def test_a_scenario_json_with_two_people_of_the_same_name_is_refused(a: str, b: str) -> None:
    assert "appears more than once" in refusal(export_doc(a, b))


def test_a_scenario_json_with_an_invisible_character_in_a_name_is_refused() -> None:
    assert "U+200B" in refusal(export_doc("Ann", "Bo\u200bb"))
    assert "U+202E" in refusal(export_doc("Ann", "Bob\u202e"))


def test_a_name_imported_from_a_scenario_json_is_stored_composed() -> None:
    parsed = parse_export(json.dumps(export_doc(f" {NFD} ")))
    assert parsed.versions[0].scenario.roster[0].name == NFC


def test_a_scenario_name_or_note_with_a_control_character_is_refused_on_import() -> None:
    assert "scenario name" in refusal(export_doc("Ann", scenario_name="Q3\u202eplan"))
    assert "note" in refusal(export_doc("Ann", note="ok\u200b"))


def test_a_scenario_name_or_note_with_a_control_character_is_refused_on_save(
    tmp_path: Path,
) -> None:
    s = Scenario(plan=Plan(), months=months(), roster=(person("Ann"),))
    with Store(tmp_path) as store:
        with pytest.raises(StoreError, match="U\\+202E"):
            store.create("Q3\u202eplan", s)
        with pytest.raises(StoreError, match="U\\+200B"):
            store.create("Q3 plan", s, note="a\u200bb")
        v = store.create(f"{NFD} plan", s, note="line one\nline two")
        assert store.get(v.scenario_id).name == f"{NFC} plan"


def test_a_version_saved_before_these_rules_still_opens_and_verifies_as_saved(
    tmp_path: Path,
) -> None:
    legacy_people = tuple(
        Person.model_construct(**{**person("x").__dict__, "name": n, "department": dept})
        for n, dept in ((NFC, "Ops"), (NFD, "\tDev"), ("Bo\u200bb", ""))
    )
    legacy = Scenario.model_construct(plan=Plan(), months=months(), roster=legacy_people)
    with Store(tmp_path) as store:
        v = store.create("Old", legacy)
        again = store.load_version(v.id)
        assert [p.name for p in again.roster] == [NFC, NFD, "Bo\u200bb"]
        snap = store.approve(v.id, Q3, "", "Owner")
        assert snap.verify() == []
        assert snap.scenario().roster[1].department == "\tDev"


# --------------------------------------------------------------------------- CSV files

HOSTILE = ["Ann;=1+1", "Bob,=2+2", "Cy\r=3+3", "Di\n@SUM(A1)", "Ed; -4+4", "=5+5",
           " +6", "Fay\r\n-7"]


def hostile_result() -> QuarterResult:
    """People whose names got past every rule (as a legacy or hand-made result might)."""
    base = person("x").__dict__
    roster = [Person.model_construct(**{**base, "name": n, "department": f"{n} dept"})
              for n in HOSTILE]
    roster.append(person("Renée Hébert", "R&D"))
    return compute_quarter(Plan(), roster, months(), Q3)


def people_csvs() -> Iterator[tuple[str, bytes]]:
    result = hostile_result()
    yield "payroll", payroll_csv(result)
    yield "gusto", gusto_csv(result)
    yield "payouts", payouts_csv(result)
    rows = [LinkRow(p.name, "yes", p.total, "https://team.example/statement?token=abc")
            for p in result.payouts]
    yield "links", links_csv(rows, str(Q3), date(2026, 12, 1))


def cells(text: str, delimiter: str) -> Iterator[str]:
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        yield from row


CSV_KINDS = ["payroll", "gusto", "payouts", "links"]


@pytest.mark.parametrize("kind", CSV_KINDS)
def test_no_cell_of_a_csv_starts_a_formula_whether_read_with_commas_or_semicolons(
    kind: str,
) -> None:
    text = dict(people_csvs())[kind].decode("utf-8-sig")
    for reading in (
        list(cells(text, ",")),  # Excel in the US and UK
        list(cells(text, ";")),  # Excel in most of Europe: ';' separates cells
        re.split(r"[,;\r\n]", text),  # a reader that ignores quotes altogether
    ):
        live = [c for c in reading if c.lstrip(" ").startswith(FORMULA_START)]
        assert not live, (kind, live)


@pytest.mark.parametrize("kind", CSV_KINDS)
def test_every_csv_made_for_people_is_utf8_with_a_bom_so_excel_shows_accents(kind: str) -> None:
    data = dict(people_csvs())[kind]
    assert data.startswith(codecs.BOM_UTF8), kind
    text = data.decode("utf-8-sig")
    assert "Renée" in text and "Hébert" in text
    assert not text.startswith("\ufeff")  # one BOM, not two


def test_the_names_survive_the_csv_as_written_apart_from_the_leading_quote() -> None:
    text = payroll_csv(hostile_result()).decode("utf-8-sig")
    names = [row[0] for row in csv.reader(io.StringIO(text, newline=""))][2:-1]
    assert [n.replace("'", "") for n in names] == [*HOSTILE, "Renée Hébert"]


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("Ann;=1+1", "Ann;'=1+1"),
        ("Bob,=2+2", "Bob,'=2+2"),
        ("Cy\r=3+3", "Cy\r'=3+3"),
        ("Di\n@x", "Di\n'@x"),
        ("Ed; -4", "Ed;' -4"),
        (" +6", "' +6"),
        ("=a;=b", "'=a;'=b"),
        ("Lee, Zoë", "Lee, Zoë"),
        ("Smith-Jones; R&D", "Smith-Jones; R&D"),
        ("a=b;c+d", "a=b;c+d"),
    ],
)
def test_neutralise_makes_safe_every_part_of_a_cell_that_could_start_a_formula(
    raw: str, safe: str
) -> None:
    assert neutralise(raw) == safe


# --------------------------------------------------------------------------- charts

LINK = '<a href="https://evil.example/x">Ann</a>'
BOLD_DEPT = '<b><a href="https://evil.example/d">Ops</a></b>'
TEMPLATE = "Cy %{customdata[1]}"


def strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for v in node.values():
            yield from strings(v)
    elif isinstance(node, list | tuple):
        for v in node:
            yield from strings(v)
    elif isinstance(node, np.ndarray) and node.dtype == object:
        for v in node.ravel():
            yield from strings(v)


def assert_plain(fig: go.Figure) -> None:
    found = list(strings(fig.to_plotly_json()))
    assert not [s for s in found if "<a " in s or "<a>" in s.lower()], "a live link"
    assert not [s for s in found if "evil.example" in s and "&lt;a href" not in s]
    for trace in fig.data:  # user text is data, never part of a template
        template = getattr(trace, "hovertemplate", None) or ""
        for t in template if isinstance(template, tuple) else (template,):
            assert "evil.example" not in t and TEMPLATE not in t, t


@pytest.fixture(scope="module")
def hostile_charts() -> tuple[QuarterResult, SweepBasis]:
    roster = [person(LINK, BOLD_DEPT, 90000), person("Bob <br>", "Dev", 60000),
              person(TEMPLATE, "Dev", 70000), person("Dee", BOLD_DEPT, 65000)]
    result = compute_quarter(Plan(), roster, months(), Q3)
    return result, SweepBasis.from_result(result, Plan())


def test_a_roster_name_with_a_link_is_drawn_as_plain_text_in_charts(
    hostile_charts: tuple[QuarterResult, SweepBasis],
) -> None:
    result, basis = hostile_charts
    names = [p.name for p in result.payouts]
    built = [
        figures.payouts_bar(result),
        figures.payouts_bar(result, max_people=2),  # department totals
        figures.sensitivity(basis, people=[LINK, TEMPLATE], points=11),
        figures.heatmap_split(basis, LINK, house_pcts=[25], team_pcts=[50]),
        figures.gain_loss(basis, 50, 70),
        figures.gain_loss(basis, 50, 70, max_people=2),  # department totals
        figures.check_changes(names, [1, 2, 3, 4], [5, 1, 3, 9], before_label=LINK,
                              after_label=TEMPLATE),
    ]
    for fig in built:
        assert_plain(fig)
    bar = built[0]
    assert "Bob &lt;br&gt;" in bar.data[0].y and plotly_text(LINK) in bar.data[0].y


def test_plotly_text_escapes_markup_and_nothing_else() -> None:
    assert plotly_text('<a href="x">R&D</a>') == '&lt;a href="x"&gt;R&amp;D&lt;/a&gt;'
    assert plotly_text("Renée 30%") == "Renée 30%"
