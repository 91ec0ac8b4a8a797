"""Plain-language summaries written from the numbers, in the report language."""

from __future__ import annotations

import pandas as pd

from outcomes.analyses.followup.rates import select
from outcomes.core.formatting import format_count, format_interval, format_number, format_percent
from outcomes.core.i18n import Translator
from outcomes.registries.statuses import StatusMap


def followup_summary(rates: pd.DataFrame, year: int, status_map: StatusMap, lang: str = "nb") -> list[str]:
    """Sentences on the report year: reach, the key shares with intervals, change and bounds.

    ``rates`` must be published (disclosure-controlled) rates, so no hidden
    number can reach the text. A change from the previous year is called
    uncertain when the two intervals overlap.
    """
    t = Translator(lang)
    rows = select(rates)
    now = rows[rows["followup_year"] == year].set_index("group")
    if now.empty or pd.isna(now["responded"].iloc[0]):
        return [t("followup.summary_suppressed", year=year)]
    sentences = [
        t(
            "followup.summary_reached",
            year=year,
            responded=format_count(now["responded"].iloc[0], lang),
            contacted=format_count(now["contacted"].iloc[0], lang),
            response_rate=format_percent(now["response_rate"].iloc[0], 0, lang),
        )
    ]
    before = rows[rows["followup_year"] == year - 1].set_index("group")
    for group in ("education_or_work", "positive_activity", "education"):
        row = now.loc[group]
        if pd.isna(row["share"]):
            continue
        title = getattr(status_map.groups[group].title, lang)
        sentences.append(
            t(
                "followup.summary_group",
                share=format_percent(row["share"], 0, lang),
                group_lower=title[0].lower() + title[1:] if lang == "en" else title.lower(),
                interval=format_interval(row["ci_low"], row["ci_high"], 0, lang),
            )
        )
        if group == "education_or_work" and group in before.index and pd.notna(before.loc[group, "share"]):
            prev = before.loc[group]
            diff = round((row["share"] - prev["share"]) * 100)
            key = "summary_change_same" if diff == 0 else ("summary_change_up" if diff > 0 else "summary_change_down")
            sentences.append(t(f"followup.{key}", diff=format_number(abs(diff), 0, lang), previous=year - 1))
            overlap = row["ci_low"] <= prev["ci_high"] and prev["ci_low"] <= row["ci_high"]
            if diff != 0 and overlap:
                sentences.append(t("followup.summary_change_uncertain"))
    low = select(rates, "negative")
    high = select(rates, "positive")
    lo = low[(low["followup_year"] == year) & (low["group"] == "education_or_work")]["share"]
    hi = high[(high["followup_year"] == year) & (high["group"] == "education_or_work")]["share"]
    if len(lo) and len(hi) and pd.notna(lo.iloc[0]) and pd.notna(hi.iloc[0]):
        sentences.append(
            t(
                "followup.summary_bounds",
                low=format_percent(lo.iloc[0], 0, lang),
                high=format_percent(hi.iloc[0], 0, lang),
            )
        )
    return sentences
