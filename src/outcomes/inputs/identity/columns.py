"""The identity screen of a table: every column, whatever its name, and its header.

A column is refused when a cell holds a Norwegian national identity number
(:mod:`outcomes.inputs.identity.national_id`), or its header says it holds names,
addresses, phones, e-mail or identity numbers (:mod:`outcomes.inputs.identity.headers`).
A column of numeric pseudonyms where only about as many values pass as random
digits would make pass is still refused, but the finding says so
(:attr:`IdentityFinding.chance`), and the analyst can confirm that the column
holds random codes. Findings name the column but never hold the values.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection
from dataclasses import dataclass

import numpy as np
import pandas as pd

from outcomes.inputs.columnar import SAMPLE, factorize_text, longest_cell, text_bytes
from outcomes.inputs.identity.headers import identifying_header
from outcomes.inputs.identity.names import holds_full_name, holds_given_name, name_cells
from outcomes.inputs.identity.national_id import (
    CHANCE_10,
    CHANCE_11,
    contains_national_id,
    find_candidates,
    long_run_candidates,
    normalise_text,
    plain_char,
    valid_numbers,
)
from outcomes.inputs.identity.split import CHANCE_SPLIT, split_numbers

#: Bumped whenever what the screen refuses changes; part of the intake cache key,
#: so a table accepted by an older screen is screened again.
SCREEN_VERSION = 3

#: A column is "about what random digits give" when seeing at least as many
#: passing values among its numbers by chance has at least this probability.
CHANCE_LEVEL = 0.01


#: Whole-column quick test (:func:`_may_hold_number`): in the UTF-8 bytes, the ASCII
#: separators, whitespace and control characters are dropped and every ASCII digit
#: and every non-ASCII byte (a digit, dash, space or invisible character of another
#: script may hide there) becomes ``0``. Every candidate has at least 10 digits with
#: only such characters between them, so it leaves ten ``0`` in a row.
_DROPPED_BYTES = bytes(b for b in range(128) if chr(b) in "-_ ./" or plain_char(chr(b)) in (" ", None))
_DIGIT_BYTES = b"0123456789" + bytes(range(128, 256))
_AS_ZERO = bytes.maketrans(_DIGIT_BYTES, b"0" * len(_DIGIT_BYTES))

#: Kinds of candidate a value holds (columns of :meth:`_ColumnCandidates.hits`).
_WHOLE, _WRITTEN, _ZERO_LOST = 0, 1, 2


def _may_hold_number(cells: pd.Series) -> bool:
    """``False`` only when no cell can hold an identity number (``True`` may be wrong).

    A cell of fewer than 10 bytes cannot: no character gives more digits, once
    normalised, than it has bytes in UTF-8 (``¼`` gives two, ``⅒`` three; a test
    checks every character). Otherwise screened on the bytes of all cells
    (:func:`~outcomes.inputs.columnar.text_bytes`): a run that reaches from one
    cell into the next only makes it look closer.
    """
    longest = longest_cell(cells)
    if longest is not None and longest < 10:
        return False
    return b"0" * 10 in text_bytes(cells).translate(_AS_ZERO, _DROPPED_BYTES)


def chance_of_at_least(count: int, expected: float) -> float:
    """Probability that a Poisson count with mean ``expected`` is ``count`` or more."""
    if count <= 0:
        return 1.0
    if expected <= 0:
        return 0.0
    total = 0.0
    i = count
    while True:
        term = math.exp(-expected + i * math.log(expected) - math.lgamma(i + 1))
        total += term
        if i > expected and (term == 0.0 or term < 1e-17 * total):
            return min(total, 1.0)
        i += 1


@dataclass(frozen=True)
class IdentityFinding:
    """Why a column (or a header, sheet or file name) is refused; never holds values.

    Attributes
    ----------
    column
        The column as messages name it (its position when the header itself is
        the problem; ``Sheet!B`` for a column of another sheet of a workbook).
    reason
        Plain-language reason.
    passing
        Cells that hold a valid identity number.
    numbers
        Cells holding 11 digits in a row or 10 digits (with the leading 0 lost):
        what random numeric codes look like.
    expected
        How many of those ``numbers`` random digits would make pass (mean).
    chance
        Only such plain numbers pass, about as many as random digits give
        (:data:`CHANCE_LEVEL`): the column may hold random pseudonyms, and
        naming it in ``confirm_random_ids`` accepts it.
    sheet_name
        The finding is the name of a sheet (``column`` is then ``sheet N``).
    """

    column: str
    reason: str
    passing: int = 0
    numbers: int = 0
    expected: float = 0.0
    chance: bool = False
    sheet_name: bool = False


def _text_cells(series: pd.Series) -> pd.Series | None:
    """The column as text, or ``None`` when it is numbers too small to hold 10 digits."""
    if pd.api.types.is_bool_dtype(series.dtype):
        return None
    if pd.api.types.is_integer_dtype(series.dtype):
        numbers = series.dropna()
        if numbers.empty or -(10**9) < numbers.min() <= numbers.max() < 10**9:
            return None  # e.g. the reader's line numbers
    return series.astype("string")


@dataclass
class _ColumnCandidates:
    """The candidate numbers of a column's distinct values, to check all at once."""

    size: int  # distinct values
    numbers: list[str]
    owner: list[int]  # the distinct value each number came from
    kind: list[int]  # _WHOLE (11 in a row), _WRITTEN (a written shape) or _ZERO_LOST (leading 0 lost)
    plain_numbers: np.ndarray  # per value: groups of 11 digits in a row
    zero_candidate: np.ndarray  # per value: 10 digits, the leading 0 perhaps lost

    def add(self, index: int, numbers: list[str], kind: int) -> None:
        self.numbers.extend(numbers)
        self.owner.extend([index] * len(numbers))
        self.kind.extend([kind] * len(numbers))

    def hits(self) -> np.ndarray:
        """Per distinct value and kind (boolean, values x 3): whether a candidate of that kind is valid."""
        valid = valid_numbers(self.numbers)
        hit = np.zeros((self.size, 3), dtype=bool)
        hit[np.asarray(self.owner)[valid], np.asarray(self.kind)[valid]] = True
        return hit


def _distinct_candidates(distinct: list[str]) -> _ColumnCandidates:
    """The candidate numbers of each distinct value of a column."""
    found = _ColumnCandidates(
        len(distinct), [], [], [], np.zeros(len(distinct), dtype=np.int64), np.zeros(len(distinct), dtype=bool)
    )
    for index, value in enumerate(distinct):
        if value.isascii():
            stripped = value.strip()
            if stripped.isdigit():  # only ASCII digits: what find_candidates finds, quicker (numeric codes)
                if len(stripped) == 11:
                    found.add(index, [stripped], _WHOLE)
                    found.plain_numbers[index] = 1
                elif len(stripped) == 10 and stripped[0] != "0":
                    found.add(index, ["0" + stripped], _ZERO_LOST)
                    found.zero_candidate[index] = True
                elif len(stripped) > 11:
                    found.add(index, long_run_candidates(stripped), _WHOLE)
                continue
        groups = find_candidates(normalise_text(value))
        found.add(index, groups.whole, _WHOLE)
        found.add(index, groups.written, _WRITTEN)
        found.plain_numbers[index] = len(groups.whole)
        if groups.zero_lost:
            found.add(index, [groups.zero_lost], _ZERO_LOST)
            found.zero_candidate[index] = True
    return found


def _column_finding(text: pd.Series, label: str, min_share: float) -> IdentityFinding | None:
    """The identity numbers in one text column (each distinct value examined once)."""
    codes, uniques = factorize_text(text.dropna())
    if not _may_hold_number(uniques):
        return None
    distinct = uniques.tolist()
    counts = np.bincount(codes, minlength=len(distinct))
    found = _distinct_candidates(distinct)
    if not found.numbers:
        return None
    hit = found.hits()
    passing = int(counts[hit.any(axis=1)].sum())
    if not passing:
        return None
    nonempty = int(counts[np.asarray([v.strip() != "" for v in distinct], dtype=bool)].sum())
    if passing / max(nonempty, 1) <= min_share:
        return None
    zero_lost = int(counts[hit[:, _ZERO_LOST] & ~hit[:, _WHOLE] & ~hit[:, _WRITTEN]].sum())
    written = bool(hit[:, _WRITTEN].any())
    number_cells = int(counts[(found.plain_numbers > 0) | found.zero_candidate].sum())
    expected = float((counts * (found.plain_numbers * CHANCE_11 + found.zero_candidate * CHANCE_10)).sum())
    chance = not written and chance_of_at_least(passing, expected) >= CHANCE_LEVEL
    reason = _column_reason(passing, number_cells, expected, zero_lost, written=written, chance=chance)
    return IdentityFinding(label, reason, passing, number_cells, expected, chance)


def _column_reason(
    passing: int, number_cells: int, expected: float, zero_lost: int, *, written: bool, chance: bool
) -> str:
    """Why a column is refused, in words (counts only, never values)."""
    lost = (
        f" ({zero_lost} of them with the leading 0 lost, as when a spreadsheet stores the number as a number)"
        if zero_lost
        else ""
    )
    if chance:
        return (
            f"{passing} of {number_cells} numbers in the column pass the check for Norwegian national identity "
            f"numbers (fødselsnummer, D-number or H-number: a plausible date and both mod-11 check digits){lost}, "
            f"about what random digits give ({expected:.1f} expected by chance: 1 in {1 / CHANCE_11:.0f} "
            f"random 11-digit and 1 in {1 / CHANCE_10:.0f} random 10-digit numbers pass)"
        )
    reason = (
        f"{passing} value(s) are valid Norwegian national identity numbers (fødselsnummer, D-number or H-number){lost}"
    )
    if not written and expected >= 0.1:
        reason += (
            f"; {passing} of {number_cells} numbers is more than random digits give "
            f"({expected:.1f} expected by chance), so they are very likely real identity numbers"
        )
    return reason


def screen_table(
    data: pd.DataFrame,
    *,
    confirm_random_ids: Collection[str] = (),
    min_share: float = 0.0,
    headers: bool = True,
    label: Callable[[str, int], str] | None = None,
) -> list[IdentityFinding]:
    """What in ``data`` identifies people directly, column by column (values never included).

    Every column is screened, whatever its name; integer columns whose values
    all have fewer than 10 digits (such as the reader's line numbers) are
    skipped as they cannot hold a number.

    Parameters
    ----------
    data
        Table of cells (text, or numbers as a spreadsheet stores them).
    confirm_random_ids
        Columns the analyst has confirmed hold random pseudonyms: a finding in
        one of them that is about what random digits give (``chance``) is
        dropped. A column where more values pass, or where a number is written
        as people write identity numbers (:data:`WRITTEN_SHAPES`), is refused all
        the same.
    min_share
        A column is flagged when more than this share of its non-empty cells
        hold identity numbers (0 = any single one).
    headers
        Whether the column names are headers read from the file (screened for
        identity numbers and identifying words).
    label
        How messages name a column, from its name and 1-based position
        (default: the name).

    Returns
    -------
    list of IdentityFinding
        In column order; empty when nothing identifies anyone.
    """
    confirmed = {str(c) for c in confirm_random_ids}
    found: list[IdentityFinding] = []
    for position, column in enumerate(data.columns, start=1):
        name = str(column)
        shown = label(name, position) if label else name
        if headers:
            if contains_national_id(name, anywhere=True):
                # The file has no header row (its first record was read as the header),
                # or a number was typed into it. Name the column by position: messages
                # about headers repeat them.
                found.append(
                    IdentityFinding(
                        f"column {position}", "the header holds a national identity number (is the header row missing?)"
                    )
                )
                continue
            if holds_full_name(name):  # a table with a column per person; named by position, as above
                found.append(IdentityFinding(f"column {position}", "the header is a person's name"))
                continue
            if identifying_header(name):
                # "Navn: Ola Nordmann": a header that holds a given name too is named by its position
                named = f"column {position}" if holds_given_name(name) else shown
                found.append(
                    IdentityFinding(
                        named, "its header says it holds names, addresses, phone numbers, e-mail or identity numbers"
                    )
                )
                continue
        text = _text_cells(data.iloc[:, position - 1])
        finding = None if text is None else _column_finding(text, shown, min_share)
        if finding is None and text is not None:
            finding = _name_finding(text, shown)
        if finding is not None and not (finding.chance and shown in confirmed):
            found.append(finding)
    return found + _split_findings(data, label)


def _name_finding(text: pd.Series, label: str) -> IdentityFinding | None:
    """People's names in one text column (:func:`~outcomes.inputs.identity.names.name_cells`), counts only.

    Each distinct value is looked at once, except in a long column of mostly
    different values (pseudonyms), where the first :data:`SAMPLE` are: a
    column of names has them throughout.
    """
    codes, uniques = factorize_text(text.dropna())
    if len(uniques) == len(codes) > SAMPLE:
        uniques, codes = uniques.iloc[:SAMPLE], np.arange(SAMPLE)
    names = name_cells(uniques, codes)
    if not names.refused:
        return None
    reason = (
        f"{names.likely} of {names.nonempty} values look like people's names (a common Norwegian given name"
        + (f"; {names.full} of them with a common surname" if names.full else " and another word")
        + "): names identify people directly"
    )
    return IdentityFinding(label, reason)


def _split_findings(data: pd.DataFrame, label: Callable[[str, int], str] | None) -> list[IdentityFinding]:
    """Identity numbers kept in two columns, birth date and five digits (:mod:`~outcomes.inputs.identity.split`).

    A pair is refused when more rows pass than random five digits would make
    pass (:data:`CHANCE_LEVEL`); both columns are named.
    """
    texts = [(i, text) for i in range(data.shape[1]) if (text := _text_cells(data.iloc[:, i])) is not None]
    positions, columns = [i for i, _ in texts], [text for _, text in texts]
    found = []
    for pair in split_numbers(columns):
        if chance_of_at_least(pair.passing, pair.rows * CHANCE_SPLIT) >= CHANCE_LEVEL:
            continue  # about what five random digits after a date give
        names = []
        for index in (pair.date_column, pair.digits_column):
            position = positions[index] + 1
            name = str(data.columns[position - 1])
            names.append(label(name, position) if label else name)
        reason = (
            f"{pair.passing} of {pair.rows} rows make a valid Norwegian national identity number when the date in "
            f"'{names[0]}' is put before the five digits in '{names[1]}' (a fødselsnummer kept in two columns)"
        )
        found.append(IdentityFinding(f"{names[0]} + {names[1]}", reason, pair.passing, pair.rows))
    return found


def find_identity_columns(data: pd.DataFrame, min_share: float = 0.0) -> list[tuple[str, str]]:
    """Columns that hold direct identifiers, with the reason (values never included).

    :func:`screen_table` with nothing confirmed, as ``(column, reason)`` pairs.

    Parameters
    ----------
    data
        Table of text cells.
    min_share
        A column is flagged when more than this share of its non-empty cells
        are valid identity numbers (0 = any single one).

    Returns
    -------
    list of (column, reason)
    """
    return [(f.column, f.reason) for f in screen_table(data, min_share=min_share)]


def screen_key(confirm_random_ids: Collection[str] = ()) -> dict[str, object]:
    """What the screen's verdict depends on besides the file, for cache keys."""
    return {"version": SCREEN_VERSION, "confirmed": sorted(str(c) for c in confirm_random_ids)}
