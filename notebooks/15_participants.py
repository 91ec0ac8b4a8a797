# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["remove-cell"]
# # Participants: who the programme serves and how they experience it
#
# Rendered by `outcomes report` (this cell is not shown in the report). The
# notebook only loads, calls, shows and explains: every number comes from
# `outcomes.analyses.participants.results.participants_page_results` (already
# under disclosure control) and the page's tables and charts from
# `outcomes.analyses.participants.views`, every label from
# `src/outcomes/locales/<lang>/participants.yml`. Rows that break a data
# contract are shown under "Data behind this page"; the report runner refuses
# to publish them unless rejects are allowed (see `participants_page_results`).

# %% tags=["parameters"]
config_path = "config/report.yml"  # run configuration, relative to the project root
overrides = {}  # dotted-key overrides of the configuration, e.g. {"language": "en"}

# %% tags=["remove-input"]
from outcomes.analyses.followup.narrative import input_rows_sentence
from outcomes.analyses.participants import views
from outcomes.analyses.participants.results import participants_page_results
from outcomes.core.config import load_config
from outcomes.core.i18n import Translator
from outcomes.render.display import show_figure, show_heading, show_rejected_rows, show_table, show_text

cfg = load_config(config_path, overrides)
lang = cfg.language
t = Translator(lang)
results = participants_page_results(cfg)
threshold = cfg.disclosure_threshold
footnote_suppressed = t("common.footnote_suppressed", threshold=threshold)

# %% tags=["remove-input"]
show_heading(t("participants.title", programme=cfg.programme.title), 1)
show_text(t("participants.intro"))

# %% tags=["remove-input"]
show_heading(t("participants.profile_heading"), 2)
if results.profile is None:
    show_text(t("participants.no_profile"))
else:
    show_text(views.profile_intro(results, t))
    profile_table = views.profile_table(results, t)
    profile_notes = views.profile_footnotes(results, t)
    show_table(
        profile_table, t("participants.profile_table_caption"), profile_notes, numeric=list(profile_table.columns[1:])
    )
    show_figure(
        views.profile_chart(results, t),
        "participants-profile",
        t("participants.profile_chart_caption"),
        profile_table,
        t("common.show_data"),
        numeric=list(profile_table.columns[1:]),
        footnotes=profile_notes,
        lang=lang,
    )

# %% tags=["remove-input"]
if results.profile is not None:
    show_heading(t("participants.services_heading"), 2)
    services_intro = views.services_intro(results, t)
    if services_intro:
        show_text(services_intro)
    service_table = views.services_table(results, t)
    show_figure(
        views.services_chart(results, t),
        "participants-services",
        t("participants.services_chart_caption"),
        service_table,
        t("common.show_data"),
        numeric=list(service_table.columns[2:]),
        footnotes=[footnote_suppressed],
        lang=lang,
    )
    show_table(
        service_table,
        t("participants.services_table_caption"),
        [footnote_suppressed],
        numeric=list(service_table.columns[2:]),
    )

# %% tags=["remove-input"]
show_heading(t("participants.survey_heading"), 2)
if results.survey is None or results.survey_year is None:
    show_text(t("participants.no_survey"))
else:
    year = results.survey_year
    show_text(views.survey_intro(results, t))
    show_heading(t("participants.diverging_heading", year=year), 3)
    answers = views.answers_table(results, t)
    show_figure(
        views.answers_chart(results, t),
        "participants-survey",
        t("participants.diverging_caption", year=year),
        answers,
        t("common.show_data"),
        numeric=list(answers.columns[1:]),
        footnotes=views.survey_footnotes(t, threshold),
        lang=lang,
    )

# %% tags=["remove-input"]
if results.survey is not None and results.change is not None:
    show_heading(t("participants.agreeing_heading", year=year, previous=year - 1), 3)
    agreeing = views.agreeing_table(results, t)
    show_table(
        agreeing,
        t("participants.agreeing_caption"),
        views.agreeing_footnotes(t, threshold),
        numeric=list(agreeing.columns[1:-1]),
    )

    show_heading(t("participants.trend_heading"), 3)
    trend = views.trend_table(results, t)
    show_table(
        trend, t("participants.trend_caption"), views.survey_footnotes(t, threshold), numeric=list(trend.columns[1:])
    )

    show_heading(t("participants.department_heading", year=year), 3)
    departments = views.department_table(results, t)
    show_table(
        departments,
        t("participants.department_caption", year=year),
        views.department_footnotes(t, threshold),
        numeric=list(departments.columns[1:]),
    )

    show_heading(t("participants.items_heading"), 3)
    show_text(t("participants.items_intro"), *views.survey_items(results))

# %% tags=["remove-input"]
if results.profile is not None:
    show_heading(t("participants.definitions_heading"), 2)
    show_table(views.category_definitions(results, t), None)

# %% tags=["remove-input"]
show_heading(t("participants.data_heading"), 2)
profile_kind = views.profile_kind_sentence(results, t)
if profile_kind:
    show_text(profile_kind)
for summary in results.inputs:
    show_text(input_rows_sentence(summary, "participants.data_rows", t))
    show_rejected_rows(summary, t)
