"""AppTest: GP scenarios answer "how likely is a bonus this quarter": the chance, the pools'
range and each person's range, the same as the library's seeded simulation."""

from __future__ import annotations

from apptest_support import metric, open_app, sample_scenario

from tel.analysis.risk import simulate
from tel.core.money import format_money
from tel.core.periods import Quarter
from tel.ui.risk import UI_SEED, UI_SIMS


def test_the_open_quarter_shows_the_chance_of_a_bonus_and_the_median_pools() -> None:
    at = open_app("pages/scenarios.py", query={"q": "2026-Q4"})
    assert not at.exception
    r = simulate(sample_scenario(), Quarter(2026, 4), sims=UI_SIMS, seed=UI_SEED)
    assert metric(at, "Chance of a bonus") == f"{r.p_any_payout:.0%}"
    assert metric(at, "Staff pool, median") == format_money(r.staff_pool.p50)
    table = at.dataframe[-1].value
    assert list(table.columns) == ["Name", "Expected", "P10", "P50", "P90"]
    assert len(table) == sum(p.eligible for p in r.payouts)


def test_a_complete_quarter_has_nothing_left_to_chance() -> None:
    at = open_app("pages/scenarios.py", query={"q": "2026-Q3"})
    assert not at.exception
    assert any("nothing left to chance" in c.value for c in at.caption)
