"""The bundled demo indicator files are exactly what the generator writes."""

from __future__ import annotations

from outcomes.analyses.baseline.readers import read_indicator_files
from outcomes.demo.indicators import write_demo_indicator_files
from outcomes.registries.indicator_catalogue import load_catalogue
from tests.conftest import ROOT

DEMO = ROOT / "data" / "raw" / "demo" / "indicators"


class TestWriteDemoIndicatorFiles:
    def test_committed_files_are_reproducible(self, tmp_path):
        written = write_demo_indicator_files(tmp_path)
        assert len(written) == 15
        for path in written:
            committed = DEMO / path.relative_to(tmp_path)
            assert committed.read_bytes() == path.read_bytes(), committed

    def test_every_file_reads_and_has_a_suppressed_value(self):
        c = load_catalogue(ROOT / "config" / "indicators.yml")
        t = read_indicator_files(sorted((DEMO / "pull_2024").glob("*.*")), c)
        assert set(t["indicator"]) == set(c.ids()) - {"higher_education_share"}
        assert (t["status"] == "..").any() and t.loc[t["status"] != "", "value"].isna().all()
