"""Follow-up years given as yearly counts, combined with the person-level records of the other years.

Many programmes kept only yearly tables for their early years: the number of
former participants per follow-up year, department and status (contract
``followup_counts``, ``inputs.followup_counts``). The report treats such a
table exactly like records. After intake, each row of *n* people becomes *n*
rows of its year, department and status, with generated pseudonymous ids
``counts-<line>-<k>`` (the *k*-th person of that line of the counts file).

**These rows are not people's records.** They hold only what the table says
(year, department, status) and exist so that every later step counts them as
it counts records: the rates and their intervals
(:func:`outcomes.analyses.followup.rates.followup_rates`), the base counts of
the disclosure protection and audit (:mod:`outcomes.sdc.followup` builds them
from rows), and the cost-benefit cohorts. Nothing else about a person (exit
year, gender, birth year) is made up; those columns are empty.

Two rules keep the combination honest:

- a follow-up year comes from one input only: a year in both the counts and
  the records is refused (the same people would be counted twice);
- within a year the counts give a department on every row or on none, so
  that the departments add up to all departments. A year without
  departments is published for all departments only.
"""

from __future__ import annotations

import pandas as pd

from outcomes.core.errors import InputError
from outcomes.core.formatting import format_years
from outcomes.inputs.readers import LINE

#: Start of the generated id of a row made from a count (never a person's pseudonym).
COUNTS_ID_PREFIX = "counts-"

#: Column marking the rows made from counts (``True``) among the records (``False``).
FROM_COUNTS = "from_counts"


def expand_counts(counts: pd.DataFrame) -> pd.DataFrame:
    """One row per person counted: a row of *n* people becomes *n* rows (0 people: none).

    Parameters
    ----------
    counts
        Accepted rows of a ``followup_counts`` input: ``followup_year``,
        ``department`` (may be empty), canonical ``status``, ``count``
        (people, a whole number 0 or more) and the file line ``_line``;
        ``status_label`` is kept when present.

    Returns
    -------
    pandas.DataFrame
        ``participant_id`` (generated: ``counts-<line>-<k>``), the counts'
        columns but ``count``, and :data:`FROM_COUNTS` (``True``). Not
        people's records: see the module's docstring.
    """
    people = counts["count"].astype("int64").to_numpy()
    rows = counts.loc[counts.index.repeat(people)].drop(columns="count").reset_index(drop=True)
    k = rows.groupby(LINE, sort=False).cumcount() + 1
    ids = COUNTS_ID_PREFIX + rows[LINE].astype("int64").astype(str) + "-" + k.astype(str)
    rows.insert(0, "participant_id", ids.astype("string"))
    rows[FROM_COUNTS] = True
    return rows


def _first_line(frame: pd.DataFrame, mask: pd.Series) -> int:
    return int(frame.loc[mask, LINE].min())


def refuse_years_in_both(records: pd.DataFrame, counts: pd.DataFrame, records_file: str, counts_file: str) -> None:
    """Refuse follow-up years that are in the records and in the counts alike.

    Raises
    ------
    InputError
        Naming the counts file, the first line of the first such year, the
        years, the records file and what to do.
    """
    both = sorted(
        set(records["followup_year"].dropna().astype(int)) & set(counts["followup_year"].dropna().astype(int))
    )
    if not both:
        return
    years = format_years(both)
    raise InputError(
        f"follow-up year{'s' if len(both) > 1 else ''} {years} "
        f"{'are' if len(both) > 1 else 'is'} in the yearly counts and also in the person-level records "
        f"({records_file}); the same people would be counted twice",
        file=counts_file,
        line=_first_line(counts, counts["followup_year"] == both[0]),
        column="followup_year",
        expected="each follow-up year in one of the two files only",
        hint=f"Remove {years} from the counts (inputs.followup_counts) or from the records (inputs.followup), "
        "keeping the file that holds the year as it should be published. Nothing was published.",
    )


def refuse_mixed_departments(counts: pd.DataFrame, counts_file: str) -> None:
    """Refuse a year whose counts give a department on some rows and not on others.

    Raises
    ------
    InputError
        Naming the counts file, the first line of that year without a
        department, and the year.
    """
    given = counts["department"].notna() if "department" in counts else pd.Series(False, index=counts.index)
    for year, has in given.groupby(counts["followup_year"].astype(int), sort=True):
        if has.any() and not has.all():
            missing = (counts["followup_year"] == year) & ~given
            raise InputError(
                f"follow-up year {year} gives a department on some rows and not on others, so the departments "
                "would not add up to all departments",
                file=counts_file,
                line=_first_line(counts, missing),
                column="department",
                expected="a department on every row of a year, or on none",
                hint="Fill in the department on every row of that year, or leave it empty on all of them "
                "(the year is then shown for all departments only).",
            )


def combine_followup(records: pd.DataFrame, counts: pd.DataFrame, records_file: str, counts_file: str) -> pd.DataFrame:
    """The person-level records and the counts' people as one table of follow-up rows.

    Parameters
    ----------
    records
        Accepted person-level records (contract ``followup``).
    counts
        Accepted yearly counts (contract ``followup_counts``), for other years.
    records_file, counts_file
        The two files as messages name them.

    Returns
    -------
    pandas.DataFrame
        The records (:data:`FROM_COUNTS` ``False``), then one row per
        person counted (:func:`expand_counts`, ``True``).

    Raises
    ------
    InputError
        A year in both inputs, or a year of the counts with departments on
        some rows only.
    """
    refuse_years_in_both(records, counts, records_file, counts_file)
    refuse_mixed_departments(counts, counts_file)
    people = expand_counts(counts)
    return pd.concat([records.assign(**{FROM_COUNTS: False}), people], ignore_index=True)


def years_from_counts(rows: pd.DataFrame, first: int, last: int) -> list[int]:
    """The follow-up years from ``first`` to ``last`` whose rows come from counts (with at least one person)."""
    if FROM_COUNTS not in rows:
        return []
    years = rows.loc[rows[FROM_COUNTS].astype(bool), "followup_year"].astype(int)
    return sorted({int(y) for y in years if first <= y <= last})
