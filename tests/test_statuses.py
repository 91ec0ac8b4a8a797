"""The status map: loose matching of labels, complete definitions, clear errors."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from outcomes.core.errors import ConfigError
from outcomes.registries.statuses import CANONICAL_STATUSES, load_status_map, map_statuses
from tests.conftest import ROOT

MAP = ROOT / "config" / "status_map.yml"


class TestMapStatuses:
    def test_case_and_spaces_ignored(self) -> None:
        sm = load_status_map(MAP)
        labels = pd.Series(["  Utdanning ", "LÆRLING", "Work", "folkehøgskole", "Ikke  nådd", "Romfart"])
        mapped = map_statuses(labels, sm)
        assert mapped.tolist()[:5] == ["education", "apprenticeship", "work", "other_positive", "no_response"]
        assert pd.isna(mapped.iloc[5])

    def test_canonical_names_accepted(self) -> None:
        sm = load_status_map(MAP)
        assert map_statuses(pd.Series(list(CANONICAL_STATUSES)), sm).tolist() == list(CANONICAL_STATUSES)

    def test_groups_as_documented(self) -> None:
        groups = load_status_map(MAP).group_members()
        assert groups["education"] == {"education", "education_and_work", "apprenticeship"}
        assert groups["positive_activity"] == {
            "education",
            "work",
            "education_and_work",
            "apprenticeship",
            "measure",
            "other_positive",
        }
        assert groups["neet"] == {"neet"}


class TestLoadStatusMap:
    def test_label_under_two_statuses(self, tmp_path: Path) -> None:
        data = yaml.safe_load(MAP.read_text(encoding="utf-8"))
        data["statuses"]["work"]["labels"].append("Utdanning")
        bad = tmp_path / "map.yml"
        bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        with pytest.raises(ConfigError, match="both 'education' and 'work'"):
            load_status_map(bad)

    def test_missing_status(self, tmp_path: Path) -> None:
        data = yaml.safe_load(MAP.read_text(encoding="utf-8"))
        del data["statuses"]["measure"]
        bad = tmp_path / "map.yml"
        bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        with pytest.raises(ConfigError, match="measure"):
            load_status_map(bad)
