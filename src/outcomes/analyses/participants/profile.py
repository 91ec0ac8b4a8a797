"""Participant profile: how many youths in each school year had each difficulty or service.

All functions are pure: tables in, tables out. Counts are numbers of people;
``share`` is the count divided by the number of participants that school year
(0-1). One person can be in several categories, so the counts do not add up to
the number of participants and the shares do not add up to 1.

The profile arrives in one of two shapes (see ``src/outcomes/data/contracts/``):

``flags`` (``profile.yml``)
    One row per participant and school year with a 0/1 column per category.
``counts`` (``profile_counts.yml``)
    One row per school year and category with a count, plus a ``participants``
    row per school year giving the denominator.

Disclosure control (:func:`publishable_profile`): a difficulty with fewer
people than the threshold in a school year is merged into the category marked
``other``; the merged "other" is shown only if it reaches the threshold
itself. Every published count then goes through
:func:`outcomes.core.disclosure.suppress` against the number of participants,
complement included, because that total is shown.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from outcomes.core.disclosure import DEFAULT_THRESHOLD, suppress
from outcomes.core.errors import ConfigError
from outcomes.core.yamlsafe import load_model
from outcomes.inputs.contracts import school_year_label

#: Category value (counts shape) and row id for the number of participants.
PARTICIPANTS = "participants"
#: Reason given for a small difficulty counted under "other" instead.
MERGED = "merged_into_other"

PROFILE_COLUMNS = ["school_year", "category", "kind", "count", "participants", "share"]


class Titles(BaseModel):
    """A text in Norwegian bokmål and English."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    nb: str
    en: str


class Category(BaseModel):
    """One profile category (see ``config/participant_categories.yml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    kind: Literal["difficulty", "service"]
    title: Titles
    description: Titles
    aliases: list[str] = Field(default_factory=list)
    other: bool = False


class CategoryCatalogue(BaseModel):
    """The categories in report order, with exactly one ``other`` difficulty."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    categories: list[Category]

    @model_validator(mode="after")
    def _check(self) -> CategoryCatalogue:
        ids = [c.id for c in self.categories]
        if len(set(ids)) != len(ids) or PARTICIPANTS in ids:
            raise ValueError(f"category ids must be unique and not '{PARTICIPANTS}'")
        others = [c for c in self.categories if c.other]
        if len(others) != 1 or others[0].kind != "difficulty":
            raise ValueError("exactly one difficulty must be marked 'other: true'")
        return self

    @property
    def ids(self) -> list[str]:
        """Category ids in report order."""
        return [c.id for c in self.categories]

    @property
    def other(self) -> str:
        """Id of the category small difficulties are merged into."""
        return next(c.id for c in self.categories if c.other)

    def of_kind(self, kind: str) -> list[str]:
        """Ids of the difficulties or of the services, in report order."""
        return [c.id for c in self.categories if c.kind == kind]

    def get(self, category: str) -> Category:
        """The category with this id."""
        return next(c for c in self.categories if c.id == category)

    def titles(self, lang: str) -> dict[str, str]:
        """``{id: title}`` in the report language."""
        return {c.id: getattr(c.title, lang) for c in self.categories}


def load_categories(path: str | Path) -> CategoryCatalogue:
    """Read the category definitions.

    Raises
    ------
    ConfigError
        When the file is missing or malformed (naming the file).
    """
    file = Path(path)
    if not file.is_file():
        raise ConfigError("category file not found", file=str(path), hint="It defines the profile categories.")
    return load_model(file, CategoryCatalogue, "the category file", shown=str(path))


def school_year_end(label: str) -> int:
    """The calendar year a school year ends in: ``"2019/20"`` -> 2020."""
    return int(str(label)[:4]) + 1


def _small_difficulties(counts: pd.DataFrame, catalogue: CategoryCatalogue, threshold: int) -> pd.Series:
    """Mask of rows that are difficulties (not "other") below the threshold."""
    mergeable = set(catalogue.of_kind("difficulty")) - {catalogue.other}
    return counts["category"].isin(mergeable) & (counts["count"] < threshold)


def _finish(rows: pd.DataFrame, catalogue: CategoryCatalogue) -> pd.DataFrame:
    order = {c: i for i, c in enumerate(catalogue.ids)}
    kinds = {c.id: c.kind for c in catalogue.categories}
    out = rows.assign(kind=rows["category"].map(kinds), _o=rows["category"].map(order))
    out["count"] = out["count"].astype("int64")
    out["participants"] = out["participants"].astype("int64")
    out["share"] = (out["count"] / out["participants"]).where(out["participants"] > 0)
    out = out.sort_values(["school_year", "_o"], kind="stable")
    extra = [c for c in ("merged",) if c in out.columns]
    return out[PROFILE_COLUMNS + extra].reset_index(drop=True)


def profile_from_flags(
    flags: pd.DataFrame, catalogue: CategoryCatalogue, threshold: int = DEFAULT_THRESHOLD
) -> pd.DataFrame:
    """Count people per school year and category from per-participant flags, merging small difficulties.

    Parameters
    ----------
    flags
        One row per participant and school year: ``school_year`` (label such
        as ``2019/20``) and one column per category id holding ``"1"``,
        ``"0"`` or missing (= no). Category columns absent from the file count 0.
    catalogue
        The category definitions.
    threshold
        Difficulties with fewer people than this in a school year are counted
        under "other" (a person in several of them, or also in "other", once).

    Returns
    -------
    pandas.DataFrame
        One row per school year and category with :data:`PROFILE_COLUMNS` and
        ``merged`` (True for a small difficulty now counted under "other";
        its count must not be published). Not yet under disclosure control.
    """
    data = flags.copy()
    ids = catalogue.ids
    has = pd.DataFrame(
        {c: (data[c].astype("string") == "1").fillna(False) if c in data else False for c in ids}, index=data.index
    ).astype(bool)
    has["school_year"] = data["school_year"].astype(str).map(school_year_label)
    pieces = []
    for year, block in has.groupby("school_year", sort=True):
        counts = pd.DataFrame(
            {
                "school_year": year,
                "category": ids,
                "count": [int(block[c].sum()) for c in ids],
                "participants": len(block),
            }
        )
        small = _small_difficulties(counts, catalogue, threshold)
        merged_ids = counts.loc[small, "category"].tolist()
        union = block[[catalogue.other, *merged_ids]].any(axis=1).sum()
        counts.loc[counts["category"] == catalogue.other, "count"] = int(union)
        counts["merged"] = small
        pieces.append(counts)
    return _finish(pd.concat(pieces, ignore_index=True), catalogue)


def profile_from_counts(
    counts: pd.DataFrame, catalogue: CategoryCatalogue, threshold: int = DEFAULT_THRESHOLD
) -> pd.DataFrame:
    """Per school year and category counts from an aggregated table, merging small difficulties.

    Parameters
    ----------
    counts
        Columns ``school_year``, ``category`` (a category id or
        :data:`PARTICIPANTS`) and ``count``. Each school year needs a
        ``participants`` row; categories not listed count 0.
    catalogue, threshold
        As for :func:`profile_from_flags`. Merged counts are added, so a person
        in two merged categories is counted twice (the merged "other" is then
        an upper bound of the number of people).

    Returns
    -------
    pandas.DataFrame
        As :func:`profile_from_flags`.

    Raises
    ------
    ValueError
        When a school year has no ``participants`` row, naming the year.
    """
    data = counts.assign(school_year=counts["school_year"].astype(str).map(school_year_label))
    pieces = []
    for year, block in data.groupby("school_year", sort=True):
        by_category = block.set_index("category")["count"].astype("int64")
        if PARTICIPANTS not in by_category:
            raise ValueError(f"school year {year} has no '{PARTICIPANTS}' row giving the number of participants")
        rows = pd.DataFrame(
            {
                "school_year": year,
                "category": catalogue.ids,
                "count": [int(by_category.get(c, 0)) for c in catalogue.ids],
                "participants": int(by_category[PARTICIPANTS]),
            }
        )
        small = _small_difficulties(rows, catalogue, threshold)
        other = rows["category"] == catalogue.other
        rows.loc[other, "count"] = int(rows.loc[other, "count"].sum() + rows.loc[small, "count"].sum())
        rows["merged"] = small
        pieces.append(rows)
    return _finish(pd.concat(pieces, ignore_index=True), catalogue)


def publishable_profile(profile: pd.DataFrame, threshold: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Apply disclosure control to a profile table; merged difficulties are dropped.

    A count (and its share) is hidden when it is below ``threshold``, when the
    number of participants is, or when participants minus the count is between
    1 and ``threshold - 1`` (the participants total is shown, so such a
    complement could be found by subtraction). The ``participants`` column is
    hidden when below the threshold. Rows of difficulties merged into "other"
    are removed altogether: their counts live only inside "other".

    Returns
    -------
    pandas.DataFrame
        :data:`PROFILE_COLUMNS` plus ``suppressed`` (reason or ``<NA>``).
    """
    kept = profile[~profile["merged"]].drop(columns=["merged"]) if "merged" in profile else profile
    out = suppress(kept, count="count", denominator="participants", hide=["count", "share"], threshold=threshold)
    return suppress(
        out,
        count=None,
        denominator="participants",
        hide=["participants"],
        threshold=threshold,
        complement=False,
        reason_column="suppressed_participants",
    ).drop(columns=["suppressed_participants"])


def services_change(published: pd.DataFrame, services: list[str]) -> pd.DataFrame:
    """Share followed by each service, with the previous school year's share beside it.

    Parameters
    ----------
    published
        A :func:`publishable_profile` table.
    services
        Service category ids in report order.

    Returns
    -------
    pandas.DataFrame
        One row per school year and service: ``count``, ``participants``,
        ``share`` and ``previous_share`` (0-1, missing when not published or no
        previous school year), ``change_pp`` (percentage points, missing unless
        both shares are published) and ``suppressed``.
    """
    rows = published[published["category"].isin(services)]
    prev = rows[["school_year", "category", "share"]].rename(columns={"share": "previous_share"})
    prev = prev.assign(school_year=prev["school_year"].map(lambda y: f"{int(y[:4]) + 1}/{(int(y[:4]) + 2) % 100:02d}"))
    out = rows.merge(prev, on=["school_year", "category"], how="left")
    out["change_pp"] = (out["share"].astype("Float64") - out["previous_share"].astype("Float64")) * 100
    order = {c: i for i, c in enumerate(services)}
    out = out.assign(_o=out["category"].map(order)).sort_values(["school_year", "_o"], kind="stable")
    return out[
        ["school_year", "category", "count", "participants", "share", "previous_share", "change_pp", "suppressed"]
    ].reset_index(drop=True)
