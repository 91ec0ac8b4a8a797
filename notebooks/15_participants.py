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
# `outcomes.analyses.participants_results` (already under disclosure control),
# every label from `src/outcomes/locales/<lang>/participants.yml`. Rows that
# break a data contract are shown under "Data behind this page"; the report
# runner refuses to publish them unless rejects are allowed.

# %% tags=["parameters"]
config_path = "config/report.yml"  # run configuration, relative to the project root
overrides = {}  # dotted-key overrides of the configuration, e.g. {"language": "en"}

# %% tags=["remove-input"]
import pandas as pd

from outcomes.analyses import participants_results
from outcomes.analyses.participants.figures import diverging_bars, profile_bars
from outcomes.analyses.participants.survey import ALL, SCALE
from outcomes.core.config import load_config
from outcomes.core.formatting import format_count, format_interval, format_number, format_percent
from outcomes.core.i18n import Translator
from outcomes.render.display import show_figure, show_heading, show_rejected_rows, show_table, show_text

cfg = load_config(config_path, overrides)
lang = cfg.language
t = Translator(lang)
results = participants_results(cfg, allow_rejects=True)
catalogue = results.categories
titles = catalogue.titles(lang)
threshold = cfg.disclosure_threshold
footnote_suppressed = t("common.footnote_suppressed", threshold=threshold)
pct = lambda v: format_percent(v, 0, lang)  # noqa: E731
pp = lambda v: format_number(v, 0, lang)  # noqa: E731

# %% tags=["remove-input"]
show_heading(t("participants.title", programme=cfg.programme.title), 1)
show_text(t("participants.intro"))

# %% tags=["remove-input"]
show_heading(t("participants.profile_heading"), 2)
profile = results.profile
if profile is None:
    show_text(t("participants.no_profile"))
else:
    years = results.school_years
    people = profile.drop_duplicates("school_year").set_index("school_year")["participants"]
    show_text(
        t(
            "participants.profile_intro",
            participants=t(
                "participants.profile_participants",
                years=", ".join(
                    t("participants.profile_participants_year", count=format_count(people[y], lang), year=y)
                    for y in years
                ),
            ),
        )
    )
    difficulties = [c for c in catalogue.of_kind("difficulty") if c in set(profile["category"])]
    profile_notes = [
        t("participants.footnote_several"),
        t("participants.footnote_merged", threshold=threshold, other=titles[catalogue.other]),
        footnote_suppressed,
    ]
    if results.profile_kind == "profile_counts":
        profile_notes.append(t("participants.footnote_counts", other=titles[catalogue.other]))
    wide = profile.set_index(["category", "school_year"])
    rows = [
        {
            t("participants.category"): t("participants.participants_row"),
            **{y: format_count(people[y], lang) for y in years},
        }
    ]
    for c in difficulties:
        row = {t("participants.category"): titles[c]}
        for y in years:
            cell = wide.loc[(c, y)] if (c, y) in wide.index else None
            row[y] = (
                format_count(None, lang)
                if cell is None or pd.isna(cell["count"])
                else t("participants.count_share", count=format_count(cell["count"], lang), share=pct(cell["share"]))
            )
        rows.append(row)
    table = pd.DataFrame(rows)
    show_table(table, t("participants.profile_table_caption"), profile_notes, numeric=list(table.columns[1:]))
    fig = profile_bars(
        profile[profile["kind"] == "difficulty"],
        difficulties,
        titles,
        lang=lang,
        x_title=t("participants.axis_share_participants"),
        of_label=t("participants.of"),
    )
    show_figure(
        fig,
        "participants-profile",
        t("participants.profile_chart_caption"),
        table,
        t("common.show_data"),
        numeric=list(table.columns[1:]),
        footnotes=profile_notes,
        lang=lang,
    )

# %% tags=["remove-input"]
if profile is not None:
    show_heading(t("participants.services_heading"), 2)
    services = results.services
    service_ids = catalogue.of_kind("service")
    latest = services[services["school_year"] == years[-1]]
    parts = [
        t(
            "participants.services_item",
            share=pct(r.share),
            title_lower=titles[r.category].lower(),
            previous=pct(r.previous_share),
        )
        for r in latest.itertuples()
    ]
    if parts:
        summary = ", ".join(parts[:-1]) + (f" {t('participants.and_word')} " if len(parts) > 1 else "") + parts[-1]
        show_text(t("participants.services_intro", year=years[-1], summary=summary))
    service_table = pd.DataFrame(
        {
            t("common.year"): services["school_year"],
            t("participants.category"): services["category"].map(titles),
            t("common.count"): services["count"].map(lambda v: format_count(v, lang)),
            t("common.share"): services["share"].map(pct),
            t("participants.previous"): services["previous_share"].map(pct),
            t("participants.change_pp"): services["change_pp"].map(pp),
        }
    )
    fig = profile_bars(
        profile[profile["kind"] == "service"],
        service_ids,
        titles,
        lang=lang,
        x_title=t("participants.axis_share_participants"),
        of_label=t("participants.of"),
    )
    show_figure(
        fig,
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
survey = results.survey
if survey is None or results.survey_year is None:
    show_text(t("participants.no_survey"))
else:
    year = results.survey_year
    survey_years = sorted(survey["year"].unique())
    show_text(t("participants.survey_intro", years=", ".join(str(y) for y in survey_years)))
    answer_titles = {a: t(f"participants.answer_{a}") for a in SCALE}
    survey_notes = [t("participants.footnote_dont_know"), footnote_suppressed]
    show_heading(t("participants.diverging_heading", year=year), 3)
    whole = survey[(survey["year"] == year) & (survey["department"] == ALL)].sort_values("item_order")
    side_titles = {
        side: t("participants.answer_not_split", side=t(f"participants.side_{side}"))
        for side in ("disagreeing", "agreeing")
    }
    fig = diverging_bars(
        whole, answer_titles, lang=lang, x_title=t("participants.axis_answers"), side_titles=side_titles
    )
    answers = pd.DataFrame(
        {
            t("participants.item"): whole["item"],
            t("common.n"): whole["n"].map(lambda v: format_count(v, lang)),
            **{
                answer_titles[a]: [
                    t("participants.count_share", count=format_count(c, lang), share=pct(s))
                    if pd.notna(s)
                    else format_count(None, lang)
                    for s, c in zip(whole[f"share_{a}"], whole[a], strict=False)
                ]
                for a in SCALE
            },
            t("participants.dont_know"): whole["dont_know"].map(lambda v: format_count(v, lang)),
            t("participants.blank"): whole["blank"].map(lambda v: format_count(v, lang)),
        }
    )
    show_figure(
        fig,
        "participants-survey",
        t("participants.diverging_caption", year=year),
        answers,
        t("common.show_data"),
        numeric=list(answers.columns[1:]),
        footnotes=survey_notes,
        lang=lang,
    )

# %% tags=["remove-input"]
if survey is not None and results.change is not None:
    show_heading(t("participants.agreeing_heading", year=year, previous=year - 1), 3)
    change = results.change
    overall = change[change["department"] == ALL].sort_values("item_order")
    note = {True: t("participants.note_overlap"), False: t("participants.note_no_overlap")}
    agreeing = pd.DataFrame(
        {
            t("participants.item"): overall["item"],
            t("common.n"): overall["n"].map(lambda v: format_count(v, lang)),
            t("participants.share_agreeing"): overall["share"].map(pct),
            t("common.interval"): [
                format_interval(lo, hi, 0, lang) for lo, hi in zip(overall["ci_low"], overall["ci_high"], strict=False)
            ],
            str(year - 1): overall["previous_share"].map(pct),
            t("participants.change_pp"): overall["change_pp"].map(pp),
            t("participants.note"): overall["overlap"].map(lambda v: "" if pd.isna(v) else note[bool(v)]),
        }
    )
    show_table(
        agreeing,
        t("participants.agreeing_caption"),
        [
            t("participants.footnote_dont_know"),
            footnote_suppressed,
            t("common.footnote_interval"),
            t("participants.footnote_overlap"),
        ],
        numeric=list(agreeing.columns[1:-1]),
    )

    show_heading(t("participants.trend_heading"), 3)
    trend = survey[survey["department"] == ALL]
    items = trend.drop_duplicates("item").sort_values("item_order")["item"]
    by_year = trend.set_index(["item", "year"])
    trend_table = pd.DataFrame(
        {
            t("participants.item"): items,
            **{
                str(y): [
                    t(
                        "participants.share_n",
                        share=pct(by_year.loc[(i, y), "share"]),
                        n=format_count(by_year.loc[(i, y), "n"], lang),
                    )
                    if (i, y) in by_year.index
                    else format_count(None, lang)
                    for i in items
                ]
                for y in survey_years
            },
        }
    )
    show_table(trend_table, t("participants.trend_caption"), survey_notes, numeric=list(trend_table.columns[1:]))

    show_heading(t("participants.department_heading", year=year), 3)
    depts = survey[(survey["year"] == year) & (survey["department"] != ALL)].set_index(["item", "department"])
    dept_names = sorted(survey.loc[survey["department"] != ALL, "department"].unique())
    dept_table = pd.DataFrame(
        {
            t("participants.item"): items,
            **{
                d: [
                    format_count(None, lang)
                    if (i, d) not in depts.index or pd.isna(depts.loc[(i, d), "share"])
                    else t(
                        "participants.dept_cell",
                        share=pct(depts.loc[(i, d), "share"]),
                        n=format_count(depts.loc[(i, d), "n"], lang),
                        interval=format_interval(depts.loc[(i, d), "ci_low"], depts.loc[(i, d), "ci_high"], 0, lang),
                    )
                    for i in items
                ]
                for d in dept_names
            },
        }
    )
    show_table(
        dept_table,
        t("participants.department_caption", year=year),
        [footnote_suppressed, t("participants.footnote_secondary"), t("common.footnote_interval")],
        numeric=list(dept_table.columns[1:]),
    )

    show_heading(t("participants.items_heading"), 3)
    show_text(t("participants.items_intro"), *items)

# %% tags=["remove-input"]
if profile is not None:
    show_heading(t("participants.definitions_heading"), 2)
    shown = [c for c in catalogue.ids if c in set(profile["category"])]
    definitions = pd.DataFrame(
        {
            t("participants.definitions_category"): [titles[c] for c in shown],
            t("participants.definitions_kind"): [t(f"participants.kind_{catalogue.get(c).kind}") for c in shown],
            t("participants.definitions_meaning"): [getattr(catalogue.get(c).description, lang) for c in shown],
        }
    )
    show_table(definitions, None)

# %% tags=["remove-input"]
show_heading(t("participants.data_heading"), 2)
if results.profile_kind:
    show_text(t("participants.data_profile_kind", kind=t(f"participants.kind_{results.profile_kind}")))
for s in results.inputs:
    show_text(
        t(
            "participants.data_rows",
            file=s.file,
            read=format_count(s.rows_read, lang),
            accepted=format_count(s.rows_accepted, lang),
            rejected=format_count(s.rows_rejected, lang),
        )
    )
    show_rejected_rows(s, t)
