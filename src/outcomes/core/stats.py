"""Small-sample statistics used across the analyses."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

#: Two-sided 95% normal quantile.
Z95 = 1.959963984540054


def wilson_interval(count: npt.ArrayLike, n: npt.ArrayLike, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a binomial proportion.

    Parameters
    ----------
    count
        Number of successes (people in the group).
    n
        Number of trials (the denominator). Where ``n`` is 0 the bounds are NaN.
    z
        Normal quantile; 1.96 for a 95% interval.

    Returns
    -------
    (low, high)
        Bounds as shares between 0 and 1.

    Notes
    -----
    Wilson's interval keeps its coverage for small n and shares near 0 or 1,
    where the usual Wald interval fails (Brown, Cai and DasGupta 2001).
    """
    k = np.asarray(count, dtype=float)
    m = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / m
        denom = 1 + z**2 / m
        centre = (p + z**2 / (2 * m)) / denom
        half = z * np.sqrt(p * (1 - p) / m + z**2 / (4 * m**2)) / denom
        low = np.where(m > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
        high = np.where(m > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    return low, high


def difference_interval(
    count_1: npt.ArrayLike, n_1: npt.ArrayLike, count_2: npt.ArrayLike, n_2: npt.ArrayLike, z: float = Z95
) -> tuple[np.ndarray, np.ndarray]:
    """Interval for the difference of two independent proportions, ``p2 - p1`` (Newcombe's hybrid score).

    Parameters
    ----------
    count_1, n_1
        Successes and denominator of the first (earlier) share.
    count_2, n_2
        Successes and denominator of the second (later) share.
    z
        Normal quantile; 1.96 for a 95% interval.

    Returns
    -------
    (low, high)
        Bounds of ``p2 - p1`` as shares between -1 and 1; NaN where a
        denominator is 0 or missing. The difference is clear (at the level of
        ``z``) when the interval does not contain 0.

    Notes
    -----
    Newcombe (1998), method 10: the Wilson interval of each share,
    ``low = d - sqrt((p2 - l2)^2 + (u1 - p1)^2)`` and
    ``high = d + sqrt((u2 - p2)^2 + (p1 - l1)^2)`` with ``d = p2 - p1``. It
    keeps its coverage for small groups and shares near 0 or 1 where the
    Wald interval ``d +/- z sqrt(p1 q1 / n1 + p2 q2 / n2)`` does not; for
    large groups the two agree. Overlapping intervals of the two shares are
    not a test of the difference: they overlap even when it is clear.
    """
    k1, m1 = np.asarray(count_1, dtype=float), np.asarray(n_1, dtype=float)
    k2, m2 = np.asarray(count_2, dtype=float), np.asarray(n_2, dtype=float)
    l1, u1 = wilson_interval(k1, m1, z)
    l2, u2 = wilson_interval(k2, m2, z)
    with np.errstate(divide="ignore", invalid="ignore"):
        p1, p2 = k1 / m1, k2 / m2
    d = p2 - p1
    low = d - np.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2)
    high = d + np.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)
    return low, high
