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
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from outcomes.core.errors import IdentityDataError, InputError

_WEIGHTS_1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_WEIGHTS_2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
_ELEVEN_DIGITS = re.compile(r"^[0-9]{11}$")
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

#: Bumped whenever what the screen refuses changes; part of the intake cache key,
#: so a table accepted by an older screen is screened again.
SCREEN_VERSION = 2

#: Share of random ``ddmm`` digits that make a plausible day and month: 365.25 days
#: a year, each written 2 ways (plain, D-number) x 3 (plain, H-number, synthetic).
_DATE_SHARE = 6 * 365.25 / 10_000
#: Chance that 11 random digits pass :func:`is_national_id`: a plausible date, and
#: each check digit right with chance 1/11 (10/11 that it is not the impossible 10,
#: then 1/10 that the digit matches). About 1 in 552.
CHANCE_11 = _DATE_SHARE / 121
#: Chance that 10 random digits (the first 1-9) pass once a 0 is put in front: days
#: 01-09 are valid in every month, 36 of 100 month codes are. About 1 in 336.
CHANCE_10 = 0.36 / 121
#: A column is "about what random digits give" when seeing at least as many
#: passing values among its numbers by chance has at least this probability.
CHANCE_LEVEL = 0.01

#: How identity numbers are written, as lengths of digit groups kept apart by
#: separators (space, ``.``, ``-``, ``/``, ``_``, any number and mix of them), besides
#: 11 digits in a row: ``150590 12387``, ``15.05.90 12387``, ``15.05.90 123 87``,
#: ``150590 123 87`` and one digit at a time, ``1 5 0 5 9 0 1 2 3 8 7``. The groups
#: may stand among other groups (``2019 15.05.90 12387``). Other groupings, such as
#: the thousands of a sum (``1 019 012 480``: 1 + 3 + 3 + 3), do not count.
WRITTEN_SHAPES: tuple[tuple[int, ...], ...] = ((6, 5), (2, 2, 2, 5), (2, 2, 2, 3, 2), (6, 3, 2), (1,) * 11)

#: Header words (normalised, Norwegian and English) that signal direct identifiers.
IDENTIFYING_HEADERS: tuple[str, ...] = (
    "navn",
    "fornavn",
    "etternavn",
    "mellomnavn",
    "fullt navn",
    "name",
    "first name",
    "last name",
    "surname",
    "given name",
    "full name",
    "adresse",
    "postadresse",
    "gateadresse",
    "bostedsadresse",
    "address",
    "street",
    "telefon",
    "telefonnummer",
    "tlf",
    "mobil",
    "mobilnummer",
    "phone",
    "phone number",
    "mobile",
    "telephone",
    "e post",
    "epost",
    "e postadresse",
    "email",
    "e mail",
    "mail",
    "fødselsnummer",
    "fodselsnummer",
    "fnr",
    "personnummer",
    "d nummer",
    "dnummer",
    "national id",
    "ssn",
    "personal identity number",
)


#: Header words that show a "name" column names a thing, not a person.
_NOT_PERSONAL = frozenset(
    {
        "department",
        "avdeling",
        "enhet",
        "kommune",
        "municipality",
        "fylke",
        "county",
        "programme",
        "program",
        "item",
        "indicator",
        "category",
        "kategori",
        "school",
        "skole",
        "status",
        "file",
        "fil",
    }
)

# --- normalisation -------------------------------------------------------------------

#: Dashes that are not in Unicode's dash category (Pd): minus signs, hyphen bullet.
_DASHES = frozenset("\u2212\u2043\u02d7\u2796\u2e3a\u2e3b")
#: Dots people put between the parts of a date.
_DOTS = frozenset("\u00b7\u2027\u22c5\u2024\u2e31")
_SLASHES = frozenset("\u2044\u2215\u29f8")
#: Characters that show nothing although not marked as format characters.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")


def _plain(char: str) -> str | None:
    """What ``char`` (already NFKC) becomes in normalised text (``None``: removed)."""
    category = unicodedata.category(char)
    if char.isspace() or char == "\u2800":
        return " "
    if category in ("Cf", "Cc", "Mn", "Me") or char in _BLANK_LETTERS:
        return None  # zero-width characters, soft hyphen, byte-order mark, controls, combining marks
    if category == "Pd" or char in _DASHES:
        return "-"
    if category == "Nd":
        return str(unicodedata.decimal(char))
    if char in _DOTS:
        return "."
    if char in _SLASHES:
        return "/"
    return char


class _PlainMap(dict):  # type: ignore[type-arg]
    """``str.translate`` table filled in as characters are met."""

    def __missing__(self, code: int) -> str | None:
        self[code] = out = _plain(chr(code))
        return out


_ASCII_PLAIN = {code: _plain(chr(code)) for code in range(128) if _plain(chr(code)) != chr(code)}
_UNICODE_PLAIN = _PlainMap(_ASCII_PLAIN)


def normalise_text(text: str) -> str:
    """``text`` as the identity screen reads it.

    NFKC (fullwidth digits, no-break and other spaces become plain), then
    zero-width characters (U+200B-U+200D, U+2060, U+FEFF), the soft hyphen and
    every other format, control and combining character are removed, every
    space variant becomes ``' '``, every dash (U+2010-U+2015, U+2212, the
    non-breaking hyphen, ...) ``'-'``, and decimal digits of any script ASCII
    digits. The result is only for finding numbers, never shown.
    """
    if text.isascii():
        return text.translate(_ASCII_PLAIN)
    return unicodedata.normalize("NFKC", text).translate(_UNICODE_PLAIN)


# --- the check -----------------------------------------------------------------------


def _mod11(digits: Sequence[int], weights: tuple[int, ...]) -> int | None:
    rest = sum(d * w for d, w in zip(digits, weights, strict=False)) % 11
    check = 0 if rest == 0 else 11 - rest
    return None if check == 10 else check


def _plausible_date(day: int, month: int, year: int) -> bool:
    if day > 40:  # D-number
        day -= 40
    if month > 80:  # synthetic test numbers (Skatteetaten) add 80
        month -= 80
    elif month > 40:  # H-number (and NAV's synthetic numbers) add 40
        month -= 40
    if not 1 <= month <= 12:
        return False
    last = _DAYS_IN_MONTH[month - 1] - (1 if month == 2 and year % 4 else 0)
    return 1 <= day <= last


def is_national_id(value: str) -> bool:
    """Whether ``value`` is exactly a valid Norwegian identity number (11 ASCII digits).

    The two check digits follow the mod-11 rule (weights 3 7 6 1 8 9 4 5 2 and
    5 4 3 2 7 6 5 4 3 2). The date part must be a plausible date (29 February
    only in years divisible by 4); a D-number adds 4 to the first digit of the
    day (41-71), an H-number 4 to the first digit of the month (41-52), and
    Skatteetaten's synthetic test numbers 8 (81-92).
    """
    text = str(value).strip()
    if not _ELEVEN_DIGITS.match(text):
        return False
    digits = [int(c) for c in text]
    if _mod11(digits[:9], _WEIGHTS_1) != digits[9] or _mod11(digits[:10], _WEIGHTS_2) != digits[10]:
        return False
    return _plausible_date(int(text[0:2]), int(text[2:4]), int(text[4:6]))


def _valid_numbers(candidates: list[str]) -> np.ndarray:
    """:func:`is_national_id` of many 11-digit ASCII strings at once (boolean array)."""
    if not candidates:
        return np.zeros(0, dtype=bool)
    digits = (np.frombuffer("".join(candidates).encode("ascii"), dtype=np.uint8) - 48).astype(np.int64).reshape(-1, 11)
    check_1 = (11 - digits[:, :9] @ np.array(_WEIGHTS_1) % 11) % 11
    check_2 = (11 - digits[:, :10] @ np.array(_WEIGHTS_2) % 11) % 11
    ok = (check_1 == digits[:, 9]) & (check_2 == digits[:, 10])  # a check "digit" 10 never equals a digit
    day = digits[:, 0] * 10 + digits[:, 1]
    month = digits[:, 2] * 10 + digits[:, 3]
    year = digits[:, 4] * 10 + digits[:, 5]
    day = np.where(day > 40, day - 40, day)
    month = np.where(month > 80, month - 80, np.where(month > 40, month - 40, month))
    good_month = (month >= 1) & (month <= 12)
    last = np.asarray(_DAYS_IN_MONTH)[np.clip(month, 1, 12) - 1] - ((month == 2) & (year % 4 != 0))
    return ok & good_month & (day >= 1) & (day <= last)


_SEQUENCE = re.compile(r"[0-9]+(?:[-_ ./]+[0-9]+)*")
_GROUP = re.compile(r"[0-9]+")
_SEPARATOR = re.compile(r"[-_ ./]+")
_ZERO_LOST = re.compile(r"[1-9][0-9]{9}(?:[.,]0+)?")
_LONG_RUN = re.compile(r"[0-9]{11,}")


@dataclass(frozen=True)
class _Candidates:
    """The digit groups of one normalised text that could be an identity number."""

    whole: list[str]  # 11 digits in a row
    written: list[str]  # one of WRITTEN_SHAPES, joined
    zero_lost: str | None  # the whole text is 10 digits: with "0" put in front


def _candidates(plain: str) -> _Candidates:
    whole: list[str] = []
    written: list[str] = []
    for found in _SEQUENCE.finditer(plain):
        run = found.group()
        if len(run) < 11:
            continue  # fewer than 11 digits and separators: no shape fits
        groups = _GROUP.findall(run)
        whole.extend(g for g in groups if len(g) == 11)
        if len(groups) == 1:
            continue
        lengths = tuple(len(g) for g in groups)
        for shape in WRITTEN_SHAPES:
            for start in range(len(lengths) - len(shape) + 1):
                if lengths[start : start + len(shape)] == shape:
                    written.append("".join(groups[start : start + len(shape)]))
    zero = _ZERO_LOST.fullmatch(plain.strip())
    return _Candidates(whole, written, "0" + zero.group()[:10] if zero else None)


def contains_national_id(text: str, anywhere: bool = False) -> bool:
    """Whether ``text`` is, or holds among other characters, a valid identity number.

    The text is normalised (:func:`normalise_text`); the number counts in the
    shapes of :data:`WRITTEN_SHAPES`, as 11 digits in a row that stand apart
    from other digits, or as a whole text of 10 digits with its leading 0 lost.
    With ``anywhere`` (used for headers and sheet names, which are few and are
    repeated in messages), any 11 digits in a row once the separators are
    taken out count too, even inside a longer number.
    """
    plain = normalise_text(str(text))
    found = _candidates(plain)
    numbers = found.whole + found.written + ([found.zero_lost] if found.zero_lost else [])
    if anywhere:
        for run in _LONG_RUN.findall(_SEPARATOR.sub("", plain)):
            numbers.extend(run[i : i + 11] for i in range(len(run) - 10))
    return bool(_valid_numbers(numbers).any())


def mask_identity_numbers(text: str) -> str:
    """``text`` with every digit replaced by ``#`` when it holds an identity number (else as it is)."""
    return re.sub(r"\d", "#", text) if contains_national_id(text) else text


# --- headers -------------------------------------------------------------------------


def _header_words(header: str) -> str:
    return " ".join(re.sub(r"[_\-./]+", " ", normalise_text(str(header))).casefold().split())


def identifying_header(header: str) -> bool:
    """Whether a column header says the column holds names, addresses, phones, e-mail or IDs."""
    words = _header_words(header)
    if words in IDENTIFYING_HEADERS:
        return True
    tokens = set(words.split())
    if tokens & _NOT_PERSONAL:
        return False  # "department name", "kommunenavn", "item name" name things, not people
    return bool(
        tokens
        & {
            "navn",
            "name",
            "adresse",
            "address",
            "telefon",
            "phone",
            "epost",
            "email",
            "e-post",
            "fnr",
            "fødselsnummer",
            "personnummer",
        }
    )


# --- columns -------------------------------------------------------------------------

#: Whole-column quick test (:func:`_may_hold_number`): in the UTF-8 bytes, the ASCII
#: separators, whitespace and control characters are dropped and every ASCII digit
#: and every non-ASCII byte (a digit, dash, space or invisible character of another
#: script may hide there) becomes ``0``. Every candidate has at least 10 digits with
#: only such characters between them, so it leaves ten ``0`` in a row.
_DROPPED_BYTES = bytes(b for b in range(128) if chr(b) in "-_ ./" or _plain(chr(b)) in (" ", None))
_DIGIT_BYTES = b"0123456789" + bytes(range(128, 256))
_AS_ZERO = bytes.maketrans(_DIGIT_BYTES, b"0" * len(_DIGIT_BYTES))


def _may_hold_number(cells: list[str]) -> bool:
    """``False`` only when no cell can hold an identity number (``True`` may be wrong).

    Cells are joined with ``|``, which is kept and is no digit, so no run reaches
    from one cell into the next.
    """
    joined = "|".join(cells).encode("utf-8", "surrogatepass")
    return b"0" * 10 in joined.translate(_AS_ZERO, _DROPPED_BYTES)


def chance_of_at_least(count: int, expected: float) -> float:
    """Probability that a Poisson count with mean ``expected`` is ``count`` or more."""
    if count <= 0:
        return 1.0
    if expected <= 0:
        return 0.0
    total = 0.0
    i = count
    while True:
        term = math.exp(-expected + i * math.log(expected) - math.lgamma(i + 1))
        total += term
        if i > expected and (term == 0.0 or term < 1e-17 * total):
            return min(total, 1.0)
        i += 1


@dataclass(frozen=True)
class IdentityFinding:
    """Why a column (or a header, sheet or file name) is refused; never holds values.

    Attributes
    ----------
    column
        The column as messages name it (its position when the header itself is
        the problem; ``Sheet!B`` for a column of another sheet of a workbook).
    reason
        Plain-language reason.
    passing
        Cells that hold a valid identity number.
    numbers
        Cells holding 11 digits in a row or 10 digits (with the leading 0 lost):
        what random numeric codes look like.
    expected
        How many of those ``numbers`` random digits would make pass (mean).
    chance
        Only such plain numbers pass, about as many as random digits give
        (:data:`CHANCE_LEVEL`): the column may hold random pseudonyms, and
        naming it in ``confirm_random_ids`` accepts it.
    sheet_name
        The finding is the name of a sheet (``column`` is then ``sheet N``).
    """

    column: str
    reason: str
    passing: int = 0
    numbers: int = 0
    expected: float = 0.0
    chance: bool = False
    sheet_name: bool = False


def _text_cells(series: pd.Series) -> pd.Series | None:
    """The column as text, or ``None`` when it is numbers too small to hold 10 digits."""
    if pd.api.types.is_bool_dtype(series.dtype):
        return None
    if pd.api.types.is_integer_dtype(series.dtype):
        if not (pd.to_numeric(series).abs().fillna(0).to_numpy() >= 10**9).any():
            return None  # e.g. the reader's line numbers
    return series.astype("string")


def _column_finding(text: pd.Series, label: str, min_share: float) -> IdentityFinding | None:
    """The identity numbers in one text column (each distinct value examined once)."""
    if not _may_hold_number(text.fillna("").tolist()):
        return None
    codes, uniques = pd.factorize(text.array, use_na_sentinel=True)
    distinct = [str(v) for v in np.asarray(uniques, dtype=object).tolist()]
    counts = np.bincount(codes[codes >= 0], minlength=len(distinct))
    owner: list[int] = []
    kind: list[int] = []  # 0 whole (11 in a row), 1 written shape, 2 leading 0 lost
    numbers: list[str] = []
    plain_numbers = np.zeros(len(distinct), dtype=np.int64)  # 11-digit groups per value
    zero_candidate = np.zeros(len(distinct), dtype=bool)
    for index, value in enumerate(distinct):
        if value.isascii():
            stripped = value.strip()
            if stripped.isdigit():  # only ASCII digits: what _candidates finds, quicker (numeric codes)
                if len(stripped) == 11:
                    numbers.append(stripped)
                    owner.append(index)
                    kind.append(0)
                    plain_numbers[index] = 1
                elif len(stripped) == 10 and stripped[0] != "0":
                    numbers.append("0" + stripped)
                    owner.append(index)
                    kind.append(2)
                    zero_candidate[index] = True
                continue
        found = _candidates(normalise_text(value))
        for group, code in ((found.whole, 0), (found.written, 1)):
            numbers.extend(group)
            owner.extend([index] * len(group))
            kind.extend([code] * len(group))
        plain_numbers[index] = len(found.whole)
        if found.zero_lost:
            numbers.append(found.zero_lost)
            owner.append(index)
            kind.append(2)
            zero_candidate[index] = True
    if not numbers:
        return None
    valid = _valid_numbers(numbers)
    owners = np.asarray(owner)
    kinds = np.asarray(kind)
    hit = np.zeros((len(distinct), 3), dtype=bool)
    hit[owners[valid], kinds[valid]] = True
    any_hit = hit.any(axis=1)
    passing = int(counts[any_hit].sum())
    if not passing:
        return None
    nonempty = int(counts[np.asarray([v.strip() != "" for v in distinct], dtype=bool)].sum())
    if passing / max(nonempty, 1) <= min_share:
        return None
    zero_lost = int(counts[hit[:, 2] & ~hit[:, 0] & ~hit[:, 1]].sum())
    written = bool(hit[:, 1].any())
    numeric = (plain_numbers > 0) | zero_candidate
    number_cells = int(counts[numeric].sum())
    expected = float((counts * (plain_numbers * CHANCE_11 + zero_candidate * CHANCE_10)).sum())
    chance = not written and chance_of_at_least(passing, expected) >= CHANCE_LEVEL
    lost = (
        f" ({zero_lost} of them with the leading 0 lost, as when a spreadsheet stores the number as a number)"
        if zero_lost
        else ""
    )
    if chance:
        reason = (
            f"{passing} of {number_cells} numbers in the column pass the check for Norwegian national identity "
            f"numbers (fødselsnummer, D-number or H-number: a plausible date and both mod-11 check digits){lost}, "
            f"about what random digits give ({expected:.1f} expected by chance: 1 in {1 / CHANCE_11:.0f} "
            f"random 11-digit and 1 in {1 / CHANCE_10:.0f} random 10-digit numbers pass)"
        )
    else:
        reason = (
            f"{passing} value(s) are valid Norwegian national identity numbers "
            f"(fødselsnummer, D-number or H-number){lost}"
        )
        if not written and expected >= 0.1:
            reason += (
                f"; {passing} of {number_cells} numbers is more than random digits give "
                f"({expected:.1f} expected by chance), so they are very likely real identity numbers"
            )
    return IdentityFinding(label, reason, passing, number_cells, expected, chance)


def screen_table(
    data: pd.DataFrame,
    *,
    confirm_random_ids: Collection[str] = (),
    min_share: float = 0.0,
    headers: bool = True,
    label: Callable[[str, int], str] | None = None,
) -> list[IdentityFinding]:
    """What in ``data`` identifies people directly, column by column (values never included).

    Every column is screened, whatever its name; integer columns whose values
    all have fewer than 10 digits (such as the reader's line numbers) are
    skipped as they cannot hold a number.

    Parameters
    ----------
    data
        Table of cells (text, or numbers as a spreadsheet stores them).
    confirm_random_ids
        Columns the analyst has confirmed hold random pseudonyms: a finding in
        one of them that is about what random digits give (``chance``) is
        dropped. A column where more values pass, or where a number is written
        as people write identity numbers (:data:`WRITTEN_SHAPES`), is refused all
        the same.
    min_share
        A column is flagged when more than this share of its non-empty cells
        hold identity numbers (0 = any single one).
    headers
        Whether the column names are headers read from the file (screened for
        identity numbers and identifying words).
    label
        How messages name a column, from its name and 1-based position
        (default: the name).

    Returns
    -------
    list of IdentityFinding
        In column order; empty when nothing identifies anyone.
    """
    confirmed = {str(c) for c in confirm_random_ids}
    found: list[IdentityFinding] = []
    for position, column in enumerate(data.columns, start=1):
        name = str(column)
        shown = label(name, position) if label else name
        if headers:
            if contains_national_id(name, anywhere=True):
                # The file has no header row (its first record was read as the header),
                # or a number was typed into it. Name the column by position: messages
                # about headers repeat them.
                found.append(
                    IdentityFinding(
                        f"column {position}", "the header holds a national identity number (is the header row missing?)"
                    )
                )
                continue
            if identifying_header(name):
                found.append(
                    IdentityFinding(
                        shown, "its header says it holds names, addresses, phone numbers, e-mail or identity numbers"
                    )
                )
                continue
        text = _text_cells(data.iloc[:, position - 1])
        finding = None if text is None else _column_finding(text, shown, min_share)
        if finding is not None and not (finding.chance and shown in confirmed):
            found.append(finding)
    return found


def find_identity_columns(data: pd.DataFrame, min_share: float = 0.0) -> list[tuple[str, str]]:
    """Columns that hold direct identifiers, with the reason (values never included).

    :func:`screen_table` with nothing confirmed, as ``(column, reason)`` pairs.

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
    return [(f.column, f.reason) for f in screen_table(data, min_share=min_share)]


def _confirm_hint(columns: list[str]) -> str:
    names = ", ".join(columns)
    return (
        f"If the column holds random pseudonyms (codes made of digits), confirm it: list it under "
        f"inputs.confirm_random_ids in the configuration (inputs: confirm_random_ids: [{names}]), or add "
        f"--set 'inputs.confirm_random_ids=[{names}]' to the command. If any value is a real person's "
        "number, replace it with a pseudonym instead."
    )


def _raise_for(findings: list[IdentityFinding], file: str, where: str = "") -> None:
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
    _raise_for(screen_table(data, confirm_random_ids=confirm_random_ids), file)


def refuse_identity_in_name(file: str) -> None:
    """Refuse a file whose path (as shown and published) holds an identity number.

    The path of each input is published (``summary.json`` provenance, the
    methods page, the follow-up data table, the list of inputs checked), so a
    name such as ``followup_15059012387.csv`` must be renamed before use. The
    message shows the path with its digits masked.

    Raises
    ------
    IdentityDataError
        When :func:`contains_national_id` finds a number in ``file``.
    """
    if contains_national_id(file):
        raise IdentityDataError(
            "refused: the file's name (or a folder in its path) holds a national identity number, and the "
            "names of input files are published with the report. Nothing was read.",
            file=mask_identity_numbers(file),
            expected="a file name without identity numbers",
            hint="Rename the file (and its entry in the configuration) so that its name holds no identity number.",
        )


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
    from openpyxl.utils import get_column_letter

    for position, (title, state, rows) in enumerate(sheets, start=1):
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
            continue
        frame = pd.DataFrame([r + [""] * (width - len(r)) for r in table], dtype="string")
        found = screen_table(
            frame,
            confirm_random_ids=confirm_random_ids,
            headers=False,
            label=lambda _name, column: f"{title}!{get_column_letter(column)}",  # noqa: B023 (called before the loop moves on)
        )
        if found:
            return found, f" (in sheet '{title}'{hidden})"
    return [], ""


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
    from openpyxl import load_workbook

    try:
        book = load_workbook(
            io.BytesIO(workbook) if isinstance(workbook, bytes) else workbook, read_only=True, data_only=True
        )
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise InputError(
            f"the workbook cannot be opened ({exc.__class__.__name__})",
            file=file,
            expected="an .xlsx file saved by Excel or LibreOffice",
        ) from None
    try:
        skip = data_sheet if data_sheet is not None else (book.worksheets[0].title if book.worksheets else None)

        def sheets() -> Iterable[tuple[str, str, Iterable[Sequence[object]]]]:
            for sheet in book.worksheets:
                if hasattr(sheet, "reset_dimensions"):
                    sheet.reset_dimensions()  # read every row, whatever <dimension> says
                rows = () if sheet.title == skip else sheet.iter_rows(values_only=True)
                yield sheet.title, sheet.sheet_state, rows

        found, where = screen_sheets(sheets(), confirm_random_ids=confirm_random_ids)
    except Exception as exc:  # damaged sheet XML and the like
        raise InputError(
            f"a sheet of the workbook cannot be read to check it for identity numbers ({exc.__class__.__name__}: "
            "the workbook is damaged)",
            file=file,
            expected="an .xlsx file saved by Excel or LibreOffice",
            hint="Open the workbook in Excel or LibreOffice and save it again.",
        ) from None
    finally:
        book.close()
    _raise_for(found, file, where)


def screen_key(confirm_random_ids: Collection[str] = ()) -> dict[str, object]:
    """What the screen's verdict depends on besides the file, for cache keys."""
    return {"version": SCREEN_VERSION, "confirmed": sorted(str(c) for c in confirm_random_ids)}
