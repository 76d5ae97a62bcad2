"""The reference model (tests/reference_model.py) pinned to the spec, then held against ``tel``.

First the reference alone: the spec's worked example (section 7) and one small hand-computed
case per rule and per variant of part two (sections 9-13). Then the command line against the
reference on random inputs: ``tel quarter`` on part-one plans (works today), and ``tel year`` /
``tel quarter`` with every variant and a scores file (part two, spec 14).
"""

from __future__ import annotations

import copy
import csv
import io
import json
import tempfile
import tomllib
from contextlib import redirect_stderr, redirect_stdout
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference_model import (
    Quarter,
    completed_months,
    largest_remainder,
    log_years,
    money,
    quarter_of,
    reference_quarter,
    reference_year,
    round_half_up,
)
from spec_examples import SPEC_PLAN
from strategies_partwo import Case, cases, examples, write_case

# --- building small cases by hand ------------------------------------------------------------


def plan_with(**sections: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Min GP 1,000 a month, no house, all team, gates that pass, no tenure rule, calendar
    quarters paid on the 15th; ``sections`` add or override keys section by section."""
    plan: dict[str, dict[str, Any]] = {
        "threshold": {"overhead": 1000, "debt_service": 0, "owner_retention": 0,
                      "ni_retention": 0},
        "split": {"house_pct": 0, "team_pct": 100},
        "gates": {"min_cash": 0, "max_ar90_pct": 100},
        "eligibility": {"min_months": 0},
        "calendar": {"pay_day": 15, "pay_day_rule": "exact", "fiscal_year_start": 1},
    }
    for section, values in sections.items():
        plan.setdefault(section, {}).update(values)
    return plan


def person(name: str, salary: str = "60000", start: str = "2020-01-01", end: str = "",
           employment: str = "w2", full_time: str = "true", owner: str = "false",
           performance: str = "") -> dict[str, str]:
    return {"name": name, "salary": salary, "start_date": start, "end_date": end,
            "employment": employment, "full_time": full_time, "owner": owner,
            "performance": performance, "department": ""}


def month(ym: str, gp: str, cash: str = "100000", ar_total: str = "0",
          ar_90_plus: str = "0") -> dict[str, str]:
    return {"month": ym, "gp": gp, "cash_on_hand": cash, "ar_total": ar_total,
            "ar_90_plus": ar_90_plus}


def quarter_gp(first_month: str, *gps: str, cash: str = "100000") -> list[dict[str, str]]:
    """Consecutive months from ``first_month`` (YYYY-MM) with these GPs."""
    y, m = (int(x) for x in first_month.split("-"))
    rows = []
    for i, gp in enumerate(gps):
        k = y * 12 + m - 1 + i
        rows.append(month(f"{k // 12}-{k % 12 + 1:02d}", gp, cash))
    return rows


def checks(result: dict[str, Any]) -> dict[str, str]:
    return {p["name"]: p["total"] for p in result["payouts"]}


TWO = [person("Ann"), person("Bob")]


# --- helpers of the reference ----------------------------------------------------------------


def test_money_has_exactly_two_places_and_a_sign() -> None:
    assert [money(c) for c in (1612000, -500, 0, 5, -1)] == [
        "16120.00", "-5.00", "0.00", "0.05", "-0.01"]


def test_round_is_half_up_on_exact_values() -> None:
    assert [round_half_up(Fraction(n, 2)) for n in (1, 3, 5, -1, -3)] == [1, 2, 3, -1, -2]
    assert round_half_up(Fraction(249999, 100000)) == 2


def test_leftover_cents_go_to_the_largest_remainders_ties_by_roster_order() -> None:
    assert largest_remainder(100, [Fraction(1)] * 3) == [34, 33, 33]
    assert largest_remainder(2, [Fraction(1)] * 3) == [1, 1, 0]
    assert largest_remainder(10, [Fraction(1), Fraction(2)]) == [3, 7]  # 3.33 / 6.67


def test_completed_months_count_a_month_only_once_its_day_is_reached() -> None:
    end = date(2026, 9, 30)
    assert completed_months(date(2025, 12, 31), end) == 8
    assert completed_months(date(2025, 12, 30), end) == 9
    assert completed_months(date(2026, 10, 1), end) == -1


def test_fiscal_year_is_named_by_the_calendar_year_in_which_it_ends() -> None:
    assert quarter_of(2026, 7, 7) == Quarter(2027, 1)
    assert Quarter(2027, 1).months(7) == [(2026, 7), (2026, 8), (2026, 9)]
    assert quarter_of(2025, 12, 12) == Quarter(2026, 1)
    assert Quarter(2026, 4).months(12) == [(2026, 9), (2026, 10), (2026, 11)]
    assert quarter_of(2026, 9, 1) == Quarter(2026, 3)


# --- part one: the worked example and the basic rules ----------------------------------------


SPEC_MONTHS = [
    month("2026-07", "69343", "52000", "320000", "24000"),
    month("2026-08", "59343", "52000", "320000", "24000"),
    month("2026-09", "73434", "52000", "320000", "24000"),
]
SPEC_ROSTER = [
    person("Ann", "60000", "2020-01-01"),
    person("Lee", "90000", "2018-06-15", performance="1.5"),
    person("Bob", "50000", "2026-05-01"),
    person("Cat", "70000", "2019-01-01", employment="contractor"),
    person("Owen", "120000", "2010-01-01", owner="true"),
]


def test_worked_example_of_the_source_reproduces_section_7() -> None:
    r = reference_quarter(tomllib.loads(SPEC_PLAN), SPEC_ROSTER, SPEC_MONTHS, None, "2026-Q3")
    assert (r["quarter"], r["pay_date"]) == ("2026-Q3", "2026-11-15")
    assert r["min_gp"] == "62000.00"
    assert r["gp_total"] == "202120.00"
    assert r["tel_profit"] == "16120.00"
    assert (r["house"], r["staff_pool"]) == ("4030.00", "12090.00")
    assert (r["team_pool"], r["merit_pool"], r["undistributed"]) == ("6045.00", "6045.00", "0.00")
    assert r["gates"] == {"cash_ok": True, "ar_ok": True, "passed": True}
    # Team: 6045.00 / 2 = 3022.50 each. Merit by salary x years x performance at 2026-09-30:
    # Ann 60000 x 80/12 = 400,000; Lee 90000 x 99/12 x 1.5 = 1,113,750. Ann's exact share is
    # 604500 x 320/1211 = 159735.76 cents, Lee's 444764.24: the leftover cent goes to Ann.
    assert checks(r) == {"Ann": "4619.86", "Lee": "7470.14", "Bob": "0.00", "Cat": "0.00",
                         "Owen": "0.00"}
    assert [p["merit"] for p in r["payouts"][:2]] == ["1597.36", "4447.64"]
    assert [p["eligible"] for p in r["payouts"]] == [True, True, False, False, False]
    assert all(p["reason"] for p in r["payouts"][2:])
    # Part two's ledger at its defaults: everything available is paid, nothing carried.
    assert (r["available"], r["paid_pool"], r["employer_tax"]) == ("12090.00",) * 2 + ("0.00",)
    assert {r[k] for k in ("carry_in", "carry_out", "deferred_in", "deferred_out", "held_back",
                           "released", "reserve_out", "capped_to_house")} == {"0.00"}


def test_a_weak_month_is_made_up_by_strong_ones_in_the_same_quarter() -> None:
    months = quarter_gp("2026-01", "1500", "500", "1200")
    r = reference_quarter(plan_with(), TWO, months, None, "2026-Q1")
    assert (r["gp_total"], r["tel_profit"]) == ("3200.00", "200.00")
    assert checks(r) == {"Ann": "100.00", "Bob": "100.00"}


def test_a_quarter_below_min_gp_has_no_tel_profit() -> None:
    months = quarter_gp("2026-01", "-500", "1500", "1200")
    r = reference_quarter(plan_with(), TWO, months, None, "2026-Q1")
    assert (r["tel_profit"], r["staff_pool"]) == ("0.00", "0.00")


def test_a_partly_booked_quarter_counts_only_its_booked_months() -> None:
    months = quarter_gp("2026-04", "1500", "1100")
    r = reference_quarter(plan_with(), TWO, months, None, "2026-Q2")
    assert r["tel_profit"] == "600.00"


def test_a_failed_gate_pays_nothing_shows_the_pools_and_leaves_nothing_undistributed() -> None:
    months = quarter_gp("2026-01", "2000", "1000", "1000")
    months[-1]["cash_on_hand"] = "49999.99"  # only the last booked month's gates count
    plan = plan_with(gates={"min_cash": 50000}, split={"house_pct": 25, "team_pct": 50})
    r = reference_quarter(plan, TWO, months, None, "2026-Q1")
    assert r["gates"] == {"cash_ok": False, "ar_ok": True, "passed": False}
    assert (r["house"], r["staff_pool"]) == ("250.00", "750.00")
    assert (r["team_pool"], r["merit_pool"]) == ("375.00", "375.00")
    assert (r["undistributed"], r["available"], r["paid_pool"]) == ("0.00",) * 3
    assert set(checks(r).values()) == {"0.00"}
    assert all(p["eligible"] for p in r["payouts"])


def test_ar_gate_passes_on_the_limit_and_with_no_receivables() -> None:
    plan = plan_with(gates={"max_ar90_pct": 10})
    on_limit = quarter_gp("2026-01", "2000")
    on_limit[0].update(ar_total="320000", ar_90_plus="32000")
    assert reference_quarter(plan, TWO, on_limit, None, "2026-Q1")["gates"]["ar_ok"] is True
    on_limit[0].update(ar_90_plus="32000.01")
    assert reference_quarter(plan, TWO, on_limit, None, "2026-Q1")["gates"]["ar_ok"] is False
    nothing_owed = quarter_gp("2026-01", "2000")
    assert reference_quarter(plan, TWO, nothing_owed, None, "2026-Q1")["gates"]["ar_ok"] is True


def test_tenure_is_completed_months_at_the_quarters_last_day() -> None:
    roster = [person("Ann", start="2025-12-30"), person("Bob", start="2025-12-31")]
    months = quarter_gp("2026-07", "2000", "1000", "1000")
    r = reference_quarter(plan_with(eligibility={"min_months": 9}), roster, months, None,
                          "2026-Q3")
    assert [p["eligible"] for p in r["payouts"]] == [True, False]  # 9 and 8 completed months
    assert r["payouts"][1]["reason"]
    assert checks(r) == {"Ann": "1000.00", "Bob": "0.00"}


def test_leaving_before_the_pay_date_loses_the_check_but_leaving_on_it_does_not() -> None:
    roster = [person("Ann", end="2026-11-15"), person("Bob", end="2026-11-14")]
    months = quarter_gp("2026-07", "2000", "1000", "1000")
    r = reference_quarter(plan_with(), roster, months, None, "2026-Q3")
    assert [p["eligible"] for p in r["payouts"]] == [True, False]
    assert checks(r) == {"Ann": "1000.00", "Bob": "0.00"}


def test_owners_contractors_and_part_timers_are_not_eligible() -> None:
    roster = [person("Ann"), person("Own", owner="true"), person("Con", employment="contractor"),
              person("Par", full_time="false")]
    r = reference_quarter(plan_with(), roster, quarter_gp("2026-01", "1300"), None, "2026-Q1")
    assert [p["eligible"] for p in r["payouts"]] == [True, False, False, False]
    assert checks(r)["Ann"] == "300.00"


def test_nobody_eligible_leaves_the_paid_pool_undistributed() -> None:
    roster = [person("Own", owner="true"), person("Con", employment="contractor")]
    r = reference_quarter(plan_with(), roster, quarter_gp("2026-01", "1500"), None, "2026-Q1")
    assert (r["paid_pool"], r["undistributed"]) == ("500.00", "500.00")
    assert set(checks(r).values()) == {"0.00"}


def test_all_zero_merit_weights_share_the_merit_pool_like_the_team_pool() -> None:
    roster = [person("Ann", performance="0"), person("Bob", performance="0"),
              person("Cy", performance="0")]
    plan = plan_with(split={"team_pct": 0})
    r = reference_quarter(plan, roster, quarter_gp("2026-01", "1001"), None, "2026-Q1")
    assert [p["merit"] for p in r["payouts"]] == ["0.34", "0.33", "0.33"]


def test_pay_date_is_in_the_second_month_after_the_quarter_across_the_year_end() -> None:
    r = reference_quarter(plan_with(calendar={"pay_day": 3}), TWO, quarter_gp("2026-10", "1"),
                          None, "2026-Q4")
    assert r["pay_date"] == "2027-02-03"


def test_quarters_follow_a_fiscal_year_starting_in_july() -> None:
    plan = plan_with(calendar={"fiscal_year_start": 7})
    months = quarter_gp("2026-07", "2000", "1000", "1000")
    r = reference_quarter(plan, TWO, months, None, "2027-Q1")
    assert (r["quarter"], r["pay_date"], r["tel_profit"]) == ("2027-Q1", "2026-11-15", "1000.00")
    assert [q["quarter"] for q in reference_year(plan, TWO, months, None, 2027)["quarters"]] == [
        "2027-Q1"]
    assert reference_year(plan, TWO, months, None, 2026)["quarters"] == []


def test_a_quarter_with_no_booked_month_is_an_error_not_a_zero() -> None:
    with pytest.raises(ValueError, match="2026-Q2"):
        reference_quarter(plan_with(), TWO, quarter_gp("2026-01", "1500"), None, "2026-Q2")


# --- part two: one hand-computed case per variant --------------------------------------------


def test_monthly_floor_does_not_make_up_a_weak_month() -> None:
    months = quarter_gp("2026-01", "1500", "500", "1200")
    r = reference_quarter(plan_with(netting={"mode": "monthly_floor"}), TWO, months, None,
                          "2026-Q1")
    assert r["tel_profit"] == "700.00"  # 500 + 0 + 200, where "quarter" nets to 200
    assert (r["carry_in"], r["carry_out"]) == ("0.00", "0.00")


def test_carry_forward_makes_up_an_earlier_shortfall_in_the_same_fiscal_year() -> None:
    months = quarter_gp("2026-01", "800", "800", "800", "1500", "1500", "1500")
    year = reference_year(plan_with(netting={"mode": "carry_forward"}), TWO, months, None, 2026)
    q1, q2 = year["quarters"]
    assert (q1["tel_profit"], q1["carry_in"], q1["carry_out"]) == ("0.00", "0.00", "-600.00")
    assert (q2["tel_profit"], q2["carry_in"], q2["carry_out"]) == ("900.00", "-600.00", "0.00")
    plain = reference_year(plan_with(), TWO, months, None, 2026)["quarters"][1]
    assert plain["tel_profit"] == "1500.00"


def test_carry_forward_starts_every_fiscal_year_at_zero() -> None:
    months = quarter_gp("2025-10", "800", "800", "800", "1500", "1500", "1500")
    r = reference_quarter(plan_with(netting={"mode": "carry_forward"}), TWO, months, None,
                          "2026-Q1")
    assert (r["carry_in"], r["tel_profit"]) == ("0.00", "1500.00")


def test_min_house_keeps_at_least_that_much_but_never_more_than_the_tel_profit() -> None:
    months = quarter_gp("2026-01", "2000", "1000", "1000")  # TEL profit 1,000
    r = reference_quarter(plan_with(split={"house_pct": 10, "min_house": 300}), TWO, months,
                          None, "2026-Q1")
    assert (r["house"], r["staff_pool"]) == ("300.00", "700.00")
    r = reference_quarter(plan_with(split={"house_pct": 10, "min_house": 50}), TWO, months,
                          None, "2026-Q1")
    assert (r["house"], r["staff_pool"]) == ("100.00", "900.00")
    r = reference_quarter(plan_with(split={"house_pct": 10, "min_house": 5000}), TWO, months,
                          None, "2026-Q1")
    assert (r["house"], r["staff_pool"]) == ("1000.00", "0.00")


FAIL_THEN_PASS = [
    *quarter_gp("2026-01", "2000", "1000", "1000", cash="0"),  # staff pool 1,000; gate fails
    *quarter_gp("2026-04", "1300", "1000", "1000"),  # staff pool 300; gates pass
]


def test_forfeit_policy_loses_a_failed_quarters_staff_pool() -> None:
    plan = plan_with(gates={"min_cash": 1}, gate_failure={"policy": "forfeit"})
    q1, q2 = reference_year(plan, TWO, FAIL_THEN_PASS, None, 2026)["quarters"]
    assert (q1["staff_pool"], q1["deferred_out"], q1["paid_pool"]) == ("1000.00", "0.00", "0.00")
    assert (q2["deferred_in"], q2["available"], q2["paid_pool"]) == ("0.00", "300.00", "300.00")
    assert checks(q2) == {"Ann": "150.00", "Bob": "150.00"}


def test_defer_policy_pays_a_failed_quarters_staff_pool_with_the_next_passing_quarter() -> None:
    plan = plan_with(gates={"min_cash": 1}, gate_failure={"policy": "defer"})
    q1, q2 = reference_year(plan, TWO, FAIL_THEN_PASS, None, 2026)["quarters"]
    assert (q1["deferred_in"], q1["deferred_out"]) == ("0.00", "1000.00")
    assert set(checks(q1).values()) == {"0.00"}
    assert (q2["deferred_in"], q2["deferred_out"]) == ("1000.00", "0.00")
    assert (q2["available"], q2["paid_pool"]) == ("1300.00", "1300.00")
    assert checks(q2) == {"Ann": "650.00", "Bob": "650.00"}


def test_a_quarter_with_no_booked_month_is_skipped_and_its_balances_pass_through() -> None:
    months = [*quarter_gp("2026-01", "2000", "1000", "1000", cash="0"),
              *quarter_gp("2026-07", "1300", "1000", "1000")]
    plan = plan_with(gates={"min_cash": 1}, gate_failure={"policy": "defer"})
    year = reference_year(plan, TWO, months, None, 2026)
    assert [q["quarter"] for q in year["quarters"]] == ["2026-Q1", "2026-Q3"]
    assert (year["quarters"][1]["deferred_in"], year["quarters"][1]["paid_pool"]) == (
        "1000.00", "1300.00")
    assert year["people"] == [{"name": "Ann", "total": "650.00"},
                              {"name": "Bob", "total": "650.00"}]


def test_holdback_is_reserved_and_released_with_a_complete_fourth_quarter() -> None:
    strong = ("2000", "1000", "1000")  # TEL profit 1,000 each quarter
    months = quarter_gp("2026-01", *strong * 4)
    year = reference_year(plan_with(reserve={"holdback_pct": 10}), TWO, months, None, 2026)
    got = [(q["held_back"], q["released"], q["reserve_out"], q["available"])
           for q in year["quarters"]]
    assert got == [("100.00", "0.00", "100.00", "900.00"),
                   ("100.00", "0.00", "200.00", "900.00"),
                   ("100.00", "0.00", "300.00", "900.00"),
                   ("100.00", "400.00", "0.00", "1300.00")]  # this quarter's 100 included
    assert year["people"] == [{"name": "Ann", "total": "2000.00"},
                              {"name": "Bob", "total": "2000.00"}]


def test_holdback_is_not_released_in_an_incomplete_fourth_quarter() -> None:
    months = quarter_gp("2026-07", "2000", "1000", "1000", "2000", "1000")
    r = reference_quarter(plan_with(reserve={"holdback_pct": 10}), TWO, months, None, "2026-Q4")
    assert (r["reserve_out"], r["released"], r["available"]) == ("200.00", "0.00", "900.00")


def test_a_failed_gate_neither_holds_back_nor_releases_the_reserve() -> None:
    months = [*quarter_gp("2026-07", "2000", "1000", "1000"),
              *quarter_gp("2026-10", "2000", "1000", "1000", cash="0")]
    plan = plan_with(reserve={"holdback_pct": 10}, gates={"min_cash": 1})
    r = reference_quarter(plan, TWO, months, None, "2026-Q4")
    assert (r["held_back"], r["released"], r["reserve_out"]) == ("0.00", "0.00", "100.00")
    assert (r["available"], r["paid_pool"]) == ("0.00", "0.00")


def test_reserve_carries_across_fiscal_years_until_a_complete_fourth_quarter() -> None:
    months = [*quarter_gp("2025-10", "2000", "1000"),  # 2025-Q4 incomplete: nothing released
              *quarter_gp("2026-01", "2000", "1000", "1000")]
    r = reference_quarter(plan_with(reserve={"holdback_pct": 10}), TWO, months, None, "2026-Q1")
    assert (r["held_back"], r["reserve_out"]) == ("100.00", "200.00")


def test_employer_tax_comes_out_of_the_money_available() -> None:
    plan = plan_with(payroll_tax={"employer_pct": "7.65"})
    r = reference_quarter(plan, TWO, quarter_gp("2026-01", "11765", "1000", "1000"), None,
                          "2026-Q1")
    assert (r["available"], r["paid_pool"], r["employer_tax"]) == ("10765.00", "10000.00",
                                                                   "765.00")
    # 1,000.00 x 100 / 107.65 = 928.936...: 928.94 paid, 71.06 tax.
    r = reference_quarter(plan, TWO, quarter_gp("2026-01", "2000", "1000", "1000"), None,
                          "2026-Q1")
    assert (r["paid_pool"], r["employer_tax"], r["team_pool"]) == ("928.94", "71.06", "928.94")
    assert checks(r) == {"Ann": "464.47", "Bob": "464.47"}


# Merit-only plans for the formulas: TEL profit 1,000.00, all of it merit; quarter 2026-Q1
# ends 2026-03-31, so a start on 2025-03-31 is 12 completed months (1 year).
MERIT_ONLY = {"split": {"house_pct": 0, "team_pct": 0}}
MERIT_MONTHS = quarter_gp("2026-01", "2000", "1000", "1000")


def merit_of(formula: str, roster: list[dict[str, str]], **merit: Any) -> list[str]:
    plan = plan_with(**MERIT_ONLY, merit={"formula": formula, **merit})
    r = reference_quarter(plan, roster, MERIT_MONTHS, None, "2026-Q1")
    return [p["merit"] for p in r["payouts"]]


def test_merit_salary_x_years_weighs_salary_by_tenure() -> None:
    roster = [person("Ann", start="2025-03-31"), person("Bob", start="2023-03-31")]
    assert merit_of("salary_x_years", roster) == ["250.00", "750.00"]  # 1 : 3 years


def test_merit_salary_x_log_years_weighs_tenure_by_ln_one_plus_years_to_nine_places() -> None:
    assert log_years(12) == Decimal("0.693147181")  # ln 2 = 0.69314718056
    assert log_years(36) == Decimal("1.386294361")  # ln 4 = 1.38629436112
    roster = [person("Ann", start="2025-03-31"), person("Bob", start="2023-03-31")]
    # 100000 cents x 0.693147181 / 2.079441542 = 33333.33335; Bob 66666.66665 gets the cent.
    assert merit_of("salary_x_log_years", roster) == ["333.33", "666.67"]


def test_merit_salary_x_capped_years_stops_counting_tenure_at_cap_years() -> None:
    roster = [person("Ann", start="2024-03-31"), person("Bob", start="2016-03-31")]
    # 2 years : min(10, 5.5) years = 4 : 11; 100000 x 4/15 = 26666.67 -> Ann gets the cent.
    assert merit_of("salary_x_capped_years", roster, cap_years="5.5") == ["266.67", "733.33"]
    # cap_years defaults to 10: 2 : 10.
    assert merit_of("salary_x_capped_years", roster) == ["166.67", "833.33"]


def test_merit_by_salary_ignores_tenure() -> None:
    roster = [person("Ann", salary="30000", start="2025-03-31"),
              person("Bob", salary="90000", start="2016-03-31", performance="1.5")]
    # 30000 : 90000 x 1.5 = 2 : 9; 100000 x 2/11 = 18181.82 -> Ann gets the cent.
    assert merit_of("salary", roster) == ["181.82", "818.18"]


def test_merit_by_years_ignores_salary() -> None:
    roster = [person("Ann", salary="30000", start="2025-03-31"),
              person("Bob", salary="90000", start="2023-03-31")]
    assert merit_of("years", roster) == ["250.00", "750.00"]  # 1 : 3 years


def test_prorate_shares_the_team_pool_by_days_served_in_the_quarter() -> None:
    # 2026-Q1 has 90 days. Ann all of them; Bob leaves 2026-02-14 (45 days); Cy started
    # 2025-11-16 and reaches 3 months on 2026-02-16 (44 days); Di is a part-timer.
    roster = [person("Ann"), person("Bob", end="2026-02-14"), person("Cy", start="2025-11-16"),
              person("Di", full_time="false")]
    plan = plan_with(eligibility={"min_months": 3, "partial": "prorate"})
    months = quarter_gp("2026-01", "2790", "1000", "1000")  # TEL profit 1,790 = 179 days x 10
    r = reference_quarter(plan, roster, months, None, "2026-Q1")
    assert checks(r) == {"Ann": "900.00", "Bob": "450.00", "Cy": "440.00", "Di": "0.00"}
    assert [p["eligible"] for p in r["payouts"]] == [True, True, True, False]
    assert r["payouts"][1]["reason"] and r["payouts"][3]["reason"]
    none = reference_quarter(plan_with(eligibility={"min_months": 3}), roster, months, None,
                             "2026-Q1")
    # Without prorating Bob is out (he left before the pay date) and Cy, at 4 completed
    # months on the quarter's last day, gets a full share.
    assert checks(none) == {"Ann": "895.00", "Bob": "0.00", "Cy": "895.00", "Di": "0.00"}


def test_prorate_multiplies_the_merit_weight_by_days_with_years_at_the_end_date() -> None:
    # Ann: 74 months at 2026-03-31, 90 days. Bob: 73 months at his end date 2026-02-14, 45 days.
    # Weights 60000/12 x 74 x 90 : 60000/12 x 73 x 45 = 6660 : 3285, pool 994.50 -> exact.
    roster = [person("Ann"), person("Bob", end="2026-02-14")]
    plan = plan_with(**MERIT_ONLY, eligibility={"partial": "prorate"})
    months = quarter_gp("2026-01", "1994.50", "1000", "1000")
    r = reference_quarter(plan, roster, months, None, "2026-Q1")
    assert checks(r) == {"Ann": "666.00", "Bob": "328.50"}


def test_scores_override_performance_for_their_quarter_only() -> None:
    roster = [person("Ann"), person("Bob", performance="1")]
    scores = [{"name": "Bob", "quarter": "2026-Q1", "performance": "3"}]
    plan = plan_with(**MERIT_ONLY, merit={"formula": "salary"})
    months = quarter_gp("2026-01", "2000", "1000", "1000", "2000", "1000", "1000")
    q1, q2 = reference_year(plan, roster, months, scores, 2026)["quarters"]
    assert checks(q1) == {"Ann": "250.00", "Bob": "750.00"}
    assert checks(q2) == {"Ann": "500.00", "Bob": "500.00"}


def test_caps_send_what_is_over_to_the_house_merit_first_then_team() -> None:
    # Cap 0.5% of salary: Ann 300.00, Bob 1,000.00. Team 1,000 -> 500 each; merit 1,000 by
    # salary 3 : 10 -> Ann 230.77, Bob 769.23. Ann is 430.77 over: all her merit, then 200.00
    # of team; Bob is 269.23 over, all from merit.
    roster = [person("Ann", salary="60000"), person("Bob", salary="200000")]
    plan = plan_with(split={"team_pct": 50}, merit={"formula": "salary"},
                     caps={"max_pct_of_salary": "0.5"})
    r = reference_quarter(plan, roster, quarter_gp("2026-01", "3000", "1000", "1000"), None,
                          "2026-Q1")
    assert [(p["team"], p["merit"], p["total"]) for p in r["payouts"]] == [
        ("300.00", "0.00", "300.00"), ("500.00", "500.00", "1000.00")]
    assert (r["capped_to_house"], r["paid_pool"], r["undistributed"]) == (
        "700.00", "2000.00", "0.00")


def test_year_lists_only_that_fiscal_years_quarters_and_sums_each_persons_checks() -> None:
    months = quarter_gp("2025-10", "1100", "1000", "1000", "1200", "1000", "1000",
                        "1300", "1000", "1000")
    roster = [person("Ann"), person("Own", owner="true")]
    year = reference_year(plan_with(), roster, months, None, 2026)
    assert year["fiscal_year"] == 2026
    assert [q["quarter"] for q in year["quarters"]] == ["2026-Q1", "2026-Q2"]
    assert year["people"] == [{"name": "Ann", "total": "500.00"},
                              {"name": "Own", "total": "0.00"}]


# --- the command line against the reference --------------------------------------------------


PART_ONE_MONEY = ["min_gp", "gp_total", "tel_profit", "house", "staff_pool", "team_pool",
                  "merit_pool", "undistributed"]
PART_TWO_MONEY = ["carry_in", "carry_out", "deferred_in", "deferred_out", "held_back",
                  "released", "reserve_out", "available", "employer_tax", "paid_pool",
                  "capped_to_house"]


def cents_text(value: Any) -> str:
    """A money value as "1234.50" when it is exact to the cent (the library may print a number
    or a decimal string); anything else is kept as its repr so the comparison shows it."""
    try:
        amount = Decimal(str(value))
    except Exception:
        return repr(value)
    if isinstance(value, bool) or amount != amount.quantize(Decimal("0.01")):
        return repr(value)
    return f"{amount:.2f}"


def projected(result: dict[str, Any], money_keys: list[str]) -> dict[str, Any]:
    """What is compared: every money key, gates, dates and checks; never the reason text."""
    return {
        "quarter": result.get("quarter"),
        "pay_date": result.get("pay_date"),
        "gates": {k: result.get("gates", {}).get(k) for k in ("cash_ok", "ar_ok", "passed")},
        **{k: cents_text(result.get(k)) for k in money_keys},
        "payouts": [
            {"name": p.get("name"), "eligible": p.get("eligible"),
             **{k: cents_text(p.get(k)) for k in ("team", "merit", "total")}}
            for p in result.get("payouts", [])
        ],
    }


def assert_reasons_for_the_ineligible(result: dict[str, Any]) -> None:
    for p in result["payouts"]:
        if not p["eligible"]:
            assert isinstance(p.get("reason"), str) and p["reason"].strip(), p


def run_tel(args: list[str]) -> tuple[int, str, str]:
    from tel.cli import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        rc = main(args)
    return rc, out.getvalue(), err.getvalue()


def read_back(paths: dict[str, Path]) -> tuple[dict[str, Any], list[dict[str, str]],
                                               list[dict[str, str]], list[dict[str, str]] | None]:
    """The files as written, parsed plainly: the reference reads what the library reads."""

    def rows(path: Path) -> list[dict[str, str]]:
        with path.open(encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))

    plan = tomllib.loads(paths["plan"].read_text(encoding="utf-8"))
    scores = rows(paths["scores"]) if "scores" in paths else None
    return plan, rows(paths["roster"]), rows(paths["months"]), scores


def file_args(paths: dict[str, Path]) -> list[str]:
    args = ["--plan", str(paths["plan"]), "--roster", str(paths["roster"]),
            "--months", str(paths["months"])]
    if "scores" in paths:
        args += ["--scores", str(paths["scores"])]
    return args


PROPERTY_SETTINGS = settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@PROPERTY_SETTINGS
@given(case=cases(variants=False), data=st.data())
def test_default_plan_matches_the_reference_on_tel_quarter(case: Case, data: st.DataObject) -> None:
    quarter = data.draw(st.sampled_from(case.quarters), label="quarter")
    with tempfile.TemporaryDirectory() as folder:
        paths = write_case(case, Path(folder))
        expected = reference_quarter(*read_back(paths), quarter)
        rc, out, err = run_tel(["quarter", *file_args(paths), "--quarter", quarter, "--json"])
    assert rc == 0, err
    actual = json.loads(out)
    assert projected(actual, PART_ONE_MONEY) == projected(expected, PART_ONE_MONEY)
    assert_reasons_for_the_ineligible(actual)


@PROPERTY_SETTINGS
@given(case=cases(), data=st.data())
def test_tel_quarter_json_matches_the_reference_to_the_cent(
    case: Case, data: st.DataObject
) -> None:
    quarter = data.draw(st.sampled_from(case.quarters), label="quarter")
    keys = PART_ONE_MONEY + PART_TWO_MONEY
    with tempfile.TemporaryDirectory() as folder:
        paths = write_case(case, Path(folder))
        expected = reference_quarter(*read_back(paths), quarter)
        rc, out, err = run_tel(["quarter", *file_args(paths), "--quarter", quarter, "--json"])
    assert rc == 0, err
    actual = json.loads(out)
    assert projected(actual, keys) == projected(expected, keys)
    assert_reasons_for_the_ineligible(actual)


@PROPERTY_SETTINGS
@given(case=cases())
def test_tel_year_json_matches_the_reference_to_the_cent(case: Case) -> None:
    keys = PART_ONE_MONEY + PART_TWO_MONEY
    with tempfile.TemporaryDirectory() as folder:
        paths = write_case(case, Path(folder))
        expected = reference_year(*read_back(paths), case.fiscal_year)
        rc, out, err = run_tel(["year", *file_args(paths), "--fiscal-year",
                                str(case.fiscal_year), "--json"])
    assert rc == 0, err
    actual = json.loads(out)
    assert actual.get("fiscal_year") == expected["fiscal_year"]
    assert [projected(q, keys) for q in actual.get("quarters", [])] == [
        projected(q, keys) for q in expected["quarters"]]
    assert [{"name": p.get("name"), "total": cents_text(p.get("total"))}
            for p in actual.get("people", [])] == expected["people"]
    for q in actual["quarters"]:
        assert_reasons_for_the_ineligible(q)


def test_the_reference_does_not_mutate_its_inputs() -> None:
    plan, roster, months = plan_with(reserve={"holdback_pct": 10}), list(TWO), MERIT_MONTHS
    before = copy.deepcopy((plan, roster, months))
    reference_year(plan, roster, months, None, 2026)
    assert (plan, roster, months) == before
