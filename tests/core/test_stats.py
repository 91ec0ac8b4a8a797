"""Wilson interval against published values and an independent hand calculation."""

from __future__ import annotations

import math

import numpy as np
import pytest

from outcomes.core.stats import difference_interval, wilson_interval


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


class TestDifferenceInterval:
    """Newcombe's hybrid score interval of ``p2 - p1``, against his published table and a hand calculation."""

    @pytest.mark.parametrize(
        ("k1", "n1", "k2", "n2", "low", "high"),
        [
            # Newcombe (1998), Table II, method 10: 56/70 - 48/80 and 9/10 - 3/10
            (48, 80, 56, 70, 0.0524, 0.3339),
            (3, 10, 9, 10, 0.1705, 0.8090),
        ],
    )
    def test_published_values(self, k1, n1, k2, n2, low, high) -> None:
        lo, hi = difference_interval(k1, n1, k2, n2)
        assert (float(lo), float(hi)) == pytest.approx((low, high), abs=5e-5)

    def test_hand_calculation(self) -> None:
        # 150/1000 then 120/1000: d = -0.03; Wilson bounds by hand, then Newcombe's two square roots.
        l1, u1 = wilson_by_hand(150, 1000)
        l2, u2 = wilson_by_hand(120, 1000)
        low = -0.03 - math.sqrt((0.12 - l2) ** 2 + (u1 - 0.15) ** 2)
        high = -0.03 + math.sqrt((u2 - 0.12) ** 2 + (0.15 - l1) ** 2)
        lo, hi = difference_interval(150, 1000, 120, 1000)
        assert (float(lo), float(hi)) == pytest.approx((low, high))
        # Close to the Wald interval for groups this large: -0.03 +/- 1.96 * sqrt(.15*.85/1000 + .12*.88/1000)
        wald = 1.959963984540054 * math.sqrt(0.15 * 0.85 / 1000 + 0.12 * 0.88 / 1000)
        assert (float(lo), float(hi)) == pytest.approx((-0.03 - wald, -0.03 + wald), abs=1e-3)

    def test_overlapping_intervals_can_still_differ(self) -> None:
        # The two Wilson intervals overlap, yet the difference is clear: overlap is no test.
        assert wilson_interval(150, 1000)[0] < wilson_interval(120, 1000)[1]
        assert float(difference_interval(150, 1000, 120, 1000)[1]) < 0

    def test_empty_group_gives_nan(self) -> None:
        lo, hi = difference_interval(np.array([5, 5]), np.array([10, 0]), np.array([6, 6]), np.array([10, 10]))
        assert not np.isnan(lo[0]) and np.isnan(lo[1]) and np.isnan(hi[1])
