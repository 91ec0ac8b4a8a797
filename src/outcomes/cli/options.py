"""Options shared by the commands: configuration shortcuts, ``--set`` overrides, printing."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from outcomes.core.config import DEFAULT_CONFIG, MIN_THRESHOLD, parse_override, parse_value
from outcomes.core.provenance import dumps_json

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
    if getattr(args, "allow_rejects", False):
        overrides["allow_rejects"] = True
    for item in getattr(args, "set", []) or []:
        key, value = parse_override(item)
        overrides[key] = value
    return overrides


def _brief(data: dict[str, Any]) -> str:
    """A short readable print-out of a result dict: its headline if it has one."""
    head = data.get("headline", data)
    return dumps_json(head)
