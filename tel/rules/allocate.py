"""Largest-remainder allocation: pay a pool to the cent in proportion to weights."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from tel.core.money import Cents


def integer_weights(weights: Sequence[Decimal | int | Fraction]) -> list[int]:
    """Scale exact weights to integers with the same ratios (a common denominator).

    >>> integer_weights([Decimal("1.5"), 2, Fraction(1, 3)])
    [9, 12, 2]
    """
    ints = [w for w in weights if type(w) is int]
    if len(ints) == len(weights):  # already integers (the quarter's weights): skip Fraction
        if any(w < 0 for w in ints):
            raise ValueError("weights must be >= 0")
        return ints
    fracs = [Fraction(w) for w in weights]
    if any(f < 0 for f in fracs):
        raise ValueError("weights must be >= 0")
    lcm = 1
    for f in fracs:
        d = f.denominator
        if lcm % d:
            lcm = lcm * d // _gcd(lcm, d)
    return [f.numerator * (lcm // f.denominator) for f in fracs]


def _gcd(a: int, b: int) -> int:
    while b:
        a, b = b, a % b
    return a


def allocate(total: Cents, weights: Sequence[Decimal | int | Fraction]) -> list[Cents]:
    """Split ``total`` cents in proportion to ``weights`` by the largest-remainder method.

        share_i = floor(total * w_i / W)   then the cents left over go, one each, to the
        largest remainders (total * w_i mod W), ties broken by position (earlier first).

    All weights 0 -> the total is split equally. No weights -> ``ValueError``.
    The result always sums to ``total`` and each share is within one cent of its exact value.

    >>> allocate(5, [70, 30]), allocate(1000, [1, 1, 1]), allocate(7, [2, 1, 1])
    ([4, 1], [334, 333, 333], [3, 2, 2])
    """
    if total < 0:
        raise ValueError("cannot allocate a negative amount")
    if not weights:
        raise ValueError("cannot allocate among nobody")
    ints = integer_weights(weights)
    whole = sum(ints)
    if whole == 0:
        ints, whole = [1] * len(ints), len(ints)
    shares: list[int] = []
    remainders: list[int] = []
    for w in ints:
        q, r = divmod(total * w, whole)
        shares.append(q)
        remainders.append(r)
    left = total - sum(shares)
    if left:
        # sorted() is stable, so among equal remainders the earlier roster row comes first.
        order = sorted(range(len(ints)), key=lambda i: -remainders[i])
        for i in order[:left]:
            shares[i] += 1
    return shares


def equal_split(total: Cents, count: int) -> list[Cents]:
    """``allocate`` with equal weights, without building the weights.

    >>> equal_split(1000, 3)
    [334, 333, 333]
    """
    if count <= 0:
        raise ValueError("cannot allocate among nobody")
    q, left = divmod(total, count)
    return [q + 1 if i < left else q for i in range(count)]


def cap_check(team: Cents, merit: Cents, cap: Cents) -> tuple[Cents, Cents, Cents]:
    """A check held to ``cap`` (section 13): what is over comes off merit first, then team.
    Returns (team, merit, taken).

    >>> cap_check(500, 800, 1000), cap_check(500, 800, 300), cap_check(5, 5, 99)
    ((500, 500, 300), (300, 0, 1000), (5, 5, 0))
    """
    over = max(0, team + merit - cap)
    from_merit = min(merit, over)
    return team - (over - from_merit), merit - from_merit, over


def share_checks(
    team_pool: Cents,
    merit_pool: Cents,
    merit_weights: Sequence[int],
    team_weights: Sequence[int] | None = None,
    caps: Sequence[Cents] | None = None,
) -> tuple[list[Cents], list[Cents], list[Cents]]:
    """The eligible people's (team, merit, capped) checks, in order (sections 6, 12, 13):
    the team pool equally (or by ``team_weights``, the days counted under proration), the
    merit pool by ``merit_weights`` (shared like the team pool when they are all 0), each by
    the largest remainder; then each check held to its cap, merit first.

    >>> share_checks(604500, 604500, [1, 3])
    ([302250, 302250], [151125, 453375], [0, 0])
    >>> share_checks(10, 10, [0, 0], team_weights=[1, 4], caps=[99, 7])
    ([2, 7], [2, 0], [0, 9])
    """
    n = len(merit_weights)
    team = allocate(team_pool, team_weights) if team_weights else equal_split(team_pool, n)
    weights = list(merit_weights) if any(merit_weights) else list(team_weights or [1] * n)
    merit = allocate(merit_pool, weights)
    capped = [0] * n
    if caps is not None:
        for i, cap in enumerate(caps):
            team[i], merit[i], capped[i] = cap_check(team[i], merit[i], cap)
    return team, merit, capped
