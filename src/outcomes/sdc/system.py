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

Facts and cells arrive as objects (:class:`Fact`, :class:`Cell`) or, from the
declarations of whole tables, as a :class:`outcomes.sdc.linear.LinearSystem`
of sparse rows (:func:`check_system`). Parts with many blocks (a national
follow-up year) first use the reasoning inside blocks of
:mod:`outcomes.sdc.blocks` and :mod:`outcomes.sdc.moves`, which settles most cells
without a programme.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from math import ceil, floor, inf

import numpy as np

from . import blocks, moves
from .linear import Cell, Fact, LinearSystem, components, system_of
from .solver import Programme

__all__ = ["AuditResult", "Cell", "CellRange", "Fact", "cell_ranges", "check_system"]

#: Slack for the solver's floating point when rounding a range to whole people.
_EPS = 1e-6


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
    #: Cells safe only because they are known to be zero, or known to hold the threshold or more, within a
    #: range narrower than the threshold: hiding more may widen them into a disclosed range ([0, 0] becomes
    #: [0, 4]; [6, 8] becomes [4, 8]), so they are checked again after every hiding (:meth:`still_safe`).
    fragile: set[Hashable] = field(default_factory=set)

    def still_safe(self) -> frozenset[Hashable]:
        """Cells that stay safe whatever more is hidden (hiding only widens ranges): not disclosed, not fragile."""
        shown = {r.cell.key for r in self.ranges if r.disclosed(self.threshold)}
        return frozenset(self.cell_keys - shown - self.fragile)

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


def cell_ranges(
    facts: Iterable[Fact],
    cells: Iterable[Cell],
    threshold: int,
    seeds: int = 2,
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
    return check_system(system_of(facts, cells), threshold, seeds, exempt, skip)


def check_system(
    system: LinearSystem,
    threshold: int,
    seeds: int = 2,
    exempt: Collection[Hashable] = (),
    skip: Collection[Hashable] = (),
    *,
    point: Mapping[Hashable, float] | None = None,
    structure: blocks.Structure | None = None,
) -> AuditResult:
    """:func:`cell_ranges` for a system of sparse rows.

    Parameters
    ----------
    point
        Base counts known to satisfy every fact (the true counts, when the
        publisher checks its own table; missing counts are 0). Only used by
        the block reasoning, and only after checking that it does.
    structure
        ``structure(base count) -> (block, slot)`` (``None`` for a count in no
        block): turns on the block reasoning (:mod:`outcomes.sdc.blocks`) for
        parts with at least :data:`outcomes.sdc.blocks.STRUCTURAL_FROM` blocks.
    """
    result = AuditResult(threshold, exempt=frozenset(exempt), cell_keys=set(system.cell_keys))
    skipped = set(skip)
    rng = np.random.default_rng(20240101)
    reprs = _Reprs(system.keys)
    for fact_rows, cell_rows in components(system):
        part = _Part(system, fact_rows, cell_rows, reprs, threshold, skipped)
        result.cells_checked += len(cell_rows)
        many = structure is not None and part.block_count(structure) >= blocks.STRUCTURAL_FROM
        if many:
            assert structure is not None
            started = part.start_from_blocks(structure, point, rng)
        else:
            started = part.start(seeds, rng)
        if not started:
            sources = sorted({str(system.sources[int(i)]) for i in fact_rows})
            result.inconsistent.append("the published figures contradict each other around: " + ", ".join(sources[:5]))
            continue
        part.push_together(rng)
        result.ranges.extend(part.solve_open())
        result.fragile.update(part.fragile_keys())
    return result


class _Reprs:
    """``repr`` of base counts, worked out when first needed (variables are ordered by it, as they always were)."""

    def __init__(self, keys: list[Hashable]) -> None:
        self.keys = keys
        self.known: dict[int, str] = {}

    def __getitem__(self, i: int) -> str:
        found = self.known.get(i)
        if found is None:
            found = self.known[i] = repr(self.keys[i])
        return found


class _Part:
    """One independent part: its programme, what feasible points have shown, and the cells still open."""

    def __init__(
        self,
        system: LinearSystem,
        fact_rows: np.ndarray,
        cell_rows: np.ndarray,
        reprs: _Reprs,
        threshold: int,
        skip: set[Hashable],
    ) -> None:
        self.system, self.fact_rows, self.cell_rows, self.threshold = system, fact_rows, cell_rows, threshold
        self.variables, self.facts, self.cells = system.part(fact_rows, cell_rows, reprs.__getitem__)
        self.cell_of_term = self.cells.row_of_term()
        self.fact_objects: dict[int, Fact] = {}
        self.low, self.high = system.low[fact_rows], system.high[fact_rows]
        self.lp = Programme(self.facts, self.low, self.high, len(self.variables))
        self.n = len(self.variables)
        keys = system.cell_keys
        self.pending = np.array([keys[int(j)] not in skip for j in cell_rows], dtype=bool)
        self.settled = np.zeros(len(cell_rows), dtype=bool)
        self.fragile = np.zeros(len(cell_rows), dtype=bool)
        self.seen_low = np.zeros(len(cell_rows))
        self.seen_high = np.zeros(len(cell_rows))

    def note(self, x: np.ndarray) -> None:
        """Record the cells' values at a feasible point (cells already shown safe need no more evidence)."""
        rows = np.flatnonzero(self.pending)
        values = np.bincount(
            self.cell_of_term, weights=x[self.cells.var] * self.cells.coef, minlength=len(self.cell_rows)
        )[rows]
        self.seen_low[rows] = np.minimum(self.seen_low[rows], values)
        self.seen_high[rows] = np.maximum(self.seen_high[rows], values)

    def safe(self, i: int) -> bool:
        """Shown safe: settled by the block reasoning, seen at ``2T - 1`` or more, or seen ``T`` apart."""
        t = self.threshold
        ok = bool(
            self.settled[i]
            or self.seen_high[i] >= 2 * t - 1 - _EPS
            or floor(self.seen_high[i] + _EPS) - ceil(self.seen_low[i] - _EPS) >= t
        )
        if ok:
            self.pending[i] = False
        return ok

    def still_open(self) -> list[int]:
        """Cells neither skipped nor shown safe yet (:meth:`safe` for all pending cells at once)."""
        rows = np.flatnonzero(self.pending)
        t = self.threshold
        high, low = self.seen_high[rows], self.seen_low[rows]
        ok = self.settled[rows] | (high >= 2 * t - 1 - _EPS) | (np.floor(high + _EPS) - np.ceil(low - _EPS) >= t)
        self.pending[rows[ok]] = False
        return rows[~ok].tolist()

    def _known(self) -> None:
        values = self.system.values[self.cell_rows]
        if values.size and not np.isnan(values).any():
            self.seen_low, self.seen_high = np.minimum(self.seen_low, values), np.maximum(self.seen_high, values)

    def start(self, seeds: int, rng: np.random.Generator) -> bool:
        """A first solution, the true values and solutions to random objectives (``False``: contradictory)."""
        status, _, x0 = self.lp.solve(np.zeros(self.n), maximise=False)
        if status == "infeasible":
            return False
        self.seen_low = self.cells.values(x0)
        self.seen_high = self.seen_low.copy()
        self._known()
        for _ in range(seeds):
            if not self.still_open():
                break
            for maximise in (True, False):
                status, _, x = self.lp.solve(rng.random(self.n) * (1 if maximise else -1) + 1, maximise)
                if status == "optimal":
                    self.note(x)
        return True

    def block_count(self, structure: blocks.Structure) -> int:
        """How many blocks the part's base counts fall into."""
        keys = self.system.keys
        return len({where[0] for v in self.variables.tolist() if (where := structure(keys[v])) is not None})

    def _feasible(self, point: Mapping[Hashable, float] | None) -> np.ndarray | None:
        """``point`` as an array over the part's counts, if it satisfies every fact."""
        if point is None:
            return None
        keys = self.system.keys
        x = np.array([float(point.get(keys[v], 0.0)) for v in self.variables.tolist()])
        values = self.facts.values(x)
        slack = 1e-6 * (1.0 + np.abs(values))
        ok = (x >= -1e-9).all() and (values >= self.low - slack).all() and (values <= self.high + slack).all()
        return x if ok else None

    def start_from_blocks(
        self, structure: blocks.Structure, point: Mapping[Hashable, float] | None, rng: np.random.Generator
    ) -> bool:
        """Evidence from the blocks: local ranges settle cells, moves from a feasible point reach towards their ends.

        The point is ``point`` when it satisfies every fact, else a first
        solution (``False``: the facts contradict each other). Objectives now
        change one cell at a time, which the primal simplex method follows best.
        """
        self.lp.h.setOptionValue("simplex_strategy", 4)
        x0 = self._feasible(point)
        if x0 is None:
            x0 = self._inner_point(rng)
            if x0 is None:
                return False
        else:
            self.seen_low = self.cells.values(x0)
            self.seen_high = self.seen_low.copy()
            self._known()
        keys = self.system.keys
        view = blocks.block_view([keys[v] for v in self.variables.tolist()], self.facts, self.low, self.high, structure)
        place, coef = blocks.cell_places(view, self.cells)
        for stage in range(3):  # quick searches first, more thorough ones for the cells left
            todo = np.zeros(len(place), dtype=bool)
            todo[self.still_open()] = True
            if not todo.any():
                break
            found = moves.move_evidence(
                view, np.where(todo, place, -1), coef, x0, self.threshold, stage, (self.seen_low, self.seen_high)
            )
            self._settle(*found)
        return True

    def _inner_point(self, rng: np.random.Generator) -> np.ndarray | None:
        """A point inside: the average of solutions with every cell pushed up, and down (``None``: contradictory).

        A single solution is a vertex, with many counts at 0, from which
        partners have little to give; the average of two opposite ones is
        not. When pushing up is unbounded, a first solution takes its place.
        """
        weights = np.array([rng.uniform(0.5, 1.5) for _ in range(len(self.cell_rows))])
        together = np.zeros(self.n)
        np.add.at(together, self.cells.var, self.cells.coef * np.repeat(weights, np.diff(self.cells.ptr)))
        points = []
        for objective, maximise in ((together, True), (together, False), (np.zeros(self.n), False)):
            status, _, x = self.lp.solve(objective, maximise)
            if status == "infeasible":
                return None
            if status == "optimal":
                points.append(x)
            if len(points) == 2:
                break
        self.seen_low = self.cells.values(points[0])
        self.seen_high = self.seen_low.copy()
        self._known()
        for x in points[1:]:
            self.note(x)
        return np.mean(points, axis=0)

    def _settle(self, low: np.ndarray, high: np.ndarray, reached_low: np.ndarray, reached_high: np.ndarray) -> None:
        """Take in the block reasoning: outer ranges that settle cells, and values moves reached."""
        # Over its block alone a cell ranges at least as widely as over everything: a block that keeps it at 0,
        # or at the threshold or more, settles it.
        with np.errstate(invalid="ignore"):
            self.settled |= self.pending & ((np.floor(high + _EPS) <= 0) | (np.ceil(low - _EPS) >= self.threshold))
        rows = np.flatnonzero(self.pending & ~np.isnan(reached_high))
        self.seen_low[rows] = np.minimum(self.seen_low[rows], reached_low[rows])
        self.seen_high[rows] = np.maximum(self.seen_high[rows], reached_high[rows])

    def push_together(self, rng: np.random.Generator, rounds: int = 3) -> list[np.ndarray]:
        """Push all open cells up at once (and down at once) with random weights; return the solutions.

        Cells of different departments hardly constrain each other: this puts
        most of them at their extremes in two solves instead of two each.
        """
        points = []
        for _ in range(rounds):
            open_cells = self.still_open()
            if len(open_cells) < 8:
                break
            weights = np.array([rng.uniform(0.5, 1.5) for _ in open_cells])
            chosen = self.cells.take(np.array(open_cells, dtype=np.int64))
            together = np.zeros(self.n)
            np.add.at(together, chosen.var, chosen.coef * np.repeat(weights, np.diff(chosen.ptr)))
            for maximise in (True, False):
                status, _, x = self.lp.solve(together, maximise)
                if status == "optimal":
                    self.note(x)
                    points.append(x)
        return points

    def objective(self, i: int) -> np.ndarray:
        """Cell ``i`` as a dense objective."""
        out = np.zeros(self.n)
        var, coef = self.cells.terms(i)
        np.add.at(out, var, coef)
        return out

    def zeros_together(self) -> None:
        """Open cells no solution has shown at 1 or more, maximised together: a sum below 1 makes each a known zero.

        Cells count people (non-negative terms), so each is at most their sum;
        below one person, every one is a known zero. One programme then settles what would take one per cell
        (known zeros are many, and are checked again in every round of the
        protection). Otherwise the solution is evidence like any other.
        """
        rows = [i for i in self.still_open() if self.seen_high[i] < 1 - _EPS]
        if len(rows) < 2:
            return
        chosen = self.cells.take(np.array(rows, dtype=np.int64))
        together = np.zeros(self.n)
        np.add.at(together, chosen.var, chosen.coef)
        status, top, x = self.lp.solve(together, maximise=True)
        if status != "optimal":
            return
        if floor(top + _EPS) <= 0:  # each cell's largest value is at most the sum's: below one person
            self.pending[rows] = False
            self.fragile[rows] = True
        else:
            self.note(x)

    def solve_open(self) -> list[CellRange]:
        """Largest value of every open cell (a known zero, or one large enough, ends it), then the smallest."""
        self.zeros_together()
        out = []
        t = self.threshold
        for i in range(len(self.cell_rows)):
            if not self.pending[i] or self.safe(i):  # skipped, or decided (known zero, shown safe)
                continue
            if self.seen_low[i] >= t - _EPS and self._at_least_threshold(i):
                continue
            status, top, x = self.lp.solve(self.objective(i), maximise=True)
            if status == "optimal":
                self.note(x)
            high = floor(top + _EPS) if status == "optimal" else inf
            self.pending[i] = False  # decided below, whatever the evidence
            if high <= 0 or high >= 2 * t - 1:
                self.fragile[i] = high <= 0  # a known zero may widen into a small range when more is hidden
                continue
            dual_high = self.lp.duals()
            status, bottom, x = self.lp.solve(self.objective(i), maximise=False)
            if status == "optimal":
                self.note(x)
            low = max(0, ceil(bottom - _EPS)) if status == "optimal" else 0  # a count is never below zero
            cell = self.system.cell(int(self.cell_rows[i]))
            found = CellRange(cell, low, high)
            self.fragile[i] = found.width < t
            if found.disclosed(t):
                found = CellRange(cell, low, high, self._witnesses((dual_high, self.lp.duals())))
            out.append(found)
        return out

    def _at_least_threshold(self, i: int) -> bool:
        """Cell ``i``, never seen below the threshold, shown to hold at least that many (one programme, not two).

        Such a cell is not disclosed now, but is :attr:`fragile`. When it can
        go lower, the two programmes of :meth:`solve_open` follow as for any cell.
        """
        status, bottom, x = self.lp.solve(self.objective(i), maximise=False)
        if status != "optimal":
            return False
        self.note(x)
        if ceil(bottom - _EPS) < self.threshold:
            return False
        self.pending[i] = False
        self.fragile[i] = True
        return True

    def fragile_keys(self) -> list[Hashable]:
        """Keys of the cells shown safe only by a narrow range (see :attr:`AuditResult.fragile`).

        Cells the block reasoning settled (kept at 0, or at the threshold or
        more, by their block) are among them.
        """
        keys = self.system.cell_keys
        return [keys[int(j)] for j in self.cell_rows[self.fragile | self.settled]]

    def _witnesses(self, duals: Iterable[np.ndarray]) -> tuple[Fact, ...]:
        chosen: set[int] = set()
        for dual in duals:
            chosen.update(int(i) for i in np.flatnonzero(np.abs(dual) > 1e-9))
        return tuple(self._fact(i) for i in sorted(chosen))

    def _fact(self, i: int) -> Fact:
        """Fact ``i`` of the part as an object (the same facts pin many cells: made once)."""
        found = self.fact_objects.get(i)
        if found is None:
            found = self.fact_objects[i] = self.system.fact(int(self.fact_rows[i]))
        return found
