"""Read the files analysts bring, as they are, into text tables with line numbers.

Readers do not judge the data (that is :mod:`outcomes.inputs.validation`); they get
every cell out as text, trimmed, with the number of the line in the file it came
from, so every later message can point at the file, line and column.

Handled: CSV separated by ``,``, ``;``, tabs or ``|``; UTF-8, UTF-8 with BOM and
Windows-1252 (decided for the whole file from evidence, and said in the notes;
a file that mixes them is refused, naming the lines); blank rows (skipped and
counted, not data); surrounding spaces in headers and values; ``.xlsx`` (first
sheet or a named one), where the line number is the spreadsheet row: every row
is read whatever size the workbook states for the sheet, and a workbook that
would expand beyond :data:`~outcomes.inputs.readers.xlsx.XLSX_MAX_UNCOMPRESSED`
or :data:`~outcomes.inputs.readers.xlsx.XLSX_MAX_RATIO` is refused before it is opened.

Each file is read into memory once (:func:`read_input_bytes`); callers that
record a hash take it of those bytes and pass them to :func:`read_table`, so the
hash is always of the content that was parsed.

Modules: :mod:`~outcomes.inputs.readers.text` (encoding and separator, also used
for statistics exports), :mod:`~outcomes.inputs.readers.table` (the result and
the steps all readers share), :mod:`~outcomes.inputs.readers.delimited` (CSV),
:mod:`~outcomes.inputs.readers.arrow_csv` (the quick CSV reader it tries first)
and :mod:`~outcomes.inputs.readers.xlsx` (workbooks).
"""

from __future__ import annotations

from pathlib import Path

from outcomes.core import paths
from outcomes.core.errors import InputError
from outcomes.inputs.readers.delimited import read_csv_text
from outcomes.inputs.readers.table import LINE, RawTable, read_input_bytes
from outcomes.inputs.readers.text import decode_text, detect_delimiter, detect_encoding
from outcomes.inputs.readers.xlsx import check_workbook_size, read_xlsx_text

__all__ = [
    "LINE",
    "RawTable",
    "check_workbook_size",
    "decode_text",
    "detect_delimiter",
    "detect_encoding",
    "read_csv_text",
    "read_input_bytes",
    "read_table",
    "read_xlsx_text",
]


def read_table(path: str | Path, sheet: str | None = None, *, content: bytes | None = None) -> RawTable:
    """Read a CSV or ``.xlsx`` input file as text with line numbers.

    Parameters
    ----------
    path
        File path, relative to the project root unless absolute.
    sheet
        Sheet name for workbooks; the first sheet when ``None``.
    content
        The file's bytes when the caller has read them already (to hash
        exactly what is parsed, see :func:`read_input_bytes`); otherwise the
        file is read here, once.

    Raises
    ------
    InputError
        When the file cannot be used at all.
    """
    file = paths.resolve(path)
    suffix = file.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx_text(file, sheet, content)
    if suffix == ".xls":
        raise InputError(
            "old Excel .xls files are not read",
            file=paths.relative_to_root(file),
            expected="an .xlsx workbook or a CSV file",
            hint="Save the sheet as .xlsx or CSV.",
        )
    return read_csv_text(file, content)
