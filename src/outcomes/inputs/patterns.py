"""A quick proof that every cell of a long text column matches a contract pattern of one character class.

The contracts' pseudonym patterns are one character class repeated, such as
``^[A-Za-z0-9_.\\-]{1,40}$``. pandera checks a pattern with a regular
expression per cell, which on a column of a million different codes costs more
than reading the file. :func:`all_match` answers first, from the column's
bytes: when every byte is an ASCII character of the class and every cell is
between the shortest and longest length, every cell matches, and pandera's
check of the pattern can be left out. Whenever it cannot tell (another shape
of pattern, a byte outside the class, a cell too short or too long), it
answers ``False`` and pandera checks as before, so the messages about cells
that do not match are pandera's.

A character counts as in the class only when both Python's ``re`` and Arrow's
RE2 (which pandas uses for Arrow-backed text) say so, so the proof holds
whichever of them pandera runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from outcomes.inputs.columnar import arrow_strings, cell_bounds, cell_lengths

#: ``^[class]{m,n}$`` and the other repeats of one class: ``{m}``, ``+``, ``*``.
_ONE_CLASS = re.compile(r"\^(\[(?:\\.|[^\]\\])+\])(\{(\d+)(,(\d*))?\}|\+|\*)\$")


@dataclass(frozen=True)
class ClassPattern:
    """A pattern of one character class repeated: which ASCII bytes it takes, and how many."""

    members: bytes  # the bytes that are ASCII characters of the class
    shortest: int
    longest: int | None  # None: no limit


@lru_cache(maxsize=64)
def class_pattern(pattern: str) -> ClassPattern | None:
    """``pattern`` as a :class:`ClassPattern`, or ``None`` when it is of another shape."""
    shape = _ONE_CLASS.fullmatch(pattern)
    if shape is None:
        return None
    char_class, repeat = shape[1], shape[2]
    if repeat == "+":
        shortest, longest = 1, None
    elif repeat == "*":
        shortest, longest = 0, None
    else:
        shortest = int(shape[3])
        longest = shortest if shape[4] is None else (int(shape[5]) if shape[5] else None)
        if longest is not None and longest < shortest:
            return None
    ascii_chars = [chr(b) for b in range(128)]
    try:
        in_python = re.compile(f"{char_class}\\Z")
        in_re2 = pc.match_substring_regex(pa.array(ascii_chars), f"^{char_class}$")
    except (re.error, pa.ArrowInvalid):
        return None
    members = bytes(
        byte
        for byte, (char, re2_says) in enumerate(zip(ascii_chars, in_re2.to_pylist(), strict=True))
        if re2_says and in_python.match(char) is not None
    )
    return ClassPattern(members, shortest, longest)


def all_match(values: pd.Series, pattern: str) -> bool:
    """``True`` only when every non-missing cell of ``values`` matches ``pattern`` (``False``: could not tell).

    Parameters
    ----------
    values
        A text column; only one held by Arrow is looked at (others give ``False``).
    pattern
        The contract's pattern, as pandera's ``str_matches`` takes it.
    """
    shape = class_pattern(pattern)
    strings = arrow_strings(values)
    if shape is None or strings is None:
        return False
    if strings.null_count:
        strings = strings.drop_null()
    for chunk in strings.chunks:
        if len(chunk) and not _chunk_matches(chunk, shape):
            return False
    return True


def _chunk_matches(chunk: pa.Array, shape: ClassPattern) -> bool:
    """Every cell of a chunk without missing cells: long enough, not too long, every byte in the class."""
    lengths = cell_lengths(chunk)
    if int(lengths.min()) < shape.shortest or (shape.longest is not None and int(lengths.max()) > shape.longest):
        return False
    data = chunk.buffers()[2]
    if data is None:
        return True  # every cell empty, and empty cells allowed
    bounds = cell_bounds(chunk)
    # What is left once the class's bytes are deleted (a quick pass in C): nothing, when every byte is in it.
    return not bytes(memoryview(data)[int(bounds[0]) : int(bounds[-1])]).translate(None, shape.members)
