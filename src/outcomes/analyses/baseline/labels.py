"""The words a baseline page uses: names of areas and indicators, sources, footnotes for missing figures and the publishers' notes.

Every text comes from the translation catalogue
(``src/outcomes/locales/<lang>/baseline.yml``); status markers and the reasons
a municipality was left out of a region figure are codes, mapped to label
keys here.
"""

from __future__ import annotations

from collections.abc import Collection

import pandas as pd

from outcomes.analyses.baseline.footnotes import EXCLUDED
from outcomes.analyses.baseline.municipalities import COUNTRY_CODE, STATUS_MERGED_WITHOUT_COUNTS, STATUS_SPLIT
from outcomes.analyses.baseline.region import NO_ROW, NO_WEIGHT, REGION_CODE, Exclusion
from outcomes.analyses.baseline.results import BaselineResults
from outcomes.core.formatting import format_period
from outcomes.core.i18n import Translator
from outcomes.registries.indicator_catalogue import Indicator

#: Status markers, workbench statuses and reasons for leaving a municipality out -> label key (``baseline.status_*``).
STATUS_KEYS: dict[str, str] = {
    "..": "status_missing",
    ":": "status_confidential",
    ".": "status_not_applicable",
    STATUS_SPLIT: "status_split",
    STATUS_MERGED_WITHOUT_COUNTS: "status_merged_without_counts",
    "incomplete": "status_incomplete",
    "no_weights": "status_no_weights",
    NO_ROW: "status_no_row",
    NO_WEIGHT: "status_no_weight",
}

#: One shown cell of a table: indicator id, region code, period label.
Cell = tuple[str, str, str]


def indicator_title(results: BaselineResults, indicator: str, t: Translator) -> str:
    """The catalogue title of an indicator in the report language."""
    return str(getattr(results.catalogue.get(indicator).title, t.lang))


def source_line(ind: Indicator, t: Translator) -> str:
    """``Kilde: SSB, tabell 13556, https://... («title»)``."""
    return t(
        "baseline.source_line",
        publisher=ind.source.publisher,
        table=ind.source.table,
        url=ind.source.url,
        indicator=getattr(ind.title, t.lang),
    )


def source_lines(results: BaselineResults, indicators: Collection[str], t: Translator) -> list[str]:
    """:func:`source_line` of each indicator, in the order given."""
    return [source_line(results.catalogue.get(i), t) for i in indicators]


def area_name(level: str, code: str, name: str, t: Translator) -> str:
    """What a row is called in the report: the municipality, the region, ``Innlandet (fylke)`` or the country."""
    if level == "country" or str(code) == COUNTRY_CODE:
        return t("baseline.country")
    if level == "county":
        return f"{name} ({t('baseline.level_county')})"
    return str(name)


def area_label(results: BaselineResults, code: str, t: Translator) -> str:
    """The name of an area by its code: the region, the country, or the name in the table (else the code)."""
    if code == REGION_CODE:
        return results.region_name
    if code == COUNTRY_CODE:
        return t("baseline.country")
    rows = results.table[results.table["region_code"] == code]
    return str(rows["region_name"].iloc[0]) if len(rows) else code


def status_reason(status: str, t: Translator, meaning: str | None = None) -> str:
    """What a status marker or reason code means, in words.

    A symbol the workbench does not know is explained by ``meaning`` (the
    publisher's own words, from FHI's flag list) when given, else shown as it is.
    """
    key = STATUS_KEYS.get(status)
    if key:
        return t("baseline." + key)
    return f"«{status}»: {meaning}" if meaning and meaning != status else status


def region_exclusions(results: BaselineResults, indicator: str, period: str) -> tuple[Exclusion, ...]:
    """The municipalities the region figure of one indicator and period left out (none when there is no row)."""
    table = results.table
    rows = table[
        (table["indicator"] == indicator) & (table["region_code"] == REGION_CODE) & (table["period"] == period)
    ]
    return tuple(rows["excluded"].iloc[0]) if len(rows) else ()


def _note(
    results: BaselineResults, indicator: str, code: str, period: str, status: str, t: Translator, meaning: str = ""
) -> str:
    """One footnote: a marked figure (``note_status``) or a region figure with municipalities left out."""
    title = indicator_title(results, indicator, t)
    area = area_label(results, code, t)
    if status == EXCLUDED:
        left_out = ", ".join(
            f"{area_label(results, e.code, t)} ({status_reason(e.reason, t)})"
            for e in region_exclusions(results, indicator, period)
        )
        return t("baseline.note_excluded", area=area, period=format_period(period), indicator=title, left_out=left_out)
    return t(
        "baseline.note_status",
        area=area,
        period=format_period(period),
        indicator=title,
        reason=status_reason(status, t, meaning),
    )


def missing_notes(
    results: BaselineResults,
    indicators: Collection[str],
    t: Translator,
    cells: set[Cell] | None = None,
) -> list[str]:
    """Footnotes for missing or qualified figures: which cell, which marker, what it means.

    Parameters
    ----------
    results
        The baseline results.
    indicators
        Indicator ids of the table or figure.
    t
        Translator.
    cells
        ``(indicator, region_code, period)`` cells shown; ``None`` = every period.

    Returns
    -------
    list[str]
        One sentence per footnote of :attr:`BaselineResults.footnotes` that
        concerns the cells shown, in its order.
    """
    notes = results.footnotes
    columns = (notes[c].tolist() for c in ("indicator", "region_code", "period", "status", "meaning"))
    return [
        _note(results, indicator, str(code), period, str(status), t, str(meaning))
        for indicator, code, period, status, meaning in zip(*columns, strict=True)
        if indicator in indicators and (cells is None or (indicator, code, period) in cells)
    ]


def _concerns_shown(indicator: str, code: str, period: str, cells: set[Cell] | None) -> bool:
    """Whether a publisher's note (``""`` = every region / period) concerns a cell shown."""
    if cells is None:
        return True
    return any(i == indicator and (not code or c == code) and (not period or p == period) for i, c, p in cells)


def source_note_lines(
    results: BaselineResults, indicators: Collection[str], t: Translator, cells: set[Cell] | None = None
) -> list[str]:
    """The publishers' own footnotes on the figures shown, once per text, introduced by one line.

    Parameters
    ----------
    results
        The baseline results (:attr:`~.results.BaselineResults.source_notes`).
    indicators
        Indicator ids of the table or figure, in the order to list them.
    t
        Translator.
    cells
        ``(indicator, region_code, period)`` cells shown; ``None`` = every cell.

    Returns
    -------
    list[str]
        ``Notes from the sources:`` and one line per note text as the
        publisher wrote it, naming the indicators (and the area or period when
        the note is about one), or nothing when no note concerns the cells.
    """
    notes = results.source_notes
    # One line per text and the area/period it is about, naming every indicator it concerns.
    texts: dict[tuple[str, str, str], list[str]] = {}
    for indicator in indicators:
        rows = notes[notes["indicator"] == indicator]
        for code, period, text in rows[["region_code", "period", "note"]].itertuples(index=False):
            if _concerns_shown(indicator, str(code), str(period), cells):
                titles = texts.setdefault((str(text), str(code), str(period)), [])
                title = indicator_title(results, indicator, t)
                if title not in titles:
                    titles.append(title)
    lines = []
    for (text, code, period), titles in texts.items():
        where = ([area_label(results, code, t)] if code else []) + ([format_period(period)] if period else [])
        lines.append(
            t(
                "baseline.note_source",
                indicators=", ".join(titles),
                where=f" ({', '.join(where)})" if where else "",
                note=text,
            )
        )
    return [t("baseline.note_source_intro"), *lines] if lines else []


def notes_with_intro(notes: list[str], t: Translator) -> list[str]:
    """Footnotes for missing figures, introduced by one line saying what the markers are (nothing when none)."""
    return [t("baseline.note_missing_intro"), *notes] if notes else []


def blank_repeats(values: pd.Series) -> list[str]:
    """Show a long label once per block of rows, not on every row."""
    items = [str(v) for v in values]
    return [v if i == 0 or v != items[i - 1] else "" for i, v in enumerate(items)]


def region_members(results: BaselineResults, t: Translator) -> str:
    """The region's municipalities as ``Kongsvinger (3401), Nord-Odal (3414), ...``."""
    return ", ".join(f"{area_label(results, c, t)} ({c})" for c in results.municipalities)


def baseline_periods_note(results: BaselineResults, indicators: Collection[str], t: Translator) -> str | None:
    """Each indicator's own null-point period (``Ungdata: livskvalitet 2019–2021; ...``), or ``None`` without any.

    The null point is a year (config ``baseline.year``) but each source has
    its own periods: a three-year Ungdata period ending in 2021 is the
    baseline of a null point in 2023, and the footnote says so.
    """
    changes = results.changes
    if changes.empty:
        return None
    parts = []
    for ind_id in indicators:
        periods = changes.loc[changes["indicator"] == ind_id, "baseline_period"].astype(str)
        if len(periods):
            shown = ", ".join(format_period(p) for p in sorted(set(periods)))
            parts.append(f"{indicator_title(results, ind_id, t)} {shown}")
    if not parts:
        return None
    return t("baseline.note_baseline_periods", baseline_year=results.baseline_year, periods="; ".join(parts))
