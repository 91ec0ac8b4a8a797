"""What the participants page shows: the profile, the services and the survey, in the report language.

Every function takes published results (:class:`~outcomes.analyses.participants.results.ParticipantsResults`,
disclosure control applied) and a :class:`~outcomes.core.i18n.Translator`,
and returns something to show as it is: a table of formatted text (shares as
percent, changes in percentage points, counts, "–" where hidden), a sentence,
footnotes or a chart. The notebook ``notebooks/15_participants.py`` only calls
these. Functions on the profile need ``results.profile`` (and the services
``results.services``); those on the survey need ``results.survey`` (and the
agreeing, trend and department tables ``results.change``): the notebook shows
each part only when its input was given.
"""

from __future__ import annotations

from typing import cast

import pandas as pd
import plotly.graph_objects as go

from outcomes.analyses.participants.figures import diverging_bars, profile_bars
from outcomes.analyses.participants.results import ParticipantsResults
from outcomes.analyses.participants.survey import ALL, SCALE
from outcomes.core.formatting import MISSING, format_count, format_interval, format_number, format_percent
from outcomes.core.i18n import Translator


def _profile(results: ParticipantsResults) -> pd.DataFrame:
    if results.profile is None:
        raise ValueError("the results have no profile (no profile input was configured)")
    return results.profile


def _survey(results: ParticipantsResults) -> tuple[pd.DataFrame, int]:
    if results.survey is None or results.survey_year is None:
        raise ValueError("the results have no survey (no survey input was configured, or no answers)")
    return results.survey, results.survey_year


def _change(results: ParticipantsResults) -> pd.DataFrame:
    if results.change is None:
        raise ValueError("the results have no change in the survey (no survey year to compare)")
    return results.change


def _missing(value: object) -> bool:
    """True for a hidden or absent number (``None``, NaN, ``<NA>``)."""
    return bool(pd.isna(cast(float | None, value)))  # the stubs do not take every scalar pandas returns


def _percent(share: object, lang: str) -> str:
    return format_percent(share, 0, lang)


def _count_share(count: object, share: object, t: Translator, hidden: bool) -> str:
    """``"72 (30 %)"``, or "–" when ``hidden``."""
    if hidden:
        return format_count(None, t.lang)
    return t("participants.count_share", count=format_count(count, t.lang), share=_percent(share, t.lang))


def _participants(results: ParticipantsResults) -> pd.Series:
    """Participants per school year."""
    return _profile(results).drop_duplicates("school_year").set_index("school_year")["participants"]


# --- The profile ---------------------------------------------------------------------------------------------------


def profile_intro(results: ParticipantsResults, t: Translator) -> str:
    """The sentence introducing the profile, with the number of participants in each school year."""
    people = _participants(results)
    years = ", ".join(
        t("participants.profile_participants_year", count=format_count(people[y], t.lang), year=y)
        for y in results.school_years
    )
    return t("participants.profile_intro", participants=t("participants.profile_participants", years=years))


def shown_difficulties(results: ParticipantsResults) -> list[str]:
    """The difficulties in the published profile (small ones merged into "other" are not), in catalogue order."""
    present = set(_profile(results)["category"])
    return [c for c in results.categories.of_kind("difficulty") if c in present]


def profile_footnotes(results: ParticipantsResults, t: Translator) -> list[str]:
    """Footnotes of the profile table and chart: several difficulties per person, merging, hidden cells, counts."""
    other = results.categories.titles(t.lang)[results.categories.other]
    notes = [
        t("participants.footnote_several"),
        t("participants.footnote_merged", threshold=results.threshold, other=other),
        t("common.footnote_suppressed", threshold=results.threshold),
    ]
    if results.profile_kind == "profile_counts":
        notes.append(t("participants.footnote_counts", other=other))
    return notes


def profile_table(results: ParticipantsResults, t: Translator) -> pd.DataFrame:
    """Participants and each shown difficulty per school year: a row of counts, then "count (share)" per difficulty."""
    titles = results.categories.titles(t.lang)
    people = _participants(results)
    years = results.school_years
    profile = _profile(results)
    keys = zip(profile["category"], profile["school_year"], strict=True)
    cells = dict(zip(keys, zip(profile["count"], profile["share"], strict=True), strict=True))
    category = t("participants.category")
    rows = [{category: t("participants.participants_row"), **{y: format_count(people[y], t.lang) for y in years}}]
    for c in shown_difficulties(results):
        row = {category: titles[c]}
        for y in years:
            count, share = cells.get((c, y), (None, None))
            row[y] = _count_share(count, share, t, hidden=_missing(count))
        rows.append(row)
    return pd.DataFrame(rows)


def _profile_chart(results: ParticipantsResults, t: Translator, kind: str, categories: list[str]) -> go.Figure:
    profile = _profile(results)
    return profile_bars(
        profile[profile["kind"] == kind],
        categories,
        results.categories.titles(t.lang),
        lang=t.lang,
        x_title=t("participants.axis_share_participants"),
        of_label=t("participants.of"),
    )


def profile_chart(results: ParticipantsResults, t: Translator) -> go.Figure:
    """Bars of the share of participants with each shown difficulty, one bar per school year."""
    return _profile_chart(results, t, "difficulty", shown_difficulties(results))


# --- The services --------------------------------------------------------------------------------------------------


def services_intro(results: ParticipantsResults, t: Translator) -> str | None:
    """The sentence on the latest school year's services with the year before ("a, b and c"); ``None`` without any."""
    if results.services is None or not results.school_years:
        return None
    titles = results.categories.titles(t.lang)
    year = results.school_years[-1]
    latest = results.services[results.services["school_year"] == year]
    parts = [
        t(
            "participants.services_item",
            share=_percent(r.share, t.lang),
            title_lower=titles[str(r.category)].lower(),
            previous=_percent(r.previous_share, t.lang),
        )
        for r in latest.itertuples()
    ]
    if not parts:
        return None
    joined = ", ".join(parts[:-1]) + (f" {t('participants.and_word')} " if len(parts) > 1 else "") + parts[-1]
    return t("participants.services_intro", year=year, summary=joined)


def services_table(results: ParticipantsResults, t: Translator) -> pd.DataFrame:
    """One row per school year and service: count, share, the previous year's share and the change in points."""
    if results.services is None:
        raise ValueError("the results have no services (no profile input was configured)")
    services = results.services
    lang = t.lang
    return pd.DataFrame(
        {
            t("common.year"): services["school_year"],
            t("participants.category"): services["category"].map(results.categories.titles(lang)),
            t("common.count"): services["count"].map(lambda v: format_count(v, lang)),
            t("common.share"): services["share"].map(lambda v: _percent(v, lang)),
            t("participants.previous"): services["previous_share"].map(lambda v: _percent(v, lang)),
            t("participants.change_pp"): services["change_pp"].map(lambda v: format_number(v, 0, lang)),
        }
    )


def services_chart(results: ParticipantsResults, t: Translator) -> go.Figure:
    """Bars of the share of participants followed by each service, one bar per school year."""
    return _profile_chart(results, t, "service", results.categories.of_kind("service"))


def category_definitions(results: ParticipantsResults, t: Translator) -> pd.DataFrame:
    """One row per category in the published profile: its title, kind (difficulty or service) and meaning."""
    present = set(_profile(results)["category"])
    shown = [results.categories.get(c) for c in results.categories.ids if c in present]
    return pd.DataFrame(
        {
            t("participants.definitions_category"): [getattr(c.title, t.lang) for c in shown],
            t("participants.definitions_kind"): [t(f"participants.kind_{c.kind}") for c in shown],
            t("participants.definitions_meaning"): [getattr(c.description, t.lang) for c in shown],
        }
    )


# --- The survey ----------------------------------------------------------------------------------------------------


def survey_years(results: ParticipantsResults) -> list[int]:
    """The survey years in the published tables, oldest first."""
    return sorted(int(y) for y in _survey(results)[0]["year"].unique())


def survey_intro(results: ParticipantsResults, t: Translator) -> str:
    """The sentence introducing the survey, with its years."""
    return t("participants.survey_intro", years=", ".join(str(y) for y in survey_years(results)))


def survey_footnotes(t: Translator, threshold: int) -> list[str]:
    """Footnotes of the survey tables: "don't know" left out, hidden cells."""
    return [t("participants.footnote_dont_know"), t("common.footnote_suppressed", threshold=threshold)]


def _latest_answers(results: ParticipantsResults) -> pd.DataFrame:
    """The latest survey year's rows for all departments, in item order."""
    survey, year = _survey(results)
    return survey[(survey["year"] == year) & (survey["department"] == ALL)].sort_values("item_order")


def _answer_titles(t: Translator) -> dict[str, str]:
    return {a: t(f"participants.answer_{a}") for a in SCALE}


def answers_chart(results: ParticipantsResults, t: Translator) -> go.Figure:
    """Diverging bars of the latest survey year's answers per item, all departments."""
    sides = {
        s: t("participants.answer_not_split", side=t(f"participants.side_{s}")) for s in ("disagreeing", "agreeing")
    }
    return diverging_bars(
        _latest_answers(results),
        _answer_titles(t),
        lang=t.lang,
        x_title=t("participants.axis_answers"),
        side_titles=sides,
    )


def answers_table(results: ParticipantsResults, t: Translator) -> pd.DataFrame:
    """The numbers behind :func:`answers_chart`: per item n, "count (share)" per answer, don't know, blank."""
    whole = _latest_answers(results)
    lang = t.lang
    titles = _answer_titles(t)
    answers = {
        titles[a]: [
            _count_share(c, s, t, hidden=_missing(s)) for s, c in zip(whole[f"share_{a}"], whole[a], strict=False)
        ]
        for a in SCALE
    }
    return pd.DataFrame(
        {
            t("participants.item"): whole["item"],
            t("common.n"): whole["n"].map(lambda v: format_count(v, lang)),
            **answers,
            t("participants.dont_know"): whole["dont_know"].map(lambda v: format_count(v, lang)),
            t("participants.blank"): whole["blank"].map(lambda v: format_count(v, lang)),
        }
    )


def _signed(value: object, lang: str) -> str:
    """A change in whole percentage points with its sign: ``+7``, ``−3``, ``0``."""
    text = format_number(value, 0, lang)
    return "+" + text if text != MISSING and round(float(value), 0) > 0 else text  # type: ignore[arg-type]


def _change_interval(low: object, high: object, t: Translator) -> str:
    """The 95% interval of a change in percentage points: ``−8 til +22`` (``–`` when not known)."""
    if MISSING in (_signed(low, t.lang), _signed(high, t.lang)):
        return MISSING
    return t("participants.change_interval_value", low=_signed(low, t.lang), high=_signed(high, t.lang))


def agreeing_table(results: ParticipantsResults, t: Translator) -> pd.DataFrame:
    """Share agreeing per item in the latest year with interval, the year before, the change, its interval and test."""
    year = _survey(results)[1]
    change = _change(results)
    overall = change[change["department"] == ALL].sort_values("item_order")
    lang = t.lang
    note = {True: t("participants.note_clear_change"), False: t("participants.note_no_clear_change")}
    intervals = zip(overall["ci_low"], overall["ci_high"], strict=False)
    change_intervals = zip(overall["change_low_pp"], overall["change_high_pp"], strict=False)
    return pd.DataFrame(
        {
            t("participants.item"): overall["item"],
            t("common.n"): overall["n"].map(lambda v: format_count(v, lang)),
            t("participants.share_agreeing"): overall["share"].map(lambda v: _percent(v, lang)),
            t("common.interval"): [format_interval(lo, hi, 0, lang) for lo, hi in intervals],
            str(year - 1): overall["previous_share"].map(lambda v: _percent(v, lang)),
            t("participants.change_pp"): overall["change_pp"].map(lambda v: _signed(v, lang)),
            t("participants.change_interval"): [_change_interval(lo, hi, t) for lo, hi in change_intervals],
            t("participants.note"): overall["clear_change"].map(lambda v: "" if pd.isna(v) else note[bool(v)]),
        }
    )


def agreeing_footnotes(t: Translator, threshold: int) -> list[str]:
    """Footnotes of :func:`agreeing_table`."""
    return [
        t("participants.footnote_dont_know"),
        t("common.footnote_suppressed", threshold=threshold),
        t("common.footnote_interval"),
        t("participants.footnote_change_test"),
    ]


def survey_items(results: ParticipantsResults) -> list[str]:
    """The survey's items (statements), in questionnaire order."""
    survey = _survey(results)[0]
    whole = survey[survey["department"] == ALL]
    return [str(i) for i in whole.drop_duplicates("item").sort_values("item_order")["item"]]


def trend_table(results: ParticipantsResults, t: Translator) -> pd.DataFrame:
    """Share agreeing per item and survey year, all departments ("share (n = …)", "–" where hidden or absent)."""
    survey = _survey(results)[0]
    items = survey_items(results)
    cells = survey[survey["department"] == ALL].set_index(["item", "year"])

    def cell(item: str, year: int) -> str:
        if (item, year) not in cells.index:
            return format_count(None, t.lang)
        share, n = cells.loc[(item, year), "share"], cells.loc[(item, year), "n"]
        return t("participants.share_n", share=_percent(share, t.lang), n=format_count(n, t.lang))

    years = {str(y): [cell(i, y) for i in items] for y in survey_years(results)}
    return pd.DataFrame({t("participants.item"): items, **years})


def department_table(results: ParticipantsResults, t: Translator) -> pd.DataFrame:
    """Share agreeing per item and department in the latest survey year, with n and interval ("–" where hidden)."""
    survey, year = _survey(results)
    items = survey_items(results)
    latest = survey[(survey["year"] == year) & (survey["department"] != ALL)]
    cells = {(r.item, r.department): r for r in latest.itertuples()}
    departments = sorted(survey.loc[survey["department"] != ALL, "department"].unique())
    lang = t.lang

    def cell(item: str, department: str) -> str:
        found = cells.get((item, department))
        if found is None or _missing(found.share):
            return format_count(None, lang)
        interval = format_interval(found.ci_low, found.ci_high, 0, lang)
        share, n = _percent(found.share, lang), format_count(found.n, lang)
        return t("participants.dept_cell", share=share, n=n, interval=interval)

    return pd.DataFrame({t("participants.item"): items, **{d: [cell(i, d) for i in items] for d in departments}})


def department_footnotes(t: Translator, threshold: int) -> list[str]:
    """Footnotes of :func:`department_table`: hidden cells, cells hidden to protect others, intervals."""
    return [
        t("common.footnote_suppressed", threshold=threshold),
        t("participants.footnote_secondary"),
        t("common.footnote_interval"),
    ]


def profile_kind_sentence(results: ParticipantsResults, t: Translator) -> str | None:
    """Which kind of profile file was read (per-participant flags or counts); ``None`` without a profile."""
    if not results.profile_kind:
        return None
    return t("participants.data_profile_kind", kind=t(f"participants.kind_{results.profile_kind}"))
