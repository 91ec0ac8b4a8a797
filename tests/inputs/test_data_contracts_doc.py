"""docs/data-contracts.md and its examples agree with the contracts they describe.

The page is written from the YAML contracts; these tests fail when a contract
gains a column, header name, allowed value, range, key or rule that the page
does not mention, and when an example file stops passing validation.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from outcomes.analyses.participants.profile import load_categories, profile_from_counts, profile_from_flags
from outcomes.inputs.contracts import CURRENT_YEAR, load_contract
from outcomes.inputs.intake import intake_file
from outcomes.registries.statuses import load_status_map
from tests.conftest import ROOT

DOC = ROOT / "docs" / "data-contracts.md"
EXAMPLES = {
    "followup": ROOT / "docs" / "examples" / "followup_example.csv",
    "followup_counts": ROOT / "docs" / "examples" / "followup_counts_example.csv",
    "costs": ROOT / "docs" / "examples" / "costs_example.csv",
    # The flags contract lists one column per category of
    # config/participant_categories.yml (tests/analyses/participants/test_participants.py keeps
    # them in step), so its example header is the contract's columns too.
    "profile": ROOT / "docs" / "examples" / "profile_example.csv",
    "profile_counts": ROOT / "docs" / "examples" / "profile_counts_example.csv",
    "survey": ROOT / "docs" / "examples" / "survey_example.csv",
}
KINDS = sorted(EXAMPLES)


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC.read_text(encoding="utf-8")


def section(doc: str, kind: str) -> str:
    """The part of the page under the heading that names ``(`kind`)``."""
    start = next(i for i, line in enumerate(doc.splitlines()) if line.startswith("## ") and f"(`{kind}`)" in line)
    lines = doc.splitlines()[start + 1 :]
    end = next((i for i, line in enumerate(lines) if line.startswith("## ")), len(lines))
    return "\n".join(lines[:end])


class TestDocumentCoversContracts:
    @pytest.mark.parametrize("kind", KINDS)
    def test_every_column_and_header_name(self, doc: str, kind: str) -> None:
        text = section(doc, kind)
        for name, spec in load_contract(kind).columns.items():
            assert f"`{name}`" in text, f"column {name} of {kind} is not documented"
            for alias in spec.aliases:
                assert f"`{alias}`" in text, f"header name '{alias}' of {kind}.{name} is not documented"

    @pytest.mark.parametrize("kind", KINDS)
    def test_allowed_values_ranges_and_required(self, doc: str, kind: str) -> None:
        text = section(doc, kind)
        rows = {line.split("|")[1].strip(): line for line in text.splitlines() if line.startswith("| `")}
        for name, spec in load_contract(kind).columns.items():
            row = rows[f"`{name}`"]
            assert ("| yes |" if spec.required else "| no |") in row
            for value in [*(spec.allowed or []), *spec.synonyms]:
                assert f"`{value}`" in row, f"allowed value '{value}' of {kind}.{name} is not documented"
            for bound in (spec.min, spec.max):
                if bound == CURRENT_YEAR:
                    assert "current year" in row
                elif bound is not None:
                    assert f"{bound:g}" in row, f"bound {bound} of {kind}.{name} is not documented"
            if spec.pattern:
                # A "|" inside a pattern (the school-year pattern) must be written
                # "\|" in a Markdown table cell, or it would split the cell.
                assert spec.pattern.replace("|", "\\|") in row, f"pattern of {kind}.{name} is not documented"
            if spec.status_map:
                assert "status_map.yml" in row

    @pytest.mark.parametrize("kind", KINDS)
    def test_uniqueness_and_rules(self, doc: str, kind: str) -> None:
        text = section(doc, kind)
        contract = load_contract(kind)
        key_line = next(line for line in text.splitlines() if line.startswith("**Uniqueness**"))
        for column in contract.unique:
            assert f"`{column}`" in key_line
        for rule in contract.rules:
            assert f"`{rule.id}`" in text and f"`{rule.check}`" in text and rule.message in text
        if not contract.rules:
            assert "**Cross-field rules**: none." in text

    def test_profile_layout_choice_explained(self, doc: str) -> None:
        text = section(doc, "profile")
        for words in ("config/participant_categories.yml", "category column and a count column", "blank"):
            assert words in text, words
        assert "`deltakere`" in section(doc, "profile_counts")

    def test_general_sections(self, doc: str) -> None:
        for words in (
            "## Exit codes",
            "| 0 |",
            "| 1 |",
            "| 2 |",
            "data/processed/rejects/<name>.csv",
            "UTF-8",
            "Windows-1252",
            "byte-order mark",
            "semicolon",
            "tab",
            "pipe",
            ".xlsx",
            "first sheet",
            "Blank rows",
            "decimal comma",
            "fødselsnummer",
            "D-number",
            "`Navn`",
            "`E-post`",
            "`Telefon`",
            "never",
            "header only",
            "indicator tables",
            "intake",
            "profile",
        ):
            assert words in doc, words


class TestExamples:
    @pytest.mark.parametrize("kind", KINDS)
    def test_example_passes_with_no_rejects(self, project: Path, kind: str) -> None:
        uses_map = load_contract(kind).uses_status_map
        status_map = load_status_map(ROOT / "config" / "status_map.yml") if uses_map else None
        result = intake_file(EXAMPLES[kind], kind, status_map=status_map, write=False)
        assert result.problems.empty, result.problems.to_string()
        assert result.summary.rows_rejected == 0 and result.summary.rows_accepted > 0

    @pytest.mark.parametrize("kind", KINDS)
    def test_example_uses_every_column(self, kind: str) -> None:
        header = EXAMPLES[kind].read_text(encoding="utf-8").splitlines()[0].split(",")
        assert header == list(load_contract(kind).columns)

    @pytest.mark.parametrize("kind", KINDS)
    def test_doc_quotes_the_example(self, doc: str, kind: str) -> None:
        lines = EXAMPLES[kind].read_text(encoding="utf-8").splitlines()
        text = section(doc, kind)
        assert lines[0] in text and sum(line in text for line in lines[1:]) >= 2


class TestProfileExamplesMakeAProfile:
    """The contract is not all the report asks of a profile: it also needs a
    category column (flags), a ``participants`` row per school year (counts) and
    school years whose halves follow each other. The examples meet those too."""

    def test_flags_and_counts_examples(self, project: Path) -> None:
        catalogue = load_categories(ROOT / "config" / "participant_categories.yml")
        flags = intake_file(EXAMPLES["profile"], "profile", write=False).data
        counts = intake_file(EXAMPLES["profile_counts"], "profile_counts", write=False).data
        by_flags = profile_from_flags(flags, catalogue)
        by_counts = profile_from_counts(counts, catalogue)
        assert set(by_flags["school_year"]) >= {"2019/20"} and set(by_counts["school_year"]) == {"2019/20"}
