"""Intake: read, check and store one input, accounting for every row.

:func:`intake_file` runs the whole chain for one file: read it
(:mod:`outcomes.inputs.readers`), refuse direct identifiers (:mod:`outcomes.inputs.identity`),
check each row against the contract (:mod:`outcomes.inputs.validation`), and write
the accepted rows to ``data/processed/<programme>/<input>.csv`` and the
rejected rows with their reasons to ``data/processed/rejects/<input>.csv``.

Processed files are cached by content: a manifest records the SHA-256 of the
input, the contract, the status map and the package version, and an unchanged
input is read back instead of being checked again. The input is read into
memory once and that hash is of the very bytes that are parsed, so a file
that changes while it is read is recorded with the hash of what was read. The
manifest also holds the hash of the processed table it stands for, and a
table that does not match it is never read back.
"""

from __future__ import annotations

import io
import json
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from outcomes.core import paths
from outcomes.core.atomic import write_bytes_atomic, write_text_atomic
from outcomes.core.csvtext import csv_bytes
from outcomes.core.errors import InputError
from outcomes.core.provenance import dumps_json, package_version, sha256_alongside, sha256_text
from outcomes.core.safety import safe_for_csv
from outcomes.inputs.columnar import encodings_shared, memory_handed_back
from outcomes.inputs.contracts import contract_text, load_contract
from outcomes.inputs.identity import (
    refuse_identities,
    refuse_identities_in_workbook,
    refuse_identity_in_name,
    screen_key,
)
from outcomes.inputs.problems import PROBLEM_COLUMNS
from outcomes.inputs.readers import LINE, RawTable, read_input_bytes, read_table
from outcomes.inputs.readers.arrow_csv import parsed_in_parts
from outcomes.inputs.validation import ValidationResult, validate_table
from outcomes.registries.statuses import StatusMap


@dataclass
class InputSummary:
    """The accounting for one input file (all counts are rows)."""

    name: str
    kind: str
    file: str
    sha256: str
    rows_read: int
    rows_accepted: int
    rows_rejected: int
    encoding: str | None
    delimiter: str | None
    blank_rows: int
    notes: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    rejects_file: str | None = None
    reasons: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.rows_accepted + self.rows_rejected != self.rows_read:
            raise AssertionError(f"{self.file}: rows read != accepted + rejected")


@dataclass
class IntakeResult:
    """Accepted data, the problems found and the accounting of one input."""

    data: pd.DataFrame
    problems: pd.DataFrame
    summary: InputSummary
    from_cache: bool = False


def _reason_counts(problems: pd.DataFrame) -> dict[str, int]:
    if problems.empty:
        return {}
    label = problems["column"].where(problems["column"] == "", problems["column"] + ": ") + problems[
        "problem"
    ].str.replace(r" \((also on line \d+|repeated on a later line)\)", "", regex=True)
    counts = label.groupby(label).size().sort_index()
    return {str(k): int(v) for k, v in counts.items()}


def _typed(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    contract = load_contract(kind)
    out = frame.copy(deep=False)  # copy-on-write: the columns replaced below leave ``frame`` as it is
    for name, spec in contract.columns.items():
        if name not in out.columns:
            continue
        if spec.type == "integer":
            out[name] = _whole_numbers(out[name])
        elif spec.type == "number":
            out[name] = pd.to_numeric(out[name]).astype("Float64")
        elif spec.type == "date":
            out[name] = pd.to_datetime(out[name])
        else:
            out[name] = out[name].astype("string")
    for column in out.columns:
        if column.endswith("_label"):
            out[column] = out[column].astype("string")
    if LINE in out.columns and out[LINE].dtype != "int64":
        out[LINE] = _whole_numbers(out[LINE]).astype("int64")
    return out


def _whole_numbers(values: pd.Series) -> pd.Series:
    """``values`` as ``Int64``: whole numbers written as such are converted by Arrow, anything else by ``to_numeric``."""
    if values.dtype == "Int64":
        return values  # checked and parsed already (not read back from a processed table)
    try:
        return values.astype("Int64")
    except (TypeError, ValueError, ArithmeticError):  # Arrow's errors derive from these
        return pd.to_numeric(values).astype("Int64")


def _from_cache(out: dict[str, Path], key: Mapping[str, object], kind: str) -> IntakeResult | None:
    """The processed table of an earlier run with the same ``key``, or ``None``.

    The manifest must carry the same key, and the processed table must be the
    one the manifest was written for (its hash, taken of the bytes parsed);
    anything else (no manifest, another key, a table changed or damaged since)
    means the input is read and checked again.
    """
    try:
        manifest = json.loads(out["manifest"].read_text(encoding="utf-8"))
        if not isinstance(manifest, dict) or manifest.get("key") != key:
            return None
        raw, written = out["data"].read_bytes(), manifest.get("data_sha256")
        with sha256_alongside(raw) as data_sha256:  # hashed while it is parsed; used only when it matches
            try:
                data = _read_processed(raw, kind)
            except Exception:
                if data_sha256() != written:
                    return None  # changed or damaged since it was written: however it fails, it is not used
                raise
            if data_sha256() != written:
                return None
        problems = pd.DataFrame(manifest.get("problems", []), columns=PROBLEM_COLUMNS)
        return IntakeResult(data, problems, InputSummary(**manifest["summary"]), from_cache=True)
    except (OSError, ValueError, TypeError, KeyError, AssertionError):  # missing, damaged or of an older shape
        return None


def _read_processed(raw: bytes, kind: str) -> pd.DataFrame:
    """A processed table typed as the intake gave it, from the bytes :func:`~outcomes.core.csvtext.csv_bytes` wrote.

    Arrow's parser reads it unless a cell is quoted (a line break may be
    quoted inside a cell, and the table is cut into parts at line breaks), the
    contract's whole numbers and the line numbers straight into numbers and
    every other column as text; a table it cannot read so is read by pandas as
    text (empty cells missing). Both are typed by :func:`_typed`.
    """
    typed = _read_processed_arrow(raw, kind) if b'"' not in raw else None
    if typed is None:
        typed = pd.read_csv(io.BytesIO(raw), dtype="string", keep_default_na=False, na_values=[""])
    return _typed(typed, kind)


#: Arrow's types as the typed table holds them.
_PANDAS_TYPES = {pa.int64(): pd.Int64Dtype(), pa.large_string(): pd.StringDtype("pyarrow")}


def _read_processed_arrow(raw: bytes, kind: str) -> pd.DataFrame | None:
    """A processed table without quotes read by Arrow, whole numbers as ``Int64`` and the rest as text, or ``None``."""
    end = raw.find(b"\n")
    if end < 0:
        return None  # no row below the header: pandas reads it
    names = raw[:end].decode("utf-8").removesuffix("\r").split(",")
    whole = {name for name, spec in load_contract(kind).columns.items() if spec.type == "integer"} | {LINE}
    types = {name: pa.int64() if name in whole else pa.large_string() for name in names}
    if len(types) != len(names):
        return None  # a header named twice: pandas names the copies
    read = pacsv.ReadOptions(column_names=names, use_threads=False)
    parse = pacsv.ParseOptions(quote_char=False, escape_char=False)
    convert = pacsv.ConvertOptions(column_types=types, null_values=[""], strings_can_be_null=True)
    try:
        table = parsed_in_parts(
            memoryview(raw)[end + 1 :],
            lambda part: pacsv.read_csv(
                pa.py_buffer(part), read_options=read, parse_options=parse, convert_options=convert
            ),
        )
    except (pa.ArrowInvalid, ValueError):  # a cell that is no whole number, and anything else: pandas reads it
        return None
    return table.to_pandas(types_mapper=_PANDAS_TYPES.get)


def processed_paths(name: str, programme: str, root: Path | None = None) -> dict[str, Path]:
    """Where the processed table, its manifest and the rejects of an input go."""
    base = paths.processed_dir(root)
    return {
        "data": base / programme / f"{name}.csv",
        "manifest": base / programme / f"{name}.manifest.json",
        "rejects": base / "rejects" / f"{name}.csv",
    }


def intake_file(
    path: str | Path,
    kind: str,
    *,
    name: str | None = None,
    programme: str = "adhoc",
    status_map: StatusMap | None = None,
    sheet: str | None = None,
    write: bool = True,
    use_cache: bool = True,
    confirm_random_ids: Collection[str] = (),
) -> IntakeResult:
    """Read, check and store one input file.

    Parameters
    ----------
    path
        The input file (relative to the project root unless absolute).
    kind
        The input kind, naming its contract (``followup``, ``costs``, ...).
    name
        Name of the input in the configuration (defaults to the file stem);
        used for the processed and rejects file names.
    programme
        Programme slug; processed tables go to ``data/processed/<programme>/``.
    status_map
        Status map for contracts with a status column.
    sheet
        Sheet name for ``.xlsx`` files.
    write
        Write the processed table, manifest and rejects file.
    use_cache
        Reuse the processed table when the input and rules are unchanged.
    confirm_random_ids
        Columns the analyst confirmed hold random pseudonyms (configuration key
        ``inputs.confirm_random_ids``; see :func:`outcomes.inputs.identity.screen_table`).

    Returns
    -------
    IntakeResult

    Raises
    ------
    InputError
        The file cannot be used at all (missing, empty, unreadable, required
        column missing, or it holds identity data). No processed file is
        written, and an earlier one for this input is removed.
    """
    file = paths.resolve(path)
    shown = paths.relative_to_root(file)
    name = name or file.stem
    out = processed_paths(name, programme)
    with _no_output_on_error(out, write):
        refuse_identity_in_name(shown)  # before the name is printed, stored or published
        raw = read_input_bytes(file)  # read once: hashed and parsed from these bytes
    # Hashed while it is read and checked; first, when there is a stored table to compare with.
    with sha256_alongside(raw) as input_sha256:
        if use_cache and out["manifest"].exists():
            cached = _from_cache(out, _cache_key(input_sha256(), kind, status_map, sheet, confirm_random_ids), kind)
            if cached is not None:
                return cached
        with _no_output_on_error(out, write), memory_handed_back(), encodings_shared():
            table = read_table(file, sheet=sheet, content=raw)
            _refuse_identities(table, raw, file, sheet, confirm_random_ids)
            del raw  # read: a large file need not stay in memory while it is checked (once hashed)
            result = _validate(table, kind, status_map)
        key = _cache_key(input_sha256(), kind, status_map, sheet, confirm_random_ids)
    rejects_file = processed_sha256 = None
    if write:  # the processed table is only made (and hashed) when stored
        processed = csv_bytes(result.accepted)
        with sha256_alongside(processed) as hashed:  # hashed while the tables are written
            rejects_file = _write_tables(out, processed, result)
        processed_sha256 = hashed()
    summary = InputSummary(
        name=name,
        kind=kind,
        file=shown,
        sha256=str(key["input_sha256"]),
        rows_read=result.rows_read,
        rows_accepted=len(result.accepted),
        rows_rejected=len(result.rejected),
        encoding=table.encoding,
        delimiter=table.delimiter,
        blank_rows=table.blank_rows,
        notes=list(table.notes),
        ignored_columns=result.ignored_columns,
        rejects_file=rejects_file,
        reasons=_reason_counts(result.problems),
    )
    if write:
        # Problems are kept (up to a limit) so a cached run can still list them.
        manifest = {
            "key": key,
            "data_sha256": processed_sha256,
            "summary": asdict(summary),
            "problems": result.problems.head(1000).astype(str).to_dict(orient="records"),
        }
        write_text_atomic(out["manifest"], dumps_json(manifest))
    with memory_handed_back():
        typed = _typed(result.accepted, kind)
    return IntakeResult(typed, result.problems, summary)


@contextmanager
def _no_output_on_error(out: dict[str, Path], write: bool) -> Iterator[None]:
    """Remove an input's processed table, manifest and rejects when the block finds it unusable (``InputError``)."""
    try:
        yield
    except InputError:
        if write:
            for target in out.values():
                target.unlink(missing_ok=True)
        raise


def _cache_key(
    input_sha256: str, kind: str, status_map: StatusMap | None, sheet: str | None, confirm_random_ids: Collection[str]
) -> dict[str, object]:
    """What an input's processed table depends on: its bytes (their SHA-256), the rules it was checked by, the package."""
    return {
        "input_sha256": input_sha256,
        "contract_sha256": sha256_text(contract_text(kind)),
        "status_map_sha256": sha256_text(status_map.model_dump_json()) if status_map else None,
        "sheet": sheet,
        "package_version": package_version(),
        "identity_screen": screen_key(confirm_random_ids),
    }


def _refuse_identities(
    table: RawTable, raw: bytes, file: Path, sheet: str | None, confirm_random_ids: Collection[str]
) -> None:
    """Refuse the table read, and for a workbook every other sheet (hidden ones too), when it identifies people."""
    refuse_identities(table.data, table.file, confirm_random_ids=confirm_random_ids)
    if file.suffix.lower() in (".xlsx", ".xlsm"):
        refuse_identities_in_workbook(raw, table.file, data_sheet=sheet, confirm_random_ids=confirm_random_ids)


def _validate(table: RawTable, kind: str, status_map: StatusMap | None) -> ValidationResult:
    """Check every row against the contract; a file with a header and no rows is refused."""
    result = validate_table(
        table,
        load_contract(kind),
        status_map.lookup() if status_map else None,
        status_map.source if status_map else None,
    )
    if result.rows_read == 0:
        # A header with nothing under it is a lost export or the wrong sheet far
        # more often than a year with nobody in it; passing it would publish zeros.
        raise InputError(
            "the file has a header but no data rows",
            file=table.file,
            expected="one row per record under the header",
            hint="Check that the export or sheet is the right one.",
        )
    return result


def _write_tables(out: dict[str, Path], processed: bytes, result: ValidationResult) -> str | None:
    """Write the processed table and the rejects (or remove old rejects); returns the rejects file as shown."""
    # No manifest while the table is replaced: a run stopped in between leaves no old key pointing at new data.
    out["manifest"].unlink(missing_ok=True)
    write_bytes_atomic(out["data"], processed)
    if not len(result.rejected):
        out["rejects"].unlink(missing_ok=True)
        return None
    # Analysts open the rejects in a spreadsheet: cells must not run as formulas.
    write_bytes_atomic(out["rejects"], csv_bytes(safe_for_csv(result.rejected)))
    return paths.relative_to_root(out["rejects"])
