"""Table cells that are more than text: an evidence rating as a coloured word, a long note folded.

:func:`outcomes.render.display.html_table` escapes every cell; these helpers
return :class:`Html` cells built from escaped parts, which the table shows as
HTML. (Not :class:`markupsafe.Markup`: pandas stores text columns as plain
strings, which would drop the mark.) The words stay visible, so a rating reads the same in black and
white, to a screen reader and on paper; a folded note opens when printed.
"""

from __future__ import annotations

from dataclasses import dataclass

from outcomes.core.safety import escape_html


@dataclass(frozen=True)
class Html:
    """A table cell that is HTML (``markup``, built from escaped parts), with its plain ``text``."""

    markup: str
    text: str

    def __html__(self) -> str:
        return self.markup

    def __str__(self) -> str:
        return self.text


#: Ratings with a colour of their own (report.css ``.rating-<name>``).
RATINGS = ("red", "amber", "green")
#: Notes longer than this many characters are folded; the first :data:`FOLD_HEAD` characters show.
FOLD_AT = 140
FOLD_HEAD = 90


def rating_cell(rating: str, word: str) -> Html:
    """A red, amber or green rating as its word on the rating's colour (``<span class="rating rating-red">rød</span>``)."""
    css = f" rating-{rating}" if rating in RATINGS else ""
    return Html(f'<span class="rating{css}">{escape_html(word)}</span>', word)


def _head(text: str) -> str:
    """The beginning of ``text`` for a folded cell: its first sentence if short, else whole words up to :data:`FOLD_HEAD`."""
    sentence = text.find(". ")
    if 0 < sentence < FOLD_HEAD:
        return text[: sentence + 1]
    cut = text.rfind(" ", 0, FOLD_HEAD)
    return text[: cut if cut > 0 else FOLD_HEAD].rstrip(",;:(")


def folded_cell(text: object) -> str | Html:
    """``text`` as it is when short; when long, its beginning with the whole text folded below (``<details>``).

    Missing text (``None``, NaN) gives an empty cell.
    """
    if not isinstance(text, str):
        return ""
    if len(text) <= FOLD_AT:
        return text
    return Html(
        '<details class="fold"><summary><span class="fold-head">'
        f"{escape_html(_head(text))} …</span></summary>{escape_html(text)}</details>",
        text,
    )


def literal_cell(values: list[str] | tuple[str, ...]) -> Html:
    """Literal values (codes and labels as an input file writes them), each as ``<code>``, comma-separated."""
    return Html(", ".join(f"<code>{escape_html(v)}</code>" for v in values), ", ".join(values))
