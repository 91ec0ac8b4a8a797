"""Front-page cards: one headline figure each, with what it is and how sure it is."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Card:
    """A headline figure on the front page.

    Attributes
    ----------
    value
        The figure as the reader sees it (already formatted, e.g. ``86 %``).
    label
        What it is.
    detail
        A second line (interval, n, year), or empty.
    """

    value: str
    label: str
    detail: str = ""
