"""The municipality change table, rebuilt from SSB's classification 131 (KLASS).

``outcomes/data/municipality_changes.csv`` says where every municipality code
went when Norway merged, split or renumbered municipalities. Its authority is
SSB's KLASS "changes" list for classification 131 (kommuneinndeling):
``GET https://data.ssb.no/api/klass/v1/classifications/131/changes?from=...&to=...``
with ``Accept: application/json``, which answers ``{"codeChanges": [...]}``,
one object per (old code, new code) pair with ``oldCode``, ``oldName``,
``newCode``, ``newName`` and ``changeOccurred`` (``YYYY-MM-DD``). This module
turns such a response into the table, so the table is extended to the next
change by downloading a new response and running
``scripts/municipality_changes_from_klass.py``, not by editing code.

KLASS conventions the conversion relies on (SSB's API guide, and a recorded
response for 1977-2024):

- An object without ``oldCode`` means ``newCode`` came into being; one without
  ``newCode`` means ``oldCode`` ceased to exist. Neither is a code mapping.
- An object whose old and new code are the same is not a move: either the
  municipality got a new official name (``1841 Fauske`` -> ``1841 Fauske -
  Fuossko``, 2017) or it kept its code while absorbing others (``5001
  Trondheim`` -> ``5001 Trondheim`` next to ``5030 Klæbu`` -> ``5001``, 2020).
  It is used to tell a merger from a renumbering, then left out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from outcomes.core.errors import InputError

#: KLASS's change list for classification 131; fill in ``start`` and ``end`` (``YYYY-MM-DD``).
KLASS_CHANGES_URL = "https://data.ssb.no/api/klass/v1/classifications/131/changes?from={start}&to={end}"
#: Columns of ``municipality_changes.csv``, in file order.
CHANGE_TABLE_COLUMNS: tuple[str, ...] = ("old_code", "old_name", "new_code", "new_name", "change_year", "kind")
#: The kinds of edge: one old and one new code; several old codes share one
#: new code (sum counts, rebuild rates); one old code has several new codes
#: (values cannot be allocated).
KINDS: tuple[str, ...] = ("renumbered", "merged", "split")

_CODE = re.compile(r"^\d{4}$")
_WHAT = "The KLASS change list"


def klass_code_changes(response: Mapping[str, Any]) -> pd.DataFrame:
    """Every object of a KLASS ``changes`` response, checked, as a table.

    Parameters
    ----------
    response
        The parsed JSON of ``classifications/131/changes`` (a mapping with the
        list ``codeChanges``).

    Returns
    -------
    pandas.DataFrame
        One row per object, in response order: ``old_code`` and ``new_code``
        (4-digit strings, missing where KLASS gives none), ``old_name``,
        ``new_name`` (strings, ``""`` when absent) and ``change_date``
        (:class:`datetime.date`).

    Raises
    ------
    InputError
        If the response has no ``codeChanges`` list, or an object lacks
        ``changeOccurred``, has a date that is not ``YYYY-MM-DD`` or a code
        that is not 4 digits (the object's position is named).
    """
    changes = response.get("codeChanges") if isinstance(response, Mapping) else None
    if not isinstance(changes, list):
        raise InputError(
            f"{_WHAT} has no 'codeChanges' list.",
            column="codeChanges",
            expected='the JSON of classifications/131/changes: {"codeChanges": [{"oldCode": ..., ...}, ...]}',
            hint="Download it with the header 'Accept: application/json' (see docs in municipality_changes.yml).",
        )
    rows = []
    for position, item in enumerate(changes, start=1):
        if not isinstance(item, Mapping):
            raise InputError(f"{_WHAT}: object {position} is not a JSON object.", column="codeChanges")
        rows.append(
            {
                "old_code": _code(item.get("oldCode"), "oldCode", position),
                "old_name": str(item.get("oldName") or ""),
                "new_code": _code(item.get("newCode"), "newCode", position),
                "new_name": str(item.get("newName") or ""),
                "change_date": _date(item.get("changeOccurred"), position),
            }
        )
    return pd.DataFrame(rows, columns=["old_code", "old_name", "new_code", "new_name", "change_date"])


def change_table_from_klass(response: Mapping[str, Any]) -> pd.DataFrame:
    """The municipality change table (``municipality_changes.csv``) from a KLASS response.

    Parameters
    ----------
    response
        The parsed JSON of ``classifications/131/changes`` for the period the
        table covers (the shipped table: ``from=2016-01-01&to=2024-01-02``).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CHANGE_TABLE_COLUMNS`: codes and names as KLASS gives
        them, ``change_year`` (int: the year from 1 January of which the new
        code is valid) and ``kind``: ``split`` when the old code has several
        new codes on that date, else ``merged`` when the new code has several
        old codes (counting a code that keeps its number while absorbing
        others), else ``renumbered``. Objects without an old or a new code and
        objects whose code does not change are left out. Sorted by year, old
        code, new code; duplicates removed.

    Raises
    ------
    InputError
        If the response is malformed (see :func:`klass_code_changes`), a
        change does not take effect on 1 January (the table counts in whole
        years), or a code keeps its number while part of it moves to another
        code on the same date (the table cannot express that; it needs a
        decision by hand).
    """
    raw = klass_code_changes(response)
    pairs = raw.dropna(subset=["old_code", "new_code"]).drop_duplicates(["old_code", "new_code", "change_date"])
    not_new_year = pairs[[d.month != 1 or d.day != 1 for d in pairs["change_date"]]]
    if len(not_new_year):
        first = not_new_year.iloc[0]
        raise InputError(
            f"{_WHAT}: {first['old_code']} -> {first['new_code']} took effect on {first['change_date']}, "
            "not on 1 January.",
            column="changeOccurred",
            expected="changes that take effect on 1 January (the table's change_year is a whole year)",
            hint="Decide by hand which year's figures belong to which code, and add the row to municipality_changes.csv.",
        )
    identity = pairs["old_code"] == pairs["new_code"]
    moves = pairs[~identity]
    kept_codes = set(zip(pairs.loc[identity, "old_code"], pairs.loc[identity, "change_date"], strict=True))
    partly_moved = moves[[(c, d) in kept_codes for c, d in zip(moves["old_code"], moves["change_date"], strict=True)]]
    if len(partly_moved):
        first = partly_moved.iloc[0]
        raise InputError(
            f"{_WHAT}: {first['old_code']} keeps its code on {first['change_date']} while part of it "
            f"goes to {first['new_code']}.",
            column="codeChanges",
            expected="a code that either stays whole or ends (merged, split or renumbered)",
            hint="The change table cannot say which figures stay; add the rows to municipality_changes.csv by hand.",
        )
    news_per_old = moves.groupby(["old_code", "change_date"])["new_code"].transform("nunique")
    olds_per_new = pairs.groupby(["new_code", "change_date"])["old_code"].transform("nunique").loc[moves.index]
    kind = [
        "split" if n > 1 else "merged" if o > 1 else "renumbered"
        for n, o in zip(news_per_old, olds_per_new, strict=True)
    ]
    table = pd.DataFrame(
        {
            "old_code": moves["old_code"].astype(str),
            "old_name": moves["old_name"],
            "new_code": moves["new_code"].astype(str),
            "new_name": moves["new_name"],
            "change_year": [d.year for d in moves["change_date"]],
            "kind": kind,
        }
    )
    table["change_year"] = table["change_year"].astype("int64")
    return table.sort_values(["change_year", "old_code", "new_code"], kind="stable").reset_index(drop=True)


def klass_response_from_change_table(table: pd.DataFrame) -> dict[str, list[dict[str, str]]]:
    """A KLASS ``changes`` response that holds exactly the edges of a change table.

    The inverse of :func:`change_table_from_klass`, used to build test
    fixtures in KLASS's shape where no real download can be made. A ``merged``
    edge that is the only old code of its new code means the new code kept its
    number while absorbing the old one (``5030 Klæbu`` -> ``5001 Trondheim``,
    2020); KLASS writes that as an extra object from the new code to itself,
    and so does this function.

    Parameters
    ----------
    table
        A change table with the columns :data:`CHANGE_TABLE_COLUMNS`.

    Returns
    -------
    dict
        ``{"codeChanges": [...]}``, objects with KLASS's fields in KLASS's
        order (``oldCode``, ``oldName``, ``oldShortName``, ``newCode``,
        ``newName``, ``newShortName``, ``changeOccurred``), sorted by date, new
        code and old code.
    """
    rows = table[list(CHANGE_TABLE_COLUMNS)].astype(str).to_dict("records")
    items = [(int(r["change_year"]), r["new_code"], r["old_code"], r["old_name"], r["new_name"]) for r in rows]
    olds: dict[tuple[int, str], set[str]] = {}
    for year, new, old, _, _ in items:
        olds.setdefault((year, new), set()).add(old)
    for r in rows:
        year, new = int(r["change_year"]), r["new_code"]
        if r["kind"] == "merged" and olds[(year, new)] == {r["old_code"]}:
            items.append((year, new, new, r["new_name"], r["new_name"]))
    return {
        "codeChanges": [
            {
                "oldCode": old,
                "oldName": old_name,
                "oldShortName": "",
                "newCode": new,
                "newName": new_name,
                "newShortName": "",
                "changeOccurred": f"{year:04d}-01-01",
            }
            for year, new, old, old_name, new_name in sorted(set(items))
        ]
    }


def _code(value: object, field: str, position: int) -> str | None:
    if value is None or value == "":
        return None
    text = str(value)
    if not _CODE.match(text):
        raise InputError(
            f"{_WHAT}: object {position} has {field} {value!r}.",
            column=field,
            expected="a 4-digit municipality code such as '0301', or none",
        )
    return text


def _date(value: object, position: int) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InputError(
            f"{_WHAT}: object {position} has changeOccurred {value!r}.",
            column="changeOccurred",
            expected="a date written YYYY-MM-DD",
        ) from None
