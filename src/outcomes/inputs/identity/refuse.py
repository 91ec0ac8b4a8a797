"""Refusing a file that identifies people: the errors, naming the file and column, never the values."""

from __future__ import annotations

from collections.abc import Collection

import pandas as pd

from outcomes.core.errors import IdentityDataError
from outcomes.inputs.identity.columns import IdentityFinding, screen_table
from outcomes.inputs.identity.names import holds_full_name, mask_full_names
from outcomes.inputs.identity.national_id import contains_national_id, mask_identity_numbers


def _confirm_hint(columns: list[str]) -> str:
    names = ", ".join(columns)
    return (
        f"If the column holds random pseudonyms (codes made of digits), confirm it: list it under "
        f"inputs.confirm_random_ids in the configuration (inputs: confirm_random_ids: [{names}]), or add "
        f"--set 'inputs.confirm_random_ids=[{names}]' to the command. If any value is a real person's "
        "number, replace it with a pseudonym instead."
    )


def raise_for(findings: list[IdentityFinding], file: str, where: str = "") -> None:
    if not findings:
        return
    first = findings[0]
    if first.sheet_name:
        raise IdentityDataError(
            f"refused: the name of {first.column} of the workbook holds a national identity number, and sheet "
            "names are shown in the report's notes. Nothing was written.",
            file=file,
            expected="sheet names without identity numbers",
            hint="Rename the sheet, or remove it.",
        )
    others = f" (also: {', '.join(f.column for f in findings[1:])})" if len(findings) > 1 else ""
    chance = [f.column for f in findings if f.chance]
    if first.chance:
        message = f"refused{where}: {first.reason}{others}. Nothing was written."
        expected = "no identity numbers, or a confirmation that the column holds random pseudonyms"
    else:
        message = (
            f"refused{where}: the column holds directly identifying data: {first.reason}{others}. Nothing was written."
        )
        expected = "pseudonymised data: a participant code instead of names or identity numbers"
    hint = "Remove the column or replace it with a pseudonymous code before using the file."
    if chance:
        hint = _confirm_hint(chance) if first.chance else f"{hint} {_confirm_hint(chance)}"
    raise IdentityDataError(message, file=file, column=first.column, expected=expected, hint=hint)


def refuse_identities(data: pd.DataFrame, file: str, *, confirm_random_ids: Collection[str] = ()) -> None:
    """Raise :class:`IdentityDataError` when ``data`` holds direct identifiers.

    Parameters
    ----------
    data
        The table as read (every column and header is screened).
    file
        The file as shown to users.
    confirm_random_ids
        Columns confirmed to hold random pseudonyms (see :func:`screen_table`).

    Raises
    ------
    IdentityDataError
        Naming the file and the columns, never the values; when the numbers
        that pass are about what random digits give, the message says so and
        how to confirm.
    """
    raise_for(screen_table(data, confirm_random_ids=confirm_random_ids), file)


def refuse_identity_in_name(file: str) -> None:
    """Refuse a file whose path (as shown and published) holds an identity number.

    The path of each input is published (``summary.json`` provenance, the
    methods page, the follow-up data table, the list of inputs checked), so a
    name such as ``followup_15059012387.csv`` must be renamed before use. The
    message shows the path with its digits masked.

    Raises
    ------
    IdentityDataError
        When :func:`contains_national_id` finds a number in ``file``, or it
        holds a person's name (a common given name and surname, ``Kari_Hansen.csv``).
    """
    if holds_full_name(file):
        raise IdentityDataError(
            "refused: the file's name (or a folder in its path) holds a person's name, and the names of input "
            "files are published with the report. Nothing was read.",
            file=mask_full_names(file),
            expected="a file name without people's names",
            hint="Rename the file (and its entry in the configuration) so that its name names no one.",
        )
    if contains_national_id(file):
        raise IdentityDataError(
            "refused: the file's name (or a folder in its path) holds a national identity number, and the "
            "names of input files are published with the report. Nothing was read.",
            file=mask_identity_numbers(file),
            expected="a file name without identity numbers",
            hint="Rename the file (and its entry in the configuration) so that its name holds no identity number.",
        )
