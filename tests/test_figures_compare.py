"""The compare page's diverging bar, tested as an object: who gains, who loses, by how much."""

from __future__ import annotations

import pytest

from tel.render.figures import PALETTE, check_changes, check_changes_by_column


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


def test_each_compared_column_gets_its_own_panel_against_the_first() -> None:
    fig = check_changes_by_column(
        ["Ann", "Bob", "Cy"], [100_00, 200_00, 300_00],
        [("B (house 30%)", [150_00, 200_00, 300_00]), ("C (team 80%)", [100_00, 150_00, 310_00]),
         ("D", [100_00, 200_00, None])],
        base_label="A (base)")
    assert [t.type for t in fig.data] == ["bar", "bar", "bar"]
    b, c, d = fig.data
    assert (b.xaxis, c.xaxis, d.xaxis) == ("x", "x2", "x3")  # one panel per column
    # the same people, in the same rows, in every panel: anyone who moves in some column
    assert list(b.y) == list(c.y) == list(d.y) == ["Ann", "Cy", "Bob"]
    assert list(b.x) == [50.0, 0.0, 0.0]
    assert list(c.x) == [0.0, 10.0, -50.0]
    assert list(d.x) == [0.0, None, 0.0]  # Cy is not on D's roster
    assert list(c.marker.color)[1:] == [PALETTE.passed, PALETTE.failed]
    titles = [a.text for a in fig.layout.annotations]
    assert "B (house 30%) − A (base)" in titles and "C (team 80%) − A (base)" in titles
    sub = fig.layout.title.subtitle.text
    assert "B (house 30%): 1 gain, 0 lose" in sub and "C (team 80%): 1 gain, 1 lose" in sub
    assert fig.layout.xaxis.range == fig.layout.xaxis2.range == fig.layout.xaxis3.range


def test_with_one_compared_column_the_chart_is_the_two_way_chart() -> None:
    one = check_changes_by_column(["Ann", "Bob"], [100, 200], [("B", [150, None])],
                                  base_label="A")
    two = check_changes(["Ann"], [100], [150], before_label="A", after_label="B")
    assert one.to_plotly_json() == two.to_plotly_json()


def test_above_max_people_the_largest_changes_in_any_column_are_kept() -> None:
    names = [f"P{i}" for i in range(30)]
    base = [10_000] * 30
    fig = check_changes_by_column(names, base, [("B", [10_000 + i for i in range(30)]),
                                               ("C", [10_000 - 100 * (i == 3) for i in range(30)])],
                                  max_people=5)
    assert set(fig.data[0].y) == {"P29", "P28", "P27", "P26", "P3"}
    assert "the 5 largest changes shown" in fig.layout.title.subtitle.text
