"""The headline a politician can safely quote: the simulated median with its range and its labels.

DFØ asks for expected values (kap. 3.4, "Beregn forventningsverdier"), and a
ratio is only meaningful with its perspective, price year, comparison year,
discount rate and horizon. The headline therefore leads with the median of
the simulation and its 90 % range, P(benefits > costs), the ratio under each
non-response treatment, and the facts it rests on; the base case (every
assumption at its value) is given beside it, and any calibrated assumption
the registry holds is named.
"""

from __future__ import annotations

from typing import Any

from outcomes.analyses.costbenefit import prices
from outcomes.analyses.costbenefit.analysis import CostBenefitAnalysis
from outcomes.core.jsonable import jsonable
from outcomes.registries.assumptions import Registry


def discount_steps(registry: Registry, comparison_year: int) -> list[dict[str, Any]]:
    """The discount schedule in calendar years: ``from_year``, ``until_year`` (None for the last) and ``rate``.

    Steps count from the comparison year; the years before it are compounded
    at the first step's rate (the first row, ``until_year`` the comparison year).
    """
    steps = registry.discount_steps()
    rows: list[dict[str, Any]] = [{"from_year": None, "until_year": comparison_year, "rate": steps[0][1]}]
    start = comparison_year + 1
    for until, rate in steps:
        end = None if until is None else comparison_year + int(until)
        rows.append({"from_year": start, "until_year": end, "rate": rate})
        start = (end or start) + 1
    return rows


def build_headline(analysis: CostBenefitAnalysis, registry: Registry, labels: dict[str, str]) -> dict[str, Any]:
    """The society headline as JSON-ready data.

    Returns
    -------
    dict
        ``perspective``; ``bcr`` (the simulated median, or the base case when
        there is no simulation; ``bcr_kind`` says which), ``bcr_p5`` and
        ``bcr_p95`` (the 90 % range), ``p_benefits_exceed_costs``,
        ``npv_median_nok``; the base case (``bcr_base_case``, ``npv_nok``,
        ``pv_benefits_nok``, ``pv_costs_nok``, ``payback_year``); ``treatment``
        and ``nonresponse`` (the ratio under each treatment);
        ``price_year``, ``comparison_year``, ``price_index``,
        ``real_price_growth``, ``discount_steps`` and ``horizon`` (analysis
        period, residual value, last year with a flow); ``calibrated_assumptions``
        (ids of registry values chosen to reproduce a result: empty, or the
        headline is flagged); ``unit`` and the four ``labels``.
    """
    result = analysis.result
    base = result.headline("society")
    sim = analysis.simulation
    out: dict[str, Any] = {
        "perspective": "society",
        "bcr": base["bcr"],
        "bcr_kind": "base_case",
        "bcr_base_case": base["bcr"],
        "npv_nok": base["npv_nok"],
        "pv_benefits_nok": base["pv_benefits_nok"],
        "pv_costs_nok": base["pv_costs_nok"],
        "payback_year": base["payback_year"],
    }
    if sim is not None:
        q = sim.bcr_percentiles()
        out |= {
            "bcr": q["p50"],
            "bcr_kind": "simulated_median",
            "bcr_p5": q["p5"],
            "bcr_p95": q["p95"],
            "p_benefits_exceed_costs": sim.p_benefits_exceed_costs,
            "npv_median_nok": sim.npv_percentiles((50,))["p50"],
        }
    first, last = result.analysis_period
    out |= {
        "treatment": analysis.treatment,
        "nonresponse": {k: {**v, "price_year": result.report_price_year} for k, v in analysis.nonresponse.items()},
        "price_year": result.report_price_year,
        "comparison_year": result.comparison_year,
        "price_index": result.price_index,
        "real_price_growth": registry.values()["real_price_growth"],
        "discount_steps": discount_steps(registry, result.comparison_year),
        "horizon": {
            "analysis_period": [first, last],
            "analysis_period_years": last - first + 1,
            "residual_value_nok": result.residual_value_nok,
            "last_flow_year": int(result.flows["year"].max()),
            "price_year": result.report_price_year,
        },
        "calibrated_assumptions": registry.calibrated(),
        "unit": prices.price_label(result.report_price_year, result.price_index),  # type: ignore[arg-type]
        "labels": dict(labels),
    }
    return jsonable(out)
