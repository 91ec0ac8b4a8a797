"""CSV text is what pandas writes, whichever writer wrote it (pandas' or, for large tables, Arrow's)."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from outcomes.core import csvtext


def _pandas(frame: pd.DataFrame) -> str:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()


_TEXT = st.one_of(
    st.none(),
    st.sampled_from(["", " ", "a,b", 'say "hi"', "two\nlines", "cr\rhere", "Ås", "  padded ", "\u2028", "=1+1"]),
    st.text(max_size=5),
)
_WHOLE = st.one_of(st.none(), st.integers(-(2**53), 2**53))


@st.composite
def _frames(draw: st.DrawFn) -> pd.DataFrame:
    rows = draw(st.integers(0, 6))
    kinds = draw(st.lists(st.sampled_from(["text", "Int64", "int64"]), min_size=1, max_size=4))
    columns: dict[str, object] = {}
    for i, kind in enumerate(kinds):
        name = draw(st.sampled_from(["a", "b c", "år", "x,y", 'q"'])) + str(i)
        if kind == "text":
            columns[name] = pd.array(draw(st.lists(_TEXT, min_size=rows, max_size=rows)), dtype="string")
        elif kind == "Int64":
            columns[name] = pd.array(draw(st.lists(_WHOLE, min_size=rows, max_size=rows)), dtype="Int64")
        else:
            columns[name] = draw(st.lists(st.integers(-(2**62), 2**62), min_size=rows, max_size=rows))
    return pd.DataFrame(columns)


@settings(max_examples=300, deadline=None)
@given(_frames())
def test_csv_text_is_what_pandas_writes(frame: pd.DataFrame) -> None:
    with pytest.MonkeyPatch.context() as m:
        m.setattr(csvtext, "ARROW_ROWS", 0)  # Arrow's writer tried on every table
        assert csvtext.csv_text(frame) == _pandas(frame)
        assert csvtext.csv_bytes(frame) == _pandas(frame).encode("utf-8")


def test_a_large_table_is_written_by_arrow_unless_a_cell_needs_quotes(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = csvtext.ARROW_ROWS
    frame = pd.DataFrame(
        {
            "participant_id": pd.array([f"P{i:07d}" for i in range(rows)], dtype="string"),
            "followup_year": pd.array([2020 + i % 5 if i % 7 else None for i in range(rows)], dtype="Int64"),
            "_line": range(2, rows + 2),
        }
    )
    written: list[bool] = []
    real = csvtext._write_arrow_csv_body

    def spy(table: pd.DataFrame, buffer: io.BytesIO) -> None:
        try:
            real(table, buffer)
        except Exception:
            written.append(False)
            raise
        written.append(True)

    monkeypatch.setattr(csvtext, "_write_arrow_csv_body", spy)
    assert csvtext.csv_text(frame) == _pandas(frame)
    assert csvtext.csv_bytes(frame) == _pandas(frame).encode("utf-8")
    frame.loc[rows - 1, "participant_id"] = "P1,2"  # needs quotes: pandas writes it
    assert csvtext.csv_text(frame) == _pandas(frame)
    assert '"P1,2"' in csvtext.csv_text(frame)
    assert csvtext.csv_bytes(frame) == _pandas(frame).encode("utf-8")
    assert written == [True, True, False, False, False]
