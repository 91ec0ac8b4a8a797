"""Last year's bundle: its ``summary.json`` read defensively.

This year's report compares itself with last year's (the "changes since the
last report" part of the methods page) and the disclosure control takes
account of what last year's bundle published. That bundle may have been
written by an older version, in another shape, or be damaged (edited by hand,
cut short by a full disk). None of that may stop this year's report: such a
summary is not used, and the methods page says that it could not compare,
and why.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: The ``schema`` value of the ``summary.json`` this version writes. ``/2``: ``costbenefit.headline.bcr`` is the
#: simulated median (``bcr_kind``), the base case is ``bcr_base_case``; in ``/1`` ``bcr`` was the base case.
SUMMARY_SCHEMA = "outcomes-summary/2"

#: The schemas of last year's ``summary.json`` this version can compare with (each key read means the same in
#: them, or is read as its version meant it, as :func:`outcomes.render.methods.base_case_ratio` does).
READABLE_SCHEMAS = ("outcomes-summary/1", SUMMARY_SCHEMA)

#: Largest ``summary.json`` read (bytes); the demo's is about 100 kB.
MAX_SUMMARY_BYTES = 64 * 1024 * 1024

_NUMBER = (int, float)
_NONE = type(None)

#: The parts of a summary that are read from last year's: dotted path ("*" = every value of a
#: mapping, "#" = every item of a list) and the JSON types allowed there. A part that is
#: missing is fine (the comparison leaves it out); one of another type means a damaged summary.
_SHAPE: tuple[tuple[str, tuple[type, ...]], ...] = (
    ("report_year", (int,)),
    ("followup", (dict,)),
    ("followup.disclosure_threshold", (int, _NONE)),
    ("followup.headline", (dict,)),
    ("followup.headline.year", (int, _NONE)),
    ("followup.headline.groups", (dict,)),
    ("followup.headline.groups.*", (dict,)),
    ("followup.headline.groups.*.share", (*_NUMBER, _NONE)),
    ("followup.bounds", (dict,)),
    ("followup.bounds.*", (dict,)),
    ("followup.bounds.*.groups", (dict,)),
    ("followup.bounds.*.groups.*", (dict,)),
    ("followup.groups", (dict,)),
    ("followup.groups.*", (dict,)),
    ("followup.groups.*.statuses", (list,)),
    ("participants", (dict,)),
    ("participants.headline", (dict,)),
    ("participants.headline.survey", (dict,)),
    ("participants.headline.survey.lowest", (dict, _NONE)),
    ("participants.headline.survey.highest", (dict, _NONE)),
    ("baseline", (dict,)),
    ("costbenefit", (dict,)),
    ("costbenefit.headline", (dict,)),
    ("costbenefit.headline.bcr", (*_NUMBER, _NONE)),
    ("costbenefit.assumptions", (list,)),
    ("costbenefit.assumptions.#", (dict,)),
    ("costbenefit.assumptions.#.id", (str,)),
    ("provenance", (dict,)),
    ("provenance.config", (dict,)),
)

_JSON_TYPE = {
    dict: "an object",
    list: "a list",
    str: "text",
    int: "a whole number",
    float: "a number",
    bool: "true/false",
    _NONE: "null",
}


@dataclass(frozen=True)
class PreviousSummary:
    """Last year's ``summary.json``: its data when this year's report can compare with it, else why not.

    Attributes
    ----------
    file
        The file.
    data
        The summary, or ``None`` when it cannot be used.
    problem
        ``None`` when usable; else ``"unreadable"``, ``"not_json"``, ``"other_schema"``, ``"damaged_top"``
        (not a JSON object) or ``"damaged"`` (a part of the wrong type)
        (each a label ``methods.previous_<problem>`` of the translation catalogue).
    details
        Values for that label: ``error``, ``line``, ``found``, ``expected``, ``part``.
    """

    file: Path
    data: dict[str, Any] | None
    problem: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict)

    @property
    def usable(self) -> bool:
        """Whether the summary can be compared with."""
        return self.data is not None


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return _JSON_TYPE[bool]
    return _JSON_TYPE.get(type(value), type(value).__name__)


def _values_at(node: Any, parts: list[str], path: str) -> list[tuple[str, Any]]:
    """Every ``(dotted path, value)`` at ``parts`` below ``node``; missing parts give nothing."""
    if not parts:
        return [(path, node)]
    head, rest = parts[0], parts[1:]
    if head == "*":
        items = list(node.items()) if isinstance(node, dict) else []
    elif head == "#":
        items = list(enumerate(node)) if isinstance(node, list) else []
    else:
        items = [(head, node[head])] if isinstance(node, dict) and head in node else []
    out = []
    for key, value in items:
        out.extend(_values_at(value, rest, f"{path}.{key}" if path else str(key)))
    return out


def summary_problem(data: Any) -> tuple[str, dict[str, Any]] | None:
    """Why a parsed ``summary.json`` cannot be compared with, or ``None`` when it can.

    Parameters
    ----------
    data
        The parsed JSON.

    Returns
    -------
    tuple of (str, dict) or None
        ``("other_schema", {"found", "expected"})`` for a summary of another
        version, ``("damaged_top", {"found", "expected"})`` when it is not a JSON
        object, ``("damaged", {"part", "found", "expected"})`` for a part of the
        wrong type; ``None`` when every part that is read has its expected type.
    """
    if not isinstance(data, dict):
        return "damaged_top", {"found": _json_type(data), "expected": _JSON_TYPE[dict]}
    schema = data.get("schema")
    if schema not in READABLE_SCHEMAS:
        found = "\u2013" if schema is None else str(schema)[:80]
        return "other_schema", {"found": found, "expected": ", ".join(READABLE_SCHEMAS)}
    for path, allowed in _SHAPE:
        for where, value in _values_at(data, path.split("."), ""):
            # JSON true/false are bools, which Python also counts as int: never a number here.
            if isinstance(value, bool) and bool not in allowed or not isinstance(value, allowed):
                expected = " or ".join(dict.fromkeys(_JSON_TYPE[t] for t in allowed))
                return "damaged", {"part": where, "found": _json_type(value), "expected": expected}
    return None


def read_previous_summary(file: Path) -> PreviousSummary | None:
    """Read last year's ``summary.json`` without ever failing on its content.

    Parameters
    ----------
    file
        ``reports/<programme>/<year - 1>/summary.json``.

    Returns
    -------
    PreviousSummary or None
        ``None`` when there is no such file (no report last year); else the
        summary, usable or with the reason it is not.
    """
    try:
        if not file.is_file():
            return None
        if file.stat().st_size > MAX_SUMMARY_BYTES:
            return PreviousSummary(
                file,
                None,
                "damaged",
                {
                    "part": "(file size)",
                    "found": f"{file.stat().st_size} bytes",
                    "expected": f"at most {MAX_SUMMARY_BYTES} bytes",
                },
            )
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return PreviousSummary(file, None, "unreadable", {"error": getattr(exc, "strerror", None) or str(exc)})
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return PreviousSummary(file, None, "not_json", {"line": exc.lineno})
    except (ValueError, RecursionError):
        return PreviousSummary(file, None, "not_json", {"line": "?"})
    problem = summary_problem(data)
    if problem is not None:
        return PreviousSummary(file, None, problem[0], problem[1])
    return PreviousSummary(file, data)
