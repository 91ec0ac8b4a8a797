"""The unit-cost library: Norwegian unit costs with price year, payer, source and rating.

A library is a YAML file, ``config/unit_costs/<name>.yml``::

    title: ...
    unit_costs:
      - id: upper_secondary_place
        label: One pupil-year in upper-secondary school
        amount: null            # null until verified: never a number without its source
        unit: NOK/year
        per: pupil and school year
        price_year: 2024
        payer: county           # municipality | county | state | society | participant
        labour_linked: true     # mostly wages: grows with the real-price growth
        source: {document: ..., locator: table ...}
        evidence: research
        quality: amber
        status: to_verify       # sourced | derived | to_verify
        verify: what to check, and where

A registry names its libraries (``unit_costs:``, paths relative to the
project root) and an assumption refers to an entry by ``unit_cost: <id>``.
When the entry has an amount, the assumption takes the amount, unit, price
year, source, evidence, quality, price basis and labour link from it and must
not repeat them (one number, one place); it adds its own range and impact.
When the entry is still to verify, the assumption gives its own (judgement)
value and carries the entry's ``verify`` note, so the report says it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator

from outcomes.core.errors import ConfigError
from outcomes.core.yamlsafe import load_yaml, read_yaml_text
from outcomes.registries.assumptions.assumption import (
    ID_PATTERN,
    Evidence,
    PriceBasis,
    Rating,
    Source,
    _Strict,
)

#: Who pays (or, for ``society``, whose resource) a unit cost is.
Payer = Literal["municipality", "county", "state", "society", "participant"]
#: Fields an assumption takes from a library entry that has an amount (and must then not repeat).
FROM_LIBRARY: tuple[str, ...] = (
    "value",
    "unit",
    "price_year",
    "source",
    "evidence",
    "quality",
    "labour_linked",
    "price_basis",
)


class UnitCost(_Strict):
    """One unit cost: an amount in NOK for one unit (``per``), with its price year, payer, source and rating."""

    id: str = Field(pattern=ID_PATTERN)
    label: str = Field(min_length=1)
    label_nb: str | None = None
    amount: float | None = Field(default=None, ge=0)
    unit: Literal["NOK", "NOK/year"]
    per: str = Field(min_length=1)
    per_nb: str | None = None
    price_year: int = Field(ge=1990, le=2100)
    payer: Payer
    labour_linked: bool = False
    source: Source
    evidence: Evidence
    quality: Rating
    status: Literal["sourced", "derived", "to_verify"]
    price_basis: PriceBasis | None = None
    verify: str | None = Field(default=None, min_length=1)
    verify_nb: str | None = Field(default=None, min_length=1)
    note: str | None = None
    note_nb: str | None = None

    @model_validator(mode="after")
    def _amount_only_with_source(self) -> UnitCost:
        if self.status == "to_verify":
            if self.amount is not None:
                raise ValueError("an entry still 'to_verify' has no amount (null) until the source is checked")
            if not self.verify:
                raise ValueError("an entry still 'to_verify' needs 'verify': what to check, and where")
        else:
            if self.amount is None:
                raise ValueError(f"a {self.status} entry needs its amount")
            if not self.source.locator:
                raise ValueError("an entry with an amount needs 'source.locator' (page, table or section)")
        return self


class UnitCostLibrary(_Strict):
    """A library file: a title and its entries."""

    title: str = Field(min_length=1)
    title_nb: str | None = None
    description: str | None = None
    description_nb: str | None = None
    unit_costs: tuple[UnitCost, ...]


def load_unit_costs(files: Iterable[str | Path]) -> dict[str, UnitCost]:
    """Read unit-cost library files into one id -> entry mapping.

    Raises
    ------
    ConfigError
        Naming the file when one is missing, is not valid, or repeats an id.
    """
    entries: dict[str, UnitCost] = {}
    for file in map(Path, files):
        if not file.is_file():
            raise ConfigError("Unit-cost library not found.", file=file, hint="Check 'unit_costs:' in the registry.")
        try:
            library = UnitCostLibrary.model_validate(load_yaml(read_yaml_text(file), file=file))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise ConfigError(
                f"Invalid unit-cost library: {where}: {first['msg'].removeprefix('Value error, ')}.", file=file
            ) from None
        for entry in library.unit_costs:
            if entry.id in entries:
                raise ConfigError(f"Unit cost {entry.id!r} is defined twice.", file=file, column=entry.id)
            entries[entry.id] = entry
    return entries


def resolve_unit_costs(data: Mapping[str, Any], library: Mapping[str, UnitCost], file: Any = None) -> dict[str, Any]:
    """The registry data with each ``unit_cost`` reference filled in from the library.

    Parameters
    ----------
    data
        The registry as read from YAML (not changed).
    library
        From :func:`load_unit_costs`.
    file
        The registry file, for messages.

    Returns
    -------
    dict
        A copy of ``data`` whose assumptions with ``unit_cost`` carry the
        entry's amount and attributes (entries with an amount) or its
        ``verify`` note (entries still to verify).

    Raises
    ------
    ConfigError
        For an unknown entry, an assumption that repeats a number the library
        holds, or one that gives no value for an entry still to verify.
    """
    out = dict(data)
    items = data.get("assumptions")
    if not isinstance(items, list):
        return out
    out["assumptions"] = [_resolved(item, library, file) for item in items]
    return out


def _resolved(item: Any, library: Mapping[str, UnitCost], file: Any) -> Any:
    """One assumption with its library entry filled in (unchanged without ``unit_cost``)."""
    if not isinstance(item, Mapping) or "unit_cost" not in item:
        return item
    ref, ident = item["unit_cost"], item.get("id")
    if ref not in library:
        raise ConfigError(
            f"Assumption {ident!r} refers to unit cost {ref!r}, which no library of the registry defines.",
            file=file,
            column=str(ident),
            expected="an id from the files listed under 'unit_costs:'",
        )
    entry = library[ref]
    merged = dict(item)
    if entry.amount is None:
        if "value" not in item:
            raise ConfigError(
                f"Assumption {ident!r} refers to unit cost {ref!r}, which is still to verify, and gives no value.",
                file=file,
                column=str(ident),
                expected="a value of its own (evidence judgement) until the unit cost is verified",
            )
        merged.setdefault("to_verify", entry.verify)
        if entry.verify_nb:
            merged.setdefault("to_verify_nb", entry.verify_nb)
        return merged
    repeated = [key for key in FROM_LIBRARY if key in item]
    if repeated:
        raise ConfigError(
            f"Assumption {ident!r} repeats {', '.join(repeated)} of unit cost {ref!r}: the library holds them.",
            file=file,
            column=str(ident),
            expected="only id, labels, low, high, distribution, impact and note beside unit_cost",
        )
    merged |= {
        "value": entry.amount,
        "unit": entry.unit,
        "price_year": entry.price_year,
        "source": entry.source.model_dump(exclude_none=True),
        "evidence": entry.evidence,
        "quality": entry.quality,
        "labour_linked": entry.labour_linked,
    }
    if entry.price_basis is not None:
        merged["price_basis"] = entry.price_basis.model_dump(exclude_none=True)
    if entry.verify:
        merged.setdefault("to_verify", entry.verify)
    if entry.verify_nb:
        merged.setdefault("to_verify_nb", entry.verify_nb)
    return merged
