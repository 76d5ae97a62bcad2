"""Where a figure comes from: the books as loaded, a what-if, an assumption about months not
booked yet, or an approval. Every page, chart title and file says it, so nobody mistakes one
for another.

    books       the files (or upload, or saved version) as loaded, nothing changed
    whatif      plan knobs or booked months' GP changed by hand, or hypothetical people
    assumption  GP typed or shaped for months not booked yet (with or without other changes)
    approval    frozen figures of approval #N: what payroll pays
    shadow      a quarter the plan runs in shadow (``[shadow]`` in plan.toml): what the plan
                would pay, never paid. A what-if or an assumption of a shadow quarter keeps its
                own kind and says both ("What-if · Shadow: not paid"); ``shadow`` is set on
                every provenance that covers a shadow quarter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict

from tel.analysis.whatif import setting_changes
from tel.core.models import PeopleChanges, Plan, Scenario
from tel.core.periods import Quarter
from tel.core.policy import SHADOW_TAG

Kind = Literal["books", "whatif", "assumption", "approval", "shadow"]


class Provenance(BaseModel):
    """What a set of figures is. ``tag`` fits a chart title; ``detail`` is one sentence."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Kind
    tag: str
    detail: str
    assumed: tuple[str, ...] = ()  # months (YYYY-MM) whose GP is assumed, not booked
    shadow: bool = False  # covers a shadow quarter: what the plan would pay, not paid

    @property
    def is_books(self) -> bool:
        return self.kind == "books"

    @property
    def file_tag(self) -> str:
        """What a file name carries after its stem: ``""`` for the books, ``-WHAT-IF``,
        ``-SHADOW`` or ``-WHAT-IF-SHADOW``.

        >>> Provenance(kind="shadow", tag="", detail="", shadow=True).file_tag
        '-SHADOW'
        """
        whatif = "-WHAT-IF" if self.kind in ("whatif", "assumption") else ""
        return whatif + ("-SHADOW" if self.shadow else "")


def working(
    base: Scenario, plan: Plan, gp: dict[str, Decimal], quarter: Quarter,
    people: PeopleChanges | None = None,
) -> Provenance:
    """The provenance of the working figures of ``quarter``: the loaded ``base`` with
    ``plan``, the GP overrides ``gp`` (``YYYY-MM`` -> dollars) and ``people`` applied.

    >>> from tel.core.models import Month
    >>> m = Month(year=2026, month=10, gp=66500, cash_on_hand=9, ar_total=5, ar_90_plus=1)
    >>> base = Scenario.model_construct(plan=Plan(), months=(m,), roster=())
    >>> q = Quarter(2026, 4)
    >>> working(base, Plan(), {}, q).tag
    'As booked'
    >>> p = working(base, Plan(house_pct=30), {"2026-11": Decimal(60000)}, q)
    >>> p.kind, p.tag
    ('assumption', 'What-if with assumed GP')
    >>> print(p.detail)
    Not the books: GP assumed for 2026-11 (not booked yet); plan changed: house_pct 30 (loaded 25).
    >>> p = working(base, Plan(), {}, q, PeopleChanges(raises={1: Decimal(9)}))
    >>> p.tag, p.detail
    ('What-if with hypothetical people', 'Not the books: people changed: 1 raise (hypothetical).')
    """
    labels = [f"{y:04d}-{m:02d}" for y, m in quarter.months(plan.fiscal_year_start)]
    return of_months(base, plan, gp, labels, labels, people)


def shadowed(p: Provenance, plan: Plan, quarters: Sequence[Quarter]) -> Provenance:
    """``p`` for figures of ``quarters`` under ``plan``: when the plan runs any of them in
    shadow, it says so first (tag, detail and ``shadow``); the books in shadow are their own
    kind, ``shadow``.

    >>> from tel.core.policy import Shadow
    >>> books = Provenance(kind="books", tag="As booked", detail="The books as loaded: nothing changed.")
    >>> plan = Plan(shadow=Shadow(start="2026-Q1", quarters=2))
    >>> p = shadowed(books, plan, [Quarter(2026, 2)])
    >>> p.kind, p.tag
    ('shadow', 'Shadow: not paid')
    >>> print(p.detail)
    Shadow: 2026-Q2 is what the plan would pay, not paid (the plan runs 2026-Q1 and 2026-Q2 in shadow and pays from 2026-Q3). The books as loaded: nothing changed.
    >>> shadowed(books, plan, [Quarter(2026, 3)]) == books
    True
    """  # noqa: E501
    covered = [str(q) for q in quarters if plan.shadow.covers(q)]
    if not covered:
        return p
    which = ", ".join(covered)
    detail = (f"Shadow: {which} {'is' if len(covered) == 1 else 'are'} what the plan would "
              f"pay, not paid (the plan runs {plan.shadow.words()} in shadow and pays from "
              f"{plan.shadow.first_live}). {p.detail}")
    if p.is_books:
        return p.model_copy(update={"kind": "shadow", "tag": SHADOW_TAG, "detail": detail,
                                    "shadow": True})
    return p.model_copy(update={"tag": f"{p.tag} · {SHADOW_TAG}", "detail": detail,
                                "shadow": True})


def of_months(base: Scenario, plan: Plan, gp: Mapping[str, Decimal], months: Sequence[str],
              counted: Sequence[str], people: PeopleChanges | None = None) -> Provenance:
    """The provenance of figures over ``months`` (``YYYY-MM``): GP given for one of them and not
    booked is assumed; GP given for a booked month of ``counted`` (the months the figures
    depend on) is an edit; any plan setting changed from the loaded plan, or any hypothetical
    hire, leaver or raise (``people``), is a what-if. Figures of a quarter the plan runs in
    shadow say so too (:func:`shadowed`)."""
    fys = plan.fiscal_year_start
    quarters = sorted({Quarter.containing((int(lb[:4]), int(lb[5:7])), fys) for lb in months})
    return shadowed(_of_months(base, plan, gp, months, counted, people), plan, quarters)


def _of_months(base: Scenario, plan: Plan, gp: Mapping[str, Decimal], months: Sequence[str],
               counted: Sequence[str], people: PeopleChanges | None) -> Provenance:
    booked = {m.label for m in base.months}
    assumed = [lb for lb in months if lb in gp and lb not in booked]
    edited = sorted(lb for lb in gp if lb in booked and lb in counted)
    changes = setting_changes(plan, base.plan)
    parts = []
    if assumed:
        parts.append(f"GP assumed for {', '.join(assumed)} (not booked yet)")
    if edited:
        parts.append(f"GP of {', '.join(edited)} changed from the books")
    if changes:
        parts.append("plan changed: " + "; ".join(changes))
    if people is not None and not people.empty:
        parts.append(f"people changed: {people.summary()} (hypothetical)")
    if not parts:
        return Provenance(kind="books", tag="As booked",
                          detail="The books as loaded: nothing changed.")
    detail = "Not the books: " + "; ".join(parts) + "."
    if assumed:
        return Provenance(kind="assumption", tag="What-if with assumed GP", detail=detail,
                          assumed=tuple(assumed))
    if people is not None and not people.empty:
        return Provenance(kind="whatif", tag="What-if with hypothetical people", detail=detail)
    return Provenance(kind="whatif", tag="What-if", detail=detail)


def simulated(months: Sequence[str], quarter: str) -> Provenance:
    """Figures simulated for the months not booked yet: an assumption about the future.

    >>> simulated(["2026-11", "2026-12"], "2026-Q4").tag
    'Simulated: an assumption'
    """
    return Provenance(kind="assumption", tag="Simulated: an assumption",
                      detail=f"Not the books: {quarter}'s GP for {', '.join(months)} is "
                      "simulated from the recent months.", assumed=tuple(months))


def approval(snapshot_id: int, current: bool, approved_at: str, approved_by: str) -> Provenance:
    """The figures of an approval (superseded ones say so).

    >>> approval(4, True, "2026-11-02T10:00:00+00:00", "Ann").detail
    'Approval #4 of 2026-11-02 by Ann, in force: what payroll pays.'
    """
    state = "in force: what payroll pays" if current else "SUPERSEDED: do not pay from it"
    return Provenance(
        kind="approval",
        tag=f"Approval #{snapshot_id}" + ("" if current else " (superseded)"),
        detail=f"Approval #{snapshot_id} of {approved_at[:10]} by {approved_by}, {state}.",
    )
