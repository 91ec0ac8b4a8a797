"""Deterministic generator of the illustrative baseline files in ``data/raw/demo/indicators``.

The bundled files show what analysts download (SSB PxWebApi v1 and v2 JSON-stat,
FHI JSON-stat, an SSB CSV export, a tidy CSV) for Kongsvingerregionen, so the
baseline notebook and tests run without a network. The municipality codes,
table numbers and dimension codes follow the published tables; every number
is illustrative (plausible magnitudes, not published figures). See the README
written next to the files. Rerunning :func:`write_demo_indicator_files` writes
byte-identical files; ``tests/analyses/baseline/test_baseline_demo_data.py`` checks that.

Two "pulls" are written: ``pull_2023`` (data through 2023, the baseline year)
and ``pull_2024`` (one year later), so "change since baseline" can be shown by
rerunning with the later pull.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from outcomes.analyses.baseline.municipalities import load_municipalities

REGION: dict[str, str] = {
    "3401": "Kongsvinger",
    "3414": "Nord-Odal",
    "3415": "Sør-Odal",
    "3416": "Eidskog",
    "3417": "Grue",
    "3418": "Åsnes",
}
COUNTY = ("34", "Innlandet")
COUNTRY = ("0", "Hele landet")
PULLS: dict[str, int] = {"pull_2023": 2023, "pull_2024": 2024}

# Persons per one-year age group (15-29) around 2023; ages 0-14 are ~5 % fewer.
_AGE_BASE = {"3401": 200, "3414": 50, "3415": 85, "3416": 62, "3417": 42, "3418": 66, "34": 4300, "0": 66000}
# NEET share 15-29 (percent) by year 2021..2024. Grue 2022 is suppressed ("..").
_NEET = {
    "3401": (14.8, 14.5, 14.1, 13.6),
    "3414": (15.9, 16.4, 15.2, 14.9),
    "3415": (12.6, 12.9, 12.3, 11.8),
    "3416": (17.8, 18.2, 17.5, 16.9),
    "3417": (16.5, None, 16.0, 15.7),
    "3418": (15.1, 15.4, 14.6, 14.2),
    "34": (11.9, 11.7, 11.5, 11.3),
    "0": (10.4, 10.2, 10.1, 10.0),
}
# AAP or disability benefit among 15-29 (percent), 2021..2024 (no national row in 13563).
_AAP = {"3401": 4.1, "3414": 5.2, "3415": 3.8, "3416": 5.6, "3417": 5.0, "3418": 4.7, "34": 3.6}
_VGS = {"3401": 74.0, "3414": 70.2, "3415": 77.1, "3416": 68.4, "3417": 71.0, "3418": 72.3, "34": 79.1, "0": 81.0}
_LOWINC = {"3401": 13.5, "3414": 12.1, "3415": 10.2, "3416": 11.8, "3417": 13.9, "3418": 12.6, "34": 9.4, "0": 11.0}
_SAFE = {"3401": 89.5, "3414": 91.0, "3415": 92.3, "3416": 90.1, "3417": 90.8, "3418": 91.6, "34": 91.9, "0": 91.2}
_QOL = {"3401": 71.2, "3414": 70.4, "3415": 74.0, "3416": 69.8, "3417": 72.5, "3418": 71.9, "34": 73.5, "0": 73.1}

_CODES = [*REGION, COUNTY[0], COUNTRY[0]]
_NAMES = {**REGION, COUNTY[0]: COUNTY[1], COUNTRY[0]: COUNTRY[1]}


def _pop(code: str, age: int, sex: str, year: int) -> int:
    base = _AGE_BASE[code] * (0.95 if age < 15 else 1.0)
    # Small deterministic ripples by age and year, and a slow rural decline.
    ripple = 1 + 0.02 * (((age * 7 + year) % 5) - 2)
    trend = 1 - (0.006 if code in REGION else -0.004) * (year - 2023)
    share = 0.51 if sex == "1" else 0.49
    return int(round(base * ripple * trend * share))


def _pop_15_29(code: str, year: int) -> int:
    return sum(_pop(code, a, s, year) for a in range(15, 30) for s in ("1", "2"))


def _dataset(
    *,
    label: str,
    source: str,
    updated: str,
    dims: Sequence[tuple[str, str, Sequence[str], dict[str, str]]],
    cell: Callable[[dict[str, str]], float | None | str],
    fhi: bool = False,
    v1_prefix: bool = False,
    table: str = "",
) -> dict:
    ids = [d[0] for d in dims]
    values: list[float | None] = []
    status: dict[str, str] = {}
    for i, combo in enumerate(itertools.product(*[d[2] for d in dims])):
        v = cell(dict(zip(ids, combo, strict=True)))
        if isinstance(v, str):  # a marker
            values.append(None)
            status[str(i)] = v
        else:
            values.append(v)
    dimension = {}
    for dim_id, dim_label, codes, labels in dims:
        shown = [
            f"K-{c}"
            if v1_prefix and dim_id == "Region" and len(c) == 4
            else f"F-{c}"
            if v1_prefix and dim_id == "Region"
            else c
            for c in codes
        ]
        category: dict[str, object] = {
            "index": list(shown) if fhi else {c: i for i, c in enumerate(shown)},
            "label": {s: labels.get(c, c) for s, c in zip(shown, codes, strict=True)},
        }
        dimension[dim_id] = {"label": dim_label, "category": category}
    ds: dict[str, object] = {
        "version": "2.0",
        "class": "dataset",
        "label": label,
        "source": source,
        "updated": updated,
        "id": ids,
        "size": [len(d[2]) for d in dims],
        "dimension": dimension,
        "value": values,
        "status": status if status else ("" if fhi else {}),
        "role": None
        if fhi
        else {"time": [ids[-1]], "geo": [ids[0]], "metric": ["ContentsCode"] if "ContentsCode" in ids else []},
    }
    if not fhi:
        ds["extension"] = {"px": {"tableid": table, "decimals": 1}}
    return ds


def _years(last: int, first: int = 2021) -> list[str]:
    return [str(y) for y in range(first, last + 1)]


def _population_file(last: int) -> dict:
    ages = [f"{a:03d}" for a in range(0, 30)]
    return _dataset(
        label="07459: Befolkning, etter region, kjønn, alder, statistikkvariabel og år",
        source="Statistisk sentralbyrå",
        updated=f"{last}-02-21T07:00:00Z",
        table="07459",
        dims=[
            ("Region", "region", _CODES, _NAMES),
            ("Kjonn", "kjønn", ["1", "2"], {"1": "Menn", "2": "Kvinner"}),
            ("Alder", "alder", ages, {a: f"{int(a)} år" for a in ages}),
            ("ContentsCode", "statistikkvariabel", ["Personer1"], {"Personer1": "Personer"}),
            ("Tid", "år", _years(last), {}),
        ],
        cell=lambda c: float(_pop(c["Region"], int(c["Alder"]), c["Kjonn"], int(c["Tid"]))),
    )


def _neet_counts(code: str, year: int) -> tuple[int, int | None]:
    total = _pop_15_29(code, year)
    rate = _NEET[code][year - 2021]
    return total, None if rate is None else int(round(total * rate / 100))


def _neet_file(last: int) -> dict:
    def cell(c: dict[str, str]) -> float | None | str:
        total, neet = _neet_counts(c["Region"], int(c["Tid"]))
        if c["HovArbStyrkStatus"] == "TOT3":
            return float(total) if c["ContentsCode"] == "Bosatte" else 100.0
        if neet is None:
            return ".."
        return float(neet) if c["ContentsCode"] == "Bosatte" else round(neet / total * 100, 1)

    return _dataset(
        label="13556: Personer 15-29 år, etter region, kjønn, alder, prioritert arbeidsstyrkestatus, statistikkvariabel og år",
        source="Statistisk sentralbyrå",
        updated=f"{last + 1}-06-10T06:00:00Z",
        table="13556",
        dims=[
            ("Region", "region", _CODES, _NAMES),
            ("Kjonn", "kjønn", ["0"], {"0": "Begge kjønn"}),
            ("Alder", "alder", ["15-29"], {"15-29": "15-29 år"}),
            (
                "HovArbStyrkStatus",
                "prioritert arbeidsstyrkestatus",
                ["NEET", "TOT3"],
                {"NEET": "NEET (utenfor arbeid, utdanning og arbeidsmarkedstiltak)", "TOT3": "I alt"},
            ),
            (
                "ContentsCode",
                "statistikkvariabel",
                ["Bosatte", "BosatteProsent"],
                {"Bosatte": "Bosatte", "BosatteProsent": "Andel av bosatte (prosent)"},
            ),
            ("Tid", "år", _years(last), {}),
        ],
        cell=cell,
    )


def _aap_file(last: int) -> dict:
    codes = [c for c in _CODES if c != "0"]  # 13563 has kommune and fylke only

    def cell(c: dict[str, str]) -> float:
        year = int(c["Tid"])
        total = _pop_15_29(c["Region"], year)
        if c["HovArbStyrkStatus"] == "TOT3":
            return float(total)
        rate = _AAP[c["Region"]] + 0.1 * (year - 2021)
        return float(round(total * rate / 100))

    return _dataset(
        label="13563: Personer 15 år og over, etter region, alder, innvandringskategori, prioritert arbeidsstyrkestatus, statistikkvariabel og år",
        source="Statistisk sentralbyrå",
        updated=f"{last + 1}-06-10T06:00:00Z",
        table="13563",
        v1_prefix=True,
        dims=[
            ("Region", "region", codes, _NAMES),
            ("Alder", "alder", ["15-29"], {"15-29": "15-29 år"}),
            ("InnvandrKat", "innvandringskategori", ["A-G"], {"A-G": "I alt"}),
            (
                "HovArbStyrkStatus",
                "prioritert arbeidsstyrkestatus",
                ["U.04-U.05", "TOT3"],
                {"U.04-U.05": "AAP/uføretrygd", "TOT3": "I alt"},
            ),
            ("ContentsCode", "statistikkvariabel", ["Bosatte"], {"Bosatte": "Bosatte"}),
            ("Tid", "år", _years(last), {}),
        ],
        cell=cell,
    )


def _fhi_periods(last_end: int, n: int, span: int = 3, step: int = 1) -> list[str]:
    ends = [last_end - step * i for i in range(n)][::-1]
    return [f"{e - span + 1}_{e}" for e in ends]


def _fhi_dataset(
    label: str,
    source: str,
    last: int,
    periods: list[str],
    dims: Sequence[tuple[str, str, Sequence[str], dict[str, str]]],
    cell: Callable[[dict[str, str]], float | None | str],
) -> dict:
    """An FHI JSON-stat file: geography, period and both sexes, then the table's own dimensions.

    Parameters
    ----------
    label, source
        The dataset's title and publisher.
    last
        Last year in the file; FHI publishes it on 1 March the year after.
    periods
        Period codes such as ``2020_2022`` (shown as ``2020-2022``).
    dims
        The dimensions after ``GEO``, ``AAR`` and ``KJONN``, as for :func:`_dataset`.
    cell
        Value of one cell from its category codes, as for :func:`_dataset`.

    Returns
    -------
    dict
        The JSON-stat 2.0 dataset.
    """
    return _dataset(
        label=label,
        source=source,
        updated=f"{last + 1}-03-01T00:00:00Z",
        fhi=True,
        dims=[
            ("GEO", "Geografi", _CODES, _NAMES),
            ("AAR", "År", periods, {p: p.replace("_", "-") for p in periods}),
            ("KJONN", "Kjønn", ["0"], {"0": "kjønn samlet"}),
            *dims,
        ],
        cell=cell,
    )


def _vgs_file(last: int) -> dict:
    periods = _fhi_periods(last, 3)

    def cell(c: dict[str, str]) -> float:
        end = int(c["AAR"][-4:])
        rate = round(_VGS[c["GEO"]] + 0.4 * (end - 2022), 1)
        if c["MEASURE_TYPE"] == "RATE":
            return rate
        cohort = 3 * _pop(c["GEO"], 16, "1", end) * 2
        return float(round(cohort * rate / 100))

    return _fhi_dataset(
        "Gjennomføring i videregående skole",
        "Folkehelseinstituttet",
        last,
        periods,
        [
            ("UTDANN", "Foreldrenes utdanning", ["0"], {"0": "alle utdanningsnivåer"}),
            ("INNVKAT", "Innvandringskategori", ["0"], {"0": "alle"}),
            ("MEASURE_TYPE", "Måltall", ["TELLER", "RATE"], {"TELLER": "antall", "RATE": "andel (prosent)"}),
        ],
        cell,
    )


def _ungdata_file(last: int, table: str, base: dict[str, float], title: str) -> dict:
    periods = ["2019_2021"] + (["2022_2024"] if last >= 2024 else [])

    def cell(c: dict[str, str]) -> float | str:
        if table == "399" and c["GEO"] == "3417" and c["AAR"] == "2019_2021":
            return ":"  # too few respondents in Grue that round: anonymised
        shift = 0.0 if c["AAR"] == "2019_2021" else (-1.2 if c["GEO"] in ("3401", "3416") else 0.6)
        return round(base[c["GEO"]] + shift, 1)

    return _fhi_dataset(
        title,
        "Folkehelseinstituttet (Ungdata, NOVA/OsloMet)",
        last,
        periods,
        [
            ("ALDER", "Trinn", ["1_6"], {"1_6": "8-10.trinn"}),
            ("MEASURE_TYPE", "Måltall", ["MEIS"], {"MEIS": "andel (prosent, standardisert)"}),
        ],
        cell,
    )


def _lowinc_csv(last: int) -> str:
    ends = list(range(2021, last + 1))
    periods = [f"{e - 2}-{e}" for e in ends]
    out = io.StringIO()
    out.write(
        '"08764: Personer under 18 år i husholdninger med vedvarende lavinntekt (prosent), etter region, statistikkvariabel og år"\n\n'
    )
    w = csv.writer(out, delimiter=";", quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
    w.writerow(["region", "statistikkvariabel", *periods])
    for code in _CODES:
        row: list[object] = [f"{code} {_NAMES[code]}", "EUskala60 EU-skala 60 prosent"]
        for e in ends:
            row.append(f"{_LOWINC[code] + 0.3 * (e - 2023):.1f}".replace(".", ","))
        w.writerow(row)
    # csv quotes numbers-as-text; SSB writes values unquoted, so strip the quotes there.
    lines = []
    for line in out.getvalue().splitlines():
        parts = line.split(";")
        if len(parts) > 2 and parts[0] != '"region"':
            parts = parts[:2] + [p.strip('"') for p in parts[2:]]
        lines.append(";".join(parts))
    return "\n".join(lines) + "\n"


def _row(indicator: str, code: str, period: str, value: str) -> dict[str, object]:
    """A tidy row with a value only (no counts, no status)."""
    return {
        "indicator": indicator,
        "region_code": code,
        "period": period,
        "value": value,
        "numerator": "",
        "denominator": "",
        "status": "",
    }


def national_synthetic_rows(year: int = 2024, seed: int = 20240101) -> list[dict[str, object]]:
    """Synthetic but plausible indicator values for all 357 municipalities.

    Parameters
    ----------
    year
        Year written in the rows (``period``).
    seed
        Seed of the random generator; the same seed gives the same rows.

    Returns
    -------
    list[dict]
        Tidy rows (``indicator, region_code, period, value, numerator,
        denominator, status``) for ``neet_15_29`` (percent, with counts),
        ``low_income_children`` (percent), ``higher_education_share`` (percent)
        and ``population_15_29`` (count). The NEET share is built as
        ``4.5 + 0.45 * low income - 0.12 * higher education + noise`` with a
        few municipalities planted 5 points better than that, so the
        positive-deviance model has something to find. Kongsvingerregionen's
        municipalities carry the values of the region demo files.
    """
    rng = np.random.default_rng(seed)
    munis = load_municipalities()
    rows: list[dict[str, object]] = []
    planted = {"1811", "3426", "4634", "5045", "1516"}  # Bindal, Tolga, Masfjorden, Grong, Ulstein
    for code in munis["code"]:
        pop = int(np.clip(rng.lognormal(mean=7.3, sigma=1.1), 60, 160000))
        higher = float(np.clip(rng.normal(27, 6.5), 12, 60))
        lowinc = float(np.clip(rng.normal(10.5, 3.0), 3, 25))
        noise = float(rng.normal(0, 1.3))
        if code in REGION:
            pop = _pop_15_29(code, year)
            lowinc = _LOWINC[code] + 0.3 * (year - 2023)
            neet = _neet_counts(code, year)[1]
            share = (neet or 0) / pop * 100
        else:
            share = 4.5 + 0.45 * lowinc - 0.12 * higher + noise - (5.0 if code in planted else 0.0)
            share = float(np.clip(share, 2.0, 30.0))
            neet = int(round(pop * share / 100))
            share = neet / pop * 100
        suppressed = pop < 100  # tiny municipalities: SSB would hide the count
        rows.append(
            {
                "indicator": "neet_15_29",
                "region_code": code,
                "period": str(year),
                "value": "" if suppressed else f"{share:.1f}",
                "numerator": "" if suppressed else str(neet),
                "denominator": str(pop),
                "status": ".." if suppressed else "",
            }
        )
        rows += [
            _row("low_income_children", code, f"{year - 2}-{year}", f"{lowinc:.1f}"),
            _row("higher_education_share", code, str(year), f"{higher:.1f}"),
            _row("population_15_29", code, str(year), str(pop)),
        ]
    return sorted(rows, key=lambda r: (str(r["indicator"]), str(r["region_code"]), str(r["period"])))


def write_demo_indicator_files(out_dir: str | Path) -> list[Path]:
    """Write every illustrative file under ``out_dir`` (normally ``data/raw/demo/indicators``).

    Parameters
    ----------
    out_dir
        Target folder; ``pull_2023/``, ``pull_2024/`` and ``national/`` are created in it.

    Returns
    -------
    list[pathlib.Path]
        The files written, sorted.
    """
    out_dir = Path(out_dir)
    written: list[Path] = []

    def dump(path: Path, text: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)

    def dump_json(path: Path, data: dict) -> None:
        dump(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")

    for folder, last in PULLS.items():
        base = out_dir / folder
        dump_json(base / "ssb_07459_population.json", _population_file(last))
        dump_json(base / "ssb_13556_neet.json", _neet_file(last))
        dump_json(base / "ssb_13563_aap_uforetrygd.json", _aap_file(last))
        dump_json(base / "fhi_360_vgs_completion.json", _vgs_file(last))
        dump_json(
            base / "fhi_399_ungdata_safe.json", _ungdata_file(last, "399", _SAFE, "Trygghet i nærmiljøet (Ungdata)")
        )
        dump_json(
            base / "fhi_373_ungdata_quality_of_life.json", _ungdata_file(last, "373", _QOL, "Livskvalitet (Ungdata)")
        )
        dump(base / "ssb_08764_low_income_children.csv", _lowinc_csv(last))
    out = io.StringIO()
    fields = ["indicator", "region_code", "period", "value", "numerator", "denominator", "status"]
    w = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    w.writeheader()
    w.writerows(national_synthetic_rows(2024))
    dump(out_dir / "national" / "national_2024_synthetic.csv", out.getvalue())
    return sorted(written)
