"""Every sheet of a workbook, hidden or not, screened for identity numbers.

The reader screens the sheet it reads (:func:`~outcomes.inputs.identity.refuse.refuse_identities`);
this screens the titles of all sheets and every cell of every other worksheet,
hidden and very hidden ones included. Numbers are screened as numbers, whatever
format a cell shows them in: an 11-digit number in a date format is no date
(openpyxl makes it an error value, ``#VALUE!``), so those cells of the sheet the
reader read are screened here too.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from outcomes.core.errors import InputError
from outcomes.inputs.identity.columns import IdentityFinding, screen_table
from outcomes.inputs.identity.national_id import contains_national_id
from outcomes.inputs.identity.refuse import raise_for

_SAVED_BY_EXCEL = "an .xlsx file saved by Excel or LibreOffice"


def _excel_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def screen_sheets(
    sheets: Iterable[tuple[str, str, Iterable[Sequence[object]]]],
    *,
    confirm_random_ids: Collection[str] = (),
) -> tuple[list[IdentityFinding], str]:
    """Screen sheets of a workbook given as ``(title, state, rows of cell values)``.

    Every cell is screened; there is no header row, columns are named
    ``title!B``. A sheet title holding an identity number is a finding too
    (``sheet N``).

    Returns
    -------
    (findings, where)
        The findings of the first sheet that has any, and words naming that
        sheet for the message (empty when nothing was found).
    """
    for position, (title, state, rows) in enumerate(sheets, start=1):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl's warnings quote cell values
            found, where = _screen_sheet(position, title, state, rows, confirm_random_ids)
        if found:
            return found, where
    return [], ""


def _screen_sheet(
    position: int, title: str, state: str, rows: Iterable[Sequence[object]], confirm_random_ids: Collection[str]
) -> tuple[list[IdentityFinding], str]:
    """The findings of one sheet (its title, then its cells), and words naming the sheet for the message."""
    from openpyxl.utils import get_column_letter

    hidden = "" if state == "visible" else f" ({'very hidden' if state == 'veryHidden' else 'hidden'})"
    if contains_national_id(title, anywhere=True):
        return [
            IdentityFinding(
                f"sheet {position}", "the name of a sheet holds a national identity number", sheet_name=True
            )
        ], ""
    table = [[_excel_cell(v) for v in row] for row in rows]
    width = max((len(r) for r in table), default=0)
    if not width:
        return [], ""
    frame = pd.DataFrame([r + [""] * (width - len(r)) for r in table], dtype="string")
    found = screen_table(
        frame,
        confirm_random_ids=confirm_random_ids,
        headers=False,
        label=lambda _name, column: f"{title}!{get_column_letter(column)}",
    )
    return found, f" (in sheet '{title}'{hidden})" if found else ""


def refuse_identities_in_workbook(
    workbook: bytes | Path,
    file: str,
    *,
    data_sheet: str | None = None,
    confirm_random_ids: Collection[str] = (),
) -> None:
    """Refuse an ``.xlsx`` workbook that holds an identity number in any sheet.

    The data sheet (``data_sheet``, or the first sheet as the reader takes it)
    is screened by :func:`refuse_identities` on the table read; this screens
    the titles of all sheets and every cell of every other worksheet, hidden
    and very hidden ones included, reading all rows whatever the workbook's
    ``<dimension>`` says. Call it after the reader has accepted the file (the
    reader's limits on size then apply).

    Parameters
    ----------
    workbook
        The workbook's bytes as read (and hashed) by the caller, or its path.
    file
        The file as shown to users.
    data_sheet
        The sheet the reader read (``None``: the first).
    confirm_random_ids
        Columns (``Sheet!B``) confirmed to hold random pseudonyms (see :func:`screen_table`).

    Raises
    ------
    IdentityDataError
        Naming the file, the sheet and the column (``Sheet!B``), never the values.
    InputError
        When a sheet cannot be read (a damaged workbook): what cannot be
        screened is not used.
    """
    book = _open_workbook(workbook, file)
    # Numbers come as numbers: openpyxl turns a number in a date format into a date, or, when it is
    # too large for one (an identity number), into "#VALUE!", which nothing could screen.
    book._date_formats = set()
    try:
        skip = data_sheet if data_sheet is not None else (book.worksheets[0].title if book.worksheets else None)
        found, where = screen_sheets(_worksheets(book, skip), confirm_random_ids=confirm_random_ids)
    except Exception as exc:  # damaged sheet XML and the like
        raise InputError(
            f"a sheet of the workbook cannot be read to check it for identity numbers ({exc.__class__.__name__}: "
            "the workbook is damaged)",
            file=file,
            expected=_SAVED_BY_EXCEL,
            hint="Open the workbook in Excel or LibreOffice and save it again.",
        ) from None
    finally:
        book.close()
    raise_for(found, file, where)


def _open_workbook(workbook: bytes | Path, file: str) -> Any:
    """The workbook opened read-only with cell values; close it after use.

    Raises
    ------
    InputError
        When openpyxl cannot open it.
    """
    from openpyxl import load_workbook

    try:
        return load_workbook(
            io.BytesIO(workbook) if isinstance(workbook, bytes) else workbook, read_only=True, data_only=True
        )
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise InputError(
            f"the workbook cannot be opened ({exc.__class__.__name__})", file=file, expected=_SAVED_BY_EXCEL
        ) from None


def _worksheets(book: Any, skip: str | None) -> Iterable[tuple[str, str, Iterable[Sequence[object]]]]:
    """``(title, state, rows)`` of every worksheet; of the sheet ``skip`` (screened already) only its dated numbers."""
    for sheet in book.worksheets:
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()  # read every row, whatever <dimension> says
        rows = _dated_numbers(sheet) if sheet.title == skip else sheet.iter_rows(values_only=True)
        yield sheet.title, sheet.sheet_state, rows


def _dated_numbers(sheet: Any) -> Iterable[Sequence[object]]:
    """The sheet's rows with only the numbers shown in a date format (what the reader gets as dates or errors)."""
    for row in sheet.iter_rows():
        yield [c.value if c.is_date and isinstance(c.value, int | float) else None for c in row]
