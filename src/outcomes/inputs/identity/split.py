"""An identity number kept in two columns: the birth date in one, the five digits after it in another.

Registers often keep a young person's ``fødselsdato`` (``281068``, ``28.10.68``,
``28.10.1968``, or a date as a workbook gives it, ``1968-10-28``) apart from the
``personnummer`` (``41006``). Neither column holds 11 digits, so the screen of
single columns passes both; put together, row by row, they are the number.
:func:`split_numbers` finds the columns that are mostly dates and those that are
mostly five digits, and counts, for each such pair, the rows whose date and five
digits make a valid number. Random five digits after a date pass the two check
digits once in 121 (:data:`CHANCE_SPLIT`); the caller decides what is more than
chance.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from outcomes.inputs.columnar import factorize_text
from outcomes.inputs.identity.national_id import normalise_text, valid_numbers

#: Chance that five random digits after a real date pass both mod-11 check digits (1/11 each).
CHANCE_SPLIT = 1 / 121

#: Distinct values looked at to tell what a column holds, and the share that must be of the kind.
_SAMPLE = 2_000
_SHARE = 0.9

_DATE = re.compile(r"([0-9]{2})[-./ ]?([0-9]{2})[-./ ]?((?:18|19|20)?[0-9]{2})")
_ISO_DATE = re.compile(r"((?:18|19|20)[0-9]{2})-([0-9]{2})-([0-9]{2})")
_FIVE = re.compile(r"[0-9]{5}")


def date_digits(value: str) -> str:
    """``ddmmyy`` of a cell that is a date, written as people or workbooks write them ("" when it is not)."""
    text = normalise_text(value).strip()
    iso = _ISO_DATE.fullmatch(text)
    if iso:
        return iso.group(3) + iso.group(2) + iso.group(1)[2:]
    found = _DATE.fullmatch(text)
    return found.group(1) + found.group(2) + found.group(3)[-2:] if found else ""


def five_digits(value: str) -> str:
    """The five digits of a cell that is exactly five digits ("" when it is not)."""
    text = normalise_text(value).strip()
    return text if _FIVE.fullmatch(text) else ""


@dataclass(frozen=True)
class SplitNumbers:
    """Two columns whose cells, put together row by row, make valid identity numbers."""

    date_column: int  # 0-based positions among the columns given
    digits_column: int
    passing: int  # rows that make a valid number
    rows: int  # rows with a date and five digits


def _kind(values: pd.Series) -> tuple[np.ndarray, list[str], str] | None:
    """(codes, each distinct value's part, "date" or "five") when the column is mostly one of them, else ``None``."""
    codes, distinct = factorize_text(values)
    sample = [v for v in distinct.iloc[:_SAMPLE].tolist() if v.strip()]
    for kind, part in (("date", date_digits), ("five", five_digits)):
        # The first hundred values tell most columns apart at once (pseudonyms, statuses, years).
        if sample and all(sum(1 for v in s if part(v)) >= _SHARE * len(s) for s in (sample[:100], sample)):
            return codes, [part(v) for v in distinct.tolist()], kind
    return None


def split_numbers(columns: Sequence[pd.Series]) -> list[SplitNumbers]:
    """Every pair of a date column and a five-digit column, with the rows that make a valid number.

    Parameters
    ----------
    columns
        The table's text columns (equal length, the same rows).

    Returns
    -------
    list of SplitNumbers
        One per pair with at least one row that passes.
    """
    kinds = {i: k for i, column in enumerate(columns) if (k := _kind(column)) is not None}
    dates = [i for i, k in kinds.items() if k[2] == "date"]
    fives = [i for i, k in kinds.items() if k[2] == "five"]
    found: list[SplitNumbers] = []
    for d in dates:
        d_codes, d_parts, _ = kinds[d]
        date_cells = np.asarray(d_parts, dtype=object)[d_codes]
        for f in fives:
            f_codes, f_parts, _ = kinds[f]
            five_cells = np.asarray(f_parts, dtype=object)[f_codes]
            both = (date_cells != "") & (five_cells != "")
            numbers = (date_cells[both] + five_cells[both]).tolist()
            passing = int(valid_numbers(numbers).sum())
            if passing:
                found.append(SplitNumbers(d, f, passing, len(numbers)))
    return found
