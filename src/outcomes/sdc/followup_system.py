"""The follow-up declaration over whole tables: what a rates table publishes, as sparse rows.

:func:`declare_rates` is the one declaration of what a follow-up rates table
publishes (:mod:`outcomes.sdc.followup` explains the relations); it reads
the table column by column, not row by row, and adds the facts and hidden
cells to a :class:`outcomes.sdc.linear.SystemBuilder` in the order a reader
meets them (row by row; within a row contacted, responded, response rate,
count, denominator, share, interval), each repeated figure once.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Mapping

import numpy as np
import pandas as pd

from outcomes.analyses.followup.rates import TREATMENTS
from outcomes.registries.statuses import CANONICAL_STATUSES, NO_RESPONSE

from .facts import count_from_interval, rounding_tolerance
from .linear import Rows, SystemBuilder

Var = tuple[str, int, str, str]
Locate = Callable[[int, str], str]
Block = tuple[int, str]

_STATUS = {s: i for i, s in enumerate(CANONICAL_STATUSES)}
_CONTACTED = np.ones(len(CANONICAL_STATUSES))
_ANSWERED = np.array([0.0 if s == NO_RESPONSE else 1.0 for s in CANONICAL_STATUSES])
#: Slots of a row, in the order the declaration reads them.
_SLOTS = ("contacted", "responded", "response_rate", "count", "denominator", "share", "ci_low")


def base(year: int, department: str, status: str) -> Var:
    """The base count of people in one follow-up year, department and status."""
    return ("followup", int(year), str(department), status)


def group_form(statuses: Collection[str], positive: bool, treatment: str) -> dict[str, float]:
    """Coefficients per canonical status of a group's count under a treatment of non-response."""
    form = {s: 1.0 for s in statuses}
    if (treatment == "negative" and not positive) or (treatment == "positive" and positive):
        form[NO_RESPONSE] = 1.0
    return form


def block_of(key: Hashable) -> tuple[Block, str] | None:
    """A follow-up base count's block (year and department) and slot (status), for :mod:`outcomes.sdc.blocks`."""
    if isinstance(key, tuple) and len(key) == 4 and key[0] == "followup":
        return (key[1], key[2]), key[3]
    return None


def _number(table: pd.DataFrame, column: str) -> np.ndarray:
    """A column as published numbers (NaN where hidden, missing or not a finite number)."""
    if column not in table:
        return np.full(len(table), np.nan)
    values = table[column]
    if not (pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype)):
        values = pd.to_numeric(values, errors="coerce")
    out = values.to_numpy(dtype=float, na_value=np.nan)
    return np.where(np.isfinite(out), out, np.nan)


def _first(keys: list[np.ndarray], where: np.ndarray) -> np.ndarray:
    """Rows in ``where`` whose key (the numeric arrays ``keys`` together) is met there for the first time."""
    rows = np.flatnonzero(where)
    if not rows.size:
        return rows
    _, first = np.unique(np.stack([np.asarray(k[rows], dtype=float) for k in keys], axis=1), axis=0, return_index=True)
    return rows[np.sort(first)]


def _codes(*columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A code per row for the combination of ``columns`` (in order of first appearance, -1 where one is missing),
    and the first row of each code."""
    combined = np.zeros(len(columns[0]), dtype=np.int64)
    missing = np.zeros(len(columns[0]), dtype=bool)
    for column in columns:
        codes, uniques = pd.factorize(column)
        combined = combined * (len(uniques) + 1) + codes
        missing |= codes < 0
    combined[missing] = -1
    codes, _ = pd.factorize(combined)
    codes[missing] = -1
    present = np.flatnonzero(~missing)
    _, first = np.unique(codes[present], return_index=True)
    return codes, present[first]


class _Pieces:
    """Facts of a table collected slot by slot, then put in reading order."""

    def __init__(self) -> None:
        self.parts: list[dict[str, np.ndarray]] = []

    def add(
        self,
        rows: np.ndarray,
        slot: int,
        forms: np.ndarray,
        low: np.ndarray,
        high: np.ndarray,
        unit: np.ndarray,
        present: np.ndarray | None = None,
        sub: int = 0,
    ) -> None:
        """Facts on ``rows`` (forms: rows x statuses; ``present``: which statuses are terms, default non-zero)."""
        if rows.size:
            self.parts.append(
                {
                    "row": rows,
                    "slot": np.full(rows.size, slot),
                    "sub": np.full(rows.size, sub),
                    "forms": forms,
                    "present": forms != 0 if present is None else present,
                    "low": low,
                    "high": high,
                    "unit": unit,
                }
            )

    def ordered(self) -> dict[str, np.ndarray]:
        if not self.parts:
            k = len(CANONICAL_STATUSES)
            return {
                "row": np.zeros(0, np.int64),
                "slot": np.zeros(0, np.int64),
                "sub": np.zeros(0, np.int64),
                "forms": np.zeros((0, k)),
                "present": np.zeros((0, k), bool),
                "low": np.zeros(0),
                "high": np.zeros(0),
                "unit": np.zeros(0, np.int64),
            }
        merged = {name: np.concatenate([p[name] for p in self.parts]) for name in self.parts[0]}
        order = np.lexsort((merged["sub"], merged["slot"], merged["row"]))
        return {name: values[order] for name, values in merged.items()}


class _Cells:
    """Hidden contacted, responded and count figures, collected slot by slot, then each once in reading order."""

    def __init__(self) -> None:
        self.parts: list[tuple[np.ndarray, int, np.ndarray, str, np.ndarray | None]] = []

    def add(
        self, rows: np.ndarray, slot: int, forms: np.ndarray, kind: str, treatment: np.ndarray | None = None
    ) -> None:
        """Cells on ``rows`` (``forms``: every row of the table x statuses)."""
        if rows.size:
            self.parts.append((rows, slot, forms, kind, treatment))

    def add_to(
        self,
        builder: SystemBuilder,
        var: np.ndarray,
        block: np.ndarray,
        years: np.ndarray,
        depts: np.ndarray,
        group: np.ndarray,
        truth: Mapping[Hashable, float] | None,
    ) -> None:
        """Add the cells to ``builder`` (keys, labels, true values), each the first time it is met."""
        if not self.parts:
            builder.add_cells(Rows.empty(), [], [], None if truth is None else np.zeros(0))
            return
        rows = np.concatenate([p[0] for p in self.parts])
        slot = np.concatenate([np.full(p[0].size, p[1]) for p in self.parts])
        part = np.concatenate([np.full(p[0].size, i) for i, p in enumerate(self.parts)])
        order = np.lexsort((part, slot, rows))
        rows, part = rows[order], part[order]
        kind = np.array([p[3] for p in self.parts], dtype=object)[part]
        counts = kind == "count"
        treatment = np.full(rows.size, "", dtype=object)
        for i, p in enumerate(self.parts):
            if p[4] is not None:
                treatment[part == i] = p[4][rows[part == i]].astype(str)
        groups = np.where(counts, group[rows].astype(str), "")
        _, keep = _codes(kind, years[rows], depts[rows], groups, treatment)
        rows, part, kind, groups, treatment = rows[keep], part[keep], kind[keep], groups[keep], treatment[keep]
        y, d = years[rows].tolist(), depts[rows].tolist()
        keys: list[Hashable] = [
            ("count", yy, dd, gg, tt) if kk == "count" else (kk, yy, dd)
            for kk, yy, dd, gg, tt in zip(kind.tolist(), y, d, groups.tolist(), treatment.tolist(), strict=False)
        ]
        forms = np.zeros((rows.size, len(CANONICAL_STATUSES)))
        for i, p in enumerate(self.parts):
            forms[part == i] = p[2][rows[part == i]]
        present = forms != 0
        cell_rows = Rows.from_lengths(present.sum(axis=1), var[block[rows]][present], forms[present])

        def label(i: int) -> str:
            where = f"{y[i]}, {d[i]}"
            return f"{groups[i]} ({treatment[i]}) {where}" if kind[i] == "count" else f"{kind[i]} {where}"

        values = (
            None if truth is None else np.array([np.nan if (v := truth.get(k)) is None else v for k in keys], float)
        )
        builder.add_cells(cell_rows, keys, label, values)


def declare_rates(
    builder: SystemBuilder,
    table: pd.DataFrame,
    groups: Mapping[str, Collection[str]],
    positive: Collection[str],
    *,
    locate: Locate,
    decimals: int | None = None,
    truth: Mapping[Hashable, float] | None = None,
) -> list[Block]:
    """Add everything ``table`` publishes (facts) and hides (cells) to ``builder``; return its blocks in order.

    Facts have units ``("G", year, department, group)``, ``("R", year,
    department)`` and ``("C", year, department)``; cells are the hidden
    counts, contacted and responded figures, with their true values from
    ``truth`` (by cell key) when given. ``locate(row position, column)`` says
    where a value was published; ``decimals`` what shares were rounded to.
    """
    years = table["followup_year"].astype(int).to_numpy()
    depts = table["department"].astype(str).to_numpy(dtype=object)
    block, first = _codes(years, depts)
    blocks: list[Block] = list(zip(years[first].tolist(), depts[first].tolist(), strict=False))
    var = builder.ids([("followup", y, d, s) for y, d in blocks for s in CANONICAL_STATUSES]).reshape(len(blocks), -1)
    pieces, cells = _Pieces(), _Cells()
    seen = {c: _number(table, c) for c in _SLOTS + ("ci_high",)}
    _declare_response(table, block, seen, pieces, cells, rounding_tolerance(decimals))
    group = _declare_groups(table, block, groups, positive, seen, pieces, cells, rounding_tolerance(decimals))
    facts = pieces.ordered()
    rows = Rows.from_lengths(
        facts["present"].sum(axis=1), var[block[facts["row"]]][facts["present"]], facts["forms"][facts["present"]]
    )
    kinds = ("G", "R", "C")

    def unit(i: int) -> Hashable:
        r = int(facts["row"][i])
        kind = kinds[int(facts["unit"][i])]
        return (kind, int(years[r]), str(depts[r])) + ((str(group[r]),) if kind == "G" else ())

    builder.add_facts(
        rows, facts["low"], facts["high"], lambda i: locate(int(facts["row"][i]), _SLOTS[int(facts["slot"][i])]), unit
    )
    cells.add_to(builder, var, block, years, depts, group, truth)
    return blocks


def _declare_response(
    table: pd.DataFrame, block: np.ndarray, seen: dict[str, np.ndarray], pieces: _Pieces, cells: _Cells, tol: float
) -> None:
    """Contacted and responded (a fact the first time a value is met, else a hidden cell) and the response rate."""
    n = len(table)
    for slot, (column, form, unit) in enumerate((("contacted", _CONTACTED, 2), ("responded", _ANSWERED, 1))):
        if column not in table:
            continue
        v = seen[column]
        cells.add(np.flatnonzero(np.isnan(v)), slot, np.tile(form, (n, 1)), column)
        rows = _first([block, v], ~np.isnan(v))
        pieces.add(rows, slot, np.tile(form, (rows.size, 1)), v[rows], v[rows], np.full(rows.size, unit))
    rate = seen["response_rate"]
    wanted = ~np.isnan(rate) & (np.isnan(seen["responded"]) | np.isnan(seen["contacted"]))
    rows = _first([block, rate], wanted)
    _ratio(pieces, rows, 2, np.tile(_ANSWERED, (rows.size, 1)), np.tile(_CONTACTED, (rows.size, 1)), rate[rows], tol, 1)


def _ratio(
    pieces: _Pieces,
    rows: np.ndarray,
    slot: int,
    num: np.ndarray,
    den: np.ndarray,
    share: np.ndarray,
    tol: float,
    unit: int | np.ndarray,
) -> None:
    """``share - tol <= num / den <= share + tol`` as two facts per row (the upper one first)."""
    present = (num != 0) | (den != 0)
    units = np.broadcast_to(unit, rows.shape).copy()
    high = num - (share + tol)[:, None] * den
    low = num - (share - tol)[:, None] * den
    pieces.add(rows, slot, high, np.full(rows.size, -np.inf), np.zeros(rows.size), units, present, 0)
    pieces.add(rows, slot, low, np.zeros(rows.size), np.full(rows.size, np.inf), units, present, 1)


def _declare_groups(
    table: pd.DataFrame,
    block: np.ndarray,
    groups: Mapping[str, Collection[str]],
    positive: Collection[str],
    seen: dict[str, np.ndarray],
    pieces: _Pieces,
    cells: _Cells,
    tol: float,
) -> np.ndarray:
    """Each group row's count (or hidden cell), denominator, share and interval; returns the group of each row."""
    n = len(table)
    group = table["group"].to_numpy(dtype=object) if "group" in table else np.full(n, None, dtype=object)
    treatment = table["treatment"].to_numpy(dtype=object) if "treatment" in table else np.full(n, None, dtype=object)
    code, first = _codes(group, treatment)
    known = np.zeros((len(first) + 1, len(CANONICAL_STATUSES)))  # the last row answers for a missing group
    usable = np.zeros(len(first) + 1, dtype=bool)
    for c, row in enumerate(first.tolist()):
        g, t = group[row], treatment[row]
        if g in groups and t in TREATMENTS:
            for s in group_form(groups[g], g in positive, str(t)):
                known[c, _STATUS[s]] = 1.0
            usable[c] = True
    forms, valid = known[code], usable[code]
    respondents = treatment == "respondents"
    den_forms = np.where(respondents[:, None], _ANSWERED, _CONTACTED)
    count, den, share = seen["count"], seen["denominator"], seen["share"]
    cells.add(np.flatnonzero(valid & np.isnan(count)), 3, forms, "count", treatment)
    rows = np.flatnonzero(valid & ~np.isnan(count))
    pieces.add(rows, 3, forms[rows], count[rows], count[rows], np.zeros(rows.size, np.int64))
    rows = _first([respondents, block, den], valid & ~np.isnan(den))
    pieces.add(rows, 4, den_forms[rows], den[rows], den[rows], np.where(respondents[rows], 1, 2))
    rows = np.flatnonzero(valid & ~np.isnan(share) & (np.isnan(count) | np.isnan(den)))
    _ratio(pieces, rows, 5, forms[rows], den_forms[rows], share[rows], tol, 0)
    bounded = ~np.isnan(seen["ci_low"]) | ~np.isnan(seen["ci_high"])
    for r in np.flatnonzero(valid & np.isnan(count) & ~np.isnan(den) & bounded).tolist():
        low, high = (None if np.isnan(seen[c][r]) else float(seen[c][r]) for c in ("ci_low", "ci_high"))
        found = count_from_interval(low, high, int(round(den[r])), tol)
        if found is not None:
            pieces.add(
                np.array([r]),
                6,
                forms[[r]],
                np.array([found[0]], float),
                np.array([found[1]], float),
                np.zeros(1, np.int64),
            )
    return group


def add_base_cells(
    builder: SystemBuilder, blocks: Collection[Block], truth: Mapping[Hashable, float] | None = None
) -> None:
    """One cell per base count of people who answered (non-response is not sensitive), blocks in sorted order."""
    answered = [s for s in CANONICAL_STATUSES if s != NO_RESPONSE]
    ordered = sorted(set(blocks))
    keys = [("base", y, d, s) for y, d in ordered for s in answered]
    variables = [("followup", y, d, s) for y, d in ordered for s in answered]
    ids = builder.ids(variables)
    rows = Rows.from_lengths(np.ones(len(ids), np.int64), ids, np.ones(len(ids)))
    values = None if truth is None else np.array([float(truth.get(v, 0.0)) for v in variables])
    builder.add_cells(rows, keys, lambda i: f"{keys[i][3]} {keys[i][1]}, {keys[i][2]}", values)


def true_values(rates: pd.DataFrame, counts: Mapping[Var, float]) -> dict[Hashable, float]:
    """True value of every cell :func:`declare_rates` and :func:`add_base_cells` can name, and of every base count."""
    out: dict[Hashable, float] = {("base", *var[1:]): n for var, n in counts.items()}
    out.update({var: n for var, n in counts.items()})
    years = rates["followup_year"].astype(int).tolist()
    depts = rates["department"].astype(str).tolist()
    groups, treatments = rates["group"].astype(str).tolist(), rates["treatment"].astype(str).tolist()
    for column in ("count", "contacted", "responded"):
        values = rates[column].astype(float).tolist()
        if column == "count":
            out.update(
                zip(zip(["count"] * len(years), years, depts, groups, treatments, strict=False), values, strict=False)
            )
        else:
            out.update(zip(zip([column] * len(years), years, depts, strict=False), values, strict=False))
    return out
