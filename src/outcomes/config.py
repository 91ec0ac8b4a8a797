"""The run configuration: everything that changes between yearly runs.

``config/report.yml`` is read, command-line overrides are merged in, and the
result is validated by pydantic. An unknown key, a wrong type or a value out of
range is a :class:`~outcomes.errors.ConfigError` naming the file and the key.
Paths in the configuration are relative to the project root, never to the
working directory; :meth:`ReportConfig.path` resolves them.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from . import paths
from .errors import ConfigError

DEFAULT_CONFIG = "config/report.yml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Programme(_Strict):
    """The programme being reported on."""

    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", description="Folder name in reports/, lower case")
    title: str = Field(min_length=1, description="Name shown on the report")

    @field_validator("slug")
    @classmethod
    def _not_reserved(cls, value: str) -> str:
        # data/processed/<slug>/ must not be data/processed/rejects/, where rejected rows go
        if value == "rejects":
            raise ValueError("'rejects' is reserved (data/processed/rejects/ holds rejected rows); choose another slug")
        return value


class Inputs(_Strict):
    """Input files, relative to the project root."""

    followup: str = Field(description="Individual follow-up records (CSV or XLSX)")
    followup_sheet: str | None = Field(default=None, description="Sheet name when followup is .xlsx")
    costs: str | None = Field(default=None, description="Programme cost ledger (CSV)")
    indicators: str | None = Field(default=None, description="Folder of indicator files for the baseline")
    profile: str | None = Field(default=None, description="Participant intake profile: per-participant flags or counts")
    survey: str | None = Field(default=None, description="Participant experience survey: one row per answer")


class Region(_Strict):
    """A named group of municipalities for the baseline analysis."""

    name: str
    municipalities: list[str] = Field(min_length=1)
    county: str = Field(pattern=r"^\d{2}$")


class Deviance(_Strict):
    """Positive-deviance model: which outcome to explain by which context indicators."""

    outcome: str
    predictors: list[str] = Field(min_length=1)
    year: int | None = Field(default=None, ge=1990, le=2100)
    threshold_sd: float = Field(default=2.0, gt=0)


class Baseline(_Strict):
    """Settings of the baseline (null-point) analysis."""

    region: Region
    baseline_year: int = Field(ge=1990, le=2100, description="The null point: the year change is measured from")
    report_year: int | None = Field(default=None, ge=1990, le=2100, description="Latest year compared (default: latest in the data)")
    catalogue: str = "config/indicators.yml"
    targets: dict[str, float] = Field(default_factory=dict, description="Target per indicator id, in the indicator's unit")
    periods: dict[str, str] = Field(default_factory=dict, description="Baseline period per indicator id, e.g. '2019_2021'")
    national: str | None = Field(default=None, description="National file (all municipalities) for the deviance model")
    deviance: Deviance | None = None
    geography_year: int = Field(default=2024, description="Municipality codes are mapped to this year's geography")


class CostBenefit(_Strict):
    """Settings of the cost-benefit analysis."""

    assumptions: str = Field(description="Assumption registry (YAML)")
    price_year: int | None = Field(default=None, ge=1990, le=2100, description="Price year of all money (default: the registry's)")
    outcome_group: Literal["education_or_work", "positive_activity"] = "education_or_work"
    draws: int = Field(default=10_000, ge=100, le=10_000_000)
    seed: int = 20240101
    overrides: dict[str, str | float | int | bool] = Field(default_factory=dict, description="What-if values per assumption id")


class ReportConfig(_Strict):
    """The whole run configuration (see ``config/report.yml``)."""

    programme: Programme
    report_year: int = Field(ge=1990, le=2100, description="Latest follow-up year in the report")
    first_year: int = Field(ge=1990, le=2100, description="Earliest follow-up year shown")
    language: Literal["nb", "en"] = "nb"
    disclosure_threshold: int = Field(default=5, ge=1, le=1000)
    inputs: Inputs
    status_map: str = "config/status_map.yml"
    nonresponse: Literal["respondents", "negative", "positive"] = "respondents"
    sections: list[Literal["followup", "participants", "baseline", "costbenefit"]] = Field(default_factory=lambda: ["followup"])
    baseline: Baseline | None = None
    costbenefit: CostBenefit | None = None
    allow_rejects: bool = Field(default=False, description="Publish without rejected input rows (the report says how many and why)")

    @field_validator("sections")
    @classmethod
    def _unique_sections(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("each section may appear only once")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> "ReportConfig":
        if self.first_year > self.report_year:
            raise ValueError(f"first_year ({self.first_year}) is after report_year ({self.report_year})")
        if "baseline" in self.sections and self.baseline is None:
            raise ValueError("section 'baseline' is listed but there is no 'baseline:' block")
        if "participants" in self.sections and not (self.inputs.profile or self.inputs.survey):
            raise ValueError("section 'participants' is listed but neither inputs.profile nor inputs.survey is set")
        if "costbenefit" in self.sections and self.costbenefit is None:
            raise ValueError("section 'costbenefit' is listed but there is no 'costbenefit:' block")
        return self

    def path(self, relative: str | Path) -> Path:
        """Resolve a configured path against the project root."""
        return paths.resolve(relative)

    def to_json_dict(self) -> dict[str, Any]:
        """The configuration as plain JSON-serialisable data (stable key order)."""
        return json.loads(self.model_dump_json())


def _set_dotted(data: dict[str, Any], dotted: str, value: Any) -> None:
    keys = dotted.split(".")
    node = data
    for key in keys[:-1]:
        child = node.get(key)
        if child is None:
            child = {}
            node[key] = child
        if not isinstance(child, dict):
            raise ConfigError(f"cannot set '{dotted}': '{key}' is not a section", column=dotted)
        node = child
    node[keys[-1]] = value


def parse_override(text: str) -> tuple[str, Any]:
    """Parse ``key.sub=value`` from the command line; the value is read as YAML.

    ``report_year=2019`` gives an int, ``language=en`` a string and
    ``sections=[followup]`` a list, so types are checked by the same validation
    as the file.
    """
    if "=" not in text:
        raise ConfigError(
            f"override '{text}' has no '='", expected="KEY=VALUE, e.g. report_year=2019"
        )
    key, raw = text.split("=", 1)
    key = key.strip()
    if not key:
        raise ConfigError(f"override '{text}' has an empty key", expected="KEY=VALUE")
    try:
        value = yaml.safe_load(raw) if raw.strip() else ""
    except yaml.YAMLError:
        value = raw
    return key, value


def _format_validation_error(exc: ValidationError, source: str) -> str:
    lines = [f"{source}: the configuration is not valid:"]
    for err in exc.errors():
        key = ".".join(str(p) for p in err["loc"]) or "(top level)"
        if err["type"] == "extra_forbidden":
            msg = "unknown key (misspelt?)"
        elif err["type"] == "missing":
            msg = "required key is missing"
        else:
            msg = err["msg"]
            if "input" in err and not isinstance(err["input"], (dict, list)):
                msg += f" (found {err['input']!r})"
        lines.append(f"  - {key}: {msg}")
    return "\n".join(lines)


def load_config(
    path: str | Path = DEFAULT_CONFIG,
    overrides: dict[str, Any] | None = None,
) -> ReportConfig:
    """Read, merge and validate the run configuration.

    Parameters
    ----------
    path
        YAML file, relative to the project root unless absolute.
    overrides
        ``{"dotted.key": value}`` pairs applied on top of the file, e.g. from
        ``--set report_year=2019`` or ``--lang en``.

    Returns
    -------
    ReportConfig
        The validated configuration.

    Raises
    ------
    ConfigError
        When the file is missing or not YAML, a key is unknown, a type is
        wrong or a value is out of range. The message names the file and key.
    """
    file = paths.resolve(path)
    shown = paths.relative_to_root(file)
    if not file.is_file():
        raise ConfigError("configuration file not found", file=shown, hint="Check the --config path.")
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise ConfigError(
            f"not valid YAML ({getattr(exc, 'problem', None) or exc.__class__.__name__})",
            file=shown,
            line=line + 1 if line is not None else None,
        ) from None
    if not isinstance(data, dict):
        raise ConfigError("the top level must be a mapping of keys to values", file=shown)
    data = copy.deepcopy(data)
    for key, value in (overrides or {}).items():
        _set_dotted(data, key, value)
    try:
        return ReportConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_format_validation_error(exc, shown)) from None
