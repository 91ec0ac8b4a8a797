"""Errors meant for people, not for debuggers.

Every error the workbench raises on purpose is an :class:`OutcomesError`. It
carries where the problem is (file, line in the file, column), what was found
and what was expected, and the command line prints it as one or a few lines,
never as a Python traceback. ``exit_code`` follows the convention of
``outcomes validate``: 1 = some rows were rejected or a run failed, 2 = the
input or configuration cannot be used at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path


class OutcomesError(Exception):
    """A problem a user can fix, described so that they can fix it.

    Parameters
    ----------
    message
        What is wrong, in plain words.
    file
        The file concerned, if any.
    line
        Line number in that file (1-based, counting the header line), if any.
    column
        Column (or configuration key) concerned, if any.
    expected
        What would have been accepted.
    hint
        What to do about it.
    """

    exit_code: int = 2

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        column: str | None = None,
        expected: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.column = column
        self.expected = expected
        self.hint = hint
        super().__init__(self.describe())

    def location(self) -> str:
        """``file, line N, column 'c'`` for the parts that are known."""
        parts = []
        if self.file:
            parts.append(self.file)
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.column:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)

    def describe(self) -> str:
        """The full message: location, problem, expectation and hint."""
        text = self.message
        where = self.location()
        if where:
            text = f"{where}: {text}"
        if self.expected:
            text += f" Expected: {self.expected}."
        if self.hint:
            text += ("\n" if "\n" in text else " ") + self.hint
        return text


class ConfigError(OutcomesError):
    """The configuration (YAML or command-line overrides) is invalid."""


class InputError(OutcomesError):
    """An input file cannot be used at all (missing, unreadable, wrong columns)."""


class IdentityDataError(InputError):
    """An input holds direct identifiers (national identity numbers, names, ...)."""


class NoDataForYearsError(ConfigError):
    """A section's inputs hold nothing for the report's years; a report leaves the section out and says why.

    Parameters
    ----------
    section
        The section (a key of :data:`outcomes.sections.SECTIONS`).
    first, last
        The years asked for.
    found
        ``(file, first year, last year)`` of each input the section reads
        (``None`` years: the file has no rows).
    """

    def __init__(self, section: str, first: int, last: int, found: list[tuple[str, int | None, int | None]]) -> None:
        self.section, self.first, self.last, self.found = section, first, last, found
        has = "; ".join(f"{f} has {_span(a, b)}" if a is not None else f"{f} has no rows" for f, a, b in found)
        super().__init__(
            f"the {section} section has no data for {_span(first, last)} ({has})",
            expected="a report year and first year its inputs cover",
        )


def _span(first: int | None, last: int | None) -> str:
    """``2011–2015``, or ``2017`` for one year."""
    return str(first) if first == last else f"{first}\u2013{last}"


class RejectedRowsError(OutcomesError):
    """Some input rows were rejected and the run was not allowed to leave them out."""

    exit_code = 1


class ReportBuildError(OutcomesError):
    """Building a report failed; nothing was published."""

    exit_code = 1


def require_columns(
    present: Iterable[object],
    required: Sequence[str],
    what: str,
    *,
    file: str | Path | None = None,
    expected: str | None = None,
) -> None:
    """Refuse a table that lacks a column it needs.

    Parameters
    ----------
    present
        The table's column names (e.g. ``frame.columns``).
    required
        The columns it must have, in the order to name them.
    what
        The table as the message names it, e.g. ``"The cost ledger"``.
    file
        The file the table came from, if any.
    expected
        What the message says is expected; default the required columns.

    Raises
    ------
    InputError
        Naming every missing column, the first as the error's column.
    """
    columns = set(present)
    missing = [c for c in required if c not in columns]
    if missing:
        raise InputError(
            f"{what} lacks column(s) {', '.join(missing)}.",
            file=file,
            column=missing[0],
            expected=", ".join(required) if expected is None else expected,
        )
