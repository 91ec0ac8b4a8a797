"""Positive deviance: municipalities doing clearly better than their context predicts.

A linear model (ordinary least squares, numpy only) predicts an outcome
indicator such as the NEET share from context indicators such as persistent
low income among children and the population's education level, across all
municipalities of a national file. A municipality whose outcome is better than
predicted by more than ``threshold_sd`` residual standard deviations is listed
as a positive deviant: a place worth asking "what do you do differently?".

It is a screening tool, not a causal claim: the model is small, rates in small
municipalities are noisy, and the residual also holds everything the context
variables miss. The result therefore always carries the fit (R², n) and
warnings, and the report must show them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from outcomes.analyses.baseline.municipalities import is_municipality_code, region_names
from outcomes.core.errors import InputError
from outcomes.core.jsonable import jsonable, records
from outcomes.core.lookup import map_distinct
from outcomes.registries.indicator_catalogue import IndicatorCatalogue

#: Below this many municipalities the fit is flagged as unreliable.
DEFAULT_MIN_N = 30
#: Below this R² the context explains too little for deviations to mean much.
LOW_R_SQUARED = 0.2


@dataclass(frozen=True)
class DevianceResult:
    """Fit and per-municipality residuals of a positive-deviance model.

    ``table`` columns: ``region_code, region_name, observed, predicted``
    (outcome unit, e.g. percent), ``residual`` (observed - predicted, same
    unit), ``standardised_residual`` (residual / residual SD), ``performance``
    (standardised residual signed so that positive = better than predicted)
    and ``positive_deviant`` (bool). Sorted by performance, best first.
    """

    outcome: str
    predictors: list[str]
    period_end: int
    n: int
    n_dropped: int
    r_squared: float
    adjusted_r_squared: float
    residual_sd: float
    coefficients: dict[str, float]
    threshold_sd: float
    better: str
    table: pd.DataFrame
    warnings: list[str] = field(default_factory=list)

    def deviants(self) -> pd.DataFrame:
        """Only the municipalities flagged as positive deviants."""
        return self.table[self.table["positive_deviant"]].reset_index(drop=True)

    def to_dict(self) -> dict[str, object]:
        """JSON-serialisable summary (missing numbers as None)."""
        summary: dict[str, object] = jsonable(
            {
                "outcome": self.outcome,
                "predictors": self.predictors,
                "period_end": self.period_end,
                "n": self.n,
                "n_dropped": self.n_dropped,
                "r_squared": self.r_squared,
                "adjusted_r_squared": self.adjusted_r_squared,
                "residual_sd": self.residual_sd,
                "coefficients": self.coefficients,
                "threshold_sd": self.threshold_sd,
                "better": self.better,
                "warnings": self.warnings,
                "municipalities": records(self.table),
            }
        )
        return summary


def _column(national: pd.DataFrame, indicator: str, year: int) -> pd.Series:
    rows = national[(national["indicator"] == indicator) & (national["period_end"] == year)]
    rows = rows[map_distinct(rows["region_code"], is_municipality_code)]
    return rows.set_index("region_code")["value"].astype("float64")


def _model_frame(national: pd.DataFrame, outcome: str, predictors: Sequence[str], year: int) -> pd.DataFrame:
    """One row per municipality, one column per indicator (outcome first), values in their units."""
    columns = {outcome: _column(national, outcome, year)}
    for pid in predictors:
        columns[pid] = _column(national, pid, year)
        if columns[pid].empty:
            raise InputError(
                f"No municipality values for {pid} in a period ending {year}.",
                column="indicator",
                expected="the predictor in the national file for the same year as the outcome",
            )
    return pd.DataFrame(columns).sort_index()


@dataclass(frozen=True)
class _Fit:
    """An ordinary least squares fit: coefficients, fitted values and residuals (outcome unit), R², residual SD."""

    beta: np.ndarray
    fitted: np.ndarray
    residuals: np.ndarray
    r_squared: float
    adjusted_r_squared: float
    residual_sd: float


def _least_squares(y: np.ndarray, x: np.ndarray) -> _Fit:
    """Fit ``y = x @ beta``; ``x`` holds a column of ones for the intercept."""
    n, p = x.shape
    beta, *_ = np.linalg.lstsq(x, y, rcond=None)
    fitted = x @ beta
    resid = y - fitted
    ssr = float(resid @ resid)
    sst = float(((y - y.mean()) ** 2).sum())
    r2 = 1 - ssr / sst if sst > 0 else float("nan")
    adj = 1 - (1 - r2) * (n - 1) / (n - p) if n > p else float("nan")
    sigma = float(np.sqrt(ssr / (n - p)))
    return _Fit(beta, fitted, resid, r2, adj, sigma)


def _residual_table(complete: pd.DataFrame, y: np.ndarray, fit: _Fit, better: str, threshold_sd: float) -> pd.DataFrame:
    """Per municipality: observed, predicted, residuals and performance; sorted best first."""
    n = len(y)
    std = fit.residuals / fit.residual_sd if fit.residual_sd > 0 else np.zeros(n)
    performance = (-1.0 if better == "lower" else 1.0) * std
    names = region_names()
    return (
        pd.DataFrame(
            {
                "region_code": complete.index.astype(str),
                "region_name": [names.get(str(c), str(c)) for c in complete.index],
                "observed": y,
                "predicted": fit.fitted,
                "residual": fit.residuals,
                "standardised_residual": std,
                "performance": performance,
                "positive_deviant": performance >= threshold_sd,
            }
        )
        .sort_values(["performance", "region_code"], ascending=[False, True])
        .reset_index(drop=True)
    )


def _fit_warnings(n: int, min_n: int, n_dropped: int, r2: float) -> list[str]:
    warnings = []
    if n < min_n:
        warnings.append(
            f"Only {n} municipalities in the fit (fewer than {min_n}): treat the result as indicative at most."
        )
    if n_dropped:
        warnings.append(f"{n_dropped} municipalities left out because a value was missing or suppressed.")
    if np.isfinite(r2) and r2 < LOW_R_SQUARED:
        warnings.append(f"The context explains little of the variation (R² = {r2:.2f}): deviations say little.")
    return warnings


def positive_deviance(
    national: pd.DataFrame,
    catalogue: IndicatorCatalogue,
    *,
    outcome: str,
    predictors: Sequence[str],
    year: int | None = None,
    threshold_sd: float = 2.0,
    min_n: int = DEFAULT_MIN_N,
) -> DevianceResult:
    """Model an outcome from context indicators and list municipalities doing better.

    Parameters
    ----------
    national
        Tidy rows (:mod:`outcomes.analyses.baseline.readers`) for all municipalities.
        Only 4-digit municipality codes are used.
    catalogue
        Gives the outcome's ``better`` direction.
    outcome
        Indicator id modelled, e.g. ``"neet_15_29"`` (percent).
    predictors
        Context indicator ids, e.g. ``["low_income_children",
        "higher_education_share"]`` (percent).
    year
        Use periods ending in this year for every indicator; default the
        latest year of the outcome.
    threshold_sd
        A municipality is a positive deviant when it is better than predicted
        by at least this many residual standard deviations.
    min_n
        Warn when fewer municipalities than this are in the fit.

    Returns
    -------
    DevianceResult
        Fit statistics (R², adjusted R², n, residual SD in the outcome's
        unit, coefficients per predictor in outcome units per predictor unit),
        the per-municipality table and warnings.

    Raises
    ------
    InputError
        If an indicator is absent, or there are not more municipalities than
        model parameters.
    """
    ind = catalogue.get(outcome)
    for pid in predictors:
        catalogue.get(pid)
    if ind.better == "neutral":
        raise InputError(f"{outcome} has no better direction; positive deviance needs one.", column="outcome")
    if year is None:
        have = national[national["indicator"] == outcome]
        if have.empty:
            raise InputError(f"No rows for the outcome {outcome} in the national data.", column="indicator")
        year = int(have["period_end"].max())
    frame = _model_frame(national, outcome, predictors, year)
    complete = frame.dropna()
    n_dropped = len(frame) - len(complete)
    n = len(complete)
    p = len(predictors) + 1
    if n <= p:
        raise InputError(
            f"Only {n} municipalities have every value; the model needs more than {p}.",
            expected="a national file with the outcome and every predictor for most municipalities",
        )
    y = complete[outcome].to_numpy()
    fit = _least_squares(y, np.column_stack([np.ones(n), *[complete[pid].to_numpy() for pid in predictors]]))
    return DevianceResult(
        outcome=outcome,
        predictors=list(predictors),
        period_end=year,
        n=n,
        n_dropped=n_dropped,
        r_squared=fit.r_squared,
        adjusted_r_squared=fit.adjusted_r_squared,
        residual_sd=fit.residual_sd,
        coefficients={
            "intercept": float(fit.beta[0]),
            **{pid: float(b) for pid, b in zip(predictors, fit.beta[1:], strict=True)},
        },
        threshold_sd=threshold_sd,
        better=ind.better,
        table=_residual_table(complete, y, fit, ind.better, threshold_sd),
        warnings=_fit_warnings(n, min_n, n_dropped, fit.r_squared),
    )
