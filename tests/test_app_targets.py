"""AppTest: the GP scenarios page answers the meeting's questions from tel.analysis.targets,
under the plan's own netting (no arithmetic on the page)."""

from __future__ import annotations

import re

from apptest_support import open_app, sample_scenario

from tel.analysis.targets import gp_needed, tel_profit_for
from tel.core.money import format_money
from tel.core.periods import Quarter
from tel.engine.quarter import compute_scenario


def shown(at: object) -> str:
    return re.sub(r"\\(.)", r"\1", "\n".join(str(m.value) for m in at.markdown))  # type: ignore[attr-defined]


def test_break_even_and_the_staff_pool_target_name_the_gp_the_rest_of_the_quarter_needs() -> None:
    at = open_app("pages/scenarios.py", query={"q": "2026-Q4"})
    assert not at.exception
    s = sample_scenario()
    r = compute_scenario(s, Quarter(2026, 4))
    even = gp_needed(r, s.plan, 0)
    text = shown(at)
    assert f"need **{format_money(even.remaining)}** in all" in text
    target = at.number_input(key="gp.target").value * 100
    need = gp_needed(r, s.plan, tel_profit_for(target, s.plan))
    assert f"needs **{format_money(need.remaining)}**" in text
    assert f"({format_money(need.per_month)} a month)" in text


def test_a_complete_quarter_says_it_made_the_target_or_by_how_much_it_fell_short() -> None:
    at = open_app("pages/scenarios.py", query={"q": "2026-Q3"})
    at.number_input(key="gp.target").set_value(100_000).run()
    assert "fell **$" in shown(at) and "of TEL profit short" in shown(at)
    at.number_input(key="gp.target").set_value(1_000).run()
    assert "it made it." in shown(at)
