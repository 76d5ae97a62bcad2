"""What-if sweeps for the dashboard's plots: numpy over many points, a cent from the exact path.

This is the one module where floats may touch money, and they touch as little as possible:

* Pools are exact. Percentages carry at most four decimals (``Plan.house_pct``), so
  ``round(x * pct / 100)`` is the integer division ``round(x * units / 10**6)`` in ``int64``;
  ``tel_profit``, ``house``, ``staff_pool``, ``team_pool`` and ``merit_pool`` equal
  ``compute_quarter`` to the cent at every point (quarters up to ``MAX_PROFIT`` cents).
* Team checks are exact: the equal split only needs ``divmod`` and each person's rank.
* Merit checks use float64 shares ``w / W`` and the largest-remainder method per point, so they
  sum to the merit pool exactly; a person's check can differ from the exact path by one cent at
  most (a remainder within float noise of another is ranked differently).

Inputs in cents or percent may be floats; they are snapped first, cents with round-half-up
``floor(x + 0.5)`` and percent to four decimals. Outputs are float64 arrays of whole cents,
shaped like the broadcast inputs (``checks`` adds a last axis: one column per person).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from tel.core.models import Month, Person, Plan
from tel.core.money import Cents, percent_of, round_half_up, to_cents
from tel.core.periods import Quarter
from tel.engine.quarter import QuarterResult, compute_quarter
from tel.rules.threshold import gp_needed

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

PCT_UNITS: Final = 10_000  # a percent has at most four decimals (models.Percent)
_DEN: Final = 100 * PCT_UNITS  # x * pct / 100 == x * units / _DEN
MAX_PROFIT: Final = (2**63 - 1) // _DEN  # tel_profit * units must fit int64: ~$92 billion
_MAX_CENTS: Final = 2**53  # inputs (about $90 trillion): exact as floats, no int64 overflow
_CHUNK: Final = 1 << 22  # cap on points x people held at once by the merit split
_FEW: Final = 8  # up to this many chosen people, rank by comparison instead of sorting

THRESHOLD_PARTS: Final = ("overhead", "debt_service", "owner_retention", "ni_retention")


# --------------------------------------------------------------------------- the basis


@dataclass(frozen=True, slots=True, eq=False)
class SweepBasis:
    """What stays fixed while a sweep moves GP or the splits: one quarter, one roster.

    Arrays are read-only and in roster order. ``weights`` are the exact integer merit units of
    ``compute_quarter`` (0 for the ineligible) as float64: only their ratios matter.
    """

    names: tuple[str, ...]
    departments: tuple[str, ...]
    eligible: BoolArray
    weights: FloatArray
    months_booked: int
    month_labels: tuple[str, ...]
    gp_by_month: tuple[Cents, ...]
    min_gp: Cents
    threshold_parts: tuple[tuple[str, Cents], ...]
    gates_passed: bool
    house_pct: Decimal
    team_pct: Decimal

    @classmethod
    def from_result(cls, result: QuarterResult, plan: Plan) -> SweepBasis:
        """The basis of an exact result; ``plan`` must be the one that produced it."""
        parts = tuple((name, to_cents(getattr(plan, name))) for name in THRESHOLD_PARTS)
        if sum(c for _, c in parts) != result.min_gp:
            raise ValueError("plan does not match the result: Min GP differs")
        eligible = np.array([p.eligible for p in result.payouts], dtype=np.bool_)
        weights = np.array(
            [float(p.weight) if p.eligible else 0.0 for p in result.payouts], dtype=np.float64
        )
        eligible.setflags(write=False)
        weights.setflags(write=False)
        return cls(
            names=tuple(p.name for p in result.payouts),
            departments=tuple(p.department for p in result.payouts),
            eligible=eligible,
            weights=weights,
            months_booked=len(result.months_booked),
            month_labels=result.months_booked,
            gp_by_month=result.gp_by_month,
            min_gp=result.min_gp,
            threshold_parts=parts,
            gates_passed=result.gates.passed,
            house_pct=plan.house_pct,
            team_pct=plan.team_pct,
        )

    @classmethod
    def from_inputs(
        cls, plan: Plan, roster: Sequence[Person], months: Sequence[Month], quarter: Quarter
    ) -> SweepBasis:
        """Run the exact quarter once, then keep what the sweeps need."""
        return cls.from_result(compute_quarter(plan, roster, months, quarter), plan)

    @property
    def gp_total(self) -> Cents:
        return sum(self.gp_by_month)

    @property
    def avg_gp(self) -> float:
        """Average booked monthly GP in cents (may have a fraction of a cent)."""
        return self.gp_total / self.months_booked

    @property
    def tel_profit(self) -> Cents:
        return max(0, self.gp_total - self.months_booked * self.min_gp)

    @property
    def remaining_months(self) -> int:
        return 3 - self.months_booked

    @property
    def eligible_count(self) -> int:
        return int(self.eligible.sum())

    def index(self, people: Sequence[str] | None) -> IntArray:
        """Roster positions of ``people`` (all of them for ``None``), in the order given."""
        if people is None:
            return np.arange(len(self.names), dtype=np.int64)
        where = {n: i for i, n in enumerate(self.names)}
        missing = [p for p in people if p not in where]
        if missing:
            raise ValueError(f"not on the roster: {', '.join(missing)}")
        return np.array([where[p] for p in people], dtype=np.int64)


# --------------------------------------------------------------------------- snapping inputs


def _cents(value: npt.ArrayLike) -> IntArray:
    """Cents as int64, floats snapped half-up: ``floor(x + 0.5)``."""
    a = np.asarray(value)
    if a.dtype.kind in "iub":
        out = a.astype(np.int64)
    else:
        f = np.asarray(a, dtype=np.float64)
        if not np.all(np.isfinite(f)):
            raise ValueError("amounts must be finite")
        if np.any(np.abs(f) > _MAX_CENTS):  # beyond 2**53 a float is no longer whole cents
            raise OverflowError(f"amounts must be within {_MAX_CENTS} cents")
        out = np.floor(f + 0.5).astype(np.int64)
    if np.any(np.abs(out) > _MAX_CENTS):
        raise OverflowError(f"amounts must be within {_MAX_CENTS} cents")
    return out


def _pct_units(value: npt.ArrayLike | Decimal) -> IntArray:
    """Percent (0..100) -> int64 units of 1/10,000 percent; Decimal exact, floats snapped."""
    if isinstance(value, Decimal | Fraction | str):
        units = Fraction(Decimal(value) if isinstance(value, str) else value) * PCT_UNITS
        if units.denominator != 1:
            raise ValueError(f"{value} has more than four decimals")
        a = np.asarray(int(units), dtype=np.int64)
    else:
        raw = np.asarray(value)
        if raw.dtype == object:
            return _pct_units_objects(raw)
        f = np.asarray(raw, dtype=np.float64)
        if not np.all(np.isfinite(f)):
            raise ValueError("percentages must be finite")
        a = np.floor(f * PCT_UNITS + 0.5).astype(np.int64)
    if np.any(a < 0) or np.any(a > 100 * PCT_UNITS):
        raise ValueError("percentages must be within 0..100")
    return a


def _pct_units_objects(raw: npt.NDArray[Any]) -> IntArray:
    flat = [int(_pct_units(Decimal(str(v)) if isinstance(v, float) else v)) for v in raw.flat]
    return np.array(flat, dtype=np.int64).reshape(raw.shape)


def _rhu_div(a: IntArray, d: int | IntArray) -> IntArray:
    """``round(a / d)`` half-up for ``a >= 0``, exactly in integers."""
    q = a // d
    return q + (2 * (a - q * d) >= d)


# --------------------------------------------------------------------------- pools


@dataclass(frozen=True, slots=True, eq=False)
class Pools:
    """The quarter's pools at every point of a sweep, float64 arrays of whole cents."""

    gp_total: FloatArray
    tel_profit: FloatArray
    house: FloatArray
    staff_pool: FloatArray
    team_pool: FloatArray
    merit_pool: FloatArray


@dataclass(frozen=True, slots=True)
class _IntPools:
    gp_total: IntArray
    tel_profit: IntArray
    house: IntArray
    staff: IntArray
    team: IntArray
    merit: IntArray

    def as_floats(self) -> Pools:
        f = np.float64
        return Pools(
            self.gp_total.astype(f),
            self.tel_profit.astype(f),
            self.house.astype(f),
            self.staff.astype(f),
            self.team.astype(f),
            self.merit.astype(f),
        )


def _snap(
    basis: SweepBasis,
    avg_gp: npt.ArrayLike | None,
    gp_total: npt.ArrayLike | None,
    min_gp: npt.ArrayLike | None,
    house_pct: npt.ArrayLike | Decimal | None,
    team_pct: npt.ArrayLike | Decimal | None,
) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """Inputs (``None`` = the basis's) -> int64 quarter GP, Min GP, house and team units."""
    if avg_gp is not None and gp_total is not None:
        raise ValueError("give avg_gp or gp_total, not both")
    if avg_gp is not None:
        total = basis.months_booked * _cents(avg_gp)
    elif gp_total is not None:
        total = _cents(gp_total)
    else:
        total = np.asarray(basis.gp_total, dtype=np.int64)
    threshold = _cents(basis.min_gp if min_gp is None else min_gp)
    h = _pct_units(basis.house_pct if house_pct is None else house_pct)
    t = _pct_units(basis.team_pct if team_pct is None else team_pct)
    return total, threshold, h, t


def _int_pools(
    months: int, total: IntArray, threshold: IntArray, h: IntArray, t: IntArray
) -> _IntPools:
    """The spec's pool arithmetic, broadcast, in exact int64."""
    total, threshold, h, t = np.broadcast_arrays(total, threshold, h, t)
    profit = np.maximum(0, total - months * threshold)
    if np.any(profit > MAX_PROFIT):
        raise OverflowError(f"sweeps handle TEL profit up to {MAX_PROFIT} cents")
    house = _rhu_div(profit * h, _DEN)
    staff = profit - house
    team = _rhu_div(staff * t, _DEN)
    return _IntPools(total.copy(), profit, house, staff, team, staff - team)


def pools(
    basis: SweepBasis,
    *,
    avg_gp: npt.ArrayLike | None = None,
    gp_total: npt.ArrayLike | None = None,
    min_gp: npt.ArrayLike | None = None,
    house_pct: npt.ArrayLike | Decimal | None = None,
    team_pct: npt.ArrayLike | Decimal | None = None,
) -> Pools:
    """Pools over any broadcastable mix of inputs; ``None`` keeps the basis's value.

        gp_total   = months_booked * avg_gp                 (or given directly)
        tel_profit = max(0, gp_total - months_booked * min_gp)
        house      = round(tel_profit * house_pct / 100)     staff_pool = tel_profit - house
        team_pool  = round(staff_pool * team_pct / 100)      merit_pool = staff_pool - team_pool

    Exact in int64 (see the module note), returned as float64 cents.

    >>> b = _example_basis()
    >>> p = pools(b, gp_total=[18600000, 20212000, 21000000])
    >>> p.tel_profit.tolist(), p.staff_pool.tolist()
    ([0.0, 1612000.0, 2400000.0], [0.0, 1209000.0, 1800000.0])
    >>> pools(b, house_pct=np.array([[0], [100]]), team_pct=[0, 50]).team_pool.tolist()
    [[0.0, 806000.0], [0.0, 0.0]]
    """
    snapped = _snap(basis, avg_gp, gp_total, min_gp, house_pct, team_pct)
    return _int_pools(basis.months_booked, *snapped).as_floats()


# --------------------------------------------------------------------------- checks


@dataclass(frozen=True, slots=True, eq=False)
class Sweep:
    """Pools (shape S) and checks (shape S + (len(people),)) of one sweep, in cents."""

    pools: Pools
    checks: FloatArray
    people: tuple[str, ...]


def _merit_split(pool: IntArray, frac: FloatArray, chosen: IntArray | None) -> FloatArray:
    """Columns ``chosen`` (all for ``None``) of the largest-remainder split of each ``pool``.

        share_i = floor(pool * frac_i), plus one cent for the ``left`` largest remainders,
        left    = pool - sum(floor(pool * frac))          (ties: earlier position first)

    The ``left``-th largest remainder is found with a plain sort of values (SIMD in numpy),
    not a stable argsort; among remainders equal to that cut, a running count picks the
    earliest. With a few chosen columns, a count of larger remainders replaces the sort.
    """
    m = frac.size
    k = m if chosen is None else chosen.size
    out = np.empty((pool.size, k), dtype=np.float64)
    rows = max(1, _CHUNK // m)
    for start in range(0, pool.size, rows):
        p = pool[start : start + rows].astype(np.float64)
        rem = p[:, None] * frac[None, :]
        fl = np.floor(rem)
        rem -= fl
        left = p - fl.sum(axis=1)  # whole cents: every float here is an exact integer
        if chosen is not None and k <= _FEW:
            for j, c in enumerate(chosen.tolist()):
                r = rem[:, c : c + 1]
                rank = (rem > r).sum(axis=1) + (rem[:, :c] == r).sum(axis=1)
                out[start : start + rows, j] = fl[:, c] + (rank < left)
            continue
        at = np.clip(m - left.astype(np.int64), 0, m - 1)
        cut = np.sort(rem, axis=1)[np.arange(p.size), at][:, None]
        above = rem > cut
        tied = rem == cut
        need = left - above.sum(axis=1)  # cents left for remainders equal to the cut
        fl += above | (tied & (np.cumsum(tied, axis=1) <= need[:, None]))
        out[start : start + rows] = fl if chosen is None else fl[:, chosen]
    return out


def _checks(basis: SweepBasis, ip: _IntPools, cols: IntArray) -> FloatArray:
    """Checks of roster columns ``cols`` at every point, exactly as the pools say."""
    shape = ip.staff.shape
    team, merit = ip.team.reshape(-1), ip.merit.reshape(-1)
    elig_idx = np.flatnonzero(basis.eligible)
    n = elig_idx.size
    if not basis.gates_passed or n == 0 or team.size == 0:
        return np.zeros((*shape, cols.size), dtype=np.float64)
    rank_of = np.full(len(basis.names), -1, dtype=np.int64)
    rank_of[elig_idx] = np.arange(n)
    mine = rank_of[cols]
    take = np.flatnonzero(mine >= 0)  # chosen columns that share at all
    ranks = mine[take]
    # team: equal_split, i.e. q cents each and one more for the first `left` in roster order
    q, left = np.divmod(team, n)
    paid = (ranks[None, :] < left[:, None]).astype(np.float64)
    paid += q[:, None]
    w = basis.weights[elig_idx]
    total_w = float(w.sum())
    if total_w == 0.0:  # all weights 0: merit is shared like the team pool
        q, left = np.divmod(merit, n)
        paid += ranks[None, :] < left[:, None]
        paid += q[:, None]
    else:
        positive = np.flatnonzero(w > 0)  # a zero weight never receives a remainder cent
        where = np.full(n, -1, dtype=np.int64)
        where[positive] = np.arange(positive.size)
        sub = where[ranks]
        has = np.flatnonzero(sub >= 0)
        everyone = has.size == positive.size and np.array_equal(sub[has], np.arange(has.size))
        got = _merit_split(merit, w[positive] / total_w, None if everyone else sub[has])
        if has.size == take.size:
            paid += got
        else:
            paid[:, has] += got
    if take.size == cols.size:
        return paid.reshape(*shape, cols.size)
    out = np.zeros((team.size, cols.size), dtype=np.float64)
    out[:, take] = paid
    return out.reshape(*shape, cols.size)


def sweep(
    basis: SweepBasis,
    *,
    avg_gp: npt.ArrayLike | None = None,
    gp_total: npt.ArrayLike | None = None,
    min_gp: npt.ArrayLike | None = None,
    house_pct: npt.ArrayLike | Decimal | None = None,
    team_pct: npt.ArrayLike | Decimal | None = None,
    people: Sequence[str] | None = None,
) -> Sweep:
    """Pools and the checks of ``people`` (everyone for ``None``) over broadcast inputs.

        check_i = team_i + merit_i,  team by equal split, merit by weight (largest remainder)

    Checks are 0 for the ineligible and for everyone when a gate fails; pools are still shown.

    >>> b = _example_basis()
    >>> s = sweep(b, avg_gp=[6200000, 7000000], people=["Ann", "Bob"])
    >>> s.pools.staff_pool.tolist(), s.checks.tolist()
    ([0.0, 1800000.0], [[0.0, 0.0], [1050000.0, 750000.0]])
    """
    snapped = _snap(basis, avg_gp, gp_total, min_gp, house_pct, team_pct)
    ip = _int_pools(basis.months_booked, *snapped)
    cols = basis.index(people)
    chosen = tuple(basis.names[i] for i in cols)
    return Sweep(ip.as_floats(), _checks(basis, ip, cols), chosen)


def checks(
    basis: SweepBasis,
    *,
    avg_gp: npt.ArrayLike | None = None,
    gp_total: npt.ArrayLike | None = None,
    min_gp: npt.ArrayLike | None = None,
    house_pct: npt.ArrayLike | Decimal | None = None,
    team_pct: npt.ArrayLike | Decimal | None = None,
    people: Sequence[str] | None = None,
) -> FloatArray:
    """``sweep(...).checks``: shape S + (len(people),), whole cents.

    >>> checks(_example_basis(), team_pct=[0, 100], people=["Bob"]).tolist()
    [[403000.0], [604500.0]]
    """
    return sweep(
        basis,
        avg_gp=avg_gp,
        gp_total=gp_total,
        min_gp=min_gp,
        house_pct=house_pct,
        team_pct=team_pct,
        people=people,
    ).checks


def split_grid(
    basis: SweepBasis,
    person: str,
    house_pct: npt.ArrayLike,
    team_pct: npt.ArrayLike,
    *,
    gp_total: npt.ArrayLike | None = None,
) -> FloatArray:
    """One person's check on the grid ``house_pct x team_pct`` (rows: house, columns: team).

        grid[i, j] = check(person; house_pct[i], team_pct[j])

    >>> split_grid(_example_basis(), "Ann", [0, 25], [0, 100]).tolist()
    [[1074667.0, 806000.0], [806000.0, 604500.0]]
    """
    h = np.asarray(house_pct, dtype=np.float64).reshape(-1, 1)
    t = np.asarray(team_pct, dtype=np.float64).reshape(1, -1)
    grid = checks(basis, gp_total=gp_total, house_pct=h, team_pct=t, people=[person])
    return grid[..., 0]


# --------------------------------------------------------------------------- inverses


def break_even_avg_gp(basis: SweepBasis) -> Cents:
    """Average monthly GP at which sharing starts: above it the quarter has TEL profit.

        break_even = min_gp     (tel_profit = months * (avg_gp - min_gp) > 0 iff avg_gp > min_gp)

    >>> break_even_avg_gp(_example_basis())
    6200000
    """
    return basis.min_gp


def tel_profit_for_staff_pool(target_cents: Cents, house_pct: Decimal | int | str) -> Cents:
    """Smallest whole-cent TEL profit whose staff pool reaches ``target_cents``, exactly.

        min { p in cents : p - round(p * house_pct / 100) >= target }

    The staff pool never falls as the profit grows (the house takes 0 or 1 cent per cent) and
    lies within half a cent of ``p * (1 - h)``, so a bisection between
    ``(target - 1/2) / (1 - h) - 1`` and ``(target + 1/2) / (1 - h)`` finds it.

    >>> tel_profit_for_staff_pool(1209000, 25), tel_profit_for_staff_pool(1, "75")
    (1612000, 3)
    >>> tel_profit_for_staff_pool(0, 100)
    0
    """
    pct = Decimal(house_pct)
    if not 0 <= pct <= 100:
        raise ValueError("house_pct must be within 0..100")
    if target_cents <= 0:
        return 0
    if pct == 100:
        raise ValueError("with house_pct 100 the staff pool is always 0")
    keep = 1 - Fraction(pct) / 100
    half = Fraction(1, 2)
    lo = max(0, int((target_cents - half) / keep) - 1)  # staff(lo) < target
    hi = -int(-(target_cents + half) // keep)  # staff(hi) >= target
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if mid - percent_of(mid, pct) >= target_cents:
            hi = mid
        else:
            lo = mid
    return hi


def tel_profit_for_staff_pools(
    targets: npt.ArrayLike, house_pct: npt.ArrayLike | Decimal
) -> FloatArray:
    """Vectorised ``tel_profit_for_staff_pool``: the same bisection in int64, exact.

    >>> tel_profit_for_staff_pools([-5, 0, 1, 1209000], 25).tolist()
    [0.0, 0.0, 1.0, 1612000.0]
    """
    x, h = np.broadcast_arrays(_cents(targets), _pct_units(house_pct))
    if np.any((h == _DEN) & (x > 0)):
        raise ValueError("with house_pct 100 the staff pool is always 0")
    if np.any(x > MAX_PROFIT):
        raise OverflowError(f"sweeps handle TEL profit up to {MAX_PROFIT} cents")
    x = np.maximum(x, 0)
    keep = np.where(h == _DEN, 1, _DEN - h)
    hi: IntArray = -((-(2 * x + 1) * _DEN) // (2 * keep))  # ceil((x + 1/2) / (1 - h)): reaches x
    hi = np.minimum(hi, MAX_PROFIT)  # checked below: the answer itself must fit
    lo: IntArray = np.full_like(hi, -1)  # a sentinel below every answer
    active = hi - lo > 1
    while np.any(active):
        mid = (lo + hi) // 2  # >= 0 wherever active
        safe = np.maximum(mid, 0)
        ok = safe - _rhu_div(safe * h, _DEN) >= x
        hi = np.where(active & ok, mid, hi)
        lo = np.where(active & ~ok, mid, lo)
        active = hi - lo > 1
    if np.any(hi - _rhu_div(hi * h, _DEN) < x):
        raise OverflowError(f"sweeps handle TEL profit up to {MAX_PROFIT} cents")
    return hi.astype(np.float64)


def gp_needed_for_staff_pool(basis: SweepBasis, target_cents: Cents) -> Cents:
    """GP the quarter's unbooked months must add, in total, for the staff pool to reach X.

        needed = max(0, 3 * min_gp + tel_profit_for_staff_pool(X, house_pct) - booked_gp)

    With no month left a positive answer is how far the booked quarter falls short.

    >>> b = _example_basis(months=2)  # July and August booked: 12,868,600 cents
    >>> gp_needed_for_staff_pool(b, 1209000)
    7343400
    """
    profit = tel_profit_for_staff_pool(target_cents, basis.house_pct)
    return gp_needed(basis.min_gp, 3, basis.gp_total, profit)


def gp_needed_for_staff_pools(basis: SweepBasis, targets: npt.ArrayLike) -> FloatArray:
    """Vectorised ``gp_needed_for_staff_pool`` over staff-pool targets (cents), exact.

    >>> gp_needed_for_staff_pools(_example_basis(months=2), [0, 1209000]).tolist()
    [5731400.0, 7343400.0]
    """
    profit = tel_profit_for_staff_pools(targets, basis.house_pct).astype(np.int64)
    need = 3 * basis.min_gp + profit - basis.gp_total
    return np.maximum(0, need).astype(np.float64)


# --------------------------------------------------------------------------- tornado, gain/loss


@dataclass(frozen=True, slots=True)
class TornadoRow:
    """One input moved down and up by the same relative step; pools in cents.

    ``unit`` is ``"$"`` (inputs in cents: a monthly threshold part, or one month's GP) or
    ``"%"`` (inputs as Decimal percent).
    """

    label: str
    unit: str
    base_input: Cents | Decimal
    low_input: Cents | Decimal
    high_input: Cents | Decimal
    staff_base: Cents
    staff_low: Cents
    staff_high: Cents
    team_base: Cents
    team_low: Cents
    team_high: Cents

    @property
    def low_delta(self) -> Cents:
        return self.staff_low - self.staff_base

    @property
    def high_delta(self) -> Cents:
        return self.staff_high - self.staff_base

    @property
    def swing(self) -> Cents:
        """How far the staff pool moves between the two ends."""
        return abs(self.staff_high - self.staff_low)

    @property
    def team_swing(self) -> Cents:
        return abs(self.team_high - self.team_low)


_Point = tuple[int, int, int, int]  # quarter GP, Min GP (cents), house and team units


def _scaled_pct(pct: Decimal, factor: Fraction) -> Decimal:
    value = pct * factor.numerator / factor.denominator
    return min(Decimal(100), value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


def tornado(basis: SweepBasis, change_pct: int = 10) -> list[TornadoRow]:
    """Each input moved by -/+ ``change_pct`` percent of itself, the rest held; widest first.

        staff_low/high = staff_pool(input * (1 -/+ change_pct / 100))    (exact, cents)

    Money is rounded half-up to the cent, percent to four decimals (capped at 100). Inputs:
    the four threshold parts, each booked month's GP, house % and team %. Team % never moves
    the staff pool (its swing is 0): its effect is in ``team_low`` / ``team_high``.

    >>> rows = tornado(_example_basis())
    >>> [(r.label, r.low_delta, r.high_delta) for r in rows][:2]
    [('Overhead', 1125000, -1125000), ('GP 2026-09', -550755, 550755)]
    >>> [(r.label, r.swing, r.team_swing) for r in rows if r.label == "Team %"]
    [('Team %', 0, 120900)]
    """
    if not 0 <= change_pct <= 100:
        raise ValueError("change_pct must be within 0..100")
    down, up = Fraction(100 - change_pct, 100), Fraction(100 + change_pct, 100)
    h0, t0 = int(_pct_units(basis.house_pct)), int(_pct_units(basis.team_pct))
    base: _Point = (basis.gp_total, basis.min_gp, h0, t0)
    rows: list[tuple[str, str, Cents | Decimal, Cents | Decimal, Cents | Decimal]] = []
    points: list[tuple[_Point, _Point]] = []

    def money(label: str, cents: Cents, at: int) -> None:
        lo, hi = round_half_up(cents * down), round_half_up(cents * up)
        rows.append((label, "$", cents, lo, hi))
        low, high = list(base), list(base)
        low[at] += lo - cents
        high[at] += hi - cents
        points.append(((low[0], low[1], low[2], low[3]), (high[0], high[1], high[2], high[3])))

    for name, cents in basis.threshold_parts:
        money(name.replace("_", " ").capitalize().replace("Ni ", "NI "), cents, 1)
    for label, gp in zip(basis.month_labels, basis.gp_by_month, strict=True):
        money(f"GP {label}", gp, 0)
    for label, pct in (("House %", basis.house_pct), ("Team %", basis.team_pct)):
        lo_p, hi_p = _scaled_pct(pct, down), _scaled_pct(pct, up)
        rows.append((label, "%", pct, lo_p, hi_p))
        lo_u, hi_u = int(_pct_units(lo_p)), int(_pct_units(hi_p))
        if label == "House %":
            points.append(((*base[:2], lo_u, t0), (*base[:2], hi_u, t0)))
        else:
            points.append(((*base[:3], lo_u), (*base[:3], hi_u)))

    grid = np.array([p for pair in points for p in pair] + [base], dtype=np.int64)
    ip = _int_pools(basis.months_booked, *grid.T)
    staff, team = ip.staff.tolist(), ip.team.tolist()
    out = [
        TornadoRow(
            *row,
            staff_base=staff[-1],
            staff_low=staff[2 * i],
            staff_high=staff[2 * i + 1],
            team_base=team[-1],
            team_low=team[2 * i],
            team_high=team[2 * i + 1],
        )
        for i, row in enumerate(rows)
    ]
    return sorted(out, key=lambda r: (-r.swing, -r.team_swing))


@dataclass(frozen=True, slots=True, eq=False)
class SplitChange:
    """Everyone's check before and after a change of ``team_pct``, in roster order (cents)."""

    names: tuple[str, ...]
    departments: tuple[str, ...]
    eligible: BoolArray
    team_from: Decimal
    team_to: Decimal
    before: FloatArray
    after: FloatArray

    @property
    def delta(self) -> FloatArray:
        return self.after - self.before


def team_pct_change(
    basis: SweepBasis,
    team_from: Decimal | int | str,
    team_to: Decimal | int | str,
    *,
    gp_total: Cents | None = None,
    house_pct: Decimal | None = None,
) -> SplitChange:
    """Who gains and who loses when the team share moves from A to B percent.

        delta_i = check_i(team_pct = B) - check_i(team_pct = A)

    Equal checks grow with the team share: small merit weights gain, large ones lose.

    >>> c = team_pct_change(_example_basis(), 50, 100)
    >>> c.names, c.delta.tolist()
    (('Ann', 'Bob', 'Cy'), [-100750.0, 100750.0, 0.0])
    """
    a, b = Decimal(team_from), Decimal(team_to)
    total, threshold, h, _ = _snap(basis, None, gp_total, None, house_pct, None)
    units = np.array([int(_pct_units(a)), int(_pct_units(b))], dtype=np.int64)
    ip = _int_pools(basis.months_booked, total, threshold, h, units)
    got = _checks(basis, ip, basis.index(None))
    return SplitChange(basis.names, basis.departments, basis.eligible, a, b, got[0], got[1])


# --------------------------------------------------------------------------- doctest fixture


def _example_basis(months: int = 3) -> SweepBasis:
    """The spec's worked example (section 7) with Ann (weight 2), Bob (1) and Cy (owner)."""
    from datetime import date

    gps = (69343, 59343, 73434)[:months]
    booked = [
        Month(year=2026, month=7 + i, gp=g, cash_on_hand=52000, ar_total=320000, ar_90_plus=24000)
        for i, g in enumerate(gps)
    ]
    roster = [
        Person(name="Ann", salary=120000, start_date=date(2020, 1, 1)),
        Person(name="Bob", salary=60000, start_date=date(2020, 1, 1)),
        Person(name="Cy", salary=90000, start_date=date(2020, 1, 1), owner=True),
    ]
    return SweepBasis.from_inputs(Plan(), roster, booked, Quarter(2026, 3))
