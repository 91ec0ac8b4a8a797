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
* participants and the shares in work and in education per programme year
  come from the follow-up records (all departments, each non-response
  treatment: the configured one drives the analysis, the other two give the
  headline's ratio under each), computed *before* disclosure control because
  the model needs every cohort; only the suppressed version of the
  per-cohort table leaves this module;
* the unit-cost library the registry names is read, for the page's table.

All money that leaves is NOK in the report price year, present value at the
comparison year, and every money figure carries its price year (``price_year``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from outcomes.analyses.costbenefit import prices
from outcomes.analyses.costbenefit.analysis import TREATMENTS, CostBenefitAnalysis, analyse
from outcomes.analyses.costbenefit.base_case import CostBenefitResult
from outcomes.analyses.costbenefit.headline import build_headline
from outcomes.analyses.costbenefit.labels import headline_labels
from outcomes.analyses.costbenefit.model import prepare
from outcomes.analyses.costbenefit.model_inputs import cohorts_from_followup, validate_costs
from outcomes.analyses.costbenefit.nonpriced import plus_minus_table
from outcomes.analyses.costbenefit.published import cba_json
from outcomes.analyses.costbenefit.simulation import SimulationResult
from outcomes.analyses.followup.rates import ALL, followup_rates
from outcomes.analyses.followup.results import load_followup
from outcomes.core.cache import cached_section
from outcomes.core.config import ReportConfig
from outcomes.core.errors import ConfigError, RejectedRowsError
from outcomes.core.provenance import sha256_file
from outcomes.inputs.intake import InputSummary, intake_file
from outcomes.inputs.readers import LINE
from outcomes.registries.assumptions import Registry, apply_overrides, load_registry, load_unit_costs, registry_table
from outcomes.registries.bokmal import in_bokmal

__all__ = ["CbaResults", "cba_json", "cba_results", "load_cost_ledger"]

#: The group whose share is the education stream (the rest of the outcome group is the work stream).
EDUCATION_GROUP = "education"
#: The outcome group the two streams split; another group would value e.g. NAV measures as work.
OUTCOME_GROUP = "education_or_work"
#: Cohort columns that could reveal a small group when a follow-up share behind them is suppressed.
_COHORT_HIDDEN = (
    "participants",
    "rate",
    "rate_work",
    "rate_education",
    "additional_work",
    "additional_education",
    "additional_youths",
    "pv_benefits_nok",
    "npv_nok",
    "bcr",
)


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
        The numbers behind the labels (perspective, nullalternativ, horizon,
        comparison year, discount schedule, price year, index and real-price growth).
    non_priced
        The plus-minus table of the effects not valued in kroner, in the configured language.
    unit_costs
        The unit-cost library entries the registry refers to (amount, price year, payer, source, status).
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
    non_priced: pd.DataFrame
    unit_costs: pd.DataFrame
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
        """The society headline: simulated median, 90 % range, P(B>C), the ratio under each
        non-response treatment, price and comparison year, discount steps, horizon and labels (JSON-ready)."""
        return build_headline(self.analysis, self.registry, self.labels)


# ---------------------------------------------------------------- inputs


def _registry(cfg: ReportConfig, what_if: dict[str, str] | None) -> tuple[Registry, Path]:
    """The configured registry with the configuration's, then the caller's what-ifs, labels in the report language."""
    assert cfg.costbenefit is not None
    path = cfg.path(cfg.costbenefit.assumptions)
    registry = load_registry(path)
    # Configured what-ifs first, then the caller's, so the command line wins.
    registry = apply_overrides(registry, dict(cfg.costbenefit.overrides))
    registry = apply_overrides(registry, dict(what_if or {}))
    registry = registry.in_language(cfg.language)  # labels in the report language; numbers untouched
    return registry, Path(path)


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


def _cohorts_by_treatment(cfg: ReportConfig) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """The model's cohort table under each non-response treatment (hidden years pooled), and the published table."""
    rates, published = _cohort_rates(cfg)
    cohorts = {
        t: _pool_hidden(
            cohorts_from_followup(rates, group=OUTCOME_GROUP, education_group=EDUCATION_GROUP, treatment=t),
            published,
            t,
        )
        for t in TREATMENTS
    }
    return cohorts, published


def _hidden_years(published: pd.DataFrame, group: str, treatment: str) -> set[int]:
    """Programme years whose share of ``group`` (all departments) the follow-up page hides."""
    rows = published[
        (published["group"] == group) & (published["treatment"] == treatment) & (published["department"] == ALL)
    ]
    return {int(y) for y in rows.loc[rows["suppressed"].notna(), "followup_year"]}


def _pool_hidden(cohorts: pd.DataFrame, published: pd.DataFrame, treatment: str) -> pd.DataFrame:
    """Give the years whose share the follow-up page hides one pooled share, so no total gives one back.

    With one comparison year every cohort weighs differently in each total,
    so two totals could solve two hidden shares. For each share the model
    uses (in education or work; in education), the years the follow-up page
    hides take the participants-weighted share of those years together: every
    published figure then depends on them only through their sum, which the
    follow-up protection allows for two years or more. A share hidden in one
    year alone takes the pooled share of the published years instead (the
    follow-up protection links only the outcome group across years).
    """
    out = cohorts.copy()
    n = out["participants"].to_numpy()
    shares = {OUTCOME_GROUP: out["rate"].to_numpy().copy(), EDUCATION_GROUP: out["rate_education"].to_numpy().copy()}
    for group, values in shares.items():
        hidden = out["year"].isin(_hidden_years(published, group, treatment)).to_numpy()
        pool = hidden if hidden.sum() >= 2 else ~hidden
        if hidden.any() and pool.any() and n[pool].sum() > 0:
            values[hidden] = float(n[pool] @ values[pool] / n[pool].sum())
    out["rate_education"] = shares[EDUCATION_GROUP]
    out["rate_work"] = (shares[OUTCOME_GROUP] - shares[EDUCATION_GROUP]).clip(min=0.0)
    out["rate"] = out["rate_work"] + out["rate_education"]
    return out


def _published_cohorts(cohorts: pd.DataFrame, published: pd.DataFrame, group: str, treatment: str) -> pd.DataFrame:
    """Hide the cells of a cohort whose follow-up figures (outcome group or education) disclosure control hides."""
    reasons: dict[int, str] = {}
    for name in (EDUCATION_GROUP, group):
        rows = published[
            (published["group"] == name) & (published["treatment"] == treatment) & (published["department"] == ALL)
        ]
        for year, reason in zip(rows["followup_year"], rows["suppressed"], strict=True):
            if pd.notna(reason):
                reasons[int(year)] = str(reason)
    out = cohorts.copy()
    out["suppressed"] = out["year"].map(reasons).astype("string")
    # The model pooled the hidden years' shares (_pool_hidden), so the totals give back no single one.
    hide = out["suppressed"].notna()
    for column in _COHORT_HIDDEN:
        out[column] = out[column].astype(float).mask(hide)
    return out


def _unit_cost_table(registry: Registry, lang: str) -> pd.DataFrame:
    """Every entry of the libraries the registry names, and whether an assumption uses it (the page's table)."""
    from outcomes.core import paths

    library = load_unit_costs(paths.resolve(name) for name in registry.unit_costs)
    if lang == "nb":
        library = {key: in_bokmal(entry) for key, entry in library.items()}
    used = {a.unit_cost for a in registry.assumptions if a.unit_cost}
    rows = [
        {
            "id": e.id,
            "label": e.label,
            "amount": e.amount,
            "unit": e.unit,
            "per": e.per,
            "price_year": e.price_year,
            "payer": e.payer,
            "labour_linked": e.labour_linked,
            "source": e.source.cite(),
            "quality": e.quality,
            "status": e.status,
            "verify": e.verify,
            "used": e.id in used,
        }
        for e in library.values()
    ]
    return pd.DataFrame(rows)


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
    if settings.outcome_group != OUTCOME_GROUP:
        raise ConfigError(
            f"The cost-benefit model splits {OUTCOME_GROUP!r} into work and education; "
            f"costbenefit.outcome_group is {settings.outcome_group!r}.",
            column="costbenefit.outcome_group",
            expected=OUTCOME_GROUP,
            hint="Another group would value e.g. NAV measures or folk high school as work.",
        )
    what_if = {str(k): str(v) for k, v in (assumption_overrides or {}).items()}
    registry, registry_path = _registry(cfg, what_if)
    ledger, cost_summary, cost_problems = load_cost_ledger(cfg, allow_rejects or cfg.allow_rejects)
    # The report's years are the analysis window: a cost outside it has no follow-up to weigh against.
    ledger = ledger[(ledger["year"] >= cfg.first_year) & (ledger["year"] <= cfg.report_year)].reset_index(drop=True)
    cohorts, published = _cohorts_by_treatment(cfg)
    # A what-if on the price year beats the configured one.
    price_year_set = any(k == "report_price_year" for k in [*settings.overrides, *what_if])
    model = prepare(
        registry,
        ledger,
        cohorts[cfg.nonresponse],
        prices.load_price_indices(),
        report_price_year=None if price_year_set else settings.price_year,
    )
    analysis = analyse(
        model,
        draws=int(draws if draws is not None else settings.draws),
        seed=int(seed if seed is not None else settings.seed),
        treatment=cfg.nonresponse,
        other_cohorts={t: c for t, c in cohorts.items() if t != cfg.nonresponse},
    )
    labels, facts = headline_labels(analysis, registry, settings.outcome_group, cfg.language)
    from outcomes.core import paths

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
        non_priced=plus_minus_table(registry, cfg.language),
        unit_costs=_unit_cost_table(registry, cfg.language),
        programme=cfg.programme.slug,
        language=cfg.language,
        outcome_group=settings.outcome_group,
        treatment=cfg.nonresponse,
        years=(cfg.first_year, cfg.report_year),
        threshold=cfg.disclosure_threshold,
        registry_file=paths.relative_to_root(registry_path),
        registry_sha256=sha256_file(registry_path),
        overrides={"config": {k: str(v) for k, v in settings.overrides.items()}, "caller": what_if},
    )
