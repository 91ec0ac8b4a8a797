"""A system of published linear relations on base counts, and how narrowly it pins a hidden cell.

Every published number about people is a *fact*: a linear form over base
counts (non-negative whole numbers of people, e.g. "people in year 2014,
department Drammen, status NEET") lies between two bounds. A published count
gives equal bounds; a share rounded to some decimals gives two inequalities
(count - (share +/- half a unit) x denominator); the rule that departments add
up to the programme gives an equality with nothing published in it.

A *cell* is a linear form that is not published (a hidden count, or a base
count). Its *range* is the smallest and largest value consistent with every
fact, from two linear programmes (HiGHS), rounded inwards to whole people. A
cell is **disclosed** when its range is narrower than the threshold and
reaches below it: a reader then knows it is small and nearly how small. A
cell known to be exactly zero is not disclosed (no person is described).

The facts that hold a disclosed cell in place are those with a non-zero dual
value in either programme: hiding one of them is what widens the range, and
they are what the audit names as giving the cell away.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from math import ceil, floor, inf

import numpy as np

#: Slack for the solver's floating point when rounding a range to whole people.
_EPS = 1e-6


@dataclass(frozen=True)
class Fact:
    """``low <= sum(coef * base[var]) <= high``, as published in ``source``.

    ``unit`` names what the publisher could hide to remove the fact (e.g. a
    group's figures in one department and year); ``None`` for relations that
    hold whatever is published (departments add up to all departments).
    """

    terms: Mapping[Hashable, float]
    low: float
    high: float
    source: str
    unit: Hashable | None = None


@dataclass(frozen=True)
class Cell:
    """A number about people that is not published: a linear form over base counts.

    ``value`` is the true value when the publisher checks its own tables
    (``None`` when an outside reader audits a bundle). A cell counts people,
    so its coefficients are positive.
    """

    key: Hashable
    label: str
    terms: Mapping[Hashable, float]
    value: float | None = None

    def __post_init__(self) -> None:
        if any(c <= 0 for c in self.terms.values()):
            raise ValueError(f"cell {self.key!r}: a count of people has positive coefficients only")


@dataclass(frozen=True)
class CellRange:
    """The whole numbers of people a cell can hold, given everything published."""

    cell: Cell
    low: float
    high: float
    witnesses: tuple[Fact, ...] = ()

    def disclosed(self, threshold: int) -> bool:
        """Narrower than ``threshold`` and reaching below it (a known zero is not disclosed)."""
        return self.high >= 1 and self.low < threshold and self.high - self.low < threshold

    @property
    def width(self) -> float:
        """``high - low`` (infinite when nothing bounds the cell from above)."""
        return self.high - self.low


@dataclass
class AuditResult:
    """Ranges of the checked cells that could not be shown safe cheaply, and counts."""

    threshold: int
    ranges: list[CellRange] = field(default_factory=list)
    cells_checked: int = 0
    inconsistent: list[str] = field(default_factory=list)
    #: Cells that other publications (last year's bundle) disclose whatever this one does.
    exempt: frozenset[Hashable] = frozenset()
    #: Keys of every cell that was checked (or skipped as known safe).
    cell_keys: set[Hashable] = field(default_factory=set)

    @property
    def disclosed(self) -> list[CellRange]:
        """The disclosed cells, narrowest first (those in ``exempt`` are left out)."""
        found = [r for r in self.ranges if r.disclosed(self.threshold) and r.cell.key not in self.exempt]
        # Cells the publisher hid come before base counts: they are what the reader was told is hidden.
        return sorted(found, key=lambda r: (r.width, _is_base(r.cell), str(r.cell.key)))

    @property
    def narrowest(self) -> CellRange | None:
        """The narrowest range among cells that may be small (``None`` if no such range needed solving).

        Cells known to be zero, or known to hold at least the threshold, are
        not sensitive and are left out.
        """
        candidates = [r for r in self.ranges if r.high >= 1 and r.low < self.threshold]
        return min(candidates, key=lambda r: (r.width, str(r.cell.key))) if candidates else None


def _is_base(cell: Cell) -> bool:
    return isinstance(cell.key, tuple) and bool(cell.key) and cell.key[0] == "base"


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[Hashable, Hashable] = {}

    def find(self, x: Hashable) -> Hashable:
        parent = self.parent.setdefault(x, x)
        while parent != x:
            grand = self.parent.setdefault(parent, parent)
            self.parent[x] = grand
            x, parent = parent, grand
        return x

    def union(self, items: Iterable[Hashable]) -> None:
        it = iter(items)
        first = next(it, None)
        if first is None:
            return
        root = self.find(first)
        for other in it:
            r = self.find(other)
            if r != root:
                self.parent[r] = root


def components(facts: Sequence[Fact], cells: Sequence[Cell]) -> list[tuple[list[Fact], list[Cell]]]:
    """Split facts and cells into independent systems (no base count in common)."""
    uf = _UnionFind()
    for item in (*facts, *cells):
        uf.union(item.terms)
    fact_groups: dict[Hashable, list[Fact]] = {}
    cell_groups: dict[Hashable, list[Cell]] = {}
    for f in facts:
        if f.terms:
            fact_groups.setdefault(uf.find(next(iter(f.terms))), []).append(f)
    for c in cells:
        if c.terms:
            cell_groups.setdefault(uf.find(next(iter(c.terms))), []).append(c)
    return [(fact_groups.get(root, []), group) for root, group in cell_groups.items()]


def _quiet_highs():  # type: ignore[no-untyped-def]
    """A HiGHS instance, without the banner the library writes to standard output on its first use."""
    import os

    import highspy

    global _BANNER_SHOWN
    if _BANNER_SHOWN:
        h = highspy.Highs()
    else:
        import sys

        sys.stdout.flush()
        saved = os.dup(1)
        try:
            with open(os.devnull, "w") as devnull:
                os.dup2(devnull.fileno(), 1)
                h = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        _BANNER_SHOWN = True
    h.setOptionValue("output_flag", False)
    return h


_BANNER_SHOWN = False


class _Programme:
    """One component's linear programme in HiGHS, re-solved with one objective after another."""

    def __init__(self, facts: Sequence[Fact], variables: Sequence[Hashable]) -> None:
        import highspy

        self.highspy = highspy
        self.index = {v: i for i, v in enumerate(variables)}
        self.n = len(variables)
        self.facts = list(facts)
        h = _quiet_highs()
        h.setOptionValue("log_to_console", False)
        lp = highspy.HighsLp()
        lp.num_col_ = self.n
        lp.num_row_ = len(self.facts)
        lp.col_cost_ = np.zeros(self.n)
        lp.col_lower_ = np.zeros(self.n)
        lp.col_upper_ = np.full(self.n, highspy.kHighsInf)
        lp.row_lower_ = np.array([f.low if f.low > -inf else -highspy.kHighsInf for f in self.facts], dtype=float)
        lp.row_upper_ = np.array([f.high if f.high < inf else highspy.kHighsInf for f in self.facts], dtype=float)
        starts, index, values = [0], [], []
        for f in self.facts:  # row-wise, which HiGHS accepts directly
            for var, coef in f.terms.items():
                index.append(self.index[var])
                values.append(float(coef))
            starts.append(len(index))
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
        lp.a_matrix_.index_ = np.array(index, dtype=np.int32)
        lp.a_matrix_.value_ = np.array(values, dtype=float)
        lp.a_matrix_.num_col_ = self.n
        lp.a_matrix_.num_row_ = len(self.facts)
        h.passModel(lp)
        self.h = h
        self.all_cols = np.arange(self.n, dtype=np.int32)

    def dense(self, terms: Mapping[Hashable, float]) -> np.ndarray:
        out = np.zeros(self.n)
        for var, coef in terms.items():
            out[self.index[var]] += coef
        return out

    def solve(self, cost: np.ndarray, maximise: bool) -> tuple[str, float, np.ndarray, np.ndarray]:
        """Status ('optimal', 'unbounded', 'infeasible'), objective, solution and row duals."""
        hs = self.highspy
        self.h.changeObjectiveSense(hs.ObjSense.kMaximize if maximise else hs.ObjSense.kMinimize)
        self.h.changeColsCost(self.n, self.all_cols, cost)
        self.h.run()
        status = self.h.getModelStatus()
        if status == hs.HighsModelStatus.kOptimal:
            solution = self.h.getSolution()
            return (
                "optimal",
                self.h.getInfo().objective_function_value,
                np.asarray(solution.col_value),
                np.asarray(solution.row_dual),
            )
        if status in (hs.HighsModelStatus.kUnbounded, hs.HighsModelStatus.kUnboundedOrInfeasible):
            # Unbounded or infeasible is told apart by the feasibility run done first.
            return "unbounded", inf if maximise else -inf, np.zeros(self.n), np.zeros(len(self.facts))
        return "infeasible", float("nan"), np.zeros(self.n), np.zeros(len(self.facts))


class _SparseForms:
    """The cells' linear forms as sparse rows (a national table has tens of thousands of cells and counts)."""

    def __init__(self, forms: Sequence[Mapping[Hashable, float]], index: Mapping[Hashable, int]) -> None:
        self.cols = [np.array([index[v] for v in f], dtype=np.int64) for f in forms]
        self.coefs = [np.array(list(f.values()), dtype=float) for f in forms]
        self.indices = np.concatenate(self.cols) if self.cols else np.zeros(0, dtype=np.int64)
        self.data = np.concatenate(self.coefs) if self.coefs else np.zeros(0)
        self.starts = np.cumsum([0] + [len(c) for c in self.cols[:-1]]).astype(np.int64)

    def values(self, x: np.ndarray) -> np.ndarray:
        """Every cell's value at the point ``x``."""
        return np.add.reduceat(x[self.indices] * self.data, self.starts) if len(self.cols) else np.zeros(0)

    def dense(self, i: int, n: int) -> np.ndarray:
        """Cell ``i`` as a dense objective over ``n`` counts."""
        out = np.zeros(n)
        np.add.at(out, self.cols[i], self.coefs[i])
        return out


def _witnesses(facts: Sequence[Fact], duals: Iterable[np.ndarray]) -> tuple[Fact, ...]:
    chosen: dict[int, Fact] = {}
    for dual in duals:
        for i in np.flatnonzero(np.abs(dual) > 1e-9):
            chosen[int(i)] = facts[int(i)]
    return tuple(chosen[i] for i in sorted(chosen))


def cell_ranges(
    facts: Sequence[Fact],
    cells: Sequence[Cell],
    threshold: int,
    seeds: int = 4,
    exempt: Collection[Hashable] = (),
    skip: Collection[Hashable] = (),
) -> AuditResult:
    """Check every cell against everything published; return the ranges that needed solving.

    Cells that cheap evidence shows safe are counted but not solved: any two
    feasible points (the true values when known, and every solution the
    solver returns on the way) that put a cell at least ``threshold`` apart,
    or one that puts it at ``2 * threshold - 1`` or more, prove it cannot be
    disclosed. For the rest the largest value is found first (a known zero,
    or a large enough maximum, ends the check), then the smallest.

    Parameters
    ----------
    facts
        Everything published, as relations on base counts.
    cells
        The hidden counts and base counts to check.
    threshold
        Smallest number of people a published figure may rest on.
    seeds
        Solutions with random objectives used as evidence before solving cell by cell.
    exempt
        Keys of cells disclosed elsewhere whatever this publication does (not counted as disclosed).
    skip
        Keys of cells already shown safe against a system with more facts (hiding a figure only
        widens ranges, so they stay safe): counted, not solved again.
    """
    result = AuditResult(threshold, exempt=frozenset(exempt), cell_keys={c.key for c in cells})
    skip = set(skip)
    rng = np.random.default_rng(20240101)
    for group_facts, group_cells in components(facts, cells):
        variables = sorted({v for item in (*group_facts, *group_cells) for v in item.terms}, key=repr)
        lp = _Programme(group_facts, variables)
        forms = _SparseForms([c.terms for c in group_cells], lp.index)
        result.cells_checked += len(group_cells)
        status, _, x0, _ = lp.solve(np.zeros(lp.n), maximise=False)
        if status == "infeasible":
            result.inconsistent.append(
                "the published figures contradict each other around: "
                + ", ".join(sorted({f.source for f in group_facts})[:5])
            )
            continue
        seen_low = forms.values(x0)
        seen_high = seen_low.copy()
        known = [c.value for c in group_cells]
        if all(v is not None for v in known):
            truth = np.array(known, dtype=float)
            seen_low, seen_high = np.minimum(seen_low, truth), np.maximum(seen_high, truth)

        pending = np.array([c.key not in skip for c in group_cells], dtype=bool)

        def note(x: np.ndarray) -> None:
            rows = np.flatnonzero(pending)  # cells already shown safe need no more evidence
            values = forms.values(x)[rows]
            seen_low[rows] = np.minimum(seen_low[rows], values)
            seen_high[rows] = np.maximum(seen_high[rows], values)

        def safe(i: int) -> bool:
            ok = bool(
                seen_high[i] >= 2 * threshold - 1 - _EPS
                or floor(seen_high[i] + _EPS) - ceil(seen_low[i] - _EPS) >= threshold
            )
            if ok:
                pending[i] = False
            return ok

        def still_open() -> list[int]:
            return [int(i) for i in np.flatnonzero(pending) if not safe(int(i))]

        for _ in range(seeds):
            if not still_open():
                break
            for maximise in (True, False):
                status, _, x, _ = lp.solve(rng.random(lp.n) * (1 if maximise else -1) + 1, maximise)
                if status == "optimal":
                    note(x)
        # Cells of different departments hardly constrain each other: pushing all open cells up at once (and
        # down at once) puts most of them at their extremes in two solves instead of two each.
        for _ in range(3):
            open_cells = still_open()
            if len(open_cells) < 8:
                break
            together = np.zeros(lp.n)
            for i in open_cells:
                together += forms.dense(i, lp.n) * rng.uniform(0.5, 1.5)
            for maximise in (True, False):
                status, _, x, _ = lp.solve(together, maximise)
                if status == "optimal":
                    note(x)
        for i, cell in enumerate(group_cells):
            if cell.key in skip or safe(i):
                continue
            status, top, x, dual_high = lp.solve(forms.dense(i, lp.n), maximise=True)
            if status == "optimal":
                note(x)
            high = floor(top + _EPS) if status == "optimal" else inf
            pending[i] = False  # decided below, whatever the evidence
            if high <= 0 or high >= 2 * threshold - 1:
                continue
            status, bottom, x, dual_low = lp.solve(forms.dense(i, lp.n), maximise=False)
            if status == "optimal":
                note(x)
            low = max(0, ceil(bottom - _EPS)) if status == "optimal" else 0  # a count is never below zero
            found = CellRange(cell, low, high)
            if found.disclosed(threshold):
                found = CellRange(cell, low, high, _witnesses(group_facts, (dual_high, dual_low)))
            result.ranges.append(found)
    return result
