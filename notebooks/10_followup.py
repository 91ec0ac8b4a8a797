# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["remove-cell"]
# # Follow-up outcome rates
#
# Rendered by `outcomes report` (this cell is not shown in the report). The
# notebook only loads, calls, shows and explains: every number comes from
# `outcomes.analyses.followup_results` and the page's tables and charts
# from `outcomes.analyses.followup.views`, every label from the translation
# catalogue (`src/outcomes/locales/`). Run it in JupyterLab with the defaults
# below, or through papermill with other parameters.

# %% tags=["parameters"]
config_path = "config/report.yml"  # run configuration, relative to the project root
overrides = {}  # dotted-key overrides of the configuration, e.g. {"language": "en"}

# %% tags=["remove-input"]
from outcomes.analyses import followup_results
from outcomes.analyses.followup import views
from outcomes.analyses.followup.narrative import followup_summary, input_rows_sentence
from outcomes.core.config import load_config
from outcomes.core.i18n import Translator
from outcomes.render.display import show_figure, show_heading, show_rejected_rows, show_table, show_text

cfg = load_config(config_path, overrides)
lang = cfg.language
t = Translator(lang)
results = followup_results(cfg)
year = cfg.report_year
footnote_suppressed = t("common.footnote_suppressed", threshold=cfg.disclosure_threshold)

# %% tags=["remove-input"]
show_heading(t("followup.title", year=year, programme=cfg.programme.title), 1)
# Years given as yearly counts (inputs.followup_counts) are named here; nothing is added without them.
show_text(t("followup.intro", first=cfg.first_year, last=year), *views.counts_notes(results, t))
show_heading(t("followup.summary_heading"), 2)
show_text(*followup_summary(results.rates, year, results.status_map, lang), css_class="summary")

# %% tags=["remove-input"]
# Every group of config/status_map.yml, per year.
show_heading(t("followup.table_heading"), 2)
table = views.rates_by_year(results, t)
show_table(
    table,
    t("followup.table_caption"),
    [footnote_suppressed, t("common.footnote_interval")],
    numeric=list(table.columns[1:]),
)

# %% tags=["remove-input"]
# The groups under `shown.over_time` in config/status_map.yml.
show_heading(t("followup.chart_heading"), 2)
trend = views.trend_table(results, t)
show_figure(
    views.trend_chart(results, t),
    "followup-trend",
    t("followup.chart_caption"),
    trend,
    t("common.show_data"),
    numeric=list(trend.columns[1:]),
    footnotes=[footnote_suppressed],
    lang=lang,
)

# %% tags=["remove-input"]
# The groups under `shown.by_department` in config/status_map.yml.
show_heading(t("followup.department_heading", year=year), 2)
departments = views.department_table(results, t)
show_figure(
    views.department_chart(results, t),
    "followup-departments",
    t("followup.department_caption"),
    departments,
    t("common.show_data"),
    numeric=list(departments.columns[1:]),
    footnotes=[footnote_suppressed],
    lang=lang,
)

# %% tags=["remove-input"]
show_heading(t("followup.response_heading"), 2)
response = views.response_table(results, t)
show_figure(
    views.response_chart(results, t),
    "followup-response",
    t("followup.response_caption"),
    response,
    t("common.show_data"),
    numeric=list(response.columns[1:]),
    footnotes=[footnote_suppressed],
    lang=lang,
)

# %% tags=["remove-input"]
show_heading(t("followup.bounds_heading"), 2)
bounds = views.bounds_table(results, t)
show_table(bounds, t("followup.bounds_caption") + f" ({year})", [footnote_suppressed], numeric=list(bounds.columns[1:]))

# %% tags=["remove-input"]
show_heading(t("followup.definitions_heading"), 2)
show_text(t("followup.definitions_intro"))
show_table(views.group_definitions(results.status_map, t), None)
show_table(views.status_definitions(results.status_map, t), None, [t("followup.definitions_nonresponse")])

# %% tags=["remove-input"]
show_heading(t("followup.data_heading"), 2)
for summary in views.input_summaries(results):
    show_text(input_rows_sentence(summary, "followup.data_rows", t))
    show_rejected_rows(summary, t)
