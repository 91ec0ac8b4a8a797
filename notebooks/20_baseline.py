# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["remove-cell"]
# # Baseline (null point)
#
# Rendered by `outcomes report` when `sections` lists `baseline` (this cell is
# not shown in the report). The notebook only loads, calls, shows and
# explains: every number comes from `outcomes.analyses.baseline.results.baseline_results`
# (the same as `outcomes baseline --json`), every formatted table from the
# `*_view` functions beside it, every label from the translation catalogue
# (`src/outcomes/locales/<lang>/baseline.yml`). Run it in JupyterLab with the
# defaults below, or through papermill with other parameters.

# %% tags=["parameters"]
config_path = "config/report.yml"  # run configuration, relative to the project root
overrides = {}  # dotted-key overrides of the configuration, e.g. {"language": "en"}

# %% tags=["remove-input"]
from outcomes.analyses.baseline.figures import largest_challenges_bar, positive_deviance_scatter, trend_small_multiples
from outcomes.analyses.baseline.results import (
    baseline_results,
    challenges_view,
    deviance_fit_text,
    deviance_labels,
    deviance_view,
    indicator_title,
    region_members,
    sources_view,
    summary_sentences,
    targets_view,
    theme_view,
    trend_labels,
    trend_view,
)
from outcomes.core.config import load_config
from outcomes.core.i18n import Translator
from outcomes.render.display import show_figure, show_heading, show_table, show_text

cfg = load_config(config_path, overrides)
lang = cfg.language
t = Translator(lang)
results = baseline_results(cfg)

# %% tags=["remove-input"]
show_heading(t("baseline.title", region=results.region_name), 1)
members = region_members(results, t)
if results.latest_year is not None:
    show_text(
        t(
            "baseline.intro",
            region=results.region_name,
            baseline_year=results.baseline_year,
            members=members,
            latest_year=results.latest_year,
        )
    )
else:
    show_text(
        t("baseline.intro_no_latest", region=results.region_name, baseline_year=results.baseline_year, members=members)
    )
if "/demo/" in f"/{results.indicator_folder}/":
    show_text(t("baseline.demo_note"), css_class="summary")
show_heading(t("baseline.summary_heading"), 2)
show_text(*summary_sentences(results, t), css_class="summary")

# %% tags=["remove-input"]
show_heading(t("baseline.themes_heading"), 2)
show_text(t("baseline.themes_intro"))
for theme in results.themes():
    theme_title = getattr(results.catalogue.themes[theme], lang)
    show_heading(theme_title, 3)
    view = theme_view(results, theme, t)
    show_table(view.table, t("baseline.theme_caption", theme=theme_title), view.footnotes, view.numeric)

# %% tags=["remove-input"]
show_heading(t("baseline.trend_heading"), 2)
labels = trend_labels(results, t)
fig = trend_small_multiples(results.table, **labels)
view = trend_view(results, t, labels["indicators"])
show_figure(
    fig,
    "baseline-trends",
    t("baseline.trend_caption", baseline_year=results.baseline_year),
    view.table,
    t("common.show_data"),
    numeric=view.numeric,
    footnotes=view.footnotes,
    lang=lang,
)

# %% tags=["remove-input"]
show_heading(t("baseline.challenges_heading"), 2)
show_text(t("baseline.challenges_intro"))
drawn, view = challenges_view(results, t)
if len(drawn):
    fig = largest_challenges_bar(
        drawn,
        titles={i: indicator_title(results, i, t) for i in results.indicator_ids()},
        x_title=t("baseline.challenges_axis"),
    )
    show_figure(
        fig,
        "baseline-challenges",
        t("baseline.challenges_caption"),
        view.table,
        t("common.show_data"),
        numeric=view.numeric,
        footnotes=view.footnotes,
        lang=lang,
    )
elif len(view.table):
    show_table(view.table, None, view.footnotes, view.numeric)
else:
    show_text(t("baseline.challenges_none"))

# %% tags=["remove-input"]
if results.deviance is not None:
    show_heading(t("baseline.deviance_heading"), 2)
    show_text(*deviance_fit_text(results, t))
    fig = positive_deviance_scatter(results.deviance.table, **deviance_labels(results, t))
    view = deviance_view(results, t)
    caption = t("baseline.deviance_caption", indicator=indicator_title(results, results.deviance.outcome, t))
    show_figure(
        fig,
        "baseline-deviance",
        caption,
        view.table,
        t("common.show_data"),
        numeric=view.numeric,
        footnotes=view.footnotes,
        lang=lang,
    )
    deviants = deviance_view(results, t, only="deviants")
    if len(deviants.table):
        show_table(deviants.table, t("baseline.deviance_deviants_caption"), deviants.footnotes, deviants.numeric)
    else:
        show_text(t("baseline.deviance_none"))
    region = deviance_view(results, t, only="region")
    show_table(region.table, t("baseline.deviance_region_caption", region=results.region_name), [], region.numeric)

# %% tags=["remove-input"]
if results.targets:
    show_heading(t("baseline.targets_heading"), 2)
    view = targets_view(results, t)
    show_table(view.table, t("baseline.targets_caption"), view.footnotes, view.numeric)

# %% tags=["remove-input"]
show_heading(t("baseline.sources_heading"), 2)
view = sources_view(results, t)
show_table(view.table, t("baseline.sources_caption"))
show_text(t("baseline.method_text", geography_year=cfg.baseline.geography_year))
show_heading(t("baseline.data_heading"), 3)
files = [i["file"].rsplit("/", 1)[-1] for i in results.inputs if i["file"].startswith(results.indicator_folder + "/")]
show_text(t("baseline.data_files", folder=results.indicator_folder, files=", ".join(files)))
if cfg.baseline.national:
    show_text(t("baseline.data_national", file=cfg.baseline.national))
