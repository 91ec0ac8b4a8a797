"""Experience survey: how participants rate statements on a four-point agreement scale.

All functions are pure. Input is one row per answer (``year``, ``department``,
``item`` as worded in the questionnaire, ``answer`` as a canonical id from the
survey contract, missing when blank). Counts are numbers of answers (people);
shares and interval bounds are 0-1; changes are percentage points.

``n`` is the number answering on the scale: "don't know" and blanks are left
out of it and counted separately. The scale has one disagreeing step and three
agreeing ones (Uenig / Litt enig / Enig / Helt enig: "Litt enig" agrees, a
little); there is no neutral step. The share agreeing is (somewhat agree +
agree + strongly agree) / n with a Wilson 95% interval.

Disclosure control (:func:`publishable_survey`) uses
:func:`outcomes.core.disclosure.suppress` for every count, then protects the totals
that are shown:

* the share agreeing is hidden when agreeing or not agreeing is below the
  threshold (complement), or n is;
* the four answer counts are published for all departments together only, each
  against its side of the scale (disagree; somewhat agree + agree + strongly
  agree). A side total is hidden (set to 0) when the share agreeing is, so
  then all four are hidden: otherwise n minus the shown cells would give it;
* the all-departments row is a total of the departments: when only one
  department's n (or number agreeing) is hidden for an item and year, the next
  smallest is hidden too, so the hidden one cannot be found by subtraction.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from outcomes.core.disclosure import DEFAULT_THRESHOLD, suppress
from outcomes.core.stats import difference_interval, wilson_interval

#: The scale, from the disagreeing end to the agreeing end.
SCALE: tuple[str, ...] = ("disagree", "somewhat_agree", "agree", "strongly_agree")
#: The scale's agreeing steps, mildest first: "Litt enig" (somewhat agree) agrees, it is not a neutral step.
AGREEING: tuple[str, ...] = ("somewhat_agree", "agree", "strongly_agree")
DISAGREEING: tuple[str, ...] = ("disagree",)
DONT_KNOW = "dont_know"
BLANK = "blank"
#: Value of ``department`` in rows covering all departments.
ALL = "all"
#: Reason for a cell hidden so that another hidden cell cannot be found from a total.
SECONDARY = "secondary"

SURVEY_COLUMNS = [
    "year",
    "department",
    "item",
    "item_order",
    *SCALE,
    DONT_KNOW,
    BLANK,
    "n",
    "agreeing",
    "disagreeing",
    "share",
    "ci_low",
    "ci_high",
    *(f"share_{a}" for a in SCALE),
]


def survey_counts(answers: pd.DataFrame) -> pd.DataFrame:
    """Answers per year, department (and all departments) and item, with the share agreeing.

    Parameters
    ----------
    answers
        One row per answer: ``year``, ``department``, ``item``, ``answer``
        (one of :data:`SCALE`, :data:`DONT_KNOW` or missing for blank).

    Returns
    -------
    pandas.DataFrame
        :data:`SURVEY_COLUMNS`; ``item_order`` is the order items first appear
        in the input; ``share_<answer>`` is that answer's share of n.
        Not under disclosure control.
    """
    data = answers[["year", "department", "item", "answer"]].copy()
    data["year"] = data["year"].astype("int64")
    data["department"] = data["department"].astype(str)
    data["item"] = data["item"].astype(str)
    data["answer"] = data["answer"].astype("string").fillna(BLANK)
    order = {item: i for i, item in enumerate(dict.fromkeys(data["item"]))}
    both = pd.concat([data.assign(department=ALL), data], ignore_index=True)
    counts = both.groupby(["year", "department", "item", "answer"], sort=False).size().unstack("answer", fill_value=0)
    counts = counts.reindex(columns=[*SCALE, DONT_KNOW, BLANK], fill_value=0).astype("int64").reset_index()
    counts["item_order"] = counts["item"].map(order)
    counts["n"] = counts[list(SCALE)].sum(axis=1)
    counts["agreeing"] = counts[list(AGREEING)].sum(axis=1)
    counts["disagreeing"] = counts[list(DISAGREEING)].sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        counts["share"] = np.where(counts["n"] > 0, counts["agreeing"] / counts["n"], np.nan)
        for a in SCALE:
            counts[f"share_{a}"] = np.where(counts["n"] > 0, counts[a] / counts["n"], np.nan)
    counts["ci_low"], counts["ci_high"] = wilson_interval(counts["agreeing"], counts["n"])
    counts = counts.assign(_all=(counts["department"] != ALL).astype(int))
    counts = counts.sort_values(["year", "_all", "department", "item_order"], kind="stable")
    return counts[SURVEY_COLUMNS].reset_index(drop=True)


def _secondary(table: pd.DataFrame, reason: str, size: str, hide: list[str]) -> pd.DataFrame:
    """Where exactly one department's cell is hidden under a shown all-departments row, hide the next smallest."""
    out = table.copy()
    for _, group in out[out["department"] != ALL].groupby(["year", "item"], sort=False):
        whole = out[
            (out["year"] == group["year"].iloc[0]) & (out["item"] == group["item"].iloc[0]) & (out["department"] == ALL)
        ]
        if whole.empty or whole[reason].notna().all():
            continue  # the total is not shown, so nothing can be subtracted from it
        hidden = group[reason].notna()
        if hidden.sum() != 1 or len(group) < 2:
            continue
        candidate = group[~hidden].sort_values(size, kind="stable").index[0]
        for column in hide:
            out.loc[candidate, column] = pd.NA
        out.loc[candidate, reason] = SECONDARY
    return out


def _side_secondary(reasons: dict[str, pd.Series], counts: pd.DataFrame) -> dict[str, pd.Series]:
    """Within a side of three answers, hide the next smallest where exactly one is hidden.

    The side total is published (the share agreeing), so with one answer
    hidden the other two would give it by subtraction. A side of two answers
    is protected by the complement rule already; a side of one is its total.
    """
    if len(reasons) < 3:
        return reasons
    out = {answer: reason.copy() for answer, reason in reasons.items()}
    hidden = pd.DataFrame({a: r.notna() for a, r in reasons.items()})
    for row in hidden.index[hidden.sum(axis=1) == 1]:
        shown = [a for a in reasons if not hidden.loc[row, a]]
        smallest = min(shown, key=lambda a: (counts.loc[row, a], list(reasons).index(a)))
        out[smallest].loc[row] = SECONDARY
    return out


def publishable_survey(counts: pd.DataFrame, threshold: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Apply disclosure control to a :func:`survey_counts` table (see the module notes).

    Returns
    -------
    pandas.DataFrame
        The table with hidden cells missing and reason columns
        ``suppressed_n`` (n), ``suppressed`` (agreeing, share and interval),
        ``suppressed_<answer>`` (answer counts and shares; department rows
        never publish them), ``suppressed_dont_know`` and ``suppressed_blank``.
    """
    share_cols = ["agreeing", "disagreeing", "share", "ci_low", "ci_high"]
    out = suppress(
        counts,
        count=None,
        denominator="n",
        hide=["n"],
        threshold=threshold,
        complement=False,
        reason_column="suppressed_n",
    )
    out = suppress(out, count="agreeing", denominator="n", hide=share_cols, threshold=threshold)
    # A department whose n is hidden must not show its share either (share x n = count).
    out.loc[out["suppressed_n"].notna(), share_cols] = pd.NA
    out["suppressed"] = out["suppressed"].fillna(out["suppressed_n"])
    out = _secondary(out, "suppressed_n", "n", ["n", *share_cols])
    out["suppressed"] = out["suppressed"].mask((out["suppressed_n"] == SECONDARY).fillna(False).astype(bool), SECONDARY)
    out = _secondary(out, "suppressed", "agreeing", share_cols)

    # Answer counts: all departments only, each within its side of the scale.
    published_sides = out["suppressed"].isna() & (out["department"] == ALL)
    for side, members in (("agreeing", AGREEING), ("disagreeing", DISAGREEING)):
        total = counts[side].where(published_sides, 0)
        reasons = {
            answer: suppress(
                pd.DataFrame({"c": counts[answer], "d": total}, index=out.index),
                count="c",
                denominator="d",
                hide=[],
                threshold=threshold,
            )["suppressed"]
            for answer in members
        }
        for answer, reason in _side_secondary(reasons, counts).items():
            out[f"suppressed_{answer}"] = reason
            for column in (answer, f"share_{answer}"):
                out[column] = (
                    out[column].astype("Float64" if column.startswith("share") else "Int64").mask(reason.notna())
                )
    for extra in (DONT_KNOW, BLANK):
        out = suppress(
            out, count=extra, denominator=None, hide=[extra], threshold=threshold, reason_column=f"suppressed_{extra}"
        )
        out.loc[out["department"] != ALL, extra] = pd.NA
    return out


def survey_change(published: pd.DataFrame, year: int) -> pd.DataFrame:
    """Share agreeing in ``year`` and the year before, per department and item, with the change tested.

    The change is judged by a 95% interval of the difference of the two
    shares (:func:`outcomes.core.stats.difference_interval`, from the
    published numbers agreeing and n), not by whether the two years'
    intervals overlap: they can overlap while the difference is clear.
    Item text must match exactly between the years.

    Returns
    -------
    pandas.DataFrame
        ``department``, ``item``, ``item_order``, ``n``, ``share``, ``ci_low``,
        ``ci_high``, ``previous_share``, ``previous_ci_low``,
        ``previous_ci_high``, ``change_pp`` (percentage points; missing unless
        both shares are published), ``change_low_pp``/``change_high_pp`` (its
        95% interval, percentage points) and ``clear_change`` (True when the
        interval leaves out 0; missing when the change is).
    """
    cols = ["department", "item", "agreeing", "n", "share", "ci_low", "ci_high"]
    before = published[published["year"] == year - 1][cols]
    before = before.rename(columns={c: f"previous_{c}" for c in cols[2:]})
    now = published[published["year"] == year]
    out = now[[*cols[:2], "item_order", *cols[2:], "suppressed"]].merge(before, on=["department", "item"], how="left")
    for column in ("share", "ci_low", "ci_high", "previous_share", "previous_ci_low", "previous_ci_high"):
        out[column] = out[column].astype("Float64")
    out["change_pp"] = (out["share"] - out["previous_share"]) * 100
    k1, n1, k2, n2 = (
        out[c].astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
        for c in ("previous_agreeing", "previous_n", "agreeing", "n")
    )
    low, high = difference_interval(k1, n1, k2, n2)
    known = out["change_pp"].notna().to_numpy()
    out["change_low_pp"] = pd.array(np.where(known, low * 100, np.nan), dtype="Float64")
    out["change_high_pp"] = pd.array(np.where(known, high * 100, np.nan), dtype="Float64")
    clear = (out["change_low_pp"] > 0) | (out["change_high_pp"] < 0)
    out["clear_change"] = clear.astype("boolean").mask(~known | out["change_low_pp"].isna())
    return out.drop(columns=["agreeing", "previous_agreeing", "previous_n"]).reset_index(drop=True)
