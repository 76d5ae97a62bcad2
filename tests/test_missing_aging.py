"""A gate month without an A/R aging report: the quarter that needs it stops in words; an
earlier one blocks a later quarter only when its gate could change what is carried."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tel.core.models import Month, Person, Plan
from tel.core.periods import Quarter
from tel.core.policy import GateFailure
from tel.engine.quarter import compute_quarter
from tel.rules.gates import MissingAging

ANN = Person(name="Ann", salary=60000, start_date=date(2020, 1, 1))


def months(blank_q2: bool = True) -> list[Month]:
    out = []
    for m in range(4, 10):
        blank = blank_q2 and m == 6
        out.append(Month(year=2026, month=m, gp=70000, cash_on_hand=60000,
                         ar_total=None if blank else Decimal(1000),
                         ar_90_plus=None if blank else Decimal(0)))
    return out


def test_the_quarter_whose_gate_month_has_no_aging_names_the_missing_report() -> None:
    with pytest.raises(MissingAging, match="A/R aging as of 2026-06-30 is missing"):
        compute_quarter(Plan(), [ANN], months(), Quarter(2026, 2))


def test_an_earlier_missing_aging_does_not_block_a_later_quarter_when_nothing_is_carried() -> None:
    r = compute_quarter(Plan(), [ANN], months(), Quarter(2026, 3))
    assert r == compute_quarter(Plan(), [ANN], months(blank_q2=False), Quarter(2026, 3))


def test_under_deferral_an_earlier_missing_aging_blocks_the_later_quarter() -> None:
    plan = Plan(gate_failure=GateFailure(policy="defer"))
    with pytest.raises(MissingAging):
        compute_quarter(plan, [ANN], months(), Quarter(2026, 3))
