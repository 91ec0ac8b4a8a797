"""The run configuration: everything that changes between yearly runs.

``config/report.yml`` is read, command-line overrides are merged in, and the
result is validated by pydantic. An unknown key, a wrong type or a value out of
range is a :class:`~outcomes.core.errors.ConfigError` naming the file and the key.
Paths in the configuration are relative to the project root, never to the
working directory; :meth:`ReportConfig.path` resolves them.
"""

from __future__ import annotations

import copy
import datetime
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

from outcomes.core import paths
from outcomes.core.errors import ConfigError
from outcomes.core.yamlsafe import YamlLimitError, load_yaml, read_yaml

DEFAULT_CONFIG = "config/report.yml"

# The smallest disclosure threshold a run may be configured with. Below 3 a
# published figure gives people away: with a threshold of 2 a group of two is
# published, and from its total and one published cell (say "1 in work") either
# of the two, or anyone who knows one of them, reads off the other person's
# status. Statistics Norway (SSB) and the Norwegian Agency for Public and
# Financial Management (DFØ) use 3 as the absolute floor and 5 as the usual
# rule, which is the default (disclosure_threshold in config/report.yml).
MIN_THRESHOLD = 3

# Error type of a threshold below the floor (its message already names what was found).
_THRESHOLD_ERROR = "disclosure_threshold_floor"


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
    followup_counts: str | None = Field(
        default=None,
        description="Follow-up as yearly counts (year, department, status, number of people) for years without "
        "person-level records (CSV or XLSX); combined with inputs.followup, a year in one of them only",
    )
    followup_counts_sheet: str | None = Field(default=None, description="Sheet name when followup_counts is .xlsx")
    costs: str | None = Field(default=None, description="Programme cost ledger (CSV)")
    indicators: str | None = Field(default=None, description="Folder of indicator files for the baseline")
    profile: str | None = Field(default=None, description="Participant intake profile: per-participant flags or counts")
    survey: str | None = Field(default=None, description="Participant experience survey: one row per answer")
    confirm_random_ids: list[str] = Field(
        default_factory=list,
        description="Columns confirmed to hold random numeric pseudonyms: the few values that pass the identity-number "
        "check by chance do not refuse the file (see docs/data-contracts.md)",
    )


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


#: A text written in the configuration: one string for every language, or one per language (``{nb: ..., en: ...}``).
LocalText = str | dict[Literal["nb", "en"], str] | None


def local_text(value: object, lang: str) -> str | None:
    """A configured text in the language ``lang``: the other language's text when only that one is given."""
    if isinstance(value, dict):
        return value.get(lang) or next(iter(value.values()), None)
    return None if value is None else str(value)


class Baseline(_Strict):
    """Settings of the baseline (null-point) analysis."""

    region: Region
    baseline_year: int = Field(ge=1990, le=2100, description="The null point: the year change is measured from")
    report_year: int | None = Field(
        default=None, ge=1990, le=2100, description="Latest year compared (default: latest in the data)"
    )
    catalogue: str = "config/indicators.yml"
    targets: dict[str, float] = Field(
        default_factory=dict, description="Target per indicator id, in the indicator's unit"
    )
    periods: dict[str, str] = Field(
        default_factory=dict, description="Baseline period per indicator id, e.g. '2019_2021'"
    )
    national: str | None = Field(default=None, description="National file (all municipalities) for the deviance model")
    deviance: Deviance | None = None
    geography_year: int = Field(default=2024, description="Municipality codes are mapped to this year's geography")
    scope_note: LocalText = Field(
        default=None,
        description="Why the baseline's region and age groups are what they are, when they differ from the programme's",
    )

    def scope_text(self, lang: str) -> str | None:
        """:attr:`scope_note` in the language ``lang`` (see :func:`local_text`)."""
        return local_text(self.scope_note, lang)


class CostBenefit(_Strict):
    """Settings of the cost-benefit analysis."""

    assumptions: str = Field(description="Assumption registry (YAML)")
    price_year: int | None = Field(
        default=None, ge=1990, le=2100, description="Price year of all money (default: the registry's)"
    )
    outcome_group: Literal["education_or_work", "positive_activity"] = "education_or_work"
    draws: int = Field(default=10_000, ge=100, le=10_000_000)
    seed: int = 20240101
    overrides: dict[str, str | float | int | bool] = Field(
        default_factory=dict, description="What-if values per assumption id"
    )


class ReportMetadata(_Strict):
    """Who publishes the report, whom to ask, when, and how participants are followed up.

    Shown as written on the front page and the summary page. A text may be one
    string (shown in every language) or one per language, ``{nb: ..., en: ...}``;
    a language left out shows the other's text.
    """

    publisher: str | None = Field(default=None, min_length=1, description="Who publishes the report")
    author: str | None = Field(default=None, min_length=1, description="Who wrote it (a person or a team)")
    contact: str | None = Field(default=None, min_length=1, description="Whom to ask: name, e-mail, telephone")
    published: datetime.date | None = Field(default=None, description="Publication date, YYYY-MM-DD")
    followup_method: LocalText = Field(default=None, description="When and how the follow-up contact happens, in words")

    def text(self, name: str, lang: str) -> str | None:
        """The field ``name`` in the language ``lang`` (see :func:`local_text`)."""
        return local_text(getattr(self, name), lang)


class ReportConfig(_Strict):
    """The whole run configuration (see ``config/report.yml``)."""

    programme: Programme
    report_year: int = Field(ge=1990, le=2100, description="Latest follow-up year in the report")
    first_year: int = Field(ge=1990, le=2100, description="Earliest follow-up year shown")
    language: Literal["nb", "en"] = "nb"
    disclosure_threshold: int = Field(
        default=5,
        le=1000,
        description=f"Smallest number of people a published figure may rest on (whole number, at least {MIN_THRESHOLD})",
    )
    inputs: Inputs
    status_map: str = "config/status_map.yml"
    nonresponse: Literal["respondents", "negative", "positive"] = "respondents"
    sections: list[str] = Field(
        default_factory=lambda: ["followup"],
        description="Sections to render, in the order of outcomes.sections.SECTIONS",
    )
    baseline: Baseline | None = None
    costbenefit: CostBenefit | None = None
    metadata: ReportMetadata = Field(
        default_factory=ReportMetadata, description="Publisher, author, contact, date and follow-up method"
    )
    allow_rejects: bool = Field(
        default=False, description="Publish without rejected input rows (the report says how many and why)"
    )

    @field_validator("disclosure_threshold", mode="before")
    @classmethod
    def _threshold_floor(cls, value: Any) -> Any:
        return check_threshold(value)

    @field_validator("sections")
    @classmethod
    def _unique_sections(cls, value: list[str]) -> list[str]:
        from outcomes.sections import SECTIONS

        unknown = [name for name in value if name not in SECTIONS]
        if unknown:
            raise ValueError(f"unknown section {', '.join(map(repr, unknown))}; expected one of {', '.join(SECTIONS)}")
        if len(set(value)) != len(value):
            raise ValueError("each section may appear only once")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> ReportConfig:
        if self.first_year > self.report_year:
            raise ValueError(f"first_year ({self.first_year}) is after report_year ({self.report_year})")
        from outcomes.sections import SECTIONS

        for name in self.sections:
            problem = SECTIONS[name].missing(self)
            if problem:
                raise ValueError(problem)
        return self

    def path(self, relative: str | Path) -> Path:
        """Resolve a configured path against the project root."""
        return paths.resolve(relative)

    def to_json_dict(self) -> dict[str, Any]:
        """The configuration as plain JSON-serialisable data (stable key order)."""
        return json.loads(self.model_dump_json())


def _shown_value(value: Any) -> str:
    """A configuration value as the user wrote it (YAML spelling for true, false and empty)."""
    if isinstance(value, bool):
        # YAML reads yes/no and on/off as true/false too, so say where a true came from
        return f"{str(value).lower()} (YAML reads yes/no, on/off and true/false as true or false, not as numbers)"
    if value is None:
        return "an empty value"
    return repr(value)


def check_threshold(value: Any) -> int:
    """The disclosure threshold as an int, or an error saying why it cannot be one.

    A whole number of at least :data:`MIN_THRESHOLD` is accepted, written as an
    int or as a string of digits (``"5"``, e.g. quoted in the YAML file).
    Booleans (YAML ``true``/``yes``), fractions (``4.5``), negative numbers and
    text (``"5 people"``) are refused: read as numbers they would silently give
    a threshold of 1 or 0, or one the user did not mean.

    Parameters
    ----------
    value
        The value from the configuration file or the command line.

    Returns
    -------
    int
        The threshold.

    Raises
    ------
    pydantic_core.PydanticCustomError
        When the value is not a whole number of at least ``MIN_THRESHOLD``
        (pydantic turns it into a validation error of ``disclosure_threshold``).
    """
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and re.fullmatch(r"\s*[0-9]+\s*", value):
        number = int(value)
    if number is None or number < MIN_THRESHOLD:
        raise PydanticCustomError(
            _THRESHOLD_ERROR,
            "must be a whole number of at least {floor} (the smallest group a published figure may rest on); "
            "got {found}",
            {"floor": MIN_THRESHOLD, "found": _shown_value(value)},
        )
    return number


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


def parse_value(raw: str) -> Any:
    """Read one value given on the command line as YAML, as :func:`parse_override` does.

    ``2019`` gives an int, ``true`` a bool, ``en`` a string; text that is not
    valid YAML is kept as it is.
    """
    if not raw.strip():
        return ""
    try:
        return load_yaml(raw, file="the command line")
    except (yaml.YAMLError, YamlLimitError):
        return raw


def parse_override(text: str) -> tuple[str, Any]:
    """Parse ``key.sub=value`` from the command line; the value is read as YAML.

    ``report_year=2019`` gives an int, ``language=en`` a string and
    ``sections=[followup]`` a list, so types are checked by the same validation
    as the file.
    """
    if "=" not in text:
        raise ConfigError(f"override '{text}' has no '='", expected="KEY=VALUE, e.g. report_year=2019")
    key, raw = text.split("=", 1)
    key = key.strip()
    if not key:
        raise ConfigError(f"override '{text}' has an empty key", expected="KEY=VALUE")
    return key, parse_value(raw)


def _format_validation_error(exc: ValidationError, source: str, overridden: Iterable[str] = ()) -> str:
    """One line per problem: ``key: what is wrong``, marked when the value came from an override.

    ``overridden`` are the dotted keys set on the command line; a problem at or
    under one of them says "set on the command line", since the file named in
    the first line does not hold that value.
    """
    overridden = tuple(overridden)
    lines = [f"{source}: the configuration is not valid:"]
    for err in exc.errors():
        key = ".".join(str(p) for p in err["loc"]) or "(top level)"
        if err["type"] == "extra_forbidden":
            msg = "unknown key (misspelt?)"
        elif err["type"] == "missing":
            msg = "required key is missing"
        else:
            msg = err["msg"]
            if err["type"] != _THRESHOLD_ERROR and "input" in err and not isinstance(err["input"], (dict, list)):
                msg += f" (found {err['input']!r})"
        if err["loc"] and any(key == k or key.startswith(f"{k}.") for k in overridden):
            msg += "; set on the command line"
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
        data = read_yaml(file, shown=shown) or {}
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
        raise ConfigError(_format_validation_error(exc, shown, (overrides or {}).keys())) from None
