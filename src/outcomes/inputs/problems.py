"""The problems found in one table: a row for each, naming the file, line, column, value found and what was expected.

The contract check (:mod:`outcomes.inputs.validation`) records each problem as
it finds it (:class:`Problems`); the intake lists them, writes them beside the
rejected rows and keeps them in the processed table's manifest.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from outcomes.inputs.readers import LINE

#: Columns of the problems table.
PROBLEM_COLUMNS = ["file", "line", "column", "value", "problem", "expected"]


class Problems:
    """The problems found in one table (rows of :data:`PROBLEM_COLUMNS`), in the order found."""

    def __init__(self, file: str, data: pd.DataFrame) -> None:
        self.file = file
        self.data = data
        self.lines = data[LINE].to_numpy()
        self.records: list[dict[str, object]] = []

    def add(
        self,
        mask: pd.Series | np.ndarray,
        column: str | None,
        problem: str,
        expected: str,
        values: pd.Series | None = None,
    ) -> None:
        """One problem for each row of :attr:`data` where ``mask`` holds, quoting that row's ``values``."""
        rows = np.flatnonzero(np.asarray(mask, dtype=bool))
        if not len(rows):
            return  # nothing to quote (taking no rows of an Arrow column still costs milliseconds)
        found = [None] * len(rows) if values is None else values.iloc[rows].tolist()
        for line, value in zip(self.lines[rows].tolist(), found, strict=True):
            self.row(int(line), column or "", "" if value is None or value is pd.NA else str(value), problem, expected)

    def row(self, line: int, column: str, value: str, problem: str, expected: str) -> None:
        """One problem on one line."""
        self.records.append(
            {
                "file": self.file,
                "line": line,
                "column": column,
                "value": value,
                "problem": problem,
                "expected": expected,
            }
        )

    def frame(self) -> pd.DataFrame:
        """The problems, each once, ordered by line and column (stable)."""
        frame = pd.DataFrame(self.records, columns=PROBLEM_COLUMNS)
        if frame.empty:
            return frame
        return frame.drop_duplicates().sort_values(["line", "column"], kind="stable").reset_index(drop=True)
