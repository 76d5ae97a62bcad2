"""Who shares the staff pool, and a reason a person can read for everyone who does not."""

from __future__ import annotations

import calendar
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


def service_reached(start: date, min_months: int) -> date:
    """The first day on which ``min_months`` months of service are completed (section 5's
    formula): the same day of the month ``min_months`` later, or the 1st of the month after
    when that month is too short.

    >>> service_reached(date(2025, 12, 1), 9), service_reached(date(2026, 1, 31), 1)
    (datetime.date(2026, 9, 1), datetime.date(2026, 3, 1))
    """
    y, m = divmod(start.year * 12 + start.month - 1 + min_months, 12)
    m += 1
    if start.day <= calendar.monthrange(y, m)[1]:
        return date(y, m, start.day)
    y, m = divmod(y * 12 + m, 12)
    return date(y, m + 1, 1)


def prorated(person: Person, first: date, last: date, min_months: int) -> Prorated:
    """Section 12's ``partial = "prorate"``: owners, contractors and part-timers stay out; for
    everyone else ``days`` counts the quarter's days (``first`` to ``last``) on which
    ``min_months`` are completed and, with an ``end_date``, not after it. Years of service
    are counted at ``last``, or at the ``end_date`` when that is earlier.

    >>> p = Person(name="Ann", salary=60000, start_date=date(2025, 12, 16))
    >>> prorated(p, date(2026, 7, 1), date(2026, 9, 30), 9)
    Prorated(eligible=True, reason='15 of 92 days', months=9, days=15)
    """
    total = (last - first).days + 1
    out = [r for r, bad in (("owner", person.owner),
                            ("contractor", person.employment is Employment.CONTRACTOR),
                            ("part-time", not person.full_time)) if bad]
    end = last if person.end_date is None else min(last, person.end_date)
    months = max(completed_months(person.start_date, end), 0)
    if out:
        return Prorated(False, ", ".join(out), months, 0)
    begin = max(first, service_reached(person.start_date, min_months))
    days = max(0, (end - begin).days + 1)
    if days == 0:
        if person.start_date > last:
            why = "starts after quarter end"
        elif person.end_date is not None and person.end_date < first:
            why = "left before the quarter"
        else:
            why = f"{max(completed_months(person.start_date, last), 0)} of {min_months} months"
        return Prorated(False, why, months, 0)
    return Prorated(True, "" if days == total else f"{days} of {total} days", months, days)


@dataclass(frozen=True, slots=True)
class Prorated:
    eligible: bool
    reason: str  # "" for a whole quarter; "N of M days" for part of it
    months: int  # completed months at the quarter's last day, or the end date if earlier
    days: int  # the quarter's days that count (0 when not eligible)
