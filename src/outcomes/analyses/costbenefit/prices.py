"""Bringing money to one price year.

Every money figure in the workbench has a price year. Values from sources
(the cost ledger, the assumption registry) carry their own, and are brought to
the report's price year exactly once, by one of two shipped series:

``KPI``
    The consumer price index, annual average, 2015 = 100 (SSB table 03014).
    The default: fixed prices, as DFØ's guide asks. Values that grow faster
    than prices (labour-linked: production, wages, services) get the
    registry's real-price growth on top, in the model
    (:mod:`outcomes.analyses.costbenefit.evaluation`), not here.
``G``
    The yearly average of the National Insurance base amount (grunnbeløpet).
    G follows wage growth, so it covers inflation *and* the wage-linked real
    price adjustment in one step; kept for comparison with analyses that used it.

A value the source already uprated states it (``price_basis`` in the
registry) and carries the later price year, so it is uprated from there only.
The series and their sources ship in ``outcomes/data/price_indices.csv`` and
``price_indices.yml``. Loading them is the only I/O here; the uprating
functions are pure.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from outcomes.core.errors import ConfigError, InputError, require_columns
from outcomes.core.yamlsafe import read_yaml

PriceIndex = Literal["G", "KPI"]

#: Column of ``price_indices.csv`` used for each index name.
INDEX_COLUMNS: dict[str, str] = {"G": "g_yearly_average", "KPI": "kpi"}

#: Human-readable name of each index, for labels on money figures.
INDEX_NAMES: dict[str, str] = {
    "G": "yearly average of the base amount G",
    "KPI": "consumer price index (KPI)",
}

_REQUIRED_COLUMNS = (
    "year",
    "g_from_1_may",
    "g_yearly_average",
    "g_yearly_average_status",
    "kpi",
    "kpi_status",
)


def _packaged(name: str) -> Path:
    return Path(str(resources.files("outcomes") / "data" / name))


def load_price_indices(path: str | Path | None = None) -> pd.DataFrame:
    """Read the G and KPI series.

    Parameters
    ----------
    path
        A CSV with the columns of ``outcomes/data/price_indices.csv``; the
        packaged file when ``None``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``year`` (int), with ``g_from_1_may`` and
        ``g_yearly_average`` (NOK per year, nominal), ``kpi`` (index,
        2015 = 100) and the status columns (``checked``, ``calculated``,
        ``recalled``, ``base``, ``forecast``).

    Raises
    ------
    InputError
        If the file is missing, lacks a column, or has a duplicated or
        non-consecutive year.
    """
    file = Path(path) if path is not None else _packaged("price_indices.csv")
    if not file.is_file():
        raise InputError("Price index file not found.", file=file, hint="Reinstall the package or pass the right path.")
    table = pd.read_csv(file)
    require_columns(table.columns, _REQUIRED_COLUMNS, "Price index file", file=file)
    years = table["year"].astype(int)
    if years.duplicated().any() or (years.diff().dropna() != 1).any():
        raise InputError(
            "Years in the price index file are duplicated or not consecutive.",
            file=file,
            column="year",
            expected="one row per year, consecutive years in increasing order",
        )
    table["year"] = years
    return table.set_index("year")


def load_price_index_sources(path: str | Path | None = None) -> dict:
    """Read the sources and caveats of the price index series.

    Parameters
    ----------
    path
        A YAML file; the packaged ``price_indices.yml`` when ``None``.

    Returns
    -------
    dict
        Keys ``title``, ``columns``, ``sources`` and ``caveats`` as in the file.
    """
    file = Path(path) if path is not None else _packaged("price_indices.yml")
    return read_yaml(file)


def _series(indices: pd.DataFrame, index: str) -> pd.Series:
    if index not in INDEX_COLUMNS:
        raise ConfigError(
            f"Unknown price index {index!r}.",
            column="price_index",
            expected=" or ".join(INDEX_COLUMNS),
        )
    return indices[INDEX_COLUMNS[index]].astype(float)


def _check_years(series: pd.Series, years: Iterable[int], index: str) -> None:
    missing = sorted({int(y) for y in years} - set(series.index.astype(int)))
    if missing:
        raise ConfigError(
            f"No {index} value for price year(s) {', '.join(map(str, missing))}.",
            column="price_year",
            expected=f"a year from {int(series.index.min())} to {int(series.index.max())}",
            hint="Add the year to the price index file with its source, or choose another price year.",
        )


def uprating_factor(indices: pd.DataFrame, from_year: int, to_year: int, index: PriceIndex = "G") -> float:
    """The factor that brings NOK of ``from_year`` to NOK of ``to_year``.

    Parameters
    ----------
    indices
        Table from :func:`load_price_indices`.
    from_year, to_year
        Price years (calendar years).
    index
        ``"G"`` (yearly average G) or ``"KPI"``.

    Returns
    -------
    float
        ``index[to_year] / index[from_year]`` (dimensionless); 1.0 when the
        years are equal.

    Raises
    ------
    ConfigError
        If a year is outside the series or the index name is unknown.
    """
    series = _series(indices, index)
    _check_years(series, (from_year, to_year), index)
    return float(series.loc[int(to_year)] / series.loc[int(from_year)])


def uprate(
    amounts: Iterable[float] | np.ndarray,
    price_years: Iterable[int] | np.ndarray | int,
    to_year: int,
    indices: pd.DataFrame,
    index: PriceIndex = "G",
) -> np.ndarray:
    """Bring amounts in NOK of their own price years to NOK of ``to_year``.

    Parameters
    ----------
    amounts
        Money amounts in NOK, each in the price year at the same position.
    price_years
        One price year for all amounts, or one per amount.
    to_year
        The target price year.
    indices
        Table from :func:`load_price_indices`.
    index
        ``"G"`` or ``"KPI"``.

    Returns
    -------
    numpy.ndarray
        The amounts in NOK of ``to_year`` (float).

    Raises
    ------
    ConfigError
        If a price year is outside the series.
    """
    values = np.asarray(list(amounts) if not isinstance(amounts, np.ndarray) else amounts, dtype=float)
    years = np.broadcast_to(np.asarray(price_years, dtype=int), values.shape)
    series = _series(indices, index)
    _check_years(series, [*np.unique(years).tolist(), to_year], index)
    factors = float(series.loc[int(to_year)]) / series.reindex(years.ravel()).to_numpy().reshape(years.shape)
    return values * factors


def index_status(indices: pd.DataFrame, years: Iterable[int], index: PriceIndex = "G") -> dict[int, str]:
    """How well each used index value is documented.

    Parameters
    ----------
    indices
        Table from :func:`load_price_indices`.
    years
        Price years used.
    index
        ``"G"`` or ``"KPI"``.

    Returns
    -------
    dict
        Year -> status (``checked``, ``calculated``, ``recalled``, ``base``
        or ``forecast``), so a report can flag values still to be checked.
    """
    column = "g_yearly_average_status" if index == "G" else "kpi_status"
    _check_years(_series(indices, index), years, index)
    return {int(y): str(indices.loc[int(y), column]) for y in sorted(set(int(y) for y in years))}


def price_label(price_year: int, index: PriceIndex | None = None) -> str:
    """Unit label printed beside a money figure, e.g. ``"NOK, 2024 prices"``.

    Parameters
    ----------
    price_year
        The price year of the figure.
    index
        If given, the series used to get there is named too.

    Returns
    -------
    str
        The label (English; the report's translation catalogue may replace it).
    """
    label = f"NOK, {int(price_year)} prices"
    if index is not None:
        label += f" (uprated by the {INDEX_NAMES[index]})"
    return label
