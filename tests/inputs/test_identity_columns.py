"""The identity check per distinct value gives what a cell-by-cell check gives.

:func:`outcomes.inputs.identity.screen_table` tests each distinct value of a column
once, weighted by how many cells hold it, after a quick byte test that skips
columns with no 10 digits kept apart only by separators or characters of other
scripts, and checks the candidates all at once with numpy. The counts in its
findings are counts of cells. ``_cell_by_cell`` below is the rule written
plainly (every cell on its own, every candidate with the scalar
:func:`is_national_id`), kept here as the reference.
"""

from __future__ import annotations

import re
import sys

import pandas as pd
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from outcomes.inputs.identity import (
    CENTURY_SHAPES,
    CHANCE_10,
    CHANCE_11,
    CHANCE_LEVEL,
    WRITTEN_SHAPES,
    chance_of_at_least,
    contains_national_id,
    find_identity_columns,
    identifying_header,
    is_national_id,
    normalise_text,
    screen_table,
)

VALID_FNR = "15059012387"
VALID_DNUMBER = "55059012370"
ARABIC_INDIC = VALID_FNR.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
FULLWIDTH = VALID_FNR.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
REASON_FNR = "value(s) are valid Norwegian national identity numbers (fødselsnummer, D-number or H-number)"


def _cell_candidates(text: str) -> tuple[list[str], list[str], str | None]:
    """(11 digits in a row, written shapes, the 11 digits of a 10-digit cell) of one cell, plainly."""
    plain = normalise_text(text)
    whole: list[str] = []
    written: list[str] = []
    for run in re.finditer(r"[0-9]+(?:[-_ ./]+[0-9]+)*", plain):
        groups = re.split(r"[-_ ./]+", run.group())
        whole += [g for g in groups if len(g) == 11]
        whole += [g[:4] + g[6:] for g in groups if len(g) == 13 and g[4:6] in ("18", "19", "20")]
        for shapes, century in ((WRITTEN_SHAPES, False), (CENTURY_SHAPES, True)):
            for shape in shapes:
                for start in range(len(groups) - len(shape) + 1):
                    window = groups[start : start + len(shape)]
                    if [len(g) for g in window] == list(shape):
                        joined = "".join(window)
                        if not century:
                            written.append(joined)
                        elif joined[4:6] in ("18", "19", "20"):
                            written.append(joined[:4] + joined[6:])
    zero = re.fullmatch(r"([1-9][0-9]{9})(?:[.,]0+)?", plain.strip())
    science = re.fullmatch(r"([0-9])(?:[.,]([0-9]+))?[eE]\+?([0-9]{1,2})", plain.strip())
    if science:
        decimals, power = science.group(2) or "", int(science.group(3))
        if power in (9, 10) and len(decimals) <= power:
            digits = str(int(science.group(1) + decimals) * 10 ** (power - len(decimals)))
            if len(digits) == 10:
                return whole, written, "0" + digits  # a ten-digit number: the leading 0 was lost
            whole.append(digits)
    return whole, written, "0" + zero.group(1) if zero else None


def _cell_by_cell(data: pd.DataFrame, min_share: float = 0.0) -> list[tuple]:
    """``(column, passing, numbers, expected, chance)`` of each flagged column, or ``(column, 'header')``."""
    found: list[tuple] = []
    for position, column in enumerate(data.columns, start=1):
        if contains_national_id(str(column), anywhere=True):
            found.append((f"column {position}", "header"))
            continue
        if identifying_header(column):
            found.append((column, "header"))
            continue
        passing = zero_only = numbers = nonempty = 0
        written_hit = False
        expected = 0.0
        for cell in data[column].astype("string"):
            if cell is pd.NA:
                continue
            whole, written, zero = _cell_candidates(str(cell))
            nonempty += str(cell).strip() != ""
            numbers += bool(whole or zero)
            expected += len(whole) * CHANCE_11 + (CHANCE_10 if zero else 0.0)
            hit_whole = any(map(is_national_id, whole))
            hit_written = any(map(is_national_id, written))
            hit_zero = zero is not None and is_national_id(zero)
            passing += hit_whole or hit_written or hit_zero
            zero_only += hit_zero and not hit_whole and not hit_written
            written_hit |= hit_written
        if passing and passing / max(nonempty, 1) > min_share:
            chance = not written_hit and chance_of_at_least(passing, expected) >= CHANCE_LEVEL
            found.append((column, passing, numbers, round(expected, 9), chance))
    return found


def _screened(data: pd.DataFrame, min_share: float = 0.0) -> list[tuple]:
    return [
        (f.column, "header") if not f.passing else (f.column, f.passing, f.numbers, round(f.expected, 9), f.chance)
        for f in screen_table(data, min_share=min_share)
    ]


def test_counts_are_counts_of_cells() -> None:
    frame = pd.DataFrame(
        {
            "kode": [VALID_FNR, "A1", VALID_FNR, VALID_FNR, "", None, "A1", VALID_DNUMBER],
            "x": ["1", "1", "1", "1", "1", "1", "1", "1"],
        },
        dtype="string",
    )
    found = find_identity_columns(frame)
    assert found == [("kode", f"4 {REASON_FNR}")]
    assert _screened(frame) == _cell_by_cell(frame)
    # 4 of the 6 non-empty cells (the empty and missing ones do not count)
    assert find_identity_columns(frame, min_share=0.66) == found
    assert find_identity_columns(frame, min_share=0.67) == []


def test_numbers_in_other_scripts_and_with_any_spaces_are_found() -> None:
    for value in (
        ARABIC_INDIC,
        FULLWIDTH,
        f"{VALID_FNR[:6]}\u00a0{VALID_FNR[6:]}",
        f"{VALID_FNR[:6]}\u2009-\u2009{VALID_FNR[6:]}",
        " ".join(VALID_FNR),
        f"nr. {VALID_FNR[:6]}.{VALID_FNR[6:]} (x)",
        f"P{VALID_FNR}",
        f"x\x00{VALID_FNR}",
        f"{VALID_FNR[:5]}\x00{VALID_FNR[5:]}",
        f"{VALID_FNR[:6]}\u2011{VALID_FNR[6:]}",
    ):
        frame = pd.DataFrame({"kode": ["A1"] * 5 + [value]}, dtype="string")
        assert _screened(frame) == _cell_by_cell(frame), value
        assert [c for c, _ in find_identity_columns(frame)] == ["kode"], value


#: 01019012480, born 1 January 1990: check digits 8 (102 % 11 = 3, 11 - 3) and 0 (110 % 11 = 0).
ZERO_LOST = "1019012480"


def test_leading_zero_lost_by_a_spreadsheet_is_found() -> None:
    assert is_national_id("0" + ZERO_LOST) and not is_national_id(ZERO_LOST)
    frame = pd.DataFrame({"kode": ["A1", ZERO_LOST, VALID_FNR, "A2"]}, dtype="string")
    found = find_identity_columns(frame)
    assert found == [
        (
            "kode",
            f"2 {REASON_FNR} (1 of them with the leading 0 lost, as when a spreadsheet stores the number as a number)",
        )
    ]
    assert _screened(frame) == _cell_by_cell(frame)


def test_ten_digits_that_are_no_identity_number_pass() -> None:
    # 1019012481: with a 0 put back the second check digit is wrong; 0101901248: starts with 0, not a lost zero;
    # 1 019 012 480: a sum of money, its digits grouped by thousands, is no spreadsheet number
    frame = pd.DataFrame({"kode": ["1019012481", "0101901248", "2000000000", "1 019 012 480"]}, dtype="string")
    assert find_identity_columns(frame) == [] == _cell_by_cell(frame)


def test_digits_split_across_cells_are_not_joined() -> None:
    # the quick test joins cells: no number may be found across two of them
    frame = pd.DataFrame(
        {"a": [VALID_FNR[:6], VALID_FNR[6:]], "b": [VALID_FNR[:5] + " ", " " + VALID_FNR[5:]]}, dtype="string"
    )
    assert find_identity_columns(frame) == [] == _cell_by_cell(frame)


def test_object_and_numeric_columns() -> None:
    frame = pd.DataFrame(
        {
            "kode": [int(VALID_FNR), 3, None],
            "n": [1.5, float("nan"), 2.0],
            "o": ["a", None, VALID_FNR],
            "i": [int(VALID_FNR), 4, 5],
            "f": [float(VALID_FNR), 1.0, 2.5],
            "_line": [2, 3, 4],
        }
    )
    assert [c for c, _ in find_identity_columns(frame)] == ["kode", "o", "i", "f"]
    assert _screened(frame) == _cell_by_cell(frame)


_PIECES = st.sampled_from(
    [
        VALID_FNR,
        VALID_DNUMBER,
        "15059012388",
        "12345678901",
        ARABIC_INDIC,
        FULLWIDTH,
        f"{VALID_FNR[:6]} {VALID_FNR[6:]}",
        f"{VALID_FNR[:6]}-{VALID_FNR[6:]}",
        f"{VALID_FNR[:6]}.{VALID_FNR[6:]}",
        "15.05.90 12387",
        "15/05/90 123 87",
        "150590 123 87",
        "150590\u201312387",
        "15059\u200b012387",
        "150590\u00ad12387",
        f"1{VALID_FNR}",
        f"P{VALID_FNR}",
        f"fnr {VALID_FNR[:6]} {VALID_FNR[6:]}",
        "150590 1238 7",
        "P0000001",
        "2020",
        "Kommune 001",
        "",
        " ",
        "-",
        ".",
        "/",
        "_",
        "Ås",
        "\u00a0",
        "\t",
        "\x00",
        "\u200b",
        "1",
        "12",
        "1234567890",
        ZERO_LOST,
        "1 019 012 480",
        "1019012480.0",
    ]
)
_CELL = st.one_of(
    st.none(),
    st.lists(_PIECES, max_size=3).map("".join),
    st.text(st.sampled_from("0123456789 .-/_\u00a0\u2009\u2013\u200b\u00ad\tAø١"), max_size=16),
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
    assert _screened(frame, min_share) == _cell_by_cell(frame, min_share)


def test_reasons_never_hold_values() -> None:
    frame = pd.DataFrame({"kode": [VALID_FNR, ARABIC_INDIC]}, dtype="string")
    ((column, reason),) = find_identity_columns(frame)
    assert column == "kode" and not re.search(r"\d{5}", reason)


def test_no_character_gives_more_digits_than_its_bytes() -> None:
    """The quick screen's premise: a cell of fewer than 10 UTF-8 bytes cannot hold 10 digits once normalised.

    Every character of Unicode is tried: ``¼`` gives two digits from two bytes, ``⅒`` three from three.
    """
    over = []
    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code <= 0xDFFF:
            continue  # surrogates are not characters of text read from a file
        char = chr(code)
        digits = sum(c in "0123456789" for c in normalise_text(char))
        if digits > len(char.encode("utf-8")):
            over.append(f"U+{code:04X}")
    assert over == []
    assert sum(c.isdigit() for c in normalise_text("⅒")) == 3


def test_short_cells_skipped_long_ones_screened() -> None:
    # Nine bytes cannot hold an identity number; the same digits in a longer cell are found.
    short = pd.Series(pd.arrays.ArrowStringArray(pa.array(["150590123", "P1"] * 10)))
    assert screen_table(pd.DataFrame({"code": short})) == []
    long = pd.Series(pd.arrays.ArrowStringArray(pa.array([VALID_FNR, "P1"] * 10)))
    assert [f.column for f in screen_table(pd.DataFrame({"code": long}))] == ["code"]
