"""Configuration: validation, overrides, paths from the project root."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from outcomes import paths
from outcomes.cli import build_parser, overrides_from
from outcomes.config import load_config, parse_override
from outcomes.errors import ConfigError


class TestLoadConfig:
    def test_default_config_is_valid(self, project: Path) -> None:
        cfg = load_config()
        assert cfg.disclosure_threshold == 5 and cfg.language == "nb"
        assert cfg.path(cfg.inputs.followup) == project / "data" / "raw" / "demo" / "followup.csv"

    def test_unknown_key_is_named(self, project: Path) -> None:
        with pytest.raises(ConfigError, match=r"report_yaer: unknown key"):
            load_config(overrides={"report_yaer": 2020})

    def test_wrong_type_is_named(self, project: Path) -> None:
        with pytest.raises(ConfigError, match=r"disclosure_threshold: .*found 'many'"):
            load_config(overrides={"disclosure_threshold": "many"})

    def test_unknown_language(self, project: Path) -> None:
        with pytest.raises(ConfigError, match="language"):
            load_config(overrides={"language": "sv"})

    def test_first_year_after_report_year(self, project: Path) -> None:
        with pytest.raises(ConfigError, match="first_year"):
            load_config(overrides={"first_year": 2021})

    def test_missing_file(self, project: Path) -> None:
        with pytest.raises(ConfigError, match="configuration file not found"):
            load_config("config/nope.yml")

    def test_bad_yaml_names_line(self, project: Path) -> None:
        (project / "config" / "bad.yml").write_text("programme:\n  slug: [x\n", encoding="utf-8")
        with pytest.raises(ConfigError) as info:
            load_config("config/bad.yml")
        assert "bad.yml" in str(info.value) and info.value.line is not None

    def test_paths_independent_of_working_directory(self, project: Path, tmp_path: Path) -> None:
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir()
        old = os.getcwd()
        os.chdir(elsewhere)
        try:
            cfg = load_config()
            assert paths.resolve(cfg.inputs.followup).is_file()
        finally:
            os.chdir(old)


class TestOverrides:
    def test_parse_override_types(self) -> None:
        assert parse_override("report_year=2019") == ("report_year", 2019)
        assert parse_override("language=en") == ("language", "en")
        assert parse_override("sections=[followup]") == ("sections", ["followup"])
        with pytest.raises(ConfigError, match="KEY=VALUE"):
            parse_override("report_year")

    def test_every_option_overrides(self, project: Path) -> None:
        args = build_parser().parse_args([
            "report", "--year", "2019", "--first-year", "2012", "--lang", "en", "--threshold", "10",
            "--programme", "other", "--set", "programme.title=X",
        ])
        cfg = load_config(args.config, overrides_from(args))
        assert (cfg.report_year, cfg.first_year, cfg.language, cfg.disclosure_threshold) == (2019, 2012, "en", 10)
        assert (cfg.programme.slug, cfg.programme.title) == ("other", "X")
