"""Read the files analysts download from SSB and FHI into one tidy table.

Supported inputs (no network: every reader takes a file):

* JSON-stat 2.0 from SSB's PxWebApi v1 (``/api/v0``, region codes such as
  ``K-3401`` from ``agg:KommSummer``) and PxWebApi 2 (plain codes, labels with
  validity suffixes), and from FHI's statistics API (``category.index`` is a
  list, ``role`` is null, ``status`` may be ``""``). Also the older JSON-stat 1.0
  ``{"dataset": ...}`` wrapper.
* SSB CSV exports (statbank "Lagre som CSV" / API ``csv``): ``;`` or ``,``
  separated, title lines before the header allowed, dimension cells written as
  codes or as ``"3401 Kongsvinger"``, time either as a column (long) or as
  column headers (wide), decimal comma allowed.
* A tidy CSV with ``indicator, region_code, period, value[, numerator,
  denominator, status]`` for figures typed in by hand or from other sources.

Why a parser of our own rather than pyjstat: pyjstat 2.4 drops ``status``, and
the status marker is the one thing we must never lose. SSB/FHI markers
``.`` (not applicable), ``..`` (missing) and ``:`` (confidential/anonymised)
are kept in ``status``; the value is NaN, never 0. A null value without a
marker gets ``..``. SSB's ``-`` means a true zero ("null") and is read as 0.

The tidy table (:data:`TIDY_COLUMNS`) has one row per indicator, region and
period; ``period`` is the label as published (``2023``, ``2021_2023``,
``2018-2024``) and ``period_start``/``period_end`` are the years it spans.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from outcomes.core.errors import InputError
from outcomes.inputs.readers import decode_text
from outcomes.registries.indicator_catalogue import Indicator, IndicatorCatalogue

#: The period and value of one figure, as read and as carried into the baseline table.
FIGURE_COLUMNS: list[str] = [
    "period",
    "period_start",
    "period_end",
    "value",
    "numerator",
    "denominator",
    "status",
]

TIDY_COLUMNS: list[str] = [
    "indicator",
    "region_code",
    "region_code_original",
    *FIGURE_COLUMNS,
    "source",
    "source_file",
]

#: Markers used by SSB and FHI, and what they mean (for footnotes).
STATUS_MARKERS: dict[str, str] = {
    ".": "not applicable / not possible to report",
    "..": "missing (data not available)",
    ":": "confidential / anonymised (too few respondents)",
}

_GEO_NAMES = ("Region", "GEO", "region", "KOMMUNE", "Kommune")
_TIME_NAMES = ("Tid", "AAR", "år", "Ar", "tid", "Year")
_PERIOD_RE = re.compile(r"^\s*(\d{4})\s*(?:[_\-/]\s*(\d{4}))?\s*$")


# --------------------------------------------------------------------------- periods


def parse_period(label: str) -> tuple[int, int]:
    """Years spanned by a published period label.

    Parameters
    ----------
    label
        ``"2023"``, ``"2021_2023"`` (FHI), ``"2018-2024"`` (SSB cohorts) or
        ``"2017/2018"`` (school years).

    Returns
    -------
    tuple[int, int]
        First and last year; a single year gives ``(2023, 2023)``.

    Raises
    ------
    ValueError
        If the label is not one of those forms, or ends before it starts.
    """
    match = _PERIOD_RE.match(str(label))
    if not match:
        raise ValueError(f"not a year or a year range: {label!r}")
    start = int(match.group(1))
    end = int(match.group(2) or start)
    if end < start:
        raise ValueError(f"period ends before it starts: {label!r}")
    return start, end


# --------------------------------------------------------------------------- JSON-stat


@dataclass(frozen=True)
class Cells:
    """One downloaded table as cells: one row per combination of categories.

    ``frame`` has one column per dimension (category codes as strings), plus
    ``value`` (float, NaN when missing) and ``status`` (marker or ``""``).
    """

    frame: pd.DataFrame
    path: str
    publisher: str | None
    table: str | None
    geo: str
    time: str
    label: str = ""
    updated: str | None = None
    labels: dict[str, dict[str, str]] = field(default_factory=dict)


def _load_json(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise InputError("File not found.", file=path) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"Not valid JSON: {exc.msg}.", file=path, line=exc.lineno, expected="a JSON-stat 2.0 dataset"
        ) from exc
    if not isinstance(data, dict):
        raise InputError("The JSON is not an object.", file=path, expected="a JSON-stat 2.0 dataset")
    return data


def _normalise_dataset(data: dict, path: Path) -> dict:
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


def _category_codes(dim_id: str, dim: dict, path: Path) -> list[str]:
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


def _cell_values(value: object, n: int, path: Path) -> tuple[np.ndarray, list[str]]:
    """Values as floats, plus markers found in the value array itself."""
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
    values = np.full(n, np.nan)
    markers = [""] * n
    for i, v in enumerate(raw):
        if v is None:
            continue
        if isinstance(v, int | float) and not isinstance(v, bool):
            values[i] = float(v)
        elif isinstance(v, str) and v.strip() in STATUS_MARKERS:
            markers[i] = v.strip()
        else:
            try:
                values[i] = float(str(v).replace(",", "."))
            except ValueError as exc:
                raise InputError(
                    f"Value {v!r} at position {i} is not a number.",
                    file=path,
                    column="value",
                    expected="a number or null",
                ) from exc
    return values, markers


def _detect_dim(ids: Sequence[str], role: object, key: str, names: Iterable[str], path: Path) -> str:
    if isinstance(role, dict) and role.get(key):
        return str(role[key][0])
    for name in names:
        if name in ids:
            return name
    raise InputError(
        f"Cannot tell which dimension holds the {'regions' if key == 'geo' else 'periods'}.",
        file=path,
        expected=f"a dimension named one of {', '.join(names)} or a role.{key} entry",
    )


def _detect_table(data: dict, path: Path) -> tuple[str | None, str | None]:
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
    fp, ft = _table_from_filename(path)
    return publisher or fp, table or ft


def _table_from_filename(path: Path) -> tuple[str | None, str | None]:
    m = re.search(r"(?i)(ssb|fhi|nav)[_\-]?(\d{2,5})", path.name)
    if not m:
        return None, None
    return m.group(1).upper(), m.group(2)


def _normalise_region(code: str) -> str:
    """``K-3401`` -> ``3401``, ``F-34`` -> ``34`` (PxWebApi v1 aggregation codes)."""
    code = str(code).strip()
    return re.sub(r"^[KF]-", "", code)


def read_jsonstat(path: str | Path) -> Cells:
    """Read a JSON-stat dataset (SSB PxWebApi v1/v2 or FHI) into cells.

    Parameters
    ----------
    path
        A ``.json`` file saved from the API (response format ``json-stat2``).

    Returns
    -------
    Cells
        Category codes per dimension, ``value`` (float, NaN where missing) and
        ``status`` (``""`` or the marker ``.``, ``..``, ``:``). Region codes
        lose the v1 ``K-``/``F-`` prefix. Values are as published (percent,
        count, ...), the unit is the catalogue's.

    Raises
    ------
    InputError
        If the file is not JSON-stat or its sizes do not match its values.
    """
    path = Path(path)
    data = _normalise_dataset(_load_json(path), path)
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
    n = int(np.prod([int(s) for s in sizes])) if sizes else 0
    values, value_markers = _cell_values(data.get("value"), n, path)
    statuses = _cell_statuses(data.get("status"), n)
    statuses = [s or m for s, m in zip(statuses, value_markers, strict=True)]
    # JSON-stat is row-major: the last dimension varies fastest, as in product().
    frame = pd.DataFrame(list(itertools.product(*codes)), columns=ids, dtype=str) if n else pd.DataFrame(columns=ids)
    frame["value"] = values
    frame["status"] = statuses
    role = data.get("role")
    geo = _detect_dim(ids, role, "geo", _GEO_NAMES, path)
    time = _detect_dim(ids, role, "time", _TIME_NAMES, path)
    frame[geo] = frame[geo].map(_normalise_region)
    publisher, table = _detect_table(data, path)
    if publisher is None and isinstance(dims.get(ids[0], {}).get("category", {}).get("index"), list):
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
    )


# --------------------------------------------------------------------------- SSB CSV

_CSV_HEADER_TO_ID = {
    "region": "Region",
    "år": "Tid",
    "tid": "Tid",
    "tidsperiode": "Tid",
    "kvartal": "Tid",
    "statistikkvariabel": "ContentsCode",
    "kjønn": "Kjonn",
    "alder": "Alder",
}


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError("File not found.", file=path) from exc
    # SSB exports have been both UTF-8 (with BOM) and Windows-1252: one encoding for the whole file, from evidence.
    return decode_text(raw, str(path))[0]


def _split_code(cell: str) -> str:
    """``"3401 Kongsvinger"`` -> ``"3401"``; ``"Hele landet"`` -> ``"0"``; a bare code is kept."""
    cell = str(cell).strip()
    if cell.lower() == "hele landet":
        return "0"
    first = cell.split(" ", 1)[0]
    return first


def _parse_number(text: str) -> tuple[float, str]:
    text = str(text).strip()
    if text in STATUS_MARKERS:
        return np.nan, text
    if text == "":
        return np.nan, ".."
    if text == "-":  # SSB: a true zero ("null"), not a suppression
        return 0.0, ""
    try:
        return float(text.replace("\u00a0", "").replace(" ", "").replace(",", ".")), ""
    except ValueError:
        return np.nan, "?"


def read_ssb_csv(path: str | Path) -> Cells:
    """Read an SSB statbank/PxWebApi CSV export into cells.

    Parameters
    ----------
    path
        A ``.csv`` file exported from SSB, long (one value column named
        ``value``/``verdi``) or wide (periods as column headers, e.g.
        ``2021-2023`` or ``Andel 2023``). Dimension headers may be labels
        (``region``, ``år``, ``statistikkvariabel``) or codes (``Region``,
        ``Tid``, ``ContentsCode``). Dimension cells may be ``"3401 Kongsvinger"``
        (code and text): the code is kept.

    Returns
    -------
    Cells
        As :func:`read_jsonstat`. Publisher and table come from a title line
        such as ``"08764: ..."`` or the file name (``ssb_08764_...csv``).

    Raises
    ------
    InputError
        With the line and column when a value cannot be read or the region or
        period column is missing.
    """
    path = Path(path)
    text = _read_text(path)
    lines = text.splitlines()
    header_at = None
    delimiter = ";"
    title = ""
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        for delim in (";", "\t", ","):
            fields = next(csv.reader([line], delimiter=delim))
            if len(fields) >= 2:
                header_at, delimiter = i, delim
                break
        if header_at is not None:
            break
        title = title or line.strip().strip('"')
    if header_at is None:
        raise InputError("No header line with two or more columns found.", file=path, expected="an SSB CSV export")
    reader = csv.reader(io.StringIO("\n".join(lines[header_at:])), delimiter=delimiter)
    rows = list(reader)
    header = [h.strip() for h in rows[0]]
    body = [r for r in rows[1:] if any(c.strip() for c in r)]
    ids = [_CSV_HEADER_TO_ID.get(h.lower(), h) for h in header]

    value_col = next((i for i, h in enumerate(header) if h.lower() in ("value", "verdi")), None)
    records: list[dict[str, object]] = []
    if value_col is not None:
        dim_cols = [i for i in range(len(header)) if i != value_col]
        for n, row in enumerate(body, start=header_at + 2):
            if len(row) != len(header):
                raise InputError(
                    f"Row has {len(row)} fields, the header has {len(header)}.",
                    file=path,
                    line=n,
                    expected=f"{len(header)} fields",
                )
            rec = {ids[i]: _split_code(row[i]) if ids[i] != "Tid" else row[i].strip() for i in dim_cols}
            rec["value"], rec["status"] = _parse_number(row[value_col])
            rec["_line"] = n
            records.append(rec)
    else:
        period_cols = {}
        for i, h in enumerate(header):
            m = re.search(r"(\d{4}(?:\s*[_\-/]\s*\d{4})?)\s*$", h)
            if m and ids[i] not in ("Region",):
                period_cols[i] = (m.group(1).replace(" ", ""), h[: m.start()].strip())
        if not period_cols:
            raise InputError(
                "No value column and no period columns found.",
                file=path,
                line=header_at + 1,
                expected="a column 'value' (long) or columns named by period such as '2023' or '2021-2023' (wide)",
            )
        dim_cols = [i for i in range(len(header)) if i not in period_cols]
        for n, row in enumerate(body, start=header_at + 2):
            if len(row) != len(header):
                raise InputError(
                    f"Row has {len(row)} fields, the header has {len(header)}.",
                    file=path,
                    line=n,
                    expected=f"{len(header)} fields",
                )
            base = {ids[i]: _split_code(row[i]) for i in dim_cols}
            for i, (period, prefix) in period_cols.items():
                rec = dict(base)
                rec["Tid"] = period
                if prefix and "ContentsCode" not in rec:
                    rec["ContentsCode"] = _split_code(prefix)
                rec["value"], rec["status"] = _parse_number(row[i])
                rec["_line"] = n
                records.append(rec)
    frame = pd.DataFrame(records)
    bad = frame[frame["status"] == "?"] if len(frame) else frame
    if len(bad):
        line = int(bad.iloc[0]["_line"])
        raise InputError(
            "A value is neither a number nor an SSB marker.",
            file=path,
            line=line,
            expected="a number, '.', '..' or ':'",
        )
    if "Region" not in frame.columns:
        raise InputError(
            "No region column.", file=path, line=header_at + 1, column="region", expected="a column 'region'"
        )
    if "Tid" not in frame.columns:
        raise InputError(
            "No period column.", file=path, line=header_at + 1, column="år", expected="a column 'år' or period headers"
        )
    frame = frame.drop(columns="_line")
    for col in frame.columns:
        if col not in ("value", "status"):
            frame[col] = frame[col].astype(str)
    frame["Region"] = frame["Region"].map(_normalise_region)
    publisher, table = _table_from_filename(path)
    m = re.match(r"^\s*(\d{4,5})\s*:", title)
    if m:
        table, publisher = m.group(1), publisher or "SSB"
    return Cells(
        frame=frame, path=str(path), publisher=publisher or "SSB", table=table, geo="Region", time="Tid", label=title
    )


# --------------------------------------------------------------------------- tidy CSV


def read_tidy_csv(path: str | Path, catalogue: IndicatorCatalogue | None = None) -> pd.DataFrame:
    """Read a tidy indicator CSV (comma separated, UTF-8).

    Parameters
    ----------
    path
        Columns ``indicator, region_code, period, value`` and optionally
        ``numerator, denominator, status, source``. ``value`` may be blank or a
        marker (``..``) when missing; ``status`` holds the marker otherwise.
    catalogue
        If given, indicator ids are checked against it.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`TIDY_COLUMNS`, sorted.

    Raises
    ------
    InputError
        Naming the line and column of the first unusable cell.
    """
    path = Path(path)
    text = _read_text(path)
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    required = ["indicator", "region_code", "period", "value"]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise InputError(
            f"Missing column(s) {', '.join(missing)}; found {', '.join(frame.columns)}.",
            file=path,
            line=1,
            expected="indicator, region_code, period, value[, numerator, denominator, status]",
        )
    known = set(catalogue.ids()) if catalogue is not None else None
    rows = []
    for i, rec in enumerate(frame.to_dict("records")):
        line = i + 2
        if known is not None and rec["indicator"] not in known:
            raise InputError(
                f"Unknown indicator {rec['indicator']!r}.",
                file=path,
                line=line,
                column="indicator",
                expected=", ".join(sorted(known)),
            )
        try:
            start, end = parse_period(rec["period"])
        except ValueError as exc:
            raise InputError(
                str(exc), file=path, line=line, column="period", expected="2023, 2021_2023 or 2018-2024"
            ) from exc
        value, marker = _parse_number(rec["value"])
        if marker == "?":
            raise InputError(
                f"Value {rec['value']!r} is not a number.",
                file=path,
                line=line,
                column="value",
                expected="a number or a marker",
            )
        status = (rec.get("status") or "").strip() or marker
        if status and pd.notna(value):
            # A marked value is not a value: the marker wins, so a suppressed
            # figure can never slip into an aggregate.
            value = np.nan
        parts = {}
        for col in ("numerator", "denominator"):
            v, m = _parse_number(rec.get(col, ""))
            if m == "?":
                raise InputError(
                    f"{col} {rec[col]!r} is not a number.",
                    file=path,
                    line=line,
                    column=col,
                    expected="a number or blank",
                )
            parts[col] = v
        rows.append(
            {
                "indicator": rec["indicator"],
                "region_code": _normalise_region(rec["region_code"]),
                "region_code_original": _normalise_region(rec["region_code"]),
                "period": str(rec["period"]).strip(),
                "period_start": start,
                "period_end": end,
                "value": value,
                "numerator": parts["numerator"],
                "denominator": parts["denominator"],
                "status": status,
                "source": rec.get("source", "") or "",
                "source_file": str(path),
            }
        )
    return _finish(pd.DataFrame(rows, columns=TIDY_COLUMNS))


# --------------------------------------------------------------------------- extraction


def _select(frame: pd.DataFrame, selection: dict[str, str | list[str]] | None, cells: Cells) -> pd.DataFrame:
    if not selection:
        return frame
    mask = pd.Series(True, index=frame.index)
    for dim, wanted in selection.items():
        if dim not in frame.columns:
            raise InputError(
                f"Dimension {dim!r} is not in this table.",
                file=cells.path,
                column=dim,
                expected=f"one of {', '.join(c for c in frame.columns if c not in ('value', 'status'))}",
                hint="Check `extract` for this table in config/indicators.yml.",
            )
        allowed = [wanted] if isinstance(wanted, str) else list(wanted)
        mask &= frame[dim].isin(allowed)
    return frame[mask]


def _one_per_region_period(part: pd.DataFrame, cells: Cells, indicator: Indicator, what: str) -> pd.DataFrame:
    keys = [cells.geo, cells.time]
    if part.empty:
        raise InputError(
            f"No cells for {indicator.id} ({what}) in this table.",
            file=cells.path,
            expected=f"the codes in `extract` of {indicator.id} in config/indicators.yml",
        )
    sizes = part.groupby(keys).size()
    if (sizes > 1).any() and not indicator.extract.sum_over:
        varying = [c for c in part.columns if c not in (*keys, "value", "status") and part[c].nunique() > 1]
        raise InputError(
            f"Several cells per region and period for {indicator.id} ({what}); dimension(s) {', '.join(varying)} vary.",
            file=cells.path,
            column=", ".join(varying) or None,
            expected="one cell per region and period",
            hint="Add those dimensions to `extract.filter`, or list them in `extract.sum_over`.",
        )

    def combine(group: pd.DataFrame) -> pd.Series:
        # A sum with a missing part would be too small: it is missing instead.
        marked = [s for s in group["status"] if s]
        if marked or group["value"].isna().any():
            return pd.Series({"value": np.nan, "status": sorted(marked)[0] if marked else ".."})
        return pd.Series({"value": float(group["value"].sum()), "status": ""})

    out = part.groupby(keys, sort=True)[["value", "status"]].apply(combine).reset_index()
    out.loc[out["value"].isna() & (out["status"] == ""), "status"] = ".."
    return out.rename(columns={cells.geo: "region_code", cells.time: "period"})


def extract_indicator(cells: Cells, indicator: Indicator) -> pd.DataFrame:
    """Pick one indicator's values, numerators and denominators out of a table.

    Parameters
    ----------
    cells
        A table read by :func:`read_jsonstat` or :func:`read_ssb_csv`.
    indicator
        Catalogue entry; its ``extract`` says which cells are the value, the
        numerator and the denominator.

    Returns
    -------
    pandas.DataFrame
        Tidy rows (:data:`TIDY_COLUMNS`). Without a published value, value =
        numerator / denominator * 100 (percent) or * 1,000 (per 1,000), and
        missing if either part is. ``status`` is the value's marker, or the
        marker of the part that made a computed value missing.

    Raises
    ------
    InputError
        If a dimension or code in ``extract`` is not in the table.
    """
    ex = indicator.extract
    base = _select(cells.frame, ex.filter, cells)
    parts: dict[str, pd.DataFrame] = {}
    for what, selection in (("value", ex.value), ("numerator", ex.numerator), ("denominator", ex.denominator)):
        if selection is None and not (what == "value" and indicator.unit == "count" and ex.numerator is None):
            continue
        parts[what] = _one_per_region_period(_select(base, selection, cells), cells, indicator, what)
    keys = ["region_code", "period"]
    frame = None
    for what, part in parts.items():
        part = part.rename(columns={"value": what, "status": f"status_{what}"})
        frame = part if frame is None else frame.merge(part, on=keys, how="outer")
    assert frame is not None  # the catalogue guarantees at least one part
    for what in ("value", "numerator", "denominator"):
        if what not in frame.columns:
            frame[what] = np.nan
            frame[f"status_{what}"] = ""
        frame[f"status_{what}"] = frame[f"status_{what}"].fillna("..")
    if "value" not in parts:
        multiplier = indicator.multiplier or 1.0
        ok = frame["numerator"].notna() & frame["denominator"].notna() & (frame["denominator"] > 0)
        frame["value"] = np.where(ok, frame["numerator"] / frame["denominator"].where(ok, 1.0) * multiplier, np.nan)
        status = np.where(frame["status_numerator"] != "", frame["status_numerator"], frame["status_denominator"])
        frame["status_value"] = np.where(ok, "", np.where(status == "", "..", status))
    frame["status"] = frame["status_value"]
    frame["indicator"] = indicator.id
    frame["region_code_original"] = frame["region_code"]
    periods = frame["period"].map(lambda p: _period_or_error(p, cells))
    frame["period_start"] = [p[0] for p in periods]
    frame["period_end"] = [p[1] for p in periods]
    frame["source"] = indicator.source_label
    frame["source_file"] = cells.path
    return _finish(frame[TIDY_COLUMNS])


def _period_or_error(label: str, cells: Cells) -> tuple[int, int]:
    try:
        return parse_period(label)
    except ValueError as exc:
        raise InputError(
            str(exc), file=cells.path, column=cells.time, expected="years such as 2023, 2021_2023 or 2018-2024"
        ) from exc


def _finish(frame: pd.DataFrame) -> pd.DataFrame:
    """Stable dtypes and order for every tidy table."""
    frame = frame.copy()
    for col in ("indicator", "region_code", "region_code_original", "period", "status", "source", "source_file"):
        frame[col] = frame[col].fillna("").astype(str)
    for col in ("period_start", "period_end"):
        frame[col] = frame[col].astype("int64")
    for col in ("value", "numerator", "denominator"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
    return frame.sort_values(["indicator", "region_code", "period_end", "period"], kind="stable").reset_index(drop=True)


def read_cells(path: str | Path) -> Cells:
    """Read a JSON-stat (``.json``) or SSB CSV (``.csv``) file into cells."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        return read_jsonstat(path)
    if path.suffix.lower() == ".csv":
        return read_ssb_csv(path)
    raise InputError(f"Unsupported file type {path.suffix!r}.", file=path, expected=".json (JSON-stat 2.0) or .csv")


def _is_tidy_csv(path: Path) -> bool:
    if path.suffix.lower() != ".csv":
        return False
    first = _read_text(path).splitlines()[:1]
    return bool(first) and "indicator" in [c.strip() for c in first[0].split(",")]


def read_indicator_file(path: str | Path, catalogue: IndicatorCatalogue) -> pd.DataFrame:
    """Read one downloaded file and extract every catalogue indicator it holds.

    Parameters
    ----------
    path
        JSON-stat, SSB CSV or tidy CSV. The table is recognised from the
        dataset (``extension.px.tableid``, a label ``"13556: ..."``) or the file
        name (``ssb_13556_*.json``, ``fhi_360_*.json``).
    catalogue
        The indicator catalogue.

    Returns
    -------
    pandas.DataFrame
        Tidy rows (:data:`TIDY_COLUMNS`).

    Raises
    ------
    InputError
        If the table cannot be recognised or no catalogue indicator uses it.
    """
    path = Path(path)
    if _is_tidy_csv(path):
        return read_tidy_csv(path, catalogue)
    cells = read_cells(path)
    if cells.table is None or cells.publisher is None:
        raise InputError(
            "Cannot tell which SSB/FHI table this file holds.",
            file=path,
            expected="a table number in the dataset or a file name such as ssb_13556_neet.json or fhi_360_vgs.json",
        )
    indicators = catalogue.for_table(cells.publisher, cells.table)
    if not indicators:
        raise InputError(
            f"No indicator in the catalogue uses {cells.publisher} table {cells.table}.",
            file=path,
            hint="Add an entry to config/indicators.yml or remove the file from the configuration.",
        )
    frames = [extract_indicator(cells, ind) for ind in indicators]
    return _finish(pd.concat(frames, ignore_index=True))


def read_indicator_files(paths: Iterable[str | Path], catalogue: IndicatorCatalogue) -> pd.DataFrame:
    """Read several files into one tidy table.

    Parameters
    ----------
    paths
        Files as for :func:`read_indicator_file`.
    catalogue
        The indicator catalogue.

    Returns
    -------
    pandas.DataFrame
        Tidy rows (:data:`TIDY_COLUMNS`), sorted, exact duplicates dropped.

    Raises
    ------
    InputError
        If two files give different values for the same indicator, region and
        period (e.g. a preliminary and a final release both listed).
    """
    frames = [read_indicator_file(p, catalogue) for p in paths]
    if not frames:
        return _finish(pd.DataFrame(columns=TIDY_COLUMNS))
    tidy = pd.concat(frames, ignore_index=True)
    keys = ["indicator", "region_code", "period"]
    dup = tidy[tidy.duplicated(keys, keep=False)]
    if len(dup):
        conflicting = dup.groupby(keys).filter(
            lambda g: g["value"].nunique(dropna=False) > 1 or g["status"].nunique() > 1
        )
        if len(conflicting):
            first = conflicting.iloc[0]
            files = sorted(set(conflicting[(conflicting[keys] == first[keys]).all(axis=1)]["source_file"]))
            raise InputError(
                f"Different values for {first['indicator']}, region {first['region_code']}, period {first['period']}.",
                file=", ".join(files),
                hint="List only one release of each table (the newest) in the configuration.",
            )
        tidy = tidy.drop_duplicates(keys, keep="first")
    return _finish(tidy)


def load_indicators(
    source: str | Path | Iterable[str | Path],
    catalogue: IndicatorCatalogue,
    *,
    target_year: int = 2024,
) -> pd.DataFrame:
    """Read indicator files and map municipality codes to one geography version.

    This is the entry point for the CLI and the notebook: a folder (config
    ``inputs.indicators``; every ``.json`` and ``.csv`` directly in it, sorted)
    or a list of files in, a tidy table with harmonised codes out.

    Parameters
    ----------
    source
        A folder, or an iterable of files.
    catalogue
        The indicator catalogue.
    target_year
        Geography version for municipality codes (2024 = current codes).

    Returns
    -------
    pandas.DataFrame
        :data:`TIDY_COLUMNS`, codes harmonised by
        :func:`outcomes.analyses.baseline.municipalities.harmonise_municipality_codes`.

    Raises
    ------
    InputError
        If the folder holds no indicator files, or any file is unusable.
    """
    from outcomes.analyses.baseline.municipalities import harmonise_municipality_codes

    if isinstance(source, str | Path):
        folder = Path(source)
        if not folder.is_dir():
            raise InputError("Indicator folder not found.", file=folder, expected="a folder of .json/.csv files")
        paths: list[Path] = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".json", ".csv"))
        if not paths:
            raise InputError("No .json or .csv files in the indicator folder.", file=folder)
    else:
        paths = [Path(p) for p in source]
    tidy = read_indicator_files(paths, catalogue)
    return _finish(harmonise_municipality_codes(tidy, catalogue.units(), target_year=target_year))
