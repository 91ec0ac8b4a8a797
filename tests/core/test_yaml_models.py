"""One loader for project YAML files as typed models (:func:`outcomes.core.yamlsafe.load_model`)."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel, ConfigDict

from outcomes.core import yamlsafe
from outcomes.core.errors import ConfigError
from outcomes.core.yamlsafe import YamlLimitError, load_model, load_yaml, yaml_line
from outcomes.inputs import contracts
from tests.conftest import ROOT


class Step(BaseModel):
    model_config = ConfigDict(extra="forbid")
    until_year: int
    rate: float


class Schedule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    steps: list[Step]
    source: str | None = None


GOOD = "name: discount\nsteps:\n  - until_year: 2040\n    rate: 0.04\n  - until_year: 2100\n    rate: 0.03\n"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "schedule.yml"
    path.write_text(text, encoding="utf-8")
    return path


class TestLoadModel:
    def test_reads_and_validates(self, tmp_path: Path) -> None:
        schedule = load_model(write(tmp_path, GOOD), Schedule, "the schedule")
        assert schedule.steps[1] == Step(until_year=2100, rate=0.03)

    def test_text_given_and_extra_keys(self, tmp_path: Path) -> None:
        schedule = load_model(tmp_path / "never-read.yml", Schedule, "the schedule", text=GOOD, extra={"source": "x"})
        assert schedule.source == "x"

    def test_missing_file(self, tmp_path: Path) -> None:
        with pytest.raises(ConfigError, match="the schedule not found") as caught:
            load_model(tmp_path / "none.yml", Schedule, "the schedule", shown="config/none.yml", hint="Create it.")
        assert caught.value.file == "config/none.yml" and caught.value.hint == "Create it."

    def test_not_yaml_names_the_line(self, tmp_path: Path) -> None:
        with pytest.raises(ConfigError, match=r"the schedule is not valid YAML \(") as caught:
            load_model(write(tmp_path, "name: a\nsteps: [1, 2\n"), Schedule, "the schedule")
        assert caught.value.line is not None and caught.value.line >= 2

    def test_not_utf8(self, tmp_path: Path) -> None:
        path = tmp_path / "s.yml"
        path.write_bytes("name: Bærum\n".encode("cp1252"))
        with pytest.raises(ConfigError, match="the schedule is not UTF-8 text"):
            load_model(path, Schedule, "the schedule")

    def test_invalid_value_names_key_and_line(self, tmp_path: Path) -> None:
        text = GOOD.replace("rate: 0.03", "rate: three percent")
        with pytest.raises(ConfigError) as caught:
            load_model(write(tmp_path, text), Schedule, "the schedule", shown="config/schedule.yml")
        error = caught.value
        assert error.file == "config/schedule.yml"
        assert error.column == "steps.1.rate"
        assert error.line == 6  # the line of "rate: three percent"
        assert error.message.startswith("the schedule is not valid: steps.1.rate: Input should be a valid number")

    def test_every_problem_listed_first_one_located(self, tmp_path: Path) -> None:
        text = "name: discount\nsteps:\n  - until_year: 2040\n    rat: 0.04\n"
        with pytest.raises(ConfigError) as caught:
            load_model(write(tmp_path, text), Schedule, "the schedule")
        message = caught.value.message
        assert "steps.0.rate: Field required" in message and "steps.0.rat: Extra inputs are not permitted" in message
        assert caught.value.line == 3  # the missing key: the line of the step that lacks it

    def test_empty_file_is_an_empty_mapping(self, tmp_path: Path) -> None:
        with pytest.raises(ConfigError, match="name: Field required") as caught:
            load_model(write(tmp_path, ""), Schedule, "the schedule")
        assert caught.value.column == "name"

    def test_top_level_not_a_mapping(self, tmp_path: Path) -> None:
        with pytest.raises(ConfigError, match="is not valid: top level: ") as caught:
            load_model(write(tmp_path, "- 1\n- 2\n"), Schedule, "the schedule")
        assert caught.value.column is None and caught.value.line == 1

    def test_limits_still_apply(self, tmp_path: Path) -> None:
        with pytest.raises(YamlLimitError, match="anchor"):
            load_model(write(tmp_path, "name: &a x\nsteps: []\n"), Schedule, "the schedule")


class TestYamlLine:
    @pytest.mark.parametrize(
        ("location", "line"),
        [
            ((), 1),
            (("name",), 1),
            (("steps",), 2),
            (("steps", 0), 3),
            (("steps", 1, "rate"), 6),
            (("steps", 1, "missing"), 5),  # not there: its step
            (("steps", 7), 2),  # no eighth step: the list
        ],
    )
    def test_line_of_a_location(self, location: tuple[int | str, ...], line: int) -> None:
        assert yaml_line(GOOD, location) == line

    def test_unparsable_text(self) -> None:
        assert yaml_line("a: [", ("a",)) is None
        assert yaml_line("", ("a",)) is None


class TestContractLoading:
    def test_a_malformed_contract_names_file_line_and_key(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        path = tmp_path / "broken.yml"
        path.write_text(
            "name: broken\ntitle: {en: Broken}\ndescription: x\ncolumns:\n  year:\n    type: year\n", encoding="utf-8"
        )
        monkeypatch.setattr(contracts, "_contract_file", lambda kind: path)
        contracts.load_contract.cache_clear()
        try:
            with pytest.raises(ConfigError, match="data contract 'broken' is not valid: columns.year.type") as caught:
                contracts.load_contract("broken")
        finally:
            contracts.load_contract.cache_clear()
        assert caught.value.line == 6 and caught.value.column == "columns.year.type"

    def test_no_such_contract(self) -> None:
        with pytest.raises(ConfigError, match="there is no data contract for input kind 'nonesuch'"):
            contracts.load_contract("nonesuch")


class TestParsers:
    """libyaml parses (when PyYAML has it); PyYAML's own parser words what libyaml finds invalid."""

    SHIPPED = sorted(
        [*(ROOT / "config").rglob("*.yml"), *(ROOT / "src" / "outcomes").rglob("*.yml")], key=lambda p: str(p)
    )

    def test_libyaml_is_used(self) -> None:
        assert yamlsafe._LOADER is yaml.CSafeLoader  # the wheels ship it; without it everything is slower

    @pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
    def test_shipped_files_read_as_pyyaml_reads_them(self, path: Path) -> None:
        text = path.read_text(encoding="utf-8")
        assert load_yaml(text) == yaml.load(text, Loader=yaml.SafeLoader)  # noqa: S506 - the safe loader
        for variant in ("\ufeff" + text, text.replace("\n", "\r\n")):  # saved by Notepad: a BOM, CRLF
            assert load_yaml(variant) == yaml.load(variant, Loader=yaml.SafeLoader)  # noqa: S506

    @pytest.mark.parametrize("depth", [51, 999, 1001, 5000])
    def test_nesting_refused_at_our_limit(self, depth: int) -> None:
        # Under libyaml's own limit (1000) the events are counted; over it, PyYAML's parser counts.
        text = "deep: " + "[" * (depth - 1) + "]" * (depth - 1) + "\n"
        with pytest.raises(YamlLimitError, match="nested more than 50 levels") as caught:
            load_yaml(text, file="deep.yml")
        assert caught.value.line == 1
        assert load_yaml("deep: " + "[" * 49 + "]" * 49) == {"deep": functools.reduce(lambda x, _: [x], range(48), [])}

    @pytest.mark.parametrize(
        ("text", "message", "line"),
        [
            ("a: 1\nb: &x 2\n", "the anchor &x is not allowed", 2),
            ("a: [1]\nb:\n  - *x\n", "the alias *x is not allowed", 3),
            ("- a\n- !!binary aGk=\n- &y [1]\n", "the anchor &y is not allowed", 3),
        ],
    )
    def test_anchors_and_aliases_refused_with_their_line(self, text: str, message: str, line: int) -> None:
        with pytest.raises(YamlLimitError, match=re.escape(message)) as caught:
            load_yaml(text, file="x.yml")
        assert caught.value.line == line

    @pytest.mark.parametrize(
        "text",
        [
            "a: 1\nb: [unclosed\nc: 3\n",  # libyaml's parser refuses it
            "a: 1\n---\nb: 2\n",  # libyaml parses both documents; composing them fails
        ],
    )
    def test_invalid_yaml_worded_by_pyyaml(self, text: str) -> None:
        with pytest.raises(yaml.YAMLError) as ours:
            load_yaml(text)
        with pytest.raises(yaml.YAMLError) as pyyaml:
            yaml.load(text, Loader=yaml.SafeLoader)  # noqa: S506
        assert str(ours.value) == str(pyyaml.value)
