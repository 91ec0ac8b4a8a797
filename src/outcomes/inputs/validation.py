"""Check a text table against its data contract: accept or reject every row.

:func:`validate_table` renames headers through the contract's alias table,
parses each cell to its type (decimal commas, thousands spaces and Norwegian
dates understood), then checks ranges, allowed values, patterns, uniqueness
and cross-field rules with a pandera schema built from the contract. Each
problem is recorded with the file, the line in the file, the column, the value
found and what was expected; a row with any problem is rejected, and
``rows read == rows accepted + rows rejected`` always holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # pandera is imported when a table is checked, not when a notebook only reads results
    import pandera.pandas as pa

from outcomes.core.errors import InputError
from outcomes.inputs.contracts import ColumnSpec, Contract, normalise_header, school_year_label
from outcomes.inputs.readers import LINE, RawTable

#: Whole numbers above this (2**53) cannot be held exactly and are refused.
_LARGEST_WHOLE = float(2**53)

#: Columns of the problems table.
PROBLEM_COLUMNS = ["file", "line", "column", "value", "problem", "expected"]


@dataclass
class ValidationResult:
    """Outcome of validating one table.

    Attributes
    ----------
    accepted
        Typed rows that passed every check, contract columns only, plus
        :data:`~outcomes.inputs.readers.LINE`.
    rejected
        Rejected rows as read (text), with :data:`LINE` and ``reason``.
    problems
        One row per problem (:data:`PROBLEM_COLUMNS`).
    rows_read
        Data rows in the file.
    ignored_columns
        Columns in the file that the contract does not know (not used).
    """

    accepted: pd.DataFrame
    rejected: pd.DataFrame
    problems: pd.DataFrame
    rows_read: int
    ignored_columns: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        # Nothing is lost: every row read is either accepted or rejected.
        if len(self.accepted) + len(self.rejected) != self.rows_read:
            raise AssertionError(
                f"row accounting broken: {len(self.accepted)} accepted + {len(self.rejected)} rejected "
                f"!= {self.rows_read} read"
            )


def map_headers(table: RawTable, contract: Contract) -> tuple[pd.DataFrame, list[str]]:
    """Rename the file's headers to contract column names through the alias table.

    Returns
    -------
    (data, ignored)
        The table with contract column names, and the headers not in the contract.

    Raises
    ------
    InputError
        When two headers mean the same column, or a required column is missing.
    """
    aliases = contract.alias_table()
    renamed: dict[str, str] = {}
    ignored: list[str] = []
    for header in table.data.columns:
        if header == LINE:
            continue
        target = aliases.get(normalise_header(header))
        if target is None:
            ignored.append(header)
            continue
        if target in renamed.values():
            first = next(h for h, t in renamed.items() if t == target)
            raise InputError(
                f"the columns '{first}' and '{header}' both mean '{target}'",
                file=table.file,
                line=1,
                column=header,
                expected="each column once",
            )
        renamed[header] = target
    missing = [c for c in contract.required_columns() if c not in renamed.values()]
    if missing:
        found = ", ".join(h for h in table.data.columns if h != LINE)
        names = ", ".join(f"'{m}'" for m in missing)
        accepted = "; ".join(f"{m}: " + ", ".join([m, *contract.columns[m].aliases[:4]]) for m in missing)
        raise InputError(
            f"required column {names} is missing (found: {found})",
            file=table.file,
            line=1,
            column=missing[0],
            expected=f"a header for each required column, e.g. {accepted}",
            hint="See docs/data-contracts.md for the accepted header names.",
        )
    data = table.data.rename(columns=renamed)
    keep = [c for c in contract.columns if c in data.columns] + [LINE]
    return data[keep], ignored


def _clean_number_text(values: pd.Series) -> pd.Series:
    text = values.str.replace("\u00a0", "", regex=False).str.replace(" ", "", regex=False)
    text = text.str.replace("\u2212", "-", regex=False)  # typographic minus from Word/Excel
    both = text.str.contains(",", regex=False) & text.str.contains(".", regex=False)
    comma_last = text.str.rfind(",") > text.str.rfind(".")
    # "1.234,5" (Norwegian) -> 1234.5 ; "1,234.5" (English) -> 1234.5 ; "12,5" -> 12.5
    text = text.where(~(both & comma_last), text.str.replace(".", "", regex=False))
    text = text.where(~(both & ~comma_last), text.str.replace(",", "", regex=False))
    return text.str.replace(",", ".", regex=False)


def parse_column(values: pd.Series, spec: ColumnSpec) -> tuple[pd.Series, pd.Series]:
    """Parse text cells to the column's type.

    Returns
    -------
    (parsed, failed)
        Parsed values (``<NA>`` for empty or unparsable cells) and a boolean
        mask of non-empty cells that could not be parsed.
    """
    codes, distinct = _factorize(values)
    parsed, failed, _ = _parse_cells(distinct, spec)
    return _spread(parsed, codes, values.index), _spread(failed, codes, values.index)


def _factorize(values: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """(codes, distinct): each cell's text is ``distinct.iloc[codes[i]]``.

    Columns repeat few values (years, statuses, departments), so the work per
    cell is done once per distinct value and spread back with :func:`_spread`.
    """
    text = values.astype("string").fillna("")
    codes, uniques = pd.factorize(text.array)
    return codes, pd.Series(uniques, dtype="string", name=values.name)


def _spread(distinct: pd.Series, codes: np.ndarray, index: pd.Index) -> pd.Series:
    """The per-distinct-value ``distinct`` given to every cell (dtype and name kept)."""
    return distinct.take(codes).set_axis(index)


def _school_year_or_na(text: object) -> str | None:
    """The school year's label (``2019/20``), or ``None`` when ``text`` is empty or not a school year."""
    if not isinstance(text, str):
        return None
    try:
        return school_year_label(text)
    except ValueError:
        return None


_TYPE_WORDS = {"integer": "a whole number", "school_year": "a school year"}


def _parse_cells(values: pd.Series, spec: ColumnSpec) -> tuple[pd.Series, pd.Series, pd.Series]:
    """:func:`parse_column` cell by cell (used on the distinct values), and which cells are empty."""
    text = values.astype("string").fillna("").str.strip()
    empty = text == ""
    if spec.type == "string":
        if spec.synonyms:
            # Norwegian or alternative spellings to the contract's canonical value
            lookup = {k.casefold(): v for k, v in spec.synonyms.items()}
            text = text.map(lambda v: lookup.get(v.casefold(), v)).astype("string")
        return text.mask(empty).astype("string"), pd.Series(False, index=values.index), empty
    if spec.type == "school_year":
        # One written form, so 2019/20 and 2019/2020 are the same school year (and duplicates are caught).
        parsed = pd.Series([_school_year_or_na(v) for v in text.mask(empty)], index=values.index, dtype="string")
        return parsed, parsed.isna() & ~empty, empty
    if spec.type == "date":
        parsed = pd.to_datetime(text.mask(empty), format="%Y-%m-%d", errors="coerce")
        dotted = pd.to_datetime(text.mask(empty), format="%d.%m.%Y", errors="coerce")
        parsed = parsed.fillna(dotted)
        return parsed, parsed.isna() & ~empty, empty
    numbers = pd.to_numeric(_clean_number_text(text.mask(empty)), errors="coerce").astype("Float64")
    # "inf", "1e400" and integers beyond float precision are not amounts or years;
    # letting them through would wrap to nonsense when cast to whole numbers.
    limit = _LARGEST_WHOLE if spec.type == "integer" else np.finfo("float64").max
    unusable = numbers.notna() & ~(numbers.abs() <= limit)
    numbers = numbers.mask(unusable)
    failed = numbers.isna() & ~empty
    if spec.type == "integer":
        fractional = numbers.notna() & (numbers != np.floor(numbers))
        failed = failed | fractional
        numbers = numbers.mask(fractional)
        return numbers.round().astype("Int64"), failed.astype(bool), empty
    return numbers, failed.astype(bool), empty


def _schema(contract: Contract, present: list[str]) -> pa.DataFrameSchema:
    import pandera.pandas as pa

    columns: dict[str, pa.Column] = {}
    for name in present:
        spec = contract.columns[name]
        checks = []
        lo, hi = spec.bound("min"), spec.bound("max")
        if lo is not None:
            checks.append(pa.Check.ge(lo, name=f"min:{lo:g}", ignore_na=True))
        if hi is not None:
            checks.append(pa.Check.le(hi, name=f"max:{hi:g}", ignore_na=True))
        if spec.allowed:
            allowed = [a.casefold() for a in spec.allowed] if spec.case_insensitive else spec.allowed
            if spec.case_insensitive:
                checks.append(pa.Check(lambda s, a=allowed: s.str.casefold().isin(a), name="allowed", ignore_na=True))
            else:
                checks.append(pa.Check.isin(allowed, name="allowed", ignore_na=True))
        if spec.pattern:
            checks.append(pa.Check.str_matches(spec.pattern, name="pattern", ignore_na=True))
        columns[name] = pa.Column(nullable=True, checks=checks, coerce=False, required=True)
    frame_checks = []
    for rule in contract.rules:
        left, op, right = rule.parts()
        if not all(c in present for c in left) or (not right.isdigit() and right not in present):
            continue
        frame_checks.append(pa.Check(_rule_check(left, op, right), name=f"rule:{rule.id}", ignore_na=False))
    unique = [c for c in contract.unique if c in present] if set(contract.unique) <= set(present) else None
    return pa.DataFrameSchema(
        columns, checks=frame_checks, unique=unique or None, report_duplicates="all", strict=False
    )


_BUILTIN_CHECKS = {
    "greater_than_or_equal_to": "min",
    "less_than_or_equal_to": "max",
    "isin": "allowed",
    "str_matches": "pattern",
}


def _schema_errors() -> type[Exception]:
    from pandera.errors import SchemaErrors

    return SchemaErrors


def _check_problem(check: str) -> str:
    # pandera reports built-in checks by their own name, e.g. "less_than_or_equal_to(2026.0)"
    builtin = re.match(r"^(\w+)\((.*)\)$", check)
    if builtin and builtin[1] in _BUILTIN_CHECKS:
        check = f"{_BUILTIN_CHECKS[builtin[1]]}:{builtin[2].removesuffix('.0')}"
    kind, _, bound = check.partition(":")
    return {
        "min": f"below the lowest allowed value {bound}",
        "max": f"above the highest allowed value {bound}",
        "allowed": "not one of the allowed values",
        "pattern": "not of the expected form",
    }.get(kind, f"failed the check '{check}'")


def _rule_check(left: list[str], op: str, right: str):  # type: ignore[no-untyped-def]
    def check(frame: pd.DataFrame) -> pd.Series:
        value = frame[left[0]].astype("Float64")
        for other in left[1:]:
            value = value - frame[other].astype("Float64")
        target = float(right) if right.isdigit() else frame[right].astype("Float64")
        result = {
            "<=": value <= target,
            ">=": value >= target,
            "<": value < target,
            ">": value > target,
            "==": value == target,
            "!=": value != target,
        }[op]
        # A rule holds when one of its values is missing (optional columns).
        return result.fillna(True).astype(bool)

    return check


def validate_table(
    table: RawTable,
    contract: Contract,
    status_lookup: dict[str, str] | None = None,
    status_source: str | None = None,
) -> ValidationResult:
    """Check every row of ``table`` against ``contract``.

    Parameters
    ----------
    table
        The file as read by :func:`outcomes.inputs.readers.read_table`.
    contract
        The input kind's contract.
    status_lookup
        ``{normalised label: canonical status}`` for columns marked
        ``status_map: true``; their values are replaced by canonical statuses
        and a label not in the lookup rejects the row.
    status_source
        The status map file, named in messages about unknown labels.

    Returns
    -------
    ValidationResult

    Raises
    ------
    InputError
        When the file cannot be used at all (a required column is missing).
    """
    data, ignored = map_headers(table, contract)
    present = [c for c in contract.columns if c in data.columns]
    problems: list[dict[str, object]] = []

    def add(mask: pd.Series, column: str | None, problem: str, expected: str, values: pd.Series | None = None) -> None:
        rows = data.index[mask.to_numpy(dtype=bool)]
        for idx in rows:
            value = "" if values is None else values.loc[idx]
            problems.append(
                {
                    "file": table.file,
                    "line": int(data.at[idx, LINE]),
                    "column": column or "",
                    "value": "" if value is None or value is pd.NA else str(value),
                    "problem": problem,
                    "expected": expected,
                }
            )

    def spread_mask(distinct: pd.Series, codes: np.ndarray) -> pd.Series:
        return pd.Series(distinct.to_numpy(dtype=bool)[codes], index=data.index)

    parsed = pd.DataFrame(index=data.index)
    for name in present:
        spec = contract.columns[name]
        text = data[name]
        # Each distinct text is parsed (and mapped, and tested for emptiness) once and
        # the outcome spread to its cells; messages still quote each cell's own text.
        codes, distinct = _factorize(text)
        distinct_values, distinct_failed, distinct_empty = _parse_cells(distinct, spec)
        values = _spread(distinct_values, codes, data.index)
        if spec.required and not spec.nullable:
            add(spread_mask(distinct_empty, codes), name, "missing value", spec.describe_expected())
        add(
            spread_mask(distinct_failed, codes),
            name,
            f"not {_TYPE_WORDS.get(spec.type, 'a ' + spec.type)}",
            spec.describe_expected(),
            text,
        )
        if spec.status_map and status_lookup is not None:
            mapped = distinct_values.map(
                lambda v: status_lookup.get(" ".join(v.split()).casefold()) if isinstance(v, str) else pd.NA
            )
            unknown = distinct_values.notna() & mapped.isna()
            add(
                spread_mask(unknown, codes),
                name,
                "status label is not in the status map",
                f"a label listed in {status_source or 'the status map'} (add it there under the right status)",
                text,
            )
            parsed[f"{name}_label"] = values
            values = _spread(mapped.astype("string"), codes, data.index)
        parsed[name] = values

    try:
        _schema(contract, present).validate(parsed, lazy=True)
    except _schema_errors() as exc:
        cases = exc.failure_cases
        cases = cases[cases["index"].notna()]
        for check, group in cases.groupby("check", sort=False):
            check = str(check)
            for column, sub in group.groupby(group["column"].fillna(""), sort=False):
                index = pd.Index(sub["index"].astype(int).unique())
                mask = data.index.isin(index)
                if check.startswith("rule:"):
                    rule = next(r for r in contract.rules if f"rule:{r.id}" == check)
                    cols = rule.parts()[0] + ([rule.parts()[2]] if not rule.parts()[2].isdigit() else [])
                    names = list(cols)
                    shown = (
                        data[names]
                        .astype(str)
                        .agg(
                            lambda r, names=names: ", ".join(f"{c}={v}" for c, v in zip(names, r, strict=False)), axis=1
                        )
                    )
                    add(pd.Series(mask, index=data.index), ", ".join(cols), rule.message, rule.expected, shown)
                elif check in ("column_in_dataframe", "dataframe_not_empty"):
                    continue
                elif "uniqueness" in check or check.startswith("unique") or "duplicate" in check.lower():
                    key = contract.unique
                    # Grouped on the parsed values: "2019/20" and "2019/2020" are the same school year.
                    first_line = (
                        data.loc[mask, LINE].groupby([parsed.loc[mask, k] for k in key], dropna=False).transform("min")
                    )
                    shown = data.loc[mask, key].astype(str).agg(" / ".join, axis=1)
                    for idx in data.index[mask]:
                        problems.append(
                            {
                                "file": table.file,
                                "line": int(data.at[idx, LINE]),
                                "column": ", ".join(key),
                                "value": shown.loc[idx],
                                "problem": f"duplicate record (also on line {int(first_line.loc[idx])})"
                                if int(first_line.loc[idx]) != int(data.at[idx, LINE])
                                else "duplicate record (repeated on a later line)",
                                "expected": "one record per " + " and ".join(key),
                            }
                        )
                else:
                    spec = contract.columns[str(column)]
                    add(
                        pd.Series(mask, index=data.index),
                        str(column),
                        _check_problem(check),
                        spec.describe_expected(),
                        data[str(column)],
                    )

    problem_frame = pd.DataFrame(problems, columns=PROBLEM_COLUMNS)
    if not problem_frame.empty:
        problem_frame = (
            problem_frame.drop_duplicates().sort_values(["line", "column"], kind="stable").reset_index(drop=True)
        )
    bad_lines = set(problem_frame["line"].tolist())
    bad = data[LINE].isin(bad_lines)
    reasons = problem_frame.assign(
        text=problem_frame["column"].where(problem_frame["column"] == "", problem_frame["column"] + ": ")
        + problem_frame["problem"]
        + problem_frame["value"].map(lambda v: f" (found '{v}')" if v else "")
    )
    reason_by_line = reasons.groupby("line")["text"].agg("; ".join) if not reasons.empty else pd.Series(dtype=str)
    rejected = table.data.loc[bad.to_numpy()].copy()
    rejected["reason"] = rejected[LINE].map(reason_by_line).astype("string")
    ordered = [c for c in parsed.columns if not c.endswith("_label")] + [
        c for c in parsed.columns if c.endswith("_label")
    ]
    accepted = parsed.loc[~bad.to_numpy(), ordered].copy()
    accepted[LINE] = data.loc[~bad.to_numpy(), LINE]
    return ValidationResult(
        accepted=accepted.reset_index(drop=True),
        rejected=rejected.reset_index(drop=True),
        problems=problem_frame,
        rows_read=table.rows_read,
        ignored_columns=ignored,
    )
