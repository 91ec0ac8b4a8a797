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
# call `outcomes cba --json` makes), every sentence and table from
# `outcomes.analyses.costbenefit.views`, every label from the translation
# catalogue (`src/outcomes/locales/<lang>/costbenefit.yml`), every assumption
# from the registry named by `costbenefit.assumptions`. Try a what-if without
# editing anything: `overrides = {"costbenefit.overrides": {"attribution": "0.4"}}`.

# %% tags=["parameters"]
config_path = "config/report.yml"  # run configuration, relative to the project root
overrides = {}  # dotted-key overrides of the configuration, e.g. {"language": "en"}

# %% tags=["remove-input"]

from outcomes.analyses import cba_results
from outcomes.analyses.costbenefit import views, views_evidence
from outcomes.analyses.costbenefit.figures import ratio_histogram, tornado, waterfall
from outcomes.core.config import load_config
from outcomes.core.i18n import Translator
from outcomes.render.display import show_figure, show_heading, show_rejected_rows, show_table, show_text

cfg = load_config(config_path, overrides)
lang = cfg.language
t = Translator(lang)
results = cba_results(cfg)
year = results.price_year
comparison_year = results.result.comparison_year
first, last = results.years
outcome = views.outcome_name(results)

# %% tags=["remove-input"]
show_heading(t("costbenefit.title", first=first, last=last, programme=cfg.programme.title), 1)
show_text(
    t("costbenefit.intro", first=first, last=last),
    t("costbenefit.demo_notice", title=results.registry.title or results.registry.programme),
)

# %% tags=["remove-input"]
show_heading(t("costbenefit.headline_heading"), 2)
show_text(*views.headline_lines(results), css_class="summary")
nonresponse = views.nonresponse_table(results)
show_table(
    nonresponse,
    t("costbenefit.nonresponse_caption"),
    [t("costbenefit.nonresponse_footnote")],
    numeric=list(nonresponse.columns[1:]),
)
show_heading(t("costbenefit.labels_heading"), 3)
show_text(*views.label_lines(results), css_class="labels")

# %% tags=["remove-input"]
show_heading(t("costbenefit.waterfall_heading"), 2)
show_text(t("costbenefit.waterfall_text", comparison_year=comparison_year))
fig = waterfall(
    results.result.waterfall,
    money_unit=t("costbenefit.waterfall_axis", year=year),
    step_labels=views.waterfall_step_labels(results),
)
steps_table = views.waterfall_table(results)
show_figure(
    fig,
    "cba-waterfall",
    t("costbenefit.waterfall_caption", year=year, comparison_year=comparison_year),
    steps_table,
    t("common.show_data"),
    numeric=list(steps_table.columns[1:]),
    lang=lang,
)
streams = views.streams_table(results)
show_text(t("costbenefit.streams_text"))
show_table(streams, t("costbenefit.streams_caption", year=year), numeric=list(streams.columns[1:]))

# %% tags=["remove-input"]
show_heading(t("costbenefit.perspectives_heading"), 2)
show_text(t("costbenefit.perspectives_text"))
persp_table = views.perspectives_table(results)
show_table(persp_table, t("costbenefit.perspectives_caption", year=year), numeric=list(persp_table.columns[1:]))
payer_table = views.payers_table(results)
show_table(payer_table, t("costbenefit.payers_caption", year=year), numeric=list(payer_table.columns[1:]))

# %% tags=["remove-input"]
show_heading(t("costbenefit.scenarios_heading"), 2)
show_text(t("costbenefit.scenarios_text"))
show_table(views_evidence.scenario_table(results), t("costbenefit.scenarios_caption"))
bias = views_evidence.optimism_bias_table(results)
if not bias.empty:
    show_text(t("costbenefit.bias_text"))
    show_table(bias, t("costbenefit.bias_caption"), numeric=list(bias.columns[3:]))

# %% tags=["remove-input"]
show_heading(t("costbenefit.non_priced_heading"), 2)
show_text(t("costbenefit.non_priced_text"))
show_table(views_evidence.non_priced_table(results), t("costbenefit.non_priced_caption"))

# %% tags=["remove-input"]
show_heading(t("costbenefit.tornado_heading"), 2)
show_text(t("costbenefit.tornado_text"))
fig = tornado(
    results.analysis.sensitivity,
    base_ratio=results.result.headline("society")["bcr"],
    ratio_title=t("costbenefit.ratio_axis"),
    low_label=t("costbenefit.tornado_low"),
    high_label=t("costbenefit.tornado_high"),
    break_even_label=t("costbenefit.break_even_line"),
)
sens_table = views_evidence.sensitivity_table(results)
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
if results.simulation is not None:
    show_heading(t("costbenefit.simulation_heading"), 2)
    show_text(views_evidence.simulation_text(results))
    fig = ratio_histogram(
        results.simulation.bcr,
        ratio_title=t("costbenefit.ratio_axis"),
        count_title=t("costbenefit.simulation_count"),
        band_label=t("costbenefit.simulation_band"),
        break_even_label=t("costbenefit.break_even_line"),
    )
    sim_table = views_evidence.simulation_table(results)
    show_figure(
        fig,
        "cba-simulation",
        t("costbenefit.simulation_caption"),
        sim_table,
        t("common.show_data"),
        numeric=list(sim_table.columns[1:]),
        lang=lang,
    )

# %% tags=["remove-input"]
show_heading(t("costbenefit.break_even_heading"), 2)
show_text(t("costbenefit.break_even_text"))
be_table = views_evidence.break_even_table(results)
show_table(be_table, t("costbenefit.break_even_caption"), numeric=list(be_table.columns[1:5]))

# %% tags=["remove-input"]
show_heading(t("costbenefit.cohorts_heading"), 2)
show_text(t("costbenefit.cohorts_text", comparison_year=comparison_year))
cohort_table = views.cohort_table(results)
show_table(
    cohort_table,
    t("costbenefit.cohorts_caption", year=year, comparison_year=comparison_year),
    [t("costbenefit.footnote_suppressed", threshold=results.threshold)],
    numeric=list(cohort_table.columns[1:]),
)

# %% tags=["remove-input"]
show_heading(t("costbenefit.assumptions_heading"), 2)
show_text(t("costbenefit.assumptions_text", file=results.registry_file, year=year))
show_table(views_evidence.assumption_table(results), t("costbenefit.assumptions_caption"))
if views_evidence.missing_labels_text(results):
    show_text(views_evidence.missing_labels_text(results))
show_table(views_evidence.assumption_notes_table(results), t("costbenefit.notes_caption"))
unit_costs = views_evidence.unit_cost_table(results)
if not unit_costs.empty:
    show_heading(t("costbenefit.unit_costs_heading"), 3)
    show_text(t("costbenefit.unit_costs_text"))
    show_table(unit_costs, t("costbenefit.unit_costs_caption"))
if results.registry.overrides:
    show_heading(t("costbenefit.overrides_heading"), 3)
    show_text(t("costbenefit.overrides_text"))
    show_table(views_evidence.overrides_table(results), None)

# %% tags=["remove-input"]
show_heading(t("costbenefit.data_heading"), 2)
show_text(*views.data_lines(results))
show_rejected_rows(results.costs_input, t)
