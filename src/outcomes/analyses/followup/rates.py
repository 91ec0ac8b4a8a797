"""Follow-up outcome rates: of those reached, what share is in each group.

All functions are pure: records in, tables out. Units: counts are numbers of
people; ``share``, ``response_rate`` and interval bounds are shares between 0
and 1 (the report formats them as percent).

Three treatments of non-response are computed side by side:

``respondents`` (default)
    Share among those who answered; non-respondents are left out.
``negative`` (lower bound)
    Share among all contacted, counting non-respondents as not in a positive
    group (and as NEET).
``positive`` (upper bound)
    Share among all contacted, counting non-respondents as in every positive
    group (and not NEET).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from outcomes.core.disclosure import DEFAULT_THRESHOLD, suppress
from outcomes.core.jsonable import jsonable
from outcomes.core.stats import wilson_interval
from outcomes.registries.statuses import NO_RESPONSE, OutcomeGroups

TREATMENTS: tuple[str, ...] = ("respondents", "negative", "positive")
#: Value of ``department`` in rows that cover all departments.
ALL = "all"


def __getattr__(name: str) -> frozenset[str]:
    """``POSITIVE_GROUPS``, read from the project's ``config/status_map.yml``.

    The groups that count as a good outcome are data (``positive: true`` in
    the status map; use :attr:`outcomes.registries.statuses.StatusMap.positive_groups`).
    This name remains only for :mod:`outcomes.sdc.bundle`, which reads it for
    bundles that do not publish their group definitions.
    """
    if name == "POSITIVE_GROUPS":
        from outcomes.registries.statuses import load_status_map

        return load_status_map("config/status_map.yml").positive_groups
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


RATE_COLUMNS = [
    "followup_year",
    "department",
    "group",
    "treatment",
    "contacted",
    "responded",
    "response_rate",
    "count",
    "denominator",
    "share",
    "ci_low",
    "ci_high",
]


def _status_counts(records: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    counts = records.groupby(keys + ["status"], observed=True, sort=True).size().unstack("status", fill_value=0)
    return counts.astype("int64")


def _by_treatment(
    in_group: pd.Series, nonresp: pd.Series, contacted: pd.Series, positive: bool
) -> list[tuple[str, pd.Series, pd.Series]]:
    """``(treatment, count, denominator)`` of one group under each treatment of non-response.

    Non-respondents go in the positive groups under the upper bound
    (``positive``) and in the other groups under the lower bound (``negative``).
    """
    return [
        ("respondents", in_group, contacted - nonresp),
        ("negative", in_group + (0 if positive else nonresp), contacted),
        ("positive", in_group + (nonresp if positive else 0), contacted),
    ]


def followup_rates(records: pd.DataFrame, groups: OutcomeGroups, by_department: bool = False) -> pd.DataFrame:
    """Contacted, responded and each derived group's count and share with a Wilson 95% interval.

    Parameters
    ----------
    records
        One row per contacted participant and follow-up year, with columns
        ``followup_year``, ``department`` and canonical ``status``.
    groups
        ``{group: canonical statuses in it}`` in report order, with the
        positive groups, from
        :meth:`outcomes.registries.statuses.StatusMap.group_members`.
    by_department
        Also break the figures down by department (rows for all departments
        together have ``department == "all"``).

    Returns
    -------
    pandas.DataFrame
        One row per year, department, group and treatment with
        :data:`RATE_COLUMNS`; counts are people, shares are 0-1.
    """
    frames = [records.assign(department=ALL)]
    if by_department:
        frames.append(records)
    data = pd.concat(frames, ignore_index=True)[["followup_year", "department", "status"]]
    data["followup_year"] = data["followup_year"].astype("int64")
    data["department"] = data["department"].astype("string")
    counts = _status_counts(data, ["followup_year", "department"])
    nonresp = counts[NO_RESPONSE] if NO_RESPONSE in counts else pd.Series(0, index=counts.index)
    contacted = counts.sum(axis=1)
    pieces = []
    for group, members in groups.items():
        present = [s for s in members if s in counts.columns]
        in_group = counts[present].sum(axis=1) if present else pd.Series(0, index=counts.index)
        for treatment, count, denominator in _by_treatment(in_group, nonresp, contacted, group in groups.positive):
            piece = {"group": group, "treatment": treatment, "contacted": contacted, "responded": contacted - nonresp}
            pieces.append(pd.DataFrame(piece | {"count": count, "denominator": denominator}))
    table = pd.concat(pieces).reset_index()
    with np.errstate(divide="ignore", invalid="ignore"):
        table["response_rate"] = np.where(table["contacted"] > 0, table["responded"] / table["contacted"], np.nan)
        table["share"] = np.where(table["denominator"] > 0, table["count"] / table["denominator"], np.nan)
    table["ci_low"], table["ci_high"] = wilson_interval(table["count"], table["denominator"])
    order = {g: i for i, g in enumerate(groups)}
    torder = {t: i for i, t in enumerate(TREATMENTS)}
    table = table.assign(
        _all=(table["department"] != ALL).astype(int), _g=table["group"].map(order), _t=table["treatment"].map(torder)
    ).sort_values(["followup_year", "_all", "department", "_g", "_t"], kind="stable")
    return table[RATE_COLUMNS].reset_index(drop=True)


def publishable_rates(rates: pd.DataFrame, threshold: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Apply the cell rule alone to a :func:`followup_rates` table (primary suppression).

    What the report publishes is :func:`outcomes.sdc.followup.protect_followup`,
    which also hides what would let a reader work a hidden cell out from the
    others; this function is kept for the cell rule on its own.

    A group's count, share and interval are hidden when the count or its
    denominator is below ``threshold`` (or the complement is); the numbers
    contacted and responded, and the response rate, are hidden when the
    number contacted is below ``threshold``. Columns ``suppressed`` and
    ``suppressed_response`` give the reasons.
    """
    out = suppress(
        rates,
        count="count",
        denominator="denominator",
        hide=["count", "share", "ci_low", "ci_high"],
        threshold=threshold,
    )
    return suppress(
        out,
        count=None,
        denominator="contacted",
        hide=["contacted", "responded", "response_rate"],
        threshold=threshold,
        complement=False,
        reason_column="suppressed_response",
    )


def select(
    rates: pd.DataFrame,
    treatment: str = "respondents",
    department: str = ALL,
    groups: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Rows of a rates table for one treatment and department (and of ``groups``, default all), in table order."""
    if treatment not in TREATMENTS:
        raise ValueError(f"unknown treatment '{treatment}', expected one of {TREATMENTS}")
    mask = rates["treatment"] == treatment
    if groups is not None:
        mask &= rates["group"].isin(groups)
    if department is not None:
        mask &= rates["department"] == department
    return rates[mask].reset_index(drop=True)


def headline(rates: pd.DataFrame, year: int, treatment: str = "respondents") -> dict[str, object]:
    """The report year's figures for all departments, as plain data.

    Returns a dict with ``year``, ``contacted``, ``responded``,
    ``response_rate`` and, per group, ``count``, ``denominator``, ``share``,
    ``ci_low``, ``ci_high`` and ``suppressed`` (the reason or ``None``).
    Missing (suppressed) numbers are ``None``. Shares are 0-1.
    """
    rows = select(rates, treatment)
    rows = rows[rows["followup_year"] == year]
    if rows.empty:
        return {"year": year, "available": False}

    first = rows.iloc[0]
    out: dict[str, object] = {
        "year": year,
        "available": True,
        "treatment": treatment,
        "contacted": jsonable(first["contacted"], 6),
        "responded": jsonable(first["responded"], 6),
        "response_rate": jsonable(first["response_rate"], 6),
        "groups": {},
    }
    for _, row in rows.iterrows():
        out["groups"][row["group"]] = {  # type: ignore[index]
            key: jsonable(row[key], 6) for key in ("count", "denominator", "share", "ci_low", "ci_high")
        } | {"suppressed": jsonable(row.get("suppressed"), 6)}
    return out
