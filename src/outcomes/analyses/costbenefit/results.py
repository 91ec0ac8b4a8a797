"""Cost-benefit: from configuration to published results (the I/O edge of the analysis).

The notebook ``30_cost_benefit``, the report runner and ``outcomes cba --json``
all call :func:`cba_results` and :func:`cba_json`, so the ratio in the HTML,
in ``summary.json`` and on the command line is one and the same.

What happens here and nowhere else:

* the assumption registry named by ``costbenefit.assumptions`` is read, and the
  configuration's what-if values (``costbenefit.overrides``) and then the
  caller's (``--set id=value``) are applied, in that order;
* the cost ledger (``inputs.costs``) goes through the common intake, so it is
  checked against its contract like every other input: rows read = accepted +
  rejected, a rejects file, and a :class:`~outcomes.core.errors.RejectedRowsError`
  naming file, line and column unless rejects are allowed;
* participants and outcome rates per programme year come from the follow-up
  records (all departments, the configured non-response treatment), computed
  *before* disclosure control because the model needs every cohort; only
  the suppressed version of the per-cohort table leaves this module.

All money that leaves is NOK in the report price year, and every money figure
carries that year (``price_year``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from outcomes.analyses.costbenefit import prices
from outcomes.analyses.costbenefit.analysis import CostBenefitAnalysis, analyse, result_to_dict
from outcomes.analyses.costbenefit.base_case import CostBenefitResult
from outcomes.analyses.costbenefit.labels import headline_labels
from outcomes.analyses.costbenefit.model import prepare
from outcomes.analyses.costbenefit.model_inputs import cohorts_from_followup, validate_costs
from outcomes.analyses.costbenefit.simulation import SimulationResult
from outcomes.analyses.followup.rates import ALL, followup_rates
from outcomes.analyses.followup.results import load_followup
from outcomes.core.cache import cached_section
from outcomes.core.config import ReportConfig
from outcomes.core.errors import ConfigError, RejectedRowsError
from outcomes.core.jsonable import jsonable
from outcomes.core.provenance import sha256_file
from outcomes.inputs.intake import InputSummary, intake_file
from outcomes.inputs.readers import LINE
from outcomes.registries.assumptions import Registry, apply_overrides, load_registry, registry_table

#: Cohort columns that could reveal a small group when the follow-up rate is suppressed.
_COHORT_HIDDEN = ("participants", "rate", "additional_youths", "pv_benefits_nok", "npv_nok", "bcr")


@dataclass
class CbaResults:
    """Everything the cost-benefit section publishes, for one configuration.

    Money is NOK in ``price_year`` prices (present values at each cohort's
    programme year, summed over cohorts); ratios are kroner back per krone;
    shares are 0-1.

    Attributes
    ----------
    analysis
        Deterministic result, tornado, break-even table and simulation
        (:class:`outcomes.analyses.costbenefit.analysis.CostBenefitAnalysis`).
    registry
        The registry after the configuration's and the caller's what-ifs.
    assumptions
        :func:`outcomes.registries.assumptions.registry_table` of ``registry``.
    cohorts
        Per programme year: participants, rate, additional youths, costs,
        PV benefits, NPV and ratio, with the cells of a cohort whose
        follow-up rate is suppressed set to missing (column ``suppressed``
        gives the reason).
    cost_by_year
        Programme costs per year and payer (NOK, report prices).
    costs_input
        The ledger's intake accounting (rows read, accepted, rejected).
    cost_problems
        The ledger's rejected rows with reasons (file, line, column, ...).
    labels
        The four labels of the headline ratio (:data:`~outcomes.analyses.costbenefit.labels.LABEL_KEYS`), in the
        configured language.
    facts
        The numbers behind the labels (perspective, counterfactual, horizon,
        discount schedule, price year and index).
    """

    analysis: CostBenefitAnalysis
    registry: Registry
    assumptions: pd.DataFrame
    cohorts: pd.DataFrame
    cost_by_year: pd.DataFrame
    costs_input: InputSummary
    cost_problems: pd.DataFrame
    labels: dict[str, str]
    facts: dict[str, Any]
    programme: str
    language: str
    outcome_group: str
    treatment: str
    years: tuple[int, int]
    threshold: int
    registry_file: str
    registry_sha256: str
    overrides: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def result(self) -> CostBenefitResult:
        """The deterministic result (every assumption at its value)."""
        return self.analysis.result

    @property
    def price_year(self) -> int:
        """Price year of every money figure."""
        return self.analysis.result.report_price_year

    @property
    def simulation(self) -> SimulationResult | None:
        """The Monte Carlo result (society perspective)."""
        return self.analysis.simulation

    def headline(self) -> dict[str, Any]:
        """Society ratio, NPV and payback with its labels and simulated range (JSON-ready)."""
        head = self.result.headline("society")
        out: dict[str, Any] = {
            "perspective": "society",
            "bcr": head["bcr"],
            "npv_nok": head["npv_nok"],
            "pv_benefits_nok": head["pv_benefits_nok"],
            "pv_costs_nok": head["pv_costs_nok"],
            "payback_year": head["payback_year"],
            "price_year": self.price_year,
            "unit": prices.price_label(self.price_year, self.result.price_index),  # type: ignore[arg-type]
            "labels": dict(self.labels),
        }
        sim = self.simulation
        if sim is not None:
            q = sim.bcr_percentiles((5, 95))
            out |= {"p_benefits_exceed_costs": sim.p_benefits_exceed_costs, "bcr_p5": q["p5"], "bcr_p95": q["p95"]}
        return jsonable(out)


# ---------------------------------------------------------------- inputs


def _registry(cfg: ReportConfig, what_if: dict[str, str] | None) -> tuple[Registry, str, str]:
    assert cfg.costbenefit is not None
    path = cfg.path(cfg.costbenefit.assumptions)
    registry = load_registry(path)
    # Configured what-ifs first, then the caller's, so the command line wins.
    registry = apply_overrides(registry, dict(cfg.costbenefit.overrides))
    registry = apply_overrides(registry, dict(what_if or {}))
    registry = registry.in_language(cfg.language)  # labels in the report language; numbers untouched
    from outcomes.core import paths

    return registry, paths.relative_to_root(path), sha256_file(path)


def _rejected_message(summary: InputSummary, problems: pd.DataFrame, limit: int = 20) -> str:
    """Why the analysis stopped: the first ``limit`` rejected ledger rows, with file, line and column."""
    lines = [
        f"  {p['file']}, line {p['line']}, column '{p['column']}': {p['problem']}"
        + (f" (found '{p['value']}')" if p["value"] not in ("", None) else "")
        + (f"; expected {p['expected']}" if p["expected"] else "")
        for p in problems.head(limit).to_dict(orient="records")
    ]
    more = len(problems) - limit
    return (
        f"{summary.rows_rejected} of {summary.rows_read} rows in {summary.file} were rejected; "
        "the cost-benefit analysis was not run.\n"
        + "\n".join(lines)
        + (f"\n  ... and {more} more" if more > 0 else "")
        + (f"\nAll rejected rows with reasons: {summary.rejects_file}" if summary.rejects_file else "")
    )


def load_cost_ledger(cfg: ReportConfig, allow_rejects: bool = False) -> tuple[pd.DataFrame, InputSummary, pd.DataFrame]:
    """Read and check the cost ledger named by ``inputs.costs`` through the common intake.

    Parameters
    ----------
    cfg
        The run configuration.
    allow_rejects
        Go on with the accepted rows when some rows were rejected.

    Returns
    -------
    tuple
        The ledger as :func:`outcomes.analyses.costbenefit.model_inputs.validate_costs` expects it
        (NOK in each row's ``price_year``; a blank payer is missing, which the
        model reads as public money of unknown payer), the intake accounting
        and the problems table.

    Raises
    ------
    ConfigError
        If no ledger is configured.
    InputError
        If the file cannot be used at all.
    RejectedRowsError
        If rows were rejected and ``allow_rejects`` is false; the message
        lists file, line, column and problem of each.
    """
    if not cfg.inputs.costs:
        raise ConfigError(
            "The cost-benefit analysis needs a cost ledger, but none is configured.",
            column="inputs.costs",
            expected="a CSV file with year, category, amount_nok, price_year and payer",
            hint="Set inputs.costs in config/report.yml (see data/raw/demo/costs.csv).",
        )
    intake = intake_file(
        cfg.inputs.costs,
        "costs",
        name="costs",
        programme=cfg.programme.slug,
        confirm_random_ids=cfg.inputs.confirm_random_ids,
    )
    if intake.summary.rows_rejected and not allow_rejects:
        raise RejectedRowsError(
            _rejected_message(intake.summary, intake.problems),
            hint="Fix the rows in the ledger, or allow rejects to run without them.",
        )
    data = intake.data.drop(columns=[LINE], errors="ignore")
    ledger = pd.DataFrame(
        {
            "year": data["year"].astype("int64"),
            "category": data["category"].astype(object),
            "amount_nok": data["amount_nok"].astype(float),
            "price_year": data["price_year"].astype("int64"),
            "payer": data["payer"].astype(object).where(data["payer"].notna(), "") if "payer" in data else "",
        }
    )
    return validate_costs(ledger, file=intake.summary.file), intake.summary, intake.problems


def _cohort_rates(cfg: ReportConfig) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Unsuppressed follow-up rates for the report's years (all departments), and the published follow-up table.

    The published table is the follow-up section's own, so a cohort is hidden
    here exactly when its rate is hidden there.
    """
    from outcomes.analyses.followup.results import followup_results

    loaded = load_followup(cfg)  # records, and the people of the yearly counts when configured
    records = loaded.data
    records = records[(records["followup_year"] >= cfg.first_year) & (records["followup_year"] <= cfg.report_year)]
    rates = followup_rates(records, loaded.status_map.group_members(), by_department=False)
    return rates, followup_results(cfg, loaded).rates


def _published_cohorts(cohorts: pd.DataFrame, published: pd.DataFrame, group: str, treatment: str) -> pd.DataFrame:
    """Hide the cells of a cohort whose follow-up figures disclosure control hides."""
    rows = published[
        (published["group"] == group) & (published["treatment"] == treatment) & (published["department"] == ALL)
    ]
    reason = rows.set_index("followup_year")["suppressed"].astype("string")
    out = cohorts.copy()
    out["suppressed"] = out["year"].map(reason).astype("string")
    # The follow-up protection never leaves a single cohort hidden (see protect_followup's `linked`),
    # so the totals minus the published cohorts give at most the sum of two or more.
    hide = out["suppressed"].notna()
    for column in _COHORT_HIDDEN:
        out[column] = out[column].astype(float).mask(hide)
    return out


# ---------------------------------------------------------------- the analysis


@cached_section("costbenefit", ignore=())
def cba_results(
    cfg: ReportConfig,
    assumption_overrides: dict[str, str] | None = None,
    seed: int | None = None,
    draws: int | None = None,
    *,
    allow_rejects: bool = False,
) -> CbaResults:
    """Run the cost-benefit analysis the configuration describes.

    Parameters
    ----------
    cfg
        The run configuration; needs a ``costbenefit:`` block and
        ``inputs.costs``.
    assumption_overrides
        What-if values per assumption id (``{"attribution": "0.4"}``, also
        ``id.low``/``id.high`` and the registry settings), applied after
        ``costbenefit.overrides`` of the configuration. Shares as 0-1 or
        with a ``%`` sign; money in the assumption's own price year.
    seed, draws
        Monte Carlo settings; the configuration's when ``None``.
    allow_rejects
        Run with the accepted rows when some ledger rows were rejected.

    Returns
    -------
    CbaResults
        Money in NOK of the report price year (``costbenefit.price_year`` or
        the registry's ``report_price_year``).

    Raises
    ------
    ConfigError
        No ``costbenefit:`` block or ledger, an unknown assumption id, a
        bad what-if value, or a registry the model cannot use.
    InputError
        A ledger or follow-up file that cannot be used, or ledger and
        follow-up years that differ within the report's years.
    RejectedRowsError
        Ledger rows were rejected and ``allow_rejects`` is false.
    """
    if cfg.costbenefit is None:
        raise ConfigError(
            "There is no 'costbenefit:' block in the configuration.",
            column="costbenefit",
            expected="costbenefit.assumptions (registry path) and optionally price_year, outcome_group, draws, seed",
        )
    settings = cfg.costbenefit
    what_if = {str(k): str(v) for k, v in (assumption_overrides or {}).items()}
    registry, registry_file, registry_sha = _registry(cfg, what_if)
    ledger, cost_summary, cost_problems = load_cost_ledger(cfg, allow_rejects or cfg.allow_rejects)
    # The report's years are the analysis window: a cost outside it has no follow-up to weigh against.
    ledger = ledger[(ledger["year"] >= cfg.first_year) & (ledger["year"] <= cfg.report_year)].reset_index(drop=True)

    rates, published = _cohort_rates(cfg)
    cohorts = cohorts_from_followup(rates, group=settings.outcome_group, treatment=cfg.nonresponse, department=ALL)

    # A what-if on the price year beats the configured one.
    price_year_set = any(k == "report_price_year" for k in [*settings.overrides, *what_if])
    model = prepare(
        registry,
        ledger,
        cohorts,
        prices.load_price_indices(),
        report_price_year=None if price_year_set else settings.price_year,
    )
    analysis = analyse(
        model,
        draws=int(draws if draws is not None else settings.draws),
        seed=int(seed if seed is not None else settings.seed),
    )
    labels, facts = headline_labels(analysis, registry, settings.outcome_group, cfg.language)
    return CbaResults(
        analysis=analysis,
        registry=registry,
        assumptions=registry_table(registry),
        cohorts=_published_cohorts(analysis.result.cohorts, published, settings.outcome_group, cfg.nonresponse),
        cost_by_year=model.cost_by_year.reset_index(),
        costs_input=cost_summary,
        cost_problems=cost_problems,
        labels=labels,
        facts=facts,
        programme=cfg.programme.slug,
        language=cfg.language,
        outcome_group=settings.outcome_group,
        treatment=cfg.nonresponse,
        years=(cfg.first_year, cfg.report_year),
        threshold=cfg.disclosure_threshold,
        registry_file=registry_file,
        registry_sha256=registry_sha,
        overrides={"config": {k: str(v) for k, v in settings.overrides.items()}, "caller": what_if},
    )


# ---------------------------------------------------------------- JSON


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


def cba_json(results: CbaResults) -> dict[str, Any]:
    """Every published cost-benefit output as JSON-ready data.

    Parameters
    ----------
    results
        From :func:`cba_results`.

    Returns
    -------
    dict
        ``headline`` (society ratio, NPV, payback year, P(B>C), 5th-95th
        percentile, the four labels, price year); ``labels`` and ``facts``;
        ``perspectives`` (PV benefits, PV costs, NPV, ratio and payback year
        per perspective), ``public_by_payer``, ``cohorts`` (disclosure
        controlled), ``cost_by_year``, ``flows``, ``waterfall``, ``tornado``
        (one-way sensitivity), ``break_even``, ``simulation``,
        ``assumptions`` (the registry table), ``overrides``, ``registry``
        and ``input`` (ledger accounting). Every row with money (keys ending
        ``_nok``) has ``price_year``; assumption values keep their own price
        year as ``value_price_year``. Ratios are kroner back per krone,
        shares 0-1, missing or suppressed values ``null``.
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
            "pv_per_additional_youth_nok": core["pv_per_additional_youth_nok"],
            "price_year": year,
            "perspectives": _with_price_year(core["perspectives"], year),
            "public_by_payer": _with_price_year(core["public_by_payer"], year),
            "cohorts": _with_price_year(_cohort_rows(results.cohorts), year),
            "cost_by_year": _with_price_year(_cost_rows(results.cost_by_year), year),
            "flows": _with_price_year(core["flows"], year),
            "waterfall": _with_price_year(core["waterfall"], year),
            "tornado": _with_price_year(core["sensitivity"], year, assumption_rows=True),
            "break_even": _with_price_year(core["break_even"], year, assumption_rows=True),
            "simulation": _simulation_json(core["simulation"], year),
            "assumptions": [
                {str(k): jsonable(v) for k, v in row.items()}
                for row in results.assumptions.astype(object).to_dict(orient="records")
            ],
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
    """Costs per year and payer as rows, every amount keyed ``<payer>_nok``."""
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
