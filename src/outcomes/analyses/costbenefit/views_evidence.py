"""What the cost-benefit page shows for review: scenarios, plus-minus, sensitivity, assumptions, unit costs.

Like :mod:`.views`, each function takes :class:`~outcomes.analyses.costbenefit.results.CbaResults`
and returns text or a table of formatted cells in the results' language.
"""

from __future__ import annotations

import pandas as pd

from outcomes.analyses.costbenefit.results import CbaResults
from outcomes.analyses.costbenefit.views import _assumption_values, _year_text, money_text, value_text
from outcomes.core.formatting import format_count, format_percent, format_ratio
from outcomes.core.i18n import Translator
from outcomes.render.cells import folded_cell, rating_cell

# ---------------------------------------------------------------- scenarios and non-priced effects


def _changes_text(changes: list[dict], results: CbaResults) -> str:
    """What a scenario changes, in words: ``label: value (calibrated)``, one per change."""
    t, lang = Translator(results.language), results.language
    items = results.registry.assumptions
    labels = {a.id: (a.label, a.unit, a.price_year) for a in items}
    parts = []
    for change in changes:
        if change["id"] not in labels:  # an optimism-bias multiplier, not an assumption
            label = t(f"costbenefit.bias_{change['id']}")
            parts.append(f"{label} × {format_ratio(change['scenario'], lang, 2)}")
            continue
        label, unit, price_year = labels[change["id"]]
        text = f"{label}: {value_text(change['scenario'], unit, price_year, lang)}"
        parts.append(text + (f" ({t('costbenefit.calibrated')})" if change["calibrated"] else ""))
    return "; ".join(parts)


def scenario_table(results: CbaResults) -> pd.DataFrame:
    """The central estimate beside the sources' claims and optimism bias: ratio and the assumptions behind each."""
    t, lang, head = Translator(results.language), results.language, results.headline()
    rows = [
        {
            "scenario": t("costbenefit.scenario_central"),
            "claim": "",
            "ratio": f"{format_ratio(head['bcr'], lang)} ({format_ratio(head.get('bcr_p5'), lang)}–"
            f"{format_ratio(head.get('bcr_p95'), lang)})",
            "what": t("costbenefit.scenario_central_what", ratio=format_ratio(head["bcr_base_case"], lang)),
        }
    ]
    for row in results.analysis.scenarios:
        label = row["label_nb"] if lang == "nb" and row["label_nb"] else row["label"]
        note = row["note_nb"] if lang == "nb" and row["note_nb"] else row["note"]
        ratio = format_ratio(row["bcr"], lang) if row["reached"] else t("costbenefit.scenario_not_reached")
        what = _changes_text(row["changes"], results) + (f". {note}" if note else "")
        rows.append({"scenario": label, "claim": row["claim"] or "", "ratio": ratio, "what": what})
    table = pd.DataFrame(rows)
    table.columns = [t(f"costbenefit.scenario_{c}") for c in table.columns]
    return table


def optimism_bias_table(results: CbaResults) -> pd.DataFrame:
    """Each benefit stream and cost line of the optimism-bias scenario: its inputs, rating, haircut and multiplier."""
    t, lang = Translator(results.language), results.language
    bias = results.analysis.optimism_bias
    if bias.empty:
        return pd.DataFrame()
    return pd.DataFrame(
        {
            t("costbenefit.bias_element"): [_element_label(e, results, t) for e in bias["element"]],
            t("costbenefit.bias_inputs"): [_input_labels(i, results) for i in bias["inputs"]],
            t("costbenefit.quality"): rating_cells(bias["rating"], t),
            t("costbenefit.bias_haircut"): [format_percent(v, 0, lang) for v in bias["haircut"]],
            t("costbenefit.bias_multiplier"): [format_ratio(v, lang, 2) for v in bias["multiplier"]],
        }
    )


def _input_labels(inputs: object, results: CbaResults) -> str:
    """An optimism-bias element's inputs (assumption ids, comma-separated) as their labels, separated by semicolons."""
    if not isinstance(inputs, str) or not inputs:
        return ""
    ids = [i.strip() for i in inputs.split(",") if i.strip()]
    return "; ".join(results.registry.get(i).label if results.registry.has(i) else i for i in ids)


def _element_label(element: str, results: CbaResults, t: Translator) -> str:
    """An optimism-bias element in words: a stream or the ledger from the catalogue, a cost line by its assumption's label."""
    if t.has(f"costbenefit.bias_{element}"):
        return t(f"costbenefit.bias_{element}")
    return results.registry.get(element).label if results.registry.has(element) else element


def non_priced_table(results: CbaResults) -> pd.DataFrame:
    """The plus-minus table: effect, who, importance, extent, consequence (++/--) and evidence."""
    t = Translator(results.language)
    table = results.non_priced
    return pd.DataFrame(
        {
            t("costbenefit.np_effect"): table["effect"].tolist(),
            t("costbenefit.np_who"): table["who"].tolist(),
            t("costbenefit.np_importance"): [t(f"costbenefit.np_size_{v}") for v in table["importance"]],
            t("costbenefit.np_extent"): [
                t(f"costbenefit.np_size_{v}") + ("" if v == "none" else f" ({t(f'costbenefit.np_{d}')})")
                for v, d in zip(table["extent"], table["direction"], strict=True)
            ],
            t("costbenefit.np_consequence"): table["symbol"].tolist(),
            t("costbenefit.np_evidence"): table["evidence"].tolist(),
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


# ---------------------------------------------------------------- assumptions and unit costs


#: An assumption's unit as a catalogue key (``costbenefit.unit_<key>``).
UNIT_KEYS = {"NOK": "nok", "NOK/year": "nok_year", "share": "share", "share/year": "share_year", "years": "years"}


def rating_cells(ratings: pd.Series | list[str], t: Translator) -> list[object]:
    """Red, amber and green ratings as their words on their colours."""
    return [rating_cell(r, t(f"costbenefit.rating_{r}")) for r in ratings]


def assumption_table(results: CbaResults) -> pd.DataFrame:
    """The assumptions log: label, value, unit, price year, range, distribution, source, evidence, ratings, flags.

    Every cell is in the report's language and format: numbers in the
    assumption's own unit (``55,5 %``, ``kr 15,9 mill. (2023-kroner)``, ``35 år``),
    units and ratings in words (ratings also in colour), long sources and
    flags folded. The last column says what is still to verify, which unit
    cost a value comes from, and whether it is calibrated or labour-linked.
    Ids are not shown.
    """
    t, lang = Translator(results.language), results.language
    reg = results.assumptions
    unit_costs = _unit_cost_labels(results)
    return pd.DataFrame(
        {
            t("costbenefit.assumption"): reg["label"].tolist(),
            t("costbenefit.value"): _assumption_values(reg, "value", lang),
            t("costbenefit.unit"): [t(f"costbenefit.unit_{UNIT_KEYS[u]}") for u in reg["unit"]],
            t("costbenefit.price_year"): [_year_text(v) for v in reg["price_year"]],
            t("costbenefit.low"): _assumption_values(reg, "low", lang),
            t("costbenefit.high"): _assumption_values(reg, "high", lang),
            t("costbenefit.distribution"): [t(f"costbenefit.distribution_{d}") for d in reg["distribution"]],
            t("costbenefit.source"): [
                folded_cell(s + (f" ({u})" if isinstance(u, str) and u else ""))
                for s, u in zip(reg["source"], reg["url"], strict=True)
            ],
            t("costbenefit.evidence"): [t(f"costbenefit.evidence_{e}") for e in reg["evidence"]],
            t("costbenefit.quality"): rating_cells(reg["quality"], t),
            t("costbenefit.impact"): rating_cells(reg["impact"], t),
            t("costbenefit.flags"): [folded_cell(_flags(row, t, unit_costs)) for row in reg.to_dict(orient="records")],
        }
    )


def _unit_cost_labels(results: CbaResults) -> dict[str, str]:
    """Unit-cost id -> its label in the report language."""
    costs = results.unit_costs
    if costs.empty:
        return {}
    return dict(zip(costs["id"], costs["label"], strict=True))


def _flags(row: dict, t: Translator, unit_costs: dict[str, str]) -> str:
    """An assumption's flags in words: calibrated, unit cost (by its label), labour-linked, what to verify."""
    parts = []
    if isinstance(row.get("calibrated_to"), str):
        parts.append(t("costbenefit.flag_calibrated", target=row["calibrated_to"]))
    if isinstance(row.get("unit_cost"), str):
        parts.append(t("costbenefit.flag_unit_cost", id=unit_costs.get(row["unit_cost"], row["unit_cost"])))
    if row.get("labour_linked") is True:
        parts.append(t("costbenefit.flag_labour_linked"))
    if isinstance(row.get("to_verify"), str):
        parts.append(t("costbenefit.flag_to_verify", what=row["to_verify"]))
    return "; ".join(parts)


def missing_labels_text(results: CbaResults) -> str:
    """The sentence saying how many texts of the registry are shown in English; empty when none is."""
    if results.language != "nb":
        return ""
    untranslated = results.registry.missing_bokmal()
    if not untranslated:
        return ""
    return Translator(results.language)("costbenefit.labels_missing", count=format_count(len(untranslated), "nb"))


def assumption_notes_table(results: CbaResults) -> pd.DataFrame:
    """The assumptions that carry a note: the assumption and its note (long notes folded)."""
    t = Translator(results.language)
    reg = results.assumptions
    noted = reg[reg["note"].map(lambda n: isinstance(n, str) and n != "")]
    return pd.DataFrame(
        {
            t("costbenefit.assumption"): noted["label"].tolist(),
            t("costbenefit.note"): [folded_cell(n) for n in noted["note"]],
        }
    )


def overrides_table(results: CbaResults) -> pd.DataFrame:
    """The what-if values this run applied: what (the assumption's label, or the setting), previous and new value.

    Values of an assumption are in its unit (``20 %``, ``kr 15,9 mill. (2024-kroner)``). Empty (no rows) when
    there were none.
    """
    t, lang, registry = Translator(results.language), results.language, results.registry
    rows = []
    for change in registry.overrides:
        if registry.has(change.key):
            item = registry.get(change.key)
            rows.append(
                [item.label]
                + [_override_value(v, item.unit, item.price_year, lang) for v in (change.previous, change.new)]
            )
        else:
            key = f"costbenefit.setting_{change.key}"
            rows.append([t(key) if t.has(key) else change.key, str(change.previous), str(change.new)])
    columns = [t("costbenefit.override_key"), t("costbenefit.override_previous"), t("costbenefit.override_new")]
    return pd.DataFrame(rows, columns=columns)


def _override_value(value: object, unit: str, price_year: int | None, lang: str) -> str:
    """A what-if value in the assumption's unit; as given when it is not a number."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value_text(float(value), unit, price_year, lang)
    return str(value)


def unit_cost_table(results: CbaResults) -> pd.DataFrame:
    """The unit-cost library: unit cost, amount per unit (or still to verify), payer, source, rating, status."""
    t, lang = Translator(results.language), results.language
    costs = results.unit_costs
    if costs.empty:
        return pd.DataFrame()
    amounts = [
        t("costbenefit.to_verify")
        if pd.isna(a)
        else f"{money_text(a, int(y), lang)} {t('costbenefit.per_unit', per=per)}"
        for a, y, per in zip(costs["amount"], costs["price_year"], costs["per"], strict=True)
    ]
    return pd.DataFrame(
        {
            t("costbenefit.unit_cost"): costs["label"].tolist(),
            t("costbenefit.amount"): amounts,
            t("costbenefit.payer"): [t(f"costbenefit.payer_{p}") for p in costs["payer"]],
            t("costbenefit.source"): costs["source"].tolist(),
            t("costbenefit.quality"): rating_cells(costs["quality"], t),
            t("costbenefit.status"): [t(f"costbenefit.status_{s}") for s in costs["status"]],
            t("costbenefit.verify"): [folded_cell(v) for v in costs["verify"]],
        }
    )
