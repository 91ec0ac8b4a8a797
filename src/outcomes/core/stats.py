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
