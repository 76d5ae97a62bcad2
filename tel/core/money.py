"""Exact money: integer cents, explicit round-half-up, parsing and formatting.

Every amount the library computes is an ``int`` number of cents. Dollars appear only at the
edges (files, models, screens) as ``Decimal`` with two places. Floats never touch money here.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

Cents = int

MONEY_LIMIT = Decimal("10000000000")
"""Every amount of money is smaller than this in size: ``|amount| < $10,000,000,000``.

Ten billion dollars a month is beyond any company this planner is for, yet small enough that
a quarter's TEL profit stays within the exact int64 arithmetic of the vectorised kernel
(``tel.rules.pools.MAX_AMOUNT``, about $46 billion; the sweeps refuse more, with the balances
carried in, as an ``OverflowError``). The loaders report an amount at or over the limit as a
bad cell (file, row, column); the models refuse it too, so no path lets one through.
"""

_CENT = Decimal("0.01")
_MONEY_RE = re.compile(r"^(?P<sign>[-+]?)\$?(?P<int>\d{1,3}(?:,\d{3})+|\d+)?(?:\.(?P<frac>\d*))?$")


def to_cents(dollars: Decimal | int | str) -> Cents:
    """Dollars with at most two decimal places -> exact integer cents.

    >>> to_cents(Decimal("16120.00")), to_cents("0.05"), to_cents(62000)
    (1612000, 5, 6200000)
    """
    d = Decimal(dollars) if not isinstance(dollars, Decimal) else dollars
    scaled = d * 100
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{dollars} has more than two decimal places")
    return int(scaled)


def to_dollars(cents: Cents) -> Decimal:
    """Integer cents -> ``Decimal`` dollars with exactly two places.

    >>> to_dollars(1612000), to_dollars(-5)
    (Decimal('16120.00'), Decimal('-0.05'))
    """
    return (Decimal(cents) / 100).quantize(_CENT)


def round_half_up(value: Fraction) -> int:
    """Round an exact rational to the nearest integer, halves away from zero.

    >>> round_half_up(Fraction(5, 2)), round_half_up(Fraction(-5, 2)), round_half_up(Fraction(7, 3))
    (3, -3, 2)
    """
    n, d = value.numerator, value.denominator  # d > 0 always
    sign = -1 if n < 0 else 1
    q, r = divmod(abs(n), d)
    return sign * (q + (1 if 2 * r >= d else 0))


def percent_of(cents: Cents, pct: Decimal, rounding: str = ROUND_HALF_UP) -> Cents:
    """``round(cents * pct / 100)`` exactly, rounding named (only ROUND_HALF_UP is supported).

    >>> percent_of(1612000, Decimal("25")), percent_of(5, Decimal("70"))
    (403000, 4)
    >>> percent_of(1, Decimal("50"))  # half a cent rounds up, never to even
    1
    """
    if rounding != ROUND_HALF_UP:
        raise ValueError("TEL money is rounded half-up")
    return round_half_up(Fraction(cents) * Fraction(pct) / 100)


def parse_money(text: str) -> Decimal:
    """A money cell as people type it -> ``Decimal`` dollars (at most two decimal places).

    Accepts ``$``, thousands separators, surrounding spaces, a leading minus or accounting
    parentheses. Raises ``ValueError`` with a message fit for a person.

    >>> parse_money(" $69,343 "), parse_money("(1,200.5)"), parse_money("-0.05")
    (Decimal('69343'), Decimal('-1200.5'), Decimal('-0.05'))
    """
    s = text.strip().replace("\u00a0", "").replace(" ", "")
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1]
    m = _MONEY_RE.match(s)
    if not s or not m or (m.group("int") is None and not m.group("frac")):
        raise ValueError(f"'{text.strip()}' is not an amount of money")
    frac = m.group("frac") or ""
    if len(frac) > 2:
        raise ValueError(f"'{text.strip()}' has more than two decimal places")
    try:
        value = Decimal((m.group("int") or "0").replace(",", "") + ("." + frac if frac else ""))
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only digits
        raise ValueError(f"'{text.strip()}' is not an amount of money") from exc
    if m.group("sign") == "-":
        negative = not negative
    return -value if negative else value


def format_money(cents: Cents, *, cents_shown: bool = True) -> str:
    """Cents -> ``$12,090.00`` (negative as ``-$5.00``).

    >>> format_money(1209000), format_money(-500), format_money(1209049, cents_shown=False)
    ('$12,090.00', '-$5.00', '$12,090')
    """
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    if not cents_shown:
        whole += 1 if part >= 50 else 0
        return f"{sign}${whole:,}"
    return f"{sign}${whole:,}.{part:02d}"
