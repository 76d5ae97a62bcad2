"""The plan's design choices (spec part two, section 9) and one description of every field.

Each variant is a small frozen model whose defaults are the source's plan, so a plan without
the new sections pays exactly as part one says. :data:`FIELDS` describes every plan setting
once (file section and key, kind, range, words for people): the plan file, the Plan page's
knobs, the plan document and the what-if link are all driven from it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from tel.core.money import MONEY_LIMIT
from tel.core.periods import Quarter

_FROZEN = ConfigDict(frozen=True, extra="forbid")

Percent = Annotated[Decimal, Field(ge=0, le=100, decimal_places=4, allow_inf_nan=False)]
Money = Annotated[Decimal, Field(ge=0, lt=MONEY_LIMIT, decimal_places=2, allow_inf_nan=False)]

NettingMode = Literal["quarter", "monthly_floor", "carry_forward"]
GatePolicy = Literal["forfeit", "defer"]
MeritFormula = Literal[
    "salary_x_years", "salary_x_log_years", "salary_x_capped_years", "salary", "years"
]
Partial = Literal["none", "prorate"]


class Netting(BaseModel):
    """How a weak month is set against strong ones (section 10, step 1)."""

    model_config = _FROZEN
    mode: NettingMode = "quarter"


class GateFailure(BaseModel):
    """What happens to a staff pool when a gate fails (section 10, step 3)."""

    model_config = _FROZEN
    policy: GatePolicy = "forfeit"


class Reserve(BaseModel):
    """A share of each staff pool held back and paid with the fiscal year's fourth quarter."""

    model_config = _FROZEN
    holdback_pct: Percent = Decimal(0)


class Merit(BaseModel):
    """How the merit weight is made (section 11)."""

    model_config = _FROZEN
    formula: MeritFormula = "salary_x_years"
    cap_years: Annotated[Decimal, Field(gt=0, le=100, decimal_places=4, allow_inf_nan=False)] = (
        Decimal(10)
    )


class PayrollTax(BaseModel):
    """The employer's payroll tax on bonus checks, paid out of the pool (section 10, step 5)."""

    model_config = _FROZEN
    employer_pct: Percent = Decimal(0)


class Caps(BaseModel):
    """A ceiling on any one quarter's check, as a share of annual salary (section 13)."""

    model_config = _FROZEN
    max_pct_of_salary: Percent = Decimal(0)


MAX_SHADOW_QUARTERS = 12
"""A plan may run in shadow for at most three years."""
SHADOW_TAG = "Shadow: not paid"
"""What leads every page, chart title and file of a shadow quarter."""
SHADOW_WORDS = "Shadow: what the plan would pay, not paid"
"""The same, in a sentence for people (the team pages, statements)."""


class ShadowQuarter(ValueError):
    """A shadow quarter cannot be paid: no approval, no payroll file."""


class Shadow(BaseModel):
    """A plan that starts in shadow: for ``quarters`` quarters from ``start`` everything is
    computed and shown as what the plan would pay, and nothing is paid (no approval, no
    payroll file). When the plan goes live (the first quarter after them) the ledger's
    balances start from zero, so money that was never owed does not reach a paid quarter.
    Quarters before ``start`` are computed as before. ``quarters = 0``: no shadow (the
    source's plan).

    >>> s = Shadow(start="2026-q1", quarters=2)
    >>> s.start, [s.covers(Quarter(2026, q)) for q in (1, 2, 3)], str(s.first_live)
    ('2026-Q1', [True, True, False], '2026-Q3')
    >>> s.words()
    '2026-Q1 and 2026-Q2'
    """

    model_config = _FROZEN
    start: str = ""  # the first quarter in shadow, "YYYY-QN" (fiscal quarters)
    quarters: Annotated[int, Field(ge=0, le=MAX_SHADOW_QUARTERS)] = 0

    @field_validator("start")
    @classmethod
    def _a_quarter(cls, v: str) -> str:
        if not v.strip():
            return ""
        try:
            return str(Quarter.parse(v))
        except ValueError:
            raise ValueError("must be a quarter like 2026-Q1") from None

    @field_validator("quarters")
    @classmethod
    def _needs_a_start(cls, v: int, info: ValidationInfo) -> int:
        if v and not info.data.get("start", "x"):  # a bad start is reported on its own
            raise ValueError("needs the first quarter in shadow ([shadow] start, like 2026-Q1)")
        return v

    @property
    def on(self) -> bool:
        return self.quarters > 0 and bool(self.start)

    @property
    def first(self) -> Quarter | None:
        return Quarter.parse(self.start) if self.on else None

    @property
    def first_live(self) -> Quarter | None:
        """The quarter the plan goes live (None: no shadow)."""
        first = self.first
        return None if first is None else first.shifted(self.quarters)

    def covers(self, quarter: Quarter) -> bool:
        """Whether ``quarter`` is in shadow."""
        first, live = self.first, self.first_live
        return first is not None and live is not None and first <= quarter < live

    def words(self) -> str:
        """The shadow quarters in words: ``2026-Q1``, ``2026-Q1 and 2026-Q2``,
        ``2026-Q1 to 2026-Q4`` (``""`` when none)."""
        first, live = self.first, self.first_live
        if first is None or live is None:
            return ""
        last = live.shifted(-1)
        if last == first:
            return str(first)
        return f"{first} {'and' if self.quarters == 2 else 'to'} {last}"


def shadow_refusal(quarter: str, consequence: str) -> str:
    """Why something cannot be done for a shadow quarter, in plain words.

    >>> shadow_refusal("2026-Q1", "it cannot be approved")
    '2026-Q1 is a shadow quarter: the plan shows what it would pay and nothing is paid for it, so it cannot be approved'
    """  # noqa: E501
    return (f"{quarter} is a shadow quarter: the plan shows what it would pay and nothing is "
            f"paid for it, so {consequence}")


Kind = Literal["money", "percent", "whole", "decimal", "choice", "quarter"]


@dataclass(frozen=True, slots=True)
class PlanField:
    """One plan setting, described once.

    ``name`` is unique (what-if links and widget keys use it); ``path`` is where it lives on
    :class:`~tel.core.models.Plan` (``("netting", "mode")`` for a variant); ``section`` and
    ``key`` place it in ``plan.toml``. ``what`` says what it does and ``why`` why a company
    would choose it; ``choices`` pairs each allowed word with its meaning in plain words.
    """

    name: str
    path: tuple[str, ...]
    section: str
    key: str
    kind: Kind
    label: str
    what: str
    why: str = ""
    required: bool = False
    variant: bool = False  # part two: left out of a plan file while at its default
    hint: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    lo: float = 0.0
    hi: float = 100.0
    step: float = 1.0
    widget: Literal["slider", "number"] = "slider"  # a percent's widget; "number": typed, 7.65


def _money(name: str, section: str, label: str, what: str, why: str = "",
           hint: str = "monthly dollars, 0 or more, like 50000") -> PlanField:
    return PlanField(name, (name,), section, name, "money", label, what, why, required=True,
                     hint=hint, hi=100_000_000.0, step=500.0)


FIELDS: tuple[PlanField, ...] = (
    _money("overhead", "threshold", "Average monthly overhead ($)",
           "Averaged over the year. If it swings a lot month to month the books need fixing "
           "(COGS booked as overhead)."),
    _money("debt_service", "threshold", "Debt service ($/month)",
           "Loan payments the company must make."),
    _money("owner_retention", "threshold", "Owner retention ($/month)",
           "Owners' distributions. Owners are not in the bonus: their share is this line."),
    _money("ni_retention", "threshold", "Net-income retention ($/month)",
           "What the company keeps for growth."),
    PlanField("house_pct", ("house_pct",), "split", "house_pct", "percent",
              "House share of TEL profit",
              "Kept by the company for marketing and sales, so healthy growth makes the pie "
              "bigger for everybody. The rest is the staff pool.", required=True,
              hint="a percentage from 0 to 100", step=0.5),
    PlanField("team_pct", ("team_pct",), "split", "team_pct", "percent",
              "Team share of the staff pool",
              "Paid in equal checks to every eligible person: it rewards helping each other. "
              "Merit gets the rest.", required=True, hint="a percentage from 0 to 100", step=0.5),
    PlanField("min_house", ("min_house",), "split", "min_house", "money",
              "Minimum house share ($ a quarter)",
              "The house keeps at least this much of each quarter's TEL profit (never more than "
              "the TEL profit itself), before the staff pool is counted.",
              "A company that must fund marketing or a loan payment out of the house share "
              "whatever the quarter brings.", variant=True,
              hint="dollars a quarter, 0 or more, like 5000", hi=100_000_000.0, step=500.0),
    _money("min_cash", "gates", "Minimum cash on hand ($)",
           "Cash at the quarter's last booked month-end must be at least this.",
           hint="dollars, 0 or more, like 50000"),
    PlanField("max_ar90_pct", ("max_ar90_pct",), "gates", "max_ar90_pct", "percent",
              "Maximum A/R over 90 days",
              "90+ day receivables as a share of all receivables. Past this, billed work may "
              "never be collected. Younger companies should be stricter.", required=True,
              hint="a percentage from 0 to 100", step=0.5),
    PlanField("min_months", ("min_months",), "eligibility", "min_months", "whole",
              "Months of service needed",
              "Completed months at the quarter's last day. The source uses 3 months contract "
              "to hire + 6: the first months are training. Owners, contractors and "
              "part-timers are never eligible.",
              hint="a whole number of months from 0 to 600, like 9", hi=600.0),
    PlanField("partial", ("partial",), "eligibility", "partial", "choice",
              "New starters and leavers",
              "Whether people who are in the company for part of the quarter share it.",
              "Prorating is fairer to someone who joins or leaves mid-quarter, and removes "
              "the cliff of the last day; all-or-nothing is simpler to explain.", variant=True,
              choices=(("none", "All or nothing: the months of service and the pay date "
                                "decide"),
                       ("prorate", "Prorate by days: each day counts once the months of service "
                                   "are reached, up to the leaving date"))),
    PlanField("pay_day", ("pay_day",), "calendar", "pay_day", "whole",
              "Pay day (day of month)",
              "The bonus is paid on this day of the second month after the quarter.",
              hint="a day of the month from 1 to 28, like 15", lo=1.0, hi=28.0),
    PlanField("pay_day_rule", ("pay_day_rule",), "calendar", "pay_day_rule", "choice",
              "When the pay day is a Saturday or Sunday, pay on the",
              "Payroll cannot run on a weekend. Public holidays do not move the date: choose a "
              "pay day that avoids them if that matters.",
              choices=(("previous_business_day", "Previous business day (Friday)"),
                       ("next_business_day", "Next business day (Monday)"),
                       ("exact", "Exactly that day, even on a weekend"))),
    PlanField("fiscal_year_start", ("fiscal_year_start",), "calendar", "fiscal_year_start",
              "whole", "Fiscal year starts in month",
              "Quarters follow the fiscal year; a fiscal year is named by the calendar year in "
              "which it ends.", hint="a month number from 1 (January) to 12", lo=1.0, hi=12.0),
    PlanField("netting", ("netting", "mode"), "netting", "mode", "choice",
              "How weak months count",
              "What 'on average' means: how a month under Min GP is set against strong ones.",
              "Quarter netting is the source's plan. A monthly floor pays for every good month "
              "even in a weak quarter; carrying a shortfall makes the team earn back a weak "
              "quarter before the next one pays.", variant=True,
              choices=(("quarter", "Within the quarter: a weak month is made up by strong ones "
                                   "of the same quarter"),
                       ("monthly_floor", "Monthly floor: each month pays what it makes over Min "
                                         "GP; a weak month costs nothing and is not made up"),
                       ("carry_forward", "Carried in the fiscal year: a quarter's shortfall is "
                                         "made up by the next quarters of the same fiscal "
                                         "year"))),
    PlanField("gate_failure", ("gate_failure", "policy"), "gate_failure", "policy", "choice",
              "When a gate fails",
              "What happens to the staff pool of a quarter whose cash or A/R gate fails.",
              "Forfeiting keeps the gates strict. Deferring holds the pool until a quarter "
              "passes, so a slow collection does not cost the team what it earned.",
              variant=True,
              choices=(("forfeit", "Forfeit: the quarter's staff pool goes back to the house"),
                       ("defer", "Defer: the staff pool is held and paid with the next quarter "
                                 "whose gates pass"))),
    PlanField("holdback_pct", ("reserve", "holdback_pct"), "reserve", "holdback_pct", "percent",
              "Held back until the year's fourth quarter",
              "This share of each staff pool is kept in a reserve and paid with the fiscal "
              "year's fourth quarter, once its three months are booked.",
              "A cushion against a quarter that is later restated, and a reason to stay to the "
              "year's end.", variant=True, hint="a percentage from 0 to 100", step=5.0),
    PlanField("merit_formula", ("merit", "formula"), "merit", "formula", "choice",
              "Merit weight",
              "How each eligible person's share of the merit pool is weighted (each times "
              "performance).",
              "Salary x years is the source's plan. The logarithm and the cap keep long tenure "
              "from dominating; salary alone rewards the role, years alone loyalty.",
              variant=True,
              choices=(("salary_x_years", "Salary x years of service"),
                       ("salary_x_log_years", "Salary x ln(1 + years): early years count most"),
                       ("salary_x_capped_years", "Salary x years, years capped"),
                       ("salary", "Salary only"),
                       ("years", "Years of service only"))),
    PlanField("cap_years", ("merit", "cap_years"), "merit", "cap_years", "decimal",
              "Years cap (capped formula)",
              "With the capped formula, years of service beyond this count as this many.",
              variant=True, hint="a number of years above 0, like 10", lo=0.5, hi=100.0,
              step=0.5),
    PlanField("employer_pct", ("payroll_tax", "employer_pct"), "payroll_tax", "employer_pct",
              "percent", "Employer payroll tax paid from the pool",
              "The employer's payroll tax on the checks comes out of the pool, so checks plus "
              "that tax are what was available. 7.65% is US FICA.",
              "The company's true cost of a bonus stays the staff pool; without it the tax is "
              "paid on top, by the house.", variant=True,
              hint="a percentage from 0 to 100; 7.65 is US FICA", step=0.05, widget="number"),
    PlanField("max_pct_of_salary", ("caps", "max_pct_of_salary"), "caps", "max_pct_of_salary",
              "percent", "Cap on a quarter's check (% of annual salary)",
              "No quarter's check is more than this share of the person's annual salary; what "
              "is over goes back to the house (merit first, then team). 0 means no cap.",
              "Keeps a windfall quarter from paying one person far beyond their pay.",
              variant=True, hint="a percentage from 0 to 100; 0 is no cap", step=1.0,
              widget="number"),
    PlanField("shadow_start", ("shadow", "start"), "shadow", "start", "quarter",
              "First quarter in shadow",
              "From this quarter, for the number of quarters below, the plan is computed and "
              "shown to everyone as what it would pay, and nothing is paid: no approval, no "
              "payroll file.",
              "People see the numbers before they are managed by them: a quarter or two in "
              "shadow lets the team learn how the pot grows, and the owners test the plan, "
              "before real money moves.", variant=True,
              hint='a quarter like "2026-Q1", or "" for none'),
    PlanField("shadow_quarters", ("shadow", "quarters"), "shadow", "quarters", "whole",
              "Quarters in shadow",
              "How many quarters, from the first one above, run in shadow (0: none, the "
              "source's plan). When the plan goes live, what earlier quarters carried (a "
              "shortfall, deferred pools, the reserve) starts again from zero: money never "
              "owed is never paid.", variant=True,
              hint=f"a whole number of quarters from 0 to {MAX_SHADOW_QUARTERS}",
              hi=float(MAX_SHADOW_QUARTERS)),
)
"""Every plan setting, in the order of the plan file."""

BY_NAME: dict[str, PlanField] = {f.name: f for f in FIELDS}
SECTIONS: dict[str, tuple[str, ...]] = {}
for _f in FIELDS:
    SECTIONS.setdefault(_f.section, ())
    SECTIONS[_f.section] += (_f.key,)
"""Plan file layout: section -> its keys, in the order they are written."""
BY_PLACE: dict[tuple[str, str], PlanField] = {(f.section, f.key): f for f in FIELDS}
VARIANTS: tuple[PlanField, ...] = tuple(f for f in FIELDS if f.variant)
REQUIRED: tuple[str, ...] = tuple(f.key for f in FIELDS if f.required)
"""The company's own figures: a plan file without any of them is an error (spec, section 8)."""


def value_of(plan: object, field: PlanField) -> object:
    """The field's value on a plan (or any model with the same shape)."""
    value = plan
    for part in field.path:
        value = getattr(value, part)
    return value


def nested(values: Mapping[str, object]) -> dict[str, object]:
    """Field name -> value, as the nested dict a :class:`Plan` validates from.

    >>> nested({"house_pct": 30, "netting": "monthly_floor", "cap_years": 5})
    {'house_pct': 30, 'netting': {'mode': 'monthly_floor'}, 'merit': {'cap_years': 5}}
    """
    out: dict[str, object] = {}
    for name, value in values.items():
        path = BY_NAME[name].path
        if len(path) == 1:
            out[path[0]] = value
        else:
            inner = out.setdefault(path[0], {})
            assert isinstance(inner, dict)
            inner[path[1]] = value
    return out


def field_at(loc: tuple[int | str, ...]) -> PlanField | None:
    """The field a pydantic error location points at (``("netting", "mode")``)."""
    for f in FIELDS:
        if tuple(str(x) for x in loc[: len(f.path)]) == f.path:
            return f
    return None
