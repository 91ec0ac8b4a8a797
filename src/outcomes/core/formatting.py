"""Numbers as people read them: Norwegian (``1 234,5``, ``12,3 %``, ``kr 15,9 mill.``) or English.

Years and codes are not numbers to format: pass them through ``str``.
A missing or suppressed value prints as an en dash, ``–``.
"""

from __future__ import annotations

import math
import re

NBSP = "\u00a0"
MISSING = "–"


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(math.isnan(value))  # type: ignore[arg-type]
    except TypeError:
        return str(value) in ("<NA>", "NaT")


def format_years(years: list[int]) -> str:
    """Years as runs: ``[2011, 2012, 2013, 2015]`` -> ``2011–2013, 2015`` (sorted as given)."""
    runs: list[list[int]] = []
    for year in years:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}\u2013{r[-1]}" for r in runs)


_YEAR_RANGE = re.compile(r"(\d{4})[_-](\d{4})")


def format_period(period: object) -> str:
    """A statistics period as readers write it: ``2022_2024`` or ``2022-2024`` -> ``2022–2024``.

    Sources spell multi-year periods differently (FHI's JSON-stat codes use an
    underscore, SSB a hyphen); the report shows one form, with an en dash.
    Single years and other codes pass through unchanged.
    """
    if _is_missing(period):
        return MISSING
    text = str(period)
    match = _YEAR_RANGE.fullmatch(text)
    return f"{match.group(1)}–{match.group(2)}" if match else text


def format_number(value: object, decimals: int = 0, lang: str = "nb") -> str:
    """``1234.5`` -> ``1 234,5`` (nb, non-breaking space) or ``1,234.5`` (en); negatives with a minus sign (U+2212)."""
    if _is_missing(value):
        return MISSING
    text = f"{float(value):,.{decimals}f}"  # type: ignore[arg-type]
    if text.startswith("-") and float(text.replace(",", "")) == 0:
        text = text[1:]
    if lang == "nb":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", NBSP)
    return text.replace("-", "\u2212")


def format_count(value: object, lang: str = "nb") -> str:
    """A whole number of people or items."""
    return format_number(value, 0, lang)


def format_percent(share: object, decimals: int = 0, lang: str = "nb") -> str:
    """A share 0-1 as percent: ``0.123`` -> ``12,3 %`` (nb) or ``12.3%`` (en)."""
    if _is_missing(share):
        return MISSING
    number = format_number(float(share) * 100, decimals, lang)  # type: ignore[arg-type]
    return f"{number}{NBSP}%" if lang == "nb" else f"{number}%"


def format_interval(low: object, high: object, decimals: int = 0, lang: str = "nb") -> str:
    """A share interval as percent: ``82–91 %`` (nb) or ``82–91%`` (en)."""
    if _is_missing(low) or _is_missing(high):
        return MISSING
    lo = format_number(float(low) * 100, decimals, lang)  # type: ignore[arg-type]
    hi = format_number(float(high) * 100, decimals, lang)  # type: ignore[arg-type]
    return f"{lo}–{hi}{NBSP}%" if lang == "nb" else f"{lo}–{hi}%"


def format_nok(amount: object, lang: str = "nb", decimals: int = 1) -> str:
    """An amount in kroner: ``15_900_000`` -> ``kr 15,9 mill.`` (nb) or ``NOK 15.9 million`` (en).

    Amounts of a million or more are given in millions (or billions); smaller
    ones in whole kroner.
    """
    if _is_missing(amount):
        return MISSING
    value = float(amount)  # type: ignore[arg-type]
    size = abs(value)
    if size >= 1e9:
        number, unit = format_number(value / 1e9, decimals, lang), ("mrd." if lang == "nb" else "billion")
    elif size >= 1e6:
        number, unit = format_number(value / 1e6, decimals, lang), ("mill." if lang == "nb" else "million")
    else:
        number, unit = format_number(value, 0, lang), ""
    prefix = "kr" if lang == "nb" else "NOK"
    return f"{prefix}{NBSP}{number}" + (f"{NBSP}{unit}" if unit else "")


def format_ratio(value: object, lang: str = "nb", decimals: int = 1) -> str:
    """A plain ratio such as kroner back per krone: ``4.04`` -> ``4,0``."""
    return format_number(value, decimals, lang)
