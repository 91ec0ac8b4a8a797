"""Norwegian national identity numbers, and finding them in text however they are written.

:func:`is_national_id` applies the rule (a plausible date and both mod-11
check digits); :func:`contains_national_id` finds a number in any text, on text
normalised so that nothing hides one (:func:`normalise_text`): in the shapes of
:data:`WRITTEN_SHAPES` (and :data:`CENTURY_SHAPES`, the year in full), as 11
digits in a row (or 13 with the year in full),
as a whole text of 10 digits that is such a number once the leading 0 a
spreadsheet drops is put back, or as a whole number in scientific notation.
Random digits pass the check now and then (:data:`CHANCE_11`, :data:`CHANCE_10`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

_WEIGHTS_1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_WEIGHTS_2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
_ELEVEN_DIGITS = re.compile(r"^[0-9]{11}$")
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


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

#: How identity numbers are written, as lengths of digit groups kept apart by
#: separators (space, ``.``, ``-``, ``/``, ``_``, any number and mix of them), besides
#: 11 digits in a row: ``150590 12387``, ``15.05.90 12387``, ``15.05.90 123 87``,
#: ``150590 123 87``, one digit at a time, ``1 5 0 5 9 0 1 2 3 8 7``, and as a
#: spreadsheet writes an 11-digit number with thousands apart, ``15 059 012 387``. The
#: groups may stand among other groups (``2019 15.05.90 12387``). Other groupings, such
#: as the thousands of a 10-digit sum (``1 019 012 480``: 1 + 3 + 3 + 3), do not count.
WRITTEN_SHAPES: tuple[tuple[int, ...], ...] = (
    (6, 5),
    (2, 2, 2, 5),
    (2, 2, 2, 3, 2),
    (6, 3, 2),
    (1,) * 11,
    (2, 3, 3, 3),
)

#: The same with the year written in full (``15.05.1990 12387``, ``15051990-12387``):
#: the century (18, 19 or 20) is taken out before the check.
CENTURY_SHAPES: tuple[tuple[int, ...], ...] = ((2, 2, 4, 5), (8, 5), (2, 2, 4, 3, 2))
_CENTURIES = ("18", "19", "20")


# --- normalisation -------------------------------------------------------------------

#: Dashes that are not in Unicode's dash category (Pd): minus signs, hyphen bullet.
_DASHES = frozenset("\u2212\u2043\u02d7\u2796\u2e3a\u2e3b")
#: Dots people put between the parts of a date.
_DOTS = frozenset("\u00b7\u2027\u22c5\u2024\u2e31")
_SLASHES = frozenset("\u2044\u2215\u29f8")
#: Characters that show nothing although not marked as format characters.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")


def plain_char(char: str) -> str | None:
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


class _PlainMap(dict[int, str | None]):
    """``str.translate`` table filled in as characters are met."""

    def __missing__(self, code: int) -> str | None:
        self[code] = out = plain_char(chr(code))
        return out


_ASCII_PLAIN = {code: plain_char(chr(code)) for code in range(128) if plain_char(chr(code)) != chr(code)}
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


def valid_numbers(numbers: list[str]) -> np.ndarray:
    """:func:`is_national_id` of many 11-digit ASCII strings at once (boolean array)."""
    if not numbers:
        return np.zeros(0, dtype=bool)
    digits = (np.frombuffer("".join(numbers).encode("ascii"), dtype=np.uint8) - 48).astype(np.int64).reshape(-1, 11)
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
#: In headers and sheet names (few, and repeated in messages) anything between digits is taken out.
_NOT_ALPHANUMERIC = re.compile(r"[^0-9a-zA-Z]+")
_ZERO_LOST = re.compile(r"[1-9][0-9]{9}(?:[.,]0+)?")
_LONG_RUN = re.compile(r"[0-9]{11,}")
#: A whole text that is a number in scientific notation, as a program writes a large one: ``1.5059012387E+10``.
_SCIENTIFIC = re.compile(r"([0-9])(?:[.,]([0-9]+))?[eE]\+?([0-9]{1,2})")


def _without_century(digits: str) -> str | None:
    """A date with a four-digit year and the five digits after it (13 digits), as 11: ``ddmm`` + ``yy`` + the rest."""
    return digits[:4] + digits[6:] if len(digits) == 13 and digits[4:6] in _CENTURIES else None


def long_run_candidates(group: str) -> list[str]:
    """What one run of digits longer than 11 can hide: a date with the year in full and five digits (13)."""
    number = _without_century(group)
    return [number] if number else []


def _scientific(plain: str) -> str | None:
    """The digits of a whole text in scientific notation that is a whole number of 10 or 11 digits (``None``: not one)."""
    match = _SCIENTIFIC.fullmatch(plain.strip())
    if match is None:
        return None
    first, decimals, power = match.group(1), match.group(2) or "", int(match.group(3))
    if len(decimals) > power or power not in (9, 10):
        return None
    return (first + decimals + "0" * (power - len(decimals))).zfill(11)


@dataclass(frozen=True)
class Candidates:
    """The digit groups of one normalised text that could be an identity number."""

    whole: list[str]  # 11 digits in a row
    written: list[str]  # one of WRITTEN_SHAPES, joined
    zero_lost: str | None  # the whole text is 10 digits: with "0" put in front


def find_candidates(plain: str) -> Candidates:
    """The digit groups of ``plain`` (normalised text) that could be an identity number."""
    whole: list[str] = []
    written: list[str] = []
    for found in _SEQUENCE.finditer(plain):
        run = found.group()
        if len(run) < 11:
            continue  # fewer than 11 digits and separators: no shape fits
        groups = _GROUP.findall(run)
        whole.extend(g for g in groups if len(g) == 11)
        whole.extend(n for g in groups if len(g) > 11 for n in long_run_candidates(g))
        if len(groups) == 1:
            continue
        lengths = tuple(len(g) for g in groups)
        for shapes, joined in ((WRITTEN_SHAPES, "".join), (CENTURY_SHAPES, lambda g: _without_century("".join(g)))):
            for shape in shapes:
                for start in range(len(lengths) - len(shape) + 1):
                    if lengths[start : start + len(shape)] == shape:
                        number = joined(groups[start : start + len(shape)])
                        written.extend([number] if number else [])
    zero = _ZERO_LOST.fullmatch(plain.strip())
    scientific = _scientific(plain)
    if scientific is not None and scientific.startswith("0"):
        return Candidates(whole, written, scientific)  # ten digits: the leading 0 was lost
    if scientific is not None:
        whole.append(scientific)
    return Candidates(whole, written, "0" + zero.group()[:10] if zero else None)


def contains_national_id(text: str, anywhere: bool = False) -> bool:
    """Whether ``text`` is, or holds among other characters, a valid identity number.

    The text is normalised (:func:`normalise_text`); the number counts in the
    shapes of :data:`WRITTEN_SHAPES`, as 11 digits in a row that stand apart
    from other digits, or as a whole text of 10 digits with its leading 0 lost.
    With ``anywhere`` (used for headers and sheet names, which are few and are
    repeated in messages), any 11 digits in a row once everything but letters
    and digits is taken out count too, even inside a longer number.
    """
    plain = normalise_text(str(text))
    found = find_candidates(plain)
    numbers = found.whole + found.written + ([found.zero_lost] if found.zero_lost else [])
    if anywhere:
        for run in _LONG_RUN.findall(_NOT_ALPHANUMERIC.sub("", plain)):
            numbers.extend(run[i : i + 11] for i in range(len(run) - 10))
    return bool(valid_numbers(numbers).any())


def mask_identity_numbers(text: str, anywhere: bool = False) -> str:
    """``text`` with every digit replaced by ``#`` when it holds an identity number (else as it is).

    ``anywhere``: as :func:`contains_national_id` takes it (headers and sheet names).
    """
    return re.sub(r"\d", "#", text) if contains_national_id(text, anywhere) else text
