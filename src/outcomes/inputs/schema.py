"""A data contract as a pandera schema, and pandera's failures in words.

:func:`column_schema` builds the schema that checks one parsed column (range,
allowed values, pattern), :func:`rules_schema` the one of the cross-field rules;
:mod:`outcomes.inputs.validation` runs the first on each distinct value once,
checks the unique key itself on numbered values, and turns the failures into
problems.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:  # pandera is imported when a table is checked, not when a notebook only reads results
    import pandera.pandas as pa
    from pandera.errors import SchemaErrors

from outcomes.inputs.contracts import Contract


def column_schema(contract: Contract, name: str, *, pattern: bool = True) -> pa.DataFrameSchema | None:
    """The pandera schema of one parsed column's checks: range, allowed values, pattern (``None``: none).

    The checks look at one value at a time, so the intake runs them on each
    distinct value of the column once. ``pattern=False`` leaves the pattern out
    (the intake has shown every cell matches it: :func:`outcomes.inputs.patterns.all_match`).
    """
    import pandera.pandas as pa

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
    if spec.pattern and pattern:
        checks.append(pa.Check.str_matches(spec.pattern, name="pattern", ignore_na=True))
    if not checks:
        return None
    column = pa.Column(nullable=True, checks=checks, coerce=False, required=True)
    return pa.DataFrameSchema({name: column}, strict=False)


def rules_schema(contract: Contract, present: list[str]) -> pa.DataFrameSchema | None:
    """The pandera schema of the contract's cross-field rules on the ``present`` columns (``None``: none apply)."""
    import pandera.pandas as pa

    frame_checks = []
    for rule in contract.rules:
        left, op, right = rule.parts()
        if not all(c in present for c in left) or (not right.isdigit() and right not in present):
            continue
        frame_checks.append(pa.Check(_rule_check(left, op, right), name=f"rule:{rule.id}", ignore_na=False))
    return pa.DataFrameSchema({}, checks=frame_checks, strict=False) if frame_checks else None


_BUILTIN_CHECKS = {
    "greater_than_or_equal_to": "min",
    "less_than_or_equal_to": "max",
    "isin": "allowed",
    "str_matches": "pattern",
}


def schema_errors() -> type[SchemaErrors]:
    """pandera's exception for failed checks (imported when first needed)."""
    from pandera.errors import SchemaErrors

    return SchemaErrors


def check_problem(check: str) -> str:
    """A failed column check in words (``max:2026`` -> ``above the highest allowed value 2026``)."""
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


def _rule_check(left: list[str], op: str, right: str) -> Callable[[pd.DataFrame], pd.Series]:
    """The check of a rule ``left op right`` on a parsed table: per row, whether it holds."""

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
