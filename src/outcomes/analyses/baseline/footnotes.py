"""Footnotes of the baseline table: every missing or qualified figure, with what its marker means.

The meanings here are the published English texts of ``footnotes`` in the
JSON and the CSV download; the report's own footnotes are worded from the
translation catalogue (:mod:`outcomes.analyses.baseline.notes`).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from outcomes.analyses.baseline.municipalities import STATUS_MERGED_WITHOUT_COUNTS, STATUS_SPLIT
from outcomes.analyses.baseline.readers.tidy import STATUS_MARKERS
from outcomes.analyses.baseline.region import exclusions_text

#: Status of a footnote that lists the municipalities a region figure left out.
EXCLUDED = "excluded"

#: Meanings of workbench statuses beside the SSB/FHI markers, for footnotes.
STATUS_MEANINGS: dict[str, str] = {
    **STATUS_MARKERS,
    STATUS_SPLIT: "municipality later split; value cannot be allocated",
    STATUS_MERGED_WITHOUT_COUNTS: "merged municipalities published a rate without counts",
    "incomplete": "a part of the region is missing, so the sum would be too small",
    "no_weights": "no population weights for the municipalities with values",
}

FOOTNOTE_COLUMNS = ["indicator", "region_code", "region_name", "period", "status", "meaning"]


def flag_meanings(flags: pd.DataFrame | None) -> dict[tuple[str, str], str]:
    """``(indicator, symbol) -> meaning`` from the publishers' flag lists (columns ``indicator, status, meaning``)."""
    if flags is None or flags.empty:
        return {}
    return {(str(i), str(s)): str(m) for i, s, m in flags[["indicator", "status", "meaning"]].itertuples(index=False)}


def status_footnotes(table: pd.DataFrame, flags: Mapping[tuple[str, str], str] | None = None) -> pd.DataFrame:
    """Every missing or qualified figure, with what its marker means.

    Parameters
    ----------
    table
        Output of :func:`outcomes.analyses.baseline.region.baseline_table`.
    flags
        The publishers' own meaning of symbols per ``(indicator, symbol)``
        (:func:`flag_meanings` of FHI's flag list): used for a symbol the
        workbench does not know; the known markers keep their standard text.

    Returns
    -------
    pandas.DataFrame
        ``indicator, region_code, region_name, period, status, meaning`` for
        rows with a status, plus region rows where municipalities were left
        out (status ``excluded``, meaning lists them as published, e.g.
        ``"left out of the region figure: 3417 (..)"``).
    """
    keys = FOOTNOTE_COLUMNS[:4]
    own = flags or {}
    marked = table.loc[table["status"] != "", [*keys, "status"]]
    marked = marked.assign(
        meaning=[
            STATUS_MEANINGS.get(s) or own.get((i, s), s)
            for i, s in zip(marked["indicator"], marked["status"], strict=True)
        ],
        _order=0,
    )
    left_out = table[(table["level"] == "region") & (table["excluded"].map(len) > 0)]
    left_out = left_out[keys].assign(
        status=EXCLUDED,
        meaning="left out of the region figure: " + left_out["excluded"].map(exclusions_text),
        _order=1,
    )
    # In table order; for one row its own status first, then what the region figure left out.
    notes = pd.concat([marked, left_out]).rename_axis("_row").sort_values(["_row", "_order"], kind="stable")
    if notes.empty:
        return pd.DataFrame(columns=FOOTNOTE_COLUMNS)
    return notes[FOOTNOTE_COLUMNS].reset_index(drop=True)
