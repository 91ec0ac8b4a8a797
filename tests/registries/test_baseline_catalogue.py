"""Indicator catalogue (outcomes.registries.indicator_catalogue)."""

from __future__ import annotations

import pytest
import yaml

from outcomes.core.errors import ConfigError
from outcomes.registries.indicator_catalogue import load_catalogue
from tests.conftest import ROOT

SHIPPED = ROOT / "config" / "indicators.yml"


class TestLoadCatalogue:
    def test_required_indicators_and_sources(self):
        c = load_catalogue(SHIPPED)
        tables = {(i.source.publisher, i.source.table) for i in c.indicators}
        assert {
            ("SSB", "13556"),
            ("SSB", "13563"),
            ("FHI", "360"),
            ("SSB", "08764"),
            ("SSB", "07459"),
            ("FHI", "399"),
            ("FHI", "373"),
        } <= tables
        assert set(c.themes) == {"demography", "education", "work_and_exclusion", "help_measures", "youth_health"}
        neet = c.get("neet_15_29")
        assert (neet.unit, neet.better, neet.multiplier, neet.source_label) == ("percent", "lower", 100.0, "SSB 13556")

    def _write(self, tmp_path, mutate):
        raw = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
        mutate(raw)
        path = tmp_path / "indicators.yml"
        path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
        return path

    def test_unknown_key_rejected(self, tmp_path):
        path = self._write(tmp_path, lambda raw: raw["indicators"][3].update(beter="lower"))
        with pytest.raises(ConfigError, match="neet_15_29") as err:
            load_catalogue(path)
        assert err.value.column == "indicators.3.beter"

    def test_unknown_theme_and_bad_weight(self, tmp_path):
        with pytest.raises(ConfigError, match="theme"):
            load_catalogue(self._write(tmp_path, lambda raw: raw["indicators"][3].update(theme="health")))
        with pytest.raises(ConfigError, match="weight"):
            load_catalogue(self._write(tmp_path, lambda raw: raw["indicators"][5].update(weight="neet_15_29")))

    def test_unknown_indicator_lookup(self):
        with pytest.raises(ConfigError, match="Unknown indicator"):
            load_catalogue(SHIPPED).get("nope")
