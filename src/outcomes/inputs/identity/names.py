"""People's names in a column: cells such as ``Kari Hansen``, ``ola.nordmann`` or ``Hansen, Kari``.

Names identify people directly, and inputs about people must be
pseudonymised, so a column of names is refused whatever its header says (the
header is screened by :mod:`~outcomes.inputs.identity.headers`). A cell is
taken for a name when it is two to four words of letters (apart by spaces,
``.``, ``_`` or ``-``; or ``surname, given name``), all capitalised, all lower
case or all upper case, and its first word is one of
the most common given names in Norway (``outcomes/data/common_names.csv``, from
Statistics Norway): a *full name* when its last word is a common surname too,
a *likely name* otherwise. One full name refuses the column; likely names do
when they are many (:data:`LIKELY_CELLS`, :data:`LIKELY_SHARE`), since a place
or a thing is now and then named after a person. Free text is not read for
names, nor are rare names: the header catches a column of those.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from outcomes.inputs.columnar import arrow_strings
from outcomes.inputs.identity.national_id import normalise_text

#: Likely names refuse a column when at least this many cells hold them, and this share of its non-empty cells.
LIKELY_CELLS = 3
LIKELY_SHARE = 0.2

#: What stands between the words of a name.
_APART = re.compile(r"[ ._\-]+")
_NOT_A_NAME = re.compile(r"[^\w ._,\-]|\d")


@cache
def common_names() -> tuple[frozenset[str], frozenset[str]]:
    """(given names, surnames), case-folded, from ``outcomes/data/common_names.csv``."""
    text = (resources.files("outcomes") / "data" / "common_names.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    given = frozenset(r["name"].casefold() for r in rows if r["kind"].startswith("given"))
    return given, frozenset(r["name"].casefold() for r in rows if r["kind"] == "surname")


def name_kind(value: str) -> int:
    """2 for a full name (common given name and surname), 1 for a likely one (common given name), else 0."""
    text = normalise_text(value).strip()
    if not text or _NOT_A_NAME.search(text):
        return 0
    if text.count(",") == 1:  # "Hansen, Kari": surname first
        surname, given = (part.strip() for part in text.split(","))
        text = f"{given} {surname}"
    elif "," in text:
        return 0
    words = [w for w in _APART.split(text) if w]
    if not 2 <= len(words) <= 4 or not all(w.isalpha() for w in words):
        return 0
    if not (all(w.istitle() for w in words) or text.islower() or text.isupper()):
        return 0  # names are written alike: "Hans mor" (his mother) is no name
    given_names, surnames = common_names()
    if words[0].casefold() not in given_names:
        return 0
    return 2 if words[-1].casefold() in surnames else 1


_WORD = re.compile(r"[^\W\d_]+")


def _full_name_words(text: str) -> list[re.Match[str]]:
    """The words of ``text`` that make a full name with the word before or after them (given name, surname)."""
    words = list(_WORD.finditer(text))
    given_names, surnames = common_names()
    pairs = [
        i
        for i in range(len(words) - 1)
        if words[i].group().casefold() in given_names and words[i + 1].group().casefold() in surnames
    ]
    return [words[j] for i in pairs for j in (i, i + 1)]


def holds_given_name(text: str) -> bool:
    """Whether a word of ``text`` is a common given name (a header such as ``Navn: Kari``)."""
    given_names, _ = common_names()
    return any(word.group().casefold() in given_names for word in _WORD.finditer(normalise_text(text)))


def holds_full_name(text: str) -> bool:
    """Whether ``text`` (a file's path, say) has a common given name followed by a common surname among its words."""
    return bool(_full_name_words(text))


def mask_full_names(text: str) -> str:
    """``text`` with the letters of every full name (:func:`holds_full_name`) replaced by ``#``."""
    out = list(text)
    for word in _full_name_words(text):
        out[word.start() : word.end()] = "#" * (word.end() - word.start())
    return "".join(out)


@dataclass(frozen=True)
class NameCells:
    """How many cells of a column hold names."""

    full: int
    likely: int  # full names included
    nonempty: int

    @property
    def refused(self) -> bool:
        """One full name, or likely names in many cells."""
        return self.full > 0 or (self.likely >= LIKELY_CELLS and self.likely >= LIKELY_SHARE * self.nonempty)


#: A value that may be a name: no digit, and something between two words.
_MAY_BE_NAME = r"^[^0-9]*[^0-9 ._,\-][ ._,\-]+[^0-9 ._,\-][^0-9]*$"


def name_cells(distinct: pd.Series, codes: np.ndarray) -> NameCells:
    """The names among a column's distinct values (text; ``codes``: which value each cell holds).

    Values with a digit or of one word are told apart by Arrow first, so a
    column of pseudonyms costs no Python per value; the cells are counted
    only when a value looks like a name.
    """
    text = distinct.astype("string").fillna("")
    arrow = arrow_strings(text)
    if arrow is not None:
        may = pc.match_substring_regex(arrow, _MAY_BE_NAME).to_numpy(zero_copy_only=False).astype(bool)
    else:
        may = text.str.contains(_MAY_BE_NAME, regex=True).to_numpy(dtype=bool)
    kinds = np.zeros(len(text), dtype=np.int8)
    where = np.flatnonzero(may)
    values = text.iloc[where].tolist()
    kinds[where] = [name_kind(v) for v in values]
    if not kinds.any():
        return NameCells(0, 0, 0)
    counts = np.bincount(codes, minlength=len(text))
    nonempty = int(counts[(text.str.strip() != "").to_numpy(dtype=bool)].sum())
    return NameCells(int(counts[kinds == 2].sum()), int(counts[kinds > 0].sum()), nonempty)
