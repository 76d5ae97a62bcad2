"""Who shares the staff pool, and a reason a person can read for everyone who does not."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tel.core.models import Employment, Person
from tel.core.periods import completed_months


@dataclass(frozen=True, slots=True)
class Eligibility:
    eligible: bool
    reason: str  # "" when eligible; else reasons joined by ", ", most decisive first
    months: int  # completed months of service at the quarter's last day (never below 0)


def judge(person: Person, quarter_end: date, pay_date: date, min_months: int) -> Eligibility:
    """Eligible when not an owner, W-2, full time, ``min_months`` completed months of
    service at ``quarter_end`` and no ``end_date`` before ``pay_date``.

    >>> p = Person(name="Ann", salary=60000, start_date=date(2026, 2, 1))
    >>> judge(p, date(2026, 9, 30), date(2026, 11, 15), 9)
    Eligibility(eligible=False, reason='7 of 9 months', months=7)
    >>> judge(p, date(2026, 12, 31), date(2027, 2, 15), 9).eligible
    True
    """
    months = completed_months(person.start_date, quarter_end)
    reasons: list[str] = []
    if person.owner:
        reasons.append("owner")
    if person.employment is Employment.CONTRACTOR:
        reasons.append("contractor")
    if not person.full_time:
        reasons.append("part-time")
    if person.start_date > quarter_end:
        reasons.append("starts after quarter end")
    elif months < min_months:
        reasons.append(f"{max(months, 0)} of {min_months} months")
    if person.end_date is not None and person.end_date < pay_date:
        reasons.append("left before pay date")
    return Eligibility(not reasons, ", ".join(reasons), max(months, 0))
