"""Reading an assumption registry: YAML in, a validated :class:`Registry` out.

:func:`load_registry` is the only function of the registry that reads a file.
Errors name the file, the line and the assumption id.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from outcomes.core import paths
from outcomes.core.errors import ConfigError
from outcomes.core.yamlsafe import YamlLimitError, compose_yaml, load_yaml, read_yaml_text
from outcomes.registries.assumptions.schema import Assumption, Registry, RegistryFile
from outcomes.registries.assumptions.unit_costs import UnitCost, load_unit_costs, resolve_unit_costs


def _line_numbers(text: str) -> dict[tuple, int]:
    """Map each YAML path (keys and list indices) to its 1-based line."""
    lines: dict[tuple, int] = {}
    try:
        root = compose_yaml(text)
    except (yaml.YAMLError, YamlLimitError):
        return lines

    def walk(node: yaml.Node, path: tuple) -> None:
        lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for key, child in node.value:
                lines[(*path, key.value)] = key.start_mark.line + 1
                walk(child, (*path, key.value))
        elif isinstance(node, yaml.SequenceNode):
            for index, child in enumerate(node.value):
                walk(child, (*path, index))

    if root is not None:
        walk(root, ())
    return lines


def _describe_error(error: ErrorDetails, data: Mapping, lines: dict[tuple, int]) -> tuple[str, str | None, int | None]:
    """Turn one pydantic error into (sentence, column, line)."""
    loc = tuple(error["loc"])
    where = "registry"
    column: str | None = None
    if len(loc) >= 2 and loc[0] == "assumptions" and isinstance(loc[1], int):
        raw = data.get("assumptions", [])
        item = raw[loc[1]] if isinstance(raw, list) and loc[1] < len(raw) else {}
        item_id = item.get("id") if isinstance(item, Mapping) else None
        where = f"assumption {item_id!r}" if item_id else f"assumption number {loc[1] + 1}"
        column = str(item_id) if item_id else None
        key = ".".join(str(part) for part in loc[2:])
    else:
        key = ".".join(str(part) for part in loc)
    line = None
    for size in range(len(loc), -1, -1):
        if loc[:size] in lines:
            line = lines[loc[:size]]
            break
    kind = error["type"]
    if kind == "extra_forbidden":
        text = f"{where}: unknown key {key!r}"
    elif kind == "missing":
        text = f"{where}: missing key {key!r}"
        if key == "source":
            text += " (every assumption needs a source: document and page or table, or evidence 'judgement' with who judged)"
    else:
        message = error["msg"].removeprefix("Value error, ")
        text = f"{where}, key {key!r}: {message}" if key else f"{where}: {message}"
    return text, column or (key or None), line


def parse_registry(
    data: Any,
    file: str | Path | None = None,
    text: str | None = None,
    library: Mapping[str, UnitCost] | None = None,
) -> Registry:
    """Validate registry data (already parsed from YAML).

    Parameters
    ----------
    data
        The mapping read from the YAML file.
    file
        The file it came from, for messages.
    text
        The file's text, used only to give line numbers in messages.
    library
        The unit costs its assumptions may refer to (``unit_cost: <id>``),
        from :func:`~outcomes.registries.assumptions.unit_costs.load_unit_costs`.

    Returns
    -------
    Registry
        The validated registry.

    Raises
    ------
    ConfigError
        Listing every problem found (unknown keys, missing sources, values
        outside their range, money without a price year, duplicated ids).
    """
    if not isinstance(data, Mapping):
        raise ConfigError(
            "The registry is not a YAML mapping.",
            file=file,
            expected="keys programme, settings and assumptions (a list)",
        )
    data = resolve_unit_costs(data, library or {}, file)
    try:
        RegistryFile.model_validate(data)
    except ValidationError as exc:
        lines = _line_numbers(text) if text else {}
        problems = [_describe_error(e, data, lines) for e in exc.errors()]
        first_text, first_column, first_line = problems[0]
        message = "; ".join((f"line {line}: " if line is not None else "") + sentence for sentence, _, line in problems)
        raise ConfigError(
            f"Invalid assumption registry ({len(problems)} problem{'s' if len(problems) > 1 else ''}): {message}.",
            file=file,
            column=first_column,
            expected="keys "
            + ", ".join(Assumption.model_fields)
            + " for each assumption (see outcomes.registries.assumptions)",
        ) from None
    return Registry.model_validate({**data, "source_file": str(file) if file is not None else None})


def load_registry(path: str | Path) -> Registry:
    """Read and validate an assumption registry YAML file.

    Parameters
    ----------
    path
        The file, e.g. ``config/assumptions/demo.yml`` (relative paths are
        taken from the current directory; resolve them with
        :func:`outcomes.core.paths.resolve` first to be independent of it).

    Returns
    -------
    Registry
        The validated registry, remembering ``source_file``.

    Raises
    ------
    ConfigError
        If the file is missing, is not valid YAML, or breaks the schema; or a
        unit-cost library it names is missing or invalid.
    """
    file = Path(path)
    if not file.is_file():
        raise ConfigError(
            "Assumption registry not found.",
            file=file,
            hint="Check 'costbenefit.assumptions' in the run configuration; registries live in config/assumptions/.",
        )
    text = read_yaml_text(file)
    try:
        data = load_yaml(text, file=file)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ConfigError(
            f"The registry is not valid YAML: {getattr(exc, 'problem', exc)}.",
            file=file,
            line=mark.line + 1 if mark is not None else None,
        ) from None
    library: dict[str, UnitCost] = {}
    if isinstance(data, Mapping) and isinstance(data.get("unit_costs"), list):
        # Paths are relative to the project root, like every path of the configuration.
        library = load_unit_costs(paths.resolve(str(name)) for name in data["unit_costs"])
    return parse_registry(data, file=file, text=text, library=library)
