"""A what-if: the plan knobs, GP overrides and chosen quarter, as one shareable value.

It travels in the page URL, so a link reopens the same what-if on the same data. Only plan
knobs, company GP figures and the quarter go in the URL: never a name or a salary.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tel.core.models import Month, Plan, Scenario
from tel.core.money import MONEY_LIMIT, parse_money
from tel.core.periods import PAY_DAY_RULES, Quarter

_GP_KEY = re.compile(r"^gp_(\d{4})-(\d{2})$")
PLAN_FIELDS: tuple[str, ...] = tuple(Plan.model_fields)


class WhatIf(BaseModel):
    """Current knobs over a loaded scenario. ``gp`` maps ``YYYY-MM`` to an overriding GP."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    plan: Plan
    gp: dict[str, Decimal] = Field(default_factory=dict)
    quarter: str | None = None

    def months(self, booked: tuple[Month, ...]) -> tuple[Month, ...]:
        """The booked months with GP overrides applied. An override for a month not booked
        yet is a projection: it carries the cash and A/R of the latest booked month before it
        (or the first booked month), since nobody can know those in advance.

        >>> m = Month(year=2026, month=10, gp=1, cash_on_hand=9, ar_total=5, ar_90_plus=1)
        >>> [(x.label, x.gp, x.cash_on_hand) for x in
        ...  WhatIf(plan=Plan(), gp={"2026-11": Decimal(7)}).months((m,))]
        [('2026-10', Decimal('1'), Decimal('9')), ('2026-11', Decimal('7'), Decimal('9'))]
        """
        if not self.gp:
            return booked
        out = [m.model_copy(update={"gp": self.gp[m.label]}) if m.label in self.gp else m
               for m in booked]
        known = {m.label for m in booked}
        ordered = sorted(booked, key=lambda m: m.ym)
        for label in sorted(set(self.gp) - known):
            if not ordered:
                break
            before = [m for m in ordered if m.label < label]
            like = before[-1] if before else ordered[0]
            year, month = int(label[:4]), int(label[5:])
            out.append(like.model_copy(update={"year": year, "month": month,
                                               "gp": self.gp[label]}))
        return tuple(out)

    def apply(self, scenario: Scenario) -> Scenario:
        return Scenario.model_construct(
            plan=self.plan, months=self.months(scenario.months), roster=scenario.roster
        )


def shape_gp(
    labels: list[str], booked: Mapping[str, Decimal], level_pct: int, trend_pct: int
) -> dict[str, Decimal]:
    """Scenario GP for each month of a quarter, shaped from the booked figures.

        gp[i] = start[i] * (1 + level_pct / 100) * (1 + trend_pct / 100) ** i

    ``start`` is the booked GP, or for a month not booked yet the booked months' average.
    Rounded half-up to the cent.

    >>> shape_gp(["2026-07", "2026-08", "2026-09"],
    ...          {"2026-07": Decimal("69343"), "2026-08": Decimal("59343")}, -10, 0)
    {'2026-07': Decimal('62408.70'), '2026-08': Decimal('53408.70'), '2026-09': Decimal('57908.70')}
    """
    level, trend = Decimal(level_pct) / 100, Decimal(trend_pct) / 100
    base = list(booked.values())
    fill = sum(base, Decimal(0)) / len(base) if base else Decimal(0)
    return {
        label: (booked.get(label, fill) * (1 + level) * (1 + trend) ** i).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP)
        for i, label in enumerate(labels)
    }


def _text(value: Decimal | int) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def to_query(whatif: WhatIf, base: Plan) -> dict[str, str]:
    """Query parameters for what differs from ``base`` (so a plain link stays plain).

    >>> to_query(WhatIf(plan=Plan(house_pct=30), gp={"2026-09": Decimal("70000")},
    ...                 quarter="2026-Q3"), Plan())
    {'q': '2026-Q3', 'house_pct': '30', 'gp_2026-09': '70000'}
    """
    out: dict[str, str] = {}
    if whatif.quarter:
        out["q"] = whatif.quarter
    for name in PLAN_FIELDS:
        value = getattr(whatif.plan, name)
        if value != getattr(base, name):
            out[name] = _text(value)
    for label in sorted(whatif.gp):
        out[f"gp_{label}"] = _text(whatif.gp[label])
    return out


def from_query(params: Mapping[str, str], base: Plan) -> tuple[WhatIf, list[str]]:
    """Rebuild a what-if from query parameters; bad ones are dropped and described.

    >>> w, bad = from_query({"house_pct": "30", "team_pct": "x", "gp_2026-09": "$70,000"}, Plan())
    >>> w.plan.house_pct, w.gp
    (Decimal('30'), {'2026-09': Decimal('70000')})
    >>> bad
    ["link setting team_pct='x' ignored: not a number"]
    """
    problems: list[str] = []
    updates: dict[str, object] = {}
    base_values = base.model_dump()
    for name in PLAN_FIELDS:
        if name not in params:
            continue
        raw = params[name]
        try:  # validate each knob alone, so one bad value does not drop the others
            updates[name] = getattr(Plan.model_validate({**base_values, name: raw}), name)
        except ValidationError:
            why = "out of range" if _is_number(raw) else "not a number"
            if name == "pay_day_rule":  # the one plan setting that is a word
                why = "expected one of " + ", ".join(PAY_DAY_RULES)
            problems.append(f"link setting {name}={raw!r} ignored: {why}")
    plan = base.model_copy(update=updates)
    gp: dict[str, Decimal] = {}
    for key, raw in params.items():
        m = _GP_KEY.match(key)
        if not m:
            continue
        try:
            if not 1 <= int(m.group(2)) <= 12:
                raise ValueError("no such month")
            amount = parse_money(raw)
        except ValueError:
            problems.append(f"link setting {key}={raw!r} ignored: not an amount of money")
            continue
        if abs(amount) >= MONEY_LIMIT:  # as in the files: see tel.core.money.MONEY_LIMIT
            problems.append(f"link setting {key}={raw[:40]!r} ignored: out of range")
            continue
        gp[f"{m.group(1)}-{m.group(2)}"] = amount
    quarter = params.get("q")
    if quarter is not None:
        try:
            quarter = str(Quarter.parse(quarter))
        except ValueError:
            problems.append(f"link setting q={quarter!r} ignored: expected a quarter like 2026-Q3")
            quarter = None
    return WhatIf(plan=plan, gp=gp, quarter=quarter), problems


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True
