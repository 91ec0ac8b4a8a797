"""The registry's blocks beside the assumptions: nullalternativ, scenarios, optimism bias, non-priced effects.

Each block names assumptions by id, so every number keeps its source, range
and ratings in one place; the blocks only say how the numbers are used.
:func:`block_problem` checks the references against the assumptions (called
by the schema, so a what-if is checked by the same rules as a file).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from pydantic import Field, model_validator

from outcomes.registries.assumptions.assumption import ID_PATTERN, Assumption, Source, _Strict

#: The value streams the cost-benefit model values separately.
STREAMS: tuple[str, ...] = ("work", "education")
#: The DFØ plus-minus scales: importance (betydning) and extent (omfang).
IMPORTANCE = Literal["small", "medium", "large"]
EXTENT = Literal["none", "small", "medium", "large"]


class StreamNull(_Strict):
    """The nullalternativ of one value stream: a share per cohort, each an assumption id.

    ``default`` holds for every programme year not listed in ``by_year``;
    ``by_year`` gives a cohort its own figure (from data where there are data).
    """

    default: str = Field(pattern=ID_PATTERN)
    by_year: dict[int, str] = Field(default_factory=dict)

    def ids(self) -> list[str]:
        """Every assumption id the stream's nullalternativ names."""
        return [self.default, *self.by_year.values()]

    def id_for(self, year: int) -> str:
        """The assumption id that gives ``year``'s share."""
        return self.by_year.get(int(year), self.default)


class NullAlternative(_Strict):
    """What the same youths would have done without the programme (DFØ kap. 3.1), per stream and cohort.

    ``attribution_reason`` says why an attribution share is deducted on top
    of the nullalternativ; the registry refuses attribution above 0 without it.
    """

    work: StreamNull
    education: StreamNull
    description: str | None = None
    description_nb: str | None = None
    attribution_reason: str | None = Field(default=None, min_length=1)
    attribution_reason_nb: str | None = Field(default=None, min_length=1)


class OptimismBias(_Strict):
    """Haircuts by rating (red, amber, green), GMCA/HM Treasury style, shown as a scenario.

    ``rates`` maps each rating to the assumption (share) that holds its
    haircut. ``benefits`` lists, per value stream, the inputs whose quality
    rating decides the stream's haircuts, grouped as GMCA does (``effect``:
    how many, ``value``: what each is worth); the worst rating of a group
    decides its haircut and the stream keeps ``(1 - h_effect) * (1 - h_value)``.
    ``costs`` lists inputs of cost lines; each line grows by ``1 + h`` of its
    own rating. The programme's ledger is ``ledger_rating`` (audited
    accounts: green).
    """

    rates: dict[Literal["red", "amber", "green"], str]
    benefits: dict[Literal["work", "education"], dict[Literal["effect", "value"], list[str]]]
    costs: list[str] = Field(default_factory=list)
    ledger_rating: Literal["red", "amber", "green"] = "green"

    def ids(self) -> list[str]:
        """Every assumption id the block names."""
        out = list(self.rates.values()) + list(self.costs)
        for groups in self.benefits.values():
            for ids in groups.values():
                out += ids
        return out


class NonPricedEffect(_Strict):
    """One effect not valued in kroner, assessed by DFØ's plus-minus method.

    ``importance`` (betydning) and ``extent`` (omfang) give the consequence
    (see :func:`outcomes.analyses.costbenefit.nonpriced.consequence`);
    ``direction`` its sign.
    """

    id: str = Field(pattern=ID_PATTERN)
    effect: str = Field(min_length=1)
    effect_nb: str | None = None
    direction: Literal["positive", "negative"]
    importance: IMPORTANCE
    extent: EXTENT
    who: str = Field(min_length=1)
    who_nb: str | None = None
    evidence: str = Field(min_length=1)
    evidence_nb: str | None = None
    source: Source | None = None


class Calibration(_Strict):
    """Solve one value, given to every assumption in ``ids``, so the society ratio equals ``target_ratio``.

    The solved value is calibrated: chosen to reproduce a claim, not measured.
    """

    ids: list[str] = Field(min_length=1)
    target_ratio: float = Field(gt=0)


class Scenario(_Strict):
    """A named set of values that reproduces a claim, shown beside the central estimate.

    ``set`` changes assumptions (values in their own units and price years);
    ``calibrate`` then solves one more so the ratio hits the claim: that value
    is calibrated, and the scenario says so.
    """

    id: str = Field(pattern=ID_PATTERN)
    label: str = Field(min_length=1)
    label_nb: str | None = None
    claim: str = Field(min_length=1)
    source: Source
    set: dict[str, float] = Field(default_factory=dict)
    calibrate: Calibration | None = None
    note: str | None = None
    note_nb: str | None = None

    @model_validator(mode="after")
    def _not_both(self) -> Scenario:
        both = [i for i in (self.calibrate.ids if self.calibrate else []) if i in self.set]
        if both:
            raise ValueError(f"scenario {self.id!r} both sets and calibrates {', '.join(both)}")
        return self

    def ids(self) -> list[str]:
        """Every assumption id the scenario names."""
        return [*self.set, *(self.calibrate.ids if self.calibrate else [])]


def _unit_problem(where: str, ids: list[str], items: Mapping[str, Assumption], unit: str | None) -> str | None:
    """The first id of ``ids`` that is not an assumption (or has another unit than ``unit``), as a sentence."""
    for ref in ids:
        if ref not in items:
            return f"{where}: {ref!r} is not an assumption id of this registry"
        if unit is not None and items[ref].unit != unit:
            return f"{where}: {ref!r} has unit {items[ref].unit!r}, expected {unit!r}"
    return None


def block_problem(
    items: Mapping[str, Assumption],
    null: NullAlternative | None,
    bias: OptimismBias | None,
    scenarios: tuple[Scenario, ...],
) -> str | None:
    """The first thing wrong with the blocks' references to assumptions, as a sentence, or None."""
    checks: list[tuple[str, list[str], str | None]] = []
    if null is not None:
        checks += [(f"nullalternative.{s}", getattr(null, s).ids(), "share") for s in STREAMS]
        attribution = items.get("attribution")
        if attribution is not None and attribution.value > 0 and not null.attribution_reason:
            return (
                f"attribution is {attribution.value:g} on top of a nullalternativ, which deducts the others' share "
                "twice unless the comparison lacked the other services: say why in "
                "nullalternative.attribution_reason, or set attribution to 0"
            )
    if bias is not None:
        checks += [("optimism_bias.rates", list(bias.rates.values()), "share")]
        checks += [("optimism_bias", bias.ids(), None)]
    for scenario in scenarios:
        checks.append((f"scenario {scenario.id!r}", scenario.ids(), None))
    for where, ids, unit in checks:
        problem = _unit_problem(where, ids, items, unit)
        if problem:
            return problem
    ids = [s.id for s in scenarios]
    if len(set(ids)) != len(ids):
        return "scenario ids must be unique"
    return None
