"""Effects not valued in kroner, assessed by DFØ's plus-minus method (pluss-minus-metoden).

Each effect in the registry's ``non_priced`` block has an importance
(betydning: small, medium, large) and an extent (omfang: none, small, medium,
large) in a direction (positive or negative). Their consequence is shown on
DFØ's nine-step scale from ``----`` to ``++++`` (DFØ kap. 3.4, assessing
non-priced effects), with this matrix (importance down, extent across)::

                 small  medium  large
    small          1      1       2
    medium         1      2       3
    large          2      3       4

i.e. ``max(1, importance + extent - 2)`` with the scores 1-3, and 0 when the
extent is none. The matrix is the project's reading of DFØ's
consequence fan [verify against the guide's figure]. Pure functions.
"""

from __future__ import annotations

import pandas as pd

from outcomes.registries.assumptions import NonPricedEffect, Registry

#: Scores of importance (betydning) and extent (omfang).
IMPORTANCE_SCORE: dict[str, int] = {"small": 1, "medium": 2, "large": 3}
EXTENT_SCORE: dict[str, int] = {"none": 0, "small": 1, "medium": 2, "large": 3}


def consequence(importance: str, extent: str, direction: str) -> int:
    """The consequence on the scale -4..+4 (see the module's matrix); 0 when the extent is none.

    Raises
    ------
    KeyError
        For an importance, extent or direction outside the scales.
    """
    if EXTENT_SCORE[extent] == 0:
        return 0
    size = max(1, IMPORTANCE_SCORE[importance] + EXTENT_SCORE[extent] - 2)
    return {"positive": 1, "negative": -1}[direction] * size


def symbol(score: int) -> str:
    """A consequence as DFØ writes it: ``++``, ``---`` or ``0``."""
    return "0" if score == 0 else ("+" if score > 0 else "-") * abs(score)


def plus_minus_table(registry: Registry, lang: str = "en") -> pd.DataFrame:
    """The non-priced effects with their consequence, in the registry's order.

    Parameters
    ----------
    registry
        A loaded registry (its ``non_priced`` block).
    lang
        ``nb`` takes the bokmål texts where given.

    Returns
    -------
    pandas.DataFrame
        One row per effect: ``id``, ``effect``, ``direction``, ``importance``,
        ``extent``, ``consequence`` (-4..4), ``symbol``, ``who``, ``evidence``
        and ``source`` (document and locator, or empty).
    """
    rows = [_row(effect, lang) for effect in registry.non_priced]
    columns = [
        "id",
        "effect",
        "direction",
        "importance",
        "extent",
        "consequence",
        "symbol",
        "who",
        "evidence",
        "source",
    ]
    return pd.DataFrame(rows, columns=columns)


def _row(effect: NonPricedEffect, lang: str) -> dict[str, object]:
    """One effect as a row of :func:`plus_minus_table`."""
    score = consequence(effect.importance, effect.extent, effect.direction)

    def text(name: str) -> str:
        local = getattr(effect, f"{name}_nb") if lang == "nb" else None
        return str(local or getattr(effect, name))

    return {
        "id": effect.id,
        "effect": text("effect"),
        "direction": effect.direction,
        "importance": effect.importance,
        "extent": effect.extent,
        "consequence": score,
        "symbol": symbol(score),
        "who": text("who"),
        "evidence": text("evidence"),
        "source": effect.source.cite() if effect.source else "",
    }
