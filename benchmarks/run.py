"""Run every benchmark in this folder and print its table (``make bench``).

A benchmark is a ``bench_*.py`` file with a ``main()`` that prints its own
figures. Each runs in turn, in file-name order; nothing here asserts on time,
because timings depend on the machine. A benchmark that fails is reported and
the others still run; the exit code is 1 if any failed.
"""

from __future__ import annotations

import importlib.util
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # the benchmarks import smoke.py beside them, as when run as scripts


def benchmark_files(folder: Path = HERE) -> list[Path]:
    """The ``bench_*.py`` files of ``folder``, sorted by name."""
    return sorted(folder.glob("bench_*.py"))


def run_file(path: Path) -> None:
    """Import one benchmark file and call its ``main()``."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not hasattr(module, "main"):
        raise AttributeError(f"{path.name} has no main()")
    module.main()


def main() -> int:
    files = benchmark_files()
    if not files:
        print(f"No benchmarks (bench_*.py) in {HERE}.")
        return 0
    failed = []
    for path in files:
        print(f"== {path.name} ==", flush=True)
        started = time.perf_counter()
        try:
            run_file(path)
        except Exception:  # one broken benchmark should not hide the others' figures
            traceback.print_exc()
            failed.append(path.name)
        print(f"({path.name}: {time.perf_counter() - started:.1f} s in total)\n", flush=True)
    if failed:
        print(f"Failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
