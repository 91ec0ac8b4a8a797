"""The schema of an assumption registry: what each entry must say, checked by pydantic.

See :mod:`outcomes.registries.assumptions` for the file format. Every rule a
registry file must keep lives here, so a registry changed by ``--set id=value``
is checked by the same rules as one read from a file.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from outcomes.core.errors import ConfigError
from outcomes.registries.assumptions.assumption import (
    ID_PATTERN,
    MONEY_UNITS,
    SHARE_UNITS,
    Assumption,
    Distribution,
    PriceBasis,
    Source,
    _Strict,
)
from outcomes.registries.assumptions.blocks import (
    NonPricedEffect,
    NullAlternative,
    OptimismBias,
    Scenario,
    block_problem,
)
from outcomes.registries.bokmal import in_bokmal, missing_bokmal

__all__ = [
    "ID_PATTERN",
    "MONEY_UNITS",
    "SHARE_UNITS",
    "Assumption",
    "DiscountStep",
    "Distribution",
    "NonPricedEffect",
    "NullAlternative",
    "OptimismBias",
    "Override",
    "PriceBasis",
    "Registry",
    "RegistryFile",
    "Scenario",
    "Settings",
    "Source",
]


class Settings(_Strict):
    """Method choices that are not numbers.

    ``report_price_year`` is usually given by the run configuration; a value
    here is the registry's default. ``comparison_year`` (sammenligningsår) is
    the one year all cohorts are discounted to. ``price_index`` brings money
    to the price year: ``KPI`` (fixed prices, the DFØ practice; labour-linked
    values also get the real-price growth) or ``G`` (the base amount, which
    already contains wage growth: then no real-price growth is added up to the
    price year).
    """

    report_price_year: int | None = Field(default=None, ge=1990, le=2100)
    #: The one year every cohort's flows are discounted to (the report price year when not given).
    comparison_year: int | None = Field(default=None, ge=1990, le=2100)
    price_index: Literal["G", "KPI"] = "KPI"
    tax_financing: bool = True


SETTING_NAMES: tuple[str, ...] = tuple(Settings.model_fields)


class DiscountStep(_Strict):
    """One step of the discount schedule: ``rate`` for every year up to and including ``until_year``.

    ``rate`` is the id of an assumption in ``share/year``, so every rate keeps
    its source, range and ratings and can be changed with ``--set id=value``.
    ``until_year`` (years after the programme year) is a whole number, or the
    id of an assumption in ``years`` when the break year needs a source or a
    range of its own. The last step has no ``until_year``: its rate holds for
    every later year. Steps come in order; a year belongs to the first step
    whose ``until_year`` it does not pass.
    """

    until_year: int | str | None = None
    rate: str = Field(pattern=ID_PATTERN)

    @field_validator("until_year", mode="before")
    @classmethod
    def _year_or_id(cls, value: Any) -> Any:
        if value is None or (isinstance(value, str) and re.fullmatch(ID_PATTERN, value)):
            return value
        if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
            return value
        raise ValueError(f"until_year is a whole number of years (1 or more) or an assumption id, found {value!r}")

    def resolve(self, values: Mapping[str, float]) -> tuple[float | None, float]:
        """``(until_year, rate)`` as numbers, with ids looked up in ``values`` (years; share per year)."""
        until = values[self.until_year] if isinstance(self.until_year, str) else self.until_year
        return (None if until is None else float(until)), float(values[self.rate])


def _schedule_problem(steps: tuple[DiscountStep, ...], items: Mapping[str, Assumption]) -> str | None:
    """The first thing wrong with a discount schedule, as a sentence, or None."""
    wanted = {"rate": "share/year", "until_year": "years"}
    for number, step in enumerate(steps, start=1):
        last = number == len(steps)
        if last and step.until_year is not None:
            return f"step {number} is the last, so it has no 'until_year' (its rate holds for every later year)"
        if not last and step.until_year is None:
            return f"step {number} needs 'until_year' (only the last step has none)"
        for key, unit in wanted.items():
            ref = getattr(step, key)
            if not isinstance(ref, str):
                continue
            if ref not in items:
                return f"step {number}: {key} {ref!r} is not an assumption id of this registry"
            if items[ref].unit != unit:
                return f"step {number}: {key} {ref!r} has unit {items[ref].unit!r}, expected {unit!r}"
    values = {i: a.value for i, a in items.items()}
    untils = [step.resolve(values)[0] for step in steps[:-1]]
    for number, (before, after) in enumerate(zip(untils, untils[1:], strict=False), start=2):
        if before is not None and after is not None and after < before:
            return (
                f"step {number} ends at year {after:g}, before step {number - 1} (year {before:g}); steps come in order"
            )
    return None


class RegistryFile(_Strict):
    """The schema of a registry YAML file."""

    programme: str = Field(min_length=1)
    title: str | None = None
    title_nb: str | None = None
    description: str | None = None
    description_nb: str | None = None
    settings: Settings = Settings()
    assumptions: tuple[Assumption, ...]
    #: The discount schedule (see :class:`DiscountStep`); the cost-benefit model requires one.
    discount_schedule: tuple[DiscountStep, ...] = ()
    #: Unit-cost library files the assumptions refer to (paths relative to the project root).
    unit_costs: tuple[str, ...] = ()
    #: The nullalternativ per value stream and cohort (see :class:`NullAlternative`).
    nullalternative: NullAlternative | None = None
    #: Haircuts by rating, shown as a scenario (see :class:`OptimismBias`).
    optimism_bias: OptimismBias | None = None
    #: Effects not valued in kroner, assessed by the plus-minus method.
    non_priced: tuple[NonPricedEffect, ...] = ()
    #: Named sets of values that reproduce the sources' claims.
    scenarios: tuple[Scenario, ...] = ()

    @field_validator("discount_schedule")
    @classmethod
    def _schedule_fits_assumptions(
        cls, steps: tuple[DiscountStep, ...], info: ValidationInfo
    ) -> tuple[DiscountStep, ...]:
        items = info.data.get("assumptions")
        if items is None:
            return steps  # the assumptions themselves are wrong; those errors are reported
        problem = _schedule_problem(steps, {a.id: a for a in items})
        if problem:
            raise ValueError(problem)
        return steps

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
        problem = block_problem(
            {a.id: a for a in self.assumptions}, self.nullalternative, self.optimism_bias, self.scenarios
        )
        if problem:
            raise ValueError(problem)
        effects = [e.id for e in self.non_priced]
        if len(set(effects)) != len(effects):
            raise ValueError("non_priced effect ids must be unique")
        return self

    def calibrated(self) -> list[str]:
        """Ids of assumptions whose value was chosen to reproduce a result (``calibrated_to``)."""
        return [a.id for a in self.assumptions if a.calibrated_to]


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
        raise unknown_id(assumption_id, self)

    def has(self, assumption_id: str) -> bool:
        """True if the registry defines ``assumption_id``."""
        return any(a.id == assumption_id for a in self.assumptions)

    def values(self) -> dict[str, float]:
        """Id -> value (in the assumption's own unit and price year)."""
        return {a.id: a.value for a in self.assumptions}

    def discount_steps(self) -> list[tuple[float | None, float]]:
        """The discount schedule at the assumptions' values: ``(until_year, rate)`` per step.

        ``until_year`` is in years after the programme year (None for the last
        step); ``rate`` is a share per year (0.04 = 4 %).
        """
        values = self.values()
        return [step.resolve(values) for step in self.discount_schedule]

    def in_language(self, lang: str) -> Registry:
        """The registry with every text a reader sees in the report language.

        For ``nb`` each text with a bokmål version (``label_nb``, ``source.note_nb``
        ...) shows it; a text without one keeps its English wording, marked
        ``(engelsk tekst)`` (:func:`outcomes.registries.bokmal.in_bokmal`). The
        numbers and ids are untouched. Other languages keep the English texts.
        """
        return in_bokmal(self) if lang == "nb" else self

    def missing_labels(self, lang: str) -> list[str]:
        """Ids of assumptions without a label of their own in ``lang`` (they show ``label``)."""
        return [a.id for a in self.assumptions if lang == "nb" and not a.label_nb]

    def missing_bokmal(self) -> list[str]:
        """Every text a bokmål reader would see in English, e.g. ``assumptions[attribution].source.note``."""
        return missing_bokmal(self)


def unknown_id(key: str, registry: Registry) -> ConfigError:
    """The error for a key that names no assumption or setting, suggesting close matches."""
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
