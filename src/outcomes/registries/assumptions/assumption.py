"""One assumption of the registry: a number with its unit, source, range, ratings and price basis.

The rules every entry keeps (shares 0-1, money with a price year, low <= value
<= high, research with a page or table) live here; :mod:`.schema` builds the
whole registry file from these entries and :mod:`.blocks`.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Evidence = Literal["data", "research", "judgement"]
Rating = Literal["red", "amber", "green"]
Unit = Literal["NOK", "NOK/year", "share", "share/year", "years"]
DistributionKind = Literal["uniform", "triangular", "pert", "normal"]

#: Units that are money and therefore need a price year.
MONEY_UNITS: frozenset[str] = frozenset({"NOK", "NOK/year"})
#: Units bounded to 0-1.
SHARE_UNITS: frozenset[str] = frozenset({"share", "share/year"})
#: The form of an assumption id.
ID_PATTERN = r"^[a-z][a-z0-9_]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Source(_Strict):
    """Where a number comes from.

    ``document`` names the report, data set or person (for judgement);
    ``locator`` the page, table or section, required for data and research.
    """

    document: str = Field(min_length=1)
    document_nb: str | None = None
    locator: str | None = None
    locator_nb: str | None = None
    url: str | None = None
    note: str | None = None
    note_nb: str | None = None

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


class PriceBasis(_Strict):
    """What was done to a money value before it reached the registry.

    ``uprated_by`` names the index the source (or the report citing it) used
    to bring the value from ``from_year`` to the assumption's ``price_year``;
    the model must then uprate it from ``price_year`` only, never again from
    ``from_year``. ``None`` means the value is in the prices of the year it
    was published for.
    """

    uprated_by: Literal["G", "KPI"] | None = None
    from_year: int | None = Field(default=None, ge=1990, le=2100)
    note: str | None = None
    note_nb: str | None = None

    @model_validator(mode="after")
    def _year_with_index(self) -> PriceBasis:
        if (self.uprated_by is None) != (self.from_year is None):
            raise ValueError("price_basis needs both 'uprated_by' and 'from_year', or neither")
        return self


class Assumption(_Strict):
    """One number in the model, with its unit, source, range and ratings.

    Money may say how it moves with prices: ``labour_linked`` values (production,
    wages, services whose cost is mostly wages) grow with the real-price growth
    on top of the KPI; ``price_basis`` records an uprating the source already
    made. ``calibrated_to`` marks a value chosen so that the model reproduces a
    result (it must then not enter a headline unflagged); ``to_verify`` says
    what is still to be checked; ``unit_cost`` names the entry of the unit-cost
    library the value comes from.
    """

    id: str = Field(pattern=ID_PATTERN)
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
    note_nb: str | None = None
    labour_linked: bool = False
    price_basis: PriceBasis | None = None
    calibrated_to: str | None = Field(default=None, min_length=1)
    calibrated_to_nb: str | None = Field(default=None, min_length=1)
    to_verify: str | None = Field(default=None, min_length=1)
    to_verify_nb: str | None = Field(default=None, min_length=1)
    unit_cost: str | None = Field(default=None, pattern=ID_PATTERN)

    @model_validator(mode="after")
    def _consistent(self) -> Assumption:
        if self.unit in MONEY_UNITS and self.price_year is None:
            raise ValueError(f"money ({self.unit}) needs a 'price_year'")
        if self.unit not in MONEY_UNITS:
            for name in ("price_year", "price_basis"):
                if getattr(self, name) is not None:
                    raise ValueError(f"{name!r} is only for money, but the unit is {self.unit!r}")
            if self.labour_linked:
                raise ValueError(f"'labour_linked' is only for money, but the unit is {self.unit!r}")
        basis = self.price_basis
        if basis is not None and basis.from_year is not None and self.price_year is not None:
            if basis.from_year >= self.price_year:
                raise ValueError(
                    f"price_basis says the source uprated the value from {basis.from_year} by {basis.uprated_by}, "
                    f"so its price_year must be the later year it was uprated to, not {self.price_year} "
                    "(uprating it again from the earlier year would count the growth twice)"
                )
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
