"""The team page's library half: aggregates only, exact marginals, write-offs, the estimator."""

from __future__ import annotations

import csv
import re
import tomllib
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from team_privacy import salary_forms

from tel.models import Employment, Month, Person, Plan
from tel.periods import Quarter
from tel.quarter import NoBookedMonth, compute_quarter
from tel.team import (
    TeamAggregates,
    TeamView,
    estimate_check,
    team_aggregates,
    team_view,
    writeoff_cost,
    writeoff_effect,
)

Q3 = Quarter(2026, 3)
Q3_END = date(2026, 9, 30)
Q3_PAY = date(2026, 11, 15)
PLAN = Plan()
SAMPLE_DIR = Path(__file__).resolve().parents[1] / "sample_data"


def month(
    ym: str, gp: int | str | Decimal, cash: int = 52_000, ar: int = 320_000, ar90: int = 24_000
) -> Month:
    y, m = (int(x) for x in ym.split("-"))
    return Month(year=y, month=m, gp=Decimal(gp), cash_on_hand=cash, ar_total=ar, ar_90_plus=ar90)


# The spec's worked example (2026-Q3) after a quarter whose cash gate failed (Q1) and one that
# stayed below Min GP (Q2); 2026-Q4 is later and must not show up in Q3's past quarters.
MONTHS = [
    month("2026-01", 70_000),
    month("2026-02", 70_000),
    month("2026-03", 70_000, cash=46_880),
    month("2026-04", 60_000),
    month("2026-05", 61_000),
    month("2026-06", 62_000),
    month("2026-07", 69_343),
    month("2026-08", 59_343),
    month("2026-09", 73_434),
    month("2026-10", 90_000),
]
Q3_MONTHS = MONTHS[6:9]


def person(name: str, salary: int, start: str, **kw: object) -> Person:
    return Person(name=name, salary=salary, start_date=date.fromisoformat(start), **kw)


# Four eligible people, and one of each way not to be (salaries chosen not to coincide with
# any company figure of the example).
ROSTER = [
    person("Avery Johnson", 48_500, "2019-03-04"),
    person("Bianca Ortiz", 61_250, "2021-06-14", performance=Decimal("1.2")),
    person("Carlos Mendes", 72_300, "2023-01-09"),
    person("Dmitri Volkov", 95_400, "2017-08-21"),
    person("Eleanor Puryear", 151_700, "2010-01-01", owner=True),
    person("Farah Nasser", 58_900, "2020-05-05", employment=Employment.CONTRACTOR),
    person("Gwendolyn Talley", 31_800, "2018-02-12", full_time=False),
    person("Hiroshi Tanaka", 54_700, "2026-02-01"),
]


def name_forms(name: str) -> list[str]:
    """The whole name and each part of at least four characters, case-folded."""
    parts = [p for p in re.split(r"[\s,]+", name) if len(p) >= 4]
    return [name.casefold(), *(p.casefold() for p in parts)]


def anonymous(roster: list[Person]) -> list[Person]:
    """Same tenure, flags and eligibility; other names and salaries."""
    return [
        p.model_copy(update={"name": f"Placeholder {i}", "salary": Decimal(11_111 + i)})
        for i, p in enumerate(roster)
    ]


def leaks(view: TeamView, reference: TeamView, roster: list[Person]) -> list[str]:
    """Roster names and salary figures found in ``view``'s JSON. A string that the view of an
    anonymous roster also contains (e.g. a salary of 50,000 next to the $50,000 minimum cash)
    is a company figure or a word of the page, not something taken from the roster."""
    text, ref = view.model_dump_json().casefold(), reference.model_dump_json().casefold()
    found = []
    for p in roster:
        for s in [*name_forms(p.name), *salary_forms(p.salary)]:
            if s.casefold() in text and s.casefold() not in ref:
                found.append(s)
    return found


# --------------------------------------------------------------------------------------------
# The pot


def test_team_view_reproduces_the_worked_example() -> None:
    v = team_view(PLAN, ROSTER, MONTHS, Q3)
    assert v.quarter == "2026-Q3"
    assert v.months_booked == ("2026-07", "2026-08", "2026-09") and v.complete
    assert (v.gp_to_date, v.min_gp) == (20_212_000, 6_200_000)
    assert v.threshold_to_date == v.threshold_full_quarter == 18_600_000
    assert v.above_threshold == 1_612_000 and v.gp_still_needed == 0
    assert v.progress_pct == Decimal("108.7")
    assert (v.tel_profit, v.house, v.staff_pool) == (1_612_000, 403_000, 1_209_000)
    assert (v.team_pool, v.merit_pool) == (604_500, 604_500)
    assert v.pay_date == Q3_PAY
    assert v.eligible_count == 4
    assert v.average_check == v.average_check_if_gates_pass == 302_250
    assert v.gates.passed and v.gates.ar90_pct == Decimal("7.5")


def test_average_check_is_what_the_exact_path_pays_on_average() -> None:
    r = compute_quarter(PLAN, ROSTER, MONTHS, Q3)
    assert team_view(PLAN, ROSTER, MONTHS, Q3).average_check == r.average_check
    assert sum(p.total for p in r.payouts) == 4 * 302_250


def test_a_partial_quarter_shows_the_threshold_so_far_and_for_the_whole_quarter() -> None:
    v = team_view(PLAN, ROSTER, MONTHS[:8], Q3)  # July and August booked
    assert v.months_booked == ("2026-07", "2026-08") and not v.complete
    assert v.gp_to_date == 12_868_600
    assert v.threshold_to_date == 12_400_000 and v.threshold_full_quarter == 18_600_000
    assert v.tel_profit == 468_600  # 128,686 - 2 x 62,000
    assert v.gp_still_needed == 5_731_400  # what September must make before any TEL profit
    assert v.progress_pct == Decimal("69.2")
    assert "again when the quarter's last month is booked" in v.gates.summary


def test_a_quarter_without_a_booked_month_is_an_error_not_a_zero() -> None:
    with pytest.raises(NoBookedMonth):
        team_view(PLAN, ROSTER, MONTHS, Quarter(2027, 1))


def test_past_quarters_show_earlier_pots_oldest_first_and_why_they_were_not_paid() -> None:
    v = team_view(PLAN, ROSTER, MONTHS, Q3)
    assert [p.quarter for p in v.past_quarters] == ["2026-Q1", "2026-Q2"]  # not 2026-Q4
    q1, q2 = v.past_quarters
    assert q1.tel_profit == 2_400_000 and q1.staff_pool == 1_800_000
    assert not q1.paid and q1.note == "not paid: the cash gate failed"
    assert q1.average_check == 0 and q1.eligible_count == 4  # at stake, but nothing paid
    assert q2.tel_profit == 0 and not q2.paid
    assert q2.note == "no TEL profit: GP stayed below Min GP"
    r = compute_quarter(PLAN, ROSTER, MONTHS, Quarter(2026, 4))
    later = team_view(PLAN, ROSTER, MONTHS, Quarter(2026, 4)).past_quarters[-1]
    assert later.quarter == "2026-Q3" and later.paid and later.note == "paid"
    assert later.average_check == 302_250 and r.quarter == "2026-Q4"


# --------------------------------------------------------------------------------------------
# Every extra $1,000


def test_every_extra_1000_of_gp_adds_the_exact_difference_in_average_check() -> None:
    v = team_view(PLAN, ROSTER, MONTHS, Q3)
    bumped = [*MONTHS[:8], month("2026-09", 74_434), MONTHS[9]]
    exact = compute_quarter(PLAN, ROSTER, bumped, Q3).average_check - 302_250
    assert v.marginal_average_check_per_1000 == exact == 18_750  # $750 of staff pool / 4
    assert v.marginal_staff_pool_per_1000 == 75_000
    assert "adds about $187.50 to the average check" in v.marginal_note


def test_extra_gp_adds_nothing_while_the_quarter_is_more_than_1000_below_min_gp() -> None:
    low = [month("2026-07", 50_000), month("2026-08", 50_000), month("2026-09", 50_000)]
    v = team_view(PLAN, ROSTER, low, Q3)
    assert v.marginal_average_check_per_1000 == 0 and v.marginal_staff_pool_per_1000 == 0
    assert v.marginal_note.startswith("$0 for now: GP is $36,000.00 below Min GP")


def test_only_the_part_of_the_next_1000_above_min_gp_counts() -> None:
    near = [month("2026-07", 62_000), month("2026-08", 62_000), month("2026-09", 61_600)]
    v = team_view(PLAN, ROSTER, near, Q3)
    assert v.marginal_staff_pool_per_1000 == 45_000  # $600 above the line, 75% to staff
    assert v.marginal_average_check_per_1000 == 11_250
    assert v.marginal_note.startswith("Only the part above Min GP counts: GP is $400.00 short")


def test_extra_gp_adds_nothing_to_checks_while_a_gate_fails_but_grows_the_pool_at_stake() -> None:
    failing = [*Q3_MONTHS[:2], month("2026-09", 73_434, cash=46_880)]
    v = team_view(PLAN, ROSTER, failing, Q3)
    assert not v.gates.passed and v.average_check == 0
    assert v.average_check_if_gates_pass == 302_250
    assert v.marginal_average_check_per_1000 == 0 and v.marginal_staff_pool_per_1000 == 75_000
    assert v.marginal_note.startswith("$0 for now: the cash gate failed")


# --------------------------------------------------------------------------------------------
# Gates in plain words, without the company's balances


def test_passing_gates_are_told_without_cash_or_receivable_balances() -> None:
    g = team_view(PLAN, ROSTER, MONTHS, Q3).gates
    assert g.cash_sentence == "Cash gate passed: cash on hand meets the $50,000.00 minimum."
    assert g.ar_sentence == (
        "A/R gate passed: 7.5% of receivables are over 90 days old, within the 10% limit."
    )
    text = g.model_dump_json()
    for balance in ("52,000", "5200000", "320,000", "32000000", "24,000", "2400000"):
        assert balance not in text


def test_a_failing_gate_shows_the_shortfall_people_can_act_on() -> None:
    bad = [*Q3_MONTHS[:2], month("2026-09", 73_434, cash=46_880, ar=100_000, ar90=17_560)]
    g = team_view(PLAN, ROSTER, bad, Q3).gates
    assert not (g.passed or g.cash_ok or g.ar_ok)
    assert (g.cash_short, g.ar_to_collect) == (312_000, 840_000)
    assert "is $3,120.00 short of the $50,000.00 minimum" in g.cash_sentence
    assert "17.6% of receivables" in g.ar_sentence and "collecting $8,400.00" in g.ar_sentence
    assert "the cash and A/R gates failed" in g.summary


def test_no_receivables_pass_the_ar_gate() -> None:
    none = [*Q3_MONTHS[:2], month("2026-09", 73_434, ar=0, ar90=0)]
    g = team_view(PLAN, ROSTER, none, Q3).gates
    assert g.ar_ok and g.ar90_pct is None and "no receivables" in g.ar_sentence


# --------------------------------------------------------------------------------------------
# Privacy


def test_the_team_view_holds_no_roster_name_or_salary() -> None:
    view = team_view(PLAN, ROSTER, MONTHS, Q3)
    text = view.model_dump_json().casefold()
    for p in ROSTER:
        for s in [*name_forms(p.name), *salary_forms(p.salary)]:
            assert s.casefold() not in text, s


def test_the_team_view_is_the_same_whatever_the_names_and_salaries() -> None:
    assert team_view(PLAN, ROSTER, MONTHS, Q3) == team_view(PLAN, anonymous(ROSTER), MONTHS, Q3)


def _read_sample() -> tuple[Plan, list[Person], list[Month]]:
    raw = tomllib.loads((SAMPLE_DIR / "plan.toml").read_text(encoding="utf-8"))
    plan = Plan(**{k: v for section in raw.values() for k, v in section.items()})
    roster = []
    with (SAMPLE_DIR / "roster.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            roster.append(
                Person(
                    name=row["name"],
                    salary=Decimal(row["salary"]),
                    start_date=date.fromisoformat(row["start_date"]),
                    end_date=date.fromisoformat(row["end_date"]) if row["end_date"] else None,
                    employment=Employment(row["employment"]),
                    full_time=row["full_time"].lower() == "true",
                    owner=row["owner"].lower() == "true",
                    performance=Decimal(row["performance"] or "1"),
                    department=row["department"],
                )
            )
    months = []
    with (SAMPLE_DIR / "months.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            months.append(
                month(
                    row["month"],
                    row["gp"],
                    int(row["cash_on_hand"]),
                    int(row["ar_total"]),
                    int(row["ar_90_plus"]),
                )
            )
    return plan, roster, months


@pytest.mark.skipif(not (SAMPLE_DIR / "roster.csv").exists(), reason="no sample_data yet")
@pytest.mark.parametrize("quarter", ["2026-Q3", "2026-Q4"])
def test_the_sample_team_view_holds_no_roster_name_or_salary(quarter: str) -> None:
    plan, roster, months = _read_sample()
    view = team_view(plan, roster, months, quarter)
    reference = team_view(plan, anonymous(roster), months, quarter)
    assert view == reference
    assert view.past_quarters  # the sample has history: the test covers it too
    assert leaks(view, reference, roster) == []


# Names are letters only (any script), at least four; salaries whole dollars.
names = st.text(st.characters(categories=("Lu", "Ll")), min_size=4, max_size=14)


@st.composite
def staff(draw: st.DrawFn, quarter_end: date, max_size: int = 8) -> list[Person]:
    chosen = draw(st.lists(names, max_size=max_size, unique_by=str.casefold))
    out = []
    for name in chosen:
        start = quarter_end - timedelta(days=draw(st.integers(-40, 5000)))
        out.append(
            Person(
                name=name,
                salary=Decimal(draw(st.integers(20_001, 300_000))),
                start_date=start,
                end_date=None if draw(st.integers(0, 5)) else start + timedelta(days=400),
                employment=Employment.CONTRACTOR if draw(st.integers(0, 7)) == 0 else "w2",
                full_time=draw(st.integers(0, 7)) > 0,
                owner=draw(st.integers(0, 9)) == 0,
                performance=draw(st.sampled_from([Decimal(1), Decimal("0.5"), Decimal("1.25")])),
            )
        )
    return out


@st.composite
def books(draw: st.DrawFn) -> list[Month]:
    """Some of 2026-Q3 (at least one month) and maybe an earlier quarter, GP near Min GP."""
    yms = [*draw(st.sets(st.sampled_from(["2026-04", "2026-05", "2026-06"]))), "2026-07"]
    yms += draw(st.sets(st.sampled_from(["2026-08", "2026-09"])))
    out = []
    for ym in sorted(yms):
        ar = draw(st.integers(0, 400_000))
        out.append(
            month(
                ym,
                draw(st.integers(40_000, 90_000)),
                draw(st.integers(40_000, 70_000)),
                ar,
                draw(st.integers(0, ar // 6)),
            )
        )
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(roster=staff(Q3_END), months=books(), min_group=st.integers(1, 4))
def test_random_team_views_hold_no_roster_name_or_salary(
    roster: list[Person], months: list[Month], min_group: int
) -> None:
    view = team_view(PLAN, roster, months, Q3, min_group=min_group)
    reference = team_view(PLAN, anonymous(roster), months, Q3, min_group=min_group)
    text, ref = view.model_dump_json().casefold(), reference.model_dump_json().casefold()
    # Skip the rare draw whose name or salary is also a word or figure of the page itself
    # ("gate", a salary equal to a pool): its absence could not be tested.
    for p in roster:
        assume(not any(s.casefold() in ref for s in [*name_forms(p.name), *salary_forms(p.salary)]))
    for p in roster:
        for s in [*name_forms(p.name), *salary_forms(p.salary)]:
            assert s.casefold() not in text, s
    assert view == reference  # nothing in the view depends on a name or a salary


def test_per_check_figures_are_hidden_below_the_privacy_threshold() -> None:
    two = ROSTER[:2]
    v = team_view(PLAN, two, MONTHS, Q3)
    assert v.eligible_count == 2 and v.min_group == 3
    assert v.average_check is None and v.average_check_if_gates_pass is None
    assert v.marginal_average_check_per_1000 is None
    assert v.average_check_note.startswith("Hidden: fewer than 3 people share the pool")
    assert v.marginal_note == v.average_check_note
    assert all(p.average_check is None for p in v.past_quarters)
    assert v.staff_pool == 1_209_000  # the pot itself stays visible
    shown = team_view(PLAN, two, MONTHS, Q3, min_group=2)
    assert shown.average_check == 604_500


def test_nobody_eligible_has_no_average_to_show() -> None:
    v = team_view(PLAN, ROSTER[4:], MONTHS, Q3)
    assert v.eligible_count == 0 and v.average_check is None
    assert v.average_check_note.startswith("Nobody is eligible")


def test_the_salary_based_total_weight_never_leaves_the_aggregates() -> None:
    agg = team_aggregates(PLAN, ROSTER, MONTHS, Q3)
    assert agg.total_weight_units == compute_quarter(PLAN, ROSTER, MONTHS, Q3).total_weight
    assert "total_weight_units" not in agg.model_dump()
    assert "total_weight_units" not in agg.model_dump_json()
    assert "total_weight_units" not in repr(agg)


# --------------------------------------------------------------------------------------------
# Write-offs


def test_hours_written_off_cost_the_staff_pool_exactly() -> None:
    assert writeoff_cost(PLAN, ROSTER, MONTHS, Q3, 10, 150) == 112_500  # $1,500 x 75%
    e = writeoff_effect(PLAN, ROSTER, MONTHS, Q3, 10, 150)
    lowered = [*MONTHS[:8], month("2026-09", 71_934), MONTHS[9]]
    after = compute_quarter(PLAN, ROSTER, lowered, Q3)
    assert e.gp_removed == 150_000
    assert e.staff_pool_cost == 1_209_000 - after.staff_pool
    assert e.average_check_cost == 302_250 - after.average_check == 28_125
    assert e.sentence == (
        "10 hours written off at $150.00 an hour cost the staff pool $1,125.00 "
        "(about $281.25 off the average check)."
    )


def test_a_writeoff_below_min_gp_costs_the_pool_nothing_but_deepens_the_gap() -> None:
    low = [month("2026-07", 50_000), month("2026-08", 50_000), month("2026-09", 50_000)]
    e = writeoff_effect(PLAN, ROSTER, low, Q3, 4, 125)
    assert (e.staff_pool_cost, e.average_check_cost) == (0, 0)
    assert "already below Min GP" in e.sentence and "$500.00 to the gap" in e.sentence


def test_a_writeoff_larger_than_the_tel_profit_costs_the_whole_pool() -> None:
    assert writeoff_cost(PLAN, ROSTER, MONTHS, Q3, 200, 100) == 1_209_000


def test_writeoff_hours_and_rates_round_half_up_to_the_cent() -> None:
    e = writeoff_effect(PLAN, ROSTER, MONTHS, Q3, "2.5", "99.99")  # $249.975 -> $249.98
    assert e.gp_removed == 24_998
    assert e.sentence.startswith("2.5 hours written off at $99.99 an hour")


def test_a_writeoff_while_a_gate_fails_says_nothing_is_paid() -> None:
    failing = [*Q3_MONTHS[:2], month("2026-09", 73_434, cash=46_880)]
    e = writeoff_effect(PLAN, ROSTER, failing, Q3, 10, 150)
    assert e.staff_pool_cost == 112_500 and e.average_check_cost == 0
    assert e.sentence.endswith("nothing is paid this quarter: the cash gate failed.")


def test_a_writeoff_hides_the_average_check_for_a_small_group() -> None:
    e = writeoff_effect(PLAN, ROSTER[:2], MONTHS, Q3, 10, 150)
    assert e.staff_pool_cost == 112_500 and e.average_check_cost is None
    assert "hidden" in e.sentence


@pytest.mark.parametrize(("hours", "rate"), [(-1, 150), (10, -5), ("ten", 150), ("NaN", 1)])
def test_writeoff_refuses_nonsense(hours: object, rate: object) -> None:
    with pytest.raises(ValueError):
        writeoff_cost(PLAN, ROSTER, MONTHS, Q3, hours, rate)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# The estimator


def test_the_estimate_adds_the_person_to_the_eligible_group() -> None:
    agg = team_aggregates(PLAN, ROSTER, MONTHS, Q3)
    e = estimate_check(agg, 60_000, date(2022, 3, 1), PLAN, Q3_END, Q3_PAY)
    assert e.eligible and e.reason == "" and e.eligible_from == "2026-Q3"
    assert e.group_size == 5 and e.merit_shown and e.months_of_service == 54
    now = e.now
    assert now is not None and now.label == "as booked (3 months)"
    assert now.team == 120_900  # 604,500 / 5
    assert now.total == now.team + (now.merit or 0)
    assert [s.label for s in e.scenarios] == [
        "as booked (3 months)",
        "GP 10% lower",
        "GP 10% higher",
    ]
    assert "you join the 4 eligible people, so 5 share the team pool" in e.note


def test_estimate_scenarios_use_the_same_pools_as_the_exact_path() -> None:
    agg = team_aggregates(PLAN, ROSTER, MONTHS, Q3)
    e = estimate_check(
        agg, 60_000, date(2022, 3, 1), PLAN, Q3_END, Q3_PAY, average_monthly_gp=70_000
    )
    for s in e.scenarios:
        moved = [
            *MONTHS[:8],
            month("2026-09", Decimal(73_434) + Decimal(s.gp_total - 20_212_000) / 100),
        ]
        r = compute_quarter(PLAN, ROSTER, moved, Q3)
        assert (s.tel_profit, s.staff_pool) == (r.tel_profit, r.staff_pool), s.label
    lower, higher, chosen = e.scenarios[1:]
    assert (lower.gp_total, higher.gp_total) == (18_190_800, 22_233_200)
    assert chosen.label == "full quarter at $70,000.00 a month" and chosen.gp_total == 21_000_000


def test_a_partial_quarter_adds_a_full_quarter_at_this_pace() -> None:
    agg = team_aggregates(PLAN, ROSTER, MONTHS[:8], Q3)
    e = estimate_check(agg, 60_000, date(2022, 3, 1), PLAN, Q3_END, Q3_PAY)
    pace = e.scenarios[-1]
    assert pace.label == "full quarter at this pace" and pace.months == 3
    assert pace.gp_total == 19_302_900  # 128,686 x 3 / 2


def test_someone_too_new_is_told_why_and_from_which_quarter() -> None:
    agg = team_aggregates(PLAN, ROSTER, MONTHS, Q3)
    e = estimate_check(agg, 54_700, date(2026, 2, 1), PLAN, Q3_END, Q3_PAY)
    assert not e.eligible and e.scenarios == () and e.now is None
    assert e.reason == "7 of 9 months: eligible from 2026-Q4"
    assert e.eligible_from == "2026-Q4" and e.months_of_service == 7
    future = estimate_check(agg, 54_700, date(2026, 11, 2), PLAN, Q3_END, Q3_PAY)
    assert future.reason == "starts after quarter end: eligible from 2027-Q3"


def test_someone_leaving_before_the_pay_date_is_told_so() -> None:
    agg = team_aggregates(PLAN, ROSTER, MONTHS, Q3)
    gone = estimate_check(
        agg, 60_000, date(2020, 1, 1), PLAN, Q3_END, Q3_PAY, end_date=date(2026, 10, 31)
    )
    assert not gone.eligible and gone.reason == "left before pay date"
    assert gone.eligible_from is None
    early = estimate_check(
        agg, 60_000, date(2026, 2, 1), PLAN, Q3_END, Q3_PAY, end_date=date(2027, 1, 10)
    )
    assert early.reason == "7 of 9 months: leaves before becoming eligible"


@given(
    start=st.dates(date(2000, 1, 1), date(2031, 12, 31)),
    min_months=st.integers(0, 40),
    fys=st.integers(1, 12),
)
def test_eligible_from_is_the_first_quarter_the_exact_rule_accepts(
    start: date, min_months: int, fys: int
) -> None:
    plan = Plan(min_months=min_months, fiscal_year_start=fys)
    q = Quarter.containing((2026, 8), fys)
    agg = team_aggregates(plan, [], [month("2026-08", 70_000)], q)
    e = estimate_check(agg, 60_000, start, plan, q.last_day(fys), q.pay_date(fys, 15))
    assert e.eligible_from is not None
    first = Quarter.parse(e.eligible_from)
    later = compute_quarter(
        plan,
        [person("Zed Tester", 60_000, start.isoformat())],
        [month(f"{y}-{m:02d}", 70_000) for y, m in first.months(fys)],
        first,
    )
    assert later.payouts[0].eligible
    if first > q:
        before = first.shifted(-1)
        prev = compute_quarter(
            plan,
            [person("Zed Tester", 60_000, start.isoformat())],
            [month(f"{y}-{m:02d}", 70_000) for y, m in before.months(fys)],
            before,
        )
        assert not prev.payouts[0].eligible
    assert e.eligible == (first == q)


def test_a_failing_gate_makes_every_estimate_zero() -> None:
    failing = [*Q3_MONTHS[:2], month("2026-09", 73_434, cash=46_880)]
    agg = team_aggregates(PLAN, ROSTER, failing, Q3)
    e = estimate_check(agg, 60_000, date(2022, 3, 1), PLAN, Q3_END, Q3_PAY)
    assert all(s.total == 0 for s in e.scenarios)
    assert e.now is not None and e.now.staff_pool == 1_209_000  # the pool at stake
    assert "Every check is $0: the cash gate failed" in e.note


def test_the_merit_share_is_hidden_when_the_group_is_small() -> None:
    agg = team_aggregates(PLAN, ROSTER[:2], MONTHS, Q3)
    e = estimate_check(agg, 60_000, date(2022, 3, 1), PLAN, Q3_END, Q3_PAY)
    assert not e.merit_shown
    assert all(s.merit is None and s.total is None for s in e.scenarios)
    assert e.now is not None and e.now.team == 201_500  # 604,500 / 3: the team part is shown
    assert "Only your team share is shown" in e.note
    shown = estimate_check(agg, 60_000, date(2022, 3, 1), PLAN, Q3_END, Q3_PAY, min_group=2)
    assert shown.merit_shown and shown.now is not None and shown.now.merit is not None


def test_alone_in_the_group_the_estimate_is_the_whole_pool() -> None:
    agg = team_aggregates(PLAN, [], MONTHS, Q3)  # nobody to protect, nothing hidden
    e = estimate_check(agg, 60_000, date(2022, 3, 1), PLAN, Q3_END, Q3_PAY)
    assert e.now is not None and e.now.total == 1_209_000


def test_the_estimator_refuses_mismatched_inputs() -> None:
    agg = team_aggregates(PLAN, ROSTER, MONTHS, Q3)
    with pytest.raises(ValueError, match="another plan"):
        estimate_check(agg, 60_000, date(2022, 3, 1), Plan(house_pct=30), Q3_END, Q3_PAY)
    with pytest.raises(ValueError, match="not the last day"):
        estimate_check(agg, 60_000, date(2022, 3, 1), PLAN, date(2026, 12, 31), Q3_PAY)
    with pytest.raises(ValueError, match="not the pay date"):
        estimate_check(agg, 60_000, date(2022, 3, 1), PLAN, Q3_END, date(2026, 11, 1))
    with pytest.raises(ValueError, match="salary"):
        estimate_check(agg, "lots", date(2022, 3, 1), PLAN, Q3_END, Q3_PAY)
    with pytest.raises(ValueError, match="salary"):
        estimate_check(agg, 0, date(2022, 3, 1), PLAN, Q3_END, Q3_PAY)
    with pytest.raises(ValueError, match="performance"):
        estimate_check(agg, 60_000, date(2022, 3, 1), PLAN, Q3_END, Q3_PAY, "0.00001")
    nobody = team_aggregates(PLAN, [], MONTHS, Q3)
    with pytest.raises(ValueError, match="counted"):
        estimate_check(nobody, 60_000, date(2022, 3, 1), PLAN, Q3_END, Q3_PAY, counted=True)


# Latest start with 9 completed months at 2026-09-30: 2025-12-30 (a 31 December start has 8).
newcomer = st.fixed_dictionaries(
    {
        "salary": st.integers(2_000_000, 30_000_000).map(lambda c: Decimal(c).scaleb(-2)),
        "start": st.dates(date(2000, 1, 1), date(2025, 12, 30)),
        "performance": st.sampled_from([Decimal(0), Decimal("0.5"), Decimal(1), Decimal("1.3333")]),
    }
)


@st.composite
def eligible_crew(draw: st.DrawFn) -> list[Person]:
    """Eligible people (and some who are not), with salaries in cents and odd performance."""
    out = []
    for i in range(draw(st.integers(0, 9))):
        d = draw(newcomer)
        out.append(
            Person(
                name=f"Crew {i}",
                salary=d["salary"],
                start_date=d["start"],
                performance=d["performance"],
                full_time=draw(st.integers(0, 5)) > 0,
            )
        )
    return out


@st.composite
def quarter_books(draw: st.DrawFn) -> list[Month]:
    yms = ["2026-07", *draw(st.sets(st.sampled_from(["2026-08", "2026-09"])))]
    return [
        month(
            ym,
            Decimal(draw(st.integers(5_000_000, 9_000_000))).scaleb(-2),
            draw(st.sampled_from([45_000, 60_000])),
        )
        for ym in sorted(yms)
    ]


@settings(max_examples=200, deadline=None)
@given(
    crew=eligible_crew(),
    me=newcomer,
    months=quarter_books(),
    team_pct=st.sampled_from([Decimal(0), Decimal(50), Decimal("33.3333"), Decimal(100)]),
)
def test_the_estimate_is_within_two_cents_of_the_exact_check(
    crew: list[Person], me: dict[str, Decimal | date], months: list[Month], team_pct: Decimal
) -> None:
    """Each part is rounded half-up from the same exact share that largest remainder pays as
    its floor or ceiling: at most one cent apart per part, two for the total."""
    plan = Plan(team_pct=team_pct)
    agg = team_aggregates(plan, crew, months, Q3)
    salary, start, perf = me["salary"], me["start"], me["performance"]
    assert isinstance(salary, Decimal) and isinstance(start, date) and isinstance(perf, Decimal)
    e = estimate_check(agg, salary, start, plan, Q3_END, Q3_PAY, perf, min_group=1)
    you = Person(name="You Yourself", salary=salary, start_date=start, performance=perf)
    now = e.now
    assert now is not None and now.merit is not None and now.total is not None
    for roster in ([*crew, you], [you, *crew]):  # roster order moves at most a cent per part
        exact = next(
            p for p in compute_quarter(plan, roster, months, Q3).payouts if p.name == you.name
        )
        assert abs(now.team - exact.team) <= 1 and abs(now.merit - exact.merit) <= 1
        assert abs(now.total - exact.total) <= 2
    # Already counted: the aggregates include the person, the group does not grow.
    with_you = [*crew, you]
    agg_in = team_aggregates(plan, with_you, months, Q3)
    e_in = estimate_check(
        agg_in, salary, start, plan, Q3_END, Q3_PAY, perf, counted=True, min_group=1
    )
    exact_in = compute_quarter(plan, with_you, months, Q3).payouts[-1]
    now_in = e_in.now
    assert now_in is not None and now_in.total is not None
    assert abs(now_in.total - exact_in.total) <= 2
    assert e_in.group_size == e.group_size


def test_aggregates_carry_no_roster_name_or_salary() -> None:
    agg = team_aggregates(PLAN, ROSTER, MONTHS, Q3)
    text = agg.model_dump_json().casefold()
    for p in ROSTER:
        for s in [*name_forms(p.name), *salary_forms(p.salary)]:
            assert s.casefold() not in text
    assert isinstance(agg, TeamAggregates)
