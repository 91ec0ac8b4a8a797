"""What the follow-up tables publish, as relations on base counts; and their protection.

Base counts: people per follow-up year, department (``all`` for the whole
programme) and canonical status, no response included. Every published
follow-up number is a linear form of them (the declaration is
:func:`followup_facts`, used both by the publisher and by the auditor that
reads a bundle):

- contacted = all statuses; responded = all statuses but no response;
- a group's count among respondents = its statuses; under the ``negative``
  treatment non-respondents are added to the groups that are not positive,
  under ``positive`` to the positive ones; the denominator is responded
  (``respondents``) or contacted;
- a share (or a response rate) rounded to some decimals bounds count /
  denominator; an interval bound, with its denominator published, bounds the count;
- departments add up to all departments, status by status.

Protection (:func:`protect_followup`) hides *units*: a group's figures in
one year and department (count, share, interval, under all three
treatments, which differ only by the number of non-respondents), the
responded figures of a year and department, or its contacted figures.
Primary suppression hides the units the cell rule forbids; then, as long as
the whole system discloses a cell (:func:`outcomes.sdc.system.cell_ranges`),
one of the published units that pin it is hidden too, a department's group
before a programme total. How many did not answer is not treated as
sensitive: it says nothing about any young person's situation.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Mapping, Sequence
from typing import cast

import numpy as np
import pandas as pd

from outcomes.analyses.followup.rates import ALL
from outcomes.core.disclosure import DEFAULT_THRESHOLD, suppression_reasons
from outcomes.core.errors import ReportBuildError
from outcomes.registries.statuses import CANONICAL_STATUSES, NO_RESPONSE

from . import blocks
from .followup_system import Var, add_base_cells, base, block_of, declare_rates, group_form, true_values
from .linear import LinearSystem, SystemBuilder
from .local import local_units
from .protect import CannotProtectError, Unit, fact_size, secondary_suppression
from .system import AuditResult, Cell, Fact, check_system

__all__ = [
    "SECONDARY",
    "audit_table",
    "base",
    "base_cells",
    "base_counts",
    "department_facts",
    "disclosed_elsewhere",
    "followup_facts",
    "group_form",
    "protect_followup",
    "true_values",
]

#: Reason given to cells hidden so that others cannot be worked out.
SECONDARY = "secondary"

Locate = Callable[[int, str], str]


def followup_facts(
    table: pd.DataFrame,
    groups: Mapping[str, Collection[str]],
    positive: Collection[str],
    *,
    locate: Locate,
    decimals: int | None = None,
) -> tuple[list[Fact], list[Cell]]:
    """Everything a follow-up rates table publishes, and the cells it hides, as objects.

    Parameters
    ----------
    table
        Rows as published (columns of :data:`outcomes.analyses.followup.rates.RATE_COLUMNS`;
        missing values are hidden cells). Any subset of rows and columns.
    groups
        ``{group: canonical statuses}`` and the names of the ``positive`` groups.
    locate
        ``locate(row position, column)`` says where a value was published.
    decimals
        Decimals shares were rounded to (``None``: unrounded).

    Returns
    -------
    (facts, cells)
        Facts with units ``("G", year, department, group)``, ``("R", year,
        department)`` and ``("C", year, department)``; cells for the hidden
        counts, contacted and responded figures (base counts are added by
        :func:`base_cells`). Whole tables are declared as arrays instead
        (:func:`outcomes.sdc.followup_system.declare_rates`).
    """
    builder = SystemBuilder()
    declare_rates(builder, table, groups, positive, locate=locate, decimals=decimals)
    system = builder.build()
    return [system.fact(i) for i in range(len(system.facts))], [system.cell(j) for j in range(len(system.cells))]


def department_facts(blocks: Collection[tuple[int, str]]) -> list[Fact]:
    """Departments add up to all departments, status by status, in every year with both."""
    by_year: dict[int, list[str]] = {}
    for year, dept in blocks:
        by_year.setdefault(int(year), []).append(str(dept))
    facts = []
    for year, depts in sorted(by_year.items()):
        parts = sorted(set(depts) - {ALL})
        if ALL not in depts or not parts:
            continue
        for s in CANONICAL_STATUSES:
            terms: dict[Hashable, float] = {base(year, ALL, s): 1.0}
            terms.update({base(year, d, s): -1.0 for d in parts})
            facts.append(Fact(terms, 0.0, 0.0, f"departments add up to all departments ({year})"))
    return facts


def base_cells(blocks: Collection[tuple[int, str]], truth: Mapping[Hashable, float] | None = None) -> list[Cell]:
    """One cell per base count of people who answered (non-response is not sensitive)."""
    out = []
    for year, dept in sorted(set(blocks)):
        for s in CANONICAL_STATUSES:
            if s == NO_RESPONSE:
                continue
            var = base(year, dept, s)
            value = None if truth is None else float(truth.get(var, 0.0))
            out.append(Cell(("base", year, dept, s), f"{s} {year}, {dept}", {var: 1.0}, value))
    return out


def base_counts(records: pd.DataFrame) -> dict[Var, float]:
    """True base counts (all departments included) from follow-up records."""
    out: dict[Var, float] = {}
    for frame in (records.assign(department=ALL), records):
        counts = frame.groupby(["followup_year", "department", "status"], observed=True).size()
        for (year, dept, status), n in zip(counts.index.tolist(), counts.tolist(), strict=True):
            out[base(int(year), str(dept), str(status))] = float(n)
    return out


def _where_in_memory(table: pd.DataFrame) -> Locate:
    columns = [table[c].to_numpy() for c in ("followup_year", "department", "group", "treatment")]

    def locate(pos: int, column: str) -> str:
        return f"follow-up {' '.join(str(c[pos]) for c in columns)}, {column}"

    return locate


def table_system(
    table: pd.DataFrame,
    groups: Mapping[str, Collection[str]],
    positive: Collection[str],
    truth: Mapping[Hashable, float] | None = None,
    linked: Collection[str] = (),
    extra: Sequence[Fact] = (),
) -> LinearSystem:
    """What a rates table publishes and hides, with departments adding up, as one system (see :func:`audit_table`)."""
    builder = SystemBuilder()
    blocks = set(declare_rates(builder, table, groups, positive, locate=_where_in_memory(table), truth=truth))
    builder.add(department_facts(blocks))
    years = sorted({y for y, d in blocks if d == ALL})
    known: Mapping[Hashable, float] = truth or {}
    for group in linked if truth is not None and years else ():
        form = group_form(groups[group], group in positive, "respondents")
        terms: dict[Hashable, float] = {base(y, ALL, s): c for y in years for s, c in form.items()}
        total = sum(known.get(("count", y, ALL, group, "respondents"), 0.0) for y in years)
        builder.add([Fact(terms, total, total, f"cost-benefit: {group} summed over the years")])
    builder.add(extra)
    add_base_cells(builder, blocks, truth)
    return builder.build()


def audit_table(
    table: pd.DataFrame,
    groups: Mapping[str, Collection[str]],
    positive: Collection[str],
    threshold: int,
    truth: Mapping[Hashable, float] | None = None,
    linked: Collection[str] = (),
    extra: Sequence[Fact] = (),
    exempt: Collection[Hashable] = (),
    skip: Collection[Hashable] = (),
) -> AuditResult:
    """Check a published rates table on its own; ``truth`` gives true values by cell key when known.

    With ``truth``, the sum over the years of each ``linked`` group's count
    among respondents (all departments) is treated as published too.
    ``extra`` are facts published elsewhere (last year's bundle); cells in
    ``exempt`` are disclosed there already and are not counted.
    """
    system = table_system(table, groups, positive, truth, linked, extra)
    return check_system(system, threshold, exempt=exempt, skip=skip, point=truth, structure=block_of)


def disclosed_elsewhere(
    table: pd.DataFrame,
    groups: Mapping[str, Collection[str]],
    positive: Collection[str],
    threshold: int,
    extra: Sequence[Fact],
) -> frozenset[Hashable]:
    """Cells that ``extra`` (last year's bundle) discloses even if this table published nothing at all.

    Hiding more this year cannot protect them: they are left to last year's
    bundle's own audit, and not counted against this one.
    """
    if not extra:
        return frozenset()
    nothing = table[["followup_year", "department", "group", "treatment"]].copy()
    found = audit_table(nothing, groups, positive, threshold, None, (), extra).disclosed
    return frozenset(r.cell.key for r in found)


# ------------------------------------------------------------------ protection

_GROUP_COLUMNS = ["count", "share", "ci_low", "ci_high"]


def _hide(out: pd.DataFrame, units: Mapping[Unit, str]) -> None:
    """Hide units in place (and what each implies), recording its reason where no reason is given yet.

    A group unit hides that group's figures under all treatments; a responded
    unit (``R``) all group figures of its year and department and the responded
    figures; a contacted unit (``C``) those and the contacted figures. Where
    several units hide the same figure, the first one's reason is kept.
    """
    if not units:
        return
    rows = _RowIndex(out)
    n = len(out)
    reasons = {key: np.full(n, None, dtype=object) for key in ("group", "response", "contacted")}
    denominator = np.zeros(n, dtype=bool)

    def mark(key: str, where: np.ndarray, reason: str) -> None:
        target = reasons[key]
        target[where[pd.isna(target[where])]] = reason

    for unit, reason in units.items():
        kind, block = unit[0], rows.block(cast(int, unit[1]), str(unit[2]))
        if kind == "G":
            mark("group", block[rows.group[block] == str(unit[3])], reason)
            continue
        mark("group", block, reason)
        mark("response", block, reason)
        denominator[block[rows.respondents[block]]] = True
        if kind == "C":
            mark("contacted", block, reason)
            denominator[block] = True
    for key, columns, reason_column in (
        ("group", _GROUP_COLUMNS, "suppressed"),
        ("response", ["responded", "response_rate"], "suppressed_response"),
        ("contacted", ["contacted"], "suppressed_contacted"),
    ):
        hit = ~pd.isna(reasons[key])
        if not hit.any():
            continue
        for column in columns:
            out[column] = out[column].mask(hit)
        new = pd.Series(reasons[key], index=out.index, dtype="string")
        out[reason_column] = out[reason_column].fillna(new)
    if denominator.any():
        out["denominator"] = out["denominator"].mask(denominator)


class _RowIndex:
    """The rows of a rates table by year and department, found by sorting once."""

    def __init__(self, out: pd.DataFrame) -> None:
        years = out["followup_year"].to_numpy().astype(np.int64)
        dept_codes, depts = pd.factorize(out["department"].to_numpy(dtype=object))
        depts = depts.astype(str)
        self.group = out["group"].to_numpy(dtype=object).astype(str)
        self.respondents = out["treatment"].to_numpy(dtype=object) == "respondents"
        codes, combined = pd.factorize(years * (len(depts) + 1) + dept_codes)
        self.code = {
            (int(c) // (len(depts) + 1), str(depts[int(c) % (len(depts) + 1)])): i for i, c in enumerate(combined)
        }
        self.order = np.argsort(codes, kind="stable")
        self.bounds = np.searchsorted(codes[self.order], np.arange(len(combined) + 1))

    def block(self, year: int, department: str) -> np.ndarray:
        """Positions of the rows of one year and department."""
        c = self.code.get((int(year), str(department)))
        return self.order[self.bounds[c] : self.bounds[c + 1]] if c is not None else np.zeros(0, dtype=np.int64)


def _published_units(out: pd.DataFrame) -> set[Unit]:
    years = out["followup_year"].astype(int).to_numpy()
    depts = out["department"].astype(str).to_numpy()
    units: set[Unit] = set()
    shown = out["count"].notna().to_numpy()
    units.update(
        zip(
            ["G"] * int(shown.sum()),
            years[shown].tolist(),
            depts[shown].tolist(),
            out["group"].to_numpy()[shown].tolist(),
            strict=False,
        )
    )
    for kind, column in (("R", "responded"), ("C", "contacted")):
        shown = out[column].notna().to_numpy()
        units.update(zip([kind] * int(shown.sum()), years[shown].tolist(), depts[shown].tolist(), strict=False))
    return units


def _primary(rates: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """The cell rule, applied to whole units."""
    out = rates.copy()
    for column in ("count", "contacted", "responded", "denominator"):  # whole people, written without ".0"
        out[column] = out[column].astype("Int64")
    for column in ("share", "ci_low", "ci_high", "response_rate"):
        out[column] = out[column].astype("Float64")
    out["suppressed"] = suppression_reasons(out["count"], out["denominator"], threshold)
    out["suppressed_response"] = pd.Series(pd.NA, index=out.index, dtype="string")
    out["suppressed_contacted"] = pd.Series(pd.NA, index=out.index, dtype="string")
    units: dict[Unit, str] = {}
    keys = ["followup_year", "department", "group"]
    first = out[out["suppressed"].notna()].drop_duplicates(keys).sort_values(keys, kind="stable")
    for year, dept, group, reason in zip(
        first["followup_year"].tolist(),
        first["department"].tolist(),
        first["group"].tolist(),
        first["suppressed"].tolist(),
        strict=False,
    ):
        units[("G", int(year), str(dept), group)] = str(reason)
    blocks = out.drop_duplicates(["followup_year", "department"])
    for year, dept, contacted, responded in zip(
        blocks["followup_year"].tolist(),
        blocks["department"].tolist(),
        blocks["contacted"].tolist(),
        blocks["responded"].tolist(),
        strict=True,
    ):
        if contacted < threshold:
            units[("C", int(year), str(dept))] = "small_denominator"
        elif responded < threshold:
            units[("R", int(year), str(dept))] = "small_denominator"
    _hide(out, units)
    return out


_TIER = {("G", False): 0, ("G", True): 1, ("R", False): 2, ("C", False): 3, ("R", True): 4, ("C", True): 5}


def _cost(unit: Unit, fact: Fact) -> tuple[object, ...]:
    """A department's group first, then a programme total; the smallest figure first."""
    return _TIER[(str(unit[0]), unit[2] == ALL)], fact_size(fact), repr(unit)


def _whole_year(key: Hashable, published: set[Unit]) -> set[Unit]:
    assert isinstance(key, tuple)
    return {u for u in published if u[1] == int(key[1])}


def protect_followup(
    rates: pd.DataFrame,
    truth: Mapping[Var, float],
    groups: Mapping[str, Collection[str]],
    positive: Collection[str],
    threshold: int = DEFAULT_THRESHOLD,
    linked: Collection[str] = (),
    previous: Sequence[Fact] = (),
    max_rounds: int = 200,
) -> pd.DataFrame:
    """Hide what the cell rule forbids, then what would let anyone work it out.

    Parameters
    ----------
    rates
        :func:`outcomes.analyses.followup.rates.followup_rates` (unsuppressed, departments included).
    truth
        True base counts (:func:`base_counts`).
    groups, positive
        ``{group: statuses}`` and the positive groups.
    threshold
        Smallest number of people a published figure may rest on.
    linked
        Groups whose all-department figures are also summed over the years
        elsewhere in the bundle (the cost-benefit outcome group: its total
        of additional youths is published). The sum over the years of the
        group's count among respondents is then treated as published, so a
        single hidden year cannot be worked out from the total.
    previous
        What last year's bundle published about the same follow-up years
        (:func:`outcomes.sdc.bundle.previous_facts`); ignored when it cannot be
        reconciled with this year's counts by late answers alone.

    Returns
    -------
    pandas.DataFrame
        ``rates`` with hidden cells missing, ``suppressed`` (reason for a
        group's figures: ``small_count``, ``small_denominator``,
        ``complement`` or ``secondary``), ``suppressed_response`` (for the
        responded figures and response rate) and ``suppressed_contacted``.
    """
    out = _primary(rates, threshold)
    known = true_values(rates, truth)
    if previous and audit_table(out, groups, positive, threshold, known, linked, previous).inconsistent:
        previous = ()  # records were corrected, not only answered late: the two reports are not linked that way
    exempt = disclosed_elsewhere(out, groups, positive, threshold, previous)
    out = _protect_years(out, known, groups, positive, threshold, previous, exempt, max_rounds)
    totals = out[(out["department"] == ALL) & out["group"].isin(list(linked)) & (out["treatment"] == "respondents")]
    if not totals["count"].isna().any():
        return out  # every year's total is published: the sum over the years tells nothing more
    try:
        out = secondary_suppression(
            out,
            lambda table, safe: audit_table(table, groups, positive, threshold, known, linked, previous, exempt, safe),
            _published_units,
            _hide,
            _cost,
            _whole_year,
            SECONDARY,
            max_rounds,
        )
    except CannotProtectError as exc:
        hint = (
            "The cost-benefit section sums the outcome group over all years, and that sum cannot be hidden. "
            "Leave 'costbenefit' out of `sections` for this programme, or report more years together."
        )
        if previous:
            hint += (
                " Last year's bundle takes part: it publishes figures this year's protection hides. Render "
                "last year's report again with this version (or withdraw it), then run this one."
            )
        raise ReportBuildError(
            f"the cost-benefit section's totals would give away a small number: {exc}", hint=hint
        ) from None
    return _never_one_year_alone(out, linked)


def _protect_years(
    out: pd.DataFrame,
    known: Mapping[Hashable, float],
    groups: Mapping[str, Collection[str]],
    positive: Collection[str],
    threshold: int,
    previous: Sequence[Fact],
    exempt: Collection[Hashable],
    max_rounds: int,
) -> pd.DataFrame:
    """Each follow-up year protected on its own (years share no base count unless a linked total ties them).

    A year with many departments first hides what its blocks alone give
    away (:func:`outcomes.sdc.local.local_units`), then what the whole
    year's audit finds; a smaller year goes straight to the audit.
    """
    years = []
    for year, part in out.groupby("followup_year", sort=True):
        mine = [f for f in previous if all(isinstance(v, tuple) and v[1] == year for v in f.terms)]

        def audit(table: pd.DataFrame, safe: frozenset[Hashable], mine: list[Fact] = mine) -> AuditResult:
            return audit_table(table, groups, positive, threshold, known, (), mine, exempt, safe)

        def local(table: pd.DataFrame, mine: list[Fact] = mine) -> set[Unit]:
            system = table_system(table, groups, positive, known, (), mine)
            return local_units(system, known, block_of, threshold, _published_units(table), _cost)

        many = part["department"].nunique() >= blocks.STRUCTURAL_FROM  # a smaller year has no block reasoning to do
        years.append(
            secondary_suppression(
                part.copy(),
                audit,
                _published_units,
                _hide,
                _cost,
                _whole_year,
                SECONDARY,
                max_rounds,
                local=local if many else None,
            )
        )
    return pd.concat(years).loc[out.index] if years else out


def _never_one_year_alone(out: pd.DataFrame, linked: Collection[str]) -> pd.DataFrame:
    """With a group's sum over the years published, hide a second year's total when only one is hidden.

    The linear programme already keeps every small number safe; this also
    keeps the hidden year's total itself from being the sum minus the others
    (the audit's rule for the cost-benefit cohorts).
    """
    for group in linked:
        rows = out[(out["department"] == ALL) & (out["group"] == group) & (out["treatment"] == "respondents")]
        hidden = rows["count"].isna()
        if hidden.sum() == 1 and (~hidden).any():
            partner = rows[~hidden].sort_values(["count", "followup_year"], kind="stable").iloc[0]
            _hide(out, {("G", int(partner["followup_year"]), ALL, group): SECONDARY})
    return out
