"""`outcomes fetch` with recorded responses: never the live network."""

from __future__ import annotations

import io
import urllib.request
from pathlib import Path

import pytest

from outcomes.cli import main
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
        seen = []

        def fake_urlopen(req, timeout=None):
            seen.append(req.full_url)
            return FakeResponse((RECORDED / "ssb_v2_13556_data.json").read_bytes())

        monkeypatch.setattr(urllib.request, "urlopen", fake_urlopen)
        code = main(
            [
                "fetch",
                "ssb",
                "13556",
                "--select",
                "Region=3401,3414",
                "--select",
                "Tid=top(2)",
                "--out",
                "data/raw/fetched/ssb_13556_neet.json",
            ]
        )
        assert code == 0
        saved = project / "data" / "raw" / "fetched" / "ssb_13556_neet.json"
        assert saved.read_bytes() == (RECORDED / "ssb_v2_13556_data.json").read_bytes()
        assert "tables/13556/data" in seen[0] and "valueCodes[Region]=3401,3414" in seen[0]
        assert "saved data/raw/fetched/ssb_13556_neet.json" in capsys.readouterr().out

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
