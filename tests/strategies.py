"""Hypothesis strategies for TEL inputs, and an exact reference for the spec's arithmetic.

The strategies lean towards the cases that matter: most people eligible (so pools are really
paid), gates that pass about two times in three, GP around the threshold, and rosters small
enough that a whole property file stays well under 20 seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

from hypothesis import strategies as st

from tel.core.models import Employment, Month, Person, Plan
from tel.core.periods import Quarter, completed_months


def dollars(min_cents: int, max_cents: int) -> st.SearchStrategy[Decimal]:
    """Exact dollar amounts with two places, drawn as integer cents."""
    return st.integers(min_cents, max_cents).map(lambda c: Decimal(c).scaleb(-2))


def percents(places: int = 4) -> st.SearchStrategy[Decimal]:
    """0..100 with up to ``places`` decimals; round values come up often."""
    scale = 10**places
    return st.one_of(
        st.sampled_from([Decimal(x) for x in (0, 10, 25, 33, 50, 70, 75, 100)]),
        st.integers(0, 100 * scale).map(lambda n: Decimal(n).scaleb(-places)),
    )


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    return Plan(
        overhead=draw(dollars(0, 10_000_000)),
        debt_service=draw(dollars(0, 1_000_000)),
        owner_retention=draw(dollars(0, 1_000_000)),
        ni_retention=draw(dollars(0, 1_000_000)),
        house_pct=draw(percents()),
        team_pct=draw(percents()),
        min_cash=draw(dollars(0, 10_000_000)),
        max_ar90_pct=draw(st.one_of(st.just(Decimal(10)), percents(2))),
        min_months=draw(st.sampled_from([0, 3, 9, 9, 12])),
        pay_day=draw(st.integers(1, 28)),
        fiscal_year_start=draw(st.sampled_from([1, 1, 4, 7, 10, 12])),
    )


quarters = st.builds(Quarter, st.integers(2020, 2030), st.integers(1, 4))


@st.composite
def quarter_months(draw: st.DrawFn, quarter: Quarter, plan: Plan | None = None) -> list[Month]:
    """Some (at least one) of ``quarter``'s months, plus maybe the month before it as noise.

    With a ``plan``, GP lands near its Min GP (mostly above) and the gates mostly pass.
    """
    plan = plan or Plan()
    fys = plan.fiscal_year_start
    threshold = sum(
        cents(x)
        for x in (plan.overhead, plan.debt_service, plan.owner_retention, plan.ni_retention)
    )
    wanted = quarter.months(fys)
    booked = draw(st.lists(st.sampled_from(wanted), min_size=1, max_size=3, unique=True))
    if draw(st.booleans()):  # the month before the quarter must be ignored
        y, m = wanted[0]
        booked.append((y - 1, 12) if m == 1 else (y, m - 1))
    months = []
    for y, m in booked:
        # Hypothesis favours small offsets, so the side of each line is drawn explicitly.
        gp = threshold + _offset(draw, above=draw(st.integers(0, 3)) > 0, size=3_000_000)
        cash = cents(plan.min_cash) + _offset(draw, above=draw(st.integers(0, 5)) > 0)
        ar_total = draw(st.integers(0, 50_000_000))
        if draw(st.integers(0, 3)) > 0:  # 0-12% overdue, under most limits
            overdue = ar_total * draw(st.integers(0, 1200)) // 10_000
        else:
            overdue = draw(st.integers(0, ar_total))
        months.append(
            Month(
                year=y,
                month=m,
                gp=Decimal(gp).scaleb(-2),
                cash_on_hand=Decimal(max(0, cash)).scaleb(-2),
                ar_total=Decimal(ar_total).scaleb(-2),
                ar_90_plus=Decimal(overdue).scaleb(-2),
            )
        )
    return months


def _offset(draw: st.DrawFn, *, above: bool, size: int = 5_000_000) -> int:
    """Cents at or above 0 (``above``), or strictly below it."""
    return draw(st.integers(0, size)) if above else -draw(st.integers(1, size))


@st.composite
def people(draw: st.DrawFn, name: str, around: date) -> Person:
    """One person whose tenure straddles ``around`` (a quarter end) in every interesting way."""
    start = around - timedelta(days=draw(st.integers(-60, 6000)))
    end = None
    if draw(st.integers(0, 4)) == 0:
        end = start + timedelta(days=draw(st.integers(0, 7000)))
    return Person(
        name=name,
        salary=draw(dollars(100, 30_000_000)),
        start_date=start,
        end_date=end,
        employment=Employment.CONTRACTOR if draw(st.integers(0, 9)) == 0 else Employment.W2,
        full_time=draw(st.integers(0, 9)) > 0,
        owner=draw(st.integers(0, 14)) == 0,
        performance=draw(
            st.one_of(
                st.just(Decimal(1)),
                st.integers(0, 30_000).map(lambda n: Decimal(n).scaleb(-4)),
            )
        ),
        department=draw(st.sampled_from(["", "Service Desk", "Projects"])),
    )


@st.composite
def rosters(draw: st.DrawFn, around: date, min_size: int = 0, max_size: int = 12) -> list[Person]:
    size = draw(st.integers(min_size, max_size))
    return [draw(people(f"Person {i}", around)) for i in range(size)]


@dataclass(frozen=True)
class Case:
    plan: Plan
    quarter: Quarter
    months: list[Month]
    roster: list[Person]


@st.composite
def cases(draw: st.DrawFn, min_people: int = 0, max_people: int = 12) -> Case:
    """A whole quarter to pay: plan, booked months (>= 1) and a roster."""
    plan = draw(plans())
    quarter = draw(quarters)
    months = draw(quarter_months(quarter, plan))
    end = quarter.last_day(plan.fiscal_year_start)
    return Case(plan, quarter, months, draw(rosters(end, min_people, max_people)))


# --- an independent reference: the spec's formulas with Decimal and Fraction ---------------


def pct_half_up(cents: int, pct: Decimal) -> int:
    """``round(cents * pct / 100)`` half-up, through ``decimal`` (not ``tel.core.money``'s route).

    Exact: cents x pct has at most ~20 digits and dividing by 100 only moves the point.
    """
    with localcontext() as ctx:
        ctx.prec = 60
        return int((Decimal(cents) * pct / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def exact_weight(person: Person, quarter_end: date) -> Fraction:
    """salary x years x performance, years = completed months / 12, as an exact rational."""
    months = completed_months(person.start_date, quarter_end)
    return Fraction(person.salary) * Fraction(months, 12) * Fraction(person.performance)


def cents(dollars_: Decimal) -> int:
    return int(dollars_ * 100)
