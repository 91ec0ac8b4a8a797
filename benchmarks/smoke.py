"""Benchmarks at their smallest: ``OUTCOMES_BENCH_SMOKE=1`` runs every step once on a tiny input.

A test runs ``benchmarks/run.py`` so, to show that ``make bench`` still works
when the code it measures changes (the figures then mean nothing).
"""

from __future__ import annotations

import os
from typing import TypeVar

#: Whether the benchmarks run at their smallest.
ON = os.environ.get("OUTCOMES_BENCH_SMOKE") == "1"

_T = TypeVar("_T")


def size(full: _T, smallest: _T) -> _T:
    """``full`` for a real run, ``smallest`` for a smoke run."""
    return smallest if ON else full
