"""The disclosure auditor: read a rendered bundle as an outside reader would, and check it.

``outcomes audit reports/<programme>/<year>/`` reads the bundle's files, not
the results in memory: the CSV downloads, ``summary.json`` and the charts'
data inside the pages (values, and the numbers in hover texts). Every count,
and every share or interval with its denominator, becomes a relation on the
base counts (:func:`outcomes.sdc.followup.followup_facts`); departments add
up to the programme. For every hidden count, and every base count, the
smallest and largest number of people consistent with all of it is found
(:func:`outcomes.sdc.system.cell_ranges`). When last year's bundle for the
same programme lies beside this one, what it published is included as well:
late answers change counts between reports, and the change is a subtraction
too.

What it cannot see: what a reader knows from outside the report (that a
particular young person took part, say), and tables that are not about
people (baseline indicators are public statistics).
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from outcomes.core.errors import InputError

from .findings import cohort_findings, reason_findings
from .followup import ALL, department_facts, followup_facts
from .followup_system import add_base_cells, declare_rates
from .linear import SystemBuilder, with_facts
from .system import AuditResult, Cell, CellRange, Fact, check_system

#: The bundle's files that publish numbers about people, besides summary.json and the pages' charts.
_RATES_CSV = "downloads/followup_rates.csv"
_SURVEY_CSV = "downloads/participants_survey.csv"
_SURVEY_CHANGE_CSV = "downloads/participants_survey_change.csv"


@dataclass
class BundleAudit:
    """What the audit of one bundle found."""

    bundle: Path
    threshold: int
    result: AuditResult
    hidden_cells: int
    findings: list[str] = field(default_factory=list)
    files_read: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def disclosed(self) -> list[CellRange]:
        """Hidden or base counts that the published figures pin to a small range."""
        return self.result.disclosed

    @property
    def clean(self) -> bool:
        """Nothing disclosed, nothing inconsistent and no rule broken."""
        return not self.disclosed and not self.findings and not self.result.inconsistent

    def summary(self) -> dict[str, Any]:
        """Plain data for ``summary.json`` and the methods page."""
        narrow = self.result.narrowest
        return {
            "clean": self.clean,
            "threshold": self.threshold,
            "hidden_cells": self.hidden_cells,
            "cells_checked": self.result.cells_checked,
            "disclosed": len(self.disclosed) + len(self.findings),
            # Ranges not solved were shown to be at least the threshold wide by cheaper evidence.
            "narrowest_range": None if narrow is None else int(narrow.width),
            "files_read": self.files_read,
            "notes": self.notes,
        }

    def report(self, limit: int = 20) -> str:
        """The audit's findings as text for the terminal (Norwegian-independent, plain)."""
        s = self.summary()
        lines = [
            f"Disclosure audit of {self.bundle}",
            f"  threshold {self.threshold}; read {', '.join(self.files_read)}",
            f"  hidden cells {s['hidden_cells']}; cells checked {s['cells_checked']}; narrowest range "
            + ("(none needed solving)" if s["narrowest_range"] is None else str(s["narrowest_range"])),
        ]
        for message in self.notes:
            lines.append(f"  note: {message}")
        for message in self.result.inconsistent + self.findings:
            lines.append(f"  PROBLEM {message}")
        for found in self.disclosed[:limit]:
            lines.append(f"  DISCLOSED {found.cell.label}: between {int(found.low)} and {int(found.high)} people")
            for w in found.witnesses[:8]:
                lines.append(f"      given away by {w.source}")
        if len(self.disclosed) > limit:
            lines.append(f"  ... and {len(self.disclosed) - limit} more disclosed cells")
        lines.append(
            "  result: " + ("clean" if self.clean else f"{len(self.disclosed) + len(self.findings)} disclosed")
        )
        return "\n".join(lines)


def _read_csv(file: Path) -> pd.DataFrame:
    text = file.read_text(encoding="utf-8")
    return pd.read_csv(
        io.StringIO(text),
        dtype={"department": "string", "group": "string", "treatment": "string"},
        keep_default_na=True,
    )


def _locate_csv(
    name: str, table: pd.DataFrame, columns: tuple[str, ...] = ("followup_year", "department", "group", "treatment")
) -> Any:
    values = [table[c].to_numpy() for c in columns if c in table]

    def locate(pos: int, column: str) -> str:
        label = " ".join(str(v[pos]) for v in values)  # worked out only for the few values a finding names
        return f"{name} line {pos + 2} ({label}), column {column}"

    return locate


def _groups(summary: Mapping[str, Any], status_map: Path | None) -> tuple[dict[str, list[str]], set[str]]:
    declared = (summary.get("followup") or {}).get("groups")
    if declared:
        return (
            {g: list(v["statuses"]) for g, v in declared.items()},
            {g for g, v in declared.items() if v.get("positive")},
        )
    # Bundles made before the groups were published: the reader takes them from the methods page,
    # which prints the status map's definitions; the auditor reads the same map.
    from outcomes.analyses.followup.rates import POSITIVE_GROUPS
    from outcomes.registries.statuses import load_status_map

    members = load_status_map(status_map or "config/status_map.yml").group_members()
    return {g: sorted(m) for g, m in members.items()}, set(POSITIVE_GROUPS)


def _headline_rows(summary: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The follow-up figures ``summary.json`` repeats (headline and bounds) as table rows."""
    followup = summary.get("followup") or {}
    rows = []
    for treatment, block in [("respondents", followup.get("headline"))] + list((followup.get("bounds") or {}).items()):
        if not block or not block.get("available"):
            continue
        for group, g in (block.get("groups") or {}).items():
            rows.append(
                {
                    "followup_year": block["year"],
                    "department": ALL,
                    "group": group,
                    "treatment": block.get("treatment", treatment),
                    "contacted": block.get("contacted"),
                    "responded": block.get("responded"),
                    "response_rate": block.get("response_rate"),
                    **{k: g.get(k) for k in ("count", "denominator", "share", "ci_low", "ci_high")},
                }
            )
    return rows


_PLOT = re.compile(r"Plotly\.newPlot\(\s*\"([^\"]+)\"\s*,\s*")
_N = re.compile(r"n\s*=\s*([0-9][0-9\s\u00a0\u202f.,]*)")


def chart_traces(html: str) -> list[tuple[str, dict[str, Any]]]:
    """Every plotly trace drawn in a page, with its figure's element id."""
    decoder = json.JSONDecoder()
    out: list[tuple[str, dict[str, Any]]] = []
    for match in _PLOT.finditer(html):
        try:
            data, _ = decoder.raw_decode(html, match.end())
        except json.JSONDecodeError:
            continue
        out.extend((match.group(1), trace) for trace in data if isinstance(trace, dict))
    return out


def _number(text: str) -> float | None:
    digits = re.sub(r"[\s\u00a0\u202f.,]", "", text)
    return float(digits) if digits.isdigit() else None


def _chart_rows(page: str, html: str) -> list[tuple[dict[str, Any], str]]:
    """Rows of the follow-up table that the charts of a page publish (share in percent to 2 decimals)."""
    rows = []
    for fig_id, trace in chart_traces(html):
        cells = (trace.get("meta") or {}).get("cells") if isinstance(trace.get("meta"), dict) else None
        if not cells:
            continue
        values = trace.get("x") if trace.get("orientation") == "h" else trace.get("y")
        hovers = trace.get("hovertext") or [None] * len(cells)
        for i, key in enumerate(cells):
            if key is None or values is None or i >= len(values):
                continue
            row: dict[str, Any] = {"followup_year": key["year"], "department": key["department"]}
            value = values[i]
            share = None if value is None else float(value) / 100
            n_match = _N.search(hovers[i] or "") if i < len(hovers) else None
            n = _number(n_match.group(1)) if n_match else None
            if key.get("group"):
                row.update(group=key["group"], treatment=key["treatment"], share=share, denominator=n)
            else:
                row.update(response_rate=share)
            rows.append((row, f"{page} chart {fig_id} point {i + 1}"))
    return rows


def _facts_from_rows(
    rows: list[tuple[dict[str, Any], str]],
    groups: Mapping[str, Collection[str]],
    positive: Collection[str],
    decimals: int,
) -> list[Fact]:
    if not rows:
        return []
    table = pd.DataFrame([r for r, _ in rows])
    where = [w for _, w in rows]
    facts, _ = followup_facts(
        table, groups, positive, locate=lambda pos, col: f"{where[pos]}, {col}", decimals=decimals
    )
    return facts


def _renamed(facts: Iterable[Fact], tag: str) -> list[Fact]:
    """Last year's figures are about the same people, but counted at another time: their own base counts."""

    def var(v: Hashable) -> Hashable:
        return (*v, tag) if isinstance(v, tuple) else (v, tag)

    return [
        Fact({var(k): c for k, c in f.terms.items()}, f.low, f.high, f"last year's bundle: {f.source}", None)
        for f in facts
    ]


def _late_answer_facts(years: Iterable[tuple[int, str]], tag: str) -> list[Fact]:
    """Between two reports only late answers move people: no answered status shrinks, contacted stays."""
    from outcomes.registries.statuses import CANONICAL_STATUSES, NO_RESPONSE

    from .followup import base

    facts = []
    for year, dept in years:
        for s in CANONICAL_STATUSES:
            now, before = base(year, dept, s), (*base(year, dept, s), tag)
            if s == NO_RESPONSE:
                continue
            facts.append(
                Fact({now: 1.0, before: -1.0}, 0.0, float("inf"), f"late answers only add ({year}, {dept}, {s})")
            )
        contacted_now: dict[Hashable, float] = {base(year, dept, s): 1.0 for s in CANONICAL_STATUSES}
        contacted_now.update({(*base(year, dept, s), tag): -1.0 for s in CANONICAL_STATUSES})
        facts.append(Fact(contacted_now, 0.0, 0.0, f"the same people were contacted ({year}, {dept})"))
    return facts


def _survey_system(
    bundle: Path, summary: Mapping[str, Any], files: list[str]
) -> tuple[list[Fact], list[Cell], set[tuple[int, str, str]]]:
    """The survey table, the table of change since last year and the survey figures in ``summary.json``."""
    # Longer than 60 lines: one declaration per survey figure the bundle publishes, in page order.
    from .survey import survey_blocks, survey_facts

    facts: list[Fact] = []
    cells: list[Cell] = []
    blocks: set[tuple[int, str, str]] = set()
    file = bundle / _SURVEY_CSV
    if file.is_file():
        files.append(_SURVEY_CSV)
        table = pd.read_csv(file, dtype={"department": "string", "item": "string"})
        f, c = survey_facts(table, locate=_locate_csv(_SURVEY_CSV, table, ("year", "department", "item")), decimals=6)
        facts, cells, blocks = f, c, survey_blocks(table)
    survey = ((summary.get("participants") or {}).get("headline") or {}).get("survey") or {}
    year = survey.get("year")
    rows: list[tuple[dict[str, Any], str]] = []
    for key in ("lowest", "highest"):
        pick = survey.get(key)
        if year is not None and pick:
            rows.append(
                (
                    {
                        "year": year,
                        "department": ALL,
                        "item": pick["item"],
                        "n": pick.get("n"),
                        "share": pick.get("share"),
                    },
                    f"summary.json participants.headline.survey.{key}",
                )
            )
    change = bundle / _SURVEY_CHANGE_CSV
    if change.is_file() and year is not None:
        files.append(_SURVEY_CHANGE_CSV)
        table = pd.read_csv(change, dtype={"department": "string", "item": "string"})
        for pos, r in enumerate(table.to_dict(orient="records")):
            where = f"{_SURVEY_CHANGE_CSV} line {pos + 2}"
            rows.append(
                (
                    {
                        "year": year,
                        "department": r["department"],
                        "item": r["item"],
                        "n": r.get("n"),
                        "share": r.get("share"),
                        "ci_low": r.get("ci_low"),
                        "ci_high": r.get("ci_high"),
                    },
                    where,
                )
            )
            rows.append(
                (
                    {
                        "year": int(year) - 1,
                        "department": r["department"],
                        "item": r["item"],
                        "share": r.get("previous_share"),
                    },
                    where + " (previous_share)",
                )
            )
    if rows:
        table = pd.DataFrame([r for r, _ in rows])
        where_list = [w for _, w in rows]
        f, _ = survey_facts(table, locate=lambda pos, col: f"{where_list[pos]}, {col}", decimals=6)
        facts += f
        blocks |= survey_blocks(table)
    return facts, cells, blocks


@dataclass
class _Read:
    """What one bundle publishes, as read from its files: facts and hidden cells, and where they are."""

    builder: SystemBuilder
    blocks: set[tuple[int, str]]
    survey_blocks: set[tuple[int, str, str]]
    files: list[str]
    threshold: int
    year: int


def _bundle_system(bundle: Path, status_map: Path | None) -> _Read:
    summary_file = bundle / "summary.json"
    try:
        summary = json.loads(summary_file.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(
            f"cannot read the bundle's summary.json: {exc}",
            file=str(summary_file),
            expected="a bundle written by `outcomes report`",
        ) from None
    files = ["summary.json"]
    threshold = int(
        (summary.get("followup") or {}).get("disclosure_threshold")
        or (summary.get("provenance") or {}).get("config", {}).get("disclosure_threshold")
        or 5
    )
    groups, positive = _groups(summary, status_map)
    builder = SystemBuilder()
    blocks: set[tuple[int, str]] = set()
    rates_file = bundle / _RATES_CSV
    if rates_file.is_file():
        files.append(_RATES_CSV)
        table = _read_csv(rates_file)
        blocks |= set(
            declare_rates(builder, table, groups, positive, locate=_locate_csv(_RATES_CSV, table), decimals=6)
        )
    head = [(row, f"summary.json followup {row['treatment']} {row['group']}") for row in _headline_rows(summary)]
    builder.add(_facts_from_rows(head, groups, positive, 6))
    for row, _ in head:
        blocks.add((int(row["followup_year"]), ALL))
    for page in sorted(bundle.glob("*.html")):
        rows = _chart_rows(page.name, page.read_text(encoding="utf-8"))
        if rows:
            files.append(page.name)
            builder.add(_facts_from_rows(rows, groups, positive, 4))
            blocks |= {(int(r["followup_year"]), str(r["department"])) for r, _ in rows}
    s_facts, s_cells, s_blocks = _survey_system(bundle, summary, files)
    if s_blocks:
        from .survey import survey_department_facts

        builder.add(s_facts + survey_department_facts(s_blocks), s_cells)
    return _Read(builder, blocks, s_blocks, files, threshold, int(summary.get("report_year") or 0))


def previous_facts(
    before: Path, blocks: set[tuple[int, str]], status_map: Path | None = None
) -> tuple[list[Fact], list[str]]:
    """What last year's bundle published about the follow-up years this one shows, linked by late answers.

    Its base counts are its own (the same people, counted a year earlier):
    between the two reports no answered status shrinks and the same people
    were contacted. Returns the facts and the files read; nothing when it
    cannot be read (an older or damaged bundle).
    """
    try:
        read = _bundle_system(before, status_map)
    except (InputError, OSError, ValueError, KeyError, TypeError, AttributeError):
        return [], []  # an older or damaged bundle: it cannot be read as this version writes them
    shared = blocks & read.blocks
    if not shared:
        return [], []
    published = read.builder.build()
    p_facts = [published.fact(i) for i in range(len(published.facts))] + department_facts(read.blocks)
    p_files = read.files
    keep = {("followup", y, d) for y, d in shared}  # the survey is asked once: only the follow-up is compared

    def inside(terms: Mapping[Hashable, float]) -> bool:
        return all(isinstance(v, tuple) and v[:3] in keep for v in terms)

    facts = _renamed([f for f in p_facts if inside(f.terms)], "previous")
    return facts + _late_answer_facts(sorted(shared), "previous"), p_files


def audit_bundle(bundle: str | Path, previous: str | Path | None = None, status_map: Path | None = None) -> BundleAudit:
    """Audit everything a bundle publishes (and last year's bundle beside it, if there is one).

    Parameters
    ----------
    bundle
        A folder written by ``outcomes report`` (``summary.json``, pages, ``downloads/``).
    previous
        Last year's bundle for the same programme; by default ``../<year - 1>`` when present.
    status_map
        Status map for bundles that do not publish their group definitions.

    Raises
    ------
    InputError
        When the folder is not a bundle.
    """
    folder = Path(bundle)
    if not (folder / "summary.json").is_file():
        raise InputError(
            "not a report bundle (no summary.json)",
            file=str(folder),
            expected="a folder written by `outcomes report`, e.g. reports/<programme>/<year>/",
        )
    read = _bundle_system(folder, status_map)
    blocks, files, threshold, builder = read.blocks, read.files, read.threshold, read.builder
    hidden = builder.cell_count
    builder.add(department_facts(blocks))
    add_base_cells(builder, blocks)
    if read.survey_blocks:
        from .survey import add_survey_base_cells

        add_survey_base_cells(builder, read.survey_blocks, None)
    own = builder.build()
    before = Path(previous) if previous is not None else folder.parent / str(read.year - 1)
    p_facts: list[Fact] = []
    if before.resolve() != folder.resolve() and (before / "summary.json").is_file():
        p_facts, p_files = previous_facts(before, blocks, status_map)
        files += [f"{before.name}/{f}" for f in p_files]
    # Only this bundle's cells are checked, and of those only what this bundle adds: a cell that last
    # year's bundle gives away on its own is that bundle's finding (`outcomes audit` on it), not this one's.
    exempt: frozenset[Hashable] = frozenset()
    notes: list[str] = []
    if p_facts:
        alone = check_system(with_facts(own, p_facts + department_facts(blocks), keep=False), threshold)
        exempt = frozenset(r.cell.key for r in alone.disclosed)
        if exempt:
            notes.append(
                f"{before.name}: gives away {len(exempt)} cells on its own, whatever this bundle publishes; "
                f"audit it with `outcomes audit {before}` and consider withdrawing it"
            )
    result = check_system(with_facts(own, p_facts), threshold, exempt=exempt)
    if result.inconsistent and p_facts:
        # Last year's figures differ by more than late answers (records were corrected): a reader
        # cannot link the two reports that way either, so each is checked on its own.
        result = check_system(own, threshold)
        notes = [f"{before.name}: differs from this bundle by more than late answers; not linked"]
    findings = cohort_findings(folder, files) + reason_findings(folder)
    if p_facts:  # last year's reasons are facts about the same people, which the system does not read
        findings += [f"{before.name}/{f}" for f in reason_findings(before)]
    return BundleAudit(folder, threshold, result, hidden, findings, files, notes)
