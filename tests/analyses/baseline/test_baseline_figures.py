"""Baseline figures (outcomes.analyses.baseline.figures): labels passed in, gaps never zero."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from outcomes.analyses.baseline.challenges import largest_challenges
from outcomes.analyses.baseline.deviance import positive_deviance
from outcomes.analyses.baseline.figures import largest_challenges_bar, positive_deviance_scatter, trend_small_multiples
from outcomes.analyses.baseline.readers import read_indicator_files
from outcomes.analyses.baseline.region import baseline_table
from tests.conftest import ROOT

DEMO = ROOT / "data" / "raw" / "demo" / "indicators"
REGION = ["3401", "3414", "3415", "3416", "3417", "3418"]


@pytest.fixture(scope="module")
def table(catalogue):
    tidy = read_indicator_files(sorted((DEMO / "pull_2024").glob("*.*")), catalogue)
    return baseline_table(
        tidy, catalogue, region_municipalities=REGION, county_code="34", region_name="Kongsvingerregionen"
    )


class TestTrendSmallMultiples:
    def test_labels_gaps_and_baseline_line(self, table):
        fig = trend_small_multiples(
            table,
            indicators=["neet_15_29", "vgs_completion"],
            titles={"neet_15_29": "NEET-andel", "vgs_completion": "Gjennomføring"},
            level_labels={"region": "Kongsvingerregionen", "county": "Innlandet", "country": "Hele landet"},
            baseline_year=2023,
            baseline_label="Nullpunkt",
            municipalities=["3417"],
        )
        assert isinstance(fig, go.Figure)
        assert [a.text for a in fig.layout.annotations][:2] == ["NEET-andel", "Gjennomføring"]
        assert "Nullpunkt" in [a.text for a in fig.layout.annotations]
        assert sum(1 for s in fig.layout.shapes if s.x0 == 2023) == 2
        # simple_white draws shapes with width 0 unless a width is given: the null point must show
        assert all(s.line.width and s.line.width > 0 for s in fig.layout.shapes)
        grue = next(t for t in fig.data if t.name == "Grue" and t.legendgroup == "3417")
        # Grue 2022 is '..': a gap (None), not 0
        assert list(grue.x).index(2022) >= 0 and grue.y[list(grue.x).index(2022)] is None
        assert grue.connectgaps is False


class TestLargestChallengesBar:
    def test_one_trace_per_indicator(self, table, catalogue):
        ch = largest_challenges(table, catalogue)
        fig = largest_challenges_bar(ch, titles={i: f"T:{i}" for i in catalogue.ids()}, x_title="Avstand")
        assert {t.name for t in fig.data} == {f"T:{i}" for i in ch["indicator"].unique()}
        assert fig.layout.xaxis.title.text == "Avstand"


class TestPositiveDevianceScatter:
    def test_deviants_and_highlight(self, catalogue):
        nat = read_indicator_files([DEMO / "national" / "national_2024_synthetic.csv"], catalogue)
        res = positive_deviance(
            nat, catalogue, outcome="neet_15_29", predictors=["low_income_children", "higher_education_share"]
        )
        fig = positive_deviance_scatter(
            res.table,
            x_title="Forventet",
            y_title="Observert",
            deviant_label="Bedre enn forventet",
            other_label="Andre",
            line_label="Som forventet",
            highlight={"3401": "Kongsvinger"},
            highlight_label="Regionen",
        )
        names = [t.name for t in fig.data]
        assert names == ["Som forventet", "Andre", "Bedre enn forventet", "Regionen"]
        assert len(fig.data[2].x) == len(res.deviants())


class TestChartFixes:
    """Issue 17, item 5: the region's municipalities told apart, deviance labels that do not overlap."""

    def test_each_municipality_its_own_colour_and_name(self, table):
        fig = trend_small_multiples(
            table,
            indicators=["neet_15_29"],
            titles={"neet_15_29": "NEET-andel"},
            level_labels={"region": "Kongsvingerregionen", "county": "Innlandet", "country": "Hele landet"},
            baseline_year=2023,
            baseline_label="Nullpunkt",
            municipalities=REGION,
        )
        towns = [t for t in fig.data if t.legendgroup in REGION]
        assert len(towns) == 6 and len({t.line.color for t in towns}) == 6
        assert all(t.showlegend for t in towns) and "Grue" in {t.name for t in towns}
        region = next(t for t in fig.data if t.legendgroup == "region")
        assert region.line.color not in {t.line.color for t in towns} and region.line.width > towns[0].line.width

    def test_only_the_region_labelled_on_the_chart(self, catalogue):
        nat = read_indicator_files([DEMO / "national" / "national_2024_synthetic.csv"], catalogue)
        res = positive_deviance(
            nat, catalogue, outcome="neet_15_29", predictors=["low_income_children", "higher_education_share"]
        )
        names = {"3401": "Kongsvinger", "3414": "Nord-Odal", "3415": "Sør-Odal", "3416": "Eidskog"}
        fig = positive_deviance_scatter(
            res.table,
            x_title="Forventet",
            y_title="Observert",
            deviant_label="Bedre enn forventet",
            other_label="Andre",
            line_label="Som forventet",
            highlight=names,
            highlight_label="Regionen",
        )
        deviants, region = fig.data[2], fig.data[3]
        assert deviants.mode == "markers"  # named on hover: many close points would print over each other
        assert region.mode == "markers+text"
        # Two labelled points close together never share a side
        points = list(zip(region.x, region.y, region.textposition, strict=True))
        span = max(max(region.x), max(region.y)) - min(min(region.x), min(region.y))
        for i, (x1, y1, p1) in enumerate(points):
            for x2, y2, p2 in points[i + 1 :]:
                if abs(x1 - x2) < span / 20 and abs(y1 - y2) < span / 20:
                    assert p1 != p2
