"""From configuration to published tables: the I/O edge of each analysis.

Notebooks, the report runner and the ``--json`` commands all call these, so
the numbers in the HTML, in ``summary.json`` and on the command line are one
and the same. One module per analysis; only results under disclosure control
leave them.
"""

from .costbenefit import CbaResults, cba_json, cba_results
from .baseline import BaselineResults, baseline_json, baseline_results
from .followup import FollowupResults, followup_json, followup_results, load_followup
from .participants import ParticipantsResults, participants_json, participants_results

__all__ = ["FollowupResults", "followup_json", "followup_results", "load_followup"]
__all__ += ["BaselineResults", "baseline_json", "baseline_results"]
__all__ += ["CbaResults", "cba_json", "cba_results"]
__all__ += ["ParticipantsResults", "participants_json", "participants_results"]
