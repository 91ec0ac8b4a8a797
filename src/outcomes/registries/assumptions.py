"""The assumption registry: every number behind a cost-benefit ratio, with its source.

A registry is a YAML file, ``config/assumptions/<programme>.yml``::

    programme: demo
    title: ...
    settings:
      price_index: G          # G (yearly average) or KPI
      tax_financing: true     # the 20 % tax-financing cost in the society perspective
    assumptions:
      - id: attribution
        label: Share of the outcome due to others
        value: 0.25
        unit: share           # NOK | NOK/year | share | share/year | years
        source: {document: ..., locator: page 4, table 2}
        evidence: judgement   # data | research | judgement
        low: 0.1
        high: 0.4
        distribution: {kind: pert}   # optional: uniform | triangular | pert | normal
        quality: amber        # red | amber | green: how good the evidence is
        impact: red           # red | amber | green: how much the result depends on it

Unknown keys and missing sources are errors, reported with the file, line and
assumption id. Money (units ``NOK`` and ``NOK/year``) must state a
``price_year``; other units must not. Shares are 0-1, never percent.

The registry is data: :func:`load_registry` is the only function here that
reads a file; overrides and diffs are pure.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from outcomes.core.errors import ConfigError
from outcomes.core.yamlsafe import YamlLimitError, compose_yaml, load_yaml, read_yaml_text

Evidence = Literal["data", "research", "judgement"]
Rating = Literal["red", "amber", "green"]
Unit = Literal["NOK", "NOK/year", "share", "share/year", "years"]
DistributionKind = Literal["uniform", "triangular", "pert", "normal"]

#: Units that are money and therefore need a price year.
MONEY_UNITS: frozenset[str] = frozenset({"NOK", "NOK/year"})
#: Units bounded to 0-1.
SHARE_UNITS: frozenset[str] = frozenset({"share", "share/year"})

_TRUE = {"true", "on", "yes", "ja", "1"}
_FALSE = {"false", "off", "no", "nei", "0"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Source(_Strict):
    """Where a number comes from.

    ``document`` names the report, data set or person (for judgement);
    ``locator`` the page, table or section, required for data and research.
    """

    document: str = Field(min_length=1)
    locator: str | None = None
    url: str | None = None
    note: str | None = None

    def cite(self) -> str:
        """``document, locator`` for a table cell."""
        return ", ".join(part for part in (self.document, self.locator) if part)


class Distribution(_Strict):
    """How an assumption varies in the Monte Carlo simulation.

    ``uniform`` draws between ``low`` and ``high``; ``triangular`` and ``pert``
    (beta-PERT) peak at ``value``; ``normal`` is centred on ``value`` with
    standard deviation ``sd`` (by default such that ``low`` and ``high`` are
    the 5th and 95th percentiles of a symmetric range), cut to the unit's
    natural bounds (0-1 for shares, not below 0 otherwise).
    """

    kind: DistributionKind
    sd: float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _sd_only_for_normal(self) -> Distribution:
        if self.sd is not None and self.kind != "normal":
            raise ValueError(f"'sd' is only used by the normal distribution, not by {self.kind!r}")
        return self


class Assumption(_Strict):
    """One number in the model, with its unit, source, range and ratings."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str = Field(min_length=1)
    #: The label in bokmål, shown in Norwegian reports (``label`` when not given).
    label_nb: str | None = Field(default=None, min_length=1)
    value: float
    unit: Unit
    price_year: int | None = Field(default=None, ge=1990, le=2100)
    source: Source
    evidence: Evidence
    low: float
    high: float
    distribution: Distribution | None = None
    quality: Rating
    impact: Rating
    note: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Assumption:
        if self.unit in MONEY_UNITS and self.price_year is None:
            raise ValueError(f"money ({self.unit}) needs a 'price_year'")
        if self.unit not in MONEY_UNITS and self.price_year is not None:
            raise ValueError(f"'price_year' is only for money, but the unit is {self.unit!r}")
        for name in ("value", "low", "high"):
            number = getattr(self, name)
            if not math.isfinite(number):
                raise ValueError(f"'{name}' must be a finite number, found {number}")
            if self.unit in SHARE_UNITS and not 0.0 <= number <= 1.0:
                raise ValueError(f"'{name}' is a share and must lie in 0-1 (not percent), found {number}")
            if self.unit == "years" and number < 0:
                raise ValueError(f"'{name}' is a number of years and cannot be negative, found {number}")
        if not self.low <= self.value <= self.high:
            raise ValueError(f"needs low <= value <= high, found low={self.low}, value={self.value}, high={self.high}")
        if self.evidence in ("data", "research") and not self.source.locator:
            raise ValueError(
                f"evidence '{self.evidence}' needs 'source.locator' (page, table or section of the document)"
            )
        return self

    @property
    def is_money(self) -> bool:
        """True for units ``NOK`` and ``NOK/year``."""
        return self.unit in MONEY_UNITS

    @property
    def varies(self) -> bool:
        """True if ``low`` and ``high`` differ (the assumption has a range)."""
        return self.high > self.low


class Settings(_Strict):
    """Method choices that are not numbers.

    ``report_price_year`` is usually given by the run configuration; a value
    here is the registry's default.
    """

    report_price_year: int | None = Field(default=None, ge=1990, le=2100)
    price_index: Literal["G", "KPI"] = "G"
    tax_financing: bool = True


SETTING_NAMES: tuple[str, ...] = tuple(Settings.model_fields)


class RegistryFile(_Strict):
    """The schema of a registry YAML file."""

    programme: str = Field(min_length=1)
    title: str | None = None
    description: str | None = None
    settings: Settings = Settings()
    assumptions: tuple[Assumption, ...]

    @model_validator(mode="after")
    def _unique_ids(self) -> RegistryFile:
        if not self.assumptions:
            raise ValueError("the registry has no assumptions")
        seen: set[str] = set()
        for item in self.assumptions:
            if item.id in seen:
                raise ValueError(f"assumption id {item.id!r} appears more than once")
            if item.id in SETTING_NAMES:
                raise ValueError(f"assumption id {item.id!r} is the name of a setting; choose another id")
            seen.add(item.id)
        return self


class Override(_Strict):
    """One value changed on the command line (``--set id=value``)."""

    key: str
    given: str
    previous: Any
    new: Any


class Registry(RegistryFile):
    """A loaded registry, with the file it came from and the overrides applied."""

    source_file: str | None = None
    overrides: tuple[Override, ...] = ()

    @property
    def ids(self) -> list[str]:
        """Assumption ids in file order."""
        return [a.id for a in self.assumptions]

    def get(self, assumption_id: str) -> Assumption:
        """The assumption with this id.

        Raises
        ------
        ConfigError
            If there is no such id; the message suggests close matches.
        """
        for item in self.assumptions:
            if item.id == assumption_id:
                return item
        raise _unknown_id(assumption_id, self)

    def has(self, assumption_id: str) -> bool:
        """True if the registry defines ``assumption_id``."""
        return any(a.id == assumption_id for a in self.assumptions)

    def values(self) -> dict[str, float]:
        """Id -> value (in the assumption's own unit and price year)."""
        return {a.id: a.value for a in self.assumptions}

    def in_language(self, lang: str) -> Registry:
        """The registry with every ``label`` in the report language.

        For ``nb`` each assumption's ``label_nb`` replaces its ``label`` where
        given; the numbers are untouched. Other languages keep ``label``.
        """
        if lang != "nb":
            return self
        return self.model_copy(
            update={
                "assumptions": tuple(
                    a.model_copy(update={"label": a.label_nb}) if a.label_nb else a for a in self.assumptions
                )
            }
        )

    def missing_labels(self, lang: str) -> list[str]:
        """Ids of assumptions without a label of their own in ``lang`` (they show ``label``)."""
        return [a.id for a in self.assumptions if lang == "nb" and not a.label_nb]


def _unknown_id(key: str, registry: Registry) -> ConfigError:
    known = [*registry.ids, *SETTING_NAMES]
    close = difflib.get_close_matches(key, known, n=3)
    hint = f"Did you mean {', '.join(close)}?" if close else "Run 'outcomes assumptions' to list the ids."
    return ConfigError(
        f"There is no assumption or setting {key!r} in the registry.",
        file=registry.source_file,
        column=key,
        expected="an assumption id from the registry, optionally with .low or .high, or one of "
        + ", ".join(SETTING_NAMES),
        hint=hint,
    )


# ---------------------------------------------------------------- loading


def _line_numbers(text: str) -> dict[tuple, int]:
    """Map each YAML path (keys and list indices) to its 1-based line."""
    lines: dict[tuple, int] = {}
    try:
        root = compose_yaml(text)
    except (yaml.YAMLError, YamlLimitError):
        return lines

    def walk(node: yaml.Node, path: tuple) -> None:
        lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for key, child in node.value:
                lines[(*path, key.value)] = key.start_mark.line + 1
                walk(child, (*path, key.value))
        elif isinstance(node, yaml.SequenceNode):
            for index, child in enumerate(node.value):
                walk(child, (*path, index))

    if root is not None:
        walk(root, ())
    return lines


def _describe_error(error: dict, data: Mapping, lines: dict[tuple, int]) -> tuple[str, str | None, int | None]:
    """Turn one pydantic error into (sentence, column, line)."""
    loc = tuple(error["loc"])
    where = "registry"
    column: str | None = None
    if len(loc) >= 2 and loc[0] == "assumptions" and isinstance(loc[1], int):
        raw = data.get("assumptions", [])
        item = raw[loc[1]] if isinstance(raw, list) and loc[1] < len(raw) else {}
        item_id = item.get("id") if isinstance(item, Mapping) else None
        where = f"assumption {item_id!r}" if item_id else f"assumption number {loc[1] + 1}"
        column = str(item_id) if item_id else None
        key = ".".join(str(part) for part in loc[2:])
    else:
        key = ".".join(str(part) for part in loc)
    line = None
    for size in range(len(loc), -1, -1):
        if loc[:size] in lines:
            line = lines[loc[:size]]
            break
    kind = error["type"]
    if kind == "extra_forbidden":
        text = f"{where}: unknown key {key!r}"
    elif kind == "missing":
        text = f"{where}: missing key {key!r}"
        if key == "source":
            text += " (every assumption needs a source: document and page or table, or evidence 'judgement' with who judged)"
    else:
        message = error["msg"].removeprefix("Value error, ")
        text = f"{where}, key {key!r}: {message}" if key else f"{where}: {message}"
    return text, column or (key or None), line


def parse_registry(data: Any, file: str | Path | None = None, text: str | None = None) -> Registry:
    """Validate registry data (already parsed from YAML).

    Parameters
    ----------
    data
        The mapping read from the YAML file.
    file
        The file it came from, for messages.
    text
        The file's text, used only to give line numbers in messages.

    Returns
    -------
    Registry
        The validated registry.

    Raises
    ------
    ConfigError
        Listing every problem found (unknown keys, missing sources, values
        outside their range, money without a price year, duplicated ids).
    """
    if not isinstance(data, Mapping):
        raise ConfigError(
            "The registry is not a YAML mapping.",
            file=file,
            expected="keys programme, settings and assumptions (a list)",
        )
    try:
        RegistryFile.model_validate(data)
    except ValidationError as exc:
        lines = _line_numbers(text) if text else {}
        problems = [_describe_error(e, data, lines) for e in exc.errors()]
        first_text, first_column, first_line = problems[0]
        message = "; ".join((f"line {line}: " if line is not None else "") + sentence for sentence, _, line in problems)
        raise ConfigError(
            f"Invalid assumption registry ({len(problems)} problem{'s' if len(problems) > 1 else ''}): {message}.",
            file=file,
            column=first_column,
            expected="keys "
            + ", ".join(Assumption.model_fields)
            + " for each assumption (see outcomes.registries.assumptions)",
        ) from None
    return Registry.model_validate({**data, "source_file": str(file) if file is not None else None})


def load_registry(path: str | Path) -> Registry:
    """Read and validate an assumption registry YAML file.

    Parameters
    ----------
    path
        The file, e.g. ``config/assumptions/demo.yml`` (relative paths are
        taken from the current directory; resolve them with
        :func:`outcomes.core.paths.resolve` first to be independent of it).

    Returns
    -------
    Registry
        The validated registry, remembering ``source_file``.

    Raises
    ------
    ConfigError
        If the file is missing, is not valid YAML, or breaks the schema.
    """
    file = Path(path)
    if not file.is_file():
        raise ConfigError(
            "Assumption registry not found.",
            file=file,
            hint="Check 'costbenefit.assumptions' in the run configuration; registries live in config/assumptions/.",
        )
    text = read_yaml_text(file)
    try:
        data = load_yaml(text, file=file)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ConfigError(
            f"The registry is not valid YAML: {getattr(exc, 'problem', exc)}.",
            file=file,
            line=mark.line + 1 if mark is not None else None,
        ) from None
    return parse_registry(data, file=file, text=text)


# ---------------------------------------------------------------- overrides


def _parse_number(raw: Any, key: str, unit: str, registry: Registry) -> float:
    if isinstance(raw, bool):
        raise ConfigError(f"Override {key}={raw!r} is not a number.", file=registry.source_file, column=key)
    if isinstance(raw, (int, float)):
        return float(raw)
    text = str(raw).strip().replace(" ", "").replace("\u00a0", "")
    percent = text.endswith("%")
    if percent:
        text = text[:-1]
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # Norwegian decimal comma: 0,3
    try:
        number = float(text)
    except ValueError:
        raise ConfigError(
            f"Override {key}={raw!r} is not a number.",
            file=registry.source_file,
            column=key,
            expected=f"a number in {unit}" + (" (0-1, or percent with a % sign)" if unit in SHARE_UNITS else ""),
        ) from None
    if percent:
        if unit not in SHARE_UNITS:
            raise ConfigError(
                f"Override {key}={raw!r} uses percent, but the unit is {unit!r}.",
                file=registry.source_file,
                column=key,
                expected=f"a plain number in {unit}",
            )
        number /= 100.0
    if not math.isfinite(number):
        raise ConfigError(f"Override {key}={raw!r} is not a finite number.", file=registry.source_file, column=key)
    if unit in SHARE_UNITS and not 0.0 <= number <= 1.0:
        raise ConfigError(
            f"Override {key}={raw!r} is outside 0-1.",
            file=registry.source_file,
            column=key,
            expected="a share from 0 to 1, e.g. 0.3 or 30%",
        )
    if unit == "years" and number < 0:
        raise ConfigError(
            f"Override {key}={raw!r} is a negative number of years.", file=registry.source_file, column=key
        )
    return number


def _parse_setting(name: str, raw: Any, registry: Registry) -> Any:
    if name == "tax_financing":
        if isinstance(raw, bool):
            return raw
        word = str(raw).strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        raise ConfigError(
            f"Override tax_financing={raw!r} is not on or off.",
            file=registry.source_file,
            column=name,
            expected="true/false, on/off, yes/no or 1/0",
        )
    if name == "price_index":
        word = str(raw).strip().upper()
        if word not in ("G", "KPI"):
            raise ConfigError(
                f"Override price_index={raw!r} is not a known index.",
                file=registry.source_file,
                column=name,
                expected="G or KPI",
            )
        return word
    if name == "report_price_year":
        try:
            return int(str(raw).strip())
        except ValueError:
            raise ConfigError(
                f"Override report_price_year={raw!r} is not a year.",
                file=registry.source_file,
                column=name,
                expected="a year such as 2024",
            ) from None
    raise _unknown_id(name, registry)  # pragma: no cover - SETTING_NAMES is exhaustive


def apply_overrides(registry: Registry, overrides: Mapping[str, Any]) -> Registry:
    """Change assumption values or settings, as ``--set id=value`` does.

    Parameters
    ----------
    registry
        The registry to start from (not modified).
    overrides
        Key -> value. Keys are an assumption id (sets ``value``), an id with
        ``.low`` or ``.high``, or a setting name (``report_price_year``,
        ``price_index``, ``tax_financing``). Values may be strings as typed on
        the command line: ``0.3``, ``0,3`` and ``30%`` (shares only) are the
        same share; money is in the assumption's own price year.

    Returns
    -------
    Registry
        A new registry. A value outside ``low``-``high`` widens the range to
        include it, so that the simulation and the tornado stay defined; every
        change is listed in ``Registry.overrides`` for the run log.

    Raises
    ------
    ConfigError
        For an unknown id (with close matches), a value that is not a number,
        a share outside 0-1, or a bad setting.
    """
    if not overrides:
        return registry
    assumptions = {a.id: a for a in registry.assumptions}
    settings = registry.settings.model_dump()
    applied: list[Override] = list(registry.overrides)
    for key, raw in overrides.items():
        key = str(key).strip()
        if key in SETTING_NAMES:
            new_setting = _parse_setting(key, raw, registry)
            applied.append(Override(key=key, given=str(raw), previous=settings[key], new=new_setting))
            settings[key] = new_setting
            continue
        base, _, field = key.partition(".")
        if base not in assumptions or field not in ("", "value", "low", "high"):
            raise _unknown_id(key, registry)
        field = field or "value"
        item = assumptions[base]
        number = _parse_number(raw, key, item.unit, registry)
        update: dict[str, float] = {field: number}
        if field == "value":
            update["low"] = min(item.low, number)
            update["high"] = max(item.high, number)
        elif field == "low" and number > item.value:
            raise ConfigError(
                f"Override {key}={raw!r} is above the value {item.value}.",
                file=registry.source_file,
                column=key,
                expected=f"at most {item.value}",
            )
        elif field == "high" and number < item.value:
            raise ConfigError(
                f"Override {key}={raw!r} is below the value {item.value}.",
                file=registry.source_file,
                column=key,
                expected=f"at least {item.value}",
            )
        applied.append(Override(key=key, given=str(raw), previous=getattr(item, field), new=number))
        # Revalidate the changed assumption so every rule of the file format still holds.
        assumptions[base] = Assumption.model_validate({**item.model_dump(), **update})
    data = registry.model_dump()
    data["assumptions"] = [assumptions[i].model_dump() for i in registry.ids]
    data["settings"] = settings
    data["overrides"] = [o.model_dump() for o in applied]
    return Registry.model_validate(data)


# ---------------------------------------------------------------- tables and diffs


def _flatten(prefix: str, value: Any, out: dict[str, Any]) -> None:
    if isinstance(value, Mapping):
        for key, item in value.items():
            _flatten(f"{prefix}.{key}" if prefix else key, item, out)
    else:
        out[prefix] = value


def _flat_assumption(item: Assumption) -> dict[str, Any]:
    out: dict[str, Any] = {}
    _flatten("", item.model_dump(exclude={"id"}), out)
    return out


def diff_registries(a: Registry, b: Registry) -> pd.DataFrame:
    """What changed from registry ``a`` to registry ``b``.

    Parameters
    ----------
    a, b
        Two registries, e.g. last year's and this year's.

    Returns
    -------
    pandas.DataFrame
        One row per difference, columns ``id`` (assumption id, ``settings`` or
        ``registry``), ``field`` (e.g. ``value``, ``source.locator``;
        empty for whole assumptions), ``change`` (``added``, ``removed`` or
        ``changed``), ``a`` and ``b`` (the values, as text). Empty (with these
        columns) when nothing changed. Assumptions follow ``a``'s order, then
        new ones in ``b``'s order.
    """
    rows: list[dict[str, Any]] = []

    def add(item_id: str, field: str, change: str, old: Any, new: Any) -> None:
        rows.append({"id": item_id, "field": field, "change": change, "a": _text(old), "b": _text(new)})

    for field in ("programme", "title", "description"):
        if getattr(a, field) != getattr(b, field):
            add("registry", field, "changed", getattr(a, field), getattr(b, field))
    for field in SETTING_NAMES:
        old, new = getattr(a.settings, field), getattr(b.settings, field)
        if old != new:
            add("settings", field, "changed", old, new)
    a_items = {x.id: x for x in a.assumptions}
    b_items = {x.id: x for x in b.assumptions}
    for item_id in a.ids:
        if item_id not in b_items:
            add(item_id, "", "removed", a_items[item_id].value, None)
            continue
        old, new = _flat_assumption(a_items[item_id]), _flat_assumption(b_items[item_id])
        for field in [*old, *(k for k in new if k not in old)]:
            if old.get(field) != new.get(field):
                add(item_id, field, "changed", old.get(field), new.get(field))
    for item_id in b.ids:
        if item_id not in a_items:
            add(item_id, "", "added", None, b_items[item_id].value)
    return pd.DataFrame(rows, columns=["id", "field", "change", "a", "b"])


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value)) if abs(value) >= 1000 else repr(value)
    return str(value)


def registry_table(registry: Registry) -> pd.DataFrame:
    """The assumptions log as a table, for the report and for reviewers.

    Parameters
    ----------
    registry
        A loaded registry.

    Returns
    -------
    pandas.DataFrame
        One row per assumption: ``id``, ``label``, ``value``, ``unit``,
        ``price_year`` (money only), ``low``, ``high``, ``distribution``,
        ``evidence``, ``quality``, ``impact``, ``source`` (document and
        locator), ``url`` and ``note``. Values are in the assumption's own unit
        and price year (shares 0-1).
    """
    rows = [
        {
            "id": a.id,
            "label": a.label,
            "value": a.value,
            "unit": a.unit,
            "price_year": a.price_year,
            "low": a.low,
            "high": a.high,
            "distribution": a.distribution.kind if a.distribution else "fixed",
            "evidence": a.evidence,
            "quality": a.quality,
            "impact": a.impact,
            "source": a.source.cite(),
            "url": a.source.url,
            "note": a.note or a.source.note,
        }
        for a in registry.assumptions
    ]
    table = pd.DataFrame(rows)
    table["price_year"] = table["price_year"].astype("Int64")
    return table
