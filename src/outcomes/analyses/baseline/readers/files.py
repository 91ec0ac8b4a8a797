"""Indicator files in, one tidy table out: which reader a file needs, and the folder of a year's downloads.

No network: every reader takes a file (:mod:`outcomes.analyses.baseline.fetch`
saves downloads as files first). Beside the figures, the publisher's
footnotes and flag explanations are collected (:class:`IndicatorData`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from outcomes.analyses.baseline.municipalities import (
    harmonise_municipality_codes,
    is_municipality_code,
    successor_codes,
)
from outcomes.analyses.baseline.readers.cells import Cells
from outcomes.analyses.baseline.readers.extract import (
    FLAG_COLUMNS,
    NOTE_COLUMNS,
    extract_indicator,
    indicator_flags,
    indicator_notes,
)
from outcomes.analyses.baseline.readers.jsonstat import read_jsonstat
from outcomes.analyses.baseline.readers.notes import FLAGS_SUFFIX
from outcomes.analyses.baseline.readers.ssb_csv import read_ssb_csv
from outcomes.analyses.baseline.readers.tidy import empty_tidy, finish_tidy
from outcomes.analyses.baseline.readers.tidy_csv import is_tidy_csv, read_tidy_csv
from outcomes.analyses.baseline.readers.validity import drop_codes_that_did_not_exist
from outcomes.core.errors import InputError
from outcomes.registries.indicator_catalogue import IndicatorCatalogue

#: File types read from an indicator folder.
INDICATOR_SUFFIXES = (".json", ".csv")

#: Files in an indicator folder that describe another file rather than hold figures (FHI's flag list).
COMPANION_SUFFIXES = (FLAGS_SUFFIX,)


@dataclass(frozen=True)
class IndicatorData:
    """Figures read from indicator files, with what their publishers wrote about them.

    ``tidy`` has :data:`~.tidy.TIDY_COLUMNS`; ``notes`` the publishers'
    footnotes (:data:`~.extract.NOTE_COLUMNS`) and ``flags`` their
    explanation of status symbols (:data:`~.extract.FLAG_COLUMNS`).
    """

    tidy: pd.DataFrame
    notes: pd.DataFrame
    flags: pd.DataFrame


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


def _empty_data() -> IndicatorData:
    return IndicatorData(empty_tidy(), pd.DataFrame(columns=NOTE_COLUMNS), pd.DataFrame(columns=FLAG_COLUMNS))


def _recognised_cells(path: Path, catalogue: IndicatorCatalogue) -> tuple[Cells, list]:
    """The file's cells (codes that did not exist in a period left out) and the indicators it holds."""
    cells = drop_codes_that_did_not_exist(read_cells(path))
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
    return cells, indicators


def read_indicator_data(path: str | Path, catalogue: IndicatorCatalogue) -> IndicatorData:
    """Read one downloaded file: every catalogue indicator it holds, with the publisher's notes and flags.

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
    IndicatorData
        Tidy rows (values in each indicator's unit; in a dense cube, the
        unmarked nulls of codes that did not exist in their period are left
        out, :mod:`.validity`), the notes that concern them and the flag list.

    Raises
    ------
    InputError
        If the table cannot be recognised or no catalogue indicator uses it.
    """
    path = Path(path)
    if is_tidy_csv(path):
        return dataclasses.replace(_empty_data(), tidy=read_tidy_csv(path, catalogue))
    cells, indicators = _recognised_cells(path, catalogue)
    return IndicatorData(
        tidy=finish_tidy(pd.concat([extract_indicator(cells, ind) for ind in indicators], ignore_index=True)),
        notes=pd.concat([indicator_notes(cells, ind) for ind in indicators], ignore_index=True),
        flags=pd.concat([indicator_flags(cells, ind) for ind in indicators], ignore_index=True),
    )


def read_indicator_file(path: str | Path, catalogue: IndicatorCatalogue) -> pd.DataFrame:
    """The tidy rows of :func:`read_indicator_data` (every indicator the file holds).

    Raises
    ------
    InputError
        If the table cannot be recognised or no catalogue indicator uses it.
    """
    return read_indicator_data(path, catalogue).tidy


def _without_duplicates(tidy: pd.DataFrame) -> pd.DataFrame:
    """Exact duplicates dropped; different values for one indicator, region and period refused."""
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


def read_indicators_data(paths: Iterable[str | Path], catalogue: IndicatorCatalogue) -> IndicatorData:
    """:func:`read_indicator_data` of several files, in one table (exact duplicates dropped).

    Raises
    ------
    InputError
        If two files give different values for the same indicator, region and
        period (e.g. a preliminary and a final release both listed).
    """
    read = [read_indicator_data(p, catalogue) for p in paths]
    if not read:
        return _empty_data()
    return IndicatorData(
        tidy=_without_duplicates(pd.concat([r.tidy for r in read], ignore_index=True)),
        notes=pd.concat([r.notes for r in read], ignore_index=True).drop_duplicates(ignore_index=True),
        flags=pd.concat([r.flags for r in read], ignore_index=True).drop_duplicates(ignore_index=True),
    )


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
    return read_indicators_data(paths, catalogue).tidy


def indicator_files(folder: Path) -> list[Path]:
    """The ``.json`` and ``.csv`` files directly in an indicator folder, sorted (flag lists left out).

    Raises
    ------
    InputError
        If the folder is missing or holds no such file.
    """
    if not folder.is_dir():
        raise InputError("Indicator folder not found.", file=folder, expected="a folder of .json/.csv files")
    paths = sorted(
        p
        for p in folder.iterdir()
        if p.suffix.lower() in INDICATOR_SUFFIXES and not p.name.lower().endswith(COMPANION_SUFFIXES)
    )
    if not paths:
        raise InputError("No .json or .csv files in the indicator folder.", file=folder)
    return paths


def _harmonised_notes(notes: pd.DataFrame, target_year: int) -> pd.DataFrame:
    """Region codes of notes in the target geography (a note on a later-split municipality keeps its code)."""
    if notes.empty:
        return notes
    mapped = {}
    for code in notes["region_code"].unique():
        targets, split = successor_codes(code, target_year) if is_municipality_code(code) else ([code], False)
        mapped[code] = targets[0] if len(targets) == 1 and not split else code
    return notes.assign(region_code=notes["region_code"].map(mapped)).drop_duplicates(ignore_index=True)


def load_indicator_data(
    source: str | Path | Iterable[str | Path],
    catalogue: IndicatorCatalogue,
    *,
    target_year: int = 2024,
) -> IndicatorData:
    """Read indicator files and map municipality codes to one geography version, with the publishers' notes.

    This is the entry point for the report and the notebook: a folder (config
    ``inputs.indicators``; every ``.json`` and ``.csv`` directly in it, sorted,
    flag lists left out) or a list of files in.

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
    IndicatorData
        ``tidy`` with :data:`~.tidy.TIDY_COLUMNS`, codes harmonised by
        :func:`outcomes.analyses.baseline.municipalities.harmonise_municipality_codes`;
        ``notes`` with their region codes mapped the same way; ``flags``.

    Raises
    ------
    InputError
        If the folder holds no indicator files, or any file is unusable.
    """
    paths = indicator_files(Path(source)) if isinstance(source, str | Path) else [Path(p) for p in source]
    data = read_indicators_data(paths, catalogue)
    tidy = harmonise_municipality_codes(data.tidy, catalogue.units(), target_year=target_year)
    return IndicatorData(finish_tidy(tidy), _harmonised_notes(data.notes, target_year), data.flags)


def load_indicators(
    source: str | Path | Iterable[str | Path],
    catalogue: IndicatorCatalogue,
    *,
    target_year: int = 2024,
) -> pd.DataFrame:
    """The tidy rows of :func:`load_indicator_data`: figures with harmonised municipality codes.

    Raises
    ------
    InputError
        If the folder holds no indicator files, or any file is unusable.
    """
    return load_indicator_data(source, catalogue, target_year=target_year).tidy
