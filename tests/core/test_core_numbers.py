"""One reading of written numbers (:mod:`outcomes.core.numbers`), checked against hand-read values."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from outcomes.core.numbers import normalise_number_text, parse_count, parse_number, parse_numbers

# text -> the number a person reads in it (None: not a number)
READ = {
    "12": 12.0,
    "12,5": 12.5,  # decimal comma
    "12.5": 12.5,
    "1 234": 1234.0,  # thousands space
    "1\u00a0234,5": 1234.5,  # no-break space, as Norwegian Excel writes
    "1.234,5": 1234.5,  # Norwegian: the comma comes last, so it is the decimal mark
    "1,234.5": 1234.5,  # English: the point comes last
    "1,234": 1.234,  # a lone comma is a decimal comma
    "\u22123,5": -3.5,  # typographic minus
    "-0,25": -0.25,
    "+4": 4.0,
    ",5": 0.5,
    "5,": 5.0,
    "1,5e3": 1500.0,
    "  7  ": 7.0,
    "": None,
    "   ": None,
    "abc": None,
    "12 kr": None,
    "1.2.3": None,
    "1_000": None,  # Python's float reads it; people do not write it
    "\uff11\uff12": None,  # fullwidth digits
    "inf": None,
    "nan": None,
    "1e400": None,  # beyond the largest double
    "--1": None,
}


class TestParseNumber:
    @pytest.mark.parametrize(("text", "expected"), list(READ.items()))
    def test_reads_as_a_person_does(self, text: str, expected: float | None) -> None:
        assert parse_number(text) == expected


class TestParseNumbers:
    def test_a_column_reads_as_each_cell(self) -> None:
        texts = pd.Series([*READ, None], dtype="string", index=range(10, 10 + len(READ) + 1))
        parsed = parse_numbers(texts)
        assert str(parsed.dtype) == "Float64"
        assert list(parsed.index) == list(texts.index)
        assert [None if v is pd.NA else float(v) for v in parsed] == [*READ.values(), None]

    def test_nearest_double_even_with_a_plus_and_an_exponent(self) -> None:
        # pandas' own parser reads "+3E27" as 3.0000000000000003e27
        assert parse_numbers(pd.Series(["+3E27", "+7e84"], dtype="string")).tolist() == [3e27, 7e84]

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.text(alphabet="0123456789.,-+ eE\u00a0\u2212\tx", max_size=12), min_size=1, max_size=20))
    def test_agrees_with_the_one_text_reading(self, texts: list[str]) -> None:
        parsed = parse_numbers(pd.Series(texts, dtype="string"))
        for text, value in zip(texts, parsed, strict=True):
            one = parse_number(text)
            assert (value is pd.NA and one is None) or (one is not None and math.isclose(float(value), one, rel_tol=0))


class TestNormaliseNumberText:
    def test_separators_read_missing_kept(self) -> None:
        texts = pd.Series(["1 234,5", "1,234.5", "\u22122", None], dtype="string")
        assert normalise_number_text(texts).tolist() == ["1234.5", "1234.5", "-2", pd.NA]


class TestParseCount:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("1234", 1234),
            ("1 234", 1234),
            ("1\u00a0234", 1234),
            ("1\u202f234", 1234),  # narrow no-break space
            ("1.234", 1234),
            ("1,234", 1234),
            ("12,5", 125),  # a count has no decimals: every mark groups thousands
            ("", None),
            ("-3", None),
            ("3 people", None),
            ("\uff13", None),
        ],
    )
    def test_counts_with_any_thousands_separator(self, text: str, expected: int | None) -> None:
        assert parse_count(text) == expected
