"""Cash and receivables gates (spec section 4), and the figures that say how to pass them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from tel.core.models import Month, Person, Plan
from tel.core.money import to_dollars
from tel.core.periods import Quarter
from tel.engine.quarter import compute_quarter
from tel.rules.gates import MissingAging, check_gates

PROPS = settings(max_examples=300, deadline=None)


def month_end(cash: object, ar_total: object, ar_90_plus: object) -> Month:
    return Month.model_validate(
        {
            "year": 2026,
            "month": 9,
            "gp": 73_434,
            "cash_on_hand": cash,
            "ar_total": ar_total,
            "ar_90_plus": ar_90_plus,
        }
    )


def test_the_source_example_passes_both_gates() -> None:
    g = check_gates(Plan(), month_end(52_000, 320_000, 24_000))
    assert (g.cash_ok, g.ar_ok, g.passed) == (True, True, True)
    assert g.ar90_pct == Fraction(15, 2)  # 7.5% exactly; the source rounds it to 8%
    assert g.cash_text() == "Cash $52,000.00 meets the $50,000.00 minimum"
    assert g.ar_text() == "A/R over 90 days is 7.5%, within the 10% limit"
    assert (g.cash_short, g.ar_to_collect) == (0, 0)


def test_cash_exactly_at_the_minimum_passes() -> None:
    assert check_gates(Plan(), month_end(50_000, 1, 0)).cash_ok


def test_cash_one_cent_under_the_minimum_fails() -> None:
    g = check_gates(Plan(), month_end(Decimal("49999.99"), 1, 0))
    assert not g.cash_ok and not g.passed
    assert g.cash_short == 1


def test_a_cash_shortfall_names_the_dollars_missing() -> None:
    g = check_gates(Plan(), month_end(46_880, 100_000, 0))
    assert g.cash_text() == "Cash is $3,120.00 short of $50,000.00"
    assert g.ar_ok and not g.passed


def test_ar_exactly_at_the_limit_passes() -> None:
    assert check_gates(Plan(), month_end(60_000, 320_000, 32_000)).ar_ok


def test_ar_one_cent_over_the_limit_fails_and_says_what_to_collect() -> None:
    g = check_gates(Plan(), month_end(60_000, 320_000, Decimal("32000.01")))
    assert not g.ar_ok and not g.passed
    assert g.ar_to_collect == 2  # ceil(0.01 / 0.9) cents
    assert g.ar_text().endswith("collect $0.02 of 90+ day A/R")


def test_no_receivables_at_all_passes_the_ar_gate() -> None:
    g = check_gates(Plan(max_ar90_pct=0), month_end(60_000, 0, 0))
    assert g.ar_ok and g.ar90_pct is None
    assert g.ar_text() == "A/R over 90 days is no receivables, within the 0% limit"


def test_a_zero_percent_limit_means_every_90_day_dollar_must_be_collected() -> None:
    g = check_gates(Plan(max_ar90_pct=0), month_end(60_000, 1_000, 250))
    assert g.ar_to_collect == 25_000


def test_the_ar_to_collect_from_the_docstring_example() -> None:
    g = check_gates(Plan(), month_end(46_880, 100_000, 17_560))
    assert g.ar_to_collect == 840_000  # $8,400: (17,560 - 8,400) / (100,000 - 8,400) = 10%
    assert g.ar_text() == (
        "A/R over 90 days is 17.6%, over the 10% limit: collect $8,400.00 of 90+ day A/R"
    )


# --- the advice works: applying the figure passes, one cent less does not ------------------


ar_cases = st.tuples(
    st.integers(1, 10**11),  # ar_total cents
    st.integers(0, 10**6),  # max_ar90_pct in 1/10,000 %
).flatmap(
    lambda t: st.tuples(st.just(t[0]), st.integers(0, t[0]), st.just(Decimal(t[1]).scaleb(-4)))
)


@PROPS
@given(ar_cases)
def test_collecting_the_advised_ar_passes_and_one_cent_less_fails(
    case: tuple[int, int, Decimal],
) -> None:
    total, over90, limit = case
    plan = Plan(max_ar90_pct=limit)
    g = check_gates(plan, month_end(60_000, to_dollars(total), to_dollars(over90)))
    assume(not g.ar_ok)
    x = g.ar_to_collect
    assert 0 < x <= over90
    collected = month_end(60_000, to_dollars(total - x), to_dollars(over90 - x))
    assert check_gates(plan, collected).ar_ok
    short = month_end(60_000, to_dollars(total - x + 1), to_dollars(over90 - x + 1))
    assert not check_gates(plan, short).ar_ok


@PROPS
@given(st.integers(0, 10**11), st.integers(0, 10**11))
def test_adding_the_cash_shortfall_passes_the_cash_gate(cash: int, minimum: int) -> None:
    plan = Plan(min_cash=to_dollars(minimum))
    g = check_gates(plan, month_end(to_dollars(cash), 0, 0))
    assert g.cash_ok == (g.cash_short == 0)
    topped_up = check_gates(plan, month_end(to_dollars(cash + g.cash_short), 0, 0))
    assert topped_up.cash_ok
    if g.cash_short:
        one_less = check_gates(plan, month_end(to_dollars(cash + g.cash_short - 1), 0, 0))
        assert not one_less.cash_ok


@PROPS
@given(ar_cases)
def test_the_ar_gate_is_the_spec_inequality(case: tuple[int, int, Decimal]) -> None:
    total, over90, limit = case
    plan = Plan(max_ar90_pct=limit)
    g = check_gates(plan, month_end(60_000, to_dollars(total), to_dollars(over90)))
    assert g.ar_ok == (Fraction(over90 * 100, total) <= Fraction(limit))
    assert g.ar_ok == (g.ar_to_collect == 0)
    assert check_gates(plan, month_end(60_000, to_dollars(total), 0)).ar_ok  # none overdue


# --------------------------------------------------------------------------- no A/R aging


def test_a_gate_month_without_an_aging_report_is_an_error_naming_the_report() -> None:
    blank = Month(year=2025, month=12, gp=1, cash_on_hand=60_000)
    with pytest.raises(MissingAging, match=r"^A/R aging as of 2025-12-31 is missing$") as caught:
        check_gates(Plan(), blank)
    assert issubclass(MissingAging, ValueError)
    assert caught.value.month == "2025-12" and caught.value.as_of.isoformat() == "2025-12-31"


def test_a_month_without_an_aging_report_counts_when_the_gates_fall_on_another() -> None:
    ann = Person(name="Ann", salary=60_000, start_date=date(2020, 1, 1))
    full = [month_end(52_000, 320_000, 24_000).model_copy(update={"month": m, "gp": g})
            for m, g in ((7, 69_343), (8, 59_343), (9, 73_434))]
    without = [Month(year=2026, month=m.month, gp=m.gp, cash_on_hand=m.cash_on_hand)
               if m.month != 9 else m for m in full]
    a = compute_quarter(Plan(), [ann], full, Quarter(2026, 3))
    b = compute_quarter(Plan(), [ann], without, Quarter(2026, 3))
    assert a == b  # only the gate month's A/R is read


def test_a_quarter_whose_gate_month_has_blank_ar_cannot_be_computed() -> None:
    months = [Month(year=2026, month=m, gp=70_000, cash_on_hand=60_000) for m in (7, 8, 9)]
    with pytest.raises(MissingAging, match="A/R aging as of 2026-09-30 is missing"):
        compute_quarter(Plan(), [], months, Quarter(2026, 3))


def test_one_blank_ar_figure_without_the_other_is_refused() -> None:
    with pytest.raises(ValidationError, match="both given or both blank"):
        Month(year=2026, month=9, gp=0, cash_on_hand=0, ar_total=100)
    with pytest.raises(ValidationError, match="both given or both blank"):
        Month(year=2026, month=9, gp=0, cash_on_hand=0, ar_90_plus=0)
