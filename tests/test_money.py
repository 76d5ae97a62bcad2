"""Money is integer cents; rounding is round-half-up by name, never banker's, never floats."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import pct_half_up, percents

from tel.core.money import (
    format_money,
    parse_money,
    percent_of,
    round_half_up,
    to_cents,
    to_dollars,
)

FAST = settings(max_examples=300, deadline=None)


# --- round-half-up, pinned by name ------------------------------------------------------


def test_one_cent_at_fifty_percent_rounds_up_to_one_cent() -> None:
    assert percent_of(1, Decimal("50")) == 1


def test_an_exact_half_always_rounds_up_never_to_even() -> None:
    # banker's rounding would give 2 for 2.5 and 0 for 0.5; the TEL money never does
    assert percent_of(5, Decimal("50")) == 3
    assert round_half_up(Fraction(5, 2)) == 3
    assert round_half_up(Fraction(1, 2)) == 1
    assert round_half_up(Fraction(9, 2)) == 5


def test_just_below_a_half_rounds_down() -> None:
    assert round_half_up(Fraction(49_999, 100_000)) == 0
    assert percent_of(1, Decimal("49.9999")) == 0


def test_negative_halves_round_away_from_zero() -> None:
    assert round_half_up(Fraction(-5, 2)) == -3
    assert round_half_up(Fraction(-7, 3)) == -2


def test_only_round_half_up_is_accepted() -> None:
    with pytest.raises(ValueError, match="half-up"):
        percent_of(5, Decimal("50"), rounding=ROUND_HALF_EVEN)


def test_percent_of_the_worked_example() -> None:
    assert percent_of(1_612_000, Decimal("25")) == 403_000
    assert percent_of(1_209_000, Decimal("50")) == 604_500
    assert percent_of(5, Decimal("70")) == 4


@FAST
@given(st.integers(0, 10**12), percents())
def test_percent_of_agrees_with_decimal_round_half_up(cents: int, pct: Decimal) -> None:
    assert percent_of(cents, pct) == pct_half_up(cents, pct)


@FAST
@given(st.integers(-(10**15), 10**15), st.integers(1, 10**6))
def test_round_half_up_is_within_half_of_exact(n: int, d: int) -> None:
    exact = Fraction(n, d)
    r = round_half_up(exact)
    assert abs(r - exact) <= Fraction(1, 2)
    if abs(r - exact) == Fraction(1, 2):  # a tie went away from zero
        assert abs(r) > abs(exact)


# --- dollars <-> cents --------------------------------------------------------------------


def test_dollars_become_exact_cents() -> None:
    assert to_cents(Decimal("16120.00")) == 1_612_000
    assert to_cents("0.05") == 5
    assert to_cents(62_000) == 6_200_000
    assert to_cents(Decimal("-0.01")) == -1


def test_a_third_decimal_place_is_refused_not_rounded() -> None:
    with pytest.raises(ValueError, match="two decimal places"):
        to_cents(Decimal("0.005"))


def test_cents_become_dollars_with_two_places() -> None:
    assert str(to_dollars(1_209_000)) == "12090.00"
    assert str(to_dollars(-5)) == "-0.05"


@FAST
@given(st.integers(-(10**14), 10**14))
def test_cents_round_trip_through_dollars(cents: int) -> None:
    assert to_cents(to_dollars(cents)) == cents


# --- parsing and formatting -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "dollars"),
    [
        (" $69,343 ", "69343"),
        ("69343", "69343"),
        ("1,234.5", "1234.5"),
        ("(1,200.50)", "-1200.50"),
        ("-0.05", "-0.05"),
        ("+12", "12"),
        (".75", "0.75"),
        ("$1\u00a0000", "1000"),
    ],
)
def test_money_is_read_as_people_type_it(text: str, dollars: str) -> None:
    assert parse_money(text) == Decimal(dollars)


@pytest.mark.parametrize("text", ["", "abc", "1.234", "12,34", "1e5", "$", "--5", "nan", "inf"])
def test_what_is_not_money_is_refused_with_the_text_quoted(text: str) -> None:
    with pytest.raises(ValueError, match=r"amount of money|decimal places") as exc:
        parse_money(text)
    assert f"'{text}'" in str(exc.value)


def test_money_is_shown_with_thousands_and_cents() -> None:
    assert format_money(1_209_000) == "$12,090.00"
    assert format_money(-500) == "-$5.00"
    assert format_money(0) == "$0.00"


def test_whole_dollar_display_rounds_half_up() -> None:
    assert format_money(1_209_049, cents_shown=False) == "$12,090"
    assert format_money(1_209_050, cents_shown=False) == "$12,091"
    assert format_money(-150, cents_shown=False) == "-$2"


@FAST
@given(st.integers(-(10**13), 10**13))
def test_formatted_money_parses_back_to_the_same_cents(cents: int) -> None:
    assert to_cents(parse_money(format_money(cents))) == cents


@FAST
@given(st.integers(0, 10**13))
def test_whole_dollar_display_matches_decimal_half_up(cents: int) -> None:
    expected = (Decimal(cents) / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    assert format_money(cents, cents_shown=False) == f"${int(expected):,}"
