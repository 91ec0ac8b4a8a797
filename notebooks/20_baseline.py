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
# (the same as `outcomes baseline --json`), every table, figure and text from
# `outcomes.analyses.baseline.views` and `.deviance_views`, every label from the
# translation catalogue (`src/outcomes/locales/<lang>/baseline.yml`). Run it in
# JupyterLab with the defaults below, or through papermill with other parameters.

# %% tags=["parameters"]
config_path = "config/report.yml"  # run configuration, relative to the project root
overrides = {}  # dotted-key overrides of the configuration, e.g. {"language": "en"}

# %% tags=["remove-input"]
from outcomes.analyses.baseline import views
from outcomes.analyses.baseline.deviance_views import deviance_section
from outcomes.analyses.baseline.results import baseline_results
from outcomes.core.config import load_config
from outcomes.core.i18n import Translator
from outcomes.render.display import show_figure, show_heading, show_table, show_text

cfg = load_config(config_path, overrides)
lang = cfg.language
t = Translator(lang)
results = baseline_results(cfg)

# %% tags=["remove-input"]
# What the null point is, the demo-data warning when the files are the shipped demo, and one sentence per indicator.
show_heading(views.page_title(results, t), 1)
show_text(views.intro(results, t))
show_text(views.scope_note(results, t) or "")
demo_note = views.demo_note(results, t)
if demo_note:
    show_text(demo_note, css_class="summary")
show_heading(t("baseline.summary_heading"), 2)
show_text(*views.summary_sentences(results, t), css_class="summary")

# %% tags=["remove-input"]
# One table per theme: every area at the null point and now, with the change judged by direction.
show_heading(t("baseline.themes_heading"), 2)
show_text(t("baseline.themes_intro"))
for section in views.theme_sections(results, t):
    show_heading(section.heading, 3)
    show_table(section.table.table, section.table.caption, section.table.footnotes, section.table.numeric)

# %% tags=["remove-input"]
# Each assessed indicator over time, with the null point marked; the numbers are the chart's text alternative.
show_heading(t("baseline.trend_heading"), 2)
trend = views.trend_figure(results, t)
show_figure(
    trend.figure,
    trend.name,
    trend.caption,
    trend.data.table,
    t("common.show_data"),
    numeric=trend.data.numeric,
    footnotes=trend.data.footnotes,
    lang=lang,
)

# %% tags=["remove-input"]
# Where each municipality is furthest behind the country: a chart of the standardised scores when there are any.
show_heading(t("baseline.challenges_heading"), 2)
show_text(t("baseline.challenges_intro"))
challenges = views.challenges_view(results, t)
if challenges.figure is not None:
    show_figure(
        challenges.figure.figure,
        challenges.figure.name,
        challenges.figure.caption,
        challenges.figure.data.table,
        t("common.show_data"),
        numeric=challenges.figure.data.numeric,
        footnotes=challenges.figure.data.footnotes,
        lang=lang,
    )
elif len(challenges.table.table):
    show_table(challenges.table.table, None, challenges.table.footnotes, challenges.table.numeric)
else:
    show_text(t("baseline.challenges_none"))

# %% tags=["remove-input"]
# Positive deviance (only when a national file and a model are configured): fit, chart, deviants, the region.
deviance = deviance_section(results, t)
if deviance is not None:
    show_heading(t("baseline.deviance_heading"), 2)
    show_text(*deviance.fit_text)
    show_figure(
        deviance.figure.figure,
        deviance.figure.name,
        deviance.figure.caption,
        deviance.figure.data.table,
        t("common.show_data"),
        numeric=deviance.figure.data.numeric,
        footnotes=deviance.figure.data.footnotes,
        lang=lang,
    )
    if deviance.deviants is not None:
        show_table(
            deviance.deviants.table, deviance.deviants.caption, deviance.deviants.footnotes, deviance.deviants.numeric
        )
    else:
        show_text(t("baseline.deviance_none"))
    show_table(deviance.region.table, deviance.region.caption, deviance.region.footnotes, deviance.region.numeric)

# %% tags=["remove-input"]
# Distance to the targets, when the configuration sets any.
if results.targets:
    show_heading(t("baseline.targets_heading"), 2)
    targets = views.targets_view(results, t)
    show_table(targets.table, targets.caption, targets.footnotes, targets.numeric)

# %% tags=["remove-input"]
# Sources and method: publishers and tables, how codes and missing figures are handled, which files were read.
show_heading(t("baseline.sources_heading"), 2)
sources = views.sources_view(results, t)
show_table(sources.table, sources.caption, sources.footnotes, sources.numeric)
show_text(views.method_text(results, t))
show_heading(t("baseline.data_heading"), 3)
show_text(views.data_files_text(results, t))
national = views.national_file_text(results, t)
if national:
    show_text(national)
