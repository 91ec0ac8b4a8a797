"""The analyses, one package each; their ``results`` modules are the I/O edge.

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
    "FollowupResults": "followup.results",
    "followup_json": "followup.results",
    "followup_results": "followup.results",
    "load_followup": "followup.results",
    "BaselineResults": "baseline.results",
    "baseline_json": "baseline.results",
    "baseline_results": "baseline.results",
    "CbaResults": "costbenefit.results",
    "cba_json": "costbenefit.results",
    "cba_results": "costbenefit.results",
    "ParticipantsResults": "participants.results",
    "participants_json": "participants.results",
    "participants_results": "participants.results",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'outcomes.analyses' has no attribute '{name}'")
    return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
