"""map_distinct gives what Series.map gives, asking once per distinct value."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from outcomes.core.lookup import map_distinct

LEVELS = {"municipality": 0, "region": 1, "county": 2, "country": 3}


@settings(max_examples=150, deadline=None)
@given(
    cells=st.lists(st.one_of(st.none(), st.sampled_from([*LEVELS, "other", ""])), max_size=30),
    dtype=st.sampled_from(["str", object]),
    by=st.sampled_from(["mapping", "function", "text"]),
)
def test_same_as_series_map(cells: list[str | None], dtype: object, by: str) -> None:
    values = pd.Series(cells, dtype=dtype, index=range(10, 10 + len(cells)), name="level")
    mapping = {
        "mapping": LEVELS,
        "function": lambda v: isinstance(v, str) and v.startswith("c"),
        "text": {k: k.upper() for k in LEVELS},
    }[by]
    expected = values.map(mapping)
    got = map_distinct(values, mapping)
    pd.testing.assert_index_equal(got.index, values.index)
    assert got.name == "level"
    assert got.isna().tolist() == expected.isna().tolist()
    assert got[got.notna()].tolist() == expected[expected.notna()].tolist()
    if None not in cells and expected.notna().any():  # pandas picks a dtype of its own for all-missing answers
        assert got.dtype == expected.dtype


def test_function_asked_once_per_distinct_value() -> None:
    asked: list[str] = []
    values = pd.Series(["0301", "1103", "0301", "0301"], dtype="str")
    got = map_distinct(values, lambda code: asked.append(code) or code.startswith("03"))
    assert got.tolist() == [True, False, True, True]
    assert asked == ["0301", "1103"]


@pytest.mark.parametrize("dtype", ["str", object])
def test_empty(dtype: object) -> None:
    assert map_distinct(pd.Series([], dtype=dtype), LEVELS).empty
