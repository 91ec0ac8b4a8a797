"""Secondary suppression over linked tables: hide what pins a disclosed cell, until nothing does.

The same loop serves every table about people: the table's declaration says
which *units* it publishes (what the publisher can hide as one: a group's
figures in one year and department, say) and turns the table into facts; the
loop audits the whole system with the true values known
(:func:`outcomes.sdc.system.cell_ranges`), and for each disclosed cell hides
one of the published units among its witnesses (the facts with a non-zero
dual value), the cheapest first. Hiding removes facts, so ranges only widen
and every round hides at least one unit: the loop ends.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from math import isfinite

import pandas as pd

from .system import AuditResult, Fact

Unit = tuple[object, ...]


class CannotProtectError(Exception):
    """Hiding every unit still leaves a small number that can be worked out (from relations no one can hide)."""


def choose_unit(
    witnesses: tuple[Fact, ...], published: set[Unit], cost: Callable[[Unit, Fact], tuple[object, ...]]
) -> Unit | None:
    """The cheapest published unit among the facts that pin a disclosed cell (``None`` if none is published)."""
    candidates: dict[Hashable, Fact] = {f.unit: f for f in witnesses if f.unit is not None and f.unit in published}
    if not candidates:
        return None
    return min(candidates.items(), key=lambda item: cost(item[0], item[1]))[0]  # type: ignore[arg-type,return-value]


def fact_size(fact: Fact) -> float:
    """The published value a fact holds (for preferring to hide small figures)."""
    return abs(fact.low) if isfinite(fact.low) else abs(fact.high) if isfinite(fact.high) else 0.0


def secondary_suppression(
    table: pd.DataFrame,
    audit: Callable[[pd.DataFrame, frozenset[Hashable]], AuditResult],
    published_units: Callable[[pd.DataFrame], set[Unit]],
    hide: Callable[[pd.DataFrame, dict[Unit, str]], None],
    cost: Callable[[Unit, Fact], tuple[object, ...]],
    fallback: Callable[[Hashable, set[Unit]], set[Unit]],
    reason: str = "secondary",
    max_rounds: int = 500,
    local: Callable[[pd.DataFrame], set[Unit]] | None = None,
) -> pd.DataFrame:
    """Hide units of ``table`` (in place) until ``audit`` finds nothing disclosed; return it.

    Parameters
    ----------
    table
        The table after primary suppression.
    audit
        Checks the table as it stands (with true values known), skipping the
        cells given as already safe.
    published_units
        The units the table still publishes.
    hide
        Hides units in place, each recording its reason (``{unit: reason}``).
    cost
        Sort key of a unit (and the fact that named it): lower is hidden first.
    fallback
        Units to hide for a disclosed cell (by key) that no published unit pins on its own.
    local
        Units to hide first, found without the whole system (:func:`outcomes.sdc.local.local_units`).
    """
    if local is not None:
        _hide_local_first(table, local, hide, reason)
    safe: frozenset[Hashable] = frozenset()
    for _ in range(max_rounds):
        result = audit(table, safe)
        disclosed = result.disclosed
        # Hiding only removes facts and so widens ranges: a cell shown safe by a wide range stays safe, and later
        # rounds check the rest (a known zero, or a narrow range at the threshold or above, may widen into a
        # disclosed one, so those are checked again).
        safe = result.still_safe()
        if not disclosed:
            return table
        published = published_units(table)
        chosen: set[Unit] = set()
        for found in disclosed:
            pinning = {f.unit for f in found.witnesses if f.unit is not None and f.unit in published}
            if pinning & chosen:
                continue  # a unit already chosen this round widens it too, or the next round says otherwise
            unit = choose_unit(found.witnesses, published, cost)
            if unit is None:
                chosen |= fallback(found.cell.key, published)
            else:
                chosen.add(unit)
        if not chosen:
            worst = disclosed[0]
            raise CannotProtectError(
                f"{worst.cell.label} stays between {int(worst.low)} and {int(worst.high)} people whatever is hidden; "
                "it is given away by: " + "; ".join(w.source for w in worst.witnesses[:5])
            )
        hide(table, {unit: reason for unit in sorted(chosen, key=repr)})
    raise RuntimeError("disclosure protection did not converge")  # pragma: no cover - each round hides a unit


def _hide_local_first(
    table: pd.DataFrame,
    local: Callable[[pd.DataFrame], set[Unit]],
    hide: Callable[[pd.DataFrame, dict[Unit, str]], None],
    reason: str,
) -> None:
    """Hide what ``local`` finds (the audit that follows decides whether it was enough)."""
    first = local(table)
    if first:
        hide(table, {unit: reason for unit in sorted(first, key=repr)})
