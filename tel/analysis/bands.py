"""Checks and changes in dollar bands with head counts: what a shared screen may show.

The meeting view (``tel.ui.meeting``) shows no one's name, salary or check. What it can show
is how the checks spread: how many people get nothing, how many between $1 and $499, and so
on; and for a change of plan, how many gain and how many lose, by how much in bands. Pure:
amounts in, bands out (integer cents; a band's bounds are whole dollars).

    width = the smallest of $1, $2, $5, $10, $20, $50, ... with ceil(largest / width) <= most
    band k (k >= 1) holds amounts a with (k - 1) * width <= a < k * width, a > 0

so ``$1–$499`` holds every check above $0 and under $500 (a check of 40 cents included).
A band holds head counts only: never the names in it, nor its total (a band of one person
would give their check away).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tel.analysis.privacy import nice_step
from tel.core.money import Cents

__all__ = ["Band", "ChangeBand", "ChangeBands", "band_label", "band_width", "change_bands",
           "check_bands"]


@dataclass(frozen=True, slots=True)
class Band:
    """``count`` people with an amount in ``[low, high)`` cents (``low == high == 0``: $0)."""

    label: str
    low: Cents
    high: Cents
    count: int


@dataclass(frozen=True, slots=True)
class ChangeBand:
    """A band of the size of a change: how many gain and how many lose that much."""

    label: str
    low: Cents
    high: Cents
    gains: int
    losses: int


@dataclass(frozen=True, slots=True)
class ChangeBands:
    """Who gains and who loses, as counts: in all, and by the size of the change."""

    gains: int
    losses: int
    unchanged: int
    bands: tuple[ChangeBand, ...]  # smallest change first

    @property
    def moved(self) -> bool:
        return bool(self.gains or self.losses)


def band_width(largest: Cents, most: int = 8) -> Cents:
    """The band width in cents: a whole number of dollars (1, 2, 5 x 10^k) that covers
    ``largest`` cents in at most ``most`` bands.

    >>> band_width(210_000), band_width(210_000, most=10), band_width(3), band_width(0)
    (50000, 50000, 100, 100)
    >>> band_width(1_800_000)
    500000
    """
    dollars = -(-max(largest, 1) // 100)  # whole dollars, rounded up
    return 100 * nice_step(-(-dollars // max(1, most)))


def band_label(low: Cents, high: Cents) -> str:
    """``$1–$499`` for ``[0, 50000)`` (more than $0: the $0 band is apart), ``$500–$999`` for
    ``[50000, 100000)``, ``$3`` for ``[300, 400)``, ``under $1`` for ``[0, 100)``.

    >>> band_label(0, 50000), band_label(50000, 100000), band_label(300, 400), band_label(0, 100)
    ('$1–$499', '$500–$999', '$3', 'under $1')
    """
    lo, hi = max(1, low // 100), high // 100 - 1
    if high <= 100:
        return "under $1"
    return f"${lo:,}" if lo >= hi else f"${lo:,}–${hi:,}"


def check_bands(checks: Sequence[Cents], most: int = 8) -> list[Band]:
    """Head counts of ``checks`` (cents, one per person): a ``$0`` band first, then bands of
    :func:`band_width` up to the largest check, empty ones included (the shape shows).

    >>> [(b.label, b.count) for b in check_bands([0, 0, 4000, 51000, 99999, 120000], most=3)]
    [('$0', 2), ('$1–$499', 1), ('$500–$999', 2), ('$1,000–$1,499', 1)]
    >>> [(b.label, b.count) for b in check_bands([0, 0])]
    [('$0', 2)]
    """
    if any(c < 0 for c in checks):
        raise ValueError("a check is never negative")
    bands = [Band("$0", 0, 0, sum(1 for c in checks if c == 0))]
    paid = [c for c in checks if c > 0]
    if not paid:
        return bands
    width = band_width(max(paid), most)
    counts = [0] * (max(paid) // width + 1)
    for c in paid:
        counts[c // width] += 1
    return bands + [Band(band_label(k * width, (k + 1) * width), k * width, (k + 1) * width, n)
                    for k, n in enumerate(counts)]


def change_bands(changes: Sequence[Cents], most: int = 6) -> ChangeBands:
    """Gainers and losers (``changes`` in cents, after minus before, one per person) counted
    in all and by the size of the change, in bands of :func:`band_width`.

    >>> cb = change_bands([0, 150, -40000, 2500, -1, 0])
    >>> cb.gains, cb.losses, cb.unchanged
    (2, 2, 2)
    >>> [(b.label, b.gains, b.losses) for b in cb.bands]
    [('$1–$99', 2, 1), ('$100–$199', 0, 0), ('$200–$299', 0, 0), ('$300–$399', 0, 0), \
('$400–$499', 0, 1)]
    """
    moved = [c for c in changes if c]
    gains = sum(1 for c in moved if c > 0)
    losses = len(moved) - gains
    unchanged = len(changes) - len(moved)
    if not moved:
        return ChangeBands(0, 0, unchanged, ())
    width = band_width(max(abs(c) for c in moved), most)
    ups = [0] * (max(abs(c) for c in moved) // width + 1)
    downs = list(ups)
    for c in moved:
        (ups if c > 0 else downs)[abs(c) // width] += 1
    bands = tuple(ChangeBand(band_label(k * width, (k + 1) * width), k * width,
                             (k + 1) * width, u, d)
                  for k, (u, d) in enumerate(zip(ups, downs, strict=True)))
    return ChangeBands(gains, losses, unchanged, bands)
