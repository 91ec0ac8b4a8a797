"""Hiding what a block alone gives away: the protection's first step on national-size tables.

After the cell rule, most cells a national follow-up table still discloses
are given away inside one year and department: education + work - education
or work leaves the people in both; positive activity minus education or work
leaves measure and other positive activity, which may be few. Such a cell is
disclosed whatever the rest of the table publishes
(:func:`outcomes.sdc.moves.surely_disclosed`), and only hiding one of its own
block's figures can protect it. So, before the whole year is audited, each
such block hides figures on its own, the way
:func:`outcomes.sdc.protect.secondary_suppression` would choose them: for
each disclosed cell, narrowest first, the cheapest published unit whose
hiding alone widens the cell's range over its block, unless one chosen in
the same round does; until its block discloses nothing by itself. Working
over the block's own polytope (:mod:`outcomes.sdc.blocks`), this needs no
linear programme at all. The whole year's audit then finds what ties between
departments give away, and checks everything.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from math import ceil, floor
from typing import cast

import numpy as np

from . import blocks, moves
from .linear import Fact, LinearSystem, components

Unit = tuple[object, ...]
Cost = Callable[[Unit, Fact], tuple[object, ...]]

#: Rounds of hiding within the blocks (each hides at least one unit, or stops).
_ROUNDS = 12
_EPS = 1e-6


def local_units(
    system: LinearSystem,
    point: Mapping[Hashable, float],
    structure: blocks.Structure,
    threshold: int,
    published: set[Unit],
    cost: Cost,
) -> set[Unit]:
    """Units to hide because a block's own published figures disclose one of its cells.

    Parameters
    ----------
    system
        A table's facts (with units) and cells (with true values).
    point
        The true base counts (missing ones are 0); they must satisfy every fact.
    structure
        Block and slot of a base count (:data:`outcomes.sdc.blocks.Structure`).
    threshold
        Smallest number of people a published figure may rest on.
    published
        Units the table still publishes.
    cost
        Sort key of a unit and one of its facts (its bounds and unit; no terms, no source): lower is hidden first.

    Only parts with at least :data:`outcomes.sdc.blocks.STRUCTURAL_FROM`
    blocks are looked at; what this leaves, the whole system's audit finds.
    """
    chosen: set[Unit] = set()
    for fact_rows, cell_rows in components(system):
        variables, facts, cells = system.part(fact_rows, cell_rows)
        keys = [system.keys[v] for v in variables.tolist()]
        low, high = system.low[fact_rows], system.high[fact_rows]
        view = blocks.block_view(keys, facts, low, high, structure)
        if view.size < blocks.STRUCTURAL_FROM:
            continue
        x = np.array([float(point.get(k, 0.0)) for k in keys])
        values = facts.values(x)
        slack = 1e-6 * (1.0 + np.abs(values))
        if not ((values >= low - slack).all() and (values <= high + slack).all()):
            continue  # the true counts do not satisfy what is published (facts from elsewhere): the audit decides
        truth = system.values[cell_rows]
        place, coef = blocks.cell_places(view, cells)
        known = ~np.isnan(truth)
        found = np.flatnonzero(
            moves.surely_disclosed(view, np.where(known, place, -1), coef, np.nan_to_num(truth), x, threshold)
        )
        if found.size:
            blocked = _Blocks(system, fact_rows, view, published, cost)
            chosen |= blocked.hide_until_clean(
                found, place, coef, [system.cell_keys[int(j)] for j in cell_rows], threshold
            )
    return chosen


class _Blocks:
    """The units behind each row of the blocks' own matrices, and what has been hidden in each block so far."""

    def __init__(
        self, system: LinearSystem, fact_rows: np.ndarray, view: blocks.BlockView, published: set[Unit], cost: Cost
    ) -> None:
        self.system, self.fact_rows, self.view, self.published, self.cost = system, fact_rows, view, published, cost
        self.behind: dict[int, dict[int, frozenset[Hashable]]] = {}
        self.first_fact: dict[Hashable, int] = {}
        self.removed: dict[int, set[Hashable]] = {}
        self._gone: dict[int, dict[Hashable, tuple[int, ...]]] = {}
        self._price: dict[Hashable, tuple[object, ...]] = {}

    def rows_behind(self, b: int) -> dict[int, frozenset[Hashable]]:
        """For each row of block ``b``'s matrix, the units of the facts behind it."""
        if b not in self.behind:
            behind: dict[int, set[Hashable]] = {}
            for f in self.view.own[b].tolist():
                unit = self.system.units[int(self.fact_rows[f])]
                behind.setdefault(int(self.view.row_of_fact[f]), set()).add(unit)
                self.first_fact.setdefault(unit, int(self.fact_rows[f]))
            self.behind[b] = {r: frozenset(u) for r, u in behind.items()}
            self.removed[b] = set()
        return self.behind[b]

    def gone(self, b: int, extra: Hashable | None = None) -> tuple[int, ...]:
        """Rows of block ``b`` whose every fact belongs to a unit hidden so far (and ``extra``)."""
        known = self._gone.setdefault(b, {})
        found = known.get(extra)
        if found is None:
            behind = self.rows_behind(b)
            hidden = self.removed[b] | ({extra} if extra is not None else set())
            found = known[extra] = tuple(r for r, units in sorted(behind.items()) if units <= hidden)
        return found

    def candidates(self, b: int) -> list[Hashable]:
        """Published units of block ``b`` not hidden yet."""
        units = {u for us in self.rows_behind(b).values() for u in us}
        return sorted(
            (u for u in units if u is not None and u in self.published and u not in self.removed[b]), key=repr
        )

    def price(self, unit: Hashable) -> tuple[object, ...]:
        """The unit's cost, with the bounds of the first of its facts (its terms and source are not needed)."""
        found = self._price.get(unit)
        if found is None:
            f = self.first_fact[unit]
            fact = Fact({}, float(self.system.low[f]), float(self.system.high[f]), "", unit)
            found = self._price[unit] = self.cost(cast(Unit, unit), fact)
        return found

    def hide_until_clean(
        self, cells: np.ndarray, place: np.ndarray, coef: np.ndarray, keys: list[Hashable], threshold: int
    ) -> set[Unit]:
        """Hide units, round by round, until no cell in ``cells`` is narrow over its block any more."""
        chosen: set[Unit] = set()
        live = cells
        for _ in range(_ROUNDS):
            block = place[live]
            low, high = blocks.ranges_without(self.view, block, coef[live], [self.gone(int(b)) for b in block])
            narrow = np.array([_narrow(lo, hi, threshold) for lo, hi in zip(low, high, strict=False)], dtype=bool)
            live, low, high = live[narrow], low[narrow], high[narrow]
            if not live.size:
                break
            round_chosen = self._choose(live, place, coef, keys, low, high)
            if not round_chosen:
                break
            for b, unit in round_chosen:
                self.removed[b].add(unit)
                self._gone.pop(b, None)
            chosen |= {cast(Unit, u) for _, u in round_chosen}
        return chosen

    def _choose(
        self,
        live: np.ndarray,
        place: np.ndarray,
        coef: np.ndarray,
        keys: list[Hashable],
        low: np.ndarray,
        high: np.ndarray,
    ) -> set[tuple[int, Hashable]]:
        """For each live cell, narrowest first, the cheapest unit that widens it, unless one chosen does."""
        pairs: list[tuple[int, Hashable]] = []
        gone: list[tuple[int, ...]] = []
        for i, c in enumerate(live.tolist()):
            b = int(place[c])
            now = self.gone(b)
            for unit in self.candidates(b):
                rows = self.gone(b, unit)
                if rows != now:
                    pairs.append((i, unit))
                    gone.append(rows)
        cells = np.array([live[i] for i, _ in pairs], dtype=np.int64)
        wide_low, wide_high = blocks.ranges_without(self.view, place[cells], coef[cells], gone) if pairs else ((), ())
        widened: list[set[Hashable]] = [set() for _ in live]
        for (i, unit), lo, hi in zip(pairs, wide_low, wide_high, strict=False):
            if hi > high[i] + _EPS or lo < low[i] - _EPS:
                widened[i].add(unit)
        order = sorted(
            range(live.size),
            key=lambda i: (
                _width(float(low[i]), float(high[i])),
                _is_base(keys[int(live[i])]),
                str(keys[int(live[i])]),
            ),
        )
        taken: set[Hashable] = set()
        out: set[tuple[int, Hashable]] = set()
        for i in order:
            if widened[i] and not widened[i] & taken:
                unit = min(widened[i], key=self.price)
                taken.add(unit)
                out.add((int(place[live[i]]), unit))
        return out


def _narrow(low: float, high: float, threshold: int) -> bool:
    """Whole-number range ``[ceil(low), floor(high)]`` disclosed (see :class:`outcomes.sdc.system.CellRange`)."""
    if not (np.isfinite(low) and np.isfinite(high)):
        return False
    lo, hi = ceil(low - _EPS), floor(high + _EPS)
    return hi >= 1 and lo < threshold and hi - lo < threshold


def _width(low: float, high: float) -> float:
    return floor(high + _EPS) - ceil(low - _EPS)


def _is_base(key: Hashable) -> bool:
    return isinstance(key, tuple) and bool(key) and key[0] == "base"
