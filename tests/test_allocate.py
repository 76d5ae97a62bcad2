"""Largest remainder: every pool is paid to the cent, fairly, whatever the weights."""

from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies_partwo import examples

from tel.rules.allocate import allocate, equal_split, integer_weights

PROPS = settings(max_examples=examples(200), deadline=None)

totals = st.integers(0, 10**9)
weight_lists = st.lists(st.integers(0, 10**12), min_size=1, max_size=25)
exact_weight_lists = st.lists(
    st.one_of(
        st.integers(0, 10**6),
        st.fractions(min_value=0, max_value=10**6, max_denominator=1000),
        st.decimals(min_value=0, max_value=10**6, places=4),
    ),
    min_size=1,
    max_size=15,
)


# --- the fixed cases everyone can check by hand --------------------------------------------


def test_five_cents_at_seventy_thirty_is_four_and_one() -> None:
    assert allocate(5, [70, 30]) == [4, 1]


def test_ten_dollars_three_ways_gives_the_extra_cent_to_the_first_row() -> None:
    assert allocate(1000, [1, 1, 1]) == [334, 333, 333]
    assert equal_split(1000, 3) == [334, 333, 333]


def test_seven_cents_at_two_one_one_is_three_two_two() -> None:
    assert allocate(7, [2, 1, 1]) == [3, 2, 2]


def test_leftover_cents_go_to_the_largest_remainders_not_the_largest_weights() -> None:
    # exact shares 6.6, 2.2, 1.2: remainders .6 .2 .2 -> the one cent left goes to the first
    assert allocate(10, [33, 11, 6]) == [7, 2, 1]
    # exact shares 1.4, 1.6: the second has the larger remainder
    assert allocate(3, [7, 8]) == [1, 2]


def test_equal_remainders_are_broken_by_roster_order() -> None:
    assert allocate(2, [1, 1, 1]) == [1, 1, 0]
    assert allocate(1, [5, 5]) == [1, 0]
    assert allocate(1, [3, 5, 5]) == [0, 1, 0]  # 3/13 < 5/13 = 5/13: first of the tied pair


def test_all_zero_weights_share_like_the_team_pool() -> None:
    assert allocate(1000, [0, 0, 0]) == equal_split(1000, 3) == [334, 333, 333]


def test_a_zero_weight_gets_nothing_when_others_weigh_something() -> None:
    assert allocate(1001, [0, 1, 1]) == [0, 501, 500]


def test_nothing_to_share_pays_zero_to_everyone() -> None:
    assert allocate(0, [3, 2]) == [0, 0]
    assert equal_split(0, 4) == [0, 0, 0, 0]


def test_exact_weights_keep_their_ratios() -> None:
    assert integer_weights([Decimal("1.5"), 2, Fraction(1, 3)]) == [9, 12, 2]
    assert allocate(600, [Decimal("0.5"), Fraction(1, 4), 0]) == [400, 200, 0]


@pytest.mark.parametrize(
    ("total", "weights", "message"),
    [
        (-1, [1], "negative"),
        (5, [], "nobody"),
        (5, [1, -1], ">= 0"),
        (5, [Decimal("-0.1")], ">= 0"),
    ],
)
def test_impossible_allocations_are_refused(
    total: int, weights: list[object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        allocate(total, weights)  # type: ignore[arg-type]


def test_an_equal_split_among_nobody_is_refused() -> None:
    with pytest.raises(ValueError, match="nobody"):
        equal_split(5, 0)


# --- properties --------------------------------------------------------------------------


@PROPS
@given(totals, weight_lists)
def test_a_pool_is_paid_out_to_the_cent(total: int, weights: list[int]) -> None:
    shares = allocate(total, weights)
    assert sum(shares) == total
    assert all(s >= 0 for s in shares)


@PROPS
@given(totals, exact_weight_lists)
def test_each_share_is_within_a_cent_of_its_exact_share(
    total: int, weights: list[int | Fraction | Decimal]
) -> None:
    fracs = [Fraction(w) for w in weights]
    whole = sum(fracs)
    shares = allocate(total, weights)
    for share, w in zip(shares, fracs, strict=True):
        exact = Fraction(total) * w / whole if whole else Fraction(total, len(fracs))
        assert abs(share - exact) < 1


@PROPS
@given(totals, st.integers(1, 60), st.integers(0, 10**9))
def test_equal_weights_differ_by_at_most_a_cent(total: int, count: int, w: int) -> None:
    shares = allocate(total, [w] * count)
    assert max(shares) - min(shares) <= 1
    assert shares == equal_split(total, count)  # and the fast path agrees with the method


@PROPS
@given(totals, weight_lists, st.randoms(use_true_random=False))
def test_row_order_moves_nobody_by_more_than_a_cent(
    total: int, weights: list[int], rnd: random.Random
) -> None:
    order = list(range(len(weights)))
    rnd.shuffle(order)
    before = allocate(total, weights)
    after = allocate(total, [weights[i] for i in order])
    for pos, i in enumerate(order):
        assert abs(after[pos] - before[i]) <= 1


@PROPS
@given(totals, weight_lists, st.integers(1, 10**6))
def test_scaling_every_weight_changes_nothing(total: int, weights: list[int], k: int) -> None:
    assert allocate(total, [w * k for w in weights]) == allocate(total, weights)


@PROPS
@given(totals, st.integers(0, 10**6), weight_lists)
def test_a_bigger_pool_costs_nobody_more_than_a_cent(total: int, more: int, w: list[int]) -> None:
    # the Alabama paradox exists under largest remainder, but it is bounded by one cent
    for small, big in zip(allocate(total, w), allocate(total + more, w), strict=True):
        assert big >= small - 1


@PROPS
@given(exact_weight_lists)
def test_integer_weights_have_the_same_ratios(weights: list[int | Fraction | Decimal]) -> None:
    ints = integer_weights(weights)
    assert all(isinstance(i, int) for i in ints)
    fracs = [Fraction(w) for w in weights]
    nonzero = [(i, f) for i, f in zip(ints, fracs, strict=True) if f]
    if nonzero:
        i0, f0 = nonzero[0]
        assert all(Fraction(i, i0) == f / f0 for i, f in nonzero)
    assert all(i == 0 for i, f in zip(ints, fracs, strict=True) if not f)
