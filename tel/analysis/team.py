"""What the whole team may see: the pot, the gates, the average check, and nothing personal.

Privacy by construction. Pages for employees render only what this module returns, and
every model here is built from company figures, pools and head counts:

* ``TeamView`` never holds a name, a salary, a merit weight or one person's check. It does
  not even depend on them: the average check is ``paid_pool / eligible_count`` whatever the
  salaries are, so two rosters that differ only in names and salaries give the same view
  (``tests/test_team.py`` checks exactly that, and searches the JSON for names and salaries).
* Cash and receivables are company numbers, but commercially sensitive ones that nobody can
  act on from a balance. The view shows each gate as pass/fail, the policy limit, the A/R 90+
  *percentage*, and when a gate fails the shortfall (cash short, A/R to collect), because
  that is what people can help with. It never shows the cash balance or the A/R totals.
  (With a failing gate the shortfall and the policy give the balance away; that is accepted.)
* Small groups leak. With one eligible person the average check is that person's check;
  with two, each can subtract their own check from the total and read the other's, and the
  merit part of it gives away a salary. Below ``min_group`` eligible people (default 3)
  every per-check figure (average check, its marginal, the estimator's merit share) is
  replaced by ``None`` and a plain message. Pools stay visible: they are the company's
  figures, and the page exists to show them. Residual leak, documented on purpose: with two
  eligible people the staff pool itself is the sum of their two checks; an owner who finds
  that too much should not publish the team page for such a small group.
* ``TeamAggregates`` (for the estimator) does carry one salary-based figure, the total merit
  weight of the eligible group. It is excluded from ``model_dump``/JSON and from ``repr`` so
  that it cannot reach a browser by accident; only ``estimate_check`` reads it.

Plan variants (spec part two): every pool here comes from the rules kernel
(``tel.rules.pools``) on the public figures, so the pot shows what the plan will actually pay
(``paid_pool``: the staff pool with a deferred pool added, the holdback taken off, the reserve
released in a complete fiscal fourth quarter and the employer's payroll tax taken off), and the
average check and the estimator share that. GP figures read the quarter as the plan nets it:
under ``carry_forward`` the shortfall carried in is made up first; under ``monthly_floor`` the
weak months' GP below Min GP (``floor_gap``) is not set against the strong ones, so the TEL
profit is GP above the threshold plus that gap, and extra GP is taken to land in the best
month booked. The sentences that explain a figure (``TeamView.above_note`` and the like) are
built here from the plan, so the pages say what this plan does, not what the source's does.

Money is in integer cents throughout, rounded half-up where a division happens.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

from pydantic import BaseModel, ConfigDict, Field

from tel.analysis.privacy import PublicQuarter, pools_of_profit, public_quarter
from tel.core.models import Month, Person, Plan
from tel.core.money import Cents, format_money, round_half_up, to_cents, to_dollars
from tel.core.periods import Quarter, completed_months
from tel.core.policy import BY_NAME
from tel.engine.ledger import booked_quarters
from tel.engine.quarter import QuarterResult, compute_quarter
from tel.rules.allocate import cap_check
from tel.rules.eligibility import Eligibility, Prorated, judge, prorated
from tel.rules.gates import Gates
from tel.rules.pools import Step, Terms, pct_of, pct_units, team_merit
from tel.rules.threshold import gp_needed, min_gp
from tel.rules.weights import PERF_SCALE, weight_units

MIN_GROUP = 3
"""Fewest eligible people for which per-check figures are shown (see the module docstring)."""

EXTRA_GP = 100_000
"""The "every extra $1,000 of GP" step, in cents."""

_FROZEN = ConfigDict(frozen=True, extra="forbid")


# --------------------------------------------------------------------------------------------
# Models


class GateView(BaseModel):
    """The gates in plain words, without the company's balances. Money in cents."""

    model_config = _FROZEN

    checked_on: str  # the month whose month-end figures were checked, "2026-09"
    passed: bool
    cash_ok: bool
    ar_ok: bool
    min_cash: Cents  # policy
    cash_short: Cents  # 0 when the cash gate passes
    max_ar90_pct: Decimal  # policy
    ar90_pct: Decimal | None  # share of A/R over 90 days, 1 decimal; None when no A/R
    ar_to_collect: Cents  # 90+ day A/R to collect for the A/R gate to pass; 0 when it passes
    cash_sentence: str
    ar_sentence: str
    summary: str


class PastQuarter(BaseModel):
    """The pot of one earlier quarter. ``average_check`` is None when hidden or nobody shared."""

    model_config = _FROZEN

    quarter: str
    complete: bool  # all three months booked
    tel_profit: Cents
    staff_pool: Cents
    paid: bool
    note: str  # "paid", "not paid: the cash gate failed", ...
    eligible_count: int
    average_check: Cents | None
    approval: int | None = None  # the approval in force these figures come from (None: books)
    paid_pool: Cents = 0  # what the plan paid out, public (staff pool after the variants)
    average_hidden: bool = False  # paid, but too few people to show an average

    @property
    def average_text(self) -> str:
        """The average check for a table: whole dollars, "hidden" for a small group, or
        empty when nothing was paid or nobody was eligible.

        >>> p = PastQuarter(quarter="2026-Q1", complete=True, tel_profit=0, staff_pool=0,
        ...     paid=False, note="", eligible_count=4, average_check=None)
        >>> p.average_text, p.model_copy(update={"average_check": 117650}).average_text
        ('', '$1,177')
        """
        if self.average_check is not None:
            return format_money(self.average_check, cents_shown=False)
        return "hidden" if self.average_hidden else ""


class TeamView(BaseModel):
    """Everything the team page may show for one quarter; aggregates only. Money in cents."""

    model_config = _FROZEN

    quarter: str
    months_booked: tuple[str, ...]
    complete: bool
    gp_to_date: Cents
    min_gp: Cents  # monthly threshold
    threshold_to_date: Cents  # months booked x Min GP
    threshold_full_quarter: Cents  # 3 x Min GP
    above_threshold: Cents  # gp_to_date - threshold_to_date; negative while short
    gp_still_needed: Cents  # GP the rest of the quarter must add before any TEL profit
    progress_pct: Decimal | None  # gp_to_date / threshold_full_quarter in %, 1 decimal; may be
    # below 0 or above 100 (a progress bar clamps); None when Min GP is 0
    money_step: Cents  # the money figures are rounded to this (tel.analysis.privacy)
    rest_of_quarter: str  # what the months still to come must do ("" when complete)
    tel_profit: Cents
    house: Cents
    staff_pool: Cents
    team_pool: Cents
    merit_pool: Cents
    gates: GateView
    pay_date: date
    eligible_count: int
    min_group: int
    average_check: Cents | None
    average_check_if_gates_pass: Cents | None
    average_check_note: str
    marginal_staff_pool_per_1000: Cents
    marginal_average_check_per_1000: Cents | None
    marginal_note: str
    past_quarters: tuple[PastQuarter, ...]
    approval: int | None = None  # the approval in force these figures come from (None: books)
    # what the plan will actually pay (spec section 10), on the public figures; with every
    # variant at its default paid_pool is the staff pool (0 while a gate fails), the rest 0
    paid_pool: Cents = 0
    carry_in: Cents = 0  # a shortfall carried from earlier in the fiscal year (<= 0)
    deferred_in: Cents = 0  # pools held by failed gates, paid with this quarter if it passes
    held_back: Cents = 0  # kept in the reserve until the fiscal year's fourth quarter
    released: Cents = 0  # the reserve, paid with a complete fiscal fourth quarter
    employer_tax: Cents = 0  # the employer's payroll tax on the checks, out of the pool
    floor_gap: Cents = 0  # monthly_floor: the weak months' GP below Min GP, not counted
    # what the figures mean under this plan, in plain words (the pages' help texts)
    above_note: str = ""  # how a weak month counts (the netting)
    tel_profit_note: str = ""  # how the TEL profit is counted
    pools_note: str = ""  # the house, the team pool and the merit pool, by the plan's rules
    shadow: bool = False  # a quarter the plan runs in shadow: what it would pay, not paid


class TeamAggregates(BaseModel):
    """What the estimator needs, without names or salaries: the quarter's public figures
    (``tel.analysis.privacy``). Money in cents.

    ``total_weight_units`` (the eligible people's merit weights, in
    ``tel.rules.weights.weight_units``, rounded to a step of a good part of the heaviest weight)
    is still salary-based, so it is kept out of ``model_dump``, JSON and ``repr`` too.
    """

    model_config = _FROZEN

    quarter: str
    months_booked: int
    gp_total: Cents
    gates_passed: bool
    gate_note: str
    eligible_count: int
    total_weight_units: int = Field(ge=0, exclude=True, repr=False)
    tel_profit: Cents
    staff_pool: Cents
    team_pool: Cents
    merit_pool: Cents
    # the ledger's public balances (tel.analysis.privacy) and what is paid: all 0 (paid_pool
    # the staff pool) with every variant at its default
    carry_in: Cents = 0
    deferred_in: Cents = 0
    reserve_in: Cents = 0
    paid_pool: Cents = 0
    floor_gap: Cents = 0  # monthly_floor: the weak months' GP below Min GP, not counted


class CheckScenario(BaseModel):
    """One GP scenario of the estimator. ``merit``/``total`` are None when hidden for privacy."""

    model_config = _FROZEN

    label: str
    gp_total: Cents
    months: int
    tel_profit: Cents
    staff_pool: Cents
    team: Cents
    merit: Cents | None
    total: Cents | None
    paid_pool: Cents = 0  # what the plan pays out at this GP (0 while a gate fails)


class CheckEstimate(BaseModel):
    """The estimator's answer to "I earn $S and started in month M". Money in cents."""

    model_config = _FROZEN

    quarter: str
    eligible: bool
    reason: str  # "" when eligible, else e.g. "7 of 9 months: eligible from 2026-Q4"
    eligible_from: str | None  # first quarter the person qualifies in (None: never / unknown)
    months_of_service: int
    group_size: int  # people sharing the team pool in the estimate
    merit_shown: bool
    note: str  # assumptions, gate or privacy message, in plain words
    scenarios: tuple[CheckScenario, ...]  # empty when not eligible this quarter
    team_help: str = ""  # how the team part is shared, under this plan
    merit_help: str = ""  # how the merit part is weighted, under this plan
    # my check at the public paid pool's 10th and 90th percentiles (tel.analysis.team_risk;
    # None: no range given, a complete quarter, gates failing or the merit share hidden)
    range_p10: Cents | None = None
    range_p90: Cents | None = None

    @property
    def now(self) -> CheckScenario | None:
        """The "as booked" scenario, or None when the person is not eligible."""
        return self.scenarios[0] if self.scenarios else None


class WriteoffEffect(BaseModel):
    """What writing off billed time costs the team. Costs are positive cents (the drop)."""

    model_config = _FROZEN

    gp_removed: Cents
    staff_pool_cost: Cents
    average_check_cost: Cents | None  # None when hidden for privacy or nobody is eligible
    sentence: str


# --------------------------------------------------------------------------------------------
# Small helpers


def _as_quarter(quarter: Quarter | str) -> Quarter:
    return quarter if isinstance(quarter, Quarter) else Quarter.parse(quarter)


def _hidden(eligible_count: int, min_group: int) -> bool:
    """Per-check figures are hidden for a non-empty group smaller than ``min_group``.

    An empty group has nobody's pay to reveal.

    >>> _hidden(0, 3), _hidden(2, 3), _hidden(3, 3)
    (False, True, False)
    """
    return 0 < eligible_count < min_group


def _privacy_note(min_group: int) -> str:
    return (
        f"Hidden: fewer than {min_group} people share the pool, so a per-check figure "
        "would reveal someone's pay."
    )


def _pct1(value: Fraction) -> Decimal:
    """A percentage rounded half-up to one decimal.

    >>> _pct1(Fraction(15, 2)), _pct1(Fraction(2, 3) * 100), _pct1(Fraction(6))
    (Decimal('7.5'), Decimal('66.7'), Decimal('6.0'))
    """
    return (Decimal(round_half_up(value * 10)) / 10).quantize(Decimal("0.1"))


def _plain_pct(value: Decimal) -> str:
    """``Decimal('10.0000')`` -> ``'10%'``, ``Decimal('7.5')`` -> ``'7.5%'``."""
    text = f"{value.normalize():f}"
    return f"{text}%"


def _average(total: Cents, count: int) -> Cents:
    """``round(total / count)`` half-up, in cents.

    >>> _average(1209000, 4), _average(1, 2)
    (302250, 1)
    """
    return round_half_up(Fraction(total, count))


def average_dollars(total: Cents, count: int) -> Cents:
    """``total / count`` rounded half-up to whole dollars: an average of rounded pools.

    >>> average_dollars(1200000, 9), average_dollars(150, 2)
    (133300, 100)
    """
    return round_half_up(Fraction(total, count * 100)) * 100


def _pools(plan: Plan, agg: TeamAggregates, gp_total: Cents, months: int,
           floor_gap: Cents | None = None) -> Step:
    """The rules kernel from a (public) GP total and the aggregates' public balances:

        tel_profit = max(0, gp_total - months * min_gp + carry_in + floor_gap)
        then the house share, gates, deferral, holdback, release (a complete fiscal Q4),
        employer tax and the team / merit split (tel.rules.pools.step)

    (``floor_gap``: the weak months' GP below Min GP a monthly floor does not count; the
    aggregates' own unless given.)

    >>> agg = TeamAggregates(quarter="2026-Q3", months_booked=3, gp_total=20212000,
    ...     gates_passed=True, gate_note="", eligible_count=3, total_weight_units=1,
    ...     tel_profit=1612000, staff_pool=1209000, team_pool=604500, merit_pool=604500)
    >>> s = _pools(Plan(), agg, 20212000, 3)
    >>> s.tel_profit, s.staff_pool, s.paid_pool, s.team_pool, s.merit_pool
    (1612000, 1209000, 1209000, 604500, 604500)
    """
    gap = agg.floor_gap if floor_gap is None else floor_gap
    profit = max(0, gp_total - months * min_gp(plan) + agg.carry_in + gap)
    release = Quarter.parse(agg.quarter).q == 4 and months == 3
    return pools_of_profit(profit, agg.gates_passed, plan, deferred_in=agg.deferred_in,
                           reserve_in=agg.reserve_in, release=release)


# --------------------------------------------------------------------------------------------
# The plan in words: what the pages say a figure means, under the plan in force


def merit_words(plan: Plan) -> str:
    """The plan's merit weight in plain words, from the plan setting's own choices
    (``tel.core.policy.FIELDS``); every formula is also times performance.

    >>> from tel.core.policy import Merit
    >>> merit_words(Plan())
    'salary x years of service'
    >>> merit_words(Plan(merit=Merit(formula="salary_x_capped_years", cap_years=Decimal(8))))
    'salary x years, years capped at 8'
    >>> merit_words(Plan(merit=Merit(formula="salary_x_log_years")))
    'salary x ln(1 + years) (early years count most)'
    """
    field = BY_NAME["merit_formula"]
    text = dict(field.choices).get(plan.merit.formula, plan.merit.formula)
    formula, _, gloss = text.partition(": ")
    formula = formula[:1].lower() + formula[1:]
    if plan.merit.formula == "salary_x_capped_years":
        formula += f" at {plan.merit.cap_years.normalize():f}"
    return f"{formula} ({gloss})" if gloss else formula


def tel_profit_rule(plan: Plan, carry_in: Cents = 0) -> str:
    """How TEL profit is counted under the plan's netting, as a phrase (``carry_in``: the
    shortfall carried into the quarter under ``carry_forward``, <= 0).

    >>> from tel.core.policy import Netting
    >>> tel_profit_rule(Plan())
    'quarter GP above Min GP for the months booked, never below $0'
    >>> tel_profit_rule(Plan(netting=Netting(mode="monthly_floor")))
    'what each month booked made above Min GP, added up (a month below Min GP counts as $0)'
    >>> tel_profit_rule(Plan(netting=Netting(mode="carry_forward")), -150000)[45:]
    ', less the $1,500 shortfall carried in from earlier in the fiscal year, never below $0'
    """
    mode = plan.netting.mode
    if mode == "monthly_floor":
        return "what each month booked made above Min GP, added up (a month below Min GP " \
            "counts as $0)"
    rule = "quarter GP above Min GP for the months booked"
    if mode == "carry_forward":
        carried = (f"the {format_money(-carry_in, cents_shown=False)} shortfall" if carry_in
                   else "any shortfall")
        rule += f", less {carried} carried in from earlier in the fiscal year"
    return rule + ", never below $0"


def _sentence(phrase: str) -> str:
    return phrase[:1].upper() + phrase[1:] + "."


def _netting_note(plan: Plan, pq: PublicQuarter) -> str:
    """How a month below Min GP counts under the plan (the pot's "Above Min GP" help)."""
    mode = plan.netting.mode
    if mode == "monthly_floor":
        note = ("Each month counts on its own under this plan: a month below Min GP costs "
                "nothing and is not made up by the others, so the TEL profit is what the "
                "months above Min GP made.")
        if pq.floor_gap and pq.tel_profit:
            note += (f" The weak months' {format_money(pq.floor_gap, cents_shown=False)} "
                     "below Min GP is not set against the strong ones.")
        return note
    note = "A weak month is made up by strong ones in the same quarter."
    if mode == "carry_forward":
        note += (" A quarter that ends below Min GP carries its shortfall into the next "
                 "quarters of the fiscal year, which make it up before they pay.")
        if pq.carry_in:
            note += (f" This quarter first makes up the "
                     f"{format_money(-pq.carry_in, cents_shown=False)} shortfall carried in.")
    return note


def _pools_note(plan: Plan, pq: PublicQuarter) -> str:
    """The staff pool and how it is shared, by the plan's rules, in the page's rounding."""
    about = "about " if pq.tel_profit else ""

    def money(cents: Cents) -> str:
        return about + format_money(cents, cents_shown=False)

    shared = "shared by the days each person counts" if plan.partial == "prorate" \
        else "in equal checks"
    pools = (f"team pool {money(pq.team_pool)} {shared}, merit pool {money(pq.merit_pool)} "
             f"by merit weight ({merit_words(plan)}, times performance)")
    note = f"TEL profit minus the house share ({money(pq.house)})."
    if pq.gates_passed and pq.paid_pool != pq.staff_pool:
        note += f" Of what is paid out ({money(pq.paid_pool)}): {pools}."
    else:
        note += " " + _sentence(pools)
    if pq.tel_profit:
        note += (" Rounded: TEL profit to the nearest "
                 f"{format_money(pq.money_step, cents_shown=False)}.")
    return note


def gate_note(gates: Gates) -> str:
    """Which gate stops the payout, in a few words ("" when both pass)."""
    failed = [name for name, ok in (("cash", gates.cash_ok), ("A/R", gates.ar_ok)) if not ok]
    if not failed:
        return ""
    which = " and ".join(failed)
    return f"the {which} gate{'s' if len(failed) > 1 else ''} failed"


def _gate_view(plan: Plan, gates: Gates, complete: bool) -> GateView:
    """Gates for the team page: pass/fail, the policy, the shortfall; never the balances."""
    cash, ar = gates.staff_cash_text(), gates.staff_ar_text()
    ar90 = None if gates.ar90_pct is None else _pct1(gates.ar90_pct)
    when = f"checked on the month-end of {gates.month}"
    if not complete:
        when += ", and again when the quarter's last month is booked"
    if gates.passed:
        summary = f"Both gates pass ({when}): the staff pool can be paid."
    else:
        summary = f"Nothing is paid while a gate fails ({when}): {gate_note(gates)}."
    return GateView(
        checked_on=gates.month,
        passed=gates.passed,
        cash_ok=gates.cash_ok,
        ar_ok=gates.ar_ok,
        min_cash=gates.min_cash,
        cash_short=gates.cash_short,
        max_ar90_pct=plan.max_ar90_pct,
        ar90_pct=ar90,
        ar_to_collect=gates.ar_to_collect,
        cash_sentence=cash,
        ar_sentence=ar,
        summary=summary,
    )


def _paid_note(r: QuarterResult) -> tuple[bool, str]:
    if r.shadow:  # the plan ran this quarter in shadow: nothing was owed, nothing paid
        return False, "shadow: what the plan would have paid, not paid"
    if r.tel_profit == 0 and not (r.gates.passed and r.paid_pool):
        return False, "no TEL profit: GP stayed below Min GP"
    if not r.gates.passed:
        held = r.deferred_out > r.deferred_in
        return False, f"not paid: {gate_note(r.gates)}" + (
            "; the pool is held for the next quarter whose gates pass" if held else "")
    if r.eligible_count == 0:
        return False, "not paid: nobody was eligible"
    if r.paid_pool == 0 and r.held_back:
        return False, "held back: paid with the fiscal year's fourth quarter"
    return True, "paid"


def _past_quarter(
    r: QuarterResult, plan: Plan, approval: int | None, min_group: int
) -> PastQuarter:
    paid, note = _paid_note(r)
    if approval is not None:
        note += f" (approval #{approval})"
    elif paid:
        note = "due as booked, not approved" if r.complete else "quarter to date"
    n = r.eligible_count
    pq = public_quarter(r, plan)
    hidden = paid and _hidden(n, min_group)
    return PastQuarter(
        quarter=r.quarter,
        complete=r.complete,
        tel_profit=pq.tel_profit,
        staff_pool=pq.staff_pool,
        paid=paid,
        note=note,
        eligible_count=n,
        average_check=(
            None if n == 0 or _hidden(n, min_group) or not paid
            else average_dollars(pq.paid_pool, n)
        ),
        approval=approval,
        paid_pool=pq.paid_pool,
        average_hidden=hidden,
    )


# --------------------------------------------------------------------------------------------
# The team view


def team_view(
    plan: Plan,
    roster: Sequence[Person],
    months: Sequence[Month],
    quarter: Quarter | str,
    *,
    min_group: int = MIN_GROUP,
) -> TeamView:
    """The quarter's pot, gates and average check for everyone to see; public figures only
    (``tel.analysis.privacy``: rounded so that no salary can be worked out from them).

        threshold_to_date = months booked x Min GP      progress = GP to date / (3 x Min GP)
        average_check     = round(paid_pool^ / eligible, $1)    (0 while a gate fails)
        marginal          = paid_pool^(GP^ + $1,000) - paid_pool^(GP^), over eligible

    (``paid_pool^`` is the staff pool^ with every variant at its default.)

    ``past_quarters`` lists the booked quarters before this one, oldest first.
    Raises ``NoBookedMonth`` when the quarter has no booked month (an error, never a zero).

    >>> ms = [Month(year=2026, month=m, gp=g, cash_on_hand=52000, ar_total=320000,
    ...             ar_90_plus=24000) for m, g in ((7, 69343), (8, 59343), (9, 73434))]
    >>> crew = [Person(name=f"P{i}", salary=60000, start_date=date(2020, 1, 1)) for i in range(4)]
    >>> v = team_view(Plan(), crew, ms, "2026-Q3")
    >>> v.money_step, v.tel_profit, v.staff_pool, v.eligible_count, v.average_check
    (200000, 1600000, 1200000, 4, 300000)
    >>> v.marginal_average_check_per_1000, v.gates.ar90_pct
    (18750, Decimal('7.5'))
    """
    q = _as_quarter(quarter)
    fys = plan.fiscal_year_start
    r = compute_quarter(plan, roster, months, q)
    past = [
        (compute_quarter(plan, roster, months, earlier), plan, None)
        for earlier in booked_quarters(months, fys)
        if earlier < q
    ]
    return team_view_of(r, plan, past, min_group=min_group)


def _rest_of_quarter(pq: PublicQuarter, min_gp_cents: Cents, netting: str = "quarter") -> str:
    """What the months not booked yet must add, in words that agree with "ahead"/"behind"
    and with the plan's netting (a shortfall carried in; a monthly floor).

    >>> from tel.analysis.privacy import PublicQuarter
    >>> pq = PublicQuarter(quarter="2026-Q4", months_booked=1, threshold=6200000,
    ...     money_step=100000, gp=6650000, above_threshold=450000, tel_profit=450000,
    ...     house=112500, staff_pool=337500, team_pool=168750, merit_pool=168750,
    ...     eligible_count=9, weight_step=1, total_weight=1)
    >>> import textwrap
    >>> print(textwrap.fill(_rest_of_quarter(pq, 6200000), 80))
    About $4,500 ahead of Min GP so far. The TEL profit stays above $0 as long as
    the 2 months still to come add more than $119,500 of GP in all ($59,750 a month,
    against Min GP of $62,000).
    >>> print(textwrap.fill(_rest_of_quarter(pq, 6200000, "monthly_floor"), 80))
    About $4,500 of TEL profit so far. Each month counts on its own under this plan:
    what is made is kept, and each of the 2 months still to come adds what it makes
    above Min GP of $62,000 (a month below it costs nothing).
    """
    left = 3 - pq.months_booked
    if left <= 0:
        return ""
    months = f"the {left} months still to come" if left > 1 else "the month still to come"
    add = "add" if left > 1 else "adds"
    floor = format_money(min_gp_cents, cents_shown=False)
    if netting == "monthly_floor":
        each = f"each of {months} adds" if left > 1 else f"{months} adds"
        if pq.tel_profit:
            return (f"About {format_money(pq.tel_profit, cents_shown=False)} of TEL profit so "
                    "far. Each month counts on its own under this plan: what is made is kept, "
                    f"and {each} what it makes above Min GP of {floor} (a month below it "
                    "costs nothing).")
        return (f"No month booked so far made more than Min GP of {floor}. Each month counts "
                f"on its own under this plan: {each} what it makes above Min GP, and a month "
                "below it costs nothing.")
    need = gp_needed(min_gp_cents, 3, pq.gp + pq.carry_in, 0)
    each = f"{format_money(round_half_up(Fraction(need, left)), cents_shown=False)} a month, " \
        f"against Min GP of {floor}"
    carried = ""
    if pq.carry_in:
        carried = (f", with a {format_money(-pq.carry_in, cents_shown=False)} shortfall "
                   "carried in from earlier in the fiscal year to make up first")
    if pq.above_threshold >= 0:
        about = "About " if pq.tel_profit else ""
        head = f"{about}{format_money(pq.above_threshold, cents_shown=False)} ahead of Min GP " \
            f"so far{carried}."
    else:
        head = f"{format_money(-pq.above_threshold, cents_shown=False)} behind Min GP so far" \
            f"{carried}."
    if pq.excess >= 0:
        return (f"{head} The TEL profit stays above $0 as long as {months} {add} more than "
                f"{format_money(need, cents_shown=False)} of GP in all ({each}).")
    return (f"{head} There is TEL profit only if {months} {add} more than "
            f"{format_money(need, cents_shown=False)} of GP in all ({each}).")


def _gap_words(pq: PublicQuarter, netting: str, short: bool = False) -> str:
    """Where GP stands below what the plan counts, while it does (``pq.excess < 0``);
    ``short``: in fewer words, where the sentence already says Min GP."""
    gap = format_money(-pq.excess)
    if netting == "monthly_floor":
        return f"the best month booked is {gap} below Min GP"
    if pq.carry_in:
        return f"GP is {gap} short of Min GP for the months booked and the shortfall carried in"
    return f"GP is {gap} short" if short else f"GP is {gap} below Min GP for the months booked"


def _still_needed(pq: PublicQuarter, min_gp_cents: Cents, netting: str) -> Cents:
    """GP the rest of the quarter must add before any TEL profit (under a monthly floor, one
    month above Min GP; with every month booked, what the best month lacked)."""
    if netting == "monthly_floor":
        if pq.excess > 0:
            return 0
        return min_gp_cents if pq.months_booked < 3 else -pq.excess
    return gp_needed(min_gp_cents, 3, pq.gp + pq.carry_in, 0)


def team_view_of(
    r: QuarterResult,
    plan: Plan,
    past: Sequence[tuple[QuarterResult, Plan, int | None]] = (),
    *,
    min_group: int = MIN_GROUP,
    approval: int | None = None,
) -> TeamView:
    """``team_view`` from a worked-out quarter (the books, or approval #``approval``) and
    the earlier quarters, each with the plan it was paid under and its approval if any."""
    if min_group < 1:
        raise ValueError("min_group must be at least 1")
    pq = public_quarter(r, plan)
    booked = len(r.months_booked)
    threshold_to_date = booked * r.min_gp
    threshold_full = 3 * r.min_gp
    n = r.eligible_count
    hidden = _hidden(n, min_group)
    paid_pool = pq.paid_pool  # 0 while a gate fails
    if_passed = pq.pools_at(pq.tel_profit, plan, passed=True).paid_pool

    if n == 0:
        avg: Cents | None = None
        at_stake: Cents | None = None
        avg_note = "Nobody is eligible this quarter, so there is no check to average."
    elif hidden:
        avg = at_stake = None
        avg_note = _privacy_note(min_group)
    else:
        avg, at_stake = average_dollars(paid_pool, n), average_dollars(if_passed, n)
        if r.gates.passed and paid_pool == pq.staff_pool:
            avg_note = f"About the staff pool shared by {n} eligible people."
        elif r.gates.passed:
            avg_note = (
                "About what the plan pays out this quarter "
                f"({format_money(paid_pool, cents_shown=False)}) shared by {n} eligible people."
            )
        else:
            avg_note = (
                f"Nothing is paid while a gate fails; about {format_money(at_stake)} is the "
                "average check at stake if it passes."
            )

    more = pq.pools_at(pq.profit_at_extra_gp(EXTRA_GP), plan)
    pool_step = more.staff_pool - pq.staff_pool
    paid_step = more.paid_pool - paid_pool
    netting = plan.netting.mode
    gap = -pq.excess  # > 0 while GP is short of what the plan counts so far
    marginal: Cents | None = None
    if n == 0:
        m_note = "Nobody is eligible this quarter, so no check grows with GP."
    elif hidden:
        m_note = _privacy_note(min_group)
    else:
        marginal = _average(paid_step, n) if r.gates.passed else 0
        if not r.gates.passed:
            m_note = (
                f"$0 for now: {gate_note(r.gates)}, so nothing is paid until it passes. "
                f"Each extra $1,000 still adds {format_money(pool_step)} to the pool at stake."
            )
        elif pool_step == 0:
            m_note = (
                f"$0 for now: {_gap_words(pq, netting)}, and extra GP first closes that gap."
            )
        elif gap > 0:
            m_note = (
                f"Only the part above Min GP counts: {_gap_words(pq, netting, True)}, so the "
                f"next $1,000 adds about {format_money(marginal)} to the average check."
            )
        else:
            m_note = (
                f"Every extra $1,000 of GP this quarter adds about {format_money(marginal)} "
                f"to the average check ({format_money(pool_step)} to the staff pool)."
            )

    return TeamView(
        quarter=r.quarter,
        months_booked=r.months_booked,
        complete=r.complete,
        rest_of_quarter=_rest_of_quarter(pq, r.min_gp, netting),
        gp_to_date=pq.gp,
        min_gp=r.min_gp,
        threshold_to_date=threshold_to_date,
        threshold_full_quarter=threshold_full,
        above_threshold=pq.above_threshold,
        gp_still_needed=_still_needed(pq, r.min_gp, netting),
        progress_pct=(
            None if threshold_full == 0 else _pct1(Fraction(pq.gp * 100, threshold_full))
        ),
        money_step=pq.money_step,
        tel_profit=pq.tel_profit,
        house=pq.house,
        staff_pool=pq.staff_pool,
        team_pool=pq.team_pool,
        merit_pool=pq.merit_pool,
        gates=_gate_view(plan, r.gates, r.complete),
        pay_date=r.pay_date,
        eligible_count=n,
        min_group=min_group,
        average_check=avg,
        average_check_if_gates_pass=at_stake,
        average_check_note=avg_note,
        marginal_staff_pool_per_1000=pool_step,
        marginal_average_check_per_1000=marginal,
        marginal_note=m_note,
        past_quarters=tuple(_past_quarter(e, p, a, min_group) for e, p, a in past),
        approval=approval,
        paid_pool=paid_pool,
        carry_in=pq.carry_in,
        deferred_in=pq.deferred_in,
        held_back=pq.held_back,
        released=pq.released,
        employer_tax=pq.employer_tax,
        floor_gap=pq.floor_gap,
        above_note=_netting_note(plan, pq),
        tel_profit_note=_sentence(tel_profit_rule(plan, pq.carry_in)),
        pools_note=_pools_note(plan, pq),
        shadow=r.shadow,
    )


# --------------------------------------------------------------------------------------------
# Write-offs


def _cents(value: Decimal | int | str, what: str) -> Cents:
    """Dollars typed by a person -> cents, with a plain error ("salary is not an amount")."""
    try:
        return to_cents(value)
    except (ArithmeticError, ValueError) as exc:  # decimal.InvalidOperation is arithmetic
        raise ValueError(f"{what} is not an amount in dollars and cents: {value!r}") from exc


def _hours_cost(hours: Decimal | int | str, rate: Decimal | int | str) -> tuple[Decimal, Cents]:
    try:
        h, dollars = Decimal(hours), Decimal(rate)
    except InvalidOperation as exc:
        raise ValueError("hours and rate must be numbers") from exc
    if not (h.is_finite() and dollars.is_finite()) or h < 0 or dollars < 0:
        raise ValueError("hours and rate must be finite and not negative")
    # GP lost = hours x rate, to the cent, half-up (1/3 hour at $100 is $33.33).
    cents = int((h * dollars * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return h, cents


def writeoff_effect(
    plan: Plan,
    roster: Sequence[Person],
    months: Sequence[Month],
    quarter: Quarter | str,
    hours: Decimal | int | str,
    rate: Decimal | int | str,
    *,
    min_group: int = MIN_GROUP,
) -> WriteoffEffect:
    """``writeoff_effect_of`` on the books' quarter."""
    r = compute_quarter(plan, roster, months, _as_quarter(quarter))
    return writeoff_effect_of(r, plan, hours, rate, min_group=min_group)


def writeoff_effect_of(
    r: QuarterResult,
    plan: Plan,
    hours: Decimal | int | str,
    rate: Decimal | int | str,
    *,
    min_group: int = MIN_GROUP,
) -> WriteoffEffect:
    """What ``hours`` written off at ``rate`` dollars an hour cost the staff pool and the
    average check, worked out on the quarter's public figures (``tel.analysis.privacy``) with GP
    lowered by ``hours x rate``: however large the write-off typed, the answer is never
    finer than the pot the team page shows.

        staff_pool_cost    = staff_pool^(GP^) - staff_pool^(GP^ - hours x rate)
        average_check_cost = (paid_pool^(GP^) - paid_pool^(GP^ - hours x rate)) / eligible
                             (half-up, to the cent; the paid pool is the staff pool with
                             every variant at its default, as if the gates passed)

    >>> ms = [Month(year=2026, month=m, gp=g, cash_on_hand=52000, ar_total=320000,
    ...             ar_90_plus=24000) for m, g in ((7, 69343), (8, 59343), (9, 73434))]
    >>> crew = [Person(name=f"P{i}", salary=60000, start_date=date(2020, 1, 1)) for i in range(4)]
    >>> import textwrap
    >>> e = writeoff_effect(Plan(), crew, ms, "2026-Q3", 10, 150)
    >>> e.staff_pool_cost, e.average_check_cost
    (112500, 28125)
    >>> print(textwrap.fill(e.sentence, 90))
    10 hours written off at $150.00 an hour cost the staff pool $1,125.00 (about $281.25 off
    the average check).
    """
    h, removed = _hours_cost(hours, rate)
    pq = public_quarter(r, plan)
    pool_cost = pq.staff_pool - pq.at_extra_gp(-removed, plan)[1]
    # what the checks lose: the pool paid out (as if the gates passed, when they do not)
    paid_now = pq.pools_at(pq.tel_profit, plan, passed=True).paid_pool
    paid_cost = paid_now - pq.pools_at(pq.profit_at_extra_gp(-removed), plan, True).paid_pool
    n = r.eligible_count
    avg_cost = None if n == 0 or _hidden(n, min_group) else _average(paid_cost, n)

    rate_cents = int((Decimal(rate) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    what = f"{h.normalize():f} hours written off at {format_money(rate_cents)} an hour"
    if pq.staff_pool == 0:
        sentence = (
            f"{what} cost the staff pool nothing now: GP is already below Min GP, "
            f"and they add {format_money(removed)} to the gap."
        )
    else:
        sentence = f"{what} cost the staff pool {format_money(pool_cost)}"
        if pool_cost == pq.staff_pool:
            sentence += " (all of it)"
        if avg_cost is not None and r.gates.passed:
            sentence += f" (about {format_money(avg_cost)} off the average check)."
        elif avg_cost is not None:
            sentence += f"; nothing is paid this quarter: {gate_note(r.gates)}."
        elif n and _hidden(n, min_group):
            sentence += "; the effect on one check is hidden because the group is small."
        else:
            sentence += "."
    return WriteoffEffect(
        gp_removed=removed,
        staff_pool_cost=pool_cost,
        average_check_cost=avg_cost,
        sentence=sentence,
    )


def writeoff_cost(
    plan: Plan,
    roster: Sequence[Person],
    months: Sequence[Month],
    quarter: Quarter | str,
    hours: Decimal | int | str,
    rate: Decimal | int | str,
) -> Cents:
    """Cents the staff pool loses when ``hours`` at ``rate`` are written off this quarter,
    on the public figures (0 when GP is already below the threshold).

    >>> ms = [Month(year=2026, month=m, gp=g, cash_on_hand=52000, ar_total=320000,
    ...             ar_90_plus=24000) for m, g in ((7, 69343), (8, 59343), (9, 73434))]
    >>> writeoff_cost(Plan(), [], ms, "2026-Q3", 10, 150)
    112500
    """
    return writeoff_effect(plan, roster, months, quarter, hours, rate).staff_pool_cost


# --------------------------------------------------------------------------------------------
# The estimator


def team_aggregates(
    plan: Plan, roster: Sequence[Person], months: Sequence[Month], quarter: Quarter | str
) -> TeamAggregates:
    """The public aggregates ``estimate_check`` works from (see ``TeamAggregates``)."""
    r = compute_quarter(plan, roster, months, _as_quarter(quarter))
    return aggregates_of(r, plan)


def aggregates_of(r: QuarterResult, plan: Plan) -> TeamAggregates:
    """``TeamAggregates`` of a worked-out quarter: its public figures (``tel.analysis.privacy``)."""
    pq = public_quarter(r, plan)
    return TeamAggregates(
        quarter=r.quarter,
        months_booked=len(r.months_booked),
        gp_total=pq.gp,
        gates_passed=r.gates.passed,
        gate_note=gate_note(r.gates),
        eligible_count=r.eligible_count,
        total_weight_units=pq.total_weight,
        tel_profit=pq.tel_profit,
        staff_pool=pq.staff_pool,
        team_pool=pq.team_pool,
        merit_pool=pq.merit_pool,
        carry_in=pq.carry_in,
        deferred_in=pq.deferred_in,
        reserve_in=pq.reserve_in,
        paid_pool=pq.paid_pool,
        floor_gap=pq.floor_gap,
    )


def _eligible_from(start: date, end: date | None, q: Quarter, plan: Plan) -> Quarter | None:
    """First quarter from ``q`` on whose last day ``start`` has ``min_months`` of service
    and whose pay date the person is still employed at (None if they leave first)."""
    fys = plan.fiscal_year_start
    first = q
    # Months of service grow by 3 a quarter: jump close, then walk (at most a few steps).
    short = plan.min_months - completed_months(start, q.last_day(fys))
    if short > 3:
        first = q.shifted(short // 3 - 1)
    while completed_months(start, first.last_day(fys)) < plan.min_months:
        first = first.shifted(1)
    if end is not None and end < plan.pay_date(first):
        return None
    return first


def _scenarios(
    agg: TeamAggregates, average_monthly_gp: Cents | None
) -> list[tuple[str, Cents, int, Cents]]:
    """(label, GP total, months, floor gap) for each scenario: as booked, -10%, +10%, pace,
    chosen. Under a monthly floor the weak months' gap stays as booked (GP moves in the best
    month), grows with the pace, and is 0 for equal months."""
    gp, booked, gap = agg.gp_total, agg.months_booked, agg.floor_gap
    tenth = round_half_up(Fraction(abs(gp), 10))  # 10% of |GP|, so "lower" is lower even < 0
    out = [
        (f"as booked ({booked} month{'s' if booked > 1 else ''})", gp, booked, gap),
        ("GP 10% lower", gp - tenth, booked, gap),
        ("GP 10% higher", gp + tenth, booked, gap),
    ]
    if booked < 3:
        out.append(("full quarter at this pace", round_half_up(Fraction(gp * 3, booked)), 3,
                    round_half_up(Fraction(gap * 3, booked))))
    if average_monthly_gp is not None:
        out.append(
            (
                f"full quarter at {format_money(average_monthly_gp)} a month",
                3 * average_monthly_gp,
                3,
                0,
            )
        )
    return out


def estimate_check(
    aggregates: TeamAggregates,
    salary: Decimal | int | str,
    start_date: date,
    plan: Plan,
    quarter_end: date,
    pay_date: date,
    performance: Decimal | int | str = 1,
    *,
    end_date: date | None = None,
    average_monthly_gp: Decimal | int | str | None = None,
    counted: bool = False,
    min_group: int = MIN_GROUP,
    pool_range: tuple[Cents, Cents] | None = None,
) -> CheckEstimate:
    """Estimate one person's check from aggregates only, now and at a few GP scenarios.

    Assumptions (also returned in ``note``): the person is W-2, full time and not an owner;
    they join the eligible group, so the team pool is shared by ``N + 1`` and their merit
    share is ``w / (W + w)`` (with ``counted=True`` they are already among the ``N`` and
    inside ``W``); everyone else stays as in the aggregates.

        w      = salary_cents x months_of_service x performance x 10,000   (weight units;
                 the plan's merit formula, times days under proration)
        team   = round(team_pool / (N + 1))        (x days / quarter days under proration)
        merit  = round(merit_pool x w / (W + w))          (round = half-up, to the cent)
        then the cap, if the plan has one (merit first, then team)

    The pools are the rules kernel's (``tel.rules.pools``) at each scenario's GP with the
    quarter's public balances: ``team_pool`` and ``merit_pool`` split what the plan pays out.

    The aggregates are the quarter's public figures (``tel.analysis.privacy``): pools and
    the group's weight rounded so that no salary can be worked out from them, so the estimate is as
    close to the exact check as that rounding (a few percent), never closer.

    The merit share is hidden (``None``) while ``0 < N < min_group``: it would reveal ``W``,
    which for one or two people is a salary figure. Gates failing -> every check 0.

    ``pool_range``: the public paid pool's (P10, P90) of the quarter's simulation
    (``tel.analysis.team_risk``); the range of my check is my check at each, split by the
    plan's team / merit percentages and shared as above (``range_p10``/``range_p90``).

    >>> agg = TeamAggregates(quarter="2026-Q3", months_booked=3, gp_total=20212000,
    ...     gates_passed=True, gate_note="", eligible_count=3,
    ...     total_weight_units=3 * weight_units(6000000, 24, Decimal(1)),
    ...     tel_profit=1612000, staff_pool=1209000, team_pool=604500, merit_pool=604500)
    >>> e = estimate_check(agg, 60000, date(2024, 9, 1), Plan(), date(2026, 9, 30),
    ...                    date(2026, 11, 13))
    >>> e.now.team, e.now.merit, e.now.total
    (151125, 151125, 302250)
    >>> e = estimate_check(agg, 60000, date(2026, 2, 1), Plan(), date(2026, 9, 30),
    ...                    date(2026, 11, 13))
    >>> e.eligible, e.reason
    (False, '7 of 9 months: eligible from 2026-Q4')
    """
    if min_group < 1:
        raise ValueError("min_group must be at least 1")
    fys = plan.fiscal_year_start
    q = Quarter.parse(aggregates.quarter)
    if q.last_day(fys) != quarter_end:
        raise ValueError(f"quarter_end {quarter_end} is not the last day of {q}")
    if plan.pay_date(q) != pay_date:
        raise ValueError(f"pay_date {pay_date} is not the pay date of {q} under this plan")
    salary_cents = _cents(salary, "salary")
    if salary_cents <= 0:
        raise ValueError("salary must be above 0")
    try:
        perf = Decimal(str(performance))
    except ArithmeticError as exc:
        raise ValueError(f"performance is not a number: {performance!r}") from exc
    if not perf.is_finite() or perf < 0 or perf * PERF_SCALE != int(perf * PERF_SCALE):
        raise ValueError("performance must be >= 0 with at most four decimal places")
    here = _pools(plan, aggregates, aggregates.gp_total, aggregates.months_booked)
    if (here.staff_pool, here.team_pool, here.merit_pool) != (
        aggregates.staff_pool,
        aggregates.team_pool,
        aggregates.merit_pool,
    ):
        raise ValueError("these aggregates were built with another plan")
    n, big_w = aggregates.eligible_count, aggregates.total_weight_units
    if counted and n == 0:
        raise ValueError("counted=True, but nobody is eligible in the aggregates")

    # The estimator's person: a W-2, full-time non-owner (the name never leaves this function).
    who = Person(
        name="estimate",
        salary=to_dollars(salary_cents),
        start_date=start_date,
        end_date=end_date,
        performance=perf,
    )
    verdict: Eligibility | Prorated
    if plan.partial == "prorate":
        first = date(*q.months(fys)[0], 1)
        verdict = prorated(who, first, quarter_end, plan.min_months)
    else:
        verdict = judge(who, quarter_end, pay_date, plan.min_months)
    if not verdict.eligible:
        reason = verdict.reason
        later = None
        if "left before" not in reason:
            later = _eligible_from(start_date, end_date, q, plan)
            reason += f": eligible from {later}" if later else ": leaves before becoming eligible"
        return CheckEstimate(
            quarter=str(q),
            eligible=False,
            reason=reason,
            eligible_from=None if later is None else str(later),
            months_of_service=verdict.months,
            group_size=n,
            merit_shown=False,
            note=f"Not eligible for {q}: {reason}.",
            scenarios=(),
        )

    group = n if counted else n + 1
    # Under proration the weight counts the person's days, and the team share is by days:
    # the others are taken to count the whole quarter.
    days = getattr(verdict, "days", 0)
    quarter_days = (quarter_end - date(*q.months(fys)[0], 1)).days + 1
    w = weight_units(salary_cents, verdict.months, perf, plan.merit) * (days or 1)
    cap_units = pct_units(plan.caps.max_pct_of_salary)
    # The group's weight is public, so rounded: it may round below one member's own weight.
    # Counted among them, the group weighs at least what they do (a share never above 1).
    total_w = max(big_w, w) if counted else big_w + w
    hidden = _hidden(n, min_group)
    chosen = None
    if average_monthly_gp is not None:
        chosen = _cents(average_monthly_gp, "average monthly GP")

    def mine(team_pool: Cents, merit_pool: Cents) -> tuple[Cents, Cents]:
        if not aggregates.gates_passed:
            return 0, 0
        part = Fraction(days, quarter_days) if days else Fraction(1)
        team = round_half_up(Fraction(team_pool, group) * part)
        # All weights 0 -> the merit pool is shared like the team pool (spec section 6).
        share = Fraction(w, total_w) if total_w else Fraction(1, group) * part
        merit = round_half_up(merit_pool * share)
        if cap_units:  # section 13: over the cap comes off merit first, then team
            team, merit, _ = cap_check(team, merit, pct_of(salary_cents, cap_units))
        return team, merit

    scenarios: list[CheckScenario] = []
    for label, gp_total, booked, gap in _scenarios(aggregates, chosen):
        pools = _pools(plan, aggregates, gp_total, booked, gap)
        team, merit = mine(pools.team_pool, pools.merit_pool)
        scenarios.append(
            CheckScenario(
                label=label,
                gp_total=gp_total,
                months=booked,
                tel_profit=pools.tel_profit,
                staff_pool=pools.staff_pool,
                team=team,
                merit=None if hidden else merit,
                total=None if hidden else team + merit,
                paid_pool=pools.paid_pool,
            )
        )

    ranges: tuple[Cents | None, Cents | None] = (None, None)
    if pool_range is not None and aggregates.gates_passed and not hidden:
        terms = Terms.of(plan)
        lo, hi = (sum(mine(*team_merit(paid, terms))) for paid in pool_range)
        ranges = (lo, hi)
    who_shares = (
        f"you are one of the {n} eligible people"
        if counted
        else f"you join the {n} eligible people, so {group} share the team pool"
    )
    weight = f"merit weight ({merit_words(plan)}, times performance)"
    notes = [
        f"Estimate from team totals: {who_shares}; your merit share is your {weight} over "
        "the group's total; W-2, full time, not an owner."
    ]
    if plan.netting.mode == "monthly_floor":
        notes.append("Each month counts on its own under this plan: the scenarios move GP in "
                     "the best month booked, and a full quarter at one monthly GP has no weak "
                     "month.")
    elif aggregates.carry_in:
        notes.append(f"Every scenario first makes up the "
                     f"{format_money(-aggregates.carry_in, cents_shown=False)} shortfall "
                     "carried in from earlier in the fiscal year.")
    if days and days < quarter_days:
        notes.append(f"You count {days} of the quarter's {quarter_days} days; everyone else is "
                     "taken to count them all.")
    if cap_units:
        notes.append(f"No check is above {_plain_pct(plan.caps.max_pct_of_salary)} of the "
                     "salary: what is over goes back to the house.")
    if not aggregates.gates_passed:
        notes.append(
            f"Every check is $0: {aggregates.gate_note}, and nothing is paid until it passes."
        )
    if hidden:
        notes.append(
            f"Only your team share is shown: with fewer than {min_group} people the merit "
            "share would reveal someone's pay."
        )
    return CheckEstimate(
        quarter=str(q),
        eligible=True,
        reason="",
        eligible_from=str(q),
        months_of_service=verdict.months,
        group_size=group,
        merit_shown=not hidden,
        note=" ".join(notes),
        scenarios=tuple(scenarios),
        team_help=(f"The team pool shared by days among {group} people: your days counted "
                   "over everyone's." if plan.partial == "prorate"
                   else f"The team pool shared equally by {group} people."),
        merit_help=f"Your {weight} over the group's total.",
        range_p10=ranges[0],
        range_p90=ranges[1],
    )
