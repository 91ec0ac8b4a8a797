"""Indicator files in, one tidy table out: which reader a file needs, and the folder of a year's downloads.

No network: every reader takes a file (:mod:`outcomes.analyses.baseline.fetch`
saves downloads as files first).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from outcomes.analyses.baseline.municipalities import harmonise_municipality_codes
from outcomes.analyses.baseline.readers.cells import Cells
from outcomes.analyses.baseline.readers.extract import extract_indicator
from outcomes.analyses.baseline.readers.jsonstat import read_jsonstat
from outcomes.analyses.baseline.readers.ssb_csv import read_ssb_csv
from outcomes.analyses.baseline.readers.tidy import empty_tidy, finish_tidy
from outcomes.analyses.baseline.readers.tidy_csv import is_tidy_csv, read_tidy_csv
from outcomes.core.errors import InputError
from outcomes.registries.indicator_catalogue import IndicatorCatalogue

#: File types read from an indicator folder.
INDICATOR_SUFFIXES = (".json", ".csv")


def read_cells(path: str | Path) -> Cells:
    """Read a JSON-stat (``.json``) or SSB CSV (``.csv``) file into cells.

    Raises
    ------
    InputError
        For any other file type, or a file its reader refuses.
    """
    path = Path(path)
    if path.suffix.lower() == ".json":
        return read_jsonstat(path)
    if path.suffix.lower() == ".csv":
        return read_ssb_csv(path)
    raise InputError(f"Unsupported file type {path.suffix!r}.", file=path, expected=".json (JSON-stat 2.0) or .csv")


def read_indicator_file(path: str | Path, catalogue: IndicatorCatalogue) -> pd.DataFrame:
    """Read one downloaded file and extract every catalogue indicator it holds.

    Parameters
    ----------
    path
        JSON-stat, SSB CSV or tidy CSV. The table is recognised from the
        dataset (``extension.px.tableid``, a label ``"13556: ..."``) or the file
        name (``ssb_13556_*.json``, ``fhi_360_*.json``).
    catalogue
        The indicator catalogue.

    Returns
    -------
    pandas.DataFrame
        Tidy rows (:data:`~.tidy.TIDY_COLUMNS`), values in each indicator's unit.

    Raises
    ------
    InputError
        If the table cannot be recognised or no catalogue indicator uses it.
    """
    path = Path(path)
    if is_tidy_csv(path):
        return read_tidy_csv(path, catalogue)
    cells = read_cells(path)
    if cells.table is None or cells.publisher is None:
        raise InputError(
            "Cannot tell which SSB/FHI table this file holds.",
            file=path,
            expected="a table number in the dataset or a file name such as ssb_13556_neet.json or fhi_360_vgs.json",
        )
    indicators = catalogue.for_table(cells.publisher, cells.table)
    if not indicators:
        raise InputError(
            f"No indicator in the catalogue uses {cells.publisher} table {cells.table}.",
            file=path,
            hint="Add an entry to config/indicators.yml or remove the file from the configuration.",
        )
    frames = [extract_indicator(cells, ind) for ind in indicators]
    return finish_tidy(pd.concat(frames, ignore_index=True))


def read_indicator_files(paths: Iterable[str | Path], catalogue: IndicatorCatalogue) -> pd.DataFrame:
    """Read several files into one tidy table.

    Parameters
    ----------
    paths
        Files as for :func:`read_indicator_file`.
    catalogue
        The indicator catalogue.

    Returns
    -------
    pandas.DataFrame
        Tidy rows (:data:`~.tidy.TIDY_COLUMNS`), sorted, exact duplicates dropped.

    Raises
    ------
    InputError
        If two files give different values for the same indicator, region and
        period (e.g. a preliminary and a final release both listed).
    """
    frames = [read_indicator_file(p, catalogue) for p in paths]
    if not frames:
        return empty_tidy()
    tidy = pd.concat(frames, ignore_index=True)
    keys = ["indicator", "region_code", "period"]
    dup = tidy[tidy.duplicated(keys, keep=False)]
    if len(dup):
        conflicting = dup.groupby(keys).filter(
            lambda g: g["value"].nunique(dropna=False) > 1 or g["status"].nunique() > 1
        )
        if len(conflicting):
            first = conflicting.iloc[0]
            files = sorted(set(conflicting[(conflicting[keys] == first[keys]).all(axis=1)]["source_file"]))
            raise InputError(
                f"Different values for {first['indicator']}, region {first['region_code']}, period {first['period']}.",
                file=", ".join(files),
                hint="List only one release of each table (the newest) in the configuration.",
            )
        tidy = tidy.drop_duplicates(keys, keep="first")
    return finish_tidy(tidy)


def indicator_files(folder: Path) -> list[Path]:
    """The ``.json`` and ``.csv`` files directly in an indicator folder, sorted.

    Raises
    ------
    InputError
        If the folder is missing or holds no such file.
    """
    if not folder.is_dir():
        raise InputError("Indicator folder not found.", file=folder, expected="a folder of .json/.csv files")
    paths = sorted(p for p in folder.iterdir() if p.suffix.lower() in INDICATOR_SUFFIXES)
    if not paths:
        raise InputError("No .json or .csv files in the indicator folder.", file=folder)
    return paths


def load_indicators(
    source: str | Path | Iterable[str | Path],
    catalogue: IndicatorCatalogue,
    *,
    target_year: int = 2024,
) -> pd.DataFrame:
    """Read indicator files and map municipality codes to one geography version.

    This is the entry point for the CLI and the notebook: a folder (config
    ``inputs.indicators``; every ``.json`` and ``.csv`` directly in it, sorted)
    or a list of files in, a tidy table with harmonised codes out.

    Parameters
    ----------
    source
        A folder, or an iterable of files.
    catalogue
        The indicator catalogue.
    target_year
        Geography version for municipality codes (2024 = current codes).

    Returns
    -------
    pandas.DataFrame
        :data:`~.tidy.TIDY_COLUMNS`, codes harmonised by
        :func:`outcomes.analyses.baseline.municipalities.harmonise_municipality_codes`.

    Raises
    ------
    InputError
        If the folder holds no indicator files, or any file is unusable.
    """
    if isinstance(source, str | Path):
        paths = indicator_files(Path(source))
    else:
        paths = [Path(p) for p in source]
    tidy = read_indicator_files(paths, catalogue)
    return finish_tidy(harmonise_municipality_codes(tidy, catalogue.units(), target_year=target_year))
