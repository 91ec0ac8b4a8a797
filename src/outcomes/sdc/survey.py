"""What the experience survey publishes, as relations on base counts; and its protection.

Base counts: answers per survey year, department (``all`` for the whole
programme), item and answer (the four scale steps, "don't know" and blank).
Published (:func:`survey_facts`, used by the publisher and by the auditor):

- n = the four scale steps; agreeing = agree + strongly agree; disagreeing =
  disagree + somewhat agree (unit ``("A", year, department, item)``, with
  the share agreeing and its interval; ``("N", ...)`` for n);
- for all departments, each answer's count (unit ``("S", ..., answer)``) and
  the "don't know" and blank counts (``("X", ..., answer)``);
- departments add up to all departments, answer by answer.

Protection starts from the cell rule of :func:`outcomes.analyses.participants.survey.publishable_survey`
and hides further units until the whole system discloses nothing
(:func:`outcomes.sdc.protect.secondary_suppression`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import cast

import numpy as np
import pandas as pd

from outcomes.analyses.participants.survey import AGREEING, ALL, BLANK, DISAGREEING, DONT_KNOW, SCALE, SECONDARY

from . import blocks
from .facts import interval_facts, ratio_facts, rounding_tolerance, unique, value
from .linear import LinearSystem, Rows, SystemBuilder
from .local import local_units
from .protect import Unit, fact_size, secondary_suppression
from .system import AuditResult, Cell, Fact, check_system

ANSWERS: tuple[str, ...] = (*SCALE, DONT_KNOW, BLANK)
Locate = Callable[[int, str], str]


def answer(year: int, department: str, item: str, which: str) -> tuple[str, int, str, str, str]:
    """The base count of one answer to one item, in one year and department."""
    return ("survey", int(year), str(department), str(item), which)


def _terms(year: int, dept: str, item: str, answers: tuple[str, ...]) -> dict[Hashable, float]:
    return {answer(year, dept, item, a): 1.0 for a in answers}


def survey_facts(table: pd.DataFrame, *, locate: Locate, decimals: int | None = None) -> tuple[list[Fact], list[Cell]]:
    """Everything a survey table publishes (columns of ``downloads/participants_survey.csv``), and the cells it hides."""
    tol = rounding_tolerance(decimals)
    facts: list[Fact] = []
    cells: dict[Hashable, Cell] = {}
    names = [str(c) for c in table.columns]
    for pos, values in enumerate(zip(*(table[c].tolist() for c in table.columns), strict=False)):
        row = dict(zip(names, values, strict=False))
        year, dept, item = int(row["year"]), str(row["department"]), str(row["item"])
        where = f"{year}, {dept}, «{item}»"
        n_terms = _terms(year, dept, item, SCALE)
        agree_terms = _terms(year, dept, item, AGREEING)
        n, agreeing = value(row, "n"), value(row, "agreeing")
        if n is None:
            cells[("n", year, dept, item)] = Cell(("n", year, dept, item), f"survey n {where}", n_terms)
        else:
            facts.append(Fact(n_terms, n, n, locate(pos, "n"), ("N", year, dept, item)))
        unit_a = ("A", year, dept, item)
        if agreeing is None:
            cells[("agreeing", year, dept, item)] = Cell(
                ("agreeing", year, dept, item), f"survey agreeing {where}", agree_terms
            )
        else:
            facts.append(Fact(agree_terms, agreeing, agreeing, locate(pos, "agreeing"), unit_a))
        disagreeing = value(row, "disagreeing")
        if disagreeing is not None:
            facts.append(
                Fact(
                    _terms(year, dept, item, DISAGREEING), disagreeing, disagreeing, locate(pos, "disagreeing"), unit_a
                )
            )
        share = value(row, "share")
        if share is not None and (agreeing is None or n is None):
            facts += ratio_facts(agree_terms, n_terms, share, tol, locate(pos, "share"), unit_a)
        if agreeing is None and n is not None:
            facts += interval_facts(row, agree_terms, n, tol, locate(pos, "ci_low"), unit_a)
        for a in ANSWERS:
            if a not in row:
                continue
            v = value(row, a)
            unit = ("S" if a in SCALE else "X", year, dept, item, a)
            if v is not None:
                facts.append(Fact({answer(year, dept, item, a): 1.0}, v, v, locate(pos, a), unit))
            elif dept == ALL:
                key = ("answer", year, dept, item, a)
                cells[key] = Cell(key, f"survey «{a}» {where}", {answer(year, dept, item, a): 1.0})
    return unique(facts), list(cells.values())


def survey_department_facts(blocks: set[tuple[int, str, str]]) -> list[Fact]:
    """Departments add up to all departments, answer by answer, for every year and item with both."""
    by_item: dict[tuple[int, str], set[str]] = {}
    for year, dept, item in blocks:
        by_item.setdefault((year, item), set()).add(dept)
    facts = []
    for (year, item), depts in sorted(by_item.items()):
        parts = sorted(depts - {ALL})
        if ALL not in depts or not parts:
            continue
        for a in ANSWERS:
            terms: dict[Hashable, float] = {answer(year, ALL, item, a): 1.0}
            terms.update({answer(year, d, item, a): -1.0 for d in parts})
            facts.append(Fact(terms, 0.0, 0.0, f"departments add up to all departments ({year}, «{item}»)"))
    return facts


def survey_base_cells(blocks: set[tuple[int, str, str]], truth: Mapping[Hashable, float] | None = None) -> list[Cell]:
    """One cell per base count of answers."""
    out = []
    for year, dept, item in sorted(blocks):
        for a in ANSWERS:
            var = answer(year, dept, item, a)
            value = None if truth is None else float(truth.get(var, 0.0))
            out.append(Cell(("base", *var[1:]), f"survey «{a}» {year}, {dept}, «{item}»", {var: 1.0}, value))
    return out


def add_survey_base_cells(
    builder: SystemBuilder, blocks: set[tuple[int, str, str]], truth: Mapping[Hashable, float] | None
) -> None:
    """:func:`survey_base_cells`, straight into a system (no objects for the many cells)."""
    variables = [answer(year, dept, item, a) for year, dept, item in sorted(blocks) for a in ANSWERS]
    ids = builder.ids(variables)
    rows = Rows.from_lengths(np.ones(len(ids), np.int64), ids, np.ones(len(ids)))
    values = None if truth is None else np.array([float(truth.get(v, 0.0)) for v in variables])

    def label(i: int) -> str:
        _, year, dept, item, which = variables[i]
        return f"survey «{which}» {year}, {dept}, «{item}»"

    builder.add_cells(rows, [("base", *v[1:]) for v in variables], label, values)


def survey_blocks(table: pd.DataFrame) -> set[tuple[int, str, str]]:
    """The (year, department, item) rows of a survey table."""
    return set(zip(table["year"].astype(int), table["department"].astype(str), table["item"].astype(str), strict=False))


def survey_system(
    table: pd.DataFrame,
    truth: Mapping[Hashable, float] | None = None,
    locate: Locate | None = None,
    decimals: int | None = None,
) -> LinearSystem:
    """What a survey table publishes and hides, with departments adding up, as one system (see :func:`audit_survey`)."""
    columns = [table[c].to_numpy() for c in ("year", "department", "item")]

    def where(pos: int, column: str) -> str:
        return f"survey {' '.join(str(c[pos]) for c in columns)}, {column}"

    facts, cells = survey_facts(table, locate=locate or where, decimals=decimals)
    found = survey_blocks(table)
    facts += survey_department_facts(found)
    if truth is not None:
        cells = [Cell(c.key, c.label, c.terms, truth.get(c.key)) for c in cells]
    builder = SystemBuilder()
    builder.add(facts, cells)
    add_survey_base_cells(builder, found, truth)
    return builder.build()


def audit_survey(
    table: pd.DataFrame,
    threshold: int,
    truth: Mapping[Hashable, float] | None = None,
    locate: Locate | None = None,
    decimals: int | None = None,
    skip: frozenset[Hashable] = frozenset(),
) -> AuditResult:
    """Check a published survey table on its own (``truth``: true values by cell key, when known)."""
    return check_system(
        survey_system(table, truth, locate, decimals), threshold, skip=skip, point=truth, structure=block_of
    )


def block_of(key: Hashable) -> tuple[tuple[int, str, str], str] | None:
    """A survey base count's block (year, department and item) and slot (answer), for :mod:`outcomes.sdc.blocks`."""
    if isinstance(key, tuple) and len(key) == 5 and key[0] == "survey":
        return (key[1], key[2], key[3]), key[4]
    return None


def survey_truth(counts: pd.DataFrame) -> dict[Hashable, float]:
    """True value of every survey cell and base count, from :func:`outcomes.analyses.participants.survey.survey_counts`."""
    out: dict[Hashable, float] = {}
    for row in counts.to_dict(orient="records"):
        year, dept, item = int(row["year"]), str(row["department"]), str(row["item"])
        out[("n", year, dept, item)] = float(row["n"])
        out[("agreeing", year, dept, item)] = float(row["agreeing"])
        for a in ANSWERS:
            var = answer(year, dept, item, a)
            out[var] = out[("base", *var[1:])] = out[("answer", year, dept, item, a)] = float(row[a])
    return out


_SHARE_COLUMNS = ["agreeing", "disagreeing", "share", "ci_low", "ci_high"]


def _hide(out: pd.DataFrame, units: dict[Unit, str]) -> None:
    for unit, reason in units.items():
        _hide_one(out, unit, reason)


def _hide_one(out: pd.DataFrame, unit: Unit, reason: str) -> None:
    kind, year, dept, item = unit[0], unit[1], unit[2], unit[3]
    rows = (out["year"] == year) & (out["department"] == dept) & (out["item"] == item)
    if kind == "N":
        out.loc[rows, ["n", *_SHARE_COLUMNS]] = pd.NA
        out.loc[rows & out["suppressed_n"].isna(), "suppressed_n"] = reason
        out.loc[rows & out["suppressed"].isna(), "suppressed"] = reason
    elif kind == "A":
        out.loc[rows, _SHARE_COLUMNS] = pd.NA
        out.loc[rows & out["suppressed"].isna(), "suppressed"] = reason
    else:
        which = str(unit[4])
        columns = [which] + ([f"share_{which}"] if f"share_{which}" in out else [])
        out.loc[rows, columns] = pd.NA
        out.loc[rows & out[f"suppressed_{which}"].isna(), f"suppressed_{which}"] = reason


def _published_units(out: pd.DataFrame) -> set[Unit]:
    units: set[Unit] = set()
    for row in cast(list[dict[str, object]], out.to_dict(orient="records")):
        year, dept, item = int(cast(int, row["year"])), str(row["department"]), str(row["item"])
        if value(row, "n") is not None:
            units.add(("N", year, dept, item))
        if value(row, "agreeing") is not None or value(row, "share") is not None:
            units.add(("A", year, dept, item))
        for a in ANSWERS:
            if value(row, a) is not None:
                units.add(("S" if a in SCALE else "X", year, dept, item, a))
    return units


_TIER = {"S": 0, "X": 0, "A": 1, "N": 3}


def _cost(unit: Unit, fact: Fact) -> tuple[object, ...]:
    """Single answers first, then a department's agreeing figures, then totals; smallest first."""
    tier = _TIER[str(unit[0])] + (1 if unit[2] == ALL and unit[0] in ("A", "N") else 0)
    return tier, fact_size(fact), repr(unit)


def _whole_item(key: Hashable, published: set[Unit]) -> set[Unit]:
    assert isinstance(key, tuple)
    return {u for u in published if u[1] == int(key[1]) and u[3] == key[3]}


def protect_survey(counts: pd.DataFrame, primary: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Hide further units of a survey table after the cell rule, until nothing small can be worked out.

    Parameters
    ----------
    counts
        :func:`outcomes.analyses.participants.survey.survey_counts` (true values).
    primary
        :func:`outcomes.analyses.participants.survey.publishable_survey` of ``counts`` (the cell rule).
    threshold
        Smallest number of people a published figure may rest on.
    """
    truth = survey_truth(counts)
    out = primary.copy()

    def local(table: pd.DataFrame) -> set[Unit]:
        return local_units(survey_system(table, truth), truth, block_of, threshold, _published_units(table), _cost)

    many = out["department"].nunique() >= blocks.STRUCTURAL_FROM  # fewer departments: no block reasoning to do
    return secondary_suppression(
        out,
        lambda table, safe: audit_survey(table, threshold, truth, skip=safe),
        _published_units,
        _hide,
        _cost,
        _whole_item,
        SECONDARY,
        local=local if many else None,
    )
