"""Contract checks parse each distinct value once; rows and messages are as before.

:func:`outcomes.inputs.validation.validate_table` factorizes every column, parses,
maps and tests the distinct texts, and spreads the outcome back to the cells.
These tests pin the problems (file, line, column, value, problem, expected) for
a file with errors both in columns that repeat few values and in a column whose
values are all different, and compare :func:`parse_column` with the cell-by-cell
parser (``_parse_cells`` on every cell) on random columns.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from outcomes.inputs.contracts import ColumnSpec, load_contract
from outcomes.inputs.problems import PROBLEM_COLUMNS
from outcomes.inputs.readers import LINE, read_table
from outcomes.inputs.validation import _parse_cells, parse_column, validate_table
from outcomes.registries.statuses import load_status_map
from tests.conftest import ROOT

THIS_YEAR = dt.date.today().year
STATUS_MAP = load_status_map(ROOT / "config" / "status_map.yml")

FILE = """participant_id;department;followup_year;status
P01;A;2020;arbeid
P02;A;20x0;arbeid
bad id!;A;2021;arbeid
P04;;2021;ukjent greie
P05;A;20x0;ukjent greie
P06;B;1989;skole
P01;A;2020;arbeid
 P08 ; B ; 2022 ;  Arbeid
P09;C;2021,0;arbeid
P10;C;2020.5;jobb
{long};C;2021;skole
P12;C;2021;skole
""".format(long="x" * 41)


def test_problems_in_repeated_and_all_distinct_columns(tmp_path: Path) -> None:
    path = tmp_path / "followup.csv"
    path.write_text(FILE, encoding="utf-8")
    table = read_table(path)
    result = validate_table(table, load_contract("followup"), STATUS_MAP.lookup(), STATUS_MAP.source)

    file = table.file
    year = f"a whole number from 1990 to {THIS_YEAR}"
    pid = "a pseudonymous code of letters, digits, '-', '_' or '.' (at most 40 characters)"
    status = f"a label listed in {STATUS_MAP.source} (add it there under the right status)"
    unique = "one record per participant_id and followup_year"
    expected = [
        (2, "participant_id, followup_year", "P01 / 2020", "duplicate record (repeated on a later line)", unique),
        (3, "followup_year", "20x0", "not a whole number", year),
        (4, "participant_id", "bad id!", "not of the expected form", pid),
        (5, "department", "", "missing value", "text"),
        (5, "status", "ukjent greie", "status label is not in the status map", status),
        (6, "followup_year", "20x0", "not a whole number", year),
        (6, "status", "ukjent greie", "status label is not in the status map", status),
        (7, "followup_year", "1989", "below the lowest allowed value 1990", year),
        (8, "participant_id, followup_year", "P01 / 2020", "duplicate record (also on line 2)", unique),
        (11, "followup_year", "2020.5", "not a whole number", year),
        (12, "participant_id", "x" * 41, "not of the expected form", pid),
    ]
    problems = result.problems
    assert list(problems.columns) == PROBLEM_COLUMNS
    assert set(problems["file"]) == {file}
    got = list(problems[["line", "column", "value", "problem", "expected"]].itertuples(index=False, name=None))
    assert got == expected

    assert result.rejected[LINE].tolist() == [2, 3, 4, 5, 6, 7, 8, 11, 12]
    assert result.rejected["reason"].tolist()[3] == (
        "department: missing value; status: status label is not in the status map (found 'ukjent greie')"
    )
    accepted = result.accepted
    assert accepted[LINE].tolist() == [9, 10, 13]
    assert accepted["participant_id"].tolist() == ["P08", "P09", "P12"]
    assert accepted["department"].tolist() == ["B", "C", "C"]
    assert accepted["followup_year"].tolist() == [2022, 2021, 2021]
    assert str(accepted["followup_year"].dtype) == "Int64"
    assert accepted["status"].tolist() == ["work", "work", "education"]
    assert accepted["status_label"].tolist() == ["Arbeid", "arbeid", "skole"]
    assert result.rows_read == 12


def test_costs_with_synonyms_and_numbers(tmp_path: Path) -> None:
    path = tmp_path / "costs.csv"
    path.write_text(
        "year;category;amount_nok;price_year;payer\n"
        "2020;lønn;1 234,50;2023;Kommune\n"
        "2020;husleie;1 234,50;2023;kommune\n"
        "2021;lønn;abc;2023;stat\n"
        "2021;husleie;1e400;2023;privat\n"
        "2022;lønn;-5;2023;\n"
        "2022;drift;1.234,5;2023;Staten\n",
        encoding="utf-8",
    )
    table = read_table(path)
    result = validate_table(table, load_contract("costs"))
    got = list(result.problems[["line", "column", "value", "problem"]].itertuples(index=False, name=None))
    assert got == [
        (4, "amount_nok", "abc", "not a number"),
        (5, "amount_nok", "1e400", "not a number"),
        (5, "payer", "privat", "not one of the allowed values"),
        (6, "amount_nok", "-5", "below the lowest allowed value 0"),
    ]
    assert result.accepted["amount_nok"].tolist() == [1234.5, 1234.5, 1234.5]
    assert result.accepted["payer"].tolist() == ["municipality", "municipality", "state"]
    assert result.accepted[LINE].tolist() == [2, 3, 7]


_TEXT = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "",
            " ",
            "2020",
            " 2020 ",
            "2020,0",
            "2020.5",
            "1 234,50",
            "1.234,5",
            "1,234.5",
            "\u2212 5",
            "-0",
            "1e400",
            "inf",
            "nan",
            "9007199254740993",
            "2020-01-31",
            "31.01.2020",
            "2020-02-30",
            "kommune",
            " Staten ",
            "STAT",
            "x",
            "Ås",
            "100\u00a0000",
            "1.2.3",
        ]
    ),
    st.text(st.sampled_from("0123456789 ,.-eE\u2212x"), max_size=8),
)
_SPECS = [
    ColumnSpec(type="string"),
    ColumnSpec(type="string", synonyms={"kommune": "municipality", "Stat": "state"}),
    ColumnSpec(type="integer"),
    ColumnSpec(type="number"),
    ColumnSpec(type="date"),
]


@settings(max_examples=300, deadline=None)
@given(cells=st.lists(_TEXT, max_size=20), spec=st.sampled_from(_SPECS), start=st.integers(0, 5))
def test_parse_column_same_as_cell_by_cell(cells: list[str | None], spec: ColumnSpec, start: int) -> None:
    values = pd.Series(cells, dtype="string", name="c", index=pd.RangeIndex(start, start + len(cells)))
    parsed, failed = parse_column(values, spec)
    reference, reference_failed, _ = _parse_cells(values, spec)
    pd.testing.assert_series_equal(parsed, reference)
    pd.testing.assert_series_equal(failed, reference_failed)
