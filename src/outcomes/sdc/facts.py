"""Facts from published table rows: the pieces every table's declaration shares.

A published count is an equality; a share or rate rounded to some decimals is
two inequalities on count and denominator; a 95% interval with its
denominator published bounds the count.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from math import isfinite

import numpy as np
import pandas as pd

from outcomes.core.stats import wilson_interval

from .system import Fact


def rounding_tolerance(decimals: int | None) -> float:
    """Half a unit of the last decimal published (plus float slack); unrounded figures get only the slack."""
    return 0.5 * 10.0 ** (-decimals) + 1e-9 if decimals is not None else 1e-9


def value(row: Mapping[str, object], column: str) -> float | None:
    """A published number of ``row`` (``None`` when hidden, missing or not a finite number)."""
    v = row.get(column)
    if v is None or v is pd.NA:
        return None
    try:
        f = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return f if isfinite(f) else None


def ratio_facts(
    num: dict[Hashable, float], den: dict[Hashable, float], share: float, tol: float, source: str, unit: Hashable
) -> list[Fact]:
    """``share - tol <= num / den <= share + tol`` as two linear facts."""
    terms_high = dict(num)
    terms_low = dict(num)
    for var, coef in den.items():
        terms_high[var] = terms_high.get(var, 0.0) - (share + tol) * coef
        terms_low[var] = terms_low.get(var, 0.0) - (share - tol) * coef
    return [Fact(terms_high, -np.inf, 0.0, source, unit), Fact(terms_low, 0.0, np.inf, source, unit)]


def count_from_interval(low: float | None, high: float | None, n: int, tol: float) -> tuple[int, int] | None:
    """The counts out of ``n`` whose 95% Wilson interval, rounded, is the published one."""
    if n <= 0 or (low is None and high is None):
        return None
    k = np.arange(n + 1)
    lo, hi = wilson_interval(k, np.full(n + 1, n))
    ok = np.ones(n + 1, dtype=bool)
    if low is not None:
        ok &= np.abs(lo - low) <= tol
    if high is not None:
        ok &= np.abs(hi - high) <= tol
    found = k[ok]
    return (int(found.min()), int(found.max())) if found.size else None


def interval_facts(
    row: Mapping[str, object], terms: dict[Hashable, float], n: float, tol: float, source: str, unit: Hashable
) -> list[Fact]:
    """The counts out of ``n`` that a published 95% interval (``ci_low``, ``ci_high`` of ``row``) allows."""
    found = count_from_interval(value(row, "ci_low"), value(row, "ci_high"), int(round(n)), tol)
    return [] if found is None else [Fact(terms, found[0], found[1], source, unit)]


def unique(facts: list[Fact]) -> list[Fact]:
    """The facts without repeats (the same terms and bounds published in several places)."""
    seen: dict[tuple[object, ...], Fact] = {}
    for f in facts:
        key = (
            tuple(sorted(f.terms.items(), key=repr)),
            round(f.low, 9) if isfinite(f.low) else f.low,
            round(f.high, 9) if isfinite(f.high) else f.high,
        )
        seen.setdefault(key, f)
    return list(seen.values())
