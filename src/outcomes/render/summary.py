"""The printable summary page, the report's metadata block and the county's own result.

The summary page (``summary.html``) puts the results an official takes to a
meeting on at most two A4 pages: the front page's headline figures with their
intervals and n, the cost-benefit result with its labels, each municipality's
largest challenge from the baseline, and who published the report, when, and
whom to ask. It shows no number of its own: every figure on it is one a
section page already shows, formatted by the same function, so the disclosure
audit of the bundle covers it.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from markupsafe import Markup

from outcomes.core.config import ReportConfig
from outcomes.core.formatting import format_nok
from outcomes.core.i18n import Translator
from outcomes.render.cards import Card
from outcomes.render.display import html_table
from outcomes.render.templates import render_template

#: At most this many municipalities are listed under the largest challenges (the page must stay within two A4 pages).
CHALLENGE_ROWS = 12
_QUOTED = re.compile(r"«([^»]+)»")


def date_text(day: datetime.date, lang: str) -> str:
    """A date as readers write it: ``15. mars 2021`` (nb) or ``15 March 2021`` (en)."""
    t = Translator(lang)
    return t("about.date", day=day.day, month=t(f"about.month_{day.month}"), year=day.year)


def about_rows(cfg: ReportConfig) -> list[tuple[str, str]]:
    """``(label, text)`` of the report's metadata that is set: publisher, author, contact, date, follow-up method."""
    t, meta, lang = Translator(cfg.language), cfg.metadata, cfg.language
    rows = [(t(f"about.{name}"), meta.text(name, lang)) for name in ("publisher", "author", "contact")]
    if meta.published is not None:
        rows.append((t("about.published"), date_text(meta.published, lang)))
    rows.append((t("about.period"), f"{cfg.first_year}\u2013{cfg.report_year}"))
    rows.append((t("about.followup_method"), meta.text("followup_method", lang)))
    return [(label, text) for label, text in rows if text]


def county_card(data: Mapping[str, Any], lang: str) -> Card | None:
    """The county's own result (the cost-benefit results' table ``payers``, payer ``county``), or ``None``.

    The figures are those of the cost-benefit page's table of benefits and
    costs per payer, formatted the same way (:func:`~outcomes.core.formatting.format_nok`).
    """
    table = data.get("payers") or data.get("public_by_payer") or []  # the table's name before issue 16
    rows = [r for r in table if isinstance(r, dict) and r.get("payer") == "county"]
    if not rows or rows[0].get("npv_nok") is None:
        return None
    t, row = Translator(lang), rows[0]
    detail = t(
        "county.card_detail",
        benefits=format_nok(row.get("pv_benefits_nok"), lang),
        costs=format_nok(row.get("pv_costs_nok"), lang),
        price_year=row.get("price_year", "–"),
    )
    # the amount may wrap before its unit ("kr −602,6" / "mill.") in a narrow card
    amount, _, unit = format_nok(row["npv_nok"], lang).rpartition("\u00a0")
    value = f"{amount} {unit}" if amount and unit.rstrip(".").isalpha() else f"{amount}\u00a0{unit}".strip("\u00a0")
    return Card(value, t("county.card"), detail)


def _cards_table(cards: Sequence[Card], t: Translator) -> str:
    table = pd.DataFrame(
        {
            t("summary.col_value"): [c.value for c in cards],
            t("summary.col_what"): [c.label for c in cards],
            t("summary.col_detail"): [c.detail for c in cards],
        }
    )
    return html_table(table, None, numeric=[t("summary.col_value")], css_class="data keyfigures")


def _cost_benefit(results: Any) -> tuple[list[str], list[str]]:
    """The cost-benefit page's headline sentences and the ratio's four labels."""
    from outcomes.analyses.costbenefit import views

    return views.headline_lines(results), views.label_lines(results)


def _scope(results: Any, t: Translator) -> str | None:
    """Why the baseline's region and age groups are what they are, as the baseline page says it."""
    from outcomes.analyses.baseline import views

    return views.scope_note(results, t)


def _challenges(results: Any, t: Translator) -> str:
    """Each municipality's largest challenge: the rows of rank 1 of the baseline page's table, without the rank."""
    from outcomes.analyses.baseline import views

    view = views.challenges_table(results, t)
    rank = t("baseline.col_rank")
    table = view.table
    if rank in table.columns:
        table = table[table[rank].astype(str) == "1"].drop(columns=[rank])
    table = table.head(CHALLENGE_ROWS)
    if table.empty:
        return ""
    # Notes naming an indicator in «...» (its source) are kept only for the indicators shown.
    shown = {str(v) for column in table.columns for v in table[column]}
    notes = [n for n in view.footnotes if all(q in shown for q in _QUOTED.findall(n))]
    return html_table(table, None, notes, [c for c in view.numeric if c != rank])


def summary_page_html(cfg: ReportConfig, results: Mapping[str, Any], cards: Sequence[Card]) -> str:
    """The summary page's content (the page frame is added by the runner).

    Parameters
    ----------
    cfg
        The run configuration (language, programme, metadata).
    results
        Each section's results, by section name.
    cards
        The front page's headline cards, in their order.
    """
    t = Translator(cfg.language)
    lines, labels = _cost_benefit(results["costbenefit"]) if "costbenefit" in results else ([], [])
    challenges = _challenges(results["baseline"], t) if "baseline" in results else ""
    scope = _scope(results["baseline"], t) if "baseline" in results else None
    return render_template(
        "summary_body.html",
        title=t("summary.title", programme=cfg.programme.title, year=cfg.report_year),
        intro=t("summary.intro"),
        headline_title=t("summary.headline"),
        cards=Markup(_cards_table(cards, t)) if cards else "",
        interval_note=t("common.footnote_interval"),
        cba_title=t("report.section_costbenefit"),
        cba_lines=lines,
        cba_labels_title=t("summary.cba_labels"),
        cba_labels=labels,
        challenges_title=t("summary.challenges"),
        challenges_intro=t("summary.challenges_intro"),
        challenges_scope=scope or "",
        challenges=Markup(challenges),
        about_title=t("about.title"),
        about=about_rows(cfg),
        more=t("summary.more"),
        front=t("report.front_nav"),
    )
