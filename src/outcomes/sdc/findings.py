"""What a bundle's files give away that the audit's system of linear facts does not read.

- :func:`reason_findings`: a bundle may say that a cell is hidden, never why.
  A published reason is a fact about a hidden number: ``small_count`` says it
  is 0-4, ``complement`` that the rest of its group is 1-4, ``secondary`` that
  it is 5 or more; with the totals beside them, such labels pin some hidden
  counts exactly. A bundle publishes each hidden cell's flag as ``True`` (or
  leaves it empty), and every flag that says more is a finding.
- :func:`cohort_findings`: with the cost-benefit totals published, exactly one
  hidden cohort is the totals minus the others.

A finding keeps the bundle from being published, as a disclosed cell does.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from outcomes.core.disclosure import is_flag

#: The cost-benefit cohorts, whose sum ``summary.json`` publishes.
COHORTS_CSV = "downloads/costbenefit_cohorts.csv"

#: What a flag may read in a published file: hidden (``True``) or shown (empty).
_ALLOWED = {"", "True", "true"}


def _csv_reasons(file: Path, shown: str) -> Iterator[str]:
    """One finding per flag column of a CSV file that says why: its lines, and the first value."""
    with file.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        columns = [i for i, name in enumerate(header) if is_flag(name)]
        if not columns:
            return
        found: dict[int, list[tuple[int, str]]] = {i: [] for i in columns}
        for line, row in enumerate(reader, start=2):
            for i in columns:
                value = row[i].strip() if i < len(row) else ""
                if value not in _ALLOWED:
                    found[i].append((line, value))
    for i, where in found.items():
        if where:
            yield _finding(shown, f"column {header[i]}", where)


def _json_reasons(data: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(where, value) of every flag in JSON data that is neither ``true`` nor ``null``."""
    if isinstance(data, dict):
        for key, value in data.items():
            where = f"{path}.{key}" if path else str(key)
            if is_flag(key) and value is not None and value is not True:
                yield where, str(value)
            else:
                yield from _json_reasons(value, where)
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _json_reasons(value, f"{path}[{i}]")


def _finding(shown: str, column: str, where: list[tuple[int, str]]) -> str:
    line, value = where[0]
    lines = f"line {line}" if len(where) == 1 else f"{len(where)} lines, the first line {line}"
    return (
        f"{shown} {column}: says why cells are hidden ({lines}: '{value}'); a reason tells a reader which hidden "
        f"numbers are small. Publish only that a cell is hidden (True), as `outcomes report` does"
    )


def reason_findings(bundle: Path) -> list[str]:
    """Every place a bundle's downloads (CSV) or ``summary.json`` say why a cell is hidden, as findings.

    Parameters
    ----------
    bundle
        A folder written by ``outcomes report``.

    Returns
    -------
    list of str
        One finding per file and flag column (per file for ``summary.json``),
        naming the file, the column or key, the lines and the first reason found.
    """
    findings: list[str] = []
    for file in sorted((bundle / "downloads").glob("*.csv")):
        findings += _csv_reasons(file, f"downloads/{file.name}")
    summary = bundle / "summary.json"
    if summary.is_file():
        try:
            data = json.loads(summary.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = None  # the audit itself says when summary.json cannot be read
        where = list(_json_reasons(data))
        if where:
            key, value = where[0]
            findings.append(
                f"summary.json {key}: says why a cell is hidden ('{value}'"
                + (f", and {len(where) - 1} more keys" if len(where) > 1 else "")
                + "); a reason tells a reader which hidden numbers are small. Publish only that a cell is hidden"
            )
    return findings


def cohort_findings(bundle: Path, files: list[str]) -> list[str]:
    """With the cost-benefit totals published, exactly one hidden cohort is the totals minus the others."""
    file = bundle / COHORTS_CSV
    if not file.is_file():
        return []
    files.append(COHORTS_CSV)
    with file.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    hidden = [r for r in rows if not (r.get("additional_youths") or "").strip()]
    if len(hidden) == 1 and len(rows) > 1:
        return [
            f"cost-benefit cohort {hidden[0].get('year')}: the only hidden cohort, so the published totals "
            f"(summary.json costbenefit.additional_youths) minus the other cohorts ({COHORTS_CSV}) give it back"
        ]
    return []
