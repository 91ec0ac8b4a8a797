"""The cost-benefit section's JSON view: what ``summary.json`` and ``outcomes cba --json`` publish.

Every row with money carries the price year; assumption values keep their own
(``value_price_year``). Lists of rows become the bundle's CSV downloads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from outcomes.analyses.costbenefit.analysis import result_to_dict
from outcomes.core.jsonable import jsonable
from outcomes.inputs.intake import InputSummary

if TYPE_CHECKING:
    from outcomes.analyses.costbenefit.results import CbaResults


def _with_price_year(rows: list[dict[str, Any]], year: int, assumption_rows: bool = False) -> list[dict[str, Any]]:
    """Put the report price year on every row that holds money (keys ending ``_nok``)."""
    out = []
    for row in rows:
        row = dict(row)
        if assumption_rows:
            # value/low/high/break_even are in the assumption's own unit and price year.
            row["value_price_year"] = row.pop("price_year", None)
        if any(k.endswith("_nok") for k in row):
            row["price_year"] = year
        out.append(row)
    return out


def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A table as JSON-ready rows."""
    return [{str(k): jsonable(v) for k, v in row.items()} for row in frame.astype(object).to_dict(orient="records")]


def cba_json(results: CbaResults) -> dict[str, Any]:
    """Every published cost-benefit output as JSON-ready data.

    Parameters
    ----------
    results
        From :func:`~outcomes.analyses.costbenefit.results.cba_results`.

    Returns
    -------
    dict
        ``headline`` (see :func:`~outcomes.analyses.costbenefit.headline.build_headline`:
        simulated median, 90 % range, P(B>C), the ratio under each
        non-response treatment, price year, comparison year, discount steps,
        horizon, calibrated assumptions, labels); ``labels`` and ``facts``;
        ``perspectives``, ``payers`` (who pays, who gains, with payback
        years), ``streams``, ``cohorts`` (disclosure controlled, with each
        cohort's discount factor), ``cost_by_year``, ``flows``, ``waterfall``,
        ``tornado``, ``break_even``, ``simulation``, ``scenarios`` (the
        sources' claims reproduced, calibrated values flagged),
        ``optimism_bias``, ``non_priced`` (plus-minus), ``unit_costs``,
        ``assumptions``, ``overrides``, ``registry`` and ``input``. Ratios
        are kroner back per krone, shares 0-1, missing or suppressed values
        ``null``.
    """
    year = results.price_year
    core = result_to_dict(results.analysis)
    return jsonable(
        {
            "analysis": "costbenefit",
            "programme": results.programme,
            "years": list(results.years),
            "outcome_group": results.outcome_group,
            "nonresponse": results.treatment,
            "disclosure_threshold": results.threshold,
            "headline": results.headline(),
            "labels": results.labels,
            "facts": results.facts,
            "money": core["money"],
            "method": core["method"],
            "additional_youths": core["additional_youths"],
            "yearly_value_per_youth_nok": core["yearly_value_per_youth_nok"],
            "residual_value_nok": core["residual_value_nok"],
            "price_year": year,
            "perspectives": _with_price_year(core["perspectives"], year),
            "payers": _with_price_year(core["payers"], year),
            "streams": _with_price_year(core["streams"], year),
            "cohorts": _with_price_year(_cohort_rows(results.cohorts), year),
            "cost_by_year": _with_price_year(_cost_rows(results.cost_by_year), year),
            "flows": _with_price_year(core["flows"], year),
            "waterfall": _with_price_year(core["waterfall"], year),
            "tornado": _with_price_year(core["sensitivity"], year, assumption_rows=True),
            "break_even": _with_price_year(core["break_even"], year, assumption_rows=True),
            "simulation": _simulation_json(core["simulation"], year),
            "scenarios": _with_price_year(core["scenarios"], year),
            "optimism_bias": core["optimism_bias"],
            "non_priced": _rows(results.non_priced),
            "unit_costs": _rows(results.unit_costs),
            "assumptions": _rows(results.assumptions),
            "overrides": {"applied": core["overrides"], **results.overrides},
            "registry": {
                "file": results.registry_file,
                "sha256": results.registry_sha256,
                "programme": results.registry.programme,
                "title": results.registry.title,
            },
            "input": _input_json(results.costs_input),
        }
    )


def _simulation_json(simulation: dict[str, Any] | None, year: int) -> dict[str, Any] | None:
    """The simulation's JSON with the price year and the 5th and 95th percentiles of the ratio on top."""
    if simulation is None:
        return None
    return {
        **simulation,
        "price_year": year,
        "bcr_p5": simulation["bcr_percentiles"]["p5"],
        "bcr_p95": simulation["bcr_percentiles"]["p95"],
    }


def _cohort_rows(cohorts: pd.DataFrame) -> list[dict[str, Any]]:
    """The published cohort table as rows, ``suppressed`` (the reason, or None) last."""
    values = cohorts.drop(columns=["suppressed"]).astype(object)
    return [
        {**{str(k): jsonable(v) for k, v in row.items()}, "suppressed": None if pd.isna(reason) else str(reason)}
        for row, reason in zip(values.to_dict(orient="records"), cohorts["suppressed"], strict=False)
    ]


def _cost_rows(cost_by_year: pd.DataFrame) -> list[dict[str, Any]]:
    """Costs per year and payer as rows, every amount keyed ``<payer>_nok`` (undiscounted, report prices)."""
    return [
        {"year": int(r["year"]), **{f"{k}_nok": float(v) for k, v in r.items() if k != "year"}}
        for r in cost_by_year.to_dict(orient="records")
    ]


def _input_json(summary: InputSummary) -> dict[str, Any]:
    """The ledger's intake accounting."""
    return {
        "file": summary.file,
        "sha256": summary.sha256,
        "rows_read": summary.rows_read,
        "rows_accepted": summary.rows_accepted,
        "rows_rejected": summary.rows_rejected,
        "rejects_file": summary.rejects_file,
        "reasons": summary.reasons,
    }
