"""A personal statement explains one person's own check under the plan's variants, in plain
words, and shows no exact company figure beyond the public ones (docs/privacy.md)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tel.analysis.privacy import public_quarter
from tel.core.models import Month, Person, Plan
from tel.core.money import format_money
from tel.core.periods import Quarter
from tel.engine.quarter import Payout, QuarterResult, compute_quarter
from tel.io.links import sign_statement_token
from tel.render.statement import (
    check_notes,
    explain_reason,
    formula_words,
    performance_used,
    statement_pdf,
    statements_zip,
    weight_text,
)
from tel.rules.weights import WEIGHT_UNITS

ROOT = Path(__file__).resolve().parents[1]
Q3, Q4 = Quarter(2026, 3), Quarter(2026, 4)

CREW = (
    Person(name="Ann Lee", salary=Decimal(96000), start_date=date(2020, 1, 1)),
    Person(name="Bo Chen", salary=Decimal(72000), start_date=date(2018, 6, 1),
           performance=Decimal("1.5")),
    # 9 months of service on 16 August 2026: 46 of 2026-Q3's 92 days
    Person(name="Cy Diaz", salary=Decimal(60000), start_date=date(2025, 11, 16)),
    Person(name="Di Roy", salary=Decimal(150000), start_date=date(2010, 1, 1)),
    Person(name="Ed Fox", salary=Decimal(50000), start_date=date(2019, 3, 1)),
    Person(name="Flo Owner", salary=Decimal(200000), start_date=date(2005, 1, 1), owner=True),
)


def months(*, failing: tuple[int, ...] = (), gp: int = 90000) -> list[Month]:
    """2026, every month $90,000 of GP (Min GP is $62,000); cash short in ``failing``."""
    return [Month(year=2026, month=m, gp=Decimal(gp),
                  cash_on_hand=Decimal(20000 if m in failing else 52000),
                  ar_total=Decimal(320000), ar_90_plus=Decimal(24000)) for m in range(1, 13)]


def plan_with(**variants: Any) -> Plan:
    return Plan.model_validate(variants)


EVERYTHING = {
    "partial": "prorate",
    "merit": {"formula": "salary_x_capped_years", "cap_years": 5},
    "caps": {"max_pct_of_salary": 3},
    "payroll_tax": {"employer_pct": "7.65"},
    "reserve": {"holdback_pct": 10},
    "gate_failure": {"policy": "defer"},
    "netting": {"mode": "carry_forward"},
    "min_house": 1000,
}


def pdf_text(pdf: bytes) -> str:
    """The text an uncompressed statement prints, lines joined by spaces."""
    raw = pdf.decode("latin-1")
    parts = re.findall(r"\(((?:\\.|[^\\)])*)\) ?Tj", raw)
    return " ".join(re.sub(r"\\(.)", r"\1", p) for p in parts)


def statement(result: QuarterResult, name: str, plan: Plan) -> str:
    return pdf_text(statement_pdf(result, name, plan=plan, compress=False))


def payout(result: QuarterResult, name: str) -> Payout:
    return next(p for p in result.payouts if p.name == name)


# --------------------------------------------------------------------------- merit weight


def test_statement_names_the_merit_formula_and_counted_days_under_proration() -> None:
    plan = plan_with(partial="prorate", merit={"formula": "salary_x_log_years"})
    r = compute_quarter(plan, CREW, months(), Q3)
    cy = payout(r, "Cy Diaz")
    assert cy.eligible and cy.days == 46
    text = statement(r, "Cy Diaz", plan)
    assert "Days counted 46 of 92 days" in text
    assert "Prorated: 46 of 92 days count for you" in text
    assert "once you have 9 completed months of service" in text
    # the formula in words, and this person's own weight by it: $60,000 x ln(1 + 10/12)
    assert formula_words(plan.merit, prorate=True) in text
    ln = Decimal(math.log(1 + 10 / 12)).quantize(Decimal("0.0001"))
    assert f"$60,000 x ln(1 + 0.83 years) = $60,000 x {ln}" in text
    assert f"= {round(60000 * math.log(1 + 10 / 12)):,} dollars, counted on each of your 46 days" \
        in text
    assert "shared by days counted among 5 eligible people" in text


@pytest.mark.parametrize(("formula", "shown"), [
    ("salary_x_years", "$96,000 x 6.67 years = 640,000 dollar-years"),
    ("salary_x_capped_years",
     "$96,000 x 5 years = 480,000 dollar-years (your 6.67 years of service count as 5"),
    ("salary", "$96,000 = 96,000 dollars (salary only"),
    ("years", "6.67 years = 6.67 years (years of service only"),
    ("salary_x_log_years", f"= {round(96000 * math.log(1 + 80 / 12)):,} dollars"),
])
def test_statement_shows_the_merit_weight_by_the_plans_formula(formula: str, shown: str) -> None:
    plan = plan_with(merit={"formula": formula, "cap_years": 5})
    r = compute_quarter(plan, CREW, months(), Q3)
    text = statement(r, "Ann Lee", plan)
    assert shown in text
    assert WEIGHT_UNITS[formula] in text
    assert formula_words(plan.merit) in text  # "How it works" names the formula


def test_statement_shows_the_performance_used_this_quarter_from_the_scores_file() -> None:
    plan = Plan()
    r = compute_quarter(plan, CREW, months(), Q3, scores={("Ann Lee", "2026-Q3"): Decimal("0.75")})
    ann = payout(r, "Ann Lee")
    assert ann.performance == Decimal("0.75")
    assert "$96,000 x 6.67 years x performance 0.75 = 480,000 dollar-years" in statement(
        r, "Ann Lee", plan)
    bo = payout(r, "Bo Chen")  # the roster's multiplier when no score is given
    assert "x performance 1.5 =" in weight_text(bo, plan.merit)


def test_an_approval_stored_before_payouts_carried_performance_still_shows_the_multiplier() -> None:
    r = compute_quarter(Plan(), CREW, months(), Q3)
    bo = payout(r, "Bo Chen")
    stored = bo.model_dump()
    stored.pop("performance")  # read back as 1, the default
    old = Payout.model_validate(stored)
    assert old.performance == 1
    assert performance_used(old) == Decimal("1.5")
    assert weight_text(old) == weight_text(bo)


# --------------------------------------------------------------------------- caps


def test_statement_says_how_much_of_a_capped_check_went_back_to_the_house() -> None:
    plan = plan_with(caps={"max_pct_of_salary": 12})
    r = compute_quarter(plan, CREW, months(), Q3)
    di = payout(r, "Di Roy")
    assert di.capped > 0 and di.total == 1800000  # 12% of $150,000
    text = statement(r, "Di Roy", plan)
    assert (f"Capped at 12% of salary ($18,000.00 a quarter for you): "
            f"{format_money(di.capped)} went back to the house.") in text
    assert "Your total $18,000.00" in text
    ann = payout(r, "Ann Lee")
    assert ann.capped == 0 and ann.total < 1152000
    assert "The plan caps a quarter's check at 12% of salary ($11,520.00 for you); yours is " \
        "under it." in statement(r, "Ann Lee", plan)


# --------------------------------------------------------------------------- the ledger


def test_statement_explains_the_employer_tax_and_the_holdback_in_words() -> None:
    plan = plan_with(payroll_tax={"employer_pct": "7.65"}, reserve={"holdback_pct": 10})
    r = compute_quarter(plan, CREW, months(), Q3)
    assert r.employer_tax > 0 and r.held_back > 0
    text = statement(r, "Ann Lee", plan)
    assert "Employer payroll tax (7.65%) comes out of the pool: of every $107.65 available, " \
        "$100 goes to checks and $7.65 to the tax." in text
    assert "Held back: 10% of this quarter's staff pool goes to a reserve, paid with the " \
        "fiscal year's fourth quarter." in text
    assert "50% of what is paid out this quarter" in text  # the pools shared, in percentages


def test_statement_in_the_fourth_quarter_says_the_reserve_and_deferred_pools_are_paid_now() -> None:
    plan = plan_with(reserve={"holdback_pct": 10}, gate_failure={"policy": "defer"})
    r = compute_quarter(plan, CREW, months(failing=(9,)), Q4)
    assert r.released > 0 and r.deferred_in > 0
    text = statement(r, "Ann Lee", plan)
    assert "Reserve released: what this fiscal year's quarters held back is paid now" in text
    assert "Deferred pools paid now: staff pools held when earlier quarters' gates failed" in text


@pytest.mark.parametrize(("policy", "words"), [
    ("defer", "the quarter's staff pool is deferred: it is held and paid with the next quarter "
              "whose gates pass"),
    ("forfeit", "the quarter's staff pool is forfeit: it goes back to the house"),
])
def test_statement_of_a_failed_gate_says_what_becomes_of_the_pool(policy: str, words: str) -> None:
    plan = plan_with(gate_failure={"policy": policy})
    r = compute_quarter(plan, CREW, months(failing=(9,)), Q3)
    assert not r.gates.passed
    text = statement(r, "Ann Lee", plan)
    assert words in text and "Your total $0.00" in text


def test_statement_under_the_source_plan_has_no_variant_notes() -> None:
    r = compute_quarter(Plan(), CREW, months(), Q3)
    for p in r.payouts:
        assert check_notes(r, p, Plan()) == []
    text = statement(r, "Ann Lee", Plan())
    assert "Under this plan" not in text
    assert "salary x years of service x performance" in text


def test_statement_names_a_non_default_netting_and_minimum_house_in_words() -> None:
    plan = plan_with(netting={"mode": "monthly_floor"}, min_house=1000)
    r = compute_quarter(plan, CREW, months(), Q3)
    text = statement(r, "Ann Lee", plan)
    assert "How weak months count: Monthly floor: each month pays what it makes over Min GP" \
        in text
    assert "The house keeps at least $1,000.00 of each quarter's TEL profit" in text


@pytest.mark.parametrize(("mode", "rule"), [
    ("quarter", "TEL profit is quarter GP above Min GP for the months booked, never below $0."),
    ("monthly_floor", "TEL profit is what each month booked made above Min GP, added up (a "
                      "month below Min GP counts as $0)."),
    ("carry_forward", "TEL profit is quarter GP above Min GP for the months booked, less the "
                      "$24,000 shortfall carried in from earlier in the fiscal year, never "
                      "below $0."),
])
def test_statement_says_how_tel_profit_is_counted_under_the_plans_netting(
    mode: str, rule: str,
) -> None:
    """Q1 and Q2 are $12,000 short of Min GP each, August $4,000: the statement's "How it
    works" and its GP follow the plan's netting (it once said "when the quarter's GP beats
    Min GP for its months, the excess is TEL profit" whatever the plan)."""
    plan = plan_with(netting={"mode": mode})
    weak = (1, 2, 3, 4, 5, 6, 8)
    books = [m.model_copy(update={"gp": Decimal(58_000 if m.month in weak else 90_000)})
             for m in months()]
    r = compute_quarter(plan, CREW, books, Q3)
    text = statement(r, "Ann Lee", plan)
    assert f"How it works: {rule}" in text
    pub = public_quarter(r, plan)
    assert 2 * abs(pub.gp - r.gp_total) <= pub.money_step
    assert f"Gross profit (GP) about {format_money(pub.gp)}" in text
    assert ("beats Min GP" not in text) and ("made up by strong ones" not in text)


def test_a_day_reason_is_explained_in_plain_words() -> None:
    assert explain_reason("left before the quarter") == [
        "your employment ended before this quarter began"]
    assert explain_reason("12 of 91 days") == ["12 of the quarter's 91 days counted"]


# --------------------------------------------------------------------------- privacy


def _no_exact_company_figures(r: QuarterResult, plan: Plan) -> Iterator[str]:
    """Every exact company amount a statement prints that is neither public nor the reader's
    own: the offending statement and amount."""
    pub = public_quarter(r, plan)
    public = {pub.gp, pub.tel_profit, pub.house, pub.staff_pool, pub.team_pool, pub.merit_pool,
              pub.threshold, r.min_gp, pub.money_step}
    exact = {r.gp_total, r.tel_profit, r.house, r.staff_pool, r.team_pool, r.merit_pool,
             r.paid_pool, r.available, r.employer_tax, r.held_back, r.released, r.deferred_in,
             r.reserve_in, r.reserve_out, r.capped_to_house, r.paid, r.undistributed,
             r.carry_in, r.total_weight}
    for me in r.payouts:
        own = {me.total, me.capped, me.salary, 0}
        if plan.caps.max_pct_of_salary:
            own.add(me.salary * int(plan.caps.max_pct_of_salary) // 100)
        text = statement(r, me.name, plan)
        for x in exact - public - own:
            for shown in (format_money(x), format_money(x, cents_shown=False)):
                if shown in text:
                    yield f"{me.name}: {shown}"
        for other in r.payouts:
            if other.name != me.name:
                assert other.name not in text


def test_statement_never_shows_the_exact_paid_pool() -> None:
    plan = plan_with(**EVERYTHING)
    for quarter, failing in ((Q3, ()), (Q4, (9,)), (Q3, (9,))):
        r = compute_quarter(plan, CREW, months(failing=failing), quarter)
        assert list(_no_exact_company_figures(r, plan)) == []
    r = compute_quarter(plan, CREW, months(failing=(9,)), Q4)
    assert r.paid_pool and r.employer_tax and r.held_back and r.released and r.deferred_in
    text = statement(r, "Ann Lee", plan)
    for exact in (r.paid_pool, r.available, r.employer_tax, r.held_back, r.released,
                  r.deferred_in, r.team_pool, r.merit_pool):
        assert format_money(exact) not in text


def test_statement_never_shows_the_split_of_ones_own_check_under_variants() -> None:
    plan = plan_with(**EVERYTHING)
    r = compute_quarter(plan, CREW, months(), Q3)
    for me in r.eligible:
        text = statement(r, me.name, plan)
        for part in (me.team, me.merit):
            if part not in (me.total, me.capped, 0):
                assert format_money(part) not in text


def test_statement_with_every_variant_still_fits_one_page() -> None:
    plan = plan_with(**EVERYTHING)
    for quarter, failing in ((Q3, ()), (Q4, (9,)), (Q3, (9,))):
        r = compute_quarter(plan, CREW, months(failing=failing), quarter)
        for p in r.payouts:
            pdf = statement_pdf(r, p.name, plan=plan, company="Puryear IT Services, LLC",
                                compress=False)
            assert b"/Count 1" in pdf, (str(quarter), p.name)
    assert statements_zip(r, plan=plan).startswith(b"PK")


# --------------------------------------------------------------------------- the page


@pytest.fixture
def variant_books(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    plan = (ROOT / "sample_data" / "plan.toml").read_text(encoding="utf-8")
    plan = plan.replace("min_months = 9", 'min_months = 9\npartial = "prorate"')
    plan += ('\n[merit]\nformula = "salary"\n\n[caps]\nmax_pct_of_salary = 2\n\n'
             '[payroll_tax]\nemployer_pct = 7.65\n\n[reserve]\nholdback_pct = 10\n')
    path = tmp_path / "plan.toml"
    path.write_text(plan, encoding="utf-8")
    secret = "statement-tests-secret-" + "x" * 32
    monkeypatch.setenv("TEL_AUDIENCE", "team")
    monkeypatch.setenv("TEL_LINK_SECRET", secret)
    monkeypatch.setenv("TEL_PLAN", str(path))
    monkeypatch.delenv("TEL_ROSTER", raising=False)
    monkeypatch.delenv("TEL_MIN_GROUP", raising=False)
    yield path


def test_the_statement_page_explains_the_check_under_the_plans_variants(
    variant_books: Path,
) -> None:
    from tel.io.loaders import read_scenario

    sample = ROOT / "sample_data"
    books = read_scenario(variant_books, sample / "roster.csv", sample / "months.csv").unwrap()
    r = compute_quarter(books.plan, books.roster, books.months, Q3)
    me = next(p for p in r.eligible if p.capped)
    token = sign_statement_token(("statement-tests-secret-" + "x" * 32).encode(), me.name,
                                 "2026-Q3", datetime.now(UTC) + timedelta(days=3))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("pages/statement.py")
    at.query_params.update({"token": token})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    text = "\n".join(el.proto.SerializeToString().decode("utf-8", "ignore")
                     for el in at._tree if getattr(el, "proto", None) is not None)
    plain = text.replace("\\", "")
    assert "Under this plan" in plain
    assert weight_text(me, books.plan.merit) in text
    assert "salary x performance, for each day counted; years of service do not count" in text
    assert f"{format_money(me.capped)} went back to the house" in plain
    assert "Employer payroll tax (7.65%)" in plain
    # the TEL profit row says how this plan counts it; the pools split what is paid out
    assert "quarter GP above Min GP for the months booked, never below $0" in plain
    assert "50% of what is paid out, by days counted for" in plain
    assert "50% of what is paid out, by merit weight" in plain
    for exact in (r.paid_pool, r.available, r.employer_tax, r.held_back, r.capped_to_house):
        assert format_money(exact) not in plain
