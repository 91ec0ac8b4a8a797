"""Optional download of indicator tables from SSB and FHI, when a network exists.

Nothing else in the workbench touches the network: readers take files. This
module builds requests (URL, method, body) and makes them:
:func:`download` saves a data response under ``data/raw`` for the readers,
:func:`fetch_json` returns a small JSON document (a table's metadata, a
codelist, FHI's flag list). Both go through :func:`urllib.request.urlopen`,
which tests replace with recorded responses. :mod:`.fetch_ssb` puts the
steps together for SSB (metadata check first, then the data; PxWebApi v0 as
the fallback).

SSB PxWebApi 2 (``shared/research/data.md`` §2.2; PxTools/PxApiSpecs): a GET
URL carries ``valueCodes[VAR]``, ``codelist[VAR]`` and ``outputValues[VAR]``;
beyond about 2,100 characters SSB answers 404, so a long selection (all 357
municipalities) is sent as a POST with the same selection in the body::

    {"selection": [{"variableCode": "Region", "codelist": "agg_KommSummer",
                    "outputValues": "aggregated", "valueCodes": ["K-3401"]}, ...]}

Limits to respect: SSB allows 800,000 cells per request and 30 requests per
minute per IP address; the same code twice in one variable makes SSB answer
500, so codes are sent once each.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from outcomes.core.errors import InputError

SSB_V2_BASE = "https://data.ssb.no/api/pxwebapi/v2"
SSB_V1_BASE = "https://data.ssb.no/api/v0"
FHI_BASE = "https://statistikk-data.fhi.no/api/open/v1"

#: Longest GET URL sent to SSB; longer selections go as a POST (SSB answers 404 from about 2,100 characters).
MAX_GET_URL = 2000

#: PxWebApi 2 ``outputValues`` for a variable with a codelist: sums of the groups, or the single values in them.
OUTPUT_VALUES = ("aggregated", "single")


@dataclass(frozen=True)
class Request:
    """An HTTP request to make: ``method`` GET or POST, ``body`` JSON for POST."""

    url: str
    method: str = "GET"
    body: dict | None = None


class DownloadError(InputError):
    """A request that failed: the server's HTTP ``status`` (``None`` when it could not be reached)."""

    def __init__(self, message: str, *, url: str, status: int | None = None, hint: str | None = None) -> None:
        self.status = status
        super().__init__(message, file=url, hint=hint)


def _unique(codes: Sequence[str]) -> list[str]:
    """Codes in their order, each once (SSB answers 500 to a repeated code)."""
    return list(dict.fromkeys(str(c) for c in codes))


def _checked_output_values(output_values: Mapping[str, str] | None) -> dict[str, str]:
    """``outputValues`` per variable, refused unless ``aggregated`` or ``single`` (SSB accepts anything silently)."""
    checked = {}
    for var, mode in (output_values or {}).items():
        if mode not in OUTPUT_VALUES:
            raise InputError(
                f"outputValues for {var} is {mode!r}.",
                column=var,
                expected=" or ".join(OUTPUT_VALUES),
                hint="SSB ignores an unknown value without saying so; it is refused here so a typing error shows.",
            )
        checked[var] = mode
    return checked


def ssb_v2_selection(
    value_codes: Mapping[str, Sequence[str]],
    *,
    codelists: Mapping[str, str] | None = None,
    output_values: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """The ``selection`` of a PxWebApi 2 POST body: per variable its codes, codelist and ``outputValues``."""
    modes = _checked_output_values(output_values)
    selection = []
    for var, codes in value_codes.items():
        item: dict[str, Any] = {"variableCode": var}
        if codelists and var in codelists:
            item["codelist"] = codelists[var]
        if var in modes:
            item["outputValues"] = modes[var]
        item["valueCodes"] = _unique(codes)
        selection.append(item)
    return selection


def ssb_v2_request(
    table: str,
    value_codes: Mapping[str, Sequence[str]],
    *,
    codelists: Mapping[str, str] | None = None,
    output_values: Mapping[str, str] | None = None,
    language: str = "no",
    post: bool | None = None,
) -> Request:
    """A PxWebApi 2 data request in JSON-stat 2.0: GET while the URL is short, else POST with a ``selection``.

    Parameters
    ----------
    table
        Table number, e.g. ``"13556"``.
    value_codes
        Codes or selection expressions per variable, e.g.
        ``{"Region": ["3401", "3414"], "Tid": ["top(5)"]}``.
    codelists
        Codelist per variable, e.g. ``{"Region": "agg_KommSummer"}``.
    output_values
        ``aggregated`` or ``single`` per variable with a codelist.
    language
        ``"no"`` or ``"en"``.
    post
        ``True``/``False`` to force POST/GET; ``None`` (default) chooses POST
        when the GET URL would be longer than :data:`MAX_GET_URL`.

    Returns
    -------
    Request

    Raises
    ------
    InputError
        If an ``outputValues`` is neither ``aggregated`` nor ``single``.
    """
    modes = _checked_output_values(output_values)
    params: list[tuple[str, str]] = [("lang", language), ("outputFormat", "json-stat2")]
    data_url = f"{SSB_V2_BASE}/tables/{table}/data"
    get_params = list(params)
    for var, codes in value_codes.items():
        get_params.append((f"valueCodes[{var}]", ",".join(_unique(codes))))
    for var, codelist in (codelists or {}).items():
        get_params.append((f"codelist[{var}]", codelist))
    for var, mode in modes.items():
        get_params.append((f"outputValues[{var}]", mode))
    get_url = f"{data_url}?{urllib.parse.urlencode(get_params, safe='[](),*')}"
    if post is False or (post is None and len(get_url) <= MAX_GET_URL):
        return Request(url=get_url)
    selection = ssb_v2_selection(value_codes, codelists=codelists, output_values=modes)
    return Request(url=f"{data_url}?{urllib.parse.urlencode(params)}", method="POST", body={"selection": selection})


def ssb_v2_metadata_request(table: str, *, language: str = "no") -> Request:
    """GET a PxWebApi 2 table's metadata (json-stat2: every code, ``extension.codelists``, ``elimination``)."""
    return Request(url=f"{SSB_V2_BASE}/tables/{table}/metadata?lang={language}&outputFormat=json-stat2")


def ssb_v2_codelist_request(codelist: str, *, language: str = "no") -> Request:
    """GET a PxWebApi 2 codelist (``values``: ``code``, ``label``, ``valueMap``), e.g. ``agg_KommSummer``."""
    return Request(url=f"{SSB_V2_BASE}/codeLists/{urllib.parse.quote(codelist)}?lang={language}")


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
    query = [
        {"code": var, "selection": {"filter": f, "values": _unique(vals)}} for var, (f, vals) in selections.items()
    ]
    return Request(
        url=f"{SSB_V1_BASE}/{language}/table/{table}",
        method="POST",
        body={"query": query, "response": {"format": "json-stat2"}},
    )


def ssb_v1_metadata_request(table: str, *, language: str = "no") -> Request:
    """GET a PxWebApi v1 table's metadata (``variables``: ``code``, ``values``, ``elimination``)."""
    return Request(url=f"{SSB_V1_BASE}/{language}/table/{table}")


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
    dims = [{"code": code, "filter": "item", "values": _unique(values)} for code, values in dimensions.items()]
    return Request(
        url=f"{FHI_BASE}/{source_id}/Table/{table}/data",
        method="POST",
        body={"dimensions": dims, "response": {"format": "json-stat2", "maxRowCount": max_rows}},
    )


def fhi_flags_request(source_id: str, table: str) -> Request:
    """GET the explanation of the symbols (flags) FHI uses in a table."""
    return Request(url=f"{FHI_BASE}/{source_id}/Table/{table}/flag")


def _server_says(exc: urllib.error.HTTPError) -> str:
    """The reason in an error response: PxWebApi's ``title`` (e.g. "Non-existent value"), else the status text."""
    try:
        problem = json.loads(exc.read().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        problem = None
    if isinstance(problem, dict):
        said = [str(problem[k]) for k in ("title", "detail") if problem.get(k)]
        if said:
            return "; ".join(dict.fromkeys(said))
    return str(exc.reason)


def _read(request: Request, timeout: float) -> bytes:
    """The response body, or a :class:`DownloadError` saying what the server said."""
    data = json.dumps(request.body).encode("utf-8") if request.body is not None else None
    req = urllib.request.Request(
        request.url,
        data=data,
        method=request.method,
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:  # noqa: S310 (fixed https hosts)
            return bytes(response.read())
    except urllib.error.HTTPError as exc:
        raise DownloadError(
            f"Download failed: HTTP {exc.code}: {_server_says(exc)}.",
            url=request.url,
            status=exc.code,
            hint="Check the table number and the codes against the table's metadata.",
        ) from exc
    except OSError as exc:  # URLError and timeouts are OSErrors
        raise DownloadError(
            f"Download failed: {exc}.",
            url=request.url,
            hint="Check the network, or download the file by hand and put it in the indicator folder.",
        ) from exc


def _parse(body: bytes, url: str) -> Any:
    try:
        return json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError("The response is not JSON.", file=url, expected="JSON") from exc


def fetch_json(request: Request, *, timeout: float = 60.0) -> Any:
    """Make a request for a small JSON document (metadata, a codelist, a flag list) and return it parsed.

    Raises
    ------
    DownloadError
        If the server cannot be reached or answers with an error.
    InputError
        If the response is not JSON.
    """
    return _parse(_read(request, timeout), request.url)


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
        If the server cannot be reached, answers with an error (the message
        gives its reason, e.g. "Non-existent value"), or returns something
        that is not JSON-stat; nothing is written then.
    """
    destination = Path(destination)
    body = _read(request, timeout)
    parsed = _parse(body, request.url)
    if not isinstance(parsed, dict) or "dimension" not in parsed:
        raise InputError(
            "The response is not a JSON-stat dataset.", file=request.url, expected="JSON-stat 2.0 with 'dimension'"
        )
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.write_bytes(body)
    return destination
