"""Frames as JSON records: the values :func:`jsonable` gives cell by cell, column by column.

``records`` converts whole columns at once (floats through NumPy, text through
one Python string per distinct value); these tests hold it to the cell-by-cell
rule and to values written out by hand.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from outcomes.core.jsonable import jsonable, records


def test_values_by_hand() -> None:
    frame = pd.DataFrame(
        {
            "rate": [12.345, np.nan, np.inf],
            "n": pd.array([5, None, 7], dtype="Int64"),
            "whole": [1, 2, 3],
            "flag": [True, False, True],
            "code": pd.array(["0301", "0301", "1103"], dtype="string"),
            "status": pd.array(["", None, ":"], dtype="string"),
        }
    )
    assert records(frame, digits=1) == [
        {"rate": 12.3, "n": 5, "whole": 1, "flag": True, "code": "0301", "status": ""},
        {"rate": None, "n": None, "whole": 2, "flag": False, "code": "0301", "status": None},
        {"rate": None, "n": 7, "whole": 3, "flag": True, "code": "1103", "status": ":"},
    ]
    assert records(None) == [] and records(frame.iloc[:0]) == []


def test_repeated_text_is_one_string() -> None:
    # A large table's codes and names repeat: one str object per distinct value, not one per cell.
    frame = pd.DataFrame({"code": pd.array(["0301", "1103"] * 3, dtype="string")})
    cells = [row["code"] for row in records(frame)]
    assert cells == ["0301", "1103"] * 3
    assert all(cell is cells[0] for cell in cells[::2]) and all(cell is cells[1] for cell in cells[1::2])


_FLOATS = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-(10**6), 10**6).map(float))
_TEXT = st.one_of(st.none(), st.sampled_from(["", "a", "0301", "Oslo", "ø"]))


@settings(max_examples=100, deadline=None)
@given(
    rows=st.lists(st.tuples(_FLOATS, st.integers(-(10**9), 10**9), st.booleans(), _TEXT), min_size=1, max_size=12),
    digits=st.one_of(st.none(), st.integers(0, 4)),
    text_dtype=st.sampled_from(["string", "str", object]),
)
def test_same_as_cell_by_cell(
    rows: list[tuple[float, int, bool, str | None]], digits: int | None, text_dtype: object
) -> None:
    floats, ints, flags, texts = (list(column) for column in zip(*rows, strict=True))
    frame = pd.DataFrame(
        {
            "x": floats,
            "i": ints,
            "b": flags,
            "t": pd.Series(texts, dtype=text_dtype),
        }
    )
    expected = [{column: jsonable(value, digits) for column, value in row.items()} for row in frame.to_dict("records")]
    got = records(frame, digits)
    assert got == expected or _same_with_nan(got, expected)


def _same_with_nan(got: list[dict[str, object]], expected: list[dict[str, object]]) -> bool:
    """Equal, counting a float NaN equal to itself (jsonable never gives one; this only makes the failure readable)."""
    return all(
        g.keys() == e.keys()
        and all(
            gv == ev or (isinstance(gv, float) and isinstance(ev, float) and math.isnan(gv) and math.isnan(ev))
            for gv, ev in zip(g.values(), e.values(), strict=True)
        )
        for g, e in zip(got, expected, strict=True)
    )
