"""The team page's library half: public figures only (``tel.analysis.privacy``), marginals,
write-offs, the estimator."""

from __future__ import annotations

import csv
import re
import tomllib
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from case_files import scenario_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies_partwo import Case, cases, examples
from team_privacy import salary_forms

from tel.analysis.privacy import PublicQuarter, money_step, public_quarter
from tel.analysis.team import (
    TeamAggregates,
    TeamView,
    aggregates_of,
    estimate_check,
    merit_words,
    team_aggregates,
    team_view,
    team_view_of,
    writeoff_cost,
    writeoff_effect,
)
from tel.analysis.team_risk import TeamRisk, team_risk
from tel.core.models import Employment, Month, Person, Plan
from tel.core.money import format_money, round_half_up, to_cents
from tel.core.periods import Quarter, completed_months
from tel.core.policy import BY_NAME, Caps, GateFailure, Merit, Netting, PayrollTax, Reserve
from tel.engine.ledger import booked_quarters
from tel.engine.quarter import NoBookedMonth, compute_quarter, compute_scenario
from tel.rules.pools import split_profit
from tel.rules.weights import weight_units

Q3 = Quarter(2026, 3)
Q3_END = date(2026, 9, 30)
Q3_PAY = date(2026, 11, 13)  # the 15th is a Sunday: the previous business day (default rule)
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
    """Same tenure, flags and eligibility; other names and salaries (unrelated to the real
    ones, so the heaviest weight's share, and with it the money step, may differ)."""
    return [
        p.model_copy(update={"name": f"Placeholder {i}", "salary": Decimal(11_111 + i)})
        for i, p in enumerate(roster)
    ]


def same_shares(roster: list[Person]) -> list[Person]:
    """Other names and every salary x 7: every merit weight x 7, so every weight's share of the
    group's total is unchanged. The team view depends on salaries only through the heaviest
    eligible weight's share (it sets the money step, ``tel.analysis.privacy.money_step``), so this
    roster's view must be the very same view."""
    return [
        p.model_copy(update={"name": f"Placeholder {i}", "salary": p.salary * 7})
        for i, p in enumerate(roster)
    ]


def steps(plan: Plan, roster: list[Person], months: list[Month], quarter: Quarter) -> list[int]:
    """The money step of ``quarter`` and of every earlier booked quarter its view lists."""
    return [
        money_step(compute_quarter(plan, roster, months, q))
        for q in booked_quarters(months, plan.fiscal_year_start)
        if q <= quarter
    ]


TEAM_MONEY = (
    "gp_to_date",
    "above_threshold",
    "gp_still_needed",
    "money_step",
    "tel_profit",
    "house",
    "staff_pool",
    "team_pool",
    "merit_pool",
    "average_check",
    "average_check_if_gates_pass",
    "marginal_staff_pool_per_1000",
    "marginal_average_check_per_1000",
    "paid_pool",
    "carry_in",
    "deferred_in",
    "held_back",
    "released",
    "employer_tax",
)
PAST_MONEY = ("tel_profit", "staff_pool", "average_check", "paid_pool")


def public_spellings(view: TeamView) -> str:
    """The view's own public money figures as the JSON (cents) and the notes (dollars) spell
    them, ``|``-separated."""
    figures = [getattr(view, f) for f in TEAM_MONEY]
    figures += [getattr(p, f) for p in view.past_quarters for f in PAST_MONEY]
    out = []
    for c in figures:
        if c is not None:
            out += [str(c), str(abs(c)), format_money(abs(c))]
    return "|".join(out)


def leaks(view: TeamView, reference: TeamView, roster: list[Person]) -> list[str]:
    """Roster names and salary figures found in ``view``'s JSON.

    Not a leak: a string that the view of the ``anonymous`` roster also contains (a salary of
    50,000 next to the $50,000 minimum cash, a name that is a word of the page), nor one found
    in the view's own public money figures. The latter exemption is new with
    ``tel.analysis.privacy``: the rounding step depends on the heaviest weight's share, so the
    anonymous roster's public
    figures can differ from the view's, and a salary that happens to equal (or be a digit run
    of) a rounded pool would otherwise be flagged. Those figures are multiples of the step, or
    the plan's split of one, and their own test is
    ``test_the_team_view_never_shows_finer_money_than_its_step``."""
    text = view.model_dump_json().casefold()
    allowed = (reference.model_dump_json() + "|" + public_spellings(view)).casefold()
    found = []
    for p in roster:
        for s in [*name_forms(p.name), *salary_forms(p.salary)]:
            if s.casefold() in text and s.casefold() not in allowed:
                found.append(s)
    return found


# --------------------------------------------------------------------------------------------
# The pot


# The worked example's public figures (tel.analysis.privacy), by hand:
#   exact TEL profit X = GP 202,120 - 3 x Min GP 62,000 = $16,120.00
#   merit weights at 2026-09-30 (salary x completed months x performance, dollar-months):
#     Avery 48,500 x 90 = 4,365,000     Bianca 61,250 x 63 x 1.2 = 4,630,500
#     Carlos 72,300 x 44 = 3,181,200    Dmitri 95,400 x 109 = 10,398,600    W = 22,575,300
#   heaviest share 10,398,600 / 22,575,300 = 0.46062;  u = max(2.5%, 15% x 0.46062) = 6.909%
#   2 u X = 0.138186 x $16,120 = $2,227.55  ->  money step S = nice(...) = $5,000
#   X^ = round(16,120 / 5,000 = 3.224) x 5,000 = $15,000;  GP^ = $186,000 + X^ = $201,000
#   split (25% house, 50% team): house $3,750, staff $11,250, team = merit = $5,625
#   average check $11,250 / 4 = $2,812.50 -> $2,813 (whole dollars, half-up)
#   total weight in units (cents x months x performance x 10,000): W = 2.25753e13, the
#   heaviest 1.03986e13; S_W = nice(30% x 1.03986e13 = 3.11958e12) = 5e12;
#   W^ = round(2.25753e13 / 5e12 = 4.515) x 5e12 = 2.5e13
WORKED_STEP, WORKED_PROFIT, WORKED_STAFF, WORKED_AVERAGE = 500_000, 1_500_000, 1_125_000, 281_300


def test_team_view_shows_the_worked_example_rounded_to_its_step() -> None:
    v = team_view(PLAN, ROSTER, MONTHS, Q3)
    assert v.quarter == "2026-Q3"
    assert v.months_booked == ("2026-07", "2026-08", "2026-09") and v.complete
    assert v.money_step == WORKED_STEP
    assert (v.gp_to_date, v.min_gp) == (20_100_000, 6_200_000)  # GP^ = 186,000 + 15,000
    assert v.threshold_to_date == v.threshold_full_quarter == 18_600_000  # policy: exact
    assert v.above_threshold == 1_500_000 and v.gp_still_needed == 0
    assert v.progress_pct == Decimal("108.1")  # 201,000 / 186,000 = 108.06%
    assert (v.tel_profit, v.house, v.staff_pool) == (WORKED_PROFIT, 375_000, WORKED_STAFF)
    assert (v.team_pool, v.merit_pool) == (562_500, 562_500)
    assert v.pay_date == Q3_PAY
    assert v.eligible_count == 4
    assert v.average_check == v.average_check_if_gates_pass == WORKED_AVERAGE
    assert v.gates.passed and v.gates.ar90_pct == Decimal("7.5")
    # The literals agree with tel.analysis.privacy; the exact quarter (what is paid) is untouched.
    r = compute_quarter(PLAN, ROSTER, MONTHS, Q3)
    pq = public_quarter(r, PLAN)
    assert (pq.money_step, pq.gp, pq.tel_profit, pq.staff_pool) == (
        v.money_step, v.gp_to_date, v.tel_profit, v.staff_pool,
    )
    assert (r.tel_profit, r.staff_pool, r.average_check) == (1_612_000, 1_209_000, 302_250)


def test_average_check_is_the_public_staff_pool_per_person_to_the_dollar() -> None:
    """The average check is the public staff pool over the eligible count, to the dollar,
    hence within the public rounding of what the exact path pays on average: TEL profit is
    off by at most S/2, the staff pool ``X - round(25% X)`` then by less than 75% x S/2 + 1
    cent, the average by that over N, plus 50 cents (to the dollar) and the half cent to
    which the exact average is rounded."""
    v = team_view(PLAN, ROSTER, MONTHS, Q3)
    r = compute_quarter(PLAN, ROSTER, MONTHS, Q3)
    assert v.average_check == round_half_up(Fraction(v.staff_pool, 4 * 100)) * 100 == 281_300
    assert sum(p.total for p in r.payouts) == r.staff_pool == 4 * 302_250  # what is paid
    bound = (Fraction(3, 4) * Fraction(v.money_step, 2) + 1) / 4 + 50 + Fraction(1, 2)
    assert abs(v.average_check - r.average_check) <= bound  # 20,950 <= 46,925.75


def test_a_partial_quarter_shows_the_threshold_so_far_and_for_the_whole_quarter() -> None:
    v = team_view(PLAN, ROSTER, MONTHS[:8], Q3)  # July and August booked
    assert v.months_booked == ("2026-07", "2026-08") and not v.complete
    assert v.threshold_to_date == 12_400_000 and v.threshold_full_quarter == 18_600_000
    # X = 128,686 - 2 x 62,000 = $4,686; same weights as the worked example, so
    # 2 u X = 0.138186 x 4,686 = $647.54 -> S = $1,000; X^ = round(4.686) x 1,000 = $5,000.
    assert v.money_step == 100_000 and v.tel_profit == 500_000
    assert v.gp_to_date == 12_900_000  # GP^ = 124,000 + 5,000
    assert v.gp_still_needed == 5_700_000  # what September must make before any TEL profit
    assert v.progress_pct == Decimal("69.4")  # 129,000 / 186,000 = 69.35%
    assert "again when the quarter's last month is booked" in v.gates.summary


def test_a_quarter_without_a_booked_month_is_an_error_not_a_zero() -> None:
    with pytest.raises(NoBookedMonth):
        team_view(PLAN, ROSTER, MONTHS, Quarter(2027, 1))


def test_past_quarters_show_earlier_pots_oldest_first_and_why_they_were_not_paid() -> None:
    v = team_view(PLAN, ROSTER, MONTHS, Q3)
    assert [p.quarter for p in v.past_quarters] == ["2026-Q1", "2026-Q2"]  # not 2026-Q4
    q1, q2 = v.past_quarters
    # Q1: X = 3 x 70,000 - 186,000 = $24,000. Weights at 2026-03-31: Avery 48,500 x 84,
    # Bianca 61,250 x 57 x 1.2, Carlos 72,300 x 38, Dmitri 95,400 x 103 = 9,826,200 of
    # W = 20,837,100 (share 0.47157): 2 u X = 0.141472 x 24,000 = $3,395.32 -> S = $5,000;
    # X^ = round(4.8) x 5,000 = $25,000, staff pool 75% = $18,750.
    assert q1.tel_profit == 2_500_000 and q1.staff_pool == 1_875_000
    assert not q1.paid and q1.note == "not paid: the cash gate failed"
    assert q1.average_check is None and q1.eligible_count == 4  # nothing was shared
    assert q2.tel_profit == 0 and q2.staff_pool == 0 and not q2.paid
    assert q2.note == "no TEL profit: GP stayed below Min GP"
    r = compute_quarter(PLAN, ROSTER, MONTHS, Quarter(2026, 4))
    later = team_view(PLAN, ROSTER, MONTHS, Quarter(2026, 4)).past_quarters[-1]
    assert later.quarter == "2026-Q3" and later.paid and later.note == "due as booked, not approved"
    assert later.tel_profit == WORKED_PROFIT and later.staff_pool == WORKED_STAFF
    assert later.average_check == WORKED_AVERAGE and r.quarter == "2026-Q4"


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
    assert v.average_check_if_gates_pass == WORKED_AVERAGE  # the worked example but the cash
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


def test_the_team_view_depends_on_salaries_only_through_the_heaviest_share() -> None:
    """Names never matter; salaries only through the heaviest eligible weight's share of the
    group's total, which sets the money step (``tel.analysis.privacy``)."""
    view = team_view(PLAN, ROSTER, MONTHS, Q3)
    assert view == team_view(PLAN, same_shares(ROSTER), MONTHS, Q3)
    # Weight moved between two people who are not the heaviest: Avery (90 months) gains
    # $4,400 of salary = 396,000 dollar-months, Carlos (44 months) loses $9,000 = 396,000.
    # The total and Dmitri's weight are unchanged, hence his share, the step and the view.
    moved = [
        ROSTER[0].model_copy(update={"salary": Decimal(52_900)}),
        ROSTER[1],
        ROSTER[2].model_copy(update={"salary": Decimal(63_300)}),
        *ROSTER[3:],
    ]
    assert view == team_view(PLAN, moved, MONTHS, Q3)
    # Unrelated salaries (11,111 ... 11,114) change the heaviest share to 11,114 x 109 over
    # 3,540,455.2 dollar-months = 0.34217: 2 u X = 0.10265 x 16,120 = $1,654.72 -> S = $2,000,
    # X^ = round(8.06) x 2,000 = $16,000. Only the rounding moves.
    other = team_view(PLAN, anonymous(ROSTER), MONTHS, Q3)
    assert (other.money_step, other.tel_profit, other.staff_pool) == (200_000, 1_600_000, 1_200_000)


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
    assert view == team_view(plan, same_shares(roster), months, quarter)
    assert view.past_quarters  # the sample has history: the test covers it too
    reference = team_view(plan, anonymous(roster), months, quarter)
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


@settings(max_examples=examples(150), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(roster=staff(Q3_END), months=books(), min_group=st.integers(1, 4))
def test_random_team_views_hold_no_roster_name_or_salary(
    roster: list[Person], months: list[Month], min_group: int
) -> None:
    view = team_view(PLAN, roster, months, Q3, min_group=min_group)
    # Nothing in the view depends on a name, nor on a salary but through weight shares.
    assert view == team_view(PLAN, same_shares(roster), months, Q3, min_group=min_group)
    # Unrelated salaries: the same view whenever they give the same money steps, since the
    # view depends on salaries only through those steps.
    others = anonymous(roster)
    reference = team_view(PLAN, others, months, Q3, min_group=min_group)
    if steps(PLAN, others, months, Q3) == steps(PLAN, roster, months, Q3):
        assert view == reference
    # No name or salary in the JSON, but as a word or figure of the page itself ("gate", a
    # salary equal to the minimum cash or to one of the view's rounded pools): see ``leaks``.
    assert leaks(view, reference, roster) == []


def assert_never_finer_than_its_step(
    view: TeamView, plan: Plan, roster: list[Person], months: list[Month]
) -> None:
    """Every money figure of ``view`` above the threshold is a multiple of its quarter's
    money step (TEL profit, and GP's part above the threshold), or follows from one by the
    plan's split and the page's own formulas; the threshold itself is policy. Below the
    threshold nothing is shared and nothing depends on a salary: GP is shown as booked."""
    q = Quarter.parse(view.quarter)
    r = compute_quarter(plan, roster, months, q)
    step = view.money_step
    assert step == money_step(r)
    if r.tel_profit > 0:
        assert view.tel_profit > 0 and view.tel_profit % step == 0
        assert 2 * abs(view.tel_profit - r.tel_profit) <= step  # rounded, half-up
        assert 20 * step >= r.tel_profit  # never finer than +-2.5% of TEL profit
        assert view.above_threshold == view.tel_profit
    else:
        assert step == 1 and view.tel_profit == 0 and view.gp_to_date == r.gp_total
    assert view.above_threshold == view.gp_to_date - view.threshold_to_date
    assert view.gp_still_needed == max(0, view.threshold_full_quarter - view.gp_to_date)
    split = split_profit(view.tel_profit, plan)
    assert (view.house, view.staff_pool, view.team_pool, view.merit_pool) == split
    # every variant at its default: what is paid out is the staff pool, nothing else moves
    assert view.paid_pool == (view.staff_pool if view.gates.passed else 0)
    assert view.carry_in == view.deferred_in == view.held_back == view.released == 0
    assert view.employer_tax == 0
    pool_step = split_profit(max(0, view.above_threshold + 100_000), plan)[1] - view.staff_pool
    assert view.marginal_staff_pool_per_1000 == pool_step
    n = view.eligible_count
    if view.average_check_if_gates_pass is not None:
        at_stake = round_half_up(Fraction(view.staff_pool, n * 100)) * 100  # whole dollars
        assert view.average_check_if_gates_pass == at_stake
        assert view.average_check == (at_stake if view.gates.passed else 0)
    if view.marginal_average_check_per_1000 is not None:
        per_person = round_half_up(Fraction(pool_step, n)) if view.gates.passed else 0
        assert view.marginal_average_check_per_1000 == per_person
    for past in view.past_quarters:
        rp = compute_quarter(plan, roster, months, Quarter.parse(past.quarter))
        assert past.tel_profit % money_step(rp) == 0
        assert 2 * abs(past.tel_profit - rp.tel_profit) <= money_step(rp)
        assert past.staff_pool == split_profit(past.tel_profit, plan)[1]
        assert past.paid_pool == (past.staff_pool if rp.gates.passed else 0)
        if past.average_check is not None:
            n = past.eligible_count
            assert past.average_check == round_half_up(Fraction(past.staff_pool, n * 100)) * 100


def test_the_team_view_never_shows_finer_money_than_its_step() -> None:
    v = team_view(PLAN, ROSTER, MONTHS, Q3)
    # The worked example: TEL profit $15,000 = 3 x $5,000, the rest by the 25% / 50% split.
    assert (v.money_step, v.tel_profit, v.above_threshold) == (500_000, 1_500_000, 1_500_000)
    assert_never_finer_than_its_step(v, PLAN, ROSTER, MONTHS)
    for quarter in (Quarter(2026, 4), Quarter(2026, 1)):  # one month; a failing gate
        view = team_view(PLAN, ROSTER, MONTHS, quarter)
        assert_never_finer_than_its_step(view, PLAN, ROSTER, MONTHS)
    failing = [*Q3_MONTHS[:2], month("2026-09", 73_434, cash=46_880)]
    low = [month("2026-07", 50_000), month("2026-08", 50_000), month("2026-09", 50_000)]
    cases = [(ROSTER, MONTHS[:8]), (ROSTER, failing), (ROSTER, low), (ROSTER[:2], MONTHS),
             ([], MONTHS)]  # partial; failing gate; below Min GP; hidden; nobody eligible
    for roster, months in cases:
        view = team_view(PLAN, roster, months, Q3)
        assert_never_finer_than_its_step(view, PLAN, roster, months)


@settings(max_examples=examples(150), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(roster=staff(Q3_END), months=books(), min_group=st.integers(1, 4))
def test_random_team_views_never_show_finer_money_than_their_step(
    roster: list[Person], months: list[Month], min_group: int
) -> None:
    view = team_view(PLAN, roster, months, Q3, min_group=min_group)
    assert_never_finer_than_its_step(view, PLAN, roster, months)


def test_per_check_figures_are_hidden_below_the_privacy_threshold() -> None:
    two = ROSTER[:2]
    v = team_view(PLAN, two, MONTHS, Q3)
    assert v.eligible_count == 2 and v.min_group == 3
    assert v.average_check is None and v.average_check_if_gates_pass is None
    assert v.marginal_average_check_per_1000 is None
    assert v.average_check_note.startswith("Hidden: fewer than 3 people share the pool")
    assert v.marginal_note == v.average_check_note
    assert all(p.average_check is None for p in v.past_quarters)
    # The pot itself stays visible. Avery and Bianca: heaviest share 4,630,500 / 8,995,500
    # = 0.51476, 2 u X = 0.154427 x 16,120 = $2,489.37 -> S = $5,000, X^ = $15,000.
    assert v.money_step == 500_000 and v.staff_pool == 1_125_000
    shown = team_view(PLAN, two, MONTHS, Q3, min_group=2)
    assert shown.average_check == 562_500  # $11,250 / 2 = $5,625


def test_nobody_eligible_has_no_average_to_show() -> None:
    v = team_view(PLAN, ROSTER[4:], MONTHS, Q3)
    assert v.eligible_count == 0 and v.average_check is None
    assert v.average_check_note.startswith("Nobody is eligible")


def test_the_salary_based_total_weight_never_leaves_the_aggregates() -> None:
    agg = team_aggregates(PLAN, ROSTER, MONTHS, Q3)
    # The worked example's W^ = round(2.25753e13 / 5e12 = 4.515) x 5e12, not W itself.
    assert agg.total_weight_units == 25_000_000_000_000
    assert compute_quarter(PLAN, ROSTER, MONTHS, Q3).total_weight == 22_575_300_000_000
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
    # $20,000 written off > the public X^ of $15,000: the whole public staff pool, $11,250,
    # and never more, whatever is typed.
    assert writeoff_cost(PLAN, ROSTER, MONTHS, Q3, 200, 100) == WORKED_STAFF
    assert writeoff_cost(PLAN, ROSTER, MONTHS, Q3, 10_000, 1_000) == WORKED_STAFF
    # $15,500 is less than the exact TEL profit ($16,120) but more than the public one.
    e = writeoff_effect(PLAN, ROSTER, MONTHS, Q3, 155, 100)
    assert e.staff_pool_cost == WORKED_STAFF and "$11,250.00 (all of it)" in e.sentence


def test_writeoff_hours_and_rates_round_half_up_to_the_cent() -> None:
    e = writeoff_effect(PLAN, ROSTER, MONTHS, Q3, "2.5", "99.99")  # $249.975 -> $249.98
    assert e.gp_removed == 24_998
    assert e.sentence.startswith("2.5 hours written off at $99.99 an hour")


def test_a_writeoff_while_a_gate_fails_says_nothing_is_paid() -> None:
    failing = [*Q3_MONTHS[:2], month("2026-09", 73_434, cash=46_880)]
    e = writeoff_effect(PLAN, ROSTER, failing, Q3, 10, 150)
    # On the public figures: staff pool(X^ = $15,000) - staff pool($13,500) = $1,125.00.
    # The average check cost is the documented staff_pool_cost / eligible, i.e. the cost to
    # the average check at stake ($281.25), not 0; the sentence says nothing is paid.
    assert e.staff_pool_cost == 112_500 and e.average_check_cost == 28_125
    assert e.sentence == (
        "10 hours written off at $150.00 an hour cost the staff pool $1,125.00; "
        "nothing is paid this quarter: the cash gate failed."
    )


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
    assert now.gp_total == 20_100_000 and now.staff_pool == WORKED_STAFF  # public figures
    assert now.team == 112_500  # public team pool 562,500 / 5
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
    # The scenarios start from the public GP^ = $201,000; 10% of it is $20,100.
    booked, lower, higher, chosen = e.scenarios
    assert booked.gp_total == agg.gp_total == 20_100_000
    assert (lower.gp_total, higher.gp_total) == (18_090_000, 22_110_000)
    assert lower.tel_profit == 0  # 180,900 < 186,000
    assert (higher.tel_profit, higher.staff_pool) == (3_510_000, 2_632_500)  # 35,100 x 75%
    assert chosen.label == "full quarter at $70,000.00 a month" and chosen.gp_total == 21_000_000


def test_a_partial_quarter_adds_a_full_quarter_at_this_pace() -> None:
    agg = team_aggregates(PLAN, ROSTER, MONTHS[:8], Q3)
    e = estimate_check(agg, 60_000, date(2022, 3, 1), PLAN, Q3_END, Q3_PAY)
    pace = e.scenarios[-1]
    assert pace.label == "full quarter at this pace" and pace.months == 3
    assert pace.gp_total == 19_350_000  # public GP^ 129,000 x 3 / 2


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
    assert e.now is not None and e.now.staff_pool == WORKED_STAFF  # the public pool at stake
    assert "Every check is $0: the cash gate failed" in e.note


def test_the_merit_share_is_hidden_when_the_group_is_small() -> None:
    agg = team_aggregates(PLAN, ROSTER[:2], MONTHS, Q3)
    e = estimate_check(agg, 60_000, date(2022, 3, 1), PLAN, Q3_END, Q3_PAY)
    assert not e.merit_shown
    assert all(s.merit is None and s.total is None for s in e.scenarios)
    # Public team pool $5,625 (see test_per_check_figures_are_hidden_below_the_privacy_threshold)
    assert e.now is not None and e.now.team == 187_500  # 562,500 / 3: the team part is shown
    assert "Only your team share is shown" in e.note
    shown = estimate_check(agg, 60_000, date(2022, 3, 1), PLAN, Q3_END, Q3_PAY, min_group=2)
    assert shown.merit_shown and shown.now is not None and shown.now.merit is not None


def test_alone_in_the_group_the_estimate_is_the_whole_pool() -> None:
    agg = team_aggregates(PLAN, [], MONTHS, Q3)  # nobody to protect, nothing hidden
    # Nobody eligible: u = 2.5%, 2 u X = 5% x 16,120 = $806 -> S = $1,000;
    # X^ = round(16.12) x 1,000 = $16,000, staff pool 75% = $12,000.
    assert agg.staff_pool == 1_200_000
    e = estimate_check(agg, 60_000, date(2022, 3, 1), PLAN, Q3_END, Q3_PAY)
    assert e.now is not None and e.now.total == 1_200_000


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


def _quota(
    plan: Plan, profit: int, total_w: int, w: int, group: int, counted: bool
) -> Fraction:
    """The estimator's formula before rounding: the person's exact share of the pools at TEL
    profit ``profit`` with the others' (``counted``: everyone's) weight ``total_w``."""
    _, _, team_pool, merit_pool = split_profit(profit, plan)
    all_w = total_w if counted else total_w + w
    share = Fraction(w, all_w) if all_w else Fraction(1, group)  # all 0: merit shared equally
    return Fraction(team_pool, group) + merit_pool * share


def _unrounded(value: int, step: int, floor: int = 0) -> tuple[int, int]:
    """The whole numbers that ``tel.analysis.privacy.round_to`` (half-up) sends to ``value``:
    ``value / step - 1/2 <= x / step < value / step + 1/2``, within ``[value - step // 2,
    value + step // 2]``; only 0 rounds to 0 (TEL profit, total weight). Clamped at ``floor``."""
    if value == 0:
        return 0, 0
    return max(floor, value - step // 2, 1), value + step // 2


def _check_bounds(
    plan: Plan, pq: PublicQuarter, w: int, counted: bool
) -> tuple[Fraction, Fraction]:
    """The least and the most the estimator's formula gives anywhere in the public rounding
    box: TEL profit within half a money step of ``pq.tel_profit``, the group's weight within
    half a weight step of ``pq.total_weight``. The formula grows with TEL profit (every pool
    of ``split_profit`` is non-decreasing in it) and shrinks as the weight grows, so the
    extremes are two corners of the box."""
    group = pq.eligible_count if counted else pq.eligible_count + 1
    x_lo, x_hi = _unrounded(pq.tel_profit, pq.money_step)
    w_lo, w_hi = _unrounded(pq.total_weight, pq.weight_step, w if counted else 0)
    return (
        _quota(plan, x_lo, w_hi, w, group, counted),
        _quota(plan, x_hi, w_lo, w, group, counted),
    )


@settings(max_examples=examples(200), deadline=None)
@given(
    crew=eligible_crew(),
    me=newcomer,
    months=quarter_books(),
    team_pct=st.sampled_from([Decimal(0), Decimal(50), Decimal("33.3333"), Decimal(100)]),
)
def test_the_estimate_is_the_exact_formula_on_the_public_aggregates(
    crew: list[Person], me: dict[str, Decimal | date], months: list[Month], team_pct: Decimal
) -> None:
    """team = round(team_pool^ / (N + 1)), merit = round(merit_pool^ x w / (W^ + w)), both
    half-up to the cent, from the quarter's public figures and nothing finer."""
    plan = Plan(team_pct=team_pct)
    salary, start, perf = me["salary"], me["start"], me["performance"]
    assert isinstance(salary, Decimal) and isinstance(start, date) and isinstance(perf, Decimal)
    you = Person(name="You Yourself", salary=salary, start_date=start, performance=perf)
    for roster, counted in ((crew, False), ([*crew, you], True)):
        pq = public_quarter(compute_quarter(plan, roster, months, Q3), plan)
        agg = team_aggregates(plan, roster, months, Q3)
        assert (agg.gp_total, agg.tel_profit, agg.staff_pool, agg.team_pool, agg.merit_pool) == (
            pq.gp, pq.tel_profit, pq.staff_pool, pq.team_pool, pq.merit_pool,
        )
        assert agg.total_weight_units == pq.total_weight
        assert agg.eligible_count == pq.eligible_count
        w = weight_units(to_cents(salary), completed_months(start, Q3_END), perf)
        e = estimate_check(
            agg, salary, start, plan, Q3_END, Q3_PAY, perf, counted=counted, min_group=1
        )
        now = e.now
        assert now is not None and now.merit is not None and now.total is not None
        assert (now.tel_profit, now.staff_pool) == (pq.tel_profit, pq.staff_pool)
        group = pq.eligible_count if counted else pq.eligible_count + 1
        assert e.group_size == group
        if not agg.gates_passed:
            assert now.team == now.merit == 0
            continue
        all_w = max(pq.total_weight, w) if counted else pq.total_weight + w  # share <= 1
        share = Fraction(w, all_w) if all_w else Fraction(1, group)
        assert now.team == round_half_up(Fraction(pq.team_pool, group))
        assert now.merit == round_half_up(pq.merit_pool * share)


@settings(max_examples=examples(200), deadline=None)
@given(
    crew=eligible_crew(),
    me=newcomer,
    months=quarter_books(),
    team_pct=st.sampled_from([Decimal(0), Decimal(50), Decimal("33.3333"), Decimal(100)]),
)
def test_the_estimate_is_within_the_public_rounding_of_the_exact_check(
    crew: list[Person], me: dict[str, Decimal | date], months: list[Month], team_pct: Decimal
) -> None:
    """The bound, derived. The true TEL profit X and weight W lie in the public rounding box
    (X^ +- S/2, W^ +- S_W/2), and the exact path pays each part as the floor or the ceiling
    of the same formula at (X, W) (largest remainder): the exact check is within 2 cents of
    the formula's range over the box, [lo, hi]. The estimate is the formula at (X^, W^),
    itself in the box, each part rounded half-up: within 1 cent of [lo, hi]. So

        lo - 2 < exact < hi + 2        and        |estimate - exact| < hi - lo + 3 cents.

    ``hi - lo`` is what the rounding hides: about (1 - house%) x S / 2 over the group for
    the team part, and the merit pool's share moved by S_W / 2 of weight for the merit part.
    """
    plan = Plan(team_pct=team_pct)
    salary, start, perf = me["salary"], me["start"], me["performance"]
    assert isinstance(salary, Decimal) and isinstance(start, date) and isinstance(perf, Decimal)
    you = Person(name="You Yourself", salary=salary, start_date=start, performance=perf)
    w = weight_units(to_cents(salary), completed_months(start, Q3_END), perf)
    for aggregated, counted in ((crew, False), ([*crew, you], True)):
        r = compute_quarter(plan, aggregated, months, Q3)
        pq = public_quarter(r, plan)
        # The premise: the exact figures are in the box.
        x_lo, x_hi = _unrounded(pq.tel_profit, pq.money_step)
        w_lo, w_hi = _unrounded(pq.total_weight, pq.weight_step)
        assert x_lo <= r.tel_profit <= x_hi and w_lo <= r.total_weight <= w_hi
        agg = team_aggregates(plan, aggregated, months, Q3)
        e = estimate_check(
            agg, salary, start, plan, Q3_END, Q3_PAY, perf, counted=counted, min_group=1
        )
        now = e.now
        assert now is not None and now.total is not None
        for roster in ([*crew, you], [you, *crew]):  # roster order moves a cent at most
            exact = next(
                p for p in compute_quarter(plan, roster, months, Q3).payouts
                if p.name == you.name
            )
            if not agg.gates_passed:
                assert now.total == exact.total == 0
                continue
            lo, hi = _check_bounds(plan, pq, w, counted)
            assert lo - 2 < exact.total < hi + 2
            assert lo - 1 <= now.total <= hi + 1
            assert abs(now.total - exact.total) < hi - lo + 3


def test_someone_already_counted_can_always_be_estimated() -> None:
    you = person("Yusuf Amari", 70_000, "2025-11-30")  # 10 months at 2026-09-30
    light = [
        person(f"{n} Okafor", 20_000, "2025-12-30", performance=Decimal("0.1"))  # 9 months
        for n in ("Ines", "Jonas")
    ]
    agg = team_aggregates(PLAN, [you, *light], Q3_MONTHS, Q3)
    # w = 7,000,000 cents x 10 x 10,000 = 7e11; the two others 2,000,000 x 9 x 1,000 = 1.8e10
    # each, W = 7.36e11; S_W = nice(30% x 7e11 = 2.1e11) = 5e11, W^ = round(1.472) x 5e11.
    assert agg.eligible_count == 3 and agg.total_weight_units == 500_000_000_000 < 7 * 10**11
    e = estimate_check(agg, 70_000, you.start_date, PLAN, Q3_END, Q3_PAY, counted=True)
    assert e.now is not None and e.now.total is not None
    assert e.now.total <= agg.staff_pool


def test_aggregates_carry_no_roster_name_or_salary() -> None:
    agg = team_aggregates(PLAN, ROSTER, MONTHS, Q3)
    text = agg.model_dump_json().casefold()
    for p in ROSTER:
        for s in [*name_forms(p.name), *salary_forms(p.salary)]:
            assert s.casefold() not in text
    assert isinstance(agg, TeamAggregates)


# --------------------------------------------------------------------------------------------
# Plan variants (spec part two): the public pools are the rules kernel on the public figures

VARIANT_PLAN = Plan(
    payroll_tax=PayrollTax(employer_pct=Decimal("7.65")),
    reserve=Reserve(holdback_pct=Decimal(10)),
    gate_failure=GateFailure(policy="defer"),
    min_house=Decimal(2000),
)
# The year of MONTHS, completed: Q1's cash gate fails (its pool is deferred), Q2 is below Min GP
# (it pays the deferred pool), Q3 holds back 10%, Q4 is complete and releases the reserve.
YEAR = [*MONTHS, month("2026-11", 66_000), month("2026-12", 64_000)]
LEDGER_POOLS = ("tel_profit", "house", "staff_pool", "team_pool", "merit_pool", "deferred_in",
                "reserve_in", "held_back", "released", "employer_tax", "paid_pool")


def assert_public_pools_add_up(pq: PublicQuarter, plan: Plan) -> None:
    """Section 10's sums, on the public figures."""
    assert pq.house + pq.staff_pool == pq.tel_profit
    assert pq.house >= min(to_cents(plan.min_house), pq.tel_profit)
    if pq.gates_passed:
        available = pq.staff_pool + pq.deferred_in - pq.held_back + pq.released
        assert available == pq.paid_pool + pq.employer_tax
        tax = Fraction(pq.paid_pool) * Fraction(plan.payroll_tax.employer_pct) / 100
        assert abs(pq.employer_tax - tax) <= 1
        assert pq.team_pool + pq.merit_pool == pq.paid_pool
    else:
        assert pq.paid_pool == pq.held_back == pq.released == pq.employer_tax == 0
        assert pq.team_pool + pq.merit_pool == pq.staff_pool  # what was at stake
    for x in (pq.tel_profit, pq.deferred_in, pq.reserve_in):
        assert x % pq.money_step == 0  # never finer than the step


def test_the_public_pools_under_variants_add_up_and_show_what_is_paid() -> None:
    released = deferred = 0
    for q in (Quarter(2026, k) for k in (1, 2, 3, 4)):
        r = compute_quarter(VARIANT_PLAN, ROSTER, YEAR, q)
        pq = public_quarter(r, VARIANT_PLAN)
        assert_public_pools_add_up(pq, VARIANT_PLAN)
        view = team_view(VARIANT_PLAN, ROSTER, YEAR, q)
        assert (view.paid_pool, view.team_pool, view.merit_pool) == (
            pq.paid_pool, pq.team_pool, pq.merit_pool)
        assert (view.held_back, view.released, view.employer_tax, view.deferred_in) == (
            pq.held_back, pq.released, pq.employer_tax, pq.deferred_in)
        n = view.eligible_count
        if_passed = pq.pools_at(pq.tel_profit, VARIANT_PLAN, passed=True).paid_pool
        assert view.average_check_if_gates_pass == round_half_up(Fraction(if_passed, n * 100)) * 100
        assert view.average_check == (view.average_check_if_gates_pass if r.gates.passed else 0)
        released += r.released
        deferred += r.deferred_in
    assert released and deferred  # the example goes through both


def test_a_deferred_pool_is_paid_with_the_next_passing_quarter_even_without_tel_profit() -> None:
    q2 = team_view(VARIANT_PLAN, ROSTER, YEAR, Quarter(2026, 2))
    r = compute_quarter(VARIANT_PLAN, ROSTER, YEAR, Quarter(2026, 2))
    # Q1's staff pool (24,000 - max(25%, $2,000) = $18,000) was deferred; Q2 has no TEL profit.
    assert r.tel_profit == 0 and r.deferred_in == 1_800_000 and r.paid_pool > 0
    # The step is taken on what can be shared (TEL profit + balances), so the deferred pool
    # is rounded like a TEL profit: 2 u B = 0.138 x $18,000 -> $5,000; D^ = $20,000.
    assert q2.money_step == 500_000 and q2.deferred_in == 2_000_000
    assert q2.paid_pool == round_half_up(Fraction(2_000_000) * 100 / Fraction("107.65"))
    assert q2.average_check is not None and q2.average_check > 0
    assert "pays out this quarter" in q2.average_check_note
    q1 = q2.past_quarters[0]
    assert not q1.paid
    assert q1.note.endswith("the pool is held for the next quarter whose gates pass")


def test_with_a_one_cent_step_the_public_pools_are_the_exact_ones() -> None:
    for q in (Quarter(2026, k) for k in (1, 2, 3, 4)):
        r = compute_quarter(VARIANT_PLAN, ROSTER, YEAR, q)
        pq = public_quarter(r, VARIANT_PLAN, step=1)
        assert {f: getattr(pq, f) for f in LEDGER_POOLS} == {f: getattr(r, f) for f in LEDGER_POOLS}
        assert pq.gp == r.gp_total




@settings(max_examples=examples(40), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(case=cases())
def test_public_pools_add_up_under_every_variant_and_are_exact_at_a_one_cent_step(
    case: Case,
) -> None:
    s = scenario_of(case)
    for name in case.quarters:
        r = compute_scenario(s, Quarter.parse(name))
        pq = public_quarter(r, s.plan)
        assert_public_pools_add_up(pq, s.plan)
        if r.tel_profit > 0 or r.deferred_in or r.reserve_in:
            assert 20 * pq.money_step >= r.tel_profit + r.deferred_in + r.reserve_in
        exact = public_quarter(r, s.plan, step=1)
        assert_public_pools_add_up(exact, s.plan)
        assert {f: getattr(exact, f) for f in LEDGER_POOLS} == {
            f: getattr(r, f) for f in LEDGER_POOLS}
        # GP over the threshold, plus what is carried in and the weak months a monthly floor
        # does not count, is the excess the plan counts: the TEL profit when there is one
        assert exact.above_threshold == r.gp_total - exact.threshold
        if r.tel_profit > 0:
            assert exact.excess == r.tel_profit and pq.excess == pq.tel_profit
            assert 2 * abs(pq.gp - r.gp_total) <= pq.money_step  # GP^ - GP = X^ - X
        else:
            assert pq.gp == r.gp_total
        view = team_view_of(r, s.plan)
        assert view.paid_pool == pq.paid_pool


def test_the_estimate_under_variants_shares_what_the_plan_pays_out_and_keeps_the_cap() -> None:
    plan = VARIANT_PLAN.model_copy(update={"caps": Caps(max_pct_of_salary=Decimal(2))})
    agg = team_aggregates(plan, ROSTER, YEAR, Quarter(2026, 4))
    pq = public_quarter(compute_quarter(plan, ROSTER, YEAR, Quarter(2026, 4)), plan)
    assert (agg.paid_pool, agg.team_pool, agg.merit_pool) == (
        pq.paid_pool, pq.team_pool, pq.merit_pool)
    end, pay = date(2026, 12, 31), plan.pay_date(Quarter(2026, 4))
    e = estimate_check(agg, 60_000, date(2022, 3, 1), plan, end, pay, min_group=1)
    now = e.now
    assert now is not None and now.total is not None and now.merit is not None
    assert now.paid_pool == pq.paid_pool
    group = agg.eligible_count + 1
    team = round_half_up(Fraction(pq.team_pool, group))
    w = weight_units(6_000_000, completed_months(date(2022, 3, 1), end), Decimal(1))
    merit = round_half_up(pq.merit_pool * Fraction(w, agg.total_weight_units + w))
    cap = 120_000  # 2% of $60,000
    assert team + merit > cap and now.total == cap  # the cap bites: merit gives way first
    assert now.team == min(team, cap) and now.merit == cap - now.team
    assert "goes back to the house" in e.note
    assert all(s.total is not None and s.total <= cap for s in e.scenarios)
    higher = e.scenarios[2]  # GP 10% higher: the kernel at that GP with the public balances
    assert higher.paid_pool == pq.pools_at(
        pq.profit_at_extra_gp(higher.gp_total - agg.gp_total), plan).paid_pool
    with pytest.raises(ValueError, match="another plan"):
        estimate_check(agg, 60_000, date(2022, 3, 1), Plan(), end, pay)


# --------------------------------------------------------------------------------------------
# The netting modes and the merit formulas: what the pot says follows the plan in force

FLOOR = Plan(netting=Netting(mode="monthly_floor"))
CARRY = Plan(netting=Netting(mode="carry_forward"))


def test_the_pot_under_a_monthly_floor_shows_gp_and_tel_profit_each_rounded_from_its_own_figure(
) -> None:
    """2026-Q3 under a monthly floor: GP $202,120 is $16,120 over Min GP, but August's $2,657
    below Min GP costs nothing, so TEL profit is $18,777. The pot once showed GP as Min GP +
    the rounded TEL profit, about $206,000 here, and "above Min GP" as the TEL profit."""
    r = compute_quarter(FLOOR, ROSTER, MONTHS, Q3)
    assert (r.gp_total, r.tel_profit) == (20_212_000, 1_877_700)
    v = team_view(FLOOR, ROSTER, MONTHS, Q3)
    half = v.money_step // 2
    assert v.floor_gap == 265_700  # August: $62,000 - $59,343
    assert abs(v.tel_profit - r.tel_profit) <= half and v.tel_profit % v.money_step == 0
    assert abs(v.gp_to_date - r.gp_total) <= half  # GP as booked, within half a step
    assert abs(v.above_threshold - 1_612_000) <= half  # GP over Min GP, not the TEL profit
    assert v.above_threshold == v.gp_to_date - v.threshold_to_date
    # the sums on the page add up: above Min GP + the weak month's gap = TEL profit
    assert v.above_threshold + v.floor_gap == v.tel_profit
    assert "a month below Min GP costs nothing" in v.above_note
    assert "$2,657 below Min GP is not set against the strong ones" in v.above_note
    assert "made up" not in v.above_note.replace("not made up", "")
    assert v.tel_profit_note == ("What each month booked made above Min GP, added up (a month "
                                 "below Min GP counts as $0).")
    assert_public_pools_add_up(public_quarter(r, FLOOR), FLOOR)
    # under quarter netting nothing changes: GP = Min GP + the rounded TEL profit
    q = team_view(PLAN, ROSTER, MONTHS, Q3)
    assert q.floor_gap == 0 and q.above_threshold == q.tel_profit
    assert q.above_note == "A weak month is made up by strong ones in the same quarter."
    assert q.tel_profit_note == ("Quarter GP above Min GP for the months booked, never "
                                 "below $0.")


def test_a_monthly_floor_counts_extra_gp_in_the_best_month_and_keeps_what_was_made() -> None:
    two = [month("2026-07", 70_000), month("2026-08", 50_000)]  # $8,000 made; $12,000 weak
    v = team_view(FLOOR, ROSTER, two, Q3)
    assert v.floor_gap == 1_200_000 and v.tel_profit > 0
    assert v.gp_still_needed == 0  # a weak September cannot take July's TEL profit away
    assert "what is made is kept" in v.rest_of_quarter
    assert "the month still to come adds what it makes above Min GP" in v.rest_of_quarter
    assert v.marginal_staff_pool_per_1000 == 75_000  # all of it: July is above Min GP
    weak = [month("2026-07", 61_000), month("2026-08", 50_000)]
    w = team_view(FLOOR, ROSTER, weak, Q3)
    assert (w.tel_profit, w.gp_to_date, w.floor_gap) == (0, 11_100_000, 1_200_000)
    assert w.gp_still_needed == 6_200_000  # one month above Min GP
    assert w.marginal_note.startswith(
        "$0 for now: the best month booked is $1,000.00 below Min GP")
    assert w.rest_of_quarter.startswith("No month booked so far made more than Min GP")


def test_the_pot_under_carry_forward_says_the_shortfall_carried_in_is_made_up_first() -> None:
    r = compute_quarter(CARRY, ROSTER, MONTHS, Q3)
    assert r.carry_in == -300_000  # Q2 ended $3,000 below Min GP
    v = team_view(CARRY, ROSTER, MONTHS, Q3)
    assert abs(v.gp_to_date - r.gp_total) <= v.money_step // 2
    assert v.above_threshold + v.carry_in == v.tel_profit
    assert "first makes up the $3,000 shortfall carried in" in v.above_note
    assert "less the $3,000 shortfall carried in" in v.tel_profit_note
    partial = team_view(CARRY, ROSTER, MONTHS[:8], Q3)
    assert partial.carry_in == -300_000
    assert "$3,000 shortfall carried in from earlier in the fiscal year to make up first" \
        in partial.rest_of_quarter


@pytest.mark.parametrize("formula", ["salary_x_years", "salary_x_log_years",
                                     "salary_x_capped_years", "salary", "years"])
def test_the_pot_and_the_estimator_name_the_plans_merit_formula(formula: str) -> None:
    plan = Plan(merit=Merit(formula=formula, cap_years=Decimal(6)))
    words = dict(BY_NAME["merit_formula"].choices)[formula].split(":")[0].lower()
    assert words in merit_words(plan)
    v = team_view(plan, ROSTER, MONTHS, Q3)
    assert f"by merit weight ({merit_words(plan)}, times performance)" in v.pools_note
    assert ("salary x years" in v.pools_note) == (formula in ("salary_x_years",
                                                               "salary_x_capped_years"))
    agg = team_aggregates(plan, ROSTER, MONTHS, Q3)
    e = estimate_check(agg, 70_000, date(2019, 1, 1), plan, Q3_END, Q3_PAY)
    assert merit_words(plan) in e.merit_help and merit_words(plan) in e.note
    assert e.team_help == f"The team pool shared equally by {e.group_size} people."
    assert merit_words(Plan(merit=Merit(formula="salary_x_capped_years",
                                        cap_years=Decimal(6)))).endswith("capped at 6")


def test_the_pools_note_says_what_is_paid_out_under_variants_and_how_it_is_shared() -> None:
    plan = VARIANT_PLAN.model_copy(update={"partial": "prorate"})
    v = team_view(plan, ROSTER, YEAR, Q3)
    assert v.gates.passed and v.paid_pool != v.staff_pool
    assert f"Of what is paid out (about {format_money(v.paid_pool, cents_shown=False)})" \
        in v.pools_note
    assert "shared by the days each person counts" in v.pools_note
    assert "in equal checks" in team_view(PLAN, ROSTER, MONTHS, Q3).pools_note


@pytest.mark.parametrize("plan", [FLOOR, CARRY], ids=["monthly_floor", "carry_forward"])
def test_the_estimate_under_a_netting_mode_starts_from_the_pots_tel_profit(plan: Plan) -> None:
    agg = team_aggregates(plan, ROSTER, MONTHS, Q3)
    v = team_view(plan, ROSTER, MONTHS, Q3)
    e = estimate_check(agg, 70_000, date(2019, 1, 1), plan, Q3_END, Q3_PAY, counted=True,
                       average_monthly_gp=70_000)
    assert e.now is not None and e.now.tel_profit == v.tel_profit
    assert e.now.staff_pool == v.staff_pool and e.now.gp_total == v.gp_to_date
    higher = e.scenarios[2]  # GP 10% higher, all of it counted
    assert higher.tel_profit == v.tel_profit + higher.gp_total - v.gp_to_date
    chosen = e.scenarios[-1]  # three months of $70,000: $8,000 over Min GP each
    assert chosen.tel_profit == 2_400_000 - (300_000 if plan is CARRY else 0)
    assert ("Each month counts on its own" in e.note) == (plan is FLOOR)
    assert ("shortfall carried in" in e.note) == (plan is CARRY)


def test_past_quarters_show_the_public_paid_pool_and_say_why_an_average_is_missing() -> None:
    """The pot's history: what was paid out is the public figure (the kernel on the rounded
    TEL profit and balances), never the exact one; a hidden average says so."""
    v = team_view(VARIANT_PLAN, ROSTER, YEAR, Quarter(2026, 4))
    assert [p.quarter for p in v.past_quarters] == ["2026-Q1", "2026-Q2", "2026-Q3"]
    for p in v.past_quarters:
        r = compute_quarter(VARIANT_PLAN, ROSTER, YEAR, Quarter.parse(p.quarter))
        pq = public_quarter(r, VARIANT_PLAN)
        assert (p.tel_profit, p.staff_pool, p.paid_pool) == (
            pq.tel_profit, pq.staff_pool, pq.paid_pool)
        if r.paid_pool:
            assert p.paid_pool != r.paid_pool  # the exact payout stays private
        assert p.average_text == ("" if p.average_check is None
                                  else format_money(p.average_check, cents_shown=False))
    q1 = v.past_quarters[0]
    assert not q1.paid and q1.average_text == "" and not q1.average_hidden
    small = team_view(VARIANT_PLAN, ROSTER[:2], YEAR, Quarter(2026, 4))
    q3 = small.past_quarters[2]
    assert q3.paid and q3.average_check is None and q3.average_hidden
    assert q3.average_text == "hidden"


# --------------------------------------------------------------------------------------------
# The chance of a bonus and the ranges (tel.analysis.team_risk)


def _risk(roster: list[Person], months: list[Month] = MONTHS, quarter: str = "2026-Q4"
          ) -> TeamRisk | None:
    return team_risk(compute_quarter(PLAN, roster, months, Quarter.parse(quarter)), PLAN, months)


def test_the_chance_and_ranges_depend_on_salaries_only_through_the_heaviest_share() -> None:
    """Like the team view: names never matter, salaries only through the money step."""
    risk = _risk(ROSTER)
    assert risk is not None and risk.quarter == "2026-Q4"
    assert risk.chance_pct % 5 == 0
    same = _risk(same_shares(ROSTER))
    assert same is not None and same.model_dump_json() == risk.model_dump_json()
    moved = [ROSTER[0].model_copy(update={"salary": Decimal(52_900)}), ROSTER[1],
             ROSTER[2].model_copy(update={"salary": Decimal(63_300)}), *ROSTER[3:]]
    again = _risk(moved)
    assert again is not None and again.model_dump_json() == risk.model_dump_json()
    text = risk.model_dump_json().casefold()
    for p in ROSTER:
        for s in [*name_forms(p.name), *salary_forms(p.salary)]:
            assert s.casefold() not in text, s


def test_a_complete_quarter_gets_no_chance() -> None:
    assert _risk(ROSTER, quarter="2026-Q3") is None


def test_the_estimators_range_uses_the_public_pools_and_weight() -> None:
    """My check at the two rounded pool percentiles, shared like the estimate."""
    r = compute_quarter(PLAN, ROSTER, MONTHS, Quarter(2026, 4))
    risk = team_risk(r, PLAN, MONTHS)
    assert risk is not None and risk.pool_range is not None
    agg = aggregates_of(r, PLAN)
    q4_end, q4_pay = date(2026, 12, 31), PLAN.pay_date(Quarter(2026, 4))
    e = estimate_check(agg, 70_000, date(2019, 1, 1), PLAN, q4_end, q4_pay,
                       pool_range=risk.pool_range)
    assert e.range_p10 is not None and e.range_p90 is not None
    assert 0 <= e.range_p10 <= e.range_p90
    step = public_quarter(r, PLAN).money_step
    assert all(pool % step == 0 for pool in risk.pool_range)
    assert estimate_check(agg, 70_000, date(2019, 1, 1), PLAN, q4_end, q4_pay).range_p10 is None
