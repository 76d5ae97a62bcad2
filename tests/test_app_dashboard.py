"""AppTest: every dashboard page renders and agrees with tel to the cent."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from apptest_support import ROOT, charts, choose_quarter, metric, open_app, sample_scenario

from tel.core.money import format_money
from tel.core.periods import Quarter
from tel.engine.quarter import compute_quarter

PAGES = ["pages/plan.py", "pages/scenarios.py", "pages/payouts.py", "pages/sensitivity.py",
         "pages/year.py"]


def exact(quarter: str = "2026-Q3", **plan_changes: object):  # type: ignore[no-untyped-def]
    s = sample_scenario()
    plan = s.plan.model_copy(update=plan_changes)
    return compute_quarter(plan, s.roster, s.months, Quarter.parse(quarter))


def test_home_shows_the_worked_example_to_the_cent() -> None:
    at = open_app()
    choose_quarter(at, "2026-Q3")
    assert metric(at, "TEL profit") == "$16,120.00"
    assert metric(at, "Staff pool") == "$12,090.00"
    assert metric(at, "Min GP / month") == "$62,000.00"
    r = exact()
    assert metric(at, "Eligible people") == str(r.eligible_count)
    assert metric(at, "Average check") == format_money(r.average_check)


def test_the_sample_data_opens_on_the_sources_worked_example_quarter() -> None:
    at = open_app()
    assert at.sidebar.selectbox(key="tel.quarter_pick").value == "2026-Q3"
    assert metric(at, "TEL profit") == "$16,120.00"


def test_a_companys_own_files_open_on_the_latest_booked_quarter(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEL_ROSTER", str(ROOT / "sample_data" / "roster_1000.csv"))
    at = open_app()
    assert at.sidebar.selectbox(key="tel.quarter_pick").value == "2026-Q4"


def test_a_link_naming_a_quarter_opens_on_it_even_on_the_sample_data() -> None:
    at = open_app(query={"q": "2025-Q2"})
    assert at.sidebar.selectbox(key="tel.quarter_pick").value == "2025-Q2"


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_exception(page: str) -> None:
    open_app(page)


@pytest.mark.parametrize("page", ["app.py", *PAGES])
def test_every_page_renders_a_1000_person_roster(
    page: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEL_ROSTER", "sample_data/roster_1000.csv")
    open_app(None if page == "app.py" else page)


def test_house_share_moved_on_plan_shows_on_payouts() -> None:
    at = open_app(query={"q": "2026-Q3"})
    at.switch_page("pages/plan.py").run()
    at.slider(key="knob.house_pct").set_value(40.0).run()
    assert not at.exception
    at.switch_page("pages/payouts.py").run()
    r = exact(house_pct=Decimal(40))
    assert metric(at, "Paid in all") == format_money(r.paid)
    assert r.paid == r.staff_pool == 967200


def test_reset_returns_every_page_to_the_loaded_plan() -> None:
    at = open_app("pages/plan.py", query={"q": "2026-Q3", "house_pct": "40"})
    assert at.slider(key="knob.house_pct").value == 40.0
    at.sidebar.button[0].click().run()
    assert at.slider(key="knob.house_pct").value == 25.0
    assert metric(at, "Staff pool") == "$12,090.00"


def test_a_link_reopens_the_same_what_if() -> None:
    at = open_app("pages/payouts.py", query={"q": "2026-Q3", "team_pct": "80"})
    assert metric(at, "Team checks") == format_money(exact(team_pct=Decimal(80)).team_pool)


def test_a_bad_link_setting_is_ignored_with_a_message_not_a_crash() -> None:
    at = open_app(query={"q": "2026-Q3", "house_pct": "abc", "min_months": "-4"})
    assert metric(at, "TEL profit") == "$16,120.00"
    assert len(at.toast) == 2


def test_payout_table_totals_reconcile_to_the_pools() -> None:
    at = open_app("pages/payouts.py", query={"q": "2026-Q3"})
    assert metric(at, "Reconciles to the pools") == "yes, to the cent"
    frame = at.dataframe[0].value
    assert len(frame) == len(sample_scenario().roster)
    assert round(frame["total"].sum(), 2) == 12090.00


def test_department_filter_narrows_the_table() -> None:
    at = open_app("pages/payouts.py", query={"q": "2026-Q3"})
    dept = at.multiselect(key="payouts.departments").options[0]
    at.multiselect(key="payouts.departments").set_value([dept]).run()
    frame = at.dataframe[0].value
    assert set(frame["department"]) == {dept}


def test_weak_preset_lowers_tel_profit_by_ten_percent_of_gp() -> None:
    at = open_app("pages/scenarios.py", query={"q": "2026-Q3"})
    [weak] = [b for b in at.button if b.label.startswith("Weak")]
    weak.click().run()
    assert not at.exception
    # 202,120 x 0.9 = 181,908 < 186,000: the quarter falls below the threshold
    assert metric(at, "TEL profit") == "$0.00"
    at.switch_page("pages/payouts.py").run()
    assert metric(at, "Paid in all") == "$0.00"


def test_the_gp_slider_keeps_its_place_across_pages_and_reset_returns_it_to_zero() -> None:
    at = open_app("pages/scenarios.py", query={"q": "2026-Q3"})
    at.slider(key="gp.level").set_value(-10).run()
    assert metric(at, "TEL profit") == "$0.00"  # as the Weak preset
    at.switch_page("pages/payouts.py").run()
    at.switch_page("pages/scenarios.py").run()
    assert at.slider(key="gp.level").value == -10  # beside the GP it shaped, not 0%
    assert metric(at, "TEL profit") == "$0.00"
    [reset] = [b for b in at.sidebar.button if b.label == "Reset to loaded files"]
    reset.click().run()
    assert at.slider(key="gp.level").value == 0
    assert metric(at, "TEL profit") == "$16,120.00"


def test_editing_a_month_in_the_table_moves_the_pools() -> None:
    at = open_app("pages/scenarios.py", query={"q": "2026-Q3"})
    at.session_state["gp.table"] = {
        "edited_rows": {2: {"scenario_gp": 83434.0}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    # +10,000 of GP: TEL profit 26,120.00, staff 75% = 19,590.00
    assert metric(at, "Staff pool") == "$19,590.00"


def test_break_even_and_target_questions_are_answered() -> None:
    at = open_app("pages/scenarios.py")
    choose_quarter(at, "2026-Q4")  # one month booked
    text = " ".join(m.value for m in at.markdown)
    assert "$186,000.00" in text  # 3 x 62,000
    assert "the rest of the quarter needs" in text


def test_the_chosen_quarter_stays_chosen_on_the_next_page() -> None:
    at = open_app()
    choose_quarter(at, "2026-Q3")
    at.switch_page("pages/payouts.py").run()
    assert at.sidebar.selectbox(key="tel.quarter_pick").value == "2026-Q3"
    at.switch_page("pages/plan.py").run()
    assert at.sidebar.selectbox(key="tel.quarter_pick").value == "2026-Q3"
    assert metric(at, "Staff pool") == "$12,090.00"


def test_every_registered_page_has_its_file() -> None:
    from tel.ui.pages import PAGES, page_exists

    assert [p.path for p in PAGES if not page_exists(p.path)] == []


# --------------------------------------------------------------------------- what a figure is


def test_every_owner_page_opens_by_saying_its_figures_are_the_books() -> None:
    at = open_app(query={"q": "2026-Q3"})
    assert any("As booked" in c.value for c in at.caption)
    assert not any("What-if" in w.value for w in at.warning)


@pytest.mark.parametrize("page", ["app.py", *PAGES])
def test_a_what_if_is_announced_at_the_top_of_every_page(page: str) -> None:
    at = open_app(None if page == "app.py" else page,
                  query={"q": "2026-Q3", "house_pct": "30", "gp_2026-07": "70000"})
    banner = at.warning[0].value
    assert banner.startswith("**What-if.**")
    assert "house\\_pct 30 \\(loaded 25\\)" in banner or "house_pct 30 (loaded 25)" in banner
    assert "2026\\-07" in banner or "2026-07" in banner


def test_gp_changed_in_another_quarter_is_named_in_the_sidebar_as_not_touching_this_one(
) -> None:
    """Q3's GP changed, Q2 shown (quarter netting): Q2's figures are the books, and the
    sidebar's what-if line says why it still counts a changed setting."""
    at = open_app(query={"q": "2026-Q2", "gp_2026-07": "70000"})
    assert not at.warning  # no what-if banner: Q2 is as booked
    line = next(c.value for c in at.sidebar.caption if c.value.startswith("What-if:"))
    assert line == ("What-if: 1 setting(s) differ from the loaded files. None of them "
                    "changes 2026-Q2's figures.")
    choose_quarter(at, "2026-Q3")
    line = next(c.value for c in at.sidebar.caption if c.value.startswith("What-if:"))
    assert line == "What-if: 1 setting(s) differ from the loaded files."


def test_edited_months_make_home_a_what_if_not_a_complete_quarter_of_the_books() -> None:
    at = open_app(query={"q": "2026-Q3", "gp_2026-07": "60000", "gp_2026-09": "58686"})
    assert at.warning[0].value.startswith("**What-if.**")
    assert metric(at, "Quarter GP") == "$178,029.00"


def test_a_preset_on_a_partial_quarter_names_its_assumed_months_and_compares_nothing() -> None:
    """2026-Q4 has one booked month: "Weak" shapes all three, two of them assumed. The quarter
    is not called complete, and no "GP up $113,050" appears against one booked month."""
    at = open_app("pages/scenarios.py", query={"q": "2026-Q4"})
    [weak] = [b for b in at.button if b.label.startswith("Weak")]
    weak.click().run()
    assert not at.exception
    assert at.warning[0].value.startswith("**What-if with assumed GP.**")
    caption = next(c.value for c in at.caption if c.value.startswith("2026-Q4"))
    assert "complete" not in caption and "assumed: 2026-11, 2026-12" in caption
    assert all(not m.delta for m in at.metric)
    assert any("not booked yet" in i.value for i in at.info)


# --------------------------------------------------------------------------- the Plan page's knobs


def test_every_plan_setting_is_a_knob_with_its_words_on_the_plan_page() -> None:
    from tel.core.policy import FIELDS

    at = open_app("pages/plan.py", query={"q": "2026-Q3"})
    widgets = {w.key: w for kind in ("slider", "number_input", "selectbox", "text_input")
               for w in getattr(at, kind) if w.key}
    shown = "\n".join(c.value for c in at.caption)
    for f in FIELDS:
        w = widgets[f"knob.{f.name}"]
        assert w.label in (f.label, f"{f.label} (%)")  # a percent number box says "%"
        assert w.help.startswith(f.what)
        assert f.what in shown, f.name  # said on the page, not only on hover
        if f.why:
            assert f.why in w.help and f.why in shown, f.name
        if f.kind == "choice":
            assert w.options == [text for _, text in f.choices]  # the plain words
    assert any(s.value == "Plan design choices" for s in at.subheader)


def test_changing_netting_on_the_plan_page_changes_the_result_and_shows_who_gains() -> None:
    from tel.analysis.compare import changes, moves
    from tel.core.policy import Netting

    at = open_app("pages/plan.py", query={"q": "2026-Q3"})
    assert metric(at, "People who gain") == "0"
    at.selectbox(key="knob.netting").set_value("monthly_floor").run()
    assert not at.exception
    assert at.session_state["tel.analysis.whatif"].plan.netting == Netting(mode="monthly_floor")
    assert at.query_params["netting"] == ["monthly_floor"] or \
        at.query_params["netting"] == "monthly_floor"
    after = exact(netting=Netting(mode="monthly_floor"))
    assert metric(at, "TEL profit") == format_money(after.tel_profit) == "$18,777.00"
    mv = moves(*changes(exact(), after))
    assert metric(at, "People who gain") == f"{mv.gains:,}" != "0"
    assert metric(at, "People who lose") == f"{mv.losses:,}"
    assert metric(at, "Unchanged") == f"{mv.unchanged:,}"
    gains = next(d.value for d in at.dataframe if d.value["change"].iloc[0].startswith("+"))
    assert gains["name"].tolist() == [m.name for m in mv.up]
    assert gains["after"].tolist() == [format_money(m.after) for m in mv.up]


def test_a_variant_in_the_link_reaches_the_plan_and_its_knob() -> None:
    at = open_app("pages/plan.py", query={"q": "2026-Q3", "gate_failure": "defer",
                                          "holdback_pct": "10", "merit_formula": "salary"})
    plan = at.session_state["tel.analysis.whatif"].plan
    assert plan.gate_failure.policy == "defer" and plan.merit.formula == "salary"
    assert plan.reserve.holdback_pct == Decimal(10)
    assert at.selectbox(key="knob.gate_failure").value == "defer"
    assert at.slider(key="knob.holdback_pct").value == 10.0
    r = exact(reserve=plan.reserve, merit=plan.merit, gate_failure=plan.gate_failure)
    assert metric(at, "Held back this quarter") == format_money(r.held_back) != "$0.00"
    assert metric(at, "Paid in checks") == format_money(r.paid)


def test_a_bad_variant_in_the_link_is_ignored_with_a_message() -> None:
    at = open_app(query={"q": "2026-Q3", "netting": "weekly", "holdback_pct": "10"})
    assert len(at.toast) == 1 and "netting" in at.toast[0].value
    at.switch_page("pages/plan.py").run()
    assert at.selectbox(key="knob.netting").value == "quarter"
    assert at.slider(key="knob.holdback_pct").value == 10.0  # the good one is kept


def test_the_years_cap_is_used_only_with_the_capped_formula() -> None:
    at = open_app("pages/plan.py", query={"q": "2026-Q3"})
    assert at.number_input(key="knob.cap_years").disabled
    at.selectbox(key="knob.merit_formula").set_value("salary_x_capped_years").run()
    cap = at.number_input(key="knob.cap_years")
    assert not cap.disabled
    cap.set_value(2.0).run()
    assert not at.exception
    plan = at.session_state["tel.analysis.whatif"].plan
    assert (plan.merit.formula, plan.merit.cap_years) == ("salary_x_capped_years", Decimal(2))
    assert at.query_params["cap_years"] in ("2", ["2"])


def test_a_money_design_choice_reaches_the_plan_to_the_cent() -> None:
    at = open_app("pages/plan.py", query={"q": "2026-Q3"})
    at.number_input(key="knob.min_house").set_value(5000.5).run()
    assert not at.exception
    assert at.session_state["tel.analysis.whatif"].plan.min_house == Decimal("5000.5")
    r = exact(min_house=Decimal("5000.5"))  # 25% of 16,120 = 4,030 < 5,000.50
    assert r.house == 500050
    assert metric(at, "Staff pool") == format_money(r.staff_pool) == "$11,119.50"


def test_employer_tax_is_typed_in_a_number_box_to_the_hundredth_other_percents_slide() -> None:
    from tel.core.policy import FIELDS

    at = open_app("pages/plan.py", query={"q": "2026-Q3"})
    boxes = {w.key for w in at.number_input}
    sliders = {w.key for w in at.slider}
    for f in FIELDS:
        if f.kind == "percent":
            numbered = f.name in ("employer_pct", "max_pct_of_salary")
            assert (f"knob.{f.name}" in boxes) is numbered, f.name
            assert (f"knob.{f.name}" in sliders) is not numbered, f.name
    box = at.number_input(key="knob.employer_pct")
    assert box.step == 0.05 and box.label.endswith("(%)")
    box.set_value(7.65).run()
    assert not at.exception
    assert at.session_state["tel.analysis.whatif"].plan.payroll_tax.employer_pct == Decimal(
        "7.65")


def test_the_effect_panel_walks_from_the_staff_pool_to_the_checks() -> None:
    from tel.core.policy import PayrollTax, Reserve

    at = open_app("pages/plan.py", query={"q": "2026-Q3", "employer_pct": "7.65",
                                          "holdback_pct": "10"})
    r = exact(payroll_tax=PayrollTax(employer_pct=Decimal("7.65")),
              reserve=Reserve(holdback_pct=Decimal(10)))
    assert r.employer_tax > 0
    assert metric(at, "Staff pool") == format_money(r.staff_pool)
    assert metric(at, "Held back this quarter") == format_money(r.held_back)
    assert metric(at, "Employer tax") == format_money(r.employer_tax)
    assert metric(at, "Paid pool") == format_money(r.paid_pool)
    assert r.staff_pool - r.held_back - r.employer_tax == r.paid_pool  # the chain, in view
    assert metric(at, "Team pool (of the paid pool)") == format_money(r.team_pool)
    assert metric(at, "Merit pool (of the paid pool)") == format_money(r.merit_pool)
    assert r.team_pool + r.merit_pool == r.paid_pool
    labels = [m.label for m in at.metric]
    assert "Deferred in" not in labels and "Released from the reserve" not in labels  # zero
    assert labels.index("Staff pool") < labels.index("Held back this quarter") < labels.index(
        "Employer tax") < labels.index("Paid pool") < labels.index("Paid in checks")


def test_the_effect_panel_shows_a_deferred_pool_and_a_released_reserve_when_they_move() -> None:
    from tel.core.policy import GateFailure, Reserve

    at = open_app("pages/plan.py", query={"q": "2026-Q1", "gate_failure": "defer"})
    r = exact("2026-Q1", gate_failure=GateFailure(policy="defer"))
    assert metric(at, "Deferred in") == format_money(r.deferred_in) != "$0.00"
    assert metric(at, "Paid pool") == format_money(r.paid_pool)
    at = open_app("pages/plan.py", query={"q": "2024-Q4", "holdback_pct": "10"})
    r = exact("2024-Q4", reserve=Reserve(holdback_pct=Decimal(10)))
    assert metric(at, "Released from the reserve") == format_money(r.released) != "$0.00"


def test_a_failed_gate_calls_the_team_and_merit_pools_at_stake() -> None:
    at = open_app("pages/plan.py", query={"q": "2025-Q4"})
    r = exact("2025-Q4")
    assert not r.gates.passed
    assert metric(at, "Team pool (at stake)") == format_money(r.team_pool)
    assert metric(at, "Paid pool") == "$0.00"


def test_who_gains_on_the_plan_page_shows_name_both_checks_and_change_in_about_500_px() -> None:
    import json

    at = open_app("pages/plan.py", query={"q": "2026-Q3"})
    at.selectbox(key="knob.netting").set_value("monthly_floor").run()
    tables = [d for d in at.dataframe if "change" in d.value.columns]
    assert tables
    for table in tables:
        config = json.loads(table.proto.columns)
        widths = [int(config[c]["width"]) for c in ("name", "before", "after", "change")]
        assert sum(widths) <= 500 and config["name"]["pinned"]


def test_home_charts_follow_the_plans_netting_and_walk_the_ledger() -> None:
    import base64
    import json

    import numpy as np

    from tel.core.policy import Netting

    at = open_app(query={"q": "2026-Q3", "netting": "monthly_floor"})
    r = exact(netting=Netting(mode="monthly_floor"))
    gp, fall = [json.loads(spec) for spec in charts(at)][:2]
    sub = gp["layout"]["title"]["subtitle"]["text"]
    assert f"TEL profit {format_money(r.tel_profit)}" in sub and "costs nothing" in sub
    w = fall["data"][0]
    assert "Weak months<br>not netted" in w["x"]
    ys = np.frombuffer(base64.b64decode(w["y"]["bdata"]), dtype=w["y"]["dtype"])  # as sent
    running = 0
    for label, measure, y in zip(w["x"], w["measure"], ys, strict=True):
        running = round(y * 100) if measure == "absolute" else running + (
            round(y * 100) if measure == "relative" else 0)
        if label == "TEL<br>profit":
            assert running == r.tel_profit == 1877700


def test_home_tel_profit_help_follows_the_plans_netting() -> None:
    at = open_app(query={"q": "2026-Q3", "netting": "monthly_floor"})
    tel = next(m for m in at.metric if m.label == "TEL profit")
    assert "weak month costs nothing" in tel.help and "made up by strong" not in tel.help


def test_putting_the_plan_in_shadow_on_the_plan_page_marks_every_figure() -> None:
    at = open_app("pages/plan.py", query={"q": "2026-Q3"})
    at.text_input(key="knob.shadow_start").input("2026-Q3").run()
    at.number_input(key="knob.shadow_quarters").set_value(2).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    plan = at.session_state["tel.analysis.whatif"].plan
    assert (plan.shadow.start, plan.shadow.quarters) == ("2026-Q3", 2)
    assert at.warning[0].value.startswith("**What-if · Shadow: not paid.**")
    said = at.warning[0].value.replace("\\", "")  # as a person reads the Markdown
    assert "2026-Q3 is what the plan would pay, not paid" in said
    assert "shadow_start 2026-Q3 (loaded none)" in said


def test_quarters_in_shadow_without_a_first_quarter_say_what_is_missing() -> None:
    at = open_app("pages/plan.py", query={"q": "2026-Q3"})
    at.number_input(key="knob.shadow_quarters").set_value(2).run()
    assert not at.exception
    assert any("needs the first quarter in shadow" in e.value for e in at.error)
    assert at.session_state["tel.analysis.whatif"].plan.shadow.quarters == 0


def test_shaping_a_quarter_ahead_starts_from_its_assumed_gp_and_keeps_other_months() -> None:
    at = open_app("pages/scenarios.py", query={"q": "2026-Q3", "gp_2026-07": "70000"})
    at.sidebar.selectbox(key="tel.quarter_pick").set_value("2027-Q1").run()
    assumed = dict(at.session_state["tel.analysis.whatif"].gp)
    at.slider(key="gp.level").set_value(10).run()
    gp = at.session_state["tel.analysis.whatif"].gp
    for month in ("2027-01", "2027-02", "2027-03"):  # 10% over the assumption, never $0
        assert gp[month] == (assumed[month] * Decimal("1.1")).quantize(Decimal("0.01"),
                                                                    rounding=ROUND_HALF_UP)
    assert gp["2026-07"] == Decimal("70000")  # another quarter's scenario stays
    assert gp["2026-11"] == assumed["2026-11"]  # and the months assumed on the way
    at.sidebar.selectbox(key="tel.quarter_pick").set_value("2026-Q3").run()
    assert at.slider(key="gp.level").value == 0  # this quarter was not shaped by the slider
    at.sidebar.selectbox(key="tel.quarter_pick").set_value("2027-Q1").run()
    assert at.slider(key="gp.level").value == 10  # where it left 2027-Q1
    [as_booked] = [b for b in at.button if b.label == "As booked"]
    as_booked.click().run()
    assert dict(at.session_state["tel.analysis.whatif"].gp) == assumed  # the assumption again
