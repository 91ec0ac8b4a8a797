"""Canonical follow-up statuses, the programme's labels for them, and derived groups.

The mapping from a programme's own labels to the eight canonical statuses, and
the definition of the derived groups (education, work, education or work,
positive activity, NEET), are data in ``config/status_map.yml``. This module
reads and checks that file and applies it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from outcomes.core import paths
from outcomes.core.errors import ConfigError
from outcomes.core.yamlsafe import read_yaml

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
#: The derived groups every report shows, in order.
GROUPS: tuple[str, ...] = ("education", "work", "education_or_work", "positive_activity", "neet")


class _Text(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    nb: str
    en: str


class StatusDefinition(BaseModel):
    """One canonical status: its titles, description and the labels that mean it."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    title: _Text
    description: _Text
    labels: list[str] = Field(min_length=1)


class GroupDefinition(BaseModel):
    """One derived group: its title and the canonical statuses it contains."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    title: _Text
    statuses: list[str] = Field(min_length=1)


class StatusMap(BaseModel):
    """The validated content of ``status_map.yml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    statuses: dict[str, StatusDefinition]
    groups: dict[str, GroupDefinition]
    source: str = ""

    @model_validator(mode="after")
    def _complete(self) -> StatusMap:
        missing = [s for s in CANONICAL_STATUSES if s not in self.statuses]
        unknown = [s for s in self.statuses if s not in CANONICAL_STATUSES]
        if missing or unknown:
            raise ValueError(
                f"statuses must be exactly {list(CANONICAL_STATUSES)}; missing {missing}, unknown {unknown}"
            )
        missing_groups = [g for g in GROUPS if g not in self.groups]
        if missing_groups:
            raise ValueError(f"groups {missing_groups} are missing")
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

    def group_members(self) -> dict[str, frozenset[str]]:
        """``{group: canonical statuses in it}`` for the reported groups."""
        return {g: frozenset(self.groups[g].statuses) for g in GROUPS}


def normalise_label(label: str) -> str:
    """Lower-case, trim and collapse inner whitespace so labels match loosely."""
    return " ".join(str(label).split()).casefold()


def load_status_map(path: str | Path) -> StatusMap:
    """Read and check a status map file.

    Raises
    ------
    ConfigError
        When the file is missing, not YAML, or incomplete (a canonical status
        or group missing, a label listed twice, an unknown key).
    """
    file = paths.resolve(path)
    shown = paths.relative_to_root(file)
    if not file.is_file():
        raise ConfigError("status map not found", file=shown, hint="Check 'status_map' in the configuration.")
    try:
        data = read_yaml(file, shown=shown) or {}
        return StatusMap.model_validate({**data, "source": shown})
    except yaml.YAMLError as exc:
        raise ConfigError(f"not valid YAML: {exc}", file=shown) from None
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'top level'}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"the status map is not valid: {problems}", file=shown) from None


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
