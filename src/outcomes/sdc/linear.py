"""Published relations and hidden cells: one at a time, or many as sparse rows.

A :class:`Fact` says that a linear form over base counts lies between two
bounds; a :class:`Cell` is a form that is not published. A national table
has about 100,000 of each, too many to handle as Python objects in every
round of the protection, so the declarations build a :class:`LinearSystem`
instead: the forms as compressed rows over one list of base counts, the
bounds and true values as arrays, and the texts (where a figure was
published, what a cell is called) worked out only for the few facts and cells
a finding names.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np


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
class Rows:
    """Linear forms as compressed rows: form ``i`` is ``sum(coef[k] * x[var[k]])`` for ``k`` in ``ptr[i]:ptr[i+1]``."""

    ptr: np.ndarray
    var: np.ndarray
    coef: np.ndarray

    def __len__(self) -> int:
        return len(self.ptr) - 1

    @staticmethod
    def empty() -> Rows:
        """No forms at all."""
        return Rows(np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0))

    @staticmethod
    def from_lengths(lengths: np.ndarray, var: np.ndarray, coef: np.ndarray) -> Rows:
        """Forms given by how many terms each has, and the terms one after another."""
        ptr = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(lengths, out=ptr[1:])
        return Rows(ptr, np.asarray(var, dtype=np.int64), np.asarray(coef, dtype=float))

    @staticmethod
    def concat(parts: Sequence[Rows]) -> Rows:
        """The forms of ``parts``, one part after another."""
        parts = [p for p in parts if len(p)]
        if not parts:
            return Rows.empty()
        lengths = np.concatenate([np.diff(p.ptr) for p in parts])
        return Rows.from_lengths(
            lengths, np.concatenate([p.var for p in parts]), np.concatenate([p.coef for p in parts])
        )

    def row_of_term(self) -> np.ndarray:
        """For every term, the form it belongs to."""
        return np.repeat(np.arange(len(self), dtype=np.int64), np.diff(self.ptr))

    def take(self, rows: np.ndarray) -> Rows:
        """The forms ``rows``, in that order."""
        rows = np.asarray(rows, dtype=np.int64)
        lengths = np.diff(self.ptr)[rows]
        starts = self.ptr[rows]
        offsets = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
        picked = np.arange(int(lengths.sum()), dtype=np.int64) + offsets
        return Rows.from_lengths(lengths, self.var[picked], self.coef[picked])

    def values(self, x: np.ndarray) -> np.ndarray:
        """Every form's value at the point ``x`` (indexed like ``var``)."""
        if not len(self):
            return np.zeros(0)
        return np.bincount(self.row_of_term(), weights=x[self.var] * self.coef, minlength=len(self))

    def terms(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """Variables and coefficients of form ``i``."""
        return self.var[self.ptr[i] : self.ptr[i + 1]], self.coef[self.ptr[i] : self.ptr[i + 1]]


class Lazy:
    """Per-row values (sources, units, labels), worked out only when asked for."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._get: list[Callable[[int], object]] = []
        self.size = 0

    def extend(self, n: int, get: Callable[[int], object] | Sequence[object]) -> None:
        """Add ``n`` rows whose value is ``get(i)`` (or ``get[i]``), ``i`` counted from 0 within them."""
        if n:
            self._starts.append(self.size)
            self._get.append(get if callable(get) else get.__getitem__)
            self.size += n

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, i: int) -> object:
        if not 0 <= i < self.size:
            raise IndexError(i)
        k = bisect_right(self._starts, i) - 1
        return self._get[k](i - self._starts[k])


@dataclass
class LinearSystem:
    """Everything published (facts) and everything hidden (cells) as arrays over the base counts ``keys``."""

    keys: list[Hashable]
    facts: Rows
    low: np.ndarray
    high: np.ndarray
    sources: Lazy
    units: Lazy
    cells: Rows
    cell_keys: list[Hashable]
    labels: Lazy
    #: True value of each cell (NaN when not known).
    values: np.ndarray

    def fact(self, i: int) -> Fact:
        """Fact ``i`` as an object (for findings and witnesses)."""
        var, coef = self.facts.terms(i)
        terms = {self.keys[int(v)]: float(c) for v, c in zip(var, coef, strict=False)}
        return Fact(terms, float(self.low[i]), float(self.high[i]), str(self.sources[i]), self.units[i])

    def part(
        self, fact_rows: np.ndarray, cell_rows: np.ndarray, order: Callable[[int], str] | None = None
    ) -> tuple[np.ndarray, Rows, Rows]:
        """Some facts and cells over their own variables: ``(variables, facts, cells)``, the forms renumbered.

        ``order`` sorts the variables (by index into :attr:`keys`); by default they keep their order.
        """
        facts, cells = self.facts.take(fact_rows), self.cells.take(cell_rows)
        used = np.unique(np.concatenate([facts.var, cells.var]))
        variables = np.array(sorted(used.tolist(), key=order), dtype=np.int64) if order is not None else used
        local = np.full(len(self.keys), -1, dtype=np.int64)
        local[variables] = np.arange(len(variables))
        return variables, Rows(facts.ptr, local[facts.var], facts.coef), Rows(cells.ptr, local[cells.var], cells.coef)

    def cell(self, j: int) -> Cell:
        """Cell ``j`` as an object."""
        var, coef = self.cells.terms(j)
        value = None if np.isnan(self.values[j]) else float(self.values[j])
        return Cell(
            self.cell_keys[j],
            str(self.labels[j]),
            {self.keys[int(v)]: float(c) for v, c in zip(var, coef, strict=False)},
            value,
        )


class SystemBuilder:
    """Collects facts and cells, from declarations (arrays) or as objects, over one list of base counts."""

    def __init__(self) -> None:
        self.keys: list[Hashable] = []
        self.index: dict[Hashable, int] = {}
        self._facts: list[Rows] = []
        self._bounds: list[tuple[np.ndarray, np.ndarray]] = []
        self._sources, self._units, self._labels = Lazy(), Lazy(), Lazy()
        self._cells: list[Rows] = []
        self._cell_keys: list[Hashable] = []
        self._values: list[np.ndarray] = []

    def ids(self, keys: Iterable[Hashable]) -> np.ndarray:
        """Index of each base count, new ones added at the end."""
        keys = list(keys)
        index = self.index
        out = [index.get(key, -1) for key in keys]
        if -1 in out:
            for i, key in enumerate(keys):
                if out[i] == -1:
                    found = index.get(key)
                    if found is None:
                        found = index[key] = len(self.keys)
                        self.keys.append(key)
                    out[i] = found
        return np.array(out, dtype=np.int64)

    def add_facts(
        self,
        rows: Rows,
        low: np.ndarray,
        high: np.ndarray,
        sources: Callable[[int], object] | Sequence[object],
        units: Callable[[int], object] | Sequence[object],
    ) -> None:
        """Facts as rows over indices from :meth:`ids`; ``sources(i)`` and ``units(i)`` say where each was published."""
        self._facts.append(rows)
        self._bounds.append((np.asarray(low, dtype=float), np.asarray(high, dtype=float)))
        self._sources.extend(len(rows), sources)
        self._units.extend(len(rows), units)

    def add_cells(
        self,
        rows: Rows,
        keys: Sequence[Hashable],
        labels: Callable[[int], object] | Sequence[object],
        values: np.ndarray | None = None,
    ) -> None:
        """Cells as rows over indices from :meth:`ids`, with their keys, labels and true values (NaN: unknown)."""
        self._cells.append(rows)
        self._cell_keys.extend(keys)
        self._labels.extend(len(rows), labels)
        self._values.append(np.full(len(rows), np.nan) if values is None else np.asarray(values, dtype=float))

    @property
    def cell_count(self) -> int:
        """Cells added so far."""
        return len(self._cell_keys)

    def add(self, facts: Iterable[Fact] = (), cells: Iterable[Cell] = ()) -> None:
        """Facts and cells given as objects."""
        facts, cells = list(facts), list(cells)
        if facts:
            self.add_facts(
                self._rows([f.terms for f in facts]),
                np.array([f.low for f in facts], dtype=float),
                np.array([f.high for f in facts], dtype=float),
                [f.source for f in facts],
                [f.unit for f in facts],
            )
        if cells:
            values = np.array([np.nan if c.value is None else c.value for c in cells], dtype=float)
            self.add_cells(
                self._rows([c.terms for c in cells]), [c.key for c in cells], [c.label for c in cells], values
            )

    def _rows(self, forms: Sequence[Mapping[Hashable, float]]) -> Rows:
        lengths = np.array([len(f) for f in forms], dtype=np.int64)
        var = self.ids(k for f in forms for k in f)
        coef = np.array([float(c) for f in forms for c in f.values()], dtype=float)
        return Rows.from_lengths(lengths, var, coef)

    def build(self) -> LinearSystem:
        """The system collected so far."""
        low = np.concatenate([b[0] for b in self._bounds]) if self._bounds else np.zeros(0)
        high = np.concatenate([b[1] for b in self._bounds]) if self._bounds else np.zeros(0)
        values = np.concatenate(self._values) if self._values else np.zeros(0)
        return LinearSystem(
            list(self.keys),
            Rows.concat(self._facts),
            low,
            high,
            self._sources,
            self._units,
            Rows.concat(self._cells),
            list(self._cell_keys),
            self._labels,
            values,
        )


def system_of(facts: Iterable[Fact], cells: Iterable[Cell]) -> LinearSystem:
    """A system from facts and cells given as objects."""
    builder = SystemBuilder()
    builder.add(facts, cells)
    return builder.build()


def with_facts(system: LinearSystem, facts: Sequence[Fact], keep: bool = True) -> LinearSystem:
    """The same cells, with ``facts`` after the system's own facts (``keep``) or instead of them."""
    builder = SystemBuilder()
    builder.ids(system.keys)  # the same indices for the same base counts
    if keep:
        builder.add_facts(system.facts, system.low, system.high, system.sources.__getitem__, system.units.__getitem__)
    builder.add(facts)
    builder.add_cells(system.cells, system.cell_keys, system.labels.__getitem__, system.values)
    return builder.build()


def components(system: LinearSystem) -> list[tuple[np.ndarray, np.ndarray]]:
    """Independent parts (no base count in common): ``(fact rows, cell rows)`` each, in the order of their first cell.

    Facts and cells without terms, and parts without cells, are left out.
    """
    n = len(system.keys)
    label = np.arange(n, dtype=np.int64)
    links = [r for r in (system.facts, system.cells) if len(r)]
    while True:  # label propagation: each form pulls its variables to their smallest label
        before = label.copy()
        for rows in links:
            lengths = np.diff(rows.ptr)
            nonempty = lengths > 0
            smallest = (
                np.minimum.reduceat(label[rows.var], rows.ptr[:-1][nonempty])
                if rows.var.size
                else np.zeros(0, np.int64)
            )
            per_term = np.repeat(smallest, lengths[nonempty])
            np.minimum.at(label, rows.var, per_term)
        while True:
            jumped = label[label]
            if np.array_equal(jumped, label):
                break
            label = jumped
        if np.array_equal(label, before):
            break
    fact_root = _root_of_rows(system.facts, label)
    cell_root = _root_of_rows(system.cells, label)
    order: dict[int, int] = {}
    for root in cell_root[cell_root >= 0].tolist():
        order.setdefault(root, len(order))
    out = []
    for root in order:
        out.append((np.flatnonzero(fact_root == root), np.flatnonzero(cell_root == root)))
    return out


def _root_of_rows(rows: Rows, label: np.ndarray) -> np.ndarray:
    """Component label of each form (-1 for a form without terms)."""
    root = np.full(len(rows), -1, dtype=np.int64)
    lengths = np.diff(rows.ptr)
    nonempty = np.flatnonzero(lengths > 0)
    root[nonempty] = label[rows.var[rows.ptr[nonempty]]]
    return root
