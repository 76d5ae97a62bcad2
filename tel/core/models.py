"""Validated inputs: the plan, one month of books, one person. Frozen pydantic models."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    ValidationInfo,
    field_validator,
    model_serializer,
    model_validator,
)

from tel.core.money import MONEY_LIMIT
from tel.core.periods import DEFAULT_PAY_DAY_RULE, PayDayRule, Quarter, pay_date_note
from tel.core.policy import (
    Caps,
    GateFailure,
    Merit,
    Netting,
    Partial,
    PayrollTax,
    Reserve,
    Shadow,
)
from tel.core.text import clean_name, clean_text, name_key

STORED = {"stored": True}
"""Validation context for data this app accepted and stored before (saved versions, approved
snapshots): ``Scenario.model_validate_json(text, context=STORED)`` reads it back exactly as
it was stored, so a version saved before a text rule existed still opens and verifies. Every
other validation (files, uploads, scenario JSON, code) applies the rules of :mod:`tel.core.text`."""


def _stored(info: ValidationInfo) -> bool:
    return bool(info.context and info.context.get("stored"))


# every amount is under MONEY_LIMIT in size (see tel.core.money)
Money = Annotated[Decimal, Field(ge=0, lt=MONEY_LIMIT, decimal_places=2, allow_inf_nan=False)]
SignedMoney = Annotated[
    Decimal, Field(gt=-MONEY_LIMIT, lt=MONEY_LIMIT, decimal_places=2, allow_inf_nan=False)
]
PositiveMoney = Annotated[
    Decimal, Field(gt=0, lt=MONEY_LIMIT, decimal_places=2, allow_inf_nan=False)
]
Percent = Annotated[Decimal, Field(ge=0, le=100, decimal_places=4, allow_inf_nan=False)]

_FROZEN = ConfigDict(frozen=True, extra="forbid")


class Plan(BaseModel):
    """The policy: threshold parts (monthly dollars), splits, gates, eligibility, calendar,
    and the design choices of spec part two (:mod:`tel.core.policy`; defaults = the source)."""

    model_config = _FROZEN

    overhead: Money = Decimal("50000")
    debt_service: Money = Decimal("4000")
    owner_retention: Money = Decimal("2000")
    ni_retention: Money = Decimal("6000")
    house_pct: Percent = Decimal("25")
    team_pct: Percent = Decimal("50")
    min_cash: Money = Decimal("50000")
    max_ar90_pct: Percent = Decimal("10")
    min_months: Annotated[int, Field(ge=0, le=600)] = 9
    pay_day: Annotated[int, Field(ge=1, le=28)] = 15
    fiscal_year_start: Annotated[int, Field(ge=1, le=12)] = 1
    pay_day_rule: PayDayRule = DEFAULT_PAY_DAY_RULE
    min_house: Money = Decimal(0)
    partial: Partial = "none"
    netting: Netting = Netting()
    gate_failure: GateFailure = GateFailure()
    reserve: Reserve = Reserve()
    merit: Merit = Merit()
    payroll_tax: PayrollTax = PayrollTax()
    caps: Caps = Caps()
    shadow: Shadow = Shadow()

    @model_serializer(mode="wrap")
    def _no_shadow_left_out(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """No shadow quarters: not written, so a plan serialises exactly as before the
        setting existed (saved versions and exports keep their checksums)."""
        data: dict[str, Any] = handler(self)
        if self.shadow == Shadow():
            data.pop("shadow", None)
        return data

    @model_validator(mode="before")
    @classmethod
    def _stored_before_the_pay_day_rule(cls, data: object, info: ValidationInfo) -> object:
        """A plan stored before ``pay_day_rule`` existed was paid on the exact pay day: read
        back (``context=STORED``), it keeps that date, so saved versions and approvals
        recompute to the same figures."""
        if _stored(info) and isinstance(data, dict) and "pay_day_rule" not in data:
            return {**data, "pay_day_rule": "exact"}
        return data

    @property
    def merit_pct(self) -> Decimal:
        return 100 - self.team_pct

    def pay_date(self, quarter: Quarter) -> date:
        """The day ``quarter`` is paid under this plan (pay day, fiscal year, pay-day rule)."""
        return quarter.pay_date(self.fiscal_year_start, self.pay_day, self.pay_day_rule)

    def pay_date_note(self, quarter: Quarter, paid: date | None = None) -> str:
        """Why ``quarter``'s pay date moved off its pay day (``""`` when it did not): ``the
        15th is a Sunday; moved to the previous business day``. With ``paid`` (the date a
        result shows), ``""`` too when this plan does not give that date, e.g. an approval
        made under another rule: no reason that would contradict the date shown."""
        if paid is not None and paid != self.pay_date(quarter):
            return ""
        return pay_date_note(quarter.scheduled_pay_date(self.fiscal_year_start, self.pay_day),
                             self.pay_day_rule)

    def pay_date_text(self, quarter: Quarter) -> str:
        """The pay date in words, and why it moved when it did: ``Friday 13 November 2026
        (the 15th is a Sunday; moved to the previous business day)``."""
        return quarter.pay_date_text(self.fiscal_year_start, self.pay_day, self.pay_day_rule)

    def pay_day_words(self) -> str:
        """When quarters are paid, in words (for help text and the plan document)."""
        day = f"day {self.pay_day} of the second month after the quarter"
        if self.pay_day_rule == "exact":
            return f"{day}, even on a Saturday or Sunday"
        side = "before" if self.pay_day_rule == "previous_business_day" else "after"
        return f"{day}, or the business day {side} it when that is a Saturday or Sunday"


class Month(BaseModel):
    """One booked month: GP (may be negative) and the month-end cash and receivables.

    ``ar_total`` and ``ar_90_plus`` are both ``None`` when the month has no A/R aging report
    (spec section 16): the month counts for GP, and a quarter whose gates are checked on it is
    an error naming the missing report (:class:`tel.rules.gates.MissingAging`).
    """

    model_config = _FROZEN

    year: Annotated[int, Field(ge=1900, le=2999)]
    month: Annotated[int, Field(ge=1, le=12)]
    gp: SignedMoney
    cash_on_hand: Money
    ar_total: Money | None = None
    ar_90_plus: Money | None = None

    @model_validator(mode="after")
    def _ar90_within_total(self) -> Self:
        if (self.ar_total is None) != (self.ar_90_plus is None):
            raise ValueError("ar_total and ar_90_plus are both given or both blank")
        if (self.ar_total is not None and self.ar_90_plus is not None
                and self.ar_90_plus > self.ar_total):
            raise ValueError("ar_90_plus cannot exceed ar_total")
        return self

    @property
    def ym(self) -> tuple[int, int]:
        return (self.year, self.month)

    @property
    def label(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


class Employment(StrEnum):
    W2 = "w2"
    CONTRACTOR = "contractor"


class Person(BaseModel):
    """One roster row. ``performance`` multiplies the merit weight (default 1)."""

    model_config = _FROZEN

    name: Annotated[str, Field(min_length=1, max_length=200)]
    salary: PositiveMoney
    start_date: date
    end_date: date | None = None
    employment: Employment = Employment.W2
    full_time: bool = True
    owner: bool = False
    performance: Annotated[Decimal, Field(ge=0, le=100, decimal_places=4, allow_inf_nan=False)] = (
        Decimal("1")
    )
    department: Annotated[str, Field(max_length=200)] = ""
    employee_id: Annotated[str, Field(max_length=64)] = ""
    """The payroll or HR system's id (Gusto employee id, ADP file number, BambooHR
    employee #); blank when unknown. Payroll files match people by it before their name."""

    @field_validator("name")
    @classmethod
    def _name_is_clean(cls, v: str, info: ValidationInfo) -> str:
        """Stripped, NFC, no control or invisible character (see :mod:`tel.core.text`)."""
        if not v.strip():
            raise ValueError("name is blank")
        return v.strip() if _stored(info) else clean_name(v)

    @field_validator("department")
    @classmethod
    def _department_is_clean(cls, v: str, info: ValidationInfo) -> str:
        return v if _stored(info) else clean_text(v)

    @field_validator("employee_id")
    @classmethod
    def _employee_id_is_clean(cls, v: str, info: ValidationInfo) -> str:
        return v if _stored(info) else clean_text(v)

    @model_serializer(mode="wrap")
    def _blank_id_left_out(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """A blank ``employee_id`` is not written: a scenario without ids serialises exactly
        as before the field existed, so saved versions keep their checksums."""
        data: dict[str, Any] = handler(self)
        if not self.employee_id:
            data.pop("employee_id", None)
        return data

    @model_validator(mode="after")
    def _ends_after_start(self) -> Self:
        if self.end_date is not None and self.end_date < self.start_date:
            raise ValueError("end_date is before start_date")
        return self


HIRE_PREFIX = "Hypothetical hire"
"""Every hypothetical hire's name starts with it: ``Hypothetical hire 1``, ``… 2``."""
MAX_HIRES = 50
"""At most this many hypothetical hires (a link cannot build a roster of a million)."""


class Hire(BaseModel):
    """A hypothetical hire: no name (one is given on the roster, :func:`hire_names`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    salary: PositiveMoney
    start_date: date
    department: Annotated[str, Field(max_length=80)] = ""
    employment: Employment = Employment.W2
    full_time: bool = True

    @field_validator("department")
    @classmethod
    def _department_is_clean(cls, v: str) -> str:
        return clean_text(v)


class PeopleChanges(BaseModel):
    """Hypothetical people over the loaded roster. ``leavers`` and ``raises`` are keyed by
    roster position, counted from 1 as the rows of the roster file: a link carries a
    position, never a name. A saved version keeps them beside the loaded roster
    (``Scenario.people``); such a version is never approved nor exported to payroll."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    hires: tuple[Hire, ...] = Field(default=(), max_length=MAX_HIRES)
    leavers: dict[int, date] = Field(default_factory=dict)
    raises: dict[int, PositiveMoney] = Field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.hires or self.leavers or self.raises)

    def summary(self) -> str:
        """``1 hypothetical hire, 1 leaving, 2 raises`` (``""`` when nothing changed).

        >>> PeopleChanges(hires=(Hire(salary=1, start_date=date(2027, 1, 1)),),
        ...               leavers={2: date(2027, 2, 1)}, raises={1: 5, 3: 6}).summary()
        '1 hypothetical hire, 1 leaving, 2 raises'
        """
        parts = []
        if self.hires:
            parts.append(f"{len(self.hires)} hypothetical hire" + "s" * (len(self.hires) > 1))
        if self.leavers:
            parts.append(f"{len(self.leavers)} leaving")
        if self.raises:
            parts.append(f"{len(self.raises)} raise" + "s" * (len(self.raises) > 1))
        return ", ".join(parts)

    def problems(self, roster: tuple[Person, ...]) -> list[str]:
        """What does not fit ``roster``: a position off it, a leaving date before the start."""
        out: list[str] = []
        for pos, day in sorted(self.leavers.items()):
            if not 1 <= pos <= len(roster):
                out.append(f"roster position {pos} does not exist")
            elif day < roster[pos - 1].start_date:
                out.append(f"roster position {pos} cannot leave before starting")
        out += [f"roster position {pos} does not exist" for pos in sorted(self.raises)
                if not 1 <= pos <= len(roster)]
        return out

    def apply(self, roster: tuple[Person, ...]) -> tuple[Person, ...]:
        """``roster`` with the leavers' end dates, the raises and the hires appended. A
        position off the roster is ignored (:meth:`problems` names it).

        >>> ann = Person(name="Ann", salary=50000, start_date=date(2020, 1, 1))
        >>> out = PeopleChanges(hires=(Hire(salary=60000, start_date=date(2027, 1, 4)),),
        ...                     leavers={1: date(2027, 1, 31)}).apply((ann,))
        >>> [(p.name, p.end_date) for p in out]
        [('Ann', datetime.date(2027, 1, 31)), ('Hypothetical hire 1', None)]
        """
        if self.empty:
            return roster
        out = list(roster)
        for pos, salary in self.raises.items():
            if 1 <= pos <= len(out):
                out[pos - 1] = out[pos - 1].model_copy(update={"salary": salary})
        for pos, day in self.leavers.items():
            if 1 <= pos <= len(out) and day >= out[pos - 1].start_date:
                out[pos - 1] = out[pos - 1].model_copy(update={"end_date": day})
        for name, hire in zip(hire_names(roster, len(self.hires)), self.hires, strict=True):
            out.append(Person(name=name, salary=hire.salary, start_date=hire.start_date,
                              employment=hire.employment, full_time=hire.full_time,
                              department=hire.department))
        return tuple(out)


def hire_names(roster: tuple[Person, ...], count: int) -> list[str]:
    """Names for ``count`` hypothetical hires that no one on ``roster`` has (compared as the
    roster compares names, :func:`tel.core.text.name_key`): a taken one gets a suffix.

    >>> taken = (Person(name="hypothetical HIRE 1", salary=1, start_date=date(2020, 1, 1)),)
    >>> hire_names(taken, 2)
    ['Hypothetical hire 1 (2)', 'Hypothetical hire 2']
    """
    keys = {name_key(p.name) for p in roster}
    out: list[str] = []
    for i in range(1, count + 1):
        name, n = f"{HIRE_PREFIX} {i}", 1
        while name_key(name) in keys:
            n += 1
            name = f"{HIRE_PREFIX} {i} ({n})"
        keys.add(name_key(name))
        out.append(name)
    return out


class Score(BaseModel):
    """One row of a scores file (section 12): a person's performance multiplier for one
    quarter, winning over the roster's ``performance`` for that quarter."""

    model_config = _FROZEN

    name: Annotated[str, Field(min_length=1, max_length=200)]
    quarter: Annotated[str, Field(pattern=r"^\d{4}-Q[1-4]$")]
    performance: Annotated[Decimal, Field(ge=0, le=100, decimal_places=4, allow_inf_nan=False)]


class Scenario(BaseModel):
    """Everything one calculation needs: plan, booked months and roster, in file order, and
    any performance scores by quarter."""

    model_config = _FROZEN

    plan: Plan
    months: tuple[Month, ...]
    roster: tuple[Person, ...]
    scores: tuple[Score, ...] = ()
    people: PeopleChanges = PeopleChanges()  # a saved what-if's hypothetical people

    @model_serializer(mode="wrap")
    def _no_people_left_out(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """No hypothetical people: not written, so such a scenario serialises as before the
        field existed (saved versions keep their checksums)."""
        data: dict[str, Any] = handler(self)
        if self.people.empty:
            data.pop("people", None)
        return data

    @property
    def score_map(self) -> dict[tuple[str, str], Decimal]:
        """(name, quarter) -> performance, for :func:`tel.engine.quarter.compute_quarter`."""
        return {(s.name, s.quarter): s.performance for s in self.scores}

    @model_validator(mode="after")
    def _unique_keys(self, info: ValidationInfo) -> Self:
        # Names are unique by tel.core.text.name_key (NFC, invisibles removed, case folded): two
        # people whose names look the same would share a personal link. Stored data keeps
        # the rule it was accepted under (exact names).
        stored = _stored(info)

        def key(name: str) -> str:
            return name if stored else name_key(name)

        seen: dict[str, str] = {}
        for p in self.roster:
            first = seen.get(key(p.name))
            if first is not None:
                also = "" if first == p.name else f" (as '{first}' too)"
                raise ValueError(f"name '{p.name}' appears more than once in the roster{also}")
            seen[key(p.name)] = p.name
        months: set[tuple[int, int]] = set()
        for m in self.months:
            if m.ym in months:
                raise ValueError(f"month {m.label} appears more than once")
            months.add(m.ym)
        fys = self.plan.fiscal_year_start
        booked = {str(Quarter.containing(ym, fys)) for ym in months}
        scored: set[tuple[str, str]] = set()
        for s in self.scores:
            if s.name not in seen.values():
                raise ValueError(f"scores name '{s.name}' is not on the roster")
            if s.quarter not in booked:
                raise ValueError(f"scores quarter {s.quarter} has no booked month")
            if (s.name, s.quarter) in scored:
                raise ValueError(f"'{s.name}' has two scores for {s.quarter}")
            scored.add((s.name, s.quarter))
        return self
