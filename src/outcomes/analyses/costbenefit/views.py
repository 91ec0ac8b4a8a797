"""What the cost-benefit page shows: its sentences and tables, ready to display.

The notebook ``30_cost_benefit`` loads :class:`~outcomes.analyses.costbenefit.results.CbaResults`
and passes it to these functions; each returns text or a table of formatted
cells in the results' language (``results.language``), with labels from the
translation catalogue (``locales/<lang>/costbenefit.yml``). Money columns name
their price year in the heading; a single amount in a sentence or in an
assumption's row carries its own (``kr 15,9 mill. (2014-kroner)``).
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


def headline_lines(results: CbaResults) -> list[str]:
    """The headline: ratio, PV of benefits and costs with NPV, payback year and (when run) the simulated range."""
    t, lang, year = Translator(results.language), results.language, results.price_year
    society = results.result.headline("society")
    lines = [
        t("costbenefit.headline_ratio", ratio=format_ratio(society["bcr"], lang))
        if society["bcr"] is not None
        else t("costbenefit.headline_no_ratio"),
        t(
            "costbenefit.headline_npv",
            benefits=money_text(society["pv_benefits_nok"], year, lang),
            costs=money_text(society["pv_costs_nok"], year, lang),
            npv=money_text(society["npv_nok"], year, lang),
        ),
        t("costbenefit.headline_payback", years=society["payback_year"])
        if society["payback_year"] is not None
        else t("costbenefit.headline_no_payback"),
    ]
    sim = results.simulation
    if sim is not None:
        q = sim.bcr_percentiles()
        lines.append(
            t(
                "costbenefit.headline_simulation",
                draws=format_count(sim.draws, lang),
                p=format_percent(sim.p_benefits_exceed_costs, 1, lang),
                p5=format_ratio(q["p5"], lang),
                p95=format_ratio(q["p95"], lang),
            )
        )
    return lines


def label_lines(results: CbaResults) -> list[str]:
    """The four labels of the headline ratio, in their order (perspective, counterfactual, horizon, price year)."""
    return [results.labels[key] for key in LABEL_KEYS]


# ---------------------------------------------------------------- build-up and perspectives


def waterfall_step_labels(results: CbaResults) -> dict[str, str]:
    """Step code -> its label, for the waterfall chart and its table."""
    t, outcome = Translator(results.language), outcome_name(results)
    return {step: t(f"costbenefit.step_{step}", outcome=outcome) for step in results.result.waterfall["step"]}


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


def perspectives_table(results: CbaResults) -> pd.DataFrame:
    """Society, public budgets and participants: PV benefits, PV costs, NPV, ratio and payback year."""
    t, lang, year = Translator(results.language), results.language, results.price_year
    persp = results.result.perspectives
    return pd.DataFrame(
        {
            t("costbenefit.perspective"): [t(f"costbenefit.perspective_{p}") for p in persp.index],
            money_column("pv_benefits", year, lang): [format_nok(v, lang) for v in persp["pv_benefits_nok"]],
            money_column("pv_costs", year, lang): [format_nok(v, lang) for v in persp["pv_costs_nok"]],
            money_column("npv", year, lang): [format_nok(v, lang) for v in persp["npv_nok"]],
            t("costbenefit.bcr"): [format_ratio(v, lang) for v in persp["bcr"]],
            t("costbenefit.payback_year"): [_year_text(v) for v in persp["payback_year"]],
        }
    )


def payers_table(results: CbaResults) -> pd.DataFrame:
    """Public budgets by payer: PV benefits, PV costs and NPV."""
    t, lang, year = Translator(results.language), results.language, results.price_year
    payers = results.result.public_by_payer
    return pd.DataFrame(
        {
            t("costbenefit.payer"): [t(f"costbenefit.payer_{p}") for p in payers.index],
            money_column("pv_benefits", year, lang): [format_nok(v, lang) for v in payers["pv_benefits_nok"]],
            money_column("pv_costs", year, lang): [format_nok(v, lang) for v in payers["pv_costs_nok"]],
            money_column("npv", year, lang): [format_nok(v, lang) for v in payers["npv_nok"]],
        }
    )


# ---------------------------------------------------------------- uncertainty


def sensitivity_table(results: CbaResults) -> pd.DataFrame:
    """The tornado's data: each assumption's low and high value and the ratio at each."""
    t, lang = Translator(results.language), results.language
    sens = results.analysis.sensitivity
    return pd.DataFrame(
        {
            t("costbenefit.assumption"): sens["label"].tolist(),
            t("costbenefit.low"): _assumption_values(sens, "low", lang),
            t("costbenefit.high"): _assumption_values(sens, "high", lang),
            t("costbenefit.ratio_at_low"): [format_ratio(v, lang, 2) for v in sens["bcr_at_low"]],
            t("costbenefit.ratio_at_high"): [format_ratio(v, lang, 2) for v in sens["bcr_at_high"]],
        }
    )


def simulation_text(results: CbaResults) -> str:
    """What the simulation did and found (draws, seed, P(benefits > costs), 5th, 50th and 95th percentile)."""
    t, lang, sim = Translator(results.language), results.language, results.simulation
    if sim is None:
        return ""
    q = sim.bcr_percentiles()
    return t(
        "costbenefit.simulation_text",
        draws=format_count(sim.draws, lang),
        seed=sim.seed,
        p=format_percent(sim.p_benefits_exceed_costs, 1, lang),
        p5=format_ratio(q["p5"], lang),
        p95=format_ratio(q["p95"], lang),
        p50=format_ratio(q["p50"], lang),
    )


def simulation_table(results: CbaResults) -> pd.DataFrame:
    """The simulation's data: probability, ratio percentiles, NPV percentiles and draws (seed). Empty without one."""
    t, lang, year, sim = Translator(results.language), results.language, results.price_year, results.simulation
    measure, value = t("costbenefit.simulation_table_measure"), t("costbenefit.simulation_table_value")
    if sim is None:
        return pd.DataFrame(columns=[measure, value])
    q, npv_q = sim.bcr_percentiles(), sim.npv_percentiles()
    keys = ("p", "p5", "p50", "p95", "npv_p5", "npv_p95", "draws")
    values = [
        format_percent(sim.p_benefits_exceed_costs, 1, lang),
        format_ratio(q["p5"], lang, 2),
        format_ratio(q["p50"], lang, 2),
        format_ratio(q["p95"], lang, 2),
        money_text(npv_q["p5"], year, lang),
        money_text(npv_q["p95"], year, lang),
        f"{format_count(sim.draws, lang)} ({sim.seed})",
    ]
    return pd.DataFrame({measure: [t(f"costbenefit.simulation_{k}") for k in keys], value: values})


def break_even_table(results: CbaResults) -> pd.DataFrame:
    """Each varying assumption's value, range and switching value, whether it lies in the range, and a note."""
    t, lang = Translator(results.language), results.language
    be = results.analysis.break_even
    answer = {True: t("costbenefit.answer_yes"), False: t("costbenefit.answer_no")}
    return pd.DataFrame(
        {
            t("costbenefit.assumption"): be["label"].tolist(),
            t("costbenefit.value"): _assumption_values(be, "value", lang),
            t("costbenefit.low"): _assumption_values(be, "low", lang),
            t("costbenefit.high"): _assumption_values(be, "high", lang),
            t("costbenefit.break_even_value"): _assumption_values(be, "break_even", lang),
            t("costbenefit.within_range"): [answer[bool(w)] for w in be["within_range"]],
            t("costbenefit.note"): [t(f"costbenefit.break_even_{code}") if code else "" for code in be["note_code"]],
        }
    )


# ---------------------------------------------------------------- cohorts, assumptions and data


def cohort_table(results: CbaResults) -> pd.DataFrame:
    """Per programme year: participants, rate, additional youths, costs, PV benefits and ratio (dashes where suppressed)."""
    t, lang, year = Translator(results.language), results.language, results.price_year
    cohorts = results.cohorts
    return pd.DataFrame(
        {
            t("common.year"): cohorts["year"].astype(str),
            t("costbenefit.participants"): [format_count(v, lang) for v in cohorts["participants"]],
            t("costbenefit.rate", outcome=outcome_name(results)): [format_percent(v, 0, lang) for v in cohorts["rate"]],
            t("costbenefit.additional"): [format_number(v, 1, lang) for v in cohorts["additional_youths"]],
            money_column("costs", year, lang): [format_nok(v, lang) for v in cohorts["costs_nok"]],
            money_column("pv_benefits", year, lang): [format_nok(v, lang) for v in cohorts["pv_benefits_nok"]],
            t("costbenefit.bcr"): [format_ratio(v, lang) for v in cohorts["bcr"]],
        }
    )


def assumption_table(results: CbaResults) -> pd.DataFrame:
    """The assumptions log: id, label, value, unit, price year, range, distribution, source, evidence and ratings."""
    t, lang = Translator(results.language), results.language
    reg = results.assumptions
    return pd.DataFrame(
        {
            t("costbenefit.id"): reg["id"].tolist(),
            t("costbenefit.assumption"): reg["label"].tolist(),
            t("costbenefit.value"): _assumption_values(reg, "value", lang),
            t("costbenefit.unit"): reg["unit"].tolist(),
            t("costbenefit.price_year"): [_year_text(v) for v in reg["price_year"]],
            t("costbenefit.low"): _assumption_values(reg, "low", lang),
            t("costbenefit.high"): _assumption_values(reg, "high", lang),
            t("costbenefit.distribution"): [t(f"costbenefit.distribution_{d}") for d in reg["distribution"]],
            t("costbenefit.source"): [
                s + (f" ({u})" if isinstance(u, str) and u else "")
                for s, u in zip(reg["source"], reg["url"], strict=True)
            ],
            t("costbenefit.evidence"): [t(f"costbenefit.evidence_{e}") for e in reg["evidence"]],
            t("costbenefit.quality"): [t(f"costbenefit.rating_{r}") for r in reg["quality"]],
            t("costbenefit.impact"): [t(f"costbenefit.rating_{r}") for r in reg["impact"]],
        }
    )


def missing_labels_text(results: CbaResults) -> str:
    """The sentence naming assumptions without a label in the report language; empty when every one has one."""
    untranslated = results.registry.missing_labels(results.language)
    if not untranslated:
        return ""
    return Translator(results.language)("costbenefit.labels_missing", ids=", ".join(untranslated))


def assumption_notes_table(results: CbaResults) -> pd.DataFrame:
    """The assumptions that carry a note: id and note."""
    t = Translator(results.language)
    reg = results.assumptions
    noted = reg[reg["note"].map(lambda n: isinstance(n, str) and n != "")]
    return pd.DataFrame({t("costbenefit.id"): noted["id"].tolist(), t("costbenefit.note"): noted["note"].tolist()})


def overrides_table(results: CbaResults) -> pd.DataFrame:
    """The what-if values this run applied: key, previous and new value. Empty (no rows) when there were none."""
    t = Translator(results.language)
    changes = results.registry.overrides
    return pd.DataFrame(
        {
            t("costbenefit.override_key"): [o.key for o in changes],
            t("costbenefit.override_previous"): [str(o.previous) for o in changes],
            t("costbenefit.override_new"): [str(o.new) for o in changes],
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
