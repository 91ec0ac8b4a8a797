"""The data-and-methods page: what every figure was made from, for reviewers.

Built by the report runner from the run's provenance record, the status map,
the indicator catalogue, the assumption registry and, when last year's bundle
exists, its ``summary.json``. All text from inputs is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import yaml

from outcomes.core.formatting import MISSING, format_count, format_nok, format_number, format_percent
from outcomes.core.i18n import Translator
from outcomes.core.safety import escape_html
from outcomes.registries.statuses import StatusMap
from outcomes.render.cells import literal_cell
from outcomes.render.display import html_table


def _h(text: str, level: int = 2, anchor: str | None = None) -> str:
    ident = f' id="{escape_html(anchor)}"' if anchor else ""
    return f"<h{level}{ident}>{escape_html(text)}</h{level}>"


def _p(text: str) -> str:
    return f"<p>{escape_html(text)}</p>"


def inputs_table(provenance: Mapping[str, Any], lang: str) -> pd.DataFrame:
    """One row per input file: name, SHA-256 and the row accounting."""
    t = Translator(lang)
    rows = []
    for item in provenance["inputs"]:
        rows.append(
            {
                t("methods.input"): item["name"],
                t("methods.file"): item["file"],
                "SHA-256": item["sha256"],
                t("methods.rows_read"): format_count(item["rows_read"], lang),
                t("methods.rows_accepted"): format_count(item["rows_accepted"], lang),
                t("methods.rows_rejected"): format_count(item["rows_rejected"], lang),
            }
        )
    return pd.DataFrame(rows)


def headline_changes(
    current: Mapping[str, Any], previous: Mapping[str, Any], lang: str, status_map: StatusMap
) -> pd.DataFrame:
    """Headline figures now and in last year's report (shares 0-1 shown as percent).

    Compares the follow-up headline shares of the status map's headline groups
    (report year vs the previous report's year) and the cost-benefit ratio when
    both reports have them.
    """
    t = Translator(lang)
    rows = []
    cur_f = (current.get("followup") or {}).get("headline") or {}
    pre_f = (previous.get("followup") or {}).get("headline") or {}
    for group in status_map.headline_groups:
        now = ((cur_f.get("groups") or {}).get(group) or {}).get("share")
        before = ((pre_f.get("groups") or {}).get(group) or {}).get("share")
        if now is None and before is None:
            continue
        rows.append(
            {
                t("methods.figure"): status_map.group_title(group, lang),
                t("methods.previous"): f"{format_percent(before, 0, lang)} ({pre_f.get('year', '–')})",
                t("methods.current"): f"{format_percent(now, 0, lang)} ({cur_f.get('year', '–')})",
            }
        )
    cur_c = base_case_ratio((current.get("costbenefit") or {}).get("headline") or {})
    pre_c = base_case_ratio((previous.get("costbenefit") or {}).get("headline") or {})
    if cur_c is not None or pre_c is not None:
        rows.append(
            {
                t("methods.figure"): t("methods.headline_ratio"),
                t("methods.previous"): format_number(pre_c, 1, lang),
                t("methods.current"): format_number(cur_c, 1, lang),
            }
        )
    return pd.DataFrame(rows)


def base_case_ratio(headline: Mapping[str, Any]) -> float | None:
    """The base-case ratio of a ``summary.json`` headline, in this version's and older reports.

    Reports compare the base case year on year: the simulated median moves with the
    number of draws and the seed. ``bcr_base_case`` holds it; a report written before
    there was one gave the base case as ``bcr`` (with no ``bcr_kind``, or ``base_case``).
    """
    if "bcr_base_case" in headline:
        value = headline["bcr_base_case"]
    elif headline.get("bcr_kind", "base_case") == "base_case":
        value = headline.get("bcr")
    else:
        value = None
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


#: Fields of an assumption compared with last year's report, in the order they are listed.
CHANGE_FIELDS = ("value", "low", "high", "price_year", "source", "evidence", "quality", "impact")


def _number_in_unit(value: object, unit: object, lang: str) -> str:
    """An assumption's number as the pages write it: shares as percent, money in kroner, years as years."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return MISSING if value is None else str(value)
    if unit in ("share", "share/year"):
        return format_percent(value, 0 if float(round(value * 100, 6)).is_integer() else 1, lang)
    if unit in ("NOK", "NOK/year"):
        return format_nok(value, lang)
    return format_number(value, 0 if float(value).is_integer() else 1, lang)


def _field_text(field: str, item: Mapping[str, Any], t: Translator) -> str:
    """One field of an assumption (a row of last year's or this year's ``summary.json``) in words."""
    value = item.get(field)
    if field in ("value", "low", "high"):
        return _number_in_unit(value, item.get("unit"), t.lang)
    if field == "price_year":
        return MISSING if value is None else str(int(value))
    if field == "evidence" and isinstance(value, str) and t.has(f"costbenefit.evidence_{value}"):
        return t(f"costbenefit.evidence_{value}")
    if field in ("quality", "impact") and isinstance(value, str) and t.has(f"costbenefit.rating_{value}"):
        return t(f"costbenefit.rating_{value}")
    return MISSING if value is None or value == "" else str(value)


def assumption_changes(current: Mapping[str, Any], previous: Mapping[str, Any], lang: str = "nb") -> pd.DataFrame:
    """Assumptions added, removed or changed (value, low, high, source ...) since last year's report.

    One row per change: the assumption (its label), what changed, last year's
    and this year's text, formatted as the pages write them. Ids are not shown.
    """
    t = Translator(lang)

    def index(summary: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
        items = ((summary.get("costbenefit") or {}).get("assumptions")) or []
        return {a["id"]: a for a in items}

    cur, pre = index(current), index(previous)
    columns = [t("methods.assumption"), t("methods.field"), t("methods.previous"), t("methods.current")]
    rows = []
    for ident in sorted(set(cur) | set(pre)):
        label = str((cur.get(ident) or pre.get(ident) or {}).get("label") or ident)
        if ident not in pre:
            rows.append([label, "", "", t("methods.change_added")])
        elif ident not in cur:
            rows.append([label, "", "", t("methods.change_removed")])
        else:
            for field in CHANGE_FIELDS:
                if cur[ident].get(field) != pre[ident].get(field):
                    rows.append(
                        [
                            label,
                            t(f"methods.field_{field}"),
                            _field_text(field, pre[ident], t),
                            _field_text(field, cur[ident], t),
                        ]
                    )
    return pd.DataFrame(rows, columns=columns)


def methods_page_html(
    summary: Mapping[str, Any],
    status_map: StatusMap,
    lang: str,
    indicators: list[dict[str, str]] | None = None,
    assumptions: pd.DataFrame | None = None,
    previous: Mapping[str, Any] | None = None,
    previous_problem: str | None = None,
) -> str:
    """The body of ``methods.html``.

    Parameters
    ----------
    summary
        The run's summary (with ``provenance``).
    status_map
        Definitions of the statuses and groups.
    lang
        Report language.
    indicators
        Rows describing each baseline indicator (already in ``lang``).
    assumptions
        The assumptions log as the cost-benefit page shows it (formatted cells,
        :func:`outcomes.analyses.costbenefit.views_evidence.assumption_table`).
    previous
        Last year's ``summary.json``, if it exists and can be compared with
        (see :func:`outcomes.inputs.last_year.read_previous_summary`).
    previous_problem
        Why last year's ``summary.json`` could not be compared with (a
        sentence in ``lang``), when it exists but cannot be used.
    """
    t = Translator(lang)
    prov = summary["provenance"]
    parts = [_h(t("methods.title"), 1), _p(t("methods.intro"))]
    parts += _inputs_part(prov, lang)
    parts += _run_part(prov, lang)
    parts += _disclosure_part(summary, prov, lang)
    parts += _definitions_part(status_map, lang)
    if indicators:
        parts.append(_h(t("methods.indicators_heading"), 2, "indicators"))
        parts.append(html_table(pd.DataFrame(indicators), None))

    if assumptions is not None and not assumptions.empty:
        parts.append(_h(t("methods.assumptions_heading"), 2, "assumptions"))
        parts.append(html_table(assumptions, None, [t("methods.assumptions_note")]))

    parts += _changes_part(summary, status_map, lang, previous, previous_problem)
    return "".join(parts)


def _inputs_part(prov: Mapping[str, Any], lang: str) -> list[str]:
    """Every input file with its hash and row accounting, and the reasons for rejected rows."""
    t = Translator(lang)
    parts: list[str] = []
    parts.append(_h(t("methods.inputs_heading"), 2, "inputs"))
    parts.append(
        html_table(
            inputs_table(prov, lang),
            t("methods.inputs_caption"),
            [t("methods.accounting_note")],
            numeric=[t("methods.rows_read"), t("methods.rows_accepted"), t("methods.rows_rejected")],
        )
    )
    for item in prov["inputs"]:
        if item["rows_rejected"]:
            reasons = pd.DataFrame(
                {t("report.reason"): list(item["reasons"]), t("common.count"): list(item["reasons"].values())}
            )
            parts.append(
                html_table(
                    reasons,
                    t(
                        "report.rejected_rows",
                        rejected=item["rows_rejected"],
                        read=item["rows_read"],
                        file=item["file"],
                    ),
                )
            )

    return parts


def _run_part(prov: Mapping[str, Any], lang: str) -> list[str]:
    """What the run was made with: versions, configuration and its hash."""
    t = Translator(lang)
    parts: list[str] = []
    parts.append(_h(t("methods.run_heading"), 2, "run"))
    run = pd.DataFrame(
        {
            t("methods.item"): [
                t("methods.package_version"),
                t("methods.git_commit"),
                "Python",
                t("methods.config_file"),
                t("methods.config_sha"),
                t("methods.status_map"),
                t("methods.threshold"),
            ],
            t("methods.value"): [
                prov["package_version"],
                prov.get("git_commit") or "–",
                prov.get("python", ""),
                prov["config_file"],
                prov["config_sha256"],
                f"{prov['status_map']['file']} ({prov['status_map']['sha256'][:12]}…)",
                str(prov["config"]["disclosure_threshold"]),
            ],
        }
    )
    parts.append(html_table(run, None))
    # The settings as a configuration file writes them (YAML), so a reviewer can compare them with config/report.yml.
    config_text = yaml.safe_dump(prov["config"], sort_keys=False, allow_unicode=True, width=100).rstrip()
    parts.append(
        f"<details><summary>{escape_html(t('methods.config_full'))}</summary><pre>{escape_html(config_text)}</pre></details>"
    )

    return parts


def _disclosure_part(summary: Mapping[str, Any], prov: Mapping[str, Any], lang: str) -> list[str]:
    """The disclosure rule and what the audit of this bundle found."""
    t = Translator(lang)
    parts: list[str] = []
    parts.append(_h(t("methods.disclosure_heading"), 2, "disclosure"))
    parts.append(_p(t("methods.disclosure_text", threshold=prov["config"]["disclosure_threshold"])))
    audit = summary.get("disclosure_audit")
    if audit:
        narrowest = audit.get("narrowest_range")
        parts.append(
            _p(
                t(
                    "methods.disclosure_audit",
                    hidden=format_count(audit["hidden_cells"], lang),
                    checked=format_count(audit["cells_checked"], lang),
                    narrowest=t("methods.disclosure_audit_wide", threshold=audit["threshold"])
                    if narrowest is None
                    else narrowest,
                )
            )
        )

    return parts


def _definitions_part(status_map: StatusMap, lang: str) -> list[str]:
    """The statuses and groups of the status map."""
    t = Translator(lang)
    parts: list[str] = []
    parts.append(_h(t("methods.statuses_heading"), 2, "statuses"))
    statuses = pd.DataFrame(
        {
            t("followup.definitions_status"): [getattr(d.title, lang) for d in status_map.statuses.values()],
            t("followup.definitions_meaning"): [getattr(d.description, lang) for d in status_map.statuses.values()],
            t("methods.labels"): [literal_cell(d.labels) for d in status_map.statuses.values()],
        }
    )
    parts.append(html_table(statuses, None))
    groups = pd.DataFrame(
        {
            t("followup.definitions_groups"): [getattr(g.title, lang) for g in status_map.groups.values()],
            t("followup.definitions_members"): [
                ", ".join(getattr(status_map.statuses[s].title, lang) for s in g.statuses)
                for g in status_map.groups.values()
            ],
        }
    )
    parts.append(html_table(groups, None, [t("methods.interval_text")]))

    return parts


def _changes_part(
    summary: Mapping[str, Any],
    status_map: StatusMap,
    lang: str,
    previous: Mapping[str, Any] | None,
    previous_problem: str | None,
) -> list[str]:
    """What changed since last year's report, or why that cannot be said."""
    t = Translator(lang)
    parts: list[str] = []
    parts.append(_h(t("methods.changes_heading"), 2, "changes"))
    if previous:
        parts.append(html_table(headline_changes(summary, previous, lang, status_map), t("methods.changes_headline")))
        changed = assumption_changes(summary, previous, lang)
        if changed.empty:
            parts.append(_p(t("methods.no_assumption_changes")))
        else:
            parts.append(html_table(changed, t("methods.changes_assumptions")))
    elif previous_problem:
        parts.append(_p(previous_problem))
    else:
        parts.append(_p(t("methods.no_previous")))
    return parts
