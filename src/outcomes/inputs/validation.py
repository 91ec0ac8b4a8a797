"""Check a text table against its data contract: accept or reject every row.

:func:`validate_table` renames headers through the contract's alias table,
parses each cell to its type (decimal commas, thousands spaces and Norwegian
dates understood; numbers as :mod:`outcomes.core.numbers` reads them), then
checks ranges, allowed values and patterns with pandera schemas built from the
contract (:mod:`outcomes.inputs.schema`), cross-field rules too, and the unique
key. Work per cell is done once per distinct value of a column and spread back
(:mod:`outcomes.inputs.columnar`); a column of mostly different values
(pseudonyms) is checked as it is, with Arrow compute behind pandas. Each
problem is recorded with the file, the line in the file, the column, the value
found and what was expected; a row with any problem is rejected, and
``rows read == rows accepted + rows rejected`` always holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from outcomes.core.errors import InputError
from outcomes.core.numbers import parse_numbers
from outcomes.inputs.columnar import (
    arrow_strings,
    duplicated_rows,
    factorize_text,
    is_identity,
    plain_text,
    rows_where,
)
from outcomes.inputs.contracts import ColumnSpec, Contract, RuleSpec, normalise_header, school_year_label
from outcomes.inputs.patterns import all_match
from outcomes.inputs.problems import Problems
from outcomes.inputs.readers import LINE, RawTable
from outcomes.inputs.schema import check_problem, column_schema, rules_schema, schema_errors

#: Whole numbers above this (2**53) cannot be held exactly and are refused.
_LARGEST_WHOLE = float(2**53)


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
        One row per problem (:data:`~outcomes.inputs.problems.PROBLEM_COLUMNS`).
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
    return factorize_text(values)


def _spread(distinct: pd.Series, codes: np.ndarray, index: pd.Index) -> pd.Series:
    """The per-distinct-value ``distinct`` given to every cell (dtype and name kept)."""
    if len(distinct) == len(index) and is_identity(codes):
        return distinct.set_axis(index)
    strings = arrow_strings(distinct)
    if strings is not None and distinct.dtype == "string":
        # Arrow's take itself: pandas' take checks the codes again first, and costs twice as much.
        taken = pc.take(strings, pa.array(codes))
        return pd.Series(pd.arrays.ArrowStringArray(taken), index=index, name=distinct.name)
    # The array's take, not the Series': that would take (and build) an index of as many cells too.
    return pd.Series(distinct.array.take(codes), index=index, name=distinct.name)


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
    if spec.type == "string" and not spec.synonyms and plain_text(values):
        # Nothing to trim, nothing empty, nothing to rename (pseudonyms, mostly): the text is the value.
        none = pd.Series(False, index=values.index)
        return values, none, none
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
    numbers = parse_numbers(text.mask(empty))
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
    # An optional column left out of the file, read as empty so the unique key still applies.
    data = data.assign(**{name: "" for name in contract.empty_when_absent if name not in data.columns})
    present = [c for c in contract.columns if c in data.columns]
    problems = Problems(table.file, data)
    parsed = pd.DataFrame(index=data.index)
    columns = {
        name: _parse_into(parsed, data[name], contract.columns[name], problems, status_lookup, status_source)
        for name in present
    }
    for name, column in columns.items():
        _check_column(name, column, contract, problems)
    _check_rules(parsed, contract, present, problems)
    if contract.unique and set(contract.unique) <= set(present):
        _check_unique(contract, columns, parsed, problems)
    return _result(table, data, parsed, problems.frame(), ignored)


@dataclass(frozen=True)
class _Distinct:
    """A parsed column as its distinct texts: cell ``i`` is ``values.iloc[codes[i]]``.

    ``labels`` are the values before the status map (the same as ``values`` for other columns).
    """

    codes: np.ndarray
    values: pd.Series
    labels: pd.Series

    def cells(self, distinct_mask: pd.Series | np.ndarray) -> np.ndarray:
        """A mask over the distinct values spread to the cells."""
        return _cells(np.asarray(distinct_mask, dtype=bool), self.codes)


def _cells(distinct_mask: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """A mask over distinct values spread to the cells numbered by ``codes`` (no look-up when it holds nowhere)."""
    return distinct_mask[codes] if distinct_mask.any() else np.zeros(len(codes), dtype=bool)


def _check_column(name: str, column: _Distinct, contract: Contract, problems: Problems) -> None:
    """The contract's checks of one column (ranges, allowed values, pattern), each on its distinct values once.

    The pattern is left to pandera only when the column's bytes do not show at once that every cell matches it.
    """
    pattern = contract.columns[name].pattern
    schema = column_schema(contract, name, pattern=not (pattern and all_match(column.values, pattern)))
    if schema is None:
        return
    try:
        schema.validate(pd.DataFrame({name: column.values}).reset_index(drop=True), lazy=True)
    except schema_errors() as exc:
        cases = exc.failure_cases
        cases = cases[cases["index"].notna() & (cases["column"] == name)]
        expected = contract.columns[name].describe_expected()
        for check, group in cases.groupby("check", sort=False):
            failing = np.zeros(len(column.values), dtype=bool)
            failing[group["index"].astype(int).unique()] = True
            problems.add(column.cells(failing), name, check_problem(str(check)), expected, problems.data[name])


def _check_rules(parsed: pd.DataFrame, contract: Contract, present: list[str], problems: Problems) -> None:
    """The contract's cross-field rules, row by row."""
    schema = rules_schema(contract, present)
    if schema is None:
        return
    try:
        schema.validate(parsed, lazy=True)
    except schema_errors() as exc:
        cases = exc.failure_cases
        cases = cases[cases["index"].notna()]
        for check, group in cases.groupby("check", sort=False):
            rule = next((r for r in contract.rules if f"rule:{r.id}" == str(check)), None)
            if rule is not None:
                _add_rule_problems(rule, problems.data.index.isin(pd.Index(group["index"].astype(int))), problems)


def _check_unique(contract: Contract, columns: dict[str, _Distinct], parsed: pd.DataFrame, problems: Problems) -> None:
    """Records that repeat the unique key, compared on parsed values (each distinct value numbered once).

    A status column of the key compares its labels (any case and spacing), not
    the statuses: in a table of counts two labels of one status ("Utdanning",
    "Videregående skole") are two rows that add up, while the same label twice
    is a duplicate.
    """
    numbered: dict[str, np.ndarray | pd.Series] = {}
    missing = np.ones(len(parsed), dtype=bool)
    for name in contract.unique:
        column = columns[name]
        keyed = column.values
        if contract.columns[name].status_map and f"{name}_label" in parsed:
            keyed = column.labels.str.split().str.join(" ").str.casefold().astype("string")
        missing = column.cells(keyed.isna().to_numpy()) & missing
        if len(keyed) == len(parsed) and is_identity(column.codes) and keyed.dtype == "string":
            numbered[name] = keyed.set_axis(parsed.index)  # a column of codes: compared as text
        else:
            number, _ = pd.factorize(keyed, use_na_sentinel=False)  # missing values equal, as in duplicated()
            numbered[name] = number.astype(np.int32 if len(number) < 2**31 else np.int64)[column.codes]
    # A record whose key is missing altogether is not named a duplicate (it is rejected for the missing values).
    duplicated = duplicated_rows(list(numbered.values())) & ~missing
    if duplicated.any():
        shown = {
            k: v[duplicated] if isinstance(v, np.ndarray) else v.to_numpy()[duplicated] for k, v in numbered.items()
        }
        _add_duplicate_problems(contract.unique, duplicated, shown, problems)


def _parse_into(
    parsed: pd.DataFrame,
    text: pd.Series,
    spec: ColumnSpec,
    problems: Problems,
    status_lookup: dict[str, str] | None,
    status_source: str | None,
) -> _Distinct:
    """Parse one column into ``parsed`` (and its ``_label`` column for statuses), recording its problems."""
    name = str(text.name)
    # Each distinct text is parsed (and mapped, and tested for emptiness) once and
    # the outcome spread to its cells; messages still quote each cell's own text.
    codes, distinct = _factorize(text)
    distinct_values, distinct_failed, distinct_empty = _parse_cells(distinct, spec)
    if _unchanged(distinct, distinct_values, text):
        values = text  # text kept as read (no cell empty, trimmed or renamed): no second copy of the column
    else:
        values = _spread(distinct_values, codes, text.index)

    def cells(distinct_mask: pd.Series) -> np.ndarray:
        return _cells(distinct_mask.to_numpy(dtype=bool), codes)

    if spec.required and not spec.nullable:
        problems.add(cells(distinct_empty), name, "missing value", spec.describe_expected())
    problem = f"not {_TYPE_WORDS.get(spec.type, 'a ' + spec.type)}"
    problems.add(cells(distinct_failed), name, problem, spec.describe_expected(), text)
    if spec.status_map and status_lookup is not None:
        mapped = distinct_values.map(
            lambda v: status_lookup.get(" ".join(v.split()).casefold()) if isinstance(v, str) else pd.NA
        )
        unknown = distinct_values.notna() & mapped.isna()
        expected = f"a label listed in {status_source or 'the status map'} (add it there under the right status)"
        problems.add(cells(unknown), name, "status label is not in the status map", expected, text)
        parsed[f"{name}_label"] = values
        parsed[name] = _spread(mapped.astype("string"), codes, text.index)
        return _Distinct(codes, mapped.astype("string"), distinct_values)
    parsed[name] = values
    return _Distinct(codes, distinct_values, distinct_values)


def _unchanged(distinct: pd.Series, parsed: pd.Series, text: pd.Series) -> bool:
    """Whether parsing left every distinct text as it was (text columns read from files, mostly)."""
    if text.dtype != "string" or parsed.dtype != "string" or len(parsed) != len(distinct) or parsed.isna().any():
        return False
    return parsed is distinct or bool((parsed.array == distinct.array).all())


def _at_lines(lines: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Which rows have their line among ``wanted``: found by bisection when the lines are in file order, as read."""
    if not len(wanted) or not len(lines):
        return np.zeros(len(lines), dtype=bool)
    if len(lines) > 1 and not bool((lines[1:] > lines[:-1]).all()):
        return np.isin(lines, wanted)
    wanted = np.unique(wanted)
    where = np.minimum(np.searchsorted(lines, wanted), len(lines) - 1)
    at = np.zeros(len(lines), dtype=bool)
    at[where[lines[where] == wanted]] = True
    return at


def _add_rule_problems(rule: RuleSpec, mask: np.ndarray, problems: Problems) -> None:
    """A broken cross-field rule, quoting the values it compares (``exit_year=2021, followup_year=2020``)."""
    left, _, right = rule.parts()
    names = left + ([right] if not right.isdigit() else [])
    cells = problems.data[names].astype(str)
    shown = pd.Series(
        [", ".join(f"{c}={v}" for c, v in zip(names, row, strict=False)) for row in cells.itertuples(index=False)],
        index=cells.index,
    )
    problems.add(mask, ", ".join(names), rule.message, rule.expected, shown)


def _add_duplicate_problems(
    key: list[str], mask: np.ndarray, numbered: dict[str, np.ndarray], problems: Problems
) -> None:
    """Records that repeat the contract's unique key, each naming the first line of its key.

    ``numbered`` holds, per key column, a value per row of ``mask`` that is the
    same for the same parsed value: "2019/20" and "2019/2020" are the same school year.
    """
    data = problems.data
    first_line = data.loc[mask, LINE].groupby([numbered[k] for k in key], dropna=False).transform("min")
    shown = data.loc[mask, key].astype(str).agg(" / ".join, axis=1)
    lines = data.loc[mask, LINE].tolist()
    for line, first, value in zip(lines, first_line.tolist(), shown.tolist(), strict=True):
        problem = (
            f"duplicate record (also on line {int(first)})"
            if int(first) != int(line)
            else "duplicate record (repeated on a later line)"
        )
        problems.row(int(line), ", ".join(key), str(value), problem, "one record per " + " and ".join(key))


def _result(
    table: RawTable, data: pd.DataFrame, parsed: pd.DataFrame, problems: pd.DataFrame, ignored: list[str]
) -> ValidationResult:
    """Rows with a problem rejected (as read, with their reasons), the others accepted (parsed)."""
    bad = _at_lines(data[LINE].to_numpy(), problems["line"].to_numpy(dtype=np.int64))
    reasons = problems.assign(
        text=problems["column"].where(problems["column"] == "", problems["column"] + ": ")
        + problems["problem"]
        + problems["value"].map(lambda v: f" (found '{v}')" if v else "")
    )
    reason_by_line = reasons.groupby("line")["text"].agg("; ".join) if not reasons.empty else pd.Series(dtype=str)
    rejected = rows_where(table.data, bad)
    rejected["reason"] = rejected[LINE].map(reason_by_line).astype("string")
    labels = [c for c in parsed.columns if c.endswith("_label")]
    ordered = [c for c in parsed.columns if c not in labels] + labels
    accepted = parsed[ordered].assign(**{LINE: data[LINE]})
    if bad.any():  # without a rejected row nothing is selected, so nothing is copied
        accepted = rows_where(accepted, ~bad)
    return ValidationResult(
        accepted=accepted.reset_index(drop=True),
        rejected=rejected,
        problems=problems,
        rows_read=table.rows_read,
        ignored_columns=ignored,
    )
