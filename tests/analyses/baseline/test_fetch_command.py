"""`outcomes fetch` with recorded responses: never the live network."""

from __future__ import annotations

import io
import json
import shutil
import urllib.request
from pathlib import Path

import pytest

from outcomes.analyses.baseline.kpi import price_indices_path
from outcomes.analyses.costbenefit.prices import load_price_indices
from outcomes.cli import main
from tests.analyses.baseline.test_baseline_fetch_ssb import FakeSsb
from tests.conftest import ROOT

RECORDED = ROOT / "tests" / "data" / "recorded"


class FakeResponse(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class TestFetchCommand:
    def test_ssb_table_saved_from_recorded_response(
        self, project: Path, monkeypatch: pytest.MonkeyPatch, capsys
    ) -> None:
        ssb = FakeSsb()
        monkeypatch.setattr(urllib.request, "urlopen", ssb)
        code = main(
            [
                "fetch",
                "ssb",
                "13556",
                "--select",
                "Region=3401,3414",
                "--select",
                "ContentsCode=Bosatte,BosatteProsent",
                "--select",
                "Tid=top(2)",
                "--out",
                "data/raw/fetched/ssb_13556_neet.json",
            ]
        )
        assert code == 0
        saved = project / "data" / "raw" / "fetched" / "ssb_13556_neet.json"
        assert saved.read_bytes() == (RECORDED / "ssb_v2_13556_data.json").read_bytes()
        assert ssb.urls() == ["GET /pxwebapi/v2/tables/13556/metadata", "GET /pxwebapi/v2/tables/13556/data"]
        assert "valueCodes[Region]=3401,3414" in ssb.seen[1][1]
        assert "saved data/raw/fetched/ssb_13556_neet.json" in capsys.readouterr().out

    def test_unknown_code_is_one_message_and_nothing_saved(self, project: Path, monkeypatch, capsys) -> None:
        ssb = FakeSsb()
        monkeypatch.setattr(urllib.request, "urlopen", ssb)
        args = ["fetch", "ssb", "13556", "--select", "Region=3401,9999", "--select", "ContentsCode=Bosatte"]
        code = main([*args, "--select", "Tid=2024", "--out", "data/raw/x.json"])
        err = capsys.readouterr().err
        assert code == 2 and "SSB table 13556 has no Region code 9999" in err and "Traceback" not in err
        assert len(ssb.seen) == 1 and not (project / "data" / "raw" / "x.json").exists()

    def test_kpi_written_where_prices_reads_it(self, project: Path, monkeypatch, capsys, tmp_path) -> None:
        monkeypatch.setattr(urllib.request, "urlopen", FakeSsb())
        prices = tmp_path / "price_indices.csv"
        shutil.copy(price_indices_path(), prices)
        args = ["fetch", "ssb", "03014", "--update-prices", "--prices-file", str(prices)]
        assert main([*args, "--out", "data/raw/prices/ssb_03014_kpi.json"]) == 0
        out = capsys.readouterr().out
        assert "saved data/raw/prices/ssb_03014_kpi.json" in out and "KPI for 20 years from SSB 03014" in out
        indices = load_price_indices(prices)
        assert indices.loc[2014, "kpi"] == 97.9 and indices.loc[2014, "kpi_status"] == "checked"

    def test_update_prices_only_from_03014(self, project: Path, capsys) -> None:
        assert main(["fetch", "ssb", "13556", "--update-prices", "--out", "x.json"]) == 2
        assert "03014" in capsys.readouterr().err

    def test_fhi_flag_list_saved_beside_the_data(self, project: Path, monkeypatch, capsys) -> None:
        def fhi(req, timeout=None):
            name = "fhi_nokkel_360_flags.json" if req.full_url.endswith("/flag") else "fhi_nokkel_360_data.json"
            return FakeResponse((RECORDED / name).read_bytes())

        monkeypatch.setattr(urllib.request, "urlopen", fhi)
        args = ["fetch", "fhi", "360", "--source", "nokkel", "--select", "GEO=3401", "--out", "data/raw/f/fhi_360.json"]
        assert main(args) == 0
        flags = project / "data" / "raw" / "f" / "fhi_360.flags.json"
        assert json.loads(flags.read_text())[1]["title"] == ":"
        assert "saved data/raw/f/fhi_360.flags.json" in capsys.readouterr().out

    def test_network_failure_is_one_message(self, project: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
        def no_network(req, timeout=None):
            raise OSError("Network is unreachable")

        monkeypatch.setattr(urllib.request, "urlopen", no_network)
        code = main(["fetch", "ssb", "13556", "--out", "data/raw/x.json"])
        err = capsys.readouterr().err
        assert code == 2 and "Download failed" in err and "Traceback" not in err
        assert not (project / "data" / "raw" / "x.json").exists()

    def test_bad_selection(self, project: Path, capsys) -> None:
        assert main(["fetch", "ssb", "13556", "--select", "Region", "--out", "x.json"]) == 2
        assert "VARIABLE=code1,code2" in capsys.readouterr().err
