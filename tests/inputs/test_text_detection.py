"""Separators of text files (:mod:`outcomes.inputs.readers.text`), for analysts' CSV files and statistics exports."""

from __future__ import annotations

import pytest

from outcomes.inputs.readers.text import HeaderLine, detect_delimiter, find_header_line


class TestDetectDelimiter:
    @pytest.mark.parametrize(
        ("header", "expected"),
        [
            ("id;år;status", ";"),
            ("id,year,status", ","),
            ("id\tyear\tstatus", "\t"),
            ("id|year|status", "|"),
            ("id;name, first;status", ";"),  # the most frequent wins
            ("id,a;b", ";"),  # a tie goes to the first of ; , tab |
            ("id", ","),  # one column: comma
        ],
    )
    def test_most_frequent_separator(self, header: str, expected: str) -> None:
        assert detect_delimiter(header) == expected


class TestFindHeaderLine:
    def test_ssb_export_with_a_quoted_title(self) -> None:
        lines = ['"08764: Personer, etter region og år"', "", "region;år;Personer", "3401 Kongsvinger;2020;5"]
        assert find_header_line(lines) == HeaderLine(2, ";", "08764: Personer, etter region og år")

    def test_first_separator_that_splits_wins(self) -> None:
        # ";" is tried before ",", whatever splits more
        assert find_header_line(["a,b,c;d"]) == HeaderLine(0, ";", "")
        assert find_header_line(["region\tår"]) == HeaderLine(0, "\t", "")

    def test_title_is_the_first_line_before_the_header(self) -> None:
        assert find_header_line(["Tittel", "Undertittel", "a;b"]) == HeaderLine(2, ";", "Tittel")

    def test_no_line_splits(self) -> None:
        assert find_header_line(["", "one column only", '"a,b"']) is None
        assert find_header_line([]) is None

    def test_other_separators_and_field_count(self) -> None:
        assert find_header_line(["a,b", "a|b|c"], delimiters=("|",), min_fields=3) == HeaderLine(1, "|", "a,b")
