"""The quick intake (Arrow's reader, checks on distinct values) and the careful one give the same outcome.

A large file goes through Arrow's CSV reader into Arrow-backed columns, and a
column of mostly different values (pseudonyms) is checked cell by cell rather
than taken apart into distinct values first. The careful path (Python's ``csv``
module, every column taken apart) must give the same accepted table, the same
problems with the same line numbers, the same rejects and the same errors. The
expected line numbers and counts below are worked out from how each file is
written, not taken from the code's output.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from outcomes.core.errors import IdentityDataError, InputError
from outcomes.inputs import columnar, intake, readers
from outcomes.inputs.intake import IntakeResult, intake_file
from outcomes.inputs.readers import arrow_csv, delimited
from outcomes.registries.statuses import load_status_map
from tests.conftest import ROOT
from tests.inputs.arrow_spy import spy_arrow

HEADER = "participant_id;department;followup_year;status"
ROWS = 30_000  # more than columnar.SAMPLE: the pseudonyms are checked cell by cell
VALID_FNR = "15059012387"  # worked out by hand in tests/inputs/test_intake.py


@pytest.fixture(autouse=True, params=["whole", "in parts"])
def _parts(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test twice: the body read at once, and read in three parts (as a large file is, one per core)."""
    if request.param == "in parts":
        monkeypatch.setattr(arrow_csv, "PART_BYTES", 50_000)
        monkeypatch.setattr(arrow_csv, "MAX_PARTS", 3)


@pytest.fixture(scope="module")
def status_map():
    return load_status_map(ROOT / "config" / "status_map.yml")


def _rows(count: int = ROWS) -> list[str]:
    """Clean rows: P0000000 ... with two departments, years 2015-2024, three labels of the status map."""
    labels = ["Utdanning", "Arbeid", "NEET"]
    return [f"P{i:07d};Avdeling {i % 2};{2015 + i % 10};{labels[i % 3]}" for i in range(count)]


def _write(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _careful(path: Path, content: bytes | None = None) -> readers.RawTable:
    return delimited._read_csv_text(path, fast=False, content=content)


def _outcome(path: Path, status_map, *, careful: bool, monkeypatch: pytest.MonkeyPatch) -> object:
    """The intake's result (or error) on the quick path, or on the careful one."""
    with monkeypatch.context() as m:
        if careful:
            m.setattr(readers, "read_csv_text", _careful)
            m.setattr(columnar, "SAMPLE", 10**9)  # every column taken apart into distinct values
            m.setattr(intake, "encodings_shared", contextlib.nullcontext)  # by each check on its own
        try:
            return intake_file(path, "followup", status_map=status_map, write=False, use_cache=False)
        except InputError as exc:
            return type(exc), str(exc), sorted((k, str(v)) for k, v in vars(exc).items())


def _assert_same(path: Path, status_map, monkeypatch: pytest.MonkeyPatch) -> object:
    quick = _outcome(path, status_map, careful=False, monkeypatch=monkeypatch)
    careful = _outcome(path, status_map, careful=True, monkeypatch=monkeypatch)
    if not isinstance(quick, IntakeResult) or not isinstance(careful, IntakeResult):
        assert quick == careful
        return quick
    pd.testing.assert_frame_equal(quick.data, careful.data)
    pd.testing.assert_frame_equal(quick.problems, careful.problems)
    assert quick.summary == careful.summary
    return quick


def test_clean_large_file(tmp_path: Path, status_map, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path / "f.csv", _rows())
    taken = spy_arrow(monkeypatch)
    result = _assert_same(path, status_map, monkeypatch)
    assert taken[0] is True
    assert isinstance(result, IntakeResult)
    assert (result.summary.rows_read, result.summary.rows_accepted) == (ROWS, ROWS)
    assert result.data["_line"].iloc[-1] == ROWS + 1  # header on line 1
    assert result.data["status"].iloc[:3].tolist() == ["education", "work", "neet"]


def test_bad_rows_in_the_middle_keep_their_line_numbers(
    tmp_path: Path, status_map, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = _rows()
    rows[15_000] = "P0015000;Avdeling 0;20x5;Arbeid"  # line 15002: not a whole number
    rows[20_000] = "P0000007;Avdeling 0;2022;Utdanning"  # line 20002 repeats line 9 (P0000007, 2022)
    rows[25_000] = "P 25000;Avdeling 0;2020;Arbeid"  # line 25002: a space is not allowed in a pseudonym
    rows[27_000] = "P0027000;;2020;Romfart"  # line 27002: no department, label not in the map
    path = _write(tmp_path / "f.csv", rows)
    taken = spy_arrow(monkeypatch)
    result = _assert_same(path, status_map, monkeypatch)
    assert taken[0] is True
    assert isinstance(result, IntakeResult)
    problems = result.problems
    assert problems["line"].tolist() == [9, 15002, 20002, 25002, 27002, 27002]
    assert problems["column"].tolist() == [
        "participant_id, followup_year",
        "followup_year",
        "participant_id, followup_year",
        "participant_id",
        "department",
        "status",
    ]
    assert problems["problem"].tolist()[:3] == [
        "duplicate record (repeated on a later line)",
        "not a whole number",
        "duplicate record (also on line 9)",
    ]
    assert problems["value"].tolist()[3] == "P 25000"
    assert (result.summary.rows_read, result.summary.rows_rejected) == (ROWS, 5)


@pytest.mark.parametrize(
    ("index", "bad_row", "message"),
    [
        (12_345, "P0012345;Avdeling 1;2020;Arbeid;extra", "the row has 5 cells but the header has 4"),
        # near the end: the rest of the file, read as one value, stays within the csv module's limit
        (29_990, 'P0029990;"Avdeling 1;2020;Arbeid', 'a quote (") opened on this line is never closed'),
    ],
)
def test_unreadable_row_named_by_line(
    tmp_path: Path, status_map, monkeypatch: pytest.MonkeyPatch, index: int, bad_row: str, message: str
) -> None:
    rows = _rows()
    rows[index] = bad_row
    line = index + 2  # the header is line 1
    path = _write(tmp_path / "f.csv", rows)
    taken = spy_arrow(monkeypatch)
    outcome = _assert_same(path, status_map, monkeypatch)
    assert taken[0] is False  # left to the readers that word the error
    assert isinstance(outcome, tuple)
    assert outcome[0] is InputError and message in outcome[1]
    assert ("line", str(line)) in outcome[2]


@pytest.mark.parametrize(
    ("change", "column"),
    [
        (lambda rows: rows.__setitem__(17_000, f"{VALID_FNR};Avdeling 0;2020;Arbeid"), "participant_id"),
        (lambda rows: rows.__setitem__(17_000, f"P0017000;Avdeling {VALID_FNR};2020;Arbeid"), "department"),
    ],
)
def test_identity_number_in_a_large_file_refused_the_same_way(
    tmp_path: Path, status_map, monkeypatch: pytest.MonkeyPatch, change: Callable[[list[str]], None], column: str
) -> None:
    rows = _rows()
    change(rows)
    path = _write(tmp_path / "f.csv", rows)
    outcome = _assert_same(path, status_map, monkeypatch)
    assert isinstance(outcome, tuple) and outcome[0] is IdentityDataError
    assert VALID_FNR not in outcome[1]
    assert ("column", column) in outcome[2]


def test_name_column_in_a_large_file_refused_the_same_way(
    tmp_path: Path, status_map, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "f.csv"
    path.write_text(HEADER + ";Etternavn\n" + "\n".join(f"{r};Hansen" for r in _rows()) + "\n", encoding="utf-8")
    outcome = _assert_same(path, status_map, monkeypatch)
    assert isinstance(outcome, tuple) and outcome[0] is IdentityDataError and "Etternavn" in outcome[1]


def test_blank_rows_and_trimmed_cells_in_a_large_file(
    tmp_path: Path, status_map, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = _rows()
    rows[100] = ";;;"  # line 102: blank
    rows[200] = ""  # line 202: blank
    rows[300] = " P0000300\u00a0; Avdeling 0 ;\t2015 ;Utdanning "  # trimmed like str.strip()
    path = tmp_path / "f.csv"
    path.write_text(HEADER + "\r\n" + "\r\n".join(rows) + "\r\n\r\n", encoding="utf-8")  # and one at the end
    taken = spy_arrow(monkeypatch)
    result = _assert_same(path, status_map, monkeypatch)
    assert taken[0] is True
    assert isinstance(result, IntakeResult)
    assert result.summary.blank_rows == 3
    assert result.summary.rows_read == ROWS - 2
    assert 102 not in result.data["_line"].tolist() and 202 not in result.data["_line"].tolist()
    row = result.data[result.data["_line"] == 302].iloc[0]
    assert (row["participant_id"], row["department"], row["followup_year"]) == ("P0000300", "Avdeling 0", 2015)


_KEY = st.one_of(st.none(), st.sampled_from(["a", "b", "", "ab", "Å"]))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_KEY, st.integers(0, 3)), max_size=30))
def test_duplicated_rows_as_pandas(keys: list[tuple[str | None, int]]) -> None:
    text = pd.Series([k for k, _ in keys], dtype="string")
    numbers = np.asarray([n for _, n in keys], dtype=np.int32)
    expected = pd.DataFrame({"t": text, "n": numbers}).duplicated(keep=False).to_numpy()
    assert columnar.duplicated_rows([text, numbers]).tolist() == expected.tolist()


#: Pseudonyms of one width (as most are), few enough that some repeat: the quick test for a
#: column without repeats folds each cell into one number, its bytes themselves up to eight.
_CODE = st.integers(1, 20).flatmap(lambda width: st.lists(st.text("AB9", min_size=width, max_size=width), max_size=40))


@settings(max_examples=200, deadline=None)
@given(_CODE, st.integers(0, 2))
def test_duplicated_rows_of_codes_as_pandas(codes: list[str], chunks: int) -> None:
    cut = [len(codes) * i // (chunks + 1) for i in range(chunks + 2)]
    parts = [codes[start:end] for start, end in zip(cut, cut[1:], strict=False)]
    arrow = pa.chunked_array([pa.array(part, type=pa.large_string()) for part in parts], type=pa.large_string())
    text = pd.Series(pd.arrays.ArrowStringArray(arrow))
    numbers = np.zeros(len(codes), dtype=np.int32)
    expected = pd.Series(codes, dtype=object).duplicated(keep=False).to_numpy()
    assert columnar.duplicated_rows([text, numbers]).tolist() == expected.tolist()


def test_shared_encodings_answer_for_the_cells_asked_about() -> None:
    """In the intake's block a column is taken apart once; a slice, another column or name gets its own answer."""
    cells = pa.chunked_array([["b", "a", "b", "c"] * 5, ["a", "d"]], type=pa.large_string())
    column = pd.Series(pd.arrays.ArrowStringArray(cells), name="x")
    others = [column, column.rename("y"), column.iloc[3:], column.iloc[:-2], column.str.upper(), column.copy()]
    alone = [columnar.factorize_text(values) for values in others]
    with columnar.encodings_shared():
        shared = [columnar.factorize_text(values) for values in others + others]
    for (codes, distinct), (want_codes, want_distinct) in zip(shared, alone + alone, strict=True):
        assert codes.tolist() == want_codes.tolist()
        pd.testing.assert_series_equal(distinct, want_distinct)


@pytest.mark.parametrize(
    ("cells", "plain"),
    [
        (["P1", "P22", "x.y"], True),
        (["P1", " P2"], False),  # white space at the start
        (["P1", "P2\u00a0"], False),  # a no-break space at the end
        (["P1", ""], False),  # an empty cell
        (["P1", None], False),  # a missing cell
    ],
)
def test_plain_text(cells: list[str | None], plain: bool) -> None:
    arrow = pd.Series(
        pd.arrays.ArrowStringArray(
            pa.chunked_array([pa.array(cells[:1], pa.string()), pa.array(cells[1:], pa.string())])
        )
    )
    assert columnar.plain_text(arrow) is plain
    assert columnar.plain_text(pd.Series(cells, dtype=object)) is False  # not held by Arrow: cells looked at one by one


#: Cells of letters, white space of several kinds (one byte and several) and nothing at all.
_EDGE_CELL = st.text(st.sampled_from(["a", "Å", " ", "\t", "\u00a0", "\u3000", "\u2028", "x"]), max_size=4)


@settings(max_examples=300, deadline=None)
@given(st.lists(_EDGE_CELL, max_size=12), st.integers(0, 3), st.integers(0, 3))
def test_edge_space_and_plain_text_never_miss(cells: list[str], start: int, cut: int) -> None:
    """A cell with white space at an end, or an empty one, is never missed, in a slice of an array too.

    ``may_have_edge_space`` may say ``True`` where it is not (past an empty cell
    it looks at a neighbour's byte; "Å" ends in the byte that ends "\\x85"), and
    ``plain_text`` then says ``False``; on ASCII cells, none empty, both are exact.
    """
    chunk = pa.array(["pad", *cells, "pad"], type=pa.large_string()).slice(1 + min(start, len(cells)))
    chunk = chunk.slice(0, max(len(chunk) - 1 - cut, 0))
    shown = chunk.to_pylist()
    spaced = any(cell != cell.strip() for cell in shown)
    if spaced:
        assert columnar.may_have_edge_space(chunk)
    plain = all(cell and cell == cell.strip() for cell in shown)
    said = columnar.plain_text(pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([chunk]))))
    assert plain or not said
    if all(cell.isascii() for cell in shown) and all(shown):
        assert said is plain
        assert columnar.may_have_edge_space(chunk) is spaced


def test_arrow_parses_in_our_threads_when_stored_and_read_back(
    tmp_path: Path, status_map, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every CSV Arrow parses, checked or read back from its processed table, is parsed with ``use_threads=False``.

    Arrow's own thread pool, alive at exit, could abort a CLI run (exit -6): large
    files are cut into parts and parsed in threads of our own instead.
    """
    monkeypatch.setenv("OUTCOMES_ROOT", str(tmp_path))
    (tmp_path / "config").symlink_to(ROOT / "config")
    path = tmp_path / "large.csv"
    rows = [f"P{i:07d},Avdeling {i % 9},{2015 + i % 5},Arbeid" for i in range(120_000)]
    path.write_text("participant_id,department,followup_year,status\n" + "\n".join(rows) + "\n", encoding="utf-8")
    threads: list[bool] = []
    real = pacsv.read_csv

    def spy(source, read_options=None, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(read_options is None or read_options.use_threads)
        return real(source, read_options=read_options, **kwargs)

    monkeypatch.setattr(pacsv, "read_csv", spy)
    first = intake_file(path, "followup", status_map=status_map, programme="t")
    again = intake_file(path, "followup", status_map=status_map, programme="t")
    assert not first.from_cache and again.from_cache and len(again.data) == 120_000
    assert len(threads) >= 2 and not any(threads)  # the input and its processed table, each whole or in parts
