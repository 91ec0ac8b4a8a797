"""The survey's front-page card shows its range, not only the best statement (outcomes.analyses.participants.cards)."""

from __future__ import annotations

from types import SimpleNamespace

from outcomes.analyses.participants.cards import front_cards, survey_card
from outcomes.core.i18n import Translator

SURVEY = {
    "year": 2020,
    "items": 5,
    "lowest": {"item": "Jeg er tryggere på hva jeg vil", "share": 0.55, "n": 40},
    "highest": {"item": "Jeg føler meg velkommen", "share": 0.89, "n": 44},
}


class TestSurveyCard:
    def test_range_from_lowest_to_highest(self) -> None:
        card = survey_card(SURVEY, Translator("nb"))
        assert card is not None
        assert card.value == "55–89\xa0%"
        assert "(5 påstander)" in card.label
        assert card.detail == (
            "Lavest: «Jeg er tryggere på hva jeg vil» (n = 40). Høyest: «Jeg føler meg velkommen» (n = 44). 2020."
        )

    def test_english(self) -> None:
        card = survey_card(SURVEY, Translator("en"))
        assert card is not None and card.value == "55–89%"
        assert card.detail.startswith("Lowest: “Jeg er tryggere på hva jeg vil” (n = 40). Highest:")

    def test_one_statement_shows_its_share(self) -> None:
        one = {**SURVEY, "items": 1, "lowest": SURVEY["highest"]}
        card = survey_card(one, Translator("nb"))
        assert card is not None and card.value == "89\xa0%" and card.detail == "n = 44, 2020"

    def test_with_statements_hidden_the_range_is_of_those_shown(self) -> None:
        """A hidden statement may lie outside the range (the demo's three hidden ones were agreed by 98-99 %)."""
        some = {**SURVEY, "items": 6, "shown": 3}
        card = survey_card(some, Translator("nb"))
        assert card is not None and card.value == "55–89\xa0%"
        assert "blant de 3 av 6 påstandene som kan vises" in card.label and "(6 påstander)" not in card.label
        english = survey_card(some, Translator("en"))
        assert english is not None and "among the 3 of 6 statements that can be shown" in english.label

    def test_one_statement_shown_of_several(self) -> None:
        one = {**SURVEY, "items": 6, "shown": 1, "lowest": SURVEY["highest"]}
        card = survey_card(one, Translator("nb"))
        assert card is not None and card.value == "89\xa0%"
        assert card.label == "er enig i «Jeg føler meg velkommen», den eneste av 6 påstander som kan vises (personvern)"

    def test_nothing_published_no_card(self) -> None:
        assert survey_card({"year": 2020, "items": 3, "lowest": None, "highest": None}, Translator("nb")) is None

    def test_front_cards_use_the_range(self) -> None:
        cards = front_cards(None, {"headline": {"survey": SURVEY}}, SimpleNamespace(language="nb"))
        assert [c.value for c in cards] == ["55–89\xa0%"]
