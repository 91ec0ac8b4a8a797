"""The participants section's cards on the front page: mental-health services and the survey."""

from __future__ import annotations

from typing import Any

from outcomes.core.formatting import format_count, format_interval, format_percent
from outcomes.core.i18n import Translator
from outcomes.render.cards import Card


def survey_card(survey: dict[str, Any], t: Translator) -> Card | None:
    """The survey's range: the share agreeing with its weakest and its strongest statement.

    Parameters
    ----------
    survey
        ``headline.survey`` of the participants' JSON view: ``year``,
        ``items``, ``shown`` (the statements whose share is published),
        ``lowest`` and ``highest`` of those (each ``item``, ``share`` 0-1 and
        ``n``), already under disclosure control.
    t
        Translator.

    Returns
    -------
    Card or None
        ``55–89 %`` with both statements and their n, the single share when
        only one statement is published, ``None`` when none is. The best item
        alone would hide how the weakest fared. When some statements are
        hidden, the label says the range is of the ones shown: a hidden one
        may lie outside it.
    """
    low, high = survey.get("lowest") or {}, survey.get("highest") or {}
    if low.get("share") is None or high.get("share") is None:
        return None
    lang, year = t.lang, survey.get("year", "")
    items, shown = survey.get("items", ""), survey.get("shown", survey.get("items", ""))
    some = "_some" if shown != items else ""  # some statements hidden: the range is of those shown
    if low.get("item") == high.get("item"):
        detail = f"n = {format_count(high.get('n'), lang)}, {year}"
        label = t(f"report.card_survey{some}", item=high.get("item", ""), items=items)
        return Card(format_percent(high["share"], 0, lang), label, detail)
    detail = t(
        "report.card_survey_range_detail",
        lowest=low.get("item", ""),
        n_lowest=format_count(low.get("n"), lang),
        highest=high.get("item", ""),
        n_highest=format_count(high.get("n"), lang),
        year=year,
    )
    value = format_interval(low["share"], high["share"], 0, lang)
    return Card(value, t(f"report.card_survey_range{some}", items=items, shown=shown), detail)


def front_cards(results: Any, data: dict[str, Any], cfg: Any) -> list[Card]:
    """Share followed up by mental-health services, and the survey's range (lowest and highest statement).

    Parameters
    ----------
    results
        The participants results (unused: the cards read their JSON view).
    data
        Their JSON view (``headline``).
    cfg
        The run configuration (language).
    """
    t = Translator(cfg.language)
    lang = cfg.language
    part = data.get("headline") or {}
    cards = []
    services = ((part.get("profile") or {}).get("services") or {}).get("mental_health") or {}
    if services.get("share") is not None:
        school_year = t("report.card_school_year", school_year=part["profile"].get("school_year", "–"))
        cards.append(Card(format_percent(services["share"], 0, lang), t("report.card_mental_health"), school_year))
    survey = survey_card(part.get("survey") or {}, t)
    if survey is not None:
        cards.append(survey)
    return cards
