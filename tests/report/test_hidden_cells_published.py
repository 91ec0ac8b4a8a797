"""What a bundle says of its hidden cells: that they are hidden, never why.

A reason is a fact about a hidden number (``small_count``: 0-4; ``complement``:
the rest of its group is 1-4; ``secondary``: 5 or more). Published beside the
totals, the demo's reasons pinned hidden counts exactly: the 2012 work-only
count of Midtfylket (1), the 2014 work-only count of Drammen (3) and the 2014
NEET count of all departments to 3-4. These tests read the published files as
an outside reader would (CSV, every sheet of the workbook, ``summary.json``,
the pages, ``--json``), and show the audit refuses a bundle, or last year's
bundle beside it, that says why.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from openpyxl import load_workbook

from outcomes.cli import main
from outcomes.core.disclosure import COMPLEMENT, SMALL_COUNT, SMALL_DENOMINATOR, published_flags
from outcomes.sdc.bundle import audit_bundle

#: Every word the code gives a hidden cell's reason.
REASONS = {SMALL_COUNT, SMALL_DENOMINATOR, COMPLEMENT, "secondary"}


def flags_in(data: Any) -> Iterator[tuple[str, Any]]:
    """(key, value) of every hidden-cell flag (``suppressed``, ``suppressed_...``) in JSON data."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "suppressed" or key.startswith("suppressed_"):
                yield key, value
            else:
                yield from flags_in(value)
    elif isinstance(data, list):
        for value in data:
            yield from flags_in(value)


class TestPublishedFlags:
    def test_a_reason_becomes_true_and_nothing_else_changes(self) -> None:
        view = {
            "rates": [
                {"count": None, "suppressed": "small_count", "suppressed_response": None},
                {"count": 12, "suppressed": None, "suppressed_response": "complement"},
                {"count": None, "suppressed": "secondary", "note": "secondary school"},
            ],
            "headline": {"groups": {"neet": {"share": None, "suppressed": "complement"}}, "suppressed": ""},
            "years": [2019, 2020],
        }
        assert published_flags(view) == {
            "rates": [
                {"count": None, "suppressed": True, "suppressed_response": None},
                {"count": 12, "suppressed": None, "suppressed_response": True},
                {"count": None, "suppressed": True, "note": "secondary school"},
            ],
            "headline": {"groups": {"neet": {"share": None, "suppressed": True}}, "suppressed": None},
            "years": [2019, 2020],
        }

    def test_missing_and_false_are_shown_cells(self) -> None:
        rows = [{"suppressed": v} for v in (None, float("nan"), pd.NA, False, "")]
        assert published_flags(rows) == [{"suppressed": None}] * 5


@pytest.mark.slow
class TestTheDemoBundle:
    def test_csv_files_flag_hidden_cells_without_a_reason(self, bundle: Path) -> None:
        hidden = 0
        for path in sorted((bundle / "downloads").glob("*.csv")):
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
            assert not REASONS & set(frame.to_numpy().ravel()), path.name
            for column in [c for c in frame.columns if c.startswith("suppressed")]:
                assert set(frame[column]) <= {"", "True"}, (path.name, column)
                hidden += int((frame[column] == "True").sum())
        # The follow-up table alone hides 549 units (183 complement, 159 small counts, 207 secondary before).
        assert hidden >= 549

    def test_every_sheet_of_the_workbook_too(self, bundle: Path) -> None:
        book = load_workbook(next((bundle / "downloads").glob("*.xlsx")), read_only=True)
        for sheet in book.worksheets:
            rows = list(sheet.iter_rows(values_only=True))
            cells = {c for row in rows for c in row if isinstance(c, str)}
            assert not REASONS & cells, sheet.title
            header = [str(c) for c in rows[0]] if rows else []
            for i, name in enumerate(header):
                if name.startswith("suppressed"):
                    assert {row[i] for row in rows[1:]} <= {None, True}, (sheet.title, name)

    def test_summary_json_and_the_pages(self, bundle: Path) -> None:
        summary = json.loads((bundle / "summary.json").read_text(encoding="utf-8"))
        assert {v for _, v in flags_in(summary)} <= {None, True}
        text = json.dumps(summary, ensure_ascii=False)
        assert not any(f'"{r}"' in text for r in REASONS)
        for page in bundle.glob("*.html"):
            text = page.read_text(encoding="utf-8")
            assert not any(f'"{r}"' in text or f">{r}<" in text for r in REASONS), page.name

    def test_the_audit_is_clean(self, bundle: Path) -> None:
        audit = audit_bundle(bundle)
        assert audit.clean, audit.report()


def test_followup_json_flags_without_a_reason(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["followup", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rates"]
    flags = [v for _, v in flags_in(rows)]
    assert set(flags) == {None, True} and flags.count(True) >= 549


class TestTheAuditRefusesReasons:
    @pytest.fixture
    def copy(self, bundle: Path, tmp_path: Path) -> Path:
        target = tmp_path / "2020"
        shutil.copytree(bundle, target, ignore=shutil.ignore_patterns("assets", "*.xlsx"))
        return target

    @pytest.mark.slow
    def test_one_reason_in_a_csv_file_is_a_finding_that_names_the_line(self, copy: Path) -> None:
        file = copy / "downloads" / "followup_rates.csv"
        rates = pd.read_csv(file, dtype=str, keep_default_na=False)
        first = int((rates["suppressed"] == "True").to_numpy().argmax())
        rates.loc[first, "suppressed"] = SMALL_COUNT
        rates.to_csv(file, index=False)
        audit = audit_bundle(copy)
        assert not audit.clean
        (finding,) = [f for f in audit.findings if "says why" in f]
        line = first + 2  # the header is line 1
        assert finding.startswith(
            f"downloads/followup_rates.csv column suppressed: says why cells are hidden (line {line}:"
        )
        assert "'small_count'" in finding

    def test_a_reason_in_summary_json_is_a_finding(self, tmp_path: Path) -> None:
        bundle = tmp_path / "2020"
        bundle.mkdir()
        summary = {
            "report_year": 2020,
            "followup": {"headline": {"groups": {"neet": {"suppressed": COMPLEMENT}, "work": {"suppressed": None}}}},
        }
        (bundle / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
        audit = audit_bundle(bundle)
        assert audit.findings == [
            "summary.json followup.headline.groups.neet.suppressed: says why a cell is hidden ('complement'); a "
            "reason tells a reader which hidden numbers are small. Publish only that a cell is hidden"
        ]

    @pytest.mark.slow
    def test_last_years_bundle_that_says_why_is_a_finding_too(self, copy: Path) -> None:
        before = copy.parent / "2019"
        shutil.copytree(copy, before)
        file = before / "downloads" / "participants_survey.csv"
        survey = pd.read_csv(file, dtype=str, keep_default_na=False)
        survey.loc[survey["suppressed"] == "True", "suppressed"] = COMPLEMENT
        survey.to_csv(file, index=False)
        assert audit_bundle(before).findings  # last year's own audit says so
        findings = audit_bundle(copy).findings
        assert len(findings) == 1 and findings[0].startswith("2019/downloads/participants_survey.csv column suppressed")
