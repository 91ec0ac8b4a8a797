"""Make text from inputs safe where it leaves the workbench.

Text that reaches HTML is escaped; text that reaches a CSV download cannot
start a spreadsheet formula (OWASP "CSV injection": cells beginning with
``=``, ``+``, ``-``, ``@``, tab or carriage return are prefixed with ``'``).
Numbers are left alone, so ``-3`` stays a number.
"""

from __future__ import annotations

import html
import re

import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


def escape_html(text: object) -> str:
    """HTML-escape any value's text (quotes included)."""
    return html.escape("" if text is None else str(text), quote=True)


def neutralise_formula(value: object) -> object:
    """Prefix ``'`` to a text cell that a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def safe_for_csv(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and headers cannot start a formula."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise_formula)
    out.columns = [neutralise_formula(str(c)) for c in out.columns]
    return out
