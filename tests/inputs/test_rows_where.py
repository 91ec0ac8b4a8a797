"""Selecting rows after the contract check: what pandas selects, without copying text cells.

:func:`outcomes.inputs.columnar.rows_where` puts a selection in few runs together
from slices of each Arrow text column; :func:`outcomes.inputs.validation._at_lines`
finds the rows of the lines with problems by bisection. Both are held here to
pandas (``frame.loc[mask]``, ``Series.isin``) on random tables, and the intake of
a large file with rejected rows to the rows and the bytes of the careful path.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from outcomes.inputs import columnar
from outcomes.inputs.intake import intake_file
from outcomes.inputs.validation import _at_lines
from outcomes.registries.statuses import load_status_map
from tests.conftest import ROOT

_TEXT = st.one_of(st.none(), st.text("ab Å", max_size=3))


def _frame(cells: list[tuple[str | None, int | None]], cuts: list[int]) -> pd.DataFrame:
    """Text held by Arrow in chunks cut at ``cuts`` (``str`` and ``string`` dtypes), Int64, int64 and dates."""
    texts = [text for text, _ in cells]
    bounds = sorted({0, len(texts), *(c % (len(texts) + 1) for c in cuts)})
    chunks = [pa.array(texts[a:b], type=pa.large_string()) for a, b in zip(bounds, bounds[1:], strict=False)]
    chunked = pa.chunked_array(chunks, type=pa.large_string())
    numbers = [number for _, number in cells]
    return pd.DataFrame(
        {
            "text": pd.arrays.ArrowStringArray(chunked, dtype=pd.StringDtype("pyarrow")),
            "str": pd.arrays.ArrowStringArray(chunked, dtype=pd.StringDtype("pyarrow", na_value=np.nan)),
            "whole": pd.array(numbers, dtype="Int64"),
            "line": np.arange(2, 2 + len(cells), dtype=np.int64),
            "date": pd.to_datetime(["2020-01-01"] * len(cells)) + pd.to_timedelta(np.arange(len(cells)), unit="D"),
        },
        index=pd.RangeIndex(len(cells)),
    )


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(_TEXT, st.one_of(st.none(), st.integers(-5, 5))), max_size=40),
    st.lists(st.integers(0, 40), max_size=4),
    st.data(),
)
def test_rows_where_as_pandas(cells: list[tuple[str | None, int | None]], cuts: list[int], data: st.DataObject) -> None:
    frame = _frame(cells, cuts)
    mask = np.asarray(data.draw(st.lists(st.booleans(), min_size=len(cells), max_size=len(cells))), dtype=bool)
    pd.testing.assert_frame_equal(columnar.rows_where(frame, mask), frame.loc[mask].reset_index(drop=True))


def test_rows_where_in_many_runs_left_to_pandas(monkeypatch: pytest.MonkeyPatch) -> None:
    frame = _frame([(str(i), i) for i in range(30)], [7, 19])
    mask = np.arange(30) % 2 == 0  # 15 runs
    monkeypatch.setattr(columnar, "MAX_RUNS", 4)
    pd.testing.assert_frame_equal(columnar.rows_where(frame, mask), frame.loc[mask].reset_index(drop=True))


def test_rows_where_copies_no_text_cell() -> None:
    """Dropping three rows of a long column keeps the text where it was (slices of the same buffers)."""
    frame = _frame([(f"P{i:05d}", i) for i in range(10_000)], [5_000])
    mask = np.ones(10_000, dtype=bool)
    mask[[10, 4_999, 9_999]] = False
    kept = columnar.rows_where(frame, mask)
    before = {c.buffers()[2].address for c in columnar.arrow_strings(frame["text"]).chunks}
    after = {c.buffers()[2].address for c in columnar.arrow_strings(kept["text"]).chunks}
    assert after <= before
    assert kept["text"].tolist() == frame.loc[mask, "text"].tolist()


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.integers(1, 60), max_size=40),
    st.lists(st.integers(0, 70), max_size=8),
    st.booleans(),
)
def test_at_lines_as_isin(lines: list[int], wanted: list[int], in_order: bool) -> None:
    """In file order (found by bisection) or not (lines of a table in another order), as ``isin`` finds them."""
    shown = np.asarray(sorted(set(lines)) if in_order else lines, dtype=np.int64)
    asked = np.asarray(wanted, dtype=np.int64)
    assert _at_lines(shown, asked).tolist() == pd.Series(shown).isin(set(wanted)).tolist()


def test_large_file_with_rejected_rows(tmp_path: Path) -> None:
    """The quick selection keeps and rejects the same rows as pandas: every line once, in order, text as read."""
    rows = ["participant_id,department,followup_year,status"]
    rows += [f"P{i:07d},Avdeling {i % 7},{2015 + i % 5},Arbeid" for i in range(30_000)]
    for line in (2, 15_001, 30_001):  # the first row, one in the middle and the last
        rows[line - 1] = rows[line - 1].replace(",Arbeid", ",Månetur")  # not in the status map
    path = tmp_path / "followup.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    status_map = load_status_map(ROOT / "config" / "status_map.yml")
    result = intake_file(path, "followup", status_map=status_map, write=False, use_cache=False)
    assert result.summary.rows_rejected == 3
    assert result.problems["line"].tolist() == [2, 15_001, 30_001]
    lines = result.data["_line"].tolist()
    assert lines == [n for n in range(2, 30_002) if n not in (2, 15_001, 30_001)]
    assert result.data["participant_id"].tolist()[:2] == ["P0000001", "P0000002"]
    assert result.data["participant_id"].tolist()[-1] == "P0029998"
