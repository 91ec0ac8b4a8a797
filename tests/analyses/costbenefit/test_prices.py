"""Tests for outcomes.analyses.costbenefit.prices: the G and KPI series and uprating.

Expected numbers are worked out here with plain arithmetic from the values in
research/data.md section 4, never by calling the code under test.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from outcomes.analyses.costbenefit import prices
from outcomes.core.errors import ConfigError, InputError


@pytest.fixture(scope="module")
def indices() -> pd.DataFrame:
    return prices.load_price_indices()


class TestLoadPriceIndices:
    def test_covers_2005_to_2025(self, indices):
        assert indices.index.min() == 2005
        assert indices.index.max() == 2025
        assert len(indices) == 21

    def test_published_values(self, indices):
        # Values as printed in data.md section 4 (checked against NAV/SSB there).
        assert indices.loc[2014, "g_yearly_average"] == 87_328
        assert indices.loc[2024, "g_yearly_average"] == 122_225
        assert indices.loc[2025, "g_from_1_may"] == 130_160
        assert indices.loc[2015, "kpi"] == 100.0

    def test_calculated_yearly_averages_follow_the_formula(self, indices):
        # Yearly average = (4 months of last year's G + 8 months of this year's) / 12.
        g_may = indices["g_from_1_may"]
        for year in range(2006, 2026):
            expected = round((4 * g_may[year - 1] + 8 * g_may[year]) / 12)
            assert indices.loc[year, "g_yearly_average"] == expected, year

    def test_every_value_has_a_status(self, indices):
        assert set(indices["g_yearly_average_status"]) <= {"checked", "calculated"}
        assert set(indices["kpi_status"]) <= {"checked", "recalled", "base", "forecast"}
        assert indices.loc[2025, "kpi_status"] == "forecast"

    def test_missing_file(self, tmp_path):
        with pytest.raises(InputError, match="not found"):
            prices.load_price_indices(tmp_path / "nope.csv")

    def test_missing_column(self, tmp_path):
        path = tmp_path / "bad.csv"
        path.write_text("year,kpi\n2014,97.8\n", encoding="utf-8")
        with pytest.raises(InputError, match="g_from_1_may"):
            prices.load_price_indices(path)

    def test_gap_in_years(self, tmp_path):
        text = "year,g_from_1_may,g_yearly_average,g_yearly_average_status,kpi,kpi_status\n"
        text += "2014,88370,87328,checked,97.8,recalled\n2016,92576,91740,checked,103.6,checked\n"
        path = tmp_path / "gap.csv"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(InputError, match="consecutive"):
            prices.load_price_indices(path)


class TestLoadPriceIndexSources:
    def test_each_series_has_sources(self):
        sources = prices.load_price_index_sources()
        for column in ("g_from_1_may", "g_yearly_average", "kpi"):
            assert sources["sources"][column], column
            assert all(entry["document"] for entry in sources["sources"][column])
        assert sources["caveats"]


class TestUpratingFactor:
    def test_g_2014_to_2024(self, indices):
        # The cited NOK 15.9 million (2014) in 2024 kroner: 15 900 000 * 122 225 / 87 328.
        expected = 15_900_000 * 122_225 / 87_328
        assert expected == pytest.approx(22_253_773.13, abs=0.01)  # data.md: "22.3 MNOK (2024)"
        assert 15_900_000 * prices.uprating_factor(indices, 2014, 2024, "G") == pytest.approx(expected, abs=1e-6)

    def test_kpi_2014_to_2024(self, indices):
        assert prices.uprating_factor(indices, 2014, 2024, "KPI") == pytest.approx(
            133.6 / 97.9
        )  # SSB 03014: 2014 = 97.9, 2024 = 133.6

    def test_same_year_is_one(self, indices):
        assert prices.uprating_factor(indices, 2019, 2019) == 1.0

    def test_deflating_backwards(self, indices):
        assert prices.uprating_factor(indices, 2024, 2014) == pytest.approx(87_328 / 122_225)

    def test_year_outside_series(self, indices):
        with pytest.raises(ConfigError, match="2030") as info:
            prices.uprating_factor(indices, 2014, 2030)
        assert "2005" in info.value.describe()

    def test_unknown_index(self, indices):
        with pytest.raises(ConfigError, match="Unknown price index"):
            prices.uprating_factor(indices, 2014, 2024, "CPI")  # type: ignore[arg-type]


class TestUprate:
    def test_per_row_price_years(self, indices):
        out = prices.uprate([1000.0, 2000.0], [2014, 2020], 2024, indices)
        expected = [1000 * 122_225 / 87_328, 2000 * 122_225 / 100_853]
        np.testing.assert_allclose(out, expected, rtol=0, atol=1e-9)

    def test_one_price_year_for_all(self, indices):
        out = prices.uprate(np.array([1.0, 2.0]), 2015, 2016, indices, "KPI")
        np.testing.assert_allclose(out, [1.036, 2.072], atol=1e-12)

    def test_missing_year(self, indices):
        with pytest.raises(ConfigError, match="1999"):
            prices.uprate([1.0], [1999], 2024, indices)


class TestIndexStatus:
    def test_reports_each_year(self, indices):
        status = prices.index_status(indices, [2014, 2012, 2014], "G")
        assert status == {2012: "checked", 2014: "checked"}  # every G value has been checked (issue 15)

    def test_kpi(self, indices):
        assert prices.index_status(indices, [2025], "KPI") == {2025: "forecast"}


class TestPriceLabel:
    def test_plain(self):
        assert prices.price_label(2024) == "NOK, 2024 prices"

    def test_with_index(self):
        assert prices.price_label(2024, "G") == "NOK, 2024 prices (uprated by the yearly average of the base amount G)"
