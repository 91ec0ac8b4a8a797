"""What the baseline page shows (outcomes.analyses.baseline.views, deviance_views, labels, formatting).

One small region built by hand: Kongsvinger (3401) and Grue (3417), county
Innlandet (34) and the country (0), two indicators and two years. Every
expected number and sentence below is worked out from these rows.

NEET (percent, from counts, lower is better):
  2023: Kongsvinger 300/3000 = 10.0 %, Grue '..' -> region 300/3000 = 10.0 %, Grue left out
  2024: Kongsvinger 270/3000 =  9.0 %, Grue 50/500 = 10.0 % -> region 320/3500 = 9.142857 %
  change of the region: 9.142857 - 10.0 = -0.857143 pp, better
Upper-secondary completion (percent, weighted by population 15-29, higher is better):
  weights 2023: Kongsvinger 3000, Grue 1000 (used for 2024 too)
  2023: (3000 * 70 + 1000 * 60) / 4000 = 67.5 %; 2024: (3000 * 72 + 1000 * 66) / 4000 = 70.5 %
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from outcomes.analyses.baseline.challenges import largest_challenges
from outcomes.analyses.baseline.compare import change_since_baseline, gap_to_target
from outcomes.analyses.baseline.deviance_views import deviance_section, deviance_view
from outcomes.analyses.baseline.footnotes import status_footnotes
from outcomes.analyses.baseline.formatting import format_change, format_value
from outcomes.analyses.baseline.labels import (
    area_label,
    missing_notes,
    region_exclusions,
    region_members,
    status_reason,
)
from outcomes.analyses.baseline.readers.tidy import TIDY_COLUMNS, finish_tidy
from outcomes.analyses.baseline.region import NO_ROW, NO_WEIGHT, Exclusion, baseline_table
from outcomes.analyses.baseline.results import BaselineResults
from outcomes.analyses.baseline.views import (
    challenges_view,
    data_files_text,
    demo_note,
    intro,
    national_file_text,
    page_title,
    rows_of,
    scope_note,
    sources_view,
    summary_sentences,
    targets_view,
    theme_sections,
    theme_view,
    trend_figure,
    trend_view,
)
from outcomes.core.i18n import Translator
from tests.analyses.baseline.tidy_rows import tidy_row

NAN = float("nan")
NEET = "Young people 15–29 not in employment, education or training (NEET)"
VGS = "Completed and passed upper-secondary education within five/six years"


_row = tidy_row


@pytest.fixture(scope="module")
def tidy() -> pd.DataFrame:
    rows = [
        _row("neet_15_29", "3401", 2023, 10.0, 300, 3000),
        _row("neet_15_29", "3417", 2023, NAN, status=".."),
        _row("neet_15_29", "34", 2023, 11.0),
        _row("neet_15_29", "0", 2023, 10.0),
        _row("neet_15_29", "3401", 2024, 9.0, 270, 3000),
        _row("neet_15_29", "3417", 2024, 10.0, 50, 500),
        _row("neet_15_29", "34", 2024, 10.5),
        _row("neet_15_29", "0", 2024, 9.5),
        _row("vgs_completion", "3401", 2023, 70.0),
        _row("vgs_completion", "3417", 2023, 60.0),
        _row("vgs_completion", "0", 2023, 75.0),
        _row("vgs_completion", "3401", 2024, 72.0),
        _row("vgs_completion", "3417", 2024, 66.0),
        _row("vgs_completion", "0", 2024, 76.0),
        _row("population_15_29", "3401", 2023, 3000.0),
        _row("population_15_29", "3417", 2023, 1000.0),
    ]
    return finish_tidy(pd.DataFrame(rows, columns=TIDY_COLUMNS))


def _results(tidy: pd.DataFrame, catalogue, *, targets: dict[str, float] | None = None, **extra) -> BaselineResults:
    """What baseline_results gives for these rows, without reading files (no national file, no model)."""
    codes = ["3401", "3417"]
    table = baseline_table(tidy, catalogue, region_municipalities=codes, county_code="34", region_name="Testregionen")
    changes = change_since_baseline(table, catalogue, baseline_year=2023)
    return BaselineResults(
        region_name="Testregionen",
        municipalities=codes,
        county="34",
        baseline_year=2023,
        report_year=None,
        latest_year=2024,
        language="en",
        threshold=0,
        catalogue=catalogue,
        table=table.assign(numerator_suppressed=False),
        changes=changes,
        gaps=gap_to_target(changes, catalogue, targets) if targets else pd.DataFrame(),
        targets=dict(targets or {}),
        spread=None,
        challenges=largest_challenges(table, catalogue),
        deviance=None,
        footnotes=status_footnotes(table),
        **extra,
    )


@pytest.fixture(scope="module")
def results(tidy, catalogue) -> BaselineResults:
    return _results(
        tidy,
        catalogue,
        targets={"neet_15_29": 8.0},
        indicator_folder="data/raw/demo/indicators/pull_2024",
        inputs=[
            {"file": "data/raw/demo/indicators/pull_2024/ssb_13556_neet.json", "sha256": "x"},
            {"file": "data/raw/demo/indicators/pull_2024/fhi_360_vgs.json", "sha256": "x"},
            {"file": "config/indicators.yml", "sha256": "x"},
        ],
        national_file="data/raw/national.csv",
    )


@pytest.fixture(scope="module")
def t() -> Translator:
    return Translator("en")


class TestFormatValue:
    @pytest.mark.parametrize(
        ("value", "unit", "lang", "expected"),
        [
            (14.06, "percent", "nb", "14,1\xa0%"),
            (14.06, "percent", "en", "14.1%"),
            (3.25, "per_1000", "en", "3.2\xa0‰"),
            (7512.0, "count", "nb", "7\xa0512"),
            (NAN, "percent", "nb", "–"),
            (None, "per_1000", "en", "–"),
        ],
    )
    def test_units(self, value, unit, lang, expected):
        assert format_value(value, unit, lang) == expected


class TestFormatChange:
    def test_percent_points_signed(self, t):
        assert format_change(0.857, "percent", t) == "+0.9\xa0pp"
        assert format_change(-0.857, "percent", t) == "\u22120.9\xa0pp"

    def test_rounded_to_zero_has_no_sign(self, t):
        assert format_change(0.04, "percent", t) == "0.0\xa0pp"

    def test_count_whole_and_missing(self, t):
        assert format_change(12.4, "count", t) == "+12"
        assert format_change(NAN, "count", t) == "–"
        assert format_change(None, "percent", t) == "–"


class TestLabels:
    def test_region_exclusions_are_values(self, results):
        assert region_exclusions(results, "neet_15_29", "2023") == (Exclusion("3417", ".."),)
        assert region_exclusions(results, "neet_15_29", "2024") == ()
        assert region_exclusions(results, "neet_15_29", "1999") == ()

    def test_reason_codes_have_words(self, t):
        assert status_reason("..", t) == "“..” means the figure is missing in the source"
        assert status_reason(NO_ROW, t) == "no row in the file"
        assert status_reason(NO_WEIGHT, t) == "no population figures to weight by"
        assert status_reason("?!", t) == "?!"

    def test_area_labels(self, results, t):
        assert area_label(results, "region", t) == "Testregionen"
        assert area_label(results, "0", t) == "Norway"
        assert area_label(results, "3417", t) == "Grue"
        assert area_label(results, "9999", t) == "9999"
        assert region_members(results, t) == "Kongsvinger (3401), Grue (3417)"

    def test_missing_notes_name_cell_and_reason(self, results, t):
        notes = missing_notes(results, ["neet_15_29"], t)
        assert notes == [
            f"Grue, {NEET}, 2023: “..” means the figure is missing in the source.",
            f"Testregionen, {NEET}, 2023: the region figure is computed without "
            "Grue (“..” means the figure is missing in the source).",
        ]
        assert missing_notes(results, ["neet_15_29"], t, cells={("neet_15_29", "3401", "2024")}) == []
        assert missing_notes(results, ["vgs_completion"], t) == []


class TestOpeningTexts:
    def test_title_intro_and_demo_note(self, results, t):
        assert page_title(results, t) == "Baseline: Testregionen"
        assert "(Kongsvinger (3401), Grue (3417))" in intro(results, t) and "(2024)" in intro(results, t)
        assert (
            demo_note(results, t) == "Demo data: the figures in this report are illustrative, not published statistics."
        )

    def test_scope_note_only_when_configured(self, tidy, catalogue, t):
        assert scope_note(_results(tidy, catalogue), t) is None
        told = _results(tidy, catalogue, scope_note="The programme takes 18-35; SSB publishes 15-29.")
        assert scope_note(told, t) == "About the scope: The programme takes 18-35; SSB publishes 15-29."

    def test_no_demo_note_for_other_folders(self, tidy, catalogue, t):
        own = _results(tidy, catalogue, indicator_folder="data/raw/demographics/2024")
        assert demo_note(own, t) is None

    def test_summary_sentence_per_assessed_indicator(self, results, t):
        assert summary_sentences(results, t) == [
            # 300/3000 -> 320/3500: within what the counts give by chance
            f"{NEET}: 9.1% in 2024, against 10.0% at the baseline (2023); \u22120.9\xa0pp, no clear change.",
            # no counts and two years only: nothing tells how much the figure varies
            f"{VGS}: 70.5% in 2024, against 67.5% at the baseline (2023); +3.0\xa0pp, cannot be judged (too few figures).",
        ]


class TestThemeView:
    def test_rows_values_and_blanked_repeats(self, results, t):
        view = theme_view(results, "work_and_exclusion", t)
        assert view.caption == "Work and exclusion: baseline and latest figures"
        assert view.table.columns.tolist() == [
            "Indicator",
            "Area",
            "Period (baseline → latest)",
            "Baseline",
            "Latest",
            "Change",
            "Assessment",
        ]
        rows = view.table.values.tolist()
        # 300/3000 -> 270/3000: -1.0 points, but the 95% interval of the difference is about +/-1.5 points
        too_few = "Cannot be judged (too few figures)"
        assert rows[0] == [NEET, "Kongsvinger", "2023 → 2024", "10.0%", "9.0%", "\u22121.0\xa0pp", "No clear change"]
        assert rows[1] == ["", "Grue", "2023 → 2024", "–", "10.0%", "–", "Not assessed"]
        assert rows[2] == ["", "Testregionen", "2023 → 2024", "10.0%", "9.1%", "\u22120.9\xa0pp", "No clear change"]
        assert rows[3] == ["", "Innlandet (county)", "2023 → 2024", "11.0%", "10.5%", "\u22120.5\xa0pp", too_few]
        assert rows[4] == ["", "Norway", "2023 → 2024", "10.0%", "9.5%", "\u22120.5\xa0pp", too_few]
        assert view.numeric == ["Baseline", "Latest", "Change"]
        assert view.footnotes[0] == "– = the figure is missing or suppressed in the source:"
        assert view.footnotes[-1].startswith(f"Source of “{NEET}”: SSB, table 13556")
        assert (
            f"The baseline of each indicator is its latest period ending in or before 2023: {NEET} 2023."
            in view.footnotes
        )
        assert any(n.startswith("“Better” and “Worse”") for n in view.footnotes)

    def test_sections_assessed_themes_first(self, results, t):
        sections = theme_sections(results, t)
        assert [s.heading for s in sections] == ["Education", "Work and exclusion", "Demography"]
        # Population 2023 only: Kongsvinger 3000, Grue 1000, the region their sum; no newer figures.
        demography = sections[2].table.table
        assert demography["Area"].tolist() == ["Kongsvinger", "Grue", "Testregionen"]
        assert demography["Indicator"].tolist() == ["Population aged 15–29", "", ""]
        assert demography["Latest"].tolist() == ["3,000", "1,000", "4,000"]
        assert set(demography["Assessment"]) == {"No new figures"}


class TestTrend:
    def test_one_column_per_year(self, results, t):
        view = trend_view(results, t)
        assert view.numeric == ["2023", "2024"]
        region = view.table[view.table["Area"] == "Testregionen"]
        assert region[["2023", "2024"]].values.tolist() == [["10.0%", "9.1%"], ["67.5%", "70.5%"]]

    def test_figure_and_its_numbers(self, results, t):
        fig = trend_figure(results, t)
        assert isinstance(fig.figure, go.Figure) and fig.name == "baseline-trends"
        assert "(2023)" in fig.caption
        assert fig.data.numeric == ["2023", "2024"]


class TestChallenges:
    def test_relative_scores_listed_but_not_drawn(self, results, t):
        view = challenges_view(results, t)
        # No spread across municipalities: every score is relative, so there is no chart.
        assert view.figure is None
        # 2024 against the country, signed so that positive = behind:
        # Kongsvinger completion -(72 - 76) / 76 = 5 %; its NEET 9.0 < 9.5 is ahead, so not listed.
        # Grue completion -(66 - 76) / 76 = 13 %, NEET (10.0 - 9.5) / 9.5 = 5 %: ranked 1 and 2.
        assert view.table.table.values.tolist() == [
            ["Kongsvinger", "1", VGS, "2024", "72.0%", "76.0% (the country)", "5% worse"],
            ["Grue", "1", VGS, "2024", "66.0%", "76.0% (the country)", "13% worse"],
            ["", "2", NEET, "2024", "10.0%", "9.5% (the country)", "5% worse"],
        ]
        assert view.table.footnotes[1].startswith("Where the spread across all municipalities is not known")


class TestTargetsAndSources:
    def test_target_gap(self, results, t):
        view = targets_view(results, t)
        assert view.caption == "The region's latest value against the target, for each indicator with a target."
        # target 8.0: remaining 9.142857 - 8 = 1.14 pp; baseline gap 2.0 -> (2.0 - 1.142857) / 2.0 = 43 % closed
        assert view.table.values.tolist() == [[NEET, "8.0%", "10.0%", "9.1%", "1.1\xa0pp", "43%", "No"]]

    def test_sources_say_how_region_figures_are_made(self, results, t):
        view = sources_view(results, t)
        assert view.caption and view.footnotes == [] and view.numeric == []
        methods = dict(zip(view.table["Indicator"], view.table["Region figure"], strict=True))
        assert methods[NEET].startswith("Computed from the counts")
        assert methods[VGS] == "Average of the municipalities' values, weighted by population aged 15–29."
        assert methods["Population aged 15–29"].startswith("Sum of the municipalities")

    def test_data_files_and_national_file(self, results, t):
        assert data_files_text(results, t) == (
            "The indicator files were read from data/raw/demo/indicators/pull_2024: "
            "ssb_13556_neet.json, fhi_360_vgs.json."
        )
        assert national_file_text(results, t) == (
            "National file for the model and the spread between municipalities: data/raw/national.csv."
        )

    def test_no_national_file_no_text(self, tidy, catalogue, t):
        assert national_file_text(_results(tidy, catalogue), t) is None


class TestDevianceViews:
    def test_nothing_without_a_model(self, results, t):
        assert deviance_section(results, t) is None
        assert deviance_view(results, t).table.empty


class TestRowsOf:
    def test_rows_and_empty_frame_without_columns(self):
        frame = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
        assert list(rows_of(frame, ["b", "a"])) == [("x", 1), ("y", 2)]
        assert list(rows_of(pd.DataFrame(), ["a"])) == []
        assert math.isnan(next(iter(rows_of(pd.DataFrame({"a": [np.nan]}), ["a"])))[0])
