"""SSB PxWebApi 2 complete: POST with a selection, metadata and codelists checked first, outputValues, v0 fallback.

Never the network: urllib.request.urlopen answers from tests/data/recorded/
(responses built in the documented shapes, see its README and
build_ssb_fixtures.py) and records every request made.
"""

from __future__ import annotations

import io
import json
import urllib.error
import urllib.request

import pytest

from outcomes.analyses.baseline import fetch, fetch_ssb
from outcomes.analyses.baseline.fetch_check import is_expression, v1_selections
from outcomes.analyses.baseline.fetch_ssb import fetch_ssb_table
from outcomes.analyses.baseline.municipalities import load_municipalities
from outcomes.analyses.baseline.readers import load_indicator_data, read_jsonstat
from outcomes.core.errors import InputError
from tests.conftest import TEST_DATA

RECORDED = TEST_DATA / "recorded"
MUNICIPALITIES = load_municipalities()["code"].tolist()
BASE = "https://data.ssb.no/api"


class _Response(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _http_error(url: str, code: int, problem: dict | None = None) -> urllib.error.HTTPError:
    body = io.BytesIO(json.dumps(problem).encode() if problem else b"")
    return urllib.error.HTTPError(url, code, "Error", {}, body)  # type: ignore[arg-type]


class FakeSsb:
    """Answers SSB's URLs from recorded files; ``down`` makes PxWebApi 2 answer 503; ``seen`` lists requests."""

    ROUTES = [
        ("POST", "/pxwebapi/v2/tables/13556/data", "ssb_v2_13556_post_data.json"),
        ("GET", "/pxwebapi/v2/tables/13556/data", "ssb_v2_13556_data.json"),
        ("GET", "/pxwebapi/v2/tables/13556/metadata", "ssb_v2_13556_metadata.json"),
        ("GET", "/pxwebapi/v2/codeLists/agg_KommSummer", "ssb_v2_codelist_agg_KommSummer.json"),
        ("GET", "/pxwebapi/v2/tables/03014/metadata", "ssb_v2_03014_metadata.json"),
        ("GET", "/pxwebapi/v2/tables/03014/data", "ssb_v2_03014_data.json"),
        ("GET", "/v0/no/table/13556", "ssb_v0_13556_metadata.json"),
        ("POST", "/v0/no/table/13556", "ssb_v2_13556_data.json"),
    ]

    def __init__(self) -> None:
        self.seen: list[tuple[str, str, dict | None]] = []
        self.down = False
        self.errors: dict[str, tuple[int, dict]] = {}

    def __call__(self, req, timeout=None):
        url, method = req.full_url, req.get_method()
        self.seen.append((method, url, json.loads(req.data) if req.data else None))
        path = url.removeprefix(BASE).split("?")[0]
        if self.down and "/pxwebapi/v2/" in url:
            raise _http_error(url, 503, {"title": "Service Unavailable", "status": 503})
        for fragment, (code, problem) in self.errors.items():
            if fragment in url:
                raise _http_error(url, code, problem)
        for route_method, route, name in self.ROUTES:
            if method == route_method and path == route:
                return _Response((RECORDED / name).read_bytes())
        raise _http_error(url, 404, {"title": "Not found", "status": 404})

    def urls(self) -> list[str]:
        return [f"{m} {u.removeprefix(BASE).split('?')[0]}" for m, u, _ in self.seen]


@pytest.fixture
def ssb(monkeypatch) -> FakeSsb:
    fake = FakeSsb()
    monkeypatch.setattr(urllib.request, "urlopen", fake)
    return fake


NEET_2024 = {
    "Kjonn": ["0"],
    "Alder": ["15-29"],
    "HovArbStyrkStatus": ["NEET", "TOT3"],
    "ContentsCode": ["Bosatte", "BosatteProsent"],
    "Tid": ["2024"],
}


class TestV2Requests:
    def test_short_selection_is_a_get_with_codelist_and_output_values(self):
        r = fetch.ssb_v2_request(
            "13556",
            {"Region": ["K-3401", "K-3301"], "Tid": ["top(5)"]},
            codelists={"Region": "agg_KommSummer"},
            output_values={"Region": "aggregated"},
        )
        assert (r.method, r.body) == ("GET", None)
        assert r.url.endswith(
            "valueCodes[Region]=K-3401,K-3301&valueCodes[Tid]=top(5)"
            "&codelist[Region]=agg_KommSummer&outputValues[Region]=aggregated"
        )

    def test_all_357_municipalities_go_as_a_post_with_a_selection(self):
        r = fetch.ssb_v2_request("13556", {"Region": MUNICIPALITIES, **NEET_2024}, codelists={"Region": "vs_Kommun"})
        assert r.method == "POST"
        assert r.url == "https://data.ssb.no/api/pxwebapi/v2/tables/13556/data?lang=no&outputFormat=json-stat2"
        assert r.body["selection"][0] == {
            "variableCode": "Region",
            "codelist": "vs_Kommun",
            "valueCodes": MUNICIPALITIES,
        }
        assert r.body["selection"][-1] == {"variableCode": "Tid", "valueCodes": ["2024"]}
        assert len(MUNICIPALITIES) == 357

    def test_a_code_is_sent_once(self):
        r = fetch.ssb_v2_request("13556", {"Region": ["3401", "3401", "3414"]}, post=True)
        assert r.body["selection"][0]["valueCodes"] == ["3401", "3414"]  # SSB answers 500 to a repeated code

    def test_unknown_output_values_refused(self):
        with pytest.raises(InputError, match="aggregated or single"):
            fetch.ssb_v2_request("13556", {"Region": ["K-3401"]}, output_values={"Region": "summed"})

    def test_metadata_and_codelist_addresses(self):
        assert fetch.ssb_v2_metadata_request("13556").url.endswith(
            "/v2/tables/13556/metadata?lang=no&outputFormat=json-stat2"
        )
        assert fetch.ssb_v2_codelist_request("agg_KommSummer").url.endswith("/v2/codeLists/agg_KommSummer?lang=no")


class TestFetchChecked:
    def test_all_municipalities_checked_then_posted_and_read(self, ssb, tmp_path, catalogue):
        fetched = fetch_ssb_table("13556", {"Region": MUNICIPALITIES, **NEET_2024}, tmp_path / "ssb_13556_neet.json")
        assert ssb.urls() == ["GET /pxwebapi/v2/tables/13556/metadata", "POST /pxwebapi/v2/tables/13556/data"]
        assert (fetched.api, fetched.request.method) == ("v2", "POST")
        assert ssb.seen[1][2]["selection"][0]["valueCodes"] == MUNICIPALITIES
        data = load_indicator_data([fetched.path], catalogue)
        neet = data.tidy[data.tidy["indicator"] == "neet_15_29"]
        assert len(neet) == 357 and set(neet["region_code"]) == set(MUNICIPALITIES)
        assert neet.set_index("region_code").loc["1151", "status"] == ":"  # Utsira, suppressed
        notes = data.notes[data.notes["indicator"] == "neet_15_29"]
        assert notes[["period", "note", "mandatory"]].values.tolist() == [
            ["", "Tallene for siste år er foreløpige.", True],
            ["2024", "Foreløpige tall.", False],
        ]

    def test_codelist_looked_up_and_codes_checked_in_it(self, ssb, tmp_path):
        fetched = fetch_ssb_table(
            "13556",
            {"Region": ["K-3401", "K-3301"], **NEET_2024},
            tmp_path / "ssb_13556.json",
            codelists={"Region": "agg_KommSummer"},
            output_values={"Region": "aggregated"},
        )
        assert ssb.urls() == [
            "GET /pxwebapi/v2/tables/13556/metadata",
            "GET /pxwebapi/v2/codeLists/agg_KommSummer",
            "GET /pxwebapi/v2/tables/13556/data",
        ]
        assert "codelist[Region]=agg_KommSummer&outputValues[Region]=aggregated" in fetched.request.url

    def test_unknown_code_stops_before_any_download(self, ssb, tmp_path, monkeypatch):
        downloads = []
        monkeypatch.setattr(fetch_ssb, "download", lambda *a, **k: downloads.append(a))
        with pytest.raises(InputError) as caught:
            fetch_ssb_table("13556", {"Region": ["3401", "9999"], **NEET_2024}, tmp_path / "x.json")
        message = str(caught.value)
        assert "SSB table 13556 has no Region code 9999" in message and "Nothing was downloaded" in message
        assert downloads == [] and ssb.urls() == ["GET /pxwebapi/v2/tables/13556/metadata"]
        assert not (tmp_path / "x.json").exists()

    def test_unknown_code_in_a_codelist(self, ssb, tmp_path, monkeypatch):
        monkeypatch.setattr(fetch_ssb, "download", lambda *a, **k: pytest.fail("downloaded"))
        with pytest.raises(InputError, match="no Region code K-0602 in codelist agg_KommSummer"):
            fetch_ssb_table(
                "13556",
                {"Region": ["K-3301", "K-0602"], **NEET_2024},
                tmp_path / "x.json",
                codelists={"Region": "agg_KommSummer"},
            )
        assert ssb.urls()[-1] == "GET /pxwebapi/v2/codeLists/agg_KommSummer"

    def test_unknown_codelist_names_those_offered(self, ssb, tmp_path):
        with pytest.raises(InputError) as caught:
            fetch_ssb_table(
                "13556",
                {"Region": ["K-3401"], **NEET_2024},
                tmp_path / "x.json",
                codelists={"Region": "agg_kommsummer"},
            )
        assert "no codelist 'agg_kommsummer' for Region" in str(caught.value)
        assert "agg_KommSummer" in str(caught.value) and len(ssb.seen) == 1

    def test_variables_that_cannot_be_left_out(self, ssb, tmp_path):
        with pytest.raises(InputError, match="needs codes for ContentsCode, Tid"):
            fetch_ssb_table("13556", {"Region": ["3401"]}, tmp_path / "x.json")

    def test_unknown_variable_and_output_values_without_codelist(self, ssb, tmp_path):
        with pytest.raises(InputError, match="has no variable 'Kommune'"):
            fetch_ssb_table("13556", {"Kommune": ["3401"], **NEET_2024}, tmp_path / "x.json")
        with pytest.raises(InputError, match="outputValues for Region needs a codelist"):
            fetch_ssb_table(
                "13556", {"Region": ["3401"], **NEET_2024}, tmp_path / "x.json", output_values={"Region": "single"}
            )

    def test_expressions_are_not_codes(self):
        assert all(map(is_expression, ["*", "34*", "??", "top(5)", "from(2020)", "[range(2020,2022)]", "TOP(1)"]))
        assert not any(map(is_expression, ["3401", "K-3401", "2024", "15-29"]))

    def test_server_refusal_is_said_in_its_words(self, ssb, tmp_path):
        ssb.errors["/tables/13556/data"] = (
            400,
            {"type": "Parameter error", "title": "Non-existent value", "status": 400},
        )
        with pytest.raises(fetch.DownloadError, match="HTTP 400: Non-existent value"):
            fetch_ssb_table("13556", {"Region": ["3401"], **NEET_2024}, tmp_path / "x.json")
        assert [u for u in ssb.urls() if "v0" in u] == []  # a refused request is not retried on v0


class TestV0Fallback:
    def test_v2_down_falls_back_to_v0_checked_against_its_metadata(self, ssb, tmp_path, catalogue):
        ssb.down = True
        fetched = fetch_ssb_table(
            "13556", {"Region": ["3401", "3414"], **NEET_2024, "Tid": ["top(2)"]}, tmp_path / "ssb_13556.json"
        )
        assert fetched.api == "v0" and "503" in (fetched.fallback_reason or "")
        assert ssb.urls()[-2:] == ["GET /v0/no/table/13556", "POST /v0/no/table/13556"]
        query = {q["code"]: q["selection"] for q in ssb.seen[-1][2]["query"]}
        assert query["Region"] == {"filter": "item", "values": ["3401", "3414"]}
        assert query["Tid"] == {"filter": "top", "values": ["2"]}
        assert not load_indicator_data([fetched.path], catalogue).tidy.empty

    def test_v0_checks_codes_too(self, ssb, tmp_path):
        ssb.down = True
        with pytest.raises(InputError, match="no Region code 9999"):
            fetch_ssb_table("13556", {"Region": ["9999"], **NEET_2024}, tmp_path / "x.json")

    def test_v2_only_does_not_fall_back(self, ssb, tmp_path):
        ssb.down = True
        with pytest.raises(fetch.DownloadError, match="HTTP 503"):
            fetch_ssb_table("13556", {"Region": ["3401"], **NEET_2024}, tmp_path / "x.json", api="v2")

    def test_translation_to_v0_filters(self):
        assert v1_selections(
            {"Region": ["K-3401"], "Tid": ["top(3)"], "Alder": ["*"], "Kjonn": ["0"]}, {"Region": "agg_KommSummer"}
        ) == {
            "Region": ("agg:KommSummer", ["K-3401"]),
            "Tid": ("top", ["3"]),
            "Alder": ("all", ["*"]),
            "Kjonn": ("item", ["0"]),
        }
        with pytest.raises(InputError, match="cannot be asked of PxWebApi v0"):
            v1_selections({"Tid": ["from(2020)"]})


class TestNationalSeries:
    def test_03014_has_no_region_dimension_and_reads_as_the_country(self):
        cells = read_jsonstat(RECORDED / "ssb_v2_03014_data.json")
        assert (cells.geo, set(cells.frame[cells.geo]), cells.table) == ("Region", {"0"}, "03014")
        assert len(cells.frame) == 20 and cells.notes[0].text.startswith("Konsumprisindeksen har 2015")
