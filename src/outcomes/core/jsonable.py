"""Plain JSON values from pandas and NumPy results, for ``summary.json`` and ``--json``.

Every section writes its figures as JSON; this is the one conversion they
share. NumPy scalars become Python numbers, missing values (``None``,
``pd.NA``, ``NaT``, NaN) and infinities become ``None``, and mappings and
sequences are converted item by item.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from itertools import repeat
from typing import Any

import numpy as np
import pandas as pd


def jsonable(value: Any, digits: int | None = None) -> Any:
    """A JSON-safe Python value.

    Parameters
    ----------
    value
        A scalar (Python, NumPy or pandas), a mapping, or a list, tuple or
        array of such values.
    digits
        Round floats to this many decimals; unrounded when ``None``.

    Returns
    -------
    object
        ``None`` for a missing or infinite value, ``bool``, ``int`` or
        ``float`` for numbers, a ``dict`` with string keys for a mapping, a
        ``list`` for a sequence, anything else unchanged.
    """
    if value is None or value is pd.NA:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        number = float(value)
        if not math.isfinite(number):
            return None
        return number if digits is None else round(number, digits)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v, digits) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [jsonable(v, digits) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def _column(values: pd.Series, digits: int | None) -> list[Any]:
    """One column as JSON-safe values (what :func:`jsonable` gives for each cell, without a call per cell)."""
    if pd.api.types.is_float_dtype(values):
        numbers = values.to_numpy(dtype="float64", na_value=np.nan)
        out: list[Any] = numbers.tolist()
        if digits is not None:
            # Python's round, as jsonable rounds (NumPy's scales by 10**digits first, off in the last bits).
            out = [round(number, digits) for number in out]
        for i in np.flatnonzero(~np.isfinite(numbers)).tolist():
            out[i] = None
        return out
    if pd.api.types.is_bool_dtype(values) and not values.isna().any():
        return values.to_numpy(dtype=bool).tolist()
    if pd.api.types.is_integer_dtype(values) and not values.isna().any():
        return values.to_numpy(dtype="int64").tolist()
    if pd.api.types.is_string_dtype(values.dtype) and values.dtype != object and not values.isna().any():
        # pandas strings without a missing one. One Python str per distinct value, shared by its cells:
        # a table's codes, names and periods repeat, and a str per cell was most of a large table's memory.
        codes, distinct = pd.factorize(values)
        return np.asarray(distinct.tolist(), dtype=object)[codes].tolist()
    items = values.tolist()
    if values.dtype == object and pd.api.types.infer_dtype(items, skipna=False) == "string":
        return items  # text only (no None, no NaN): jsonable leaves a str as it is
    return [jsonable(v, digits) for v in items]


def records(frame: pd.DataFrame | None, digits: int | None = None) -> list[dict[str, Any]]:
    """The rows of ``frame`` as JSON-safe dicts: the same values as :func:`jsonable` per cell, column by column."""
    if frame is None or frame.empty:
        return []
    columns = {str(column): _column(frame[column], digits) for column in frame.columns}
    rows = zip(*columns.values(), strict=False)
    return list(map(dict, map(zip, repeat(list(columns)), rows)))  # a tenth faster than a comprehension
