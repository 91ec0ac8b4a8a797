"""Numbers as people write them: Norwegian (``1 234,5``, ``−3``) or English (``1,234.5``).

The one reading of a written number, for input files, registries and
overrides alike (writing numbers is :mod:`outcomes.core.formatting`):

* spaces and no-break spaces between digit groups are dropped (``1 234``);
* the typographic minus ``−`` (U+2212, what Word and Excel write) is a minus;
* with both ``,`` and ``.``, the one that comes last is the decimal mark and
  the other groups thousands: ``1.234,5`` and ``1,234.5`` are both 1234.5;
* a lone ``,`` is a decimal comma: ``12,5`` is 12.5 (and ``1,234`` is 1.234).

What is left must be a plain decimal number (an exponent allowed:
``1,5e3``); anything else, and numbers that are not finite (``inf``, ``nan``,
``1e400``), is not a number. :func:`parse_numbers` reads a column at once,
:func:`parse_number` one text; they agree on every text.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

#: A plain decimal number once separators are read (what pandas' parser accepts, ASCII only).
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
#: Thousands separators of counts: spaces of every width and the marks ``.`` and ``,``.
_GROUPING = re.compile(r"[\s\u00a0\u202f.,]")


def normalise_number_text(values: pd.Series) -> pd.Series:
    """Written numbers (text) with separators read: ``"1 234,5"`` -> ``"1234.5"``.

    Parameters
    ----------
    values
        Text cells (``string`` dtype; ``<NA>`` stays ``<NA>``).

    Returns
    -------
    pandas.Series
        The texts with spaces and no-break spaces removed, ``−`` as ``-``, the
        thousands mark removed and the decimal mark a ``.``; not yet checked to
        be numbers (see :func:`parse_numbers`).
    """
    text = values.str.replace("\u00a0", "", regex=False).str.replace(" ", "", regex=False)
    text = text.str.replace("\u2212", "-", regex=False)  # typographic minus from Word/Excel
    both = text.str.contains(",", regex=False) & text.str.contains(".", regex=False)
    comma_last = text.str.rfind(",") > text.str.rfind(".")
    # "1.234,5" (Norwegian) -> 1234.5 ; "1,234.5" (English) -> 1234.5 ; "12,5" -> 12.5
    text = text.where(~(both & comma_last), text.str.replace(".", "", regex=False))
    text = text.where(~(both & ~comma_last), text.str.replace(",", "", regex=False))
    return text.str.replace(",", ".", regex=False)


def parse_numbers(values: pd.Series) -> pd.Series:
    """Written numbers as ``Float64``: ``<NA>`` where a text is empty, not a number or not finite.

    Parameters
    ----------
    values
        Text cells, read as :func:`normalise_number_text` says; surrounding
        whitespace is ignored.

    Returns
    -------
    pandas.Series
        ``Float64``, same index; each value the nearest double to the decimal written.
    """
    text = normalise_number_text(values.astype("string")).str.strip()
    plain = text.str.fullmatch(_PLAIN_NUMBER.pattern).fillna(False).astype(bool)
    numbers = pd.Series(pd.NA, index=values.index, dtype="Float64")
    if plain.any():
        # numpy reads decimals exactly as Python's float does (pandas' own parser is off by
        # a unit in the last place for some exponents), so parse_number agrees on every text
        with np.errstate(over="ignore"):
            numbers[plain] = np.asarray(text[plain].tolist(), dtype=str).astype(float)
    finite = numbers.abs().lt(math.inf).fillna(False).astype(bool)
    return numbers.where(finite)


def _normalised(text: str) -> str:
    """:func:`normalise_number_text` of one text."""
    text = text.replace("\u00a0", "").replace(" ", "").replace("\u2212", "-")
    if "," in text and "." in text:
        text = text.replace(".", "") if text.rfind(",") > text.rfind(".") else text.replace(",", "")
    return text.replace(",", ".")


def parse_number(text: str) -> float | None:
    """One written number (``"1 234,5"`` -> 1234.5), or ``None`` when empty, not a number or not finite.

    Agrees with :func:`parse_numbers` on every text (surrounding whitespace is ignored).
    """
    plain = _normalised(str(text)).strip()
    if not _PLAIN_NUMBER.fullmatch(plain):
        return None
    value = float(plain)
    return value if math.isfinite(value) else None


def parse_count(text: str) -> int | None:
    """A whole number written with any thousands separator (``"1 234"``, ``"1.234"``, ``"1,234"``), or ``None``.

    For counts as reports print them (``format_count`` in either language):
    every space, no-break space, narrow no-break space, ``.`` and ``,`` is a
    thousands separator, so ``"12,5"`` is 125, not 12.5; use it only where
    the number is known to be whole.
    """
    digits = _GROUPING.sub("", str(text))
    return int(digits) if digits.isascii() and digits.isdigit() else None
