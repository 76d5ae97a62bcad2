"""The compare page's diverging bar, tested as an object: who gains, who loses, by how much."""

from __future__ import annotations

import pytest

from tel.figures import PALETTE, check_changes


def test_only_people_whose_check_moves_are_drawn_largest_gain_first() -> None:
    fig = check_changes(["Ann", "Bob", "Cy", "Di"], [100_00, 200_00, 300_00, 50_00],
                        [150_00, 200_00, 250_00, 60_00])
    bar = fig.data[0]
    assert bar.type == "bar" and bar.orientation == "h"
    assert list(bar.y) == ["Ann", "Di", "Cy"]  # Bob's check does not move
    assert list(bar.x) == [50.0, 10.0, -50.0]  # dollars
    assert list(bar.marker.color) == [PALETTE.passed, PALETTE.passed, PALETTE.failed]
    assert list(bar.text) == ["+$50.00", "+$10.00", "-$50.00"]
    assert "2 gain, 1 lose, 1 unchanged" in fig.layout.title.subtitle.text


def test_above_max_people_the_largest_gains_and_losses_are_kept_and_the_rest_counted() -> None:
    names = [f"P{i}" for i in range(100)]
    before = [10_000] * 100
    after = [10_000 + (i - 50) * 100 for i in range(100)]  # P50 unchanged
    fig = check_changes(names, before, after, max_people=10)
    bar = fig.data[0]
    assert list(bar.y) == ["P99", "P98", "P97", "P96", "P95", "P4", "P3", "P2", "P1", "P0"]
    sub = fig.layout.title.subtitle.text
    assert "49 gain, 50 lose, 1 unchanged" in sub
    assert "the 5 largest gains and 5 largest losses shown" in sub


def test_when_everyone_loses_every_bar_goes_to_the_largest_losses() -> None:
    names = [f"P{i}" for i in range(100)]
    fig = check_changes(names, [10_000] * 100, [10_000 - i for i in range(1, 101)],
                        max_people=40)
    assert len(fig.data[0].y) == 40 and fig.data[0].y[-1] == "P99"
    assert "the 40 largest losses shown" in fig.layout.title.subtitle.text


def test_when_nobody_moves_the_figure_says_so() -> None:
    fig = check_changes(["Ann"], [100], [100])
    assert len(fig.data[0].y) == 0
    assert any("Nobody's check changes" in a.text for a in fig.layout.annotations)


def test_scenario_labels_are_shown_as_text_not_markup() -> None:
    fig = check_changes(["Ann"], [1], [2], before_label="<b>Base</b>", after_label="B & C")
    assert fig.layout.title.text == "Who gains and who loses: &lt;b&gt;Base&lt;/b&gt; → B &amp; C"


def test_every_bar_fits_inside_a_symmetric_axis() -> None:
    fig = check_changes(["Ann", "Bob"], [0, 500_00], [1_000_00, 0])
    low, high = fig.layout.xaxis.range
    assert low == -high and high > 1000


def test_lengths_must_match() -> None:
    with pytest.raises(ValueError, match="same length"):
        check_changes(["Ann"], [1, 2], [1])
