"""What-if values: an assumption or setting changed as ``--set id=value`` does.

Pure: a new registry comes back, revalidated by the schema, with every change
listed for the run log.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from outcomes.core.errors import ConfigError
from outcomes.registries.assumptions.schema import (
    SETTING_NAMES,
    SHARE_UNITS,
    Assumption,
    Override,
    Registry,
    unknown_id,
)

_TRUE = {"true", "on", "yes", "ja", "1"}
_FALSE = {"false", "off", "no", "nei", "0"}


def _parse_number(raw: Any, key: str, unit: str, registry: Registry) -> float:
    if isinstance(raw, bool):
        raise ConfigError(f"Override {key}={raw!r} is not a number.", file=registry.source_file, column=key)
    if isinstance(raw, (int, float)):
        return float(raw)
    text = str(raw).strip().replace(" ", "").replace("\u00a0", "")
    percent = text.endswith("%")
    if percent:
        text = text[:-1]
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # Norwegian decimal comma: 0,3
    try:
        number = float(text)
    except ValueError:
        raise ConfigError(
            f"Override {key}={raw!r} is not a number.",
            file=registry.source_file,
            column=key,
            expected=f"a number in {unit}" + (" (0-1, or percent with a % sign)" if unit in SHARE_UNITS else ""),
        ) from None
    if percent:
        if unit not in SHARE_UNITS:
            raise ConfigError(
                f"Override {key}={raw!r} uses percent, but the unit is {unit!r}.",
                file=registry.source_file,
                column=key,
                expected=f"a plain number in {unit}",
            )
        number /= 100.0
    if not math.isfinite(number):
        raise ConfigError(f"Override {key}={raw!r} is not a finite number.", file=registry.source_file, column=key)
    if unit in SHARE_UNITS and not 0.0 <= number <= 1.0:
        raise ConfigError(
            f"Override {key}={raw!r} is outside 0-1.",
            file=registry.source_file,
            column=key,
            expected="a share from 0 to 1, e.g. 0.3 or 30%",
        )
    if unit == "years" and number < 0:
        raise ConfigError(
            f"Override {key}={raw!r} is a negative number of years.", file=registry.source_file, column=key
        )
    return number


def _parse_setting(name: str, raw: Any, registry: Registry) -> Any:
    if name == "tax_financing":
        if isinstance(raw, bool):
            return raw
        word = str(raw).strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        raise ConfigError(
            f"Override tax_financing={raw!r} is not on or off.",
            file=registry.source_file,
            column=name,
            expected="true/false, on/off, yes/no or 1/0",
        )
    if name == "price_index":
        word = str(raw).strip().upper()
        if word not in ("G", "KPI"):
            raise ConfigError(
                f"Override price_index={raw!r} is not a known index.",
                file=registry.source_file,
                column=name,
                expected="G or KPI",
            )
        return word
    if name in ("report_price_year", "comparison_year"):
        try:
            return int(str(raw).strip())
        except ValueError:
            raise ConfigError(
                f"Override {name}={raw!r} is not a year.",
                file=registry.source_file,
                column=name,
                expected="a year such as 2024",
            ) from None
    raise unknown_id(name, registry)  # pragma: no cover - SETTING_NAMES is exhaustive


def apply_overrides(registry: Registry, overrides: Mapping[str, Any]) -> Registry:
    """Change assumption values or settings, as ``--set id=value`` does.

    Parameters
    ----------
    registry
        The registry to start from (not modified).
    overrides
        Key -> value. Keys are an assumption id (sets ``value``), an id with
        ``.low`` or ``.high``, or a setting name (``report_price_year``,
        ``comparison_year``, ``price_index``, ``tax_financing``). Values may be strings as typed on
        the command line: ``0.3``, ``0,3`` and ``30%`` (shares only) are the
        same share; money is in the assumption's own price year.

    Returns
    -------
    Registry
        A new registry. A value outside ``low``-``high`` widens the range to
        include it, so that the simulation and the tornado stay defined; every
        change is listed in ``Registry.overrides`` for the run log.

    Raises
    ------
    ConfigError
        For an unknown id (with close matches), a value that is not a number,
        a share outside 0-1, a bad setting, or values that break a rule
        across assumptions (the discount schedule's years out of order).
    """
    if not overrides:
        return registry
    assumptions = {a.id: a for a in registry.assumptions}
    settings = registry.settings.model_dump()
    applied: list[Override] = list(registry.overrides)
    for key, raw in overrides.items():
        key = str(key).strip()
        if key in SETTING_NAMES:
            new_setting = _parse_setting(key, raw, registry)
            applied.append(Override(key=key, given=str(raw), previous=settings[key], new=new_setting))
            settings[key] = new_setting
            continue
        base, _, field = key.partition(".")
        if base not in assumptions or field not in ("", "value", "low", "high"):
            raise unknown_id(key, registry)
        assumptions[base], change = _override_assumption(assumptions[base], field or "value", key, raw, registry)
        applied.append(change)
    data = registry.model_dump()
    data["assumptions"] = [assumptions[i].model_dump() for i in registry.ids]
    data["settings"] = settings
    data["overrides"] = [o.model_dump() for o in applied]
    try:
        return Registry.model_validate(data)
    except ValidationError as exc:
        # Rules across assumptions, such as the discount schedule's order of years.
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc']))}: {e['msg'].removeprefix('Value error, ')}" for e in exc.errors()
        )
        keys = [o.key for o in applied[len(registry.overrides) :]]
        raise ConfigError(
            f"The what-if values {', '.join(keys)} leave the registry inconsistent: {problems}.",
            file=registry.source_file,
            column=keys[-1],
            expected="values that keep the registry valid (e.g. the discount schedule's years in order)",
        ) from None


def _override_assumption(
    item: Assumption, field: str, key: str, raw: Any, registry: Registry
) -> tuple[Assumption, Override]:
    """One assumption with ``field`` (value, low or high) set from ``raw``, and the change for the log."""
    number = _parse_number(raw, key, item.unit, registry)
    update: dict[str, float] = {field: number}
    if field == "value":
        update["low"] = min(item.low, number)
        update["high"] = max(item.high, number)
    elif field == "low" and number > item.value:
        raise ConfigError(
            f"Override {key}={raw!r} is above the value {item.value}.",
            file=registry.source_file,
            column=key,
            expected=f"at most {item.value}",
        )
    elif field == "high" and number < item.value:
        raise ConfigError(
            f"Override {key}={raw!r} is below the value {item.value}.",
            file=registry.source_file,
            column=key,
            expected=f"at least {item.value}",
        )
    change = Override(key=key, given=str(raw), previous=getattr(item, field), new=number)
    # Revalidate the changed assumption so every rule of the file format still holds.
    return Assumption.model_validate({**item.model_dump(), **update}), change
