"""Discounting: a stepped real discount rate (the Ministry of Finance's R-109) as factors and annuities.

Year 0 is the comparison year (sammenligningsår) and is not discounted; the
factor of year *t* after it is the product of ``1/(1 + r_k)`` for k = 1..t,
where ``r_k`` is the rate of the schedule's step that covers year k: the
first step whose ``until_year`` is k or later, or the last step, which has
no end. A year *before* the comparison year is compounded up to it at the
first step's rate, ``(1 + r_1)**(C - y)``, so every cohort of a programme,
whatever its year, is valued in the same year's money (R-109; DFØ kap. 3.5).
The registry gives the schedule as data (``discount_schedule`` in
``config/assumptions/*.yml``), so these functions take any number of steps.
Pure functions; no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from outcomes.core.errors import ConfigError

#: A discount schedule as numbers: ``(until_year, rate)`` per step, in order, as
#: :meth:`outcomes.registries.assumptions.Registry.discount_steps` gives it.
#: ``until_year`` is the last year (after the programme year) the step covers,
#: None for the last step, which covers every later year; ``rate`` is a real
#: rate, a share per year (0.04 = 4 %).
Schedule = Sequence[tuple[float | None, float]]

#: The Ministry of Finance's schedule (R-109): 4 % for years 1-40, 3 % for years 41-75, 2 % after.
R109_SCHEDULE: tuple[tuple[float | None, float], ...] = ((40, 0.04), (75, 0.03), (None, 0.02))


def rate_matrix(
    rates: Sequence[np.ndarray | float], until_years: Sequence[np.ndarray | float], horizon: int
) -> np.ndarray:
    """Yearly discount rate r_t for t = 1..horizon, one row per parameter set.

    Parameters
    ----------
    rates
        The rate of each step (shares per year): arrays of one value per
        parameter set, or single numbers.
    until_years
        The last year of each step but the last (one fewer than ``rates``),
        in the same form.
    horizon
        Number of years (columns).

    Returns
    -------
    numpy.ndarray
        Shape ``(parameter sets, horizon)``. Year t takes the rate of the first
        step whose until_year is t or later, else the last step's rate.
    """
    if len(until_years) != len(rates) - 1:
        raise ConfigError(
            f"A discount schedule of {len(rates)} rates needs {len(rates) - 1} until-years, found {len(until_years)}.",
            column="discount_schedule",
            expected="an until_year for every step but the last",
        )
    t = np.arange(1, horizon + 1)
    columns = [np.asarray(r, dtype=float).reshape(-1, 1) for r in rates]
    limits = [np.asarray(u, dtype=float).reshape(-1, 1) for u in until_years]
    sets = max(len(a) for a in [*columns, *limits])
    matrix = np.broadcast_to(columns[-1], (sets, horizon))
    # From the last step back, so that the first step covering a year wins.
    for rate, until in zip(reversed(columns[:-1]), reversed(limits), strict=True):
        matrix = np.where(t <= until, rate, matrix)
    return matrix


def discount_matrix(
    rates: Sequence[np.ndarray | float], until_years: Sequence[np.ndarray | float], horizon: int
) -> np.ndarray:
    """Discount factors for years 1..horizon (columns), one row per parameter set (see :func:`rate_matrix`)."""
    # Summing log(1 + r) and exponentiating once keeps the product exact to
    # rounding however long the horizon, and vectorises over parameter sets.
    return np.exp(-np.cumsum(np.log1p(rate_matrix(rates, until_years, horizon)), axis=1))


def check_schedule(schedule: Schedule) -> None:
    """Refuse a schedule without steps, with an open step before the last, or with years out of order.

    Raises
    ------
    ConfigError
        Naming the step that is wrong.
    """
    if not schedule:
        raise ConfigError(
            "The discount schedule has no steps.", column="discount_schedule", expected="one step or more"
        )
    untils = [until for until, _ in schedule[:-1]]
    if any(until is None for until in untils) or schedule[-1][0] is not None:
        raise ConfigError(
            "Every step of the discount schedule but the last needs an until_year, and the last has none.",
            column="discount_schedule",
            expected="until_year on every step but the last",
        )
    for number in range(1, len(untils)):
        before, after = untils[number - 1], untils[number]
        if before is not None and after is not None and after < before:
            raise ConfigError(
                f"The discount schedule's years are in the wrong order: step {number + 1} ends at year {after:g}, "
                f"before step {number} (year {before:g}).",
                column="discount_schedule",
                expected="until_year rising from step to step",
            )


def discount_factors(horizon: int, schedule: Schedule = R109_SCHEDULE) -> np.ndarray:
    """Discount factors for years 0..horizon under a stepped real rate.

    Parameters
    ----------
    horizon
        Last year (years after the programme year, which is year 0).
    schedule
        ``(until_year, rate)`` per step, in order (see :data:`Schedule`). The default is the
        Ministry of Finance's schedule (R-109): 4 % for years 1-40, 3 % for
        years 41-75 and 2 % after.

    Returns
    -------
    numpy.ndarray
        ``horizon + 1`` factors (dimensionless); factor 0 is 1 (year 0 is
        not discounted). For the default schedule the factor of a year
        t > 40 is ``1 / (1.04**40 * 1.03**(t - 40))`` up to year 75.

    Raises
    ------
    ConfigError
        If ``horizon`` is negative or the schedule is malformed (see
        :func:`check_schedule`).
    """
    if horizon < 0:
        raise ConfigError(f"The horizon must be 0 or more years, found {horizon}.", column="horizon")
    check_schedule(schedule)
    rates = [rate for _, rate in schedule]
    untils = [float(until) for until, _ in schedule[:-1] if until is not None]
    tail = discount_matrix(rates, untils, horizon)[0]
    return np.concatenate([[1.0], tail])


def annuity_factor(years: float, schedule: Schedule = R109_SCHEDULE) -> float:
    """Present value at year 0 of 1 NOK a year paid in years 1..``years``.

    Parameters
    ----------
    years
        Number of years (a fraction counts the last year in part).
    schedule
        The discount schedule, as in :func:`discount_factors`.

    Returns
    -------
    float
        The factor (years); 18.66 for 35 years at 4 %.
    """
    horizon = max(1, math.ceil(years))
    weights = np.clip(years - np.arange(horizon), 0.0, 1.0)
    return float(np.sum(weights * discount_factors(horizon, schedule)[1:]))


def calendar_discount(
    rates: Sequence[np.ndarray | float],
    until_years: Sequence[np.ndarray | float],
    years: np.ndarray,
    comparison_year: int,
) -> np.ndarray:
    """Discount factors to one comparison year for calendar years, one row per parameter set.

    Parameters
    ----------
    rates, until_years
        The schedule's rates (shares per year) and the last year of each step
        but the last, counted in years after ``comparison_year`` (see
        :func:`rate_matrix`).
    years
        Consecutive calendar years (int), in order.
    comparison_year
        The year every amount is discounted to (factor 1).

    Returns
    -------
    numpy.ndarray
        Shape ``(parameter sets, len(years))``: for a year y after the
        comparison year C the product of ``1/(1 + r_k)`` for k = 1..y-C; for
        y before it ``(1 + r_1)**(C - y)`` (compounded forward at the first
        step's rate).
    """
    years = np.asarray(years, dtype=int)
    ahead = max(0, int(years.max()) - int(comparison_year))
    future = discount_matrix(rates, until_years, ahead) if ahead else None
    first = np.asarray(rates[0], dtype=float).reshape(-1, 1)
    sets = max(len(np.atleast_1d(r)) for r in [*rates, *until_years]) if until_years else len(np.atleast_1d(rates[0]))
    out = np.ones((sets, len(years)))
    k = years - int(comparison_year)
    past = k < 0
    if past.any():
        out[:, past] = np.broadcast_to((1.0 + first) ** (-k[past]), (sets, int(past.sum())))
    later = k > 0
    if later.any() and future is not None:
        out[:, later] = np.broadcast_to(future[:, k[later] - 1], (sets, int(later.sum())))
    return out
