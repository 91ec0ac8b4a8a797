"""Number formats in Norwegian and English, and the label catalogues."""

from __future__ import annotations

import pytest

from outcomes.core.formatting import (
    NBSP,
    format_count,
    format_interval,
    format_nok,
    format_number,
    format_percent,
    format_period,
)
from outcomes.core.i18n import Translator, catalogue


class TestFormatNumber:
    def test_norwegian(self) -> None:
        assert format_number(1234.5, 1, "nb") == f"1{NBSP}234,5"
        assert format_count(1234567, "nb") == f"1{NBSP}234{NBSP}567"
        assert format_number(-2.5, 1, "nb") == "\u22122,5"

    def test_english(self) -> None:
        assert format_number(1234.5, 1, "en") == "1,234.5"
        # a minus sign, not a hyphen, in English too (issue 17)
        assert format_number(-922_700_000, 0, "en") == "\u2212922,700,000"
        assert format_nok(-1.1e9, "en") == f"NOK{NBSP}\u22121.1{NBSP}billion"

    @pytest.mark.parametrize("value", [None, float("nan")])
    def test_missing(self, value) -> None:
        assert format_number(value) == "–"


class TestFormatPeriod:
    @pytest.mark.parametrize(
        ("code", "shown"),
        [
            ("2022_2024", "2022–2024"),  # FHI's JSON-stat code
            ("2022-2024", "2022–2024"),  # SSB's label
            ("2024", "2024"),
            (2024, "2024"),
            ("2019/20", "2019/20"),
            ("2024K3", "2024K3"),
            (None, "–"),
        ],
    )
    def test_one_form_for_year_ranges(self, code, shown) -> None:
        assert format_period(code) == shown


class TestFormatPercent:
    def test_percent(self) -> None:
        assert format_percent(0.123, 1, "nb") == f"12,3{NBSP}%"
        assert format_percent(0.123, 1, "en") == "12.3%"
        assert format_interval(0.82, 0.91, 0, "nb") == f"82–91{NBSP}%"


class TestFormatNok:
    def test_millions(self) -> None:
        assert format_nok(15_900_000, "nb") == f"kr{NBSP}15,9{NBSP}mill."
        assert format_nok(15_900_000, "en") == f"NOK{NBSP}15.9{NBSP}million"
        assert format_nok(2_500_000_000, "nb") == f"kr{NBSP}2,5{NBSP}mrd."
        assert format_nok(12345, "nb") == f"kr{NBSP}12{NBSP}345"


class TestCatalogue:
    def test_same_keys_in_both_languages(self) -> None:
        assert set(catalogue("nb")) == set(catalogue("en"))

    def test_placeholders_match(self) -> None:
        import string

        nb, en = catalogue("nb"), catalogue("en")
        for key in nb:
            fields_nb = {f for _, f, _, _ in string.Formatter().parse(nb[key]) if f}
            fields_en = {f for _, f, _, _ in string.Formatter().parse(en[key]) if f}
            assert fields_nb == fields_en, key

    def test_missing_key_is_clear(self) -> None:
        with pytest.raises(KeyError, match="nope"):
            Translator("nb")("nope")
