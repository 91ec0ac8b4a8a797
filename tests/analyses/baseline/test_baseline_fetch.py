"""Optional downloads (outcomes.analyses.baseline.fetch): request building, and saving recorded responses. Never the network."""

from __future__ import annotations

import io
import json
import urllib.error
import urllib.request

import pytest

from outcomes.analyses.baseline import fetch
from outcomes.analyses.baseline.readers import read_indicator_file
from outcomes.core.errors import InputError
from outcomes.registries.indicator_catalogue import load_catalogue
from tests.conftest import ROOT, TEST_DATA

RECORDED = TEST_DATA / "recorded"


class _Response(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


@pytest.fixture
def recorded(monkeypatch):
    calls = []

    def fake_urlopen(req, timeout=None):
        calls.append(req)
        if "statistikk-data.fhi.no" in req.full_url:
            return _Response((RECORDED / "fhi_nokkel_360_data.json").read_bytes())
        if "data.ssb.no" in req.full_url:
            return _Response((RECORDED / "ssb_v2_13556_data.json").read_bytes())
        raise urllib.error.URLError("no network in tests")

    monkeypatch.setattr(urllib.request, "urlopen", fake_urlopen)
    return calls


class TestSsbV2Request:
    def test_url(self):
        r = fetch.ssb_v2_request(
            "13556", {"Region": ["3401", "3414"], "Tid": ["top(5)"]}, codelists={"Region": "agg_KommGjeldende"}
        )
        assert r.method == "GET"
        assert r.url == (
            "https://data.ssb.no/api/pxwebapi/v2/tables/13556/data?lang=no&outputFormat=json-stat2"
            "&valueCodes[Region]=3401,3414&valueCodes[Tid]=top(5)&codelist[Region]=agg_KommGjeldende"
        )


class TestSsbV1Request:
    def test_body(self):
        r = fetch.ssb_v1_request("13563", {"Region": ("agg:KommSummer", ["K-3401"]), "Tid": ("top", ["3"])})
        assert (r.method, r.url) == ("POST", "https://data.ssb.no/api/v0/no/table/13563")
        assert r.body == {
            "query": [
                {"code": "Region", "selection": {"filter": "agg:KommSummer", "values": ["K-3401"]}},
                {"code": "Tid", "selection": {"filter": "top", "values": ["3"]}},
            ],
            "response": {"format": "json-stat2"},
        }


class TestFhiRequest:
    def test_body(self):
        r = fetch.fhi_request("nokkel", "360", {"GEO": ["0", "34", "3401"], "MEASURE_TYPE": ["RATE"]})
        assert r.url == "https://statistikk-data.fhi.no/api/open/v1/nokkel/Table/360/data"
        assert r.body["dimensions"][0] == {"code": "GEO", "filter": "item", "values": ["0", "34", "3401"]}
        assert r.body["response"]["format"] == "json-stat2"


class TestDownload:
    def test_saves_recorded_fhi_response_readable_by_reader(self, recorded, tmp_path):
        req = fetch.fhi_request("nokkel", "360", {"GEO": ["0", "34", "3401"]})
        path = fetch.download(req, tmp_path / "fhi_360_vgs.json")
        assert recorded[0].get_method() == "POST" and json.loads(recorded[0].data)["dimensions"][0]["code"] == "GEO"
        t = read_indicator_file(path, load_catalogue(ROOT / "config" / "indicators.yml"))
        assert set(t["indicator"]) == {"vgs_completion"}

    def test_ssb_get(self, recorded, tmp_path):
        path = fetch.download(fetch.ssb_v2_request("13556", {"Tid": ["top(2)"]}), tmp_path / "ssb_13556.json")
        assert (
            recorded[0].get_method() == "GET"
            and path.read_bytes() == (RECORDED / "ssb_v2_13556_data.json").read_bytes()
        )

    def test_unreachable_is_an_input_error_and_writes_nothing(self, recorded, tmp_path):
        req = fetch.Request(url="https://example.invalid/x")
        with pytest.raises(InputError, match="Download failed"):
            fetch.download(req, tmp_path / "x.json")
        assert not (tmp_path / "x.json").exists()
