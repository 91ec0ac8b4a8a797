"""Hand-made tidy indicator tables for the baseline tests: one row per indicator, municipality and year."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from outcomes.analyses.baseline.readers.tidy import TIDY_COLUMNS, finish_tidy

NAN = float("nan")


def tidy_row(
    indicator: str, code: str, year: int, value: float, num: float = NAN, den: float = NAN, status: str = ""
) -> dict[str, object]:
    """One tidy row of a single year, as a reader gives it (``hand.csv``, no source note)."""
    return {
        "indicator": indicator,
        "region_code": code,
        "region_code_original": code,
        "period": str(year),
        "period_start": year,
        "period_end": year,
        "value": value,
        "numerator": num,
        "denominator": den,
        "status": status,
        "source": "",
        "source_file": "hand.csv",
    }


def tidy_table(rows: Iterable[tuple[str, str, int, float, float, float, str]]) -> pd.DataFrame:
    """The finished tidy table of ``(indicator, code, year, value, numerator, denominator, status)`` rows."""
    return finish_tidy(pd.DataFrame([tidy_row(*row) for row in rows], columns=TIDY_COLUMNS))
