"""The HiGHS linear programmes behind the disclosure audit: one instance per thread, re-solved objective by objective.

:func:`quiet_highs` makes an instance without HiGHS's banner; :func:`fresh_highs`
hands out the thread's instance cleared; :class:`Programme` is one part's
programme (rows of facts over whole-number-of-people columns), solved for one
cell's objective after another by :mod:`outcomes.sdc.system`.
"""

from __future__ import annotations

import threading
from math import inf
from typing import Any

import numpy as np

from .linear import Rows

__all__ = ["Programme", "fresh_highs", "quiet_highs"]


def quiet_highs():
    """A HiGHS instance, without the banner the library writes to standard output on its first use."""
    import os

    import highspy

    global _BANNER_SHOWN
    if _BANNER_SHOWN:
        h = highspy.Highs()
    else:
        import sys

        sys.stdout.flush()
        saved = os.dup(1)
        try:
            with open(os.devnull, "w") as devnull:
                os.dup2(devnull.fileno(), 1)
                h = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        _BANNER_SHOWN = True
    h.setOptionValue("output_flag", False)
    return h


_BANNER_SHOWN = False
_SPARE = threading.local()


def fresh_highs() -> Any:
    """A HiGHS instance as new: the thread's one, cleared (model, solver state and options).

    Creating an instance costs about as much as solving a small programme, and
    the report solves hundreds of small ones, one after another; a cleared
    instance solves them exactly as a new one would. A part's programme is
    done with before the next part's is made.
    """
    h = getattr(_SPARE, "highs", None)
    if h is None:
        h = _SPARE.highs = quiet_highs()
    h.clear()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("log_to_console", False)
    return h


class Programme:
    """One part's linear programme in HiGHS, re-solved with one objective after another."""

    def __init__(self, facts: Rows, low: np.ndarray, high: np.ndarray, n: int) -> None:
        import highspy

        self.highspy = highspy
        self.n = n
        self.rows = len(facts)
        h = fresh_highs()
        lp = highspy.HighsLp()
        lp.num_col_ = n
        lp.num_row_ = self.rows
        lp.col_cost_ = np.zeros(n)
        lp.col_lower_ = np.zeros(n)
        lp.col_upper_ = np.full(n, highspy.kHighsInf)
        lp.row_lower_ = np.where(low > -inf, low, -highspy.kHighsInf).astype(float)
        lp.row_upper_ = np.where(high < inf, high, highspy.kHighsInf).astype(float)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise  # row-wise, which HiGHS accepts directly
        lp.a_matrix_.start_ = facts.ptr.astype(np.int32)
        lp.a_matrix_.index_ = facts.var.astype(np.int32)
        lp.a_matrix_.value_ = facts.coef.astype(float)
        lp.a_matrix_.num_col_ = n
        lp.a_matrix_.num_row_ = self.rows
        h.passModel(lp)
        self.h = h
        self.all_cols = np.arange(n, dtype=np.int32)
        self.maximising: bool | None = None
        self.optimal = False

    def solve(self, cost: np.ndarray, maximise: bool) -> tuple[str, float, np.ndarray]:
        """Status ('optimal', 'unbounded', 'infeasible'), objective and solution (row duals: :meth:`duals`)."""
        hs = self.highspy
        if maximise is not self.maximising:
            self.h.changeObjectiveSense(hs.ObjSense.kMaximize if maximise else hs.ObjSense.kMinimize)
            self.maximising = maximise
        self.h.changeColsCost(self.n, self.all_cols, cost)
        self.h.run()
        status = self.h.getModelStatus()
        self.optimal = status == hs.HighsModelStatus.kOptimal
        if self.optimal:
            return "optimal", self.h.getObjectiveValue(), np.asarray(self.h.getSolution().col_value)
        if status in (hs.HighsModelStatus.kUnbounded, hs.HighsModelStatus.kUnboundedOrInfeasible):
            # Unbounded or infeasible is told apart by the feasibility run done first.
            return "unbounded", inf if maximise else -inf, np.zeros(self.n)
        return "infeasible", float("nan"), np.zeros(self.n)

    def duals(self) -> np.ndarray:
        """Row duals of the last solve (zeros unless it was optimal): read only when a finding needs them."""
        return np.asarray(self.h.getSolution().row_dual) if self.optimal else np.zeros(self.rows)
