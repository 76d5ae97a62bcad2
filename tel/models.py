"""Validated inputs: the plan, one month of books, one person. Frozen pydantic models."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Money = Annotated[Decimal, Field(ge=0, decimal_places=2, allow_inf_nan=False)]
SignedMoney = Annotated[Decimal, Field(decimal_places=2, allow_inf_nan=False)]
PositiveMoney = Annotated[Decimal, Field(gt=0, decimal_places=2, allow_inf_nan=False)]
Percent = Annotated[Decimal, Field(ge=0, le=100, decimal_places=4, allow_inf_nan=False)]

_FROZEN = ConfigDict(frozen=True, extra="forbid")


class Plan(BaseModel):
    """The policy: threshold parts (monthly dollars), splits, gates, eligibility, calendar."""

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

    @property
    def merit_pct(self) -> Decimal:
        return 100 - self.team_pct


class Month(BaseModel):
    """One booked month: GP (may be negative) and the month-end cash and receivables."""

    model_config = _FROZEN

    year: Annotated[int, Field(ge=1900, le=2999)]
    month: Annotated[int, Field(ge=1, le=12)]
    gp: SignedMoney
    cash_on_hand: Money
    ar_total: Money
    ar_90_plus: Money

    @model_validator(mode="after")
    def _ar90_within_total(self) -> Self:
        if self.ar_90_plus > self.ar_total:
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

    @field_validator("name")
    @classmethod
    def _name_is_not_blank(cls, v: str) -> str:
        v = v.strip()
        if not v:
            raise ValueError("name is blank")
        return v

    @model_validator(mode="after")
    def _ends_after_start(self) -> Self:
        if self.end_date is not None and self.end_date < self.start_date:
            raise ValueError("end_date is before start_date")
        return self


class Scenario(BaseModel):
    """Everything one calculation needs: plan, booked months and roster, in file order."""

    model_config = _FROZEN

    plan: Plan
    months: tuple[Month, ...]
    roster: tuple[Person, ...]

    @model_validator(mode="after")
    def _unique_keys(self) -> Self:
        seen: set[str] = set()
        for p in self.roster:
            if p.name in seen:
                raise ValueError(f"name '{p.name}' appears more than once in the roster")
            seen.add(p.name)
        months: set[tuple[int, int]] = set()
        for m in self.months:
            if m.ym in months:
                raise ValueError(f"month {m.label} appears more than once")
            months.add(m.ym)
        return self
