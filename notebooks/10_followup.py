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
# `outcomes.analyses.followup_results`, every label from the translation
# catalogue (`src/outcomes/locales/`). Run it in JupyterLab with the defaults
# below, or through papermill with other parameters.

# %% tags=["parameters"]
config_path = "config/report.yml"  # run configuration, relative to the project root
overrides = {}  # dotted-key overrides of the configuration, e.g. {"language": "en"}

# %% tags=["remove-input"]
import pandas as pd

from outcomes.analyses import followup_results
from outcomes.analyses.followup.figures import departments_compared, rates_over_time, response_rate_over_time
from outcomes.analyses.followup.rates import ALL, select
from outcomes.core.config import load_config
from outcomes.core.formatting import format_count, format_interval, format_percent
from outcomes.core.i18n import Translator
from outcomes.registries.statuses import GROUPS
from outcomes.render.display import show_figure, show_heading, show_rejected_rows, show_table, show_text
from outcomes.render.narrative import followup_summary

cfg = load_config(config_path, overrides)
lang = cfg.language
t = Translator(lang)
results = followup_results(cfg)
rates = results.rates
year = cfg.report_year
titles = {g: getattr(results.status_map.groups[g].title, lang) for g in GROUPS}
footnote_suppressed = t("common.footnote_suppressed", threshold=cfg.disclosure_threshold)

# %% tags=["remove-input"]
show_heading(t("followup.title", year=year, programme=cfg.programme.title), 1)
show_text(t("followup.intro", first=cfg.first_year, last=year))
show_heading(t("followup.summary_heading"), 2)
show_text(*followup_summary(rates, year, results.status_map, lang), css_class="summary")

# %% tags=["remove-input"]
show_heading(t("followup.table_heading"), 2)
main = select(rates)
rows = []
for y, block in main.groupby("followup_year"):
    block = block.set_index("group")
    row = {t("common.year"): str(y), t("common.n"): format_count(block["responded"].iloc[0], lang)}
    for g in GROUPS:
        row[titles[g]] = format_percent(block.loc[g, "share"], 0, lang)
        row[f"{titles[g]} ({t('common.interval')})"] = format_interval(
            block.loc[g, "ci_low"], block.loc[g, "ci_high"], 0, lang
        )
    rows.append(row)
table = pd.DataFrame(rows)
show_table(
    table,
    t("followup.table_caption"),
    [footnote_suppressed, t("common.footnote_interval")],
    numeric=[c for c in table.columns if c != t("common.year")],
)

# %% tags=["remove-input"]
show_heading(t("followup.chart_heading"), 2)
shown_groups = ["education_or_work", "education", "positive_activity"]
fig = rates_over_time(
    main, shown_groups, titles, lang=lang, y_title=t("followup.axis_share"), interval_label=t("common.interval")
)
chart_data = table[
    [t("common.year"), t("common.n")]
    + [c for g in shown_groups for c in (titles[g], f"{titles[g]} ({t('common.interval')})")]
]
show_figure(
    fig,
    "followup-trend",
    t("followup.chart_caption"),
    chart_data,
    t("common.show_data"),
    numeric=list(chart_data.columns[1:]),
    footnotes=[footnote_suppressed],
    lang=lang,
)

# %% tags=["remove-input"]
show_heading(t("followup.department_heading", year=year), 2)
dept = rates[(rates["treatment"] == "respondents") & (rates["followup_year"] == year)]
dept_groups = ["education_or_work", "positive_activity"]
dept_titles = {ALL: t("common.all_departments")}
fig = departments_compared(
    dept[dept["group"].isin(dept_groups)],
    dept_groups,
    titles,
    dept_titles,
    lang=lang,
    x_title=t("followup.axis_share"),
    interval_label=t("common.interval"),
)
dept_rows = []
for d, block in dept.groupby("department", sort=False):
    block = block.set_index("group")
    row = {t("common.department"): dept_titles.get(d, d), t("common.n"): format_count(block["responded"].iloc[0], lang)}
    for g in dept_groups:
        row[titles[g]] = format_percent(block.loc[g, "share"], 0, lang)
        row[f"{titles[g]} ({t('common.interval')})"] = format_interval(
            block.loc[g, "ci_low"], block.loc[g, "ci_high"], 0, lang
        )
    dept_rows.append(row)
dept_table = pd.DataFrame(dept_rows)
show_figure(
    fig,
    "followup-departments",
    t("followup.department_caption"),
    dept_table,
    t("common.show_data"),
    numeric=list(dept_table.columns[1:]),
    footnotes=[footnote_suppressed],
    lang=lang,
)

# %% tags=["remove-input"]
show_heading(t("followup.response_heading"), 2)
fig = response_rate_over_time(main, lang=lang, name=t("common.response_rate"), y_title=t("common.response_rate"))
resp = main.drop_duplicates("followup_year")
resp_table = pd.DataFrame(
    {
        t("common.year"): resp["followup_year"].astype(str),
        t("common.contacted"): resp["contacted"].map(lambda v: format_count(v, lang)),
        t("common.responded"): resp["responded"].map(lambda v: format_count(v, lang)),
        t("common.response_rate"): resp["response_rate"].map(lambda v: format_percent(v, 0, lang)),
    }
)
show_figure(
    fig,
    "followup-response",
    t("followup.response_caption"),
    resp_table,
    t("common.show_data"),
    numeric=list(resp_table.columns[1:]),
    footnotes=[footnote_suppressed],
    lang=lang,
)

# %% tags=["remove-input"]
show_heading(t("followup.bounds_heading"), 2)
bound_rows = []
for treatment in ("negative", "respondents", "positive"):
    sel = select(rates, treatment, groups=dept_groups)
    sel = sel[sel["followup_year"] == year].set_index("group")
    row = {t("common.group"): t(f"treatment.{treatment}")}
    for g in dept_groups:
        row[titles[g]] = format_percent(sel.loc[g, "share"], 0, lang)
        row[f"{titles[g]} ({t('common.interval')})"] = format_interval(
            sel.loc[g, "ci_low"], sel.loc[g, "ci_high"], 0, lang
        )
    bound_rows.append(row)
bounds = pd.DataFrame(bound_rows)
show_table(bounds, t("followup.bounds_caption") + f" ({year})", [footnote_suppressed], numeric=list(bounds.columns[1:]))

# %% tags=["remove-input"]
show_heading(t("followup.definitions_heading"), 2)
show_text(t("followup.definitions_intro"))
definitions = pd.DataFrame(
    {
        t("followup.definitions_groups"): [titles[g] for g in GROUPS],
        t("followup.definitions_members"): [
            ", ".join(
                getattr(results.status_map.statuses[s].title, lang) for s in results.status_map.groups[g].statuses
            )
            for g in GROUPS
        ],
    }
)
show_table(definitions, None)
statuses = pd.DataFrame(
    {
        t("followup.definitions_status"): [getattr(d.title, lang) for d in results.status_map.statuses.values()],
        t("followup.definitions_meaning"): [getattr(d.description, lang) for d in results.status_map.statuses.values()],
    }
)
show_table(statuses, None, [t("followup.definitions_nonresponse")])

# %% tags=["remove-input"]
show_heading(t("followup.data_heading"), 2)
s = results.intake
show_text(
    t(
        "followup.data_rows",
        file=s.file,
        read=format_count(s.rows_read, lang),
        accepted=format_count(s.rows_accepted, lang),
        rejected=format_count(s.rows_rejected, lang),
    )
)
show_rejected_rows(s, t)
