"""Statistical disclosure control: one rule, used for every published number.

A count below the threshold, or a rate whose denominator is below it, is never
published. Nor is a count whose complement (denominator minus count) is below
the threshold and above zero, because the hidden small count could otherwise
be found by subtraction (e.g. "positive activity: 98 of 100" reveals 2 NEET).
Suppressed cells are set to missing and flagged with the reason; what is
published (:func:`published_flags`) says only that a cell is hidden, never why:
a reason tells a reader which hidden numbers are the small ones (``small_count``
is 0-4, ``complement`` leaves 1-4, ``secondary`` is 5 or more), and with the
totals beside them that is enough to work some of them out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd

#: Default threshold: the smallest count that may be published.
DEFAULT_THRESHOLD = 5

SMALL_COUNT = "small_count"
SMALL_DENOMINATOR = "small_denominator"
COMPLEMENT = "complement"

#: The key (or prefix of keys, ``suppressed_response``) of a hidden cell's flag in published data.
FLAG = "suppressed"


def published_flags(data: Any) -> Any:
    """``data`` as it is published: every flag (a value under :data:`FLAG` or ``FLAG_...``) ``True`` or ``None``.

    Parameters
    ----------
    data
        JSON-ready data (a section's view: dicts, lists and plain values),
        whose flags may carry the reason a cell is hidden.

    Returns
    -------
    Any
        The same data, rebuilt, with each flag ``True`` where the cell is
        hidden (whatever the reason) and ``None`` where it is shown; nothing
        else changes.
    """
    if isinstance(data, dict):
        return {key: _flag(value) if is_flag(key) else published_flags(value) for key, value in data.items()}
    if isinstance(data, list):
        return [published_flags(value) for value in data]
    return data


def is_flag(key: object) -> bool:
    """Whether a column or key holds hidden-cell flags (:data:`FLAG`, or ``FLAG_...`` such as ``suppressed_response``)."""
    return isinstance(key, str) and (key == FLAG or key.startswith(FLAG + "_"))


def _flag(value: object) -> bool | None:
    """``True`` for a hidden cell's flag (a reason, or ``True``), ``None`` for a cell shown (missing, ``False``, "")."""
    if value is None or value is False or value is pd.NA or value == "":
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return True


def suppression_reasons(
    count: pd.Series | None,
    denominator: pd.Series | None,
    threshold: int = DEFAULT_THRESHOLD,
    complement: bool = True,
) -> pd.Series:
    """Why each cell must be hidden (``<NA>`` when it may be published).

    Parameters
    ----------
    count
        Numbers of people in the cell (``None`` when only a denominator applies).
    denominator
        Numbers of people the rate is based on (``None`` for plain counts).
    threshold
        Smallest publishable number of people.
    complement
        Also hide a count whose complement ``denominator - count`` is between
        1 and ``threshold - 1``.

    Returns
    -------
    pandas.Series of str
        ``small_denominator``, ``small_count``, ``complement`` or ``<NA>``.
    """
    if count is None and denominator is None:
        raise ValueError("give a count, a denominator or both")
    index = (count if count is not None else denominator).index  # type: ignore[union-attr]
    reason = pd.Series(pd.NA, index=index, dtype="string")
    if complement and count is not None and denominator is not None:
        rest = denominator - count
        reason = reason.mask((rest > 0) & (rest < threshold), COMPLEMENT)
    if count is not None:
        reason = reason.mask(count.fillna(0) < threshold, SMALL_COUNT)
    if denominator is not None:
        reason = reason.mask(denominator.fillna(0) < threshold, SMALL_DENOMINATOR)
    return reason


def suppress(
    table: pd.DataFrame,
    *,
    count: str | None,
    denominator: str | None,
    hide: Sequence[str],
    threshold: int = DEFAULT_THRESHOLD,
    complement: bool = True,
    reason_column: str = "suppressed",
) -> pd.DataFrame:
    """Hide the cells of ``table`` that disclosure control forbids.

    Parameters
    ----------
    table
        A table with a count and/or denominator column per row.
    count, denominator
        Names of those columns (either may be ``None``).
    hide
        Columns to blank where a row is suppressed (the count itself, the
        share, interval bounds, ...).
    threshold
        Smallest publishable number of people.
    complement
        See :func:`suppression_reasons`.
    reason_column
        Column added with the reason (``<NA>`` when published).

    Returns
    -------
    pandas.DataFrame
        A copy with hidden cells set to missing and the reason column added.
    """
    out = table.copy()
    reason = suppression_reasons(
        out[count] if count else None, out[denominator] if denominator else None, threshold, complement
    )
    hidden = reason.notna()
    for column in hide:
        if pd.api.types.is_integer_dtype(out[column]):
            out[column] = out[column].astype("Int64")
        elif pd.api.types.is_float_dtype(out[column]):
            out[column] = out[column].astype("Float64")
        out[column] = out[column].mask(hidden)
    out[reason_column] = reason
    return out
