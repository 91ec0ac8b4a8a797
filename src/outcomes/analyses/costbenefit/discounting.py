"""Discounting: the Ministry of Finance's stepped real discount rate (R-109) as factors and annuities.

Year 0 is the programme year and is not discounted; the factor of year *t*
is the product of ``1/(1 + r_k)`` for k = 1..t, where ``r_k`` is the rate of
the schedule's step that covers year k. Pure functions; no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from outcomes.core.errors import ConfigError


def _rate_matrix(rates: Sequence[np.ndarray], breaks: Sequence[np.ndarray], horizon: int) -> np.ndarray:
    """Yearly discount rate r_t for t = 1..horizon, one row per parameter set."""
    t = np.arange(1, horizon + 1)
    r1, r2, r3 = (np.asarray(r, dtype=float).reshape(-1, 1) for r in rates)
    b1, b2 = (np.asarray(b, dtype=float).reshape(-1, 1) for b in breaks)
    return np.where(t <= b1, r1, np.where(t <= b2, r2, r3))


def discount_matrix(rates: Sequence[np.ndarray], breaks: Sequence[np.ndarray], horizon: int) -> np.ndarray:
    """Discount factors for years 1..horizon (columns), one row per parameter set."""
    # Summing log(1 + r) and exponentiating once keeps the product exact to
    # rounding however long the horizon, and vectorises over parameter sets.
    return np.exp(-np.cumsum(np.log1p(_rate_matrix(rates, breaks, horizon)), axis=1))


def discount_factors(
    horizon: int,
    rates: tuple[float, float, float] = (0.04, 0.03, 0.02),
    breaks: tuple[float, float] = (40, 75),
) -> np.ndarray:
    """Discount factors for years 0..horizon under a stepped real rate.

    Parameters
    ----------
    horizon
        Last year (years after the programme year, which is year 0).
    rates
        Real discount rates (shares per year, 0.04 = 4 %) for years
        1..``breaks[0]``, ``breaks[0]+1``..``breaks[1]`` and after. The default
        is the Ministry of Finance's schedule (R-109): 4 %, 3 %, 2 %.
    breaks
        Last year of the first and of the second rate (40 and 75).

    Returns
    -------
    numpy.ndarray
        ``horizon + 1`` factors (dimensionless); factor 0 is 1 (year 0 is
        not discounted). For the default schedule the factor of a year
        t > 40 is ``1 / (1.04**40 * 1.03**(t - 40))`` up to year 75.

    Raises
    ------
    ConfigError
        If ``horizon`` is negative or the breaks are in the wrong order.
    """
    if horizon < 0:
        raise ConfigError(f"The horizon must be 0 or more years, found {horizon}.", column="horizon")
    if breaks[0] > breaks[1]:
        raise ConfigError(
            f"The discount schedule's breaks are in the wrong order: {breaks[0]} > {breaks[1]}.",
            column="discount_break_1",
            expected="discount_break_1 <= discount_break_2",
        )
    tail = discount_matrix([np.array([r]) for r in rates], [np.array([b]) for b in breaks], horizon)[0]
    return np.concatenate([[1.0], tail])


def annuity_factor(
    years: float,
    rates: tuple[float, float, float] = (0.04, 0.03, 0.02),
    breaks: tuple[float, float] = (40, 75),
) -> float:
    """Present value at year 0 of 1 NOK a year paid in years 1..``years``.

    Parameters
    ----------
    years
        Number of years (a fraction counts the last year in part).
    rates, breaks
        The discount schedule, as in :func:`discount_factors`.

    Returns
    -------
    float
        The factor (years); 18.66 for 35 years at 4 %.
    """
    horizon = max(1, math.ceil(years))
    weights = np.clip(years - np.arange(horizon), 0.0, 1.0)
    return float(np.sum(weights * discount_factors(horizon, rates, breaks)[1:]))
