"""Configuration: validation, overrides, paths from the project root."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from outcomes.cli import build_parser, overrides_from
from outcomes.core import paths
from outcomes.core.config import MIN_THRESHOLD, load_config, parse_override
from outcomes.core.errors import ConfigError


class TestLoadConfig:
    def test_default_config_is_valid(self, project: Path) -> None:
        cfg = load_config()
        assert cfg.disclosure_threshold == 5 and cfg.language == "nb"
        assert cfg.path(cfg.inputs.followup) == project / "data" / "raw" / "demo" / "followup.csv"

    def test_unknown_key_is_named(self, project: Path) -> None:
        with pytest.raises(ConfigError, match=r"report_yaer: unknown key"):
            load_config(overrides={"report_yaer": 2020})

    def test_wrong_type_is_named(self, project: Path) -> None:
        with pytest.raises(ConfigError, match=r"disclosure_threshold: .*got 'many'"):
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
        args = build_parser().parse_args(
            [
                "report",
                "--year",
                "2019",
                "--first-year",
                "2012",
                "--lang",
                "en",
                "--threshold",
                "10",
                "--programme",
                "other",
                "--set",
                "programme.title=X",
            ]
        )
        cfg = load_config(args.config, overrides_from(args))
        assert (cfg.report_year, cfg.first_year, cfg.language, cfg.disclosure_threshold) == (2019, 2012, "en", 10)
        assert (cfg.programme.slug, cfg.programme.title) == ("other", "X")


FLOOR = "must be a whole number of at least 3 (the smallest group a published figure may rest on)"


def with_threshold(project: Path, text: str) -> str:
    """A copy of config/report.yml whose disclosure_threshold line reads ``text``; its path."""
    config = (project / "config" / "report.yml").read_text(encoding="utf-8")
    lines = [
        f"disclosure_threshold: {text}" if line.startswith("disclosure_threshold:") else line
        for line in config.splitlines()
    ]
    assert lines != config.splitlines()
    (project / "config" / "threshold.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return "config/threshold.yml"


class TestThresholdFloor:
    """disclosure_threshold is a whole number of at least MIN_THRESHOLD (issue 12, item 6)."""

    def test_floor_is_three(self) -> None:
        assert MIN_THRESHOLD == 3

    @pytest.mark.parametrize(
        ("written", "shown"),
        [
            ("1", "got 1"),
            ("2", "got 2"),
            ("0", "got 0"),
            ("-3", "got -3"),
            ("4.5", "got 4.5"),
            ("3.0", "got 3.0"),
            ("true", "got true (YAML reads yes/no"),
            ("yes", "got true (YAML reads yes/no"),
            ("false", "got false (YAML reads yes/no"),
            ("on", "got true (YAML reads yes/no"),
            ('"5 people"', "got '5 people'"),
            ('"2"', "got '2'"),
            ("", "got an empty value"),
        ],
    )
    def test_refused_in_the_file(self, project: Path, written: str, shown: str) -> None:
        with pytest.raises(ConfigError) as info:
            load_config(with_threshold(project, written))
        message = str(info.value)
        assert message.startswith("config/threshold.yml: the configuration is not valid:")
        assert f"  - disclosure_threshold: {FLOOR}; {shown}" in message
        assert "command line" not in message and "found" not in message

    @pytest.mark.parametrize("value", [1, 2, True, False, 4.5, -3, "5 people", None])
    def test_refused_as_an_override(self, project: Path, value: object) -> None:
        with pytest.raises(ConfigError, match=r"config/report\.yml: the configuration is not valid:") as info:
            load_config(overrides={"disclosure_threshold": value})
        assert f"  - disclosure_threshold: {FLOOR}; got " in str(info.value)
        assert str(info.value).endswith("; set on the command line")

    @pytest.mark.parametrize(("written", "expected"), [("3", 3), ("5", 5), ('"5"', 5), ("1000", 1000)])
    def test_accepted_in_the_file(self, project: Path, written: str, expected: int) -> None:
        cfg = load_config(with_threshold(project, written))
        assert cfg.disclosure_threshold == expected and type(cfg.disclosure_threshold) is int

    @pytest.mark.parametrize(("value", "expected"), [(3, 3), (5, 5), ("5", 5), (10, 10)])
    def test_accepted_as_an_override(self, project: Path, value: object, expected: int) -> None:
        assert load_config(overrides={"disclosure_threshold": value}).disclosure_threshold == expected

    def test_upper_bound_kept(self, project: Path) -> None:
        with pytest.raises(ConfigError, match=r"disclosure_threshold: .*less than or equal to 1000"):
            load_config(overrides={"disclosure_threshold": 1001})

    @pytest.mark.parametrize(
        ("argv", "expected"),
        [
            (["--set", "disclosure_threshold=10"], 10),
            (["--set", "disclosure_threshold=3"], 3),
            (["--threshold", "10"], 10),
            (["--threshold", "3"], 3),
        ],
    )
    def test_command_line_values_accepted(self, project: Path, argv: list[str], expected: int) -> None:
        args = build_parser().parse_args(["report", *argv])
        assert load_config(args.config, overrides_from(args)).disclosure_threshold == expected

    @pytest.mark.parametrize(
        ("argv", "shown"),
        [
            (["--set", "disclosure_threshold=true"], "got true (YAML reads yes/no"),
            (["--set", "disclosure_threshold=yes"], "got true (YAML reads yes/no"),
            (["--set", "disclosure_threshold=2"], "got 2"),
            (["--threshold", "1"], "got 1"),
            (["--threshold", "4.5"], "got 4.5"),
            (["--threshold", "-3"], "got -3"),
            (["--threshold", "true"], "got true (YAML reads yes/no"),
            (["--threshold", "null"], "got 'null'"),
        ],
    )
    def test_command_line_values_refused(self, project: Path, argv: list[str], shown: str) -> None:
        args = build_parser().parse_args(["report", *argv])
        with pytest.raises(ConfigError) as info:
            load_config(args.config, overrides_from(args))
        assert f"  - disclosure_threshold: {FLOOR}; {shown}" in str(info.value)
        assert str(info.value).endswith("; set on the command line")

    @pytest.mark.parametrize(
        ("argv", "shown"),
        [
            (["--set", "disclosure_threshold=true"], "got true"),
            (["--threshold", "1"], "got 1"),
            (["--threshold", "4.5"], "got 4.5"),
        ],
    )
    def test_report_command_exits_2_with_one_message(self, project: Path, argv: list[str], shown: str) -> None:
        env = {**os.environ, "OUTCOMES_ROOT": str(project), "PYTHONIOENCODING": "utf-8"}
        done = subprocess.run(
            [sys.executable, "-m", "outcomes.cli", "report", *argv],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=env,
            cwd=project,
            timeout=120,
        )
        assert done.returncode == 2, done.stderr
        assert done.stderr.startswith("error: config/report.yml: the configuration is not valid:\n")
        assert f"  - disclosure_threshold: {FLOOR}; {shown}" in done.stderr
        assert "set on the command line" in done.stderr
        assert "Traceback" not in done.stderr + done.stdout and "internal error" not in done.stderr
        assert not any((project / "reports").iterdir())  # nothing was published
