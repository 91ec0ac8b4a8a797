"""A request checked against the table's metadata before any data is downloaded (SSB PxWebApi 2 and v0).

SSB answers a wrong code with a bare "Non-existent value" (HTTP 400) and a
wrong ``outputValues`` not at all, so the workbench looks the table up first
and says what is wrong in terms of the table: which variable, which code,
which codelist, and what the table has instead. Pure functions: the metadata
comes in as parsed JSON (see :mod:`.fetch` for the requests).

Shapes (``shared/research/data.md`` §2; statisticsnorway/dapla-statbank-client
``tests/resources/metadata_14216.json``):

* PxWebApi 2 ``/tables/{id}/metadata``: json-stat2 with every code of every
  variable in ``dimension.<var>.category.index``, the codelists a variable
  offers in ``dimension.<var>.extension.codelists`` (``id``, ``label``,
  ``type``) and ``extension.elimination`` (``false``: the variable must be
  selected);
* PxWebApi 2 ``/codeLists/{id}``: ``values`` of ``code``/``label``/``valueMap``
  (``agg_KommSummer`` codes are written ``K-3401``);
* PxWebApi v0 ``/api/v0/{lang}/table/{id}``: ``variables`` of ``code``,
  ``values``, ``elimination``, ``time``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from outcomes.core.errors import InputError

_FUNCTION = re.compile(r"^\[?\s*(top|bottom|from|to|range)\s*\(.*\)\s*\]?$", re.IGNORECASE)
_SHOWN = 8


def is_expression(code: str) -> bool:
    """A selection expression rather than a code: ``*``, ``?`` wildcards, ``top(5)``, ``from(2020)``, ``[range(a,b)]``."""
    text = str(code).strip()
    return "*" in text or "?" in text or bool(_FUNCTION.match(text))


@dataclass(frozen=True)
class TableVariables:
    """What a table offers: codes per variable, codelists per variable, and the variables that must be selected."""

    table: str
    codes: dict[str, list[str]]
    codelists: dict[str, list[str]] = field(default_factory=dict)
    mandatory: tuple[str, ...] = ()


def v2_variables(table: str, metadata: Mapping[str, Any]) -> TableVariables:
    """The variables of a PxWebApi 2 metadata response (json-stat2)."""
    dims = metadata.get("dimension") or {}
    codes: dict[str, list[str]] = {}
    codelists: dict[str, list[str]] = {}
    mandatory = []
    for var in metadata.get("id") or list(dims):
        dim = dims.get(var) or {}
        index = (dim.get("category") or {}).get("index") or {}
        codes[str(var)] = [str(c) for c in index]
        ext = dim.get("extension") or {}
        codelists[str(var)] = [str(c.get("id")) for c in ext.get("codelists") or [] if isinstance(c, dict)]
        if ext.get("elimination") is False:
            mandatory.append(str(var))
    return TableVariables(table, codes, codelists, tuple(mandatory))


def v1_variables(table: str, metadata: Mapping[str, Any]) -> TableVariables:
    """The variables of a PxWebApi v0 metadata response (codelists are not listed there)."""
    codes = {
        str(v.get("code")): [str(c) for c in v.get("values") or []]
        for v in metadata.get("variables") or []
        if isinstance(v, dict)
    }
    return TableVariables(table, codes)


def codelist_codes(document: Mapping[str, Any]) -> list[str]:
    """The codes of a PxWebApi 2 codelist (``/codeLists/{id}``), e.g. ``K-3401`` for ``agg_KommSummer``."""
    return [str(v.get("code")) for v in document.get("values") or [] if isinstance(v, dict)]


def _listed(items: Sequence[str]) -> str:
    shown = ", ".join(items[:_SHOWN])
    return shown + (f" ... ({len(items)} in all)" if len(items) > _SHOWN else "")


def _variable(variables: TableVariables, name: str) -> str:
    """The table's spelling of a variable (SSB matches names case-insensitively), or a clear error."""
    by_lower = {v.lower(): v for v in variables.codes}
    if name.lower() not in by_lower:
        raise InputError(
            f"SSB table {variables.table} has no variable {name!r}.",
            column=name,
            expected=f"one of {_listed(list(variables.codes))}",
            hint="Nothing was downloaded.",
        )
    return by_lower[name.lower()]


def check_codes(
    variables: TableVariables, variable: str, codes: Sequence[str], known: Sequence[str], codelist: str | None = None
) -> None:
    """Every code that is not an expression must be one of ``known`` (case-insensitively, as SSB compares).

    Raises
    ------
    InputError
        Naming the table, the variable, the unknown codes and (when used) the codelist.
    """
    lower = {str(k).lower() for k in known}
    unknown = [c for c in codes if not is_expression(c) and str(c).lower() not in lower]
    if not unknown:
        return
    where = f" in codelist {codelist}" if codelist else ""
    raise InputError(
        f"SSB table {variables.table} has no {variable} code {', '.join(unknown)}{where}.",
        column=variable,
        expected=f"codes such as {_listed(list(known))}" if known else "a code the table has",
        hint=(
            "Nothing was downloaded. Municipality codes changed in 2017-2020 and 2024; "
            "with the codelist agg_KommSummer the codes are written K-3401."
        ),
    )


def check_selection(
    variables: TableVariables,
    value_codes: Mapping[str, Sequence[str]],
    *,
    codelists: Mapping[str, str] | None = None,
    output_values: Mapping[str, str] | None = None,
) -> None:
    """Check variables, mandatory variables, codelists and plain codes against the table's metadata.

    Codes of a variable selected through a codelist are checked separately
    (:func:`check_codes` with :func:`codelist_codes`), once the codelist is
    known to exist.

    Raises
    ------
    InputError
        For an unknown variable, a variable that must be selected but is not,
        a codelist the variable does not offer, ``outputValues`` without a
        codelist, or a code the table does not have. The message names the
        table; nothing has been downloaded.
    """
    lists = {_variable(variables, v): c for v, c in (codelists or {}).items()}
    chosen = {_variable(variables, v): list(c) for v, c in value_codes.items()}
    missing = [v for v in variables.mandatory if v not in chosen]
    if missing:
        raise InputError(
            f"SSB table {variables.table} needs codes for {', '.join(missing)}: they cannot be left out.",
            column=", ".join(missing),
            hint="Add --select VARIABLE=codes for each, e.g. --select Tid=top(5). Nothing was downloaded.",
        )
    for var, codelist in lists.items():
        if variables.codelists and codelist not in variables.codelists.get(var, []):
            offered = variables.codelists.get(var, [])
            raise InputError(
                f"SSB table {variables.table} has no codelist {codelist!r} for {var}.",
                column=var,
                expected=f"one of {_listed(offered)}" if offered else f"no codelist ({var} has none)",
                hint="Codelist names are case-sensitive. Nothing was downloaded.",
            )
    for var in output_values or {}:
        if _variable(variables, var) not in lists:
            raise InputError(
                f"outputValues for {var} needs a codelist for {var}.", column=var, hint="Add --codelist VAR=id."
            )
    for var, codes in chosen.items():
        if var not in lists:
            check_codes(variables, var, codes, variables.codes.get(var, []))


def v1_selections(
    value_codes: Mapping[str, Sequence[str]], codelists: Mapping[str, str] | None = None
) -> dict[str, tuple[str, list[str]]]:
    """The same request for PxWebApi v0: filter and values per variable.

    ``agg_X``/``vs_X`` codelists become the filters ``agg:X``/``vs:X``;
    ``*`` becomes ``all`` and ``top(n)`` becomes ``top``. (v0 has no
    ``outputValues``: an ``agg:`` filter always sums.)

    Raises
    ------
    InputError
        For an expression v0 cannot express (``from()``, ``range()``, ``?``).
    """
    out: dict[str, tuple[str, list[str]]] = {}
    for var, codes in value_codes.items():
        codes = [str(c).strip() for c in codes]
        codelist = (codelists or {}).get(var)
        top = [re.fullmatch(r"(?i)top\((\d+)\)", c) for c in codes]
        if codes == ["*"]:
            out[var] = ("all", ["*"])
        elif len(codes) == 1 and top[0]:
            out[var] = ("top", [top[0].group(1)])
        elif any(is_expression(c) for c in codes):
            raise InputError(
                f"The selection {', '.join(codes)} for {var} cannot be asked of PxWebApi v0.",
                column=var,
                expected="codes, '*' or 'top(n)' alone",
                hint="List the codes, or use PxWebApi 2 (--api v2).",
            )
        elif codelist:
            out[var] = (re.sub(r"^(agg|vs)_", r"\1:", codelist), codes)
        else:
            out[var] = ("item", codes)
    return out
