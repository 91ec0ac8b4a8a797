"""The fast CSV readers (Arrow's, pandas' C parser) give exactly what the careful one gives.

:func:`outcomes.inputs.readers.read_csv_text` reads a file whose physical lines are
its records (no quotes, ``\\n`` or ``\\r\\n`` line ends) with Arrow's reader when
every row is as wide as the header, else with pandas, and any other file, or
any file those stumble on, with Python's ``csv`` module. All three must give
the same table (cells, dtypes, line numbers), notes, blank-row count, encoding
and separator, or the same error, on every file.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outcomes.core.errors import InputError
from outcomes.inputs import columnar, readers
from outcomes.inputs.readers import arrow_csv, delimited
from outcomes.inputs.readers.delimited import _read_csv_text
from tests.inputs.arrow_spy import spy_arrow


def _outcome(path: Path, fast: bool, arrow: bool = True) -> tuple[str, object]:
    try:
        table = _read_csv_text(path, fast=fast, arrow=arrow)
    except InputError as exc:
        return "error", (str(exc), sorted((k, str(v)) for k, v in vars(exc).items()))
    return "table", table


def _assert_same(path: Path) -> str:
    """The three readers agree on ``path``; returns "table" or "error"."""
    slow_kind, slow = _outcome(path, fast=False)
    _assert_same_as(path, slow_kind, slow, arrow=False)
    return _assert_same_as(path, slow_kind, slow, arrow=True)


def _assert_same_as(path: Path, slow_kind: str, slow: object, arrow: bool) -> str:
    """The quick readers (with Arrow's or without) give what the careful one gave."""
    fast_kind, fast = _outcome(path, fast=True, arrow=arrow)
    assert fast_kind == slow_kind, (fast, slow)
    if slow_kind == "error":
        assert fast == slow
        return "error"
    assert isinstance(fast, readers.RawTable) and isinstance(slow, readers.RawTable)
    pd.testing.assert_frame_equal(fast.data, slow.data)
    assert list(fast.data.dtypes.astype(str)) == list(slow.data.dtypes.astype(str))
    assert (fast.file, fast.encoding, fast.delimiter, fast.blank_rows, fast.notes) == (
        slow.file,
        slow.encoding,
        slow.delimiter,
        slow.blank_rows,
        slow.notes,
    )
    return "table"


def _took_fast_path(path: Path, monkeypatch: pytest.MonkeyPatch) -> bool:
    calls: list[int] = []
    careful = delimited._read_records

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return careful(*args, **kwargs)

    with monkeypatch.context() as m:
        m.setattr(delimited, "_read_records", spy)
        try:
            readers.read_csv_text(path)
        except InputError:
            pass
    return not calls


def _took_arrow_path(path: Path, monkeypatch: pytest.MonkeyPatch) -> bool:
    with monkeypatch.context() as m:
        taken = spy_arrow(m)
        try:
            readers.read_csv_text(path)
        except InputError:
            pass
    return any(taken)


H = "participant_id;department;followup_year;status"

# name: (text, encoding, whether the fast reader should take the file)
CASES: dict[str, tuple[str, str, bool]] = {
    "plain": (f"{H}\nP1;A;2020;arbeid\nP2;B;2021;skole\n", "utf-8", True),
    "no final line break": (f"{H}\nP1;A;2020;arbeid\nP2;B;2021;skole", "utf-8", True),
    "blank lines before, inside, after": (
        f"\n\n  \n{H}\n\nP1;A;2020;arbeid\n   \n\t\nP2;B;2021;skole\n\n\n",
        "utf-8",
        True,
    ),
    "separator-only lines": (f";;;\n{H}\n;;;\n P1 ;A;2020;arbeid\n ; ; ; \nP2;B;2021;skole\n;;\n", "utf-8", True),
    "fewer cells": (f"{H}\nP1;A\nP2\nP3;C;2022\n", "utf-8", True),
    "surrounding spaces": (
        " participant_id ; department;followup_year ;status\n  P1\t; A ;  2020;arbeid  \n",
        "utf-8",
        True,
    ),
    "crlf": (f"{H}\r\nP1;A;2020;arbeid\r\n\r\nP2;B;2021;skole\r\n", "utf-8", True),
    "crlf without final": (f"{H}\r\nP1;A;2020;arbeid\r\n  \r\nP2;B;2021;skole", "utf-8", True),
    "comma": (
        "participant_id,department,followup_year,status\nP1,A,2020,arbeid\n,,,\nP2,B,2021,skole\n",
        "utf-8",
        True,
    ),
    "tab": (
        "participant_id\tdepartment\tfollowup_year\tstatus\nP1\tA\t2020\tarbeid\n\t\t\t\nP2\tB\t\t\n",
        "utf-8",
        True,
    ),
    "pipe": ("participant_id|department|followup_year|status\nP1|A|2020|arbeid\nP2| B |2021|\n", "utf-8", True),
    "windows-1252": (f"{H}\nP1;Avd Øst;2020;lærling\nP2;Ås;2021;utdanning\n", "cp1252", True),
    "bom": (f"\ufeff{H}\nP1;A;2020;arbeid\n", "utf-8", True),
    "header only": (f"{H}\n\n\n", "utf-8", True),
    "only blank data rows": (f"{H}\n;;;\n   \n", "utf-8", True),
    "non-ascii spaces": (f"{H}\n\u00a0P1\u2009;A\u3000;2020;arbeid\n\u00a0;\u2003;;\n", "utf-8", True),
    "odd controls kept": (f"{H}\nP\x1a1;A\x07;2020;arbeid\n", "utf-8", True),
    "comment-like and numbers": (f"{H}\n#P1;A;1.234,5;nan\nNA;NULL;-;N/A\n", "utf-8", True),
    "one column": ("participant_id\nP1\n\nP2\n", "utf-8", True),
    # the careful reader is needed (and words the errors)
    "quotes": (f'{H}\n"P1";"A; B";2020;arbeid\n', "utf-8", False),
    "quoted line break": (f'{H}\nP1;"A\nB";2020;arbeid\nP2;B;2021;skole\n', "utf-8", False),
    "stray quote": (f'{H}\nP1;A";2020;arbeid\nP2;B;2021;skole\n', "utf-8", False),
    "unclosed quote": (f'{H}\nP1;"A;2020;arbeid\nP2;B;2021;skole\n', "utf-8", False),
    "too many cells": (f"{H}\nP1;A;2020;arbeid;extra\n", "utf-8", False),
    "too many cells late": (f"{H}\nP1;A;2020;arbeid\n" * 3 + "P9;A;2020;arbeid;x\n", "utf-8", False),
    "trailing separators": (f"{H}\nP1;A;2020;arbeid;\nP2;B;2021;skole;;\n", "utf-8", False),
    "lone cr": (f"{H}\rP1;A;2020;arbeid\rP2;B;2021;skole\r", "utf-8", False),
    "mixed cr": (f"{H}\nP1;A;2020;arb\reid\n", "utf-8", False),
    "form feed": (f"{H}\nP1;A\x0cB;2020;arbeid\n", "utf-8", False),
    "unicode line separator": (f"{H}\nP1;A\u2028B;2020;arbeid\n", "utf-8", False),
    "next line": (f"{H}\nP1;A\x85B;2020;arbeid\n", "utf-8", False),
    "bom inside": (f"{H}\n\ufeffP1;A;2020;arbeid\n", "utf-8", False),
    "nul after 4096 bytes": (f"{H}\n" + "P1;A;2020;arbeid\n" * 300 + "P2;A\x00;2020;arbeid\n", "utf-8", False),
    "cell above csv field limit": (f"{H}\nP1;{'A' * 131073};2020;arbeid\n", "utf-8", False),
    "empty header cell": ("participant_id;;followup_year\nP1;A;2020\n", "utf-8", True),
    "duplicate header": ("participant_id;Department;department\nP1;A;B\n", "utf-8", True),
    "only spaces": ("  \n\t\n", "utf-8", True),
    "only separators": (";;;\n ; ;\n", "utf-8", False),
}


#: Files the pandas reader takes but Arrow's leaves to it: a line of spaces, or a row
#: narrower than the header, splits into fewer cells than the header has; a file
#: that is not UTF-8 is decoded first.
NOT_ARROW = {
    "blank lines before, inside, after",
    "separator-only lines",
    "fewer cells",
    "crlf without final",
    "windows-1252",
    "only blank data rows",
}


@pytest.mark.parametrize("name", list(CASES))
def test_fast_and_careful_readers_agree(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text, encoding, fast = CASES[name]
    path = tmp_path / "input.csv"
    path.write_bytes(text.encode(encoding))
    _assert_same(path)
    if name not in ("empty header cell", "duplicate header", "only spaces"):  # refused before either reader
        assert _took_fast_path(path, monkeypatch) is fast
        assert _took_arrow_path(path, monkeypatch) is (fast and name not in NOT_ARROW)


def test_blank_rows_and_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "input.csv"
    path.write_bytes(f"\n;;;\n{H}\r\n\r\n P1 ;A;2020;arbeid\r\n ; ;\t;\r\nP2;B\r\n\r\n".encode())
    table = readers.read_csv_text(path)
    assert table.data[readers.LINE].tolist() == [5, 7]
    assert table.data["participant_id"].tolist() == ["P1", "P2"]
    assert table.data["status"].tolist() == ["arbeid", ""]
    assert table.blank_rows == 3
    assert table.notes[-1] == "3 blank row(s) skipped"


_CELL_CHARS = st.characters(
    codec="utf-8",
    exclude_categories=("Cs",),
    exclude_characters='"\x00\r\n',  # no quotes: files the fast reader may take
)
_CELL = st.one_of(
    st.sampled_from(["", " ", "\t", "P1", " 2020 ", "arbeid", "Ås", "1,5", "12345678901", "-", "nan", "#x"]),
    st.text(_CELL_CHARS, max_size=6),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    header=st.lists(
        st.sampled_from(["id", "Dept", "år", "status", " x ", "b c", "ø"]),
        min_size=1,
        max_size=4,
        unique_by=str.casefold,
    ),
    rows=st.lists(st.lists(_CELL, max_size=5), max_size=8),
    delimiter=st.sampled_from([";", ",", "\t", "|"]),
    line_end=st.sampled_from(["\n", "\r\n"]),
    before=st.sampled_from(["", "\n", " \n", ";;\n"]),
    after=st.sampled_from(["", "\n", "\n\n", " \n"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
)
def test_readers_agree_on_random_tables(header, rows, delimiter, line_end, before, after, encoding) -> None:  # type: ignore[no-untyped-def]
    lines = [delimiter.join(header)] + [delimiter.join(r) for r in rows]
    text = before.replace("\n", line_end) + line_end.join(lines) + after.replace("\n", line_end)
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "input.csv"
        path.write_bytes(data)
        _assert_same(path)


@st.composite
def _bodies(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    """A header of one or three columns and rows as wide, some of them blank lines."""
    header = draw(st.sampled_from([["id"], ["id", "Dept", "status"]]))
    row = st.lists(_CELL, min_size=len(header), max_size=len(header))
    return header, draw(st.lists(st.one_of(row, st.just([])), min_size=1, max_size=12))


@settings(max_examples=200, deadline=None)
@given(
    body=_bodies(),
    delimiter=st.sampled_from([";", ","]),
    line_end=st.sampled_from(["\n", "\r\n"]),
    parts=st.integers(2, 4),
)
def test_a_file_read_in_parts_reads_as_the_careful_reader_reads_it(body, delimiter, line_end, parts) -> None:  # type: ignore[no-untyped-def]
    """A large file's body is cut after line breaks and its parts parsed side by side: same table, lines, blanks."""
    header, rows = body
    text = line_end.join([delimiter.join(header)] + [delimiter.join(r) for r in rows]) + line_end
    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as m:
        m.setattr(arrow_csv, "PART_BYTES", 1)  # every file is "large"
        m.setattr(arrow_csv, "MAX_PARTS", parts)
        path = Path(tmp) / "input.csv"
        path.write_bytes(text.encode("utf-8"))
        _assert_same(path)


@pytest.mark.parametrize("space", list(columnar.WHITESPACE), ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize("where", ["start", "end", "alone"])
@pytest.mark.parametrize("distinct", [False, True], ids=["few values", "mostly different values"])
def test_cells_are_trimmed_as_str_strip_trims(space: str, where: str, distinct: bool) -> None:
    """Every character ``str.strip()`` takes off, at the start or the end of a cell, in both kinds of column."""
    count = columnar.SAMPLE + 10 if distinct else 50
    cells = [f"P{i:06d}" if distinct else f"Å{i % 3}" for i in range(count)]
    cells[7] = {"start": space + cells[7], "end": cells[7] + space, "alone": space}[where]
    column = pa.chunked_array([pa.array(cells[:20], pa.large_string()), pa.array(cells[20:], pa.large_string())])
    trimmed, _, _ = arrow_csv._prepared(column)
    assert trimmed.to_pylist() == [cell.strip() for cell in cells]


def test_the_white_space_trimmed_is_what_str_strip_takes_off() -> None:
    """The reader's list of white space, written out, is every character Python's ``str.isspace`` knows."""
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())
    assert columnar.WHITESPACE == every
