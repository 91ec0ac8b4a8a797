"""From configuration to published tables: the I/O edge of each analysis.

Notebooks, the report runner and the ``--json`` commands all call these, so
the numbers in the HTML, in ``summary.json`` and on the command line are one
and the same. One module per analysis; only results under disclosure control
leave them.
"""

from importlib import import_module
from typing import Any

# Each name lives in one analysis module; they are imported on first use, so a
# notebook for one section does not pay for importing every analysis.
_EXPORTS = {
    "FollowupResults": "followup", "followup_json": "followup", "followup_results": "followup",
    "load_followup": "followup",
    "BaselineResults": "baseline", "baseline_json": "baseline", "baseline_results": "baseline",
    "CbaResults": "costbenefit", "cba_json": "costbenefit", "cba_results": "costbenefit",
    "ParticipantsResults": "participants", "participants_json": "participants",
    "participants_results": "participants",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'outcomes.pipeline' has no attribute '{name}'")
    return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
