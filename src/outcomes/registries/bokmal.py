"""Bokmål texts of the registries: every text field ``x`` may have a sibling ``x_nb``.

The assumption registry, its unit-cost libraries and the indicator catalogue
are written in English with a bokmål text beside each text a reader sees
(``label`` / ``label_nb``, ``source.note`` / ``source.note_nb`` ...). A bokmål
report shows the ``*_nb`` text; where it is missing it shows the English text
with a visible note, ``(engelsk tekst)``, and :func:`missing_bokmal` lists
every such place so a test can require none in the bundled configuration.

The rule is found from the models themselves: a field ``x`` with a sibling
field ``x_nb`` is a text with a bokmål version. Nested models and tuples of
models are walked, so a new ``*_nb`` field needs no code here.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

from outcomes.core.i18n import Translator

M = TypeVar("M", bound=BaseModel)

#: The suffix of a field that holds the bokmål version of its sibling.
SUFFIX = "_nb"


def english_mark() -> str:
    """The note after an English text shown in a bokmål report: `` (engelsk tekst)``."""
    return f" ({Translator('nb')('common.english_text')})"


def _texts(model: BaseModel) -> list[str]:
    """The names of ``model``'s text fields that have a bokmål sibling."""
    fields = type(model).model_fields
    return [name for name in fields if not name.endswith(SUFFIX) and f"{name}{SUFFIX}" in fields]


def _where(model: BaseModel, prefix: str) -> str:
    ident = getattr(model, "id", None)
    return f"{prefix}[{ident}]" if isinstance(ident, str) and ident else prefix


def _children(model: BaseModel) -> list[tuple[str, Any]]:
    """Fields of ``model`` that hold models (or tuples and lists of them), with their names."""
    out = []
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, BaseModel) or (
            isinstance(value, tuple | list) and value and all(isinstance(v, BaseModel) for v in value)
        ):
            out.append((name, value))
    return out


def in_bokmal(model: M) -> M:
    """``model`` with each text in bokmål: ``x_nb`` where given, else ``x`` marked ``(engelsk tekst)``.

    Parameters
    ----------
    model
        A registry, library, catalogue or one of their entries (frozen pydantic models).

    Returns
    -------
    The same kind of model; numbers, ids and codes untouched.
    """
    update: dict[str, Any] = {}
    for name in _texts(model):
        english, bokmal = getattr(model, name), getattr(model, f"{name}{SUFFIX}")
        if bokmal:
            update[name] = bokmal
        elif isinstance(english, str) and english and not english.endswith(english_mark()):
            # Marked once (a second pass changes nothing); the bokmål field stays empty, so
            # missing_bokmal still lists the text.
            update[name] = english + english_mark()
    for name, value in _children(model):
        if isinstance(value, BaseModel):
            update[name] = in_bokmal(value)
        else:
            update[name] = type(value)(in_bokmal(v) for v in value)
    return model.model_copy(update=update) if update else model


def missing_bokmal(model: BaseModel, prefix: str = "") -> list[str]:
    """Where a text a reader sees has no bokmål version: ``assumptions[attribution].source.note`` and so on.

    Parameters
    ----------
    model
        A registry, library, catalogue or one of their entries.
    prefix
        The path of ``model`` itself (for the recursion).
    """
    here = _where(model, prefix)
    missing = [
        f"{here}.{name}".lstrip(".")
        for name in _texts(model)
        if getattr(model, name) and not getattr(model, f"{name}{SUFFIX}")
    ]
    for name, value in _children(model):
        items = [value] if isinstance(value, BaseModel) else list(value)
        for item in items:
            missing += missing_bokmal(item, f"{here}.{name}")
    return missing
