"""What the cost-benefit page shows first: the headline, who pays and gains, the streams, the cohorts.

The notebook ``30_cost_benefit`` loads :class:`~outcomes.analyses.costbenefit.results.CbaResults`
and passes it to these functions; each returns text or a table of formatted
cells in the results' language (``results.language``), with labels from the
translation catalogue (``locales/<lang>/costbenefit.yml``). Money columns name
their price year in the heading; a single amount in a sentence or in an
assumption's row carries its own (``kr 15,9 mill. (2023-kroner)``). The
review part of the page (scenarios, plus-minus, sensitivity, assumptions,
unit costs) is in :mod:`.views_evidence`.
"""

from __future__ import annotations

import pandas as pd

from outcomes.analyses.costbenefit.labels import LABEL_KEYS, share_text
from outcomes.analyses.costbenefit.results import CbaResults
from outcomes.core.formatting import MISSING, format_count, format_nok, format_number, format_percent, format_ratio
from outcomes.core.i18n import Translator

# ---------------------------------------------------------------- numbers in words


def money_text(amount: float | None, price_year: int, lang: str) -> str:
    """An amount (NOK) with its price year, e.g. ``kr 15,9 mill. (2024-kroner)``; a dash when missing."""
    if amount is None or pd.isna(amount):
        return MISSING
    return Translator(lang)("costbenefit.money", amount=format_nok(amount, lang), year=int(price_year))


def money_column(key: str, price_year: int, lang: str) -> str:
    """A column heading that names the price year of its amounts (``key`` is a catalogue label)."""
    t = Translator(lang)
    return t("costbenefit.money_column", name=t(f"costbenefit.{key}"), year=price_year)


def value_text(value: float | None, unit: str, price_year: float | None, lang: str) -> str:
    """An assumption's number in its own unit (and, for money, its own price year).

    Parameters
    ----------
    value
        In ``unit``: shares 0-1, NOK, or years; missing gives a dash.
    unit
        ``share``, ``share/year``, ``NOK``, ``NOK/year`` or ``years``.
    price_year
        The money's price year (money only).
    lang
        Report language.
    """
    if value is None or pd.isna(value):
        return MISSING
    t = Translator(lang)
    if unit == "share":
        return share_text(value, lang)
    if unit == "share/year":
        return t("costbenefit.per_year", value=share_text(value, lang))
    if unit in ("NOK", "NOK/year"):
        money = money_text(value, int(price_year) if price_year is not None else 0, lang)
        return money if unit == "NOK" else t("costbenefit.per_year", value=money)
    return t("costbenefit.years_value", value=format_number(value, 0 if float(value).is_integer() else 1, lang))


def _assumption_values(frame: pd.DataFrame, column: str, lang: str) -> list[str]:
    """One column of an assumption table (``value``, ``low``, ...) as text, in each row's ``unit`` and ``price_year``."""
    rows = zip(frame[column], frame["unit"], frame["price_year"], strict=True)
    return [value_text(value, str(unit), price_year, lang) for value, unit, price_year in rows]


def _year_text(year: float | None) -> str:
    """A year as digits; a dash when missing."""
    return MISSING if year is None or pd.isna(year) else str(int(year))


# ---------------------------------------------------------------- headline


def outcome_name(results: CbaResults) -> str:
    """The outcome counted, in words (``i utdanning eller arbeid``)."""
    return Translator(results.language)(f"costbenefit.outcome_{results.outcome_group}")


def _context_line(results: CbaResults) -> str:
    """Perspective, price year, comparison year, discount rate and horizon, in one sentence."""
    t, lang, head = Translator(results.language), results.language, results.headline()
    first, last = head["horizon"]["analysis_period"]
    return t(
        "costbenefit.headline_context",
        price_year=head["price_year"],
        comparison_year=head["comparison_year"],
        rate=share_text(head["discount_steps"][1]["rate"], lang),
        first=first,
        last=last,
    )


def headline_lines(results: CbaResults) -> list[str]:
    """The headline: simulated median and 90 % range, its labels in brief, the base case, payback, calibration."""
    t, lang, year = Translator(results.language), results.language, results.price_year
    head = results.headline()
    sim = results.simulation
    if head["bcr_base_case"] is None:
        return [t("costbenefit.headline_no_ratio")]
    lines = []
    if sim is not None:
        lines.append(
            t(
                "costbenefit.headline_median",
                ratio=format_ratio(head["bcr"], lang),
                draws=format_count(sim.draws, lang),
                p5=format_ratio(head["bcr_p5"], lang),
                p95=format_ratio(head["bcr_p95"], lang),
                p=format_percent(head["p_benefits_exceed_costs"], 1, lang),
            )
        )
    lines.append(_context_line(results))
    lines.append(
        t(
            "costbenefit.headline_base_case",
            ratio=format_ratio(head["bcr_base_case"], lang),
            benefits=money_text(head["pv_benefits_nok"], year, lang),
            costs=money_text(head["pv_costs_nok"], year, lang),
            npv=money_text(head["npv_nok"], year, lang),
            verdict=t(
                "costbenefit.verdict_profitable" if head["npv_nok"] > 0 else "costbenefit.verdict_not_profitable"
            ),
        )
    )
    payback = head["payback_year"]
    lines.append(
        t("costbenefit.headline_payback", year=payback) if payback is not None else t("costbenefit.headline_no_payback")
    )
    if head["calibrated_assumptions"]:
        lines.append(t("costbenefit.headline_calibrated", ids=", ".join(head["calibrated_assumptions"])))
    return lines


def nonresponse_table(results: CbaResults) -> pd.DataFrame:
    """The ratio under each non-response treatment: median, 90 % range, P(benefits > costs), base case."""
    t, lang = Translator(results.language), results.language
    rows = results.analysis.nonresponse
    return pd.DataFrame(
        {
            t("costbenefit.treatment"): [t(f"treatment.{k}") + (" *" if k == results.treatment else "") for k in rows],
            t("costbenefit.bcr_median"): [format_ratio(r.get("bcr_median"), lang) for r in rows.values()],
            t("costbenefit.range_90"): [
                f"{format_ratio(r.get('bcr_p5'), lang)}–{format_ratio(r.get('bcr_p95'), lang)}" for r in rows.values()
            ],
            t("costbenefit.simulation_p"): [
                format_percent(r.get("p_benefits_exceed_costs"), 1, lang) for r in rows.values()
            ],
            t("costbenefit.bcr_base_case"): [format_ratio(r["bcr_base_case"], lang) for r in rows.values()],
        }
    )


def label_lines(results: CbaResults) -> list[str]:
    """The four labels of the headline ratio, in their order (perspective, nullalternativ, horizon, price year)."""
    return [results.labels[key] for key in LABEL_KEYS]


# ---------------------------------------------------------------- build-up, streams and payers


def waterfall_step_labels(results: CbaResults) -> dict[str, str]:
    """Step code -> its label, for the waterfall chart and its table."""
    t = Translator(results.language)
    return {step: t(f"costbenefit.step_{step}") for step in results.result.waterfall["step"]}


def waterfall_table(results: CbaResults) -> pd.DataFrame:
    """The build-up of the society NPV: step and amount (NOK, report prices)."""
    t, lang, year = Translator(results.language), results.language, results.price_year
    steps, labels = results.result.waterfall, waterfall_step_labels(results)
    return pd.DataFrame(
        {
            t("costbenefit.step"): [labels[s] for s in steps["step"]],
            money_column("amount", year, lang): [format_nok(v, lang) for v in steps["amount_nok"]],
        }
    )


def streams_table(results: CbaResults) -> pd.DataFrame:
    """Work and education: additional youths, PV of production, PV of school places, PV per youth."""
    t, lang, year = Translator(results.language), results.language, results.price_year
    streams = results.result.streams
    return pd.DataFrame(
        {
            t("costbenefit.stream"): [t(f"costbenefit.stream_{s}") for s in streams.index],
            t("costbenefit.additional"): [format_number(v, 1, lang) for v in streams["additional_youths"]],
            money_column("pv_value", year, lang): [format_nok(v, lang) for v in streams["pv_value_nok"]],
            money_column("pv_school_places", year, lang): [
                format_nok(v, lang) for v in streams["pv_school_places_nok"]
            ],
            money_column("pv_per_youth", year, lang): [format_nok(v, lang) for v in streams["pv_per_youth_nok"]],
        }
    )


def _benefit_cost_table(results: CbaResults, table: pd.DataFrame, key: str) -> pd.DataFrame:
    """PV benefits, PV costs, NPV, ratio and payback year for the rows of ``table`` (labels ``costbenefit.<key>_<row>``)."""
    t, lang, year = Translator(results.language), results.language, results.price_year
    return pd.DataFrame(
        {
            t(f"costbenefit.{key}"): [t(f"costbenefit.{key}_{p}") for p in table.index],
            money_column("pv_benefits", year, lang): [format_nok(v, lang) for v in table["pv_benefits_nok"]],
            money_column("pv_costs", year, lang): [format_nok(v, lang) for v in table["pv_costs_nok"]],
            money_column("npv", year, lang): [format_nok(v, lang) for v in table["npv_nok"]],
            t("costbenefit.bcr"): [format_ratio(v, lang) for v in table["bcr"]],
            t("costbenefit.payback_year"): [_year_text(v) for v in table["payback_year"]],
        }
    )


def perspectives_table(results: CbaResults) -> pd.DataFrame:
    """Society, public budgets and participants: PV benefits, PV costs, NPV, ratio and payback year."""
    return _benefit_cost_table(results, results.result.perspectives, "perspective")


def payers_table(results: CbaResults) -> pd.DataFrame:
    """Who pays, who gains: each payer's PV benefits, PV costs, NPV, ratio and payback year."""
    return _benefit_cost_table(results, results.result.payers, "payer")


# ---------------------------------------------------------------- cohorts and data


def cohort_table(results: CbaResults) -> pd.DataFrame:
    """Per programme year: participants, shares and nullalternativ, additional youths, discount factor, costs, benefits, ratio."""
    t, lang, year = Translator(results.language), results.language, results.price_year
    cohorts = results.cohorts
    comparison = results.result.comparison_year
    return pd.DataFrame(
        {
            t("common.year"): cohorts["year"].astype(str),
            t("costbenefit.participants"): [format_count(v, lang) for v in cohorts["participants"]],
            t("costbenefit.rate_work"): [format_percent(v, 0, lang) for v in cohorts["rate_work"]],
            t("costbenefit.rate_education"): [format_percent(v, 0, lang) for v in cohorts["rate_education"]],
            t("costbenefit.null_shares"): [
                f"{share_text(w, lang)} / {share_text(e, lang)}"
                for w, e in zip(cohorts["null_work"], cohorts["null_education"], strict=True)
            ],
            t("costbenefit.additional"): [format_number(v, 1, lang) for v in cohorts["additional_youths"]],
            t("costbenefit.discount_factor", year=comparison): [
                format_number(v, 3, lang) for v in cohorts["discount_factor"]
            ],
            money_column("costs", year, lang): [format_nok(v, lang) for v in cohorts["costs_nok"]],
            money_column("pv_benefits", year, lang): [format_nok(v, lang) for v in cohorts["pv_benefits_nok"]],
            t("costbenefit.bcr"): [format_ratio(v, lang) for v in cohorts["bcr"]],
        }
    )


def data_lines(results: CbaResults) -> list[str]:
    """Where the numbers come from: the ledger's row accounting, the registry with its hash, the follow-up years."""
    t, lang, s = Translator(results.language), results.language, results.costs_input
    first, last = results.years
    return [
        t(
            "costbenefit.data_costs",
            file=s.file,
            read=format_count(s.rows_read, lang),
            accepted=format_count(s.rows_accepted, lang),
            rejected=format_count(s.rows_rejected, lang),
        ),
        t("costbenefit.data_registry", file=results.registry_file, sha=results.registry_sha256[:12]),
        t("costbenefit.data_followup", first=first, last=last, treatment=t(f"treatment.{results.treatment}")),
    ]
