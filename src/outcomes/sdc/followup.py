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

import numpy as np
import pandas as pd

from outcomes.analyses.followup.rates import ALL, TREATMENTS
from outcomes.core.disclosure import DEFAULT_THRESHOLD, suppression_reasons
from outcomes.core.errors import ReportBuildError
from outcomes.registries.statuses import CANONICAL_STATUSES, NO_RESPONSE

from .facts import interval_facts, ratio_facts, rounding_tolerance, value
from .protect import CannotProtectError, Unit, fact_size, secondary_suppression
from .system import AuditResult, Cell, Fact, cell_ranges

#: Reason given to cells hidden so that others cannot be worked out.
SECONDARY = "secondary"

Var = tuple[str, int, str, str]
Locate = Callable[[int, str], str]


def base(year: int, department: str, status: str) -> Var:
    """The base count of people in one follow-up year, department and status."""
    return ("followup", int(year), str(department), status)


def group_form(statuses: Collection[str], positive: bool, treatment: str) -> dict[str, float]:
    """Coefficients per canonical status of a group's count under a treatment of non-response."""
    form = {s: 1.0 for s in statuses}
    if (treatment == "negative" and not positive) or (treatment == "positive" and positive):
        form[NO_RESPONSE] = 1.0
    return form


def _terms(year: int, department: str, form: Mapping[str, float]) -> dict[Hashable, float]:
    return {base(year, department, s): c for s, c in form.items()}


_ANSWERED = {s: 1.0 for s in CANONICAL_STATUSES if s != NO_RESPONSE}
_CONTACTED = {s: 1.0 for s in CANONICAL_STATUSES}


def followup_facts(
    table: pd.DataFrame,
    groups: Mapping[str, Collection[str]],
    positive: Collection[str],
    *,
    locate: Locate,
    decimals: int | None = None,
) -> tuple[list[Fact], list[Cell]]:
    """Everything a follow-up rates table publishes, and the cells it hides.

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
        :func:`base_cells`).
    """
    tol = rounding_tolerance(decimals)
    facts: list[Fact] = []
    cells: dict[Hashable, Cell] = {}
    seen: set[tuple[object, ...]] = set()  # contacted, responded and denominators repeat on every row of a block

    def once(key: tuple[object, ...]) -> bool:
        if key in seen:
            return False
        seen.add(key)
        return True

    for pos, row in enumerate(table.to_dict(orient="records")):
        year, dept = int(row["followup_year"]), str(row["department"])
        contacted, responded = _terms(year, dept, _CONTACTED), _terms(year, dept, _ANSWERED)
        where = f"{year}, {dept}"
        for column, terms, unit in (
            ("contacted", contacted, ("C", year, dept)),
            ("responded", responded, ("R", year, dept)),
        ):
            if column not in row:
                continue
            v = value(row, column)
            if v is None:
                cells[(column, year, dept)] = Cell((column, year, dept), f"{column} {where}", terms)
            elif once((column, year, dept, v)):
                facts.append(Fact(terms, v, v, locate(pos, column), unit))
        rate = value(row, "response_rate")
        if (
            rate is not None
            and (value(row, "responded") is None or value(row, "contacted") is None)
            and once(("rate", year, dept, rate))
        ):
            facts += ratio_facts(responded, contacted, rate, tol, locate(pos, "response_rate"), ("R", year, dept))
        group, treatment = row.get("group"), row.get("treatment")
        if group is None or group not in groups or treatment not in TREATMENTS:
            continue
        unit = ("G", year, dept, group)
        count_terms = _terms(year, dept, group_form(groups[group], group in positive, str(treatment)))
        den_terms = responded if treatment == "respondents" else contacted
        den_unit = ("R", year, dept) if treatment == "respondents" else ("C", year, dept)
        count, den = value(row, "count"), value(row, "denominator")
        if count is None:
            key = ("count", year, dept, group, treatment)
            cells[key] = Cell(key, f"{group} ({treatment}) {where}", count_terms)
        else:
            facts.append(Fact(count_terms, count, count, locate(pos, "count"), unit))
        if den is not None and once((den_unit, den)):
            facts.append(Fact(den_terms, den, den, locate(pos, "denominator"), den_unit))
        share = value(row, "share")
        if share is not None and (count is None or den is None):
            facts += ratio_facts(count_terms, den_terms, share, tol, locate(pos, "share"), unit)
        if count is None and den is not None:
            facts += interval_facts(row, count_terms, den, tol, locate(pos, "ci_low"), unit)
    return facts, list(cells.values())


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
            value = None if truth is None else float(truth.get(var, 0.0))  # type: ignore[call-overload]
            out.append(Cell(("base", year, dept, s), f"{s} {year}, {dept}", {var: 1.0}, value))
    return out


def base_counts(records: pd.DataFrame) -> dict[Var, float]:
    """True base counts (all departments included) from follow-up records."""
    out: dict[Var, float] = {}
    for frame in (records.assign(department=ALL), records):
        counts = frame.groupby(["followup_year", "department", "status"], observed=True).size()
        for (year, dept, status), n in counts.items():
            out[base(int(year), str(dept), str(status))] = float(n)
    return out


def _where_in_memory(table: pd.DataFrame) -> Locate:
    keys = table[["followup_year", "department", "group", "treatment"]].astype(str).to_numpy()

    def locate(pos: int, column: str) -> str:
        return f"follow-up {' '.join(keys[pos])}, {column}"

    return locate


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
    facts, cells = followup_facts(table, groups, positive, locate=_where_in_memory(table))
    blocks = set(zip(table["followup_year"].astype(int), table["department"].astype(str), strict=False))
    facts += department_facts(blocks)
    years = sorted({y for y, d in blocks if d == ALL})
    for group in linked if truth is not None and years else ():
        form = group_form(groups[group], group in positive, "respondents")
        terms: dict[Hashable, float] = {base(y, ALL, s): c for y in years for s, c in form.items()}
        total = sum(truth.get(("count", y, ALL, group, "respondents"), 0.0) for y in years)
        facts.append(Fact(terms, total, total, f"cost-benefit: {group} summed over the years"))
    if truth is not None:
        cells = [Cell(c.key, c.label, c.terms, truth.get(c.key)) for c in cells]
    cells += base_cells(blocks, truth)
    return cell_ranges([*facts, *extra], cells, threshold, exempt=exempt, skip=skip)


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


def true_values(rates: pd.DataFrame, counts: Mapping[Var, float]) -> dict[Hashable, float]:
    """True value of every cell :func:`followup_facts` and :func:`base_cells` can name."""
    out: dict[Hashable, float] = {("base", *var[1:]): n for var, n in counts.items()}
    out.update({var: n for var, n in counts.items()})
    for row in rates[
        ["followup_year", "department", "group", "treatment", "count", "contacted", "responded"]
    ].itertuples(index=False):
        year, dept = int(row.followup_year), str(row.department)
        out[("count", year, dept, row.group, row.treatment)] = float(row.count)
        out[("contacted", year, dept)] = float(row.contacted)
        out[("responded", year, dept)] = float(row.responded)
    return out


# ------------------------------------------------------------------ protection

_GROUP_COLUMNS = ["count", "share", "ci_low", "ci_high"]


def _hide(out: pd.DataFrame, units: Mapping[Unit, str]) -> None:
    """Hide units in place (and what each implies), recording its reason where no reason is given yet.

    A group unit hides that group's figures under all treatments; a responded
    unit (``R``) all group figures of its year and department and the responded
    figures; a contacted unit (``C``) those and the contacted figures.
    """
    if not units:
        return
    years = out["followup_year"].to_numpy()
    depts = out["department"].astype(str).to_numpy()
    groups = out["group"].astype(str).to_numpy()
    respondents = (out["treatment"] == "respondents").to_numpy()
    n = len(out)
    reasons = {key: np.full(n, None, dtype=object) for key in ("group", "response", "contacted")}
    denominator = np.zeros(n, dtype=bool)

    def mark(key: str, rows: np.ndarray, reason: str) -> None:
        target = reasons[key]
        target[rows & pd.isna(target)] = reason

    for unit, reason in units.items():
        kind, block = unit[0], (years == unit[1]) & (depts == unit[2])
        if kind == "G":
            mark("group", block & (groups == unit[3]), reason)
            continue
        mark("group", block, reason)
        mark("response", block, reason)
        denominator |= block & respondents
        if kind == "C":
            mark("contacted", block, reason)
            denominator |= block
    for key, columns, reason_column in (
        ("group", _GROUP_COLUMNS, "suppressed"),
        ("response", ["responded", "response_rate"], "suppressed_response"),
        ("contacted", ["contacted"], "suppressed_contacted"),
    ):
        rows = ~pd.isna(reasons[key])
        if not rows.any():
            continue
        for column in columns:
            out[column] = out[column].mask(rows)
        new = pd.Series(reasons[key], index=out.index, dtype="string")
        out[reason_column] = out[reason_column].fillna(new)
    if denominator.any():
        out["denominator"] = out["denominator"].mask(denominator)


def _published_units(out: pd.DataFrame) -> set[Unit]:
    units: set[Unit] = set()
    for row in out[["followup_year", "department", "group", "count", "responded", "contacted"]].itertuples(index=False):
        year, dept = int(row.followup_year), str(row.department)
        if not pd.isna(row.count):
            units.add(("G", year, dept, row.group))
        if not pd.isna(row.responded):
            units.add(("R", year, dept))
        if not pd.isna(row.contacted):
            units.add(("C", year, dept))
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
    hidden = out[out["suppressed"].notna()]
    for (year, dept, group), reasons in hidden.groupby(["followup_year", "department", "group"])["suppressed"]:
        units[("G", int(year), str(dept), group)] = str(reasons.iloc[0])
    blocks = out.drop_duplicates(["followup_year", "department"])
    for row in blocks.itertuples(index=False):
        if row.contacted < threshold:
            units[("C", int(row.followup_year), str(row.department))] = "small_denominator"
        elif row.responded < threshold:
            units[("R", int(row.followup_year), str(row.department))] = "small_denominator"
    _hide(out, units)
    return out


_TIER = {("G", False): 0, ("G", True): 1, ("R", False): 2, ("C", False): 3, ("R", True): 4, ("C", True): 5}


def _cost(unit: Unit, fact: Fact) -> tuple[object, ...]:
    """A department's group first, then a programme total; the smallest figure first."""
    return _TIER[(str(unit[0]), unit[2] == ALL)], fact_size(fact), repr(unit)


def _whole_year(key: Hashable, published: set[Unit]) -> set[Unit]:
    assert isinstance(key, tuple)
    return {u for u in published if u[1] == int(key[1])}  # type: ignore[call-overload]


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
    # Years are independent systems unless a linked group's total is hidden in some year, so each year
    # is protected on its own first (fewer and smaller programmes), then the whole once more if needed.
    years = []
    for year, part in out.groupby("followup_year", sort=True):
        mine = [f for f in previous if all(isinstance(v, tuple) and v[1] == year for v in f.terms)]
        years.append(
            secondary_suppression(
                part.copy(),
                lambda table, safe, mine=mine: audit_table(
                    table, groups, positive, threshold, known, (), mine, exempt, safe
                ),
                _published_units,
                _hide,
                _cost,
                _whole_year,
                SECONDARY,
                max_rounds,
            )
        )
    out = pd.concat(years).loc[out.index] if years else out
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
