"""Blocks of base counts: exact reasoning inside one year and department, for national-size tables.

A national follow-up year has some 360 departments, each a *block* of eight
base counts (one per status) with its own published figures, tied to the
others only by "departments add up to all departments". Solving one linear
programme over all of them per hidden cell costs milliseconds; most cells can
be settled from the blocks alone (this module) and from moves between blocks
(:mod:`outcomes.sdc.moves`):

- **Local range.** A block's own facts, when they are all equalities, make a
  small polytope ``{x >= 0 : F x = b}``. Its vertices are enumerated once per
  pattern ``F`` (a few dozen patterns; at most 70 bases over 8 counts), for
  every block with that pattern at once. The range of a cell over it is an
  *outer* bound on its range over everything published: a cell its block
  keeps at 0, or at the threshold or more, is safe; one its block pins into
  a narrow range while its true value is small is disclosed whatever else is
  published (the protection hides a unit of that block first).
- **Ranges without some facts.** The same with some of a block's rows left
  out: what hiding a unit would leave (:mod:`outcomes.sdc.local`).

A cell neither settles is left to moves, then to the solver.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

from .linear import Rows

#: Blocks in one independent part from which the block reasoning is used (smaller parts are solved as before).
STRUCTURAL_FROM = 20
#: Tolerance for "a block's facts do not see a change" and for checking points.
_TOL = 1e-7
#: Largest number of bases enumerated for one pattern (8 counts and 4 independent facts give 70).
_MAX_BASES = 300
#: Slack when reading a range in whole people (as :mod:`outcomes.sdc.system` does).
_EPS_WHOLE = 1e-6

Structure = Callable[[Hashable], "tuple[Hashable, Hashable] | None"]


class Polytope:
    """``{x >= 0 : F x = b}`` for one matrix ``F`` and any right-hand sides: its vertices, by bases."""

    def __init__(self, matrix: np.ndarray) -> None:
        self.matrix = matrix
        self.keep = _independent_rows(matrix)
        reduced = matrix[self.keep]
        k, r = matrix.shape[1], len(self.keep)
        self.bases: list[tuple[np.ndarray, np.ndarray]] = []
        for cols in combinations(range(k), r):
            sub = reduced[:, cols]
            if abs(np.linalg.det(sub)) > 1e-9:
                self.bases.append((np.array(cols, dtype=np.int64), np.linalg.inv(sub)))
            if len(self.bases) > _MAX_BASES:
                self.bases = []
                break
        self.usable = bool(self.bases) and _bounded(matrix)

    def vertices(self, rhs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Basic solutions for each right-hand side (``rhs``: blocks x rows) and which of them are feasible."""
        blocks, k = rhs.shape[0], self.matrix.shape[1]
        out = np.zeros((blocks, len(self.bases), k))
        for j, (cols, inverse) in enumerate(self.bases):
            out[:, j, cols] = rhs[:, self.keep] @ inverse.T
        # Counts and published figures are whole numbers (or few decimals): basic solutions are exact up to rounding.
        scale = 1e-9 * (1.0 + np.abs(rhs).max(axis=1, initial=0.0))[:, None]
        ok = (out >= -scale[:, :, None]).all(axis=2)
        residual = np.abs(np.einsum("bvk,mk->bvm", out, self.matrix) - rhs[:, None, :]).max(axis=2, initial=0.0)
        ok &= residual <= scale
        return np.maximum(out, 0.0), ok


def _independent_rows(matrix: np.ndarray) -> list[int]:
    keep: list[int] = []
    for i in range(matrix.shape[0]):
        if np.linalg.matrix_rank(matrix[keep + [i]]) > len(keep):
            keep.append(i)
    return keep


def _bounded(matrix: np.ndarray) -> bool:
    """No ray ``x >= 0, F x = 0, x != 0`` (so every count is bounded): a row positive on every count, or a small programme."""
    if (matrix > 0).all(axis=1).any():
        return True
    import highspy

    from .solver import quiet_highs  # a few patterns at most: one small programme each

    k = matrix.shape[1]
    h = quiet_highs()
    # max sum(x) subject to F x = 0, 0 <= x <= 1: zero exactly when the polytope has no ray.
    h.addVars(k, np.zeros(k), np.ones(k))
    h.changeColsCost(k, np.arange(k, dtype=np.int32), np.ones(k))
    for row in matrix:
        nz = np.flatnonzero(row)
        h.addRow(0.0, 0.0, len(nz), nz.astype(np.int32), row[nz])
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    h.run()
    return bool(h.getModelStatus() == highspy.HighsModelStatus.kOptimal and h.getObjectiveValue() < 1e-9)


_POLYTOPES: dict[tuple[int, bytes], Polytope] = {}


def polytope(matrix: np.ndarray) -> Polytope:
    """The polytope of a pattern, worked out once per process."""
    key = (matrix.shape[1], np.ascontiguousarray(matrix).tobytes())
    found = _POLYTOPES.get(key)
    if found is None:
        if len(_POLYTOPES) > 4096:
            _POLYTOPES.clear()
        found = _POLYTOPES[key] = Polytope(matrix.copy())
    return found


@dataclass
class BlockView:
    """One independent part's base counts in blocks of the same slots (e.g. the eight statuses).

    ``var[b, s]`` is the variable of block ``b`` and slot ``s``. A block is
    *movable* (``kind[b] >= 0``) when it has every slot and all its own facts
    are equalities: ``kinds[kind[b]]`` is their matrix over the slots
    (distinct rows) and its polytope (``None`` when it cannot be enumerated or
    is unbounded), ``rhs[b]`` their values. ``own[b]`` lists the facts
    behind them and ``row_of_fact[f]`` which row of the matrix fact ``f`` is.
    ``tie[b]`` and ``anti[b]`` identify the block's ties to other blocks
    (facts, slots and coefficients) and their opposite.
    """

    block_of_var: np.ndarray
    slot_of_var: np.ndarray
    var: np.ndarray
    kind: np.ndarray
    kinds: list[tuple[np.ndarray, Polytope | None]]
    rhs: list[np.ndarray]
    own: list[np.ndarray]
    row_of_fact: np.ndarray
    tie: np.ndarray
    anti: np.ndarray

    @property
    def size(self) -> int:
        """Number of blocks."""
        return self.var.shape[0]

    def enumerable(self) -> np.ndarray:
        """Blocks whose own polytope's vertices are known."""
        known = np.array([shape is not None for _, shape in self.kinds] + [False], dtype=bool)
        return known[self.kind]

    def vertices(self, members: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Vertices of the given blocks (all of one kind) and which are feasible."""
        shape = self.kinds[int(self.kind[members[0]])][1]
        assert shape is not None
        return shape.vertices(np.stack([self.rhs[int(b)] for b in members]))


def block_view(
    keys: Sequence[Hashable], facts: Rows, low: np.ndarray, high: np.ndarray, structure: Structure
) -> BlockView:
    """Group a part's variables (``keys``, indexed like ``facts.var``) into blocks and read each block's own facts."""
    block_of_var, slot_of_var, nblocks, nslots = _place(keys, structure)
    var = np.full((nblocks, nslots), -1, dtype=np.int64)
    placed = block_of_var >= 0
    var[block_of_var[placed], slot_of_var[placed]] = np.flatnonzero(placed)
    term_block = block_of_var[facts.var] if facts.var.size else np.zeros(0, dtype=np.int64)
    rows_of = facts.row_of_term()
    first = np.full(len(facts), -1, dtype=np.int64)
    lengths = np.diff(facts.ptr)
    nonempty = lengths > 0
    first[nonempty] = term_block[facts.ptr[:-1][nonempty]]
    same = np.ones(len(facts), dtype=bool)
    np.logical_and.at(same, rows_of, term_block == first[rows_of])
    local = nonempty & same & (first >= 0)
    equality = np.isfinite(low) & (np.abs(high - low) <= 1e-9 * (1 + np.abs(low)))
    usable = np.asarray((var >= 0).all(axis=1), dtype=bool)
    np.logical_and.at(usable, first[local & ~equality], False)  # an own inequality: the block is left to the solver
    picked = np.flatnonzero(local & equality & usable[np.maximum(first, 0)])
    dense = np.zeros((picked.size, nslots))
    terms = np.isin(rows_of, picked)
    position = np.full(len(facts), -1, dtype=np.int64)
    position[picked] = np.arange(picked.size)
    np.add.at(dense, (position[rows_of[terms]], slot_of_var[facts.var[terms]]), facts.coef[terms])
    kind, kinds, rhs, own, row_of_picked = _kinds(usable, first[picked], dense, low[picked])
    row_of_fact = np.full(len(facts), -1, dtype=np.int64)
    row_of_fact[picked] = row_of_picked
    own = [picked[o] for o in own]
    tie, anti = _ties(facts, rows_of, term_block, slot_of_var, local, nblocks)
    return BlockView(block_of_var, slot_of_var, var, kind, kinds, rhs, own, row_of_fact, tie, anti)


def _place(keys: Sequence[Hashable], structure: Structure) -> tuple[np.ndarray, np.ndarray, int, int]:
    """Block and slot of each variable (-1 for none), numbered in order of first appearance."""
    where = [structure(key) for key in keys]
    placed = np.array([w is not None for w in where], dtype=bool)
    block_of_var = np.full(len(keys), -1, dtype=np.int64)
    slot_of_var = np.full(len(keys), -1, dtype=np.int64)
    found = [w for w in where if w is not None]
    block_ids, block_keys = pd.factorize(pd.Series([w[0] for w in found], dtype=object), sort=False)
    slot_ids, slot_keys = pd.factorize(pd.Series([w[1] for w in found], dtype=object), sort=False)
    block_of_var[placed], slot_of_var[placed] = block_ids, slot_ids
    return block_of_var, slot_of_var, len(block_keys), len(slot_keys)


def _kinds(
    usable: np.ndarray, owner: np.ndarray, dense: np.ndarray, values: np.ndarray
) -> tuple[np.ndarray, list[tuple[np.ndarray, Polytope | None]], list[np.ndarray], list[np.ndarray], np.ndarray]:
    """Each usable block's own equalities: which distinct matrix (kind) they form, and their values.

    Also returns, per block, its facts (positions in ``owner``) and, per
    fact, its row in the block's matrix.
    """
    nblocks = usable.size
    unique_rows, row_id = (
        np.unique(dense, axis=0, return_inverse=True)
        if dense.size
        else (np.zeros((0, dense.shape[1])), np.zeros(0, dtype=np.int64))
    )
    row_id = row_id.ravel()
    by_fact = np.lexsort((row_id, owner))
    owner_s, row_s, values_s = owner[by_fact], row_id[by_fact], values[by_fact]
    fresh = np.ones(owner_s.size, dtype=bool)
    fresh[1:] = (owner_s[1:] != owner_s[:-1]) | (row_s[1:] != row_s[:-1])
    run = np.cumsum(fresh) - 1  # which distinct (block, row) each fact is
    clash = np.zeros(nblocks, dtype=bool)  # one figure published with two values: left to the solver
    np.logical_or.at(clash, owner_s, np.abs(values_s - values_s[np.flatnonzero(fresh)][run]) > 1e-9)
    first_of_run = np.flatnonzero(fresh)
    owner_r, row_r, values_r = owner_s[first_of_run], row_s[first_of_run], values_s[first_of_run]
    bounds = np.searchsorted(owner_r, np.arange(nblocks + 1))
    fact_bounds = np.searchsorted(owner_s, np.arange(nblocks + 1))
    position = run - bounds[owner_s]  # the fact's row within its block's matrix
    kind = np.full(nblocks + 1, -1, dtype=np.int64)  # the extra entry answers for "no block" (-1)
    ids: dict[tuple[int, ...], int] = {}
    kinds: list[tuple[np.ndarray, Polytope | None]] = []
    rhs: list[np.ndarray] = [np.zeros(0)] * nblocks
    own: list[np.ndarray] = [np.zeros(0, np.int64)] * nblocks
    row_of_fact = np.full(owner.size, -1, dtype=np.int64)
    row_of_fact[by_fact] = position
    for b in np.flatnonzero(usable & ~clash).tolist():
        mine = slice(bounds[b], bounds[b + 1])
        key = tuple(row_r[mine].tolist())
        if key not in ids:
            matrix = unique_rows[list(key)]
            shape = polytope(matrix) if matrix.size else None
            ids[key] = len(kinds)
            kinds.append((matrix, shape if shape is not None and shape.usable else None))
        kind[b], rhs[b], own[b] = ids[key], values_r[mine], by_fact[fact_bounds[b] : fact_bounds[b + 1]]
    return kind, kinds, rhs, own, row_of_fact


def _ties(
    facts: Rows, rows_of: np.ndarray, term_block: np.ndarray, slot_of_var: np.ndarray, local: np.ndarray, nblocks: int
) -> tuple[np.ndarray, np.ndarray]:
    """An id of each block's ties to other blocks (fact, slot, coefficient), and of their opposite."""
    linking = np.flatnonzero(~local[rows_of] & (term_block >= 0))
    owner, row, slot, coef = term_block[linking], rows_of[linking], slot_of_var[facts.var[linking]], facts.coef[linking]
    order = np.lexsort((coef, slot, row, owner))
    owner, triples = owner[order], np.stack([row[order], slot[order], coef[order]], axis=1)
    bounds = np.searchsorted(owner, np.arange(nblocks + 1))
    ids: dict[bytes, int] = {}
    tie = np.empty(nblocks, dtype=np.int64)
    anti = np.empty(nblocks, dtype=np.int64)
    flip = np.array([1.0, 1.0, -1.0])
    for b in range(nblocks):
        mine = triples[bounds[b] : bounds[b + 1]]
        tie[b] = ids.setdefault(mine.tobytes(), len(ids))
        opposite = mine * flip
        anti[b] = ids.setdefault(
            opposite[np.lexsort((opposite[:, 2], opposite[:, 1], opposite[:, 0]))].tobytes(), len(ids)
        )
    return tie, anti


def cell_places(view: BlockView, cells: Rows) -> tuple[np.ndarray, np.ndarray]:
    """Each cell's block (-1 when it spans blocks or its block's vertices are not known) and its coefficients by slot."""
    nslots = view.var.shape[1]
    rows_of = cells.row_of_term()
    term_block = view.block_of_var[cells.var] if cells.var.size else np.zeros(0, dtype=np.int64)
    first = np.full(len(cells), -1, dtype=np.int64)
    lengths = np.diff(cells.ptr)
    first[lengths > 0] = term_block[cells.ptr[:-1][lengths > 0]]
    same = np.ones(len(cells), dtype=bool)
    np.logical_and.at(same, rows_of, term_block == first[rows_of])
    block = np.where(same & (first >= 0), first, -1)
    block = np.where(view.enumerable()[block], block, -1)
    coef = np.zeros((len(cells), nslots))
    ok = term_block >= 0
    np.add.at(coef, (rows_of[ok], view.slot_of_var[cells.var[ok]]), cells.coef[ok])
    return block, coef


def by_kind(view: BlockView, block: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Cells (positions in ``block``) grouped by their block's kind, with the distinct blocks of each group."""
    out = []
    kinds = view.kind[block]
    for k in np.unique(kinds[block >= 0]).tolist():
        cells = np.flatnonzero((block >= 0) & (kinds == k))
        out.append((cells, np.unique(block[cells])))
    return out


def local_extremes(
    view: BlockView, block: np.ndarray, coef: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Smallest and largest value of each cell over its block's own polytope, and the vertices where they are.

    Returns ``(low, high, argmin vertex, argmax vertex)``; NaN for cells without a usable block.
    """
    n, nslots = coef.shape
    low, high = np.full(n, np.nan), np.full(n, np.nan)
    at_low, at_high = np.full((n, nslots), np.nan), np.full((n, nslots), np.nan)
    for cells, members in by_kind(view, block):
        verts, ok = view.vertices(members)
        which = np.searchsorted(members, block[cells])
        v, good = verts[which], ok[which]
        values = np.einsum("cvk,ck->cv", v, coef[cells])
        top = np.where(good, values, -np.inf).argmax(axis=1)
        bottom = np.where(good, values, np.inf).argmin(axis=1)
        feasible = good.any(axis=1)
        idx = np.arange(len(cells))
        high[cells] = np.where(feasible, values[idx, top], np.nan)
        low[cells] = np.where(feasible, values[idx, bottom], np.nan)
        at_high[cells] = v[idx, top]
        at_low[cells] = v[idx, bottom]
    return low, high, at_low, at_high


def ranges_without(
    view: BlockView, block: np.ndarray, coef: np.ndarray, gone: Sequence[tuple[int, ...]]
) -> tuple[np.ndarray, np.ndarray]:
    """Each cell's range over its block's polytope with the rows ``gone[i]`` of the block's matrix left out.

    Cells whose block has no usable pattern, or whose reduced polytope
    cannot be enumerated or is unbounded, get ``(-inf, inf)``.
    """
    low, high = np.full(len(block), -np.inf), np.full(len(block), np.inf)
    groups: dict[tuple[int, tuple[int, ...]], list[int]] = {}
    for i, (b, rows) in enumerate(zip(block.tolist(), gone, strict=False)):
        if b >= 0 and view.kind[b] >= 0:
            groups.setdefault((int(view.kind[b]), rows), []).append(i)
    for (k, rows), cells in groups.items():
        keep = np.ones(view.kinds[k][0].shape[0], dtype=bool)
        keep[list(rows)] = False
        matrix = view.kinds[k][0][keep]
        shape = polytope(matrix) if matrix.size else None
        if shape is None or not shape.usable:
            continue
        mine = np.array(cells, dtype=np.int64)
        members = np.unique(block[mine])
        verts, ok = shape.vertices(np.stack([view.rhs[int(b)][keep] for b in members]))
        which = np.searchsorted(members, block[mine])
        values = np.einsum("cvk,ck->cv", verts[which], coef[mine])
        feasible = ok[which].any(axis=1)
        high[mine] = np.where(feasible, np.where(ok[which], values, -np.inf).max(axis=1), np.inf)
        low[mine] = np.where(feasible, np.where(ok[which], values, np.inf).min(axis=1), -np.inf)
    return low, high
