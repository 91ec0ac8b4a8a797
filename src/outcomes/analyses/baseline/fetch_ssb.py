"""One SSB table downloaded the careful way: its metadata checked first, PxWebApi 2 with v0 as the fallback.

Steps (:func:`fetch_ssb_table`):

1. GET the table's metadata from PxWebApi 2 and check the request against it
   (:mod:`.fetch_check`): variables, the variables that must be selected,
   codelists, codes. A wrong code stops here with the table, the variable and
   the code named, before any data is asked for.
2. For a variable selected through a codelist (``agg_KommSummer``,
   ``vs_Kommun``), GET the codelist and check the codes against it.
3. GET (short selections) or POST (long ones, e.g. all 357 municipalities)
   the data and save it.

When PxWebApi 2 cannot be reached or fails on the server's side (it is shut
down some mornings and weekends), the same request goes to PxWebApi v0
(``/api/v0``), checked against v0's metadata. ``api="v2"`` or ``"v0"`` uses
one of them only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from outcomes.analyses.baseline.fetch import (
    DownloadError,
    Request,
    download,
    fetch_json,
    ssb_v1_metadata_request,
    ssb_v1_request,
    ssb_v2_codelist_request,
    ssb_v2_metadata_request,
    ssb_v2_request,
)
from outcomes.analyses.baseline.fetch_check import (
    check_codes,
    check_selection,
    codelist_codes,
    is_expression,
    v1_selections,
    v1_variables,
    v2_variables,
)
from outcomes.core.errors import InputError

#: Which API :func:`fetch_ssb_table` may use.
APIS = ("auto", "v2", "v0")


@dataclass(frozen=True)
class FetchedTable:
    """A saved download: the file, the data request made, which API answered, and why v0 was used (if it was)."""

    path: Path
    request: Request
    api: str
    fallback_reason: str | None = None


def _v2_unavailable(exc: DownloadError) -> bool:
    """PxWebApi 2 down or failing on its side (not a request it refused, nor a rate limit to wait out)."""
    return exc.status is None or exc.status >= 500 or exc.status == 404


def _fetch_v2(
    table: str,
    value_codes: Mapping[str, Sequence[str]],
    destination: Path,
    *,
    codelists: Mapping[str, str],
    output_values: Mapping[str, str],
    language: str,
    timeout: float,
) -> FetchedTable:
    variables = v2_variables(table, fetch_json(ssb_v2_metadata_request(table, language=language), timeout=timeout))
    check_selection(variables, value_codes, codelists=codelists, output_values=output_values)
    for var, codelist in codelists.items():
        codes = list(value_codes.get(var, []))
        if any(not is_expression(c) for c in codes):
            listed = fetch_json(ssb_v2_codelist_request(codelist, language=language), timeout=timeout)
            check_codes(variables, var, codes, codelist_codes(listed), codelist)
    request = ssb_v2_request(table, value_codes, codelists=codelists, output_values=output_values, language=language)
    return FetchedTable(download(request, destination, timeout=timeout), request, "v2")


def _fetch_v0(
    table: str,
    value_codes: Mapping[str, Sequence[str]],
    destination: Path,
    *,
    codelists: Mapping[str, str],
    language: str,
    timeout: float,
) -> FetchedTable:
    selections = v1_selections(value_codes, codelists)
    variables = v1_variables(table, fetch_json(ssb_v1_metadata_request(table, language=language), timeout=timeout))
    check_selection(variables, value_codes, codelists=codelists)
    request = ssb_v1_request(table, selections, language=language)
    return FetchedTable(download(request, destination, timeout=timeout), request, "v0")


def fetch_ssb_table(
    table: str,
    value_codes: Mapping[str, Sequence[str]],
    destination: str | Path,
    *,
    codelists: Mapping[str, str] | None = None,
    output_values: Mapping[str, str] | None = None,
    language: str = "no",
    api: str = "auto",
    timeout: float = 60.0,
) -> FetchedTable:
    """Check a request against the table's metadata, then download the table as JSON-stat 2.0.

    Parameters
    ----------
    table
        SSB table number, e.g. ``"13556"``.
    value_codes
        Codes or expressions per variable, e.g. ``{"Region": [...357 codes], "Tid": ["top(5)"]}``.
    destination
        File to write, e.g. ``data/raw/2025/indicators/ssb_13556_neet.json``.
    codelists
        Codelist per variable, e.g. ``{"Region": "agg_KommSummer"}`` (codes then ``K-3401``).
    output_values
        ``aggregated`` or ``single`` per variable with a codelist (PxWebApi 2 only).
    language
        ``"no"`` or ``"en"``.
    api
        ``"auto"`` (PxWebApi 2, v0 when 2 is unavailable), ``"v2"`` or ``"v0"``.
    timeout
        Seconds per request.

    Returns
    -------
    FetchedTable

    Raises
    ------
    InputError
        Before any data is downloaded, for a variable, codelist or code the
        table does not have (the message names the table and the code); after,
        for a failed download (nothing is written then).
    """
    if api not in APIS:
        raise InputError(f"Unknown API {api!r}.", expected=" or ".join(APIS))
    destination = Path(destination)
    lists, modes = dict(codelists or {}), dict(output_values or {})
    if api == "v0":
        return _fetch_v0(table, value_codes, destination, codelists=lists, language=language, timeout=timeout)
    try:
        return _fetch_v2(
            table,
            value_codes,
            destination,
            codelists=lists,
            output_values=modes,
            language=language,
            timeout=timeout,
        )
    except DownloadError as exc:
        if api == "v2" or not _v2_unavailable(exc):
            raise
        reason = exc.message
    try:
        fetched = _fetch_v0(table, value_codes, destination, codelists=lists, language=language, timeout=timeout)
    except DownloadError as exc:
        raise DownloadError(
            f"{exc.message} PxWebApi 2 had failed first: {reason}", url=exc.file or "", status=exc.status
        ) from exc
    return FetchedTable(fetched.path, fetched.request, "v0", fallback_reason=reason)
