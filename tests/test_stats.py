"""Wilson interval against published values and an independent hand calculation."""

from __future__ import annotations

import math

import numpy as np
import pytest

from outcomes.core.stats import wilson_interval


def wilson_by_hand(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """Wilson (1927) written out: (p + z²/2n ± z·sqrt(p(1−p)/n + z²/4n²)) / (1 + z²/n)."""
    p = k / n
    a = p + z * z / (2 * n)
    b = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    c = 1 + z * z / n
    return (a - b) / c, (a + b) / c


class TestWilsonInterval:
    @pytest.mark.parametrize(
        ("k", "n", "low", "high"),
        [
            # Published examples (e.g. Newcombe 1998, Table I; Brown, Cai & DasGupta 2001)
            (8, 10, 0.4902, 0.9433),
            (5, 10, 0.2366, 0.7634),
            (0, 10, 0.0000, 0.2775),
            (81, 263, 0.2553, 0.3662),
        ],
    )
    def test_published_values(self, k: int, n: int, low: float, high: float) -> None:
        lo, hi = wilson_interval(k, n)
        assert round(float(lo), 4) == low
        assert round(float(hi), 4) == high

    @pytest.mark.parametrize(("k", "n"), [(1, 3), (6, 11), (8, 11), (10, 11), (150, 187)])
    def test_matches_hand_formula(self, k: int, n: int) -> None:
        lo, hi = wilson_interval(k, n)
        hand_lo, hand_hi = wilson_by_hand(k, n)
        assert float(lo) == pytest.approx(hand_lo, abs=1e-10)
        assert float(hi) == pytest.approx(hand_hi, abs=1e-10)

    def test_zero_denominator_gives_nan(self) -> None:
        lo, hi = wilson_interval(np.array([0]), np.array([0]))
        assert np.isnan(lo[0]) and np.isnan(hi[0])

    def test_vectorised(self) -> None:
        lo, hi = wilson_interval([8, 5], [10, 10])
        assert lo.shape == (2,) and (lo < hi).all()
