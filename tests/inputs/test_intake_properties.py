"""Property-based checks of intake: whatever a follow-up file holds, no row is lost.

Hypothesis writes follow-up tables that mix valid rows with malformed cells
(random text and unicode, empty cells, huge numbers, separators and line breaks
inside quoted values, wrong and fractional years, duplicates) as CSV with a
random separator and encoding. For every such file :func:`intake_file` either
refuses it with an :class:`OutcomesError` (never any other exception) or
accounts for every non-blank row written, and every accepted row satisfies the
contract.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outcomes.core.errors import OutcomesError
from outcomes.inputs.contracts import load_contract
from outcomes.inputs.intake import intake_file
from outcomes.registries.statuses import load_status_map
from tests.conftest import ROOT, make_project

HEADER = ["participant_id", "department", "followup_year", "status", "exit_year", "gender", "birth_year"]
THIS_YEAR = dt.date.today().year
STATUS_MAP = load_status_map(ROOT / "config" / "status_map.yml")
CANONICAL = set(STATUS_MAP.lookup().values())
CONTRACT = load_contract("followup")

# Random text: any printable or odd character except NUL (which makes a file
# "not text", tested elsewhere) and lone surrogates (which no encoding writes).
junk = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12)
years = st.integers(1980, THIS_YEAR + 5).map(str)
bad_numbers = st.sampled_from(
    ["2019,5", "2019.5", "1e400", "inf", "NaN", "9" * 30, "-2019", "２０１９", "2 019", "2019,0", " 2019 ", "1.234,5"]
)


def cell(valid: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Mostly valid values, sometimes empty, odd numbers or random text."""
    return st.one_of(valid, valid, valid, st.just(""), bad_numbers, junk)


rows = st.fixed_dictionaries(
    {
        "participant_id": cell(st.sampled_from(["UI0001", "UI0002", "UI0003", "ui-4", "P.5", "A_6", "UI 7", "UI#8"])),
        "department": cell(
            st.sampled_from(
                [
                    "Drammen",
                    "Kongsberg",
                    "Midt, fylket",
                    'Sør "nord"',
                    "Linje\nskift",
                    '=HYPERLINK("x")',
                    "Ålesund; sentrum",
                    "Tab\there",
                ]
            )
        ),
        "followup_year": cell(years),
        "status": cell(
            st.sampled_from(["Utdanning", "arbeid", " I JOBB ", "Tiltak", "Lærling", "NEET", "Romfart", "ikke svart"])
        ),
        "exit_year": cell(years),
        "gender": cell(st.sampled_from(["K", "m", "Kvinne", "gutt", "X", "ukjent"])),
        "birth_year": cell(st.integers(1940, THIS_YEAR).map(str)),
    }
)


@st.composite
def csv_files(draw: st.DrawFn) -> tuple[bytes, int, str]:
    """(file bytes, number of non-blank data rows written, encoding)."""
    table = draw(st.lists(rows, min_size=0, max_size=15))
    table += draw(st.lists(st.sampled_from(table), max_size=3)) if table else []  # exact duplicates
    table = draw(st.permutations(table))
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    terminator = draw(st.sampled_from(["\r\n", "\n"]))
    # With "\n" rows, Python's writer leaves a lone "\r" in a value unquoted, which
    # every reader (ours, Excel) rightly takes as a line break; quote everything then.
    quoting = csv.QUOTE_MINIMAL if terminator == "\r\n" else csv.QUOTE_ALL
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=terminator, quoting=quoting)
    writer.writerow(HEADER)
    for row in table:
        writer.writerow([row[c] for c in HEADER])
    if draw(st.booleans()):
        writer.writerow([""] * len(HEADER))  # trailing blank row, as Excel writes
    text = buffer.getvalue()
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        encoding = "utf-8"
        data = text.encode(encoding)
    nonblank = sum(1 for row in table if any(row[c].strip() for c in HEADER))
    return data, nonblank, encoding


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory):
    project = make_project(tmp_path_factory.mktemp("props") / "project")
    before = os.environ.get("OUTCOMES_ROOT")
    os.environ["OUTCOMES_ROOT"] = str(project)
    yield project
    if before is None:
        del os.environ["OUTCOMES_ROOT"]
    else:
        os.environ["OUTCOMES_ROOT"] = before


def assert_satisfies_contract(data: pd.DataFrame) -> None:
    """Every accepted row holds what the follow-up contract promises."""
    data = data.copy()
    for name in CONTRACT.columns:  # an optional column may be absent from the file
        if name not in data.columns:
            data[name] = pd.Series(pd.NA, index=data.index, dtype="Int64" if name.endswith("year") else "string")
    pattern = re.compile(CONTRACT.columns["participant_id"].pattern or "")
    assert all(pattern.fullmatch(v) for v in data["participant_id"])
    assert (data["department"].str.len() > 0).all()
    assert data["followup_year"].between(1990, THIS_YEAR).all()
    assert set(data["status"]) <= CANONICAL
    exit_year = data["exit_year"].dropna()
    assert exit_year.between(1990, THIS_YEAR).all()
    assert (exit_year <= data.loc[exit_year.index, "followup_year"]).all()
    allowed = {g.casefold() for g in CONTRACT.columns["gender"].allowed or []}
    assert all(g.casefold() in allowed for g in data["gender"].dropna())
    birth = data["birth_year"].dropna()
    age = data.loc[birth.index, "followup_year"] - birth
    assert birth.between(1950, THIS_YEAR).all() and age.between(13, 40).all()
    assert not data.duplicated(["participant_id", "followup_year"]).any()
    for column in ("participant_id", "department", "status"):
        assert data[column].notna().all()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(csv_files())
def test_every_row_accounted_for(root: Path, written: tuple[bytes, int, str]) -> None:
    data, nonblank, encoding = written
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "followup.csv"
        path.write_bytes(data)
        try:
            result = intake_file(path, "followup", status_map=STATUS_MAP, write=False)
        except OutcomesError as exc:
            assert exc.exit_code in (1, 2)
            assert "followup.csv" in str(exc)
            return
    s = result.summary
    assert s.rows_read == s.rows_accepted + s.rows_rejected
    assert s.rows_read == nonblank, (encoding, data[:400])
    assert len(result.data) == s.rows_accepted
    assert_satisfies_contract(result.data)
    # a line is either accepted or has a problem, never both
    assert not set(result.data["_line"]) & set(result.problems["line"])
    assert result.data["_line"].is_unique


@st.composite
def valid_tables(draw: st.DrawFn) -> list[list[str]]:
    """Rows that break no rule: unique ids, consistent years, labels in the status map."""
    n = draw(st.integers(1, 12))
    out = []
    for i in range(n):
        year = draw(st.integers(1995, THIS_YEAR))
        out.append(
            [
                f"UI{i:04d}",
                draw(st.sampled_from(["Drammen", "Midt, fylket", 'Sør "nord"', "Øst;vest", "=SUM(A1)", "Ålesund"])),
                draw(st.sampled_from([str(year), f"{year},0", f" {year} "])),
                draw(st.sampled_from(["Utdanning", " ARBEID ", "Lærling", "Førstegangstjeneste", "NEET"])),
                draw(st.sampled_from(["", str(year), str(year - 1)])),
                draw(st.sampled_from(["", "K", "m", "Kvinne", "ukjent"])),
                draw(st.sampled_from(["", str(year - 13), str(year - 25), str(year - 40)])),
            ]
        )
    return out


@settings(max_examples=60, deadline=None)
@given(valid_tables(), st.sampled_from([",", ";", "\t", "|"]), st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
def test_valid_rows_all_accepted(root: Path, table: list[list[str]], delimiter: str, encoding: str) -> None:
    """However a valid table is saved (separator, encoding, quoting), every row is accepted."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows([HEADER, *table])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "f.csv"
        path.write_bytes(buffer.getvalue().encode(encoding))
        result = intake_file(path, "followup", status_map=STATUS_MAP, write=False)
    assert result.problems.empty, result.problems.to_string()
    assert result.summary.rows_accepted == len(table)
    assert result.data["participant_id"].tolist() == [row[0] for row in table]
    assert result.data["department"].tolist() == [row[1] for row in table]
    assert_satisfies_contract(result.data)


@st.composite
def damaged_files(draw: st.DrawFn) -> bytes:
    """A valid file with bytes overwritten, inserted or cut: stray quotes, separators, NULs, half characters."""
    data = bytearray(
        ",".join(HEADER).encode()
        + b"\r\nUI0001,Drammen,2019,Utdanning,2018,K,2000\r\n"
        + 'UI0002,Sør "nord",2019,Lærling,,M,1999\r\n'.encode(draw(st.sampled_from(["utf-8", "cp1252"])))
    )
    for _ in range(draw(st.integers(1, 6))):
        position = draw(st.integers(0, len(data)))
        piece = draw(
            st.one_of(
                st.sampled_from(
                    [
                        b'"',
                        b",",
                        b";",
                        b"\t",
                        b"\r",
                        b"\n",
                        b"\x00",
                        b"\xc3",
                        b"\xff\xfe",
                        b"\xef\xbb\xbf",
                        b"15059012387",
                    ]
                ),
                st.binary(max_size=4),
            )
        )
        if draw(st.booleans()):
            data[position:position] = piece
        else:
            del data[position : position + draw(st.integers(0, 8))]
    return bytes(data)


@settings(max_examples=60, deadline=None)
@given(damaged_files())
def test_damaged_file_never_crashes(root: Path, data: bytes) -> None:
    """Whatever the bytes, the answer is a user-facing error or a full row accounting."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "damaged.csv"
        path.write_bytes(data)
        try:
            result = intake_file(path, "followup", status_map=STATUS_MAP, write=False)
        except OutcomesError as exc:
            assert "damaged.csv" in str(exc) and "15059012387" not in str(exc)
            return
    s = result.summary
    assert s.rows_read == s.rows_accepted + s.rows_rejected
    assert_satisfies_contract(result.data)
