"""Plain-language summaries written from the numbers, in the report language.

The summary is made in two steps so that no sentence is ever matched by its
words: :func:`followup_notes` decides what to say, as :class:`SummaryNote`
values (a :class:`NoteCode` and the numbers it needs), and :func:`note_text`
turns a note into a sentence through the locale catalogue
(``followup.<code>``). Code that needs to know what the summary says (tests,
a front page) reads the codes; only people read the sentences.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

import pandas as pd

from outcomes.analyses.followup.rates import select
from outcomes.core.formatting import format_count, format_interval, format_number, format_percent
from outcomes.core.i18n import Translator
from outcomes.registries.statuses import StatusMap

if TYPE_CHECKING:
    from outcomes.inputs.intake import InputSummary


class NoteCode(StrEnum):
    """What one summary sentence says; the value is its label under ``followup.`` in the locale catalogue."""

    SUPPRESSED = "summary_suppressed"
    REACHED = "summary_reached"
    GROUP = "summary_group"
    CHANGE_UP = "summary_change_up"
    CHANGE_DOWN = "summary_change_down"
    CHANGE_SAME = "summary_change_same"
    CHANGE_UNCERTAIN = "summary_change_uncertain"
    BOUNDS = "summary_bounds"


@dataclass(frozen=True)
class SummaryNote:
    """One sentence of the summary before it is written: its code and its values, unformatted.

    ``values`` holds years as ``int``, counts as numbers of people, shares
    (``share``, ``response_rate``, ``low``, ``high``) and the bounds of a
    95% interval (``ci_low``, ``ci_high``) as 0-1, ``diff`` in percentage points and
    ``group`` as a group id of ``status_map.yml``.
    """

    code: NoteCode
    values: Mapping[str, object] = field(default_factory=dict)


_COUNTS = frozenset({"responded", "contacted"})
_SHARES = frozenset({"share", "response_rate", "low", "high"})
_INTERVAL = frozenset({"ci_low", "ci_high"})


def _group_lower(title: str, lang: str) -> str:
    """A group title inside a sentence: bokmål in lower case; English with a lower-case first word, unless an acronym."""
    if lang != "en":
        return title.lower()
    first = title.split(" ", 1)[0]
    return title if first.isupper() and len(first) > 1 else title[0].lower() + title[1:]


def note_text(note: SummaryNote, status_map: StatusMap, lang: str = "nb") -> str:
    """The sentence a note stands for, in ``lang``, its numbers formatted for that language."""
    values: dict[str, object] = {}
    for key, value in note.values.items():
        if key in _INTERVAL:
            continue
        if key in _COUNTS:
            values[key] = format_count(value, lang)
        elif key in _SHARES:
            values[key] = format_percent(value, 0, lang)
        elif key == "diff":
            values[key] = format_number(value, 0, lang)
        elif key == "group":
            values["group_lower"] = _group_lower(status_map.group_title(str(value), lang), lang)
        else:
            values[key] = value
    if "ci_low" in note.values:
        values["interval"] = format_interval(note.values["ci_low"], note.values.get("ci_high"), 0, lang)
    return Translator(lang)(f"followup.{note.code.value}", **values)


def _change_notes(now: pd.Series, before: pd.DataFrame, group: str, year: int) -> list[SummaryNote]:
    """The lead group's change from the previous year, and whether the two intervals overlap."""
    if group not in before.index:
        return []
    prev = before.loc[group]
    if pd.isna(prev["share"]):
        return []
    diff = round((now["share"] - prev["share"]) * 100)
    code = NoteCode.CHANGE_SAME if diff == 0 else (NoteCode.CHANGE_UP if diff > 0 else NoteCode.CHANGE_DOWN)
    notes = [SummaryNote(code, {"diff": abs(diff), "previous": year - 1})]
    overlap = now["ci_low"] <= prev["ci_high"] and prev["ci_low"] <= now["ci_high"]
    if diff != 0 and overlap:
        notes.append(SummaryNote(NoteCode.CHANGE_UNCERTAIN))
    return notes


def _bounds_note(rates: pd.DataFrame, year: int, group: str) -> list[SummaryNote]:
    """The lead group's share with non-respondents counted as negative and as positive, when both are shown."""
    low = select(rates, "negative")
    high = select(rates, "positive")
    lo = low[(low["followup_year"] == year) & (low["group"] == group)]["share"]
    hi = high[(high["followup_year"] == year) & (high["group"] == group)]["share"]
    if len(lo) and len(hi) and pd.notna(lo.iloc[0]) and pd.notna(hi.iloc[0]):
        return [SummaryNote(NoteCode.BOUNDS, {"low": lo.iloc[0], "high": hi.iloc[0]})]
    return []


def followup_notes(rates: pd.DataFrame, year: int, status_map: StatusMap) -> list[SummaryNote]:
    """What the summary of the report year says: reach, the headline shares with intervals, change and bounds.

    ``rates`` must be published (disclosure-controlled) rates, so no hidden
    number can reach the text. The groups are ``shown.headline`` of the
    status map, in order; the first (the lead group) also gets its change
    from the previous year, called uncertain when the two intervals overlap,
    and its non-response bounds.
    """
    rows = select(rates)
    now = rows[rows["followup_year"] == year].set_index("group")
    if now.empty or pd.isna(now["responded"].iloc[0]):
        return [SummaryNote(NoteCode.SUPPRESSED, {"year": year})]
    first = now.iloc[0]
    reached = {
        "year": year,
        "responded": first["responded"],
        "contacted": first["contacted"],
        "response_rate": first["response_rate"],
    }
    notes = [SummaryNote(NoteCode.REACHED, reached)]
    before = rows[rows["followup_year"] == year - 1].set_index("group")
    for group in status_map.headline_groups:
        row = now.loc[group]
        if pd.isna(row["share"]):
            continue
        shares = {"share": row["share"], "ci_low": row["ci_low"], "ci_high": row["ci_high"]}
        notes.append(SummaryNote(NoteCode.GROUP, shares | {"group": group}))
        if group == status_map.lead_group:
            notes += _change_notes(row, before, group, year)
    return notes + _bounds_note(rates, year, status_map.lead_group)


def followup_summary(rates: pd.DataFrame, year: int, status_map: StatusMap, lang: str = "nb") -> list[str]:
    """The sentences of :func:`followup_notes`, written in ``lang`` (the front page and the follow-up page)."""
    return [note_text(note, status_map, lang) for note in followup_notes(rates, year, status_map)]


def input_rows_sentence(summary: InputSummary, key: str, t: Translator) -> str:
    """How many rows of an input file were read, used and left out, with the label ``key`` (e.g. ``followup.data_rows``)."""
    return t(
        key,
        file=summary.file,
        read=format_count(summary.rows_read, t.lang),
        accepted=format_count(summary.rows_accepted, t.lang),
        rejected=format_count(summary.rows_rejected, t.lang),
    )
