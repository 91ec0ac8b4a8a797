"""Canonical follow-up statuses, the programme's labels for them, and derived groups.

The mapping from a programme's own labels to the eight canonical statuses, the
derived groups (education, work, education or work, positive activity, NEET:
their members, order and whether they count as a good outcome) and the groups
each part of the report leads with are data in ``config/status_map.yml``. This
module reads and checks that file and applies it; no group is named in code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from outcomes.core import paths
from outcomes.core.errors import ConfigError
from outcomes.core.yamlsafe import load_model

#: The canonical statuses, in reporting order.
CANONICAL_STATUSES: tuple[str, ...] = (
    "education",
    "work",
    "education_and_work",
    "apprenticeship",
    "measure",
    "other_positive",
    "neet",
    "no_response",
)
#: Status of contacted participants who did not answer.
NO_RESPONSE = "no_response"
#: What a group id may look like: it names columns, CSV values and JSON keys.
_GROUP_ID = re.compile(r"^[a-z][a-z0-9_]*$")


class _Text(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    nb: str
    en: str

    def text(self, lang: str) -> str:
        """The text in ``lang`` (``nb`` or ``en``)."""
        return self.en if lang == "en" else self.nb


class StatusDefinition(BaseModel):
    """One canonical status: its titles, description and the labels that mean it."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    title: _Text
    description: _Text
    labels: list[str] = Field(min_length=1)


class GroupDefinition(BaseModel):
    """One derived group: its title, the canonical statuses it contains, and whether it is a good outcome.

    ``positive`` decides the non-response bounds: the upper bound counts
    everyone who did not respond as in a positive group and as not in the
    others, the lower bound the other way round.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    title: _Text
    statuses: list[str] = Field(min_length=1)
    positive: bool


class ShownGroups(BaseModel):
    """The groups each part of the report leads with, each list in the order shown.

    Attributes
    ----------
    headline
        Front-page cards, the summary sentences and the comparison with last
        year's report. The first is the lead group, whose change since last
        year and non-response bounds the summary gives.
    over_time
        The chart of shares over the years.
    by_department
        The chart by department and the table of non-response bounds.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    headline: list[str] = Field(min_length=1)
    over_time: list[str] = Field(min_length=1)
    by_department: list[str] = Field(min_length=1)


@dataclass(frozen=True, eq=False)
class OutcomeGroups(Mapping[str, frozenset[str]]):
    """``{group: canonical statuses in it}`` in report order, knowing which groups are positive.

    A read-only mapping (it compares equal to a dict with the same members),
    so code that needs only the members takes it as it is;
    :func:`outcomes.analyses.followup.rates.followup_rates` also reads
    :attr:`positive`.
    """

    members: Mapping[str, frozenset[str]]
    positive: frozenset[str]

    def __getitem__(self, group: str) -> frozenset[str]:
        return self.members[group]

    def __iter__(self) -> Iterator[str]:
        return iter(self.members)

    def __len__(self) -> int:
        return len(self.members)


class StatusMap(BaseModel):
    """The validated content of ``status_map.yml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    statuses: dict[str, StatusDefinition]
    groups: dict[str, GroupDefinition] = Field(min_length=1)
    shown: ShownGroups
    source: str = ""

    @model_validator(mode="after")
    def _complete(self) -> StatusMap:
        missing = [s for s in CANONICAL_STATUSES if s not in self.statuses]
        unknown = [s for s in self.statuses if s not in CANONICAL_STATUSES]
        if missing or unknown:
            raise ValueError(
                f"statuses must be exactly {list(CANONICAL_STATUSES)}; missing {missing}, unknown {unknown}"
            )
        bad_ids = [g for g in self.groups if not _GROUP_ID.match(g)]
        if bad_ids:
            raise ValueError(f"group ids {bad_ids} must be lower-case letters, digits and _, starting with a letter")
        for part, names in self.shown.model_dump().items():
            unknown_groups = [g for g in names if g not in self.groups]
            if unknown_groups:
                raise ValueError(f"shown.{part} names {unknown_groups}, which are not groups defined under 'groups'")
            if len(set(names)) != len(names):
                raise ValueError(f"shown.{part} names a group twice: {names}")
        for name, group in self.groups.items():
            bad = [s for s in group.statuses if s not in CANONICAL_STATUSES or s == NO_RESPONSE]
            if bad:
                raise ValueError(f"group '{name}' lists {bad}, which are not canonical answered statuses")
        seen: dict[str, str] = {}
        for status, definition in self.statuses.items():
            for label in definition.labels:
                key = normalise_label(label)
                if key in seen and seen[key] != status:
                    raise ValueError(f"label '{label}' is listed under both '{seen[key]}' and '{status}'")
                seen[key] = status
        return self

    def lookup(self) -> dict[str, str]:
        """``{normalised label: canonical status}``; canonical names map to themselves."""
        table = {normalise_label(s): s for s in CANONICAL_STATUSES}
        for status, definition in self.statuses.items():
            for label in definition.labels:
                table[normalise_label(label)] = status
        return table

    def group_members(self) -> OutcomeGroups:
        """``{group: canonical statuses in it}`` for every group, in report order, with the positive ones."""
        return OutcomeGroups({g: frozenset(d.statuses) for g, d in self.groups.items()}, self.positive_groups)

    @property
    def group_ids(self) -> tuple[str, ...]:
        """Every group, in report order (the order of ``status_map.yml``)."""
        return tuple(self.groups)

    @property
    def positive_groups(self) -> frozenset[str]:
        """The groups marked ``positive: true``."""
        return frozenset(g for g, d in self.groups.items() if d.positive)

    @property
    def headline_groups(self) -> tuple[str, ...]:
        """The groups the front page, the summary and last year's comparison lead with, in order."""
        return tuple(self.shown.headline)

    @property
    def lead_group(self) -> str:
        """The first headline group: the summary gives its change since last year and its bounds."""
        return self.shown.headline[0]

    def group_title(self, group: str, lang: str) -> str:
        """A group's title in ``lang``, e.g. "I utdanning eller arbeid"."""
        return self.groups[group].title.text(lang)

    def group_titles(self, lang: str) -> dict[str, str]:
        """``{group: title in lang}`` for every group, in report order."""
        return {g: d.title.text(lang) for g, d in self.groups.items()}

    def status_title(self, status: str, lang: str) -> str:
        """A canonical status's title in ``lang``."""
        return self.statuses[status].title.text(lang)


def normalise_label(label: str) -> str:
    """Lower-case, trim and collapse inner whitespace so labels match loosely."""
    return " ".join(str(label).split()).casefold()


def load_status_map(path: str | Path) -> StatusMap:
    """Read and check a status map file.

    Raises
    ------
    ConfigError
        When the file is missing, not YAML, or incomplete (a canonical status
        missing, no groups, a group without ``positive``, a ``shown`` list
        naming an undefined group, a label listed twice, an unknown key).
    """
    file = paths.resolve(path)
    shown = paths.relative_to_root(file)
    if not file.is_file():
        raise ConfigError("status map not found", file=shown, hint="Check 'status_map' in the configuration.")
    return load_model(file, StatusMap, "the status map", shown=shown, extra={"source": shown})


def map_statuses(labels: pd.Series, status_map: StatusMap) -> pd.Series:
    """Map the programme's labels to canonical statuses.

    Parameters
    ----------
    labels
        Status labels as written in the input (any case, surrounding spaces).
    status_map
        The validated status map.

    Returns
    -------
    pandas.Series
        Canonical status per row (``<NA>`` where the label is not in the map),
        same index as ``labels``.
    """
    lookup = status_map.lookup()
    normalised = labels.astype("string").map(lambda v: normalise_label(v) if isinstance(v, str) else v)
    return normalised.map(lookup).astype("string")
