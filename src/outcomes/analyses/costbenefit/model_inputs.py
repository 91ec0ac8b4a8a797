"""The model's two input tables: cohorts (participants and outcome rate per programme year) and the cost ledger.

Each is checked here, once, with errors that name the file, row and column;
:func:`load_costs` is the only function that reads a file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from outcomes.core.errors import InputError, require_columns

#: Who pays a cost: the three public levels, and ``other`` for non-public money (foundations).
PAYERS: tuple[str, ...] = ("municipality", "county", "state", "other")


def _to_numbers(frame: pd.DataFrame, columns: Iterable[str], problem: Callable[[str, int], InputError]) -> None:
    """Turn columns of a table into numbers, in place, refusing a missing or non-numeric cell.

    Parameters
    ----------
    frame
        The table; its columns are replaced by their numeric values.
    columns
        The columns to convert, checked in this order.
    problem
        Builds the error for the first bad cell from its column and 0-based row.

    Raises
    ------
    InputError
        The one ``problem`` builds, at the first missing or non-numeric cell.
    """
    for column in columns:
        values = pd.to_numeric(frame[column], errors="coerce")
        if values.isna().any():
            raise problem(column, int(np.flatnonzero(values.isna().to_numpy())[0]))
        frame[column] = values


#: The shares of a cohort the model values: in work (and not in education), and in education.
RATE_COLUMNS: tuple[str, ...] = ("rate_work", "rate_education")


def validate_cohorts(cohorts: pd.DataFrame, file: str | None = None) -> pd.DataFrame:
    """Check the participants-and-shares table the model needs.

    Parameters
    ----------
    cohorts
        Columns ``year`` (programme year), ``participants`` (count, >= 0),
        ``rate_work`` (share 0-1 in work and not in education at follow-up)
        and ``rate_education`` (share 0-1 in education, whether or not also
        working); other columns are kept.
    file
        Name for messages.

    Returns
    -------
    pandas.DataFrame
        A copy sorted by year, ``year`` as int and the others as float, with
        ``rate`` = ``rate_work + rate_education`` (in education or work).

    Raises
    ------
    InputError
        If a column is missing, a value is missing or out of range (a share
        above 1 is taken as a percent by mistake), the two shares add up to
        more than 1, or a year repeats.
    """
    required = ("year", "participants", *RATE_COLUMNS)
    require_columns(
        cohorts.columns,
        required,
        "The cohort table",
        file=file,
        expected="columns year, participants, rate_work and rate_education (shares 0-1)",
    )
    frame = cohorts.copy()
    _to_numbers(
        frame,
        required,
        lambda column, row: InputError(
            f"The cohort table has a missing or non-numeric {column} in row {row + 1}.",
            file=file,
            column=column,
            expected="a number in every row",
        ),
    )
    if frame.empty:
        raise InputError("The cohort table has no rows.", file=file, expected="one row per programme year")
    frame["rate"] = frame["rate_work"] + frame["rate_education"]
    for column in (*RATE_COLUMNS, "rate"):
        bad = (frame[column] > 1 + 1e-12) | (frame[column] < 0)
        if bad.any():
            row = frame.loc[bad].iloc[0]
            raise InputError(
                f"{'Share in education or work' if column == 'rate' else column} {row[column]} "
                f"for {int(row['year'])} is outside 0-1.",
                file=file,
                column=column,
                expected="shares from 0 to 1 (divide percent by 100) that add up to at most 1",
            )
    if (frame["participants"] < 0).any():
        raise InputError("The cohort table has a negative number of participants.", file=file, column="participants")
    frame["year"] = frame["year"].astype(int)
    if frame["year"].duplicated().any():
        year = int(frame.loc[frame["year"].duplicated(), "year"].iloc[0])
        raise InputError(
            f"Programme year {year} appears twice in the cohort table.",
            file=file,
            column="year",
            expected="one row per year",
        )
    for column in ("participants", *RATE_COLUMNS, "rate"):
        frame[column] = frame[column].astype(float)
    return frame.sort_values("year").reset_index(drop=True)


def _group_shares(rates: pd.DataFrame, group: str, treatment: str, department: str) -> pd.DataFrame:
    """One group's rows of a follow-up rates table, as ``year``, ``contacted``, ``share``."""
    mask = (rates["group"] == group) & (rates["treatment"] == treatment) & (rates["department"] == department)
    picked = rates.loc[mask]
    if picked.empty:
        raise InputError(
            f"No follow-up rates for group {group!r}, treatment {treatment!r}, department {department!r}.",
            column="group",
            expected="a group, treatment and department present in the rates table",
        )
    return pd.DataFrame(
        {
            "year": picked["followup_year"].astype(int).to_numpy(),
            "contacted": picked["contacted"].astype(float).to_numpy(),
            "share": picked["share"].astype(float).to_numpy(),
        }
    ).set_index("year")


def cohorts_from_followup(
    rates: pd.DataFrame,
    *,
    group: str = "education_or_work",
    education_group: str = "education",
    treatment: str = "respondents",
    department: str = "all",
    participants: pd.Series | None = None,
) -> pd.DataFrame:
    """Build the model's cohort table from a follow-up rates table.

    Parameters
    ----------
    rates
        Output of :func:`outcomes.analyses.followup.rates.followup_rates`: columns
        ``followup_year``, ``department``, ``group``, ``treatment``,
        ``contacted`` (people) and ``share`` (0-1).
    group
        The outcome group that is education or work; its share minus the
        education group's is the share in work (and not in education).
    education_group
        The group whose share is the share in education (it includes those
        who also work, and apprentices).
    treatment
        Non-response treatment: ``respondents``, ``negative`` (lower bound) or
        ``positive`` (upper bound: non-respondents count as in education).
    department
        ``all`` or one department.
    participants
        Participants per year (persons, indexed by year); the number
        contacted is used when ``None``.

    Returns
    -------
    pandas.DataFrame
        Columns ``year``, ``participants``, ``rate_work``, ``rate_education``
        and ``rate`` (shares 0-1), validated.

    Raises
    ------
    InputError
        If a group, the treatment or the department has no rows.
    """
    needed = ("followup_year", "department", "group", "treatment", "contacted", "share")
    require_columns(rates.columns, needed, "The follow-up rates table")
    combined = _group_shares(rates, group, treatment, department)
    education = _group_shares(rates, education_group, treatment, department).reindex(combined.index)
    table = pd.DataFrame(
        {
            "year": combined.index.to_numpy(),
            "participants": combined["contacted"].to_numpy(),
            # Education is part of the combined group: the rest of it is work without education.
            "rate_work": (combined["share"] - education["share"]).clip(lower=0.0).to_numpy(),
            "rate_education": education["share"].to_numpy(),
        }
    )
    if participants is not None:
        table["participants"] = table["year"].map(participants).astype(float)
    return validate_cohorts(table)


def validate_costs(costs: pd.DataFrame, file: str | None = None) -> pd.DataFrame:
    """Check a programme cost ledger.

    Parameters
    ----------
    costs
        Columns ``year`` (programme year the cost belongs to), ``category``
        (text), ``amount_nok`` (NOK in ``price_year`` prices) and
        ``price_year``; optional ``payer`` (``municipality``, ``county``,
        ``state``; ``other`` for non-public money such as foundations; blank
        for public money of unknown payer).
    file
        Name for messages.

    Returns
    -------
    pandas.DataFrame
        A copy with ``payer`` filled (``unspecified`` for blanks), ``year``
        and ``price_year`` as int and ``amount_nok`` as float.

    Raises
    ------
    InputError
        Naming the row (1-based, counting the header as line 1) and column.
    """
    required = ("year", "category", "amount_nok", "price_year")
    require_columns(
        costs.columns,
        required,
        "The cost ledger",
        file=file,
        expected="columns year, category, amount_nok, price_year and optionally payer",
    )
    frame = costs.copy()
    _to_numbers(
        frame,
        ("year", "amount_nok", "price_year"),
        lambda column, row: InputError(
            f"Missing or non-numeric {column}: {costs[column].iloc[row]!r}.",
            file=file,
            line=row + 2,
            column=column,
            expected="a number (NOK without spaces or currency sign)" if column == "amount_nok" else "a year",
        ),
    )
    if frame.empty:
        raise InputError("The cost ledger has no rows.", file=file, expected="one row per year and category")
    if "payer" not in frame.columns:
        frame["payer"] = "unspecified"
    payer = frame["payer"].astype("string").str.strip().str.lower().fillna("").replace("", "unspecified")
    bad = ~payer.isin([*PAYERS, "unspecified"])
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(
            f"Unknown payer {costs['payer'].iloc[row]!r}.",
            file=file,
            line=row + 2,
            column="payer",
            expected="municipality, county, state, other (non-public) or blank (public, payer unknown)",
        )
    frame["payer"] = payer.astype(object)
    frame["year"] = frame["year"].astype(int)
    frame["price_year"] = frame["price_year"].astype(int)
    frame["amount_nok"] = frame["amount_nok"].astype(float)
    frame["category"] = frame["category"].astype("string").fillna("").astype(object)
    return frame


def load_costs(path: str | Path) -> pd.DataFrame:
    """Read a cost ledger CSV and validate it (see :func:`validate_costs`).

    Parameters
    ----------
    path
        The CSV file (comma-separated, UTF-8, header row).

    Returns
    -------
    pandas.DataFrame
        The validated ledger.

    Raises
    ------
    InputError
        If the file is missing or unusable.
    """
    file = Path(path)
    if not file.is_file():
        raise InputError("Cost ledger not found.", file=file, hint="Check 'inputs.costs' in the run configuration.")
    return validate_costs(
        pd.read_csv(file, dtype={"category": str, "payer": str}, keep_default_na=False), file=str(file)
    )
