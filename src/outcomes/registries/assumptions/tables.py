"""The registry as tables: the assumptions log for the report, and what changed between two registries."""

from __future__ import annotations

from collections.abc import Mapping
from itertools import zip_longest
from typing import Any

import pandas as pd

from outcomes.registries.assumptions.schema import SETTING_NAMES, Assumption, DiscountStep, Registry


def _flatten(prefix: str, value: Any, out: dict[str, Any]) -> None:
    if isinstance(value, Mapping):
        for key, item in value.items():
            _flatten(f"{prefix}.{key}" if prefix else key, item, out)
    else:
        out[prefix] = value


def _flat_assumption(item: Assumption) -> dict[str, Any]:
    out: dict[str, Any] = {}
    _flatten("", item.model_dump(exclude={"id"}), out)
    return out


def diff_registries(a: Registry, b: Registry) -> pd.DataFrame:
    """What changed from registry ``a`` to registry ``b``.

    Parameters
    ----------
    a, b
        Two registries, e.g. last year's and this year's.

    Returns
    -------
    pandas.DataFrame
        One row per difference, columns ``id`` (assumption id, ``settings``,
        ``registry`` or ``discount_schedule``), ``field`` (e.g. ``value``,
        ``source.locator``, ``step 2``; empty for whole assumptions),
        ``change`` (``added``, ``removed`` or ``changed``), ``a`` and ``b``
        (the values, as text). Empty (with these columns) when nothing
        changed. Assumptions follow ``a``'s order, then new ones in ``b``'s
        order; the discount schedule's steps come last.
    """
    rows: list[dict[str, Any]] = []

    def add(item_id: str, field: str, change: str, old: Any, new: Any) -> None:
        rows.append({"id": item_id, "field": field, "change": change, "a": _text(old), "b": _text(new)})

    for field in ("programme", "title", "description"):
        if getattr(a, field) != getattr(b, field):
            add("registry", field, "changed", getattr(a, field), getattr(b, field))
    for field in SETTING_NAMES:
        old, new = getattr(a.settings, field), getattr(b.settings, field)
        if old != new:
            add("settings", field, "changed", old, new)
    a_items = {x.id: x for x in a.assumptions}
    b_items = {x.id: x for x in b.assumptions}
    for item_id in a.ids:
        if item_id not in b_items:
            add(item_id, "", "removed", a_items[item_id].value, None)
            continue
        old, new = _flat_assumption(a_items[item_id]), _flat_assumption(b_items[item_id])
        for field in [*old, *(k for k in new if k not in old)]:
            if old.get(field) != new.get(field):
                add(item_id, field, "changed", old.get(field), new.get(field))
    for item_id in b.ids:
        if item_id not in a_items:
            add(item_id, "", "added", None, b_items[item_id].value)
    for number, (old_step, new_step) in enumerate(zip_longest(a.discount_schedule, b.discount_schedule), start=1):
        if old_step != new_step:
            change = "added" if old_step is None else "removed" if new_step is None else "changed"
            add("discount_schedule", f"step {number}", change, _step_text(old_step), _step_text(new_step))
    return pd.DataFrame(rows, columns=["id", "field", "change", "a", "b"])


def _step_text(step: DiscountStep | None) -> str | None:
    """A discount step in words: ``discount_rate_1 until year discount_break_1``, ``discount_rate_3 after``."""
    if step is None:
        return None
    return f"{step.rate} after" if step.until_year is None else f"{step.rate} until year {step.until_year}"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value)) if abs(value) >= 1000 else repr(value)
    return str(value)


def _basis_text(item: Assumption) -> str | None:
    """``uprated by G from 2014`` when the source already uprated the value, else None."""
    basis = item.price_basis
    if basis is None or basis.uprated_by is None:
        return None
    return f"uprated by {basis.uprated_by} from {basis.from_year} to {item.price_year} by the source"


def registry_table(registry: Registry) -> pd.DataFrame:
    """The assumptions log as a table, for the report and for reviewers.

    Parameters
    ----------
    registry
        A loaded registry.

    Returns
    -------
    pandas.DataFrame
        One row per assumption: ``id``, ``label``, ``value``, ``unit``,
        ``price_year`` (money only), ``low``, ``high``, ``distribution``,
        ``evidence``, ``quality``, ``impact``, ``source`` (document and
        locator), ``url`` and ``note``. Values are in the assumption's own unit
        and price year (shares 0-1).
    """
    rows = [
        {
            "id": a.id,
            "label": a.label,
            "value": a.value,
            "unit": a.unit,
            "price_year": a.price_year,
            "low": a.low,
            "high": a.high,
            "distribution": a.distribution.kind if a.distribution else "fixed",
            "evidence": a.evidence,
            "quality": a.quality,
            "impact": a.impact,
            "source": a.source.cite(),
            "url": a.source.url,
            "note": a.note or a.source.note,
            "labour_linked": a.labour_linked if a.is_money else None,
            "price_basis": _basis_text(a),
            "unit_cost": a.unit_cost,
            "calibrated_to": a.calibrated_to,
            "to_verify": a.to_verify,
        }
        for a in registry.assumptions
    ]
    table = pd.DataFrame(rows)
    table["price_year"] = table["price_year"].astype("Int64")
    return table
