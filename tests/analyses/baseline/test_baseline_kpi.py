"""KPI from SSB 03014 into the price index file (outcomes.analyses.baseline.kpi), from the recorded response."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from outcomes.analyses.baseline.kpi import (
    kpi_from_cells,
    price_indices_path,
    update_price_indices,
    update_price_indices_from_file,
)
from outcomes.analyses.baseline.readers import read_jsonstat
from outcomes.analyses.costbenefit import prices
from outcomes.core.errors import InputError
from tests.conftest import TEST_DATA

RECORDED = TEST_DATA / "recorded"


@pytest.fixture
def price_file(tmp_path) -> Path:
    """A copy of the packaged price index file (the real one is never written by tests)."""
    return Path(shutil.copy(price_indices_path(), tmp_path / "price_indices.csv"))


def kpi_file(tmp_path: Path, change) -> Path:
    data = json.loads((RECORDED / "ssb_v2_03014_data.json").read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "ssb_03014.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


class TestKpiFromCells:
    def test_annual_total_index_by_year(self):
        kpi = kpi_from_cells(read_jsonstat(RECORDED / "ssb_v2_03014_data.json"))
        assert (kpi.index.min(), kpi.index.max(), kpi[2014], kpi[2015]) == (2005, 2024, 97.9, 100.0)

    def test_another_base_is_refused(self, tmp_path):
        def rebased(data):  # SSB's newer KPI tables are 2025 = 100
            data["value"] = [round(v / 1.372, 1) for v in data["value"]]

        with pytest.raises(InputError, match="not on the base 2015 = 100"):
            kpi_from_cells(read_jsonstat(kpi_file(tmp_path, rebased)))

    def test_unknown_group_names_those_in_the_file(self):
        with pytest.raises(InputError, match="no Konsumgrp code '00'.*TOTAL"):
            kpi_from_cells(read_jsonstat(RECORDED / "ssb_v2_03014_data.json"), group="00")

    def test_monthly_periods_are_refused(self, tmp_path):
        def monthly(data):
            index = data["dimension"]["Tid"]["category"]["index"]
            data["dimension"]["Tid"]["category"]["index"] = {f"{k}M01": v for k, v in index.items()}

        with pytest.raises(InputError, match="not years"):
            kpi_from_cells(read_jsonstat(kpi_file(tmp_path, monthly)))


class TestUpdatePriceIndices:
    def test_levels_and_statuses_written_the_rest_untouched(self, price_file):
        before = prices.load_price_indices(price_file)
        update = update_price_indices_from_file(RECORDED / "ssb_v2_03014_data.json", price_file)
        after = prices.load_price_indices(price_file)
        differing = [int(y) for y in before.index if y <= 2024 and before.loc[y, "kpi"] != after.loc[y, "kpi"]]
        assert [year for year, _, _ in update.changed] == differing  # 2014 while the file still says 97.8
        assert len(update.changed) + len(update.confirmed) == 20
        assert after.loc[2014, "kpi"] == 97.9 and after.loc[2016, "kpi_status"] == "checked"
        assert after.loc[2015, "kpi_status"] == "base"
        # 2025 is not in SSB's file: its row stays as it was (a forecast, to be verified).
        assert after.loc[2025, ["kpi", "kpi_status"]].tolist() == before.loc[2025, ["kpi", "kpi_status"]].tolist()
        g_columns = ["g_from_1_may", "g_yearly_average", "g_yearly_average_status"]
        assert after[g_columns].equals(before[g_columns])
        assert prices.uprating_factor(after, 2014, 2024, "KPI") == pytest.approx(133.6 / 97.9)

    def test_a_year_after_the_file_is_reported_not_added(self, price_file, tmp_path):
        kpi = kpi_from_cells(read_jsonstat(RECORDED / "ssb_v2_03014_data.json"))
        kpi[2026] = 140.0
        update = update_price_indices(kpi, price_file)
        assert update.not_added == [2026] and "not added (no G in the file yet): 2026" in update.report()
        assert prices.load_price_indices(price_file).index.max() == 2025

    def test_default_file_is_the_one_prices_reads(self):
        assert price_indices_path() == prices._packaged("price_indices.csv")

    def test_not_a_price_file(self, tmp_path):
        (tmp_path / "x.csv").write_text("a,b\n1,2\n")
        with pytest.raises(InputError, match="Not a price index file"):
            update_price_indices(kpi_from_cells(read_jsonstat(RECORDED / "ssb_v2_03014_data.json")), tmp_path / "x.csv")
