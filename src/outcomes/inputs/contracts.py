"""Data contracts: what each input kind must look like, read from YAML.

One contract per input kind lives in ``src/outcomes/data/contracts/<kind>.yml``. A
contract lists the columns (type, required, aliases in Norwegian and English,
allowed values, ranges, patterns), the columns that together must be unique,
and cross-field rules. :mod:`outcomes.inputs.validation` turns a contract into a
pandera schema and checks data against it.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from outcomes.core import paths
from outcomes.core.errors import ConfigError
from outcomes.core.yamlsafe import load_model

#: ``max: current_year`` in a contract means the calendar year of the run.
CURRENT_YEAR = "current_year"

_RULE = re.compile(r"^\s*(?P<left>[a-z_]+(?:\s*-\s*[a-z_]+)?)\s*(?P<op><=|>=|==|!=|<|>)\s*(?P<right>[a-z_0-9]+)\s*$")


class ColumnSpec(BaseModel):
    """One column of a contract."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    type: Literal["string", "integer", "number", "date", "school_year"]
    required: bool = True
    aliases: list[str] = Field(default_factory=list)
    min: float | int | str | None = None
    max: float | int | str | None = None
    allowed: list[str] | None = None
    case_insensitive: bool = False
    pattern: str | None = None
    expected: str | None = None
    status_map: bool = False
    nullable: bool = False
    synonyms: dict[str, str] = Field(default_factory=dict)

    def bound(self, which: Literal["min", "max"]) -> float | None:
        """The numeric bound, with ``current_year`` resolved to this year."""
        value = getattr(self, which)
        if value == CURRENT_YEAR:
            return float(dt.date.today().year)
        return None if value is None else float(value)

    def describe_expected(self) -> str:
        """What a valid value looks like, in words."""
        if self.expected:
            return self.expected
        kind = {
            "string": "text",
            "integer": "a whole number",
            "number": "a number",
            "date": "a date (YYYY-MM-DD or DD.MM.YYYY)",
            "school_year": "a school year such as 2019/20 or 2019/2020",
        }[self.type]
        # "one of a, b" says more than "text one of a, b"
        parts = [] if self.allowed and self.type == "string" else [kind]
        lo, hi = self.bound("min"), self.bound("max")
        if lo is not None and hi is not None:
            parts.append(f"from {lo:g} to {hi:g}")
        elif lo is not None:
            parts.append(f"at least {lo:g}")
        elif hi is not None:
            parts.append(f"at most {hi:g}")
        if self.allowed:
            parts.append("one of " + ", ".join(self.allowed))
        return " ".join(parts)


class RuleSpec(BaseModel):
    """A cross-field rule such as ``exit_year <= followup_year``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    check: str
    message: str
    expected: str

    @field_validator("check")
    @classmethod
    def _parse(cls, value: str) -> str:
        if not _RULE.match(value):
            raise ValueError(f"rule '{value}' is not of the form 'a <= b' or 'a - b >= 13'")
        return value

    def parts(self) -> tuple[list[str], str, str]:
        """(left columns, operator, right column or number); left may be ``a - b``."""
        m = _RULE.match(self.check)
        assert m is not None  # checked by the validator
        left = [c.strip() for c in m["left"].split("-")]
        return left, m["op"], m["right"]


class Contract(BaseModel):
    """A data contract for one input kind."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    title: dict[str, str]
    description: str
    personal_data: bool = False
    columns: dict[str, ColumnSpec]
    unique: list[str] = Field(default_factory=list)
    rules: list[RuleSpec] = Field(default_factory=list)
    #: Optional columns read as empty on every row when the file leaves them out, so the
    #: unique key still applies (otherwise a key with an absent column is not checked).
    empty_when_absent: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _absent_columns_optional(self) -> Contract:
        wrong = [c for c in self.empty_when_absent if c not in self.columns or self.columns[c].required]
        if wrong:
            raise ValueError(f"empty_when_absent names {wrong}: only optional columns of the contract can be absent")
        return self

    @property
    def uses_status_map(self) -> bool:
        """Whether a column's labels are mapped by the status map (it must then be given to the intake)."""
        return any(spec.status_map for spec in self.columns.values())

    def required_columns(self) -> list[str]:
        """Columns that must be present."""
        return [name for name, spec in self.columns.items() if spec.required]

    def alias_table(self) -> dict[str, str]:
        """``{normalised header: column}`` for every name and alias."""
        table: dict[str, str] = {}
        for name, spec in self.columns.items():
            for alias in (name, *spec.aliases):
                table[normalise_header(alias)] = name
        return table


def normalise_header(header: str) -> str:
    """Header as compared with aliases: trimmed, lower case, ``_``/``-`` as spaces."""
    text = str(header).replace("\ufeff", "").strip().casefold()
    text = re.sub(r"[\s_\-]+", " ", text)
    return text


#: A school year as written in files: ``2019/20``, ``2019/2020``, ``2019-20``, ``2019 – 2020``.
_SCHOOL_YEAR = re.compile(r"^\s*(\d{4})\s*[/\-–]\s*(\d{2}|\d{4})\s*$")


def school_year_label(text: str) -> str:
    """``"2019/2020"``, ``"2019-20"`` or ``"2019/20"`` -> ``"2019/20"`` (the form compared and shown).

    Raises
    ------
    ValueError
        When the text is not a school year or the second year is not the next one.
    """
    m = _SCHOOL_YEAR.match(str(text))
    if not m:
        raise ValueError(f"'{text}' is not a school year such as 2019/20")
    first, second = int(m[1]), m[2]
    expected = f"{(first + 1) % 100:02d}" if len(second) == 2 else str(first + 1)
    if second != expected:
        raise ValueError(f"'{text}' is not a school year: the second year should follow {first}")
    return f"{first}/{(first + 1) % 100:02d}"


def _contract_file(kind: str) -> Traversable:
    return resources.files("outcomes").joinpath("data", "contracts", f"{kind}.yml")


@cache
def load_contract(kind: str) -> Contract:
    """The contract for an input kind (``followup``, ``costs``, ...).

    Raises
    ------
    ConfigError
        When there is no such contract, or it is malformed (naming the
        contract file, the line and the key).
    """
    file = _contract_file(kind)
    if not file.is_file():
        raise ConfigError(f"there is no data contract for input kind '{kind}'")
    return load_model(file, Contract, f"data contract '{kind}'", shown=_shown(file))


def _shown(file: Traversable) -> str:
    """A contract file as messages name it: relative to the project root when it lies there."""
    return paths.relative_to_root(file) if isinstance(file, Path) else f"data contract {file.name}"


def contract_text(kind: str) -> str:
    """The contract file's raw text (hashed into provenance and caches)."""
    return _contract_file(kind).read_text(encoding="utf-8")
