"""The tables, figures and texts the baseline page shows, built from :class:`~.results.BaselineResults`.

The notebook ``20_baseline`` only calls these and shows what they return
(through :mod:`outcomes.render.display`). Every label comes from the
translation catalogue; values are formatted in each indicator's unit
(:mod:`~.formatting`). The positive-deviance part is in :mod:`~.deviance_views`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from outcomes.analyses.baseline.figures import largest_challenges_bar, trend_small_multiples
from outcomes.analyses.baseline.formatting import format_change, format_value
from outcomes.analyses.baseline.labels import (
    Cell,
    area_name,
    baseline_periods_note,
    blank_repeats,
    indicator_title,
    missing_notes,
    notes_with_intro,
    region_members,
    source_lines,
    source_note_lines,
)
from outcomes.analyses.baseline.region import LEVELS
from outcomes.analyses.baseline.results import BaselineResults
from outcomes.core.formatting import MISSING, format_number, format_percent, format_period
from outcomes.core.i18n import Translator

#: Part of the indicator folder's path that marks the shipped demo data.
DEMO_FOLDER = "demo"

#: Assessments whose summary sentence has no change in it (there is none to show).
SUMMARY_KEYS = {
    "no_new_data": "baseline.summary_no_new_data",
    "not_comparable": "baseline.summary_not_comparable",
}

#: Assessments shown without a change (``–``): nothing newer, or periods that share years.
NO_CHANGE_SHOWN = {"no_new_data", "not_comparable"}


@dataclass(frozen=True)
class TableView:
    """A formatted table ready for :func:`outcomes.render.display.show_table`: cells as text, labels translated."""

    table: pd.DataFrame
    footnotes: list[str]
    numeric: list[str]
    caption: str | None = None


@dataclass(frozen=True)
class FigureView:
    """A figure ready for :func:`outcomes.render.display.show_figure`, with its numbers as a table."""

    figure: go.Figure
    name: str
    caption: str
    data: TableView


@dataclass(frozen=True)
class ThemeSection:
    """One theme of the page: its heading and its table."""

    heading: str
    table: TableView


def rows_of(frame: pd.DataFrame, columns: Sequence[str]) -> Iterator[tuple[Any, ...]]:
    """The values of the named columns, row by row (nothing for a frame without rows, which may lack the columns)."""
    if frame.empty:
        return iter(())
    return zip(*(frame[c].tolist() for c in columns), strict=True)


# --------------------------------------------------------------------------- opening texts


def page_title(results: BaselineResults, t: Translator) -> str:
    """``Nullpunktsanalyse: Kongsvingerregionen``."""
    return t("baseline.title", region=results.region_name)


def intro(results: BaselineResults, t: Translator) -> str:
    """What the null point is and what is compared (naming the latest year when there are newer figures)."""
    members = region_members(results, t)
    if results.latest_year is None:
        return t(
            "baseline.intro_no_latest", region=results.region_name, baseline_year=results.baseline_year, members=members
        )
    return t(
        "baseline.intro",
        region=results.region_name,
        baseline_year=results.baseline_year,
        members=members,
        latest_year=results.latest_year,
    )


def scope_note(results: BaselineResults, t: Translator) -> str | None:
    """Why the region and age groups are what they are (``baseline.scope_note`` in the configuration), if given."""
    return t("baseline.scope_note", text=results.scope_note) if results.scope_note else None


def demo_note(results: BaselineResults, t: Translator) -> str | None:
    """A warning that the figures are illustrative, when the indicator folder lies under a ``demo`` folder."""
    return t("baseline.demo_note") if DEMO_FOLDER in results.indicator_folder.split("/") else None


def summary_sentences(results: BaselineResults, t: Translator) -> list[str]:
    """One sentence per assessed indicator: the region now against the null point, and the judgement."""
    out = []
    for ind_id in results.indicator_ids(assessed=True):
        r = results.region_change(ind_id)
        if r is None:
            continue
        ind = results.catalogue.get(ind_id)
        key = SUMMARY_KEYS.get(str(r["assessment"]), "baseline.summary_line")
        out.append(
            t(
                key,
                indicator=getattr(ind.title, t.lang),
                latest=format_value(r["latest_value"], ind.unit, t.lang),
                latest_period=format_period(r["latest_period"]),
                baseline=format_value(r["baseline_value"], ind.unit, t.lang),
                baseline_period=format_period(r["baseline_period"]),
                change=format_change(r["change"], ind.unit, t),
                assessment=t(f"baseline.assessment_{r['assessment']}").lower(),
            )
        )
    return out


# --------------------------------------------------------------------------- themes


def _theme_rows(results: BaselineResults, ind_id: str, t: Translator, cells: set[Cell]) -> list[list[str]]:
    """One row per area of one indicator (cells shown are added to ``cells``, for the footnotes)."""
    ind = results.catalogue.get(ind_id)
    title = getattr(ind.title, t.lang)
    sel = results.changes[results.changes["indicator"] == ind_id] if not results.changes.empty else results.changes
    names = ("level", "region_code", "region_name", "baseline_period", "latest_period")
    rows = []
    for level, code, name, base_period, latest_period, base, latest, change, assessment in rows_of(
        sel, (*names, "baseline_value", "latest_value", "change", "assessment")
    ):
        code, base_period, latest_period = str(code), str(base_period), str(latest_period)
        cells.update({(ind_id, code, base_period), (ind_id, code, latest_period)})
        rows.append(
            [
                title,
                area_name(level, code, name, t),
                f"{format_period(base_period)} → {format_period(latest_period)}",
                format_value(base, ind.unit, t.lang),
                format_value(latest, ind.unit, t.lang),
                MISSING if assessment in NO_CHANGE_SHOWN else format_change(change, ind.unit, t),
                t(f"baseline.assessment_{assessment}"),
            ]
        )
    return rows


def theme_view(results: BaselineResults, theme: str, t: Translator) -> TableView:
    """Per theme: each municipality, the region, the county and the country, at the null point and now.

    Columns: indicator, area, periods (null point → latest), null-point value,
    latest value, change (indicator unit; percentage points for percent) and
    the judgement (better / worse by the indicator's direction). The caption
    names the theme.
    """
    ids = results.indicator_ids(theme=theme)
    cols = [
        t(f"baseline.col_{c}") for c in ("indicator", "area", "periods", "baseline", "latest", "change", "assessment")
    ]
    cells: set[Cell] = set()
    rows = [row for ind_id in ids for row in _theme_rows(results, ind_id, t, cells)]
    table = pd.DataFrame(rows, columns=cols)
    table[cols[0]] = blank_repeats(table[cols[0]])
    notes = notes_with_intro(missing_notes(results, ids, t, cells), t)
    notes += source_note_lines(results, ids, t, cells)
    notes.append(t("baseline.note_change"))
    periods = baseline_periods_note(results, ids, t)
    notes += [periods] if periods else []
    notes.append(t("baseline.note_noise"))
    notes += source_lines(results, ids, t)
    title = getattr(results.catalogue.themes[theme], t.lang)
    return TableView(table, notes, cols[3:6], t("baseline.theme_caption", theme=title))


def theme_sections(results: BaselineResults, t: Translator) -> list[ThemeSection]:
    """Every theme with indicators present, assessed themes first: heading and table."""
    return [
        ThemeSection(getattr(results.catalogue.themes[theme], t.lang), theme_view(results, theme, t))
        for theme in results.themes()
    ]


# --------------------------------------------------------------------------- trends


def trend_view(results: BaselineResults, t: Translator, indicators: list[str] | None = None) -> TableView:
    """The numbers behind the small multiples: one row per indicator and area, one column per year.

    The column is the last year of each period (``2022_2024`` shows under 2024).
    """
    ids = indicators if indicators is not None else results.indicator_ids(assessed=True)
    c_ind, c_area = t("baseline.col_indicator"), t("baseline.col_area")
    years = sorted(set(results.table[results.table["indicator"].isin(ids)]["period_end"]))
    rows = []
    order = {lvl: i for i, lvl in enumerate(LEVELS)}
    for ind_id in ids:
        ind = results.catalogue.get(ind_id)
        sel = results.table[results.table["indicator"] == ind_id].copy()
        sel["order"] = sel["level"].map(order)
        for (_, code), part in sel.groupby(["order", "region_code"], sort=True):
            level, name = str(part["level"].iloc[0]), str(part["region_name"].iloc[0])
            row = {c_ind: getattr(ind.title, t.lang), c_area: area_name(level, str(code), name, t)}
            by_year = dict(zip(part["period_end"].tolist(), part["value"].astype("float64").tolist(), strict=True))
            for y in years:
                row[str(y)] = format_value(by_year[y], ind.unit, t.lang) if y in by_year else ""
            rows.append(row)
    table = pd.DataFrame(rows, columns=[c_ind, c_area, *[str(y) for y in years]])
    table[c_ind] = blank_repeats(table[c_ind])
    notes = notes_with_intro(missing_notes(results, ids, t), t)
    notes += source_note_lines(results, ids, t)
    notes.append(t("baseline.note_period_end"))
    notes += source_lines(results, ids, t)
    return TableView(table, notes, [str(y) for y in years])


def _county_label(results: BaselineResults, t: Translator) -> str:
    county = results.table[results.table["level"] == "county"]["region_name"]
    return f"{county.iloc[0]} ({t('baseline.level_county')})" if len(county) else t("baseline.level_county")


def trend_figure(results: BaselineResults, t: Translator) -> FigureView:
    """Small multiples of every assessed indicator over time, with the null point marked, and their numbers."""
    ids = results.indicator_ids(assessed=True)
    figure = trend_small_multiples(
        results.table,
        indicators=ids,
        titles={i: indicator_title(results, i, t) for i in ids},
        level_labels={
            "region": results.region_name,
            "county": _county_label(results, t),
            "country": t("baseline.country"),
        },
        baseline_year=results.baseline_year,
        baseline_label=t("baseline.null_point"),
        y_titles={i: t(f"baseline.unit_{results.catalogue.get(i).unit}") for i in ids},
        municipalities=list(results.municipalities),
    )
    caption = t("baseline.trend_caption", baseline_year=results.baseline_year)
    return FigureView(figure, "baseline-trends", caption, trend_view(results, t, ids))


# --------------------------------------------------------------------------- largest challenges


@dataclass(frozen=True)
class ChallengesView:
    """The largest challenges: a bar chart of the standardised scores (``None`` when there are none) and the table."""

    figure: FigureView | None
    table: TableView


def _score_text(score: float, method: str, t: Translator) -> str:
    if method == "standardised":
        return t("baseline.score_sd", score=format_number(score, 1, t.lang))
    return t("baseline.score_relative", score=format_percent(score, 0, t.lang))


def challenges_table(results: BaselineResults, t: Translator) -> TableView:
    """Every largest challenge with its value, the reference, and the score with how it was measured."""
    ch = results.challenges
    cols = [
        t(f"baseline.col_{c}") for c in ("municipality", "rank", "indicator", "period", "value", "reference", "score")
    ]
    rows = []
    names = (
        "region_name",
        "rank",
        "indicator",
        "period",
        "value",
        "reference_level",
        "reference_value",
        "score",
        "score_method",
    )
    for name, rank, ind_id, period, value, ref_level, ref_value, score, method in rows_of(ch, names):
        unit = results.catalogue.get(ind_id).unit
        rows.append(
            [
                name,
                str(rank),
                indicator_title(results, ind_id, t),
                format_period(period),
                format_value(value, unit, t.lang),
                f"{format_value(ref_value, unit, t.lang)} ({t(f'baseline.reference_{ref_level}')})",
                _score_text(score, method, t),
            ]
        )
    table = pd.DataFrame(rows, columns=cols)
    table[cols[0]] = blank_repeats(table[cols[0]])
    notes = [t("baseline.note_score")]
    if not ch.empty:
        if (ch["score_method"] == "relative").any():
            notes.append(t("baseline.note_score_relative"))
        if (ch["reference_level"] == "county").any():
            notes.append(t("baseline.note_reference_county"))
        shown = set(ch["indicator"])
        notes += source_lines(results, [i for i in results.indicator_ids(assessed=True) if i in shown], t)
    return TableView(table, notes, cols[4:7])


def challenges_view(results: BaselineResults, t: Translator) -> ChallengesView:
    """Largest challenges: the chart of the standardised scores and the full formatted table.

    Scores measured in standard deviations across all municipalities and
    scores relative to the reference value are on different scales, so only
    the standardised ones are drawn; the table lists both, with how each was
    measured.
    """
    ch = results.challenges
    table = challenges_table(results, t)
    drawn = ch[ch["score_method"] == "standardised"] if not ch.empty else ch
    if not len(drawn):
        return ChallengesView(None, table)
    figure = largest_challenges_bar(
        drawn,
        titles={i: indicator_title(results, i, t) for i in results.indicator_ids()},
        x_title=t("baseline.challenges_axis"),
    )
    return ChallengesView(FigureView(figure, "baseline-challenges", t("baseline.challenges_caption"), table), table)


# --------------------------------------------------------------------------- targets and sources


def targets_view(results: BaselineResults, t: Translator) -> TableView:
    """The region's distance to each configured target (indicator unit)."""
    lang = t.lang
    cols = [t(f"baseline.col_{c}") for c in ("indicator", "target", "baseline", "latest", "remaining", "closed", "met")]
    gaps = results.gaps
    names = ("indicator", "target", "baseline_value", "latest_value", "remaining", "share_of_gap_closed", "target_met")
    rows = []
    for ind_id, target, base, latest, remaining, closed, met in rows_of(gaps, names):
        unit = results.catalogue.get(ind_id).unit
        rows.append(
            [
                indicator_title(results, ind_id, t),
                format_value(target, unit, lang),
                format_value(base, unit, lang),
                format_value(latest, unit, lang),
                format_change(remaining, unit, t).lstrip("+"),
                format_percent(None if pd.isna(closed) else closed / 100, 0, lang),
                t("baseline.answer_yes") if met else t("baseline.answer_no"),
            ]
        )
    notes = [t("baseline.note_targets")]
    notes += source_lines(results, sorted(set(gaps["indicator"])), t) if not gaps.empty else []
    return TableView(pd.DataFrame(rows, columns=cols), notes, cols[1:6], t("baseline.targets_caption"))


def _region_method(results: BaselineResults, ind_id: str, t: Translator) -> str:
    """How the region figure of an indicator is made: a sum, from counts, or weighted by another indicator."""
    ind = results.catalogue.get(ind_id)
    method = "sum" if ind.unit == "count" else ("counts" if ind.aggregate == "counts" else "weighted")
    weight = indicator_title(results, ind.weight, t) if ind.weight else ""
    return t(f"baseline.method_{method}", weight=weight[:1].lower() + weight[1:])


def sources_view(results: BaselineResults, t: Translator) -> TableView:
    """Every indicator with its publisher, table number and address, and how the region figure is made."""
    cols = [t(f"baseline.col_{c}") for c in ("indicator", "publisher", "table", "url", "region_method")]
    rows = []
    for ind_id in results.indicator_ids():
        ind = results.catalogue.get(ind_id)
        source = ind.source
        title = getattr(ind.title, t.lang)
        rows.append([title, source.publisher, source.table, source.url, _region_method(results, ind_id, t)])
    return TableView(pd.DataFrame(rows, columns=cols), [], [], t("baseline.sources_caption"))


def method_text(results: BaselineResults, t: Translator) -> str:
    """How codes are harmonised and missing figures treated, naming the geography version."""
    return t("baseline.method_text", geography_year=results.geography_year)


def data_files_text(results: BaselineResults, t: Translator) -> str:
    """The indicator folder and the files read from it (names only)."""
    folder = results.indicator_folder
    files = [i["file"].rsplit("/", 1)[-1] for i in results.inputs if i["file"].startswith(folder + "/")]
    return t("baseline.data_files", folder=folder, files=", ".join(files))


def national_file_text(results: BaselineResults, t: Translator) -> str | None:
    """The national file behind the model and the spread, as configured (``None`` without one)."""
    return t("baseline.data_national", file=results.national_file) if results.national_file else None
