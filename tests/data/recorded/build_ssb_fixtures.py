"""Build the SSB fixtures of this folder in the shapes PxWebApi 2 and v0 return (no network here).

Shapes from shared/research/data.md §2 and statisticsnorway/dapla-statbank-client
tests/resources (metadata_14216.json, code_lists_agg_valgdistrikt.json): metadata
as json-stat2 with every code, SSB's validity suffixes on old region labels,
``extension.codelists`` and ``extension.elimination``; a codelist as ``values`` of
``code``/``label``/``valueMap``; v0 metadata as ``variables``. Codes and names come
from the project's municipality tables; the figures are illustrative, not SSB's.

Run from the project root: ``python tests/data/recorded/build_ssb_fixtures.py``.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

HERE = Path(__file__).parent
DATA = HERE.parents[2] / "src" / "outcomes" / "data"
V2 = "https://data.ssb.no/api/pxwebapi/v2"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def municipalities() -> dict[str, str]:
    return {r["code"]: r["name"] for r in _rows("municipalities_2024.csv")}


def region_labels() -> dict[str, str]:
    """Current codes with their names, older codes with SSB's validity suffix, counties and the country."""
    labels = dict(municipalities())
    changes = _rows("municipality_changes.csv")
    first_year = {r["new_code"]: int(r["change_year"]) for r in changes if r["new_code"] not in labels}
    for r in changes:
        old, end = r["old_code"], int(r["change_year"]) - 1
        if old in labels:
            continue
        start = first_year.get(old)
        labels[old] = f"{r['old_name']} ({start if start else ''}-{end})"
    for county, name in (
        ("34", "Innlandet"),
        ("33", "Buskerud"),
        ("30", "Viken (2020-2023)"),
        ("04", "Hedmark (-2019)"),
    ):
        labels[county] = name
    labels["0"] = "Hele landet"
    return labels


def category(labels: dict[str, str]) -> dict:
    return {"index": {c: i for i, c in enumerate(labels)}, "label": labels}


def codelist_ref(cid: str, label: str, kind: str) -> dict:
    return {"id": cid, "label": label, "type": kind, "links": [{"rel": "metadata", "href": f"{V2}/codeLists/{cid}"}]}


def metadata_13556() -> dict:
    ext = {"px": {"tableid": "13556", "decimals": 1, "language": "no"}, "noteMandatory": {"0": True}}
    region_lists = [
        codelist_ref("agg_KommSummer", "Kommuner 2024, sammenslåtte tidsserier", "Aggregation"),
        codelist_ref("agg_KommGjeldende", "Gjeldende kommuner", "Aggregation"),
        codelist_ref("agg_KommFylker", "Fylker 2024, sammenslåtte tidsserier", "Aggregation"),
        codelist_ref("vs_Kommun", "Alle kommuner ", "Valueset"),
        codelist_ref("vs_Landet", "Hele landet", "Valueset"),
    ]
    dims = {
        "Region": {
            "label": "region",
            "category": category(region_labels()),
            "extension": {"elimination": True, "codelists": region_lists},
        },
        "Kjonn": {
            "label": "kjønn",
            "category": category({"0": "Begge kjønn", "1": "Menn", "2": "Kvinner"}),
            "extension": {"elimination": True, "codelists": []},
        },
        "Alder": {
            "label": "alder",
            "category": category({"15-29": "15-29 år", "30-61": "30-61 år"}),
            "extension": {"elimination": True, "codelists": []},
        },
        "HovArbStyrkStatus": {
            "label": "prioritert arbeidsstyrkestatus",
            "category": category({"NEET": "NEET", "TOT3": "I alt"}),
            "extension": {
                "elimination": True,
                "codelists": [codelist_ref("vs_ArbStatus2018niva4", "Arbeidsstyrkestatus", "Valueset")],
            },
        },
        "ContentsCode": {
            "label": "statistikkvariabel",
            "category": category({"Bosatte": "Bosatte", "BosatteProsent": "Andel av bosatte (prosent)"}),
            "extension": {"elimination": False, "codelists": []},
        },
        "Tid": {
            "label": "år",
            "category": category({str(y): str(y) for y in range(2015, 2025)}),
            "extension": {"elimination": False, "codelists": []},
        },
    }
    return {
        "version": "2.0",
        "class": "dataset",
        "label": "13556: Personer 15-29 år, etter region, prioritert arbeidsstyrkestatus, statistikkvariabel og år",
        "source": "Statistisk sentralbyrå",
        "updated": "2025-06-10T06:00:00Z",
        "note": ["Tallene for siste år er foreløpige."],
        "role": {"time": ["Tid"], "geo": ["Region"], "metric": ["ContentsCode"]},
        "id": list(dims),
        "size": [len(d["category"]["index"]) for d in dims.values()],
        "dimension": dims,
        "extension": ext,
        "value": [],
    }


def codelist_agg_kommsummer() -> dict:
    """``K-<2024 code>`` with every earlier code that went into it (from the project's change table)."""
    maps: dict[str, set[str]] = {code: {code} for code in municipalities()}
    changes = _rows("municipality_changes.csv")
    for _ in range(4):  # follow chains such as 0602 -> 3005 -> 3301
        for r in changes:
            for current in maps.values():
                if r["new_code"] in current:
                    current.add(r["old_code"])
    values = [
        {"code": f"K-{code}", "label": name, "valueMap": sorted(maps[code])} for code, name in municipalities().items()
    ]
    return {
        "id": "agg_KommSummer",
        "label": "Kommuner 2024, sammenslåtte tidsserier",
        "language": "no",
        "languages": ["en", "no"],
        "elimination": False,
        "type": "Aggregation",
        "values": values,
        "links": [{"rel": "self", "hreflang": "no", "href": f"{V2}/codeLists/agg_KommSummer?lang=no"}],
    }


def post_data_13556() -> dict:
    """The answer to a POST for all 357 municipalities, 2024: NEET and all residents, count and share."""
    codes = municipalities()
    values: list[float | None] = []
    status = {}
    for code in codes:
        total = 300 + int(code) % 4000
        neet = round(total * (0.05 + (int(code) % 9) / 100))
        for st in ("NEET", "TOT3"):
            count = neet if st == "NEET" else total
            if code == "1151" and st == "NEET":  # Utsira: too few to show
                status[str(len(values))] = ":"
                status[str(len(values) + 1)] = ":"
                values += [None, None]
                continue
            values += [count, round(count / total * 100, 1)]
    dims = {
        "Region": {"label": "region", "category": category(codes)},
        "Kjonn": {"label": "kjønn", "category": category({"0": "Begge kjønn"})},
        "Alder": {"label": "alder", "category": category({"15-29": "15-29 år"})},
        "HovArbStyrkStatus": {
            "label": "prioritert arbeidsstyrkestatus",
            "category": category({"NEET": "NEET", "TOT3": "I alt"}),
        },
        "ContentsCode": {
            "label": "statistikkvariabel",
            "category": category({"Bosatte": "Bosatte", "BosatteProsent": "Andel av bosatte (prosent)"}),
        },
        "Tid": {"label": "år", "category": {**category({"2024": "2024"}), "note": {"2024": ["Foreløpige tall."]}}},
    }
    return {
        "version": "2.0",
        "class": "dataset",
        "label": "13556: Personer 15-29 år, etter region, prioritert arbeidsstyrkestatus, statistikkvariabel og år",
        "source": "Statistisk sentralbyrå",
        "updated": "2025-06-10T06:00:00Z",
        "note": ["Tallene for siste år er foreløpige."],
        "id": list(dims),
        "size": [len(d["category"]["index"]) for d in dims.values()],
        "dimension": dims,
        "value": values,
        "status": status,
        "role": {"time": ["Tid"], "geo": ["Region"], "metric": ["ContentsCode"]},
        "extension": {"px": {"tableid": "13556", "decimals": 1}, "noteMandatory": {"0": True}},
    }


#: KPI annual average, 2015 = 100, as in the project's price_indices.csv with 2014 = 97.9 (issue 15); 2025 is
#: not in this file. Illustrative of the shape, not a copy of SSB's file.
KPI = {
    2005: 82.3, 2006: 84.2, 2007: 84.8, 2008: 88.0, 2009: 89.9, 2010: 92.1, 2011: 93.3, 2012: 93.9, 2013: 95.9,
    2014: 97.9, 2015: 100.0, 2016: 103.6, 2017: 105.5, 2018: 108.4, 2019: 110.8, 2020: 112.2, 2021: 116.1,
    2022: 122.8, 2023: 129.6, 2024: 133.6,
}  # fmt: skip


def kpi_dims(years: list[int], groups: dict[str, str]) -> dict:
    return {
        "Konsumgrp": {"label": "konsumgruppe", "category": category(groups)},
        "ContentsCode": {
            "label": "statistikkvariabel",
            "category": {
                **category({"KpiAar": "Konsumprisindeks (2015=100)"}),
                "unit": {"KpiAar": {"base": "indeks", "decimals": 1}},
            },
        },
        "Tid": {"label": "år", "category": category({str(y): str(y) for y in years})},
    }


def data_03014() -> dict:
    dims = kpi_dims(list(KPI), {"TOTAL": "Totalindeks"})
    return {
        "version": "2.0",
        "class": "dataset",
        "label": "03014: Konsumprisindeks, etter konsumgruppe, statistikkvariabel og år",
        "source": "Statistisk sentralbyrå",
        "updated": "2025-01-10T07:00:00Z",
        "note": ["Konsumprisindeksen har 2015 som referanseår (2015=100)."],
        "id": list(dims),
        "size": [len(d["category"]["index"]) for d in dims.values()],
        "dimension": dims,
        "value": list(KPI.values()),
        "role": {"time": ["Tid"], "metric": ["ContentsCode"]},
        "extension": {"px": {"tableid": "03014", "decimals": 1}},
    }


def metadata_03014() -> dict:
    dims = kpi_dims(list(range(1979, 2025)), {"TOTAL": "Totalindeks", "01": "Matvarer og alkoholfrie drikkevarer"})
    for dim in dims.values():
        dim["extension"] = {"elimination": False, "codelists": []}
    dims["Konsumgrp"]["extension"]["codelists"] = [codelist_ref("vs_CoiCop2016niva1", "Konsumgrupper", "Valueset")]
    data = data_03014()
    data.update(id=list(dims), size=[len(d["category"]["index"]) for d in dims.values()], dimension=dims, value=[])
    return data


def v0_metadata_13556() -> dict:
    """PxWebApi v0: ``GET /api/v0/no/table/13556``."""
    meta = metadata_13556()
    variables = []
    for var in meta["id"]:
        labels = meta["dimension"][var]["category"]["label"]
        variables.append(
            {
                "code": var,
                "text": meta["dimension"][var]["label"],
                "values": list(labels),
                "valueTexts": list(labels.values()),
                "elimination": var not in ("ContentsCode", "Tid"),
                **({"time": True} if var == "Tid" else {}),
            }
        )
    return {"title": meta["label"], "variables": variables}


FIXTURES = {
    "ssb_v2_13556_metadata.json": metadata_13556,
    "ssb_v2_codelist_agg_KommSummer.json": codelist_agg_kommsummer,
    "ssb_v2_13556_post_data.json": post_data_13556,
    "ssb_v2_03014_data.json": data_03014,
    "ssb_v2_03014_metadata.json": metadata_03014,
    "ssb_v0_13556_metadata.json": v0_metadata_13556,
}


if __name__ == "__main__":
    for name, build in FIXTURES.items():
        (HERE / name).write_text(json.dumps(build(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {HERE / name}")
