"""Refuse data that identifies people directly.

Inputs about people must be pseudonymised. A column whose values look like
Norwegian national identity numbers (fødselsnummer or D-number: 11 digits with
two valid mod-11 check digits, also with the leading 0 a spreadsheet drops from
a number), or whose header says it holds names,
addresses, phone numbers or e-mail addresses, makes the file unusable. The
messages name the column but never repeat its values.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .errors import IdentityDataError

_WEIGHTS_1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_WEIGHTS_2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
_ELEVEN_DIGITS = re.compile(r"^\d{11}$")

#: Header words (normalised, Norwegian and English) that signal direct identifiers.
IDENTIFYING_HEADERS: tuple[str, ...] = (
    "navn", "fornavn", "etternavn", "mellomnavn", "fullt navn", "name", "first name", "last name",
    "surname", "given name", "full name", "adresse", "postadresse", "gateadresse", "bostedsadresse",
    "address", "street", "telefon", "telefonnummer", "tlf", "mobil", "mobilnummer", "phone",
    "phone number", "mobile", "telephone", "e post", "epost", "e postadresse", "email", "e mail",
    "mail", "fødselsnummer", "fodselsnummer", "fnr", "personnummer", "d nummer", "dnummer",
    "national id", "ssn", "personal identity number",
)


#: Header words that show a "name" column names a thing, not a person.
_NOT_PERSONAL = frozenset({
    "department", "avdeling", "enhet", "kommune", "municipality", "fylke", "county", "programme",
    "program", "item", "indicator", "category", "kategori", "school", "skole", "status", "file", "fil",
})


def _mod11(digits: list[int], weights: tuple[int, ...]) -> int | None:
    rest = sum(d * w for d, w in zip(digits, weights)) % 11
    check = 0 if rest == 0 else 11 - rest
    return None if check == 10 else check


def is_national_id(value: str) -> bool:
    """Whether ``value`` is a valid Norwegian fødselsnummer or D-number.

    The two check digits follow the mod-11 rule (weights 3 7 6 1 8 9 4 5 2 and
    5 4 3 2 7 6 5 4 3 2). The date part must be a real day and month; in a
    D-number 4 is added to the first digit of the day (day 41-71).
    """
    text = str(value).strip()
    if not _ELEVEN_DIGITS.match(text):
        return False
    digits = [int(c) for c in text]
    k1 = _mod11(digits[:9], _WEIGHTS_1)
    if k1 is None or k1 != digits[9]:
        return False
    k2 = _mod11(digits[:10], _WEIGHTS_2)
    if k2 is None or k2 != digits[10]:
        return False
    day, month = int(text[0:2]), int(text[2:4])
    if day > 40:  # D-number
        day -= 40
    if month > 40:  # synthetic test numbers (Skatteetaten's "syntetiske") add 80 or 40 to the month
        month -= 80 if month > 80 else 40
    return 1 <= day <= 31 and 1 <= month <= 12


_EMBEDDED = r"(?<!\d)\d{6}[ .\-]?\d{5}(?!\d)"

#: 10 digits with nothing but whitespace, dots or dashes between them. Every way a
#: cell can hold an identity number (the whole cell once those are removed, also
#: with its leading 0 lost, or :data:`_EMBEDDED`) needs this, so a column without it
#: is skipped unexamined.
_DIGITS_APART = re.compile(r"\d(?:[\s.\-]*\d){9}")
#: The same test made coarse and quick for a whole column (:func:`_may_hold_digits_apart`):
#: in the UTF-8 bytes, the ASCII characters that ``[\s.\-]`` matches are dropped and
#: every ASCII digit and every non-ASCII byte (a digit or space of another script may
#: hide there) becomes ``0``.
_SEPARATOR_BYTES = bytes(b for b in range(128) if re.fullmatch(r"[\s.\-]", chr(b)))
_DIGIT_BYTES = bytes(b for b in range(128) if re.fullmatch(r"\d", chr(b))) + bytes(range(128, 256))
_AS_ZERO = bytes.maketrans(_DIGIT_BYTES, b"0" * len(_DIGIT_BYTES))


def _may_hold_digits_apart(cells: list[str]) -> bool:
    """``False`` only when no cell matches :data:`_DIGITS_APART` (``True`` may be wrong).

    Cells are joined with NUL, which is neither a digit nor whitespace, so no
    run reaches from one cell into the next (NUL inside a cell only changes
    the cell it is in). A run of 10 digits kept apart by separators leaves
    at least ten ``0`` in a row in the translated bytes.
    """
    joined = "\x00".join(cells).encode("utf-8", "surrogatepass")
    return b"0" * 10 in joined.translate(_AS_ZERO, _SEPARATOR_BYTES)

def contains_national_id(text: str, anywhere: bool = False) -> bool:
    """Whether ``text`` is, or holds among other characters, a valid identity number.

    The number counts when it stands apart from other digits, written whole or
    with one space, dot or dash after the date part (``150590 12387``). With
    ``anywhere`` (used for headers, which are few and are repeated in
    messages), any 11 digits in a row count, even inside a longer number.
    """
    text = str(text)
    joined = re.sub(r"[\s.\-]", "", text)
    if is_national_id(joined):
        return True
    if anywhere:
        runs = re.findall(r"\d{11,}", joined)
        return any(is_national_id(run[i:i + 11]) for run in runs for i in range(len(run) - 10))
    return any(is_national_id(re.sub(r"[ .\-]", "", m)) for m in re.findall(_EMBEDDED, text))


def _header_words(header: str) -> str:
    return " ".join(re.sub(r"[_\-./]+", " ", str(header)).casefold().split())


def identifying_header(header: str) -> bool:
    """Whether a column header says the column holds names, addresses, phones, e-mail or IDs."""
    words = _header_words(header)
    if words in IDENTIFYING_HEADERS:
        return True
    tokens = set(words.split())
    if tokens & _NOT_PERSONAL:
        return False  # "department name", "kommunenavn", "item name" name things, not people
    return bool(tokens & {"navn", "name", "adresse", "address", "telefon", "phone", "epost", "email", "e-post", "fnr", "fødselsnummer", "personnummer"})


def find_identity_columns(data: pd.DataFrame, min_share: float = 0.0) -> list[tuple[str, str]]:
    """Columns that hold direct identifiers, with the reason (values never included).

    Parameters
    ----------
    data
        Table of text cells.
    min_share
        A column is flagged when more than this share of its non-empty cells
        are valid identity numbers (0 = any single one).

    Returns
    -------
    list of (column, reason)
    """
    found: list[tuple[str, str]] = []
    for position, column in enumerate(data.columns, start=1):
        if str(column).startswith("_"):
            continue
        if contains_national_id(str(column), anywhere=True):
            # The file has no header row (its first record was read as the header),
            # or a number was typed into it. Name the column by position: messages
            # about headers repeat them.
            found.append((f"column {position}", "the header holds a national identity number (is the header row missing?)"))
            continue
        if identifying_header(column):
            found.append((column, "its header says it holds names, addresses, phone numbers, e-mail or identity numbers"))
            continue
        # Work on each distinct value once, weighted by how many cells hold it: the
        # counts below are counts of cells. NA cells are neither numbers nor non-empty.
        text = data[column].astype("string")
        if not _may_hold_digits_apart(text.fillna("").tolist()):
            continue  # no 10 digits kept apart by spaces, dots or dashes only: no identity number
        codes, uniques = pd.factorize(text.array, use_na_sentinel=True)
        distinct = pd.Series(uniques, dtype="string")
        if _DIGITS_APART.search("\x00".join(distinct.tolist())) is None:
            continue
        counts = np.bincount(codes[codes >= 0], minlength=len(distinct))
        values = distinct.str.replace(r"[\s.\-]", "", regex=True)
        whole = values.str.fullmatch(r"\d{11}", na=False).to_numpy(dtype=bool)
        # A number born on day 1-9 that a spreadsheet stored as a number lost its leading 0.
        short = values.str.fullmatch(r"[1-9]\d{9}", na=False).to_numpy(dtype=bool)
        # also a number inside a longer text ("P15059012387", "fnr 150590 12387")
        inside = ~whole & distinct.str.contains(_EMBEDDED, na=False).to_numpy(dtype=bool)
        if not whole.any() and not inside.any() and not short.any():
            continue
        valid = sum(int(n) for v, n in zip(values[whole], counts[whole]) if is_national_id(v))
        valid += sum(int(n) for v, n in zip(distinct[inside], counts[inside]) if contains_national_id(v))
        zero_lost = sum(int(n) for v, n in zip(values[short], counts[short]) if is_national_id("0" + v))
        nonempty = int(counts[(values != "").to_numpy(dtype=bool)].sum())
        if (valid + zero_lost) and (valid + zero_lost) / max(nonempty, 1) > min_share:
            lost = (f" ({zero_lost} of them with the leading 0 lost, as when a spreadsheet stores the number as a number)"
                    if zero_lost else "")
            found.append((column, f"{valid + zero_lost} value(s) are valid Norwegian national identity numbers "
                                  f"(fødselsnummer/D-number){lost}"))
    return found


def refuse_identities(data: pd.DataFrame, file: str) -> None:
    """Raise :class:`IdentityDataError` when ``data`` holds direct identifiers.

    The message names the file and the columns, never the values.
    """
    found = find_identity_columns(data)
    if found:
        column, reason = found[0]
        others = f" (also: {', '.join(c for c, _ in found[1:])})" if len(found) > 1 else ""
        raise IdentityDataError(
            f"refused: the column holds directly identifying data: {reason}{others}. "
            "Nothing was written.",
            file=file,
            column=column,
            expected="pseudonymised data: a participant code instead of names or identity numbers",
            hint="Remove the column or replace it with a pseudonymous code before using the file.",
        )
