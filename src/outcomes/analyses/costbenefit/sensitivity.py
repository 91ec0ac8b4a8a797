"""Sensitivity: each assumption moved alone (tornado) and its switching value (break-even).

Both use the vectorised core; money is NOK in the report price year.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from outcomes.analyses.costbenefit.evaluation import evaluate
from outcomes.analyses.costbenefit.model import CostBenefitModel, Perspective
from outcomes.core.errors import ConfigError
from outcomes.registries.assumptions import SHARE_UNITS, Assumption

#: Why a break-even row has no clean answer: note code -> the English note (with its numbers).
BREAK_EVEN_NOTES: dict[str, str] = {
    "no_effect": "NPV does not depend on this assumption",
    "none": "NPV stays {sign} for all values from {lo:g} to {hi:g}",
    "jump": "NPV jumps across zero here (the assumption acts in whole years)",
    "several": "NPV crosses zero more than once; the crossing nearest the value is shown",
}


def _bounds(item: Assumption) -> tuple[float, float]:
    """Where to look for a break-even value of an assumption."""
    if item.unit in SHARE_UNITS:
        return 0.0, 1.0
    if item.unit == "years":
        return 0.0, 200.0
    scale = max(abs(item.value), abs(item.high), 1.0)
    return 0.0, 1000.0 * scale


def _npv_at(model: CostBenefitModel, assumption_id: str, values: np.ndarray, perspective: str) -> np.ndarray:
    """NPV (NOK) of ``perspective`` with one assumption at each of ``values``, the others at their values."""
    params = model.base_parameters(len(values))
    params[assumption_id] = np.asarray(values, dtype=float)
    return evaluate(model, params)[f"{perspective}_npv"]


def _solve(
    model: CostBenefitModel,
    assumption_id: str,
    lo: float,
    hi: float,
    f_lo: float,
    f_hi: float,
    perspective: str,
    tol_nok: float,
) -> tuple[float, float]:
    """Regula falsi (Illinois variant) with a bisection fallback on a bracket."""
    # NPV is linear in most assumptions, so a secant step usually lands on the
    # root at once; the Illinois halving and the bisection guard keep it safe
    # for the non-linear ones (discount rates, drop-off, duration).
    best_x, best_f = (lo, f_lo) if abs(f_lo) < abs(f_hi) else (hi, f_hi)
    side = 0
    for _ in range(200):
        x = hi - f_hi * (hi - lo) / (f_hi - f_lo) if f_hi != f_lo else 0.5 * (lo + hi)
        if not lo < x < hi:
            x = 0.5 * (lo + hi)
        fx = float(_npv_at(model, assumption_id, np.array([x]), perspective)[0])
        if abs(fx) < abs(best_f):
            best_x, best_f = x, fx
        if abs(fx) <= tol_nok or hi - lo <= 1e-13 * max(1.0, abs(x)):
            break
        if np.sign(fx) == np.sign(f_lo):
            lo, f_lo = x, fx
            if side == -1:
                f_hi /= 2.0
            side = -1
        else:
            hi, f_hi = x, fx
            if side == 1:
                f_lo /= 2.0
            side = 1
    return best_x, best_f


def break_even(
    model: CostBenefitModel,
    ids: Iterable[str] | None = None,
    *,
    perspective: Perspective = "society",
    tol_nok: float = 0.01,
) -> pd.DataFrame:
    """The value of each assumption at which the NPV is zero (switching value).

    Parameters
    ----------
    model
        From :func:`~outcomes.analyses.costbenefit.model.prepare`.
    ids
        Assumptions to solve for; all with ``low < high`` when ``None``.
    perspective
        Whose NPV: ``society`` (default) or ``public``.
    tol_nok
        Stop when |NPV| is at most this many NOK (report prices).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``id``: ``label``, ``unit``, ``price_year`` (money in the
        assumption's own price year, like ``value``), ``value``, ``low``,
        ``high``, ``break_even`` (NaN when the NPV does not change sign over
        the searched range), ``npv_at_break_even_nok``, ``within_range``
        (break-even between low and high), ``note`` (why there is no clean
        answer, in English; empty when there is one) and ``note_code`` (the
        same as a key of :data:`BREAK_EVEN_NOTES`, for pages to translate).
        When the NPV changes sign more than once, the crossing nearest
        ``value`` is reported.
    """
    if perspective not in ("society", "public"):
        raise ConfigError(
            f"No break-even for perspective {perspective!r}.", column="perspective", expected="society or public"
        )
    items = model.assumptions
    # Fixed assumptions (low == high) are not uncertain, so their switching
    # values are only computed on request.
    selected = list(ids) if ids is not None else [i for i in items if items[i].varies]
    rows = []
    for assumption_id in selected:
        model.registry.get(assumption_id)  # unknown ids raise a ConfigError with suggestions
        rows.append(_break_even_row(model, items[assumption_id], perspective, tol_nok))
    return pd.DataFrame(rows).set_index("id") if rows else pd.DataFrame()


def _break_even_row(model: CostBenefitModel, item: Assumption, perspective: str, tol_nok: float) -> dict[str, Any]:
    """One row of :func:`break_even`: search a grid over the assumption's bounds, then refine each sign change."""
    lo, hi = _bounds(item)
    grid = np.unique(np.concatenate([np.linspace(lo, hi, 2001), [item.value, item.low, item.high]]))
    npv = _npv_at(model, item.id, grid, perspective)
    finite = np.isfinite(npv)
    grid, npv = grid[finite], npv[finite]
    row: dict[str, Any] = {
        "id": item.id,
        "label": item.label,
        "unit": item.unit,
        "price_year": item.price_year,
        "value": item.value,
        "low": item.low,
        "high": item.high,
        "break_even": math.nan,
        "npv_at_break_even_nok": math.nan,
        "within_range": False,
        "note": "",
        "note_code": "",
    }
    if np.ptp(npv) <= tol_nok:
        return row | _note("no_effect")
    exact = np.flatnonzero(np.abs(npv) <= tol_nok)
    crossings = np.flatnonzero(np.sign(npv[:-1]) * np.sign(npv[1:]) < 0)
    if exact.size == 0 and crossings.size == 0:
        return row | _note("none", sign="positive" if npv[0] > 0 else "negative", lo=lo, hi=hi)
    candidates = [(abs(grid[i] - item.value), grid[i], float(npv[i])) for i in exact]
    for i in crossings:
        x, fx = _solve(model, item.id, grid[i], grid[i + 1], float(npv[i]), float(npv[i + 1]), perspective, tol_nok)
        candidates.append((abs(x - item.value), x, fx))
    _, x, fx = min(candidates)
    row |= {"break_even": float(x), "npv_at_break_even_nok": fx, "within_range": bool(item.low <= x <= item.high)}
    if abs(fx) > tol_nok:
        return row | _note("jump")
    return row | _note("several") if len(candidates) > 1 else row


def _note(code: str, **values: Any) -> dict[str, str]:
    """The ``note`` (English, for JSON) and ``note_code`` (for pages, which translate it) of a break-even row."""
    return {"note": BREAK_EVEN_NOTES[code].format(**values), "note_code": code}


def one_way_sensitivity(
    model: CostBenefitModel,
    ids: Iterable[str] | None = None,
    *,
    perspective: Perspective = "society",
) -> pd.DataFrame:
    """Move each assumption alone from its low to its high value (tornado).

    Parameters
    ----------
    model
        From :func:`~outcomes.analyses.costbenefit.model.prepare`.
    ids
        Assumptions to vary; all with ``low < high`` when ``None``.
    perspective
        ``society`` (default) or ``public``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``id``, sorted by ``swing`` (largest first): ``label``,
        ``unit``, ``price_year``, ``value``, ``low``, ``high``, ``bcr_base``,
        ``bcr_at_low``, ``bcr_at_high`` (kroner back per krone),
        ``npv_at_low_nok``, ``npv_at_high_nok`` (NOK, report prices) and
        ``swing`` (``|bcr_at_high - bcr_at_low|``).
    """
    if perspective not in ("society", "public"):
        raise ConfigError(
            f"No sensitivity for perspective {perspective!r}.", column="perspective", expected="society or public"
        )
    items = model.assumptions
    selected = [i for i in items if items[i].varies] if ids is None else list(ids)
    for assumption_id in selected:
        model.registry.get(assumption_id)  # unknown ids raise a ConfigError with suggestions
    base = evaluate(model, model.base_parameters())
    rows = []
    for assumption_id in selected:
        item = items[assumption_id]
        params = model.base_parameters(2)
        params[assumption_id] = np.array([item.low, item.high])
        out = evaluate(model, params)
        ratio, npv = out[f"{perspective}_bcr"], out[f"{perspective}_npv"]
        rows.append(
            {
                "id": assumption_id,
                "label": item.label,
                "unit": item.unit,
                "price_year": item.price_year,
                "value": item.value,
                "low": item.low,
                "high": item.high,
                "bcr_base": float(base[f"{perspective}_bcr"][0]),
                "bcr_at_low": float(ratio[0]),
                "bcr_at_high": float(ratio[1]),
                "npv_at_low_nok": float(npv[0]),
                "npv_at_high_nok": float(npv[1]),
                "swing": float(abs(ratio[1] - ratio[0])),
            }
        )
    if not rows:
        return pd.DataFrame()
    table = pd.DataFrame(rows).set_index("id")
    return table.sort_values("swing", ascending=False, kind="stable")
