"""The quick proof that a column matches a one-class pattern is never wrong, and is used when it can be.

:func:`outcomes.inputs.patterns.all_match` lets the intake leave a pattern out of
pandera's checks. It must never answer ``True`` for a column with a cell that
Python's ``re`` or Arrow's RE2 (pandas' engine for Arrow-backed text) does not
match; and it must answer ``True`` for the columns it is for (pseudonyms), or
nothing is gained.
"""

from __future__ import annotations

import re

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from outcomes.inputs.contracts import load_contract
from outcomes.inputs.patterns import all_match, class_pattern

CONTRACT_PATTERN = load_contract("followup").columns["participant_id"].pattern

PATTERNS = [
    CONTRACT_PATTERN,
    r"^[0-9]{11}$",
    r"^[a-z]+$",
    r"^[\w]{2,5}$",
    r"^[\s]*$",
    r"^[^,]{1,3}$",
    r"^[A-Z.]{0,}$",
    r"^[æøåa-z]{1,4}$",
]

#: ASCII letters, digits and marks, white space of several kinds (\x1c is white space to
#: Python's re, not to RE2), a line break, and letters and digits of other scripts.
CHARACTERS = "aZz09_.-, \t\n\x1c\x0b!/æøÅ٣é"


def _arrow_column(cells: list[str | None]) -> pd.Series:
    return pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([pa.array(cells, pa.large_string())])))


def _matches_in_both(cell: str, pattern: str) -> bool:
    in_re2 = pc.match_substring_regex(pa.array([cell]), pattern)[0].as_py()
    return re.match(pattern, cell) is not None and bool(in_re2)


@settings(max_examples=300, deadline=None)
@given(
    pattern=st.sampled_from(PATTERNS),
    cells=st.lists(st.one_of(st.none(), st.text(alphabet=CHARACTERS, max_size=12)), min_size=1, max_size=8),
)
def test_never_says_all_match_when_one_does_not(pattern: str, cells: list[str | None]) -> None:
    if all_match(_arrow_column(cells), pattern):
        assert all(_matches_in_both(cell, pattern) for cell in cells if cell is not None)


@settings(max_examples=200, deadline=None)
@given(data=st.data(), pattern=st.sampled_from(PATTERNS))
def test_says_all_match_for_cells_of_the_class(data: st.DataObject, pattern: str) -> None:
    shape = class_pattern(pattern)
    assert shape is not None
    longest = 12 if shape.longest is None else shape.longest
    members = shape.members.decode("ascii")
    if not members:
        return
    cells = data.draw(
        st.lists(st.text(alphabet=members, min_size=shape.shortest, max_size=longest), min_size=1, max_size=8)
    )
    assert all_match(_arrow_column(cells), pattern)


def test_contract_pattern_of_pseudonyms() -> None:
    shape = class_pattern(CONTRACT_PATTERN)
    assert shape is not None
    expected = "-." + "0123456789" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ" + "_" + "abcdefghijklmnopqrstuvwxyz"
    assert shape.members.decode("ascii") == expected
    assert (shape.shortest, shape.longest) == (1, 40)


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["P0000001", "P0000002", "x.y-z_9"], True),
        (["P0000001", None, "P0000003"], True),  # a missing cell is not checked (pandera: ignore_na)
        (["P0000001", "P 2"], False),  # a space
        (["P0000001", "x" * 41], False),  # one character too many
        (["P0000001", ""], False),  # too short
        (["P0000001", "Pø"], False),  # not ASCII: left to pandera
        (["P0000001\n"], False),  # Python's $ matches before a final line break, RE2's does not
    ],
)
def test_cells(cells: list[str | None], expected: bool) -> None:
    assert all_match(_arrow_column(cells), CONTRACT_PATTERN) is expected


@pytest.mark.parametrize("cell", ["\x1c", "\x0b", " \x1c"])
def test_white_space_only_one_engine_counts(cell: str) -> None:
    # Python's \s takes the file and vertical-tab separators, RE2's does not: neither counts.
    assert re.match(r"^[\s]*$", cell)
    assert not pc.match_substring_regex(pa.array([cell]), r"^[\s]*$")[0].as_py()
    assert not all_match(_arrow_column([cell]), r"^[\s]*$")
    assert all_match(_arrow_column([" \t"]), r"^[\s]*$")


def test_cells_over_several_chunks() -> None:
    column = pd.Series(
        pd.arrays.ArrowStringArray(pa.chunked_array([pa.array(["P1", "P2"]), pa.array(["P3", "bad id"])]))
    )
    assert not all_match(column, CONTRACT_PATTERN)
    assert all_match(column.iloc[:3].reset_index(drop=True), CONTRACT_PATTERN)


@pytest.mark.parametrize(
    "pattern",
    [r"^P[0-9]{7}$", r"^[a-z]+", r"[a-z]+$", r"^([a-z])+$", r"^[a-z]{3,2}$", r"^(?i)[a-z]+$", r"^[a-z]+|x$"],
)
def test_other_shapes_left_to_pandera(pattern: str) -> None:
    assert class_pattern(pattern) is None
    assert not all_match(_arrow_column(["abc"]), pattern)


def test_text_not_held_by_arrow_left_to_pandera() -> None:
    assert not all_match(pd.Series(["P1", "P2"], dtype=object), CONTRACT_PATTERN)
