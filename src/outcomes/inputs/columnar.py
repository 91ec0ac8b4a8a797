"""Text columns taken apart once: each distinct value, and which value each cell holds.

The intake's checks look at each distinct value of a column once and spread the
outcome back to the cells (most columns repeat a few hundred values over a
million rows). :func:`factorize_text` does the taking apart with Arrow's
dictionary encoding for Arrow-backed columns (what the readers give) and with
pandas for any other column; :func:`text_bytes` gives the UTF-8 bytes of all
cells for a quick screen of a whole column.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def _arrow_strings(values: pd.Series) -> pa.ChunkedArray | None:
    """The column's Arrow strings, without copying, or ``None`` when it is not held by Arrow."""
    array = values.array
    if not isinstance(array, pd.arrays.ArrowStringArray):
        return None
    chunked = pa.chunked_array(array.__arrow_array__())
    return chunked if pa.types.is_string(chunked.type) or pa.types.is_large_string(chunked.type) else None


def factorize_text(values: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """(codes, distinct): each cell's text (missing as "") is ``distinct.iloc[codes[i]]``.

    Distinct values in the order first met, as :meth:`pandas.Series.factorize` gives them.
    """
    strings = _arrow_strings(values)
    if strings is None:
        text = values.astype("string").fillna("")
        codes, uniques = text.factorize()
        return codes, pd.Series(uniques, dtype="string", name=values.name)
    encoded = pc.dictionary_encode(strings.fill_null("")).combine_chunks()
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.intp, copy=False)
    distinct = pd.Series(pd.arrays.ArrowStringArray(encoded.dictionary), name=values.name)
    return codes, distinct.astype("string")


def text_bytes(values: pd.Series) -> bytes:
    """The UTF-8 bytes of every cell, cells separated by ``|`` (Arrow columns: one after the other, as stored).

    Arrow's cells come without separators: a quick screen that looks for long
    runs of digits may then find one across two cells (never miss one), so it
    only errs on the side of looking closer.
    """
    strings = _arrow_strings(values)
    if strings is None:
        return "|".join(values.astype("string").fillna("").tolist()).encode("utf-8", "surrogatepass")
    parts = []
    for chunk in strings.chunks:
        if not len(chunk):
            continue
        offsets_type = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
        _, offsets, data = chunk.buffers()
        bounds = np.frombuffer(offsets, dtype=offsets_type)[chunk.offset : chunk.offset + len(chunk) + 1]
        if data is not None:
            parts.append(memoryview(data)[int(bounds[0]) : int(bounds[-1])])
    return b"|".join(parts)
