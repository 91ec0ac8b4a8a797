# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["remove-cell"]
# # Cost-benefit (social return)
#
# Rendered by `outcomes report` when `sections` lists `costbenefit` (this cell
# is not shown in the report). The notebook only loads, calls, shows and
# explains: every number comes from `outcomes.analyses.cba_results` (the same
# call `outcomes cba --json` makes), every label from the translation
# catalogue (`src/outcomes/locales/<lang>/costbenefit.yml`), every assumption
# from the registry named by `costbenefit.assumptions`. Try a what-if without
# editing anything: `overrides = {"costbenefit.overrides": {"attribution": "0.4"}}`.

# %% tags=["parameters"]
config_path = "config/report.yml"  # run configuration, relative to the project root
overrides = {}  # dotted-key overrides of the configuration, e.g. {"language": "en"}

# %% tags=["remove-input"]

import pandas as pd

from outcomes.analyses import cba_results
from outcomes.analyses.costbenefit.figures import ratio_histogram, tornado, waterfall
from outcomes.core.config import load_config
from outcomes.core.formatting import MISSING, format_count, format_nok, format_number, format_percent, format_ratio
from outcomes.core.i18n import Translator
from outcomes.render.display import show_figure, show_heading, show_rejected_rows, show_table, show_text

cfg = load_config(config_path, overrides)
lang = cfg.language
t = Translator(lang)
results = cba_results(cfg)
result = results.result
year = results.price_year
first, last = results.years
outcome = t(f"costbenefit.outcome_{results.outcome_group}")


def money(amount, price_year=year):
    """An amount with its price year: kr 15,9 mill. (2024-kroner)."""
    if amount is None or pd.isna(amount):
        return MISSING
    return t("costbenefit.money", amount=format_nok(amount, lang), year=int(price_year))


def nok(amount):
    """An amount in a table column whose heading names the price year."""
    return format_nok(amount, lang)


def money_column(key):
    """A column heading naming the price year of its amounts."""
    return t("costbenefit.money_column", name=t(f"costbenefit.{key}"), year=year)


def share_text(share):
    """Percent, with one decimal when the value is not a whole percent."""
    return format_percent(share, 0 if pd.isna(share) or float(round(share * 100, 6)).is_integer() else 1, lang)


def value_text(value, unit, price_year=None):
    """An assumption's value in its own unit (and, for money, its own price year)."""
    if value is None or pd.isna(value):
        return MISSING
    if unit == "share":
        return share_text(value)
    if unit == "share/year":
        return t("costbenefit.per_year", value=share_text(value))
    if unit == "NOK":
        return money(value, price_year)
    if unit == "NOK/year":
        return t("costbenefit.per_year", value=money(value, price_year))
    return t("costbenefit.years_value", value=format_number(value, 0 if float(value).is_integer() else 1, lang))


# %% tags=["remove-input"]
show_heading(t("costbenefit.title", first=first, last=last, programme=cfg.programme.title), 1)
show_text(
    t("costbenefit.intro", first=first, last=last),
    t("costbenefit.demo_notice", title=results.registry.title or results.registry.programme),
)

# %% tags=["remove-input"]
show_heading(t("costbenefit.headline_heading"), 2)
society = result.headline("society")
sim = results.simulation
lines = [
    t("costbenefit.headline_ratio", ratio=format_ratio(society["bcr"], lang))
    if society["bcr"] is not None
    else t("costbenefit.headline_no_ratio"),
    t(
        "costbenefit.headline_npv",
        benefits=money(society["pv_benefits_nok"]),
        costs=money(society["pv_costs_nok"]),
        npv=money(society["npv_nok"]),
    ),
    t("costbenefit.headline_payback", years=society["payback_year"])
    if society["payback_year"] is not None
    else t("costbenefit.headline_no_payback"),
]
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
show_text(*lines, css_class="summary")
show_heading(t("costbenefit.labels_heading"), 3)
show_text(
    *(results.labels[k] for k in ("perspective", "counterfactual", "horizon_discount", "price_year")),
    css_class="labels",
)

# %% tags=["remove-input"]
show_heading(t("costbenefit.waterfall_heading"), 2)
show_text(t("costbenefit.waterfall_text", outcome=outcome))
steps = result.waterfall
step_labels = {s: t(f"costbenefit.step_{s}", outcome=outcome) for s in steps["step"]}
fig = waterfall(steps, money_unit=t("costbenefit.waterfall_axis", year=year), step_labels=step_labels)
steps_table = pd.DataFrame(
    {
        t("costbenefit.step"): [step_labels[s] for s in steps["step"]],
        money_column("amount"): [nok(v) for v in steps["amount_nok"]],
    }
)
show_figure(
    fig,
    "cba-waterfall",
    t("costbenefit.waterfall_caption", year=year),
    steps_table,
    t("common.show_data"),
    numeric=[money_column("amount")],
    lang=lang,
)

# %% tags=["remove-input"]
show_heading(t("costbenefit.perspectives_heading"), 2)
show_text(t("costbenefit.perspectives_text"))
persp = result.perspectives
persp_table = pd.DataFrame(
    {
        t("costbenefit.perspective"): [t(f"costbenefit.perspective_{p}") for p in persp.index],
        money_column("pv_benefits"): [nok(v) for v in persp["pv_benefits_nok"]],
        money_column("pv_costs"): [nok(v) for v in persp["pv_costs_nok"]],
        money_column("npv"): [nok(v) for v in persp["npv_nok"]],
        t("costbenefit.bcr"): [format_ratio(v, lang) for v in persp["bcr"]],
        t("costbenefit.payback_year"): [MISSING if pd.isna(v) else str(int(v)) for v in persp["payback_year"]],
    }
)
show_table(persp_table, t("costbenefit.perspectives_caption", year=year), numeric=list(persp_table.columns[1:]))
payers = result.public_by_payer
payer_table = pd.DataFrame(
    {
        t("costbenefit.payer"): [t(f"costbenefit.payer_{p}") for p in payers.index],
        money_column("pv_benefits"): [nok(v) for v in payers["pv_benefits_nok"]],
        money_column("pv_costs"): [nok(v) for v in payers["pv_costs_nok"]],
        money_column("npv"): [nok(v) for v in payers["npv_nok"]],
    }
)
show_table(payer_table, t("costbenefit.payers_caption", year=year), numeric=list(payer_table.columns[1:]))

# %% tags=["remove-input"]
show_heading(t("costbenefit.tornado_heading"), 2)
show_text(t("costbenefit.tornado_text"))
sens = results.analysis.sensitivity
fig = tornado(
    sens,
    base_ratio=society["bcr"],
    ratio_title=t("costbenefit.ratio_axis"),
    low_label=t("costbenefit.tornado_low"),
    high_label=t("costbenefit.tornado_high"),
    break_even_label=t("costbenefit.break_even_line"),
)
sens_table = pd.DataFrame(
    {
        t("costbenefit.assumption"): sens["label"].tolist(),
        t("costbenefit.low"): [value_text(r.low, r.unit, r.price_year) for r in sens.itertuples()],
        t("costbenefit.high"): [value_text(r.high, r.unit, r.price_year) for r in sens.itertuples()],
        t("costbenefit.ratio_at_low"): [format_ratio(v, lang, 2) for v in sens["bcr_at_low"]],
        t("costbenefit.ratio_at_high"): [format_ratio(v, lang, 2) for v in sens["bcr_at_high"]],
    }
)
show_figure(
    fig,
    "cba-tornado",
    t("costbenefit.tornado_caption"),
    sens_table,
    t("common.show_data"),
    numeric=list(sens_table.columns[1:]),
    lang=lang,
)

# %% tags=["remove-input"]
if sim is not None:
    show_heading(t("costbenefit.simulation_heading"), 2)
    q = sim.bcr_percentiles()
    npv_q = sim.npv_percentiles()
    show_text(
        t(
            "costbenefit.simulation_text",
            draws=format_count(sim.draws, lang),
            seed=sim.seed,
            p=format_percent(sim.p_benefits_exceed_costs, 1, lang),
            p5=format_ratio(q["p5"], lang),
            p95=format_ratio(q["p95"], lang),
            p50=format_ratio(q["p50"], lang),
        )
    )
    fig = ratio_histogram(
        sim.bcr,
        ratio_title=t("costbenefit.ratio_axis"),
        count_title=t("costbenefit.simulation_count"),
        band_label=t("costbenefit.simulation_band"),
        break_even_label=t("costbenefit.break_even_line"),
    )
    sim_table = pd.DataFrame(
        {
            t("costbenefit.simulation_table_measure"): [
                t("costbenefit.simulation_p"),
                t("costbenefit.simulation_p5"),
                t("costbenefit.simulation_p50"),
                t("costbenefit.simulation_p95"),
                t("costbenefit.simulation_npv_p5"),
                t("costbenefit.simulation_npv_p95"),
                t("costbenefit.simulation_draws"),
            ],
            t("costbenefit.simulation_table_value"): [
                format_percent(sim.p_benefits_exceed_costs, 1, lang),
                format_ratio(q["p5"], lang, 2),
                format_ratio(q["p50"], lang, 2),
                format_ratio(q["p95"], lang, 2),
                money(npv_q["p5"]),
                money(npv_q["p95"]),
                f"{format_count(sim.draws, lang)} ({sim.seed})",
            ],
        }
    )
    show_figure(
        fig,
        "cba-simulation",
        t("costbenefit.simulation_caption"),
        sim_table,
        t("common.show_data"),
        numeric=[t("costbenefit.simulation_table_value")],
        lang=lang,
    )

# %% tags=["remove-input"]
show_heading(t("costbenefit.break_even_heading"), 2)
show_text(t("costbenefit.break_even_text"))
be = results.analysis.break_even


def break_even_note(note):
    """The core's note on a break-even row, in the report language."""
    for prefix, key in (
        ("NPV does not depend", "break_even_no_effect"),
        ("NPV stays", "break_even_none"),
        ("NPV jumps", "break_even_jump"),
        ("NPV crosses", "break_even_several"),
    ):
        if str(note).startswith(prefix):
            return t(f"costbenefit.{key}")
    return ""


be_table = pd.DataFrame(
    {
        t("costbenefit.assumption"): be["label"].tolist(),
        t("costbenefit.value"): [value_text(r.value, r.unit, r.price_year) for r in be.itertuples()],
        t("costbenefit.low"): [value_text(r.low, r.unit, r.price_year) for r in be.itertuples()],
        t("costbenefit.high"): [value_text(r.high, r.unit, r.price_year) for r in be.itertuples()],
        t("costbenefit.break_even_value"): [value_text(r.break_even, r.unit, r.price_year) for r in be.itertuples()],
        t("costbenefit.within_range"): [
            t("costbenefit.answer_yes") if w else t("costbenefit.answer_no") for w in be["within_range"]
        ],
        t("costbenefit.note"): [break_even_note(n) for n in be["note"]],
    }
)
show_table(be_table, t("costbenefit.break_even_caption"), numeric=list(be_table.columns[1:5]))

# %% tags=["remove-input"]
show_heading(t("costbenefit.cohorts_heading"), 2)
cohorts = results.cohorts
cohort_table = pd.DataFrame(
    {
        t("common.year"): cohorts["year"].astype(str),
        t("costbenefit.participants"): [format_count(v, lang) for v in cohorts["participants"]],
        t("costbenefit.rate", outcome=outcome): [format_percent(v, 0, lang) for v in cohorts["rate"]],
        t("costbenefit.additional"): [format_number(v, 1, lang) for v in cohorts["additional_youths"]],
        money_column("costs"): [nok(v) for v in cohorts["costs_nok"]],
        money_column("pv_benefits"): [nok(v) for v in cohorts["pv_benefits_nok"]],
        t("costbenefit.bcr"): [format_ratio(v, lang) for v in cohorts["bcr"]],
    }
)
show_table(
    cohort_table,
    t("costbenefit.cohorts_caption", outcome=outcome, year=year),
    [t("costbenefit.footnote_suppressed", threshold=results.threshold)],
    numeric=list(cohort_table.columns[1:]),
)

# %% tags=["remove-input"]
show_heading(t("costbenefit.assumptions_heading"), 2)
show_text(t("costbenefit.assumptions_text", file=results.registry_file, year=year))
reg = results.assumptions
assumption_table = pd.DataFrame(
    {
        t("costbenefit.id"): reg["id"].tolist(),
        t("costbenefit.assumption"): reg["label"].tolist(),
        t("costbenefit.value"): [value_text(r.value, r.unit, r.price_year) for r in reg.itertuples()],
        t("costbenefit.unit"): reg["unit"].tolist(),
        t("costbenefit.price_year"): [MISSING if pd.isna(v) else str(int(v)) for v in reg["price_year"]],
        t("costbenefit.low"): [value_text(r.low, r.unit, r.price_year) for r in reg.itertuples()],
        t("costbenefit.high"): [value_text(r.high, r.unit, r.price_year) for r in reg.itertuples()],
        t("costbenefit.distribution"): [t(f"costbenefit.distribution_{d}") for d in reg["distribution"]],
        t("costbenefit.source"): [
            s + (f" ({u})" if isinstance(u, str) and u else "") for s, u in zip(reg["source"], reg["url"], strict=False)
        ],
        t("costbenefit.evidence"): [t(f"costbenefit.evidence_{e}") for e in reg["evidence"]],
        t("costbenefit.quality"): [t(f"costbenefit.rating_{r}") for r in reg["quality"]],
        t("costbenefit.impact"): [t(f"costbenefit.rating_{r}") for r in reg["impact"]],
    }
)
show_table(assumption_table, t("costbenefit.assumptions_caption"))
untranslated = results.registry.missing_labels(lang)
if untranslated:
    show_text(t("costbenefit.labels_missing", ids=", ".join(untranslated)))
noted = reg[reg["note"].map(lambda n: isinstance(n, str) and n != "")]
notes_table = pd.DataFrame({t("costbenefit.id"): noted["id"].tolist(), t("costbenefit.note"): noted["note"].tolist()})
show_table(notes_table, t("costbenefit.notes_caption"))
if results.registry.overrides:
    show_heading(t("costbenefit.overrides_heading"), 3)
    show_text(t("costbenefit.overrides_text"))
    changed = pd.DataFrame(
        {
            t("costbenefit.override_key"): [o.key for o in results.registry.overrides],
            t("costbenefit.override_previous"): [str(o.previous) for o in results.registry.overrides],
            t("costbenefit.override_new"): [str(o.new) for o in results.registry.overrides],
        }
    )
    show_table(changed, None)

# %% tags=["remove-input"]
show_heading(t("costbenefit.data_heading"), 2)
s = results.costs_input
show_text(
    t(
        "costbenefit.data_costs",
        file=s.file,
        read=format_count(s.rows_read, lang),
        accepted=format_count(s.rows_accepted, lang),
        rejected=format_count(s.rows_rejected, lang),
    ),
    t("costbenefit.data_registry", file=results.registry_file, sha=results.registry_sha256[:12]),
    t("costbenefit.data_followup", first=first, last=last, treatment=t(f"treatment.{results.treatment}")),
)
show_rejected_rows(s, t)
