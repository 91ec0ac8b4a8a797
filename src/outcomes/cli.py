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
import sys
import time
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from outcomes import __version__
from outcomes.core.config import DEFAULT_CONFIG, MIN_THRESHOLD, load_config, parse_override, parse_value
from outcomes.core.errors import ConfigError, OutcomesError
from outcomes.core.provenance import dumps_json
from outcomes.sections import SECTIONS, Section

# Command-line options that are shortcuts for configuration keys.
_CONFIG_OPTIONS = {
    "programme": "programme.slug",
    "title": "programme.title",
    "year": "report_year",
    "first_year": "first_year",
    "lang": "language",
    "threshold": "disclosure_threshold",
    "followup": "inputs.followup",
    "sheet": "inputs.followup_sheet",
    "status_map": "status_map",
    "nonresponse": "nonresponse",
}


def _err(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _threshold_value(text: str) -> Any:
    """``--threshold N`` read like ``--set disclosure_threshold=N``.

    The value is checked by the configuration, so 1, ``true`` or 4.5 get the
    same message from the option as from ``--set`` or the file; ``null`` stays
    text, so that it is refused rather than taken for "not given".
    """
    value = parse_value(text)
    return text if value is None else value


def _add_config_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("configuration (each overrides config/report.yml)")
    group.add_argument("--config", default=DEFAULT_CONFIG, help="configuration file (default: %(default)s)")
    group.add_argument("--programme", help="programme slug (folder under reports/)")
    group.add_argument("--title", help="programme title")
    group.add_argument("--year", type=int, help="report year (latest follow-up year)")
    group.add_argument("--first-year", type=int, dest="first_year", help="earliest follow-up year")
    group.add_argument("--lang", choices=["nb", "en"], help="report language")
    group.add_argument(
        "--threshold",
        type=_threshold_value,
        metavar="N",
        help=f"disclosure threshold: smallest publishable number of people (at least {MIN_THRESHOLD})",
    )
    group.add_argument("--followup", help="follow-up records file")
    group.add_argument("--sheet", help="sheet name when the follow-up file is .xlsx")
    group.add_argument("--status-map", dest="status_map", help="status map file")
    group.add_argument(
        "--nonresponse", choices=["respondents", "negative", "positive"], help="default treatment of non-response"
    )
    group.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override any configuration key, e.g. --set inputs.followup=data/raw/x.csv (repeatable)",
    )


def overrides_from(args: argparse.Namespace) -> dict[str, Any]:
    """Configuration overrides from the command-line options, ``--set`` last."""
    overrides: dict[str, Any] = {}
    for option, key in _CONFIG_OPTIONS.items():
        value = getattr(args, option, None)
        if value is not None:
            overrides[key] = value
    for item in getattr(args, "set", []) or []:
        key, value = parse_override(item)
        overrides[key] = value
    return overrides


def cmd_report(args: argparse.Namespace) -> int:
    from outcomes.report.runner import build_report

    started = time.perf_counter()
    target = build_report(args.config, overrides_from(args), allow_rejects=args.allow_rejects, log=lambda m: _err(m))
    _err(f"Done in {time.perf_counter() - started:.1f} s.")
    print(f"Report written to {target / 'index.html'}")
    return 0


def cmd_followup(args: argparse.Namespace) -> int:
    from outcomes.analyses import followup_json, followup_results

    cfg = load_config(args.config, overrides_from(args))
    results = followup_results(cfg)
    data = followup_json(results)
    if args.json:
        sys.stdout.write(dumps_json(data))
    else:
        head = data["headline"]
        print(
            f"{cfg.programme.title}, {cfg.report_year}: contacted {head.get('contacted')}, responded {head.get('responded')}"
        )
        for group, g in (head.get("groups") or {}).items():
            share = "–" if g["share"] is None else f"{g['share'] * 100:.1f}%"
            print(f"  {group:20s} {share:>7s}  (n={g['denominator']})")
    return 0


def _validate_one(
    path: str,
    kind: str,
    name: str | None,
    programme: str,
    status_map: Any,
    sheet: str | None,
    confirm_random_ids: Sequence[str] = (),
) -> int:
    from outcomes.inputs.intake import intake_file

    result = intake_file(
        path,
        kind,
        name=name,
        programme=programme,
        status_map=status_map,
        sheet=sheet,
        use_cache=False,
        confirm_random_ids=confirm_random_ids,
    )
    s = result.summary
    print(
        f"{s.file}: {s.rows_read} rows read, {s.rows_accepted} accepted, {s.rows_rejected} rejected"
        f" ({'; '.join(s.notes)})"
    )
    if s.ignored_columns:
        print(f"  columns not used: {', '.join(s.ignored_columns)}")
    if s.rows_rejected:
        print("  problems:")
        print("  " + "file | line | column | value | problem | expected")
        for p in result.problems.itertuples():
            print(f"  {p.file} | {p.line} | {p.column} | {p.value} | {p.problem} | {p.expected}")
        print(f"  rejected rows with reasons written to {s.rejects_file}")
        return 1
    return 0


def input_kinds() -> list[str]:
    """The input kinds that have a data contract (``src/outcomes/data/contracts/<kind>.yml``)."""
    folder = resources.files("outcomes").joinpath("data", "contracts")
    return sorted(f.name[: -len(".yml")] for f in folder.iterdir() if f.name.endswith(".yml"))


def check_kind(kind: str) -> None:
    """Refuse an input kind without a data contract, listing the kinds there are.

    Raises
    ------
    ConfigError
        Naming the kind and the known ones (exit 2).
    """
    kinds = input_kinds()
    if kind not in kinds:
        raise ConfigError(
            f"unknown input kind '{kind}' (--kind)",
            expected="one of " + ", ".join(kinds),
            hint="Each kind is a data contract in src/outcomes/data/contracts/.",
        )


def cmd_validate(args: argparse.Namespace) -> int:
    from outcomes.registries.statuses import load_status_map

    check_kind(args.kind)
    if args.files:
        status_map = None
        if args.kind == "followup":
            cfg_map = args.status_map or _configured_status_map(args)
            status_map = load_status_map(cfg_map)
        codes = []
        for file in args.files:
            # A file named on the command line is found from where the user is;
            # one that is not there is looked for under the project root.
            if not Path(file).is_absolute() and Path(file).exists():
                file = str(Path(file).resolve())
            try:
                codes.append(
                    _validate_one(
                        file, args.kind, None, "adhoc", status_map, args.sheet, _configured_confirmations(args)
                    )
                )
            except OutcomesError as exc:
                _err(f"error: {exc.describe()}")
                codes.append(exc.exit_code)
        return max(codes)
    cfg = load_config(args.config, overrides_from(args))
    codes = []
    for path, kind, sheet in _configured_inputs(cfg):
        try:
            status_map = load_status_map(cfg.status_map) if kind == "followup" else None
            codes.append(
                _validate_one(path, kind, kind, cfg.programme.slug, status_map, sheet, cfg.inputs.confirm_random_ids)
            )
        except OutcomesError as exc:
            # One unusable input must not hide the verdict on the others.
            _err(f"error: {exc.describe()}")
            codes.append(exc.exit_code)
    return max(codes)


def _configured_inputs(cfg: Any) -> list[tuple[str, str, str | None]]:
    """``(path, kind, sheet)`` of every input file the configuration names that has a contract."""
    from outcomes.inputs.preflight import configured_inputs

    return [(item.path, item.kind, item.sheet) for item in configured_inputs(cfg)]


def _configured_confirmations(args: argparse.Namespace) -> list[str]:
    """``inputs.confirm_random_ids`` of the configuration (with ``--set``), for files named on the command line."""
    try:
        return list(load_config(args.config, overrides_from(args)).inputs.confirm_random_ids)
    except OutcomesError:
        value = overrides_from(args).get("inputs.confirm_random_ids")
        return [str(v) for v in value] if isinstance(value, list) else [str(value)] if value else []


def _configured_status_map(args: argparse.Namespace) -> str:
    try:
        return load_config(args.config, overrides_from(args)).status_map
    except OutcomesError:
        return "config/status_map.yml"


def _cmd_section(section: Section) -> Callable[[argparse.Namespace], int]:
    """A command printing one section's published figures (headline, or everything with --json)."""

    def command(args: argparse.Namespace) -> int:
        cfg = load_config(args.config, overrides_from(args))
        data = section.as_json(section.compute(cfg))
        sys.stdout.write(dumps_json(data) if args.json else _brief(data))
        return 0

    return command


def cmd_cba(args: argparse.Namespace) -> int:
    from outcomes.analyses.costbenefit.results import cba_json, cba_results

    # In `cba`, --set ID=VALUE sets an assumption of the registry; keys that name
    # the configuration (dotted, or a top-level key) still set the configuration.
    from outcomes.core.config import ReportConfig

    config_sets, assumption_sets = [], []
    for item in args.set:
        key = item.split("=", 1)[0].strip()
        (config_sets if "." in key or key in ReportConfig.model_fields else assumption_sets).append(item)
    args.set = config_sets
    cfg = load_config(args.config, overrides_from(args))
    what_if: dict[str, str] = {}
    for item in [*assumption_sets, *args.assume]:
        if "=" not in item:
            raise OutcomesError(f"--assume '{item}' has no '='", expected="ID=VALUE, e.g. --assume attribution=0.4")
        key, value = item.split("=", 1)
        what_if[key.strip()] = value.strip()
    data = cba_json(cba_results(cfg, what_if, seed=args.seed, draws=args.draws))
    sys.stdout.write(dumps_json(data) if args.json else _brief(data))
    return 0


def cmd_assumptions_diff(args: argparse.Namespace) -> int:
    from outcomes.registries.assumptions import diff_registries, load_registry

    diff = diff_registries(load_registry(args.old), load_registry(args.new))
    if diff.empty:
        print(f"No differences between {args.old} and {args.new}.")
        return 0
    print(diff.to_string(index=False))
    return 0


def _brief(data: dict[str, Any]) -> str:
    """A short readable print-out of a result dict: its headline if it has one."""
    head = data.get("headline", data)
    return dumps_json(head)


def _selections(items: list[str]) -> dict[str, list[str]]:
    selected: dict[str, list[str]] = {}
    for item in items:
        if "=" not in item:
            raise OutcomesError(f"--select '{item}' has no '='", expected="VARIABLE=code1,code2, e.g. Region=3401,3414")
        name, codes = item.split("=", 1)
        selected[name.strip()] = [c.strip() for c in codes.split(",") if c.strip()]
    return selected


def cmd_fetch(args: argparse.Namespace) -> int:
    from outcomes.analyses.baseline.fetch import download, fhi_request, ssb_v2_request
    from outcomes.core import paths

    selected = _selections(args.select)
    if args.publisher == "ssb":
        request = ssb_v2_request(args.table, selected, language=args.language)
    else:
        if not args.source:
            raise OutcomesError("FHI tables need --source (the statistics source id, e.g. nokkel)")
        request = fhi_request(args.source, args.table, selected)
    target = download(request, paths.resolve(args.out))
    print(f"saved {paths.relative_to_root(target)} (from {request.url})")
    return 0


def cmd_demo_data(args: argparse.Namespace) -> int:
    from outcomes.demo.followup import write_demo_data

    for path in write_demo_data():
        print(f"wrote {path}")
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    """Audit a rendered bundle for numbers that can be worked out; exit 0 clean, 1 disclosed."""
    from outcomes.sdc.bundle import audit_bundle

    audit = audit_bundle(args.bundle, previous=args.previous)
    if args.json:
        data = audit.summary() | {
            "disclosed_cells": [
                {
                    "cell": d.cell.label,
                    "low": int(d.low),
                    "high": int(d.high),
                    "given_away_by": [w.source for w in d.witnesses],
                }
                for d in audit.disclosed
            ],
            "problems": audit.result.inconsistent + audit.findings,
        }
        sys.stdout.write(dumps_json(data))
    else:
        print(audit.report(limit=args.limit))
    return 0 if audit.clean else 1


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with all subcommands."""
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
    p.set_defaults(func=cmd_cba)

    p = sub.add_parser("assumptions", help="work with assumption registries")
    asub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    d = asub.add_parser("diff", help="list what changed between two registries (e.g. last year's and this year's)")
    d.add_argument("old", help="the earlier registry (YAML)")
    d.add_argument("new", help="the later registry (YAML)")
    d.set_defaults(func=cmd_assumptions_diff)

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
    p.add_argument("--source", help="FHI statistics source id (FHI only)")
    p.add_argument("--language", choices=["no", "en"], default="no", help="label language of SSB's response")
    p.add_argument("--out", required=True, help="file to write, e.g. data/raw/2025/indicators/ssb_13556_neet.json")
    p.set_defaults(func=cmd_fetch)

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


if __name__ == "__main__":
    sys.exit(main())
