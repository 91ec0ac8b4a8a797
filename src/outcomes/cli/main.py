"""The ``outcomes`` command line.

Every command prints one clear message and exits non-zero on a problem the
user can fix; a Python traceback is shown only with ``--debug``.

Exit codes: 0 success; 1 some input rows were rejected or a report section
failed; 2 an input, the configuration or the environment cannot be used (a
file that cannot be read, a folder that cannot be written, a full disk, a name
too long, another run writing the same report); 3 an internal error; 128 + N
when stopped by signal N (130 Ctrl-C, 143 SIGTERM).
"""

from __future__ import annotations

import argparse
import errno
import os
import signal
from collections.abc import Sequence
from pathlib import Path

from outcomes import __version__
from outcomes.cli.commands import (
    _cmd_section,
    cmd_assumptions_diff,
    cmd_audit,
    cmd_cba,
    cmd_demo_data,
    cmd_fetch,
    cmd_followup,
    cmd_report,
    cmd_validate,
)
from outcomes.cli.options import _add_config_options, _err
from outcomes.core.errors import OutcomesError
from outcomes.sections import SECTIONS


def _add_allow_rejects(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--allow-rejects",
        action="store_true",
        help="print the figures even if some input rows were rejected (they then leave those rows out)",
    )


def _add_fetch_parser(sub: argparse._SubParsersAction) -> None:
    """``outcomes fetch``: download an SSB or FHI table (codes checked first), or refresh the KPI."""
    p = sub.add_parser("fetch", help="download an indicator table from SSB or FHI (needs a network; optional)")
    p.add_argument("publisher", choices=["ssb", "fhi"], help="who publishes the table")
    p.add_argument("table", help="table number, e.g. 13556 (SSB) or 360 (FHI)")
    p.add_argument(
        "--select",
        action="append",
        default=[],
        metavar="VARIABLE=CODES",
        help="codes to fetch per variable, e.g. --select Region=3401,3414 --select Tid=top(5) (repeatable)",
    )
    p.add_argument(
        "--codelist",
        action="append",
        default=[],
        metavar="VARIABLE=ID",
        help="SSB codelist per variable, e.g. --codelist Region=agg_KommSummer (codes then K-3401; repeatable)",
    )
    p.add_argument(
        "--output-values",
        action="append",
        default=[],
        metavar="VARIABLE=MODE",
        help="SSB outputValues for a variable with a codelist: aggregated or single (repeatable)",
    )
    p.add_argument(
        "--api",
        choices=["auto", "v2", "v0"],
        default="auto",
        help="SSB API: PxWebApi 2 with v0 as the fallback (auto, the default), or one of them only",
    )
    p.add_argument("--source", help="FHI statistics source id (FHI only)")
    p.add_argument("--language", choices=["no", "en"], default="no", help="label language of SSB's response")
    p.add_argument("--out", required=True, help="file to write, e.g. data/raw/2025/indicators/ssb_13556_neet.json")
    p.add_argument(
        "--update-prices",
        action="store_true",
        help="SSB 03014 only: write the annual KPI into the price index file the cost-benefit analysis reads",
    )
    p.add_argument(
        "--prices-file",
        help="the price index file to update (default: the packaged outcomes/data/price_indices.csv)",
    )
    p.set_defaults(func=cmd_fetch)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with all subcommands."""
    # Longer than 60 lines: one declaration per option, read top to bottom like the --help it gives.
    parser = argparse.ArgumentParser(prog="outcomes", description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", action="version", version=f"outcomes {__version__}")
    parser.add_argument("--debug", action="store_true", help="show Python tracebacks (for developers)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("report", help="render the report bundle into reports/<programme>/<year>/")
    _add_config_options(p)
    p.add_argument(
        "--allow-rejects",
        action="store_true",
        help="publish even if some input rows were rejected (the report says how many and why)",
    )
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("followup", help="print the follow-up rates (published figures only)")
    _add_config_options(p)
    p.add_argument("--json", action="store_true", help="print every figure as JSON")
    _add_allow_rejects(p)
    p.set_defaults(func=cmd_followup)

    p = sub.add_parser(
        "audit", help="check a rendered bundle: can any small number be worked out? exit 0 clean, 1 disclosed"
    )
    p.add_argument("bundle", help="the bundle folder, e.g. reports/<programme>/<year>/")
    p.add_argument(
        "--previous",
        default=None,
        help="last year's bundle to include (default: ../<year - 1> beside the bundle, when present)",
    )
    p.add_argument("--limit", type=int, default=50, help="disclosed cells to list (default: %(default)s)")
    p.add_argument("--json", action="store_true", help="print the findings as JSON")
    p.set_defaults(func=cmd_audit)

    p = sub.add_parser("validate", help="check input files; exit 0 all rows pass, 1 some rejected, 2 unusable")
    p.add_argument("files", nargs="*", help="files to check (default: every input in the configuration)")
    p.add_argument(
        "--kind",
        default="followup",
        help="input kind (data contract) of the files, e.g. followup or costs; an unknown kind lists them "
        "(default: %(default)s)",
    )
    _add_config_options(p)
    p.set_defaults(func=cmd_validate)

    for section in SECTIONS.values():
        if not section.command_help:
            continue  # a command of its own (followup, cba)
        p = sub.add_parser(section.name, help=section.command_help)
        _add_config_options(p)
        p.add_argument("--json", action="store_true", help="print every figure as JSON")
        _add_allow_rejects(p)
        p.set_defaults(func=_cmd_section(section))

    p = sub.add_parser("cba", help="run the cost-benefit model and print its outputs")
    _add_config_options(p)
    p.add_argument("--json", action="store_true", help="print every output as JSON")
    p.add_argument(
        "--assume",
        action="append",
        default=[],
        metavar="ID=VALUE",
        help="what-if: override an assumption of the registry, e.g. --set attribution=0.4 or "
        "--assume attribution=0.4 (repeatable; --set with a configuration key sets the configuration)",
    )
    p.add_argument("--seed", type=int, help="seed of the Monte Carlo simulation")
    p.add_argument("--draws", type=int, help="number of Monte Carlo draws")
    _add_allow_rejects(p)
    p.set_defaults(func=cmd_cba)

    p = sub.add_parser("assumptions", help="work with assumption registries")
    asub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    d = asub.add_parser("diff", help="list what changed between two registries (e.g. last year's and this year's)")
    d.add_argument("old", help="the earlier registry (YAML)")
    d.add_argument("new", help="the later registry (YAML)")
    d.set_defaults(func=cmd_assumptions_diff)

    _add_fetch_parser(sub)

    p = sub.add_parser("demo-data", help="regenerate the synthetic demo inputs in data/raw/demo/")
    p.set_defaults(func=cmd_demo_data)
    return parser


#: Faults of the machine rather than of the workbench (errno -> what it means, what to do); all exit 2.
_FAULTS_BY_NAME: dict[str, tuple[str, str]] = {
    "EACCES": (
        "permission denied",
        "Check that you may read the inputs and write data/processed/ and reports/ (ls -l shows who may).",
    ),
    "EPERM": (
        "operation not permitted",
        "Check that you may read the inputs and write data/processed/ and reports/ (ls -l shows who may).",
    ),
    "EROFS": (
        "the file system is read-only",
        "data/processed/, reports/ and .cache/ must be on a writable disk; copy the project to one.",
    ),
    "ENOSPC": (
        "no space left on the device",
        "Free some space (or move the project to a disk with room) and run again.",
    ),
    "EDQUOT": ("disk quota exceeded", "Free some space within your quota and run again."),
    "ENAMETOOLONG": (
        "a file name is too long",
        "Use a shorter programme slug or file name (at most 255 characters per name).",
    ),
    "ENOENT": ("no such file or folder", "Check the path; it may have been moved or deleted during the run."),
    "ENOTDIR": ("a part of the path is not a folder", "Check the path."),
    "EISDIR": ("a folder was found where a file was expected", "Check the path."),
    "ELOOP": ("too many symbolic links in the path", "Check the path's symbolic links."),
    "EIO": ("input/output error", "The disk or network drive failed to read or write; check it and run again."),
    "EMFILE": ("too many open files", "Close other programs or raise the limit (ulimit -n) and run again."),
}
_ENVIRONMENT_FAULTS: dict[int, tuple[str, str]] = {
    getattr(errno, name): text for name, text in _FAULTS_BY_NAME.items() if hasattr(errno, name)
}


def _shown_path(path: object) -> str:
    try:
        from outcomes.core import paths

        return paths.relative_to_root(Path(os.fsdecode(path)))  # type: ignore[arg-type]
    except Exception:  # the project root itself may be what cannot be reached
        return str(path)


def environment_fault(exc: BaseException) -> str | None:
    """The message for an operating-system fault (permission, read-only, disk full, name too long ...).

    Parameters
    ----------
    exc
        The exception that ended a command.

    Returns
    -------
    str or None
        ``path: what happened (ERRNO). What to do.``; ``None`` when ``exc``
        is not such a fault (then it is a bug).
    """
    if not isinstance(exc, OSError):
        return None
    code = exc.errno
    if code not in _ENVIRONMENT_FAULTS:
        # Some libraries raise OSError without the number, with the system's text in the message.
        text = str(exc)
        code = next((c for c in _ENVIRONMENT_FAULTS if os.strerror(c) in text), None)
        if code is None:
            return f"{exc}" if isinstance(exc, FileNotFoundError) and exc.errno is None else None
    what, todo = _ENVIRONMENT_FAULTS[code]
    where = [_shown_path(p) for p in (exc.filename, exc.filename2) if p is not None]
    if not where:
        # A failed write names no file; everything the workbench writes lies under the project.
        try:
            from outcomes.core import paths

            where = [f"(a file under {paths.project_root()})"]
        except Exception:
            where = []
    name = errno.errorcode.get(code, str(code))
    return f"{' -> '.join(where) + ': ' if where else ''}{what} ({name}). {todo}"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``outcomes`` command.

    Every way a command can end is mapped to a message and an exit code (see
    the module docstring); a traceback is shown only for an internal error
    with ``--debug``.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except OutcomesError as exc:
        _err(f"error: {exc.describe()}")
        return exc.exit_code
    except KeyboardInterrupt as exc:
        # Ctrl-C, or SIGTERM/SIGHUP during a report (outcomes.report.publish.RunInterrupted carries the signal).
        signum = int(getattr(exc, "signum", signal.SIGINT))
        _err(f"interrupted ({signal.Signals(signum).name}); nothing was published")
        return 128 + signum
    except Exception as exc:
        fault = environment_fault(exc)
        if fault is not None and not args.debug:
            _err(f"error: {fault}")
            return 2
        if args.debug:  # a bug: say so plainly, keep the traceback for --debug
            raise
        _err(f"internal error: {exc.__class__.__name__}: {exc}. Rerun with --debug for details; please report it.")
        return 3
