"""Figures tested as objects: trace types, values equal to the exact cents, titles, privacy."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
import plotly.graph_objects as go
import pytest

from tel.analysis.sweeps import SweepBasis, pools, split_grid, sweep, team_pct_change, tornado
from tel.core.models import Month, Person, Plan
from tel.core.money import format_money
from tel.core.periods import Quarter
from tel.engine.quarter import QuarterResult, compute_quarter
from tel.engine.year import compute_year
from tel.render import figures
from tel.render.figures import PALETTE

Q3 = Quarter(2026, 3)
LABELS = ["2026-07", "2026-08", "2026-09"]


def spec_months(gps: tuple[int, ...] = (69343, 59343, 73434), cash: int = 52000) -> list[Month]:
    return [
        Month(year=2026, month=7 + i, gp=g, cash_on_hand=cash, ar_total=320000, ar_90_plus=24000)
        for i, g in enumerate(gps)
    ]


ROSTER = [
    Person(name="Ann", salary=120000, start_date=date(2020, 1, 1), department="Ops"),
    Person(name="Bob", salary=60000, start_date=date(2020, 1, 1), department="Dev"),
    Person(name="Cy", salary=80000, start_date=date(2018, 6, 1), department="Dev"),
    Person(name="Owen", salary=90000, start_date=date(2010, 1, 1), owner=True),
]


def big_roster(n: int = 1000, departments: bool = True) -> list[Person]:
    people = [
        Person(
            name=f"Employee {i:04d}",
            salary=Decimal(30000 + (i * 104729) % 170000),
            start_date=date(2005 + i % 20, 1 + i % 12, 1 + i % 28),
            department=("Ops", "Dev", "Sales", "Admin")[i % 4] if departments else "",
        )
        for i in range(n)
    ]
    return people


@pytest.fixture
def result() -> QuarterResult:
    return compute_quarter(Plan(), ROSTER, spec_months(), Q3)


@pytest.fixture
def basis(result: QuarterResult) -> SweepBasis:
    return SweepBasis.from_result(result, Plan())


@pytest.fixture(scope="module")
def big() -> QuarterResult:
    return compute_quarter(Plan(), big_roster(), spec_months((690000, 590000, 730000)), Q3)


def dollars(cents: Any) -> list[float]:
    return [float(c) / 100 for c in np.asarray(cents, dtype=np.float64).ravel()]


def fonts(node: Any, key: str = "") -> Iterator[tuple[str, float]]:
    """Every font size in a figure's JSON, with where it was found."""
    if isinstance(node, dict):
        for k, v in node.items():
            if "font" in k.lower() and isinstance(v, dict) and "size" in v:
                size = v["size"]
                for s in size if isinstance(size, list) else [size]:
                    yield f"{key}.{k}", s
            yield from fonts(v, f"{key}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from fonts(v, f"{key}[{i}]")


def assert_projector_ready(fig: go.Figure) -> None:
    """Titled, large type everywhere, dollar axes formatted as money, and valid plotly: the
    builders set their layout unvalidated for speed, so every property is checked here."""
    assert isinstance(fig, go.Figure)
    go.Figure(fig.to_dict())  # plotly's own validation: a misspelt property raises
    assert fig.layout.title.text
    spec = json.loads(fig.to_json())
    small = [(where, s) for where, s in fonts(spec) if s < 14]
    assert not small, small
    assert spec["layout"]["font"]["size"] >= 14


def money_axis(axis: Any) -> bool:
    return axis.tickprefix == "$" or (axis.tickformat or "").startswith("$")


# --------------------------------------------------------------------------- gp_vs_threshold


def test_monthly_gp_bars_equal_the_booked_gp_and_weak_months_stand_out(
    result: QuarterResult,
) -> None:
    fig = figures.gp_vs_threshold(result)
    bars = [t for t in fig.data if t.type == "bar"]
    assert fig.data[0].type == "bar"
    shown = {x: y for t in bars for x, y in zip(t.x, t.y, strict=True)}
    assert shown == dict(zip(LABELS, dollars(result.gp_by_month), strict=True))
    weak = next(t for t in bars if "Below" in t.name)
    assert list(weak.x) == ["2026-08"] and weak.marker.color == PALETTE.failed
    assert fig.layout.shapes[0].y0 == result.min_gp / 100  # the Min GP line
    assert fig.layout.shapes[0].line.color == PALETTE.threshold
    assert "$16,120.00 over" in fig.layout.title.subtitle.text
    assert money_axis(fig.layout.yaxis) and fig.layout.yaxis.separatethousands
    assert "$59,343.00" in json.dumps(np.asarray(weak.customdata).tolist())  # hover money
    assert_projector_ready(fig)


def test_an_unbooked_month_keeps_its_slot_and_says_so() -> None:
    partial = compute_quarter(Plan(), ROSTER, spec_months()[:2], Q3)
    fig = figures.gp_vs_threshold(partial, months=LABELS)
    assert list(fig.layout.xaxis.categoryarray) == LABELS
    assert [a.text for a in fig.layout.annotations if a.x == "2026-09"] == ["not booked"]
    assert "Quarter to date" in fig.layout.title.subtitle.text


def test_a_quarter_under_the_threshold_is_reported_under() -> None:
    low = compute_quarter(Plan(), ROSTER, spec_months((50000, 50000, 50000)), Q3)
    fig = figures.gp_vs_threshold(low)
    assert "$36,000.00 under" in fig.layout.title.subtitle.text
    assert [t.name for t in fig.data if t.type == "bar"] == ["Below Min GP (weak month)"]


# --------------------------------------------------------------------------- the fiscal year

FY_LABELS = [f"2026-{m:02d}" for m in range(1, 13)]


def fiscal_2026(gps: dict[int, int], cash: int = 52000) -> list[Month]:
    return [Month(year=2026, month=m, gp=g, cash_on_hand=cash, ar_total=320000,
                  ar_90_plus=24000) for m, g in sorted(gps.items())]


def test_the_year_chart_draws_every_booked_month_against_min_gp_and_marks_quarters() -> None:
    gps = {1: 61000, 2: 64000, 3: 63000, 4: 70000, 5: 55000, 6: 72000, 7: 69343, 8: 59343,
           9: 73434, 10: 66500}
    year = compute_year(Plan(), ROSTER, fiscal_2026(gps), 2026)
    fig = figures.year_gp_vs_threshold(year, FY_LABELS, note="Weak months: within the quarter.")
    bars = [t for t in fig.data if t.type == "bar"]
    shown = {x: y for t in bars for x, y in zip(t.x, t.y, strict=True)}
    assert shown == {f"2026-{m:02d}": g for m, g in gps.items()}  # dollars, exactly booked
    weak = next(t for t in bars if "Below" in t.name)
    assert set(weak.x) == {"2026-01", "2026-08", "2026-05"} and weak.marker.color == PALETTE.failed
    assert fig.layout.shapes[0].y0 == 62000  # the Min GP line
    assert list(fig.layout.xaxis.categoryarray) == FY_LABELS
    texts = [a.text for a in fig.layout.annotations]
    assert [t for t in texts if t == "not booked"] == ["not booked"] * 2  # 2026-11, 2026-12
    tel = {r.quarter: r.tel_profit for r in year.quarters}
    assert f"2026-Q3<br>TEL {format_money(tel['2026-Q3'], cents_shown=False)}" in texts
    separators = [s for s in fig.layout.shapes if s.line.dash == "dot"]
    assert [s.x0 for s in separators] == [2.5, 5.5, 8.5]
    over = (sum(gps.values()) - 10 * 62000) * 100  # cents
    assert f"{format_money(over)} over" in fig.layout.title.subtitle.text
    assert "10 of 12 months booked" in fig.layout.title.subtitle.text
    assert "within the quarter" in fig.layout.title.subtitle.text
    assert fig.layout.title.text == "GP by month, FY 2026"
    assert_projector_ready(fig)


def test_the_year_chart_fits_1024_px_level_month_names_no_axis_title_a_short_title() -> None:
    fig = figures.year_gp_vs_threshold(compute_year(Plan(), ROSTER, spec_months(), 2026),
                                       [f"2025-{m:02d}" for m in range(7, 13)]
                                       + [f"2026-{m:02d}" for m in range(1, 7)])
    x = fig.layout.xaxis
    assert not x.title.text  # slanted labels ran into a "Month" title
    assert x.tickangle == 0
    assert list(x.ticktext) == ["Jul<br>2025", "Aug", "Sep", "Oct", "Nov", "Dec",
                                "Jan<br>2026", "Feb", "Mar", "Apr", "May", "Jun"]
    # about 560 px of chart at 1024 px: the title, led by the longest tag, stays short
    tagged = figures.tag_title(fig, "What-if with assumed GP").layout.title.text
    assert len(tagged.split("</span> ")[-1]) + len("[What-if with assumed GP] ") <= 48


def test_the_year_chart_names_a_quarter_whose_gate_failed_and_an_unbooked_quarter() -> None:
    year = compute_year(Plan(), ROSTER, fiscal_2026({7: 90000, 8: 90000, 9: 90000},
                                                     cash=1000), 2026)
    fig = figures.year_gp_vs_threshold(year, FY_LABELS)
    texts = [a.text for a in fig.layout.annotations]
    assert "2026-Q1<br>not booked" in texts and "2026-Q4<br>not booked" in texts
    failed = next(a for a in fig.layout.annotations if a.text.startswith("2026-Q3"))
    assert "gate failed" in failed.text and failed.font.color == PALETTE.failed
    assert texts.count("not booked") == 9


# --------------------------------------------------------------------------- waterfall


def test_waterfall_walks_from_gp_to_the_staff_pool_and_splits_it(result: QuarterResult) -> None:
    fig = figures.waterfall(result)
    w = fig.data[0]
    assert w.type == "waterfall"
    assert list(w.measure) == ["absolute", "relative", "total", "relative", "total"]
    assert list(w.y) == dollars([result.gp_total, -3 * result.min_gp, 0, -result.house, 0])
    assert [money for money, _ in w.customdata] == [
        "$202,120.00",
        "-$186,000.00",
        "$16,120.00",
        "-$4,030.00",
        "$12,090.00",
    ]
    team, merit = fig.data[1], fig.data[2]
    assert (team.type, merit.type) == ("bar", "bar")
    assert list(team.y) == dollars([result.team_pool]) and list(team.base) == [0]
    assert list(merit.y) == dollars([result.merit_pool])
    assert list(merit.base) == dollars([result.team_pool])
    assert (team.marker.color, merit.marker.color) == (PALETTE.team, PALETTE.merit)
    assert money_axis(fig.layout.yaxis)
    assert_projector_ready(fig)


def test_waterfall_below_the_threshold_stops_at_the_shortfall_and_shares_nothing() -> None:
    low = compute_quarter(Plan(), ROSTER, spec_months((50000, 60000, 70000)), Q3)
    assert low.tel_profit == 0
    fig = figures.waterfall(low)
    assert len(fig.data[0].x) == 2  # GP and threshold only: no TEL profit bar at all
    short = fig.data[1]
    assert short.type == "bar" and list(short.y) == [-6000.0]
    assert short.marker.color == PALETTE.failed
    notes = " ".join(a.text for a in fig.layout.annotations)
    assert "$6,000.00 under the threshold" in notes and "nothing to share" in notes
    assert_projector_ready(fig)


def test_waterfall_says_when_a_gate_failed() -> None:
    failed = compute_quarter(Plan(), ROSTER, spec_months(cash=100), Q3)
    fig = figures.waterfall(failed)
    assert "Gates failed" in " ".join(a.text for a in fig.layout.annotations)
    assert list(fig.data[0].y)[-2] == -failed.house / 100  # the pools are still shown


# --------------------------------------------------------------------------- payouts


def test_payout_bars_stack_team_and_merit_for_eligible_people_largest_first(
    result: QuarterResult,
) -> None:
    fig = figures.payouts_bar(result)
    team, merit = fig.data[0], fig.data[1]
    assert (team.type, merit.type, team.orientation) == ("bar", "bar", "h")
    assert fig.layout.barmode == "stack"
    paid = sorted(result.eligible, key=lambda p: -p.total)
    assert list(team.y) == [p.name for p in paid]  # the owner is not shown
    assert list(team.x) == dollars([p.team for p in paid])
    assert list(merit.x) == dollars([p.merit for p in paid])
    assert "Owen" not in fig.to_json()
    assert money_axis(fig.layout.xaxis)
    assert fig.layout.title.text and "3 eligible people" in fig.layout.title.subtitle.text
    assert_projector_ready(fig)


def test_payout_bars_show_only_the_people_the_caller_allows(result: QuarterResult) -> None:
    fig = figures.payouts_bar(result, people=["Bob", "Cy"], sort="given")
    assert list(fig.data[0].y) == ["Bob", "Cy"]
    assert "Ann" not in fig.to_json()
    assert list(figures.payouts_bar(result, sort="name").data[0].y) == ["Ann", "Bob", "Cy"]


def test_large_rosters_are_aggregated_by_department(big: QuarterResult) -> None:
    fig = figures.payouts_bar(big, max_people=60)
    assert "department" in fig.layout.title.text
    assert len(fig.data[0].y) == 4
    assert sum(fig.data[0].x) + sum(fig.data[1].x) == pytest.approx(big.paid / 100)
    assert f"{big.eligible_count:,} eligible people" in fig.layout.title.subtitle.text
    assert "Employee" not in fig.to_json()
    assert_projector_ready(fig)


def test_large_rosters_without_departments_are_shown_as_deciles() -> None:
    plain = compute_quarter(
        Plan(), big_roster(departments=False), spec_months((690000, 590000, 730000)), Q3
    )
    fig = figures.payouts_bar(plain, max_people=60)
    assert "decile" in fig.layout.title.text
    assert len(fig.data[0].y) == 10
    ranked = sorted((p.total for p in plain.eligible), reverse=True)
    tenth = np.array_split(np.array(ranked), 10)[0]
    top = fig.data[0].x[0] + fig.data[1].x[0]
    assert top == pytest.approx(tenth.mean() / 100, abs=0.02)


def test_aggregation_starts_only_above_max_people(result: QuarterResult) -> None:
    assert list(figures.payouts_bar(result, max_people=3).data[0].y) == ["Ann", "Cy", "Bob"]
    fig = figures.payouts_bar(result, max_people=2)
    assert "department" in fig.layout.title.text  # Ops and Dev
    assert "Ann" not in fig.to_json()


def test_failed_gates_show_zero_checks_and_say_why() -> None:
    failed = compute_quarter(Plan(), ROSTER, spec_months(cash=100), Q3)
    fig = figures.payouts_bar(failed)
    assert set(fig.data[0].x) | set(fig.data[1].x) == {0.0}
    assert "Gates failed" in fig.layout.title.subtitle.text


# --------------------------------------------------------------------------- what-ifs


def test_sensitivity_plots_the_swept_staff_pool_and_only_the_chosen_checks(
    basis: SweepBasis,
) -> None:
    fig = figures.sensitivity(basis, people=["Bob"])
    staff = fig.data[0]
    assert staff.type == "scatter" and staff.name == "Staff pool"
    grid = np.floor(np.linspace(0, 2 * basis.min_gp, 201) + 0.5)
    assert len(staff.x) == 201 and staff.x[0] == 0 and staff.x[-1] == 2 * basis.min_gp / 100
    assert list(staff.y) == dollars(pools(basis, avg_gp=grid).staff_pool)
    bob = next(t for t in fig.data if t.name == "Bob's check")
    assert list(bob.y) == dollars(sweep(basis, avg_gp=grid, people=["Bob"]).checks[:, 0])
    text = fig.to_json()
    assert "Ann" not in text and "Cy" not in text
    lines = [s.x0 for s in fig.layout.shapes]
    assert basis.min_gp / 100 in lines and basis.avg_gp / 100 in lines  # break-even, today
    today = [t for t in fig.data if t.mode == "markers"]
    assert today[0].y[0] == basis.tel_profit * 0.75 / 100  # 25% house, spec example
    assert money_axis(fig.layout.xaxis) and money_axis(fig.layout.yaxis)
    assert_projector_ready(fig)


def test_sensitivity_without_people_shows_no_names(basis: SweepBasis) -> None:
    fig = figures.sensitivity(basis, (5_000_000, 9_000_000), points=41)
    assert len(fig.data[0].x) == 41 and fig.data[0].x[0] == 50_000
    assert not any("check" in (t.name or "") for t in fig.data)
    for name in ("Ann", "Bob", "Cy"):
        assert name not in fig.to_json()


def test_tornado_bars_are_each_inputs_effect_on_the_staff_pool(basis: SweepBasis) -> None:
    fig = figures.tornado(basis)
    low, high = fig.data[0], fig.data[1]
    assert (low.type, high.type, low.orientation) == ("bar", "bar", "h")
    rows = tornado(basis)
    assert list(low.x) == dollars([r.low_delta for r in rows])
    assert list(high.x) == dollars([r.high_delta for r in rows])
    assert low.y[0] == "Overhead"  # the widest swing on top
    assert "Team % (no effect)" in list(low.y)
    assert money_axis(fig.layout.xaxis)
    assert_projector_ready(fig)


def test_heatmap_shows_one_persons_check_in_dollars(
    result: QuarterResult, basis: SweepBasis
) -> None:
    fig = figures.heatmap_split(basis, "Bob", house_pcts=[0, 25, 50], team_pcts=[0, 50, 100])
    heat = fig.data[0]
    assert heat.type == "heatmap"
    want = split_grid(basis, "Bob", [0, 25, 50], [0, 50, 100]) / 100
    assert np.array_equal(np.asarray(heat.z), want)
    assert heat.colorbar.tickprefix == "$"
    bob = next(p for p in result.payouts if p.name == "Bob")
    assert heat.customdata[1][1] == format_money(bob.total)  # house 25, team 50: today
    assert "Bob" in fig.layout.title.text
    assert "Ann" not in fig.to_json()
    assert_projector_ready(fig)


def test_gain_loss_colours_gains_green_and_losses_red(basis: SweepBasis) -> None:
    fig = figures.gain_loss(basis, 50, 100)
    bar = fig.data[0]
    assert bar.type == "bar" and bar.orientation == "h"
    change = team_pct_change(basis, 50, 100)
    want = {
        n: d / 100 for n, d, e in zip(change.names, change.delta, change.eligible, strict=True) if e
    }
    assert dict(zip(bar.y, bar.x, strict=True)) == want
    assert list(bar.x) == sorted(bar.x, reverse=True)
    for x, color in zip(bar.x, bar.marker.color, strict=True):
        assert color == (PALETTE.passed if x > 0 else PALETTE.failed if x < 0 else PALETTE.house)
    assert "50% → 100%" in fig.layout.title.text
    assert "Owen" not in fig.to_json()
    assert_projector_ready(fig)


def test_gain_loss_aggregates_large_rosters(big: QuarterResult) -> None:
    b = SweepBasis.from_result(big, Plan())
    by_dept = figures.gain_loss(b, 40, 60, max_people=40)
    assert len(by_dept.data[0].y) == 4 and "department" in by_dept.layout.title.subtitle.text
    assert sum(by_dept.data[0].x) == pytest.approx(0, abs=0.01)  # money only moves around
    chosen = list(b.names[:100])
    allowed = sum(1 for i in range(100) if b.eligible[i])
    some = figures.gain_loss(b, 40, 60, people=chosen, max_people=40)
    assert f"{allowed:,} eligible people" in some.layout.title.subtitle.text
    assert sum(some.data[0].x) == pytest.approx(team_pct_change(b, 40, 60).delta[:100].sum() / 100)
    plain = compute_quarter(
        Plan(), big_roster(departments=False), spec_months((690000, 590000, 730000)), Q3
    )
    top_bottom = figures.gain_loss(SweepBasis.from_result(plain, Plan()), 40, 60, max_people=40)
    assert len(top_bottom.data[0].y) == 40
    assert "largest gains" in top_bottom.layout.title.subtitle.text


def test_gain_loss_shows_only_the_people_the_caller_allows(basis: SweepBasis) -> None:
    fig = figures.gain_loss(basis, 50, 80, people=["Cy"])
    assert list(fig.data[0].y) == ["Cy"]
    assert "Ann" not in fig.to_json() and "Bob" not in fig.to_json()


# --------------------------------------------------------------------------- employee view


def test_pot_progress_compares_gp_to_date_with_the_threshold_and_names_nobody(
    big: QuarterResult,
) -> None:
    fig = figures.pot_progress(big)
    _grey, gp = fig.data
    assert gp.type == "bar" and gp.orientation == "h"
    assert list(gp.x) == [big.gp_total / 100]
    assert gp.text[0] == format_money(big.gp_total, cents_shown=False)  # written on the bar
    assert fig.layout.shapes[0].x0 == 3 * big.min_gp / 100  # the quarter's threshold line
    assert money_axis(fig.layout.xaxis)
    text = fig.to_json()
    for p in big.payouts:
        assert p.name not in text
    assert "Employee" not in text and "department" not in text.lower()
    assert fig.layout.title.text
    assert_projector_ready(fig)


def test_pot_progress_part_way_through_the_quarter() -> None:
    partial = compute_quarter(Plan(), ROSTER, spec_months((50000,)), Q3)
    fig = figures.pot_progress(partial)
    grey, gp = fig.data
    assert list(gp.x) == [50000]
    assert list(grey.x) == [62000]  # one month's threshold so far
    assert gp.marker.color == PALETTE.failed
    assert "grey: Min GP to date" in fig.layout.title.subtitle.text


def test_pot_progress_fits_a_phone_title_subtitle_and_ticks_stay_short(
    big: QuarterResult,
) -> None:
    fig = figures.pot_progress(big)
    assert len(fig.layout.title.text) <= 24  # ~24px type across a 390 px screen
    assert all(len(line) <= 30 for line in fig.layout.title.subtitle.text.split("<br>"))
    assert fig.layout.xaxis.tickformat == "$~s"  # "$100k", never "$100,000" run together
    assert fig.layout.height <= 260


# --------------------------------------------------------------------------- all of them


def test_every_builder_returns_a_titled_projector_ready_figure(
    result: QuarterResult, basis: SweepBasis
) -> None:
    built = [
        figures.gp_vs_threshold(result, LABELS),
        figures.waterfall(result),
        figures.payouts_bar(result),
        figures.sensitivity(basis, people=["Ann", "Bob"]),
        figures.tornado(basis),
        figures.heatmap_split(basis, "Ann"),
        figures.gain_loss(basis, 50, 70),
        figures.pot_progress(result),
        figures.year_gp_vs_threshold(compute_year(Plan(), ROSTER, spec_months(), 2026),
                                     FY_LABELS),
    ]
    titles = [f.layout.title.text for f in built]
    assert all(titles) and len(set(titles)) == len(titles)
    for fig in built:
        assert_projector_ready(fig)


def test_the_meeting_and_risk_figures_are_valid_plotly_in_large_type(result: QuarterResult) -> None:
    from tel.analysis.bands import change_bands, check_bands
    from tel.analysis.risk import FanPoint

    built = [
        figures.check_bands_bar(check_bands([p.total for p in result.payouts]), "Checks"),
        figures.change_bands_bar(change_bands([150, -40000, 0, 2500]), "Plan"),
        figures.change_bands_bar(change_bands([0, 0]), "Nobody moves"),
        figures.risk_fan([FanPoint("2026-10", True, 100, 100, 100),
                          FanPoint("2026-11", False, 50, 150, 250)], "2026-Q4", 0.8),
        figures.projector(figures.waterfall(result)),
        figures.projector(figures.sensitivity(SweepBasis.from_result(result, Plan()),
                                              people=["Ann"])),
    ]
    for fig in built:
        assert_projector_ready(fig)
