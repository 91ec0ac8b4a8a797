"""Positive deviance (outcomes.analyses.baseline.deviance): least squares, fit statistics, flags."""

from __future__ import annotations

import pandas as pd
import pytest

from outcomes.analyses.baseline.deviance import positive_deviance
from outcomes.analyses.baseline.municipalities import load_municipalities
from outcomes.core.errors import InputError
from tests.conftest import ROOT


def _national(n: int, outlier: int | None = 10, drop: float = 4.0) -> tuple[pd.DataFrame, list[float], list[float]]:
    codes = list(load_municipalities()["code"])[:n]
    xs = [float(i) for i in range(n)]
    # y = 2 + 0.5 x, +-0.2 alternating, one municipality `drop` points better (lower NEET)
    ys = [2 + 0.5 * x + (0.2 if i % 2 == 0 else -0.2) - (drop if i == outlier else 0.0) for i, x in enumerate(xs)]
    rows = []
    for code, x, y in zip(codes, xs, ys, strict=True):
        rows.append({"indicator": "neet_15_29", "region_code": code, "period": "2024", "period_end": 2024, "value": y})
        rows.append(
            {
                "indicator": "low_income_children",
                "region_code": code,
                "period": "2022-2024",
                "period_end": 2024,
                "value": x,
            }
        )
    rows.append({"indicator": "neet_15_29", "region_code": "0", "period": "2024", "period_end": 2024, "value": 99.0})
    return pd.DataFrame(rows), xs, ys


def _hand_ols(xs, ys):
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=False)) / sum((x - mx) ** 2 for x in xs)
    a = my - b * mx
    ssr = sum((y - a - b * x) ** 2 for x, y in zip(xs, ys, strict=False))
    sst = sum((y - my) ** 2 for y in ys)
    return a, b, 1 - ssr / sst, (ssr / (n - 2)) ** 0.5


class TestPositiveDeviance:
    def test_fit_matches_hand_least_squares(self, catalogue):
        nat, xs, ys = _national(40)
        r = positive_deviance(nat, catalogue, outcome="neet_15_29", predictors=["low_income_children"])
        a, b, r2, sigma = _hand_ols(xs, ys)
        assert r.coefficients["intercept"] == pytest.approx(a)
        assert r.coefficients["low_income_children"] == pytest.approx(b)
        assert r.r_squared == pytest.approx(r2)
        assert r.residual_sd == pytest.approx(sigma)
        assert r.n == 40 and r.warnings == []  # the country row is not a municipality

    def test_lists_the_municipality_doing_better_than_predicted(self, catalogue):
        nat, xs, ys = _national(40)
        r = positive_deviance(nat, catalogue, outcome="neet_15_29", predictors=["low_income_children"])
        code10 = list(load_municipalities()["code"])[10]
        assert r.deviants()["region_code"].tolist() == [code10]
        top = r.table.iloc[0]
        a, b, _, sigma = _hand_ols(xs, ys)
        assert top["residual"] == pytest.approx(ys[10] - (a + b * 10))
        assert top["performance"] == pytest.approx(-(ys[10] - (a + b * 10)) / sigma)

    def test_small_n_warns(self, catalogue):
        nat, _, _ = _national(8, outlier=None)
        r = positive_deviance(nat, catalogue, outcome="neet_15_29", predictors=["low_income_children"])
        assert r.n == 8 and any("Only 8 municipalities" in w for w in r.warnings)

    def test_missing_values_dropped_and_reported(self, catalogue):
        nat, _, _ = _national(40)
        nat.loc[(nat["indicator"] == "neet_15_29") & (nat.index < 4), "value"] = float("nan")
        r = positive_deviance(nat, catalogue, outcome="neet_15_29", predictors=["low_income_children"])
        assert (r.n, r.n_dropped) == (38, 2)
        assert any("2 municipalities left out" in w for w in r.warnings)

    def test_too_few_is_an_error(self, catalogue):
        nat, _, _ = _national(2, outlier=None)
        with pytest.raises(InputError):
            positive_deviance(nat, catalogue, outcome="neet_15_29", predictors=["low_income_children"])

    def test_demo_national_file_finds_planted_deviants(self, catalogue):
        from outcomes.analyses.baseline.readers import read_indicator_files

        nat = read_indicator_files([ROOT / "data/raw/demo/indicators/national/national_2024_synthetic.csv"], catalogue)
        r = positive_deviance(
            nat, catalogue, outcome="neet_15_29", predictors=["low_income_children", "higher_education_share"]
        )
        # Masfjorden, Bindal and Ulstein are among the five planted 5 points better than their context
        assert {"4634", "1811", "1516"} <= set(r.deviants()["region_code"])
        assert r.to_dict()["n"] == 356
