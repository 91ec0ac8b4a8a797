"""What the follow-up page and the front page show: tables, charts and headline cards in the report language.

Every function takes published results (:class:`~outcomes.analyses.followup.results.FollowupResults`,
disclosure control applied) and a :class:`~outcomes.core.i18n.Translator`, and
returns something to show as it is: a table of formatted text (shares as
percent, intervals, counts), a chart, or headline cards. Which groups each
table and chart shows comes from ``config/status_map.yml`` (``groups`` and
``shown``), so the notebook ``notebooks/10_followup.py`` only calls these.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from outcomes.analyses.followup.figures import departments_compared, rates_over_time, response_rate_over_time
from outcomes.analyses.followup.rates import ALL, select
from outcomes.analyses.followup.results import FollowupResults
from outcomes.core.formatting import format_count, format_interval, format_percent, format_years
from outcomes.core.i18n import Translator
from outcomes.inputs.intake import InputSummary
from outcomes.registries.statuses import StatusMap
from outcomes.render.cards import Card

#: The treatments of non-response in the bounds table, lower bound first.
BOUNDS_ORDER: tuple[str, ...] = ("negative", "respondents", "positive")


def _share_cells(block: pd.DataFrame, groups: Sequence[str], titles: dict[str, str], t: Translator) -> dict[str, str]:
    """Each group's share and interval as two text columns, from rows indexed by group (shares 0-1)."""
    interval = t("common.interval")
    cells: dict[str, str] = {}
    for group in groups:
        cells[titles[group]] = format_percent(block.loc[group, "share"], 0, t.lang)
        cells[f"{titles[group]} ({interval})"] = format_interval(
            block.loc[group, "ci_low"], block.loc[group, "ci_high"], 0, t.lang
        )
    return cells


def _report_year(results: FollowupResults) -> pd.DataFrame:
    """Rows among respondents in the report year, all departments first, then each department."""
    rates = results.rates
    return rates[(rates["treatment"] == "respondents") & (rates["followup_year"] == results.report_year)]


def rates_by_year(results: FollowupResults, t: Translator, groups: Sequence[str] | None = None) -> pd.DataFrame:
    """Share among respondents of each group per follow-up year, all departments.

    Parameters
    ----------
    results
        Published follow-up results.
    t
        Labels in the report language.
    groups
        Groups to show, in order (default: every group in ``status_map.yml``).

    Returns
    -------
    pandas.DataFrame
        One row per year: year, number of respondents (n), then for each group
        its share as percent and its 95% interval (text; "–" where suppressed).
    """
    shown = list(groups) if groups is not None else list(results.status_map.group_ids)
    titles = results.status_map.group_titles(t.lang)
    rows = []
    for year, block in select(results.rates).groupby("followup_year"):
        by_group = block.set_index("group")
        first = {t("common.year"): str(year), t("common.n"): format_count(by_group["responded"].iloc[0], t.lang)}
        rows.append(first | _share_cells(by_group, shown, titles, t))
    return pd.DataFrame(rows)


def trend_table(results: FollowupResults, t: Translator) -> pd.DataFrame:
    """The numbers behind :func:`trend_chart`: :func:`rates_by_year` for the groups ``shown.over_time``."""
    return rates_by_year(results, t, results.status_map.shown.over_time)


def trend_chart(results: FollowupResults, t: Translator) -> go.Figure:
    """Share among respondents over the years of the groups ``shown.over_time``, with 95% interval bands."""
    return rates_over_time(
        select(results.rates),
        results.status_map.shown.over_time,
        results.status_map.group_titles(t.lang),
        lang=t.lang,
        y_title=t("followup.axis_share"),
        interval_label=t("common.interval"),
    )


def department_table(results: FollowupResults, t: Translator) -> pd.DataFrame:
    """Share among respondents in the report year by department, for the groups ``shown.by_department``.

    One row for all departments, then one per department: name, number of
    respondents (n), and each group's share and 95% interval as text.
    """
    groups = results.status_map.shown.by_department
    titles = results.status_map.group_titles(t.lang)
    names = {ALL: t("common.all_departments")}
    rows = []
    for department, block in _report_year(results).groupby("department", sort=False):
        by_group = block.set_index("group")
        first = {
            t("common.department"): names.get(str(department), str(department)),
            t("common.n"): format_count(by_group["responded"].iloc[0], t.lang),
        }
        rows.append(first | _share_cells(by_group, groups, titles, t))
    return pd.DataFrame(rows)


def department_chart(results: FollowupResults, t: Translator) -> go.Figure:
    """Bars by department for the report year, for the groups ``shown.by_department``, with interval whiskers."""
    groups = results.status_map.shown.by_department
    rows = _report_year(results)
    return departments_compared(
        rows[rows["group"].isin(groups)],
        groups,
        results.status_map.group_titles(t.lang),
        {ALL: t("common.all_departments")},
        lang=t.lang,
        x_title=t("followup.axis_share"),
        interval_label=t("common.interval"),
    )


def response_table(results: FollowupResults, t: Translator) -> pd.DataFrame:
    """Contacted, responded and the response rate (percent) per follow-up year, all departments."""
    lang = t.lang
    years = select(results.rates).drop_duplicates("followup_year")
    return pd.DataFrame(
        {
            t("common.year"): years["followup_year"].astype(str),
            t("common.contacted"): years["contacted"].map(lambda v: format_count(v, lang)),
            t("common.responded"): years["responded"].map(lambda v: format_count(v, lang)),
            t("common.response_rate"): years["response_rate"].map(lambda v: format_percent(v, 0, lang)),
        }
    )


def response_chart(results: FollowupResults, t: Translator) -> go.Figure:
    """Bars of the response rate per follow-up year."""
    name = t("common.response_rate")
    return response_rate_over_time(select(results.rates), lang=t.lang, name=name, y_title=name)


def bounds_table(results: FollowupResults, t: Translator) -> pd.DataFrame:
    """The report year's shares of the groups ``shown.by_department`` under each treatment of non-response.

    One row per treatment (:data:`BOUNDS_ORDER`: non-respondents counted as
    negative, left out, counted as positive), all departments.
    """
    groups = results.status_map.shown.by_department
    titles = results.status_map.group_titles(t.lang)
    rows = []
    for treatment in BOUNDS_ORDER:
        chosen = select(results.rates, treatment, groups=groups)
        by_group = chosen[chosen["followup_year"] == results.report_year].set_index("group")
        rows.append({t("common.group"): t(f"treatment.{treatment}")} | _share_cells(by_group, groups, titles, t))
    return pd.DataFrame(rows)


def counts_notes(results: FollowupResults, t: Translator) -> list[str]:
    """Which years shown come from yearly counts rather than person-level records (none: an empty list).

    Sentences for the top of the follow-up page: the years from the counts
    file (``inputs.followup_counts``), the years from records, and the years
    from counts without departments (shown for all departments only).
    """
    if results.counts is None or not results.years_from_counts:
        return []
    from_counts = results.years_from_counts
    shown = sorted({int(y) for y in results.rates["followup_year"]})
    notes = [t("followup.counts_note", years=format_years(from_counts), file=results.counts.file)]
    from_records = [y for y in shown if y not in from_counts]
    if from_records:
        notes.append(t("followup.counts_note_records", years=format_years(from_records), file=results.intake.file))
    by_department = set(results.rates.loc[results.rates["department"] != ALL, "followup_year"].astype(int))
    without = [y for y in from_counts if y not in by_department]
    if without:
        notes.append(t("followup.counts_note_all_departments", years=format_years(without)))
    return notes


def input_summaries(results: FollowupResults) -> list[InputSummary]:
    """The row accounting of each follow-up input: the records, then the yearly counts when configured."""
    return [results.intake] + ([results.counts] if results.counts is not None else [])


def group_definitions(status_map: StatusMap, t: Translator) -> pd.DataFrame:
    """One row per group: its title and the titles of the statuses it includes."""
    return pd.DataFrame(
        {
            t("followup.definitions_groups"): list(status_map.group_titles(t.lang).values()),
            t("followup.definitions_members"): [
                ", ".join(status_map.status_title(s, t.lang) for s in d.statuses) for d in status_map.groups.values()
            ],
        }
    )


def status_definitions(status_map: StatusMap, t: Translator) -> pd.DataFrame:
    """One row per canonical status: its title and what it means."""
    return pd.DataFrame(
        {
            t("followup.definitions_status"): [d.title.text(t.lang) for d in status_map.statuses.values()],
            t("followup.definitions_meaning"): [d.description.text(t.lang) for d in status_map.statuses.values()],
        }
    )


def headline_cards(results: FollowupResults, t: Translator) -> list[Card]:
    """The front page's cards: each headline group's share in the report year (none when not available).

    The groups are ``shown.headline`` of ``status_map.yml``, in that order;
    the figures are those of :meth:`FollowupResults.headline` (respondents,
    all departments).
    """
    head = results.headline()
    if not head.get("available"):
        return []
    lang = t.lang
    cards = []
    for group in results.status_map.headline_groups:
        figures = head["groups"][group]
        interval = format_interval(figures["ci_low"], figures["ci_high"], 0, lang)
        cards.append(
            Card(
                value=format_percent(figures["share"], 0, lang),
                label=f"{results.status_map.group_title(group, lang)} ({results.report_year})",
                detail=f"{t('common.interval')} {interval}, n = {format_count(figures['denominator'], lang)}",
            )
        )
    return cards
