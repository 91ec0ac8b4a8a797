"""The indicator catalogue: what each baseline indicator is and where it comes from.

``config/indicators.yml`` is data, not code: an analyst adds an indicator by
adding an entry there. This module reads it and checks it strictly (unknown keys
are errors, so a typo such as ``beter: lower`` is caught rather than ignored),
and answers the questions the readers and the analysis ask: which unit, which
direction is better, which indicators come from SSB table 13556.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from outcomes.core.errors import ConfigError
from outcomes.core.paths import config_dir
from outcomes.core.yamlsafe import read_yaml
from outcomes.registries.bokmal import in_bokmal, missing_bokmal

Unit = Literal["percent", "per_1000", "count"]
Better = Literal["higher", "lower", "neutral"]
Publisher = Literal["SSB", "FHI", "NAV", "NOVA", "Other"]

#: Selection of cells: dimension id -> one code or a list of codes.
Selection = dict[str, str | list[str]]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    """A label in Norwegian bokmål (``nb``) and English (``en``)."""

    nb: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Source(_Strict):
    """Where the published figure comes from: publisher, table number, URL."""

    publisher: Publisher
    table: str = Field(min_length=1, description="Table number as the publisher writes it, e.g. '07459'.")
    url: str = Field(pattern=r"^https?://")
    note: str | None = None
    note_nb: str | None = None


class Computation(_Strict):
    """How the value is computed, in words, for the report's method notes."""

    numerator: str | None = None
    numerator_nb: str | None = None
    denominator: str | None = None
    denominator_nb: str | None = None
    description: str | None = None
    description_nb: str | None = None


class Extract(_Strict):
    """How to pick an indicator's cells out of a downloaded table."""

    filter: Selection = Field(default_factory=dict)
    value: Selection | None = None
    numerator: Selection | None = None
    denominator: Selection | None = None
    sum_over: list[str] = Field(default_factory=list)

    @field_validator("filter", "value", "numerator", "denominator", mode="before")
    @classmethod
    def _codes_are_strings(cls, selection: object) -> object:
        # YAML reads 0 and 2023 as numbers; codes are always strings.
        if isinstance(selection, dict):
            return {str(k): [str(x) for x in v] if isinstance(v, list) else str(v) for k, v in selection.items()}
        return selection


class Indicator(_Strict):
    """One indicator of the catalogue. Values are in ``unit`` (percent = 0-100)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: Text
    theme: str
    unit: Unit
    better: Better
    source: Source
    computation: Computation
    extract: Extract
    aggregate: Literal["counts", "weighted"]
    weight: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Indicator:
        ex = self.extract
        if ex.value is None and not (ex.numerator is not None and ex.denominator is not None) and self.unit != "count":
            raise ValueError("extract needs `value`, or both `numerator` and `denominator`")
        if self.aggregate == "weighted" and not self.weight:
            raise ValueError("aggregate 'weighted' needs `weight` (a count indicator id)")
        if self.unit == "count" and self.aggregate != "counts":
            raise ValueError("a count indicator is aggregated by summing: use aggregate 'counts'")
        return self

    @property
    def multiplier(self) -> float | None:
        """100 for percent, 1,000 for per 1,000, None for counts."""
        return {"percent": 100.0, "per_1000": 1000.0, "count": None}[self.unit]

    @property
    def computation_text(self) -> str:
        """How the value is computed, in words: ``numerator / denominator``, or the description."""
        how = self.computation
        return " / ".join(x for x in (how.numerator, how.denominator) if x) or (how.description or "")

    @property
    def source_label(self) -> str:
        """``"SSB 13556"`` style citation."""
        return f"{self.source.publisher} {self.source.table}"


class IndicatorCatalogue(_Strict):
    """The whole catalogue: themes and indicators, checked for consistency."""

    version: Literal[1]
    themes: dict[str, Text]
    indicators: list[Indicator]

    @model_validator(mode="after")
    def _references(self) -> IndicatorCatalogue:
        ids = [i.id for i in self.indicators]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate indicator id(s): {', '.join(duplicates)}")
        by_id = {i.id: i for i in self.indicators}
        for ind in self.indicators:
            if ind.theme not in self.themes:
                raise ValueError(f"indicator {ind.id}: theme {ind.theme!r} is not one of {sorted(self.themes)}")
            if ind.weight is not None:
                weight = by_id.get(ind.weight)
                if weight is None or weight.unit != "count":
                    raise ValueError(
                        f"indicator {ind.id}: weight {ind.weight!r} must be a count indicator in the catalogue"
                    )
        return self

    def get(self, indicator_id: str) -> Indicator:
        """The indicator with this id.

        Raises
        ------
        ConfigError
            If no indicator has that id.
        """
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise ConfigError(
            f"Unknown indicator {indicator_id!r}.",
            column="indicator",
            expected=", ".join(self.ids()),
        )

    def ids(self) -> list[str]:
        """Indicator ids in catalogue order."""
        return [i.id for i in self.indicators]

    def units(self) -> dict[str, str]:
        """Unit of each indicator id (``percent``, ``per_1000``, ``count``)."""
        return {i.id: i.unit for i in self.indicators}

    def for_table(self, publisher: str, table: str) -> list[Indicator]:
        """Indicators whose source is ``publisher`` table ``table`` (leading zeros ignored)."""
        want = table.lstrip("0")
        return [i for i in self.indicators if i.source.publisher == publisher and i.source.table.lstrip("0") == want]

    def titles(self, language: Literal["nb", "en"] = "nb") -> dict[str, str]:
        """Indicator titles in one language, by id."""
        return {i.id: getattr(i.title, language) for i in self.indicators}

    def in_language(self, lang: str) -> IndicatorCatalogue:
        """The catalogue with its computations and source notes in ``lang`` (``*_nb`` for bokmål; see :mod:`.bokmal`)."""
        return in_bokmal(self) if lang == "nb" else self

    def missing_bokmal(self) -> list[str]:
        """Every text a bokmål reader would see in English, e.g. ``indicators[neet_15_29].source.note``."""
        return missing_bokmal(self)


def default_catalogue_path() -> Path:
    """``config/indicators.yml`` under the project root."""
    return config_dir() / "indicators.yml"


def load_catalogue(path: str | Path | None = None) -> IndicatorCatalogue:
    """Read and validate the indicator catalogue.

    Parameters
    ----------
    path
        YAML file; defaults to ``config/indicators.yml``.

    Returns
    -------
    IndicatorCatalogue

    Raises
    ------
    ConfigError
        If the file is missing, is not YAML, or an entry is invalid; the
        message names the entry and key (e.g. ``indicators.3.better``).
    """
    path = Path(path) if path is not None else default_catalogue_path()
    try:
        raw = read_yaml(path)
    except FileNotFoundError as exc:
        raise ConfigError("Indicator catalogue not found.", file=path, hint="Create config/indicators.yml.") from exc
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise ConfigError(f"Not valid YAML: {exc}", file=path, line=line + 1 if line is not None else None) from exc
    try:
        return IndicatorCatalogue.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        where = _indicator_id_at(raw, first["loc"])
        raise ConfigError(
            f"{first['msg']}{f' (indicator {where})' if where else ''}.",
            file=path,
            column=loc or None,
            expected="the keys and values documented at the top of config/indicators.yml",
        ) from exc


def _indicator_id_at(raw: object, loc: tuple[object, ...]) -> str | None:
    if len(loc) >= 2 and loc[0] == "indicators" and isinstance(loc[1], int) and isinstance(raw, dict):
        try:
            return str(raw["indicators"][loc[1]].get("id"))
        except (KeyError, IndexError, AttributeError, TypeError):
            return None
    return None
