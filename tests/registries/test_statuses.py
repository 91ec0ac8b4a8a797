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


def write_variant(tmp_path: Path, edit) -> Path:  # type: ignore[no-untyped-def]
    """A copy of the shipped status map changed by ``edit(data)``."""
    data = yaml.safe_load(MAP.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "map.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


class TestGroupsAsData:
    def test_positive_groups_from_the_file(self) -> None:
        assert load_status_map(MAP).positive_groups == {"education", "work", "education_or_work", "positive_activity"}

    def test_group_members_know_the_positive_groups(self) -> None:
        groups = load_status_map(MAP).group_members()
        assert groups.positive == load_status_map(MAP).positive_groups
        assert len(groups) == 5 and "neet" in groups and "neet" not in groups.positive
        assert groups == {g: frozenset(d.statuses) for g, d in load_status_map(MAP).groups.items()}

    def test_report_order_is_the_file_order(self) -> None:
        sm = load_status_map(MAP)
        assert sm.group_ids == ("education", "work", "education_or_work", "positive_activity", "neet")
        assert list(sm.group_members()) == list(sm.group_ids)

    def test_shown_groups(self) -> None:
        sm = load_status_map(MAP)
        assert sm.headline_groups == ("education_or_work", "positive_activity", "education")
        assert sm.lead_group == "education_or_work"
        assert sm.shown.over_time == ["education_or_work", "education", "positive_activity"]
        assert sm.shown.by_department == ["education_or_work", "positive_activity"]

    def test_titles(self) -> None:
        sm = load_status_map(MAP)
        assert sm.group_title("neet", "en") == "NEET" and sm.group_title("neet", "nb") == "Utenfor (NEET)"
        assert sm.group_titles("en")["work"] == "In work"
        assert sm.status_title("apprenticeship", "nb") == "Lærling"

    def test_a_new_group_is_an_edit_of_the_file(self, tmp_path: Path) -> None:
        def add(data: dict) -> None:
            data["groups"]["in_measure"] = {
                "title": {"nb": "I tiltak", "en": "In a measure"},
                "statuses": ["measure"],
                "positive": True,
            }
            data["shown"]["headline"].append("in_measure")

        sm = load_status_map(write_variant(tmp_path, add))
        assert sm.group_ids[-1] == "in_measure" and sm.headline_groups[-1] == "in_measure"
        assert sm.group_members()["in_measure"] == {"measure"} and "in_measure" in sm.positive_groups


class TestGroupErrors:
    def test_positive_must_be_said(self, tmp_path: Path) -> None:
        path = write_variant(tmp_path, lambda data: data["groups"]["neet"].pop("positive"))
        with pytest.raises(ConfigError, match=r"groups\.neet\.positive"):
            load_status_map(path)

    def test_shown_group_must_be_defined(self, tmp_path: Path) -> None:
        path = write_variant(tmp_path, lambda data: data["shown"]["over_time"].append("employed"))
        with pytest.raises(ConfigError, match=r"shown\.over_time names \['employed'\]"):
            load_status_map(path)

    def test_shown_group_twice(self, tmp_path: Path) -> None:
        path = write_variant(tmp_path, lambda data: data["shown"]["headline"].append("education"))
        with pytest.raises(ConfigError, match=r"shown\.headline names a group twice"):
            load_status_map(path)

    def test_shown_list_not_empty(self, tmp_path: Path) -> None:
        path = write_variant(tmp_path, lambda data: data["shown"].update(headline=[]))
        with pytest.raises(ConfigError, match=r"shown\.headline"):
            load_status_map(path)

    def test_group_id_is_a_plain_name(self, tmp_path: Path) -> None:
        path = write_variant(tmp_path, lambda data: data["groups"].update({"In work": data["groups"].pop("work")}))
        with pytest.raises(ConfigError, match="group ids"):
            load_status_map(path)

    def test_no_response_is_not_a_member(self, tmp_path: Path) -> None:
        path = write_variant(tmp_path, lambda data: data["groups"]["neet"]["statuses"].append("no_response"))
        with pytest.raises(ConfigError, match="not canonical answered statuses"):
            load_status_map(path)


class TestLabelsProgrammesWrite:
    """Labels found in programmes' own follow-up sheets map without editing the status map (issue 15)."""

    @pytest.mark.parametrize(
        "label,status",
        [
            ("Militærtjeneste", "other_positive"),
            ("militærtjenesten", "other_positive"),
            ("Førstegangstjenesten", "other_positive"),
            ("Tiltak i regi av NAV", "measure"),
            ("Kvalifiseringsprogrammet", "measure"),
            ("Ikke i aktivitet", "neet"),
            ("Høgskole", "education"),
            ("Fast jobb", "work"),
        ],
    )
    def test_common_label(self, label: str, status: str) -> None:
        assert map_statuses(pd.Series([label, f"  {label.upper()} "]), load_status_map(MAP)).tolist() == [status] * 2
