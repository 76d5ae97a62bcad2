"""What-if sweeps for the dashboard's plots: numpy over many points, a cent from the exact path.

The rule is written once. Every pool at every point comes from the rules kernel,
:func:`tel.rules.pools.step`, run on ``int64`` arrays instead of ints, with the quarter's own
opening balances (carry, deferred, reserve) and every plan variant of spec part two. This
module only moves the inputs and shares the pools out:

* Pools are exact: ``tel_profit``, ``house``, ``staff_pool``, ``paid_pool``, ``team_pool``,
  ``merit_pool`` and the ledger's figures equal ``compute_quarter`` to the cent at every point
  (TEL profit plus the opening balances up to ``MAX_PROFIT`` cents; beyond, ``OverflowError``).
* What a GP sweep moves. ``gp_total`` (or ``avg_gp``, meaning ``gp_total = months x avg_gp``)
  is the quarter's booked GP; every booked month moves by the same amount, ``delta // n``
  cents each and the first ``delta % n`` months one cent more (``delta`` = the new total less
  the booked one). Under ``quarter`` and ``carry_forward`` netting only the total matters (plus
  the quarter's ``carry_in``); under ``monthly_floor`` each month's excess is its own.
* Team checks are exact: the equal split needs only ``divmod`` and each person's rank; under
  ``partial = "prorate"`` the team pool is split by days (largest remainder, in integers).
* Merit checks use float64 shares ``w / W`` and the largest-remainder method per point, so they
  sum to the merit pool exactly; a person's check can differ from the exact path by one cent at
  most (a remainder within float noise of another is ranked differently).
* Caps (section 13) come last: a check is ``min(check, cap)``, since what is over comes off
  merit first, then team, and only the total is kept here. ``min`` moves nothing by more than
  its argument moved, so a capped check is still within one cent of the exact one.

Inputs in cents or percent may be floats; they are snapped first, cents with round-half-up
``floor(x + 0.5)`` and percent to four decimals. Outputs are float64 arrays of whole cents,
shaped like the broadcast inputs (``checks`` adds a last axis: one column per person).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, replace
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from tel.core.models import Month, Person, Plan
from tel.core.money import Cents, round_half_up, to_cents
from tel.core.periods import Quarter
from tel.engine.quarter import QuarterResult, compute_quarter
from tel.rules.pools import (
    DEN,
    MAX_AMOUNT,
    PCT_UNITS,
    Step,
    Terms,
    excess,
    pct_of,
    pct_units,
    pos,
    step,
)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

MAX_PROFIT: Final = MAX_AMOUNT  # the kernel's int64 room: TEL profit + balances, ~$46 bn
_MAX_CENTS: Final = 2**53  # inputs (about $90 trillion): exact as floats, no int64 overflow
_CHUNK: Final = 1 << 22  # cap on points x people held at once by a weighted split
_FEW: Final = 8  # up to this many chosen people, rank by comparison instead of sorting

THRESHOLD_PARTS: Final = ("overhead", "debt_service", "owner_retention", "ni_retention")
_CHECKED: Final = ("tel_profit", "house", "staff_pool", "paid_pool", "team_pool", "merit_pool")


# --------------------------------------------------------------------------- the basis


@dataclass(frozen=True, slots=True, eq=False)
class SweepBasis:
    """What stays fixed while a sweep moves GP or the splits: one quarter, one roster.

    Arrays are read-only and in roster order. ``weights`` are the exact integer merit units of
    ``compute_quarter`` (0 for the ineligible) as float64: only their ratios matter.
    ``team_days`` are the days each person counts under ``partial = "prorate"`` (the team pool
    is then split by them; all 0 otherwise). ``caps`` are each person's cap in cents,
    ``round(salary x max_pct_of_salary / 100)``; they apply only when ``has_caps`` (a plan
    cap above 0), since a cap may itself round to 0 cents.

    ``terms`` are the plan's money rules as the kernel takes them; ``carry_in``,
    ``deferred_in`` and ``reserve_in`` the quarter's opening balances (what earlier quarters
    left it) and ``release`` whether the quarter pays the reserve out (a complete fiscal Q4).
    None of these depends on this quarter's GP, so a sweep holds them.
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
    terms: Terms
    carry_in: Cents
    deferred_in: Cents
    reserve_in: Cents
    release: bool
    prorate: bool
    team_days: IntArray
    caps: IntArray
    has_caps: bool

    @classmethod
    def from_result(cls, result: QuarterResult, plan: Plan) -> SweepBasis:
        """The basis of an exact result; ``plan`` must be the one that produced it (checked:
        the kernel on the basis must give the result's pools)."""
        parts = tuple((name, to_cents(getattr(plan, name))) for name in THRESHOLD_PARTS)
        if sum(c for _, c in parts) != result.min_gp:
            raise ValueError("plan does not match the result: Min GP differs")
        payouts = result.payouts
        eligible = np.array([p.eligible for p in payouts], dtype=np.bool_)
        weights = np.array(
            [float(p.weight) if p.eligible else 0.0 for p in payouts], dtype=np.float64
        )
        prorate = plan.partial == "prorate"
        days = np.array([p.days if p.eligible and prorate else 0 for p in payouts],
                        dtype=np.int64)
        cap_units = pct_units(plan.caps.max_pct_of_salary)
        caps = np.array([pct_of(p.salary, cap_units) for p in payouts], dtype=np.int64)
        for a in (eligible, weights, days, caps):
            a.setflags(write=False)
        basis = cls(
            names=tuple(p.name for p in payouts),
            departments=tuple(p.department for p in payouts),
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
            terms=Terms.of(plan),
            carry_in=result.carry_in,
            deferred_in=result.deferred_in,
            reserve_in=result.reserve_in,
            release=Quarter.parse(result.quarter).q == 4 and len(result.months_booked) == 3,
            prorate=prorate,
            team_days=days,
            caps=caps,
            has_caps=cap_units > 0,
        )
        here = basis.kernel_step()
        for name in _CHECKED:
            if int(getattr(here, name)) != getattr(result, name):
                raise ValueError(f"plan does not match the result: {name} differs")
        return basis

    @classmethod
    def from_inputs(
        cls, plan: Plan, roster: Sequence[Person], months: Sequence[Month], quarter: Quarter
    ) -> SweepBasis:
        """Run the exact quarter once, then keep what the sweeps need."""
        return cls.from_result(compute_quarter(plan, roster, months, quarter), plan)

    def kernel_step(self) -> Step:
        """The kernel's step at the basis itself, in plain ints."""
        return step(list(self.gp_by_month), self.gates_passed, self.terms,
                    carry_in=self.carry_in, deferred_in=self.deferred_in,
                    reserve_in=self.reserve_in, release=self.release)

    @property
    def netting(self) -> str:
        return self.terms.netting

    @property
    def min_house(self) -> Cents:
        return self.terms.min_house

    @property
    def gp_total(self) -> Cents:
        return sum(self.gp_by_month)

    @property
    def avg_gp(self) -> float:
        """Average booked monthly GP in cents (may have a fraction of a cent)."""
        return self.gp_total / self.months_booked

    @property
    def tel_profit(self) -> Cents:
        """The quarter's TEL profit, by the plan's netting (with ``carry_in``)."""
        return int(self.kernel_step().tel_profit)

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


# --------------------------------------------------------------------------- pools


@dataclass(frozen=True, slots=True, eq=False)
class Pools:
    """The quarter's pools at every point of a sweep, float64 arrays of whole cents.

    As in ``QuarterResult``: ``team_pool`` / ``merit_pool`` split ``paid_pool`` when the gates
    pass, else the ``staff_pool`` that was at stake; ``paid_pool`` is what the checks share
    (staff pool + deferred - held back + released - employer tax, 0 when a gate fails).
    """

    gp_total: FloatArray
    tel_profit: FloatArray
    house: FloatArray
    staff_pool: FloatArray
    team_pool: FloatArray
    merit_pool: FloatArray
    paid_pool: FloatArray
    available: FloatArray
    held_back: FloatArray
    released: FloatArray
    employer_tax: FloatArray
    carry_out: FloatArray
    deferred_out: FloatArray
    reserve_out: FloatArray


_POOL_FIELDS: Final = tuple(x.name for x in fields(Pools))


@dataclass(frozen=True, slots=True)
class _Run:
    """One kernel step over a broadcast grid: the booked GP total and the kernel's figures."""

    shape: tuple[int, ...]
    gp_total: IntArray
    step: Step

    def pool(self, name: str) -> IntArray:
        return np.broadcast_to(np.asarray(getattr(self.step, name), dtype=np.int64), self.shape)

    def as_floats(self) -> Pools:
        out = np.empty((len(_POOL_FIELDS), *self.shape), dtype=np.float64)
        out[0] = self.gp_total
        for i, name in enumerate(_POOL_FIELDS[1:], 1):
            out[i] = getattr(self.step, name)  # broadcast and converted in one go
        return Pools(*out)


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


def months_at(basis: SweepBasis, total: npt.ArrayLike) -> list[Any]:
    """Each booked month's GP when the quarter's booked GP is ``total`` (cents): every month
    moves by the same amount, ``delta // n`` and one cent more for the first ``delta % n``.

    >>> b = _example_basis()
    >>> [int(g) for g in months_at(b, b.gp_total + 4)]
    [6934302, 5934301, 7343401]
    """
    n = basis.months_booked
    delta = np.asarray(total, dtype=np.int64) - basis.gp_total
    each, extra = np.divmod(delta, n)
    return [g + each + (extra > i) for i, g in enumerate(basis.gp_by_month)]


def _terms(basis: SweepBasis, threshold: Any, h: Any, t: Any) -> Terms:
    """The plan's terms with Min GP and the splits taken from the sweep (arrays or ints): the
    kernel reads a term with the same arithmetic whichever it is."""
    return replace(basis.terms, min_gp=threshold, house=h, team=t)


def _run_months(basis: SweepBasis, gp: Sequence[Any], terms: Terms, shape: tuple[int, ...],
                total: IntArray) -> _Run:
    s = step(gp, basis.gates_passed, terms, carry_in=basis.carry_in,
             deferred_in=basis.deferred_in, reserve_in=basis.reserve_in, release=basis.release)
    if np.any(np.asarray(s.tel_profit) > MAX_PROFIT - basis.deferred_in - basis.reserve_in):
        raise OverflowError(f"sweeps handle TEL profit and balances up to {MAX_PROFIT} cents")
    return _Run(shape, np.broadcast_to(total, shape).copy(), s)


def _run(basis: SweepBasis, total: IntArray, threshold: IntArray, h: IntArray,
         t: IntArray) -> _Run:
    """The kernel over the broadcast grid of inputs, every booked month moved as the total.
    A term that does not vary stays a plain int (the kernel then does less work)."""
    shape = np.broadcast_shapes(total.shape, threshold.shape, h.shape, t.shape)
    total = np.broadcast_to(total, shape)

    def term(a: IntArray) -> Any:
        return int(a) if a.ndim == 0 else a

    terms = _terms(basis, term(threshold), term(h), term(t))
    return _run_months(basis, months_at(basis, total), terms, shape, total)


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

        gp_total = months_booked * avg_gp  (or given directly), spread over the booked months
        every other figure: tel.rules.pools.step with the quarter's balances and variants

    Exact in int64 (see the module note), returned as float64 cents. Every input moves this
    quarter only: the opening balances stay those of the books (a split or Min GP changed for
    the whole year would also change what earlier quarters deferred or held back).

    >>> b = _example_basis()
    >>> p = pools(b, gp_total=[18600000, 20212000, 21000000])
    >>> p.tel_profit.tolist(), p.staff_pool.tolist()
    ([0.0, 1612000.0, 2400000.0], [0.0, 1209000.0, 1800000.0])
    >>> pools(b, house_pct=np.array([[0], [100]]), team_pct=[0, 50]).team_pool.tolist()
    [[0.0, 806000.0], [0.0, 0.0]]
    """
    snapped = _snap(basis, avg_gp, gp_total, min_gp, house_pct, team_pct)
    return _run(basis, *snapped).as_floats()


# --------------------------------------------------------------------------- checks


@dataclass(frozen=True, slots=True, eq=False)
class Sweep:
    """Pools (shape S) and checks (shape S + (len(people),)) of one sweep, in cents."""

    pools: Pools
    checks: FloatArray
    people: tuple[str, ...]


def _lr_split(pool: IntArray, w: npt.NDArray[Any], chosen: IntArray | None) -> FloatArray:
    """Columns ``chosen`` (all for ``None``) of the largest-remainder split of each ``pool``
    by weights ``w`` (all above 0).

        share_i = floor(pool * w_i / W), plus one cent for the ``left`` largest remainders,
        left    = pool - sum(floor(pool * w / W))          (ties: earlier position first)

    Integer weights (days) are split exactly in int64 (``pool * w_i`` must fit); float weights
    (merit units) through float64 shares ``w_i / W``. The ``left``-th largest remainder is found
    with a plain sort of values (SIMD in numpy), not a stable argsort; among remainders equal to
    that cut, a running count picks the earliest. With a few chosen columns, a count of larger
    remainders replaces the sort.
    """
    m = w.size
    k = m if chosen is None else chosen.size
    exact = w.dtype.kind in "iu"
    whole = int(w.sum()) if exact else 0
    frac = None if exact else w / float(w.sum())
    out = np.empty((pool.size, k), dtype=np.float64)
    rows = max(1, _CHUNK // m)
    for start in range(0, pool.size, rows):
        fl: npt.NDArray[Any]
        rem: npt.NDArray[Any]
        if frac is None:
            p = pool[start : start + rows]
            prod = p[:, None] * w[None, :]
            fl = prod // whole
            rem = prod - fl * whole
            left = p - fl.sum(axis=1)
        else:
            pf = pool[start : start + rows].astype(np.float64)
            rem = pf[:, None] * frac[None, :]
            fl = np.floor(rem)
            rem -= fl
            left = pf - fl.sum(axis=1)  # whole cents: every float here is an exact integer
        if chosen is not None and k <= _FEW:
            for j, c in enumerate(chosen.tolist()):
                r = rem[:, c : c + 1]
                rank = (rem > r).sum(axis=1) + (rem[:, :c] == r).sum(axis=1)
                out[start : start + rows, j] = fl[:, c] + (rank < left)
            continue
        n = left.shape[0]
        at = np.clip(m - left.astype(np.int64), 0, m - 1)
        cut = np.sort(rem, axis=1)[np.arange(n), at][:, None]
        above = rem > cut
        tied = rem == cut
        need = left - above.sum(axis=1)  # cents left for remainders equal to the cut
        fl = fl + (above | (tied & (np.cumsum(tied, axis=1) <= need[:, None])))
        out[start : start + rows] = fl if chosen is None else fl[:, chosen]
    return out


def _share(pool: IntArray, n: int, w: npt.NDArray[Any] | None, ranks: IntArray) -> FloatArray:
    """Columns ``ranks`` (positions among the ``n`` eligible) of ``pool`` shared among them:
    equally for ``None`` (``q`` cents each and one more for the first ``left``), else by the
    weights ``w`` (largest remainder; a zero weight never receives a cent)."""
    if w is None:
        q, left = np.divmod(pool, n)
        paid = (ranks[None, :] < left[:, None]).astype(np.float64)
        paid += q[:, None]
        return paid
    positive = np.flatnonzero(w > 0)
    where = np.full(w.size, -1, dtype=np.int64)
    where[positive] = np.arange(positive.size)
    sub = where[ranks]
    has = np.flatnonzero(sub >= 0)
    everyone = has.size == positive.size and np.array_equal(sub[has], np.arange(has.size))
    got = _lr_split(pool, w[positive], None if everyone else sub[has])
    if has.size == ranks.size:
        return got
    paid = np.zeros((pool.size, ranks.size), dtype=np.float64)
    paid[:, has] = got
    return paid


def _checks(basis: SweepBasis, run: _Run, cols: IntArray) -> FloatArray:
    """Checks of roster columns ``cols`` at every point, exactly as the pools say."""
    shape = run.shape
    team = run.pool("team_pool").reshape(-1)
    merit = run.pool("merit_pool").reshape(-1)
    elig_idx = np.flatnonzero(basis.eligible)
    n = elig_idx.size
    if not basis.gates_passed or n == 0 or team.size == 0:
        return np.zeros((*shape, cols.size), dtype=np.float64)
    rank_of = np.full(len(basis.names), -1, dtype=np.int64)
    rank_of[elig_idx] = np.arange(n)
    mine = rank_of[cols]
    take = np.flatnonzero(mine >= 0)  # chosen columns that share at all
    ranks = mine[take]
    days = basis.team_days[elig_idx] if basis.prorate else None
    paid = _share(team, n, days, ranks)  # team: equal, or by days under proration
    w = basis.weights[elig_idx]
    if float(w.sum()) == 0.0:  # all weights 0: merit is shared like the team pool
        paid += _share(merit, n, days, ranks)
    else:
        paid += _share(merit, n, w, ranks)
    if basis.has_caps:  # over the cap comes off merit, then team: the check is min(check, cap)
        np.minimum(paid, basis.caps[cols[take]][None, :], out=paid)
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

        check_i = min(team_i + merit_i, cap_i),  team equal (by days under proration),
                  merit by weight (largest remainder)

    Checks are 0 for the ineligible and for everyone when a gate fails; pools are still shown.

    >>> b = _example_basis()
    >>> s = sweep(b, avg_gp=[6200000, 7000000], people=["Ann", "Bob"])
    >>> s.pools.staff_pool.tolist(), s.checks.tolist()
    ([0.0, 1800000.0], [[0.0, 0.0], [1050000.0, 750000.0]])
    """
    snapped = _snap(basis, avg_gp, gp_total, min_gp, house_pct, team_pct)
    run = _run(basis, *snapped)
    cols = basis.index(people)
    chosen = tuple(basis.names[i] for i in cols)
    return Sweep(run.as_floats(), _checks(basis, run, cols), chosen)


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


def _first_true(pred: Callable[[int], bool], lo: int, hi: int) -> int:
    """The smallest ``x`` in ``(lo, hi]`` with ``pred(x)``, for ``pred`` false at ``lo``,
    true at ``hi`` and never true then false again."""
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if pred(mid):
            hi = mid
        else:
            lo = mid
    return hi


def break_even_avg_gp(basis: SweepBasis) -> Cents:
    """Average monthly GP at which sharing starts: above it the quarter has TEL profit (the
    booked months moved together, as a GP sweep moves them).

        quarter        break_even = min_gp      (tel_profit > 0 iff avg_gp > min_gp)
        carry_forward  min_gp + (-carry_in) // months   (the shortfall carried must be made up)
        monthly_floor  the highest average at which no month is above min_gp

    >>> break_even_avg_gp(_example_basis())
    6200000
    """
    n, m = basis.months_booked, basis.min_gp
    if basis.netting == "quarter":
        return m
    if basis.netting == "carry_forward":
        return m + (-basis.carry_in) // n

    def earns(avg: int) -> bool:
        return bool(excess(months_at(basis, n * avg), m, "monthly_floor") > 0)

    spread = max(basis.gp_by_month) - min(basis.gp_by_month)
    return _first_true(earns, m - spread - 2, m + spread + 2) - 1


def tel_profit_for_staff_pool(
    target_cents: Cents, house_pct: Decimal | int | str, min_house: Cents = 0
) -> Cents:
    """Smallest whole-cent TEL profit whose staff pool reaches ``target_cents``, exactly.

        min { p in cents : staff_pool(p) >= target },
        staff_pool(p) = p - max(round(p * house_pct / 100), min(min_house, p))

    The staff pool never falls as the profit grows (the house takes 0 or 1 cent per cent) and,
    without ``min_house``, lies within half a cent of ``p * (1 - h)``, so a bisection between
    ``(target - 1/2) / (1 - h) - 1`` and ``(target + 1/2) / (1 - h)`` finds it. A minimum
    house share takes the first ``min_house`` cents whole: the answer is then at least
    ``min_house + target``, and that or the bisection's answer, whichever is larger.

    >>> tel_profit_for_staff_pool(1209000, 25), tel_profit_for_staff_pool(1, "75")
    (1612000, 3)
    >>> tel_profit_for_staff_pool(0, 100), tel_profit_for_staff_pool(1209000, 25, 500000)
    (0, 1709000)
    """
    pct = Decimal(house_pct)
    if not 0 <= pct <= 100:
        raise ValueError("house_pct must be within 0..100")
    if target_cents <= 0:
        return 0
    if pct == 100:
        raise ValueError("with house_pct 100 the staff pool is always 0")
    units = pct_units(pct)
    keep = 1 - Fraction(pct) / 100
    half = Fraction(1, 2)
    lo = max(0, int((target_cents - half) / keep) - 1)  # staff(lo) < target
    hi = -int(-(target_cents + half) // keep)  # staff(hi) >= target
    hi = _first_true(lambda p: p - pct_of(p, units) >= target_cents, lo, hi)
    return max(hi, min_house + target_cents)


def tel_profit_for_staff_pools(
    targets: npt.ArrayLike, house_pct: npt.ArrayLike | Decimal, min_house: Cents = 0
) -> FloatArray:
    """Vectorised ``tel_profit_for_staff_pool``: the same bisection in int64, exact.

    >>> tel_profit_for_staff_pools([-5, 0, 1, 1209000], 25).tolist()
    [0.0, 0.0, 1.0, 1612000.0]
    """
    x, h = np.broadcast_arrays(_cents(targets), _pct_units(house_pct))
    if np.any((h == DEN) & (x > 0)):
        raise ValueError("with house_pct 100 the staff pool is always 0")
    if np.any(x > MAX_PROFIT):
        raise OverflowError(f"sweeps handle TEL profit up to {MAX_PROFIT} cents")
    x = np.maximum(x, 0)
    keep = np.where(h == DEN, 1, DEN - h)
    units: Any = h  # the kernel takes percent units as an int or, the same way, an array
    hi: IntArray = -((-(2 * x + 1) * DEN) // (2 * keep))  # ceil((x + 1/2) / (1 - h)): reaches x
    hi = np.minimum(hi, MAX_PROFIT)  # checked below: the answer itself must fit
    lo: IntArray = np.full_like(hi, -1)  # a sentinel below every answer
    active = hi - lo > 1
    while np.any(active):
        mid = (lo + hi) // 2  # >= 0 wherever active
        safe = np.maximum(mid, 0)
        ok = safe - pct_of(safe, units) >= x
        hi = np.where(active & ok, mid, hi)
        lo = np.where(active & ~ok, mid, lo)
        active = hi - lo > 1
    if np.any(hi - pct_of(hi, units) < x):
        raise OverflowError(f"sweeps handle TEL profit up to {MAX_PROFIT} cents")
    hi = np.where(x > 0, np.maximum(hi, min_house + x), hi)
    if np.any(hi > MAX_PROFIT):
        raise OverflowError(f"sweeps handle TEL profit up to {MAX_PROFIT} cents")
    return hi.astype(np.float64)


def _gp_needed(basis: SweepBasis, profit: Any) -> Any:
    """GP the unbooked months must add for the excess to reach ``profit`` (int or int64
    array), by the plan's netting; see :func:`gp_needed_for_staff_pool`."""
    m, booked, left = basis.min_gp, basis.gp_total, basis.remaining_months
    if basis.netting == "monthly_floor":
        if left == 0:
            return _floor_extra(basis, profit)
        short = profit - excess(list(basis.gp_by_month), m, "monthly_floor")
        return (left * m + short) * (short > 0)
    carry = basis.carry_in if basis.netting == "carry_forward" else 0
    return pos(3 * m - carry + profit - booked)


def _floor_extra(basis: SweepBasis, profit: Any) -> Any:
    """Under ``monthly_floor`` with every month booked: the least GP added to the quarter (as a
    sweep adds it, every month alike) for its excess to reach ``profit``. The excess never
    falls as GP is added, so a bisection finds it; at ``hi`` every month is above Min GP by at
    least ``profit / n``, which is enough."""
    n, m = basis.months_booked, basis.min_gp
    target = np.asarray(profit, dtype=np.int64)

    def reaches(extra: IntArray) -> BoolArray:
        gp = months_at(basis, basis.gp_total + extra)
        return np.asarray(excess(gp, m, "monthly_floor") >= target)

    lo = np.full(target.shape, -1, dtype=np.int64)  # -1: "nothing added" is tried as well
    hi = lo + 1 + n * max(0, m - min(basis.gp_by_month)) + target + n
    active = hi - lo > 1
    while np.any(active):
        mid = (lo + hi) // 2  # >= 0 wherever active
        ok = reaches(np.maximum(mid, 0))
        hi = np.where(active & ok, mid, hi)
        lo = np.where(active & ~ok, mid, lo)
        active = hi - lo > 1
    out = np.maximum(hi, 0)
    return int(out) if out.ndim == 0 else out


def gp_needed_for_staff_pool(basis: SweepBasis, target_cents: Cents) -> Cents:
    """GP the quarter's unbooked months must add, in total, for the staff pool to reach X.

        profit = tel_profit_for_staff_pool(X, house_pct, min_house)
        quarter        needed = max(0, 3 * min_gp + profit - booked_gp)
        carry_forward  needed = max(0, 3 * min_gp - carry_in + profit - booked_gp)
        monthly_floor  the unbooked months at equal GP (as a sweep spreads it): 0 when the
                       booked months' excess already reaches the profit, else
                       remaining * min_gp + profit - booked excess

    With no month left a positive answer is how far the booked quarter falls short: the GP
    that, added as a sweep adds it (every booked month alike), makes the staff pool reach X.
    The staff pool is before the reserve, deferral and employer tax; see ``pools`` for
    what is then paid.

    >>> b = _example_basis(months=2)  # July and August booked: 12,868,600 cents
    >>> gp_needed_for_staff_pool(b, 1209000)
    7343400
    """
    profit = tel_profit_for_staff_pool(target_cents, basis.house_pct, basis.min_house)
    return int(_gp_needed(basis, profit))


def gp_needed_for_staff_pools(basis: SweepBasis, targets: npt.ArrayLike) -> FloatArray:
    """Vectorised ``gp_needed_for_staff_pool`` over staff-pool targets (cents), exact.

    >>> gp_needed_for_staff_pools(_example_basis(months=2), [0, 1209000]).tolist()
    [5731400.0, 7343400.0]
    """
    profit = tel_profit_for_staff_pools(targets, basis.house_pct, basis.min_house)
    need = _gp_needed(basis, profit.astype(np.int64))
    return np.asarray(need, dtype=np.float64)


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


_Point = tuple[tuple[int, ...], int, int, int]  # each month's GP, Min GP, house and team units


def _scaled_pct(pct: Decimal, factor: Fraction) -> Decimal:
    value = pct * factor.numerator / factor.denominator
    return min(Decimal(100), value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


def tornado(basis: SweepBasis, change_pct: int = 10) -> list[TornadoRow]:
    """Each input moved by -/+ ``change_pct`` percent of itself, the rest held; widest first.

        staff_low/high = staff_pool(input * (1 -/+ change_pct / 100))    (exact, cents)

    Money is rounded half-up to the cent, percent to four decimals (capped at 100). Inputs:
    the four threshold parts, each booked month's GP (that month alone), house % and team %.
    Team % never moves the staff pool (its swing is 0): its effect is in ``team_low`` /
    ``team_high`` (the kernel's team pool: of the paid pool when the gates pass).

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
    gp0 = basis.gp_by_month
    base: _Point = (gp0, basis.min_gp, h0, t0)
    rows: list[tuple[str, str, Cents | Decimal, Cents | Decimal, Cents | Decimal]] = []
    points: list[_Point] = []

    def moved(cents: Cents) -> tuple[Cents, Cents]:
        return round_half_up(cents * down), round_half_up(cents * up)

    for name, cents in basis.threshold_parts:
        lo, hi = moved(cents)
        rows.append((name.replace("_", " ").capitalize().replace("Ni ", "NI "), "$", cents,
                     lo, hi))
        points += [(gp0, basis.min_gp + x - cents, h0, t0) for x in (lo, hi)]
    for i, (label, gp) in enumerate(zip(basis.month_labels, gp0, strict=True)):
        lo, hi = moved(gp)
        rows.append((f"GP {label}", "$", gp, lo, hi))
        points += [((*gp0[:i], x, *gp0[i + 1 :]), basis.min_gp, h0, t0) for x in (lo, hi)]
    for label, pct in (("House %", basis.house_pct), ("Team %", basis.team_pct)):
        lo_p, hi_p = _scaled_pct(pct, down), _scaled_pct(pct, up)
        rows.append((label, "%", pct, lo_p, hi_p))
        for u in (int(_pct_units(lo_p)), int(_pct_units(hi_p))):
            points.append((gp0, basis.min_gp, u, t0) if label == "House %"
                          else (gp0, basis.min_gp, h0, u))
    points.append(base)

    grid = np.array([p[0] for p in points], dtype=np.int64)
    m, h, t = (np.array([p[k] for p in points], dtype=np.int64) for k in (1, 2, 3))
    run = _run_months(basis, list(grid.T), _terms(basis, m, h, t), m.shape, grid.sum(axis=1))
    staff, team = run.pool("staff_pool").tolist(), run.pool("team_pool").tolist()
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

    Equal checks grow with the team share: small merit weights gain, large ones lose. (Under
    caps a capped check may not move at all: what is over goes back to the house.)

    >>> c = team_pct_change(_example_basis(), 50, 100)
    >>> c.names, c.delta.tolist()
    (('Ann', 'Bob', 'Cy'), [-100750.0, 100750.0, 0.0])
    """
    a, b = Decimal(team_from), Decimal(team_to)
    total, threshold, h, _ = _snap(basis, None, gp_total, None, house_pct, None)
    units = np.array([int(_pct_units(a)), int(_pct_units(b))], dtype=np.int64)
    run = _run(basis, total, threshold, h, units)
    got = _checks(basis, run, basis.index(None))
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
