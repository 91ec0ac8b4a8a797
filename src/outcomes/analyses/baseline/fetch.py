"""Optional download of indicator tables from SSB and FHI, when a network exists.

Nothing else in the workbench touches the network: readers take files. This
module only builds requests (URL, method, body) and saves the raw response to
a file under ``data/raw`` for the readers. Requests are built by pure functions
so they can be reviewed and tested; :func:`download` is the one place that calls
:func:`urllib.request.urlopen` (tests replace it with recorded responses).

Limits to respect (``shared/research/data.md`` §2): SSB allows 800,000 cells
per request and 30 requests per minute per IP address.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from outcomes.core.errors import InputError

SSB_V2_BASE = "https://data.ssb.no/api/pxwebapi/v2"
SSB_V1_BASE = "https://data.ssb.no/api/v0"
FHI_BASE = "https://statistikk-data.fhi.no/api/open/v1"


@dataclass(frozen=True)
class Request:
    """An HTTP request to make: ``method`` GET or POST, ``body`` JSON for POST."""

    url: str
    method: str = "GET"
    body: dict | None = None


def ssb_v2_request(
    table: str,
    value_codes: Mapping[str, Sequence[str]],
    *,
    codelists: Mapping[str, str] | None = None,
    language: str = "no",
) -> Request:
    """GET request for a PxWebApi 2 table in JSON-stat 2.0.

    Parameters
    ----------
    table
        Table number, e.g. ``"13556"``.
    value_codes
        Codes per variable, e.g. ``{"Region": ["3401", "3414"], "Tid": ["top(5)"]}``.
    codelists
        Codelist per variable, e.g. ``{"Region": "agg_KommGjeldende"}``.
    language
        ``"no"`` or ``"en"``.

    Returns
    -------
    Request
    """
    params: list[tuple[str, str]] = [("lang", language), ("outputFormat", "json-stat2")]
    for var, codes in value_codes.items():
        params.append((f"valueCodes[{var}]", ",".join(codes)))
    for var, codelist in (codelists or {}).items():
        params.append((f"codelist[{var}]", codelist))
    query = urllib.parse.urlencode(params, safe="[](),*")
    return Request(url=f"{SSB_V2_BASE}/tables/{table}/data?{query}")


def ssb_v1_request(table: str, selections: Mapping[str, tuple[str, Sequence[str]]], *, language: str = "no") -> Request:
    """POST request for a PxWebApi v1 (``/api/v0``) table in JSON-stat 2.0.

    Parameters
    ----------
    table
        Table number.
    selections
        Per variable, the filter and values, e.g.
        ``{"Region": ("agg:KommSummer", ["K-3401"]), "Tid": ("top", ["3"])}``.
    language
        ``"no"`` or ``"en"``.

    Returns
    -------
    Request
    """
    query = [{"code": var, "selection": {"filter": f, "values": list(vals)}} for var, (f, vals) in selections.items()]
    return Request(
        url=f"{SSB_V1_BASE}/{language}/table/{table}",
        method="POST",
        body={"query": query, "response": {"format": "json-stat2"}},
    )


def fhi_request(
    source_id: str, table: str, dimensions: Mapping[str, Sequence[str]], *, max_rows: int = 50000
) -> Request:
    """POST request for a table of FHI's statistics API in JSON-stat 2.0.

    Parameters
    ----------
    source_id
        FHI source, e.g. ``"nokkel"``.
    table
        Table id, e.g. ``"360"``.
    dimensions
        Codes per dimension (``item`` filter), e.g. ``{"GEO": ["0", "34", "3401"]}``.
    max_rows
        ``maxRowCount`` of the response.

    Returns
    -------
    Request
    """
    dims = [{"code": code, "filter": "item", "values": list(values)} for code, values in dimensions.items()]
    return Request(
        url=f"{FHI_BASE}/{source_id}/Table/{table}/data",
        method="POST",
        body={"dimensions": dims, "response": {"format": "json-stat2", "maxRowCount": max_rows}},
    )


def download(request: Request, destination: str | Path, *, timeout: float = 60.0) -> Path:
    """Make the request and save the raw response body to ``destination``.

    Parameters
    ----------
    request
        From :func:`ssb_v2_request`, :func:`ssb_v1_request` or :func:`fhi_request`.
    destination
        File to write (parent folders are created). Name it so the reader
        recognises the table, e.g. ``ssb_13556_neet.json``.
    timeout
        Seconds before giving up.

    Returns
    -------
    pathlib.Path
        ``destination``.

    Raises
    ------
    InputError
        If the server cannot be reached, answers with an error, or returns
        something that is not JSON-stat; nothing is written then.
    """
    destination = Path(destination)
    data = json.dumps(request.body).encode("utf-8") if request.body is not None else None
    req = urllib.request.Request(
        request.url,
        data=data,
        method=request.method,
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:  # noqa: S310 (fixed https hosts)
            body = response.read()
    except OSError as exc:  # URLError and HTTPError are OSErrors
        raise InputError(
            f"Download failed: {exc}.",
            file=request.url,
            hint="Check the network, or download the file by hand and put it in the indicator folder.",
        ) from exc
    try:
        parsed = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError("The response is not JSON.", file=request.url, expected="JSON-stat 2.0") from exc
    if not isinstance(parsed, dict) or "dimension" not in parsed:
        raise InputError(
            "The response is not a JSON-stat dataset.", file=request.url, expected="JSON-stat 2.0 with 'dimension'"
        )
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.write_bytes(body)
    return destination
