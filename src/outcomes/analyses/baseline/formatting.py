"""Baseline values and changes as readers see them, in each indicator's unit and the report's language."""

from __future__ import annotations

import math

from outcomes.core.formatting import MISSING, NBSP, format_count, format_number, format_percent
from outcomes.core.i18n import Translator


def format_value(value: float | None, unit: str, lang: str) -> str:
    """A value in its indicator's unit: ``14,1 %``, ``3,2 ‰`` or ``7 512`` (``–`` when missing).

    Parameters
    ----------
    value
        In the indicator's unit: percent (0-100), per 1,000, or a count.
    unit
        ``percent``, ``per_1000`` or ``count``.
    lang
        ``nb`` or ``en``.
    """
    if unit == "percent":
        return format_percent(None if value is None or math.isnan(value) else float(value) / 100, 1, lang)
    if unit == "per_1000":
        text = format_number(value, 1, lang)
        return text if text == MISSING else f"{text}{NBSP}‰"
    return format_count(value, lang)


def format_change(change: float | None, unit: str, t: Translator) -> str:
    """A signed change: ``−0,5 %-poeng`` for percent indicators, ``+12`` for counts.

    Parameters
    ----------
    change
        Latest minus baseline value, in the indicator's unit (percentage
        points for percent indicators).
    unit
        ``percent``, ``per_1000`` or ``count`` (counts get no decimals).
    t
        Translator (gives the language and the word for percentage points).
    """
    decimals = 0 if unit == "count" else 1
    text = format_number(change, decimals, t.lang)
    if text == MISSING or change is None:
        return text
    if round(float(change), decimals) > 0:
        text = "+" + text
    if unit == "percent":
        return f"{text}{NBSP}{t('baseline.points')}"
    if unit == "per_1000":
        return f"{text}{NBSP}‰"
    return text
