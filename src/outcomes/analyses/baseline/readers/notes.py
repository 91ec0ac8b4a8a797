"""The publisher's footnotes in a JSON-stat dataset, and the symbols of FHI's flag list.

SSB's PxWebApi writes notes in three places (JSON-stat 2.0 ``note``):

* ``note`` on the dataset: a list of texts about the whole table (a new
  reference year, a successor table, "figures for 2024 are preliminary");
* ``dimension.<id>.note``: about one dimension as a whole;
* ``dimension.<id>.category.note``: per category code, e.g. a municipality
  that moved county, or one year's preliminary figures.

``extension.noteMandatory`` (dataset: note index -> true) and
``extension.categoryNoteMandatory`` (dimension: code -> true) say which notes
SSB requires to be shown; the report shows every note that concerns a figure
it prints, and keeps the flag in the published JSON.

FHI's statistics API explains its status symbols at
``/{source}/Table/{id}/flag``: a list of ``{"title": symbol, "text": meaning}``
(``FlagOpenResponse`` in folkehelseinstituttet/Fhi.Statistikk.OpenAPI).
``outcomes fetch fhi`` saves it beside the data as ``<name>.flags.json``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from outcomes.core.errors import InputError

#: Suffix of FHI's flag list saved beside a data file (``fhi_360_vgs.json`` -> ``fhi_360_vgs.flags.json``).
FLAGS_SUFFIX = ".flags.json"

_MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")


@dataclass(frozen=True)
class SourceNote:
    """One footnote as the publisher wrote it.

    ``dimension`` is ``None`` for a note on the whole table; ``code`` is the
    category the note is attached to (``None`` for a note on the whole
    dimension). ``mandatory`` is SSB's own mark that the note must be shown.
    """

    text: str
    dimension: str | None = None
    code: str | None = None
    mandatory: bool = False


def note_text(text: object) -> str:
    """A note as plain text: Markdown links written as ``text (address)``, whitespace collapsed."""
    plain = _MARKDOWN_LINK.sub(r"\1 (\2)", str(text))
    return " ".join(plain.split())


def _texts(value: object) -> list[str]:
    """A note field (a list of texts or one text) as a list of non-empty plain texts."""
    items = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    return [t for t in (note_text(v) for v in items if v is not None) if t]


def _mandatory_keys(extension: object, key: str) -> set[str]:
    """The indexes or codes marked ``true`` in ``extension[key]`` (an object, or ``true`` for all)."""
    marks = extension.get(key) if isinstance(extension, dict) else None
    if marks is True:
        return {"*"}
    if isinstance(marks, dict):
        return {str(k) for k, v in marks.items() if v is True}
    return set()


def _dimension_notes(dim_id: str, dim: dict[str, Any]) -> list[SourceNote]:
    """Notes on one dimension and on its categories."""
    ext = dim.get("extension")
    whole = _mandatory_keys(ext, "noteMandatory")
    notes = [
        SourceNote(text, dim_id, None, "*" in whole or str(i) in whole)
        for i, text in enumerate(_texts(dim.get("note")))
    ]
    per_code = (dim.get("category") or {}).get("note")
    if isinstance(per_code, dict):
        marked = _mandatory_keys(ext, "categoryNoteMandatory")
        for code, value in per_code.items():
            notes.extend(SourceNote(t, dim_id, str(code), "*" in marked or str(code) in marked) for t in _texts(value))
    return notes


def dataset_notes(data: dict[str, Any]) -> tuple[SourceNote, ...]:
    """Every note of a JSON-stat 2.0 dataset: the dataset's, then each dimension's in ``id`` order.

    Parameters
    ----------
    data
        The dataset (already in the 2.0 layout).

    Returns
    -------
    tuple[SourceNote, ...]
        Plain texts (Markdown links written out), duplicates removed.
    """
    marked = _mandatory_keys(data.get("extension"), "noteMandatory")
    notes = [SourceNote(t, None, None, str(i) in marked) for i, t in enumerate(_texts(data.get("note")))]
    dims = data.get("dimension") or {}
    for dim_id in data.get("id") or list(dims):
        if isinstance(dims.get(dim_id), dict):
            notes.extend(_dimension_notes(str(dim_id), dims[dim_id]))
    return tuple(dict.fromkeys(notes))


def flags_path(data_path: Path) -> Path:
    """Where the flag list of a data file is saved: ``fhi_360_vgs.json`` -> ``fhi_360_vgs.flags.json``."""
    return data_path.with_name(data_path.stem + FLAGS_SUFFIX)


def _flag_items(data: object) -> list[Any]:
    if isinstance(data, dict):
        for key in ("flags", "flag", "items", "data"):
            if isinstance(data.get(key), list):
                return list(data[key])
        return [{"title": k, "text": v} for k, v in data.items() if isinstance(v, str)]
    return list(data) if isinstance(data, list) else []


def read_flag_list(path: str | Path) -> dict[str, str]:
    """FHI's explanation of the symbols used in a table, as saved from its ``/flag`` endpoint.

    Parameters
    ----------
    path
        JSON: a list of ``{"title": "..", "text": "Manglende data"}`` (the
        symbol may also be under ``symbol``/``flag``, the text under
        ``description``/``label``), or an object ``{symbol: text}``.

    Returns
    -------
    dict[str, str]
        Symbol -> meaning, in the file's order.

    Raises
    ------
    InputError
        If the file is not JSON or holds no symbol with a meaning.
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError as exc:
        raise InputError("Flag list not found.", file=path) from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"Not valid JSON: {exc.msg}.", file=path, line=exc.lineno) from exc
    flags: dict[str, str] = {}
    for item in _flag_items(data):
        if not isinstance(item, dict):
            continue
        symbol = next((item[k] for k in ("symbol", "flag", "title", "code") if item.get(k) not in (None, "")), None)
        text = next((item[k] for k in ("text", "description", "label") if item.get(k) not in (None, "")), None)
        if symbol is not None and text is not None:
            flags[str(symbol).strip()] = note_text(text)
    if not flags:
        raise InputError(
            "No symbol with a meaning in the flag list.",
            file=path,
            expected='a list of {"title": symbol, "text": meaning} as FHI\'s /flag endpoint returns',
        )
    return flags
