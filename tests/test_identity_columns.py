"""The identity check per distinct value gives what a cell-by-cell check gives.

:func:`outcomes.identity.find_identity_columns` tests each distinct value of a
column once, weighted by how many cells hold it, after a quick test that skips
columns with no 10 digits kept apart by spaces, dots or dashes only. The counts
in its reasons are counts of cells. ``_cell_by_cell`` below is the check as it
was written before (every cell tested), kept here as the reference.
"""

from __future__ import annotations

import re

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from outcomes.identity import (
    _EMBEDDED,
    contains_national_id,
    find_identity_columns,
    identifying_header,
    is_national_id,
)

VALID_FNR = "15059012387"
VALID_DNUMBER = "55059012370"
ARABIC_INDIC = VALID_FNR.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
FULLWIDTH = VALID_FNR.translate(str.maketrans("0123456789", "０１２３４５６７８９"))


def _cell_by_cell(data: pd.DataFrame, min_share: float = 0.0) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for position, column in enumerate(data.columns, start=1):
        if str(column).startswith("_"):
            continue
        if contains_national_id(str(column), anywhere=True):
            found.append((f"column {position}", "the header holds a national identity number (is the header row missing?)"))
            continue
        if identifying_header(column):
            found.append((column, "its header says it holds names, addresses, phone numbers, e-mail or identity numbers"))
            continue
        values = data[column].astype("string").str.replace(r"[\s.\-]", "", regex=True)
        whole = values.str.fullmatch(r"\d{11}", na=False)
        short = values.str.fullmatch(r"[1-9]\d{9}", na=False)
        inside = ~whole & data[column].astype("string").str.contains(_EMBEDDED, na=False)
        candidates = values[whole]
        valid = sum(map(is_national_id, candidates)) + sum(map(contains_national_id, data[column][inside]))
        zero_lost = sum(is_national_id("0" + v) for v in values[short])
        nonempty = int((values.fillna("") != "").sum())
        if (valid + zero_lost) and (valid + zero_lost) / max(nonempty, 1) > min_share:
            lost = (f" ({zero_lost} of them with the leading 0 lost, as when a spreadsheet stores the number as a number)"
                    if zero_lost else "")
            found.append((column, f"{valid + zero_lost} value(s) are valid Norwegian national identity numbers "
                                  f"(fødselsnummer/D-number){lost}"))
    return found


def test_counts_are_counts_of_cells() -> None:
    frame = pd.DataFrame({
        "kode": [VALID_FNR, "A1", VALID_FNR, VALID_FNR, "", None, "A1", VALID_DNUMBER],
        "x": ["1", "1", "1", "1", "1", "1", "1", "1"],
    }, dtype="string")
    found = find_identity_columns(frame)
    assert found == [("kode", "4 value(s) are valid Norwegian national identity numbers (fødselsnummer/D-number)")]
    assert found == _cell_by_cell(frame)
    # 4 of the 6 non-empty cells (the empty and missing ones do not count)
    assert find_identity_columns(frame, min_share=0.66) == found
    assert find_identity_columns(frame, min_share=0.67) == []


def test_numbers_in_other_scripts_and_with_any_spaces_are_found() -> None:
    for value in (ARABIC_INDIC, FULLWIDTH, f"{VALID_FNR[:6]}\u00a0{VALID_FNR[6:]}", f"{VALID_FNR[:6]}\u2009-\u2009{VALID_FNR[6:]}",
                  " ".join(VALID_FNR), f"nr. {VALID_FNR[:6]}.{VALID_FNR[6:]} (x)", f"P{VALID_FNR}", f"x\x00{VALID_FNR}"):
        frame = pd.DataFrame({"kode": ["A1"] * 5 + [value]}, dtype="string")
        assert find_identity_columns(frame) == _cell_by_cell(frame), value
        assert [c for c, _ in find_identity_columns(frame)] == ["kode"], value


#: 01019012480, born 1 January 1990: check digits 8 (102 % 11 = 3, 11 - 3) and 0 (110 % 11 = 0).
ZERO_LOST = "1019012480"


def test_leading_zero_lost_by_a_spreadsheet_is_found() -> None:
    assert is_national_id("0" + ZERO_LOST) and not is_national_id(ZERO_LOST)
    frame = pd.DataFrame({"kode": ["A1", ZERO_LOST, VALID_FNR, "A2"]}, dtype="string")
    found = find_identity_columns(frame)
    assert found == [("kode", "2 value(s) are valid Norwegian national identity numbers (fødselsnummer/D-number)"
                              " (1 of them with the leading 0 lost, as when a spreadsheet stores the number as a number)")]
    assert found == _cell_by_cell(frame)


def test_ten_digits_that_are_no_identity_number_pass() -> None:
    # 1019012481: with a 0 put back the second check digit is wrong; 0101901248: starts with 0, not a lost zero
    frame = pd.DataFrame({"kode": ["1019012481", "0101901248", "2000000000"]}, dtype="string")
    assert find_identity_columns(frame) == [] == _cell_by_cell(frame)


def test_digits_split_across_cells_are_not_joined() -> None:
    # the quick test joins cells: no number may be found across two of them
    frame = pd.DataFrame({"a": [VALID_FNR[:6], VALID_FNR[6:]], "b": [VALID_FNR[:5] + " ", " " + VALID_FNR[5:]]}, dtype="string")
    assert find_identity_columns(frame) == [] == _cell_by_cell(frame)


def test_object_and_numeric_columns() -> None:
    frame = pd.DataFrame({"kode": [int(VALID_FNR), 3, None], "n": [1.5, float("nan"), 2.0], "o": ["a", None, VALID_FNR]})
    assert find_identity_columns(frame) == _cell_by_cell(frame)


_PIECES = st.sampled_from([
    VALID_FNR, VALID_DNUMBER, "15059012388", "12345678901", ARABIC_INDIC, FULLWIDTH,
    f"{VALID_FNR[:6]} {VALID_FNR[6:]}", f"{VALID_FNR[:6]}-{VALID_FNR[6:]}", f"{VALID_FNR[:6]}.{VALID_FNR[6:]}",
    f"1{VALID_FNR}", f"P{VALID_FNR}", f"fnr {VALID_FNR[:6]} {VALID_FNR[6:]}", "150590 1238 7", "P0000001", "2020",
    "Kommune 001", "", " ", "-", ".", "Ås", "\u00a0", "\t", "\x00", "1", "12", "1234567890",
])
_CELL = st.one_of(
    st.none(),
    st.lists(_PIECES, max_size=3).map("".join),
    st.text(st.sampled_from("0123456789 .-\u00a0\u2009\tAø١"), max_size=16),
)


@settings(max_examples=400, deadline=None)
@given(
    columns=st.lists(st.lists(_CELL, min_size=0, max_size=12), min_size=1, max_size=3),
    min_share=st.sampled_from([0.0, 0.2, 0.5, 0.9]),
)
def test_same_as_cell_by_cell(columns: list[list[str | None]], min_share: float) -> None:
    rows = max(len(c) for c in columns)
    frame = pd.DataFrame(
        {f"c{i}": pd.array(c + [None] * (rows - len(c)), dtype="string") for i, c in enumerate(columns)}
    )
    assert find_identity_columns(frame, min_share) == _cell_by_cell(frame, min_share)


def test_reasons_never_hold_values() -> None:
    frame = pd.DataFrame({"kode": [VALID_FNR, ARABIC_INDIC]}, dtype="string")
    (column, reason), = find_identity_columns(frame)
    assert column == "kode" and not re.search(r"\d{6}", reason)
