"""The sample firm a new user opens first: 14 people in Baton Rouge IT services, nine full
quarters of books plus October 2026, and 2026-Q3 exactly the source's worked example."""

from __future__ import annotations

import csv
import importlib.util
import re
import tomllib
from collections import Counter
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from types import ModuleType

import pytest
from spec_examples import SPEC_MONTHS_COLUMNS, SPEC_ROSTER_COLUMNS
from strategies import exact_weight

from tel.core.models import Employment, Month, Person, Plan
from tel.core.periods import Quarter
from tel.engine.ledger import booked_quarters
from tel.engine.quarter import QuarterResult, compute_quarter
from tel.io.loaders import read_months, read_plan, read_roster
from tel.io.synthetic import ROSTER_COLUMNS, make_roster, roster_csv_text, write_roster_csv
from tel.rules.eligibility import judge

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "sample_data"
PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d{1,2})?$")


@pytest.fixture(scope="module")
def plan() -> Plan:
    return read_plan(DATA / "plan.toml").unwrap()


@pytest.fixture(scope="module")
def roster() -> tuple[Person, ...]:
    return read_roster(DATA / "roster.csv").unwrap()


@pytest.fixture(scope="module")
def months() -> tuple[Month, ...]:
    return read_months(DATA / "months.csv").unwrap()


def pay(plan: Plan, roster: tuple[Person, ...], months: tuple[Month, ...], q: str) -> QuarterResult:
    return compute_quarter(plan, roster, months, Quarter.parse(q))


# --- the files are in exactly the spec's section-8 formats ---------------------------------


def test_the_plan_file_is_the_spec_layout_with_the_source_plan() -> None:
    with (DATA / "plan.toml").open("rb") as f:
        raw = tomllib.load(f)
    assert raw == {
        "threshold": {
            "overhead": 50000,
            "debt_service": 4000,
            "owner_retention": 2000,
            "ni_retention": 6000,
        },
        "split": {"house_pct": 25, "team_pct": 50},
        "gates": {"min_cash": 50000, "max_ar90_pct": 10},
        "eligibility": {"min_months": 9},
        "calendar": {"pay_day": 15, "fiscal_year_start": 1},
    }


def test_the_files_load_without_a_single_problem() -> None:
    for loaded in (
        read_plan(DATA / "plan.toml"),
        read_roster(DATA / "roster.csv"),
        read_months(DATA / "months.csv"),
        read_roster(DATA / "roster_1000.csv"),
    ):
        assert loaded.ok and loaded.problems == ()


def test_the_roster_has_the_spec_columns_and_plain_numbers() -> None:
    with (DATA / "roster.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == SPEC_ROSTER_COLUMNS == list(ROSTER_COLUMNS)
    for row in rows[1:]:
        assert len(row) == len(SPEC_ROSTER_COLUMNS)
        assert PLAIN_NUMBER.match(row[1]), row
        assert row[4] in ("w2", "contractor") and row[5] in ("true", "false")


def test_the_months_have_the_spec_columns_and_run_july_2024_to_october_2026() -> None:
    with (DATA / "months.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == SPEC_MONTHS_COLUMNS
    labels = [r[0] for r in rows[1:]]
    assert all(re.fullmatch(r"\d{4}-\d{2}", m) for m in labels)
    assert labels[0] == "2024-07" and labels[-1] == "2026-10" and len(labels) == 28
    assert labels == sorted(labels) and len(set(labels)) == 28  # consecutive, no gaps
    assert all(PLAIN_NUMBER.match(cell) for r in rows[1:] for cell in r[1:])


def test_the_loader_reads_what_the_csv_module_reads(
    roster: tuple[Person, ...], months: tuple[Month, ...]
) -> None:
    # an independent parse with csv + models, so a loader change cannot move the sample
    with (DATA / "roster.csv").open(encoding="utf-8", newline="") as f:
        plain = tuple(
            Person(
                name=r["name"],
                salary=Decimal(r["salary"]),
                start_date=date.fromisoformat(r["start_date"]),
                end_date=date.fromisoformat(r["end_date"]) if r["end_date"] else None,
                employment=Employment(r["employment"]),
                full_time=r["full_time"] == "true",
                owner=r["owner"] == "true",
                performance=Decimal(r["performance"]),
                department=r["department"],
            )
            for r in csv.DictReader(f)
        )
    assert plain == roster
    with (DATA / "months.csv").open(encoding="utf-8", newline="") as f:
        plain_months = tuple(
            Month(
                year=int(r["month"][:4]),
                month=int(r["month"][5:]),
                gp=Decimal(r["gp"]),
                cash_on_hand=Decimal(r["cash_on_hand"]),
                ar_total=Decimal(r["ar_total"]),
                ar_90_plus=Decimal(r["ar_90_plus"]),
            )
            for r in csv.DictReader(f)
        )
    assert plain_months == months


# --- the firm ------------------------------------------------------------------------------


def test_the_firm_is_fourteen_people_a_new_user_recognises(roster: tuple[Person, ...]) -> None:
    assert len(roster) == 14
    assert sum(p.owner for p in roster) == 2
    assert {p.department for p in roster} == {
        "Admin",
        "Projects",
        "Service Desk",
        "Field Services",
        "Inventory",
    }
    assert any("é" in p.name for p in roster) and any("," in p.name for p in roster)
    salaries = [p.salary for p in roster]
    assert min(salaries) >= 38_000 and max(salaries) <= 120_000
    assert any(p.performance != 1 for p in roster)
    assert [p.employment for p in roster].count(Employment.CONTRACTOR) == 1
    assert [p.full_time for p in roster].count(False) == 1


def test_the_worked_months_are_the_sources(months: tuple[Month, ...]) -> None:
    by = {m.label: m for m in months}
    gp = [by[m].gp for m in ("2026-07", "2026-08", "2026-09")]
    assert gp == [Decimal(69343), Decimal(59343), Decimal(73434)]
    sep = by["2026-09"]
    assert [sep.cash_on_hand, sep.ar_total, sep.ar_90_plus] == [
        Decimal(52000),
        Decimal(320000),
        Decimal(24000),
    ]


def test_the_months_look_like_a_real_it_services_firm(months: tuple[Month, ...]) -> None:
    for m in months:
        assert 55_000 <= m.gp <= 80_000, m.label
        assert 45_000 <= m.cash_on_hand <= 90_000, m.label
        assert 250_000 <= m.ar_total <= 350_000, m.label
        assert Decimal("0.03") <= m.ar_90_plus / m.ar_total <= Decimal("0.12"), m.label


# --- 2026-Q3: the source's worked example, paid to real people -------------------------------

Q3_CHECKS = {  # name: (eligible, reason, team, merit) in cents
    "Marc Thibodeaux": (False, "owner", 0, 0),
    "Claire Landry": (False, "owner", 0, 0),
    "Tanya Guidry": (True, "", 75_563, 226_860),
    "Renée Hébert": (True, "", 75_563, 122_144),
    "Broussard, Luc": (True, "", 75_563, 70_843),
    "Patrick Sonnier": (False, "left before pay date", 0, 0),
    "Maria Delgado": (True, "", 75_563, 49_950),
    "Kim Nguyen": (True, "", 75_562, 70_613),
    "Cody LeBlanc": (True, "", 75_562, 28_280),
    "DeShawn Williams": (True, "", 75_562, 29_085),
    "Evelyn Ardoin": (False, "part-time", 0, 0),
    "Andre Fontenot": (True, "", 75_562, 6_725),
    "Sam Robichaux": (False, "8 of 9 months", 0, 0),
    "Jordan Mire": (False, "contractor, 1 of 9 months", 0, 0),
}


def test_sample_2026_q3_reproduces_the_worked_example_to_the_cent(
    plan: Plan, roster: tuple[Person, ...], months: tuple[Month, ...]
) -> None:
    r = pay(plan, roster, months, "2026-Q3")
    assert r.min_gp == 6_200_000
    assert r.gp_total == 20_212_000
    assert r.tel_profit == 1_612_000
    assert (r.house, r.staff_pool, r.team_pool, r.merit_pool) == (
        403_000,
        1_209_000,
        604_500,
        604_500,
    )
    assert r.gates.passed and r.gates.ar90_pct == Fraction(15, 2)
    assert r.pay_date == date(2026, 11, 13)  # the 15th is a Sunday: the Friday before
    assert r.undistributed == 0


def test_sample_2026_q3_checks_add_up_to_the_staff_pool(
    plan: Plan, roster: tuple[Person, ...], months: tuple[Month, ...]
) -> None:
    r = pay(plan, roster, months, "2026-Q3")
    got = {p.name: (p.eligible, p.reason, p.team, p.merit) for p in r.payouts}
    assert got == Q3_CHECKS
    assert [p.name for p in r.payouts] == [p.name for p in roster]  # roster order
    assert sum(p.total for p in r.payouts if p.eligible) == r.staff_pool == 1_209_000
    assert r.eligible_count == 8


def test_sample_2026_q3_merit_is_salary_times_years_times_performance(
    plan: Plan, roster: tuple[Person, ...], months: tuple[Month, ...]
) -> None:
    r = pay(plan, roster, months, "2026-Q3")
    end = date(2026, 9, 30)
    chosen = [p for p, o in zip(roster, r.payouts, strict=True) if o.eligible]
    whole = sum(exact_weight(p, end) for p in chosen)
    for person, out in zip(roster, r.payouts, strict=True):
        if out.eligible:
            assert abs(out.merit - r.merit_pool * exact_weight(person, end) / whole) < 1
    tanya = next(o for o in r.payouts if o.name == "Tanya Guidry")
    assert tanya.months == 143  # nearly 12 years, at performance 1.2


def test_every_ineligible_reason_in_the_sample_is_the_judges(
    plan: Plan, roster: tuple[Person, ...]
) -> None:
    q = Quarter(2026, 3)
    for p in roster:
        v = judge(p, q.last_day(), q.pay_date(), plan.min_months)
        assert (v.eligible, v.reason) == Q3_CHECKS[p.name][:2]


# --- the other quarters tell the rest of the story -----------------------------------------


def test_2025_q1_is_the_one_full_quarter_below_the_threshold(
    plan: Plan, roster: tuple[Person, ...], months: tuple[Month, ...]
) -> None:
    r = pay(plan, roster, months, "2025-Q1")
    assert r.gp_total == 17_503_500 < 3 * r.min_gp
    assert r.tel_profit == 0 and r.paid == 0 and r.gates.passed


def test_2025_q4_is_the_one_quarter_where_a_gate_stops_a_real_bonus(
    plan: Plan, roster: tuple[Person, ...], months: tuple[Month, ...]
) -> None:
    r = pay(plan, roster, months, "2025-Q4")
    assert r.tel_profit == 3_307_500  # $33,075 at stake
    assert not r.gates.cash_ok and r.gates.ar_ok
    assert r.gates.cash_text() == "Cash is $3,120.00 short of $50,000.00"
    assert r.paid == 0 and r.undistributed == 0 and r.staff_pool == 2_480_625


def test_every_other_full_quarter_pays_a_bonus(
    plan: Plan, roster: tuple[Person, ...], months: tuple[Month, ...]
) -> None:
    quarters = booked_quarters(months, plan.fiscal_year_start)
    assert [str(q) for q in quarters] == [
        "2024-Q3",
        "2024-Q4",
        "2025-Q1",
        "2025-Q2",
        "2025-Q3",
        "2025-Q4",
        "2026-Q1",
        "2026-Q2",
        "2026-Q3",
        "2026-Q4",
    ]
    outcomes: Counter[str] = Counter()
    for q in quarters[:-1]:
        r = compute_quarter(plan, roster, months, q)
        assert r.complete
        outcomes["below"] += r.tel_profit == 0
        outcomes["gated"] += r.tel_profit > 0 and not r.gates.passed
        outcomes["paid"] += r.paid == r.staff_pool > 0
    assert outcomes == {"below": 1, "gated": 1, "paid": 7}


def test_october_2026_is_a_quarter_to_date_figure(
    plan: Plan, roster: tuple[Person, ...], months: tuple[Month, ...]
) -> None:
    r = pay(plan, roster, months, "2026-Q4")
    assert r.months_booked == ("2026-10",) and not r.complete
    assert r.tel_profit == 6_650_000 - 6_200_000
    assert r.pay_date == date(2027, 2, 15)
    reasons = {p.name: p.reason for p in r.payouts}
    assert reasons["Sam Robichaux"] == ""  # 11 months by December 31
    assert reasons["Patrick Sonnier"] == "left before pay date"
    assert reasons["Jordan Mire"] == "contractor, 4 of 9 months"


# --- the 1,000-person roster -----------------------------------------------------------------


def _make_roster_script() -> ModuleType:
    path = ROOT / "benchmarks" / "make_roster.py"
    spec = importlib.util.spec_from_file_location("make_roster_script", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_roster_1000_is_exactly_what_the_generator_makes() -> None:
    script = _make_roster_script()
    text = (DATA / "roster_1000.csv").read_text(encoding="utf-8")
    assert text == roster_csv_text(make_roster(script.SIZE, seed=script.SEED))
    assert script.main(["--check"]) == 0


def test_roster_1000_mixes_every_kind_of_person(plan: Plan) -> None:
    people = read_roster(DATA / "roster_1000.csv").unwrap()
    assert len(people) == 1000 and len({p.name.casefold() for p in people}) == 1000
    assert all(p.department for p in people)
    q = Quarter(2026, 3)
    reasons = Counter(
        judge(p, q.last_day(), q.pay_date(), plan.min_months).reason.split(", ")[0] for p in people
    )
    assert 1 <= reasons["owner"] <= 10
    assert reasons["contractor"] >= 20 and reasons["part-time"] >= 20
    assert reasons["left before pay date"] >= 10 and reasons["starts after quarter end"] >= 1
    assert sum(n for r, n in reasons.items() if r.endswith(" of 9 months")) >= 50
    assert reasons[""] >= 600


def test_synthetic_rosters_are_deterministic_and_seeded() -> None:
    assert make_roster(50, seed=7) == make_roster(50, seed=7)
    assert make_roster(50, seed=7) != make_roster(50, seed=8)
    assert make_roster(0) == ()


def test_a_written_synthetic_roster_loads_back_identically(tmp_path: Path) -> None:
    people = make_roster(200, seed=11)
    target = tmp_path / "roster.csv"
    write_roster_csv(people, target)
    assert read_roster(target).unwrap() == people


def test_synthetic_rosters_pay_out_to_the_cent(plan: Plan, months: tuple[Month, ...]) -> None:
    people = make_roster(300, seed=5)
    r = compute_quarter(plan, people, months, Quarter(2026, 3))
    assert r.paid == r.staff_pool == 1_209_000
    assert 0 < r.eligible_count < 300
