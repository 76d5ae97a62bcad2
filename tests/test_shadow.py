"""Shadow quarters: a plan can start in shadow, computed and shown as what it would pay, never
paid; when it goes live, nothing a shadow quarter carried reaches a paid quarter."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from case_files import scenario_of
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies_partwo import Case, cases, examples

from tel.analysis.provenance import working
from tel.analysis.team import team_view_of
from tel.analysis.year import year_provenance
from tel.core.models import Month, Plan, Scenario
from tel.core.periods import Quarter
from tel.core.policy import (
    SHADOW_TAG,
    GateFailure,
    Netting,
    Reserve,
    Shadow,
    ShadowQuarter,
)
from tel.engine.ledger import run
from tel.engine.quarter import QuarterResult, compute_quarter, compute_scenario
from tel.io.exports import export_filename, gusto_csv, payroll_csv, workbook_xlsx
from tel.io.loaders import read_scenario
from tel.io.payroll import adp_epi, adp_settings, gusto_upload
from tel.io.planfile import plan_from_toml, plan_to_toml
from tel.io.store import Store, StoreError
from tel.render.statement import statement_filename, statement_pdf, statements_zip_filename
from tel.render.tables import payouts_csv

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
Q1, Q2, Q3 = Quarter(2026, 1), Quarter(2026, 2), Quarter(2026, 3)
SHADOW = Shadow(start="2026-Q1", quarters=2)  # 2026-Q1 and Q2 in shadow; live from 2026-Q3


def sample(shadow: Shadow | None = None, **plan: object) -> Scenario:
    s = read_scenario(SAMPLE / "plan.toml", SAMPLE / "roster.csv", SAMPLE / "months.csv").unwrap()
    changes: dict[str, object] = dict(plan)
    if shadow is not None:
        changes["shadow"] = shadow
    return s.model_copy(update={"plan": s.plan.model_copy(update=changes)})


def month(y: int, m: int, gp: int, cash: int = 60_000) -> Month:
    return Month(year=y, month=m, gp=Decimal(gp), cash_on_hand=Decimal(cash),
                 ar_total=Decimal(100_000), ar_90_plus=Decimal(0))


# --------------------------------------------------------------------------- the plan setting


def test_the_source_plan_has_no_shadow_and_writes_none() -> None:
    assert not Plan().shadow.on and Plan().shadow.first_live is None
    assert "shadow" not in Plan().model_dump_json()  # saved versions keep their checksums
    assert "[shadow]" not in plan_to_toml(Plan())


def test_a_shadow_section_reads_and_writes_back_the_same() -> None:
    text = (SAMPLE / "plan.toml").read_text() + '\n[shadow]\nstart = "2026-q1"\nquarters = 2\n'
    plan = plan_from_toml(text).unwrap()
    assert plan.shadow == SHADOW
    assert '[shadow]\nstart = "2026-Q1"\nquarters = 2\n' in plan_to_toml(plan)
    assert plan_from_toml(plan_to_toml(plan)).unwrap() == plan


@pytest.mark.parametrize(("section", "words"), [
    ("quarters = 2", "[shadow] quarters: 2 needs the first quarter in shadow"),
    ('start = "Q1 2026"\nquarters = 1', "[shadow] start: 'Q1 2026' must be a quarter like"),
    ("start = 2026", "[shadow] start: 2026 is a number, not a quarter in quotes"),
    ('start = "2026-Q1"\nquarters = 13', "[shadow] quarters: 13 must be at most 12"),
])
def test_a_bad_shadow_section_is_an_error_naming_the_key(section: str, words: str) -> None:
    loaded = plan_from_toml((SAMPLE / "plan.toml").read_text() + f"\n[shadow]\n{section}\n")
    assert loaded.value is None
    assert any(words in str(p) for p in loaded.problems), [str(p) for p in loaded.problems]


# --------------------------------------------------------------------------- the engine


def test_shadow_quarters_are_computed_as_usual_and_marked() -> None:
    live, shadow = sample(), sample(SHADOW)
    for q in (Q1, Q2):
        a, b = compute_scenario(live, q), compute_scenario(shadow, q)
        assert b.shadow and not a.shadow
        assert b.model_copy(update={"shadow": False}) == a  # the same figures: what it would pay
    assert not compute_scenario(shadow, Q3).shadow
    assert not compute_scenario(shadow, Quarter(2025, 4)).shadow  # before the start: as before


def test_a_live_quarter_serialises_as_before_the_setting_existed() -> None:
    r = compute_scenario(sample(), Q3)
    assert "shadow" not in r.model_dump_json()
    assert QuarterResult.model_validate_json(r.model_dump_json()) == r


def test_a_deferred_pool_of_a_shadow_quarter_never_reaches_the_first_live_quarter() -> None:
    # 2026-Q1 earns a pool but its cash gate fails: deferred. 2026-Q2 goes live.
    months = [month(2026, m, 80_000, cash=1_000) for m in (1, 2, 3)]
    months += [month(2026, m, 70_000) for m in (4, 5, 6)]
    plan = Plan(gate_failure=GateFailure(policy="defer"))
    without = run(plan, months)
    assert without[0].step.deferred_out > 0 and without[1].opening.deferred > 0
    shadowed = run(plan.model_copy(update={"shadow": Shadow(start="2026-Q1", quarters=1)}),
                   months)
    assert shadowed[0].shadow and shadowed[0].step.deferred_out == without[0].step.deferred_out
    assert not shadowed[1].shadow and shadowed[1].opening.deferred == 0
    assert shadowed[1].step.paid_pool < without[1].step.paid_pool


def test_a_reserve_held_back_in_shadow_is_not_released_in_a_live_fourth_quarter() -> None:
    months = [month(2026, m, 80_000) for m in range(1, 13)]
    plan = Plan(reserve=Reserve(holdback_pct=Decimal(20)))
    shadow = plan.model_copy(update={"shadow": Shadow(start="2026-Q1", quarters=3)})
    q4_all = run(plan, months)[-1]
    q4 = run(shadow, months)[-1]
    assert q4_all.opening.reserve > 0 and q4.opening.reserve == 0
    assert q4.step.released == q4.step.held_back  # only its own holdback comes back


def test_a_shortfall_carried_in_shadow_is_not_made_up_by_the_first_live_quarter() -> None:
    months = [month(2026, m, 40_000) for m in (1, 2, 3)] + [month(2026, m, 70_000)
                                                             for m in (4, 5, 6)]
    plan = Plan(netting=Netting(mode="carry_forward"))
    assert run(plan, months)[1].carry_in < 0
    live = run(plan.model_copy(update={"shadow": Shadow(start="2026-Q1", quarters=1)}), months)[1]
    assert live.carry_in == 0 and live.step.tel_profit == 3 * (70_000 - 62_000) * 100


def test_the_first_live_quarter_resets_even_after_an_unbooked_gap() -> None:
    months = [month(2026, m, 80_000, cash=1_000) for m in (1, 2, 3)]
    months += [month(2026, m, 70_000) for m in (7, 8, 9)]  # 2026-Q2 not booked
    plan = Plan(gate_failure=GateFailure(policy="defer"),
                shadow=Shadow(start="2026-Q1", quarters=1))
    assert run(plan, months)[1].opening.deferred == 0


RULES = settings(max_examples=examples(25), deadline=None)


@RULES
@given(case=cases(), first=st.integers(0, 5), length=st.integers(1, 4))
def test_live_quarters_pay_as_if_the_books_started_when_the_plan_went_live(
    case: Case, first: int, length: int,
) -> None:
    s = scenario_of(case)
    entries = run(s.plan, s.months)
    if first >= len(entries):
        return
    start = entries[first].quarter
    shadow = s.plan.model_copy(update={"shadow": Shadow(start=str(start), quarters=length)})
    live = start.shifted(length)
    fys = s.plan.fiscal_year_start
    later = [m for m in s.months if Quarter.containing(m.ym, fys) >= live]
    for e in run(shadow, s.months):
        assert e.shadow == (start <= e.quarter < live)
        if e.quarter < live:
            continue
        fresh = next(f for f in run(s.plan, later) if f.quarter == e.quarter)
        assert (e.opening, e.carry_in, e.step) == (fresh.opening, fresh.carry_in, fresh.step)


# --------------------------------------------------------------------------- refusals


def test_a_shadow_quarter_cannot_be_approved(tmp_path: Path) -> None:
    store = Store(tmp_path)
    version = store.create("In shadow", sample(SHADOW))
    with pytest.raises(StoreError, match="2026-Q2 is a shadow quarter.*cannot be approved "
                                         r"\(the plan pays from 2026-Q3\)"):
        store.approve(version.id, "2026-Q2", "", "Claire")
    assert store.snapshots() == []
    assert store.approve(version.id, "2026-Q3", "", "Claire").quarter == "2026-Q3"


def test_a_shadow_quarter_has_no_payroll_file() -> None:
    r = compute_scenario(sample(SHADOW), Q1)
    for make in (lambda: payroll_csv(r), lambda: gusto_csv(r)):
        with pytest.raises(ShadowQuarter, match=r"2026-Q1 is a shadow quarter.*no payroll file"):
            make()
    settings_, _ = adp_settings("3XY", "TEL26Q1", "B")
    assert settings_ is not None
    with pytest.raises(ShadowQuarter):
        adp_epi(r, settings_)
    with pytest.raises(ShadowQuarter):
        gusto_upload(b"first_name,last_name,bonus\r\n", "template.csv", r)


def test_the_files_of_a_shadow_quarter_say_shadow_in_their_names_and_inside() -> None:
    r = compute_scenario(sample(SHADOW), Q1)
    assert export_filename(r, "workbook") == "tel-2026-Q1-workbook-SHADOW.xlsx"
    assert statement_filename(r, "Ann Lee").endswith("-SHADOW.pdf")
    assert statements_zip_filename(r) == "statements-2026-Q1-SHADOW.zip"
    book = openpyxl.load_workbook(io.BytesIO(workbook_xlsx(r)))
    assert str(book["Summary"]["B2"].value).startswith("SHADOW: 2026-Q1 is what the plan")
    assert book.properties.title == "TEL bonus 2026-Q1 (SHADOW)"
    name = next(p.name for p in r.payouts if p.eligible)
    pdf = statement_pdf(r, name, compress=False)
    assert b"SHADOW - what the plan would pay, not paid" in pdf
    [first] = next(csv.reader(io.StringIO(payouts_csv(r).decode("utf-8-sig"))))
    assert first.startswith("SHADOW: 2026-Q1 is what the plan would pay, not paid")


# --------------------------------------------------------------------------- what it says


def test_every_page_of_a_shadow_quarter_says_so_in_its_provenance() -> None:
    base = sample(SHADOW)
    p = working(base, base.plan, {}, Q2)
    assert (p.kind, p.tag, p.shadow) == ("shadow", SHADOW_TAG, True)
    assert p.detail.startswith("Shadow: 2026-Q2 is what the plan would pay, not paid")
    assert not p.is_books and p.file_tag == "-SHADOW"
    what_if = working(base, base.plan.model_copy(update={"house_pct": Decimal(30)}), {}, Q2)
    assert (what_if.kind, what_if.tag) == ("whatif", f"What-if · {SHADOW_TAG}")
    assert what_if.file_tag == "-WHAT-IF-SHADOW"
    assert working(base, base.plan, {}, Q3).is_books


def test_a_year_with_shadow_quarters_says_which() -> None:
    base = sample(SHADOW)
    p = year_provenance(base, base.plan, {}, 2026)
    assert p.tag == SHADOW_TAG and "2026-Q1, 2026-Q2 are what the plan would pay" in p.detail
    assert year_provenance(base, base.plan, {}, 2025).is_books


def test_a_what_if_link_can_put_the_plan_in_shadow() -> None:
    base = sample()
    p = working(base, base.plan.model_copy(update={"shadow": SHADOW}), {}, Q1)
    assert p.kind == "whatif" and p.shadow and "shadow_quarters 2 (loaded 0)" in p.detail


def test_the_team_sees_a_past_shadow_quarter_as_not_paid() -> None:
    s = sample(SHADOW)
    past = [(compute_scenario(s, q), s.plan, None) for q in (Q1, Q2)]
    view = team_view_of(compute_scenario(s, Q3), s.plan, past)
    assert not view.shadow
    assert [(p.paid, p.note) for p in view.past_quarters] == [
        (False, "shadow: what the plan would have paid, not paid")] * 2
    assert team_view_of(past[0][0], s.plan).shadow


def test_tel_quarter_json_says_shadow_without_changing_any_other_value(tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text((SAMPLE / "plan.toml").read_text()
                    + '\n[shadow]\nstart = "2026-Q1"\nquarters = 2\n')

    def quarter(plan_file: Path, q: str) -> dict[str, object]:
        out = subprocess.run(
            [sys.executable, "-m", "tel", "quarter", "--plan", str(plan_file), "--roster",
             str(SAMPLE / "roster.csv"), "--months", str(SAMPLE / "months.csv"),
             "--quarter", q, "--json"], capture_output=True, text=True, check=True).stdout
        return dict(json.loads(out))

    shadow, live = quarter(plan, "2026-Q2"), quarter(SAMPLE / "plan.toml", "2026-Q2")
    assert shadow.pop("shadow") is True and live.pop("shadow") is False
    assert shadow == live
    assert quarter(plan, "2026-Q3")["shadow"] is False


def test_compute_quarter_marks_only_the_shadow_quarters() -> None:
    s = sample(Shadow(start="2026-Q2", quarters=1))
    flags = [compute_quarter(s.plan, s.roster, s.months, Quarter(2026, n)).shadow
             for n in (1, 2, 3)]
    assert flags == [False, True, False]
