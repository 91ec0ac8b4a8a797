"""The baseline at national scale: ~357 municipalities × 20 indicators × 15 years.

Builds a synthetic tidy table (every municipality of the 2024 geography, its
county and the country; 19 rate indicators with numerators and denominators
plus population), then times :func:`outcomes.analyses.baseline.summary.baseline_summary` with
all municipalities as the region (the heaviest aggregation), the national
spread and the positive-deviance model. Prints seconds and peak memory; no
assertions.

Run: ``.venv/bin/python benchmarks/bench_baseline.py`` (or ``make bench``).
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
from memory import peak_mb

YEARS = range(2010, 2025)
N_RATES = 19


def synthetic_catalogue():  # type: ignore[no-untyped-def]
    """The demo catalogue's NEET indicator copied into 19 rate indicators, plus population."""
    from outcomes.core.paths import config_dir
    from outcomes.registries.indicator_catalogue import IndicatorCatalogue, load_catalogue

    demo = load_catalogue(config_dir() / "indicators.yml")
    neet = demo.get("neet_15_29").model_dump()
    population = demo.get("population_15_29").model_dump()
    indicators = [population] + [{**neet, "id": f"rate_{i:02d}"} for i in range(N_RATES)]
    return IndicatorCatalogue.model_validate(
        {"version": 1, "themes": demo.model_dump()["themes"], "indicators": indicators}
    )


def synthetic_tidy(seed: int = 3) -> pd.DataFrame:
    """Tidy rows for every municipality, county and the country (counts summed upwards)."""
    from outcomes.analyses.baseline.municipalities import load_municipalities

    rng = np.random.default_rng(seed)
    codes = load_municipalities()["code"].astype(str).tolist()
    frames = []
    for year in YEARS:
        pop = rng.integers(200, 60_000, size=len(codes)).astype(float)
        frames.append(
            pd.DataFrame(
                {
                    "indicator": "population_15_29",
                    "region_code": codes,
                    "period": str(year),
                    "value": pop,
                    "numerator": np.nan,
                    "denominator": np.nan,
                }
            )
        )
        for i in range(N_RATES):
            share = np.clip(rng.normal(0.12, 0.03, size=len(codes)), 0.01, 0.6)
            numerator = np.round(pop * share)
            frames.append(
                pd.DataFrame(
                    {
                        "indicator": f"rate_{i:02d}",
                        "region_code": codes,
                        "period": str(year),
                        "value": numerator / pop * 100,
                        "numerator": numerator,
                        "denominator": pop,
                    }
                )
            )
    municipal = pd.concat(frames, ignore_index=True)
    upper = []
    for _level, key in (
        ("county", municipal["region_code"].str[:2]),
        ("country", pd.Series("0", index=municipal.index)),
    ):
        sums = (
            municipal.assign(region_code=key)
            .groupby(["indicator", "region_code", "period"], as_index=False)[["value", "numerator", "denominator"]]
            .sum(min_count=1)
        )
        rates = sums["indicator"] != "population_15_29"
        sums.loc[rates, "value"] = sums.loc[rates, "numerator"] / sums.loc[rates, "denominator"] * 100
        upper.append(sums)
    tidy = pd.concat([municipal, *upper], ignore_index=True)
    tidy["region_code_original"] = tidy["region_code"]
    tidy["period_start"] = tidy["period"].astype(int)
    tidy["period_end"] = tidy["period_start"]
    tidy["status"] = ""
    tidy["source"] = "synthetic"
    tidy["source_file"] = "synthetic"
    return tidy


def main() -> list[dict[str, object]]:
    """Time the baseline on the synthetic national table and print the figures."""
    from outcomes.analyses.baseline.summary import baseline_summary

    catalogue = synthetic_catalogue()
    tidy = synthetic_tidy()
    municipalities = sorted(c for c in tidy["region_code"].unique() if len(c) == 4)
    start = time.perf_counter()
    summary = baseline_summary(
        tidy,
        catalogue,
        region_name="Hele landet (alle kommuner)",
        region_municipalities=municipalities,
        county_code="34",
        baseline_year=2015,
        report_year=2024,
        national=tidy[tidy["region_code"].str.len() == 4],
        deviance_outcome="rate_00",
        deviance_predictors=["rate_01", "rate_02"],
    )
    seconds = time.perf_counter() - start
    peak = peak_mb()
    rows = [
        {
            "benchmark": f"baseline: {len(municipalities)} municipalities × {N_RATES + 1} indicators × {len(YEARS)} years "
            f"({len(tidy):,} rows)",
            "seconds": seconds,
            "peak_mb": peak,
            "challenges": len(summary.get("challenges", [])),
        }
    ]
    print(f"{'benchmark':78s} {'seconds':>8s} {'peak MB':>8s}")
    for row in rows:
        print(f"{row['benchmark']:78s} {row['seconds']:8.2f} {row['peak_mb']:8.0f}")
    return rows


if __name__ == "__main__":
    main()
