"""JSON-stat datasets from SSB and FHI, read into :class:`~.cells.Cells`.

Supported: JSON-stat 2.0 from SSB's PxWebApi v1 (``/api/v0``, region codes
such as ``K-3401`` from ``agg:KommSummer``) and PxWebApi 2 (plain codes,
labels with validity suffixes), and from FHI's statistics API
(``category.index`` is a list, ``role`` is null, ``status`` may be ``""``).
Also the older JSON-stat 1.0 ``{"dataset": ...}`` wrapper.

Why a parser of our own rather than pyjstat: pyjstat 2.4 drops ``status``, and
the status marker is the one thing we must never lose. Markers are kept in
``status`` with the value NaN. SSB's ``-`` (a true zero) becomes 0. A null
value without a marker stays unmarked here: in a dense cube it may be a code
that did not exist that year (:mod:`.validity` drops those), otherwise it
gets ``..`` when an indicator is extracted.

A table without a region dimension (a national series such as SSB 03014, the
consumer price index) is read as the country's series: region ``0``.
The publisher's notes and FHI's flag list (``<name>.flags.json`` beside the
file) are kept on the cells (:mod:`.notes`).
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from outcomes.analyses.baseline.readers.cells import Cells, table_from_filename
from outcomes.analyses.baseline.readers.notes import dataset_notes, flags_path, read_flag_list
from outcomes.analyses.baseline.readers.tidy import STATUS_MARKERS, TRUE_ZERO, normalise_region_code
from outcomes.core.errors import InputError

_GEO_NAMES = ("Region", "GEO", "region", "KOMMUNE", "Kommune")
_TIME_NAMES = ("Tid", "AAR", "år", "Ar", "tid", "Year")
_EXPECTED = "a JSON-stat 2.0 dataset"

#: Region code and column of a table without a region dimension (a national series).
NATIONAL_CODE = "0"
NATIONAL_COLUMN = "Region"


def _load_json(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise InputError("File not found.", file=path) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"Not valid JSON: {exc.msg}.", file=path, line=exc.lineno, expected=_EXPECTED) from exc
    if not isinstance(data, dict):
        raise InputError("The JSON is not an object.", file=path, expected=_EXPECTED)
    return data


def _normalise_dataset(data: dict[str, Any], path: Path) -> dict[str, Any]:
    """Bring JSON-stat 1.0 (``{"dataset": ...}``) into the 2.0 layout."""
    if "dataset" in data and isinstance(data["dataset"], dict):
        ds = dict(data["dataset"])
        dims = dict(ds.get("dimension", {}))
        ds["id"] = dims.pop("id", None)
        ds["size"] = dims.pop("size", None)
        ds["role"] = dims.pop("role", None)
        ds["dimension"] = dims
        return ds
    if data.get("class") not in (None, "dataset"):
        raise InputError(
            f"JSON-stat class {data.get('class')!r} is not a dataset.",
            file=path,
            expected="a JSON-stat 2.0 dataset (response format json-stat2)",
        )
    return data


def _category_codes(dim_id: str, dim: dict[str, Any], path: Path) -> list[str]:
    category = dim.get("category", {})
    index = category.get("index")
    if isinstance(index, list):  # FHI: codes in order
        return [str(c) for c in index]
    if isinstance(index, dict):  # SSB: code -> position
        return [str(c) for c, _ in sorted(index.items(), key=lambda kv: int(kv[1]))]
    labels = category.get("label")
    if isinstance(labels, dict) and len(labels) == 1:
        return [str(next(iter(labels)))]
    raise InputError(
        f"Dimension {dim_id!r} has no category index.", file=path, column=dim_id, expected="category.index"
    )


def _cell_statuses(status: object, n: int) -> list[str]:
    if status is None or status == "":
        return [""] * n
    if isinstance(status, str):
        return [status] * n
    if isinstance(status, list):
        return ["" if s is None else str(s) for s in status] + [""] * (n - len(status))
    if isinstance(status, dict):
        out = [""] * n
        for k, v in status.items():
            i = int(k)
            if 0 <= i < n and v is not None:
                out[i] = str(v)
        return out
    return [""] * n


def _raw_values(value: object, n: int, path: Path) -> list[object]:
    """The ``value`` array as a list of ``n`` entries (a sparse object filled with ``None``)."""
    raw: list[object]
    if isinstance(value, list):
        raw = list(value)
    elif isinstance(value, dict):  # sparse: position -> value
        raw = [None] * n
        for k, v in value.items():
            raw[int(k)] = v
    else:
        raise InputError("The dataset has no 'value' array.", file=path, expected="value as a list or object")
    if len(raw) != n:
        raise InputError(
            f"'value' has {len(raw)} entries but the dimension sizes multiply to {n}.",
            file=path,
            column="value",
            expected=f"{n} values",
        )
    return raw


def _cell_values(value: object, n: int, path: Path, markers_known: set[str]) -> tuple[np.ndarray, list[str]]:
    """Values as floats, plus markers found in the value array itself (``-`` is a true 0)."""
    values = np.full(n, np.nan)
    markers = [""] * n
    for i, v in enumerate(_raw_values(value, n, path)):
        if v is None:
            continue
        if isinstance(v, int | float) and not isinstance(v, bool):
            values[i] = float(v)
        elif isinstance(v, str) and v.strip() == TRUE_ZERO:
            values[i] = 0.0
        elif isinstance(v, str) and v.strip() in markers_known:
            markers[i] = v.strip()
        else:
            try:
                values[i] = float(str(v).replace(",", "."))
            except ValueError as exc:
                raise InputError(
                    f"Value {v!r} at position {i} is not a number.",
                    file=path,
                    column="value",
                    expected="a number, null or a status symbol",
                ) from exc
    return values, markers


def _find_dim(ids: Sequence[str], role: object, key: str, names: Iterable[str]) -> str | None:
    if isinstance(role, dict) and role.get(key):
        return str(role[key][0])
    return next((name for name in names if name in ids), None)


def _detect_dim(ids: Sequence[str], role: object, key: str, names: Iterable[str], path: Path) -> str:
    found = _find_dim(ids, role, key, names)
    if found is not None:
        return found
    raise InputError(
        f"Cannot tell which dimension holds the {'regions' if key == 'geo' else 'periods'}.",
        file=path,
        expected=f"a dimension named one of {', '.join(names)} or a role.{key} entry",
    )


def _detect_table(data: dict[str, Any], path: Path) -> tuple[str | None, str | None]:
    """Publisher and table number from the dataset, else from the file name."""
    publisher = None
    source = str(data.get("source") or "")
    if "Statistisk sentralbyrå" in source or "Statistics Norway" in source:
        publisher = "SSB"
    elif "Folkehelseinstitutt" in source or "FHI" in source or "Public Health" in source:
        publisher = "FHI"
    table = None
    ext = data.get("extension") or {}
    if isinstance(ext, dict):
        px = ext.get("px") or {}
        if isinstance(px, dict) and px.get("tableid"):
            table = str(px["tableid"])
        for key in ("tableId", "table_id", "tableid"):
            if ext.get(key):
                table = str(ext[key])
    label = str(data.get("label") or "")
    m = re.match(r"^\s*(\d{4,5})\s*[:\s]", label)
    if table is None and m:
        table = m.group(1)
    fp, ft = table_from_filename(path)
    return publisher or fp, table or ft


@dataclass(frozen=True)
class _Dimensions:
    """The dimensions of a dataset: ids in order, their sizes, category codes and labels."""

    ids: list[str]
    sizes: list[int]
    codes: list[list[str]]
    labels: dict[str, dict[str, str]]
    described: dict[str, Any]


def _dimensions(data: dict[str, Any], path: Path) -> _Dimensions:
    """Check ``id``, ``size`` and ``dimension`` against each other and list each dimension's codes."""
    ids = data.get("id")
    sizes = data.get("size")
    dims = data.get("dimension")
    if not isinstance(ids, list) or not isinstance(dims, dict) or not isinstance(sizes, list):
        raise InputError(
            "Missing 'id', 'size' or 'dimension'.", file=path, expected="a JSON-stat 2.0 dataset (json-stat2)"
        )
    codes = []
    labels: dict[str, dict[str, str]] = {}
    for dim_id, size in zip(ids, sizes, strict=True):
        if dim_id not in dims:
            raise InputError(f"Dimension {dim_id!r} is listed in 'id' but not described.", file=path, column=dim_id)
        dim_codes = _category_codes(dim_id, dims[dim_id], path)
        if len(dim_codes) != int(size):
            raise InputError(
                f"Dimension {dim_id!r} has {len(dim_codes)} categories but size says {size}.", file=path, column=dim_id
            )
        codes.append(dim_codes)
        labels[dim_id] = {str(k): str(v) for k, v in (dims[dim_id].get("category", {}).get("label") or {}).items()}
    return _Dimensions(ids=ids, sizes=[int(s) for s in sizes], codes=codes, labels=labels, described=dims)


def _cell_frame(data: dict[str, Any], dims: _Dimensions, path: Path, flags: dict[str, str]) -> pd.DataFrame:
    """One row per cell: the category codes, ``value`` and ``status`` (SSB's ``-`` read as a true 0)."""
    n = int(np.prod(dims.sizes)) if dims.sizes else 0
    values, value_markers = _cell_values(data.get("value"), n, path, set(STATUS_MARKERS) | set(flags))
    statuses = _cell_statuses(data.get("status"), n)
    statuses = [s or m for s, m in zip(statuses, value_markers, strict=True)]
    # JSON-stat is row-major: the last dimension varies fastest, as in product().
    frame = (
        pd.DataFrame(list(itertools.product(*dims.codes)), columns=dims.ids, dtype=str)
        if n
        else pd.DataFrame(columns=dims.ids)
    )
    zero = np.array([s == TRUE_ZERO for s in statuses], dtype=bool)
    frame["value"] = np.where(zero & np.isnan(values), 0.0, values)
    frame["status"] = ["" if z else s for s, z in zip(statuses, zero, strict=True)]
    return frame


def _flags_beside(path: Path) -> dict[str, str]:
    """FHI's flag list saved beside the data file, or nothing."""
    flag_file = flags_path(path)
    return read_flag_list(flag_file) if flag_file.is_file() else {}


def read_jsonstat(path: str | Path) -> Cells:
    """Read a JSON-stat dataset (SSB PxWebApi v1/v2 or FHI) into cells.

    Parameters
    ----------
    path
        A ``.json`` file saved from the API (response format ``json-stat2``).
        FHI's flag list, when saved beside it as ``<name>.flags.json``, is
        read too: its symbols are accepted as markers and explained.

    Returns
    -------
    Cells
        Category codes per dimension, ``value`` (float, NaN where missing) and
        ``status`` (``""`` or the marker ``.``, ``..``, ``:``, or a symbol of
        the flag list). Region codes lose the v1 ``K-``/``F-`` prefix; a
        table without a region dimension gets region ``0`` (the country).
        Values are as published (percent, count, index, ...), the unit is the
        catalogue's. ``notes`` holds the publisher's footnotes.

    Raises
    ------
    InputError
        If the file is not JSON-stat, has no time dimension, or its sizes do
        not match its values.
    """
    path = Path(path)
    data = _normalise_dataset(_load_json(path), path)
    dims = _dimensions(data, path)
    flags = _flags_beside(path)
    frame = _cell_frame(data, dims, path, flags)
    role = data.get("role")
    labels = dict(dims.labels)
    geo = _find_dim(dims.ids, role, "geo", _GEO_NAMES)
    if geo is None:  # a national series: every cell is the country's
        geo = NATIONAL_COLUMN if NATIONAL_COLUMN not in frame.columns else "_region"
        frame.insert(0, geo, NATIONAL_CODE)
        labels[geo] = {NATIONAL_CODE: "Hele landet"}
    else:
        frame[geo] = frame[geo].map(normalise_region_code)
        labels[geo] = {normalise_region_code(k): v for k, v in labels.get(geo, {}).items()}
    time = _detect_dim(dims.ids, role, "time", _TIME_NAMES, path)
    publisher, table = _detect_table(data, path)
    if publisher is None and isinstance(dims.described.get(dims.ids[0], {}).get("category", {}).get("index"), list):
        publisher = "FHI"
    return Cells(
        frame=frame,
        path=str(path),
        publisher=publisher,
        table=table,
        geo=geo,
        time=time,
        label=str(data.get("label") or ""),
        updated=data.get("updated"),
        labels=labels,
        notes=dataset_notes(data),
        flags=flags,
    )
