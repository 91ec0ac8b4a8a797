"""Refuse data that identifies people directly.

Inputs about people must be pseudonymised. One screen decides, on text
normalised so that nothing hides a number (:func:`normalise_text`: NFKC,
invisible characters removed, every dash and space variant made plain, digits
of other scripts made ASCII). A file is refused when

- a cell of any column (also columns whose header starts with ``_``) holds a
  Norwegian national identity number: a fødselsnummer, a D-number (day + 40) or
  an H-number (month + 40), with a plausible date and both mod-11 check digits
  right, written in one of the shapes of :data:`WRITTEN_SHAPES` or as 11 digits
  in a row, alone or inside other text, or as a whole cell of 10 digits that is
  such a number once the leading 0 a spreadsheet drops is put back;
- a header holds such a number (the file has no header row), or says the column
  holds names, addresses, phone numbers, e-mail addresses or identity numbers;
- the file's name or folder holds such a number (:func:`refuse_identity_in_name`):
  file names are published in the report's provenance;
- a sheet of a workbook, hidden or not, holds one (:func:`refuse_identities_in_workbook`).

Random digits pass the check now and then (:data:`CHANCE_11`, :data:`CHANCE_10`).
A column of numeric pseudonyms where only about as many values pass as random
digits would make pass is still refused, never let through silently, but the
message says so, and the analyst can confirm that the column holds random codes
(``confirm_random_ids``, the configuration key ``inputs.confirm_random_ids``).
Messages name the file and the column but never repeat the values.

Modules: :mod:`~outcomes.inputs.identity.national_id` (the number and finding it
in text), :mod:`~outcomes.inputs.identity.headers` (identifying column names),
:mod:`~outcomes.inputs.identity.columns` (the screen of a table),
:mod:`~outcomes.inputs.identity.refuse` (the errors) and
:mod:`~outcomes.inputs.identity.workbook` (the other sheets of a workbook).
"""

from __future__ import annotations

from outcomes.inputs.identity.columns import (
    CHANCE_LEVEL,
    SCREEN_VERSION,
    IdentityFinding,
    chance_of_at_least,
    find_identity_columns,
    screen_key,
    screen_table,
)
from outcomes.inputs.identity.headers import IDENTIFYING_HEADERS, identifying_header
from outcomes.inputs.identity.national_id import (
    CENTURY_SHAPES,
    CHANCE_10,
    CHANCE_11,
    WRITTEN_SHAPES,
    contains_national_id,
    is_national_id,
    mask_identity_numbers,
    normalise_text,
)
from outcomes.inputs.identity.refuse import refuse_identities, refuse_identity_in_name
from outcomes.inputs.identity.workbook import refuse_identities_in_workbook, screen_sheets

__all__ = [
    "CHANCE_10",
    "CHANCE_11",
    "CHANCE_LEVEL",
    "CENTURY_SHAPES",
    "IDENTIFYING_HEADERS",
    "SCREEN_VERSION",
    "WRITTEN_SHAPES",
    "IdentityFinding",
    "chance_of_at_least",
    "contains_national_id",
    "find_identity_columns",
    "identifying_header",
    "is_national_id",
    "mask_identity_numbers",
    "normalise_text",
    "refuse_identities",
    "refuse_identities_in_workbook",
    "refuse_identity_in_name",
    "screen_key",
    "screen_sheets",
    "screen_table",
]
