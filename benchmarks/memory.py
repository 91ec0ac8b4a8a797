"""Peak memory of this process, as the benchmarks print it.

Linux keeps ``ru_maxrss`` across ``exec``: a benchmark run in a fresh process
started by a larger one would report its parent's peak. The high-water mark of
the process's own memory (``VmHWM`` in ``/proc/self/status``) starts afresh, so
it is used where the system has it.
"""

from __future__ import annotations

import resource
from pathlib import Path


def peak_mb() -> float:
    """The most memory (resident, MB) this process has held so far."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
