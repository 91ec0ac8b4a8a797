"""Text columns taken apart once: each distinct value, and which value each cell holds.

The intake's checks look at each distinct value of a column once and spread the
outcome back to the cells (most columns repeat a few hundred values over a
million rows). :func:`factorize_text` does the taking apart with Arrow's
dictionary encoding for Arrow-backed columns (what the readers give) and with
pandas for any other column; :func:`text_bytes` gives the UTF-8 bytes of all
cells for a quick screen of a whole column; :func:`duplicated_rows` finds
repeated keys by sorting; :func:`rows_where` sets a few rows apart without
copying the text of the others; :func:`memory_handed_back` keeps the peak
memory of an intake down.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar, copy_context
from typing import TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

#: Arrow memory for scratch work: the system's allocator hands it back when freed
#: (Arrow's default allocator keeps it, and the intake's peak memory grows).
_POOL = pa.system_memory_pool()


@contextmanager
def memory_handed_back() -> Iterator[None]:
    """Arrow's memory from the system's allocator in the block (pandas' Arrow work too), then as before.

    Arrow's default allocator keeps the memory freed by each step for later
    ones; over the steps of an intake that adds up to tens of megabytes of peak
    memory on a million rows. The system's allocator gives it back.
    """
    previous = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        yield
    finally:
        pa.set_memory_pool(previous)


#: Encodings made in a :func:`encodings_shared` block, by the memory of the column encoded
#: (which the entry keeps alive, so the address cannot be another column's meanwhile).
_SHARED: ContextVar[dict[tuple[int, ...], tuple[pa.ChunkedArray, np.ndarray, pd.Series]] | None] = ContextVar(
    "_SHARED", default=None
)


_T = TypeVar("_T")
_R = TypeVar("_R")


def map_in_threads(function: Callable[[_T], _R], items: Sequence[_T]) -> list[_R]:
    """``[function(item) for item in items]``, the calls spread over one thread per core.

    For work that lets go of the GIL (Arrow's parsing and compute, NumPy's
    sorting). Each call sees the caller's context (:func:`encodings_shared`),
    and the threads are our own, ended before this returns: Arrow's thread
    pool, left alive at exit, can abort the interpreter.
    """
    workers = min(len(items), os.cpu_count() or 1)
    if workers < 2:
        return [function(item) for item in items]
    with ThreadPoolExecutor(workers) as pool:
        futures = [pool.submit(copy_context().run, function, item) for item in items]
        return [future.result() for future in futures]


@contextmanager
def encodings_shared() -> Iterator[None]:
    """In the block, :func:`factorize_text` takes each Arrow column apart once, whoever asks.

    The identity screen and the contract check both look at the distinct values
    of the same columns; the intake runs both in one such block.
    """
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)


def _memory_of(strings: pa.ChunkedArray) -> tuple[int, ...]:
    """Where the cells of ``strings`` lie in memory (buffer addresses, offsets and lengths of every chunk)."""
    where: list[int] = []
    for chunk in strings.chunks:
        where += [chunk.offset, len(chunk), *(0 if b is None else b.address for b in chunk.buffers())]
    return tuple(where)


def arrow_strings(values: pd.Series) -> pa.ChunkedArray | None:
    """The column's Arrow strings, without copying, or ``None`` when it is not held by Arrow."""
    array = values.array
    if not isinstance(array, pd.arrays.ArrowStringArray):
        return None
    chunked = pa.chunked_array(array.__arrow_array__())
    return chunked if pa.types.is_string(chunked.type) or pa.types.is_large_string(chunked.type) else None


#: What ``str.strip()`` takes off: every character Python counts as white space. Written out, since
#: finding them among all of Unicode took 70 ms at every import (a test checks the list against Unicode).
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)

#: Columns longer than this are first sampled (:data:`SAMPLE` cells): when most of
#: the sample differs, the column is taken as it is, one "distinct value" per cell,
#: since finding the distinct values of a column of codes costs more than it saves.
SAMPLE = 20_000


def mostly_distinct(strings: pa.ChunkedArray) -> bool:
    """Whether more than half of the first :data:`SAMPLE` cells of a longer column differ."""
    if len(strings) <= SAMPLE:
        return False
    return pc.count_distinct(strings.slice(0, SAMPLE)).as_py() > SAMPLE // 2


def is_identity(codes: np.ndarray) -> bool:
    """Whether ``codes`` number the cells themselves (0, 1, 2, ...), as :func:`factorize_text` gives for codes."""
    return bool(len(codes) and codes[0] == 0 and codes[-1] == len(codes) - 1 and (np.diff(codes) == 1).all())


def _no_missing(strings: pa.ChunkedArray) -> pa.ChunkedArray:
    """Missing cells as "" (the column itself, not a copy, when none is missing)."""
    return strings.fill_null("") if strings.null_count else strings


def factorize_text(values: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """(codes, distinct): each cell's text (missing as "") is ``distinct.iloc[codes[i]]``.

    Distinct values in the order first met, as :meth:`pandas.Series.factorize`
    gives them; except for a long Arrow column of mostly different values
    (pseudonyms), which is given as it is: ``codes`` number the cells
    (:func:`is_identity`) and ``distinct`` may repeat a value.
    """
    strings = arrow_strings(values)
    shared = _SHARED.get()
    if strings is None or shared is None:
        return _factorize(values, strings)
    key = _memory_of(strings)
    if key not in shared:
        shared[key] = (strings, *_factorize(values, strings))
    _, codes, distinct = shared[key]
    named = distinct.copy(deep=False)
    named.name = values.name
    return codes, named


def _factorize(values: pd.Series, strings: pa.ChunkedArray | None) -> tuple[np.ndarray, pd.Series]:
    """:func:`factorize_text` itself, with the column's Arrow strings (``None``: not held by Arrow)."""
    if strings is not None and mostly_distinct(strings):
        cells = pd.Series(pd.arrays.ArrowStringArray(_no_missing(strings)), name=values.name)
        return np.arange(len(values), dtype=np.int32 if len(values) < 2**31 else np.int64), cells.astype("string")
    if strings is None:
        text = values.astype("string").fillna("")
        codes, uniques = text.factorize()
        return codes, pd.Series(uniques, dtype="string", name=values.name)
    encoded = pc.dictionary_encode(_no_missing(strings), memory_pool=_POOL).combine_chunks(memory_pool=_POOL)
    codes = encoded.indices.to_numpy(zero_copy_only=False)
    distinct = pd.Series(pd.arrays.ArrowStringArray(encoded.dictionary), name=values.name)
    return codes, distinct.astype("string")


def cell_bounds(chunk: pa.Array) -> np.ndarray:
    """Where each cell of an Arrow text array starts in its data buffer, and where the last one ends (no copy)."""
    _, offsets, _ = chunk.buffers()
    if offsets is None:  # an empty array may come without buffers
        return np.zeros(1, dtype=np.int64)
    bounds = np.frombuffer(offsets, dtype=np.int64 if pa.types.is_large_string(chunk.type) else np.int32)
    return bounds[chunk.offset : chunk.offset + len(chunk) + 1]


def cell_lengths(chunk: pa.Array) -> np.ndarray:
    """The bytes of each cell of an Arrow text array."""
    return np.diff(cell_bounds(chunk))


def longest_cell(values: pd.Series) -> int | None:
    """The bytes of the longest cell of a column held by Arrow (``None``: not held by Arrow, or no cells)."""
    strings = arrow_strings(values)
    if strings is None:
        return None
    lengths = [int(cell_lengths(chunk).max()) for chunk in strings.chunks if len(chunk)]
    return max(lengths, default=None)


def text_bytes(values: pd.Series) -> bytes:
    """The UTF-8 bytes of every cell, cells separated by ``|`` (Arrow columns: one after the other, as stored).

    Arrow's cells come without separators: a quick screen that looks for long
    runs of digits may then find one across two cells (never miss one), so it
    only errs on the side of looking closer.
    """
    strings = arrow_strings(values)
    if strings is None:
        return "|".join(values.astype("string").fillna("").tolist()).encode("utf-8", "surrogatepass")
    parts = []
    for chunk in strings.chunks:
        if not len(chunk):
            continue
        data = chunk.buffers()[2]
        bounds = cell_bounds(chunk)
        if data is not None:
            parts.append(memoryview(data)[int(bounds[0]) : int(bounds[-1])])
    return b"|".join(parts)


#: The bytes a white-space character (:data:`WHITESPACE`) can start with, and end with, in UTF-8.
_STARTS_SPACE = np.zeros(256, dtype=bool)
_STARTS_SPACE[[c.encode()[0] for c in WHITESPACE]] = True
_ENDS_SPACE = np.zeros(256, dtype=bool)
_ENDS_SPACE[[c.encode()[-1] for c in WHITESPACE]] = True


def may_have_edge_space(chunk: pa.Array) -> bool:
    """``False`` only when no cell starts or ends with white space: looks at each cell's first and last byte.

    An empty cell makes it look at a neighbour's byte, which can only answer
    ``True`` where the answer is ``False`` (then the column is trimmed, to no effect).
    """
    data = chunk.buffers()[2]
    bounds = cell_bounds(chunk)
    if data is None or bounds[-1] == bounds[0]:
        return False  # no cells, or every cell empty
    text = np.frombuffer(data, dtype=np.uint8)[: int(bounds[-1])]
    # np.take rather than indexing: no bounds checked (clipped instead), no copy of the positions
    first = np.take(text, bounds[:-1], mode="clip")
    if np.take(_STARTS_SPACE, first).any():
        return True
    last = np.take(text, bounds[1:] - 1, mode="clip")
    return bool(np.take(_ENDS_SPACE, last).any())


def _any_empty(chunk: pa.Array) -> bool:
    """Whether a cell of an Arrow text array is empty (two equal bounds in a row)."""
    bounds = cell_bounds(chunk)
    return bool((bounds[1:] == bounds[:-1]).any())


def plain_text(values: pd.Series) -> bool:
    """Whether every cell of a column held by Arrow is there, not empty and without white space at either end.

    ``False`` for a column not held by Arrow, or when it could not tell: then
    the cells are trimmed and tested one by one.
    """
    strings = arrow_strings(values)
    if strings is None or strings.null_count:
        return False
    for chunk in strings.chunks:
        if len(chunk) and (_any_empty(chunk) or may_have_edge_space(chunk)):
            return False
    return True


def _all_distinct(values: pd.Series) -> bool:
    """``True`` only when the text column holds no value twice (``False`` may be wrong: then it was not cheap to tell).

    Told cheaply for a column held by Arrow whose cells all have the same number
    of bytes, as pseudonyms mostly do: each cell's bytes are folded into one
    64-bit number (the bytes themselves up to eight), and the numbers sorted; no
    two the same means no two cells the same.
    """
    strings = arrow_strings(values)
    if strings is None or strings.null_count or len(strings) < 2:
        return False
    folded = [_folded(chunk) for chunk in strings.chunks if len(chunk)]
    if any(f is None for f in folded) or len({f.shape[1] for f in folded if f is not None}) != 1:
        return False
    numbers = np.concatenate([_fold_words(f) for f in folded if f is not None])  # a copy of its own
    numbers.sort()
    return not bool((numbers[1:] == numbers[:-1]).any())


def _folded(chunk: pa.Array) -> np.ndarray | None:
    """The cells' bytes as rows of 64-bit words (zero-padded), or ``None`` when the cells differ in length."""
    data = chunk.buffers()[2]
    bounds = cell_bounds(chunk)
    width = int(bounds[1] - bounds[0])
    if width == 0 or data is None or int(bounds[-1] - bounds[0]) != width * len(chunk):
        return None
    if not (np.diff(bounds) == width).all():
        return None
    cells = np.frombuffer(data, dtype=np.uint8)[int(bounds[0]) : int(bounds[-1])].reshape(len(chunk), width)
    words = -(-width // 8)
    if width == 8 * words:
        return cells.view(np.uint64)  # in the machine's byte order: only equality matters
    padded = np.zeros((len(chunk), 8 * words), dtype=np.uint8)
    padded[:, :width] = cells
    return padded.view(np.uint64)


#: Odd 64-bit multipliers that fold the words of a long cell into one number.
_FOLD = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93], dtype=np.uint64)


def _fold_words(words: np.ndarray) -> np.ndarray:
    """One number per row: the word itself for one word, else a sum of the words times :data:`_FOLD` (wrapping)."""
    words = words.astype(np.uint64, copy=False)
    if words.shape[1] == 1:
        return words[:, 0]
    folded = np.zeros(len(words), dtype=np.uint64)
    for j in range(words.shape[1]):
        folded = (folded ^ words[:, j]) * _FOLD[j % len(_FOLD)]
    return folded


def _as_arrow(key: np.ndarray | pd.Series) -> pa.Array | pa.ChunkedArray:
    """A key column for Arrow, without copying a text column that Arrow holds already."""
    if isinstance(key, pd.Series):
        strings = arrow_strings(key)
        if strings is not None:
            return strings
    return pa.array(key)


def duplicated_rows(keys: list[np.ndarray | pd.Series]) -> np.ndarray:
    """Rows whose key (one array per key column, equal length) another row repeats, all of them.

    What :meth:`pandas.DataFrame.duplicated` gives with ``keep=False`` (missing
    values equal to each other), found by sorting the keys with Arrow, which is
    quicker than hashing a column of a million different codes.
    """
    count = len(keys[0]) if keys else 0
    if count < 2 or any(_all_distinct(key) for key in keys if isinstance(key, pd.Series)):
        return np.zeros(count, dtype=bool)  # no key repeats when one of its columns never does
    table = pa.table({f"k{i}": _as_arrow(key) for i, key in enumerate(keys)})
    order = pc.sort_indices(table, sort_keys=[(name, "ascending") for name in table.column_names], memory_pool=_POOL)
    same = np.ones(count - 1, dtype=bool)
    for name in table.column_names:
        column = pc.take(table.column(name), order, memory_pool=_POOL)
        before, after = column.slice(0, count - 1), column.slice(1)
        equal = pc.fill_null(pc.equal(before, after), False)
        both_missing = pc.and_(pc.is_null(before), pc.is_null(after))
        same &= pc.or_(equal, both_missing).to_numpy(zero_copy_only=False)
    in_sorted = np.zeros(count, dtype=bool)
    in_sorted[1:] |= same
    in_sorted[:-1] |= same
    out = np.zeros(count, dtype=bool)
    out[order.to_numpy()] = in_sorted
    return out


#: A selection of rows in at most this many runs is put together from slices of the
#: text columns (no cell copied); a selection in more runs is left to pandas.
MAX_RUNS = 64


def rows_where(frame: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
    """``frame.loc[mask].reset_index(drop=True)``, quick when the rows selected lie in few runs.

    An intake keeps all rows but a few (or rejects a few of many): pandas takes
    every cell of every text column to drop three rows (0.05 s on a million
    rows). Here each text column held by Arrow is put together from slices of
    itself, one per run of selected rows, without copying a cell; other columns
    are selected by NumPy. Columns, dtypes and order are those of ``frame``.
    """
    mask = np.ascontiguousarray(mask, dtype=bool)
    edges = np.flatnonzero(np.diff(mask.view(np.int8), prepend=0, append=0))
    if len(edges) > 2 * MAX_RUNS or not frame.columns.is_unique:
        return frame.loc[mask].reset_index(drop=True)
    runs = list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))
    columns: dict[object, object] = {}
    for name in frame.columns:
        values = frame[name]
        strings = arrow_strings(values)
        if strings is None:
            columns[name] = values.array[mask]
            continue
        chunks = [chunk for start, end in runs for chunk in strings.slice(start, end - start).chunks]
        columns[name] = pd.array(pa.chunked_array(chunks, type=strings.type), dtype=values.dtype)  # no copy
    out = pd.DataFrame(columns, index=pd.RangeIndex(int(mask.sum())), copy=False)  # every column new already
    out.columns = frame.columns
    return out
