"""Interval bands broken at missing years and hidden bars marked "–" (issue 17, item 5; outcomes.render.style)."""

from __future__ import annotations

import pandas as pd
import pytest

from outcomes.analyses.followup.figures import departments_compared, rates_over_time, response_rate_over_time
from outcomes.analyses.participants.survey import SCALE
from outcomes.render.style import BARGAP, MISSING_MARK, band_polygons, missing_marks


class TestBandPolygons:
    def test_one_polygon_per_run_of_years(self) -> None:
        # 2018 hidden and 2019 absent: the band stops after 2017 and starts again at 2020
        xs, ys = band_polygons([2016, 2017, 2018, 2020, 2021], [1, 2, None, 4, 5], [3, 4, 5, 6, 7])
        assert xs == [2016, 2017, 2017, 2016, None, 2020, 2021, 2021, 2020]
        assert ys == [3, 4, 2, 1, None, 6, 7, 5, 4]

    def test_absent_year_breaks_the_band(self) -> None:
        xs, _ = band_polygons([2016, 2018], [1, 1], [2, 2])
        assert xs == [2016, 2016, None, 2018, 2018]

    def test_nothing_published(self) -> None:
        assert band_polygons([2016], [float("nan")], [2.0]) == ([], [])


def _rates(shares: list[float | None], years: list[int], department: str = "all") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "followup_year": years,
            "department": department,
            "group": "education_or_work",
            "treatment": "respondents",
            "share": shares,
            "ci_low": [None if s is None else s - 0.05 for s in shares],
            "ci_high": [None if s is None else s + 0.05 for s in shares],
            "denominator": 40,
        }
    )


class TestFollowupCharts:
    def test_band_has_no_crossing_path(self) -> None:
        rates = _rates([0.6, None, 0.7, 0.72], [2016, 2017, 2018, 2019])
        fig = rates_over_time(rates, ["education_or_work"], {"education_or_work": "I arbeid"})
        band = fig.data[0]
        assert list(band.x) == [2016, 2016, None, 2018, 2019, 2019, 2018]

    def test_hidden_department_bar_marked(self) -> None:
        rates = pd.concat([_rates([0.6], [2020]), _rates([None], [2020], "Kongsberg"), _rates([0.7], [2020], "Lier")])
        fig = departments_compared(rates, ["education_or_work"], {"education_or_work": "I arbeid"})
        marks = [a for a in fig.layout.annotations if a.text == MISSING_MARK]
        # departments in order all, Kongsberg, Lier: the hidden one is the second category (index 1)
        assert len(marks) == 1 and marks[0].y == 1 and marks[0].x == 0
        assert fig.layout.bargap == BARGAP

    def test_hidden_response_rate_marked_at_its_year(self) -> None:
        rates = pd.DataFrame(
            {
                "followup_year": [2019, 2020],
                "department": "all",
                "response_rate": [0.8, None],
                "responded": [40, None],
                "contacted": [50, None],
            }
        )
        fig = response_rate_over_time(rates)
        marks = [a for a in fig.layout.annotations if a.text == MISSING_MARK]
        assert [(m.x, m.y) for m in marks] == [(2020, 0)]


class TestMissingMarks:
    def test_grouped_positions_by_hand(self) -> None:
        # Two traces share a slot of width 1 - 0.2 = 0.8: bars 0.4 wide, centres at -0.2 and +0.2
        marks = missing_marks([[1.0, None], [None, 2.0]], horizontal=True)
        assert [m["y"] for m in marks] == pytest.approx([1 - 0.2, 0 + 0.2])
        assert [m["x"] for m in marks] == [0, 0]


class TestDivergingBars:
    def test_hidden_item_marked(self) -> None:
        from outcomes.analyses.participants.figures import diverging_bars

        rows = pd.DataFrame(
            {
                "item": ["Velkommen", "Trygg"],
                "item_order": [0, 1],
                "n": [40, 38],
                "share": [0.9, None],
                **{a: [4 if a == "disagree" else 12, None] for a in SCALE},
                **{f"share_{a}": [0.1 if a == "disagree" else 0.3, None] for a in SCALE},
            }
        )
        titles = {"disagree": "Uenig", "somewhat_agree": "Litt enig", "agree": "Enig", "strongly_agree": "Helt enig"}
        fig = diverging_bars(rows, titles)
        marks = [a for a in fig.layout.annotations if a.text == MISSING_MARK]
        assert [(m.x, m.y) for m in marks] == [(0, 1)]  # the second item, at zero
