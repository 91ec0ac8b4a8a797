"""The commands of ``outcomes``: each reads its options and returns an exit code."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from outcomes.cli.options import _brief, _err, overrides_from
from outcomes.core.config import ReportConfig, load_config
from outcomes.core.errors import ConfigError, OutcomesError
from outcomes.core.provenance import dumps_json
from outcomes.sections import SECTIONS, Section


def cmd_report(args: argparse.Namespace) -> int:
    from outcomes.report.runner import build_report

    started = time.perf_counter()
    target = build_report(args.config, overrides_from(args), allow_rejects=args.allow_rejects, log=lambda m: _err(m))
    _err(f"Done in {time.perf_counter() - started:.1f} s.")
    print(f"Report written to {target / 'index.html'}")
    return 0


def refuse_rejected_rows(cfg: ReportConfig, section: Section) -> None:
    """Stop a command that prints a section's figures when rows of its inputs were rejected.

    Printed figures are published figures: as ``outcomes report`` does, the
    command refuses to print figures that leave rows out, unless
    ``--allow-rejects`` (``allow_rejects: true``) says to.

    Raises
    ------
    RejectedRowsError
        Naming the file, line, column and reason of each rejected row (exit 1).
    """
    if cfg.allow_rejects or not section.reads:
        return
    from outcomes.inputs.preflight import intake_configured, rejected_rows_error

    error = rejected_rows_error(
        intake_configured(cfg, section.reads), outcome="no figures were printed", option="print the figures"
    )
    if error is not None:
        raise error


def cmd_followup(args: argparse.Namespace) -> int:
    from outcomes.analyses import followup_results
    from outcomes.analyses.followup.results import load_followup
    from outcomes.inputs.preflight import rejected_rows_error

    cfg = load_config(args.config, overrides_from(args))
    loaded = load_followup(cfg)  # read once: the figures rest on exactly what was checked
    intakes = [i for i in (loaded.records, loaded.counts) if i is not None]
    error = rejected_rows_error(intakes, outcome="no figures were printed", option="print the figures")
    if error is not None and not cfg.allow_rejects:
        raise error
    results = followup_results(cfg, loaded)
    data = SECTIONS["followup"].as_json(results)
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
    from outcomes.inputs.contracts import load_contract
    from outcomes.registries.statuses import load_status_map

    check_kind(args.kind)
    if args.files:
        status_map = None
        if load_contract(args.kind).uses_status_map:
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
            status_map = load_status_map(cfg.status_map) if load_contract(kind).uses_status_map else None
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
        refuse_rejected_rows(cfg, section)
        data = section.as_json(section.compute(cfg))
        sys.stdout.write(dumps_json(data) if args.json else _brief(data))
        return 0

    return command


def cmd_cba(args: argparse.Namespace) -> int:
    from outcomes.analyses.costbenefit.results import cba_results

    # In `cba`, --set ID=VALUE sets an assumption of the registry; keys that name
    # the configuration (dotted, or a top-level key) still set the configuration.
    from outcomes.core.config import ReportConfig

    config_sets: list[str] = []
    assumption_sets: list[str] = []
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
    refuse_rejected_rows(cfg, SECTIONS["costbenefit"])
    data = SECTIONS["costbenefit"].as_json(cba_results(cfg, what_if, seed=args.seed, draws=args.draws))
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


def _selections(items: list[str]) -> dict[str, list[str]]:
    selected: dict[str, list[str]] = {}
    for item in items:
        if "=" not in item:
            raise OutcomesError(f"--select '{item}' has no '='", expected="VARIABLE=code1,code2, e.g. Region=3401,3414")
        name, codes = item.split("=", 1)
        selected[name.strip()] = [c.strip() for c in codes.split(",") if c.strip()]
    return selected


def _pairs(items: list[str], option: str) -> dict[str, str]:
    """``VAR=value`` options (``--codelist Region=agg_KommSummer``) as a dict."""
    pairs: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise OutcomesError(f"{option} '{item}' is not VARIABLE=value", expected=f"e.g. {option} Region=...")
        pairs[name.strip()] = value.strip()
    return pairs


def _fetch_ssb(args: argparse.Namespace, out: Path) -> Path:
    from outcomes.analyses.baseline.fetch_ssb import fetch_ssb_table
    from outcomes.analyses.baseline.kpi import KPI_SELECTION, KPI_TABLE

    selected = _selections(args.select)
    if args.update_prices:
        if args.table != KPI_TABLE:
            raise OutcomesError(f"--update-prices reads SSB table {KPI_TABLE} (KPI), not {args.table}")
        selected = {**KPI_SELECTION, **selected}
    fetched = fetch_ssb_table(
        args.table,
        selected,
        out,
        codelists=_pairs(args.codelist, "--codelist"),
        output_values=_pairs(args.output_values, "--output-values"),
        language=args.language,
        api=args.api,
    )
    if fetched.fallback_reason:
        _err(f"PxWebApi 2 was not available ({fetched.fallback_reason}); used PxWebApi v0.")
    print(f"saved {_shown(fetched.path)} ({fetched.request.method} {fetched.request.url})")
    return fetched.path


def _fetch_fhi(args: argparse.Namespace, out: Path) -> Path:
    from outcomes.analyses.baseline.fetch import download, fetch_json, fhi_flags_request, fhi_request
    from outcomes.analyses.baseline.readers.notes import flags_path

    if not args.source:
        raise OutcomesError("FHI tables need --source (the statistics source id, e.g. nokkel)")
    request = fhi_request(args.source, args.table, _selections(args.select))
    target = download(request, out)
    print(f"saved {_shown(target)} (from {request.url})")
    try:  # the flag list explains FHI's symbols; the figures are usable without it
        flags = fetch_json(fhi_flags_request(args.source, args.table))
    except OutcomesError as exc:
        _err(f"FHI's flag list was not saved: {exc}")
        return target
    flag_file = flags_path(target)
    flag_file.write_text(dumps_json(flags), encoding="utf-8")
    print(f"saved {_shown(flag_file)} (what FHI's symbols mean)")
    return target


def _shown(path: Path) -> str:
    from outcomes.core import paths

    return paths.relative_to_root(path)


def cmd_fetch(args: argparse.Namespace) -> int:
    from outcomes.core import paths

    out = paths.resolve(args.out)
    if args.publisher == "fhi":
        _fetch_fhi(args, out)
        return 0
    saved = _fetch_ssb(args, out)
    if args.update_prices:
        from outcomes.analyses.baseline.kpi import update_price_indices_from_file

        print(update_price_indices_from_file(saved, args.prices_file).report())
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
