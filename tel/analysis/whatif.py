"""A what-if: the plan knobs, GP overrides and chosen quarter, as one shareable value.

It travels in the page URL, so a link reopens the same what-if on the same data. Only plan
knobs, company GP figures, the quarter and the people what-if go in the URL, never a name: a
hypothetical hire is its salary, start date, department and terms, and a leaver or a raise is
a roster position with a date or the new salary (no roster salary is ever written).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tel.core.models import (
    MAX_HIRES,
    Employment,
    Hire,
    Month,
    PeopleChanges,
    Person,
    Plan,
    Scenario,
    hire_names,
)
from tel.core.money import MONEY_LIMIT, parse_money
from tel.core.periods import Quarter
from tel.core.policy import BY_NAME, FIELDS, nested, value_of

_GP_KEY = re.compile(r"^gp_(\d{4})-(\d{2})$")
PLAN_FIELDS: tuple[str, ...] = tuple(f.name for f in FIELDS)
"""The link's name of every plan setting (:data:`tel.core.policy.FIELDS`): ``netting``, not
``netting.mode``, so a link reads ``?netting=monthly_floor&holdback_pct=10``."""


class WhatIf(BaseModel):
    """Current knobs over a loaded scenario. ``gp`` maps ``YYYY-MM`` to an overriding GP;
    ``people`` holds hypothetical hires, leavers and raises."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    plan: Plan
    gp: dict[str, Decimal] = Field(default_factory=dict)
    quarter: str | None = None
    people: PeopleChanges = PeopleChanges()

    def without_people(self) -> WhatIf:
        """This what-if with the loaded roster: what a save or an approval may keep."""
        return self if self.people.empty else self.model_copy(
            update={"people": PeopleChanges()})

    def hypothetical_names(self, roster: tuple[Person, ...]) -> frozenset[str]:
        """The names :meth:`apply` gives the hypothetical hires on ``roster``."""
        return frozenset(hire_names(roster, len(self.people.hires)))

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
            plan=self.plan, months=self.months(scenario.months),
            roster=self.people.apply(scenario.roster),
            scores=scenario.scores,
        )


def _merged(into: dict[str, object], changes: Mapping[str, object]) -> dict[str, object]:
    out = dict(into)
    for key, value in changes.items():
        inner = out.get(key)
        if isinstance(value, Mapping) and isinstance(inner, dict):
            out[key] = _merged(inner, value)
        else:
            out[key] = value
    return out


def with_values(plan: Plan, values: Mapping[str, object]) -> Plan:
    """``plan`` with some settings changed, by field name (:data:`tel.core.policy.FIELDS`),
    validated as a whole: a nested variant keeps its other keys. Raises ``ValueError`` (a
    pydantic ``ValidationError``) on a bad value, or ``KeyError`` on an unknown name.

    >>> p = with_values(Plan(), {"netting": "monthly_floor", "cap_years": 5, "house_pct": 30})
    >>> p.netting.mode, p.merit.cap_years, p.merit.formula, p.house_pct
    ('monthly_floor', Decimal('5'), 'salary_x_years', Decimal('30'))
    """
    if not values:
        return plan
    return Plan.model_validate(_merged(plan.model_dump(), nested(values)))


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


def _text(value: object) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def setting_changes(plan: Plan, base: Plan) -> list[str]:
    """``["netting monthly_floor (loaded quarter)"]``: each setting that differs, by its
    link name, in the order of the plan file.

    >>> from tel.core.policy import Reserve
    >>> setting_changes(Plan(house_pct=30, reserve=Reserve(holdback_pct=10)), Plan())
    ['house_pct 30 (loaded 25)', 'holdback_pct 10 (loaded 0)']
    """
    def shown(value: object) -> str:
        return _text(value) or "none"  # a blank setting (no first shadow quarter)

    return [f"{f.name} {shown(value_of(plan, f))} (loaded {shown(value_of(base, f))})"
            for f in FIELDS if value_of(plan, f) != value_of(base, f)]


def to_query(whatif: WhatIf, base: Plan) -> dict[str, str]:
    """Query parameters for what differs from ``base`` (so a plain link stays plain).

    >>> to_query(WhatIf(plan=Plan(house_pct=30), gp={"2026-09": Decimal("70000")},
    ...                 quarter="2026-Q3"), Plan())
    {'q': '2026-Q3', 'house_pct': '30', 'gp_2026-09': '70000'}
    >>> from tel.core.policy import Netting, Reserve
    >>> to_query(WhatIf(plan=Plan(netting=Netting(mode="monthly_floor"),
    ...                           reserve=Reserve(holdback_pct=10))), Plan())
    {'netting': 'monthly_floor', 'holdback_pct': '10'}
    """
    out: dict[str, str] = {}
    if whatif.quarter:
        out["q"] = whatif.quarter
    for f in FIELDS:
        value = value_of(whatif.plan, f)
        if value != value_of(base, f):
            out[f.name] = _text(value)
    for label in sorted(whatif.gp):
        out[f"gp_{label}"] = _text(whatif.gp[label])
    people = whatif.people
    for i, hire in enumerate(people.hires, 1):
        out[f"hire{i}"] = hire_text(hire)
    for pos in sorted(people.leavers):
        out[f"leave{pos}"] = people.leavers[pos].isoformat()
    for pos in sorted(people.raises):
        out[f"raise{pos}"] = _text(people.raises[pos])
    return out


def hire_text(hire: Hire) -> str:
    """A hire as a link carries it: salary, start date, department, employment, full time.

    >>> hire_text(Hire(salary=Decimal("65000"), start_date=date(2027, 2, 1), department="Ops"))
    '65000,2027-02-01,Ops,w2,ft'
    """
    return (f"{_text(hire.salary)},{hire.start_date.isoformat()},{hire.department},"
            f"{hire.employment.value},{'ft' if hire.full_time else 'pt'}")


_HIRE_KEY = re.compile(r"^hire(\d{1,4})$")
_LEAVE_KEY = re.compile(r"^leave(\d{1,6})$")
_RAISE_KEY = re.compile(r"^raise(\d{1,6})$")
_HIRE_FORMAT = "expected salary,start date,department,w2 or contractor,ft or pt"


def _parse_hire(raw: str) -> Hire:
    parts = raw.split(",")
    if len(parts) < 5 or parts[-1] not in ("ft", "pt"):
        raise ValueError(_HIRE_FORMAT)
    try:
        return Hire(salary=parse_money(parts[0]), start_date=date.fromisoformat(parts[1]),
                    department=",".join(parts[2:-2]), employment=Employment(parts[-2]),
                    full_time=parts[-1] == "ft")
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        raise ValueError(_HIRE_FORMAT) from exc


def people_from_query(params: Mapping[str, str],
                      roster: tuple[Person, ...] | None = None) -> tuple[PeopleChanges, list[str]]:
    """The people what-if of a link: ``hire1=65000,2027-02-01,Ops,w2,ft``, ``leave3=2027-02-28``
    and ``raise5=72000`` (roster positions from 1). Each is checked alone, against ``roster``
    when given; a bad one is dropped and described.

    >>> p, bad = people_from_query({"hire1": "65000,2027-02-01,Ops,w2,ft", "raise2": "-5",
    ...                             "leave1": "2027-02-28"})
    >>> p.summary(), bad
    ('1 hypothetical hire, 1 leaving', ["link setting raise2='-5' ignored: not a salary"])
    """
    problems: list[str] = []
    hires: dict[int, Hire] = {}
    leavers: dict[int, date] = {}
    raises: dict[int, Decimal] = {}
    for key, raw in params.items():
        shown = f"link setting {key}={raw[:60]!r} ignored"
        if m := _HIRE_KEY.match(key):
            try:
                hires[int(m.group(1))] = _parse_hire(raw)
            except ValueError as exc:
                problems.append(f"{shown}: {exc}")
            continue
        m = _LEAVE_KEY.match(key) or _RAISE_KEY.match(key)
        if not m:
            continue
        pos = int(m.group(1))
        if roster is not None and not 1 <= pos <= len(roster):
            problems.append(f"{shown}: no roster position {pos}")
            continue
        if key.startswith("leave"):
            try:
                day = date.fromisoformat(raw)
            except ValueError:
                problems.append(f"{shown}: expected a date like 2027-02-28")
                continue
            if roster is not None and day < roster[pos - 1].start_date:
                problems.append(f"{shown}: before that person's start date")
                continue
            leavers[pos] = day
        else:
            try:
                raises[pos] = PeopleChanges(raises={pos: parse_money(raw)}).raises[pos]
            except ValueError:
                problems.append(f"{shown}: not a salary")
    ordered = [hires[i] for i in sorted(hires)]
    if len(ordered) > MAX_HIRES:
        problems.append(f"link hires after the first {MAX_HIRES} ignored")
    return PeopleChanges(hires=tuple(ordered[:MAX_HIRES]), leavers=leavers,
                         raises=raises), problems


def from_query(params: Mapping[str, str], base: Plan,
               roster: tuple[Person, ...] | None = None) -> tuple[WhatIf, list[str]]:
    """Rebuild a what-if from query parameters; bad ones are dropped and described. People
    changes are checked against ``roster`` when given (:func:`people_from_query`).

    >>> w, bad = from_query({"house_pct": "30", "team_pct": "x", "gp_2026-09": "$70,000"}, Plan())
    >>> w.plan.house_pct, w.gp
    (Decimal('30'), {'2026-09': Decimal('70000')})
    >>> bad
    ["link setting team_pct='x' ignored: not a number"]
    >>> w, bad = from_query({"netting": "monthly_floor", "gate_failure": "later"}, Plan())
    >>> w.plan.netting.mode, bad
    ('monthly_floor', ["link setting gate_failure='later' ignored: expected one of forfeit, defer"])
    """
    problems: list[str] = []
    updates: dict[str, object] = {}
    for name in PLAN_FIELDS:
        if name not in params:
            continue
        raw = params[name]
        field = BY_NAME[name]
        try:  # validate each setting alone (with those accepted before it: a shadow's
            # quarters need its start), so one bad value does not drop the others
            updates[name] = value_of(with_values(base, {**updates, name: raw}), field)
        except ValidationError as exc:
            why = "out of range" if _is_number(raw) else "not a number"
            first = exc.errors(include_url=False)[0]
            if first["type"] == "value_error":  # a rule of the setting, in its own words
                why = str(first["msg"]).removeprefix("Value error, ")
            if field.kind == "choice":
                why = "expected one of " + ", ".join(word for word, _ in field.choices)
            problems.append(f"link setting {name}={raw[:40]!r} ignored: {why}")
    plan = with_values(base, updates)
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
    people, bad_people = people_from_query(params, roster)
    problems += bad_people
    return WhatIf(plan=plan, gp=gp, quarter=quarter, people=people), problems


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


def future_quarters(months: tuple[Month, ...], fiscal_year_start: int) -> list[Quarter]:
    """The quarters a meeting may look ahead to: the one after the last booked month's (when
    that one is complete) and the rest of its fiscal year. Their months are not booked.

    >>> ms = tuple(Month(year=2026, month=m, gp=1, cash_on_hand=0, ar_total=0, ar_90_plus=0)
    ...            for m in (4, 5, 6))
    >>> [str(q) for q in future_quarters(ms, 1)], [str(q) for q in future_quarters(ms[:2], 1)]
    (['2026-Q3', '2026-Q4'], ['2026-Q3', '2026-Q4'])
    """
    if not months:
        return []
    last = max(m.ym for m in months)
    q = Quarter.containing(last, fiscal_year_start).shifted(1)
    out = [q]
    while out[-1].q < 4:
        out.append(out[-1].shifted(1))
    return out


def like_last_year(months: tuple[Month, ...], quarter: Quarter,
                   fiscal_year_start: int) -> dict[str, Decimal]:
    """Assumed GP for ``quarter``'s months not booked: the same month a year earlier when it
    is booked, else the average of the last three booked months (to the cent, half-up).

    >>> ms = tuple(Month(year=y, month=m, gp=g, cash_on_hand=0, ar_total=0, ar_90_plus=0)
    ...            for y, m, g in ((2025, 7, 100), (2026, 4, 10), (2026, 5, 20), (2026, 6, 31)))
    >>> like_last_year(ms, Quarter(2026, 3), 1)
    {'2026-07': Decimal('100'), '2026-08': Decimal('20.33'), '2026-09': Decimal('20.33')}
    """
    by_ym = {m.ym: m.gp for m in months}
    recent = [m.gp for m in sorted(months, key=lambda m: m.ym)[-3:]]
    average = (sum(recent, Decimal(0)) / len(recent)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP) if recent else Decimal(0)
    out: dict[str, Decimal] = {}
    for y, m in quarter.months(fiscal_year_start):
        if (y, m) in by_ym:
            continue
        out[f"{y:04d}-{m:02d}"] = by_ym.get((y - 1, m), average)
    return out
